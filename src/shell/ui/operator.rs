//! The stage manager's screen, drawn from the operator model at `now`.
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
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Clear, LineGauge, Paragraph, Row, Table, Widget, Wrap,
};

use showcall::show::{Now, RowState, Signal, Snapshot};
use showcall::status::{countdown_secs, describe, event_distance, lateness_text, signal_word};
use showcall::text::{clock_hm, clock_hms, hms, sanitize, signed_hms, zone_abbr};

use super::keys::{self, KEYS};
use super::theme::Theme;
use super::{big, centered, ellipsize};
use crate::operator::{Confirm, JournalState, Mode, Operator};

/// The smallest terminal the screen draws in.
pub const MIN_W: u16 = 60;
pub const MIN_H: u16 = 18;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, op: &Operator, snap: &Snapshot, now: DateTime<Utc>) {
    render(op, snap, now, frame.area(), frame.buffer_mut());
}

/// Renders into a buffer (the tests' entry point).
pub fn render(op: &Operator, snap: &Snapshot, now: DateTime<Utc>, area: Rect, buf: &mut Buffer) {
    let theme = op.theme;
    if super::too_small(area, MIN_W, MIN_H, theme, buf) {
        return;
    }
    // Far from the event's day, projections from "now" mean nothing: show
    // the plan as it stands, and say when the event is or was.
    let off_day = op.off_day(now).is_some();
    let plan;
    let snap = if off_day {
        plan = op
            .show
            .at(op.show.agenda.planned_start() - chrono::TimeDelta::seconds(1));
        &plan
    } else {
        snap
    };
    // The NOW panel grows with the terminal: the countdown is what the
    // stage manager reads from across the desk.
    let now_h = (area.height * 2 / 5).clamp(9, 28);
    let [header, top, bottom, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(now_h),
        Constraint::Min(4),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(op, snap, now, off_day, header, buf);
    let [now_area, next_area] =
        Layout::horizontal([Constraint::Percentage(64), Constraint::Percentage(36)]).areas(top);
    render_now(op, snap, now, now_area, buf);
    render_next(op, snap, now, off_day, next_area, buf);
    if area.width >= 120 {
        let [sched, journal] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(bottom);
        render_schedule(op, snap, sched, buf);
        render_journal(op, journal, buf);
    } else {
        let jh = if bottom.height >= 14 { 6 } else { 4 };
        let [sched, journal] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(jh)]).areas(bottom);
        render_schedule(op, snap, sched, buf);
        render_journal(op, journal, buf);
    }
    render_foot(op, foot, buf);
    match &op.mode {
        Mode::Normal => {}
        Mode::Help => render_help(theme, area, buf),
        Mode::Form(form) => {
            let preview = form.action().and_then(|a| {
                showcall::show::decide(&op.show, &a, now)
                    .map(|kinds| {
                        kinds
                            .iter()
                            .map(|k| describe(k, &op.show.agenda))
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .map_err(|e| e.to_string())
            });
            form.render(area, buf, theme, &preview);
        }
        Mode::Confirm(c) => render_confirm(op, c, area, buf),
    }
}

fn render_header(
    op: &Operator,
    snap: &Snapshot,
    now: DateTime<Utc>,
    off_day: bool,
    area: Rect,
    buf: &mut Buffer,
) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let [l1, l2] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);

    let state = match op.journal_state() {
        JournalState::Saved => Span::styled(" ● saved ", theme.good()),
        JournalState::NotSaved { count, .. } => {
            Span::styled(format!(" ▲ NOT SAVED ({count}) "), theme.alert())
        }
        JournalState::ReadOnly(why) => Span::styled(format!(" read-only: {why} "), theme.bad()),
    };
    let mut right = vec![state];
    if op.rehearsal {
        right.insert(0, Span::styled(" REHEARSAL ", theme.rehearsal()));
    }
    let right_w: usize = right.iter().map(|s| s.width()).sum();
    let title_w = (area.width as usize).saturating_sub(right_w + 2);
    let title = ellipsize(&sanitize(&agenda.event.title), title_w);
    let pad = (area.width as usize).saturating_sub(title.chars().count() + 1 + right_w);
    let mut spans = vec![
        Span::raw(" "),
        Span::styled(title, theme.title()),
        Span::raw(" ".repeat(pad)),
    ];
    spans.extend(right);
    Line::from(spans).render(l1, buf);

    // Clocks first, then lateness and end; extra zones only if they fit.
    let clock = Span::styled(
        format!(" {} {}", clock_hms(now, tz), zone_abbr(now, tz)),
        theme.title(),
    );
    let (late, end) = if off_day {
        let start = agenda.planned_start();
        (
            Span::styled(" NOT TODAY ", theme.alert()),
            Span::raw(format!(
                " event {} {}–{} {}",
                start.with_timezone(&tz).format("%a %-d %b %Y"),
                clock_hm(start, tz),
                clock_hm(snap.planned_end, tz),
                zone_abbr(start, tz)
            )),
        )
    } else {
        (
            Span::styled(
                format!(" {} ", lateness_text(snap.lateness)),
                if snap.lateness.num_seconds() >= 60 {
                    theme.alert()
                } else {
                    theme.good().add_modifier(Modifier::BOLD)
                },
            ),
            Span::raw(format!(
                " end {} (plan {})",
                clock_hm(snap.projected_end, tz),
                clock_hm(snap.planned_end, tz)
            )),
        )
    };
    let fixed_w = clock.width() + late.width() + end.width() + 2;
    let mut extra = Vec::new();
    let mut used = fixed_w;
    for z in &agenda.event.also_show {
        let name = z
            .name()
            .rsplit('/')
            .next()
            .unwrap_or(z.name())
            .replace('_', " ");
        let s = format!("  {name} {}", clock_hm(now, *z));
        if used + s.chars().count() > area.width as usize {
            break;
        }
        used += s.chars().count();
        extra.push(Span::styled(s, theme.dim()));
    }
    let mut spans = vec![clock];
    spans.extend(extra);
    spans.push(Span::raw("  "));
    spans.push(late);
    spans.push(end);
    Line::from(spans).render(l2, buf);
}

