//! The proof-of-delivery view of one task: state and time of completion, recipient, notes,
//! the collected actions, where the driver stood and how far that is from the stop, and the
//! signature and photos drawn inline with half blocks. It covers the body while open.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use serde_json::Value;

use crate::actor::{Command, RequestId};
use crate::api::error::ApiError;
use crate::api::model::{Coordinates, ProofOfDelivery, TaskState};
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::save::FileToSave;
use crate::tui::theme::{Theme, Tone};
use crate::tui::value_fmt::{self, thousands, timestamp};
use crate::tui::widgets::halfblock::halfblock_lines;
use crate::tui::widgets::scroll_text::ScrollText;

use super::pod_image::{PodImage, file_stem};

/// Width of the label column.
const LABEL: usize = 11;
/// GPS farther than this from the stop is highlighted.
const FAR_M: f64 = 200.0;

/// What the view has to show.
#[derive(Debug, Clone)]
pub enum PodState {
    /// The request is under way.
    Loading,
    /// The proof, with its images decoded.
    Shown(Box<Shown>),
    /// The task has no proof of delivery (the server's reason, when it gave one).
    Missing(Option<String>),
    /// Loading failed.
    Failed(String),
}

/// What a proof's arrival asks of the app.
#[derive(Debug)]
pub enum PodArrival {
    /// It answers another request.
    NotMine,
    /// The view shows it as it is (a task without proof).
    Shown,
    /// Decode its pictures off the UI thread, then hand them to [`PodView::on_decoded`].
    Decode(Box<PodDecode>),
}

/// A proof whose pictures are still to be decoded.
#[derive(Debug)]
pub struct PodDecode {
    req: RequestId,
    pod: ProofOfDelivery,
}

impl PodDecode {
    /// Decodes the signature and the photos (base64, then PNG pixels).
    pub fn run(self) -> DecodedPod {
        let signature = self
            .pod
            .signature
            .as_ref()
            .map(|f| PodImage::new("signature", f));
        let photos = self
            .pod
            .photos
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, f)| PodImage::new(format!("photo {}", i + 1), f))
            .collect();
        DecodedPod {
            req: self.req,
            pod: self.pod,
            signature,
            photos,
        }
    }
}

/// A proof with its pictures decoded (the answer to a [`PodDecode`]).
#[derive(Debug)]
pub struct DecodedPod {
    req: RequestId,
    pod: ProofOfDelivery,
    signature: Option<PodImage>,
    photos: Vec<PodImage>,
}

/// A loaded proof and its decoded images.
#[derive(Debug, Clone)]
pub struct Shown {
    pod: ProofOfDelivery,
    signature: Option<PodImage>,
    photos: Vec<PodImage>,
}

/// What a key in the view asks of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodOutcome {
    /// Handled inside the view.
    Stay,
    /// Close the view.
    Close,
    /// Load the proof again.
    Reload,
    /// Save the images.
    Save,
    /// Not a key of this view.
    Ignored,
}

/// The open proof-of-delivery view.
#[derive(Debug, Clone)]
pub struct PodView {
    task_id: String,
    label: String,
    /// Where the delivery stop is, and the pickup stop of a two-stage task.
    stop: Option<Coordinates>,
    pickup_stop: Option<Coordinates>,
    req: Option<RequestId>,
    state: PodState,
    photo: usize,
    scroll: usize,
}

fn coords_at(task: &Value, path: &str) -> Option<Coordinates> {
    value_fmt::get(task, path).and_then(|v| serde_json::from_value(v.clone()).ok())
}

impl PodView {
    /// The view of a task (a raw task item) with `_id` `task_id`; nothing loaded yet.
    pub fn for_task(task: &Value, task_id: String) -> PodView {
        let label = ["reference", "uid"]
            .iter()
            .find_map(|k| value_fmt::text(task, k))
            .unwrap_or(&task_id)
            .to_string();
        PodView {
            label,
            stop: coords_at(task, "location.coordinates"),
            pickup_stop: coords_at(task, "pickup.location.coordinates"),
            task_id,
            req: None,
            state: PodState::Loading,
            photo: 0,
            scroll: 0,
        }
    }

    /// The task's reference (or UID, or `_id`).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// What is shown.
    pub fn state(&self) -> &PodState {
        &self.state
    }

