//! A table's header row: which column holds which field, the names of
//! columns under a label, and the columns no field reads.

use super::Options;
use super::fields::{Field, field_of, norm};
use super::model::{Loc, col_name};
use super::table::Table;
use super::values::{self, Cell, DateOrder};

/// Which column holds which field.
pub(super) struct Columns {
    pub(super) by_field: Vec<(Field, usize)>,
    pub(super) speakers: Vec<usize>,
    /// Moderator, chair or host columns, in column order.
    pub(super) moderators: Vec<usize>,
    /// Each column's name: its header, or with the label above it.
    pub(super) names: Vec<String>,
}

impl Columns {
    pub(super) fn get(&self, f: Field) -> Option<usize> {
        self.by_field.iter().find(|(g, _)| *g == f).map(|(_, c)| *c)
    }
}

/// How many rows to search for the header (Ontime's template has 12 rows of
/// instructions above it).
pub(super) const HEADER_SEARCH_ROWS: usize = 50;

/// The header's names, column by column. A two-row header whose lower row
/// only numbers the columns under a label above (`Vortragende` over `1`,
/// `2`, … `5`, as voc/schedule's example sheet has it) names them
/// `Vortragende 1` … `Vortragende 5`.
fn header_names(row: &[(Cell, Loc)], above: Option<&[(Cell, Loc)]>) -> Vec<String> {
    let texts: Vec<String> = row.iter().map(|(c, _)| c.text()).collect();
    let numbered = |t: &str| (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let Some(above) = above.filter(|_| numbered(t)) else {
                return t.clone();
            };
            // The label is the nearest one above, at or left of this column,
            // over a run of numbered columns.
            for j in (0..=i).rev() {
                let label = above.get(j).map(|(c, _)| c.text()).unwrap_or_default();
                if !label.is_empty() {
                    return format!("{label} {t}");
                }
                if j < i && !numbered(&texts[j]) {
                    break;
                }
            }
            t.clone()
        })
        .collect()
}

pub(super) fn map_header(
    row: &[(Cell, Loc)],
    above: Option<&[(Cell, Loc)]>,
    map: &[(Field, String)],
) -> Columns {
    let mut cols = Columns {
        by_field: Vec::new(),
        speakers: Vec::new(),
        moderators: Vec::new(),
        names: header_names(row, above),
    };
    for i in 0..row.len() {
        let text = cols.names[i].clone();
        let mapped = map
            .iter()
            .find(|(_, h)| norm(h) == norm(&text) && !norm(h).is_empty())
            .map(|(f, _)| *f);
        let taken_by_map = map
            .iter()
            .any(|(f, _)| Some(*f) == field_of(&text) && !f.is_list());
        let field = mapped.or_else(|| if taken_by_map { None } else { field_of(&text) });
        match field {
            Some(Field::Speakers) => cols.speakers.push(i),
            Some(Field::Moderators) => cols.moderators.push(i),
            Some(f) if cols.get(f).is_none() => cols.by_field.push((f, i)),
            _ => {}
        }
    }
    cols
}

/// The columns with a header or a value below it that no field reads, so
/// that nothing is dropped without a word: `columns not used: "Colour"
/// (column 5, 3 values), column 7 (no header, 1 value)`. Columns are counted
/// from 1 in text, by letter in a worksheet. `None` when every column is read.
pub(super) fn unused_columns(table: &Table, header_at: usize, cols: &Columns) -> Option<String> {
    let header = &table.rows[header_at];
    let body = &table.rows[header_at + 1..];
    let width = table.rows[header_at..]
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for i in 0..width {
        if cols.by_field.iter().any(|(_, c)| *c == i)
            || cols.speakers.contains(&i)
            || cols.moderators.contains(&i)
        {
            continue;
        }
        let values = body
            .iter()
            .filter(|r| r.get(i).is_some_and(|(c, _)| !c.is_empty()))
            .count();
        let name = cols.names.get(i).cloned().unwrap_or_default();
        if name.is_empty() && values == 0 {
            continue;
        }
        // Where: a worksheet's letter, else the column's number.
        let place = body
            .iter()
            .chain(std::iter::once(header))
            .find_map(|r| match r.get(i) {
                Some((_, Loc::Cell { col, .. })) => Some(format!("column {}", col_name(*col))),
                _ => None,
            })
            .unwrap_or_else(|| format!("column {}", i + 1));
        let count = match values {
            0 => "no values".to_string(),
            1 => "1 value".to_string(),
            n => format!("{n} values"),
        };
        out.push(if name.is_empty() {
            format!("{place} (no header, {count})")
        } else {
            format!("{name:?} ({place}, {count})")
        });
    }
    if out.is_empty() {
        return None;
    }
    Some(format!(
        "{} not used: {}; to read one, name it with --map FIELD=COLUMN (fields: {})",
        if out.len() == 1 { "column" } else { "columns" },
        out.join(", "),
        Field::ALL.map(Field::name).join(", ")
    ))
}

