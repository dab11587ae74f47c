//! Validation: the spanned raw TOML table → a validated [`Agenda`] with every
//! time resolved to a UTC instant in the event's zone.
//!
//! Owns the meaning of every key, the cross-session checks (ids, order,
//! overlap, hard end) and the daylight-saving checks. It collects every
//! problem before giving up, so the user fixes the file in one pass. It must
//! not read files or know about syntax errors: `parse` did that.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::values::{self, Bad};
use super::{Agenda, Event, HardEnd, Intervention, Session, Thresholds};
use crate::diag::{Diagnostic, Diagnostics, LineIndex};
use crate::text::sanitize;

type Span = Range<usize>;

use super::MAX_PROBLEMS;

const TOP_KEYS: &[&str] = &["event", "signals", "session"];
const EVENT_KEYS: &[&str] = &[
    "title",
    "date",
    "timezone",
    "venue",
    "languages",
    "also_show",
    "must_end_by",
    "go_guard_ms",
];
const SIGNAL_KEYS: &[&str] = &["warn", "final"];
const SESSION_KEYS: &[&str] = &[
    "id",
    "title",
    "start",
    "end",
    "duration",
    "date",
    "speakers",
    "notes",
    "fixed",
    "min_duration",
    "warn",
    "final",
    "intervention",
    "intervention_warn",
    "intervention_final",
];

/// The problem has been reported; the caller carries on without the value.
struct Reported;

/// A value with the span of its text, or absent, or already reported.
type Field<T> = Result<Option<(T, Span)>, Reported>;

struct Problem {
    span: Span,
    message: String,
    help: Option<String>,
}

struct Ctx<'s> {
    src: &'s str,
    problems: Vec<Problem>,
    /// Where each line starts, for `Session::line` and the diagnostics.
    lines: LineIndex,
}

impl Ctx<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>, help: Option<String>) {
        self.problems.push(Problem {
            span,
            message: message.into(),
            help,
        });
    }

    fn bad(&mut self, span: Span, bad: Bad) {
        let message = match bad.detail {
            Some(d) => format!("{}: {d}", bad.message),
            None => bad.message,
        };
        self.error(span, message, bad.help);
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }
}

/// One table of the file, with what to call it in messages.
struct Table<'t, 'i> {
    map: &'t DeTable<'i>,
    span: Span,
    name: String,
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date or time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'t, 'i> Table<'t, 'i> {
    fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.map.get(key)
    }

    fn check_keys(&self, ctx: &mut Ctx<'_>, known: &[&str]) {
        for (k, _) in self.map.iter() {
            let key: &str = k.get_ref();
            if known.contains(&key) {
                continue;
            }
            let help = match values::closest(key, known.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("the keys of {} are: {}", self.name, known.join(", ")),
            };
            ctx.error(
                k.span(),
                format!("unknown key '{}' in {}", sanitize(key), self.name),
                Some(help),
            );
        }
    }

    fn wrong_type(&self, ctx: &mut Ctx<'_>, key: &str, v: &Spanned<DeValue<'_>>, want: &str) {
        ctx.error(
            v.span(),
            format!(
                "`{key}` in {} must be {want}, not {}",
                self.name,
                type_name(v.get_ref())
            ),
            None,
        );
    }

    fn missing(&self, ctx: &mut Ctx<'_>, key: &str, example: &str) {
        ctx.error(
            self.span.clone(),
            format!("missing `{key}` in {}", self.name),
            Some(format!("add `{key} = {example}`")),
        );
    }

