//! The Markdown review: an event header, the session table, the timed
//! interventions, the notes and messages as a timeline, and the entries the
//! agenda cannot place.
//!
//! Owns Markdown escaping: every piece of agenda or journal text goes through
//! [`escape`], so a note can neither break a table nor bring in HTML, links
//! or emphasis. Reads only the [`Report`]; computes no times of its own.

use std::fmt::Write as _;

use super::{
    EventSummary, Report, SessionReport, SessionState, ShowStatus, TimelineKind, hms_of,
    over_words, when,
};
use crate::text::{hms, sanitize, signed_hms};

/// Shown in a cell that does not apply.
const NONE: &str = "—";

/// Escapes text for Markdown (inline and inside table cells), after
/// sanitising it: backslash first, then every character that starts markup
/// here (`|` cells, `*` `_` `~` emphasis, `` ` `` code, `[` `]` links, `<` `>`
/// HTML and autolinks, `#` headings, `&` entities).
pub(crate) fn escape(s: &str) -> String {
    let s = sanitize(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '&' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn or_none(s: String) -> String {
    if s.is_empty() { NONE.to_owned() } else { s }
}

/// The whole Markdown document.
///
/// ```text
/// # Timing review: <title>
/// - Date / zone / venue / agenda / status / report time
/// - Start, end, lateness at the end, sessions over
/// ## Sessions           one table row per session
/// ## Agenda changes                    (only when there are some)
/// ## Timed interventions
/// ## Notes and messages
/// ## Sessions the agenda does not have   (only when there are some)
/// ## Entries of unknown kinds            (only when there are some)
/// ## Entries not applied                 (only when there are some)
/// ```
pub(super) fn render(r: &Report) -> String {
    let mut o = String::new();
    let e = &r.event;
    let zone = format!("{} ({})", e.zone_abbr, e.utc_offset);
    header(&mut o, r);
    let _ = writeln!(o, "\n## Sessions\n");
    o.push_str(
        "| Session | Planned start | Planned end | Planned | Actual start | Actual end | Actual | Late start | Over allotted | Over plan | Held | Adjustments | Speaker changes | Overrun reasons | Action points | Notes |\n",
    );
    o.push_str("|---|---|---|--:|---|---|--:|--:|--:|--:|--:|---|---|---|---|---|\n");
    for s in &r.sessions {
        let cells = session_cells(e, s);
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
    agenda_changes(&mut o, r);
    interventions(&mut o, r);
    holds(&mut o, r);
    actions(&mut o, r);
    timeline(&mut o, r);
    super::remote::markdown(&mut o, r);
    super::cue_failures::markdown(&mut o, r);
    strays(&mut o, r);
    let _ = writeln!(
        o,
        "Times are local to {}, {zone}{}. Durations are h:mm:ss or m:ss.",
        escape(&e.zone),
        if e.multi_day {
            "; each carries its date and its own UTC offset"
        } else {
            ""
        }
    );
    o
}

/// The title, warnings and the event's summary lines: did it end on time,
/// the hard end, the total overrun and held time.
fn header(o: &mut String, r: &Report) {
    let e = &r.event;
    let _ = writeln!(o, "# {}: {}\n", super::title_words(e), escape(&e.title));
    for w in &r.warnings {
        let _ = writeln!(o, "> **Warning:** {}\n", escape(w));
    }
    let _ = writeln!(o, "- **Date:** {}", e.date.format("%Y-%m-%d"));
    let _ = writeln!(
        o,
        "- **Time zone:** {}, {} ({})",
        escape(&e.zone),
        e.zone_abbr,
        e.utc_offset
    );
    if let Some(v) = &e.venue {
        let _ = writeln!(o, "- **Venue:** {}", escape(v));
    }
    let _ = writeln!(o, "- **Agenda:** {}", escape(&e.agenda));
    let status = match (&e.status, &e.live) {
        (ShowStatus::Running, Some(id)) => format!("running: '{}' is open", escape(id)),
        (ShowStatus::NotEnded, Some(id)) => match &e.last_entry {
            Some(l) => format!(
                "not ended: '{}' was live when the journal stopped (last entry: seq {}, {}, {})",
                escape(id),
                l.seq,
                escape(&l.kind),
                when(e, &l.at)
            ),
            None => format!("not ended: '{}' was live", escape(id)),
        },
        (s, _) => s.as_str().to_owned(),
    };
    let at = if e.at_journal_end {
        format!("the journal's end, {}", when(e, &e.report_at))
    } else {
        when(e, &e.report_at)
    };
    let _ = writeln!(o, "- **Status at {at}:** {status}");
    let start = match (&e.actual_start, e.late_start_s) {
        (Some(a), Some(l)) => format!("actual {} ({})", when(e, a), over_words(l, "late", "early")),
        _ => "not started".to_owned(),
    };
    let _ = writeln!(
        o,
        "- **Start:** planned {}, {start}",
        when(e, &e.planned_start)
    );
    let end = match (&e.actual_end, &e.projected_end) {
        (Some(a), _) => format!("actual {}", when(e, a)),
        (None, Some(p)) if e.status == ShowStatus::NotEnded => format!(
            "not ended (the journal stops at {}), projected then {}",
            when(e, &e.report_at),
            when(e, p)
        ),
        (None, Some(p)) => format!("not finished, projected {}", when(e, p)),
        (None, None) => "not finished".to_owned(),
    };
    let _ = writeln!(
        o,
        "- **End:** planned {}, {end}",
        super::planned_end_words(e)
    );
    let projected = if e.actual_end.is_some() {
        ""
    } else {
        " (projected)"
    };
    let _ = writeln!(
        o,
        "- **Lateness at the end:** {}{projected}",
        over_words(e.end_lateness_s, "late", "early")
    );
    totals(o, r);
}

/// The hard ends, the total overrun and held time, the action points.
fn totals(o: &mut String, r: &Report) {
    let e = &r.event;
    for h in &e.hard_ends {
        let verdict = if h.met {
            format!("met, {} to spare", hms(-h.past_s))
        } else {
            format!("**missed** by {}", hms(h.past_s))
        };
        let ended = if h.projected {
            "projected end"
        } else {
            "ended"
        };
        let _ = writeln!(
            o,
            "- **Hard end {}:** must end by {}: {verdict} ({ended} {})",
            h.date.format("%Y-%m-%d"),
            when(e, &h.must_end_by),
            when(e, &h.end)
        );
    }
    let _ = writeln!(
        o,
        "- **Sessions that ran over:** {} of {}, {} over their allotted times in all",
        e.sessions_over,
        r.sessions.len(),
        hms(e.total_over_s)
    );
    let _ = writeln!(
        o,
        "- **Held:** {} in {} hold{} (not counted as overrun)",
        hms(e.held_s),
        r.holds.len(),
        if r.holds.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(o, "- **Action points:** {}", r.actions.len());
}

fn interventions(o: &mut String, r: &Report) {
    let _ = writeln!(o, "\n## Timed interventions\n");
    if r.interventions.is_empty() {
        o.push_str("None.\n");
    } else {
        o.push_str("| Speaker | Session | Started | Slot | Spoken | Over |\n");
        o.push_str("|---|---|---|--:|--:|--:|\n");
        for iv in &r.interventions {
            let so_far = if iv.open {
                " so far (has the floor)"
            } else {
                ""
            };
            let over = match iv.over_s {
                Some(s) if s > 0 => format!("{} over", signed_hms(s)),
                Some(_) => "within slot".to_owned(),
                None => NONE.to_owned(),
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {}{so_far} | {over} |",
                escape(&iv.label),
                escape(&iv.session),
                when(&r.event, &iv.start),
                iv.slot_s.map_or_else(|| NONE.to_owned(), hms),
                hms(iv.spoken_s),
            );
        }
    }
}

fn holds(o: &mut String, r: &Report) {
    let _ = writeln!(o, "\n## Holds\n");
    if r.holds.is_empty() {
        o.push_str("None.\n");
        return;
    }
    o.push_str("| Held at | Resumed | Held | Session | Reason |\n|---|---|--:|---|---|\n");
    for h in &r.holds {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            when(&r.event, &h.start),
            h.end
                .as_ref()
                .map_or_else(|| "still held".to_owned(), |t| when(&r.event, t)),
            hms(h.held_s),
            h.session.as_deref().map_or_else(|| NONE.to_owned(), escape),
            h.reason.as_deref().map_or_else(|| NONE.to_owned(), escape),
        );
    }
}

fn actions(o: &mut String, r: &Report) {
    let _ = writeln!(o, "\n## Action points\n");
    if r.actions.is_empty() {
        o.push_str("None.\n");
        return;
    }
    o.push_str("| Action | Who | By | Session | Decided at |\n|---|---|---|---|---|\n");
    for a in &r.actions {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            escape(&a.text),
            a.who.as_deref().map_or_else(|| NONE.to_owned(), escape),
            a.by.as_deref().map_or_else(|| NONE.to_owned(), escape),
            a.session.as_deref().map_or_else(|| NONE.to_owned(), escape),
            when(&r.event, &a.at),
        );
    }
}

fn timeline(o: &mut String, r: &Report) {
    let _ = writeln!(o, "\n## Notes and messages\n");
    if r.timeline.is_empty() {
        o.push_str("None.\n");
    } else {
        o.push_str("| Time | Session | Kind | Text |\n");
        o.push_str("|---|---|---|---|\n");
        for t in &r.timeline {
            let (kind, text) = match (t.kind, t.text.is_empty()) {
                (TimelineKind::Note, _) => ("note", escape(&t.text)),
                (TimelineKind::Message, false) => ("message", escape(&t.text)),
                (TimelineKind::Message, true) => ("message", "(speaker screen cleared)".to_owned()),
            };
            let _ = writeln!(
                o,
                "| {} | {} | {kind} | {} |",
                when(&r.event, &t.at),
                t.session.as_deref().map_or_else(|| NONE.to_owned(), escape),
                or_none(text),
            );
        }
    }
}

/// The entries the review can only list, and those withdrawn.
fn strays(o: &mut String, r: &Report) {
    stray_table(
        o,
        "Sessions the agenda does not have",
        "These entries name a session id the agenda does not have; they count nowhere above.",
        &r.unknown_sessions,
    );
    stray_table(
        o,
        "Entries of unknown kinds",
        "Written by a newer showcall; kept, and otherwise ignored.",
        &r.unknown_kinds,
    );
    stray_table(
        o,
        "Entries not applied",
        "The journal has them, but they did not fit the show at that point.",
        &r.ignored,
    );

    o.push('\n');
    if !r.withdrawn.is_empty() {
        let seqs: Vec<String> = r.withdrawn.iter().map(u64::to_string).collect();
        let _ = writeln!(
            o,
            "Withdrawn by undo and left out: entr{} {}.\n",
            if seqs.len() == 1 { "y" } else { "ies" },
            seqs.join(", ")
        );
    }
}

/// The session table's cells for one session, already escaped.
fn session_cells(e: &EventSummary, s: &SessionReport) -> Vec<String> {
    let open = s.state == SessionState::Open;
    let so_far = match s.state {
        SessionState::Open => " so far",
        SessionState::NotEnded => " up to the last entry",
        _ => "",
    };
    let (mut actual_start, actual_end, actual, late, over, over_plan) = match s.state {
        SessionState::Skipped | SessionState::NotStarted | SessionState::Cut => (
            match &s.cut {
                Some(c) => format!("**cut** at {}: {}", when(e, &c.at), escape(&c.reason)),
                None => s.state.as_str().to_owned(),
            },
            NONE.to_owned(),
            NONE.to_owned(),
            NONE.to_owned(),
            NONE.to_owned(),
            NONE.to_owned(),
        ),
        SessionState::Done | SessionState::Open | SessionState::NotEnded => (
            s.actual_start
                .as_ref()
                .map_or_else(|| NONE.to_owned(), |t| when(e, t)),
            match &s.actual_end {
                Some(t) => when(e, t),
                None if open => "open (running)".to_owned(),
                None if s.state == SessionState::NotEnded => "not ended".to_owned(),
                None => NONE.to_owned(),
            },
            s.actual_s
                .map_or_else(|| NONE.to_owned(), |a| format!("{}{so_far}", hms(a))),
            s.late_start_s
                .map_or_else(|| NONE.to_owned(), |l| over_words(l, "late", "early")),
            s.over_s.map_or_else(
                || NONE.to_owned(),
                |v| format!("{}{so_far}", over_words(v, "over", "under")),
            ),
            s.over_plan_s.map_or_else(
                || NONE.to_owned(),
                |v| format!("{}{so_far}", over_words(v, "over", "under")),
            ),
        ),
    };
    if let Some(c) = s.cut.as_ref().filter(|c| c.taken_back) {
        actual_start.push_str(&format!(
            " (**cut** at {}: {}; started after all)",
            when(e, &c.at),
            escape(&c.reason)
        ));
    }
    if !s.started_before.is_empty() {
        let before: Vec<String> = s
            .started_before
            .iter()
            .map(|id| format!("'{}'", escape(id)))
            .collect();
        actual_start.push_str(&format!(
            " (**out of order**, before {})",
            before.join(", ")
        ));
    }
    let mut cells = vec![
        session_cell(s),
        when(e, &s.planned_start),
        when(e, &s.planned_end),
        hms(s.planned_s),
        actual_start,
        actual_end,
        actual,
        late,
        over,
        over_plan,
        if s.held_s > 0 {
            hms(s.held_s)
        } else {
            NONE.to_owned()
        },
    ];
    cells.extend(detail_cells(s));
    cells
}

/// The session's logged details, each joined with `; ` and escaped:
/// adjustments, speaker changes, overrun reasons, action points, notes.
fn detail_cells(s: &SessionReport) -> [String; 5] {
    /// Each item written straight into the one cell: a long journal's
    /// million adjustments cost no string each.
    fn join<T>(items: &[T], f: impl Fn(&mut String, &T)) -> String {
        let mut cell = String::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                cell.push_str("; ");
            }
            f(&mut cell, item);
        }
        or_none(cell)
    }
    [
        join(&s.adjustments, |o, a| {
            crate::text::push_signed_hms(o, a.delta_s);
            if let Some(n) = a.note.as_deref().filter(|n| !n.is_empty()) {
                let _ = write!(o, " ({})", escape(n));
            }
        }),
        join(&s.speaker_changes, |o, c| o.push_str(&escape(&c.text))),
        join(&s.overruns, |o, r| {
            crate::text::push_signed_hms(o, r.over_s);
            let _ = write!(o, ": {}", escape(&r.reason));
        }),
        join(&s.actions, |o, a| {
            o.push_str(&escape(&crate::status::action_words(
                &a.text,
                a.who.as_deref(),
                a.by.as_deref(),
            )))
        }),
        join(&s.notes, |o, n| o.push_str(&escape(&n.text))),
    ]
}

