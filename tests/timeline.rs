//! The one timeline, on the situations that made the numbers on screen
//! disagree, with the right values worked out by hand; then property tests
//! over random agendas, journals and instants.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use showcall::agenda::Agenda;
use showcall::journal::{Entry, Kind};
use showcall::show::{Action, Basis, Countdown, Now, PlanStep, RowState, Show, decide, floor_secs};
use showcall::status::{cue_text, lateness_text, spare_text, status_text};

/// An agenda on 2023-06-22 in Geneva from `[[session]]` TOML.
fn agenda(sessions: &str) -> Agenda {
    let text = format!(
        "[event]\ntitle = \"Test\"\ndate = \"2023-06-22\"\ntimezone = \"Europe/Zurich\"\n\n{sessions}"
    );
    Agenda::parse(text.as_bytes(), "t.toml").unwrap_or_else(|d| panic!("{d}"))
}

/// 2023-06-22 `HH:MM[:SS[.mmm]]` in Geneva (CEST, UTC+2).
fn t(hms: &str) -> DateTime<Utc> {
    let time = NaiveTime::parse_from_str(hms, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(hms, "%H:%M"))
        .unwrap();
    chrono_tz::Europe::Zurich
        .from_local_datetime(&NaiveDate::from_ymd_opt(2023, 6, 22).unwrap().and_time(time))
        .unwrap()
        .with_timezone(&Utc)
}

fn local(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&FixedOffset::east_opt(2 * 3600).unwrap())
}

/// Carries out actions through `decide`, as the operator screen does.
fn act(show: &mut Show, now: DateTime<Utc>, action: Action) {
    let kinds = decide(show, &action, now).unwrap_or_else(|e| panic!("{action:?}: {e}"));
    let mut seq = show.entries().last().map_or(0, |e| e.seq);
    let new: Vec<Entry> = kinds
        .into_iter()
        .map(|kind| {
            seq += 1;
            Entry {
                v: 1,
                source: None,
                seq,
                at: local(now),
                kind,
            }
        })
        .collect();
    show.extend(new);
}

fn run(a: Agenda, script: &[(&str, Action)]) -> Show {
    let mut show = Show::new(a, vec![]);
    for (at, action) in script {
        act(&mut show, t(at), action.clone());
    }
    show
}

const THREE_TALKS: &str = r#"
[[session]]
id = "a"
title = "A"
start = "10:00"
end = "10:10"

[[session]]
id = "b"
title = "B"
start = "10:10"
end = "10:40"
intervention = "3m"

[[session]]
id = "c"
title = "C"
start = "10:40"
end = "11:00"
"#;

/// The message on the speaker screen at `at`.
fn message(show: &Show, at: &str) -> Option<String> {
    show.at(t(at)).message.map(|(text, _)| text)
}

/// A message is for the speaker on stage when it is sent: the next start
/// (or the next floor intervention) takes it down, so the next speaker
/// never reads the last one's WRAP UP. One sent between sessions is for
/// the next speaker and stays through their slot.
#[test]
fn a_message_is_for_the_speaker_it_was_sent_to() {
    let show = run(
        agenda(THREE_TALKS),
        &[
            ("10:00", Action::Go),
            ("10:08", Action::Message("WRAP UP".into())),
            ("10:10", Action::Go),
        ],
    );
    assert_eq!(message(&show, "10:09").as_deref(), Some("WRAP UP"));
    assert_eq!(message(&show, "10:10:30"), None);

    // Between sessions: for the next speaker, through their slot.
    let show = run(
        agenda(THREE_TALKS),
        &[
            ("10:00", Action::Go),
            ("10:09", Action::End),
            (
                "10:09:30",
                Action::Message("Mic 2 is dead, use the handheld".into()),
            ),
            ("10:10", Action::Go),
            ("10:40", Action::Go),
        ],
    );
    let handheld = Some("Mic 2 is dead, use the handheld");
    assert_eq!(message(&show, "10:09:45").as_deref(), handheld);
    assert_eq!(message(&show, "10:20").as_deref(), handheld);
    assert_eq!(message(&show, "10:41"), None);

    // A floor intervention is a new speaker too.
    let show = run(
        agenda(THREE_TALKS),
        &[
            ("10:00", Action::Go),
            ("10:10", Action::Go),
            ("10:20", Action::Floor(Some("Delegate of Mexico".into()))),
            ("10:22", Action::Message("1 MIN".into())),
            ("10:23", Action::Floor(None)),
        ],
    );
    assert_eq!(message(&show, "10:22:30").as_deref(), Some("1 MIN"));
    assert_eq!(message(&show, "10:23:10"), None);
}

/// `-` stops at 0:00: A is allotted 10:00, so ten `-` bring it to 0:00
/// and the eleventh is refused (before, it was journalled but not shown,
/// and the `+` after it seemed to do nothing). A `+` then shows 1:00.
#[test]
fn shortening_stops_at_nothing() {
    let mut show = run(agenda(THREE_TALKS), &[("10:00", Action::Go)]);
    for _ in 0..10 {
        act(&mut show, t("10:01"), Action::Extend(-60));
    }
    assert_eq!(show.at(t("10:01")).rows[0].allot, TimeDelta::zero());
    let refused = decide(&show, &Action::Extend(-60), t("10:01")).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "only 0:00 allotted: it cannot be shortened below 0:00 (e ends it)"
    );
    act(&mut show, t("10:01"), Action::Extend(60));
    assert_eq!(show.at(t("10:01")).rows[0].allot, TimeDelta::minutes(1));
}