fn panel<'a>(title: &'a str, theme: Theme) -> Block<'a> {
    Block::bordered()
        .title(Span::styled(format!(" {title} "), theme.title()))
        .border_style(theme.border())
}

fn speakers_line(speakers: &[String]) -> String {
    if speakers.is_empty() {
        "no speakers listed".into()
    } else {
        sanitize(&speakers.join(" · ")).into_owned()
    }
}

fn render_now(op: &Operator, snap: &Snapshot, now: DateTime<Utc>, area: Rect, buf: &mut Buffer) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let mut block = panel("NOW", theme);
    if let Some((text, _)) = &snap.message {
        block = block.title_top(
            Line::from(vec![
                Span::styled(" speaker screen: ", theme.dim()),
                Span::styled(format!(" {} ", sanitize(text)), theme.highlight()),
                Span::raw(" "),
            ])
            .right_aligned(),
        );
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    let [l1, l2, bigarea, l3] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    match &snap.now {
        Now::Live(live) => {
            let s = &agenda.sessions[live.idx];
            let speakers = &op.show.fold_at(now).sessions[live.idx].speakers.clone();
            Line::styled(ellipsize(&sanitize(&s.title), w), theme.title()).render(l1, buf);
            let who = match &live.floor {
                Some(f) => format!(
                    "floor #{}: {}",
                    f.number,
                    sanitize(f.speaker.as_deref().unwrap_or("speaker"))
                ),
                None => speakers_line(speakers),
            };
            Line::raw(ellipsize(&who, w)).render(l2, buf);

            // The floor's countdown is the big one while someone speaks;
            // the session's stays visible on the gauge line.
            let (remaining, signal) = match &live.floor {
                Some(f) => match f.remaining {
                    Some(r) => (r, f.signal),
                    None => (-f.elapsed, Signal::Ok),
                },
                None => (live.remaining, live.signal),
            };
            let secs = countdown_secs(remaining);
            let digits = if secs < 0 {
                format!("+{}", hms(-secs))
            } else {
                hms(secs)
            };
            let style = match op.flash {
                Some(_) => theme.signal(signal).add_modifier(Modifier::SLOW_BLINK),
                None => theme.signal(signal),
            };
            big::render_max(&digits, bigarea, buf, style);

            let word = match signal {
                Signal::Over => format!(" OVER +{} ", hms(-secs)),
                s => format!(" {} ", signal_word(s)),
            };
            let mut badge = theme.signal_badge(signal);
            if op.flash.is_some() {
                badge = badge.add_modifier(Modifier::SLOW_BLINK);
            }
            let ses = countdown_secs(live.remaining);
            let tail = if live.floor.is_some() {
                format!(
                    " session {}{} ",
                    if ses < 0 { "OVER +" } else { "" },
                    hms(ses.abs())
                )
            } else {
                format!(
                    " {} of {} · since {} ",
                    hms(live.elapsed.num_seconds().max(0)),
                    hms(live.allot.num_seconds()),
                    clock_hms(live.since, tz)
                )
            };
            let [wa, ga, ta] = Layout::horizontal([
                Constraint::Length(word.chars().count() as u16 + 1),
                Constraint::Min(4),
                Constraint::Length(tail.chars().count() as u16),
            ])
            .areas(l3);
            Span::styled(word, badge).render(wa, buf);
            let ratio = if live.allot.num_milliseconds() > 0 {
                (live.elapsed.num_milliseconds() as f64 / live.allot.num_milliseconds() as f64)
                    .clamp(0.0, 1.0)
            } else {
                1.0
            };
            LineGauge::default()
                .ratio(ratio)
                .filled_style(theme.gauge(live.signal))
                .unfilled_style(theme.dim())
                .label("")
                .render(ga, buf);
            Span::styled(tail, theme.dim()).render(ta, buf);
        }
        Now::Planned {
            idx,
            late,
            remaining,
            signal,
        } => {
            // The plan's own countdown to the slot's end, so the screen is
            // useful before anything is logged; the badge says it is only
            // the plan.
            let s = &agenda.sessions[*idx];
            Line::styled(ellipsize(&sanitize(&s.title), w), theme.title()).render(l1, buf);
            Line::raw(ellipsize(
                &speakers_line(&op.show.fold().sessions[*idx].speakers),
                w,
            ))
            .render(l2, buf);
            let secs = countdown_secs(*remaining).max(0);
            big::render_max(&hms(secs), bigarea, buf, theme.signal(*signal));
            // Most important first; the plan's times only if they fit.
            let mut spans = vec![
                Span::styled(" NOT STARTED ", theme.alert()),
                Span::raw(format!(" {} late ", hms(late.num_seconds()))),
            ];
            if *signal != Signal::Ok {
                spans.push(Span::styled(
                    format!(" {} ", signal_word(*signal)),
                    theme.signal_badge(*signal),
                ));
            }
            spans.extend([
                Span::styled(" Space", theme.key()),
                Span::raw(" starts it "),
            ]);
            let plan = format!(" plan {}–{}", clock_hm(s.start, tz), clock_hm(s.end, tz));
            let width: usize = spans.iter().map(|s| s.width()).sum();
            if width + plan.chars().count() <= w {
                spans.push(Span::styled(plan, theme.dim()));
            }
            Line::from(spans).render(l3, buf);
        }
        Now::Idle => {
            if let Some(when) = (!op.show.fold().started() && !op.rehearsal)
                .then(|| event_distance(agenda, now))
                .flatten()
            {
                let lines = vec![
                    Line::styled(when, theme.title()),
                    Line::raw(""),
                    Line::from(vec![
                        Span::raw("Press "),
                        Span::styled("R", theme.key()),
                        Span::raw(" to rehearse it now (a separate rehearsal journal),"),
                    ]),
                    Line::raw("or run with --rehearse, or --at 15:38 --speed 10 for a demo."),
                ];
                Paragraph::new(lines).wrap(Wrap { trim: true }).render(
                    Rect {
                        height: inner.height,
                        ..l1
                    },
                    buf,
                );
                return;
            }
            let (head, sub) = match op.show.fold().last {
                Some(last) => (
                    "BETWEEN SESSIONS".to_string(),
                    format!(
                        "{} ended {}",
                        sanitize(&agenda.sessions[last].title),
                        op.show.fold().sessions[last]
                            .actual_end
                            .map(|t| clock_hms(t, tz))
                            .unwrap_or_default()
                    ),
                ),
                None => (
                    "BEFORE THE SHOW".to_string(),
                    format!(
                        "doors: first session planned at {}",
                        clock_hm(agenda.planned_start(), tz)
                    ),
                ),
            };
            Line::styled(head, theme.title()).render(l1, buf);
            Line::styled(ellipsize(&sub, w), theme.dim()).render(l2, buf);
            if let Some(start) = snap.next_start {
                let secs = (start - now).num_seconds().max(0);
                big::render_max(&hms(secs), bigarea, buf, theme.dim());
                Line::from(vec![
                    Span::raw(" next starts in "),
                    Span::styled(hms(secs), theme.title()),
                    Span::raw(" · "),
                    Span::styled("Space", theme.key()),
                    Span::raw(" starts it now"),
                ])
                .render(l3, buf);
            }
        }
        Now::Finished { at } => {
            Line::styled("SHOW FINISHED", theme.title()).render(l1, buf);
            Line::raw(format!(
                "ended {} · {} · planned end {}",
                clock_hms(*at, tz),
                lateness_text(snap.lateness),
                clock_hm(snap.planned_end, tz)
            ))
            .render(l2, buf);
            big::render_max(&clock_hm(*at, tz), bigarea, buf, theme.dim());
            Line::styled(" timing review: showcall report", theme.dim()).render(l3, buf);
        }
    }
}

