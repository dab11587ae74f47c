//! The stage manager's screen, drawn from the operator model and the
//! engine's snapshot at `now`. One file per panel (`operator/`); this one
//! lays them out. Views read; nothing here folds the journal or decides.
//!
//! ```text
//! ┌──────────────────────────────────────────────────────────────────────────┐
//! │ GCM Talk: Towards effective solutions…                      ● saved      │
//! │ 15:38:12 CEST  UTC 13:38  New York 09:38   +4:30 BEHIND   end 16:34/16:30│
//! ├ NOW ──────────────────────────────────────┬ NEXT ────────────────────────┤
//! │ Interactive Panel Discussion              │ Interventions from the floor │
//! │ Moderator · Panellist (Member State)      │ planned 15:40 · proj. 15:44  │
//! │            ▞▀▖ ▞▀▖  ▞▀▖▞▀▖                │ starts in 5:48               │
//! │ WRAP UP ━━━━━━━━━━━━━━━━━━━━━━─────── 25:48 of 30:00 · since 15:14:00    │
//! ├ Schedule ─────────────────────────────────┴ Journal ─────────────────────┤
//! │ plan  start  alloc   Δ     state  title    │ #3 15:14:00 start · Panel   │
//! └──────────────────────────────────────────────────────────────────────────┘
//!  Space GO  e end  o overrun  s speaker  + +1m  - -1m  m msg  ? help  q quit
//! ```

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};

use showcall_core::show::Snapshot;

use crate::operator::{Mode, Operator};
use crate::ui::canvas::{Cover, Scene};

mod common;
mod foot;
mod header;
mod journal;
mod next;
pub(crate) mod now;
mod overlays;
mod schedule;
pub mod words;

/// The smallest terminal the screen draws in.
pub const MIN_W: u16 = 60;
pub const MIN_H: u16 = 18;

/// Draws the whole screen into a frame (the tests' terminal).
#[cfg(test)]
pub fn draw(frame: &mut ratatui::Frame, op: &Operator, snap: &Snapshot, now: DateTime<Utc>) {
    render(op, snap, now, frame.area(), frame.buffer_mut());
}

/// Renders into a buffer, whole. `snap` is the model's snapshot at `now`
/// (`Operator::snapshot`: off the event's day, the plan).
#[cfg(test)]
pub fn render(op: &Operator, snap: &Snapshot, now: DateTime<Utc>, area: Rect, buf: &mut Buffer) {
    scene(op, snap, now, area).render(buf);
}

/// The screen at `now` in a terminal of `area`: its panels as values, and
/// the open dialog (or the too-small notice) as the cover.
pub fn scene<'a>(op: &'a Operator, snap: &Snapshot, now: DateTime<Utc>, area: Rect) -> Scene<'a> {
    let theme = op.theme;
    if area.width < MIN_W || area.height < MIN_H {
        return Scene {
            panels: Vec::new(),
            cover: Some(Box::new(move |buf: &mut Buffer| {
                super::too_small(area, MIN_W, MIN_H, theme, buf);
            })),
        };
    }
    // Worked out once per frame; the panels only draw it.
    let off_day = op.off_day(now);
    // The NOW panel grows with the terminal: the countdown is what the
    // stage manager reads from across the desk.
    // What the countdown needs at the size it is drawn (three text rows
    // and the borders around it), at most 2/5 of the screen: rows it does
    // not need go to the schedule and the journal.
    let now_w = (area.width as u32 * 64 / 100) as u16;
    let most = (area.height * 2 / 5).clamp(9, 28);
    let digits = crate::ui::big::countdown_rows(now_w.saturating_sub(2), most.saturating_sub(5));
    let now_h = (digits + 5).clamp(9, most);
    let [header, top, bottom, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(now_h),
        Constraint::Min(4),
        Constraint::Length(1),
    ])
    .areas(area);
    let [now_area, next_area] =
        Layout::horizontal([Constraint::Percentage(64), Constraint::Percentage(36)]).areas(top);
    let [sched, journal] = if area.width >= 120 {
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(bottom)
    } else {
        let jh = if bottom.height >= 14 { 6 } else { 4 };
        Layout::vertical([Constraint::Min(3), Constraint::Length(jh)]).areas(bottom)
    };
    let panels = vec![
        header::panel(op, snap, now, off_day.is_some(), header),
        now::panel(op, snap, off_day.as_deref(), now_area),
        next::panel(op, snap, off_day.is_some(), next_area),
        schedule::panel(op, snap, sched),
        journal::panel(op, snap, journal),
        foot::panel(op, foot),
    ];
    let cover: Option<Cover<'a>> = match &op.mode {
        Mode::Normal => None,
        Mode::Help => Some(Box::new(move |buf: &mut Buffer| {
            overlays::help(theme, area, buf)
        })),
        Mode::Form(form) => Some(Box::new(move |buf: &mut Buffer| {
            form.render(area, buf, theme, &op.preview)
        })),
        Mode::Confirm(c) => Some(Box::new(move |buf: &mut Buffer| {
            overlays::confirm(op, c, area, buf)
        })),
        Mode::Pick(p) => Some(Box::new(move |buf: &mut Buffer| {
            p.render(area, buf, theme, &op.preview)
        })),
    };
    Scene { panels, cover }
}

