//! Forms drivers fill in (a delivery checklist and a start-of-day vehicle check) and their
//! submitted answers.

use serde_json::{Map, Value, json};

use crate::api::model::{Date, EntityRef, Form, FormSubmission, Route, Task};
use crate::api::paths::Collection;

use super::clock::{NOW, unix};
use super::draw::Gen;
use super::pod::{Handover, PodRecord};

/// Delivery checklists answered, at most.
const DELIVERY_SUBMISSIONS: usize = 26;
/// Vehicle checks answered, at most.
const CHECKLIST_SUBMISSIONS: usize = 8;

/// The delivery POD form and the start-of-day vehicle checklist.
pub(super) fn forms(g: &mut Gen) -> Vec<Form> {
    let pod = Form {
        id: Some(g.object_id()),
        uid: Some(g.uid(Collection::Forms.uid_prefix())),
        name: Some("Delivery checklist".into()),
        description: Some("Asked at every delivery before the signature".into()),
        purpose: Some("pod".into()),
        active: Some(true),
        components: Some(vec![
            json!({"key": "recipientName", "type": "textfield", "label": "Recipient name", "required": true}),
            json!({"key": "parcelsCount", "type": "number", "label": "Parcels handed over", "required": true}),
            json!({"key": "packagingIntact", "type": "checkbox", "label": "Packaging intact", "required": false}),
            json!({"key": "leftAt", "type": "select", "label": "Left at", "required": true,
            "data": {"values": [
                {"label": "With the recipient", "value": "recipient"},
                {"label": "With a neighbour", "value": "neighbour"},
                {"label": "At reception", "value": "reception"},
                {"label": "In a safe place", "value": "safe-place"}
            ]}}),
        ]),
        ..Form::default()
    };
    let check = Form {
        id: Some(g.object_id()),
        uid: Some(g.uid(Collection::Forms.uid_prefix())),
        name: Some("Start-of-day vehicle check".into()),
        description: Some("Walk-around check before leaving the depot".into()),
        purpose: Some("startChecklist".into()),
        active: Some(true),
        components: Some(vec![
            json!({"key": "tyres", "type": "checkbox", "label": "Tyres and wheels OK", "required": true}),
            json!({"key": "lights", "type": "checkbox", "label": "Lights and indicators OK", "required": true}),
            json!({"key": "mileage", "type": "number", "label": "Odometer (miles)", "required": true}),
            json!({"key": "fuelLevel", "type": "select", "label": "Fuel or charge", "required": true,
            "data": {"values": [
                {"label": "Full", "value": "full"},
                {"label": "Three quarters", "value": "3/4"},
                {"label": "Half", "value": "1/2"},
                {"label": "Low", "value": "low"}
            ]}}),
            json!({"key": "defects", "type": "textfield", "label": "Defects seen", "required": false}),
        ]),
        ..Form::default()
    };
    vec![pod, check]
}

fn form_ref(f: &Form) -> EntityRef {
    EntityRef {
        id: f.id.clone(),
        uid: f.uid.clone(),
        name: f.name.clone(),
        ..EntityRef::default()
    }
}

/// Answers: delivery checklists on some completed tasks (`tasks` as given to the POD
/// generator) and vehicle checks by drivers whose route started today.
pub(super) fn submissions(
    g: &mut Gen,
    forms: &[Form],
    tasks: &[&Task],
    pods: &[PodRecord],
    today: Date,
    routes_today: &[Route],
) -> Vec<FormSubmission> {
    let mut out = Vec::new();
    let (Some(pod_form), Some(check_form)) = (forms.first(), forms.get(1)) else {
        return out;
    };
    let delivered: Vec<&PodRecord> = pods
        .iter()
        .filter(|p| p.handover != Handover::Failed)
        .collect();
    let step = (delivered.len() / DELIVERY_SUBMISSIONS).max(1);
    for p in delivered.iter().step_by(step).take(DELIVERY_SUBMISSIONS) {
        let t = tasks[p.task];
        let driver = t
            .assignment
            .as_ref()
            .and_then(|a| a.assignee.as_ref())
            .map(|a| EntityRef {
                id: a.id.clone(),
                uid: a.uid.clone(),
                ..EntityRef::default()
            });
        let parcels: f64 = t.items.iter().flatten().filter_map(|i| i.quantity).sum();
        let mut data = Map::new();
        data.insert(
            "recipientName".into(),
            Value::from(p.pod.recipient_name.clone().unwrap_or_default()),
        );
        data.insert("parcelsCount".into(), Value::from(parcels));
        data.insert("packagingIntact".into(), Value::from(g.chance(0.93)));
        data.insert("leftAt".into(), Value::from(p.handover.form_value()));
        out.push(FormSubmission {
            id: Some(g.object_id()),
            uid: Some(g.uid(Collection::FormSubmissions.uid_prefix())),
            form: Some(form_ref(pod_form)),
            task: Some(EntityRef {
                id: t.id.clone(),
                uid: t.uid.clone(),
                ..EntityRef::default()
            }),
            driver,
            segment: Some("delivery".into()),
            submitted_at: p.pod.completed_at,
            data: Some(data),
            ..FormSubmission::default()
        });
    }
    let started = routes_today
        .iter()
        .filter(|r| r.start.is_some_and(|s| s <= NOW))
        .take(CHECKLIST_SUBMISSIONS);
    for r in started {
        let start = i64::from(r.start.unwrap_or(NOW));
        let mut data = Map::new();
        data.insert("tyres".into(), Value::from(true));
        data.insert("lights".into(), Value::from(g.chance(0.9)));
        data.insert("mileage".into(), Value::from(g.int(8_000, 92_000)));
        data.insert(
            "fuelLevel".into(),
            Value::from(*g.pick(&["full", "3/4", "1/2"])),
        );
        let defects = if g.chance(0.25) {
            "Nearside mirror cracked"
        } else {
            ""
        };
        data.insert("defects".into(), Value::from(defects));
        out.push(FormSubmission {
            id: Some(g.object_id()),
            uid: Some(g.uid(Collection::FormSubmissions.uid_prefix())),
            form: Some(form_ref(check_form)),
            driver: r.assignee.as_ref().map(|a| EntityRef {
                id: a.id.clone(),
                uid: a.uid.clone(),
                ..EntityRef::default()
            }),
            segment: Some("checklist".into()),
            submitted_at: Some(unix(today, start - 40)),
            data: Some(data),
            ..FormSubmission::default()
        });
    }
    out
}
