//! The SVG review: a timeline picture of plan against reality, made to be
//! printed.
//!
//! Owns the drawing (hand-written SVG text, no crate) and XML escaping. Each
//! session gets a planned bar and an actual bar on one time axis labelled in
//! the event's local time; the part past its allotment is red, a hold
//! amber, a cut crossed out, an out-of-order start marked (`rows`); a
//! marker shows "now" for an unfinished show, or the end. White background,
//! dark text, sans-serif, nothing smaller than 11px. Reads only the
//! [`Report`].

mod rows;

use std::fmt::Write as _;

use chrono::{DateTime, TimeZone, Timelike, Utc};

use super::{Report, ShowStatus, hms_of};
use crate::text::{clock_hm, sanitize};

const WIDTH: f64 = 1000.0;
const LABEL_X: f64 = 16.0;
const PLOT_X0: f64 = 300.0;
const PLOT_X1: f64 = 970.0;
const AXIS_Y: f64 = 96.0;
const ROW_Y0: f64 = 108.0;
const ROW_H: f64 = 44.0;
const BAR_H: f64 = 12.0;
/// Longest session title shown, in columns (a wide character counts 2, as
/// its glyph is about twice as wide), before "…".
const TITLE_MAX: usize = 40;

const INK: &str = "#111111";
const MUTED: &str = "#444444";
const GRID: &str = "#d0d0d0";
/// Hour lines: darker than quarter lines, yet clearly lighter and thinner
/// than the show's solid end line (`INK`, 1.5), so the legend holds.
const GRID_HOUR: &str = "#b0b0b0";
/// Stroke widths of a quarter-hour and a full-hour grid line.
const GRID_W: &str = "0.7";
const GRID_HOUR_W: &str = "0.8";
const PLANNED: &str = "#bdbdbd";
const ACTUAL: &str = "#2f5f98";
const OVER: &str = "#c62828";
const HELD: &str = "#f2a900";

/// Escapes text for XML content and attribute values, after sanitising it.
pub(crate) fn escape(s: &str) -> String {
    crate::text::xml_escape(&sanitize(s))
}

/// At most `max` columns, with "…" when cut, never inside a grapheme.
fn shorten(s: &str, max: usize) -> String {
    crate::text::truncate(s, max).into_owned()
}

/// The time axis: `t0..t1` onto `PLOT_X0..PLOT_X1`.
struct Axis {
    t0: i64,
    t1: i64,
}

impl Axis {
    fn x<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> f64 {
        let s = t.timestamp().clamp(self.t0, self.t1);
        PLOT_X0 + (s - self.t0) as f64 / (self.t1 - self.t0) as f64 * (PLOT_X1 - PLOT_X0)
    }
}

/// Every offset in use is a multiple of 15 minutes, so quarter hours line
/// up in UTC and in local time alike.
const QUARTER: i64 = 900;

/// The instant every bar and marker must fit in, rounded out to quarter hours.
fn axis(r: &Report) -> Axis {
    let e = &r.event;
    let mut times = vec![e.planned_start.timestamp(), e.planned_end.timestamp()];
    for s in &r.sessions {
        times.extend(s.actual_start.iter().map(DateTime::timestamp));
        times.extend(s.actual_end.iter().map(DateTime::timestamp));
    }
    if let Some(t) = marker(r) {
        times.push(t.1.timestamp());
    }
    let lo = times.iter().copied().min().unwrap_or(0);
    let hi = times.iter().copied().max().unwrap_or(0);
    let t0 = lo.div_euclid(QUARTER) * QUARTER;
    let mut t1 = (hi + QUARTER - 1).div_euclid(QUARTER) * QUARTER;
    if t1 <= t0 {
        t1 = t0 + QUARTER;
    }
    Axis { t0, t1 }
}

/// The most tick labels the axis carries, whatever the span of times: the
/// picture's size depends on the sessions, never on how far apart the
/// journal's instants are.
const MAX_TICKS: i64 = 16;