    /// The request in flight.
    pub fn pending(&self) -> Option<RequestId> {
        self.req
    }

    /// The loaded proof.
    pub fn pod(&self) -> Option<&ProofOfDelivery> {
        match &self.state {
            PodState::Shown(s) => Some(&s.pod),
            _ => None,
        }
    }

    /// Index of the photo shown.
    pub fn photo(&self) -> usize {
        self.photo
    }

    /// Starts (again) to load the proof; the command to send.
    pub fn load(&mut self, req: RequestId) -> Command {
        self.req = Some(req);
        self.state = PodState::Loading;
        Command::Pod {
            req,
            task: self.task_id.clone(),
        }
    }

    /// The proof arrived. Its pictures are decoded off the UI thread (a large PNG takes a
    /// while): the view keeps saying "loading" until [`PodView::on_decoded`].
    pub fn on_loaded(&mut self, req: RequestId, pod: ProofOfDelivery) -> PodArrival {
        if self.req != Some(req) {
            return PodArrival::NotMine;
        }
        if is_empty(&pod) {
            self.req = None;
            self.state = PodState::Missing(None);
            return PodArrival::Shown;
        }
        PodArrival::Decode(Box::new(PodDecode { req, pod }))
    }

    /// The pictures were decoded; false when they belong to a request since replaced.
    pub fn on_decoded(&mut self, decoded: DecodedPod) -> bool {
        if self.req != Some(decoded.req) {
            return false;
        }
        self.req = None;
        self.photo = 0;
        self.scroll = 0;
        self.state = PodState::Shown(Box::new(Shown {
            pod: decoded.pod,
            signature: decoded.signature,
            photos: decoded.photos,
        }));
        true
    }

    /// Loading failed; false when it is another request's failure. A 404 means the task
    /// has no proof, which is an answer, not an error.
    pub fn on_failed(&mut self, req: RequestId, error: &ApiError) -> bool {
        if self.req != Some(req) {
            return false;
        }
        self.req = None;
        self.state = match error {
            ApiError::NotFound { message } => {
                PodState::Missing(Some(message.clone()).filter(|m| !m.trim().is_empty()))
            }
            e => PodState::Failed(e.to_string()),
        };
        true
    }

    /// GPS of completion and its distance in metres from the stop it belongs to.
    pub fn distance_m(&self) -> Option<f64> {
        let pod = self.pod()?;
        let gps = pod.location?;
        let at_pickup =
            pod.state == Some(TaskState::PICKUP_FAILED) || pod.segment.as_deref() == Some("pickup");
        let stop = if at_pickup {
            self.pickup_stop.or(self.stop)
        } else {
            self.stop
        }?;
        Some(gps.haversine_m(&stop))
    }

    /// The files to save (images with inline data) and the labels of those that are only
    /// links.
    pub fn files(&self) -> (Vec<FileToSave>, Vec<String>) {
        let (mut files, mut links) = (Vec::new(), Vec::new());
        let PodState::Shown(s) = &self.state else {
            return (files, links);
        };
        let stem = file_stem(&self.label);
        for img in s.signature.iter().chain(&s.photos) {
            match (img.file_name(&stem), img.bytes()) {
                (Some(name), Some(bytes)) => files.push(FileToSave {
                    name,
                    bytes: bytes.to_vec(),
                }),
                _ => links.push(img.label().to_string()),
            }
        }
        (files, links)
    }

    /// Applies an action; `body` is the area the view is drawn in.
    pub fn on_action(&mut self, action: Action, body: Rect, ctx: &Context) -> PodOutcome {
        let page = ScrollText::inner_height(body).max(1);
        let last = self
            .lines(body.width.saturating_sub(2), page as u16, ctx)
            .len()
            .saturating_sub(page);
        let photos = match &self.state {
            PodState::Shown(s) => s.photos.len(),
            _ => 0,
        };
        match action {
            Action::Back => return PodOutcome::Close,
            Action::Refresh | Action::ProofOfDelivery => return PodOutcome::Reload,
            Action::SavePod => return PodOutcome::Save,
            Action::Down => self.scroll += 1,
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll += page,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = last,
            Action::NextPhoto | Action::NextTab if photos > 0 => {
                self.photo = (self.photo + 1) % photos;
            }
            Action::PrevPhoto | Action::PrevTab if photos > 0 => {
                self.photo = (self.photo + photos - 1) % photos;
            }
            Action::NextPhoto | Action::NextTab | Action::PrevPhoto | Action::PrevTab => {}
            _ => return PodOutcome::Ignored,
        }
        self.scroll = self.scroll.min(last);
        PodOutcome::Stay
    }

