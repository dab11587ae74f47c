//! The stage manager's screen as a model: what it holds, and how a key or a
//! tick changes it (`on_key`, `tick`). The engine decides which journal
//! entries an action means; this model hands them to the journal writer and
//! only shows as saved what the writer reports fsynced. Drawing is in
//! `ui::operator`; the terminal and the clock are in `tui`.

use std::path::PathBuf;

mod clock_step;
mod cue_out;
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
    /// The cues out (docs/cues.md): armed on the writing screen only.
    pub cues: cue_out::CueOut,
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
            cues: cue_out::CueOut::default(),
        };
        op.take_opened();
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

    /// At start and after a take-over: a writer that still holds the
    /// entries it read at open hands them to the show, which is from then
    /// on the one place they live.
    fn take_opened(&mut self) {
        if let Link::Writer(w) = &mut self.link
            && !w.opened().is_empty()
        {
            self.show.set_entries(w.take_opened());
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
            r.lines = w.fallback_lines(self.show.entries());
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

    /// Saved entries, newest last: the show's, but for the pending ones
    /// at its end.
    pub fn saved(&self) -> &[Entry] {
        let all = self.show.entries();
        match &self.link {
            Link::Writer(w) => &all[..all.len().saturating_sub(w.pending().len())],
            Link::Reader { .. } => all,
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
                State::Saved if w.saved_count() == 0 => JournalState::Empty,
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
        let cues = self.show.agenda.cues.clone();
        let change = self.show.replan(agenda);
        let words = cue_out::reload_words(&change, &cues, &self.show.agenda.cues);
        self.reloaded = Some((words, std::time::Instant::now()));
        let at = self.local(now);
        if let Ok((_, Some(failed))) = self.record(Kind::Agenda(Box::new(change)), at, None) {
            self.say(failed, true);
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
                        Some(s) => format!("{} refused: {}", s.label(), e.reason()),
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
            match self.record(kind, at, source) {
                Ok((seq, why)) => {
                    last = seq.or(last);
                    failed = why.or(failed);
                }
                Err(()) => {
                    self.say("read-only: this screen does not write the journal", true);
                    return Acted::Written(None);
                }
            }
        }
        match (failed, source) {
            (Some(f), _) => self.say(f, true),
            (None, Some(s)) => self.say(format!("{}: {}", s.label(), said.join("; ")), false),
            (None, None) => self.toast = None,
        }
        Acted::Written(last)
    }

    /// Appends one entry and extends the show with exactly what the writer
    /// queued (the entry, and the `open` entry before a journal's first).
    /// Ok with the entry's seq (None when refused) and, when it is not
    /// saved yet or was refused, the words for the foot line; Err on a
    /// read-only screen, which writes nothing.
    pub(crate) fn record(
        &mut self,
        kind: Kind,
        at: DateTime<FixedOffset>,
        source: Option<Source>,
    ) -> Result<(Option<u64>, Option<String>), ()> {
        let Link::Writer(w) = &mut self.link else {
            return Err(());
        };
        let pushed = w.push_from(kind, at, source);
        self.show.extend(pushed.queued);
        self.update_rescue();
        Ok(match pushed.outcome {
            Appended::Saved(seq) => (Some(seq), None),
            Appended::NotSaved { error, seq } => (
                Some(seq),
                Some(format!("NOT SAVED: {error}; retrying every second")),
            ),
            Appended::Refused { error } => (None, Some(error)),
        })
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
        self.take_opened();
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

impl Drop for Operator {
    /// The last resort of the one exit check, for a path that forgot to
    /// ask (a panic unwinding): the show still holds every entry here, so
    /// a journal file lost underneath us is rescued whole. The writer's
    /// own drop, after this, finds nothing left to save.
    fn drop(&mut self) {
        if let Link::Writer(w) = &mut self.link
            && !w.can_quit()
        {
            let at = w.last_stamp();
            if let Err(e) = w.settle(at, self.show.entries()) {
                crate::setup::note(&format!(
                    "showcall: entries the journal does not hold could not be saved: {}",
                    showcall_core::text::sanitize(&e.to_string())
                ));
            }
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

#[cfg(test)]
mod tests {
    //! The journal held once: the show is the one list of entries; the
    //! writer keeps only what is not on disk, and is handed the show's list
    //! when the file lost what was saved.
    use showcall_core::journal::{OpenInfo, Writer, read};
    use showcall_core::show::{Action, Show};

    use super::*;
    use crate::testkit::{agenda, at, utc};

    fn info() -> OpenInfo {
        let a = agenda();
        OpenInfo {
            agenda: "agenda.toml".into(),
            sha256: a.sha256.clone(),
            version: "test".into(),
        }
    }

    fn fallbacks(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".fallback-"))
            .collect()
    }

    /// A temp dir and the journal's path in it.
    fn journal_dir() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.journal.jsonl");
        (dir, path)
    }

    /// The operator screen writing a new journal at `path` (opened 14:55).
    fn writing(path: &std::path::Path) -> Operator {
        let (w, _) = Writer::open(path, info(), at("14:55")).unwrap();
        Operator::new(
            Show::new(agenda(), Vec::new()),
            Link::Writer(w),
            false,
            vec![],
        )
    }

    /// Open, GO, note, GO: the entries are in the show and on disk, none
    /// kept by the writer; reopening hands them over once.
    #[test]
    fn entries_live_in_the_show_and_the_writer_keeps_none() {
        let (_dir, path) = journal_dir();
        let mut op = writing(&path);
        assert_eq!(op.show.entries().len(), 1, "the open entry");
        op.show.set_go_guard(Some(chrono::TimeDelta::zero()));
        op.act(Action::Go, utc("15:00"));
        op.act(Action::Note("mic 3".into()), utc("15:01"));
        op.act(Action::Go, utc("15:10"));
        let Link::Writer(w) = &op.link else { panic!() };
        assert!(w.opened().is_empty() && w.pending().is_empty());
        // Whatever the engine decided for the GOs, the show and the file
        // hold the same entries, and the writer counts them as saved.
        let on_disk = read(&path).unwrap().entries;
        assert_eq!(w.saved_count(), on_disk.len());
        assert_eq!(op.show.entries(), &on_disk[..]);
        assert_eq!(op.saved().len(), on_disk.len());
        drop(op);
        let (mut w, _) = Writer::open(&path, info(), at("15:20")).unwrap();
        assert_eq!(w.take_opened(), on_disk);
        assert!(w.take_opened().is_empty(), "handed over once");
    }

    /// A panic unwinding past the operator screen whose journal was
    /// removed: its drop writes the complete fallback from the show.
    #[test]
    fn a_panic_still_leaves_a_complete_fallback() {
        let (dir, path) = journal_dir();
        let mut op = writing(&path);
        for m in ["15:00", "15:01", "15:02", "15:03"] {
            op.act(Action::Note(m.into()), utc(m));
        }
        std::fs::remove_file(&path).unwrap();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            let _op = op;
            panic!("a bug somewhere in the screen");
        }));
        assert!(r.is_err());
        let f = fallbacks(dir.path());
        assert_eq!(f.len(), 1, "{f:?}");
        // open + 4 notes
        assert_eq!(read(&f[0]).unwrap().entries.len(), 5);
    }
}