fn render_next(
    op: &Operator,
    snap: &Snapshot,
    now: DateTime<Utc>,
    off_day: bool,
    area: Rect,
    buf: &mut Buffer,
) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let block = panel("NEXT", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let w = inner.width as usize;
    let lines = match (snap.next, snap.next_start) {
        (Some(i), Some(start)) => {
            let s = &agenda.sessions[i];
            let mut lines = vec![
                Line::styled(ellipsize(&sanitize(&s.title), w), theme.title()),
                Line::raw(ellipsize(
                    &speakers_line(&op.show.fold().sessions[i].speakers),
                    w,
                )),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("planned   ", theme.dim()),
                    Span::raw(clock_hm(s.start, tz)),
                    Span::raw(if s.fixed { " (fixed)" } else { "" }),
                ]),
                if off_day {
                    Line::from(vec![
                        Span::styled("on        ", theme.dim()),
                        Span::raw(
                            s.start
                                .with_timezone(&tz)
                                .format("%a %-d %b %Y")
                                .to_string(),
                        ),
                    ])
                } else {
                    Line::from(vec![
                        Span::styled("projected ", theme.dim()),
                        Span::raw(clock_hm(start, tz)),
                        Span::styled(
                            format!("  {}", signed_hms((start - s.start).num_seconds())),
                            theme.dim(),
                        ),
                    ])
                },
                if off_day {
                    Line::raw("")
                } else {
                    Line::from(vec![
                        Span::styled("starts in ", theme.dim()),
                        Span::styled(hms((start - now).num_seconds().max(0)), theme.title()),
                    ])
                },
            ];
            if let Some(o) = &snap.overshoot {
                lines.push(Line::styled(
                    format!(
                        "must end {}: {} over",
                        clock_hm(o.by, tz),
                        hms(o.over.num_seconds())
                    ),
                    theme.bad(),
                ));
            }
            lines
        }
        _ => vec![Line::styled("— end of the agenda —", theme.dim())],
    };
    let used = lines.len() as u16;
    Paragraph::new(lines).render(inner, buf);

    // The NOW session's notes (the panel's driving questions), when the
    // panel has room for them.
    let current = match &snap.now {
        Now::Live(l) => Some(l.idx),
        Now::Planned { idx, .. } => Some(*idx),
        _ => None,
    };
    let notes = current.and_then(|i| agenda.sessions[i].notes.as_deref());
    if let Some(notes) = notes
        && inner.height > used + 3
    {
        let area = Rect {
            y: inner.y + used + 1,
            height: inner.height - used - 1,
            ..inner
        };
        let title = ellipsize(
            &sanitize(&agenda.sessions[current.unwrap_or(0)].title),
            (inner.width as usize).saturating_sub(10),
        );
        let mut lines = vec![Line::styled(format!("notes · {title}"), theme.dim())];
        lines.extend(notes.lines().map(|l| Line::raw(sanitize(l).into_owned())));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(area, buf);
    }
}

