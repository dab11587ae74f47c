//! One `[[session]]` table's own fields, checked before its times are
//! resolved against its neighbours.

use super::*;

/// One `[[session]]` after its own fields are checked, before times are
/// resolved against its neighbours.
pub(super) struct RawSession {
    pub(super) header: Span,
    pub(super) label: String,
    pub(super) id: Option<(String, Span)>,
    pub(super) title: Option<String>,
    pub(super) date: Option<(NaiveDate, Span)>,
    pub(super) start: Option<(NaiveTime, Span)>,
    pub(super) end: Option<(NaiveTime, Span)>,
    pub(super) duration: Option<(TimeDelta, Span)>,
    pub(super) speakers: Vec<String>,
    pub(super) moderators: Vec<String>,
    pub(super) notes: Option<String>,
    pub(super) fixed: bool,
    pub(super) min_duration: Option<(TimeDelta, Span)>,
    pub(super) signals: Thresholds,
    pub(super) intervention: Option<Intervention>,
    /// Start, end or date could not be read: skip checks that need them.
    pub(super) timing_bad: bool,
}

pub(super) fn raw_session(
    ctx: &mut Ctx<'_>,
    n: usize,
    item: &Spanned<DeValue<'_>>,
    base: Thresholds,
) -> Option<RawSession> {
    let DeValue::Table(map) = item.get_ref() else {
        ctx.error(
            item.span(),
            format!(
                "session {n} must be a table, not {}",
                type_name(item.get_ref())
            ),
            Some("write each session as a `[[session]]` table".into()),
        );
        return None;
    };
    let mut t = Table {
        map,
        span: item.span(),
        name: format!("session {n}"),
    };
    // The id first, so every later message can name the session by it.
    let id = session_id(ctx, &t);
    if let Some((id, _)) = &id {
        t.name = format!("session '{id}'");
    }
    t.check_keys(ctx, SESSION_KEYS);

    let title = ok(t.required_text(ctx, "title", "\"Welcome Remarks\"")).map(|x| x.0);
    let timing = timing(ctx, &t);
    let speakers = ok(t.text_list(ctx, "speakers"))
        .map(|x| x.0)
        .unwrap_or_default();
    let moderators = ok(t.text_list(ctx, "moderators"))
        .map(|x| x.0)
        .unwrap_or_default();
    let notes = ok(t.text(ctx, "notes")).map(|x| x.0);
    let fixed = ok(t.bool(ctx, "fixed")).is_some_and(|x| x.0);
    let min_duration = ok(t.duration(ctx, "min_duration"));
    let warn = ok(t.duration(ctx, "warn"));
    let final_ = ok(t.duration(ctx, "final"));
    let signals = thresholds(ctx, warn, final_, base, ("warn", "final"), &t.span);
    let intervention = intervention(ctx, &t);
    Some(RawSession {
        header: t.span.clone(),
        label: t.name,
        id,
        title,
        date: timing.date,
        start: timing.start,
        end: timing.end,
        duration: timing.duration,
        speakers,
        moderators,
        notes,
        fixed,
        min_duration,
        signals,
        intervention,
        timing_bad: timing.bad,
    })
}

/// The session's `id`, checked to be a slug; a bad one is reported with a
/// suggestion made from it.
fn session_id(ctx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Option<(String, Span)> {
    match t.string(ctx, "id") {
        Ok(Some((s, span))) => {
            if check_text(ctx, s, span.clone(), &format!("`id` of {}", t.name), false).is_err() {
                None
            } else if !values::is_slug(s) {
                let suggestion: String = s
                    .trim()
                    .to_lowercase()
                    .chars()
                    .map(|c| if c.is_whitespace() { '-' } else { c })
                    .filter(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_'
                    })
                    .collect();
                let help = if suggestion.is_empty() {
                    "ids use lowercase letters, digits, '-' and '_', e.g. \"panel\"".to_string()
                } else {
                    format!("ids use lowercase letters, digits, '-' and '_', e.g. \"{suggestion}\"")
                };
                ctx.error(
                    span,
                    format!("invalid id '{}' for {}", s, t.name),
                    Some(help),
                );
                None
            } else {
                Some((s.to_string(), span))
            }
        }
        Ok(None) => {
            t.missing(ctx, "id", "\"welcome\"");
            None
        }
        Err(Reported) => None,
    }
}

/// A session's date, start, end and duration as written, before they are
/// resolved against the zone and the neighbours.
struct Timing {
    date: Option<(NaiveDate, Span)>,
    start: Option<(NaiveTime, Span)>,
    end: Option<(NaiveTime, Span)>,
    duration: Option<(TimeDelta, Span)>,
    /// One of them could not be read: skip the checks that need them.
    bad: bool,
}

