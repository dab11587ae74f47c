//! Cues out, decided: when the agenda's `[[cue]]`s fire, and what each
//! sends once its placeholders are filled.
//!
//! Pure, with the clock as an input. [`CueWatch`] is a small state machine:
//! the state it last observed, and a new snapshot of the show, give the
//! list of [`CueEvent`]s in between. It starts from the show as it stands
//! ([`CueWatch::new`]), so a restart or a take-over fires nothing for what
//! already happened. [`next_signal_change`] is the next instant the live
//! countdown changes its signal, so the event loop can wake exactly then.
//! [`firings`] matches events with the agenda's cues and fills them in.
//! Sending is the shell's business (`src/cues.rs`); nothing here touches a
//! socket.

use chrono::{DateTime, TimeDelta, Utc};

use super::{Show, Signal, Snapshot};
use crate::agenda::{Agenda, Escape, On, OscArg, Target, Vars};
use crate::journal::Kind;

/// One change of the show a cue may fire on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueEvent {
    /// Which change.
    pub on: On,
    /// The session it is about (agenda index): the one started, ended,
    /// signalled, or live at a hold, a resume or a message; `None` when
    /// nothing was live.
    pub session: Option<usize>,
    /// The message's text, for [`On::Message`].
    pub text: Option<String>,
}

/// What the watch saw last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueWatch {
    /// The highest journal seq taken in.
    seen: u64,
    /// The live session, by index, as the entries left it.
    live: Option<usize>,
    /// The live session's countdown level when last observed.
    level: Option<(usize, Signal)>,
}

/// True while the show is held (a `hold` not yet ended by a resume, a GO
/// or an end).
pub fn held(show: &Show) -> bool {
    show.fold().holds.last().is_some_and(|h| h.end.is_none())
}

impl CueWatch {
    /// A watch that has already seen everything in `show` and `snap`: the
    /// next [`CueWatch::observe`] reports only what changes after.
    pub fn new(show: &Show, snap: &Snapshot) -> CueWatch {
        CueWatch {
            seen: show.entries().last().map_or(0, |e| e.seq),
            live: snap.live().map(|l| l.idx),
            level: snap.live().map(|l| (l.idx, l.signal)),
        }
    }

    /// The events since the last observation, in the order they happened:
    /// the journal's new entries first (start, end, hold, resume,
    /// message), then the live countdown's signal (warn, final, over).
    ///
    /// A signal fires when the live session's countdown reaches a higher
    /// level than last observed, for the same session, while the show is
    /// not held; a jump over a level (a shortening) fires the level reached
    /// only. While held the level is not taken in: at the resume, a level
    /// reached meanwhile (a `-` while held) fires. A new session's first
    /// level fires nothing (its `start` does).
    pub fn observe(&mut self, show: &Show, snap: &Snapshot) -> Vec<CueEvent> {
        let mut out = Vec::new();
        let agenda = &show.agenda;
        let ev = |on: On, session: Option<usize>| CueEvent {
            on,
            session,
            text: None,
        };
        // The new entries are at the end (seqs grow): only they are read,
        // whatever the journal's length.
        let seen = self.seen;
        let entries = show.entries();
        let new = entries.iter().rev().take_while(|e| e.seq > seen).count();
        for e in &entries[entries.len() - new..] {
            match &e.kind {
                Kind::Start { session } => {
                    let idx = agenda.index_of(session);
                    if let Some(prev) = self.live.filter(|p| Some(*p) != idx) {
                        out.push(ev(On::End, Some(prev)));
                    }
                    out.push(ev(On::Start, idx));
                    self.live = idx;
                }
                Kind::End { session } => {
                    let idx = agenda.index_of(session);
                    if idx.is_some() && idx == self.live {
                        out.push(ev(On::End, idx));
                        self.live = None;
                    }
                }
                Kind::Hold { session, .. } => {
                    out.push(ev(
                        On::Hold,
                        session.as_deref().and_then(|s| agenda.index_of(s)),
                    ));
                }
                Kind::Resume { session } => {
                    let idx = session.as_deref().and_then(|s| agenda.index_of(s));
                    out.push(ev(On::Resume, idx));
                }
                Kind::Message { text } if !text.is_empty() => out.push(CueEvent {
                    on: On::Message,
                    session: snap.live().map(|l| l.idx),
                    text: Some(text.clone()),
                }),
                _ => {}
            }
            self.seen = self.seen.max(e.seq);
        }
        // An undo or a re-read journal: the show says what is live.
        self.live = snap.live().map(|l| l.idx);
        let level = snap.live().map(|l| (l.idx, l.signal));
        if held(show) && level.map(|l| l.0) == self.level.map(|l| l.0) {
            // Held, nothing counts down: the level before the hold stays
            // the one to beat, so a `-` while held fires the level it
            // reached at the resume, when the screen shows it.
            return out;
        }
        if let (Some((i, before)), Some((j, now))) = (self.level, level)
            && i == j
            && now > before
            && !held(show)
        {
            let on = match now {
                Signal::Warn => Some(On::Warn),
                Signal::Final => Some(On::Final),
                Signal::Over => Some(On::Over),
                Signal::Ok => None,
            };
            out.extend(on.map(|on| ev(on, Some(j))));
        }
        self.level = level;
        out
    }
}

