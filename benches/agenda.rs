//! Parse-and-validate time for a generated 10,000-session agenda.
//!
//! No criterion: `cargo bench --bench agenda` (a release build) times 20 runs
//! with `Instant`, prints the median and the minimum, and says whether the
//! median is under the 50 ms budget for loading an agenda.

use std::time::{Duration, Instant};

use showcall::agenda::Agenda;

const SESSIONS: usize = 10_000;
const RUNS: usize = 20;
const BUDGET: Duration = Duration::from_millis(50);

/// 10,000 five-second sessions in one day, each with a speaker; all but the
/// last run until the next one starts. About 0.9 MiB, under the 1 MiB limit.
fn input(n: usize) -> String {
    let mut s = String::from(
        "[event]\ntitle = \"Big\"\ndate = \"2023-06-22\"\ntimezone = \"Europe/Zurich\"\n",
    );
    for i in 0..n {
        let t = 8 * 3600 + 5 * i;
        s.push_str(&format!(
            "[[session]]\nid = \"s{i}\"\ntitle = \"Session {i}\"\nstart = \"{:02}:{:02}:{:02}\"\nspeakers = [\"Speaker\"]\n",
            t / 3600,
            t / 60 % 60,
            t % 60
        ));
    }
    s.push_str("duration = \"5s\"\n");
    s
}

fn main() {
    let src = input(SESSIONS);
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
