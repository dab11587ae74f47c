//! What wakes the event loop: a key or a resize from the terminal, a
//! change to a file the view follows (the journal, the agenda), or a cue
//! out that failed (from the cue sender's threads).
//!
//! Owns the input thread and the file watcher. The loop blocks in
//! [`Inbox::wait`] until one of them sends something or its timeout (the
//! show clock's next second) runs out, so an idle screen still costs one
//! wake-up a second, and an entry appended by another process reaches the
//! screen within milliseconds instead of at the next second.
//!
//! File changes come from the `notify` crate (inotify on Linux). It watches
//! the file's *directory* and keeps the events that name the file, so a
//! file that does not exist yet, or that an editor saves by writing a new
//! file and renaming it over the old one, is still seen. If a watch cannot
//! be set up, nothing is lost: the loop's once-a-second pass still reads
//! the file.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, ModifyKind};
use notify::{EventKind, RecursiveMode, Watcher};
use ratatui::crossterm::event::{self, Event};

/// One reason to wake up.
#[derive(Debug)]
pub enum Wake {
    /// A key, resize or other terminal event.
    Input(Event),
    /// The terminal could not be read (it went away): the text of the error.
    InputLost(String),
    /// A watched file was written, created, removed or renamed: its path
    /// as it was given to [`FileWatch::add`].
    File(PathBuf),
    /// A cue out could not be sent, or was answered with an error (from
    /// the sending threads, `crate::cues`).
    CueFailed(crate::cues::CueFailure),
    /// A command or question from outside (HTTP, OSC), with where to
    /// answer (`showcall_serve::control`).
    Control(showcall_serve::control::Request),
}

/// Sends wake-ups to the loop; cheap to clone, usable from any thread.
#[derive(Debug, Clone)]
pub struct Waker(Sender<Wake>);

impl Waker {
    /// Wakes the loop. A loop that has gone away is not an error.
    pub fn wake(&self, why: Wake) {
        let _ = self.0.send(why);
    }
}

/// The loop's end of the channel.
#[derive(Debug)]
pub struct Inbox {
    rx: Receiver<Wake>,
    tx: Sender<Wake>,
}

impl Default for Inbox {
    fn default() -> Self {
        Inbox::new()
    }
}

impl Inbox {
    pub fn new() -> Inbox {
        let (tx, rx) = mpsc::channel();
        Inbox { rx, tx }
    }

    /// A handle other threads use to wake the loop.
    pub fn waker(&self) -> Waker {
        Waker(self.tx.clone())
    }

    /// Sends the terminal's events to this inbox from now on. One thread
    /// per process reads the terminal: it blocks in
    /// `crossterm::event::read` (no polling) and forwards every event to
    /// the inbox that asked last. Events that arrive while no inbox is
    /// listening (between two runs of the event loop, as when the screen
    /// reopens as a rehearsal) wait for the next one, so no key is lost or
    /// taken by a stale reader. If reading fails, the thread ends after
    /// sending [`Wake::InputLost`].
    pub fn read_terminal(&self) {
        let mut slot = input_slot().lock().unwrap_or_else(|e| e.into_inner());
        let waker = self.waker();
        while let Some(w) = slot.pending.pop_front() {
            waker.wake(w);
        }
        slot.listener = Some(waker);
        INPUT_THREAD.call_once(|| {
            let _ = std::thread::Builder::new()
                .name("terminal input".into())
                .spawn(|| {
                    loop {
                        let (wake, lost) = match event::read() {
                            Ok(ev) => (Wake::Input(ev), false),
                            Err(e) => (Wake::InputLost(e.to_string()), true),
                        };
                        let mut slot = input_slot().lock().unwrap_or_else(|e| e.into_inner());
                        let wake = match &slot.listener {
                            Some(l) => match l.0.send(wake) {
                                Ok(()) => None,
                                Err(mpsc::SendError(w)) => Some(w),
                            },
                            None => Some(wake),
                        };
                        if let Some(w) = wake {
                            slot.listener = None;
                            slot.pending.push_back(w);
                        }
                        if lost {
                            return;
                        }
                    }
                });
        });
    }

