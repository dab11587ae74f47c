//! The resolved schedule as text: what `showcall check` prints on success.
//!
//! Owns only presentation. Every string from the agenda goes through
//! `text::sanitize`, and lines are wrapped to stay readable at 80 columns.

use std::fmt::Write;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{Agenda, Session};
use crate::text::{
    clock_hm, human_duration, pad, pad_left, sanitize, truncate, utc_offset, width, wrap,
    wrap_hanging, zone_abbr,
};

const WIDTH: usize = 80;
/// Never wrap a title into fewer columns than this; start it on its own line.
const MIN_TITLE_COLUMNS: usize = 24;

pub(super) fn schedule_text(agenda: &Agenda) -> String {
    let mut out = String::new();
    header(&mut out, agenda);
    let tz = agenda.event.tz;

    let id_w = agenda
        .sessions
        .iter()
        .map(|s| width(&sanitize(&s.id)))
        .max()
        .unwrap_or(0)
        .min(16);
    let rows: Vec<(String, String)> = agenda
        .sessions
        .iter()
        .map(|s| {
            (
                time_range(s.start, s.end, tz),
                human_duration(s.planned_duration()),
            )
        })
        .collect();
    let time_w = rows.iter().map(|r| width(&r.0)).max().unwrap_or(0);
    let dur_w = rows.iter().map(|r| width(&r.1)).max().unwrap_or(0);

    let mut day = agenda.event.date;
    let multi_day = agenda
        .sessions
        .iter()
        .any(|s| local_date(s.start, tz) != agenda.event.date);
    for (s, (times, dur)) in agenda.sessions.iter().zip(&rows) {
        let d = local_date(s.start, tz);
        if multi_day && (d != day || std::ptr::eq(s, &agenda.sessions[0])) {
            let _ = writeln!(out, "\n{}", super::values::long_date(d));
            day = d;
        }
        let id = sanitize(&s.id);
        let lead = format!(
            "{}  {}  {}  ",
            pad(&id, id_w),
            pad(times, time_w),
            pad_left(dur, dur_w)
        );
        let lead_w = width(&lead);
        // Continuations, speakers and details hang under the times, where
        // there is room for them; the title stays on the session's line
        // when it can.
        let indent = (id_w + 2).min(WIDTH / 4);
        let title = sanitize(&s.title);
        if WIDTH.saturating_sub(lead_w) >= MIN_TITLE_COLUMNS {
            let lines = wrap_hanging(&title, WIDTH - lead_w, WIDTH - indent);
            for (i, line) in lines.iter().enumerate() {
                if i == 0 {
                    let _ = writeln!(out, "{lead}{line}");
                } else {
                    let _ = writeln!(out, "{:indent$}{line}", "");
                }
            }
        } else {
            let _ = writeln!(out, "{}", lead.trim_end());
            for line in wrap(&title, WIDTH - indent) {
                let _ = writeln!(out, "{:indent$}{line}", "");
            }
        }
        for (people, lead) in [(&s.speakers, "with"), (&s.moderators, "moderated by")] {
            if people.is_empty() {
                continue;
            }
            let joined = people
                .iter()
                .map(|x| sanitize(x).into_owned())
                .collect::<Vec<_>>()
                .join(", ");
            for line in wrap(&format!("{lead} {joined}"), WIDTH - indent) {
                let _ = writeln!(out, "{:indent$}{line}", "");
            }
        }
        let details = details(s, agenda, tz);
        if !details.is_empty() {
            for line in wrap(&details.join(" · "), WIDTH - indent) {
                let _ = writeln!(out, "{:indent$}{line}", "");
            }
        }
        // Notes keep their own line breaks, indented under the session.
        if let Some(notes) = &s.notes {
            let _ = writeln!(out, "{:indent$}notes:", "");
            for para in notes.lines().filter(|l| !l.trim().is_empty()) {
                for line in wrap(&sanitize(para.trim()), WIDTH - indent - 2) {
                    let _ = writeln!(out, "{:w$}{line}", "", w = indent + 2);
                }
            }
        }
    }
    footer(&mut out, agenda);
    cues(&mut out, agenda);
    out
}

/// The cues out after the schedule, each as its event, name and sessions
/// (`final    chime at one minute, every session`) and an indented line
/// with its target (`→ 127.0.0.1:53000 /cue/7/start`, `→ POST http://…`).
fn cues(out: &mut String, agenda: &Agenda) {
    if agenda.cues.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\ncues out ({}; fired by the operator screen that writes the journal):",
        agenda.cues.len()
    );
    for c in &agenda.cues {
        let whom = match &c.session {
            Some(id) => format!("'{}' only", sanitize(id)),
            None => "every session".to_string(),
        };
        let what = format!("{}, {whom}", sanitize(&c.name));
        for (i, l) in wrap(&what, WIDTH - 11).iter().enumerate() {
            let on = if i == 0 { c.on.as_str() } else { "" };
            let _ = writeln!(out, "  {}{l}", pad(on, 9));
        }
        // The target on one line under it, cut with `…` at 80 columns: a
        // long URL has no space to wrap at, and a wrap put it on a line
        // apart from its method.
        let target = format!("→ {}", c.target.label());
        let _ = writeln!(out, "{:11}{}", "", truncate(&target, WIDTH - 11));
    }
}

