//! The review of a show whose running order changed: a session started out
//! of order, the agenda file edited and reloaded mid-show (a session
//! retimed, one added, one retitled, one that had run removed), and a
//! session cut. The journal is written the way the operator screen writes
//! it (`decide`, `Show::replan`); every value is worked out by hand below.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use showcall::agenda::Agenda;
use showcall::journal::{Entry, Kind};
use showcall::report::{self, Format, Report, SessionState, ShowStatus};
use showcall::show::{Action, Show, decide};

/// The plan the show opens with: the reference event's running order.
const OPENING: &str = r#"
[event]
title = "GCM Talk"
date = "2023-06-22"
timezone = "Europe/Zurich"

[[session]]
id = "welcome"
title = "Welcome Remarks"
start = "15:00"

[[session]]
id = "panel"
title = "Interactive Panel Discussion"
start = "15:10"

[[session]]
id = "qa"
title = "Q&A"
start = "15:40"

[[session]]
id = "policy-brief"
title = "Policy Brief"
start = "16:15"

[[session]]
id = "closing"
title = "Closing Remarks"
start = "16:20"
end = "16:30"
"#;

/// Saved at 15:50: welcome (done) taken out, the Q&A to end at 16:10, the
/// closing retitled, a group photo added at the end.
const EDITED: &str = r#"
[event]
title = "GCM Talk"
date = "2023-06-22"
timezone = "Europe/Zurich"

[[session]]
id = "panel"
title = "Interactive Panel Discussion"
start = "15:10"
end = "15:40"

[[session]]
id = "qa"
title = "Q&A"
start = "15:40"
end = "16:10"

[[session]]
id = "policy-brief"
title = "Policy Brief"
start = "16:15"

[[session]]
id = "closing"
title = "Closing Remarks and Thanks"
start = "16:20"
end = "16:30"

[[session]]
id = "group-photo"
title = "Group photo"
start = "16:30"
end = "16:40"
"#;

/// `HH:MM[:SS]` on 2023-06-22 in Geneva (CEST, UTC+2).
fn t(hms: &str) -> DateTime<Utc> {
    let f = if hms.len() == 5 { "%H:%M" } else { "%H:%M:%S" };
    let time = NaiveTime::parse_from_str(hms, f).unwrap();
    chrono_tz::Europe::Zurich
        .from_local_datetime(&NaiveDate::from_ymd_opt(2023, 6, 22).unwrap().and_time(time))
        .unwrap()
        .with_timezone(&Utc)
}

fn local(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&FixedOffset::east_opt(2 * 3600).unwrap())
}

fn write(show: &mut Show, at: &str, kinds: Vec<Kind>) {
    let mut seq = show.entries().last().map_or(0, |e| e.seq);
    let new: Vec<Entry> = kinds
        .into_iter()
        .map(|kind| {
            seq += 1;
            Entry::new(seq, local(t(at)), kind)
        })
        .collect();
    show.extend(new);
}

fn act(show: &mut Show, at: &str, action: Action) {
    let kinds = decide(show, &action, t(at)).unwrap_or_else(|e| panic!("{action:?}: {e}"));
    write(show, at, kinds);
}

/// The show: its journal and the agenda file as it is at the end.
fn the_show() -> (Vec<Entry>, Agenda) {
    let opening = Agenda::parse(OPENING.as_bytes(), "agenda.toml").unwrap();
    let edited = Agenda::parse(EDITED.as_bytes(), "agenda.toml").unwrap();
    let mut show = Show::new(opening.clone(), vec![]);
    write(
        &mut show,
        "14:55",
        vec![Kind::Open {
            agenda: "agenda.toml".into(),
            sha256: opening.sha256.clone(),
            version: "test".into(),
            clock: None,
        }],
    );
    act(&mut show, "15:00:00", Action::Go); // #2 welcome
    act(&mut show, "15:10:30", Action::Go); // #3 panel
    act(&mut show, "15:40:00", Action::GoTo(3)); // #4 policy brief, before the Q&A
    act(&mut show, "15:45:00", Action::Go); // #5 the Q&A, jumped over, comes back
    let change = show.replan(edited.clone()); // saved at 15:50
    write(&mut show, "15:50:00", vec![Kind::Agenda(Box::new(change))]); // #6
    let closing = show.agenda.index_of("closing").unwrap();
    act(
        &mut show,
        "15:55:00",
        Action::Cut {
            idx: closing,
            note: "room needed by 16:25".into(),
        },
    ); // #7
    act(&mut show, "16:10:00", Action::Go); // #8 group photo
    act(&mut show, "16:20:00", Action::End); // #9
    (show.entries().to_vec(), edited)
}

