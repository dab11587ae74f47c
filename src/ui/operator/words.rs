//! The operator screen's panels' wording, in one place (the speaker
//! screen's is in `showcall_core::present::Words`; the dialogs' sentences sit with their
//! layout in `overlays`, the shared status wording in `showcall_core::status`).
//! Nothing here is specific to one event: the agenda's own times and titles
//! are filled in by the panels.

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
/// The foot line's cues tag: `cues 3` (this screen fires the agenda's 3
/// cues out), `cues off` (`--no-cues`), `cues: not here` (a read-only
/// screen never fires them); `None` when the agenda has no cues.
pub fn cues_tag(in_agenda: usize, armed: usize, off: bool) -> Option<String> {
    match (in_agenda, armed, off) {
        (0, _, _) => None,
        (_, _, true) => Some("cues off".into()),
        (_, 0, false) => Some("cues: not here".into()),
        (_, n, false) => Some(format!("cues {n}")),
    }
}
/// The header's badge off the event's day.
pub const NOT_TODAY: &str = "NOT TODAY";

/// The panels' titles.
pub const NOW: &str = "NOW";
pub const NEXT: &str = "NEXT";
pub const SCHEDULE: &str = "Schedule";
pub const JOURNAL: &str = "Journal";
/// Before the speaker screen's message on the NOW panel's border.
pub const MESSAGE_LABEL: &str = " speaker screen: ";
/// The big word once the show is over (a clock would read as a countdown).
pub const END: &str = "END";
/// A missed row before the show began: its slot had passed.
pub const PAST: &str = "past";
/// After a fixed session's planned start.
pub const FIXED: &str = " (fixed)";
/// The NEXT panel's labels, padded to one width.
pub const PLANNED: &str = "planned   ";
pub const PROJECTED: &str = "projected ";
pub const ON: &str = "on        ";
/// What Space does, long and short.
pub const STARTS_IT: &str = " starts it ";
pub const GO: &str = " GO ";
pub const STARTS_IT_NOW: &str = " starts it now";
/// Before the off-day offer's key.
pub const PRESS: &str = "Press ";

/// `ended 16:33:00 · +3:00 BEHIND · planned end 16:30`.
pub fn ended(at: &str, lateness: &str, planned_end: &str) -> String {
    format!("ended {at} · {lateness} · planned end {planned_end}")
}

/// The intervention in the NOW panel: `floor #2: speaker 2`.
pub fn floor(number: usize, speaker: &str) -> String {
    format!("floor #{number}: {speaker}")
}

/// A session nobody started although the plan has it on: ` due 2:15 ago `.
pub fn due_ago(hms: &str) -> String {
    format!(" due {hms} ago ")
}

/// The plan's slot: ` plan 15:10–15:40`.
pub fn plan(start: &str, end: &str) -> String {
    format!(" plan {start}–{end}")
}

/// Between sessions: `Welcome Remarks ended 15:12:04`.
pub fn session_ended(title: &str, at: &str) -> String {
    format!("{title} ended {at}")
}

/// Before the show: `doors: first session planned at 15:00`.
pub fn doors(at: &str) -> String {
    format!("doors: first session planned at {at}")
}

/// Between sessions, the next cue: ` next starts in 4:00 · ` or, once it
/// is due, ` next waiting for GO +2:15 · `.
pub fn next_cue(cue_text: &str, overdue: Option<&str>) -> String {
    match overdue {
        Some(hms) => format!(" next waiting for GO +{hms} · "),
        None => format!(" next {cue_text} · "),
    }
}

/// The hard end's overshoot: `must end 16:45: 12:00 over`.
pub fn must_end(by: &str, over: &str) -> String {
    format!("must end {by}: {over} over")
}

/// The journal's state in the header.
pub const SAVED: &str = " ● saved ";
/// The header's journal state before anything is logged (the journal file
/// appears with the first entry).
pub const NOTHING_LOGGED: &str = " ○ nothing logged yet ";
pub const REHEARSAL: &str = " REHEARSAL ";

/// ` ▲ NOT SAVED (2) `.
pub fn not_saved(count: usize) -> String {
    format!(" ▲ NOT SAVED ({count}) ")
}

/// ` read-only: another showcall holds the journal `.
pub fn read_only(why: &str) -> String {
    format!(" read-only: {why} ")
}

/// Off the event's day: ` event Thu 22 Jun 2023 15:00–16:30 CEST`.
pub fn event_when(day: &str, start: &str, end: &str, zone: &str) -> String {
    format!(" event {day} {start}–{end} {zone}")
}

/// The projected end against the plan's: ` end 16:34 (plan 16:30)`.
pub fn end_against_plan(projected: &str, planned: &str) -> String {
    format!(" end {projected} (plan {planned})")
}

/// The off-day screen's offer, with `demo_at` a local `HH:MM` a few
/// minutes into the first session, for the demo.
pub fn off_day_offer(demo_at: &str) -> [String; 2] {
    [
        " to rehearse it now in its own journal (then N: a new one),".to_string(),
        format!("or run with --rehearse [--new], or --at {demo_at} --speed 10 for a demo."),
    ]
}
