//! Each kept item's start and end as instants: wall-clock times placed in
//! the zone, a row without a start after the one before, an end before its
//! start past midnight, an end against a duration.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;

use super::super::model::{DateSpec, Item, When};
use super::{Ctx, local};
use crate::diag::Diagnostic;
use crate::text::{clock_hm, human_duration};

/// An item with its times resolved.
pub(super) struct Resolved {
    pub(super) item: Item,
    pub(super) start: DateTime<Utc>,
    pub(super) end: Option<DateTime<Utc>>,
    pub(super) slug: Option<String>,
    /// Its place in the source, to keep the source's order among equals.
    pub(super) order: usize,
}

/// What resolving counted, for the header comment.
#[derive(Default)]
pub(super) struct Counts {
    /// Rows with no start that follow the one before.
    pub(super) chained: usize,
    /// Ends before their start, put on the next day.
    pub(super) rolled: usize,
    /// An end and a duration that disagree (the end wins).
    pub(super) disagree: usize,
}

/// Places times in `tz`; a date-less time is on `base` (`--day`) or, for an
/// end, on its start's date, plus its day offset.
pub(super) struct Placer {
    pub(super) tz: Tz,
    pub(super) base: Option<NaiveDate>,
}

impl Placer {
    fn at(&self, w: &When, prev_date: Option<NaiveDate>) -> Result<DateTime<Utc>, String> {
        match *w {
            When::Instant(t) => Ok(t.with_timezone(&Utc)),
            When::Zoned(t) => Ok(t.with_timezone(&Utc)),
            When::Clock { date, time } => {
                let d = match date {
                    DateSpec::Known(d) => d,
                    DateSpec::Offset(k) => self
                        .base
                        .or(prev_date)
                        .and_then(|b| b.checked_add_signed(TimeDelta::days(k)))
                        .ok_or(
                            "a time with no date: fill in the date column, or add --day YYYY-MM-DD",
                        )?,
                };
                local(self.tz, d.and_time(time))
            }
        }
    }
}

/// Resolves every item of the chosen conference day (`frab_day`, when
/// given), in source order, or every problem found.
pub(super) fn resolve_all(
    items: Vec<(Item, Option<String>)>,
    frab_day: Option<u32>,
    placer: &Placer,
    cx: &Ctx,
    counts: &mut Counts,
) -> Result<Vec<Resolved>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut resolved = Vec::new();
    let mut prev_end: Option<DateTime<Utc>> = None;
    for (order, (item, slug)) in items.into_iter().enumerate() {
        if let Some(n) = frab_day
            && item.day != Some(n)
        {
            continue;
        }
        let start = match start_of(&item, prev_end, placer, cx, counts) {
            Ok(s) => s,
            Err(e) => {
                let (d, forget_prev) = *e;
                errors.push(d);
                if forget_prev {
                    prev_end = None;
                }
                continue;
            }
        };
        let end = match end_of(&item, start, placer, cx, counts) {
            Ok(e) => e,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        prev_end = end;
        resolved.push(Resolved {
            item,
            start,
            end,
            slug,
            order,
        });
    }
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(errors)
    }
}

/// The item's start: its own, or (a length but no start) the end of the
/// one before, as Ontime links them. An error says whether the next row
/// may still follow the one before (it may when only the wall clock is
/// doubled).
fn start_of(
    item: &Item,
    prev_end: Option<DateTime<Utc>>,
    placer: &Placer,
    cx: &Ctx,
    counts: &mut Counts,
) -> Result<DateTime<Utc>, Box<(Diagnostic, bool)>> {
    let tz = placer.tz;
    let start_loc = item.start_loc.clone().unwrap_or_else(|| item.loc.clone());
    let start = match &item.start {
        Some(w) => placer
            .at(w, None)
            .map_err(|m| {
                let d = cx.at(&start_loc, format!("'{}' starts at {m}", item.title));
                if m.contains("clocks") {
                    d.with_help(
                        "move it out of the clock change, or give the time with its UTC offset",
                    )
                } else {
                    d
                }
            })
            .map_err(|d| Box::new((d, true)))?,
        None => match prev_end {
            Some(t) => {
                counts.chained += 1;
                t
            }
            None => {
                let d = cx
                    .at(
                        &item.loc,
                        format!(
                            "'{}' has no start, and no session before it to follow",
                            item.title
                        ),
                    )
                    .with_help("give it a start time");
                return Err(Box::new((d, false)));
            }
        },
    };
    // Wall-clock starts that a clock change doubles cannot be written.
    let wall = start.with_timezone(&tz).naive_local();
    if let Err(m) = local(tz, wall) {
        let d = cx
            .at(&start_loc, format!("'{}' starts at {m}", item.title))
            .with_help(
                "an agenda cannot name this instant by its wall-clock time; move the session",
            );
        return Err(Box::new((d, false)));
    }
    Ok(start)
}

/// The item's end: its own (a time of day at or before the start is the
/// next day), else start plus duration; `None` when it has neither.
fn end_of(
    item: &Item,
    start: DateTime<Utc>,
    placer: &Placer,
    cx: &Ctx,
    counts: &mut Counts,
) -> Result<Option<DateTime<Utc>>, Diagnostic> {
    let tz = placer.tz;
    let mut end = match &item.end {
        Some(w) => match placer.at(w, Some(start.with_timezone(&tz).date_naive())) {
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
                        counts.rolled += 1;
                    }
                }
                Some(e)
            }
            Err(m) => return Err(cx.at(&item.loc, format!("'{}' ends at {m}", item.title))),
        },
        None => None,
    };
    if let Some(d) = item.duration {
        let by_duration = start + d;
        match end {
            Some(e) if e != by_duration => counts.disagree += 1,
            Some(_) => {}
            None => end = Some(by_duration),
        }
    }
    let Some(e) = end else {
        return Ok(None);
    };
    if e <= start {
        return Err(cx
            .at(
                &item.loc,
                format!(
                    "'{}' ends at {}, not after its start at {}",
                    item.title,
                    clock_hm(e, tz),
                    clock_hm(start, tz)
                ),
            )
            .with_help("fix the end (or duration) in the source"));
    }
    if e - start > TimeDelta::days(7) {
        return Err(cx
            .at(
                &item.loc,
                format!(
                    "'{}' lasts {}, more than a week",
                    item.title,
                    human_duration(e - start)
                ),
            )
            .with_help("fix the end (or duration) in the source"));
    }
    Ok(end)
}
