//! The Mongo-style query subset the API documents: `$eq $ne $gt $gte $lt $lte $in $nin
//! $regex $exists $and $or $nor $not`, dot paths through objects and arrays, plus sorting
//! and `select` projection.

use std::cmp::Ordering;

use regex::{Regex, RegexBuilder};
use serde_json::{Map, Value};
use thiserror::Error;

/// A filter that cannot be used.
#[derive(Debug, Error, PartialEq)]
pub enum FilterError {
    /// The filter text is not JSON.
    #[error("filter is not valid JSON: {0}")]
    Json(String),
    /// The filter is JSON but not a filter object.
    #[error("filter must be a JSON object such as {{\"state\": 60}}, got {0}")]
    NotObject(String),
    /// An operator we do not support.
    #[error(
        "unsupported filter operator {0:?}; use $eq $ne $gt $gte $lt $lte $in $nin $regex $exists $and $or $nor $not"
    )]
    Operator(String),
    /// An operator with the wrong kind of operand.
    #[error("{op} needs {what}")]
    Operand {
        /// Operator.
        op: String,
        /// What it needs.
        what: &'static str,
    },
    /// A regular expression that does not compile.
    #[error("invalid $regex {pattern:?}: {message}")]
    Regex {
        /// Pattern.
        pattern: String,
        /// Why.
        message: String,
    },
}

/// One condition on a field's value(s).
#[derive(Debug, Clone)]
pub enum Cond {
    /// `$eq`
    Eq(Value),
    /// `$ne`
    Ne(Value),
    /// `$gt`
    Gt(Value),
    /// `$gte`
    Gte(Value),
    /// `$lt`
    Lt(Value),
    /// `$lte`
    Lte(Value),
    /// `$in`
    In(Vec<Value>),
    /// `$nin`
    Nin(Vec<Value>),
    /// `$regex` with `$options`
    Regex(Regex),
    /// `$exists`
    Exists(bool),
    /// `$not`
    Not(Vec<Cond>),
    /// A plain query parameter: string equality, or numeric/bool equality when the
    /// stored value is a number or bool.
    Loose(String),
}

/// A parsed filter.
#[derive(Debug, Clone)]
pub enum Filter {
    /// Every part matches.
    And(Vec<Filter>),
    /// Any part matches.
    Or(Vec<Filter>),
    /// No part matches.
    Nor(Vec<Filter>),
    /// The field at the dot path meets every condition.
    Field(String, Vec<Cond>),
}

impl Filter {
    /// Parses filter JSON text.
    pub fn parse_str(s: &str) -> Result<Filter, FilterError> {
        let v: Value = serde_json::from_str(s).map_err(|e| FilterError::Json(e.to_string()))?;
        Filter::parse(&v)
    }

    /// Parses a filter object.
    pub fn parse(v: &Value) -> Result<Filter, FilterError> {
        let obj = v
            .as_object()
            .ok_or_else(|| FilterError::NotObject(v.to_string()))?;
        let mut parts = Vec::new();
        for (k, val) in obj {
            parts.push(match k.as_str() {
                "$and" | "$or" | "$nor" => {
                    let arr = val.as_array().ok_or_else(|| FilterError::Operand {
                        op: k.clone(),
                        what: "an array of filter objects",
                    })?;
                    let subs = arr
                        .iter()
                        .map(Filter::parse)
                        .collect::<Result<Vec<_>, _>>()?;
                    match k.as_str() {
                        "$and" => Filter::And(subs),
                        "$or" => Filter::Or(subs),
                        _ => Filter::Nor(subs),
                    }
                }
                op if op.starts_with('$') => return Err(FilterError::Operator(op.to_string())),
                field => Filter::Field(field.to_string(), parse_conds(val)?),
            });
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Filter::And(vec![]))
        } else {
            Filter::And(parts)
        })
    }

    /// A plain `field=value` query parameter.
    pub fn loose_eq(field: &str, value: &str) -> Filter {
        Filter::Field(field.to_string(), vec![Cond::Loose(value.to_string())])
    }

    /// Whether the document matches.
    pub fn matches(&self, doc: &Value) -> bool {
        match self {
            Filter::And(fs) => fs.iter().all(|f| f.matches(doc)),
            Filter::Or(fs) => fs.iter().any(|f| f.matches(doc)),
            Filter::Nor(fs) => !fs.iter().any(|f| f.matches(doc)),
            Filter::Field(path, conds) => {
                let mut vals = Vec::new();
                resolve(doc, path, &mut vals);
                conds.iter().all(|c| cond_matches(c, &vals))
            }
        }
    }
}