/// A live session projected past a fixed start says so: Morning
/// (12:30–13:00) started at 12:48 runs its 30:00 to 13:18; Second is
/// squeezed to nothing, and still Morning runs 8:00 (13:18 − 13:10) into
/// the fixed 13:10 start. Nothing said so before.
#[test]
fn running_into_a_fixed_start_is_said() {
    let a = agenda(
        r#"
[[session]]
id = "a"
title = "Morning"
start = "12:30"
end = "13:00"

[[session]]
id = "b"
title = "Second"
start = "13:00"
end = "13:10"

[[session]]
id = "c"
title = "Fixed end"
start = "13:10"
end = "13:25"
fixed = true
min_duration = "5m"
"#,
    );
    let show = run(a, &[("12:48", Action::Go)]);
    let s = show.at(t("12:49"));
    assert_eq!(s.clashes.len(), 1);
    let c = &s.clashes[0];
    assert_eq!((c.runs, c.fixed), (0, 2));
    assert_eq!(c.by, TimeDelta::minutes(8));
    let text = status_text(&show.agenda, &s);
    assert!(
        text.contains("▲ 'Morning' runs 8:00 into 'Fixed end' (fixed 13:10)"),
        "{text}"
    );
    // Ended at 13:05, it no longer runs into it.
    let show = run(
        show.agenda.clone(),
        &[("12:48", Action::Go), ("13:05", Action::End)],
    );
    assert!(show.at(t("13:06")).clashes.is_empty());
}

