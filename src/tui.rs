//! The terminal shell: set the terminal up, run the event loop, put the
//! terminal back however we leave (normal exit, panic, SIGTERM, SIGHUP,
//! SIGINT, SIGQUIT).
//!
//! The loop sleeps (`wake::Inbox::wait`) until the show clock's next whole
//! second, until input arrives, until a followed file changes, a cue out
//! fails, or (with cues armed) the instant the live countdown reaches a
//! signal, whichever is first; the timeout is recomputed every pass, so input never makes the
//! countdown drift and an idle screen costs one wake-up and one small diff
//! a second.

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};
use showcall_core::clock::{Clock, ForwardClock, Step};
use showcall_core::show::{Signal, Snapshot};

use crate::operator::{Exit, Operator};
use crate::paint::Painter;
use crate::rescue::{Rescue, write_rescue};
use crate::speaker::Speaker;
use crate::ui::canvas::Scene;
use crate::wake::{FileWatch, Inbox, Wake};
use ratatui::backend::Backend;
use ratatui::layout::Rect;

/// How long the signal flash lasts after a threshold is crossed, real time.
const FLASH: Duration = Duration::from_secs(3);

/// The longest a burst of input is gathered before it is acted on.
const PASTE_MAX: Duration = Duration::from_millis(250);

/// How long the loop gets to leave by itself after SIGTERM/SIGHUP.
const GRACE: Duration = Duration::from_secs(2);

/// SIGTERM, SIGHUP, SIGINT and SIGQUIT set the returned flag; the loop notices it within a
/// second and leaves cleanly. A watcher thread makes sure we leave even if
/// the loop cannot: when the terminal hangs up, crossterm's reader can spin
/// on end-of-file inside `poll` and never return. Then, after a grace
/// period, the watcher writes any rescued entries to a fallback file,
/// restores the terminal and exits.
fn stop_watch(
    rescue: Option<Arc<std::sync::Mutex<Rescue>>>,
    finished: Arc<AtomicBool>,
) -> Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let flag = Arc::new(AtomicBool::new(false));
    // INT and QUIT too: in raw mode Ctrl-C and Ctrl-\ arrive as keys, but a
    // `kill -INT` must not leave the terminal broken either.
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
        .context("installing signal handlers")?;
    let f = Arc::clone(&flag);
    std::thread::spawn(move || {
        if signals.forever().next().is_none() {
            return;
        }
        f.store(true, Ordering::SeqCst);
        std::thread::sleep(GRACE);
        if finished.load(Ordering::SeqCst) {
            return;
        }
        if let Some(r) = rescue
            && let Ok(r) = r.lock()
            && !r.lines.is_empty()
        {
            crate::setup::note(&match write_rescue(&r) {
                Some(path) => format!(
                    "showcall: the journal does not hold every entry: all are in {}",
                    showcall_core::text::path_text(&path)
                ),
                None => "showcall: entries the journal does not hold could not be written \
                         anywhere (beside the journal, nor in the temp dir)"
                    .to_string(),
            });
        }
        restore_terminal();
        std::process::exit(1);
    });
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
        restore_terminal();
    }
}

/// Puts the terminal back: raw mode off, the main screen, the cursor
/// shown. Never fails and never prints: after a hang-up the terminal is
/// gone, and `ratatui::restore`, which reports a failure with `eprintln!`,
/// would panic there (and abort, inside a panic hook) before the exit
/// path has done its work.
pub fn restore_terminal() {
    use ratatui::crossterm::{cursor, event, execute, terminal};
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        event::DisableBracketedPaste,
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
}

/// Raw mode, the alternate screen, the cursor hidden; a panic puts the
/// terminal back before its message is printed.
fn init_terminal() -> io::Result<DefaultTerminal> {
    use ratatui::crossterm::{cursor, event, execute, terminal};
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
    let set_up = terminal::enable_raw_mode()
        // Bracketed paste: a paste arrives as one text, never as keys.
        .and_then(|()| {
            execute!(
                io::stdout(),
                terminal::EnterAlternateScreen,
                cursor::Hide,
                event::EnableBracketedPaste
            )
        })
        .and_then(|()| {
            ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(io::stdout()))
        });
    if set_up.is_err() {
        restore_terminal();
    }
    set_up
}

