//! The owner file beside a journal, `<journal>.owner`: the lock that keeps
//! a second writer out (journal or not), the holder's name for the
//! "already open" message, and the `open` entry followers adopt the clock
//! from; and keeping an earlier journal aside for `--new`.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};

use super::super::{ClockRecord, Entry, JournalError, Kind, side_path};
use super::{same_file, sync_dir};

/// The owner file's text: a few lines, so at most 64 KiB, and only from a
/// regular file (a FIFO put in its place would block the reader forever).
pub(super) fn read_owner(owner: &Path) -> Option<String> {
    if !fs::metadata(owner).ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    File::open(owner)
        .ok()?
        .take(64 * 1024)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
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

/// Why the owner lock was not taken.
pub(super) enum OwnerLock {
    /// Another writer holds it.
    Held,
    Io(io::Error),
}

/// Opens (or creates) `<journal>.owner` and locks it. A holder removes the
/// file as it leaves, so after locking we check that the path still leads
/// to the file we locked; if not, we locked a removed file and try again.
pub(super) fn lock_owner(owner: &Path) -> Result<File, OwnerLock> {
    for _ in 0..100 {
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(owner)
            .map_err(OwnerLock::Io)?;
        match f.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(OwnerLock::Held),
            Err(fs::TryLockError::Error(e)) => return Err(OwnerLock::Io(e)),
        }
        let ours = f.metadata().map_err(OwnerLock::Io)?;
        match fs::metadata(owner) {
            Ok(theirs) if same_file(&ours, &theirs) => return Ok(f),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(OwnerLock::Io(e)),
        }
    }
    Err(OwnerLock::Io(io::Error::other(
        "the owner file keeps being replaced",
    )))
}

/// Removes the owner file if opening fails after the lock was taken.
pub(super) struct OwnerGuard(pub(super) Option<(File, PathBuf)>);

impl Drop for OwnerGuard {
    fn drop(&mut self) {
        if let Some((_, path)) = &self.0 {
            let _ = fs::remove_file(path);
        }
    }
}

/// `pid=… host=… since=…`, then the `open` entry the journal starts with.
/// Advisory: who to blame in the refusal message, and the clock for
/// followers that start before the journal exists. No fsync needed.
pub(super) fn owner_text(now: DateTime<FixedOffset>, open_line: Option<&str>) -> String {
    let mut text = format!(
        "pid={} host={} since={}\n",
        std::process::id(),
        host_name(),
        now.to_rfc3339()
    );
    if let Some(l) = open_line {
        text.push_str(l);
        text.push('\n');
    }
    text
}

pub(super) fn write_owner(
    f: &mut File,
    now: DateTime<FixedOffset>,
    open_line: &str,
) -> io::Result<()> {
    f.set_len(0)?;
    f.seek(SeekFrom::Start(0))?;
    f.write_all(owner_text(now, Some(open_line)).as_bytes())
}

pub(super) fn write_owner_path(owner: &Path, now: DateTime<FixedOffset>) -> io::Result<()> {
    fs::write(owner, owner_text(now, None)).inspect_err(|_| {
        // A full disk: no empty owner file naming nobody.
        let _ = fs::remove_file(owner);
    })
}

/// The clock a running writer announced in `<journal>.owner` for a journal
/// it has not created yet. None without an owner file or a readable `open`
/// line in it. The file may be left by a writer that was killed: prefer the
/// journal's own `open` entry whenever there is one.
pub fn announced(journal: &Path) -> Option<ClockRecord> {
    let text = read_owner(&side_path(journal, ".owner"))?;
    let line = text.lines().nth(1)?;
    let entry = Entry::parse_line(line).ok()?;
    if super::super::format::out_of_range(&entry, line.as_bytes()).is_some() {
        return None;
    }
    match entry.kind {
        Kind::Open { clock, .. } => Some(clock.map_or(ClockRecord::REAL, |c| *c)),
        _ => None,
    }
}

/// Renames `path` to `<stem>-<UTC stamp>.journal.jsonl` beside it (never
/// over another file), syncing the directory; None if there is no file.
pub(super) fn keep_aside(path: &Path, now: DateTime<FixedOffset>) -> io::Result<Option<PathBuf>> {
    if fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    let name = path
        .file_name()
        .map_or_else(|| "journal".into(), |n| n.to_string_lossy().into_owned());
    let stamp = now.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ");
    let (stem, ext) = match name.strip_suffix(".journal.jsonl") {
        Some(stem) => (stem.to_owned(), ".journal.jsonl"),
        None => match name.strip_suffix(".jsonl") {
            Some(stem) => (stem.to_owned(), ".jsonl"),
            None => (name.clone(), ""),
        },
    };
    for n in 1..1000 {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let to = path.with_file_name(format!("{stem}-{stamp}{suffix}{ext}"));
        match fs::hard_link(path, &to) {
            Ok(()) => {
                fs::remove_file(path)?;
                sync_dir(path)?;
                return Ok(Some(to));
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("no free name to keep the earlier journal"))
}

pub(super) fn locked_error(path: &Path) -> JournalError {
    let mut pid = None;
    let mut host = None;
    let mut since = None;
    if let Some(text) = read_owner(&side_path(path, ".owner")) {
        for word in text.lines().next().unwrap_or("").split_whitespace() {
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
