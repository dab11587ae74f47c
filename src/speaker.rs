//! `showcall speaker`: the speaker-facing screen's model (the runner is in
//! `app`, its event-loop glue in `tui`).
//!
//! It follows the journal another process writes (never writing or
//! locking it) and folds it into a [`Show`]. What the speaker is told, and
//! in which words, is the core's presenter (`showcall_core::present`: the
//! [`Face`] and the [`EN`], [`FR`], [`ES`] tables), re-exported here; the
//! screen computes the face once per frame and `ui::speaker` lays it out.
//! Real time (how long a new message has been flashing) is kept here, in
//! the shell's model; drawing gets the face, `now` and flags only.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use showcall_core::journal::{self, ClockRecord, Follower, JournalError, Kind};
use showcall_core::show::{Crossings, Show, Signal, Snapshot};

pub use showcall_core::present::speaker::{Face, Tone, face};
#[cfg(test)]
pub use showcall_core::present::words::{EN, ES, FR};
pub use showcall_core::present::words::{Lang, Words, words};

use crate::ui::theme::Theme;

/// How long a new message flashes, real time.
pub const MESSAGE_FLASH: Duration = Duration::from_secs(3);

/// The message on screen, and the real instant it first appeared (None if
/// it was already up when the screen opened: that is not news).
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    message: (String, DateTime<Utc>),
    since: Option<Instant>,
}

/// The speaker screen: a read-only follower of the journal.
pub struct Speaker {
    pub show: Show,
    /// None when nothing is followed (tests build the show by hand).
    pub follower: Option<Follower>,
    pub words: &'static Words,
    pub theme: Theme,
    pub rehearsal: bool,
    /// The signal just crossed, while its flash lasts (set by the shell).
    pub flash: Option<Signal>,
    pub crossings: Crossings,
    seen: Option<Seen>,
    /// True for the first three real seconds of a new message.
    pub message_new: bool,
    /// Why the journal cannot be read right now, shown small.
    pub problem: Option<String>,
    /// Set after the first update.
    ticked: bool,
    /// Set by a closing key or a signal: the event loop ends.
    pub quit: bool,
    /// The clock the screen runs by; a journal that turns out to record
    /// another one (it was created after the screen opened) ends the run so
    /// that it starts again by the journal's clock.
    pub expect: Option<ClockRecord>,
    pub readopt: bool,
    /// The agenda file, followed: a saved change shows within a second. A
    /// broken one is ignored here (the operator screen says what is wrong).
    pub agenda_file: Option<crate::agenda_file::AgendaFile>,
}

impl Speaker {
    pub fn new(show: Show, follower: Option<Follower>, lang: Lang, theme: Theme) -> Speaker {
        Speaker {
            show,
            follower,
            words: words(lang),
            theme,
            rehearsal: false,
            flash: None,
            crossings: Crossings::default(),
            seen: None,
            message_new: false,
            problem: None,
            ticked: false,
            quit: false,
            expect: None,
            readopt: false,
            agenda_file: None,
        }
    }

    /// Reads what the journal gained since the last poll. A journal that
    /// was replaced (or cut short) is read again from its start.
    pub fn follow(&mut self) {
        let Some(follower) = self.follower.as_mut() else {
            return;
        };
        // No journal yet, but a writer has announced one by another clock
        // (a new rehearsal, the last one kept aside; or an operator started
        // after this screen): start again on its clock, so both screens
        // show the same instant before its first entry too.
        if let Some(expect) = &self.expect
            && !follower.path().exists()
            && journal::announced(follower.path()).is_some_and(|c| !c.same_as(expect))
        {
            self.readopt = true;
            return;
        }
        let result = match follower.poll() {
            Err(JournalError::Replaced { .. }) => {
                self.show.set_entries(Vec::new());
                follower.poll()
            }
            other => other,
        };
        // Bad lines are the operator's concern; the speaker needs the time.
        follower.take_warnings();
        match result {
            Ok(new) => {
                if let Some(expect) = &self.expect
                    && new.iter().any(|e| matches!(e.kind, Kind::Open { .. }))
                    && !journal::clock_of(&new).same_as(expect)
                {
                    self.readopt = true;
                }
                self.show.extend(new);
                self.problem = None;
            }
            Err(e) => self.problem = Some(e.to_string()),
        }
    }

