//! Commands from outside the keyboard (HTTP, OSC; `showcall_serve::control`):
//! each is the action its key gives, carried out through the same
//! [`Operator::act_from`] (the engine's one decision, then the writer),
//! and answered with what was written or why not. A refusal is said on the
//! screen as a key's would be; a read-only screen takes none.

use chrono::{DateTime, Utc};

use showcall_core::journal::{Kind, Source};
use showcall_core::show::Action;
use showcall_core::status::describe;
use showcall_serve::control::{Ask, Command, Reply, Request};

use super::{Acted, Confirm, Link, Mode, Operator};
use crate::ui::form::PRESETS;

impl Operator {
    /// Carries out or answers one request from outside at `now`.
    pub fn control(&mut self, req: Request, now: DateTime<Utc>) {
        let Request {
            ask,
            source,
            reply,
            ticket,
        } = req;
        let answer = match ask {
            Ask::Notice(text) => {
                self.say(text, true);
                None
            }
            Ask::State => Some(self.state_at(now)),
            Ask::Act(cmd) => {
                let r = self.remote(cmd, source, now);
                self.update_preview(now);
                Some(r)
            }
        };
        if let (Some(tx), Some(a)) = (reply, answer) {
            let _ = tx.send(a);
        }
        drop(ticket);
    }

    /// `GET /api/state` at `now`: the show at the screen's reading instant,
    /// and when the event is if the screen says so instead of a countdown.
    fn state_at(&self, now: DateTime<Utc>) -> Reply {
        let at = if self.rehearsal {
            now
        } else {
            self.show.reading_instant(now)
        };
        let writes = matches!(self.link, Link::Writer(_));
        let off_day = self.off_day(now);
        Reply::State(showcall_serve::control::state(
            &self.show,
            at,
            writes,
            off_day.as_deref(),
        ))
    }

    /// One command: refused on a read-only screen, and for a GO off the
    /// event's day (the key asks first; from outside nobody can answer).
    fn remote(&mut self, cmd: Command, source: Source, now: DateTime<Utc>) -> Reply {
        if let Link::Reader { why, .. } = &self.link {
            let why = why.clone();
            self.say(
                format!(
                    "{} refused: read-only: this screen does not write the journal",
                    source.label()
                ),
                true,
            );
            return Reply::ReadOnly(why);
        }
        let action = match action_of(cmd) {
            Ok(a) => a,
            Err(why) => {
                self.say(format!("{} refused: {why}", source.label()), true);
                return Reply::Invalid(why);
            }
        };
        if action == Action::Go
            && let Some(when) = self.off_day(now)
            && self.show.at(now).go_target().is_some()
        {
            let why = format!("{when} A GO this far from the event is confirmed at the keyboard.");
            self.say(format!("{} refused: {why}", source.label()), true);
            return Reply::Refused(why);
        }
        let known = self.show.entries().len();
        match self.act_from(action, now, Some(source)) {
            Acted::Refused(e) => Reply::Refused(e.reason()),
            Acted::Written(_) => {
                self.close_stale_question(source);
                self.done_since(known)
            }
        }
    }

    /// A question that names what it will write (undo that entry, apply
    /// that plan) no longer says what `y` would do once an entry came from
    /// outside: it is closed, and said, so `y` never takes back the wrong one.
    fn close_stale_question(&mut self, source: Source) {
        if let Mode::Confirm(Confirm::Undo { .. } | Confirm::Plan { .. }) = &self.mode {
            self.mode = Mode::Normal;
            self.say(
                format!(
                    "{}: an entry came in, so the question was closed: ask again",
                    source.label()
                ),
                true,
            );
        }
    }

    /// What the show gained since it held `known` entries, for the answer
    /// (the `open` entry of a new journal left out).
    fn done_since(&self, known: usize) -> Reply {
        Reply::Done(
            self.show.entries()[known.min(self.show.entries().len())..]
                .iter()
                .filter(|e| !matches!(e.kind, Kind::Open { .. }))
                .map(|e| (e.seq, describe(&e.kind, &self.show.agenda)))
                .collect(),
        )
    }
}

