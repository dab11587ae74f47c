//! The time, date and duration forms people type into spreadsheets and
//! other programs write: `9:00`, `9:00 AM`, `21h30`, Excel day fractions
//! and serial dates, `45` (minutes, as Ontime reads it), `0:45`, `1h30m`,
//! ISO 8601 `PT45M`. Pure functions: text or number in, value or a message
//! (lowercase, the bad value quoted) out.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// A spreadsheet cell or CSV field, as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number; spreadsheets store dates and times as numbers too: days
    /// since 1899-12-30, the fraction being the time of day.
    Number(f64),
}

impl Cell {
    /// The cell as text: numbers without a needless `.0`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

/// A time of day, maybe with a date (Excel serials, ISO date-times).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeValue {
    Time(NaiveTime),
    DateTime(NaiveDateTime),
    Instant(DateTime<FixedOffset>),
}

const TIME_FORMS: &str = "write times like 9:00, 9.00, 0900, 09:00:00, 9:00 AM or 21h30";
const DURATION_FORMS: &str = "write durations like 45 (minutes), 0:45, 00:45:00, 1h30 or 1h30m";
const DATE_FORMS: &str = "write dates like 2023-06-22 or 22.06.2023";

/// Excel's day zero: serial 1 is 1900-01-01 and serial 60 the 29 February
/// 1900 that never was, so modern serials count from 1899-12-30.
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
}

/// Seconds of a day fraction, rounded to the second (0.41667 → 36000).
fn fraction_secs(f: f64) -> i64 {
    (f * 86_400.0).round() as i64
}

/// A serial date-time: 42670 → 2016-10-27, 42670.4375 → 2016-10-27 10:30.
/// Serials before 1950 (18264) are refused: a `9` typed for 9:00 is not
/// 8 January 1900.
fn serial_datetime(n: f64) -> Option<NaiveDateTime> {
    if !(18_264.0..=2_958_465.0).contains(&n) {
        return None;
    }
    let days = n.floor() as i64;
    let secs = fraction_secs(n - n.floor());
    let date = excel_epoch().checked_add_signed(TimeDelta::days(days))?;
    date.and_hms_opt(0, 0, 0)?
        .checked_add_signed(TimeDelta::seconds(secs))
}

fn time_of_secs(secs: i64) -> Option<NaiveTime> {
    // 24:00 from a rounded 0.99999 is midnight.
    let secs = if secs == 86_400 { 0 } else { secs };
    NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from(secs).ok()?, 0)
}

/// A start or end: a time of day in any common form, or a date-time.
pub fn time(cell: &Cell) -> Result<TimeValue, String> {
    match cell {
        Cell::Number(n) if (0.0..1.0).contains(n) => time_of_secs(fraction_secs(*n))
            .map(TimeValue::Time)
            .ok_or_else(|| format!("'{n}' is not a time of day")),
        // `0900` typed into a number cell loses its zero: 900 is HHMM too.
        Cell::Number(n) if n.fract() == 0.0 && (100.0..=2400.0).contains(n) => {
            match clock_text(&format!("{:04}", *n as i64)) {
                Ok(t) => Ok(TimeValue::Time(t)),
                Err(ClockErr::Range(why)) => Err(format!("'{n}' is not a time of day: {why}")),
                Err(ClockErr::Shape) => Err(format!("'{n}' is not a time: {TIME_FORMS}")),
            }
        }
        Cell::Number(n) => serial_datetime(*n)
            .map(TimeValue::DateTime)
            .ok_or_else(|| format!("'{n}' is neither a time of day nor a date: {TIME_FORMS}")),
        Cell::Text(s) => time_text(s.trim()),
        Cell::Empty => Err("the time is empty".into()),
    }
}

