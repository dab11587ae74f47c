//! Dispatch: turn the command line into a loaded agenda, a clock and a
//! journal, run the subcommand, and translate failures into exit codes
//! (2 for bad input, 1 for anything else).

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, TimeDelta, Utc};
use clap::Parser;
use showcall::agenda::Agenda;
use showcall::clock::{Clock, ShowClock, SystemClock, parse_at, rehearsal_shift};
use showcall::journal::{
    self, ClockRecord, Follower, JournalClock, JournalError, OpenInfo, Opening, Writer,
};
use showcall::show::Show;
use showcall::text::{path_text, sanitize_lines};

use crate::cli::{Cli, Command, OperatorArgs, ReportFormat, ShowArgs};
use crate::operator::{Exit, Link, Operator};

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
            Fail::Other(e) => write!(f, "{e:#}"),
        }
    }
}

impl From<anyhow::Error> for Fail {
    fn from(e: anyhow::Error) -> Self {
        Fail::Other(e)
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Check { show, status }) => check(&show, status),
        Some(Command::Report {
            show,
            format,
            output,
        }) => report(&show, format, output.as_deref()),
        Some(Command::Speaker { show, lang, bell }) => crate::speaker::run(&show, lang, bell),
        Some(Command::BenchFrame {
            show,
            frames,
            width,
            height,
        }) => crate::bench::frame(&show, frames, width, height),
        Some(Command::BenchKey {
            show,
            keys,
            width,
            height,
        }) => crate::bench::key(&show, keys, width, height),
        None => operator(&cli.show, &cli.operator),
    };
    // The one gate for errors: whatever a message quotes (a path, a value,
    // an OS error), no control character reaches the terminal.
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::BadInput(msg)) => {
            eprintln!("{}", sanitize_lines(&msg));
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Err(Fail::Other(e)) => {
            eprintln!("showcall: {}", sanitize_lines(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
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
    let replay = journal::read(path).ok()?;
    let first = replay.entries.first()?;
    let record = journal::clock_of(&replay.entries);
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

    fn build(args: &ShowArgs, writer: Option<bool>) -> Result<Setup, Fail> {
        if let Some(speed) = args.speed
            && !(speed.is_finite() && speed > 0.0 && speed <= 10_000.0)
        {
            return Err(Fail::BadInput(format!(
                "--speed {speed}: give a number of times faster than real time, between 0 and 10000 (e.g. 10)"
            )));
        }
        let base = load_agenda(&args.agenda)?;
        let real_now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 3);
        let simulated = args.at.is_some() || args.speed.is_some();
        let rehearsal_file = args.rehearse || (writer.is_some() && simulated);
        let journal = match &args.journal {
            Some(p) => p.clone(),
            None if rehearsal_file => journal::rehearsal_path(&args.agenda),
            None => journal::default_path(&args.agenda),
        };
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
        let name = journal.file_name().map_or_else(
            || journal.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
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
        let own_clock = || -> Result<JournalClock, Fail> {
            if !simulated {
                return Ok(JournalClock::Real);
            }
            let origin = match &args.at {
                Some(at) => {
                    parse_at(at, &agenda).map_err(|e| Fail::BadInput(format!("--at {e}")))?
                }
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
        };
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
    pub fn read_entries(&self) -> Result<Vec<showcall::journal::Entry>, Fail> {
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

fn check(args: &ShowArgs, status: bool) -> Result<(), Fail> {
    let setup = Setup::new(args)?;
    out(&showcall::agenda::schedule_text(&setup.agenda))?;
    let mut bad = false;
    if setup.journal.exists() || args.journal.is_some() {
        let agenda = &setup.agenda;
        let known = |id: &str| agenda.session(id).is_some();
        let report = journal::check(&setup.journal, Some(&agenda.sha256), Some(&known));
        out(&format!("\n{report}\n"))?;
        bad = !report.is_clean();
    }
    if status {
        let show = Show::new(setup.agenda.clone(), setup.read_entries()?);
        out(&format!(
            "\n{}",
            showcall::status::status_text(&setup.agenda, &show.at(setup.clock.now()))
        ))?;
    }
    if bad {
        return Err(Fail::BadInput(format!(
            "{}: the journal is damaged (see above); nothing was changed",
            setup.journal.display()
        )));
    }
    Ok(())
}

fn report(args: &ShowArgs, format: ReportFormat, output: Option<&Path>) -> Result<(), Fail> {
    let setup = Setup::new(args)?;
    let entries = match journal::read(&setup.journal) {
        Ok(r) => {
            for w in &r.warnings {
                eprintln!("warning: {w}");
            }
            if let Some(p) = &r.problem {
                eprintln!("warning: the report stops at the damage: {p}");
            }
            r.entries
        }
        Err(JournalError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            let rehearsal = journal::rehearsal_path(&args.agenda);
            let hint = if !args.rehearse && args.journal.is_none() && rehearsal.exists() {
                format!(
                    "; there is a rehearsal journal, {}: showcall report --rehearse",
                    path_text(&rehearsal)
                )
            } else {
                " (run the show first, or give --journal PATH)".to_owned()
            };
            return Err(Fail::BadInput(format!(
                "{}: no journal yet: nothing to report{hint}",
                path_text(&setup.journal)
            )));
        }
        Err(e) => return Err(Fail::BadInput(e.to_string())),
    };
    let format = match format {
        ReportFormat::Md => showcall::report::Format::Md,
        ReportFormat::Csv => showcall::report::Format::Csv,
        ReportFormat::Json => showcall::report::Format::Json,
        ReportFormat::Svg => showcall::report::Format::Svg,
    };
    let report = showcall::report::build(&setup.agenda, &entries, setup.clock.now());
    for w in &report.warnings {
        eprintln!("warning: {}", sanitize_lines(w));
    }
    let text = showcall::report::render(&report, format);
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Fail::Other(anyhow::anyhow!("writing {}: {e}", path.display())))?,
        None => out(&text)?,
    }
    Ok(())
}

fn operator(args: &ShowArgs, op_args: &OperatorArgs) -> Result<(), Fail> {
    crate::tui::require_terminal("stage manager's screen").map_err(Fail::BadInput)?;
    let mut args = args.clone();
    let mut new = op_args.new;
    loop {
        let exit = operator_once(&args, op_args, new)?;
        match exit {
            Some(Exit::Rehearse { new: n }) => {
                args.rehearse = true;
                args.at = None;
                args.speed = None;
                args.journal = None;
                new = n;
            }
            _ => return Ok(()),
        }
    }
}

fn operator_once(args: &ShowArgs, op_args: &OperatorArgs, new: bool) -> Result<Option<Exit>, Fail> {
    let mut notes = Vec::new();
    let mut setup = if op_args.read_only {
        Setup::new(args)?
    } else {
        Setup::writer(args, new)?
    };
    let info = OpenInfo {
        agenda: setup.agenda_path.file_name().map_or_else(
            || setup.agenda_path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        sha256: setup.agenda.sha256.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let reader =
        |journal: &Path, why: String| -> Result<(Link, Vec<showcall::journal::Entry>), Fail> {
            let mut follower = Follower::new(journal);
            let entries = follower.poll().map_err(|e| Fail::BadInput(e.to_string()))?;
            Ok((Link::Reader { follower, why }, entries))
        };
    let (link, entries, warnings) = if op_args.read_only {
        let (l, e) = reader(&setup.journal, "--read-only".into())?;
        (l, e, Vec::new())
    } else {
        let local = chrono::SubsecRound::trunc_subsecs(setup.clock.now(), 3)
            .with_timezone(&setup.agenda.event.tz)
            .fixed_offset();
        let opening = Opening {
            clock: setup.record,
            // The file appears with the first entry: opening the screen and
            // leaving it changes nothing on disk.
            lazy: true,
            fresh: setup.fresh,
        };
        match Writer::open_with(&setup.journal, info, opening, local) {
            Ok((w, warnings)) => {
                let e = w.entries().to_vec();
                (Link::Writer(w), e, warnings)
            }
            Err(JournalError::Locked { pid, host, .. }) => {
                let who = match (pid, host) {
                    (Some(p), Some(h)) => format!("locked by pid {p} on {h}"),
                    _ => "locked by another showcall".into(),
                };
                // Follow the writer that holds it, by its clock.
                let follow = ShowArgs {
                    journal: Some(setup.journal.clone()),
                    at: None,
                    speed: None,
                    ..args.clone()
                };
                setup = Setup::new(&follow)?;
                let (l, e) = reader(&setup.journal, who)?;
                (l, e, Vec::new())
            }
            Err(e @ JournalError::Corrupt { .. }) => {
                return Err(Fail::BadInput(format!(
                    "{e}\nshowcall check --journal {} explains every problem; \
                     open it with --read-only to watch, or move it aside to start a new journal",
                    setup.journal.display()
                )));
            }
            Err(e @ JournalError::OtherClock { .. }) => return Err(Fail::BadInput(e.to_string())),
            // A directory or file this user cannot write: one cause, said
            // once, with the way out; the screen still opens, read-only.
            Err(JournalError::Io { path, source })
                if matches!(
                    source.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                notes.push(format!(
                    "{}: cannot write the journal here ({}): this screen is read-only; \
                     to log the show, run again with --journal PATH in a directory you can write",
                    path_text(&path),
                    if source.kind() == std::io::ErrorKind::ReadOnlyFilesystem {
                        "read-only file system"
                    } else {
                        "permission denied"
                    }
                ));
                let (l, e) = reader(
                    &setup.journal,
                    "cannot write here: use --journal PATH".into(),
                )?;
                (l, e, Vec::new())
            }
            // The error names its cause once (no chain repeating it).
            Err(e) => return Err(Fail::Other(anyhow::anyhow!("{e}"))),
        }
    };
    if let Some(from) = &setup.adopted {
        notes.push(format!("clock: {from}, as every screen of this rehearsal"));
    }
    let now = setup.clock.now();
    let later: Vec<_> = entries
        .iter()
        .filter(|e| e.at.with_timezone(&Utc) > now + TimeDelta::minutes(1))
        .collect();
    if let Some(latest) = later.iter().map(|e| e.at).max() {
        notes.push(format!(
            "{} journal entries are stamped after the show clock (latest {}): from a run with a later --at? \
             They count once the clock passes them; use --rehearse or --journal for a fresh run",
            later.len(),
            latest.format("%H:%M:%S")
        ));
    }
    let show = Show::new(setup.agenda.clone(), entries);
    let mut op = Operator::new(show, link, setup.rehearsal, warnings);
    op.warnings.extend(notes);
    crate::tui::run(&mut op, setup.clock.as_ref(), op_args.bell)?;
    let exit = op.exit.clone();
    eprintln!("{}", closing_line(&mut op, &setup.journal, exit.as_ref()));
    Ok(exit)
}

/// The last line printed: where the show's entries are, counted truly. A
/// journal removed, replaced or cut short holds none of them; then the
/// fallback holds them all.
fn closing_line(op: &mut Operator, journal: &Path, exit: Option<&Exit>) -> String {
    let plural = |n: usize| if n == 1 { "entry" } else { "entries" };
    let j = path_text(journal);
    let Link::Writer(w) = &mut op.link else {
        let n = op.saved().len();
        return format!("journal: {j} ({n} {}, read-only)", plural(n));
    };
    let (saved, pending) = (w.entries().len(), w.pending().len());
    match (exit, w.holds_saved()) {
        (Some(Exit::Fallback(p)), false) => {
            let n = saved + pending;
            format!(
                "showcall: {j} no longer holds the show's entries (removed, replaced or cut short): \
                 all {n} {} are in {}, a complete journal",
                plural(n),
                path_text(p)
            )
        }
        (Some(Exit::Fallback(p)), true) => format!(
            "showcall: {pending} {} that could not be written to {j} were saved in {}\n\
             journal: {j} ({saved} {})",
            plural(pending),
            path_text(p),
            plural(saved)
        ),
        (_, true) => format!("journal: {j} ({saved} {})", plural(saved)),
        (_, false) => format!(
            "showcall: {j} no longer holds the show's entries (removed, replaced or cut short)"
        ),
    }
}
