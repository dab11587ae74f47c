//! The plan changes during the show: what an edited agenda changed, by
//! session id ([`diff`]); the sessions the file dropped that the show must
//! keep because they ran ([`with_removed`]); and the plan that was in force
//! when the show opened, worked back from the agenda in force through the
//! journal's `agenda` entries ([`opening_plan`]).
//!
//! Pure: agendas and entries in, agendas and records out. Reading the file
//! and journaling the change are the shell's.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::agenda::{Agenda, Session};
use crate::journal::{AgendaChange, Entry, Kind, PlanItem, withdrawn};

/// What changed from `old` (the agenda in force, sessions kept as removed
/// left out) to `new`, by session id, in `new`'s order (removed ones in
/// `old`'s), with the previous plan of every session removed, retimed or
/// retitled.
pub fn diff(old: &Agenda, new: &Agenda) -> AgendaChange {
    let tz = old.event.tz;
    let current: Vec<&Session> = old.sessions.iter().filter(|s| !s.removed).collect();
    let before: HashMap<&str, &Session> = current.iter().map(|s| (s.id.as_str(), *s)).collect();
    let after: HashSet<&str> = new.sessions.iter().map(|s| s.id.as_str()).collect();
    let mut c = AgendaChange {
        sha256: new.sha256.clone(),
        ..AgendaChange::default()
    };
    let mut was: Vec<&Session> = Vec::new();
    for s in &new.sessions {
        match before.get(s.id.as_str()) {
            None => c.added.push(s.id.clone()),
            Some(o) => {
                let retimed = o.start != s.start || o.end != s.end;
                let retitled = o.title != s.title;
                if retimed {
                    c.retimed.push(s.id.clone());
                }
                if retitled {
                    c.retitled.push(s.id.clone());
                }
                if retimed || retitled {
                    was.push(o);
                }
            }
        }
    }
    for o in &current {
        if !after.contains(o.id.as_str()) {
            c.removed.push(o.id.clone());
            was.push(o);
        }
    }
    c.was = was
        .into_iter()
        .map(|s| PlanItem {
            session: s.id.clone(),
            title: s.title.clone(),
            start: s.start.with_timezone(&tz).fixed_offset(),
            end: s.end.with_timezone(&tz).fixed_offset(),
        })
        .collect();
    c
}

/// `file` (an agenda as read from its file) with the sessions it no longer
/// has but the show must keep, marked `removed`, each placed by its planned
/// start. `kept` are candidates (sessions of the agenda in force before);
/// the journal's `agenda` entries give the others. A candidate is kept if
/// `ran(id)`: the journal started it (done or live) or cut it.
pub fn with_removed(
    mut file: Agenda,
    kept: &[Session],
    entries: &[Entry],
    ran: impl Fn(&str) -> bool,
) -> Agenda {
    let mut ghosts: Vec<Session> = Vec::new();
    let add = |s: Session, ghosts: &mut Vec<Session>, file: &Agenda| {
        if file.index_of(&s.id).is_none() && !ghosts.iter().any(|g| g.id == s.id) && ran(&s.id) {
            ghosts.push(Session { removed: true, ..s });
        }
    };
    for s in kept {
        add(s.clone(), &mut ghosts, &file);
    }
    let gone = withdrawn(entries);
    // The newest record of each removed session first.
    for e in entries.iter().rev().filter(|e| !gone.contains(&e.seq)) {
        if let Kind::Agenda(c) = &e.kind {
            for p in c.was.iter().filter(|p| c.removed.contains(&p.session)) {
                let start = p.start.with_timezone(&Utc);
                let end = p.end.with_timezone(&Utc).max(start);
                add(
                    Session {
                        id: p.session.clone(),
                        title: p.title.clone(),
                        start,
                        end,
                        speakers: Vec::new(),
                        moderators: Vec::new(),
                        notes: None,
                        fixed: false,
                        min_duration: None,
                        signals: file.signals,
                        intervention: None,
                        line: 0,
                        removed: true,
                    },
                    &mut ghosts,
                    &file,
                );
            }
        }
    }
    for g in ghosts {
        let at = file
            .sessions
            .iter()
            .position(|s| s.start > g.start)
            .unwrap_or(file.sessions.len());
        file.sessions.insert(at, g);
    }
    file
}

