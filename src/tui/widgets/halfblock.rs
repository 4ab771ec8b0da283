//! Pictures drawn with text: every terminal cell shows two pixels stacked, as an upper half
//! block `▀` whose foreground is the upper pixel and whose background the lower one. It
//! needs nothing but 24-bit colour, so it works in any modern terminal and over SSH.

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::tui::picture::Picture;

/// The upper half block.
pub const HALF: &str = "▀";

/// The picture shrunk to fit `cols` × `rows` cells (aspect ratio kept: a cell is about
/// twice as tall as wide, so its two halves are square pixels), as lines of half blocks.
pub fn halfblock_lines(picture: &Picture, cols: u16, rows: u16) -> Vec<Line<'static>> {
    let (w, h) = picture.fit(u32::from(cols.max(1)), u32::from(rows.max(1)) * 2);
    let small = picture.scaled(w, h);
    (0..h.div_ceil(2))
        .map(|row| {
            let spans: Vec<Span<'static>> = (0..w)
                .map(|x| {
                    let upper = rgb(small.pixel(x, row * 2));
                    // An odd last row has no lower pixel: the terminal's own background.
                    let lower = if row * 2 + 1 < h {
                        rgb(small.pixel(x, row * 2 + 1))
                    } else {
                        Color::Reset
                    };
                    Span::styled(HALF, Style::new().fg(upper).bg(lower))
                })
                .collect();
            Line::from(spans)
        })
        .collect()
}

fn rgb([r, g, b]: [u8; 3]) -> Color {
    Color::Rgb(r, g, b)
}

#[cfg(test)]
mod tests {
    use png::{BitDepth, ColorType};

    use super::*;
    use crate::tui::picture::tests::encode;

    fn colours(line: &Line) -> Vec<(Option<Color>, Option<Color>)> {
        line.spans
            .iter()
            .map(|s| {
                assert_eq!(s.content, HALF);
                (s.style.fg, s.style.bg)
            })
            .collect()
    }

    #[test]
    fn a_two_by_two_png_is_one_cell_row_with_upper_fg_and_lower_bg() {
        // Top row red, green; bottom row blue, white.
        let png = encode(
            2,
            2,
            ColorType::Rgb,
            BitDepth::Eight,
            &[255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255],
            None,
        );
        let pic = Picture::from_png(&png).unwrap();
        let lines = halfblock_lines(&pic, 10, 10);
        assert_eq!(lines.len(), 1);
        assert_eq!(
            colours(&lines[0]),
            vec![
                (Some(Color::Rgb(255, 0, 0)), Some(Color::Rgb(0, 0, 255))),
                (Some(Color::Rgb(0, 255, 0)), Some(Color::Rgb(255, 255, 255))),
            ]
        );
    }

    #[test]
    fn an_odd_last_row_leaves_the_lower_half_to_the_terminal() {
        let pic = Picture::from_rgb(1, 3, vec![[1, 1, 1], [2, 2, 2], [3, 3, 3]]).unwrap();
        let lines = halfblock_lines(&pic, 5, 5);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            colours(&lines[1]),
            vec![(Some(Color::Rgb(3, 3, 3)), Some(Color::Reset))]
        );
    }

    #[test]
    fn a_big_picture_is_shrunk_into_the_cells_with_its_proportions() {
        // 160×60 pixels into 40 columns × 40 rows: 40 pixels wide, 15 tall, 8 cell rows.
        let pic = Picture::from_rgb(160, 60, vec![[9, 9, 9]; 160 * 60]).unwrap();
        let lines = halfblock_lines(&pic, 40, 40);
        assert_eq!(lines.len(), 8);
        assert!(lines.iter().all(|l| l.spans.len() == 40));
        // Limited by height instead: 10 rows = 20 pixels → 53 wide.
        let lines = halfblock_lines(&pic, 200, 10);
        assert_eq!(lines.len(), 10);
        assert_eq!(lines[0].spans.len(), 53);
    }
}
