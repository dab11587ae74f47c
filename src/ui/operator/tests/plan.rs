//! `p` before a hard end of 16:30 with the panel started 2 minutes late
//! (issue 19). The reference event: welcome 15:00–15:10, panel
//! 15:10–15:40, qa 15:40–16:15, policy-brief 16:15–16:20 (soft), closing
//! 16:20–16:30 (soft). GO at 15:00 and 15:12: the panel 15:12–15:42, qa
//! 15:42–16:17, policy-brief 16:17–16:22, closing 16:22–16:32: 2:00 over.

use showcall_core::journal::Kind;
use showcall_core::show::Action;

use super::{operator_with, press, t};
use crate::operator::{Confirm, Mode, Operator};

/// The reference event with a hard end at 16:30; `min_qa` is the Q&A's
/// `min_duration`, if any.
fn agenda(min_qa: Option<&str>) -> showcall_core::agenda::Agenda {
    let mut text = include_str!("../../../../agenda.toml")
        .replace("# must_end_by = \"16:45\"", "must_end_by = \"16:30\"");
    if let Some(m) = min_qa {
        text = text.replace(
            "intervention = \"3m\"",
            &format!("intervention = \"3m\"\nmin_duration = \"{m}\""),
        );
    }
    showcall_core::agenda::Agenda::parse(text.as_bytes(), "agenda.toml").unwrap()
}

/// The preview's lines after `p`.
fn preview(op: &mut Operator, now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    press(op, 'p', now);
    match &op.mode {
        Mode::Confirm(Confirm::Plan { lines, .. }) => lines.clone(),
        m => panic!("no plan shown: {m:?}"),
    }
}

#[test]
fn a_shrunk_qa_is_followed_where_the_next_session_really_starts() {
    let mut op = operator_with(
        agenda(Some("20m")),
        &[("15:00", Action::Go), ("15:12", Action::Go)],
    );
    let now = t("15:15");
    // The Q&A gives up 2:00 (not 15:00): it ends 16:15, so the policy
    // brief starts at its own planned 16:15 and the room is never idle.
    let lines = preview(&mut op, now);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("to 33:00 (saves 2:00)"), "{}", lines[0]);
    assert!(
        lines[0].ends_with("; then 'Overview of Policy Brief \"Mapping the Landscape of the Smuggling of Migrants: An Overview of Key Concepts, Trends, Challenges and Areas for Action\"' starts 16:15"),
        "{}",
        lines[0]
    );
    press(&mut op, 'y', now);
    assert_eq!(
        op.saved().last().unwrap().kind,
        Kind::Adjust {
            session: "qa".into(),
            delta_s: -120,
            note: Some("to end by 16:30".into())
        }
    );
    // The show then ends at the hard end, not before: closing 16:20–16:30.
    let s = op.snapshot(now);
    assert_eq!(s.overshoot, None);
    assert_eq!(s.projected_end, t("16:30"));
    assert_eq!(s.row(3).start, t("16:15"));
}

#[test]
fn a_cut_that_leaves_the_room_idle_says_so_and_what_to_do() {
    // No min_duration: nothing may shrink, so the plan cuts the shortest
    // session whose cut meets 16:30, the policy brief (5:00). The Q&A
    // then ends 16:17, and closing, soft, keeps its planned 16:20: the
    // room is idle 16:17–16:20, 3:00, where it is not idle now.
    let mut op = operator_with(
        agenda(None),
        &[("15:00", Action::Go), ("15:12", Action::Go)],
    );
    let now = t("15:15");
    let o = op.snapshot(now).overshoot.expect("2:00 over");
    assert_eq!(o.idle.len(), 1);
    assert_eq!(
        (o.idle[0].before, o.idle[0].from, o.idle[0].start),
        (4, t("16:17"), t("16:20"))
    );
    let lines = preview(&mut op, now);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].ends_with("; then 'Closing Remarks' starts 16:20"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "the room is idle 3:00 before 'Closing Remarks' at 16:20: GO starts it earlier when the room is ready"
    );
    // Confirmed as shown: the cut is written; closing still at 16:20,
    // the show ends at the hard end.
    press(&mut op, 'y', now);
    let s = op.snapshot(now);
    assert_eq!(s.projected_end, t("16:30"));
    assert_eq!(s.row(4).start, t("16:20"));
}
