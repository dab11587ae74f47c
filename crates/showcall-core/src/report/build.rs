//! Building the [`Report`] from the agenda, the journal and an instant: the
//! timing of every session is read from the engine's one timeline
//! ([`Snapshot`]), the details (adjustments, speaker changes, notes,
//! interventions) from its fold. One function per part of the review.

use chrono::{DateTime, FixedOffset, Utc};

use super::{
    Adjustment, CutReport, EventSummary, InterventionReport, LastEntry, NoteReport, OVER_AFTER,
    OverrunReport, Report, SessionReport, SessionState, ShowStatus, SpeakerChangeReport,
    StrayEntry, Time, TimelineItem, TimelineKind, hms_of, summarize,
};
use crate::agenda::Agenda;
use crate::journal::{Entry, Kind};
use crate::show::{Fold, Now, RowState, SessionLog, Show, Snapshot, floor_secs};
use crate::text::{sanitize, utc_offset, zone_abbr};

/// What every part of the build reads.
struct Ctx<'a> {
    /// The agenda in force: the file's, with the sessions it dropped after
    /// they ran kept as removed.
    agenda: &'a Agenda,
    /// The plan as the show opened, and how it changed.
    plan: &'a super::changes::PlanReview,
    entries: &'a [Entry],
    fold: &'a Fold,
    snap: &'a Snapshot,
    /// The review's instant (see [`instant`]).
    now: DateTime<Utc>,
    /// True when `now` is the journal's last entry: the show is over.
    at_journal_end: bool,
    /// The session live when each effective entry was written, by seq.
    live: &'a std::collections::HashMap<u64, String>,
    /// Every action point and hold, built once.
    actions: &'a [super::ActionReport],
    holds: &'a [super::HoldReport],
}

impl Ctx<'_> {
    /// In the event's zone, whole milliseconds at most.
    fn local(&self, t: DateTime<Utc>) -> Time {
        chrono::SubsecRound::trunc_subsecs(t, 3)
            .with_timezone(&self.agenda.event.tz)
            .fixed_offset()
    }

    fn local_fixed(&self, t: DateTime<FixedOffset>) -> Time {
        self.local(t.with_timezone(&Utc))
    }
}

fn clean(s: &str) -> String {
    sanitize(s).into_owned()
}

/// The instant a review of `entries` made at `now` describes, and whether
/// it is the journal's end: for a show that is over — finished at `now`, or
/// whose journal has been quiet for [`OVER_AFTER`] past its last entry and
/// the planned end — the last entry stamped at or before `now`; otherwise
/// `now`.
pub fn instant(agenda: &Agenda, entries: &[Entry], now: DateTime<Utc>) -> (DateTime<Utc>, bool) {
    instant_of(&Show::new(agenda.clone(), entries.to_vec()), agenda, now)
}

/// [`instant`] of a show already folded from `agenda` and its journal.
fn instant_of(show: &Show, agenda: &Agenda, now: DateTime<Utc>) -> (DateTime<Utc>, bool) {
    let Some(last) = show
        .entries()
        .iter()
        .map(|e| e.at.with_timezone(&Utc))
        .filter(|&t| t <= now)
        .max()
    else {
        return (now, false);
    };
    let finished = matches!(show.at(now).now, Now::Finished { .. });
    let quiet = now - last.max(agenda.planned_end()) > OVER_AFTER;
    if finished || quiet {
        (last, true)
    } else {
        (now, false)
    }
}

/// Builds the review of `entries` against `agenda` as it stood at `now`,
/// cut at the journal's end for a show that is over ([`instant`]). Times
/// keep whole milliseconds at most.
pub fn build(agenda: &Agenda, entries: &[Entry], now: DateTime<Utc>) -> Report {
    build_owned(agenda, entries.to_vec(), now)
}

