//! The small value languages inside agenda.toml: clock times (`15:00`),
//! dates (`2023-06-22`), durations (`1h30m`), ids, and the "did you mean"
//! guess for misspelt names.
//!
//! Pure string → value functions. They know nothing about TOML spans or
//! diagnostics; the validator turns their `Err(String)` into located messages.

use chrono::{NaiveDate, NaiveTime, TimeDelta};

/// A problem with one value: the message and, when we can say, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Bad {
    /// What is wrong, with the bad value quoted: `malformed time '25:00'`.
    pub message: String,
    /// Why, when the message alone does not say: `hours run from 00 to 23`.
    pub detail: Option<String>,
    /// How to fix it, when we can say: `dates are "YYYY-MM-DD", e.g.
    /// "2023-06-22"`.
    pub help: Option<String>,
}

impl Bad {
    fn new(message: impl Into<String>, help: impl Into<String>) -> Self {
        Bad {
            message: message.into(),
            detail: None,
            help: Some(help.into()),
        }
    }

    fn because(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

const TIME_HELP: &str =
    "write times as \"HH:MM\" or \"HH:MM:SS\" on a 24-hour clock, e.g. \"15:00\"";
const DURATION_HELP: &str = "write durations like \"90s\", \"10m\", \"1h30m\" or \"2h5m10s\"";

/// What a malformed value most likely meant, written the way the agenda
/// wants it, for a help that names the fix: `write "09:00"`.
fn fix_help(fixed: Option<String>, general: &str) -> String {
    match fixed {
        Some(f) => format!("write \"{f}\" instead"),
        None => general.to_string(),
    }
}

/// A time written another common way, rewritten as `HH:MM[:SS]`: `9:00`,
/// `9.00`, `15h00`, `1500`, `3pm`, `3:30 PM`. None if no reading is a
/// valid time.
fn time_fix(s: &str) -> Option<String> {
    let t = s.trim().to_ascii_lowercase();
    let (t, pm) = match (t.strip_suffix("pm"), t.strip_suffix("am")) {
        (Some(x), _) => (x.trim().to_string(), Some(true)),
        (_, Some(x)) => (x.trim().to_string(), Some(false)),
        _ => (t, None),
    };
    let mut parts: Vec<u32> = Vec::new();
    for p in t.split([':', '.', 'h', ' ']).filter(|p| !p.is_empty()) {
        if p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        parts.push(p.parse().ok()?);
    }
    // "1500" or "930": hours and minutes run together.
    if let ([hm], None) = (parts.as_slice(), pm)
        && t.len() >= 3
    {
        parts = vec![hm / 100, hm % 100];
    }
    if parts.len() == 1 {
        parts.push(0);
    }
    let (mut h, m, sec) = match parts.as_slice() {
        [h, m] => (*h, *m, None),
        [h, m, s] => (*h, *m, Some(*s)),
        _ => return None,
    };
    match pm {
        Some(true) if (1..=11).contains(&h) => h += 12,
        Some(false) if h == 12 => h = 0,
        Some(_) if !(1..=12).contains(&h) => return None,
        _ => {}
    }
    NaiveTime::from_hms_opt(h, m, sec.unwrap_or(0))?;
    Some(match sec {
        Some(sec) => format!("{h:02}:{m:02}:{sec:02}"),
        None => format!("{h:02}:{m:02}"),
    })
    .filter(|f| f != s)
}

/// A duration written another common way, rewritten: `10 min` → `10m`,
/// `1 hour 30 minutes` → `1h30m`, `1:30:00` → `1h30m`, `90` → `90m`?
/// (a bare number is ambiguous: no guess).
fn duration_fix(s: &str) -> Option<String> {
    let t = s.trim().to_ascii_lowercase();
    let parts: Vec<&str> = t.split(':').collect();
    if parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        let n: Vec<i64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        let (h, m, sec) = match n.as_slice() {
            [h, m] => (*h, *m, 0),
            [h, m, s] => (*h, *m, *s),
            _ => return None,
        };
        let d = crate::text::human_duration(TimeDelta::seconds(h * 3600 + m * 60 + sec));
        return (h * 3600 + m * 60 + sec > 0).then_some(d);
    }
    let mut out = String::new();
    let mut digits = String::new();
    let mut word = String::new();
    let flush = |out: &mut String, digits: &mut String, word: &mut String| -> Option<()> {
        if word.is_empty() {
            return Some(());
        }
        let unit = match word.as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" => 'h',
            "m" | "min" | "mins" | "minute" | "minutes" => 'm',
            "s" | "sec" | "secs" | "second" | "seconds" => 's',
            _ => return None,
        };
        if digits.is_empty() {
            return None;
        }
        out.push_str(digits);
        out.push(unit);
        digits.clear();
        word.clear();
        Some(())
    };
    for c in t.chars() {
        if c.is_ascii_digit() {
            flush(&mut out, &mut digits, &mut word)?;
            digits.push(c);
        } else if c.is_ascii_alphabetic() {
            word.push(c);
        } else if !c.is_whitespace() && c != ',' {
            return None;
        }
    }
    flush(&mut out, &mut digits, &mut word)?;
    (digits.is_empty() && !out.is_empty() && out != s).then_some(out)
}

