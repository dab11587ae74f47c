//! Text that is safe to show, and the few time formats every view shares.
//!
//! Agenda and journal text comes from files we do not control. Nothing from
//! them may reach a terminal or a report file as a control character or an
//! escape sequence: `sanitize` is the one gate they all pass through.

use std::borrow::Cow;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// True for characters that must never reach a terminal: C0 and C1 controls
/// (ESC, CSI, BEL, …), DEL, bidirectional marks, embeddings, overrides and
/// isolates that can disguise text, and the Unicode line and paragraph
/// separators that break a line where no newline is seen.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Replaces every unsafe character with U+FFFD, and tabs/newlines with spaces.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c if is_unsafe_char(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// [`sanitize`] for text of several lines (a block of diagnostics): each
/// line is sanitised, the `\n` between them kept. A `\r` is dropped, so
/// nothing can return the cursor to overwrite what was printed.
pub fn sanitize_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe_char(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.split('\n')
            .map(|l| sanitize(l.strip_suffix('\r').unwrap_or(l)))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// A path as text safe to print: file names are input too.
pub fn path_text(p: &std::path::Path) -> String {
    sanitize(&p.display().to_string()).into_owned()
}

/// `m:ss` or `h:mm:ss` for a non-negative number of seconds; negative input
/// is shown by its magnitude (callers add the sign or the word).
///
/// ```
/// use showcall::text::hms;
/// assert_eq!(hms(270), "4:30");
/// assert_eq!(hms(-80), "1:20");
/// assert_eq!(hms(3725), "1:02:05");
/// ```
pub fn hms(secs: i64) -> String {
    let s = secs.unsigned_abs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// Like `hms`, with an explicit sign: `+4:30`, `-0:45`, `0:00`.
pub fn signed_hms(secs: i64) -> String {
    match secs.signum() {
        1 => format!("+{}", hms(secs)),
        -1 => format!("-{}", hms(secs)),
        _ => hms(0),
    }
}

/// A human duration: `10m`, `1h30m`, `90s` → `1m30s`.
pub fn human_duration(d: TimeDelta) -> String {
    let s = d.num_seconds();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if sec > 0 || out.is_empty() {
        out.push_str(&format!("{sec}s"));
    }
    out
}

/// `15:00` in the zone.
pub fn clock_hm(t: DateTime<Utc>, tz: Tz) -> String {
    tz.from_utc_datetime(&t.naive_utc())
        .format("%H:%M")
        .to_string()
}

/// `15:00:07` in the zone.
pub fn clock_hms(t: DateTime<Utc>, tz: Tz) -> String {
    tz.from_utc_datetime(&t.naive_utc())
        .format("%H:%M:%S")
        .to_string()
}

/// The zone's abbreviation at that instant: `CEST`, `CET`, `UTC`, `EDT`.
pub fn zone_abbr(t: DateTime<Utc>, tz: Tz) -> String {
    tz.from_utc_datetime(&t.naive_utc())
        .format("%Z")
        .to_string()
}

/// The zone's offset at that instant: `UTC+02:00`.
pub fn utc_offset(t: DateTime<Utc>, tz: Tz) -> String {
    format!("UTC{}", tz.from_utc_datetime(&t.naive_utc()).format("%:z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_escapes() {
        assert_eq!(sanitize("ok"), "ok");
        assert_eq!(sanitize("a\x1b[2Jb"), "a\u{FFFD}[2Jb");
        assert_eq!(sanitize("a\u{9b}b\x07"), "a\u{FFFD}b\u{FFFD}");
        assert_eq!(sanitize("two\nlines"), "two lines");
        assert_eq!(sanitize("rtl\u{202E}x"), "rtl\u{FFFD}x");
        assert_eq!(sanitize("a\u{2028}b\u{61C}"), "a\u{FFFD}b\u{FFFD}");
    }

    #[test]
    fn sanitize_lines_keeps_line_breaks_only() {
        assert_eq!(sanitize_lines("a\nb"), "a\nb");
        // ESC ] 52 ; c ; … BEL is a clipboard write; CR would overwrite the line.
        assert_eq!(
            sanitize_lines("x\x1b]52;c;SGVsbG8=\x07\r\ny\rz"),
            "x\u{FFFD}]52;c;SGVsbG8=\u{FFFD}\ny z"
        );
    }

    #[test]
    fn formats_durations() {
        assert_eq!(hms(0), "0:00");
        assert_eq!(hms(59), "0:59");
        assert_eq!(hms(270), "4:30");
        assert_eq!(hms(3725), "1:02:05");
        assert_eq!(signed_hms(-45), "-0:45");
        assert_eq!(signed_hms(270), "+4:30");
        assert_eq!(human_duration(TimeDelta::seconds(5400)), "1h30m");
        assert_eq!(human_duration(TimeDelta::seconds(90)), "1m30s");
    }
}
