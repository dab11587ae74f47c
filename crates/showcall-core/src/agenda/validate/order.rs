//! The sessions' times against one another: each start and end resolved to
//! an instant, the running order checked (no going back, no overlap, the
//! hard end kept), and open ends filled from the next start.

use super::*;

/// A session's resolved times, or `None` where an error was reported.
#[derive(Clone, Default)]
pub(super) struct Times {
    pub(super) start: Option<DateTime<Utc>>,
    pub(super) end: Option<DateTime<Utc>>,
}

/// Resolves each session's start and explicit end to instants. Ends taken
/// from the next session's start are filled in by `check_order`.
pub(super) fn resolve_times(ctx: &mut Ctx<'_>, event: &Event, raws: &[RawSession]) -> Vec<Times> {
    let tz = event.tz;
    let mut date = event.date;
    let mut out = Vec::with_capacity(raws.len());
    for r in raws {
        if let Some((d, span)) = &r.date {
            if *d < event.date {
                ctx.error(
                    span.clone(),
                    format!(
                        "{} is dated {d}, before the event's date {}",
                        r.label, event.date
                    ),
                    Some(
                        "a session's `date` is the day it happens, on or after the event's `date`"
                            .into(),
                    ),
                );
            }
            date = *d;
        }
        let mut t = Times::default();
        if r.timing_bad {
            out.push(t);
            continue;
        }
        let Some((start, sspan)) = &r.start else {
            out.push(t);
            continue;
        };
        t.start = resolve_reported(
            ctx,
            tz,
            date,
            *start,
            sspan.clone(),
            &format!("{} starts at", r.label),
        )
        .ok();
        if let Some((end, espan)) = &r.end {
            if end <= start {
                ctx.error(
                    espan.clone(),
                    format!(
                        "{} ends at {}, before its start at {}",
                        r.label,
                        hm(*end),
                        hm(*start)
                    ),
                    Some("for a session that runs past midnight, use `duration`".into()),
                );
            } else {
                let e = resolve_reported(
                    ctx,
                    tz,
                    date,
                    *end,
                    espan.clone(),
                    &format!("{} ends at", r.label),
                )
                .ok();
                if let (Some(s), Some(e)) = (t.start, e) {
                    // Wall-clock order holds, but a clock change can still
                    // fold the end back before the start.
                    if e <= s {
                        ctx.error(
                            espan.clone(),
                            format!(
                                "{} ends at {}, before its start at {}",
                                r.label,
                                hm(*end),
                                hm(*start)
                            ),
                            Some("the clocks change in between; use `duration` instead".into()),
                        );
                    } else {
                        t.end = Some(e);
                    }
                }
            }
        } else if let (Some((d, _)), Some(s)) = (&r.duration, t.start) {
            t.end = Some(s + *d);
        }
        out.push(t);
    }
    out
}

/// Sessions must follow each other: no going back, no overlap, and the hard
/// end respected. Also fills in ends that run until the next start.
pub(super) fn check_order(
    ctx: &mut Ctx<'_>,
    event: &Event,
    raws: &[RawSession],
    times: &mut [Times],
) {
    let mut prev: Option<usize> = None;
    for i in 0..raws.len() {
        if times[i].start.is_none() {
            // Unknown start (already reported): nothing to compare against,
            // and the previous session's open end stays unknown.
            prev = None;
            continue;
        }
        if let Some(j) = prev {
            check_pair(ctx, event.tz, raws, times, j, i);
        }
        prev = Some(i);
    }
    check_last_end(ctx, event.tz, raws, times);
    check_hard_ends(ctx, event, raws, times);
}

