//! Submissions of one form.

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use serde_json::Value;

use crate::api::paths::{self, Collection};

use super::{AppState, list_response, must_get};
use crate::sandbox::documents::str_field;

/// Whether a submission's `form` names this form by `_id` or uid.
fn of_form(sub: &Value, form: &Value) -> bool {
    let Some(f) = sub.get("form") else {
        return false;
    };
    [("_id", "_id"), ("id", "_id"), ("uid", "uid")].iter().any(
        |(sk, fk)| matches!((str_field(f, sk), str_field(form, fk)), (Some(a), Some(b)) if a == b),
    )
}

/// Routes of the form endpoints.
pub fn router(state: AppState) -> Router {
    Router::new().route(
        paths::FORM_SUBMISSIONS_OF_FORM,
        get(move |Path(key): Path<String>| {
            let s = state.clone();
            async move {
                let subs = s
                    .read(move |tx| {
                        let form = must_get(tx, Collection::Forms, &key)?;
                        Ok(tx
                            .find(Collection::FormSubmissions, &[])?
                            .into_iter()
                            .filter(|sub| of_form(sub, &form))
                            .collect::<Vec<_>>())
                    })
                    .await?;
                let n = subs.len() as u64;
                crate::sandbox::failure::Served::Ok(list_response(
                    Value::Array(subs).to_string(),
                    n,
                ))
            }
        }),
    )
}
