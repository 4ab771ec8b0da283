//! The async API actor: a tokio task that owns the [`Client`] and the list cache, and talks
//! to the UI only through [`Command`]s and [`Event`]s (see `protocol.rs`).
//!
//! * `List` answers a fresh cached copy at once (`from_cache: true`), else fetches the whole
//!   list (Progress events, then Loaded). At most one fetch per [`ListKey`] is in flight;
//!   requests for a key already loading wait for that fetch.
//! * Every listed key is watched: refreshed on the interval and after any mutation that
//!   touches its collection. Those refreshes answer with request id 0.
//! * `Cancel` aborts a read in flight and drops its answer. A mutation that was sent cannot be
//!   called back, so it runs to its end (its effect is kept and caches refreshed); only its
//!   answer is dropped.
//! * A read-only actor refuses every mutation with [`ApiError::ReadOnly`].
//! * Every channel is unbounded: the actor never waits for the UI.

mod cache;
mod mutate;
mod optimize;
pub mod protocol;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};
use tokio::task::{AbortHandle, JoinSet};
use tokio::time::{Interval, MissedTickBehavior};
use tracing::{debug, warn};

use crate::api::client::{CancelToken, Client, FetchOptions, FetchProgress};
use crate::api::error::ApiError;
use crate::api::items::Items;
use crate::api::model::ProofOfDelivery;
use crate::api::paths::Collection;

pub use cache::{CacheEntry, ListCache};
pub use optimize::POLL_EVERY;
pub use protocol::{
    Command, Event, ListKey, Mutation, OptimizeRun, OptimizeScope, Outcome, RequestId,
};

/// How the actor behaves.
#[derive(Debug, Clone)]
pub struct ActorOptions {
    /// Refuse every mutation.
    pub read_only: bool,
    /// Refresh watched lists this often (`None`: only on request and after mutations).
    pub refresh_interval: Option<Duration>,
    /// How long a cached list is answered without asking the server.
    pub cache_ttl: Duration,
    /// Paging of whole-list fetches.
    pub fetch: FetchOptions,
}

impl Default for ActorOptions {
    fn default() -> Self {
        ActorOptions {
            read_only: false,
            refresh_interval: Some(Duration::from_secs(60)),
            cache_ttl: Duration::from_secs(30),
            fetch: FetchOptions::default(),
        }
    }
}

/// Starts the actor on the current tokio runtime. Send it [`Command`]s; read [`Event`]s.
/// It stops after [`Command::Shutdown`] or when the command sender is dropped, once its
/// mutations in flight have finished; then the event receiver closes.
pub fn spawn(
    client: Client,
    options: ActorOptions,
) -> (UnboundedSender<Command>, UnboundedReceiver<Event>) {
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    let (event_tx, event_rx) = mpsc::unbounded_channel();
    let actor = Actor::new(client, options, event_tx);
    tokio::spawn(actor.run(cmd_rx));
    (cmd_tx, event_rx)
}

/// What a finished job hands back.
enum Done {
    List {
        key: ListKey,
        job: u64,
        result: Result<Items, ApiError>,
    },
    Get {
        req: RequestId,
        job: u64,
        collection: Collection,
        result: Result<Value, ApiError>,
    },
    Pod {
        req: RequestId,
        job: u64,
        result: Result<Box<ProofOfDelivery>, ApiError>,
    },
    Mutate {
        req: RequestId,
        job: u64,
        mutation: Mutation,
        result: Result<Outcome, ApiError>,
    },
    Optimized {
        req: RequestId,
        job: u64,
        end: optimize::JobEnd,
    },
    Applied {
        req: RequestId,
        job: u64,
        opt_job: String,
        result: Result<Value, ApiError>,
    },
    OptCancelled {
        req: RequestId,
        job: u64,
        result: Result<Value, ApiError>,
    },
}

