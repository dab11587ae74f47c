//! Opening the one writer, along its seams: the owner lock, the file
//! (refused unless a regular file), the read and the recovery of a torn
//! last line, and the writer built over what was read.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset};

use crate::diag::{Diagnostic, Diagnostics};

use super::super::replay::{
    FileLines, MAX_JOURNAL_BYTES, line_diag, line_room, past_limit, scan_file, scan_lines,
};
use super::super::{Entry, JournalError, Kind, side_path};
use super::lock::{
    OwnerGuard, OwnerLock, keep_aside, lock_owner, locked_error, write_owner, write_owner_path,
};
use super::{
    Appended, FileSink, OpenInfo, Opening, State, Writer, short, sync_dir, write_side_file,
};

impl Writer {
    /// Creates the journal (writing the `open` entry) or opens an existing
    /// one: locks it, replays it, moves a torn last line aside. Refuses to
    /// write into a journal damaged anywhere but its last line. The journal
    /// is a real-clock one ([`Opening::default`]).
    pub fn open(
        path: &Path,
        info: OpenInfo,
        now: DateTime<FixedOffset>,
    ) -> Result<(Writer, Vec<Diagnostic>), JournalError> {
        Writer::open_with(path, info, Opening::default(), now)
    }

    /// [`Writer::open`] with a clock, lazy creation and a fresh start.
    ///
    /// The lock is taken first, on `<journal>.owner`, which exists for as
    /// long as a writer runs, even before the journal does; an existing
    /// journal is locked too. The owner file names the holder and carries
    /// the `open` entry the journal will start with, so followers can adopt
    /// the clock before the first entry ([`announced`](super::announced)).
    ///
    /// Errors: [`JournalError::Locked`] (another writer), `Corrupt`,
    /// [`JournalError::OtherClock`] (the journal's `open` entry records
    /// another clock than `opening.clock`), `Io`.
    pub fn open_with(
        path: &Path,
        info: OpenInfo,
        opening: Opening,
        now: DateTime<FixedOffset>,
    ) -> Result<(Writer, Vec<Diagnostic>), JournalError> {
        let mut warnings = Vec::new();
        let owner = side_path(path, ".owner");
        let open_kind = Kind::Open {
            agenda: info.agenda.clone(),
            sha256: info.sha256.clone(),
            version: info.version.clone(),
            clock: Some(Box::new(opening.clock)),
        };
        // Until the writer is built, leaving by `?` removes the owner file
        // (still under our lock, so never another writer's).
        let mut guard = Self::lock(path, &owner, &mut warnings)?;
        // Without the owner lock, only the journal's own lock keeps a second
        // writer out: it has to exist from the start.
        let lazy = opening.lazy && guard.0.is_some();
        if opening.fresh {
            Self::keep_earlier(path, now, &mut warnings)?;
        }
        let (file, created) = Self::open_file(path, lazy)?;
        Self::record_owner(&mut guard, &owner, &open_kind, now, &mut warnings);
        if created {
            sync_dir(path).map_err(|e| JournalError::io(path, e))?;
        }
        let (scanned, good_len) =
            Self::read_and_recover(path, file.as_ref(), &info, &opening, now, &mut warnings)?;
        let w = Self::build(path, file, scanned, good_len, owner, guard, now)?;
        Ok((w.begin(open_kind, now)?, warnings))
    }

