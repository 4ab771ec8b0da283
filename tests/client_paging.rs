//! Whole lists through pages: 10,000 tasks, caps, sorting, progress and cancellation.

mod common;

use common::{client, ids_of, seed_tasks, start, stored, stored_ids};
use elogii_console::api::client::{CancelToken, FetchOptions, FetchProgress};
use elogii_console::api::error::ApiError;
use elogii_console::api::model::Date;
use elogii_console::api::paths::Collection;
use elogii_console::api::query::ListQuery;
use serde_json::json;

const DAY: u32 = 20251103;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_tasks_through_pages_equal_the_database() {
    let sb = start().await;
    let c = client(&sb);
    seed_tasks(&c, 10_000, DAY, "bulk").await;
    // A few on another day, which the date query must leave out.
    seed_tasks(&c, 7, 20251104, "other").await;

    let mut reports: Vec<FetchProgress> = Vec::new();
    let q = ListQuery::new().date(Date::from_yyyymmdd(DAY).expect("date"));
    let items = c
        .fetch_all(
            Collection::Tasks,
            &q,
            &FetchOptions {
                page_size: 700,
                concurrency: 4,
            },
            &CancelToken::new(),
            &mut |p| reports.push(p),
        )
        .await
        .expect("fetch_all");
    assert_eq!(items.len(), 10_000);
    let on_day: Vec<String> = {
        let all = stored(&sb, Collection::Tasks);
        let mut v: Vec<String> = all
            .iter()
            .filter(|d| d["date"] == json!(DAY))
            .filter_map(|d| d["_id"].as_str().map(String::from))
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids_of(&items), on_day, "the same ids as the database");
    // Pages are in _id order, so the assembled list is too.
    let ids: Vec<&str> = items.iter().filter_map(|i| i["_id"].as_str()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    // One report per page (15 pages of 700), each with the total, ending complete.
    assert_eq!(reports.len(), 15);
    assert!(reports.iter().all(|p| p.total == Some(10_000)));
    assert_eq!(reports.last().map(|p| p.loaded), Some(10_000));
    assert!(reports.windows(2).all(|w| w[0].loaded < w[1].loaded));

    // The whole collection, with a page size that does not divide it.
    let all = c
        .fetch_all(
            Collection::Tasks,
            &ListQuery::new(),
            &FetchOptions::default(),
            &CancelToken::new(),
            &mut |_| {},
        )
        .await
        .expect("fetch_all");
    assert_eq!(ids_of(&all), stored_ids(&sb, Collection::Tasks));
}

#[tokio::test]
async fn skip_limit_and_sort_bound_the_whole_result() {
    let sb = start().await;
    let c = client(&sb);
    seed_tasks(&c, 95, DAY, "s").await;
    let q = ListQuery::new().sort("-reference").skip(10).limit(50);
    let items = c
        .fetch_all(
            Collection::Tasks,
            &q,
            &FetchOptions {
                page_size: 20,
                concurrency: 3,
            },
            &CancelToken::new(),
            &mut |_| {},
        )
        .await
        .expect("fetch_all");
    let refs: Vec<&str> = items
        .iter()
        .filter_map(|i| i["reference"].as_str())
        .collect();
    let expected: Vec<String> = (0..95)
        .rev()
        .skip(10)
        .take(50)
        .map(|i| format!("s-{i:05}"))
        .collect();
    assert_eq!(refs, expected);
}

#[tokio::test]
async fn a_cancelled_fetch_stops_with_cancelled() {
    let sb = start().await;
    let c = client(&sb);
    seed_tasks(&c, 30, DAY, "c").await;
    let cancel = CancelToken::new();
    let mut pages = 0;
    let canceller = cancel.clone();
    let r = c
        .fetch_all(
            Collection::Tasks,
            &ListQuery::new(),
            &FetchOptions {
                page_size: 5,
                concurrency: 1,
            },
            &cancel,
            &mut |_| {
                pages += 1;
                // Fire after the first page: no further page is awaited.
                canceller.cancel();
            },
        )
        .await;
    assert_eq!(r.unwrap_err(), ApiError::Cancelled);
    assert_eq!(pages, 1);
}
