//! The running order with its projected times for other programs:
//! iCalendar (RFC 5545) and frab `schedule.xml` / `schedule.json`, the
//! format conference apps and info screens read. Each carries the
//! server's version, which changes when the projection does. Cut sessions
//! are left out; every text is escaped for its format.

use chrono::{DateTime, Utc};
use serde_json::json;

use showcall_core::show::{RowState, Show};

/// One session as the feeds give it: its projected start and end.
struct Item<'a> {
    id: &'a str,
    title: String,
    speakers: Vec<String>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

fn items(show: &Show, now: DateTime<Utc>) -> Vec<Item<'_>> {
    let snap = show.at(now);
    snap.rows
        .iter()
        .filter(|r| r.state != RowState::Cut)
        .map(|r| {
            let s = &show.agenda.sessions[r.idx];
            Item {
                id: &s.id,
                title: clean(&s.title),
                speakers: s.speakers.iter().map(|p| clean(p)).collect(),
                start: r.start,
                end: r.end.max(r.start),
            }
        })
        .collect()
}

fn clean(s: &str) -> String {
    showcall_core::text::sanitize(s).into_owned()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 §3.1), on char boundaries.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in line.chars() {
        if n + c.len_utf8() > 74 {
            out.push_str("\r\n ");
            n = 1;
        }
        out.push(c);
        n += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// The running order as an iCalendar file, `version` in its `X-` header
/// and in each event's `SEQUENCE`.
pub fn ics(show: &Show, now: DateTime<Utc>, version: u64) -> String {
    let stamp = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//showcall//serve//EN".into(),
        format!(
            "X-WR-CALNAME:{}",
            ics_text(&clean(&show.agenda.event.title))
        ),
        format!("X-SHOWCALL-VERSION:{version}"),
    ] {
        out.push_str(&fold(&l));
    }
    for it in items(show, now) {
        for l in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@showcall", ics_text(it.id)),
            format!("DTSTAMP:{}", stamp(now)),
            format!("SEQUENCE:{version}"),
            format!("DTSTART:{}", stamp(it.start)),
            format!("DTEND:{}", stamp(it.end)),
            format!("SUMMARY:{}", ics_text(&it.title)),
            format!("DESCRIPTION:{}", ics_text(&it.speakers.join(", "))),
            "END:VEVENT".into(),
        ] {
            out.push_str(&fold(&l));
        }
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// Escapes text for XML content and attributes (already cleaned).
fn xml(s: &str) -> String {
    showcall_core::text::xml_escape(s)
}

/// `H:MM`, a frab duration.
fn duration(d: chrono::TimeDelta) -> String {
    let m = d.num_minutes().max(0);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// The running order as frab `schedule.xml`, `version` as its version.
pub fn frab_xml(show: &Show, now: DateTime<Utc>, version: u64) -> String {
    let ev = &show.agenda.event;
    let tz = ev.tz;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n  <version>{version}</version>\n  <conference>\n    <title>{}</title>\n    <time_zone_name>{}</time_zone_name>\n  </conference>\n",
        xml(&clean(&ev.title)),
        tz.name()
    );
    let items = items(show, now);
    let mut days: Vec<chrono::NaiveDate> = items
        .iter()
        .map(|i| i.start.with_timezone(&tz).date_naive())
        .collect();
    days.dedup();
    for (n, day) in days.iter().enumerate() {
        out.push_str(&format!(
            "  <day index=\"{}\" date=\"{day}\">\n    <room name=\"{}\">\n",
            n + 1,
            xml(&clean(ev.venue.as_deref().unwrap_or("Main")))
        ));
        for (i, it) in items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.start.with_timezone(&tz).date_naive() == *day)
        {
            let local = it.start.with_timezone(&tz);
            out.push_str(&format!(
                "      <event id=\"{}\" guid=\"{}\">\n        <date>{}</date>\n        <start>{}</start>\n        <duration>{}</duration>\n        <title>{}</title>\n        <persons>{}</persons>\n      </event>\n",
                i + 1,
                xml(it.id),
                local.to_rfc3339(),
                local.format("%H:%M"),
                duration(it.end - it.start),
                xml(&it.title),
                it.speakers
                    .iter()
                    .map(|p| format!("<person>{}</person>", xml(p)))
                    .collect::<String>(),
            ));
        }
        out.push_str("    </room>\n  </day>\n");
    }
    out.push_str("</schedule>\n");
    out
}

/// The running order as frab `schedule.json`, `version` as its version.
pub fn frab_json(show: &Show, now: DateTime<Utc>, version: u64) -> serde_json::Value {
    let ev = &show.agenda.event;
    let tz = ev.tz;
    let room = clean(ev.venue.as_deref().unwrap_or("Main"));
    let items = items(show, now);
    let mut days: Vec<chrono::NaiveDate> = items
        .iter()
        .map(|i| i.start.with_timezone(&tz).date_naive())
        .collect();
    days.dedup();
    let days: Vec<_> = days
        .iter()
        .enumerate()
        .map(|(n, day)| {
            let events: Vec<_> = items
                .iter()
                .enumerate()
                .filter(|(_, i)| i.start.with_timezone(&tz).date_naive() == *day)
                .map(|(i, it)| {
                    let local = it.start.with_timezone(&tz);
                    json!({
                        "id": i + 1,
                        "guid": it.id,
                        "date": local.to_rfc3339(),
                        "start": local.format("%H:%M").to_string(),
                        "duration": duration(it.end - it.start),
                        "room": room,
                        "title": it.title,
                        "persons": it.speakers.iter().map(|p| json!({"public_name": p})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({"index": n + 1, "date": day.to_string(), "rooms": {room.clone(): events}})
        })
        .collect();
    json!({"schedule": {
        "version": version.to_string(),
        "conference": {"title": clean(&ev.title), "time_zone_name": tz.name(), "days": days},
    }})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_escapes_and_folds() {
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        // 80 ASCII chars: 74 on the first line, the rest after CRLF + space.
        let line = "x".repeat(80);
        let f = fold(&line);
        assert_eq!(f, format!("{}\r\n {}\r\n", "x".repeat(74), "x".repeat(6)));
    }

    #[test]
    fn xml_escapes_markup() {
        assert_eq!(xml("<b>&\"'"), "&lt;b&gt;&amp;&quot;&apos;");
    }
}