    /// Takes the owner lock on `<journal>.owner`: `Locked` when another
    /// writer holds it; a guard without a file (and a warning) when the
    /// owner file cannot be made.
    fn lock(
        path: &Path,
        owner: &Path,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<OwnerGuard, JournalError> {
        Ok(OwnerGuard(match lock_owner(owner) {
            Ok(f) => Some((f, owner.to_owned())),
            Err(OwnerLock::Held) => return Err(locked_error(path)),
            Err(OwnerLock::Io(e)) => {
                warnings.push(Diagnostic::file_level(
                    owner.display().to_string(),
                    format!("cannot record the lock holder: {e}"),
                ));
                None
            }
        }))
    }

    /// `--new`: the earlier journal is kept beside it under a stamped name.
    fn keep_earlier(
        path: &Path,
        now: DateTime<FixedOffset>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<(), JournalError> {
        if let Some(kept) = keep_aside(path, now).map_err(|e| JournalError::io(path, e))? {
            warnings.push(Diagnostic::file_level(
                path.display().to_string(),
                format!(
                    "the earlier journal is kept beside it as '{}'; a new one begins",
                    kept.file_name().map_or_else(
                        || kept.display().to_string(),
                        |n| n.to_string_lossy().into_owned()
                    )
                ),
            ));
        }
        Ok(())
    }

    /// Opens (or, unless `lazy`, creates) the journal and locks it. A path
    /// that is there but is not a regular file (a directory, a device, a
    /// FIFO) is refused before it is opened, in the readers' words.
    /// Returns the file (None while lazy and absent) and whether it was
    /// created.
    fn open_file(path: &Path, lazy: bool) -> Result<(Option<File>, bool), JournalError> {
        let io_err = |e| JournalError::io(path, e);
        if fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            return Err(io_err(super::super::replay::not_regular()));
        }
        let open = |create: bool| {
            OpenOptions::new()
                .read(true)
                .append(true)
                .create_new(create)
                .open(path)
        };
        let (file, created) = match open(false) {
            Ok(f) => (Some(f), false),
            Err(e) if e.kind() == io::ErrorKind::NotFound && lazy => (None, false),
            Err(e) if e.kind() == io::ErrorKind::NotFound => match open(true) {
                Ok(f) => (Some(f), true),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    (Some(open(false).map_err(io_err)?), false)
                }
                Err(e) => return Err(io_err(e)),
            },
            Err(e) => return Err(io_err(e)),
        };
        if let Some(f) = &file {
            match f.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Err(locked_error(path)),
                Err(fs::TryLockError::Error(e)) => return Err(io_err(e)),
            }
        }
        Ok((file, created))
    }

    /// Names the holder in the owner file, with the `open` entry followers
    /// adopt the clock from; a failure is only a warning.
    fn record_owner(
        guard: &mut OwnerGuard,
        owner: &Path,
        open_kind: &Kind,
        now: DateTime<FixedOffset>,
        warnings: &mut Vec<Diagnostic>,
    ) {
        let written = match &mut guard.0 {
            Some((f, _)) => {
                let open_line = Entry::new(1, now, open_kind.clone()).to_line();
                write_owner(f, now, &open_line)
            }
            None => write_owner_path(owner, now),
        };
        if let Err(e) = written {
            warnings.push(Diagnostic::file_level(
                owner.display().to_string(),
                format!("cannot record the lock holder: {e}"),
            ));
        }
    }

    /// Reads and scans the journal: refuses damage before its last line
    /// (`Corrupt`) and another clock (`OtherClock`); moves a torn last line
    /// aside and cuts it off. Returns the scan and the length of the file's
    /// good lines.
    fn read_and_recover(
        path: &Path,
        file: Option<&File>,
        info: &OpenInfo,
        opening: &Opening,
        now: DateTime<FixedOffset>,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<(super::super::replay::Scan, u64), JournalError> {
        let io_err = |e| JournalError::io(path, e);
        let name = path.display().to_string();
        // Read a line at a time, once, so a large journal is never held
        // whole beside its entries.
        let (mut scanned, read_len) = match file {
            Some(f) => {
                let mut f = f.try_clone().map_err(io_err)?;
                let room = line_room(&f).map_err(io_err)?;
                f.seek(SeekFrom::Start(0)).map_err(io_err)?;
                let mut lines = FileLines::new(f.take(MAX_JOURNAL_BYTES), room);
                let scanned = scan_file(&name, &mut lines);
                let read = lines.offset();
                if let Some(e) = lines.error.or_else(|| past_limit(read)) {
                    return Err(io_err(e));
                }
                (scanned, read as u64)
            }
            None => (scan_lines(&name, &mut FileLines::new(io::empty(), 0)), 0),
        };
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
        if !scanned.entries.is_empty() {
            let theirs = super::super::clock_of(&scanned.entries);
            if !theirs.same_as(&opening.clock) {
                return Err(JournalError::OtherClock {
                    path: path.to_owned(),
                    journal: Box::new(theirs),
                    ours: Box::new(opening.clock),
                });
            }
        }
        let mut good_len = read_len;
        if let (Some(f), Some((range, line))) = (file, &scanned.torn) {
            let torn = &scanned.torn_text[..];
            let moved = write_side_file(path, "torn", now, torn).map_err(io_err)?;
            f.set_len(range.start as u64).map_err(io_err)?;
            f.sync_all().map_err(io_err)?;
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
        warnings.append(&mut scanned.warnings);
        warnings.append(&mut scanned.skipped);
        // The agenda the journal last recorded: a reload's, else the open's.
        if let Some(sha256) = scanned.entries.iter().rev().find_map(|e| match &e.kind {
            Kind::Open { sha256, .. } => Some(sha256),
            Kind::Agenda(c) => Some(&c.sha256),
            _ => None,
        }) && !sha256.eq_ignore_ascii_case(&info.sha256)
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
        Ok((scanned, good_len))
    }

    /// The writer over a journal read and recovered, holding the locks.
    fn build(
        path: &Path,
        file: Option<File>,
        scanned: super::super::replay::Scan,
        good_len: u64,
        owner: PathBuf,
        mut guard: OwnerGuard,
        now: DateTime<FixedOffset>,
    ) -> Result<Writer, JournalError> {
        let slot = Arc::new(Mutex::new(match &file {
            Some(f) => Some(f.try_clone().map_err(|e| JournalError::io(path, e))?),
            None => None,
        }));
        Ok(Writer {
            path: path.to_owned(),
            file,
            slot: Arc::clone(&slot),
            sink: Box::new(FileSink(slot)),
            good_len,
            dirty: false,
            dir_unsynced: false,
            saved: scanned.entries.len(),
            opened: scanned.entries,
            pending: Vec::new(),
            next_seq: scanned.max_seq.saturating_add(1),
            state: State::Saved,
            detached: false,
            fallback_upto: 0,
            fallback_full: false,
            warnings: Vec::new(),
            now,
            owner,
            owner_lock: guard.0.take().map(|(f, _)| f),
            unborn_open: None,
        })
    }

    /// An empty journal begins with its `open` entry: written now, or,
    /// while the file is not there (lazy), with the first real entry.
    fn begin(
        mut self,
        open_kind: Kind,
        now: DateTime<FixedOffset>,
    ) -> Result<Writer, JournalError> {
        if !self.opened.is_empty() {
            return Ok(self);
        }
        if self.file.is_none() {
            self.unborn_open = Some(Box::new(open_kind));
            return Ok(self);
        }
        let pushed = self.push(open_kind, now);
        match pushed.outcome {
            Appended::Saved(_) => {
                self.opened = pushed.queued;
                Ok(self)
            }
            Appended::NotSaved { error, .. } | Appended::Refused { error } => {
                Err(JournalError::Io {
                    path: self.path.clone(),
                    source: io::Error::other(format!("cannot write the open entry: {error}")),
                })
            }
        }
    }
}