/// `HH:MM` or `HH:MM:SS`, 24-hour clock, two digits each.
pub(super) fn parse_time(s: &str) -> Result<NaiveTime, Bad> {
    let malformed = || {
        Bad::new(
            format!("malformed time '{s}'"),
            fix_help(time_fix(s), TIME_HELP),
        )
    };
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(malformed());
    }
    let num = |i: usize| parts.get(i).map_or(Ok(0), |p| p.parse::<u32>());
    let (Ok(h), Ok(m), Ok(sec)) = (num(0), num(1), num(2)) else {
        return Err(malformed());
    };
    if h > 23 {
        return Err(malformed().because("hours run from 00 to 23"));
    }
    if m > 59 || sec > 59 {
        return Err(malformed().because("minutes and seconds run from 00 to 59"));
    }
    NaiveTime::from_hms_opt(h, m, sec).ok_or_else(malformed)
}

/// `YYYY-MM-DD`, a date that exists.
pub(super) fn parse_date(s: &str) -> Result<NaiveDate, Bad> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        // 2023-6-22 or 2023/06/22: the same date, written another way.
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        let fixed = match parts.as_slice() {
            [y, m, d] if y.len() == 4 => {
                match (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
                    (Ok(y), Ok(m), Ok(d)) if NaiveDate::from_ymd_opt(y, m, d).is_some() => {
                        Some(format!("{y:04}-{m:02}-{d:02}"))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        return Err(Bad::new(
            format!("malformed date '{s}'"),
            fix_help(fixed, "dates are \"YYYY-MM-DD\", e.g. \"2023-06-22\""),
        ));
    }
    let (y, m, d) = (
        s[0..4].parse::<i32>().unwrap_or(0),
        s[5..7].parse::<u32>().unwrap_or(0),
        s[8..10].parse::<u32>().unwrap_or(0),
    );
    date_from_ymd(y, m, d)
}

/// A calendar date, or why it does not exist.
pub(super) fn date_from_ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate, Bad> {
    if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
        return Ok(date);
    }
    let shown = format!("{y:04}-{m:02}-{d:02}");
    if !(1..=12).contains(&m) {
        return Err(Bad::new(
            format!("impossible date '{shown}'"),
            "months run from 01 to 12",
        )
        .because(format!("there is no month {m}")));
    }
    let days = days_in_month(y, m);
    let month = NaiveDate::from_ymd_opt(y, m, 1).map_or_else(
        || format!("month {m}"),
        |first| first.format("%B %Y").to_string(),
    );
    Err(Bad::new(
        format!("impossible date '{shown}'"),
        format!("{month} has {days} days"),
    ))
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    match (
        NaiveDate::from_ymd_opt(y, m, 1),
        NaiveDate::from_ymd_opt(ny, nm, 1),
    ) {
        (Some(a), Some(b)) => u32::try_from((b - a).num_days()).unwrap_or(31),
        _ => 31,
    }
}

/// `90s`, `10m`, `1h30m`, `2h5m10s`: units in that order, each at most once,
/// and longer than zero.
pub(super) fn parse_duration(s: &str) -> Result<TimeDelta, Bad> {
    let malformed = || {
        Bad::new(
            format!("malformed duration '{s}'"),
            fix_help(duration_fix(s), DURATION_HELP),
        )
    };
    if s.is_empty() {
        return Err(malformed());
    }
    let mut total: i64 = 0;
    let mut digits = String::new();
    let mut last_rank = 0; // h = 3, m = 2, s = 1; must strictly fall
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let (rank, unit) = match c {
            'h' => (3, 3600),
            'm' => (2, 60),
            's' => (1, 1),
            _ => return Err(malformed()),
        };
        if digits.is_empty() || (last_rank != 0 && rank >= last_rank) || digits.len() > 9 {
            return Err(malformed());
        }
        let n: i64 = digits.parse().map_err(|_| malformed())?;
        total = n
            .checked_mul(unit)
            .and_then(|x| total.checked_add(x))
            .ok_or_else(malformed)?;
        digits.clear();
        last_rank = rank;
    }
    if !digits.is_empty() {
        return Err(malformed().because("a number needs a unit: h, m or s"));
    }
    if total == 0 {
        return Err(Bad::new(
            format!("duration '{s}' must be longer than zero"),
            DURATION_HELP,
        ));
    }
    // A week is far beyond any session; the cap keeps arithmetic safe.
    if total > 7 * 24 * 3600 {
        return Err(Bad::new(
            format!("duration '{s}' is longer than a week"),
            "split the event into sessions with their own dates",
        ));
    }
    TimeDelta::try_seconds(total).ok_or_else(malformed)
}

