//! The parts of the review an organiser acts on afterwards: action points,
//! holds, each day's hard end, and which session was live when an entry
//! was written. Built from the fold's effective entries and the timeline;
//! [`actions_text`] writes the action points alone, for minutes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{ActionReport, HardEndReport, HoldReport, Report, Time};
use crate::agenda::Agenda;
use crate::journal::{Entry, Kind};
use crate::show::{RowState, Snapshot};
use crate::text::sanitize;

fn clean(s: &str) -> String {
    sanitize(s).into_owned()
}

/// The session live when each message, action point and hold was written,
/// by seq: the last `start` before it, unless an `end` came after that
/// start. Only those kinds are kept, so a long journal costs little.
pub(super) fn live_by_seq(effective: &[&Entry]) -> HashMap<u64, String> {
    let mut live: Option<&str> = None;
    let mut out = HashMap::new();
    for e in effective {
        match &e.kind {
            Kind::Start { session } => live = Some(session),
            Kind::End { .. } => live = None,
            _ => {}
        }
        let wanted = matches!(
            e.kind,
            Kind::Message { .. } | Kind::Action { .. } | Kind::Hold { .. }
        );
        if let (true, Some(id)) = (wanted, live) {
            out.insert(e.seq, id.to_owned());
        }
    }
    out
}

/// Every action point: its session is the entry's, else the one live when
/// it was written.
pub(super) fn actions(
    agenda: &Agenda,
    effective: &[&Entry],
    live: &HashMap<u64, String>,
    local: impl Fn(DateTime<Utc>) -> Time,
) -> Vec<ActionReport> {
    effective
        .iter()
        .filter_map(|e| match &e.kind {
            Kind::Action {
                text,
                who,
                by,
                session,
            } => {
                let session = session.clone().or_else(|| live.get(&e.seq).cloned());
                let session_title = session.as_deref().and_then(|id| {
                    agenda
                        .sessions
                        .iter()
                        .find(|s| s.id == id)
                        .map(|s| clean(&s.title))
                });
                Some(ActionReport {
                    seq: e.seq,
                    at: local(e.at.with_timezone(&Utc)),
                    session: session.as_deref().map(clean),
                    session_title,
                    text: clean(text),
                    who: who.as_deref().map(clean).filter(|w| !w.trim().is_empty()),
                    by: by.as_deref().map(clean).filter(|b| !b.trim().is_empty()),
                })
            }
            _ => None,
        })
        .collect()
}

/// Every hold: a `hold` opens one (a second `hold` while held is part of
/// the same), the next `resume` closes it; one still open at `now` runs up
/// to `now`. Its session is the entry's, else the one live then.
pub(super) fn holds(
    effective: &[&Entry],
    live: &HashMap<u64, String>,
    now: DateTime<Utc>,
    local: impl Fn(DateTime<Utc>) -> Time,
) -> Vec<HoldReport> {
    /// A hold not yet resumed: its seq, start, session and reason.
    type Open = (u64, DateTime<Utc>, Option<String>, Option<String>);
    let mut out: Vec<HoldReport> = Vec::new();
    let mut open: Option<Open> = None;
    let close = |(seq, start, session, reason): Open, end: Option<DateTime<Utc>>| HoldReport {
        seq,
        session: session.as_deref().map(clean),
        start: local(start),
        end: end.map(&local),
        held_s: end.unwrap_or(now).timestamp() - start.timestamp(),
        reason: reason
            .as_deref()
            .map(clean)
            .filter(|r| !r.trim().is_empty()),
    };
    for e in effective {
        let at = e.at.with_timezone(&Utc);
        match &e.kind {
            Kind::Hold { session, reason } if open.is_none() => {
                let session = session.clone().or_else(|| live.get(&e.seq).cloned());
                open = Some((e.seq, at, session, reason.clone()));
            }
            Kind::Resume { .. } => {
                if let Some(h) = open.take() {
                    out.push(close(h, Some(at)));
                }
            }
            _ => {}
        }
    }
    if let Some(h) = open.take() {
        out.push(close(h, None));
    }
    out
}

/// Each day's hard end against the end of that day's last session (its
/// actual end, else the timeline's projection). Cut and missed sessions
/// do not count, as on the screens.
pub(super) fn hard_ends(
    agenda: &Agenda,
    snap: &Snapshot,
    local: impl Fn(DateTime<Utc>) -> Time,
) -> Vec<HardEndReport> {
    let tz = agenda.event.tz;
    agenda
        .event
        .must_end_by
        .iter()
        .filter_map(|h| {
            let rows: Vec<_> = snap
                .rows
                .iter()
                .filter(|r| !matches!(r.state, RowState::Cut | RowState::Missed))
                .filter(|r| r.planned_start.with_timezone(&tz).date_naive() == h.date)
                .collect();
            let end = rows.iter().map(|r| r.end).max()?;
            let past_s = end.timestamp() - h.at.timestamp();
            Some(HardEndReport {
                date: h.date,
                must_end_by: local(h.at),
                end: local(end),
                projected: rows.iter().any(|r| !r.ended),
                past_s,
                met: past_s <= 0,
            })
        })
        .collect()
}

/// The action points alone, for minutes: one line each, `- what — who, by
/// when (session title, HH:MM)`.
pub(super) fn actions_text(r: &Report) -> String {
    let mut o = format!(
        "Action points: {} ({})\n\n",
        clean(&r.event.title),
        r.event.date.format("%Y-%m-%d")
    );
    if r.actions.is_empty() {
        o.push_str("No action points.\n");
        return o;
    }
    for a in &r.actions {
        let what = crate::status::action_words(&a.text, a.who.as_deref(), a.by.as_deref());
        let place = match &a.session_title {
            Some(t) => format!("{t}, {}", super::when(&r.event, &a.at)),
            None => super::when(&r.event, &a.at),
        };
        o.push_str(&format!("- {what} ({place})\n"));
    }
    o
}
