//! The running order changed from the keyboard: the picker for `g` (go
//! to) and `x` (cut), and the hard-end plan `p` previews and writes.

use chrono::{DateTime, Utc};

use showcall_core::journal::Kind;
use showcall_core::show::Action;
use showcall_core::status::describe;

use super::{Confirm, Mode, Operator};
use crate::ui::form::Form;
use crate::ui::picker::{Item, Pick, Picker};

impl Operator {
    /// The picker's list: every session not yet run (for a cut, not
    /// already cut either), in agenda order.
    pub(super) fn picker(&self, purpose: Pick, now: DateTime<Utc>) -> Option<Picker> {
        use showcall_core::show::RowState;
        let snap = self.show.at(now);
        let tz = self.show.agenda.event.tz;
        let items: Vec<Item> = snap
            .rows
            .iter()
            .filter(|r| !self.show.agenda.sessions[r.idx].removed)
            .filter(|r| match r.state {
                RowState::Done | RowState::Live => false,
                RowState::Cut => purpose == Pick::GoTo,
                _ => true,
            })
            .map(|r| {
                let s = &self.show.agenda.sessions[r.idx];
                let when = if r.counts() {
                    format!("~{}", showcall_core::text::clock_hm(r.start, tz))
                } else {
                    "—".into()
                };
                Item {
                    idx: r.idx,
                    key: format!("{} {}", s.id, s.title).to_lowercase(),
                    line: showcall_core::text::sanitize(&format!(
                        "{:<6} {:>6}  {}  {}",
                        r.state.word(),
                        when,
                        s.id,
                        s.title
                    ))
                    .into_owned(),
                }
            })
            .collect();
        (!items.is_empty()).then(|| Picker::new(purpose, items, snap.go_target()))
    }

    /// The operator chose session `idx` in the picker.
    pub(super) fn picked(&mut self, purpose: Pick, idx: usize, now: DateTime<Utc>) {
        match purpose {
            Pick::GoTo => {
                let kinds = match self.show.apply(&Action::GoTo(idx), now) {
                    Ok(kinds) => kinds,
                    Err(e) => return self.say(e.to_string(), true),
                };
                let over = self.jumped_over(idx, now);
                let off_day = self.off_day(now);
                if over.is_empty() && off_day.is_none() {
                    self.write(kinds, now, None);
                } else {
                    self.mode = Mode::Confirm(Confirm::GoTo {
                        idx,
                        title: self.show.agenda.sessions[idx].title.clone(),
                        over,
                        off_day,
                    });
                }
            }
            Pick::Cut => {
                let title = self.show.agenda.sessions[idx].title.clone();
                self.mode = Mode::Form(Form::cut(idx, &title));
            }
        }
    }

    /// The plan to meet the hard end as a confirmation, or why there is none.
    pub(super) fn plan_confirm(&self, now: DateTime<Utc>) -> Result<Confirm, String> {
        let kinds = self
            .show
            .apply(&Action::ApplyPlan, now)
            .map_err(|e| e.to_string())?;
        let snap = self.show.at(now);
        let o = snap.overshoot.as_ref().ok_or("no overshoot")?;
        let tz = self.show.agenda.event.tz;
        let agenda = &self.show.agenda;
        let title = |i: usize| showcall_core::text::sanitize(&agenda.sessions[i].title);
        let hm = |at| showcall_core::text::clock_hm(at, tz);
        let mut lines: Vec<String> = o
            .plan
            .iter()
            .zip(&kinds)
            .zip(&o.follows)
            .map(|((step, k), follows)| {
                // Where what follows will really start, plan carried out.
                let then = follows.map_or(String::new(), |(i, at)| {
                    format!("; then '{}' starts {}", title(i), hm(at))
                });
                format!(
                    "{}: writes {}{then}",
                    showcall_core::status::plan_step_text(*step, agenda),
                    describe(k, agenda)
                )
            })
            .collect();
        // The plan's own dead air, and the choice it leaves: GO starts
        // the session early once the room is ready (docs/timing.md).
        lines.extend(o.idle.iter().map(|i| {
            format!(
                "the room is idle {} before '{}' at {}: GO starts it earlier when the room is ready",
                showcall_core::text::hms(showcall_core::show::floor_secs(i.length())),
                title(i.before),
                hm(i.start)
            )
        }));
        Ok(Confirm::Plan {
            lines,
            kinds,
            by: showcall_core::text::clock_hm(o.by, tz),
            end: showcall_core::text::clock_hm(o.plan_end, tz),
        })
    }

    /// Writes the confirmed plan, unless it changed since it was shown
    /// (time moved on): then it is shown again.
    pub(super) fn apply_plan(&mut self, shown: Vec<Kind>, now: DateTime<Utc>) {
        match self.show.apply(&Action::ApplyPlan, now) {
            Ok(kinds) if kinds == shown => {
                self.write(kinds, now, None);
            }
            Ok(_) => {
                if let Ok(c) = self.plan_confirm(now) {
                    self.mode = Mode::Confirm(c);
                }
                self.say("the plan changed as time went on: check it again", true);
            }
            Err(e) => self.say(e.to_string(), true),
        }
    }
}
