//! The mapping rules, the same for every format: one room, one zone, the
//! days asked for, sorted by start, overlaps refused (or trimmed), missing
//! ends filled, stable ids. Takes a [`Source`], gives a [`Plan`] the writer
//! turns into TOML.

mod days;
mod ids;
mod order;
mod resolve;
mod rooms;
mod zone;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::model::{DateSpec, Item, Loc, Source, When};
use super::{DaySel, Options};
use crate::diag::{Diagnostic, Diagnostics};

/// A session ready to write.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The session's id: a slug made from the source's own id, else from date,
    /// start and title; unique in the plan.
    pub id: String,
    /// The session's title, cleaned by the reader.
    pub title: String,
    /// Its start, resolved to an instant in the event's zone.
    pub start: DateTime<Utc>,
    /// `None`: runs until the next session starts.
    pub end: Option<DateTime<Utc>>,
    /// Who speaks, in the source's order.
    pub speakers: Vec<String>,
    /// Who moderates, chairs or hosts (`moderators` in the agenda).
    pub moderators: Vec<String>,
    /// Notes for the crew, if the source has any.
    pub notes: Option<String>,
}

/// What to write.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The event's title: `--title`, else the source's, else one made from the
    /// file name.
    pub title: String,
    /// The event's zone: `--timezone`, else the source's own (when its
    /// offsets agree with it).
    pub tz: Tz,
    /// The running order to write, in start order.
    pub sessions: Vec<Planned>,
    /// What was chosen (room, day, zone, sheet), one line each.
    pub chosen: Vec<String>,
    /// What the import decided on its own (skips, assumptions), one line each.
    pub notes: Vec<String>,
    /// The notes to say on stderr too: columns not used, sessions moved
    /// past midnight.
    pub warnings: Vec<String>,
}

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
        return Err(Diagnostics(vec![no_sessions(&source, file)]));
    }
    // Ids first, over the whole source.
    let ids = ids::SourceIds::new(&source.items);
    let (tz, keep, base_date) = settle(&source, opts, &cx, &mut chosen)?;
    let frab_day = days::frab_day(&source, opts, file, &mut chosen).map_err(one)?;
    let (kept, left): (Vec<_>, Vec<_>) = source
        .items
        .iter()
        .cloned()
        .zip(ids.slugs.iter().cloned())
        .partition(|(i, _)| rooms::kept(i, keep.as_deref(), opts));
    let placer = resolve::Placer {
        tz,
        base: base_date,
    };
    let mut counts = resolve::Counts::default();
    let mut resolved =
        resolve::resolve_all(kept, frab_day, &placer, &cx, &mut counts).map_err(Diagnostics)?;
    let mut day = None;
    if frab_day.is_none() && base_date.is_none() {
        day = days::calendar_day(&mut resolved, tz, opts, file, &mut chosen).map_err(one)?;
    }
    if resolved.is_empty() {
        return Err(one(Diagnostic::file_level(
            file,
            "no sessions on the day and in the room chosen",
        )
        .with_help("choose another --day or --room")));
    }
    let left: Vec<&Item> = left
        .iter()
        .map(|(i, _)| i)
        .filter(|i| on_day(i, frab_day, day, &placer))
        .collect();
    for line in rooms::left_out(&left).into_iter().chain(days::later_days(
        &resolved,
        tz,
        source.rolled_by_order,
    )) {
        notes.push(line.clone());
        warnings.push(line);
    }
    order::sort(&mut resolved, &mut notes);
    order::overlaps(&mut resolved, tz, opts, &cx, &mut notes).map_err(Diagnostics)?;
    let until_next =
        order::fill_ends(&mut resolved, tz, opts, &cx, &mut notes).map_err(Diagnostics)?;
    order::counted_notes(&counts, until_next, &mut notes);
    let sessions = ids.assign(resolved, tz, &mut notes);
    if !source.skipped.is_empty() {
        let s: Vec<String> = source.skipped.iter().map(|(w, n)| plural(*n, w)).collect();
        notes.push(format!("skipped, not sessions: {}", s.join(", ")));
    }
    Ok(Plan {
        title: title(opts, source.title, file),
        tz,
        sessions,
        chosen,
        notes,
        warnings,
    })
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

fn no_sessions(source: &Source, file: &str) -> Diagnostic {
    let mut msg = "no sessions found".to_string();
    if !source.skipped.is_empty() {
        let s: Vec<String> = source.skipped.iter().map(|(w, n)| plural(*n, w)).collect();
        msg.push_str(&format!(" (skipped: {})", s.join(", ")));
    }
    Diagnostic::file_level(file, msg)
        .with_help("check that this is the schedule itself; for a spreadsheet, that the columns have headers such as start, title, duration")
}

/// The zone, the room to keep and the date of a source without dates:
/// what the user must add (a zone, a date, a room) is said all at once.
fn settle(
    source: &Source,
    opts: &Options,
    cx: &Ctx,
    chosen: &mut Vec<String>,
) -> Result<(Tz, Option<String>, Option<NaiveDate>), Diagnostics> {
    let mut missing = Vec::new();
    let zone_tz = zone::zone(source, opts, cx, chosen)
        .map_err(|d| missing.push(d))
        .ok();
    let base_date = match (source.dateless, opts.day) {
        (true, Some(DaySel::Date(d))) => {
            chosen.push(format!("date: {d} (--day; the source has no dates)"));
            Some(d)
        }
        (true, _) => {
            missing.push(
                Diagnostic::file_level(cx.file, "the source has times but no dates")
                    .with_help("add --day YYYY-MM-DD, the date of the event"),
            );
            None
        }
        _ => None,
    };
    let keep = rooms::pick_room(&source.rooms_listed, &source.items, opts, cx, chosen)
        .map_err(|d| missing.push(d))
        .ok();
    match (zone_tz, keep) {
        (Some(tz), Some(keep)) if missing.is_empty() => Ok((tz, keep, base_date)),
        _ => Err(Diagnostics(missing)),
    }
}

/// Whether an item left out for its room is on the day imported (the
/// conference day, or the date chosen), so that only those are named.
fn on_day(
    item: &Item,
    frab_day: Option<u32>,
    day: Option<NaiveDate>,
    placer: &resolve::Placer,
) -> bool {
    if let Some(n) = frab_day {
        return item.day == Some(n);
    }
    let (Some(want), Some(start)) = (day.or(placer.base), &item.start) else {
        return true;
    };
    let date = match *start {
        When::Clock {
            date: DateSpec::Known(d),
            ..
        } => Some(d),
        When::Clock {
            date: DateSpec::Offset(k),
            ..
        } => placer
            .base
            .and_then(|b| b.checked_add_signed(chrono::TimeDelta::days(k))),
        When::Instant(t) => Some(t.with_timezone(&placer.tz).date_naive()),
        When::Zoned(t) => Some(t.with_timezone(&placer.tz).date_naive()),
    };
    date.is_none_or(|d| d == want)
}

/// `--title`, else the source's, else the file's name.
fn title(opts: &Options, own: Option<String>, file: &str) -> String {
    opts.title
        .clone()
        .map(|t| super::clean::line(&t))
        .filter(|t| !t.is_empty())
        .or(own)
        .unwrap_or_else(|| {
            let stem = std::path::Path::new(file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned());
            super::clean::line(&stem.unwrap_or_else(|| "Imported schedule".into()))
        })
}
