//! The one projected timeline: for every session at one instant, its state,
//! its plan, its actual or projected start and end, its allotment and the
//! squeeze it takes; and, read from those rows, the NOW panel, the next cue,
//! the headline lateness and the hard-end overshoot.
//!
//! Every number a screen, `check --status` or the report shows comes from
//! here, so they agree. The rules (docs/timing.md):
//!
//! - A session not started is never projected before `now`, nor, if soft,
//!   before its planned start. Gaps in the plan absorb lateness.
//! - A `fixed` session is projected at its planned start while that is
//!   ahead; the item before it is squeezed to meet it. Once that start has
//!   passed unstarted, it is overdue and projected at `now`.
//! - What remains (not started, not missed) is projected in agenda order
//!   after the live session, so a session jumped over comes back after it.
//! - The headline lateness is the next cue's projected start minus its
//!   planned start; with no cue left, the live session's projected end
//!   minus its planned end; once finished, the actual end minus the plan's.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};

use super::countdown::{Countdown, ceil_secs, floor_secs};
use super::fold::Fold;
use super::{FloorNow, Live, Now, Signal};
use crate::agenda::Agenda;

/// Where a session stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowState {
    /// Started and ended.
    Done,
    /// Running now (the NOW panel shows it live).
    Live,
    /// Nothing has started; the plan has this session on now, so GO starts
    /// it (NOW shows it NOT STARTED).
    Due,
    /// The next cue: the session GO starts after the live one.
    Next,
    /// Still to come after the next cue.
    Later,
    /// Not started and no longer projected: its slot passed before the show
    /// began, or it comes before the first session that was started.
    Missed,
    /// Cut from the running order (a `skip` entry): not projected, not
    /// counted in lateness or the hard end.
    Cut,
}

impl RowState {
    /// The word the schedule shows.
    pub fn word(self) -> &'static str {
        match self {
            RowState::Done => "done",
            RowState::Live => "live",
            RowState::Due => "due",
            RowState::Next => "next",
            RowState::Later => "later",
            RowState::Missed => "missed",
            RowState::Cut => "cut",
        }
    }
}

/// One session's line in the timeline: plan, reality and projection. All
/// instants UTC.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The session's index in the agenda.
    pub idx: usize,
    /// Where the session stands at the snapshot's instant.
    pub state: RowState,
    /// Its planned start, as the agenda in force has it.
    pub planned_start: DateTime<Utc>,
    /// Its planned end, as the agenda in force has it.
    pub planned_end: DateTime<Utc>,
    /// Actual start if it started, else projected (planned, for a missed row).
    pub start: DateTime<Utc>,
    /// Actual end if it ended, else projected.
    pub end: DateTime<Utc>,
    /// True once it has started (`start` is actual, not projected).
    pub started: bool,
    /// True once it has ended (`end` is actual, not projected).
    pub ended: bool,
    /// Planned duration plus the journal's adjustments: what "over" counts
    /// against.
    pub allot: TimeDelta,
    /// How much this item must give up so that the fixed session after it
    /// starts on time; zero if none.
    pub squeeze: TimeDelta,
    /// For a session not started whose planned start has passed while it
    /// could start now: how long ago it was due.
    pub overdue: Option<TimeDelta>,
}

impl Row {
    /// `start - planned_start` in whole seconds as the schedule's Δ shows
    /// it (rounded down, like every count-up): how late it starts.
    pub fn delta_s(&self) -> i64 {
        floor_secs(self.start - self.planned_start)
    }

    /// True for rows the projection counts (not missed, not cut).
    pub fn counts(&self) -> bool {
        !matches!(self.state, RowState::Missed | RowState::Cut)
    }
}

/// The next cue as the NEXT panel and the speaker screen show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// The session's index in the agenda.
    pub idx: usize,
    /// Projected start, UTC.
    pub start: DateTime<Utc>,
    /// Countdown to the projected start, at the snapshot's instant.
    pub starts_in: Countdown,
    /// Whole seconds since its planned start passed, while it waits for
    /// GO; None while it is not yet due.
    pub overdue_s: Option<i64>,
    /// Its speakers after the journal's changes.
    pub speakers: Vec<String>,
}