fn timing(ctx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Timing {
    let mut bad = false;
    let date = t.date(ctx, "date").unwrap_or_else(|_| {
        bad = true;
        None
    });
    let start = match t.time(ctx, "start") {
        Ok(None) => {
            t.missing(ctx, "start", "\"15:00\"");
            bad = true;
            None
        }
        Ok(s) => s,
        Err(Reported) => {
            bad = true;
            None
        }
    };
    let end = t.time(ctx, "end").unwrap_or_else(|_| {
        bad = true;
        None
    });
    let duration = t.duration(ctx, "duration").unwrap_or_else(|_| {
        bad = true;
        None
    });
    if let (Some(_), Some((_, dspan))) = (&end, &duration) {
        ctx.error(
            dspan.clone(),
            format!("{} has both `end` and `duration`", t.name),
            Some("keep one of them".into()),
        );
        bad = true;
    }
    Timing {
        date,
        start,
        end,
        duration,
        bad,
    }
}

/// `intervention` and its own signals; the signals without the slot are
/// reported.
fn intervention(ctx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Option<Intervention> {
    let slot = ok(t.duration(ctx, "intervention"));
    let iwarn = ok(t.duration(ctx, "intervention_warn"));
    let ifinal = ok(t.duration(ctx, "intervention_final"));
    match slot {
        Some((slot, _)) => Some(Intervention {
            slot,
            signals: thresholds(
                ctx,
                iwarn,
                ifinal,
                Intervention::scaled(slot),
                ("intervention_warn", "intervention_final"),
                &t.span,
            ),
        }),
        None => {
            for (key, v) in [
                ("intervention_warn", &iwarn),
                ("intervention_final", &ifinal),
            ] {
                if let Some((_, span)) = v {
                    ctx.error(
                        span.clone(),
                        format!("`{key}` in {} without `intervention`", t.name),
                        Some("set the slot length too, e.g. `intervention = \"3m\"`".into()),
                    );
                }
            }
            None
        }
    }
}

pub(super) fn sessions(
    ctx: &mut Ctx<'_>,
    top: &Table<'_, '_>,
    event: Option<&mut Event>,
    hard: &HardEndSpec,
    signals: Thresholds,
) -> Option<Vec<Session>> {
    let items = match top.get("session") {
        None => {
            ctx.error(
                top.span.clone(),
                "agenda has no sessions",
                Some("add a `[[session]]` table with an `id`, a `title` and a `start`".into()),
            );
            return None;
        }
        Some(v) => match v.get_ref() {
            DeValue::Array(a) if !a.is_empty() => &a[..],
            other => {
                ctx.error(
                    v.span(),
                    format!(
                        "`session` must be an array of tables, not {}",
                        type_name(other)
                    ),
                    Some("write each session as `[[session]]`, with double brackets".into()),
                );
                return None;
            }
        },
    };

    let raws: Vec<RawSession> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| raw_session(ctx, i + 1, item, signals))
        .collect();

    // Duplicate ids: one pass with a map, never pairwise.
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(raws.len());
    for r in &raws {
        if let Some((id, span)) = &r.id {
            if let Some(&line) = seen.get(id.as_str()) {
                ctx.error(
                    span.clone(),
                    format!("duplicate session id '{id}'"),
                    Some(format!(
                        "the session on line {line} already uses '{id}'; ids must be unique"
                    )),
                );
            } else {
                seen.insert(id, ctx.line_of(r.header.start));
            }
        }
    }

    let event = event?;
    let mut times = resolve_times(ctx, event, &raws);
    // Open ends are filled in by `check_order`, which also needs the hard
    // ends; the days come from the starts, which are known now.
    event.must_end_by = hard_ends(ctx, event, hard, &times);
    check_order(ctx, event, &raws, &mut times);

    let mut out = Vec::with_capacity(raws.len());
    for (r, t) in raws.into_iter().zip(times) {
        let (Some((id, _)), Some(title), Some(start), Some(end)) = (r.id, r.title, t.start, t.end)
        else {
            continue;
        };
        if let Some((min, span)) = &r.min_duration
            && *min > end - start
        {
            ctx.error(
                span.clone(),
                format!(
                    "`min_duration` ({}) of {} is longer than the session ({})",
                    crate::text::human_duration(*min),
                    r.label,
                    crate::text::human_duration(end - start)
                ),
                Some("a session can only shrink: make `min_duration` shorter".into()),
            );
        }
        out.push(Session {
            id,
            title,
            start,
            end,
            speakers: r.speakers,
            moderators: r.moderators,
            notes: r.notes,
            fixed: r.fixed,
            min_duration: r.min_duration.map(|m| m.0),
            signals: r.signals,
            intervention: r.intervention,
            line: ctx.line_of(r.header.start),
            removed: false,
        });
    }
    Some(out)
}
