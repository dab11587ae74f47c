//! The NOW panel: the live session's big countdown with its signal, the
//! plan's session before anything is logged, the wait between sessions, or
//! the show's end. One function per state.

use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, Paragraph, Wrap};

use showcall_core::show::{Countdown, Live, Now, Signal, Snapshot, floor_secs};
use showcall_core::status::{cue_text, lateness_text, signal_word};
use showcall_core::text::{self as text, clock_hm, clock_hms, hms, sanitize, width};

use super::common::{panel as framed, speakers_line};
use super::words;
use crate::operator::Operator;
use crate::ui::canvas::{Panel, Piece};
use showcall_core::text::truncate;

/// The narrowest progress gauge on the status line, in columns.
const GAUGE_MIN: u16 = 3;

/// The panel's four regions: title, speakers, big text, status line.
struct Areas {
    l1: Rect,
    l2: Rect,
    big: Rect,
    l3: Rect,
    inner: Rect,
}

/// The NOW panel.
/// The NOW panel; `off_day` is the operator's off-day sentence, worked
/// out once per frame.
pub(super) fn panel(op: &Operator, snap: &Snapshot, off_day: Option<&str>, area: Rect) -> Panel {
    let theme = op.theme;
    let mut block = framed(words::NOW, theme);
    if let Some((text, _)) = &snap.message {
        // The label first, so a long message is cut, never its label.
        let label = words::MESSAGE_LABEL;
        let room = (area.width as usize).saturating_sub(width(label) + 12);
        block = block.title_top(
            Line::from(vec![
                Span::styled(label, theme.dim()),
                Span::styled(
                    format!(" {} ", truncate(&sanitize(text), room)),
                    theme.highlight(),
                ),
                Span::raw(" "),
            ])
            .right_aligned(),
        );
    }
    let mut p = Panel::new(area, Some(block));
    let inner = p.inner();
    let [l1, l2, big, l3] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let a = Areas {
        l1,
        l2,
        big,
        l3,
        inner,
    };
    match &snap.now {
        Now::Live(live) => render_live(op, live, snap.now_at, &a, &mut p),
        Now::Planned {
            idx,
            remaining,
            signal,
            speakers,
            ..
        } => render_planned(op, snap, *idx, *remaining, *signal, speakers, &a, &mut p),
        Now::Idle { last } => render_idle(op, snap, off_day, *last, &a, &mut p),
        Now::Finished { at } => {
            let tz = op.show.agenda.event.tz;
            p.put(a.l1, Line::styled(words::SHOW_FINISHED, theme.title()));
            p.put(
                a.l2,
                Line::raw(words::ended(
                    &clock_hms(*at, tz),
                    &lateness_text(&snap.headline),
                    &clock_hm(snap.planned_end, tz),
                )),
            );
            // Words, not a big clock: big digits read as a countdown.
            p.put(
                a.big,
                Piece::Large {
                    text: words::END.to_string(),
                    style: theme.dim(),
                },
            );
            p.put(
                a.l3,
                Line::styled(format!(" {}", words::REVIEW_HINT), theme.dim()),
            );
        }
    }
    p
}

