//! The speaker-facing screen: lays out a [`Face`] (what the speaker is
//! told, worked out once per frame by the core's presenter) over the whole terminal, from
//! 40×10 to 300×80. A pure function of the model and `now`; it reads no
//! clock and no file.

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use showcall_core::show::Signal;
use showcall_core::text::clock_hm;

use super::big;
use super::theme::Theme;
use crate::speaker::{Face, Speaker, Tone};
use showcall_core::text::truncate;

/// The smallest terminal the screen draws in.
pub const MIN_W: u16 = 40;
pub const MIN_H: u16 = 10;

/// Draws the speaker screen.
///
/// ```text
/// ┌──────────────────────────────────────────────────────────────────────┐
/// │Interventions from the floor and Q&A                            15:52 │ title · clock
/// │Speaker 3                                                             │ who speaks
/// │                                                                      │
/// │          ▄██▄      ██████       ▄██▄                                 │
/// │         ██  ██         ██  ██  ██  ██      the countdown, as large   │
/// │             ██       ▄██▀          ██      as the terminal allows    │
/// │           ▄██▀     ▄██▀    ██    ▄██▀      (the intervention's while │
/// │         ██████    ██████       ██████       someone has the floor)   │
/// │                                                                      │
/// │                        WRAP UP                                       │ signal word
/// │                SESSION 12:30 · WRAP UP                               │ session, smaller
/// │┌ MESSAGE ──────────────────────────────────────────────────────────┐ │
/// ││                     5 MIN                                          │ │ flashes 3 s
/// │└───────────────────────────────────────────────────────────────────┘ │
/// │NEXT 16:15 · Overview of Policy Brief                                 │
/// └──────────────────────────────────────────────────────────────────────┘
/// ```
///
/// Warn, final and over paint the whole screen in the signal's colour
/// (reversed under `NO_COLOR`), and the word says the same thing.
pub fn render(sp: &Speaker, face: &Face, now: DateTime<Utc>, area: Rect, buf: &mut Buffer) {
    let theme = sp.theme;
    if super::too_small(area, MIN_W, MIN_H, theme, buf) {
        return;
    }
    let backdrop = match face.tone {
        Tone::Signal(s) if s != Signal::Ok => Some(theme.signal_badge(s)),
        _ => None,
    };
    if let Some(b) = backdrop {
        buf.set_style(area, b);
    }
    let h = area.height;

    let foot_text = match &sp.problem {
        Some(p) => Some(format!("journal: {p}")),
        None => face.next.clone(),
    };
    // What comes next is kept at every size: one row.
    let foot_h = u16::from(foot_text.is_some());
    let msg = face
        .message
        .as_deref()
        .map(|text| message_layout(text, area.width, h));
    let msg_h = msg.as_ref().map_or(0, |m| m.height);
    let sub_h = match (&face.sub, h) {
        (None, _) => 0,
        (Some(_), 36..) => 4,
        _ => 1,
    };
    // The word grows with the screen, and keeps its room while there is
    // no word, so the digits do not shrink the moment a signal comes on.
    let word_h = match h {
        40.. => h / 8,
        24.. => 4,
        _ => 1,
    };
    let gap = u16::from(h >= 20);
    let [header, who, _, big_area, word, sub, _, message, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(gap),
        Constraint::Min(1),
        Constraint::Length(word_h),
        Constraint::Length(sub_h),
        Constraint::Length(gap.min(msg_h)),
        Constraint::Length(msg_h),
        Constraint::Length(foot_h),
    ])
    .areas(area);

    render_header(sp, face, now, header, buf, backdrop);
    let who_style = backdrop.unwrap_or_default().add_modifier(Modifier::BOLD);
    Line::styled(truncate(&face.who, who.width as usize), who_style).render(who, buf);

    let big_style = match face.tone {
        Tone::Calm => theme.dim(),
        Tone::Signal(s) => backdrop.unwrap_or_else(|| theme.signal(s)),
    };
    if face.big.chars().any(char::is_alphabetic) {
        big::render_words(&face.big, big_area, buf, big_style);
    } else {
        big::render_countdown(&face.big, false, big_area, buf, big_style);
    }

    render_word(sp, face, word, buf, backdrop);
    if let Some((text, signal)) = &face.sub {
        let style = backdrop
            .unwrap_or_else(|| theme.signal(*signal))
            .add_modifier(Modifier::BOLD);
        if sub.height >= 4 {
            big::render_words(text, sub, buf, style);
        } else {
            Line::styled(truncate(text, sub.width as usize), style)
                .alignment(Alignment::Center)
                .render(sub, buf);
        }
    }
    if let (Some(text), Some(m)) = (&face.message, &msg) {
        render_message(sp, text, m, message, buf);
    }
    if let Some(text) = foot_text.filter(|_| foot.height > 0) {
        let style = match (&sp.problem, backdrop) {
            (_, Some(b)) => b,
            (Some(_), None) => theme.bad(),
            (None, None) => theme.dim(),
        };
        Line::styled(truncate(&text, foot.width as usize), style).render(foot, buf);
    }
}

