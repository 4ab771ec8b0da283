//! SQLite document store: one table per collection, the JSON document plus indexed columns.
//!
//! Every write runs in one transaction behind one connection, so a request either lands
//! whole or not at all, and concurrent upserts of the same reference cannot both create.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};
use serde_json::Value;
use thiserror::Error;

use crate::api::paths::Collection;

/// Storage failures.
#[derive(Debug, Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored document is not valid JSON (the file was edited by hand?).
    #[error("stored document in {table} is not valid JSON: {source}")]
    Corrupt {
        /// Table.
        table: String,
        /// Parse error.
        source: serde_json::Error,
    },
    /// The store's lock was poisoned by a panic in another request.
    #[error("database lock poisoned")]
    Poisoned,
    /// The blocking worker running a database call failed.
    #[error("database worker failed: {0}")]
    Worker(String),
}

/// Result of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// The indexed columns of a document, extracted on every write.
#[derive(Debug, Default, Clone, PartialEq)]
struct Columns {
    uid: Option<String>,
    reference: Option<String>,
    external_id: Option<String>,
    date_start: Option<i64>,
    date_end: Option<i64>,
    state: Option<i64>,
    route: Option<String>,
    owner: Option<String>,
}

fn str_at(doc: &Value, path: &[&str]) -> Option<String> {
    let mut v = doc;
    for p in path {
        v = v.get(*p)?;
    }
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn int_at(doc: &Value, path: &[&str]) -> Option<i64> {
    let mut v = doc;
    for p in path {
        v = v.get(*p)?;
    }
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn columns(c: Collection, doc: &Value) -> Columns {
    let mut col = Columns {
        uid: str_at(doc, &["uid"]),
        reference: str_at(doc, &["reference"]),
        external_id: str_at(doc, &["externalId"]),
        ..Columns::default()
    };
    let date = int_at(doc, &["date"]);
    let (rs, re) = (
        int_at(doc, &["dateRange", "startDate"]),
        int_at(doc, &["dateRange", "endDate"]),
    );
    col.date_start = date.or(rs);
    col.date_end = date.or(re).or(col.date_start);
    match c {
        Collection::Tasks => {
            col.state = int_at(doc, &["state"]).or(Some(0));
            col.route = str_at(doc, &["assignment", "routeUID"]);
            col.owner = str_at(doc, &["customer", "uid"]);
        }
        Collection::Routes => {
            col.owner = str_at(doc, &["assignee", "uid"]);
        }
        Collection::ScheduleExceptions => {
            col.owner = str_at(doc, &["driver", "uid"])
                .or_else(|| str_at(doc, &["driver", "id"]))
                .or_else(|| str_at(doc, &["driver", "_id"]));
        }
        Collection::FormSubmissions => {
            col.owner = str_at(doc, &["form", "uid"]).or_else(|| str_at(doc, &["form", "_id"]));
        }
        _ => {}
    }
    col
}

/// SQL table of a collection.
pub fn table(c: Collection) -> String {
    c.name().replace('-', "_")
}

/// A condition the store can answer from its indexed columns.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexedCond {
    /// The item covers any of these days (`date`, or `dateRange` containing it).
    OnDates(Vec<i64>),
    /// `_id` equals.
    Id(String),
    /// `uid` equals.
    Uid(String),
    /// `reference` equals.
    Reference(String),
    /// `externalId` equals.
    ExternalId(String),
    /// Task `state` equals.
    State(i64),
    /// Task `assignment.routeUID` equals.
    Route(String),
    /// The owner column equals (customer uid of tasks, driver of routes and exceptions, form
    /// of submissions).
    Owner(String),
}

impl IndexedCond {
    fn sql(&self, args: &mut Vec<rusqlite::types::Value>) -> String {
        use rusqlite::types::Value as V;
        let mut eq = |col: &str, v: V| {
            args.push(v);
            format!("{col} = ?")
        };
        match self {
            IndexedCond::OnDates(ds) => {
                let parts: Vec<String> = ds
                    .iter()
                    .map(|d| {
                        args.push(V::Integer(*d));
                        args.push(V::Integer(*d));
                        "(date_start <= ? AND date_end >= ?)".to_string()
                    })
                    .collect();
                if parts.is_empty() {
                    "0".into()
                } else {
                    format!("({})", parts.join(" OR "))
                }
            }
            IndexedCond::Id(s) => eq("id", V::Text(s.clone())),
            IndexedCond::Uid(s) => eq("uid", V::Text(s.clone())),
            IndexedCond::Reference(s) => eq("reference", V::Text(s.clone())),
            IndexedCond::ExternalId(s) => eq("external_id", V::Text(s.clone())),
            IndexedCond::State(n) => eq("state", V::Integer(*n)),
            IndexedCond::Route(s) => eq("route", V::Text(s.clone())),
            IndexedCond::Owner(s) => eq("owner", V::Text(s.clone())),
        }
    }
}

fn where_clause(conds: &[IndexedCond], args: &mut Vec<rusqlite::types::Value>) -> String {
    if conds.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = conds.iter().map(|c| c.sql(args)).collect();
    format!(" WHERE {}", parts.join(" AND "))
}

/// The document store.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) the database file.
    pub fn open(path: &Path) -> StoreResult<Store> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// An in-memory store (benchmarks and unit tests).
    pub fn open_in_memory() -> StoreResult<Store> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> StoreResult<Store> {
        // WAL keeps readers and the writer out of each other's way; NORMAL sync survives
        // process crashes, which is what "survive a restart" asks of a sandbox.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let mut ddl = String::from(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS pods (task_id TEXT PRIMARY KEY, doc TEXT NOT NULL);",
        );
        for c in Collection::ALL {
            let t = table(c);
            ddl.push_str(&format!(
                "CREATE TABLE IF NOT EXISTS {t} (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    uid TEXT,
                    reference TEXT,
                    external_id TEXT,
                    date_start INTEGER,
                    date_end INTEGER,
                    state INTEGER,
                    route TEXT,
                    owner TEXT,
                    doc TEXT NOT NULL
                 );
                 CREATE INDEX IF NOT EXISTS {t}_uid ON {t}(uid);
                 CREATE INDEX IF NOT EXISTS {t}_reference ON {t}(reference);
                 CREATE INDEX IF NOT EXISTS {t}_external_id ON {t}(external_id);
                 CREATE INDEX IF NOT EXISTS {t}_date ON {t}(date_start, date_end);
                 CREATE INDEX IF NOT EXISTS {t}_route ON {t}(route);
                 CREATE INDEX IF NOT EXISTS {t}_owner ON {t}(owner);"
            ));
        }
        conn.execute_batch(&ddl)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn lock(&self) -> StoreResult<MutexGuard<'_, Connection>> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }

    /// Runs `f` in a write transaction; it commits only if `f` returns `Ok`.
    pub fn write<R, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut conn = self.lock()?;
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let wrapped = Tx { tx };
        let out = f(&wrapped)?;
        wrapped.tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in a read transaction (a consistent snapshot).
    pub fn read<R, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<R, E>,
    ) -> Result<R, E> {
        let mut conn = self.lock()?;
        let tx = conn.transaction().map_err(StoreError::from)?;
        let wrapped = Tx { tx };
        f(&wrapped)
    }
}

