//! Wall-clock times in the event's zone: resolving a date and time to one
//! instant, and saying why a time the clock skips or repeats is not one.

use super::*;

/// Where a wall-clock time falls in the zone.
pub(super) enum Local {
    At(DateTime<Utc>),
    /// Skipped by clocks going forward, from `from` to `to`.
    Gap {
        from: NaiveTime,
        to: NaiveTime,
    },
    /// Happens twice as clocks go back from `to` to `from`.
    Twice {
        first: FixedOffset,
        second: FixedOffset,
        from: NaiveTime,
        to: NaiveTime,
    },
}

pub(super) fn resolve(tz: Tz, at: NaiveDateTime) -> Local {
    match tz.from_local_datetime(&at) {
        LocalResult::Single(t) => Local::At(t.with_timezone(&Utc)),
        LocalResult::None => {
            let (from, to) = window(tz, at, |r| matches!(r, LocalResult::None));
            Local::Gap { from, to }
        }
        LocalResult::Ambiguous(a, b) => {
            let (from, to) = window(tz, at, |r| matches!(r, LocalResult::Ambiguous(..)));
            Local::Twice {
                first: a.offset().fix(),
                second: b.offset().fix(),
                from,
                to,
            }
        }
    }
}

/// The run of whole minutes around `at` for which `inside` holds: the
/// skipped or repeated stretch of a clock change. Only used on the error
/// path, so a minute-by-minute walk is fine.
pub(super) fn window(
    tz: Tz,
    at: NaiveDateTime,
    inside: impl Fn(LocalResult<DateTime<Tz>>) -> bool,
) -> (NaiveTime, NaiveTime) {
    let minute = TimeDelta::minutes(1);
    let floor = at
        .date()
        .and_hms_opt(at.hour(), at.minute(), 0)
        .unwrap_or(at);
    let limit = 48 * 60;
    let mut from = floor;
    for _ in 0..limit {
        let prev = from - minute;
        if !inside(tz.from_local_datetime(&prev)) {
            break;
        }
        from = prev;
    }
    let mut to = floor + minute;
    for _ in 0..limit {
        if !inside(tz.from_local_datetime(&to)) {
            break;
        }
        to += minute;
    }
    (from.time(), to.time())
}

pub(super) fn hm(t: NaiveTime) -> String {
    if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

pub(super) fn offset_text(o: FixedOffset) -> String {
    let s = o.local_minus_utc();
    let sign = if s < 0 { '-' } else { '+' };
    let a = s.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", a / 3600, a / 60 % 60)
}

/// Resolves `date time` in the zone, or reports why that wall-clock time is
/// not one instant.
pub(super) fn resolve_reported(
    ctx: &mut Ctx<'_>,
    tz: Tz,
    date: NaiveDate,
    time: NaiveTime,
    span: Span,
    what: &str,
) -> Result<DateTime<Utc>, Reported> {
    match resolve(tz, date.and_time(time)) {
        Local::At(t) => Ok(t),
        Local::Gap { from, to } => {
            ctx.error(
                span,
                format!(
                    "{what} {} on {date}, a time that does not exist in {}: clocks go forward \
                     from {} to {}",
                    hm(time),
                    tz.name(),
                    hm(from),
                    hm(to)
                ),
                Some(format!(
                    "pick a time before {} or after {}",
                    hm(from),
                    hm(to)
                )),
            );
            Err(Reported)
        }
        Local::Twice {
            first,
            second,
            from,
            to,
        } => {
            ctx.error(
                span,
                format!(
                    "{what} {} on {date}, an ambiguous time in {}: it happens twice, at {} and \
                     again at {}, as clocks go back from {} to {}",
                    hm(time),
                    tz.name(),
                    offset_text(first),
                    offset_text(second),
                    hm(to),
                    hm(from)
                ),
                Some(format!(
                    "avoid the repeated hour {}–{}: use a time before {} or from {} on; to run \
                     across it, start earlier and give a `duration`",
                    hm(from),
                    hm(to),
                    hm(from),
                    hm(to)
                )),
            );
            Err(Reported)
        }
    }
}

/// The help for a zone abbreviation (`JST`, `CEST`): the IANA zones that
/// use it, in winter or in summer, so the fix can be copied: `"JST"` →
/// `write "Asia/Tokyo"`. Abbreviations change with the seasons and several
/// zones share one, so they are never accepted as zones.
pub(super) fn abbreviation_help(abbr: &str) -> String {
    use chrono::TimeZone;
    let seasons = [(2023, 1, 15), (2023, 7, 15)].map(|(y, m, d)| {
        chrono::NaiveDate::from_ymd_opt(y, m, d).and_then(|d| d.and_hms_opt(12, 0, 0))
    });
    // Area/City names only: the old aliases ("Japan", "Etc/…") are not
    // what anyone should write.
    let users: Vec<&str> = chrono_tz::TZ_VARIANTS
        .iter()
        .filter(|z| z.name().contains('/') && !z.name().starts_with("Etc/"))
        .filter(|z| {
            seasons
                .iter()
                .flatten()
                .any(|t| z.from_utc_datetime(t).format("%Z").to_string() == abbr)
        })
        .map(|z| z.name())
        .collect();
    let why = "abbreviations change with the seasons and several zones share one";
    match users.as_slice() {
        [] => format!("use an IANA zone name such as \"Europe/Zurich\": {why}"),
        [one] => format!("write \"{one}\" instead: {why}"),
        many => {
            // Examples from the big areas first (Europe/…, America/…), not
            // from Arctic/… or Atlantic/…, which few venues are in.
            let areas = [
                "Europe/",
                "America/",
                "Asia/",
                "Australia/",
                "Africa/",
                "Pacific/",
            ];
            let rank = |z: &str| {
                areas
                    .iter()
                    .position(|a| z.starts_with(a))
                    .unwrap_or(areas.len())
            };
            let mut ranked = many.to_vec();
            ranked.sort_by_key(|z| rank(z));
            let shown: Vec<String> = ranked.iter().take(3).map(|z| format!("\"{z}\"")).collect();
            format!(
                "{abbr} is used by {} zones, e.g. {}: write the one of the venue's city; {why}",
                many.len(),
                shown.join(", ")
            )
        }
    }
}