    fn string(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<&'t str> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref() {
                DeValue::String(s) => Ok(Some((s.as_ref(), v.span()))),
                _ => {
                    self.wrong_type(ctx, key, v, "a string");
                    Err(Reported)
                }
            },
        }
    }

    /// A string that will be shown on a terminal: no control characters or
    /// escape sequences (`notes` may have newlines and tabs).
    fn text(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<String> {
        let Some((s, span)) = self.string(ctx, key)? else {
            return Ok(None);
        };
        check_text(
            ctx,
            s,
            span.clone(),
            &format!("`{key}` in {}", self.name),
            key == "notes",
        )?;
        Ok(Some((s.to_string(), span)))
    }

    fn required_text(&self, ctx: &mut Ctx<'_>, key: &str, example: &str) -> Field<String> {
        let got = self.text(ctx, key)?;
        if got.is_none() {
            self.missing(ctx, key, example);
            return Err(Reported);
        }
        Ok(got)
    }

    fn array(&self, ctx: &mut Ctx<'_>, key: &str, want: &str) -> Field<&'t [Spanned<DeValue<'i>>]> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref() {
                DeValue::Array(a) => Ok(Some((&a[..], v.span()))),
                _ => {
                    self.wrong_type(ctx, key, v, want);
                    Err(Reported)
                }
            },
        }
    }

    fn text_list(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<Vec<String>> {
        let Some((items, span)) = self.array(ctx, key, "a list of strings")? else {
            return Ok(None);
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (n, item) in items.iter().enumerate() {
            let what = format!("item {} of `{key}` in {}", n + 1, self.name);
            match item.get_ref() {
                DeValue::String(s) => {
                    if check_text(ctx, s, item.span(), &what, false).is_ok() {
                        out.push(s.to_string());
                    } else {
                        ok = false;
                    }
                }
                other => {
                    ctx.error(
                        item.span(),
                        format!("{what} must be a string, not {}", type_name(other)),
                        None,
                    );
                    ok = false;
                }
            }
        }
        if ok {
            Ok(Some((out, span)))
        } else {
            Err(Reported)
        }
    }

    fn bool(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<bool> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.get_ref() {
                DeValue::Boolean(b) => Ok(Some((*b, v.span()))),
                _ => {
                    self.wrong_type(ctx, key, v, "true or false");
                    Err(Reported)
                }
            },
        }
    }

    /// A whole number from `lo` to `hi`.
    fn int_in(&self, ctx: &mut Ctx<'_>, key: &str, lo: i64, hi: i64) -> Field<i64> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let n = match v.get_ref() {
            DeValue::Integer(i) => i.as_str().parse::<i64>().ok(),
            _ => {
                self.wrong_type(ctx, key, v, "a whole number");
                return Err(Reported);
            }
        };
        match n {
            Some(n) if (lo..=hi).contains(&n) => Ok(Some((n, v.span()))),
            _ => {
                ctx.error(
                    v.span(),
                    format!("`{key}` in {} must be from {lo} to {hi}", self.name),
                    Some(format!("e.g. `{key} = {}`", (lo + hi) / 10)),
                );
                Err(Reported)
            }
        }
    }

    fn duration(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<TimeDelta> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        match v.get_ref() {
            DeValue::String(s) => match values::parse_duration(s) {
                Ok(d) => Ok(Some((d, v.span()))),
                Err(bad) => {
                    ctx.bad(v.span(), quote_field(bad, key, &self.name));
                    Err(Reported)
                }
            },
            DeValue::Integer(i) => {
                ctx.error(
                    v.span(),
                    format!(
                        "`{key}` in {} must be a duration string, not an integer",
                        self.name
                    ),
                    Some(format!(
                        "write it with a unit, e.g. `{key} = \"{}m\"`",
                        i.as_str()
                    )),
                );
                Err(Reported)
            }
            _ => {
                self.wrong_type(ctx, key, v, "a duration like \"10m\"");
                Err(Reported)
            }
        }
    }

    /// A clock time: `"15:00"`, `"15:00:30"` or a TOML local time `15:00:00`.
    fn time(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<NaiveTime> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        match v.get_ref() {
            DeValue::String(s) => match values::parse_time(s) {
                Ok(t) => Ok(Some((t, v.span()))),
                Err(bad) => {
                    ctx.bad(v.span(), quote_field(bad, key, &self.name));
                    Err(Reported)
                }
            },
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (None, Some(t), None) => {
                    match NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), t.second.into()) {
                        Some(t) => Ok(Some((t, v.span()))),
                        None => {
                            ctx.error(v.span(), format!("malformed time '{dt}'"), None);
                            Err(Reported)
                        }
                    }
                }
                _ => {
                    ctx.error(
                        v.span(),
                        format!(
                            "`{key}` in {} must be a time of day like 15:00, not '{dt}'",
                            self.name
                        ),
                        Some("give the clock time only; set the day with `date`".into()),
                    );
                    Err(Reported)
                }
            },
            _ => {
                self.wrong_type(ctx, key, v, "a time like \"15:00\"");
                Err(Reported)
            }
        }
    }

    /// A date: `"2023-06-22"` or a TOML local date `2023-06-22`.
    fn date(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<NaiveDate> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let parsed = match v.get_ref() {
            DeValue::String(s) => values::parse_date(s),
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    values::date_from_ymd(d.year.into(), d.month.into(), d.day.into())
                }
                _ => {
                    ctx.error(
                        v.span(),
                        format!(
                            "`{key}` in {} must be a date like 2023-06-22, not '{dt}'",
                            self.name
                        ),
                        Some("give the date only; times belong to each session".into()),
                    );
                    return Err(Reported);
                }
            },
            _ => {
                self.wrong_type(ctx, key, v, "a date like \"2023-06-22\"");
                return Err(Reported);
            }
        };
        match parsed {
            Ok(d) => Ok(Some((d, v.span()))),
            Err(bad) => {
                ctx.bad(v.span(), quote_field(bad, key, &self.name));
                Err(Reported)
            }
        }
    }

    fn zone_of(ctx: &mut Ctx<'_>, s: &str, span: Span, what: &str) -> Result<Tz, Reported> {
        if let Ok(tz) = s.parse::<Tz>() {
            return Ok(tz);
        }
        let abbreviation = (2..=5).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase());
        let guess = values::closest(s, chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()));
        let help = match guess {
            Some(c) if !abbreviation => format!("did you mean \"{c}\"?"),
            _ if abbreviation => abbreviation_help(s),
            _ => "use an IANA zone name such as \"Europe/Zurich\"".into(),
        };
        ctx.error(
            span,
            format!("unknown time zone '{}' in {what}", sanitize(s)),
            Some(help),
        );
        Err(Reported)
    }

    fn zone(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<Tz> {
        let Some((s, span)) = self.string(ctx, key)? else {
            return Ok(None);
        };
        let tz = Self::zone_of(ctx, s, span.clone(), &format!("`{key}`"))?;
        Ok(Some((tz, span)))
    }

    fn zone_list(&self, ctx: &mut Ctx<'_>, key: &str) -> Field<Vec<Tz>> {
        let Some((items, span)) = self.array(ctx, key, "a list of time zone names")? else {
            return Ok(None);
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => match Self::zone_of(ctx, s, item.span(), &format!("`{key}`"))
                {
                    Ok(tz) => out.push(tz),
                    Err(Reported) => ok = false,
                },
                other => {
                    ctx.error(
                        item.span(),
                        format!(
                            "items of `{key}` must be zone names, not {}",
                            type_name(other)
                        ),
                        None,
                    );
                    ok = false;
                }
            }
        }
        if ok {
            Ok(Some((out, span)))
        } else {
            Err(Reported)
        }
    }
}

