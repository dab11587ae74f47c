//! What an operator's action means: [`decide`] turns an [`Action`] into the
//! journal entries to write, or says why it cannot be taken now.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Now, PlanStep, RowState, Show, Snapshot, floor_secs};
use crate::journal::{Entry, Kind, Source, SpeakerChange};

/// What the operator asks for. Each becomes zero or more journal entries.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Start the planned-not-started session, or the next one.
    Go,
    /// End the live session; a gap follows.
    End,
    /// Log an overrun of the live (or last) session, with its reason.
    Overrun {
        /// How far over, whole seconds: more than 0 and not more than the
        /// session has run ([`current_overrun_s`] gives what the screen shows).
        over_s: i64,
        /// Why it ran over, as typed.
        note: String,
    },
    /// Change a speaker of the live (or last, or due) session: a `speaker`
    /// entry.
    ChangeSpeaker {
        /// Replace, add or remove.
        change: SpeakerChange,
        /// The speaker leaving (`Replace`, `Remove`).
        from: Option<String>,
        /// The speaker coming in (`Replace`, `Add`).
        to: Option<String>,
        /// Why, if said.
        note: Option<String>,
    },
    /// Lengthen (positive) or shorten the live session.
    Extend(i64),
    /// Show this text on the speaker screen (a `message` entry), until
    /// cleared or the speaker it is meant for is done (see
    /// [`Fold::message_for_slot`](super::Fold::message_for_slot)).
    Message(String),
    /// Clear the speaker screen's message (a `message` entry with empty text).
    ClearMessage,
    /// A free note for the record, about the live (or last, or due) session.
    Note(String),
    /// Record an action point decided in the room: what, who follows up,
    /// by when (free text), tied to the session the note would be.
    ActionPoint {
        /// What was decided.
        text: String,
        /// Who follows it up (free text).
        who: Option<String>,
        /// By when (free text, not parsed).
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
        /// The seq of the intervention's `floor` entry.
        floor: u64,
        /// The speaker's name.
        speaker: String,
    },
    /// Start session `idx` (an agenda index) now, whatever the running
    /// order: a session jumped over stays unstarted and can be started later.
    GoTo(usize),
    /// Cut session `idx` from the running order, with why.
    Cut {
        /// The session's index in the agenda.
        idx: usize,
        /// Why; must not be blank.
        note: String,
    },
    /// Hold the show: the live session's clock stops and everything after
    /// it slips until [`Action::Resume`].
    Hold(Option<String>),
    /// End the hold.
    Resume,
    /// The live (or last) session really started at `start`.
    FixStart {
        /// The instant it really started, with the event's offset; not after
        /// now.
        start: DateTime<chrono::FixedOffset>,
        /// Why, if said.
        note: Option<String>,
    },
    /// Carry out the plan to meet the hard end (`Overshoot::plan`): an
    /// `adjust` for each session shrunk, a `skip` for the one cut.
    ApplyPlan,
}