/// [`build`] for a journal the caller gives up: its entries are held once,
/// by the show the review is read from (a 1,000,000-entry journal is not
/// copied).
pub fn build_owned(agenda: &Agenda, entries: Vec<Entry>, now: DateTime<Utc>) -> Report {
    let show = Show::new(agenda.clone(), entries);
    let entries = show.entries();
    let (now, at_journal_end) = instant_of(&show, agenda, now);
    let plan = super::changes::PlanReview::new(agenda, entries, now);
    let agenda = &show.agenda;
    let fold = show.fold_at(now);
    // Nothing started and far from the event: the plan, not a projection.
    let snap = show.at(show.reading_instant(now));
    let local = |t: DateTime<Utc>| {
        chrono::SubsecRound::trunc_subsecs(t, 3)
            .with_timezone(&agenda.event.tz)
            .fixed_offset()
    };
    let effective: Vec<&Entry> = fold.effective_entries(entries).collect();
    let live = super::extras::live_by_seq(&effective);
    let actions = super::extras::actions(agenda, &effective, &live, local);
    let holds = super::extras::holds(&effective, &live, now, local);
    drop(effective);
    let cx = Ctx {
        agenda,
        plan: &plan,
        entries,
        fold: &fold,
        snap: &snap,
        now,
        at_journal_end,
        live: &live,
        actions: &actions,
        holds: &holds,
    };
    let mut sessions = Vec::with_capacity(agenda.sessions.len());
    let mut interventions = Vec::new();
    for i in 0..agenda.sessions.len() {
        interventions.extend(intervention_reports(&cx, i));
        sessions.push(session_report(&cx, i));
    }
    let event = event_summary(&cx, &sessions);
    let mut warnings = warnings(&cx, &event);
    warnings.extend(plan.warning.clone());
    let agenda_changes = plan.reports(|t| cx.local(t), agenda.event.tz);
    let (unknown_sessions, unknown_kinds, ignored) = strays(&cx);
    let mut withdrawn: Vec<u64> = fold.withdrawn.iter().copied().collect();
    withdrawn.sort_unstable();
    Report {
        event,
        sessions,
        interventions,
        actions: actions.clone(),
        holds: holds.clone(),
        timeline: timeline_items(&cx),
        unknown_sessions,
        unknown_kinds,
        ignored,
        withdrawn,
        warnings,
        agenda_changes,
        remote: super::remote::remote_entries(agenda, entries, now, |t| cx.local_fixed(t)),
        cue_failures: super::cue_failures::cue_failures(agenda, entries, now, |t| {
            cx.local_fixed(t)
        }),
        tz: agenda.event.tz,
    }
}

/// What the reader should know before trusting the numbers: entries
/// stamped after the review's instant, a show never ended.
fn warnings(cx: &Ctx, e: &EventSummary) -> Vec<String> {
    let mut out = Vec::new();
    let after: Vec<&Entry> = cx
        .entries
        .iter()
        .filter(|e| e.at.with_timezone(&Utc) > cx.now)
        .collect();
    if let Some(latest) = after.iter().map(|e| e.at).max() {
        out.push(format!(
            "{} stamped after this review's instant {} (the latest at {}): \
             {} not counted; give --at {} or later to count {}",
            crate::text::count(after.len(), "journal entry is", "journal entries are"),
            hms_of(&cx.local(cx.now)),
            hms_of(&cx.local_fixed(latest)),
            if after.len() == 1 {
                "it is"
            } else {
                "they are"
            },
            hms_of(&cx.local_fixed(latest)),
            if after.len() == 1 { "it" } else { "them" },
        ));
    }
    out.extend(clock_warnings(cx));
    if let (ShowStatus::NotEnded, Some(id), Some(last)) = (e.status, &e.live, &e.last_entry) {
        out.push(format!(
            "'{id}' was never ended: the journal stops at seq {} ({}, {}) while it is live; \
             its duration is counted up to that entry",
            last.seq,
            last.kind,
            hms_of(&last.at)
        ));
    }
    out
}

