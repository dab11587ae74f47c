//! The show engine: given the agenda, the journal and an instant, where the
//! show stands.
//!
//! Pure: no terminal, no file, no real clock. [`Show::new`] folds the journal
//! once; [`Show::at`] answers every question the screens and the report ask
//! for one instant ([`Snapshot`]). [`decide`] turns an operator's [`Action`]
//! into the journal entries to write. Entries stamped after `now` are not yet
//! visible, so a snapshot at any instant is what the show looked like then.

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};

use crate::agenda::{Agenda, Thresholds};
use crate::journal::{Entry, Kind, SpeakerChange, withdrawn};

/// The signal a countdown shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    Ok,
    Warn,
    Final,
    Over,
}

impl Signal {
    /// The level for `remaining` time against `t`.
    pub fn for_remaining(remaining: TimeDelta, t: Thresholds) -> Signal {
        if remaining < TimeDelta::zero() {
            Signal::Over
        } else if remaining <= t.final_ {
            Signal::Final
        } else if remaining <= t.warn {
            Signal::Warn
        } else {
            Signal::Ok
        }
    }
}

/// One timed intervention (a speaker holding the floor).
#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    pub seq: u64,
    pub speaker: Option<String>,
    pub start: DateTime<Utc>,
    /// None while the speaker still holds the floor.
    pub end: Option<DateTime<Utc>>,
}

/// What the journal says happened to one session.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionLog {
    pub actual_start: Option<DateTime<Utc>>,
    pub actual_end: Option<DateTime<Utc>>,
    /// Sum of `adjust` entries, seconds.
    pub adjust_s: i64,
    /// Speakers after the journal's changes.
    pub speakers: Vec<String>,
    /// The speaker entries that applied, in order.
    pub speaker_changes: Vec<Entry>,
    /// `(over_s, reason)` for each logged overrun.
    pub overruns: Vec<(i64, String)>,
    /// Notes about this session.
    pub notes: Vec<Entry>,
    pub floors: Vec<Floor>,
}

/// The folded journal: what happened, independent of "now".
#[derive(Debug, Clone, PartialEq)]
pub struct Fold {
    /// One per agenda session, same order.
    pub sessions: Vec<SessionLog>,
    /// The session live after the last entry.
    pub live: Option<usize>,
    /// The last session that was live (live or ended).
    pub last: Option<usize>,
    /// The current message for the speaker screen, and when it was sent.
    pub message: Option<(String, DateTime<Utc>, u64)>,
    /// Entries that name sessions the agenda does not have: `(seq, id)`.
    pub unknown_sessions: Vec<(u64, String)>,
    /// The effective entries (withdrawn ones and their undos left out).
    pub effective: Vec<Entry>,
    /// Seqs withdrawn by an undo.
    pub withdrawn: HashSet<u64>,
    /// Entries that could not be applied (e.g. `end` of a session that was
    /// not live), with why. Kept and shown, never fatal.
    pub ignored: Vec<(u64, String)>,
}

impl Fold {
    pub fn new(agenda: &Agenda, entries: &[Entry]) -> Fold {
        let withdrawn = withdrawn(entries);
        let mut f = Fold {
            sessions: agenda
                .sessions
                .iter()
                .map(|s| SessionLog {
                    speakers: s.speakers.clone(),
                    ..SessionLog::default()
                })
                .collect(),
            live: None,
            last: None,
            message: None,
            unknown_sessions: Vec::new(),
            effective: Vec::new(),
            withdrawn,
            ignored: Vec::new(),
        };
        // In time order (stable, so equal stamps keep file order): a journal
        // reused with an earlier `--at` is still read as the show ran.
        let mut ordered: Vec<&Entry> = entries.iter().collect();
        ordered.sort_by_key(|e| e.at);
        for e in ordered {
            if f.withdrawn.contains(&e.seq) || matches!(e.kind, Kind::Undo { .. }) {
                continue;
            }
            f.apply(agenda, e);
            f.effective.push(e.clone());
        }
        f
    }

