//! Where "now" comes from.
//!
//! The engine and every view take `now` as an argument; only the shell asks a
//! [`Clock`]. The simulated clock makes rehearsals and demos possible
//! (`--at`, `--speed`, `--rehearse`). [`ForwardClock`] keeps the show's
//! time moving forward when the system clock steps (docs/timing.md, "When
//! the system clock steps"). Nothing here reads a file or a terminal.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveTime, TimeDelta, TimeZone, Utc};

use crate::agenda::Agenda;
use crate::journal::JournalClock;

/// A source of the show's current instant.
pub trait Clock {
    /// The show's current instant, UTC (for a show clock, the instant it stands
    /// for, not the wall clock's).
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

    /// A monotonic reading taken with [`Clock::now`], in real time since
    /// any fixed origin: what the wall clock should have moved by. `None`
    /// for a clock that cannot step (fixed, or simulated from the
    /// monotonic clock itself).
    fn steady(&self) -> Option<Duration> {
        None
    }
}

/// The process's monotonic clock, from a fixed origin.
fn steady_now() -> Duration {
    static ORIGIN: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed()
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn steady(&self) -> Option<Duration> {
        Some(steady_now())
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
    /// A show clock reading `origin` now and running `speed` show seconds per
    /// real second (`speed` finite and > 0, as `--speed` checks; 1.0 is real
    /// time).
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

    fn steady(&self) -> Option<Duration> {
        Some(steady_now())
    }
}

/// A jump of the system clock against the monotonic clock, as a
/// [`ForwardClock`] saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// How far the wall clock jumped, in whole real seconds (negative:
    /// back), rounded to the nearest second.
    pub step_s: i64,
    /// The show's instant when the step was seen.
    pub at: DateTime<Utc>,
}

/// The smallest jump of the wall clock against the monotonic clock that is
/// reported as a [`Step`]. Smaller ones (NTP's slewing, scheduling jitter)
/// are absorbed without a word; the show's time is kept forward either way.
pub const STEP_THRESHOLD: TimeDelta = TimeDelta::seconds(1);

/// The show's time: the inner clock, kept from ever running backwards.
///
/// It reads `inner + offset`, where `offset` (never negative) grows when
/// the wall clock steps back against the monotonic clock, so the show's
/// time runs on without a jump, and when [`ForwardClock::at_least`] is
/// given a later journal entry ("now" is never behind the last entry). A
/// later step forward uses up the offset first: a clock set back and then
/// set right again leaves the show where it was. A step forward with no
/// offset is taken as it is (the clock was set right, or the machine slept).
/// Every step of [`STEP_THRESHOLD`] or more is kept for
/// [`ForwardClock::take_steps`], so the screens can say so and the writer
/// can journal it (`clock_step`).
pub struct ForwardClock {
    inner: Box<dyn Clock>,
    state: Mutex<Forward>,
}

#[derive(Debug, Default)]
struct Forward {
    /// The last reading: inner, monotonic, show.
    last: Option<(DateTime<Utc>, Option<Duration>, DateTime<Utc>)>,
    offset: TimeDelta,
    steps: Vec<Step>,
}