fn header(out: &mut String, agenda: &Agenda) {
    let e = &agenda.event;
    let first = agenda.planned_start();
    for line in wrap(&sanitize(&e.title), WIDTH) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(
        out,
        "{} · {}, {} ({})",
        super::values::long_date(e.date),
        e.tz.name(),
        zone_abbr(first, e.tz),
        utc_offset(first, e.tz)
    );
    if let Some(v) = &e.venue {
        for line in wrap(&format!("Venue: {}", sanitize(v)), WIDTH) {
            let _ = writeln!(out, "{line}");
        }
    }
    if !e.languages.is_empty() {
        let langs: Vec<String> = e
            .languages
            .iter()
            .map(|l| sanitize(l).into_owned())
            .collect();
        let _ = writeln!(out, "Languages: {}", langs.join(", "));
    }
    let _ = writeln!(
        out,
        "Signals: warn {}, final {}",
        human_duration(agenda.signals.warn),
        human_duration(agenda.signals.final_)
    );
    let one_day = agenda.planned_start().with_timezone(&e.tz).date_naive()
        == agenda.planned_end().with_timezone(&e.tz).date_naive();
    match e.must_end_by.as_slice() {
        [] => {}
        [hard] if one_day => {
            let _ = writeln!(
                out,
                "Hard end: {} {}",
                clock_hm(hard.at, e.tz),
                zone_abbr(hard.at, e.tz)
            );
        }
        many => {
            let days: Vec<String> = many
                .iter()
                .map(|h| {
                    format!(
                        "{} {} {}",
                        h.date.format("%a %-d %b"),
                        clock_hm(h.at, e.tz),
                        zone_abbr(h.at, e.tz)
                    )
                })
                .collect();
            for line in wrap(&format!("Hard ends: {}", days.join(", ")), WIDTH) {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    out.push('\n');
}

fn footer(out: &mut String, agenda: &Agenda) {
    let tz = agenda.event.tz;
    let (start, end) = (agenda.planned_start(), agenda.planned_end());
    let n = agenda.sessions.len();
    // The span (first start to last end) is the programme's length only
    // when sessions follow each other with no gap: say both when not.
    let span = end - start;
    let sessions: chrono::TimeDelta = agenda.sessions.iter().map(|s| s.planned_duration()).sum();
    let length = if sessions == span {
        format!("{} in all", human_duration(span))
    } else {
        format!(
            "{} from first start to last end, {} of sessions",
            human_duration(span),
            human_duration(sessions)
        )
    };
    let _ = writeln!(
        out,
        "\n{n} session{}, {}, {length}",
        if n == 1 { "" } else { "s" },
        time_range(start, end, tz),
    );
    for z in &agenda.event.also_show {
        let _ = writeln!(out, "  in {}: {}", z.name(), time_range(start, end, *z));
    }
}

/// What else a crew member needs to know about a session, in words.
fn details(s: &Session, agenda: &Agenda, tz: Tz) -> Vec<String> {
    let mut d = Vec::new();
    let real = s.planned_duration();
    let wall = wall_clock(s.end, tz) - wall_clock(s.start, tz);
    if wall != real {
        d.push(format!(
            "clocks change: lasts {} ({} on the wall clock)",
            human_duration(real),
            human_duration(wall)
        ));
    }
    if s.fixed {
        d.push("fixed start".into());
    }
    if let Some(m) = s.min_duration {
        d.push(format!("may shrink to {}", human_duration(m)));
    }
    if s.signals != agenda.signals {
        d.push(format!(
            "signals: warn {}, final {}",
            human_duration(s.signals.warn),
            human_duration(s.signals.final_)
        ));
    }
    if let Some(i) = &s.intervention {
        d.push(format!(
            "interventions of {} (warn {}, final {})",
            human_duration(i.slot),
            human_duration(i.signals.warn),
            human_duration(i.signals.final_)
        ));
    }
    d
}

/// The local wall-clock reading at `t`, as if it were UTC: differences of
/// these are what a clock on the wall would show.
fn wall_clock(t: DateTime<Utc>, tz: Tz) -> chrono::NaiveDateTime {
    tz.from_utc_datetime(&t.naive_utc()).naive_local()
}

fn local_date(t: DateTime<Utc>, tz: Tz) -> chrono::NaiveDate {
    wall_clock(t, tz).date()
}

/// `15:00–15:10 CEST (UTC+02:00)`; when the zone's offset changes in between,
/// `01:30 CET–03:30 CEST (UTC+01:00→UTC+02:00)`; a later day is marked `+1`.
fn time_range(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    let days = (local_date(end, tz) - local_date(start, tz)).num_days();
    let plus = if days > 0 {
        format!("+{days}")
    } else {
        String::new()
    };
    let (a0, a1) = (zone_abbr(start, tz), zone_abbr(end, tz));
    let (o0, o1) = (utc_offset(start, tz), utc_offset(end, tz));
    if o0 == o1 {
        format!(
            "{}–{}{plus} {a0} ({o0})",
            clock_hm(start, tz),
            clock_hm(end, tz)
        )
    } else {
        format!(
            "{} {a0}–{}{plus} {a1} ({o0}→{o1})",
            clock_hm(start, tz),
            clock_hm(end, tz)
        )
    }
}