/// The value if it was present and good; problems are already reported.
fn ok<T>(r: Field<T>) -> Option<(T, Span)> {
    r.ok().flatten()
}

/// Names the field in a value error: `malformed time '9h'` becomes
/// `malformed time '9h' for `start` in session 'panel'`.
fn quote_field(bad: Bad, key: &str, table: &str) -> Bad {
    Bad {
        message: format!("{} for `{key}` in {table}", sanitize(&bad.message)),
        ..bad
    }
}

fn check_text(
    ctx: &mut Ctx<'_>,
    s: &str,
    span: Span,
    what: &str,
    multiline: bool,
) -> Result<(), Reported> {
    let Some(c) = values::first_unsafe(s, multiline) else {
        return Ok(());
    };
    let help = if multiline {
        "remove it; `notes` may hold plain text, newlines and tabs only"
    } else {
        "remove it; only plain text on one line is allowed here"
    };
    ctx.error(
        span,
        format!("{what} contains {}", values::describe_unsafe(c)),
        Some(help.into()),
    );
    Err(Reported)
}

/// Where a wall-clock time falls in the zone.
enum Local {
    At(DateTime<Utc>),
    /// Skipped by clocks going forward, from `from` to `to`.
    Gap {
        from: NaiveTime,
        to: NaiveTime,
    },
    /// Happens twice as clocks go back from `to` to `from`.
    Twice {
        first: FixedOffset,
        second: FixedOffset,
        from: NaiveTime,
        to: NaiveTime,
    },
}

fn resolve(tz: Tz, at: NaiveDateTime) -> Local {
    match tz.from_local_datetime(&at) {
        LocalResult::Single(t) => Local::At(t.with_timezone(&Utc)),
        LocalResult::None => {
            let (from, to) = window(tz, at, |r| matches!(r, LocalResult::None));
            Local::Gap { from, to }
        }
        LocalResult::Ambiguous(a, b) => {
            let (from, to) = window(tz, at, |r| matches!(r, LocalResult::Ambiguous(..)));
            Local::Twice {
                first: a.offset().fix(),
                second: b.offset().fix(),
                from,
                to,
            }
        }
    }
}

/// The run of whole minutes around `at` for which `inside` holds: the
/// skipped or repeated stretch of a clock change. Only used on the error
/// path, so a minute-by-minute walk is fine.
fn window(
    tz: Tz,
    at: NaiveDateTime,
    inside: impl Fn(LocalResult<DateTime<Tz>>) -> bool,
) -> (NaiveTime, NaiveTime) {
    let minute = TimeDelta::minutes(1);
    let floor = at
        .date()
        .and_hms_opt(at.hour(), at.minute(), 0)
        .unwrap_or(at);
    let limit = 48 * 60;
    let mut from = floor;
    for _ in 0..limit {
        let prev = from - minute;
        if !inside(tz.from_local_datetime(&prev)) {
            break;
        }
        from = prev;
    }
    let mut to = floor + minute;
    for _ in 0..limit {
        if !inside(tz.from_local_datetime(&to)) {
            break;
        }
        to += minute;
    }
    (from.time(), to.time())
}

