//! The journal on a real disk: creation, recovery of a torn tail, refusal of
//! a damaged file, the lock, following, injected write failures, a file
//! removed or replaced underneath the writer, and the fallback file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, TimeDelta};
use showcall::journal::{
    Appended, Entry, Follower, JournalError, Kind, OpenInfo, Sink, State, Writer, read,
};

fn t0() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2023-06-22T15:10:04+02:00").unwrap()
}

fn info() -> OpenInfo {
    OpenInfo {
        agenda: "agenda.toml".into(),
        sha256: "ab".repeat(32),
        version: "0.1.0".into(),
    }
}

fn start(s: &str) -> Kind {
    Kind::Start { session: s.into() }
}

fn note(s: &str) -> Kind {
    Kind::Note {
        text: s.into(),
        session: None,
    }
}

fn journal() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agenda.journal.jsonl");
    (dir, path)
}

fn side_files(dir: &Path, what: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(what))
        .collect();
    v.sort();
    v
}

fn append_raw(path: &Path, bytes: &[u8]) {
    fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
}

#[test]
fn creates_with_open_entry_and_appends() {
    let (dir, path) = journal();
    let (mut w, warnings) = Writer::open(&path, info(), t0()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(w.append(start("welcome"), t0()), Appended::Saved(2));
    assert_eq!(w.append(note("hi"), t0()), Appended::Saved(3));
    assert_eq!(w.state(), &State::Saved);
    let owner = fs::read_to_string(dir.path().join("agenda.journal.jsonl.owner")).unwrap();
    assert!(
        owner.starts_with(&format!("pid={} host=", std::process::id())),
        "{owner}"
    );
    drop(w);
    assert!(!dir.path().join("agenda.journal.jsonl.owner").exists());

    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(r#"{"v":1,"seq":1,"at":"2023-06-22T15:10:04+02:00","kind":"open","agenda":"agenda.toml","sha256":"abab"#));
    assert_eq!(text.lines().count(), 3);
    let replay = read(&path).unwrap();
    assert_eq!(replay.entries.len(), 3);
    assert_eq!(replay.problem, None);

    // Reopening continues the sequence and does not write a second open.
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    assert_eq!(w.opened().len(), 3);
    assert_eq!(w.append(note("again"), t0()), Appended::Saved(4));
}

#[test]
fn torn_tail_is_moved_aside_and_writing_continues() {
    let (dir, path) = journal();
    drop(Writer::open(&path, info(), t0()).unwrap());
    append_raw(
        &path,
        br#"{"v":1,"seq":2,"at":"2023-06-22T15:10:04+02:00","kind":"st"#,
    );
    let replay = read(&path).unwrap();
    assert_eq!(replay.entries.len(), 1);
    assert!(
        replay.warnings[0]
            .to_string()
            .contains("last line has no newline")
    );

    let (mut w, warnings) = Writer::open(&path, info(), t0()).unwrap();
    let torn = side_files(dir.path(), ".torn-");
    assert_eq!(torn.len(), 1);
    assert!(
        torn[0]
            .to_string_lossy()
            .ends_with("agenda.journal.jsonl.torn-20230622T131004Z")
    );
    assert_eq!(
        fs::read(&torn[0]).unwrap(),
        br#"{"v":1,"seq":2,"at":"2023-06-22T15:10:04+02:00","kind":"st"#
    );
    let shown = warnings[0].to_string();
    assert!(
        shown.contains(":2:1: last line was cut short (58 bytes): moved to"),
        "{shown}"
    );
    assert!(shown.contains("torn-20230622T131004Z"), "{shown}");
    assert_eq!(w.append(start("a"), t0()), Appended::Saved(2));
    drop(w);
    let replay = read(&path).unwrap();
    assert_eq!(replay.entries.len(), 2);
    assert!(replay.warnings.is_empty());

    // A complete last line that is not an entry is torn too; the name is not reused.
    append_raw(&path, b"\0\0\0\0\n");
    let (_w, warnings) = Writer::open(&path, info(), t0()).unwrap();
    assert_eq!(side_files(dir.path(), ".torn-").len(), 2);
    assert!(warnings[0].to_string().contains("torn-20230622T131004Z-2"));
}

#[test]
fn a_torn_open_entry_is_rewritten() {
    let (_dir, path) = journal();
    fs::write(&path, br#"{"v":1,"seq":1,"at":"20"#).unwrap();
    let (w, warnings) = Writer::open(&path, info(), t0()).unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(matches!(w.opened()[0].kind, Kind::Open { .. }));
}

#[test]
fn damage_before_the_last_line_stops_writing() {
    for (damage, expect) in [
        ("{oops}\n", "j.jsonl:3:2: key must be a string"),
        (
            "{\"v\":1,\"seq\":9,\"at\":\"2023-06-22T15:10:04Z\",\"kind\":\"end\",\"session\":\"a\"}\n",
            "j.jsonl:3:14: seq jumps from 2 to 9: entries 3..=8 are missing",
        ),
        (
            "{\"v\":1,\"seq\":2,\"at\":\"2023-06-22T15:10:04Z\",\"kind\":\"end\",\"session\":\"a\"}\n",
            "j.jsonl:3:14: seq 2 repeats",
        ),
        ("\n", "j.jsonl:3:1: empty line"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
        w.append(start("a"), t0());
        drop(w);
        append_raw(&path, damage.as_bytes());
        append_raw(
            &path,
            b"{\"v\":1,\"seq\":4,\"at\":\"2023-06-22T15:10:04Z\",\"kind\":\"end\",\"session\":\"a\"}\n",
        );
        let before = fs::read(&path).unwrap();
        let err = Writer::open(&path, info(), t0()).unwrap_err();
        assert_eq!(err.line(), Some(3));
        let shown = err.to_string();
        assert!(
            shown.contains("journal is damaged, writing stopped"),
            "{shown}"
        );
        assert!(shown.contains(expect), "{shown}");
        assert!(shown.contains("help: nothing was written"), "{shown}");
        // Nothing touched, no owner left behind.
        assert_eq!(fs::read(&path).unwrap(), before);
        assert!(side_files(dir.path(), ".owner").is_empty());
        assert!(side_files(dir.path(), ".torn-").is_empty());
        // Readers still get what is before the damage.
        let replay = read(&path).unwrap();
        assert_eq!(replay.entries.len(), 2);
        assert_eq!(replay.problem.unwrap().line, 3);
    }
}

#[test]
fn second_writer_is_refused_with_pid_and_host() {
    let (_dir, path) = journal();
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    // Two opens in one process are two open file descriptions: they conflict.
    let err = Writer::open(&path, info(), t0()).unwrap_err();
    let JournalError::Locked { pid, host, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*pid, Some(std::process::id()));
    assert_eq!(
        host.as_deref(),
        Some(showcall::journal::writer::host_name().as_str())
    );
    let shown = err.to_string();
    assert!(
        shown.contains(&format!(
            "already open for writing by pid {} on host '",
            std::process::id()
        )),
        "{shown}"
    );
    assert!(
        shown.ends_with("open it read-only with --read-only instead"),
        "{shown}"
    );
    // The refused writer changed nothing; the first one still writes.
    assert_eq!(w.append(note("still mine"), t0()), Appended::Saved(2));
    // Readers never lock.
    assert_eq!(read(&path).unwrap().entries.len(), 2);
    drop(w);
    assert!(Writer::open(&path, info(), t0()).is_ok());
}

#[test]
fn agenda_change_is_a_warning() {
    let (_dir, path) = journal();
    drop(Writer::open(&path, info(), t0()).unwrap());
    let mut other = info();
    other.sha256 = "cd".repeat(32);
    let (_w, warnings) = Writer::open(&path, other, t0()).unwrap();
    let shown = warnings[0].to_string();
    assert!(
        shown.contains("the agenda changed since this journal was opened (sha256 cdcdcdcdcdcd now, abababababab then): sessions still match by id"),
        "{shown}"
    );
}

#[test]
fn follower_sees_new_entries_and_buffers_partial_lines() {
    let (_dir, path) = journal();
    let mut f = Follower::new(&path);
    assert_eq!(f.poll().unwrap(), vec![]); // not there yet
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    let got = f.poll().unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(f.poll().unwrap(), vec![]);
    w.append(start("a"), t0());
    w.append(note("b"), t0());
    let got = f.poll().unwrap();
    assert_eq!(got.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3]);

    // A line arriving in pieces is held back until its newline.
    drop(w);
    let line = Entry::new(4, t0(), note("split")).to_line() + "\n";
    let (a, b) = line.as_bytes().split_at(20);
    append_raw(&path, a);
    assert_eq!(f.poll().unwrap(), vec![]);
    append_raw(&path, b);
    assert_eq!(f.poll().unwrap()[0].seq, 4);
    assert!(f.take_warnings().is_empty());

    // A torn tail that the next writer cuts off does not confuse it.
    append_raw(&path, b"{\"v\":1,\"seq\":5,");
    assert_eq!(f.poll().unwrap(), vec![]);
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    w.append(note("after"), t0());
    let got = f.poll().unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].kind, note("after"));
    assert!(f.take_warnings().is_empty());

    // Replaced underneath: say so, then start over.
    drop(w);
    fs::remove_file(&path).unwrap();
    let (_w, _) = Writer::open(&path, info(), t0()).unwrap();
    assert!(matches!(f.poll(), Err(JournalError::Replaced { .. })));
    assert_eq!(f.poll().unwrap().len(), 1);
}

/// Fails every write while `fault` holds an error kind; optionally leaves
/// part of the line in the file first, as a write cut short by a full disk.
struct Faulty {
    inner: Box<dyn Sink>,
    fault: Arc<Mutex<Option<io::ErrorKind>>>,
    partial_into: Option<PathBuf>,
}

impl Sink for Faulty {
    fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        match *self.fault.lock().unwrap() {
            None => self.inner.write_line(line),
            Some(kind) => {
                if let Some(p) = &self.partial_into {
                    append_raw(p, &line[..line.len() / 2]);
                }
                Err(io::Error::from(kind))
            }
        }
    }
}

