//! The one writer: exclusive lock, one `write_all` + `sync_data` per entry,
//! a queue for entries that could not be saved yet, recovery of a torn tail
//! at open, and the fallback file for quitting while the disk refuses.
//!
//! Owns the rule that nothing is reported saved before it is fsynced, and
//! that we never write into a file that is not the one we locked.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};

use crate::diag::{Diagnostic, Diagnostics};

use super::replay::{line_diag, scan};
use super::{Entry, JournalError, Kind, side_path};

/// What the `open` entry records about the agenda, written once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInfo {
    /// The agenda's file name.
    pub agenda: String,
    /// Lowercase hex sha256 of the agenda's bytes.
    pub sha256: String,
    /// The program version.
    pub version: String,
}

/// Where lines go. The real one appends to the locked file and fsyncs;
/// tests wrap it to inject faults (see [`Writer::map_sink`]).
pub trait Sink: Send {
    /// Appends one complete line (ending in `\n`) with one `write_all`, then
    /// makes it durable. Ok means it is on disk.
    fn write_line(&mut self, line: &[u8]) -> io::Result<()>;
}

struct FileSink(File);

impl Sink for FileSink {
    fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        self.0.write_all(line)?;
        self.0.sync_data()
    }
}

/// The outcome of one `append`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Appended {
    /// Written and fsynced.
    Saved(u64),
    /// Kept in memory, queued; `retry` writes it when the fault clears.
    NotSaved { seq: u64, error: String },
    /// The kind cannot be written as a line that reads back the same (an
    /// `Unknown` using a known tag or reserved fields); nothing was queued
    /// and no seq was used.
    Refused { error: String },
}

/// Whether everything appended so far is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Saved,
    NotSaved { reason: String },
}

