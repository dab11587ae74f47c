//! `h` holds the show and resumes it; `S` corrects when the live session
//! really started. The reference agenda: the panel 15:10–15:40.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use showcall_core::show::Action;

use super::{operator, press, screen, t};
use crate::operator::Operator;

fn enter(op: &mut Operator, now: DateTime<Utc>) {
    op.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), now);
}

fn typed(op: &mut Operator, text: &str, now: DateTime<Utc>) {
    for c in text.chars() {
        press(op, c, now);
    }
}

fn kinds(op: &Operator) -> Vec<String> {
    op.saved()
        .iter()
        .map(|e| e.kind.name().to_owned())
        .collect()
}

#[test]
fn h_holds_the_clock_and_h_again_resumes() {
    let mut op = operator(&[("15:00", Action::Go), ("15:10", Action::Go)]);
    // `h` asks for a reason; Enter with none still holds.
    press(&mut op, 'h', t("15:20"));
    enter(&mut op, t("15:20"));
    // Held at 15:20 with 20:00 left; at 15:22:30 still 20:00, and the
    // header says HOLD 2:30.
    let snap = op.snapshot(t("15:22:30"));
    assert_eq!(snap.live().unwrap().remaining.num_seconds(), 20 * 60);
    let text = format!(
        "{:?}",
        screen(&op, t("15:22:30"), 120, 40).backend().buffer()
    );
    assert!(text.contains("HOLD 2:30"), "header says HOLD");
    press(&mut op, 'h', t("15:23"));
    // Held 3:00: the panel now ends 15:43, and at 15:24 has 19:00 left.
    let snap = op.snapshot(t("15:24"));
    assert_eq!(snap.live().unwrap().remaining.num_seconds(), 19 * 60);
    assert_eq!(snap.row(1).end, t("15:43"));
    assert_eq!(kinds(&op)[3..], ["hold", "resume"]);
}

#[test]
fn s_moves_the_live_start_to_when_it_really_began() {
    // GO for the panel came at 15:11:30; the speaker began at 15:10.
    let mut op = operator(&[("15:00", Action::Go), ("15:11:30", Action::Go)]);
    press(&mut op, 'S', t("15:15"));
    typed(&mut op, "15:10", t("15:15"));
    assert_eq!(
        op.preview.as_deref(),
        Ok("start fixed · Interactive Panel Discussion · 15:10:00")
    );
    enter(&mut op, t("15:15"));
    // 30:00 from 15:10: 25:00 left at 15:15, not 26:30.
    let snap = op.snapshot(t("15:15"));
    assert_eq!(snap.live().unwrap().remaining.num_seconds(), 25 * 60);
    // A shift works too, from the start in force: 0:30 later than 15:10.
    press(&mut op, 'S', t("15:16"));
    typed(&mut op, "+0:30", t("15:16"));
    enter(&mut op, t("15:16"));
    let snap = op.snapshot(t("15:16"));
    // Start now 15:10:30: 5:30 run at 15:16, 24:30 left.
    assert_eq!(snap.live().unwrap().remaining.num_seconds(), 24 * 60 + 30);
    assert_eq!(kinds(&op)[3..], ["start_fix", "start_fix"]);
}

#[test]
fn a_double_h_holds_and_does_not_resume_at_once() {
    let mut op = operator(&[("15:00", Action::Go), ("15:10", Action::Go)]);
    press(&mut op, 'h', t("15:20"));
    enter(&mut op, t("15:20"));
    press(
        &mut op,
        'h',
        t("15:20") + chrono::TimeDelta::milliseconds(100),
    );
    assert_eq!(kinds(&op)[3..], ["hold"]);
    let toast = op
        .toast
        .as_ref()
        .map(|t| t.text.clone())
        .unwrap_or_default();
    assert_eq!(
        toast,
        "resume ignored: 0.1 s after the hold (h again resumes)"
    );
}

