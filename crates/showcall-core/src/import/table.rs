//! Rows and columns, from CSV or a worksheet, into items: find the header
//! row (`columns`), read each row's values. Shared by the `csv` and `sheet`
//! readers so both read the same columns the same way.

use chrono::{NaiveDate, NaiveTime};

use super::Options;
use super::clean;
use super::columns::{self, Columns, HEADER_SEARCH_ROWS, map_header, unused_columns};
use super::fields::{Field, norm};
use super::model::{DateSpec, Item, Loc, Source, When};
use super::values::{self, Cell, DateOrder, TimeValue};
use crate::diag::Diagnostic;

/// A table: rows of cells, each cell with where it is.
pub struct Table {
    /// Every row of the file or sheet in order, the header and any rows
    /// above it included; each cell with where it is (`line:col`, or a
    /// sheet's cell such as `Sheet1!B14`).
    pub rows: Vec<Vec<(Cell, Loc)>>,
    /// What to call a row in messages: `line 14`, `row 14`.
    pub row_name: Box<dyn Fn(&Loc) -> String>,
}

/// In a table without dates, a start more than this much earlier than the
/// row before it is taken as the next day. Half a day: a running order that
/// goes back more than 12 hours cannot be the same day read in order, while
/// rows out of order by a few hours (14:00 then 09:00) are the same day.
const ROLLOVER: chrono::TimeDelta = chrono::TimeDelta::hours(12);

/// Where the file is and how to read it, for every row.
struct Reading<'a> {
    table: &'a Table,
    file: &'a str,
    src: Option<&'a str>,
    cols: Columns,
    header_at: usize,
    order: Option<DateOrder>,
}

/// What carries from row to row.
#[derive(Default)]
struct Carry {
    /// A sheet often names the day once, on its first row.
    last_date: Option<NaiveDate>,
    /// Rows without a date: how many midnights the running order has
    /// passed, and the last start seen.
    day_offset: i64,
    prev_start: Option<NaiveTime>,
}

