//! The agenda: raw `agenda.toml` → a validated [`Agenda`] with every time
//! resolved to an instant.
//!
//! Owns the agenda file format, its validation and its located diagnostics.
//! Everything downstream works in UTC instants and real elapsed durations;
//! the event's zone is kept only to show times the way the crew reads them.
//! Knows nothing about journals, clocks or terminals.
//!
//! The work is split the way ripgrep splits low-level from high-level args:
//! `parse` reads the file and the TOML syntax into a spanned raw table,
//! `validate` turns that into an [`Agenda`] (collecting every problem),
//! `values` holds the small value languages (times, dates, durations, ids),
//! and `schedule` renders what `showcall check` prints.

use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use crate::diag::Diagnostics;

/// The default warn threshold: five minutes before the countdown reaches
/// zero, when neither `[signals]` nor the session sets `warn`.
pub const DEFAULT_WARN: TimeDelta = TimeDelta::minutes(5);
/// The default final threshold: one minute before the countdown reaches zero,
/// when neither `[signals]` nor the session sets `final`.
pub const DEFAULT_FINAL: TimeDelta = TimeDelta::minutes(1);

/// The most problems shown at once; past this the file is probably not an
/// agenda at all. Only these are located in the text.
pub const MAX_PROBLEMS: usize = 100;

/// The largest agenda file we read.
pub const MAX_AGENDA_BYTES: u64 = 1024 * 1024;

/// A validated agenda. Sessions are in start order, do not overlap, and have
/// unique ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Agenda {
    /// The file's name as shown to users (e.g. `agenda.toml`).
    pub file_name: String,
    /// sha256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The `[event]` table: title, date, zone, venue, languages, extra clocks
    /// and hard ends.
    pub event: Event,
    /// The agenda-wide signal thresholds (`[signals]`).
    pub signals: Thresholds,
    /// The running order (`[[session]]` tables) in file order, which is start
    /// order; never empty in a validated agenda.
    pub sessions: Vec<Session>,
    /// The cues out (`[[cue]]` tables) in file order: what to send to
    /// sound, lights or video when the show changes (docs/cues.md). Empty
    /// when the agenda has none.
    pub cues: Vec<Trigger>,
}

#[derive(Debug, Clone, PartialEq)]
/// The `[event]` table, validated.
pub struct Event {
    /// The event's name (`title`); text without control characters or escape
    /// sequences.
    pub title: String,
    /// The event's date (`date`): the local date, in the event's zone, of the
    /// first session, and the date a session without its own `date` defaults
    /// to. A rehearsal's [`Agenda::shifted`] moves it with the sessions.
    pub date: NaiveDate,
    /// The IANA zone every time in the file is read in (`timezone`, e.g.
    /// `Europe/Zurich`); used to show instants the way the crew reads them,
    /// across daylight-saving changes.
    pub tz: Tz,
    /// Where the event happens (`venue`), if given.
    pub venue: Option<String>,
    /// Interpretation languages (`languages`), as written; empty when not
    /// given.
    pub languages: Vec<String>,
    /// Extra clocks for the online audience (`also_show`).
    pub also_show: Vec<Tz>,
    /// The hard ends (`must_end_by`), one per day that has one, by date:
    /// interpretation booths, room booking. A session is bound by the hard
    /// end of its day (the local date of its start).
    pub must_end_by: Vec<HardEnd>,
    /// The double-GO guard (`go_guard_ms`): a GO within this long of the
    /// last start or form save is refused. Zero turns it off;
    /// [`DEFAULT_GO_GUARD`] when the agenda does not say.
    pub go_guard: TimeDelta,
}

/// The double-GO guard when the agenda does not set one: half a second,
/// longer than a double press or a held Enter, shorter than any real
/// second GO.
pub const DEFAULT_GO_GUARD: TimeDelta = TimeDelta::milliseconds(500);