/// True if the effective journal has a `start` or a `skip` (cut) of
/// session `id`: the show keeps it even if the agenda file dropped it.
pub(crate) fn started_in(entries: &[Entry]) -> impl Fn(&str) -> bool {
    let gone = withdrawn(entries);
    let ids: HashSet<String> = entries
        .iter()
        .filter(|e| !gone.contains(&e.seq))
        .filter_map(|e| match &e.kind {
            Kind::Start { session } | Kind::Skip { session, .. } => Some(session.clone()),
            _ => None,
        })
        .collect();
    move |id: &str| ids.contains(id)
}

/// One session of a plan: its title and planned start and end, UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The session's title in that plan, as the agenda (or the `agenda` entry's
    /// `was`) gives it; not sanitised here.
    pub title: String,
    /// Planned start, UTC.
    pub start: DateTime<Utc>,
    /// Planned end, UTC; not before `start`.
    pub end: DateTime<Utc>,
}

/// One `agenda` entry, read back: when it took effect and, per session,
/// what it changed, with the plan before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Replanned {
    /// The `agenda` entry's seq in the journal.
    pub seq: u64,
    /// When the new agenda took effect (the entry's stamp), UTC.
    pub at: DateTime<Utc>,
    /// sha256 of the agenda file that took effect, lowercase hex (the entry's
    /// `sha256`).
    pub sha256: String,
    /// The entry's change as recorded: the ids added, removed, retimed and
    /// retitled, and the previous plans.
    pub change: AgendaChange,
    /// The plan before (None: the session was added) and after (None: it
    /// was removed) of each session the entry names.
    pub sessions: Vec<(String, Option<Planned>, Option<Planned>)>,
}

/// The plan in force when the show opened, by session id, worked back from
/// `in_force` (the agenda file as it is now; removed sessions left out)
/// through the effective `agenda` entries, newest first; and each entry as
/// a [`Replanned`], oldest first.
///
/// This assumes the file is the plan the last `agenda` entry recorded (its
/// sha256): [`file_matches`] says whether it is.
pub fn opening_plan(
    in_force: &Agenda,
    entries: &[Entry],
) -> (HashMap<String, Planned>, Vec<Replanned>) {
    let mut plan: HashMap<String, Planned> = in_force
        .sessions
        .iter()
        .filter(|s| !s.removed)
        .map(|s| {
            (
                s.id.clone(),
                Planned {
                    title: s.title.clone(),
                    start: s.start,
                    end: s.end,
                },
            )
        })
        .collect();
    let gone = withdrawn(entries);
    let mut changes: Vec<&Entry> = entries
        .iter()
        .filter(|e| !gone.contains(&e.seq) && matches!(e.kind, Kind::Agenda(_)))
        .collect();
    changes.sort_by_key(|e| e.at);
    let mut out = Vec::new();
    for e in changes.iter().rev() {
        let Kind::Agenda(c) = &e.kind else { continue };
        let after = plan.clone();
        for id in &c.added {
            plan.remove(id);
        }
        for p in &c.was {
            plan.insert(
                p.session.clone(),
                Planned {
                    title: p.title.clone(),
                    start: p.start.with_timezone(&Utc),
                    end: p.end.with_timezone(&Utc),
                },
            );
        }
        let mut named: Vec<String> = Vec::new();
        for id in c
            .added
            .iter()
            .chain(&c.retimed)
            .chain(&c.retitled)
            .chain(&c.removed)
        {
            if !named.contains(id) {
                named.push(id.clone());
            }
        }
        let sessions = named
            .into_iter()
            .map(|id| {
                let before = plan.get(&id).filter(|_| !c.added.contains(&id)).cloned();
                let now = after.get(&id).filter(|_| !c.removed.contains(&id)).cloned();
                (id, before, now)
            })
            .collect();
        out.push(Replanned {
            seq: e.seq,
            at: e.at.with_timezone(&Utc),
            sha256: c.sha256.clone(),
            change: (**c).clone(),
            sessions,
        });
    }
    out.reverse();
    (plan, out)
}

/// True when `file_sha` is the plan the journal's newest effective
/// `agenda` entry recorded, or when it has none (there is nothing to work
/// back through: the file's plan is the plan).
pub fn file_matches(file_sha: &str, entries: &[Entry]) -> bool {
    let gone = withdrawn(entries);
    entries
        .iter()
        .filter(|e| !gone.contains(&e.seq))
        .filter_map(|e| match &e.kind {
            Kind::Agenda(c) => Some((e.at, c.sha256.as_str())),
            _ => None,
        })
        .max_by_key(|(at, _)| *at)
        .is_none_or(|(_, sha)| sha == file_sha)
}