/// Reads a table into `source.items`. Errors in values are collected, all
/// of them, as located diagnostics.
pub fn read(
    table: &Table,
    file: &str,
    src: Option<&str>,
    opts: &Options,
    source: &mut Source,
) -> Result<(), Vec<Diagnostic>> {
    let (header_at, mut cols) = find_header(table, file, src, &opts.map)?;
    if let Some(note) = columns::choose_date_column(table, header_at, &mut cols, opts) {
        source.notes.push(note.clone());
        source.warnings.push(note);
    }
    let r = Reading {
        table,
        file,
        src,
        cols,
        header_at,
        order: opts.date_order,
    };
    describe_header(&r, source);
    let mut errors = Vec::new();
    let mut carry = Carry::default();
    for row in &table.rows[header_at + 1..] {
        if let Some(item) = read_row(&r, row, &mut carry, source, &mut errors) {
            source.items.push(item);
        }
    }
    if r.cols.get(Field::Date).is_none() && !source.items.iter().any(has_date) {
        source.dateless = true;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn has_date(i: &Item) -> bool {
    matches!(
        i.start,
        Some(When::Clock {
            date: DateSpec::Known(_),
            ..
        }) | Some(When::Instant(_))
    )
}

/// The first row (of the first 50) with a start (or duration) column and
/// a title column, or an error naming the columns that would fit.
fn find_header(
    table: &Table,
    file: &str,
    src: Option<&str>,
    map: &[(Field, String)],
) -> Result<(usize, Columns), Vec<Diagnostic>> {
    let found = table
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .map(|(i, r)| {
            let above = i.checked_sub(1).map(|p| table.rows[p].as_slice());
            (i, map_header(r, above, map))
        })
        .find(|(_, c)| {
            (c.get(Field::Start).is_some() || c.get(Field::Duration).is_some())
                && c.get(Field::Title).is_some()
        });
    if let Some(f) = found {
        return Ok(f);
    }
    let first_at = table
        .rows
        .iter()
        .position(|r| r.iter().any(|(c, _)| !c.is_empty()));
    let first = first_at.map(|i| &table.rows[i]);
    let loc = first
        .and_then(|r| r.first())
        .map(|(_, l)| l.clone())
        .unwrap_or_default();
    let seen: Vec<String> = first
        .map(|r| {
            r.iter()
                .map(|(c, _)| c.text())
                .filter(|t| !t.is_empty())
                .take(8)
                .collect()
        })
        .unwrap_or_default();
    let mut msg = format!(
        "no header row with a start (or duration) column and a title column in the first {HEADER_SEARCH_ROWS} rows"
    );
    if !seen.is_empty() {
        msg.push_str(&format!(" (the first row says: {})", seen.join(", ")));
    }
    for (f, h) in map {
        msg.push_str(&format!("; --map {}={h} matched no column", f.name()));
    }
    let help = match first_at.and_then(|i| columns::suggest_map(table, i)) {
        Some(m) => format!(
            "name the columns with --map; from the values below the first row: --map {m} \
             (fields: {})",
            Field::ALL.map(Field::name).join(", ")
        ),
        None => format!(
            "name the columns with --map, e.g. --map start=Uhrzeit,title=Titel,duration=Dauer \
             (fields: {})",
            Field::ALL.map(Field::name).join(", ")
        ),
    };
    Err(vec![loc.diag(file, src, msg).with_help(help)])
}

/// Says which column was read as which field, the columns not read, and
/// the rows above the header.
fn describe_header(r: &Reading, source: &mut Source) {
    let cols = &r.cols;
    let header = &r.table.rows[r.header_at];
    let mut found: Vec<String> = cols
        .by_field
        .iter()
        .map(|(f, c)| format!("{}={}", f.name(), cols.names[*c]))
        .collect();
    for (field, list) in [
        (Field::Speakers, &cols.speakers),
        (Field::Moderators, &cols.moderators),
    ] {
        if !list.is_empty() {
            let names: Vec<&str> = list.iter().map(|c| cols.names[*c].as_str()).collect();
            found.push(format!("{}={}", field.name(), names.join("+")));
        }
    }
    source.chosen.push(format!(
        "header: {} ({})",
        (r.table.row_name)(&header[0].1),
        found.join(", ")
    ));
    if let Some(unused) = unused_columns(r.table, r.header_at, cols) {
        source.notes.push(unused.clone());
        source.warnings.push(unused);
    }
    if r.header_at > 0 {
        source.notes.push(if r.header_at == 1 {
            "1 row above the header was ignored".to_string()
        } else {
            format!("{} rows above the header were ignored", r.header_at)
        });
    }
}

/// The non-empty cell of `row` in the column of `f`.
fn cell(row: &[(Cell, Loc)], col: Option<usize>) -> Option<(Cell, Loc)> {
    let (c, l) = row.get(col?)?;
    (!c.is_empty()).then(|| (c.clone(), l.clone()))
}

/// A row marked as not a session (a group, a milestone, a skip), with why.
fn not_a_session(r: &Reading, row: &[(Cell, Loc)]) -> Option<String> {
    if let Some((kind, _)) = cell(row, r.cols.get(Field::Kind)) {
        let k = norm(&kind.text());
        if k.starts_with("group") || k == "milestone" || k == "block" || k == "delay" {
            return Some(format!("{} row", k.split(' ').next().unwrap_or("group")));
        }
    }
    if let Some((flag, _)) = cell(row, r.cols.get(Field::Skip))
        && matches!(
            norm(&flag.text()).as_str(),
            "x" | "true" | "yes" | "y" | "1" | "ja" | "oui" | "si" | "sí" | "wahr"
        )
    {
        return Some("row marked skip".into());
    }
    None
}

/// A value the column's field cannot read: located, and when another
/// column holds such values, the `--map` that reads it.
fn bad_value(r: &Reading, field: Field, l: &Loc, m: String) -> Diagnostic {
    let d = l.diag(r.file, r.src, m);
    match columns::fitting(r.table, r.header_at, &r.cols, field, r.order).first() {
        Some(name) => d.with_help(format!(
            "the column {name:?} holds {}s: read it with --map {}={name}",
            field.name(),
            field.name()
        )),
        None if field == Field::Date => d.with_help(
            "write dates as YYYY-MM-DD, or give --date-order dmy|mdy|ymd for numeric dates",
        ),
        None => d,
    }
}

/// One row: an item, or `None` (skipped, counted in `source`, or an error
/// pushed to `errors`).
fn read_row(
    r: &Reading,
    row: &[(Cell, Loc)],
    carry: &mut Carry,
    source: &mut Source,
    errors: &mut Vec<Diagnostic>,
) -> Option<Item> {
    if row.iter().all(|(c, _)| c.is_empty()) {
        source.skip("empty row");
        return None;
    }
    let cols = &r.cols;
    if let Some((z, l)) = cell(row, cols.get(Field::Timezone))
        && source.zone.name.is_none()
    {
        source.zone.name = Some(z.text());
        source.zone.loc = l;
    }
    let date = match cell(row, cols.get(Field::Date)) {
        Some((c, l)) => match values::date_in(&c, r.order) {
            Ok(d) => {
                carry.last_date = Some(d);
                Some(d)
            }
            Err(m) => {
                errors.push(bad_value(r, Field::Date, &l, m));
                return None;
            }
        },
        None => carry.last_date,
    };
    if let Some(why) = not_a_session(r, row) {
        source.skip(&why);
        return None;
    }
    let start = match cell(row, cols.get(Field::Start)) {
        Some((c, l)) => match values::time(&c) {
            Ok(v) => Some((v, l)),
            Err(m) => {
                errors.push(bad_value(r, Field::Start, &l, m));
                return None;
            }
        },
        None => None,
    };
    let spec = day_of(date, start.as_ref().map(|s| &s.0), carry, source);
    let mut item = Item {
        loc: row.first().map(|(_, l)| l.clone()).unwrap_or_default(),
        end_rolls: true,
        ..Item::default()
    };
    if let Some((v, l)) = start {
        if let TimeValue::DateTime(dt) = v {
            carry.last_date = Some(dt.date());
        }
        item.start = Some(when(v, spec));
        item.start_loc = Some(l);
    }
    read_lengths(r, row, spec, &mut item, errors);
    read_texts(cols, row, &mut item);
    if item.start.is_none() && item.duration.is_none() && item.end.is_none() {
        source.skip("row with no time (a heading?)");
        return None;
    }
    if item.title.is_empty() {
        item.title = "(untitled)".into();
        source.notes.push(format!(
            "{} has no title: called \"(untitled)\"",
            (r.table.row_name)(&item.loc)
        ));
    }
    Some(item)
}

/// The day of a row: its date, else (no date) in file order, a start that
/// goes back more than 12 hours from the row before is the next day
/// (23:30, then 00:30). Going back 12 hours or less is the same day, out of
/// order, and sorted (with a note).
fn day_of(
    date: Option<NaiveDate>,
    start: Option<&TimeValue>,
    carry: &mut Carry,
    source: &mut Source,
) -> DateSpec {
    if let Some(d) = date {
        return DateSpec::Known(d);
    }
    if let Some(TimeValue::Time(t)) = start {
        if carry.prev_start.is_some_and(|p| p - *t > ROLLOVER) {
            carry.day_offset += 1;
            source.rolled_by_order = true;
        }
        carry.prev_start = Some(*t);
    }
    DateSpec::Offset(carry.day_offset)
}

fn when(v: TimeValue, spec: DateSpec) -> When {
    match v {
        TimeValue::Time(t) => When::Clock {
            date: spec,
            time: t,
        },
        TimeValue::DateTime(dt) => When::Clock {
            date: DateSpec::Known(dt.date()),
            time: dt.time(),
        },
        TimeValue::Instant(i) => When::Instant(i),
    }
}

/// The row's end and duration.
fn read_lengths(
    r: &Reading,
    row: &[(Cell, Loc)],
    spec: DateSpec,
    item: &mut Item,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some((c, l)) = cell(row, r.cols.get(Field::End)) {
        match values::time(&c) {
            Ok(v) => {
                item.end_rolls = matches!(v, TimeValue::Time(_));
                item.end = Some(when(v, spec));
            }
            Err(m) => errors.push(bad_value(r, Field::End, &l, m)),
        }
    }
    if let Some((c, l)) = cell(row, r.cols.get(Field::Duration)) {
        match values::duration(&c) {
            Ok(d) => item.duration = Some(d),
            // Ontime writes 0 for a row whose length follows from its neighbours.
            Err(_) if matches!(c, Cell::Number(n) if n == 0.0) || c.text() == "0" => {}
            Err(m) => errors.push(bad_value(r, Field::Duration, &l, m)),
        }
    }
}

/// The row's title, people, notes, id and room.
fn read_texts(cols: &Columns, row: &[(Cell, Loc)], item: &mut Item) {
    if let Some((c, _)) = cell(row, cols.get(Field::Title)) {
        item.title = clean::line(&c.text());
    }
    let people = |list: &[usize]| -> Vec<String> {
        list.iter()
            .filter_map(|col| cell(row, Some(*col)))
            .flat_map(|(c, _)| {
                c.text()
                    .split([';', '\n'])
                    .map(clean::line)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    item.speakers = people(&cols.speakers);
    item.moderators = people(&cols.moderators);
    if let Some((c, _)) = cell(row, cols.get(Field::Notes)) {
        item.notes = Some(clean::notes(&c.text())).filter(|n| !n.is_empty());
    }
    if let Some((c, _)) = cell(row, cols.get(Field::Id)) {
        item.id = Some(c.text());
    }
    if let Some((c, _)) = cell(row, cols.get(Field::Room)) {
        item.room = Some(clean::line(&c.text())).filter(|r| !r.is_empty());
    }
}

/// The undo of `showcall export`'s formula guard: a cell a spreadsheet
/// would read as a formula is written with a leading `'`, which spreadsheets
/// hide; read back as text, it is dropped again.
pub fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unguards_formulas_only() {
        assert_eq!(unguard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unguard("'-5 min warm-up"), "-5 min warm-up");
        assert_eq!(unguard("'tis the season"), "'tis the season");
    }
}
