//! Travel matrices: distance and driving time between every pair of a problem's points.
//!
//! The default is the sandbox's own [`TravelModel`] (haversine × detour at an average speed),
//! so the optimizer plans with exactly the numbers the console's ETAs show. Benchmarks use
//! plain Euclidean distance; `--osrm URL` asks an OSRM `/table` service.

use std::time::Duration;

use serde::Deserialize;

use super::OptError;
use crate::api::model::Coordinates;
use crate::sandbox::routing::TravelModel;

/// Distances and times between the points of a problem, by index.
pub trait TravelMatrix: Send + Sync {
    /// Number of points.
    fn len(&self) -> usize;
    /// Whether there are no points.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Metres from `from` to `to`.
    fn distance_m(&self, from: usize, to: usize) -> f64;
    /// Seconds of driving from `from` to `to` at normal speed.
    fn duration_s(&self, from: usize, to: usize) -> f64;
}

/// Haversine distance × detour factor at the model's average speed.
pub struct HaversineMatrix {
    points: Vec<Coordinates>,
    model: TravelModel,
}

impl HaversineMatrix {
    /// A matrix over `points` (`[longitude, latitude]`).
    pub fn new(points: Vec<Coordinates>, model: TravelModel) -> Self {
        HaversineMatrix { points, model }
    }
}

impl TravelMatrix for HaversineMatrix {
    fn len(&self) -> usize {
        self.points.len()
    }
    fn distance_m(&self, from: usize, to: usize) -> f64 {
        self.model.distance_m(self.points[from], self.points[to])
    }
    fn duration_s(&self, from: usize, to: usize) -> f64 {
        self.model.minutes(self.points[from], self.points[to]) * 60.0
    }
}

/// Straight-line distance in the plane; one unit is `metres_per_unit` metres and takes
/// `seconds_per_unit` seconds.
pub struct EuclideanMatrix {
    points: Vec<Coordinates>,
    metres_per_unit: f64,
    seconds_per_unit: f64,
}

impl EuclideanMatrix {
    /// A matrix over `points` (`[x, y]`).
    pub fn new(points: Vec<Coordinates>, metres_per_unit: f64, seconds_per_unit: f64) -> Self {
        EuclideanMatrix {
            points,
            metres_per_unit,
            seconds_per_unit,
        }
    }

    fn units(&self, from: usize, to: usize) -> f64 {
        let (a, b) = (self.points[from], self.points[to]);
        (a.lon() - b.lon()).hypot(a.lat() - b.lat())
    }
}

impl TravelMatrix for EuclideanMatrix {
    fn len(&self) -> usize {
        self.points.len()
    }
    fn distance_m(&self, from: usize, to: usize) -> f64 {
        self.units(from, to) * self.metres_per_unit
    }
    fn duration_s(&self, from: usize, to: usize) -> f64 {
        self.units(from, to) * self.seconds_per_unit
    }
}

/// A matrix held in full, row by row (what OSRM answers).
pub struct DenseMatrix {
    n: usize,
    distances: Vec<f64>,
    durations: Vec<f64>,
}

impl DenseMatrix {
    /// Builds from `n × n` row-major distances (metres) and durations (seconds).
    pub fn new(n: usize, distances: Vec<f64>, durations: Vec<f64>) -> Result<Self, OptError> {
        if distances.len() != n * n || durations.len() != n * n {
            return Err(OptError::Matrix(format!(
                "expected {n}×{n} values, got {} distances and {} durations",
                distances.len(),
                durations.len()
            )));
        }
        Ok(DenseMatrix {
            n,
            distances,
            durations,
        })
    }
}

impl TravelMatrix for DenseMatrix {
    fn len(&self) -> usize {
        self.n
    }
    fn distance_m(&self, from: usize, to: usize) -> f64 {
        self.distances[from * self.n + to]
    }
    fn duration_s(&self, from: usize, to: usize) -> f64 {
        self.durations[from * self.n + to]
    }
}

/// Where a job's travel times come from.
#[derive(Debug, Clone, PartialEq)]
pub enum MatrixSource {
    /// The sandbox's travel model (the default).
    Haversine(TravelModel),
    /// Euclidean distance in the plane.
    Euclidean {
        /// Metres per unit of distance.
        metres_per_unit: f64,
        /// Seconds per unit of distance.
        seconds_per_unit: f64,
    },
    /// An OSRM server's `/table` service at this base URL.
    Osrm(String),
}

/// Seconds and metres OSRM leaves out (`null`) for pairs it cannot route: far enough that
/// the optimizer never uses the pair.
const UNREACHABLE: f64 = 1.0e9;