#[cfg(test)]
mod tests {
    //! The operator screen at fixed instants: text by insta snapshot,
    //! colours by buffer assertions.

    use crate::testkit::{agenda, utc as t};
    use chrono::TimeZone;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::{Color, Modifier, Style};
    use showcall_core::journal::{Follower, OpenInfo, Writer};
    use showcall_core::show::Show;

    use super::*;
    use crate::operator::Link;
    use crate::ui::theme::Theme;

    /// `g` (go to) and `x` (cut) on the screen, with undo.
    mod order;

    /// `t`: the intervention's clock starts at the keypress; the name
    /// follows.
    mod floor;

    /// One decision per GO, and the double-GO guard.
    mod guard;

    /// `h` holds and resumes; `S` corrects the live start.
    mod hold;

    /// `p`: the hard-end plan's preview says what follows each step and
    /// where the room would sit idle.
    mod plan;

    /// An operator writing a fresh journal in a temp dir, after `script`.
    fn operator(script: &[(&str, Action)]) -> crate::testkit::InDir<Operator> {
        operator_with(agenda(), script)
    }

    /// [`operator`] on another agenda.
    fn operator_with(
        a: showcall_core::agenda::Agenda,
        script: &[(&str, Action)],
    ) -> crate::testkit::InDir<Operator> {
        let dir = tempfile::tempdir().unwrap();
        let tz = a.event.tz;
        let info = OpenInfo {
            agenda: "agenda.toml".into(),
            sha256: a.sha256.clone(),
            version: "test".into(),
        };
        let path = dir.path().join("agenda.journal.jsonl");
        let (w, _) =
            Writer::open(&path, info, t("14:55").with_timezone(&tz).fixed_offset()).unwrap();
        let entries = w.opened().to_vec();
        let mut op = Operator::new(Show::new(a, entries), Link::Writer(w), false, vec![]);
        op.theme = Theme { color: true };
        // A script sets the scene at whole seconds (an overrun and the GO
        // after it in the same second): no double press to guard against.
        op.show.set_go_guard(Some(chrono::TimeDelta::zero()));
        for (at, action) in script {
            op.act(action.clone(), t(at));
            assert!(op.toast.is_none(), "{action:?} at {at}: {:?}", op.toast);
        }
        op.show.set_go_guard(None);
        crate::testkit::InDir { value: op, dir }
    }

    use showcall_core::show::Action;

    fn screen(op: &Operator, now: DateTime<Utc>, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let snap = op.snapshot(now);
        term.draw(|f| draw(f, op, &snap, now)).unwrap();
        term
    }

    /// The style of the first cell where `text` starts on screen.
    fn style_of(term: &Terminal<TestBackend>, text: &str) -> Style {
        let buf = term.backend().buffer();
        let area = buf.area;
        for y in 0..area.height {
            let line: String = (0..area.width).map(|x| buf[(x, y)].symbol()).collect();
            if let Some(i) = line.find(text) {
                let x = line[..i].chars().count() as u16;
                return buf[(x, y)].style();
            }
        }
        panic!("'{text}' not on screen:\n{}", term.backend());
    }

    #[test]
    fn before_the_show() {
        let op = operator(&[]);
        let term = screen(&op, t("14:50"), 80, 24);
        insta::assert_snapshot!(term.backend());
    }

    #[test]
    fn planned_not_started_counts_down_the_plan() {
        let op = operator(&[]);
        let term = screen(&op, t("15:38"), 80, 24);
        insta::assert_snapshot!(term.backend());
        assert_eq!(style_of(&term, "NOT STARTED").bg, Some(Color::Red));
    }

    #[test]
    fn live_at_80x24_and_200x60() {
        let op = operator(&[("15:00", Action::Go)]);
        let term = screen(&op, t("15:03:10"), 80, 24);
        insta::assert_snapshot!("live_80x24", term.backend());
        // NEXT has rows to spare: its title wraps instead of being cut.
        let next: String = rows(&term)
            .iter()
            .map(|r| r.split("││").nth(1).unwrap_or(""))
            .collect();
        assert!(
            next.contains("Interactive Panel") && next.contains("Discussion"),
            "{next}"
        );
        assert!(!next.contains("Discussi…"), "{next}");
        assert_eq!(style_of(&term, " OK ").bg, Some(Color::Green));
        let term = screen(&op, t("15:03:10"), 200, 60);
        insta::assert_snapshot!("live_200x60", term.backend());
    }