/// Why an action cannot be taken now. Shown to the operator; nothing is
/// written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The action needs a live session and none is live: start one first (GO).
    #[error("no session is live")]
    NothingLive,
    /// GO with no session left to start in the running order: the rest have
    /// run, are cut or were missed (a missed one can still be started with
    /// [`Action::GoTo`]).
    #[error("no session left to start")]
    NothingNext,
    /// Undo with no entry left that an undo may withdraw (`open`, `undo` and
    /// `agenda` entries are never withdrawn).
    #[error("nothing to undo")]
    NothingToUndo,
    /// There is no session to log this against: nothing is live, none has run
    /// and none is due.
    #[error("no session to log this against")]
    NoSession,
    /// Closing the floor when no one has it, or naming the speaker of a `floor`
    /// entry that started no intervention.
    #[error("no one has the floor")]
    NoFloor,
    /// The session index is not in the agenda.
    #[error("no such session")]
    NoSuchSession,
    /// The session to start (the field is its title) is already live.
    #[error("'{0}' is live")]
    AlreadyLive(String),
    /// The session (the field is its title) has already run: it cannot be
    /// started again or cut.
    #[error("'{0}' has already run")]
    AlreadyDone(String),
    /// The session (the field is its title) is already cut; undo the cut to
    /// bring it back.
    #[error("'{0}' is already cut")]
    AlreadyCut(String),
    /// The session to cut (the field is its title) is live: end it or start
    /// another first.
    #[error("'{0}' is live: end it (e) or start another first")]
    CutLive(String),
    /// A cut needs a reason: type why.
    #[error("say why it is cut")]
    NoReason,
    /// The session (the field is its title) is no longer in the agenda file, so
    /// it cannot be started or cut; put it back in the file to run it.
    #[error("'{0}' was removed from the agenda file")]
    Removed(String),
    /// Applying the hard-end plan when the projection meets the hard end: there
    /// is nothing to do.
    #[error("the projection meets the hard end: no plan to apply")]
    NoOvershoot,
    /// The show is projected past its hard end, but no session can shrink or be
    /// cut to meet it: end or shorten something by hand.
    #[error("no session can shrink or be cut to meet the hard end")]
    NoPlan,
    /// An overrun of 0:00 or less: give how far over, more than 0.
    #[error("an overrun is more than 0:00")]
    NotOver,
    /// An overrun longer than the session has run (the field is how long it has
    /// run, `m:ss`): give a shorter one.
    #[error("more than the session has run ({0})")]
    OverMoreThanRan(String),
    /// Shortening the live session below 0:00 (the field is its allotted time,
    /// `m:ss`): shorten it by less, or end it (`e`).
    #[error("only {0} allotted: it cannot be shortened below 0:00 (e ends it)")]
    TooShort(String),
    /// A GO within the guard time of the last start or form save: `{0}`
    /// is how long after it, e.g. "0.2 s" or "40 ms".
    #[error("GO ignored: {0} after the last")]
    TooSoon(String),
    /// Hold while the show is already held: resume (`h`) first.
    #[error("the show is already held (h resumes)")]
    AlreadyHeld,
    /// A resume within the guard time of the hold: a double `h`.
    #[error("resume ignored: {0} after the hold (h again resumes)")]
    ResumeTooSoon(String),
    /// Resume while the show is not held.
    #[error("the show is not held")]
    NotHeld,
    /// A start fix to an instant after now: a session cannot have started in
    /// the future.
    #[error("a start cannot be moved after now")]
    FixInFuture,
}

impl Refused {
    /// The refusal without key advice, for a command from outside (HTTP,
    /// OSC), where no key was pressed: `resume ignored: 0.1 s after the
    /// hold` where the screen says `… (h again resumes)`. The same as the
    /// [`Display`](std::fmt::Display) text for a refusal that names no key.
    pub fn reason(&self) -> String {
        match self {
            Refused::CutLive(title) => format!("'{title}' is live: end it or start another first"),
            Refused::TooShort(allot) => {
                format!("only {allot} allotted: it cannot be shortened below 0:00")
            }
            Refused::AlreadyHeld => "the show is already held".to_owned(),
            Refused::ResumeTooSoon(d) => format!("resume ignored: {d} after the hold"),
            _ => self.to_string(),
        }
    }
}

/// The journal entries that carry out `action` at `now`: [`Show::apply`].
///
/// Kept for callers that hold a `&Show`; it is the same one decision.
pub fn decide(show: &Show, action: &Action, now: DateTime<Utc>) -> Result<Vec<Kind>, Refused> {
    show.apply(action, now)
}