/// The headline: how late the show runs, as one number with its basis.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// Whole seconds, rounded down; positive behind the plan, negative
    /// ahead (only possible once no session is left to start).
    pub late_s: i64,
    /// What `late_s` is measured on.
    pub basis: Basis,
    /// Time won that cannot be used because the next cue is soft and will
    /// not start before its plan: whole seconds, with the cue it is before.
    pub spare: Option<(i64, usize)>,
}

/// What the headline lateness is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The next cue's projected start against its planned start (the Δ of
    /// its row).
    Cue(usize),
    /// The live session's projected end against its planned end: no
    /// session is left to start.
    LiveEnd(usize),
    /// The actual end against the plan's end.
    Finished,
    /// Nothing to measure yet.
    None,
}

/// A hard end (`must_end_by`) the projection overshoots.
#[derive(Debug, Clone, PartialEq)]
pub struct Overshoot {
    /// The day whose hard end it is (a local date).
    pub day: NaiveDate,
    /// That day's hard end, UTC.
    pub by: DateTime<Utc>,
    /// How far past the hard end the day's last session is projected to end.
    pub over: TimeDelta,
    /// Flexible sessions still to come (or live) and how much each could give
    /// before reaching its `min_duration`.
    pub absorbers: Vec<(usize, TimeDelta)>,
    /// True if the absorbers together cover the overshoot.
    pub absorbable: bool,
    /// What to do about it: shrink these sessions by what is needed (never
    /// below their `min_duration`), then, if that is not enough, cut one; each step with the time it
    /// saves at the end, in the order given. Empty if nothing helps.
    pub plan: Vec<PlanStep>,
    /// The day's projected end with the whole plan carried out, UTC.
    pub plan_end: DateTime<Utc>,
}

/// One step of the plan to meet a hard end. `saves` is how much earlier
/// the end is projected once this step is added to the ones before it:
/// a gap in the plan or a fixed start after the session can absorb part
/// of what it gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStep {
    /// Shrink session `idx` to its `min_duration`: its allotment becomes
    /// `to`, `by` shorter than now.
    Shrink {
        /// The session's index in the agenda.
        idx: usize,
        /// Its allotment after the step: never below its `min_duration`, and no
        /// shorter than the hard end needs.
        to: TimeDelta,
        /// How much shorter than its allotment now.
        by: TimeDelta,
        /// How much earlier the day's end is projected, with this step and the
        /// ones before it.
        saves: TimeDelta,
    },
    /// Cut session `idx` from the running order.
    Cut {
        /// The session's index in the agenda.
        idx: usize,
        /// How much earlier the day's end is projected, with this step and
        /// the ones before it.
        saves: TimeDelta,
    },
}

impl PlanStep {
    /// The session the step is about.
    pub fn idx(self) -> usize {
        match self {
            PlanStep::Shrink { idx, .. } | PlanStep::Cut { idx, .. } => idx,
        }
    }

    /// How much earlier it makes the end.
    pub fn saves(self) -> TimeDelta {
        match self {
            PlanStep::Shrink { saves, .. } | PlanStep::Cut { saves, .. } => saves,
        }
    }
}

/// A session projected to end after a `fixed` session's start, which is
/// still ahead: the stage manager must shorten, end or cut something.
#[derive(Debug, Clone, PartialEq)]
pub struct Clash {
    /// The session that runs into it (agenda index).
    pub runs: usize,
    /// The fixed session (agenda index).
    pub fixed: usize,
    /// By how much, projected.
    pub by: TimeDelta,
}