    #[test]
    fn warn() {
        let op = operator(&[("15:00", Action::Go)]);
        let term = screen(&op, t("15:06"), 80, 24);
        insta::assert_snapshot!(term.backend());
        assert_eq!(style_of(&term, " WARN ").bg, Some(Color::Yellow));
    }

    #[test]
    fn over_counts_up() {
        let op = operator(&[("15:00", Action::Go)]);
        let term = screen(&op, t("15:11:20"), 80, 24);
        insta::assert_snapshot!(term.backend());
        assert_eq!(style_of(&term, " OVER +1:20 ").bg, Some(Color::Red));
        assert_eq!(style_of(&term, " +1:20 BEHIND ").bg, Some(Color::Red));
    }

    #[test]
    fn between_sessions() {
        let op = operator(&[("15:00", Action::Go), ("15:08", Action::End)]);
        let term = screen(&op, t("15:09"), 80, 24);
        insta::assert_snapshot!(term.backend());
    }

    #[test]
    fn finished() {
        let script: Vec<(&str, Action)> = ["15:00", "15:10", "15:41", "16:16", "16:21"]
            .into_iter()
            .map(|at| (at, Action::Go))
            .chain([("16:33", Action::End)])
            .collect();
        let op = operator(&script);
        let term = screen(&op, t("16:40"), 80, 24);
        insta::assert_snapshot!(term.backend());
    }