/// Whether `cell` reads as a value of `field` (a date, a time, a length);
/// `None` for fields any text fits.
fn reads_as(field: Field, cell: &Cell, order: Option<DateOrder>) -> Option<bool> {
    Some(match field {
        // An ambiguous date (06/07/2023 with no --date-order) is a date,
        // whose order is still to give.
        Field::Date => {
            values::date_in(cell, order).is_ok()
                || values::date_in(cell, order).is_err_and(|m| m.contains("ambiguous"))
        }
        Field::Start | Field::End => values::time(cell).is_ok(),
        Field::Duration => values::duration(cell).is_ok(),
        _ => return None,
    })
}

/// The names of the columns other than `field`'s own, not read as another
/// field, whose values (at least one) all read as `field`'s: the columns a
/// `--map` could name.
pub(super) fn fitting(
    table: &Table,
    header_at: usize,
    cols: &Columns,
    field: Field,
    order: Option<DateOrder>,
) -> Vec<String> {
    let body = &table.rows[header_at + 1..];
    let width = cols.names.len();
    (0..width)
        .filter(|i| {
            let other = cols.by_field.iter().any(|(f, c)| c == i && *f != field)
                || cols.speakers.contains(i)
                || cols.moderators.contains(i);
            !other && cols.get(field) != Some(*i) && !cols.names[*i].is_empty()
        })
        .filter(|&i| {
            let mut values = body
                .iter()
                .filter_map(|r| r.get(i).map(|(c, _)| c))
                .filter(|c| !c.is_empty())
                .peekable();
            values.peek().is_some() && values.all(|c| reads_as(field, c, order) == Some(true))
        })
        .map(|i| cols.names[i].clone())
        .collect()
}

/// A header named like a date (`Day`) whose values are no dates (`Day 1`),
/// beside another column named like one (`Date`) whose values are: read
/// the second, and say so. Not when `--map date=…` chose the column.
pub(super) fn choose_date_column(
    table: &Table,
    header_at: usize,
    cols: &mut Columns,
    opts: &Options,
) -> Option<String> {
    let chosen = cols.get(Field::Date)?;
    if opts.map.iter().any(|(f, _)| *f == Field::Date) {
        return None;
    }
    let body = &table.rows[header_at + 1..];
    let order = opts.date_order;
    let first_value = body
        .iter()
        .filter_map(|r| r.get(chosen).map(|(c, _)| c))
        .find(|c| !c.is_empty())?;
    let any_date = body
        .iter()
        .filter_map(|r| r.get(chosen).map(|(c, _)| c))
        .any(|c| reads_as(Field::Date, c, order) == Some(true));
    if any_date {
        return None;
    }
    let other = fitting(table, header_at, cols, Field::Date, order)
        .into_iter()
        .find(|n| field_of(n) == Some(Field::Date))?;
    let at = cols.names.iter().position(|n| *n == other)?;
    let was = cols.names[chosen].clone();
    for (f, c) in cols.by_field.iter_mut() {
        if *f == Field::Date {
            *c = at;
        }
    }
    Some(format!(
        "date: read from {other:?}: {was:?} holds no dates ({:?}); to read another, --map date=COLUMN",
        first_value.text()
    ))
}

/// For a table with no header found: a `--map` for start and title from
/// the row at `at` (taken as the header) and the values below it: the
/// first column whose values are all times is the start, the first other
/// column with text the title. `None` when no column fits the start.
pub(super) fn suggest_map(table: &Table, at: usize) -> Option<String> {
    let row = &table.rows[at];
    let cols = Columns {
        by_field: Vec::new(),
        speakers: Vec::new(),
        moderators: Vec::new(),
        names: row.iter().map(|(c, _)| c.text()).collect(),
    };
    let start = fitting(table, at, &cols, Field::Start, None)
        .into_iter()
        .next()?;
    let title = cols.names.iter().enumerate().find(|(i, n)| {
        **n != start
            && !n.is_empty()
            && table.rows[at + 1..]
                .iter()
                .filter_map(|r| r.get(*i).map(|(c, _)| c))
                .any(
                    |c| matches!(c, Cell::Text(t) if values::time(&Cell::Text(t.clone())).is_err()),
                )
    })?;
    Some(format!("start={start},title={}", title.1))
}

#[cfg(test)]
mod tests {
    use super::super::model::Loc;
    use super::super::values::Cell;
    use super::*;

    #[test]
    fn numbered_columns_under_a_label() {
        let row = |cells: &[&str]| -> Vec<(Cell, Loc)> {
            cells
                .iter()
                .map(|c| (Cell::Text(c.to_string()), Loc::File))
                .collect()
        };
        let above = row(&["", "Speaker", "", "", ""]);
        let header = row(&["Title", "1", "2", "Note", "3"]);
        assert_eq!(
            header_names(&header, Some(&above)),
            ["Title", "Speaker 1", "Speaker 2", "Note", "3"]
        );
        assert_eq!(
            header_names(&header, None),
            ["Title", "1", "2", "Note", "3"]
        );
    }
}
