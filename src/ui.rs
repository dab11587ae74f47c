//! The terminal views. Each view is a pure function of the model and `now`
//! drawn into a ratatui `Frame`; none of them reads a clock, a file or the
//! terminal. The event loop that feeds them lives in `tui`.

pub mod big;
pub mod form;
pub mod keys;
pub mod operator;
pub mod speaker;
pub mod theme;

use ratatui::layout::{Constraint, Flex, Layout, Rect};

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

/// Cuts `s` to at most `width` columns, ending with '…' when cut.
pub fn ellipsize(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}
