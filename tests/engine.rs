//! The show engine at fixed instants: one test per state, the lateness and
//! projection rules, and property tests for the engine's invariants.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use showcall::agenda::{Agenda, Event, Intervention, Session, Thresholds};
use showcall::journal::{Entry, Kind, SpeakerChange};
use showcall::show::{Action, Now, RowState, Show, Signal, decide};

/// `(id, start, end, fixed)` on the event's date in `tz`.
fn agenda_in(tz: Tz, date: &str, sessions: &[(&str, &str, &str, bool)]) -> Agenda {
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    let at = |hm: &str| {
        let t = NaiveTime::parse_from_str(hm, "%H:%M").unwrap();
        tz.from_local_datetime(&date.and_time(t))
            .earliest()
            .unwrap()
            .with_timezone(&Utc)
    };
    let mut prev_end = None::<DateTime<Utc>>;
    let sessions = sessions
        .iter()
        .enumerate()
        .map(|(i, (id, start, end, fixed))| {
            let mut start = at(start);
            let mut end = at(end);
            // Let test agendas cross midnight by wrapping onto the next day.
            if let Some(p) = prev_end {
                while start < p {
                    start += TimeDelta::days(1);
                }
            }
            while end <= start {
                end += TimeDelta::days(1);
            }
            prev_end = Some(end);
            Session {
                id: id.to_string(),
                title: format!("Session {id}"),
                start,
                end,
                speakers: vec!["Moderator".into(), "Panellist (Member State)".into()],
                moderators: Vec::new(),
                notes: None,
                fixed: *fixed,
                min_duration: None,
                signals: Thresholds::default(),
                intervention: None,
                line: i + 1,
                removed: false,
            }
        })
        .collect();
    Agenda {
        file_name: "agenda.toml".into(),
        sha256: "0".repeat(64),
        event: Event {
            title: "Test event".into(),
            date,
            tz,
            venue: None,
            languages: vec![],
            also_show: vec![],
            must_end_by: vec![],
            go_guard: chrono::TimeDelta::zero(),
        },
        signals: Thresholds::default(),
        sessions,
        cues: vec![],
    }
}

/// The reference event's shape.
fn reference() -> Agenda {
    agenda_in(
        chrono_tz::Europe::Zurich,
        "2023-06-22",
        &[
            ("welcome", "15:00", "15:10", false),
            ("panel", "15:10", "15:40", false),
            ("qa", "15:40", "16:15", false),
            ("policy-brief", "16:15", "16:20", false),
            ("closing", "16:20", "16:30", false),
        ],
    )
}

/// 15:00 on 2023-06-22 in Geneva (CEST) plus `hms`.
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

