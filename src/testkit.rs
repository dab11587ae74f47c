//! Shared fixtures for the binary's unit tests: instants on the reference
//! event's day, and its agenda.

use chrono::{DateTime, FixedOffset, Utc};
use showcall_core::agenda::Agenda;

/// `HH:MM` or `HH:MM:SS` on 22 June 2023 in Geneva (CEST, UTC+02:00).
pub fn at(hms: &str) -> DateTime<FixedOffset> {
    let hms = if hms.len() == 5 {
        format!("{hms}:00")
    } else {
        hms.to_string()
    };
    DateTime::parse_from_rfc3339(&format!("2023-06-22T{hms}+02:00")).expect("a test time")
}

/// [`at`] in UTC, as the engine and the views take it.
pub fn utc(hms: &str) -> DateTime<Utc> {
    at(hms).with_timezone(&Utc)
}

/// The project's reference agenda.
pub fn agenda() -> Agenda {
    Agenda::parse(include_bytes!("../agenda.toml"), "agenda.toml").expect("agenda.toml is valid")
}

/// A screen's rows as text, as a terminal shows them: the cell after a
/// wide character is skipped, so `contains` checks see each character
/// once.
pub fn screen_rows(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            let mut row = String::new();
            let mut skip = 0;
            for x in 0..buf.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf[(x, y)].symbol();
                skip = showcall_core::text::width(sym).saturating_sub(1);
                row.push_str(sym);
            }
            row
        })
        .collect()
}

/// A value that writes into a temporary directory, with the directory.
/// Fields drop in order, so the value (a journal writer) goes before its
/// directory: a writer dropped after it would find its journal gone and, as
/// it must in a real show, save every entry to a `.fallback-` file in the
/// system temp dir, where nothing removes it. `let (op, _dir) = …` drops
/// `_dir` first; hold an `InDir` instead.
pub struct InDir<T> {
    pub value: T,
    pub dir: tempfile::TempDir,
}

impl<T> std::ops::Deref for InDir<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> std::ops::DerefMut for InDir<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use showcall_core::journal::{Kind, OpenInfo, Writer};

    /// The files `<name>.fallback-*` in the system temp dir.
    fn fallbacks(name: &str) -> usize {
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter(|e| {
                let n = e.as_ref().unwrap().file_name();
                n.to_string_lossy()
                    .starts_with(&format!("{name}.fallback-"))
            })
            .count()
    }

    /// An operator screen writing `name` in a temp dir, with one entry
    /// saved after the open: the show holds both, the writer neither.
    fn writer_in(name: &str) -> InDir<crate::operator::Operator> {
        let dir = tempfile::tempdir().unwrap();
        let info = OpenInfo {
            agenda: "agenda.toml".into(),
            sha256: agenda().sha256,
            version: "test".into(),
        };
        let (w, _) = Writer::open(&dir.path().join(name), info, at("14:55")).unwrap();
        let show = showcall_core::show::Show::new(agenda(), Vec::new());
        let link = crate::operator::Link::Writer(w);
        let mut op = crate::operator::Operator::new(show, link, false, Vec::new());
        let start = Kind::Start {
            session: "welcome".into(),
        };
        op.record(start, at("15:00"), None).unwrap();
        InDir { value: op, dir }
    }

    #[test]
    fn a_writer_in_dir_leaves_nothing_in_the_temp_dir() {
        let name = format!("indir-{}.journal.jsonl", std::process::id());
        drop(writer_in(&name));
        assert_eq!(fallbacks(&name), 0);
        // The class it fixes: the directory dropped first makes the writer
        // save a complete fallback in the temp dir (removed here).
        let InDir { value, dir } = writer_in(&name);
        drop(dir);
        drop(value);
        assert_eq!(fallbacks(&name), 1);
        for e in std::fs::read_dir(std::env::temp_dir()).unwrap() {
            let p = e.unwrap().path();
            if p.file_name().unwrap().to_string_lossy().starts_with(&name) {
                std::fs::remove_file(p).unwrap();
            }
        }
    }
}