/// Where the show stands at one instant: the one snapshot every view reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The instant, UTC.
    pub now_at: DateTime<Utc>,
    /// The NOW panel: the live session, the one due, idle or finished.
    pub now: Now,
    /// The NEXT panel: the session after the one in NOW.
    pub next: Option<Cue>,
    /// How late the show runs, in one number, with what it is measured on.
    pub headline: Headline,
    /// One per agenda session, in agenda order.
    pub rows: Vec<Row>,
    /// The planned end of the last session of the agenda in force
    /// ([`Agenda::planned_end`](crate::agenda::Agenda::planned_end)), UTC.
    pub planned_end: DateTime<Utc>,
    /// When the show is projected to end: the latest actual or projected end of
    /// the sessions that count (not missed, not cut); the actual end once
    /// finished. UTC.
    pub projected_end: DateTime<Utc>,
    /// The first day, by date, still running whose hard end (`must_end_by`) the
    /// projection passes by a whole second or more, with the plan that could
    /// meet it; `None` when every hard end is met (or none is set).
    pub overshoot: Option<Overshoot>,
    /// Fixed starts that something before them is projected to run into:
    /// squeezing the sessions between cannot save them.
    pub clashes: Vec<Clash>,
    /// The speaker screen's current message and when it was sent.
    pub message: Option<(String, DateTime<Utc>)>,
    /// True once any session has started.
    pub started: bool,
    /// Seqs withdrawn by an undo (the journal pane strikes them out).
    pub withdrawn: HashSet<u64>,
    /// Seqs the show left out (an `end` of a session not live, a stray
    /// stamped before the journal was opened…): the journal pane says so.
    pub left_out: HashSet<u64>,
    /// The speaker of every intervention, by the seq of its `floor` entry,
    /// as every view names it (`status::floor_speaker`: the name, later
    /// given or not, else `speaker 2`).
    pub floor_speakers: std::collections::HashMap<u64, String>,
}

impl Snapshot {
    /// The session GO would start: the due one in NOW, otherwise the next.
    pub fn go_target(&self) -> Option<usize> {
        match self.now {
            Now::Planned { idx, .. } => Some(idx),
            _ => self.next.as_ref().map(|c| c.idx),
        }
    }

    /// The live session, if any.
    pub fn live(&self) -> Option<&Live> {
        match &self.now {
            Now::Live(l) => Some(l),
            _ => None,
        }
    }

    /// The next cue's session, if any.
    pub fn next_idx(&self) -> Option<usize> {
        self.next.as_ref().map(|c| c.idx)
    }

    /// The next cue's projected start, UTC.
    pub fn next_start(&self) -> Option<DateTime<Utc>> {
        self.next.as_ref().map(|c| c.start)
    }

    /// The headline lateness as a duration (whole seconds).
    pub fn lateness(&self) -> TimeDelta {
        TimeDelta::seconds(self.headline.late_s)
    }

    /// The row of session `idx`.
    pub fn row(&self, idx: usize) -> &Row {
        &self.rows[idx]
    }
}

/// The allotment of session `i`: planned duration plus adjustments, never
/// negative.
pub(crate) fn allot(agenda: &Agenda, f: &Fold, i: usize) -> TimeDelta {
    (agenda.sessions[i].planned_duration() + TimeDelta::seconds(f.sessions[i].adjust_s))
        .max(TimeDelta::zero())
}

/// The timeline at `now`, from a fold that holds only entries stamped at or
/// before `now`.
/// Each fixed start still ahead that a session counted before it (done
/// ones excepted) is projected to end after.
fn clashes(agenda: &Agenda, rows: &[Row]) -> Vec<Clash> {
    let mut out = Vec::new();
    for f in rows.iter().filter(|r| {
        agenda.sessions[r.idx].fixed
            && matches!(r.state, RowState::Next | RowState::Later)
            && r.start == r.planned_start
    }) {
        let worst = rows
            .iter()
            .filter(|r| {
                r.idx != f.idx
                    && r.counts()
                    && !matches!(r.state, RowState::Done)
                    && r.start < f.start
                    && r.end > f.start
            })
            .max_by_key(|r| r.end);
        if let Some(r) = worst {
            out.push(Clash {
                runs: r.idx,
                fixed: f.idx,
                by: r.end - f.start,
            });
        }
    }
    out
}