/// The system clock's steps the writer journaled (`clock_step`), and
/// stamps earlier than the line before them (a journal written by a
/// showcall that let a step back through), each with its seq.
fn clock_warnings(cx: &Ctx) -> Vec<String> {
    let mut out = Vec::new();
    let mut before: Option<&Entry> = None;
    for e in cx.entries {
        if let crate::journal::Kind::ClockStep { step_s, .. } = e.kind {
            let kept = if step_s < 0 {
                format!(
                    "the show kept its own time, so the entries after it are stamped {} \
                     ahead of the system clock",
                    crate::text::hms(step_s)
                )
            } else {
                "the show's time followed it once any earlier step back was made up".to_owned()
            };
            out.push(format!(
                "the {} at {} (seq {}): {kept}",
                crate::status::clock_step_words(step_s),
                hms_of(&cx.local_fixed(e.at)),
                e.seq
            ));
        }
        // A stray (stamped before the journal could have been written) is
        // said as one, not as a clock set back.
        let stray = cx
            .fold
            .stray_before
            .is_some_and(|l| e.at.with_timezone(&Utc) < l);
        if let Some(b) = before.filter(|b| e.at < b.at && !stray) {
            out.push(format!(
                "seq {} is stamped {}, {} before seq {} on the line above it: the clock was \
                 set back while the journal was written; the review reads the entries in \
                 time order",
                e.seq,
                hms_of(&cx.local_fixed(e.at)),
                crate::text::hms((b.at - e.at).num_seconds()),
                b.seq
            ));
        }
        if before.is_none_or(|b| e.at >= b.at) {
            before = Some(e);
        }
    }
    out
}

/// A session as the review reports it: its state, times and durations from
/// the timeline row, its details from the fold.
fn session_report(cx: &Ctx, i: usize) -> SessionReport {
    let s = &cx.agenda.sessions[i];
    let log = &cx.fold.sessions[i];
    let row = cx.snap.row(i);
    let open = row.state == RowState::Live;
    let state = state_of(cx, i);
    // Started: from its start to its end, or to now while open.
    let actual = row
        .started
        .then_some((row.start, if open { cx.now } else { row.end }));
    // Planned: as the show opened; a session added later, as added.
    let (planned_start, planned_end) = cx
        .plan
        .planned(&s.id)
        .map_or((s.start, s.end), |p| (p.start, p.end));
    let planned_s = (planned_end - planned_start).num_seconds();
    let actual_s = actual.map(|(a, b)| span_s(a, b));
    let id = s.id.as_str();
    let (holds, held_s, floors_s) = held_and_spoken(cx, i);
    SessionReport {
        id: clean(&s.id),
        title: clean(&s.title),
        state,
        planned_start: cx.local(planned_start),
        planned_end: cx.local(planned_end),
        planned_s,
        actual_start: actual.map(|(a, _)| cx.local(a)),
        actual_end: if open {
            None
        } else {
            actual.map(|(_, b)| cx.local(b))
        },
        actual_s,
        late_start_s: actual.map(|(a, _)| span_s(planned_start, a)),
        over_s: actual_s.map(|a| a - held_s - floor_secs(row.allot)),
        over_plan_s: actual_s.map(|a| a - held_s - planned_s),
        adjust_s: log.adjust_s,
        adjustments: adjustments(cx, i),
        speakers: log.speakers.iter().map(|sp| clean(sp)).collect(),
        speaker_changes: speaker_changes(cx, log),
        overruns: log
            .overruns
            .iter()
            .map(|(over_s, reason)| OverrunReport {
                over_s: *over_s,
                reason: clean(reason),
            })
            .collect(),
        notes: log
            .notes
            .iter()
            .filter_map(|e| match &e.kind {
                Kind::Note { text, .. } => Some(NoteReport {
                    seq: e.seq,
                    at: cx.local_fixed(e.at),
                    text: clean(text),
                }),
                _ => None,
            })
            .collect(),
        interventions: log.floors.len(),
        interventions_s: floors_s,
        actions: cx
            .actions
            .iter()
            .filter(|a| a.session.as_deref() == Some(id))
            .cloned()
            .collect(),
        holds,
        held_s,
        cut: log
            .cut
            .as_ref()
            .map(|c| (c, false))
            .or(log.uncut.as_ref().map(|c| (c, true)))
            .map(|(c, taken_back)| CutReport {
                seq: c.seq,
                at: cx.local(c.at),
                reason: clean(&c.note),
                taken_back,
            }),
        started_before: started_before(cx, i),
        removed_from_agenda: s.removed,
        plan_changes: cx
            .plan
            .of_session(&s.id, |t| cx.local(t), cx.agenda.event.tz),
    }
}