fn faulty(w: &mut Writer, partial_into: Option<PathBuf>) -> Arc<Mutex<Option<io::ErrorKind>>> {
    let fault = Arc::new(Mutex::new(None));
    let f = fault.clone();
    w.map_sink(move |inner| {
        Box::new(Faulty {
            inner,
            fault: f,
            partial_into,
        })
    });
    fault
}

#[test]
fn failed_writes_queue_and_retry_in_order() {
    let (dir, path) = journal();
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    let fault = faulty(&mut w, Some(path.clone()));
    *fault.lock().unwrap() = Some(io::ErrorKind::StorageFull);
    let t = |s| t0() + TimeDelta::seconds(s);
    let Appended::NotSaved { seq: 2, error } = w.append(start("a"), t(1)) else {
        panic!()
    };
    assert!(error.contains("the disk is full"), "{error}");
    assert!(matches!(w.state(), State::NotSaved { reason } if reason.contains("disk is full")));
    // Later appends queue behind, keeping seq order.
    *fault.lock().unwrap() = Some(io::ErrorKind::PermissionDenied);
    assert!(
        matches!(w.append(note("b"), t(2)), Appended::NotSaved { seq: 3, error } if error.contains("permission denied"))
    );
    assert_eq!(w.retry(t(3)), 0);
    assert_eq!(
        w.pending().iter().map(|e| e.seq).collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(w.opened().len(), 1);
    // The half lines the faults left were cut off: the file is still clean.
    assert_eq!(read(&path).unwrap().entries.len(), 1);
    assert!(read(&path).unwrap().warnings.is_empty());
    assert!(!w.can_quit());

    // Quitting now: the fallback holds the pending lines, fsynced.
    let fb = w.save_fallback(t(4), &[]).unwrap();
    assert!(fb.starts_with(dir.path()));
    assert!(
        fb.to_string_lossy()
            .ends_with("agenda.journal.jsonl.fallback-20230622T131008Z")
    );
    let lines: Vec<Entry> = fs::read_to_string(&fb)
        .unwrap()
        .lines()
        .map(|l| Entry::parse_line(l).unwrap())
        .collect();
    assert_eq!(lines.iter().map(|e| e.seq).collect::<Vec<_>>(), [2, 3]);
    assert!(w.can_quit());
    // A later append is not covered by that fallback.
    w.append(note("c"), t(5));
    assert!(!w.can_quit());

    // The fault clears: the next retry saves everything, in order.
    *fault.lock().unwrap() = None;
    assert_eq!(w.retry(t(6)), 3);
    assert_eq!(w.state(), &State::Saved);
    assert!(w.pending().is_empty());
    assert!(w.can_quit());
    assert_eq!(w.append(note("d"), t(7)), Appended::Saved(5));
    let replay = read(&path).unwrap();
    assert_eq!(replay.problem, None);
    assert_eq!(
        replay.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    assert_eq!(replay.entries[1].at, t(1));
}

#[test]
fn bytes_someone_else_appended_are_moved_aside() {
    let (dir, path) = journal();
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    append_raw(&path, b"{\"stray\":true}\n");
    assert_eq!(w.append(note("mine"), t0()), Appended::Saved(2));
    let warnings = w.take_warnings();
    assert!(
        warnings[0]
            .to_string()
            .contains("15 bytes appeared that this program did not write: moved to")
    );
    assert_eq!(
        fs::read(&side_files(dir.path(), ".torn-")[0]).unwrap(),
        b"{\"stray\":true}\n"
    );
    assert_eq!(read(&path).unwrap().entries.len(), 2);
}

#[test]
fn a_replaced_journal_is_never_written_into() {
    let (dir, path) = journal();
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    // The show's list: the writer keeps only what is not on disk.
    let mut list = w.take_opened();
    list.extend(w.push(start("a"), t0()).queued);
    // Someone's editor saves over it (write new file, rename over).
    let tmp = dir.path().join("edit.tmp");
    fs::write(&tmp, b"theirs\n").unwrap();
    fs::rename(&tmp, &path).unwrap();
    assert!(
        matches!(w.append(note("b"), t0()), Appended::NotSaved { seq: 3, error } if error.contains("replaced"))
    );
    assert_eq!(fs::read(&path).unwrap(), b"theirs\n");
    assert!(!w.can_quit());
    // The fallback is a whole journal: the replaced file took our saved entries with it.
    let fb = w.save_fallback(t0(), &list).unwrap();
    let replay = read(&fb).unwrap();
    assert_eq!(replay.problem, None);
    assert_eq!(replay.entries.len(), 3);
    assert!(w.can_quit());
}

#[test]
fn a_removed_journal_is_noticed_even_when_idle() {
    let (_dir, path) = journal();
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    let list = w.take_opened();
    fs::remove_file(&path).unwrap();
    assert_eq!(w.retry(t0()), 0);
    assert!(matches!(w.state(), State::NotSaved { reason } if reason.contains("removed")));
    assert!(!w.can_quit());
    assert!(matches!(
        w.append(note("x"), t0()),
        Appended::NotSaved { .. }
    ));
    assert!(!path.exists());
    let fb = w.save_fallback(t0(), &list).unwrap();
    assert_eq!(read(&fb).unwrap().entries.len(), 2);
}

#[test]
fn fallback_goes_to_temp_dir_when_the_directory_refuses() {
    let (dir, path) = journal();
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    let fault = faulty(&mut w, None);
    *fault.lock().unwrap() = Some(io::ErrorKind::StorageFull);
    w.append(note("x"), t0());
    let mut perms = fs::metadata(dir.path()).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(dir.path(), perms.clone()).unwrap();
    // Root ignores directory permissions; only check the temp-dir path when it applies.
    let readonly = fs::write(dir.path().join("probe"), b"").is_err();
    let fb = w.save_fallback(t0() + TimeDelta::seconds(1), &[]).unwrap();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(dir.path(), perms).unwrap();
    if readonly {
        assert!(fb.starts_with(std::env::temp_dir()));
    }
    let text = fs::read_to_string(&fb).unwrap();
    assert_eq!(Entry::parse_line(text.trim_end()).unwrap().seq, 2);
    if readonly {
        fs::remove_file(fb).unwrap();
    }
}

#[test]
fn unwritable_kinds_are_refused_without_using_a_seq() {
    let (_dir, path) = journal();
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    let bad = Kind::Unknown {
        kind: "start".into(),
        fields: Default::default(),
    };
    assert!(matches!(w.append(bad, t0()), Appended::Refused { .. }));
    assert_eq!(w.append(note("ok"), t0()), Appended::Saved(2));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever is in the file, opening never panics, never loses bytes
    /// (they stay in the journal or go to a .torn- file), and once it opens
    /// the journal is clean and takes appends.
    #[test]
    fn opening_arbitrary_files_is_safe(
        good in 0u64..4,
        tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
    ) {
        let (dir, path) = journal();
        let mut bytes = Vec::new();
        for seq in 1..=good {
            let kind = if seq == 1 {
                Kind::Open { agenda: "a".into(), sha256: "ab".repeat(32), version: "0".into(), clock: None }
            } else {
                note("n")
            };
            bytes.extend(Entry::new(seq, t0(), kind).to_line().into_bytes());
            bytes.push(b'\n');
        }
        bytes.extend(&tail);
        fs::write(&path, &bytes).unwrap();
        match Writer::open(&path, info(), t0()) {
            Ok((mut w, _)) => {
                let kept = fs::read(&path).unwrap();
                let torn: Vec<u8> = side_files(dir.path(), ".torn-")
                    .iter()
                    .flat_map(|p| fs::read(p).unwrap())
                    .collect();
                // What was there is now split between the journal and the torn file.
                let prefix = bytes.len() - torn.len();
                proptest::prop_assert_eq!(&bytes[prefix..], &torn[..]);
                proptest::prop_assert_eq!(&kept[..prefix], &bytes[..prefix]);
                if prefix == 0 {
                    // Nothing good was left: a fresh open entry.
                    proptest::prop_assert_eq!(kept.iter().filter(|&&b| b == b'\n').count(), 1);
                }
                let next = w.next_seq();
                proptest::prop_assert_eq!(w.append(note("after"), t0()), Appended::Saved(next));
                drop(w);
                let replay = read(&path).unwrap();
                proptest::prop_assert!(replay.problem.is_none());
                proptest::prop_assert_eq!(replay.entries.len() as u64, next);
            }
            Err(e) => {
                let _ = e.to_string();
                proptest::prop_assert_eq!(fs::read(&path).unwrap(), bytes);
            }
        }
    }
}
