//! Presenters: what the views say, worked out once from a snapshot, in
//! words every front end shares. The terminal shell lays these values out
//! in cells; the web server sends them to a browser. Views only draw.
//!
//! - [`words`](mod@words): the speaker screen's words in EN/FR/ES, and [`Lang`].
//! - [`speaker`]: the speaker screen's [`Face`] at an instant.
//! - [`off_day`]: whether (and how) the operator screen says the event is
//!   on another day.

pub mod speaker;
pub mod words;

use chrono::{DateTime, Utc};

use crate::show::Show;

pub use speaker::{Alarm, Face, Tone, face};
pub use words::{EN, ES, FR, Lang, Words, words};

/// When the event is or was, as a sentence, if `now` is far from it and
/// nothing has started (a rehearsal is never off-day): the operator screen
/// shows this instead of a dead countdown. None on the event's day.
pub fn off_day(show: &Show, rehearsal: bool, now: DateTime<Utc>) -> Option<String> {
    if rehearsal || show.fold().started() {
        return None;
    }
    crate::status::event_distance(&show.agenda, now)
}
