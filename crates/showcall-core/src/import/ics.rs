//! iCalendar (`.ics`, RFC 5545), parsed with the `icalendar` crate: folded
//! lines, escaped commas and `\n`, `Z` (UTC) times, `TZID` times, floating
//! times. LOCATION is the room; an event without DTEND or DURATION runs
//! until the next. All-day and cancelled events are not sessions.
//!
//! The zone comes from `X-WR-TIMEZONE`, a `VTIMEZONE` written as a property
//! (as some generators do), or the `TZID` every start shares.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use icalendar::parser::{Component, Property, read_calendar, unfold};

use super::clean;
use super::model::{DateSpec, Item, Loc, Source, When, ZoneHint};
use super::recur;
use super::values::iso_duration;
use crate::diag::{Diagnostic, Diagnostics};

/// Byte offsets of each raw line that starts a logical (unfolded) line.
/// An event's `RRULE`, `RDATE` and `EXDATE` lines, rebuilt whole
/// (`EXDATE;TZID=Europe/Berlin:20260808T090000`) for the recurrence crate.
fn recurrence_lines(ev: &Component<'_>) -> Vec<String> {
    ev.properties
        .iter()
        .filter(|p| {
            ["RRULE", "RDATE", "EXDATE"]
                .iter()
                .any(|n| p.name.as_str().eq_ignore_ascii_case(n))
        })
        .map(|p| {
            let mut line = p.name.as_str().to_ascii_uppercase();
            for q in &p.params {
                line.push(';');
                line.push_str(q.key.as_str());
                if let Some(v) = &q.val {
                    line.push('=');
                    line.push_str(v.as_str());
                }
            }
            line.push(':');
            line.push_str(p.val.as_str().trim());
            line
        })
        .collect()
}

/// Every occurrence of the recurring events, up to the last date any other
/// event starts on or the `--day` date, whichever is later (a year after
/// the first start when every event recurs), at most
/// [`recur::MAX_OCCURRENCES`] each; the header says how many.
fn expand_recurring(
    source: &mut Source,
    pending: Vec<(usize, Vec<String>)>,
    day: Option<NaiveDate>,
    file: &str,
    text: &str,
) -> Result<(), Diagnostics> {
    let recurring: Vec<usize> = pending.iter().map(|(i, _)| *i).collect();
    let last_single = source
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| !recurring.contains(i))
        .filter_map(|(_, it)| it.start.as_ref().map(recur::date_of))
        .max();
    let first = source
        .items
        .iter()
        .filter_map(|it| it.start.as_ref().map(recur::date_of))
        .min()
        .unwrap_or(NaiveDate::MIN);
    let until = match (last_single, day) {
        (Some(a), Some(b)) => a.max(b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => first + chrono::TimeDelta::days(365),
    };
    let n = pending.len();
    let total = recur::expand(&mut source.items, pending, until).map_err(|(i, m)| {
        let loc = source.items[i].loc.clone();
        Diagnostics(vec![
            loc.diag(
                file,
                Some(text),
                format!("the event's recurrence cannot be read: {m}"),
            )
            .with_help(
                "fix the RRULE, RDATE or EXDATE, or remove it to import the first occurrence only",
            ),
        ])
    })?;
    source.notes.push(format!(
        "{} recurring {}: {total} occurrences up to {until} imported",
        n,
        if n == 1 { "event" } else { "events" }
    ));
    Ok(())
}

fn logical_lines(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut at = 0;
    for l in text.split_inclusive('\n') {
        at += l.len();
        if at < text.len() && !text[at..].starts_with([' ', '\t']) {
            starts.push(at);
        }
    }
    starts
}

fn prop<'a>(c: &'a Component<'a>, name: &str) -> Option<&'a Property<'a>> {
    c.properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn text_of(p: &Property<'_>) -> String {
    p.val.clone().unescape_text().as_str().trim().to_string()
}

