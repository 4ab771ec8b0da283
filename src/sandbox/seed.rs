//! Seeding a store with the demo data set, once per database.

use crate::api::paths::Collection;

use super::demo::{self, DemoOptions};
use super::store::{Store, StoreError};

/// Meta key that records the day the demo data was seeded for.
const SEEDED_KEY: &str = "demo_seeded_for";

/// Load tasks are inserted in transactions of this many.
const BATCH: usize = 5_000;

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seeded {
    /// The database already held demo data (seeded for this day, `YYYY-MM-DD`).
    Already(String),
    /// Demo data was written: this many documents.
    Now(usize),
}

/// Seeds the demo data set into `store` unless it was seeded before. Load tasks
/// (`opts.scale`) are streamed in batches so that 100,000 of them never sit in memory.
pub fn seed_demo(store: &Store, opts: &DemoOptions) -> Result<Seeded, StoreError> {
    if let Some(day) = store.read(|tx| tx.meta(SEEDED_KEY))? {
        return Ok(Seeded::Already(day));
    }
    let base = demo::generate(&DemoOptions {
        scale: None,
        ..opts.clone()
    });
    let mut n = 0;
    store.write(|tx| {
        for (c, docs) in &base.collections {
            for d in docs {
                tx.insert(*c, d)?;
                n += 1;
            }
        }
        for (task_id, pod) in &base.pods {
            tx.put_pod(task_id, pod)?;
        }
        Ok::<_, StoreError>(())
    })?;
    if let Some(scale) = opts.scale.filter(|s| *s > 0) {
        let mut tasks = demo::load_tasks(opts, scale).peekable();
        while tasks.peek().is_some() {
            store.write(|tx| {
                for t in tasks.by_ref().take(BATCH) {
                    tx.insert(Collection::Tasks, &t)?;
                    n += 1;
                }
                Ok::<_, StoreError>(())
            })?;
        }
    }
    store.write(|tx| tx.set_meta(SEEDED_KEY, &opts.today.to_string()))?;
    Ok(Seeded::Now(n))
}
