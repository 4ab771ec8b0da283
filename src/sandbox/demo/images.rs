//! Small PNG pictures for proofs of delivery, drawn into pixel buffers: a handwritten-looking
//! signature and a doorstep photo made of rectangles.

use std::f64::consts::TAU;

use super::draw::Gen;

/// Signature size in pixels.
pub(super) const SIGNATURE_SIZE: (u32, u32) = (160, 60);
/// Photo size in pixels.
pub(super) const PHOTO_SIZE: (u32, u32) = (96, 64);

/// Encodes 8-bit pixels (`channels` 1 = grey, 3 = RGB) as PNG.
pub(super) fn encode_png(
    w: u32,
    h: u32,
    channels: u8,
    px: &[u8],
) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(if channels == 1 {
        png::ColorType::Grayscale
    } else {
        png::ColorType::Rgb
    });
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Best);
    let mut writer = enc.write_header()?;
    writer.write_image_data(px)?;
    writer.finish()?;
    Ok(out)
}

/// A signature: an initial and a name in looping strokes, with an underline flourish.
pub(super) fn signature(g: &mut Gen) -> Result<Vec<u8>, png::EncodingError> {
    let (w, h) = SIGNATURE_SIZE;
    let mut px = vec![255u8; (w * h) as usize];
    let x0 = g.real(8.0, 16.0);
    let x1 = g.real(122.0, 148.0);
    let base = g.real(30.0, 36.0);
    let initial_end = x0 + g.real(14.0, 22.0);
    let initial = word(g, x0, initial_end, 1, base);
    stroke(&mut px, w, h, &initial, 1.4);
    let letters = g.int(4, 7) as usize;
    let name_start = initial_end + g.real(5.0, 10.0);
    let name = word(g, name_start, x1, letters, base);
    stroke(&mut px, w, h, &name, 1.3);
    let (u0, u1, uy) = (
        x0 + g.real(0.0, 15.0),
        x1 + g.real(-10.0, 8.0),
        g.real(47.0, 53.0),
    );
    let flourish: Vec<(f64, f64)> = (0..=100)
        .map(|k| {
            let t = f64::from(k) / 100.0;
            (
                u0 + (u1 - u0) * t,
                uy - 4.0 * (t * std::f64::consts::PI).sin(),
            )
        })
        .collect();
    stroke(&mut px, w, h, &flourish, 1.0);
    encode_png(w, h, 1, &px)
}

/// One handwritten word from `x_from` to `x_to`: a trochoid (the pen moves right while
/// circling, which draws cursive loops) whose letters each get their own height and width.
fn word(g: &mut Gen, x_from: f64, x_to: f64, letters: usize, base: f64) -> Vec<(f64, f64)> {
    // The first letter of each word is a capital; some letters rise or dip further.
    let heights: Vec<f64> = (0..=letters)
        .map(|k| {
            if k == 0 {
                g.real(1.6, 2.1)
            } else {
                g.real(0.5, 1.5)
            }
        })
        .collect();
    // Circling faster than the pen moves right closes the loops at the top of letters.
    let pitch = (x_to - x_from) / letters as f64 / TAU;
    let radius = pitch * g.real(1.3, 2.0);
    let (phase, slope) = (g.real(-0.6, 0.6), g.real(-4.0, 4.0));
    let steps = 160 * letters;
    (0..=steps)
        .map(|k| {
            let t = k as f64 / steps as f64;
            let at = t * letters as f64;
            let i = (at.floor() as usize).min(letters - 1);
            // Blend neighbouring letter heights so strokes join smoothly.
            let f = 0.5 - 0.5 * ((at - i as f64) * std::f64::consts::PI).cos();
            let height = 9.0 * (heights[i] * (1.0 - f) + heights[i + 1] * f);
            let a = TAU * at + phase;
            let x = x_from + (x_to - x_from) * t - radius * a.sin();
            let y = base + slope * (t - 0.5) - height * a.cos();
            (x, y)
        })
        .collect()
}

/// Darkens the grey buffer along the polyline `pts` with a soft round pen of radius `r`.
fn stroke(px: &mut [u8], w: u32, h: u32, pts: &[(f64, f64)], r: f64) {
    for seg in pts.windows(2) {
        let ((ax, ay), (bx, by)) = (seg[0], seg[1]);
        let len = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt();
        let n = (len / 0.4).ceil().max(1.0) as usize;
        for k in 0..=n {
            let t = k as f64 / n as f64;
            dab(px, w, h, ax + (bx - ax) * t, ay + (by - ay) * t, r);
        }
    }
}

fn dab(px: &mut [u8], w: u32, h: u32, cx: f64, cy: f64, r: f64) {
    let (x_lo, x_hi) = (
        (cx - r - 1.0).floor().max(0.0) as u32,
        (cx + r + 1.0).ceil().min(f64::from(w) - 1.0) as u32,
    );
    let (y_lo, y_hi) = (
        (cy - r - 1.0).floor().max(0.0) as u32,
        (cy + r + 1.0).ceil().min(f64::from(h) - 1.0) as u32,
    );
    for y in y_lo..=y_hi {
        for x in x_lo..=x_hi {
            let d = ((f64::from(x) - cx).powi(2) + (f64::from(y) - cy).powi(2)).sqrt();
            let ink = (r + 0.5 - d).clamp(0.0, 1.0);
            let v = (255.0 * (1.0 - 0.92 * ink)) as u8;
            let i = (y * w + x) as usize;
            px[i] = px[i].min(v);
        }
    }
}