fn time_text(s: &str) -> Result<TimeValue, String> {
    let bad = || format!("'{s}' is not a time: {TIME_FORMS}");
    if s.is_empty() {
        return Err("the time is empty".into());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(TimeValue::Instant(t));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%:z",
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Ok(TimeValue::Instant(t));
        }
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y %H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(TimeValue::DateTime(t));
        }
    }
    if let Some(d) = iso_duration(s) {
        // OpenDocument writes a time cell as PT09H30M00S.
        return time_of_secs(d.num_seconds())
            .map(TimeValue::Time)
            .ok_or_else(bad);
    }
    // `0.25`: 00:25 with a dot, or a quarter of a day (06:00)? Refused.
    if let Some(m) = s.strip_prefix("0.")
        && m.len() == 2
        && m.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!(
            "'{s}' is ambiguous: 00:{m} written with a dot, or a day fraction ({})? write 00:{m}, or the time with a colon",
            s.parse::<f64>()
                .ok()
                .and_then(|f| time_of_secs(fraction_secs(f)))
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default()
        ));
    }
    // A bare day fraction, as a CSV saved from a sheet of raw values has it.
    if s.starts_with("0.")
        && let Ok(f) = s.parse::<f64>()
    {
        return time_of_secs(fraction_secs(f))
            .map(TimeValue::Time)
            .ok_or_else(bad);
    }
    match clock_text(s) {
        Ok(t) => Ok(TimeValue::Time(t)),
        Err(ClockErr::Range(why)) => Err(format!("'{s}' is not a time of day: {why}")),
        Err(ClockErr::Shape) => Err(bad()),
    }
}

/// Why a text is not a clock time: not one of the shapes, or a shape with
/// a part out of range (`25.00`, `0975`).
enum ClockErr {
    Shape,
    Range(&'static str),
}

/// `9:00`, `09:00:00`, `9.00`, `09.00.00`, `0900`, `930`, `9:00 AM`,
/// `9:00am`, `9am`, `12:30 p.m.`, `21h30`, `21h`, `9 h 30`, `9h30m`,
/// `14:00 h`, `9.00 Uhr`. A bare number of three or four digits is `HMM` or
/// `HHMM`; one or two digits alone (`9`) are refused: 9:00, or 00:09?
fn clock_text(s: &str) -> Result<NaiveTime, ClockErr> {
    let lower = s.to_lowercase();
    let mut body = lower.trim();
    if let Some(b) = body.strip_suffix("uhr") {
        body = b.trim_end();
    }
    let mut meridiem = None;
    for (suffix, pm) in [
        ("a.m.", false),
        ("p.m.", true),
        ("a.m", false),
        ("p.m", true),
        ("am", false),
        ("pm", true),
    ] {
        if let Some(b) = body.strip_suffix(suffix) {
            body = b.trim_end();
            meridiem = Some(pm);
            break;
        }
    }
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    // `14:00 h`, `9.30h`: the h only says "hours".
    if body.contains([':', '.']) {
        body = body.strip_suffix('h').unwrap_or(body).trim_end();
    }
    let parts: Vec<&str> = if body.contains(':') {
        body.split(':').collect()
    } else if body.contains('.') {
        body.split('.').collect()
    } else if let Some((h, m)) = body.split_once('h') {
        // `21h30`, `9 h 30`, `9h30m`, `21h`.
        let m = m.trim();
        let m = m
            .strip_suffix("min")
            .or_else(|| m.strip_suffix('m'))
            .unwrap_or(m)
            .trim_end();
        if m.is_empty() {
            vec![h.trim()]
        } else {
            vec![h.trim(), m]
        }
    } else if digits(body) && (body.len() == 3 || body.len() == 4) {
        // `0900`, `1530`, `930`: HHMM.
        let (h, m) = body.split_at(body.len() - 2);
        vec![h, m]
    } else if meridiem.is_some() {
        vec![body]
    } else {
        return Err(ClockErr::Shape);
    };
    if parts.is_empty() || parts.len() > 3 {
        return Err(ClockErr::Shape);
    }
    let num = |p: &str, max_len: usize| -> Option<u32> {
        (digits(p) && p.len() <= max_len)
            .then(|| p.parse().ok())
            .flatten()
    };
    let mut h = num(parts[0], 2).ok_or(ClockErr::Shape)?;
    let two = |i: usize| -> Result<u32, ClockErr> {
        match parts.get(i) {
            Some(p) if p.len() == 2 => num(p, 2).ok_or(ClockErr::Shape),
            Some(_) => Err(ClockErr::Shape),
            None => Ok(0),
        }
    };
    let m = two(1)?;
    let sec = two(2)?;
    // 24:00 ends a day (a session "23:00–24:00"): midnight, the next day.
    if h == 24 && meridiem.is_none() && m == 0 && sec == 0 {
        h = 0;
    }
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&h) {
            return Err(ClockErr::Range("with AM or PM, hours go from 1 to 12"));
        }
        h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, false) => h,
            (h, true) => h + 12,
        };
    }
    if h > 23 {
        return Err(ClockErr::Range("hours go from 0 to 23"));
    }
    if m > 59 || sec > 59 {
        return Err(ClockErr::Range("minutes and seconds go from 0 to 59"));
    }
    NaiveTime::from_hms_opt(h, m, sec).ok_or(ClockErr::Shape)
}

