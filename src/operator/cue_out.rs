//! The operator screen's cues out: armed only on the screen that writes
//! the journal (a read-only screen, the speaker screen and `serve` never
//! fire), fired from each pass's snapshot, and a failure said in the foot
//! line and journaled as `cue_failed`.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use showcall_core::agenda::Trigger;
use showcall_core::journal::{AgendaChange, Kind};
use showcall_core::show::{CueWatch, Snapshot, firings, next_signal_change};

use super::{Link, Operator};
use crate::cues::{CueFailure, CueSender};
use crate::wake::{Wake, Waker};

/// The cues' state on the operator screen.
#[derive(Default)]
pub struct CueOut {
    /// `--no-cues`: none fires (the footer says `cues off`).
    pub off: bool,
    /// What the show looked like at the last pass; `None` until this
    /// screen writes the journal (then it starts from the show as it
    /// stands, so a restart or a take-over fires nothing already past).
    watch: Option<CueWatch>,
    sender: Option<CueSender>,
    /// How many cues failed since the screen opened.
    pub failed: usize,
    /// When a full queue was last journaled (real time): a flood of cues
    /// to a dead device writes one such entry a second, not thousands.
    full_journaled: Option<std::time::Instant>,
}

impl Operator {
    /// How many cues this screen fires: the agenda's, when it writes the
    /// journal and cues are not off; 0 otherwise.
    pub fn cues_armed(&self) -> usize {
        if self.cues.off || !matches!(self.link, Link::Writer(_)) {
            0
        } else {
            self.show.agenda.cues.len()
        }
    }

    /// Starts the sending threads, their failures woken into the loop.
    pub fn attach_cues(&mut self, waker: &Waker) {
        let waker = waker.clone();
        self.cues.sender = Some(CueSender::new(Arc::new(move |f| {
            waker.wake(Wake::CueFailed(f));
        })));
    }

    /// Fires the cues the show's change since the last pass calls for.
    pub fn fire_cues(&mut self, snap: &Snapshot, now: DateTime<Utc>) {
        if self.cues_armed() == 0 {
            // Not the writer (yet): a take-over starts from what it finds.
            self.cues.watch = None;
            return;
        }
        let Some(watch) = self.cues.watch.as_mut() else {
            self.cues.watch = Some(CueWatch::new(&self.show, snap));
            return;
        };
        let events = watch.observe(&self.show, snap);
        if events.is_empty() {
            return;
        }
        for f in firings(&self.show.agenda, snap, &events) {
            let sent = match &self.cues.sender {
                Some(s) => s.send(f),
                None => Err(CueFailure {
                    cue: f.name,
                    on: f.on.as_str().into(),
                    session: f.session,
                    target: f.target,
                    error: "cues are not connected".into(),
                }),
            };
            if let Err(failure) = sent {
                self.cue_failed(failure, now);
            }
        }
    }

    /// The next instant a live countdown changes its signal, when cues
    /// are armed: the loop wakes then, so they fire on time.
    pub fn next_cue_instant(&self, snap: &Snapshot) -> Option<DateTime<Utc>> {
        (self.cues_armed() > 0)
            .then(|| next_signal_change(&self.show, snap))
            .flatten()
    }

    /// A cue failed: the foot line says it, and the journal records it
    /// (`cue_failed`), when this screen writes it.
    pub fn cue_failed(&mut self, f: CueFailure, now: DateTime<Utc>) {
        self.cues.failed += 1;
        let words = showcall_core::status::cue_failed_words(&f.cue, &f.on, &f.error);
        if f.error == crate::cues::QUEUE_FULL {
            let now_real = std::time::Instant::now();
            let recent = self
                .cues
                .full_journaled
                .is_some_and(|t| now_real.duration_since(t) < std::time::Duration::from_secs(1));
            if recent {
                self.say(
                    format!("{words} ({} failed so far)", self.cues.failed),
                    true,
                );
                return;
            }
            self.cues.full_journaled = Some(now_real);
        }
        let at = self.local(now);
        let kind = Kind::CueFailed {
            cue: f.cue,
            on: f.on,
            session: f.session,
            target: f.target,
            error: f.error,
        };
        let mut text = words;
        if let Ok((_, Some(failed))) = self.record(kind, at, None) {
            text.push_str(&format!(" · {failed}"));
        }
        self.say(text, true);
    }
}

/// What the header says after a reload: `agenda reloaded: 1 retimed`,
/// and, when the `[[cue]]`s changed, how: `, cues 3 → 4`, or `, cues
/// changed` when as many as before — so a cue added during the show is
/// not reported as "no session changed" alone.
pub fn reload_words(change: &AgendaChange, before: &[Trigger], after: &[Trigger]) -> String {
    let mut words = format!("agenda reloaded: {}", change.summary());
    if before.len() != after.len() {
        words.push_str(&format!(", cues {} → {}", before.len(), after.len()));
    } else if before != after {
        words.push_str(", cues changed");
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use showcall_core::agenda::Agenda;

    fn cues(extra: &str) -> Vec<Trigger> {
        let text = format!("{}{extra}", include_str!("../../agenda.toml"));
        Agenda::parse(text.as_bytes(), "agenda.toml").unwrap().cues
    }

    #[test]
    fn a_reload_that_changes_only_cues_says_so() {
        let chime =
            "\n[[cue]]\non = \"final\"\nosc = \"127.0.0.1:53000\"\naddress = \"/cue/7/start\"\n";
        let light = chime.replace("/cue/7/start", "/eos/cue/1/5/fire");
        let none = AgendaChange::default();
        // The reference agenda has no cue; one added: 0 → 1.
        assert_eq!(
            reload_words(&none, &cues(""), &cues(chime)),
            "agenda reloaded: no session changed, cues 0 → 1"
        );
        // One address edited: as many cues, not the same.
        assert_eq!(
            reload_words(&none, &cues(chime), &cues(&light)),
            "agenda reloaded: no session changed, cues changed"
        );
        // The same cues: nothing said about them.
        assert_eq!(
            reload_words(&none, &cues(chime), &cues(chime)),
            "agenda reloaded: no session changed"
        );
    }
}
