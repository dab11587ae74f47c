//! Reading a line's fields: the [`Raw`] every known kind's fields land in,
//! and one small parser per kind, found by the kind's name in [`PARSERS`].
//!
//! Each parser takes the fields its kind needs and says which one is
//! missing or wrong, located on the line; a kind not in the table is kept
//! as `Kind::Unknown` by the caller.

use std::borrow::Cow;

use chrono::DateTime;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{ParseError, serde_error, unknown_from_map};
use crate::journal::{
    AgendaChange, ClockRecord, Entry, JournalClock, Kind, PlanItem, SpeakerChange,
};

/// Every field any known kind has. Strings stay owned: lines with escapes
/// cannot be borrowed, and parsing is far below the 1 µs/line budget anyway.
#[derive(Deserialize)]
pub(super) struct Raw<'a> {
    v: Option<u64>,
    seq: Option<u64>,
    // Borrowed from the line where it has no escapes (always, as showcall
    // writes them): two allocations fewer per entry read.
    #[serde(borrow)]
    at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    kind: Option<Cow<'a, str>>,
    agenda: Option<String>,
    sha256: Option<String>,
    version: Option<String>,
    session: Option<String>,
    over_s: Option<i64>,
    note: Option<String>,
    change: Option<String>,
    from: Option<String>,
    to: Option<String>,
    delta_s: Option<i64>,
    speaker: Option<String>,
    text: Option<String>,
    target: Option<SeqOrText>,
    floor: Option<u64>,
    clock: Option<String>,
    clock_wall: Option<String>,
    clock_show: Option<String>,
    clock_speed: Option<f64>,
    shift_s: Option<i64>,
    step_s: Option<i64>,
    added: Option<Vec<String>>,
    removed: Option<Vec<String>>,
    retimed: Option<Vec<String>>,
    retitled: Option<Vec<String>>,
    was: Option<Vec<RawPlanItem>>,
    who: Option<String>,
    by: Option<String>,
    reason: Option<String>,
    start: Option<String>,
    cue: Option<String>,
    on: Option<String>,
    error: Option<String>,
    /// Any JSON value: one of another type is read as if absent.
    source: Option<Value>,
}

/// `target`: a seq in an `undo`, a text (where a cue went) in a
/// `cue_failed`.
#[derive(Deserialize)]
#[serde(untagged)]
enum SeqOrText {
    Seq(u64),
    Text(String),
}

/// One item of an `agenda` entry's `was`.
#[derive(Deserialize)]
struct RawPlanItem {
    session: String,
    title: String,
    start: String,
    end: String,
}

/// Builds a line's entry from its fields: the common ones (`v`, `seq`,
/// `at`) checked here, the kind's own by its parser in [`PARSERS`].
pub(super) fn from_raw(raw: &mut Raw<'_>, line: &[u8]) -> Result<Entry, ParseError> {
    let v = raw
        .v
        .ok_or_else(|| ParseError::whole("missing field 'v'"))?;
    if v == 0 || v > u64::from(u32::MAX) {
        return Err(ParseError::at_field(
            line,
            "v",
            format!("unsupported format version {v}"),
        ));
    }
    let seq = raw
        .seq
        .ok_or_else(|| ParseError::whole("missing field 'seq'"))?;
    if seq == 0 {
        return Err(ParseError::at_field(line, "seq", "'seq' must start at 1"));
    }
    let at_text = raw
        .at
        .take()
        .ok_or_else(|| ParseError::whole("missing field 'at'"))?;
    let at = DateTime::parse_from_rfc3339(&at_text).map_err(|e| {
        ParseError::at_field(
            line,
            "at",
            format!(
                "'at' is not an RFC 3339 time with an offset: '{}' ({e})",
                crate::text::sanitize(&at_text)
            ),
        )
    })?;
    let kind_name = raw
        .kind
        .take()
        .ok_or_else(|| ParseError::whole("missing field 'kind'"))?;
    let Some(&(_, parse)) = PARSERS.iter().find(|(name, _)| *name == kind_name) else {
        let map =
            serde_json::from_slice::<Map<String, Value>>(line).map_err(|e| serde_error(e, line))?;
        return unknown_from_map(map, line);
    };
    let source = super::source_of(raw.source.take().as_ref());
    let kind = parse(
        raw,
        &Need {
            line,
            kind: &kind_name,
        },
    )?;
    Ok(Entry {
        v: v as u32,
        seq,
        at,
        kind,
        source,
    })
}

/// One kind's parser: its fields from the line's [`Raw`].
type KindParser = fn(&mut Raw<'_>, &Need<'_>) -> Result<Kind, ParseError>;

