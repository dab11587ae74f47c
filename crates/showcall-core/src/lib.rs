//! showcall-core: the headless core of showcall, the program a stage
//! manager keeps open to call the show.
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
//!                    present (speaker face, words) ─▶ ui (operator, speaker) · report (md/csv/json/svg)
//!
//!  schedule.xml/.json/.ics/.csv/.xlsx ──import──▶ agenda.toml ──export──▶ running-order CSV
//! ```
//!
//! Everything in this crate is headless: no terminal, no real clock, and no
//! terminal library in its dependency tree (the compiler keeps that
//! boundary). The terminal shell is the `showcall` crate at the workspace
//! root (`src/`), which re-exports these modules under the same names.

pub mod agenda;
pub mod clock;
pub mod diag;
pub mod export;
pub mod import;
pub mod journal;
pub mod present;
pub mod report;
pub mod show;
pub mod status;
pub mod text;
