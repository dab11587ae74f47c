//! The fields an import reads from a table's columns, and the header names
//! that stand for each (English, Ontime's own, German, French, Spanish),
//! matched ignoring case, punctuation, spacing, a `(s)`, a bracketed tail
//! and singular or plural.

/// A column an import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// When the session starts: a time of day (`15:30`, `3:30 PM`, `1530`), or
    /// a date and time (`start`, `time`, `Beginn`, `début`…).
    Start,
    /// When it ends, a time of day on the start's date; an end before its start
    /// is past midnight (`end`, `finish`, `until`…).
    End,
    /// How long it lasts; a bare number is minutes (`duration`, `length`,
    /// `minutes`, `Dauer`…).
    Duration,
    /// What the session is called (`title`, `subject`, `session`, `talk`,
    /// `Titel`…).
    Title,
    /// Who speaks; several columns (`Speaker 1`, `Speaker 2`) are all read, in
    /// column order (`speakers`, `presenter`, `panelist`, `Vortragende`…).
    Speakers,
    /// Moderator, chair or host: a role on the session, not a speaker.
    Moderators,
    /// Notes for the crew (`notes`, `description`, `comments`, `remarques`…).
    Notes,
    /// The session's id, made into a slug (`id`, `uid`, `guid`, `key`).
    Id,
    /// The session's date, when the start column holds only a time (`date`,
    /// `day`, `start date`, `Datum`…).
    Date,
    /// The room or stage, for `--room` (`room`, `location`, `stage`, `Raum`,
    /// `salle`…).
    Room,
    /// Ontime's "Timer Type": group and milestone rows are not sessions.
    Kind,
    /// The event's zone (written by `showcall export`).
    Timezone,
    /// Ontime's "Skip": a row marked x, true or yes is not a session.
    Skip,
}

impl Field {
    /// Every field, in the order the `--map FIELD=COLUMN` help lists them.
    pub const ALL: [Field; 13] = [
        Field::Start,
        Field::End,
        Field::Duration,
        Field::Title,
        Field::Speakers,
        Field::Moderators,
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
            Field::Moderators => "moderators",
            Field::Notes => "notes",
            Field::Id => "id",
            Field::Date => "date",
            Field::Room => "room",
            Field::Kind => "type",
            Field::Timezone => "timezone",
            Field::Skip => "skip",
        }
    }

    /// Fields read from several columns, in column order (`Speaker 1`,
    /// `Speaker 2`; `Moderator`, `Chair`).
    pub fn is_list(self) -> bool {
        matches!(self, Field::Speakers | Field::Moderators)
    }

    /// `--map` names, with a few plurals and synonyms accepted.
    pub fn from_name(s: &str) -> Option<Field> {
        let s = s.to_ascii_lowercase();
        Field::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .or(match s.as_str() {
                "speaker" | "presenter" => Some(Field::Speakers),
                "moderator" | "chair" | "chairs" | "host" | "hosts" => Some(Field::Moderators),
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
            Field::Start => HEADERS_START,
            Field::End => HEADERS_END,
            Field::Duration => HEADERS_DURATION,
            Field::Title => HEADERS_TITLE,
            Field::Speakers => HEADERS_SPEAKERS,
            Field::Moderators => HEADERS_MODERATORS,
            Field::Notes => HEADERS_NOTES,
            Field::Id => HEADERS_ID,
            Field::Date => HEADERS_DATE,
            Field::Room => HEADERS_ROOM,
            Field::Kind => HEADERS_KIND,
            Field::Timezone => HEADERS_TIMEZONE,
            Field::Skip => HEADERS_SKIP,
        }
    }
}

/// `"Time Start"` → `"time start"`, `"Vortragende 1"` → `"vortragende 1"`.
pub(super) fn norm(s: &str) -> String {
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
/// ignored), or a speakers or moderators header numbered (`Speaker 2`,
/// `Vortragende 5`, `Moderator 2`).
pub(super) fn field_of(header: &str) -> Option<Field> {
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
    if base == n || base.is_empty() {
        return None;
    }
    header_keys(base)
        .iter()
        .find_map(|k| find(k).filter(|f| f.is_list()))
}

const HEADERS_START: &[&str] = &[
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
];

const HEADERS_END: &[&str] = &[
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
];

const HEADERS_DURATION: &[&str] = &[
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
];

const HEADERS_TITLE: &[&str] = &[
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
];

const HEADERS_SPEAKERS: &[&str] = &[
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
    "panelist",
    "panellist",
    "panelists",
    "guest",
    "guests",
    "speaker name",
    "presenter name",
    "redner",
    "rednerin",
];

const HEADERS_NOTES: &[&str] = &[
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
];

const HEADERS_ID: &[&str] = &["id", "uid", "guid", "key", "session id"];

const HEADERS_DATE: &[&str] = &[
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
];

const HEADERS_ROOM: &[&str] = &[
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
];

const HEADERS_KIND: &[&str] = &["timer type", "type", "kind", "entry type", "typ", "art"];

const HEADERS_TIMEZONE: &[&str] = &["timezone", "time zone", "zone", "tz"];

const HEADERS_SKIP: &[&str] = &["skip", "skipped"];

/// A moderator, chair or host: a role on the session, not a speaker.
const HEADERS_MODERATORS: &[&str] = &[
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
    "animateur",
    "chairs",
    "chairperson",
    "chair person",
    "animatrice",
    "vorsitz",
    "moderatorin",
];

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
            ("Moderator", Field::Moderators),
            ("Moderators", Field::Moderators),
            ("Host", Field::Moderators),
            ("  HOSTS  ", Field::Moderators),
            ("Moderator 2", Field::Moderators),
            ("Chair(s)", Field::Moderators),
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
}
