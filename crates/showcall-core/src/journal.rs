//! The journal: the durable, append-only record of what really happened.
//!
//! Owns the JSON Lines format (docs/journal.md), the single locked writer
//! with its fsync discipline, replay, following by readers, and recovery of
//! torn or corrupt files. Knows sessions only by id; never interprets them,
//! never touches a terminal and never reads a clock: every time comes in as
//! an argument.
//!
//! - [`format`](mod@format): one [`Entry`] ⇄ one line ([`Entry::to_line`], [`Entry::parse_line`]).
//! - [`replay`]: whole-file reading ([`read`]); [`check`](mod@check): the
//!   `check --journal` report ([`check()`]).
//! - `record`: which clock stamps the journal ([`ClockRecord`],
//!   [`JournalClock`]), read from its first line ([`read_first`]).
//! - [`writer`]: the one [`Writer`] (lock, append + fsync, queue, recovery, fallback).
//! - [`follow`]: [`Follower`] for readers that must see new entries within a second.

pub mod check;
pub mod follow;
pub mod format;
mod record;
pub mod replay;
pub mod writer;

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::text::{path_text, sanitize};

pub use check::{JournalCheck, check, check_bytes};
pub use follow::Follower;
pub use format::ParseError;
pub use record::{ClockRecord, JournalClock, clock_of, read_first};
pub use replay::{MAX_JOURNAL_BYTES, Replay, read, readable, replay_bytes};
pub use writer::{Appended, OpenInfo, Opening, Pushed, Settled, Sink, State, Writer, announced};

/// The format version written in every line's `v`.
pub const FORMAT_VERSION: u32 = 1;

/// One line of the journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The format version the line was written in (`v`); [`FORMAT_VERSION`] for
    /// every entry this version writes.
    pub v: u32,
    /// 1, 2, 3, … with no gaps.
    pub seq: u64,
    /// When it happened, in the event's local offset.
    pub at: DateTime<FixedOffset>,
    /// What the entry records, with that kind's fields.
    pub kind: Kind,
    /// Where the command that wrote it came from (`source`); `None` for the
    /// operator's keyboard, as every entry before the field existed.
    pub source: Option<Source>,
}

impl Entry {
    /// An entry in the current format version, typed at the keyboard.
    pub fn new(seq: u64, at: DateTime<FixedOffset>, kind: Kind) -> Self {
        Entry {
            v: FORMAT_VERSION,
            seq,
            at,
            kind,
            source: None,
        }
    }
}

/// Where a command came from (an entry's optional `source` field, written
/// lower-case). Absent means the operator's keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The operator's keyboard (`"key"`; normally written by leaving the
    /// field out).
    Key,
    /// The HTTP control API (`"http"`).
    Http,
    /// An OSC message over UDP (`"osc"`).
    Osc,
    /// A value a later version writes; its text is not kept (`"other"`).
    Other,
}

impl Source {
    /// The field's value: `key`, `http`, `osc` or `other`.
    pub fn name(self) -> &'static str {
        match self {
            Source::Key => "key",
            Source::Http => "http",
            Source::Osc => "osc",
            Source::Other => "other",
        }
    }

    /// The source a field's value names: any other text is
    /// [`Source::Other`], never a refusal.
    pub fn from_name(name: &str) -> Source {
        match name {
            "key" => Source::Key,
            "http" => Source::Http,
            "osc" => Source::Osc,
            _ => Source::Other,
        }
    }

    /// How the review names it: `HTTP`, `OSC`; the keyboard is `key`.
    pub fn label(self) -> &'static str {
        match self {
            Source::Key => "key",
            Source::Http => "HTTP",
            Source::Osc => "OSC",
            Source::Other => "other",
        }
    }
}

/// How a `speaker` entry changes a session's speakers (its `change` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeakerChange {
    /// `from` leaves and `to` takes their place in the order; when `from` is
    /// not among the speakers, `to` joins at the end.
    Replace,
    /// `to` joins the speakers, at the end.
    Add,
    /// `from` leaves the speakers.
    Remove,
}