/// The next instant after the snapshot's when the live countdown's signal
/// changes (reaches warn, final, or passes zero), or `None` when nothing
/// is live, the show is held, or it is already over. The event loop wakes
/// then, so the screens and the cues change at that instant, not at the
/// next whole second.
pub fn next_signal_change(show: &Show, snap: &Snapshot) -> Option<DateTime<Utc>> {
    let l = snap.live()?;
    if held(show) {
        return None;
    }
    // remaining(t) = remaining - (t - now): warn once it is ≤ warn, final
    // once ≤ final, over once < 0 (a millisecond past zero).
    [
        l.remaining - l.thresholds.warn,
        l.remaining - l.thresholds.final_,
        l.remaining + TimeDelta::milliseconds(1),
    ]
    .into_iter()
    .filter(|d| *d > TimeDelta::zero())
    .min()
    .map(|d| snap.now_at + d)
}

/// One cue to send now: which, why, and the request with its placeholders
/// filled.
#[derive(Debug, Clone, PartialEq)]
pub struct Firing {
    /// The cue's place in `Agenda::cues`.
    pub cue: usize,
    /// Its name (`Trigger::name`).
    pub name: String,
    /// The event it fires on.
    pub on: On,
    /// The session it fires for, by id, if any.
    pub session: Option<String>,
    /// Where it goes, as the journal's `target` says it.
    pub target: String,
    /// What to send.
    pub request: Request,
}

/// A filled-in request.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// One OSC message to `host:port` over UDP.
    Osc {
        /// Host name or IP address.
        host: String,
        /// UDP port.
        port: u16,
        /// The OSC address.
        address: String,
        /// The arguments, filled.
        args: Vec<OscValue>,
    },
    /// One plain-HTTP request.
    Http {
        /// `GET`, `POST`, …
        method: String,
        /// The URL, placeholders percent-encoded.
        url: String,
        /// Headers as the agenda gives them.
        headers: Vec<(String, String)>,
        /// The body, filled, if any.
        body: Option<String>,
    },
}

/// One filled OSC argument.
#[derive(Debug, Clone, PartialEq)]
pub enum OscValue {
    /// int32.
    Int(i32),
    /// float32.
    Float(f32),
    /// true or false.
    Bool(bool),
    /// A string, sanitised.
    Text(String),
}

/// The cues `events` fire, in event order then agenda order, each filled
/// in from the show as `snap` has it.
pub fn firings(agenda: &Agenda, snap: &Snapshot, events: &[CueEvent]) -> Vec<Firing> {
    let mut out = Vec::new();
    for ev in events {
        let id = ev
            .session
            .and_then(|i| agenda.sessions.get(i))
            .map(|s| &s.id);
        for (n, t) in agenda.cues.iter().enumerate() {
            if t.on != ev.on || t.session.as_ref().is_some_and(|s| Some(s) != id) {
                continue;
            }
            let vars = vars(agenda, snap, ev);
            out.push(Firing {
                cue: n,
                name: t.name.clone(),
                on: t.on,
                session: id.cloned(),
                target: t.target.label(),
                request: fill(&t.target, &vars),
            });
        }
    }
    out
}

fn vars(agenda: &Agenda, snap: &Snapshot, ev: &CueEvent) -> Vars {
    let Some(s) = ev.session.and_then(|i| agenda.sessions.get(i)) else {
        return Vars {
            text: ev.text.clone().unwrap_or_default(),
            ..Vars::default()
        };
    };
    // The live session's speakers after the journal's changes.
    let speakers = snap
        .live()
        .filter(|l| Some(l.idx) == ev.session)
        .map_or(&s.speakers, |l| &l.speakers);
    Vars {
        session: s.id.clone(),
        title: s.title.clone(),
        speaker: speakers.first().cloned().unwrap_or_default(),
        text: ev.text.clone().unwrap_or_default(),
    }
}

fn fill(target: &Target, vars: &Vars) -> Request {
    match target {
        Target::Osc {
            host,
            port,
            address,
            args,
        } => Request::Osc {
            host: host.clone(),
            port: *port,
            address: address.clone(),
            args: args
                .iter()
                .map(|a| match a {
                    OscArg::Int(n) => OscValue::Int(*n),
                    OscArg::Float(f) => OscValue::Float(*f),
                    OscArg::Bool(b) => OscValue::Bool(*b),
                    OscArg::Text(t) => OscValue::Text(t.fill(vars, Escape::Plain)),
                })
                .collect(),
        },
        Target::Http {
            method,
            url,
            headers,
            body,
        } => {
            let escape = if target.json_body() {
                Escape::Json
            } else {
                Escape::Plain
            };
            Request::Http {
                method: method.clone(),
                url: url.fill(vars, Escape::Url),
                headers: headers.clone(),
                body: body.as_ref().map(|b| b.fill(vars, escape)),
            }
        }
    }
}

#[cfg(test)]
mod tests;
