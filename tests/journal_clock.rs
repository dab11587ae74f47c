//! A journal has one clock: the `open` entry records it, a writer with
//! another clock is refused, a lazy writer creates the file with its first
//! entry and still keeps a second writer out (in this process and in
//! another, whose lock dies with it), and a fresh start keeps the old file.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use showcall::journal::writer::announced;
use showcall::journal::{
    Appended, ClockRecord, JournalClock, JournalError, Kind, OpenInfo, Opening, Writer, clock_of,
    read,
};

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn t0() -> DateTime<FixedOffset> {
    t("2023-06-22T15:38:00+02:00")
}

fn info() -> OpenInfo {
    OpenInfo {
        agenda: "agenda.toml".into(),
        sha256: "ab".repeat(32),
        version: "0.1.0".into(),
    }
}

/// The README demo's clock: at 08:10:00 UTC on 29 Nov 2026 it read
/// 15:38 on the event's day, running 10 times faster.
fn demo_clock() -> ClockRecord {
    ClockRecord {
        clock: JournalClock::Show {
            wall: t("2026-11-29T08:10:00.123Z"),
            show: t0(),
            speed: 10.0,
        },
        shift_s: None,
    }
}

fn lazy(clock: ClockRecord) -> Opening {
    Opening {
        clock,
        lazy: true,
        fresh: false,
    }
}

fn start(s: &str) -> Kind {
    Kind::Start { session: s.into() }
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

fn journal() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agenda.rehearsal.journal.jsonl");
    (dir, path)
}

/// The tests of this file one at a time: a test that spawns a child
/// process forks while another test may hold a journal lock, and the child
/// keeps the lock's file description open until it execs, so a lock just
/// released would still look held.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

#[test]
fn the_open_entry_records_the_show_clock() {
    let _serial = serial();
    let (_dir, path) = journal();
    let (mut w, _) = Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap();
    assert_eq!(w.append(start("panel"), t0()), Appended::Saved(2));
    drop(w);
    let text = fs::read_to_string(&path).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.ends_with(
            r#""version":"0.1.0","clock":"show","clock_wall":"2026-11-29T08:10:00.123Z","clock_show":"2023-06-22T15:38:00+02:00","clock_speed":10}"#
        ),
        "{first}"
    );
    let entries = read(&path).unwrap().entries;
    assert_eq!(clock_of(&entries), demo_clock());
    // 15:38:00 plus 30 real seconds at 10×: 300 show seconds, 15:43:00.
    let later = t("2026-11-29T08:10:30.123Z").to_utc();
    assert_eq!(
        clock_of(&entries).clock.show_at(later),
        t("2023-06-22T15:43:00+02:00").to_utc()
    );
}

#[test]
fn an_old_journal_without_a_clock_is_a_real_clock_journal() {
    let _serial = serial();
    let (_dir, path) = journal();
    fs::write(
        &path,
        "{\"v\":1,\"seq\":1,\"at\":\"2023-06-22T14:52:11+02:00\",\"kind\":\"open\",\"agenda\":\"agenda.toml\",\"sha256\":\"ab\",\"version\":\"0.1.0\"}\n",
    )
    .unwrap();
    assert_eq!(clock_of(&read(&path).unwrap().entries), ClockRecord::REAL);
    // A real-clock writer carries it on.
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    assert_eq!(w.append(start("panel"), t0()), Appended::Saved(2));
}

#[test]
fn a_writer_refuses_a_journal_of_the_other_clock() {
    let _serial = serial();
    // Real journal, show-clock writer (the README demo pointed at it).
    let (dir, path) = journal();
    drop(Writer::open(&path, info(), t0()).unwrap());
    let before = fs::read(&path).unwrap();
    let err = Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap_err();
    assert!(matches!(err, JournalError::OtherClock { .. }), "{err}");
    let shown = err.to_string();
    assert!(
        shown.contains("this journal is stamped by the real clock, and this run's clock is a show clock that read 15:38:00 (2023-06-22) at 2026-11-29 08:10:00 UTC, 10× real time: nothing was written"),
        "{shown}"
    );
    assert!(
        shown.contains("writes a rehearsal journal of its own"),
        "{shown}"
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(names(dir.path()), ["agenda.rehearsal.journal.jsonl"]);

    // Show-clock journal, real-clock writer.
    let (dir, path) = journal();
    let (mut w, _) = Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap();
    w.append(start("panel"), t0());
    drop(w);
    let err = Writer::open(&path, info(), t0()).unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("a real show writes the real journal"),
        "{shown}"
    );
    assert_eq!(names(dir.path()), ["agenda.rehearsal.journal.jsonl"]);

    // Another show clock (same speed, started later): refused too; the
    // same clock carries on.
    let mut other = demo_clock();
    if let JournalClock::Show { wall, .. } = &mut other.clock {
        *wall = t("2026-11-29T09:00:00Z");
    }
    let err = Writer::open_with(&path, info(), lazy(other), t0()).unwrap_err();
    assert!(err.to_string().contains("add --new"), "{err}");
    let (mut w, _) = Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap();
    assert_eq!(w.append(start("qa"), t0()), Appended::Saved(3));

    // A moved agenda is part of the record: another shift is refused.
    drop(w);
    let mut shifted = demo_clock();
    shifted.shift_s = Some(3600);
    assert!(matches!(
        Writer::open_with(&path, info(), lazy(shifted), t0()),
        Err(JournalError::OtherClock { .. })
    ));
}

