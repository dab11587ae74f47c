//! Where "now" comes from.
//!
//! The engine and every view take `now` as an argument; only the shell asks a
//! [`Clock`]. The simulated clock makes rehearsals and demos possible
//! (`--at`, `--speed`, `--rehearse`). Nothing here reads a file or a terminal.

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveTime, TimeDelta, TimeZone, Utc};

use crate::agenda::Agenda;
use crate::journal::JournalClock;

/// A source of the show's current instant.
pub trait Clock {
    fn now(&self) -> DateTime<Utc>;

    /// How many show-clock seconds pass per real second.
    fn speed(&self) -> f64 {
        1.0
    }

    /// Real time until the show clock reaches its next whole second: the
    /// shell sleeps exactly this long, so an idle screen wakes once a second.
    fn until_next_second(&self) -> Duration {
        let now = self.now();
        let into = now.timestamp_subsec_nanos() as u64;
        let show_ns = 1_000_000_000u64.saturating_sub(into).max(1);
        let real_ns = (show_ns as f64 / self.speed().max(f64::MIN_POSITIVE)).ceil() as u64;
        // Land a hair after the boundary, never just before it.
        Duration::from_nanos(real_ns) + Duration::from_millis(2)
    }
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that never moves: for tests and for printing a status at `--at`.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A show clock that starts at `origin` and runs `speed` times faster than
/// real time.
#[derive(Debug, Clone, Copy)]
pub struct SimClock {
    origin: DateTime<Utc>,
    started: Instant,
    speed: f64,
}

impl SimClock {
    pub fn new(origin: DateTime<Utc>, speed: f64) -> Self {
        SimClock {
            origin,
            started: Instant::now(),
            speed,
        }
    }
}

impl Clock for SimClock {
    fn now(&self) -> DateTime<Utc> {
        let real = self.started.elapsed().as_secs_f64() * self.speed;
        self.origin + TimeDelta::nanoseconds((real * 1e9) as i64)
    }

    fn speed(&self) -> f64 {
        self.speed
    }
}

/// The show clock a journal records ([`JournalClock`]): computed from the
/// real wall clock and the journal's mapping, so every process reading the
/// same journal shows the same instant.
#[derive(Debug, Clone, Copy)]
pub struct ShowClock(pub JournalClock);

impl Clock for ShowClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.show_at(Utc::now())
    }

    fn speed(&self) -> f64 {
        match self.0 {
            JournalClock::Real => 1.0,
            JournalClock::Show { speed, .. } => speed,
        }
    }
}

/// Parses `--at`: RFC 3339 (`2023-06-22T15:38:00+02:00`), or `HH:MM[:SS]`
/// on the event's date in the event's zone.
pub fn parse_at(s: &str, agenda: &Agenda) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let time = NaiveTime::parse_from_str(s, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .map_err(|_| {
            format!(
                "'{s}' is not a time: use HH:MM (on the event's date, {}) or RFC 3339 like 2023-06-22T15:38:00+02:00",
                agenda.event.date
            )
        })?;
    let local = agenda.event.date.and_time(time);
    match agenda.event.tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(a, _) => Ok(a.with_timezone(&Utc)),
        chrono::LocalResult::None => Err(format!(
            "{s} does not exist on {} in {} (the clocks skip it); pick another time",
            agenda.event.date, agenda.event.tz
        )),
    }
}

/// The shift that moves the agenda's first session to the next full minute
/// after `now`: a rehearsal of the whole event, starting now.
pub fn rehearsal_shift(agenda: &Agenda, now: DateTime<Utc>) -> TimeDelta {
    let next_minute = DateTime::from_timestamp((now.timestamp() / 60 + 1) * 60, 0).unwrap_or(now);
    next_minute - agenda.planned_start()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_wakes_at_the_second_boundary() {
        let t = DateTime::parse_from_rfc3339("2023-06-22T13:00:00.250Z")
            .unwrap()
            .with_timezone(&Utc);
        let d = FixedClock(t).until_next_second();
        assert!(
            d >= Duration::from_millis(750) && d <= Duration::from_millis(760),
            "{d:?}"
        );
    }

    #[test]
    fn sim_clock_runs_faster() {
        let t = Utc::now();
        let c = SimClock::new(t, 10.0);
        std::thread::sleep(Duration::from_millis(50));
        let moved = c.now() - t;
        assert!(moved >= TimeDelta::milliseconds(500), "{moved:?}");
        assert!(c.until_next_second() <= Duration::from_millis(103));
    }
}