/// Every kind this version reads, by name, with its parser.
const PARSERS: [(&str, KindParser); 20] = [
    ("open", open),
    ("start", start),
    ("end", end),
    ("overrun", overrun),
    ("speaker", speaker),
    ("adjust", adjust),
    ("floor", floor),
    ("floor_close", floor_close),
    ("floor_name", floor_name),
    ("message", message),
    ("note", note),
    ("skip", skip),
    ("action", action),
    ("hold", hold),
    ("resume", resume),
    ("start_fix", start_fix),
    ("agenda", agenda),
    ("clock_step", clock_step),
    ("undo", undo),
    ("cue_failed", cue_failed),
];

/// The line and its kind's name, to say which required field is missing.
struct Need<'a> {
    line: &'a [u8],
    kind: &'a str,
}

impl Need<'_> {
    fn missing(&self, name: &str) -> ParseError {
        ParseError::at_field(
            self.line,
            "kind",
            format!("missing field '{name}' for kind '{}'", self.kind),
        )
    }

    /// A required text field.
    fn str(&self, val: Option<String>, name: &str) -> Result<String, ParseError> {
        val.ok_or_else(|| self.missing(name))
    }

    /// A required whole-number field.
    fn int(&self, val: Option<i64>, name: &str) -> Result<i64, ParseError> {
        val.ok_or_else(|| self.missing(name))
    }
}

// The session's life: open, start, end, overrun, adjust, skip.

fn open(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    // The clock is checked first, as before the table: its errors are
    // located on its own fields.
    let clock = clock_from_raw(
        &ClockFields {
            clock: raw.clock.take(),
            wall: raw.clock_wall.take(),
            show: raw.clock_show.take(),
            speed: raw.clock_speed,
            shift_s: raw.shift_s,
        },
        need.line,
    )?;
    Ok(Kind::Open {
        agenda: need.str(raw.agenda.take(), "agenda")?,
        sha256: need.str(raw.sha256.take(), "sha256")?,
        version: need.str(raw.version.take(), "version")?,
        clock: clock.map(Box::new),
    })
}

fn start(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Start {
        session: need.str(raw.session.take(), "session")?,
    })
}

fn end(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::End {
        session: need.str(raw.session.take(), "session")?,
    })
}

fn overrun(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Overrun {
        session: need.str(raw.session.take(), "session")?,
        over_s: need.int(raw.over_s, "over_s")?,
        note: need.str(raw.note.take(), "note")?,
    })
}

fn adjust(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Adjust {
        session: need.str(raw.session.take(), "session")?,
        delta_s: need.int(raw.delta_s, "delta_s")?,
        note: raw.note.take(),
    })
}

fn skip(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Skip {
        session: need.str(raw.session.take(), "session")?,
        note: need.str(raw.note.take(), "note")?,
    })
}

// Who speaks: speaker changes and the floor.

fn speaker(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    let change_text = need.str(raw.change.take(), "change")?;
    let change = SpeakerChange::parse(&change_text).ok_or_else(|| {
        ParseError::at_field(
            need.line,
            "change",
            format!(
                "'change' must be 'replace', 'add' or 'remove', not '{}'",
                crate::text::sanitize(&change_text)
            ),
        )
    })?;
    Ok(Kind::Speaker {
        session: need.str(raw.session.take(), "session")?,
        change,
        from: raw.from.take(),
        to: raw.to.take(),
        note: raw.note.take(),
    })
}

fn floor(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Floor {
        session: need.str(raw.session.take(), "session")?,
        speaker: raw.speaker.take(),
    })
}

fn floor_close(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::FloorClose {
        session: need.str(raw.session.take(), "session")?,
    })
}

fn floor_name(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::FloorName {
        session: need.str(raw.session.take(), "session")?,
        floor: raw.floor.ok_or_else(|| {
            ParseError::at_field(
                need.line,
                "kind",
                "'floor_name' needs 'floor', the seq of its floor entry",
            )
        })?,
        speaker: need.str(raw.speaker.take(), "speaker")?,
    })
}

// Words: messages, notes, action points.

fn message(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Message {
        text: need.str(raw.text.take(), "text")?,
    })
}

fn note(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Note {
        text: need.str(raw.text.take(), "text")?,
        session: raw.session.take(),
    })
}

fn action(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Action {
        text: need.str(raw.text.take(), "text")?,
        who: raw.who.take(),
        by: raw.by.take(),
        session: raw.session.take(),
    })
}

// Safe hands: hold, resume, a corrected start.

fn hold(raw: &mut Raw<'_>, _: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Hold {
        session: raw.session.take(),
        reason: raw.reason.take(),
    })
}

fn resume(raw: &mut Raw<'_>, _: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Resume {
        session: raw.session.take(),
    })
}