    fn apply(&mut self, agenda: &Agenda, e: &Entry) {
        let at = e.at.with_timezone(&Utc);
        let idx = match e.kind.session() {
            Some(id) => match agenda.index_of(id) {
                Some(i) => Some(i),
                None => {
                    self.unknown_sessions.push((e.seq, id.to_string()));
                    return;
                }
            },
            None => None,
        };
        match (&e.kind, idx) {
            (Kind::Start { .. }, Some(i)) => {
                if let Some(live) = self.live {
                    self.close(live, at);
                }
                let log = &mut self.sessions[i];
                // A restarted session keeps its first start: the time it
                // was stopped counts as part of it.
                log.actual_start.get_or_insert(at);
                log.actual_end = None;
                self.live = Some(i);
                self.last = Some(i);
            }
            (Kind::End { .. }, Some(i)) => {
                if self.live == Some(i) {
                    self.close(i, at);
                    self.live = None;
                } else {
                    self.ignored.push((
                        e.seq,
                        format!("end of '{}', which was not live", agenda.sessions[i].id),
                    ));
                }
            }
            (Kind::Overrun { over_s, note, .. }, Some(i)) => {
                self.sessions[i].overruns.push((*over_s, note.clone()));
            }
            (Kind::Adjust { delta_s, .. }, Some(i)) => self.sessions[i].adjust_s += delta_s,
            (
                Kind::Speaker {
                    change, from, to, ..
                },
                Some(i),
            ) => {
                let sp = &mut self.sessions[i].speakers;
                match change {
                    SpeakerChange::Replace => {
                        let pos = from.as_ref().and_then(|f| sp.iter().position(|s| s == f));
                        match (pos, to) {
                            (Some(p), Some(t)) => sp[p] = t.clone(),
                            (Some(p), None) => {
                                sp.remove(p);
                            }
                            (None, Some(t)) => sp.push(t.clone()),
                            (None, None) => {}
                        }
                    }
                    SpeakerChange::Add => {
                        if let Some(t) = to {
                            sp.push(t.clone());
                        }
                    }
                    SpeakerChange::Remove => {
                        if let Some(p) = from.as_ref().and_then(|f| sp.iter().position(|s| s == f))
                        {
                            sp.remove(p);
                        }
                    }
                }
                self.sessions[i].speaker_changes.push(e.clone());
            }
            (Kind::Floor { speaker, .. }, Some(i)) => {
                let floors = &mut self.sessions[i].floors;
                if let Some(open) = floors.last_mut().filter(|f| f.end.is_none()) {
                    open.end = Some(at);
                }
                floors.push(Floor {
                    seq: e.seq,
                    speaker: speaker.clone(),
                    start: at,
                    end: None,
                });
            }
            (Kind::FloorClose { .. }, Some(i)) => {
                if let Some(open) = self.sessions[i]
                    .floors
                    .last_mut()
                    .filter(|f| f.end.is_none())
                {
                    open.end = Some(at);
                }
            }
            (Kind::Note { .. }, Some(i)) => self.sessions[i].notes.push(e.clone()),
            (Kind::Message { text }, _) => {
                self.message = (!text.is_empty()).then(|| (text.clone(), at, e.seq));
            }
            _ => {}
        }
    }

    fn close(&mut self, i: usize, at: DateTime<Utc>) {
        let log = &mut self.sessions[i];
        log.actual_end = Some(at);
        if let Some(open) = log.floors.last_mut().filter(|f| f.end.is_none()) {
            open.end = Some(at);
        }
    }

    /// True once any session has started.
    pub fn started(&self) -> bool {
        self.last.is_some()
    }
}

/// Where a session stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    Done,
    Live,
    Next,
    Later,
    /// A later session started before this one ever did.
    Skipped,
}

/// One session's line in the schedule: plan, reality and projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub idx: usize,
    pub state: RowState,
    pub planned_start: DateTime<Utc>,
    pub planned_end: DateTime<Utc>,
    /// Actual start if it started, else projected.
    pub start: DateTime<Utc>,
    /// Actual end if it ended, projected otherwise.
    pub end: DateTime<Utc>,
    pub started: bool,
    pub ended: bool,
    /// Planned duration plus adjustments.
    pub allot: TimeDelta,
    /// `start - planned_start`: how late it starts (negative: early).
    pub start_delta: TimeDelta,
    /// For a fixed session: how much the sessions before it must give up to
    /// meet its start.
    pub squeeze: TimeDelta,
}