fn parse_conds(v: &Value) -> Result<Vec<Cond>, FilterError> {
    let Some(obj) = v
        .as_object()
        .filter(|o| o.keys().any(|k| k.starts_with('$')))
    else {
        return Ok(vec![Cond::Eq(v.clone())]);
    };
    let options = obj.get("$options").and_then(Value::as_str).unwrap_or("");
    let mut out = Vec::new();
    for (op, arg) in obj {
        let list = |what| {
            arg.as_array().cloned().ok_or_else(|| FilterError::Operand {
                op: op.clone(),
                what,
            })
        };
        out.push(match op.as_str() {
            "$eq" => Cond::Eq(arg.clone()),
            "$ne" => Cond::Ne(arg.clone()),
            "$gt" => Cond::Gt(arg.clone()),
            "$gte" => Cond::Gte(arg.clone()),
            "$lt" => Cond::Lt(arg.clone()),
            "$lte" => Cond::Lte(arg.clone()),
            "$in" => Cond::In(list("an array")?),
            "$nin" => Cond::Nin(list("an array")?),
            "$exists" => Cond::Exists(match arg {
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => {
                    return Err(FilterError::Operand {
                        op: op.clone(),
                        what: "true or false",
                    });
                }
            }),
            "$regex" => {
                let pattern = arg.as_str().ok_or_else(|| FilterError::Operand {
                    op: op.clone(),
                    what: "a string pattern",
                })?;
                let re = RegexBuilder::new(pattern)
                    .case_insensitive(options.contains('i'))
                    .multi_line(options.contains('m'))
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| FilterError::Regex {
                        pattern: pattern.to_string(),
                        message: e.to_string(),
                    })?;
                Cond::Regex(re)
            }
            "$options" => continue,
            "$not" => Cond::Not(parse_conds(arg)?),
            other => return Err(FilterError::Operator(other.to_string())),
        });
    }
    Ok(out)
}

/// Collects every value at a dot path, stepping into arrays as Mongo does.
fn resolve<'a>(v: &'a Value, path: &str, out: &mut Vec<&'a Value>) {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    match v {
        Value::Object(o) => {
            if let Some(child) = o.get(head) {
                match rest {
                    None => {
                        out.push(child);
                        if let Value::Array(items) = child {
                            out.extend(items.iter());
                        }
                    }
                    Some(r) => resolve(child, r, out),
                }
            }
        }
        Value::Array(items) => {
            if let Ok(i) = head.parse::<usize>() {
                if let Some(child) = items.get(i) {
                    match rest {
                        None => out.push(child),
                        Some(r) => resolve(child, r, out),
                    }
                }
            } else {
                for it in items {
                    resolve(it, path, out);
                }
            }
        }
        _ => {}
    }
}

/// Orders two JSON values of the same kind; values of different kinds do not compare.
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        _ => None,
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    compare(a, b) == Some(Ordering::Equal) || a == b
}

fn loose_equal(stored: &Value, given: &str) -> bool {
    match stored {
        Value::String(s) => s == given,
        Value::Number(n) => given.parse::<f64>().ok() == n.as_f64(),
        Value::Bool(b) => given.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
        Value::Null => given == "null",
        _ => false,
    }
}

