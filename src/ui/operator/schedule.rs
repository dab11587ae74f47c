//! The schedule: one row per session from the timeline, with the live (or
//! next) row kept in view.

use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Row, Table};

use showcall_core::show::{RowState, Snapshot, ceil_secs};
use showcall_core::status::delta_text;
use showcall_core::text::{clock_hm, hms, sanitize};

use super::common::panel as block;
use super::words;
use crate::operator::Operator;
use crate::ui::canvas::Panel;

/// The schedule panel.
pub(super) fn panel(op: &Operator, snap: &Snapshot, area: Rect) -> Panel {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let mut block = block(words::SCHEDULE, theme);
    let inner = block.inner(area);
    let visible = inner.height.saturating_sub(1) as usize;
    let n = snap.rows.len();
    // Keep the live (or next) row in view, a third of the way down.
    let focus = snap
        .rows
        .iter()
        .position(|r| matches!(r.state, RowState::Live | RowState::Due))
        .or(snap.next.as_ref().map(|c| c.idx))
        .unwrap_or(0);
    let started = snap.started;
    let auto = focus.saturating_sub(visible / 3) as isize;
    let max_start = n.saturating_sub(visible) as isize;
    let first = (auto + op.scroll).clamp(0, max_start) as usize;
    // Say what the rows do not show, and how to get back to the live row.
    let above = first;
    let below = n.saturating_sub(first + visible);
    let mut marks = Vec::new();
    if above > 0 {
        marks.push(format!("↑{above}"));
    }
    if below > 0 {
        marks.push(format!("↓{below}"));
    }
    if first as isize != auto.clamp(0, max_start) {
        let live = crate::ui::keys::binding(crate::ui::keys::Cmd::Live);
        marks.push(format!(
            "{} back to live",
            live.hint.map_or(live.label, |h| h.0)
        ));
    }
    if !marks.is_empty() {
        block = block.title_top(
            ratatui::text::Line::styled(format!(" {} ", marks.join(" · ")), theme.dim())
                .right_aligned(),
        );
    }
    let mut p = Panel::new(area, Some(block));
    // A multi-day event gets a line with the date before each new day.
    let day = |i: usize| agenda.day_of(i);
    let multi_day = n > 0 && day(0) != day(n - 1);
    let mut lines: Vec<Row> = Vec::with_capacity(visible);
    // Rows the sessions shown leave empty: a long title wraps onto them
    // (up to three rows each, in order) instead of being cut.
    let shown = snap.rows[first..(first + visible).min(n)].len();
    let mut spare = visible.saturating_sub(shown);
    let title_w = (inner.width as usize).saturating_sub(TIME_COLUMNS);
    let mut used = 0;
    for r in &snap.rows[first..(first + visible).min(n)] {
        if multi_day && (r.idx == 0 || day(r.idx) != day(r.idx - 1)) {
            lines.push(day_line(day(r.idx), theme));
            used += 1;
            spare = spare.saturating_sub(1);
        }
        let row = session_line(op, r, started, title_w, &mut spare);
        used += row.1;
        if used > visible {
            break;
        }
        lines.push(row.0);
    }
    let header = Row::new(["plan", "start", "length", "Δ", "state", "session"]).style(theme.dim());
    let table = Table::new(
        lines,
        [
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(7),
            // Δ: "+1:13:35" (8) fits, as an hour late can be.
            Constraint::Length(8),
            Constraint::Length(7),
            Constraint::Min(10),
        ],
    )
    .header(header)
    .column_spacing(1);
    p.put(inner, table);
    p
}

/// The separator before a new day: `───── … Fri 23 Jun 2023 ──`.
fn day_line(date: chrono::NaiveDate, theme: crate::ui::theme::Theme) -> Row<'static> {
    let rule = |w: usize| Cell::from("─".repeat(w));
    Row::new(vec![
        rule(5),
        rule(6),
        rule(7),
        rule(7),
        rule(7),
        Cell::from(format!("{} ──────────", date.format("%a %-d %b %Y"))),
    ])
    .style(theme.title())
}

/// Columns the table gives everything but the title: 5+6+7+8+7, and one
/// space after each.
const TIME_COLUMNS: usize = 5 + 6 + 7 + 8 + 7 + 5;

/// One session's row and its height: the title wraps onto up to two more
/// lines while `spare` rows last (which it uses up), else it is cut.
fn session_line<'a>(
    op: &Operator,
    r: &showcall_core::show::Row,
    started: bool,
    title_w: usize,
    spare: &mut usize,
) -> (Row<'a>, usize) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let s = &agenda.sessions[r.idx];
    let mut title = sanitize(&s.title).into_owned();
    if s.removed {
        title = format!("{title} {}", super::words::REMOVED);
    }
    if r.squeeze > chrono::TimeDelta::zero() {
        title = format!("{title} (squeezed -{})", hms(ceil_secs(r.squeeze)));
    }
    let start = if r.started {
        clock_hm(r.start, tz)
    } else if !r.counts() {
        "—".into()
    } else {
        format!("~{}", clock_hm(r.start, tz))
    };
    let dur = if r.ended {
        hms(showcall_core::show::span_s(r.start, r.end))
    } else {
        hms(r.allot.num_seconds())
    };
    let delta = delta_text(r);
    let delta_style = if r.counts() && r.delta_s() >= 60 {
        theme.bad()
    } else {
        Style::new()
    };
    let style = match r.state {
        RowState::Live => theme.highlight(),
        RowState::Done | RowState::Missed => theme.dim(),
        RowState::Cut => theme
            .dim()
            .add_modifier(ratatui::style::Modifier::CROSSED_OUT),
        _ => Style::new(),
    };
    let title_lines = super::common::wrapped(&title, title_w, 3.min(1 + *spare), 0);
    let height = title_lines.len();
    *spare -= height - 1;
    let row = Row::new(vec![
        Cell::from(clock_hm(r.planned_start, tz)),
        Cell::from(start),
        Cell::from(dur),
        Cell::from(Span::styled(delta, delta_style)),
        Cell::from(if r.state == RowState::Missed && !started {
            words::PAST
        } else {
            r.state.word()
        }),
        Cell::from(Text::from(
            title_lines.into_iter().map(Line::from).collect::<Vec<_>>(),
        )),
    ])
    .style(style)
    .height(height as u16);
    (row, height)
}
