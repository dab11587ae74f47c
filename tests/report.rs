//! The timing review: golden files for every format, and the numbers checked
//! by hand.
//!
//! Each case is an agenda and a hand-written journal in
//! `tests/fixtures/report/`, reported at a fixed `now`; the output must equal
//! `tests/fixtures/report/<case>.{md,csv,json,svg}` byte for byte. After a
//! deliberate change to the report, regenerate the golden files with
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test --test report
//! ```
//!
//! and read the diff before committing it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use showcall::agenda::Agenda;
use showcall::journal::{self, Entry};
use showcall::report::{self, Format, Report, SessionState, ShowStatus, TimelineKind};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report")
}

/// The fixture agenda. Parsed from its bytes so that the name in the report
/// is `agenda.toml` wherever the tests run.
fn agenda() -> Agenda {
    let bytes = std::fs::read(fixtures().join("agenda.toml")).unwrap();
    Agenda::parse(&bytes, "agenda.toml").unwrap_or_else(|d| panic!("{d}"))
}

/// A fixture journal, read the way `showcall report` reads one.
fn entries(case: &str) -> Vec<Entry> {
    let replay = journal::read(&fixtures().join(format!("{case}.jsonl"))).unwrap();
    assert!(replay.problem.is_none(), "{case}: {:?}", replay.problem);
    replay.entries
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

fn report(case: &str, now: &str) -> Report {
    report::build(&agenda(), &entries(case), t(now))
}

/// Compares every format of `case` with its golden file (or rewrites them).
fn golden(case: &str, now: &str) {
    let r = report(case, now);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v != "0");
    let mut failed = Vec::new();
    for format in [Format::Md, Format::Csv, Format::Json, Format::Svg] {
        let got = report::render(&r, format);
        let path = fixtures().join(format!("{case}.{}", format.extension()));
        if update {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
                path.display()
            )
        });
        if got != want {
            eprintln!("--- {} differs; got:\n{got}", path.display());
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "golden files differ (UPDATE_GOLDEN=1 rewrites them): {failed:?}"
    );
}

#[test]
fn golden_finished_show() {
    golden("finished", "17:00");
}

#[test]
fn golden_crashed_show() {
    golden("crash", "15:19:30");
}

#[test]
fn golden_show_not_started() {
    golden("not_started", "14:50");
}

#[test]
fn numbers_of_a_finished_show() {
    let r = report("finished", "17:00");
    let [welcome, panel, qa, brief, closing] = &r.sessions[..] else {
        panic!("five sessions")
    };
    // Welcome: planned 15:00–15:10, ran 15:02:10–15:12:04 (the mistaken
    // start of 'qa' at 15:11:30 was undone, so it did not end welcome).
    assert_eq!(welcome.late_start_s, Some(130));
    assert_eq!(welcome.actual_s, Some(594));
    assert_eq!(welcome.over_s, Some(-6));
    // Panel: planned 15:10, started 15:12:04 → 2 min 4 s late.
    assert_eq!(panel.late_start_s, Some(124));
    // 15:12:04 → 15:48:10 is 36:06 against a planned 30:00 (+6:06 over
    // the plan) extended by 5:00 to 35:00 allotted (+1:06 over that).
    assert_eq!(panel.actual_s, Some(2166));
    assert_eq!(panel.over_plan_s, Some(366));
    assert_eq!(panel.over_s, Some(66));
    assert_eq!(panel.adjust_s, 300);
    assert_eq!(
        panel.overruns[0].reason,
        "long answers on the data question"
    );
    assert_eq!(
        panel.speaker_changes[0].text,
        "Moderator → Deputy moderator (flight delayed)"
    );
    assert_eq!(panel.speakers[0], "Deputy moderator");
    // The escape sequence never reaches the report.
    assert!(!panel.notes[0].text.contains('\x1b'));
    // Q&A: 15:48:10 → 16:20:30 is 32:20 against 35:00.
    assert_eq!(qa.late_start_s, Some(490));
    assert_eq!(qa.over_s, Some(-160));
    // Policy brief finished early: 2:40 of 5:00.
    assert_eq!(brief.actual_s, Some(160));
    assert_eq!(brief.over_s, Some(-140));
    assert_eq!(closing.state, SessionState::Done);
    assert_eq!(closing.late_start_s, Some(190));

    // The interventions: 15:49:00 → 15:52:25 (3:25, 25 s over a 3:00
    // slot), then an unnamed one 15:52:25 → 15:54:40.
    let iv = &r.interventions;
    assert_eq!(iv.len(), 2);
    assert_eq!((iv[0].spoken_s, iv[0].over_s), (205, Some(25)));
    assert_eq!(iv[1].label, "speaker 2");
    assert_eq!((iv[1].spoken_s, iv[1].over_s), (135, Some(-45)));

    let e = &r.event;
    assert_eq!(e.status, ShowStatus::Finished);
    assert_eq!(
        (e.zone_abbr.as_str(), e.utc_offset.as_str()),
        ("CEST", "UTC+02:00")
    );
    // Ended 16:33:00 against 16:30:00.
    assert_eq!(e.end_lateness_s, 180);
    assert_eq!(e.late_start_s, Some(130));
    assert_eq!(e.sessions_over, 1);

    assert_eq!(r.withdrawn, vec![4]);
    assert_eq!(r.unknown_sessions.len(), 1);
    assert_eq!(r.unknown_sessions[0].session.as_deref(), Some("keynote"));
    assert_eq!(r.unknown_kinds.len(), 1);
    assert_eq!(r.unknown_kinds[0].kind, "vote");
    assert_eq!(r.ignored.len(), 1, "end of 'qa' after the show");
    let kinds: Vec<TimelineKind> = r.timeline.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == TimelineKind::Message)
            .count(),
        2
    );
}

