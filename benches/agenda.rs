//! Parse-and-validate time for a generated 10,000-session agenda, and the
//! time to refuse two badly broken ones (diagnostics must stay linear).
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
    broken();
}

/// 30,000 lines of TOML syntax errors (60,000 problems, 370 KiB) and
/// 20,000 sessions with bad values: every problem is found, the first 100
/// are located with one line index.
fn broken() {
    let syntax: String = (0..30_000).map(|i| format!("x{i} = = ]\n")).collect();
    let values =
        String::from("[event]\n") + &"[[session]]\nid=\"s\"\nstart = \"25:00\"\n".repeat(20_000);
    for (name, src) in [("syntax errors", syntax), ("bad values", values)] {
        let mut times = Vec::with_capacity(RUNS / 4);
        for _ in 0..RUNS / 4 {
            let t0 = Instant::now();
            let d = Agenda::parse(src.as_bytes(), "bench.toml").expect_err("broken agenda");
            times.push(t0.elapsed());
            assert!(d.0.len() <= 101);
        }
        times.sort();
        println!(
            "agenda: refusing {} KiB of {name}: median {:.1} ms",
            src.len() / 1024,
            times[times.len() / 2].as_secs_f64() * 1e3
        );
    }
}
