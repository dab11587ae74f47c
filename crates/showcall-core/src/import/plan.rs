//! The mapping rules, the same for every format: one room, one zone, the
//! days asked for, sorted by start, overlaps refused (or trimmed), missing
//! ends filled, stable ids. Takes a [`Source`], gives a [`Plan`] the writer
//! turns into TOML.

use std::collections::HashMap;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::clean::slug;
use super::model::{DateSpec, Item, Loc, Source, When};
use super::{DaySel, Options};
use crate::diag::{Diagnostic, Diagnostics};
use crate::text::{clock_hm, human_duration};

/// A session ready to write.
#[derive(Debug, Clone)]
pub struct Planned {
    pub id: String,
    pub title: String,
    pub start: DateTime<Utc>,
    /// `None`: runs until the next session starts.
    pub end: Option<DateTime<Utc>>,
    pub speakers: Vec<String>,
    /// Who moderates, chairs or hosts (`moderators` in the agenda).
    pub moderators: Vec<String>,
    pub notes: Option<String>,
}

/// What to write.
#[derive(Debug, Clone)]
pub struct Plan {
    pub title: String,
    pub tz: Tz,
    pub sessions: Vec<Planned>,
    /// What was chosen (room, day, zone, sheet), one line each.
    pub chosen: Vec<String>,
    /// What the import decided on its own (skips, assumptions), one line each.
    pub notes: Vec<String>,
    /// The notes to say on stderr too: columns not used, sessions moved
    /// past midnight.
    pub warnings: Vec<String>,
}

/// Ids from the source are cut to this length; a journal line names them.
const MAX_ID: usize = 48;

struct Ctx<'a> {
    file: &'a str,
    text: Option<&'a str>,
}

impl Ctx<'_> {
    fn at(&self, loc: &Loc, msg: impl Into<String>) -> Diagnostic {
        loc.diag(self.file, self.text, msg)
    }
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// A wall-clock time in `tz`, or why not (a clock change).
fn local(tz: Tz, dt: NaiveDateTime) -> Result<DateTime<Utc>, String> {
    match tz.from_local_datetime(&dt) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "{} on {} does not exist in {tz}: the clocks go forward then",
            dt.format("%H:%M"),
            dt.format("%Y-%m-%d")
        )),
        LocalResult::Ambiguous(a, b) => Err(format!(
            "{} on {} happens twice in {tz} ({} and {}): the clocks go back then",
            dt.format("%H:%M"),
            dt.format("%Y-%m-%d"),
            a.format("%:z"),
            b.format("%:z")
        )),
    }
}

/// Decides the zone: `--timezone`, else the source's own if its offsets
/// agree with it.
fn zone(
    source: &Source,
    opts: &Options,
    cx: &Ctx,
    chosen: &mut Vec<String>,
) -> Result<Tz, Diagnostic> {
    let named = source.zone.name.as_deref();
    let parsed: Option<Tz> = named.and_then(|n| n.trim().parse().ok());
    // The first instant whose offset the named zone contradicts.
    let clash = parsed.filter(|_| source.offsets_are_local).and_then(|tz| {
        source.items.iter().find_map(|i| match i.start {
            Some(When::Instant(t)) => {
                let want = tz.offset_from_utc_datetime(&t.naive_utc());
                let want = chrono::Offset::fix(&want);
                (want != *t.offset()).then_some((i, t))
            }
            _ => None,
        })
    });
    if let Some(tz) = opts.timezone {
        let why = match (named, parsed, clash) {
            (Some(n), Some(_), Some(_)) => {
                format!(" (the source says '{n}', which its offsets contradict)")
            }
            (Some(n), Some(p), None) if p != tz => format!(" (the source says '{n}')"),
            (Some(n), None, _) => format!(" (the source's '{n}' is not an IANA zone)"),
            (None, _, _) => " (the source names none)".into(),
            _ => String::new(),
        };
        chosen.push(format!("time zone: {tz}, given with --timezone{why}"));
        return Ok(tz);
    }
    let help =
        "add --timezone with the zone the event happens in, an IANA name such as Europe/Zurich";
    match (named, parsed, clash) {
        (Some(n), Some(_), Some((item, t))) => Err(cx
            .at(
                &source.zone.loc,
                format!(
                    "the source says its time zone is '{n}', but its times carry {} (e.g. '{}' at {}): which is right cannot be told",
                    t.format("%:z"),
                    item.title,
                    t.to_rfc3339()
                ),
            )
            .with_help(help)),
        (Some(_), Some(tz), None) => {
            chosen.push(format!("time zone: {tz}, from the source"));
            Ok(tz)
        }
        (Some(n), None, _) => Err(cx
            .at(&source.zone.loc, format!("the source's time zone '{n}' is not an IANA zone name"))
            .with_help(help)),
        (None, _, _) => {
            let all_utc = source.items.iter().all(|i| matches!(i.start, Some(When::Instant(t)) if t.offset().local_minus_utc() == 0));
            let msg = if all_utc && !source.items.is_empty() {
                "the source names no time zone and gives its times in UTC: the screens need the event's local time"
            } else {
                "the source names no time zone, so its times cannot be placed"
            };
            Err(Diagnostic::file_level(cx.file, msg).with_help(help))
        }
    }
}

