//! The running order changed from the keyboard: `g` starts a session out of
//! order (asking first when it jumps over others), `x` cuts one with a
//! reason, and `u` withdraws either. The reference event is welcome
//! 15:00–15:10, panel 15:10–15:40, qa 15:40–16:15, policy-brief
//! 16:15–16:20, closing 16:20–16:30.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use showcall_core::journal::Kind;
use showcall_core::show::{Action, RowState};

use super::{operator, press, screen, t};
use crate::operator::{Confirm, Mode};

fn key(op: &mut crate::operator::Operator, code: KeyCode, now: chrono::DateTime<chrono::Utc>) {
    op.on_key(KeyEvent::new(code, KeyModifiers::NONE), now);
}

fn typed(op: &mut crate::operator::Operator, text: &str, now: chrono::DateTime<chrono::Utc>) {
    for c in text.chars() {
        press(op, c, now);
    }
}

fn last_kind(op: &crate::operator::Operator) -> Kind {
    op.saved().last().unwrap().kind.clone()
}

#[test]
fn go_to_jumps_over_the_qa_after_asking_and_undo_takes_it_back() {
    let mut op = operator(&[("15:00", Action::Go), ("15:10", Action::Go)]);
    let now = t("15:40");
    press(&mut op, 'g', now);
    let Mode::Pick(p) = &op.mode else {
        panic!("g opens the picker: {:?}", op.mode)
    };
    // Not done, not live: qa, policy-brief, closing; the cursor on qa,
    // the session GO would start.
    assert_eq!(p.shown().len(), 3);
    assert_eq!(p.current(), Some(2));
    typed(&mut op, "pol", now);
    let term = screen(&op, now, 80, 24);
    insta::assert_snapshot!("goto_picker", term.backend());
    key(&mut op, KeyCode::Enter, now);
    match &op.mode {
        Mode::Confirm(Confirm::GoTo { idx: 3, over, .. }) => {
            assert_eq!(over, &["Interventions from the floor and Q&A".to_string()])
        }
        m => panic!("a jump asks first: {m:?}"),
    }
    let term = screen(&op, now, 80, 24);
    insta::assert_snapshot!("goto_confirm", term.backend());
    press(&mut op, 'y', now);
    assert_eq!(
        last_kind(&op),
        Kind::Start {
            session: "policy-brief".into()
        }
    );
    // Policy brief 15:40–15:45; the qa jumped over comes back after it,
    // 15:45–16:20 (35 min), +5:00 against its plan of 15:40, and GO starts
    // it; closing keeps 16:20–16:30.
    let s = op.snapshot(t("15:41"));
    assert_eq!(s.live().map(|l| l.idx), Some(3));
    assert_eq!(s.go_target(), Some(2));
    assert_eq!(s.row(2).start, t("15:45"));
    assert_eq!(s.row(2).end, t("16:20"));
    assert_eq!(s.headline.late_s, 300);
    assert_eq!(s.projected_end, t("16:30"));
    let term = screen(&op, t("15:41"), 120, 30);
    insta::assert_snapshot!("goto_started", term.backend());

    // Undo: policy brief is not started any more; the panel is live again
    // (the start ended it at 15:40; undone, nothing ended it).
    press(&mut op, 'u', t("15:42"));
    press(&mut op, 'y', t("15:42"));
    let s = op.snapshot(t("15:42"));
    assert_eq!(s.live().map(|l| l.idx), Some(1));
    assert_eq!(s.row(3).state, RowState::Later);
}

#[test]
fn go_to_the_next_session_does_not_ask() {
    let mut op = operator(&[("15:00", Action::Go)]);
    press(&mut op, 'g', t("15:10"));
    key(&mut op, KeyCode::Enter, t("15:10"));
    assert_eq!(op.mode, Mode::Normal);
    assert_eq!(
        last_kind(&op),
        Kind::Start {
            session: "panel".into()
        }
    );
}

