//! The stage manager's screen as a model: what it holds, and how a key or a
//! tick changes it (`on_key`, `tick`). The engine decides which journal
//! entries an action means; this model hands them to the journal writer and
//! only shows as saved what the writer reports fsynced. Drawing is in
//! `ui::operator`; the terminal and the clock are in `tui`.

use std::path::PathBuf;

mod clock_step;
mod on_key;
mod remote;
mod running_order;

use chrono::{DateTime, FixedOffset, Utc};

use showcall_core::diag::Diagnostic;
use showcall_core::journal::{Appended, Entry, Follower, Kind, Source, State, Writer};
use showcall_core::show::{Action, Crossings, Show, Signal};
use showcall_core::status::describe;

use crate::ui::form::Form;
use crate::ui::picker::{Pick, Picker};
use crate::ui::theme::Theme;

/// How the screen is connected to its journal.
pub enum Link {
    /// The one writer: actions are appended and fsynced.
    Writer(Writer),
    /// Following someone else's journal; `why` is shown in the header.
    Reader { follower: Follower, why: String },
}

/// A question the operator must answer before anything happens.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    Undo {
        target: u64,
        what: String,
    },
    Quit {
        live: String,
    },
    /// Quitting with entries not yet on disk.
    Unsaved {
        count: usize,
    },
    /// GO on an event that is far in the past or future.
    OffDay {
        when: String,
    },
    Rehearse,
    /// Starting a session out of order: `over` are the titles of the
    /// sessions it jumps over (they stay unstarted).
    GoTo {
        idx: usize,
        title: String,
        over: Vec<String>,
        /// Set off the event's day: the start would be a real one.
        off_day: Option<String>,
    },
    /// Applying the plan to meet the hard end: what will be written (the
    /// entries, and each in words), and the end it gives.
    Plan {
        kinds: Vec<Kind>,
        lines: Vec<String>,
        by: String,
        end: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    Help,
    Form(Form),
    Confirm(Confirm),
    /// The session picker (`g`, `x`).
    Pick(Picker),
}

/// Why the screen closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    Quit,
    /// Quit after writing unsaved entries to this fallback file.
    Fallback(PathBuf),
    /// Restart as a rehearsal of this agenda, starting now; `new`: keep
    /// the previous rehearsal's journal aside and begin a new one.
    Rehearse {
        new: bool,
    },
}

/// How long a toast stays up, real time.
const TOAST: std::time::Duration = std::time::Duration::from_secs(5);

/// A short line at the foot of the screen: a refusal, an error, a success.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub bad: bool,
    /// Real time, so a refusal stays readable under `--speed 10` too.
    pub born: std::time::Instant,
}

pub struct Operator {
    pub show: Show,
    pub link: Link,
    pub rehearsal: bool,
    pub mode: Mode,
    pub toast: Option<Toast>,
    /// Problems found opening the journal (torn tail, agenda changed, …).
    pub warnings: Vec<String>,
    /// Rows the schedule is scrolled away from the live row.
    pub scroll: isize,
    pub theme: Theme,
    pub exit: Option<Exit>,
    /// The signal just crossed, while its 3-second flash lasts (set by the
    /// shell, which owns real time).
    pub flash: Option<Signal>,
    pub crossings: Crossings,
    /// A copy of the unsaved entries for the signal watcher.
    pub rescue: std::sync::Arc<std::sync::Mutex<crate::rescue::Rescue>>,
    /// What the open form would write, in words (or why it cannot), worked
    /// out by the engine after each key so the view only reads it.
    pub preview: Result<String, String>,
    /// The agenda file, followed during the show (None in tests that build
    /// the show by hand).
    pub agenda_file: Option<crate::agenda_file::AgendaFile>,
    /// A screen read-only because another held the journal tries, once a
    /// second, to take it over: Some(writer) once the other has quit.
    pub take_over: Option<TakeOver>,
    /// The first problem of an agenda file saved broken, located as
    /// `check` prints it; shown until the file is fixed. The show runs on
    /// the last good agenda meanwhile.
    pub agenda_error: Option<String>,
    /// "agenda reloaded: 1 retimed, 1 added", and since when (real time):
    /// the header shows it for a few seconds.
    pub reloaded: Option<(String, std::time::Instant)>,
}

