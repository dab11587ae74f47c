//! What the panels share: the bordered panel and the speakers line.

use ratatui::text::Span;
use ratatui::widgets::Block;

use showcall_core::text::sanitize;

use super::words;
use crate::ui::theme::Theme;

/// A bordered panel with its title.
pub(super) fn panel<'a>(title: &'a str, theme: Theme) -> Block<'a> {
    Block::bordered()
        .title(Span::styled(format!(" {title} "), theme.title()))
        .border_style(theme.border())
}

/// `Moderator · Panellist`, sanitised.
pub(super) fn speakers_line(speakers: &[String]) -> String {
    if speakers.is_empty() {
        words::NO_SPEAKERS.into()
    } else {
        sanitize(&speakers.join(" · ")).into_owned()
    }
}

/// `text` in at most `max_lines` lines of `w` columns: wrapped at spaces,
/// the lines after the first indented by `indent` spaces, the last line
/// cut with `…` if there is more. Always one line at least.
pub(super) fn wrapped(text: &str, w: usize, max_lines: usize, indent: usize) -> Vec<String> {
    let rest_w = w.saturating_sub(indent).max(1);
    let mut lines = showcall_core::text::wrap_hanging(text, w.max(1), rest_w);
    let keep = max_lines.max(1);
    if lines.len() > keep {
        let rest = lines[keep - 1..].join(" ");
        lines.truncate(keep - 1);
        let room = if keep == 1 { w } else { rest_w };
        lines.push(showcall_core::text::truncate(&rest, room).into_owned());
    }
    let pad = " ".repeat(indent);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l } else { format!("{pad}{l}") })
        .collect()
}
