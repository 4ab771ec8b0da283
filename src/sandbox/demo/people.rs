//! Names, phone numbers and e-mail addresses of the demo's people and businesses.
//!
//! Phone numbers use Ofcom's ranges reserved for drama (07700 900xxx, 020 7946 0xxx) and
//! e-mail addresses the reserved `example.*` domains, so no real person is ever contacted.

use super::draw::Gen;

/// First names.
pub(super) const FIRST_NAMES: &[&str] = &[
    "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah", "Mia", "Jack", "Ivy", "Leo",
    "Grace", "Arthur", "Freya", "Muhammad", "Lily", "Oscar", "Florence", "Charlie", "Sophia",
    "Theo", "Evie", "Freddie", "Poppy", "Alfie", "Ella", "Samuel", "Chloe", "Ethan", "Zara",
    "Aarav", "Priya", "Kwame", "Ama", "Tomasz", "Zofia", "Mehmet", "Elif", "Liam", "Aoife", "Rhys",
    "Seren", "Callum", "Niamh", "Daniel", "Hannah", "Joseph", "Ruby", "Yusuf", "Maryam", "Luca",
    "Giulia", "Chidi", "Ngozi", "Kofi", "Abena", "Raj", "Anjali", "Wei", "Mei",
];

/// Last names.
pub(super) const LAST_NAMES: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Ahmed", "Ali", "Singh", "Shah", "Okafor", "Mensah",
    "Nowak", "Kowalski", "Yilmaz", "Demir", "Murphy", "O'Brien", "Hughes", "Edwards", "Morgan",
    "Campbell", "Kelly", "Lewis", "Harris", "Martin", "Cooper", "King", "Baker", "Turner", "Hill",
    "Ward", "Rossi", "Bianchi", "Chen", "Wong", "Adeyemi", "Boateng", "Osei", "Sharma", "Gupta",
    "Begum", "Hussain", "Fraser",
];

/// Kinds of small business that order deliveries.
pub(super) const BUSINESS_KINDS: &[&str] = &[
    "Pharmacy",
    "Florist",
    "Dental Practice",
    "Bakery",
    "Deli",
    "Café",
    "Hardware",
    "Bookshop",
    "Opticians",
    "Veterinary Clinic",
    "Wine Merchants",
    "Print Studio",
    "Bike Workshop",
    "Architects",
    "Yoga Studio",
    "Barbers",
    "Gallery",
    "Kitchen Supplies",
    "Surgery",
    "Coworking",
];

/// A person's name.
#[derive(Debug, Clone)]
pub(super) struct Person {
    /// Given name.
    pub first: &'static str,
    /// Family name.
    pub last: &'static str,
}

impl Person {
    /// A random person.
    pub fn random(g: &mut Gen) -> Person {
        Person {
            first: g.word(FIRST_NAMES),
            last: g.word(LAST_NAMES),
        }
    }

    /// "First Last".
    pub fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }

    /// `first.last` in lower case, letters only.
    pub fn handle(&self) -> String {
        format!("{}.{}", slug(self.first), slug(self.last))
    }
}

/// Lower-case letters and digits of `s`, other characters dropped.
pub(super) fn slug(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A UK mobile number from the range reserved for fiction.
pub(super) fn mobile(g: &mut Gen) -> String {
    format!("+44 7700 900{:03}", g.int(0, 999))
}

/// A London landline from the range reserved for fiction.
pub(super) fn landline(g: &mut Gen) -> String {
    format!("+44 20 7946 0{:03}", g.int(0, 999))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_plain_lower_case() {
        let p = Person {
            first: "Aoife",
            last: "O'Brien",
        };
        assert_eq!(p.handle(), "aoife.obrien");
        assert_eq!(p.full(), "Aoife O'Brien");
    }
}
