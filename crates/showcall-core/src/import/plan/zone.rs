//! The event's zone: `--timezone`, else the source's own when its offsets
//! agree with it.

use chrono::TimeZone;
use chrono_tz::Tz;

use super::super::Options;
use super::super::model::{Source, When};
use super::Ctx;
use crate::diag::Diagnostic;

/// Decides the zone: `--timezone`, else the source's own if its offsets
/// agree with it.
pub(super) fn zone(
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