/// The hard end of one day of the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HardEnd {
    /// The day, a local date in the event's zone.
    pub date: NaiveDate,
    /// The instant, UTC.
    pub at: DateTime<Utc>,
}

/// When a countdown turns to warn and to final. Both count down to zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Time remaining on the countdown when the warn signal (WRAP UP) shows;
    /// longer than `final_`.
    pub warn: TimeDelta,
    /// Time remaining on the countdown when the final signal shows; shorter
    /// than `warn`. (The trailing underscore because `final` is a Rust keyword;
    /// the agenda key is `final`.)
    pub final_: TimeDelta,
}

impl Thresholds {
    /// The thresholds a countdown of `allot` really uses: warn at most half
    /// of it and final at most a fifth, so a five-minute session does not
    /// open on WRAP UP because the agenda-wide warn is five minutes.
    pub fn within(self, allot: TimeDelta) -> Thresholds {
        Thresholds {
            warn: self.warn.min(allot / 2),
            final_: self.final_.min(allot / 5),
        }
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warn: DEFAULT_WARN,
            final_: DEFAULT_FINAL,
        }
    }
}

/// Timed interventions from the floor (`intervention = "3m"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intervention {
    /// How long each speaker from the floor may speak (`intervention`), a
    /// positive duration.
    pub slot: TimeDelta,
    /// Scaled to the slot unless set: one sixth and one eighteenth of it
    /// (30 s and 10 s for a 3-minute slot).
    pub signals: Thresholds,
}