fn cond_matches(c: &Cond, vals: &[&Value]) -> bool {
    let any = |f: &dyn Fn(&Value) -> bool| vals.iter().any(|v| f(v));
    match c {
        Cond::Eq(Value::Null) => vals.is_empty() || any(&|v| v.is_null()),
        Cond::Eq(x) => any(&|v| equal(v, x)),
        Cond::Ne(Value::Null) => !(vals.is_empty() || any(&|v| v.is_null())),
        Cond::Ne(x) => !any(&|v| equal(v, x)),
        Cond::Gt(x) => any(&|v| compare(v, x) == Some(Ordering::Greater)),
        Cond::Gte(x) => {
            any(&|v| matches!(compare(v, x), Some(Ordering::Greater | Ordering::Equal)))
        }
        Cond::Lt(x) => any(&|v| compare(v, x) == Some(Ordering::Less)),
        Cond::Lte(x) => any(&|v| matches!(compare(v, x), Some(Ordering::Less | Ordering::Equal))),
        Cond::In(xs) => xs.iter().any(|x| cond_matches(&Cond::Eq(x.clone()), vals)),
        Cond::Nin(xs) => !xs.iter().any(|x| cond_matches(&Cond::Eq(x.clone()), vals)),
        Cond::Regex(re) => any(&|v| v.as_str().is_some_and(|s| re.is_match(s))),
        Cond::Exists(want) => vals.is_empty() != *want,
        Cond::Not(cs) => !cs.iter().all(|c| cond_matches(c, vals)),
        Cond::Loose(s) => any(&|v| loose_equal(v, s)),
    }
}

/// A sort order: `field` ascending or `-field` descending, several comma-separated.
#[derive(Debug, Clone, PartialEq)]
pub struct Sort(Vec<(String, bool)>);

impl Sort {
    /// Parses `"-date,reference"`; `None` for an empty string.
    pub fn parse(s: &str) -> Option<Sort> {
        let keys: Vec<(String, bool)> = s
            .split([',', ' '])
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| match k.strip_prefix('-') {
                Some(f) => (f.to_string(), true),
                None => (k.trim_start_matches('+').to_string(), false),
            })
            .collect();
        (!keys.is_empty()).then_some(Sort(keys))
    }

    /// Whether this is exactly ascending `_id`.
    pub fn is_id_ascending(&self) -> bool {
        self.0.len() == 1 && self.0[0] == ("_id".to_string(), false)
    }

    /// Sorts documents in place (stable); missing values sort first, as in Mongo.
    pub fn apply(&self, docs: &mut [Value]) {
        docs.sort_by(|a, b| self.cmp(a, b));
    }

    fn cmp(&self, a: &Value, b: &Value) -> Ordering {
        for (field, desc) in &self.0 {
            let (mut va, mut vb) = (Vec::new(), Vec::new());
            resolve(a, field, &mut va);
            resolve(b, field, &mut vb);
            let o = match (va.first(), vb.first()) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(x), Some(y)) => {
                    compare(x, y).unwrap_or_else(|| kind_rank(x).cmp(&kind_rank(y)))
                }
            };
            let o = if *desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

/// Mongo's order between kinds: null < numbers < strings < objects < arrays < bools.
fn kind_rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Number(_) => 1,
        Value::String(_) => 2,
        Value::Object(_) => 3,
        Value::Array(_) => 4,
        Value::Bool(_) => 5,
    }
}

/// Keeps only the selected dot paths (and `_id`) of a document.
pub fn project(doc: &Value, fields: &[String]) -> Value {
    let mut out = Map::new();
    if let Some(id) = doc.get("_id") {
        out.insert("_id".into(), id.clone());
    }
    for f in fields {
        copy_path(doc, &mut out, f);
    }
    Value::Object(out)
}

