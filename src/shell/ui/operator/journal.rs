//! The journal pane: the writer's warnings, then the newest entries, with
//! undone ones struck out and unsaved ones marked.

use chrono::Utc;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use showcall::show::Snapshot;
use showcall::status::describe;
use showcall::text::{clock_hms, sanitize};

use super::panel;
use crate::operator::Operator;

/// Draws the journal pane.
pub(super) fn render(op: &Operator, snap: &Snapshot, area: Rect, buf: &mut Buffer) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let block = panel("Journal", theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let withdrawn = &snap.withdrawn;
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
