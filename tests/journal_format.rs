//! The journal line format: the documented example, round trips, unknown
//! kinds, located problems, and arbitrary bytes never panicking.

use chrono::{DateTime, FixedOffset, TimeZone};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use showcall::journal::{
    AgendaChange, ClockRecord, Entry, Follower, JournalClock, Kind, PlanItem, SpeakerChange,
    check_bytes, replay_bytes, withdrawn,
};

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// The example in docs/journal.md, so the document cannot drift.
fn doc_example() -> String {
    let doc = include_str!("../docs/journal.md");
    let start = doc.find("```jsonl\n").expect("example block") + "```jsonl\n".len();
    let end = start + doc[start..].find("```").unwrap();
    doc[start..end].to_owned()
}

#[test]
fn documented_example_is_a_clean_journal() {
    let text = doc_example();
    let replay = replay_bytes("example.jsonl", text.as_bytes());
    assert_eq!(replay.problem, None);
    assert!(replay.warnings.is_empty(), "{:?}", replay.warnings);
    assert_eq!(replay.entries.len(), 15);
    // Every line is exactly what the writer would write.
    for (line, e) in text.lines().zip(&replay.entries) {
        assert_eq!(e.to_line(), line);
    }
    assert_eq!(
        withdrawn(&replay.entries),
        std::collections::HashSet::from([7])
    );
    assert!(matches!(
        &replay.entries[5].kind,
        Kind::Speaker { change: SpeakerChange::Replace, from: Some(f), .. } if f == "Ana"
    ));
    let check = check_bytes(
        "example.jsonl",
        text.as_bytes(),
        Some("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        Some(&|s: &str| s == "welcome" || s == "panel"),
    );
    assert!(check.is_ok());
    assert!(check.warnings.is_empty(), "{check}");
    assert!(
        check
            .to_string()
            .starts_with("example.jsonl: 15 entries (1 adjust, 1 end, 2 floor"),
        "{check}"
    );
}

/// The `agenda` and `skip` examples in docs/journal.md read and write back
/// byte for byte.
#[test]
fn documented_agenda_and_skip_lines_round_trip() {
    let doc = include_str!("../docs/journal.md");
    let lines: Vec<&str> = doc
        .lines()
        .filter(|l| l.contains(r#""kind":"agenda""#) || l.contains(r#""kind":"skip""#))
        .filter(|l| l.starts_with('{'))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    for line in lines {
        let e = Entry::parse_line(line).unwrap();
        assert!(!matches!(e.kind, Kind::Unknown { .. }));
        assert_eq!(e.to_line(), line);
    }
    let e = Entry::parse_line(
        r#"{"v":1,"seq":9,"at":"2023-06-22T15:52:10+02:00","kind":"agenda","sha256":"ab","retimed":["qa"],"was":[{"session":"qa","title":"Q","start":"15:40","end":"x"}]}"#,
    );
    let err = e.unwrap_err();
    assert!(
        err.message.contains("'was' start of 'qa'"),
        "{}",
        err.message
    );
}

#[test]
fn writes_fields_in_order_and_omits_none() {
    let e = Entry::new(
        3,
        at("2023-06-22T15:10:04+02:00"),
        Kind::Floor {
            session: "panel".into(),
            speaker: None,
        },
    );
    assert_eq!(
        e.to_line(),
        r#"{"v":1,"seq":3,"at":"2023-06-22T15:10:04+02:00","kind":"floor","session":"panel"}"#
    );
    let e = Entry::new(
        4,
        at("2023-06-22T13:10:04.5Z"),
        Kind::Message {
            text: "line\nbreak \"q\" \u{1b}[2J".into(),
        },
    );
    let line = e.to_line();
    assert!(!line.contains('\n'));
    assert!(
        line.contains(r#""at":"2023-06-22T13:10:04.500+00:00""#),
        "{line}"
    );
    assert_eq!(Entry::parse_line(&line).unwrap(), e);
}

#[test]
fn readers_ignore_unknown_fields_and_nulls() {
    let e = Entry::parse_line(
        r#"{"seq":2,"kind":"note","at":"2023-06-22T15:10:04+02:00","v":1,"text":"hi","session":null,"colour":"red"}"#,
    )
    .unwrap();
    assert_eq!(
        e.kind,
        Kind::Note {
            text: "hi".into(),
            session: None
        }
    );
}

#[test]
fn unknown_kinds_round_trip() {
    let line = r#"{"v":1,"seq":5,"at":"2023-06-22T15:10:04+02:00","kind":"lights","cue":12,"session":7,"deep":{"a":[1,2]}}"#;
    let e = Entry::parse_line(line).unwrap();
    let Kind::Unknown { kind, fields } = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(kind, "lights");
    assert_eq!(fields["cue"], json!(12));
    // A known field name with a future type is still an unknown kind.
    assert_eq!(fields["session"], json!(7));
    assert_eq!(e.kind.session(), None);
    assert_eq!(Entry::parse_line(&e.to_line()).unwrap(), e);

    let mut replay = replay_bytes(
        "j",
        format!(
            "{}\n{}\n",
            r#"{"v":1,"seq":1,"at":"2023-06-22T15:10:04+02:00","kind":"start","session":"a"}"#,
            line.replace(r#""seq":5"#, r#""seq":2"#)
        )
        .as_bytes(),
    );
    assert_eq!(replay.entries.len(), 2);
    let w = replay.warnings.pop().unwrap().to_string();
    assert!(
        replay
            .warnings
            .iter()
            .any(|w| w.message.contains("first entry is 'start'"))
    );
    assert!(w.contains("unknown kind 'lights'"), "{w}");
}

#[test]
fn bad_lines_are_located() {
    let cases: &[(&str, &str, usize)] = &[
        (
            r#"{"v":1,"seq":1,"at":"yesterday","kind":"note","text":"x"}"#,
            "'at' is not an RFC 3339",
            21,
        ),
        (
            r#"{"v":1,"seq":1,"at":"2023-06-22T15:10:04","kind":"note","text":"x"}"#,
            "'at' is not an RFC 3339",
            21,
        ),
        (
            r#"{"v":1,"seq":1,"at":"2023-06-22T15:10:04Z","kind":"start"}"#,
            "missing field 'session' for kind 'start'",
            1,
        ),
        (
            r#"{"v":1,"seq":"1","at":"2023-06-22T15:10:04Z","kind":"undo","target":1}"#,
            "invalid type",
            1,
        ),
        (
            r#"{"v":1,"seq":1,"at":"2023-06-22T15:10:04Z","kind":"speaker","session":"a","change":"swap"}"#,
            "'change' must be 'replace', 'add' or 'remove', not 'swap'",
            1,
        ),
        (
            r#"{"v":1,"seq":1,"at":"2023-06-22T15:10:04Z","kind":"note","text":"x","text":"y"}"#,
            "duplicate field 'text'",
            1,
        ),
        (r#"[1,2]"#, "expected a JSON object", 1),
        (r#"{"v":1,"seq":1"#, "line ends early", 1),
        (
            r#"{"seq":1,"at":"2023-06-22T15:10:04Z","kind":"note","text":"x"}"#,
            "missing field 'v'",
            1,
        ),
    ];
    for (line, msg, col) in cases {
        let err = Entry::parse_line(line).unwrap_err();
        assert!(err.message.contains(msg), "{line}: {}", err.message);
        if *col > 1 {
            assert_eq!(err.offset + 1, *col, "{line}");
        }
    }
}

#[test]
fn check_locates_every_problem() {
    let good = |seq: u64| {
        Entry::new(
            seq,
            at("2023-06-22T15:00:00+02:00"),
            Kind::Start {
                session: if seq == 4 { "gone".into() } else { "a".into() },
            },
        )
        .to_line()
    };
    let text = [
        good(1),
        good(2),
        "not json".into(),
        good(4),
        good(6),
        good(6),
        r#"{"v":1,"seq":7,"at":"2023"#.into(),
    ]
    .join("\n");
    let report = check_bytes("j.jsonl", text.as_bytes(), None, Some(&|s: &str| s == "a"));
    let shown = report.to_string();
    assert_eq!(report.problems.len(), 3, "{shown}");
    assert!(
        shown.contains("j.jsonl:3:1: expected a JSON object"),
        "{shown}"
    );
    assert!(
        shown.contains("j.jsonl:5:14: seq jumps from 4 to 6: entry 5 is missing"),
        "{shown}"
    );
    assert!(shown.contains("j.jsonl:6:14: seq 6 repeats"), "{shown}");
    assert!(
        shown.contains("j.jsonl:4:74: warning: session 'gone' is not in the agenda"),
        "{shown}"
    );
    assert!(
        shown.contains("j.jsonl:7:1: warning: last line has no newline"),
        "{shown}"
    );
    assert!(
        shown.contains("first entry is 'start', not 'open'"),
        "{shown}"
    );
    assert!(
        shown.ends_with("3 problems, 3 warnings; writing is stopped until the problems are fixed"),
        "{shown}"
    );
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,12}",
        any::<String>(),
        Just("\n\"\\\u{0}\u{1b}[0m\u{2028}".to_owned())
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

/// No clock (an older writer), the real clock, or a show clock; with or
/// without a moved agenda. Instants in whole milliseconds, as written.
fn clock() -> impl Strategy<Value = Option<ClockRecord>> {
    let instant = (0i64..4_000_000_000_000, -50_400i32..50_400).prop_map(|(ms, off)| {
        let off = chrono::FixedOffset::east_opt(off / 60 * 60).unwrap();
        DateTime::from_timestamp_millis(ms)
            .unwrap()
            .with_timezone(&off)
    });
    let show = (instant.clone(), instant, 1u32..100_000).prop_map(|(wall, show, speed)| {
        JournalClock::Show {
            wall: wall.with_timezone(&chrono::Utc).fixed_offset(),
            show,
            speed: f64::from(speed) / 10.0,
        }
    });
    let clock = prop_oneof![Just(JournalClock::Real), show];
    proptest::option::of(
        (
            clock,
            proptest::option::of(-10_000_000_000i64..10_000_000_000),
        )
            .prop_map(|(clock, shift_s)| ClockRecord { clock, shift_s }),
    )
}

fn kind() -> impl Strategy<Value = Kind> {
    let change = prop_oneof![
        Just(SpeakerChange::Replace),
        Just(SpeakerChange::Add),
        Just(SpeakerChange::Remove)
    ];
    prop_oneof![
        (text(), text(), text(), clock()).prop_map(|(agenda, sha256, version, clock)| {
            Kind::Open {
                agenda,
                sha256,
                version,
                clock: clock.map(Box::new),
            }
        }),
        text().prop_map(|session| Kind::Start { session }),
        text().prop_map(|session| Kind::End { session }),
        (text(), any::<i64>(), text()).prop_map(|(session, over_s, note)| Kind::Overrun {
            session,
            over_s,
            note
        }),
        (text(), change, opt_text(), opt_text(), opt_text()).prop_map(
            |(session, change, from, to, note)| Kind::Speaker {
                session,
                change,
                from,
                to,
                note
            }
        ),
        (text(), any::<i64>(), opt_text()).prop_map(|(session, delta_s, note)| Kind::Adjust {
            session,
            delta_s,
            note
        }),
        (text(), opt_text()).prop_map(|(session, speaker)| Kind::Floor { session, speaker }),
        text().prop_map(|session| Kind::FloorClose { session }),
        (text(), any::<u64>(), text()).prop_map(|(session, floor, speaker)| Kind::FloorName {
            session,
            floor,
            speaker
        }),
        text().prop_map(|text| Kind::Message { text }),
        (text(), opt_text()).prop_map(|(text, session)| Kind::Note { text, session }),
        any::<u64>().prop_map(|target| Kind::Undo { target }),
        (text(), text()).prop_map(|(session, note)| Kind::Skip { session, note }),
        (
            text(),
            proptest::collection::vec(proptest::collection::vec(text(), 0..3), 4),
            proptest::collection::vec((text(), text(), 0i64..100_000, 1i64..100_000), 0..3),
        )
            .prop_map(|(sha256, lists, was)| {
                let base = at("2023-06-22T15:00:00+02:00");
                Kind::Agenda(Box::new(AgendaChange {
                    sha256,
                    added: lists[0].clone(),
                    removed: lists[1].clone(),
                    retimed: lists[2].clone(),
                    retitled: lists[3].clone(),
                    was: was
                        .into_iter()
                        .map(|(session, title, s, d)| PlanItem {
                            session,
                            title,
                            start: base + chrono::TimeDelta::seconds(s),
                            end: base + chrono::TimeDelta::seconds(s + d),
                        })
                        .collect(),
                }))
            }),
        (
            "[a-z_]{1,8}",
            proptest::collection::btree_map("[a-z]{1,4}", text(), 0..4)
        )
            .prop_filter("not a known kind", |(k, _)| !Kind::is_known_name(k))
            .prop_map(|(kind, fields)| Kind::Unknown {
                kind,
                fields: fields
                    .into_iter()
                    .filter(|(k, _)| !["v", "seq", "at", "kind"].contains(&k.as_str()))
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect::<Map<_, _>>()
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn entries_round_trip(
        seq in 1u64..u64::MAX,
        secs in 0i64..253_402_300_799,
        nanos in 0u32..1_000_000_000,
        offset_min in -14 * 60i32..=14 * 60,
        kind in kind(),
    ) {
        let tz = FixedOffset::east_opt(offset_min * 60).unwrap();
        let at = tz.timestamp_opt(secs, nanos).unwrap();
        let e = Entry::new(seq, at, kind);
        let line = e.to_line();
        prop_assert!(!line.contains('\n'));
        prop_assert_eq!(Entry::parse_line(&line).unwrap(), e);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Entry::parse_line(&String::from_utf8_lossy(&bytes));
        let r = replay_bytes("j", &bytes);
        let _ = r.warnings.iter().map(ToString::to_string).count();
        let c = check_bytes("j", &bytes, Some("x"), Some(&|s: &str| s.len() < 3));
        let _ = c.to_string();
    }

    #[test]
    fn damaged_journals_never_panic(
        cut in 0usize..2000,
        flips in proptest::collection::vec((0usize..2000, any::<u8>()), 0..6),
    ) {
        // Start from a real journal so the parser gets deep, then damage it.
        let mut bytes = doc_example().into_bytes();
        for (i, b) in flips {
            let n = bytes.len();
            bytes[i % n] = b;
        }
        bytes.truncate(cut.min(bytes.len()));
        let r = replay_bytes("j", &bytes);
        if let Some(p) = &r.problem { let _ = p.to_string(); }
        let c = check_bytes("j", &bytes, Some("x"), Some(&|_: &str| false));
        let _ = c.to_string();
    }
}

#[test]
fn follower_survives_arbitrary_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let f = std::cell::RefCell::new(Follower::new(&path));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(64));
    runner
        .run(&proptest::collection::vec(any::<u8>(), 0..300), |bytes| {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .unwrap();
            file.write_all(&bytes).unwrap();
            let mut f = f.borrow_mut();
            let _ = f.poll();
            let _ = f.take_warnings();
            Ok(())
        })
        .unwrap();
}

/// Issue 19's kinds, in the shapes the session's journal contract gives:
/// each line reads back as its kind and writes out byte for byte; a
/// `start_fix` whose `start` is not RFC 3339 is refused at that field.
#[test]
fn hold_resume_and_start_fix_round_trip() {
    for line in [
        r#"{"v":1,"seq":5,"at":"2023-06-22T15:20:00+02:00","kind":"hold","session":"panel","reason":"stream down"}"#,
        r#"{"v":1,"seq":6,"at":"2023-06-22T15:23:00+02:00","kind":"hold"}"#,
        r#"{"v":1,"seq":7,"at":"2023-06-22T15:23:00+02:00","kind":"resume","session":"panel"}"#,
        r#"{"v":1,"seq":8,"at":"2023-06-22T15:25:00+02:00","kind":"start_fix","session":"panel","start":"2023-06-22T15:10:00+02:00","note":"GO was late"}"#,
    ] {
        let e = Entry::parse_line(line).unwrap();
        assert!(!matches!(e.kind, Kind::Unknown { .. }), "{line}");
        assert_eq!(e.to_line(), line);
    }
    let err = Entry::parse_line(
        r#"{"v":1,"seq":8,"at":"2023-06-22T15:25:00+02:00","kind":"start_fix","session":"panel","start":"15:10"}"#,
    )
    .unwrap_err();
    assert!(
        err.message.contains("'start' is not an RFC 3339 time"),
        "{}",
        err.message
    );
}