fn state_word(s: RowState) -> &'static str {
    match s {
        RowState::Done => "done",
        RowState::Live => "live",
        RowState::Next => "next",
        RowState::Later => "later",
        RowState::Skipped => "skipped",
    }
}

fn render_schedule(op: &Operator, snap: &Snapshot, area: Rect, buf: &mut Buffer) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let block = panel("Schedule", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let visible = inner.height.saturating_sub(1) as usize;
    let n = snap.rows.len();
    // Keep the live (or next) row in view, a third of the way down.
    let focus = snap
        .rows
        .iter()
        .position(|r| r.state == RowState::Live)
        .or(snap.next)
        .unwrap_or(0);
    let started = op.show.fold().started();
    let auto = focus.saturating_sub(visible / 3) as isize;
    let max_start = n.saturating_sub(visible) as isize;
    let first = (auto + op.scroll).clamp(0, max_start) as usize;
    let rows = snap.rows[first..(first + visible).min(n)].iter().map(|r| {
        let s = &agenda.sessions[r.idx];
        let start = if r.started {
            clock_hm(r.start, tz)
        } else if r.state == RowState::Skipped {
            "—".into()
        } else {
            format!("~{}", clock_hm(r.start, tz))
        };
        let dur = if r.ended {
            hms((r.end - r.start).num_seconds())
        } else {
            hms(r.allot.num_seconds())
        };
        let delta = if r.state == RowState::Skipped {
            String::new()
        } else {
            signed_hms(r.start_delta.num_seconds())
        };
        let delta_style = if r.start_delta.num_seconds() >= 60 {
            theme.bad()
        } else {
            Style::new()
        };
        let style = match r.state {
            RowState::Live => theme.highlight(),
            RowState::Done | RowState::Skipped => theme.dim(),
            _ => Style::new(),
        };
        Row::new(vec![
            Cell::from(clock_hm(r.planned_start, tz)),
            Cell::from(start),
            Cell::from(dur),
            Cell::from(Span::styled(delta, delta_style)),
            Cell::from(if r.state == RowState::Skipped && !started {
                "past"
            } else {
                state_word(r.state)
            }),
            Cell::from(sanitize(&s.title).into_owned()),
        ])
        .style(style)
    });
    let header = Row::new(["plan", "start", "length", "Δ", "state", "session"]).style(theme.dim());
    Table::new(
        rows,
        [
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Length(7),
            Constraint::Min(10),
        ],
    )
    .header(header)
    .column_spacing(1)
    .render(inner, buf);
}

