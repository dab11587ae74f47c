//! Dispatch: turn the command line into a loaded agenda, a clock and a
//! journal, run the subcommand, and translate failures into exit codes
//! (2 for bad input, 1 for anything else).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, TimeDelta, Utc};
use clap::Parser;
use showcall_core::clock::ForwardClock;
use showcall_core::journal::{
    self, ClockRecord, Follower, JournalError, OpenInfo, Opening, Writer,
};
use showcall_core::show::Show;
use showcall_core::text::{path_text, sanitize_lines};

use crate::cli::{Cli, Command, Lang, OperatorArgs, ReportFormat, ShowArgs};
use crate::operator::{Exit, Link, Operator};
use crate::setup::{EXIT_BAD_INPUT, Fail, Setup, error_text, note, out};
use crate::speaker::Speaker;
use crate::ui::theme::Theme;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A flag that is wrong is bad input, said in the same shape as
        // every other error; `--help` and `--version` print as they are.
        Err(e) if e.use_stderr() => {
            let text = e.render().to_string();
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            note(&error_text(&sanitize_lines(text.trim_end())));
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        Err(e) => e.exit(),
    };
    let result = match cli.command {
        Some(Command::Check { show, status }) => check(&show.into(), status),
        Some(Command::Report {
            show,
            format,
            actions,
            output,
        }) => report(&show, (!actions).then_some(format), output.as_deref()),
        Some(Command::Speaker { show, lang, bell }) => speaker(&show, lang, bell),
        Some(Command::Serve {
            show,
            network,
            port,
            new_key,
        }) => serve(&show, network, port, new_key),
        Some(Command::Import(args)) => crate::convert::import(&args),
        Some(Command::Export {
            agenda,
            format: _,
            output,
            force,
        }) => crate::convert::export(&agenda, output.as_deref(), force),
        None => operator(&cli.show, &cli.operator),
    };
    // The one gate for errors: whatever a message quotes (a path, a value,
    // an OS error), no control character reaches the terminal; every
    // message begins `showcall:` or at its place in a file; bad input
    // (an agenda, a journal path or file, a flag) exits 2, anything else 1.
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail::BadInput(msg)) => {
            note(&error_text(&sanitize_lines(&msg)));
            ExitCode::from(EXIT_BAD_INPUT)
        }
        Err(Fail::Other(e)) => {
            note(&error_text(&sanitize_lines(&crate::setup::chain_text(&e))));
            ExitCode::FAILURE
        }
    }
}

fn check(args: &ShowArgs, status: bool) -> Result<(), Fail> {
    let setup = Setup::new(args)?;
    out(&showcall_core::agenda::schedule_text(&setup.agenda))?;
    let mut bad = None;
    let journal_given = setup.journal.exists() || args.journal.is_some();
    // The journal is read into a show once, for the sessions a reload
    // removed after they ran (known to the check) and for `--status`;
    // the show is let go before the check reads the file again, so a
    // large journal is never held twice.
    // A journal that cannot be read is said by the check first; `--status`
    // then fails on it.
    let (kept, status_text) = if journal_given || status {
        let (entries, unread) = match setup.read_entries() {
            Ok(e) => (e, None),
            Err(e) => (Vec::new(), Some(e)),
        };
        let show = Show::new(setup.agenda.clone(), entries);
        let text = match unread {
            Some(e) if status => Some(Err(e)),
            _ if status => Some(Ok(showcall_core::status::status_at(
                &show,
                setup.clock.now(),
            ))),
            _ => None,
        };
        (show.agenda, text)
    } else {
        (setup.agenda.clone(), None)
    };
    if journal_given {
        let agenda = &setup.agenda;
        let known = |id: &str| kept.session(id).is_some();
        let report = journal::check(&setup.journal, Some(&agenda.sha256), Some(&known));
        out(&format!("\n{report}\n"))?;
        // A file that could not be read at all is not "damaged".
        let unreadable = report.entries == 0 && report.problems.iter().all(|d| d.line == 0);
        if !report.is_clean() {
            // Unreadable: the cause itself, as every other command says it.
            bad = Some(match report.problems.first() {
                Some(first) if unreadable => first.message.clone(),
                _ => "the journal is damaged (see above); nothing was changed".to_owned(),
            });
        }
    }
    if let Some(text) = status_text {
        out(&format!("\n{}", text?))?;
    }
    if let Some(why) = bad {
        return Err(Fail::BadInput(format!(
            "{}: {why}",
            setup.journal.display()
        )));
    }
    Ok(())
}