/// A whole-list fetch in flight and the requests waiting for it (none for a refresh).
struct ListFetch {
    job: u64,
    reqs: Vec<RequestId>,
    cancel: CancelToken,
    abort: AbortHandle,
}

/// A Get, Pod or Mutate in flight.
struct Pending {
    job: u64,
    /// `None` for mutations, which are never aborted.
    abort: Option<AbortHandle>,
    /// The UI cancelled it: its answer is dropped.
    dropped: bool,
}

/// Progress reported by a fetch job.
struct PageProgress {
    key: ListKey,
    job: u64,
    progress: FetchProgress,
}

struct Actor {
    client: Client,
    options: ActorOptions,
    events: UnboundedSender<Event>,
    cache: ListCache,
    fetches: HashMap<ListKey, ListFetch>,
    pending: HashMap<RequestId, Pending>,
    jobs: JoinSet<Done>,
    progress_tx: UnboundedSender<PageProgress>,
    progress_rx: UnboundedReceiver<PageProgress>,
    next_job: u64,
    ticker: Option<Interval>,
    stopping: bool,
}

impl Actor {
    fn new(client: Client, options: ActorOptions, events: UnboundedSender<Event>) -> Self {
        let (progress_tx, progress_rx) = mpsc::unbounded_channel();
        let ticker = options.refresh_interval.map(make_ticker);
        Actor {
            client,
            options,
            events,
            cache: ListCache::new(),
            fetches: HashMap::new(),
            pending: HashMap::new(),
            jobs: JoinSet::new(),
            progress_tx,
            progress_rx,
            next_job: 1,
            ticker,
            stopping: false,
        }
    }

    async fn run(mut self, mut commands: UnboundedReceiver<Command>) {
        loop {
            if self.stopping && self.jobs.is_empty() {
                break;
            }
            tokio::select! {
                cmd = commands.recv(), if !self.stopping => match cmd {
                    Some(cmd) => self.on_command(cmd),
                    None => self.stop(),
                },
                Some(p) = self.progress_rx.recv() => self.on_progress(p),
                Some(joined) = self.jobs.join_next(), if !self.jobs.is_empty() => match joined {
                    Ok(done) => self.on_done(done),
                    Err(e) if e.is_cancelled() => {}
                    Err(e) => warn!(error = %e, "an actor job panicked"),
                },
                _ = tick(&mut self.ticker), if !self.stopping => self.refresh_watched(),
            }
        }
        debug!("actor stopped");
    }

    fn job_id(&mut self) -> u64 {
        let id = self.next_job;
        self.next_job += 1;
        id
    }

    /// Sends an event; a UI that has gone away stops the actor.
    fn emit(&mut self, e: Event) {
        if self.events.send(e).is_err() && !self.stopping {
            debug!("the UI dropped its event receiver; stopping");
            self.stop();
        }
    }

    fn on_command(&mut self, cmd: Command) {
        match cmd {
            Command::List { req, key, force } => self.list(req, key, force),
            Command::Get {
                req,
                collection,
                id,
            } => {
                let client = self.client.clone();
                let job = self.job_id();
                let abort = self.jobs.spawn(async move {
                    let result = client.get_value(collection, &id).await;
                    Done::Get {
                        req,
                        job,
                        collection,
                        result,
                    }
                });
                self.track(req, job, Some(abort));
            }
            Command::Pod { req, task } => {
                let client = self.client.clone();
                let job = self.job_id();
                let abort = self.jobs.spawn(async move {
                    let result = client.pod(&task).await.map(Box::new);
                    Done::Pod { req, job, result }
                });
                self.track(req, job, Some(abort));
            }
            Command::Mutate { req, mutation } => self.mutate(req, mutation),
            Command::Optimize { req, run } => self.optimize(req, run),
            Command::ApplyOptimization { req, job: opt_job } => {
                if self.refuse_read_only(req, "apply an optimization") {
                    return;
                }
                let client = self.client.clone();
                let job = self.job_id();
                self.jobs.spawn(async move {
                    let result = client.apply_job(&opt_job).await;
                    Done::Applied {
                        req,
                        job,
                        opt_job,
                        result,
                    }
                });
                self.track(req, job, None);
            }
            Command::CancelOptimization { req, job: opt_job } => {
                let client = self.client.clone();
                let job = self.job_id();
                let abort = self.jobs.spawn(async move {
                    let result = client.cancel_job(&opt_job).await;
                    Done::OptCancelled { req, job, result }
                });
                self.track(req, job, Some(abort));
            }
            Command::Cancel { req } => self.cancel(req),
            Command::Unwatch { key } => {
                self.cache.unwatch(&key);
                if self.fetches.get(&key).is_some_and(|f| f.reqs.is_empty()) {
                    self.abort_fetch(&key);
                }
            }
            Command::SetRefreshInterval(every) => {
                self.options.refresh_interval = every;
                self.ticker = every.map(make_ticker);
            }
            Command::Shutdown => self.stop(),
        }
    }

