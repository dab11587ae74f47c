//! What an operator's action means: [`decide`] turns an [`Action`] into the
//! journal entries to write, or says why it cannot be taken now.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Now, PlanStep, RowState, Show, Snapshot, floor_secs};
use crate::journal::{Kind, SpeakerChange};

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
    /// Record an action point decided in the room: what, who follows up,
    /// by when (free text), tied to the session the note would be.
    ActionPoint {
        text: String,
        who: Option<String>,
        by: Option<String>,
    },
    /// Withdraw the last effective entry.
    Undo,
    /// Give the floor to the next speaker (ends the running intervention).
    Floor(Option<String>),
    /// Close the floor: the running intervention ends.
    FloorClose,
    /// Name the speaker of the intervention started by floor entry `floor`
    /// (its seq), after its clock started.
    NameFloor {
        floor: u64,
        speaker: String,
    },
    /// Start session `idx` (an agenda index) now, whatever the running
    /// order: a session jumped over stays unstarted and can be started later.
    GoTo(usize),
    /// Cut session `idx` from the running order, with why.
    Cut {
        idx: usize,
        note: String,
    },
    /// Carry out the plan to meet the hard end (`Overshoot::plan`): an
    /// `adjust` for each session shrunk, a `skip` for the one cut.
    ApplyPlan,
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
    #[error("no such session")]
    NoSuchSession,
    #[error("'{0}' is live")]
    AlreadyLive(String),
    #[error("'{0}' has already run")]
    AlreadyDone(String),
    #[error("'{0}' is already cut")]
    AlreadyCut(String),
    #[error("'{0}' is live: end it (e) or start another first")]
    CutLive(String),
    #[error("say why it is cut")]
    NoReason,
    #[error("'{0}' was removed from the agenda file")]
    Removed(String),
    #[error("the projection meets the hard end: no plan to apply")]
    NoOvershoot,
    #[error("no session can shrink or be cut to meet the hard end")]
    NoPlan,
    #[error("an overrun is more than 0:00")]
    NotOver,
    #[error("more than the session has run ({0})")]
    OverMoreThanRan(String),
    #[error("only {0} allotted: it cannot be shortened below 0:00 (e ends it)")]
    TooShort(String),
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
    let session = |i: usize| show.agenda.sessions.get(i).ok_or(Refused::NoSuchSession);
    Ok(match action {
        Action::GoTo(i) => {
            let s = session(*i)?;
            let log = &fold.sessions[*i];
            if live == Some(*i) {
                return Err(Refused::AlreadyLive(s.title.clone()));
            }
            if log.actual_end.is_some() {
                return Err(Refused::AlreadyDone(s.title.clone()));
            }
            if s.removed {
                return Err(Refused::Removed(s.title.clone()));
            }
            vec![Kind::Start {
                session: s.id.clone(),
            }]
        }
        Action::Cut { idx, note } => {
            let s = session(*idx)?;
            let log = &fold.sessions[*idx];
            if live == Some(*idx) {
                return Err(Refused::CutLive(s.title.clone()));
            }
            if log.actual_start.is_some() {
                return Err(Refused::AlreadyDone(s.title.clone()));
            }
            if log.cut.is_some() {
                return Err(Refused::AlreadyCut(s.title.clone()));
            }
            if s.removed {
                return Err(Refused::Removed(s.title.clone()));
            }
            if note.trim().is_empty() {
                return Err(Refused::NoReason);
            }
            vec![Kind::Skip {
                session: s.id.clone(),
                note: note.trim().to_owned(),
            }]
        }
        Action::ApplyPlan => {
            let o = snap.overshoot.as_ref().ok_or(Refused::NoOvershoot)?;
            if o.plan.is_empty() {
                return Err(Refused::NoPlan);
            }
            let tz = show.agenda.event.tz;
            let why = format!("to end by {}", crate::text::clock_hm(o.by, tz));
            o.plan
                .iter()
                .map(|step| match *step {
                    PlanStep::Shrink { idx, by, .. } => Kind::Adjust {
                        session: id(idx),
                        delta_s: -super::ceil_secs(by),
                        note: Some(why.clone()),
                    },
                    PlanStep::Cut { idx, .. } => Kind::Skip {
                        session: id(idx),
                        note: why.clone(),
                    },
                })
                .collect()
        }
        Action::Go => vec![Kind::Start {
            session: id(snap.go_target().ok_or(Refused::NothingNext)?),
        }],
        Action::End => vec![Kind::End {
            session: id(live.ok_or(Refused::NothingLive)?),
        }],
        Action::Overrun { over_s, note } => {
            let i = live.or(fold.last).ok_or(Refused::NoSession)?;
            // An overrun is more than nothing, and no more than the
            // session has run.
            let log = &fold.sessions[i];
            let ran = log
                .actual_start
                .map_or(0, |a| floor_secs(log.actual_end.unwrap_or(now) - a).max(0));
            if *over_s <= 0 {
                return Err(Refused::NotOver);
            }
            if *over_s > ran {
                return Err(Refused::OverMoreThanRan(crate::text::hms(ran)));
            }
            vec![Kind::Overrun {
                session: id(i),
                over_s: *over_s,
                note: note.clone(),
            }]
        }
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
        Action::Extend(d) => {
            let i = live.ok_or(Refused::NothingLive)?;
            // Never below nothing: the allotment counts from 0:00, and a
            // shortening past it would be journalled but not shown, so
            // the lengthening after it would seem to do nothing.
            let now_allot = crate::show::timeline::allot(&show.agenda, &fold, i);
            if *d < 0 && now_allot + TimeDelta::seconds(*d) < TimeDelta::zero() {
                return Err(Refused::TooShort(crate::text::hms(now_allot.num_seconds())));
            }
            vec![Kind::Adjust {
                session: id(i),
                delta_s: *d,
                note: None,
            }]
        }
        Action::Message(t) => vec![Kind::Message { text: t.clone() }],
        Action::ClearMessage => vec![Kind::Message {
            text: String::new(),
        }],
        Action::Note(t) => vec![Kind::Note {
            text: t.clone(),
            session: subject.map(id),
        }],
        Action::ActionPoint { text, who, by } => vec![Kind::Action {
            text: text.clone(),
            who: who.clone(),
            by: by.clone(),
            session: subject.map(id),
        }],
        Action::Undo => {
            let target = fold.last_undoable.ok_or(Refused::NothingToUndo)?;
            vec![Kind::Undo { target }]
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
        Action::NameFloor { floor, speaker } => {
            let Some(i) = fold
                .sessions
                .iter()
                .position(|s| s.floors.iter().any(|f| f.seq == *floor))
            else {
                return Err(Refused::NoFloor);
            };
            vec![Kind::FloorName {
                session: id(i),
                floor: *floor,
                speaker: speaker.clone(),
            }]
        }
    })
}

/// The overrun so far of the live session, or, between sessions, how far
/// the session that just ended ran over its allotment; whole seconds, 0 if
/// none. The overrun form is pre-filled with it.
///
/// "Over" is always over the allotted time (plan plus adjustments), read
/// with the one rounding rule, so the form says what the screen's
/// `OVER +m:ss` said.
pub fn current_overrun_s(snap: &Snapshot) -> i64 {
    match snap.live() {
        Some(l) => super::Countdown::of(l.remaining).past_secs(),
        None => snap
            .rows
            .iter()
            .filter(|r| r.state == RowState::Done)
            .max_by_key(|r| r.end)
            .map_or(0, |r| floor_secs((r.end - r.start) - r.allot).max(0)),
    }
}
