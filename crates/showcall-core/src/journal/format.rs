//! The line format: one [`Entry`] ⇄ one JSON object on one line.
//!
//! Owns field names, their order on output, and what a reader accepts:
//! unknown fields are ignored, unknown kinds are kept as `Kind::Unknown`.
//! Knows nothing about files, seqs in sequence, or sessions.

use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat};
use serde_json::{Map, Value};

use super::{AgendaChange, ClockRecord, Entry, FORMAT_VERSION, JournalClock, Kind};

mod raw;

use raw::{Raw, from_raw};

/// Why one line is not an entry. `offset..offset + len` is the byte span in
/// the line to point at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// Lowercase, no final period, bad value quoted.
    pub message: String,
    /// 0-based byte offset in the line.
    pub offset: usize,
    /// Bytes to underline (at least 1).
    pub len: usize,
}

impl ParseError {
    fn whole(message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
            offset: 0,
            len: 1,
        }
    }

    fn at_field(line: &[u8], field: &str, message: impl Into<String>) -> Self {
        let (offset, len) = field_value_span(line, field).unwrap_or((0, 1));
        ParseError {
            message: message.into(),
            offset,
            len,
        }
    }
}

/// Fields every line has; never copied into `Kind::Unknown::fields`.
const RESERVED: [&str; 5] = ["v", "seq", "at", "kind", "source"];

impl Entry {
    /// The entry as one line of JSON, without the newline. Fields are in a
    /// fixed order: `v`, `seq`, `at`, `kind`, then the kind's fields; `None`
    /// fields are omitted.
    pub fn to_line(&self) -> String {
        let mut s = String::with_capacity(128);
        let _ = write!(s, "{{\"v\":{},\"seq\":{},\"at\":", self.v, self.seq);
        push_str(
            &mut s,
            &self.at.to_rfc3339_opts(SecondsFormat::AutoSi, false),
        );
        s.push_str(",\"kind\":");
        push_str(&mut s, self.kind.name());
        write_kind(&mut Fields(&mut s), &self.kind);
        if let Some(source) = self.source {
            s.push_str(",\"source\":");
            push_str(&mut s, source.name());
        }
        s.push('}');
        s
    }

    /// Parses one line (with or without its newline).
    pub fn parse_line(line: &str) -> Result<Entry, ParseError> {
        parse_bytes(line.as_bytes())
    }
}

/// Parses one line given as bytes; invalid UTF-8 is an error, not a panic.
pub(crate) fn parse_bytes(line: &[u8]) -> Result<Entry, ParseError> {
    // serde would also accept a JSON array as the fields in order.
    match line.iter().position(|b| !b.is_ascii_whitespace()) {
        Some(i) if line[i] == b'{' => {}
        Some(i) => {
            return Err(ParseError {
                message: "expected a JSON object '{...}'".to_owned(),
                offset: i,
                len: 1,
            });
        }
        None => return Err(ParseError::whole("empty line")),
    }
    match serde_json::from_slice::<Raw>(line) {
        Ok(mut raw) => from_raw(&mut raw, line),
        Err(e) => {
            // A future kind may give a known field another type; that is
            // still an unknown kind, not a damaged line.
            if let Ok(map) = serde_json::from_slice::<Map<String, Value>>(line)
                && let Some(Value::String(kind)) = map.get("kind")
                && !Kind::is_known_name(kind)
            {
                return unknown_from_map(map, line);
            }
            Err(serde_error(e, line))
        }
    }
}

fn serde_error(e: serde_json::Error, line: &[u8]) -> ParseError {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; we give the location ourselves.
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    };
    let msg = msg.replace('`', "'");
    let offset = if e.line() <= 1 {
        e.column().saturating_sub(1)
    } else {
        // A raw newline inside the line cannot happen after splitting, but
        // be safe for callers of `parse_line`.
        line.len()
    };
    let offset = offset.min(line.len().saturating_sub(1));
    // serde quotes the bad value ("invalid type: string \"…\""): input text.
    let msg = crate::text::sanitize(&msg).into_owned();
    let message = match e.classify() {
        serde_json::error::Category::Eof => format!("line ends early: {msg}"),
        _ => msg,
    };
    ParseError {
        message,
        offset,
        len: 1,
    }
}