impl SpeakerChange {
    /// The word written in the journal's `change` field.
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerChange::Replace => "replace",
            SpeakerChange::Add => "add",
            SpeakerChange::Remove => "remove",
        }
    }

    /// The inverse of [`SpeakerChange::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "replace" => Some(SpeakerChange::Replace),
            "add" => Some(SpeakerChange::Add),
            "remove" => Some(SpeakerChange::Remove),
            _ => None,
        }
    }
}

/// What the entry records. Serialised flat beside `v`, `seq` and `at`, with
/// `kind` as the tag in snake_case.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Written once, when the journal is created.
    Open {
        /// The agenda's file name (not its path) when the journal was created.
        agenda: String,
        /// sha256 of the agenda file's bytes then, lowercase hex.
        sha256: String,
        /// The version of the showcall that created the journal (its crate
        /// version, e.g. `0.1.0`).
        version: String,
        /// Which clock stamps the entries; `None` in journals written
        /// before it was recorded, which are real-clock journals.
        clock: Option<Box<ClockRecord>>,
    },
    /// The session goes live; this ends the live one at the same instant.
    Start {
        /// The session that goes live, by agenda id.
        session: String,
    },
    /// The live session ends and the next does not start yet.
    End {
        /// The live session that ends, by agenda id.
        session: String,
    },
    /// The stage manager logs an overrun and its reason.
    Overrun {
        /// The session that overran, by agenda id.
        session: String,
        /// How far over its allotted time it was, whole seconds: showcall
        /// writes it > 0, and readers skip a value past 604,800 (a week).
        over_s: i64,
        /// Why it overran, as the stage manager typed it.
        note: String,
    },
    /// A change of one of a session's speakers.
    Speaker {
        /// The session whose speakers change, by agenda id.
        session: String,
        /// Replace, add or remove.
        change: SpeakerChange,
        /// The speaker leaving (`replace`, `remove`); `None` for `add`.
        from: Option<String>,
        /// The speaker coming in (`replace`, `add`); `None` for `remove`.
        to: Option<String>,
        /// Why, if the stage manager said.
        note: Option<String>,
    },
    /// The allotted time is lengthened (positive) or shortened.
    Adjust {
        /// The session whose allotted time changes, by agenda id.
        session: String,
        /// Seconds added to the allotted time; negative: taken away. Readers
        /// skip a value past 604,800 (a week) either way.
        delta_s: i64,
        /// Why, if the stage manager said.
        note: Option<String>,
    },
    /// A speaker takes the floor for a timed intervention.
    Floor {
        /// The session the intervention belongs to, by agenda id.
        session: String,
        /// Who speaks, if known at the keypress; usually `None`, with the name
        /// following in a `floor_name` entry.
        speaker: Option<String>,
    },
    /// The floor is closed: the running intervention ends, no new one starts.
    FloorClose {
        /// The session whose floor closes, by agenda id.
        session: String,
    },
    /// Names the speaker of an intervention already running: `floor` is the
    /// seq of its `floor` entry. The intervention's clock started with that
    /// entry (at the `t` keypress); the name follows as it is typed.
    FloorName {
        /// The session, by agenda id.
        session: String,
        /// The seq of the `floor` entry that started the intervention (earlier
        /// than this entry).
        floor: u64,
        /// The speaker's name, as typed.
        speaker: String,
    },
    /// A message for the speaker screen; empty text clears it.
    Message {
        /// The message, as typed (or a preset such as `WRAP UP`); empty:
        /// clear the screen's message.
        text: String,
    },
    /// A free note for the record, about one session or the whole show.
    Note {
        /// The note, as typed.
        text: String,
        /// The session it is about, by agenda id; `None`: the whole show.
        session: Option<String>,
    },
    /// Withdraws an earlier entry. Nothing is ever deleted or rewritten.
    Undo {
        /// The seq of the entry withdrawn; only an earlier seq counts (see
        /// [`withdrawn`]).
        target: u64,
    },
    /// The session is cut from the running order, with why. Undo restores it.
    Skip {
        /// The session cut, by agenda id.
        session: String,
        /// Why it was cut, as the stage manager typed it.
        note: String,
    },
    /// The agenda file changed during the show and the new one took effect.
    Agenda(Box<AgendaChange>),
    /// An action point decided in the room: what, who follows up (free
    /// text), by when (free text: "Friday", a date), and the session live
    /// when it was decided.
    Action {
        /// What was decided, as typed.
        text: String,
        /// Who follows it up (free text), if said.
        who: Option<String>,
        /// By when, free text ("Friday", a date), not parsed; if said.
        by: Option<String>,
        /// The session live when it was decided, by agenda id; `None` between
        /// sessions.
        session: Option<String>,
    },
    /// The show is held: the live session's clock stops, and everything
    /// after slips while held; `reason` says why.
    Hold {
        /// The session live when the show was held, by agenda id, if any.
        session: Option<String>,
        /// Why the show is held, if said.
        reason: Option<String>,
    },
    /// The hold ends.
    Resume {
        /// The session held, by agenda id, if any.
        session: Option<String>,
    },
    /// The live session really started at `start`, not at its `start`
    /// entry's stamp. Nothing is rewritten.
    StartFix {
        /// The live session whose start is fixed, by agenda id.
        session: String,
        /// When it really started, with the event's offset (RFC 3339 in the
        /// journal, like `at`).
        start: DateTime<FixedOffset>,
        /// Why, if the stage manager said.
        note: Option<String>,
    },
    /// The system clock stepped: `step_s` whole seconds (negative: back).
    /// The show's time did not follow a step back (docs/timing.md).
    ClockStep {
        /// How far the system clock jumped, whole seconds; negative: back.
        /// At most 100 years either way.
        step_s: i64,
        /// A note about the step, if any (showcall itself writes none).
        note: Option<String>,
    },
    /// A cue out (the agenda's `[[cue]]`) could not be sent, or was
    /// answered with an error (docs/cues.md). Changes nothing in the show.
    CueFailed {
        /// The cue's name as the agenda gives it, or its `on` and place
        /// (`final #2`).
        cue: String,
        /// The event it fired on: `start`, `warn`, `final`, `over`, `end`,
        /// `hold`, `resume` or `message`.
        on: String,
        /// The session it fired for, by agenda id, if any.
        session: Option<String>,
        /// Where it was sent (`127.0.0.1:53000 /cue/1/start`, `POST
        /// http://…`), sanitised.
        target: String,
        /// Why it failed, short (`connection refused`, `HTTP 500`).
        error: String,
    },
    /// A kind from a newer writer: kept, shown, otherwise ignored.
    Unknown {
        /// The entry's `kind` tag, as written.
        kind: String,
        /// Every field but `v`, `seq`, `at` and `kind`, as read, so nothing is
        /// lost.
        fields: serde_json::Map<String, serde_json::Value>,
    },
}