#[test]
fn a_crashed_show_reports_the_open_session_up_to_now() {
    let r = report("crash", "15:19:30");
    assert_eq!(r.event.status, ShowStatus::Running);
    assert_eq!(r.event.live.as_deref(), Some("qa"));
    let qa = &r.sessions[2];
    assert_eq!(qa.state, SessionState::Open);
    assert_eq!(qa.actual_end, None);
    // 15:12:00 → now (15:19:30).
    assert_eq!(qa.actual_s, Some(450));
    assert_eq!(r.sessions[1].state, SessionState::Skipped);
    assert_eq!(r.sessions[3].state, SessionState::NotStarted);
    // The welcome: 15:00:30 → 15:12:00, its allotment lengthened by 2 min.
    assert_eq!(r.sessions[0].actual_s, Some(690));
    assert_eq!(r.sessions[0].adjust_s, 120);
    // The speaker from the floor still has it: 15:17:40 → now.
    let last = r.interventions.last().unwrap();
    assert!(last.open);
    assert_eq!(last.spoken_s, 110);
    assert!(r.event.actual_end.is_none() && r.event.projected_end.is_some());

    let csv = report::render(&r, Format::Csv);
    // The date leads each row; the speaker change is written out; two
    // interventions: 15:15:00 → 15:17:40 (160 s) and 15:17:40 → now
    // 15:19:30 (110 s), 270 s in all; no hold, no action point, no hard end.
    let qa_row = csv.lines().find(|l| l.contains(",qa,")).unwrap();
    assert_eq!(
        qa_row,
        "2023-06-22,qa,Interventions from the floor and Q&A,15:40:00,16:15:00,15:12:00,,2100,450,-1680,-1650,-1650,0,,1,added Deputy moderator,0,0,,2,270,,Panel moved after Q&A: panellists not yet in the room,open,false,,,,,false"
    );
    let panel_row = csv.lines().find(|l| l.contains(",panel,")).unwrap();
    assert_eq!(
        panel_row,
        "2023-06-22,panel,Interactive Panel Discussion,15:10:00,15:40:00,,,1800,,,,,0,,0,,0,0,,0,0,,,skipped,false,,,,,false"
    );
}

#[test]
fn entries_after_now_are_not_yet_visible() {
    // At 15:30 the finished show's journal has the panel live.
    let r = report("finished", "15:30");
    assert_eq!(r.event.status, ShowStatus::Running);
    assert_eq!(r.sessions[1].state, SessionState::Open);
    assert_eq!(r.sessions[1].actual_s, Some(17 * 60 + 56));
    assert!(r.unknown_sessions.is_empty());
}

#[test]
fn csv_has_the_exact_header_and_guards_text() {
    let csv = report::render(&report("finished", "17:00"), Format::Csv);
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some(
            "date,session,title,planned_start,planned_end,actual_start,actual_end,planned_s,actual_s,late_start_s,over_s,over_plan_s,adjust_s,overrun_reasons,speaker_changes,speaker_change_list,holds,held_s,hold_reasons,interventions,interventions_s,action_points,notes,state,out_of_order,cut_reason,agenda_changes,hard_end,hard_end_past_s,rehearsal"
        )
    );
    assert!(
        csv.contains(
            ",124,66,366,300,long answers on the data question (+6:06),1,Moderator → Deputy moderator (flight delayed),"
        ),
        "panel: late 124 s, over 66 s allotted, 366 s plan, +300 s, the reason, 1 change written out"
    );
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""));
    assert!(!csv.contains('\x1b'));
}