#[test]
fn a_lazy_writer_creates_the_journal_with_its_first_entry() {
    let _serial = serial();
    let (dir, path) = journal();
    let (mut w, warnings) = Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    // Only the lock, which tells followers the clock to come.
    assert_eq!(names(dir.path()), ["agenda.rehearsal.journal.jsonl.owner"]);
    assert_eq!(announced(&path), Some(demo_clock()));
    assert!(w.opened().is_empty());
    assert!(w.can_quit());
    assert_eq!(w.retry(t0()), 0);

    // A second writer is refused although there is no journal yet.
    let err = Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap_err();
    let JournalError::Locked { pid, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*pid, Some(std::process::id()));
    assert!(matches!(
        Writer::open(&path, info(), t0()),
        Err(JournalError::Locked { .. })
    ));
    assert!(!path.exists());

    // The first entry brings the open entry, stamped with it.
    let at = t("2023-06-22T15:39:31.486+02:00");
    assert_eq!(w.append(start("panel"), at), Appended::Saved(2));
    let entries = read(&path).unwrap().entries;
    assert_eq!(entries.len(), 2);
    assert!(matches!(entries[0].kind, Kind::Open { .. }));
    assert_eq!(entries[0].at, at);
    drop(w);
    assert_eq!(names(dir.path()), ["agenda.rehearsal.journal.jsonl"]);

    // Closing without an entry leaves nothing at all.
    let (dir, path) = journal();
    drop(Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap());
    assert!(names(dir.path()).is_empty());
}

#[test]
fn a_file_that_appears_under_a_lazy_writer_is_not_written_into() {
    let _serial = serial();
    let (dir, path) = journal();
    let (mut w, _) = Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap();
    fs::write(&path, b"someone else's\n").unwrap();
    assert!(matches!(
        w.append(start("panel"), t0()),
        Appended::NotSaved { .. }
    ));
    assert_eq!(fs::read(&path).unwrap(), b"someone else's\n");
    assert!(!w.can_quit());
    let fallback = w.save_fallback(t0(), &[]).unwrap();
    assert!(w.can_quit());
    // The fallback is a whole journal: the open entry, then the start.
    let saved = read(&fallback).unwrap().entries;
    assert_eq!(saved.len(), 2);
    assert_eq!(clock_of(&saved), demo_clock());
    drop(dir);
}

#[test]
fn a_fresh_start_keeps_the_earlier_journal() {
    let _serial = serial();
    let (dir, path) = journal();
    let (mut w, _) = Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap();
    w.append(start("panel"), t0());
    drop(w);
    let old = fs::read(&path).unwrap();
    let real_rehearsal = ClockRecord {
        clock: JournalClock::Real,
        shift_s: Some(-60),
    };
    let opening = Opening {
        clock: real_rehearsal,
        lazy: true,
        fresh: true,
    };
    let (w, warnings) = Writer::open_with(&path, info(), opening, t0()).unwrap();
    // t0 is 13:38:00 UTC.
    let kept = dir
        .path()
        .join("agenda.rehearsal-20230622T133800Z.journal.jsonl");
    assert!(
        warnings[0]
            .to_string()
            .contains("the earlier journal is kept beside it as 'agenda.rehearsal-20230622T133800Z.journal.jsonl'"),
        "{:?}",
        warnings
    );
    assert_eq!(fs::read(&kept).unwrap(), old);
    assert!(!path.exists());
    drop(w);
    // A second one on the same second gets its own name.
    fs::write(&path, &old).unwrap();
    drop(Writer::open_with(&path, info(), opening, t0()).unwrap());
    assert!(
        dir.path()
            .join("agenda.rehearsal-20230622T133800Z-2.journal.jsonl")
            .exists()
    );
}

