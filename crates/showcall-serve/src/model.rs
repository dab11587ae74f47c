//! What the pages are sent: the show folded from the journal, turned once
//! per change into [`Published`] JSON (the state every view reads, and the
//! speaker's faces second by second in each language, from the core's
//! presenter). Handlers only hand these strings out; nothing here reads a
//! clock (`now` is an argument).

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};

use showcall_core::journal::{Follower, JournalError};
use showcall_core::present::{self, Face, Lang, Tone};
use showcall_core::show::{Now, RowState, Show, Signal, Snapshot};
use showcall_core::status::{delta_text, lateness_text};
use showcall_core::text::{clock_hm, sanitize};

/// How far ahead the speaker's faces are computed, in show seconds. A page
/// asks again before they run out.
pub const HORIZON_S: i64 = 300;

/// One version of what the server says about the show.
#[derive(Debug, Clone)]
pub struct Published {
    /// Changes whenever anything a page shows changes (never with the
    /// clock alone).
    pub version: u64,
    /// The state every view reads, without `now_ms` (set per request).
    pub state: Value,
    /// The speaker's faces from `faces_t0` on, one a show second, per
    /// language in [`Lang::ALL`]'s order.
    pub faces: [Value; 3],
    /// The show-clock instant of the first face (a whole second).
    pub faces_t0: DateTime<Utc>,
    /// Why the journal cannot be read right now.
    pub problem: Option<String>,
}

/// The show as a follower of the journal sees it.
pub struct Model {
    /// The agenda and the journal read so far, folded.
    pub show: Show,
    follower: Follower,
    /// A rehearsal journal is followed.
    pub rehearsal: bool,
    problem: Option<String>,
}

impl Model {
    /// A model of `show` following `follower` (read-only).
    pub fn new(show: Show, follower: Follower, rehearsal: bool) -> Model {
        Model {
            show,
            follower,
            rehearsal,
            problem: None,
        }
    }

    /// Reads what the journal gained; a journal replaced or cut short is
    /// read again from its start (as the speaker screen does). Returns
    /// true if anything was read.
    pub fn follow(&mut self) -> bool {
        let result = match self.follower.poll() {
            Err(JournalError::Replaced { .. }) => {
                self.show.set_entries(Vec::new());
                self.follower.poll().map(|new| (new, true))
            }
            other => other.map(|new| (new, false)),
        };
        self.follower.take_warnings();
        match result {
            Ok((new, replaced)) => {
                let changed = replaced || !new.is_empty() || self.problem.is_some();
                self.show.extend(new);
                self.problem = None;
                changed
            }
            Err(e) => {
                let p = Some(sanitize(&e.to_string()).into_owned());
                let changed = p != self.problem;
                self.problem = p;
                changed
            }
        }
    }

    /// Why the journal cannot be read, if it cannot.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }
}

