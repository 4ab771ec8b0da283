//! The field lists of the create and edit forms, one function per collection. Paths and
//! kinds follow the wire contract (`/work/shared/elogii-api`) and the models in
//! `api::model`; fields a list does not name are kept untouched by an edit.

use crate::api::paths::Collection;
use crate::tui::widgets::form::{FieldKind, FieldSpec, FileFormat};

use FieldKind::*;

fn f(path: &str, label: &str, kind: FieldKind) -> FieldSpec {
    FieldSpec::new(path, label, kind)
}

fn choice(options: &[&str]) -> FieldKind {
    Choice(options.iter().map(|o| o.to_string()).collect())
}

/// The fields the create and edit forms of a collection show; `None` when the console
/// does not create or edit that collection.
pub fn fields(c: Collection) -> Option<Vec<FieldSpec>> {
    let v = match c {
        Collection::Tasks => tasks(),
        Collection::Drivers => drivers(),
        Collection::Vehicles => vehicles(),
        Collection::Depots => depots(),
        Collection::Customers => customers(),
        Collection::Zones => zones(),
        Collection::ScheduleExceptions => schedule_exceptions(),
        Collection::RouteTemplateGroups | Collection::TaskTemplateGroups => template_groups(),
        Collection::Forms => forms(),
        Collection::FormSubmissions => form_submissions(),
        // Routes are made by assigning tasks and by the optimizer, not by a form.
        Collection::Routes => return None,
    };
    Some(v)
}

fn tasks() -> Vec<FieldSpec> {
    vec![
        f("reference", "Reference", Text).required(),
        f("date", "Date", Date).required(),
        f("timeWindows", "Time windows", TimeWindows),
        f("location.name", "Location name", Text),
        f("location.address", "Address", Text),
        f("location.coordinates", "Coordinates", Coordinates),
        f("serviceDuration", "Service minutes", Decimal),
        f("tags", "Tags", Tags),
    ]
}

fn drivers() -> Vec<FieldSpec> {
    vec![
        f("firstName", "First name", Text).required(),
        f("lastName", "Last name", Text),
        f("email", "Email", Text),
        f("phone", "Phone", Text),
        f("skills", "Skills", Tags),
    ]
}

fn vehicles() -> Vec<FieldSpec> {
    vec![
        f("name", "Name", Text).required(),
        f("licensePlate", "Licence plate", Text),
        f("capabilities", "Capabilities", Tags),
    ]
}

fn depots() -> Vec<FieldSpec> {
    vec![
        f("name", "Name", Text).required(),
        f("location.address", "Address", Text),
        f("location.coordinates", "Coordinates", Coordinates),
    ]
}

/// A customer with its saved locations as a repeated group (`customers.md`).
fn customers() -> Vec<FieldSpec> {
    let location = vec![
        f("name", "Name", Text),
        f("address", "Address", Text),
        f("postCode", "Postcode", Text),
        f("city", "City", Text),
        f("coordinates", "Coordinates", Coordinates),
        f("contactPhone", "Phone", Text),
        f("instructions", "Instructions", Text),
    ];
    vec![
        f("name", "Name", Text).required(),
        f("reference", "Reference", Text),
        f("description", "Description", Text),
        f("contactName", "Contact", Text),
        f("contactPhone", "Contact phone", Text),
        f("contactEmail", "Contact email", Text),
        f("tags", "Tags", Tags),
        f("locations", "Locations", Group(location)),
    ]
}

/// A zone: its boundary comes from a GeoJSON file (`zones.md`).
fn zones() -> Vec<FieldSpec> {
    vec![
        f("name", "Name", Text).required(),
        f("order", "Order", Integer),
        f("tags", "Tags", Tags),
        f("geoJSON", "Boundary file", File(FileFormat::GeoJsonArea)),
        f("rules.matchOutsideOfZone", "Match outside", Bool),
        f("rules.skills", "Rule skills", Tags),
        f("rules.tags", "Rule tags", Tags),
    ]
}

/// A day off or other working hours of one driver over a date range
/// (`schedule-exceptions.md`).
fn schedule_exceptions() -> Vec<FieldSpec> {
    vec![
        f("driver.uid", "Driver UID", Text).required(),
        f("dateRange.startDate", "First day", Date).required(),
        f("dateRange.endDate", "Last day", Date).required(),
        f("dayOff", "Day off", Bool),
        f(
            "overrides.schedule.timeWindows",
            "Working hours",
            TimeWindows,
        ),
        f("overrides.skills", "Skills", Tags),
        f("description", "Description", Text),
        f("reference", "Reference", Text),
    ]
}

/// Route- and task-template groups share their editable part: name and repeat pattern.
fn template_groups() -> Vec<FieldSpec> {
    vec![
        f("name", "Name", Text).required(),
        f("keepAssignees", "Keep drivers", Bool),
        f(
            "schedulePattern.frequency",
            "Repeats",
            choice(&["daily", "weekly"]),
        ),
        f("schedulePattern.interval", "Every (n)", Integer),
        f("schedulePattern.weekDays", "Weekdays", Tags),
        f("schedulePattern.dateRange.startDate", "From", Date),
        f("schedulePattern.dateRange.endDate", "Until", Date),
    ]
}

/// A form and its components (Form.io-style `{key, type, label, required}`).
fn forms() -> Vec<FieldSpec> {
    let component = vec![
        f("key", "Key", Text).required(),
        // Form.io has many component types (textfield, number, select, signature, …).
        f("type", "Type", Text),
        f("label", "Label", Text),
        f("required", "Required", Bool),
    ];
    vec![
        f("name", "Name", Text).required(),
        f("description", "Description", Text),
        f(
            "purpose",
            "Purpose",
            choice(&["pod", "failedPod", "startChecklist", "endChecklist"]),
        ),
        f("active", "Active", Bool),
        f("components", "Components", Group(component)),
    ]
}

/// A driver's answers to a form; the answers are a JSON object keyed by component key.
fn form_submissions() -> Vec<FieldSpec> {
    vec![
        f("form.uid", "Form UID", Text).required(),
        f("task.uid", "Task UID", Text),
        f("driver.uid", "Driver UID", Text),
        f(
            "segment",
            "Segment",
            choice(&["pickup", "delivery", "item", "failed", "checklist"]),
        ),
        f("data", "Answers (JSON)", Json),
    ]
}
