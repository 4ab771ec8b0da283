//! Value types shared by every entity: dates, time windows, coordinates, locations.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::validate::{Problems, Validate};

/// Fields a model does not know, kept so that a read-modify-write never drops them.
pub type Extra = Map<String, Value>;

/// A calendar day on the wire as the integer `YYYYMMDD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(u32);

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {input:?}: {reason}")]
pub struct DateError {
    input: String,
    reason: String,
}

impl Date {
    /// Builds a date from its parts, checking that the day exists.
    pub fn from_ymd(year: i16, month: i8, day: i8) -> Result<Self, DateError> {
        let input = format!("{year:04}-{month:02}-{day:02}");
        // Plain words rather than the calendar library's range message, so the reason fits
        // under a form field.
        jiff::civil::Date::new(year, month, day).map_err(|_| DateError {
            input,
            reason: if (1..=12).contains(&month) {
                format!("{year:04}-{month:02} has no day {day}")
            } else {
                format!("there is no month {month}")
            },
        })?;
        if !(1900..=2999).contains(&year) {
            return Err(DateError {
                input: format!("{year:04}{month:02}{day:02}"),
                reason: "year must be between 1900 and 2999".into(),
            });
        }
        Ok(Date(year as u32 * 10_000 + month as u32 * 100 + day as u32))
    }

    /// Reads the wire integer `YYYYMMDD`.
    pub fn from_yyyymmdd(n: u32) -> Result<Self, DateError> {
        let (y, m, d) = (n / 10_000, (n / 100) % 100, n % 100);
        if !(19_000_101..=29_991_231).contains(&n) {
            return Err(DateError {
                input: n.to_string(),
                reason: "expected an integer YYYYMMDD such as 20250822".into(),
            });
        }
        Self::from_ymd(y as i16, m as i8, d as i8).map_err(|e| DateError {
            input: n.to_string(),
            reason: e.reason,
        })
    }

    /// Parses `YYYY-MM-DD`, `YYYYMMDD`, `today`, `tomorrow` or `yesterday` relative to `today`.
    pub fn parse_relative(s: &str, today: Date) -> Result<Self, DateError> {
        let t = s.trim();
        match t.to_ascii_lowercase().as_str() {
            "today" => return Ok(today),
            "tomorrow" => return Ok(today.add_days(1)),
            "yesterday" => return Ok(today.add_days(-1)),
            _ => {}
        }
        t.parse()
    }

    /// Today's date in the machine's local time zone.
    pub fn today() -> Self {
        Self::from_civil(jiff::Zoned::now().date())
    }

    /// The wire integer.
    pub fn as_u32(self) -> u32 {
        self.0
    }

    /// Converts to a jiff civil date.
    pub fn to_civil(self) -> jiff::civil::Date {
        // The invariant of Date is that it names a real day, so this cannot fail.
        jiff::civil::Date::new(
            (self.0 / 10_000) as i16,
            ((self.0 / 100) % 100) as i8,
            (self.0 % 100) as i8,
        )
        .unwrap_or(jiff::civil::Date::constant(2000, 1, 1))
    }

    /// Converts from a jiff civil date.
    pub fn from_civil(d: jiff::civil::Date) -> Self {
        Date(d.year() as u32 * 10_000 + d.month() as u32 * 100 + d.day() as u32)
    }

    /// The date `n` days later (or earlier when negative).
    pub fn add_days(self, n: i64) -> Self {
        self.to_civil()
            .checked_add(jiff::Span::new().days(n))
            .map(Self::from_civil)
            .unwrap_or(self)
    }

    /// Three-letter weekday name as the API writes it (`Mon` … `Sun`).
    pub fn weekday_name(self) -> &'static str {
        use jiff::civil::Weekday::*;
        match self.to_civil().weekday() {
            Monday => "Mon",
            Tuesday => "Tue",
            Wednesday => "Wed",
            Thursday => "Thu",
            Friday => "Fri",
            Saturday => "Sat",
            Sunday => "Sun",
        }
    }

    /// Days from `self` to `other`.
    pub fn days_until(self, other: Date) -> i64 {
        self.to_civil()
            .until(other.to_civil())
            .map(|s| s.get_days() as i64)
            .unwrap_or(0)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let err = |reason: &str| DateError {
            input: t.to_string(),
            reason: reason.to_string(),
        };
        if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
            let n: u32 = t.parse().map_err(|_| err("not a number"))?;
            return Self::from_yyyymmdd(n);
        }
        let parts: Vec<&str> = t.split('-').collect();
        if parts.len() == 3 && parts[0].len() == 4 && parts[1].len() <= 2 && parts[2].len() <= 2 {
            let y = parts[0].parse().map_err(|_| err("year is not a number"))?;
            let m = parts[1].parse().map_err(|_| err("month is not a number"))?;
            let d = parts[2].parse().map_err(|_| err("day is not a number"))?;
            return Self::from_ymd(y, m, d);
        }
        Err(err("expected YYYY-MM-DD or YYYYMMDD"))
    }
}

