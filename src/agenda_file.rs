//! The agenda file during the show: noticing that it was saved again and
//! reading it. The file watcher (`wake`) marks it at once; a `stat` once a
//! second catches a change the watch missed (no watch possible, a network
//! file system). Editors that save by writing a new file and renaming it
//! over the old one are seen either way: the watch is on the directory,
//! and the `stat` compares the inode too.
//!
//! What a change means is the engine's (`Show::replan`); journaling it is
//! the operator's. This owns no screen and no journal.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::TimeDelta;
use showcall_core::agenda::Agenda;
use showcall_core::diag::Diagnostics;

/// What identifies one version of the file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    ino: u64,
}

fn stamp(path: &Path) -> std::io::Result<Stamp> {
    let m = std::fs::metadata(path)?;
    #[cfg(unix)]
    let ino = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let ino = 0;
    Ok(Stamp {
        modified: m.modified().ok(),
        len: m.len(),
        ino,
    })
}

/// The agenda file a screen follows.
#[derive(Debug)]
pub struct AgendaFile {
    path: PathBuf,
    /// A rehearsal's move of the whole agenda, seconds: a reloaded agenda
    /// is moved the same way.
    shift_s: Option<i64>,
    stamp: Option<Stamp>,
    dirty: bool,
    /// Polls in a row that found no file: one is a save in progress, more
    /// is a file removed or renamed away.
    missing: u8,
}

impl AgendaFile {
    /// Follows `path`, as it is now; `shift_s` as the rehearsal moved it.
    pub fn new(path: &Path, shift_s: Option<i64>) -> AgendaFile {
        AgendaFile {
            path: path.to_path_buf(),
            shift_s,
            stamp: stamp(path).ok(),
            dirty: false,
            missing: 0,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The watcher saw the file change: read it at the next poll.
    pub fn mark(&mut self) {
        self.dirty = true;
    }

    /// Once a second and after a wake-up: the agenda as the file holds it
    /// now if it was saved since the last poll (moved for a rehearsal), or
    /// its problems if it is not valid; None if nothing changed. A file
    /// that is gone (mid-save) counts as unchanged.
    pub fn poll(&mut self) -> Option<Result<Agenda, Diagnostics>> {
        let now = match stamp(&self.path) {
            Ok(s) => Some(s),
            Err(e) => {
                // Gone for a second poll in a row: not a save in progress.
                // Said once, until the file is back (then it is read
                // again). A file that cannot be looked at (its directory's
                // permission taken away) is said as that, not as gone.
                self.missing = self.missing.saturating_add(1);
                self.stamp = None;
                let why = if e.kind() == std::io::ErrorKind::NotFound {
                    "the agenda file is gone (removed or renamed)".to_owned()
                } else {
                    format!(
                        "the agenda file cannot be looked at ({})",
                        showcall_core::text::sanitize(&e.to_string())
                    )
                };
                return (self.missing == 2).then(|| {
                    Err(Diagnostics(vec![
                        showcall_core::diag::Diagnostic::file_level(
                            self.path.display().to_string(),
                            format!(
                                "{why}: the show runs on the last good agenda; \
                                 save the file again to reload it"
                            ),
                        ),
                    ]))
                });
            }
        };
        self.missing = 0;
        if !self.dirty && now == self.stamp {
            return None;
        }
        self.dirty = false;
        self.stamp = now;
        Some(Agenda::load(&self.path).map(|a| match self.shift_s {
            Some(s) => a.shifted(TimeDelta::seconds(s)),
            None => a,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGENDA: &str = "[event]\ntitle = \"T\"\ndate = \"2023-06-22\"\ntimezone = \"UTC\"\n\n[[session]]\nid = \"a\"\ntitle = \"A\"\nstart = \"10:00\"\nend = \"10:30\"\n";

    #[test]
    fn a_save_is_read_once_a_rename_save_too_and_errors_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("agenda.toml");
        std::fs::write(&path, AGENDA).unwrap();
        let mut f = AgendaFile::new(&path, Some(3600));
        assert!(f.poll().is_none(), "nothing changed yet");
        // Saved in place, one byte longer: read, moved by the shift.
        std::fs::write(&path, AGENDA.replace("\"A\"", "\"AB\"")).unwrap();
        let a = f.poll().unwrap().unwrap();
        assert_eq!(a.sessions[0].title, "AB");
        assert_eq!(a.sessions[0].start.format("%H:%M").to_string(), "11:00");
        assert!(f.poll().is_none(), "read once");
        // Saved the way vim does: a new file renamed over the old one.
        let tmp = dir.path().join("agenda.toml~");
        std::fs::write(&tmp, AGENDA.replace("\"A\"", "\"AC\"")).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        assert_eq!(f.poll().unwrap().unwrap().sessions[0].title, "AC");
        // Broken: the problems, located.
        std::fs::write(&path, AGENDA.replace("10:30", "25:00")).unwrap();
        let err = f.poll().unwrap().unwrap_err();
        assert!(err.to_string().contains("agenda.toml:10:7"), "{err}");
        // Gone for a moment (mid-save): nothing to report.
        std::fs::remove_file(&path).unwrap();
        f.mark();
        assert!(f.poll().is_none());
        // Still gone a second later: removed or renamed away, said once.
        let gone = f.poll().unwrap().unwrap_err().to_string();
        assert!(gone.contains("the agenda file is gone"), "{gone}");
        assert!(f.poll().is_none(), "said once");
        // Back: read again.
        std::fs::write(&path, AGENDA).unwrap();
        assert_eq!(f.poll().unwrap().unwrap().sessions[0].title, "A");
    }
}
