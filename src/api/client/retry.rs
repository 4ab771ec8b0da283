//! When a failed request is sent again, and how long to wait first.
//!
//! Which requests are repeated after an answer or a failure that leaves their fate unknown
//! (429, 500/502/503/504, a timeout, a connection that broke after the request went out):
//!
//! | Request                                   | Repeated | Why                                                       |
//! |-------------------------------------------|----------|-----------------------------------------------------------|
//! | every GET (lists, items, POD, jobs)       | yes      | reads change nothing                                      |
//! | `PUT /{c}/{id}`                           | yes      | sets the same fields to the same values again             |
//! | `DELETE /{c}/{id}`, `removeMany`          | yes      | a second delete finds nothing more to delete              |
//! | `updateMany`                              | yes      | items are named by `_id`/`uid`; the same changes again    |
//! | `createOrUpdateMany` with a `match`       | yes      | the second send matches what the first one created        |
//! | `createOrUpdateMany` without a `match`    | no       | nothing to match on: a second send creates duplicates     |
//! | tasks `cancel`, `moveToDate`, `reattempt` | yes      | they set a state or a date; again gives the same result   |
//! | tasks `startTracking`                     | yes      | tracking that is on stays on                              |
//! | routes `clear`, `lock`, `unlock`          | yes      | they set a state; again gives the same result             |
//! | routes `setPlannedETAs`, `setOrder`       | yes      | they store a value computed from the same route           |
//! | optimization job `cancel`                 | yes      | a cancelled job stays cancelled                           |
//! | `POST /{c}`, `createMany`                 | **no**   | each send creates new items                               |
//! | tasks `createReturn`                      | **no**   | each send creates another return task                     |
//! | `scheduleForDates` (both template kinds)  | **no**   | each send creates another set of routes or tasks          |
//! | task-template group `addTasks`            | **no**   | each send appends the templates again                     |
//! | optimization runs, job `apply`            | **no**   | each run starts a job; an apply writes routes again       |
//!
//! A request that never reached the server (the connection could not be opened) is sent
//! again whatever its kind: it was sent zero times, so a retry is its first delivery.

use std::time::{Duration, SystemTime};

/// Whether a request may be delivered twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Sending it twice has the same effect as once (see the table above).
    Safe,
    /// Sending it twice would do the work twice; it is only resent when it never left.
    Never,
}

/// How an attempt went wrong, as far as the retry decision cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The connection could not be opened: the server saw nothing.
    NotSent,
    /// The request went out, but the connection broke or timed out before a full answer.
    Broken,
    /// The server answered with this status (and `Retry-After`, when it sent one).
    Status(u16, Option<Duration>),
}

/// Backoff settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Wait before the first retry; doubled for each following one.
    pub base_delay: Duration,
    /// Longest wait between two attempts that the client chooses itself.
    pub max_delay: Duration,
    /// Longest `Retry-After` the client waits for; a longer one is reported at once.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 6,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (`attempt` counts from 0), or `None` when the
    /// failure is to be reported. `jitter` is a random number in `0.0..=1.0`.
    pub fn next_delay(
        &self,
        attempt: u32,
        repeat: Repeat,
        failure: Failure,
        jitter: f64,
    ) -> Option<Duration> {
        if attempt >= self.max_retries {
            return None;
        }
        let backoff = self.backoff(attempt, jitter);
        match failure {
            Failure::NotSent => Some(backoff),
            Failure::Broken if repeat == Repeat::Safe => Some(backoff),
            Failure::Broken => None,
            Failure::Status(_, _) if repeat == Repeat::Never => None,
            Failure::Status(429, Some(after)) if after > self.max_retry_after => None,
            // Retry-After is the server's own figure: wait that long, plus a little jitter so
            // that parallel pages do not all come back in the same millisecond.
            Failure::Status(429, Some(after)) => {
                Some(after + self.base_delay.mul_f64(jitter.clamp(0.0, 1.0)))
            }
            Failure::Status(s, _) if is_retryable_status(s) => Some(backoff),
            Failure::Status(_, _) => None,
        }
    }

    /// Exponential backoff with "equal jitter": between half and all of `base * 2^attempt`,
    /// capped at `max_delay`.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX));
        let capped = exp.min(self.max_delay);
        capped.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// Statuses that say "not now" rather than "no": rate limits and a server that is failing
