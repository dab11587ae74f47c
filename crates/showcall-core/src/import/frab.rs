//! frab/pentabarf `schedule.xml` (CCC, FOSDEM, pretalx exports), read with
//! `quick-xml` and serde, and the conversion of one frab event into an
//! [`Item`] shared with `frab_json`.
//!
//! A frab "day" is a conference day, not a calendar date: a 00:15 talk can
//! belong to the day before. Each event's absolute `<date>` is used where it
//! exists; old files without it use the conference's `day_change`.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta};
use quick_xml::events::Event as XmlEvent;
use serde::Deserialize;

use super::clean;
use super::model::{DateSpec, Item, Loc, Source, When, ZoneHint};
use crate::diag::{Diagnostic, Diagnostics};

#[derive(Debug, Deserialize)]
struct Schedule {
    conference: Option<Conference>,
    #[serde(rename = "day", default)]
    days: Vec<Day>,
}

#[derive(Debug, Deserialize)]
struct Conference {
    title: Option<String>,
    day_change: Option<String>,
    time_zone_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Day {
    #[serde(rename = "@index")]
    index: Option<String>,
    #[serde(rename = "@date")]
    date: Option<String>,
    #[serde(rename = "room", default)]
    rooms: Vec<Room>,
}

#[derive(Debug, Deserialize)]
struct Room {
    #[serde(rename = "@name")]
    name: Option<String>,
    #[serde(rename = "event", default)]
    events: Vec<XmlEventEl>,
}

#[derive(Debug, Deserialize)]
struct XmlEventEl {
    #[serde(rename = "@id")]
    id: Option<String>,
    #[serde(rename = "@guid")]
    guid: Option<String>,
    date: Option<String>,
    start: Option<String>,
    duration: Option<String>,
    room: Option<String>,
    title: Option<String>,
    subtitle: Option<String>,
    persons: Option<Persons>,
}

#[derive(Debug, Deserialize)]
struct Persons {
    #[serde(rename = "person", default)]
    person: Vec<Person>,
}

#[derive(Debug, Deserialize)]
struct Person {
    #[serde(rename = "$text")]
    name: Option<String>,
}

/// One frab event, whatever file it came from.
pub struct FrabEvent {
    /// frab's event `id`, raw; the session's id comes from it when it is
    /// not blank.
    pub id: Option<String>,
    /// frab's `guid`, raw; the session's id comes from it when `id` is
    /// blank or missing.
    pub guid: Option<String>,
    /// The event's start as a full date-time with offset
    /// (`2023-06-22T15:00:00+02:00`), raw, when the file gives one.
    pub date: Option<String>,
    /// The start as a time of day (`15:00`), raw, on the conference day it is
    /// listed under.
    pub start: Option<String>,
    /// How long it lasts (`00:45`, pretalx's `1:00:00` for a day), raw; read by
    /// [`frab_duration`].
    pub duration: Option<String>,
    /// The room it is listed in, raw.
    pub room: Option<String>,
    /// Its title, raw (cleaned when the item is made).
    pub title: Option<String>,
    /// Its subtitle, raw; it becomes the session's notes.
    pub subtitle: Option<String>,
    /// The speakers' names, raw, in the file's order.
    pub persons: Vec<String>,
}

/// The conference day an event is listed under.
pub struct FrabDay {
    /// frab's day `index`, 1-based: the conference day `--day N` picks.
    pub index: u32,
    /// The day's calendar date, if the file gives it.
    pub date: Option<NaiveDate>,
    /// When this day's calendar date turns: times before it belong to the
    /// next calendar date (frab's `day_change`, 04:00 when not given).
    pub day_change: NaiveTime,
}

impl FrabDay {
    /// Day `index` on `date` (`YYYY-MM-DD`, as frab writes it), recorded in
    /// `source` so `--day` can name it.
    pub fn new(
        source: &mut Source,
        index: u32,
        date: Option<&str>,
        day_change: NaiveTime,
    ) -> FrabDay {
        let date = date.and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok());
        if let Some(date) = date {
            source.days.push((index, date));
        }
        FrabDay {
            index,
            date,
            day_change,
        }
    }
}

