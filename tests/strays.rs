//! Two things that made a journal or a fresh clone read as thousands of
//! hours late:
//!
//! - *stray entries*: an older showcall wrote demo runs (`--at`, `--speed`)
//!   into the real journal, so a real-clock journal opened in 2026 holds a
//!   start stamped 2023. No real clock of that file wrote it; every reader
//!   leaves it out, says so, and keeps it in the file;
//! - far from the event's day with nothing started, every view reads the
//!   plan as it stands, never a projection from a day years later.

use chrono::{DateTime, TimeZone, Utc};
use showcall::agenda::Agenda;
use showcall::journal::{Entry, check_bytes};
use showcall::show::{Now, Show};

fn agenda() -> Agenda {
    Agenda::parse(include_bytes!("../agenda.toml"), "agenda.toml").unwrap()
}

/// A real-clock journal opened on 2026-11-20 at 10:00 CET (09:00 UTC),
/// then `lines` after it.
fn journal(lines: &[&str]) -> String {
    let mut text = String::from(
        r#"{"v":1,"seq":1,"at":"2026-11-20T10:00:00.000+01:00","kind":"open","agenda":"agenda.toml","sha256":"x","version":"0.1.0"}"#,
    );
    for l in lines {
        text.push('\n');
        text.push_str(l);
    }
    text.push('\n');
    text
}

fn entries(text: &str) -> Vec<Entry> {
    text.lines()
        .map(|l| Entry::parse_line(l).unwrap())
        .collect()
}

const OLD_DEMO_START: &str =
    r#"{"v":1,"seq":2,"at":"2023-06-22T15:39:31.486+02:00","kind":"start","session":"panel"}"#;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

#[test]
fn a_start_stamped_years_before_the_journal_was_opened_is_left_out_and_said() {
    let text = journal(&[OLD_DEMO_START]);
    let show = Show::new(agenda(), entries(&text));
    // Left out: nothing ever started, so the panel is not "live since
    // 2023" at any instant.
    assert!(!show.fold().started());
    assert_eq!(show.fold().ignored.len(), 1);
    assert_eq!(show.fold().ignored[0].0, 2);
    let today = utc(2026, 11, 29, 11, 0);
    assert!(!matches!(show.at(today).now, Now::Live(_)));

    // `check --journal` says which line, and how to start clean. From
    // 2023-06-22 13:39:31 UTC to 2026-11-20 09:00 UTC: three years to
    // 2026-06-22 (1,096 days, 2024 being a leap year), then 8 days of June,
    // 31 + 31 + 30 + 31 for July to October and 20 of November: 1,247
    // days less the 4h39m from 13:39 to 09:00, so 1,246 whole days.
    let check = check_bytes("agenda.journal.jsonl", text.as_bytes(), None, None);
    let said = check.to_string();
    assert!(
        said.contains("agenda.journal.jsonl:2:21: warning: stamped 2023-06-22 15:39, 1246 days before this journal was opened"),
        "{said}"
    );
    assert!(said.contains("move this file away"), "{said}");
    assert!(check.is_clean(), "a warning, not a problem: {said}");

    // The review lists it among the entries not applied, and reports a
    // show that never started, read at the plan: on time, not 29,923
    // hours late.
    let report = showcall::report::build(&agenda(), &entries(&text), today);
    assert_eq!(report.ignored.len(), 1);
    assert!(report.ignored[0].detail.contains("1246 days before"));
    let md = showcall::report::render(&report, showcall::report::Format::Md);
    assert!(
        md.contains("**Status at the journal's end, 10:00:00:** not started"),
        "{md}"
    );
    assert!(
        md.contains("**Lateness at the end:** on time (projected)"),
        "{md}"
    );
    assert!(!md.contains("29923"), "{md}");
}

/// A clock set right during the show moves stamps by minutes or hours: an
/// entry stamped two hours before the `open` still counts.
#[test]
fn a_clock_set_back_by_hours_is_not_a_stray() {
    let text = journal(&[
        r#"{"v":1,"seq":2,"at":"2026-11-20T08:00:00.000+01:00","kind":"start","session":"welcome"}"#,
    ]);
    let show = Show::new(agenda(), entries(&text));
    assert!(show.fold().started());
    assert!(show.fold().ignored.is_empty());
    let check = check_bytes("j.jsonl", text.as_bytes(), None, None);
    // Not a stray; the one warning is the clock going backwards (issue 24:
    // `check` warns about stamps that go backwards, at their line).
    assert_eq!(check.warnings.len(), 1, "{check}");
    assert!(
        check.warnings[0]
            .message
            .contains("stamped 2:00:00 before seq 1 above it"),
        "{check}"
    );
    assert!(
        !check.to_string().contains("before this journal was opened"),
        "{check}"
    );
}

/// A show-clock journal stamps entries in the show's time: never strays.
#[test]
fn a_show_clock_journal_has_no_strays() {
    let text = concat!(
        r#"{"v":1,"seq":1,"at":"2026-11-20T10:00:00.000+01:00","kind":"open","agenda":"agenda.toml","sha256":"x","version":"0.1.0","clock":"show","clock_wall":"2026-11-20T10:00:00.000+01:00","clock_show":"2023-06-22T15:00:00+02:00","clock_speed":1}"#,
        "\n",
        r#"{"v":1,"seq":2,"at":"2023-06-22T15:00:05.000+02:00","kind":"start","session":"welcome"}"#,
        "\n"
    );
    let show = Show::new(agenda(), entries(text));
    assert!(show.fold().started());
    assert!(show.fold().ignored.is_empty());
}

/// A fresh clone, years after the event: `check --status` shows the plan
/// as it stands, not "+30142:46:38 BEHIND" projected from today.
#[test]
fn far_from_the_event_with_nothing_started_the_status_is_the_plan() {
    let show = Show::new(agenda(), Vec::new());
    let today = utc(2026, 11, 29, 11, 47);
    let text = showcall::status::status_at(&show, today);
    assert!(text.contains("This event was on Thu 22 Jun 2023"), "{text}");
    assert!(
        text.contains("nothing logged yet: the plan as it stands"),
        "{text}"
    );
    assert!(text.contains("15:00–15:10  Welcome Remarks"), "{text}");
    assert!(!text.contains("BEHIND"), "{text}");
    assert!(!text.contains("due"), "{text}");
    // On the day, the same call projects from now as before: at 15:05
    // CEST (13:05 UTC) the welcome is due 5:00 ago, not started.
    let on_the_day = utc(2023, 6, 22, 13, 5);
    let text = showcall::status::status_at(&show, on_the_day);
    assert!(text.contains("NOT STARTED (due 5:00 ago"), "{text}");
}
