//! Plain-text descriptions of the show: one line per journal entry, and the
//! engine's view at an instant (`showcall check --status`). Shared by the
//! screens and the command line; every piece of file text is sanitised here.

use chrono::{DateTime, TimeDelta, Utc};

use crate::agenda::Agenda;
use crate::journal::{Kind, SpeakerChange};
use crate::show::{Countdown, Cue, Headline, Now, Overshoot, PlanStep, Row, Signal, Snapshot};
use crate::text::{clock_hm, clock_hms, hms, sanitize, signed_hms, zone_abbr};

/// A session's title by id, or the id itself if the agenda lacks it.
fn title<'a>(agenda: &'a Agenda, id: &'a str) -> &'a str {
    agenda.session(id).map_or(id, |s| s.title.as_str())
}

/// One line for a journal entry, what happened first and the session's
/// title last (a narrow pane cuts the end of a line, and the title is the
/// part the reader can best do without): `start · Interactive Panel
/// Discussion`, `overrun +1:15 · late mic · Welcome Remarks`.
pub fn describe(kind: &Kind, agenda: &Agenda) -> String {
    // Texts are cut before they are formatted, sanitised or wrapped.
    let clip = |s: &str| crate::text::clip(s).into_owned();
    let line = match kind {
        Kind::Open { agenda: file, .. } => format!("journal opened for {file}"),
        Kind::Start { session } => format!("start · {}", title(agenda, session)),
        Kind::End { session } => format!("end · {}", title(agenda, session)),
        Kind::Overrun {
            session,
            over_s,
            note,
        } => format!(
            "overrun +{} · {} · {}",
            hms(*over_s),
            clip(note),
            title(agenda, session)
        ),
        Kind::Speaker {
            session,
            change,
            from,
            to,
            note,
        } => {
            let (from, to, note) = (
                from.as_deref().map(clip),
                to.as_deref().map(clip),
                note.as_deref().map(clip),
            );
            let what = speaker_change(*change, from.as_deref(), to.as_deref(), note.as_deref());
            format!("speaker {what} · {}", title(agenda, session))
        }
        Kind::Adjust {
            session, delta_s, ..
        } => format!("time {} · {}", signed_hms(*delta_s), title(agenda, session)),
        Kind::Floor { session, speaker } => format!(
            "floor · {} · {}",
            clip(speaker.as_deref().unwrap_or(UNNAMED_SPEAKER)),
            title(agenda, session)
        ),
        Kind::FloorClose { session } => format!("floor closed · {}", title(agenda, session)),
        Kind::FloorName { floor, speaker, .. } => {
            format!("floor named · {} (#{floor})", clip(speaker))
        }
        Kind::Message { text } if text.is_empty() => "message cleared".to_string(),
        Kind::Message { text } => format!("message · {}", clip(text)),
        Kind::Note { text, .. } => format!("note · {}", clip(text)),
        Kind::Undo { target } => format!("undo #{target}"),
        Kind::Skip { session, note } => {
            format!("cut · {} · {}", title(agenda, session), clip(note))
        }
        Kind::Agenda(c) => format!("agenda reloaded · {}", c.summary()),
        Kind::Action { text, who, by, .. } => format!(
            "action · {}",
            action_words(text, who.as_deref(), by.as_deref())
        ),
        Kind::Hold { reason, .. } => match reason {
            Some(r) if !r.is_empty() => format!("hold · {r}"),
            _ => "hold".to_string(),
        },
        Kind::Resume { .. } => "resume".to_string(),
        Kind::StartFix { session, start, .. } => format!(
            "start fixed · {} · {}",
            title(agenda, session),
            start.format("%H:%M:%S")
        ),
        Kind::ClockStep { step_s, .. } => clock_step_words(*step_s),
        Kind::CueFailed { cue, on, error, .. } => cue_failed_words(cue, on, error),
        Kind::Unknown { kind, .. } => format!("{kind} (from a newer showcall; kept)"),
    };
    sanitize(&line).into_owned()
}

/// An action point in words, the one wording of the journal pane and the
/// review: `send the slides — Ana, by Friday`; `who` and `by` are left out
/// when absent or blank.
pub fn action_words(text: &str, who: Option<&str>, by: Option<&str>) -> String {
    let who = who.map(str::trim).filter(|w| !w.is_empty());
    let by = by.map(str::trim).filter(|b| !b.is_empty());
    match (who, by) {
        (Some(w), Some(b)) => format!("{text} — {w}, by {b}"),
        (Some(w), None) => format!("{text} — {w}"),
        (None, Some(b)) => format!("{text} — by {b}"),
        (None, None) => text.to_string(),
    }
}

