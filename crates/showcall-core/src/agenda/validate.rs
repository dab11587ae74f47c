//! Validation: the spanned raw TOML table → a validated [`Agenda`] with every
//! time resolved to a UTC instant in the event's zone.
//!
//! Owns the meaning of every key, the cross-session checks (ids, order,
//! overlap, hard end) and the daylight-saving checks. It collects every
//! problem before giving up, so the user fixes the file in one pass. It must
//! not read files or know about syntax errors: `parse` did that.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{
    DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta,
    TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::values::{self, Bad};
use super::{Agenda, Event, HardEnd, Intervention, Session, Thresholds};
use crate::diag::{Diagnostic, Diagnostics, LineIndex};
use crate::text::sanitize;

type Span = Range<usize>;

use super::MAX_PROBLEMS;

mod cue;
mod event;
mod order;
mod session;
mod table;
mod zone;

use cue::*;
use event::*;
use order::*;
use session::*;
use table::*;
use zone::*;

const TOP_KEYS: &[&str] = &["event", "signals", "session", "cue"];
const EVENT_KEYS: &[&str] = &[
    "title",
    "date",
    "timezone",
    "venue",
    "languages",
    "also_show",
    "must_end_by",
    "go_guard_ms",
];
const SIGNAL_KEYS: &[&str] = &["warn", "final"];
const SESSION_KEYS: &[&str] = &[
    "id",
    "title",
    "start",
    "end",
    "duration",
    "date",
    "speakers",
    "moderators",
    "notes",
    "fixed",
    "min_duration",
    "warn",
    "final",
    "intervention",
    "intervention_warn",
    "intervention_final",
];

pub(super) fn validate(
    root: &DeTable<'_>,
    root_span: Span,
    src: &str,
    file_name: &str,
    sha256: String,
) -> Result<Agenda, Diagnostics> {
    let mut ctx = Ctx {
        src,
        problems: Vec::new(),
        lines: LineIndex::new(src),
    };
    let top = Table {
        map: root,
        span: root_span.start..root_span.start,
        name: "the top level".into(),
    };
    top.check_keys(&mut ctx, TOP_KEYS);

    let (mut event, spec) = match event(&mut ctx, &top) {
        Some((e, spec)) => (Some(e), spec),
        None => (None, HardEndSpec::None),
    };
    let signals = signals(&mut ctx, &top);
    let sessions = sessions(&mut ctx, &top, event.as_mut(), &spec, signals);
    let cues = cues(&mut ctx, &top, sessions.as_deref());

    if !ctx.problems.is_empty() {
        return Err(report(&ctx, file_name));
    }
    match (event, sessions) {
        (Some(event), Some(sessions)) => Ok(Agenda {
            file_name: file_name.to_string(),
            sha256,
            event,
            signals,
            sessions,
            cues,
        }),
        // Unreachable when every failure reports, but never panic on input.
        _ => Err(Diagnostics(vec![Diagnostic::file_level(
            file_name,
            "agenda could not be validated",
        )])),
    }
}

fn report(ctx: &Ctx<'_>, file_name: &str) -> Diagnostics {
    let mut order: Vec<&Problem> = ctx.problems.iter().collect();
    order.sort_by_key(|p| p.span.start);
    let mut out: Vec<Diagnostic> = order
        .iter()
        .take(MAX_PROBLEMS)
        .map(|p| {
            let mut d = Diagnostic::at_indexed(
                file_name,
                ctx.src,
                &ctx.lines,
                p.span.clone(),
                p.message.clone(),
            );
            d.help = p.help.clone();
            d
        })
        .collect();
    if order.len() > MAX_PROBLEMS {
        out.push(Diagnostic::file_level(
            file_name,
            format!("{} more problems not shown", order.len() - MAX_PROBLEMS),
        ));
    }
    Diagnostics(out)
}

fn sub_table<'t, 'i>(
    ctx: &mut Ctx<'_>,
    top: &Table<'t, 'i>,
    key: &str,
    name: &str,
) -> Result<Option<Table<'t, 'i>>, Reported> {
    match top.get(key) {
        None => Ok(None),
        Some(v) => match v.get_ref() {
            DeValue::Table(map) => Ok(Some(Table {
                map,
                span: v.span(),
                name: name.into(),
            })),
            _ => {
                ctx.error(
                    v.span(),
                    format!("`{key}` must be a table, not {}", type_name(v.get_ref())),
                    Some(format!("write it as a `{name}` section")),
                );
                Err(Reported)
            }
        },
    }
}
