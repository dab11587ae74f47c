//! The post-event timing review: planned against actual, from the agenda and
//! the journal, as Markdown, CSV (sessions, interventions, action points),
//! JSON, SVG or one HTML page.
//!
//! Owns the [`Report`] data (what the review says) and its writers
//! (`markdown`, `csv`, `svg`, `html`, the action points as text in
//! `extras`; JSON is the serialisation of [`Report`]), reached through
//! [`render`] and [`actions_text`].
//! Pure: every time and duration comes from the engine's one timeline
//! ([`Snapshot`](crate::show::Snapshot)), the details from its
//! [`Fold`](crate::show::Fold) (undone entries are already left out there),
//! built in [`build`]; the instant comes in as `now`, and nothing here
//! reads a file, a clock or a terminal. All agenda and journal text is
//! passed through [`sanitize`](crate::text::sanitize) when the report is
//! built, and escaped again for each format when it is written.
//!
//! The report is the journal as it stood at `now`: entries stamped later are
//! not visible yet, so `--at` gives the review as it would have looked then.

mod build;
mod changes;
pub(crate) mod csv;
mod cue_failures;
mod extras;
mod html;
mod markdown;
mod remote;
mod svg;
mod words;

pub use build::{build, build_owned, instant};
pub use cue_failures::CueFailureReport;
pub use remote::RemoteEntry;
use words::summarize;
pub(crate) use words::{hms_of, over_words, planned_end_words, title_words, when};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use chrono_tz::Tz;
use serde::Serialize;

/// An instant as the report shows it: in the event's zone, with its offset.
pub type Time = DateTime<FixedOffset>;

/// The output formats of `showcall report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown (`md`): an event header, the session table, the timed
    /// interventions, the notes and messages, and the entries the agenda
    /// cannot place.
    Md,
    /// CSV (`csv`): one row per session under a fixed header (the columns
    /// docs/report.md lists), for spreadsheets.
    Csv,
    /// JSON (`json`): the serialisation of [`Report`], fields named as in
    /// these types (`tz` left out), states in snake_case, times RFC 3339
    /// with the event's offset, durations in whole seconds (`_s`).
    Json,
    /// SVG (`svg`): a timeline picture to print, a planned and an actual bar
    /// per session on one axis in the event's local time.
    Svg,
    /// One self-contained HTML page: summary first, the SVG inline.
    Html,
    /// The timed interventions as CSV, one row each.
    InterventionsCsv,
    /// The action points as CSV, one row each.
    ActionsCsv,
}

impl Format {
    /// Every format, in the order docs/report.md lists them.
    pub const ALL: [Format; 7] = [
        Format::Md,
        Format::Csv,
        Format::Json,
        Format::Svg,
        Format::Html,
        Format::InterventionsCsv,
        Format::ActionsCsv,
    ];

    /// `md` (or `markdown`), `csv`, `json`, `svg`, `html`,
    /// `interventions-csv`, `actions-csv`, in any case.
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Md),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "svg" => Some(Format::Svg),
            "html" => Some(Format::Html),
            "interventions-csv" => Some(Format::InterventionsCsv),
            "actions-csv" => Some(Format::ActionsCsv),
            _ => None,
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Json => "json",
            Format::Svg => "svg",
            Format::Html => "html",
            Format::Csv | Format::InterventionsCsv | Format::ActionsCsv => "csv",
        }
    }
}

/// The whole review. Its JSON serialisation is the `json` format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The event as a whole: plan, reality, status and lateness.
    pub event: EventSummary,
    /// One per agenda session, in agenda order.
    pub sessions: Vec<SessionReport>,
    /// Every timed intervention (a speaker holding the floor), in order.
    pub interventions: Vec<InterventionReport>,
    /// Every action point, in journal order.
    pub actions: Vec<ActionReport>,
    /// Every hold of the show, in journal order.
    pub holds: Vec<HoldReport>,
    /// Notes and speaker-screen messages, in journal order.
    pub timeline: Vec<TimelineItem>,
    /// Entries that name a session the agenda does not have.
    pub unknown_sessions: Vec<StrayEntry>,
    /// Entries of a kind this version does not know (from a newer writer).
    pub unknown_kinds: Vec<StrayEntry>,
    /// Entries the engine could not apply (e.g. `end` of a session that was
    /// not live), with why.
    pub ignored: Vec<StrayEntry>,
    /// Seqs withdrawn by `undo`, ascending. They count nowhere else.
    pub withdrawn: Vec<u64>,
    /// What the reader should know before trusting the numbers (entries
    /// stamped after the report's instant, a show never ended), in words.
    pub warnings: Vec<String>,
    /// Every change of the agenda during the show, oldest first. The
    /// sessions' planned times are those in force when the show opened.
    pub agenda_changes: Vec<AgendaChangeReport>,
    /// Entries written for a command from HTTP or OSC (their `source`), in
    /// journal order; empty when everything was typed at the keyboard (and
    /// then left out of the JSON, as before the field existed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub remote: Vec<RemoteEntry>,
    /// The cues out that failed (`cue_failed` entries), in journal order;
    /// empty when every cue went out (and then left out of the JSON).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cue_failures: Vec<CueFailureReport>,
    /// The event's zone, for the writers' local times.
    #[serde(skip)]
    pub tz: Tz,
}

