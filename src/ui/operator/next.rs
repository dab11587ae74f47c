//! The NEXT panel: the next cue with its plan, projection and countdown,
//! the hard end if the projection passes it, and the NOW session's notes.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use showcall_core::show::floor_secs;
use showcall_core::show::{Cue, Now, Overshoot, Snapshot};
use showcall_core::status::{cue_text, plan_step_text};
use showcall_core::text::{clock_hm, hms, sanitize, signed_hms};

use super::common::{panel as block, speakers_line, wrapped};
use super::words;
use crate::operator::Operator;
use crate::ui::canvas::Panel;
use showcall_core::text::truncate;

/// The NEXT panel: the next cue, the clashes, the hard-end overshoot with
/// its plan, and below them the NOW session's notes when there is room.
pub(super) fn panel(op: &Operator, snap: &Snapshot, off_day: bool, area: Rect) -> Panel {
    let theme = op.theme;
    let mut p = Panel::new(area, Some(block(words::NEXT, theme)));
    let inner = p.inner();
    let mut lines = match &snap.next {
        Some(cue) => cue_lines(op, snap, cue, off_day, inner),
        None => vec![Line::styled(words::END_OF_AGENDA, theme.dim())],
    };
    lines.extend(clash_lines(op, snap, inner.width as usize));
    if let Some(o) = &snap.overshoot {
        lines.extend(overshoot_lines(op, snap, o, inner.width as usize));
    }
    let used = (lines.len() as u16).min(inner.height);
    p.put(
        Rect {
            height: used,
            ..inner
        },
        Paragraph::new(lines),
    );
    put_notes(&mut p, op, snap, inner, used);
    p
}

/// The next cue: its title and speakers (wrapped while the panel has rows
/// to spare), its planned start, and its projection and countdown (or, on
/// another day than the show's, the day it is planned on).
fn cue_lines(
    op: &Operator,
    snap: &Snapshot,
    cue: &Cue,
    off_day: bool,
    inner: Rect,
) -> Vec<Line<'static>> {
    let theme = op.theme;
    let tz = op.show.agenda.event.tz;
    let s = &op.show.agenda.sessions[cue.idx];
    let row = &snap.rows[cue.idx];
    // The title, then the speakers, take up to two more rows each
    // while the panel has rows to spare, instead of being cut.
    let title = sanitize(&s.title);
    let who = speakers_line(&cue.speakers);
    let base = 6 + snap.clashes.len() + snap.overshoot.as_ref().map_or(0, |o| 2 + o.plan.len());
    let mut spare = (inner.height as usize).saturating_sub(base);
    let w = inner.width as usize;
    let mut take = |text: &str| {
        let lines = wrapped(text, w, 3.min(1 + spare), 0);
        spare -= lines.len() - 1;
        lines
    };
    let title_lines = take(&title);
    let who_lines = take(&who);
    let mut lines: Vec<Line> = title_lines
        .into_iter()
        .map(|l| Line::styled(l, theme.title()))
        .collect();
    lines.extend(who_lines.into_iter().map(Line::raw));
    lines.extend([
        Line::raw(""),
        Line::from(vec![
            Span::styled(words::PLANNED, theme.dim()),
            Span::raw(clock_hm(s.start, tz)),
            Span::raw(if s.fixed { words::FIXED } else { "" }),
        ]),
        if off_day {
            Line::from(vec![
                Span::styled(words::ON, theme.dim()),
                Span::raw(
                    s.start
                        .with_timezone(&tz)
                        .format("%a %-d %b %Y")
                        .to_string(),
                ),
            ])
        } else {
            Line::from(vec![
                Span::styled(words::PROJECTED, theme.dim()),
                Span::raw(clock_hm(cue.start, tz)),
                Span::styled(format!("  {}", signed_hms(row.delta_s())), theme.dim()),
            ])
        },
        if off_day {
            Line::raw("")
        } else {
            Line::styled(
                cue_text(cue),
                if cue.overdue_s.is_some() {
                    theme.bad()
                } else {
                    theme.title()
                },
            )
        },
    ]);
    lines
}

/// One line per clash in the running order, cut to `w` columns.
fn clash_lines(op: &Operator, snap: &Snapshot, w: usize) -> Vec<Line<'static>> {
    snap.clashes
        .iter()
        .map(|c| {
            Line::styled(
                truncate(&showcall_core::status::clash_text(c, &op.show.agenda), w).into_owned(),
                op.theme.bad(),
            )
        })
        .collect()
}

/// The projection passes the hard end: by how much, the plan to meet it one
/// step a line, and the key that applies it.
fn overshoot_lines(op: &Operator, snap: &Snapshot, o: &Overshoot, w: usize) -> Vec<Line<'static>> {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    // The day too, when it is not today's hard end.
    let by = showcall_core::text::clock_hm_on(o.by, snap.now_at, tz);
    let mut lines = vec![Line::styled(
        words::must_end(&by, &hms(floor_secs(o.over))),
        theme.bad(),
    )];
    // The plan to meet it, one step a line, and the key that applies it.
    for step in &o.plan {
        lines.push(Line::raw(
            truncate(&format!("· {}", plan_step_text(*step, agenda)), w).into_owned(),
        ));
    }
    if o.plan.is_empty() {
        lines.push(Line::styled(words::NO_PLAN, theme.dim()));
    } else {
        lines.push(Line::from(vec![
            Span::styled("p", theme.key()),
            Span::raw(format!(" apply: end {}", clock_hm(o.plan_end, tz))),
        ]));
    }
    lines
}

/// The NOW session's notes (the panel's driving questions), below the
/// `used` rows, when the panel has room for them.
fn put_notes(p: &mut Panel, op: &Operator, snap: &Snapshot, inner: Rect, used: u16) {
    let agenda = &op.show.agenda;
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
        let title = truncate(
            &sanitize(&agenda.sessions[current.unwrap_or(0)].title),
            (inner.width as usize).saturating_sub(10),
        )
        .into_owned();
        let mut lines = vec![Line::styled(format!("notes · {title}"), op.theme.dim())];
        lines.extend(notes.lines().map(|l| Line::raw(sanitize(l).into_owned())));
        p.put(area, Paragraph::new(lines).wrap(Wrap { trim: false }));
    }
}