    /// Remembers a Get/Pod/Mutate in flight; a request id reused while the first is in
    /// flight drops the first one's answer.
    fn track(&mut self, req: RequestId, job: u64, abort: Option<AbortHandle>) {
        self.pending.insert(
            req,
            Pending {
                job,
                abort,
                dropped: false,
            },
        );
    }

    fn list(&mut self, req: RequestId, key: ListKey, force: bool) {
        self.cache.watch(&key);
        if !force
            && let Some(entry) = self
                .cache
                .fresh(&key, self.options.cache_ttl, Instant::now())
                .cloned()
        {
            self.emit(Event::Loaded {
                req,
                key,
                items: entry.items,
                fetched_at: entry.fetched_at,
                from_cache: true,
            });
            return;
        }
        match self.fetches.get_mut(&key) {
            Some(f) => f.reqs.push(req),
            None => self.start_fetch(key, vec![req]),
        }
    }

    fn start_fetch(&mut self, key: ListKey, reqs: Vec<RequestId>) {
        let job = self.job_id();
        let cancel = CancelToken::new();
        let client = self.client.clone();
        let options = self.options.fetch;
        let progress_tx = self.progress_tx.clone();
        let (k, c) = (key.clone(), cancel.clone());
        let abort = self.jobs.spawn(async move {
            let mut report = |progress: FetchProgress| {
                // The actor outlives its jobs, so this send only fails while it shuts down.
                let _ = progress_tx.send(PageProgress {
                    key: k.clone(),
                    job,
                    progress,
                });
            };
            let result = client
                .fetch_all_raw(k.collection, &k.query, &options, &c, &mut report)
                .await;
            Done::List {
                key: k,
                job,
                result,
            }
        });
        self.fetches.insert(
            key,
            ListFetch {
                job,
                reqs,
                cancel,
                abort,
            },
        );
    }

    fn abort_fetch(&mut self, key: &ListKey) -> Option<Vec<RequestId>> {
        let f = self.fetches.remove(key)?;
        f.cancel.cancel();
        f.abort.abort();
        Some(f.reqs)
    }

    fn cancel(&mut self, req: RequestId) {
        if let Some(p) = self.pending.get_mut(&req) {
            match p.abort.take() {
                Some(abort) => {
                    abort.abort();
                    self.pending.remove(&req);
                }
                None => p.dropped = true,
            }
            return;
        }
        let Some(key) = self
            .fetches
            .iter()
            .find(|(_, f)| f.reqs.contains(&req))
            .map(|(k, _)| k.clone())
        else {
            return;
        };
        if let Some(f) = self.fetches.get_mut(&key) {
            f.reqs.retain(|r| *r != req);
            if f.reqs.is_empty() {
                self.abort_fetch(&key);
                // A list the UI never received is not worth refreshing.
                if !self.cache.has(&key) {
                    self.cache.unwatch(&key);
                }
            }
        }
    }

