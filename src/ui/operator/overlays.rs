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
///
/// On a short screen (80×24) the paired keys share a row (`↑↓`, `+/-`)
/// and the table drops its frame, so every key still shows.
pub(super) fn help(theme: Theme, area: Rect, buf: &mut Buffer) {
    use crate::ui::keys::Cmd;
    let short = KEYS.len() as u16 + 2 > area.height;
    let rows: Vec<Row> = KEYS
        .iter()
        .filter(|b| !(short && matches!(b.cmd, Cmd::ScrollDown | Cmd::Shorten)))
        .map(|b| {
            let (label, help) = match b.cmd {
                Cmd::ScrollUp if short => ("↑↓/kj", "scroll the schedule up or down"),
                Cmd::Extend if short => ("+/-", "lengthen or shorten the live session by a minute"),
                _ => (b.label, b.help),
            };
            Row::new(vec![
                Cell::from(Span::styled(label, theme.key())),
                Cell::from(help),
            ])
        })
        .collect();
    let n = rows.len() as u16;
    let widths = [Constraint::Length(12), Constraint::Min(20)];
    if short {
        let rect = centered(
            area,
            area.width.saturating_sub(2).min(100),
            (n + 1).min(area.height),
        );
        Clear.render(rect, buf);
        let [table, foot] =
            ratatui::layout::Layout::vertical([Constraint::Length(n), Constraint::Length(1)])
                .areas(rect);
        Table::new(rows, widths).render(table, buf);
        Paragraph::new(Line::styled(" any key closes ", theme.dim())).render(foot, buf);
        return;
    }
    let rect = centered(
        area,
        area.width.saturating_sub(4).min(100),
        (n + 4).min(area.height),
    );
    Clear.render(rect, buf);
    Table::new(rows, widths)
        .block(
            Block::bordered()
                .title(Span::styled(" Keys ", theme.title()))
                .title_bottom(" any key closes ")
                .border_style(theme.key()),
        )
        .render(rect, buf);
}

/// One confirmation's words: its title, its body and the keys that answer.
struct Dialog {
    title: &'static str,
    body: Vec<Line<'static>>,
    keys: Line<'static>,
}

/// The keys line: `y` does `yes`, each `(key, what)` after it, and any
/// other key does `no`.
fn answers(
    theme: Theme,
    yes: &'static str,
    more: &[(&'static str, &'static str)],
    no: &'static str,
) -> Line<'static> {
    let k = |s: &'static str| Span::styled(s, theme.key());
    let mut spans = vec![k("y"), Span::raw(format!(" {yes}   "))];
    for (key, what) in more {
        spans.push(k(key));
        spans.push(Span::raw(format!(" {what}   ")));
    }
    spans.push(k("any other key"));
    spans.push(Span::raw(format!(" {no}")));
    Line::from(spans)
}

fn undo(theme: Theme, target: u64, what: &str) -> Dialog {
    Dialog {
        title: "Undo",
        body: vec![
            Line::raw(format!("Withdraw #{target}: {what}?")),
            Line::styled(
                "The journal keeps both the entry and the undo.",
                theme.dim(),
            ),
        ],
        keys: answers(theme, "undo", &[], "keep it"),
    }
}

fn quit(theme: Theme, live: &str, rehearsal: bool) -> Dialog {
    Dialog {
        title: "Quit",
        body: vec![
            Line::raw(format!("'{}' is live.", sanitize(live))),
            Line::styled(
                if rehearsal {
                    // A demo run again (--at, --speed) starts afresh and
                    // keeps this one aside; only --rehearse carries on.
                    "Everything is saved in the rehearsal journal."
                } else {
                    "Everything is saved; opening showcall again carries on."
                },
                theme.dim(),
            ),
        ],
        keys: answers(theme, "quit", &[], "stay"),
    }
}

fn unsaved(theme: Theme, count: usize) -> Dialog {
    let k = |s: &'static str| Span::styled(s, theme.key());
    Dialog {
        title: "Entries NOT SAVED",
        body: vec![Line::raw(if count == 0 {
            "Journal removed, replaced or cut short: every entry is only in memory.".to_string()
        } else {
            format!(
                "{count} entr{} could not be written to the journal yet.",
                if count == 1 { "y" } else { "ies" }
            )
        })],
        keys: Line::from(vec![
            k("r"),
            Span::raw(" retry now   "),
            k("f"),
            Span::raw(" write a fallback file and quit   "),
            k("Esc"),
            Span::raw(" stay"),
        ]),
    }
}

fn off_day(theme: Theme, when: &str) -> Dialog {
    Dialog {
        title: "Not the event's day",
        body: vec![
            Line::raw(when.to_owned()),
            Line::raw("Log a real start in the event's journal now?"),
        ],
        keys: answers(
            theme,
            "start it",
            &[("R", "rehearse instead"), ("N", "new rehearsal")],
            "cancel",
        ),
    }
}

fn go_to(theme: Theme, title: &str, over: &[String], off_day: Option<&str>) -> Dialog {
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
    Dialog {
        title: "Go to",
        body,
        keys: answers(theme, "start it", &[], "cancel"),
    }
}

fn plan(theme: Theme, lines: &[String], by: &str, end: &str) -> Dialog {
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
    Dialog {
        title: "Apply the plan",
        body,
        keys: answers(theme, "apply", &[], "cancel"),
    }
}

fn rehearse(theme: Theme) -> Dialog {
    Dialog {
        title: "Rehearse",
        body: vec![
            Line::raw("Restart as a rehearsal: the agenda moves to start at the next minute,"),
            Line::raw("and everything goes to a separate rehearsal journal."),
            Line::raw(
                "A rehearsal under way is carried on; N begins a new one (the last is kept).",
            ),
        ],
        keys: answers(theme, "rehearse", &[("N", "new rehearsal")], "cancel"),
    }
}

/// The rows `line` takes wrapped at word boundaries in `w` columns, as
/// `Wrap { trim: true }` lays it out (a word longer than a row is broken),
/// so a dialog is tall enough for its last line, the keys.
fn wrapped_rows(line: &Line, w: usize) -> usize {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let mut rows = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let n = showcall_core::text::width(word);
        let need = if used == 0 { n } else { used + 1 + n };
        if need <= w {
            used = need;
        } else {
            rows += (used > 0) as usize + (n.max(1) - 1) / w;
            used = (n - 1) % w + 1;
        }
    }
    rows
}

/// A question before anything happens.
pub(super) fn confirm(op: &Operator, c: &Confirm, area: Rect, buf: &mut Buffer) {
    let theme = op.theme;
    let Dialog {
        title,
        mut body,
        keys,
    } = match c {
        Confirm::Undo { target, what } => undo(theme, *target, what),
        Confirm::Quit { live } => quit(theme, live, op.rehearsal),
        Confirm::Unsaved { count } => unsaved(theme, *count),
        Confirm::OffDay { when } => off_day(theme, when),
        Confirm::GoTo {
            title,
            over,
            off_day,
            ..
        } => go_to(theme, title, over, off_day.as_deref()),
        Confirm::Plan { lines, by, end, .. } => plan(theme, lines, by, end),
        Confirm::Rehearse => rehearse(theme),
    };
    body.push(Line::raw(""));
    body.push(keys);
    let w = area.width.saturating_sub(4).min(80);
    let inner_w = w.saturating_sub(2).max(1) as usize;
    let rows: usize = body.iter().map(|l| wrapped_rows(l, inner_w)).sum();
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
