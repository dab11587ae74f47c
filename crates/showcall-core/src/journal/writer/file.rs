//! The writer's hold on its file: the path must still lead to the file it
//! locked, ending exactly where its last saved line ended; bytes another
//! program wrote are moved aside, a half-written line cut back; a lazy
//! journal is created with its first entry.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};

use crate::diag::Diagnostic;

use super::{Writer, describe, same_file, sync_dir, write_side_file};

impl Writer {
    /// The path must still lead to the file we locked.
    pub(super) fn check_file(&mut self) -> Result<(), String> {
        let Some(file) = &self.file else {
            // Not created yet: the path must still be free for us.
            return match fs::symlink_metadata(&self.path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    self.detached = false;
                    Ok(())
                }
                Ok(_) => {
                    self.detached = true;
                    Err(format!(
                        "a file appeared at '{}' that this program did not write: \
                         not writing into it; save a fallback",
                        self.path.display()
                    ))
                }
                Err(e) => Err(format!(
                    "cannot check the journal's path, {}: entries wait in memory; \
                     give the permission back, or save a fallback",
                    describe(&e)
                )),
            };
        };
        let ours = file.metadata().map_err(|e| describe(&e))?;
        match fs::metadata(&self.path) {
            // Our file, but cut shorter than what we saved (`truncate`, an
            // editor writing in place): saved entries are gone from disk.
            Ok(theirs) if same_file(&ours, &theirs) && ours.len() < self.good_len => {
                self.detached = true;
                Err(format!(
                    "the journal shrank from {} to {} bytes: something else cut it; \
                     not writing into it; save a fallback",
                    self.good_len,
                    ours.len()
                ))
            }
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
            // The path cannot be looked at (its directory's permission
            // taken away): the file may be intact, but it cannot be told
            // that the path still leads to it, so nothing is written.
            Err(e) => Err(format!(
                "cannot check the journal's path, {}: entries wait in memory; \
                 give the permission back, or save a fallback",
                describe(&e)
            )),
        }
    }

    /// Before each write: our file, ending exactly where our last line ended.
    pub(super) fn prepare(&mut self) -> Result<(), String> {
        self.check_file()?;
        let file = match &self.file {
            Some(f) => f,
            None => self.create()?,
        };
        let len = file.metadata().map_err(|e| describe(&e))?.len();
        if self.dir_unsynced {
            sync_dir(&self.path).map_err(|e| describe(&e))?;
            self.dir_unsynced = false;
        }
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
            let Some(mut f) = self.file.as_ref() else {
                return Err("the journal file is not created yet".to_owned());
            };
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

    pub(super) fn cut_back(&mut self) -> io::Result<()> {
        if let Some(f) = &self.file {
            f.set_len(self.good_len)?;
            f.sync_all()?;
        }
        self.dirty = false;
        Ok(())
    }

    /// Creates the journal of a lazy open, with its first entry: new, never
    /// someone else's file, locked like any journal.
    fn create(&mut self) -> Result<&File, String> {
        let f = match OpenOptions::new()
            .read(true)
            .append(true)
            .create_new(true)
            .open(&self.path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                self.detached = true;
                return Err(format!(
                    "a file appeared at '{}' that this program did not write: \
                     not writing into it; save a fallback",
                    self.path.display()
                ));
            }
            Err(e) => return Err(describe(&e)),
        };
        match f.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(
                    "another program locked the new journal: not writing into it; \
                     save a fallback"
                        .to_owned(),
                );
            }
            Err(fs::TryLockError::Error(e)) => return Err(describe(&e)),
        }
        let clone = f.try_clone().map_err(|e| describe(&e))?;
        *self
            .slot
            .lock()
            .map_err(|_| "journal lock poisoned".to_owned())? = Some(clone);
        self.good_len = 0;
        self.dir_unsynced = true;
        Ok(self.file.insert(f))
    }
}
