//! The folded journal: what happened to each session, independent of
//! "now". Built once from all entries, then extended entry by entry as new
//! ones are saved, so a keypress costs the same on a journal of a million
//! entries as on one of ten.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::agenda::Agenda;
use crate::journal::{Entry, Kind, SpeakerChange};

/// One timed intervention (a speaker holding the floor).
#[derive(Debug, Clone, PartialEq)]
pub struct Floor {
    /// The seq of its `floor` entry (what a `floor_name` entry points at).
    pub seq: u64,
    /// The speaker's name, as given with the `floor` entry or a later
    /// `floor_name`; `None` while unnamed.
    pub speaker: Option<String>,
    /// When the speaker took the floor (the `floor` entry's stamp), UTC.
    pub start: DateTime<Utc>,
    /// None while the speaker still holds the floor.
    pub end: Option<DateTime<Utc>>,
}

/// What the journal says happened to one session.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionLog {
    /// When it first started, UTC (a restart keeps the first start; a
    /// `start_fix` moves it); `None` if it never started.
    pub actual_start: Option<DateTime<Utc>>,
    /// When it last ended (`end`, or the next `start`), UTC; `None` while live
    /// or never started.
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
    /// Its timed interventions, in order; the last is open while a speaker
    /// holds the floor.
    pub floors: Vec<Floor>,
    /// Set while the session is cut from the running order (a `skip`
    /// entry); a later start of the session clears it.
    pub cut: Option<Cut>,
    /// A cut taken back by starting the session after all: kept, with its
    /// reason, for the review.
    pub uncut: Option<Cut>,
}

/// A hold of the show (`hold` … `resume`).
#[derive(Debug, Clone, PartialEq)]
pub struct Hold {
    /// The seq of the `hold` entry that began it.
    pub seq: u64,
    /// The session live when the hold began (its clock stops), if any.
    pub session: Option<usize>,
    /// When it began (the `hold` entry's stamp), UTC.
    pub start: DateTime<Utc>,
    /// When it ended (a `resume`, or a GO or an end during the hold), UTC;
    /// `None` while still held.
    pub end: Option<DateTime<Utc>>,
    /// Why, as the stage manager gave it, if given.
    pub reason: Option<String>,
}

impl Hold {
    /// How long it held by `now` (zero before it began).
    pub fn length(&self, now: DateTime<Utc>) -> chrono::TimeDelta {
        (self.end.unwrap_or(now).min(now) - self.start).max(chrono::TimeDelta::zero())
    }
}

/// A session cut from the running order.
#[derive(Debug, Clone, PartialEq)]
pub struct Cut {
    /// The seq of the `skip` entry.
    pub seq: u64,
    /// When it was cut (the entry's stamp), UTC.
    pub at: DateTime<Utc>,
    /// Why, as the stage manager gave it.
    pub note: String,
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
    /// It lasts until cleared, or until the speaker it was meant for is
    /// done: see `message_for_slot`.
    pub message: Option<(String, DateTime<Utc>, u64)>,
    /// The message was sent while a session was live, so it was meant for
    /// that speaker, and the next start (or floor intervention) clears it:
    /// the next speaker never sees the last one's WRAP UP. One sent
    /// between sessions is for the next speaker, and lasts through their
    /// slot.
    pub message_for_slot: bool,
    /// Every hold, in order; the last is open while the show is held.
    pub holds: Vec<Hold>,
    /// Entries that name sessions the agenda does not have: `(seq, id)`.
    pub unknown_sessions: Vec<(u64, String)>,
    /// The seqs of the effective entries (withdrawn ones and their undos
    /// left out), in time order. The entries themselves are held once, by
    /// the journal the fold was made from: [`Fold::effective_entries`].
    pub effective: Vec<u64>,
    /// The seq of the last effective entry an undo may withdraw (not an
    /// `open`, an `undo` or an `agenda` entry), if any.
    pub last_undoable: Option<u64>,
    /// Seqs withdrawn by an undo.
    pub withdrawn: HashSet<u64>,
    /// Entries that could not be applied (e.g. `end` of a session that was
    /// not live), with why. Kept and shown, never fatal.
    pub ignored: Vec<(u64, String)>,
    /// The latest stamp folded in (undo entries included), UTC.
    pub latest: Option<DateTime<Utc>>,
    /// Entries stamped before this are strays, left out (with why, in
    /// `ignored`): see [`crate::journal::stray_limit`].
    pub stray_before: Option<DateTime<Utc>>,
}