/// A full-screen view the shell can drive.
pub trait View {
    fn tick(&mut self, now: chrono::DateTime<chrono::Utc>);
    fn on_event(&mut self, ev: &Event, now: chrono::DateTime<chrono::Utc>);
    /// Where the show stands; computed once per pass of the loop and
    /// shared by `observe` and `draw`.
    fn snapshot(&self, now: chrono::DateTime<chrono::Utc>) -> Snapshot;
    /// Takes in this pass's snapshot; returns the signal crossed since the
    /// last pass, if any (for the flash and the bell).
    fn observe(&mut self, snap: &Snapshot) -> Option<Signal>;
    /// The frame at `now` in a terminal of `area`, for the painter.
    fn scene<'a>(
        &'a self,
        area: Rect,
        snap: &'a Snapshot,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Scene<'a>;
    fn set_flash(&mut self, s: Option<Signal>);
    fn done(&self) -> bool;
    /// Called on SIGTERM/SIGHUP: save what can be saved.
    fn on_stop(&mut self, now: chrono::DateTime<chrono::Utc>);
    /// Files whose changes should wake the loop at once (the journal a
    /// read-only view follows); each pass after a wake-up calls `tick`.
    fn watched(&self) -> Vec<std::path::PathBuf> {
        Vec::new()
    }
    /// One of the `watched` files changed (as named there). Following
    /// needs nothing here (`tick` runs next); a file read whole, such as
    /// the agenda, can be marked for reloading.
    fn file_changed(&mut self, _path: &std::path::Path) {}
    /// Unsaved entries the signal watcher writes out if the loop is stuck.
    fn rescue(&self) -> Option<Arc<std::sync::Mutex<Rescue>>> {
        None
    }
    /// The last stamp of the journal the view shows, when the show's "now"
    /// must never run behind it (None for a replay at another clock).
    fn floor(&self) -> Option<DateTime<Utc>> {
        None
    }
    /// The system clock stepped (seen at the show's `now`, which did not
    /// follow a step back).
    fn clock_stepped(&mut self, _step: Step, _now: DateTime<Utc>) {}
    /// The loop's inbox, for threads the view starts (the cue sender).
    fn attach(&mut self, _waker: &crate::wake::Waker) {}
    /// Takes in this pass's snapshot for the cues out: fires what changed
    /// (only the screen that writes the journal has any).
    fn fire_cues(&mut self, _snap: &Snapshot, _now: DateTime<Utc>) {}
    /// The next show instant the loop must wake at besides the clock's
    /// next second (a cue's signal instant), if any.
    fn next_instant(&self, _snap: &Snapshot) -> Option<DateTime<Utc>> {
        None
    }
    /// A cue out failed: say it and journal it.
    fn cue_failed(&mut self, _f: crate::cues::CueFailure, _now: DateTime<Utc>) {}
    /// A command or question from outside (HTTP, OSC), to carry out at
    /// `now` and answer. A view that takes none says so.
    fn control(&mut self, req: showcall_serve::control::Request, _now: DateTime<Utc>) {
        req.answer(showcall_serve::control::Reply::ReadOnly(
            "this screen takes no commands".into(),
        ));
    }
}

/// The instant of one pass of the loop: the view takes in what is new
/// (`tick`), the show's time is raised to the journal's last stamp if it
/// is behind it, and steps of the system clock are told to the view. The
/// returned instant is never earlier than the last pass's, nor than any
/// entry the view shows, so nothing is ever un-started by the clock and an
/// idle pass never folds the journal again.
pub fn pass_instant(view: &mut dyn View, clock: &ForwardClock) -> DateTime<Utc> {
    view.tick(clock.now());
    let now = clock.at_least(view.floor());
    for step in clock.take_steps() {
        view.clock_stepped(step, now);
    }
    now
}

/// Runs a view until it is done or the process is told to stop.
pub fn run(view: &mut dyn View, clock: &ForwardClock, bell: bool) -> Result<()> {
    let finished = Arc::new(AtomicBool::new(false));
    let stop = stop_watch(view.rescue(), Arc::clone(&finished))?;
    let mut terminal = init_terminal().context("setting up the terminal")?;
    let _restore = Restore;
    let result = event_loop(view, clock, bell, &stop, &mut terminal);
    // The terminal was lost (hung up, unreadable): leave as on a signal,
    // with the same exit check, before anything else is tried.
    if result.is_err() && !view.done() {
        view.on_stop(clock.now());
    }
    finished.store(true, Ordering::SeqCst);
    result
}