fn copy_path(src: &Value, dst: &mut Map<String, Value>, path: &str) {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let Some(child) = src.get(head) else {
        return;
    };
    match rest {
        None => {
            dst.insert(head.to_string(), child.clone());
        }
        Some(r) if child.is_object() => {
            let entry = dst
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = entry {
                copy_path(child, m, r);
            }
        }
        Some(_) => {
            dst.insert(head.to_string(), child.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn task() -> Value {
        json!({
            "_id": "a1", "reference": "SO-11", "state": 60, "date": 20250822,
            "customData": {"Priority": "11"},
            "items": [{"code": "X1", "quantity": 2}, {"code": "X2", "quantity": 5}],
            "tags": ["fragile", "vip"],
            "location": {"postCode": "GU3 1DQ"}
        })
    }

    fn m(f: Value) -> bool {
        Filter::parse(&f)
            .map(|f| f.matches(&task()))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn operators_follow_mongo() {
        assert!(m(json!({"customData.Priority": {"$regex": "11$"}})));
        assert!(!m(json!({"customData.Priority": {"$regex": "^2"}})));
        assert!(m(json!({"state": 60})));
        assert!(m(json!({"state": {"$gte": 50, "$lt": 61}})));
        assert!(!m(json!({"state": {"$ne": 60}})));
        assert!(m(json!({"state": {"$in": [-20, 60]}})));
        assert!(m(json!({"state": {"$nin": [0]}})));
        assert!(m(json!({"items.code": "X2"})));
        assert!(m(json!({"items.quantity": {"$gt": 4}})));
        assert!(m(json!({"tags": "vip"})));
        assert!(m(
            json!({"tags": {"$exists": true}, "nope": {"$exists": false}})
        ));
        assert!(m(json!({"$or": [{"state": 0}, {"reference": "SO-11"}]})));
        assert!(!m(json!({"$and": [{"state": 60}, {"reference": "x"}]})));
        assert!(m(json!({"$nor": [{"state": 0}]})));
        assert!(m(
            json!({"location.postCode": {"$regex": "^gu3", "$options": "i"}})
        ));
        assert!(m(json!({"state": {"$not": {"$lt": 10}}})));
        assert!(m(json!({"missing": null})));
        assert!(!m(json!({"state": "60"})), "types do not mix, as in Mongo");
    }

    #[test]
    fn bad_filters_say_what_is_wrong() {
        assert!(matches!(Filter::parse_str("{"), Err(FilterError::Json(_))));
        assert!(matches!(
            Filter::parse_str("[1]"),
            Err(FilterError::NotObject(_))
        ));
        assert!(matches!(
            Filter::parse(&json!({"state": {"$where": "1"}})),
            Err(FilterError::Operator(_))
        ));
        assert!(matches!(
            Filter::parse(&json!({"reference": {"$regex": "("}})),
            Err(FilterError::Regex { .. })
        ));
    }

    #[test]
    fn loose_params_compare_by_stored_type() {
        assert!(Filter::loose_eq("state", "60").matches(&task()));
        assert!(Filter::loose_eq("customData.Priority", "11").matches(&task()));
        assert!(!Filter::loose_eq("reference", "SO-1").matches(&task()));
    }

    #[test]
    fn sorts_and_projects() {
        let mut docs = vec![
            json!({"n": 2, "s": "b"}),
            json!({"s": "a"}),
            json!({"n": 1, "s": "c"}),
        ];
        if let Some(s) = Sort::parse("-n") {
            s.apply(&mut docs);
        }
        assert_eq!(docs[0]["n"], 2);
        assert!(
            docs[2].get("n").is_none(),
            "missing sorts first, so last when descending"
        );
        let p = project(&task(), &["location.postCode".into(), "state".into()]);
        assert_eq!(
            p,
            json!({"_id": "a1", "location": {"postCode": "GU3 1DQ"}, "state": 60})
        );
    }
}