/// `00:25`, `01:30:00`: frab writes durations as `HH:MM` (and some
/// writers `HH:MM:SS`, hours two digits). pretalx writes a day or more as
/// `D:HH:MM`, the days unpadded (its `serialize_duration`: 24 hours is
/// `1:00:00`, 25 h 30 is `1:01:30`), so three parts whose first has one
/// digit are days, hours and minutes.
pub fn frab_duration(s: &str) -> Result<TimeDelta, String> {
    let s = s.trim();
    if !s.contains(':') {
        return Err(format!("duration '{s}' is not HH:MM or HH:MM:SS"));
    }
    if let [d, h, m] = s.split(':').collect::<Vec<_>>().as_slice()
        && d.len() == 1
        && h.len() == 2
        && m.len() == 2
    {
        let n = |p: &str| {
            p.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| p.parse::<i64>().ok())
                .flatten()
        };
        return match (n(d), n(h), n(m)) {
            (Some(d), Some(h), Some(m)) if h < 24 && m < 60 && d * 1440 + h * 60 + m > 0 => {
                Ok(TimeDelta::minutes(d * 1440 + h * 60 + m))
            }
            _ => Err(format!(
                "duration '{s}' is not D:HH:MM (pretalx: days, hours to 23, minutes to 59)"
            )),
        };
    }
    super::values::duration(&super::values::Cell::Text(s.to_string()))
        .map_err(|_| format!("duration '{s}' is not HH:MM or HH:MM:SS, longer than zero"))
}

fn frab_time(s: &str) -> Result<NaiveTime, String> {
    let s = s.trim();
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .map_err(|_| format!("start '{s}' is not HH:MM"))
}

/// `04:00` or `04:00:00`.
pub fn day_change(s: Option<&str>) -> NaiveTime {
    s.and_then(|s| frab_time(s).ok())
        .unwrap_or(NaiveTime::from_hms_opt(4, 0, 0).unwrap_or_default())
}

/// Where an event's absolute `<date>` (which is used) and its `<start>`
/// name different wall-clock times: `'Title' (date 2020-12-14T09:00:00+01:00,
/// start 10:00)`. `None` when they agree or one is missing or unreadable.
pub fn date_start_clash(ev: &FrabEvent) -> Option<String> {
    let date = DateTime::parse_from_rfc3339(ev.date.as_deref()?.trim()).ok()?;
    let start = frab_time(ev.start.as_deref()?).ok()?;
    (date.time() != start).then(|| {
        format!(
            "'{}' (date {}, start {})",
            clean::line(ev.title.as_deref().unwrap_or("")),
            date.to_rfc3339(),
            start.format("%H:%M")
        )
    })
}

/// The note for events whose `<date>` and `<start>` disagree, if any.
pub fn clash_note(clashes: &[String]) -> Option<String> {
    let first = clashes.first()?;
    Some(format!(
        "{} in the source {} a <date> and a <start> that disagree: the <date> (the exact instant) was used, e.g. {first}",
        if clashes.len() == 1 {
            "1 event".to_string()
        } else {
            format!("{} events", clashes.len())
        },
        if clashes.len() == 1 { "has" } else { "have" }
    ))
}