impl fmt::Display for Date {
    /// Shows `YYYY-MM-DD`, the form people type.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0 / 10_000,
            (self.0 / 100) % 100,
            self.0 % 100
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.0)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        match Value::deserialize(d)? {
            Value::Number(n) => {
                let n = n
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| {
                        D::Error::custom(format!("invalid date {n}: expected YYYYMMDD"))
                    })?;
                Date::from_yyyymmdd(n).map_err(D::Error::custom)
            }
            Value::String(s) => s.parse().map_err(D::Error::custom),
            other => Err(D::Error::custom(format!(
                "invalid date {other}: expected an integer YYYYMMDD"
            ))),
        }
    }
}

/// Minutes from midnight; values past 1440 mean the next day.
pub type Minutes = u32;

/// Formats minutes from midnight as `HH:MM` (`28:00` for 04:00 the next day).
pub fn fmt_minutes(m: Minutes) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Parses `HH:MM` (hours may exceed 23 for overnight ends) into minutes from midnight.
pub fn parse_minutes(s: &str) -> Result<Minutes, String> {
    let t = s.trim();
    let (h, m) = t
        .split_once(':')
        .ok_or_else(|| format!("invalid time {t:?}: expected HH:MM"))?;
    let h: u32 = h
        .parse()
        .map_err(|_| format!("invalid time {t:?}: hours are not a number"))?;
    let m: u32 = m
        .parse()
        .map_err(|_| format!("invalid time {t:?}: minutes are not a number"))?;
    if m >= 60 {
        return Err(format!("invalid time {t:?}: minutes must be below 60"));
    }
    let total = h * 60 + m;
    if total > 2880 {
        return Err(format!("invalid time {t:?}: must be at most 48:00"));
    }
    Ok(total)
}

/// When a stop may be served: `{start, end}` in minutes from midnight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TimeWindow {
    /// Earliest minute, 0–1440.
    pub start: Minutes,
    /// Latest minute, 0–2880 (past 1440 is the next day).
    pub end: Minutes,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl TimeWindow {
    /// A window from `start` to `end` minutes.
    pub fn new(start: Minutes, end: Minutes) -> Self {
        TimeWindow {
            start,
            end,
            extra: Extra::new(),
        }
    }

    /// Parses `HH:MM-HH:MM` (also with an en dash).
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim().replace('–', "-");
        let (a, b) = t
            .split_once('-')
            .ok_or_else(|| format!("invalid time window {s:?}: expected HH:MM-HH:MM"))?;
        let w = TimeWindow::new(parse_minutes(a)?, parse_minutes(b)?);
        let mut p = Problems::default();
        w.validate(&mut p, "");
        match p.into_first() {
            Some(e) => Err(e.message),
            None => Ok(w),
        }
    }

    /// Whether minute `m` lies inside the window.
    pub fn contains(&self, m: Minutes) -> bool {
        m >= self.start && m <= self.end
    }
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", fmt_minutes(self.start), fmt_minutes(self.end))
    }
}

impl Validate for TimeWindow {
    fn validate(&self, p: &mut Problems, path: &str) {
        if self.start > 1440 {
            p.push(
                path,
                format!(
                    "time window start {} is past 1440 (24:00); use 0–1440",
                    self.start
                ),
            );
        }
        if self.end > 2880 {
            p.push(
                path,
                format!(
                    "time window end {} is past 2880 (48:00); use 0–2880",
                    self.end
                ),
            );
        }
        if self.end < self.start {
            p.push(
                path,
                format!(
                    "time window ends ({}) before it starts ({})",
                    fmt_minutes(self.end),
                    fmt_minutes(self.start)
                ),
            );
        }
    }
}

/// `{startDate, endDate}` with both days inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DateRange {
    /// First day.
    pub start_date: Date,
    /// Last day.
    pub end_date: Date,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl DateRange {
    /// Whether `d` falls inside the range.
    pub fn contains(&self, d: Date) -> bool {
        d >= self.start_date && d <= self.end_date
    }
}

impl Validate for DateRange {
    fn validate(&self, p: &mut Problems, path: &str) {
        if self.end_date < self.start_date {
            p.push(
                path,
                format!(
                    "date range ends ({}) before it starts ({})",
                    self.end_date, self.start_date
                ),
            );
        }
    }
}

/// `[longitude, latitude]` in GeoJSON order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates(pub [f64; 2]);

impl Coordinates {
    /// Builds from longitude and latitude.
    pub fn new(lon: f64, lat: f64) -> Self {
        Coordinates([lon, lat])
    }
    /// Longitude in degrees.
    pub fn lon(&self) -> f64 {
        self.0[0]
    }
    /// Latitude in degrees.
    pub fn lat(&self) -> f64 {
        self.0[1]
    }
    /// Great-circle distance in metres.
    pub fn haversine_m(&self, other: &Coordinates) -> f64 {
        const R: f64 = 6_371_008.8;
        let (la1, la2) = (self.lat().to_radians(), other.lat().to_radians());
        let dla = la2 - la1;
        let dlo = (other.lon() - self.lon()).to_radians();
        let a = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        2.0 * R * a.sqrt().asin()
    }
}