fn render_journal(op: &Operator, area: Rect, buf: &mut Buffer) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let block = panel("Journal", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let withdrawn = &op.show.fold().withdrawn;
    // The newest warnings, never more than half the pane.
    let keep = (inner.height as usize / 2).max(1);
    let mut lines: Vec<Line> = op.warnings[op.warnings.len().saturating_sub(keep)..]
        .iter()
        .map(|w| {
            Line::styled(
                format!("! {}", sanitize(w.lines().next().unwrap_or(""))),
                theme.bad(),
            )
        })
        .collect();
    let entry_line = |e: &showcall::journal::Entry, tail: Option<Span<'static>>| {
        let t = clock_hms(e.at.with_timezone(&Utc), tz);
        let mut spans = vec![
            Span::styled(format!("#{} {t} ", e.seq), theme.dim()),
            Span::raw(describe(&e.kind, agenda)),
        ];
        let mut line_style = Style::new();
        if withdrawn.contains(&e.seq) {
            spans.push(Span::styled(" (undone)", theme.dim()));
            line_style = theme.dim().add_modifier(Modifier::CROSSED_OUT);
        }
        spans.extend(tail);
        Line::from(spans).style(line_style)
    };
    let room = (inner.height as usize).saturating_sub(lines.len());
    let saved = op.saved();
    let pending = op.pending();
    let take_pending = pending.len().min(room);
    let take_saved = saved.len().min(room - take_pending);
    for e in &saved[saved.len() - take_saved..] {
        lines.push(entry_line(e, None));
    }
    for e in &pending[..take_pending] {
        lines.push(entry_line(
            e,
            Some(Span::styled(" NOT SAVED", theme.alert())),
        ));
    }
    Paragraph::new(lines).render(inner, buf);
}

