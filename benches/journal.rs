//! Journal speed on this machine's disk: replaying 100,000 entries (target
//! under 100 ms) and one durable append (write + fdatasync), median and p99.
//!
//! Run with `cargo bench --bench journal`. Plain `std::time::Instant`, no harness.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeDelta};
use showcall::journal::{Appended, Entry, Kind, OpenInfo, SpeakerChange, Writer, read};

const REPLAY_ENTRIES: u64 = 100_000;
const APPENDS: usize = 500;

fn t0() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2023-06-22T09:00:00+02:00").unwrap()
}

fn info() -> OpenInfo {
    OpenInfo {
        agenda: "agenda.toml".into(),
        sha256: "ab".repeat(32),
        version: env!("CARGO_PKG_VERSION").into(),
    }
}

/// A realistic mix of kinds.
fn kind(i: u64) -> Kind {
    let session = format!("session-{}", i / 50);
    match i % 10 {
        0 => Kind::Start { session },
        1 => Kind::Message {
            text: "2 minutes left, please wrap up".into(),
        },
        2 => Kind::Adjust {
            session,
            delta_s: 120,
            note: Some("Q&A runs long".into()),
        },
        3 => Kind::Floor {
            session,
            speaker: Some(format!("audience {i}")),
        },
        4 => Kind::FloorClose { session },
        5 => Kind::Speaker {
            session,
            change: SpeakerChange::Replace,
            from: Some("Ana Álvarez".into()),
            to: Some("Ben \"BJ\" Jones".into()),
            note: None,
        },
        6 => Kind::Note {
            text: "projector swapped, HDMI 2".into(),
            session: Some(session),
        },
        7 => Kind::Overrun {
            session,
            over_s: 95,
            note: "late mic".into(),
        },
        8 => Kind::Undo { target: i },
        _ => Kind::End { session },
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();

    // Replay.
    let path = dir.path().join("big.journal.jsonl");
    let mut text = String::new();
    text.push_str(
        &Entry::new(
            1,
            t0(),
            Kind::Open {
                agenda: "agenda.toml".into(),
                sha256: "ab".repeat(32),
                version: "0.1.0".into(),
                clock: None,
            },
        )
        .to_line(),
    );
    text.push('\n');
    for seq in 2..=REPLAY_ENTRIES {
        let at = t0() + TimeDelta::milliseconds(seq as i64 * 700);
        text.push_str(&Entry::new(seq, at, kind(seq - 1)).to_line());
        text.push('\n');
    }
    std::fs::write(&path, &text).unwrap();
    let mut reads = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        let replay = read(&path).unwrap();
        reads.push(start.elapsed());
        assert_eq!(replay.entries.len() as u64, REPLAY_ENTRIES);
        assert!(replay.problem.is_none());
    }
    reads.sort();
    let start = Instant::now();
    let (w, _) = Writer::open(&path, info(), t0()).unwrap();
    let open = start.elapsed();
    assert_eq!(w.opened().len() as u64, REPLAY_ENTRIES);
    drop(w);
    println!(
        "replay {REPLAY_ENTRIES} entries ({:.1} MB): read() median {}, best {}, worst {} (7 runs); \
         Writer::open (lock + replay) {}; target < 100 ms: {}",
        text.len() as f64 / 1e6,
        ms(reads[reads.len() / 2]),
        ms(reads[0]),
        ms(reads[reads.len() - 1]),
        ms(open),
        if reads[reads.len() / 2] < Duration::from_millis(100) {
            "met"
        } else {
            "MISSED"
        }
    );

    // Durable appends.
    let path = dir.path().join("append.journal.jsonl");
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    let mut times = Vec::with_capacity(APPENDS);
    for i in 0..APPENDS as u64 {
        let at = t0() + TimeDelta::seconds(i as i64);
        let start = Instant::now();
        let r = w.append(kind(i), at);
        times.push(start.elapsed());
        assert!(matches!(r, Appended::Saved(_)), "{r:?}");
    }
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "append + fdatasync, {APPENDS} appends in {}: median {}, p99 {}, max {}",
        dir.path().display(),
        ms(pct(0.5)),
        ms(pct(0.99)),
        ms(times[times.len() - 1])
    );
}
