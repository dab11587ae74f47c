//! showcall: call the show from a terminal.
//!
//! How data flows:
//!
//! ```text
//!  agenda.toml ──agenda::Agenda::load──▶ Agenda (times resolved to UTC in the event's zone)
//!                                          │
//!  *.journal.jsonl ◀──journal::Writer──  Kind (what the operator did, from show::decide)
//!        │                                 │
//!        └──journal::read / Follower──▶ [Entry] ──show::Show::fold──▶ Show
//!                                                                     │ snapshot(now)
//!                                                                     ▼
//!                                     ui (operator, speaker) · report (md/csv/json/svg)
//!
//!  schedule.xml/.json/.ics/.csv/.xlsx ──import──▶ agenda.toml ──export──▶ running-order CSV
//! ```
//!
//! Everything in this library is headless: no terminal, no real clock. The
//! terminal shell lives in the binary, under `src/shell/` (root `src/shell/main.rs`).

pub mod agenda;
pub mod clock;
pub mod diag;
pub mod export;
pub mod import;
pub mod journal;
pub mod report;
pub mod show;
pub mod status;
pub mod text;
