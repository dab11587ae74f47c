//! Dispatch: turn the command line into a loaded agenda, a clock and a
//! journal, run the subcommand, and translate failures into exit codes
//! (2 for bad input, 1 for anything else).

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, TimeDelta, Utc};
use clap::Parser;
use showcall::agenda::Agenda;
use showcall::clock::{Clock, SimClock, SystemClock, parse_at, rehearsal_shift};
use showcall::journal::{self, Follower, JournalError, OpenInfo, Writer};
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
        }) => bench_frame(&show, frames, width, height),
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
    pub rehearsal: bool,
}

pub fn load_agenda(path: &Path) -> Result<Agenda, Fail> {
    Agenda::load(path).map_err(|d| Fail::BadInput(d.to_string()))
}

/// When a rehearsal journal was opened: the rehearsal's agenda is anchored
/// there, so every command reading it sees the same planned times.
fn rehearsal_anchor(path: &Path) -> Option<DateTime<Utc>> {
    let replay = journal::read(path).ok()?;
    Some(replay.entries.first()?.at.with_timezone(&Utc))
}

/// A rehearsal left this long ago is finished: the next `--rehearse` on the
/// operator screen starts a new one.
const REHEARSAL_STALE: TimeDelta = TimeDelta::hours(6);

impl Setup {
    pub fn new(args: &ShowArgs) -> Result<Setup, Fail> {
        if !(args.speed.is_finite() && args.speed > 0.0 && args.speed <= 10_000.0) {
            return Err(Fail::BadInput(format!(
                "--speed {}: give a number of times faster than real time, between 0 and 10000 (e.g. 10)",
                args.speed
            )));
        }
        let mut agenda = load_agenda(&args.agenda)?;
        let real_now = Utc::now();
        let journal = match (&args.journal, args.rehearse) {
            (Some(p), _) => p.clone(),
            (None, false) => journal::default_path(&args.agenda),
            (None, true) => journal::rehearsal_path(&args.agenda),
        };
        if args.rehearse {
            // A rehearsal starts at the next full minute; one that is still
            // under way keeps the start it had.
            let anchor = rehearsal_anchor(&journal).unwrap_or(real_now);
            agenda = agenda.shifted(rehearsal_shift(&agenda, anchor));
        }
        let origin = match &args.at {
            Some(at) => {
                Some(parse_at(at, &agenda).map_err(|e| Fail::BadInput(format!("--at {e}")))?)
            }
            None => None,
        };
        let clock: Box<dyn Clock> = if origin.is_some() || args.speed != 1.0 {
            Box::new(SimClock::new(origin.unwrap_or(real_now), args.speed))
        } else {
            Box::new(SystemClock)
        };
        Ok(Setup {
            agenda_path: args.agenda.clone(),
            agenda,
            journal,
            clock,
            rehearsal: args.rehearse,
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

fn check(args: &ShowArgs, status: bool) -> Result<(), Fail> {
    let setup = Setup::new(args)?;
    print!("{}", showcall::agenda::schedule_text(&setup.agenda));
    let mut bad = false;
    if setup.journal.exists() || args.journal.is_some() {
        let agenda = &setup.agenda;
        let known = |id: &str| agenda.session(id).is_some();
        let report = journal::check(&setup.journal, Some(&agenda.sha256), Some(&known));
        println!();
        println!("{report}");
        bad = !report.is_ok();
    }
    if status {
        let show = Show::new(setup.agenda.clone(), setup.read_entries()?);
        println!();
        print!(
            "{}",
            showcall::status::status_text(&setup.agenda, &show.at(setup.clock.now()))
        );
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
            return Err(Fail::BadInput(format!(
                "{}: no journal yet: nothing to report (run the show first, or give --journal PATH)",
                setup.journal.display()
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
    let text = showcall::report::render(&report, format);
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Fail::Other(anyhow::anyhow!("writing {}: {e}", path.display())))?,
        None => print!("{text}"),
    }
    Ok(())
}

/// Moves a finished rehearsal's journal aside so a new rehearsal starts
/// clean; nothing is deleted.
fn retire_old_rehearsal(path: &Path, now: DateTime<Utc>) -> Result<Option<PathBuf>, Fail> {
    let fresh = rehearsal_anchor(path).is_some_and(|t| now - t < REHEARSAL_STALE && t <= now);
    if !path.exists() || fresh {
        return Ok(None);
    }
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".journal.jsonl"))
        .unwrap_or("rehearsal");
    let to = path.with_file_name(format!(
        "{stem}-{}.journal.jsonl",
        now.format("%Y%m%dT%H%M%SZ")
    ));
    std::fs::rename(path, &to).map_err(|e| {
        Fail::Other(anyhow::anyhow!(
            "moving the old rehearsal journal aside: {e}"
        ))
    })?;
    Ok(Some(to))
}

fn operator(args: &ShowArgs, op_args: &OperatorArgs) -> Result<(), Fail> {
    crate::tui::require_terminal("stage manager's screen").map_err(Fail::BadInput)?;
    let mut args = args.clone();
    loop {
        let exit = operator_once(&args, op_args)?;
        match exit {
            Some(Exit::Rehearse) => {
                args.rehearse = true;
                args.at = None;
                args.journal = None;
            }
            _ => return Ok(()),
        }
    }
}

fn operator_once(args: &ShowArgs, op_args: &OperatorArgs) -> Result<Option<Exit>, Fail> {
    let mut notes = Vec::new();
    if args.rehearse
        && args.journal.is_none()
        && !op_args.read_only
        && let Some(old) = retire_old_rehearsal(&journal::rehearsal_path(&args.agenda), Utc::now())?
    {
        notes.push(format!("earlier rehearsal kept as {}", path_text(&old)));
    }
    let setup = Setup::new(args)?;
    let now = setup.clock.now();
    let local = chrono::SubsecRound::trunc_subsecs(now, 3)
        .with_timezone(&setup.agenda.event.tz)
        .fixed_offset();
    let info = OpenInfo {
        agenda: setup.agenda_path.file_name().map_or_else(
            || setup.agenda_path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        sha256: setup.agenda.sha256.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let reader = |why: String| -> Result<(Link, Vec<showcall::journal::Entry>), Fail> {
        let mut follower = Follower::new(&setup.journal);
        let entries = follower.poll().map_err(|e| Fail::BadInput(e.to_string()))?;
        Ok((Link::Reader { follower, why }, entries))
    };
    let (link, entries, warnings) = if op_args.read_only {
        let (l, e) = reader("--read-only".into())?;
        (l, e, Vec::new())
    } else {
        match Writer::open(&setup.journal, info, local) {
            Ok((w, warnings)) => {
                let e = w.entries().to_vec();
                (Link::Writer(w), e, warnings)
            }
            Err(JournalError::Locked { pid, host, .. }) => {
                let who = match (pid, host) {
                    (Some(p), Some(h)) => format!("locked by pid {p} on {h}"),
                    _ => "locked by another showcall".into(),
                };
                let (l, e) = reader(who)?;
                (l, e, Vec::new())
            }
            Err(e @ JournalError::Corrupt { .. }) => {
                return Err(Fail::BadInput(format!(
                    "{e}\nshowcall check --journal {} explains every problem; \
                     open it with --read-only to watch, or move it aside to start a new journal",
                    setup.journal.display()
                )));
            }
            Err(e) => return Err(Fail::Other(e.into())),
        }
    };
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
    if let Some(Exit::Fallback(p)) = &exit {
        eprintln!(
            "showcall: entries that could not be written to {} were saved in {}",
            path_text(&setup.journal),
            path_text(p)
        );
    }
    let n = op.saved().len();
    eprintln!("journal: {} ({n} entries)", path_text(&setup.journal));
    Ok(exit)
}

/// Renders the operator screen `frames` times into an in-memory terminal and
/// prints the median and p99 time of one frame: the real render path
/// (engine snapshot, layout, widgets, diff), minus the tty write.
fn bench_frame(args: &ShowArgs, frames: usize, width: u16, height: u16) -> Result<(), Fail> {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let setup = Setup::new(args)?;
    let show = Show::new(setup.agenda.clone(), setup.read_entries()?);
    let link = Link::Reader {
        follower: Follower::new(&setup.journal),
        why: "bench".into(),
    };
    let op = Operator::new(show, link, setup.rehearsal, Vec::new());
    let mut term = Terminal::new(TestBackend::new(width, height))
        .map_err(|e| Fail::Other(anyhow::anyhow!("{e}")))?;
    let start = setup.clock.now();
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames.max(1) {
        // A new second every frame, as an idle screen sees it.
        let now = start + TimeDelta::seconds(i as i64);
        let t0 = std::time::Instant::now();
        let snap = op.show.at(now);
        term.draw(|f| crate::ui::operator::draw(f, &op, &snap, now))
            .map_err(|e| Fail::Other(anyhow::anyhow!("{e}")))?;
        times.push(t0.elapsed());
    }
    times.sort();
    let us = |d: std::time::Duration| d.as_secs_f64() * 1e6;
    println!(
        "frame: {} sessions, {width}x{height}, {} frames: median {:.0} us, p99 {:.0} us",
        setup.agenda.sessions.len(),
        times.len(),
        us(times[times.len() / 2]),
        us(times[(times.len() * 99 / 100).min(times.len() - 1)])
    );
    Ok(())
}
