//! Numeric dates that read two ways (`03/09/2026`: 3 September or
//! 9 March?) in a table: said once for the whole file, and settled without
//! `--date-order` when a column of weekday names (`Monday`) agrees with
//! exactly one reading on every row.

use chrono::{Datelike, NaiveDate, Weekday};

use super::columns::Columns;
use super::fields::Field;
use super::model::Loc;
use super::table::Table;
use super::values::{self, Cell, DateOrder};
use crate::diag::Diagnostic;

/// The two readings of a `d/m/yyyy`-or-`m/d/yyyy` date, `[day first,
/// month first]`, when both are real dates and differ; `None` for any
/// other cell (a year first, one part above 12, not a date).
pub(super) fn readings(cell: &Cell) -> Option<[NaiveDate; 2]> {
    let Cell::Text(s) = cell else { return None };
    let parts: Vec<u32> = s
        .trim()
        .split('/')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    if *y < 1000 || a == b {
        return None;
    }
    let y = *y as i32;
    Some([
        NaiveDate::from_ymd_opt(y, *b, *a)?,
        NaiveDate::from_ymd_opt(y, *a, *b)?,
    ])
}

/// The order to read the table's dates in: `given` (`--date-order`), else
/// the one reading that every row's weekday agrees with, with a note
/// saying so. `(None, None)` when there is no ambiguous date, no column of
/// weekday names, or the weekdays fit both readings or neither.
pub(super) fn settle(
    table: &Table,
    header_at: usize,
    cols: &Columns,
    given: Option<DateOrder>,
) -> (Option<DateOrder>, Option<String>) {
    if given.is_some() {
        return (given, None);
    }
    let Some(date_col) = cols.get(Field::Date) else {
        return (None, None);
    };
    let body = &table.rows[header_at + 1..];
    let value = |row: &[(Cell, Loc)], col: usize| {
        row.get(col)
            .map(|(c, _)| c.clone())
            .filter(|c| !c.is_empty())
    };
    let Some(example) = body
        .iter()
        .filter_map(|r| value(r, date_col))
        .find(|c| readings(c).is_some())
    else {
        return (None, None);
    };
    let Some(day_col) = weekday_column(table, header_at, date_col) else {
        return (None, None);
    };
    let fits = |order: DateOrder| {
        body.iter().all(|row| {
            let Some(date) = value(row, date_col) else {
                return true;
            };
            let weekday = value(row, day_col).and_then(|c| c.text().trim().parse::<Weekday>().ok());
            match (values::date_in(&date, Some(order)), weekday) {
                (Err(_), _) => false,
                // An ambiguous date with no weekday beside it settles nothing.
                (Ok(_), None) => readings(&date).is_none(),
                (Ok(d), Some(w)) => d.weekday() == w,
            }
        })
    };
    let fitting: Vec<DateOrder> = [DateOrder::Dmy, DateOrder::Mdy]
        .into_iter()
        .filter(|o| fits(*o))
        .collect();
    let [order] = fitting.as_slice() else {
        return (None, None);
    };
    let read = values::date_in(&example, Some(*order))
        .map(|d| d.format("%A %-d %B %Y").to_string())
        .unwrap_or_default();
    let note = format!(
        "date order: {} ('{}' is {read}), as the weekdays in {:?} agree on every row; to read otherwise, --date-order",
        order.name(),
        example.text().trim(),
        table.rows[header_at]
            .get(day_col)
            .map(|(c, _)| c.text())
            .unwrap_or_default()
    );
    (Some(*order), Some(note))
}

/// The first column other than the date's whose values below the header
/// are all weekday names (`Monday`, `mon`; any case), at least one.
fn weekday_column(table: &Table, header_at: usize, date_col: usize) -> Option<usize> {
    let width = table.rows[header_at].len();
    (0..width).filter(|c| *c != date_col).find(|c| {
        let mut cells = table.rows[header_at + 1..]
            .iter()
            .filter_map(|r| r.get(*c).map(|(cell, _)| cell))
            .filter(|cell| !cell.is_empty())
            .peekable();
        cells.peek().is_some() && cells.all(|cell| cell.text().trim().parse::<Weekday>().is_ok())
    })
}

/// One error for every ambiguous date in the table: at the first, naming
/// how many rows and which, and `--date-order`. `found` holds each
/// ambiguous date's location, text and row name, in file order; not empty.
pub(super) fn ambiguity(
    file: &str,
    src: Option<&str>,
    found: &[(Loc, String, String)],
) -> Option<Diagnostic> {
    let (loc, text, _) = found.first()?;
    let mut msg = match readings(&Cell::Text(text.clone())) {
        Some([dmy, mdy]) => format!(
            "'{text}' is ambiguous: day/month ({}) or month/day ({})?",
            dmy.format("%-d %B %Y"),
            mdy.format("%-d %B %Y")
        ),
        None => format!("'{text}' is ambiguous: day/month or month/day?"),
    };
    if found.len() > 1 {
        const SHOWN: usize = 8;
        let rows: Vec<&str> = found
            .iter()
            .take(SHOWN)
            .map(|(_, _, r)| r.as_str())
            .collect();
        let more = if found.len() > SHOWN { ", …" } else { "" };
        msg.push_str(&format!(
            " {} rows have such dates ({}{more})",
            found.len(),
            rows.join(", ")
        ));
    }
    Some(loc.diag(file, src, msg).with_help(
        "give --date-order dmy or --date-order mdy (one for the whole file), or write the dates as YYYY-MM-DD",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn readings_only_for_two_way_dates() {
        // 03/09/2026: day first 3 September, month first 9 March.
        assert_eq!(
            readings(&text("03/09/2026")),
            Some([
                NaiveDate::from_ymd_opt(2026, 9, 3).unwrap(),
                NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()
            ])
        );
        assert_eq!(readings(&text("13/09/2026")), None); // 13 is no month
        assert_eq!(readings(&text("09/09/2026")), None); // the same either way
        assert_eq!(readings(&text("2026/03/09")), None); // year first
        assert_eq!(readings(&text("Monday")), None);
    }
}
