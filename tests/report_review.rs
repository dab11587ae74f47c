//! The organisers' review: one rehearsal journal with everything an
//! organiser asks about afterwards, reported in every format.
//!
//! `tests/fixtures/report/review/`: five sessions (welcome 15:00–15:10,
//! panel 15:10–15:40, qa 15:40–16:10 with 3-minute interventions, brief
//! 16:10–16:20, closing 16:20–16:30), a hard end at 16:35 (CEST, UTC+2),
//! and a journal with a late start, a speaker replaced, a hold, an action
//! point, an overrun with a reason, an out-of-order start, two floor
//! interventions, a second action point, a cut and a missed hard end.
//! Golden files as in tests/report.rs: `UPDATE_GOLDEN=1 cargo test --test
//! report_review` rewrites them; read the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use showcall::agenda::Agenda;
use showcall::journal;
use showcall::report::{self, Format, Report, SessionState, ShowStatus};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report/review")
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

fn review() -> Report {
    let bytes = std::fs::read(dir().join("agenda.toml")).unwrap();
    let agenda = Agenda::parse(&bytes, "agenda.toml").unwrap_or_else(|d| panic!("{d}"));
    let replay = journal::read(&dir().join("review.jsonl")).unwrap();
    assert!(replay.problem.is_none(), "{:?}", replay.problem);
    report::build(&agenda, &replay.entries, t("17:00"))
}

fn extension(f: Format) -> &'static str {
    match f {
        Format::InterventionsCsv => "interventions.csv",
        Format::ActionsCsv => "actions.csv",
        f => f.extension(),
    }
}