/// A cue out that failed, in words, the one wording of the journal pane,
/// the toast and the review: `cue failed · chime (final) · connection
/// refused`.
pub fn cue_failed_words(cue: &str, on: &str, error: &str) -> String {
    let clip = |s: &str| crate::text::clip(s).into_owned();
    format!(
        "cue failed · {} ({}) · {}",
        clip(cue),
        clip(on),
        clip(error)
    )
}

/// A step of the system clock in words, the sign never alone:
/// `system clock stepped back 2:00`, `system clock stepped forward 1:00:00`.
pub fn clock_step_words(step_s: i64) -> String {
    let way = if step_s < 0 { "back" } else { "forward" };
    format!(
        "system clock stepped {way} {}",
        hms(step_s.saturating_abs())
    )
}

/// What every screen, the journal pane and the report call a speaker who
/// took the floor without a name (yet): `speaker 2` for the second
/// intervention of a session.
pub const UNNAMED_SPEAKER: &str = "speaker";

/// The one name of the speaker of intervention `number` (1-based, counted
/// in its session): the name given, else `speaker 2`.
pub fn floor_speaker(name: Option<&str>, number: usize) -> String {
    match name {
        Some(n) if !n.trim().is_empty() => n.to_string(),
        _ => format!("{UNNAMED_SPEAKER} {number}"),
    }
}

/// A speaker change in words: `Moderator → Deputy (flight delayed)`,
/// `added …`, `removed …`. The caller sanitises the parts.
pub fn speaker_change(
    change: SpeakerChange,
    from: Option<&str>,
    to: Option<&str>,
    note: Option<&str>,
) -> String {
    let mut s = match (change, from, to) {
        (SpeakerChange::Replace, Some(f), Some(t)) => format!("{f} → {t}"),
        (SpeakerChange::Replace, Some(f), None) => format!("{f} → nobody"),
        (SpeakerChange::Replace, None, Some(t)) | (SpeakerChange::Add, _, Some(t)) => {
            format!("added {t}")
        }
        (SpeakerChange::Remove, Some(f), _) => format!("removed {f}"),
        (c, _, _) => format!("{} (no speaker named)", c.as_str()),
    };
    if let Some(n) = note.filter(|n| !n.is_empty()) {
        s.push_str(&format!(" ({n})"));
    }
    s
}

/// One step of the plan to meet a hard end, in words: `shrink Q&A to 25:00
/// (saves 5:00)`, `cut Closing Remarks (saves 10:00)`.
pub fn plan_step_text(step: PlanStep, agenda: &Agenda) -> String {
    let title = |i: usize| sanitize(&agenda.sessions[i].title).into_owned();
    let saves = hms(crate::show::floor_secs(step.saves()));
    match step {
        PlanStep::Shrink { idx, to, .. } => format!(
            "shrink {} to {} (saves {saves})",
            title(idx),
            hms(to.num_seconds())
        ),
        PlanStep::Cut { idx, .. } => format!("cut {} (saves {saves})", title(idx)),
    }
}

/// A signal as a word: `OK`, `WARN`, `FINAL`, `OVER`.
pub fn signal_word(s: Signal) -> &'static str {
    match s {
        Signal::Ok => "OK",
        Signal::Warn => "WARN",
        Signal::Final => "FINAL",
        Signal::Over => "OVER",
    }
}

/// The headline lateness: `ON TIME`, `+4:30 BEHIND`, `2:00 AHEAD` (the
/// latter only once no session is left to start). The number is the one
/// the timeline defines (docs/timing.md), to the second: the Δ of the next
/// cue's row.
pub fn lateness_text(h: &Headline) -> String {
    let s = h.late_s;
    if s == 0 {
        "ON TIME".into()
    } else if s > 0 {
        format!("+{} BEHIND", hms(s))
    } else {
        format!("{} AHEAD", hms(-s))
    }
}

/// Time won that the next cue cannot use: `4:25 spare before Q&A`.
pub fn spare_text(h: &Headline, agenda: &Agenda) -> Option<String> {
    h.spare.map(|(s, i)| {
        format!(
            "{} spare before {}",
            hms(s),
            sanitize(&agenda.sessions[i].title)
        )
    })
}

/// When the next cue starts: `starts in 6:00`, or, once its planned start
/// has passed and it waits for GO, `due 2:15 ago` (never a frozen 0:00).
pub fn cue_text(cue: &Cue) -> String {
    match cue.overdue_s {
        Some(s) => format!("due {} ago", hms(s)),
        None => format!("starts in {}", cue.starts_in.text_to_zero()),
    }
}

