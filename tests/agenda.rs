//! The agenda format end to end: the reference agenda resolves to the right
//! instants, clock changes are real elapsed time, the accepted value forms,
//! the printed schedule, and no input whatsoever makes the parser panic.

use std::path::Path;

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use showcall::agenda::{Agenda, schedule_text};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn parse(src: &str) -> Agenda {
    Agenda::parse(src.as_bytes(), "test.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(src: &str) -> String {
    match Agenda::parse(src.as_bytes(), "test.toml") {
        Ok(a) => panic!("accepted: {a:?}"),
        Err(e) => e.to_string(),
    }
}

const EVENT: &str = r#"
[event]
title = "T"
date = "2023-06-22"
timezone = "Europe/Zurich"
"#;

#[test]
fn reference_agenda_resolves() {
    let a = Agenda::load(Path::new("agenda.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.file_name, "agenda.toml");
    assert_eq!(a.sha256.len(), 64);
    assert_eq!(a.event.date, NaiveDate::from_ymd_opt(2023, 6, 22).unwrap());
    assert_eq!(a.event.tz, chrono_tz::Europe::Zurich);
    assert_eq!(a.event.languages, ["en", "fr", "es"]);
    assert_eq!(
        a.event.also_show,
        [chrono_tz::UTC, chrono_tz::America::New_York]
    );
    let ids: Vec<&str> = a.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["welcome", "panel", "qa", "policy-brief", "closing"]);

    // "3 PM CET" in the note, but June is CEST: 15:00 local is 13:00 UTC.
    assert_eq!(a.planned_start(), utc(2023, 6, 22, 13, 0));
    assert_eq!(
        showcall::text::zone_abbr(a.planned_start(), a.event.tz),
        "CEST"
    );
    assert_eq!(a.planned_end(), utc(2023, 6, 22, 14, 30));

    // Sessions without an end run until the next one starts.
    let mins: Vec<i64> = a
        .sessions
        .iter()
        .map(|s| s.planned_duration().num_minutes())
        .collect();
    assert_eq!(mins, [10, 30, 35, 5, 10]);
    for w in a.sessions.windows(2) {
        assert_eq!(w[0].end, w[1].start);
    }
    let qa = a.session("qa").unwrap();
    let iv = qa.intervention.expect("qa has timed interventions");
    assert_eq!(iv.slot, TimeDelta::minutes(3));
    assert_eq!(
        (iv.signals.warn, iv.signals.final_),
        (TimeDelta::seconds(30), TimeDelta::seconds(10))
    );
    assert_eq!(a.index_of("closing"), Some(4));
    let panel = a.session("panel").unwrap();
    assert_eq!(panel.speakers.len(), 4);
    assert!(
        panel
            .notes
            .as_deref()
            .unwrap()
            .contains("leverage the use of data")
    );
    assert!(
        panel
            .speakers
            .iter()
            .all(|s| s.starts_with("Moderator") || s.starts_with("Panellist"))
    );
    assert_eq!(panel.line, 59, "line of the panel's [[session]] header");
}

#[test]
fn schedule_text_shows_local_times_with_zone() {
    let a = Agenda::load(Path::new("agenda.toml")).unwrap();
    let text = schedule_text(&a);
    assert!(
        text.contains("welcome       15:00–15:10 CEST (UTC+02:00)  10m  Welcome Remarks"),
        "{text}"
    );
    assert!(
        text.contains("closing       16:20–16:30 CEST (UTC+02:00)  10m  Closing Remarks"),
        "{text}"
    );
    assert!(
        text.contains("Thursday 22 June 2023 · Europe/Zurich, CEST (UTC+02:00)"),
        "{text}"
    );
    assert!(text.contains("Languages: en, fr, es"), "{text}");
    assert!(
        text.contains("with Moderator, Panellist (Member State)"),
        "{text}"
    );
    assert!(
        text.contains("interventions of 3m (warn 30s, final 10s)"),
        "{text}"
    );
    assert!(
        text.contains("5 sessions, 15:00–16:30 CEST (UTC+02:00), 1h30m in all"),
        "{text}"
    );
    assert!(
        text.contains("in UTC: 13:00–14:30 UTC (UTC+00:00)"),
        "{text}"
    );
    assert!(
        text.contains("in America/New_York: 09:00–10:30 EDT (UTC-04:00)"),
        "{text}"
    );
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}");
    }
}

