//! Parse-and-validate time for a generated 10,000-session agenda.
//!
//! No criterion: `cargo bench --bench agenda` (a release build) times 20 runs
//! with `Instant`, prints the median and the minimum, and says whether the
//! median is under the 50 ms budget for loading an agenda.

use std::time::{Duration, Instant};

use showcall::agenda::Agenda;

#[path = "support/synthetic.rs"]
mod synthetic;

const SESSIONS: usize = 10_000;
const RUNS: usize = 20;
const BUDGET: Duration = Duration::from_millis(50);

fn main() {
    let src = synthetic::agenda_toml(SESSIONS);
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t0 = Instant::now();
        let agenda = Agenda::parse(src.as_bytes(), "bench.toml").expect("valid agenda");
        let dt = t0.elapsed();
        assert_eq!(agenda.sessions.len(), SESSIONS);
        times.push(dt);
    }
    times.sort();
    let median = times[RUNS / 2];
    let min = times[0];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "agenda: {SESSIONS} sessions, {} KiB, {RUNS} runs: median {:.2} ms, min {:.2} ms",
        src.len() / 1024,
        ms(median),
        ms(min)
    );
    if median < BUDGET {
        println!("agenda: under the {} ms target", BUDGET.as_millis());
    } else {
        println!("agenda: OVER the {} ms target", BUDGET.as_millis());
    }
}