/// The state at `now`: what is live, the running order with planned and
/// projected times (`HH:MM` in the event's zone), each row's Δ and the
/// headline lateness in the terminal's words (`delta`: `+2:00`, `-1:04:42`,
/// empty for a missed or cut row; `lateness`: `ON TIME`, `+4:30 BEHIND`,
/// `2:00 AHEAD`; `delta_s`/`late_s` the same in whole seconds), the hard ends, the message. Instants a page counts down to
/// (`*_ms`, milliseconds since the Unix epoch, show clock) stay fixed
/// while the show runs as planned, so the state changes only when the
/// projection does.
pub fn state(model: &Model, now: DateTime<Utc>, speed: f64) -> Value {
    let show = &model.show;
    let snap = show.at(now);
    let agenda = &show.agenda;
    let tz = agenda.event.tz;
    let clean = |s: &str| sanitize(s).into_owned();
    let who = |list: &[String]| clean(&list.join(" · "));
    let rows: Vec<Value> = snap
        .rows
        .iter()
        .map(|r| {
            let s = &agenda.sessions[r.idx];
            let speakers = live_speakers(&snap, r.idx).unwrap_or_else(|| who(&s.speakers));
            json!({
                "title": clean(&s.title),
                "speakers": speakers,
                "state": row_state(r.state),
                "plan": format!("{}–{}", clock_hm(r.planned_start, tz), clock_hm(r.planned_end, tz)),
                "start": clock_hm(r.start, tz),
                "end": clock_hm(r.end, tz),
                "delta": delta_text(r),
                "delta_s": r.delta_s(),
            })
        })
        .collect();
    json!({
        "speed": speed,
        "rehearsal": model.rehearsal,
        "problem": model.problem(),
        "event": {
            "title": clean(&agenda.event.title),
            "tz": tz.name(),
            "also_show": agenda.event.also_show.iter().map(|z| z.name()).collect::<Vec<_>>(),
        },
        "live": live(show, &snap),
        "message": snap.message.as_ref().map(|(m, _)| clean(m)),
        "rows": rows,
        "lateness": lateness_text(&snap.headline),
        "late_s": snap.headline.late_s,
        "started": snap.started,
        "planned_end": clock_hm(snap.planned_end, tz),
        "projected_end": clock_hm(snap.projected_end, tz),
        "hard_ends": agenda.event.must_end_by.iter().map(|h| json!({
            "day": h.date.to_string(),
            "at": clock_hm(h.at, tz),
            "at_ms": h.at.timestamp_millis(),
        })).collect::<Vec<_>>(),
    })
}

/// The live session's speakers after the journal's changes, if `idx` is it.
fn live_speakers(snap: &Snapshot, idx: usize) -> Option<String> {
    snap.live()
        .filter(|l| l.idx == idx)
        .map(|l| sanitize(&l.speakers.join(" · ")).into_owned())
}

/// What is live: title, who speaks, the instant its countdown reaches zero
/// (fixed while it runs), and the floor's own, if someone has it.
fn live(show: &Show, snap: &Snapshot) -> Value {
    let Now::Live(l) = &snap.now else {
        return Value::Null;
    };
    let s = &show.agenda.sessions[l.idx];
    let floor = l.floor.as_ref().map(|f| {
        json!({
            "who": f.speaker.as_deref().map(|n| sanitize(n).into_owned()),
            "number": f.number,
            "end_ms": f.remaining.map(|r| (snap.now_at + r).timestamp_millis()),
        })
    });
    json!({
        "title": sanitize(&s.title).into_owned(),
        "who": sanitize(&l.speakers.join(" · ")).into_owned(),
        "end_ms": (snap.now_at + l.remaining).timestamp_millis(),
        "signal": signal_name(l.signal),
        "floor": floor,
    })
}

fn row_state(s: RowState) -> &'static str {
    match s {
        RowState::Done => "done",
        RowState::Live => "live",
        RowState::Due => "due",
        RowState::Next => "next",
        RowState::Later => "later",
        RowState::Missed => "missed",
        RowState::Cut => "cut",
    }
}

/// The CSS name of a signal.
pub fn signal_name(s: Signal) -> &'static str {
    match s {
        Signal::Ok => "ok",
        Signal::Warn => "warn",
        Signal::Final => "final",
        Signal::Over => "over",
    }
}

/// One face as the page draws it.
fn face_json(f: &Face) -> Value {
    let tone = match f.tone {
        Tone::Calm => "calm",
        Tone::Signal(s) => signal_name(s),
    };
    json!({
        "title": f.title,
        "who": f.who,
        "big": f.big,
        "tone": tone,
        "word": f.word,
        "sub": f.sub.as_ref().map(|(t, _)| t),
        "sub_tone": f.sub.as_ref().map(|(_, s)| signal_name(*s)),
        "next": f.next,
        "message": f.message,
    })
}