impl Intervention {
    /// The default signals of an intervention `slot`: warn at a sixth of it and
    /// final at an eighteenth, whole seconds, at least one second each (30 s
    /// and 10 s for a 3-minute slot).
    pub fn scaled(slot: TimeDelta) -> Thresholds {
        let s = slot.num_seconds();
        Thresholds {
            warn: TimeDelta::seconds((s / 6).max(1)),
            final_: TimeDelta::seconds((s / 18).max(1)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
/// One item of the running order (a `[[session]]` table), validated, with its
/// times resolved to UTC instants.
pub struct Session {
    /// Unique slug; the journal refers to the session by it.
    pub id: String,
    /// What the session is called (`title`), as the agenda gives it; text
    /// without control characters or escape sequences.
    pub title: String,
    /// Planned start and end. `end - start` is real elapsed time, across
    /// daylight-saving changes and midnight.
    pub start: DateTime<Utc>,
    /// See `start`: the planned end, UTC, from `end` or `start + duration` (or
    /// the next session's start when neither is given).
    pub end: DateTime<Utc>,
    /// Who speaks, in order (`speakers`), as written; empty when not given. The
    /// journal's speaker changes are applied later, by the show, not here.
    pub speakers: Vec<String>,
    /// Who moderates, chairs or hosts the session (`moderators = [...]`):
    /// a role on the session, not a speaker. Empty when not given.
    pub moderators: Vec<String>,
    /// Notes for the crew (`notes`); the only agenda text that may hold
    /// newlines and tabs.
    pub notes: Option<String>,
    /// A fixed start never moves (`fixed = true`).
    pub fixed: bool,
    /// How far the session may shrink to absorb lateness.
    pub min_duration: Option<TimeDelta>,
    /// Resolved thresholds: the session's own, else the agenda's.
    pub signals: Thresholds,
    /// Timed interventions from the floor (`intervention`), if the session has
    /// them.
    pub intervention: Option<Intervention>,
    /// 1-based line of the `[[session]]` header, for messages.
    pub line: usize,
    /// No longer in the agenda file: kept in the show because the journal
    /// has it done or live (see `show::Show::replan`). Never set by parsing.
    pub removed: bool,
}

impl Session {
    /// `end - start`: the planned length as real elapsed time (across a
    /// daylight-saving change it differs from the wall-clock difference).
    pub fn planned_duration(&self) -> TimeDelta {
        self.end - self.start
    }
}

impl Agenda {
    /// Reads and validates an agenda file. Every problem is reported, located.
    ///
    /// Errors: every problem at once (up to [`MAX_PROBLEMS`]), each as
    /// `FILE:LINE:COL` with a help line: a missing or unreadable file, a
    /// directory or device, a file over [`MAX_AGENDA_BYTES`], bad TOML,
    /// unknown keys, bad values, overlapping or unordered sessions. The
    /// shell exits 2 on them.
    pub fn load(path: &Path) -> Result<Agenda, Diagnostics> {
        crate::agenda::parse::load(path)
    }

    /// Validates agenda bytes; `file_name` is used in messages.
    ///
    /// Errors: as [`Agenda::load`], except those of reading the file.
    pub fn parse(bytes: &[u8], file_name: &str) -> Result<Agenda, Diagnostics> {
        crate::agenda::parse::parse(bytes, file_name)
    }

    /// The session with id `id`, or `None` if the agenda has none (ids are
    /// matched exactly, case included).
    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// The day of session `i`: the local date of its planned start.
    pub fn day_of(&self, i: usize) -> NaiveDate {
        self.sessions[i]
            .start
            .with_timezone(&self.event.tz)
            .date_naive()
    }

    /// The hard end of the day `date`, if it has one.
    pub fn hard_end_on(&self, date: NaiveDate) -> Option<DateTime<Utc>> {
        self.event
            .must_end_by
            .iter()
            .find(|h| h.date == date)
            .map(|h| h.at)
    }

    /// The position of session `id` in the running order (0-based), or `None`
    /// if the agenda has none.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.sessions.iter().position(|s| s.id == id)
    }

    /// The planned start of the first session.
    pub fn planned_start(&self) -> DateTime<Utc> {
        self.sessions
            .first()
            .map_or_else(|| self.local_midnight(), |s| s.start)
    }

    /// The planned end of the last session.
    pub fn planned_end(&self) -> DateTime<Utc> {
        self.sessions
            .last()
            .map_or_else(|| self.local_midnight(), |s| s.end)
    }

    fn local_midnight(&self) -> DateTime<Utc> {
        self.event
            .tz
            .from_local_datetime(&self.event.date.and_hms_opt(0, 0, 0).expect("midnight"))
            .earliest()
            .map_or_else(
                || {
                    self.event
                        .date
                        .and_hms_opt(0, 0, 0)
                        .expect("midnight")
                        .and_utc()
                },
                |t| t.with_timezone(&Utc),
            )
    }

    /// The same agenda with every planned instant moved by `delta`: a
    /// rehearsal of the event at another time.
    pub fn shifted(&self, delta: TimeDelta) -> Agenda {
        let mut a = self.clone();
        for s in &mut a.sessions {
            s.start += delta;
            s.end += delta;
        }
        // A hard end stays the hard end of the same sessions' day.
        let tz = self.event.tz;
        for h in &mut a.event.must_end_by {
            let anchor = (0..self.sessions.len())
                .find(|&i| self.day_of(i) == h.date)
                .map_or(h.at, |i| self.sessions[i].start);
            h.date = (anchor + delta).with_timezone(&tz).date_naive();
            h.at += delta;
        }
        if let Some(first) = a.sessions.first() {
            a.event.date = first.start.with_timezone(&a.event.tz).date_naive();
        }
        a
    }
}

mod parse;
mod schedule;
mod trigger;
mod validate;
mod values;

pub use trigger::{
    Escape, MAX_FILL_CHARS, On, OscArg, PLACEHOLDERS, Target, Template, Trigger, Vars, placeholders,
};

/// The resolved schedule as `showcall check` prints it: a header with the
/// event, then one line per session (id, local times with zone and offset,
/// duration, title), speakers indented below. All agenda text is sanitised.
pub fn schedule_text(agenda: &Agenda) -> String {
    schedule::schedule_text(agenda)
}
