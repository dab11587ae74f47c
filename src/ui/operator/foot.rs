//! The foot line: a toast when there is one, else the key hints from the
//! one key table, as many as fit.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use showcall_core::text::{sanitize, width};

use crate::operator::Operator;
use crate::ui::canvas::Panel;
use crate::ui::keys::{self, KEYS};

/// The foot line.
pub(super) fn panel(op: &Operator, area: Rect) -> Panel {
    let theme = op.theme;
    let mut p = Panel::new(area, None);
    if let Some(t) = &op.toast {
        let style = if t.bad { theme.bad() } else { theme.good() };
        p.put(area, Line::styled(format!(" {}", sanitize(&t.text)), style));
        return p;
    }
    let read_only = !matches!(op.link, crate::operator::Link::Writer(_));
    // Cues out: how many this screen fires, or that it fires none.
    let cues = super::words::cues_tag(op.show.agenda.cues.len(), op.cues_armed(), op.cues.off)
        .map(|t| format!(" {t} "));
    let cues_w = cues.as_deref().map_or(0, width);
    let hints = hints(read_only, (area.width as usize).saturating_sub(cues_w));
    let mut spans = Vec::new();
    if read_only {
        spans.push(Span::styled(" read-only ", theme.dim()));
    }
    if let Some(c) = cues {
        let style = if op.cues_armed() > 0 {
            theme.good()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(c, style));
    }
    spans.extend(hints.iter().flat_map(|(k, w)| {
        [
            Span::styled(format!(" {k}"), theme.key()),
            Span::raw(format!(" {w} ")),
        ]
    }));
    p.put(area, Line::from(spans));
    p
}

/// The key hints that fit in `cols` columns, from the one key table:
/// quit and help always, the rest in table order while they fit; a
/// read-only screen offers no key that writes. When a key had to be left
/// out, help says `? more`, so the bar never hides keys silently.
pub(super) fn hints(read_only: bool, cols: usize) -> Vec<(&'static str, &'static str)> {
    let offered: Vec<&keys::Binding> = KEYS
        .iter()
        .filter(|b| b.hint.is_some() && !(read_only && b.cmd.writes()))
        .collect();
    let item = |(k, w): (&str, &str)| width(k) + width(w) + 3;
    let help = keys::binding(keys::Cmd::Help)
        .hint
        .expect("help has a hint");
    let quit = keys::binding(keys::Cmd::Quit)
        .hint
        .expect("quit has a hint");
    let more = (help.0, "more");
    let rest: Vec<_> = offered
        .iter()
        .filter(|b| !matches!(b.cmd, keys::Cmd::Help | keys::Cmd::Quit))
        .filter_map(|b| b.hint)
        .collect();
    // " read-only " takes 11 columns before the hints.
    let room = cols.saturating_sub(if read_only { 11 } else { 0 });
    let all: usize = rest.iter().map(|h| item(*h)).sum::<usize>() + item(quit) + item(help);
    if all <= room {
        let mut out = rest;
        out.extend([quit, help]);
        return out;
    }
    let mut used = item(quit) + item(more);
    let mut out = Vec::new();
    for h in rest {
        if used + item(h) > room {
            break;
        }
        used += item(h);
        out.push(h);
    }
    out.extend([quit, more]);
    out
}