/// The action a command means: the one its key gives. A preset is found by
/// name (any case) or number from 1 among the message form's.
pub fn action_of(cmd: Command) -> Result<Action, String> {
    Ok(match cmd {
        Command::Go => Action::Go,
        Command::End => Action::End,
        Command::Time(s) => Action::Extend(s),
        Command::Hold(reason) => Action::Hold(reason),
        Command::Resume => Action::Resume,
        Command::Message(t) => Action::Message(t),
        Command::Preset(p) => {
            let by_number = p
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| PRESETS.get(i));
            let by_name = PRESETS.iter().find(|q| q.eq_ignore_ascii_case(p.trim()));
            match by_number.or(by_name) {
                Some(q) => Action::Message((*q).to_owned()),
                None => {
                    return Err(format!(
                        "no preset '{}': the presets are {}",
                        showcall_core::text::sanitize(&p),
                        PRESETS
                            .iter()
                            .enumerate()
                            .map(|(i, q)| format!("{} {q}", i + 1))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        Command::Clear => Action::ClearMessage,
        Command::Floor(name) => Action::Floor(name),
        Command::FloorClose => Action::FloorClose,
        Command::Note(t) => Action::Note(t),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::{InDir, agenda, at, utc};
    use showcall_core::journal::{OpenInfo, Writer};
    use showcall_serve::control::Gate;

    /// A writing screen in a temp dir with the Welcome Remarks live since 15:00.
    fn screen() -> InDir<Operator> {
        let mut op = fresh();
        op.act(Action::Go, utc("15:00"));
        op
    }

    /// A writing screen in a temp dir, nothing logged yet.
    fn fresh() -> InDir<Operator> {
        let dir = tempfile::tempdir().unwrap();
        let info = OpenInfo {
            agenda: "agenda.toml".into(),
            sha256: agenda().sha256,
            version: "test".into(),
        };
        let (w, _) = Writer::open(&dir.path().join("a.journal.jsonl"), info, at("14:55")).unwrap();
        let show = showcall_core::show::Show::new(agenda(), Vec::new());
        let op = Operator::new(show, Link::Writer(w), false, Vec::new());
        InDir { value: op, dir }
    }

    /// Sends `ask` from HTTP at `hms` and returns the answer.
    fn ask(op: &mut Operator, ask: Ask, hms: &str) -> Reply {
        let (tx, mut rx) = showcall_serve::control::oneshot::channel();
        let req = Request {
            ask,
            source: Source::Http,
            reply: Some(tx),
            ticket: Gate::default().enter().unwrap(),
        };
        op.control(req, utc(hms));
        rx.try_recv().unwrap()
    }

    #[test]
    fn a_command_is_written_with_its_source_and_answered() {
        let mut op = screen();
        let r = ask(&mut op, Ask::Act(Command::Time(60)), "15:01");
        // seq 1 is the journal's open, 2 the start, 3 this adjust.
        assert_eq!(
            r,
            Reply::Done(vec![(3, "time +1:00 · Welcome Remarks".into())])
        );
        let last = op.show.entries().last().unwrap();
        assert_eq!(last.source, Some(Source::Http));
        assert_eq!(
            op.toast.as_ref().unwrap().text,
            "HTTP: time +1:00 · Welcome Remarks"
        );
    }

    #[test]
    fn a_refusal_is_answered_and_said_and_writes_nothing() {
        let mut op = screen();
        let before = op.show.entries().len();
        let r = ask(&mut op, Ask::Act(Command::FloorClose), "15:01");
        assert_eq!(r, Reply::Refused("no one has the floor".into()));
        assert_eq!(op.show.entries().len(), before);
        let toast = op.toast.as_ref().unwrap();
        assert!(toast.bad && toast.text == "HTTP refused: no one has the floor");
    }

    #[test]
    fn a_refusal_from_outside_names_no_key() {
        let mut op = screen();
        let said = |op: &InDir<Operator>| op.toast.as_ref().unwrap().text.clone();
        // Welcome Remarks is allotted 10:00 (15:00 to the panel at 15:10):
        // 10:01 less would go below 0:00. The key's text ends "(e ends it)".
        let r = ask(&mut op, Ask::Act(Command::Time(-601)), "15:01");
        let why = "only 10:00 allotted: it cannot be shortened below 0:00";
        assert_eq!(r, Reply::Refused(why.into()));
        assert_eq!(said(&op), format!("HTTP refused: {why}"));
        // A hold, and a resume 100 ms after it, within the 500 ms guard:
        // "(h again resumes)" on the key's text.
        let hold = || Ask::Act(Command::Hold(None));
        assert!(matches!(ask(&mut op, hold(), "15:02"), Reply::Done(_)));
        let r = ask(&mut op, Ask::Act(Command::Resume), "15:02:00.100");
        let why = "resume ignored: 0.1 s after the hold";
        assert_eq!(r, Reply::Refused(why.into()));
        assert_eq!(said(&op), format!("HTTP refused: {why}"));
        // A second hold while held: "(h resumes)" on the key's text.
        let r = ask(&mut op, hold(), "15:03");
        assert_eq!(r, Reply::Refused("the show is already held".into()));
        assert_eq!(said(&op), "HTTP refused: the show is already held");
    }

    #[test]
    fn an_open_undo_question_is_closed_when_an_entry_comes_in() {
        let mut op = screen();
        op.mode = Mode::Confirm(Confirm::Undo {
            target: 2,
            what: "start · Welcome Remarks".into(),
        });
        ask(
            &mut op,
            Ask::Act(Command::Note("from the desk".into())),
            "15:02",
        );
        assert_eq!(op.mode, Mode::Normal);
        assert!(
            op.toast
                .as_ref()
                .unwrap()
                .text
                .contains("question was closed")
        );
    }

    #[test]
    fn a_go_far_from_the_event_is_left_to_the_keyboard() {
        let mut op = fresh();
        let before = op.show.entries().len();
        // A month after the event: the key asks first; from outside, refused.
        let (tx, mut rx) = showcall_serve::control::oneshot::channel();
        let req = Request {
            ask: Ask::Act(Command::Go),
            source: Source::Osc,
            reply: Some(tx),
            ticket: Gate::default().enter().unwrap(),
        };
        op.control(req, utc("15:00") + chrono::TimeDelta::days(30));
        let Ok(Reply::Refused(why)) = rx.try_recv() else {
            panic!("not refused");
        };
        // One sentence after the other, not "the event is This event was…".
        assert!(
            why.starts_with("This event was on Thu 22 Jun 2023 15:00")
                && why.ends_with("ago. A GO this far from the event is confirmed at the keyboard."),
            "{why}"
        );
        assert_eq!(op.show.entries().len(), before);
    }

    #[test]
    fn the_state_far_from_the_event_says_so_instead_of_a_frozen_countdown() {
        let mut op = fresh();
        // A month after the event, nothing started: the screen shows when
        // the event was; the state read a second before 15:00 would say
        // next_in 0:01 for ever.
        let Reply::State(v) = ask(&mut op, Ask::State, "14:58") else {
            panic!("not a state");
        };
        // On the day it counts down: 15:00 - 14:58 = 2:00.
        assert_eq!(
            (v["state"].as_str(), v["next_in"].as_str()),
            (Some("idle"), Some("2:00"))
        );
        assert_eq!(v["off_day"], "");
        let month = utc("15:00") + chrono::TimeDelta::days(30);
        let (tx, mut rx) = showcall_serve::control::oneshot::channel();
        let req = Request {
            ask: Ask::State,
            source: Source::Http,
            reply: Some(tx),
            ticket: Gate::default().enter().unwrap(),
        };
        op.control(req, month);
        let Ok(Reply::State(v)) = rx.try_recv() else {
            panic!("not a state");
        };
        assert_eq!(v["state"], "off_day");
        let when = v["off_day"].as_str().unwrap();
        assert!(
            when.starts_with("This event was on Thu 22 Jun 2023") && when.ends_with("days ago."),
            "{v}"
        );
        assert_eq!(
            (v["next_in"].clone(), v["next_in_s"].clone()),
            ("".into(), serde_json::Value::Null)
        );
    }

    #[test]
    fn the_state_is_the_screens_show_at_its_clock() {
        let mut op = screen();
        let Reply::State(v) = ask(&mut op, Ask::State, "15:04") else {
            panic!("not a state");
        };
        assert_eq!(v["live"], "Welcome Remarks");
        // 10:00 planned, 4:00 run since 15:00: 6:00 left.
        assert_eq!(v["remaining"], "6:00");
        assert_eq!(v["remaining_s"], 360);
        assert_eq!(v["signal"], "none");
        assert_eq!(v["writes"], true);
    }

    #[test]
    fn a_note_from_outside_does_not_hold_off_the_go_that_follows_it() {
        let mut op = screen();
        // The guard is 500 ms (the agenda's default). A note at
        // 15:02:00.000 and a GO 13 ms later, both over HTTP (the last two
        // lines of docs/control.md's curl list): no Enter was pressed twice.
        let note = Ask::Act(Command::Note("late mic".into()));
        assert!(matches!(ask(&mut op, note, "15:02:00.000"), Reply::Done(_)));
        let r = ask(&mut op, Ask::Act(Command::Go), "15:02:00.013");
        assert_eq!(
            r,
            Reply::Done(vec![(4, "start · Interactive Panel Discussion".into())])
        );
        // A second GO 13 ms after that start is still a double press.
        let r = ask(&mut op, Ask::Act(Command::Go), "15:02:00.026");
        assert_eq!(r, Reply::Refused("GO ignored: 13 ms after the last".into()));
    }

    #[test]
    fn a_form_saved_at_the_keys_still_holds_off_a_go_from_outside() {
        let mut op = screen();
        // A note typed at the keys (no source) at 15:02, a GO over HTTP
        // 100 ms later: within the 500 ms guard, refused as before.
        op.act(Action::Note("typed".into()), utc("15:02"));
        let r = ask(&mut op, Ask::Act(Command::Go), "15:02:00.100");
        assert_eq!(r, Reply::Refused("GO ignored: 0.1 s after the last".into()));
    }

    #[test]
    fn a_preset_the_screen_does_not_have_is_a_bad_value() {
        let mut op = screen();
        let before = op.show.entries().len();
        // PRESETS has 4: number 5 names none. A bad value (400), not the
        // engine refusing the action now (422).
        let r = ask(&mut op, Ask::Act(Command::Preset("5".into())), "15:01");
        let Reply::Invalid(why) = r else {
            panic!("not invalid: {r:?}");
        };
        assert!(why.starts_with("no preset '5'"), "{why}");
        assert_eq!(op.show.entries().len(), before);
    }

    #[test]
    fn presets_by_name_or_number() {
        let msg = |p: &str| action_of(Command::Preset(p.into()));
        assert_eq!(msg("wrap up"), Ok(Action::Message("WRAP UP".into())));
        // PRESETS[1] is "5 MIN": numbers count from 1.
        assert_eq!(msg("2"), Ok(Action::Message("5 MIN".into())));
        assert!(msg("0").unwrap_err().contains("1 WRAP UP, 2 5 MIN"));
        assert!(msg("9").is_err());
        assert_eq!(action_of(Command::Time(-60)), Ok(Action::Extend(-60)));
    }
}