fn render_header(
    sp: &Speaker,
    face: &Face,
    now: DateTime<Utc>,
    area: Rect,
    buf: &mut Buffer,
    backdrop: Option<Style>,
) {
    let theme = sp.theme;
    let base = backdrop.unwrap_or_default();
    let mut right = vec![Span::styled(
        format!(" {}", clock_hm(now, sp.show.agenda.event.tz)),
        base.add_modifier(Modifier::BOLD),
    )];
    if sp.rehearsal {
        right.insert(
            0,
            Span::styled(format!(" {} ", sp.words.rehearsal), theme.rehearsal()),
        );
    }
    // The hard end on the edge: red, reversed and blinking once passed.
    if let Some(a) = &face.alarm {
        let style = if a.passed {
            theme
                .alert()
                .add_modifier(Modifier::REVERSED | Modifier::SLOW_BLINK)
        } else {
            theme.alert()
        };
        right.insert(0, Span::styled(format!(" {} ", a.text), style));
    }
    let right_w: u16 = right.iter().map(|s| s.width() as u16).sum();
    let [l, r] = Layout::horizontal([Constraint::Min(1), Constraint::Length(right_w)]).areas(area);
    Line::styled(
        truncate(&face.title, l.width as usize),
        base.patch(theme.title()),
    )
    .render(l, buf);
    Line::from(right).render(r, buf);
}

/// The signal's word, big when there is room; reversed while a crossing
/// flashes.
fn render_word(sp: &Speaker, face: &Face, area: Rect, buf: &mut Buffer, backdrop: Option<Style>) {
    if face.word.is_empty() || area.height == 0 {
        return;
    }
    let mut style = backdrop
        .unwrap_or_else(|| sp.theme.title())
        .add_modifier(Modifier::BOLD);
    if sp.flash.is_some() {
        style = style.add_modifier(Modifier::REVERSED | Modifier::SLOW_BLINK);
        buf.set_style(area, style);
    }
    if area.height >= 4 {
        big::render_words(&face.word, area, buf, style);
    } else {
        Line::styled(truncate(&face.word, area.width as usize), style)
            .alignment(Alignment::Center)
            .render(area, buf);
    }
}

/// How the message is laid out: its box's height, and the big letters if
/// they fit.
struct MessageLayout {
    height: u16,
    big: Option<big::WordFit>,
}