/// or overloaded. 500 is included because our sandbox (and real servers under load) answer
/// it for passing faults; for requests that are safe to repeat a retry costs nothing. 501
/// (not implemented) and 505 are permanent and not retried.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// Reads `Retry-After`: seconds, or an HTTP date (RFC 9110 IMF-fixdate) relative to `now`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = v.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let when = jiff::fmt::rfc2822::parse(v).ok()?.timestamp();
    let now = jiff::Timestamp::try_from(now).ok()?;
    let secs = now.until(when).ok()?.total(jiff::Unit::Second).ok()?;
    Some(Duration::from_secs_f64(secs.max(0.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            max_retry_after: Duration::from_secs(30),
        }
    }

    #[test]
    fn safe_requests_retry_transient_statuses_and_broken_connections() {
        let p = policy();
        for f in [
            Failure::Status(429, None),
            Failure::Status(500, None),
            Failure::Status(502, None),
            Failure::Status(503, None),
            Failure::Status(504, None),
            Failure::Broken,
            Failure::NotSent,
        ] {
            assert!(p.next_delay(0, Repeat::Safe, f, 0.5).is_some(), "{f:?}");
        }
    }

    #[test]
    fn permanent_statuses_are_never_retried() {
        let p = policy();
        for s in [400, 401, 403, 404, 409, 413, 422, 501] {
            assert_eq!(
                p.next_delay(0, Repeat::Safe, Failure::Status(s, None), 0.5),
                None
            );
        }
    }

    #[test]
    fn unsafe_requests_are_only_resent_when_they_never_left() {
        let p = policy();
        assert_eq!(p.next_delay(0, Repeat::Never, Failure::Broken, 0.5), None);
        assert_eq!(
            p.next_delay(0, Repeat::Never, Failure::Status(503, None), 0.5),
            None
        );
        assert_eq!(
            p.next_delay(
                0,
                Repeat::Never,
                Failure::Status(429, Some(Duration::from_secs(1))),
                0.5
            ),
            None
        );
        assert!(
            p.next_delay(0, Repeat::Never, Failure::NotSent, 0.5)
                .is_some()
        );
    }

    #[test]
    fn gives_up_after_max_retries() {
        let p = policy();
        assert!(
            p.next_delay(2, Repeat::Safe, Failure::Broken, 0.0)
                .is_some()
        );
        assert_eq!(p.next_delay(3, Repeat::Safe, Failure::Broken, 0.0), None);
    }

    #[test]
    fn backoff_doubles_within_jitter_bounds_and_is_capped() {
        let p = policy();
        assert_eq!(p.backoff(0, 0.0), Duration::from_millis(50));
        assert_eq!(p.backoff(0, 1.0), Duration::from_millis(100));
        assert_eq!(p.backoff(2, 1.0), Duration::from_millis(400));
        assert_eq!(p.backoff(2, 0.0), Duration::from_millis(200));
        assert_eq!(p.backoff(10, 1.0), Duration::from_millis(1000));
        assert_eq!(p.backoff(40, 1.0), Duration::from_millis(1000));
    }

    #[test]
    fn retry_after_is_honoured_and_too_long_ones_are_reported() {
        let p = policy();
        let d = p
            .next_delay(
                0,
                Repeat::Safe,
                Failure::Status(429, Some(Duration::from_secs(2))),
                0.0,
            )
            .unwrap_or_default();
        assert_eq!(d, Duration::from_secs(2));
        assert_eq!(
            p.next_delay(
                0,
                Repeat::Safe,
                Failure::Status(429, Some(Duration::from_secs(3600))),
                0.0
            ),
            None
        );
    }

    #[test]
    fn parses_retry_after_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21 07:28:00 UTC
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
