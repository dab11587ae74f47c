//! `showcall check --journal PATH`: every problem of a journal, located
//! as `PATH:LINE:COL`, with what it means and what to do. Changes nothing.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use crate::diag::Diagnostic;

use super::format::field_value_span;
use super::replay::{line_diag, read_path, scan, torn_warning};
use super::{Entry, Kind, withdrawn};

/// The report of `showcall check --journal PATH`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JournalCheck {
    /// The journal's path as given, for the `PATH:LINE:COL` of every
    /// diagnostic.
    pub file: String,
    /// Entries that parsed (including any after a problem).
    pub entries: usize,
    /// Entries per kind tag, in tag order.
    pub counts: BTreeMap<String, usize>,
    /// How many entries are withdrawn by undos.
    pub withdrawn: usize,
    /// Damage that stops writing, in file order.
    pub problems: Vec<Diagnostic>,
    /// Entries every reader skips: a number out of range. Bad input (check
    /// exits 2), though a writer can still append.
    pub skipped: Vec<Diagnostic>,
    /// Things to look at that do not stop writing.
    pub warnings: Vec<Diagnostic>,
}

impl JournalCheck {
    /// True when a writer could open and append to this journal.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// True when nothing in it is bad: no damage and no skipped entry.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.skipped.is_empty()
    }
}

/// Checks a journal without changing it: every problem at once, the torn
/// tail, an agenda whose bytes differ from the `open` entry's sha256, and
/// entries naming sessions the agenda lacks (kept, reported).
pub fn check(
    path: &Path,
    agenda_sha256: Option<&str>,
    known_sessions: Option<&dyn Fn(&str) -> bool>,
) -> JournalCheck {
    let file = path.display().to_string();
    let bytes = match read_path(path) {
        Ok(b) => b,
        Err(e) => {
            return JournalCheck {
                problems: vec![Diagnostic::file_level(
                    &file,
                    format!("cannot read the journal: {e}"),
                )],
                file,
                ..JournalCheck::default()
            };
        }
    };
    check_bytes(&file, &bytes, agenda_sha256, known_sessions)
}

/// A warning at every entry stamped earlier than the latest line before it:
/// the system clock was set back while the journal was written (showcall
/// now keeps the show's time forward and journals a `clock_step` instead).
fn backwards(
    file: &str,
    bytes: &[u8],
    entries: &[Entry],
    lines: &[(usize, Range<usize>)],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut latest: Option<&Entry> = None;
    // A stray is said as one, not as a clock set back.
    let strays_before = crate::journal::stray_limit(entries);
    for (e, (line, range)) in entries.iter().zip(lines) {
        let stray = strays_before.is_some_and(|l| e.at.with_timezone(&chrono::Utc) < l);
        match latest {
            Some(_) if stray => {}
            Some(l) if e.at < l.at => {
                let text = &bytes[range.clone()];
                let span = field_value_span(text, "at").map_or(0..1, |(o, n)| o..o + n);
                let message = format!(
                    "stamped {} before seq {} above it: the clock went backwards while this \
                     journal was written",
                    crate::text::hms((l.at - e.at).num_seconds()),
                    l.seq
                );
                out.push(line_diag(file, *line, text, span, message).with_help(
                    "every reader takes the entries in time order; a note can say what really happened",
                ));
            }
            _ => latest = Some(e),
        }
    }
    out
}