/// Where the show stood when the report was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShowStatus {
    /// No session has started.
    NotStarted,
    /// A session is live (an unfinished or crashed show).
    Running,
    /// A session has ended and a later one has not started.
    BetweenSessions,
    /// The last session has ended.
    Finished,
    /// The journal stops while a session is live, long ago: it was never
    /// ended (the stage manager forgot, or the machine died). The review
    /// ends at the journal's last entry.
    NotEnded,
}

impl ShowStatus {
    /// The status in lowercase words (`not started`, `running`, `between
    /// sessions`, `finished`, `not ended`), as the writers print it.
    pub fn as_str(self) -> &'static str {
        match self {
            ShowStatus::NotStarted => "not started",
            ShowStatus::Running => "running",
            ShowStatus::BetweenSessions => "between sessions",
            ShowStatus::Finished => "finished",
            ShowStatus::NotEnded => "not ended",
        }
    }
}

/// The event as a whole: plan, reality, lateness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventSummary {
    /// The event's title from the agenda, sanitised.
    pub title: String,
    /// The event's date from the agenda (its first day, in the event's zone).
    pub date: NaiveDate,
    /// IANA zone name, e.g. `Europe/Zurich`.
    pub zone: String,
    /// The zone's abbreviation at the planned start, e.g. `CEST`.
    pub zone_abbr: String,
    /// The zone's offset at the planned start, e.g. `UTC+02:00`.
    pub utc_offset: String,
    /// The venue from the agenda, sanitised; `None` when the agenda names none.
    pub venue: Option<String>,
    /// The agenda's file name as shown to users (`agenda.toml`, not its
    /// path), sanitised.
    pub agenda: String,
    /// A rehearsal's review (the journal records a show clock or a moved
    /// agenda), not a real show's.
    pub rehearsal: bool,
    /// The instant the report describes: `now`, or for a show that is over
    /// (finished, or quiet for [`OVER_AFTER`]), its journal's last entry.
    pub report_at: Time,
    /// True when `report_at` is the journal's last entry because the show
    /// is over, not the clock's `now`.
    pub at_journal_end: bool,
    /// The journal's last entry at `report_at` (by time), if any.
    pub last_entry: Option<LastEntry>,
    /// Entries stamped after `report_at`: not counted.
    pub entries_after: usize,
    /// Where the show stood at `report_at`.
    pub status: ShowStatus,
    /// The live session's id while `status` is `running`.
    pub live: Option<String>,
    /// The first planned start as the show opened (before any agenda change
    /// during the show), in the event's zone.
    pub planned_start: Time,
    /// The planned end the screens and `check --status` show: the plan in
    /// force at the end (after any agenda change during the show).
    pub planned_end: Time,
    /// The planned end as the show opened, when an agenda change moved it.
    pub opening_planned_end: Option<Time>,
    /// The first actual start of any session, in the event's zone; `None`
    /// before anything started.
    pub actual_start: Option<Time>,
    /// When the last session ended; only once the show is finished.
    pub actual_end: Option<Time>,
    /// The engine's projection of the end while the show is not finished.
    pub projected_end: Option<Time>,
    /// `actual_start - planned_start`, whole seconds; negative: early.
    /// `None` before the first start.
    pub late_start_s: Option<i64>,
    /// Actual (or projected) end minus planned end, whole seconds;
    /// negative: early.
    pub end_lateness_s: i64,
    /// Sessions whose actual duration exceeds the planned one (the open
    /// session counts once it has).
    pub sessions_over: usize,
    /// The sum of every session's time over its allotment (`over_s` > 0),
    /// seconds. Held time is not in it.
    pub total_over_s: i64,
    /// The total time the show was held, seconds (an open hold up to the
    /// report's instant).
    pub held_s: i64,
    /// Each day's hard end (`must_end_by`) and whether it was met.
    pub hard_ends: Vec<HardEndReport>,
    /// True when the sessions span more than one local date: every time is
    /// then printed with its date.
    pub multi_day: bool,
}

