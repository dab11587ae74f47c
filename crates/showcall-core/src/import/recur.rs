//! Recurring iCalendar events: every occurrence of an `RRULE`/`RDATE`
//! (less `EXDATE`) up to a last date, with the `rrule` crate. Floating
//! times (no zone, no `Z`) recur on the wall clock.

use chrono::{NaiveDate, TimeZone, Utc};
use rrule::RRuleSet;

use super::model::{DateSpec, When};

/// At most this many occurrences of one event are imported: a daily rule
/// with no end over a year is 366; memory stays bounded.
pub const MAX_OCCURRENCES: u16 = 500;

/// The occurrences of an event starting at `start` under the recurrence
/// lines `rules` (each a whole property line, `RRULE:FREQ=DAILY;COUNT=3`,
/// `EXDATE;TZID=Europe/Berlin:20260808T090000`), on or before `until`, in
/// order, the first included. Errors say what the crate could not read.
pub fn occurrences(start: &When, rules: &[String], until: NaiveDate) -> Result<Vec<When>, String> {
    let (dtstart, floating) = match start {
        When::Zoned(t) => (
            format!(
                "DTSTART;TZID={}:{}",
                t.timezone().name(),
                t.format("%Y%m%dT%H%M%S")
            ),
            false,
        ),
        When::Instant(t) => (
            format!("DTSTART:{}", t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ")),
            false,
        ),
        // A floating time recurs on the wall clock: computed as if UTC
        // (which has no clock changes), read back as wall-clock times.
        When::Clock {
            date: DateSpec::Known(d),
            time,
        } => (
            format!("DTSTART:{}", d.and_time(*time).format("%Y%m%dT%H%M%SZ")),
            true,
        ),
        When::Clock { .. } => return Ok(vec![*start]),
    };
    let text = std::iter::once(dtstart)
        .chain(rules.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n");
    let set: RRuleSet = text.parse().map_err(|e| format!("{e}"))?;
    let last = until
        .succ_opt()
        .unwrap_or(until)
        .and_hms_opt(0, 0, 0)
        .map(|n| Utc.from_utc_datetime(&n))
        .ok_or("the last date is out of range")?;
    let last = last.with_timezone(&rrule::Tz::UTC);
    let found = set.before(last).all(MAX_OCCURRENCES);
    Ok(found
        .dates
        .into_iter()
        .map(|dt| match start {
            When::Zoned(t) => When::Zoned(dt.with_timezone(&t.timezone())),
            When::Instant(t) => When::Instant(dt.with_timezone(t.offset())),
            _ if floating => {
                let n = dt.naive_utc();
                When::Clock {
                    date: DateSpec::Known(n.date()),
                    time: n.time(),
                }
            }
            _ => *start,
        })
        .collect())
}

/// Every occurrence of the recurring items `pending` (index into `items`,
/// recurrence lines) up to `until`: the first keeps the item's id, each
/// later one gets `ID-YYYYMMDD`; each lasts as long as the first. Returns
/// how many occurrences there are in all, or the first error with the
/// index of its item.
pub fn expand(
    items: &mut Vec<super::model::Item>,
    pending: Vec<(usize, Vec<String>)>,
    until: NaiveDate,
) -> Result<usize, (usize, String)> {
    let mut total = 0;
    for (i, rules) in pending.into_iter().rev() {
        let Some(start) = items[i].start else {
            continue;
        };
        let occ = occurrences(&start, &rules, until).map_err(|m| (i, m))?;
        total += occ.len();
        let mut first = items[i].clone();
        if first.duration.is_none()
            && let Some(end) = first.end
        {
            first.duration = length(&start, &end);
            first.end = None;
        }
        let copies: Vec<super::model::Item> = occ
            .iter()
            .enumerate()
            .map(|(k, w)| {
                let mut it = first.clone();
                it.start = Some(*w);
                if k > 0 {
                    it.id = it
                        .id
                        .map(|id| format!("{id}-{}", date_of(w).format("%Y%m%d")));
                }
                it
            })
            .collect();
        items.splice(i..=i, copies);
    }
    Ok(total)
}

/// The date a start is written with (its own zone's or offset's).
pub fn date_of(w: &When) -> NaiveDate {
    match w {
        When::Zoned(t) => t.date_naive(),
        When::Instant(t) => t.date_naive(),
        When::Clock {
            date: DateSpec::Known(d),
            ..
        } => *d,
        When::Clock { .. } => NaiveDate::MIN,
    }
}

/// How long from `start` to `end`, when both are of one kind.
fn length(start: &When, end: &When) -> Option<chrono::TimeDelta> {
    let utc = |w: &When| match w {
        When::Zoned(t) => Some(t.with_timezone(&Utc).naive_utc()),
        When::Instant(t) => Some(t.naive_utc()),
        When::Clock {
            date: DateSpec::Known(d),
            time,
        } => Some(d.and_time(*time)),
        _ => None,
    };
    let d = utc(end)? - utc(start)?;
    (d > chrono::TimeDelta::zero()).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn zoned_daily_with_an_exdate_keeps_the_wall_clock_over_dst() {
        // Europe/Berlin leaves summer time on 2026-10-25: a 09:00 daily
        // stand-up stays at 09:00 local (07:00Z in CEST, then 08:00Z in CET).
        let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        let start = When::Zoned(tz.with_ymd_and_hms(2026, 10, 24, 9, 0, 0).unwrap());
        let rules = [
            "RRULE:FREQ=DAILY;COUNT=5".to_string(),
            "EXDATE;TZID=Europe/Berlin:20261026T090000".to_string(),
        ];
        let got = occurrences(&start, &rules, d(2026, 12, 31)).unwrap();
        let utc: Vec<String> = got
            .iter()
            .map(|w| match w {
                When::Zoned(t) => t.with_timezone(&Utc).format("%m-%d %H:%M").to_string(),
                other => panic!("{other:?}"),
            })
            .collect();
        // COUNT=5 is the 24th to the 28th; EXDATE takes the 26th out.
        assert_eq!(
            utc,
            ["10-24 07:00", "10-25 08:00", "10-27 08:00", "10-28 08:00"]
        );
    }

    #[test]
    fn floating_weekly_stops_at_the_last_date() {
        let start = When::Clock {
            date: DateSpec::Known(d(2026, 3, 2)),
            time: NaiveTime::from_hms_opt(18, 30, 0).unwrap(),
        };
        let rules = ["RRULE:FREQ=WEEKLY".to_string()];
        // No end in the rule: up to 2026-03-16, three Mondays.
        let got = occurrences(&start, &rules, d(2026, 3, 16)).unwrap();
        let dates: Vec<NaiveDate> = got
            .iter()
            .map(|w| match w {
                When::Clock {
                    date: DateSpec::Known(x),
                    ..
                } => *x,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(dates, [d(2026, 3, 2), d(2026, 3, 9), d(2026, 3, 16)]);
    }

    #[test]
    fn a_rule_the_crate_cannot_read_is_an_error() {
        let start = When::Clock {
            date: DateSpec::Known(d(2026, 3, 2)),
            time: NaiveTime::from_hms_opt(18, 30, 0).unwrap(),
        };
        assert!(occurrences(&start, &["RRULE:FREQ=SOMETIMES".into()], d(2026, 4, 1)).is_err());
    }
}