fn render_foot(op: &Operator, area: Rect, buf: &mut Buffer) {
    let theme = op.theme;
    if let Some(t) = &op.toast {
        let style = if t.bad { theme.bad() } else { theme.good() };
        Line::styled(format!(" {}", sanitize(&t.text)), style).render(area, buf);
        return;
    }
    // Quit and help always show; the rest in table order while they fit.
    let item = |b: &keys::Binding| b.hint.map_or(0, |(k, w)| k.chars().count() + w.len() + 3);
    let reserved: Vec<&keys::Binding> = [keys::Cmd::Quit, keys::Cmd::Help]
        .into_iter()
        .map(keys::binding)
        .collect();
    let mut used: usize = reserved.iter().map(|b| item(b)).sum();
    let mut shown: Vec<&keys::Binding> = Vec::new();
    for b in KEYS
        .iter()
        .filter(|b| b.hint.is_some() && !reserved.iter().any(|r| r.cmd == b.cmd))
    {
        if used + item(b) > area.width as usize {
            break;
        }
        used += item(b);
        shown.push(b);
    }
    shown.extend(reserved);
    let spans: Vec<Span> = shown
        .iter()
        .filter_map(|b| b.hint)
        .flat_map(|(k, w)| {
            [
                Span::styled(format!(" {k}"), theme.key()),
                Span::raw(format!(" {w} ")),
            ]
        })
        .collect();
    Line::from(spans).render(area, buf);
}

fn render_help(theme: Theme, area: Rect, buf: &mut Buffer) {
    let rows = KEYS.iter().map(|b| {
        Row::new(vec![
            Cell::from(Span::styled(b.label, theme.key())),
            Cell::from(b.help),
        ])
    });
    let h = (KEYS.len() as u16 + 4).min(area.height);
    let rect = centered(area, area.width.saturating_sub(4).min(100), h);
    Clear.render(rect, buf);
    Table::new(rows, [Constraint::Length(12), Constraint::Min(20)])
        .block(
            Block::bordered()
                .title(Span::styled(" Keys ", theme.title()))
                .title_bottom(" any key closes ")
                .border_style(theme.key()),
        )
        .render(rect, buf);
}

