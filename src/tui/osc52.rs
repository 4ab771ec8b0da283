//! Clipboard through the terminal (OSC 52), which also works over SSH.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// The escape sequence that puts `text` on the clipboard.
pub fn sequence(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", BASE64.encode(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_wraps_the_payload() {
        assert_eq!(sequence("T-1"), "\x1b]52;c;VC0x\x07");
    }
}