/// An overrun is more than nothing and no more than the session has run:
/// A started at 10:00, so at 10:12 it has run 12:00 (720 s).
#[test]
fn an_overrun_is_between_nothing_and_what_ran() {
    let show = run(agenda(THREE_TALKS), &[("10:00", Action::Go)]);
    let over = |s: i64| Action::Overrun {
        over_s: s,
        note: "why".into(),
    };
    let said = |s: i64| {
        decide(&show, &over(s), t("10:12"))
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    assert_eq!(said(0), Err("an overrun is more than 0:00".into()));
    assert_eq!(
        said(721),
        Err("more than the session has run (12:00)".into())
    );
    assert_eq!(said(720), Ok(()));
    assert_eq!(said(120), Ok(()));
}

const TALK_THEN_FIXED: &str = r#"
[[session]]
id = "talk"
title = "Talk"
start = "10:00"
end = "10:30"

[[session]]
id = "keynote"
title = "Keynote"
start = "10:30"
end = "11:00"
fixed = true
"#;

#[test]
fn a_fixed_session_past_its_start_is_overdue_and_projected_at_now() {
    let show = run(agenda(TALK_THEN_FIXED), &[("10:00", Action::Go)]);
    // At 10:35 the talk (10:00–10:30) is 5 minutes over; the fixed keynote
    // planned at 10:30 cannot start before now: 10:35, overdue 5:00, and
    // it runs its 30 minutes to 11:05.
    let s = show.at(t("10:35"));
    let row = s.row(1);
    assert_eq!(row.start, t("10:35"));
    assert_eq!(row.end, t("11:05"));
    assert_eq!(row.overdue, Some(TimeDelta::minutes(5)));
    assert_eq!(row.delta_s(), 300);
    assert_eq!(s.projected_end, t("11:05"));
    // The headline is the keynote's Δ: +5:00, and it says so in words.
    assert_eq!(s.headline.basis, Basis::Cue(1));
    assert_eq!(s.headline.late_s, 300);
    assert_eq!(lateness_text(&s.headline), "+5:00 BEHIND");
    assert_eq!(cue_text(s.next.as_ref().unwrap()), "due 5:00 ago");
    let text = status_text(&show.agenda, &s);
    assert!(text.contains("due 5:00 ago"), "{text}");
    assert!(
        text.contains("+5:00 BEHIND · projected end 11:05"),
        "{text}"
    );
    // Started at 10:35, the keynote ends at 11:05: the same numbers.
    let mut show = show;
    act(&mut show, t("10:35"), Action::Go);
    let s = show.at(t("10:36"));
    assert_eq!(s.projected_end, t("11:05"));
}

#[test]
fn a_fixed_session_ahead_squeezes_the_item_before_it() {
    // The talk is extended by 5 minutes at 10:20: it would end at 10:35,
    // but the keynote keeps 10:30, so the talk is squeezed by 5:00 and the
    // show is on time.
    let show = run(
        agenda(TALK_THEN_FIXED),
        &[("10:00", Action::Go), ("10:20", Action::Extend(300))],
    );
    let s = show.at(t("10:25"));
    assert_eq!(s.row(1).start, t("10:30"));
    assert_eq!(s.row(1).overdue, None);
    assert_eq!(s.row(0).squeeze, TimeDelta::minutes(5));
    assert_eq!(s.row(0).end, t("10:30"));
    assert_eq!(s.headline.late_s, 0);
    assert_eq!(s.projected_end, t("11:00"));
}

const GAP: &str = r#"
[[session]]
id = "e1"
title = "Event 1"
start = "12:00"
end = "12:10"

[[session]]
id = "e2"
title = "Event 2"
start = "12:15"
end = "12:45"
"#;

#[test]
fn a_gap_absorbs_an_overrun() {
    let show = run(
        agenda(GAP),
        &[("12:00", Action::Go), ("12:13", Action::End)],
    );
    // Event 1 ended 3 minutes late, but Event 2 is planned at 12:15 and
    // starts then: nobody is late. 12:14:00 → 12:15:00 is 1:00.
    let s = show.at(t("12:14"));
    assert_eq!(s.headline.late_s, 0);
    assert_eq!(lateness_text(&s.headline), "ON TIME");
    assert_eq!(cue_text(s.next.as_ref().unwrap()), "starts in 1:00");
    assert_eq!(s.projected_end, t("12:45"));
}

const PAIR: &str = r#"
[[session]]
id = "s1"
title = "Session 1"
start = "09:00"
end = "09:20"

[[session]]
id = "s2"
title = "Session 2"
start = "09:20"
end = "09:30"
"#;

#[test]
fn shortening_is_spare_time_not_ahead() {
    let mut show = run(agenda(PAIR), &[("09:00", Action::Go)]);
    for _ in 0..5 {
        act(&mut show, t("09:05"), Action::Extend(-60));
    }
    // Session 1 now ends at 09:15, Session 2 still starts at 09:20: the
    // show is on time with 5:00 spare, and ends at 09:30 as planned.
    let s = show.at(t("09:05"));
    assert_eq!(s.headline.late_s, 0);
    assert_eq!(lateness_text(&s.headline), "ON TIME");
    assert_eq!(
        spare_text(&s.headline, &show.agenda).as_deref(),
        Some("5:00 spare before Session 2")
    );
    assert_eq!(s.projected_end, t("09:30"));
    // 09:05 → 09:15 is 10:00 left; Session 2 starts in 15:00 (09:20).
    assert_eq!(Countdown::of(s.live().unwrap().remaining).text(), "10:00");
    assert_eq!(cue_text(s.next.as_ref().unwrap()), "starts in 15:00");
    assert_eq!(s.row(1).delta_s(), 0);
}

#[test]
fn starting_early_is_spare_time_not_ahead() {
    // Session 1 started 24 minutes early (08:36): it ends at 08:56, and
    // Session 2 waits for 09:20: 24:00 spare, on time.
    let show = run(agenda(PAIR), &[("08:36", Action::Go)]);
    let s = show.at(t("08:40"));
    assert_eq!(s.headline.late_s, 0);
    assert_eq!(s.headline.spare, Some((24 * 60, 1)));
    assert_eq!(s.projected_end, t("09:30"));
}

#[test]
fn spare_and_starts_in_agree_while_an_early_session_runs_over() {
    // Session 1 started early at 08:36 with 20:00: it was due to end at
    // 08:56, and at 09:05:30.400 it runs over, so its projected end is now.
    // Session 2 waits for 09:20: 09:05:30.400 → 09:20:00 is 14:29.6, a
    // countdown to an instant, so both the spare and "starts in" read
    // 14:30 (the spare read 14:29 before, a second off the NEXT panel).
    let show = run(agenda(PAIR), &[("08:36", Action::Go)]);
    let s = show.at(t("09:05:30.400"));
    assert_eq!(s.headline.late_s, 0);
    assert_eq!(cue_text(s.next.as_ref().unwrap()), "starts in 14:30");
    assert_eq!(
        spare_text(&s.headline, &show.agenda).as_deref(),
        Some("14:30 spare before Session 2")
    );
}

#[test]
fn shortening_the_last_session_is_ahead_and_the_end_agrees() {
    let mut show = run(
        agenda(PAIR),
        &[("09:00", Action::Go), ("09:20", Action::Go)],
    );
    for _ in 0..5 {
        act(&mut show, t("09:21"), Action::Extend(-60));
    }
    // No cue left: the live session's projected end 09:25 against 09:30.
    let s = show.at(t("09:22"));
    assert_eq!(s.headline.basis, Basis::LiveEnd(1));
    assert_eq!(s.headline.late_s, -300);
    assert_eq!(lateness_text(&s.headline), "5:00 AHEAD");
    assert_eq!(s.projected_end, t("09:25"));
}

const BACK_TO_BACK: &str = r#"
[[session]]
id = "a"
title = "A"
start = "10:00"
end = "10:10"

[[session]]
id = "b"
title = "B"
start = "10:10"
end = "10:40"
"#;

#[test]
fn two_countdowns_to_one_instant_read_the_same() {
    let show = run(agenda(BACK_TO_BACK), &[("10:00", Action::Go)]);
    // A ends at 10:10:00, B starts then. At 10:04:00 both read 6:00.
    let s = show.at(t("10:04"));
    let live = Countdown::of(s.live().unwrap().remaining);
    assert_eq!(live.text(), "6:00");
    assert_eq!(s.next.as_ref().unwrap().starts_in.text(), "6:00");
    let text = status_text(&show.agenda, &s);
    assert!(text.contains("6:00 left"), "{text}");
    assert!(text.contains("starts in 6:00"), "{text}");
    // Half a second before: still 0:01 on both, never 0:00 early.
    let s = show.at(t("10:09:59.500"));
    assert_eq!(Countdown::of(s.live().unwrap().remaining).text(), "0:01");
    assert_eq!(cue_text(s.next.as_ref().unwrap()), "starts in 0:01");

    // Started at 10:00:00.486, both run to 10:10:00.486: at 10:04:00
    // that is 360.486 s, read as 6:01 by both.
    let show = run(agenda(BACK_TO_BACK), &[("10:00:00.486", Action::Go)]);
    let s = show.at(t("10:04"));
    assert_eq!(Countdown::of(s.live().unwrap().remaining).text(), "6:01");
    assert_eq!(s.next.as_ref().unwrap().starts_in.text(), "6:01");
}

#[test]
fn no_frozen_zeros_once_the_cue_is_due() {
    // A is 2 minutes over at 10:12 and B (planned 10:10) waits for GO.
    let show = run(agenda(BACK_TO_BACK), &[("10:00", Action::Go)]);
    let s = show.at(t("10:12"));
    assert_eq!(cue_text(s.next.as_ref().unwrap()), "due 2:00 ago");
    // Between sessions: A ended 10:09, at 10:11 B is 1:00 overdue.
    let show = run(
        agenda(BACK_TO_BACK),
        &[("10:00", Action::Go), ("10:09", Action::End)],
    );
    let s = show.at(t("10:11"));
    assert!(matches!(s.now, Now::Idle { last: Some((0, _)) }));
    assert_eq!(s.next.as_ref().unwrap().overdue_s, Some(60));
    assert_eq!(cue_text(s.next.as_ref().unwrap()), "due 1:00 ago");
    assert_eq!(s.headline.late_s, 60);
}

#[test]
fn before_the_show_no_row_is_live() {
    let show = run(agenda(BACK_TO_BACK), &[]);
    // At 10:03 the plan has A on, but nothing was started: NOW says
    // NOT STARTED, and A's row is due, not live.
    let s = show.at(t("10:03"));
    assert!(matches!(s.now, Now::Planned { idx: 0, .. }));
    assert_eq!(s.row(0).state, RowState::Due);
    assert!(s.rows.iter().all(|r| r.state != RowState::Live));
    assert_eq!(s.headline.late_s, 180);
}

#[test]
fn over_is_over_the_allotted_time() {
    // A (10 min) is extended by 2 min and ended after 13 min: over its
    // allotment by 1:00 (over the plan by 3:00).
    let show = run(
        agenda(BACK_TO_BACK),
        &[
            ("10:00", Action::Go),
            ("10:05", Action::Extend(120)),
            ("10:13", Action::End),
        ],
    );
    let s = show.at(t("10:13:30"));
    assert_eq!(showcall::show::current_overrun_s(&s), 60);
    let r = showcall::report::build(&show.agenda, show.entries(), t("10:13:30"));
    assert_eq!(r.sessions[0].over_s, Some(60));
    assert_eq!(r.sessions[0].over_plan_s, Some(180));
}

#[test]
fn out_of_order_starts_project_what_remains_after_the_live_one() {
    let a = agenda(
        r#"
[[session]]
id = "a"
title = "A"
start = "10:00"
end = "10:10"

[[session]]
id = "b"
title = "B"
start = "10:10"
end = "10:40"

[[session]]
id = "c"
title = "C"
start = "10:40"
end = "10:50"
"#,
    );
    let mut show = run(a, &[("10:00", Action::Go), ("10:10", Action::End)]);
    // C is started first at 10:10; B was jumped over and comes back after
    // C: C 10:10–10:20, then B 10:20–10:50, the next cue.
    let c = showcall::journal::Kind::Start {
        session: "c".into(),
    };
    show.extend([Entry {
        v: 1,
        source: None,
        seq: 3,
        at: local(t("10:10")),
        kind: c,
    }]);
    let s = show.at(t("10:11"));
    assert_eq!(s.next.as_ref().unwrap().idx, 1);
    assert_eq!(s.row(1).start, t("10:20"));
    assert_eq!(s.row(1).end, t("10:50"));
    assert_eq!(s.projected_end, t("10:50"));
    // B's projected start 10:20 against its plan 10:10: +10:00.
    assert_eq!(s.headline.late_s, 600);
    // GO after C starts B.
    assert_eq!(s.go_target(), Some(1));
}

#[test]
fn the_plan_to_meet_the_hard_end_shrinks_then_cuts() {
    let a = Agenda::parse(
        br#"
[event]
title = "T"
date = "2023-06-22"
timezone = "Europe/Zurich"
must_end_by = "11:30"

[[session]]
id = "a"
title = "A"
start = "10:00"
end = "10:30"

[[session]]
id = "b"
title = "B"
start = "10:30"
end = "11:00"
min_duration = "25m"

[[session]]
id = "c"
title = "C"
start = "11:00"
end = "11:10"

[[session]]
id = "d"
title = "D"
start = "11:10"
end = "11:30"
"#,
        "t.toml",
    )
    .unwrap();
    let mut show = run(a, &[("10:00", Action::Go), ("10:10", Action::Extend(900))]);
    // A runs 45 min to 10:45; B 10:45–11:15, C 11:15–11:25, D 11:25–11:45:
    // 15:00 past 11:30.
    let s = show.at(t("10:20"));
    let o = s.overshoot.as_ref().expect("overshoot");
    assert_eq!(o.over, TimeDelta::minutes(15));
    // Shrinking B to 25 min: B 10:45–11:10, C 11:10–11:20, D 11:20–11:40,
    // saves 5:00. Still 10:00 over: cutting C (10 min) puts D at
    // 11:10–11:30, on the hard end; cutting D (20 min) would too, but C
    // loses less. Without B's shrink D would end 11:35: B's is kept.
    assert_eq!(
        o.plan,
        vec![
            PlanStep::Shrink {
                idx: 1,
                to: TimeDelta::minutes(25),
                by: TimeDelta::minutes(5),
                saves: TimeDelta::minutes(5)
            },
            PlanStep::Cut {
                idx: 2,
                saves: TimeDelta::minutes(10)
            }
        ]
    );
    assert_eq!(o.plan_end, t("11:30"));
    let kinds = decide(&show, &Action::ApplyPlan, t("10:20")).unwrap();
    assert_eq!(
        kinds,
        vec![
            Kind::Adjust {
                session: "b".into(),
                delta_s: -300,
                note: Some("to end by 11:30".into())
            },
            Kind::Skip {
                session: "c".into(),
                note: "to end by 11:30".into()
            }
        ]
    );
    act(&mut show, t("10:20"), Action::ApplyPlan);
    let s = show.at(t("10:20"));
    assert_eq!(s.overshoot, None);
    assert_eq!(s.projected_end, t("11:30"));
    assert_eq!(s.row(2).state, RowState::Cut);
    assert_eq!(
        decide(&show, &Action::ApplyPlan, t("10:20")),
        Err(showcall::show::Refused::NoOvershoot)
    );
}

#[test]
fn a_shrink_absorbed_by_a_gap_is_left_out_of_the_plan() {
    let a = Agenda::parse(
        br#"
[event]
title = "T"
date = "2023-06-22"
timezone = "Europe/Zurich"
must_end_by = "11:30"

[[session]]
id = "a"
title = "A"
start = "10:00"
end = "10:30"
min_duration = "20m"

[[session]]
id = "b"
title = "B"
start = "10:30"
end = "11:00"
min_duration = "20m"

[[session]]
id = "c"
title = "C"
start = "11:00"
end = "11:20"

[[session]]
id = "d"
title = "D"
start = "11:20"
end = "11:30"
"#,
        "t.toml",
    )
    .unwrap();
    let show = run(a, &[("10:00", Action::Go), ("10:20", Action::Extend(1200))]);
    // A has 50 min, to 10:50; B 10:50–11:20, C 11:20–11:40, D 11:40–11:50:
    // 20:00 over. B's shrink alone saves 10:00 (to 11:40); A's then ends
    // it at 10:21 (now), B waits for 10:30, and D ends 11:30 with or
    // without B's shrink, so only A's is kept: it saves the whole 20:00.
    // And it gives up only what is needed (issue 19): 20:00 of its 50:00,
    // to 30:00, so A ends 10:30 and D at 11:30 exactly, not 10:00 more.
    let s = show.at(t("10:21"));
    let o = s.overshoot.as_ref().expect("overshoot");
    assert_eq!(o.over, TimeDelta::minutes(20));
    assert_eq!(
        o.plan,
        vec![PlanStep::Shrink {
            idx: 0,
            to: TimeDelta::minutes(30),
            by: TimeDelta::minutes(20),
            saves: TimeDelta::minutes(20)
        }]
    );
    assert_eq!(o.plan_end, t("11:30"));
}

const TWO_DAYS: &str = r#"
[event]
title = "T"
date = "2023-06-22"
timezone = "Europe/Zurich"
must_end_by = "12:00"

[[session]]
id = "a"
title = "A"
start = "10:00"
end = "11:00"

[[session]]
id = "b"
title = "B"
start = "11:00"
end = "12:00"
min_duration = "45m"

[[session]]
id = "c"
title = "C"
date = "2023-06-23"
start = "10:00"
end = "12:00"
"#;

#[test]
fn each_day_is_held_to_its_own_hard_end() {
    let a = Agenda::parse(TWO_DAYS.as_bytes(), "t.toml").unwrap();
    // One time, every day: 12:00 on the 22nd and on the 23rd.
    assert_eq!(a.event.must_end_by.len(), 2);
    assert_eq!(a.event.must_end_by[1].at, t("12:00") + TimeDelta::days(1));
    let show = run(a, &[("10:00", Action::Go), ("10:30", Action::Extend(900))]);
    // A runs to 11:15, B 11:15–12:15: day one ends 15:00 past its 12:00.
    // Day two's C keeps 10:00–12:00 on the 23rd, the show's projected end,
    // which is not compared with the 22nd's hard end.
    let s = show.at(t("10:40"));
    assert_eq!(s.projected_end, t("12:00") + TimeDelta::days(1));
    let o = s.overshoot.as_ref().expect("day one overshoots");
    assert_eq!(o.by, t("12:00"));
    assert_eq!(o.over, TimeDelta::minutes(15));
    // B down to 45 min ends day one at 12:00: the whole 15:00.
    assert_eq!(
        o.plan,
        vec![PlanStep::Shrink {
            idx: 1,
            to: TimeDelta::minutes(45),
            by: TimeDelta::minutes(15),
            saves: TimeDelta::minutes(15)
        }]
    );
    // Once day one is over, day two is measured on its own: on time.
    let mut show = show;
    act(&mut show, t("11:15"), Action::Go);
    act(&mut show, t("12:15"), Action::End);
    assert_eq!(show.at(t("12:20")).overshoot, None);
}

// ---- properties over random agendas, journals and instants ----

/// A random agenda: 1–6 sessions from 10:00, with gaps, fixed starts,
/// min_duration and a hard end; sometimes over two days (the second half
/// on the 23rd, from 10:00 again), with a hard end per day.
fn any_agenda() -> impl Strategy<Value = Agenda> {
    (
        prop::collection::vec((0u32..3, 1u32..6, any::<bool>(), any::<bool>()), 1..7),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(specs, hard, two_days)| {
            let split = if two_days && specs.len() > 1 {
                specs.len() / 2
            } else {
                specs.len()
            };
            let mut at = 10 * 60;
            let mut toml = String::new();
            let mut ends = Vec::new();
            for (i, (gap, len, fixed, min)) in specs.iter().enumerate() {
                if i == split {
                    ends.push(at);
                    at = 10 * 60;
                }
                at += gap * 5;
                let dur = len * 5;
                toml.push_str(&format!(
                    "[[session]]\nid = \"s{i}\"\ntitle = \"S{i}\"\nstart = \"{:02}:{:02}\"\nduration = \"{dur}m\"\n",
                    at / 60,
                    at % 60
                ));
                if i == split {
                    toml.push_str("date = \"2023-06-23\"\n");
                }
                if *fixed {
                    toml.push_str("fixed = true\n");
                }
                if *min {
                    toml.push_str(&format!("min_duration = \"{}m\"\n", dur.div_ceil(2)));
                }
                at += dur;
            }
            ends.push(at);
            let hm = |m: &u32| format!("\"{:02}:{:02}\"", m / 60, m % 60);
            let hard = match (hard, ends.as_slice()) {
                (false, _) => String::new(),
                (true, [one]) => format!("must_end_by = {}\n", hm(one)),
                (true, days) => format!(
                    "must_end_by = {{ \"2023-06-22\" = {}, \"2023-06-23\" = {} }}\n",
                    hm(&days[0]),
                    hm(&days[1])
                ),
            };
            let text = format!(
                "[event]\ntitle = \"P\"\ndate = \"2023-06-22\"\ntimezone = \"Europe/Zurich\"\n{hard}\n{toml}"
            );
            Agenda::parse(text.as_bytes(), "p.toml").unwrap_or_else(|d| panic!("{d}\n{text}"))
        })
}

#[derive(Debug, Clone)]
enum Step {
    Go,
    StartAny(usize),
    End,
    Adjust(i64),
    Undo,
    /// `g`: start session i out of order, through `decide`.
    GoTo(usize),
    /// `x`: cut session i, through `decide`.
    Cut(usize),
    /// The agenda file is saved with a change and reloaded, as the
    /// operator screen does (the change journaled as an `agenda` entry).
    Reload(Edit),
}

/// An edit of the agenda file between two reloads. The changed agenda
/// stays in order, so it is one the file could hold.
#[derive(Debug, Clone)]
enum Edit {
    /// Session i ends 5 minutes earlier (if it is longer than that).
    Shorten(usize),
    Retitle(usize),
    Remove(usize),
    /// A 10-minute session 5 minutes after the last one ends.
    AddAtEnd,
}

impl Edit {
    fn apply(&self, file: &Agenda, n: usize) -> Agenda {
        let mut a = file.clone();
        a.sha256 = format!("edit {n}");
        let len = a.sessions.len();
        match *self {
            Edit::Shorten(i) if i < len => {
                let s = &mut a.sessions[i];
                if s.end - s.start > TimeDelta::minutes(5) {
                    s.end -= TimeDelta::minutes(5);
                }
            }
            Edit::Retitle(i) if i < len => a.sessions[i].title.push_str(" (new title)"),
            Edit::Remove(i) if i < len && len > 1 => {
                a.sessions.remove(i);
            }
            Edit::AddAtEnd => {
                let mut s = a.sessions[len - 1].clone();
                s.id = format!("added{n}");
                s.title = format!("Added {n}");
                s.start = s.end + TimeDelta::minutes(5);
                s.end = s.start + TimeDelta::minutes(10);
                s.fixed = false;
                a.sessions.push(s);
            }
            _ => {}
        }
        a
    }
}

fn any_step() -> impl Strategy<Value = (Step, i64)> {
    (
        prop_oneof![
            3 => Just(Step::Go),
            1 => (0usize..6).prop_map(Step::StartAny),
            2 => Just(Step::End),
            1 => (-3i64..4).prop_map(|m| Step::Adjust(m * 60)),
            2 => Just(Step::Undo),
            1 => (0usize..6).prop_map(Step::GoTo),
            2 => (0usize..6).prop_map(Step::Cut),
            2 => prop_oneof![
                (0usize..6).prop_map(Edit::Shorten),
                (0usize..6).prop_map(Edit::Retitle),
                (0usize..6).prop_map(Edit::Remove),
                Just(Edit::AddAtEnd),
            ]
            .prop_map(Step::Reload),
        ],
        0i64..900,
    )
}

/// Plays `steps` (each after a pause of 0–15 min) from 09:50; returns the
/// show and the instant after the last step.
fn play(a: Agenda, steps: &[(Step, i64)]) -> (Show, DateTime<Utc>) {
    play_file(a, steps).0
}

/// [`play`], also returning the agenda file as the last reload left it.
fn play_file(a: Agenda, steps: &[(Step, i64)]) -> ((Show, DateTime<Utc>), Agenda) {
    let mut file = a.clone();
    let mut show = Show::new(a, vec![]);
    let mut now = t("09:50");
    for (n, (step, pause)) in steps.iter().enumerate() {
        now += TimeDelta::seconds(*pause);
        let kinds = match step {
            Step::Reload(edit) => {
                file = edit.apply(&file, n);
                Some(vec![Kind::Agenda(Box::new(show.replan(file.clone())))])
            }
            Step::Go => decide(&show, &Action::Go, now).ok(),
            Step::End => decide(&show, &Action::End, now).ok(),
            Step::Adjust(d) => decide(&show, &Action::Extend(*d), now).ok(),
            Step::Undo => decide(&show, &Action::Undo, now).ok(),
            Step::GoTo(i) => decide(&show, &Action::GoTo(*i), now).ok(),
            Step::Cut(i) => decide(
                &show,
                &Action::Cut {
                    idx: *i,
                    note: "over time".into(),
                },
                now,
            )
            .ok(),
            Step::StartAny(i) => show.agenda.sessions.get(*i).map(|s| {
                vec![showcall::journal::Kind::Start {
                    session: s.id.clone(),
                }]
            }),
        };
        let mut seq = show.entries().last().map_or(0, |e| e.seq);
        let new: Vec<Entry> = kinds
            .unwrap_or_default()
            .into_iter()
            .map(|kind| {
                seq += 1;
                Entry {
                    v: 1,
                    source: None,
                    seq,
                    at: local(now),
                    kind,
                }
            })
            .collect();
        show.extend(new);
    }
    ((show, now), file)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_timeline_keeps_its_rules(
        a in any_agenda(),
        steps in prop::collection::vec(any_step(), 0..12),
        probe in 0i64..5400,
    ) {
        let ((show, last), file) = play_file(a, &steps);
        let now = last + TimeDelta::seconds(probe % 1800) + TimeDelta::milliseconds(probe % 997);
        let s = show.at(now);
        let agenda = &show.agenda;
        // Whatever the reloads removed, every session the journal started
        // is still in the show (marked removed if the file lost it), and a
        // restart on the file as it is now rebuilds the same timeline.
        let fold = show.fold();
        prop_assert!(fold.unknown_sessions.is_empty(), "{:?}", fold.unknown_sessions);
        for (i, sess) in agenda.sessions.iter().enumerate() {
            if sess.removed {
                prop_assert!(file.index_of(&sess.id).is_none());
                prop_assert!(
                    fold.sessions[i].actual_start.is_some()
                        || matches!(s.rows[i].state, RowState::Missed | RowState::Cut)
                );
            }
        }
        let again = Show::new(file.clone(), show.entries().to_vec()).at(now);
        prop_assert_eq!(&again.rows, &s.rows);
        prop_assert_eq!(&again.headline, &s.headline);
        prop_assert_eq!(again.projected_end, s.projected_end);
        for r in &s.rows {
            let sess = &agenda.sessions[r.idx];
            if matches!(r.state, RowState::Due | RowState::Next | RowState::Later) {
                // Never projected before now, nor a soft one before its plan.
                prop_assert!(r.start >= now, "{:?} starts before now", r);
                if !sess.fixed {
                    prop_assert!(r.start >= r.planned_start, "{:?} before its plan", r);
                }
                prop_assert!(r.end >= r.start);
            }
            // No row says live unless NOW does.
            if r.state == RowState::Live {
                prop_assert!(matches!(&s.now, Now::Live(l) if l.idx == r.idx));
            }
        }
        if let Now::Live(l) = &s.now {
            prop_assert_eq!(s.rows[l.idx].state, RowState::Live);
        }
        // A cut session is cut exactly while the journal says so, is never
        // a cue, and counts nowhere: the projected end is the latest end
        // of the rows that count.
        let fold = show.fold_at(now);
        for r in &s.rows {
            let cut = fold.sessions[r.idx].cut.is_some();
            prop_assert_eq!(r.state == RowState::Cut, cut, "{:?}", r);
            if cut {
                prop_assert!(!r.counts());
                prop_assert!(s.go_target() != Some(r.idx));
                prop_assert!(fold.sessions[r.idx].actual_start.is_none());
            }
        }
        // The plan to meet a hard end does what it says: carried out as
        // journal entries, the end is projected where the plan said.
        if let Some(o) = s.overshoot.as_ref().filter(|o| !o.plan.is_empty()) {
            prop_assert!(o.plan_end < s.projected_end);
            let mut applied = show.clone();
            act(&mut applied, now, Action::ApplyPlan);
            let after = applied.at(now);
            let day_end = after
                .rows
                .iter()
                .filter(|r| r.counts() && agenda.day_of(r.idx) == o.day)
                .map(|r| r.end)
                .max();
            prop_assert_eq!(day_end.unwrap_or(agenda.planned_end()), o.plan_end);
        }
        if !matches!(s.now, Now::Finished { .. }) {
            let latest = s.rows.iter().filter(|r| r.counts()).map(|r| r.end).max();
            prop_assert_eq!(s.projected_end, latest.unwrap_or(s.planned_end));
        }
        // The headline lateness is the quantity docs/timing.md defines.
        let expected = match s.go_target() {
            Some(c) => floor_secs(s.rows[c].start - s.rows[c].planned_start),
            None => match &s.now {
                Now::Live(l) => floor_secs(s.rows[l.idx].end - s.rows[l.idx].planned_end),
                Now::Finished { at } => floor_secs(*at - s.planned_end),
                _ => 0,
            },
        };
        prop_assert_eq!(s.headline.late_s, expected);
        // With a cue left, it is the cue row's Δ, and never ahead.
        if let Some(c) = s.go_target() {
            prop_assert_eq!(s.headline.late_s, s.rows[c].delta_s());
            prop_assert!(s.headline.late_s >= 0);
        }
        // The next cue's countdown is the one rule applied to its row.
        if let Some(cue) = &s.next {
            prop_assert_eq!(cue.starts_in, Countdown::to(now, s.rows[cue.idx].start));
            prop_assert_eq!(cue.overdue_s.is_some(), s.rows[cue.idx].overdue.is_some());
        }
    }

    #[test]
    fn folding_entry_by_entry_equals_folding_at_once(
        a in any_agenda(),
        steps in prop::collection::vec(any_step(), 0..12),
        probe in 0i64..3600,
    ) {
        // Reloads are checked against a restart in the test above.
        let steps: Vec<_> = steps
            .into_iter()
            .filter(|(s, _)| !matches!(s, Step::Reload(_)))
            .collect();
        let (show, last) = play(a.clone(), &steps);
        let whole = Show::new(a, show.entries().to_vec());
        let now = last + TimeDelta::seconds(probe);
        prop_assert_eq!(show.at(now), whole.at(now));
    }
}

/// Issue 19: holding for 3 minutes moves the projected end by exactly 3
/// minutes, and the live clock stands still while held.
#[test]
fn a_three_minute_hold_moves_the_end_by_three_minutes() {
    let a = agenda(
        "[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"10:00\"\nduration = \"30m\"\n\n\
         [[session]]\nid = \"b\"\ntitle = \"B\"\nstart = \"10:30\"\nduration = \"30m\"\n",
    );
    let mut show = run(a, &[("10:00", Action::Go)]);
    // Before the hold: A ends 10:30, B 10:30–11:00.
    assert_eq!(show.at(t("10:10")).projected_end, t("11:00"));
    act(
        &mut show,
        t("10:10"),
        Action::Hold(Some("stream down".into())),
    );
    // Held 1:00 of the way: 10:00 run, the clock stopped at 20:00 left, and
    // the end already slips by the minute.
    let held = show.at(t("10:11"));
    let live = held.live().unwrap();
    assert_eq!(live.remaining, TimeDelta::minutes(20));
    assert_eq!(live.held, TimeDelta::minutes(1));
    assert_eq!(held.projected_end, t("11:01"));
    act(&mut show, t("10:13"), Action::Resume);
    // Resumed after 3:00: A ends 10:33, B 10:33–11:03; at 10:15 A has run
    // 15:00 less 3:00 held = 12:00, 18:00 left.
    let after = show.at(t("10:15"));
    assert_eq!(after.projected_end, t("11:03"));
    assert_eq!(after.live().unwrap().remaining, TimeDelta::minutes(18));
    assert_eq!(show.fold().holds.len(), 1);
    assert_eq!(show.fold().holds[0].reason.as_deref(), Some("stream down"));
    // A second resume is refused; so is a hold while held.
    assert!(decide(&show, &Action::Resume, t("10:16")).is_err());
    act(&mut show, t("10:16"), Action::Hold(None));
    assert!(decide(&show, &Action::Hold(None), t("10:17")).is_err());
}

/// Issue 19: GO came at 10:01:30 for a speaker who began at 10:00; the
/// correction moves the start back, writing a new entry (nothing is
/// rewritten): 5:00 left at 10:05 of a 10-minute session, not 6:30.
#[test]
fn a_start_fix_moves_the_live_start() {
    let a =
        agenda("[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"10:00\"\nduration = \"10m\"\n");
    let mut show = run(a, &[("10:01:30.000", Action::Go)]);
    assert_eq!(
        show.at(t("10:05")).live().unwrap().remaining,
        TimeDelta::seconds(390)
    );
    act(
        &mut show,
        t("10:05"),
        Action::FixStart {
            start: local(t("10:00")),
            note: None,
        },
    );
    assert_eq!(
        show.at(t("10:05")).live().unwrap().remaining,
        TimeDelta::minutes(5)
    );
    let kinds: Vec<&str> = show.entries().iter().map(|e| e.kind.name()).collect();
    assert_eq!(kinds, ["start", "start_fix"]);
    // Never into the future.
    let later = Action::FixStart {
        start: local(t("10:06")),
        note: None,
    };
    assert!(decide(&show, &later, t("10:05")).is_err());
}

/// Issue 19, the reference event with `must_end_by = "16:30"` and a Q&A
/// that may shrink to 20 minutes: the panel started 2:01 late, so the Q&A
/// runs 15:42:01–16:17:01, the policy brief to 16:22:01, the closing to
/// 16:32:01 — 2:01 over. The plan shrinks the Q&A by exactly 2:01 (to
/// 32:59), not to its 20:00; it then ends 16:15:00, the soft brief starts
/// at its planned 16:15 with no dead air, and the show ends at 16:30.
#[test]
fn the_hard_end_plan_shrinks_by_what_is_needed_reference() {
    let text = std::fs::read_to_string("agenda.toml")
        .unwrap()
        .replace("# must_end_by = \"16:45\"", "must_end_by = \"16:30\"")
        .replace(
            "start = \"15:40\"",
            "start = \"15:40\"\nmin_duration = \"20m\"",
        );
    let a = Agenda::parse(text.as_bytes(), "agenda.toml").unwrap_or_else(|d| panic!("{d}"));
    let mut show = run(
        a,
        &[
            ("15:00", Action::Go),
            ("15:12:01", Action::Go),
            ("15:42:01", Action::Go),
        ],
    );
    let s = show.at(t("15:50"));
    let o = s.overshoot.as_ref().expect("overshoot");
    assert_eq!(o.over, TimeDelta::seconds(121));
    assert_eq!(
        o.plan,
        vec![PlanStep::Shrink {
            idx: 2,
            to: TimeDelta::seconds(35 * 60 - 121),
            by: TimeDelta::seconds(121),
            saves: TimeDelta::seconds(121)
        }]
    );
    assert_eq!(o.plan_end, t("16:30"));
    act(&mut show, t("15:50"), Action::ApplyPlan);
    let s = show.at(t("15:50"));
    assert!(s.overshoot.is_none());
    assert_eq!(s.projected_end, t("16:30"));
    assert_eq!(s.row(3).start, t("16:15"));
}

/// Issue 19, OnlyT#467: a 30-minute part that may shrink to 25, started
/// 4 minutes late (20:11, so to 20:41) before a hard end at 20:37, is
/// shrunk by 4:00 to 26:00 and ends at 20:37 — not to 25:00 and 20:36.
#[test]
fn the_hard_end_plan_shrinks_by_what_is_needed_one_part() {
    let a = agenda(
        "must_end_by = \"20:37\"\n\n[[session]]\nid = \"part\"\ntitle = \"Part\"\n\
         start = \"20:07\"\nduration = \"30m\"\nmin_duration = \"25m\"\n",
    );
    let mut show = run(a, &[("20:11", Action::Go)]);
    let o = show.at(t("20:12")).overshoot.expect("overshoot");
    assert_eq!(o.over, TimeDelta::minutes(4));
    assert_eq!(
        o.plan,
        vec![PlanStep::Shrink {
            idx: 0,
            to: TimeDelta::minutes(26),
            by: TimeDelta::minutes(4),
            saves: TimeDelta::minutes(4)
        }]
    );
    act(&mut show, t("20:12"), Action::ApplyPlan);
    assert_eq!(show.at(t("20:12")).projected_end, t("20:37"));
}

/// A hold stops the floor speaker's slot as it stops the session's clock,
/// on the screens and in the review. B (10:10–10:40, slots of 3:00) starts
/// at 10:10; the floor is given at 10:11; the show is held 10:12–10:14 and
/// the floor closed at 10:16. At 10:15 the slot has run 10:11 → 10:15 less
/// the 2:00 held = 2:00, so 1:00 is left; the review counts 10:11 → 10:16
/// less 2:00 = 3:00 spoken, exactly its slot (0 over).
#[test]
fn a_hold_stops_the_floor_speakers_slot_too() {
    let mut show = run(
        agenda(THREE_TALKS),
        &[
            ("10:00", Action::Go),
            ("10:10", Action::Go),
            ("10:11", Action::Floor(Some("Delegate".into()))),
            ("10:12", Action::Hold(None)),
            ("10:14", Action::Resume),
        ],
    );
    let s = show.at(t("10:15"));
    let floor = s
        .live()
        .and_then(|l| l.floor.clone())
        .expect("the floor is open");
    assert_eq!(floor.elapsed, TimeDelta::minutes(2));
    assert_eq!(floor.remaining, Some(TimeDelta::minutes(1)));
    act(&mut show, t("10:16"), Action::FloorClose);
    let r = showcall::report::build(&show.agenda, show.entries(), t("10:20"));
    let b = r.sessions.iter().find(|s| s.id == "b").unwrap();
    assert_eq!((b.interventions, b.interventions_s), (1, 180));
    assert_eq!(r.interventions.len(), 1);
    assert_eq!(r.interventions[0].spoken_s, 180);
    assert_eq!(r.interventions[0].over_s, Some(0));
}
