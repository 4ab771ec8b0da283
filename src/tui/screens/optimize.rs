//! The Optimize screen: choose the scope, time limit and goal, run a job without blocking,
//! read its plan beside the current one (before/after per route and in total), then apply
//! (`a`, confirmed) or discard (`Esc`).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, LineGauge, Paragraph};
use serde_json::Value;

use crate::actor::{Command, Event, OptimizeRun, OptimizeScope, RequestId};
use crate::api::model::{Date, fmt_minutes};
use crate::api::paths::count;
use crate::tui::plan::data::PlanData;
use crate::tui::theme::{Theme, Tone};
use crate::tui::value_fmt::day;

/// Time limits offered, seconds.
const LIMITS: [u32; 7] = [1, 2, 5, 10, 30, 60, 120];
/// Goals offered: (wire name, label).
const GOALS: [(&str, &str); 2] = [
    ("duration", "shortest working time"),
    ("vehiclesThenDistance", "fewest vehicles, then distance"),
];
/// The most days "several dates" covers.
const MAX_DAYS: u32 = 7;

/// What the run covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeChoice {
    /// The working date.
    WorkingDate,
    /// The working date and the days after it.
    SeveralDates,
    /// The routes marked in the Routes tab.
    MarkedRoutes,
}

/// The option under the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Scope,
    Days,
    Limit,
    Goal,
}

const FIELDS: [Field; 4] = [Field::Scope, Field::Days, Field::Limit, Field::Goal];

/// One route of a result.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultRoute {
    /// Driver `_id`.
    pub driver_id: Option<String>,
    /// Driver name or UID.
    pub driver: String,
    /// Day (YYYYMMDD).
    pub date: Option<u32>,
    /// Stops.
    pub stops: usize,
    /// Metres.
    pub distance_m: f64,
    /// Minutes.
    pub duration: f64,
    /// First service start.
    pub first: Option<u32>,
    /// Last departure.
    pub last: Option<u32>,
}

/// A task the plan leaves out.
#[derive(Debug, Clone, PartialEq)]
pub struct Unassigned {
    /// Reference or UID.
    pub task: String,
    /// Reason code.
    pub reason: String,
    /// Explanation.
    pub message: String,
}

/// A job's result as the screen shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OptResult {
    /// Routes.
    pub routes: Vec<ResultRoute>,
    /// Unassigned tasks.
    pub unassigned: Vec<Unassigned>,
}

fn num(v: &Value, k: &str) -> Option<f64> {
    v.get(k).and_then(Value::as_f64)
}

fn string(v: &Value, k: &str) -> Option<String> {
    v.get(k)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl OptResult {
    /// Reads the `result` JSON of a job; missing parts read as empty.
    pub fn from_json(v: &Value) -> OptResult {
        let empty = Vec::new();
        let arr = |k: &str| v.get(k).and_then(Value::as_array).unwrap_or(&empty).clone();
        let routes = arr("routes")
            .iter()
            .map(|r| {
                let d = r.get("driver").cloned().unwrap_or(Value::Null);
                let stops = r.get("stops").and_then(Value::as_array);
                let first = stops
                    .and_then(|s| s.first())
                    .and_then(|s| num(s, "eta"))
                    .map(|m| m as u32);
                let last = stops
                    .and_then(|s| s.last())
                    .and_then(|s| num(s, "departure").or(num(s, "eta")))
                    .map(|m| m as u32);
                ResultRoute {
                    driver_id: string(&d, "_id"),
                    driver: string(&d, "name").or(string(&d, "uid")).unwrap_or_default(),
                    date: r.get("date").and_then(Value::as_u64).map(|d| d as u32),
                    stops: stops.map_or(0, Vec::len),
                    distance_m: num(r, "distance").unwrap_or(0.0),
                    duration: num(r, "duration").unwrap_or(0.0),
                    first,
                    last,
                }
            })
            .collect();
        let unassigned = arr("unassigned")
            .iter()
            .map(|u| {
                let t = u.get("task").cloned().unwrap_or(Value::Null);
                Unassigned {
                    task: string(&t, "reference")
                        .or(string(&t, "uid"))
                        .or(string(&t, "_id"))
                        .unwrap_or_default(),
                    reason: string(u, "reason").unwrap_or_default(),
                    message: string(u, "message").unwrap_or_default(),
                }
            })
            .collect();
        OptResult { routes, unassigned }
    }
}

/// Where the screen is in its flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Choosing options.
    Setup,
    /// A job runs.
    Running {
        /// Request id of the run.
        req: RequestId,
        /// Job id once started.
        job: Option<String>,
        /// 0–1.
        progress: f64,
        /// A cancel was asked.
        cancelling: bool,
    },
    /// A plan to judge.
    Done {
        /// Job id.
        job: String,
        /// The plan.
        result: OptResult,
        /// Waiting for y/n on apply.
        confirm: bool,
    },
    /// The plan is being written.
    Applying {
        /// Request id of the apply.
        req: RequestId,
        /// The plan, still shown.
        result: OptResult,
    },
    /// Written.
    Applied(String),
    /// The job was cancelled; nothing was written.
    Cancelled,
    /// The job failed.
    Failed(String),
}