/// The message's box: as large as the text needs at the largest size that
/// fits, wrapped at spaces. Big letters may take a quarter of the screen,
/// or half at their smallest (8 columns × 4 rows a letter), so a long
/// message is still readable from the lectern while the countdown keeps
/// the rest; text the font cannot draw (CJK, emoji) or that does not fit
/// even so is wrapped plain text, up to half the screen. Small screens get
/// one line (under 16 rows) or three (under 20).
fn message_layout(text: &str, width: u16, h: u16) -> MessageLayout {
    let plain = |height| MessageLayout { height, big: None };
    match h {
        ..16 => return plain(1),
        16..20 => return plain(3),
        _ => {}
    }
    let inner_w = width.saturating_sub(2);
    let cap = |kx: u16| if kx == 1 { h / 2 - 2 } else { h / 4 - 2 };
    if let Some(fit) = big::fit_words(text, inner_w, cap) {
        return MessageLayout {
            height: fit.rows() + 2,
            big: Some(fit),
        };
    }
    let lines = showcall_core::text::wrap(text, inner_w as usize).len() as u16;
    plain((lines + 2).clamp(3, h / 2))
}

/// The stage manager's message in a box of its own, as large as it fits;
/// for three seconds after it first appears it flashes.
fn render_message(sp: &Speaker, text: &str, m: &MessageLayout, area: Rect, buf: &mut Buffer) {
    let theme: Theme = sp.theme;
    if area.height == 0 {
        return;
    }
    let style = if sp.message_new {
        theme.alert().add_modifier(Modifier::SLOW_BLINK)
    } else {
        theme.highlight()
    };
    buf.set_style(area, style);
    if area.height < 3 {
        let line = format!("{}: {text}", sp.words.message);
        Line::styled(truncate(&line, area.width as usize), style).render(area, buf);
        return;
    }
    let block = Block::bordered()
        .title(format!(" {} ", sp.words.message))
        .style(style);
    let inner = block.inner(area);
    block.render(area, buf);
    if let Some(fit) = &m.big {
        big::render_fit(fit, inner, buf, style);
        return;
    }
    let lines: Vec<Line> = showcall_core::text::wrap(text, inner.width as usize)
        .into_iter()
        .map(Line::from)
        .collect();
    let used = (lines.len() as u16).min(inner.height);
    let top = inner.y + (inner.height - used) / 2;
    Paragraph::new(lines)
        .style(style)
        .alignment(Alignment::Center)
        .render(Rect::new(inner.x, top, inner.width, used), buf);
}

#[cfg(test)]
mod tests {
    //! The screen at fixed instants of the reference event, at several
    //! sizes and in each language: text by snapshot, colour by cell.

    use crate::testkit::{agenda, at, utc};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::{Color, Modifier};
    use showcall_core::journal::{Entry, Kind};
    use showcall_core::show::{Show, Signal};

    use crate::speaker::{Lang, Speaker};
    use crate::ui::theme::Theme;

    fn start(id: &str) -> Kind {
        Kind::Start { session: id.into() }
    }

    /// A show with `entries` as `(time, kind)`, numbered from 1.
    fn show(entries: &[(&str, Kind)]) -> Show {
        let entries = entries
            .iter()
            .enumerate()
            .map(|(i, (t, k))| Entry::new(i as u64 + 1, at(t), k.clone()))
            .collect();
        Show::new(agenda(), entries)
    }

    fn speaker(show: Show, lang: Lang) -> Speaker {
        Speaker::new(show, None, lang, Theme { color: true })
    }

    fn draw(sp: &Speaker, now: &str, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        let face = sp.present(&sp.show.at(utc(now)));
        t.draw(|f| super::render(sp, &face, utc(now), f.area(), f.buffer_mut()))
            .unwrap();
        t
    }

    /// The panel live since 15:10 (30 minutes, warn 5m, final 1m).
    fn panel_live() -> Show {
        show(&[("15:10:00", start("panel"))])
    }

    /// The Q&A live since 15:40, its third speaker on the floor since 15:51.
    fn floor_three() -> Show {
        show(&[
            ("15:10:00", start("panel")),
            ("15:40:00", start("qa")),
            (
                "15:45:00",
                Kind::Floor {
                    session: "qa".into(),
                    speaker: Some("Ms Okafor".into()),
                },
            ),
            (
                "15:48:00",
                Kind::Floor {
                    session: "qa".into(),
                    speaker: None,
                },
            ),
            (
                "15:51:00",
                Kind::Floor {
                    session: "qa".into(),
                    speaker: None,
                },
            ),
        ])
    }