/// The single writer of one journal. Holds an exclusive lock on the file
/// for its whole life; dropping it releases the lock.
pub struct Writer {
    path: PathBuf,
    /// The locked file; also used to check and repair its length.
    file: File,
    sink: Box<dyn Sink>,
    /// Length of the file up to the last saved line.
    good_len: u64,
    /// A write failed and may have left part of a line after `good_len`.
    dirty: bool,
    entries: Vec<Entry>,
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
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("path", &self.path)
            .field("entries", &self.entries.len())
            .field("pending", &self.pending.len())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl Writer {
    /// Creates the journal (writing the `open` entry) or opens an existing
    /// one: locks it, replays it, moves a torn last line aside. Refuses to
    /// write into a journal damaged anywhere but its last line.
    pub fn open(
        path: &Path,
        info: OpenInfo,
        now: DateTime<FixedOffset>,
    ) -> Result<(Writer, Vec<Diagnostic>), JournalError> {
        let io_err = |e| JournalError::io(path, e);
        let (mut file, created) = match OpenOptions::new()
            .read(true)
            .append(true)
            .create_new(true)
            .open(path)
        {
            Ok(f) => (f, true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => (
                OpenOptions::new()
                    .read(true)
                    .append(true)
                    .open(path)
                    .map_err(io_err)?,
                false,
            ),
            Err(e) => return Err(io_err(e)),
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(locked_error(path)),
            Err(fs::TryLockError::Error(e)) => return Err(io_err(e)),
        }
        if created {
            sync_dir(path).map_err(io_err)?;
        }
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(0)).map_err(io_err)?;
        file.read_to_end(&mut bytes).map_err(io_err)?;
        let name = path.display().to_string();
        let scanned = scan(&name, &bytes);
        if !scanned.problems.is_empty() {
            let mut diags = scanned.problems;
            if let Some(first) = diags.first_mut() {
                first.help = Some(
                    "nothing was written; fix or remove the line by hand (docs/journal.md), \
                     or open it read-only with --read-only"
                        .to_owned(),
                );
            }
            return Err(JournalError::Corrupt {
                path: path.to_owned(),
                diags: Diagnostics(diags),
            });
        }
        let mut warnings = Vec::new();
        let owner = side_path(path, ".owner");
        if let Err(e) = write_owner(&owner, now) {
            warnings.push(Diagnostic::file_level(
                owner.display().to_string(),
                format!("cannot record the lock holder: {e}"),
            ));
        }
        let mut good_len = bytes.len() as u64;
        if let Some((range, line)) = &scanned.torn {
            let torn = &bytes[range.clone()];
            let moved = write_side_file(path, "torn", now, torn).map_err(io_err)?;
            file.set_len(range.start as u64).map_err(io_err)?;
            file.sync_all().map_err(io_err)?;
            good_len = range.start as u64;
            warnings.push(line_diag(
                &name,
                *line,
                torn,
                0..torn.len().min(160),
                format!(
                    "last line was cut short ({} bytes): moved to '{}', writing continues",
                    torn.len(),
                    moved.display()
                ),
            ));
        }
        warnings.extend(scanned.warnings);
        if let Some(Kind::Open { sha256, .. }) = scanned
            .entries
            .iter()
            .map(|e| &e.kind)
            .find(|k| matches!(k, Kind::Open { .. }))
            && !sha256.eq_ignore_ascii_case(&info.sha256)
        {
            warnings.push(Diagnostic::file_level(
                &name,
                format!(
                    "the agenda changed since this journal was opened (sha256 {} now, {} then): \
                     sessions still match by id",
                    short(&info.sha256),
                    short(sha256)
                ),
            ));
        }
        let sink = FileSink(file.try_clone().map_err(io_err)?);
        let next_seq = scanned.entries.last().map_or(1, |e| e.seq + 1);
        let mut w = Writer {
            path: path.to_owned(),
            file,
            sink: Box::new(sink),
            good_len,
            dirty: false,
            entries: scanned.entries,
            pending: Vec::new(),
            next_seq,
            state: State::Saved,
            detached: false,
            fallback_upto: 0,
            fallback_full: false,
            warnings: Vec::new(),
            now,
            owner,
        };
        if w.entries.is_empty() {
            let kind = Kind::Open {
                agenda: info.agenda,
                sha256: info.sha256,
                version: info.version,
            };
            match w.append(kind, now) {
                Appended::Saved(_) => {}
                Appended::NotSaved { error, .. } | Appended::Refused { error } => {
                    return Err(JournalError::Io {
                        path: path.to_owned(),
                        source: io::Error::other(format!("cannot write the open entry: {error}")),
                    });
                }
            }
        }
        Ok((w, warnings))
    }

    /// Queues an entry with the next seq and tries to write everything
    /// queued, in order. Reports `Saved` only once it is fsynced.
    pub fn append(&mut self, kind: Kind, at: DateTime<FixedOffset>) -> Appended {
        self.now = at;
        let entry = Entry::new(self.next_seq, at, kind);
        match Entry::parse_line(&entry.to_line()) {
            Ok(back) if back == entry => {}
            Ok(_) => {
                return Appended::Refused {
                    error: format!(
                        "a '{}' entry would not read back the same",
                        crate::text::sanitize(entry.kind.name())
                    ),
                };
            }
            Err(e) => return Appended::Refused { error: e.message },
        }
        let seq = entry.seq;
        self.next_seq += 1;
        self.pending.push(entry);
        self.flush();
        if self.pending.iter().any(|e| e.seq == seq) {
            Appended::NotSaved {
                seq,
                error: self.reason(),
            }
        } else {
            Appended::Saved(seq)
        }
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

    /// Saved entries, including those replayed at open.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Entries appended but not yet on disk, in seq order.
    pub fn pending(&self) -> &[Entry] {
        &self.pending
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The seq the next append will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// Warnings found while writing (stray bytes moved aside); drained.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }

    /// True when quitting loses nothing: every entry is in the journal, or
    /// in a fallback file written since.
    pub fn can_quit(&mut self) -> bool {
        let last = self.next_seq - 1;
        if self.check_file().is_err() {
            return self.fallback_full && self.fallback_upto >= last;
        }
        self.pending
            .last()
            .is_none_or(|e| e.seq <= self.fallback_upto)
    }

    /// Writes what the journal does not hold to
    /// `<journal>.fallback-<UTC stamp>` (fsynced) beside the journal, or in
    /// the system temp dir when that fails, and returns its path.
    ///
    /// Normally that is the pending entries. When the journal file was
    /// removed or replaced, it is every entry, so the fallback is a complete
    /// journal on its own. With nothing to save it returns the journal's path.
    pub fn save_fallback(&mut self, now: DateTime<FixedOffset>) -> io::Result<PathBuf> {
        self.now = now;
        let full = self.check_file().is_err();
        if self.pending.is_empty() && !full {
            return Ok(self.path.clone());
        }
        let mut text = String::new();
        let list: Vec<&Entry> = if full {
            self.entries.iter().chain(&self.pending).collect()
        } else {
            self.pending.iter().collect()
        };
        for e in list {
            text.push_str(&e.to_line());
            text.push('\n');
        }
        let saved = write_side_file(&self.path, "fallback", now, text.as_bytes()).or_else(|e| {
            let name = self.path.file_name().map_or_else(
                || "journal.jsonl".into(),
                |n| n.to_string_lossy().into_owned(),
            );
            write_side_file(
                &std::env::temp_dir().join(name),
                "fallback",
                now,
                text.as_bytes(),
            )
            .map_err(|e2| io::Error::new(e2.kind(), format!("{e}; in the temp dir: {e2}")))
        })?;
        self.fallback_upto = self.next_seq - 1;
        self.fallback_full = full;
        Ok(saved)
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
                    let e = self.pending.remove(0);
                    self.entries.push(e);
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

    /// The path must still lead to the file we locked.
    fn check_file(&mut self) -> Result<(), String> {
        let ours = self.file.metadata().map_err(|e| describe(&e))?;
        match fs::metadata(&self.path) {
            Ok(theirs) if same_file(&ours, &theirs) => {
                self.detached = false;
                Ok(())
            }
            Ok(_) => {
                self.detached = true;
                Err(
                    "the journal file was replaced by another file: not writing into it; \
                     save a fallback"
                        .to_owned(),
                )
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.detached = true;
                Err("the journal file was removed: save a fallback".to_owned())
            }
            Err(e) => Err(describe(&e)),
        }
    }

    /// Before each write: our file, ending exactly where our last line ended.
    fn prepare(&mut self) -> Result<(), String> {
        self.check_file()?;
        let len = self.file.metadata().map_err(|e| describe(&e))?.len();
        if len == self.good_len {
            self.dirty = false;
            return Ok(());
        }
        if len < self.good_len {
            self.detached = true;
            return Err(format!(
                "the journal shrank from {} to {len} bytes: something else changed it; \
                 save a fallback",
                self.good_len
            ));
        }
        if !self.dirty {
            // Bytes we did not write (a program ignoring the lock): keep
            // them beside the journal, never lose or interleave them.
            let mut stray = Vec::new();
            let mut f = &self.file;
            f.seek(SeekFrom::Start(self.good_len))
                .and_then(|_| f.take(len - self.good_len).read_to_end(&mut stray))
                .map_err(|e| describe(&e))?;
            let moved = write_side_file(&self.path, "torn", self.now, &stray)
                .map_err(|e| format!("cannot move stray bytes aside: {}", describe(&e)))?;
            self.warnings.push(Diagnostic::file_level(
                self.path.display().to_string(),
                format!(
                    "{} bytes appeared that this program did not write: moved to '{}'",
                    stray.len(),
                    moved.display()
                ),
            ));
        }
        self.cut_back().map_err(|e| describe(&e))
    }

    fn cut_back(&mut self) -> io::Result<()> {
        self.file.set_len(self.good_len)?;
        self.file.sync_all()?;
        self.dirty = false;
        Ok(())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Before the lock goes (fields drop after this), so a new writer's
        // owner file is never removed by us.
        if let Ok(text) = fs::read_to_string(&self.owner)
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
    match e.kind() {
        io::ErrorKind::StorageFull => format!("the disk is full ({e})"),
        io::ErrorKind::PermissionDenied => format!("permission denied ({e})"),
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
                f.write_all(bytes)?;
                f.sync_all()?;
                sync_dir(&path)?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(e),
        }
    }
}

/// This machine's name, for the owner file.
pub fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|p| fs::read_to_string(p).ok())
        .map(|s| s.trim().replace(char::is_whitespace, "_"))
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn write_owner(owner: &Path, now: DateTime<FixedOffset>) -> io::Result<()> {
    // Advisory only: who to blame in the refusal message. No fsync needed.
    let text = format!(
        "pid={} host={} since={}\n",
        std::process::id(),
        host_name(),
        now.to_rfc3339()
    );
    fs::write(owner, text)
}

fn locked_error(path: &Path) -> JournalError {
    let mut pid = None;
    let mut host = None;
    let mut since = None;
    if let Ok(text) = fs::read_to_string(side_path(path, ".owner")) {
        for word in text.split_whitespace() {
            match word.split_once('=') {
                Some(("pid", v)) => pid = v.parse().ok(),
                Some(("host", v)) => host = Some(crate::text::sanitize(v).into_owned()),
                Some(("since", v)) => since = Some(crate::text::sanitize(v).into_owned()),
                _ => {}
            }
        }
    }
    JournalError::Locked {
        path: path.to_owned(),
        pid,
        host,
        since,
    }
}
