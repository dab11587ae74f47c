//! The foot line: a toast when there is one, else the key hints from the
//! one key table, as many as fit.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use showcall::text::{sanitize, width};

use crate::operator::Operator;
use crate::ui::keys::{self, KEYS};

/// Draws the foot line.
pub(super) fn render(op: &Operator, area: Rect, buf: &mut Buffer) {
    let theme = op.theme;
    if let Some(t) = &op.toast {
        let style = if t.bad { theme.bad() } else { theme.good() };
        Line::styled(format!(" {}", sanitize(&t.text)), style).render(area, buf);
        return;
    }
    // Quit and help always show; the rest in table order while they fit.
    let item = |b: &keys::Binding| b.hint.map_or(0, |(k, w)| width(k) + width(w) + 3);
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