fn event_loop(
    view: &mut dyn View,
    clock: &ForwardClock,
    bell: bool,
    stop: &AtomicBool,
    terminal: &mut DefaultTerminal,
) -> Result<()> {
    let mut flash_until: Option<Instant> = None;
    let mut painter = Painter::new();
    let mut bursts = crate::paste::Bursts::default();
    // Asked once, then taken from resize events: asking costs a system
    // call or two every second.
    let size = terminal
        .backend()
        .size()
        .context("reading the terminal's size")?;
    let mut area = Rect::new(0, 0, size.width, size.height);
    let inbox = Inbox::new();
    inbox.read_terminal();
    view.attach(&inbox.waker());
    inbox.read_control();
    // Without a watch the once-a-second pass still follows the file.
    let mut watch = FileWatch::new(inbox.waker());
    for path in view.watched() {
        let _ = watch.add(&path);
    }
    loop {
        if stop.load(Ordering::Relaxed) {
            view.on_stop(clock.now());
            break;
        }
        let now = pass_instant(view, clock);
        let snap = view.snapshot(now);
        view.fire_cues(&snap, now);
        if let Some(s) = view.observe(&snap) {
            flash_until = Some(Instant::now() + FLASH);
            view.set_flash(Some(s));
            if bell {
                let mut out = io::stdout().lock();
                let _ = out.write_all(b"\x07").and_then(|()| out.flush());
            }
        }
        if flash_until.is_some_and(|t| Instant::now() >= t) {
            flash_until = None;
            view.set_flash(None);
        }
        let scene = view.scene(area, &snap, now);
        painter
            .paint(terminal.backend_mut(), area, scene)
            .context("drawing the screen")?;
        if view.done() {
            break;
        }
        // Sleep to the next second of the show clock, the flash's end, or
        // the next instant a cue's signal changes (a millisecond past it).
        let mut timeout = clock.until_next_second();
        if let Some(at) = view.next_instant(&snap) {
            timeout = timeout.min(real_until(at - now, clock.speed()));
        }
        if let Some(t) = flash_until {
            timeout = timeout.min(t.saturating_duration_since(Instant::now()));
        }
        // Take everything that is waiting, then redraw once. Input is
        // taken in bursts, so a paste sent as keys is a paste.
        let mut burst = inbox.wait(timeout);
        if burst.iter().any(|w| matches!(w, Wake::Input(_))) {
            inbox.settle(&mut burst, crate::paste::QUIET, PASTE_MAX);
        }
        for wake in bursts.take(burst, Instant::now()) {
            match wake {
                Wake::Input(ev) => {
                    let keep = match &ev {
                        Event::Key(k) => k.kind != KeyEventKind::Release,
                        Event::Resize(w, h) => {
                            area = Rect::new(0, 0, *w, *h);
                            true
                        }
                        Event::Paste(_) => true,
                        _ => false,
                    };
                    if keep && !view.done() {
                        view.on_event(&ev, clock.now());
                    }
                }
                Wake::InputLost(e) => anyhow::bail!("reading the terminal: {e}"),
                Wake::File(path) => view.file_changed(&path),
                Wake::CueFailed(f) => view.cue_failed(f, clock.now()),
                // A screen that is closing takes no more commands.
                Wake::Control(req) if view.done() => {
                    req.answer(showcall_serve::control::Reply::Closing);
                }
                Wake::Control(req) => view.control(req, clock.now()),
            }
        }
    }
    Ok(())
}

/// Real time until a show-clock span `d` has passed at `speed`, a
/// millisecond over (zero if `d` is not ahead).
fn real_until(d: chrono::TimeDelta, speed: f64) -> Duration {
    let secs = d.as_seconds_f64() / speed.max(f64::MIN_POSITIVE);
    if secs.is_finite() && secs > 0.0 {
        Duration::from_secs_f64(secs.min(3600.0)) + Duration::from_millis(1)
    } else {
        Duration::ZERO
    }
}

impl View for Operator {
    fn tick(&mut self, now: chrono::DateTime<chrono::Utc>) {
        Operator::tick(self, now);
    }

    fn on_event(&mut self, ev: &Event, now: chrono::DateTime<chrono::Utc>) {
        match ev {
            Event::Key(k) => self.on_key(*k, now),
            Event::Paste(text) => self.on_paste(text, now),
            _ => {}
        }
    }

    fn snapshot(&self, now: chrono::DateTime<chrono::Utc>) -> Snapshot {
        Operator::snapshot(self, now)
    }

    fn observe(&mut self, snap: &Snapshot) -> Option<Signal> {
        self.crossings.observe(snap)
    }

    fn scene<'a>(
        &'a self,
        area: Rect,
        snap: &'a Snapshot,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Scene<'a> {
        crate::ui::operator::scene(self, snap, now, area)
    }

    fn set_flash(&mut self, s: Option<Signal>) {
        self.flash = s;
    }

    fn done(&self) -> bool {
        self.exit.is_some()
    }

    fn rescue(&self) -> Option<Arc<std::sync::Mutex<Rescue>>> {
        Some(Arc::clone(&self.rescue))
    }

    fn floor(&self) -> Option<DateTime<Utc>> {
        Operator::floor(self)
    }

