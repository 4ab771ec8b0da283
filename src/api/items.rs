//! A list's items kept as the server's JSON text: a parsed `Value` of a task takes ten
//! times its text, so whole lists stay raw and items are parsed when someone looks at them.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// The items of a list, each as its raw JSON text, with their `_id`s read once.
#[derive(Clone, Default)]
pub struct Items {
    raw: Vec<Box<RawValue>>,
    ids: Vec<Option<Box<str>>>,
}

/// Just the `_id` of an item; every other field is skipped, not built.
#[derive(Deserialize)]
struct IdOnly {
    #[serde(rename = "_id")]
    id: Option<Value>,
}

/// The `_id` of a raw item when it is a string.
fn read_id(raw: &RawValue) -> Option<Box<str>> {
    let only: IdOnly = serde_json::from_str(raw.get()).ok()?;
    match only.id? {
        Value::String(s) => Some(s.into_boxed_str()),
        _ => None,
    }
}

impl Items {
    /// No items.
    pub fn new() -> Items {
        Items::default()
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Appends one raw item.
    pub fn push(&mut self, raw: Box<RawValue>) {
        self.ids.push(read_id(&raw));
        self.raw.push(raw);
    }

    /// Takes the last item off.
    pub fn pop(&mut self) -> Option<Box<RawValue>> {
        self.ids.pop();
        self.raw.pop()
    }

    /// The JSON text of item `i`.
    pub fn raw(&self, i: usize) -> Option<&str> {
        self.raw.get(i).map(|r| r.get())
    }

    /// Item `i`, parsed now (the caller owns and drops it).
    pub fn value(&self, i: usize) -> Option<Value> {
        // The text was validated when it arrived, so parsing it again cannot fail.
        serde_json::from_str(self.raw.get(i)?.get()).ok()
    }

    /// The `_id` of item `i`, when it has a string one.
    pub fn id(&self, i: usize) -> Option<&str> {
        self.ids.get(i)?.as_deref()
    }

    /// The index of the item whose `_id` is `id`.
    pub fn position_of_id(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|i| i.as_deref() == Some(id))
    }

    /// Every item, parsed one after another.
    pub fn values(&self) -> impl Iterator<Item = Value> + '_ {
        (0..self.len()).filter_map(|i| self.value(i))
    }
}

impl FromIterator<Box<RawValue>> for Items {
    fn from_iter<I: IntoIterator<Item = Box<RawValue>>>(iter: I) -> Items {
        let mut items = Items::new();
        for raw in iter {
            items.push(raw);
        }
        items
    }
}

impl From<Vec<Value>> for Items {
    fn from(values: Vec<Value>) -> Items {
        values
            .iter()
            // A `Value` always serializes (its keys are strings), so nothing is dropped.
            .filter_map(|v| serde_json::value::to_raw_value(v).ok())
            .collect()
    }
}

impl fmt::Debug for Items {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Items({})", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).expect("valid JSON")
    }

    #[test]
    fn keeps_the_text_as_it_came() {
        let text = r#"{"_id":"a1","z":1,"a":[true, null],"note":"é \"q\""}"#;
        let items: Items = [raw(text)].into_iter().collect();
        assert_eq!(items.len(), 1);
        assert_eq!(
            items.raw(0),
            Some(text),
            "byte for byte, spacing and key order kept"
        );
        assert_eq!(items.raw(1), None);
    }

    #[test]
    fn reads_string_ids_only() {
        let items: Items = [
            r#"{"_id":"a1","big":{"_id":"inner"}}"#,
            r#"{"uid":"no id"}"#,
            r#"{"_id":7}"#,
            r#"{"_id":null}"#,
            r#"[1,2]"#,
        ]
        .into_iter()
        .map(raw)
        .collect();
        let ids: Vec<_> = (0..items.len()).map(|i| items.id(i)).collect();
        assert_eq!(ids, [Some("a1"), None, None, None, None]);
        assert_eq!(items.position_of_id("a1"), Some(0));
        assert_eq!(
            items.position_of_id("inner"),
            None,
            "nested ids are not the item's"
        );
    }

    #[test]
    fn parses_on_demand_in_order() {
        let values = vec![
            json!({"_id": "b", "n": 2, "a": {"z": 1, "y": 2}}),
            json!({"_id": "a", "n": 1}),
        ];
        let items = Items::from(values.clone());
        assert_eq!(items.value(0), Some(values[0].clone()));
        assert_eq!(items.value(2), None);
        assert_eq!(items.values().collect::<Vec<_>>(), values);
        let keys: Vec<String> = items
            .value(0)
            .and_then(|v| v["a"].as_object().cloned())
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["z", "y"], "field order survives the round trip");
        assert_eq!(items.id(1), Some("a"));
    }
}