    fn with_message(mut s: Show, text: &str) -> Show {
        let seq = s.entries().len() as u64 + 1;
        s.extend([Entry::new(
            seq,
            at("15:20:00"),
            Kind::Message { text: text.into() },
        )]);
        s
    }

    macro_rules! screens {
        ($($name:ident: $show:expr, $lang:expr, $now:expr, $w:expr, $h:expr;)*) => {$(
            #[test]
            fn $name() {
                let sp = speaker($show, $lang);
                insta::assert_snapshot!(draw(&sp, $now, $w, $h).backend());
            }
        )*};
    }

    screens! {
        before_show_80x24: show(&[]), Lang::En, "14:55:48", 80, 24;
        before_show_40x10: show(&[]), Lang::En, "14:55:48", 40, 10;
        planned_not_started_80x24: show(&[]), Lang::En, "15:12:00", 80, 24;
        live_ok_40x10: panel_live(), Lang::En, "15:20:00", 40, 10;
        live_ok_80x24: panel_live(), Lang::En, "15:20:00", 80, 24;
        live_ok_200x60: panel_live(), Lang::En, "15:20:00", 200, 60;
        warn_80x24: panel_live(), Lang::En, "15:36:30", 80, 24;
        warn_40x10: panel_live(), Lang::En, "15:36:30", 40, 10;
        final_80x24: panel_live(), Lang::En, "15:39:15", 80, 24;
        times_up_80x24: panel_live(), Lang::En, "15:40:00", 80, 24;
        over_40x10: panel_live(), Lang::En, "15:41:20", 40, 10;
        over_80x24: panel_live(), Lang::En, "15:41:20", 80, 24;
        over_200x60: panel_live(), Lang::En, "15:41:20", 200, 60;
        over_fr_80x24: panel_live(), Lang::Fr, "15:41:20", 80, 24;
        over_es_80x24: panel_live(), Lang::Es, "15:41:20", 80, 24;
        warn_fr_40x10: panel_live(), Lang::Fr, "15:36:30", 40, 10;
        warn_es_40x10: panel_live(), Lang::Es, "15:36:30", 40, 10;
        times_up_fr_80x24: panel_live(), Lang::Fr, "15:40:00", 80, 24;
        times_up_es_80x24: panel_live(), Lang::Es, "15:40:00", 80, 24;
        floor_40x10: floor_three(), Lang::En, "15:53:40", 40, 10;
        floor_80x24: floor_three(), Lang::En, "15:53:40", 80, 24;
        floor_200x60: floor_three(), Lang::En, "15:53:40", 200, 60;
        floor_fr_80x24: floor_three(), Lang::Fr, "15:53:40", 80, 24;
        floor_named_80x24: floor_three(), Lang::En, "15:47:00", 80, 24;
        floor_count_up_80x24: show(&[
            ("15:10:00", start("panel")),
            ("15:20:00", Kind::Floor { session: "panel".into(), speaker: Some("Delegate of Chile".into()) }),
        ]), Lang::En, "15:21:05", 80, 24;
        message_40x10: with_message(panel_live(), "5 MIN"), Lang::En, "15:22:00", 40, 10;
        message_80x24: with_message(panel_live(), "5 MIN"), Lang::En, "15:22:00", 80, 24;
        message_200x60: with_message(panel_live(), "5 MIN"), Lang::En, "15:22:00", 200, 60;
        message_long_80x24: with_message(panel_live(), "Please take the question from the online audience next, then close"), Lang::En, "15:22:00", 80, 24;
        message_es_80x24: with_message(panel_live(), "1 MIN"), Lang::Es, "15:22:00", 80, 24;
        message_free_120x40: with_message(panel_live(), "Slow down for the interpreters please"), Lang::En, "15:22:00", 120, 40;
        message_cjk_120x40: with_message(panel_live(), "通訳のためにゆっくり話してください。残り時間は五分です。"), Lang::En, "15:22:00", 120, 40;
        message_long_40x10: with_message(panel_live(), "Slow down for the interpreters please"), Lang::En, "15:22:00", 40, 10;
        between_sessions_80x24: show(&[
            ("15:10:00", start("panel")),
            ("15:40:00", Kind::End { session: "panel".into() }),
        ]), Lang::En, "15:41:00", 80, 24;
        between_sessions_fr_40x10: show(&[
            ("15:10:00", start("panel")),
            ("15:40:00", Kind::End { session: "panel".into() }),
        ]), Lang::Fr, "15:41:00", 40, 10;
        finished_80x24: show(&[
            ("16:20:00", start("closing")),
            ("16:31:00", Kind::End { session: "closing".into() }),
        ]), Lang::En, "16:32:00", 80, 24;
        finished_es_40x10: show(&[
            ("16:20:00", start("closing")),
            ("16:31:00", Kind::End { session: "closing".into() }),
        ]), Lang::Es, "16:32:00", 40, 10;
        too_small_39x10: panel_live(), Lang::En, "15:20:00", 39, 10;
    }

