//! Zones: GeoJSON areas with rules for the tasks inside them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::common::{Coordinates, Extra, join};
use super::validate::{Problems, Validate};

/// A zone.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Zone {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `ZON-XXXXXXXX` (prefix chosen by the sandbox).
    pub uid: Option<String>,
    /// Priority when zones overlap.
    pub order: Option<i64>,
    /// Name (required).
    pub name: Option<String>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Boundary: a GeoJSON `Feature` or `FeatureCollection`.
    #[serde(rename = "geoJSON")]
    pub geo_json: Option<Value>,
    /// Rules for tasks in the zone.
    pub rules: Option<Map<String, Value>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Zone {
    /// Every polygon ring of the zone as coordinate lists (outer rings first).
    pub fn rings(&self) -> Vec<Vec<Coordinates>> {
        let mut out = Vec::new();
        if let Some(g) = &self.geo_json {
            collect_rings(g, &mut out);
        }
        out
    }

    /// Whether a point lies in any of the zone's polygons (outer rings, even-odd rule).
    pub fn contains(&self, c: Coordinates) -> bool {
        self.rings().iter().any(|r| point_in_ring(c, r))
    }
}

/// Reads a GeoJSON file's text as a zone boundary: a Polygon or MultiPolygon becomes a
/// Feature; a Feature or FeatureCollection of them is kept as it is. Anything else, and
/// any ring the API would refuse, is an error in words.
pub fn area_from_geojson(text: &str) -> Result<Value, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let kind = |g: &Value| g.get("type").and_then(Value::as_str).map(str::to_string);
    let polygonal = |g: Option<&Value>, what: &str| match g.and_then(kind).as_deref() {
        Some("Polygon" | "MultiPolygon") => Ok(()),
        Some(other) => Err(format!(
            "{what} is a {other}, not a Polygon or MultiPolygon"
        )),
        None => Err(format!("{what} has no geometry type")),
    };
    let area = match kind(&v).as_deref() {
        Some("Polygon" | "MultiPolygon") => {
            serde_json::json!({"type": "Feature", "properties": {}, "geometry": v})
        }
        Some("Feature") => {
            polygonal(v.get("geometry"), "the feature")?;
            v
        }
        Some("FeatureCollection") => {
            let feats = v
                .get("features")
                .and_then(Value::as_array)
                .filter(|f| !f.is_empty())
                .ok_or("the FeatureCollection has no features")?;
            for (i, f) in feats.iter().enumerate() {
                polygonal(f.get("geometry"), &format!("feature {}", i + 1))?;
            }
            v
        }
        Some(other) => {
            return Err(format!(
                "a GeoJSON {other} is not an area; use a Polygon, MultiPolygon, Feature or \
                 FeatureCollection"
            ));
        }
        None => return Err("not GeoJSON: no \"type\"".into()),
    };
    let zone = Zone {
        geo_json: Some(area),
        ..Zone::default()
    };
    match zone.problems().into_iter().next() {
        Some(p) => Err(p.message),
        None => Ok(zone.geo_json.unwrap_or_default()),
    }
}