fn param<'a>(p: &'a Property<'a>, name: &str) -> Option<&'a str> {
    p.params
        .iter()
        .find(|q| q.key.as_str().eq_ignore_ascii_case(name))
        .and_then(|q| q.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

enum Time {
    When(When),
    AllDay,
}

fn time_of(p: &Property<'_>) -> Result<Time, String> {
    let v = p.val.as_str().trim();
    if param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || v.len() == 8 {
        return NaiveDate::parse_from_str(v, "%Y%m%d")
            .map(|_| Time::AllDay)
            .map_err(|_| format!("'{v}' is not a date (YYYYMMDD)"));
    }
    let (body, utc) = match v.strip_suffix('Z').or_else(|| v.strip_suffix('z')) {
        Some(b) => (b, true),
        None => (v, false),
    };
    let dt = NaiveDateTime::parse_from_str(body, "%Y%m%dT%H%M%S")
        .or_else(|_| NaiveDateTime::parse_from_str(body, "%Y%m%dT%H%M"))
        .map_err(|_| format!("'{v}' is not a date-time (YYYYMMDDTHHMMSS, with Z for UTC)"))?;
    if utc {
        return Ok(Time::When(When::Instant(
            chrono::Utc.from_utc_datetime(&dt).fixed_offset(),
        )));
    }
    if let Some(tzid) = param(p, "TZID")
        && let Ok(tz) = tzid.trim_start_matches('/').parse::<Tz>()
    {
        return match tz.from_local_datetime(&dt) {
            chrono::LocalResult::Single(t) => Ok(Time::When(When::Zoned(t))),
            _ => Err(format!(
                "{v} does not exist or happens twice in {tzid} (a clock change)"
            )),
        };
    }
    Ok(Time::When(When::Clock {
        date: DateSpec::Known(dt.date()),
        time: dt.time(),
    }))
}

/// Where each `VEVENT` and its properties are in the raw text.
struct Finder<'a> {
    text: &'a str,
    lines: &'a [usize],
    /// Where each VEVENT begins, in order.
    vevent_at: Vec<usize>,
}

impl<'a> Finder<'a> {
    fn new(text: &'a str, lines: &'a [usize]) -> Finder<'a> {
        let vevent_at = lines
            .iter()
            .copied()
            .filter(|&i| {
                text[i..]
                    .get(..12)
                    .is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VEVENT"))
            })
            .collect();
        Finder {
            text,
            lines,
            vevent_at,
        }
    }

    /// The line of property `name` in the `n`th VEVENT (its BEGIN line when
    /// it has none).
    fn at(&self, n: usize, name: &str) -> Loc {
        let Some(&from) = self.vevent_at.get(n) else {
            return Loc::File;
        };
        let to = self
            .vevent_at
            .get(n + 1)
            .copied()
            .unwrap_or(self.text.len());
        self.lines
            .iter()
            .copied()
            .filter(|&i| i >= from && i < to)
            .find(|&i| {
                self.text[i..]
                    .get(..name.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(name))
            })
            .map_or(
                Loc::Text {
                    start: from,
                    end: from + 12,
                },
                |i| Loc::Text {
                    start: i,
                    end: i + name.len(),
                },
            )
    }
}

/// A located problem with one event.
struct Problem(Loc, String);

impl Problem {
    fn diag(self, file: &str, text: Option<&str>) -> Diagnostic {
        self.0.diag(file, text, self.1)
    }
}