    fn mutate(&mut self, req: RequestId, mutation: Mutation) {
        if self.options.read_only {
            self.emit(Event::Failed {
                req,
                key: None,
                error: ApiError::ReadOnly(mutation.label()),
            });
            return;
        }
        let client = self.client.clone();
        let job = self.job_id();
        self.jobs.spawn(async move {
            let result = mutate::run(&client, &mutation).await;
            Done::Mutate {
                req,
                job,
                mutation,
                result,
            }
        });
        self.track(req, job, None);
    }

    /// Refuses a change in read-only mode; true when refused.
    fn refuse_read_only(&mut self, req: RequestId, what: &str) -> bool {
        if self.options.read_only {
            self.emit(Event::Failed {
                req,
                key: None,
                error: ApiError::ReadOnly(what.to_string()),
            });
        }
        self.options.read_only
    }

    /// Starts and watches a job; `Cancel { req }` stops the watching, not the server's job.
    fn optimize(&mut self, req: RequestId, run: OptimizeRun) {
        if self.refuse_read_only(req, "optimize") {
            return;
        }
        let client = self.client.clone();
        let events = self.events.clone();
        let job = self.job_id();
        let abort = self.jobs.spawn(async move {
            let end = optimize::watch(&client, req, &run, &events).await;
            Done::Optimized { req, job, end }
        });
        self.track(req, job, Some(abort));
    }

    fn on_progress(&mut self, p: PageProgress) {
        let reqs = match self.fetches.get(&p.key) {
            Some(f) if f.job == p.job => answer_ids(&f.reqs),
            _ => return,
        };
        for req in reqs {
            self.emit(Event::Progress {
                req,
                key: p.key.clone(),
                loaded: p.progress.loaded,
                total: p.progress.total,
            });
        }
    }

    /// Takes the pending entry of `req` if it belongs to `job`; `None` when the answer is to
    /// be dropped.
    fn claim(&mut self, req: RequestId, job: u64) -> Option<Pending> {
        match self.pending.get(&req) {
            Some(p) if p.job == job => self.pending.remove(&req),
            _ => None,
        }
    }

    fn on_done(&mut self, done: Done) {
        // A job reports its last page before it finishes, but on another channel: pass on
        // every report already sent, so no Progress is lost or comes after its Loaded.
        while let Ok(p) = self.progress_rx.try_recv() {
            self.on_progress(p);
        }
        match done {
            Done::List { key, job, result } => {
                let Some(reqs) = self
                    .fetches
                    .get(&key)
                    .filter(|f| f.job == job)
                    .map(|f| answer_ids(&f.reqs))
                else {
                    return;
                };
                self.fetches.remove(&key);
                match result {
                    Ok(items) => {
                        let entry = self.cache.put(key.clone(), items, Instant::now());
                        if !self.cache.is_watched(&key) {
                            self.cache.unwatch(&key);
                        }
                        for req in reqs {
                            self.emit(Event::Loaded {
                                req,
                                key: key.clone(),
                                items: entry.items.clone(),
                                fetched_at: entry.fetched_at,
                                from_cache: false,
                            });
                        }
                    }
                    Err(error) => {
                        for req in reqs {
                            self.emit(Event::Failed {
                                req,
                                key: Some(key.clone()),
                                error: error.clone(),
                            });
                        }
                    }
                }
            }
            Done::Get {
                req,
                job,
                collection,
                result,
            } => {
                if self.claim(req, job).is_none() {
                    return;
                }
                self.emit(match result {
                    Ok(item) => Event::Got {
                        req,
                        collection,
                        item,
                    },
                    Err(error) => Event::Failed {
                        req,
                        key: None,
                        error,
                    },
                });
            }
            Done::Pod { req, job, result } => {
                if self.claim(req, job).is_none() {
                    return;
                }
                self.emit(match result {
                    Ok(pod) => Event::PodLoaded { req, pod },
                    Err(error) => Event::Failed {
                        req,
                        key: None,
                        error,
                    },
                });
            }
            Done::Mutate {
                req,
                job,
                mutation,
                result,
            } => {
                let answer = self.claim(req, job).is_some_and(|p| !p.dropped);
                let refetch = !mutate::certainly_unchanged(&result);
                let touched = mutation.touches();
                if answer {
                    self.emit(match result {
                        Ok(outcome) => Event::Mutated {
                            req,
                            mutation,
                            outcome,
                        },
                        Err(error) => Event::Failed {
                            req,
                            key: None,
                            error,
                        },
                    });
                }
                if refetch && !self.stopping {
                    self.invalidate(&touched);
                }
            }
            Done::Optimized { req, job, end } => {
                if self.claim(req, job).is_some() {
                    self.emit(end.into_event(req));
                }
            }
            Done::Applied {
                req,
                job,
                opt_job,
                result,
            } => {
                let answer = self.claim(req, job).is_some_and(|p| !p.dropped);
                let applied = result.is_ok();
                if answer {
                    self.emit(match result {
                        Ok(answer) => Event::OptimizationApplied {
                            req,
                            job: opt_job,
                            answer,
                        },
                        Err(error) => Event::Failed {
                            req,
                            key: None,
                            error,
                        },
                    });
                }
                if applied && !self.stopping {
                    self.invalidate(&[Collection::Tasks, Collection::Routes]);
                }
            }
            Done::OptCancelled { req, job, result } => {
                // The watcher reports the cancellation itself; only a refusal is news.
                if self.claim(req, job).is_some()
                    && let Err(error) = result
                {
                    self.emit(Event::Failed {
                        req,
                        key: None,
                        error,
                    });
                }
            }
        }
    }