/// The timeline of `agenda` and its folded journal `f` at `now` (UTC): every
/// row, the NOW and NEXT panels, the headline, the hard-end overshoot and the
/// clashes, by the rules above. `f` should hold only the entries stamped at or
/// before `now` ([`Show::at`](super::Show::at) sees to that). Pure; never
/// fails.
pub fn project(agenda: &Agenda, f: &Fold, now: DateTime<Utc>) -> Snapshot {
    let missed = missed(agenda, f, now);
    let remaining: Vec<usize> = (0..agenda.sessions.len())
        .filter(|&i| {
            f.sessions[i].actual_start.is_none() && !missed[i] && f.sessions[i].cut.is_none()
        })
        .collect();
    let now_panel = now_panel(agenda, f, now, &remaining);
    let mut rows = base_rows(agenda, f, now, &missed);
    project_remaining(agenda, f, now, &now_panel, &remaining, &mut rows);

    let due = match now_panel {
        Now::Planned { idx, .. } => Some(idx),
        _ => None,
    };
    let mut next = None;
    for &i in &remaining {
        if Some(i) == due {
            rows[i].state = RowState::Due;
        } else if next.is_none() {
            next = Some(i);
            rows[i].state = RowState::Next;
        } else {
            rows[i].state = RowState::Later;
        }
    }
    let cue = next.map(|i| Cue {
        idx: i,
        start: rows[i].start,
        starts_in: Countdown::to(now, rows[i].start),
        overdue_s: rows[i].overdue.map(floor_secs),
        speakers: f.sessions[i].speakers.clone(),
    });

    let planned_end = agenda.planned_end();
    let projected_end = match &now_panel {
        Now::Finished { at } => *at,
        _ => rows
            .iter()
            .filter(|r| r.counts())
            .map(|r| r.end)
            .max()
            .unwrap_or(planned_end),
    };
    let headline = headline(agenda, &now_panel, &rows, due.or(next), planned_end);
    let overshoot = overshoot(
        agenda,
        &Projection {
            pos: &position_in(&remaining, rows.len()),
            day: None,
            f,
            now,
            now_panel: &now_panel,
            remaining: &remaining,
            rows: &rows,
        },
    );
    let clashes = clashes(agenda, &rows);
    Snapshot {
        now_at: now,
        now: now_panel,
        next: cue,
        headline,
        rows,
        planned_end,
        projected_end,
        overshoot,
        clashes,
        message: f.message.as_ref().map(|(t, at, _)| (t.clone(), *at)),
        started: f.started(),
        withdrawn: f.withdrawn.clone(),
        left_out: f.ignored.iter().map(|(seq, _)| *seq).collect(),
        floor_speakers: f
            .sessions
            .iter()
            .flat_map(|s| s.floors.iter().enumerate())
            .map(|(n, fl)| {
                (
                    fl.seq,
                    crate::status::floor_speaker(fl.speaker.as_deref(), n + 1),
                )
            })
            .collect(),
    }
}

/// Which sessions are missed: not started and no longer projected.
fn missed(agenda: &Agenda, f: &Fold, now: DateTime<Utc>) -> Vec<bool> {
    let sessions = &agenda.sessions;
    let unstarted = |i: usize| f.sessions[i].actual_start.is_none() && f.sessions[i].cut.is_none();
    // Before the first start, the plan's past is missed, unless the whole
    // plan is past (then the show may still be run late, from the top).
    // After it, whatever comes before the first session started.
    let first_kept = match f.sessions.iter().position(|l| l.actual_start.is_some()) {
        Some(first) => first,
        None => sessions
            .iter()
            .position(|s| now < s.end)
            .unwrap_or_default(),
    };
    // A session the agenda file dropped is kept only for what it ran.
    (0..sessions.len())
        .map(|i| unstarted(i) && (i < first_kept || sessions[i].removed))
        .collect()
}

/// The NOW panel.
fn now_panel(agenda: &Agenda, f: &Fold, now: DateTime<Utc>, remaining: &[usize]) -> Now {
    let sessions = &agenda.sessions;
    if let Some(i) = f.live {
        return Now::Live(live(agenda, f, i, now));
    }
    if f.started() {
        if remaining.is_empty() {
            let at = f
                .sessions
                .iter()
                .filter_map(|l| l.actual_end)
                .max()
                .unwrap_or(now);
            return Now::Finished { at };
        }
        let last = f
            .last
            .and_then(|i| f.sessions[i].actual_end.map(|t| (i, t)));
        return Now::Idle { last };
    }
    // Nothing started: follow the plan.
    match remaining
        .iter()
        .copied()
        .find(|&i| sessions[i].start <= now && now < sessions[i].end)
    {
        Some(i) => {
            let s = &sessions[i];
            // The time it will get: what its countdown starts from at GO,
            // so GO starts it without a jump.
            let remaining = allot(agenda, f, i);
            Now::Planned {
                idx: i,
                late: now - s.start,
                remaining,
                signal: Signal::for_remaining(remaining, s.signals.within(s.planned_duration())),
                speakers: f.sessions[i].speakers.clone(),
            }
        }
        None => Now::Idle { last: None },
    }
}

