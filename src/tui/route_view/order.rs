//! A stop order changed on screen but not saved yet: a permutation of the route's stops as
//! the server sent them, kept across refreshes while the route still has the same stops.

/// The stops in their new order, as positions in the server's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopOrder {
    perm: Vec<usize>,
}

impl StopOrder {
    /// The server's order of `n` stops, unchanged.
    pub fn identity(n: usize) -> StopOrder {
        StopOrder {
            perm: (0..n).collect(),
        }
    }

    /// Server positions in the new order.
    pub fn positions(&self) -> &[usize] {
        &self.perm
    }

    /// Whether this is the server's order.
    pub fn is_identity(&self) -> bool {
        self.perm.iter().enumerate().all(|(i, p)| i == *p)
    }

    /// Swaps the stop at `at` with its neighbour `delta` places away (-1 up, 1 down); the
    /// stop's new place, or `None` when it is already at that end.
    pub fn shift(&mut self, at: usize, delta: isize) -> Option<usize> {
        let to = at.checked_add_signed(delta)?;
        if at >= self.perm.len() || to >= self.perm.len() {
            return None;
        }
        self.perm.swap(at, to);
        Some(to)
    }

    /// The same order over a refreshed route: `old` and `new` are the stops' task keys in the
    /// old and new server order. `None` when the route's stops changed, so the order no
    /// longer applies, or when the server now has this very order (it was saved).
    pub fn carry_over(&self, old: &[Option<String>], new: &[Option<String>]) -> Option<StopOrder> {
        if old.len() != new.len() || old.iter().any(Option::is_none) {
            return None;
        }
        let mut taken = vec![false; new.len()];
        let mut perm = Vec::with_capacity(new.len());
        for p in &self.perm {
            let key = old.get(*p)?;
            let at = (0..new.len()).find(|i| !taken[*i] && new[*i] == *key)?;
            taken[at] = true;
            perm.push(at);
        }
        let order = StopOrder { perm };
        (!order.is_identity()).then_some(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(k: &[&str]) -> Vec<Option<String>> {
        k.iter().map(|s| Some(s.to_string())).collect()
    }

    #[test]
    fn shifting_swaps_neighbours_and_stops_at_the_ends() {
        let mut o = StopOrder::identity(3);
        assert_eq!(o.shift(0, -1), None);
        assert_eq!(o.shift(2, 1), None);
        assert_eq!(o.shift(0, 1), Some(1));
        assert_eq!(o.positions(), [1, 0, 2]);
        assert!(!o.is_identity());
        assert_eq!(o.shift(1, -1), Some(0));
        assert!(o.is_identity());
    }

    #[test]
    fn an_order_follows_a_refresh_and_ends_when_saved_or_stale() {
        let mut o = StopOrder::identity(3);
        o.shift(0, 1);
        let old = keys(&["a", "b", "c"]);
        // The server re-sent the same stops in another order: the new order is kept.
        let moved = o.carry_over(&old, &keys(&["c", "a", "b"])).unwrap();
        assert_eq!(moved.positions(), [2, 1, 0]);
        // The server now has b, a, c: saved.
        assert_eq!(o.carry_over(&old, &keys(&["b", "a", "c"])), None);
        // A stop left the route: the order no longer applies.
        assert_eq!(o.carry_over(&old, &keys(&["a", "b"])), None);
        assert_eq!(o.carry_over(&old, &keys(&["a", "b", "d"])), None);
    }
}
