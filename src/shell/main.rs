//! The `showcall` binary: parse the command line, dispatch, print errors,
//! return an exit code. The work is in the library (headless core) and in
//! the terminal shell below (this folder: everything that touches a
//! terminal, a real clock or the process).

mod agenda_file;
mod app;
mod bench;
mod cli;
mod convert;
mod operator;
mod paint;
mod rescue;
mod setup;
mod speaker;
#[cfg(test)]
mod testkit;
mod tui;
mod ui;
mod wake;

fn main() -> std::process::ExitCode {
    app::main()
}