/// A live countdown in words: `6:00 left`, `OVER +1:20`.
pub fn left_text(remaining: Countdown) -> String {
    if remaining.is_past() {
        format!("OVER +{}", hms(remaining.past_secs()))
    } else {
        format!("{} left", remaining.text_to_zero())
    }
}

/// A row's Δ as the schedule shows it: `+2:00`, `0:00`; empty for a missed
/// or cut row.
pub fn delta_text(r: &Row) -> String {
    if !r.counts() {
        String::new()
    } else {
        signed_hms(r.delta_s())
    }
}

/// Seconds for a countdown: the one rounding rule (see
/// [`Countdown`]).
pub fn countdown_secs(remaining: TimeDelta) -> i64 {
    Countdown::of(remaining).secs()
}

/// When the event is or was, relative to `now`, if `now` is far from it:
/// the screen says so instead of looking dead.
pub fn event_distance(agenda: &Agenda, now: DateTime<Utc>) -> Option<String> {
    let start = agenda.planned_start();
    let end = agenda.planned_end();
    let tz = agenda.event.tz;
    let when = format!(
        "{} {}–{} {}",
        start.with_timezone(&tz).format("%a %-d %b %Y"),
        clock_hm(start, tz),
        clock_hm(end, tz),
        zone_abbr(start, tz)
    );
    let days = |d: TimeDelta| {
        let n = d.num_days();
        if n >= 2 {
            format!("{n} days")
        } else {
            format!("{} hours", d.num_hours().max(1))
        }
    };
    if !crate::show::far_from_event(agenda, now) {
        None
    } else if now > end {
        Some(format!(
            "This event was on {when}, {} ago.",
            days(now - end)
        ))
    } else {
        Some(format!(
            "This event is on {when}, in {}.",
            days(start - now)
        ))
    }
}

/// A session projected to run into a fixed start, in words:
/// `▲ 'Morning' runs 8:00 into 'Fixed end' (fixed 13:10)`.
pub fn clash_text(c: &crate::show::Clash, agenda: &Agenda) -> String {
    let tz = agenda.event.tz;
    format!(
        "▲ '{}' runs {} into '{}' (fixed {})",
        sanitize(&agenda.sessions[c.runs].title),
        hms(crate::show::ceil_secs(c.by)),
        sanitize(&agenda.sessions[c.fixed].title),
        clock_hm(agenda.sessions[c.fixed].start, tz)
    )
}

/// `check --status`: the show at `now` as text ([`status_text`]); far
/// from the event with nothing started, the plan as it stands instead of
/// projections from `now` ([`Show::reading_instant`](crate::show::Show::reading_instant)).
pub fn status_at(show: &crate::show::Show, now: DateTime<Utc>) -> String {
    let at = show.reading_instant(now);
    if at == now {
        return status_text(&show.agenda, &show.at(now));
    }
    let agenda = &show.agenda;
    let tz = agenda.event.tz;
    let mut out = format!(
        "at {} {} ({})\n",
        now.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S"),
        zone_abbr(now, tz),
        crate::text::utc_offset(now, tz)
    );
    if let Some(d) = event_distance(agenda, now) {
        out.push_str(&format!("{d}\n"));
    }
    out.push_str("nothing logged yet: the plan as it stands\n");
    for s in &agenda.sessions {
        out.push_str(&format!(
            "  {}–{}  {}\n",
            clock_hm(s.start, tz),
            clock_hm(s.end, tz),
            sanitize(&s.title)
        ));
    }
    out
}

/// The engine's view at the snapshot's instant, as text.
pub fn status_text(agenda: &Agenda, snap: &Snapshot) -> String {
    let tz = agenda.event.tz;
    let now = snap.now_at;
    let mut out = format!(
        "at {} {} ({})\n",
        now.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S"),
        zone_abbr(now, tz),
        crate::text::utc_offset(now, tz)
    );
    if let Some(d) = event_distance(agenda, now) {
        out.push_str(&format!("{d}\n"));
    }
    out.push_str(&now_line(agenda, snap));
    if let Some(cue) = &snap.next {
        out.push_str(&next_line(agenda, snap, cue));
    }
    let spare = spare_text(&snap.headline, agenda)
        .map(|s| format!(" · {s}"))
        .unwrap_or_default();
    out.push_str(&format!(
        "show: {}{spare} · projected end {} (planned {})\n",
        lateness_text(&snap.headline),
        clock_hm(snap.projected_end, tz),
        clock_hm(snap.planned_end, tz)
    ));
    for c in &snap.clashes {
        out.push_str(&format!("{}\n", clash_text(c, agenda)));
    }
    if let Some(o) = &snap.overshoot {
        out.push_str(&overshoot_lines(agenda, o));
    }
    for r in &snap.rows {
        out.push_str(&row_line(agenda, r));
    }
    out
}

