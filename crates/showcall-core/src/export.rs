//! `showcall export`: an agenda's running order as a CSV in the columns
//! `showcall import` reads, so a crew can edit it in a spreadsheet and
//! import it back with the same ids.
//!
//! Reads a validated [`Agenda`]; owns nothing but the column layout. Cells
//! pass the report's formula guard, which the importer undoes.

use crate::agenda::Agenda;
use crate::report::csv::{finish, text_cell, writer};
use crate::text::human_duration;

/// The export's columns, in order. `date` and `start` are wall-clock in the
/// event's zone (`timezone`, the same on every row); `duration` is elapsed
/// time (`45m`, `1h30m`); `speakers` and `moderators` are joined with `; `
/// (`moderators` last, so the earlier columns keep their places).
pub const COLUMNS: [&str; 9] = [
    "id",
    "date",
    "start",
    "duration",
    "title",
    "speakers",
    "notes",
    "timezone",
    "moderators",
];

/// The running order as CSV text, CRLF line ends, one row per session.
pub fn agenda_csv(agenda: &Agenda) -> String {
    let tz = agenda.event.tz;
    let mut w = writer();
    let _ = w.write_record(COLUMNS);
    for s in &agenda.sessions {
        let local = s.start.with_timezone(&tz);
        let start = if chrono::Timelike::second(&local) == 0 {
            local.format("%H:%M").to_string()
        } else {
            local.format("%H:%M:%S").to_string()
        };
        let notes = s
            .notes
            .as_deref()
            .map(|n| n.replace('\t', " "))
            .unwrap_or_default();
        let record = [
            text_cell(&s.id),
            local.format("%Y-%m-%d").to_string(),
            start,
            human_duration(s.end - s.start),
            text_cell(&s.title),
            text_cell(&s.speakers.join("; ")),
            // Notes keep their line breaks: the csv writer quotes them.
            notes
                .split('\n')
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        text_cell(l)
                    } else {
                        crate::text::sanitize(l).into_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            tz.name().to_string(),
            text_cell(&s.moderators.join("; ")),
        ];
        let _ = w.write_record(record);
    }
    finish(w)
}
