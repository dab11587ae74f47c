//! The operator screen's side of a step of the system clock: the header
//! says it, and the writing screen journals it as a `clock_step` entry so
//! the review can explain the stamps around it. The show's time itself is
//! kept forward by the shell's `ForwardClock` (docs/timing.md).

use chrono::{DateTime, Utc};
use showcall_core::clock::Step;
use showcall_core::journal::Kind;

use super::Operator;

impl Operator {
    /// The system clock stepped by `step` (seen at the show's `now`): say so
    /// in the header for a few seconds, and journal it if this screen writes.
    pub fn clock_stepped(&mut self, step: Step, now: DateTime<Utc>) {
        let words = showcall_core::status::clock_step_words(step.step_s);
        let text = if step.step_s < 0 {
            format!("{words}: the show keeps its own time")
        } else {
            words
        };
        self.reloaded = Some((text, std::time::Instant::now()));
        let at = self.local(now);
        let kind = Kind::ClockStep {
            step_s: step.step_s,
            note: None,
        };
        if let Ok((_, Some(failed))) = self.record(kind, at, None) {
            self.say(failed, true);
        }
    }

    /// The last stamp of the journal this screen shows: the show's "now"
    /// never runs behind it.
    pub fn floor(&self) -> Option<DateTime<Utc>> {
        self.show.fold().latest
    }
}

#[cfg(test)]
mod tests {
    //! The scenario with a fake clock: Welcome Remarks live, the
    //! system clock set back (2 minutes, 1 hour) or forward; every screen
    //! keeps it live, GO starts the panel, the review explains the step.
    use crate::operator::Link;
    use std::time::Duration;

    use chrono::TimeDelta;
    use ratatui::buffer::Buffer;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::layout::Rect;
    use showcall_core::clock::{Clock, FakeClock, ForwardClock};
    use showcall_core::journal::{ClockRecord, Follower, OpenInfo, Writer};
    use showcall_core::show::Show;

    use super::*;
    use crate::speaker::Speaker;
    use crate::testkit::{agenda, screen_rows, utc};
    use crate::tui::{View, pass_instant};
    use crate::ui::theme::Theme;

    struct Room {
        op: Operator,
        ro: Operator,
        sp: Speaker,
        clocks: [ForwardClock; 3],
        fake: FakeClock,
        _dir: tempfile::TempDir,
    }

    fn room() -> Room {
        let dir = tempfile::tempdir().unwrap();
        let a = agenda();
        let path = dir.path().join("agenda.journal.jsonl");
        let info = OpenInfo {
            agenda: "agenda.toml".into(),
            sha256: a.sha256.clone(),
            version: "test".into(),
        };
        let at = crate::testkit::at("14:55");
        let (w, _) = Writer::open(&path, info, at).unwrap();
        let show = Show::new(a.clone(), w.opened().to_vec());
        let op = Operator::new(show.clone(), Link::Writer(w), false, vec![]);
        let follower = Follower::new(&path);
        let why = "test".to_string();
        let ro = Operator::new(show.clone(), Link::Reader { follower, why }, false, vec![]);
        let theme = Theme { color: false };
        let mut sp = Speaker::new(
            show,
            Some(Follower::new(&path)),
            showcall_core::present::Lang::En,
            theme,
        );
        sp.expect = Some(ClockRecord::REAL);
        let fake = FakeClock::new(utc("15:00:30"));
        let clocks = [0, 1, 2].map(|_| ForwardClock::new(Box::new(fake.clone())));
        Room {
            op,
            ro,
            sp,
            clocks,
            fake,
            _dir: dir,
        }
    }