impl Operator {
    pub fn new(show: Show, link: Link, rehearsal: bool, warnings: Vec<Diagnostic>) -> Operator {
        let mut op = Operator {
            show,
            link,
            rehearsal,
            mode: Mode::Normal,
            toast: None,
            warnings: warnings.iter().map(|d| d.to_string()).collect(),
            scroll: 0,
            theme: Theme::from_env(),
            exit: None,
            flash: None,
            crossings: Crossings::default(),
            rescue: Default::default(),
            preview: Err(String::new()),
            agenda_file: None,
            take_over: None,
            agenda_error: None,
            reloaded: None,
        };
        op.resync();
        let unknown = &op.show.fold().unknown_sessions;
        if !unknown.is_empty() {
            let list: Vec<String> = unknown
                .iter()
                .map(|(seq, id)| format!("'{id}' (#{seq})"))
                .collect();
            op.warnings.push(format!(
                "the journal names sessions the agenda lacks: {}; kept, not shown",
                list.join(", ")
            ));
        }
        op
    }

    /// The event's local offset at `now`: journal entries carry it.
    fn local(&self, now: DateTime<Utc>) -> DateTime<FixedOffset> {
        use chrono::SubsecRound;
        now.trunc_subsecs(3)
            .with_timezone(&self.show.agenda.event.tz)
            .fixed_offset()
    }

    /// Re-reads all the writer's saved and pending entries into the engine
    /// (at start, and if the writer's list ever differs from the engine's).
    fn resync(&mut self) {
        if let Link::Writer(w) = &self.link {
            let mut all = w.entries().to_vec();
            all.extend_from_slice(w.pending());
            self.show.set_entries(all);
        }
        self.update_rescue();
    }

    /// Hands the engine the entries the writer took since it last looked:
    /// saved or pending, each is part of the show. Costs the new entries
    /// only, whatever the journal's length.
    fn take_new(&mut self) {
        if let Link::Writer(w) = &self.link {
            let known = self.show.entries().len();
            let total = w.entries().len() + w.pending().len();
            let last_known = self.show.entries().last().map(|e| e.seq);
            let in_step = known <= total
                && (known == 0 || writer_entry(w, known - 1).map(|e| e.seq) == last_known);
            if !in_step {
                return self.resync();
            }
            let new: Vec<Entry> = (known..total)
                .filter_map(|i| writer_entry(w, i).cloned())
                .collect();
            self.show.extend(new);
        }
        self.update_rescue();
    }

    /// The signal watcher's copy of what a fallback must hold: the unsaved
    /// entries, or every entry once the journal file no longer holds them.
    fn update_rescue(&mut self) {
        if let Link::Writer(w) = &mut self.link
            && let Ok(mut r) = self.rescue.lock()
        {
            r.journal = w.path().to_path_buf();
            r.lines = w.fallback_lines();
        }
    }

    /// Where the show stands at `now`, for the views: far from the event's
    /// day, projections from "now" mean nothing, so it is the plan as it
    /// stands just before the first session.
    pub fn snapshot(&self, now: DateTime<Utc>) -> showcall_core::show::Snapshot {
        if self.rehearsal {
            self.show.at(now)
        } else {
            self.show.at(self.show.reading_instant(now))
        }
    }

