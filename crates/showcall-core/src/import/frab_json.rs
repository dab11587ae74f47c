//! frab/pretalx `schedule.json` (`{"schedule": {"conference": {…, "days":
//! [{"rooms": {"Name": [events]}}]}}}`), read with serde_json into the same
//! frab event as `schedule.xml`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::clean;
use super::frab::{self, FrabDay, FrabEvent};
use super::model::{Loc, Source, ZoneHint};
use crate::diag::{Diagnostic, Diagnostics};

#[derive(Debug, Deserialize)]
struct Root {
    schedule: Schedule,
}

#[derive(Debug, Deserialize)]
struct Schedule {
    conference: Conference,
}

#[derive(Debug, Deserialize)]
struct Conference {
    title: Option<String>,
    time_zone_name: Option<String>,
    day_change: Option<String>,
    #[serde(default)]
    days: Vec<Day>,
}

#[derive(Debug, Deserialize)]
struct Day {
    index: Option<u32>,
    date: Option<String>,
    #[serde(default)]
    rooms: BTreeMap<String, Vec<JsonEvent>>,
}

#[derive(Debug, Deserialize)]
struct JsonEvent {
    id: Option<Value>,
    guid: Option<String>,
    date: Option<String>,
    start: Option<String>,
    duration: Option<String>,
    room: Option<String>,
    title: Option<String>,
    subtitle: Option<String>,
    #[serde(default)]
    persons: Vec<JsonPerson>,
}

#[derive(Debug, Deserialize)]
struct JsonPerson {
    public_name: Option<String>,
    name: Option<String>,
}

/// A JSON syntax or shape error at serde_json's line and column.
pub fn json_error(file: &str, text: &str, e: &serde_json::Error, what: &str) -> Diagnostics {
    let line = e.line();
    let col = e.column();
    let d = if line == 0 {
        Diagnostic::file_level(file, format!("not {what}: {e}"))
    } else {
        let start: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        let line_text = text[start..].lines().next().unwrap_or("");
        let mut off = start;
        for (n, (i, _)) in line_text.char_indices().enumerate() {
            off = start + i;
            if n + 1 >= col {
                break;
            }
        }
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        Diagnostic::at(file, text, off..off + 1, format!("not {what}: {msg}"))
    };
    Diagnostics(vec![d.with_help(
        "export the schedule again, or give --format if this is another format",
    )])
}

/// Reads a frab/pretalx `schedule.json`.
pub fn read(bytes: &[u8], file: &str) -> Result<Source, Diagnostics> {
    let text = super::detect::utf8(bytes, file)?;
    let text: &str = &text;
    let root: Root = serde_json::from_str(text)
        .map_err(|e| json_error(file, text, &e, "a frab schedule.json"))?;
    let conf = root.schedule.conference;
    let mut source = Source {
        text: Some(text.to_string()),
        offsets_are_local: true,
        ..Source::default()
    };
    source.title = conf
        .title
        .as_deref()
        .map(clean::line)
        .filter(|t| !t.is_empty());
    if let Some(z) = conf
        .time_zone_name
        .as_deref()
        .filter(|z| !z.trim().is_empty())
    {
        source.zone = ZoneHint {
            name: Some(z.trim().to_string()),
            loc: Loc::Find(format!("\"time_zone_name\": \"{z}\"")),
        };
        if !text.contains(&format!("\"time_zone_name\": \"{z}\"")) {
            source.zone.loc = Loc::Find(format!("\"{z}\""));
        }
    }
    let change = frab::day_change(conf.day_change.as_deref());
    let mut errors = Vec::new();
    let mut clashes = Vec::new();
    for (di, d) in conf.days.into_iter().enumerate() {
        let index = d.index.unwrap_or(di as u32 + 1);
        let day = FrabDay::new(&mut source, index, d.date.as_deref(), change);
        for (room, events) in d.rooms {
            source.rooms_listed.push(clean::line(&room));
            for ev in events {
                let id = ev.id.as_ref().and_then(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                });
                let loc = match (&ev.guid, &id) {
                    (Some(g), _) => Loc::Find(format!("\"{g}\"")),
                    (None, Some(i)) => Loc::Find(format!("\"id\": {i}")),
                    _ => Loc::File,
                };
                let fe = FrabEvent {
                    id,
                    guid: ev.guid,
                    date: ev.date,
                    start: ev.start,
                    duration: ev.duration,
                    room: ev.room,
                    title: ev.title,
                    subtitle: ev.subtitle,
                    persons: ev
                        .persons
                        .into_iter()
                        .filter_map(|p| p.public_name.or(p.name))
                        .collect(),
                };
                clashes.extend(frab::date_start_clash(&fe));
                match frab::item(fe, &day, Some(&room), loc.clone()) {
                    Ok(i) => source.items.push(i),
                    Err(m) => errors.push(loc.diag(file, Some(text), m)),
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    if let Some(note) = frab::clash_note(&clashes) {
        source.notes.push(note.clone());
        source.warnings.push(note);
    }
    Ok(source)
}
