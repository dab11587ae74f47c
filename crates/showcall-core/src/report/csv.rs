//! The CSV review: one row per session under a fixed header, for
//! spreadsheets.
//!
//! Owns the guard against spreadsheet formula injection; the `csv` crate
//! does the RFC 4180 quoting. Reads only the [`Report`]; computes no times
//! of its own.

use super::{Report, SessionReport, hms_of};
use crate::text::sanitize;

/// The header, exactly; docs/report.md describes each column.
pub const HEADER: &str = "session,title,planned_start,planned_end,actual_start,actual_end,planned_s,actual_s,late_start_s,over_s,over_plan_s,adjust_s,speaker_changes,notes,state,out_of_order,cut_reason,agenda_changes,rehearsal";

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

fn row(s: &SessionReport, rehearsal: bool) -> Vec<String> {
    let notes: Vec<&str> = s.notes.iter().map(|n| n.text.as_str()).collect();
    vec![
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
        s.speaker_changes.len().to_string(),
        text_cell(&notes.join("; ")),
        s.state.as_str().replace(' ', "_"),
        (!s.started_before.is_empty()).to_string(),
        text_cell(s.cut.as_ref().map_or("", |c| c.reason.as_str())),
        text_cell(&s.plan_changes.join("; ")),
        rehearsal.to_string(),
    ]
}

/// The header and one row per session. An open session has an empty
/// `actual_end`, and its `actual_s` and `over_s` run up to the report's time;
/// a skipped or not-started one has every `actual_*` cell empty.
pub(super) fn render(r: &Report) -> String {
    let mut w = writer();
    let rows = std::iter::once(HEADER.split(',').map(String::from).collect())
        .chain(r.sessions.iter().map(|s| row(s, r.event.rehearsal)));
    for record in rows {
        // Writing to a Vec cannot fail.
        let _ = w.write_record::<Vec<String>, _>(record);
    }
    finish(w)
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
