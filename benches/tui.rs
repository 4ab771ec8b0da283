//! Console figures with 100,000 tasks loaded: time to format the rows, to draw a frame, to
//! apply a filter keystroke, bytes written to the terminal when the selection moves one
//! row, and resident memory. A plain `Instant` harness; run with `cargo bench --bench tui`.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use elogii_console::actor::Event;
use elogii_console::api::items::Items;
use elogii_console::api::model::{
    Assignee, Assignment, Coordinates, Date, EntityRef, Item, Location, PickupSegment, Task,
    TaskState, TimeWindow,
};
use elogii_console::api::paths::Collection;
use elogii_console::tui::{App, Context, Effect, Keymap, Msg, Theme};
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};
use serde_json::value::RawValue;
use serde_json::{Map, json};

const ROWS: usize = 100_000;
const W: u16 = 160;
const H: u16 = 45;

const FIRST: [&str; 8] = [
    "Anna", "Bob", "Chloé", "Dev", "Ewa", "Farid", "Gita", "Hugo",
];
const LAST: [&str; 8] = [
    "Berg", "Carter", "Dubois", "Patel", "Nowak", "Haddad", "Rao", "Martin",
];
const PLACES: [&str; 6] = [
    "Acme Ltd",
    "Bright Florists",
    "Corner Café",
    "Dunmore Hardware",
    "Elm Dental",
    "Fig & Fennel",
];
const AREAS: [&str; 6] = ["GU1", "GU2", "GU3", "RH4", "KT22", "SM1"];

/// A task of about 1.5 KB of JSON, shaped like the demo data.
fn task(n: usize, date: Date) -> Option<Box<RawValue>> {
    let state = TaskState::ALL[n % TaskState::ALL.len()];
    let d = n % 40;
    let mut info = Map::new();
    info.insert("firstName".into(), json!(FIRST[d % 8]));
    info.insert("lastName".into(), json!(LAST[d / 8 % 8]));
    info.insert("skills".into(), json!(["fridge"]));
    let mut custom = Map::new();
    custom.insert("Priority".into(), json!(["low", "normal", "high"][n % 3]));
    custom.insert("orderChannel".into(), json!("web"));
    let mut stamps = Map::new();
    stamps.insert("created".into(), json!(1_755_820_000 + n as i64));
    stamps.insert("createdISO".into(), json!("2025-08-22T07:46:40.000Z"));
    let place = PLACES[n % PLACES.len()];
    let postcode = format!(
        "{} {}{}",
        AREAS[n % AREAS.len()],
        n % 9 + 1,
        ["AA", "BD", "XH", "QT"][n % 4]
    );
    let start = 420 + (n % 20) as u32 * 30;
    let t = Task {
        id: Some(format!("66c7{n:020x}")),
        uid: Some(format!("T-{:08X}", n * 2_654_435_761 % 0xFFFF_FFFF)),
        organization: Some("64f00000000000000000abcd".into()),
        external_id: Some(format!("ext-{n}")),
        reference: Some(format!("ORD-{:06}", n)),
        kind: Some(2),
        date: Some(date),
        time_windows: Some(vec![TimeWindow::new(start, start + 120)]),
        pickup: Some(PickupSegment {
            location: Some(Location {
                kind: Some(0),
                uid: Some("DEP-GUIL0001".into()),
                name: Some("Guildford depot".into()),
                ..Location::default()
            }),
            service_duration: Some(2.0),
            ..PickupSegment::default()
        }),
        location: Some(Location {
            kind: Some(2),
            name: Some(format!("{place} #{}", n % 500)),
            address: Some(format!("{} High Street", n % 200 + 1)),
            post_code: Some(postcode),
            city: Some("Guildford".into()),
            country: Some("GB".into()),
            coordinates: Some(Coordinates::new(-0.57 + (n % 100) as f64 * 0.001, 51.24)),
            contact_name: Some(format!("{} {}", FIRST[n % 8], LAST[(n / 8) % 8])),
            contact_phone: Some(format!("+44 7700 9{:05}", n % 100_000)),
            instructions: Some("Leave with the neighbour if nobody answers.".into()),
            ..Location::default()
        }),
        service_duration: Some(5.0),
        items: Some(vec![
            Item {
                description: Some("Parcel".into()),
                code: Some(format!("{:05}", n % 100_000)),
                quantity: Some(1.0),
                ..Item::default()
            },
            Item {
                description: Some("Document envelope".into()),
                quantity: Some(2.0),
                ..Item::default()
            },
        ]),
        tags: Some(vec!["same-day".into()]),
        state: Some(state),
        state_text: Some(state.label().into()),
        state_timestamp: Some(1_755_820_000 + n as i64),
        state_timestamps: Some(stamps),
        custom_data: Some(custom),
        customer: Some(EntityRef {
            uid: Some(format!("CUS-{:08}", n % 3000)),
            ..EntityRef::default()
        }),
        assignment: Some(Assignment {
            state: Some(1),
            route_uid: Some(format!("RT-{d:08}")),
            route_order: Some((n / 40 % 60) as i64 + 1),
            assignee: Some(Assignee {
                uid: Some(format!("DR-{d:08}")),
                info: Some(info),
                ..Assignee::default()
            }),
            eta: Some(start + 30),
            ..Assignment::default()
        }),
        ..Task::default()
    };
    serde_json::value::to_raw_value(&t).ok()
}