fn start_fix(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    let text = need.str(raw.start.take(), "start")?;
    let start = DateTime::parse_from_rfc3339(&text).map_err(|e| {
        ParseError::at_field(
            need.line,
            "start",
            format!(
                "'start' is not an RFC 3339 time with an offset: '{}' ({e})",
                crate::text::sanitize(&text)
            ),
        )
    })?;
    Ok(Kind::StartFix {
        session: need.str(raw.session.take(), "session")?,
        start,
        note: raw.note.take(),
    })
}

// The record itself: agenda changes, clock steps, undo.

fn agenda(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    let mut was = Vec::new();
    for p in raw.was.take().unwrap_or_default() {
        let time = |field: &str, text: &str| {
            DateTime::parse_from_rfc3339(text).map_err(|e| {
                ParseError::at_field(
                    need.line,
                    "was",
                    format!(
                        "'was' {field} of '{}' is not an RFC 3339 time: '{}' ({e})",
                        crate::text::sanitize(&p.session),
                        crate::text::sanitize(text)
                    ),
                )
            })
        };
        was.push(PlanItem {
            start: time("start", &p.start)?,
            end: time("end", &p.end)?,
            session: p.session,
            title: p.title,
        });
    }
    Ok(Kind::Agenda(Box::new(AgendaChange {
        sha256: need.str(raw.sha256.take(), "sha256")?,
        added: raw.added.take().unwrap_or_default(),
        removed: raw.removed.take().unwrap_or_default(),
        retimed: raw.retimed.take().unwrap_or_default(),
        retitled: raw.retitled.take().unwrap_or_default(),
        was,
    })))
}

fn clock_step(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::ClockStep {
        step_s: need.int(raw.step_s, "step_s")?,
        note: raw.note.take(),
    })
}

fn cue_failed(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::CueFailed {
        cue: need.str(raw.cue.take(), "cue")?,
        on: need.str(raw.on.take(), "on")?,
        session: raw.session.take(),
        target: need.str(
            match raw.target.take() {
                Some(SeqOrText::Text(t)) => Some(t),
                _ => None,
            },
            "target",
        )?,
        error: need.str(raw.error.take(), "error")?,
    })
}

fn undo(raw: &mut Raw<'_>, need: &Need<'_>) -> Result<Kind, ParseError> {
    Ok(Kind::Undo {
        target: match raw.target.take() {
            Some(SeqOrText::Seq(n)) => Some(n),
            _ => None,
        }
        .ok_or_else(|| {
            ParseError::at_field(need.line, "kind", "missing field 'target' for kind 'undo'")
        })?,
    })
}

/// The `open` entry's clock fields (docs/journal.md, "The journal's clock").
/// None when the line has no `clock`: an older writer, a real clock.
struct ClockFields {
    clock: Option<String>,
    wall: Option<String>,
    show: Option<String>,
    speed: Option<f64>,
    shift_s: Option<i64>,
}

fn clock_from_raw(raw: &ClockFields, line: &[u8]) -> Result<Option<ClockRecord>, ParseError> {
    let Some(name) = raw.clock.as_deref() else {
        if raw.shift_s.is_some() {
            return Err(ParseError::at_field(
                line,
                "shift_s",
                "'shift_s' needs a 'clock' (\"real\" or \"show\")",
            ));
        }
        return Ok(None);
    };
    let instant = |field: &str, value: &Option<String>| {
        let text = value.as_deref().ok_or_else(|| {
            ParseError::at_field(
                line,
                "clock",
                format!("missing field '{field}' for a show clock"),
            )
        })?;
        DateTime::parse_from_rfc3339(text).map_err(|e| {
            ParseError::at_field(
                line,
                field,
                format!(
                    "'{field}' is not an RFC 3339 time with an offset: '{}' ({e})",
                    crate::text::sanitize(text)
                ),
            )
        })
    };
    let clock = match name {
        "real" => JournalClock::Real,
        "show" => {
            let wall = instant("clock_wall", &raw.wall)?;
            let show = instant("clock_show", &raw.show)?;
            let speed = raw.speed.ok_or_else(|| {
                ParseError::at_field(
                    line,
                    "clock",
                    "missing field 'clock_speed' for a show clock",
                )
            })?;
            if !(speed.is_finite() && speed > 0.0) {
                return Err(ParseError::at_field(
                    line,
                    "clock_speed",
                    format!("'clock_speed' must be a number above 0, not {speed}"),
                ));
            }
            JournalClock::Show { wall, show, speed }
        }
        other => {
            return Err(ParseError::at_field(
                line,
                "clock",
                format!(
                    "'clock' must be \"real\" or \"show\", not '{}'",
                    crate::text::sanitize(other)
                ),
            ));
        }
    };
    Ok(Some(ClockRecord {
        clock,
        shift_s: raw.shift_s,
    }))
}
