//! What a key or a paste does on the stage manager's screen: the open
//! form, picker or dialog gets it first; otherwise it is a command, one
//! method per key.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use showcall_core::journal::Kind;
use showcall_core::show::{Action, Now};
use showcall_core::status::describe;

use super::{Acted, Confirm, Exit, Link, Mode, Operator};
use crate::ui::form::{Form, Outcome};
use crate::ui::keys::{self, Cmd};
use crate::ui::picker::{Pick, Picked};

impl Operator {
    /// Pasted text (the terminal's bracketed paste): into the open form's
    /// field or the picker's filter, as text. With nothing open it is
    /// refused with a word: a paste never runs keys (a newline is not GO).
    pub fn on_paste(&mut self, text: &str, now: DateTime<Utc>) {
        let left_out = match &mut self.mode {
            Mode::Form(form) => form.paste(text),
            Mode::Pick(p) => p.paste(text),
            _ => {
                self.say(
                    "pasted text ignored: open a form first (n note, m message, o overrun…)",
                    true,
                );
                0
            }
        };
        if left_out > 0 {
            self.say(
                format!(
                    "paste cut: {} did not fit in the field",
                    showcall_core::text::count(left_out, "character", "characters")
                ),
                true,
            );
        }
        self.update_preview(now);
    }

    pub fn on_key(&mut self, key: KeyEvent, now: DateTime<Utc>) {
        self.handle_key(key, now);
        self.update_preview(now);
    }

