//! What stays the same for a whole session and every part of the UI may read: colours,
//! time zone, keys, profile.

use jiff::tz::TimeZone;

use crate::api::model::Date;

use super::keymap::Keymap;
use super::resource::CellCtx;
use super::theme::Theme;

/// The unchanging surroundings of the UI.
#[derive(Debug, Clone)]
pub struct Context {
    /// Colours (or none).
    pub theme: Theme,
    /// Time zone for clock times.
    pub tz: TimeZone,
    /// Effective keys.
    pub keymap: Keymap,
    /// Profile label for the status bar (`SANDBOX`, `prod`).
    pub profile_label: String,
    /// Whether mutations are disabled.
    pub read_only: bool,
    /// Today, for `t` and relative dates.
    pub today: Date,
    /// Whether mouse events are handled.
    pub mouse: bool,
}

impl Context {
    /// What cell formatting needs.
    pub fn cell_ctx(&self) -> CellCtx {
        CellCtx {
            tz: self.tz.clone(),
        }
    }
}
