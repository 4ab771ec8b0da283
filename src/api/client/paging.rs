//! Whole lists through `limit`/`skip` pages: several pages in flight, progress, cancel.

use std::collections::HashSet;

use futures::StreamExt;
use serde_json::Value;
use serde_json::value::RawValue;
use tracing::warn;

use super::{CancelToken, Client};
use crate::api::error::ApiError;
use crate::api::items::Items;
use crate::api::paths::Collection;
use crate::api::query::ListQuery;

/// How [`Client::fetch_all`] pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchOptions {
    /// Items per page.
    pub page_size: u64,
    /// Pages in flight at once.
    pub concurrency: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            page_size: 1000,
            concurrency: 4,
        }
    }
}

/// How far a whole-list fetch has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchProgress {
    /// Distinct items received so far.
    pub loaded: usize,
    /// Items expected in all, when the server sent `X-Total-Count`.
    pub total: Option<usize>,
}

/// One page to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Items to skip.
    pub skip: u64,
    /// Items to take.
    pub limit: u64,
}

/// The pages after the first one, given where the list starts (`base`), the page size,
/// the server's total of matching items and an optional cap on how many the caller wants.
/// The first page covered `base..base + page_size`.
pub fn plan_pages(base: u64, page_size: u64, total: u64, cap: Option<u64>) -> Vec<PageRequest> {
    let page_size = page_size.max(1);
    let end = match cap {
        Some(c) => total.min(base.saturating_add(c)),
        None => total,
    };
    let mut out = Vec::new();
    let mut skip = base.saturating_add(page_size);
    while skip < end {
        out.push(PageRequest {
            skip,
            limit: page_size.min(end - skip),
        });
        skip += page_size;
    }
    out
}

/// The items gathered so far, each `_id` once.
#[derive(Default)]
struct Gathered {
    items: Items,
    seen: HashSet<Box<str>>,
}

impl Gathered {
    /// Adds a page; returns how many items were new.
    fn add(&mut self, page: Vec<Box<RawValue>>) -> usize {
        let before = self.items.len();
        for raw in page {
            self.items.push(raw);
            let last = self.items.len() - 1;
            // Without an id there is nothing to compare; the item stays.
            if let Some(id) = self.items.id(last)
                && !self.seen.insert(id.into())
            {
                self.items.pop();
            }
        }
        self.items.len() - before
    }
}

/// Runs `fut` unless `cancel` fires first.
async fn unless_cancelled<T>(
    cancel: &CancelToken,
    fut: impl Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(ApiError::Cancelled),
        r = fut => r,
    }
}

impl Client {
    /// [`Client::fetch_all_raw`] with every item parsed, for callers that want `Value`s.
    pub async fn fetch_all(
        &self,
        collection: Collection,
        query: &ListQuery,
        options: &FetchOptions,
        cancel: &CancelToken,
        progress: &mut (dyn FnMut(FetchProgress) + Send),
    ) -> Result<Vec<Value>, ApiError> {
        let items = self
            .fetch_all_raw(collection, query, options, cancel, progress)
            .await?;
        Ok(items.values().collect())
    }

