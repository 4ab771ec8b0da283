//! Recurring work: route-template groups (a driver's fixed weekly round) and task-template
//! groups (orders that repeat).

use crate::api::model::{
    Assignee, Customer, Date, DateRange, EntityRef, RouteTemplate, RouteTemplateGroup,
    SchedulePattern, Task, TaskTemplate, TaskTemplateGroup,
};
use crate::api::paths::Collection;

use super::catalog::PRODUCTS;
use super::clock::unix;
use super::customers::{as_task_location, customer_ref, is_business};
use super::draw::Gen;
use super::fleet::{Fleet, depot_location};
use super::tasks::{World, assemble, demo_order};

/// UID prefix of route templates.
const ROUTE_TEMPLATE_PREFIX: &str = "RTT-";
/// UID prefix of task templates.
const TASK_TEMPLATE_PREFIX: &str = "TT-";

/// A group's name and how it repeats.
struct Recurrence {
    name: &'static str,
    frequency: &'static str,
    interval: i64,
    days: &'static [&'static str],
}

/// One driver's round: the driver index and the products every stop orders.
type Round = (usize, &'static [&'static str]);

impl Recurrence {
    fn weekly(name: &'static str, interval: i64, days: &'static [&'static str]) -> Self {
        Recurrence {
            name,
            frequency: "weekly",
            interval,
            days,
        }
    }

    /// The pattern, valid from four weeks ago to twelve weeks ahead.
    fn pattern(&self, today: Date) -> SchedulePattern {
        SchedulePattern {
            frequency: Some(self.frequency.into()),
            interval: Some(self.interval),
            week_days: (!self.days.is_empty())
                .then(|| self.days.iter().map(|d| d.to_string()).collect()),
            date_range: Some(DateRange {
                start_date: today.add_days(-28),
                end_date: today.add_days(84),
                extra: Default::default(),
            }),
            ..SchedulePattern::default()
        }
    }
}

/// A dateless task to a business customer with the products `skus`, picked up at `depot`.
fn template_task(
    g: &mut Gen,
    w: &World,
    reference: String,
    skus: &[&str],
    depot: Option<usize>,
    fleet: &Fleet,
) -> Task {
    let mut o = demo_order(g, w, None, 0, false);
    let businesses: Vec<&Customer> = w.customers.iter().filter(|c| is_business(c)).collect();
    if let Some(c) = businesses.get(g.index(businesses.len()))
        && let Some(l) = c.locations.as_ref().and_then(|l| l.first())
    {
        o.location = as_task_location(l);
        o.customer = Some(customer_ref(c));
        o.channel = "b2b";
    }
    o.external_id = format!("TPL-{reference}");
    o.reference = reference;
    o.lines = skus
        .iter()
        .filter_map(|s| PRODUCTS.iter().find(|p| p.sku == *s))
        .map(|p| (p, g.int(1, p.max_qty)))
        .collect();
    if let Some(d) = depot.and_then(|d| fleet.depots.get(d)) {
        o.pickup = Some(depot_location(d));
    }
    let mut t = assemble(g, o);
    // Scheduling makes new tasks from the template; they get their own ids then.
    t.id = None;
    t.uid = None;
    t
}

fn template(g: &mut Gen, task: Task, active: bool, assignee: Option<Assignee>) -> TaskTemplate {
    TaskTemplate {
        uid: Some(g.uid(TASK_TEMPLATE_PREFIX)),
        active: Some(active),
        task: Some(task),
        assignee,
        ..TaskTemplate::default()
    }
}

/// Two route-template groups: a weekly pharmacy run and Saturday restaurant supplies.
pub(super) fn route_groups(
    g: &mut Gen,
    w: &World,
    fleet: &Fleet,
    today: Date,
) -> Vec<RouteTemplateGroup> {
    let groups: [(Recurrence, bool, &[Round]); 2] = [
        (
            Recurrence::weekly("Weekly pharmacy run", 1, &["Mon", "Wed", "Fri"]),
            true,
            &[(7, &["MED-C", "MED-B"]), (16, &["MED-B", "MED-C"])],
        ),
        (
            Recurrence::weekly("Saturday restaurant supplies", 1, &["Sat"]),
            false,
            &[(20, &["BAK-C", "CLN-C", "COF-1"])],
        ),
    ];
    let mut out = Vec::new();
    let mut n = 0;
    for (rec, keep, rounds) in groups {
        let name = rec.name;
        let mut route_templates = Vec::new();
        for &(driver, skus) in rounds {
            let d = &fleet.drivers[driver];
            let who = Assignee {
                id: d.id.clone(),
                uid: d.uid.clone(),
                ..Assignee::default()
            };
            let stops = g.int(4, 6);
            let mut tts = Vec::new();
            for _ in 0..stops {
                n += 1;
                let t = template_task(
                    g,
                    w,
                    format!("RND-{n:03}"),
                    skus,
                    Some(fleet.home_depot(driver)),
                    fleet,
                );
                let active = n % 7 != 0;
                tts.push(template(g, t, active, keep.then(|| who.clone())));
            }
            route_templates.push(RouteTemplate {
                uid: Some(g.uid(ROUTE_TEMPLATE_PREFIX)),
                name: Some(format!("{name}: {}", d.full_name())),
                driver: Some(EntityRef {
                    id: d.id.clone(),
                    uid: d.uid.clone(),
                    name: Some(d.full_name()),
                    ..EntityRef::default()
                }),
                task_templates: Some(tts),
                ..RouteTemplate::default()
            });
        }
        out.push(RouteTemplateGroup {
            id: Some(g.object_id()),
            uid: Some(g.uid(Collection::RouteTemplateGroups.uid_prefix())),
            name: Some(name.into()),
            keep_assignees: Some(keep),
            schedule_pattern: Some(rec.pattern(today)),
            route_templates: Some(route_templates),
            created_at: Some(unix(today.add_days(-30), 600)),
            updated_at: Some(unix(today.add_days(-3), 900)),
            ..RouteTemplateGroup::default()
        });
    }
    out
}

/// Three task-template groups: daily bread, fortnightly office supplies, a monthly restock.
pub(super) fn task_groups(
    g: &mut Gen,
    w: &World,
    fleet: &Fleet,
    today: Date,
) -> Vec<TaskTemplateGroup> {
    let groups: [(Recurrence, usize, &[&str]); 3] = [
        (
            Recurrence {
                name: "Daily bakery deliveries",
                frequency: "daily",
                interval: 1,
                days: &[],
            },
            4,
            &["BAK-C"],
        ),
        (
            Recurrence::weekly("Fortnightly office supplies", 2, &["Tue"]),
            3,
            &["OFF-P", "CLN-C"],
        ),
        (
            Recurrence::weekly("Four-weekly surgery restock", 4, &["Thu"]),
            2,
            &["MED-B"],
        ),
    ];
    let mut out = Vec::new();
    for (k, (rec, count, skus)) in groups.into_iter().enumerate() {
        let mut tts = Vec::new();
        for m in 0..count {
            let t = template_task(
                g,
                w,
                format!("TTG{}-{:02}", k + 1, m + 1),
                skus,
                None,
                fleet,
            );
            tts.push(template(g, t, true, None));
        }
        out.push(TaskTemplateGroup {
            id: Some(g.object_id()),
            uid: Some(g.uid(Collection::TaskTemplateGroups.uid_prefix())),
            name: Some(rec.name.into()),
            keep_assignees: Some(false),
            schedule_pattern: Some(rec.pattern(today)),
            task_templates: Some(tts),
            created_at: Some(unix(today.add_days(-45), 660)),
            updated_at: Some(unix(today.add_days(-6), 840)),
            ..TaskTemplateGroup::default()
        });
    }
    out
}
