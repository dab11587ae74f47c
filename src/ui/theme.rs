//! Every colour and emphasis the views use, in one place.
//!
//! Colour never carries meaning alone: each signal also has a word. With
//! `NO_COLOR` set, the theme keeps only modifiers (bold, reverse), so the
//! screen still reads.

use ratatui::style::{Color, Modifier, Style};

use showcall_core::show::Signal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// The theme for this process: colour unless `NO_COLOR` is set (to anything
    /// non-empty, as no-color.org says).
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn border(self) -> Style {
        self.dim()
    }

    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn good(self) -> Style {
        self.fg(Color::Green)
    }

    pub fn bad(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn alert(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        }
    }

    pub fn highlight(self) -> Style {
        if self.color {
            Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn rehearsal(self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Magenta)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The foreground a countdown at this signal is drawn in.
    pub fn signal(self, s: Signal) -> Style {
        match s {
            Signal::Ok => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            Signal::Warn => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Signal::Final => self.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            Signal::Over => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }

    /// A solid badge for the signal word (also used for a flash).
    pub fn signal_badge(self, s: Signal) -> Style {
        if !self.color {
            return match s {
                Signal::Ok => Style::new().add_modifier(Modifier::BOLD),
                _ => Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
            };
        }
        let bg = match s {
            Signal::Ok => Color::Green,
            Signal::Warn => Color::Yellow,
            Signal::Final => Color::LightRed,
            Signal::Over => Color::Red,
        };
        Style::new()
            .bg(bg)
            .fg(Color::Black)
            .add_modifier(Modifier::BOLD)
    }

    /// The colour a progress gauge fills with.
    pub fn gauge(self, s: Signal) -> Style {
        self.signal(s).remove_modifier(Modifier::BOLD)
    }
}