/// One day's hard end (`must_end_by`) against the show's end that day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HardEndReport {
    /// The local date (event's zone) the hard end falls on.
    pub date: NaiveDate,
    /// The hard end, in the event's zone.
    pub must_end_by: Time,
    /// When that day's last session ended (projected while not finished).
    pub end: Time,
    /// True when `end` is a projection (the day is not over yet).
    pub projected: bool,
    /// `end - must_end_by`, seconds: positive = past the hard end.
    pub past_s: i64,
    /// `past_s <= 0`.
    pub met: bool,
}

/// An action point decided in the room (a journal `action` entry).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionReport {
    /// The `action` entry's seq in the journal.
    pub seq: u64,
    /// When it was logged, in the event's zone.
    pub at: Time,
    /// The session id it was decided in, if any.
    pub session: Option<String>,
    /// That session's title from the agenda, sanitised; `None` without a
    /// session, or when the agenda has no session of that id.
    pub session_title: Option<String>,
    /// What was decided, sanitised.
    pub text: String,
    /// Who follows it up (free text, sanitised); `None` when not given or
    /// blank.
    pub who: Option<String>,
    /// By when (free text such as "Friday" or a date, sanitised, not parsed);
    /// `None` when not given or blank.
    pub by: Option<String>,
}

/// One hold of the show (a `hold` entry and the `resume` that ended it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldReport {
    /// The `hold` entry's seq in the journal (the first `hold` when several
    /// came before a `resume`).
    pub seq: u64,
    /// The session held (the entry's, else the one live then).
    pub session: Option<String>,
    /// When the hold began (its `hold` entry's stamp), in the event's zone.
    pub start: Time,
    /// None while still held at the report's instant.
    pub end: Option<Time>,
    /// Start to end (to the report's instant while held), seconds.
    pub held_s: i64,
    /// Why the show was held, sanitised; `None` when not given or blank.
    pub reason: Option<String>,
}

/// The last journal entry the review counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LastEntry {
    /// Its `seq` in the journal.
    pub seq: u64,
    /// When it is stamped, in the event's zone.
    pub at: Time,
    /// Its `kind` tag.
    pub kind: String,
}

/// A show whose journal has been quiet this long, past its last entry and
/// past its planned end, is over: a review made later ends at the journal's
/// last entry instead of counting up to the clock. Six hours is longer than
/// any pause within a show day.
pub const OVER_AFTER: TimeDelta = TimeDelta::hours(6);

/// Where one session stood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    /// Started and ended.
    Done,
    /// Live when the report was made; its end and duration run up to `now`.
    Open,
    /// Live when the journal stopped, and never ended (the show is over):
    /// its duration runs to the journal's last entry, no further.
    NotEnded,
    /// Never started, and a later session did.
    Skipped,
    /// Not started, and no later session has started either.
    NotStarted,
    /// Cut from the running order by the stage manager (a `skip` entry).
    Cut,
}

impl SessionState {
    /// The state in lowercase words (`done`, `open`, `not ended`, `skipped`,
    /// `not started`, `cut`), as the writers print it.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Done => "done",
            SessionState::Open => "open",
            SessionState::NotEnded => "not ended",
            SessionState::Skipped => "skipped",
            SessionState::NotStarted => "not started",
            SessionState::Cut => "cut",
        }
    }
}