    #[test]
    fn read_only() {
        let dir = tempfile::tempdir().unwrap();
        let follower = Follower::new(dir.path().join("none.journal.jsonl"));
        let mut op = Operator::new(
            Show::new(agenda(), vec![]),
            Link::Reader {
                follower,
                why: "locked by pid 4242 on booth".into(),
            },
            false,
            vec![],
        );
        op.theme = Theme { color: true };
        let term = screen(&op, t("15:05"), 80, 24);
        insta::assert_snapshot!(term.backend());
        op.on_key(
            ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char(
                ' ',
            )),
            t("15:05"),
        );
        assert!(
            op.show.entries().is_empty(),
            "a read-only screen writes nothing"
        );
        assert!(
            op.toast
                .as_ref()
                .is_some_and(|t| t.text.contains("read-only"))
        );
    }

    /// The text of the screen's rows as a terminal shows them (the cell
    /// after a wide character is skipped), for `contains` checks.
    fn rows(term: &Terminal<TestBackend>) -> Vec<String> {
        crate::testkit::screen_rows(term.backend().buffer())
    }

    #[test]
    fn journal_pane_shows_what_happened_before_the_session_and_wraps() {
        use showcall_core::journal::SpeakerChange;
        let op = operator(&[
            ("15:00", Action::Go),
            (
                "15:11",
                Action::Overrun {
                    over_s: 75,
                    note: "the minister arrived late and the mic failed twice".into(),
                },
            ),
            ("15:11", Action::Go),
            (
                "15:12",
                Action::ChangeSpeaker {
                    change: SpeakerChange::Replace,
                    from: Some("Moderator".into()),
                    to: Some("山田 太郎".into()),
                    note: Some("flight delayed".into()),
                },
            ),
        ]);
        let term = screen(&op, t("15:13"), 120, 40);
        insta::assert_snapshot!("journal_pane_120x40", term.backend());
        let text = rows(&term).join("\n");
        // The reason, then the session: both whole, the reason first.
        assert!(text.contains("overrun +1:15 · the minister"), "{text}");
        assert!(text.contains("speaker Moderator → 山田 太郎"), "{text}");
        // The overrun's line is too long for the pane (46 columns inside),
        // and there are rows to spare: it wraps, nothing is cut.
        assert!(
            text.contains("  arrived late and the mic failed twice ·"),
            "{text}"
        );
        assert!(!text.contains("twice…"), "{text}");
    }

    /// The foot line at a size, as text.
    fn foot_line(term: &Terminal<TestBackend>) -> String {
        rows(term).last().cloned().unwrap_or_default()
    }

    #[test]
    fn the_foot_line_says_the_cues_are_armed_at_80_by_24() {
        let text = format!(
            "{}\n[[cue]]\non = \"final\"\nosc = \"127.0.0.1:53000\"\naddress = \"/cue/7/start\"\n\
             \n[[cue]]\non = \"over\"\nosc = \"127.0.0.1:53000\"\naddress = \"/x\"\n",
            include_str!("../../agenda.toml")
        );
        let a = showcall_core::agenda::Agenda::parse(text.as_bytes(), "agenda.toml").unwrap();
        let mut op = operator_with(a, &[("15:00", Action::Go)]);
        let foot = foot_line(&screen(&op, t("15:03"), 80, 24));
        // The writer fires both; the hints still end with quit and help.
        assert!(foot.starts_with(" cues 2 "), "{foot}");
        assert!(foot.contains("q quit") && foot.contains("? more"), "{foot}");
        op.cues.off = true;
        let foot = foot_line(&screen(&op, t("15:03"), 80, 24));
        assert!(foot.starts_with(" cues off "), "{foot}");
        // A read-only screen fires none, and says so.
        assert_eq!(
            words::cues_tag(2, 0, false).as_deref(),
            Some("cues: not here")
        );
        assert_eq!(words::cues_tag(0, 0, false), None);
    }

    #[test]
    fn a_failed_cue_is_said_and_journaled_and_a_flood_once_a_second() {
        use crate::cues::{CueFailure, QUEUE_FULL};
        use showcall_core::journal::Kind;
        let mut op = operator(&[("15:00", Action::Go)]);
        let failure = |error: &str| CueFailure {
            cue: "chime".into(),
            on: "final".into(),
            session: Some("welcome".into()),
            target: "127.0.0.1:53000 /cue/7/start".into(),
            error: error.into(),
        };
        op.cue_failed(failure("connection refused"), t("15:09"));
        let toast = op.toast.clone().unwrap();
        assert!(toast.bad);
        assert_eq!(
            toast.text,
            "cue failed · chime (final) · connection refused"
        );
        // Three full queues within a second: one entry, all three counted.
        for _ in 0..3 {
            op.cue_failed(failure(QUEUE_FULL), t("15:09"));
        }
        let failed: Vec<String> = op
            .show
            .entries()
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::CueFailed { error, session, .. } => {
                    assert_eq!(session.as_deref(), Some("welcome"));
                    Some(error.clone())
                }
                _ => None,
            })
            .collect();
        assert_eq!(failed, ["connection refused", QUEUE_FULL]);
        assert_eq!(op.cues.failed, 4);
        assert!(
            op.toast
                .clone()
                .unwrap()
                .text
                .ends_with("(4 failed so far)")
        );
        // `u` still takes back the GO, not the record of a failure.
        assert_eq!(
            op.show.fold().last_undoable,
            op.show
                .entries()
                .iter()
                .find(|e| matches!(e.kind, Kind::Start { .. }))
                .map(|e| e.seq)
        );
    }

    #[test]
    fn key_hints_never_hide_keys_silently() {
        let op = operator(&[("15:00", Action::Go)]);
        // 80 columns cannot hold every hint: the bar says "? more".
        let foot = foot_line(&screen(&op, t("15:03"), 80, 24));
        assert!(foot.contains("? more"), "{foot}");
        assert!(!foot.contains("? help"), "{foot}");
        assert!(foot.contains("q quit"), "{foot}");
        // 200 columns hold them all: "? help", and nothing is dropped.
        let foot = foot_line(&screen(&op, t("15:03"), 200, 60));
        assert!(foot.contains("? help"), "{foot}");
        for b in crate::ui::keys::KEYS {
            if let Some((k, w)) = b.hint {
                assert!(
                    foot.contains(&format!("{k} {w}")),
                    "{k} {w} missing: {foot}"
                );
            }
        }
    }

    #[test]
    fn the_read_only_footer_offers_no_write_key() {
        let dir = tempfile::tempdir().unwrap();
        let op = Operator::new(
            Show::new(agenda(), vec![]),
            Link::Reader {
                follower: Follower::new(dir.path().join("none.journal.jsonl")),
                why: "--read-only".into(),
            },
            false,
            vec![],
        );
        for (w, h) in [(80, 24), (120, 40)] {
            let term = screen(&op, t("15:05"), w, h);
            let foot = foot_line(&term);
            assert!(foot.starts_with(" read-only "), "{foot}");
            for b in crate::ui::keys::KEYS.iter().filter(|b| b.cmd.writes()) {
                if let Some((k, word)) = b.hint {
                    assert!(
                        !foot.contains(&format!(" {k} {word}")),
                        "{k} {word}: {foot}"
                    );
                }
            }
            assert!(foot.contains("q quit"), "{foot}");
            assert!(foot.contains("↑↓ scroll"), "{foot}");
            if (w, h) == (120, 40) {
                insta::assert_snapshot!("read_only_120x40", term.backend());
            }
        }
    }

    #[test]
    fn space_after_the_last_session_names_e() {
        let script: Vec<(&str, Action)> = ["15:00", "15:10", "15:41", "16:16", "16:21"]
            .into_iter()
            .map(|at| (at, Action::Go))
            .collect();
        let mut op = operator(&script);
        press(&mut op, ' ', t("16:25"));
        let toast = op
            .toast
            .as_ref()
            .map(|t| t.text.clone())
            .unwrap_or_default();
        assert_eq!(toast, "no session left to start: e ends 'Closing Remarks'");
    }

    #[test]
    fn the_schedule_says_what_is_scrolled_away_and_l_comes_back() {
        // 80x24: the schedule shows 5 rows of the 5 sessions... so use a
        // short screen where it cannot: 60x18 leaves the schedule 2 rows.
        let mut op = operator(&[("15:00", Action::Go)]);
        let title_row = |term: &Terminal<TestBackend>| {
            rows(term)
                .into_iter()
                .find(|r| r.contains("Schedule"))
                .unwrap_or_default()
        };
        let term = screen(&op, t("15:03"), 60, 18);
        let before = title_row(&term);
        assert!(before.contains("↓"), "{before}");
        assert!(!before.contains("back to live"), "{before}");
        press(&mut op, 'j', t("15:03"));
        press(&mut op, 'j', t("15:03"));
        let term = screen(&op, t("15:03"), 60, 18);
        let scrolled = title_row(&term);
        assert!(scrolled.contains("↑"), "{scrolled}");
        assert!(scrolled.contains("l back to live"), "{scrolled}");
        press(&mut op, 'l', t("15:03"));
        let term = screen(&op, t("15:03"), 60, 18);
        assert_eq!(title_row(&term), before);
        // Held down past the end, the way back is short. At 60×18 the
        // table's header takes the schedule's one inner row, so scrolling
        // ends with all 5 sessions above (↑5); 50 `j` stop counting at 5,
        // and 3 `k` come back to 2 above (5 − 3), where before it took 48.
        for _ in 0..50 {
            press(&mut op, 'j', t("15:03"));
        }
        let end = title_row(&screen(&op, t("15:03"), 60, 18));
        assert!(end.contains("↑5"), "{end}");
        for _ in 0..3 {
            press(&mut op, 'k', t("15:03"));
        }
        let back = title_row(&screen(&op, t("15:03"), 60, 18));
        assert!(back.contains("↑2"), "{back}");
    }

    #[test]
    fn a_long_message_never_hides_its_label() {
        // 72 characters, and a wide-character one of 36 (72 columns).
        for text in [
            "Please wrap up now, the next speaker is waiting at the side of the stage",
            "次の発表者が舞台袖で待っています。そろそろまとめてください。お願いします。",
        ] {
            let op = operator(&[
                ("15:00", Action::Go),
                ("15:01", Action::Message(text.into())),
            ]);
            for w in [80, 100, 120, 200] {
                let term = screen(&op, t("15:02"), w, 40);
                let top = rows(&term)[2].clone();
                assert!(top.contains("NOW"), "{w}: {top}");
                assert!(top.contains("speaker screen:"), "{w}: {top}");
                // The message's start is kept; a cut is shown at its end.
                let start: String = text.chars().take(6).collect();
                assert!(top.contains(&start), "{w}: {top}");
                if w == 200 {
                    assert!(top.contains(text), "{w}: {top}");
                }
            }
        }
    }

    #[test]
    fn spare_rows_go_to_what_would_be_cut() {
        // 200x60: the policy brief's 150-character title wraps in the
        // schedule instead of being cut at about 80 columns.
        let op = operator(&[("15:00", Action::Go)]);
        let text = rows(&screen(&op, t("15:03:10"), 200, 60)).join("\n");
        assert!(text.contains("Challenges and Areas for Action"), "{text}");
        // 120x40: the NOW panel is only as tall as its countdown needs
        // (7 rows of digits + 3 text rows + 2 borders = 12, not 2/5 of 40
        // = 16), and the 4 rows go to the schedule and the journal.
        let rows = rows(&screen(&op, t("15:03:10"), 120, 40));
        let schedule = rows.iter().position(|r| r.contains("┌ Schedule")).unwrap();
        assert_eq!(schedule, 2 + 12, "{rows:#?}");
    }

    #[test]
    fn too_small() {
        let op = operator(&[]);
        let term = screen(&op, t("15:00"), 50, 12);
        insta::assert_snapshot!(term.backend());
    }

    #[test]
    fn years_after_the_event_it_offers_a_rehearsal() {
        let op = operator(&[]);
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let term = screen(&op, now, 80, 24);
        let text = term.backend().to_string();
        assert!(text.contains("This event was on Thu 22 Jun 2023"), "{text}");
        assert!(text.contains("Press R to rehearse"), "{text}");
        // The demo it offers is README's: a minute before the first session.
        assert!(text.contains("--at 14:59"), "{text}");
        // No projections from 2026 onto a 2023 plan.
        assert!(text.contains("NOT TODAY"), "{text}");
        assert!(text.contains("~15:00"), "{text}");
        assert!(!text.contains("BEHIND"), "{text}");
    }

    #[test]
    fn no_color_keeps_the_words() {
        let mut op = operator(&[("15:00", Action::Go)]);
        op.theme = Theme { color: false };
        let term = screen(&op, t("15:11:20"), 80, 24);
        let buf = term.backend().buffer();
        assert!(
            buf.content
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
        );
        assert!(
            style_of(&term, " OVER +1:20 ")
                .add_modifier
                .contains(Modifier::REVERSED)
        );
    }

    #[test]
    fn escape_sequences_and_bidi_from_the_journal_never_reach_the_screen() {
        // ratatui itself drops C0 controls, so only what it would let
        // through can prove the sanitiser ran: the U+FFFD it puts in their
        // place, and bidi overrides (format characters, not controls).
        let mut op = operator(&[("15:00", Action::Go)]);
        op.act(Action::Note("\u{1b}]0;pwned\u{7}".into()), t("15:01"));
        op.act(
            Action::ChangeSpeaker {
                change: showcall_core::journal::SpeakerChange::Add,
                from: None,
                to: Some("Eve\u{202E}gnp.exe".into()),
                note: None,
            },
            t("15:01"),
        );
        op.act(Action::Message("\u{2066}hi\u{2069}".into()), t("15:01"));
        let term = screen(&op, t("15:02"), 120, 40);
        let buf = term.backend().buffer();
        assert!(
            buf.content
                .iter()
                .all(|c| !c.symbol().chars().any(showcall_core::text::is_unsafe_char))
        );
        let text: String = buf.content.iter().map(|c| c.symbol()).collect();
        assert!(text.contains("\u{FFFD}]0;pwned\u{FFFD}"), "{text}");
        assert!(text.contains("Eve\u{FFFD}gnp.exe"), "{text}");
        assert!(text.contains("\u{FFFD}hi\u{FFFD}"), "{text}");
    }

    /// A disk that refuses writes: the entry is kept, the header and the
    /// journal pane say NOT SAVED, and a retry once the disk is back saves it.
    #[test]
    fn not_saved_is_shown_and_retried() {
        use showcall_core::journal::Sink;
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};

        struct Flaky(Arc<AtomicBool>, Box<dyn Sink>);
        impl Sink for Flaky {
            fn write_line(&mut self, line: &[u8]) -> std::io::Result<()> {
                if self.0.load(Ordering::SeqCst) {
                    return Err(std::io::Error::from_raw_os_error(28)); // ENOSPC
                }
                self.1.write_line(line)
            }
        }
        let mut op = operator(&[]);
        let full = Arc::new(AtomicBool::new(true));
        if let Link::Writer(w) = &mut op.link {
            let f = Arc::clone(&full);
            w.map_sink(move |inner| Box::new(Flaky(f, inner)));
        }
        op.act(Action::Go, t("15:00"));
        let term = screen(&op, t("15:00:01"), 80, 24);
        let text = term.backend().to_string();
        assert!(text.contains("NOT SAVED (1)"), "{text}");
        assert!(text.contains("start · Welcome Remarks NOT SAVED"), "{text}");
        assert_eq!(style_of(&term, " ▲ NOT SAVED (1) ").bg, Some(Color::Red));
        // The show still knows what happened.
        assert!(op.show.at(t("15:00:01")).live().is_some());
        op.tick(t("15:00:02"));
        assert_eq!(op.pending().len(), 1, "still failing: still pending");
        full.store(false, Ordering::SeqCst);
        op.tick(t("15:00:03"));
        assert!(op.pending().is_empty());
        let text = screen(&op, t("15:00:04"), 80, 24).backend().to_string();
        assert!(text.contains("● saved"), "{text}");
        assert!(!text.contains("NOT SAVED"), "{text}");
    }

    /// An hour late, the schedule's Δ is whole: Welcome (planned 15:00 to
    /// 15:10) started at 15:00 and still runs at 16:23:35, so the panel
    /// (planned 15:10) is projected at 16:23:35: 1:13:35 late.
    #[test]
    fn an_hour_late_the_delta_is_not_cut() {
        let op = operator(&[("15:00", Action::Go)]);
        for (w, h) in [(80, 24), (120, 40)] {
            let term = screen(&op, t("16:23:35"), w, h);
            let text = term.backend().to_string();
            let row = text
                .lines()
                .find(|l| l.contains("Interactive Panel") && l.contains("15:10"))
                .unwrap_or_else(|| panic!("no schedule row:\n{text}"));
            assert!(row.contains("+1:13:35"), "{w}x{h}: {row}");
            // The badge on the gauge line is whole too (1:23:35 over the
            // 10:00 allotted).
            assert!(text.contains(" OVER +1:13:35 "), "{w}x{h}:\n{text}");
        }
    }

    /// Three GOs at 15:00 start the Q&A 40 minutes early; the policy
    /// brief (soft, planned 16:15) cannot use the time, so the header says
    /// "spare before" it. Its long title is cut (or left out), never the
    /// projected end: at every width the line ends "(plan 16:30)".
    #[test]
    fn the_header_cuts_a_title_never_the_end() {
        let op = operator(&[
            ("15:00", Action::Go),
            ("15:00:10", Action::Go),
            ("15:00:20", Action::Go),
        ]);
        for w in [80, 100, 120, 200] {
            let term = screen(&op, t("15:01"), w, 30);
            let line = rows(&term)[1].clone();
            assert!(line.trim_end().ends_with("(plan 16:30)"), "{w}: {line}");
            assert!(line.contains("spare"), "{w}: {line}");
            // The extra clocks stay where the spare's title can give way
            // (80 columns hold the clock, the amount and the end only).
            if w >= 100 {
                assert!(line.contains("UTC 13:01  New York 09:01"), "{w}: {line}");
            }
        }
    }

    /// An entry the show leaves out says so in the journal pane: here a
    /// start stamped 2023-06-19, three days before the journal was opened
    /// (2023-06-22 14:50): a stray, not this journal's clock.
    #[test]
    fn the_journal_pane_marks_what_the_show_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.journal.jsonl");
        std::fs::write(
            &path,
            concat!(
                r#"{"v":1,"seq":1,"at":"2023-06-22T14:50:00+02:00","kind":"open","agenda":"agenda.toml","sha256":"x","version":"t"}"#,
                "\n",
                r#"{"v":1,"seq":2,"at":"2023-06-19T15:39:31+02:00","kind":"start","session":"panel"}"#,
                "\n"
            ),
        )
        .unwrap();
        let a = agenda();
        let info = OpenInfo {
            agenda: "agenda.toml".into(),
            sha256: a.sha256.clone(),
            version: "test".into(),
        };
        let tz = a.event.tz;
        let (w, _) =
            Writer::open(&path, info, t("14:55").with_timezone(&tz).fixed_offset()).unwrap();
        let entries = w.opened().to_vec();
        let mut op = Operator::new(Show::new(a, entries), Link::Writer(w), false, vec![]);
        op.theme = Theme { color: true };
        let text = screen(&op, t("14:56"), 120, 40).backend().to_string();
        assert!(text.contains("(left out)"), "{text}");
        assert!(
            text.contains("NOT STARTED") || text.contains("BEFORE THE SHOW"),
            "{text}"
        );
    }

    fn press(op: &mut Operator, c: char, now: DateTime<Utc>) {
        use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        op.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), now);
    }

    /// Every overlay over a live panel at 80×24: the forms with their
    /// previews, the confirmations and the help.
    #[test]
    fn overlays_80x24() {
        let now = t("15:41:30");
        for (name, keys) in [
            ("overrun_form", "o"),
            ("speaker_form", "s"),
            ("message_form", "m"),
            ("note_form", "nMic 3 crackles"),
            ("floor_form", ""),
            ("undo_confirm", "u"),
            ("quit_confirm", "q"),
            ("help", "?"),
        ] {
            let mut op = operator(&[("15:00", Action::Go), ("15:10", Action::Go)]);
            for c in keys.chars() {
                press(&mut op, c, now);
            }
            if name == "floor_form" {
                // The floor form needs a session with timed interventions.
                op.act(Action::Go, t("15:41"));
                press(&mut op, 't', now);
            }
            let term = screen(&op, now, 80, 24);
            insta::assert_snapshot!(format!("overlay_{name}"), term.backend());
        }
    }

    /// Quitting while an entry is not on disk: the dialog says so, and
    /// offers the fallback file.
    #[test]
    fn unsaved_quit_dialog() {
        use showcall_core::journal::Sink;
        struct Full;
        impl Sink for Full {
            fn write_line(&mut self, _: &[u8]) -> std::io::Result<()> {
                Err(std::io::Error::from_raw_os_error(28)) // ENOSPC
            }
        }
        let mut op = operator(&[]);
        if let Link::Writer(w) = &mut op.link {
            w.map_sink(|_| Box::new(Full));
        }
        op.act(Action::Go, t("15:00"));
        press(&mut op, 'e', t("15:05"));
        press(&mut op, 'q', t("15:06"));
        let term = screen(&op, t("15:06"), 80, 24);
        insta::assert_snapshot!("overlay_unsaved_quit", term.backend());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every countdown to one instant reads the same on the operator
        /// screen, on the speaker screen and in `check --status`.
        #[test]
        fn one_countdown_text_everywhere(
            steps in prop::collection::vec((0u8..5, 1i64..1500), 0..8),
            probe_ms in 0i64..600_000,
        ) {
            let mut op = operator(&[]);
            let mut at = t("14:58");
            for (what, pause) in &steps {
                at += chrono::TimeDelta::seconds(*pause);
                let action = match what {
                    0 | 1 => Action::Go,
                    2 => Action::End,
                    // The floor, in any session: timed in the reference
                    // agenda's Q&A (3:00 slots), counting up elsewhere.
                    3 => Action::Floor(None),
                    _ => Action::FloorClose,
                };
                op.act(action, at);
            }
            let now = at + chrono::TimeDelta::milliseconds(probe_ms);
            let snap = op.snapshot(now);
            let status = showcall_core::status::status_text(&op.show.agenda, &snap);
            let face = crate::speaker::face(&op.show, &snap, &crate::speaker::EN);
            let screen = screen(&op, now, 120, 40).backend().to_string();
            if let Some(live) = snap.live().filter(|l| l.floor.is_none()) {
                let text = showcall_core::show::Countdown::of(live.remaining);
                let big = super::now::big_text(&snap).unwrap();
                prop_assert_eq!(&big, &text.text());
                prop_assert_eq!(&face.big, &big);
                prop_assert!(
                    status.contains(&showcall_core::status::left_text(text)),
                    "{}", status
                );
            }
            // Someone from the floor: the big digits are theirs, the same
            // text on both screens (a slot's countdown, or `+0:51` up).
            if snap.live().is_some_and(|l| l.floor.is_some()) {
                let big = super::now::big_text(&snap).unwrap();
                prop_assert_eq!(&face.big, &big);
            }
            if let Some(cue) = &snap.next {
                let words = showcall_core::status::cue_text(cue);
                prop_assert!(status.contains(&words), "{} / {}", words, status);
                prop_assert!(screen.contains(&words), "{} / {}", words, screen);
            }
        }
    }

    use proptest::prelude::*;

    fn any_key() -> impl Strategy<Value = ratatui::crossterm::event::KeyCode> {
        use ratatui::crossterm::event::KeyCode;
        prop_oneof![
            4 => prop::sample::select(vec![
                ' ', 'e', 'o', 's', '+', '-', 'm', 'M', 'n', 't', 'T', 'u', 'y', 'q', '?', 'R', 'r',
                'f', 'j', 'k', '1', '2', '3', 'x',
            ])
            .prop_map(KeyCode::Char),
            2 => prop::sample::select(vec![
                KeyCode::Enter,
                KeyCode::Esc,
                KeyCode::Tab,
                KeyCode::BackTab,
                KeyCode::Backspace,
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Left,
                KeyCode::Right,
            ]),
        ]
    }

    /// An idle show, second by second, with a message, a form opened and
    /// closed, the next session started and two resizes: the painter,
    /// which sends only the pieces that changed, leaves the terminal
    /// showing exactly what a whole redraw shows, every frame.
    #[test]
    fn painted_frames_are_whole_frames() {
        let mut op = operator(&[("15:00", Action::Go)]);
        let mut term = TestBackend::new(120, 40);
        let mut painter = crate::paint::Painter::new();
        let mut now = t("15:03:00");
        for second in 0..150 {
            now += chrono::TimeDelta::seconds(1);
            match second {
                20 => press(&mut op, '+', now),
                40 => press(&mut op, 'n', now),
                45 => op.on_key(
                    ratatui::crossterm::event::KeyEvent::from(
                        ratatui::crossterm::event::KeyCode::Esc,
                    ),
                    now,
                ),
                60 => term.resize(200, 60),
                80 => {
                    op.act(Action::Go, now);
                }
                100 => term.resize(80, 24),
                _ => {}
            }
            op.tick(now);
            let snap = op.snapshot(now);
            let area = ratatui::layout::Rect::new(
                0,
                0,
                term.buffer().area.width,
                term.buffer().area.height,
            );
            painter
                .paint(&mut term, area, scene(&op, &snap, now, area))
                .unwrap();
            let mut whole = Buffer::empty(area);
            render(&op, &snap, now, area, &mut whole);
            assert_eq!(term.buffer(), &whole, "second {second}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Any sequence of keys at any pace: no panic, every frame draws,
        /// and the journal stays whole and numbered without gaps.
        #[test]
        fn random_keys_never_break_the_screen(
            keys in prop::collection::vec((any_key(), 0i64..400), 1..60),
        ) {
            let mut op = operator(&[]);
            let mut now = t("14:58");
            // The painter's terminal, kept across frames as the real one.
            let mut painted = TestBackend::new(80, 24);
            let mut painter = crate::paint::Painter::new();
            for (code, dt) in keys {
                now += chrono::TimeDelta::seconds(dt);
                op.tick(now);
                op.on_key(ratatui::crossterm::event::KeyEvent::from(code), now);
                if op.exit.is_some() {
                    break;
                }
                let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
                let snap = op.show.at(now);
                term.draw(|f| draw(f, &op, &snap, now)).unwrap();
                // Sending only what changed shows exactly the whole frame.
                let area = term.backend().buffer().area;
                painter.paint(&mut painted, area, scene(&op, &snap, now, area)).unwrap();
                prop_assert_eq!(painted.buffer(), term.backend().buffer());
            }
            let seqs: Vec<u64> = op.saved().iter().map(|e| e.seq).collect();
            prop_assert_eq!(seqs, (1..=op.saved().len() as u64).collect::<Vec<_>>());
            prop_assert!(op.pending().is_empty());
        }
    }
}