#[test]
fn schedule_text_sanitises_nothing_unsafe_gets_through() {
    // Validation rejects unsafe text, but the printer must not rely on it.
    let mut a = Agenda::load(Path::new("agenda.toml")).unwrap();
    a.sessions[0].title = "Evil\x1b[2J".into();
    a.sessions[0].speakers = vec!["bell\x07".into()];
    a.event.venue = Some("\u{9b}31m".into());
    let text = schedule_text(&a);
    assert!(
        !text
            .chars()
            .any(|c| c != '\n' && showcall::text::is_unsafe_char(c)),
        "{text:?}"
    );
}

#[test]
fn spring_forward_session_lasts_one_real_hour() {
    let a = parse(
        r#"
[event]
title = "Night"
date = "2023-03-26"
timezone = "Europe/Zurich"

[[session]]
id = "night"
title = "Night shift"
start = "01:30"
end = "03:30"
"#,
    );
    let s = &a.sessions[0];
    assert_eq!(s.start, utc(2023, 3, 26, 0, 30)); // 01:30 CET = UTC+1
    assert_eq!(s.end, utc(2023, 3, 26, 1, 30)); // 03:30 CEST = UTC+2
    assert_eq!(s.planned_duration(), TimeDelta::hours(1));
    let text = schedule_text(&a);
    assert!(
        text.contains("01:30 CET–03:30 CEST (UTC+01:00→UTC+02:00)  1h"),
        "{text}"
    );
    assert!(
        text.contains("clocks change: lasts 1h (2h on the wall clock)"),
        "{text}"
    );
}

#[test]
fn fall_back_duration_crosses_the_repeated_hour() {
    let a = parse(
        r#"
[event]
title = "Night"
date = "2023-10-29"
timezone = "Europe/Zurich"

[[session]]
id = "night"
title = "Night shift"
start = "01:30"
duration = "2h"
"#,
    );
    let s = &a.sessions[0];
    assert_eq!(s.start, utc(2023, 10, 28, 23, 30));
    assert_eq!(s.end, utc(2023, 10, 29, 1, 30)); // 02:30 CET, the second time
    let text = schedule_text(&a);
    assert!(
        text.contains("clocks change: lasts 2h (1h on the wall clock)"),
        "{text}"
    );
}

#[test]
fn dst_gap_and_ambiguity_say_how_to_fix() {
    let gap = parse_err(
        r#"
[event]
title = "Night"
date = "2023-03-26"
timezone = "Europe/Zurich"
[[session]]
id = "night"
title = "Night"
start = "01:00"
end = "02:15"
"#,
    );
    assert!(gap.contains("test.toml:10:7: session 'night' ends at 02:15 on 2023-03-26, a time that does not exist in Europe/Zurich"), "{gap}");
    assert!(
        gap.contains("= help: pick a time before 02:00 or after 03:00"),
        "{gap}"
    );

    let twice = parse_err(
        r#"
[event]
title = "Night"
date = "2023-10-29"
timezone = "Europe/Zurich"
must_end_by = "02:30"
[[session]]
id = "night"
title = "Night"
start = "01:00"
duration = "10m"
"#,
    );
    assert!(twice.contains("test.toml:6:15: the hard end `must_end_by` is at 02:30 on 2023-10-29, an ambiguous time"), "{twice}");
    assert!(
        twice.contains("at UTC+02:00 and again at UTC+01:00"),
        "{twice}"
    );
    assert!(
        twice.contains("avoid the repeated hour 02:00–03:00"),
        "{twice}"
    );
}

