//! Zones: London split into Central, North, East, South and West, plus a small restricted
//! area at the Royal Docks that needs a skill.

use serde_json::{Map, Value, json};

use crate::api::model::Zone;
use crate::api::paths::Collection;

use super::draw::Gen;

/// `(name, order, rule tags, rule skills, outline [lon, lat] without the closing point)`.
type ZoneSpec = (
    &'static str,
    i64,
    &'static [&'static str],
    &'static [&'static str],
    &'static [[f64; 2]],
);

#[rustfmt::skip]
const ZONES: [ZoneSpec; 6] = [
    ("Royal Docks restricted area", 1, &["security"], &["airside-pass"],
        &[[0.040, 51.498], [0.070, 51.498], [0.070, 51.508], [0.040, 51.508]]),
    ("Central London", 2, &["congestion-charge", "ulez"], &[],
        &[[-0.200, 51.490], [-0.070, 51.490], [-0.070, 51.535], [-0.200, 51.535]]),
    ("North London", 3, &["north"], &[],
        &[[-0.250, 51.535], [-0.030, 51.535], [-0.030, 51.700], [-0.250, 51.700]]),
    ("East London", 4, &["east"], &[],
        &[[-0.070, 51.450], [0.150, 51.450], [0.150, 51.650], [-0.030, 51.650],
          [-0.030, 51.535], [-0.070, 51.535]]),
    ("South London", 5, &["south"], &[],
        &[[-0.250, 51.380], [0.150, 51.380], [0.150, 51.450], [-0.070, 51.450],
          [-0.070, 51.490], [-0.250, 51.490]]),
    ("West London", 6, &["west"], &[],
        &[[-0.400, 51.440], [-0.250, 51.440], [-0.250, 51.490], [-0.200, 51.490],
          [-0.200, 51.535], [-0.250, 51.535], [-0.250, 51.600], [-0.400, 51.600]]),
];

/// The zone documents, each a GeoJSON `Feature` with a closed polygon ring.
pub(super) fn generate(g: &mut Gen) -> Vec<Zone> {
    ZONES
        .iter()
        .map(|&(name, order, tags, skills, outline)| {
            let mut ring: Vec<Value> = outline.iter().map(|p| json!(p)).collect();
            ring.push(json!(outline[0]));
            let mut rules = Map::new();
            rules.insert("skills".into(), json!(skills));
            rules.insert("tags".into(), json!(tags));
            Zone {
                id: Some(g.object_id()),
                uid: Some(g.uid(Collection::Zones.uid_prefix())),
                order: Some(order),
                name: Some(name.to_string()),
                tags: Some(tags.iter().map(|t| t.to_string()).collect()),
                geo_json: Some(json!({
                    "type": "Feature",
                    "properties": {"name": name},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                })),
                rules: Some(rules),
                ..Zone::default()
            }
        })
        .collect()
}