/// An RGB buffer with rectangle drawing.
struct Picture {
    w: u32,
    h: u32,
    px: Vec<u8>,
}

impl Picture {
    fn new(w: u32, h: u32, fill: [u8; 3]) -> Self {
        Picture {
            w,
            h,
            px: fill.repeat((w * h) as usize),
        }
    }

    /// Fills `x0..x1` × `y0..y1` (clipped to the picture).
    fn rect(&mut self, x0: u32, y0: u32, x1: u32, y1: u32, c: [u8; 3]) {
        for y in y0..y1.min(self.h) {
            for x in x0..x1.min(self.w) {
                let i = ((y * self.w + x) * 3) as usize;
                self.px[i..i + 3].copy_from_slice(&c);
            }
        }
    }
}

fn shade(c: [u8; 3], f: f64) -> [u8; 3] {
    c.map(|v| (f64::from(v) * f).clamp(0.0, 255.0) as u8)
}

/// A front door on a brick wall; with a parcel on the step when `delivered`, else with a
/// "sorry we missed you" card on the door.
pub(super) fn doorstep(g: &mut Gen, delivered: bool) -> Result<Vec<u8>, png::EncodingError> {
    const BRICKS: [[u8; 3]; 4] = [[150, 62, 45], [172, 88, 62], [122, 52, 40], [196, 186, 164]];
    const DOORS: [[u8; 3]; 5] = [
        [32, 48, 92],
        [140, 28, 34],
        [32, 82, 52],
        [28, 28, 30],
        [226, 226, 220],
    ];
    let (w, h) = PHOTO_SIZE;
    let brick = *g.pick(&BRICKS);
    let mut p = Picture::new(w, h, brick);
    let mortar = shade(brick, 1.45);
    for row in 0..h / 6 {
        let y = row * 6;
        p.rect(0, y, w, y + 1, mortar);
        let off = if row % 2 == 0 { 0 } else { 6 };
        for x in (off..w).step_by(12) {
            p.rect(x, y, x + 1, y + 6, mortar);
        }
    }
    let door = *g.pick(&DOORS);
    let dx = g.int(22, 36);
    p.rect(dx - 3, 3, dx + 31, 54, [236, 236, 232]);
    p.rect(dx, 6, dx + 28, 54, door);
    p.rect(dx + 3, 10, dx + 12, 28, shade(door, 1.25));
    p.rect(dx + 16, 10, dx + 25, 28, shade(door, 1.25));
    p.rect(dx + 8, 33, dx + 20, 35, [190, 190, 190]);
    p.rect(dx + 23, 38, dx + 25, 40, [212, 175, 55]);
    p.rect(0, 54, w, 56, [176, 176, 176]);
    p.rect(0, 56, w, h, [140, 140, 140]);
    if delivered {
        let (bw, bh) = (g.int(16, 24), g.int(10, 15));
        let bx = if g.chance(0.5) {
            dx + 30
        } else {
            dx.saturating_sub(bw + 2)
        };
        let top = 58 - bh;
        let cardboard = [176, 132, 82];
        p.rect(bx, top, bx + bw, 58, cardboard);
        p.rect(bx, top, bx + bw, top + 3, shade(cardboard, 1.15));
        p.rect(bx + bw / 2 - 1, top, bx + bw / 2 + 2, 58, [214, 194, 150]);
    } else {
        p.rect(dx + 9, 18, dx + 19, 24, [250, 250, 250]);
        p.rect(dx + 10, 20, dx + 18, 21, [200, 40, 40]);
    }
    encode_png(w, h, 3, &p.px)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut r = png::Decoder::new(bytes).read_info().expect("valid png");
        let mut buf = vec![0; r.output_buffer_size()];
        let info = r.next_frame(&mut buf).expect("one frame");
        (info, buf)
    }

    #[test]
    fn pictures_decode_and_are_drawn_on() {
        let mut g = Gen::new(5, 0);
        let sig = signature(&mut g).expect("encodes");
        let (info, px) = decode(&sig);
        assert_eq!((info.width, info.height), SIGNATURE_SIZE);
        let inked = px.iter().filter(|&&v| v < 128).count();
        assert!(inked > 200 && inked < px.len() / 3, "{inked} dark pixels");
        let photo = doorstep(&mut g, true).expect("encodes");
        let (info, px) = decode(&photo);
        assert_eq!((info.width, info.height), PHOTO_SIZE);
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert!(
            px.chunks(3).any(|c| c == [176, 132, 82]),
            "a parcel is drawn"
        );
        assert!(
            sig.len() < 4000 && photo.len() < 4000,
            "{} {}",
            sig.len(),
            photo.len()
        );
    }
}
