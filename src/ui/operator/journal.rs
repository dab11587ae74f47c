//! The journal pane: the writer's warnings, then the newest entries, with
//! undone ones struck out and unsaved ones marked. An entry too long for
//! one row wraps onto the rows the pane has to spare, newest first; when
//! rows run short, older entries are cut to one row.

use chrono::Utc;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use showcall_core::show::Snapshot;
use showcall_core::status::describe;
use showcall_core::text::{clock_hms, sanitize, truncate, width, wrap_hanging};

use super::common::panel as block;
use super::words;
use crate::operator::Operator;
use crate::ui::canvas::Panel;

/// The journal pane.
pub(super) fn panel(op: &Operator, snap: &Snapshot, area: Rect) -> Panel {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    let mut p = Panel::new(area, Some(block(words::JOURNAL, theme)));
    let inner = p.inner();
    let withdrawn = &snap.withdrawn;
    // The newest warnings, wrapped (six rows each at most) onto the
    // rows the entries leave, and never more than half the pane while
    // there are entries to show.
    let height = inner.height as usize;
    let entry_count = op.saved().len() + op.pending().len();
    let budget = (height / 2).max(height.saturating_sub(entry_count)).max(1);
    let w = inner.width as usize;
    let mut warn_blocks: Vec<Vec<String>> = Vec::new();
    let mut used = 0;
    for (i, text) in op.warnings.iter().enumerate().rev() {
        // Older warnings still to place get a row each, if they can.
        let avail = budget.saturating_sub(used).saturating_sub(i).max(1);
        if used >= budget {
            break;
        }
        let text = format!("! {}", sanitize(text.lines().next().unwrap_or("")));
        let rows = super::common::wrapped(&text, w, avail.min(6), 2);
        used += rows.len();
        warn_blocks.push(rows);
    }
    let mut lines: Vec<Line> = warn_blocks
        .into_iter()
        .rev()
        .flatten()
        .map(|l| Line::styled(l, theme.bad()))
        .collect();
    let entry_parts = |e: &showcall_core::journal::Entry, tail: Option<Span<'static>>| {
        let t = clock_hms(e.at.with_timezone(&Utc), tz);
        let mut spans = vec![
            // Where a command from outside came from, before what it did.
            Span::styled(
                match e
                    .source
                    .filter(|s| *s != showcall_core::journal::Source::Key)
                {
                    Some(s) => format!("#{} {t} {} ", e.seq, s.label()),
                    None => format!("#{} {t} ", e.seq),
                },
                theme.dim(),
            ),
            Span::raw(match &e.kind {
                // An unnamed intervention is called what every view calls it.
                showcall_core::journal::Kind::Floor { session, .. } => describe(
                    &showcall_core::journal::Kind::Floor {
                        session: session.clone(),
                        speaker: snap.floor_speakers.get(&e.seq).cloned(),
                    },
                    agenda,
                ),
                k => describe(k, agenda),
            }),
        ];
        let mut line_style = Style::new();
        if withdrawn.contains(&e.seq) {
            spans.push(Span::styled(" (undone)", theme.dim()));
            line_style = theme.dim().add_modifier(Modifier::CROSSED_OUT);
        } else if snap.left_out.contains(&e.seq) {
            spans.push(Span::styled(" (left out)", theme.dim()));
            line_style = theme.dim();
        }
        spans.extend(tail);
        (spans, line_style)
    };
    let room = (inner.height as usize).saturating_sub(lines.len());
    let saved = op.saved();
    let pending = op.pending();
    let take_pending = pending.len().min(room);
    let take_saved = saved.len().min(room - take_pending);
    let mut entries: Vec<_> = saved[saved.len() - take_saved..]
        .iter()
        .map(|e| entry_parts(e, None))
        .collect();
    entries.extend(
        pending[..take_pending]
            .iter()
            .map(|e| entry_parts(e, Some(Span::styled(" NOT SAVED", theme.alert())))),
    );
    // Newest first: each entry takes the rows it needs while the rows
    // left still leave one for every older entry shown.
    let mut blocks: Vec<Vec<Line>> = Vec::new();
    let mut left = room;
    let mut drawn = Vec::new();
    for (i, (spans, style)) in entries.into_iter().enumerate().rev() {
        let older = i; // entries still to place, each needs a row
        let avail = left.saturating_sub(older).max(1);
        let block = wrap_cached((spans, style, w, avail), &mut drawn);
        left = left.saturating_sub(block.len());
        blocks.push(block);
    }
    LAST_WRAPPED.with_borrow_mut(|last| *last = drawn);
    lines.extend(blocks.into_iter().rev().flatten());
    p.put(inner, Paragraph::new(lines));
    p
}