#[test]
fn markdown_cannot_be_broken_by_a_note() {
    let md = report::render(&report("finished", "17:00"), Format::Md);
    assert!(!md.contains("<script>"));
    assert!(!md.contains('\x1b'));
    assert!(md.contains("Mic 3 \\| crackles \u{FFFD}\\[2J\\<script\\>"));
    assert!(md.contains("Moderator → Deputy moderator (flight delayed)"));
    assert!(md.contains("CEST (UTC+02:00)"));
    // Every session row has the header's number of cells.
    let header_cells = md
        .lines()
        .find(|l| l.starts_with("| Session |"))
        .unwrap()
        .matches(" | ")
        .count();
    for row in md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("(panel)"))
    {
        assert_eq!(row.matches(" | ").count(), header_cells, "{row}");
    }
}

#[test]
fn svg_is_escaped_and_readable() {
    let svg = report::render(&report("finished", "17:00"), Format::Svg);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("font-family=\"sans-serif\""));
    assert!(svg.contains("fill=\"#ffffff\""));
    assert!(
        !svg.contains("Policy Brief \"Mapping"),
        "quotes are escaped"
    );
    for size in svg.split("font-size=\"").skip(1) {
        let px: u32 = size.split('"').next().unwrap().parse().unwrap();
        assert!(px >= 11, "font-size {px}");
    }
    assert!(svg.contains("end 16:33:00"));
}

#[test]
fn json_times_carry_the_event_offset() {
    let json = report::render(&report("finished", "17:00"), Format::Json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["sessions"][1]["actual_start"],
        "2023-06-22T15:12:04+02:00"
    );
    assert_eq!(v["sessions"][1]["late_start_s"], 124);
    assert_eq!(v["sessions"][1]["state"], "done");
    assert_eq!(v["event"]["status"], "finished");
}

/// Durations agree with the times printed beside them: a start at
/// 15:00:00.900 and an end at 15:10:00.200 read 15:00:00 and 15:10:00, so
/// the session lasted 10:00 (600 s), not the 9:59 of the exact 599.3 s.
#[test]
fn durations_are_between_the_times_as_printed() {
    let a = agenda();
    let first = a.sessions[0].id.clone();
    let text = format!(
        "{{\"v\":1,\"seq\":1,\"at\":\"2023-06-22T14:55:00+02:00\",\"kind\":\"open\",\"agenda\":\"agenda.toml\",\"sha256\":\"x\",\"version\":\"t\"}}\n\
         {{\"v\":1,\"seq\":2,\"at\":\"2023-06-22T15:00:00.900+02:00\",\"kind\":\"start\",\"session\":\"{first}\"}}\n\
         {{\"v\":1,\"seq\":3,\"at\":\"2023-06-22T15:10:00.200+02:00\",\"kind\":\"end\",\"session\":\"{first}\"}}\n"
    );
    let entries: Vec<Entry> = text
        .lines()
        .map(|l| Entry::parse_line(l).unwrap())
        .collect();
    let r = report::build(&a, &entries, t("15:20"));
    assert_eq!(r.sessions[0].actual_s, Some(600));
}

/// A cut taken back (the closing cut at 15:05 "room needed", then started
/// at 15:06 after all) keeps its reason in the review: the markdown says
/// so beside its start, CSV and JSON keep the reason, JSON marks it
/// taken back.
#[test]
fn a_cut_taken_back_keeps_its_reason() {
    let a = agenda();
    let text = "{\"v\":1,\"seq\":1,\"at\":\"2023-06-22T14:55:00+02:00\",\"kind\":\"open\",\"agenda\":\"agenda.toml\",\"sha256\":\"x\",\"version\":\"t\"}\n\
         {\"v\":1,\"seq\":2,\"at\":\"2023-06-22T15:00:00+02:00\",\"kind\":\"start\",\"session\":\"welcome\"}\n\
         {\"v\":1,\"seq\":3,\"at\":\"2023-06-22T15:05:00+02:00\",\"kind\":\"skip\",\"session\":\"closing\",\"note\":\"room needed\"}\n\
         {\"v\":1,\"seq\":4,\"at\":\"2023-06-22T15:06:00+02:00\",\"kind\":\"start\",\"session\":\"closing\"}\n";
    let entries: Vec<Entry> = text
        .lines()
        .map(|l| Entry::parse_line(l).unwrap())
        .collect();
    let r = report::build(&a, &entries, t("15:20"));
    let closing = r.sessions.iter().find(|s| s.id == "closing").unwrap();
    let cut = closing.cut.as_ref().expect("the cut is kept");
    assert!(cut.taken_back);
    assert_eq!(cut.reason, "room needed");
    let md = report::render(&r, Format::Md);
    assert!(
        md.contains("(**cut** at 15:05:00: room needed; started after all)"),
        "{md}"
    );
    assert!(report::render(&r, Format::Csv).contains("room needed"));
    let json = report::render(&r, Format::Json);
    assert!(json.contains("\"taken_back\": true"), "{json}");
}
