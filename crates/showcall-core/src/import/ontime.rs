//! Ontime project JSON (`db.json`), v3 (`rundown: [...]`) and v4
//! (`rundowns: {id: {order, entries}}`). Times are milliseconds since
//! midnight plus a `dayOffset`; there is no date and no zone, so `--day`
//! and `--timezone` are required. Events become sessions; groups, blocks,
//! milestones and delays are skipped, and so are events marked `skip`.

use std::collections::HashMap;

use chrono::{NaiveTime, TimeDelta};
use serde::Deserialize;
use serde_json::Value;

use super::clean;
use super::frab_json::json_error;
use super::model::{DateSpec, Item, Loc, Source, When};
use crate::diag::{Diagnostic, Diagnostics};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Project {
    /// v3.
    rundown: Option<Vec<Entry>>,
    /// v4.
    rundowns: Option<serde_json::Map<String, Value>>,
    project: Option<ProjectInfo>,
}

#[derive(Debug, Deserialize)]
struct ProjectInfo {
    title: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Rundown {
    title: Option<String>,
    #[serde(default)]
    order: Vec<String>,
    #[serde(default)]
    entries: HashMap<String, Entry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
    title: Option<String>,
    cue: Option<String>,
    note: Option<String>,
    time_start: Option<f64>,
    time_end: Option<f64>,
    duration: Option<f64>,
    day_offset: Option<f64>,
    #[serde(default)]
    skip: bool,
    /// v4 group: the ids of its events.
    #[serde(default)]
    entries: Vec<String>,
    #[serde(default)]
    custom: Option<serde_json::Map<String, Value>>,
}

const DAY_MS: i64 = 86_400_000;

fn clock(ms: f64, day_offset: i64) -> Option<When> {
    if !ms.is_finite() || !(0.0..=(DAY_MS as f64 * 7.0)).contains(&ms) {
        return None;
    }
    let ms = ms as i64;
    let secs = (ms % DAY_MS) / 1000;
    let time = NaiveTime::from_num_seconds_from_midnight_opt(secs as u32, 0)?;
    Some(When::Clock {
        date: DateSpec::Offset(day_offset + ms / DAY_MS),
        time,
    })
}

fn item(e: &Entry, source: &mut Source, room: Option<&str>) -> Result<Option<Item>, String> {
    let kind = e.kind.as_deref().unwrap_or("event");
    if kind != "event" {
        source.skip(&format!("{kind} entry"));
        return Ok(None);
    }
    if e.skip {
        source.skip("event marked skip");
        return Ok(None);
    }
    let day = e
        .day_offset
        .filter(|d| d.is_finite() && (0.0..=366.0).contains(d))
        .unwrap_or(0.0) as i64;
    let start = match e.time_start {
        Some(ms) => Some(
            clock(ms, day)
                .ok_or_else(|| format!("timeStart {ms} is not milliseconds within the day"))?,
        ),
        None => None,
    };
    let duration = e
        .duration
        .filter(|d| d.is_finite() && *d >= 1000.0 && *d <= 7.0 * DAY_MS as f64)
        .map(|d| TimeDelta::seconds((d / 1000.0).round() as i64));
    let end = match (duration, e.time_end) {
        (None, Some(ms)) => Some(
            clock(ms, day)
                .ok_or_else(|| format!("timeEnd {ms} is not milliseconds within the day"))?,
        ),
        _ => None,
    };
    let mut notes = Vec::new();
    if let Some(c) = e.cue.as_deref().filter(|c| !c.trim().is_empty()) {
        notes.push(format!("cue {}", clean::line(c)));
    }
    if let Some(n) = e
        .note
        .as_deref()
        .map(clean::notes)
        .filter(|n| !n.is_empty() && !notes.iter().any(|c| c.ends_with(n.as_str())))
    {
        notes.push(n);
    }
    for (k, v) in e.custom.iter().flatten() {
        if let Some(v) = v.as_str().filter(|v| !v.trim().is_empty()) {
            notes.push(format!("{}: {}", clean::line(k), clean::line(v)));
        }
    }
    let title = clean::line(e.title.as_deref().unwrap_or(""));
    Ok(Some(Item {
        loc: e
            .id
            .as_ref()
            .map_or(Loc::File, |i| Loc::Find(format!("\"{i}\""))),
        id: e.id.clone(),
        title: if title.is_empty() {
            e.cue
                .clone()
                .map(|c| clean::line(&c))
                .unwrap_or_else(|| "(untitled)".into())
        } else {
            title
        },
        room: room.map(str::to_string),
        start,
        end,
        end_rolls: true,
        duration,
        notes: Some(notes.join("\n")).filter(|n| !n.is_empty()),
        ..Item::default()
    }))
}

/// Reads an Ontime project.
pub fn read(bytes: &[u8], file: &str) -> Result<Source, Diagnostics> {
    let text = super::detect::utf8(bytes, file)?;
    let text: &str = &text;
    let project: Project =
        serde_json::from_str(text).map_err(|e| json_error(file, text, &e, "an Ontime project"))?;
    let mut source = Source {
        text: Some(text.to_string()),
        dateless: true,
        ..Source::default()
    };
    source.title = project
        .project
        .and_then(|p| p.title)
        .map(|t| clean::line(&t))
        .filter(|t| !t.is_empty());
    let mut errors = Vec::new();
    let push = |source: &mut Source,
                errors: &mut Vec<Diagnostic>,
                e: &Entry,
                room: Option<&str>| match item(e, source, room) {
        Ok(Some(i)) => source.items.push(i),
        Ok(None) => {}
        Err(m) => {
            let loc =
                e.id.as_ref()
                    .map_or(Loc::File, |i| Loc::Find(format!("\"{i}\"")));
            errors.push(loc.diag(file, Some(text), m));
        }
    };
    match (project.rundown, project.rundowns) {
        (_, Some(rundowns)) => {
            source.chosen.push("Ontime v4 project".into());
            let many = rundowns.len() > 1;
            for (key, value) in rundowns {
                let rd: Rundown = serde_json::from_value(value).map_err(|e| {
                    Diagnostics(vec![Loc::Find(format!("\"{key}\"")).diag(
                        file,
                        Some(text),
                        format!("rundown '{key}' is not an Ontime v4 rundown: {e}"),
                    )])
                })?;
                // Several rundowns are like several rooms: one at a time.
                let room = many.then(|| clean::line(rd.title.as_deref().unwrap_or(&key)));
                for id in &rd.order {
                    let Some(e) = rd.entries.get(id) else {
                        errors.push(Loc::Find(format!("\"{id}\"")).diag(
                            file,
                            Some(text),
                            format!("the order lists '{id}', which is not among the entries"),
                        ));
                        continue;
                    };
                    if e.kind.as_deref() == Some("group") && !e.entries.is_empty() {
                        source.skip("group entry");
                        for child in &e.entries {
                            if let Some(c) = rd.entries.get(child) {
                                push(&mut source, &mut errors, c, room.as_deref());
                            }
                        }
                    } else {
                        push(&mut source, &mut errors, e, room.as_deref());
                    }
                }
            }
        }
        (Some(entries), None) => {
            source.chosen.push("Ontime v3 project".into());
            for e in &entries {
                push(&mut source, &mut errors, e, None);
            }
        }
        (None, None) => {
            return Err(Diagnostics(vec![Diagnostic::file_level(file, "an Ontime project has a \"rundown\" (v3) or \"rundowns\" (v4): this has neither")
                .with_help("export the project from Ontime again (Settings → Project → Download)")]));
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    Ok(source)
}