fn collect_rings(g: &Value, out: &mut Vec<Vec<Coordinates>>) {
    let ring = |v: &Value| -> Vec<Coordinates> {
        v.as_array()
            .map(|pts| {
                pts.iter()
                    .filter_map(|p| {
                        let a = p.as_array()?;
                        Some(Coordinates::new(a.first()?.as_f64()?, a.get(1)?.as_f64()?))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    match g.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => {
            for f in g
                .get("features")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                collect_rings(f, out);
            }
        }
        Some("Feature") => {
            if let Some(geom) = g.get("geometry") {
                collect_rings(geom, out);
            }
        }
        Some("Polygon") => {
            if let Some(first) = g
                .get("coordinates")
                .and_then(Value::as_array)
                .and_then(|r| r.first())
            {
                out.push(ring(first));
            }
        }
        Some("MultiPolygon") => {
            for poly in g
                .get("coordinates")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(first) = poly.as_array().and_then(|r| r.first()) {
                    out.push(ring(first));
                }
            }
        }
        _ => {}
    }
}

fn point_in_ring(c: Coordinates, ring: &[Coordinates]) -> bool {
    let (x, y) = (c.lon(), c.lat());
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi, xj, yj) = (ring[i].lon(), ring[i].lat(), ring[j].lon(), ring[j].lat());
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn validate_geometry(g: &Value, p: &mut Problems, path: &str) {
    let Some(t) = g.get("type").and_then(Value::as_str) else {
        p.push(&join(path, "type"), "geometry needs a \"type\"".into());
        return;
    };
    let polys: Vec<&Value> = match t {
        "Polygon" => g.get("coordinates").into_iter().collect(),
        "MultiPolygon" => g
            .get("coordinates")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        other => {
            p.push(
                &join(path, "type"),
                format!("geometry type {other:?} is not supported; use Polygon or MultiPolygon"),
            );
            return;
        }
    };
    if polys.is_empty() {
        p.push(
            &join(path, "coordinates"),
            "polygon has no coordinates".into(),
        );
    }
    for poly in polys {
        let Some(rings) = poly.as_array().filter(|r| !r.is_empty()) else {
            p.push(
                &join(path, "coordinates"),
                "polygon needs at least one ring".into(),
            );
            continue;
        };
        for r in rings {
            let pts: Vec<Option<(f64, f64)>> = r
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|pt| {
                            let a = pt.as_array()?;
                            Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
            if pts.iter().any(Option::is_none) {
                p.push(
                    &join(path, "coordinates"),
                    "every point must be [longitude, latitude]".into(),
                );
                continue;
            }
            let pts: Vec<(f64, f64)> = pts.into_iter().flatten().collect();
            if pts.len() < 4 {
                p.push(
                    &join(path, "coordinates"),
                    "a ring needs at least 4 points".into(),
                );
            } else if pts.first() != pts.last() {
                p.push(
                    &join(path, "coordinates"),
                    "a ring must be closed: its last point must equal its first".into(),
                );
            }
            for (lon, lat) in pts {
                if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                    p.push(
                        &join(path, "coordinates"),
                        format!("point [{lon}, {lat}] is not a valid [longitude, latitude]"),
                    );
                    break;
                }
            }
        }
    }
}

impl Validate for Zone {
    fn validate(&self, p: &mut Problems, path: &str) {
        let gp = join(path, "geoJSON");
        let Some(g) = &self.geo_json else {
            return;
        };
        match g.get("type").and_then(Value::as_str) {
            Some("Feature") => match g.get("geometry") {
                Some(geom) => validate_geometry(geom, p, &join(&gp, "geometry")),
                None => p.push(&gp, "a Feature needs a geometry".into()),
            },
            Some("FeatureCollection") => {
                let feats = g.get("features").and_then(Value::as_array);
                match feats.filter(|f| !f.is_empty()) {
                    None => p.push(
                        &join(&gp, "features"),
                        "a FeatureCollection needs a non-empty features array".into(),
                    ),
                    Some(fs) => {
                        for (i, f) in fs.iter().enumerate() {
                            let fp = format!("{gp}.features[{i}]");
                            match f.get("geometry") {
                                Some(geom) => validate_geometry(geom, p, &join(&fp, "geometry")),
                                None => p.push(&fp, "a Feature needs a geometry".into()),
                            }
                        }
                    }
                }
            }
            _ => p.push(
                &join(&gp, "type"),
                "geoJSON type must be \"Feature\" or \"FeatureCollection\"".into(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RING: &str = "[[[-0.6, 51.2], [-0.5, 51.2], [-0.5, 51.3], [-0.6, 51.2]]]";

    #[test]
    fn geojson_files_become_zone_areas() {
        let poly = format!(r#"{{"type": "Polygon", "coordinates": {RING}}}"#);
        let area = area_from_geojson(&poly).unwrap();
        assert_eq!(area["type"], "Feature");
        assert_eq!(area["geometry"]["type"], "Polygon");
        let multi = format!(r#"{{"type": "MultiPolygon", "coordinates": [{RING}]}}"#);
        assert_eq!(
            area_from_geojson(&multi).unwrap()["geometry"]["type"],
            "MultiPolygon"
        );
        let fc = format!(
            r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature", "geometry": {poly}}}]}}"#
        );
        let kept: Value = serde_json::from_str(&fc).unwrap();
        assert_eq!(area_from_geojson(&fc).unwrap(), kept);
        let zone = Zone {
            geo_json: Some(area),
            ..Zone::default()
        };
        assert!(zone.contains(Coordinates::new(-0.52, 51.22)));
    }

    #[test]
    fn non_areas_are_refused_in_words() {
        let err = |t: &str| area_from_geojson(t).unwrap_err();
        assert!(err("{nope").contains("not valid JSON"));
        assert!(
            err(r#"{"type": "Point", "coordinates": [0, 0]}"#).contains("Point is not an area")
        );
        let line = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}
        ]});
        assert!(err(&line.to_string()).contains("feature 1 is a LineString"));
        let open = r#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}"#;
        assert!(err(open).contains("closed"));
        assert!(err("[]").contains("no \"type\""));
    }
}