fn hm(t: NaiveTime) -> String {
    if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

fn offset_text(o: FixedOffset) -> String {
    let s = o.local_minus_utc();
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", a / 3600, a / 60 % 60)
}

/// Resolves `date time` in the zone, or reports why that wall-clock time is
/// not one instant.
fn resolve_reported(
    ctx: &mut Ctx<'_>,
    tz: Tz,
    date: NaiveDate,
    time: NaiveTime,
    span: Span,
    what: &str,
) -> Result<DateTime<Utc>, Reported> {
    match resolve(tz, date.and_time(time)) {
        Local::At(t) => Ok(t),
        Local::Gap { from, to } => {
            ctx.error(
                span,
                format!(
                    "{what} {} on {date}, a time that does not exist in {}: clocks go forward \
                     from {} to {}",
                    hm(time),
                    tz.name(),
                    hm(from),
                    hm(to)
                ),
                Some(format!(
                    "pick a time before {} or after {}",
                    hm(from),
                    hm(to)
                )),
            );
            Err(Reported)
        }
        Local::Twice {
            first,
            second,
            from,
            to,
        } => {
            ctx.error(
                span,
                format!(
                    "{what} {} on {date}, an ambiguous time in {}: it happens twice, at {} and \
                     again at {}, as clocks go back from {} to {}",
                    hm(time),
                    tz.name(),
                    offset_text(first),
                    offset_text(second),
                    hm(to),
                    hm(from)
                ),
                Some(format!(
                    "avoid the repeated hour {}–{}: use a time before {} or from {} on; to run \
                     across it, start earlier and give a `duration`",
                    hm(from),
                    hm(to),
                    hm(from),
                    hm(to)
                )),
            );
            Err(Reported)
        }
    }
}

/// Builds thresholds from optional overrides, checking that the final
/// signal comes after the warning.
fn thresholds(
    ctx: &mut Ctx<'_>,
    warn: Option<(TimeDelta, Span)>,
    final_: Option<(TimeDelta, Span)>,
    base: Thresholds,
    names: (&str, &str),
    whole: &Span,
) -> Thresholds {
    let t = Thresholds {
        warn: warn.as_ref().map_or(base.warn, |w| w.0),
        final_: final_.as_ref().map_or(base.final_, |f| f.0),
    };
    if t.final_ >= t.warn && (warn.is_some() || final_.is_some()) {
        let span = final_
            .as_ref()
            .or(warn.as_ref())
            .map_or_else(|| whole.clone(), |x| x.1.clone());
        ctx.error(
            span,
            format!(
                "`{}` ({}) must be shorter than `{}` ({})",
                names.1,
                crate::text::human_duration(t.final_),
                names.0,
                crate::text::human_duration(t.warn)
            ),
            Some(format!(
                "both count down to zero and `{}` comes last, e.g. {} = \"5m\", {} = \"1m\"",
                names.1, names.0, names.1
            )),
        );
    }
    t
}

/// One `[[session]]` after its own fields are checked, before times are
/// resolved against its neighbours.
struct RawSession {
    header: Span,
    label: String,
    id: Option<(String, Span)>,
    title: Option<String>,
    date: Option<(NaiveDate, Span)>,
    start: Option<(NaiveTime, Span)>,
    end: Option<(NaiveTime, Span)>,
    duration: Option<(TimeDelta, Span)>,
    speakers: Vec<String>,
    notes: Option<String>,
    fixed: bool,
    min_duration: Option<(TimeDelta, Span)>,
    signals: Thresholds,
    intervention: Option<Intervention>,
    /// Start, end or date could not be read: skip checks that need them.
    timing_bad: bool,
}

fn raw_session(
    ctx: &mut Ctx<'_>,
    n: usize,
    item: &Spanned<DeValue<'_>>,
    base: Thresholds,
) -> Option<RawSession> {
    let DeValue::Table(map) = item.get_ref() else {
        ctx.error(
            item.span(),
            format!(
                "session {n} must be a table, not {}",
                type_name(item.get_ref())
            ),
            Some("write each session as a `[[session]]` table".into()),
        );
        return None;
    };
    let mut t = Table {
        map,
        span: item.span(),
        name: format!("session {n}"),
    };
    // The id first, so every later message can name the session by it.
    let id = match t.string(ctx, "id") {
        Ok(Some((s, span))) => {
            if check_text(ctx, s, span.clone(), &format!("`id` of {}", t.name), false).is_err() {
                None
            } else if !values::is_slug(s) {
                let suggestion: String = s
                    .trim()
                    .to_lowercase()
                    .chars()
                    .map(|c| if c.is_whitespace() { '-' } else { c })
                    .filter(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'
                    })
                    .collect();
                let help = if suggestion.is_empty() {
                    "ids use lowercase letters, digits, '-' and '_', e.g. \"panel\"".to_string()
                } else {
                    format!("ids use lowercase letters, digits, '-' and '_', e.g. \"{suggestion}\"")
                };
                ctx.error(
                    span,
                    format!("invalid id '{}' for {}", s, t.name),
                    Some(help),
                );
                None
            } else {
                Some((s.to_string(), span))
            }
        }
        Ok(None) => {
            t.missing(ctx, "id", "\"welcome\"");
            None
        }
        Err(Reported) => None,
    };
    if let Some((id, _)) = &id {
        t.name = format!("session '{id}'");
    }
    t.check_keys(ctx, SESSION_KEYS);

    let mut timing_bad = false;
    let title = ok(t.required_text(ctx, "title", "\"Welcome Remarks\"")).map(|x| x.0);
    let date = t.date(ctx, "date").unwrap_or_else(|_| {
        timing_bad = true;
        None
    });
    let start = match t.time(ctx, "start") {
        Ok(None) => {
            t.missing(ctx, "start", "\"15:00\"");
            timing_bad = true;
            None
        }
        Ok(s) => s,
        Err(Reported) => {
            timing_bad = true;
            None
        }
    };
    let end = t.time(ctx, "end").unwrap_or_else(|_| {
        timing_bad = true;
        None
    });
    let duration = t.duration(ctx, "duration").unwrap_or_else(|_| {
        timing_bad = true;
        None
    });
    if let (Some(_), Some((_, dspan))) = (&end, &duration) {
        ctx.error(
            dspan.clone(),
            format!("{} has both `end` and `duration`", t.name),
            Some("keep one of them".into()),
        );
        timing_bad = true;
    }
    let speakers = ok(t.text_list(ctx, "speakers"))
        .map(|x| x.0)
        .unwrap_or_default();
    let notes = ok(t.text(ctx, "notes")).map(|x| x.0);
    let fixed = ok(t.bool(ctx, "fixed")).is_some_and(|x| x.0);
    let min_duration = ok(t.duration(ctx, "min_duration"));
    let warn = ok(t.duration(ctx, "warn"));
    let final_ = ok(t.duration(ctx, "final"));
    let signals = thresholds(ctx, warn, final_, base, ("warn", "final"), &t.span);
    let slot = ok(t.duration(ctx, "intervention"));
    let iwarn = ok(t.duration(ctx, "intervention_warn"));
    let ifinal = ok(t.duration(ctx, "intervention_final"));
    let intervention = match slot {
        Some((slot, _)) => Some(Intervention {
            slot,
            signals: thresholds(
                ctx,
                iwarn,
                ifinal,
                Intervention::scaled(slot),
                ("intervention_warn", "intervention_final"),
                &t.span,
            ),
        }),
        None => {
            for (key, v) in [
                ("intervention_warn", &iwarn),
                ("intervention_final", &ifinal),
            ] {
                if let Some((_, span)) = v {
                    ctx.error(
                        span.clone(),
                        format!("`{key}` in {} without `intervention`", t.name),
                        Some("set the slot length too, e.g. `intervention = \"3m\"`".into()),
                    );
                }
            }
            None
        }
    };
    Some(RawSession {
        header: t.span.clone(),
        label: t.name,
        id,
        title,
        date,
        start,
        end,
        duration,
        speakers,
        notes,
        fixed,
        min_duration,
        signals,
        intervention,
        timing_bad,
    })
}

