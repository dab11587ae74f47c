//! The review of a plan that changed during the show: the plan in force
//! when the show opened (the "planned" columns), what each agenda change
//! did, in words, and per session.
//!
//! Reads the engine's reconstruction ([`opening_plan`]); computes nothing
//! of the show's timing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{AgendaChangeReport, Time};
use crate::agenda::Agenda;
use crate::journal::Entry;
use crate::show::replan::{Planned, Replanned, file_matches, opening_plan};
use crate::text::{clock_hm, sanitize};

/// The plan changes as the review reports them.
pub(super) struct PlanReview {
    /// The plan in force when the show opened, by session id.
    pub opening: HashMap<String, Planned>,
    /// Every `agenda` entry up to the review's instant, oldest first.
    pub changes: Vec<Replanned>,
    /// Set when the agenda file is not the plan the journal last recorded.
    pub warning: Option<String>,
}

impl PlanReview {
    /// `file` is the agenda as read from its file now (without the
    /// sessions the show keeps as removed).
    pub fn new(file: &Agenda, entries: &[Entry], now: DateTime<Utc>) -> PlanReview {
        let (opening, mut changes) = opening_plan(file, entries);
        changes.retain(|c| c.at <= now);
        let warning = (!file_matches(&file.sha256, entries)).then(|| {
            format!(
                "{} is not the agenda the journal last recorded (its sha256 differs): the \
                 planned times are worked back from the file as it is now",
                sanitize(&file.file_name)
            )
        });
        PlanReview {
            opening,
            changes,
            warning,
        }
    }

    /// The planned start and end of session `id` as the show opened; None
    /// for a session added later.
    pub fn planned(&self, id: &str) -> Option<&Planned> {
        self.opening.get(id)
    }

    /// What the changes did to session `id`, in words, oldest first.
    pub fn of_session(
        &self,
        id: &str,
        local: impl Fn(DateTime<Utc>) -> Time,
        tz: chrono_tz::Tz,
    ) -> Vec<String> {
        self.changes
            .iter()
            .flat_map(|c| {
                c.sessions
                    .iter()
                    .filter(|(sid, _, _)| sid == id)
                    .map(|(_, before, after)| {
                        format!(
                            "{} at {}",
                            what(before.as_ref(), after.as_ref(), tz, false),
                            super::hms_of(&local(c.at))
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Each change as a report item.
    pub fn reports(
        &self,
        local: impl Fn(DateTime<Utc>) -> Time,
        tz: chrono_tz::Tz,
    ) -> Vec<AgendaChangeReport> {
        self.changes
            .iter()
            .map(|c| AgendaChangeReport {
                seq: c.seq,
                at: local(c.at),
                sha256: sanitize(&c.sha256).into_owned(),
                summary: c.change.summary(),
                details: c
                    .sessions
                    .iter()
                    .map(|(id, before, after)| {
                        format!(
                            "{} {}",
                            sanitize(id),
                            what(before.as_ref(), after.as_ref(), tz, true)
                        )
                    })
                    .collect(),
            })
            .collect()
    }
}

/// `15:40–16:15`.
fn span(p: &Planned, tz: chrono_tz::Tz) -> String {
    format!("{}–{}", clock_hm(p.start, tz), clock_hm(p.end, tz))
}

/// One session's change in words: `added 16:30–17:00 'Lunch'`, `removed`,
/// `retimed 15:40–16:15 → 15:45–16:20`, `retitled 'A' → 'B'`; `full` adds
/// the plan.
fn what(
    before: Option<&Planned>,
    after: Option<&Planned>,
    tz: chrono_tz::Tz,
    full: bool,
) -> String {
    match (before, after) {
        (None, Some(a)) if full => format!("added {} '{}'", span(a, tz), sanitize(&a.title)),
        (None, _) => "added".to_owned(),
        (Some(b), None) if full => format!("removed (was {})", span(b, tz)),
        (Some(_), None) => "removed from the agenda".to_owned(),
        (Some(b), Some(a)) => {
            let mut parts = Vec::new();
            if (b.start, b.end) != (a.start, a.end) {
                parts.push(format!("retimed {} → {}", span(b, tz), span(a, tz)));
            }
            if b.title != a.title {
                parts.push(format!(
                    "retitled '{}' → '{}'",
                    sanitize(&b.title),
                    sanitize(&a.title)
                ));
            }
            if parts.is_empty() {
                "changed".to_owned()
            } else {
                parts.join(", ")
            }
        }
    }
}
