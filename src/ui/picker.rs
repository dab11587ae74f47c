//! The session picker (`g` go to, `x` cut): the sessions not yet run, a
//! filter typed as you go, Enter to choose. It holds plain lines built from
//! the snapshot when it opens; choosing turns into an action in the
//! operator model, never here.
//!
//! ```text
//! ┌ Go to a session ──────────────────────────────────────────┐
//! │ filter: pol▏                                              │
//! │ ▶ later  ~16:15  policy-brief  Overview of Policy Brief…  │
//! │                                                           │
//! │ will write: start · Overview of Policy Brief…             │
//! └ Enter choose  ↑↓ move  Esc cancel ────────────────────────┘
//! ```

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use showcall_core::text::{is_unsafe_char, sanitize};

use super::theme::Theme;

/// What the chosen session is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// Start it now (`g`).
    GoTo,
    /// Cut it, with a reason (`x`).
    Cut,
}

/// One session the picker offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The session's agenda index.
    pub idx: usize,
    /// What the filter matches: id and title, lowercase.
    pub key: String,
    /// The line shown: state, projected start, id, title (sanitised).
    pub line: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub purpose: Pick,
    pub query: String,
    pub items: Vec<Item>,
    /// Index into `shown()`.
    pub selected: usize,
}

/// What a key did to the picker.
pub enum Picked {
    Continue,
    Cancel,
    /// The session (agenda index) chosen.
    Chose(usize),
}

/// The longest filter accepted.
const MAX_QUERY: usize = 60;

impl Picker {
    /// A picker over `items`, with the one for session `preselect` chosen
    /// if it is there.
    pub fn new(purpose: Pick, items: Vec<Item>, preselect: Option<usize>) -> Picker {
        let selected = preselect
            .and_then(|p| items.iter().position(|i| i.idx == p))
            .unwrap_or(0);
        Picker {
            purpose,
            query: String::new(),
            items,
            selected,
        }
    }

    /// The items the filter lets through: every word of it appears in the
    /// session's id or title, in any case.
    pub fn shown(&self) -> Vec<&Item> {
        let q = self.query.to_lowercase();
        let words: Vec<&str> = q.split_whitespace().collect();
        self.items
            .iter()
            .filter(|i| words.iter().all(|w| i.key.contains(w)))
            .collect()
    }

    /// The session under the cursor, if any is shown.
    pub fn current(&self) -> Option<usize> {
        self.shown().get(self.selected).map(|i| i.idx)
    }

    /// Pasted text filters the list, as typed text would (line breaks
    /// become spaces; control characters are dropped).
    /// Returns the characters that did not fit (0 when all did).
    pub fn paste(&mut self, text: &str) -> usize {
        self.selected = 0;
        super::form::push_pasted(&mut self.query, text, MAX_QUERY)
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Picked {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let n = self.shown().len();
        match key.code {
            KeyCode::Esc => return Picked::Cancel,
            KeyCode::Enter => {
                return match self.current() {
                    Some(i) => Picked::Chose(i),
                    None => Picked::Continue,
                };
            }
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Tab => {
                self.selected = (self.selected + 1).min(n.saturating_sub(1))
            }
            KeyCode::Backspace => {
                self.query.pop();
                self.selected = 0;
            }
            KeyCode::Char('u') if ctrl => {
                self.query.clear();
                self.selected = 0;
            }
            KeyCode::Char(c)
                if !ctrl && !is_unsafe_char(c) && self.query.chars().count() < MAX_QUERY =>
            {
                self.query.push(c);
                self.selected = 0;
            }
            _ => {}
        }
        Picked::Continue
    }

    /// Draws the picker over `area`; `preview` says what choosing the
    /// current item would do, or why it cannot.
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: Theme,
        preview: &Result<String, String>,
    ) {
        let title = match self.purpose {
            Pick::GoTo => " Go to a session ",
            Pick::Cut => " Cut a session ",
        };
        let shown = self.shown();
        let list_h = (shown.len().max(1) as u16).min(area.height.saturating_sub(7).max(1));
        let width = area.width.saturating_sub(4).clamp(20, 96);
        let rect = super::centered(area, width, list_h + 5);
        Clear.render(rect, buf);
        let block = Block::bordered()
            .title(Span::styled(title, theme.title()))
            .title_bottom(Line::from(vec![
                Span::styled(" Enter", theme.key()),
                Span::raw(" choose  "),
                Span::styled("↑↓", theme.key()),
                Span::raw(" move  "),
                Span::styled("Esc", theme.key()),
                Span::raw(" cancel "),
            ]))
            .border_style(theme.key());
        let inner_w = rect.width.saturating_sub(2) as usize;
        let mut lines = vec![Line::from(vec![
            Span::styled("filter: ", theme.dim()),
            Span::raw(format!("{}▏", sanitize(&self.query))),
        ])];
        // Keep the cursor in view.
        let first = self
            .selected
            .saturating_sub(list_h as usize - 1)
            .min(shown.len().saturating_sub(list_h as usize));
        if shown.is_empty() {
            lines.push(Line::styled("  no session matches", theme.dim()));
        }
        for (k, item) in shown.iter().enumerate().skip(first).take(list_h as usize) {
            let on = k == self.selected;
            let text = showcall_core::text::truncate(
                &format!("{} {}", if on { "▶" } else { " " }, item.line),
                inner_w,
            )
            .into_owned();
            lines.push(if on {
                Line::styled(text, theme.highlight())
            } else {
                Line::raw(text)
            });
        }
        lines.push(Line::raw(""));
        lines.push(super::form::preview_line(preview, theme));
        Paragraph::new(lines).block(block).render(rect, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items() -> Vec<Item> {
        [
            (2, "qa", "Q&A"),
            (3, "policy-brief", "Policy Brief"),
            (4, "closing", "Closing"),
        ]
        .into_iter()
        .map(|(idx, id, t)| Item {
            idx,
            key: format!("{id} {t}").to_lowercase(),
            line: format!("{id} {t}"),
        })
        .collect()
    }

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_filters_and_enter_chooses() {
        let mut p = Picker::new(Pick::GoTo, items(), None);
        assert_eq!(p.current(), Some(2));
        for c in "POL".chars() {
            p.on_key(key(KeyCode::Char(c)));
        }
        assert_eq!(p.shown().len(), 1);
        assert!(matches!(p.on_key(key(KeyCode::Enter)), Picked::Chose(3)));
        // Nothing matches: Enter does nothing.
        p.on_key(key(KeyCode::Char('z')));
        assert!(p.shown().is_empty());
        assert!(matches!(p.on_key(key(KeyCode::Enter)), Picked::Continue));
        p.on_key(key(KeyCode::Backspace));
        assert_eq!(p.current(), Some(3));
    }

    #[test]
    fn arrows_move_within_the_list_and_preselect_holds() {
        let mut p = Picker::new(Pick::Cut, items(), Some(4));
        assert_eq!(p.current(), Some(4));
        p.on_key(key(KeyCode::Down));
        assert_eq!(p.current(), Some(4), "stays on the last");
        p.on_key(key(KeyCode::Up));
        p.on_key(key(KeyCode::Up));
        p.on_key(key(KeyCode::Up));
        assert_eq!(p.current(), Some(2), "stays on the first");
        assert!(matches!(p.on_key(key(KeyCode::Esc)), Picked::Cancel));
    }
}