impl MatrixSource {
    /// The matrix over `points`.
    pub async fn matrix(&self, points: &[Coordinates]) -> Result<Box<dyn TravelMatrix>, OptError> {
        match self {
            MatrixSource::Haversine(m) => Ok(Box::new(HaversineMatrix::new(points.to_vec(), *m))),
            MatrixSource::Euclidean {
                metres_per_unit,
                seconds_per_unit,
            } => Ok(Box::new(EuclideanMatrix::new(
                points.to_vec(),
                *metres_per_unit,
                *seconds_per_unit,
            ))),
            MatrixSource::Osrm(base) => Ok(Box::new(osrm_table(base, points).await?)),
        }
    }

    /// A label for results and logs.
    pub fn label(&self) -> &'static str {
        match self {
            MatrixSource::Haversine(_) => "haversine",
            MatrixSource::Euclidean { .. } => "euclidean",
            MatrixSource::Osrm(_) => "osrm",
        }
    }
}

#[derive(Deserialize)]
struct TableAnswer {
    code: String,
    message: Option<String>,
    durations: Option<Vec<Vec<Option<f64>>>>,
    distances: Option<Vec<Vec<Option<f64>>>>,
}

fn flatten(rows: Vec<Vec<Option<f64>>>, n: usize, what: &str) -> Result<Vec<f64>, OptError> {
    if rows.len() != n || rows.iter().any(|r| r.len() != n) {
        return Err(OptError::Matrix(format!(
            "OSRM answered a {what} table that is not {n}×{n}"
        )));
    }
    Ok(rows
        .into_iter()
        .flatten()
        .map(|v| v.unwrap_or(UNREACHABLE))
        .collect())
}

/// Asks `{base}/table/v1/driving/{lon,lat;…}?annotations=duration,distance`.
pub async fn osrm_table(base: &str, points: &[Coordinates]) -> Result<DenseMatrix, OptError> {
    let n = points.len();
    if n == 0 {
        return DenseMatrix::new(0, vec![], vec![]);
    }
    let coords: Vec<String> = points
        .iter()
        .map(|c| format!("{:.6},{:.6}", c.lon(), c.lat()))
        .collect();
    let url = format!(
        "{}/table/v1/driving/{}?annotations=duration,distance",
        base.trim_end_matches('/'),
        coords.join(";")
    );
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| OptError::Matrix(format!("cannot build the HTTP client: {e}")))?;
    let resp = client
        .get(&url)
        .send()
        .await
        .map_err(|e| OptError::Matrix(format!("OSRM at {base} did not answer: {e}")))?;
    let status = resp.status();
    let text = resp
        .text()
        .await
        .map_err(|e| OptError::Matrix(format!("OSRM answer could not be read: {e}")))?;
    let ans: TableAnswer = serde_json::from_str(&text).map_err(|e| {
        OptError::Matrix(format!(
            "OSRM answered {status} with a body that is not a table: {e}"
        ))
    })?;
    if ans.code != "Ok" {
        return Err(OptError::Matrix(format!(
            "OSRM answered {}: {}",
            ans.code,
            ans.message.unwrap_or_default()
        )));
    }
    let durations = flatten(
        ans.durations
            .ok_or_else(|| OptError::Matrix("OSRM answered without durations".into()))?,
        n,
        "duration",
    )?;
    // Older OSRM versions leave distances out: estimate them from the durations at 30 km/h.
    let distances = match ans.distances {
        Some(d) => flatten(d, n, "distance")?,
        None => durations.iter().map(|s| s * 30.0 / 3.6).collect(),
    };
    DenseMatrix::new(n, distances, durations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_the_travel_model_and_euclid_scales() {
        let a = Coordinates::new(-0.1278, 51.5074);
        let b = Coordinates::new(-0.1278, 51.5164);
        let model = TravelModel::default();
        let m = HaversineMatrix::new(vec![a, b], model);
        assert_eq!(m.distance_m(0, 1), model.distance_m(a, b));
        assert_eq!(m.duration_s(0, 1), model.minutes(a, b) * 60.0);
        assert_eq!(m.duration_s(1, 1), 0.0);
        let e = EuclideanMatrix::new(
            vec![Coordinates::new(0.0, 0.0), Coordinates::new(3.0, 4.0)],
            1000.0,
            10.0,
        );
        assert_eq!(e.distance_m(0, 1), 5000.0);
        assert_eq!(e.duration_s(1, 0), 50.0);
        assert!(DenseMatrix::new(2, vec![0.0; 3], vec![0.0; 4]).is_err());
    }
}
