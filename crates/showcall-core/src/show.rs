//! The show engine: given the agenda, the journal and an instant, where the
//! show stands.
//!
//! Pure: no terminal, no file, no real clock. [`Show::new`] folds the journal
//! once (a [`Fold`]) and [`Show::extend`] folds new entries in one by one;
//! [`Show::at`] projects the one timeline for an instant ([`project`]), the
//! complete [`Snapshot`] every view reads. [`Show::apply`] turns an
//! operator's [`Action`] into the journal entries to write: the one
//! decision every front end makes per action. Countdowns share one type
//! and one rounding rule ([`Countdown`]). Entries stamped after `now` are
//! not yet visible, so a snapshot at any instant is what the show looked
//! like then.

mod countdown;
mod cue_out;
mod decide;
mod fold;
mod hard_end;
pub mod replan;
mod timeline;

use std::borrow::Cow;

use chrono::{DateTime, TimeDelta, Utc};

use crate::agenda::{Agenda, Thresholds};
use crate::journal::Entry;

pub use countdown::{Countdown, ceil_secs, floor_secs, span_s};
pub use cue_out::{
    CueEvent, CueWatch, Firing, OscValue, Request, firings, held, next_signal_change,
};
pub use decide::{Action, Refused, current_overrun_s, decide, decisions_on_this_thread};
pub use fold::{Cut, Floor, Fold, Hold, SessionLog};
pub use hard_end::{Idle, Overshoot, PlanStep};
pub use timeline::{Basis, Clash, Cue, Headline, Row, RowState, Snapshot, project};

/// The signal a countdown shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Signal {
    /// More than the warn threshold remains: nothing to signal.
    Ok,
    /// At most the warn threshold remains (and more than final): WRAP UP.
    Warn,
    /// At most the final threshold remains, not yet zero: the last signal
    /// before time is up.
    Final,
    /// The countdown has passed zero: the speaker is over time.
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

/// What the NOW panel shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Now {
    /// Nothing has started; the plan has this session on now. `remaining`
    /// is the time it will get (its allotment, which its countdown starts
    /// from at GO), with the signal that would show.
    Planned {
        /// The session's index in the agenda.
        idx: usize,
        /// `now - planned start`: how long it has been due.
        late: TimeDelta,
        /// The time it will get at GO: its allotment (plan plus adjustments).
        remaining: TimeDelta,
        /// The signal `remaining` would show at GO ([`Signal::for_remaining`]).
        signal: Signal,
        /// Its speakers after the journal's changes.
        speakers: Vec<String>,
    },
    /// A session is live.
    Live(Live),
    /// Nothing live: before the event, between sessions, or a plan that has
    /// not started yet. `last` is the session that ended last and when.
    Idle {
        /// The session that ended last (agenda index) and when, UTC; `None`
        /// before anything has run.
        last: Option<(usize, DateTime<Utc>)>,
    },
    /// Every session has run (or the last one ended).
    Finished {
        /// When the last session ended, UTC.
        at: DateTime<Utc>,
    },
}

/// The live session as the NOW panel shows it, at the snapshot's instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Live {
    /// The session's index in the agenda.
    pub idx: usize,
    /// When it started (its `start` entry, or a `start_fix`), UTC.
    pub since: DateTime<Utc>,
    /// How long its clock has stood still (holds), by now.
    pub held: TimeDelta,
    /// Time run since `since`, less the time held.
    pub elapsed: TimeDelta,
    /// Its allotted time: planned duration plus the journal's adjustments,
    /// never negative.
    pub allot: TimeDelta,
    /// `allot - elapsed`; negative once over.
    pub remaining: TimeDelta,
    /// The signal its countdown shows, from `remaining` and `thresholds`.
    pub signal: Signal,
    /// The warn and final thresholds in force (see `Thresholds::within`).
    pub thresholds: Thresholds,
    /// The running intervention, if a speaker has the floor.
    pub floor: Option<FloorNow>,
    /// Its speakers after the journal's changes.
    pub speakers: Vec<String>,
}

/// The running intervention from the floor, at the snapshot's instant.
#[derive(Debug, Clone, PartialEq)]
pub struct FloorNow {
    /// The speaker's name once given (with `floor` or a later `floor_name`);
    /// `None` until then (views say `speaker N`).
    pub speaker: Option<String>,
    /// When the speaker took the floor (the `floor` entry's stamp), UTC.
    pub since: DateTime<Utc>,
    /// Which intervention of the session this is (1-based).
    pub number: usize,
    /// Time spoken since `since`.
    pub elapsed: TimeDelta,
    /// The slot and its countdown, when the session has one.
    pub slot: Option<TimeDelta>,
    /// `slot - elapsed` (negative once over) when the session has a slot;
    /// `None`: the intervention counts up.
    pub remaining: Option<TimeDelta>,
    /// The signal of the slot's countdown (the intervention's thresholds);
    /// [`Signal::Ok`] without a slot.
    pub signal: Signal,
}

/// True when `now` is far from the event's planned times: more than an
/// hour after its planned end, or more than 12 hours before its planned
/// start. Projections from such an instant mean nothing.
pub fn far_from_event(agenda: &Agenda, now: DateTime<Utc>) -> bool {
    now > agenda.planned_end() + TimeDelta::hours(1)
        || now < agenda.planned_start() - TimeDelta::hours(12)
}

