//! The `[event]` and `[signals]` tables, the hard ends `must_end_by` gives,
//! and the warn/final thresholds every countdown uses.

use super::*;

/// The `[event]` table, or `None` when something in it is wrong (reported).
pub(super) fn event(ctx: &mut Ctx<'_>, top: &Table<'_, '_>) -> Option<(Event, HardEndSpec)> {
    let t = match sub_table(ctx, top, "event", "[event]") {
        Ok(Some(t)) => t,
        Ok(None) => {
            ctx.error(
                top.span.clone(),
                "missing [event] table",
                Some("start the file with `[event]` and its `title`, `date` and `timezone`".into()),
            );
            return None;
        }
        Err(Reported) => return None,
    };
    t.check_keys(ctx, EVENT_KEYS);
    let title = t.required_text(ctx, "title", "\"GCM Talk\"");
    let date = match t.date(ctx, "date") {
        Ok(None) => {
            t.missing(ctx, "date", "\"2023-06-22\"");
            Err(Reported)
        }
        other => other,
    };
    let tz = match t.zone(ctx, "timezone") {
        Ok(None) => {
            t.missing(ctx, "timezone", "\"Europe/Zurich\"");
            Err(Reported)
        }
        other => other,
    };
    let venue = t.text(ctx, "venue");
    let languages = t.text_list(ctx, "languages");
    let also_show = t.zone_list(ctx, "also_show");
    let must_end_by = hard_end_spec(ctx, &t);
    let go_guard = t.int_in(ctx, "go_guard_ms", 0, 5000);

    let (
        Ok(Some((title, _))),
        Ok(Some((date, _))),
        Ok(Some((tz, _))),
        Ok(venue),
        Ok(languages),
        Ok(also_show),
        Ok(must),
    ) = (title, date, tz, venue, languages, also_show, must_end_by)
    else {
        // A bad zone or date still lets sessions be checked field by field.
        return None;
    };
    Some((
        Event {
            title,
            date,
            tz,
            venue: venue.map(|v| v.0),
            languages: languages.map(|l| l.0).unwrap_or_default(),
            also_show: also_show.map(|l| l.0).unwrap_or_default(),
            // Resolved per day once the sessions' days are known.
            must_end_by: Vec::new(),
            go_guard: go_guard
                .ok()
                .flatten()
                .map_or(crate::agenda::DEFAULT_GO_GUARD, |(ms, _)| {
                    TimeDelta::milliseconds(ms)
                }),
        },
        must,
    ))
}

/// `must_end_by` as written: one time for every day of the event, or a
/// table of dates and times.
pub(super) enum HardEndSpec {
    None,
    EveryDay(NaiveTime, Span),
    /// `(date, time, span of the time)`, in file order.
    PerDay(Vec<(NaiveDate, NaiveTime, Span)>),
}

pub(super) fn hard_end_spec(ctx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Result<HardEndSpec, Reported> {
    let Some(v) = t.get("must_end_by") else {
        return Ok(HardEndSpec::None);
    };
    let DeValue::Table(map) = v.get_ref() else {
        return match t.time(ctx, "must_end_by")? {
            Some((time, span)) => Ok(HardEndSpec::EveryDay(time, span)),
            None => Ok(HardEndSpec::None),
        };
    };
    let inner = Table {
        map,
        span: v.span(),
        name: "`must_end_by`".into(),
    };
    let mut out = Vec::new();
    let mut bad = false;
    for (k, _) in map.iter() {
        let key: &str = k.get_ref();
        let date = match values::parse_date(key) {
            Ok(d) => d,
            Err(_) => {
                ctx.error(
                    k.span(),
                    format!(
                        "`must_end_by` has '{}', which is not a date like \"2023-06-22\"",
                        sanitize(key)
                    ),
                    Some("give one line per day: \"2023-06-22\" = \"16:45\"".into()),
                );
                bad = true;
                continue;
            }
        };
        match inner.time(ctx, key) {
            Ok(Some((time, span))) => out.push((date, time, span)),
            _ => bad = true,
        }
    }
    if bad {
        Err(Reported)
    } else {
        Ok(HardEndSpec::PerDay(out))
    }
}

/// The hard end of each day `must_end_by` gives: every day of the event
/// (the event's date and each session's) for a single time, or the dates
/// the table names, each of which must be a day with a session.
pub(super) fn hard_ends(
    ctx: &mut Ctx<'_>,
    event: &Event,
    spec: &HardEndSpec,
    times: &[Times],
) -> Vec<HardEnd> {
    let tz = event.tz;
    let mut days: Vec<NaiveDate> = times
        .iter()
        .filter_map(|t| t.start.map(|s| s.with_timezone(&tz).date_naive()))
        .collect();
    days.push(event.date);
    days.sort_unstable();
    days.dedup();
    let wanted: Vec<(NaiveDate, NaiveTime, Span)> = match spec {
        HardEndSpec::None => return Vec::new(),
        HardEndSpec::EveryDay(time, span) => {
            days.iter().map(|d| (*d, *time, span.clone())).collect()
        }
        HardEndSpec::PerDay(list) => list.clone(),
    };
    let mut out = Vec::new();
    for (date, time, span) in wanted {
        if !days.contains(&date) {
            let list: Vec<String> = days.iter().map(|d| d.to_string()).collect();
            ctx.error(
                span,
                format!("`must_end_by` gives a hard end on {date}, a day with no session"),
                Some(format!("the event's days are {}", list.join(", "))),
            );
            continue;
        }
        if let Ok(at) = resolve_reported(
            ctx,
            tz,
            date,
            time,
            span,
            "the hard end `must_end_by` is at",
        ) {
            out.push(HardEnd { date, at });
        }
    }
    out.sort_by_key(|h| h.date);
    out
}

pub(super) fn signals(ctx: &mut Ctx<'_>, top: &Table<'_, '_>) -> Thresholds {
    let Ok(Some(t)) = sub_table(ctx, top, "signals", "[signals]") else {
        return Thresholds::default();
    };
    t.check_keys(ctx, SIGNAL_KEYS);
    let warn = t.duration(ctx, "warn").unwrap_or_default();
    let final_ = t.duration(ctx, "final").unwrap_or_default();
    thresholds(
        ctx,
        warn,
        final_,
        Thresholds::default(),
        ("warn", "final"),
        &t.span,
    )
}

/// Builds thresholds from optional overrides, checking that the final
/// signal comes after the warning.
pub(super) fn thresholds(
    ctx: &mut Ctx<'_>,
    warn: Option<(TimeDelta, Span)>,
    final_: Option<(TimeDelta, Span)>,
    base: Thresholds,
    names: (&str, &str),
    whole: &Span,
) -> Thresholds {
    let t = Thresholds {
        warn: warn.as_ref().map_or(base.warn, |w| w.0),
        final_: final_.as_ref().map_or(base.final_, |f| f.0),
    };
    if t.final_ >= t.warn && (warn.is_some() || final_.is_some()) {
        let span = final_
            .as_ref()
            .or(warn.as_ref())
            .map_or_else(|| whole.clone(), |x| x.1.clone());
        ctx.error(
            span,
            format!(
                "`{}` ({}) must be shorter than `{}` ({})",
                names.1,
                crate::text::human_duration(t.final_),
                names.0,
                crate::text::human_duration(t.warn)
            ),
            Some(format!(
                "both count down to zero and `{}` comes last, e.g. {} = \"5m\", {} = \"1m\"",
                names.1, names.0, names.1
            )),
        );
    }
    t
}