#[test]
fn a_double_h_types_into_the_reason_and_holds_once() {
    let mut op = operator(&[("15:00", Action::Go), ("15:10", Action::Go)]);
    // h h: the second h is the reason's first letter, not a resume.
    press(&mut op, 'h', t("15:20"));
    press(&mut op, 'h', t("15:20"));
    assert!(kinds(&op)[3..].is_empty(), "nothing written before Enter");
    typed(&mut op, "ouse lights", t("15:20"));
    assert_eq!(
        op.preview.as_deref(),
        Ok("hold · house lights"),
        "the form shows what it writes"
    );
    enter(&mut op, t("15:20"));
    // The Enter pressed again 100 ms later is a GO the guard refuses.
    enter(&mut op, t("15:20") + chrono::TimeDelta::milliseconds(100));
    assert_eq!(kinds(&op)[3..], ["hold"]);
    match &op.saved()[3].kind {
        showcall_core::journal::Kind::Hold { reason, .. } => {
            assert_eq!(reason.as_deref(), Some("house lights"))
        }
        k => panic!("not a hold: {k:?}"),
    }
    // Held 0:45 at 15:20:45: the NOW panel says so with the reason, not
    // only the header.
    let text = format!(
        "{:?}",
        screen(&op, t("15:20:45"), 120, 40).backend().buffer()
    );
    assert!(text.contains("HOLD 0:45 · house lights"), "{text}");
}

/// A third screen, read-only while pid 4242 held the journal: 4242 quit
/// and another screen (pid 5150) took the journal over. Its next try
/// finds the journal still held, by 5150 now, and its header says so.
#[test]
fn a_third_screen_names_the_new_holder_after_a_takeover() {
    use crate::operator::{JournalState, Link};
    let dir = tempfile::tempdir().unwrap();
    let follower = showcall_core::journal::Follower::new(dir.path().join("j.jsonl"));
    let mut op = Operator::new(
        showcall_core::show::Show::new(crate::testkit::agenda(), vec![]),
        Link::Reader {
            follower,
            why: "locked by pid 4242 on booth".into(),
        },
        false,
        vec![],
    );
    op.take_over = Some(Box::new(|_| {
        Err(Some("locked by pid 5150 on booth".into()))
    }));
    op.tick(t("15:05"));
    assert_eq!(
        op.journal_state(),
        JournalState::ReadOnly("locked by pid 5150 on booth".into())
    );
    assert!(op.take_over.is_some(), "it keeps trying");
}

/// Issue 19's "done when", walked on the operator: `h`, a reason, Enter at
/// 15:20; `h` at 15:23 resumes. The projected end moves by exactly the
/// 3:00 held, and the review lists the hold with its length and reason.
#[test]
fn a_three_minute_hold_with_a_reason_moves_the_end_and_is_reviewed() {
    let mut op = operator(&[("15:00", Action::Go), ("15:10", Action::Go)]);
    // On time before the hold: closing 16:20–16:30.
    assert_eq!(op.snapshot(t("15:20")).projected_end, t("16:30"));
    press(&mut op, 'h', t("15:20"));
    typed(&mut op, "fire alarm", t("15:20"));
    enter(&mut op, t("15:20"));
    press(&mut op, 'h', t("15:23"));
    assert_eq!(kinds(&op)[3..], ["hold", "resume"]);
    // The panel ends 15:43, the Q&A 15:43–16:18, the policy brief
    // 16:18–16:23, closing 16:23–16:33: 16:30 + 3:00.
    assert_eq!(op.snapshot(t("15:24")).projected_end, t("16:33"));
    let entries: Vec<_> = op.saved().to_vec();
    let r = showcall_core::report::build(&op.show.agenda, &entries, t("15:24"));
    let md = showcall_core::report::render(&r, showcall_core::report::Format::Md);
    // Held at 15:20, resumed 15:23, 3:00, during the panel (the review
    // names it by id), the reason.
    let row = md
        .lines()
        .find(|l| l.contains("fire alarm"))
        .unwrap_or_else(|| panic!("no hold row in\n{md}"));
    assert!(row.contains("| 3:00 |"), "{row}");
    assert!(
        row.contains("15:20:00") && row.contains("15:23:00"),
        "{row}"
    );
    assert!(row.ends_with("| 3:00 | panel | fire alarm |"), "{row}");
}