/// The rooms in source order, with their item counts.
fn rooms(items: &[Item]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for r in items.iter().filter_map(|i| i.room.as_deref()) {
        match out.iter_mut().find(|(n, _)| n == r) {
            Some((_, c)) => *c += 1,
            None => out.push((r.to_string(), 1)),
        }
    }
    out
}

fn room_list(rooms: &[(String, usize)]) -> String {
    let list: Vec<String> = rooms
        .iter()
        .map(|(r, n)| format!("{:?} ({})", r, plural(*n, "session")))
        .collect();
    list.join(", ")
}

/// The room to keep (`None`: all); items with no room (breaks, plenaries)
/// are kept with any room.
fn pick_room(
    listed: &[String],
    items: &[Item],
    opts: &Options,
    cx: &Ctx,
    chosen: &mut Vec<String>,
) -> Result<Option<String>, Diagnostic> {
    let all = rooms(items);
    if opts.all_rooms {
        if all.len() > 1 {
            chosen.push(format!(
                "rooms: all {} as one running order (--all-rooms)",
                all.len()
            ));
        }
        return Ok(None);
    }
    let Some(want) = &opts.room else {
        if all.len() > 1 {
            return Err(Diagnostic::file_level(
                cx.file,
                format!(
                    "the schedule has {} rooms, and a showcall agenda is one room's running order",
                    all.len()
                ),
            )
            .with_help(format!(
                "choose one with --room NAME (or --all-rooms to merge them): {}",
                room_list(&all)
            )));
        }
        if let Some((r, _)) = all.first() {
            chosen.push(format!("room: {r:?} (the only one)"));
        }
        return Ok(None);
    };
    let norm = |s: &str| s.trim().to_lowercase();
    let Some((name, _)) = all.iter().find(|(r, _)| norm(r) == norm(want)) else {
        let msg = if let Some(r) = listed.iter().find(|r| norm(r) == norm(want)) {
            format!("--room {want:?}: the schedule lists room {r:?}, but no sessions in it")
        } else if all.is_empty() {
            format!("--room {want:?}: the schedule names no rooms")
        } else {
            format!("--room {want:?}: no such room in the schedule")
        };
        let mut d = Diagnostic::file_level(cx.file, msg);
        if !all.is_empty() {
            d = d.with_help(format!("the rooms with sessions are: {}", room_list(&all)));
        }
        return Err(d);
    };
    let roomless = items.iter().filter(|i| i.room.is_none()).count();
    chosen.push(format!("room: {name:?} (--room)"));
    if roomless > 0 && all.len() > 1 {
        chosen.push(format!("{} with no room kept", plural(roomless, "session")));
    }
    Ok(Some(name.clone()))
}

struct Resolved {
    item: Item,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
    slug: Option<String>,
    order: usize,
}

