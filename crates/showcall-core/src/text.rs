//! Text that is safe to show, and the few time formats every view shares.
//!
//! Agenda and journal text comes from files we do not control. Nothing from
//! them may reach a terminal or a report file as a control character or an
//! escape sequence: `sanitize` is the one gate they all pass through.

use std::borrow::Cow;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

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

/// The most of one journal text (a note, a message, a reason) a screen or
/// a status line shows, in bytes: about 13 rows of a 300-column terminal.
pub const SHOWN_MAX: usize = 4096;

/// `s` cut to [`SHOWN_MAX`] bytes at a character boundary, with "…" when
/// cut: done before sanitising or wrapping, so the cost of drawing a text
/// does not grow with its length (a 10 MB note costs what a short one does).
///
/// ```
/// use showcall_core::text::{clip, SHOWN_MAX};
/// assert_eq!(clip("short"), "short");
/// let long = "é".repeat(SHOWN_MAX);
/// let cut = clip(&long);
/// assert!(cut.len() <= SHOWN_MAX + "…".len() && cut.ends_with('…'));
/// ```
pub fn clip(s: &str) -> Cow<'_, str> {
    if s.len() <= SHOWN_MAX {
        return Cow::Borrowed(s);
    }
    let mut end = SHOWN_MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", &s[..end]))
}

/// `s` with `&`, `<`, `>`, `"` and `'` written as XML entities, for XML
/// or HTML content and attribute values. It does not sanitise: give it
/// text that [`sanitize`] already cleaned.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
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

/// The number of terminal columns `s` takes: `width("ab")` is 2,
/// `width("会議")` 4, `width("e\u{301}")` 1. Meant for sanitised text
/// (a control character counts as 0 here and is unsafe anyway).
pub fn width(s: &str) -> usize {
    // Printable ASCII is one column a byte: the usual case, every second,
    // without splitting into graphemes.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.len();
    }
    s.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// `s` cut to at most `cols` columns, ending with `…` (1 column) when cut;
/// a grapheme (a letter with its accents, an emoji sequence, a wide
/// character) is kept whole or left out whole. `cols` 0 gives "".
///
/// ```
/// use showcall_core::text::truncate;
/// assert_eq!(truncate("Welcome", 5), "Welc…");
/// assert_eq!(truncate("会議室です", 6), "会議…"); // 2+2+1; a third 会-width would need 7
/// assert_eq!(truncate("Welcome", 7), "Welcome");
/// ```
pub fn truncate(s: &str, cols: usize) -> Cow<'_, str> {
    if width(s) <= cols {
        return Cow::Borrowed(s);
    }
    if cols == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = g.width();
        if used + w + 1 > cols {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// The end of `s` in at most `cols` columns, starting with `…` when cut
/// (a text field shows where the typing is): `truncate_start("abcdef", 4)`
/// is `"…def"`. Graphemes are kept whole.
pub fn truncate_start(s: &str, cols: usize) -> Cow<'_, str> {
    if width(s) <= cols {
        return Cow::Borrowed(s);
    }
    if cols == 0 {
        return Cow::Borrowed("");
    }
    let mut start = s.len();
    let mut used = 0;
    for (i, g) in s.grapheme_indices(true).rev() {
        let w = g.width();
        if used + w + 1 > cols {
            break;
        }
        start = i;
        used += w;
    }
    Cow::Owned(format!("…{}", &s[start..]))
}

/// `s` padded with spaces on the right to `cols` columns (unchanged if it
/// is already as wide or wider): `format!("{:<n$}")` counts chars instead.
pub fn pad(s: &str, cols: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(width(s))));
    out
}

/// `s` padded with spaces on the left to `cols` columns.
pub fn pad_left(s: &str, cols: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', cols.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

/// Greedy word wrap into lines of at most `cols` columns. Words are split
/// at white space; a word wider than a line is cut between graphemes.
/// Always at least one line (empty for empty text).
///
/// ```
/// use showcall_core::text::wrap;
/// assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
/// assert_eq!(wrap("東京都庁", 5), vec!["東京", "都庁"]);
/// ```
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    wrap_hanging(s, cols, cols)
}