/// The grid's instants and whether each is a major line: quarter hours
/// while they fit, then half hours, hours, 2, 3, 6, 12 hours, then whole
/// days (local midnights, bold), at most [`MAX_TICKS`] + 1 of them.
fn ticks(ax: &Axis, tz: chrono_tz::Tz) -> Vec<(DateTime<Utc>, bool)> {
    let span_min = (ax.t1 - ax.t0) / 60;
    let step_min = [15, 30, 60, 120, 180, 360, 720]
        .into_iter()
        .find(|m| span_min / m <= MAX_TICKS)
        .unwrap_or_else(|| {
            let days = (span_min / 1440 / MAX_TICKS + 1).max(1);
            days * 1440
        });
    let at = |t: i64| Utc.timestamp_opt(t, 0).single();
    let minute_of_day = |t: DateTime<Utc>| {
        let l = t.with_timezone(&tz);
        i64::from(l.hour()) * 60 + i64::from(l.minute())
    };
    // The first quarter hour on a multiple of the step in local time (within
    // a day of quarters), then whole steps; offsets change at most by an hour
    // across the span, and a tick a little off the hour is harmless.
    let aligned = |t: DateTime<Utc>| minute_of_day(t) % step_min.min(1440) == 0;
    let mut out = Vec::new();
    let mut t = ax.t0;
    let mut first = None;
    for _ in 0..=96 {
        if t > ax.t1 {
            break;
        }
        if let Some(a) = at(t).filter(|&a| aligned(a)) {
            first = Some(a);
            break;
        }
        t += QUARTER;
    }
    let Some(mut a) = first else {
        return out;
    };
    while a.timestamp() <= ax.t1 && out.len() as i64 <= MAX_TICKS {
        out.push((
            a,
            minute_of_day(a) % 60 == 0 && step_min < 1440 || minute_of_day(a) == 0,
        ));
        match a.checked_add_signed(chrono::TimeDelta::minutes(step_min)) {
            Some(next) => a = next,
            None => break,
        }
    }
    out
}

/// `15:00` on a one-day axis; with the date once the axis spans days.
fn tick_label(ax: &Axis, at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    if ax.t1 - ax.t0 <= 24 * 3600 {
        clock_hm(at, tz)
    } else {
        at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
    }
}

/// The vertical marker: the end of a finished show, otherwise "now".
fn marker(r: &Report) -> Option<(&'static str, DateTime<Utc>)> {
    let e = &r.event;
    match (e.status, &e.actual_end) {
        (ShowStatus::Finished, Some(end)) => Some(("end", end.with_timezone(&Utc))),
        // The journal stopped there: the review ends at it.
        (ShowStatus::NotEnded, _) => Some(("end", e.report_at.with_timezone(&Utc))),
        _ => Some(("now", e.report_at.with_timezone(&Utc))),
    }
}

/// The subtitle's status: when the show really ended, when its journal
/// stopped, or where it stood at the report's instant.
fn status_words(e: &super::EventSummary) -> String {
    match (e.status, &e.actual_end, &e.last_entry) {
        (ShowStatus::Finished, Some(end), _) => format!("finished at {}", hms_of(end)),
        (ShowStatus::NotEnded, _, Some(last)) => {
            format!("not ended: journal stops at {}", hms_of(&last.at))
        }
        (s, _, _) => format!("{} at {}", s.as_str(), hms_of(&e.report_at)),
    }
}

fn rect(o: &mut String, x0: f64, x1: f64, y: f64, fill: &str, extra: &str, title: &str) {
    let w = (x1 - x0).max(1.5);
    let _ = writeln!(
        o,
        r#"    <rect x="{x0:.1}" y="{y:.1}" width="{w:.1}" height="{BAR_H:.1}" fill="{fill}"{extra}><title>{title}</title></rect>"#
    );
}

fn text(o: &mut String, x: f64, y: f64, size: u32, attrs: &str, body: &str) {
    let _ = writeln!(
        o,
        r#"    <text x="{x:.1}" y="{y:.1}" font-size="{size}"{attrs}>{body}</text>"#
    );
}

