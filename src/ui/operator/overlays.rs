//! What opens over the screen: the key help and the confirmations. (Forms
//! draw themselves, in `ui::form`.)

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Widget, Wrap};

use showcall_core::text::sanitize;

use crate::operator::{Confirm, Operator};
use crate::ui::centered;
use crate::ui::keys::KEYS;
use crate::ui::theme::Theme;

/// The key table, generated from the one key table.
pub(super) fn help(theme: Theme, area: Rect, buf: &mut Buffer) {
    let rows = KEYS.iter().map(|b| {
        Row::new(vec![
            Cell::from(Span::styled(b.label, theme.key())),
            Cell::from(b.help),
        ])
    });
    let h = (KEYS.len() as u16 + 4).min(area.height);
    let rect = centered(area, area.width.saturating_sub(4).min(100), h);
    Clear.render(rect, buf);
    Table::new(rows, [Constraint::Length(12), Constraint::Min(20)])
        .block(
            Block::bordered()
                .title(Span::styled(" Keys ", theme.title()))
                .title_bottom(" any key closes ")
                .border_style(theme.key()),
        )
        .render(rect, buf);
}

/// A question before anything happens.
pub(super) fn confirm(op: &Operator, c: &Confirm, area: Rect, buf: &mut Buffer) {
    let theme = op.theme;
    let k = |s: &'static str| Span::styled(s, theme.key());
    let (title, mut body, keys): (&str, Vec<Line>, Line) = match c {
        Confirm::Undo { target, what } => (
            "Undo",
            vec![
                Line::raw(format!("Withdraw #{target}: {what}?")),
                Line::styled(
                    "The journal keeps both the entry and the undo.",
                    theme.dim(),
                ),
            ],
            Line::from(vec![
                k("y"),
                Span::raw(" undo   "),
                k("any other key"),
                Span::raw(" keep it"),
            ]),
        ),
        Confirm::Quit { live } => (
            "Quit",
            vec![
                Line::raw(format!("'{}' is live.", sanitize(live))),
                Line::styled(
                    if op.rehearsal {
                        // A demo run again (--at, --speed) starts afresh and
                        // keeps this one aside; only --rehearse carries on.
                        "Everything is saved in the rehearsal journal."
                    } else {
                        "Everything is saved; opening showcall again carries on."
                    },
                    theme.dim(),
                ),
            ],
            Line::from(vec![
                k("y"),
                Span::raw(" quit   "),
                k("any other key"),
                Span::raw(" stay"),
            ]),
        ),
        Confirm::Unsaved { count } => (
            "Entries NOT SAVED",
            vec![Line::raw(if *count == 0 {
                "Journal removed, replaced or cut short: every entry is only in memory.".to_string()
            } else {
                format!(
                    "{count} entr{} could not be written to the journal yet.",
                    if *count == 1 { "y" } else { "ies" }
                )
            })],
            Line::from(vec![
                k("r"),
                Span::raw(" retry now   "),
                k("f"),
                Span::raw(" write a fallback file and quit   "),
                k("Esc"),
                Span::raw(" stay"),
            ]),
        ),
        Confirm::OffDay { when } => (
            "Not the event's day",
            vec![
                Line::raw(when.clone()),
                Line::raw("Log a real start in the event's journal now?"),
            ],
            Line::from(vec![
                k("y"),
                Span::raw(" start it   "),
                k("R"),
                Span::raw(" rehearse instead   "),
                k("N"),
                Span::raw(" new rehearsal   "),
                k("any other key"),
                Span::raw(" cancel"),
            ]),
        ),
        Confirm::GoTo {
            title,
            over,
            off_day,
            ..
        } => {
            let mut body = vec![Line::raw(format!(
                "Start '{}' now, out of order?",
                sanitize(title)
            ))];
            if !over.is_empty() {
                body.push(Line::raw(if over.len() == 1 {
                    format!(
                        "It jumps over {}, which stays unstarted: GO starts it after this one.",
                        sanitize(&over[0])
                    )
                } else {
                    format!(
                        "It jumps over {}, which stay unstarted: GO starts them after this one, in order.",
                        sanitize(&over.join(", "))
                    )
                }));
            }
            if let Some(when) = off_day {
                body.push(Line::styled(
                    format!("{} This logs a real start.", sanitize(when)),
                    theme.bad(),
                ));
            }
            (
                "Go to",
                body,
                Line::from(vec![
                    k("y"),
                    Span::raw(" start it   "),
                    k("any other key"),
                    Span::raw(" cancel"),
                ]),
            )
        }
        Confirm::Plan { lines, by, end, .. } => {
            let mut body = vec![Line::raw(format!("To end by {by}, write:"))];
            body.extend(
                lines
                    .iter()
                    .map(|l| Line::raw(format!("· {}", sanitize(l)))),
            );
            body.push(Line::styled(
                format!("Projected end then {end}. Undo (u) takes back one entry at a time."),
                theme.dim(),
            ));
            (
                "Apply the plan",
                body,
                Line::from(vec![
                    k("y"),
                    Span::raw(" apply   "),
                    k("any other key"),
                    Span::raw(" cancel"),
                ]),
            )
        }
        Confirm::Rehearse => (
            "Rehearse",
            vec![
                Line::raw("Restart as a rehearsal: the agenda moves to start at the next minute,"),
                Line::raw("and everything goes to a separate rehearsal journal."),
                Line::raw(
                    "A rehearsal under way is carried on; N begins a new one (the last is kept).",
                ),
            ],
            Line::from(vec![
                k("y"),
                Span::raw(" rehearse   "),
                k("N"),
                Span::raw(" new rehearsal   "),
                k("any other key"),
                Span::raw(" cancel"),
            ]),
        ),
    };
    body.push(Line::raw(""));
    body.push(keys);
    let w = area.width.saturating_sub(4).min(80);
    let inner_w = w.saturating_sub(2).max(1) as usize;
    let rows: usize = body
        .iter()
        .map(|l| l.width().div_ceil(inner_w).max(1))
        .sum();
    let h = (rows as u16 + 2).min(area.height);
    let rect = centered(area, w, h);
    Clear.render(rect, buf);
    Paragraph::new(body)
        .wrap(Wrap { trim: true })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(format!(" {title} "), theme.title()))
                .border_style(theme.key()),
        )
        .render(rect, buf);
}