/// A live session: its countdown (or the floor's), signal and progress;
/// while held, HOLD with its length and reason in the signal's place.
fn render_live(op: &Operator, live: &Live, now: DateTime<Utc>, a: &Areas, p: &mut Panel) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let w = a.inner.width as usize;
    let s = &agenda.sessions[live.idx];
    p.put(
        a.l1,
        Line::styled(truncate(&sanitize(&s.title), w).into_owned(), theme.title()),
    );
    let who = match &live.floor {
        Some(f) => words::floor(
            f.number,
            &sanitize(&showcall_core::status::floor_speaker(
                f.speaker.as_deref(),
                f.number,
            )),
        ),
        None => speakers_line(&live.speakers),
    };
    p.put(a.l2, Line::raw(truncate(&who, w).into_owned()));

    let (remaining, signal) = big_countdown(live);
    let style = match op.flash {
        Some(_) => theme.signal(signal).add_modifier(Modifier::SLOW_BLINK),
        None => theme.signal(signal),
    };
    let long = match &live.floor {
        Some(f) => f.slot.is_some_and(|s| s.num_seconds() >= 3600),
        None => live.allot.num_seconds() >= 3600,
    };
    p.put(
        a.big,
        Piece::Countdown {
            text: remaining.text(),
            long,
            style,
        },
    );

    let (word, mut badge) = match hold_word(op, now, w) {
        Some(word) => (word, theme.alert()),
        None => (
            match signal {
                Signal::Over => format!(" OVER +{} ", hms(remaining.past_secs())),
                s => format!(" {} ", signal_word(s)),
            },
            theme.signal_badge(signal),
        ),
    };
    if op.flash.is_some() {
        badge = badge.add_modifier(Modifier::SLOW_BLINK);
    }
    let session = Countdown::of(live.remaining);
    // The badge whole, then as much of the tail as fits beside a gauge
    // of at least GAUGE_MIN: `since` goes first, then the tail.
    let room = (a.l3.width as usize).saturating_sub(width(&word) + 1 + GAUGE_MIN as usize);
    let tail = if live.floor.is_some() {
        format!(
            " session {}{} ",
            if session.is_past() { "OVER " } else { "" },
            session.text()
        )
    } else {
        let of = format!(
            " {} of {}",
            hms(floor_secs(live.elapsed).max(0)),
            hms(live.allot.num_seconds())
        );
        let since = format!("{of} · since {} ", clock_hms(live.since, tz));
        if width(&since) <= room {
            since
        } else {
            format!("{of} ")
        }
    };
    let tail = if width(&tail) <= room {
        tail
    } else {
        String::new()
    };
    let [wa, ga, ta] = Layout::horizontal([
        Constraint::Length(width(&word) as u16 + 1),
        Constraint::Min(GAUGE_MIN),
        Constraint::Length(width(&tail) as u16),
    ])
    .areas(a.l3);
    p.put(wa, Span::styled(word, badge));
    let ratio = if live.allot.num_milliseconds() > 0 {
        (live.elapsed.num_milliseconds() as f64 / live.allot.num_milliseconds() as f64)
            .clamp(0.0, 1.0)
    } else {
        1.0
    };
    p.put(
        ga,
        LineGauge::default()
            .ratio(ratio)
            .filled_style(theme.gauge(live.signal))
            .unfilled_style(theme.dim())
            .label(""),
    );
    p.put(ta, Span::styled(tail, theme.dim()));
}

/// While the show is held: ` HOLD 2:30 · stream down ` (the hold's running
/// length, then its reason, if any), in at most half of `w` columns, so the
/// status line says why the countdown stands still.
fn hold_word(op: &Operator, now: DateTime<Utc>, w: usize) -> Option<String> {
    let h = op.show.fold().hold().filter(|h| h.start <= now)?;
    let len = hms(floor_secs(now - h.start));
    let word = match h.reason.as_deref().map(sanitize) {
        Some(r) if !r.is_empty() => format!(" HOLD {len} · {r}"),
        _ => format!(" HOLD {len}"),
    };
    Some(format!("{} ", truncate(&word, (w / 2).max(12))))
}

/// The big countdown of a live session and its signal: the floor's while
/// someone speaks (the session's stays visible on the gauge line).
fn big_countdown(live: &Live) -> (Countdown, Signal) {
    match &live.floor {
        Some(f) => match f.remaining {
            Some(r) => (Countdown::of(r), f.signal),
            None => (Countdown::of(-f.elapsed), Signal::Ok),
        },
        None => (Countdown::of(live.remaining), live.signal),
    }
}

/// The text the big digits show for `snap`, if any: what a test compares
/// with the speaker screen and `check --status`.
#[cfg(test)]
pub(crate) fn big_text(snap: &Snapshot) -> Option<String> {
    match &snap.now {
        Now::Live(live) => Some(big_countdown(live).0.text()),
        Now::Planned { remaining, .. } => Some(Countdown::of(*remaining).text_to_zero()),
        Now::Idle { .. } => snap.next.as_ref().map(idle_big_text),
        Now::Finished { .. } => None,
    }
}

/// Between sessions: the countdown to the next cue, or how long it has
/// waited for GO.
fn idle_big_text(cue: &showcall_core::show::Cue) -> String {
    match cue.overdue_s {
        Some(s) => format!("+{}", hms(s)),
        None => cue.starts_in.text_to_zero(),
    }
}