/// What the NOW panel shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Now {
    /// Nothing has started; the plan has this session on now. `remaining`
    /// runs to its planned end, with the signal that would show.
    Planned {
        idx: usize,
        late: TimeDelta,
        remaining: TimeDelta,
        signal: Signal,
    },
    /// A session is live.
    Live(Live),
    /// Nothing live: before the event, between sessions, or a plan that has
    /// not started yet.
    Idle,
    /// Every session has run (or the last one ended).
    Finished { at: DateTime<Utc> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    pub idx: usize,
    pub since: DateTime<Utc>,
    pub elapsed: TimeDelta,
    pub allot: TimeDelta,
    /// `allot - elapsed`; negative once over.
    pub remaining: TimeDelta,
    pub signal: Signal,
    /// The warn and final thresholds in force (see `Thresholds::within`).
    pub thresholds: Thresholds,
    /// The running intervention, if a speaker has the floor.
    pub floor: Option<FloorNow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FloorNow {
    pub speaker: Option<String>,
    pub since: DateTime<Utc>,
    /// Which intervention of the session this is (1-based).
    pub number: usize,
    pub elapsed: TimeDelta,
    /// The slot and its countdown, when the session has one.
    pub slot: Option<TimeDelta>,
    pub remaining: Option<TimeDelta>,
    pub signal: Signal,
}

/// A hard end (`must_end_by`) the projection overshoots.
#[derive(Debug, Clone, PartialEq)]
pub struct Overshoot {
    pub by: DateTime<Utc>,
    pub over: TimeDelta,
    /// Flexible sessions still to come (or live) and how much each could give
    /// before reaching its `min_duration`.
    pub absorbers: Vec<(usize, TimeDelta)>,
    /// True if the absorbers together cover the overshoot.
    pub absorbable: bool,
}

/// Where the show stands at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub now_at: DateTime<Utc>,
    pub now: Now,
    /// The session GO would start after the current one: the NEXT panel.
    pub next: Option<usize>,
    /// Projected (or planned) start of `next`.
    pub next_start: Option<DateTime<Utc>>,
    /// Positive: behind the plan; negative: ahead.
    pub lateness: TimeDelta,
    pub rows: Vec<Row>,
    pub planned_end: DateTime<Utc>,
    pub projected_end: DateTime<Utc>,
    pub overshoot: Option<Overshoot>,
    pub message: Option<(String, DateTime<Utc>)>,
}

impl Snapshot {
    /// The session GO would start: the planned-but-not-started one in the
    /// NOW panel, otherwise the next.
    pub fn go_target(&self) -> Option<usize> {
        match self.now {
            Now::Planned { idx, .. } => Some(idx),
            _ => self.next,
        }
    }

    /// The live session, if any.
    pub fn live(&self) -> Option<&Live> {
        match &self.now {
            Now::Live(l) => Some(l),
            _ => None,
        }
    }
}

/// The agenda and the journal, folded; ask it about any instant.
#[derive(Debug, Clone)]
pub struct Show {
    pub agenda: Agenda,
    entries: Vec<Entry>,
    fold: Fold,
}

impl Show {
    pub fn new(agenda: Agenda, entries: Vec<Entry>) -> Show {
        let fold = Fold::new(&agenda, &entries);
        Show {
            agenda,
            entries,
            fold,
        }
    }

    /// All journal entries, withdrawn ones included.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Adds saved entries (from the writer or a follower).
    pub fn extend(&mut self, new: impl IntoIterator<Item = Entry>) {
        let before = self.entries.len();
        self.entries.extend(new);
        if self.entries.len() != before {
            self.fold = Fold::new(&self.agenda, &self.entries);
        }
    }

    /// Replaces the entries (after a writer saved or a follower re-read).
    pub fn set_entries(&mut self, entries: Vec<Entry>) {
        if entries != self.entries {
            self.fold = Fold::new(&self.agenda, &entries);
            self.entries = entries;
        }
    }

    /// The journal folded in full (every entry, whatever its time).
    pub fn fold(&self) -> &Fold {
        &self.fold
    }