/// Applies actions through `decide`, as the operator screen does.
fn run(agenda: Agenda, script: &[(&str, Action)]) -> Show {
    let mut show = Show::new(agenda, vec![]);
    let mut seq = 0;
    for (hms, action) in script {
        let now = t(hms);
        let kinds =
            decide(&show, action, now).unwrap_or_else(|e| panic!("{action:?} at {hms}: {e}"));
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
    show
}

#[test]
fn before_the_show_the_first_session_is_next() {
    let show = Show::new(reference(), vec![]);
    let s = show.at(t("14:50"));
    assert!(matches!(s.now, Now::Idle { .. }));
    assert_eq!(s.next_idx(), Some(0));
    assert_eq!(s.next_start(), Some(t("15:00")));
    assert_eq!(s.lateness(), TimeDelta::zero());
    assert_eq!(s.projected_end, t("16:30"));
}

#[test]
fn before_the_first_start_the_engine_follows_the_plan() {
    let show = Show::new(reference(), vec![]);
    let s = show.at(t("15:12"));
    assert_eq!(
        s.now,
        Now::Planned {
            idx: 1,
            late: TimeDelta::minutes(2),
            // The time it will get (issue 19): its 30:00, not the 28:00
            // left until its planned end; GO starts it from 30:00.
            remaining: TimeDelta::minutes(30),
            signal: Signal::Ok,
            speakers: vec!["Moderator".into(), "Panellist (Member State)".into()],
        }
    );
    assert_eq!(
        s.go_target(),
        Some(1),
        "GO starts the panel, two minutes late"
    );
    assert_eq!(s.next_idx(), Some(2));
    assert_eq!(s.rows[2].planned_start, t("15:40"));
    // If the panel starts now, it runs its full 30 minutes.
    assert_eq!(s.rows[2].start, t("15:42"));
    assert_eq!(s.lateness(), TimeDelta::minutes(2));
    // At 15:38 the plan's slot is nearly up, but the panel has not
    // started: it will still get its 30:00, so no WRAP UP (issue 19).
    let s = show.at(t("15:38"));
    assert!(matches!(
        s.now,
        Now::Planned {
            idx: 1,
            signal: Signal::Ok,
            ..
        }
    ));
}

#[test]
fn go_at_1512_starts_the_panel_late() {
    let show = run(reference(), &[("15:12", Action::Go)]);
    let s = show.at(t("15:13"));
    let live = s.live().expect("live");
    assert_eq!(live.idx, 1);
    assert_eq!(live.since, t("15:12"));
    assert_eq!(live.remaining, TimeDelta::minutes(29));
    assert_eq!(s.rows[0].state, RowState::Missed);
    assert_eq!(s.lateness(), TimeDelta::minutes(2));
    assert_eq!(s.projected_end, t("16:32"));
}

#[test]
fn live_session_counts_down_through_the_signals() {
    let show = run(reference(), &[("15:00", Action::Go)]);
    let at = |hms| show.at(t(hms)).live().cloned().unwrap();
    assert_eq!(at("15:03").remaining, TimeDelta::minutes(7));
    assert_eq!(at("15:03").signal, Signal::Ok);
    assert_eq!(at("15:05").signal, Signal::Warn, "5:00 left is warn");
    assert_eq!(at("15:08:59").signal, Signal::Warn);
    assert_eq!(at("15:09").signal, Signal::Final);
    assert_eq!(at("15:10").signal, Signal::Final, "0:00 is not yet over");
    let over = at("15:11:20");
    assert_eq!(over.signal, Signal::Over);
    assert_eq!(over.remaining, TimeDelta::seconds(-80));
    assert_eq!(show.at(t("15:11:20")).lateness(), TimeDelta::seconds(80));
    assert_eq!(
        showcall::show::current_overrun_s(&show.at(t("15:11:20"))),
        80
    );
}

#[test]
fn the_overrun_form_is_prefilled_after_the_session_ended_too() {
    let show = run(
        reference(),
        &[("15:00", Action::Go), ("15:12:30", Action::End)],
    );
    assert_eq!(showcall::show::current_overrun_s(&show.at(t("15:13"))), 150);
    let show = run(
        reference(),
        &[("15:00", Action::Go), ("15:08", Action::End)],
    );
    assert_eq!(showcall::show::current_overrun_s(&show.at(t("15:09"))), 0);
}

#[test]
fn adjustments_change_the_allotment_and_the_projection() {
    let show = run(
        reference(),
        &[
            ("15:00", Action::Go),
            ("15:02", Action::Extend(60)),
            ("15:02", Action::Extend(60)),
            ("15:03", Action::Extend(-60)),
        ],
    );
    let s = show.at(t("15:04"));
    assert_eq!(s.live().unwrap().allot, TimeDelta::minutes(11));
    assert_eq!(s.rows[1].start, t("15:11"));
    assert_eq!(s.lateness(), TimeDelta::minutes(1));
}

#[test]
fn between_sessions_the_next_waits_for_its_planned_start() {
    let show = run(
        reference(),
        &[("15:00", Action::Go), ("15:08", Action::End)],
    );
    let s = show.at(t("15:08:30"));
    assert!(matches!(s.now, Now::Idle { .. }));
    assert_eq!(s.next_idx(), Some(1));
    assert_eq!(
        s.next_start(),
        Some(t("15:10")),
        "a soft start never moves earlier"
    );
    // The welcome ended 2:00 early, but the soft panel will not start
    // before 15:10: the show is on time, not "ahead", and the panel starts
    // in 1:30 (15:08:30 → 15:10:00).
    assert_eq!(s.lateness(), TimeDelta::zero());
    assert_eq!(s.next.as_ref().unwrap().starts_in.text(), "1:30");
    // Once the planned start has passed, the gap makes the show late.
    let s = show.at(t("15:11"));
    assert_eq!(s.next_start(), Some(t("15:11")));
    assert_eq!(s.lateness(), TimeDelta::minutes(1));
}

#[test]
fn after_the_last_session_the_show_is_finished() {
    let show = run(
        reference(),
        &[
            ("15:00", Action::Go),
            ("15:10", Action::Go),
            ("15:45", Action::Go),
            ("16:20", Action::Go),
            ("16:26", Action::Go),
            ("16:37", Action::End),
        ],
    );
    let s = show.at(t("16:40"));
    assert_eq!(s.now, Now::Finished { at: t("16:37") });
    assert_eq!(s.next_idx(), None);
    assert_eq!(s.go_target(), None);
    assert_eq!(s.projected_end, t("16:37"));
    assert_eq!(s.lateness(), TimeDelta::minutes(7));
    assert!(s.rows.iter().all(|r| r.state == RowState::Done));
}

#[test]
fn projections_follow_the_live_session() {
    let show = run(reference(), &[("15:00", Action::Go), ("15:14", Action::Go)]);
    let s = show.at(t("15:20"));
    assert_eq!(s.rows[0].end, t("15:14"));
    assert_eq!(s.rows[1].start, t("15:14"));
    assert_eq!(s.rows[2].start, t("15:44"));
    assert_eq!(s.rows[4].end, t("16:34"));
    assert_eq!(s.lateness(), TimeDelta::minutes(4));
    assert_eq!(s.planned_end, t("16:30"));
    assert_eq!(s.projected_end, t("16:34"));
}

#[test]
fn a_fixed_session_never_moves_and_reports_the_squeeze() {
    let mut a = reference();
    a.sessions[3].fixed = true; // the policy brief at 16:15 is fixed
    let show = Show::new(a, vec![]);
    let show = {
        let mut s = show;
        s.extend([Entry {
            v: 1,
            source: None,
            seq: 1,
            at: local(t("15:20")),
            kind: Kind::Start {
                session: "welcome".into(),
            },
        }]);
        s
    };
    let s = show.at(t("15:21"));
    // welcome to 15:30, panel 15:30–16:00, qa 16:00–16:35, fixed brief at 16:15.
    // The brief keeps its 16:15; the item before it, the Q&A, is shown
    // squeezed by 16:35 - 16:15 = 20 minutes, to end at 16:15.
    assert_eq!(s.rows[3].start, t("16:15"));
    assert_eq!(s.rows[3].squeeze, TimeDelta::zero());
    assert_eq!(s.rows[2].squeeze, TimeDelta::minutes(20));
    assert_eq!(s.rows[2].end, t("16:15"));
    assert_eq!(s.rows[4].start, t("16:20"));
}

#[test]
fn must_end_by_reports_overshoot_and_absorbers() {
    let mut a = reference();
    a.event.must_end_by = vec![showcall::agenda::HardEnd {
        date: a.event.date,
        at: t("16:30"),
    }];
    a.sessions[2].min_duration = Some(TimeDelta::minutes(25)); // qa can give 10m
    a.sessions[4].min_duration = Some(TimeDelta::minutes(5)); // closing can give 5m
    let show = run(a, &[("15:00", Action::Go), ("15:18", Action::Go)]);
    let s = show.at(t("15:20"));
    let o = s.overshoot.expect("overshoot");
    assert_eq!(o.over, TimeDelta::minutes(8));
    assert_eq!(
        o.absorbers,
        vec![(2, TimeDelta::minutes(10)), (4, TimeDelta::minutes(5))]
    );
    assert!(o.absorbable);
}

#[test]
fn speaker_changes_and_undo() {
    let show = run(
        reference(),
        &[
            ("15:00", Action::Go),
            (
                "15:01",
                Action::ChangeSpeaker {
                    change: SpeakerChange::Replace,
                    from: Some("Moderator".into()),
                    to: Some("Deputy moderator".into()),
                    note: Some("flight delayed".into()),
                },
            ),
            (
                "15:02",
                Action::ChangeSpeaker {
                    change: SpeakerChange::Add,
                    from: None,
                    to: Some("Panellist (civil society)".into()),
                    note: None,
                },
            ),
        ],
    );
    assert_eq!(
        show.fold().sessions[0].speakers,
        vec![
            "Deputy moderator",
            "Panellist (Member State)",
            "Panellist (civil society)"
        ]
    );
    let mut undone = show.clone();
    let kinds = decide(&undone, &Action::Undo, t("15:03")).unwrap();
    assert_eq!(kinds, vec![Kind::Undo { target: 3 }]);
    undone.extend([Entry {
        v: 1,
        source: None,
        seq: 4,
        at: local(t("15:03")),
        kind: kinds[0].clone(),
    }]);
    assert_eq!(
        undone.fold().sessions[0].speakers,
        vec!["Deputy moderator", "Panellist (Member State)"]
    );
}

#[test]
fn undoing_a_start_returns_to_the_plan() {
    let show = run(
        reference(),
        &[("15:01", Action::Go), ("15:02", Action::Undo)],
    );
    let s = show.at(t("15:03"));
    assert!(matches!(s.now, Now::Planned { idx: 0, late, .. } if late == TimeDelta::minutes(3)));
}

#[test]
fn refusals_write_nothing() {
    let show = Show::new(reference(), vec![]);
    assert!(decide(&show, &Action::End, t("15:00")).is_err());
    assert!(decide(&show, &Action::Undo, t("15:00")).is_err());
    assert!(decide(&show, &Action::Extend(60), t("15:00")).is_err());
    assert!(decide(&show, &Action::FloorClose, t("15:00")).is_err());
}

#[test]
fn timed_interventions_have_their_own_countdown() {
    let mut a = reference();
    a.sessions[2].intervention = Some(Intervention {
        slot: TimeDelta::minutes(3),
        signals: Intervention::scaled(TimeDelta::minutes(3)),
    });
    let show = run(
        a,
        &[
            ("15:40", Action::Go),
            ("15:41", Action::Floor(Some("Member State delegate".into()))),
            ("15:44", Action::Floor(None)),
        ],
    );
    let s = show.at(t("15:43:35"));
    let fl = s.live().unwrap().floor.clone().unwrap();
    assert_eq!(fl.number, 1);
    assert_eq!(fl.remaining, Some(TimeDelta::seconds(25)));
    assert_eq!(fl.signal, Signal::Warn, "30 s warn for a 3 min slot");
    let s = show.at(t("15:46:55"));
    let fl = s.live().unwrap().floor.clone().unwrap();
    assert_eq!((fl.number, fl.speaker), (2, None));
    assert_eq!(fl.signal, Signal::Final, "10 s final");
    assert_eq!(show.fold().sessions[2].floors[0].end, Some(t("15:44")));
}

#[test]
fn entries_for_unknown_sessions_are_kept_and_reported() {
    let mut show = Show::new(reference(), vec![]);
    show.extend([Entry {
        v: 1,
        source: None,
        seq: 1,
        at: local(t("15:00")),
        kind: Kind::Start {
            session: "removed-session".into(),
        },
    }]);
    assert_eq!(
        show.fold().unknown_sessions,
        vec![(1, "removed-session".to_string())]
    );
    assert_eq!(show.entries().len(), 1);
}

#[test]
fn sessions_across_midnight() {
    let a = agenda_in(
        chrono_tz::Europe::Zurich,
        "2023-06-22",
        &[
            ("late", "23:30", "00:15", false),
            ("night", "00:15", "01:00", false),
        ],
    );
    let start = a.sessions[0].start;
    let mut show = Show::new(a, vec![]);
    show.extend([Entry {
        v: 1,
        source: None,
        seq: 1,
        at: local(start + TimeDelta::minutes(5)),
        kind: Kind::Start {
            session: "late".into(),
        },
    }]);
    // Started 23:35 for 45 minutes; at 00:25 it is five minutes over.
    let s = show.at(start + TimeDelta::minutes(55));
    assert_eq!(s.live().unwrap().remaining, TimeDelta::minutes(-5));
    assert_eq!(s.rows[1].start, start + TimeDelta::minutes(55));
    assert_eq!(s.lateness(), TimeDelta::minutes(10));
}

#[test]
fn sessions_across_a_daylight_saving_change() {
    // 2023-03-26 in Zurich: 02:00 CET jumps to 03:00 CEST.
    let a = agenda_in(
        chrono_tz::Europe::Zurich,
        "2023-03-26",
        &[
            ("night", "01:30", "03:30", false),
            ("dawn", "03:30", "04:00", false),
        ],
    );
    assert_eq!(a.sessions[0].planned_duration(), TimeDelta::hours(1));
    let start = a.sessions[0].start;
    let mut show = Show::new(a, vec![]);
    show.extend([Entry {
        v: 1,
        source: None,
        seq: 1,
        at: start.with_timezone(&FixedOffset::east_opt(3600).unwrap()),
        kind: Kind::Start {
            session: "night".into(),
        },
    }]);
    // 03:10 CEST is 40 real minutes after 01:30 CET.
    let now = start + TimeDelta::minutes(40);
    let s = show.at(now);
    assert_eq!(s.live().unwrap().remaining, TimeDelta::minutes(20));
    assert_eq!(s.rows[1].start, start + TimeDelta::hours(1));
}

// ---------------------------------------------------------------------------
// Property tests

#[derive(Debug, Clone)]
enum Step {
    Go,
    End,
    Extend(i64),
    Undo,
    Note,
    Floor,
}

fn step() -> impl Strategy<Value = (Step, i64)> {
    (
        prop_oneof![
            4 => Just(Step::Go),
            1 => Just(Step::End),
            2 => (-3i64..=3).prop_map(|m| Step::Extend(m * 60)),
            1 => Just(Step::Undo),
            1 => Just(Step::Note),
            1 => Just(Step::Floor),
        ],
        0i64..1200,
    )
}

/// A journal made the way the operator screen makes one.
fn journal_from(steps: &[(Step, i64)], start_offset: i64) -> (Show, Vec<DateTime<Utc>>) {
    let mut show = Show::new(reference(), vec![]);
    let mut now = t("15:00") + TimeDelta::seconds(start_offset);
    let mut times = vec![];
    let mut seq = 0;
    for (s, dt) in steps {
        now += TimeDelta::seconds(*dt);
        let action = match s {
            Step::Go => Action::Go,
            Step::End => Action::End,
            Step::Extend(d) => Action::Extend(*d),
            Step::Undo => Action::Undo,
            Step::Note => Action::Note("n".into()),
            Step::Floor => Action::Floor(None),
        };
        if let Ok(kinds) = decide(&show, &action, now) {
            for kind in kinds {
                seq += 1;
                show.extend([Entry {
                    v: 1,
                    source: None,
                    seq,
                    at: local(now),
                    kind,
                }]);
                times.push(now);
            }
        }
    }
    (show, times)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn remaining_falls_one_second_per_second(
        steps in prop::collection::vec(step(), 1..12),
        offset in -600i64..600,
        a in 0i64..4000,
        b in 0i64..4000,
    ) {
        let (show, times) = journal_from(&steps, offset);
        let last = times.last().copied().unwrap_or(t("15:00"));
        let (a, b) = (a.min(b), a.max(b));
        let (t1, t2) = (last + TimeDelta::seconds(a), last + TimeDelta::seconds(b));
        if let (Some(l1), Some(l2)) = (show.at(t1).live().cloned(), show.at(t2).live().cloned()) {
            prop_assert_eq!(l1.idx, l2.idx);
            prop_assert_eq!(l1.remaining - l2.remaining, t2 - t1);
        }
    }

    #[test]
    fn a_soft_start_is_never_projected_before_its_plan(
        steps in prop::collection::vec(step(), 0..12),
        offset in -1800i64..600,
        later in 0i64..3000,
    ) {
        let (show, times) = journal_from(&steps, offset);
        let now = times.last().copied().unwrap_or(t("14:30")) + TimeDelta::seconds(later);
        let s = show.at(now);
        for r in s.rows.iter().filter(|r| !r.started && r.state != RowState::Missed) {
            prop_assert!(r.start >= r.planned_start, "row {} projected {} before {}", r.idx, r.start, r.planned_start);
        }
    }

    #[test]
    fn undo_restores_the_state_before(
        steps in prop::collection::vec(step(), 0..10),
        extra in prop_oneof![Just(Step::Go), Just(Step::End), Just(Step::Extend(120)), Just(Step::Note), Just(Step::Floor)],
        later in 1i64..2000,
    ) {
        let (before, times) = journal_from(&steps, 0);
        let now = times.last().copied().unwrap_or(t("15:00")) + TimeDelta::seconds(30);
        let mut after = before.clone();
        let action = match extra {
            Step::Go => Action::Go,
            Step::End => Action::End,
            Step::Extend(d) => Action::Extend(d),
            Step::Note => Action::Note("x".into()),
            _ => Action::Floor(None),
        };
        let mut seq = after.entries().last().map_or(0, |e| e.seq);
        if let Ok(kinds) = decide(&after, &action, now) {
            for kind in kinds {
                seq += 1;
                after.extend([Entry { v: 1, source: None, seq, at: local(now), kind }]);
            }
            let undo = decide(&after, &Action::Undo, now).unwrap();
            seq += 1;
            after.extend([Entry { v: 1, source: None, seq, at: local(now), kind: undo[0].clone() }]);
        }
        let probe = now + TimeDelta::seconds(later);
        // The same show; only the journal pane's list of undone entries
        // differs.
        let (mut a, mut b) = (after.at(probe), before.at(probe));
        a.withdrawn.clear();
        b.withdrawn.clear();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn a_prefix_replays_to_the_same_state(
        steps in prop::collection::vec(step(), 1..14),
        cut in 0usize..14,
        into in 0i64..60,
    ) {
        let (full, times) = journal_from(&steps, 0);
        let n = full.entries().len();
        prop_assume!(n > 0);
        let cut = cut % n;
        // The instant just after entry `cut` and before the next one.
        let at = times[cut];
        let next = times.get(cut + 1).copied();
        let probe = (at + TimeDelta::seconds(into)).min(next.map_or(at + TimeDelta::seconds(into), |n| n - TimeDelta::milliseconds(1)).max(at));
        let visible = full.entries().iter().take_while(|e| e.at.with_timezone(&Utc) <= probe).cloned().collect::<Vec<_>>();
        let prefix = Show::new(reference(), visible);
        prop_assert_eq!(prefix.at(probe), full.at(probe));
    }
}

#[test]
fn entries_count_by_their_time_not_their_place_in_the_file() {
    // A journal reused with an earlier --at: a line stamped 16:00 from the
    // earlier run, then a GO at 15:38 from this one.
    let mut show = Show::new(reference(), vec![]);
    show.extend([
        Entry {
            v: 1,
            source: None,
            seq: 1,
            at: local(t("16:00")),
            kind: Kind::Start {
                session: "policy-brief".into(),
            },
        },
        Entry {
            v: 1,
            source: None,
            seq: 2,
            at: local(t("15:38")),
            kind: Kind::Start {
                session: "panel".into(),
            },
        },
    ]);
    assert_eq!(show.at(t("15:39")).live().map(|l| l.idx), Some(1));
    assert_eq!(show.at(t("16:01")).live().map(|l| l.idx), Some(3));
}

#[test]
fn a_short_session_does_not_open_on_a_signal() {
    // The five-minute policy brief under the agenda-wide 5m warn.
    let show = run(
        reference(),
        &[
            ("15:00", Action::Go),
            ("15:10", Action::Go),
            ("15:40", Action::Go),
            ("16:15", Action::Go),
        ],
    );
    let at = |hms| show.at(t(hms)).live().cloned().unwrap();
    assert_eq!(at("16:15:01").signal, Signal::Ok);
    assert_eq!(at("16:17:29").signal, Signal::Ok);
    assert_eq!(
        at("16:17:30").signal,
        Signal::Warn,
        "warn at half of 5 minutes"
    );
    assert_eq!(at("16:19").signal, Signal::Final, "final still at 1:00");
    assert_eq!(at("16:19").thresholds.final_, TimeDelta::minutes(1));
}