/// A terminal that only counts the bytes it is sent.
struct Counter(Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Resident memory from /proc/self/statm (Linux), in MB.
fn rss_mb() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / 1_048_576.0)
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn special(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn fmt(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let date = Date::from_ymd(2025, 8, 22).unwrap_or_else(|_| Date::today());
    let rss_start = rss_mb().unwrap_or(0.0);
    let items: Items = (0..ROWS).filter_map(|n| task(n, date)).collect();
    let json_bytes: usize = (0..1000)
        .filter_map(|i| items.raw(i))
        .map(str::len)
        .sum::<usize>()
        / 1000;
    let rss_items = rss_mb().unwrap_or(0.0);

    let (keymap, _) = Keymap::with_overrides(&BTreeMap::new());
    let ctx = Context {
        theme: Theme::COLOR,
        tz: TimeZone::UTC,
        keymap,
        profile_label: "SANDBOX".into(),
        read_only: false,
        today: date,
        mouse: false,
    };
    let mut app = App::new(ctx, W, H);
    app.start();
    let key_tasks = app.list_key(Collection::Tasks);
    let t = Instant::now();
    let effects = app.update(Msg::Actor(Box::new(Event::Loaded {
        req: 1,
        key: key_tasks,
        items: Arc::new(items),
        fetched_at: SystemTime::now(),
        from_cache: false,
    })));
    let loaded = t.elapsed();
    let mut format = Duration::ZERO;
    let mut apply = Duration::ZERO;
    for e in effects {
        if let Effect::BuildRows(job) = e {
            let t = Instant::now();
            let built = job.run();
            format += t.elapsed();
            let t = Instant::now();
            app.update(Msg::RowsBuilt(Box::new(built)));
            apply += t.elapsed();
        }
    }
    let rss_loaded = rss_mb().unwrap_or(0.0);

    // One frame on a 160x45 test terminal (after a warm-up frame).
    let mut term = match Terminal::new(TestBackend::new(W, H)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot make a test terminal: {e}");
            return;
        }
    };
    let mut frames = Vec::new();
    for i in 0..200 {
        app.update(key(if i % 2 == 0 { 'j' } else { 'k' }));
        let t = Instant::now();
        let _ = term.draw(|f| app.render(f));
        frames.push(t.elapsed());
    }

    // Filter keystrokes: typing narrows incrementally; deleting re-checks every row.
    app.update(key('/'));
    let mut typing = Vec::new();
    for c in "gu3 anna".chars() {
        let t = Instant::now();
        app.update(key(c));
        typing.push((c, t.elapsed()));
    }
    let t = Instant::now();
    app.update(special(KeyCode::Backspace));
    let backspace = t.elapsed();
    app.update(special(KeyCode::Esc));
    app.update(key('/'));
    let mut fields = Vec::new();
    for c in "state:failed".chars() {
        let t = Instant::now();
        app.update(key(c));
        fields.push(t.elapsed());
    }
    app.update(special(KeyCode::Esc));

    // Sorting 100,000 rows by a text column.
    let t = Instant::now();
    app.update(key('s'));
    let sort = t.elapsed();
    app.update(key('s'));
    app.update(key('s'));
    app.update(key('s'));
    app.update(key('s'));
    app.update(key('s'));
    app.update(key('s'));
    app.update(key('s'));
    app.update(key('s'));
    app.update(key('s'));

    // Bytes the terminal receives when the selection moves one row.
    let written = Rc::new(Cell::new(0usize));
    let backend = CrosstermBackend::new(Counter(Rc::clone(&written)));
    let viewport = Viewport::Fixed(Rect::new(0, 0, W, H));
    let bytes = match Terminal::with_options(backend, TerminalOptions { viewport }) {
        Ok(mut t) => {
            let _ = t.draw(|f| app.render(f));
            written.set(0);
            app.update(key('j'));
            let _ = t.draw(|f| app.render(f));
            written.get()
        }
        Err(_) => 0,
    };

    let worst_typing = typing.iter().map(|(_, d)| *d).max().unwrap_or_default();
    println!("tui bench: {ROWS} tasks, ~{json_bytes} bytes of JSON each, {W}x{H} terminal");
    println!("  Loaded event (UI thread) {}", fmt(loaded));
    println!("  format rows (row job)    {}", fmt(format));
    println!("  take rows (UI thread)    {}", fmt(apply));
    println!(
        "  frame (median of 200)    {}   goal < 2 ms",
        fmt(median(frames.clone()))
    );
    println!(
        "  frame (worst of 200)     {}",
        fmt(frames.iter().max().copied().unwrap_or_default())
    );
    println!(
        "  filter keystroke, typing \"gu3 anna\": {}",
        typing
            .iter()
            .map(|(c, d)| format!("{c:?} {}", fmt(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  filter keystroke (worst) {}   goal < 20 ms",
        fmt(worst_typing)
    );
    println!("  filter backspace (full)  {}", fmt(backspace));
    println!(
        "  filter \"state:failed\"    worst {}",
        fmt(fields.iter().max().copied().unwrap_or_default())
    );
    println!("  sort by a text column    {}", fmt(sort));
    println!("  bytes for a one-row move {bytes} B   goal < 2048 B");
    println!(
        "  RSS: start {rss_start:.0} MB, with items {rss_items:.0} MB, with rows {rss_loaded:.0} MB   goal < 300 MB"
    );
    println!(
        "  of which: the raw item list {:.0} MB (its JSON text is {:.0} MB), the console's rows {:.0} MB",
        rss_items - rss_start,
        (json_bytes * ROWS) as f64 / 1_048_576.0,
        rss_loaded - rss_items
    );
}
