//! Rows and columns, from CSV or a worksheet, into items: find the header
//! row, map columns by name (or `--map`), read each row's values. Shared by
//! the `csv` and `sheet` readers so both read the same columns the same way.

use super::clean;
use super::model::{DateSpec, Item, Loc, Source, When, col_name};
use super::values::{self, Cell, TimeValue};
use crate::diag::Diagnostic;

/// A column an import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Start,
    End,
    Duration,
    Title,
    Speakers,
    Notes,
    Id,
    Date,
    Room,
    /// Ontime's "Timer Type": group and milestone rows are not sessions.
    Kind,
    /// The event's zone (written by `showcall export`).
    Timezone,
    /// Ontime's "Skip": a row marked x, true or yes is not a session.
    Skip,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::Start,
        Field::End,
        Field::Duration,
        Field::Title,
        Field::Speakers,
        Field::Notes,
        Field::Id,
        Field::Date,
        Field::Room,
        Field::Kind,
        Field::Timezone,
        Field::Skip,
    ];

    /// The name `--map` uses.
    pub fn name(self) -> &'static str {
        match self {
            Field::Start => "start",
            Field::End => "end",
            Field::Duration => "duration",
            Field::Title => "title",
            Field::Speakers => "speakers",
            Field::Notes => "notes",
            Field::Id => "id",
            Field::Date => "date",
            Field::Room => "room",
            Field::Kind => "type",
            Field::Timezone => "timezone",
            Field::Skip => "skip",
        }
    }

    /// `--map` names, with a few plurals and synonyms accepted.
    pub fn from_name(s: &str) -> Option<Field> {
        let s = s.to_ascii_lowercase();
        Field::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .or(match s.as_str() {
                "speaker" | "presenter" => Some(Field::Speakers),
                "note" => Some(Field::Notes),
                "location" => Some(Field::Room),
                "zone" => Some(Field::Timezone),
                _ => None,
            })
    }

    /// Headers that name this field, lowercase, punctuation as spaces.
    /// English, Ontime's own, and the German, French and Spanish a crew in
    /// Geneva meets.
    fn headers(self) -> &'static [&'static str] {
        match self {
            Field::Start => &[
                "start",
                "time",
                "begin",
                "starts",
                "start time",
                "time start",
                "begins",
                "from",
                "uhrzeit",
                "beginn",
                "zeit",
                "start zeit",
                "startzeit",
                "debut",
                "début",
                "heure",
                "heure de debut",
                "heure de début",
                "inicio",
                "hora",
                "hora de inicio",
            ],
            Field::End => &[
                "end",
                "ends",
                "end time",
                "time end",
                "finish",
                "to",
                "until",
                "ende",
                "endzeit",
                "fin",
                "heure de fin",
                "hora de fin",
            ],
            Field::Duration => &[
                "duration",
                "length",
                "dur",
                "minutes",
                "mins",
                "dauer",
                "länge",
                "duree",
                "durée",
                "duracion",
                "duración",
            ],
            Field::Title => &[
                "title",
                "session",
                "name",
                "event",
                "talk",
                "item",
                "session title",
                "subject",
                "session name",
                "talk title",
                "event name",
                "titel",
                "thema",
                "vortrag",
                "titre",
                "intitule",
                "intitulé",
                "titulo",
                "título",
                "sesion",
                "sesión",
            ],
            Field::Speakers => &[
                "speakers",
                "speaker",
                "speaker s",
                "presenter",
                "presenters",
                "persons",
                "person",
                "who",
                "vortragende",
                "vortragender",
                "referent",
                "referenten",
                "sprecher",
                "intervenant",
                "intervenants",
                "orateur",
                "orateurs",
                "ponente",
                "ponentes",
                "moderator",
                "moderators",
                "moderation",
                "moderateur",
                "modérateur",
                "moderatrice",
                "modératrice",
                "moderador",
                "moderadora",
                "host",
                "hosts",
                "chair",
                "panelist",
                "panellist",
                "panelists",
                "guest",
                "guests",
                "animateur",
                "speaker name",
                "presenter name",
                "redner",
                "rednerin",
            ],
            Field::Notes => &[
                "notes",
                "note",
                "description",
                "comments",
                "comment",
                "remarks",
                "bemerkung",
                "bemerkungen",
                "notiz",
                "notizen",
                "beschreibung",
                "remarques",
                "notas",
            ],
            Field::Id => &["id", "uid", "guid", "key", "session id"],
            Field::Date => &[
                "date",
                "day",
                "start date",
                "event date",
                "datum",
                "tag",
                "jour",
                "fecha",
                "dia",
                "día",
            ],
            Field::Room => &[
                "room",
                "location",
                "venue",
                "where",
                "stage",
                "track room",
                "ort",
                "raum",
                "saal",
                "salle",
                "lieu",
                "sala",
                "lugar",
            ],
            Field::Kind => &["timer type", "type", "kind", "entry type", "typ", "art"],
            Field::Timezone => &["timezone", "time zone", "zone", "tz"],
            Field::Skip => &["skip", "skipped"],
        }
    }
}

