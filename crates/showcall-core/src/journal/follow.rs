//! Following a journal that another process writes: the speaker screen,
//! a second operator screen, a live report.
//!
//! Owns incremental, non-blocking reading. Never locks, never writes, so it
//! can never block or disturb the writer.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

use super::format::{out_of_range, parse_bytes};
use super::replay::line_diag;
use super::{Entry, JournalError};

/// Reads entries appended since the last poll.
#[derive(Debug)]
pub struct Follower {
    path: PathBuf,
    file: Option<File>,
    /// Byte offset just after the last complete line read.
    offset: u64,
    /// Lines read so far (for locating problems).
    line: usize,
    last_seq: Option<u64>,
    warnings: Vec<Diagnostic>,
}

impl Follower {
    /// Follows `path`, which need not exist yet.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Follower {
            path: path.into(),
            file: None,
            offset: 0,
            line: 0,
            last_seq: None,
            warnings: Vec::new(),
        }
    }

    /// The journal file it follows, as given to [`Follower::new`].
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Complete lines appended since the last poll, as entries. Never
    /// blocks. A last line without its newline is left for a later poll
    /// (read again then), so a write in progress is never mistaken for
    /// damage. A missing file gives no entries. Bad lines are skipped and
    /// reported by [`Follower::take_warnings`].
    ///
    /// `Err(Replaced)` means the file was replaced or cut shorter than what
    /// was already read: drop what you have; the next poll starts over.
    /// `Err(Io)` when the path is not a regular file, cannot be read, or is
    /// bigger than [`MAX_JOURNAL_BYTES`](super::MAX_JOURNAL_BYTES): the
    /// same limit, in the same words, as every other reader; it is checked
    /// before a byte is read, so a huge file costs nothing.
    pub fn poll(&mut self) -> Result<Vec<Entry>, JournalError> {
        let io_err = |e| JournalError::io(&self.path, e);
        let theirs = match fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err(e)),
        };
        if !theirs.is_file() {
            return Err(io_err(super::replay::not_regular()));
        }
        if theirs.len() > super::replay::MAX_JOURNAL_BYTES {
            return Err(io_err(super::replay::too_big(theirs.len())));
        }
        if let Some(file) = &self.file {
            let ours = file.metadata().map_err(io_err)?;
            if !same_file(&ours, &theirs) || ours.len() < self.offset {
                self.restart();
                return Err(JournalError::Replaced {
                    path: self.path.clone(),
                });
            }
        } else {
            match File::open(&self.path) {
                Ok(f) => self.file = Some(f),
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
                Err(e) => return Err(io_err(e)),
            }
        }
        let Some(file) = self.file.as_mut() else {
            return Ok(Vec::new());
        };
        if theirs.len() == self.offset {
            // Nothing new (the usual second): no read.
            return Ok(Vec::new());
        }
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(self.offset))
            .and_then(|_| {
                file.take(super::replay::MAX_JOURNAL_BYTES)
                    .read_to_end(&mut bytes)
            })
            .map_err(|e| JournalError::io(&self.path, e))?;
        let Some(end) = bytes.iter().rposition(|&b| b == b'\n') else {
            return Ok(Vec::new());
        };
        let file_name = self.path.display().to_string();
        let mut out = Vec::new();
        for line in bytes[..end].split(|&b| b == b'\n') {
            self.line += 1;
            match parse_bytes(line) {
                Ok(e) => {
                    let expected = self.last_seq.map_or(1, |s| s.saturating_add(1));
                    if e.seq != expected {
                        self.warnings.push(line_diag(
                            &file_name,
                            self.line,
                            line,
                            0..1,
                            format!("seq {} where {expected} was expected", e.seq),
                        ));
                    }
                    self.last_seq = Some(e.seq);
                    match out_of_range(&e, line) {
                        None => out.push(e),
                        Some(err) => self.warnings.push(line_diag(
                            &file_name,
                            self.line,
                            line,
                            err.offset..err.offset + err.len,
                            format!("{}: entry skipped", err.message),
                        )),
                    }
                }
                Err(err) => self.warnings.push(line_diag(
                    &file_name,
                    self.line,
                    line,
                    err.offset..err.offset + err.len,
                    err.message,
                )),
            }
        }
        self.offset += end as u64 + 1;
        Ok(out)
    }

    /// Problems met while following (bad lines skipped, seq out of order); drained.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.warnings)
    }

    fn restart(&mut self) {
        self.file = None;
        self.offset = 0;
        self.line = 0;
        self.last_seq = None;
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}