impl Fold {
    /// Folds the whole journal `entries` (in file order) over `agenda`.
    pub fn new(agenda: &Agenda, entries: &[Entry]) -> Fold {
        Fold::new_until(agenda, entries, None)
    }

    /// Folds the entries of `entries` stamped at or before `until` (all of
    /// them for `None`), as if the later ones were not written yet. Nothing
    /// is copied: the fold names entries by seq.
    pub fn new_until(agenda: &Agenda, entries: &[Entry], until: Option<DateTime<Utc>>) -> Fold {
        let visible = || {
            entries
                .iter()
                .filter(move |e| until.is_none_or(|u| e.at.with_timezone(&Utc) <= u))
        };
        let withdrawn = crate::journal::withdrawn_in(visible());
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
            message_for_slot: false,
            unknown_sessions: Vec::new(),
            holds: Vec::new(),
            effective: Vec::new(),
            last_undoable: None,
            withdrawn,
            ignored: Vec::new(),
            latest: None,
            stray_before: crate::journal::stray_limit_in(visible()),
        };
        // In time order (stable, so equal stamps keep file order): a journal
        // reused with an earlier `--at` is still read as the show ran.
        let mut ordered: Vec<&Entry> = visible().collect();
        if !ordered.is_sorted_by_key(|e| e.at) {
            ordered.sort_by_key(|e| e.at);
        }
        for e in ordered {
            if f.stray(e) {
                continue;
            }
            f.latest = f.latest.max(Some(e.at.with_timezone(&Utc)));
            if f.withdrawn.contains(&e.seq) || matches!(e.kind, Kind::Undo { .. }) {
                continue;
            }
            f.apply(agenda, e);
            f.note_effective(e);
        }
        f
    }

    /// Records `e` as effective, by seq.
    fn note_effective(&mut self, e: &Entry) {
        self.effective.push(e.seq);
        if !matches!(
            e.kind,
            Kind::Open { .. } | Kind::Undo { .. } | Kind::Agenda(_) | Kind::CueFailed { .. }
        ) {
            // The agenda entry records a file that changed: undoing it
            // would not change the file back. A failed cue records what
            // another system did: `u` still takes back the operator's last.
            self.last_undoable = Some(e.seq);
        }
    }

    /// The effective entries, in time order, looked up in `entries`: the
    /// journal this fold was made from (the show's own entries).
    pub fn effective_entries<'a>(
        &'a self,
        entries: &'a [Entry],
    ) -> impl DoubleEndedIterator<Item = &'a Entry> + 'a {
        self.effective
            .iter()
            .filter_map(move |&seq| entry_by_seq(entries, seq))
    }

    /// Folds in one more entry, as if it had been in the journal all
    /// along. Returns false, changing nothing, when that cannot be done
    /// incrementally: an undo (it withdraws an earlier entry) or an entry
    /// stamped before one already folded (time order would change). The
    /// caller then folds the whole journal again.
    pub fn push(&mut self, agenda: &Agenda, e: &Entry) -> bool {
        if self.stray(e) {
            return true;
        }
        let at = e.at.with_timezone(&Utc);
        if matches!(e.kind, Kind::Undo { .. }) || self.latest.is_some_and(|l| at < l) {
            return false;
        }
        self.latest = Some(at);
        if !self.withdrawn.contains(&e.seq) {
            self.apply(agenda, e);
            self.note_effective(e);
        }
        true
    }

    /// A stray entry is noted in `ignored`, with why, and goes no further.
    fn stray(&mut self, e: &Entry) -> bool {
        match self.stray_before {
            Some(limit) if e.at.with_timezone(&Utc) < limit => {
                self.ignored
                    .push((e.seq, crate::journal::stray_reason(e, limit)));
                true
            }
            _ => false,
        }
    }

    /// One effective entry, folded in: one method per kind. An entry that
    /// names a session the agenda does not have is set aside, said.
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
            (Kind::Hold { .. } | Kind::Resume { .. } | Kind::StartFix { .. }, _) => {
                self.apply_hold(agenda, e, idx)
            }
            (Kind::Start { .. }, Some(i)) => self.apply_start(i, at),
            (Kind::End { .. }, Some(i)) => self.apply_end(agenda, e.seq, i, at),
            (Kind::Overrun { over_s, note, .. }, Some(i)) => {
                self.sessions[i].overruns.push((*over_s, note.clone()));
            }
            (Kind::Adjust { delta_s, .. }, Some(i)) => self.sessions[i].adjust_s += delta_s,
            (Kind::Speaker { .. }, Some(i)) => self.apply_speaker(e, i),
            (Kind::Floor { .. } | Kind::FloorName { .. } | Kind::FloorClose { .. }, Some(i)) => {
                self.apply_floor(e, i, at)
            }
            (Kind::Note { .. }, Some(i)) => self.sessions[i].notes.push(e.clone()),
            (Kind::Skip { note, .. }, Some(i)) => self.apply_skip(agenda, e.seq, i, note, at),
            (Kind::Message { text }, _) => {
                // Cut for the screens before anyone wraps it.
                let shown = crate::text::clip(text).into_owned();
                self.message = (!text.is_empty()).then_some((shown, at, e.seq));
                self.message_for_slot = self.live.is_some();
            }
            _ => {}
        }
    }

    /// `start` of session `i` at `at`: a hold ends, the live session
    /// closes, and `i` is live.
    fn apply_start(&mut self, i: usize, at: DateTime<Utc>) {
        self.resume(at);
        self.next_speaker();
        if let Some(live) = self.live {
            self.close(live, at);
        }
        let log = &mut self.sessions[i];
        // A restarted session keeps its first start: the time it
        // was stopped counts as part of it.
        log.actual_start.get_or_insert(at);
        log.actual_end = None;
        // Started after all: it ran, so it is no longer cut; the
        // review still tells the cut and why.
        if let Some(c) = log.cut.take() {
            log.uncut = Some(c);
        }
        self.live = Some(i);
        self.last = Some(i);
    }

    /// `end` (entry `seq`) of session `i`: only the live one ends.
    fn apply_end(&mut self, agenda: &Agenda, seq: u64, i: usize, at: DateTime<Utc>) {
        if self.live == Some(i) {
            self.resume(at);
            self.close(i, at);
            self.live = None;
        } else {
            self.ignored.push((
                seq,
                format!("end of '{}', which was not live", agenda.sessions[i].id),
            ));
        }
    }

    /// `speaker`: session `i`'s speakers replaced, added or removed.
    fn apply_speaker(&mut self, e: &Entry, i: usize) {
        let Kind::Speaker {
            change, from, to, ..
        } = &e.kind
        else {
            return;
        };
        let sp = &mut self.sessions[i].speakers;
        let pos = from.as_ref().and_then(|f| sp.iter().position(|s| s == f));
        match change {
            SpeakerChange::Replace => match (pos, to) {
                (Some(p), Some(t)) => sp[p] = t.clone(),
                (Some(p), None) => {
                    sp.remove(p);
                }
                (None, Some(t)) => sp.push(t.clone()),
                (None, None) => {}
            },
            SpeakerChange::Add => {
                if let Some(t) = to {
                    sp.push(t.clone());
                }
            }
            SpeakerChange::Remove => {
                if let Some(p) = pos {
                    sp.remove(p);
                }
            }
        }
        self.sessions[i].speaker_changes.push(e.clone());
    }

    /// `floor`, `floor_name`, `floor_close` in session `i`: an
    /// intervention begins (closing the one before), is named, or ends.
    fn apply_floor(&mut self, e: &Entry, i: usize, at: DateTime<Utc>) {
        match &e.kind {
            Kind::Floor { speaker, .. } => {
                self.next_speaker();
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
            Kind::FloorName { floor, speaker, .. } => {
                if let Some(f) = self.sessions[i].floors.iter_mut().find(|f| f.seq == *floor) {
                    f.speaker = Some(speaker.clone());
                }
            }
            Kind::FloorClose { .. } => {
                if let Some(open) = self.sessions[i]
                    .floors
                    .last_mut()
                    .filter(|f| f.end.is_none())
                {
                    open.end = Some(at);
                }
            }
            _ => {}
        }
    }

    /// `skip` (entry `seq`): session `i` is cut, unless it already started.
    fn apply_skip(&mut self, agenda: &Agenda, seq: u64, i: usize, note: &str, at: DateTime<Utc>) {
        if self.sessions[i].actual_start.is_some() {
            self.ignored.push((
                seq,
                format!(
                    "cut of '{}', which had already started",
                    agenda.sessions[i].id
                ),
            ));
        } else {
            self.sessions[i].cut = Some(Cut {
                seq,
                at,
                note: note.to_owned(),
            });
        }
    }

    /// `hold`, `resume` and `start_fix`: a hold begins (unless one is
    /// open), ends (if one is open), or the live or done session's start
    /// moves to where it really was.
    fn apply_hold(&mut self, agenda: &Agenda, e: &Entry, idx: Option<usize>) {
        let at = e.at.with_timezone(&Utc);
        let open = self.holds.last().is_some_and(|h| h.end.is_none());
        let left_out = match &e.kind {
            Kind::Hold { reason, .. } if !open => {
                self.holds.push(Hold {
                    seq: e.seq,
                    session: self.live,
                    start: at,
                    end: None,
                    reason: reason.clone(),
                });
                None
            }
            Kind::Hold { .. } => Some("hold while already held".to_owned()),
            Kind::Resume { .. } if open => {
                self.resume(at);
                None
            }
            Kind::Resume { .. } => Some("resume while not held".to_owned()),
            Kind::StartFix { start, .. } => match idx {
                Some(i) if self.sessions[i].actual_start.is_some() => {
                    self.sessions[i].actual_start = Some(start.with_timezone(&Utc));
                    None
                }
                Some(i) => Some(format!(
                    "start fix of '{}', which has not started",
                    agenda.sessions[i].id
                )),
                None => Some("start fix without a session".to_owned()),
            },
            _ => None,
        };
        if let Some(why) = left_out {
            self.ignored.push((e.seq, why));
        }
    }

    /// Ends an open hold at `at`: a GO or an end during a hold ends it too.
    fn resume(&mut self, at: DateTime<Utc>) {
        if let Some(h) = self.holds.last_mut().filter(|h| h.end.is_none()) {
            h.end = Some(at);
        }
    }

    /// How long session `i`'s clock has stood still by `now`.
    pub fn held(&self, i: usize, now: DateTime<Utc>) -> chrono::TimeDelta {
        self.holds
            .iter()
            .filter(|h| h.session == Some(i))
            .map(|h| h.length(now))
            .sum()
    }

    /// How long session `i` was held between `from` and `to` (the part
    /// of each of its holds inside that span; a hold still open counts to
    /// `to`): the time a clock started at `from` stood still. Zero when
    /// `to` is not after `from`.
    pub fn held_within(
        &self,
        i: usize,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> chrono::TimeDelta {
        self.holds
            .iter()
            .filter(|h| h.session == Some(i))
            .map(|h| {
                let (a, b) = (h.start.max(from), h.end.unwrap_or(to).min(to));
                (b - a).max(chrono::TimeDelta::zero())
            })
            .sum()
    }

    /// The open hold, if the show is held.
    pub fn hold(&self) -> Option<&Hold> {
        self.holds.last().filter(|h| h.end.is_none())
    }

    /// A new speaker takes the stage (a start, or the floor): a message
    /// meant for the last one goes; one sent between sessions now belongs
    /// to this one.
    fn next_speaker(&mut self) {
        if self.message.is_some() {
            if self.message_for_slot {
                self.message = None;
            } else {
                self.message_for_slot = true;
            }
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

/// The entry with `seq` in `entries`: where seqs run 1, 2, 3, … (a journal
/// as read) at index `seq - 1`, else by a search.
fn entry_by_seq(entries: &[Entry], seq: u64) -> Option<&Entry> {
    usize::try_from(seq)
        .ok()
        .and_then(|s| s.checked_sub(1))
        .and_then(|i| entries.get(i))
        .filter(|e| e.seq == seq)
        .or_else(|| entries.iter().find(|e| e.seq == seq))
}