/// Turns the source into a plan, or every problem found.
pub fn plan(source: Source, file: &str, opts: &Options) -> Result<Plan, Diagnostics> {
    let text = source.text.clone();
    let cx = Ctx {
        file,
        text: text.as_deref(),
    };
    let mut chosen = source.chosen.clone();
    let mut notes = source.notes.clone();
    let mut warnings = source.warnings.clone();
    if source.items.is_empty() {
        let mut msg = "no sessions found".to_string();
        if !source.skipped.is_empty() {
            let s: Vec<String> = source.skipped.iter().map(|(w, n)| plural(*n, w)).collect();
            msg.push_str(&format!(" (skipped: {})", s.join(", ")));
        }
        return Err(Diagnostics(vec![Diagnostic::file_level(file, msg)
            .with_help("check that this is the schedule itself; for a spreadsheet, that the columns have headers such as start, title, duration")]));
    }
    // Ids first, over the whole source: whether an id is shared must not
    // depend on the room or day chosen, or re-importing would rename.
    let mut counts: HashMap<String, usize> = HashMap::new();
    let slugs: Vec<Option<String>> = source
        .items
        .iter()
        .map(|i| {
            i.id.as_deref()
                .map(|s| slug(s, MAX_ID))
                .filter(|s| !s.is_empty())
        })
        .collect();
    for s in slugs.iter().flatten() {
        *counts.entry(s.clone()).or_default() += 1;
    }
    let shared = slugs.iter().flatten().filter(|s| counts[*s] > 1).count();
    // What the user must add (a zone, a date, a room) is said all at once.
    let mut missing = Vec::new();
    let zone_tz = zone(&source, opts, &cx, &mut chosen)
        .map_err(|d| missing.push(d))
        .ok();
    let base_date = match (source.dateless, opts.day) {
        (true, Some(DaySel::Date(d))) => {
            chosen.push(format!("date: {d} (--day; the source has no dates)"));
            Some(d)
        }
        (true, _) => {
            missing.push(
                Diagnostic::file_level(file, "the source has times but no dates")
                    .with_help("add --day YYYY-MM-DD, the date of the event"),
            );
            None
        }
        _ => None,
    };
    let keep = pick_room(&source.rooms_listed, &source.items, opts, &cx, &mut chosen)
        .map_err(|d| missing.push(d))
        .ok();
    let (Some(tz), Some(keep)) = (zone_tz, keep) else {
        return Err(Diagnostics(missing));
    };
    if !missing.is_empty() {
        return Err(Diagnostics(missing));
    }
    let (kept_items, kept_slugs): (Vec<Item>, Vec<Option<String>>) = source
        .items
        .into_iter()
        .zip(slugs)
        .filter(|(i, _)| {
            keep.as_ref()
                .is_none_or(|k| i.room.as_ref().is_none_or(|r| r == k))
        })
        .unzip();
    // frab days: --day N is the conference day; a date picks the
    // conference day on that date.
    let frab_day = match opts.day {
        Some(DaySel::Index(n)) if !source.days.is_empty() => {
            let Some((_, d)) = source.days.iter().find(|(i, _)| *i == n) else {
                let list: Vec<String> = source
                    .days
                    .iter()
                    .map(|(i, d)| format!("{i} ({d})"))
                    .collect();
                return Err(Diagnostics(vec![
                    Diagnostic::file_level(file, format!("--day {n}: the schedule has no day {n}"))
                        .with_help(format!("its days are {}", list.join(", "))),
                ]));
            };
            chosen.push(format!("day: {n}, {d} (--day)"));
            Some(n)
        }
        Some(DaySel::Date(d)) if !source.days.is_empty() => {
            source.days.iter().find(|(_, x)| *x == d).map(|(i, _)| {
                chosen.push(format!("day: {i}, {d} (--day)"));
                *i
            })
        }
        _ => None,
    };
    let mut errors = Vec::new();
    let resolve = |w: &When, prev_date: Option<NaiveDate>| -> Result<DateTime<Utc>, String> {
        match *w {
            When::Instant(t) => Ok(t.with_timezone(&Utc)),
            When::Zoned(t) => Ok(t.with_timezone(&Utc)),
            When::Clock { date, time } => {
                let d = match date {
                    DateSpec::Known(d) => d,
                    DateSpec::Offset(k) => base_date
                        .or(prev_date)
                        .and_then(|b| b.checked_add_signed(TimeDelta::days(k)))
                        .ok_or(
                            "a time with no date: fill in the date column, or add --day YYYY-MM-DD",
                        )?,
                };
                local(tz, d.and_time(time))
            }
        }
    };
    let mut resolved: Vec<Resolved> = Vec::new();
    let mut chained = 0;
    let mut rolled = 0;
    let mut disagree = 0;
    let mut prev_end: Option<DateTime<Utc>> = None;
    for (order, (item, slug)) in kept_items.into_iter().zip(kept_slugs).enumerate() {
        if let Some(n) = frab_day
            && item.day != Some(n)
        {
            continue;
        }
        let start_loc = item.start_loc.clone().unwrap_or_else(|| item.loc.clone());
        let start = match &item.start {
            Some(w) => {
                match resolve(w, None) {
                    Ok(t) => t,
                    Err(m) => {
                        let d = cx.at(&start_loc, format!("'{}' starts at {m}", item.title));
                        errors.push(if m.contains("clocks") { d.with_help("move it out of the clock change, or give the time with its UTC offset") } else { d });
                        prev_end = None;
                        continue;
                    }
                }
            }
            // A row with a length but no start follows the previous one, as
            // Ontime links them.
            None => match prev_end {
                Some(t) => {
                    chained += 1;
                    t
                }
                None => {
                    errors.push(
                        cx.at(
                            &item.loc,
                            format!(
                                "'{}' has no start, and no session before it to follow",
                                item.title
                            ),
                        )
                        .with_help("give it a start time"),
                    );
                    continue;
                }
            },
        };
        // Wall-clock starts that a clock change doubles cannot be written.
        let wall = start.with_timezone(&tz).naive_local();
        if let Err(m) = local(tz, wall) {
            errors.push(cx.at(&start_loc, format!("'{}' starts at {m}", item.title)).with_help("an agenda cannot name this instant by its wall-clock time; move the session"));
            continue;
        }
        let mut end = match &item.end {
            Some(w) => match resolve(w, Some(start.with_timezone(&tz).date_naive())) {
                Ok(mut e) => {
                    if e <= start && item.end_rolls {
                        let next = match *w {
                            When::Clock { time, .. } => start
                                .with_timezone(&tz)
                                .date_naive()
                                .succ_opt()
                                .map(|d| local(tz, d.and_time(time))),
                            _ => None,
                        };
                        if let Some(Ok(n)) = next {
                            e = n;
                            rolled += 1;
                        }
                    }
                    Some(e)
                }
                Err(m) => {
                    errors.push(cx.at(&item.loc, format!("'{}' ends at {m}", item.title)));
                    continue;
                }
            },
            None => None,
        };
        if let Some(d) = item.duration {
            let by_duration = start + d;
            match end {
                Some(e) if e != by_duration => disagree += 1,
                Some(_) => {}
                None => end = Some(by_duration),
            }
        }
        if let Some(e) = end
            && e <= start
        {
            errors.push(
                cx.at(
                    &item.loc,
                    format!(
                        "'{}' ends at {}, not after its start at {}",
                        item.title,
                        clock_hm(e, tz),
                        clock_hm(start, tz)
                    ),
                )
                .with_help("fix the end (or duration) in the source"),
            );
            continue;
        }
        if let Some(e) = end
            && e - start > TimeDelta::days(7)
        {
            errors.push(
                cx.at(
                    &item.loc,
                    format!(
                        "'{}' lasts {}, more than a week",
                        item.title,
                        human_duration(e - start)
                    ),
                )
                .with_help("fix the end (or duration) in the source"),
            );
            continue;
        }
        prev_end = end;
        resolved.push(Resolved {
            item,
            start,
            end,
            slug,
            order,
        });
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    // Days by calendar date, for sources without conference days.
    if frab_day.is_none() && base_date.is_none() {
        let mut dates: Vec<NaiveDate> = resolved
            .iter()
            .map(|r| r.start.with_timezone(&tz).date_naive())
            .collect();
        dates.sort();
        dates.dedup();
        let want = match opts.day {
            Some(DaySel::Index(n)) => {
                match (n as usize).checked_sub(1).and_then(|i| dates.get(i)) {
                    Some(d) => Some(*d),
                    None => {
                        let list: Vec<String> = dates
                            .iter()
                            .enumerate()
                            .map(|(i, d)| format!("{} ({d})", i + 1))
                            .collect();
                        return Err(Diagnostics(vec![
                            Diagnostic::file_level(
                                file,
                                format!(
                                    "--day {n}: the schedule has {}",
                                    plural(dates.len(), "day")
                                ),
                            )
                            .with_help(format!("its days are {}", list.join(", "))),
                        ]));
                    }
                }
            }
            Some(DaySel::Date(d)) => Some(d),
            None => None,
        };
        if let Some(d) = want {
            let before = resolved.len();
            resolved.retain(|r| r.start.with_timezone(&tz).date_naive() == d);
            if resolved.is_empty() {
                let list: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
                return Err(Diagnostics(vec![
                    Diagnostic::file_level(
                        file,
                        format!("--day: no sessions on {d} (of {before} in this room)"),
                    )
                    .with_help(format!("the days with sessions are {}", list.join(", "))),
                ]));
            }
            if let Some(DaySel::Index(n)) = opts.day {
                chosen.push(format!("day: {n}, {d} (--day)"));
            } else {
                chosen.push(format!("day: {d} (--day)"));
            }
        }
    }
    if resolved.is_empty() {
        return Err(Diagnostics(vec![
            Diagnostic::file_level(file, "no sessions on the day and in the room chosen")
                .with_help("choose another --day or --room"),
        ]));
    }
    // Rows with no date put on a later day: said, date by date.
    let mut later: Vec<(NaiveDate, usize)> = Vec::new();
    for r in &resolved {
        if let Some(When::Clock {
            date: DateSpec::Offset(k),
            ..
        }) = r.item.start
            && k > 0
        {
            let d = r.start.with_timezone(&tz).date_naive();
            match later.iter_mut().find(|(x, _)| *x == d) {
                Some((_, n)) => *n += 1,
                None => later.push((d, 1)),
            }
        }
    }
    for (d, n) in later {
        let line = if source.rolled_by_order {
            format!(
                "{} after midnight put on {d} (a start more than 12 hours before the row above it is the next day)",
                plural(n, "session")
            )
        } else {
            format!(
                "{} put on {d} (the source's day offset)",
                plural(n, "session")
            )
        };
        notes.push(line.clone());
        warnings.push(line);
    }
    resolved.sort_by_key(|r| (r.start, r.order));
    if resolved.windows(2).any(|w| w[0].order > w[1].order) {
        notes.push("sessions were sorted by start (the source lists them in another order)".into());
    }
    // Overlaps: each session against the one that ends last before it.
    let mut pairs = Vec::new();
    let mut holder: Option<usize> = None;
    for j in 0..resolved.len() {
        if let Some(h) = holder
            && resolved[h].end.is_some_and(|e| e > resolved[j].start)
        {
            pairs.push((h, j));
        }
        if holder.is_none_or(|h| {
            resolved[j].end.unwrap_or(resolved[j].start)
                > resolved[h].end.unwrap_or(resolved[h].start)
        }) {
            holder = Some(j);
        }
    }
    if !pairs.is_empty() && !opts.allow_overlap {
        let errs = pairs
            .iter()
            .map(|&(a, b)| {
                let (ra, rb) = (&resolved[a], &resolved[b]);
                let where_a = ra.item.loc.diag(file, cx.text, "").to_string();
                let where_a = where_a.split(": ").next().unwrap_or("").to_string();
                cx.at(
                    rb.item.start_loc.as_ref().unwrap_or(&rb.item.loc),
                    format!(
                        "'{}' starts at {}, before '{}' ({}) ends at {}",
                        rb.item.title,
                        clock_hm(rb.start, tz),
                        ra.item.title,
                        where_a,
                        ra.end.map(|e| clock_hm(e, tz)).unwrap_or_default()
                    ),
                )
                .with_help(format!(
                    "fix the times in the source, or pass --allow-overlap to end '{}' when '{}' starts",
                    ra.item.title, rb.item.title
                ))
            })
            .collect();
        return Err(Diagnostics(errs));
    }
    if opts.allow_overlap {
        let mut trimmed = 0;
        let mut dropped = Vec::new();
        let mut i = 0;
        while i + 1 < resolved.len() {
            let next_start = resolved[i + 1].start;
            if resolved[i].start == next_start {
                dropped.push(format!(
                    "'{}' (starts with '{}')",
                    resolved[i].item.title,
                    resolved[i + 1].item.title
                ));
                resolved.remove(i);
                continue;
            }
            if resolved[i].end.is_some_and(|e| e > next_start) {
                resolved[i].end = Some(next_start);
                trimmed += 1;
            }
            i += 1;
        }
        if trimmed > 0 {
            notes.push(format!(
                "--allow-overlap: {} trimmed to end when the next starts",
                plural(trimmed, "session")
            ));
        }
        if !dropped.is_empty() {
            notes.push(format!("--allow-overlap: dropped {}", dropped.join(", ")));
        }
    }
    // Missing ends: until the next session starts, on the same day.
    let mut until_next = 0;
    let mut errors = Vec::new();
    for i in 0..resolved.len() {
        if resolved[i].end.is_some() {
            continue;
        }
        let day = resolved[i].start.with_timezone(&tz).date_naive();
        let next_same_day = resolved
            .get(i + 1)
            .is_some_and(|n| n.start.with_timezone(&tz).date_naive() == day);
        if next_same_day {
            until_next += 1;
        } else if let Some(d) = opts.last_duration {
            resolved[i].end = Some(resolved[i].start + d);
            notes.push(format!(
                "'{}' has no end: it lasts {} (--last-duration)",
                resolved[i].item.title,
                human_duration(d)
            ));
        } else {
            let what = if i + 1 == resolved.len() {
                "the last session".to_string()
            } else {
                format!("the last session of {day}")
            };
            errors.push(
                cx.at(&resolved[i].item.loc, format!("'{}' is {what} and has no end or duration", resolved[i].item.title))
                    .with_help("add --last-duration 30m (how long the last session of a day runs), or give it an end in the source"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    // (count, said of one, said of several: N is the count)
    let counted = [
        (
            until_next,
            "1 session has no end: it runs until the next starts",
            "N sessions have no end: each runs until the next starts",
        ),
        (
            chained,
            "1 session has no start: it starts when the one before it ends",
            "N sessions have no start: each starts when the one before it ends",
        ),
        (
            rolled,
            "1 session ends past midnight (an end before the start is the next day)",
            "N sessions end past midnight (an end before the start is the next day)",
        ),
        (
            disagree,
            "1 session has an end and a duration that disagree: the end was used",
            "N sessions have an end and a duration that disagree: the end was used",
        ),
    ];
    for (n, one, many) in counted {
        match n {
            0 => {}
            1 => notes.push(one.to_string()),
            n => notes.push(many.replacen('N', &n.to_string(), 1)),
        }
    }
    // Ids: the source's own when unique in the whole source; else date,
    // start and title, which stay the same when the row does.
    let mut fallback = 0;
    let mut used: HashMap<String, usize> = HashMap::new();
    let mut sessions = Vec::with_capacity(resolved.len());
    for r in resolved {
        let own = r.slug.filter(|s| counts.get(s).copied() == Some(1));
        let id = match own {
            Some(s) => s,
            None => {
                fallback += 1;
                let local = r.start.with_timezone(&tz);
                let t = slug(&r.item.title, 32);
                let mut s = local.format("%Y-%m-%d-%H%M").to_string();
                if !t.is_empty() {
                    s.push('-');
                    s.push_str(&t);
                }
                s
            }
        };
        let n = used.entry(id.clone()).or_default();
        *n += 1;
        let id = if *n == 1 { id } else { format!("{id}-{n}") };
        sessions.push(Planned {
            id,
            title: r.item.title,
            start: r.start,
            end: r.end,
            speakers: r.item.speakers,
            moderators: r.item.moderators,
            notes: r.item.notes,
        });
    }
    if shared > 0 {
        notes.push(format!(
            "{} in the source: such sessions get ids from date, start and title",
            plural(shared, "shared id")
        ));
    } else if fallback > 0 {
        notes.push(format!(
            "{} no id in the source: ids come from date, start and title",
            if fallback == 1 {
                "1 session has".to_string()
            } else {
                format!("{fallback} sessions have")
            }
        ));
    }
    if !source.skipped.is_empty() {
        let s: Vec<String> = source.skipped.iter().map(|(w, n)| plural(*n, w)).collect();
        notes.push(format!("skipped, not sessions: {}", s.join(", ")));
    }
    let title = opts
        .title
        .clone()
        .map(|t| super::clean::line(&t))
        .filter(|t| !t.is_empty())
        .or(source.title)
        .unwrap_or_else(|| {
            let stem = std::path::Path::new(file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned());
            super::clean::line(&stem.unwrap_or_else(|| "Imported schedule".into()))
        });
    Ok(Plan {
        title,
        tz,
        sessions,
        chosen,
        notes,
        warnings,
    })
}
