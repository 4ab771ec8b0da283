//! Optimization jobs: each run reads the store once at its start, solves on a blocking
//! thread (never inside a store transaction), is checked by our own checker, and waits to be
//! read, applied or cancelled.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::check::check;
use super::matrix::MatrixSource;
use super::problem::Built;
use super::result::render;
use super::{OptSolution, Optimizer, SolveControl, SolveLimits};
use crate::sandbox::failure::{Failure, Served};
use crate::sandbox::ids;

/// Finished jobs kept for reading and applying; older ones are forgotten first.
const KEEP_FINISHED: usize = 64;

/// Where a job is.
#[derive(Debug, Clone)]
pub enum JobState {
    /// Solving.
    Running,
    /// Solved and checked.
    Done(Arc<Outcome>),
    /// Written into the store.
    Applied(Arc<Outcome>),
    /// Stopped by a cancel.
    Cancelled,
    /// The engine, the matrix or the check failed.
    Failed(String),
}

/// A finished job's plan.
#[derive(Debug)]
pub struct Outcome {
    /// What was solved.
    pub built: Built,
    /// The checked solution.
    pub solution: OptSolution,
    /// The result as the API shows it.
    pub result: Value,
}

/// One optimization run.
pub struct Job {
    /// Its id.
    pub id: String,
    /// Cancel flag and progress.
    pub control: SolveControl,
    state: Mutex<JobState>,
    seq: u64,
}

impl Job {
    /// The current state.
    pub fn state(&self) -> JobState {
        self.state
            .lock()
            .map(|s| s.clone())
            .unwrap_or_else(|_| JobState::Failed("job state poisoned".into()))
    }

    /// Replaces the state when `f` says so, atomically.
    pub fn transition(&self, f: impl FnOnce(&JobState) -> Served<JobState>) -> Served<JobState> {
        let mut s = self
            .state
            .lock()
            .map_err(|_| Failure::Internal("job state poisoned".into()))?;
        let next = f(&s)?;
        *s = next.clone();
        Ok(next)
    }

    /// The status document `GET /optimization/jobs/{id}` answers.
    pub fn status(&self) -> Value {
        let state = self.state();
        let (status, result, error) = match &state {
            JobState::Running => ("running", Value::Null, None),
            JobState::Done(o) | JobState::Applied(o) => ("done", o.result.clone(), None),
            JobState::Cancelled => ("cancelled", Value::Null, None),
            JobState::Failed(e) => ("failed", Value::Null, Some(e.clone())),
        };
        let progress = if status == "running" {
            f64::from(self.control.progress())
        } else {
            1.0
        };
        let mut v = json!({
            "jobId": self.id,
            "status": status,
            "progress": (progress * 1000.0).round() / 1000.0,
            "result": result,
            "applied": matches!(state, JobState::Applied(_)),
        });
        if let Some(e) = error {
            v["error"] = json!(e);
        }
        v
    }
}

/// Every job of a sandbox.
pub struct JobRegistry {
    optimizer: Arc<dyn Optimizer>,
    matrix: MatrixSource,
    jobs: Mutex<HashMap<String, Arc<Job>>>,
    next: Mutex<u64>,
}

impl JobRegistry {
    /// A registry solving with `optimizer` on travel from `matrix`.
    pub fn new(optimizer: Arc<dyn Optimizer>, matrix: MatrixSource) -> Self {
        JobRegistry {
            optimizer,
            matrix,
            jobs: Mutex::new(HashMap::new()),
            next: Mutex::new(0),
        }
    }

    /// The job with this id, or 404.
    pub fn get(&self, id: &str) -> Served<Arc<Job>> {
        self.jobs
            .lock()
            .map_err(|_| Failure::Internal("job registry poisoned".into()))?
            .get(id)
            .cloned()
            .ok_or_else(|| Failure::NotFound(format!("no optimization job {id:?}")))
    }