/// The speaker's faces in `lang` for each show second from `t0` over the
/// horizon: exactly what the terminal speaker screen shows at those
/// instants; `rehearsal` is the word the speaker page shows while it follows
/// a rehearsal (`REHEARSAL`, `RÉPÉTITION`, `ENSAYO`: the terminal's).
pub fn faces(show: &Show, t0: DateTime<Utc>, lang: Lang) -> Value {
    let w = present::words(lang);
    let list: Vec<Value> = (0..HORIZON_S)
        .map(|i| {
            let snap = show.at(t0 + TimeDelta::seconds(i));
            face_json(&present::face(show, &snap, w))
        })
        .collect();
    json!({ "t0_ms": t0.timestamp_millis(), "faces": list, "rehearsal": w.rehearsal })
}

/// `now` cut to its whole second.
pub fn whole_second(now: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
}

/// What changed since `last`, at `now`: a new [`Published`] when the state
/// differs, when the journal was read, or when the faces near their end.
pub fn publish(
    model: &Model,
    last: Option<&Published>,
    read: bool,
    now: DateTime<Utc>,
    speed: f64,
) -> Option<Published> {
    let state = state(model, now, speed);
    let stale = last.is_none_or(|p| now >= p.faces_t0 + TimeDelta::seconds(HORIZON_S / 2));
    let changed = read || last.is_none_or(|p| p.state != state);
    if !changed && !stale {
        return None;
    }
    let t0 = whole_second(now);
    let faces = Lang::ALL.map(|l| faces(&model.show, t0, l));
    let version = match last {
        Some(p) if changed => p.version + 1,
        Some(p) => p.version,
        None => 1,
    };
    Some(Published {
        version,
        state,
        faces,
        faces_t0: t0,
        problem: model.problem().map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use showcall_core::agenda::Agenda;
    use showcall_core::journal::{Entry, Kind};

    /// 2023-06-22 at h:m:s in Zurich (UTC+2 in June).
    fn zurich(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2023, 6, 22, h - 2, m, s).unwrap()
    }

    fn model(dir: &std::path::Path) -> Model {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../agenda.toml");
        let agenda = Agenda::load(std::path::Path::new(path)).unwrap();
        let start = Entry::new(
            1,
            zurich(15, 10, 0).fixed_offset(),
            Kind::Start {
                session: "panel".into(),
            },
        );
        let show = Show::new(agenda, vec![start]);
        Model::new(show, Follower::new(dir.join("none.jsonl")), false)
    }

    /// A quiet second publishes nothing (the pages tick by themselves); a
    /// message is a new version; the faces are the presenter's, second by
    /// second.
    #[test]
    fn changes_not_ticks() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = model(dir.path());
        let t = zurich(15, 20, 0);
        let first = publish(&m, None, true, t, 1.0).unwrap();
        assert_eq!(first.version, 1);
        // 15:20:01, the panel on plan: nothing a page shows has changed.
        assert!(publish(&m, Some(&first), false, t + TimeDelta::seconds(1), 1.0).is_none());
        // The faces are the terminal's: the panel ends 15:40, so at
        // 15:20:05 (face 5) 20:00 - 0:05 = 19:55 is left.
        assert_eq!(first.faces[0]["faces"][5]["big"], "19:55");
        let snap = m.show.at(t + TimeDelta::seconds(5));
        let face = present::face(&m.show, &snap, &present::FR);
        assert_eq!(first.faces[1]["faces"][5], face_json(&face));
        // A message: a new version.
        m.show.extend(vec![Entry::new(
            2,
            zurich(15, 20, 2).fixed_offset(),
            Kind::Message {
                text: "5 MIN".into(),
            },
        )]);
        let next = publish(&m, Some(&first), false, t + TimeDelta::seconds(3), 1.0).unwrap();
        assert_eq!(next.version, 2);
        assert_eq!(next.state["message"], "5 MIN");
        // Halfway through the faces, new faces, the same version.
        let later = t + TimeDelta::seconds(HORIZON_S / 2 + 3);
        let renewed = publish(&m, Some(&next), false, later, 1.0).unwrap();
        assert_eq!(renewed.version, 2);
        assert_eq!(renewed.faces_t0, whole_second(later));
    }

    /// The speaker page of a rehearsal says so in words, as the terminal
    /// speaker screen does (it showed a bare dot): each language's faces
    /// carry the core's word for it.
    #[test]
    fn the_faces_carry_the_rehearsal_word() {
        let dir = tempfile::tempdir().unwrap();
        let m = model(dir.path());
        let t = zurich(15, 20, 0);
        let first = publish(&m, None, true, t, 1.0).unwrap();
        let words: Vec<&str> = Lang::ALL
            .iter()
            .zip(&first.faces)
            .map(|(lang, f)| {
                assert_eq!(f["rehearsal"], present::words(*lang).rehearsal);
                f["rehearsal"].as_str().unwrap()
            })
            .collect();
        assert_eq!(words, ["REHEARSAL", "RÉPÉTITION", "ENSAYO"]);
    }
}

