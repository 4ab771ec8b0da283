//! Delivery time windows as customers choose them: all day, a three-hour slot, or two slots.

use crate::api::model::{Minutes, TimeWindow};

use super::draw::Gen;

/// Windows for a task; when the stop is already planned to be reached at `eta`, every
/// window set chosen lets the driver serve it on arrival (one window contains `eta`).
/// About one task in five has no window.
pub(super) fn windows(g: &mut Gen, eta: Option<Minutes>) -> Vec<TimeWindow> {
    let e = eta.unwrap_or_else(|| g.int(8, 16) * 60 + g.int(0, 59));
    let hour = e / 60 * 60;
    let r = g.real(0.0, 1.0);
    if r < 0.2 {
        Vec::new()
    } else if r < 0.5 {
        vec![TimeWindow::new(hour.min(480), (hour + 60).max(1080))]
    } else if r < 0.85 {
        // A slot starting up to two hours before the arrival hour still contains it.
        let start = hour.saturating_sub(60 * g.int(0, 2)).max(hour.min(360));
        vec![TimeWindow::new(start, start + 180)]
    } else {
        let start = hour.saturating_sub(60 * g.int(0, 1));
        let slot = TimeWindow::new(start, start + 120);
        if start >= 780 {
            vec![TimeWindow::new(480, 600), slot]
        } else {
            let later = (start + 180).max(900);
            vec![slot, TimeWindow::new(later, later + 180)]
        }
    }
}

/// A tight early window that closes 20–45 minutes before `eta`: the stop will be late.
pub(super) fn too_early(g: &mut Gen, eta: Minutes) -> Vec<TimeWindow> {
    let end = eta.saturating_sub(g.int(20, 45)) / 15 * 15;
    vec![TimeWindow::new(end.saturating_sub(60), end)]
}

/// A window opening 15–25 minutes after `eta`: the driver will wait.
pub(super) fn opens_later(g: &mut Gen, eta: Minutes) -> Vec<TimeWindow> {
    let start = (eta + g.int(15, 25)).div_ceil(5) * 5;
    vec![TimeWindow::new(start, start + 120)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_windows_let_the_driver_serve_on_arrival() {
        let mut g = Gen::new(3, 0);
        for eta in (400..1300).step_by(7) {
            let ws = windows(&mut g, Some(eta));
            assert!(ws.len() <= 2);
            if !ws.is_empty() {
                let open = ws.iter().filter(|w| w.end >= eta).min_by_key(|w| w.start);
                assert!(open.is_some_and(|w| w.start <= eta), "{eta} {ws:?}");
            }
            for w in &ws {
                assert!(w.start <= w.end && w.end <= 2880, "{ws:?}");
            }
        }
        assert!(too_early(&mut g, 700)[0].end <= 680);
        assert!(opens_later(&mut g, 700)[0].start >= 715);
    }
}