/// The kind's own fields, in their fixed order, after `kind`.
fn write_kind(f: &mut Fields<'_>, kind: &Kind) {
    match kind {
        Kind::Open {
            agenda,
            sha256,
            version,
            clock,
        } => {
            f.str("agenda", agenda);
            f.str("sha256", sha256);
            f.str("version", version);
            if let Some(c) = clock {
                write_clock(f, c);
            }
        }
        Kind::Start { session } | Kind::End { session } | Kind::FloorClose { session } => {
            f.str("session", session);
        }
        Kind::Overrun {
            session,
            over_s,
            note,
        } => {
            f.str("session", session);
            f.int("over_s", *over_s);
            f.str("note", note);
        }
        Kind::Adjust {
            session,
            delta_s,
            note,
        } => {
            f.str("session", session);
            f.int("delta_s", *delta_s);
            f.opt("note", note);
        }
        Kind::Skip { session, note } => {
            f.str("session", session);
            f.str("note", note);
        }
        Kind::Speaker { .. } | Kind::Floor { .. } | Kind::FloorName { .. } => {
            write_who_speaks(f, kind);
        }
        Kind::Message { .. } | Kind::Note { .. } | Kind::Action { .. } => write_words(f, kind),
        Kind::Hold { .. } | Kind::Resume { .. } | Kind::StartFix { .. } => {
            write_safe_hands(f, kind);
        }
        Kind::Undo { target } => {
            let _ = write!(f.0, ",\"target\":{target}");
        }
        Kind::Agenda(c) => write_agenda(f, c),
        Kind::ClockStep { step_s, note } => {
            let _ = write!(f.0, ",\"step_s\":{step_s}");
            f.opt("note", note);
        }
        Kind::CueFailed {
            cue,
            on,
            session,
            target,
            error,
        } => {
            f.str("cue", cue);
            f.str("on", on);
            f.opt("session", session);
            f.str("target", target);
            f.str("error", error);
        }
        Kind::Unknown { fields, .. } => write_unknown(f, fields),
    }
}

/// `speaker`, `floor` and `floor_name`: who has the word.
fn write_who_speaks(f: &mut Fields<'_>, kind: &Kind) {
    match kind {
        Kind::Speaker {
            session,
            change,
            from,
            to,
            note,
        } => {
            f.str("session", session);
            f.str("change", change.as_str());
            f.opt("from", from);
            f.opt("to", to);
            f.opt("note", note);
        }
        Kind::Floor { session, speaker } => {
            f.str("session", session);
            f.opt("speaker", speaker);
        }
        Kind::FloorName {
            session,
            floor,
            speaker,
        } => {
            f.str("session", session);
            let _ = write!(f.0, ",\"floor\":{floor}");
            f.str("speaker", speaker);
        }
        _ => {} // the other kinds are written by `write_kind`
    }
}

/// `message`, `note` and `action`: words for the room or the record.
fn write_words(f: &mut Fields<'_>, kind: &Kind) {
    match kind {
        Kind::Message { text } => f.str("text", text),
        Kind::Note { text, session } => {
            f.str("text", text);
            f.opt("session", session);
        }
        Kind::Action {
            text,
            who,
            by,
            session,
        } => {
            f.str("text", text);
            f.opt("who", who);
            f.opt("by", by);
            f.opt("session", session);
        }
        _ => {} // the other kinds are written by `write_kind`
    }
}

