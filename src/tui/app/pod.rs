//! The proof-of-delivery view inside [`App`]: opening it on the selected task, its keys,
//! its answers from the actor, and saving its images.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use crate::actor::{Command, RequestId};
use crate::api::error::ApiError;
use crate::api::model::ProofOfDelivery;
use crate::api::paths::Collection;

use super::App;
use crate::tui::keymap::{Action, KeyContext};
use crate::tui::msg::Effect;
use crate::tui::screens::pod::{DecodedPod, PodArrival, PodOutcome, PodView};
use crate::tui::widgets::toast::Level;

impl App {
    /// The open proof-of-delivery view, if any.
    pub fn pod_view(&self) -> Option<&PodView> {
        self.pod.as_ref()
    }

    /// Opens the proof of delivery of the selected task and asks the actor for it.
    pub(super) fn open_pod(&mut self) -> Vec<Effect> {
        if self.active_collection() != Collection::Tasks {
            return self.warn_only("Proof of delivery belongs to tasks: open the Tasks tab");
        }
        let screen = self.screen();
        let Some((item, id)) = screen.current_item().and_then(|item| {
            let id = screen.resource().id(item)?.to_string();
            Some((item.clone(), id))
        }) else {
            return self.warn_only("No task selected");
        };
        let mut cancel = self.cancel_pod_request();
        let mut view = PodView::for_task(&item, id);
        let req = self.req();
        cancel.push(Effect::Send(view.load(req)));
        self.pod = Some(view);
        cancel
    }

    fn warn_only(&mut self, text: &str) -> Vec<Effect> {
        self.toasts.push(Level::Warn, text);
        Vec::new()
    }

    /// Stops the view's request in flight, so its late answer is not shown as an error.
    fn cancel_pod_request(&mut self) -> Vec<Effect> {
        self.pod
            .as_ref()
            .and_then(PodView::pending)
            .map(|req| Effect::Send(Command::Cancel { req }))
            .into_iter()
            .collect()
    }

    /// A key while the view is open: its own keys, then the task and global keys.
    pub(super) fn on_pod_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // Through the key reader, so that sequences (`gg`) work here too.
        match self.key_reader.feed(
            &self.ctx.keymap,
            Some(KeyContext::Tasks),
            KeyContext::Pod,
            &key,
        ) {
            Some(a) => self.on_pod_action(a),
            None => Vec::new(),
        }
    }

    /// An action while the view is open.
    pub(super) fn on_pod_action(&mut self, action: Action) -> Vec<Effect> {
        let body = self.areas().body;
        let Some(view) = self.pod.as_mut() else {
            return Vec::new();
        };
        match view.on_action(action, body, &self.ctx) {
            PodOutcome::Stay => Vec::new(),
            PodOutcome::Close => {
                let cancel = self.cancel_pod_request();
                self.pod = None;
                cancel
            }
            PodOutcome::Reload => {
                let mut out = self.cancel_pod_request();
                let req = self.req();
                if let Some(view) = self.pod.as_mut() {
                    out.push(Effect::Send(view.load(req)));
                }
                out
            }
            PodOutcome::Save => self.save_pod(),
            PodOutcome::Ignored => match action {
                Action::Quit | Action::Help => self.on_action(action),
                _ => Vec::new(),
            },
        }
    }

    fn save_pod(&mut self) -> Vec<Effect> {
        let Some(view) = self.pod.as_ref() else {
            return Vec::new();
        };
        let label = view.label().to_string();
        let (files, links) = view.files();
        if !links.is_empty() {
            self.toasts.push(
                Level::Warn,
                format!(
                    "Not saved, only a link was sent: {} (the console does not download)",
                    links.join(", ")
                ),
            );
        }
        if files.is_empty() {
            return self.warn_only(&format!("Nothing to save for {label}: no image data"));
        }
        vec![Effect::SaveFiles(files)]
    }

    /// The proof arrived: shown at once when it has nothing to decode, else its pictures
    /// are decoded off the UI thread.
    pub(super) fn on_pod_loaded(&mut self, req: RequestId, pod: ProofOfDelivery) -> Vec<Effect> {
        let Some(v) = self.pod.as_mut() else {
            return Vec::new();
        };
        match v.on_loaded(req, pod) {
            PodArrival::NotMine => Vec::new(),
            PodArrival::Shown => {
                self.dirty = true;
                Vec::new()
            }
            PodArrival::Decode(job) => vec![Effect::DecodePod(job)],
        }
    }

    /// The proof's pictures were decoded.
    pub(super) fn on_pod_decoded(&mut self, decoded: DecodedPod) {
        if let Some(v) = self.pod.as_mut()
            && v.on_decoded(decoded)
        {
            self.dirty = true;
        }
    }

    /// A failed request; true when it was the view's.
    pub(super) fn on_pod_failed(&mut self, req: RequestId, error: &ApiError) -> bool {
        let mine = self.pod.as_mut().is_some_and(|v| v.on_failed(req, error));
        self.dirty |= mine;
        mine
    }

    /// Files were written (or not): say where.
    pub(super) fn on_saved(&mut self, result: Result<Vec<PathBuf>, String>) {
        match result {
            // A toast is one line: a path each while they fit, else the folder once.
            Ok(paths) if paths.len() <= 3 => {
                for p in paths {
                    self.toasts
                        .push(Level::Info, format!("Saved {}", p.display()));
                }
            }
            Ok(paths) => {
                let dir = paths
                    .first()
                    .and_then(|p| p.parent())
                    .map(|d| d.display().to_string())
                    .unwrap_or_default();
                let names: Vec<String> = paths
                    .iter()
                    .filter_map(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .collect();
                self.toasts.push(
                    Level::Info,
                    format!(
                        "Saved {} in {dir}: {}",
                        crate::api::paths::count(paths.len(), "file"),
                        names.join(", ")
                    ),
                );
            }
            Err(e) => self
                .toasts
                .push(Level::Error, format!("Could not save the images: {e}")),
        }
        self.dirty = true;
    }
}