#[test]
fn duration_past_midnight_and_multi_day_dates() {
    let a = parse(&format!(
        r#"{EVENT}
[[session]]
id = "late"
title = "Late"
start = 23:30:00
duration = "1h"

[[session]]
id = "breakfast"
date = 2023-06-23
title = "Breakfast"
start = "08:00"
end = "09:00:30"

[[session]]
id = "walk"
title = "Walk"
start = "10:00"
duration = "1h30m"
"#
    ));
    assert_eq!(a.sessions[0].end, utc(2023, 6, 22, 22, 30));
    assert_eq!(a.sessions[1].start, utc(2023, 6, 23, 6, 0));
    assert_eq!(a.sessions[1].planned_duration(), TimeDelta::seconds(3630));
    // `date` carries over to the following session.
    assert_eq!(a.sessions[2].start, utc(2023, 6, 23, 8, 0));
    let text = schedule_text(&a);
    assert!(text.contains("23:30–00:30+1 CEST"), "{text}");
    assert!(text.contains("Friday 23 June 2023"), "{text}");
}

#[test]
fn native_toml_date_and_signal_overrides() {
    let a = parse(
        r#"
[event]
title = "T"
date = 2023-06-22
timezone = "UTC"
must_end_by = "10:00"
[signals]
warn = "2m"
final = "30s"
[[session]]
id = "a"
title = "A"
start = "09:00"
duration = "10m"
fixed = true
min_duration = "5m"
warn = "1m"
[[session]]
id = "b"
title = "B"
start = "09:10"
end = "09:20"
intervention = "90s"
intervention_final = "10s"
"#,
    );
    assert_eq!(a.signals.warn, TimeDelta::minutes(2));
    assert_eq!(
        a.event.must_end_by,
        vec![showcall::agenda::HardEnd {
            date: a.event.date,
            at: utc(2023, 6, 22, 10, 0)
        }]
    );
    let s = &a.sessions[0];
    assert!(s.fixed);
    assert_eq!(s.min_duration, Some(TimeDelta::minutes(5)));
    assert_eq!(
        (s.signals.warn, s.signals.final_),
        (TimeDelta::minutes(1), TimeDelta::seconds(30))
    );
    let b = &a.sessions[1];
    assert_eq!(b.signals, a.signals);
    let iv = b.intervention.unwrap();
    // warn scaled from the 90s slot, final set explicitly.
    assert_eq!(
        (iv.signals.warn, iv.signals.final_),
        (TimeDelta::seconds(15), TimeDelta::seconds(10))
    );
}

#[test]
fn reports_every_problem_in_file_order() {
    let e = parse_err(&format!(
        r#"{EVENT}
[[session]]
id = "a"
title = "A"
start = "25:00"
duration = "0m"
spekers = []
"#
    ));
    let heads: Vec<&str> = e.lines().filter(|l| l.starts_with("test.toml:")).collect();
    assert_eq!(heads.len(), 3, "{e}");
    assert!(
        heads[0].starts_with("test.toml:10:9: malformed time '25:00'"),
        "{e}"
    );
    assert!(
        heads[1].starts_with("test.toml:11:12: duration '0m' must be longer than zero"),
        "{e}"
    );
    assert!(
        heads[2].starts_with("test.toml:12:1: unknown key 'spekers'"),
        "{e}"
    );
    assert!(e.contains("= help: did you mean `speakers`?"), "{e}");
    assert!(e.ends_with("3 problems found"), "{e}");
}

#[test]
fn parses_ten_thousand_sessions() {
    let src = synthetic::agenda_toml(10_000);
    let a = parse(&src);
    assert_eq!(a.sessions.len(), 10_000);
    assert_eq!(a.sessions[9_999].id, "s9999");
}

/// The benchmarks' generator: 10,000 five-second sessions fit in one day
/// and under the 1 MiB limit.
#[path = "../benches/support/synthetic.rs"]
mod synthetic;

