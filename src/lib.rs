//! showcall's terminal shell: everything that touches a terminal, a real
//! clock or the process (the operator and speaker screens, the event loop,
//! the command line). The headless work — agenda, journal, the engine,
//! reports, import and export — is the `showcall-core` crate
//! (`crates/showcall-core/`), which cannot depend on a terminal library: the
//! compiler keeps that boundary. Its modules are re-exported here under the
//! same names, so `showcall::agenda` and `showcall_core::agenda` are one
//! module.
//!
//! The binary (`src/main.rs`) calls [`main`].

pub use showcall_core::{
    agenda, clock, diag, export, import, journal, present, report, show, status, text,
};

mod agenda_file;
mod app;
pub mod bench;
mod cli;
mod convert;
mod cues;
mod operator;
mod paint;
mod paste;
mod rescue;
mod setup;
mod speaker;
#[cfg(test)]
mod testkit;
mod tui;
mod ui;
mod wake;

pub use app::main;