    /// Works out what the open form or picker would write, for its preview.
    fn update_preview(&mut self, now: DateTime<Utc>) {
        if let Mode::Pick(p) = &self.mode {
            let agenda = &self.show.agenda;
            self.preview = match (p.purpose, p.current()) {
                (_, None) => Err("no session matches the filter".into()),
                (Pick::GoTo, Some(i)) => self
                    .show
                    .apply(&Action::GoTo(i), now)
                    .map(|kinds| {
                        let mut text = kinds
                            .iter()
                            .map(|k| describe(k, agenda))
                            .collect::<Vec<_>>()
                            .join("; ");
                        let over = self.jumped_over(i, now);
                        if !over.is_empty() {
                            text.push_str(&format!(" (jumps over {})", over.join(", ")));
                        }
                        text
                    })
                    .map_err(|e| e.to_string()),
                (Pick::Cut, Some(i)) => {
                    let probe = Action::Cut {
                        idx: i,
                        note: "-".into(),
                    };
                    match self.show.apply(&probe, now) {
                        Ok(_) => Err(format!(
                            "Enter, then say why '{}' is cut",
                            showcall_core::text::sanitize(&agenda.sessions[i].title)
                        )),
                        Err(e) => Err(e.to_string()),
                    }
                }
            };
        }
        if let Mode::Form(form) = &self.mode {
            self.preview = form.action().and_then(|a| {
                self.show
                    .apply(&a, now)
                    .map(|kinds| {
                        kinds
                            .iter()
                            .map(|k| describe(k, &self.show.agenda))
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .map_err(|e| e.to_string())
            });
        }
    }

    /// Saved entries, newest last.
    pub fn saved(&self) -> &[Entry] {
        match &self.link {
            Link::Writer(w) => w.entries(),
            Link::Reader { .. } => self.show.entries(),
        }
    }

    /// Entries kept in memory because the disk refused them.
    pub fn pending(&self) -> &[Entry] {
        match &self.link {
            Link::Writer(w) => w.pending(),
            Link::Reader { .. } => &[],
        }
    }

    /// The journal's state for the header.
    pub fn journal_state(&self) -> JournalState {
        match &self.link {
            Link::Writer(w) => match w.state() {
                // The file appears with the first entry: "saved" would
                // promise a file that is not there yet.
                State::Saved if w.entries().is_empty() => JournalState::Empty,
                State::Saved => JournalState::Saved,
                // Every entry at risk: once the file no longer holds the
                // saved ones, they count too.
                State::NotSaved { reason } => JournalState::NotSaved {
                    count: w.at_risk(),
                    reason: reason.clone(),
                },
            },
            Link::Reader { why, .. } => JournalState::ReadOnly(why.clone()),
        }
    }

    fn say(&mut self, text: impl Into<String>, bad: bool) {
        self.toast = Some(Toast {
            text: text.into(),
            bad,
            born: std::time::Instant::now(),
        });
    }

    /// Once a second (and after input): retry unsaved entries, follow a
    /// journal written elsewhere, expire the toast.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        let local = self.local(now);
        if matches!(self.link, Link::Reader { .. }) {
            self.try_take_over(local);
        }
        match &mut self.link {
            Link::Writer(w) => {
                // Every second, even with nothing pending: this is also how
                // a journal removed or replaced underneath us is noticed.
                for d in w.take_warnings() {
                    self.warnings
                        .push(d.to_string().lines().next().unwrap_or("").to_string());
                }
                let saved = w.retry(local);
                if saved > 0 {
                    self.take_new();
                    self.say(
                        format!(
                            "saved {saved} waiting entr{}",
                            if saved == 1 { "y" } else { "ies" }
                        ),
                        false,
                    );
                }
                // A journal removed or cut while idle: the watcher's copy
                // must now hold every entry.
                self.update_rescue();
            }
            Link::Reader { follower, .. } => match follower.poll() {
                Ok(new) => {
                    if !new.is_empty() {
                        self.show.extend(new);
                    }
                    for w in follower.take_warnings() {
                        let line = w.to_string().lines().next().unwrap_or("").to_string();
                        if !self.warnings.contains(&line) {
                            self.warnings.push(line);
                        }
                    }
                }
                Err(showcall_core::journal::JournalError::Replaced { .. }) => {
                    let path = follower.path().to_path_buf();
                    *follower = Follower::new(path);
                    self.show.set_entries(Vec::new());
                }
                Err(e) => {
                    let text = e.to_string();
                    self.say(text, true);
                }
            },
        }
        self.reload_agenda(now);
        if self
            .toast
            .as_ref()
            .is_some_and(|t| t.born.elapsed() >= TOAST)
        {
            self.toast = None;
        }
        if self
            .reloaded
            .as_ref()
            .is_some_and(|(_, born)| born.elapsed() >= TOAST)
        {
            self.reloaded = None;
        }
    }

    /// Takes in an agenda file saved since the last look: a valid one is
    /// put in force at once and, on the writing screen, journaled as an
    /// `agenda` entry (the new sha256 and what changed, by id); a broken
    /// one keeps the running agenda and its first problem is shown until
    /// the file is fixed.
    fn reload_agenda(&mut self, now: DateTime<Utc>) {
        let Some(found) = self.agenda_file.as_mut().and_then(|f| f.poll()) else {
            return;
        };
        let agenda = match found {
            Ok(a) => a,
            Err(d) => {
                let first = d.0.first().map(|d| d.to_string()).unwrap_or_default();
                self.agenda_error = Some(first.lines().next().unwrap_or("").to_string());
                return;
            }
        };
        self.agenda_error = None;
        if agenda.sha256 == self.show.agenda.sha256 {
            return;
        }
        let change = self.show.replan(agenda);
        self.reloaded = Some((
            format!("agenda reloaded: {}", change.summary()),
            std::time::Instant::now(),
        ));
        let at = self.local(now);
        if let Link::Writer(w) = &mut self.link {
            let failed = match w.append(Kind::Agenda(change), at) {
                Appended::Saved(_) => None,
                Appended::NotSaved { error, .. } => {
                    Some(format!("NOT SAVED: {error}; retrying every second"))
                }
                Appended::Refused { error } => Some(error),
            };
            self.take_new();
            if let Some(f) = failed {
                self.say(f, true);
            }
        }
    }

    /// Carries out an action: the engine decides the entries once
    /// ([`Show::apply`]), the writer saves them, and the show takes in
    /// exactly what the writer queued. Refusals and failures become a
    /// toast; nothing is lost.
    pub fn act(&mut self, action: Action, now: DateTime<Utc>) -> Acted {
        self.act_from(action, now, None)
    }

    /// [`Operator::act`] for a command from `source` (HTTP, OSC; None for
    /// the keyboard): its entries carry the source, and what it did is
    /// said with where it came from.
    pub fn act_from(
        &mut self,
        action: Action,
        now: DateTime<Utc>,
        source: Option<Source>,
    ) -> Acted {
        match self.show.apply(&action, now) {
            Ok(kinds) => self.write(kinds, now, source),
            Err(e) => {
                self.say(
                    match source {
                        Some(s) => format!("{} refused: {e}", s.label()),
                        None => e.to_string(),
                    },
                    true,
                );
                Acted::Refused(e)
            }
        }
    }

    /// Appends entries the engine decided, and folds them in.
    fn write(&mut self, kinds: Vec<Kind>, now: DateTime<Utc>, source: Option<Source>) -> Acted {
        let at = self.local(now);
        let Link::Writer(w) = &mut self.link else {
            self.say("read-only: this screen does not write the journal", true);
            return Acted::Written(None);
        };
        let mut failed = None;
        let mut last = None;
        let said: Vec<String> = match source {
            Some(_) => kinds
                .iter()
                .map(|k| describe(k, &self.show.agenda))
                .collect(),
            None => Vec::new(),
        };
        for kind in kinds {
            match w.append_from(kind, at, source) {
                Appended::Saved(seq) => last = Some(seq),
                Appended::NotSaved { error, seq } => {
                    last = Some(seq);
                    failed = Some(format!("NOT SAVED: {error}; retrying every second"))
                }
                Appended::Refused { error } => failed = Some(error),
            }
        }
        self.take_new();
        match (failed, source) {
            (Some(f), _) => self.say(f, true),
            (None, Some(s)) => self.say(format!("{}: {}", s.label(), said.join("; ")), false),
            (None, None) => self.toast = None,
        }
        Acted::Written(last)
    }

    /// When the event is or was, while nothing has started and the event is
    /// far from `now` (a rehearsal is never off-day).
    pub fn off_day(&self, now: DateTime<Utc>) -> Option<String> {
        showcall_core::present::off_day(&self.show, self.rehearsal, now)
    }

    /// The sessions a start of `idx` jumps over: earlier in the running
    /// order and still to come (titles).
    pub fn jumped_over(&self, idx: usize, now: DateTime<Utc>) -> Vec<String> {
        use showcall_core::show::RowState;
        self.show
            .at(now)
            .rows
            .iter()
            .filter(|r| {
                r.idx < idx && matches!(r.state, RowState::Due | RowState::Next | RowState::Later)
            })
            .map(|r| self.show.agenda.sessions[r.idx].title.clone())
            .collect()
    }

    /// The screen that held the journal has quit: this one takes it over
    /// (the writer reads the whole journal again), and says so. True if it
    /// did.
    fn try_take_over(&mut self, local: DateTime<FixedOffset>) -> bool {
        let Some(f) = self.take_over.as_mut() else {
            return false;
        };
        let w = match f(local) {
            Ok(w) => w,
            // Still held, perhaps by another screen that took it over
            // since: the header names the holder as it is now.
            Err(Some(who)) => {
                if let Link::Reader { why, .. } = &mut self.link {
                    *why = who;
                }
                return false;
            }
            Err(None) => return false,
        };
        self.take_over = None;
        self.link = Link::Writer(w);
        self.resync();
        self.say(
            "the screen that held the journal has quit: this one writes it now",
            false,
        );
        true
    }

    /// The one "may I quit?" question: the journal on disk holds everything
    /// (or a fallback written since does).
    pub fn can_quit(&mut self) -> bool {
        match &mut self.link {
            Link::Writer(w) => w.can_quit(),
            Link::Reader { .. } => true,
        }
    }

    /// Quit now, unless entries are still unsaved.
    fn quit(&mut self, now: DateTime<Utc>) {
        self.tick(now);
        let can = self.can_quit();
        // Zero when the file no longer holds what was saved: the dialog then
        // says every entry exists only in memory.
        let holds = match &mut self.link {
            Link::Writer(w) => w.holds_saved(),
            Link::Reader { .. } => true,
        };
        let n = if holds { self.pending().len() } else { 0 };
        if !can {
            self.mode = Mode::Confirm(Confirm::Unsaved { count: n });
        } else {
            self.exit = Some(Exit::Quit);
        }
    }
}

/// What [`Operator::act`] did: refused (said in the foot line, so a form
/// can stay open to be mended), or written, with the seq of the last entry
/// appended (saved, or queued to be saved in order), if any.
#[derive(Debug, Clone, PartialEq)]
pub enum Acted {
    Refused(showcall_core::show::Refused),
    Written(Option<u64>),
}

/// The writer's `i`th entry, counting saved then pending.
fn writer_entry(w: &Writer, i: usize) -> Option<&Entry> {
    let saved = w.entries();
    if i < saved.len() {
        saved.get(i)
    } else {
        w.pending().get(i - saved.len())
    }
}

/// Tries to take the journal over as its writer (see `Operator::take_over`):
/// Err with who holds it now (`locked by pid 4242 on booth`) while another
/// still does, Err(None) if it failed otherwise. Takes the instant to stamp
/// with.
pub type TakeOver =
    Box<dyn FnMut(DateTime<FixedOffset>) -> Result<showcall_core::journal::Writer, Option<String>>>;

/// The journal's state as the header shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalState {
    /// Nothing logged yet, so no journal file yet.
    Empty,
    Saved,
    NotSaved {
        count: usize,
        reason: String,
    },
    ReadOnly(String),
}