/// `hold`, `resume` and `start_fix`.
fn write_safe_hands(f: &mut Fields<'_>, kind: &Kind) {
    match kind {
        Kind::Hold { session, reason } => {
            f.opt("session", session);
            f.opt("reason", reason);
        }
        Kind::Resume { session } => f.opt("session", session),
        Kind::StartFix {
            session,
            start,
            note,
        } => {
            f.str("session", session);
            f.str(
                "start",
                &start.to_rfc3339_opts(SecondsFormat::AutoSi, false),
            );
            f.opt("note", note);
        }
        _ => {} // the other kinds are written by `write_kind`
    }
}

/// An `agenda` entry: the new plan's hash, what changed, and the old plan
/// of what changed (`was`, left out when empty).
fn write_agenda(f: &mut Fields<'_>, c: &AgendaChange) {
    f.str("sha256", &c.sha256);
    f.list("added", &c.added);
    f.list("removed", &c.removed);
    f.list("retimed", &c.retimed);
    f.list("retitled", &c.retitled);
    if c.was.is_empty() {
        return;
    }
    f.0.push_str(",\"was\":[");
    for (i, p) in c.was.iter().enumerate() {
        if i > 0 {
            f.0.push(',');
        }
        f.0.push_str("{\"session\":");
        push_str(f.0, &p.session);
        let mut g = Fields(f.0);
        g.str("title", &p.title);
        g.str(
            "start",
            &p.start.to_rfc3339_opts(SecondsFormat::AutoSi, false),
        );
        g.str("end", &p.end.to_rfc3339_opts(SecondsFormat::AutoSi, false));
        f.0.push('}');
    }
    f.0.push(']');
}

/// A kind this version does not know: its fields as they were read.
fn write_unknown(f: &mut Fields<'_>, fields: &Map<String, Value>) {
    for (k, v) in fields {
        if RESERVED.contains(&k.as_str()) {
            continue;
        }
        f.0.push(',');
        push_str(f.0, k);
        f.0.push(':');
        let _ = write!(f.0, "{v}");
    }
}

fn write_clock(f: &mut Fields<'_>, c: &ClockRecord) {
    match c.clock {
        JournalClock::Real => f.str("clock", "real"),
        JournalClock::Show { wall, show, speed } => {
            f.str("clock", "show");
            f.str(
                "clock_wall",
                &wall
                    .with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(SecondsFormat::AutoSi, true),
            );
            f.str(
                "clock_show",
                &show.to_rfc3339_opts(SecondsFormat::AutoSi, false),
            );
            // Rust's float Display is the shortest text that reads back the
            // same, and a speed is always finite.
            let _ = write!(f.0, ",\"clock_speed\":{speed}");
        }
    }
    if let Some(s) = c.shift_s {
        f.int("shift_s", s);
    }
}

/// The largest magnitude of `over_s`, `delta_s` (seconds): a week, the
/// agenda's own cap on a duration. Past it a value is a typo or damage, and
/// the time arithmetic downstream stays far from overflowing.
pub const MAX_SECONDS: i64 = 7 * 24 * 3600;

/// The largest magnitude of an `open` entry's `shift_s` (seconds): a
/// rehearsal moves an agenda by years at most; 100 years.
pub const MAX_SHIFT_SECONDS: i64 = 100 * 366 * 24 * 3600;

/// The fastest show clock an `open` entry may record (as `--speed`).
pub const MAX_CLOCK_SPEED: f64 = 10_000.0;