/// The live session `i` at `now`.
fn live(agenda: &Agenda, f: &Fold, i: usize, now: DateTime<Utc>) -> Live {
    let s = &agenda.sessions[i];
    let log = &f.sessions[i];
    let since = log.actual_start.unwrap_or(now);
    let allot = allot(agenda, f, i);
    let held = f.held(i, now);
    // The clock stands still while held.
    let elapsed = now - since - held;
    let remaining = allot - elapsed;
    let thresholds = s.signals.within(allot);
    let floor = log.floors.last().filter(|fl| fl.end.is_none()).map(|fl| {
        let elapsed = now - fl.start;
        let iv = s.intervention;
        let remaining = iv.map(|iv| iv.slot - elapsed);
        FloorNow {
            speaker: fl.speaker.clone(),
            since: fl.start,
            number: log.floors.len(),
            elapsed,
            slot: iv.map(|iv| iv.slot),
            remaining,
            signal: match (remaining, iv) {
                (Some(r), Some(iv)) => Signal::for_remaining(r, iv.signals),
                _ => Signal::Ok,
            },
        }
    });
    Live {
        idx: i,
        since,
        held,
        elapsed,
        allot,
        remaining,
        signal: Signal::for_remaining(remaining, thresholds),
        thresholds,
        floor,
        speakers: log.speakers.clone(),
    }
}

/// Rows for what happened (done, live) and what was missed; the remaining
/// ones get their plan here and their projection in `project_remaining`.
fn base_rows(agenda: &Agenda, f: &Fold, now: DateTime<Utc>, missed: &[bool]) -> Vec<Row> {
    agenda
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let log = &f.sessions[i];
            let a = allot(agenda, f, i);
            let mut row = Row {
                idx: i,
                state: RowState::Later,
                planned_start: s.start,
                planned_end: s.end,
                start: s.start,
                end: s.start + a,
                started: false,
                ended: false,
                allot: a,
                squeeze: TimeDelta::zero(),
                overdue: None,
            };
            if let Some(start) = log.actual_start {
                let live = f.live == Some(i);
                row.state = if live { RowState::Live } else { RowState::Done };
                row.start = start;
                // A hold stops the live clock: its end slips by the time held.
                row.end = log
                    .actual_end
                    .unwrap_or_else(|| (start + a + f.held(i, now)).max(now));
                row.started = true;
                row.ended = !live;
            } else if log.cut.is_some() {
                row.state = RowState::Cut;
                row.end = s.start;
            } else if missed[i] {
                row.state = RowState::Missed;
                row.end = s.start;
            }
            row
        })
        .collect()
}

/// Projects the remaining sessions, in agenda order, after the live one (or
/// from `now`).
fn project_remaining(
    agenda: &Agenda,
    f: &Fold,
    now: DateTime<Utc>,
    now_panel: &Now,
    remaining: &[usize],
    rows: &mut [Row],
) {
    // The row before the next one in the running order: the one a fixed
    // session squeezes.
    let mut prev = f.live;
    let mut cursor = match now_panel {
        Now::Live(l) => rows[l.idx].end,
        _ => now,
    };
    for &i in remaining {
        let s = &agenda.sessions[i];
        let start = if s.fixed {
            let start = s.start.max(now);
            if let Some(p) = prev
                && cursor > start
            {
                let cut_to = start.max(rows[p].start);
                rows[p].squeeze = rows[p].end - cut_to;
                rows[p].end = cut_to;
            }
            start
        } else {
            s.start.max(cursor)
        };
        let row = &mut rows[i];
        row.start = start;
        row.end = start + row.allot;
        if start <= now && s.start < now {
            row.overdue = Some(now - s.start);
        }
        cursor = row.end;
        prev = Some(i);
    }
}