/// What a key asks of the app.
#[derive(Debug)]
pub enum OptOutcome {
    /// Nothing more.
    Stay,
    /// Send these commands.
    Send(Vec<Command>),
    /// Leave the screen.
    Close,
    /// The key is not the screen's.
    Ignored,
}

/// The Optimize screen.
#[derive(Debug, Clone)]
pub struct OptimizeScreen {
    date: Date,
    marked: Vec<String>,
    scope: ScopeChoice,
    days: u32,
    limit: usize,
    goal: usize,
    field: usize,
    stage: Stage,
}

impl OptimizeScreen {
    /// A screen for the working `date`; `marked` route ids allow the routes scope.
    pub fn new(date: Date, marked: Vec<String>) -> OptimizeScreen {
        OptimizeScreen {
            date,
            marked,
            scope: ScopeChoice::WorkingDate,
            days: 2,
            limit: 1,
            goal: 0,
            field: 0,
            stage: Stage::Setup,
        }
    }

    /// The routes marked on the Routes tab (the "marked routes" scope).
    pub fn marked_routes(&self) -> &[String] {
        &self.marked
    }

    /// Where the flow is.
    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    /// Whether a job is running (the app ticks for the gauge).
    pub fn is_busy(&self) -> bool {
        matches!(self.stage, Stage::Running { .. } | Stage::Applying { .. })
    }

    /// The run the current options describe.
    pub fn run(&self) -> OptimizeRun {
        let scope = match self.scope {
            ScopeChoice::WorkingDate => OptimizeScope::Dates(vec![self.date]),
            ScopeChoice::SeveralDates => OptimizeScope::Dates(
                (0..self.days)
                    .map(|i| self.date.add_days(i64::from(i)))
                    .collect(),
            ),
            ScopeChoice::MarkedRoutes => OptimizeScope::Routes(self.marked.clone()),
        };
        OptimizeRun {
            scope,
            time_limit_secs: LIMITS[self.limit],
            goal: Some(GOALS[self.goal].0.to_string()),
        }
    }

    fn scopes(&self) -> Vec<ScopeChoice> {
        let mut s = vec![ScopeChoice::WorkingDate, ScopeChoice::SeveralDates];
        if !self.marked.is_empty() {
            s.push(ScopeChoice::MarkedRoutes);
        }
        s
    }

    fn change(&mut self, d: isize) {
        let cycle = |i: usize, n: usize| (i as isize + d).rem_euclid(n as isize) as usize;
        match FIELDS[self.field] {
            Field::Scope => {
                let s = self.scopes();
                let i = s.iter().position(|x| *x == self.scope).unwrap_or(0);
                self.scope = s[cycle(i, s.len())];
            }
            Field::Days => {
                self.days = (self.days as isize + d).clamp(2, MAX_DAYS as isize) as u32;
            }
            Field::Limit => {
                self.limit = (self.limit as isize + d).clamp(0, LIMITS.len() as isize - 1) as usize
            }
            Field::Goal => self.goal = cycle(self.goal, GOALS.len()),
        }
    }