/// A session's resolved times, or `None` where an error was reported.
#[derive(Clone, Default)]
struct Times {
    start: Option<DateTime<Utc>>,
    end: Option<DateTime<Utc>>,
}

pub(super) fn validate(
    root: &DeTable<'_>,
    root_span: Span,
    src: &str,
    file_name: &str,
    sha256: String,
) -> Result<Agenda, Diagnostics> {
    let mut ctx = Ctx {
        src,
        problems: Vec::new(),
        lines: LineIndex::new(src),
    };
    let top = Table {
        map: root,
        span: root_span.start..root_span.start,
        name: "the top level".into(),
    };
    top.check_keys(&mut ctx, TOP_KEYS);

    let (mut event, spec) = match event(&mut ctx, &top) {
        Some((e, spec)) => (Some(e), spec),
        None => (None, HardEndSpec::None),
    };
    let signals = signals(&mut ctx, &top);
    let sessions = sessions(&mut ctx, &top, event.as_mut(), &spec, signals);

    if !ctx.problems.is_empty() {
        return Err(report(&ctx, file_name));
    }
    match (event, sessions) {
        (Some(event), Some(sessions)) => Ok(Agenda {
            file_name: file_name.to_string(),
            sha256,
            event,
            signals,
            sessions,
        }),
        // Unreachable when every failure reports, but never panic on input.
        _ => Err(Diagnostics(vec![Diagnostic::file_level(
            file_name,
            "agenda could not be validated",
        )])),
    }
}

fn report(ctx: &Ctx<'_>, file_name: &str) -> Diagnostics {
    let mut order: Vec<&Problem> = ctx.problems.iter().collect();
    order.sort_by_key(|p| p.span.start);
    let mut out: Vec<Diagnostic> = order
        .iter()
        .take(MAX_PROBLEMS)
        .map(|p| {
            let mut d = Diagnostic::at_indexed(
                file_name,
                ctx.src,
                &ctx.lines,
                p.span.clone(),
                p.message.clone(),
            );
            d.help = p.help.clone();
            d
        })
        .collect();
    if order.len() > MAX_PROBLEMS {
        out.push(Diagnostic::file_level(
            file_name,
            format!("{} more problems not shown", order.len() - MAX_PROBLEMS),
        ));
    }
    Diagnostics(out)
}

fn sub_table<'t, 'i>(
    ctx: &mut Ctx<'_>,
    top: &Table<'t, 'i>,
    key: &str,
    name: &str,
) -> Result<Option<Table<'t, 'i>>, Reported> {
    match top.get(key) {
        None => Ok(None),
        Some(v) => match v.get_ref() {
            DeValue::Table(map) => Ok(Some(Table {
                map,
                span: v.span(),
                name: name.into(),
            })),
            _ => {
                ctx.error(
                    v.span(),
                    format!("`{key}` must be a table, not {}", type_name(v.get_ref())),
                    Some(format!("write it as a `{name}` section")),
                );
                Err(Reported)
            }
        },
    }
}

/// The `[event]` table, or `None` when something in it is wrong (reported).
fn event(ctx: &mut Ctx<'_>, top: &Table<'_, '_>) -> Option<(Event, HardEndSpec)> {
    let t = match sub_table(ctx, top, "event", "[event]") {
        Ok(Some(t)) => t,
        Ok(None) => {
            ctx.error(
                top.span.clone(),
                "missing [event] table",
                Some("start the file with `[event]` and its `title`, `date` and `timezone`".into()),
            );
            return None;
        }
        Err(Reported) => return None,
    };
    t.check_keys(ctx, EVENT_KEYS);
    let title = t.required_text(ctx, "title", "\"GCM Talk\"");
    let date = match t.date(ctx, "date") {
        Ok(None) => {
            t.missing(ctx, "date", "\"2023-06-22\"");
            Err(Reported)
        }
        other => other,
    };
    let tz = match t.zone(ctx, "timezone") {
        Ok(None) => {
            t.missing(ctx, "timezone", "\"Europe/Zurich\"");
            Err(Reported)
        }
        other => other,
    };
    let venue = t.text(ctx, "venue");
    let languages = t.text_list(ctx, "languages");
    let also_show = t.zone_list(ctx, "also_show");
    let must_end_by = hard_end_spec(ctx, &t);
    let go_guard = t.int_in(ctx, "go_guard_ms", 0, 5000);

    let (
        Ok(Some((title, _))),
        Ok(Some((date, _))),
        Ok(Some((tz, _))),
        Ok(venue),
        Ok(languages),
        Ok(also_show),
        Ok(must),
    ) = (title, date, tz, venue, languages, also_show, must_end_by)
    else {
        // A bad zone or date still lets sessions be checked field by field.
        return None;
    };
    Some((
        Event {
            title,
            date,
            tz,
            venue: venue.map(|v| v.0),
            languages: languages.map(|l| l.0).unwrap_or_default(),
            also_show: also_show.map(|l| l.0).unwrap_or_default(),
            // Resolved per day once the sessions' days are known.
            must_end_by: Vec::new(),
            go_guard: go_guard
                .ok()
                .flatten()
                .map_or(super::DEFAULT_GO_GUARD, |(ms, _)| {
                    TimeDelta::milliseconds(ms)
                }),
        },
        must,
    ))
}