/// Ids are slugs: lowercase ASCII letters, digits, `-` and `_`.
pub(super) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Edit distance (insertions, deletions, substitutions), by characters.
pub(super) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diag = above;
        }
    }
    row[b.len()]
}

/// The candidate closest to `word`, if it is close enough to be a typo.
pub(super) fn closest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let lower = word.to_lowercase();
    // Short words need a tighter bound, or everything matches everything.
    let limit = if word.chars().count() <= 3 { 1 } else { 2 };
    candidates
        .into_iter()
        .map(|c| (levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Says what kind of unsafe character `c` is, for a message.
pub(super) fn describe_unsafe(c: char) -> String {
    match c {
        '\u{1b}' | '\u{9b}' => format!("a terminal escape sequence (U+{:04X})", c as u32),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
            format!("a bidirectional control character (U+{:04X})", c as u32)
        }
        _ => format!("a control character (U+{:04X})", c as u32),
    }
}

/// The first unsafe character of a text field; `\n` and `\t` pass when
/// `multiline` (only `notes`).
pub(super) fn first_unsafe(s: &str, multiline: bool) -> Option<char> {
    s.chars()
        .find(|&c| crate::text::is_unsafe_char(c) && !(multiline && (c == '\n' || c == '\t')))
}

/// `Thursday 22 June 2023`.
pub(super) fn long_date(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(
            parse_time("15:00").unwrap(),
            NaiveTime::from_hms_opt(15, 0, 0).unwrap()
        );
        assert_eq!(
            parse_time("09:05:30").unwrap(),
            NaiveTime::from_hms_opt(9, 5, 30).unwrap()
        );
        for bad in [
            "25:00",
            "9h",
            "9:00",
            "15:60",
            "",
            "15:00:00:00",
            "+1:00",
            "１５:00",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        let e = parse_time("25:00").unwrap_err();
        assert_eq!(e.message, "malformed time '25:00'");
        assert_eq!(e.detail.as_deref(), Some("hours run from 00 to 23"));
    }

    #[test]
    fn durations() {
        let d = |s| parse_duration(s).map(|d| d.num_seconds());
        assert_eq!(d("10m"), Ok(600));
        assert_eq!(d("1h30m"), Ok(5400));
        assert_eq!(d("90s"), Ok(90));
        assert_eq!(d("1h"), Ok(3600));
        assert_eq!(d("9h"), Ok(32400));
        assert_eq!(d("2h5m10s"), Ok(7510));
        for bad in [
            "-5m",
            "0m",
            "ten",
            "",
            "5",
            "m",
            "5m1h",
            "5m5m",
            "1d",
            "99999999999h",
            "5 m",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert!(
            parse_duration("0m")
                .unwrap_err()
                .message
                .contains("longer than zero")
        );
    }

    #[test]
    fn dates() {
        assert!(parse_date("2023-06-22").is_ok());
        let e = parse_date("2023-02-30").unwrap_err();
        assert_eq!(e.message, "impossible date '2023-02-30'");
        assert_eq!(e.help.as_deref(), Some("February 2023 has 28 days"));
    }

    #[test]
    fn hints_name_the_fix() {
        let help = |r: Result<NaiveTime, Bad>| r.unwrap_err().help.unwrap();
        assert!(help(parse_time("9:00")).starts_with("write \"09:00\""));
        assert!(help(parse_time("15.30")).starts_with("write \"15:30\""));
        assert!(help(parse_time("15h00")).starts_with("write \"15:00\""));
        assert!(help(parse_time("1500")).starts_with("write \"15:00\""));
        // 3 pm is 15:00; 12 am is midnight.
        assert!(help(parse_time("3pm")).starts_with("write \"15:00\""));
        assert!(help(parse_time("12:30 am")).starts_with("write \"00:30\""));
        assert!(help(parse_time("9:5:7")).starts_with("write \"09:05:07\""));
        // Nothing sensible to suggest: the general rule only.
        assert_eq!(help(parse_time("25:00")), TIME_HELP);
        assert_eq!(help(parse_time("noon")), TIME_HELP);
        let dhelp = |s: &str| parse_date(s).unwrap_err().help.unwrap();
        assert!(dhelp("2023-6-22").starts_with("write \"2023-06-22\""));
        assert!(dhelp("2023/06/22").starts_with("write \"2023-06-22\""));
        assert!(!dhelp("22/06/2023").starts_with("write"));
        let uhelp = |s: &str| parse_duration(s).unwrap_err().help.unwrap();
        assert!(uhelp("10 min").starts_with("write \"10m\""));
        assert!(uhelp("1 hour 30 minutes").starts_with("write \"1h30m\""));
        assert!(uhelp("1:30:00").starts_with("write \"1h30m\""));
        assert_eq!(uhelp("90"), DURATION_HELP); // minutes or seconds? no guess
        assert!(parse_date("2024-02-29").is_ok());
        assert!(
            parse_date("2023-13-01")
                .unwrap_err()
                .detail
                .unwrap()
                .contains("no month 13")
        );
        assert!(parse_date("22/06/2023").is_err());
    }

    #[test]
    fn did_you_mean() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(closest("titel", ["title", "notes"]), Some("title"));
        assert_eq!(closest("speaker", ["speakers", "start"]), Some("speakers"));
        assert_eq!(closest("xyzzy", ["title", "notes"]), None);
    }

    #[test]
    fn slugs() {
        assert!(is_slug("policy-brief_2"));
        assert!(!is_slug("Panel"));
        assert!(!is_slug("a b"));
        assert!(!is_slug(""));
    }
}