/// What an edit of the agenda file changed, by session id
/// (docs/journal.md, kind `agenda`). `was` holds the plan before the change
/// of every session removed, retimed or retitled, so a reader can work out
/// the plan that was in force before it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AgendaChange {
    /// sha256 of the new agenda file's bytes, lowercase hex.
    pub sha256: String,
    /// Ids of sessions the new file has and the old did not, in the new file's
    /// order.
    pub added: Vec<String>,
    /// Ids of sessions the old file had and the new does not.
    pub removed: Vec<String>,
    /// Planned start or end moved.
    pub retimed: Vec<String>,
    /// Ids of sessions whose title changed.
    pub retitled: Vec<String>,
    /// The previous plan of every removed, retimed or retitled session.
    pub was: Vec<PlanItem>,
}

impl AgendaChange {
    /// True when no session was added, removed, retimed or retitled (the
    /// file changed elsewhere: speakers, notes, comments…).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.retimed.is_empty()
            && self.retitled.is_empty()
    }

    /// `1 retimed, 1 added`, or `no session changed`.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = [
            (self.retimed.len(), "retimed"),
            (self.added.len(), "added"),
            (self.removed.len(), "removed"),
            (self.retitled.len(), "retitled"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} {w}"))
        .collect();
        if parts.is_empty() {
            "no session changed".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// One session's plan as an `agenda` entry records it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanItem {
    /// The session's agenda id.
    pub session: String,
    /// Its title in that plan.
    pub title: String,
    /// Planned start and end, in the event's local offset.
    pub start: DateTime<FixedOffset>,
    /// See `start`: the planned end, in the event's local offset.
    pub end: DateTime<FixedOffset>,
}