    /// Every cell's background and the foregrounds of the digit cells.
    fn backgrounds(t: &Terminal<TestBackend>) -> Vec<Color> {
        t.backend().buffer().content.iter().map(|c| c.bg).collect()
    }

    fn digit_fgs(t: &Terminal<TestBackend>) -> Vec<Color> {
        t.backend()
            .buffer()
            .content
            .iter()
            .filter(|c| matches!(c.symbol(), "█" | "▀" | "▄"))
            .map(|c| c.fg)
            .collect()
    }

    #[test]
    fn the_background_follows_the_signal() {
        let sp = speaker(panel_live(), Lang::En);
        for (now, bg) in [
            ("15:20:00", Color::Reset),
            ("15:36:30", Color::Yellow),
            ("15:39:15", Color::LightRed),
            ("15:40:00", Color::LightRed),
            ("15:41:20", Color::Red),
        ] {
            for (w, h) in [(40, 10), (80, 24), (200, 60)] {
                let t = draw(&sp, now, w, h);
                let bgs = backgrounds(&t);
                // The whole screen but the message box (none here).
                assert!(
                    bgs.iter().all(|&c| c == bg),
                    "{now} at {w}×{h}: expected every cell on {bg:?}"
                );
                let fgs = digit_fgs(&t);
                assert!(!fgs.is_empty(), "{now} at {w}×{h}: no big digits");
                let want = if bg == Color::Reset {
                    Color::Green
                } else {
                    Color::Black
                };
                assert!(fgs.iter().all(|&c| c == want), "{now} at {w}×{h}: {fgs:?}");
            }
        }
    }

    #[test]
    fn the_intervention_sets_the_colour_while_someone_has_the_floor() {
        // 0:20 left of the third speaker's 3 minutes: warn (30 s); the
        // session itself (21:20 left) is fine.
        let sp = speaker(floor_three(), Lang::En);
        let t = draw(&sp, "15:53:40", 80, 24);
        assert!(backgrounds(&t).iter().all(|&c| c == Color::Yellow));
        // 2:00 left: no signal, green digits on the default background.
        let t = draw(&sp, "15:52:00", 80, 24);
        assert!(backgrounds(&t).iter().all(|&c| c == Color::Reset));
        assert!(digit_fgs(&t).iter().all(|&c| c == Color::Green));
        // The floor overruns while the session is fine: red.
        let t = draw(&sp, "15:55:00", 80, 24);
        assert!(backgrounds(&t).iter().all(|&c| c == Color::Red));
    }

