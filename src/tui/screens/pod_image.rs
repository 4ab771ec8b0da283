//! One image of a proof of delivery (the signature or a photo): its bytes from the inline
//! base64 data, its decoded picture, a one-line description, and its file name for saving.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::api::model::PodFile;
use crate::tui::picture::{Picture, png_size};

/// Largest picture kept after decoding, in pixels: more than any terminal shows in half
/// blocks, so a phone-sized photo is shrunk once instead of on every frame.
const KEEP: (u32, u32) = (640, 480);

/// One signature or photo, decoded once when the proof arrives.
#[derive(Debug, Clone)]
pub struct PodImage {
    /// What it is: `signature`, `photo 2`.
    label: String,
    /// Caption given by the driver app.
    caption: Option<String>,
    /// Download link, when the server gives one.
    url: Option<String>,
    /// MIME type as sent.
    mime: Option<String>,
    /// The file itself, when the server inlines it.
    bytes: Option<Vec<u8>>,
    /// The pixels, or why there are none.
    picture: Result<Picture, String>,
}

impl PodImage {
    /// Reads a POD file: decodes its base64 data and, for a PNG, its pixels.
    pub fn new(label: impl Into<String>, file: &PodFile) -> PodImage {
        let bytes = file.data.as_deref().map(decode_base64);
        let mime = file.mime_type.clone();
        let picture = match &bytes {
            None if file.url.is_some() => {
                Err("only a link was sent; the console does not download it".to_string())
            }
            None => Err("the server sent no image data".to_string()),
            Some(Err(e)) => Err(e.clone()),
            Some(Ok(b)) if png_size(b).is_none() && !is_png_mime(mime.as_deref()) => Err(format!(
                "{} images are not drawn here, only PNG",
                mime.as_deref().unwrap_or("unknown")
            )),
            Some(Ok(b)) => Picture::from_png(b)
                .map(|p| {
                    let (w, h) = p.fit(KEEP.0, KEEP.1);
                    p.scaled(w, h)
                })
                .map_err(|e| e.to_string()),
        };
        PodImage {
            label: label.into(),
            caption: file.caption.clone().filter(|c| !c.trim().is_empty()),
            url: file.url.clone().filter(|u| !u.trim().is_empty()),
            mime,
            bytes: bytes.and_then(Result::ok),
            picture,
        }
    }

    /// What it is: `signature`, `photo 2`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The driver's caption.
    pub fn caption(&self) -> Option<&str> {
        self.caption.as_deref()
    }

    /// The download link.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The pixels, or why they cannot be shown.
    pub fn picture(&self) -> Result<&Picture, &str> {
        self.picture.as_ref().map_err(String::as_str)
    }

    /// Size and kind: `160×60 PNG`, `image/jpeg, 48 KB`, `link`.
    pub fn describe(&self) -> String {
        match &self.bytes {
            Some(b) => match png_size(b) {
                Some((w, h)) => format!("{w}×{h} PNG"),
                None => format!(
                    "{}, {}",
                    self.mime.as_deref().unwrap_or("unknown type"),
                    size(b.len())
                ),
            },
            None => "link".to_string(),
        }
    }

    /// The file to save it as, `<stem>-<label>.<ext>`; `None` without inline data.
    pub fn file_name(&self, stem: &str) -> Option<String> {
        let b = self.bytes.as_ref()?;
        let ext = if png_size(b).is_some() {
            "png"
        } else {
            match self.mime.as_deref().map(str::to_ascii_lowercase).as_deref() {
                Some("image/png") => "png",
                Some("image/jpeg" | "image/jpg") => "jpg",
                Some("image/gif") => "gif",
                Some("image/webp") => "webp",
                _ => "bin",
            }
        };
        Some(format!("{stem}-{}.{ext}", self.label.replace(' ', "-")))
    }

    /// The file's bytes, when inlined.
    pub fn bytes(&self) -> Option<&[u8]> {
        self.bytes.as_deref()
    }
}