/// The child's side; a no-op in a normal test run. `hold`: take the lock
/// of a lazy journal and wait; `append`: open a lazy real-clock journal and
/// append notes, printing `saved N` for each one reported saved.
#[test]
fn child() {
    let Ok(path) = std::env::var("CLOCK_CHILD_PATH") else {
        return;
    };
    let mode = std::env::var("CLOCK_CHILD_MODE").unwrap_or_default();
    let mut out = std::io::stdout().lock();
    if mode == "append" {
        let opening = lazy(ClockRecord::REAL);
        let (mut w, _) = Writer::open_with(Path::new(&path), info(), opening, t0()).unwrap();
        for n in 0..2000 {
            let kind = Kind::Note {
                text: format!("note {n}"),
                session: None,
            };
            match w.append(kind, t0()) {
                Appended::Saved(s) => {
                    writeln!(out, "saved {s}").unwrap();
                    out.flush().unwrap();
                }
                other => panic!("{other:?}"),
            }
        }
        return;
    }
    let (_w, _) = Writer::open_with(Path::new(&path), info(), lazy(demo_clock()), t0()).unwrap();
    writeln!(out, "locked").unwrap();
    out.flush().unwrap();
    std::thread::sleep(Duration::from_secs(30));
}

fn spawn(path: &Path) -> Child {
    spawn_mode("hold", path)
}

fn spawn_mode(mode: &str, path: &Path) -> Child {
    // The child test's full name in this binary: `child` under this
    // module's path without the crate's name (`journal_clock::child`).
    let child = module_path!()
        .split_once("::")
        .map_or("child".to_owned(), |(_, m)| format!("{m}::child"));
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", &child, "--nocapture", "--test-threads=1", "-q"])
        .env("CLOCK_CHILD_PATH", path)
        .env("CLOCK_CHILD_MODE", mode)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn sigkill_while_a_lazy_journal_is_created_loses_nothing_saved() {
    let _serial = serial();
    // Each trial starts with no journal, so the kill lands in creating it
    // (before, during or after the open entry) or in the first appends.
    let dir = tempfile::tempdir().unwrap();
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        | 1;
    eprintln!("seed {seed}");
    for trial in 0..12 {
        let path = dir.path().join(format!("t{trial}.journal.jsonl"));
        let mut child = spawn_mode("append", &path);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let after = seed % 4;
        let mut reported = 0u64;
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        if after > 0 {
            for line in lines.by_ref() {
                if let Some(s) = line.unwrap().strip_prefix("saved ") {
                    reported = s.parse().unwrap();
                    if reported > after {
                        break;
                    }
                }
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        for line in lines {
            if let Some(s) = line.unwrap().strip_prefix("saved ") {
                reported = reported.max(s.parse().unwrap());
            }
        }
        // What the next run finds: a clean journal holding every entry
        // reported saved, seq 1 the open entry (or, killed before the
        // first entry, no journal, or an empty one it completes).
        let (w, _) = Writer::open(&path, info(), t0())
            .unwrap_or_else(|e| panic!("trial {trial} (seed {seed}): {e}"));
        let entries = w.opened();
        assert!(
            entries.len() as u64 >= reported,
            "trial {trial} (seed {seed}): {} entries, {reported} reported saved",
            entries.len()
        );
        assert!(matches!(entries[0].kind, Kind::Open { .. }));
        for (i, e) in entries.iter().enumerate() {
            assert_eq!(e.seq, i as u64 + 1, "trial {trial} (seed {seed})");
        }
    }
}

#[test]
fn a_lazy_writer_in_another_process_keeps_others_out_until_it_dies() {
    let _serial = serial();
    let (_dir, path) = journal();
    let mut child = spawn(&path);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.by_ref().any(|l| l.unwrap() == "locked"));
    let err = Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap_err();
    let JournalError::Locked { pid, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*pid, Some(child.id()));
    // SIGKILL: no clean-up runs, the owner file stays, the lock goes.
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut w, _) = Writer::open_with(&path, info(), lazy(demo_clock()), t0()).unwrap();
    assert_eq!(w.append(start("panel"), t0()), Appended::Saved(2));
}