#[test]
fn cut_the_closing_with_a_reason_then_undo_restores_it() {
    let mut op = operator(&[
        ("15:00", Action::Go),
        ("15:10", Action::Go),
        ("15:40", Action::Go),
    ]);
    let now = t("15:50");
    // Before: qa 15:40–16:15 live, policy-brief 16:15–16:20, closing
    // 16:20–16:30: projected end 16:30.
    assert_eq!(op.snapshot(now).projected_end, t("16:30"));
    press(&mut op, 'x', now);
    let Mode::Pick(p) = &op.mode else {
        panic!("x opens the picker: {:?}", op.mode)
    };
    // The cursor starts on the next session: the policy brief.
    assert_eq!(p.current(), Some(3));
    key(&mut op, KeyCode::Down, now);
    key(&mut op, KeyCode::Enter, now);
    assert!(matches!(&op.mode, Mode::Form(f) if f.session == Some(4)));
    // No reason, no cut.
    key(&mut op, KeyCode::Enter, now);
    assert!(matches!(op.mode, Mode::Form(_)), "a cut needs a reason");
    typed(&mut op, "room needed by 16:25", now);
    let term = screen(&op, now, 80, 24);
    insta::assert_snapshot!("cut_form", term.backend());
    key(&mut op, KeyCode::Enter, now);
    assert_eq!(
        last_kind(&op),
        Kind::Skip {
            session: "closing".into(),
            note: "room needed by 16:25".into()
        }
    );
    // After: closing is cut and counts nowhere; the show ends with the
    // policy brief at 16:20.
    let s = op.snapshot(now);
    assert_eq!(s.row(4).state, RowState::Cut);
    assert!(!s.row(4).counts());
    assert_eq!(s.projected_end, t("16:20"));
    let term = screen(&op, now, 120, 30);
    insta::assert_snapshot!("cut_done", term.backend());
    // The picker no longer offers it for a cut.
    press(&mut op, 'x', now);
    let Mode::Pick(p) = &op.mode else { panic!() };
    assert!(p.items.iter().all(|i| i.idx != 4));
    key(&mut op, KeyCode::Esc, now);

    press(&mut op, 'u', now);
    press(&mut op, 'y', now);
    let s = op.snapshot(now);
    assert_eq!(s.row(4).state, RowState::Later);
    assert_eq!(s.projected_end, t("16:30"));
}

#[test]
fn the_live_session_cannot_be_cut() {
    let mut op = operator(&[("15:00", Action::Go)]);
    op.act(
        Action::Cut {
            idx: 0,
            note: "x".into(),
        },
        t("15:01"),
    );
    let toast = op.toast.as_ref().expect("refused");
    assert!(toast.text.contains("is live"), "{}", toast.text);
    assert_eq!(op.saved().len(), 2, "nothing written");
}

/// The reference event with a hard end at 16:30 and a Q&A that may shrink
/// to 30 minutes.
fn hard_end_agenda() -> showcall_core::agenda::Agenda {
    let text = include_str!("../../../../agenda.toml")
        .replace("# must_end_by = \"16:45\"", "must_end_by = \"16:30\"")
        .replace(
            "intervention = \"3m\"",
            "intervention = \"3m\"\nmin_duration = \"30m\"",
        );
    showcall_core::agenda::Agenda::parse(text.as_bytes(), "agenda.toml").unwrap()
}

#[test]
fn the_plan_to_end_on_time_is_shown_previewed_and_applied() {
    // Everything runs 10 minutes late: welcome 15:10, panel 15:20, Q&A
    // 15:50–16:25, policy brief 16:25–16:30, closing 16:30–16:40: 10:00
    // past the hard end of 16:30.
    let mut op = super::operator_with(
        hard_end_agenda(),
        &[
            ("15:10", Action::GoTo(0)),
            ("15:20", Action::GoTo(1)),
            ("15:50", Action::GoTo(2)),
        ],
    );
    let now = t("15:55");
    // Q&A down to 30 min ends 16:20: policy brief 16:20–16:25, closing
    // 16:25–16:35, saves 5:00. Still 5:00 over: cutting the policy brief
    // (5 min) lets closing keep 16:20–16:30; cutting closing (10 min)
    // would too, but loses more.
    let term = screen(&op, now, 120, 40);
    insta::assert_snapshot!("plan_in_next_panel", term.backend());
    let text = term.backend().to_string();
    assert!(text.contains("must end 16:30: 10:00 over"), "{text}");
    assert!(text.contains("p apply: end 16:30"), "{text}");
    press(&mut op, 'p', now);
    assert!(matches!(op.mode, Mode::Confirm(Confirm::Plan { .. })));
    let term = screen(&op, now, 120, 40);
    insta::assert_snapshot!("plan_confirm", term.backend());
    let text = term.backend().to_string();
    assert!(
        text.contains("shrink Interventions from the floor and Q&A to 30:00 (saves 5:00)"),
        "{text}"
    );
    let before = op.saved().len();
    press(&mut op, 'y', now);
    let new: Vec<Kind> = op.saved()[before..]
        .iter()
        .map(|e| e.kind.clone())
        .collect();
    assert_eq!(
        new,
        vec![
            Kind::Adjust {
                session: "qa".into(),
                delta_s: -300,
                note: Some("to end by 16:30".into())
            },
            Kind::Skip {
                session: "policy-brief".into(),
                note: "to end by 16:30".into()
            }
        ]
    );
    let s = op.snapshot(now);
    assert_eq!(s.overshoot, None);
    assert_eq!(s.projected_end, t("16:30"));
    // Without an overshoot, p says so and writes nothing.
    press(&mut op, 'p', now);
    assert_eq!(op.mode, Mode::Normal);
    assert!(
        op.toast
            .as_ref()
            .is_some_and(|t| t.text.contains("meets the hard end"))
    );
}