    /// Starts solving `built` in the background and returns the job at once.
    pub fn start(self: &Arc<Self>, built: Built, limits: SolveLimits) -> Served<Arc<Job>> {
        let seq = {
            let mut n = self
                .next
                .lock()
                .map_err(|_| Failure::Internal("job registry poisoned".into()))?;
            *n += 1;
            *n
        };
        let job = Arc::new(Job {
            id: format!("OPT-{}", ids::new_object_id()),
            control: SolveControl::default(),
            state: Mutex::new(JobState::Running),
            seq,
        });
        {
            let mut jobs = self
                .jobs
                .lock()
                .map_err(|_| Failure::Internal("job registry poisoned".into()))?;
            forget_old(&mut jobs);
            jobs.insert(job.id.clone(), job.clone());
        }
        let (me, j) = (self.clone(), job.clone());
        tokio::spawn(async move {
            let state = me.run(built, limits, &j.control).await;
            // A cancel that arrived while solving wins over the solution.
            let _ = j.transition(|s| {
                Ok(match s {
                    JobState::Cancelled => JobState::Cancelled,
                    _ => state,
                })
            });
        });
        Ok(job)
    }

    async fn run(&self, built: Built, limits: SolveLimits, control: &SolveControl) -> JobState {
        let matrix = match self.matrix.matrix(&built.problem.points).await {
            Ok(m) => m,
            Err(e) => return JobState::Failed(e.to_string()),
        };
        let (optimizer, control, source) =
            (self.optimizer.clone(), control.clone(), self.matrix.label());
        let solved = tokio::task::spawn_blocking(move || {
            let solution = optimizer.solve(&built.problem, matrix.as_ref(), &limits, &control)?;
            if control.is_cancelled() {
                return Ok(JobState::Cancelled);
            }
            let problems = check(&built.problem, matrix.as_ref(), &solution);
            if !problems.is_empty() {
                tracing::error!(?problems, "optimizer result failed our check");
                return Ok(JobState::Failed(format!(
                    "the optimizer's plan failed the sandbox's check: {}",
                    problems.join("; ")
                )));
            }
            let result = render(&built, matrix.as_ref(), &solution, source);
            Ok::<_, super::OptError>(JobState::Done(Arc::new(Outcome {
                built,
                solution,
                result,
            })))
        })
        .await;
        match solved {
            Ok(Ok(state)) => state,
            Ok(Err(e)) => JobState::Failed(e.to_string()),
            Err(e) => JobState::Failed(format!("the optimizer stopped unexpectedly: {e}")),
        }
    }

    /// Cancels a running job.
    pub fn cancel(&self, id: &str) -> Served<Arc<Job>> {
        let job = self.get(id)?;
        job.transition(|s| match s {
            JobState::Running | JobState::Cancelled => Ok(JobState::Cancelled),
            JobState::Done(_) | JobState::Applied(_) | JobState::Failed(_) => Err(
                Failure::Conflict(format!("job {id} has already finished; nothing to cancel")),
            ),
        })?;
        job.control.cancel();
        Ok(job)
    }
}

fn forget_old(jobs: &mut HashMap<String, Arc<Job>>) {
    let mut finished: Vec<(u64, String)> = jobs
        .values()
        .filter(|j| !matches!(j.state(), JobState::Running))
        .map(|j| (j.seq, j.id.clone()))
        .collect();
    if finished.len() < KEEP_FINISHED {
        return;
    }
    finished.sort();
    for (_, id) in finished.iter().take(finished.len() + 1 - KEEP_FINISHED) {
        jobs.remove(id);
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        // A forgotten or abandoned job must not keep a solver thread busy.
        self.control.cancel();
    }
}

/// A stand-in so [`JobState`] can be set from tests of the registry.
#[cfg(test)]
impl Job {
    fn with_state(state: JobState, seq: u64) -> Job {
        Job {
            id: format!("OPT-{seq}"),
            control: SolveControl::default(),
            state: Mutex::new(state),
            seq,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_running_jobs_and_forgets_the_oldest_finished() {
        let mut jobs = HashMap::new();
        for i in 0..KEEP_FINISHED as u64 + 5 {
            let j = Arc::new(Job::with_state(JobState::Cancelled, i));
            jobs.insert(j.id.clone(), j);
        }
        let running = Arc::new(Job::with_state(JobState::Running, 0));
        jobs.insert("running".into(), running);
        forget_old(&mut jobs);
        assert!(jobs.contains_key("running"));
        assert!(!jobs.contains_key("OPT-0"), "oldest finished job forgotten");
        assert_eq!(jobs.len(), KEEP_FINISHED);
    }
}
