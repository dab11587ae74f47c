//! The speaker screen's presenter: the show at an instant turned into a
//! [`Face`] (the big countdown, its signal and word, the session, who
//! speaks, the floor intervention's countdown, the message, what is next),
//! in one language's [`Words`]. Computed once per frame; the terminal
//! screen and the browser page only lay it out.

use chrono::TimeDelta;

use super::words::Words;
use crate::show::{Cue, Live, Now, Show, Signal, Snapshot};
use crate::status::countdown_secs;
use crate::text::{clock_hm, hms, sanitize};

/// How the big text is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Nothing running: no colour, no backdrop.
    Calm,
    /// A running countdown (or count-up, always `Ok`).
    Signal(Signal),
}

/// What the screen shows at one instant, in words; `ui::speaker` lays it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    /// The session's title (or the event's, when no session is on).
    pub title: String,
    /// Who speaks: the session's speakers, or the one with the floor.
    pub who: String,
    /// The big text: a countdown, a count-up or a state.
    pub big: String,
    /// The colour of the big text.
    pub tone: Tone,
    /// The signal's word (`WRAP UP`, `OVER +1:20`) or the state's.
    pub word: String,
    /// The session's own countdown while someone has the floor.
    pub sub: Option<(String, Signal)>,
    /// What comes next, small.
    pub next: Option<String>,
    /// The stage manager's latest message.
    pub message: Option<String>,
    /// The hard-end alarm for the screen's edge: `HARD END 16:30 +2:01`
    /// once the projected end passes it; `passed` once the clock has.
    pub alarm: Option<Alarm>,
}

/// The hard end, said on the speaker screen's edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    /// The alarm in the screen's words: `HARD END 16:30 +2:01`, the hard end in
    /// the event's zone, then how far past it the show is projected to end (or,
    /// once `passed`, how far the clock is past it), `m:ss`.
    pub text: String,
    /// The clock itself has passed the hard end: louder.
    pub passed: bool,
}

/// `m:ss`, or `+m:ss` once over.
fn countdown(secs: i64) -> String {
    if secs < 0 {
        format!("+{}", hms(-secs))
    } else {
        hms(secs)
    }
}

/// After `e`: the session that just ended, with the time it ran (held
/// time left out) labelled as the final time, and by how much it went
/// over. Stays until the next GO, or a message sent after the end.
fn final_time(
    show: &Show,
    snap: &Snapshot,
    w: &Words,
    i: usize,
    next: Option<String>,
    message: Option<String>,
) -> Face {
    let row = snap.row(i);
    let ran =
        crate::show::floor_secs(row.end - row.start - show.fold().held(i, snap.now_at)).max(0);
    let over = ran - crate::show::floor_secs(row.allot);
    let (word, tone) = if over > 0 {
        (
            format!("{} · {} +{}", w.final_time, w.over, hms(over)),
            Tone::Signal(Signal::Over),
        )
    } else {
        (w.final_time.to_string(), Tone::Calm)
    };
    Face {
        title: sanitize(&show.agenda.sessions[i].title).into_owned(),
        who: sanitize(&show.fold().sessions[i].speakers.join(" · ")).into_owned(),
        big: hms(ran),
        tone,
        word,
        sub: None,
        next,
        message,
        alarm: None,
    }
}

/// The face of `show` at the instant of `snap` (its `now_at`), in `w`'s
/// words. All agenda and journal text in it is sanitised.
pub fn face(show: &Show, snap: &Snapshot, w: &Words) -> Face {
    let mut f = face_of_timeline(show, snap, w);
    if let Some(o) = &snap.overshoot {
        let by = clock_hm(o.by, show.agenda.event.tz);
        let passed = snap.now_at >= o.by;
        let late = if passed { snap.now_at - o.by } else { o.over };
        f.alarm = Some(Alarm {
            text: format!(
                "{} {by} +{}",
                w.hard_end,
                hms(crate::show::floor_secs(late))
            ),
            passed,
        });
    }
    // Held: the word says so, with how long, whatever else it would say.
    if let Some(h) = show.fold().hold().filter(|h| h.start <= snap.now_at) {
        let secs = crate::show::floor_secs(snap.now_at - h.start);
        f.word = format!("{} {}", w.hold, hms(secs));
    }
    f
}