/// The `kind` tags this version understands, in the order of [`Kind`]
/// (every variant but `Unknown`).
pub const KNOWN_KINDS: [&str; 20] = [
    "open",
    "start",
    "end",
    "overrun",
    "speaker",
    "adjust",
    "floor",
    "floor_close",
    "floor_name",
    "message",
    "note",
    "undo",
    "skip",
    "agenda",
    "action",
    "hold",
    "resume",
    "start_fix",
    "clock_step",
    "cue_failed",
];

impl Kind {
    /// The session this entry is about, if any.
    pub fn session(&self) -> Option<&str> {
        match self {
            Kind::Start { session }
            | Kind::End { session }
            | Kind::Overrun { session, .. }
            | Kind::Speaker { session, .. }
            | Kind::Adjust { session, .. }
            | Kind::Floor { session, .. }
            | Kind::FloorClose { session }
            | Kind::FloorName { session, .. }
            | Kind::Skip { session, .. }
            | Kind::StartFix { session, .. } => Some(session),
            Kind::Note { session, .. }
            | Kind::Action { session, .. }
            | Kind::Hold { session, .. }
            | Kind::Resume { session }
            | Kind::CueFailed { session, .. } => session.as_deref(),
            _ => None,
        }
    }

    /// The `kind` tag as written in the journal (`"floor_close"`, or the
    /// unknown kind's own tag).
    pub fn name(&self) -> &str {
        match self {
            Kind::Open { .. } => "open",
            Kind::Start { .. } => "start",
            Kind::End { .. } => "end",
            Kind::Overrun { .. } => "overrun",
            Kind::Speaker { .. } => "speaker",
            Kind::Adjust { .. } => "adjust",
            Kind::Floor { .. } => "floor",
            Kind::FloorClose { .. } => "floor_close",
            Kind::FloorName { .. } => "floor_name",
            Kind::Message { .. } => "message",
            Kind::Note { .. } => "note",
            Kind::Undo { .. } => "undo",
            Kind::Skip { .. } => "skip",
            Kind::Agenda(_) => "agenda",
            Kind::Action { .. } => "action",
            Kind::Hold { .. } => "hold",
            Kind::Resume { .. } => "resume",
            Kind::StartFix { .. } => "start_fix",
            Kind::ClockStep { .. } => "clock_step",
            Kind::CueFailed { .. } => "cue_failed",
            Kind::Unknown { kind, .. } => kind,
        }
    }

    /// True for a tag this version writes itself (not `Unknown`).
    pub fn is_known_name(name: &str) -> bool {
        KNOWN_KINDS.contains(&name)
    }
}

/// How long before its `open` entry a real-clock journal's entry may be
/// stamped and still count: a clock set right during the show moves
/// stamps by minutes or hours, never by a day.
pub const STRAY_MARGIN_S: i64 = 24 * 3600;

/// The instant before which an entry of this real-clock journal is a
/// *stray*: stamped more than [`STRAY_MARGIN_S`] before the journal's
/// first `open` entry, so no real clock wrote it at that point of this
/// file. Older versions wrote such entries when a demo (`--at`, `--speed`)
/// ran on the real journal. None for a show-clock journal (its stamps are
/// the show's) or one without an `open` entry.
pub fn stray_limit(entries: &[Entry]) -> Option<chrono::DateTime<chrono::Utc>> {
    stray_limit_in(entries.iter())
}

