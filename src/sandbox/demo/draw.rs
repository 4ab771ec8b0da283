//! The seeded random source of the demo data: unique ids and UIDs, and small draw helpers.

use std::collections::HashSet;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::sandbox::ids;

/// Seeded randomness plus the set of UIDs already handed out.
pub(super) struct Gen {
    /// The random source; every draw of the demo data comes from it, in a fixed order.
    pub rng: ChaCha8Rng,
    uids: HashSet<String>,
    id_clock: u32,
}

impl Gen {
    /// A source for `seed`; `_id`s start with seconds counted up from `id_clock`.
    pub fn new(seed: u64, id_clock: u32) -> Self {
        Gen {
            rng: ChaCha8Rng::seed_from_u64(seed),
            uids: HashSet::new(),
            id_clock,
        }
    }

    /// A fresh ObjectId-like `_id`: rising seconds (so ids sort by creation) and 64 random bits.
    pub fn object_id(&mut self) -> String {
        // A strictly rising clock makes every id unique without remembering them.
        self.id_clock = self.id_clock.wrapping_add(self.rng.random_range(1..=9));
        format!("{:08x}{:016x}", self.id_clock, self.rng.random::<u64>())
    }

    /// A fresh UID with `prefix` that was not handed out before.
    pub fn uid(&mut self, prefix: &str) -> String {
        loop {
            let u = ids::uid_with(prefix, &mut self.rng);
            if self.uids.insert(u.clone()) {
                return u;
            }
        }
    }

    /// True with probability `p` (clamped to 0–1).
    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    /// One element of a non-empty constant table.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.index(xs.len())]
    }

    /// One name of a non-empty constant word list.
    pub fn word(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.index(xs.len())]
    }

    /// An index below `len` (0 when `len` is 0).
    pub fn index(&mut self, len: usize) -> usize {
        if len == 0 {
            0
        } else {
            self.rng.random_range(0..len)
        }
    }

    /// An integer in `lo..=hi`.
    pub fn int(&mut self, lo: u32, hi: u32) -> u32 {
        if hi <= lo {
            lo
        } else {
            self.rng.random_range(lo..=hi)
        }
    }

    /// A real number in `lo..hi`.
    pub fn real(&mut self, lo: f64, hi: f64) -> f64 {
        if hi <= lo {
            lo
        } else {
            self.rng.random_range(lo..hi)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_hex_rising_and_uids_unique() {
        let mut g = Gen::new(7, 0x6500_0000);
        let a = g.object_id();
        let b = g.object_id();
        assert!(ids::is_object_id(&a) && a.bytes().all(|c| !c.is_ascii_uppercase()));
        assert!(a < b, "{a} then {b}");
        let uids: HashSet<String> = (0..5000).map(|_| g.uid("T-")).collect();
        assert_eq!(uids.len(), 5000);
    }
}