/// The face as the timeline has it (before a hold is said).
fn face_of_timeline(show: &Show, snap: &Snapshot, w: &Words) -> Face {
    let agenda = &show.agenda;
    let tz = agenda.event.tz;
    let speakers = |list: &[String]| sanitize(&list.join(" · ")).into_owned();
    let title = |i: usize| sanitize(&agenda.sessions[i].title).into_owned();
    // Far from the event with nothing started: the plan's times, never a
    // projection from today (`Show::reading_instant`).
    let far_off = !snap.started && crate::show::far_from_event(agenda, snap.now_at);
    let next = snap.next.as_ref().map(|c| {
        format!(
            "{} {} · {}",
            w.next,
            clock_hm(cue_start(show, c, far_off), tz),
            title(c.idx)
        )
    });
    // A preset reads in the screen's language; free text as written.
    let message = snap
        .message
        .as_ref()
        .map(|(m, _)| w.preset(m).unwrap_or_else(|| sanitize(m).into_owned()));
    match &snap.now {
        Now::Live(live) => live_face(show, live, w, next, message),
        Now::Planned {
            idx,
            remaining,
            speakers: list,
            ..
        } => {
            let s = &agenda.sessions[*idx];
            Face {
                title: title(*idx),
                who: speakers(list),
                big: hms(countdown_secs(*remaining).max(0)),
                tone: Tone::Calm,
                word: w.not_started.into(),
                sub: None,
                next: Some(format!(
                    "{} {}–{}",
                    w.plan,
                    clock_hm(s.start, tz),
                    clock_hm(s.end, tz)
                )),
                message,
                alarm: None,
            }
        }
        Now::Idle {
            last: Some((i, ended)),
        } if snap.message.as_ref().is_none_or(|(_, at)| at <= ended) => {
            final_time(show, snap, w, *i, next, message)
        }
        Now::Idle { .. } => idle_face(show, snap, w, far_off, next, message),
        Now::Finished { .. } => Face {
            title: sanitize(&agenda.event.title).into_owned(),
            who: String::new(),
            big: w.finished.into(),
            tone: Tone::Calm,
            word: String::new(),
            sub: None,
            next: None,
            message,
            alarm: None,
        },
    }
}

/// When the cue starts as the speaker screen says it: the plan's time when
/// `far_off` (far from the event, nothing started), else the projection.
fn cue_start(show: &Show, c: &Cue, far_off: bool) -> chrono::DateTime<chrono::Utc> {
    if far_off {
        show.agenda.sessions[c.idx].start
    } else {
        c.start
    }
}

/// A live session: its countdown and signal, or, while someone from the
/// floor speaks, their timer with the session's countdown beneath.
fn live_face(
    show: &Show,
    live: &Live,
    w: &Words,
    next: Option<String>,
    message: Option<String>,
) -> Face {
    let s = &show.agenda.sessions[live.idx];
    let title = sanitize(&s.title).into_owned();
    let session_secs = countdown_secs(live.remaining);
    let session_word = w.signal(live.signal, session_secs, live.thresholds);
    let Some(f) = &live.floor else {
        return Face {
            title,
            who: sanitize(&live.speakers.join(" · ")).into_owned(),
            big: countdown(session_secs),
            tone: Tone::Signal(live.signal),
            word: session_word,
            sub: None,
            next,
            message,
            alarm: None,
        };
    };
    let who = match &f.speaker {
        Some(name) => sanitize(name).into_owned(),
        None => format!("{} {}", w.speaker, f.number),
    };
    let (big, tone, word) = match (f.remaining, s.intervention) {
        (Some(r), Some(iv)) => {
            let secs = countdown_secs(r);
            (
                countdown(secs),
                Tone::Signal(f.signal),
                w.signal(f.signal, secs, iv.signals),
            )
        }
        // Untimed: counting up, `+0:51`, as the operator screen shows it.
        _ => (
            crate::show::Countdown::of(-f.elapsed).text(),
            Tone::Signal(Signal::Ok),
            w.floor.to_string(),
        ),
    };
    let sub = format!(
        "{} {}{}",
        w.session,
        countdown(session_secs),
        if session_word.is_empty() || session_secs < 0 {
            String::new()
        } else {
            format!(" · {session_word}")
        }
    );
    Face {
        title,
        who,
        big,
        tone,
        word,
        sub: Some((sub, live.signal)),
        next,
        message,
        alarm: None,
    }
}

/// Nothing live: the event's title over the countdown to the next cue,
/// STANDBY when it is due, or its start time and date when far off.
fn idle_face(
    show: &Show,
    snap: &Snapshot,
    w: &Words,
    far_off: bool,
    next: Option<String>,
    message: Option<String>,
) -> Face {
    let tz = show.agenda.event.tz;
    let cue = snap.next.as_ref();
    let until = cue.map(|c| c.start - snap.now_at);
    let far = far_off || until.is_some_and(|d| d > TimeDelta::hours(12));
    let overdue = !far && cue.is_some_and(|c| c.overdue_s.is_some());
    let big = match cue {
        // Far from the event: the time it starts, not hours of digits.
        Some(c) if far => clock_hm(cue_start(show, c, far_off), tz),
        // Due and waiting for its cue: say so, calmly.
        Some(_) if overdue => w.standby.to_string(),
        Some(c) => c.starts_in.text_to_zero(),
        None => String::new(),
    };
    let word = if snap.started {
        w.between.to_string()
    } else if far {
        cue.map(|c| {
            cue_start(show, c, far_off)
                .with_timezone(&tz)
                .format("%Y-%m-%d")
                .to_string()
        })
        .unwrap_or_default()
    } else if overdue {
        String::new()
    } else {
        w.starts_in.to_string()
    };
    Face {
        title: sanitize(&show.agenda.event.title).into_owned(),
        who: String::new(),
        big,
        tone: Tone::Calm,
        word,
        sub: None,
        next,
        message,
        alarm: None,
    }
}
