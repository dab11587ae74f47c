//! The cues out that failed (the journal's `cue_failed` entries), listed
//! so the organisers see which chime, light or scene change did not reach
//! its system, when, and why, with their Markdown and HTML tables.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use super::{Report, Time, when};
use crate::agenda::Agenda;
use crate::journal::{Entry, Kind};
use crate::text::sanitize;

/// One cue out that could not be sent, or was answered with an error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CueFailureReport {
    /// The `cue_failed` entry's seq in the journal.
    pub seq: u64,
    /// When it was logged, in the event's zone.
    pub at: Time,
    /// The cue's name as the agenda gives it (or its `on` and place).
    pub cue: String,
    /// The event it fired on: `start`, `warn`, `final`, `over`, `end`,
    /// `hold`, `resume` or `message`.
    pub on: String,
    /// The session's title (the id when the agenda no longer has it),
    /// if the cue fired for one.
    pub session: Option<String>,
    /// Where it was sent.
    pub target: String,
    /// Why it failed, in short.
    pub error: String,
}

/// Every `cue_failed` entry up to `now`, in journal order, its text
/// sanitised; `local` puts an instant in the event's zone.
pub(super) fn cue_failures(
    agenda: &Agenda,
    entries: &[Entry],
    now: DateTime<Utc>,
    local: impl Fn(DateTime<FixedOffset>) -> Time,
) -> Vec<CueFailureReport> {
    entries
        .iter()
        .filter(|e| e.at <= now)
        .filter_map(|e| match &e.kind {
            Kind::CueFailed {
                cue,
                on,
                session,
                target,
                error,
            } => Some(CueFailureReport {
                seq: e.seq,
                at: local(e.at),
                cue: sanitize(cue).into_owned(),
                on: sanitize(on).into_owned(),
                session: session.as_deref().map(|id| {
                    let title = agenda.session(id).map_or(id, |s| s.title.as_str());
                    sanitize(title).into_owned()
                }),
                target: sanitize(target).into_owned(),
                error: sanitize(error).into_owned(),
            }),
            _ => None,
        })
        .collect()
}

/// The Markdown section; nothing at all when every cue went out (or the
/// agenda has none).
pub(super) fn markdown(o: &mut String, r: &Report) {
    if r.cue_failures.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## Cues that failed\n");
    o.push_str(
        "| Time | Seq | Cue | On | Session | Sent to | Why |\n|---|--:|---|---|---|---|---|\n",
    );
    let esc = super::markdown::escape;
    for c in &r.cue_failures {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            when(&r.event, &c.at),
            c.seq,
            esc(&c.cue),
            esc(&c.on),
            c.session.as_deref().map_or_else(|| "—".to_owned(), esc),
            esc(&c.target),
            esc(&c.error)
        );
    }
}

/// The HTML section, as [`markdown`] (escaped by `escape`).
pub(super) fn html(o: &mut String, r: &Report, escape: impl Fn(&str) -> String) {
    if r.cue_failures.is_empty() {
        return;
    }
    o.push_str(
        "<h2>Cues that failed</h2>\n<table><thead><tr><th>Time</th><th>Seq</th><th>Cue</th>\
         <th>On</th><th>Session</th><th>Sent to</th><th>Why</th></tr></thead><tbody>\n",
    );
    for c in &r.cue_failures {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td></tr>",
            escape(&when(&r.event, &c.at)),
            c.seq,
            escape(&c.cue),
            escape(&c.on),
            escape(c.session.as_deref().unwrap_or("—")),
            escape(&c.target),
            escape(&c.error)
        );
    }
    o.push_str("</tbody></table>\n");
}
