//! Server-made identifiers: 24-hex `_id`s and prefixed 8-character UIDs.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use rand::Rng;

use crate::api::paths::Collection;

/// Characters of UIDs: upper-case letters and digits without look-alikes (0/O, 1/I).
const UID_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A new ObjectId-like `_id`: 4 bytes of seconds, 5 random bytes, 3 bytes of counter.
pub fn new_object_id() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as u32)
        .unwrap_or(0);
    let mut rng = rand::rng();
    object_id_with(secs, &mut rng)
}

/// An ObjectId-like `_id` from a given time and random source (deterministic for demo data).
pub fn object_id_with(secs: u32, rng: &mut impl Rng) -> String {
    let count = COUNTER.fetch_add(1, Ordering::Relaxed) & 0x00ff_ffff;
    let random: u64 = rng.random::<u64>() & 0xff_ffff_ffff;
    format!("{secs:08x}{random:010x}{count:06x}")
}

/// A new UID for an item of `c`, e.g. `T-7QK2M9XD`.
pub fn new_uid(c: Collection) -> String {
    uid_with(c.uid_prefix(), &mut rand::rng())
}

/// A UID with `prefix` from a given random source.
pub fn uid_with(prefix: &str, rng: &mut impl Rng) -> String {
    let mut s = String::with_capacity(prefix.len() + 8);
    s.push_str(prefix);
    for _ in 0..8 {
        s.push(UID_ALPHABET[rng.random_range(0..UID_ALPHABET.len())] as char);
    }
    s
}

/// Whether `s` looks like a 24-hex `_id`.
pub fn is_object_id(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_documented_shape() {
        let id = new_object_id();
        assert!(is_object_id(&id), "{id}");
        let uid = new_uid(Collection::Tasks);
        assert!(uid.starts_with("T-") && uid.len() == 10, "{uid}");
        assert_ne!(new_object_id(), new_object_id());
    }
}