    /// The journal as it stood at `now`: entries stamped later are not
    /// visible yet.
    pub fn fold_at(&self, now: DateTime<Utc>) -> std::borrow::Cow<'_, Fold> {
        // By time, not by position: a journal reused with an earlier `--at`
        // holds later-stamped lines before the new ones, and the new ones
        // must still show at once.
        if self.entries.iter().all(|e| e.at.with_timezone(&Utc) <= now) {
            return std::borrow::Cow::Borrowed(&self.fold);
        }
        let visible: Vec<Entry> = self
            .entries
            .iter()
            .filter(|e| e.at.with_timezone(&Utc) <= now)
            .cloned()
            .collect();
        std::borrow::Cow::Owned(Fold::new(&self.agenda, &visible))
    }

    /// Where the show stands at `now`.
    pub fn at(&self, now: DateTime<Utc>) -> Snapshot {
        snapshot(&self.agenda, &self.fold_at(now), now)
    }
}

fn allot(agenda: &Agenda, f: &Fold, i: usize) -> TimeDelta {
    agenda.sessions[i].planned_duration() + TimeDelta::seconds(f.sessions[i].adjust_s)
}

/// Where the show stands at `now`, from a fold.
pub fn snapshot(agenda: &Agenda, f: &Fold, now: DateTime<Utc>) -> Snapshot {
    let n = agenda.sessions.len();
    let sessions = &agenda.sessions;

    // The NOW panel, and the point after which sessions are projected.
    let (now_panel, anchor_end, first_unstarted) = match (f.live, f.last) {
        (Some(i), _) => {
            let log = &f.sessions[i];
            let since = log.actual_start.unwrap_or(now);
            let allot = allot(agenda, f, i);
            let elapsed = now - since;
            let remaining = allot - elapsed;
            let floor = log.floors.last().filter(|fl| fl.end.is_none()).map(|fl| {
                let elapsed = now - fl.start;
                let iv = sessions[i].intervention;
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
            let live = Live {
                idx: i,
                since,
                elapsed,
                allot,
                remaining,
                signal: Signal::for_remaining(remaining, sessions[i].signals.within(allot)),
                thresholds: sessions[i].signals.within(allot),
                floor,
            };
            let end = (since + allot).max(now);
            (Now::Live(live), Some(end), i + 1)
        }
        (None, Some(last)) => {
            let ended = f.sessions[last].actual_end.unwrap_or(now);
            if last + 1 >= n {
                (Now::Finished { at: ended }, Some(ended), n)
            } else {
                (Now::Idle, Some(ended.max(now)), last + 1)
            }
        }
        (None, None) => {
            // Follow the plan: the session planned for this instant.
            let planned = sessions.iter().position(|s| s.start <= now && now < s.end);
            match planned {
                Some(i) => (
                    Now::Planned {
                        idx: i,
                        late: now - sessions[i].start,
                        remaining: sessions[i].end - now,
                        signal: Signal::for_remaining(
                            sessions[i].end - now,
                            sessions[i].signals.within(sessions[i].planned_duration()),
                        ),
                    },
                    None,
                    i,
                ),
                None => {
                    let upcoming = sessions.iter().position(|s| s.start > now).unwrap_or(0);
                    (Now::Idle, None, upcoming)
                }
            }
        }
    };

    // Project every session from `first_unstarted` on.
    let mut rows = Vec::with_capacity(n);
    let mut cursor = anchor_end.unwrap_or(now);
    if let Now::Planned { .. } = now_panel {
        cursor = now;
    }
    let mut next = None;
    for (i, s) in sessions.iter().enumerate() {
        let log = &f.sessions[i];
        let a = allot(agenda, f, i);
        let started = log.actual_start.is_some();
        let row = if started {
            let start = log.actual_start.unwrap_or(s.start);
            let live = f.live == Some(i);
            let end = log.actual_end.unwrap_or_else(|| (start + a).max(now));
            Row {
                idx: i,
                state: if live { RowState::Live } else { RowState::Done },
                planned_start: s.start,
                planned_end: s.end,
                start,
                end,
                started: true,
                ended: !live,
                allot: a,
                start_delta: start - s.start,
                squeeze: TimeDelta::zero(),
            }
        } else if i < first_unstarted && f.started() {
            Row {
                idx: i,
                state: RowState::Skipped,
                planned_start: s.start,
                planned_end: s.end,
                start: s.start,
                end: s.start,
                started: false,
                ended: false,
                allot: a,
                start_delta: TimeDelta::zero(),
                squeeze: TimeDelta::zero(),
            }
        } else {
            let (start, squeeze) = if s.fixed {
                (s.start, (cursor - s.start).max(TimeDelta::zero()))
            } else {
                (s.start.max(cursor), TimeDelta::zero())
            };
            // Before anything starts, sessions before the planned one are
            // "later" only if still ahead in the plan.
            let state = if next.is_none()
                && i >= first_unstarted
                && !matches!(now_panel, Now::Planned { idx, .. } if idx == i)
            {
                next = Some(i);
                RowState::Next
            } else {
                RowState::Later
            };
            let end = start + a;
            if i >= first_unstarted {
                cursor = end;
            }
            Row {
                idx: i,
                state,
                planned_start: s.start,
                planned_end: s.end,
                start,
                end,
                started: false,
                ended: false,
                allot: a,
                start_delta: start - s.start,
                squeeze,
            }
        };
        rows.push(row);
    }
    if let Now::Planned { idx, .. } = now_panel {
        rows[idx].state = RowState::Live;
    }
    // Before the show, sessions already past in the plan are not "later".
    if !f.started() {
        for r in rows.iter_mut().take(first_unstarted) {
            r.state = RowState::Skipped;
            r.start = r.planned_start;
            r.end = r.planned_start;
            r.start_delta = TimeDelta::zero();
        }
    }

    let planned_end = agenda.planned_end();
    let projected_end = match &now_panel {
        Now::Finished { at } => *at,
        _ => rows
            .iter()
            .filter(|r| r.state != RowState::Skipped)
            .map(|r| r.end)
            .max()
            .unwrap_or(planned_end),
    };

    let lateness = match &now_panel {
        Now::Live(l) => (l.since + l.allot).max(now) - sessions[l.idx].end,
        Now::Planned { late, .. } => *late,
        Now::Finished { at } => *at - planned_end,
        Now::Idle => match (f.last, next) {
            (Some(last), Some(nx)) => {
                let ended = f.sessions[last].actual_end.unwrap_or(now);
                (ended - sessions[last].end).max(now - sessions[nx].start)
            }
            (None, _) => TimeDelta::zero(),
            (Some(last), None) => f.sessions[last].actual_end.unwrap_or(now) - sessions[last].end,
        },
    };

    let overshoot = agenda.event.must_end_by.and_then(|by| {
        let over = projected_end - by;
        (over > TimeDelta::zero()).then(|| {
            let absorbers: Vec<(usize, TimeDelta)> = rows
                .iter()
                .filter(|r| !r.ended && !sessions[r.idx].fixed)
                .filter(|r| matches!(r.state, RowState::Live | RowState::Next | RowState::Later))
                .filter_map(|r| {
                    let min = sessions[r.idx].min_duration?;
                    let give = r.allot - min;
                    (give > TimeDelta::zero()).then_some((r.idx, give))
                })
                .collect();
            let total: TimeDelta = absorbers.iter().map(|(_, g)| *g).sum();
            Overshoot {
                by,
                over,
                absorbable: total >= over,
                absorbers,
            }
        })
    });

    let next_start = next.map(|i| rows[i].start);
    Snapshot {
        now_at: now,
        now: now_panel,
        next,
        next_start,
        lateness,
        rows,
        planned_end,
        projected_end,
        overshoot,
        message: f.message.as_ref().map(|(t, at, _)| (t.clone(), *at)),
    }
}

/// What the operator asks for. Each becomes zero or more journal entries.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Start the planned-not-started session, or the next one.
    Go,
    /// End the live session; a gap follows.
    End,
    /// Log an overrun of the live (or last) session, with its reason.
    Overrun {
        over_s: i64,
        note: String,
    },
    ChangeSpeaker {
        change: SpeakerChange,
        from: Option<String>,
        to: Option<String>,
        note: Option<String>,
    },
    /// Lengthen (positive) or shorten the live session.
    Extend(i64),
    Message(String),
    ClearMessage,
    Note(String),
    /// Withdraw the last effective entry.
    Undo,
    /// Give the floor to the next speaker (ends the running intervention).
    Floor(Option<String>),
    /// Close the floor: the running intervention ends.
    FloorClose,
}

/// Why an action cannot be taken now. Shown to the operator; nothing is
/// written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("no session is live")]
    NothingLive,
    #[error("no session left to start")]
    NothingNext,
    #[error("nothing to undo")]
    NothingToUndo,
    #[error("no session to log this against")]
    NoSession,
    #[error("no one has the floor")]
    NoFloor,
}

