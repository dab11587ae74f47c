//! Shared fixtures for the binary's unit tests: instants on the reference
//! event's day, and its agenda.

use chrono::{DateTime, FixedOffset, Utc};
use showcall::agenda::Agenda;

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
    Agenda::parse(include_bytes!("../../agenda.toml"), "agenda.toml").expect("agenda.toml is valid")
}
