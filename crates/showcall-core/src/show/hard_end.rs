//! The hard end (`must_end_by`): how far the projection overshoots it and
//! the plan to meet it (docs/timing.md, "The hard end"). A plan is tried
//! on the projection's own rules ([`Projection::end_with`]), projecting
//! again only from the first session a step changes.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};

use super::Now;
use super::countdown::{ceil_secs, floor_secs};
use super::fold::Fold;
use super::timeline::Row;
use crate::agenda::Agenda;

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
    /// For each step of `plan`, in order: the session that follows the
    /// one it changes, and where it will really start with the whole plan
    /// carried out (None if nothing follows).
    pub follows: Vec<Follows>,
    /// Where the plan leaves the room idle, or idle longer than it is now:
    /// a session (soft, or fixed) whose start does not move up to the end
    /// the plan makes earlier. The stage manager's choice is said with it
    /// (docs/timing.md, "The hard end").
    pub idle: Vec<Idle>,
}

/// The session after a plan's step and its start with the plan carried
/// out (UTC), if one follows.
pub type Follows = Option<(usize, DateTime<Utc>)>;

/// A stretch with nothing on in the room, from `from` until session
/// `before` starts at `start` (UTC), with a plan carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Idle {
    /// The session the room waits for (its index in the agenda).
    pub before: usize,
    /// When the session before it ends, UTC.
    pub from: DateTime<Utc>,
    /// When the session waited for starts, UTC.
    pub start: DateTime<Utc>,
}

impl Idle {
    /// How long the room is idle.
    pub fn length(self) -> TimeDelta {
        self.start - self.from
    }
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

/// The projection's inputs, kept to try out a plan against a hard end.
#[derive(Clone, Copy)]
pub(super) struct Projection<'a> {
    /// Each session's position in `remaining`, if it is there.
    pub(super) pos: &'a [Option<usize>],
    /// Which sessions belong to the day whose end is measured (all, if
    /// None).
    pub(super) day: Option<&'a [bool]>,
    pub(super) f: &'a Fold,
    pub(super) now: DateTime<Utc>,
    pub(super) now_panel: &'a Now,
    pub(super) remaining: &'a [usize],
    pub(super) rows: &'a [Row],
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

    /// The live session and those still to run, in running order, as
    /// `(idx, start, end)` with these shrinks and cuts: the rules of
    /// [`Projection::end_with`] worked from the start, once per plan (for
    /// what follows each step and where the room is idle).
    fn walk(
        &self,
        agenda: &Agenda,
        shrink: &[(usize, TimeDelta)],
        cut: &[usize],
    ) -> Vec<(usize, DateTime<Utc>, DateTime<Utc>)> {
        let rows = self.rows;
        let allot = |i: usize| {
            shrink
                .iter()
                .find(|(j, _)| *j == i)
                .map_or(rows[i].allot, |(_, to)| *to)
        };
        let mut out = Vec::new();
        let mut cursor = self.now;
        if let Some(l) = self.f.live {
            let r = &rows[l];
            let end = (r.start + allot(l)).max(self.now);
            out.push((l, r.start, end));
            if matches!(self.now_panel, Now::Live(_)) {
                cursor = end;
            }
        }
        for &i in self.remaining.iter().filter(|i| !cut.contains(i)) {
            let s = &agenda.sessions[i];
            let start = if s.fixed {
                let start = s.start.max(self.now);
                if let Some(last) = out.last_mut()
                    && cursor > start
                {
                    last.2 = start.max(last.1);
                }
                start
            } else {
                s.start.max(cursor)
            };
            let end = start + allot(i);
            out.push((i, start, end));
            cursor = end;
        }
        out
    }

    /// The idle stretches of a walk on the day measured: a session that
    /// starts a whole second or more after the one before it ends.
    fn idle_in(
        &self,
        agenda: &Agenda,
        walk: &[(usize, DateTime<Utc>, DateTime<Utc>)],
    ) -> Vec<Idle> {
        walk.windows(2)
            .filter(|w| self.on_day(agenda, w[0].0) && self.on_day(agenda, w[1].0))
            .filter(|w| floor_secs(w[1].1 - w[0].2) >= 1)
            .map(|w| Idle {
                before: w[1].0,
                from: w[0].2,
                start: w[1].1,
            })
            .collect()
    }

    /// What follows each step, and where the plan leaves the room idle
    /// longer than it is now (see [`Overshoot::follows`], [`Overshoot::idle`]).
    fn consequences(
        &self,
        agenda: &Agenda,
        steps: &[PlanStep],
        shrink: &[(usize, TimeDelta)],
        cut: &[usize],
    ) -> (Vec<Follows>, Vec<Idle>) {
        let walk = self.walk(agenda, shrink, cut);
        let follows = steps
            .iter()
            .map(|step| {
                let next = match *step {
                    PlanStep::Shrink { idx, .. } => walk.iter().skip_while(|w| w.0 != idx).nth(1),
                    PlanStep::Cut { idx, .. } => walk
                        .iter()
                        .find(|w| self.pos[w.0].is_some() && self.pos[w.0] > self.pos[idx]),
                };
                next.map(|w| (w.0, w.1))
            })
            .collect();
        let now = self.idle_in(agenda, &self.walk(agenda, &[], &[]));
        let idle = self
            .idle_in(agenda, &walk)
            .into_iter()
            .filter(|i| {
                let before = now
                    .iter()
                    .find(|n| n.before == i.before)
                    .map_or(TimeDelta::zero(), |n| n.length());
                floor_secs(i.length() - before) >= 1
            })
            .collect();
        (follows, idle)
    }

    /// True if session `i` belongs to the day measured.
    fn on_day(&self, _agenda: &Agenda, i: usize) -> bool {
        self.day.is_none_or(|d| d[i])
    }
}

/// Each session's position in `remaining` (None if it is not there).
pub(super) fn position_in(remaining: &[usize], n: usize) -> Vec<Option<usize>> {
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
pub(super) fn overshoot(agenda: &Agenda, p: &Projection<'_>) -> Option<Overshoot> {
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
        let (plan, plan_end, shrink, cut) = plan(agenda, &p, &absorbers, h.at, end);
        let (follows, idle) = p.consequences(agenda, &plan, &shrink, &cut);
        Some(Overshoot {
            follows,
            idle,
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
/// shrinks made needless by the others or the cut. Returns the steps, the
/// end they make, and the shrinks and cut they are made of.
fn plan(
    agenda: &Agenda,
    p: &Projection<'_>,
    absorbers: &[(usize, TimeDelta)],
    by: DateTime<Utc>,
    projected_end: DateTime<Utc>,
) -> (Vec<PlanStep>, DateTime<Utc>, Shrinks, Vec<usize>) {
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
    (steps, plan_end, shrink, cut)
}

/// The shrinks of a plan: each session and the allotment it is given.
type Shrinks = Vec<(usize, TimeDelta)>;
