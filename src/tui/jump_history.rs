//! Where jumps (`gr`, `gd`, Enter on a stop) came from, so that Esc or Backspace returns
//! there: a short stack of (from, to) places.

use crate::api::paths::Collection;

/// How many jumps are remembered; older ones are forgotten.
const DEPTH: usize = 32;

/// What was on screen in a tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceView {
    /// The table.
    Table,
    /// One item's detail (or JSON).
    Item,
    /// The route detail of this route (`_id` or UID).
    Route(String),
}

/// A place to come back to: a tab, its selected item and what was open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The tab.
    pub collection: Collection,
    /// `_id` of the selected item.
    pub selected: Option<String>,
    /// What was open.
    pub view: PlaceView,
}

impl Place {
    /// Whether `other` shows the same view of the same tab (the selection may differ).
    pub fn same_view(&self, other: &Place) -> bool {
        self.collection == other.collection && self.view == other.view
    }
}

#[derive(Debug, Clone)]
struct Jump {
    from: Place,
    to: Place,
}

/// The jumps made, newest last.
#[derive(Debug, Clone, Default)]
pub struct JumpHistory {
    jumps: Vec<Jump>,
}

impl JumpHistory {
    /// Remembers a jump from `from` to `to`.
    pub fn push(&mut self, from: Place, to: Place) {
        if self.jumps.len() == DEPTH {
            self.jumps.remove(0);
        }
        self.jumps.push(Jump { from, to });
    }

    /// Whether `here` is where the last jump landed (so Esc there goes back).
    pub fn arrived_at(&self, here: &Place) -> bool {
        self.jumps.last().is_some_and(|j| j.to.same_view(here))
    }

    /// Forgets the last jump and says where it came from.
    pub fn back(&mut self) -> Option<Place> {
        self.jumps.pop().map(|j| j.from)
    }

    /// Number of jumps remembered.
    pub fn len(&self) -> usize {
        self.jumps.len()
    }

    /// Whether no jump is remembered.
    pub fn is_empty(&self) -> bool {
        self.jumps.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(c: Collection, sel: &str, view: PlaceView) -> Place {
        Place {
            collection: c,
            selected: Some(sel.into()),
            view,
        }
    }

    #[test]
    fn back_returns_the_places_in_reverse_and_only_arrival_counts() {
        let mut h = JumpHistory::default();
        let task = place(Collection::Tasks, "t1", PlaceView::Table);
        let route = place(Collection::Routes, "r1", PlaceView::Route("r1".into()));
        let driver = place(Collection::Drivers, "d1", PlaceView::Table);
        h.push(task.clone(), route.clone());
        h.push(route.clone(), driver.clone());
        assert!(h.arrived_at(&place(Collection::Drivers, "d2", PlaceView::Table)));
        assert!(!h.arrived_at(&route));
        assert_eq!(h.back(), Some(route.clone()));
        assert!(h.arrived_at(&route));
        assert_eq!(h.back(), Some(task));
        assert_eq!(h.back(), None);
        assert!(h.is_empty());
    }

    #[test]
    fn only_the_newest_jumps_are_kept() {
        let mut h = JumpHistory::default();
        for i in 0..DEPTH + 5 {
            let p = place(Collection::Tasks, &i.to_string(), PlaceView::Table);
            h.push(p.clone(), p);
        }
        assert_eq!(h.len(), DEPTH);
        let oldest = std::iter::from_fn(|| h.back()).last().unwrap();
        assert_eq!(oldest.selected.as_deref(), Some("5"));
    }
}
