//! The journal against real processes: a writer killed with SIGKILL at
//! random points never loses an entry it reported saved, and a writer in
//! another process is refused with its pid and host, and its lock dies with it.
//!
//! The test binary re-executes itself as the child: `child` below does the
//! child's work when `JOURNAL_CHILD` is set, and nothing otherwise.
//!
//! The crash loop runs 40 kills with a fixed seed in `cargo test` (seconds).
//! The long run, with a random seed (printed; give it back as `CRASH_SEED`
//! to replay the same kill points):
//!
//! ```text
//! CRASH_TRIALS=1000 CRASH_SEED=random cargo test --release --test journal_kill -- --nocapture
//! ```

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use showcall::journal::{Appended, JournalError, Kind, OpenInfo, Writer};

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

fn text_for(seq: u64) -> String {
    // Long enough that a line takes a noticeable share of a write.
    format!("entry {seq} {}", "x".repeat((seq as usize * 37) % 300))
}

/// The child's side; a no-op in a normal test run.
#[test]
fn child() {
    let Ok(mode) = std::env::var("JOURNAL_CHILD") else {
        return;
    };
    let path = std::env::var("JOURNAL_PATH").unwrap();
    let (mut w, _) = Writer::open(Path::new(&path), info(), t0()).unwrap();
    let mut out = std::io::stdout().lock();
    match mode.as_str() {
        "hold" => {
            writeln!(out, "locked").unwrap();
            out.flush().unwrap();
            std::thread::sleep(Duration::from_secs(30));
        }
        _ => {
            writeln!(out, "opened {}", w.next_seq() - 1).unwrap();
            for _ in 0..5000 {
                let seq = w.next_seq();
                let kind = Kind::Note {
                    text: text_for(seq),
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
        }
    }
}

fn spawn(mode: &str, path: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child", "--nocapture", "--test-threads=1", "-q"])
        .env("JOURNAL_CHILD", mode)
        .env("JOURNAL_PATH", path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A small xorshift, so the test needs no extra dependency and a failure
/// can be replayed from the printed seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// `CRASH_SEED` (a number, or `random`; fixed by default) and
/// `CRASH_TRIALS` (40 by default).
fn crash_settings() -> (u64, usize) {
    let seed = match std::env::var("CRASH_SEED").as_deref() {
        Ok("random") => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64,
        Ok(s) => s.parse().expect("CRASH_SEED: a number or 'random'"),
        Err(_) => 0x0c0f_fee0_0014,
    } | 1;
    let trials = std::env::var("CRASH_TRIALS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    (seed, trials)
}

#[test]
fn sigkill_never_loses_a_saved_entry() {
    let (seed, trials) = crash_settings();
    eprintln!("crash loop: {trials} trials, CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agenda.journal.jsonl");
    let started = Instant::now();
    let mut reported: u64 = 0;
    for trial in 0..trials {
        let mut child = spawn("append", &path);
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill after a random number of saved entries; sometimes before the
        // child has even opened the journal.
        let after = rng.below(25);
        let mut seen = 0;
        if after > 0 {
            for line in lines.by_ref() {
                let line = line.unwrap();
                if let Some(s) = line.strip_prefix("saved ") {
                    reported = reported.max(s.parse().unwrap());
                    seen += 1;
                    if seen >= after {
                        break;
                    }
                }
            }
        }
        // A few microseconds more, so the kill lands at different points of an append.
        let spin = Instant::now();
        while spin.elapsed() < Duration::from_micros(rng.below(800)) {}
        child.kill().unwrap(); // SIGKILL on unix
        child.wait().unwrap();
        // Whatever it printed before dying was reported saved.
        for line in lines {
            let line = line.unwrap();
            if let Some(s) = line.strip_prefix("saved ") {
                reported = reported.max(s.parse().unwrap());
            }
        }
        // Reopen as the next run would: recovers any torn tail.
        let (w, warnings) = Writer::open(&path, info(), t0())
            .unwrap_or_else(|e| panic!("trial {trial} (seed {seed}): {e}"));
        for warn in &warnings {
            eprintln!("trial {trial}: {warn}");
        }
        let entries = w.opened();
        // What recovery left is a clean journal, and no side file is empty.
        let check = showcall::journal::check(&path, None, None);
        assert!(check.is_clean(), "trial {trial} (seed {seed}):\n{check}");
        for side in std::fs::read_dir(dir.path()).unwrap() {
            let side = side.unwrap().path();
            if side.to_string_lossy().contains(".torn-") {
                assert!(
                    std::fs::metadata(&side).unwrap().len() > 0,
                    "trial {trial} (seed {seed}): empty {}",
                    side.display()
                );
            }
        }
        assert!(
            entries.len() as u64 >= reported,
            "trial {trial} (seed {seed}): {} entries, {reported} reported saved",
            entries.len()
        );
        for (i, e) in entries.iter().enumerate() {
            assert_eq!(e.seq, i as u64 + 1);
            if e.seq > 1 {
                assert_eq!(
                    e.kind,
                    Kind::Note {
                        text: text_for(e.seq),
                        session: None
                    },
                    "trial {trial} (seed {seed})"
                );
            }
        }
    }
    eprintln!(
        "{trials} kills, {reported} entries reported saved, all present, in {:?}",
        started.elapsed()
    );
    assert!(reported > 0);
}

#[test]
fn a_writer_in_another_process_is_refused_until_it_dies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agenda.journal.jsonl");
    let mut child = spawn("hold", &path);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // libtest prints its own lines around ours.
    assert!(lines.by_ref().any(|l| l.unwrap() == "locked"));

    let err = Writer::open(&path, info(), t0()).unwrap_err();
    let JournalError::Locked { pid, host, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*pid, Some(child.id()));
    assert_eq!(
        host.as_deref(),
        Some(showcall::journal::writer::host_name().as_str())
    );
    let shown = err.to_string();
    assert!(
        shown.contains(&format!(
            "already open for writing by pid {} on host '",
            child.id()
        )),
        "{shown}"
    );
    assert!(shown.contains("--read-only"), "{shown}");
    // Readers are never blocked by it.
    assert_eq!(showcall::journal::read(&path).unwrap().entries.len(), 1);

    // A crashed writer's lock goes with it; its stale owner file does not matter.
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
    assert!(matches!(
        w.append(
            Kind::Message {
                text: String::new()
            },
            t0()
        ),
        Appended::Saved(2)
    ));
}
