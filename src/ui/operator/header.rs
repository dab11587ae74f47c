//! The header: the event's title and the journal's state, then the clocks,
//! the headline lateness and the projected end.

use chrono::{DateTime, Utc};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use showcall_core::show::{Snapshot, floor_secs};
use showcall_core::status::lateness_text;
use showcall_core::text::{clock_hm, clock_hms, hms, sanitize, width, zone_abbr};

use super::words;
use crate::operator::{JournalState, Operator};
use crate::ui::canvas::Panel;
use showcall_core::text::truncate;

/// The two header lines.
pub(super) fn panel(
    op: &Operator,
    snap: &Snapshot,
    now: DateTime<Utc>,
    off_day: bool,
    area: Rect,
) -> Panel {
    let mut p = Panel::new(area, None);
    let [l1, l2] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    p.put(l1, title_line(op, snap, now, area.width as usize));
    p.put(l2, clock_line(op, snap, now, off_day, area.width as usize));
    p
}

/// The first line: the event's title (or the agenda's reload news) on the
/// left, the journal's state and any alarms on the right, in `cols`
/// columns.
fn title_line(op: &Operator, snap: &Snapshot, now: DateTime<Utc>, cols: usize) -> Line<'static> {
    let theme = op.theme;
    let right = state_spans(op, snap, now);
    let right_w: usize = right.iter().map(|s| s.width()).sum();
    // A broken agenda file says so in the title's place until it is fixed;
    // a reload says what changed for a few seconds.
    // A journal that cannot be written says why first, from the second the
    // fault is found (the writer checks its file every second).
    let fault = match op.journal_state() {
        JournalState::NotSaved { reason, .. } => Some(format!("journal: {reason}")),
        _ => None,
    };
    let (text, style) = match (fault, &op.agenda_error, &op.reloaded) {
        (Some(why), _, _) => (why, theme.alert()),
        (None, Some(err), _) => (
            format!("{} {err}", words::AGENDA_NOT_RELOADED),
            theme.alert(),
        ),
        (None, None, Some((what, _))) => (what.clone(), theme.good().add_modifier(Modifier::BOLD)),
        (None, None, None) => (op.show.agenda.event.title.clone(), theme.title()),
    };
    let title_w = cols.saturating_sub(right_w + 2);
    let title = truncate(&sanitize(&text), title_w).into_owned();
    let pad = cols.saturating_sub(showcall_core::text::width(&title) + 1 + right_w);
    let mut spans = vec![
        Span::raw(" "),
        Span::styled(title, style),
        Span::raw(" ".repeat(pad)),
    ];
    spans.extend(right);
    Line::from(spans)
}

/// The first line's right side: REHEARSAL, HOLD, the hard-end alarm, then
/// the journal's state, in that order.
fn state_spans(op: &Operator, snap: &Snapshot, now: DateTime<Utc>) -> Vec<Span<'static>> {
    let theme = op.theme;
    let tz = op.show.agenda.event.tz;
    let state = match op.journal_state() {
        JournalState::Empty => Span::styled(words::NOTHING_LOGGED, theme.dim()),
        JournalState::Saved => Span::styled(words::SAVED, theme.good()),
        JournalState::NotSaved { count, .. } => {
            Span::styled(words::not_saved(count), theme.alert())
        }
        JournalState::ReadOnly(why) => Span::styled(words::read_only(&why), theme.bad()),
    };
    let mut right = vec![state];
    // The hard end: an alarm once the projected end passes it, louder
    // (reversed, blinking) once the clock itself has.
    if let Some(o) = &snap.overshoot {
        let by = clock_hm(o.by, tz);
        let (text, style) = if now >= o.by {
            (
                format!(" HARD END {by} PASSED +{} ", hms(floor_secs(now - o.by))),
                theme
                    .alert()
                    .add_modifier(Modifier::REVERSED | Modifier::SLOW_BLINK),
            )
        } else {
            (
                format!(" PAST HARD END {by} +{} · p ", hms(floor_secs(o.over))),
                theme.alert(),
            )
        };
        right.insert(0, Span::styled(text, style));
    }
    // Held: said first, with how long, on every pass (the clock's second).
    if let Some(h) = op.show.fold().hold().filter(|h| h.start <= now) {
        let secs = showcall_core::show::floor_secs(now - h.start);
        right.insert(
            0,
            Span::styled(
                format!(" HOLD {} ", showcall_core::text::hms(secs)),
                theme.alert(),
            ),
        );
    }
    if op.rehearsal {
        right.insert(0, Span::styled(words::REHEARSAL, theme.rehearsal()));
    }
    right
}