const KEYS: &[&str] = &[
    "[event]",
    "[[session]]",
    "[signals]",
    "title",
    "date",
    "timezone",
    "id",
    "start",
    "end",
    "duration",
    "notes",
    "speakers",
    "warn",
    "final",
    "intervention",
    "must_end_by",
    "also_show",
];
const VALUES: &[&str] = &[
    "\"15:00\"",
    "\"02:30\"",
    "\"25:00\"",
    "\"10m\"",
    "\"0m\"",
    "\"-5m\"",
    "\"Europe/Zurich\"",
    "\"2023-03-26\"",
    "\"2023-10-29\"",
    "\"2023-02-30\"",
    "15:00:00",
    "2023-06-22",
    "[]",
    "[\"a\", 1]",
    "\"\\u001b\"",
    "true",
    "1e9",
    "{}",
    "\"x\"",
    "\"99999999h\"",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Agenda::parse(&bytes, "fuzz.toml");
    }

    #[test]
    fn near_valid_toml_never_panics(
        lines in proptest::collection::vec((0..KEYS.len(), 0..VALUES.len(), any::<bool>()), 0..40)
    ) {
        let mut src = String::new();
        for (k, v, header) in lines {
            let key = KEYS[k];
            if key.starts_with('[') || header {
                src.push_str(if key.starts_with('[') { key } else { "[[session]]" });
            } else {
                src.push_str(&format!("{key} = {}", VALUES[v]));
            }
            src.push('\n');
        }
        match Agenda::parse(src.as_bytes(), "fuzz.toml") {
            Ok(a) => {
                // Whatever is accepted holds the invariants downstream relies on.
                for w in a.sessions.windows(2) {
                    prop_assert!(w[0].end <= w[1].start);
                }
                for s in &a.sessions {
                    prop_assert!(s.end > s.start);
                }
                let _ = schedule_text(&a);
            }
            Err(d) => prop_assert!(!d.0.is_empty()),
        }
    }
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_are_fine() {
    let src = format!(
        "\u{feff}{}",
        "[event]\r\ntitle = \"T\"\r\ndate = \"2023-06-22\"\r\ntimezone = \"UTC\"\r\n\r\n\
         [[session]]\r\nid = \"a\"\r\ntitle = \"A\"\r\nstart = \"25:00\"\r\nduration = \"1m\"\r\n"
    );
    let err = Agenda::parse(src.as_bytes(), "crlf.toml").unwrap_err();
    assert_eq!((err.0[0].line, err.0[0].col), (9, 9), "{err}");
    assert_eq!(err.0[0].source_line.as_deref(), Some("start = \"25:00\""));
    let ok = src.replace("25:00", "15:00");
    assert_eq!(parse(&ok).sessions[0].start, utc(2023, 6, 22, 15, 0));
}

#[test]
fn check_gives_the_span_and_the_length_of_a_programme_with_gaps() {
    // Two days: 09:00–17:00 on the 22nd, 09:00–11:45 on the 23rd. Span:
    // 09:00 on the 22nd to 11:45 on the 23rd = 24h + 2h45m = 26h45m.
    // Sessions: 8h + 2h45m = 10h45m.
    let src = format!(
        "{EVENT}{}",
        r#"
[[session]]
id = "d1"
title = "Day one"
start = "09:00"
end = "17:00"

[[session]]
id = "d2"
title = "Day two"
date = "2023-06-23"
start = "09:00"
end = "11:45"
"#
    );
    let a = parse(&src);
    let text = schedule_text(&a);
    assert!(
        text.contains("26h45m from first start to last end, 10h45m of sessions"),
        "{text}"
    );
    // One day with a lunch gap: 09:00–12:00 and 13:00–17:00. Span 8h,
    // sessions 3h + 4h = 7h.
    let a = parse(&format!(
        "{EVENT}{}",
        r#"
[[session]]
id = "am"
title = "Morning"
start = "09:00"
end = "12:00"

[[session]]
id = "pm"
title = "Afternoon"
start = "13:00"
end = "17:00"
"#
    ));
    let text = schedule_text(&a);
    assert!(
        text.contains("2 sessions, 09:00–17:00 CEST (UTC+02:00), 8h from first start to last end, 7h of sessions"),
        "{text}"
    );
    assert!(!text.contains("in all"), "{text}");
}

