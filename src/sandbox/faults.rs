//! Fault injection: answer some requests with 429, 500, a delay, or a dropped connection,
//! so clients can be tested against a misbehaving server. Faults strike before the handler
//! runs, so a request answered with a fault changed nothing.

use std::time::Duration;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde_json::json;

/// One kind of fault.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// Answer 429 Too Many Requests with `Retry-After`.
    RateLimit,
    /// Answer 500.
    ServerError,
    /// Wait this long before handling.
    Delay(Duration),
    /// Send headers, then break the connection.
    Drop,
}

/// Faults with the share of requests each one hits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    entries: Vec<(Fault, f64)>,
}

fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (num, unit) = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map(|i| s.split_at(i))
        .unwrap_or((s, "ms"));
    let n: f64 = num
        .parse()
        .map_err(|_| format!("delay {s:?}: expected a number with ms or s, e.g. 300ms"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        other => return Err(format!("delay {s:?}: unknown unit {other:?}; use ms or s")),
    };
    Ok(Duration::from_secs_f64(secs))
}

impl FaultPlan {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Whether any fault is configured.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Parses `429:0.2,500:0.1,delay=300ms:0.3,drop:0.05`.
    pub fn parse(spec: &str) -> Result<FaultPlan, String> {
        let mut entries = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (what, share) = part
                .rsplit_once(':')
                .ok_or_else(|| format!("fault {part:?}: expected FAULT:SHARE, e.g. 500:0.1"))?;
            let share: f64 = share
                .parse()
                .ok()
                .filter(|s: &f64| (0.0..=1.0).contains(s))
                .ok_or_else(|| format!("fault {part:?}: the share must be a number from 0 to 1"))?;
            let fault = match what {
                "429" => Fault::RateLimit,
                "500" => Fault::ServerError,
                "drop" => Fault::Drop,
                d if d.starts_with("delay=") => Fault::Delay(parse_duration(&d[6..])?),
                other => {
                    return Err(format!(
                        "fault {other:?} is unknown; use 429, 500, drop or delay=DURATION"
                    ));
                }
            };
            entries.push((fault, share));
        }
        let exclusive: f64 = entries
            .iter()
            .filter(|(f, _)| !matches!(f, Fault::Delay(_)))
            .map(|(_, s)| s)
            .sum();
        if exclusive > 1.0 {
            return Err(format!(
                "the shares of 429, 500 and drop add up to {exclusive}, more than 1"
            ));
        }
        Ok(FaultPlan { entries })
    }

    /// Draws the faults for one request: a delay (each delay entry drawn on its own) and at
    /// most one of 429 / 500 / drop.
    pub fn draw(&self, rng: &mut impl Rng) -> (Duration, Option<Fault>) {
        let mut delay = Duration::ZERO;
        for (f, share) in &self.entries {
            if let Fault::Delay(d) = f
                && rng.random::<f64>() < *share
            {
                delay += *d;
            }
        }
        let roll: f64 = rng.random();
        let mut acc = 0.0;
        for (f, share) in &self.entries {
            if matches!(f, Fault::Delay(_)) {
                continue;
            }
            acc += share;
            if roll < acc {
                return (delay, Some(*f));
            }
        }
        (delay, None)
    }
}

/// Middleware applying the plan to every request.
pub async fn inject(State(plan): State<FaultPlan>, req: Request, next: Next) -> Response {
    let (delay, fault) = plan.draw(&mut rand::rng());
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match fault {
        None | Some(Fault::Delay(_)) => next.run(req).await,
        Some(Fault::RateLimit) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "1")],
            Json(json!({"status": 429, "error": "rate_limited", "message": "too many requests (injected fault); retry after 1 second"})),
        )
            .into_response(),
        Some(Fault::ServerError) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"status": 500, "error": "internal", "message": "internal server error (injected fault)"})),
        )
            .into_response(),
        Some(Fault::Drop) => {
            let broken = futures::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "connection dropped (injected fault)",
                ))
            });
            Response::new(Body::from_stream(broken))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn parses_the_documented_spec() {
        let p = FaultPlan::parse("429:0.2,500:0.1,delay=300ms:0.3,drop:0.05");
        assert_eq!(
            p.map(|p| p.entries),
            Ok(vec![
                (Fault::RateLimit, 0.2),
                (Fault::ServerError, 0.1),
                (Fault::Delay(Duration::from_millis(300)), 0.3),
                (Fault::Drop, 0.05)
            ])
        );
        assert!(FaultPlan::parse("teapot:0.1").is_err());
        assert!(FaultPlan::parse("500:2").is_err());
        assert!(FaultPlan::parse("500:0.6,429:0.6").is_err());
        assert!(FaultPlan::parse("delay=3h:0.1").is_err());
    }

    #[test]
    fn draws_close_to_the_shares() {
        let p = FaultPlan::parse("429:0.2,500:0.1,drop:0.05").unwrap_or_default();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let n = 20_000;
        let hits = (0..n)
            .filter(|_| p.draw(&mut rng).1 == Some(Fault::RateLimit))
            .count();
        let share = hits as f64 / n as f64;
        assert!((0.18..0.22).contains(&share), "{share}");
    }
}