    /// Handles a key; `next_req` hands out request ids.
    pub fn on_key(
        &mut self,
        key: &KeyEvent,
        next_req: &mut dyn FnMut() -> RequestId,
    ) -> OptOutcome {
        let code = key.code;
        match &mut self.stage {
            Stage::Setup => match code {
                KeyCode::Esc => OptOutcome::Close,
                KeyCode::Down | KeyCode::Char('j') => {
                    self.field = (self.field + 1).min(FIELDS.len() - 1);
                    OptOutcome::Stay
                }
                KeyCode::Up | KeyCode::Char('k') => {
                    self.field = self.field.saturating_sub(1);
                    OptOutcome::Stay
                }
                KeyCode::Right | KeyCode::Char('l' | '+' | ' ') => {
                    self.change(1);
                    OptOutcome::Stay
                }
                KeyCode::Left | KeyCode::Char('h' | '-') => {
                    self.change(-1);
                    OptOutcome::Stay
                }
                KeyCode::Enter | KeyCode::Char('r') => {
                    let req = next_req();
                    self.stage = Stage::Running {
                        req,
                        job: None,
                        progress: 0.0,
                        cancelling: false,
                    };
                    OptOutcome::Send(vec![Command::Optimize {
                        req,
                        run: self.run(),
                    }])
                }
                _ => OptOutcome::Ignored,
            },
            Stage::Running {
                req,
                job,
                cancelling,
                ..
            } => match code {
                KeyCode::Esc | KeyCode::Char('c') => match job.clone() {
                    Some(job) if !*cancelling => {
                        *cancelling = true;
                        OptOutcome::Send(vec![Command::CancelOptimization {
                            req: next_req(),
                            job,
                        }])
                    }
                    Some(_) => OptOutcome::Stay,
                    None => {
                        let req = *req;
                        self.stage = Stage::Setup;
                        OptOutcome::Send(vec![Command::Cancel { req }])
                    }
                },
                _ => OptOutcome::Ignored,
            },
            Stage::Done {
                job,
                result,
                confirm,
            } => match (code, *confirm) {
                (KeyCode::Char('a'), false) => {
                    *confirm = true;
                    OptOutcome::Stay
                }
                (KeyCode::Char('y') | KeyCode::Enter, true) => {
                    let req = next_req();
                    let job = job.clone();
                    self.stage = Stage::Applying {
                        req,
                        result: std::mem::take(result),
                    };
                    OptOutcome::Send(vec![Command::ApplyOptimization { req, job }])
                }
                (KeyCode::Char('n') | KeyCode::Esc, true) => {
                    *confirm = false;
                    OptOutcome::Stay
                }
                (KeyCode::Esc, false) => OptOutcome::Close,
                (KeyCode::Char('r'), false) => {
                    self.stage = Stage::Setup;
                    OptOutcome::Stay
                }
                _ => OptOutcome::Ignored,
            },
            Stage::Applying { .. } => OptOutcome::Ignored,
            Stage::Applied(_) | Stage::Cancelled | Stage::Failed(_) => match code {
                KeyCode::Esc => OptOutcome::Close,
                KeyCode::Enter | KeyCode::Char('r') => {
                    self.stage = Stage::Setup;
                    OptOutcome::Stay
                }
                _ => OptOutcome::Ignored,
            },
        }
    }