    /// Notes whether the snapshot's message is new (it then flashes).
    pub fn note_message(&mut self, snap: &Snapshot, real: Instant) {
        let current = snap.message.clone();
        match (current, &self.seen) {
            (None, _) => self.seen = None,
            (Some(m), Some(seen)) if m == seen.message => {}
            (Some(message), _) => {
                self.seen = Some(Seen {
                    message,
                    since: self.ticked.then_some(real),
                })
            }
        }
        self.message_new = self
            .seen
            .as_ref()
            .and_then(|seen| seen.since)
            .is_some_and(|since| real.saturating_duration_since(since) < MESSAGE_FLASH);
        self.ticked = true;
    }
}

impl Speaker {
    /// The face of the show in `snap`, in this screen's words: computed
    /// once per frame, then only drawn.
    pub fn present(&self, snap: &Snapshot) -> Face {
        face(&self.show, snap, self.words)
    }

    /// Puts a saved change of the agenda file in force (the operator
    /// journals it; this screen only follows).
    pub fn reload_agenda(&mut self) {
        if let Some(Ok(agenda)) = self.agenda_file.as_mut().and_then(|f| f.poll())
            && agenda.sha256 != self.show.agenda.sha256
        {
            self.show.replan(agenda);
        }
    }
}

/// What the event loop does in one pass, at one instant, for tests that
/// step the model without a terminal.
#[cfg(test)]
impl Speaker {
    /// Follows the journal and notes whether the message is new, with
    /// `real` the real (not show) instant.
    pub fn update(&mut self, now: DateTime<Utc>, real: Instant) {
        self.follow();
        let snap = self.show.at(now);
        self.note_message(&snap, real);
    }

    /// The level just crossed since the last call, if any.
    pub fn crossing_at(&mut self, now: DateTime<Utc>) -> Option<Signal> {
        let snap = self.show.at(now);
        self.crossings.observe(&snap)
    }

    /// The face at `now`.
    pub fn face(&self, now: DateTime<Utc>) -> Face {
        let snap = self.show.at(now);
        face(&self.show, &snap, self.words)
    }
}

#[cfg(test)]
mod tests {
    //! The model against a journal another process writes, the crossings
    //! it reports, and the words it picks.

    use crate::testkit::{agenda, at, utc};
    use std::path::Path;
    use std::process::Command;

    use chrono::TimeDelta;
    use showcall_core::agenda::Thresholds;
    use showcall_core::journal::{Entry, Follower, Kind};
    use showcall_core::show::{Show, Signal};

    use super::*;

    /// Appends `entries` to `path` from another process, as the operator's
    /// writer would.
    fn append_from_child(path: &Path, entries: &[Entry]) {
        let lines: String = entries.iter().map(|e| e.to_line() + "\n").collect();
        let status = Command::new("sh")
            .args(["-c", "printf '%s' \"$1\" >> \"$2\"", "sh"])
            .arg(lines)
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Years after the event, with nothing logged: the plan's start and
    /// date, never today's clock ("NEXT 12:50") nor STAND BY.
    #[test]
    fn far_from_the_event_the_speaker_screen_shows_the_plan() {
        let show = Show::new(agenda(), Vec::new());
        let today =
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 29, 11, 50, 0).unwrap();
        let snap = show.at(today);
        let f = face(&show, &snap, &EN);
        assert_eq!(f.big, "15:00");
        assert_eq!(f.word, "2023-06-22");
        assert_eq!(f.next.as_deref(), Some("NEXT 15:00 · Welcome Remarks"));
    }