#[test]
fn the_agenda_entry_says_what_changed_by_id() {
    let (entries, edited) = the_show();
    let Kind::Agenda(c) = &entries[5].kind else {
        panic!("#6 is the agenda entry: {:?}", entries[5])
    };
    assert_eq!(c.sha256, edited.sha256);
    assert_eq!(c.added, ["group-photo"]);
    assert_eq!(c.removed, ["welcome"]);
    assert_eq!(c.retimed, ["qa"]);
    assert_eq!(c.retitled, ["closing"]);
    // The plan before, for the qa, the closing and the welcome.
    let was: Vec<(&str, &str)> = c
        .was
        .iter()
        .map(|p| (p.session.as_str(), p.title.as_str()))
        .collect();
    assert_eq!(
        was,
        [
            ("qa", "Q&A"),
            ("closing", "Closing Remarks"),
            ("welcome", "Welcome Remarks")
        ]
    );
    assert_eq!(c.was[0].end, local(t("16:15")));
    assert_eq!(c.summary(), "1 retimed, 1 added, 1 removed, 1 retitled");
}

#[test]
fn the_review_has_the_opening_plan_the_changes_the_cut_and_the_jump() {
    let (entries, edited) = the_show();
    let r = report::build(&edited, &entries, t("17:00"));
    event_ends_by_the_plan_in_force(&r);
    sessions_keep_their_place(&r);
    removed_and_retimed_sessions(&r);
    out_of_order_cut_and_added_sessions(&r);
    the_change_is_listed(&r);
    markdown_and_csv_say_so(&r);
}

/// The event: finished, planned as opened, ended 20 minutes early.
fn event_ends_by_the_plan_in_force(r: &Report) {
    assert_eq!(r.event.status, ShowStatus::Finished);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // The sessions' planned times are the plan as the show opened
    // (15:00–16:30); the event's planned end is the one the screens show,
    // the plan in force at the end: the group photo added 16:30–16:40 ends
    // it at 16:40, with the opening 16:30 kept beside it. It ended with the
    // group photo at 16:20: 16:20 − 16:40 = 20:00 early, as the screen's
    // "20:00 AHEAD · planned end 16:40".
    assert_eq!(r.event.planned_start, local(t("15:00")));
    assert_eq!(r.event.planned_end, local(t("16:40")));
    assert_eq!(r.event.opening_planned_end, Some(local(t("16:30"))));
    assert_eq!(r.event.actual_end, Some(local(t("16:20"))));
    assert_eq!(r.event.end_lateness_s, -1200);
}

/// Every session, the dropped welcome kept in its place.
fn sessions_keep_their_place(r: &Report) {
    let ids: Vec<&str> = r.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "welcome",
            "panel",
            "qa",
            "policy-brief",
            "closing",
            "group-photo"
        ],
        "the welcome the file dropped is kept, in its place"
    );
}

/// The welcome removed after it ran; the Q&A retimed and jumped over.
fn removed_and_retimed_sessions(r: &Report) {
    let s = |id: &str| r.sessions.iter().find(|s| s.id == id).unwrap();

    // Welcome: removed from the file after it ran; 15:00:00–15:10:30 is
    // 630 s against its planned 600.
    let welcome = s("welcome");
    assert!(welcome.removed_from_agenda);
    assert_eq!(welcome.state, SessionState::Done);
    assert_eq!(welcome.planned_s, 600);
    assert_eq!(welcome.actual_s, Some(630));
    assert_eq!(
        welcome.plan_changes,
        ["removed from the agenda at 15:50:00"]
    );

    // Q&A: planned 15:40–16:15 (2100 s) as the show opened, though the
    // file now says 16:10. Jumped over, it started at 15:45:00 (+300 s)
    // and ran to 16:10:00: 1500 s, 600 under the opening plan, and 300
    // under its allotment in force (30 min).
    let qa = s("qa");
    assert_eq!(qa.planned_start, local(t("15:40")));
    assert_eq!(qa.planned_end, local(t("16:15")));
    assert_eq!(qa.planned_s, 2100);
    assert_eq!(qa.actual_s, Some(1500));
    assert_eq!(qa.late_start_s, Some(300));
    assert_eq!(qa.over_plan_s, Some(-600));
    assert_eq!(qa.over_s, Some(-300));
    assert_eq!(
        qa.plan_changes,
        ["retimed 15:40–16:15 → 15:40–16:10 at 15:50:00"]
    );
    assert!(qa.started_before.is_empty());
}

