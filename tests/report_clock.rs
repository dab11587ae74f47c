//! The review ends where the show stopped: a show never ended, reported
//! years later, is cut at its journal's last entry; a sped-up rehearsal's
//! review, made by its own show clock, counts every entry; entries stamped
//! after the review's instant are warned about; instants keep milliseconds
//! at most; a rehearsal says so.

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, NaiveDate, NaiveTime, SubsecRound, TimeDelta, TimeZone, Utc};
use showcall::agenda::Agenda;
use showcall::journal::{self, Entry};
use showcall::report::{self, Format, SessionState, ShowStatus};

/// The report fixtures' agenda: welcome 15:00–15:10, panel 15:10–15:40,
/// qa 15:40–16:15, policy-brief 16:15–16:20, closing 16:20–16:30, CEST.
fn agenda() -> Agenda {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report/agenda.toml");
    Agenda::parse(&std::fs::read(path).unwrap(), "agenda.toml").unwrap_or_else(|d| panic!("{d}"))
}

/// `HH:MM[:SS]` on 2023-06-22 in Geneva (CEST).
fn t(hms: &str) -> DateTime<Utc> {
    let f = if hms.len() == 5 { "%H:%M" } else { "%H:%M:%S" };
    let time = NaiveTime::parse_from_str(hms, f).unwrap();
    chrono_tz::Europe::Zurich
        .from_local_datetime(&NaiveDate::from_ymd_opt(2023, 6, 22).unwrap().and_time(time))
        .unwrap()
        .with_timezone(&Utc)
}

fn parse(text: &str) -> Vec<Entry> {
    journal::replay_bytes("j.jsonl", text.as_bytes()).entries
}

/// A real show whose laptop died during the panel: the last entry is a
/// note at 15:20:30, and nobody ever pressed `e`.
const NEVER_ENDED: &str = r#"{"v":1,"seq":1,"at":"2023-06-22T14:50:00+02:00","kind":"open","agenda":"agenda.toml","sha256":"ab","version":"0.1.0"}
{"v":1,"seq":2,"at":"2023-06-22T15:02:00+02:00","kind":"start","session":"welcome"}
{"v":1,"seq":3,"at":"2023-06-22T15:13:00+02:00","kind":"start","session":"panel"}
{"v":1,"seq":4,"at":"2023-06-22T15:14:00+02:00","kind":"floor","session":"panel","speaker":"Ana"}
{"v":1,"seq":5,"at":"2023-06-22T15:20:30+02:00","kind":"note","text":"projector flickers","session":"panel"}
"#;