/// `PT1H30M`, `PT45M`, `PT09H30M00S` (ISO 8601, as OpenDocument and
/// iCalendar write durations); also `P1D`, `P1DT2H` and `P1W`.
pub fn iso_duration(s: &str) -> Option<TimeDelta> {
    let s = s.trim();
    let rest = s.strip_prefix('P').or_else(|| s.strip_prefix("+P"))?;
    let mut secs: i64 = 0;
    let mut in_time = false;
    let mut num = String::new();
    let mut any = false;
    for c in rest.chars() {
        match c {
            'T' if !in_time && num.is_empty() => in_time = true,
            '0'..='9' | '.' => num.push(c),
            _ => {
                let n: f64 = num.parse().ok()?;
                num.clear();
                let unit = match (c, in_time) {
                    ('W', false) => 604_800.0,
                    ('D', false) => 86_400.0,
                    ('H', true) => 3_600.0,
                    ('M', true) => 60.0,
                    ('S', true) => 1.0,
                    _ => return None,
                };
                secs = secs.checked_add((n * unit).round() as i64)?;
                any = true;
            }
        }
    }
    (any && num.is_empty() && secs <= 366 * 86_400).then(|| TimeDelta::seconds(secs))
}

/// A duration: `45` (minutes, as Ontime reads a bare number), `0:45` and
/// `1:30` (hours and minutes), `00:45:00`, `1h30m`, `90 min`, `PT45M`, or a
/// spreadsheet time cell (a day fraction).
pub fn duration(cell: &Cell) -> Result<TimeDelta, String> {
    let d = match cell {
        Cell::Empty => return Err("the duration is empty".into()),
        Cell::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= 10_080.0 => {
            TimeDelta::minutes(*n as i64)
        }
        Cell::Number(n) if (0.0..1.0).contains(n) => TimeDelta::seconds(fraction_secs(*n)),
        Cell::Number(n) => {
            return Err(format!(
                "'{n}' is ambiguous as a duration (minutes? hours?): {DURATION_FORMS}"
            ));
        }
        Cell::Text(s) => duration_text(s.trim())?,
    };
    if d <= TimeDelta::zero() {
        return Err(format!("'{}' is not longer than zero", cell.text()));
    }
    Ok(d)
}