/// [`wrap`] whose first line has its own width (the rest of a line that
/// already holds something).
pub fn wrap_hanging(s: &str, first: usize, rest: usize) -> Vec<String> {
    let (first, rest) = (first.max(1), rest.max(1));
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    let room = |lines: &Vec<String>| if lines.is_empty() { first } else { rest };
    for word in s.split_whitespace() {
        let ww = width(word);
        if used > 0 && used + 1 + ww > room(&lines) {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        if used == 0 && ww > room(&lines) {
            // Cut the long word between graphemes, line by line.
            for g in word.graphemes(true) {
                let gw = g.width();
                if used > 0 && used + gw > room(&lines) {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push_str(g);
                used += gw;
            }
        } else {
            line.push_str(word);
            used += ww;
        }
    }
    if used > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A count with its noun in the right number: `count(1, "entry",
/// "entries")` is `1 entry`, `count(2, …)` is `2 entries`, `count(0, …)`
/// is `0 entries`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `m:ss` or `h:mm:ss` for a non-negative number of seconds; negative input
/// is shown by its magnitude (callers add the sign or the word).
///
/// ```
/// use showcall_core::text::hms;
/// assert_eq!(hms(270), "4:30");
/// assert_eq!(hms(-80), "1:20");
/// assert_eq!(hms(3725), "1:02:05");
/// ```
pub fn hms(secs: i64) -> String {
    let mut out = String::with_capacity(8);
    push_hms(&mut out, secs);
    out
}

/// [`hms`], appended to `out` (no allocation of its own: the review writes
/// a million of them for a long journal).
pub fn push_hms(out: &mut String, secs: i64) {
    use std::fmt::Write as _;
    let s = secs.unsigned_abs();
    let _ = if s >= 3600 {
        write!(out, "{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        write!(out, "{}:{:02}", s / 60, s % 60)
    };
}

/// Like `hms`, with an explicit sign: `+4:30`, `-0:45`, `0:00`.
pub fn signed_hms(secs: i64) -> String {
    let mut out = String::with_capacity(9);
    push_signed_hms(&mut out, secs);
    out
}

/// [`signed_hms`], appended to `out`.
pub fn push_signed_hms(out: &mut String, secs: i64) {
    match secs.signum() {
        1 => out.push('+'),
        -1 => out.push('-'),
        _ => {}
    }
    push_hms(out, secs);
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

/// The instant `t` as the local hour and minute in `tz`, 24-hour:
/// `15:00` (seconds dropped, not rounded).
pub fn clock_hm(t: DateTime<Utc>, tz: Tz) -> String {
    tz.from_utc_datetime(&t.naive_utc())
        .format("%H:%M")
        .to_string()
}

/// `17:50` when `t` falls on `now`'s local day, else with its date,
/// `Sat 4 Nov 17:50`: a weekday alone would name two Saturdays in an event
/// of more than a week.
pub fn clock_hm_on(t: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> String {
    let local = t.with_timezone(&tz);
    if local.date_naive() == now.with_timezone(&tz).date_naive() {
        clock_hm(t, tz)
    } else {
        format!("{} {}", local.format("%a %-d %b"), clock_hm(t, tz))
    }
}

/// The instant `t` as the local time in `tz` to the second, 24-hour:
/// `15:00:07` (the fraction dropped).
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
    fn widths_are_columns() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("会議"), 4); // 2 wide characters, 2 columns each
        assert_eq!(width("e\u{301}"), 1); // e + combining acute: one cell
        assert_eq!(width("🎤"), 2);
        assert_eq!(width(""), 0);
    }

    #[test]
    fn truncate_keeps_graphemes_whole() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abcd", 4), "abcd");
        assert_eq!(truncate("abcd", 0), "");
        // 会議室 is 6 columns; in 5: 会議 (4) + … (1).
        assert_eq!(truncate("会議室", 5), "会議…");
        // In 4: 会 (2) + … (1) = 3; 会議 + … would be 5.
        assert_eq!(truncate("会議室", 4), "会…");
        // "Zoë" spelled with a combining diaeresis: e + U+0308 is one
        // grapheme of 1 column; cut to 3 the whole word fits (3 columns).
        assert_eq!(truncate("Zoe\u{308}x", 4), "Zoe\u{308}x");
        // In 3: Z, o (2) + … ; the e and its mark go together.
        assert_eq!(truncate("Zoe\u{308}x", 3), "Zo…");
        // A family emoji (ZWJ sequence) is one grapheme: all or nothing.
        let family = "👨\u{200D}👩\u{200D}👧";
        let two = format!("{family}{family}");
        let cut = truncate(&two, 3);
        assert!(cut == format!("{family}…") || cut == "…", "{cut}");
        assert!(width(&cut) <= 3);
        for n in 0..12 {
            for s in ["会議室です", "Zoe\u{308}ssa", "🎤 mic 🎤"] {
                let t = truncate(s, n);
                assert!(width(&t) <= n, "{s:?} in {n}: {t:?}");
                assert!(s.starts_with(t.trim_end_matches('…')));
            }
        }
    }

    #[test]
    fn truncate_start_keeps_the_end() {
        assert_eq!(truncate_start("abcdef", 4), "…def");
        assert_eq!(truncate_start("abc", 4), "abc");
        // 会議室 (6 columns) in 5: … + 議室 (4).
        assert_eq!(truncate_start("会議室", 5), "…議室");
        assert_eq!(truncate_start("xye\u{301}", 2), "…e\u{301}"); // x y é: 3 columns
    }

    #[test]
    fn pad_counts_columns() {
        assert_eq!(pad("会", 4), "会  "); // 2 columns + 2 spaces
        assert_eq!(pad("abc", 2), "abc");
        assert_eq!(pad_left("会", 3), " 会");
    }

    #[test]
    fn wrap_by_columns() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(wrap_hanging("aa bb cc dd", 2, 5), vec!["aa", "bb cc", "dd"]);
        assert_eq!(wrap_hanging("abcdefg h", 3, 4), vec!["abc", "defg", "h"]);
        // 東京都庁 is 8 columns: in 5, two per line (4 columns each).
        assert_eq!(wrap("東京都庁", 5), vec!["東京", "都庁"]);
        // 会議 (4) fits in 5 beside nothing else; "会議 x" needs 6.
        assert_eq!(wrap("会議 x", 5), vec!["会議", "x"]);
        for line in wrap("Délégué·e e\u{301}e\u{301}e\u{301} 🎤🎤🎤 会議室です", 3) {
            assert!(width(&line) <= 3, "{line:?}");
        }
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "entry", "entries"), "1 entry");
        assert_eq!(count(0, "entry", "entries"), "0 entries");
        assert_eq!(count(2, "session", "sessions"), "2 sessions");
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