/// `now:  …`: what is live (or due, or last ended), with its signal.
fn now_line(agenda: &Agenda, snap: &Snapshot) -> String {
    let tz = agenda.event.tz;
    let t = |i: usize| sanitize(&agenda.sessions[i].title).into_owned();
    match &snap.now {
        Now::Planned {
            idx,
            remaining,
            signal,
            ..
        } => format!(
            "now:  {} — planned {}–{}, NOT STARTED (due {} ago; {} left in the plan) [{}]\n",
            t(*idx),
            clock_hm(agenda.sessions[*idx].start, tz),
            clock_hm(agenda.sessions[*idx].end, tz),
            hms(snap.rows[*idx].delta_s()),
            Countdown::of(*remaining).text_to_zero(),
            signal_word(*signal)
        ),
        Now::Live(l) => format!(
            "now:  {} — live since {}, {} [{}]\n",
            t(l.idx),
            clock_hms(l.since, tz),
            left_text(Countdown::of(l.remaining)),
            signal_word(l.signal)
        ),
        Now::Idle {
            last: Some((i, at)),
        } => format!(
            "now:  nothing live; {} ended {}\n",
            t(*i),
            clock_hms(*at, tz)
        ),
        Now::Idle { last: None } => "now:  nothing live\n".to_string(),
        Now::Finished { at } => format!("now:  finished at {}\n", clock_hms(*at, tz)),
    }
}

/// `next: …`: the next cue, planned and projected start, and its countdown.
fn next_line(agenda: &Agenda, snap: &Snapshot, cue: &Cue) -> String {
    let tz = agenda.event.tz;
    let n = cue.idx;
    let planned = snap.rows[n].planned_start;
    let proj = if cue.start == planned {
        String::new()
    } else {
        format!(", projected {}", clock_hm(cue.start, tz))
    };
    let fixed = if agenda.sessions[n].fixed {
        " (fixed)"
    } else {
        ""
    };
    format!(
        "next: {}{fixed} — planned {}{proj}, {}\n",
        sanitize(&agenda.sessions[n].title),
        clock_hm(planned, tz),
        cue_text(cue)
    )
}

/// The hard end the projection passes: by how much, which sessions can
/// give time, and the plan to meet it if there is one.
fn overshoot_lines(agenda: &Agenda, o: &Overshoot) -> String {
    let tz = agenda.event.tz;
    let mut out = format!(
        "must end by {}: {} over; {}\n",
        clock_hm(o.by, tz),
        hms(o.over.num_seconds()),
        if o.absorbers.is_empty() {
            "no session still to come can shrink: none that is not fixed has a min_duration"
                .to_string()
        } else {
            o.absorbers
                .iter()
                .map(|(i, g)| {
                    format!(
                        "{} can give {}",
                        agenda.sessions[*i].id,
                        hms(g.num_seconds())
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    if !o.plan.is_empty() {
        out.push_str(&format!(
            "plan to end by {}: {} → projected end {}\n",
            clock_hm(o.by, tz),
            o.plan
                .iter()
                .map(|st| plan_step_text(*st, agenda))
                .collect::<Vec<_>>()
                .join(", then "),
            clock_hm(o.plan_end, tz)
        ));
    }
    out
}

/// One row of the running order: state, planned → projected times, the
/// delta, the title, and any overdue or squeeze.
fn row_line(agenda: &Agenda, r: &Row) -> String {
    let tz = agenda.event.tz;
    let start = if !r.counts() {
        "  —  ".to_string()
    } else {
        clock_hm(r.start, tz)
    };
    let mut extra = String::new();
    if let Some(o) = r.overdue {
        extra.push_str(&format!("  overdue {}", hms(crate::show::floor_secs(o))));
    }
    if r.squeeze > TimeDelta::zero() {
        extra.push_str(&format!(
            "  squeezed -{}",
            hms(crate::show::ceil_secs(r.squeeze))
        ));
    }
    format!(
        "  {:<7} {} → {} – {}  {:>8}  {}{extra}\n",
        r.state.word(),
        clock_hm(r.planned_start, tz),
        start,
        if !r.counts() {
            "  —  ".to_string()
        } else {
            clock_hm(r.end, tz)
        },
        delta_text(r),
        sanitize(&agenda.sessions[r.idx].title)
    )
}
