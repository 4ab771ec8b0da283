//! List queries: date, sort, limit, skip, select, filter and plain field parameters.

use serde_json::Value;

use super::model::Date;

/// A list query as the API takes it in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ListQuery {
    /// One or more dates (sent comma-separated).
    pub dates: Vec<Date>,
    /// `field` ascending or `-field` descending.
    pub sort: Option<String>,
    /// At most this many items.
    pub limit: Option<u64>,
    /// Skip this many items first.
    pub skip: Option<u64>,
    /// Only these fields (`_id` is always returned).
    pub select: Vec<String>,
    /// Mongo-style filter as JSON text.
    pub filter: Option<String>,
    /// Plain `field=value` parameters.
    pub params: Vec<(String, String)>,
}

impl ListQuery {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }
    /// Restricts to one date.
    pub fn date(mut self, d: Date) -> Self {
        self.dates = vec![d];
        self
    }
    /// Sorts by a field (`-field` for descending).
    pub fn sort(mut self, s: impl Into<String>) -> Self {
        self.sort = Some(s.into());
        self
    }
    /// Caps the count.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }
    /// Skips items.
    pub fn skip(mut self, n: u64) -> Self {
        self.skip = Some(n);
        self
    }
    /// Sets the Mongo-style filter.
    pub fn filter(mut self, f: &Value) -> Self {
        self.filter = Some(f.to_string());
        self
    }
    /// Adds a plain `field=value` parameter.
    pub fn param(mut self, k: impl Into<String>, v: impl Into<String>) -> Self {
        self.params.push((k.into(), v.into()));
        self
    }

    /// The URL query pairs, in a stable order.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !self.dates.is_empty() {
            let ds: Vec<String> = self.dates.iter().map(|d| d.as_u32().to_string()).collect();
            out.push(("date".into(), ds.join(",")));
        }
        if let Some(s) = &self.sort {
            out.push(("sort".into(), s.clone()));
        }
        if let Some(n) = self.limit {
            out.push(("limit".into(), n.to_string()));
        }
        if let Some(n) = self.skip {
            out.push(("skip".into(), n.to_string()));
        }
        if !self.select.is_empty() {
            out.push(("select".into(), self.select.join(",")));
        }
        if let Some(f) = &self.filter {
            out.push(("filter".into(), f.clone()));
        }
        out.extend(self.params.iter().cloned());
        out
    }

    /// Percent-encoded query string without the leading `?`.
    pub fn to_query_string(&self) -> String {
        self.to_pairs()
            .iter()
            .map(|(k, v)| format!("{}={}", urlencoding::encode(k), urlencoding::encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}