/// [`check`] for bytes already in memory; `file` is the name used in diagnostics.
pub fn check_bytes(
    file: &str,
    bytes: &[u8],
    agenda_sha256: Option<&str>,
    known_sessions: Option<&dyn Fn(&str) -> bool>,
) -> JournalCheck {
    let s = scan(file, bytes);
    let mut warnings = s.warnings;
    if let Some((_, line)) = &s.torn {
        warnings.push(
            torn_warning(file, &s.torn_text, *line)
                .with_help("the next writer moves it to a .torn- file beside the journal"),
        );
    }
    if let Some(expected) = agenda_sha256 {
        // The agenda the journal last recorded: the newest `agenda` entry
        // (a reload during the show), else the `open` entry's.
        let open = s
            .entries
            .iter()
            .zip(&s.lines)
            .rev()
            .find_map(|(e, l)| match &e.kind {
                Kind::Open { sha256, .. } => Some((sha256, l)),
                Kind::Agenda(c) => Some((&c.sha256, l)),
                _ => None,
            });
        if let Some((sha, (line, range))) = open
            && !sha.eq_ignore_ascii_case(expected)
        {
            let (line, text) = (*line, &bytes[range.clone()]);
            let span = field_value_span(text, "sha256").map_or(0..1, |(o, l)| o..o + l);
            warnings.push(line_diag(
                file,
                line,
                text,
                span,
                "the agenda changed since this journal was opened (sha256 differs): sessions still match by id",
            ));
        }
    }
    if let Some(known) = known_sessions {
        for (e, (line, range)) in s.entries.iter().zip(&s.lines) {
            if let Some(session) = e.kind.session()
                && !known(session)
            {
                let (line, text) = (*line, &bytes[range.clone()]);
                let span = field_value_span(text, "session").map_or(0..1, |(o, l)| o..o + l);
                warnings.push(line_diag(
                    file,
                    line,
                    text,
                    span,
                    format!(
                        "session '{}' is not in the agenda: entry kept, ignored by the show",
                        crate::text::sanitize(session)
                    ),
                ));
            }
        }
    }
    // Entries no real clock of this journal stamped: left out by every
    // reader, said once here.
    if let Some(limit) = super::stray_limit(&s.entries) {
        let mut strays = s
            .entries
            .iter()
            .zip(&s.lines)
            .filter(|(e, _)| e.at.with_timezone(&chrono::Utc) < limit);
        if let Some((e, (line, range))) = strays.next() {
            let more = strays.count();
            let (line, text) = (*line, &bytes[range.clone()]);
            let span = field_value_span(text, "at").map_or(0..1, |(o, l)| o..o + l);
            let mut reason = super::stray_reason(e, limit);
            if more > 0 {
                reason.push_str(&format!(
                    " (and {} more like it)",
                    crate::text::count(more, "entry", "entries")
                ));
            }
            warnings.push(line_diag(file, line, text, span, reason).with_help(
                "to start clean, move this file away (e.g. to agenda.journal.old.jsonl): \
                 the next run begins a new journal",
            ));
        }
    }
    warnings.extend(backwards(file, bytes, &s.entries, &s.lines));
    warnings.sort_by_key(|d| d.line);
    let mut counts = BTreeMap::new();
    for e in &s.entries {
        *counts.entry(e.kind.name().to_owned()).or_insert(0) += 1;
    }
    JournalCheck {
        file: file.to_owned(),
        entries: s.entries.len(),
        counts,
        withdrawn: withdrawn(&s.entries).len(),
        problems: s.problems,
        skipped: s.skipped,
        warnings,
    }
}

impl fmt::Display for JournalCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.problems.iter().chain(&self.skipped) {
            writeln!(f, "{d}")?;
        }
        for d in &self.warnings {
            let mut w = d.clone();
            w.message = format!("warning: {}", w.message);
            writeln!(f, "{w}")?;
        }
        let kinds: Vec<String> = self
            .counts
            .iter()
            .map(|(k, n)| format!("{n} {}", crate::text::sanitize(k)))
            .collect();
        write!(
            f,
            "{}: {} entr{}",
            crate::text::sanitize(&self.file),
            self.entries,
            if self.entries == 1 { "y" } else { "ies" }
        )?;
        if !kinds.is_empty() {
            write!(f, " ({})", kinds.join(", "))?;
        }
        write!(f, ", {} withdrawn", self.withdrawn)?;
        if !self.skipped.is_empty() {
            write!(f, ", {} skipped (out of range)", self.skipped.len())?;
        }
        let (p, w) = (self.problems.len(), self.warnings.len());
        write!(
            f,
            "; {p} problem{}, {w} warning{}",
            if p == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" }
        )?;
        if p > 0 {
            write!(f, "; writing is stopped until the problems are fixed")?;
        }
        Ok(())
    }
}