    #[test]
    fn calm_states_have_no_colour_of_a_signal() {
        for (s, now) in [
            (show(&[]), "14:55:48"),
            (show(&[]), "15:12:00"),
            (
                show(&[
                    ("16:20:00", start("closing")),
                    (
                        "16:31:00",
                        Kind::End {
                            session: "closing".into(),
                        },
                    ),
                ]),
                "16:32:00",
            ),
        ] {
            let t = draw(&speaker(s, Lang::En), now, 80, 24);
            assert!(backgrounds(&t).iter().all(|&c| c == Color::Reset), "{now}");
            let fgs: Vec<Color> = t.backend().buffer().content.iter().map(|c| c.fg).collect();
            assert!(
                fgs.iter()
                    .all(|&c| c == Color::DarkGray || c == Color::Reset),
                "{now}"
            );
            assert!(fgs.contains(&Color::DarkGray), "{now}: the big text is dim");
        }
    }

    #[test]
    fn no_color_keeps_the_meaning_in_reverse_and_words() {
        let mut sp = speaker(panel_live(), Lang::En);
        sp.theme = Theme { color: false };
        let t = draw(&sp, "15:36:30", 80, 24);
        let buf = t.backend().buffer();
        assert!(
            buf.content
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
        );
        assert!(
            buf.content
                .iter()
                .all(|c| c.modifier.contains(Modifier::REVERSED))
        );
        let ok = draw(&sp, "15:20:00", 80, 24);
        assert!(
            ok.backend()
                .buffer()
                .content
                .iter()
                .all(|c| !c.modifier.contains(Modifier::REVERSED))
        );
        // The word is there for who cannot see the colour.
        // The word is drawn large: at 15:36:30 (3:30 left, WRAP UP) the
        // screen has far more lit cells than at 15:33:30 (6:30 left, no
        // word), where the three digits alone are alike in size.
        let calm = draw(&sp, "15:33:30", 80, 24);
        let (with_word, without) = (digit_fgs(&t).len(), digit_fgs(&calm).len());
        assert!(with_word > without + 40, "{with_word} vs {without}");
    }

    /// The cells of the message box, found by its title's row.
    fn message_cells(t: &Terminal<TestBackend>) -> Vec<ratatui::buffer::Cell> {
        let buf = t.backend().buffer();
        let w = buf.area.width as usize;
        let row = buf
            .content
            .chunks(w)
            .position(|r| {
                r.iter()
                    .map(|c| c.symbol())
                    .collect::<String>()
                    .contains("MESSAGE")
            })
            .expect("a message box");
        buf.content[row * w..(row + 3) * w].to_vec()
    }

    #[test]
    fn a_new_message_flashes_then_stays() {
        let mut sp = speaker(with_message(panel_live(), "5 MIN"), Lang::En);
        sp.message_new = true;
        let t = draw(&sp, "15:20:01", 80, 24);
        let cells = message_cells(&t);
        assert!(
            cells
                .iter()
                .all(|c| c.modifier.contains(Modifier::SLOW_BLINK))
        );
        assert!(cells.iter().all(|c| c.bg == Color::Red));
        sp.message_new = false;
        let t = draw(&sp, "15:20:05", 80, 24);
        let cells = message_cells(&t);
        assert!(
            cells
                .iter()
                .all(|c| !c.modifier.contains(Modifier::SLOW_BLINK))
        );
        assert!(cells.iter().all(|c| c.bg == Color::Blue));
    }

    #[test]
    fn a_crossing_flashes_the_word() {
        let mut sp = speaker(panel_live(), Lang::En);
        let plain = draw(&sp, "15:35:00", 80, 24);
        sp.flash = Some(Signal::Warn);
        let flash = draw(&sp, "15:35:00", 80, 24);
        let reversed = |t: &Terminal<TestBackend>| {
            t.backend()
                .buffer()
                .content
                .iter()
                .filter(|c| c.modifier.contains(Modifier::REVERSED))
                .count()
        };
        assert_eq!(reversed(&plain), 0);
        // The whole word band, 4 rows of 80.
        assert_eq!(reversed(&flash), 4 * 80);
    }

