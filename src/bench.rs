//! Hidden subcommands that time the real paths for `cargo bench --bench
//! screen`: one frame (`bench-frame`) and one keypress to its redrawn
//! frame on a large journal (`bench-key`). They print one line each.

use std::time::{Duration, Instant};

use chrono::{SubsecRound, TimeDelta};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use showcall_core::journal::{Follower, OpenInfo, Writer};
use showcall_core::show::Show;

use crate::cli::BenchArgs;
use crate::operator::{Link, Operator};
use crate::setup::{Fail, Setup};

fn other(e: impl std::fmt::Display) -> Fail {
    Fail::Other(anyhow::anyhow!("{e}"))
}

/// `median … us, p99 … us` of `times` (sorted here).
fn spread(times: &mut [Duration]) -> String {
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
pub fn frame(args: &BenchArgs, frames: usize) -> Result<(), Fail> {
    let (width, height) = (args.width, args.height);
    let setup = Setup::new(&args.show)?;
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
    println!(
        "frame: {} sessions, {width}x{height}, {} frames: {}",
        setup.agenda.sessions.len(),
        times.len(),
        spread(&mut times)
    );
    Ok(())
}

/// Opens the journal as its writer, then presses `+` and `-` in turn
/// `keys` times on the live session, timing each from the keypress to the
/// redrawn frame: the engine's decision, the append and fsync, the fold of
/// the new entry, the snapshot and the drawing. Prints the median and p99,
/// and how long opening (replaying) the journal took.
pub fn key(args: &BenchArgs, keys: usize) -> Result<(), Fail> {
    let (width, height) = (args.width, args.height);
    let setup = Setup::new(&args.show)?;
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
    let (w, _) = Writer::open(&setup.journal, info, local(setup.clock.now())).map_err(other)?;
    let show = Show::new(setup.agenda.clone(), w.entries().to_vec());
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
    println!(
        "key: {entries} journal entries, {} keys: {}; opening took {} ms",
        times.len(),
        spread(&mut times),
        opened.as_millis()
    );
    Ok(())
}
