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

use super::{Acted, Link, Operator};
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
            Ask::State => {
                let at = if self.rehearsal {
                    now
                } else {
                    self.show.reading_instant(now)
                };
                let writes = matches!(self.link, Link::Writer(_));
                Some(Reply::State(showcall_serve::control::state(
                    &self.show, at, writes,
                )))
            }
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
                return Reply::Refused(why);
            }
        };
        if action == Action::Go
            && let Some(when) = self.off_day(now)
            && self.show.at(now).go_target().is_some()
        {
            let why = format!(
                "the event is {when}: a GO this far from the event is confirmed at the keyboard"
            );
            self.say(format!("{} refused: {why}", source.label()), true);
            return Reply::Refused(why);
        }
        let known = self.show.entries().len();
        match self.act_from(action, now, Some(source)) {
            Acted::Refused(e) => Reply::Refused(e.to_string()),
            Acted::Written(_) => Reply::Done(
                self.show.entries()[known.min(self.show.entries().len())..]
                    .iter()
                    .filter(|e| !matches!(e.kind, Kind::Open { .. }))
                    .map(|e| (e.seq, describe(&e.kind, &self.show.agenda)))
                    .collect(),
            ),
        }
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
