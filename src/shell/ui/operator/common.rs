//! What the panels share: the bordered panel and the speakers line.

use ratatui::text::Span;
use ratatui::widgets::Block;

use showcall::text::sanitize;

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
