//! The API key, wrapped so that it cannot be printed by accident.

use std::fmt;

use serde::Deserialize;

/// An API key. `Debug` prints `***`; there is no `Display`, and the only way to the text
/// is [`ApiKey::expose`], which the client calls when it builds the auth header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key, trimming the whitespace a file or a paste leaves around it.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into().trim().to_string())
    }

    /// The key itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the key is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A form safe to show: the first and last two characters of a long key (`ab…yz`),
    /// `***` for a key too short to show any of it.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 16 {
            return "***".to_string();
        }
        let head: String = chars[..2].iter().collect();
        let tail: String = chars[chars.len() - 2..].iter().collect();
        format!("{head}…{tail}")
    }

    /// Replaces every occurrence of the key in `text` with `***`, for messages that quote a
    /// server or a library which might echo it.
    pub fn redact(&self, text: &str) -> String {
        if self.0.len() < 4 || !text.contains(&self.0) {
            return text.to_string();
        }
        text.replace(&self.0, "***")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl<'de> Deserialize<'de> for ApiKey {
    /// Reads a key from a config file; it is never serialized back.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(ApiKey::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let k = ApiKey::new("sk_live_0123456789abcdef");
        let dbg = format!("{k:?} {:?}", Some(&k));
        assert!(!dbg.contains("0123456789"), "{dbg}");
        assert!(dbg.contains("***"));
    }

    #[test]
    fn masks_long_keys_partially_and_short_keys_fully() {
        assert_eq!(ApiKey::new("abcdefghijklmnopqrstuvwxyz").masked(), "ab…yz");
        assert_eq!(ApiKey::new("short-key").masked(), "***");
    }

    #[test]
    fn trims_and_redacts() {
        let k = ApiKey::new("  secret-key-123\n");
        assert_eq!(k.expose(), "secret-key-123");
        assert_eq!(
            k.redact("bad key secret-key-123 given"),
            "bad key *** given"
        );
    }
}
