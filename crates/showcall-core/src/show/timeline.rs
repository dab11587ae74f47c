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

use chrono::{DateTime, TimeDelta, Utc};

use super::countdown::{Countdown, ceil_secs, floor_secs};
use super::fold::Fold;
use super::hard_end::{Overshoot, Projection, overshoot, position_in};
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
        // A hold stops the speaker's slot too.
        let elapsed = now - fl.start - f.held_within(i, fl.start, now);
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
                    // Up to the cue's planned start: a countdown once the
                    // live session runs over (its end is `now`), so it reads
                    // as NEXT's "starts in" does (docs/timing.md).
                    let s = ceil_secs(won.min(gap));
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