/// [`stray_limit`] of the entries `entries` yields, in file order.
pub fn stray_limit_in<'a>(
    mut entries: impl Iterator<Item = &'a Entry>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let opened = entries.find_map(|e| match &e.kind {
        Kind::Open { clock, .. } => {
            Some((e.at, clock.as_deref().copied().unwrap_or(ClockRecord::REAL)))
        }
        _ => None,
    })?;
    let (at, clock) = opened;
    if !matches!(clock.clock, JournalClock::Real) {
        return None;
    }
    at.with_timezone(&chrono::Utc)
        .checked_sub_signed(chrono::TimeDelta::seconds(STRAY_MARGIN_S))
}

/// Why a stray entry is left out, in words; `limit` is the journal's
/// [`stray_limit`].
pub fn stray_reason(entry: &Entry, limit: chrono::DateTime<chrono::Utc>) -> String {
    let opened = limit + chrono::TimeDelta::seconds(STRAY_MARGIN_S);
    let days = (opened - entry.at.with_timezone(&chrono::Utc)).num_days();
    format!(
        "stamped {}, {} before this journal was opened: not written by its clock \
         (an older showcall wrote demo runs with --at or --speed into the real journal); \
         left out of the show and the review",
        entry.at.format("%Y-%m-%d %H:%M"),
        crate::text::count(days.max(1) as usize, "day", "days")
    )
}

/// The seqs withdrawn by undos.
///
/// The rule, applied from the last entry backwards: an `undo` that is not
/// itself withdrawn withdraws its `target`; an `undo` that is withdrawn has
/// no effect. Going backwards works because an undo can only target an
/// earlier seq, so by the time we reach an undo every entry that could
/// withdraw it has been seen. Undo-of-undo therefore restores the original
/// entry, and a third undo withdraws it again. Targets that are not earlier
/// than the undo itself are ignored.
pub fn withdrawn(entries: &[Entry]) -> HashSet<u64> {
    withdrawn_in(entries.iter())
}

/// [`withdrawn`] of the entries `entries` yields, in file order.
pub fn withdrawn_in<'a>(entries: impl DoubleEndedIterator<Item = &'a Entry>) -> HashSet<u64> {
    let mut out = HashSet::new();
    for e in entries.rev() {
        // Only an undo withdraws, and only if no later undo withdrew it.
        if let Kind::Undo { target } = e.kind
            && target >= 1
            && target < e.seq
            && !out.contains(&e.seq)
        {
            out.insert(target);
        }
    }
    out
}

/// `<agenda stem>.journal.jsonl` next to the agenda (agenda.toml → agenda.journal.jsonl).
pub fn default_path(agenda: &Path) -> PathBuf {
    beside_agenda(agenda, ".journal.jsonl")
}

/// `<agenda stem>.rehearsal.journal.jsonl` next to the agenda.
pub fn rehearsal_path(agenda: &Path) -> PathBuf {
    beside_agenda(agenda, ".rehearsal.journal.jsonl")
}

fn beside_agenda(agenda: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = agenda
        .file_stem()
        .map_or_else(|| OsString::from("agenda"), |s| s.to_owned());
    name.push(suffix);
    agenda.with_file_name(name)
}