/// A transaction with document operations.
pub struct Tx<'c> {
    tx: Transaction<'c>,
}

fn parse_doc(t: &str, text: &str) -> StoreResult<Value> {
    serde_json::from_str(text).map_err(|source| StoreError::Corrupt {
        table: t.to_string(),
        source,
    })
}

impl Tx<'_> {
    /// The document with this `_id` or UID.
    pub fn get(&self, c: Collection, key: &str) -> StoreResult<Option<Value>> {
        let t = table(c);
        let text: Option<String> = self
            .tx
            .query_row(
                &format!("SELECT doc FROM {t} WHERE id = ?1 OR uid = ?1 ORDER BY seq LIMIT 1"),
                params![key],
                |r| r.get(0),
            )
            .optional()?;
        text.map(|s| parse_doc(&t, &s)).transpose()
    }

    /// Documents matching every condition, in insertion order.
    pub fn find(&self, c: Collection, conds: &[IndexedCond]) -> StoreResult<Vec<Value>> {
        self.find_raw(c, conds, None, None)?
            .iter()
            .map(|s| parse_doc(&table(c), s))
            .collect()
    }

    /// Raw JSON texts of documents matching every condition, insertion order, with paging.
    pub fn find_raw(
        &self,
        c: Collection,
        conds: &[IndexedCond],
        skip: Option<u64>,
        limit: Option<u64>,
    ) -> StoreResult<Vec<String>> {
        self.find_raw_ordered(c, conds, false, skip, limit)
    }

    /// Like [`Tx::find_raw`], ordered by `_id` instead of insertion when `by_id`.
    pub fn find_raw_ordered(
        &self,
        c: Collection,
        conds: &[IndexedCond],
        by_id: bool,
        skip: Option<u64>,
        limit: Option<u64>,
    ) -> StoreResult<Vec<String>> {
        let t = table(c);
        let mut args = Vec::new();
        let order = if by_id { "id" } else { "seq" };
        let mut sql = format!(
            "SELECT doc FROM {t}{} ORDER BY {order}",
            where_clause(conds, &mut args)
        );
        match (limit, skip) {
            (Some(l), s) => sql.push_str(&format!(" LIMIT {l} OFFSET {}", s.unwrap_or(0))),
            (None, Some(s)) => sql.push_str(&format!(" LIMIT -1 OFFSET {s}")),
            (None, None) => {}
        }
        let mut stmt = self.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |r| r.get::<_, String>(0))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(Into::into)
    }

    /// How many documents match every condition.
    pub fn count(&self, c: Collection, conds: &[IndexedCond]) -> StoreResult<u64> {
        let t = table(c);
        let mut args = Vec::new();
        let sql = format!("SELECT COUNT(*) FROM {t}{}", where_clause(conds, &mut args));
        let n: i64 = self
            .tx
            .query_row(&sql, params_from_iter(args), |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Inserts a new document; it must carry `_id`.
    pub fn insert(&self, c: Collection, doc: &Value) -> StoreResult<()> {
        let t = table(c);
        self.write_doc(
            &format!(
                "INSERT INTO {t} (id, uid, reference, external_id, date_start, date_end, state, route, owner, doc)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            ),
            c,
            doc,
        )
    }

    /// Replaces the document with the same `_id`.
    pub fn replace(&self, c: Collection, doc: &Value) -> StoreResult<()> {
        let t = table(c);
        self.write_doc(
            &format!(
                "UPDATE {t} SET uid = ?2, reference = ?3, external_id = ?4, date_start = ?5,
                 date_end = ?6, state = ?7, route = ?8, owner = ?9, doc = ?10 WHERE id = ?1"
            ),
            c,
            doc,
        )
    }

    /// Runs an insert or update whose parameters are the id, the indexed columns and the text.
    fn write_doc(&self, sql: &str, c: Collection, doc: &Value) -> StoreResult<()> {
        let id = str_at(doc, &["_id"]).unwrap_or_default();
        let col = columns(c, doc);
        self.tx.prepare_cached(sql)?.execute(params![
            id,
            col.uid,
            col.reference,
            col.external_id,
            col.date_start,
            col.date_end,
            col.state,
            col.route,
            col.owner,
            doc.to_string()
        ])?;
        Ok(())
    }

    /// Deletes by `_id`; true when something was deleted.
    pub fn delete(&self, c: Collection, id: &str) -> StoreResult<bool> {
        let t = table(c);
        let n = self
            .tx
            .execute(&format!("DELETE FROM {t} WHERE id = ?1"), params![id])?;
        Ok(n > 0)
    }

    /// The proof of delivery stored for a task `_id`.
    pub fn pod(&self, task_id: &str) -> StoreResult<Option<Value>> {
        let text: Option<String> = self
            .tx
            .query_row(
                "SELECT doc FROM pods WHERE task_id = ?1",
                params![task_id],
                |r| r.get(0),
            )
            .optional()?;
        text.map(|s| parse_doc("pods", &s)).transpose()
    }

    /// Stores a task's proof of delivery.
    pub fn put_pod(&self, task_id: &str, doc: &Value) -> StoreResult<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO pods (task_id, doc) VALUES (?1, ?2)",
            params![task_id, doc.to_string()],
        )?;
        Ok(())
    }

    /// A value from the meta table.
    pub fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(self
            .tx
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a value in the meta table.
    pub fn set_meta(&self, key: &str, value: &str) -> StoreResult<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_documents_and_answers_indexed_queries() -> StoreResult<()> {
        let s = Store::open_in_memory()?;
        s.write(|tx| {
            tx.insert(
                Collection::Tasks,
                &json!({"_id": "a", "uid": "T-1", "reference": "r1", "date": 20250822, "state": 60}),
            )?;
            tx.insert(
                Collection::Tasks,
                &json!({"_id": "b", "uid": "T-2", "reference": "r2", "date": 20250823}),
            )?;
            tx.insert(
                Collection::ScheduleExceptions,
                &json!({"_id": "e", "dateRange": {"startDate": 20250820, "endDate": 20250825}}),
            )?;
            Ok::<_, StoreError>(())
        })?;
        s.read(|tx| {
            assert_eq!(
                tx.get(Collection::Tasks, "T-2")?.map(|d| d["_id"].clone()),
                Some(json!("b"))
            );
            assert_eq!(
                tx.count(Collection::Tasks, &[IndexedCond::OnDates(vec![20250822])])?,
                1
            );
            assert_eq!(tx.count(Collection::Tasks, &[IndexedCond::State(0)])?, 1);
            assert_eq!(
                tx.count(
                    Collection::ScheduleExceptions,
                    &[IndexedCond::OnDates(vec![20250824])]
                )?,
                1
            );
            assert_eq!(
                tx.find_raw(Collection::Tasks, &[], Some(1), Some(5))?.len(),
                1
            );
            Ok::<_, StoreError>(())
        })?;
        let failed: Result<(), StoreError> = s.write(|tx| {
            tx.insert(Collection::Tasks, &json!({"_id": "c"}))?;
            tx.insert(Collection::Tasks, &json!({"_id": "c"}))?; // duplicate id: rolls back both
            Ok(())
        });
        assert!(failed.is_err());
        assert_eq!(s.read(|tx| tx.count(Collection::Tasks, &[]))?, 2);
        Ok(())
    }
}