    pub(super) fn handle_key(&mut self, key: KeyEvent, now: DateTime<Utc>) {
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Help => {
                // Any key closes help; `q` still means quit.
                if keys::lookup(key) == Some(Cmd::Quit) {
                    self.command(Cmd::Quit, now);
                }
            }
            Mode::Form(mut form) => match form.on_key(key) {
                Outcome::Continue => self.mode = Mode::Form(form),
                Outcome::Cancel => {}
                Outcome::Submit => match form.action() {
                    // Refused as it stands (not over yet, no session…):
                    // the form stays open to be mended, so the keys typed
                    // next never fall through to the screen's commands.
                    Ok(action) => {
                        if let Acted::Refused(_) = self.act(action, now) {
                            self.mode = Mode::Form(form);
                        }
                    }
                    Err(e) => {
                        self.say(e, true);
                        self.mode = Mode::Form(form);
                    }
                },
            },
            Mode::Confirm(c) => self.answer(c, key, now),
            Mode::Pick(mut p) => match p.on_key(key) {
                Picked::Continue => self.mode = Mode::Pick(p),
                Picked::Cancel => {}
                Picked::Chose(i) => self.picked(p.purpose, i, now),
            },
            Mode::Normal => {
                if let Some(cmd) = keys::lookup(key) {
                    self.command(cmd, now);
                }
            }
        }
    }

    pub(super) fn answer(&mut self, c: Confirm, key: KeyEvent, now: DateTime<Utc>) {
        match (&c, key.code) {
            (Confirm::Unsaved { .. }, KeyCode::Char('r')) => {
                self.quit(now);
            }
            (Confirm::Unsaved { .. }, KeyCode::Char('f')) => {
                let at = self.local(now);
                if let Link::Writer(w) = &mut self.link {
                    match w.save_fallback(at, self.show.entries()) {
                        Ok(p) => self.exit = Some(Exit::Fallback(p)),
                        Err(e) => {
                            self.say(format!("could not write a fallback file: {e}"), true);
                            self.mode = Mode::Confirm(c);
                        }
                    }
                }
            }
            (Confirm::OffDay { .. }, KeyCode::Char('R')) => {
                self.exit = Some(Exit::Rehearse { new: false })
            }
            (Confirm::OffDay { .. } | Confirm::Rehearse, KeyCode::Char('N')) => {
                self.exit = Some(Exit::Rehearse { new: true })
            }
            (_, KeyCode::Char('y') | KeyCode::Char('Y')) => match c {
                Confirm::Undo { .. } => {
                    self.act(Action::Undo, now);
                }
                Confirm::Quit { .. } => self.quit(now),
                Confirm::OffDay { .. } => {
                    self.act(Action::Go, now);
                }
                Confirm::Rehearse => self.exit = Some(Exit::Rehearse { new: false }),
                Confirm::GoTo { idx, .. } => {
                    self.act(Action::GoTo(idx), now);
                }
                Confirm::Plan { kinds, .. } => self.apply_plan(kinds, now),
                Confirm::Unsaved { .. } => self.mode = Mode::Confirm(c),
            },
            (Confirm::Unsaved { .. }, _) if key.code != KeyCode::Esc => {
                self.mode = Mode::Confirm(c)
            }
            _ => {}
        }
    }

    /// GO: decided once. Off the event's day it asks first; with nothing
    /// left to start it says what the key can do instead.
    pub(super) fn go(&mut self, now: DateTime<Utc>) {
        if let Some(when) = self.off_day(now)
            && self.show.at(now).go_target().is_some()
        {
            self.mode = Mode::Confirm(Confirm::OffDay { when });
            return;
        }
        if let Acted::Refused(showcall_core::show::Refused::NothingNext) = self.act(Action::Go, now)
        {
            let end = keys::binding(Cmd::End).label;
            let text = match self.show.fold().live {
                Some(i) => format!(
                    "no session left to start: {end} ends '{}'",
                    showcall_core::text::sanitize(&self.show.agenda.sessions[i].title)
                ),
                None => "no session left to start: the show is over \
                         (showcall report reviews it)"
                    .into(),
            };
            self.say(text, true);
        }
    }

    /// A command key (the key table in `ui::keys`): refused on a read-only
    /// screen if it writes; otherwise one method per key.
    pub(super) fn command(&mut self, cmd: Cmd, now: DateTime<Utc>) {
        let writable = matches!(self.link, Link::Writer(_));
        if cmd.writes() && !writable {
            return self.say("read-only: this screen does not write the journal", true);
        }
        match cmd {
            Cmd::Go => self.go(now),
            Cmd::End => self.act_only(Action::End, now),
            Cmd::GoTo => self.open_picker(Pick::GoTo, "every session has run", now),
            Cmd::Plan => match self.plan_confirm(now) {
                Ok(c) => self.mode = Mode::Confirm(c),
                Err(e) => self.say(e, true),
            },
            Cmd::Cut => self.open_picker(Pick::Cut, "no session left to cut", now),
            Cmd::Overrun => self.overrun_form(now),
            Cmd::StartFix => self.start_fix_form(),
            Cmd::Speaker => self.speaker_form(now),
            Cmd::Extend => self.act_only(Action::Extend(60), now),
            Cmd::Shorten => self.act_only(Action::Extend(-60), now),
            Cmd::Message => self.mode = Mode::Form(Form::message()),
            Cmd::ClearMessage => self.act_only(Action::ClearMessage, now),
            Cmd::Note => self.mode = Mode::Form(Form::note()),
            Cmd::ActionPoint => self.mode = Mode::Form(Form::action_point()),
            Cmd::Floor => self.give_floor(now),
            Cmd::Hold => self.hold_or_resume(now),
            Cmd::FloorClose => self.act_only(Action::FloorClose, now),
            Cmd::Undo => self.undo_confirm(now),
            Cmd::Rehearse => {
                if self.rehearsal {
                    self.say("already rehearsing", false);
                } else {
                    self.mode = Mode::Confirm(Confirm::Rehearse);
                }
            }
            // Never further than the agenda is long, so the way back is
            // never longer than the way there was useful.
            Cmd::ScrollUp => {
                self.scroll = (self.scroll - 1).max(-(self.show.agenda.sessions.len() as isize))
            }
            Cmd::ScrollDown => {
                self.scroll = (self.scroll + 1).min(self.show.agenda.sessions.len() as isize)
            }
            Cmd::Live => self.scroll = 0,
            Cmd::Help => self.mode = Mode::Help,
            Cmd::Quit => self.quit_key(now, writable),
        }
    }

    /// An action with nothing to follow: what it did is said by `act`.
    fn act_only(&mut self, action: Action, now: DateTime<Utc>) {
        self.act(action, now);
    }

    /// `g` and `x`: the picker of sessions, or `none` said when there is
    /// nothing to pick.
    fn open_picker(&mut self, purpose: Pick, none: &str, now: DateTime<Utc>) {
        match self.picker(purpose, now) {
            Some(p) => self.mode = Mode::Pick(p),
            None => self.say(none, true),
        }
    }

    /// `o`: the overrun form for the live session (or the last one),
    /// pre-filled with the overrun so far.
    fn overrun_form(&mut self, now: DateTime<Utc>) {
        let snap = self.show.at(now);
        let Some(i) = snap.live().map(|l| l.idx).or(self.show.fold().last) else {
            return self.say("no session has started", true);
        };
        let over = showcall_core::show::current_overrun_s(&snap);
        self.mode = Mode::Form(Form::overrun(over, &self.show.agenda.sessions[i].title));
    }

    /// `S`: when the live session really started.
    fn start_fix_form(&mut self) {
        let fold = self.show.fold();
        match fold
            .live
            .and_then(|i| fold.sessions[i].actual_start.map(|s| (i, s)))
        {
            Some((i, start)) => {
                let title = &self.show.agenda.sessions[i].title;
                let tz = self.show.agenda.event.tz;
                self.mode = Mode::Form(Form::start_fix(title, start, tz));
            }
            None => self.say("no session is live", true),
        }
    }

    /// `s`: the speaker form for the live session, else the last one, else
    /// the one the plan has on now.
    fn speaker_form(&mut self, now: DateTime<Utc>) {
        let snap = self.show.at(now);
        let subject = snap
            .live()
            .map(|l| l.idx)
            .or(self.show.fold().last)
            .or(match snap.now {
                Now::Planned { idx, .. } => Some(idx),
                _ => None,
            });
        match subject {
            Some(i) => {
                let speakers = self.show.fold().sessions[i].speakers.clone();
                self.mode = Mode::Form(Form::speaker(&speakers));
            }
            None => self.say("no session to change speakers of yet", true),
        }
    }

    /// `t`: the floor's clock starts now, at the keypress; the name, if
    /// any, follows in its own entry as it is typed.
    fn give_floor(&mut self, now: DateTime<Utc>) {
        let Some(idx) = self.show.fold().live else {
            return self.say("no session is live", true);
        };
        let n = self.show.fold().sessions[idx].floors.len() + 1;
        if let Acted::Written(Some(seq)) = self.act(Action::Floor(None), now) {
            self.mode = Mode::Form(Form::floor(n, seq));
        }
    }

    /// `h`: held, it resumes at once. Not held, a form asks for an
    /// optional reason, so a double `h` types into it, never resumes.
    fn hold_or_resume(&mut self, now: DateTime<Utc>) {
        match self.show.fold().hold() {
            Some(_) => self.act_only(Action::Resume, now),
            None => self.mode = Mode::Form(Form::hold()),
        }
    }

    /// `u`: asks before taking back the last entry, naming it.
    fn undo_confirm(&mut self, now: DateTime<Utc>) {
        match self.show.apply(&Action::Undo, now) {
            Ok(kinds) => {
                if let Some(Kind::Undo { target }) = kinds.first() {
                    let what = self
                        .show
                        .entries()
                        .iter()
                        .find(|e| e.seq == *target)
                        .map(|e| describe(&e.kind, &self.show.agenda))
                        .unwrap_or_default();
                    self.mode = Mode::Confirm(Confirm::Undo {
                        target: *target,
                        what,
                    });
                }
            }
            Err(e) => self.say(e.to_string(), true),
        }
    }

    /// `q`: "everything is saved" is only said when it is true; otherwise
    /// `quit` asks about the unsaved entries first.
    fn quit_key(&mut self, now: DateTime<Utc>, writable: bool) {
        match self.show.at(now).live().map(|l| l.idx) {
            Some(idx) if writable && self.can_quit() => {
                self.mode = Mode::Confirm(Confirm::Quit {
                    live: self.show.agenda.sessions[idx].title.clone(),
                })
            }
            _ => self.quit(now),
        }
    }
}
