//! The terminal views. Each view is a pure function of the model and `now`:
//! the operator screen gives its panels as values (`canvas`), which the
//! painter (`crate::paint`) compares with the last frame's; a dialog or a
//! whole screen draws into a ratatui `Buffer`. None of them reads a clock,
//! a file or the terminal. The event loop that feeds them lives in `tui`.

pub mod big;
pub mod canvas;
pub mod form;
pub mod keys;
pub mod operator;
pub mod picker;
pub mod speaker;
pub mod theme;

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// Below `min_w`×`min_h`, says so instead of drawing garbage; true if it
/// did (the caller then draws nothing else).
pub fn too_small(
    area: Rect,
    min_w: u16,
    min_h: u16,
    theme: theme::Theme,
    buf: &mut Buffer,
) -> bool {
    if area.width >= min_w && area.height >= min_h {
        return false;
    }
    let msg = format!(
        "terminal too small (need {min_w}×{min_h}, have {}×{})",
        area.width, area.height
    );
    Paragraph::new(msg)
        .style(theme.bad())
        .wrap(Wrap { trim: true })
        .alignment(Alignment::Center)
        .render(centered(area, area.width, 3), buf);
    true
}
