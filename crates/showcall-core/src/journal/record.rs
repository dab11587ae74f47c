//! Which clock stamps a journal: the `open` entry's record (the real clock,
//! or a show clock and how far `--rehearse` moved the agenda), and reading
//! it from the journal's first line.

use std::path::Path;

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};

use super::{Entry, Kind, format, replay};

/// Which clock stamps a journal's entries, recorded in its `open` entry
/// (docs/journal.md, "The journal's clock").
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JournalClock {
    /// The real wall clock.
    Real,
    /// A show clock (`--at`, `--speed`): at the real instant `wall` it read
    /// `show`, and it runs `speed` show seconds per real second.
    Show {
        /// Real instant, UTC.
        wall: DateTime<FixedOffset>,
        /// The show instant it stood for, in the event's offset.
        show: DateTime<FixedOffset>,
        /// Show seconds per real second, finite and > 0.
        speed: f64,
    },
}

impl JournalClock {
    /// The show instant at the real instant `wall_now`.
    pub fn show_at(&self, wall_now: DateTime<Utc>) -> DateTime<Utc> {
        match *self {
            JournalClock::Real => wall_now,
            JournalClock::Show { wall, show, speed } => {
                let real_ns = (wall_now - wall.with_timezone(&Utc))
                    .num_nanoseconds()
                    .unwrap_or(i64::MAX) as f64;
                let ns = (real_ns * speed).clamp(-4e18, 4e18) as i64;
                let show = show.with_timezone(&Utc);
                // Past chrono's last representable instant: stay at the end.
                show.checked_add_signed(TimeDelta::nanoseconds(ns))
                    .unwrap_or(if ns > 0 {
                        DateTime::<Utc>::MAX_UTC
                    } else {
                        DateTime::<Utc>::MIN_UTC
                    })
            }
        }
    }

    /// True when both read the same show instant at every real instant (to
    /// the millisecond the journal keeps).
    pub fn same_as(&self, other: &JournalClock) -> bool {
        match (self, other) {
            (JournalClock::Real, JournalClock::Real) => true,
            (JournalClock::Show { wall, speed, .. }, JournalClock::Show { speed: speed2, .. }) => {
                let w = wall.with_timezone(&Utc);
                (speed - speed2).abs() <= 1e-9 * speed.abs()
                    && (self.show_at(w) - other.show_at(w)).abs() <= TimeDelta::milliseconds(1)
            }
            _ => false,
        }
    }

    /// In words, for messages: `the real clock`, or `a show clock that read
    /// 15:38:00 at 08:10:00 UTC, 10× real time`.
    pub fn describe(&self) -> String {
        match self {
            JournalClock::Real => "the real clock".to_owned(),
            JournalClock::Show { wall, show, speed } => format!(
                "a show clock that read {} ({}) at {} UTC, {speed}× real time",
                show.format("%H:%M:%S"),
                show.format("%Y-%m-%d"),
                wall.with_timezone(&Utc).format("%Y-%m-%d %H:%M:%S")
            ),
        }
    }
}

/// The clock an `open` entry records, and how far `--rehearse` moved the
/// agenda (seconds; `None`: not moved).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClockRecord {
    /// What stamps the entries.
    pub clock: JournalClock,
    /// `--rehearse`: how far the whole agenda was moved, seconds (positive:
    /// later); `None`: not moved.
    pub shift_s: Option<i64>,
}

impl ClockRecord {
    /// The real clock, agenda not moved: a real show.
    pub const REAL: ClockRecord = ClockRecord {
        clock: JournalClock::Real,
        shift_s: None,
    };

    /// True for anything but a real show: a show clock or a moved agenda.
    pub fn is_rehearsal(&self) -> bool {
        *self != ClockRecord::REAL
    }

    /// Same clock and same shift.
    pub fn same_as(&self, other: &ClockRecord) -> bool {
        self.clock.same_as(&other.clock) && self.shift_s == other.shift_s
    }

    /// In words, for messages.
    pub fn describe(&self) -> String {
        match self.shift_s {
            Some(s) => format!(
                "{}, agenda moved by {}",
                self.clock.describe(),
                crate::text::signed_hms(s)
            ),
            None => self.clock.describe(),
        }
    }
}

/// The journal's first entry, read from its first line alone (at most
/// 64 KiB): the `open` entry that records the journal's clock, without
/// reading a journal of a million entries to find it. `Ok(None)` for an
/// empty file or a first line that is not an entry. Errors: the file cannot
/// be opened or read, or is not a regular file.
pub fn read_first(path: &Path) -> std::io::Result<Option<Entry>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(replay::not_regular());
    }
    let mut head = Vec::with_capacity(1024);
    (&mut file).take(64 * 1024).read_to_end(&mut head)?;
    let Some(end) = head.iter().position(|&b| b == b'\n') else {
        return Ok(None);
    };
    Ok(format::parse_bytes(&head[..end]).ok())
}

/// The clock of a journal whose entries are `entries`: from its `open`
/// entry; a journal without one, or whose `open` does not say, is a
/// real-clock journal.
pub fn clock_of(entries: &[Entry]) -> ClockRecord {
    entries
        .iter()
        .find_map(|e| match &e.kind {
            Kind::Open { clock, .. } => {
                Some(clock.as_deref().copied().unwrap_or(ClockRecord::REAL))
            }
            _ => None,
        })
        .unwrap_or(ClockRecord::REAL)
}