#[test]
fn golden_review_in_every_format() {
    let r = review();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v != "0");
    let mut failed = Vec::new();
    let mut outputs: Vec<(PathBuf, String)> = Format::ALL
        .iter()
        .map(|&f| {
            (
                dir().join(format!("review.{}", extension(f))),
                report::render(&r, f),
            )
        })
        .collect();
    outputs.push((dir().join("review.actions.txt"), report::actions_text(&r)));
    for (path, got) in outputs {
        if update {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; UPDATE_GOLDEN=1 creates it", path.display()));
        if got != want {
            eprintln!("--- {} differs; got:\n{got}", path.display());
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "golden files differ: {failed:?}");
}

#[test]
fn did_we_end_on_time_and_why() {
    let r = review();
    let e = &r.event;
    // The journal ends with qa ended at 16:38:00 and nothing left to run
    // (brief is cut): finished, and the review ends there.
    assert_eq!(e.status, ShowStatus::Finished);
    assert_eq!(e.actual_end.unwrap().with_timezone(&Utc), t("16:38"));
    // Planned end 16:30:00 (closing's end); 16:38:00 − 16:30:00 = +8:00.
    assert_eq!(e.planned_end.with_timezone(&Utc), t("16:30"));
    assert_eq!(e.end_lateness_s, 480);
    // Late start: welcome at 15:02:00 against 15:00:00 = +120 s.
    assert_eq!(e.late_start_s, Some(120));
    // Hard end 16:35 on the 22nd; the day's last session ended 16:38:00:
    // missed by 180 s.
    assert_eq!(e.hard_ends.len(), 1);
    let h = &e.hard_ends[0];
    assert!(!h.met && !h.projected);
    assert_eq!(h.past_s, 180);
    assert_eq!(h.must_end_by.with_timezone(&Utc), t("16:35"));
    // One hold, 15:20:00 → 15:25:00 = 300 s, in panel (live then).
    assert_eq!(r.holds.len(), 1);
    assert_eq!(r.holds[0].held_s, 300);
    assert_eq!(r.holds[0].session.as_deref(), Some("panel"));
    assert_eq!(r.holds[0].reason.as_deref(), Some("fire alarm <test>"));
    assert_eq!(e.held_s, 300);
    // panel ran 15:12:00 → 15:50:00 = 2280 s; held 300 s counts apart, so
    // over its 1800 s allotment by 2280 − 300 − 1800 = 180 s.
    let panel = &r.sessions[1];
    assert_eq!(panel.actual_s, Some(2280));
    assert_eq!(panel.held_s, 300);
    assert_eq!(panel.over_s, Some(180));
    assert_eq!(
        panel.overruns[0].reason,
        "long answers on the data question"
    );
    // qa ran 16:00:00 → 16:38:00 = 2280 s, no hold: 2280 − 1800 = 480 s
    // over; it started 16:00:00 against 15:40:00, +1200 s late.
    let qa = &r.sessions[2];
    assert_eq!((qa.over_s, qa.late_start_s), (Some(480), Some(1200)));
    // Total overrun: 180 + 480 = 660 s in 2 sessions (welcome ran exactly
    // 15:02:00 → 15:12:00 = 600 s, closing 15:50:00 → 16:00:00 = 600 s).
    assert_eq!((e.total_over_s, e.sessions_over), (660, 2));
    // brief was cut with its reason; closing started at 15:50:00, before
    // qa (16:00:00), which the agenda lists ahead of it.
    assert_eq!(r.sessions[3].state, SessionState::Cut);
    assert_eq!(r.sessions[3].cut.as_ref().unwrap().reason, "out of time");
    assert_eq!(r.sessions[4].started_before, vec!["qa".to_owned()]);
}

#[test]
fn who_spoke_how_long_and_what_was_decided() {
    let r = review();
    // panel's Moderator was replaced by the Deputy moderator.
    let panel = &r.sessions[1];
    assert_eq!(
        panel.speaker_changes[0].text,
        "Moderator → Deputy moderator (flight delayed)"
    );
    assert_eq!(panel.speakers, vec!["Deputy moderator", "Panellist"]);
    // Two interventions in qa: 16:01:00 → 16:04:30 = 210 s (30 s over the
    // 180 s slot), 16:04:30 → 16:06:30 = 120 s (60 s within); 330 s in all.
    let ivs: Vec<_> = r
        .interventions
        .iter()
        .map(|iv| (iv.label.as_str(), iv.spoken_s, iv.over_s))
        .collect();
    assert_eq!(
        ivs,
        vec![
            ("Delegate of Mexico", 210, Some(30)),
            ("speaker 2", 120, Some(-60))
        ]
    );
    assert_eq!(r.sessions[2].interventions_s, 330);
    // Two action points: one naming panel, one naming no session and so
    // placed in qa, live at 16:10:00.
    let acts: Vec<_> = r
        .actions
        .iter()
        .map(|a| {
            (
                a.text.as_str(),
                a.who.as_deref(),
                a.by.as_deref(),
                a.session.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        acts,
        vec![
            (
                "Send the slides to all delegations",
                Some("Secretariat"),
                Some("Friday"),
                Some("panel")
            ),
            (
                "=Circulate the draft outcome",
                Some("Chair"),
                None,
                Some("qa")
            ),
        ]
    );
    assert_eq!(r.sessions[1].actions.len(), 1);
    assert_eq!(r.sessions[2].actions.len(), 1);
}

#[test]
fn messages_belong_to_the_session_live_when_sent() {
    let r = review();
    // 15:05:00 during welcome (15:02–15:12), 16:30:00 during qa.
    let sessions: Vec<_> = r.timeline.iter().map(|t| t.session.as_deref()).collect();
    assert_eq!(sessions, vec![Some("welcome"), Some("qa")]);
}

#[test]
fn every_format_names_the_hard_end_and_the_holds() {
    let r = review();
    let md = report::render(&r, Format::Md);
    assert!(md.contains("must end by 16:35:00: **missed** by 3:00 (ended 16:38:00)"));
    assert!(md.contains("- **Held:** 5:00 in 1 hold"));
    let html = report::render(&r, Format::Html);
    assert!(html.contains("missed by 3:00"));
    // Text from the files is escaped; the page fetches nothing.
    assert!(html.contains("fire alarm &lt;test&gt;"));
    assert!(!html.contains("<test>"));
    for banned in ["https://", "<script", "<link", "<img", "@import", "url("] {
        assert!(!html.contains(banned), "the page has {banned}");
    }
    // The only address is the SVG's namespace, which is never fetched.
    assert_eq!(
        html.matches("http://").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    // The summary comes before the sessions.
    assert!(html.find("<h2>Summary</h2>") < html.find("<h2>Sessions</h2>"));
    let json = report::render(&r, Format::Json);
    assert!(json.contains("\"past_s\": 180"));
    let csv = report::render(&r, Format::Csv);
    // Every row carries its day's hard end and how far past it the day ended.
    assert_eq!(csv.matches(",16:35:00,180,false\r\n").count(), 5);
    let svg = report::render(&r, Format::Svg);
    assert!(svg.contains("hard end 16:35:00 missed by 3:00"));
    assert!(svg.contains("past its allotment") && svg.contains(">held<"));
}

#[test]
fn report_actions_prints_the_action_points_alone() {
    let out = Command::new(env!("CARGO_BIN_EXE_showcall"))
        .arg("report")
        .arg(dir().join("agenda.toml"))
        .arg("--journal")
        .arg(dir().join("review.jsonl"))
        .args(["--at", "17:00", "--actions"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "Action points: GCM Talk <rehearsal> & review (2023-06-22)\n\n\
         - Send the slides to all delegations — Secretariat, by Friday (Interactive Panel Discussion, 15:30:00)\n\
         - =Circulate the draft outcome — Chair (Interventions from the floor and Q&A, 16:10:00)\n"
    );
}

/// One set of figures: the planned end, the lateness at the end and each
/// session's duration, read at one instant from the engine's snapshot (what
/// the operator screen and `check --status` show) and from the review, are
/// the same numbers. The stamps carry fractions of a second, which is where
/// the two used to part (31:24 on the screen, 31:25 in the review).
#[test]
fn the_screens_and_the_review_show_the_same_figures() {
    use showcall::journal::{Entry, Kind};
    use showcall::show::{Show, span_s};
    let bytes = std::fs::read(dir().join("agenda.toml")).unwrap();
    let agenda = Agenda::parse(&bytes, "agenda.toml").unwrap();
    let at = |hms: &str, ms: i64| {
        (t(hms) + chrono::TimeDelta::milliseconds(ms))
            .with_timezone(&chrono_tz::Europe::Zurich)
            .fixed_offset()
    };
    let start = |seq, id: &str, hms, ms| Entry {
        v: 1,
        source: None,
        seq,
        at: at(hms, ms),
        kind: Kind::Start {
            session: id.to_owned(),
        },
    };
    let mut entries = vec![
        start(1, "welcome", "15:00:00", 900),
        // welcome: 15:00:00.900 → 15:31:25.100 is 31:24.2 exactly, but the
        // two times read 15:00:00 and 15:31:25: it took 31:25 (1885 s).
        start(2, "panel", "15:31:25", 100),
        // panel: 15:31:25.100 → 15:51:28.050: 20:03 (1203 s), as printed.
        start(3, "qa", "15:51:28", 50),
        start(4, "brief", "16:00:00", 0),
        start(5, "closing", "16:01:00", 0),
    ];
    entries.push(Entry {
        v: 1,
        source: None,
        seq: 6,
        at: at("16:04:41", 700),
        kind: Kind::End {
            session: "closing".to_owned(),
        },
    });
    let now = t("16:10");
    let show = Show::new(agenda.clone(), entries.clone());
    let snap = show.at(now);
    let r = report::build(&agenda, &entries, now);
    // The durations the schedule shows are span_s of its rows.
    let screen: Vec<i64> = snap.rows.iter().map(|w| span_s(w.start, w.end)).collect();
    let review: Vec<i64> = r.sessions.iter().map(|s| s.actual_s.unwrap()).collect();
    assert_eq!(screen, review);
    assert_eq!(&review[..2], &[1885, 1203]);
    // Planned end: 16:30 on both; lateness at the end: 16:04:41.7 against
    // 16:30:00 is 25:18.3 early, rounded down (as every count-up) to
    // 25:19 early, on the screen's headline and in the review alike.
    assert_eq!(snap.planned_end, t("16:30"));
    assert_eq!(r.event.planned_end.with_timezone(&Utc), snap.planned_end);
    assert_eq!(snap.headline.late_s, -1519);
    assert_eq!(r.event.end_lateness_s, -1519);
    let status = showcall::status::status_text(&agenda, &snap);
    assert!(status.contains("25:19 AHEAD"), "{status}");
    assert!(status.contains("(planned 16:30)"), "{status}");
    // Mid-show, at 15:40 with panel live: the projected end and the planned
    // end the review gives are the ones `check --status` prints.
    let mid = t("15:40");
    let mid_entries: Vec<Entry> = entries[..2].to_vec();
    let mid_snap = Show::new(agenda.clone(), mid_entries.clone()).at(mid);
    let mid_r = report::build(&agenda, &mid_entries, mid);
    let projected = mid_r.event.projected_end.unwrap().with_timezone(&Utc);
    assert_eq!(projected, mid_snap.projected_end);
    let mid_status = showcall::status::status_text(&agenda, &mid_snap);
    let hm = |at: DateTime<Utc>| showcall::text::clock_hm(at, agenda.event.tz);
    assert!(
        mid_status.contains(&format!(
            "projected end {} (planned {})",
            hm(projected),
            hm(mid_r.event.planned_end.with_timezone(&Utc))
        )),
        "{mid_status}"
    );
    let md = report::render(&r, Format::Md);
    assert!(md.contains("-25:19 early"), "{md}");
    assert!(
        md.contains("- **End:** planned 16:30:00, actual 16:04:41"),
        "{md}"
    );
}

/// The `a` key's path: `decide` turns an action point into one `action`
/// entry naming the live session, and the new kinds keep their shapes
/// through a write and a read (docs/journal.md).
#[test]
fn an_action_point_is_journaled_for_the_live_session_and_reads_back() {
    use showcall::journal::{Entry, Kind};
    use showcall::show::{Action, Show, decide};
    let bytes = std::fs::read(dir().join("agenda.toml")).unwrap();
    let agenda = Agenda::parse(&bytes, "agenda.toml").unwrap();
    let replay = journal::read(&dir().join("review.jsonl")).unwrap();
    // At 15:30 panel is live (started 15:12:00, the hold resumed 15:25:00).
    let mut entries = replay.entries;
    entries.truncate(7);
    let show = Show::new(agenda, entries);
    let kinds = decide(
        &show,
        &Action::ActionPoint {
            text: "Send the slides".into(),
            who: Some("Secretariat".into()),
            by: None,
        },
        t("15:30"),
    )
    .unwrap();
    assert_eq!(
        kinds,
        vec![Kind::Action {
            text: "Send the slides".into(),
            who: Some("Secretariat".into()),
            by: None,
            session: Some("panel".into()),
        }]
    );
    let at = chrono::DateTime::parse_from_rfc3339("2023-06-22T15:30:00+02:00").unwrap();
    let lines = [
        (
            kinds[0].clone(),
            r#"{"v":1,"seq":8,"at":"2023-06-22T15:30:00+02:00","kind":"action","text":"Send the slides","who":"Secretariat","session":"panel"}"#,
        ),
        (
            Kind::Hold {
                session: None,
                reason: Some("fire alarm".into()),
            },
            r#"{"v":1,"seq":8,"at":"2023-06-22T15:30:00+02:00","kind":"hold","reason":"fire alarm"}"#,
        ),
        (
            Kind::Resume {
                session: Some("panel".into()),
            },
            r#"{"v":1,"seq":8,"at":"2023-06-22T15:30:00+02:00","kind":"resume","session":"panel"}"#,
        ),
        (
            Kind::StartFix {
                session: "panel".into(),
                start: chrono::DateTime::parse_from_rfc3339("2023-06-22T15:11:00+02:00").unwrap(),
                note: None,
            },
            r#"{"v":1,"seq":8,"at":"2023-06-22T15:30:00+02:00","kind":"start_fix","session":"panel","start":"2023-06-22T15:11:00+02:00"}"#,
        ),
    ];
    for (kind, line) in lines {
        let e = Entry {
            v: 1,
            source: None,
            seq: 8,
            at,
            kind,
        };
        assert_eq!(e.to_line(), line);
        assert_eq!(Entry::parse_line(line).unwrap(), e);
    }
    // An action without its text is a located error, not a panic.
    let bad = r#"{"v":1,"seq":8,"at":"2023-06-22T15:30:00+02:00","kind":"action","who":"Ana"}"#;
    let err = Entry::parse_line(bad).unwrap_err();
    assert_eq!(err.message, "missing field 'text' for kind 'action'");
}

/// A 14-day event across the October clock change (Europe/Zurich goes from
/// CEST, UTC+2, to CET, UTC+1, on Sunday 29 October 2023 at 03:00): every
/// time names its day and carries its own offset, so the two Saturdays
/// (21 and 28 October) and the two sides of the change cannot be confused.
#[test]
fn a_multi_day_review_names_the_date_and_each_offset() {
    let toml = r#"
[event]
title = "Fourteen days"
date = "2023-10-21"
timezone = "Europe/Zurich"

[[session]]
id = "opening"
title = "Opening"
start = "09:00"
end = "10:00"

[[session]]
id = "week2"
title = "Second Saturday"
date = "2023-10-28"
start = "09:00"
end = "10:00"

[[session]]
id = "closing"
title = "Closing"
date = "2023-11-03"
start = "09:00"
end = "10:00"
"#;
    let agenda = Agenda::parse(toml.as_bytes(), "agenda.toml").unwrap_or_else(|d| panic!("{d}"));
    let line = |seq: u64, at: &str, kind: &str, session: &str| {
        journal::Entry::parse_line(&format!(
            r#"{{"v":1,"seq":{seq},"at":"{at}","kind":"{kind}","session":"{session}"}}"#
        ))
        .unwrap()
    };
    let entries = vec![
        line(1, "2023-10-21T09:00:00+02:00", "start", "opening"),
        line(2, "2023-10-21T10:00:00+02:00", "end", "opening"),
        line(3, "2023-10-28T09:05:00+02:00", "start", "week2"),
        line(4, "2023-10-28T10:00:00+02:00", "end", "week2"),
        // After the change: CET, UTC+1.
        line(5, "2023-11-03T09:00:00+01:00", "start", "closing"),
        line(6, "2023-11-03T10:00:00+01:00", "end", "closing"),
    ];
    let now = chrono::DateTime::parse_from_rfc3339("2023-11-03T12:00:00+01:00")
        .unwrap()
        .with_timezone(&Utc);
    let r = report::build(&agenda, &entries, now);
    assert!(r.event.multi_day);
    let md = report::render(&r, Format::Md);
    // The second Saturday's start, before the change, at UTC+2 …
    assert!(md.contains("Sat 28 Oct 09:05:00 (UTC+02:00)"), "{md}");
    // … and the last day's, after it, at UTC+1.
    assert!(md.contains("Fri 03 Nov 09:00:00 (UTC+01:00)"), "{md}");
    assert!(
        md.contains("- **End:** planned Fri 03 Nov 10:00:00 (UTC+01:00)"),
        "{md}"
    );
    let html = report::render(&r, Format::Html);
    assert!(html.contains("Sat 21 Oct 09:00:00 (UTC+02:00)"));
    // CSV rows carry their own date.
    let csv = report::render(&r, Format::Csv);
    assert!(csv.contains("\r\n2023-10-28,week2,"), "{csv}");
    // The operator header's "end" on another day names the date, not only
    // the weekday: two Saturdays.
    assert_eq!(
        showcall::text::clock_hm_on(
            chrono::DateTime::parse_from_rfc3339("2023-10-28T17:50:00+02:00")
                .unwrap()
                .with_timezone(&Utc),
            chrono::DateTime::parse_from_rfc3339("2023-10-21T12:00:00+02:00")
                .unwrap()
                .with_timezone(&Utc),
            chrono_tz::Europe::Zurich
        ),
        "Sat 28 Oct 17:50"
    );
}

/// The fixture's agenda (the reference event's).
fn reference_agenda() -> Agenda {
    let bytes = std::fs::read(dir().join("agenda.toml")).unwrap();
    Agenda::parse(&bytes, "agenda.toml").unwrap()
}

/// `HH:MM[:SS]` on the event's day, in Geneva, as entries are stamped.
fn at(hms: &str) -> chrono::DateTime<chrono::FixedOffset> {
    t(hms)
        .with_timezone(&chrono_tz::Europe::Zurich)
        .fixed_offset()
}

/// Entries from HTTP and OSC (their `source`) are listed in the review with
/// where each came from, in Markdown, HTML and JSON; a keyboard entry (no
/// source, or `"key"`) is not, and a journal with none has no such section.
#[test]
fn the_review_says_which_entries_came_from_outside_the_keyboard() {
    use showcall::journal::{Entry, Kind, Source};
    let agenda = reference_agenda();
    let entry = |seq, hms, kind, source| {
        let mut e = Entry::new(seq, at(hms), kind);
        e.source = source;
        e
    };
    let start = |id: &str| Kind::Start {
        session: id.to_owned(),
    };
    let entries = vec![
        entry(1, "15:00:00", start("welcome"), Some(Source::Http)),
        entry(
            2,
            "15:05:00",
            Kind::Message {
                text: "WRAP <b>UP</b>".into(),
            },
            Some(Source::Osc),
        ),
        entry(3, "15:10:00", start("panel"), None),
        entry(
            4,
            "15:11:00",
            Kind::Note {
                text: "k".into(),
                session: None,
            },
            Some(Source::Key),
        ),
    ];
    let r = report::build(&agenda, &entries, t("15:30"));
    let listed: Vec<(u64, &str)> = r
        .remote
        .iter()
        .map(|e| (e.seq, e.source.as_str()))
        .collect();
    assert_eq!(listed, [(1, "http"), (2, "osc")]);
    let md = report::render(&r, Format::Md);
    assert!(md.contains("## From outside the keyboard"), "{md}");
    assert!(
        md.contains("| 15:00:00 | 1 | HTTP | start · Welcome Remarks |"),
        "{md}"
    );
    // Markdown's own characters are escaped with a backslash.
    assert!(
        md.contains(r"| 2 | OSC | message · WRAP \<b\>UP\</b\> |"),
        "{md}"
    );
    let html = report::render(&r, Format::Html);
    assert!(
        html.contains("<h2>From outside the keyboard</h2>"),
        "{html}"
    );
    assert!(
        html.contains("WRAP &lt;b&gt;UP&lt;/b&gt;"),
        "escaped: {html}"
    );
    assert!(!html.contains("<b>UP</b>"));
    let json: serde_json::Value = serde_json::from_str(&report::render(&r, Format::Json)).unwrap();
    assert_eq!(json["remote"][1]["source"], "osc");
    // Everything typed at the keys: no section, and no field in the JSON.
    let keys: Vec<Entry> = entries
        .into_iter()
        .map(|mut e| {
            e.source = None;
            e
        })
        .collect();
    let r = report::build(&agenda, &keys, t("15:30"));
    assert!(!report::render(&r, Format::Md).contains("From outside"));
    let json: serde_json::Value = serde_json::from_str(&report::render(&r, Format::Json)).unwrap();
    assert!(json.get("remote").is_none());
}

/// A cue out that failed (`cue_failed`) is listed in the review with its
/// name, event, session title, target and why, in Markdown, HTML and JSON,
/// its text escaped for each; a journal without one has no such section.
#[test]
fn the_review_lists_the_cues_that_failed() {
    use showcall::journal::{Entry, Kind};
    let agenda = reference_agenda();
    let start = Kind::Start {
        session: "panel".into(),
    };
    let failed = Kind::CueFailed {
        cue: "lights <red>".into(),
        on: "over".into(),
        session: Some("panel".into()),
        target: "10.0.0.9:8000 /eos/cue/1/5/fire".into(),
        error: "connection refused".into(),
    };
    let entries = vec![
        Entry::new(1, at("15:10:00"), start),
        Entry::new(2, at("15:40:00"), failed),
    ];
    let r = report::build(&agenda, &entries, t("15:45"));
    assert_eq!(r.cue_failures.len(), 1);
    assert_eq!(
        r.cue_failures[0].session.as_deref(),
        Some("Interactive Panel Discussion")
    );
    let md = report::render(&r, Format::Md);
    assert!(md.contains("## Cues that failed"), "{md}");
    // Markdown's own characters escaped with a backslash; the session by
    // its title (agenda.toml: `panel` is "Interactive Panel Discussion").
    assert!(
        md.contains(
            r"| 15:40:00 | 2 | lights \<red\> | over | Interactive Panel Discussion | 10.0.0.9:8000 /eos/cue/1/5/fire | connection refused |"
        ),
        "{md}"
    );
    let html = report::render(&r, Format::Html);
    assert!(html.contains("<h2>Cues that failed</h2>"), "{html}");
    assert!(html.contains("lights &lt;red&gt;"), "{html}");
    assert!(!html.contains("<red>"));
    let json: serde_json::Value = serde_json::from_str(&report::render(&r, Format::Json)).unwrap();
    assert_eq!(json["cue_failures"][0]["error"], "connection refused");
    // Without one: no section, no field.
    let r = report::build(&agenda, &entries[..1], t("15:45"));
    assert!(!report::render(&r, Format::Md).contains("Cues that failed"));
    let json: serde_json::Value = serde_json::from_str(&report::render(&r, Format::Json)).unwrap();
    assert!(json.get("cue_failures").is_none());
}
