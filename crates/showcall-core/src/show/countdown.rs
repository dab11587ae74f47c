//! One countdown type and one rounding rule, for every screen, `check
//! --status` and the report.
//!
//! The rule: whole seconds from `now` to an instant are rounded **up**, so a
//! countdown reads `0:00` only once its instant is reached, never for the
//! second before it. The same rule read backwards makes every count-up
//! (elapsed, overdue, over, late by) round **down**: a count-up shows `0:01`
//! once a whole second has passed. Two countdowns to the same instant
//! therefore always show the same text, and a countdown plus the matching
//! count-up always add up to the whole.

use chrono::{DateTime, TimeDelta, Utc};

use crate::text::hms;

/// `d` in whole seconds, rounded up (towards the future).
pub fn ceil_secs(d: TimeDelta) -> i64 {
    let ms = d.num_milliseconds();
    ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) > 0)
}

/// How long a session (or an intervention, a hold) took between two
/// stamps, in whole seconds, as every screen, `check --status` and the
/// review show it: the difference of the two instants each cut to its
/// second, so the duration always agrees with the start and end printed
/// beside it (15:00:00.9 → 15:31:25.1 took 31:25, as `15:00:00` and
/// `15:31:25` read, never 31:24).
pub fn span_s(start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    end.timestamp() - start.timestamp()
}

/// `d` in whole seconds, rounded down: how a count-up or a lateness reads.
pub fn floor_secs(d: TimeDelta) -> i64 {
    -ceil_secs(-d)
}

/// A countdown to an instant as it reads at `now`, in whole seconds.
///
/// Positive: seconds still to go (rounded up). Zero: the instant is reached
/// (for the first second). Negative: the instant passed that many whole
/// seconds ago (rounded down).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Countdown(i64);

impl Countdown {
    /// From `now` to `to`.
    pub fn to(now: DateTime<Utc>, to: DateTime<Utc>) -> Countdown {
        Countdown(ceil_secs(to - now))
    }

    /// Of a time still remaining (negative once over).
    pub fn of(remaining: TimeDelta) -> Countdown {
        Countdown(ceil_secs(remaining))
    }

    /// Signed whole seconds: positive to go, negative past.
    pub fn secs(self) -> i64 {
        self.0
    }

    /// True once the instant has passed by a whole second or more.
    pub fn is_past(self) -> bool {
        self.0 < 0
    }

    /// Whole seconds since the instant; 0 while it is still ahead.
    pub fn past_secs(self) -> i64 {
        (-self.0).max(0)
    }

    /// `6:00` while to go, `0:00` at the instant, `+1:20` once past.
    pub fn text(self) -> String {
        if self.0 < 0 {
            format!("+{}", hms(-self.0))
        } else {
            hms(self.0)
        }
    }

    /// `6:00` while to go; `0:00` once reached or past (for a plan's own
    /// countdown, which never counts up).
    pub fn text_to_zero(self) -> String {
        hms(self.0.max(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn rounds_up_to_the_instant_and_down_after_it() {
        let to = at("2023-06-22T10:10:00Z");
        // 10:04:00.000 → 360 s exactly.
        assert_eq!(Countdown::to(at("2023-06-22T10:04:00Z"), to).text(), "6:00");
        // 10:04:00.400 → 359.6 s, rounded up to 360.
        assert_eq!(
            Countdown::to(at("2023-06-22T10:04:00.400Z"), to).text(),
            "6:00"
        );
        // 10:09:59.999 → 0.001 s: still 0:01, never 0:00 before the instant.
        assert_eq!(
            Countdown::to(at("2023-06-22T10:09:59.999Z"), to).text(),
            "0:01"
        );
        assert_eq!(Countdown::to(to, to).text(), "0:00");
        // 0.4 s past: not a whole second yet.
        assert_eq!(
            Countdown::to(at("2023-06-22T10:10:00.400Z"), to).text(),
            "0:00"
        );
        // 80.5 s past → +1:20.
        assert_eq!(
            Countdown::to(at("2023-06-22T10:11:20.500Z"), to).text(),
            "+1:20"
        );
    }

    #[test]
    fn a_countdown_and_its_count_up_add_up() {
        // since 10:00:00.486, allotted 600 s, at 10:04:00.000:
        // remaining 360.486 → 361, elapsed 239.514 → 239; 361 + 239 = 600.
        let since = at("2023-06-22T10:00:00.486Z");
        let now = at("2023-06-22T10:04:00Z");
        let rem = Countdown::of(TimeDelta::seconds(600) - (now - since)).secs();
        let el = floor_secs(now - since);
        assert_eq!((rem, el), (361, 239));
    }

    #[test]
    fn floor_and_ceil_mirror() {
        assert_eq!(ceil_secs(TimeDelta::milliseconds(-1200)), -1);
        assert_eq!(floor_secs(TimeDelta::milliseconds(-1200)), -2);
        assert_eq!(floor_secs(TimeDelta::milliseconds(2999)), 2);
        assert_eq!(ceil_secs(TimeDelta::milliseconds(2001)), 3);
    }
}