fn render_confirm(op: &Operator, c: &Confirm, area: Rect, buf: &mut Buffer) {
    let theme = op.theme;
    let k = |s: &'static str| Span::styled(s, theme.key());
    let (title, mut body, keys): (&str, Vec<Line>, Line) = match c {
        Confirm::Undo { target, what } => (
            "Undo",
            vec![
                Line::raw(format!("Withdraw #{target}: {what}?")),
                Line::styled(
                    "The journal keeps both the entry and the undo.",
                    theme.dim(),
                ),
            ],
            Line::from(vec![
                k("y"),
                Span::raw(" undo   "),
                k("any other key"),
                Span::raw(" keep it"),
            ]),
        ),
        Confirm::Quit { live } => (
            "Quit",
            vec![
                Line::raw(format!("'{}' is live.", sanitize(live))),
                Line::styled(
                    "Everything is saved; opening showcall again carries on.",
                    theme.dim(),
                ),
            ],
            Line::from(vec![
                k("y"),
                Span::raw(" quit   "),
                k("any other key"),
                Span::raw(" stay"),
            ]),
        ),
        Confirm::Unsaved { count } => (
            "Entries NOT SAVED",
            vec![Line::raw(if *count == 0 {
                "The journal file was removed or replaced: entries may exist only in memory."
                    .to_string()
            } else {
                format!(
                    "{count} entr{} could not be written to the journal yet.",
                    if *count == 1 { "y" } else { "ies" }
                )
            })],
            Line::from(vec![
                k("r"),
                Span::raw(" retry now   "),
                k("f"),
                Span::raw(" write a fallback file and quit   "),
                k("Esc"),
                Span::raw(" stay"),
            ]),
        ),
        Confirm::OffDay { when } => (
            "Not the event's day",
            vec![
                Line::raw(when.clone()),
                Line::raw("Log a real start in the event's journal now?"),
            ],
            Line::from(vec![
                k("y"),
                Span::raw(" start it   "),
                k("R"),
                Span::raw(" rehearse instead   "),
                k("any other key"),
                Span::raw(" cancel"),
            ]),
        ),
        Confirm::Rehearse => (
            "Rehearse",
            vec![
                Line::raw("Restart as a rehearsal: the agenda moves to start at the next minute,"),
                Line::raw("and everything goes to a separate rehearsal journal."),
            ],
            Line::from(vec![
                k("y"),
                Span::raw(" rehearse   "),
                k("any other key"),
                Span::raw(" cancel"),
            ]),
        ),
    };
    body.push(Line::raw(""));
    body.push(keys);
    let w = area.width.saturating_sub(4).min(80);
    let inner_w = w.saturating_sub(2).max(1) as usize;
    let rows: usize = body
        .iter()
        .map(|l| l.width().div_ceil(inner_w).max(1))
        .sum();
    let h = (rows as u16 + 2).min(area.height);
    let rect = centered(area, w, h);
    Clear.render(rect, buf);
    Paragraph::new(body)
        .wrap(Wrap { trim: true })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(format!(" {title} "), theme.title()))
                .border_style(theme.key()),
        )
        .render(rect, buf);
}

#[cfg(test)]
mod tests {
    //! The operator screen at fixed instants: text by insta snapshot,
    //! colours by buffer assertions.

    use crate::testkit::{agenda, utc as t};
    use chrono::TimeZone;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    use showcall::journal::{Follower, OpenInfo, Writer};
    use showcall::show::Show;

    use super::*;
    use crate::operator::Link;

    /// An operator writing a fresh journal in a temp dir, after `script`.
    fn operator(script: &[(&str, Action)]) -> (Operator, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let a = agenda();
        let tz = a.event.tz;
        let info = OpenInfo {
            agenda: "agenda.toml".into(),
            sha256: a.sha256.clone(),
            version: "test".into(),
        };
        let path = dir.path().join("agenda.journal.jsonl");
        let (w, _) =
            Writer::open(&path, info, t("14:55").with_timezone(&tz).fixed_offset()).unwrap();
        let entries = w.entries().to_vec();
        let mut op = Operator::new(Show::new(a, entries), Link::Writer(w), false, vec![]);
        op.theme = Theme { color: true };
        for (at, action) in script {
            op.act(action.clone(), t(at));
            assert!(op.toast.is_none(), "{action:?} at {at}: {:?}", op.toast);
        }
        (op, dir)
    }

    use showcall::show::Action;

    fn screen(op: &Operator, now: DateTime<Utc>, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let snap = op.show.at(now);
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
        let (op, _d) = operator(&[]);
        let term = screen(&op, t("14:50"), 80, 24);
        insta::assert_snapshot!(term.backend());
    }

