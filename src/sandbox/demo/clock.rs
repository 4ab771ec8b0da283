//! The demo's clock: London local minutes of a day turned into Unix seconds and ISO strings.
//!
//! The UK rule for summer time is written out here instead of reading the system time-zone
//! database, so the same options give the same bytes on every machine.

use crate::api::model::{Date, Minutes};

/// The moment "now" on `DemoOptions::today` that the demo's states describe: 10:00 local.
pub(super) const NOW: Minutes = 600;

/// London's offset from UTC in minutes on day `d` (60 in British Summer Time).
pub(super) fn utc_offset_minutes(d: Date) -> i64 {
    let c = d.to_civil();
    // BST runs from the last Sunday of March to the last Sunday of October; on the two
    // change-over days the clocks move at 01:00 UTC, so daytime follows the new offset.
    let last_sunday = |month: i8| {
        let last = jiff::civil::date(c.year(), month, 31);
        let back = last.weekday().to_sunday_zero_offset() as i64;
        Date::from_civil(last).add_days(-back)
    };
    let (start, end) = (last_sunday(3), last_sunday(10));
    if d >= start && d < end { 60 } else { 0 }
}

/// Unix seconds of minute `minute` (may be negative or past 1440) of local day `d`.
pub(super) fn unix(d: Date, minute: i64) -> i64 {
    let epoch = Date::from_civil(jiff::civil::date(1970, 1, 1));
    epoch.days_until(d) * 86_400 + (minute - utc_offset_minutes(d)) * 60
}

/// RFC 3339 UTC text of Unix seconds, e.g. `2025-08-22T09:41:07Z`.
pub(super) fn iso(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i16, m: i8, d: i8) -> Date {
        Date::from_civil(jiff::civil::date(y, m, d))
    }

    #[test]
    fn london_local_minutes_become_utc_seconds() {
        // 2025-01-15 09:00 GMT.
        assert_eq!(iso(unix(day(2025, 1, 15), 540)), "2025-01-15T09:00:00Z");
        // 2025-07-01 09:00 BST is 08:00 UTC.
        assert_eq!(iso(unix(day(2025, 7, 1), 540)), "2025-07-01T08:00:00Z");
        // Summer time began on Sunday 2025-03-30 and ended on Sunday 2025-10-26.
        assert_eq!(utc_offset_minutes(day(2025, 3, 29)), 0);
        assert_eq!(utc_offset_minutes(day(2025, 3, 30)), 60);
        assert_eq!(utc_offset_minutes(day(2025, 10, 25)), 60);
        assert_eq!(utc_offset_minutes(day(2025, 10, 26)), 0);
    }
}
