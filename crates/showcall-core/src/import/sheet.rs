//! Spreadsheet reader: xlsx, xls and ods through `calamine`. Picks the
//! worksheet (`--sheet`, else the first with a header row), turns cells into
//! [`Cell`]s with their `Sheet!B14` address, and lets `table` map columns.

use std::io::Cursor;

use calamine::{
    Data, Ods, Reader, Sheets, Xls, Xlsx, open_workbook_auto_from_rs, open_workbook_from_rs,
};

use super::model::{Loc, Source, col_name};
use super::table::{self, Table};
use super::values::Cell;
use super::{Format, Options};
use crate::diag::{Diagnostic, Diagnostics};

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::String(s) => {
            let t = table::unguard(s.trim());
            if t.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(t.to_string())
            }
        }
    }
}

/// Cells beyond these are not read: a schedule is far smaller, and a
/// hostile file declaring a huge sheet must not cost memory.
const MAX_ROWS: u32 = 100_000;
const MAX_COLS: u32 = 200;

fn table_of(name: &str, range: &calamine::Range<Data>) -> Table {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .take(MAX_ROWS as usize)
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .take(MAX_COLS as usize)
                .enumerate()
                .map(|(c, d)| {
                    let loc = Loc::Cell {
                        sheet: name.to_string(),
                        row: r0 + r as u32,
                        col: c0 + c as u32,
                    };
                    (cell_of(d), loc)
                })
                .collect()
        })
        .collect();
    Table {
        rows,
        row_name: Box::new(|l| match l {
            Loc::Cell { sheet, row, col } => format!("{sheet}!{}{}", col_name(*col), row + 1),
            _ => "a row".into(),
        }),
    }
}

/// Reads a workbook into items.
pub fn read(
    bytes: &[u8],
    file: &str,
    format: Format,
    opts: &Options,
) -> Result<Source, Diagnostics> {
    let fail =
        |m: String, help: &str| Diagnostics(vec![Diagnostic::file_level(file, m).with_help(help)]);
    let c = Cursor::new(bytes);
    // The detected format's own reader says what is wrong; any other tries all.
    let opened = match format {
        Format::Xlsx => open_workbook_from_rs::<Xlsx<_>, _>(c)
            .map(Sheets::Xlsx)
            .map_err(|e| e.to_string()),
        Format::Xls => open_workbook_from_rs::<Xls<_>, _>(c)
            .map(Sheets::Xls)
            .map_err(|e| e.to_string()),
        Format::Ods => open_workbook_from_rs::<Ods<_>, _>(c)
            .map(Sheets::Ods)
            .map_err(|e| e.to_string()),
        _ => open_workbook_auto_from_rs(c).map_err(|e| e.to_string()),
    };
    let mut book = opened.map_err(|e| {
        fail(
            format!("not a {} calamine can read: {e}", format.describe()),
            "open it in a spreadsheet program and save it again as xlsx or ods, or export CSV",
        )
    })?;
    let names = book.sheet_names();
    if let Some(want) = &opts.sheet
        && !names.iter().any(|n| n.eq_ignore_ascii_case(want))
    {
        return Err(fail(
            format!("no sheet '{want}' (the workbook has: {})", names.join(", ")),
            "give one of these names to --sheet",
        ));
    }
    let mut first_err = None;
    for name in &names {
        if opts
            .sheet
            .as_ref()
            .is_some_and(|w| !name.eq_ignore_ascii_case(w))
        {
            continue;
        }
        let range = match book.worksheet_range(name) {
            Ok(r) => r,
            Err(e) => {
                first_err.get_or_insert_with(|| {
                    fail(
                        format!("sheet '{name}' cannot be read: {e}"),
                        "save the workbook again as xlsx",
                    )
                });
                continue;
            }
        };
        if let Some((h, w)) = Some(range.get_size())
            && (h as u64) * (w as u64) > 20_000_000
        {
            first_err.get_or_insert_with(|| {
                fail(
                    format!("sheet '{name}' is {h}×{w} cells, too big for a schedule"),
                    "delete the unused rows and columns",
                )
            });
            continue;
        }
        let table = table_of(name, &range);
        let mut source = Source::default();
        match table::read(&table, file, None, opts, &mut source) {
            Ok(()) => {
                if names.len() > 1 {
                    source.chosen.insert(
                        0,
                        format!(
                            "sheet: '{name}' (of {}; choose another with --sheet)",
                            names.join(", ")
                        ),
                    );
                }
                return Ok(source);
            }
            // The header was found: these are this sheet's errors.
            Err(d) if !source.chosen.is_empty() => return Err(Diagnostics(d)),
            Err(d) => {
                first_err.get_or_insert(Diagnostics(d));
            }
        }
    }
    Err(first_err.unwrap_or_else(|| {
        fail(
            "the workbook has no sheets".into(),
            "give a workbook with the schedule in its first sheet",
        )
    }))
}