    #[test]
    fn planned_not_started_counts_down_the_plan() {
        let (op, _d) = operator(&[]);
        let term = screen(&op, t("15:38"), 80, 24);
        insta::assert_snapshot!(term.backend());
        assert_eq!(style_of(&term, "NOT STARTED").bg, Some(Color::Red));
    }

    #[test]
    fn live_at_80x24_and_200x60() {
        let (op, _d) = operator(&[("15:00", Action::Go)]);
        let term = screen(&op, t("15:03:10"), 80, 24);
        insta::assert_snapshot!("live_80x24", term.backend());
        assert_eq!(style_of(&term, " OK ").bg, Some(Color::Green));
        let term = screen(&op, t("15:03:10"), 200, 60);
        insta::assert_snapshot!("live_200x60", term.backend());
    }

    #[test]
    fn warn() {
        let (op, _d) = operator(&[("15:00", Action::Go)]);
        let term = screen(&op, t("15:06"), 80, 24);
        insta::assert_snapshot!(term.backend());
        assert_eq!(style_of(&term, " WARN ").bg, Some(Color::Yellow));
    }

    #[test]
    fn over_counts_up() {
        let (op, _d) = operator(&[("15:00", Action::Go)]);
        let term = screen(&op, t("15:11:20"), 80, 24);
        insta::assert_snapshot!(term.backend());
        assert_eq!(style_of(&term, " OVER +1:20 ").bg, Some(Color::Red));
        assert_eq!(style_of(&term, " +1:20 BEHIND ").bg, Some(Color::Red));
    }

    #[test]
    fn between_sessions() {
        let (op, _d) = operator(&[("15:00", Action::Go), ("15:08", Action::End)]);
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
        let (op, _d) = operator(&script);
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

    #[test]
    fn too_small() {
        let (op, _d) = operator(&[]);
        let term = screen(&op, t("15:00"), 50, 12);
        insta::assert_snapshot!(term.backend());
    }

    #[test]
    fn years_after_the_event_it_offers_a_rehearsal() {
        let (op, _d) = operator(&[]);
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let term = screen(&op, now, 80, 24);
        let text = term.backend().to_string();
        assert!(text.contains("This event was on Thu 22 Jun 2023"), "{text}");
        assert!(text.contains("Press R to rehearse"), "{text}");
        // No projections from 2026 onto a 2023 plan.
        assert!(text.contains("NOT TODAY"), "{text}");
        assert!(text.contains("~15:00"), "{text}");
        assert!(!text.contains("BEHIND"), "{text}");
    }

    #[test]
    fn no_color_keeps_the_words() {
        let (mut op, _d) = operator(&[("15:00", Action::Go)]);
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
    fn escape_sequences_in_the_agenda_never_reach_the_screen() {
        let (mut op, _d) = operator(&[("15:00", Action::Go)]);
        op.act(Action::Note("\u{1b}]0;pwned\u{7}".into()), t("15:01"));
        let term = screen(&op, t("15:02"), 120, 40);
        let buf = term.backend().buffer();
        assert!(
            buf.content
                .iter()
                .all(|c| !c.symbol().chars().any(showcall::text::is_unsafe_char))
        );
    }

    /// A disk that refuses writes: the entry is kept, the header and the
    /// journal pane say NOT SAVED, and a retry once the disk is back saves it.
    #[test]
    fn not_saved_is_shown_and_retried() {
        use showcall::journal::Sink;
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
        let (mut op, _d) = operator(&[]);
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Any sequence of keys at any pace: no panic, every frame draws,
        /// and the journal stays whole and numbered without gaps.
        #[test]
        fn random_keys_never_break_the_screen(
            keys in prop::collection::vec((any_key(), 0i64..400), 1..60),
        ) {
            let (mut op, _d) = operator(&[]);
            let mut now = t("14:58");
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
            }
            let seqs: Vec<u64> = op.saved().iter().map(|e| e.seq).collect();
            prop_assert_eq!(seqs, (1..=op.saved().len() as u64).collect::<Vec<_>>());
            prop_assert!(op.pending().is_empty());
        }
    }
}