/// `format` is None for `--actions`: the action points alone, as text.
fn report(
    args: &ShowArgs,
    format: Option<ReportFormat>,
    output: Option<&Path>,
) -> Result<(), Fail> {
    let setup = Setup::new(args)?;
    let entries = match journal::read(&setup.journal) {
        Ok(r) => {
            for w in &r.warnings {
                note(&format!("warning: {w}"));
            }
            if let Some(p) = &r.problem {
                note(&format!("warning: the report stops at the damage: {p}"));
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
    use showcall_core::report::Format;
    let format = format.map(|f| match f {
        ReportFormat::Md => Format::Md,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Json => Format::Json,
        ReportFormat::Svg => Format::Svg,
        ReportFormat::Html => Format::Html,
        ReportFormat::InterventionsCsv => Format::InterventionsCsv,
        ReportFormat::ActionsCsv => Format::ActionsCsv,
    });
    let report = showcall_core::report::build_owned(&setup.agenda, entries, setup.clock.now());
    for w in &report.warnings {
        note(&format!("warning: {}", sanitize_lines(w)));
    }
    let text = match format {
        Some(f) => showcall_core::report::render(&report, f),
        None => showcall_core::report::actions_text(&report),
    };
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Fail::Other(anyhow::anyhow!("writing {}: {e}", path.display())))?,
        None => out(&text)?,
    }
    Ok(())
}

fn operator(args: &ShowArgs, op_args: &OperatorArgs) -> Result<(), Fail> {
    crate::setup::validate(args)?;
    crate::tui::require_terminal("stage manager's screen").map_err(Fail::BadInput)?;
    let control = start_control(args, op_args)?;
    let mut args = args.clone();
    let mut new = op_args.new;
    loop {
        let exit = operator_once(&args, op_args, new, control.as_deref())?;
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

/// Starts the HTTP and OSC control (`--control`, `--osc`) for the rest of
/// the process, and says where, on stderr before the screen opens; returns
/// the same line for the screen. Errors: a port that cannot be taken.
fn start_control(args: &ShowArgs, op_args: &OperatorArgs) -> Result<Option<String>, Fail> {
    if op_args.control.is_none() && op_args.osc.is_none() {
        return Ok(None);
    }
    let journal = Setup::writer_journal(args);
    let cfg = showcall_serve::control::Config {
        http_port: op_args.control,
        http_network: op_args.control_network,
        osc_port: op_args.osc,
        osc_allow: op_args.osc_allow.clone(),
        journal,
    };
    let started = showcall_serve::control::start(&cfg, crate::wake::control_sink())
        .map_err(|e| Fail::BadInput(crate::setup::chain_text(&e)))?;
    let mut parts = Vec::new();
    if let Some(a) = started.http {
        parts.push(format!(
            "HTTP on http://{a}/api/ (key in {})",
            path_text(&started.key_path)
        ));
    }
    if let Some(a) = started.osc {
        let from = if cfg.osc_allow.is_empty() {
            "this machine".to_owned()
        } else {
            cfg.osc_allow
                .iter()
                .map(|ip| ip.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        parts.push(format!("OSC on udp {a} from {from}"));
    }
    let line = format!("control: {}", parts.join("; "));
    note(&line);
    Ok(Some(line))
}

/// Who holds a locked journal, as the read-only header says it.
fn holder(pid: Option<u32>, host: Option<String>) -> String {
    match (pid, host) {
        (Some(p), Some(h)) => format!("locked by pid {p} on {h}"),
        _ => "locked by another showcall".into(),
    }
}

fn operator_once(
    args: &ShowArgs,
    op_args: &OperatorArgs,
    new: bool,
    control: Option<&str>,
) -> Result<Option<Exit>, Fail> {
    let mut notes: Vec<String> = control.map(str::to_owned).into_iter().collect();
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
    let (link, entries, warnings, take_over) =
        open_link(args, op_args, &mut setup, &info, &mut notes)?;
    if let Some(from) = &setup.adopted {
        notes.push(format!("clock: {from}, as every screen of this rehearsal"));
    }
    notes.extend(later_note(&entries, setup.clock.now()));
    let show = Show::new(setup.agenda.clone(), entries);
    notes.extend(stray_note(&show));
    let mut op = Operator::new(show, link, setup.rehearsal, warnings);
    op.show.set_go_guard(
        op_args
            .go_guard
            .map(|ms| chrono::TimeDelta::milliseconds(i64::from(ms))),
    );
    op.take_over = take_over;
    op.cues.off = op_args.no_cues;
    op.warnings.extend(notes);
    op.agenda_file = Some(crate::agenda_file::AgendaFile::new(
        &setup.agenda_path,
        setup.record.shift_s,
    ));
    // A lost terminal ends the loop with an error, after the same exit
    // check as a signal: the closing line is said either way.
    let ran = crate::tui::run(&mut op, &ForwardClock::new(setup.clock), op_args.bell);
    let exit = op.exit.clone();
    note(&closing_line(&mut op, &setup.journal, exit.as_ref()));
    ran?;
    Ok(exit)
}

/// What the operator screen opens its journal as: the writer (its entries
/// taken once), or a reader following the screen that holds it (with the
/// take-over for when it quits), or a reader where this user cannot write
/// (said in `notes`). Switches `setup` to the holder's clock when it
/// follows. Errors: a damaged journal, another clock, a path that is not a
/// journal (bad input).
fn open_link(
    args: &ShowArgs,
    op_args: &OperatorArgs,
    setup: &mut Setup,
    info: &OpenInfo,
    notes: &mut Vec<String>,
) -> Result<Opened, Fail> {
    let reader =
        |journal: &Path, why: String| -> Result<(Link, Vec<showcall_core::journal::Entry>), Fail> {
            let mut follower = Follower::new(journal);
            let entries = follower.poll().map_err(|e| Fail::BadInput(e.to_string()))?;
            Ok((Link::Reader { follower, why }, entries))
        };
    Ok(if op_args.read_only {
        let (l, e) = reader(&setup.journal, "--read-only".into())?;
        (l, e, Vec::new(), None)
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
        match Writer::open_with(&setup.journal, info.clone(), opening, local) {
            Ok((mut w, warnings)) => {
                // Taken once: from here the show holds the entries, the
                // writer only what is not on disk yet.
                let e = w.take_opened();
                (Link::Writer(w), e, warnings, None)
            }
            Err(JournalError::Locked { pid, host, .. }) => {
                let who = holder(pid, host);
                // Follow the writer that holds it, by its clock.
                let follow = ShowArgs {
                    journal: Some(setup.journal.clone()),
                    at: None,
                    speed: None,
                    ..args.clone()
                };
                *setup = Setup::new(&follow)?;
                let (l, e) = reader(&setup.journal, who)?;
                // Once the holder quits, this screen takes the journal
                // over, with the journal's own clock.
                let take_over = take_over_for(setup.journal.clone(), info.clone(), setup.record);
                (l, e, Vec::new(), Some(take_over))
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
                notes.push(cannot_write_note(&path, source.kind()));
                let (l, e) = reader(
                    &setup.journal,
                    "cannot write here: use --journal PATH".into(),
                )?;
                (l, e, Vec::new(), None)
            }
            // Any other trouble with the journal's path or file (a
            // directory, a device, a file that cannot be read) is bad
            // input, as `check` and `report` say it: exit 2.
            Err(e @ JournalError::Io { .. }) => return Err(Fail::BadInput(e.to_string())),
            // The error names its cause once (no chain repeating it).
            Err(e) => return Err(Fail::Other(anyhow::anyhow!("{e}"))),
        }
    })
}

/// The link, the entries read, the writer's warnings and the take-over.
type Opened = (
    Link,
    Vec<showcall_core::journal::Entry>,
    Vec<showcall_core::diag::Diagnostic>,
    Option<crate::operator::TakeOver>,
);

/// The note for a journal this user cannot write: the screen is read-only.
fn cannot_write_note(path: &Path, kind: std::io::ErrorKind) -> String {
    format!(
        "{}: cannot write the journal here ({}): this screen is read-only; \
         to log the show, run again with --journal PATH in a directory you can write",
        path_text(path),
        if kind == std::io::ErrorKind::ReadOnlyFilesystem {
            "read-only file system"
        } else {
            "permission denied"
        }
    )
}

/// Entries stamped more than a minute after the show clock's `now`, said.
fn later_note(entries: &[showcall_core::journal::Entry], now: DateTime<Utc>) -> Option<String> {
    let later: Vec<_> = entries
        .iter()
        .filter(|e| e.at.with_timezone(&Utc) > now + TimeDelta::minutes(1))
        .collect();
    let latest = later.iter().map(|e| e.at).max()?;
    Some(format!(
        "{} stamped after the show clock (latest {}): the clock was set back, or a run \
         with a later --at wrote them; the show's time runs on from the latest \
         (docs/timing.md), use --rehearse or --journal for a fresh run",
        showcall_core::text::count(later.len(), "journal entry is", "journal entries are"),
        latest.format("%H:%M:%S")
    ))
}

/// Entries the fold left out as strays (stamped long before the journal
/// was opened), said; counted against the limit the fold worked out.
fn stray_note(show: &Show) -> Option<String> {
    let strays = show.fold().stray_before.map_or(0, |limit| {
        show.entries()
            .iter()
            .filter(|e| e.at.with_timezone(&Utc) < limit)
            .count()
    });
    (strays > 0).then(|| {
        format!(
            "{} stamped long before this journal was opened (an older showcall's demo?): \
             left out; `showcall check` lists them, and moving the file away starts clean",
            showcall_core::text::count(strays, "journal entry is", "journal entries are"),
        )
    })
}

/// Taking the journal over once its holder quits, with the journal's own
/// clock: `Err(Some(holder))` while another still holds it.
fn take_over_for(path: PathBuf, info: OpenInfo, clock: ClockRecord) -> crate::operator::TakeOver {
    Box::new(move |at| {
        let opening = Opening {
            clock,
            lazy: true,
            fresh: false,
        };
        match Writer::open_with(&path, info.clone(), opening, at) {
            Ok((w, _)) => Ok(w),
            Err(JournalError::Locked { pid, host, .. }) => Err(Some(holder(pid, host))),
            Err(_) => Err(None),
        }
    })
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
    let (saved, pending) = (w.saved_count(), w.pending().len());
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
        // Nothing logged: the file is created with the first entry.
        (_, true) if saved == 0 && !journal.exists() => {
            format!("journal: nothing logged, so {j} was not created")
        }
        (_, true) => format!("journal: {j} ({saved} {})", plural(saved)),
        (_, false) => format!(
            "showcall: {j} no longer holds the show's entries (removed, replaced or cut short)"
        ),
    }
}

/// Runs the web server (`showcall_serve`) until the process is stopped.
fn serve(args: &ShowArgs, network: bool, port: u16, new_key: bool) -> Result<(), Fail> {
    crate::setup::validate(args)?;
    let setup = Setup::new(args)?;
    // A journal path no reader can use is refused before the port is
    // taken, as every other command refuses it (exit 2).
    journal::readable(&setup.journal).map_err(|e| Fail::BadInput(e.to_string()))?;
    showcall_serve::run(showcall_serve::Config {
        agenda: setup.agenda,
        journal: setup.journal,
        clock: setup.clock,
        rehearsal: setup.rehearsal,
        network,
        port,
        new_key,
    })
    .map_err(|e| Fail::BadInput(crate::setup::chain_text(&e)))
}

/// Runs the speaker screen until `q`, Esc, Ctrl-C, SIGTERM or SIGHUP.
fn speaker(args: &ShowArgs, lang: Lang, bell: bool) -> Result<(), Fail> {
    crate::setup::validate(args)?;
    crate::tui::require_terminal("speaker screen").map_err(Fail::BadInput)?;
    loop {
        let setup = Setup::new(args)?;
        let mut follower = Follower::new(&setup.journal);
        let entries = follower.poll().map_err(|e| Fail::BadInput(e.to_string()))?;
        let show = Show::new(setup.agenda.clone(), entries);
        let mut speaker = Speaker::new(show, Some(follower), lang.into(), Theme::from_env());
        speaker.rehearsal = setup.rehearsal;
        speaker.agenda_file = Some(crate::agenda_file::AgendaFile::new(
            &setup.agenda_path,
            setup.record.shift_s,
        ));
        // With --at/--speed the screen replays at its own clock.
        if args.at.is_none() && args.speed.is_none() {
            speaker.expect = Some(setup.record);
        }
        crate::tui::run(&mut speaker, &ForwardClock::new(setup.clock), bell)?;
        if !speaker.readopt {
            return Ok(());
        }
    }
}
