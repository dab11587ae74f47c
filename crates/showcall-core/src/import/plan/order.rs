//! The running order: sorted by start, overlaps refused (or trimmed with
//! `--allow-overlap`), missing ends filled until the next session.

use chrono_tz::Tz;

use super::super::Options;
use super::resolve::{Counts, Resolved};
use super::{Ctx, plural};
use crate::diag::Diagnostic;
use crate::text::{clock_hm, human_duration};

/// Sorts by start (source order among equals), with a note when the
/// source listed them otherwise.
pub(super) fn sort(resolved: &mut [Resolved], notes: &mut Vec<String>) {
    resolved.sort_by_key(|r| (r.start, r.order));
    if resolved.windows(2).any(|w| w[0].order > w[1].order) {
        notes.push("sessions were sorted by start (the source lists them in another order)".into());
    }
}

/// Overlapping pairs: each session against the one that ends last before
/// it. Refused, each named with both places, unless `--allow-overlap`,
/// which ends the earlier when the later starts.
pub(super) fn overlaps(
    resolved: &mut Vec<Resolved>,
    tz: Tz,
    opts: &Options,
    cx: &Ctx,
    notes: &mut Vec<String>,
) -> Result<(), Vec<Diagnostic>> {
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
        return Err(pairs
            .iter()
            .map(|&(a, b)| overlap_error(&resolved[a], &resolved[b], tz, cx))
            .collect());
    }
    if opts.allow_overlap {
        trim(resolved, notes);
    }
    Ok(())
}

fn overlap_error(ra: &Resolved, rb: &Resolved, tz: Tz, cx: &Ctx) -> Diagnostic {
    let where_a = ra.item.loc.diag(cx.file, cx.text, "").to_string();
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
}

/// `--allow-overlap`: each session ends when the next starts; one that
/// starts with the next is dropped.
fn trim(resolved: &mut Vec<Resolved>, notes: &mut Vec<String>) {
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

/// Missing ends: until the next session starts, on the same day; the last
/// of a day takes `--last-duration` or is an error. Returns how many run
/// until the next.
pub(super) fn fill_ends(
    resolved: &mut [Resolved],
    tz: Tz,
    opts: &Options,
    cx: &Ctx,
    notes: &mut Vec<String>,
) -> Result<usize, Vec<Diagnostic>> {
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
    if errors.is_empty() {
        Ok(until_next)
    } else {
        Err(errors)
    }
}

/// The header lines for what was counted while resolving and filling ends.
pub(super) fn counted_notes(counts: &Counts, until_next: usize, notes: &mut Vec<String>) {
    // (count, said of one, said of several: N is the count)
    let counted = [
        (
            until_next,
            "1 session has no end: it runs until the next starts",
            "N sessions have no end: each runs until the next starts",
        ),
        (
            counts.chained,
            "1 session has no start: it starts when the one before it ends",
            "N sessions have no start: each starts when the one before it ends",
        ),
        (
            counts.rolled,
            "1 session ends past midnight (an end before the start is the next day)",
            "N sessions end past midnight (an end before the start is the next day)",
        ),
        (
            counts.disagree,
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
}