/// The second line: the clock, the extra zones' clocks that fit in `cols`
/// columns, the headline lateness and the projected end.
fn clock_line(
    op: &Operator,
    snap: &Snapshot,
    now: DateTime<Utc>,
    off_day: bool,
    cols: usize,
) -> Line<'static> {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    // Clocks first, then lateness and end; extra zones only if they fit.
    let clock = Span::styled(
        format!(" {} {}", clock_hms(now, tz), zone_abbr(now, tz)),
        theme.title(),
    );
    let (late, end) = if off_day {
        let start = agenda.planned_start();
        (
            Span::styled(format!(" {} ", words::NOT_TODAY), theme.alert()),
            Span::raw(words::event_when(
                &start.with_timezone(&tz).format("%a %-d %b %Y").to_string(),
                &clock_hm(start, tz),
                &clock_hm(snap.planned_end, tz),
                &zone_abbr(start, tz),
            )),
        )
    } else {
        lateness_spans(op, snap, now, cols.saturating_sub(clock.width() + 2))
    };
    let fixed_w = clock.width() + late.width() + end.width() + 2;
    let mut extra = Vec::new();
    let mut used = fixed_w;
    for s in zone_clocks(agenda, now) {
        if used + width(&s) > cols {
            break;
        }
        used += width(&s);
        extra.push(Span::styled(s, theme.dim()));
    }
    let mut spans = vec![clock];
    spans.extend(extra);
    spans.push(Span::raw("  "));
    spans.push(late);
    spans.push(end);
    Line::from(spans)
}

/// The headline lateness (with the spare time, where `room` columns leave
/// space for it) and the projected end against the plan.
fn lateness_spans(
    op: &Operator,
    snap: &Snapshot,
    now: DateTime<Utc>,
    room: usize,
) -> (Span<'static>, Span<'static>) {
    let theme = op.theme;
    let agenda = &op.show.agenda;
    let tz = agenda.event.tz;
    // Behind is never green: a minute or more is an alert, less a
    // warning; on time and ahead are good.
    let late = snap.headline.late_s;
    let style = if late >= 60 {
        theme.alert()
    } else if late > 0 {
        theme.signal_badge(showcall_core::show::Signal::Warn)
    } else {
        theme.good().add_modifier(Modifier::BOLD)
    };
    let mut text = format!(" {} ", lateness_text(&snap.headline));
    let end = Span::raw(words::end_against_plan(
        &end_clock(snap.projected_end, now, tz),
        &end_clock(snap.planned_end, now, tz),
    ));
    // The spare time, and before which session, in what the clock,
    // the lateness and the end leave: the session's title is cut (or
    // left out) first, never the numbers.
    if let Some((secs, i)) = snap.headline.spare {
        // The spare's amount first, then the extra clocks (`also_show`),
        // then the title of the session it is before.
        let zones: usize = zone_clocks(agenda, now).iter().map(|z| width(z)).sum();
        let room = room.saturating_sub(width(&text) + end.width());
        let head = format!("· {} spare", hms(secs));
        let title = sanitize(&agenda.sessions[i].title);
        let full = format!("{head} before {title} ");
        let fits = room.saturating_sub(width(&head) + 9 + zones);
        if width(&full) + zones <= room {
            text.push_str(&full);
        } else if fits >= 8 {
            text.push_str(&format!("{head} before {} ", truncate(&title, fits)));
        } else if width(&head) < room {
            text.push_str(&format!("{head} "));
        }
    }
    (Span::styled(text, style), end)
}

/// The extra clocks (`also_show`) as the header writes them:
/// `  New York 09:00`.
fn zone_clocks(agenda: &showcall_core::agenda::Agenda, now: DateTime<Utc>) -> Vec<String> {
    agenda
        .event
        .also_show
        .iter()
        .map(|z| {
            let name = z
                .name()
                .rsplit('/')
                .next()
                .unwrap_or(z.name())
                .replace('_', " ");
            format!("  {name} {}", clock_hm(now, *z))
        })
        .collect()
}

/// `16:34`, or `Fri 3 Nov 16:34` when that instant is not on `now`'s
/// local day.
fn end_clock(at: DateTime<Utc>, now: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    showcall_core::text::clock_hm_on(at, now, tz)
}
