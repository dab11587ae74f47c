//! The one internal model every reader produces: a [`Source`] of [`Item`]s
//! with times as the source wrote them. Readers fill it; `plan` alone
//! resolves zones, rooms and days.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta};
use chrono_tz::Tz;

use crate::diag::Diagnostic;

/// Where an item or a value came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Loc {
    /// Nowhere more precise than the file.
    #[default]
    File,
    /// A byte span of the source text.
    Text { start: usize, end: usize },
    /// The first occurrence of this exact text in the source (located only
    /// when an error needs it: searching for every item would be slow).
    Find(String),
    /// A spreadsheet cell; row and column 0-based.
    Cell { sheet: String, row: u32, col: u32 },
}

/// The column letters of a 0-based spreadsheet column: 0 → `A`, 27 → `AB`.
pub fn col_name(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

impl Loc {
    /// A diagnostic at this place of `file` (whose text is `src`, when it
    /// is text).
    pub fn diag(&self, file: &str, src: Option<&str>, message: impl Into<String>) -> Diagnostic {
        let message = message.into();
        match (self, src) {
            (Loc::Text { start, end }, Some(src)) => {
                Diagnostic::at(file, src, *start..*end, message)
            }
            (Loc::Find(needle), Some(src)) => match src.find(needle.as_str()) {
                Some(i) => Diagnostic::at(file, src, i..i + needle.len(), message),
                None => Diagnostic::file_level(file, message),
            },
            (Loc::Cell { sheet, row, col }, _) => Diagnostic::file_level(
                format!("{file}:{}!{}{}", sheet_ref(sheet), col_name(*col), row + 1),
                message,
            ),
            _ => Diagnostic::file_level(file, message),
        }
    }
}

/// A sheet name as a spreadsheet formula writes it: quoted when it has
/// spaces or punctuation (`'Event schedule'!B14`).
fn sheet_ref(name: &str) -> String {
    if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// The day of a wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSpec {
    /// Written in the source.
    Known(NaiveDate),
    /// The source has no dates (Ontime, a sheet without a date column): this
    /// many days after the date given with `--day`.
    Offset(i64),
}

/// A time as the source wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Wall-clock time in the event's zone (resolved by `plan`).
    Clock {
        /// Its day.
        date: DateSpec,
        /// Its local time of day.
        time: NaiveTime,
    },
    /// An exact instant with the offset the source gave.
    Instant(DateTime<FixedOffset>),
    /// An exact instant in a named zone (iCalendar `TZID`).
    Zoned(DateTime<Tz>),
}

/// One session-to-be.
#[derive(Debug, Clone, Default)]
pub struct Item {
    /// Where the item is (its row, its element), for messages.
    pub loc: Loc,
    /// Where its start is written, if more precise than `loc`.
    pub start_loc: Option<Loc>,
    /// The source's own id (guid, UID, Ontime id, an id column), raw.
    pub id: Option<String>,
    /// The session's title, as the reader cleaned it (entities decoded,
    /// markup stripped, unsafe characters replaced: `clean`).
    pub title: String,
    /// The room (or location, stage) it is in, as the source names it, for
    /// `--room`; `None` when the source names none.
    pub room: Option<String>,
    /// frab's conference day (1-based `index`), which may differ from the
    /// calendar date after midnight.
    pub day: Option<u32>,
    /// When it starts; `None` when the source gives no start (a problem `plan`
    /// reports).
    pub start: Option<When>,
    /// When it ends, if the source says.
    pub end: Option<When>,
    /// How long it lasts, if the source says (instead of, or beside, `end`).
    pub duration: Option<TimeDelta>,
    /// When only a time of day is given for the end, an end at or before the
    /// start means the next day (a session over midnight).
    pub end_rolls: bool,
    /// Who speaks, in the source's order.
    pub speakers: Vec<String>,
    /// Who moderates, chairs or hosts: a role, not a speaker.
    pub moderators: Vec<String>,
    /// Notes for the crew (a description or comments column), if any.
    pub notes: Option<String>,
}

/// A source's time zone as it states it.
#[derive(Debug, Clone, Default)]
pub struct ZoneHint {
    /// The zone named in the source, raw (`Europe/Berlin`, `UTC`).
    pub name: Option<String>,
    /// Where it is named.
    pub loc: Loc,
}

/// Everything a reader found.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The source text, for locating errors (none for spreadsheets).
    pub text: Option<String>,
    /// The event's title as the source gives it (frab's conference title, a
    /// calendar's name), if any; `--title` overrides it.
    pub title: Option<String>,
    /// The time zone the source states, if any, and where.
    pub zone: ZoneHint,
    /// Offsets written in the source are local to its zone (frab JSON's
    /// `date`): they must agree with the zone. iCalendar's `Z` is not.
    pub offsets_are_local: bool,
    /// Conference days (frab): index → date.
    pub days: Vec<(u32, NaiveDate)>,
    /// The sessions-to-be, in source order.
    pub items: Vec<Item>,
    /// Rows or entries that are not sessions, with why: ("group row", n).
    pub skipped: Vec<(String, usize)>,
    /// What the reader decided, for the header comment.
    pub notes: Vec<String>,
    /// Notes the user should see at once, on stderr too (columns not
    /// used); each is also in `notes`.
    pub warnings: Vec<String>,
    /// What the reader chose that the user may want to change (the sheet).
    pub chosen: Vec<String>,
    /// Some rows without a date were put on a later day because their
    /// start goes back more than 12 hours from the row before (a schedule
    /// past midnight).
    pub rolled_by_order: bool,
    /// The source has no dates at all: `--day YYYY-MM-DD` is needed.
    pub dateless: bool,
    /// Every room the source lists, sessions or not (frab lists empty ones).
    pub rooms_listed: Vec<String>,
}

impl Source {
    /// Counts one more item skipped for `why`.
    pub fn skip(&mut self, why: &str) {
        match self.skipped.iter_mut().find(|(w, _)| w == why) {
            Some((_, n)) => *n += 1,
            None => self.skipped.push((why.to_string(), 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        // A..Z are 0..25; 26 → AA; 27 → AB; 701 = 26 + 26*26 - 1 → ZZ.
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(1), "B");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(27), "AB");
        assert_eq!(col_name(701), "ZZ");
        assert_eq!(col_name(702), "AAA");
    }

    #[test]
    fn cell_locations_quote_sheet_names() {
        let loc = Loc::Cell {
            sheet: "Event schedule".into(),
            row: 13,
            col: 1,
        };
        assert_eq!(
            loc.diag("t.xlsx", None, "bad").to_string(),
            "t.xlsx:'Event schedule'!B14: bad"
        );
        let loc = Loc::Cell {
            sheet: "Sheet1".into(),
            row: 0,
            col: 0,
        };
        assert_eq!(
            loc.diag("t.xlsx", None, "bad").to_string(),
            "t.xlsx:Sheet1!A1: bad"
        );
    }
}
