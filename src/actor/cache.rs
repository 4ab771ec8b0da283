//! The actor's list cache: the last copy of every watched list, and which lists are watched.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::protocol::ListKey;
use crate::api::items::Items;
use crate::api::paths::Collection;

/// One cached list.
#[derive(Debug, Clone)]
pub struct CacheEntry {
    /// The items, shared with the events that carried them.
    pub items: Arc<Items>,
    /// Wall-clock time of the fetch, for the UI.
    pub fetched_at: SystemTime,
    /// Monotonic time of the fetch, for freshness.
    pub fetched: Instant,
    /// Set when a mutation may have changed the list.
    pub stale: bool,
}

/// Cached lists and the set of watched keys.
#[derive(Debug, Default)]
pub struct ListCache {
    entries: HashMap<ListKey, CacheEntry>,
    watched: HashSet<ListKey>,
}

impl ListCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The entry for `key` when it is neither stale nor older than `ttl` at `now`.
    pub fn fresh(&self, key: &ListKey, ttl: Duration, now: Instant) -> Option<&CacheEntry> {
        self.entries
            .get(key)
            .filter(|e| !e.stale && now.saturating_duration_since(e.fetched) < ttl)
    }

    /// Whether any copy of `key` is held, fresh or not.
    pub fn has(&self, key: &ListKey) -> bool {
        self.entries.contains_key(key)
    }

    /// Stores a fetched list and returns the shared items.
    pub fn put(&mut self, key: ListKey, items: Items, now: Instant) -> CacheEntry {
        let entry = CacheEntry {
            items: Arc::new(items),
            fetched_at: SystemTime::now(),
            fetched: now,
            stale: false,
        };
        self.entries.insert(key, entry.clone());
        entry
    }

    /// Starts watching `key` (refreshed on the interval and after mutations).
    pub fn watch(&mut self, key: &ListKey) {
        self.watched.insert(key.clone());
    }

    /// Stops watching `key` and forgets its copy.
    pub fn unwatch(&mut self, key: &ListKey) {
        self.watched.remove(key);
        self.entries.remove(key);
    }

    /// Whether `key` is watched.
    pub fn is_watched(&self, key: &ListKey) -> bool {
        self.watched.contains(key)
    }

    /// Every watched key, in a stable order.
    pub fn watched(&self) -> Vec<ListKey> {
        let mut keys: Vec<ListKey> = self.watched.iter().cloned().collect();
        keys.sort_by_key(|k| (k.collection, k.query.to_query_string()));
        keys
    }

    /// Marks every list of `collections` stale; returns the watched keys among them.
    pub fn invalidate(&mut self, collections: &[Collection]) -> Vec<ListKey> {
        for (key, entry) in self.entries.iter_mut() {
            if collections.contains(&key.collection) {
                entry.stale = true;
            }
        }
        self.watched()
            .into_iter()
            .filter(|k| collections.contains(&k.collection))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::query::ListQuery;
    use serde_json::json;

    fn items(values: Vec<serde_json::Value>) -> Items {
        Items::from(values)
    }

    fn key(c: Collection) -> ListKey {
        ListKey::new(c, ListQuery::new().sort("uid"))
    }

    #[test]
    fn fresh_until_ttl_or_invalidation() {
        let mut c = ListCache::new();
        let t0 = Instant::now();
        let k = key(Collection::Tasks);
        assert!(c.fresh(&k, Duration::from_secs(10), t0).is_none());
        c.put(k.clone(), items(vec![json!({"_id": "a"})]), t0);
        assert_eq!(
            c.fresh(&k, Duration::from_secs(10), t0 + Duration::from_secs(5))
                .map(|e| e.items.len()),
            Some(1)
        );
        assert!(
            c.fresh(&k, Duration::from_secs(10), t0 + Duration::from_secs(11))
                .is_none()
        );
        c.invalidate(&[Collection::Tasks]);
        assert!(c.fresh(&k, Duration::from_secs(10), t0).is_none());
        assert!(c.has(&k), "a stale copy is still held");
    }

    #[test]
    fn invalidation_reports_only_watched_keys_of_the_touched_collections() {
        let mut c = ListCache::new();
        let (t, r, d) = (
            key(Collection::Tasks),
            key(Collection::Routes),
            key(Collection::Drivers),
        );
        for k in [&t, &r, &d] {
            c.watch(k);
            c.put(k.clone(), Items::new(), Instant::now());
        }
        c.unwatch(&r);
        assert_eq!(
            c.invalidate(&[Collection::Tasks, Collection::Routes]),
            vec![t.clone()]
        );
        let now = Instant::now();
        assert!(c.fresh(&d, Duration::from_secs(60), now).is_some());
        assert!(!c.has(&r));
    }
}
