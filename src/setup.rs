//! What every subcommand starts from: the loaded agenda (moved for a
//! rehearsal), the clock (real, a show clock, or the journal's), the
//! journal's path; and the one failure type with its exit codes. Shared by
//! the dispatch (`app`), the screens' runners and the benchmarks, so none
//! of them depends on another.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use showcall_core::agenda::Agenda;
use showcall_core::clock::{Clock, ShowClock, SystemClock, parse_at, rehearsal_shift};
use showcall_core::journal::{self, ClockRecord, JournalClock, JournalError};

use crate::cli::ShowArgs;

/// Exit code for bad input (agenda, journal, flags).
pub const EXIT_BAD_INPUT: u8 = 2;

/// A failure, and whether it was the user's input.
pub enum Fail {
    BadInput(String),
    Other(anyhow::Error),
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fail::BadInput(s) => write!(f, "{s}"),
            Fail::Other(e) => write!(f, "{}", chain_text(e)),
        }
    }
}

impl From<anyhow::Error> for Fail {
    fn from(e: anyhow::Error) -> Self {
        Fail::Other(e)
    }
}

/// An error and its causes, `context: cause: cause`, each said once: an
/// error whose message already quotes its cause (`path: Permission
/// denied (os error 13)`) is not followed by that cause again.
pub fn chain_text(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// `--speed` must be a finite number in (0, 10000].
fn check_speed(speed: Option<f64>) -> Result<(), Fail> {
    match speed {
        Some(speed) if !(speed.is_finite() && speed > 0.0 && speed <= 10_000.0) => {
            Err(Fail::BadInput(format!(
                "--speed {speed}: give how many times faster than real time the show clock \
                 runs: more than 0, at most 10000 (e.g. 10, or 0.5 for half speed)"
            )))
        }
        _ => Ok(()),
    }
}

/// Checks the flags and the agenda they name, so bad input is reported as
/// such (exit 2) before a screen asks for a terminal.
pub fn validate(args: &ShowArgs) -> Result<(), Fail> {
    check_speed(args.speed)?;
    let agenda = load_agenda(&args.agenda)?;
    if let Some(at) = &args.at {
        parse_at(at, &agenda).map_err(|e| Fail::BadInput(format!("--at {e}")))?;
    }
    Ok(())
}

/// Everything a subcommand needs to show time: the agenda (moved for a
/// rehearsal), the clock and the journal's path.
pub struct Setup {
    pub agenda_path: PathBuf,
    pub agenda: Agenda,
    pub journal: PathBuf,
    pub clock: Box<dyn Clock>,
    /// A rehearsal: its own journal, never the real one.
    pub rehearsal: bool,
    /// The clock (and agenda shift) this run writes with or reads by.
    pub record: ClockRecord,
    /// Where the clock came from, when it is not this run's own (shown to
    /// the user), e.g. "the show clock of agenda.rehearsal.journal.jsonl".
    pub adopted: Option<String>,
    /// For a writer: keep the existing journal under a stamped name and
    /// begin a new one.
    pub fresh: bool,
}

pub fn load_agenda(path: &Path) -> Result<Agenda, Fail> {
    Agenda::load(path).map_err(|d| Fail::BadInput(d.to_string()))
}

/// A rehearsal opened this long ago is over: the next rehearsal writer
/// keeps it under a stamped name and begins a new one.
const REHEARSAL_STALE: TimeDelta = TimeDelta::hours(6);

/// The clock a journal records, and the real instant its `open` entry
/// was written; None if there is no journal (or no entry) yet.
fn recorded(path: &Path) -> Option<(ClockRecord, DateTime<Utc>)> {
    // The `open` entry is the first line: a large journal is read once,
    // later, by the command itself, not here as well.
    let first = journal::read_first(path).ok()??;
    let record = journal::clock_of(std::slice::from_ref(&first));
    let opened = match record.clock {
        JournalClock::Show { wall, .. } => wall.with_timezone(&Utc),
        JournalClock::Real => first.at.with_timezone(&Utc),
    };
    Some((record, opened))
}

/// The clock a journal says it has: its `open` entry, or before it exists,
/// the `open` line its writer announced in the owner file.
pub fn journal_record(path: &Path) -> Option<ClockRecord> {
    recorded(path)
        .map(|(r, _)| r)
        .or_else(|| journal::announced(path))
}

/// The running clock of a record: the real clock, or its show clock.
fn clock_for(record: &ClockRecord) -> Box<dyn Clock> {
    match record.clock {
        JournalClock::Real => Box::new(SystemClock),
        JournalClock::Show { .. } => Box::new(ShowClock(record.clock)),
    }
}

impl Setup {
    /// For a reader (speaker, `--read-only`, `check`, `report`): the
    /// journal's own clock and agenda shift, unless `--at`/`--speed` ask to
    /// replay it at another clock.
    pub fn new(args: &ShowArgs) -> Result<Setup, Fail> {
        Setup::build(args, None)
    }

    /// For the one writer: a simulated clock writes the rehearsal journal;
    /// a rehearsal whose flags fit its journal's clock, opened less than six
    /// hours ago, is carried on with that clock; any other is kept under a
    /// stamped name and a new one begins (as with `new`).
    pub fn writer(args: &ShowArgs, new: bool) -> Result<Setup, Fail> {
        Setup::build(args, Some(new))
    }

    /// The journal the one writer opens for `args` (what [`Setup::writer`]
    /// picks), worked out without opening or moving anything.
    pub fn writer_journal(args: &ShowArgs) -> PathBuf {
        let simulated = args.at.is_some() || args.speed.is_some();
        journal_path(args, args.rehearse || simulated)
    }

    fn build(args: &ShowArgs, writer: Option<bool>) -> Result<Setup, Fail> {
        check_speed(args.speed)?;
        let base = load_agenda(&args.agenda)?;
        let real_now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 3);
        let simulated = args.at.is_some() || args.speed.is_some();
        let rehearsal_file = args.rehearse || (writer.is_some() && simulated);
        let journal = journal_path(args, rehearsal_file);
        let new = writer == Some(true);
        if new && !rehearsal_file && args.journal.is_none() {
            return Err(Fail::BadInput(
                "--new begins a new rehearsal: use it with --rehearse (or --at, --speed); \
                 the real journal is never moved aside"
                    .into(),
            ));
        }
        // Does the journal's clock fit what the flags ask for?
        let fits = |r: &ClockRecord| {
            let speed = match r.clock {
                JournalClock::Real => 1.0,
                JournalClock::Show { speed, .. } => speed,
            };
            args.at.is_none()
                && args.speed.is_none_or(|s| (s - speed).abs() < 1e-9)
                && args.rehearse == r.shift_s.is_some()
        };
        let mut fresh = new;
        let mut adopted = None;
        let found = match writer {
            Some(_) => recorded(&journal),
            None => journal_record(&journal).map(|r| (r, real_now)),
        };
        let name = path_name(&journal);
        let record = match found {
            // A reader takes the journal's clock unless told otherwise.
            Some((r, _)) if writer.is_none() => {
                if !simulated && r.clock != JournalClock::Real {
                    adopted = Some(format!("the show clock of {name}"));
                }
                Some(r)
            }
            Some((r, opened)) if !new && fits(&r) => {
                let stale = real_now - opened >= REHEARSAL_STALE;
                if rehearsal_file && args.journal.is_none() && stale {
                    fresh = true;
                    None
                } else {
                    if r.clock != JournalClock::Real {
                        adopted = Some(format!("the show clock of {name}"));
                    }
                    Some(r)
                }
            }
            // Another clock: a default rehearsal journal is kept and a new
            // one begins; any other is refused by the writer, which says why.
            Some(_) if rehearsal_file && args.journal.is_none() => {
                fresh = true;
                None
            }
            _ => None,
        };
        let shift_s = match &record {
            Some(r) => r.shift_s,
            None => args
                .rehearse
                .then(|| rehearsal_shift(&base, real_now).num_seconds()),
        };
        let agenda = match shift_s {
            Some(s) => base.shifted(TimeDelta::seconds(s)),
            None => base,
        };
        let own_clock = || own_clock(args, &agenda, real_now);
        let (record, clock) = match record {
            // A reader replaying at its own clock keeps the journal's shift.
            Some(r) if writer.is_none() && simulated => {
                let c = own_clock()?;
                (r, clock_for(&ClockRecord { clock: c, shift_s }))
            }
            Some(r) => (r, clock_for(&r)),
            None => {
                let r = ClockRecord {
                    clock: own_clock()?,
                    shift_s,
                };
                (r, clock_for(&r))
            }
        };
        Ok(Setup {
            agenda_path: args.agenda.clone(),
            agenda,
            journal,
            clock,
            rehearsal: rehearsal_file || record.is_rehearsal(),
            record,
            adopted,
            fresh,
        })
    }

    /// The journal's entries for a reader: none if it does not exist yet.
    pub fn read_entries(&self) -> Result<Vec<showcall_core::journal::Entry>, Fail> {
        match journal::read(&self.journal) {
            Ok(r) => Ok(r.entries),
            Err(JournalError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Ok(Vec::new())
            }
            Err(e) => Err(Fail::BadInput(e.to_string())),
        }
    }
}