/// The whole picture.
///
/// ```text
///  Title                                     (18px, bold)
///  date · zone · status · lateness           (13px)
///              15:00    15:15    15:30 …     axis, local time
///  Welcome Remarks   ▓▓▓▓▓ planned
///  welcome · done      ████ actual ░░ held ██ past its allotment
///  Policy Brief      ▓▓▓▓▓ ✕ cut: reason
///  Closing ▸ out of order
///  …                          ┆ now / end marker
///  legend
/// ```
pub(super) fn render(r: &Report) -> String {
    let ax = axis(r);
    let rows_end = ROW_Y0 + ROW_H * r.sessions.len() as f64;
    let legend_y = rows_end + 34.0;
    let height = legend_y + 62.0;
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:.0}" height="{height:.0}" viewBox="0 0 {WIDTH:.0} {height:.0}" font-family="sans-serif" role="img">"#
    );
    header(&mut o, r, height);
    grid(&mut o, &ax, r.tz, rows_end);
    for (i, s) in r.sessions.iter().enumerate() {
        rows::session(&mut o, r, &ax, s, ROW_Y0 + ROW_H * i as f64);
    }
    end_marker(&mut o, r, &ax, rows_end);
    legend(&mut o, &r.event, legend_y);
    o.push_str("</svg>\n");
    o
}