    /// The screen's rows as text, wide characters once.
    fn text_rows(t: &Terminal<TestBackend>) -> Vec<String> {
        crate::testkit::screen_rows(t.backend().buffer())
    }

    /// The hard end on the screen's edge: a 16:30 hard end, the panel
    /// (15:10, 30:00) given 10:00 more, so everything after it slips and
    /// the show ends 16:40 — 10:00 past; at 16:35 the clock has passed it
    /// by 5:00, said louder.
    #[test]
    fn the_hard_end_alarm_is_on_the_edge() {
        let mut a = agenda();
        let at_1630 = utc("16:30:00");
        a.event.must_end_by = vec![showcall_core::agenda::HardEnd {
            date: at_1630.with_timezone(&a.event.tz).date_naive(),
            at: at_1630,
        }];
        let entries = vec![
            Entry::new(1, at("15:10:00"), start("panel")),
            Entry::new(
                2,
                at("15:11:00"),
                Kind::Adjust {
                    session: "panel".into(),
                    delta_s: 600,
                    note: None,
                },
            ),
        ];
        let sp = speaker(Show::new(a, entries), Lang::En);
        let alarm = sp.present(&sp.show.at(utc("15:20:00"))).alarm.unwrap();
        assert_eq!(
            (alarm.text.as_str(), alarm.passed),
            ("HARD END 16:30 +10:00", false)
        );
        let rows = text_rows(&draw(&sp, "15:20:00", 80, 24));
        assert!(rows[0].contains("HARD END 16:30 +10:00"), "{rows:#?}");
        let alarm = sp.present(&sp.show.at(utc("16:35:00"))).alarm.unwrap();
        assert_eq!(
            (alarm.text.as_str(), alarm.passed),
            ("HARD END 16:30 +5:00", true)
        );
    }

    /// After `e` the session that ended stays, with the time it ran
    /// labelled as the final time, until a message sent after the end or
    /// the next GO. The panel ran 15:10:00–15:41:20: 31:20 of its 30:00.
    #[test]
    fn the_final_time_stays_after_e() {
        let ended = show(&[
            ("15:10:00", start("panel")),
            (
                "15:41:20",
                Kind::End {
                    session: "panel".into(),
                },
            ),
        ]);
        let face = |s: &Show, lang, now| speaker(s.clone(), lang).present(&s.at(utc(now)));
        let f = face(&ended, Lang::En, "15:42:00");
        assert_eq!(f.title, "Interactive Panel Discussion");
        assert_eq!(
            (f.big.as_str(), f.word.as_str()),
            ("31:20", "FINAL TIME · OVER +1:20")
        );
        let f = face(&ended, Lang::Fr, "15:50:00");
        assert_eq!(
            (f.big.as_str(), f.word.as_str()),
            ("31:20", "TEMPS FINAL · DÉPASSEMENT +1:20")
        );
        // A message after the end replaces it.
        let mut told = ended.clone();
        told.extend([Entry::new(
            3,
            at("15:43:00"),
            Kind::Message {
                text: "STOP".into(),
            },
        )]);
        assert_ne!(
            face(&told, Lang::En, "15:43:00").word,
            "FINAL TIME · OVER +1:20"
        );
        assert_eq!(face(&told, Lang::En, "15:42:59").big, "31:20");
        // So does the next GO.
        let mut next = ended.clone();
        next.extend([Entry::new(3, at("15:44:00"), start("qa"))]);
        assert_eq!(
            face(&next, Lang::En, "15:44:00").title,
            "Interventions from the floor and Q&A"
        );
    }