/// The journal entries that carry out `action` at `now`.
pub fn decide(show: &Show, action: &Action, now: DateTime<Utc>) -> Result<Vec<Kind>, Refused> {
    let snap = show.at(now);
    let fold = show.fold_at(now);
    let id = |i: usize| show.agenda.sessions[i].id.clone();
    let live = snap.live().map(|l| l.idx);
    // Things logged "about the session" go to the live one, else the one
    // that just ended, else the one the plan has on now.
    let subject = live.or(fold.last).or(match snap.now {
        Now::Planned { idx, .. } => Some(idx),
        _ => None,
    });
    Ok(match action {
        Action::Go => vec![Kind::Start {
            session: id(snap.go_target().ok_or(Refused::NothingNext)?),
        }],
        Action::End => vec![Kind::End {
            session: id(live.ok_or(Refused::NothingLive)?),
        }],
        Action::Overrun { over_s, note } => vec![Kind::Overrun {
            session: id(live.or(fold.last).ok_or(Refused::NoSession)?),
            over_s: *over_s,
            note: note.clone(),
        }],
        Action::ChangeSpeaker {
            change,
            from,
            to,
            note,
        } => vec![Kind::Speaker {
            session: id(subject.ok_or(Refused::NoSession)?),
            change: *change,
            from: from.clone(),
            to: to.clone(),
            note: note.clone(),
        }],
        Action::Extend(d) => vec![Kind::Adjust {
            session: id(live.ok_or(Refused::NothingLive)?),
            delta_s: *d,
            note: None,
        }],
        Action::Message(t) => vec![Kind::Message { text: t.clone() }],
        Action::ClearMessage => vec![Kind::Message {
            text: String::new(),
        }],
        Action::Note(t) => vec![Kind::Note {
            text: t.clone(),
            session: subject.map(id),
        }],
        Action::Undo => {
            let target = fold
                .effective
                .iter()
                .rev()
                .find(|e| !matches!(e.kind, Kind::Open { .. } | Kind::Undo { .. }))
                .ok_or(Refused::NothingToUndo)?;
            vec![Kind::Undo { target: target.seq }]
        }
        Action::Floor(speaker) => vec![Kind::Floor {
            session: id(live.ok_or(Refused::NothingLive)?),
            speaker: speaker.clone(),
        }],
        Action::FloorClose => {
            let l = snap.live().ok_or(Refused::NothingLive)?;
            if l.floor.is_none() {
                return Err(Refused::NoFloor);
            }
            vec![Kind::FloorClose { session: id(l.idx) }]
        }
    })
}

