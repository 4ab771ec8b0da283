//! Where things go on the screen. Both drawing and input (page size, mouse clicks) use
//! these same rectangles, so they always agree.

use ratatui::layout::{Margin, Rect};

/// Narrowest usable terminal.
pub const MIN_WIDTH: u16 = 60;
/// Shortest usable terminal.
pub const MIN_HEIGHT: u16 = 15;

/// Whether the terminal is too small to draw the console.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The parts of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Tab bar (top line).
    pub tabs: Rect,
    /// Stale-data banner, when shown.
    pub banner: Option<Rect>,
    /// The framed table or item view.
    pub body: Rect,
    /// Status bar or prompt (bottom line).
    pub status: Rect,
}

impl Areas {
    /// Splits `area`; `banner` reserves a line for the stale-data banner.
    pub fn new(area: Rect, banner: bool) -> Areas {
        let line = |y: u16| Rect::new(area.x, y, area.width, 1.min(area.height));
        let tabs = line(area.y);
        let status = line(area.bottom().saturating_sub(1));
        let mut top = area.y + 1;
        let banner = banner.then(|| {
            top += 1;
            line(area.y + 1)
        });
        let body = Rect::new(area.x, top, area.width, status.y.saturating_sub(top));
        Areas {
            tabs,
            banner,
            body,
            status,
        }
    }

    /// Inside the body frame: the table (header and rows) or the item text.
    pub fn inner(&self) -> Rect {
        self.body.inner(Margin::new(1, 1))
    }

    /// The table rows under the header.
    pub fn table_rows(&self) -> Rect {
        let inner = self.inner();
        Rect::new(
            inner.x,
            inner.y + 1,
            inner.width,
            inner.height.saturating_sub(1),
        )
    }

    /// Rows of the table on screen.
    pub fn table_page(&self) -> usize {
        self.table_rows().height.max(1) as usize
    }

    /// Lines of the item view on screen.
    pub fn text_page(&self) -> usize {
        self.inner().height.max(1) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_stack_without_overlap() {
        let a = Areas::new(Rect::new(0, 0, 120, 30), false);
        assert_eq!(a.tabs, Rect::new(0, 0, 120, 1));
        assert_eq!(a.body, Rect::new(0, 1, 120, 28));
        assert_eq!(a.status, Rect::new(0, 29, 120, 1));
        assert_eq!(a.table_rows(), Rect::new(1, 3, 118, 25));
        assert_eq!(a.table_page(), 25);
        let b = Areas::new(Rect::new(0, 0, 120, 30), true);
        assert_eq!(b.banner, Some(Rect::new(0, 1, 120, 1)));
        assert_eq!(b.body, Rect::new(0, 2, 120, 27));
        assert_eq!(b.table_page(), 24);
    }

    #[test]
    fn minimum_size() {
        assert!(too_small(Rect::new(0, 0, 59, 40)));
        assert!(too_small(Rect::new(0, 0, 100, 14)));
        assert!(!too_small(Rect::new(0, 0, 60, 15)));
    }
}
