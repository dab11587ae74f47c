//! CSV reader: any of `,` `;` tab `|` as delimiter (guessed from the first
//! lines), UTF-8 with or without BOM, quoted fields with line breaks. The
//! `csv` crate parses; `table` maps the columns.

use super::Options;
use super::model::{Loc, Source};
use super::table::{self, Table};
use super::values::Cell;
use crate::diag::{Diagnostic, Diagnostics};

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter whose field count is the most consistent (and above one)
/// over the first records: `;` for a German Excel, tab for a paste.
fn guess_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize);
    for d in DELIMITERS {
        let mut rdr = ::csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let counts: Vec<usize> = rdr
            .records()
            .take(30)
            .filter_map(Result::ok)
            .map(|r| r.len())
            .filter(|n| *n > 1)
            .collect();
        // The score: fields per row times rows that have that many.
        let mut score = 0;
        for n in &counts {
            let same = counts.iter().filter(|m| *m == n).count();
            score = score.max(same * n);
        }
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn row_name(text: &str, loc: &Loc) -> String {
    match loc {
        Loc::Text { start, .. } => {
            // Counted in bytes: a quoted field's offset is approximate and may
            // fall inside a character.
            let end = (*start).min(text.len());
            let line = text.as_bytes()[..end]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            format!("line {line}")
        }
        _ => "a row".into(),
    }
}

/// Where each of the first `n` fields of the record starting at byte
/// `base` of `text` sits, in bytes: a quoted field's text inside its
/// quotes, an unquoted one whole. Read from the raw text, so a diagnostic
/// points at the field itself even after quoted fields (with doubled
/// quotes or line breaks inside) earlier on the line.
fn field_spans(text: &str, base: usize, delimiter: u8, n: usize) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(n);
    let mut i = base.min(b.len());
    // After a CRLF the reader may give the record's place as the LF.
    if b.get(i) == Some(&b'\n') && i > 0 && b[i - 1] == b'\r' {
        i += 1;
    }
    while out.len() < n {
        if b.get(i) == Some(&b'"') {
            let start = i + 1;
            let mut j = start;
            // The closing quote is one not doubled.
            while j < b.len() {
                if b[j] == b'"' {
                    if b.get(j + 1) == Some(&b'"') {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            out.push(start..j.min(b.len()));
            i = j + 1;
            // Anything between the closing quote and the delimiter.
            while i < b.len() && b[i] != delimiter && b[i] != b'\n' && b[i] != b'\r' {
                i += 1;
            }
        } else {
            let start = i;
            while i < b.len() && b[i] != delimiter && b[i] != b'\n' && b[i] != b'\r' {
                i += 1;
            }
            out.push(start..i);
        }
        if b.get(i) == Some(&delimiter) {
            i += 1;
        } else {
            // The line ended: any fields left are empty, here.
            while out.len() < n {
                out.push(i..i);
            }
        }
    }
    out
}

/// Reads a CSV file into items.
pub fn read(bytes: &[u8], file: &str, opts: &Options) -> Result<Source, Diagnostics> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => super::detect::lone_cr_to_lf(t),
        Err(e) => {
            let lossy = String::from_utf8_lossy(bytes);
            let at = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).len();
            return Err(Diagnostics(vec![
                Diagnostic::at(file, &lossy, at..at + 1, "this byte is not UTF-8").with_help(
                    "save the sheet as \"CSV UTF-8\" (Excel) or choose UTF-8 as the character set (LibreOffice)",
                ),
            ]));
        }
    };
    let text: &str = &text;
    let delimiter = guess_delimiter(text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let base = record.position().map_or(0, |p| p.byte() as usize);
                let spans = field_spans(text, base, delimiter, record.len());
                let row = record
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let r = spans.get(i).cloned().unwrap_or(base..base);
                        let loc = Loc::Text {
                            start: r.start,
                            end: r.end,
                        };
                        let f = table::unguard(f.trim());
                        let cell = if f.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(f.to_string())
                        };
                        (cell, loc)
                    })
                    .collect();
                rows.push(row);
            }
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte() as usize);
                return Err(Diagnostics(vec![
                    Diagnostic::at(
                        file,
                        text,
                        at..at + 1,
                        format!("this CSV cannot be read: {e}"),
                    )
                    .with_help(
                        "check the quotes on this line: a quoted field must end with a quote",
                    ),
                ]));
            }
        }
    }
    let mut source = Source {
        text: Some(text.to_string()),
        ..Source::default()
    };
    let owned = text.to_string();
    let table = Table {
        rows,
        row_name: Box::new(move |l| row_name(&owned, l)),
    };
    let delim_name = match delimiter {
        b'\t' => "tab".to_string(),
        d => format!("'{}'", d as char),
    };
    source.chosen.push(format!("delimiter: {delim_name}"));
    table::read(&table, file, Some(text), opts, &mut source).map_err(Diagnostics)?;
    Ok(source)
}