/// `must_end_by` as written: one time for every day of the event, or a
/// table of dates and times.
enum HardEndSpec {
    None,
    EveryDay(NaiveTime, Span),
    /// `(date, time, span of the time)`, in file order.
    PerDay(Vec<(NaiveDate, NaiveTime, Span)>),
}

fn hard_end_spec(ctx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Result<HardEndSpec, Reported> {
    let Some(v) = t.get("must_end_by") else {
        return Ok(HardEndSpec::None);
    };
    let DeValue::Table(map) = v.get_ref() else {
        return match t.time(ctx, "must_end_by")? {
            Some((time, span)) => Ok(HardEndSpec::EveryDay(time, span)),
            None => Ok(HardEndSpec::None),
        };
    };
    let inner = Table {
        map,
        span: v.span(),
        name: "`must_end_by`".into(),
    };
    let mut out = Vec::new();
    let mut bad = false;
    for (k, _) in map.iter() {
        let key: &str = k.get_ref();
        let date = match values::parse_date(key) {
            Ok(d) => d,
            Err(_) => {
                ctx.error(
                    k.span(),
                    format!(
                        "`must_end_by` has '{}', which is not a date like \"2023-06-22\"",
                        sanitize(key)
                    ),
                    Some("give one line per day: \"2023-06-22\" = \"16:45\"".into()),
                );
                bad = true;
                continue;
            }
        };
        match inner.time(ctx, key) {
            Ok(Some((time, span))) => out.push((date, time, span)),
            _ => bad = true,
        }
    }
    if bad {
        Err(Reported)
    } else {
        Ok(HardEndSpec::PerDay(out))
    }
}

/// The hard end of each day `must_end_by` gives: every day of the event
/// (the event's date and each session's) for a single time, or the dates
/// the table names, each of which must be a day with a session.
fn hard_ends(
    ctx: &mut Ctx<'_>,
    event: &Event,
    spec: &HardEndSpec,
    times: &[Times],
) -> Vec<HardEnd> {
    let tz = event.tz;
    let mut days: Vec<NaiveDate> = times
        .iter()
        .filter_map(|t| t.start.map(|s| s.with_timezone(&tz).date_naive()))
        .collect();
    days.push(event.date);
    days.sort_unstable();
    days.dedup();
    let wanted: Vec<(NaiveDate, NaiveTime, Span)> = match spec {
        HardEndSpec::None => return Vec::new(),
        HardEndSpec::EveryDay(time, span) => {
            days.iter().map(|d| (*d, *time, span.clone())).collect()
        }
        HardEndSpec::PerDay(list) => list.clone(),
    };
    let mut out = Vec::new();
    for (date, time, span) in wanted {
        if !days.contains(&date) {
            let list: Vec<String> = days.iter().map(|d| d.to_string()).collect();
            ctx.error(
                span,
                format!("`must_end_by` gives a hard end on {date}, a day with no session"),
                Some(format!("the event's days are {}", list.join(", "))),
            );
            continue;
        }
        if let Ok(at) = resolve_reported(
            ctx,
            tz,
            date,
            time,
            span,
            "the hard end `must_end_by` is at",
        ) {
            out.push(HardEnd { date, at });
        }
    }
    out.sort_by_key(|h| h.date);
    out
}

fn signals(ctx: &mut Ctx<'_>, top: &Table<'_, '_>) -> Thresholds {
    let Ok(Some(t)) = sub_table(ctx, top, "signals", "[signals]") else {
        return Thresholds::default();
    };
    t.check_keys(ctx, SIGNAL_KEYS);
    let warn = t.duration(ctx, "warn").unwrap_or_default();
    let final_ = t.duration(ctx, "final").unwrap_or_default();
    thresholds(
        ctx,
        warn,
        final_,
        Thresholds::default(),
        ("warn", "final"),
        &t.span,
    )
}

fn sessions(
    ctx: &mut Ctx<'_>,
    top: &Table<'_, '_>,
    event: Option<&mut Event>,
    hard: &HardEndSpec,
    signals: Thresholds,
) -> Option<Vec<Session>> {
    let items = match top.get("session") {
        None => {
            ctx.error(
                top.span.clone(),
                "agenda has no sessions",
                Some("add a `[[session]]` table with an `id`, a `title` and a `start`".into()),
            );
            return None;
        }
        Some(v) => match v.get_ref() {
            DeValue::Array(a) if !a.is_empty() => &a[..],
            other => {
                ctx.error(
                    v.span(),
                    format!(
                        "`session` must be an array of tables, not {}",
                        type_name(other)
                    ),
                    Some("write each session as `[[session]]`, with double brackets".into()),
                );
                return None;
            }
        },
    };

    let raws: Vec<RawSession> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| raw_session(ctx, i + 1, item, signals))
        .collect();

    // Duplicate ids: one pass with a map, never pairwise.
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(raws.len());
    for r in &raws {
        if let Some((id, span)) = &r.id {
            if let Some(&line) = seen.get(id.as_str()) {
                ctx.error(
                    span.clone(),
                    format!("duplicate session id '{id}'"),
                    Some(format!(
                        "the session on line {line} already uses '{id}'; ids must be unique"
                    )),
                );
            } else {
                seen.insert(id, ctx.line_of(r.header.start));
            }
        }
    }

    let event = event?;
    let mut times = resolve_times(ctx, event, &raws);
    // Open ends are filled in by `check_order`, which also needs the hard
    // ends; the days come from the starts, which are known now.
    event.must_end_by = hard_ends(ctx, event, hard, &times);
    check_order(ctx, event, &raws, &mut times);

    let mut out = Vec::with_capacity(raws.len());
    for (r, t) in raws.into_iter().zip(times) {
        let (Some((id, _)), Some(title), Some(start), Some(end)) = (r.id, r.title, t.start, t.end)
        else {
            continue;
        };
        if let Some((min, span)) = &r.min_duration
            && *min > end - start
        {
            ctx.error(
                span.clone(),
                format!(
                    "`min_duration` ({}) of {} is longer than the session ({})",
                    crate::text::human_duration(*min),
                    r.label,
                    crate::text::human_duration(end - start)
                ),
                Some("a session can only shrink: make `min_duration` shorter".into()),
            );
        }
        out.push(Session {
            id,
            title,
            start,
            end,
            speakers: r.speakers,
            notes: r.notes,
            fixed: r.fixed,
            min_duration: r.min_duration.map(|m| m.0),
            signals: r.signals,
            intervention: r.intervention,
            line: ctx.line_of(r.header.start),
            removed: false,
        });
    }
    Some(out)
}