fn duration_text(s: &str) -> Result<TimeDelta, String> {
    let bad = || format!("'{s}' is not a duration: {DURATION_FORMS}");
    if s.is_empty() {
        return Err("the duration is empty".into());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<i64>()
            .ok()
            .filter(|m| *m <= 10_080)
            .map(TimeDelta::minutes)
            .ok_or_else(bad);
    }
    if let Some(d) = iso_duration(s) {
        return Ok(d);
    }
    if s.starts_with("0.") {
        return Err(format!(
            "'{s}' is ambiguous as a duration (a day fraction? minutes?): {DURATION_FORMS}"
        ));
    }
    if s.contains(':') {
        let parts: Vec<&str> = s.split(':').collect();
        let nums: Option<Vec<i64>> = parts
            .iter()
            .map(|p| {
                (!p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.parse().ok())
                    .flatten()
            })
            .collect();
        let nums = nums.ok_or_else(bad)?;
        let secs = match nums.as_slice() {
            [h, m] if *m < 60 => h * 3600 + m * 60,
            [h, m, sec] if *m < 60 && *sec < 60 => h * 3600 + m * 60 + sec,
            _ => return Err(bad()),
        };
        return Ok(TimeDelta::seconds(secs));
    }
    // 1h30m, 1h 30m, 90 min, 45 mins, 2 hours, 90s
    let lower = s.to_ascii_lowercase();
    let mut secs = 0i64;
    let mut rest = lower.trim();
    let mut any = false;
    let mut last_unit = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 6 {
            return Err(bad());
        }
        let n: i64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = rest[digits..].trim_start();
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit = &rest[..unit_len];
        let mult = match unit {
            "h" | "hr" | "hrs" | "hour" | "hours" | "std" => 3600,
            "m" | "min" | "mins" | "minute" | "minutes" | "minuten" => 60,
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            // `1h30`, `1 h 30`: a last number with no unit after hours is
            // minutes (two digits, below 60).
            "" if last_unit == 3600 && digits == 2 && n < 60 && rest.is_empty() => 60,
            _ => return Err(bad()),
        };
        last_unit = mult;
        secs += n * mult;
        any = true;
        rest = rest[unit_len..].trim_start();
    }
    if !any || secs > 7 * 86_400 {
        return Err(bad());
    }
    Ok(TimeDelta::seconds(secs))
}

/// A date: `2023-06-22`, `22.06.2023`, `2023/06/22`, an Excel serial
/// (42670 → 2016-10-27), or an unambiguous `d/m/yyyy` or `m/d/yyyy` (one
/// part above 12). `06/07/2023` could be either, so it is refused.
#[cfg(test)]
fn date(cell: &Cell) -> Result<NaiveDate, String> {
    date_in(cell, None)
}

/// The order of a numeric date's parts, `--date-order`: `dmy` (22/06/2023,
/// most of the world), `mdy` (6/22/2023, the US), `ymd` (2023/06/22).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Day, month, year: `22/06/2023` (most of the world).
    Dmy,
    /// Month, day, year: `6/22/2023` (the US).
    Mdy,
    /// Year, month, day: `2023/06/22`.
    Ymd,
}

impl DateOrder {
    /// `dmy`, `mdy` or `ymd`, any case.
    ///
    /// Errors: anything else, in words naming the three.
    pub fn parse(s: &str) -> Result<DateOrder, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dmy" => Ok(DateOrder::Dmy),
            "mdy" => Ok(DateOrder::Mdy),
            "ymd" => Ok(DateOrder::Ymd),
            _ => Err(format!(
                "'{s}': give dmy (22/06/2023), mdy (6/22/2023) or ymd (2023/06/22)"
            )),
        }
    }

    /// The name `--date-order` takes.
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
            DateOrder::Ymd => "ymd",
        }
    }
}

/// [`date`], with numeric dates (`12/7/2026`, `7.12.2026`, `26-12-07`)
/// read in `order` when given. Without it, `d/m/yyyy` or `m/d/yyyy` is read
/// only when one part is above 12; otherwise the error names
/// `--date-order`.
pub fn date_in(cell: &Cell, order: Option<DateOrder>) -> Result<NaiveDate, String> {
    match cell {
        Cell::Empty => Err("the date is empty".into()),
        Cell::Number(n) => serial_datetime(*n)
            .map(|d| d.date())
            .ok_or_else(|| format!("'{n}' is not a date: {DATE_FORMS}")),
        // A year first (2026-12-07, 2026/12/07) is read as such in any order.
        Cell::Text(s) if s.trim().bytes().take_while(u8::is_ascii_digit).count() == 4 => {
            date_text(s.trim())
        }
        Cell::Text(s) => match order.and_then(|o| ordered_date(s.trim(), o)) {
            Some(d) => d,
            None => date_text(s.trim()),
        },
    }
}