/// A number in a well-formed entry that is out of its range: the entry is
/// kept out of every reader's view (a located diagnostic from `check`, a
/// skipped entry with a warning elsewhere), so no arithmetic downstream
/// ever sees it. `None` when every number is in range.
pub fn out_of_range(entry: &Entry, line: &[u8]) -> Option<ParseError> {
    let seconds = |field: &str, v: i64| {
        (v.checked_abs().is_none_or(|a| a > MAX_SECONDS)).then(|| {
            ParseError::at_field(
                line,
                field,
                format!(
                    "'{field}' {v} is out of range: at most {MAX_SECONDS} seconds (a week) either way"
                ),
            )
        })
    };
    match &entry.kind {
        Kind::Overrun { over_s, .. } => seconds("over_s", *over_s),
        Kind::Adjust { delta_s, .. } => seconds("delta_s", *delta_s),
        Kind::ClockStep { step_s, .. }
            if step_s.checked_abs().is_none_or(|a| a > MAX_SHIFT_SECONDS) =>
        {
            Some(ParseError::at_field(
                line,
                "step_s",
                format!(
                    "'step_s' {step_s} is out of range: at most {MAX_SHIFT_SECONDS} seconds (100 years) either way"
                ),
            ))
        }
        Kind::Open { clock: Some(c), .. } => {
            if let Some(s) = c.shift_s
                && s.checked_abs().is_none_or(|a| a > MAX_SHIFT_SECONDS)
            {
                return Some(ParseError::at_field(
                    line,
                    "shift_s",
                    format!(
                        "'shift_s' {s} is out of range: at most {MAX_SHIFT_SECONDS} seconds (100 years) either way"
                    ),
                ));
            }
            match c.clock {
                JournalClock::Show { speed, .. } if speed > MAX_CLOCK_SPEED => {
                    Some(ParseError::at_field(
                        line,
                        "clock_speed",
                        format!("'clock_speed' {speed} is out of range: at most {MAX_CLOCK_SPEED}"),
                    ))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// A line whose kind this version does not know: the common fields must
/// still be right, everything else is kept as it is.
fn unknown_from_map(mut map: Map<String, Value>, line: &[u8]) -> Result<Entry, ParseError> {
    let v = match map.remove("v") {
        Some(Value::Number(n)) => n.as_u64().filter(|&v| v >= 1 && v <= u64::from(u32::MAX)),
        None => return Err(ParseError::whole("missing field 'v'")),
        _ => None,
    }
    .ok_or_else(|| ParseError::at_field(line, "v", "'v' must be a format version (1, 2, …)"))?;
    let seq = match map.remove("seq") {
        Some(Value::Number(n)) => n.as_u64().filter(|&s| s >= 1),
        None => return Err(ParseError::whole("missing field 'seq'")),
        _ => None,
    }
    .ok_or_else(|| ParseError::at_field(line, "seq", "'seq' must be a whole number from 1"))?;
    let at = match map.remove("at") {
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(&s).ok(),
        None => return Err(ParseError::whole("missing field 'at'")),
        _ => None,
    }
    .ok_or_else(|| {
        ParseError::at_field(line, "at", "'at' is not an RFC 3339 time with an offset")
    })?;
    let kind = match map.remove("kind") {
        Some(Value::String(s)) => s,
        _ => return Err(ParseError::whole("missing field 'kind'")),
    };
    let source = source_of(map.remove("source").as_ref());
    Ok(Entry {
        v: v as u32,
        seq,
        at,
        kind: Kind::Unknown { kind, fields: map },
        source,
    })
}

/// The `source` field's value: a string names a [`Source`] (an unknown one
/// is `Source::Other`); anything else is read as if absent.
pub(crate) fn source_of(value: Option<&Value>) -> Option<super::Source> {
    match value {
        Some(Value::String(s)) => Some(super::Source::from_name(s)),
        _ => None,
    }
}

/// The byte span of the value of top-level-looking `"field":` in the line,
/// for pointing a caret at it. Good enough for diagnostics: it finds the
/// first occurrence, which is where our writer puts it.
pub(crate) fn field_value_span(line: &[u8], field: &str) -> Option<(usize, usize)> {
    let key = format!("\"{field}\"");
    let mut from = 0;
    while let Some(i) = find(&line[from..], key.as_bytes()) {
        let mut j = from + i + key.len();
        while j < line.len() && line[j].is_ascii_whitespace() {
            j += 1;
        }
        if line.get(j) == Some(&b':') {
            j += 1;
            while j < line.len() && line[j].is_ascii_whitespace() {
                j += 1;
            }
            let end = value_end(line, j);
            return Some((j, (end - j).max(1)));
        }
        from = from + i + 1;
    }
    None
}

fn value_end(line: &[u8], start: usize) -> usize {
    if line.get(start) == Some(&b'"') {
        let mut k = start + 1;
        while k < line.len() {
            match line[k] {
                b'\\' => k += 2,
                b'"' => return k + 1,
                _ => k += 1,
            }
        }
        return line.len();
    }
    let mut k = start;
    while k < line.len() && !matches!(line[k], b',' | b'}') {
        k += 1;
    }
    k.min(line.len())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

struct Fields<'a>(&'a mut String);

impl Fields<'_> {
    fn str(&mut self, name: &str, value: &str) {
        let _ = write!(self.0, ",\"{name}\":");
        push_str(self.0, value);
    }

    fn opt(&mut self, name: &str, value: &Option<String>) {
        if let Some(v) = value {
            self.str(name, v);
        }
    }

    /// A list of strings; left out when empty.
    fn list(&mut self, name: &str, values: &[String]) {
        if values.is_empty() {
            return;
        }
        let _ = write!(self.0, ",\"{name}\":[");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            push_str(self.0, v);
        }
        self.0.push(']');
    }

    fn int(&mut self, name: &str, value: i64) {
        let _ = write!(self.0, ",\"{name}\":{value}");
    }
}

/// Appends `value` as a JSON string. Control characters are escaped, so a
/// line never contains a raw newline whatever the text.
fn push_str(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// True when `v` is a version this program writes; newer ones are read as
/// well as we can, with a warning.
pub(crate) fn is_current(v: u32) -> bool {
    v <= FORMAT_VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_span_points_at_value() {
        let line = br#"{"v":1,"seq":"x","at":"2023"}"#;
        let (o, l) = field_value_span(line, "seq").unwrap();
        assert_eq!(&line[o..o + l], br#""x""#);
        let (o, l) = field_value_span(line, "v").unwrap();
        assert_eq!(&line[o..o + l], b"1");
    }

    /// `source` is written after the kind's fields, read back the same, and
    /// left out for the keyboard; an unknown value or type never refuses
    /// the line; an unknown kind keeps it out of its copied fields.
    #[test]
    fn source_round_trips_and_never_refuses() {
        use crate::journal::Source;
        let at = DateTime::parse_from_rfc3339("2023-06-22T15:00:00+02:00").unwrap();
        let mut e = Entry::new(
            3,
            at,
            Kind::End {
                session: "panel".into(),
            },
        );
        assert!(!e.to_line().contains("source"));
        e.source = Some(Source::Osc);
        let line = e.to_line();
        assert!(
            line.ends_with(r#""session":"panel","source":"osc"}"#),
            "{line}"
        );
        assert_eq!(Entry::parse_line(&line).unwrap(), e);
        let read = |l: &str| Entry::parse_line(l).unwrap().source;
        let base = r#"{"v":1,"seq":1,"at":"2023-06-22T15:00:00+02:00","kind":"end","session":"x""#;
        assert_eq!(read(&format!("{base}}}")), None);
        assert_eq!(
            read(&format!("{base},\"source\":\"key\"}}")),
            Some(Source::Key)
        );
        assert_eq!(
            read(&format!("{base},\"source\":\"http\"}}")),
            Some(Source::Http)
        );
        assert_eq!(
            read(&format!("{base},\"source\":\"midi\"}}")),
            Some(Source::Other)
        );
        assert_eq!(read(&format!("{base},\"source\":7}}")), None);
        let unknown = r#"{"v":1,"seq":1,"at":"2023-06-22T15:00:00+02:00","kind":"later","x":1,"source":"http"}"#;
        let u = Entry::parse_line(unknown).unwrap();
        assert_eq!(u.source, Some(Source::Http));
        assert_eq!(u.to_line(), unknown);
    }
}