/// The agenda and the journal, folded; ask it about any instant.
#[derive(Debug, Clone)]
pub struct Show {
    /// The agenda in force: the file's, with the sessions the journal ran that
    /// the file dropped kept and marked `removed`.
    pub agenda: Agenda,
    entries: Vec<Entry>,
    fold: Fold,
    /// The guard given by a flag (`--go-guard`), over the agenda's.
    go_guard: Option<TimeDelta>,
}

impl Show {
    /// The show of `agenda` (as read from its file) and the journal's
    /// `entries`. Sessions the journal ran that the file no longer has (an
    /// `agenda` entry removed them) are kept, marked `removed`.
    pub fn new(agenda: Agenda, entries: Vec<Entry>) -> Show {
        let agenda = replan::with_removed(agenda, &[], &entries, replan::started_in(&entries));
        let fold = Fold::new(&agenda, &entries);
        Show {
            agenda,
            entries,
            fold,
            go_guard: None,
        }
    }

    /// The double-GO guard in force: the flag's, else the agenda's
    /// `go_guard_ms`. A GO within it of the last start or form save is
    /// refused ([`Show::apply`]); zero turns it off.
    pub fn go_guard(&self) -> TimeDelta {
        self.go_guard.unwrap_or(self.agenda.event.go_guard)
    }

    /// Sets the guard from a flag, over the agenda's (kept when the agenda
    /// file is reloaded); None goes back to the agenda's.
    pub fn set_go_guard(&mut self, guard: Option<TimeDelta>) {
        self.go_guard = guard;
    }

    /// Puts `file` (the agenda file as read again during the show) in
    /// force and returns what changed, for the journal's `agenda` entry.
    /// Sessions that are done, live or cut and that the file dropped stay
    /// in the show, marked `removed`; the journal is folded again.
    pub fn replan(&mut self, file: Agenda) -> crate::journal::AgendaChange {
        let change = replan::diff(&self.agenda, &file);
        let fold = &self.fold;
        let old = &self.agenda;
        let ran = |id: &str| {
            old.index_of(id).is_some_and(|i| {
                fold.sessions[i].actual_start.is_some() || fold.sessions[i].cut.is_some()
            })
        };
        self.agenda = replan::with_removed(file, &self.agenda.sessions, &self.entries, ran);
        self.fold = Fold::new(&self.agenda, &self.entries);
        change
    }

    /// The instant every view reads the show at for `now`: `now` itself,
    /// unless nothing has started and `now` is [`far_from_event`]; then one
    /// second before the first planned session, so the plan shows as it
    /// stands, not projected from a day long before or after (a fresh
    /// clone opened years after the event is not "30,000 hours BEHIND").
    pub fn reading_instant(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        if !self.fold.started() && far_from_event(&self.agenda, now) {
            self.agenda.planned_start() - TimeDelta::seconds(1)
        } else {
            now
        }
    }

    /// All journal entries, withdrawn ones included.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Adds saved entries (from the writer or a follower). Each is folded
    /// in on its own; only an undo or an entry stamped before one already
    /// folded makes the whole journal fold again.
    pub fn extend(&mut self, new: impl IntoIterator<Item = Entry>) {
        let mut refold = false;
        for e in new {
            if !refold && !self.fold.push(&self.agenda, &e) {
                refold = true;
            }
            self.entries.push(e);
        }
        if refold {
            self.keep_removed();
            self.fold = Fold::new(&self.agenda, &self.entries);
        }
    }

    /// After an undo (or a new journal), the sessions kept because they
    /// ran are the ones the journal now says ran: one an `agenda` entry
    /// removed may have been started again, or a start undone. The same
    /// as a restart would keep.
    fn keep_removed(&mut self) {
        let any = self.agenda.sessions.iter().any(|s| s.removed)
            || self
                .entries
                .iter()
                .any(|e| matches!(e.kind, crate::journal::Kind::Agenda(_)));
        if any {
            let ran = replan::started_in(&self.entries);
            let mut agenda = self.agenda.clone();
            agenda.sessions.retain(|s| !s.removed || ran(&s.id));
            self.agenda = replan::with_removed(agenda, &[], &self.entries, ran);
        }
    }

    /// Replaces the entries (after a follower re-read a replaced journal).
    pub fn set_entries(&mut self, entries: Vec<Entry>) {
        if entries != self.entries {
            self.entries = entries;
            self.keep_removed();
            self.fold = Fold::new(&self.agenda, &self.entries);
        }
    }

    /// The journal folded in full (every entry, whatever its time).
    pub fn fold(&self) -> &Fold {
        &self.fold
    }

    /// The journal as it stood at `now`: entries stamped later are not
    /// visible yet.
    pub fn fold_at(&self, now: DateTime<Utc>) -> Cow<'_, Fold> {
        // By time, not by position: a journal reused with an earlier `--at`
        // holds later-stamped lines before the new ones, and the new ones
        // must still show at once.
        if self.fold.latest.is_none_or(|l| l <= now) {
            return Cow::Borrowed(&self.fold);
        }
        Cow::Owned(Fold::new_until(&self.agenda, &self.entries, Some(now)))
    }

    /// Where the show stands at `now`: the timeline and everything read
    /// from it.
    pub fn at(&self, now: DateTime<Utc>) -> Snapshot {
        project(&self.agenda, &self.fold_at(now), now)
    }
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
