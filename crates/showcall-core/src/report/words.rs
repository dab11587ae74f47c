//! The review's small phrases, shared by its writers: an entry in one
//! line, a signed difference in words, the title, and a time as a reader
//! needs it (with its date and offset when the event spans days).

use crate::journal::Kind;
use crate::text::signed_hms;

use super::{EventSummary, Time};

/// A one-line summary of an entry's content, for entries listed as strays.
pub(super) fn summarize(kind: &Kind) -> String {
    match kind {
        Kind::Start { .. } => "start".to_owned(),
        Kind::End { .. } => "end".to_owned(),
        Kind::Overrun { over_s, note, .. } => format!("overrun {}: {note}", signed_hms(*over_s)),
        Kind::Speaker {
            change,
            from,
            to,
            note,
            ..
        } => {
            crate::status::speaker_change(*change, from.as_deref(), to.as_deref(), note.as_deref())
        }
        Kind::Adjust { delta_s, note, .. } => match note {
            Some(n) => format!("adjust {} ({n})", signed_hms(*delta_s)),
            None => format!("adjust {}", signed_hms(*delta_s)),
        },
        Kind::Floor { speaker, .. } => match speaker {
            Some(s) => format!("floor to {s}"),
            None => "floor".to_owned(),
        },
        Kind::FloorClose { .. } => "floor closed".to_owned(),
        Kind::FloorName { speaker, .. } => format!("floor named {speaker}"),
        Kind::Note { text, .. } | Kind::Message { text } => text.clone(),
        Kind::Skip { note, .. } => format!("cut: {note}"),
        Kind::Agenda(c) => format!("agenda reloaded: {}", c.summary()),
        Kind::Action { text, who, by, .. } => {
            crate::status::action_words(text, who.as_deref(), by.as_deref())
        }
        Kind::Hold { reason, .. } => format!("hold: {}", reason.as_deref().unwrap_or("")),
        Kind::StartFix { start, .. } => format!("start fixed to {}", start.format("%H:%M:%S")),
        Kind::Resume { .. } => "resume".to_owned(),
        Kind::ClockStep { step_s, .. } => crate::status::clock_step_words(*step_s),
        Kind::CueFailed { cue, on, error, .. } => crate::status::cue_failed_words(cue, on, error),
        Kind::Open { .. } | Kind::Undo { .. } | Kind::Unknown { .. } => kind.name().to_owned(),
    }
}

/// `+4:30 over`, `2:00 under`, `on time`: a signed difference in words, so
/// the sign never carries the meaning alone.
pub(crate) fn over_words(s: i64, over: &str, under: &str) -> String {
    match s.signum() {
        1 => format!("{} {over}", signed_hms(s)),
        -1 => format!("{} {under}", signed_hms(s)),
        _ => "on time".to_owned(),
    }
}

/// "Timing review", or "Rehearsal timing review" for a rehearsal's.
pub(crate) fn title_words(e: &EventSummary) -> &'static str {
    if e.rehearsal {
        "Rehearsal timing review"
    } else {
        "Timing review"
    }
}

/// `HH:MM:SS` of a report time (already in the event's zone).
pub(crate) fn hms_of(t: &Time) -> String {
    t.format("%H:%M:%S").to_string()
}

/// The planned end in words: `16:35:00`, or `16:35:00 (16:30:00 as the
/// show opened)` when an agenda change moved it.
pub(crate) fn planned_end_words(e: &EventSummary) -> String {
    match &e.opening_planned_end {
        Some(o) => format!(
            "{} ({} as the show opened)",
            when(e, &e.planned_end),
            when(e, o)
        ),
        None => when(e, &e.planned_end),
    }
}

/// A report time as a reader needs it: `HH:MM:SS` for a one-day event;
/// with its date and offset, `Sat 28 Oct 22:00:00 (UTC+02:00)`, when the
/// event spans days, so a time can never be read on the wrong day or
/// with the wrong offset across a clock change.
pub(crate) fn when(e: &EventSummary, t: &Time) -> String {
    if e.multi_day {
        let off = t.offset().local_minus_utc();
        let sign = if off < 0 { '-' } else { '+' };
        let off = off.abs();
        format!(
            "{} (UTC{sign}{:02}:{:02})",
            t.format("%a %d %b %H:%M:%S"),
            off / 3600,
            off % 3600 / 60
        )
    } else {
        hms_of(t)
    }
}