    /// The lines of the view for a text area `width` wide and `height` high (images get
    /// about half of the height each).
    pub fn lines(&self, width: u16, height: u16, ctx: &Context) -> Vec<Line<'static>> {
        let theme = ctx.theme;
        let muted = theme.tone(Tone::Muted);
        match &self.state {
            PodState::Loading => vec![Line::styled(
                format!("Loading the proof of delivery of {}…", self.label),
                muted,
            )],
            PodState::Missing(reason) => {
                let mut out = vec![Line::styled(
                    format!("No proof of delivery for {}", self.label),
                    theme.heading(),
                )];
                if let Some(r) = reason {
                    out.push(Line::styled(format!("The server says: {r}"), muted));
                }
                out
            }
            PodState::Failed(e) => vec![
                Line::styled(
                    format!("Could not load the proof of delivery of {}", self.label),
                    theme.error_text(),
                ),
                Line::raw(e.clone()),
                Line::styled(
                    format!(
                        "{} or {} tries again · {} goes back",
                        ctx.keymap.label(Action::Refresh),
                        ctx.keymap.label(Action::ProofOfDelivery),
                        ctx.keymap.label(Action::Back)
                    ),
                    muted,
                ),
            ],
            PodState::Shown(s) => self.shown_lines(s, width, height, ctx),
        }
    }

    fn shown_lines(&self, s: &Shown, width: u16, height: u16, ctx: &Context) -> Vec<Line<'static>> {
        let theme = ctx.theme;
        let pod = &s.pod;
        let mut out = Vec::new();
        let mut field = |name: &str, value: String, tone: Tone| {
            out.push(Line::from(vec![
                Span::styled(format!("{name:<LABEL$}"), theme.heading()),
                Span::styled(value, theme.tone(tone)),
            ]));
        };
        if let Some(st) = pod.state {
            let segment = pod
                .segment
                .as_deref()
                .map(|s| format!(" · {s}"))
                .unwrap_or_default();
            field("State", format!("{}{segment}", st.label()), state_tone(st));
        }
        let when = pod
            .completed_at
            .and_then(|t| timestamp(t, &ctx.tz))
            .or_else(|| {
                let ts: jiff::Timestamp = pod.completed_at_iso.as_deref()?.parse().ok()?;
                timestamp(ts.as_second(), &ctx.tz)
            });
        if let Some(w) = when {
            field("Completed", w, Tone::Normal);
        }
        field(
            "Recipient",
            pod.recipient_name
                .clone()
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(|| "—".into()),
            Tone::Normal,
        );
        if let Some(n) = pod.notes.as_ref().filter(|n| !n.trim().is_empty()) {
            field("Notes", n.clone(), Tone::Normal);
        }
        if let Some(gps) = pod.location {
            let (dist, tone) = match self.distance_m() {
                Some(m) => (
                    format!(" · {} m from the stop", thousands(m.round() as usize)),
                    if m > FAR_M { Tone::Warn } else { Tone::Normal },
                ),
                None => (" · the stop has no coordinates".into(), Tone::Muted),
            };
            field("GPS", format!("{gps}{dist}"), tone);
        }
        for (i, a) in pod.actions.iter().flatten().enumerate() {
            let kind = a
                .type_text
                .clone()
                .or(a.kind.map(|k| format!("type {k}")))
                .unwrap_or_else(|| "action".into());
            let value = match &a.value {
                Some(Value::String(v)) => v.clone(),
                Some(Value::Null) | None => String::new(),
                Some(v) => v.to_string(),
            };
            let at = a
                .timestamp
                .and_then(|t| timestamp(t, &ctx.tz))
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            let name = if i == 0 { "Actions" } else { "" };
            field(name, format!("{kind}: {value}{at}"), Tone::Normal);
        }
        let image_rows = (height / 2).max(6);
        let cols = width.saturating_sub(2);
        out.push(Line::raw(""));
        match &s.signature {
            Some(img) => image(&mut out, "Signature", img, cols, image_rows, theme),
            None => out.push(Line::from(vec![
                Span::styled(format!("{:<LABEL$}", "Signature"), theme.heading()),
                Span::styled("none", theme.tone(Tone::Muted)),
            ])),
        }
        out.push(Line::raw(""));
        match s.photos.get(self.photo) {
            Some(img) => {
                let title = format!("Photo {}/{}", self.photo + 1, s.photos.len());
                image(&mut out, &title, img, cols, image_rows, theme);
            }
            None => out.push(Line::from(vec![
                Span::styled(format!("{:<LABEL$}", "Photos"), theme.heading()),
                Span::styled("none", theme.tone(Tone::Muted)),
            ])),
        }
        out
    }

    /// Draws the view into `area`.
    pub fn render(&self, frame: &mut Frame, area: Rect, ctx: &Context) {
        let inner_h = ScrollText::inner_height(area);
        let lines = self.lines(area.width.saturating_sub(2), inner_h as u16, ctx);
        let scroll = self.scroll.min(lines.len().saturating_sub(inner_h));
        let k = &ctx.keymap;
        let mut hints = Vec::new();
        if let PodState::Shown(s) = &self.state {
            hints.push(format!("{} save", k.label(Action::SavePod)));
            if s.photos.len() > 1 {
                hints.push(format!(
                    "{}/{} photo",
                    k.label(Action::PrevPhoto),
                    k.label(Action::NextPhoto)
                ));
            }
        }
        hints.push(format!("{} reload", k.label(Action::Refresh)));
        hints.push(format!("{} back", k.label(Action::Back)));
        if lines.len() > inner_h {
            hints.push(format!(
                "{}–{}/{}",
                scroll + 1,
                (scroll + inner_h).min(lines.len()),
                lines.len()
            ));
        }
        frame.render_widget(
            ScrollText {
                lines: &lines,
                scroll,
                title: format!("Proof of delivery · {}", self.label),
                footer: hints.join(" · "),
                theme: ctx.theme,
            },
            area,
        );
    }
}