/// `"Time Start"` → `"time start"`, `"Vortragende 1"` → `"vortragende 1"`.
fn norm(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A header's words with the spaces left out, so `StartTime`, `Start-Time`
/// and `start time` are one key.
fn compact(s: &str) -> String {
    s.chars().filter(|c| *c != ' ').collect()
}

/// Plurals that name something else than their singular: `Tags` (labels)
/// is not `Tag` (German for day), `Names` may be speakers or titles,
/// `Horas` (hours) is not `Hora` (the start).
const NOT_PLURALS: [&str; 3] = ["tags", "names", "horas"];

/// The keys a normalised header may stand for, most literal first: as
/// written; without a `(s)`/`(es)` mark (`presenter s`); without a
/// bracketed tail (`Duration (min)`, `Start [CEST]`); each also singular or
/// plural (`Moderators`, `Note`).
fn header_keys(raw: &str) -> Vec<String> {
    let n = norm(raw);
    let mut bases = vec![n.clone()];
    for mark in [" s", " es"] {
        if let Some(b) = n.strip_suffix(mark) {
            bases.push(b.to_string());
        }
    }
    let t = raw.trim_end();
    if let Some(open) = t
        .strip_suffix(')')
        .and_then(|b| b.rfind('('))
        .or_else(|| t.strip_suffix(']').and_then(|b| b.rfind('[')))
    {
        let tail = norm(&t[open..]);
        // A duration in hours would be read as minutes: not that one.
        let hours = [
            "h", "hr", "hrs", "hour", "hours", "std", "stunden", "heures", "horas",
        ];
        let is_duration = Field::Duration
            .headers()
            .contains(&norm(&t[..open]).as_str());
        if !(is_duration && hours.contains(&tail.as_str())) {
            bases.push(norm(&t[..open]));
        }
    }
    let mut keys = Vec::new();
    for b in bases.into_iter().filter(|b| !b.is_empty()) {
        keys.push(compact(&b));
        if NOT_PLURALS.contains(&b.as_str()) {
            continue;
        }
        if let Some(one) = b.strip_suffix('s').filter(|o| o.len() >= 2) {
            keys.push(compact(one));
        } else {
            keys.push(compact(&format!("{b}s")));
        }
    }
    keys
}

/// The field a header names: by the keys of [`header_keys`] (case,
/// punctuation, spacing, a `(s)`, a bracketed tail, singular or plural
/// ignored), or a speakers header numbered (`Speaker 2`, `Vortragende 5`).
fn field_of(header: &str) -> Option<Field> {
    if norm(header).is_empty() {
        return None;
    }
    let find = |key: &str| {
        Field::ALL
            .into_iter()
            .find(|f| f.headers().iter().any(|h| compact(h) == key))
    };
    let keys = header_keys(header);
    if let Some(f) = keys.iter().find_map(|k| find(k)) {
        return Some(f);
    }
    let n = norm(header);
    let base = n.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
    (base != n
        && !base.is_empty()
        && header_keys(base)
            .iter()
            .any(|k| find(k) == Some(Field::Speakers)))
    .then_some(Field::Speakers)
}

/// A table: rows of cells, each cell with where it is.
pub struct Table {
    pub rows: Vec<Vec<(Cell, Loc)>>,
    /// What to call a row in messages: `line 14`, `row 14`.
    pub row_name: Box<dyn Fn(&Loc) -> String>,
}

/// Which column holds which field.
struct Columns {
    by_field: Vec<(Field, usize)>,
    speakers: Vec<usize>,
    /// Each column's name: its header, or with the label above it.
    names: Vec<String>,
}

impl Columns {
    fn get(&self, f: Field) -> Option<usize> {
        self.by_field.iter().find(|(g, _)| *g == f).map(|(_, c)| *c)
    }
}

/// In a table without dates, a start more than this much earlier than the
/// row before it is taken as the next day. Half a day: a running order that
/// goes back more than 12 hours cannot be the same day read in order, while
/// rows out of order by a few hours (14:00 then 09:00) are the same day.
const ROLLOVER: chrono::TimeDelta = chrono::TimeDelta::hours(12);

/// How many rows to search for the header (Ontime's template has 12 rows of
/// instructions above it).
const HEADER_SEARCH_ROWS: usize = 50;

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

fn map_header(
    row: &[(Cell, Loc)],
    above: Option<&[(Cell, Loc)]>,
    map: &[(Field, String)],
) -> Columns {
    let mut cols = Columns {
        by_field: Vec::new(),
        speakers: Vec::new(),
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
            .any(|(f, _)| Some(*f) == field_of(&text) && *f != Field::Speakers);
        let field = mapped.or_else(|| if taken_by_map { None } else { field_of(&text) });
        match field {
            Some(Field::Speakers) => cols.speakers.push(i),
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
fn unused_columns(table: &Table, header_at: usize, cols: &Columns) -> Option<String> {
    let header = &table.rows[header_at];
    let body = &table.rows[header_at + 1..];
    let width = table.rows[header_at..]
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for i in 0..width {
        if cols.by_field.iter().any(|(_, c)| *c == i) || cols.speakers.contains(&i) {
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

/// Reads a table into `source.items`. Errors in values are collected, all
/// of them, as located diagnostics.
pub fn read(
    table: &Table,
    file: &str,
    src: Option<&str>,
    map: &[(Field, String)],
    source: &mut Source,
) -> Result<(), Vec<Diagnostic>> {
    let Some((header_at, cols)) = table
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
        })
    else {
        let first = table
            .rows
            .iter()
            .find(|r| r.iter().any(|(c, _)| !c.is_empty()));
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
        return Err(vec![loc.diag(file, src, msg).with_help(
            "name the columns with --map, e.g. --map start=Uhrzeit,title=Titel,duration=Dauer \
             (fields: start, end, duration, title, speakers, notes, id, date, room, type, timezone, skip)",
        )]);
    };
    let header = &table.rows[header_at];
    let mut found: Vec<String> = cols
        .by_field
        .iter()
        .map(|(f, c)| format!("{}={}", f.name(), cols.names[*c]))
        .collect();
    if !cols.speakers.is_empty() {
        let names: Vec<String> = cols
            .speakers
            .iter()
            .map(|c| cols.names[*c].clone())
            .collect();
        found.push(format!("speakers={}", names.join("+")));
    }
    source.chosen.push(format!(
        "header: {} ({})",
        (table.row_name)(&header[0].1),
        found.join(", ")
    ));
    if let Some(unused) = unused_columns(table, header_at, &cols) {
        source.notes.push(unused.clone());
        source.warnings.push(unused);
    }
    if header_at > 0 {
        source.notes.push(if header_at == 1 {
            "1 row above the header was ignored".to_string()
        } else {
            format!("{header_at} rows above the header were ignored")
        });
    }
    let mut errors = Vec::new();
    let mut last_date: Option<chrono::NaiveDate> = None;
    // Rows without a date: how many midnights the running order has passed,
    // and the last start seen.
    let mut day_offset = 0i64;
    let mut prev_start: Option<chrono::NaiveTime> = None;
    let cell = |row: &[(Cell, Loc)], f: Option<usize>| -> Option<(Cell, Loc)> {
        let (c, l) = row.get(f?)?;
        (!c.is_empty()).then(|| (c.clone(), l.clone()))
    };
    for row in &table.rows[header_at + 1..] {
        if row.iter().all(|(c, _)| c.is_empty()) {
            source.skip("empty row");
            continue;
        }
        if let Some((z, l)) = cell(row, cols.get(Field::Timezone))
            && source.zone.name.is_none()
        {
            source.zone.name = Some(z.text());
            source.zone.loc = l;
        }
        let row_loc = row.first().map(|(_, l)| l.clone()).unwrap_or_default();
        let mut item = Item {
            loc: row_loc,
            end_rolls: true,
            ..Item::default()
        };
        let mut bad = |l: &Loc, m: String| errors.push(l.diag(file, src, m));
        let date = match cell(row, cols.get(Field::Date)) {
            Some((c, l)) => match values::date(&c) {
                Ok(d) => {
                    last_date = Some(d);
                    Some(d)
                }
                Err(m) => {
                    bad(&l, m);
                    continue;
                }
            },
            // A sheet often names the day once, on its first row.
            None => last_date,
        };
        if let Some((kind, _)) = cell(row, cols.get(Field::Kind)) {
            let k = norm(&kind.text());
            if k.starts_with("group") || k == "milestone" || k == "block" || k == "delay" {
                source.skip(&format!("{} row", k.split(' ').next().unwrap_or("group")));
                continue;
            }
        }
        if let Some((flag, _)) = cell(row, cols.get(Field::Skip))
            && matches!(
                norm(&flag.text()).as_str(),
                "x" | "true" | "yes" | "y" | "1" | "ja" | "oui" | "si" | "sí" | "wahr"
            )
        {
            source.skip("row marked skip");
            continue;
        }
        let start = match cell(row, cols.get(Field::Start)) {
            Some((c, l)) => match values::time(&c) {
                Ok(v) => Some((v, l)),
                Err(m) => {
                    bad(&l, m);
                    continue;
                }
            },
            None => None,
        };
        let spec = match date {
            Some(d) => DateSpec::Known(d),
            None => {
                // No date: in file order, a start that goes back more than
                // 12 hours from the row before is the next day (23:30, then
                // 00:30). Going back 12 hours or less is the same day, out
                // of order, and sorted (with a note).
                if let Some((TimeValue::Time(t), _)) = &start {
                    if prev_start.is_some_and(|p: chrono::NaiveTime| p - *t > ROLLOVER) {
                        day_offset += 1;
                        source.rolled_by_order = true;
                    }
                    prev_start = Some(*t);
                }
                DateSpec::Offset(day_offset)
            }
        };
        let when = |v: TimeValue| match v {
            TimeValue::Time(t) => When::Clock {
                date: spec,
                time: t,
            },
            TimeValue::DateTime(dt) => When::Clock {
                date: DateSpec::Known(dt.date()),
                time: dt.time(),
            },
            TimeValue::Instant(i) => When::Instant(i),
        };
        if let Some((v, l)) = start {
            if let TimeValue::DateTime(dt) = v {
                last_date = Some(dt.date());
            }
            item.start = Some(when(v));
            item.start_loc = Some(l);
        }
        if let Some((c, l)) = cell(row, cols.get(Field::End)) {
            match values::time(&c) {
                Ok(v) => {
                    item.end_rolls = matches!(v, TimeValue::Time(_));
                    item.end = Some(when(v));
                }
                Err(m) => bad(&l, m),
            }
        }
        if let Some((c, l)) = cell(row, cols.get(Field::Duration)) {
            match values::duration(&c) {
                Ok(d) => item.duration = Some(d),
                // Ontime writes 0 for a row whose length follows from its neighbours.
                Err(_) if matches!(c, Cell::Number(n) if n == 0.0) || c.text() == "0" => {}
                Err(m) => bad(&l, m),
            }
        }
        if let Some((c, _)) = cell(row, cols.get(Field::Title)) {
            item.title = clean::line(&c.text());
        }
        for col in &cols.speakers {
            if let Some((c, _)) = cell(row, Some(*col)) {
                item.speakers.extend(
                    c.text()
                        .split([';', '\n'])
                        .map(clean::line)
                        .filter(|s| !s.is_empty()),
                );
            }
        }
        if let Some((c, _)) = cell(row, cols.get(Field::Notes)) {
            item.notes = Some(clean::notes(&c.text())).filter(|n| !n.is_empty());
        }
        if let Some((c, _)) = cell(row, cols.get(Field::Id)) {
            item.id = Some(c.text());
        }
        if let Some((c, _)) = cell(row, cols.get(Field::Room)) {
            item.room = Some(clean::line(&c.text())).filter(|r| !r.is_empty());
        }
        if item.start.is_none() && item.duration.is_none() && item.end.is_none() {
            source.skip("row with no time (a heading?)");
            continue;
        }
        if item.title.is_empty() {
            item.title = "(untitled)".into();
            source.notes.push(format!(
                "{} has no title: called \"(untitled)\"",
                (table.row_name)(&item.loc)
            ));
        }
        source.items.push(item);
    }
    if cols.get(Field::Date).is_none()
        && !source.items.iter().any(|i| {
            matches!(
                i.start,
                Some(When::Clock {
                    date: DateSpec::Known(_),
                    ..
                }) | Some(When::Instant(_))
            )
        })
    {
        source.dateless = true;
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
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
    fn headers_people_write() {
        assert_eq!(field_of("Time Start"), Some(Field::Start));
        assert_eq!(field_of("Uhrzeit"), Some(Field::Start));
        assert_eq!(field_of("TITLE"), Some(Field::Title));
        assert_eq!(field_of("Vortragende 3"), Some(Field::Speakers));
        assert_eq!(field_of("Speaker(s)"), Some(Field::Speakers));
        assert_eq!(field_of("Timer Type"), Some(Field::Kind));
        assert_eq!(field_of("Ort"), Some(Field::Room));
        assert_eq!(field_of("Colour"), None);
        assert_eq!(field_of("3"), None);
    }

    #[test]
    fn headers_with_decorations() {
        // A trailing (s) or (es), plural or singular, case, punctuation,
        // spacing, a bracketed tail: all the same field.
        for (h, f) in [
            ("Presenter(s)", Field::Speakers),
            ("presenter (s)", Field::Speakers),
            ("Moderator", Field::Speakers),
            ("Moderators", Field::Speakers),
            ("Host", Field::Speakers),
            ("  HOSTS  ", Field::Speakers),
            ("Moderator 2", Field::Speakers),
            ("Note(s)", Field::Notes),
            ("Notes:", Field::Notes),
            ("StartTime", Field::Start),
            ("start_time", Field::Start),
            ("Start time (CEST)", Field::Start),
            ("Ends", Field::End),
            ("Titles", Field::Title),
            ("Duration (min)", Field::Duration),
            ("Duration [minutes]", Field::Duration),
            ("IDs", Field::Id),
            ("Room(s)", Field::Room),
            ("Dates", Field::Date),
        ] {
            assert_eq!(field_of(h), Some(f), "{h}");
        }
        // Not the same: a duration in hours would be read as minutes;
        // Tags are labels, not days (German Tag); Names could be titles or
        // speakers. These are left for --map, and named as unused.
        for h in ["Duration (hours)", "Dauer (Std)", "Tags", "Names", "(s)"] {
            assert_eq!(field_of(h), None, "{h}");
        }
    }

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

    #[test]
    fn unguards_formulas_only() {
        assert_eq!(unguard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unguard("'-5 min warm-up"), "-5 min warm-up");
        assert_eq!(unguard("'tis the season"), "'tis the season");
    }
}