/// The headline lateness, from the rows (see the module's rules).
fn headline(
    agenda: &Agenda,
    now_panel: &Now,
    rows: &[Row],
    cue: Option<usize>,
    planned_end: DateTime<Utc>,
) -> Headline {
    match (cue, now_panel) {
        (Some(c), _) => {
            let late_s = rows[c].delta_s();
            // Time won by the live session that the soft cue cannot use.
            let spare = match now_panel {
                Now::Live(l) if late_s == 0 && !agenda.sessions[c].fixed => {
                    let live = &rows[l.idx];
                    let won = live.planned_end - live.end;
                    let gap = rows[c].planned_start - live.end;
                    let s = floor_secs(won.min(gap));
                    (s > 0).then_some((s, c))
                }
                _ => None,
            };
            Headline {
                late_s,
                basis: Basis::Cue(c),
                spare,
            }
        }
        (None, Now::Live(l)) => Headline {
            late_s: floor_secs(rows[l.idx].end - rows[l.idx].planned_end),
            basis: Basis::LiveEnd(l.idx),
            spare: None,
        },
        (None, Now::Finished { at }) => Headline {
            late_s: floor_secs(*at - planned_end),
            basis: Basis::Finished,
            spare: None,
        },
        _ => Headline {
            late_s: 0,
            basis: Basis::None,
            spare: None,
        },
    }
}

/// The projection's inputs, kept to try out a plan against a hard end.
#[derive(Clone, Copy)]
struct Projection<'a> {
    /// Each session's position in `remaining`, if it is there.
    pos: &'a [Option<usize>],
    /// Which sessions belong to the day whose end is measured (all, if
    /// None).
    day: Option<&'a [bool]>,
    f: &'a Fold,
    now: DateTime<Utc>,
    now_panel: &'a Now,
    remaining: &'a [usize],
    rows: &'a [Row],
}

impl Projection<'_> {
    /// The projected end (of the day measured) if sessions were shrunk to
    /// these allotments and these were cut. The same rules as
    /// `project_remaining`, worked again only from just before the first
    /// session changed, without copying the rows: a plan tries many.
    fn end_with(
        &self,
        agenda: &Agenda,
        shrink: &[(usize, TimeDelta)],
        cut: &[usize],
    ) -> DateTime<Utc> {
        let sessions = &agenda.sessions;
        let rows = self.rows;
        let allot = |i: usize| {
            shrink
                .iter()
                .find(|(j, _)| *j == i)
                .map_or(rows[i].allot, |(_, to)| *to)
        };
        let live = self.f.live;
        let live_shrunk = live.is_some_and(|l| shrink.iter().any(|(i, _)| *i == l));
        let first = shrink
            .iter()
            .map(|(i, _)| *i)
            .chain(cut.iter().copied())
            .filter_map(|i| self.pos[i])
            .min();
        // From the one before the first change: a fixed session squeezes
        // the one before it.
        let from = match first {
            _ if live_shrunk => 0,
            Some(p) => p.saturating_sub(1),
            None => self.remaining.len(),
        };
        // The row before the range (the live one, or the last remaining
        // before it), with its end before any squeeze, and the cursor.
        let (mut prev, mut cursor) = if from == 0 {
            let prev = live.map(|l| {
                let r = &rows[l];
                (l, r.start, (r.start + allot(l)).max(self.now))
            });
            let cursor = match self.now_panel {
                Now::Live(_) => prev.map_or(self.now, |p| p.2),
                _ => self.now,
            };
            (prev, cursor)
        } else {
            let j = self.remaining[from - 1];
            let r = &rows[j];
            let end = r.end + r.squeeze;
            (Some((j, r.start, end)), end)
        };
        let before = prev.map(|p| p.0);
        let mut best: Option<DateTime<Utc>> = None;
        let mut close = |p: Option<(usize, DateTime<Utc>, DateTime<Utc>)>| {
            if let Some((i, _, end)) = p
                && self.on_day(agenda, i)
            {
                best = best.max(Some(end));
            }
        };
        for &i in &self.remaining[from..] {
            if cut.contains(&i) {
                continue;
            }
            let s = &sessions[i];
            let start = if s.fixed {
                let start = s.start.max(self.now);
                if let Some((_, ps, pe)) = prev.as_mut()
                    && cursor > start
                {
                    *pe = start.max(*ps);
                }
                start
            } else {
                s.start.max(cursor)
            };
            close(prev);
            let end = start + allot(i);
            prev = Some((i, start, end));
            cursor = end;
        }
        close(prev);
        // The rows outside the range keep their projection.
        let kept = rows
            .iter()
            .filter(|r| r.counts() && self.on_day(agenda, r.idx) && Some(r.idx) != before)
            .filter(|r| self.pos[r.idx].is_none_or(|p| p < from.saturating_sub(1)))
            .map(|r| r.end)
            .max();
        best.max(kept).unwrap_or_else(|| agenda.planned_end())
    }

    /// True if session `i` belongs to the day measured.
    fn on_day(&self, _agenda: &Agenda, i: usize) -> bool {
        self.day.is_none_or(|d| d[i])
    }
}

