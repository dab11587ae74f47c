//! The command line: subcommands and their flags (clap derive). Parsing
//! only; `app` validates the values against the agenda.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Call the show: a stage manager's timer and durable journal for a timed agenda.
///
/// With no subcommand, opens the stage manager's screen on AGENDA.
#[derive(Debug, Parser)]
#[command(name = "showcall", version, about, long_about = None)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub show: ShowArgs,
    #[command(flatten)]
    pub operator: OperatorArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate an agenda (and its journal) and print the resolved schedule.
    Check {
        #[command(flatten)]
        show: CheckArgs,
        /// Also print where the show stands at the show clock's instant
        /// (use with --at).
        #[arg(long)]
        status: bool,
    },
    /// The speaker-facing screen: a big countdown that follows the journal
    /// (read-only).
    Speaker {
        #[command(flatten)]
        show: ShowArgs,
        /// The language of the screen's words.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
        /// Ring the terminal bell once when a signal threshold is crossed.
        #[arg(long)]
        bell: bool,
    },
    /// Serve the show to browsers in the venue: speaker, booth, schedule
    /// and overlay views and feeds, following the journal (read-only).
    Serve {
        #[command(flatten)]
        show: ShowArgs,
        /// Listen on the network (every interface), not this machine only.
        #[arg(long)]
        network: bool,
        /// The TCP port (0 picks a free one).
        #[arg(long, default_value_t = 8321)]
        port: u16,
        /// Make a new access key (<journal>.key); the old links stop working.
        #[arg(long)]
        new_key: bool,
    },
    /// Write an agenda from a schedule another program made: CSV, xlsx,
    /// xls, ods, frab schedule.xml/.json, iCalendar or an Ontime project
    /// (docs/import.md).
    Import(ImportArgs),
    /// Write an agenda's running order as CSV, in the columns `import` reads.
    Export {
        /// The agenda file.
        #[arg(default_value = "agenda.toml")]
        agenda: PathBuf,
        /// Output format (only csv).
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Write to FILE instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// The post-event timing review: planned against actual.
    Report {
        #[command(flatten)]
        show: ShowArgs,
        /// Output format: md, csv (one row per session), json, svg, html
        /// (one page to send or print), interventions-csv, actions-csv.
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
        /// Print only the action points, as plain text ready to paste into
        /// minutes (takes no --format).
        #[arg(long, conflicts_with = "format")]
        actions: bool,
        /// Write to FILE instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// Arguments shared by every subcommand that reads an agenda and shows time.
#[derive(Debug, Args, Clone, Default)]
pub struct ShowArgs {
    /// The agenda file.
    #[arg(default_value = "agenda.toml")]
    pub agenda: PathBuf,
    /// The journal file (default: <agenda stem>.journal.jsonl next to the
    /// agenda; with --rehearse, and for the stage manager's screen with
    /// --at or --speed, <agenda stem>.rehearsal.journal.jsonl).
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Start the show clock at TIME: HH:MM on the event's date in the
    /// event's zone, or RFC 3339 (2023-06-22T15:38:00+02:00).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Run the show clock N times faster than real time.
    #[arg(long, value_name = "N")]
    pub speed: Option<f64>,
    /// Rehearse: shift the whole agenda so its first session starts at the
    /// next full minute, and journal to <agenda stem>.rehearsal.journal.jsonl.
    /// Readers given --rehearse follow that journal, by its clock.
    #[arg(long)]
    pub rehearse: bool,
}

/// What `check` takes: no `--speed`, which means nothing for a check of
/// one instant.
#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    /// The agenda file.
    #[arg(default_value = "agenda.toml")]
    pub agenda: PathBuf,
    /// The journal file (default: <agenda stem>.journal.jsonl next to the
    /// agenda; with --rehearse, <agenda stem>.rehearsal.journal.jsonl).
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Show the show clock's instant TIME with --status: HH:MM on the
    /// event's date in the event's zone, or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Check the rehearsal: its journal (<agenda stem>.rehearsal.journal.jsonl)
    /// and the schedule as the rehearsal moved it.
    #[arg(long)]
    pub rehearse: bool,
}

impl From<CheckArgs> for ShowArgs {
    fn from(c: CheckArgs) -> ShowArgs {
        ShowArgs {
            agenda: c.agenda,
            journal: c.journal,
            at: c.at,
            speed: None,
            rehearse: c.rehearse,
        }
    }
}

/// Flags of the stage manager's screen.
#[derive(Debug, Args, Clone, Default)]
pub struct OperatorArgs {
    /// Open a second operator screen that follows the journal without
    /// writing to it.
    #[arg(long)]
    pub read_only: bool,
    /// Ring the terminal bell once when a signal threshold is crossed.
    #[arg(long)]
    pub bell: bool,
    /// Begin a new rehearsal (with --rehearse, --at or --speed): the
    /// previous rehearsal journal is kept under a stamped name.
    #[arg(long)]
    pub new: bool,
    /// The double-GO guard, milliseconds (0 to 5000): a GO within this
    /// long of the last start or form save is refused. Over the agenda's
    /// `go_guard_ms`; 0 turns it off; 500 when neither says.
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u16).range(0..=5000))]
    pub go_guard: Option<u16>,
    /// Send none of the agenda's cues out (docs/cues.md): a rehearsal away
    /// from the venue's sound, lights and video. A rehearsal fires them by
    /// default, as crews test them.
    #[arg(long)]
    pub no_cues: bool,
    /// Take commands over HTTP on this port (0 picks a free one): GO, end,
    /// time, hold, message… with the key in <journal>.control-key
    /// (docs/control.md). This machine only, unless --control-network.
    #[arg(long, value_name = "PORT")]
    pub control: Option<u16>,
    /// Let the HTTP commands (--control) come from the network, not only
    /// from this machine.
    #[arg(long, requires = "control")]
    pub control_network: bool,
    /// Take commands as OSC over UDP on this port (0 picks a free one):
    /// /showcall/go, /showcall/time 60… From this machine only, unless
    /// --osc-allow lists the senders.
    #[arg(long, value_name = "PORT")]
    pub osc: Option<u16>,
    /// The addresses OSC commands may come from (comma-separated IPs);
    /// packets from any other are dropped.
    #[arg(
        long,
        value_name = "ADDR[,ADDR…]",
        value_delimiter = ',',
        requires = "osc"
    )]
    pub osc_allow: Vec<std::net::IpAddr>,
}