    #[test]
    fn a_free_text_message_is_big_and_wrapped_and_next_stays() {
        let msg = "Slow down for the interpreters please";
        let sp = speaker(with_message(panel_live(), msg), Lang::En);
        let term = draw(&sp, "15:22:00", 120, 40);
        let rows = text_rows(&term);
        // Big letters: the words are not on screen as plain text, and the
        // message box (from its " MESSAGE " border to the bottom border)
        // is at least 4 lines of 4 rows tall.
        assert!(
            !rows.iter().any(|r| r.contains("interpreters")),
            "{rows:#?}"
        );
        let top = rows.iter().position(|r| r.contains(" MESSAGE ")).unwrap();
        let bottom = (top + 1..rows.len())
            .find(|&i| rows[i].contains('└'))
            .unwrap();
        let inside = bottom - top - 1;
        assert!(inside >= 16, "{inside}");
        assert!(rows[top + 1..bottom].iter().any(|r| r.contains('█')));
        // The countdown is still there, and NEXT on the last row.
        assert!(rows.last().unwrap().contains("NEXT"), "{rows:#?}");
        // At 40x10 the message is one line and NEXT stays.
        let term = draw(&sp, "15:22:00", 40, 10);
        let rows = text_rows(&term);
        assert!(rows.last().unwrap().contains("NEXT"), "{rows:#?}");
        assert!(
            rows.iter().any(|r| r.contains("MESSAGE: Slow down")),
            "{rows:#?}"
        );
        // CJK has no big glyphs: plain, wrapped, whole.
        let cjk = "通訳のためにゆっくり話してください。残り時間は五分です。";
        let sp = speaker(with_message(panel_live(), cjk), Lang::En);
        let rows = text_rows(&draw(&sp, "15:22:00", 120, 40));
        assert!(rows.iter().any(|r| r.contains(cjk)), "{rows:#?}");
    }

    #[test]
    fn the_countdown_keeps_one_size_as_it_runs_down_and_over() {
        // The panel runs 15:10–15:40: 29:52 left at 15:10:08, 9:50 at
        // 15:30:10, 1:14 over at 15:41:14. At 70 columns 9:50 (4 glyphs,
        // 31 pixels) would fit 2 columns a pixel and 29:52 (5 glyphs, 39
        // pixels) only 1; one size for both means equally tall glyphs.
        let height = |at: &str| {
            let sp = speaker(panel_live(), Lang::En);
            let rows = text_rows(&draw(&sp, at, 70, 24));
            // The big digits' rows: block glyphs in the first 15 rows (the
            // signal word, also big, comes below them).
            (2..15)
                .filter(|&y| rows[y].chars().any(|c| "█▀▄".contains(c)))
                .count()
        };
        let h = height("15:10:08");
        assert!(h >= 4, "{h}");
        assert_eq!(height("15:30:10"), h);
        assert_eq!(height("15:41:14"), h);
    }

    #[test]
    fn next_stays_at_40x10_in_every_state() {
        for at in ["14:55:48", "15:20:00", "15:36:30", "15:41:20"] {
            let sp = speaker(panel_live(), Lang::En);
            let rows = text_rows(&draw(&sp, at, 40, 10));
            assert!(rows.last().unwrap().starts_with("NEXT"), "{at}: {rows:#?}");
        }
    }

    #[test]
    fn every_size_from_40x10_to_300x80_draws_big_digits() {
        let sp = speaker(panel_live(), Lang::En);
        for w in (40..=300).step_by(13) {
            for h in (10..=80).step_by(7) {
                let t = draw(&sp, "15:41:20", w, h);
                let text: String = t
                    .backend()
                    .buffer()
                    .content
                    .iter()
                    .map(|c| c.symbol())
                    .collect();
                assert!(!digit_fgs(&t).is_empty(), "{w}×{h}:\n{}", t.backend());
                // Only block characters every common font has.
                assert!(
                    !text
                        .chars()
                        .any(|c| ('\u{1FB00}'..='\u{1FBFF}').contains(&c)
                            || ('\u{1CD00}'..='\u{1CDFF}').contains(&c)),
                    "{w}×{h}: sextant or octant"
                );
            }
        }
    }
}