thread_local! {
    static DECISIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many decisions ([`Show::apply`]) this thread has taken since it
/// began. For tests and benchmarks that check one action is decided once:
/// read it before and after, and compare.
pub fn decisions_on_this_thread() -> u64 {
    DECISIONS.with(|d| d.get())
}

impl Show {
    /// The one engine step for an action: the journal entries that carry
    /// out `action` at `now`, or why it cannot be taken now. Every front
    /// end (keys, and later HTTP or OSC) calls it once per action, then
    /// writes exactly these entries and extends the show with them.
    ///
    /// Projects the show at `now` once. A GO within the guard time
    /// ([`Show::go_guard`]) of the last start or form save is refused with
    /// [`Refused::TooSoon`].
    pub fn apply(&self, action: &Action, now: DateTime<Utc>) -> Result<Vec<Kind>, Refused> {
        DECISIONS.with(|d| d.set(d.get() + 1));
        let cx = Cx::new(self, now);
        match action {
            Action::Go => cx.go(),
            Action::GoTo(i) => cx.go_to(*i),
            Action::Cut { idx, note } => cx.cut(*idx, note),
            Action::ApplyPlan => cx.apply_plan(),
            Action::End => Ok(vec![Kind::End {
                session: cx.id(cx.live.ok_or(Refused::NothingLive)?),
            }]),
            Action::Overrun { over_s, note } => cx.overrun(*over_s, note),
            Action::ChangeSpeaker {
                change,
                from,
                to,
                note,
            } => Ok(vec![Kind::Speaker {
                session: cx.id(cx.subject.ok_or(Refused::NoSession)?),
                change: *change,
                from: from.clone(),
                to: to.clone(),
                note: note.clone(),
            }]),
            Action::Extend(d) => cx.extend(*d),
            Action::Message(t) => Ok(vec![Kind::Message { text: t.clone() }]),
            Action::ClearMessage => Ok(vec![Kind::Message {
                text: String::new(),
            }]),
            Action::Note(t) => Ok(vec![Kind::Note {
                text: t.clone(),
                session: cx.subject.map(|i| cx.id(i)),
            }]),
            Action::ActionPoint { text, who, by } => Ok(vec![Kind::Action {
                text: text.clone(),
                who: who.clone(),
                by: by.clone(),
                session: cx.subject.map(|i| cx.id(i)),
            }]),
            Action::Undo => cx.undo(),
            Action::Floor(speaker) => Ok(vec![Kind::Floor {
                session: cx.id(cx.live.ok_or(Refused::NothingLive)?),
                speaker: speaker.clone(),
            }]),
            Action::FloorClose => cx.floor_close(),
            Action::NameFloor { floor, speaker } => cx.name_floor(*floor, speaker),
            Action::Hold(reason) => match cx.fold.hold() {
                Some(_) => Err(Refused::AlreadyHeld),
                None => Ok(vec![Kind::Hold {
                    session: cx.live.map(|i| cx.id(i)),
                    reason: reason.clone().filter(|r| !r.trim().is_empty()),
                }]),
            },
            Action::Resume => match cx.fold.hold() {
                None => Err(Refused::NotHeld),
                // `h h`, a double press, must not hold and resume at once.
                Some(h) if now >= h.start && now - h.start < self.go_guard() => {
                    Err(Refused::ResumeTooSoon(since(now - h.start)))
                }
                Some(h) => Ok(vec![Kind::Resume {
                    session: h.session.map(|i| cx.id(i)),
                }]),
            },
            Action::FixStart { start, note } => {
                let i = cx.live.or(cx.fold.last).ok_or(Refused::NoSession)?;
                if start.with_timezone(&Utc) > now {
                    return Err(Refused::FixInFuture);
                }
                Ok(vec![Kind::StartFix {
                    session: cx.id(i),
                    start: *start,
                    note: note.clone(),
                }])
            }
        }
    }
}

/// What one decision reads: the show, projected and folded at `now` once.
struct Cx<'a> {
    show: &'a Show,
    snap: Snapshot,
    fold: std::borrow::Cow<'a, super::Fold>,
    now: DateTime<Utc>,
    live: Option<usize>,
    /// Things logged "about the session" go to the live one, else the one
    /// that just ended, else the one the plan has on now.
    subject: Option<usize>,
}

impl<'a> Cx<'a> {
    fn new(show: &'a Show, now: DateTime<Utc>) -> Cx<'a> {
        let snap = show.at(now);
        let fold = show.fold_at(now);
        let live = snap.live().map(|l| l.idx);
        let subject = live.or(fold.last).or(match snap.now {
            Now::Planned { idx, .. } => Some(idx),
            _ => None,
        });
        Cx {
            show,
            snap,
            fold,
            now,
            live,
            subject,
        }
    }

    fn id(&self, i: usize) -> String {
        self.show.agenda.sessions[i].id.clone()
    }

    fn session(&self, i: usize) -> Result<&'a crate::agenda::Session, Refused> {
        self.show
            .agenda
            .sessions
            .get(i)
            .ok_or(Refused::NoSuchSession)
    }