/// Turns one frab event into an item, or says what is wrong with it.
pub fn item(ev: FrabEvent, day: &FrabDay, room: Option<&str>, loc: Loc) -> Result<Item, String> {
    let start = match (&ev.date, &ev.start) {
        (Some(d), _) if !d.trim().is_empty() => {
            When::Instant(DateTime::parse_from_rfc3339(d.trim()).map_err(|_| {
                format!(
                    "date '{}' is not an ISO 8601 date-time with offset",
                    d.trim()
                )
            })?)
        }
        (_, Some(s)) => {
            let t = frab_time(s)?;
            let date = day
                .date
                .ok_or_else(|| "the event's day has no date and the event no <date>".to_string())?;
            // Before day_change, the clock has passed midnight: the next date.
            let date = if t < day.day_change {
                date.succ_opt().unwrap_or(date)
            } else {
                date
            };
            When::Clock {
                date: DateSpec::Known(date),
                time: t,
            }
        }
        _ => return Err("the event has neither <date> nor <start>".into()),
    };
    let duration = match &ev.duration {
        Some(d) if !d.trim().is_empty() => Some(frab_duration(d)?),
        _ => None,
    };
    let title = clean::line(ev.title.as_deref().unwrap_or(""));
    let subtitle = ev
        .subtitle
        .as_deref()
        .map(clean::notes)
        .filter(|s| !s.is_empty());
    Ok(Item {
        loc,
        start_loc: None,
        id: ev.id.filter(|s| !s.trim().is_empty()).or(ev.guid),
        title: if title.is_empty() {
            "(untitled)".into()
        } else {
            title
        },
        room: ev
            .room
            .filter(|r| !r.trim().is_empty())
            .or(room.map(str::to_string))
            .map(|r| clean::line(&r)),
        day: Some(day.index),
        start: Some(start),
        end: None,
        duration,
        end_rolls: false,
        speakers: ev
            .persons
            .iter()
            .map(|p| clean::line(p))
            .filter(|p| !p.is_empty())
            .collect(),
        moderators: Vec::new(),
        notes: subtitle,
    })
}

/// Byte spans of every `<event` start tag, in document order; or the
/// located syntax error.
fn event_spans(text: &str, file: &str) -> Result<(Vec<(usize, usize)>, bool), Diagnostic> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut spans = Vec::new();
    let mut root_seen = false;
    let mut is_schedule = false;
    // Elements still open, innermost last: (name, where its tag is).
    let mut open: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(XmlEvent::Start(e)) => {
                if !root_seen {
                    root_seen = true;
                    is_schedule = e.name().0 == "schedule";
                }
                let end = reader.buffer_position() as usize;
                if e.name().0 == "event" {
                    spans.push((before, end));
                }
                open.push((e.name().0.to_string(), before..end));
            }
            Ok(XmlEvent::Empty(e)) => {
                if !root_seen {
                    root_seen = true;
                    is_schedule = e.name().0 == "schedule";
                }
                if e.name().0 == "event" {
                    spans.push((before, reader.buffer_position() as usize));
                }
            }
            Ok(XmlEvent::End(_)) => {
                open.pop();
            }
            Ok(XmlEvent::GeneralRef(r)) => {
                // Entities are only read later: say here where a bad one is.
                let name = r.into_inner();
                let problem = if name.starts_with('#') {
                    match quick_xml::events::BytesRef::new(name.as_ref()).resolve_char_ref() {
                        Ok(Some(c)) if c != '\0' => None,
                        Ok(_) => Some(format!("'&{name};' is not a character a text may hold")),
                        Err(e) => Some(format!("'&{name};' cannot be read: {e}")),
                    }
                } else if matches!(name.as_ref(), "lt" | "gt" | "amp" | "apos" | "quot") {
                    None
                } else {
                    Some(format!(
                        "'&{name};' is not an XML entity (only &lt; &gt; &amp; &apos; &quot;)"
                    ))
                };
                if let Some(message) = problem {
                    let end = reader.buffer_position() as usize;
                    return Err(Diagnostic::at(
                        file,
                        text,
                        before..end.max(before + 1),
                        crate::text::sanitize(&message).into_owned(),
                    )
                    .with_help("write & as &amp; in texts, or export the schedule again"));
                }
            }
            Ok(XmlEvent::Eof) => {
                if let Some((name, at)) = open.pop() {
                    let name = crate::text::sanitize(&name).into_owned();
                    return Err(Diagnostic::at(
                        file,
                        text,
                        at,
                        format!("the file ends inside <{name}>, opened here: it is cut short"),
                    )
                    .with_help("the download or copy was interrupted; export the schedule again"));
                }
                break;
            }
            Ok(_) => {}
            Err(e) => {
                let at = reader.error_position() as usize;
                return Err(Diagnostic::at(
                    file,
                    text,
                    at..at + 1,
                    format!("this XML cannot be read: {e}"),
                )
                .with_help("the file is damaged or not XML; export the schedule again"));
            }
        }
    }
    Ok((spans, is_schedule))
}