/// The overrun so far of the live session, or, between sessions, how far
/// the session that just ended ran over its allotment; whole seconds, 0 if
/// none. The overrun form is pre-filled with it.
pub fn current_overrun_s(snap: &Snapshot) -> i64 {
    let over = match snap.live() {
        Some(l) => -l.remaining,
        None => snap
            .rows
            .iter()
            .filter(|r| r.state == RowState::Done)
            .max_by_key(|r| r.end)
            .map_or(TimeDelta::zero(), |r| (r.end - r.start) - r.allot),
    };
    over.num_seconds().max(0)
}

/// Watches snapshots for a countdown crossing into a higher signal level
/// (warn, final, over), so a flash or a bell fires exactly once per crossing.
/// A new session or intervention starts afresh; nothing fires while idle.
#[derive(Debug, Clone, Default)]
pub struct Crossings {
    session: Option<(usize, Signal)>,
    floor: Option<(usize, usize, Signal)>,
}

impl Crossings {
    /// The level just crossed into since the last call, if any.
    pub fn observe(&mut self, snap: &Snapshot) -> Option<Signal> {
        let live = snap.live();
        let session = live.map(|l| (l.idx, l.signal));
        let floor = live.and_then(|l| {
            l.floor
                .as_ref()
                .filter(|f| f.slot.is_some())
                .map(|f| (l.idx, f.number, f.signal))
        });
        let s = match (self.session, session) {
            (Some((i, before)), Some((j, now))) if i == j && now > before => Some(now),
            _ => None,
        };
        let f = match (self.floor, floor) {
            (Some((i, n, before)), Some((j, m, now))) if (i, n) == (j, m) && now > before => {
                Some(now)
            }
            _ => None,
        };
        self.session = session;
        self.floor = floor;
        s.max(f)
    }
}
