//! The one writer: exclusive lock, one `write_all` + `sync_data` per entry,
//! a queue for entries that could not be saved yet, recovery of a torn tail
//! at open, and the fallback file for quitting while the disk refuses.
//!
//! Owns the rule that nothing is reported saved before it is fsynced, and
//! that we never write into a file that is not the one we locked.
//! Opening is in `open` (lock, open the file, read and recover, build);
//! the owner file and its lock in `lock`.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, Utc};

use crate::diag::Diagnostic;

use super::{ClockRecord, Entry, Kind, side_path};

mod fallback;
mod file;
mod lock;
mod open;

use lock::read_owner;
pub use lock::{announced, host_name};

/// What the `open` entry records about the agenda, written once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInfo {
    /// The agenda's file name as shown to users (`agenda.toml`, not its
    /// path).
    pub agenda: String,
    /// Lowercase hex sha256 of the agenda's bytes.
    pub sha256: String,
    /// The version of the showcall writing the journal (its crate version,
    /// e.g. `0.1.0`).
    pub version: String,
}

/// Where lines go. The real one appends to the locked file and fsyncs;
/// tests wrap it to inject faults (see [`Writer::map_sink`]).
pub trait Sink: Send {
    /// Appends one complete line (ending in `\n`) with one `write_all`, then
    /// makes it durable. Ok means it is on disk.
    fn write_line(&mut self, line: &[u8]) -> io::Result<()>;
}

/// Writes to the journal file once it exists (it is created with the
/// first entry); shared with the writer, which creates it.
struct FileSink(Arc<Mutex<Option<File>>>);

impl Sink for FileSink {
    fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        let mut slot = self
            .0
            .lock()
            .map_err(|_| io::Error::other("journal lock poisoned"))?;
        let file = slot
            .as_mut()
            .ok_or_else(|| io::Error::other("the journal file is not created yet"))?;
        file.write_all(line)?;
        file.sync_data()
    }
}

/// How [`Writer::open_with`] opens a journal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Opening {
    /// The clock that stamps this writer's entries, written in the `open`
    /// entry. An existing journal must record the same one.
    pub clock: ClockRecord,
    /// Create the file with the first entry, not at open: a screen opened
    /// and closed without a key pressed leaves no journal.
    pub lazy: bool,
    /// Keep an existing journal under a stamped name
    /// (`<stem>-<UTC stamp>.journal.jsonl`) and begin a new one.
    pub fresh: bool,
}

impl Default for Opening {
    /// A real-clock journal, created at open, continued if it exists.
    fn default() -> Self {
        Opening {
            clock: ClockRecord::REAL,
            lazy: false,
            fresh: false,
        }
    }
}

/// The outcome of one `append`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Appended {
    /// Written and fsynced.
    Saved(u64),
    /// Kept in memory, queued; `retry` writes it when the fault clears.
    /// Until then the screen must not show it as saved.
    NotSaved {
        /// The seq the entry got.
        seq: u64,
        /// Why it could not be written (the OS error, or what happened to
        /// the file), in words.
        error: String,
    },
    /// The kind cannot be written as a line that reads back the same (an
    /// `Unknown` using a known tag or reserved fields); nothing was queued
    /// and no seq was used.
    Refused {
        /// Why, in words.
        error: String,
    },
}

/// What [`Writer::push`] did, and the entries it queued.
#[derive(Debug, Clone, PartialEq)]
pub struct Pushed {
    /// Saved, queued (not saved yet) or refused, as [`Writer::append`] says.
    pub outcome: Appended,
    /// The entries queued, in seq order: the `open` entry first when this
    /// was the journal's first entry, then the entry. Empty when refused.
    pub queued: Vec<Entry>,
}

/// What [`Writer::settle`] found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// The journal holds every entry (`entries` of them).
    InJournal {
        /// How many entries it holds.
        entries: usize,
    },
    /// `count` entries were written to the fallback at `path`; `full` when
    /// the journal no longer held what was saved, so the fallback is a
    /// complete journal on its own.
    Fallback {
        /// The fallback file written: `<journal>.fallback-<UTC stamp>` beside
        /// the journal, or in the system temp dir when that failed.
        path: PathBuf,
        /// True when the journal no longer held what was saved (removed,
        /// replaced, truncated), so the fallback is a complete journal on its
        /// own; false: it holds only the entries the journal lacks.
        full: bool,
        /// How many entries the fallback holds.
        count: usize,
    },
}

/// Whether everything appended so far is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Every entry appended so far is fsynced in the journal.
    Saved,
    /// An entry is not on disk yet (queued for [`Writer::retry`]), or the
    /// file no longer holds what was saved; the screen says so until it
    /// clears.
    NotSaved {
        /// Why, in words, for the screen.
        reason: String,
    },
}