    fn follower_speaker(path: &Path) -> Speaker {
        let show = Show::new(agenda(), Vec::new());
        Speaker::new(
            show,
            Some(Follower::new(path)),
            Lang::En,
            Theme { color: true },
        )
    }

    #[test]
    fn a_journal_of_another_clock_than_expected_restarts_the_screen() {
        // Started before the operator's first entry, by a clock of its own
        // (real); the journal then appears with the demo's show clock.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.rehearsal.journal.jsonl");
        let mut sp = follower_speaker(&path);
        sp.expect = Some(ClockRecord::REAL);
        sp.update(utc("15:38:00"), Instant::now());
        assert!(!crate::tui::View::done(&sp));
        let open = |clock: Option<ClockRecord>| Kind::Open {
            agenda: "agenda.toml".into(),
            sha256: "ab".into(),
            version: "0".into(),
            clock: clock.map(Box::new),
        };
        let show = Some(ClockRecord {
            clock: journal::JournalClock::Show {
                wall: at("15:38:00"),
                show: at("15:38:00"),
                speed: 10.0,
            },
            shift_s: None,
        });
        append_from_child(&path, &[Entry::new(1, at("15:38:05"), open(show))]);
        sp.update(utc("15:38:06"), Instant::now());
        assert!(sp.readopt && crate::tui::View::done(&sp));

        // The same clock as expected: it carries on.
        let path = dir.path().join("real.journal.jsonl");
        let mut sp = follower_speaker(&path);
        sp.expect = Some(ClockRecord::REAL);
        append_from_child(&path, &[Entry::new(1, at("15:38:05"), open(None))]);
        sp.update(utc("15:38:06"), Instant::now());
        assert!(!sp.readopt);
    }

