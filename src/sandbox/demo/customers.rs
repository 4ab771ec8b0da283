//! Customers: households with a home address and businesses with one to three sites.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::api::model::{Customer, CustomerLocation, EntityRef, Location, WEEKDAYS};
use crate::api::paths::Collection;

use super::draw::Gen;
use super::fleet::day_schedule;
use super::geo::{Address, compton_address, london_address};
use super::people::{BUSINESS_KINDS, LAST_NAMES, Person, landline, mobile, slug};

/// Households in the demo.
const PRIVATE: usize = 230;
/// Businesses in the demo (one more, in Compton, is added).
const BUSINESSES: usize = 85;

/// UID prefix of customer locations.
const LOCATION_PREFIX: &str = "CL-";

const HOME_NOTES: &[&str] = &[
    "Ring the bell twice",
    "Leave with a neighbour if out",
    "Side gate is unlocked; leave by the back door",
    "Buzzer broken: call on arrival",
    "Please do not leave in the porch",
    "Dog in the garden: wait at the gate",
];

const SITE_NOTES: &[&str] = &[
    "Deliver to goods-in at the rear",
    "Reception closed 12:30–13:30",
    "Ask for the duty manager",
    "Loading bay on the side street, 20 minutes at most",
];

/// The demo's customers; the last one is the business in Compton.
pub(super) fn generate(g: &mut Gen) -> Vec<Customer> {
    let mut out = Vec::with_capacity(PRIVATE + BUSINESSES + 1);
    for i in 0..PRIVATE {
        out.push(household(g, i));
    }
    for i in 0..BUSINESSES {
        let sites = 1 + usize::from(g.chance(0.35)) + usize::from(g.chance(0.15));
        let addrs: Vec<Address> = (0..sites).map(|_| london_address(g)).collect();
        out.push(business(g, PRIVATE + i, None, addrs));
    }
    let compton = compton_address(g);
    out.push(business(
        g,
        PRIVATE + BUSINESSES,
        Some("Watts Gallery Shop"),
        vec![compton],
    ));
    out
}

/// Whether a customer is a business (tagged so).
pub(super) fn is_business(c: &Customer) -> bool {
    c.tags.iter().flatten().any(|t| t == "business")
}

/// The `{_id, uid, name}` reference tasks carry.
pub(super) fn customer_ref(c: &Customer) -> EntityRef {
    EntityRef {
        id: c.id.clone(),
        uid: c.uid.clone(),
        name: c.name.clone(),
        ..EntityRef::default()
    }
}

/// A saved customer location as a task location (`type` 1).
pub(super) fn as_task_location(l: &CustomerLocation) -> Location {
    Location {
        kind: Some(1),
        uid: l.uid.clone(),
        name: l.name.clone(),
        address: l.address.clone(),
        post_code: l.post_code.clone(),
        city: l.city.clone(),
        country: l.country.clone(),
        coordinates: l.coordinates,
        contact_name: l.contact_name.clone(),
        contact_phone: l.contact_phone.clone(),
        instructions: l.instructions.clone(),
        ..Location::default()
    }
}

fn site(
    g: &mut Gen,
    name: String,
    a: Address,
    contact: &Person,
    phone: String,
) -> CustomerLocation {
    CustomerLocation {
        uid: Some(g.uid(LOCATION_PREFIX)),
        name: Some(name),
        address: Some(a.line),
        post_code: Some(a.post_code),
        city: Some(a.city.to_string()),
        country: Some("United Kingdom".into()),
        coordinates: Some(a.coordinates),
        contact_name: Some(contact.full()),
        contact_phone: Some(phone),
        ..CustomerLocation::default()
    }
}

fn household(g: &mut Gen, i: usize) -> Customer {
    let p = Person::random(g);
    let phone = mobile(g);
    let home_addr = london_address(g);
    let mut home = site(g, "Home".into(), home_addr, &p, phone.clone());
    if g.chance(0.3) {
        home.instructions = Some(g.pick(HOME_NOTES).to_string());
    }
    let mut locations = vec![home];
    if g.chance(0.15) {
        let work = london_address(g);
        let mut l = site(g, "Work".into(), work, &p, phone.clone());
        l.instructions = Some("Leave at reception".into());
        locations.push(l);
    }
    let mut custom = Map::new();
    custom.insert("Segment".into(), Value::from("consumer"));
    if g.chance(0.2) {
        custom.insert(
            "LoyaltyTier".into(),
            Value::from(*g.pick(&["silver", "gold"])),
        );
    }
    Customer {
        id: Some(g.object_id()),
        uid: Some(g.uid(Collection::Customers.uid_prefix())),
        external_id: Some(format!("C-{}", 200_000 + i)),
        name: Some(p.full()),
        contact_name: Some(p.full()),
        contact_phone: Some(phone),
        contact_email: Some(format!("{}{}@example.org", p.handle(), i % 97)),
        locations: Some(locations),
        tags: Some(vec!["private".into()]),
        custom_data: Some(custom),
        ..Customer::default()
    }
}

fn business(g: &mut Gen, i: usize, name: Option<&str>, addrs: Vec<Address>) -> Customer {
    let kind = *g.pick(BUSINESS_KINDS);
    let name = match name {
        Some(n) => n.to_string(),
        None if g.chance(0.6) => format!("{} {kind}", addrs[0].area),
        None => format!("{} & {} {kind}", g.pick(LAST_NAMES), g.pick(LAST_NAMES)),
    };
    let owner = Person::random(g);
    let hours: BTreeMap<String, _> = WEEKDAYS[..6]
        .iter()
        .map(|d| (d.to_string(), day_schedule(540, 1050)))
        .collect();
    let several = addrs.len() > 1;
    let mut locations = Vec::new();
    for a in addrs {
        let label = if several {
            format!("{name} ({})", a.area)
        } else {
            name.clone()
        };
        let manager = Person::random(g);
        let phone = landline(g);
        let mut l = site(g, label, a, &manager, phone);
        l.schedule = Some(hours.clone());
        l.service_duration = Some(f64::from(g.int(8, 15)));
        if g.chance(0.5) {
            l.instructions = Some(g.pick(SITE_NOTES).to_string());
        }
        locations.push(l);
    }
    let mut tags = vec!["business".to_string()];
    if g.chance(0.15) {
        tags.push("vip".into());
    }
    let mut custom = Map::new();
    custom.insert("Segment".into(), Value::from(kind));
    custom.insert("Account".into(), Value::from(format!("ACC-{}", 5000 + i)));
    Customer {
        id: Some(g.object_id()),
        uid: Some(g.uid(Collection::Customers.uid_prefix())),
        external_id: Some(format!("B-{}", 300_000 + i)),
        reference: Some(format!("ACC-{}", 5000 + i)),
        name: Some(name.clone()),
        description: Some(format!("{kind} with {} site(s)", locations.len())),
        contact_name: Some(owner.full()),
        contact_phone: Some(landline(g)),
        contact_email: Some(format!("orders@{}.example.com", slug(&name))),
        locations: Some(locations),
        tags: Some(tags),
        custom_data: Some(custom),
        ..Customer::default()
    }
}