impl ForwardClock {
    /// Wraps a clock; the offset starts at zero.
    pub fn new(inner: Box<dyn Clock>) -> ForwardClock {
        ForwardClock {
            inner,
            state: Mutex::new(Forward::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Forward> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The show's time, and at least `floor` (the journal's last stamp):
    /// when `floor` is later, the offset grows so the show's time runs on
    /// from `floor`.
    pub fn at_least(&self, floor: Option<DateTime<Utc>>) -> DateTime<Utc> {
        let now = self.now();
        match floor {
            Some(f) if f > now => {
                let mut st = self.state();
                st.offset += f - now;
                if let Some(last) = st.last.as_mut() {
                    last.2 = f;
                }
                f
            }
            _ => now,
        }
    }

    /// The steps seen since the last call, oldest first.
    pub fn take_steps(&self) -> Vec<Step> {
        std::mem::take(&mut self.state().steps)
    }

    /// How far the show's time runs ahead of the inner clock (zero or more).
    pub fn offset(&self) -> TimeDelta {
        self.state().offset
    }
}

impl Clock for ForwardClock {
    fn now(&self) -> DateTime<Utc> {
        let raw = self.inner.now();
        let steady = self.inner.steady();
        let speed = self.inner.speed();
        let mut st = self.state();
        let mut show = raw + st.offset;
        if let Some((last_raw, last_steady, last_show)) = st.last {
            if let (Some(now_s), Some(then_s)) = (steady, last_steady) {
                let real = now_s.saturating_sub(then_s).as_secs_f64() * speed;
                let moved = TimeDelta::nanoseconds((real * 1e9) as i64);
                let drift = raw - (last_raw + moved);
                let cont = last_show + moved;
                if show < cont {
                    // Back: the show's time runs on as the monotonic clock.
                    st.offset += cont - show;
                    show = cont;
                } else if show > cont && st.offset > TimeDelta::zero() {
                    // Forward: use up the offset a step back left.
                    let give = st.offset.min(show - cont);
                    st.offset -= give;
                    show -= give;
                }
                if drift.abs() >= STEP_THRESHOLD {
                    let secs = drift.num_milliseconds() as f64 / 1000.0 / speed;
                    st.steps.push(Step {
                        step_s: secs.round() as i64,
                        at: show,
                    });
                }
            }
            if show < last_show {
                st.offset += last_show - show;
                show = last_show;
            }
        }
        st.last = Some((raw, steady, show));
        show
    }

    fn speed(&self) -> f64 {
        self.inner.speed()
    }

    fn steady(&self) -> Option<Duration> {
        self.inner.steady()
    }
}

/// A clock whose wall time and monotonic time tests move by hand: `advance`
/// moves both (time passing), `step` moves the wall clock alone (the system
/// clock set back or forward). Clones share one clock.
#[derive(Debug, Clone)]
pub struct FakeClock(Arc<Mutex<(DateTime<Utc>, Duration)>>);

impl FakeClock {
    /// A clock reading `at`, its monotonic reading at zero.
    pub fn new(at: DateTime<Utc>) -> FakeClock {
        FakeClock(Arc::new(Mutex::new((at, Duration::ZERO))))
    }

    fn with<T>(&self, f: impl FnOnce(&mut (DateTime<Utc>, Duration)) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Time passes: the wall and the monotonic clock move by `d` (≥ 0).
    pub fn advance(&self, d: Duration) {
        self.with(|c| {
            c.0 += TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX);
            c.1 += d;
        });
    }

    /// The system clock is set: the wall clock alone moves by `d`
    /// (negative: back).
    pub fn step(&self, d: TimeDelta) {
        self.with(|c| c.0 += d);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        self.with(|c| c.0)
    }

    fn steady(&self) -> Option<Duration> {
        Some(self.with(|c| c.1))
    }
}

/// Parses `--at`: RFC 3339 (`2023-06-22T15:38:00+02:00`), or `HH:MM[:SS]`
/// on the event's date in the event's zone (an hour that occurs twice at a
/// clock change: its first occurrence). Returns the instant in UTC.
///
/// Errors, in words for the user: not a time in either form, or a local
/// time the clocks skip that day (daylight-saving change).
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

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// A live show at 15:05:00; `step` moves the wall clock, then 30 s pass.
    fn stepped(step: TimeDelta) -> (ForwardClock, FakeClock) {
        let fake = FakeClock::new(t("2023-06-22T13:05:00Z"));
        let clock = ForwardClock::new(Box::new(fake.clone()));
        assert_eq!(clock.now(), t("2023-06-22T13:05:00Z"));
        fake.advance(Duration::from_secs(10));
        fake.step(step);
        (clock, fake)
    }

    #[test]
    fn a_step_back_does_not_move_the_show_back() {
        for (back, label) in [(120, "2 minutes"), (3600, "1 hour"), (2, "2 seconds")] {
            let (clock, fake) = stepped(TimeDelta::seconds(-back));
            // 15:05:00 + 10 s passed; the wall says 15:05:10 - back, the
            // show keeps 15:05:10.
            assert_eq!(clock.now(), t("2023-06-22T13:05:10Z"), "{label}");
            assert_eq!(
                clock.take_steps(),
                [Step {
                    step_s: -back,
                    at: t("2023-06-22T13:05:10Z")
                }],
                "{label}"
            );
            assert_eq!(clock.offset(), TimeDelta::seconds(back), "{label}");
            // And it runs on at the real rate: 30 s later, 15:05:40.
            fake.advance(Duration::from_secs(30));
            assert_eq!(clock.now(), t("2023-06-22T13:05:40Z"), "{label}");
            assert!(clock.take_steps().is_empty(), "reported once: {label}");
        }
    }

    #[test]
    fn a_step_forward_is_taken_and_reported() {
        for fwd in [3, 120, 3600] {
            let (clock, _fake) = stepped(TimeDelta::seconds(fwd));
            // 15:05:10 on the monotonic clock, plus the step.
            assert_eq!(
                clock.now(),
                t("2023-06-22T13:05:10Z") + TimeDelta::seconds(fwd)
            );
            assert_eq!(clock.take_steps()[0].step_s, fwd);
            assert_eq!(clock.offset(), TimeDelta::zero());
        }
    }

    #[test]
    fn set_back_then_set_right_leaves_the_show_where_it_was() {
        let (clock, fake) = stepped(TimeDelta::hours(-1));
        assert_eq!(clock.now(), t("2023-06-22T13:05:10Z"));
        fake.advance(Duration::from_secs(50));
        fake.step(TimeDelta::hours(1)); // NTP sets it right
        // 15:05:00 + 60 s of real time: 15:06:00, not 16:06:00.
        assert_eq!(clock.now(), t("2023-06-22T13:06:00Z"));
        let steps: Vec<i64> = clock.take_steps().iter().map(|s| s.step_s).collect();
        assert_eq!(steps, [-3600, 3600]);
        assert_eq!(clock.offset(), TimeDelta::zero());
    }

    #[test]
    fn jitter_below_the_threshold_is_not_a_step_but_never_goes_back() {
        let (clock, _fake) = stepped(TimeDelta::milliseconds(-400));
        // The show holds 15:05:10 rather than read 15:05:09.6.
        assert_eq!(clock.now(), t("2023-06-22T13:05:10Z"));
        assert!(clock.take_steps().is_empty());
    }

    #[test]
    fn now_is_never_behind_the_journal_and_runs_on_from_it() {
        let fake = FakeClock::new(t("2023-06-22T13:00:00Z"));
        let clock = ForwardClock::new(Box::new(fake.clone()));
        // The journal's last entry is 2 minutes ahead of this clock (a
        // restart after a step back, or another machine's clock).
        let last = t("2023-06-22T13:02:00Z");
        assert_eq!(clock.at_least(Some(last)), last);
        fake.advance(Duration::from_secs(5));
        assert_eq!(clock.now(), t("2023-06-22T13:02:05Z"));
        // An earlier floor changes nothing.
        assert_eq!(
            clock.at_least(Some(t("2023-06-22T13:01:00Z"))),
            t("2023-06-22T13:02:05Z")
        );
        assert!(clock.take_steps().is_empty(), "a raise is not a step");
    }

    #[test]
    fn a_step_on_a_sped_up_show_clock_is_told_in_real_seconds() {
        // A show clock 10 times faster than real time: a wall step of -120 s
        // reads as -1,200 show seconds; the step is the wall's, -120.
        struct Fast(FakeClock);
        impl Clock for Fast {
            fn now(&self) -> DateTime<Utc> {
                let base = t("2023-06-22T13:00:00Z");
                base + (self.0.now() - base) * 10
            }
            fn speed(&self) -> f64 {
                10.0
            }
            fn steady(&self) -> Option<Duration> {
                self.0.steady()
            }
        }
        let fake = FakeClock::new(t("2023-06-22T13:00:00Z"));
        let clock = ForwardClock::new(Box::new(Fast(fake.clone())));
        clock.now();
        fake.advance(Duration::from_secs(1));
        fake.step(TimeDelta::seconds(-120));
        // 1 real second at 10×: 13:00:10 on the show clock.
        assert_eq!(clock.now(), t("2023-06-22T13:00:10Z"));
        assert_eq!(clock.take_steps()[0].step_s, -120);
    }

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
