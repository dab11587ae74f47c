//! One session's row of the SVG timeline: its label, the planned bar and
//! the actual bar, split into the part within its allotment (blue), the
//! time it was held (amber) and the part past its allotment (red), and the
//! marks for a cut session and an out-of-order start.

use std::fmt::Write as _;

use chrono::{DateTime, TimeDelta, Utc};

use super::{
    ACTUAL, Axis, BAR_H, HELD, INK, LABEL_X, MUTED, OVER, PLANNED, TITLE_MAX, escape, rect,
    shorten, text,
};
use crate::report::{Report, SessionReport, SessionState, hms_of};

/// A cross: the mark of a cut session.
pub(super) fn cut_mark(o: &mut String, x: f64, y: f64) {
    let _ = writeln!(
        o,
        r#"    <path d="M{x:.1},{y:.1} l{BAR_H:.1},{BAR_H:.1} M{:.1},{y:.1} l-{BAR_H:.1},{BAR_H:.1}" stroke="{OVER}" stroke-width="2.5"/>"#,
        x + BAR_H
    );
}

/// A triangle pointing down: the mark of a start out of order.
pub(super) fn order_mark(o: &mut String, x: f64, y: f64) {
    let _ = writeln!(
        o,
        r#"    <path d="M{:.1},{y:.1} l{BAR_H:.1},0 l-{:.1},{BAR_H:.1} z" fill="{INK}"/>"#,
        x - BAR_H / 2.0,
        BAR_H / 2.0
    );
}

/// Draws session `s` in the row starting at `y`.
pub(super) fn session(o: &mut String, r: &Report, ax: &Axis, s: &SessionReport, y: f64) {
    let _ = writeln!(o, r#"  <g id="session-{}">"#, escape(&s.id));
    text(
        o,
        LABEL_X,
        y + 15.0,
        13,
        &format!(r#" fill="{INK}""#),
        &escape(&shorten(&s.title, TITLE_MAX)),
    );
    let state = match s.state {
        SessionState::Open => "open (running)",
        SessionState::NotEnded => "not ended",
        st => st.as_str(),
    };
    let order = if s.started_before.is_empty() {
        ""
    } else {
        " · out of order"
    };
    text(
        o,
        LABEL_X,
        y + 31.0,
        11,
        &format!(r#" fill="{MUTED}""#),
        &escape(&format!("{} · {state}{order}", s.id)),
    );
    let (px0, px1) = (ax.x(&s.planned_start), ax.x(&s.planned_end));
    rect(
        o,
        px0,
        px1,
        y + 4.0,
        PLANNED,
        r##" stroke="#757575" stroke-width="0.5""##,
        &escape(&format!(
            "{}: planned {}–{}",
            s.id,
            hms_of(&s.planned_start),
            hms_of(&s.planned_end)
        )),
    );
    let bar_y = y + 20.0;
    match (&s.actual_start, s.state) {
        (Some(a), SessionState::Done | SessionState::Open | SessionState::NotEnded) => {
            actual_bar(o, r, ax, s, a.with_timezone(&Utc), bar_y);
        }
        _ => not_run(o, s, px0, bar_y),
    }
    let _ = writeln!(o, "  </g>");
}

/// A session that did not run: the cross and the reason for a cut one,
/// else its state in words.
fn not_run(o: &mut String, s: &SessionReport, px0: f64, bar_y: f64) {
    let words = match (&s.cut, s.state) {
        (Some(c), SessionState::Cut) => {
            cut_mark(o, px0, bar_y);
            format!("cut at {}: {}", hms_of(&c.at), shorten(&c.reason, 50))
        }
        _ => s.state.as_str().to_owned(),
    };
    let x = if s.state == SessionState::Cut {
        px0 + BAR_H + 6.0
    } else {
        px0
    };
    text(
        o,
        x,
        bar_y + 10.0,
        11,
        &format!(r#" font-style="italic" fill="{MUTED}""#),
        &escape(&words),
    );
}

/// The actual bar from `start`: blue within the allotment (allotted time
/// plus time held), amber over each hold, red past the allotment.
fn actual_bar(
    o: &mut String,
    r: &Report,
    ax: &Axis,
    s: &SessionReport,
    start: DateTime<Utc>,
    bar_y: f64,
) {
    let open = matches!(s.state, SessionState::Open | SessionState::NotEnded);
    let until = s
        .actual_end
        .as_ref()
        .unwrap_or(&r.event.report_at)
        .with_timezone(&Utc);
    let allotted = start + TimeDelta::seconds(s.planned_s + s.adjust_s + s.held_s);
    let (x0, x1) = (ax.x(&start), ax.x(&until));
    let split = ax.x(&allotted).clamp(x0, x1);
    let dash = if open {
        format!(r#" stroke="{INK}" stroke-width="1" stroke-dasharray="4 2""#)
    } else {
        String::new()
    };
    let what = format!(
        "{}: actual {}–{}",
        s.id,
        hms_of(&start.with_timezone(&r.tz).fixed_offset()),
        s.actual_end
            .as_ref()
            .map_or_else(|| "running".to_owned(), hms_of)
    );
    if split > x0 {
        rect(o, x0, split, bar_y, ACTUAL, &dash, &escape(&what));
    }
    if x1 > split {
        let over = format!("{what}, past its allotment");
        rect(o, split, x1, bar_y, OVER, &dash, &escape(&over));
    }
    for h in &s.holds {
        let end = h.end.as_ref().unwrap_or(&r.event.report_at);
        let title = format!(
            "held {}–{}{}",
            hms_of(&h.start),
            hms_of(end),
            h.reason
                .as_deref()
                .map(|x| format!(": {x}"))
                .unwrap_or_default()
        );
        rect(
            o,
            ax.x(&h.start),
            ax.x(end),
            bar_y,
            HELD,
            "",
            &escape(&title),
        );
    }
    if !s.started_before.is_empty() {
        order_mark(o, x0 - BAR_H, bar_y);
    }
    if open {
        let word = if s.state == SessionState::NotEnded {
            "not ended"
        } else {
            "running"
        };
        text(
            o,
            x1 + 4.0,
            bar_y + 10.0,
            11,
            &format!(r#" fill="{INK}""#),
            word,
        );
    }
}
