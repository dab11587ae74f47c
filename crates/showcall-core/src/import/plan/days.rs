//! The days asked for: frab's conference day (`--day N`), or the Nth date
//! with sessions, or a date; and which rows without a date were put on a
//! later day.

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::super::model::{DateSpec, Source, When};
use super::super::{DaySel, Options};
use super::plural;
use super::resolve::Resolved;
use crate::diag::Diagnostic;

/// frab days: `--day N` is the conference day; a date picks the conference
/// day on that date. `Ok(None)` when the source has no conference days or
/// none was asked for.
pub(super) fn frab_day(
    source: &Source,
    opts: &Options,
    file: &str,
    chosen: &mut Vec<String>,
) -> Result<Option<u32>, Diagnostic> {
    match opts.day {
        Some(DaySel::Index(n)) if !source.days.is_empty() => {
            let Some((_, d)) = source.days.iter().find(|(i, _)| *i == n) else {
                let list: Vec<String> = source
                    .days
                    .iter()
                    .map(|(i, d)| format!("{i} ({d})"))
                    .collect();
                return Err(Diagnostic::file_level(
                    file,
                    format!("--day {n}: the schedule has no day {n}"),
                )
                .with_help(format!("its days are {}", list.join(", "))));
            };
            chosen.push(format!("day: {n}, {d} (--day)"));
            Ok(Some(n))
        }
        Some(DaySel::Date(d)) if !source.days.is_empty() => {
            Ok(source.days.iter().find(|(_, x)| *x == d).map(|(i, _)| {
                chosen.push(format!("day: {i}, {d} (--day)"));
                *i
            }))
        }
        _ => Ok(None),
    }
}

/// For sources without conference days: keeps the sessions of the Nth
/// date with sessions, or of the date, asked for with `--day`; gives that
/// date (`None`: every day is kept).
pub(super) fn calendar_day(
    resolved: &mut Vec<Resolved>,
    tz: Tz,
    opts: &Options,
    file: &str,
    chosen: &mut Vec<String>,
) -> Result<Option<NaiveDate>, Diagnostic> {
    let mut dates: Vec<NaiveDate> = resolved
        .iter()
        .map(|r| r.start.with_timezone(&tz).date_naive())
        .collect();
    dates.sort();
    dates.dedup();
    let want = match opts.day {
        Some(DaySel::Index(n)) => match (n as usize).checked_sub(1).and_then(|i| dates.get(i)) {
            Some(d) => *d,
            None => {
                let list: Vec<String> = dates
                    .iter()
                    .enumerate()
                    .map(|(i, d)| format!("{} ({d})", i + 1))
                    .collect();
                return Err(Diagnostic::file_level(
                    file,
                    format!("--day {n}: the schedule has {}", plural(dates.len(), "day")),
                )
                .with_help(format!("its days are {}", list.join(", "))));
            }
        },
        Some(DaySel::Date(d)) => d,
        None => return Ok(None),
    };
    let before = resolved.len();
    resolved.retain(|r| r.start.with_timezone(&tz).date_naive() == want);
    if resolved.is_empty() {
        let list: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        return Err(Diagnostic::file_level(
            file,
            format!("--day: no sessions on {want} (of {before} in this room)"),
        )
        .with_help(format!("the days with sessions are {}", list.join(", "))));
    }
    if let Some(DaySel::Index(n)) = opts.day {
        chosen.push(format!("day: {n}, {want} (--day)"));
    } else {
        chosen.push(format!("day: {want} (--day)"));
    }
    Ok(Some(want))
}

/// Rows with no date put on a later day: one line per date.
pub(super) fn later_days(resolved: &[Resolved], tz: Tz, rolled_by_order: bool) -> Vec<String> {
    let mut later: Vec<(NaiveDate, usize)> = Vec::new();
    for r in resolved {
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
    later
        .into_iter()
        .map(|(d, n)| {
            if rolled_by_order {
                format!(
                    "{} after midnight put on {d} (a start more than 12 hours before the row above it is the next day)",
                    plural(n, "session")
                )
            } else {
                format!("{} put on {d} (the source's day offset)", plural(n, "session"))
            }
        })
        .collect()
}
