//! The HTML review: one self-contained page to send after the show and to
//! print on A4. The summary comes first (did the show end on time, and if
//! not why), then the timeline picture (the SVG, inline), sessions,
//! speakers, interventions, holds, action points, agenda changes and notes.
//!
//! Owns HTML escaping: every piece of agenda or journal text goes through
//! [`escape`]. No script, no link, no font or image from the network: the
//! styles are inline and the picture is inline SVG. Reads only the
//! [`Report`]; computes no times of its own.

use std::fmt::Write as _;

use super::{Report, SessionReport, SessionState, over_words, when};
use crate::text::{hms, signed_hms};

/// Shown in a cell that does not apply.
const NONE: &str = "—";

/// Print-friendly A4 styles: dark on white, tables that repeat their
/// header and never split a row across pages.
const STYLE: &str = "\
@page { size: A4; margin: 14mm 12mm; }
body { font-family: sans-serif; font-size: 10pt; color: #111; background: #fff; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; page-break-after: avoid; }
p.meta { color: #333; margin: 0 0 3mm; }
p.warn { border-left: 3px solid #c62828; padding-left: 2mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2mm; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; white-space: nowrap; }
table.kv th { width: 32%; }
.bad { color: #b71c1c; font-weight: bold; }
.good { color: #1b5e20; font-weight: bold; }
figure { margin: 0; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; }
";

/// Escapes text for HTML content and attribute values, after sanitising it.
pub(crate) fn escape(s: &str) -> String {
    super::svg::escape(s)
}

fn or_none(s: String) -> String {
    if s.is_empty() { NONE.to_owned() } else { s }
}

/// A table: the header cells, then rows of cells already escaped. `num`
/// lists the columns aligned right (numbers).
fn table(o: &mut String, head: &[&str], num: &[usize], rows: &[Vec<String>]) {
    o.push_str("<table><thead><tr>");
    for h in head {
        let _ = write!(o, "<th>{h}</th>");
    }
    o.push_str("</tr></thead><tbody>\n");
    for r in rows {
        o.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            let class = if num.contains(&i) { " class=\"n\"" } else { "" };
            let _ = write!(o, "<td{class}>{c}</td>");
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>\n");
}

/// The whole page.
///
/// ```text
/// Timing review: <title>           date · zone · venue · status
/// Summary        start, end, lateness, hard end, overrun, held, why
/// Timeline       the SVG
/// Sessions · Speakers · Timed interventions · Holds · Action points
/// Agenda changes · Notes and messages
/// ```
pub(super) fn render(r: &Report) -> String {
    let e = &r.event;
    let title = format!("{}: {}", super::title_words(e), escape(&e.title));
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    let mut meta = vec![
        e.date.format("%Y-%m-%d").to_string(),
        format!("{}, {} ({})", escape(&e.zone), e.zone_abbr, e.utc_offset),
    ];
    meta.extend(e.venue.as_deref().map(escape));
    meta.push(format!("agenda {}", escape(&e.agenda)));
    meta.push(format!("status: {}", e.status.as_str()));
    let _ = writeln!(o, "<p class=\"meta\">{}</p>", meta.join(" · "));
    for w in &r.warnings {
        let _ = writeln!(o, "<p class=\"warn\"><b>Warning:</b> {}</p>", escape(w));
    }
    summary(&mut o, r);
    o.push_str("<h2>Timeline</h2>\n<figure>\n");
    o.push_str(&super::svg::render(r));
    o.push_str("</figure>\n");
    sessions(&mut o, r);
    speakers(&mut o, r);
    interventions(&mut o, r);
    holds(&mut o, r);
    actions(&mut o, r);
    agenda_changes(&mut o, r);
    notes(&mut o, r);
    super::remote::html(&mut o, r, escape);
    super::cue_failures::html(&mut o, r, escape);
    o.push_str("</body>\n</html>\n");
    o
}

/// Did the show end on time, and if not, why: the end against the plan
/// and each hard end, the total overrun and held time, and the reasons.
fn summary(o: &mut String, r: &Report) {
    let e = &r.event;
    let mut rows: Vec<(String, String)> = Vec::new();
    let start = match (&e.actual_start, e.late_start_s) {
        (Some(a), Some(l)) => format!("{} ({})", when(e, a), over_words(l, "late", "early")),
        _ => "not started".to_owned(),
    };
    rows.push((
        format!("Start (planned {})", when(e, &e.planned_start)),
        start,
    ));
    let end = match (&e.actual_end, &e.projected_end) {
        (Some(a), _) => when(e, a),
        (None, Some(p)) => format!("not finished; projected {}", when(e, p)),
        (None, None) => "not finished".to_owned(),
    };
    rows.push((
        format!("End (planned {})", super::planned_end_words(e)),
        end,
    ));
    let late = over_words(e.end_lateness_s, "late", "early");
    let class = if e.end_lateness_s > 0 { "bad" } else { "good" };
    let projected = if e.actual_end.is_some() {
        ""
    } else {
        " (projected)"
    };
    rows.push((
        "Lateness at the end".into(),
        format!("<span class=\"{class}\">{late}</span>{projected}"),
    ));
    for h in &e.hard_ends {
        let verdict = if h.met {
            format!(
                "<span class=\"good\">met</span>, {} to spare",
                hms(-h.past_s)
            )
        } else {
            format!("<span class=\"bad\">missed by {}</span>", hms(h.past_s))
        };
        let ended = if h.projected {
            "projected end"
        } else {
            "ended"
        };
        rows.push((
            format!("Hard end {}", h.date.format("%a %Y-%m-%d")),
            format!(
                "must end by {}: {verdict} ({ended} {})",
                when(e, &h.must_end_by),
                when(e, &h.end)
            ),
        ));
    }
    if e.hard_ends.is_empty() {
        rows.push((
            "Hard end".into(),
            "none set in the agenda (must_end_by)".into(),
        ));
    }
    rows.push((
        "Total overrun".into(),
        format!(
            "{} over the allotted times, in {} of {} sessions",
            hms(e.total_over_s),
            e.sessions_over,
            r.sessions.len()
        ),
    ));
    rows.push((
        "Held".into(),
        format!("{} in {} hold(s)", hms(e.held_s), r.holds.len()),
    ));
    rows.push(("Action points".into(), r.actions.len().to_string()));
    o.push_str("<h2>Summary</h2>\n<table class=\"kv\"><tbody>\n");
    for (k, v) in rows {
        let _ = writeln!(o, "<tr><th>{k}</th><td>{v}</td></tr>");
    }
    o.push_str("</tbody></table>\n");
    let why = reasons(r);
    if !why.is_empty() {
        o.push_str("<p><b>Why the times moved:</b></p>\n<ul>\n");
        for w in why {
            let _ = writeln!(o, "<li>{w}</li>");
        }
        o.push_str("</ul>\n");
    }
}

/// Every logged reason the times moved, escaped: overruns, holds, cuts,
/// late starts of a minute or more, out-of-order starts.
fn reasons(r: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for s in &r.sessions {
        let t = escape(&s.title);
        if let Some(l) = s.late_start_s.filter(|&l| l >= 60) {
            out.push(format!("{t}: started {} late", hms(l)));
        }
        for ov in &s.overruns {
            out.push(format!(
                "{t}: overran {} — {}",
                signed_hms(ov.over_s),
                escape(&ov.reason)
            ));
        }
        if let Some(c) = &s.cut {
            out.push(format!("{t}: cut — {}", escape(&c.reason)));
        }
        if !s.started_before.is_empty() {
            out.push(format!(
                "{t}: started out of order, before {}",
                escape(&s.started_before.join(", "))
            ));
        }
    }
    for h in &r.holds {
        out.push(format!(
            "held {} at {}{}",
            hms(h.held_s),
            when(&r.event, &h.start),
            h.reason
                .as_deref()
                .map(|x| format!(" — {}", escape(x)))
                .unwrap_or_default()
        ));
    }
    out
}

fn state_words(s: &SessionReport) -> String {
    let mut w = match s.state {
        SessionState::Open => "open (running)".to_owned(),
        SessionState::Cut => match &s.cut {
            Some(c) => format!("cut: {}", escape(&c.reason)),
            None => "cut".to_owned(),
        },
        st => st.as_str().to_owned(),
    };
    if !s.started_before.is_empty() {
        let _ = write!(
            w,
            "; out of order (before {})",
            escape(&s.started_before.join(", "))
        );
    }
    if s.removed_from_agenda {
        w.push_str("; removed from the agenda");
    }
    w
}

fn sessions(o: &mut String, r: &Report) {
    let e = &r.event;
    o.push_str("<h2>Sessions</h2>\n");
    let rows: Vec<Vec<String>> = r
        .sessions
        .iter()
        .map(|s| {
            let reasons: Vec<String> = s
                .overruns
                .iter()
                .map(|ov| format!("{}: {}", signed_hms(ov.over_s), escape(&ov.reason)))
                .collect();
            vec![
                format!("{}<br><small>{}</small>", escape(&s.title), escape(&s.id)),
                format!("{}–{}", when(e, &s.planned_start), when(e, &s.planned_end)),
                match (&s.actual_start, &s.actual_end) {
                    (Some(a), Some(b)) => format!("{}–{}", when(e, a), when(e, b)),
                    (Some(a), None) => format!("{}–", when(e, a)),
                    _ => NONE.to_owned(),
                },
                hms(s.planned_s),
                s.actual_s.map_or_else(|| NONE.to_owned(), hms),
                s.late_start_s.map_or_else(|| NONE.to_owned(), signed_hms),
                s.over_s.map_or_else(|| NONE.to_owned(), signed_hms),
                if s.held_s > 0 {
                    hms(s.held_s)
                } else {
                    NONE.to_owned()
                },
                state_words(s),
                or_none(reasons.join("<br>")),
            ]
        })
        .collect();
    table(
        o,
        &[
            "Session",
            "Planned",
            "Actual",
            "Planned",
            "Took",
            "Late start",
            "Over allotted",
            "Held",
            "State",
            "Overrun reasons",
        ],
        &[3, 4, 5, 6, 7],
        &rows,
    );
}

/// Who spoke how long: each session's speakers, how long it took, and the
/// speaker changes written out.
fn speakers(o: &mut String, r: &Report) {
    o.push_str("<h2>Speakers</h2>\n");
    let rows: Vec<Vec<String>> = r
        .sessions
        .iter()
        .map(|s| {
            let changes: Vec<String> = s
                .speaker_changes
                .iter()
                .map(|c| format!("{} {}", when(&r.event, &c.at), escape(&c.text)))
                .collect();
            vec![
                escape(&s.title),
                or_none(
                    s.speakers
                        .iter()
                        .map(|x| escape(x))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                s.actual_s.map_or_else(|| NONE.to_owned(), hms),
                or_none(changes.join("<br>")),
            ]
        })
        .collect();
    table(
        o,
        &["Session", "Speakers", "Spoke", "Speaker changes"],
        &[2],
        &rows,
    );
}

fn interventions(o: &mut String, r: &Report) {
    o.push_str("<h2>Timed interventions</h2>\n");
    if r.interventions.is_empty() {
        o.push_str("<p>None.</p>\n");
        return;
    }
    let rows: Vec<Vec<String>> = r
        .interventions
        .iter()
        .map(|iv| {
            vec![
                escape(&iv.label),
                escape(&iv.session),
                when(&r.event, &iv.start),
                iv.slot_s.map_or_else(|| NONE.to_owned(), hms),
                format!(
                    "{}{}",
                    hms(iv.spoken_s),
                    if iv.open { " so far" } else { "" }
                ),
                match iv.over_s {
                    Some(s) if s > 0 => format!("{} over", signed_hms(s)),
                    Some(_) => "within".to_owned(),
                    None => NONE.to_owned(),
                },
            ]
        })
        .collect();
    table(
        o,
        &["Speaker", "Session", "Started", "Slot", "Spoken", "Over"],
        &[3, 4],
        &rows,
    );
}

fn holds(o: &mut String, r: &Report) {
    o.push_str("<h2>Holds</h2>\n");
    if r.holds.is_empty() {
        o.push_str("<p>None.</p>\n");
        return;
    }
    let rows: Vec<Vec<String>> = r
        .holds
        .iter()
        .map(|h| {
            vec![
                when(&r.event, &h.start),
                h.end
                    .as_ref()
                    .map_or_else(|| "still held".to_owned(), |t| when(&r.event, t)),
                hms(h.held_s),
                or_none(h.session.as_deref().map(escape).unwrap_or_default()),
                or_none(h.reason.as_deref().map(escape).unwrap_or_default()),
            ]
        })
        .collect();
    table(
        o,
        &["Held at", "Resumed", "Held", "Session", "Reason"],
        &[2],
        &rows,
    );
}

fn actions(o: &mut String, r: &Report) {
    o.push_str("<h2>Action points</h2>\n");
    if r.actions.is_empty() {
        o.push_str("<p>None.</p>\n");
        return;
    }
    let rows: Vec<Vec<String>> = r
        .actions
        .iter()
        .map(|a| {
            vec![
                escape(&a.text),
                or_none(a.who.as_deref().map(escape).unwrap_or_default()),
                or_none(a.by.as_deref().map(escape).unwrap_or_default()),
                or_none(
                    a.session_title
                        .as_deref()
                        .or(a.session.as_deref())
                        .map(escape)
                        .unwrap_or_default(),
                ),
                when(&r.event, &a.at),
            ]
        })
        .collect();
    table(
        o,
        &["Action", "Who", "By", "Session", "Decided at"],
        &[],
        &rows,
    );
}

fn agenda_changes(o: &mut String, r: &Report) {
    o.push_str("<h2>Agenda changes</h2>\n");
    if r.agenda_changes.is_empty() {
        o.push_str("<p>None: the plan did not change during the show.</p>\n");
        return;
    }
    let rows: Vec<Vec<String>> = r
        .agenda_changes
        .iter()
        .map(|c| {
            vec![
                when(&r.event, &c.at),
                escape(&c.summary),
                c.details
                    .iter()
                    .map(|d| escape(d))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            ]
        })
        .collect();
    table(o, &["At", "Change", "What it did"], &[], &rows);
}

fn notes(o: &mut String, r: &Report) {
    o.push_str("<h2>Notes and messages</h2>\n");
    if r.timeline.is_empty() {
        o.push_str("<p>None.</p>\n");
        return;
    }
    let rows: Vec<Vec<String>> = r
        .timeline
        .iter()
        .map(|t| {
            let kind = match t.kind {
                super::TimelineKind::Note => "note",
                super::TimelineKind::Message => "message",
            };
            let text = if t.text.is_empty() && t.kind == super::TimelineKind::Message {
                "(speaker screen cleared)".to_owned()
            } else {
                escape(&t.text)
            };
            vec![
                when(&r.event, &t.at),
                or_none(t.session.as_deref().map(escape).unwrap_or_default()),
                kind.to_owned(),
                text,
            ]
        })
        .collect();
    table(o, &["At", "Session", "Kind", "Text"], &[], &rows);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_is_html_safe() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        // A control character from the journal never reaches the page.
        assert_eq!(escape("a\u{7}b"), "a\u{FFFD}b");
    }
}