/// The journal a command reads or writes: `--journal`, else the agenda's
/// rehearsal or real journal beside it.
fn journal_path(args: &ShowArgs, rehearsal_file: bool) -> PathBuf {
    match &args.journal {
        Some(p) => p.clone(),
        None if rehearsal_file => journal::rehearsal_path(&args.agenda),
        None => journal::default_path(&args.agenda),
    }
}

/// A path's file name, for notes (the whole path when it has none).
fn path_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The clock the flags ask for: real, or a show clock from `--at` (else
/// now) running at `--speed` (else 1). Errors: `--at` unreadable.
fn own_clock(
    args: &ShowArgs,
    agenda: &Agenda,
    real_now: DateTime<Utc>,
) -> Result<JournalClock, Fail> {
    if args.at.is_none() && args.speed.is_none() {
        return Ok(JournalClock::Real);
    }
    let origin = match &args.at {
        Some(at) => parse_at(at, agenda).map_err(|e| Fail::BadInput(format!("--at {e}")))?,
        None => real_now,
    };
    let tz = agenda.event.tz;
    Ok(JournalClock::Show {
        wall: real_now.fixed_offset(),
        show: chrono::SubsecRound::trunc_subsecs(origin, 3)
            .with_timezone(&tz)
            .fixed_offset(),
        speed: args.speed.unwrap_or(1.0),
    })
}

/// Writes `text` to standard output. A reader that went away (`| head`)
/// is not an error: the rest is not wanted. Anything else is.
pub fn out(text: &str) -> Result<(), Fail> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Fail::Other(anyhow::anyhow!(
            "writing to standard output: {e}"
        ))),
        _ => Ok(()),
    }
}