#[test]
fn hints_name_the_fix() {
    let err = parse_err(
        r#"
[event]
title = "T"
date = "2023-6-22"
timezone = "JST"

[[session]]
id = "a"
title = "A"
start = "9:00"
duration = "10 min"
"#,
    );
    assert!(err.contains(r#"write "2023-06-22" instead"#), "{err}");
    // JST is used by one zone (Asia/Tokyo; "Japan" is an old alias).
    assert!(err.contains(r#"write "Asia/Tokyo" instead"#), "{err}");
    assert!(err.contains(r#"write "09:00" instead"#), "{err}");
    assert!(err.contains(r#"write "10m" instead"#), "{err}");
    // CEST is shared: the help lists some and says to pick the venue's.
    let err = parse_err(&format!(
        "{}{}",
        EVENT.replace("Europe/Zurich", "CEST"),
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"09:00\"\n"
    ));
    assert!(err.contains("CEST is used by"), "{err}");
    assert!(err.contains(r#""Europe/"#), "{err}");
}

/// An agenda saved on Windows (CRLF line ends, a byte-order mark) is the
/// same agenda: the reference agenda converted reads session for session,
/// with the same notes (its multi-line strings hold no CR), and `check`
/// passes on it. A lone CR is still refused, where it is.
#[test]
fn crlf_and_bom_agendas_read_as_the_same_agenda() {
    let unix = std::fs::read_to_string("agenda.toml").unwrap();
    assert!(!unix.contains('\r'));
    let windows = format!("\u{feff}{}", unix.replace('\n', "\r\n"));
    let a = Agenda::parse(unix.as_bytes(), "agenda.toml").unwrap();
    let b = Agenda::parse(windows.as_bytes(), "agenda.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.sessions, b.sessions);
    assert_eq!(a.event, b.event);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agenda.toml");
    std::fs::write(&path, &windows).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_showcall"))
        .args(["check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A CR alone inside a title is not a line end: refused where it is,
    // line 2, column 11 (`title = "A` is 10 columns).
    let e = parse_err("[event]\r\ntitle = \"A\rB\"\r\n");
    assert!(e.contains(":2:11:"), "{e}");
}

#[test]
fn schedule_text_lists_each_cues_target_on_one_line_cut_at_80_columns() {
    let a = parse(&format!(
        r#"{EVENT}
[[session]]
id = "talk"
title = "Talk"
start = "09:00"
duration = "30m"

[[cue]]
name = "stream scene"
on = "start"
http = "http://10.0.0.5:8000/api/location/1/0/1/press?scene=panel-wide-with-lower-third-and-logo"
method = "POST"

[[cue]]
name = "chime"
on = "final"
osc = "127.0.0.1:53000"
address = "/cue/7/start"
"#
    ));
    let text = schedule_text(&a);
    let cues = &text[text.find("cues out").unwrap()..];
    // The target line is indented 11 columns and has 69 left: "→ POST "
    // (7 columns) and the URL (88) are 95, so 68 columns are kept and `…`
    // makes 69 — the URL is cut after its 61st character, "…panel-wid".
    assert!(
        cues.contains(
            "\n  start    stream scene, every session\n           \
             → POST http://10.0.0.5:8000/api/location/1/0/1/press?scene=panel-wid…\n"
        ),
        "{cues}"
    );
    // A short target is whole.
    assert!(
        cues.contains(
            "\n  final    chime, every session\n           → 127.0.0.1:53000 /cue/7/start\n"
        ),
        "{cues}"
    );
    for l in cues.lines() {
        assert!(
            showcall::text::width(l) <= 80,
            "{} columns: {l}",
            showcall::text::width(l)
        );
    }
}