/// Where session `i` stood: cut (and not started after all), open or not
/// ended, done, skipped (a later one started) or not started.
fn state_of(cx: &Ctx, i: usize) -> SessionState {
    let row = cx.snap.row(i);
    match row.state {
        _ if cx.fold.sessions[i].cut.is_some() && !row.started => SessionState::Cut,
        RowState::Live if cx.at_journal_end => SessionState::NotEnded,
        RowState::Live => SessionState::Open,
        RowState::Done => SessionState::Done,
        _ if cx.fold.sessions[i + 1..]
            .iter()
            .any(|l| l.actual_start.is_some()) =>
        {
            SessionState::Skipped
        }
        _ => SessionState::NotStarted,
    }
}

/// Session `i`'s holds, their total (counted apart: held time is not the
/// session running over) and its interventions' total spoken time, seconds.
fn held_and_spoken(cx: &Ctx, i: usize) -> (Vec<super::HoldReport>, i64, i64) {
    let id = cx.agenda.sessions[i].id.as_str();
    let holds: Vec<_> = cx
        .holds
        .iter()
        .filter(|h| h.session.as_deref() == Some(id))
        .cloned()
        .collect();
    let held_s = holds.iter().map(|h| h.held_s).sum();
    let floors_s = cx.fold.sessions[i]
        .floors
        .iter()
        .map(|fl| spoken_s(cx, i, fl))
        .sum();
    (holds, held_s, floors_s)
}

/// The ids of the sessions listed before session `i` that started after it
/// (empty unless `i` started out of order).
fn started_before(cx: &Ctx, i: usize) -> Vec<String> {
    let Some(start) = cx.fold.sessions[i].actual_start else {
        return Vec::new();
    };
    (0..i)
        .filter(|&j| cx.fold.sessions[j].actual_start.is_some_and(|s| s > start))
        .map(|j| clean(&cx.agenda.sessions[j].id))
        .collect()
}

/// The session's adjustments, when made and why.
fn adjustments(cx: &Ctx, i: usize) -> Vec<Adjustment> {
    let id = cx.agenda.sessions[i].id.as_str();
    cx.fold
        .effective_entries(cx.entries)
        .filter(|e| e.kind.session() == Some(id))
        .filter_map(|e| match &e.kind {
            Kind::Adjust { delta_s, note, .. } => Some(Adjustment {
                seq: e.seq,
                at: cx.local_fixed(e.at),
                delta_s: *delta_s,
                note: note.as_deref().map(clean),
            }),
            _ => None,
        })
        .collect()
}

/// The speaker changes that applied, in the one wording.
fn speaker_changes(cx: &Ctx, log: &SessionLog) -> Vec<SpeakerChangeReport> {
    log.speaker_changes
        .iter()
        .filter_map(|e| match &e.kind {
            Kind::Speaker {
                change,
                from,
                to,
                note,
                ..
            } => {
                let from = from.as_deref().map(clean);
                let to = to.as_deref().map(clean);
                let note = note.as_deref().map(clean);
                Some(SpeakerChangeReport {
                    seq: e.seq,
                    at: cx.local_fixed(e.at),
                    change: change.as_str().to_owned(),
                    text: crate::status::speaker_change(
                        *change,
                        from.as_deref(),
                        to.as_deref(),
                        note.as_deref(),
                    ),
                    from,
                    to,
                    note,
                })
            }
            _ => None,
        })
        .collect()
}