/// Two days in Geneva, 12:00 the hard end of each.
const TWO_DAYS: &str = r#"
[event]
title = "Two-day workshop"
date = "2023-06-22"
timezone = "Europe/Zurich"
must_end_by = "12:00"

[[session]]
id = "a"
title = "Opening"
start = "10:00"
end = "11:00"

[[session]]
id = "b"
title = "Working groups"
start = "11:00"
end = "12:00"
min_duration = "45m"

[[session]]
id = "c"
title = "Day two plenary"
date = "2023-06-23"
start = "10:00"
end = "12:00"
"#;

#[test]
fn a_multi_day_schedule_marks_each_day_and_the_end_says_which_day() {
    let a = showcall_core::agenda::Agenda::parse(TWO_DAYS.as_bytes(), "agenda.toml").unwrap();
    let op = super::operator_with(a, &[("10:00", Action::Go), ("10:30", Action::Extend(900))]);
    // Opening to 11:15, working groups 11:15–12:15: day one 15:00 past its
    // hard end; the show ends with day two at 12:00 on Friday.
    let term = screen(&op, t("10:40"), 120, 30);
    insta::assert_snapshot!("two_days", term.backend());
    let text = term.backend().to_string();
    assert!(text.contains("Thu 22 Jun 2023 ───"), "{text}");
    assert!(text.contains("Fri 23 Jun 2023 ───"), "{text}");
    // The date too: an event of more than a week has two Fridays.
    assert!(text.contains("end Fri 23 Jun 12:00"), "{text}");
    assert!(text.contains("must end 12:00: 15:00 over"), "{text}");
}

/// The agenda file saved without a session that ran: the show keeps it,
/// marked, the header says what changed, and the journal records it.
#[test]
fn a_reload_that_drops_a_session_that_ran_keeps_it_marked() {
    let three = |with_a: bool| {
        let a =
            "[[session]]\nid = \"a\"\ntitle = \"Opening\"\nstart = \"10:00\"\nend = \"10:30\"\n\n";
        format!(
            "[event]\ntitle = \"T\"\ndate = \"2023-06-22\"\ntimezone = \"Europe/Zurich\"\n\n{}\
             [[session]]\nid = \"b\"\ntitle = \"Panel\"\nstart = \"10:30\"\nend = \"11:00\"\n\n\
             [[session]]\nid = \"c\"\ntitle = \"Close\"\nstart = \"11:00\"\nend = \"11:10\"\n",
            if with_a { a } else { "" }
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agenda.toml");
    std::fs::write(&path, three(true)).unwrap();
    let agenda = showcall_core::agenda::Agenda::load(&path).unwrap();
    let mut op = super::operator_with(agenda, &[("10:00", Action::Go), ("10:30", Action::Go)]);
    op.agenda_file = Some(crate::agenda_file::AgendaFile::new(&path, None));
    std::fs::write(&path, three(false)).unwrap();
    op.tick(t("10:31"));
    match &op.saved().last().unwrap().kind {
        Kind::Agenda(c) => assert_eq!(c.removed, ["a"]),
        k => panic!("an agenda entry, not {k:?}"),
    }
    assert!(op.show.agenda.sessions[0].removed);
    let text = screen(&op, t("10:31"), 120, 30).backend().to_string();
    assert!(text.contains("agenda reloaded: 1 removed"), "{text}");
    assert!(text.contains("Opening (removed from the"), "{text}");
    // Broken: the running agenda stays, the problem shows, located.
    std::fs::write(&path, three(false).replace("11:10", "11:70")).unwrap();
    op.tick(t("10:32"));
    let text = screen(&op, t("10:32"), 120, 30).backend().to_string();
    assert!(text.contains("AGENDA NOT RELOADED:"), "{text}");
    assert!(text.contains("agenda.toml:"), "{text}");
    assert_eq!(op.show.agenda.sessions.len(), 3);
}
