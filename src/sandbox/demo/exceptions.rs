//! Driver schedule exceptions, and the working day they leave each driver with.

use crate::api::model::{
    Date, DateRange, EntityRef, ExceptionOverrides, Minutes, ScheduleException,
};
use crate::api::paths::Collection;

use super::draw::Gen;
use super::fleet::{
    DAY_OFF_DRIVER, Fleet, MOVED_DRIVER, SHIFT_OVERRIDE_DRIVER, SKILLS_OVERRIDE_DRIVER,
    day_schedule, depot_location,
};

/// Driver whose sick leave lies in the past.
const PAST_LEAVE_DRIVER: usize = 5;
/// Driver on holiday next week.
const HOLIDAY_DRIVER: usize = 14;
/// The depot the moved driver covers (Nine Elms).
const COVER_DEPOT: usize = 1;

/// One driver's working day after exceptions: where, when, and with which skills.
#[derive(Debug, Clone)]
pub(super) struct WorkingDay {
    /// Driver index.
    pub driver: usize,
    /// Depot the route starts and ends at.
    pub depot: usize,
    /// Shift start, minutes from midnight.
    pub start: Minutes,
    /// Skills for the day.
    pub skills: Vec<String>,
}

/// The exceptions of the demo, relative to `today`.
pub(super) fn generate(g: &mut Gen, fleet: &Fleet, today: Date) -> Vec<ScheduleException> {
    let range = |a: i64, b: i64| DateRange {
        start_date: today.add_days(a),
        end_date: today.add_days(b),
        extra: Default::default(),
    };
    let mut out = Vec::new();
    let mut add = |g: &mut Gen,
                   i: usize,
                   r: DateRange,
                   what: &str,
                   off: bool,
                   o: Option<ExceptionOverrides>| {
        let d = &fleet.drivers[i];
        out.push(ScheduleException {
            id: Some(g.object_id()),
            uid: Some(g.uid(Collection::ScheduleExceptions.uid_prefix())),
            reference: Some(format!("{} {}", d.full_name(), r.start_date)),
            driver: Some(EntityRef {
                plain_id: d.id.clone(),
                uid: d.uid.clone(),
                ..EntityRef::default()
            }),
            date_range: Some(r),
            description: Some(what.to_string()),
            day_off: Some(off),
            overrides: o,
            ..ScheduleException::default()
        });
    };
    add(
        g,
        PAST_LEAVE_DRIVER,
        range(-12, -10),
        "Sick leave",
        true,
        None,
    );
    add(g, DAY_OFF_DRIVER, range(0, 2), "Annual leave", true, None);
    add(
        g,
        SHIFT_OVERRIDE_DRIVER,
        range(0, 0),
        "Dentist appointment: starts at 09:00",
        false,
        Some(ExceptionOverrides {
            schedule: Some(day_schedule(540, 1020)),
            ..ExceptionOverrides::default()
        }),
    );
    let mut skills = fleet.drivers[SKILLS_OVERRIDE_DRIVER]
        .skills
        .clone()
        .unwrap_or_default();
    skills.push("adr".into());
    add(
        g,
        SKILLS_OVERRIDE_DRIVER,
        range(0, 6),
        "ADR refresher passed; temporary certificate until the card arrives",
        false,
        Some(ExceptionOverrides {
            skills: Some(skills),
            ..ExceptionOverrides::default()
        }),
    );
    let cover = depot_location(&fleet.depots[COVER_DEPOT]);
    add(
        g,
        MOVED_DRIVER,
        range(1, 3),
        "Covering Nine Elms while the Park Royal yard is resurfaced",
        false,
        Some(ExceptionOverrides {
            start_location: Some(cover.clone()),
            end_location: Some(cover),
            ..ExceptionOverrides::default()
        }),
    );
    add(g, HOLIDAY_DRIVER, range(7, 11), "Holiday", true, None);
    out
}

/// Driver `i`'s working day on `date`, or `None` when they do not work.
pub(super) fn working_day(
    fleet: &Fleet,
    exceptions: &[ScheduleException],
    i: usize,
    date: Date,
) -> Option<WorkingDay> {
    let d = fleet.drivers.get(i)?;
    let active: Vec<&ScheduleException> = exceptions
        .iter()
        .filter(|e| {
            e.driver.as_ref().and_then(|r| r.uid.as_deref()) == d.uid.as_deref()
                && e.date_range.as_ref().is_some_and(|r| r.contains(date))
        })
        .collect();
    if active.iter().any(|e| e.day_off == Some(true)) {
        return None;
    }
    let overrides = || active.iter().filter_map(|e| e.overrides.as_ref());
    let day = overrides()
        .find_map(|o| o.schedule.clone())
        .or_else(|| d.schedule.as_ref()?.get(date.weekday_name()).cloned())?;
    let w = day.time_windows.as_ref()?.first()?;
    let depot = overrides()
        .find_map(|o| o.start_location.as_ref()?.uid.as_deref())
        .or(d.start_location.as_ref()?.uid.as_deref())
        .and_then(|uid| fleet.depot_index(uid))
        .unwrap_or(fleet.home_depot(i));
    let skills = overrides()
        .find_map(|o| o.skills.clone())
        .or_else(|| d.skills.clone())
        .unwrap_or_default();
    Some(WorkingDay {
        driver: i,
        depot,
        start: w.start,
        skills,
    })
}
