//! The CSV review: one row per session under a fixed header, for
//! spreadsheets.
//!
//! Owns the guard against spreadsheet formula injection; the `csv` crate
//! does the RFC 4180 quoting. Reads only the [`Report`]; computes no times
//! of its own.

use super::{Report, SessionReport, Time, hms_of};
use crate::text::sanitize;

/// The header, exactly; docs/report.md describes each column.
pub const HEADER: &str = "date,session,title,planned_start,planned_end,actual_start,actual_end,planned_s,actual_s,late_start_s,over_s,over_plan_s,adjust_s,overrun_reasons,speaker_changes,speaker_change_list,holds,held_s,hold_reasons,interventions,interventions_s,action_points,notes,state,out_of_order,cut_reason,agenda_changes,hard_end,hard_end_past_s,rehearsal";

/// The header of `--format interventions-csv`; docs/report.md.
pub const INTERVENTIONS_HEADER: &str =
    "date,session,number,speaker,start,end,spoken_s,slot_s,over_s,open";

/// The header of `--format actions-csv`; docs/report.md.
pub const ACTIONS_HEADER: &str = "date,time,session,session_title,action,who,by";

/// A CSV writer whose records end in CRLF, as RFC 4180 asks.
pub(crate) fn writer() -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// The written records as text (the writer only ever gets `String`s).
pub(crate) fn finish(w: ::csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A text cell: sanitised and guarded against formulas.
pub(crate) fn text_cell(s: &str) -> String {
    let s = sanitize(s);
    if starts_formula(&s) && !is_number(&s) {
        format!("'{s}")
    } else {
        s.into_owned()
    }
}

/// A spreadsheet reads a cell starting with one of these as a formula.
fn starts_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@'])
}

/// A plain decimal number (`-12`, `+3.5`): a spreadsheet reads it as a value,
/// not a formula, so it is left alone.
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// `YYYY-MM-DD` of a report time: its own local date.
fn date_of(t: &Time) -> String {
    t.format("%Y-%m-%d").to_string()
}

fn row(s: &SessionReport, r: &Report) -> Vec<String> {
    let rehearsal = r.event.rehearsal;
    // The hard end of the session's day (the local date of its planned start).
    let hard = r
        .event
        .hard_ends
        .iter()
        .find(|h| h.date == s.planned_start.date_naive());
    let notes: Vec<&str> = s.notes.iter().map(|n| n.text.as_str()).collect();
    let reasons: Vec<String> = s
        .overruns
        .iter()
        .map(|o| format!("{} ({})", o.reason, crate::text::signed_hms(o.over_s)))
        .collect();
    let changes: Vec<&str> = s.speaker_changes.iter().map(|c| c.text.as_str()).collect();
    let hold_reasons: Vec<&str> = s.holds.iter().filter_map(|h| h.reason.as_deref()).collect();
    let actions: Vec<String> = s
        .actions
        .iter()
        .map(|a| crate::status::action_words(&a.text, a.who.as_deref(), a.by.as_deref()))
        .collect();
    vec![
        date_of(s.actual_start.as_ref().unwrap_or(&s.planned_start)),
        text_cell(&s.id),
        text_cell(&s.title),
        hms_of(&s.planned_start),
        hms_of(&s.planned_end),
        opt(s.actual_start.as_ref().map(hms_of)),
        opt(s.actual_end.as_ref().map(hms_of)),
        s.planned_s.to_string(),
        opt(s.actual_s),
        opt(s.late_start_s),
        opt(s.over_s),
        opt(s.over_plan_s),
        s.adjust_s.to_string(),
        text_cell(&reasons.join("; ")),
        s.speaker_changes.len().to_string(),
        text_cell(&changes.join("; ")),
        s.holds.len().to_string(),
        s.held_s.to_string(),
        text_cell(&hold_reasons.join("; ")),
        s.interventions.to_string(),
        s.interventions_s.to_string(),
        text_cell(&actions.join("; ")),
        text_cell(&notes.join("; ")),
        s.state.as_str().replace(' ', "_"),
        (!s.started_before.is_empty()).to_string(),
        text_cell(s.cut.as_ref().map_or("", |c| c.reason.as_str())),
        text_cell(&s.plan_changes.join("; ")),
        opt(hard.map(|h| hms_of(&h.must_end_by))),
        opt(hard.map(|h| h.past_s)),
        rehearsal.to_string(),
    ]
}

/// The header and one row per session. An open session has an empty
/// `actual_end`, and its `actual_s` and `over_s` run up to the report's time;
/// a skipped or not-started one has every `actual_*` cell empty.
pub(super) fn render(r: &Report) -> String {
    records(HEADER, r.sessions.iter().map(|s| row(s, r)))
}

fn records(header: &str, rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = writer();
    let rows = std::iter::once(header.split(',').map(String::from).collect()).chain(rows);
    for record in rows {
        let _ = w.write_record::<Vec<String>, _>(record);
    }
    finish(w)
}

/// `--format interventions-csv`: one row per timed intervention. An open
/// one has an empty `end` and `open` true; `slot_s` and `over_s` are empty
/// when the session has no slot.
pub(super) fn interventions(r: &Report) -> String {
    records(
        INTERVENTIONS_HEADER,
        r.interventions.iter().map(|iv| {
            vec![
                date_of(&iv.start),
                text_cell(&iv.session),
                iv.number.to_string(),
                text_cell(&iv.label),
                hms_of(&iv.start),
                opt(iv.end.as_ref().map(hms_of)),
                iv.spoken_s.to_string(),
                opt(iv.slot_s),
                opt(iv.over_s),
                iv.open.to_string(),
            ]
        }),
    )
}

/// `--format actions-csv`: one row per action point, in journal order.
pub(super) fn actions(r: &Report) -> String {
    records(
        ACTIONS_HEADER,
        r.actions.iter().map(|a| {
            vec![
                date_of(&a.at),
                hms_of(&a.at),
                text_cell(a.session.as_deref().unwrap_or("")),
                text_cell(a.session_title.as_deref().unwrap_or("")),
                text_cell(&a.text),
                text_cell(a.who.as_deref().unwrap_or("")),
                text_cell(a.by.as_deref().unwrap_or("")),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One record as the report writes it.
    fn line(cells: &[&str]) -> String {
        let mut w = writer();
        w.write_record(cells.iter().map(|c| text_cell(c))).unwrap();
        finish(w)
    }

    #[test]
    fn quotes_per_rfc_4180() {
        assert_eq!(line(&["plain"]), "plain\r\n");
        assert_eq!(line(&["a, b", "x"]), "\"a, b\",x\r\n");
        assert_eq!(line(&["say \"hi\""]), "\"say \"\"hi\"\"\"\r\n");
        assert_eq!(line(&["two\nlines"]), "two lines\r\n");
    }

    #[test]
    fn guards_formulas_but_not_numbers() {
        assert_eq!(
            line(&["=HYPERLINK(\"x\")"]),
            "\"'=HYPERLINK(\"\"x\"\")\"\r\n"
        );
        assert_eq!(text_cell("+1+1"), "'+1+1");
        assert_eq!(text_cell("-2+3"), "'-2+3");
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("-12"), "-12");
        assert_eq!(text_cell("+3.5"), "+3.5");
        assert_eq!(text_cell("-"), "'-");
        assert_eq!(text_cell("1-2"), "1-2");
    }
}