/// Each session's position in `remaining` (None if it is not there).
fn position_in(remaining: &[usize], n: usize) -> Vec<Option<usize>> {
    let mut pos = vec![None; n];
    for (p, &i) in remaining.iter().enumerate() {
        pos[i] = Some(p);
    }
    pos
}

/// The most sessions tried for shrinking, the last flexible ones of the
/// day: bounds the work per frame, like [`CUT_CANDIDATES`].
const SHRINK_CANDIDATES: usize = 16;

/// The most sessions tried as the one to cut: the last ones of the running
/// order, where a cut is least likely to be absorbed by a gap. Bounds the
/// work per frame on very long agendas.
const CUT_CANDIDATES: usize = 32;

/// The first day whose projected end passes its hard end (`must_end_by`)
/// while some of its sessions are still to run, with a plan to meet it.
fn overshoot(agenda: &Agenda, p: &Projection<'_>) -> Option<Overshoot> {
    let sessions = &agenda.sessions;
    agenda.event.must_end_by.iter().find_map(|h| {
        // The day's bounds once, then a comparison per session.
        let midnight = |d: NaiveDate| {
            let t = d.and_hms_opt(0, 0, 0).unwrap_or_default();
            agenda
                .event
                .tz
                .from_local_datetime(&t)
                .earliest()
                .map_or_else(|| t.and_utc(), |x| x.with_timezone(&Utc))
        };
        let (lo, hi) = (midnight(h.date), midnight(h.date + TimeDelta::days(1)));
        let day: Vec<bool> = sessions
            .iter()
            .map(|s| lo <= s.start && s.start < hi)
            .collect();
        let p = Projection {
            day: Some(&day),
            ..*p
        };
        let rows: Vec<&Row> = p
            .rows
            .iter()
            .filter(|r| r.counts() && p.on_day(agenda, r.idx))
            .collect();
        if rows.iter().all(|r| r.ended) {
            return None;
        }
        let end = rows.iter().map(|r| r.end).max()?;
        let over = end - h.at;
        // Whole seconds, like every count-up: a fraction of a second is
        // not worth a plan.
        if floor_secs(over) < 1 {
            return None;
        }
        let absorbers: Vec<(usize, TimeDelta)> = rows
            .iter()
            .filter(|r| !r.ended && !sessions[r.idx].fixed)
            .filter_map(|r| {
                let min = sessions[r.idx].min_duration?;
                let give = r.allot - min;
                (give > TimeDelta::zero()).then_some((r.idx, give))
            })
            .collect();
        let total: TimeDelta = absorbers.iter().map(|(_, g)| *g).sum();
        let (plan, plan_end) = plan(agenda, &p, &absorbers, h.at, end);
        Some(Overshoot {
            day: h.date,
            by: h.at,
            over,
            absorbable: total >= over,
            absorbers,
            plan,
            plan_end,
        })
    })
}

