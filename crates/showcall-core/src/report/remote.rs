//! The entries written for a command from outside the keyboard (HTTP, OSC:
//! the journal's `source` field), listed so the review shows where each
//! came from, with their Markdown and HTML tables. Undone entries stay in
//! the list: the review says what was sent, and the withdrawn list says
//! what was taken back.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use super::{Report, Time, when};
use crate::agenda::Agenda;
use crate::journal::{Entry, Source};
use crate::text::sanitize;

/// One entry written for a command from outside the keyboard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemoteEntry {
    /// The entry's seq in the journal.
    pub seq: u64,
    /// When it was logged, in the event's zone.
    pub at: Time,
    /// Where the command came from: `http`, `osc` (or `other`).
    pub source: String,
    /// What it recorded, in the operator screen's words (sanitised).
    pub what: String,
}

/// Every entry up to `now` with a `source` other than the keyboard, in
/// journal order; `local` puts an instant in the event's zone.
pub(super) fn remote_entries(
    agenda: &Agenda,
    entries: &[Entry],
    now: DateTime<Utc>,
    local: impl Fn(DateTime<FixedOffset>) -> Time,
) -> Vec<RemoteEntry> {
    entries
        .iter()
        .filter(|e| e.at <= now)
        .filter_map(|e| {
            let source = e.source.filter(|s| *s != Source::Key)?;
            Some(RemoteEntry {
                seq: e.seq,
                at: local(e.at),
                source: source.name().to_owned(),
                what: sanitize(&crate::status::describe(&e.kind, agenda)).into_owned(),
            })
        })
        .collect()
}

/// How a source is named in the review: `HTTP`, `OSC`, `other`.
fn label(source: &str) -> &'static str {
    Source::from_name(source).label()
}

/// The Markdown section; nothing at all when every entry was typed at the
/// keyboard (as in every journal before the field existed).
pub(super) fn markdown(o: &mut String, r: &Report) {
    if r.remote.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## From outside the keyboard\n");
    o.push_str("| Time | Seq | From | Entry |\n|---|--:|---|---|\n");
    for e in &r.remote {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            when(&r.event, &e.at),
            e.seq,
            label(&e.source),
            super::markdown::escape(&e.what)
        );
    }
}

/// The HTML section, as [`markdown`] (escaped by `escape`).
pub(super) fn html(o: &mut String, r: &Report, escape: impl Fn(&str) -> String) {
    if r.remote.is_empty() {
        return;
    }
    o.push_str("<h2>From outside the keyboard</h2>\n<table><thead><tr><th>Time</th><th>Seq</th><th>From</th><th>Entry</th></tr></thead><tbody>\n");
    for e in &r.remote {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&when(&r.event, &e.at)),
            e.seq,
            label(&e.source),
            escape(&e.what)
        );
    }
    o.push_str("</tbody></table>\n");
}