/// The single writer of one journal. Holds an exclusive lock on the file
/// for its whole life; dropping it releases the lock.
pub struct Writer {
    path: PathBuf,
    /// The locked file; also used to check and repair its length. None
    /// until the first entry creates it (lazy open).
    file: Option<File>,
    /// The file the real sink writes to, set when the file is created.
    slot: Arc<Mutex<Option<File>>>,
    sink: Box<dyn Sink>,
    /// The journal was created but its directory entry not yet synced.
    dir_unsynced: bool,
    /// Length of the file up to the last saved line.
    good_len: u64,
    /// A write failed and may have left part of a line after `good_len`.
    dirty: bool,
    /// The entries the journal held when it was opened (with the `open`
    /// entry this writer wrote), until [`Writer::take_opened`] hands them
    /// over: from then on the caller's list is the only one.
    opened: Vec<Entry>,
    /// How many entries are on disk (saved), counting those read at open.
    saved: usize,
    pending: Vec<Entry>,
    next_seq: u64,
    state: State,
    /// The path no longer leads to our file (removed, replaced, shrunk):
    /// saved entries may now exist only in our memory.
    detached: bool,
    /// Every seq up to this one is in a fallback file.
    fallback_upto: u64,
    /// The last fallback held every entry, not only the pending ones.
    fallback_full: bool,
    warnings: Vec<Diagnostic>,
    now: DateTime<FixedOffset>,
    owner: PathBuf,
    /// The locked owner file: the lock that keeps a second writer out,
    /// journal or not. Released when the writer drops.
    owner_lock: Option<File>,
    /// The `open` entry, written with the first entry of a lazy journal.
    unborn_open: Option<Box<Kind>>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("path", &self.path)
            .field("saved", &self.saved)
            .field("pending", &self.pending.len())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl Writer {
    /// Queues an entry with the next seq and tries to write everything
    /// queued, in order. Reports `Saved` only once it is fsynced. The same
    /// as [`Writer::push`], without the copy of what was queued.
    pub fn append(&mut self, kind: Kind, at: DateTime<FixedOffset>) -> Appended {
        self.push(kind, at).outcome
    }

    /// [`Writer::append`] for a command that came from `source` (HTTP,
    /// OSC), recorded in the entry's `source` field; `None` is the keyboard.
    pub fn append_from(
        &mut self,
        kind: Kind,
        at: DateTime<FixedOffset>,
        source: Option<super::Source>,
    ) -> Appended {
        self.push_from(kind, at, source).outcome
    }

    /// [`Writer::append`], returning the entries it queued (the entry, and
    /// before it the `open` entry when it is the journal's first), so the
    /// caller extends its list with exactly those: the writer keeps only
    /// what is not yet on disk.
    pub fn push(&mut self, kind: Kind, at: DateTime<FixedOffset>) -> Pushed {
        self.push_from(kind, at, None)
    }

    /// [`Writer::push`] for a command from `source` (see
    /// [`Writer::append_from`]).
    pub fn push_from(
        &mut self,
        kind: Kind,
        at: DateTime<FixedOffset>,
        source: Option<super::Source>,
    ) -> Pushed {
        self.now = at;
        let mut entry = Entry::new(self.next_seq, at, kind);
        entry.source = source;
        let refused = |error| Pushed {
            outcome: Appended::Refused { error },
            queued: Vec::new(),
        };
        match Entry::parse_line(&entry.to_line()) {
            Ok(back) if back == entry => {}
            Ok(_) => {
                return refused(format!(
                    "a '{}' entry would not read back the same",
                    crate::text::sanitize(entry.kind.name())
                ));
            }
            Err(e) => return refused(e.message),
        }
        let mut queued = Vec::with_capacity(2);
        if let Some(open) = self.unborn_open.take() {
            // The journal begins with its first real entry.
            queued.push(Entry::new(self.next_seq, at, *open));
            self.next_seq += 1;
        }
        let entry = Entry {
            seq: self.next_seq,
            ..entry
        };
        let seq = entry.seq;
        self.next_seq += 1;
        queued.push(entry);
        self.pending.extend(queued.iter().cloned());
        self.flush();
        let outcome = if self.pending.iter().any(|e| e.seq == seq) {
            Appended::NotSaved {
                seq,
                error: self.reason(),
            }
        } else {
            Appended::Saved(seq)
        };
        Pushed { outcome, queued }
    }

    /// Writes pending entries in order until one fails; also notices a
    /// journal that was removed or replaced while idle. The shell calls this
    /// every second. Returns how many entries were saved by this call.
    pub fn retry(&mut self, now: DateTime<FixedOffset>) -> usize {
        self.now = now;
        if self.pending.is_empty() {
            match self.check_file() {
                Ok(()) => self.state = State::Saved,
                Err(reason) => self.state = State::NotSaved { reason },
            }
            return 0;
        }
        self.flush()
    }

    /// The entries the journal held when it was opened (and the `open`
    /// entry this writer wrote to a new one), until they are taken.
    pub fn opened(&self) -> &[Entry] {
        &self.opened
    }

    /// Hands over the entries read at open, once: the caller (the show)
    /// is then the one place they live. Empty on a second call.
    pub fn take_opened(&mut self) -> Vec<Entry> {
        std::mem::take(&mut self.opened)
    }

    /// How many entries the journal file holds (saved), counting those
    /// read at open.
    pub fn saved_count(&self) -> usize {
        self.saved
    }

    /// Entries appended but not yet on disk, in seq order.
    pub fn pending(&self) -> &[Entry] {
        &self.pending
    }

    /// Whether everything appended so far is on disk, as of the last append or
    /// retry.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The journal's path, as given to [`Writer::open`].
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The instant of the last append, retry or fallback (the open's at
    /// first): what a fallback written without a clock at hand is stamped
    /// with.
    pub fn last_stamp(&self) -> DateTime<FixedOffset> {
        self.now
    }

    /// The seq the next append will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Warnings found while writing (stray bytes moved aside); drained.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }

    /// Replaces the sink, for fault injection in tests (wrap the real one).
    pub fn map_sink(&mut self, f: impl FnOnce(Box<dyn Sink>) -> Box<dyn Sink>) {
        let old = std::mem::replace(&mut self.sink, Box::new(NullSink));
        self.sink = f(old);
    }

    fn reason(&self) -> String {
        match &self.state {
            State::NotSaved { reason } => reason.clone(),
            State::Saved => String::new(),
        }
    }

    fn flush(&mut self) -> usize {
        let mut saved = 0;
        while !self.pending.is_empty() {
            if let Err(reason) = self.prepare() {
                self.state = State::NotSaved { reason };
                return saved;
            }
            let mut line = self.pending[0].to_line();
            line.push('\n');
            match self.sink.write_line(line.as_bytes()) {
                Ok(()) => {
                    self.good_len += line.len() as u64;
                    self.pending.remove(0);
                    self.saved += 1;
                    saved += 1;
                }
                Err(e) => {
                    // The write may have left part of the line, or an fsync
                    // may have failed after the kernel dropped the pages: cut
                    // back and write the whole line again later.
                    self.dirty = true;
                    let _ = self.cut_back();
                    self.state = State::NotSaved {
                        reason: describe(&e),
                    };
                    return saved;
                }
            }
        }
        self.state = State::Saved;
        saved
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // The last resort of the one exit check: a writer dropped while the
        // disk does not hold everything (a panic unwinding, a path that
        // forgot to ask) writes the fallback and says where.
        if !self.can_quit() {
            // It has no saved entries to give: a journal file lost with
            // them is the show's to rescue (the shell settles first).
            let now = self.now;
            match self.settle(now, &[]) {
                // Written, not `eprintln!`: that panics when standard
                // error is gone (a hung-up terminal), and a panic in a drop
                // that runs while unwinding aborts the process.
                Ok(Settled::Fallback { path, count, .. }) => say(&format!(
                    "showcall: {count} {} the journal does not hold saved in {}",
                    if count == 1 { "entry" } else { "entries" },
                    crate::text::path_text(&path)
                )),
                Ok(Settled::InJournal { .. }) => {}
                Err(e) => say(&format!(
                    "showcall: entries the journal does not hold could not be saved: {}",
                    crate::text::sanitize(&e.to_string())
                )),
            }
        }
        // Before the lock goes (fields drop after this), so a new writer's
        // owner file is never removed by us.
        if self.owner_lock.is_some() {
            let _ = fs::remove_file(&self.owner);
        } else if let Some(text) = read_owner(&self.owner)
            && text.starts_with(&format!("pid={} ", std::process::id()))
        {
            let _ = fs::remove_file(&self.owner);
        }
    }
}

struct NullSink;

impl Sink for NullSink {
    fn write_line(&mut self, _: &[u8]) -> io::Result<()> {
        Err(io::Error::other("no sink"))
    }
}

fn describe(e: &io::Error) -> String {
    let said = |what: &str| match e.raw_os_error() {
        Some(n) => format!("{what} (os error {n})"),
        None => what.to_owned(),
    };
    match e.kind() {
        io::ErrorKind::StorageFull => said("the disk is full"),
        io::ErrorKind::PermissionDenied => said("permission denied"),
        _ => e.to_string(),
    }
}

fn short(sha: &str) -> String {
    let s: String = sha.chars().take(12).collect();
    crate::text::sanitize(&s).into_owned()
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

/// Makes a new directory entry durable.
fn sync_dir(path: &Path) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// `<journal>.<what>-<UTC stamp>[-N]`, created new, written and fsynced,
/// its directory too.
/// One line to standard error, ignoring a failed write.
fn say(line: &str) {
    let _ = writeln!(io::stderr(), "{line}");
}

fn write_side_file(
    journal: &Path,
    what: &str,
    now: DateTime<FixedOffset>,
    bytes: &[u8],
) -> io::Result<PathBuf> {
    let stamp = now.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ");
    let base = side_path(journal, &format!(".{what}-{stamp}"));
    let mut n = 1;
    loop {
        let path = if n == 1 {
            base.clone()
        } else {
            side_path(&base, &format!("-{n}"))
        };
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                let written = f
                    .write_all(bytes)
                    .and_then(|()| f.sync_all())
                    .and_then(|()| sync_dir(&path));
                return match written {
                    Ok(()) => Ok(path),
                    Err(e) => {
                        // A full disk: leave no empty or partial side file
                        // that could pass for the real one.
                        drop(f);
                        let _ = fs::remove_file(&path);
                        Err(e)
                    }
                };
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(e),
        }
    }
}