/// Each shrink of a plan that meets `by` made as small as it can be, in
/// whole seconds, with the others kept: a session gives up exactly what
/// the hard end needs, not all it could (shrinking a 35-minute Q&A to its
/// 20-minute minimum to save two minutes would take fifteen from the room).
/// The end is monotone in each shrink, so a binary search finds it.
fn trim_shrinks(
    agenda: &Agenda,
    p: &Projection<'_>,
    shrink: &mut [(usize, TimeDelta)],
    cut: &[usize],
    by: DateTime<Utc>,
) {
    for k in 0..shrink.len() {
        let (idx, min) = shrink[k];
        let allot = p.rows[idx].allot;
        // Seconds given up: `hi` is known to meet `by`, `lo` is tried.
        let (mut lo, mut hi) = (0i64, ceil_secs(allot - min));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            shrink[k].1 = allot - TimeDelta::seconds(mid);
            if p.end_with(agenda, shrink, cut) <= by {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        shrink[k].1 = (allot - TimeDelta::seconds(hi)).max(min);
    }
}

/// Shrink the flexible sessions (latest first) while that helps and the
/// end is still past `by`; if that is not enough, cut the shortest session
/// whose cut meets `by` (else the one that saves most); then drop the
/// shrinks made needless by the others or the cut.
fn plan(
    agenda: &Agenda,
    p: &Projection<'_>,
    absorbers: &[(usize, TimeDelta)],
    by: DateTime<Utc>,
    projected_end: DateTime<Utc>,
) -> (Vec<PlanStep>, DateTime<Utc>) {
    let min_of = |i: usize| {
        p.rows[i].allot
            - absorbers
                .iter()
                .find(|(j, _)| *j == i)
                .map_or(TimeDelta::zero(), |(_, g)| *g)
    };
    let mut shrink: Vec<(usize, TimeDelta)> = Vec::new();
    let mut end = projected_end;
    for &(i, _) in absorbers.iter().rev().take(SHRINK_CANDIDATES) {
        if end <= by {
            break;
        }
        let mut trial = shrink.clone();
        trial.push((i, min_of(i)));
        let e = p.end_with(agenda, &trial, &[]);
        if e < end {
            shrink = trial;
            end = e;
        }
    }
    let mut cut = Vec::new();
    if end > by {
        let candidates: Vec<usize> = p
            .remaining
            .iter()
            .copied()
            .filter(|i| !shrink.iter().any(|(j, _)| j == i) && p.on_day(agenda, *i))
            .rev()
            .take(CUT_CANDIDATES)
            .collect();
        let tried: Vec<(usize, DateTime<Utc>)> = candidates
            .iter()
            .map(|&i| (i, p.end_with(agenda, &shrink, &[i])))
            .filter(|(_, e)| *e < end)
            .collect();
        let meets = tried
            .iter()
            .filter(|(_, e)| *e <= by)
            .min_by_key(|(i, _)| (p.rows[*i].allot, std::cmp::Reverse(*i)));
        let best = meets.or_else(|| {
            tried
                .iter()
                .min_by_key(|(i, e)| (*e, std::cmp::Reverse(*i)))
        });
        if let Some(&(i, e)) = best {
            cut.push(i);
            end = e;
        }
    }
    // Drop the shrinks the others (and the cut) make needless: keep only
    // those still needed to meet the hard end.
    if end <= by {
        let mut k = 0;
        while k < shrink.len() {
            let mut without = shrink.clone();
            without.remove(k);
            if p.end_with(agenda, &without, &cut) <= by {
                shrink = without;
            } else {
                k += 1;
            }
        }
    }
    if end <= by {
        trim_shrinks(agenda, p, &mut shrink, &cut, by);
    }
    // What each step saves, in order: shrinks, then the cut.
    let mut steps = Vec::new();
    let mut before = projected_end;
    for k in 0..shrink.len() {
        let e = p.end_with(agenda, &shrink[..=k], &[]);
        let (idx, to) = shrink[k];
        steps.push(PlanStep::Shrink {
            idx,
            to,
            by: p.rows[idx].allot - to,
            saves: before - e,
        });
        before = e;
    }
    let plan_end = p.end_with(agenda, &shrink, &cut);
    if let Some(&idx) = cut.first() {
        steps.push(PlanStep::Cut {
            idx,
            saves: before - plan_end,
        });
    }
    (steps, plan_end)
}