/// The title, the white page and the subtitle (date, zone, status, the
/// lateness at the end, how many sessions ran over).
fn header(o: &mut String, r: &Report, height: f64) {
    let e = &r.event;
    let _ = writeln!(
        o,
        "  <title>{}: {}</title>",
        super::title_words(e),
        escape(&e.title)
    );
    let _ = writeln!(
        o,
        r##"  <rect x="0" y="0" width="{WIDTH:.0}" height="{height:.0}" fill="#ffffff"/>"##
    );
    let _ = writeln!(o, r#"  <g id="header">"#);
    text(
        o,
        LABEL_X,
        30.0,
        18,
        &format!(r#" font-weight="bold" fill="{INK}""#),
        &escape(&shorten(
            &format!("{}: {}", super::title_words(e), e.title),
            90,
        )),
    );
    let lateness = super::over_words(e.end_lateness_s, "late", "early");
    let lateness = if e.actual_end.is_some() {
        format!("end {lateness}")
    } else {
        format!("projected end {lateness}")
    };
    let hard: Vec<String> = e
        .hard_ends
        .iter()
        .map(|h| {
            if h.met {
                format!("hard end {} met", super::when(e, &h.must_end_by))
            } else {
                format!(
                    "hard end {} missed by {}",
                    super::when(e, &h.must_end_by),
                    crate::text::hms(h.past_s)
                )
            }
        })
        .collect();
    let mut line = format!(
        "{} · {}, {} ({}) · {} · {} · {} of {} sessions over",
        e.date.format("%Y-%m-%d"),
        e.zone,
        e.zone_abbr,
        e.utc_offset,
        status_words(e),
        lateness,
        e.sessions_over,
        r.sessions.len()
    );
    for h in hard {
        line.push_str(" · ");
        line.push_str(&h);
    }
    text(
        o,
        LABEL_X,
        52.0,
        13,
        &format!(r#" fill="{INK}""#),
        &escape(&line),
    );
    let _ = writeln!(o, "  </g>");
}

/// Grid lines and tick labels, in local time: quarter hours while they
/// fit, then half hours, then hours.
fn grid(o: &mut String, ax: &Axis, tz: chrono_tz::Tz, rows_end: f64) {
    let _ = writeln!(o, r#"  <g id="axis">"#);
    for (at, hour) in ticks(ax, tz) {
        let x = ax.x(&at);
        let _ = writeln!(
            o,
            r#"    <line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{rows_end:.1}" stroke="{}" stroke-width="{}"/>"#,
            AXIS_Y + 4.0,
            if hour { GRID_HOUR } else { GRID },
            if hour { GRID_HOUR_W } else { GRID_W }
        );
        let weight = if hour { r#" font-weight="bold""# } else { "" };
        let _ = writeln!(
            o,
            r#"    <text x="{x:.1}" y="{AXIS_Y:.1}" font-size="11" text-anchor="middle" fill="{INK}"{weight}>{}</text>"#,
            tick_label(ax, at, tz)
        );
    }
    let _ = writeln!(o, "  </g>");
}

/// The vertical line at the show's end (solid) or at "now" (dashed).
fn end_marker(o: &mut String, r: &Report, ax: &Axis, rows_end: f64) {
    let Some((label, at)) = marker(r) else {
        return;
    };
    let x = ax.x(&at);
    let dash = if label == "now" {
        r#" stroke-dasharray="6 3""#
    } else {
        ""
    };
    let _ = writeln!(
        o,
        r#"  <g id="marker">
    <line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{rows_end:.1}" stroke="{INK}" stroke-width="1.5"{dash}/>"#,
        AXIS_Y + 4.0
    );
    let anchor = if x > PLOT_X1 - 60.0 { "end" } else { "start" };
    text(
        o,
        if anchor == "end" { x - 4.0 } else { x + 4.0 },
        rows_end + 14.0,
        11,
        &format!(r#" text-anchor="{anchor}" font-weight="bold" fill="{INK}""#),
        &format!(
            "{label} {}",
            super::when(&r.event, &at.with_timezone(&r.tz).fixed_offset())
        ),
    );
    let _ = writeln!(o, "  </g>");
}

/// The legend: every colour and mark also has its word.
fn legend(o: &mut String, e: &super::EventSummary, legend_y: f64) {
    let _ = writeln!(o, r#"  <g id="legend">"#);
    let mut x = LABEL_X;
    let items: [(&str, &str, &str); 5] = [
        (
            PLANNED,
            r##" stroke="#757575" stroke-width="0.5""##,
            "planned",
        ),
        (ACTUAL, "", "actual"),
        (OVER, "", "past its allotment"),
        (HELD, "", "held"),
        (
            ACTUAL,
            r##" stroke="#111111" stroke-width="1" stroke-dasharray="4 2""##,
            "still running",
        ),
    ];
    for (fill, extra, label) in items {
        let _ = writeln!(
            o,
            r#"    <rect x="{x:.1}" y="{legend_y:.1}" width="22" height="{BAR_H:.1}" fill="{fill}"{extra}/>"#
        );
        text(
            o,
            x + 28.0,
            legend_y + 10.5,
            12,
            &format!(r#" fill="{INK}""#),
            label,
        );
        x += 40.0 + label.len() as f64 * 7.0;
    }
    let y2 = legend_y + 22.0;
    let _ = writeln!(
        o,
        r#"    <line x1="{LABEL_X:.1}" y1="{:.1}" x2="{LABEL_X:.1}" y2="{:.1}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 3"/>"#,
        y2 - 2.0,
        y2 + BAR_H + 2.0
    );
    text(
        o,
        LABEL_X + 8.0,
        y2 + 10.5,
        12,
        &format!(r#" fill="{INK}""#),
        "now (dashed) / end (solid)",
    );
    rows::cut_mark(o, 230.0, y2);
    text(o, 254.0, y2 + 10.5, 12, &format!(r#" fill="{INK}""#), "cut");
    rows::order_mark(o, 300.0, y2);
    text(
        o,
        316.0,
        y2 + 10.5,
        12,
        &format!(r#" fill="{INK}""#),
        "started out of order",
    );
    let _ = writeln!(
        o,
        r#"    <text x="{LABEL_X:.1}" y="{:.1}" font-size="11" fill="{MUTED}">Times local to {} ({}, {}).</text>"#,
        legend_y + 52.0,
        escape(&e.zone),
        escape(&e.zone_abbr),
        escape(&e.utc_offset)
    );
    let _ = writeln!(o, "  </g>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_lines_are_lighter_and_thinner_than_the_end_line() {
        // The legend says "end (solid)": the end line is INK at 1.5; an
        // hour line must not look like it. Grey level of #rrggbb: its red.
        let grey = |c: &str| u8::from_str_radix(&c[1..3], 16).unwrap();
        assert!(grey(GRID_HOUR) >= grey(INK) + 0x80, "{GRID_HOUR} vs {INK}");
        assert!(GRID_HOUR_W.parse::<f64>().unwrap() <= 0.8);
        // Still a step above the quarter hours.
        assert!(grey(GRID_HOUR) < grey(GRID));
    }

    #[test]
    fn escape_is_xml_safe() {
        assert_eq!(
            escape("<script>&\"'\x1b"),
            "&lt;script&gt;&amp;&quot;&apos;\u{FFFD}"
        );
    }

    #[test]
    fn shortens_long_titles() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcdef", 4), "abc…");
        // 会議室 is 6 columns; in 5 two characters (4) and the ellipsis.
        assert_eq!(shorten("会議室", 5), "会議…");
    }
}