/// The `n`th VEVENT as an item with its recurrence lines; `None` when it is
/// not a session (cancelled, all-day), counted in `source`.
fn event(
    ev: &Component<'_>,
    n: usize,
    finder: &Finder,
    source: &mut Source,
    tzids: &mut Vec<String>,
) -> Result<Option<(Item, Vec<String>)>, Problem> {
    let loc = finder.at(n, "BEGIN:VEVENT");
    if prop(ev, "STATUS").is_some_and(|s| text_of(s).eq_ignore_ascii_case("CANCELLED")) {
        source.skip("cancelled event");
        return Ok(None);
    }
    let Some(dtstart) = prop(ev, "DTSTART") else {
        return Err(Problem(loc, "the event has no DTSTART".into()));
    };
    if let Some(t) = param(dtstart, "TZID")
        && !tzids.iter().any(|z| z == t)
    {
        tzids.push(t.to_string());
    }
    let start = match time_of(dtstart) {
        Ok(Time::When(w)) => w,
        Ok(Time::AllDay) => {
            source.skip("all-day event");
            return Ok(None);
        }
        Err(m) => {
            return Err(Problem(finder.at(n, "DTSTART"), m));
        }
    };
    let end = match prop(ev, "DTEND").map(time_of) {
        Some(Ok(Time::When(w))) => Some(w),
        Some(Ok(Time::AllDay)) => None,
        Some(Err(m)) => {
            return Err(Problem(finder.at(n, "DTEND"), m));
        }
        None => None,
    };
    let duration = match prop(ev, "DURATION") {
        Some(p) => match iso_duration(p.val.as_str()) {
            Some(d) if d > chrono::TimeDelta::zero() => Some(d),
            _ => {
                return Err(Problem(
                    finder.at(n, "DURATION"),
                    format!("'{}' is not a duration (PT45M)", p.val.as_str().trim()),
                ));
            }
        },
        None => None,
    };
    let rules = recurrence_lines(ev);
    let title = prop(ev, "SUMMARY")
        .map(|p| clean::line(&text_of(p)))
        .unwrap_or_default();
    let speakers = ev
        .properties
        .iter()
        .filter(|p| {
            p.name.as_str().eq_ignore_ascii_case("ATTENDEE")
                || p.name.as_str().eq_ignore_ascii_case("X-SPEAKER")
        })
        .filter_map(|p| {
            param(p, "CN")
                .map(str::to_string)
                .or_else(|| Some(text_of(p)))
        })
        .map(|s| clean::line(&s))
        .filter(|s| !s.is_empty())
        .collect();
    Ok(Some((
        Item {
            loc,
            start_loc: Some(finder.at(n, "DTSTART")),
            id: prop(ev, "UID").map(text_of).filter(|u| !u.is_empty()),
            title: if title.is_empty() {
                "(untitled)".into()
            } else {
                title
            },
            room: prop(ev, "LOCATION")
                .map(|p| clean::line(&text_of(p)))
                .filter(|r| !r.is_empty()),
            start: Some(start),
            end,
            duration,
            speakers,
            notes: prop(ev, "DESCRIPTION")
                .map(|p| clean::notes(&text_of(p)))
                .filter(|d| !d.is_empty()),
            ..Item::default()
        },
        rules,
    )))
}

/// Reads an iCalendar file.
pub fn read(bytes: &[u8], file: &str, day: Option<NaiveDate>) -> Result<Source, Diagnostics> {
    let text = super::detect::utf8(bytes, file)?;
    let text: &str = &text;
    let unfolded = unfold(text);
    let lines = logical_lines(text);
    let cal = read_calendar(&unfolded).map_err(|e| {
        // The crate counts lines in the unfolded text: the Nth logical line.
        let n = e
            .split("at line ")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(1);
        let at = lines.get(n.saturating_sub(1)).copied().unwrap_or(0);
        Diagnostics(vec![Diagnostic::at(file, text, at..at + 1, "this iCalendar file cannot be read: a line is not NAME:VALUE or BEGIN/END do not match")
            .with_help("export the calendar again; every line must be NAME:VALUE, every BEGIN:X closed by END:X")])
    })?;
    let mut source = Source {
        text: Some(text.to_string()),
        ..Source::default()
    };
    let finder = Finder::new(text, &lines);
    for p in &cal.properties {
        let name = p.name.as_str().to_ascii_uppercase();
        if matches!(name.as_str(), "X-WR-TIMEZONE" | "VTIMEZONE" | "TZID") {
            source.zone = ZoneHint {
                name: Some(text_of(p)),
                loc: Loc::Find(format!("{}:", p.name.as_str())),
            };
        }
        if name == "X-WR-CALNAME" {
            source.title = Some(clean::line(&text_of(p))).filter(|t| !t.is_empty());
        }
    }
    let mut tzids: Vec<String> = Vec::new();
    let mut pending: Vec<(usize, Vec<String>)> = Vec::new();
    let mut errors = Vec::new();
    let events = cal
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"));
    for (n, ev) in events.enumerate() {
        match event(ev, n, &finder, &mut source, &mut tzids) {
            Ok(Some((item, rules))) => {
                if rules.iter().any(|r| !r.starts_with("EXDATE")) {
                    pending.push((source.items.len(), rules));
                }
                source.items.push(item);
            }
            Ok(None) => {}
            Err(d) => errors.push(d.diag(file, Some(text))),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    if !pending.is_empty() {
        expand_recurring(&mut source, pending, day, file, text)?;
    }
    if source.zone.name.is_none() && tzids.len() == 1 {
        let z = tzids[0].trim_start_matches('/').to_string();
        source.zone = ZoneHint {
            loc: Loc::Find(format!("TZID={}", tzids[0])),
            name: Some(z),
        };
    }
    Ok(source)
}
