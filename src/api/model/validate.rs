//! Validation of wire values before they are sent or stored, with field paths.

use serde::Serialize;

/// One problem with one field, e.g. `timeWindows[0]`: "time window ends before it starts".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldProblem {
    /// Dot path of the field (`location.coordinates`), empty for the whole item.
    pub field: String,
    /// What is wrong, in words a person can act on.
    pub message: String,
}

/// Problems collected while validating one item.
#[derive(Debug, Default, Clone)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    /// Records a problem at `field`.
    pub fn push(&mut self, field: &str, message: String) {
        self.0.push(FieldProblem {
            field: field.to_string(),
            message,
        });
    }
    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// All problems.
    pub fn into_vec(self) -> Vec<FieldProblem> {
        self.0
    }
    /// The first problem, if any.
    pub fn into_first(self) -> Option<FieldProblem> {
        self.0.into_iter().next()
    }
}

/// Checks the rules of the API that serde alone cannot express.
pub trait Validate {
    /// Pushes every problem found below `path`.
    fn validate(&self, p: &mut Problems, path: &str);

    /// Runs [`Validate::validate`] from the root and returns the problems.
    fn problems(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        self.validate(&mut p, "");
        p.into_vec()
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, p: &mut Problems, path: &str) {
        if let Some(v) = self {
            v.validate(p, path);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, p: &mut Problems, path: &str) {
        for (i, v) in self.iter().enumerate() {
            v.validate(p, &format!("{path}[{i}]"));
        }
    }
}
