//! Proofs of delivery for the tasks that were completed or failed: who took the goods,
//! where the driver stood, a signature, a doorstep photo and the driver's comment.

use crate::api::model::{
    Coordinates, EntityRef, PodAction, PodFile, ProofOfDelivery, Task, TaskState,
};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::clock::iso;
use super::draw::Gen;
use super::geo::offset;
use super::images::{doorstep, signature};
use super::tasks::point;

/// POD action type code of a comment (the only code the API documents).
const COMMENT: i64 = 4;

const SAFE_PLACES: &[&str] = &[
    "in the porch",
    "behind the side gate",
    "in the recycling shed",
];

/// How the goods were handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Handover {
    /// To the person named on the order.
    Recipient,
    /// To a neighbour.
    Neighbour,
    /// To a reception desk.
    Reception,
    /// Left in a safe place, photographed.
    SafePlace,
    /// Not delivered.
    Failed,
}

impl Handover {
    /// The answer a driver gives in the delivery checklist's "left at" question.
    pub fn form_value(self) -> &'static str {
        match self {
            Handover::Recipient => "recipient",
            Handover::Neighbour => "neighbour",
            Handover::Reception => "reception",
            Handover::SafePlace => "safe-place",
            Handover::Failed => "not-delivered",
        }
    }
}

/// One generated proof of delivery.
pub(super) struct PodRecord {
    /// Index of the task in the list given to [`generate`].
    pub task: usize,
    /// The proof.
    pub pod: ProofOfDelivery,
    /// How the goods were handed over.
    pub handover: Handover,
}

/// A proof for every completed or failed task among `tasks`.
pub(super) fn generate(g: &mut Gen, tasks: &[&Task]) -> Vec<PodRecord> {
    let mut out = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        let state = t.state();
        if state != TaskState::COMPLETED && !state.is_failed() {
            continue;
        }
        out.push(record(g, i, t, state));
    }
    out
}

fn record(g: &mut Gen, i: usize, t: &Task, state: TaskState) -> PodRecord {
    let when = t.state_timestamp.unwrap_or(0);
    let failed = state.is_failed();
    // A pickup failure happens at the depot; everything else at the delivery address.
    let stop = if state == TaskState::PICKUP_FAILED {
        t.pickup
            .as_ref()
            .and_then(|p| p.location.as_ref()?.coordinates)
            .unwrap_or(point(t))
    } else {
        point(t)
    };
    let far = failed && g.chance(0.35);
    let metres = if far {
        g.real(300.0, 600.0)
    } else {
        g.real(5.0, 80.0)
    };
    let gps: Coordinates = offset(stop, metres, g.real(0.0, 360.0));
    let contact = t
        .location
        .as_ref()
        .and_then(|l| l.contact_name.clone())
        .or_else(|| t.customer.as_ref().and_then(|c| c.name.clone()))
        .unwrap_or_else(|| "Customer".into());
    let business = t.location.as_ref().and_then(|l| l.kind) == Some(1)
        && t.custom_data
            .as_ref()
            .and_then(|c| c.get("Channel"))
            .and_then(|v| v.as_str())
            == Some("b2b");
    let handover = if failed {
        Handover::Failed
    } else {
        let r = g.real(0.0, 1.0);
        if business && r < 0.5 {
            Handover::Reception
        } else if r < 0.7 {
            Handover::Recipient
        } else if r < 0.85 {
            Handover::Neighbour
        } else {
            Handover::SafePlace
        }
    };
    let (recipient, notes) = match handover {
        Handover::Recipient => (Some(contact.clone()), format!("Handed to {contact}")),
        Handover::Reception => (
            Some(format!("Reception ({})", contact)),
            "Signed for at reception".to_string(),
        ),
        Handover::Neighbour => {
            let n = g.int(1, 60);
            (
                Some(format!("Neighbour at no. {n}")),
                format!("Left with the neighbour at no. {n}"),
            )
        }
        Handover::SafePlace => (None, format!("Left {}", g.pick(SAFE_PLACES))),
        Handover::Failed => (
            None,
            t.state_reason
                .clone()
                .unwrap_or_else(|| "Could not deliver".into()),
        ),
    };
    let signature = match handover {
        Handover::Recipient | Handover::Reception | Handover::Neighbour => signature_file(g),
        _ => None,
    };
    let wants_photo = match handover {
        Handover::SafePlace => true,
        Handover::Failed => g.chance(0.6),
        _ => g.chance(0.4),
    };
    let photos = if wants_photo {
        doorstep(g, !failed).ok().map(|png| {
            vec![PodFile {
                mime_type: Some("image/png".into()),
                data: Some(BASE64.encode(&png)),
                caption: Some(
                    if failed {
                        "Card left at the door"
                    } else {
                        "Parcel at the door"
                    }
                    .into(),
                ),
                ..PodFile::default()
            }]
        })
    } else {
        None
    };
    let pod = ProofOfDelivery {
        task: Some(EntityRef {
            id: t.id.clone(),
            uid: t.uid.clone(),
            reference: t.reference.clone(),
            ..EntityRef::default()
        }),
        segment: Some(if failed { "failed" } else { "delivery" }.into()),
        state: Some(state),
        completed_at: Some(when),
        completed_at_iso: Some(iso(when)),
        recipient_name: recipient,
        notes: Some(notes.clone()),
        signature,
        photos,
        location: Some(gps),
        actions: Some(vec![PodAction {
            kind: Some(COMMENT),
            type_text: Some("comment".into()),
            value: Some(notes.into()),
            timestamp: Some(when),
            ..PodAction::default()
        }]),
        ..ProofOfDelivery::default()
    };
    PodRecord {
        task: i,
        pod,
        handover,
    }
}

fn signature_file(g: &mut Gen) -> Option<PodFile> {
    let png = signature(g).ok()?;
    Some(PodFile {
        mime_type: Some("image/png".into()),
        data: Some(BASE64.encode(&png)),
        caption: Some("Signature".into()),
        ..PodFile::default()
    })
}