/// One session: plan, reality and what was logged about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionReport {
    /// The session's id from the agenda (the name the journal uses), sanitised.
    pub id: String,
    /// The session's title as the agenda gives it, sanitised.
    pub title: String,
    /// Where the session stood at the report's instant.
    pub state: SessionState,
    /// The planned start as the show opened (a session added during the show:
    /// as added), in the event's zone.
    pub planned_start: Time,
    /// The planned end as the show opened (a session added during the show: as
    /// added), in the event's zone.
    pub planned_end: Time,
    /// `planned_end - planned_start`, whole seconds.
    pub planned_s: i64,
    /// When it really started (its `start` entry, or a `start_fix`), in the
    /// event's zone; `None` if it never started.
    pub actual_start: Option<Time>,
    /// None while open, skipped or not started.
    pub actual_end: Option<Time>,
    /// Start to end, whole seconds; for an open session, start to `now`.
    /// Held time is in it (see `held_s`).
    pub actual_s: Option<i64>,
    /// `actual_start - planned_start`, whole seconds; negative: early.
    pub late_start_s: Option<i64>,
    /// Over the allotted time, seconds: `actual_s - held_s - (planned_s +
    /// adjust_s)` (held time is counted apart, never as running over), the
    /// same "over" the screens and the overrun form show; negative: under.
    pub over_s: Option<i64>,
    /// Over the plan alone, seconds: `actual_s - held_s - planned_s`;
    /// negative: under.
    pub over_plan_s: Option<i64>,
    /// Sum of the adjustments' `delta_s`, seconds: how far its allotted
    /// time was lengthened (negative: shortened).
    pub adjust_s: i64,
    /// Every adjustment of its allotted time that still applies (undone ones
    /// left out), in journal order.
    pub adjustments: Vec<Adjustment>,
    /// The speakers after the journal's changes.
    pub speakers: Vec<String>,
    /// Every speaker change that applied to it, in journal order.
    pub speaker_changes: Vec<SpeakerChangeReport>,
    /// Every overrun the stage manager logged for it, with its reason, in
    /// journal order.
    pub overruns: Vec<OverrunReport>,
    /// Its notes (`note` entries naming it), in journal order.
    pub notes: Vec<NoteReport>,
    /// How many timed interventions it had.
    pub interventions: usize,
    /// Their total spoken time, seconds.
    pub interventions_s: i64,
    /// Action points decided in it.
    pub actions: Vec<ActionReport>,
    /// Its holds, in journal order.
    pub holds: Vec<HoldReport>,
    /// Their total, whole seconds (an open hold up to the report's
    /// instant).
    pub held_s: i64,
    /// When and why it was cut, if it was.
    pub cut: Option<CutReport>,
    /// Started out of order: the ids of sessions listed before it that
    /// started after it. Empty otherwise.
    pub started_before: Vec<String>,
    /// True when the agenda file dropped it during the show after it ran
    /// (or was cut): its planned times are the ones it had.
    pub removed_from_agenda: bool,
    /// What agenda changes did to it, oldest first, in words:
    /// `retimed 15:52:10 (15:40–16:15 → 15:45–16:20)`, `added 15:52:10`.
    pub plan_changes: Vec<String>,
}

/// One change of the agenda file during the show (an `agenda` entry).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaChangeReport {
    /// The `agenda` entry's seq in the journal.
    pub seq: u64,
    /// When the new agenda took effect, in the event's zone.
    pub at: Time,
    /// sha256 of the agenda file that took effect.
    pub sha256: String,
    /// `1 retimed, 1 added`.
    pub summary: String,
    /// One line per session it changed: `qa retimed 15:40–16:15 →
    /// 15:45–16:20`, `lunch added 16:30–17:00 'Lunch'`.
    pub details: Vec<String>,
}

/// A session cut from the running order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutReport {
    /// The `skip` entry's seq in the journal.
    pub seq: u64,
    /// When it was cut, in the event's zone.
    pub at: Time,
    /// Why it was cut (the entry's note), sanitised.
    pub reason: String,
    /// The session was started after all, after this cut.
    pub taken_back: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// One change of a session's allotted time (a journal `adjust` entry).
