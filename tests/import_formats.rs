//! `showcall import`: each format's time rules as its writer defines them,
//! each with a fixture written here that reproduces the oddity.

use std::path::{Path, PathBuf};

use showcall::agenda::Agenda;
use showcall::import::{Options, import};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// (title, UTC start, minutes) of every session.
fn times(a: &Agenda) -> Vec<(String, String, i64)> {
    a.sessions
        .iter()
        .map(|s| {
            (
                s.title.clone(),
                s.start.format("%Y-%m-%dT%H:%MZ").to_string(),
                (s.end - s.start).num_minutes(),
            )
        })
        .collect()
}

fn row(t: &str, utc: &str, mins: i64) -> (String, String, i64) {
    (t.to_string(), utc.to_string(), mins)
}

#[test]
fn pretalx_day_durations_and_date_over_start() {
    let bytes = std::fs::read(fixture("pretalx-days.xml")).unwrap();
    let done =
        import(&bytes, "pretalx-days.xml", &Options::default()).unwrap_or_else(|d| panic!("{d}"));
    let a = Agenda::parse(done.toml.as_bytes(), "agenda.toml").unwrap();
    // Europe/Berlin in August is CEST, UTC+2.
    //   Opening  10:00, "00:45"                       → 08:00Z, 45 min
    //   Hackathon 11:00, "1:01:30" = pretalx D:HH:MM:
    //            1 day 1 h 30 min = 1440 + 90          → 09:00Z, 1530 min
    //   Demo hour <date> 14:00 (used), <start> 13:00;
    //            "01:00:00" = HH:MM:SS, one hour       → 2026-08-08 12:00Z, 60
    assert_eq!(
        times(&a),
        vec![
            row("Opening", "2026-08-07T08:00Z", 45),
            row("Hackathon (25 hours)", "2026-08-07T09:00Z", 1530),
            row("Demo hour", "2026-08-08T12:00Z", 60),
        ]
    );
    // The disagreement is said, on stderr and in the header.
    let want = "1 event in the source has a <date> and a <start> that disagree: the <date> \
                (the exact instant) was used, e.g. 'Demo hour' (date 2026-08-08T14:00:00+02:00, start 13:00)";
    assert!(
        done.warnings.iter().any(|w| w == want),
        "{:?}",
        done.warnings
    );
}

#[test]
fn every_occurrence_of_a_recurring_calendar_event() {
    let bytes = std::fs::read(fixture("recurring.ics")).unwrap();
    let done =
        import(&bytes, "recurring.ics", &Options::default()).unwrap_or_else(|d| panic!("{d}"));
    let a = Agenda::parse(done.toml.as_bytes(), "agenda.toml").unwrap();
    // Lisbon in September is WEST, UTC+1: 09:00 local is 08:00Z.
    // The stand-up: daily, COUNT=4 (14th to 17th), EXDATE the 16th: the
    // 14th, 15th and 17th. The weekly social has no end: occurrences up to
    // the last date another event starts on (the 17th) — only the 14th.
    let ids: Vec<(&str, String)> = a
        .sessions
        .iter()
        .map(|s| (s.id.as_str(), s.start.format("%d %H:%MZ").to_string()))
        .collect();
    assert_eq!(
        ids,
        [
            ("standup", "14 08:00Z".to_string()),
            ("talk-1", "14 09:00Z".to_string()),
            ("social", "14 17:00Z".to_string()),
            ("standup-20260915", "15 08:00Z".to_string()),
            ("talk-2", "15 09:00Z".to_string()),
            ("standup-20260917", "17 08:00Z".to_string()),
            ("talk-3", "17 09:00Z".to_string()),
        ]
    );
    // Each occurrence lasts as long as the first: 15 minutes.
    assert!(
        a.sessions
            .iter()
            .filter(|s| s.id.starts_with("standup"))
            .all(|s| (s.end - s.start).num_minutes() == 15)
    );
    assert!(
        done.notes
            .iter()
            .any(|n| n == "2 recurring events: 4 occurrences up to 2026-09-17 imported"),
        "{:?}",
        done.notes
    );
    // One chosen day: that day's occurrence.
    let day = Options {
        day: Some(showcall::import::DaySel::Date(
            chrono::NaiveDate::from_ymd_opt(2026, 9, 15).unwrap(),
        )),
        ..Options::default()
    };
    let done = import(&bytes, "recurring.ics", &day).unwrap();
    let a = Agenda::parse(done.toml.as_bytes(), "agenda.toml").unwrap();
    let ids: Vec<&str> = a.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["standup-20260915", "talk-2"]);
    // A day past every single event still gets the weekly social: 21st.
    let later = Options {
        day: Some(showcall::import::DaySel::Date(
            chrono::NaiveDate::from_ymd_opt(2026, 9, 21).unwrap(),
        )),
        ..Options::default()
    };
    let done = import(&bytes, "recurring.ics", &later).unwrap();
    assert!(
        done.toml.contains("id = \"social-20260921\""),
        "{}",
        done.toml
    );
}
