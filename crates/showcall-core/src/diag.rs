//! Located, human-readable diagnostics for bad input (agenda and journal files).
//!
//! Owns the `FILE:LINE:COL: message` format, the quoted source line and the
//! caret under the fault. It knows nothing about TOML or JSON: callers give
//! byte offsets, this module turns them into lines and columns.

use std::fmt;

use crate::text::sanitize;

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line; 0 when the problem has no location (a missing file).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// Lowercase, no final period, bad value quoted.
    pub message: String,
    /// The offending source line, already made safe for a terminal.
    pub source_line: Option<String>,
    /// How many characters the caret spans (at least 1).
    pub caret_len: usize,
    /// How to fix it, when we can say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with the file as a whole (missing, unreadable, too big).
    pub fn file_level(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            col: 0,
            message: message.into(),
            source_line: None,
            caret_len: 1,
            help: None,
        }
    }

    /// A problem at a byte span of `src`. Finds the line by scanning `src`:
    /// for many problems in one text, build a [`LineIndex`] once and use
    /// [`Diagnostic::at_indexed`].
    pub fn at(
        file: impl Into<String>,
        src: &str,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::at_indexed(file, src, &LineIndex::new(src), span, message)
    }

    /// [`Diagnostic::at`] with the line starts found once: the cost is the
    /// length of the faulty line, not of the file before it.
    pub fn at_indexed(
        file: impl Into<String>,
        src: &str,
        index: &LineIndex,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(src, span.start.min(src.len()));
        let end = floor_char_boundary(src, span.end.min(src.len())).max(start);
        let line = index.line_of(start);
        let line_start = index.starts[line - 1].min(start);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        let col = src[line_start..start].chars().count() + 1;
        let text = src[line_start..line_end].trim_end_matches('\r');
        let caret_len = src[start..end.min(line_end)].chars().count().max(1);
        Diagnostic {
            file: file.into(),
            line,
            col,
            message: message.into(),
            source_line: Some(sanitize(text).into_owned()),
            caret_len,
            help: None,
        }
    }

    /// The same problem with a `help` line that says how to fix it (printed as
    /// `= help: …` under the caret).
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Where each line of a text starts, found once: 1-based line numbers of
/// byte offsets by binary search.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The line starts of `src`, found in one pass (O(length of `src`)).
    pub fn new(src: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every part of a diagnostic that can hold input text (the file name, the
/// quoted value in the message, the source line, the help) passes through
/// [`sanitize`] here, on the way out: a diagnostic never carries a control
/// character, an escape sequence or a bidi override to a terminal or a file.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (file, message) = (sanitize(&self.file), sanitize(&self.message));
        if self.line == 0 {
            write!(f, "{file}: {message}")?;
        } else {
            write!(f, "{file}:{}:{}: {message}", self.line, self.col)?;
        }
        if let Some(src) = &self.source_line {
            let src = sanitize(src);
            let gutter = self.line.to_string().len();
            write!(
                f,
                "\n{:gutter$} |\n{} | {}\n{:gutter$} | ",
                "", self.line, src, ""
            )?;
            // Columns, not characters: under a wide character (会) the
            // caret moves two columns, under a combining mark none.
            let before: String = src.chars().take(self.col.saturating_sub(1)).collect();
            let under: String = src
                .chars()
                .skip(self.col.saturating_sub(1))
                .take(self.caret_len)
                .collect();
            let pad = crate::text::width(&before)
                + self
                    .col
                    .saturating_sub(1)
                    .saturating_sub(before.chars().count());
            let len =
                crate::text::width(&under) + self.caret_len.saturating_sub(under.chars().count());
            write!(f, "{}{}", " ".repeat(pad), "^".repeat(len.max(1)))?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {}", sanitize(help))?;
        }
        Ok(())
    }
}

/// Every problem found in one file, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} problem{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column() {
        let src = "a = 1\nbb = \"x\"\n";
        let d = Diagnostic::at("f.toml", src, 11..14, "bad value");
        assert_eq!((d.line, d.col, d.caret_len), (2, 6, 3));
        let shown = d.to_string();
        assert!(shown.starts_with("f.toml:2:6: bad value"), "{shown}");
        assert!(shown.contains("2 | bb = \"x\""), "{shown}");
        assert!(shown.ends_with("  |      ^^^"), "{shown}");
    }

    #[test]
    fn the_caret_counts_columns() {
        // `t = "会議" x`: x is the 10th character but sits in column 12,
        // since 会 and 議 take two columns each.
        let src = "t = \"会議\" x\n";
        let x = src.find('x').unwrap();
        let d = Diagnostic::at("f.toml", src, x..x + 1, "bad x");
        assert_eq!(d.col, 10);
        let shown = d.to_string();
        let caret = shown.lines().last().unwrap();
        // "  | " then 11 spaces and the caret.
        assert_eq!(caret, format!("  | {}^", " ".repeat(11)), "{shown}");
        // A caret under the wide value spans its 4 columns.
        let v = src.find('会').unwrap();
        let d = Diagnostic::at("f.toml", src, v..v + "会議".len(), "bad value");
        assert!(
            d.to_string().ends_with(&format!("{}^^^^", " ".repeat(5))),
            "{d}"
        );
    }
}