pub struct Adjustment {
    /// The `adjust` entry's seq in the journal.
    pub seq: u64,
    /// When it was logged, in the event's zone.
    pub at: Time,
    /// Seconds added to the allotted time; negative: taken away.
    pub delta_s: i64,
    /// Why, sanitised; `None` when not given.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// A change of a session's speakers (a journal `speaker` entry).
pub struct SpeakerChangeReport {
    /// The `speaker` entry's seq in the journal.
    pub seq: u64,
    /// When it was logged, in the event's zone.
    pub at: Time,
    /// `replace`, `add` or `remove`.
    pub change: String,
    /// The speaker replaced or removed, sanitised; `None` for an `add`.
    pub from: Option<String>,
    /// The speaker who came in (replaced or added), sanitised; `None` for a
    /// `remove`.
    pub to: Option<String>,
    /// Why, sanitised; `None` when not given.
    pub note: Option<String>,
    /// In words: `Moderator → Deputy moderator (flight delayed)`.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// An overrun the stage manager logged for a session, with its reason (a
/// journal `overrun` entry).
pub struct OverrunReport {
    /// How far over the session was when the overrun was logged, whole seconds,
    /// as the entry records it.
    pub over_s: i64,
    /// Why it ran over (the entry's note), sanitised.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// A note logged about a session (a journal `note` entry naming it).
pub struct NoteReport {
    /// The `note` entry's seq in the journal.
    pub seq: u64,
    /// When it was logged, in the event's zone.
    pub at: Time,
    /// The note, sanitised.
    pub text: String,
}

/// One timed intervention from the floor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InterventionReport {
    /// The `floor` entry's seq in the journal (the keypress that started its
    /// clock).
    pub seq: u64,
    /// The id of the session it belongs to, sanitised.
    pub session: String,
    /// Its number within the session, 1-based, in order of the floor
    /// being given.
    pub number: usize,
    /// The speaker's name, sanitised, once given (with the `floor` entry or a
    /// later `floor_name`); `None` when never named.
    pub speaker: Option<String>,
    /// The speaker's name, or `speaker N`.
    pub label: String,
    /// When the speaker took the floor, in the event's zone.
    pub start: Time,
    /// None while the speaker still held the floor.
    pub end: Option<Time>,
    /// True when the speaker still held the floor at the report's instant
    /// (`end` is `None`).
    pub open: bool,
    /// Start to end (to `now` while open), whole seconds.
    pub spoken_s: i64,
    /// The session's slot per speaker (`intervention`), seconds, if it has
    /// one.
    pub slot_s: Option<i64>,
    /// `spoken_s - slot_s`, seconds; negative: within the slot. `None`
    /// without a slot.
    pub over_s: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
/// What a [`TimelineItem`] is.
pub enum TimelineKind {
    /// A note (a journal `note` entry), about a session or the whole show.
    Note,
    /// A speaker-screen message; an empty text cleared it.
    Message,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
/// A note or a speaker-screen message, in the order the journal has them.
pub struct TimelineItem {
    /// The entry's seq in the journal.
    pub seq: u64,
    /// When it was logged, in the event's zone.
    pub at: Time,
    /// A note or a message.
    pub kind: TimelineKind,
    /// The session id a note is about, if any; for a message, the session
    /// live when it was sent.
    pub session: Option<String>,
    /// The note or message, sanitised; empty for a message that cleared the
    /// speaker screen.
    pub text: String,
}

/// A journal entry the review can only list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrayEntry {
    /// The entry's seq in the journal.
    pub seq: u64,
    /// When the entry is stamped, in the event's zone.
    pub at: Time,
    /// The entry's `kind` tag.
    pub kind: String,
    /// The session id it names, if any.
    pub session: Option<String>,
    /// Its other fields (unknown kinds) or why it was not applied.
    pub detail: String,
}

/// Writes the report in `format`. Every format ends with a newline.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Md => markdown::render(report),
        Format::Csv => csv::render(report),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(report)
                .expect("a report is plain data and always serialises");
            s.push('\n');
            s
        }
        Format::Svg => svg::render(report),
        Format::Html => html::render(report),
        Format::InterventionsCsv => csv::interventions(report),
        Format::ActionsCsv => csv::actions(report),
    }
}

/// The action points alone, ready to paste into minutes (`showcall report
/// --actions`): a heading, then one line per point with its session, who
/// and by when; "No action points." when there are none. Plain text, each
/// piece sanitised.
pub fn actions_text(report: &Report) -> String {
    extras::actions_text(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::SpeakerChange;

    #[test]
    fn parses_formats() {
        assert_eq!(Format::parse("md"), Some(Format::Md));
        assert_eq!(Format::parse("Markdown"), Some(Format::Md));
        assert_eq!(Format::parse("CSV"), Some(Format::Csv));
        assert_eq!(Format::parse("json"), Some(Format::Json));
        assert_eq!(Format::parse("svg"), Some(Format::Svg));
        assert_eq!(Format::parse("pdf"), None);
    }

    #[test]
    fn describes_speaker_changes() {
        assert_eq!(
            crate::status::speaker_change(
                SpeakerChange::Replace,
                Some("Moderator"),
                Some("Deputy moderator"),
                Some("flight delayed")
            ),
            "Moderator → Deputy moderator (flight delayed)"
        );
        assert_eq!(
            crate::status::speaker_change(SpeakerChange::Add, None, Some("Ana"), None),
            "added Ana"
        );
        assert_eq!(
            crate::status::speaker_change(SpeakerChange::Remove, Some("Ana"), None, Some("")),
            "removed Ana"
        );
    }

    #[test]
    fn words_carry_the_sign() {
        assert_eq!(over_words(270, "over", "under"), "+4:30 over");
        assert_eq!(over_words(-120, "over", "under"), "-2:00 under");
        assert_eq!(over_words(0, "over", "under"), "on time");
    }
}