/// A task reference made safe as the start of a file name.
pub fn file_stem(reference: &str) -> String {
    let s: String = reference
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_matches('.').to_string();
    if s.is_empty() { "task".to_string() } else { s }
}

fn is_png_mime(mime: Option<&str>) -> bool {
    mime.is_some_and(|m| m.eq_ignore_ascii_case("image/png"))
}

/// Base64, also inside a `data:` URL and wrapped over several lines.
fn decode_base64(data: &str) -> Result<Vec<u8>, String> {
    let payload = match data.split_once(";base64,") {
        Some((head, rest)) if head.starts_with("data:") => rest,
        _ => data,
    };
    let clean: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
    BASE64
        .decode(clean)
        .map_err(|e| format!("the image data is not valid base64 ({e})"))
}

fn size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use png::{BitDepth, ColorType};

    use super::*;
    use crate::tui::picture::tests::encode;

    fn file(data: Option<String>, mime: &str) -> PodFile {
        PodFile {
            data,
            mime_type: Some(mime.into()),
            ..PodFile::default()
        }
    }

    #[test]
    fn inline_png_decodes_and_gets_a_file_name() {
        let png = encode(3, 2, ColorType::Grayscale, BitDepth::Eight, &[0; 6], None);
        let img = PodImage::new("photo 1", &file(Some(BASE64.encode(&png)), "image/png"));
        assert_eq!(img.picture().map(|p| p.width()), Ok(3));
        assert_eq!(img.describe(), "3×2 PNG");
        assert_eq!(img.file_name("T-1").as_deref(), Some("T-1-photo-1.png"));
        assert_eq!(img.bytes(), Some(&png[..]));
        // A big picture is kept shrunk to what a terminal can show; its description and
        // saved bytes stay the original.
        let big = encode(
            1280,
            200,
            ColorType::Grayscale,
            BitDepth::Eight,
            &vec![9; 1280 * 200],
            None,
        );
        let img = PodImage::new("photo 1", &file(Some(BASE64.encode(&big)), "image/png"));
        assert_eq!(
            img.picture().map(|p| (p.width(), p.height())),
            Ok((640, 100))
        );
        assert_eq!(img.describe(), "1280×200 PNG");
        assert_eq!(img.bytes().map(<[u8]>::len), Some(big.len()));
        // The same as a data URL, wrapped.
        let url = format!("data:image/png;base64,{}\n", BASE64.encode(&png));
        assert!(
            PodImage::new("x", &file(Some(url), "image/png"))
                .picture()
                .is_ok()
        );
    }

    #[test]
    fn links_jpegs_and_broken_data_explain_themselves() {
        let link = PodImage::new(
            "photo 1",
            &PodFile {
                url: Some("https://files.example/p.jpg".into()),
                ..PodFile::default()
            },
        );
        assert!(link.picture().unwrap_err().contains("does not download"));
        assert_eq!(link.file_name("T"), None);
        assert_eq!(link.describe(), "link");

        let jpeg = PodImage::new(
            "photo 2",
            &file(Some(BASE64.encode([0xff, 0xd8, 0xff, 0xe0])), "image/jpeg"),
        );
        assert!(jpeg.picture().unwrap_err().contains("only PNG"));
        assert_eq!(jpeg.file_name("T").as_deref(), Some("T-photo-2.jpg"));
        assert_eq!(jpeg.describe(), "image/jpeg, 4 bytes");

        let junk = PodImage::new("signature", &file(Some("%%%".into()), "image/png"));
        assert!(junk.picture().unwrap_err().contains("base64"));
        let garbage = PodImage::new(
            "signature",
            &file(Some(BASE64.encode(b"not a png at all")), "image/png"),
        );
        assert!(
            garbage
                .picture()
                .unwrap_err()
                .contains("not a readable PNG")
        );
    }

    #[test]
    fn file_stems_are_plain() {
        assert_eq!(file_stem("T-1042"), "T-1042");
        assert_eq!(file_stem("../a b/c"), "_a_b_c");
        assert_eq!(file_stem(""), "task");
    }
}
