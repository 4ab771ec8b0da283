//! `GET /{collection}`: date, sort, limit, skip, select, filter and plain field parameters.
//!
//! Conditions on indexed columns run in SQL. When nothing else is asked, paging runs in SQL
//! too and stored JSON is sent as it is, without parsing a document.

use serde_json::Value;

use crate::api::model::Date;
use crate::api::paths::Collection;

use crate::sandbox::failure::{Failure, Served};
use crate::sandbox::filter::{Filter, Sort, project};
use crate::sandbox::store::{IndexedCond, StoreError, Tx};

/// A parsed list request.
#[derive(Debug)]
pub struct ListPlan {
    indexed: Vec<IndexedCond>,
    filters: Vec<Filter>,
    sort: Option<Sort>,
    skip: Option<u64>,
    limit: Option<u64>,
    select: Vec<String>,
}

/// A list answer: the JSON array text and the count before skip/limit.
pub struct ListAnswer {
    /// JSON array.
    pub body: String,
    /// Matching items in all.
    pub total: u64,
}

fn parse_count(name: &str, v: &str) -> Served<u64> {
    v.trim().parse().map_err(|_| {
        Failure::BadRequest(format!(
            "{name} must be a whole number of zero or more, got {v:?}"
        ))
    })
}

fn indexed_for(c: Collection, field: &str, value: &str) -> Option<IndexedCond> {
    Some(match (c, field) {
        (_, "_id") => IndexedCond::Id(value.into()),
        (_, "uid") => IndexedCond::Uid(value.into()),
        (_, "reference") => IndexedCond::Reference(value.into()),
        (_, "externalId") => IndexedCond::ExternalId(value.into()),
        (Collection::Tasks, "state") => IndexedCond::State(value.trim().parse().ok()?),
        (Collection::Tasks, "assignment.routeUID") => IndexedCond::Route(value.into()),
        (Collection::Tasks, "customer.uid")
        | (Collection::Routes, "assignee.uid")
        | (Collection::ScheduleExceptions, "driver.uid")
        | (Collection::FormSubmissions, "form.uid") => IndexedCond::Owner(value.into()),
        _ => return None,
    })
}

impl ListPlan {
    /// Reads the query parameters of a list request.
    pub fn from_params(c: Collection, params: &[(String, String)]) -> Served<ListPlan> {
        let mut plan = ListPlan {
            indexed: Vec::new(),
            filters: Vec::new(),
            sort: None,
            skip: None,
            limit: None,
            select: Vec::new(),
        };
        for (k, v) in params {
            match k.as_str() {
                "date" => {
                    if !c.is_date_scoped() {
                        // Drivers, vehicles … have no date; a date parameter narrows nothing.
                        continue;
                    }
                    let mut ds = Vec::new();
                    for part in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        let d: Date = part
                            .parse()
                            .map_err(|e| Failure::BadRequest(format!("date: {e}")))?;
                        ds.push(d.as_u32() as i64);
                    }
                    plan.indexed.push(IndexedCond::OnDates(ds));
                }
                "sort" => plan.sort = Sort::parse(v),
                "skip" => plan.skip = Some(parse_count("skip", v)?),
                "limit" => plan.limit = Some(parse_count("limit", v)?).filter(|n| *n > 0),
                "select" => plan.select.extend(
                    v.split([',', ' '])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from),
                ),
                "filter" => {
                    if !v.trim().is_empty() {
                        plan.filters.push(
                            Filter::parse_str(v).map_err(|e| Failure::BadRequest(e.to_string()))?,
                        );
                    }
                }
                field => match indexed_for(c, field, v) {
                    Some(cond) => plan.indexed.push(cond),
                    None => plan.filters.push(Filter::loose_eq(field, v)),
                },
            }
        }
        Ok(plan)
    }

    /// Runs the plan in a read transaction.
    pub fn run(&self, tx: &Tx<'_>, c: Collection) -> Result<ListAnswer, StoreError> {
        let by_id = self.sort.as_ref().is_some_and(Sort::is_id_ascending);
        let sql_only = self.filters.is_empty() && (self.sort.is_none() || by_id);
        if sql_only {
            let raw = tx.find_raw_ordered(c, &self.indexed, by_id, self.skip, self.limit)?;
            let total = if self.skip.is_none() && self.limit.is_none() {
                raw.len() as u64
            } else {
                tx.count(c, &self.indexed)?
            };
            let body = if self.select.is_empty() {
                let mut s =
                    String::with_capacity(raw.iter().map(|r| r.len() + 1).sum::<usize>() + 2);
                s.push('[');
                for (i, r) in raw.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(r);
                }
                s.push(']');
                s
            } else {
                let docs = raw
                    .iter()
                    .map(|r| serde_json::from_str::<Value>(r).map(|d| project(&d, &self.select)))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|source| StoreError::Corrupt {
                        table: c.name().into(),
                        source,
                    })?;
                Value::Array(docs).to_string()
            };
            return Ok(ListAnswer { body, total });
        }
        let mut docs: Vec<Value> = tx
            .find(c, &self.indexed)?
            .into_iter()
            .filter(|d| self.filters.iter().all(|f| f.matches(d)))
            .collect();
        let total = docs.len() as u64;
        if let Some(s) = &self.sort {
            s.apply(&mut docs);
        }
        let skip = self.skip.unwrap_or(0) as usize;
        let page = docs
            .into_iter()
            .skip(skip)
            .take(self.limit.map(|l| l as usize).unwrap_or(usize::MAX));
        let out: Vec<Value> = if self.select.is_empty() {
            page.collect()
        } else {
            page.map(|d| project(&d, &self.select)).collect()
        };
        Ok(ListAnswer {
            body: Value::Array(out).to_string(),
            total,
        })
    }
}