/// `path` with `suffix` appended to its file name (`x.jsonl` → `x.jsonl.owner`).
pub(crate) fn side_path(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Everything that can go wrong opening or reading a journal.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The journal could not be read, created or written (permissions, a
    /// missing directory, a full disk…): the OS error says which.
    #[error("{}: {}", path_text(path), sanitize(&source.to_string()))]
    Io {
        /// The journal's path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Another writer holds the lock.
    #[error(
        "{}: already open for writing by {}; open it read-only with --read-only instead",
        path_text(path),
        holder_text(*pid, host.as_deref(), since.as_deref())
    )]
    Locked {
        /// The journal's path.
        path: PathBuf,
        /// The holder's process id, if its owner file says.
        pid: Option<u32>,
        /// The holder's host name, if its owner file says.
        host: Option<String>,
        /// Since when it holds the journal (as its owner file records it), if
        /// said.
        since: Option<String>,
    },
    /// The file is damaged before its last line: writing is refused so that
    /// nothing is overwritten or lost.
    #[error("{}: journal is damaged, writing stopped\n{diags}", path_text(path))]
    Corrupt {
        /// The journal's path.
        path: PathBuf,
        /// Every problem found, located as `PATH:LINE:COL`.
        diags: crate::diag::Diagnostics,
    },
    /// The journal is stamped by another clock than the writer's: appending
    /// would mix two clocks in one record.
    #[error(
        "{}: this journal is stamped by {}, and this run's clock is {}: nothing was written; {}",
        path_text(path),
        journal.describe(),
        ours.describe(),
        other_clock_help(journal, ours)
    )]
    OtherClock {
        /// The journal's path.
        path: PathBuf,
        /// The clock the journal's `open` entry records.
        journal: Box<ClockRecord>,
        /// This run's clock.
        ours: Box<ClockRecord>,
    },
    /// The file a follower was reading was replaced or truncated; the caller
    /// drops what it has, and the next poll reads the new file from the start.
    #[error(
        "{}: journal was replaced or truncated; reading it again from the start",
        path_text(path)
    )]
    Replaced {
        /// The journal's path.
        path: PathBuf,
    },
}

impl JournalError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        JournalError::Io {
            path: path.to_owned(),
            source,
        }
    }

    /// The 1-based line of the first problem, for `Corrupt`.
    pub fn line(&self) -> Option<usize> {
        match self {
            JournalError::Corrupt { diags, .. } => diags.0.first().map(|d| d.line),
            _ => None,
        }
    }
}

fn other_clock_help(journal: &ClockRecord, ours: &ClockRecord) -> &'static str {
    if !journal.is_rehearsal() {
        "a run with --at, --speed or --rehearse writes a rehearsal journal of its own: \
         drop --journal (or give a new file); to replay this one, open it with --read-only"
    } else if !ours.is_rehearsal() {
        "this is a rehearsal's journal: a real show writes the real journal (drop --journal); \
         to follow this one, open it with --read-only"
    } else {
        "to carry this rehearsal on, open it without --at and --speed (it keeps its own clock); \
         to begin a new one, add --new (the old file is kept)"
    }
}

fn holder_text(pid: Option<u32>, host: Option<&str>, since: Option<&str>) -> String {
    let mut s = match (pid, host) {
        (Some(pid), Some(host)) => format!("pid {pid} on host '{}'", sanitize(host)),
        (Some(pid), None) => format!("pid {pid} on an unknown host"),
        (None, Some(host)) => format!("a program on host '{}'", sanitize(host)),
        (None, None) => "another program (owner unknown)".to_owned(),
    };
    if let Some(since) = since {
        s.push_str(&format!(" since {}", sanitize(since)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2023-06-22T15:10:04+02:00").unwrap()
    }

    #[test]
    fn paths_sit_next_to_the_agenda() {
        assert_eq!(
            default_path(Path::new("/ev/agenda.toml")),
            Path::new("/ev/agenda.journal.jsonl")
        );
        assert_eq!(
            rehearsal_path(Path::new("agenda.toml")),
            Path::new("agenda.rehearsal.journal.jsonl")
        );
        assert_eq!(
            default_path(Path::new("day.2.toml")),
            Path::new("day.2.journal.jsonl")
        );
    }

    #[test]
    fn undo_of_undo_restores() {
        let e = |seq, kind| Entry::new(seq, at(), kind);
        let start = Kind::Start {
            session: "a".into(),
        };
        let mut es = vec![e(1, start.clone()), e(2, Kind::Undo { target: 1 })];
        assert_eq!(withdrawn(&es), HashSet::from([1]));
        es.push(e(3, Kind::Undo { target: 2 }));
        assert_eq!(withdrawn(&es), HashSet::from([2]));
        es.push(e(4, Kind::Undo { target: 3 }));
        assert_eq!(withdrawn(&es), HashSet::from([1, 3]));
        es.push(e(5, Kind::Undo { target: 9 }));
        assert_eq!(withdrawn(&es), HashSet::from([1, 3]));
    }
}