/// Nothing logged yet while the plan has a session on: the plan's own
/// countdown to the slot's end, with how long the session has been due.
#[allow(clippy::too_many_arguments)]
fn render_planned(
    op: &Operator,
    snap: &Snapshot,
    idx: usize,
    remaining: chrono::TimeDelta,
    signal: Signal,
    speakers: &[String],
    a: &Areas,
    p: &mut Panel,
) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let w = a.inner.width as usize;
    let s = &agenda.sessions[idx];
    p.put(
        a.l1,
        Line::styled(truncate(&sanitize(&s.title), w).into_owned(), theme.title()),
    );
    p.put(
        a.l2,
        Line::raw(truncate(&speakers_line(speakers), w).into_owned()),
    );
    p.put(
        a.big,
        Piece::Countdown {
            text: Countdown::of(remaining).text_to_zero(),
            long: s.planned_duration().num_seconds() >= 3600,
            style: theme.signal(signal),
        },
    );
    // Most important first; the plan's times only if they fit.
    let mut spans = vec![
        Span::styled(format!(" {} ", words::NOT_STARTED), theme.alert()),
        Span::raw(words::due_ago(&hms(snap.rows[idx].delta_s()))),
    ];
    if signal != Signal::Ok {
        spans.push(Span::styled(
            format!(" {} ", signal_word(signal)),
            theme.signal_badge(signal),
        ));
    }
    let width: usize = spans.iter().map(|s| s.width()).sum();
    let go = if width + 17 <= w {
        words::STARTS_IT
    } else {
        words::GO
    };
    spans.extend([Span::styled(" Space", theme.key()), Span::raw(go)]);
    let plan = words::plan(&clock_hm(s.start, tz), &clock_hm(s.end, tz));
    let width: usize = spans.iter().map(|s| s.width()).sum();
    if width + text::width(&plan) <= w {
        spans.push(Span::styled(plan, theme.dim()));
    }
    p.put(a.l3, Line::from(spans));
}

/// Before the show, between sessions, or far from the event's day.
fn render_idle(
    op: &Operator,
    snap: &Snapshot,
    off_day: Option<&str>,
    last: Option<(usize, DateTime<Utc>)>,
    a: &Areas,
    p: &mut Panel,
) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let w = a.inner.width as usize;
    if let Some(when) = off_day {
        // A demo a minute before the first session, in the event's own
        // local time: the show is called from its start, on time (the
        // same as README's demo).
        let demo_at = clock_hm(agenda.planned_start() - chrono::TimeDelta::minutes(1), tz);
        let [offer1, offer2] = words::off_day_offer(&demo_at);
        let lines = vec![
            Line::styled(when.to_string(), theme.title()),
            Line::raw(""),
            Line::from(vec![
                Span::raw(words::PRESS),
                Span::styled("R", theme.key()),
                Span::raw(offer1),
            ]),
            Line::raw(offer2),
        ];
        p.put(
            Rect {
                height: a.inner.height,
                ..a.l1
            },
            Paragraph::new(lines).wrap(Wrap { trim: true }),
        );
        return;
    }
    let (head, sub) = match last {
        Some((i, ended)) => (
            words::BETWEEN_SESSIONS,
            words::session_ended(&sanitize(&agenda.sessions[i].title), &clock_hms(ended, tz)),
        ),
        None => (
            words::BEFORE_THE_SHOW,
            words::doors(&clock_hm(agenda.planned_start(), tz)),
        ),
    };
    p.put(a.l1, Line::styled(head, theme.title()));
    p.put(
        a.l2,
        Line::styled(truncate(&sub, w).into_owned(), theme.dim()),
    );
    if let Some(cue) = &snap.next {
        // Overdue: how long it has waited for GO, counting up and dim,
        // never a frozen 0:00.
        p.put(
            a.big,
            Piece::Countdown {
                text: idle_big_text(cue),
                long: false,
                style: theme.dim(),
            },
        );
        let line = words::next_cue(&cue_text(cue), cue.overdue_s.map(hms).as_deref());
        p.put(
            a.l3,
            Line::from(vec![
                Span::raw(line),
                Span::styled("Space", theme.key()),
                Span::raw(words::STARTS_IT_NOW),
            ]),
        );
    }
}