    fn space(op: &mut Operator, now: DateTime<Utc>) {
        op.on_key(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE), now);
    }

    impl Room {
        /// One pass of every screen's loop; the text each draws at 120×40.
        fn pass(&mut self) -> [(DateTime<Utc>, String); 3] {
            let area = Rect::new(0, 0, 120, 40);
            let views: [&mut dyn View; 3] = [&mut self.op, &mut self.ro, &mut self.sp];
            let mut out = Vec::new();
            for (v, c) in views.into_iter().zip(&self.clocks) {
                let now = pass_instant(v, c);
                let snap = v.snapshot(now);
                let mut buf = Buffer::empty(area);
                v.scene(area, &snap, now).render(&mut buf);
                out.push((now, screen_rows(&buf).join("\n")));
            }
            out.try_into().unwrap()
        }
    }

    fn live_through(step: TimeDelta, words: &str) {
        let mut r = room();
        r.pass();
        let now = r.clocks[0].now();
        space(&mut r.op, now); // GO at 15:00:30: Welcome Remarks live
        r.fake.advance(Duration::from_secs(240)); // 15:04:30
        r.pass();
        r.fake.step(step);
        r.fake.advance(Duration::from_secs(1));
        for (i, (now, text)) in r.pass().into_iter().enumerate() {
            // 15:04:31 by the monotonic clock, whatever the wall says.
            assert_eq!(now, utc("15:04:31"), "screen {i}, {words}");
            assert!(
                !text.contains("BEFORE THE SHOW") && !text.contains("STARTS IN"),
                "screen {i}, {words}: {text}"
            );
            assert!(text.contains("Welcome Remarks"), "screen {i}: {text}");
        }
        let live = |op: &Operator, now| op.snapshot(now).live().map(|l| l.idx);
        assert_eq!(live(&r.op, utc("15:04:31")), Some(0), "{words}");
        assert_eq!(r.sp.show.at(utc("15:04:31")).live().map(|l| l.idx), Some(0));
        // The writer journaled the step; the header says it.
        let stepped = r.op.reloaded.as_ref().map(|(t, _)| t.clone());
        assert_eq!(
            stepped.as_deref(),
            Some(
                format!("system clock stepped back {words}: the show keeps its own time").as_str()
            )
        );
        // GO starts the panel, stamped after Welcome's start.
        r.fake.advance(Duration::from_secs(9));
        let now = r.clocks[0].now();
        space(&mut r.op, now);
        let entries = r.op.saved().to_vec();
        let kinds: Vec<String> = entries
            .iter()
            .skip(1)
            .map(|e| showcall_core::status::describe(&e.kind, &r.op.show.agenda))
            .collect();
        assert_eq!(
            kinds,
            [
                "start · Welcome Remarks".to_string(),
                format!("system clock stepped back {words}"),
                "start · Interactive Panel Discussion".to_string(),
            ]
        );
        assert!(
            entries.windows(2).all(|w| w[0].at <= w[1].at),
            "{entries:?}"
        );
        assert_eq!(entries[3].at, crate::testkit::at("15:04:40"));
        // The other screens follow: the panel is live there too.
        for (i, (_, text)) in r.pass().into_iter().enumerate().skip(1) {
            assert!(text.contains("Interactive Panel"), "screen {i}: {text}");
        }
        // The review: Welcome ran 15:00:30–15:04:40 (4:10) and the step is
        // explained.
        let report = showcall_core::report::build(&r.op.show.agenda, &entries, utc("15:05"));
        let md = showcall_core::report::render(&report, showcall_core::report::Format::Md);
        assert!(
            md.contains(&format!(
                "system clock stepped back {words} at 15:04:31 (seq 3)"
            )),
            "{md}"
        );
        assert_eq!(report.sessions[0].actual_s, Some(250), "{md}");
    }

    #[test]
    fn a_step_back_of_2_minutes_keeps_welcome_live_everywhere() {
        live_through(TimeDelta::minutes(-2), "2:00");
    }

    #[test]
    fn a_step_back_of_an_hour_keeps_welcome_live_everywhere() {
        live_through(TimeDelta::hours(-1), "1:00:00");
    }

    #[test]
    fn a_step_forward_is_journaled_and_the_show_moves_with_it() {
        let mut r = room();
        r.pass();
        let now = r.clocks[0].now();
        space(&mut r.op, now);
        r.fake.step(TimeDelta::minutes(2));
        let [(now, _), ..] = r.pass();
        assert_eq!(now, utc("15:02:30"));
        let last = r.op.saved().last().unwrap().kind.clone();
        assert_eq!(
            last,
            Kind::ClockStep {
                step_s: 120,
                note: None
            }
        );
    }
}