/// Reads a frab `schedule.xml`.
pub fn read(bytes: &[u8], file: &str) -> Result<Source, Diagnostics> {
    let text = super::detect::utf8(bytes, file)?;
    let text: &str = &text;
    let (spans, is_schedule) = event_spans(text, file).map_err(|d| Diagnostics(vec![d]))?;
    if !is_schedule {
        return Err(Diagnostics(vec![
            Diagnostic::file_level(
                file,
                "an XML file whose root is not <schedule>: not a frab schedule.xml",
            )
            .with_help("give a frab/pentabarf schedule.xml, or --format for another format"),
        ]));
    }
    let schedule: Schedule = quick_xml::de::from_str(text).map_err(|e| {
        Diagnostics(vec![
            Diagnostic::file_level(file, format!("not a frab schedule.xml: {e}"))
                .with_help("compare the file with frab's schedule.xml.xsd"),
        ])
    })?;
    let mut source = Source {
        text: Some(text.to_string()),
        ..Source::default()
    };
    let conf = schedule.conference;
    let change = day_change(conf.as_ref().and_then(|c| c.day_change.as_deref()));
    if let Some(c) = &conf {
        source.title = c
            .title
            .as_deref()
            .map(clean::line)
            .filter(|t| !t.is_empty());
        if let Some(z) = c.time_zone_name.as_deref().filter(|z| !z.trim().is_empty()) {
            let needle = format!("<time_zone_name>{z}");
            source.zone = ZoneHint {
                name: Some(z.trim().to_string()),
                loc: Loc::Find(needle),
            };
        }
    }
    source.offsets_are_local = true;
    let mut errors = Vec::new();
    let mut clashes = Vec::new();
    let mut n = 0usize;
    for (di, d) in schedule.days.into_iter().enumerate() {
        let index = d
            .index
            .as_deref()
            .and_then(|i| i.trim().parse().ok())
            .unwrap_or(di as u32 + 1);
        let day = FrabDay::new(&mut source, index, d.date.as_deref(), change);
        for room in d.rooms {
            if let Some(name) = room.name.as_deref().map(clean::line) {
                source.rooms_listed.push(name);
            }
            for ev in room.events {
                let loc = spans
                    .get(n)
                    .map_or(Loc::File, |(s, e)| Loc::Text { start: *s, end: *e });
                n += 1;
                let fe = FrabEvent {
                    id: ev.id,
                    guid: ev.guid,
                    date: ev.date,
                    start: ev.start,
                    duration: ev.duration,
                    room: ev.room,
                    title: ev.title,
                    subtitle: ev.subtitle,
                    persons: ev
                        .persons
                        .map(|p| p.person.into_iter().filter_map(|p| p.name).collect())
                        .unwrap_or_default(),
                };
                clashes.extend(date_start_clash(&fe));
                match item(fe, &day, room.name.as_deref(), loc.clone()) {
                    Ok(i) => source.items.push(i),
                    Err(m) => errors.push(loc.diag(file, Some(text), m)),
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    if let Some(note) = clash_note(&clashes) {
        source.notes.push(note.clone());
        source.warnings.push(note);
    }
    Ok(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(frab_duration("00:25").unwrap().num_minutes(), 25);
        assert_eq!(frab_duration("03:00").unwrap().num_minutes(), 180);
        assert_eq!(frab_duration("01:30:00").unwrap().num_minutes(), 90);
        assert!(frab_duration("0:00").is_err());
        assert!(frab_duration("25m").is_err());
    }
}
