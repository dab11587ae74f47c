//! The floor timer: `t` starts the intervention's clock at the keypress
//! and the name follows in its own entry, however long it takes to type;
//! an unnamed speaker is `speaker N` on the screen, in the journal pane and
//! in the report. The reference agenda's Q&A (15:40–16:15) has 3-minute
//! interventions.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use showcall_core::journal::Kind;
use showcall_core::show::Action;

use super::{operator, press, rows, screen, t};
use crate::operator::Mode;

fn typed(op: &mut crate::operator::Operator, text: &str, now: chrono::DateTime<chrono::Utc>) {
    for c in text.chars() {
        press(op, c, now);
    }
}

#[test]
fn the_slot_starts_at_the_keypress_and_the_name_follows() {
    let mut op = operator(&[
        ("15:00", Action::Go),
        ("15:10", Action::Go),
        ("15:40", Action::Go),
    ]);
    // `t` at 15:45:00: the floor entry is written at once, unnamed.
    press(&mut op, 't', t("15:45"));
    let floor = op.saved().last().unwrap().clone();
    assert_eq!(
        floor.kind,
        Kind::Floor {
            session: "qa".into(),
            speaker: None
        }
    );
    assert_eq!(floor.at.with_timezone(&chrono::Utc), t("15:45"));
    assert!(matches!(op.mode, Mode::Form(_)), "the name form is open");
    // Typing "Delegate of Mexico" takes 20 s: the slot is already running.
    typed(&mut op, "Delegate of Mexico", t("15:45:20"));
    let snap = op.snapshot(t("15:45:20"));
    let live = snap.live().unwrap();
    let f = live.floor.as_ref().unwrap();
    // 3:00 slot, 0:20 gone since the keypress: 2:40 left.
    assert_eq!(f.remaining.unwrap().num_seconds(), 160);
    assert_eq!(f.speaker, None, "not named until Enter");
    op.on_key(
        KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        t("15:45:21"),
    );
    let named = op.saved().last().unwrap().clone();
    assert_eq!(
        named.kind,
        Kind::FloorName {
            session: "qa".into(),
            floor: floor.seq,
            speaker: "Delegate of Mexico".into()
        }
    );
    // The clock did not restart: still counted from 15:45:00.
    let snap = op.snapshot(t("15:46"));
    let f = snap.live().unwrap().floor.clone().unwrap();
    assert_eq!(f.remaining.unwrap().num_seconds(), 120);
    assert_eq!(f.since, t("15:45"));
    assert_eq!(f.speaker.as_deref(), Some("Delegate of Mexico"));
    let text = rows(&screen(&op, t("15:46"), 120, 40)).join("\n");
    assert!(text.contains("floor #1: Delegate of Mexico"), "{text}");
    assert!(text.contains("floor named · Delegate of Mexico"), "{text}");
}

#[test]
fn an_unnamed_speaker_has_one_name_everywhere() {
    let mut op = operator(&[
        ("15:00", Action::Go),
        ("15:10", Action::Go),
        ("15:40", Action::Go),
    ]);
    press(&mut op, 't', t("15:41"));
    op.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), t("15:41"));
    press(&mut op, 't', t("15:44"));
    op.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), t("15:44"));
    // Second intervention: "speaker 2" in NOW and in the journal pane.
    let term = screen(&op, t("15:45"), 120, 40);
    insta::assert_snapshot!("floor_unnamed_120x40", term.backend());
    let text = rows(&term).join("\n");
    assert!(text.contains("floor #2: speaker 2"), "{text}");
    assert!(text.contains("floor · speaker 1 · Interventions"), "{text}");
    assert!(text.contains("floor · speaker 2 · Interventions"), "{text}");
    assert!(!text.contains("next speaker"), "{text}");
    // And in the report, from the same journal.
    let entries = op.saved().to_vec();
    let r = showcall_core::report::build(&op.show.agenda, &entries, t("15:45"));
    let labels: Vec<_> = r.interventions.iter().map(|i| i.label.clone()).collect();
    assert_eq!(labels, ["speaker 1", "speaker 2"]);
}
