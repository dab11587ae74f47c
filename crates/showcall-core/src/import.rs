//! `showcall import`: turn a schedule written by another program into an
//! agenda.toml that `showcall check` accepts.
//!
//! How data flows:
//!
//! ```text
//!  bytes ──detect──▶ Format ──one reader per format──▶ Source (model: items, zone, days)
//!        csv · sheet (xlsx/xls/ods) · frab (xml) · frab_json · ics · ontime
//!                                                        │
//!                         plan: room, day, zone, order, ends, ids ──▶ Plan
//!                                                        │
//!                          writer: agenda TOML + header comment ──▶ validated by agenda::Agenda
//! ```
//!
//! Owns reading foreign formats and the mapping rules. It never writes files
//! (the binary does) and never touches the journal. Every reader turns bad
//! bytes into located [`Diagnostics`], never a panic.

mod clean;
mod columns;
mod csv;
mod detect;
mod fields;
mod frab;
mod frab_json;
mod ics;
mod model;
mod ontime;
mod plan;
mod recur;
mod sheet;
mod table;
mod values;
mod writer;

use chrono::{NaiveDate, TimeDelta};
use chrono_tz::Tz;

use crate::diag::{Diagnostic, Diagnostics};

pub use detect::detect;
pub use fields::Field;
pub use values::DateOrder;

/// The biggest source file read: far above any real schedule (FOSDEM's full
/// export is ~5 MB), small enough to bound memory.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024 * 1024;

/// A source format `showcall import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-, semicolon-, tab- or pipe-separated text, UTF-8 with or without BOM.
    Csv,
    /// Excel 2007+ workbook.
    Xlsx,
    /// Excel 97–2003 workbook.
    Xls,
    /// OpenDocument spreadsheet (LibreOffice).
    Ods,
    /// frab/pentabarf `schedule.xml`.
    FrabXml,
    /// frab/pretalx `schedule.json`.
    FrabJson,
    /// iCalendar (RFC 5545).
    Ics,
    /// Ontime project JSON (`db.json`), v3 or v4.
    Ontime,
}

impl Format {
    /// The name used by `--format` and in the agenda's header comment.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::FrabXml => "frab-xml",
            Format::FrabJson => "frab-json",
            Format::Ics => "ics",
            Format::Ontime => "ontime",
        }
    }

    /// What the format is, in words, for the header comment.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Xlsx => "Excel workbook (xlsx)",
            Format::Xls => "Excel 97-2003 workbook (xls)",
            Format::Ods => "OpenDocument spreadsheet (ods)",
            Format::FrabXml => "frab/pentabarf schedule.xml",
            Format::FrabJson => "frab/pretalx schedule.json",
            Format::Ics => "iCalendar",
            Format::Ontime => "Ontime project",
        }
    }

    /// Every format, in `--format` order.
    pub const ALL: [Format; 8] = [
        Format::Csv,
        Format::Xlsx,
        Format::Xls,
        Format::Ods,
        Format::FrabXml,
        Format::FrabJson,
        Format::Ics,
        Format::Ontime,
    ];
}

/// `--day`: a conference day (1-based, frab's `index`, or the Nth date in
/// other sources) or a calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaySel {
    /// The Nth day, 1-based: frab's day `index`, or the Nth distinct date in
    /// other sources (`--day 2`).
    Index(u32),
    /// The sessions on this calendar date, in the schedule's own zone (`--day
    /// 2023-06-22`).
    Date(NaiveDate),
}

impl DaySel {
    /// `3` or `2023-06-22`.
    ///
    /// Errors, in words for the user: `0` (days count from 1), or neither a
    /// number nor a `YYYY-MM-DD` date.
    pub fn parse(s: &str) -> Result<DaySel, String> {
        let s = s.trim();
        if let Ok(n) = s.parse::<u32>() {
            if n == 0 {
                return Err("'0': days count from 1".into());
            }
            return Ok(DaySel::Index(n));
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(DaySel::Date)
            .map_err(|_| format!("'{s}': give a day number (1, 2, …) or a date YYYY-MM-DD"))
    }
}

/// Everything the command line can say about an import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Skip detection and read the source as this format.
    pub format: Option<Format>,
    /// The room whose running order to import (case-insensitive).
    pub room: Option<String>,
    /// Treat every room as one running order.
    pub all_rooms: bool,
    /// Only this day's sessions (`--day`); `None`: every day.
    pub day: Option<DaySel>,
    /// The event's zone, when the source has none or a contradictory one.
    pub timezone: Option<Tz>,
    /// The event's title, instead of the source's.
    pub title: Option<String>,
    /// Column names for spreadsheets: `(field, header)`.
    pub map: Vec<(Field, String)>,
    /// How to read numeric dates such as `12/7/2026` (`--date-order`).
    pub date_order: Option<DateOrder>,
    /// Rooms whose sessions (breaks, plenaries) go into every room's
    /// running order (`--shared-room`), besides rooms named "All rooms",
    /// "Plenary" and the like.
    pub shared_rooms: Vec<String>,
    /// The worksheet to read (spreadsheets).
    pub sheet: Option<String>,
    /// Trim the earlier of two overlapping sessions instead of refusing.
    pub allow_overlap: bool,
    /// The length of a last session that has neither end nor duration.
    pub last_duration: Option<TimeDelta>,
}