    /// Blocks until something arrives or `timeout` passes, then returns
    /// everything that is waiting (empty on timeout), so the caller
    /// redraws once for a burst of keys or file changes.
    pub fn wait(&self, timeout: Duration) -> Vec<Wake> {
        let first = match self.rx.recv_timeout(timeout) {
            Ok(w) => w,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return Vec::new(),
        };
        let mut all = vec![first];
        all.extend(self.rx.try_iter());
        all
    }

    /// Takes the rest of a burst of input: while something arrives within
    /// `quiet` of the last, and for at most `max` in all, adds it to `burst`.
    /// A key typed by hand waits `quiet` longer; a paste the terminal sent
    /// as keys arrives whole (`paste::Bursts`).
    pub fn settle(&self, burst: &mut Vec<Wake>, quiet: Duration, max: Duration) {
        let end = std::time::Instant::now() + max;
        loop {
            let left = end.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return;
            }
            match self.rx.recv_timeout(quiet.min(left)) {
                Ok(w) => {
                    burst.push(w);
                    burst.extend(self.rx.try_iter());
                }
                Err(_) => return,
            }
        }
    }
}

/// The loop that takes commands from outside now: the last to call
/// [`Inbox::read_control`]. None between two runs of the loop.
fn control_slot() -> &'static Mutex<Option<Waker>> {
    static SLOT: std::sync::OnceLock<Mutex<Option<Waker>>> = std::sync::OnceLock::new();
    SLOT.get_or_init(Mutex::default)
}

/// Where the control listeners send requests: to the loop listening now.
/// With none listening (the screen closing or reopening), the request is
/// dropped, and its asker told the screen did not answer.
pub fn control_sink() -> showcall_serve::control::Sink {
    std::sync::Arc::new(|req| {
        let slot = control_slot().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(w) = slot.as_ref() {
            w.wake(Wake::Control(req));
        }
    })
}

impl Inbox {
    /// Sends the commands from outside to this inbox from now on.
    pub fn read_control(&self) {
        *control_slot().lock().unwrap_or_else(|e| e.into_inner()) = Some(self.waker());
    }
}

/// Where the terminal's reader thread sends events: the listening loop's
/// inbox, or a queue until one listens again.
#[derive(Default)]
struct InputSlot {
    listener: Option<Waker>,
    pending: std::collections::VecDeque<Wake>,
}

static INPUT_THREAD: std::sync::Once = std::sync::Once::new();

fn input_slot() -> &'static Mutex<InputSlot> {
    static SLOT: std::sync::OnceLock<Mutex<InputSlot>> = std::sync::OnceLock::new();
    SLOT.get_or_init(Mutex::default)
}

/// A file to watch: the directory actually watched, and the name in it.
#[derive(Debug)]
struct Target {
    given: PathBuf,
    dir: PathBuf,
    name: std::ffi::OsString,
}

/// Watches files for changes and wakes the loop with [`Wake::File`].
///
/// ```ignore
/// let inbox = Inbox::new();
/// let mut watch = FileWatch::new(inbox.waker());
/// watch.add(Path::new("agenda.journal.jsonl"))?; // the journal
/// watch.add(Path::new("agenda.toml"))?;          // and later the agenda
/// ```
pub struct FileWatch {
    watcher: Option<notify::RecommendedWatcher>,
    targets: Arc<Mutex<Vec<Target>>>,
    waker: Waker,
}

impl FileWatch {
    /// A watcher with nothing to watch yet.
    pub fn new(waker: Waker) -> FileWatch {
        FileWatch {
            watcher: None,
            targets: Arc::new(Mutex::new(Vec::new())),
            waker,
        }
    }