impl fmt::Display for Coordinates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.6}, {:.6}", self.lat(), self.lon())
    }
}

impl Validate for Coordinates {
    fn validate(&self, p: &mut Problems, path: &str) {
        let (lon, lat) = (self.lon(), self.lat());
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            p.push(
                path,
                format!(
                    "longitude {lon} is outside -180..180 (coordinates are [longitude, latitude])"
                ),
            );
        }
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            p.push(
                path,
                format!(
                    "latitude {lat} is outside -90..90 (coordinates are [longitude, latitude])"
                ),
            );
        }
    }
}

/// The location object shared by tasks, drivers, customers and exceptions.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// 0 depot, 1 customer location, 2 one-off address; others kept as sent.
    #[serde(rename = "type")]
    pub kind: Option<i64>,
    /// UID of the depot or customer location (types 0 and 1).
    pub uid: Option<String>,
    /// Location name.
    pub name: Option<String>,
    /// First address line.
    pub address: Option<String>,
    /// Second address line.
    pub address_line2: Option<String>,
    /// Postcode.
    pub post_code: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// what3words code.
    pub what3words: Option<String>,
    /// `[longitude, latitude]`.
    pub coordinates: Option<Coordinates>,
    /// On-site contact name.
    pub contact_name: Option<String>,
    /// On-site contact phone.
    pub contact_phone: Option<String>,
    /// On-site contact e-mail.
    pub contact_email: Option<String>,
    /// Driver instructions.
    pub instructions: Option<String>,
    /// Minutes to set up on site.
    pub setup_duration: Option<f64>,
    /// Minutes of service on site.
    pub service_duration: Option<f64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Location {
    /// A short one-line label: name, else address, else coordinates.
    pub fn label(&self) -> String {
        if let Some(n) = self.name.as_deref().filter(|s| !s.is_empty()) {
            return n.to_string();
        }
        if let Some(a) = self.address.as_deref().filter(|s| !s.is_empty()) {
            return a.to_string();
        }
        self.coordinates
            .map(|c| c.to_string())
            .or_else(|| self.uid.clone())
            .unwrap_or_default()
    }
}

impl Validate for Location {
    fn validate(&self, p: &mut Problems, path: &str) {
        if let Some(k) = self.kind {
            if !(0..=3).contains(&k) {
                p.push(
                    &join(path, "type"),
                    format!("location type {k} is not one of 0–3"),
                );
            }
            if (k == 0 || k == 1) && self.uid.as_deref().unwrap_or("").is_empty() {
                p.push(
                    &join(path, "uid"),
                    "a depot (type 0) or customer location (type 1) needs its uid".to_string(),
                );
            }
        }
        if let Some(c) = &self.coordinates {
            c.validate(p, &join(path, "coordinates"));
        }
        for (name, v) in [
            ("setupDuration", self.setup_duration),
            ("serviceDuration", self.service_duration),
        ] {
            if let Some(v) = v
                && (!v.is_finite() || v < 0.0)
            {
                p.push(
                    &join(path, name),
                    format!("{name} must be zero or more minutes, got {v}"),
                );
            }
        }
    }
}

/// A reference to another entity by any of its keys.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EntityRef {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// Alternative spelling of the server id used by some payloads.
    #[serde(rename = "id")]
    pub plain_id: Option<String>,
    /// Readable UID.
    pub uid: Option<String>,
    /// Caller's reference.
    pub reference: Option<String>,
    /// Display name, when the server embeds one.
    pub name: Option<String>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EntityRef {
    /// The first key that is set: `_id`, `id`, `uid`, then `reference`.
    pub fn key(&self) -> Option<&str> {
        self.id
            .as_deref()
            .or(self.plain_id.as_deref())
            .or(self.uid.as_deref())
            .or(self.reference.as_deref())
    }
}

/// Joins a field path: `join("items[0]", "date")` is `items[0].date`.
pub fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// Serde helpers for values the API sends in more than one form.
pub mod lenient {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    /// Reads a count sent as a number or a numeric string (`"result": "1"`).
    pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        use serde::de::Error;
        match Value::deserialize(d)? {
            Value::Number(n) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
                .ok_or_else(|| D::Error::custom(format!("expected a count, got {n}"))),
            Value::String(s) => s
                .trim()
                .parse()
                .map_err(|_| D::Error::custom(format!("expected a count, got {s:?}"))),
            Value::Null => Ok(0),
            other => Err(D::Error::custom(format!("expected a count, got {other}"))),
        }
    }

    /// Like [`count`] for an optional field.
    pub fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        count(d).map(Some)
    }
}
