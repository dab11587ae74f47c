//! The post-event timing review: planned against actual, from the agenda and
//! the journal, as Markdown, CSV, JSON or SVG.
//!
//! Owns the [`Report`] data (what the review says) and its four writers
//! ([`markdown`], [`csv`], [`svg`]; JSON is the serialisation of [`Report`]).
//! Pure: the journal's meaning comes from the engine's [`Fold`](crate::show::Fold)
//! (undone entries are already left out there), the instant comes in as
//! `now`, and nothing here reads a file, a clock or a terminal. All agenda
//! and journal text is passed through [`sanitize`] when the report is built,
//! and escaped again for each format when it is written.
//!
//! The report is the journal as it stood at `now`: entries stamped later are
//! not visible yet, so `--at` gives the review as it would have looked then.

mod csv;
mod markdown;
mod svg;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::agenda::Agenda;
use crate::journal::{Entry, Kind};
use crate::show::{Fold, Now, Show};
use crate::text::{sanitize, signed_hms, utc_offset, zone_abbr};

/// An instant as the report shows it: in the event's zone, with its offset.
pub type Time = DateTime<FixedOffset>;

/// The output formats of `showcall report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Md,
    Csv,
    Json,
    Svg,
}

impl Format {
    /// `md` (or `markdown`), `csv`, `json`, `svg`, in any case.
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Md),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "svg" => Some(Format::Svg),
            _ => None,
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Svg => "svg",
        }
    }
}

/// The whole review. Its JSON serialisation is the `json` format.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub event: EventSummary,
    /// One per agenda session, in agenda order.
    pub sessions: Vec<SessionReport>,
    /// Every timed intervention (a speaker holding the floor), in order.
    pub interventions: Vec<InterventionReport>,
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
    pub title: String,
    pub date: NaiveDate,
    /// IANA zone name, e.g. `Europe/Zurich`.
    pub zone: String,
    /// The zone's abbreviation at the planned start, e.g. `CEST`.
    pub zone_abbr: String,
    /// The zone's offset at the planned start, e.g. `UTC+02:00`.
    pub utc_offset: String,
    pub venue: Option<String>,
    /// The agenda's file name.
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
    pub status: ShowStatus,
    /// The live session's id while `status` is `running`.
    pub live: Option<String>,
    pub planned_start: Time,
    pub planned_end: Time,
    /// The first actual start.
    pub actual_start: Option<Time>,
    /// When the last session ended; only once the show is finished.
    pub actual_end: Option<Time>,
    /// The engine's projection of the end while the show is not finished.
    pub projected_end: Option<Time>,
    /// `actual_start - planned_start`.
    pub late_start_s: Option<i64>,
    /// Actual (or projected) end minus planned end; negative: early.
    pub end_lateness_s: i64,
    /// Sessions whose actual duration exceeds the planned one (the open
    /// session counts once it has).
    pub sessions_over: usize,
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
    NotStarted,
    /// Cut from the running order by the stage manager (a `skip` entry).
    Cut,
}

impl SessionState {
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
    pub id: String,
    pub title: String,
    pub state: SessionState,
    pub planned_start: Time,
    pub planned_end: Time,
    pub planned_s: i64,
    pub actual_start: Option<Time>,
    /// None while open, skipped or not started.
    pub actual_end: Option<Time>,
    /// Start to end; for an open session, start to `now`.
    pub actual_s: Option<i64>,
    /// `actual_start - planned_start`; negative: early.
    pub late_start_s: Option<i64>,
    /// Over the allotted time: `actual_s - (planned_s + adjust_s)`, the
    /// same "over" the screens and the overrun form show; negative: under.
    pub over_s: Option<i64>,
    /// Over the plan alone: `actual_s - planned_s`; negative: under.
    pub over_plan_s: Option<i64>,
    /// Sum of the adjustments.
    pub adjust_s: i64,
    pub adjustments: Vec<Adjustment>,
    /// The speakers after the journal's changes.
    pub speakers: Vec<String>,
    pub speaker_changes: Vec<SpeakerChangeReport>,
    pub overruns: Vec<OverrunReport>,
    pub notes: Vec<NoteReport>,
    /// How many timed interventions it had.
    pub interventions: usize,
    /// When and why it was cut, if it was.
    pub cut: Option<CutReport>,
    /// Started out of order: the ids of sessions listed before it that
    /// started after it. Empty otherwise.
    pub started_before: Vec<String>,
}

