//! Shared fixtures for the binary's unit tests: instants on the reference
//! event's day, and its agenda.

use chrono::{DateTime, FixedOffset, Utc};
use showcall_core::agenda::Agenda;

/// `HH:MM` or `HH:MM:SS` on 22 June 2023 in Geneva (CEST, UTC+02:00).
pub fn at(hms: &str) -> DateTime<FixedOffset> {
    let hms = if hms.len() == 5 {
        format!("{hms}:00")
    } else {
        hms.to_string()
    };
    DateTime::parse_from_rfc3339(&format!("2023-06-22T{hms}+02:00")).expect("a test time")
}

/// [`at`] in UTC, as the engine and the views take it.
pub fn utc(hms: &str) -> DateTime<Utc> {
    at(hms).with_timezone(&Utc)
}

/// The project's reference agenda.
pub fn agenda() -> Agenda {
    Agenda::parse(include_bytes!("../agenda.toml"), "agenda.toml").expect("agenda.toml is valid")
}

/// A screen's rows as text, as a terminal shows them: the cell after a
/// wide character is skipped, so `contains` checks see each character
/// once.
pub fn screen_rows(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            let mut row = String::new();
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = showcall_core::text::width(sym).saturating_sub(1);
                row.push_str(sym);
            }
            row
        })
        .collect()
}