/// What an entry is wrapped from: its spans, its line style, the pane's
/// width and the rows it may take.
type WrapKey = (Vec<Span<'static>>, Style, usize, usize);

thread_local! {
    /// The entries wrapped for the last frame, with their rows. An idle
    /// second draws the same entries again, and wrapping a long note (up
    /// to `SHOWN_MAX` bytes, grapheme by grapheme) was the pane's main
    /// cost: a 10 MB note tripled an idle screen's CPU. Only the last
    /// frame's entries are kept, so the memory is what is on screen.
    static LAST_WRAPPED: std::cell::RefCell<Vec<(WrapKey, Vec<Line<'static>>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// [`wrap_entry`], or its rows from the last frame when nothing it depends
/// on changed; the entry is recorded in `drawn` for the next frame.
fn wrap_cached(key: WrapKey, drawn: &mut Vec<(WrapKey, Vec<Line<'static>>)>) -> Vec<Line<'static>> {
    let hit = LAST_WRAPPED.with_borrow(|last| {
        last.iter()
            .find(|(k, _)| *k == key)
            .map(|(_, rows)| rows.clone())
    });
    let rows = hit.unwrap_or_else(|| wrap_entry(key.0.clone(), key.1, key.2, key.3));
    drawn.push((key, rows.clone()));
    rows
}

/// One entry in at most `rows` rows of `w` columns: wrapped at spaces,
/// continuation rows indented by two; the last row cut with "…" if the
/// entry needs more.
fn wrap_entry(
    spans: Vec<Span<'static>>,
    style: Style,
    w: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    // Each run of white space is one space, as the wrapped rows write it,
    // so a row never holds more columns than it was wrapped to.
    let spans = squeeze_spaces(spans);
    let whole: String = spans.iter().map(|s| s.content.as_ref()).collect();
    if width(&whole) <= w || rows <= 1 || w < 8 {
        // One row: ratatui cuts what does not fit; make the cut visible.
        let mut line = Line::from(spans).style(style);
        if width(&whole) > w {
            line = cut_line(line, w);
        }
        return vec![line];
    }
    let mut wrapped = wrap_hanging(&whole, w, w - 2);
    if wrapped.len() > rows {
        let rest = wrapped[rows - 1..].join(" ");
        wrapped.truncate(rows - 1);
        let room = if rows == 1 { w } else { w - 2 };
        wrapped.push(truncate(&rest, room).into_owned());
    }
    // Keep the dim "#seq time " prefix and the styled tail on their rows
    // by restyling by position: the first span's text, then plain, then
    // the tail spans' text, wherever they fall.
    let mut styles: Vec<(usize, Style)> = Vec::new(); // (end byte in whole, style)
    let mut end = 0;
    for s in &spans {
        end += s.content.len();
        styles.push((end, s.style));
    }
    let style_at = |byte: usize| {
        styles
            .iter()
            .find(|(e, _)| byte < *e)
            .map_or(Style::new(), |(_, s)| *s)
    };
    let mut out = Vec::new();
    let mut pos = 0; // byte position in `whole`
    for (row, text) in wrapped.iter().enumerate() {
        // Find this row's text in `whole` from `pos` (wrapping drops white
        // space between rows and writes each run of it between words as
        // one space; the cut adds one "…").
        let body = text.trim_end_matches('…');
        let (start, stop) = locate(&whole, pos, body);
        let mut row_spans = Vec::new();
        if row > 0 {
            row_spans.push(Span::raw("  "));
        }
        let mut from = start;
        for (e, st) in &styles {
            let to = (*e).min(stop);
            if to > from {
                row_spans.push(Span::styled(whole[from..to].to_string(), *st));
                from = to;
            }
        }
        if body.len() < text.len() {
            row_spans.push(Span::styled("…", style_at(from)));
        }
        pos = stop;
        out.push(Line::from(row_spans).style(style));
    }
    out
}

/// `spans` with each run of white space, across span boundaries too,
/// written as one space (a note typed with two spaces, a tab).
fn squeeze_spaces(spans: Vec<Span<'static>>) -> Vec<Span<'static>> {
    let mut after_space = false;
    spans
        .into_iter()
        .map(|s| {
            let mut text = String::with_capacity(s.content.len());
            for c in s.content.chars() {
                if c.is_whitespace() {
                    if !after_space {
                        text.push(' ');
                    }
                    after_space = true;
                } else {
                    text.push(c);
                    after_space = false;
                }
            }
            Span::styled(text, s.style)
        })
        .collect()
}

/// Where a wrapped row `body` lies in `whole`, searching from byte `pos`:
/// its start and end bytes. White space before it is skipped, and each
/// space in `body` stands for a whole run of white space in `whole` (a
/// pasted line break, two spaces typed in a note).
fn locate(whole: &str, pos: usize, body: &str) -> (usize, usize) {
    let rest = &whole[pos..];
    let start = pos + (rest.len() - rest.trim_start().len());
    let mut chars = whole[start..].char_indices().peekable();
    let mut stop = start;
    for b in body.chars() {
        if b == ' ' {
            while let Some((i, c)) = chars.peek().copied() {
                if !c.is_whitespace() {
                    break;
                }
                stop = start + i + c.len_utf8();
                chars.next();
            }
        } else if let Some((i, c)) = chars.next() {
            stop = start + i + c.len_utf8();
        }
    }
    (start, stop)
}

/// `line` cut to `w` columns with "…" as its last column.
fn cut_line(line: Line<'static>, w: usize) -> Line<'static> {
    let style = line.style;
    let mut used = 0;
    let mut spans = Vec::new();
    for s in line.spans {
        let sw = width(&s.content);
        if used + sw < w {
            used += sw;
            spans.push(s);
            continue;
        }
        // More follows, so the cut shows even if this span fits exactly.
        let cut = truncate(&format!("{}…", s.content), w - used).into_owned();
        spans.push(Span::styled(cut, s.style));
        break;
    }
    Line::from(spans).style(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An idle second draws the rows the last frame wrapped: an entry whose
    /// key is unchanged is not wrapped again (a planted row shows it), and
    /// one whose width, rows or text changed is wrapped afresh.
    #[test]
    fn an_unchanged_entry_is_not_wrapped_again() {
        let note = "note · ".to_owned() + &"word ".repeat(800);
        let key = |w: usize| (vec![Span::raw(note.clone())], Style::new(), w, 5);
        let planted = vec![Line::from("planted")];
        LAST_WRAPPED.with_borrow_mut(|last| *last = vec![(key(40), planted.clone())]);
        let mut drawn = Vec::new();
        assert_eq!(wrap_cached(key(40), &mut drawn), planted);
        // Another width: wrapped for it, 5 rows (the fifth cut with "…").
        let rows = wrap_cached(key(60), &mut drawn);
        assert_eq!(
            rows,
            wrap_entry(vec![Span::raw(note.clone())], Style::new(), 60, 5)
        );
        assert_eq!(rows.len(), 5);
        // Both are kept for the next frame, and nothing else.
        assert_eq!(drawn.len(), 2);
    }

    fn rows(text: &str, w: usize) -> Vec<String> {
        let spans = vec![Span::raw("#4 00:35:15 "), Span::raw(text.to_string())];
        wrap_entry(spans, Style::new(), w, 5)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn a_double_space_loses_no_letter_where_the_entry_wraps() {
        // Two spaces (a pasted CRLF, or typed) used to shift every later
        // row by a byte: "to al" / "panellists", "b" / "Friday".
        let got = rows(
            "action · Send the slides  to all panellists — Secretariat, by Friday",
            44,
        );
        let text = got.join(" ");
        assert!(text.contains("to all"), "{got:?}");
        assert!(got.iter().all(|r| width(r) <= 44), "{got:?}");
        let note = rows(
            "note · two  spaces  here and then a long tail of words to wrap",
            46,
        );
        assert!(note.iter().all(|r| width(r) <= 46), "{note:?}");
        let words = note
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            words.ends_with("here and then a long tail of words to wrap"),
            "{note:?}"
        );
        assert!(text.contains("by Friday"), "{got:?}");
        assert!(
            got.iter()
                .skip(1)
                .all(|r| r.starts_with("  ") && !r.starts_with("   ")),
            "{got:?}"
        );
        let tabbed = rows("note ·\tone\t\ttwo  three   four five six seven eight", 20);
        let words: Vec<&str> = tabbed.iter().flat_map(|r| r.split_whitespace()).collect();
        assert_eq!(
            words,
            [
                "#4", "00:35:15", "note", "·", "one", "two", "three", "four", "five", "six",
                "seven", "eight"
            ],
            "{tabbed:?}"
        );
    }
}