/// A session cut from the running order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutReport {
    pub seq: u64,
    pub at: Time,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Adjustment {
    pub seq: u64,
    pub at: Time,
    pub delta_s: i64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeakerChangeReport {
    pub seq: u64,
    pub at: Time,
    /// `replace`, `add` or `remove`.
    pub change: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub note: Option<String>,
    /// In words: `Moderator → Deputy moderator (flight delayed)`.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverrunReport {
    pub over_s: i64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteReport {
    pub seq: u64,
    pub at: Time,
    pub text: String,
}

/// One timed intervention from the floor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InterventionReport {
    pub seq: u64,
    /// The session's id.
    pub session: String,
    /// 1-based, within the session.
    pub number: usize,
    pub speaker: Option<String>,
    /// The speaker's name, or `speaker N`.
    pub label: String,
    pub start: Time,
    /// None while the speaker still held the floor.
    pub end: Option<Time>,
    pub open: bool,
    /// Start to end (to `now` while open).
    pub spoken_s: i64,
    /// The session's slot, if it has one.
    pub slot_s: Option<i64>,
    /// `spoken_s - slot_s`; negative: within the slot.
    pub over_s: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    Note,
    /// A speaker-screen message; an empty text cleared it.
    Message,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineItem {
    pub seq: u64,
    pub at: Time,
    pub kind: TimelineKind,
    /// The session id a note is about, if any.
    pub session: Option<String>,
    pub text: String,
}

/// A journal entry the review can only list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrayEntry {
    pub seq: u64,
    pub at: Time,
    /// The entry's `kind` tag.
    pub kind: String,
    /// The session id it names, if any.
    pub session: Option<String>,
    /// Its other fields (unknown kinds) or why it was not applied.
    pub detail: String,
}

/// The instant a review of `entries` made at `now` describes, and whether
/// it is the journal's end: for a show that is over — finished at `now`, or
/// whose journal has been quiet for [`OVER_AFTER`] past its last entry and
/// the planned end — the last entry stamped at or before `now`; otherwise
/// `now`.
pub fn instant(agenda: &Agenda, entries: &[Entry], now: DateTime<Utc>) -> (DateTime<Utc>, bool) {
    let Some(last) = entries
        .iter()
        .map(|e| e.at.with_timezone(&Utc))
        .filter(|&t| t <= now)
        .max()
    else {
        return (now, false);
    };
    let show = Show::new(agenda.clone(), entries.to_vec());
    let finished = matches!(show.at(now).now, Now::Finished { .. });
    let quiet = now - last.max(agenda.planned_end()) > OVER_AFTER;
    if finished || quiet {
        (last, true)
    } else {
        (now, false)
    }
}

/// Builds the review of `entries` against `agenda` as it stood at `now`,
/// cut at the journal's end for a show that is over ([`instant`]). Times
/// keep whole milliseconds at most.
pub fn build(agenda: &Agenda, entries: &[Entry], now: DateTime<Utc>) -> Report {
    let tz = agenda.event.tz;
    let local = |t: DateTime<Utc>| -> Time {
        chrono::SubsecRound::trunc_subsecs(t, 3)
            .with_timezone(&tz)
            .fixed_offset()
    };
    let local_fixed = |t: DateTime<FixedOffset>| local(t.with_timezone(&Utc));
    let clean = |s: &str| sanitize(s).into_owned();
    let secs = |d: TimeDelta| d.num_seconds();

    let (now, at_journal_end) = instant(agenda, entries, now);
    let show = Show::new(agenda.clone(), entries.to_vec());
    let fold = show.fold_at(now);
    let fold: &Fold = &fold;
    let snap = show.at(now);

    // The effective entries for each session, for the details the fold only
    // sums up (adjustments and when they were made).
    let of_session = |i: usize| {
        let id = agenda.sessions[i].id.as_str();
        fold.effective
            .iter()
            .filter(move |e| e.kind.session() == Some(id))
    };

    let mut sessions = Vec::with_capacity(agenda.sessions.len());
    let mut interventions = Vec::new();
    for (i, (s, log)) in agenda.sessions.iter().zip(&fold.sessions).enumerate() {
        let open = fold.live == Some(i);
        let state = match log.actual_start {
            Some(_) if open && at_journal_end => SessionState::NotEnded,
            Some(_) if open => SessionState::Open,
            Some(_) => SessionState::Done,
            None if log.cut.is_some() => SessionState::Cut,
            None if fold.sessions[i + 1..]
                .iter()
                .any(|l| l.actual_start.is_some()) =>
            {
                SessionState::Skipped
            }
            None => SessionState::NotStarted,
        };
        let until = if open { Some(now) } else { log.actual_end };
        let planned_s = secs(s.planned_duration());
        let actual_s = log.actual_start.zip(until).map(|(a, b)| secs(b - a));
        let adjustments = of_session(i)
            .filter_map(|e| match &e.kind {
                Kind::Adjust { delta_s, note, .. } => Some(Adjustment {
                    seq: e.seq,
                    at: local_fixed(e.at),
                    delta_s: *delta_s,
                    note: note.as_deref().map(clean),
                }),
                _ => None,
            })
            .collect();
        let speaker_changes = log
            .speaker_changes
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::Speaker {
                    change,
                    from,
                    to,
                    note,
                    ..
                } => {
                    let from = from.as_deref().map(clean);
                    let to = to.as_deref().map(clean);
                    let note = note.as_deref().map(clean);
                    Some(SpeakerChangeReport {
                        seq: e.seq,
                        at: local_fixed(e.at),
                        change: change.as_str().to_owned(),
                        text: crate::status::speaker_change(
                            *change,
                            from.as_deref(),
                            to.as_deref(),
                            note.as_deref(),
                        ),
                        from,
                        to,
                        note,
                    })
                }
                _ => None,
            })
            .collect();
        let notes = log
            .notes
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::Note { text, .. } => Some(NoteReport {
                    seq: e.seq,
                    at: local_fixed(e.at),
                    text: clean(text),
                }),
                _ => None,
            })
            .collect();
        let slot_s = s.intervention.map(|iv| secs(iv.slot));
        for (n, fl) in log.floors.iter().enumerate() {
            let end = fl.end.unwrap_or(now);
            let spoken_s = secs(end - fl.start);
            let speaker = fl.speaker.as_deref().map(clean);
            interventions.push(InterventionReport {
                seq: fl.seq,
                session: clean(&s.id),
                number: n + 1,
                label: speaker
                    .clone()
                    .unwrap_or_else(|| format!("speaker {}", n + 1)),
                speaker,
                start: local(fl.start),
                end: fl.end.map(local),
                open: fl.end.is_none(),
                spoken_s,
                slot_s,
                over_s: slot_s.map(|slot| spoken_s - slot),
            });
        }
        sessions.push(SessionReport {
            id: clean(&s.id),
            title: clean(&s.title),
            state,
            planned_start: local(s.start),
            planned_end: local(s.end),
            planned_s,
            actual_start: log.actual_start.map(local),
            actual_end: if open {
                None
            } else {
                log.actual_end.map(local)
            },
            actual_s,
            late_start_s: log.actual_start.map(|a| secs(a - s.start)),
            over_s: actual_s.map(|a| a - (planned_s + log.adjust_s)),
            over_plan_s: actual_s.map(|a| a - planned_s),
            adjust_s: log.adjust_s,
            adjustments,
            speakers: log.speakers.iter().map(|sp| clean(sp)).collect(),
            speaker_changes,
            overruns: log
                .overruns
                .iter()
                .map(|(over_s, reason)| OverrunReport {
                    over_s: *over_s,
                    reason: clean(reason),
                })
                .collect(),
            notes,
            interventions: log.floors.len(),
            cut: log.cut.as_ref().map(|c| CutReport {
                seq: c.seq,
                at: local(c.at),
                reason: clean(&c.note),
            }),
            started_before: started_before(agenda, fold, i),
        });
    }

    let timeline = fold
        .effective
        .iter()
        .filter_map(|e| {
            let (kind, text, session) = match &e.kind {
                Kind::Note { text, session } => (TimelineKind::Note, text, session.as_deref()),
                Kind::Message { text } => (TimelineKind::Message, text, None),
                _ => return None,
            };
            Some(TimelineItem {
                seq: e.seq,
                at: local_fixed(e.at),
                kind,
                session: session.map(clean),
                text: clean(text),
            })
        })
        .collect();

    let by_seq = |seq: u64| fold.effective.iter().find(|e| e.seq == seq);
    let stray = |e: &Entry, detail: String| StrayEntry {
        seq: e.seq,
        at: local_fixed(e.at),
        kind: clean(e.kind.name()),
        session: e.kind.session().map(clean),
        detail: clean(&detail),
    };
    let unknown_sessions = fold
        .unknown_sessions
        .iter()
        .filter_map(|(seq, _)| by_seq(*seq))
        .map(|e| stray(e, summarize(&e.kind)))
        .collect();
    let unknown_kinds = fold
        .effective
        .iter()
        .filter_map(|e| match &e.kind {
            Kind::Unknown { fields, .. } => Some(stray(
                e,
                serde_json::Value::Object(fields.clone()).to_string(),
            )),
            _ => None,
        })
        .collect();
    let ignored = fold
        .ignored
        .iter()
        .filter_map(|(seq, why)| by_seq(*seq).map(|e| stray(e, why.clone())))
        .collect();
    let mut withdrawn: Vec<u64> = fold.withdrawn.iter().copied().collect();
    withdrawn.sort_unstable();

    let (status, live) = match &snap.now {
        Now::Live(l) if at_journal_end => (
            ShowStatus::NotEnded,
            Some(clean(&agenda.sessions[l.idx].id)),
        ),
        Now::Live(l) => (ShowStatus::Running, Some(clean(&agenda.sessions[l.idx].id))),
        Now::Finished { .. } => (ShowStatus::Finished, None),
        _ if fold.started() => (ShowStatus::BetweenSessions, None),
        _ => (ShowStatus::NotStarted, None),
    };
    let actual_start = fold.sessions.iter().filter_map(|l| l.actual_start).min();
    let (actual_end, projected_end) = match snap.now {
        Now::Finished { at } => (Some(at), None),
        _ => (None, Some(snap.projected_end)),
    };
    let planned_start = agenda.planned_start();
    let planned_end = agenda.planned_end();
    let last_entry = entries
        .iter()
        .filter(|e| e.at.with_timezone(&Utc) <= now)
        .max_by_key(|e| (e.at, e.seq))
        .map(|e| LastEntry {
            seq: e.seq,
            at: local_fixed(e.at),
            kind: clean(e.kind.name()),
        });
    let after: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.at.with_timezone(&Utc) > now)
        .collect();
    let mut warnings = Vec::new();
    if let Some(latest) = after.iter().map(|e| e.at).max() {
        warnings.push(format!(
            "{} journal entries are stamped after this review's instant {} (the latest at {}): \
             they are not counted; give --at {} or later to count them",
            after.len(),
            hms_of(&local(now)),
            hms_of(&local_fixed(latest)),
            hms_of(&local_fixed(latest)),
        ));
    }
    if let (ShowStatus::NotEnded, Some(id), Some(last)) = (status, &live, &last_entry) {
        warnings.push(format!(
            "'{id}' was never ended: the journal stops at seq {} ({}, {}) while it is live; \
             its duration is counted up to that entry",
            last.seq,
            last.kind,
            hms_of(&last.at)
        ));
    }
    let event = EventSummary {
        title: clean(&agenda.event.title),
        date: agenda.event.date,
        zone: tz.name().to_owned(),
        zone_abbr: zone_abbr(planned_start, tz),
        utc_offset: utc_offset(planned_start, tz),
        venue: agenda.event.venue.as_deref().map(clean),
        agenda: clean(&agenda.file_name),
        rehearsal: crate::journal::clock_of(entries).is_rehearsal(),
        report_at: local(now),
        at_journal_end,
        last_entry,
        entries_after: after.len(),
        status,
        live,
        planned_start: local(planned_start),
        planned_end: local(planned_end),
        actual_start: actual_start.map(local),
        actual_end: actual_end.map(local),
        projected_end: projected_end.map(local),
        late_start_s: actual_start.map(|a| secs(a - planned_start)),
        end_lateness_s: secs(actual_end.or(projected_end).unwrap_or(planned_end) - planned_end),
        sessions_over: sessions
            .iter()
            .filter(|s: &&SessionReport| s.over_s.is_some_and(|o| o > 0))
            .count(),
    };

    Report {
        event,
        sessions,
        interventions,
        timeline,
        unknown_sessions,
        unknown_kinds,
        ignored,
        withdrawn,
        warnings,
        tz,
    }
}