/// Session `i`'s timed interventions, with their slot and how far over.
fn intervention_reports(cx: &Ctx, i: usize) -> Vec<InterventionReport> {
    let s = &cx.agenda.sessions[i];
    let slot_s = s.intervention.map(|iv| iv.slot.num_seconds());
    cx.fold.sessions[i]
        .floors
        .iter()
        .enumerate()
        .map(|(n, fl)| {
            let spoken_s = spoken_s(cx, i, fl);
            let speaker = fl.speaker.as_deref().map(clean);
            InterventionReport {
                seq: fl.seq,
                session: clean(&s.id),
                number: n + 1,
                label: speaker
                    .clone()
                    .unwrap_or_else(|| crate::status::floor_speaker(None, n + 1)),
                speaker,
                start: cx.local(fl.start),
                end: fl.end.map(|t| cx.local(t)),
                open: fl.end.is_none(),
                spoken_s,
                slot_s,
                over_s: slot_s.map(|slot| spoken_s - slot),
            }
        })
        .collect()
}

/// Notes and speaker-screen messages, in journal order.
fn timeline_items(cx: &Ctx) -> Vec<TimelineItem> {
    cx.fold
        .effective_entries(cx.entries)
        .filter_map(|e| {
            let (kind, text, session) = match &e.kind {
                Kind::Note { text, session } => (TimelineKind::Note, text, session.as_deref()),
                // A message belongs to the speaker live when it was sent.
                Kind::Message { text } => (
                    TimelineKind::Message,
                    text,
                    cx.live.get(&e.seq).map(String::as_str),
                ),
                _ => return None,
            };
            Some(TimelineItem {
                seq: e.seq,
                at: cx.local_fixed(e.at),
                kind,
                session: session.map(clean),
                text: clean(text),
            })
        })
        .collect()
}

/// Entries the review can only list: for sessions the agenda lacks, of
/// kinds this version does not know, and those the engine could not apply.
fn strays(cx: &Ctx) -> (Vec<StrayEntry>, Vec<StrayEntry>, Vec<StrayEntry>) {
    let by_seq = |seq: u64| cx.fold.effective_entries(cx.entries).find(|e| e.seq == seq);
    let stray = |e: &Entry, detail: String| StrayEntry {
        seq: e.seq,
        at: cx.local_fixed(e.at),
        kind: clean(e.kind.name()),
        session: e.kind.session().map(clean),
        detail: clean(&detail),
    };
    let unknown_sessions = cx
        .fold
        .unknown_sessions
        .iter()
        .filter_map(|(seq, _)| by_seq(*seq))
        .map(|e| stray(e, summarize(&e.kind)))
        .collect();
    let unknown_kinds = cx
        .fold
        .effective_entries(cx.entries)
        .filter_map(|e| match &e.kind {
            Kind::Unknown { fields, .. } => Some(stray(
                e,
                serde_json::Value::Object(fields.clone()).to_string(),
            )),
            _ => None,
        })
        .collect();
    let ignored = cx
        .fold
        .ignored
        .iter()
        .filter_map(|(seq, why)| {
            // A stray never became effective: look in the whole journal.
            by_seq(*seq)
                .or_else(|| cx.entries.iter().find(|e| e.seq == *seq))
                .map(|e| stray(e, why.clone()))
        })
        .collect();
    (unknown_sessions, unknown_kinds, ignored)
}

