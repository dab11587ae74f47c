//! Property tests of every importer: arbitrary bytes, and the fixtures
//! (tests/fixtures/import/) damaged the way files get damaged — lines
//! dropped, repeated, swapped, cut short, raw and hostile bytes inserted.
//!
//! Each input asserts: no panic; a bounded time; an error has located
//! diagnostics; a success passes `Agenda::parse` (what `showcall check`
//! runs) and carries no control, escape or bidi character into the agenda.
//!
//! `cargo test` runs a small fixed count; a long run:
//!
//! ```text
//! FUZZ_CASES=20000 cargo test --release --test import_props
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use showcall::import::{DaySel, Format, Options, import};
use showcall::text::is_unsafe_char;

/// A hang detector, not a speed target (that is `cargo bench --bench import`).
const PER_INPUT: Duration = Duration::from_secs(5);

const HOSTILE: &[&str] = &[
    "\u{1b}[2J\u{1b}]52;c;SGVsbG8=\u{7}",
    "\u{9b}31m\u{85}\u{7f}",
    "\u{202e}evil\u{2066}x\u{2069}",
    "a\u{0}b\r\nc\u{2028}d",
    "&#x1b;[31m &amp;#x202e; <script>x</script>",
];

fn cases(default: u32) -> Config {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// A fixed seed, so `cargo test` is repeatable; FUZZ_CASES makes it longer.
fn runner(config: Config) -> TestRunner {
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

const FIXTURES: &[&str] = &[
    "sheet-de.csv",
    "fosdem-old.xml",
    "democon.json",
    "camp.ics",
    "ontime-v3.json",
    "ontime-v4.json",
    "stadtforum.ods",
    "gsheets-us.csv",
    "pretalx-days.xml",
    "recurring.ics",
];

/// The line ends a file may come with: as written, CRLF (Excel, Google
/// Sheets), a lone CR (old Macs). Workbooks are left alone.
fn line_ends(bytes: Vec<u8>, how: u8) -> Vec<u8> {
    let Ok(text) = String::from_utf8(bytes.clone()) else {
        return bytes;
    };
    let lf = text.replace("\r\n", "\n");
    match how {
        1 => lf.replace('\n', "\r\n").into_bytes(),
        2 => lf.replace('\n', "\r").into_bytes(),
        _ => bytes,
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Options that let most fixtures through, so mutations reach the deep
/// paths (rooms merged, overlaps trimmed, a zone and a date given).
fn lenient() -> Options {
    Options {
        timezone: Some(chrono_tz::Europe::Zurich),
        day: None,
        all_rooms: true,
        allow_overlap: true,
        last_duration: Some(chrono::TimeDelta::minutes(30)),
        ..Options::default()
    }
}

/// Inputs that imported: the mutations must reach past the parsers too.
static IMPORTED: AtomicUsize = AtomicUsize::new(0);

fn check(bytes: &[u8], name: &str, opts: &Options) -> Result<(), TestCaseError> {
    let t0 = Instant::now();
    let out = import(bytes, name, opts);
    let dt = t0.elapsed();
    prop_assert!(dt < PER_INPUT, "{name}: {dt:?}");
    match out {
        Ok(done) => {
            IMPORTED.fetch_add(1, Ordering::Relaxed);
            let parsed = showcall::agenda::Agenda::parse(done.toml.as_bytes(), "a.toml");
            prop_assert!(parsed.is_ok(), "{}\n{}", parsed.unwrap_err(), done.toml);
            let bad = done.toml.chars().find(|&c| c != '\n' && is_unsafe_char(c));
            prop_assert!(
                bad.is_none(),
                "U+{:04X} in\n{}",
                bad.map_or(0, |c| c as u32),
                done.toml
            );
        }
        Err(d) => {
            prop_assert!(!d.0.is_empty());
            for x in &d.0 {
                prop_assert!(x.file.starts_with(name) && !x.message.is_empty(), "{x}");
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Op {
    DeleteLine(Index),
    DuplicateLine(Index, Index),
    SwapLines(Index, Index),
    InsertHostile(Index, Index),
    InsertBytes(Index, Vec<u8>),
    Truncate(Index),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<Index>().prop_map(Op::DeleteLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Op::DuplicateLine(a, b)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Op::SwapLines(a, b)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Op::InsertHostile(a, b)),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| Op::InsertBytes(a, b)),
        any::<Index>().prop_map(Op::Truncate),
    ]
}

/// Applies line operations to text, or byte operations to a binary.
fn mutate(src: &[u8], ops: &[Op]) -> Vec<u8> {
    let mut bytes = src.to_vec();
    for o in ops {
        // Lines as byte ranges, recomputed after each change.
        let mut lines: Vec<Vec<u8>> = bytes
            .split_inclusive(|b| *b == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        if lines.is_empty() {
            lines.push(Vec::new());
        }
        let n = lines.len();
        match o {
            Op::DeleteLine(i) => {
                lines.remove(i.index(n));
            }
            Op::DuplicateLine(a, b) => {
                let l = lines[a.index(n)].clone();
                lines.insert(b.index(n + 1), l);
            }
            Op::SwapLines(a, b) => lines.swap(a.index(n), b.index(n)),
            Op::InsertHostile(at, h) => {
                let line = &mut lines[at.index(n)];
                let pos = line.len().saturating_sub(1).min(line.len() / 2 + 1);
                let hostile = h.get(HOSTILE).as_bytes();
                line.splice(pos..pos, hostile.iter().copied());
            }
            Op::InsertBytes(at, b) => {
                let flat: Vec<u8> = lines.concat();
                let i = at.index(flat.len() + 1);
                let mut flat = flat;
                flat.splice(i..i, b.iter().copied());
                lines = vec![flat];
            }
            Op::Truncate(at) => {
                let mut flat: Vec<u8> = lines.concat();
                flat.truncate(at.index(flat.len() + 1));
                lines = vec![flat];
            }
        }
        bytes = lines.concat();
    }
    bytes
}

#[test]
fn damaged_fixtures_never_panic() {
    let seeds: Vec<Vec<u8>> = FIXTURES.iter().map(|f| fixture(f)).collect();
    let strategy = (
        0..FIXTURES.len(),
        prop::collection::vec(op(), 1..4),
        0u8..3,
        any::<bool>(),
    );
    runner(cases(120))
        .run(&strategy, |(i, ops, ends, one_room)| {
            let bytes = mutate(&line_ends(seeds[i].clone(), ends), &ops);
            let mut opts = lenient();
            // The new paths, for the sheet with US dates: numeric dates read
            // month first; one room with the others' sessions left out and
            // named, and a shared room.
            if FIXTURES[i] == "gsheets-us.csv" {
                opts.date_order = Some(showcall::import::DateOrder::Mdy);
            }
            if one_room && FIXTURES[i] == "gsheets-us.csv" {
                opts.all_rooms = false;
                opts.room = Some("Main Hall".into());
                opts.shared_rooms = vec!["Foyer".into()];
            }
            // Ontime projects have no dates: give one.
            if FIXTURES[i].starts_with("ontime") {
                opts.day = Some(DaySel::Date(
                    chrono::NaiveDate::from_ymd_opt(2024, 7, 6).unwrap(),
                ));
            }
            check(&bytes, FIXTURES[i], &opts)
        })
        .unwrap();
    let n = IMPORTED.load(Ordering::Relaxed);
    eprintln!("damaged fixtures: {n} imported");
    assert!(
        n > 10,
        "only {n} damaged fixtures imported: the mutations are too coarse"
    );
}

fn prefixes() -> impl Strategy<Value = &'static [u8]> {
    prop::sample::select(vec![
        &b""[..],
        b"PK\x03\x04",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:",
        b"<?xml version=\"1.0\"?><schedule><day index=\"1\" date=\"2020-01-01\"><room name=\"a\"><event id=\"1\"><start>",
        b"{\"schedule\":{\"conference\":{\"days\":[{\"rooms\":{\"a\":[{\"start\":\"",
        b"{\"rundown\":[{\"type\":\"event\",\"timeStart\":",
        b"start,title,duration\n",
        b"Day,Date,Start Time,Session Title,Moderator,Room\r\nDay 1,",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260914T090000\r\nRRULE:",
        b"<schedule><day index=\"1\" date=\"2020-01-01\"><room name=\"a\"><event id=\"1\"><date>2020-01-01T10:00:00+01:00</date><start>09:00</start><duration>",
    ])
}

#[test]
fn arbitrary_bytes_never_panic() {
    let strategy = (
        prefixes(),
        prop::collection::vec(any::<u8>(), 0..400),
        0usize..9,
        0u32..3,
        0u8..3,
    );
    runner(cases(150))
        .run(&strategy, |(prefix, body, f, day, order)| {
            let mut bytes = prefix.to_vec();
            bytes.extend(body);
            let opts = Options {
                date_order: [
                    None,
                    Some(showcall::import::DateOrder::Dmy),
                    Some(showcall::import::DateOrder::Mdy),
                ][order as usize],
                format: Format::ALL.get(f).copied(),
                // Day 0 cannot come from the command line, but the library
                // must not trip over it either.
                day: Some(DaySel::Index(day)).filter(|_| day < 2),
                ..lenient()
            };
            check(&bytes, "fuzz.bin", &opts)
        })
        .unwrap();
}