/// The ids of the sessions listed before session `i` that started after it
/// (empty unless `i` started out of order).
fn started_before(agenda: &Agenda, fold: &Fold, i: usize) -> Vec<String> {
    let Some(start) = fold.sessions[i].actual_start else {
        return Vec::new();
    };
    (0..i)
        .filter(|&j| fold.sessions[j].actual_start.is_some_and(|s| s > start))
        .map(|j| sanitize(&agenda.sessions[j].id).into_owned())
        .collect()
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
    }
}

/// A one-line summary of an entry's content, for entries listed as strays.
fn summarize(kind: &Kind) -> String {
    match kind {
        Kind::Start { .. } => "start".to_owned(),
        Kind::End { .. } => "end".to_owned(),
        Kind::Overrun { over_s, note, .. } => format!("overrun {}: {note}", signed_hms(*over_s)),
        Kind::Speaker {
            change,
            from,
            to,
            note,
            ..
        } => {
            crate::status::speaker_change(*change, from.as_deref(), to.as_deref(), note.as_deref())
        }
        Kind::Adjust { delta_s, note, .. } => match note {
            Some(n) => format!("adjust {} ({n})", signed_hms(*delta_s)),
            None => format!("adjust {}", signed_hms(*delta_s)),
        },
        Kind::Floor { speaker, .. } => match speaker {
            Some(s) => format!("floor to {s}"),
            None => "floor".to_owned(),
        },
        Kind::FloorClose { .. } => "floor closed".to_owned(),
        Kind::Note { text, .. } | Kind::Message { text } => text.clone(),
        Kind::Skip { note, .. } => format!("cut: {note}"),
        Kind::Agenda(c) => format!("agenda reloaded: {}", c.summary()),
        Kind::Open { .. } | Kind::Undo { .. } | Kind::Unknown { .. } => kind.name().to_owned(),
    }
}

/// `+4:30 over`, `2:00 under`, `on time`: a signed difference in words, so
/// the sign never carries the meaning alone.
pub(crate) fn over_words(s: i64, over: &str, under: &str) -> String {
    match s.signum() {
        1 => format!("{} {over}", signed_hms(s)),
        -1 => format!("{} {under}", signed_hms(s)),
        _ => "on time".to_owned(),
    }
}

/// "Timing review", or "Rehearsal timing review" for a rehearsal's.
pub(crate) fn title_words(e: &EventSummary) -> &'static str {
    if e.rehearsal {
        "Rehearsal timing review"
    } else {
        "Timing review"
    }
}

/// `HH:MM:SS` of a report time (already in the event's zone).
pub(crate) fn hms_of(t: &Time) -> String {
    t.format("%H:%M:%S").to_string()
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