    /// Takes an actor event; true when it was this screen's.
    pub fn on_event(&mut self, ev: &Event) -> bool {
        let running = match &self.stage {
            Stage::Running { req, .. } => Some(*req),
            _ => None,
        };
        let applying = match &self.stage {
            Stage::Applying { req, .. } => Some(*req),
            _ => None,
        };
        match ev {
            Event::OptimizationStarted { req, job: j } if Some(*req) == running => {
                if let Stage::Running { job, .. } = &mut self.stage {
                    *job = Some(j.clone());
                }
            }
            Event::OptimizationProgress {
                req,
                job: j,
                progress: p,
            } if Some(*req) == running => {
                if let Stage::Running { job, progress, .. } = &mut self.stage {
                    *job = Some(j.clone());
                    *progress = p.clamp(0.0, 1.0);
                }
            }
            Event::OptimizationDone { req, job, result } if Some(*req) == running => {
                self.stage = Stage::Done {
                    job: job.clone(),
                    result: OptResult::from_json(result),
                    confirm: false,
                };
            }
            Event::OptimizationCancelled { req, .. } if Some(*req) == running => {
                self.stage = Stage::Cancelled;
            }
            Event::OptimizationFailed { req, message, .. } if Some(*req) == running => {
                self.stage = Stage::Failed(message.clone());
            }
            Event::OptimizationApplied { req, answer, .. } if Some(*req) == applying => {
                let n = |k: &str| answer.get(k).and_then(Value::as_u64).unwrap_or(0);
                let routes = answer
                    .get("routes")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len);
                self.stage = Stage::Applied(format!(
                    "Applied: {} written, {} assigned, {} unassigned.",
                    count(routes, "route"),
                    count(n("assigned") as usize, "task"),
                    n("unassigned")
                ));
            }
            Event::Failed { req, error, .. } if Some(*req) == applying || Some(*req) == running => {
                self.stage = Stage::Failed(error.to_string());
            }
            _ => return false,
        }
        true
    }

    /// Draws the screen; `current` is the plan of the working date as it stands.
    pub fn render(&self, frame: &mut Frame, area: Rect, current: &PlanData, theme: Theme) {
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(theme.border())
            .title(format!(" Optimize · {} ", day(self.date)))
            .title_bottom(Line::from(self.hint()).right_aligned());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [opts, gauge, body] = Layout::vertical([
            Constraint::Length(4),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
        frame.render_widget(Paragraph::new(self.option_lines(theme)), opts);
        let (ratio, label) = match &self.stage {
            Stage::Setup => (0.0, "ready".to_string()),
            Stage::Running {
                progress,
                cancelling,
                ..
            } => (
                *progress,
                if *cancelling {
                    "cancelling…".into()
                } else {
                    format!("optimizing {:>3.0}%", progress * 100.0)
                },
            ),
            Stage::Done { .. } => (1.0, "done".into()),
            Stage::Applying { .. } => (1.0, "applying…".into()),
            Stage::Applied(_) => (1.0, "applied".into()),
            Stage::Cancelled => (0.0, "cancelled".into()),
            Stage::Failed(_) => (0.0, "failed".into()),
        };
        frame.render_widget(
            LineGauge::default()
                .ratio(ratio.clamp(0.0, 1.0))
                .label(label)
                .filled_style(theme.tone(Tone::Busy).add_modifier(Modifier::BOLD)),
            gauge,
        );
        let lines = match &self.stage {
            Stage::Done { result, .. } | Stage::Applying { result, .. } => {
                self.result_lines(result, current, theme)
            }
            Stage::Applied(t) => vec![Line::styled(t.clone(), theme.tone(Tone::Good))],
            Stage::Cancelled => vec![Line::raw("Cancelled: no route or task was changed.")],
            Stage::Failed(t) => vec![Line::styled(t.clone(), theme.tone(Tone::Bad))],
            _ => Vec::new(),
        };
        frame.render_widget(Paragraph::new(lines), body);
    }

    fn hint(&self) -> &'static str {
        match &self.stage {
            Stage::Setup => " j/k option · h/l change · Enter run · Esc back ",
            Stage::Running { .. } => " Esc/c cancel the job ",
            Stage::Done { confirm: true, .. } => " Apply this plan? y yes · n no ",
            Stage::Done { .. } => " a apply · r new run · Esc discard ",
            Stage::Applying { .. } => " writing the plan… ",
            Stage::Applied(_) | Stage::Cancelled | Stage::Failed(_) => " r new run · Esc back ",
        }
    }

    fn option_lines(&self, theme: Theme) -> Vec<Line<'static>> {
        let setup = self.stage == Stage::Setup;
        let scope = match self.scope {
            ScopeChoice::WorkingDate => format!("working date {}", day(self.date)),
            ScopeChoice::SeveralDates => {
                format!(
                    "{} from {}",
                    count(self.days as usize, "date"),
                    day(self.date)
                )
            }
            ScopeChoice::MarkedRoutes => count(self.marked.len(), "marked route"),
        };
        let days = if self.scope == ScopeChoice::SeveralDates {
            format!("{}", self.days)
        } else {
            "—".into()
        };
        let values = [
            ("Scope", scope),
            ("Days", days),
            ("Time limit", format!("{} s", LIMITS[self.limit])),
            ("Goal", GOALS[self.goal].1.to_string()),
        ];
        values
            .into_iter()
            .enumerate()
            .map(|(i, (name, value))| {
                let focused = setup && i == self.field;
                let st = if focused {
                    theme.selected()
                } else {
                    Style::new()
                };
                Line::from(vec![
                    Span::styled(format!("{name:>11}  "), theme.field_name()),
                    Span::styled(format!("‹ {value} ›"), st),
                ])
            })
            .collect()
    }

    fn result_lines(
        &self,
        result: &OptResult,
        current: &PlanData,
        theme: Theme,
    ) -> Vec<Line<'static>> {
        let working = self.date.as_u32();
        let km = |m: f64| m / 1000.0;
        let delta = |after: f64, before: Option<f64>, unit: &str| match before {
            Some(b) => {
                let d = after - b;
                let tone = if d < -0.05 {
                    Tone::Good
                } else if d > 0.05 {
                    Tone::Bad
                } else {
                    Tone::Muted
                };
                Span::styled(format!("{d:+8.1}{unit}"), theme.tone(tone))
            }
            None => Span::styled(format!("{:>8}{unit}", "new"), theme.tone(Tone::Muted)),
        };
        let mut lines = vec![Line::styled(
            format!(
                "{:<20} {:>5} {:>9} {:>9} {:>8} {:>9} {:>11}",
                "Driver", "Stops", "Km", "Min", "Δ stops", "Δ km", "First–last"
            ),
            theme.header(),
        )];
        let (mut before_km, mut before_min, mut after_km, mut after_min) = (0.0, 0.0, 0.0, 0.0);
        let (mut before_stops, mut after_stops) = (0usize, 0usize);
        for r in &current.routes {
            before_km += km(r.distance_m.unwrap_or(0.0));
            before_min += r.duration_min.unwrap_or(0.0);
            before_stops += r.stops.len();
        }
        for r in &result.routes {
            let before = current.routes.iter().find(|c| {
                r.date.is_none_or(|d| d == working)
                    && c.driver_id.is_some()
                    && c.driver_id == r.driver_id
            });
            after_km += km(r.distance_m);
            after_min += r.duration;
            after_stops += r.stops;
            let span = match (r.first, r.last) {
                (Some(a), Some(b)) => format!("{}–{}", fmt_minutes(a), fmt_minutes(b)),
                _ => "—".into(),
            };
            let name: String = r.driver.chars().take(20).collect();
            let stops_delta = match before {
                Some(b) => format!("{:+8}", r.stops as i64 - b.stops.len() as i64),
                None => format!("{:>8}", "new"),
            };
            lines.push(Line::from(vec![
                Span::raw(format!(
                    "{name:<20} {:>5} {:>9.1} {:>9.0} {stops_delta}",
                    r.stops,
                    km(r.distance_m),
                    r.duration
                )),
                Span::raw(" "),
                delta(
                    km(r.distance_m),
                    before.map(|b| km(b.distance_m.unwrap_or(0.0))),
                    "",
                ),
                Span::raw(format!(" {span:>11}")),
            ]));
        }
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{:<20} {:>5} {:>9.1} {:>9.0} {:+8}",
                    "Total",
                    after_stops,
                    after_km,
                    after_min,
                    after_stops as i64 - before_stops as i64
                ),
                theme.heading(),
            ),
            Span::raw(" "),
            delta(after_km, Some(before_km), ""),
            Span::raw(" "),
            delta(after_min, Some(before_min), " min"),
        ]));
        lines.push(Line::styled(
            format!(
                "Before: {}, {}, {before_km:.1} km, {before_min:.0} min",
                count(current.routes.len(), "route"),
                count(before_stops, "stop")
            ),
            theme.tone(Tone::Muted),
        ));
        if result.unassigned.is_empty() {
            lines.push(Line::styled("Every task assigned.", theme.tone(Tone::Good)));
        } else {
            lines.push(Line::styled(
                format!("Unassigned ({}):", result.unassigned.len()),
                theme.tone(Tone::Warn),
            ));
            for u in &result.unassigned {
                lines.push(Line::raw(format!(
                    "  {:<16} {:<13} {}",
                    u.task, u.reason, u.message
                )));
            }
        }
        lines
    }
}
