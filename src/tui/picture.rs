//! Images of proofs of delivery as 8-bit RGB pixels: PNG decoding of every colour type and
//! bit depth (through the png crate's transformations) and box-filter downscaling.

use std::io::Cursor;

use png::{BitDepth, ColorType, Decoder, Limits, Transformations};
use thiserror::Error;

/// Largest decoded image accepted, in bytes; a proof photo is far below, a hostile PNG that
/// claims gigapixels is refused before anything is allocated.
const MAX_DECODED_BYTES: usize = 64 * 1024 * 1024;

/// Why an image could not be turned into pixels.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum PictureError {
    /// The bytes are not a PNG the decoder can read.
    #[error("not a readable PNG ({0})")]
    Png(String),
    /// A PNG without a single pixel.
    #[error("the image has no pixels")]
    Empty,
}

/// An image as RGB pixels, row by row; transparency is already blended onto white paper,
/// which is how a signature pad shows a transparent signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

/// The size a PNG declares in its header, read without decoding it.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let header = bytes.get(..24)?;
    if &header[..8] != SIGNATURE || &header[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&header[16..20]), be(&header[20..24])))
}

impl Picture {
    /// Pixels from RGB triples, row by row; `None` when the count does not match the size.
    pub fn from_rgb(width: u32, height: u32, rgb: Vec<[u8; 3]>) -> Option<Picture> {
        (width as usize * height as usize == rgb.len() && !rgb.is_empty()).then_some(Picture {
            width,
            height,
            rgb,
        })
    }

    /// Decodes a PNG of any colour type (grey, grey+alpha, RGB, RGBA, palette) and bit
    /// depth (1 to 16), normalised to 8-bit RGB.
    pub fn from_png(bytes: &[u8]) -> Result<Picture, PictureError> {
        let err = |e: png::DecodingError| PictureError::Png(e.to_string());
        let mut decoder = Decoder::new_with_limits(
            Cursor::new(bytes),
            Limits {
                bytes: MAX_DECODED_BYTES,
            },
        );
        // Palette and low depths expand to 8 bits, 16-bit samples lose their low byte.
        decoder.set_transformations(Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().map_err(err)?;
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).map_err(err)?;
        if info.width == 0 || info.height == 0 {
            return Err(PictureError::Empty);
        }
        if info.bit_depth != BitDepth::Eight {
            return Err(PictureError::Png(format!(
                "{:?}-bit samples after conversion",
                info.bit_depth
            )));
        }
        let channels = match info.color_type {
            ColorType::Grayscale => 1,
            ColorType::GrayscaleAlpha => 2,
            ColorType::Rgb => 3,
            ColorType::Rgba => 4,
            // Expanded above; a decoder that still hands out indices is a decoder bug.
            ColorType::Indexed => {
                return Err(PictureError::Png("palette was not expanded".into()));
            }
        };
        let mut rgb = Vec::with_capacity(info.width as usize * info.height as usize);
        for row in buf.chunks(info.line_size).take(info.height as usize) {
            for px in row.chunks_exact(channels).take(info.width as usize) {
                rgb.push(match *px {
                    [g] => [g, g, g],
                    [g, a] => on_white([g, g, g], a),
                    [r, g, b] => [r, g, b],
                    [r, g, b, a] => on_white([r, g, b], a),
                    _ => [255, 255, 255],
                });
            }
        }
        Picture::from_rgb(info.width, info.height, rgb).ok_or(PictureError::Empty)
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixel at column `x`, row `y` (clamped to the image).
    pub fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let x = x.min(self.width - 1) as usize;
        let y = y.min(self.height - 1) as usize;
        self.rgb[y * self.width as usize + x]
    }

    /// The largest size, in pixels, that fits `width` × `height` pixels with the aspect
    /// ratio kept; never larger than the picture itself (small images are not blown up).
    pub fn fit(&self, width: u32, height: u32) -> (u32, u32) {
        let scale = (width as f64 / self.width as f64)
            .min(height as f64 / self.height as f64)
            .min(1.0);
        let w = ((self.width as f64 * scale).floor() as u32).clamp(1, self.width);
        let h = ((self.height as f64 * scale).floor() as u32).clamp(1, self.height);
        (w, h)
    }

    /// The picture shrunk to `width` × `height` by averaging the pixels each target pixel
    /// covers (a box filter: thin signature strokes stay visible as grey instead of
    /// vanishing between samples).
    pub fn scaled(&self, width: u32, height: u32) -> Picture {
        let (width, height) = (width.max(1), height.max(1));
        if (width, height) == (self.width, self.height) {
            return self.clone();
        }
        let span = |i: u32, out: u32, src: u32| {
            let start = (i as u64 * src as u64 / out as u64) as u32;
            let end = (((i as u64 + 1) * src as u64).div_ceil(out as u64) as u32).max(start + 1);
            (start, end.min(src))
        };
        let mut rgb = Vec::with_capacity(width as usize * height as usize);
        for ty in 0..height {
            let (y0, y1) = span(ty, height, self.height);
            for tx in 0..width {
                let (x0, x1) = span(tx, width, self.width);
                let mut sum = [0u64; 3];
                for y in y0..y1 {
                    for x in x0..x1 {
                        let p = self.pixel(x, y);
                        for c in 0..3 {
                            sum[c] += p[c] as u64;
                        }
                    }
                }
                let n = ((y1 - y0) * (x1 - x0)).max(1) as u64;
                rgb.push(sum.map(|s| (s / n) as u8));
            }
        }
        Picture { width, height, rgb }
    }
}