/// Writes one line to standard error, for the user. Never fails and never
/// panics (as `eprintln!` does when the write fails): after a hang-up the
/// terminal is gone, and the exit path that prints must still finish its
/// work (a fallback, the process's exit).
pub fn note(line: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = err
        .write_all(line.as_bytes())
        .and_then(|()| err.write_all(b"\n"))
        .and_then(|()| err.flush());
}

/// The one shape of an error message on standard error: `showcall: …`,
/// unless the message begins at a place in a file (`PATH:LINE:COL: …`, as
/// ripgrep and compilers put it), which already says where it comes from.
pub fn error_text(msg: &str) -> String {
    if msg.starts_with("showcall:") || located(msg) {
        msg.to_owned()
    } else {
        format!("showcall: {msg}")
    }
}

/// Whether the first line begins `PATH:LINE:COL: ` (a path that is not a
/// flag, then two numbers).
fn located(msg: &str) -> bool {
    let first = msg.lines().next().unwrap_or("");
    let Some(end) = first.find(": ") else {
        return false;
    };
    let mut parts = first[..end].rsplitn(3, ':');
    let (Some(col), Some(line), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    number(col) && number(line) && !path.is_empty() && !path.starts_with('-')
}

#[cfg(test)]
mod tests {
    #[test]
    fn error_messages_begin_with_the_program_or_a_location() {
        use super::error_text;
        // A located diagnostic keeps its place first.
        let located = "agenda.toml:3:7: `start` must be a time\n  |";
        assert_eq!(error_text(located), located);
        // A path alone, a flag, a plain sentence: the program's name first.
        assert_eq!(
            error_text("j.jsonl: Permission denied (os error 13)"),
            "showcall: j.jsonl: Permission denied (os error 13)"
        );
        assert_eq!(
            error_text("--at 1:25:00: not a time"),
            "showcall: --at 1:25:00: not a time"
        );
        assert_eq!(error_text("x:1: y"), "showcall: x:1: y");
        // Never twice.
        assert_eq!(error_text("showcall: gone"), "showcall: gone");
    }

    #[test]
    fn each_cause_is_said_once() {
        let io = std::io::Error::from_raw_os_error(13);
        let text = io.to_string(); // "Permission denied (os error 13)"
        // A message that quotes its cause, and has it as its source too.
        #[derive(Debug, thiserror::Error)]
        #[error("journal.jsonl: {0}")]
        struct Quoting(#[source] std::io::Error);
        let e = anyhow::Error::new(Quoting(io)).context("opening the journal");
        assert_eq!(
            super::chain_text(&e),
            format!("opening the journal: journal.jsonl: {text}")
        );
        let plain = anyhow::anyhow!("inner").context("outer");
        assert_eq!(super::chain_text(&plain), "outer: inner");
    }
}