    /// Marks the lists of `collections` stale and refetches them: a fetch in flight is
    /// restarted (it may have read the old data) for the same requests; every other watched
    /// list is refreshed and answered with request id 0.
    fn invalidate(&mut self, collections: &[Collection]) {
        let watched = self.cache.invalidate(collections);
        let in_flight: Vec<ListKey> = self
            .fetches
            .keys()
            .filter(|k| collections.contains(&k.collection))
            .cloned()
            .collect();
        for key in &in_flight {
            let reqs = self.abort_fetch(key).unwrap_or_default();
            self.start_fetch(key.clone(), reqs);
        }
        for key in watched {
            if !self.fetches.contains_key(&key) {
                self.start_fetch(key, Vec::new());
            }
        }
    }

    /// The interval tick: refresh every watched list that is not already loading.
    fn refresh_watched(&mut self) {
        for key in self.cache.watched() {
            if !self.fetches.contains_key(&key) {
                self.start_fetch(key, Vec::new());
            }
        }
    }

    /// Stops taking commands, abandons reads, and lets mutations finish.
    fn stop(&mut self) {
        self.stopping = true;
        let keys: Vec<ListKey> = self.fetches.keys().cloned().collect();
        for key in keys {
            self.abort_fetch(&key);
        }
        self.pending.retain(|_, p| match &p.abort {
            Some(a) => {
                a.abort();
                false
            }
            None => true,
        });
    }
}

/// The request ids to answer: the waiting requests, or 0 for the actor's own refresh.
fn answer_ids(reqs: &[RequestId]) -> Vec<RequestId> {
    if reqs.is_empty() {
        vec![0]
    } else {
        reqs.to_vec()
    }
}

fn make_ticker(every: Duration) -> Interval {
    let every = every.max(Duration::from_millis(100));
    let mut t = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    t.set_missed_tick_behavior(MissedTickBehavior::Delay);
    t
}

/// The next tick, or never when refreshing is off.
async fn tick(ticker: &mut Option<Interval>) {
    match ticker {
        Some(t) => {
            t.tick().await;
        }
        None => std::future::pending::<()>().await,
    }
}