/// Resolves each session's start and explicit end to instants. Ends taken
/// from the next session's start are filled in by `check_order`.
fn resolve_times(ctx: &mut Ctx<'_>, event: &Event, raws: &[RawSession]) -> Vec<Times> {
    let tz = event.tz;
    let mut date = event.date;
    let mut out = Vec::with_capacity(raws.len());
    for r in raws {
        if let Some((d, span)) = &r.date {
            if *d < event.date {
                ctx.error(
                    span.clone(),
                    format!(
                        "{} is dated {d}, before the event's date {}",
                        r.label, event.date
                    ),
                    Some(
                        "a session's `date` is the day it happens, on or after the event's `date`"
                            .into(),
                    ),
                );
            }
            date = *d;
        }
        let mut t = Times::default();
        if r.timing_bad {
            out.push(t);
            continue;
        }
        let Some((start, sspan)) = &r.start else {
            out.push(t);
            continue;
        };
        t.start = resolve_reported(
            ctx,
            tz,
            date,
            *start,
            sspan.clone(),
            &format!("{} starts at", r.label),
        )
        .ok();
        if let Some((end, espan)) = &r.end {
            if end <= start {
                ctx.error(
                    espan.clone(),
                    format!(
                        "{} ends at {}, before its start at {}",
                        r.label,
                        hm(*end),
                        hm(*start)
                    ),
                    Some("for a session that runs past midnight, use `duration`".into()),
                );
            } else {
                let e = resolve_reported(
                    ctx,
                    tz,
                    date,
                    *end,
                    espan.clone(),
                    &format!("{} ends at", r.label),
                )
                .ok();
                if let (Some(s), Some(e)) = (t.start, e) {
                    // Wall-clock order holds, but a clock change can still
                    // fold the end back before the start.
                    if e <= s {
                        ctx.error(
                            espan.clone(),
                            format!(
                                "{} ends at {}, before its start at {}",
                                r.label,
                                hm(*end),
                                hm(*start)
                            ),
                            Some("the clocks change in between; use `duration` instead".into()),
                        );
                    } else {
                        t.end = Some(e);
                    }
                }
            }
        } else if let (Some((d, _)), Some(s)) = (&r.duration, t.start) {
            t.end = Some(s + *d);
        }
        out.push(t);
    }
    out
}