/// The event as a whole: plan, reality, status and the lateness at the end
/// (the timeline's projected or actual end against the plan's).
fn event_summary(cx: &Ctx, sessions: &[SessionReport]) -> EventSummary {
    let agenda = cx.agenda;
    let tz = agenda.event.tz;
    let snap = cx.snap;
    let (status, live) = match &snap.now {
        Now::Live(l) if cx.at_journal_end => (
            ShowStatus::NotEnded,
            Some(clean(&agenda.sessions[l.idx].id)),
        ),
        Now::Live(l) => (ShowStatus::Running, Some(clean(&agenda.sessions[l.idx].id))),
        Now::Finished { .. } => (ShowStatus::Finished, None),
        _ if snap.started => (ShowStatus::BetweenSessions, None),
        _ => (ShowStatus::NotStarted, None),
    };
    let actual_start = cx.fold.sessions.iter().filter_map(|l| l.actual_start).min();
    let (actual_end, projected_end) = match snap.now {
        Now::Finished { at } => (Some(at), None),
        _ => (None, Some(snap.projected_end)),
    };
    // The plan as the show opened (the agenda's, if it never changed).
    let opening = cx.plan.opening.values();
    let planned_start = opening
        .clone()
        .map(|p| p.start)
        .min()
        .unwrap_or_else(|| agenda.planned_start());
    let opening_end = opening
        .map(|p| p.end)
        .max()
        .unwrap_or_else(|| agenda.planned_end());
    // The end the screens and `check --status` show: the plan in force at
    // the end. The opening plan's end is kept beside it when they differ.
    let planned_end = snap.planned_end;
    let last_entry = cx
        .entries
        .iter()
        // The journal's end is its last line, whatever the stamps say.
        .rfind(|e| e.at.with_timezone(&Utc) <= cx.now)
        .map(|e| LastEntry {
            seq: e.seq,
            at: cx.local_fixed(e.at),
            kind: clean(e.kind.name()),
        });
    let entries_after = cx
        .entries
        .iter()
        .filter(|e| e.at.with_timezone(&Utc) > cx.now)
        .count();
    EventSummary {
        title: clean(&agenda.event.title),
        date: agenda.event.date,
        zone: tz.name().to_owned(),
        zone_abbr: zone_abbr(planned_start, tz),
        utc_offset: utc_offset(planned_start, tz),
        venue: agenda.event.venue.as_deref().map(clean),
        agenda: clean(&agenda.file_name),
        rehearsal: crate::journal::clock_of(cx.entries).is_rehearsal(),
        report_at: cx.local(cx.now),
        at_journal_end: cx.at_journal_end,
        last_entry,
        entries_after,
        status,
        live,
        planned_start: cx.local(planned_start),
        planned_end: cx.local(planned_end),
        opening_planned_end: (opening_end != planned_end).then(|| cx.local(opening_end)),
        actual_start: actual_start.map(|t| cx.local(t)),
        actual_end: actual_end.map(|t| cx.local(t)),
        projected_end: projected_end.map(|t| cx.local(t)),
        late_start_s: actual_start.map(|a| span_s(planned_start, a)),
        // Finished: the screens' headline itself; else the projection.
        end_lateness_s: match snap.headline.basis {
            crate::show::Basis::Finished => snap.headline.late_s,
            _ => span_s(
                planned_end,
                actual_end.or(projected_end).unwrap_or(planned_end),
            ),
        },
        sessions_over: sessions
            .iter()
            .filter(|s| s.over_s.is_some_and(|o| o > 0))
            .count(),
        total_over_s: sessions
            .iter()
            .filter_map(|s| s.over_s)
            .filter(|&o| o > 0)
            .sum(),
        held_s: cx.holds.iter().map(|h| h.held_s).sum(),
        hard_ends: super::extras::hard_ends(agenda, snap, |t| cx.local(t)),
        multi_day: multi_day(agenda, planned_start, planned_end),
    }
}

/// True when the plan's times fall on more than one local date: every time
/// is then printed with its date and offset.
fn multi_day(agenda: &Agenda, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    let day = |t: DateTime<Utc>| t.with_timezone(&agenda.event.tz).date_naive();
    let first = day(start);
    day(end) != first
        || agenda
            .sessions
            .iter()
            .any(|s| day(s.start) != first || day(s.end) != first)
}

/// The one duration rule of the screens and the review
/// ([`crate::show::span_s`]).
/// How long an intervention of session `i` ran, in whole seconds: from
/// its start to its end (or the review's instant), the time held meanwhile
/// left out, as its slot's clock counted it.
fn spoken_s(cx: &Ctx, i: usize, fl: &crate::show::Floor) -> i64 {
    let end = fl.end.unwrap_or(cx.now);
    span_s(fl.start, end - cx.fold.held_within(i, fl.start, end))
}

fn span_s(a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
    crate::show::span_s(a, b)
}