    /// Starts watching `path` (which need not exist yet; its directory
    /// must). Errors say why the watch could not be set up; the caller
    /// then relies on its once-a-second pass.
    pub fn add(&mut self, path: &Path) -> Result<(), String> {
        let name = path
            .file_name()
            .ok_or_else(|| format!("{}: not a file name", path.display()))?
            .to_os_string();
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // inotify reports paths under the directory as it was watched:
        // canonical, so two spellings of one directory compare equal.
        let dir = parent
            .canonicalize()
            .map_err(|e| format!("{}: {e}", parent.display()))?;
        if self.watcher.is_none() {
            let targets = Arc::clone(&self.targets);
            let waker = self.waker.clone();
            let w = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
                let Ok(ev) = res else { return };
                if !wakes(&ev.kind) {
                    return;
                }
                let Ok(targets) = targets.lock() else { return };
                for t in targets.iter() {
                    let named = ev
                        .paths
                        .iter()
                        .any(|p| p.parent() == Some(&t.dir) && p.file_name() == Some(&t.name));
                    // A rescan (queue overflow) names nothing: wake everyone.
                    if named || ev.need_rescan() {
                        waker.wake(Wake::File(t.given.clone()));
                    }
                }
            })
            .map_err(|e| e.to_string())?;
            self.watcher = Some(w);
        }
        let watcher = self.watcher.as_mut().expect("set above");
        let mut targets = self.targets.lock().map_err(|e| e.to_string())?;
        if !targets.iter().any(|t| t.dir == dir) {
            watcher
                .watch(&dir, RecursiveMode::NonRecursive)
                .map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        targets.push(Target {
            given: path.to_path_buf(),
            dir,
            name,
        });
        Ok(())
    }
}

/// Whether an event can mean new content. Opening or reading the file
/// (which the follower itself does) must not wake us, or each read would
/// cause the next.
fn wakes(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::time::Instant;

    /// Waits up to 5 s for a wake naming `path`; the bound is a test guard,
    /// not a speed claim (the benchmark measures speed).
    fn woke_for(inbox: &Inbox, path: &Path) -> bool {
        let end = Instant::now() + Duration::from_secs(5);
        while Instant::now() < end {
            for w in inbox.wait(Duration::from_millis(100)) {
                if matches!(&w, Wake::File(p) if p == path) {
                    return true;
                }
            }
        }
        false
    }

    fn quiet(inbox: &Inbox) -> bool {
        inbox.wait(Duration::from_millis(300)).is_empty()
    }

    #[test]
    fn append_create_and_rename_over_wake_the_loop() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.journal.jsonl");
        let inbox = Inbox::new();
        let mut watch = FileWatch::new(inbox.waker());
        watch.add(&path).unwrap();
        // Created after the watch began.
        std::fs::write(&path, "a\n").unwrap();
        assert!(woke_for(&inbox, &path));
        while !quiet(&inbox) {}
        // Appended to.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        f.write_all(b"b\n").unwrap();
        assert!(woke_for(&inbox, &path));
        while !quiet(&inbox) {}
        // Saved the editor's way: a new file renamed over the old one.
        let tmp = dir.path().join(".x.journal.jsonl.swp");
        std::fs::write(&tmp, "c\n").unwrap();
        assert!(quiet(&inbox), "the swap file alone wakes no one");
        std::fs::rename(&tmp, &path).unwrap();
        assert!(woke_for(&inbox, &path)); // …its rename over ours does
    }

    #[test]
    fn other_files_and_reading_do_not_wake() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.journal.jsonl");
        std::fs::write(&path, "a\n").unwrap();
        let inbox = Inbox::new();
        let mut watch = FileWatch::new(inbox.waker());
        watch.add(&path).unwrap();
        std::fs::write(dir.path().join("other.txt"), "zzz").unwrap();
        // Reading (open, read, close) is what the follower does on a wake.
        let _ = std::fs::read(&path).unwrap();
        assert!(quiet(&inbox));
    }

    #[test]
    fn a_missing_directory_is_an_error_not_a_panic() {
        let inbox = Inbox::new();
        let mut watch = FileWatch::new(inbox.waker());
        let err = watch
            .add(Path::new("/no/such/dir/x.journal.jsonl"))
            .unwrap_err();
        assert!(err.contains("/no/such/dir"), "{err}");
    }
}
