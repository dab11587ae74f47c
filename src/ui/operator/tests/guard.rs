//! One engine step per action, and the double-GO guard: a GO within the
//! guard time (the reference agenda sets none, so the default, 500 ms) of
//! the last start or form save is refused and said in the foot line.

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use showcall_core::journal::Kind;
use showcall_core::show::{Action, decisions_on_this_thread};

use super::{operator, press, t};
use crate::operator::Operator;

fn ms(at: &str, ms: i64) -> DateTime<Utc> {
    t(at) + TimeDelta::milliseconds(ms)
}

fn starts(op: &Operator) -> Vec<String> {
    op.saved()
        .iter()
        .filter_map(|e| match &e.kind {
            Kind::Start { session } => Some(session.clone()),
            _ => None,
        })
        .collect()
}

fn toast(op: &Operator) -> String {
    op.toast
        .as_ref()
        .map(|t| t.text.clone())
        .unwrap_or_default()
}

fn enter(op: &mut Operator, now: DateTime<Utc>) {
    op.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), now);
}

#[test]
fn one_go_is_decided_once() {
    let mut op = operator(&[("15:00", Action::Go)]);
    let before = decisions_on_this_thread();
    press(&mut op, ' ', t("15:10"));
    assert_eq!(decisions_on_this_thread() - before, 1);
    assert_eq!(starts(&op), ["welcome", "panel"]);
    // A refused GO is decided once too: nothing after it asks again.
    let before = decisions_on_this_thread();
    press(&mut op, ' ', ms("15:10", 100));
    assert_eq!(decisions_on_this_thread() - before, 1);
}

#[test]
fn space_space_100_ms_apart_starts_one_session() {
    let mut op = operator(&[("15:00", Action::Go)]);
    press(&mut op, ' ', t("15:10"));
    press(&mut op, ' ', ms("15:10", 100));
    // welcome at 15:00, panel at 15:10; the second press 0.1 s later is
    // inside the 0.5 s guard.
    assert_eq!(starts(&op), ["welcome", "panel"]);
    assert_eq!(toast(&op), "GO ignored: 0.1 s after the last");
    // 0.5 s after the start the guard is over: a deliberate GO goes.
    press(&mut op, ' ', ms("15:10", 500));
    assert_eq!(starts(&op), ["welcome", "panel", "qa"]);
}

#[test]
fn the_enter_that_saves_a_note_does_not_also_go() {
    let mut op = operator(&[("15:00", Action::Go)]);
    press(&mut op, 'n', t("15:05"));
    for c in "mic 2 dead".chars() {
        press(&mut op, c, t("15:05"));
    }
    enter(&mut op, t("15:05:10"));
    enter(&mut op, ms("15:05:10", 40));
    let kinds: Vec<&str> = op.saved().iter().map(|e| e.kind.name()).collect();
    assert_eq!(kinds, ["open", "start", "note"]);
    assert_eq!(toast(&op), "GO ignored: 40 ms after the last");
}

#[test]
fn a_guard_of_zero_turns_it_off() {
    let mut op = operator(&[("15:00", Action::Go)]);
    op.show.set_go_guard(Some(TimeDelta::zero()));
    press(&mut op, ' ', t("15:10"));
    press(&mut op, ' ', ms("15:10", 2));
    assert_eq!(starts(&op), ["welcome", "panel", "qa"]);
}