/// A date of three numbers split by `/`, `.` or `-`, read in `order`; a
/// two-digit year is 20YY. `None` when `s` is not three numbers.
fn ordered_date(s: &str, order: DateOrder) -> Option<Result<NaiveDate, String>> {
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |p: &str| {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (a, b, c) = (num(a)?, num(b)?, num(c)?);
    let year = |y: u32| if y < 100 { 2000 + y as i32 } else { y as i32 };
    let (y, m, d) = match order {
        DateOrder::Dmy => (year(c), b, a),
        DateOrder::Mdy => (year(c), a, b),
        DateOrder::Ymd => (year(a), b, c),
    };
    Some(NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        format!(
            "'{s}' is not a date in --date-order {}: month {m}, day {d} of {y}",
            order.name()
        )
    }))
}

fn date_text(s: &str) -> Result<NaiveDate, String> {
    let bad = || format!("'{s}' is not a date: {DATE_FORMS}");
    for f in [
        "%Y-%m-%d",
        "%d.%m.%Y",
        "%Y/%m/%d",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Ok(d);
        }
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(d.date());
        }
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d.date_naive());
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && s.len() == 5 {
        let n: f64 = s.parse().map_err(|_| bad())?;
        return serial_datetime(n).map(|d| d.date()).ok_or_else(bad);
    }
    let parts: Vec<&str> = s.split('/').collect();
    if let [a, b, y] = parts.as_slice()
        && let (Ok(a), Ok(b), Ok(y)) = (a.parse::<u32>(), b.parse::<u32>(), y.parse::<i32>())
        && y >= 1000
    {
        return match (a > 12, b > 12) {
            (true, false) => NaiveDate::from_ymd_opt(y, b, a).ok_or_else(bad),
            (false, true) => NaiveDate::from_ymd_opt(y, a, b).ok_or_else(bad),
            _ if a == b => NaiveDate::from_ymd_opt(y, a, b).ok_or_else(bad),
            _ => Err(format!(
                "'{s}' is ambiguous: day/month or month/day? give --date-order dmy or --date-order mdy, or write it as YYYY-MM-DD"
            )),
        };
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveTime {
        match time(&Cell::Text(s.into())) {
            Ok(TimeValue::Time(t)) => t,
            other => panic!("{s}: {other:?}"),
        }
    }
    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }
    fn mins(s: &str) -> i64 {
        duration(&Cell::Text(s.into())).unwrap().num_seconds() / 60
    }

    #[test]
    fn times_people_type() {
        assert_eq!(t("9:00"), hm(9, 0));
        assert_eq!(t("09:00:00"), hm(9, 0));
        assert_eq!(t("9:00 AM"), hm(9, 0));
        assert_eq!(t("9:00 PM"), hm(21, 0));
        assert_eq!(t("12:30 a.m."), hm(0, 30));
        assert_eq!(t("12:30pm"), hm(12, 30));
        assert_eq!(t("9am"), hm(9, 0));
        assert_eq!(t("21h30"), hm(21, 30));
        assert_eq!(t("21h"), hm(21, 0));
        assert_eq!(t("PT09H30M00S"), hm(9, 30));
        assert_eq!(t("24:00"), hm(0, 0)); // an end at midnight
        for bad in [
            "25:00", "24:30", "9", "13:00 PM", "9:5", "ten", "9:00:0", "0:60",
        ] {
            assert!(time(&Cell::Text(bad.into())).is_err(), "{bad}");
        }
    }

    #[test]
    fn european_and_compact_times() {
        // A dot instead of the colon (Europe): 9.00 is 9:00, 09.00.00 too.
        assert_eq!(t("9.00"), hm(9, 0));
        assert_eq!(t("09.00.00"), hm(9, 0));
        assert_eq!(t("21.45"), hm(21, 45));
        assert_eq!(t("00.30"), hm(0, 30));
        assert_eq!(t("9.30 Uhr"), hm(9, 30));
        assert_eq!(t("9.30 pm"), hm(21, 30)); // 9 + 12 = 21
        // Four digits, no separator: HHMM. 0900 → 09:00, 1530 → 15:30,
        // 2400 → 24:00 → midnight (an end), 930 → 9:30 (HMM).
        assert_eq!(t("0900"), hm(9, 0));
        assert_eq!(t("1530"), hm(15, 30));
        assert_eq!(t("2400"), hm(0, 0));
        assert_eq!(t("930"), hm(9, 30));
        // A number cell loses the leading zero of 0900: 900 → 9:00.
        assert_eq!(time(&Cell::Number(900.0)), Ok(TimeValue::Time(hm(9, 0))));
        assert_eq!(time(&Cell::Number(1530.0)), Ok(TimeValue::Time(hm(15, 30))));
        // French and German ways with h, spaces and no spaces.
        assert_eq!(t("9h"), hm(9, 0));
        assert_eq!(t("9 h"), hm(9, 0));
        assert_eq!(t("9 h 30"), hm(9, 30));
        assert_eq!(t("9H30"), hm(9, 30));
        assert_eq!(t("9h30m"), hm(9, 30));
        assert_eq!(t("14:00 h"), hm(14, 0));
        assert_eq!(t("9:00am"), hm(9, 0));
        assert_eq!(t("9:00pm"), hm(21, 0));
        assert_eq!(t("9 am"), hm(9, 0));
        assert_eq!(t("930 am"), hm(9, 30));
        assert_eq!(t("9.00 a.m."), hm(9, 0));
        // Out of range: located by the caller, with why.
        for (bad, why) in [
            ("25.00", "hours go from 0 to 23"),
            ("0975", "minutes and seconds go from 0 to 59"),
            ("1260", "minutes and seconds go from 0 to 59"),
            ("9.75", "minutes and seconds go from 0 to 59"),
            ("13.00 pm", "1 to 12"),
        ] {
            let e = time(&Cell::Text(bad.into())).unwrap_err();
            assert!(
                e.starts_with(&format!("'{bad}' is not a time of day")),
                "{e}"
            );
            assert!(e.contains(why), "{e}");
        }
        assert!(
            time(&Cell::Number(975.0))
                .unwrap_err()
                .starts_with("'975' is not a time of day")
        );
        // Still refused: one or two bare digits (9:00 or 00:09?), five
        // digits, a one-digit minute after a dot (9.5: half past, or 9:05?),
        // and mixed separators.
        for bad in [
            "9", "15", "09000", "9.5", "9:00.00", "9.00:00", "9h5", "h30",
        ] {
            assert!(time(&Cell::Text(bad.into())).is_err(), "{bad}");
        }
        // 0.25: 00:25 with a dot, or a quarter day (6 h = 06:00)? Refused,
        // saying both; 00.25 (two-digit hour) is 00:25, and 0.375 (three
        // decimals: 9 h / 24 h = 0.375) stays a day fraction, 09:00.
        let e = time(&Cell::Text("0.25".into())).unwrap_err();
        assert!(e.contains("ambiguous") && e.contains("06:00"), "{e}");
        assert_eq!(t("00.25"), hm(0, 25));
        assert_eq!(t("0.375"), hm(9, 0));
        assert_eq!(t("0.5"), hm(12, 0));
    }

    #[test]
    fn a_bare_number_is_minutes_as_a_duration() {
        // The same 4 digits: a time column reads HHMM, a duration column
        // minutes (Ontime's rule), so 0130 lasts 130 min = 2 h 10 min.
        assert_eq!(t("0130"), hm(1, 30));
        assert_eq!(mins("0130"), 130);
        assert_eq!(mins("45"), 45);
        // A dot in a duration stays ambiguous (1.30: 1 h 30 or 1.3 h?).
        assert!(duration(&Cell::Text("1.30".into())).is_err());
    }

    #[test]
    fn excel_fractions_and_serials() {
        // 10:00 is 10/24 = 0.416666… of a day; Ontime's template stores 0.41667,
        // which is 36000.288 s and rounds to 10:00:00.
        assert_eq!(time(&Cell::Number(0.41667)), Ok(TimeValue::Time(hm(10, 0))));
        // 42670 days after 1899-12-30: 43831 is 2020-01-01 (a known anchor),
        // and 43831 - 42670 = 1161 days earlier is 2016-10-27;
        // .4375 of a day is 10.5 h.
        let want = NaiveDate::from_ymd_opt(2016, 10, 27)
            .unwrap()
            .and_hms_opt(10, 30, 0)
            .unwrap();
        assert_eq!(
            time(&Cell::Number(42670.4375)),
            Ok(TimeValue::DateTime(want))
        );
        assert_eq!(date(&Cell::Number(42670.0)), Ok(want.date()));
        assert_eq!(date(&Cell::Text("42670".into())), Ok(want.date()));
        // A 9 typed into a time cell is not serial 9 (1900-01-08).
        assert!(time(&Cell::Number(9.0)).is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(mins("45"), 45); // Ontime: a bare number is minutes
        assert_eq!(mins("0:45"), 45);
        assert_eq!(mins("1:30"), 90); // h:mm, never m:ss
        assert_eq!(mins("00:45:00"), 45);
        assert_eq!(mins("1h30m"), 90);
        assert_eq!(mins("1h 30m"), 90);
        assert_eq!(mins("90 min"), 90);
        // 1h30: after hours, a bare two-digit number is minutes: 60 + 30.
        assert_eq!(mins("1h30"), 90);
        assert_eq!(mins("1 h 30"), 90);
        assert_eq!(mins("2h05"), 125);
        assert_eq!(mins("PT1H30M"), 90);
        // 0.03125 of a day = 2700 s = 45 min (a sheet's duration cell).
        assert_eq!(duration(&Cell::Number(0.03125)).unwrap().num_minutes(), 45);
        assert_eq!(duration(&Cell::Number(45.0)).unwrap().num_minutes(), 45);
        for bad in [
            "0", "-5", "1.5", "0.5", "ten", "1:75", "45x", "1h75", "1h5", "30m 15", "1h30 2",
        ] {
            assert!(duration(&Cell::Text(bad.into())).is_err(), "{bad}");
        }
        assert!(
            duration(&Cell::Number(1.5))
                .unwrap_err()
                .contains("ambiguous")
        );
    }

    #[test]
    fn dates() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(date(&Cell::Text("2016-10-28".into())), Ok(d(2016, 10, 28)));
        assert_eq!(date(&Cell::Text("28.10.2016".into())), Ok(d(2016, 10, 28)));
        assert_eq!(date(&Cell::Text("28/10/2016".into())), Ok(d(2016, 10, 28)));
        assert_eq!(date(&Cell::Text("10/28/2016".into())), Ok(d(2016, 10, 28)));
        assert!(
            date(&Cell::Text("06/07/2023".into()))
                .unwrap_err()
                .contains("ambiguous")
        );
        // The error names the option that settles it.
        assert!(
            date(&Cell::Text("06/07/2023".into()))
                .unwrap_err()
                .contains("--date-order")
        );
    }

    #[test]
    fn dates_in_a_given_order() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let at = |s: &str, o| date_in(&Cell::Text(s.into()), Some(o));
        // 12/7/2026: the US reads month first (December 7), the rest of the
        // world day first (12 July).
        assert_eq!(at("12/7/2026", DateOrder::Mdy), Ok(d(2026, 12, 7)));
        assert_eq!(at("12/7/2026", DateOrder::Dmy), Ok(d(2026, 7, 12)));
        assert_eq!(at("7.12.26", DateOrder::Dmy), Ok(d(2026, 12, 7)));
        assert_eq!(at("2026/12/07", DateOrder::Ymd), Ok(d(2026, 12, 7)));
        // A date with its year first stays year first whatever the order.
        assert_eq!(at("2026-12-07", DateOrder::Dmy), Ok(d(2026, 12, 7)));
        assert_eq!(at("2026-12-07", DateOrder::Mdy), Ok(d(2026, 12, 7)));
        // In mdy, 13/7/2026 has no month 13: refused, naming the order.
        let e = at("13/7/2026", DateOrder::Mdy).unwrap_err();
        assert!(e.contains("--date-order mdy"), "{e}");
        // Not three numbers: the usual rules.
        assert!(at("Day 1", DateOrder::Mdy).is_err());
    }
}
