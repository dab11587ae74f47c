//! Timing hooks for `cargo bench --bench screen`, called from the bench
//! through the library (not part of the command line): one frame of the
//! operator screen ([`frame`]) and one keypress to its redrawn frame on a
//! large journal ([`key`]), each on the real paths, into an in-memory
//! terminal.

use std::time::{Duration, Instant};

use chrono::{SubsecRound, TimeDelta};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use showcall_core::journal::{Follower, OpenInfo, Writer};
use showcall_core::show::Show;

use crate::cli::ShowArgs;
use crate::operator::{Link, Operator};
use crate::setup::{Fail, Setup};

fn other(e: impl std::fmt::Display) -> Fail {
    Fail::Other(anyhow::anyhow!("{e}"))
}

/// What a timing run is given: the agenda, the journal, the show clock's
/// start (`--at`, as on the command line; `None`: the real clock) and the
/// size of the in-memory terminal, in cells.
#[derive(Debug, Clone)]
pub struct BenchArgs {
    pub agenda: std::path::PathBuf,
    pub journal: std::path::PathBuf,
    pub at: Option<String>,
    pub width: u16,
    pub height: u16,
}

impl BenchArgs {
    fn show(&self) -> ShowArgs {
        ShowArgs {
            agenda: self.agenda.clone(),
            journal: Some(self.journal.clone()),
            at: self.at.clone(),
            ..ShowArgs::default()
        }
    }
}

/// A failed timing run, in words.
fn words(f: Fail) -> String {
    match f {
        Fail::BadInput(m) => m,
        Fail::Other(e) => format!("{e:#}"),
    }
}

/// `median … us, p99 … us` of `times` (sorted here).
pub fn spread(times: &mut [Duration]) -> String {
    times.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    format!(
        "median {:.0} us, p99 {:.0} us",
        us(times[times.len() / 2]),
        us(times[(times.len() * 99 / 100).min(times.len() - 1)])
    )
}

/// Paints the operator screen `frames` times, a second apart, on an
/// in-memory terminal and prints the median and p99 time of one frame: the
/// real path (engine snapshot, layout, panels, the painter's redraw and
/// comparison of what changed), minus the tty write.
///
/// Returns the time of each frame and the number of sessions; errors are
/// the command line's messages (a bad agenda or journal).
pub fn frame(args: &BenchArgs, frames: usize) -> Result<(Vec<Duration>, usize), String> {
    frame_run(args, frames).map_err(words)
}

fn frame_run(args: &BenchArgs, frames: usize) -> Result<(Vec<Duration>, usize), Fail> {
    let (width, height) = (args.width, args.height);
    let setup = Setup::new(&args.show())?;
    let show = Show::new(setup.agenda.clone(), setup.read_entries()?);
    let link = Link::Reader {
        follower: Follower::new(&setup.journal),
        why: "bench".into(),
    };
    let op = Operator::new(show, link, setup.rehearsal, Vec::new());
    let mut term = TestBackend::new(width, height);
    let mut painter = crate::paint::Painter::new();
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    let start = setup.clock.now();
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames.max(1) {
        // A new second every frame, as an idle screen sees it.
        let now = start + TimeDelta::seconds(i as i64);
        let t0 = Instant::now();
        let snap = op.snapshot(now);
        painter
            .paint(
                &mut term,
                area,
                crate::ui::operator::scene(&op, &snap, now, area),
            )
            .map_err(other)?;
        times.push(t0.elapsed());
    }
    Ok((times, setup.agenda.sessions.len()))
}

/// Opens the journal as its writer, then presses `+` and `-` in turn
/// `keys` times on the live session, timing each from the keypress to the
/// redrawn frame: the engine's decision, the append and fsync, the fold of
/// the new entry, the snapshot and the drawing. Prints the median and p99,
/// and how long opening (replaying) the journal took.
///
/// Errors are the command line's messages, or a refused key.
pub fn key(args: &BenchArgs, keys: usize) -> Result<KeyTimes, String> {
    key_run(args, keys).map_err(words)
}

/// What [`key`] measured.
#[derive(Debug, Clone)]
pub struct KeyTimes {
    /// Entries in the journal once it was open.
    pub entries: usize,
    /// Opening the journal as its writer and folding it into the show.
    pub open: Duration,
    /// Each keypress to its redrawn frame.
    pub keys: Vec<Duration>,
}

fn key_run(args: &BenchArgs, keys: usize) -> Result<KeyTimes, Fail> {
    let (width, height) = (args.width, args.height);
    let setup = Setup::new(&args.show())?;
    let info = OpenInfo {
        agenda: "bench.toml".into(),
        sha256: setup.agenda.sha256.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let local = |t: chrono::DateTime<chrono::Utc>| {
        t.trunc_subsecs(3)
            .with_timezone(&setup.agenda.event.tz)
            .fixed_offset()
    };
    let t_open = Instant::now();
    let (mut w, _) = Writer::open(&setup.journal, info, local(setup.clock.now())).map_err(other)?;
    let show = Show::new(setup.agenda.clone(), w.take_opened());
    let mut op = Operator::new(show, Link::Writer(w), setup.rehearsal, Vec::new());
    let opened = t_open.elapsed();
    let entries = op.show.entries().len();
    let mut term = TestBackend::new(width, height);
    let mut painter = crate::paint::Painter::new();
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    let mut times = Vec::with_capacity(keys);
    for i in 0..keys.max(1) {
        let c = if i % 2 == 0 { '+' } else { '-' };
        let now = setup.clock.now();
        let t0 = Instant::now();
        op.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), now);
        let snap = op.snapshot(now);
        painter
            .paint(
                &mut term,
                area,
                crate::ui::operator::scene(&op, &snap, now, area),
            )
            .map_err(other)?;
        times.push(t0.elapsed());
    }
    if let Some(t) = &op.toast {
        return Err(other(format!("a key was refused: {}", t.text)));
    }
    Ok(KeyTimes {
        entries,
        open: opened,
        keys: times,
    })
}