/// A finished import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The agenda, TOML, header comment included; `showcall check` accepts it.
    pub toml: String,
    /// What was detected or chosen.
    pub format: Format,
    /// How many sessions the agenda written has.
    pub sessions: usize,
    /// What the import decided (also in the header comment), one line each.
    pub notes: Vec<String>,
    /// The notes worth saying on stderr at once (columns not used, sessions
    /// put on the next day), sanitised; each is also in `notes`.
    pub warnings: Vec<String>,
}

/// Parses `--map start=Uhrzeit,title=Titel`: comma-separated
/// `FIELD=COLUMN` pairs, in order; the field by its [`Field::name`], the
/// column name as given (trimmed). Empty parts are skipped.
///
/// Errors, in words for the user: a part without `=`, or a field name
/// that is not one of [`Field::ALL`].
pub fn parse_map(s: &str) -> Result<Vec<(Field, String)>, String> {
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| {
            format!("'{part}': write FIELD=COLUMN, e.g. start=Uhrzeit,title=Titel")
        })?;
        let field = Field::from_name(k.trim()).ok_or_else(|| {
            format!(
                "'{}' is not a field: use one of {}",
                k.trim(),
                Field::ALL.map(Field::name).join(", ")
            )
        })?;
        out.push((field, v.trim().to_string()));
    }
    Ok(out)
}

/// Reads `bytes` (the file `file_name`) and writes the agenda.
///
/// Errors are located (`FILE:LINE:COL` in text formats, `FILE:Sheet!B14` in
/// spreadsheets), each with a hint; the caller exits 2 on them.
pub fn import(bytes: &[u8], file_name: &str, opts: &Options) -> Result<Imported, Diagnostics> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(one(Diagnostic::file_level(
            file_name,
            format!(
                "the file is {} MiB, more than the {} MiB an import reads",
                bytes.len() / (1024 * 1024),
                MAX_SOURCE_BYTES / (1024 * 1024)
            ),
        )));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(one(
            Diagnostic::file_level(file_name, "the file is empty")
                .with_help("give the schedule file itself (CSV, xlsx, ods, schedule.xml, schedule.json, .ics or Ontime db.json)"),
        ));
    }
    let format = match opts.format {
        Some(f) => f,
        None => detect(bytes, file_name).map_err(one)?,
    };
    let source = match format {
        Format::Csv => csv::read(bytes, file_name, opts)?,
        Format::Xlsx | Format::Xls | Format::Ods => sheet::read(bytes, file_name, format, opts)?,
        Format::FrabXml => frab::read(bytes, file_name)?,
        Format::FrabJson => frab_json::read(bytes, file_name)?,
        Format::Ics => ics::read(
            bytes,
            file_name,
            match opts.day {
                Some(DaySel::Date(d)) => Some(d),
                _ => None,
            },
        )?,
        Format::Ontime => ontime::read(bytes, file_name)?,
    };
    let plan = plan::plan(source, file_name, opts)?;
    let toml = writer::write(&plan, file_name, format);
    if toml.len() as u64 > crate::agenda::MAX_AGENDA_BYTES {
        return Err(one(Diagnostic::file_level(
            file_name,
            format!(
                "the agenda would be {} KiB ({} sessions), over the 1 MiB an agenda may be",
                toml.len() / 1024,
                plan.sessions.len()
            ),
        )
        .with_help("import one room (--room) or one day (--day) at a time")));
    }
    // The promise is that `check` accepts what we write: hold ourselves to it.
    if let Err(d) = crate::agenda::Agenda::parse(toml.as_bytes(), "agenda.toml") {
        let mut d = d;
        d.0.insert(
            0,
            Diagnostic::file_level(
                file_name,
                "the agenda made from this file does not pass `showcall check`",
            )
            .with_help("the problems below are in the written agenda; please report this with the source file"),
        );
        return Err(d);
    }
    Ok(Imported {
        toml,
        format,
        sessions: plan.sessions.len(),
        // Notes quote the source (its entry types, room names): the caller
        // prints them, so they leave through the sanitiser.
        notes: plan
            .notes
            .iter()
            .map(|n| crate::text::sanitize(n).into_owned())
            .collect(),
        warnings: plan
            .warnings
            .iter()
            .map(|n| crate::text::sanitize(n).into_owned())
            .collect(),
    })
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics(vec![d])
}

/// A `--last-duration`: `30m`, `1h30m`, `90s`, or `45` (minutes).
pub fn parse_duration(s: &str) -> Option<TimeDelta> {
    values::duration(&values::Cell::Text(s.to_string())).ok()
}
