//! The CSV review: one row per session under a fixed header, for
//! spreadsheets.
//!
//! Owns RFC 4180 quoting and the guard against spreadsheet formula
//! injection. Reads only the [`Report`]; computes no times of its own.

use super::{Report, SessionReport, hms_of};
use crate::text::sanitize;

/// The header, exactly; docs/report.md describes each column.
pub const HEADER: &str = "session,title,planned_start,planned_end,actual_start,actual_end,planned_s,actual_s,late_start_s,over_s,over_plan_s,adjust_s,speaker_changes,notes,state,out_of_order,cut_reason,rehearsal";

/// Records end in CRLF, as RFC 4180 asks.
const EOL: &str = "\r\n";

/// A text cell: sanitised, guarded against formulas, quoted if needed.
pub(crate) fn text_cell(s: &str) -> String {
    let s = sanitize(s);
    let guarded = if starts_formula(&s) && !is_number(&s) {
        format!("'{s}")
    } else {
        s.into_owned()
    };
    quote(&guarded)
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

/// RFC 4180: a field with a comma, a double quote or a line break is quoted,
/// and its quotes doubled.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn row(s: &SessionReport, rehearsal: bool) -> String {
    let notes: Vec<&str> = s.notes.iter().map(|n| n.text.as_str()).collect();
    [
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
        rehearsal.to_string(),
    ]
    .join(",")
}

/// The header and one row per session. An open session has an empty
/// `actual_end`, and its `actual_s` and `over_s` run up to the report's time;
/// a skipped or not-started one has every `actual_*` cell empty.
pub(super) fn render(r: &Report) -> String {
    let mut out = String::from(HEADER);
    out.push_str(EOL);
    for s in &r.sessions {
        out.push_str(&row(s, r.event.rehearsal));
        out.push_str(EOL);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_per_rfc_4180() {
        assert_eq!(text_cell("plain"), "plain");
        assert_eq!(text_cell("a, b"), "\"a, b\"");
        assert_eq!(text_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text_cell("two\nlines"), "two lines");
    }

    #[test]
    fn guards_formulas_but_not_numbers() {
        assert_eq!(text_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text_cell("+1+1"), "'+1+1");
        assert_eq!(text_cell("-2+3"), "'-2+3");
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("-12"), "-12");
        assert_eq!(text_cell("+3.5"), "+3.5");
        assert_eq!(text_cell("-"), "'-");
        assert_eq!(text_cell("1-2"), "1-2");
    }
}