    /// Fetches every item of `collection` matching `query` (its `skip` and `limit`, when set,
    /// bound the whole result), page by page. Pages are sorted by `_id` unless the query sorts,
    /// so that they do not shift between requests; items are de-duplicated by `_id`. With the
    /// first page's `X-Total-Count` the rest are fetched `options.concurrency` at a time;
    /// without it, one after another until a short page. `progress` is called after every page.
    /// Items stay unparsed JSON text: a whole list of parsed `Value`s takes ten times more.
    pub async fn fetch_all_raw(
        &self,
        collection: Collection,
        query: &ListQuery,
        options: &FetchOptions,
        cancel: &CancelToken,
        progress: &mut (dyn FnMut(FetchProgress) + Send),
    ) -> Result<Items, ApiError> {
        let page_size = options.page_size.max(1);
        let base = query.skip.unwrap_or(0);
        let cap = query.limit;
        let mut paged = query.clone();
        if paged.sort.is_none() {
            paged.sort = Some("_id".into());
        }
        let page_query = |skip: u64, limit: u64| {
            let mut q = paged.clone();
            q.skip = (skip > 0).then_some(skip);
            q.limit = Some(limit);
            q
        };

        let mut got = Gathered::default();
        let first_limit = cap.map_or(page_size, |c| c.min(page_size));
        if first_limit == 0 {
            return Ok(Items::new());
        }
        let first_q = page_query(base, first_limit);
        let (first, total) = unless_cancelled(cancel, self.list_raw(collection, &first_q)).await?;
        let first_len = first.len() as u64;
        got.add(first);
        let expected = total.map(|t| {
            let t = t.saturating_sub(base);
            cap.map_or(t, |c| t.min(c)) as usize
        });
        progress(FetchProgress {
            loaded: got.items.len(),
            total: expected,
        });
        if first_len < first_limit {
            return Ok(got.items);
        }

        match total {
            Some(total) => {
                let pages = plan_pages(base, page_size, total, cap);
                let mut stream = futures::stream::iter(pages.into_iter().map(|p| {
                    let q = page_query(p.skip, p.limit);
                    async move { self.list_raw(collection, &q).await }
                }))
                .buffered(options.concurrency.max(1));
                while let Some(page) =
                    unless_cancelled(cancel, async { Ok(stream.next().await) }).await?
                {
                    let (items, _) = page?;
                    got.add(items);
                    progress(FetchProgress {
                        loaded: got.items.len(),
                        total: expected,
                    });
                }
            }
            None => {
                let mut skip = base + first_limit;
                loop {
                    let limit = match cap {
                        Some(c) => page_size.min((base + c).saturating_sub(skip)),
                        None => page_size,
                    };
                    if limit == 0 {
                        break;
                    }
                    let q = page_query(skip, limit);
                    let (items, _) =
                        unless_cancelled(cancel, self.list_raw(collection, &q)).await?;
                    let len = items.len() as u64;
                    let new = got.add(items);
                    progress(FetchProgress {
                        loaded: got.items.len(),
                        total: None,
                    });
                    if len < limit {
                        break;
                    }
                    if new == 0 {
                        // A full page of items we already have: the server ignores `skip`.
                        warn!(%collection, skip, "server repeated a page; it may not support skip");
                        break;
                    }
                    skip += limit;
                }
            }
        }
        Ok(got.items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::client::{ApiKey, ClientConfig};
    use axum::extract::Query;
    use serde_json::json;
    use std::collections::HashMap;

    /// A bare list endpoint that sends no `X-Total-Count`, as a server might; with
    /// `honour_skip` false it answers the first page whatever `skip` says.
    async fn headerless_server(
        n: usize,
        honour_skip: bool,
    ) -> (Client, tokio::task::JoinHandle<()>) {
        let items: Vec<Value> = (0..n).map(|i| json!({"_id": format!("{i:04}")})).collect();
        let app = axum::Router::new().route(
            "/tasks",
            axum::routing::get(move |Query(q): Query<HashMap<String, String>>| {
                let items = items.clone();
                async move {
                    let num =
                        |k: &str, d: usize| q.get(k).and_then(|v| v.parse().ok()).unwrap_or(d);
                    let skip = if honour_skip { num("skip", 0) } else { 0 };
                    let limit = num("limit", usize::MAX);
                    let page: Vec<Value> = items.into_iter().skip(skip).take(limit).collect();
                    axum::Json(page)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let client = Client::new(ClientConfig::new(
            format!("http://{addr}"),
            ApiKey::new("k"),
        ))
        .expect("client");
        (client, task)
    }

    #[tokio::test]
    async fn without_a_total_pages_run_one_after_another_until_a_short_page() {
        let (client, server) = headerless_server(25, true).await;
        let mut seen = Vec::new();
        let items = client
            .fetch_all(
                Collection::Tasks,
                &ListQuery::new(),
                &FetchOptions {
                    page_size: 10,
                    concurrency: 4,
                },
                &CancelToken::new(),
                &mut |p| seen.push(p),
            )
            .await
            .expect("fetch");
        assert_eq!(items.len(), 25);
        let loaded: Vec<usize> = seen.iter().map(|p| p.loaded).collect();
        assert_eq!(loaded, [10, 20, 25]);
        assert!(seen.iter().all(|p| p.total.is_none()));
        server.abort();
    }

    #[tokio::test]
    async fn raw_lists_keep_the_servers_text_and_read_each_id() {
        let (client, server) = headerless_server(15, true).await;
        let items = client
            .fetch_all_raw(
                Collection::Tasks,
                &ListQuery::new(),
                &FetchOptions {
                    page_size: 10,
                    concurrency: 2,
                },
                &CancelToken::new(),
                &mut |_| {},
            )
            .await
            .expect("fetch");
        assert_eq!(items.len(), 15);
        assert_eq!(items.raw(3), Some(r#"{"_id":"0003"}"#));
        assert_eq!(items.id(14), Some("0014"));
        assert_eq!(items.value(0), Some(json!({"_id": "0000"})));
        server.abort();
    }

    #[tokio::test]
    async fn a_server_that_ignores_skip_does_not_loop_forever() {
        let (client, server) = headerless_server(25, false).await;
        let items = client
            .fetch_all(
                Collection::Tasks,
                &ListQuery::new(),
                &FetchOptions {
                    page_size: 10,
                    concurrency: 1,
                },
                &CancelToken::new(),
                &mut |_| {},
            )
            .await
            .expect("fetch");
        assert_eq!(
            items.len(),
            10,
            "the repeated page is recognised and dropped"
        );
        server.abort();
    }

    #[test]
    fn plans_the_remaining_pages_from_the_total() {
        assert_eq!(
            plan_pages(0, 1000, 2500, None),
            vec![
                PageRequest {
                    skip: 1000,
                    limit: 1000
                },
                PageRequest {
                    skip: 2000,
                    limit: 500
                },
            ]
        );
        assert_eq!(plan_pages(0, 1000, 1000, None), vec![]);
        assert_eq!(plan_pages(0, 1000, 300, None), vec![]);
    }

    #[test]
    fn plans_within_skip_and_cap() {
        // Items 50..2050 wanted, 3000 exist: the first page took 50..1050.
        assert_eq!(
            plan_pages(50, 1000, 3000, Some(2000)),
            vec![PageRequest {
                skip: 1050,
                limit: 1000
            }]
        );
        // Cap beyond the total: the total wins.
        assert_eq!(
            plan_pages(0, 10, 25, Some(1000)),
            vec![
                PageRequest {
                    skip: 10,
                    limit: 10
                },
                PageRequest { skip: 20, limit: 5 }
            ]
        );
        // A zero page size is treated as one.
        assert_eq!(plan_pages(0, 0, 3, None).len(), 2);
    }

    fn page(texts: &[&str]) -> Vec<Box<RawValue>> {
        texts
            .iter()
            .map(|t| RawValue::from_string(t.to_string()).expect("valid JSON"))
            .collect()
    }

    #[test]
    fn gathered_keeps_each_id_once_in_first_seen_order() {
        let mut g = Gathered::default();
        assert_eq!(g.add(page(&[r#"{"_id":"a"}"#, r#"{"_id":"b","v":1}"#])), 2);
        assert_eq!(
            g.add(page(&[
                r#"{"_id":"b","v":2}"#,
                r#"{"_id":"c"}"#,
                r#"{"x":1}"#,
                r#"{"x":1}"#
            ])),
            3,
            "items without an id are all kept"
        );
        let ids: Vec<_> = (0..g.items.len())
            .map(|i| g.items.id(i).unwrap_or("-"))
            .collect();
        assert_eq!(ids, ["a", "b", "c", "-", "-"]);
        assert_eq!(
            g.items.raw(1),
            Some(r#"{"_id":"b","v":1}"#),
            "the first copy of an id wins, untouched"
        );
    }
}