#[cfg(test)]
mod delta_tests {
    use super::*;
    use chrono::TimeZone;
    use showcall_core::agenda::Agenda;
    use showcall_core::journal::{Entry, Kind};

    /// An early start reads as the terminal writes it, not in minutes: the
    /// panel (plan 15:10, Zurich) started at 14:05:18 is 1:04:42 early
    /// (3600 + 4·60 + 42 = 3882 s), so its Δ is `-1:04:42`; the headline
    /// is the core's words for the same snapshot.
    #[test]
    fn an_early_start_is_the_terminals_delta() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../agenda.toml");
        let agenda = Agenda::load(std::path::Path::new(path)).unwrap();
        let at = |h: u32, m: u32, s: u32| Utc.with_ymd_and_hms(2023, 6, 22, h - 2, m, s).unwrap();
        let start = Entry::new(
            1,
            at(14, 5, 18).fixed_offset(),
            Kind::Start {
                session: "panel".into(),
            },
        );
        let dir = tempfile::tempdir().unwrap();
        let show = Show::new(agenda, vec![start]);
        let m = Model::new(show, Follower::new(dir.path().join("none.jsonl")), false);
        let now = at(14, 6, 0);
        let v = state(&m, now, 1.0);
        let panel = &v["rows"][1];
        assert_eq!(panel["title"], "Interactive Panel Discussion");
        assert_eq!(panel["delta"], "-1:04:42");
        assert_eq!(panel["delta_s"], -3882);
        let snap = m.show.at(now);
        assert_eq!(v["lateness"], lateness_text(&snap.headline));
        assert_eq!(v["late_s"], snap.headline.late_s);
    }
}

#[cfg(test)]
mod follow_tests {
    use super::*;
    use showcall_core::agenda::Agenda;

    /// A journal moved aside and begun anew is read again from its start,
    /// as the speaker screen does: the new one's entries, not both.
    #[test]
    fn a_replaced_journal_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.journal.jsonl");
        let start = |t: &str| {
            format!(
                "{{\"v\":1,\"seq\":1,\"at\":\"2023-06-22T{t}.000+02:00\",\"kind\":\"start\",\"session\":\"panel\"}}\n"
            )
        };
        std::fs::write(&path, start("15:10:00")).unwrap();
        let agenda_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../agenda.toml");
        let agenda = Agenda::load(std::path::Path::new(agenda_path)).unwrap();
        let mut m = Model::new(Show::new(agenda, Vec::new()), Follower::new(&path), false);
        assert!(m.follow());
        assert_eq!(m.show.entries().len(), 1);
        assert!(!m.follow(), "nothing new");
        std::fs::rename(&path, dir.path().join("old.jsonl")).unwrap();
        std::fs::write(&path, start("15:15:00")).unwrap();
        assert!(m.follow());
        assert_eq!(m.show.entries().len(), 1);
        assert!(m.problem().is_none());
    }
}