#[test]
fn a_show_never_ended_reported_years_later_stops_at_its_last_entry() {
    let entries = parse(NEVER_ENDED);
    // Three and a half years later, as in the issue.
    let years_later = t("15:00") + TimeDelta::days(3 * 365 + 180);
    let r = report::build(&agenda(), &entries, years_later);

    assert_eq!(r.event.status, ShowStatus::NotEnded);
    assert!(r.event.at_journal_end);
    assert_eq!(r.event.report_at, t("15:20:30"));
    let last = r.event.last_entry.as_ref().unwrap();
    assert_eq!((last.seq, last.kind.as_str()), (5, "note"));
    // Welcome ran 15:02 → 15:13: 11 min = 660 s, done.
    assert_eq!(r.sessions[0].state, SessionState::Done);
    assert_eq!(r.sessions[0].actual_s, Some(660));
    // The panel started at 15:13 and the journal stops at 15:20:30: 7 min
    // 30 s = 450 s, not ended; never counted to the wall clock.
    assert_eq!(r.sessions[1].state, SessionState::NotEnded);
    assert_eq!(r.sessions[1].actual_s, Some(450));
    assert!(r.sessions[1].actual_end.is_none());
    // Ana's floor: 15:14 → 15:20:30 = 390 s.
    assert_eq!(r.interventions[0].spoken_s, 390);

    // No duration longer than the journal's span: 14:50 → 15:20:30 is
    // 30 min 30 s = 1830 s.
    let span = 1830;
    for s in &r.sessions {
        assert!(
            s.actual_s.unwrap_or(0) <= span,
            "{}: {:?}",
            s.id,
            s.actual_s
        );
        assert!(s.over_s.unwrap_or(0) <= span, "{}: {:?}", s.id, s.over_s);
    }
    assert!(
        r.event.end_lateness_s.abs() <= 24 * 3600,
        "{}",
        r.event.end_lateness_s
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w
                .contains("'panel' was never ended: the journal stops at seq 5 (note, 15:20:30)")),
        "{:?}",
        r.warnings
    );

    let md = report::render(&r, Format::Md);
    assert!(md.contains("**Status at the journal's end, 15:20:30:** not ended: 'panel' was live when the journal stopped (last entry: seq 5, note, 15:20:30)"), "{md}");
    assert!(
        md.contains("| 15:13:00 | not ended | 7:30 up to the last entry |"),
        "{md}"
    );
    assert!(md.contains("- **End:** planned 16:30:00, not ended (the journal stops at 15:20:30), projected then "), "{md}");
    let json = report::render(&r, Format::Json);
    assert!(json.contains(r#""state": "not_ended""#));
    assert!(json.contains(r#""status": "not_ended""#));
    let svg = report::render(&r, Format::Svg);
    assert!(svg.len() < 100 * 1024, "{} bytes", svg.len());
    assert!(svg.contains("not ended: journal stops at 15:20:30"));

    // Ten years later: the same review, to the byte.
    let ten = report::build(&agenda(), &entries, t("15:00") + TimeDelta::days(3653));
    assert_eq!(report::render(&ten, Format::Svg), svg);
}

#[test]
fn the_same_show_reported_an_hour_later_is_still_running() {
    // 16:20:30 is an hour after the last entry: the show may go on, so the
    // panel counts up to the report's instant, 15:13 → 16:20:30 = 4050 s.
    let r = report::build(&agenda(), &parse(NEVER_ENDED), t("16:20:30"));
    assert_eq!(r.event.status, ShowStatus::Running);
    assert!(!r.event.at_journal_end);
    assert_eq!(r.sessions[1].state, SessionState::Open);
    assert_eq!(r.sessions[1].actual_s, Some(4050));
}

#[test]
fn entries_after_the_instant_are_warned_about() {
    // At 15:10 the note (15:20:30), the panel's start (15:13) and the floor
    // (15:14) are in the future: three entries not counted.
    let r = report::build(&agenda(), &parse(NEVER_ENDED), t("15:10"));
    assert_eq!(r.event.entries_after, 3);
    assert_eq!(
        r.warnings,
        [
            "3 journal entries are stamped after this review's instant 15:10:00 (the latest at 15:20:30): \
          they are not counted; give --at 15:20:30 or later to count them"
        ]
    );
    let md = report::render(&r, Format::Md);
    assert!(
        md.contains("> **Warning:** 3 journal entries are stamped after"),
        "{md}"
    );
}

#[test]
fn json_instants_keep_whole_milliseconds_at_most() {
    let now = t("15:19:30") + TimeDelta::nanoseconds(123_456_789);
    let r = report::build(&agenda(), &parse(NEVER_ENDED), now);
    let json = report::render(&r, Format::Json);
    assert!(
        json.contains(r#""report_at": "2023-06-22T15:19:30.123+02:00""#),
        "{json}"
    );
}

/// Runs the binary in `dir`.
fn showcall(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_showcall"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_sped_up_rehearsals_review_counts_every_entry() {
    let dir = tempfile::tempdir().unwrap();
    let planned_start = write_sped_up_rehearsal(dir.path());
    plain_report_points_to_the_rehearsal(dir.path());
    rehearsal_json_counts_every_entry(dir.path(), &planned_start);
    rehearsal_md_csv_and_status_say_rehearsal(dir.path());
}

/// The reference agenda and, beside it, a rehearsal journal as
/// `--rehearse --speed 10` writes it, begun six real minutes ago. Returns
/// welcome's planned start, moved with the rehearsal, in RFC 3339.
fn write_sped_up_rehearsal(dir: &Path) -> String {
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/agenda.toml"),
        dir.join("agenda.toml"),
    )
    .unwrap();
    // As `--rehearse --speed 10` writes it: the show clock read W when the
    // real clock read W, six real minutes ago, and runs 10× since; the
    // agenda (15:00 CEST = 13:00 UTC) was moved to start at W. So the show
    // clock now reads W + 60 min (or a little more), and the real clock
    // only W + 6 min: every entry below but the first is in the real
    // clock's future.
    let w = (Utc::now() - TimeDelta::minutes(6)).trunc_subsecs(3);
    let shift = (w - t("15:00")).num_seconds();
    let w = t("15:00") + TimeDelta::seconds(shift);
    let at = |min: i64| {
        (w + TimeDelta::minutes(min))
            .with_timezone(&chrono_tz::Europe::Zurich)
            .fixed_offset()
            .to_rfc3339()
    };
    let wall = w.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let show = at(0);
    let lines = [
        format!(
            r#"{{"v":1,"seq":1,"at":"{}","kind":"open","agenda":"agenda.toml","sha256":"ab","version":"0.1.0","clock":"show","clock_wall":"{wall}","clock_show":"{show}","clock_speed":10,"shift_s":{shift}}}"#,
            at(0)
        ),
        format!(
            r#"{{"v":1,"seq":2,"at":"{}","kind":"start","session":"welcome"}}"#,
            at(1)
        ),
        format!(
            r#"{{"v":1,"seq":3,"at":"{}","kind":"start","session":"panel"}}"#,
            at(11)
        ),
        format!(
            r#"{{"v":1,"seq":4,"at":"{}","kind":"note","text":"mic 2 dead","session":"panel"}}"#,
            at(20)
        ),
        format!(
            r#"{{"v":1,"seq":5,"at":"{}","kind":"start","session":"qa"}}"#,
            at(41)
        ),
        format!(
            r#"{{"v":1,"seq":6,"at":"{}","kind":"floor","session":"qa","speaker":"Ana"}}"#,
            at(42)
        ),
        format!(
            r#"{{"v":1,"seq":7,"at":"{}","kind":"message","text":"WRAP UP"}}"#,
            at(44)
        ),
        format!(
            r#"{{"v":1,"seq":8,"at":"{}","kind":"start","session":"policy-brief"}}"#,
            at(50)
        ),
        format!(
            r#"{{"v":1,"seq":9,"at":"{}","kind":"start","session":"closing"}}"#,
            at(53)
        ),
        format!(
            r#"{{"v":1,"seq":10,"at":"{}","kind":"end","session":"closing"}}"#,
            at(58)
        ),
    ];
    std::fs::write(
        dir.join("agenda.rehearsal.journal.jsonl"),
        lines.join("\n") + "\n",
    )
    .unwrap();
    at(0)
}

/// Plain `report` finds no real journal and points to the rehearsal's.
fn plain_report_points_to_the_rehearsal(dir: &Path) {
    let out = showcall(dir, &["report"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("agenda.journal.jsonl: no journal yet: nothing to report; there is a rehearsal journal, ")
            && err.contains("showcall report --rehearse"),
        "{err}"
    );
}

/// `report --rehearse --format json`, by the rehearsal's own show clock,
/// counts every entry; `planned_start` is welcome's moved start.
fn rehearsal_json_counts_every_entry(dir: &Path, planned_start: &str) {
    let out = showcall(dir, &["report", "--rehearse", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["event"]["rehearsal"], true);
    assert_eq!(r["event"]["status"], "finished");
    assert_eq!(r["event"]["entries_after"], 0);
    // The plan moved with the shift: welcome planned at W.
    assert_eq!(r["sessions"][0]["planned_start"], planned_start);
    // Every session ran, in show time: welcome W+1 → W+11 = 600 s, panel
    // W+11 → W+41 = 1800 s, qa W+41 → W+50 = 540 s, policy-brief W+50 →
    // W+53 = 180 s, closing W+53 → W+58 = 300 s.
    let actual: Vec<i64> = (0..5)
        .map(|i| r["sessions"][i]["actual_s"].as_i64().unwrap())
        .collect();
    assert_eq!(actual, [600, 1800, 540, 180, 300]);
    // The note, the message and Ana's intervention are all there.
    assert_eq!(r["sessions"][1]["notes"][0]["text"], "mic 2 dead");
    let timeline: Vec<&str> = r["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["text"].as_str().unwrap())
        .collect();
    assert_eq!(timeline, ["mic 2 dead", "WRAP UP"]);
    assert_eq!(r["interventions"][0]["label"], "Ana");
    assert_eq!(r["event"]["last_entry"]["seq"], 10);
}

/// The Markdown and CSV reviews say rehearsal, and `check --status
/// --rehearse` stands at the same show clock.
fn rehearsal_md_csv_and_status_say_rehearsal(dir: &Path) {
    let out = showcall(dir, &["report", "--rehearse"]);
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Rehearsal timing review: "), "{md}");
    let out = showcall(dir, &["report", "--rehearse", "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",rehearsal"));
    assert!(csv.lines().skip(1).all(|l| l.ends_with(",true")), "{csv}");

    // `check --status --rehearse` stands at the same show clock: all five
    // sessions done (by the real clock, only welcome would have started).
    let out = showcall(dir, &["check", "--status", "--rehearse"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  done ")).count(),
        5,
        "{text}"
    );
}
