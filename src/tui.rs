//! The terminal shell: set the terminal up, run the event loop, put the
//! terminal back however we leave (normal exit, panic, SIGTERM, SIGHUP).
//!
//! The loop sleeps in `crossterm::event::poll` until the show clock's next
//! whole second or until input arrives, whichever is first; the timeout is
//! recomputed every pass, so input never makes the countdown drift and an
//! idle screen costs one wake-up and one small diff a second.

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use showcall::clock::Clock;
use showcall::show::Signal;

use crate::operator::{Exit, Operator};

/// How long the signal flash lasts after a threshold is crossed, real time.
const FLASH: Duration = Duration::from_secs(3);

/// SIGTERM and SIGHUP set this flag; the loop notices it within a second.
fn stop_flag() -> Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(sig, Arc::clone(&flag))
            .context("installing signal handlers")?;
    }
    Ok(flag)
}

/// Refuses to start a full-screen view without a terminal on both ends.
pub fn require_terminal(what: &str) -> Result<(), String> {
    if io::stdout().is_terminal() && io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(format!(
            "the {what} needs a terminal, and standard {} is not one; \
             for a plain-text view use `showcall check --status [--at TIME]`",
            if io::stdout().is_terminal() {
                "input"
            } else {
                "output"
            }
        ))
    }
}

/// Restores the terminal when dropped, whatever path leaves the loop.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// A full-screen view the shell can drive.
pub trait View {
    fn tick(&mut self, now: chrono::DateTime<chrono::Utc>);
    fn on_event(&mut self, ev: &Event, now: chrono::DateTime<chrono::Utc>);
    fn draw(&self, frame: &mut ratatui::Frame, now: chrono::DateTime<chrono::Utc>);
    /// The signal crossed since the last call (for flash and bell).
    fn crossing(&mut self, now: chrono::DateTime<chrono::Utc>) -> Option<Signal>;
    fn set_flash(&mut self, s: Option<Signal>);
    fn done(&self) -> bool;
    /// Called on SIGTERM/SIGHUP: save what can be saved.
    fn on_stop(&mut self, now: chrono::DateTime<chrono::Utc>);
}

/// Runs a view until it is done or the process is told to stop.
pub fn run(view: &mut dyn View, clock: &dyn Clock, bell: bool) -> Result<()> {
    let stop = stop_flag()?;
    let mut terminal: DefaultTerminal = ratatui::try_init().context("setting up the terminal")?;
    let _restore = Restore;
    let mut flash_until: Option<Instant> = None;
    loop {
        let now = clock.now();
        if stop.load(Ordering::Relaxed) {
            view.on_stop(now);
            break;
        }
        view.tick(now);
        if let Some(s) = view.crossing(now) {
            flash_until = Some(Instant::now() + FLASH);
            view.set_flash(Some(s));
            if bell {
                print!("\x07");
                let _ = io::stdout().flush();
            }
        }
        if flash_until.is_some_and(|t| Instant::now() >= t) {
            flash_until = None;
            view.set_flash(None);
        }
        terminal
            .draw(|f| view.draw(f, now))
            .context("drawing the screen")?;
        if view.done() {
            break;
        }
        // Sleep to the next second of the show clock, or the flash's end.
        let mut timeout = clock.until_next_second();
        if let Some(t) = flash_until {
            timeout = timeout.min(t.saturating_duration_since(Instant::now()));
        }
        if event::poll(timeout).context("reading the terminal")? {
            // Take everything that is waiting, then redraw once.
            loop {
                let ev = event::read().context("reading the terminal")?;
                let keep = match &ev {
                    Event::Key(k) => k.kind != KeyEventKind::Release,
                    Event::Resize(..) => true,
                    _ => false,
                };
                if keep {
                    view.on_event(&ev, clock.now());
                }
                if view.done() || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
    }
    Ok(())
}

impl View for Operator {
    fn tick(&mut self, now: chrono::DateTime<chrono::Utc>) {
        Operator::tick(self, now);
    }

    fn on_event(&mut self, ev: &Event, now: chrono::DateTime<chrono::Utc>) {
        if let Event::Key(k) = ev {
            self.on_key(*k, now);
        }
    }

    fn draw(&self, frame: &mut ratatui::Frame, now: chrono::DateTime<chrono::Utc>) {
        crate::ui::operator::draw(frame, self, now);
    }

    fn crossing(&mut self, now: chrono::DateTime<chrono::Utc>) -> Option<Signal> {
        let snap = self.show.at(now);
        self.crossings.observe(&snap)
    }

    fn set_flash(&mut self, s: Option<Signal>) {
        self.flash = s;
    }

    fn done(&self) -> bool {
        self.exit.is_some()
    }

    fn on_stop(&mut self, now: chrono::DateTime<chrono::Utc>) {
        self.tick(now);
        if !self.pending().is_empty() {
            let at = now.with_timezone(&self.show.agenda.event.tz).fixed_offset();
            if let crate::operator::Link::Writer(w) = &mut self.link
                && let Ok(p) = w.save_fallback(at)
            {
                self.exit = Some(Exit::Fallback(p));
                return;
            }
        }
        self.exit = Some(Exit::Quit);
    }
}
