//! Importing one room of a big frab `schedule.xml`.
//!
//! No criterion: `cargo bench --bench import` (a release build) generates a
//! ~2 MB schedule.xml of 1,000 events in 60 rooms over 3 days (each with a
//! long abstract, as real exports have), times 20 imports of one room from
//! the bytes to the checked agenda text, prints the median and the minimum,
//! and says whether the median is under the 200 ms target.

use std::fmt::Write;
use std::time::{Duration, Instant};

use showcall::import::{Options, import};

const EVENTS: usize = 1_000;
const ROOMS: usize = 60;
const DAYS: usize = 3;
const RUNS: usize = 20;
const BUDGET: Duration = Duration::from_millis(200);

/// Events are dealt to rooms in turn; each room's events follow one another
/// every 35 minutes from 09:00 (25-minute talks), spread over the days.
fn schedule_xml() -> String {
    let per_day = EVENTS.div_ceil(DAYS);
    let abstract_text =
        "A long abstract &lt;p&gt;with markup&lt;/p&gt; and entities &amp; more. ".repeat(24);
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n  <conference>\n    <title>Synthetic Conf</title>\n    <time_zone_name>Europe/Brussels</time_zone_name>\n    <day_change>04:00:00</day_change>\n  </conference>\n",
    );
    for day in 0..DAYS {
        let date = format!("2025-02-{:02}", day + 1);
        let _ = writeln!(s, "  <day index=\"{}\" date=\"{date}\">", day + 1);
        for room in 0..ROOMS {
            let _ = writeln!(s, "    <room name=\"Room {room}\">");
            let events = (0..per_day)
                .filter(|i| i % ROOMS == room)
                .filter(|i| day * per_day + i < EVENTS);
            for (slot, i) in events.enumerate() {
                let id = day * per_day + i;
                let mins = 9 * 60 + slot * 35;
                let _ = write!(
                    s,
                    "      <event id=\"{id}\" guid=\"00000000-0000-4000-8000-{id:012}\">\n        <date>{date}T{:02}:{:02}:00+01:00</date>\n        <start>{:02}:{:02}</start>\n        <duration>00:25</duration>\n        <room>Room {room}</room>\n        <title>Talk number {id} about things</title>\n        <subtitle>Subtitle {id}</subtitle>\n        <abstract>{abstract_text}</abstract>\n        <persons><person id=\"{id}\">Speaker {id}</person></persons>\n      </event>\n",
                    mins / 60,
                    mins % 60,
                    mins / 60,
                    mins % 60
                );
            }
            s.push_str("    </room>\n");
        }
        s.push_str("  </day>\n");
    }
    s.push_str("</schedule>\n");
    s
}

fn main() {
    let src = schedule_xml();
    let opts = Options {
        room: Some("Room 7".into()),
        ..Options::default()
    };
    let mut times = Vec::with_capacity(RUNS);
    let mut sessions = 0;
    for _ in 0..RUNS {
        let t0 = Instant::now();
        let done = import(src.as_bytes(), "schedule.xml", &opts).expect("imports");
        times.push(t0.elapsed());
        sessions = done.sessions;
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "import: schedule.xml {} KiB, {EVENTS} events in {ROOMS} rooms; one room ({sessions} sessions), {RUNS} runs: median {:.1} ms, min {:.1} ms",
        src.len() / 1024,
        ms(times[RUNS / 2]),
        ms(times[0])
    );
    let verdict = if times[RUNS / 2] < BUDGET {
        "under"
    } else {
        "OVER"
    };
    println!("import: {verdict} the {} ms target", BUDGET.as_millis());
}
