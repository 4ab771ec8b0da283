//! Prints how long the demo data set takes to generate, with and without load-test tasks.
//!
//! `cargo run --example demo_scale -- 100000`

use std::time::Instant;

use elogii_console::sandbox::demo::{DemoOptions, generate, load_tasks};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let opts = DemoOptions::default();
    let t = Instant::now();
    let data = generate(&opts);
    let docs: usize = data.collections.iter().map(|(_, d)| d.len()).sum();
    let bytes: usize = data
        .collections
        .iter()
        .flat_map(|(_, d)| d)
        .chain(data.pods.iter().map(|(_, p)| p))
        .map(|d| d.to_string().len())
        .sum();
    println!(
        "demo set: {docs} documents, {} PODs, {:.1} MB of JSON in {:.2?}",
        data.pods.len(),
        bytes as f64 / 1e6,
        t.elapsed()
    );
    let t = Instant::now();
    let streamed = load_tasks(&opts, n).count();
    println!("{streamed} load tasks streamed in {:.2?}", t.elapsed());
    let t = Instant::now();
    let data = generate(&DemoOptions {
        scale: Some(n),
        ..opts
    });
    let tasks: usize = data
        .collections
        .iter()
        .filter(|(c, _)| c.uid_prefix() == "T-")
        .map(|(_, d)| d.len())
        .sum();
    println!(
        "demo set with scale {n}: {tasks} tasks in {:.2?}",
        t.elapsed()
    );
}
