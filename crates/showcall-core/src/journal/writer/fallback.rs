//! What the writer does when the disk does not hold everything: the one
//! "may I quit?" question, the fallback file, and the lines the signal
//! watcher keeps for its own last-resort fallback.
//!
//! The writer keeps only the entries not yet on disk. Once the journal
//! file no longer holds what was saved (removed, replaced, cut short), a
//! complete fallback needs the saved entries too: the caller hands them
//! over as `journal`, every entry of this journal it holds in seq order
//! (the show's list). The writer takes from it the entries before its
//! first pending one, then adds its pending ones, so the pending entries
//! are never written twice, whether or not the caller's list has them.

use std::io;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use super::super::Entry;
use super::{Settled, Writer, write_side_file};

impl Writer {
    /// True when quitting loses nothing: every entry is in the journal, or
    /// in a fallback written since.
    pub fn can_quit(&mut self) -> bool {
        let last = self.next_seq - 1;
        if self.lost_saved() {
            return self.fallback_full && self.fallback_upto >= last;
        }
        self.pending
            .last()
            .is_none_or(|e| e.seq <= self.fallback_upto)
    }

    /// The one question every exit path asks (keys, signals, hang-up, the
    /// writer being dropped on a panic): does the journal on disk still hold
    /// everything? Tries the pending entries once more, then checks the file
    /// (removed, replaced, truncated, shrunk). When it does not hold
    /// everything, writes a fallback ([`Writer::save_fallback`]): a complete
    /// journal, from `journal` (see the module's note), if the file no
    /// longer holds what was saved.
    ///
    /// Errors: the fallback could not be written anywhere; nothing may be
    /// lost, so the caller must not quit silently.
    pub fn settle(&mut self, now: DateTime<FixedOffset>, journal: &[Entry]) -> io::Result<Settled> {
        self.retry(now);
        if self.can_quit() {
            return Ok(Settled::InJournal {
                entries: self.saved,
            });
        }
        let full = self.lost_saved();
        let count = self.fallback_list(full, journal).count();
        let path = self.save_fallback(now, journal)?;
        Ok(Settled::Fallback {
            path,
            full: self.fallback_full,
            count,
        })
    }

    /// True while the journal file still holds every saved entry: not
    /// removed, replaced, truncated or shrunk. A path that cannot be looked
    /// at (its directory's permission taken away) is not a lost file: the
    /// file last seen is believed, so a permission problem is never called
    /// "removed".
    pub fn holds_saved(&mut self) -> bool {
        !self.lost_saved()
    }

    /// How many entries are at risk (the header's NOT SAVED count): the
    /// pending ones, and, once the file no longer holds what was saved,
    /// every saved one too. As of the last [`Writer::retry`] (the shell's
    /// second) or write.
    pub fn at_risk(&self) -> usize {
        if self.detached {
            self.saved + self.pending.len()
        } else {
            self.pending.len()
        }
    }

    /// Checks the file; true when the path no longer leads to the saved
    /// entries (removed, replaced, cut).
    pub(super) fn lost_saved(&mut self) -> bool {
        let _ = self.check_file();
        self.detached
    }

    /// The entries a fallback holds: the saved ones from `journal` (those
    /// before the first pending seq) when `full`, then the pending ones.
    fn fallback_list<'a>(
        &'a self,
        full: bool,
        journal: &'a [Entry],
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        let first_pending = self.pending.first().map_or(u64::MAX, |e| e.seq);
        // The list is in seq order: the saved ones are found by halving,
        // and not looked at all when only the pending ones are wanted (the
        // signal watcher's copy is refreshed after every entry).
        let saved = if full {
            &journal[..journal.partition_point(|e| e.seq < first_pending)]
        } else {
            &[]
        };
        saved.iter().chain(&self.pending)
    }

    /// The lines a fallback written now would hold (empty when the journal
    /// holds everything): for a watcher that may have to write them when
    /// this writer cannot be reached. `journal`: see the module's note.
    pub fn fallback_lines(&mut self, journal: &[Entry]) -> Vec<String> {
        let full = self.lost_saved();
        self.fallback_list(full, journal)
            .map(Entry::to_line)
            .collect()
    }

    /// Writes what the journal does not hold to
    /// `<journal>.fallback-<UTC stamp>` (fsynced) beside the journal, or in
    /// the system temp dir when that fails, and returns its path.
    ///
    /// Normally that is the pending entries. When the journal file was
    /// removed or replaced, it is every entry, the saved ones taken from
    /// `journal` (see the module's note), so the fallback is a complete
    /// journal on its own. With nothing to save it returns the journal's
    /// path.
    pub fn save_fallback(
        &mut self,
        now: DateTime<FixedOffset>,
        journal: &[Entry],
    ) -> io::Result<PathBuf> {
        self.now = now;
        let full = self.lost_saved();
        if self.pending.is_empty() && !full {
            return Ok(self.path.clone());
        }
        if self.pending.is_empty() && !journal.iter().any(|e| e.seq < self.next_seq) {
            // Never an empty file that could pass for a rescue.
            return Err(io::Error::other(
                "the journal file no longer holds the saved entries, \
                 and they were not handed over: nothing to write",
            ));
        }
        let mut text = String::new();
        let mut count = 0;
        for e in self.fallback_list(full, journal) {
            text.push_str(&e.to_line());
            text.push('\n');
            count += 1;
        }
        // Complete only if the caller handed every saved entry over (a
        // writer dropped on its own has none to give).
        let complete = full && count >= self.saved + self.pending.len();
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
        self.fallback_full = complete;
        Ok(saved)
    }
}