    fn clock_stepped(&mut self, step: Step, now: DateTime<Utc>) {
        Operator::clock_stepped(self, step, now);
    }

    fn attach(&mut self, waker: &crate::wake::Waker) {
        Operator::attach_cues(self, waker);
    }

    fn fire_cues(&mut self, snap: &Snapshot, now: DateTime<Utc>) {
        Operator::fire_cues(self, snap, now);
    }

    fn next_instant(&self, snap: &Snapshot) -> Option<DateTime<Utc>> {
        Operator::next_cue_instant(self, snap)
    }

    fn cue_failed(&mut self, f: crate::cues::CueFailure, now: DateTime<Utc>) {
        Operator::cue_failed(self, f, now);
    }

    fn control(&mut self, req: showcall_serve::control::Request, now: DateTime<Utc>) {
        Operator::control(self, req, now);
    }

    fn watched(&self) -> Vec<std::path::PathBuf> {
        let mut paths = match &self.link {
            crate::operator::Link::Reader { follower, .. } => vec![follower.path().to_path_buf()],
            crate::operator::Link::Writer(_) => Vec::new(),
        };
        paths.extend(self.agenda_file.as_ref().map(|f| f.path().to_path_buf()));
        paths
    }

    fn file_changed(&mut self, path: &std::path::Path) {
        if let Some(f) = self.agenda_file.as_mut().filter(|f| f.path() == path) {
            f.mark();
        }
    }

    /// The same check as `q`: does the journal on disk hold everything?
    /// If not (unsaved entries, or the file removed, replaced or cut), a
    /// fallback is written, complete when the file lost saved entries.
    fn on_stop(&mut self, now: chrono::DateTime<chrono::Utc>) {
        self.tick(now);
        let at = now.with_timezone(&self.show.agenda.event.tz).fixed_offset();
        if let crate::operator::Link::Writer(w) = &mut self.link {
            match w.settle(at, self.show.entries()) {
                Ok(showcall_core::journal::Settled::Fallback { path, .. }) => {
                    self.exit = Some(Exit::Fallback(path));
                    return;
                }
                Ok(showcall_core::journal::Settled::InJournal { .. }) => {}
                // The writer's drop tries once more and reports.
                Err(e) => crate::setup::note(&format!(
                    "showcall: could not write a fallback file: {}",
                    showcall_core::text::sanitize(&e.to_string())
                )),
            }
        }
        self.exit = Some(Exit::Quit);
    }
}

impl View for Speaker {
    fn tick(&mut self, _now: DateTime<Utc>) {
        self.follow();
        self.reload_agenda();
    }

    fn snapshot(&self, now: DateTime<Utc>) -> Snapshot {
        self.show.at(now)
    }

    fn observe(&mut self, snap: &Snapshot) -> Option<Signal> {
        self.note_message(snap, Instant::now());
        self.crossings.observe(snap)
    }

    fn on_event(&mut self, ev: &Event, _now: DateTime<Utc>) {
        // Read-only: the only keys are the ones that close it.
        if let Event::Key(k) = ev
            && k.kind != KeyEventKind::Release
        {
            let ctrl_c =
                k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
            if ctrl_c || matches!(k.code, KeyCode::Char('q') | KeyCode::Esc) {
                self.quit = true;
            }
        }
    }

    fn scene<'a>(&'a self, area: Rect, snap: &'a Snapshot, now: DateTime<Utc>) -> Scene<'a> {
        // One drawing, compared whole each frame: nearly all of it is the
        // big countdown, which changes every second anyway.
        let face = self.present(snap);
        Scene {
            panels: Vec::new(),
            cover: Some(Box::new(move |buf: &mut ratatui::buffer::Buffer| {
                crate::ui::speaker::render(self, &face, now, area, buf)
            })),
        }
    }

    fn set_flash(&mut self, s: Option<Signal>) {
        self.flash = s;
    }

    fn done(&self) -> bool {
        self.quit || self.readopt
    }

    fn on_stop(&mut self, _now: DateTime<Utc>) {
        self.quit = true;
    }

    /// Following by the journal's own clock: never behind its last entry.
    /// A replay (`--at`, `--speed`) reads the journal at its own instant.
    fn floor(&self) -> Option<DateTime<Utc>> {
        self.expect.and(self.show.fold().latest)
    }

    fn watched(&self) -> Vec<std::path::PathBuf> {
        self.follower
            .iter()
            .map(|f| f.path().to_path_buf())
            .chain(self.agenda_file.as_ref().map(|f| f.path().to_path_buf()))
            .collect()
    }

    fn file_changed(&mut self, path: &std::path::Path) {
        if let Some(f) = self.agenda_file.as_mut().filter(|f| f.path() == path) {
            f.mark();
        }
    }
}