    fn go(&self) -> Result<Vec<Kind>, Refused> {
        let target = self.snap.go_target().ok_or(Refused::NothingNext)?;
        self.guard()?;
        Ok(vec![Kind::Start {
            session: self.id(target),
        }])
    }

    /// Refuses a GO that comes within the guard time of the last start or
    /// form save: a double press, or the Enter that saved a form pressed
    /// again ([`guards_go`]).
    fn guard(&self) -> Result<(), Refused> {
        let guard = self.show.go_guard();
        if guard <= TimeDelta::zero() {
            return Ok(());
        }
        // In time order: look back only as far as the guard reaches.
        let last = self
            .fold
            .effective_entries(self.show.entries())
            .rev()
            .map(|e| (e, e.at.with_timezone(&Utc)))
            .take_while(|(_, at)| self.now - *at < guard)
            .find(|(e, _)| guards_go(e))
            .map(|(_, at)| at);
        match last {
            Some(at) if self.now >= at && self.now - at < guard => {
                Err(Refused::TooSoon(since(self.now - at)))
            }
            _ => Ok(()),
        }
    }

    fn go_to(&self, i: usize) -> Result<Vec<Kind>, Refused> {
        let s = self.session(i)?;
        if self.live == Some(i) {
            return Err(Refused::AlreadyLive(s.title.clone()));
        }
        if self.fold.sessions[i].actual_end.is_some() {
            return Err(Refused::AlreadyDone(s.title.clone()));
        }
        if s.removed {
            return Err(Refused::Removed(s.title.clone()));
        }
        Ok(vec![Kind::Start {
            session: s.id.clone(),
        }])
    }