/// The policy brief out of order, the closing cut, the group photo added.
fn out_of_order_cut_and_added_sessions(r: &Report) {
    let s = |id: &str| r.sessions.iter().find(|s| s.id == id).unwrap();

    // Policy brief: planned 16:15, started at 15:40:00 before the Q&A
    // listed ahead of it: 2100 s early, out of order.
    let pb = s("policy-brief");
    assert_eq!(pb.late_start_s, Some(-2100));
    assert_eq!(pb.actual_s, Some(300));
    assert_eq!(pb.started_before, ["qa"]);

    // Closing: cut at 15:55 with its reason; its title is the new one,
    // its plan the opening one.
    let closing = s("closing");
    assert_eq!(closing.state, SessionState::Cut);
    assert_eq!(closing.title, "Closing Remarks and Thanks");
    assert_eq!(closing.cut.as_ref().unwrap().reason, "room needed by 16:25");
    assert_eq!(closing.planned_start, local(t("16:20")));
    assert_eq!(
        closing.plan_changes,
        ["retitled 'Closing Remarks' → 'Closing Remarks and Thanks' at 15:50:00"]
    );

    // Group photo: not in the opening plan; planned as added, 16:30–16:40,
    // it ran 16:10–16:20: 1200 s early.
    let photo = s("group-photo");
    assert_eq!(photo.planned_start, local(t("16:30")));
    assert_eq!(photo.late_start_s, Some(-1200));
    assert_eq!(photo.plan_changes, ["added at 15:50:00"]);
}

/// The agenda change, listed with its time and what it did.
fn the_change_is_listed(r: &Report) {
    // The change itself, listed with its time and what it did.
    assert_eq!(r.agenda_changes.len(), 1);
    let c = &r.agenda_changes[0];
    assert_eq!((c.seq, c.at), (6, local(t("15:50"))));
    assert_eq!(c.summary, "1 retimed, 1 added, 1 removed, 1 retitled");
    assert_eq!(
        c.details,
        [
            "group-photo added 16:30–16:40 'Group photo'",
            "qa retimed 15:40–16:15 → 15:40–16:10",
            "closing retitled 'Closing Remarks' → 'Closing Remarks and Thanks'",
            "welcome removed (was 15:00–15:10)",
        ]
    );
}

/// The Markdown and CSV reviews say all of it.
fn markdown_and_csv_say_so(r: &Report) {
    let md = report::render(r, Format::Md);
    assert!(md.contains("## Agenda changes"), "{md}");
    assert!(
        md.contains("| 6 | 15:50:00 | 1 retimed, 1 added, 1 removed, 1 retitled |"),
        "{md}"
    );
    assert!(md.contains("**removed from the agenda**"), "{md}");
    assert!(
        md.contains("**cut** at 15:55:00: room needed by 16:25"),
        "{md}"
    );
    assert!(md.contains("(**out of order**, before 'qa')"), "{md}");
    let csv = report::render(r, Format::Csv);
    let qa_row = csv.lines().find(|l| l.contains(",qa,")).unwrap();
    assert_eq!(
        qa_row,
        "2023-06-22,qa,Q&A,15:40:00,16:15:00,15:45:00,16:10:00,2100,1500,300,-300,-600,0,,0,,0,0,,0,0,,,done,false,,retimed 15:40–16:15 → 15:40–16:10 at 15:50:00,,,false"
    );
}

#[test]
fn a_file_edited_after_the_last_reload_is_warned_about() {
    let (entries, edited) = the_show();
    let later = EDITED.replace("Group photo", "Family photo");
    let file = Agenda::parse(later.as_bytes(), "agenda.toml").unwrap();
    assert_ne!(file.sha256, edited.sha256);
    let r = report::build(&file, &entries, t("17:00"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("not the agenda the journal last recorded")),
        "{:?}",
        r.warnings
    );
}