/// Session `i` against the one before it, `j`: it must start after `j`
/// starts and, when `j` has an end, after it ends. An open end of `j`
/// right before `i` runs until `i` starts.
fn check_pair(
    ctx: &mut Ctx<'_>,
    tz: Tz,
    raws: &[RawSession],
    times: &mut [Times],
    j: usize,
    i: usize,
) {
    let local = |t: DateTime<Utc>| crate::text::clock_hm(t, tz);
    let (r, p) = (&raws[i], &raws[j]);
    let Some(start) = times[i].start else {
        return;
    };
    let span = r.start.as_ref().map_or(r.header.clone(), |s| s.1.clone());
    let pstart = times[j].start.unwrap_or(start);
    let open = p.end.is_none() && p.duration.is_none();
    if start < pstart {
        ctx.error(
            span,
            format!(
                "{} starts at {}, before {} starts at {}",
                r.label,
                local(start),
                short(&p.label),
                local(pstart)
            ),
            Some(if r.date.is_none() {
                // Listed after a session it precedes on the wall
                // clock: most likely the next day's.
                let next = pstart.with_timezone(&tz).date_naive() + TimeDelta::days(1);
                format!(
                    "if it is on the next day, set `date = \"{next}\"` in it; \
                     otherwise list sessions in the order they happen"
                )
            } else {
                "list sessions in the order they happen".into()
            }),
        );
    } else if start == pstart {
        ctx.error(
            span,
            format!(
                "{} starts at {}, the same time as {}",
                r.label,
                local(start),
                short(&p.label)
            ),
            Some("give each session its own start".into()),
        );
    } else if open && j + 1 == i {
        times[j].end = Some(start);
    } else if let Some(pend) = times[j].end
        && start < pend
    {
        ctx.error(
            span,
            format!(
                "{} starts at {}, before {} ends at {}",
                r.label,
                local(start),
                short(&p.label),
                local(pend)
            ),
            Some(format!(
                "start it at {} or later, or end {} earlier",
                local(pend),
                short(&p.label)
            )),
        );
    }
}

/// The last session needs an end of its own: nothing follows it. The
/// suggested end is half an hour after its own start, so the hint fits the
/// session it is for.
fn check_last_end(ctx: &mut Ctx<'_>, tz: Tz, raws: &[RawSession], times: &[Times]) {
    if let (Some(last), Some(lt)) = (raws.last(), times.last())
        && last.end.is_none()
        && last.duration.is_none()
        && !last.timing_bad
        && let Some(start) = lt.start
    {
        let end = crate::text::clock_hm(start + TimeDelta::minutes(30), tz);
        ctx.error(
            last.header.clone(),
            format!("the last session, {}, has no end", short(&last.label)),
            Some(format!(
                "add `end = \"{end}\"` or `duration = \"30m\"`: nothing follows it"
            )),
        );
    }
}

/// Every session past the hard end of its day, each with its date.
fn check_hard_ends(ctx: &mut Ctx<'_>, event: &Event, raws: &[RawSession], times: &[Times]) {
    let tz = event.tz;
    let local = |t: DateTime<Utc>| crate::text::clock_hm(t, tz);
    for (r, t) in raws.iter().zip(times.iter()) {
        let (Some(start), Some(end)) = (t.start, t.end) else {
            continue;
        };
        let day = start.with_timezone(&tz).date_naive();
        let Some(hard) = event.must_end_by.iter().find(|h| h.date == day) else {
            continue;
        };
        if end > hard.at {
            let span = match (&r.end, &r.duration) {
                (Some((_, s)), _) | (None, Some((_, s))) => s.clone(),
                (None, None) => r.header.clone(),
            };
            let next_day = if end.with_timezone(&tz).date_naive() > day {
                " the next day"
            } else {
                ""
            };
            ctx.error(
                span,
                format!(
                    "{} ends at {}{next_day} on {}, after that day's hard end at {} (`must_end_by`)",
                    r.label,
                    local(end),
                    day.format("%a %-d %b %Y"),
                    local(hard.at)
                ),
                Some("shorten the programme, or move `must_end_by` if the room allows".into()),
            );
        }
    }
}

/// `session 'welcome'` → `'welcome'`, for the second name in a message.
pub(super) fn short(label: &str) -> &str {
    label.strip_prefix("session ").unwrap_or(label)
}
