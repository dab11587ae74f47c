//! Most integration tests, in one binary (as ripgrep keeps them): one link
//! instead of two dozen. Each file beside this one is a module here, named
//! as before; `tests/layout.rs` checks that none is left out.
//!
//! Five stay binaries of their own: `fuzz`, `journal_kill` and
//! `import_props`, whose long runs have commands of their own (README), the
//! browser tests `serve_browser`, and `journal_clock`, whose lock tests must
//! not share a process with tests that spawn children (a child holds the
//! parent's open files from fork to exec, and with them its locks).

/// The real binary in a pseudo-terminal, shared by the end-to-end tests.
#[path = "support/pty.rs"]
mod pty;

mod agenda;
mod agenda_cli;
mod agenda_fixtures;
mod clock_e2e;
mod control_e2e;
mod cues_e2e;
mod e2e;
mod engine;
mod exit_paths;
mod hardening;
mod hostile;
mod import;
mod import_formats;
mod import_lines;
mod import_sheets;
mod journal_files;
mod journal_format;
mod layout;
mod paste;
mod reload_e2e;
mod report;
mod report_clock;
mod report_order;
mod report_review;
mod speaker_e2e;
mod strays;
mod timeline;