/// The session's name, with what the running order and the agenda's
/// changes did to it.
fn session_cell(s: &SessionReport) -> String {
    let mut cell = format!("{} ({})", escape(&s.title), escape(&s.id));
    if s.removed_from_agenda {
        cell.push_str(" — **removed from the agenda**");
    }
    for c in &s.plan_changes {
        let _ = write!(cell, " — {}", escape(c));
    }
    cell
}

/// Every change of the agenda during the show, with its time and what it
/// changed (only when there was one).
fn agenda_changes(o: &mut String, r: &Report) {
    let changes = &r.agenda_changes;
    if changes.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\n## Agenda changes\n\nThe agenda file changed during the show. The planned times above are \
         the plan in force when the show opened.\n"
    );
    o.push_str("| Seq | Time | Changed | Sessions |\n");
    o.push_str("|--:|---|---|---|\n");
    for c in changes {
        let details: Vec<String> = c.details.iter().map(|d| escape(d)).collect();
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            c.seq,
            when(&r.event, &c.at),
            escape(&c.summary),
            or_none(details.join("; ")),
        );
    }
}

fn stray_table(o: &mut String, heading: &str, intro: &str, rows: &[super::StrayEntry]) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n## {heading}\n\n{intro}\n");
    o.push_str("| Seq | Time | Kind | Session | Detail |\n");
    o.push_str("|--:|---|---|---|---|\n");
    for s in rows {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            s.seq,
            hms_of(&s.at),
            escape(&s.kind),
            s.session.as_deref().map_or_else(|| NONE.to_owned(), escape),
            or_none(escape(&s.detail)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(escape("a | b"), "a \\| b");
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(escape("[x](http://e.vil)"), "\\[x\\](http://e.vil)");
        assert_eq!(
            escape("*b* _i_ `c` # h \\"),
            "\\*b\\* \\_i\\_ \\`c\\` \\# h \\\\"
        );
        assert_eq!(escape("\x1b[31mred\nline"), "\u{FFFD}\\[31mred line");
    }
}