    fn cut(&self, idx: usize, note: &str) -> Result<Vec<Kind>, Refused> {
        let s = self.session(idx)?;
        let log = &self.fold.sessions[idx];
        if self.live == Some(idx) {
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
        Ok(vec![Kind::Skip {
            session: s.id.clone(),
            note: note.trim().to_owned(),
        }])
    }

    fn apply_plan(&self) -> Result<Vec<Kind>, Refused> {
        let o = self.snap.overshoot.as_ref().ok_or(Refused::NoOvershoot)?;
        if o.plan.is_empty() {
            return Err(Refused::NoPlan);
        }
        let tz = self.show.agenda.event.tz;
        let why = format!("to end by {}", crate::text::clock_hm(o.by, tz));
        Ok(o.plan
            .iter()
            .map(|step| match *step {
                PlanStep::Shrink { idx, by, .. } => Kind::Adjust {
                    session: self.id(idx),
                    delta_s: -super::ceil_secs(by),
                    note: Some(why.clone()),
                },
                PlanStep::Cut { idx, .. } => Kind::Skip {
                    session: self.id(idx),
                    note: why.clone(),
                },
            })
            .collect())
    }

    /// An overrun is more than nothing, and no more than the session has
    /// run.
    fn overrun(&self, over_s: i64, note: &str) -> Result<Vec<Kind>, Refused> {
        let i = self.live.or(self.fold.last).ok_or(Refused::NoSession)?;
        let log = &self.fold.sessions[i];
        let ran = log.actual_start.map_or(0, |a| {
            floor_secs(log.actual_end.unwrap_or(self.now) - a).max(0)
        });
        if over_s <= 0 {
            return Err(Refused::NotOver);
        }
        if over_s > ran {
            return Err(Refused::OverMoreThanRan(crate::text::hms(ran)));
        }
        Ok(vec![Kind::Overrun {
            session: self.id(i),
            over_s,
            note: note.to_owned(),
        }])
    }

    /// Never below nothing: the allotment counts from 0:00, and a
    /// shortening past it would be journalled but not shown, so the
    /// lengthening after it would seem to do nothing.
    fn extend(&self, d: i64) -> Result<Vec<Kind>, Refused> {
        let i = self.live.ok_or(Refused::NothingLive)?;
        let now_allot = crate::show::timeline::allot(&self.show.agenda, &self.fold, i);
        if d < 0 && now_allot + TimeDelta::seconds(d) < TimeDelta::zero() {
            return Err(Refused::TooShort(crate::text::hms(now_allot.num_seconds())));
        }
        Ok(vec![Kind::Adjust {
            session: self.id(i),
            delta_s: d,
            note: None,
        }])
    }

    fn undo(&self) -> Result<Vec<Kind>, Refused> {
        let target = self.fold.last_undoable.ok_or(Refused::NothingToUndo)?;
        Ok(vec![Kind::Undo { target }])
    }

    fn floor_close(&self) -> Result<Vec<Kind>, Refused> {
        let l = self.snap.live().ok_or(Refused::NothingLive)?;
        if l.floor.is_none() {
            return Err(Refused::NoFloor);
        }
        Ok(vec![Kind::FloorClose {
            session: self.id(l.idx),
        }])
    }

    fn name_floor(&self, floor: u64, speaker: &str) -> Result<Vec<Kind>, Refused> {
        let i = self
            .fold
            .sessions
            .iter()
            .position(|s| s.floors.iter().any(|f| f.seq == floor))
            .ok_or(Refused::NoFloor)?;
        Ok(vec![Kind::FloorName {
            session: self.id(i),
            floor,
            speaker: speaker.to_owned(),
        }])
    }
}

/// A short while as the guard says it: `40 ms`, `0.2 s`.
fn since(d: TimeDelta) -> String {
    let ms = d.num_milliseconds();
    if ms < 100 {
        format!("{ms} ms")
    } else {
        format!("{}.{} s", ms / 1000, ms % 1000 / 100)
    }
}

/// Whether `e` holds off a GO that follows it within the guard time: a
/// start from anywhere (a double press, or the keys and a Stream Deck at
/// once), and a form save typed at the keys (its Enter pressed again). An
/// entry from outside (HTTP, OSC) that is not a start had no Enter: a
/// Companion button that sends a note and then GO is no double press.
fn guards_go(e: &Entry) -> bool {
    let keyed = matches!(e.source, None | Some(Source::Key));
    guarded(&e.kind) && (keyed || matches!(e.kind, Kind::Start { .. }))
}

/// The entries a GO's guard counts from: a start, and what a form saves
/// (its Enter, pressed twice, must not also GO).
fn guarded(kind: &Kind) -> bool {
    match kind {
        Kind::Message { text } => !text.is_empty(),
        _ => matches!(
            kind,
            Kind::Start { .. }
                | Kind::Note { .. }
                | Kind::Overrun { .. }
                | Kind::Speaker { .. }
                | Kind::Skip { .. }
                | Kind::FloorName { .. }
                | Kind::StartFix { .. }
                | Kind::Action { .. }
                | Kind::Hold { .. }
        ),
    }
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

#[cfg(test)]
mod tests {
    use super::Refused;

    /// Every refusal whose screen text names a key (`(e)`, `(e ends it)`,
    /// `(h resumes)`, `(h again resumes)`) has a reason without it, and the
    /// reason is otherwise the same words.
    #[test]
    fn a_refusal_that_names_a_key_has_a_reason_without_it() {
        let cases = [
            (
                Refused::CutLive("Panel".into()),
                "'Panel' is live: end it (e) or start another first",
                "'Panel' is live: end it or start another first",
            ),
            (
                Refused::TooShort("0:30".into()),
                "only 0:30 allotted: it cannot be shortened below 0:00 (e ends it)",
                "only 0:30 allotted: it cannot be shortened below 0:00",
            ),
            (
                Refused::AlreadyHeld,
                "the show is already held (h resumes)",
                "the show is already held",
            ),
            (
                Refused::ResumeTooSoon("0.1 s".into()),
                "resume ignored: 0.1 s after the hold (h again resumes)",
                "resume ignored: 0.1 s after the hold",
            ),
        ];
        for (r, screen, outside) in cases {
            assert_eq!(r.to_string(), screen);
            assert_eq!(r.reason(), outside);
        }
        // A refusal that names no key says the same words both ways.
        assert_eq!(Refused::NotHeld.reason(), "the show is not held");
    }
}