/// A heading line for an image, then the image itself, or a line saying why it is not
/// drawn.
fn image(
    out: &mut Vec<Line<'static>>,
    title: &str,
    img: &PodImage,
    cols: u16,
    rows: u16,
    theme: Theme,
) {
    let mut head = vec![Span::styled(format!("{title:<LABEL$}"), theme.heading())];
    let mut about: Vec<String> = img
        .caption()
        .filter(|c| !c.eq_ignore_ascii_case(img.label()))
        .map(str::to_string)
        .into_iter()
        .collect();
    about.push(img.describe());
    if let Some(u) = img.url() {
        about.push(u.to_string());
    }
    head.push(Span::raw(about.join(" · ")));
    out.push(Line::from(head));
    let why = match img.picture() {
        Ok(p) if theme.has_color() => {
            out.extend(halfblock_lines(p, cols, rows).into_iter().map(|l| {
                let mut spans = vec![Span::raw("  ")];
                spans.extend(l.spans);
                Line::from(spans)
            }));
            return;
        }
        Ok(_) => "not drawn without colours (NO_COLOR)".to_string(),
        Err(e) => format!("could not be shown: {e}"),
    };
    out.push(Line::styled(
        format!("  {}: {}, {why}", img.label(), img.describe()),
        theme.tone(Tone::Muted),
    ));
}

fn state_tone(s: TaskState) -> Tone {
    match s {
        TaskState::COMPLETED => Tone::Good,
        s if s.is_failed() => Tone::Bad,
        TaskState::CANCELLED => Tone::Muted,
        _ => Tone::Normal,
    }
}

/// A proof with nothing in it (what some servers answer for a task without one).
fn is_empty(p: &ProofOfDelivery) -> bool {
    p.completed_at.is_none()
        && p.completed_at_iso.is_none()
        && p.recipient_name.is_none()
        && p.notes.is_none()
        && p.signature.is_none()
        && p.photos.as_ref().is_none_or(Vec::is_empty)
        && p.location.is_none()
        && p.actions.as_ref().is_none_or(Vec::is_empty)
}