/// A colour with alpha `a` laid on white.
fn on_white(rgb: [u8; 3], a: u8) -> [u8; 3] {
    let a = a as u32;
    rgb.map(|c| ((c as u32 * a + 255 * (255 - a)) / 255) as u8)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Encodes pixels as a PNG of the given colour type and depth (test images).
    pub(crate) fn encode(
        w: u32,
        h: u32,
        color: ColorType,
        depth: BitDepth,
        data: &[u8],
        palette: Option<&[u8]>,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(color);
        enc.set_depth(depth);
        if let Some(p) = palette {
            enc.set_palette(p.to_vec());
        }
        let mut writer = enc.write_header().unwrap();
        writer.write_image_data(data).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn rgb_png_decodes_pixel_for_pixel() {
        let png = encode(
            2,
            1,
            ColorType::Rgb,
            BitDepth::Eight,
            &[255, 0, 0, 0, 0, 255],
            None,
        );
        let p = Picture::from_png(&png).unwrap();
        assert_eq!((p.width(), p.height()), (2, 1));
        assert_eq!(p.pixel(0, 0), [255, 0, 0]);
        assert_eq!(p.pixel(1, 0), [0, 0, 255]);
        assert_eq!(png_size(&png), Some((2, 1)));
    }

    #[test]
    fn palette_grey_sixteen_bit_and_alpha_images_decode() {
        // Palette: index 0 = green, 1 = blue; 2-bit indices packed in one byte.
        let pal = encode(
            2,
            1,
            ColorType::Indexed,
            BitDepth::Two,
            &[0b0001_0000],
            Some(&[0, 200, 0, 0, 0, 200]),
        );
        let p = Picture::from_png(&pal).unwrap();
        assert_eq!(p.pixel(0, 0), [0, 200, 0]);
        assert_eq!(p.pixel(1, 0), [0, 0, 200]);

        // 1-bit grey: black then white.
        let bw = encode(
            2,
            1,
            ColorType::Grayscale,
            BitDepth::One,
            &[0b0100_0000],
            None,
        );
        let p = Picture::from_png(&bw).unwrap();
        assert_eq!(p.pixel(0, 0), [0, 0, 0]);
        assert_eq!(p.pixel(1, 0), [255, 255, 255]);

        // 16-bit grey keeps the high byte.
        let deep = encode(
            1,
            1,
            ColorType::Grayscale,
            BitDepth::Sixteen,
            &[0x80, 0x7f],
            None,
        );
        assert_eq!(
            Picture::from_png(&deep).unwrap().pixel(0, 0),
            [128, 128, 128]
        );

        // Transparent black on white paper is white; opaque black stays black.
        let rgba = encode(
            2,
            1,
            ColorType::Rgba,
            BitDepth::Eight,
            &[0, 0, 0, 0, 0, 0, 0, 255],
            None,
        );
        let p = Picture::from_png(&rgba).unwrap();
        assert_eq!(p.pixel(0, 0), [255, 255, 255]);
        assert_eq!(p.pixel(1, 0), [0, 0, 0]);
        let ga = encode(
            1,
            1,
            ColorType::GrayscaleAlpha,
            BitDepth::Eight,
            &[0, 128],
            None,
        );
        assert_eq!(Picture::from_png(&ga).unwrap().pixel(0, 0), [127, 127, 127]);
    }

    #[test]
    fn garbage_and_truncated_pngs_are_errors_not_panics() {
        assert!(matches!(
            Picture::from_png(b"definitely not a png"),
            Err(PictureError::Png(_))
        ));
        assert!(Picture::from_png(&[]).is_err());
        let png = encode(4, 4, ColorType::Rgb, BitDepth::Eight, &[7; 48], None);
        let cut = &png[..png.len() - 20];
        assert!(Picture::from_png(cut).is_err());
        assert_eq!(png_size(cut), Some((4, 4)), "the header is still readable");
        assert_eq!(png_size(b"short"), None);
    }

    #[test]
    fn fit_keeps_the_aspect_ratio_and_never_enlarges() {
        let p = Picture::from_rgb(160, 60, vec![[0; 3]; 160 * 60]).unwrap();
        assert_eq!(p.fit(80, 100), (80, 30));
        assert_eq!(p.fit(200, 30), (80, 30));
        assert_eq!(p.fit(1000, 1000), (160, 60));
        assert_eq!(p.fit(0, 0), (1, 1));
    }

    #[test]
    fn box_scaling_averages_what_each_pixel_covers() {
        // A 4×2 image: left half black, right half white → 2×1 black, white.
        let k = [0, 0, 0];
        let w = [255, 255, 255];
        let p = Picture::from_rgb(4, 2, vec![k, k, w, w, k, k, w, w]).unwrap();
        let s = p.scaled(2, 1);
        assert_eq!(s.pixel(0, 0), k);
        assert_eq!(s.pixel(1, 0), w);
        // Everything into one pixel: the mean grey.
        assert_eq!(p.scaled(1, 1).pixel(0, 0), [127, 127, 127]);
    }
}