    /// Before the first entry of a new rehearsal (the last one kept aside,
    /// or an operator started after this screen), the writer announces its
    /// clock in the owner file: a speaker on another clock starts again on
    /// it, instead of showing the old rehearsal until the first entry.
    #[test]
    fn an_announced_journal_of_another_clock_restarts_the_screen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.rehearsal.journal.jsonl");
        let show_clock = ClockRecord {
            clock: journal::JournalClock::Show {
                wall: at("15:38:00"),
                show: at("15:38:00"),
                speed: 10.0,
            },
            shift_s: None,
        };
        let info = journal::OpenInfo {
            agenda: "agenda.toml".into(),
            sha256: "ab".into(),
            version: "0".into(),
        };
        let opening = journal::Opening {
            clock: show_clock,
            lazy: true,
            fresh: false,
        };
        let (_writer, _) =
            journal::Writer::open_with(&path, info, opening, at("15:38:00")).unwrap();
        assert!(!path.exists(), "announced, not created");
        // Expecting the same clock: it carries on.
        let mut sp = follower_speaker(&path);
        sp.expect = Some(show_clock);
        sp.update(utc("15:38:01"), Instant::now());
        assert!(!sp.readopt);
        // Expecting another (its own real clock, or the last rehearsal's).
        let mut sp = follower_speaker(&path);
        sp.expect = Some(ClockRecord::REAL);
        sp.update(utc("15:38:01"), Instant::now());
        assert!(sp.readopt && crate::tui::View::done(&sp));
    }

    #[test]
    fn tick_picks_up_what_another_process_appends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.journal.jsonl");
        let mut sp = follower_speaker(&path);
        let real = Instant::now();

        // No journal yet: the plan, nothing live.
        sp.update(utc("15:20:00"), real);
        assert!(sp.problem.is_none());
        assert_eq!(sp.face(utc("15:20:00")).word, EN.not_started);

        append_from_child(
            &path,
            &[Entry::new(
                1,
                at("15:10:00"),
                Kind::Start {
                    session: "panel".into(),
                },
            )],
        );
        sp.update(utc("15:36:30"), real);
        let face = sp.face(utc("15:36:30"));
        assert_eq!(face.big, "3:30");
        assert_eq!(face.word, "WRAP UP");
        assert_eq!(face.tone, Tone::Signal(Signal::Warn));

        // The floor in the Q&A, then a message to its speaker.
        append_from_child(
            &path,
            &[
                Entry::new(
                    2,
                    at("15:40:00"),
                    Kind::Start {
                        session: "qa".into(),
                    },
                ),
                Entry::new(
                    3,
                    at("15:41:00"),
                    Kind::Floor {
                        session: "qa".into(),
                        speaker: None,
                    },
                ),
                Entry::new(
                    4,
                    at("15:41:30"),
                    Kind::Message {
                        text: "1 MIN".into(),
                    },
                ),
            ],
        );
        sp.update(utc("15:42:00"), real + Duration::from_secs(1));
        assert!(sp.message_new, "a message that arrives while open flashes");
        let face = sp.face(utc("15:42:00"));
        assert_eq!(face.message.as_deref(), Some("1 MIN"));
        assert_eq!(face.who, "Speaker 1");
        assert_eq!(face.big, "2:00");
        assert_eq!(
            face.sub,
            Some(("SESSION 33:00".to_string(), Signal::Ok)),
            "the session's own countdown stays visible"
        );
        // Three real seconds later it no longer flashes, and stays.
        sp.update(utc("15:42:01"), real + Duration::from_secs(4));
        assert!(!sp.message_new);
        assert!(sp.face(utc("15:42:01")).message.is_some());
    }

    #[test]
    fn a_replaced_journal_is_read_again_from_its_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.journal.jsonl");
        let start = |seq, t, id: &str| Entry::new(seq, at(t), Kind::Start { session: id.into() });
        append_from_child(&path, &[start(1, "15:10:00", "panel")]);
        let mut sp = follower_speaker(&path);
        sp.update(utc("15:20:00"), Instant::now());
        assert_eq!(sp.face(utc("15:20:00")).big, "20:00");

        // Moved aside and started anew (as a new rehearsal does).
        std::fs::rename(&path, dir.path().join("old.jsonl")).unwrap();
        append_from_child(&path, &[start(1, "15:15:00", "panel")]);
        sp.update(utc("15:20:00"), Instant::now());
        assert!(sp.problem.is_none());
        assert_eq!(sp.show.entries().len(), 1);
        assert_eq!(sp.face(utc("15:20:00")).big, "25:00");
    }

    #[test]
    fn a_message_already_up_at_start_does_not_flash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.journal.jsonl");
        append_from_child(
            &path,
            &[Entry::new(
                1,
                at("15:00:00"),
                Kind::Message {
                    text: "WRAP UP".into(),
                },
            )],
        );
        let mut sp = follower_speaker(&path);
        sp.update(utc("15:20:00"), Instant::now());
        assert!(!sp.message_new);
        assert!(sp.face(utc("15:20:00")).message.is_some());
    }

    #[test]
    fn each_crossing_fires_exactly_once() {
        let show = Show::new(
            agenda(),
            vec![
                Entry::new(
                    1,
                    at("15:10:00"),
                    Kind::Start {
                        session: "panel".into(),
                    },
                ),
                // The panel runs two minutes over.
                Entry::new(
                    2,
                    at("15:42:00"),
                    Kind::Start {
                        session: "qa".into(),
                    },
                ),
                Entry::new(
                    3,
                    at("15:45:00"),
                    Kind::Floor {
                        session: "qa".into(),
                        speaker: None,
                    },
                ),
                Entry::new(
                    4,
                    at("15:49:00"),
                    Kind::FloorClose {
                        session: "qa".into(),
                    },
                ),
                Entry::new(
                    5,
                    at("16:20:00"),
                    Kind::End {
                        session: "qa".into(),
                    },
                ),
            ],
        );
        let mut sp = Speaker::new(show, None, Lang::En, Theme { color: true });
        let mut fires = Vec::new();
        // Second by second from long before the show to well after.
        let mut now = utc("14:30:00");
        while now <= utc("16:40:00") {
            if let Some(s) = sp.crossing_at(now) {
                let local = now.with_timezone(&chrono_tz::Europe::Zurich);
                fires.push((local.format("%H:%M:%S").to_string(), s));
            }
            now += TimeDelta::seconds(1);
        }
        let fires: Vec<(&str, Signal)> = fires.iter().map(|(t, s)| (t.as_str(), *s)).collect();
        assert_eq!(
            fires,
            vec![
                // The panel: warn at 5:00 left, final at 1:00, over past 0.
                ("15:35:00", Signal::Warn),
                ("15:39:00", Signal::Final),
                ("15:40:01", Signal::Over),
                // The Q&A's first speaker: 3 minutes, warn 30 s, final 10 s;
                // the floor closed at 4:00, so over fired once, at 3:00+.
                ("15:47:30", Signal::Warn),
                ("15:47:50", Signal::Final),
                ("15:48:01", Signal::Over),
                // The Q&A itself (35 minutes from 15:42), until it ends
                // at 16:20; then nothing is live and nothing fires.
                ("16:12:00", Signal::Warn),
                ("16:16:00", Signal::Final),
                ("16:17:01", Signal::Over),
            ]
        );
    }

    #[test]
    fn words_for_each_signal() {
        let t = Thresholds::default();
        assert_eq!(EN.signal(Signal::Ok, 600, t), "");
        assert_eq!(EN.signal(Signal::Warn, 200, t), "WRAP UP");
        assert_eq!(EN.signal(Signal::Final, 45, t), "1 MIN");
        let short = Thresholds {
            warn: TimeDelta::seconds(30),
            final_: TimeDelta::seconds(10),
        };
        assert_eq!(EN.signal(Signal::Final, 8, short), "FINAL");
        assert_eq!(EN.signal(Signal::Final, 0, t), "TIME'S UP");
        assert_eq!(EN.signal(Signal::Over, -80, t), "OVER +1:20");
        assert_eq!(FR.signal(Signal::Warn, 200, t), "CONCLUEZ");
        assert_eq!(FR.signal(Signal::Final, 45, t), "1 MIN");
        assert_eq!(FR.signal(Signal::Final, 0, t), "TEMPS ÉCOULÉ");
        assert_eq!(FR.signal(Signal::Over, -80, t), "DÉPASSEMENT +1:20");
        assert_eq!(ES.signal(Signal::Warn, 200, t), "CONCLUYA");
        assert_eq!(ES.signal(Signal::Final, 0, t), "TIEMPO AGOTADO");
        assert_eq!(ES.signal(Signal::Over, -80, t), "EXCEDIDO +1:20");
    }

    /// The speaker screen follows a saved agenda too: the live session's
    /// new title shows; a broken save changes nothing.
    #[test]
    fn a_saved_agenda_change_reaches_the_speaker_screen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.toml");
        let text = include_str!("../agenda.toml");
        std::fs::write(&path, text).unwrap();
        let show = Show::new(
            agenda(),
            vec![Entry::new(
                1,
                at("15:11:00"),
                Kind::Start {
                    session: "panel".into(),
                },
            )],
        );
        let mut sp = Speaker::new(show, None, Lang::En, Theme { color: true });
        sp.agenda_file = Some(crate::agenda_file::AgendaFile::new(&path, None));
        std::fs::write(
            &path,
            text.replace("Interactive Panel Discussion", "Panel: what works"),
        )
        .unwrap();
        sp.reload_agenda();
        assert_eq!(sp.show.agenda.sessions[1].title, "Panel: what works");
        assert_eq!(sp.face(utc("15:12:00")).title, "Panel: what works");
        std::fs::write(
            &path,
            text.replace("start = \"15:10\"", "start = \"55:10\""),
        )
        .unwrap();
        sp.reload_agenda();
        assert_eq!(sp.show.agenda.sessions[1].title, "Panel: what works");
    }
}