/// Sessions must follow each other: no going back, no overlap, and the hard
/// end respected. Also fills in ends that run until the next start.
fn check_order(ctx: &mut Ctx<'_>, event: &Event, raws: &[RawSession], times: &mut [Times]) {
    let tz = event.tz;
    let local = |t: DateTime<Utc>| crate::text::clock_hm(t, tz);
    let mut prev: Option<usize> = None;
    for i in 0..raws.len() {
        let r = &raws[i];
        let Some(start) = times[i].start else {
            // Unknown start (already reported): nothing to compare against,
            // and the previous session's open end stays unknown.
            prev = None;
            continue;
        };
        let span = r.start.as_ref().map_or(r.header.clone(), |s| s.1.clone());
        if let Some(j) = prev {
            let p = &raws[j];
            let pstart = times[j].start.unwrap_or(start);
            let open = p.end.is_none() && p.duration.is_none();
            if start < pstart {
                ctx.error(
                    span.clone(),
                    format!(
                        "{} starts at {}, before {} starts at {}",
                        r.label,
                        local(start),
                        short(&p.label),
                        local(pstart)
                    ),
                    Some(if r.date.is_none() {
                        // Listed after a session it precedes on the wall
                        // clock: most likely the next day's.
                        let next = pstart.with_timezone(&tz).date_naive() + TimeDelta::days(1);
                        format!(
                            "if it is on the next day, set `date = \"{next}\"` in it; \
                             otherwise list sessions in the order they happen"
                        )
                    } else {
                        "list sessions in the order they happen".into()
                    }),
                );
            } else if start == pstart {
                ctx.error(
                    span.clone(),
                    format!(
                        "{} starts at {}, the same time as {}",
                        r.label,
                        local(start),
                        short(&p.label)
                    ),
                    Some("give each session its own start".into()),
                );
            } else if open && j + 1 == i {
                times[j].end = Some(start);
            } else if let Some(pend) = times[j].end
                && start < pend
            {
                ctx.error(
                    span.clone(),
                    format!(
                        "{} starts at {}, before {} ends at {}",
                        r.label,
                        local(start),
                        short(&p.label),
                        local(pend)
                    ),
                    Some(format!(
                        "start it at {} or later, or end {} earlier",
                        local(pend),
                        short(&p.label)
                    )),
                );
            }
        }
        prev = Some(i);
    }
    if let (Some(last), Some(lt)) = (raws.last(), times.last())
        && last.end.is_none()
        && last.duration.is_none()
        && !last.timing_bad
        && lt.start.is_some()
    {
        ctx.error(
            last.header.clone(),
            format!("the last session, {}, has no end", short(&last.label)),
            Some("add `end = \"16:30\"` or `duration = \"10m\"`: nothing follows it".into()),
        );
    }
    // Every session past the hard end of its day, each with its date.
    for (r, t) in raws.iter().zip(times.iter()) {
        let (Some(start), Some(end)) = (t.start, t.end) else {
            continue;
        };
        let day = start.with_timezone(&tz).date_naive();
        let Some(hard) = event.must_end_by.iter().find(|h| h.date == day) else {
            continue;
        };
        if end > hard.at {
            let span = match (&r.end, &r.duration) {
                (Some((_, s)), _) | (None, Some((_, s))) => s.clone(),
                (None, None) => r.header.clone(),
            };
            let next_day = if end.with_timezone(&tz).date_naive() > day {
                " the next day"
            } else {
                ""
            };
            ctx.error(
                span,
                format!(
                    "{} ends at {}{next_day} on {}, after that day's hard end at {} (`must_end_by`)",
                    r.label,
                    local(end),
                    day.format("%a %-d %b %Y"),
                    local(hard.at)
                ),
                Some("shorten the programme, or move `must_end_by` if the room allows".into()),
            );
        }
    }
}

/// `session 'welcome'` → `'welcome'`, for the second name in a message.
fn short(label: &str) -> &str {
    label.strip_prefix("session ").unwrap_or(label)
}
/// The help for a zone abbreviation (`JST`, `CEST`): the IANA zones that
/// use it, in winter or in summer, so the fix can be copied: `"JST"` →
/// `write "Asia/Tokyo"`. Abbreviations change with the seasons and several
/// zones share one, so they are never accepted as zones.
fn abbreviation_help(abbr: &str) -> String {
    use chrono::TimeZone;
    let seasons = [(2023, 1, 15), (2023, 7, 15)].map(|(y, m, d)| {
        chrono::NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(12, 0, 0))
    });
    // Area/City names only: the old aliases ("Japan", "Etc/…") are not
    // what anyone should write.
    let users: Vec<&str> = chrono_tz::TZ_VARIANTS
        .iter()
        .filter(|z| z.name().contains('/') && !z.name().starts_with("Etc/"))
        .filter(|z| {
            seasons
                .iter()
                .flatten()
                .any(|t| z.from_utc_datetime(t).format("%Z").to_string() == abbr)
        })
        .map(|z| z.name())
        .collect();
    let why = "abbreviations change with the seasons and several zones share one";
    match users.as_slice() {
        [] => format!("use an IANA zone name such as \"Europe/Zurich\": {why}"),
        [one] => format!("write \"{one}\" instead: {why}"),
        many => {
            // Examples from the big areas first (Europe/…, America/…), not
            // from Arctic/… or Atlantic/…, which few venues are in.
            let areas = [
                "Europe/",
                "America/",
                "Asia/",
                "Australia/",
                "Africa/",
                "Pacific/",
            ];
            let rank = |z: &str| {
                areas
                    .iter()
                    .position(|a| z.starts_with(a))
                    .unwrap_or(areas.len())
            };
            let mut ranked = many.to_vec();
            ranked.sort_by_key(|z| rank(z));
            let shown: Vec<String> = ranked.iter().take(3).map(|z| format!("\"{z}\"")).collect();
            format!(
                "{abbr} is used by {} zones, e.g. {}: write the one of the venue's city; {why}",
                many.len(),
                shown.join(", ")
            )
        }
    }
}
