//! The operator screen's wording, in one place (the speaker screen's is in
//! `speaker::Words`). Nothing here is specific to one event: the agenda's
//! own times and titles are filled in by the panels.

/// A session with nobody listed.
pub const NO_SPEAKERS: &str = "no speakers listed";
/// The NOW panel before anything is logged and outside any planned slot.
pub const BEFORE_THE_SHOW: &str = "BEFORE THE SHOW";
/// The NOW panel between two sessions.
pub const BETWEEN_SESSIONS: &str = "BETWEEN SESSIONS";
/// The NOW panel after the last session.
pub const SHOW_FINISHED: &str = "SHOW FINISHED";
/// The NOW panel's badge while the plan has a session on that nobody
/// started.
pub const NOT_STARTED: &str = "NOT STARTED";
/// Where the timing review comes from.
pub const REVIEW_HINT: &str = "timing review: showcall report";
/// The NEXT panel when nothing is left to start.
pub const END_OF_AGENDA: &str = "— end of the agenda —";
/// Under the hard end's overshoot when nothing can be shrunk or cut.
pub const NO_PLAN: &str = "nothing left can shrink or be cut";
/// Before the first problem of an agenda file saved broken: the show runs
/// on the last good agenda.
pub const AGENDA_NOT_RELOADED: &str = "▲ AGENDA NOT RELOADED:";
/// After a session the agenda file no longer has (it ran, so it stays).
pub const REMOVED: &str = "(removed from the agenda)";
/// The header's badge off the event's day.
pub const NOT_TODAY: &str = "NOT TODAY";

/// The off-day screen's offer, for an agenda whose event starts at
/// `first_start` (local `HH:MM`) and whose plan is now at `mid` (a local
/// `HH:MM` a few minutes into the first session, for the demo).
pub fn off_day_offer(demo_at: &str) -> [String; 2] {
    [
        " to rehearse it now in its own journal (then N: a new one),".to_string(),
        format!("or run with --rehearse [--new], or --at {demo_at} --speed 10 for a demo."),
    ]
}