/// The speaker screen's language on the command line; the core's
/// presenter has its own [`showcall_core::present::Lang`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    En,
    Fr,
    Es,
}

impl From<Lang> for showcall_core::present::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::En => showcall_core::present::Lang::En,
            Lang::Fr => showcall_core::present::Lang::Fr,
            Lang::Es => showcall_core::present::Lang::Es,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Csv,
    Json,
    Svg,
    Html,
    InterventionsCsv,
    ActionsCsv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
}

/// `showcall import`'s flags.
#[derive(Debug, Args, Clone)]
pub struct ImportArgs {
    /// The schedule to read.
    pub source: PathBuf,
    /// Read the source as this format instead of detecting it.
    #[arg(long, value_name = "F", value_parser = ["csv", "xlsx", "xls", "ods", "frab-xml", "frab-json", "ics", "ontime"])]
    pub format: Option<String>,
    /// The room whose running order to import (the source's room, location or sheet column).
    #[arg(long, value_name = "NAME")]
    pub room: Option<String>,
    /// Merge every room into one running order.
    #[arg(long, conflicts_with = "room")]
    pub all_rooms: bool,
    /// A room whose sessions (breaks, plenaries) go into every room's
    /// running order, as sessions with no room do; may be repeated. Rooms
    /// named "All rooms", "Plenary" and the like are shared already.
    #[arg(long, value_name = "NAME")]
    pub shared_room: Vec<String>,
    /// Only day N (a conference day, 1-based) or the date YYYY-MM-DD; for
    /// sources without dates (Ontime), the event's date.
    #[arg(long, value_name = "N|YYYY-MM-DD")]
    pub day: Option<String>,
    /// The event's zone (an IANA name) when the source has none or a contradictory one.
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,
    /// The event's title, instead of the source's.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Spreadsheet columns by name: start=Uhrzeit,title=Titel (fields: start,
    /// end, duration, title, speakers, moderators, notes, id, date, room, type,
    /// timezone, skip).
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub map: Vec<String>,
    /// How numeric dates such as 12/7/2026 are written: day first (dmy),
    /// month first (mdy, the US) or year first (ymd).
    #[arg(long, value_name = "ORDER", value_parser = ["dmy", "mdy", "ymd"])]
    pub date_order: Option<String>,
    /// The worksheet to read (default: the first with a header row).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Trim the earlier of two overlapping sessions instead of refusing.
    #[arg(long)]
    pub allow_overlap: bool,
    /// How long a last session with no end runs, e.g. 30m.
    #[arg(long, value_name = "DURATION")]
    pub last_duration: Option<String>,
    /// Write the agenda to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}
