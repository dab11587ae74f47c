//! Issue 14's inputs, one regression test each, run against the real
//! binary: numbers out of range, output bounded by entries rather than by
//! time spans, files that are not regular files, side files on failure.
//! (Hostile text is in `tests/hostile.rs`; the exit paths of the operator
//! screen are in `tests/exit_paths.rs`.)

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::pty;

const AGENDA: &str = r#"[event]
title = "GCM Talk"
date = "2023-06-22"
timezone = "Europe/Zurich"

[[session]]
id = "welcome"
title = "Welcome"
start = "15:00"
duration = "10m"

[[session]]
id = "panel"
title = "Panel"
start = "15:10"
duration = "30m"
"#;

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_showcall"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run showcall")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn entry(seq: u64, at: &str, kind: &str, fields: serde_json::Value) -> String {
    let mut m = json!({"v": 1, "seq": seq, "at": format!("2023-06-22T{at}+02:00"), "kind": kind});
    for (k, v) in fields.as_object().unwrap() {
        m[k] = v.clone();
    }
    m.to_string() + "\n"
}

fn open_line() -> String {
    entry(
        1,
        "14:50:00",
        "open",
        json!({"agenda": "agenda.toml", "sha256": "0", "version": "0.1.0"}),
    )
}

fn setup(journal: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("agenda.toml"), AGENDA).unwrap();
    std::fs::write(dir.path().join("agenda.journal.jsonl"), journal).unwrap();
    dir
}

/// Issue 14, failure 2: `delta_s` of 100000000000, 9223372036854 or
/// i64::MIN made every reader panic while `check --journal` called the file
/// clean. Now `check` locates it (exit 2), every other reader skips the
/// entry with a warning, and the entries after it still count.
#[test]
fn huge_numbers_are_skipped_with_a_located_diagnostic() {
    let big = [
        "100000000000",
        "9223372036854",
        "-9223372036854775808",
        "9223372036854775807",
        "604801",
    ];
    for (field, kind) in [("delta_s", "adjust"), ("over_s", "overrun")] {
        for n in big {
            let bad = entry(
                3,
                "15:05:00",
                kind,
                json!({"session": "welcome", "note": "x"}),
            )
            .replace("}\n", &format!(",\"{field}\":{n}}}\n"));
            let journal = open_line()
                + &entry(2, "15:00:00", "start", json!({"session": "welcome"}))
                + &bad
                + &entry(4, "15:10:00", "start", json!({"session": "panel"}));
            let dir = setup(&journal);
            let check = run(dir.path(), &["check"]);
            assert_eq!(check.status.code(), Some(2), "{field} {n}: check must fail");
            let out = text(&check.stdout);
            assert!(
                out.contains("agenda.journal.jsonl:3:") && out.contains("out of range"),
                "{field} {n}: located at line 3:\n{out}"
            );
            for args in [
                vec!["check", "--status", "--at", "15:20"],
                vec!["report", "--format", "md", "--at", "16:00"],
                vec!["report", "--format", "csv", "--at", "16:00"],
                vec!["report", "--format", "json", "--at", "16:00"],
                vec!["report", "--format", "svg", "--at", "16:00"],
            ] {
                let o = run(dir.path(), &args);
                assert_ne!(
                    o.status.code(),
                    Some(101),
                    "{field} {n} {args:?}: panic\n{}",
                    text(&o.stderr)
                );
                if args[0] == "report" {
                    assert_eq!(
                        o.status.code(),
                        Some(0),
                        "{field} {n} {args:?}\n{}",
                        text(&o.stderr)
                    );
                    assert!(
                        text(&o.stderr).contains("entry skipped"),
                        "{args:?}: warned"
                    );
                }
            }
            // The entry after the skipped one still counts: the panel started.
            let json = run(dir.path(), &["report", "--format", "json", "--at", "16:00"]);
            let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
            let panel = &v["sessions"][1];
            assert!(
                panel["actual_start"]
                    .as_str()
                    .is_some_and(|s| s.contains("15:10")),
                "{panel}"
            );
        }
    }
}

/// A value right at the range's edge is kept: a week either way.
#[test]
fn numbers_at_the_edge_of_the_range_are_kept() {
    let journal = open_line()
        + &entry(2, "15:00:00", "start", json!({"session": "welcome"}))
        + &entry(
            3,
            "15:01:00",
            "adjust",
            json!({"session": "welcome", "delta_s": -604800}),
        )
        + &entry(
            4,
            "15:02:00",
            "adjust",
            json!({"session": "welcome", "delta_s": 604800}),
        )
        + &entry(
            5,
            "15:03:00",
            "overrun",
            json!({"session": "welcome", "over_s": 604800, "note": ""}),
        );
    let dir = setup(&journal);
    let check = run(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    for f in ["md", "csv", "json", "svg"] {
        let o = run(dir.path(), &["report", "--format", f, "--at", "16:00"]);
        assert_eq!(o.status.code(), Some(0), "{f}: {}", text(&o.stderr));
    }
}

/// Issue 14, failure 3: a journal stamped years from its agenda gave a
/// 234 MB SVG. Every output is bounded by sessions and entries: here a
/// session that started in 2023 and ended in 2033, and a note in 9999.
#[test]
fn report_size_does_not_grow_with_the_span_of_times() {
    let far = |seq: u64, when: &str, kind: &str, fields: serde_json::Value| {
        entry(seq, "00:00:00", kind, fields).replace("2023-06-22T00:00:00+02:00", when)
    };
    let journal = open_line()
        + &entry(2, "15:00:00", "start", json!({"session": "welcome"}))
        + &far(
            3,
            "2033-06-22T15:00:00+02:00",
            "end",
            json!({"session": "welcome"}),
        )
        + &far(
            4,
            "9999-12-31T23:59:59+02:00",
            "note",
            json!({"text": "far"}),
        )
        + &far(
            5,
            "0001-01-01T00:00:00+02:00",
            "note",
            json!({"text": "early"}),
        );
    let dir = setup(&journal);
    // Reported at the event, ten years on (the session's end counts), and
    // at the end of time (every entry counts).
    for (f, at) in ["md", "csv", "json", "svg"].into_iter().flat_map(|f| {
        [
            "16:00",
            "2040-06-22T15:00:00+02:00",
            "9999-12-31T12:00:00+00:00",
        ]
        .map(|at| (f, at))
    }) {
        let t0 = Instant::now();
        let o = run(dir.path(), &["report", "--format", f, "--at", at]);
        assert_eq!(o.status.code(), Some(0), "{f} {at}: {}", text(&o.stderr));
        // The normal report of this agenda is a few KB; 64 KB is generous
        // and 3,600 times less than the 234 MB seen.
        assert!(
            o.stdout.len() < 64 * 1024,
            "{f} {at}: {} bytes",
            o.stdout.len()
        );
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "{f}: {:?}",
            t0.elapsed()
        );
    }
}

/// Issue 14, failure 7: an agenda path that is a FIFO blocked; a journal
/// that is a device (`/dev/zero`) grew to 3.5 GB. Files that are not regular
/// files are refused, at once, with a clear error and exit 2.
#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_without_blocking() {
    let dir = setup(&open_line());
    let fifo = dir.path().join("fifo.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let mut cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["check", "--journal", "/dev/zero"], "/dev/zero"),
        (vec!["report", "--journal", "/dev/zero"], "/dev/zero"),
        (
            vec!["check", "--status", "--journal", "/dev/zero"],
            "/dev/zero",
        ),
        (vec!["check", "/dev/zero"], "/dev/zero"),
    ];
    if made.is_ok_and(|s| s.success()) {
        cases.push((vec!["check", "fifo.toml"], "fifo.toml"));
        cases.push((vec!["report", "fifo.toml"], "fifo.toml"));
    }
    for (args, name) in cases {
        let mut child = Command::new(env!("CARGO_BIN_EXE_showcall"))
            .args(&args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("{args:?}: still running after 10 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let o = child.wait_with_output().unwrap();
        let all = text(&o.stdout) + &text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {all}");
        assert!(
            all.contains(name) && all.contains("not a regular file"),
            "{args:?}: {all}"
        );
    }
}

/// Issue 14, failure 7: agenda diagnostics were quadratic (each problem
/// re-scanned the file; 23 s for 30,000 lines of syntax errors). Only the
/// first 100 are located, with one line index; the rest are counted. The
/// timing is in `cargo bench --bench agenda`; here, what is shown.
#[test]
fn a_garbled_agenda_shows_the_first_hundred_problems_and_counts_the_rest() {
    let src: String = (0..30_000).map(|i| format!("x{i} = = ]\n")).collect();
    let d = showcall::agenda::Agenda::parse(src.as_bytes(), "bad.toml").unwrap_err();
    // 30,000 lines × 2 errors each = 60,000; 100 shown, 59,900 counted.
    assert_eq!(d.0.len(), 101);
    assert_eq!(d.0[100].message, "59900 more problems not shown");
    assert_eq!((d.0[0].line, d.0[99].line), (1, 50));
}

mod exit_check {
    //! The one exit check at the library level: `Writer::settle`, and the
    //! writer's drop as the last resort (a panic unwinding past it).

    use std::path::{Path, PathBuf};

    use chrono::{DateTime, FixedOffset};
    use showcall::journal::{Appended, Entry, Kind, OpenInfo, Settled, Writer, read};

    fn t0() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2023-06-22T15:00:00+02:00").unwrap()
    }

    fn info() -> OpenInfo {
        OpenInfo {
            agenda: "agenda.toml".into(),
            sha256: "ab".repeat(32),
            version: "0.1.0".into(),
        }
    }

    fn note(text: &str) -> Kind {
        Kind::Note {
            text: text.into(),
            session: None,
        }
    }

    /// A writer with `open` + 4 notes saved, and the five entries as the
    /// show would hold them (the writer keeps only what is not on disk).
    fn five(dir: &Path) -> (Writer, PathBuf, Vec<Entry>) {
        let path = dir.join("j.jsonl");
        let (mut w, _) = Writer::open(&path, info(), t0()).unwrap();
        let mut list = w.take_opened();
        for i in 2..=5 {
            let pushed = w.push(note(&format!("n{i}")), t0());
            assert_eq!(pushed.outcome, Appended::Saved(i));
            list.extend(pushed.queued);
        }
        (w, path, list)
    }

    fn fallbacks(dir: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".fallback-"))
            .collect()
    }

    #[test]
    fn settle_finds_every_way_the_file_can_lose_entries() {
        // (what is done to the file, entries the fallback must hold)
        type Harm = fn(&Path);
        let cases: [(&str, Harm); 4] = [
            ("removed", |p| std::fs::remove_file(p).unwrap()),
            ("replaced", |p| {
                let tmp = p.with_extension("new");
                std::fs::copy(p, &tmp).unwrap();
                std::fs::rename(&tmp, p).unwrap();
            }),
            ("truncated", |p| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .unwrap()
                    .set_len(0)
                    .unwrap()
            }),
            ("shrunk", |p| {
                let len = std::fs::metadata(p).unwrap().len();
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .unwrap()
                    .set_len(len - 1)
                    .unwrap()
            }),
        ];
        for (what, harm) in cases {
            let dir = tempfile::tempdir().unwrap();
            let (mut w, path, list) = five(dir.path());
            assert_eq!(
                w.settle(t0(), &list).unwrap(),
                Settled::InJournal { entries: 5 }
            );
            harm(&path);
            assert!(!w.can_quit(), "{what}");
            match w.settle(t0(), &list).unwrap() {
                Settled::Fallback {
                    path: f,
                    full,
                    count,
                } => {
                    assert!(full, "{what}");
                    assert_eq!(count, 5, "{what}");
                    let r = read(&f).unwrap();
                    let seqs: Vec<u64> = r.entries.iter().map(|e| e.seq).collect();
                    assert_eq!(seqs, [1, 2, 3, 4, 5], "{what}");
                }
                other => panic!("{what}: {other:?}"),
            }
            assert!(w.can_quit(), "{what}");
        }
    }

    /// Issue 24, failure 7: a journal replaced while nothing was typed
    /// showed "NOT SAVED (0)" with no reason until the next key, while the
    /// 5 saved entries lived only in memory. Now the second's retry (no
    /// key) finds each harm, names it, and counts every entry at risk: the
    /// 5 saved ones, as the fallback would hold them.
    #[test]
    fn an_idle_fault_is_found_by_the_second_and_counts_the_saved_entries() {
        use showcall::journal::State;
        type Harm = fn(&Path);
        let cases: [(&str, Harm); 3] = [
            ("removed", |p| std::fs::remove_file(p).unwrap()),
            ("replaced", |p| {
                let tmp = p.with_extension("new");
                std::fs::copy(p, &tmp).unwrap();
                std::fs::rename(&tmp, p).unwrap();
            }),
            ("shrank", |p| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .unwrap()
                    .set_len(10)
                    .unwrap()
            }),
        ];
        for (word, harm) in cases {
            let dir = tempfile::tempdir().unwrap();
            let (mut w, path, list) = five(dir.path());
            assert_eq!(w.at_risk(), 0, "{word}: all saved");
            harm(&path);
            // No append: only the shell's once-a-second retry.
            assert_eq!(w.retry(t0()), 0);
            match w.state() {
                State::NotSaved { reason } => assert!(reason.contains(word), "{word}: {reason}"),
                State::Saved => panic!("{word}: still said saved"),
            }
            assert_eq!(w.at_risk(), 5, "{word}: open + 4 notes at risk");
            assert!(!w.holds_saved(), "{word}");
            // Cleaned up by the test: the drop would write a fallback.
            let f = w.save_fallback(t0(), &list).unwrap();
            assert_eq!(read(&f).unwrap().entries.len(), 5, "{word}");
        }
    }

    /// Nothing lost, nothing written: a normal drop leaves no fallback.
    #[test]
    fn a_clean_drop_writes_no_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let (w, _, _) = five(dir.path());
        drop(w);
        assert!(fallbacks(dir.path()).is_empty());
    }
}

/// Issue 14, failure 8: on a full disk a 0-byte `.fallback-`, `.torn-` or
/// `.owner` file was left beside the journal. Run on a real full file
/// system: a 64 KiB tmpfs in a private mount namespace (`unshare -m`, as
/// root); skipped where that is not allowed.
#[cfg(target_os = "linux")]
#[test]
fn side_files_on_a_full_disk_leave_no_empty_file() {
    if let Ok(dir) = std::env::var("FULL_DISK_DIR") {
        return full_disk::run(Path::new(&dir));
    }
    let mnt = tempfile::tempdir().unwrap();
    let script = r#"mount -t tmpfs -o size=64k tmpfs "$1" || exit 77
FULL_DISK_DIR="$1" exec "$2" --exact side_files_on_a_full_disk_leave_no_empty_file --nocapture --test-threads=1"#;
    let out = Command::new("unshare")
        .args(["-m", "sh", "-c", script, "sh"])
        .arg(mnt.path())
        .arg(std::env::current_exe().unwrap())
        .output();
    match out {
        Ok(o)
            if o.status.code() == Some(77) || o.status.code() == Some(1) && o.stdout.is_empty() =>
        {
            eprintln!("skipped: no private tmpfs here ({})", text(&o.stderr));
        }
        Ok(o) => assert!(
            o.status.success(),
            "{}\n{}",
            text(&o.stdout),
            text(&o.stderr)
        ),
        Err(e) => eprintln!("skipped: no unshare ({e})"),
    }
}

#[cfg(target_os = "linux")]
mod full_disk {
    use std::io::Write;
    use std::path::{Path, PathBuf};

    use chrono::{DateTime, FixedOffset};
    use showcall::journal::{Appended, Kind, OpenInfo, Writer};

    fn t0() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2023-06-22T15:00:00+02:00").unwrap()
    }

    fn info() -> OpenInfo {
        OpenInfo {
            agenda: "agenda.toml".into(),
            sha256: "ab".repeat(32),
            version: "0.1.0".into(),
        }
    }

    fn note(n: usize) -> Kind {
        Kind::Note {
            text: format!("note {n} {}", "x".repeat(200)),
            session: None,
        }
    }

    fn side_files(dir: &Path) -> Vec<(PathBuf, u64)> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let s = p.to_string_lossy();
                s.contains(".torn-") || s.contains(".fallback-") || s.ends_with(".owner")
            })
            .map(|p| {
                let len = std::fs::metadata(&p).unwrap().len();
                (p, len)
            })
            .collect()
    }

    /// Fills the file system with one file until it refuses.
    fn fill(dir: &Path) {
        let mut f = std::fs::File::create(dir.join("fill")).unwrap();
        let block = [0u8; 1024];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }

    pub fn run(dir: &Path) {
        // A journal with a torn tail, and one with a writer still open.
        let torn = dir.join("torn.jsonl");
        drop(Writer::open(&torn, info(), t0()).unwrap());
        std::fs::OpenOptions::new()
            .append(true)
            .open(&torn)
            .unwrap()
            .write_all(br#"{"v":1,"seq":2,"at":"2023-06-22T15:01:00+02:00","kind":"no"#)
            .unwrap();
        let live = dir.join("live.jsonl");
        let (mut w, _) = Writer::open(&live, info(), t0()).unwrap();
        fill(dir);

        // .torn-: moving the tail aside fails; nothing is left behind.
        assert!(Writer::open(&torn, info(), t0()).is_err());
        // .fallback-: the entry cannot be saved, nor its fallback beside the
        // journal; the fallback goes to the temp dir, nothing empty stays.
        let mut n = 0;
        loop {
            n += 1;
            if let Appended::NotSaved { .. } = w.append(note(n), t0()) {
                break;
            }
            assert!(n < 1000, "the disk never filled");
        }
        let fallback = w
            .save_fallback(t0(), &[])
            .expect("a fallback in the temp dir");
        assert!(!fallback.starts_with(dir), "{}", fallback.display());
        assert!(std::fs::metadata(&fallback).unwrap().len() > 0);
        let _ = std::fs::remove_file(&fallback);
        // .owner: a new journal on the full disk.
        let fresh = dir.join("fresh.jsonl");
        if let Ok((mut w, _)) = Writer::open(&fresh, info(), t0()) {
            // Its `open` entry is queued: put it in the temp dir, not here.
            let p = w.save_fallback(t0(), &[]).unwrap();
            assert!(!p.starts_with(dir), "{}", p.display());
            let _ = std::fs::remove_file(p);
        }

        let left: Vec<_> = side_files(dir)
            .into_iter()
            .filter(|(p, _)| !p.ends_with("live.jsonl.owner"))
            .collect();
        assert!(left.is_empty(), "side files left on a full disk: {left:?}");
        // The live writer's owner file is its lock: it goes with the writer.
        drop(w);
        let empty: Vec<_> = side_files(dir)
            .into_iter()
            .filter(|(_, l)| *l == 0)
            .collect();
        assert!(empty.is_empty(), "empty side files: {empty:?}");
    }
}

/// Issue 14, failure 2, on the screens: the operator screen (writing and
/// read-only) and the speaker screen open on a journal holding
/// `delta_s: i64::MIN`, say the entry is skipped, and quit cleanly.
#[test]
fn screens_open_on_a_journal_with_a_huge_number() {
    let journal = open_line()
        + &entry(2, "15:00:00", "start", json!({"session": "welcome"}))
        + &entry(
            3,
            "15:01:00",
            "adjust",
            json!({"session": "welcome", "note": "x"}),
        )
        .replace("}\n", ",\"delta_s\":-9223372036854775808}\n");
    for args in [
        vec!["--journal", "j.jsonl"],
        vec!["--journal", "j.jsonl", "--read-only"],
        vec!["speaker", "--journal", "j.jsonl"],
    ] {
        let dir = setup("");
        std::fs::write(dir.path().join("j.jsonl"), &journal).unwrap();
        let mut s = pty::Screen::spawn(dir.path(), &args, 120, 40);
        s.wait_for("Welcome");
        std::thread::sleep(Duration::from_millis(300));
        s.keys("q");
        if s.text().contains("is live") {
            s.keys("y");
        }
        let status = s.wait_exit();
        assert!(status.success(), "{args:?}: {status:?}\n{}", s.text());
    }
}

/// Issue 24, failure 2: a clock set back 2 minutes during the show left 4
/// stamps going backwards and `check` reported none; the review said "the
/// journal stops at seq 6" when seq 9 was the last line. Now `check` warns
/// at each such line (`PATH:LINE:COL`, the `at` field) and the review says
/// so and ends at the last line.
#[test]
fn stamps_that_go_backwards_are_located() {
    let journal = open_line()
        + &entry(2, "15:00:00", "start", json!({"session": "welcome"}))
        + &entry(3, "15:05:00", "note", json!({"text": "before the step"}))
        // The clock set back 2 minutes: 15:03:10 is 1:50 before seq 3.
        + &entry(4, "15:03:10", "note", json!({"text": "after the step"}))
        + &entry(5, "15:04:00", "note", json!({"text": "still behind"}))
        + &entry(6, "15:06:00", "note", json!({"text": "caught up"}));
    let dir = setup(&journal);
    let check = run(dir.path(), &["check"]);
    let out = text(&check.stdout) + &text(&check.stderr);
    // Located at line 4 (the `at` value), 15:05:00 - 15:03:10 = 1:50.
    assert!(
        out.contains("agenda.journal.jsonl:4:") && out.contains("1:50 before seq 3"),
        "{out}"
    );
    // Seq 5 (15:04:00) is still 1:00 before seq 3; seq 6 is not behind.
    assert!(
        out.contains("agenda.journal.jsonl:5:") && out.contains("1:00 before seq 3"),
        "{out}"
    );
    assert!(!out.contains("agenda.journal.jsonl:6:"), "{out}");
    let report = run(dir.path(), &["report", "--at", "2023-06-22T15:07:00+02:00"]);
    let md = text(&report.stdout);
    assert!(
        md.contains("seq 4 is stamped 15:03:10, 1:50 before seq 3"),
        "{md}"
    );
}

/// A screen's text once a program that ended has said its last: the
/// terminal's reader may still be taking in its output; the text is taken
/// once it has not changed for 200 ms (at most 5 s).
fn last_words(s: &pty::Screen) -> String {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = s.text();
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let now = s.text();
        if (now == seen && !now.trim().is_empty()) || Instant::now() > deadline {
            return now;
        }
        seen = now;
    }
}

/// Runs `args` in `dir` as this user, or, when this user is root (who
/// reads any file), as nobody through setpriv; None when that cannot be.
#[cfg(unix)]
fn as_user(dir: &Path, args: &[&str], screen: bool) -> Option<(u32, String)> {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::write(&probe, "").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let root = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).unwrap();
    let bin = env!("CARGO_BIN_EXE_showcall");
    let mut all = vec![bin];
    if root {
        if !Path::new("/usr/bin/setpriv").exists() {
            return None;
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        all = vec![
            "/usr/bin/setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            bin,
        ];
    }
    all.extend_from_slice(args);
    Some(if screen {
        let mut s = pty::Screen::spawn_program(dir, all[0], &all[1..], 120, 40);
        let code = s.wait_exit().exit_code();
        (code, last_words(&s))
    } else {
        let o = Command::new(all[0])
            .args(&all[1..])
            .current_dir(dir)
            .output()
            .unwrap();
        let code = o.status.code().map_or(u32::MAX, |c| c as u32);
        (code, text(&o.stderr))
    })
}

/// Issue 24, failure 8: a journal path that is a directory or a device
/// made the operator screen exit 1 while `check` exited 2; a journal with
/// mode 000 exited 2 without the `showcall:` prefix. Now every command
/// says an unusable journal path the same way: exit 2, and a message that
/// begins `showcall:` and names the path. A wrong flag is said so too.
#[cfg(unix)]
#[test]
fn an_unusable_journal_path_exits_2_from_every_command() {
    use std::os::unix::fs::PermissionsExt;
    // `serve` refuses before it takes a port (0: any free one).
    let commands: [(&[&str], bool); 6] = [
        (&[], true),
        (&["--read-only"], true),
        (&["speaker"], true),
        (&["check"], false),
        (&["report"], false),
        (&["serve", "--port", "0"], false),
    ];
    for (path, cause) in [
        ("dir", "not a regular file"),
        ("/dev/null", "not a regular file"),
        ("locked.jsonl", "Permission denied"),
    ] {
        for (command, screen) in commands {
            let dir = setup(&open_line());
            std::fs::create_dir(dir.path().join("dir")).unwrap();
            let locked = dir.path().join("locked.jsonl");
            std::fs::write(&locked, open_line()).unwrap();
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
            let mut args = command.to_vec();
            args.extend(["--journal", path]);
            let Some((code, said)) = as_user(dir.path(), &args, screen) else {
                eprintln!("skipped: running as root without setpriv");
                return;
            };
            assert_eq!(code, 2, "{args:?}: {said}");
            // Where the message begins: the screen's text may hold the
            // terminal's earlier lines, so the line that names the cause.
            let line = said
                .lines()
                .rev()
                .find(|l| l.contains(cause))
                .unwrap_or_else(|| panic!("{args:?}: no '{cause}' in:\n{said}"));
            assert!(
                line.trim_start().starts_with(&format!("showcall: {path}")),
                "{args:?}: {line}"
            );
        }
    }
    // A flag without its value: bad input, in the same shape.
    let dir = setup("");
    let o = run(dir.path(), &["check", "--at"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).starts_with("showcall: "),
        "{}",
        text(&o.stderr)
    );
}

/// Issue 24, failure 9: the operator screen, `check` and `report` refused a
/// 282 MB journal, while the speaker screen and `--read-only` (the
/// follower) loaded all of it. Every reader now refuses a journal past
/// `MAX_JOURNAL_BYTES` at once, in the same words. The file is sparse: one
/// `open` line, then holes up to one byte past the limit, so it costs no
/// disk and each reader must refuse it by its length, not by reading it.
#[test]
fn every_reader_refuses_a_journal_past_the_size_limit() {
    let dir = setup("");
    let path = dir.path().join("big.jsonl");
    std::fs::write(&path, open_line()).unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(showcall::journal::MAX_JOURNAL_BYTES + 1)
        .unwrap();
    drop(file);
    // 256 MiB + 1 = 268435457 bytes, said as the reader's words.
    let words = "too big for a journal (268435457 bytes";
    let mut follower = showcall::journal::Follower::new(&path);
    let err = follower.poll().unwrap_err().to_string();
    assert!(err.contains(words), "{err}");
    for (args, screen) in [
        (&["--journal", "big.jsonl"][..], true),
        (&["--read-only", "--journal", "big.jsonl"], true),
        (&["speaker", "--journal", "big.jsonl"], true),
        (&["check", "--journal", "big.jsonl"], false),
        (&["report", "--journal", "big.jsonl"], false),
        (&["serve", "--port", "0", "--journal", "big.jsonl"], false),
    ] {
        let (code, said) = if screen {
            let mut s = pty::Screen::spawn(dir.path(), args, 160, 40);
            let code = s.wait_exit().exit_code();
            (code, last_words(&s))
        } else {
            let o = run(dir.path(), args);
            let all = text(&o.stdout) + &text(&o.stderr);
            (o.status.code().map_or(u32::MAX, |c| c as u32), all)
        };
        assert_eq!(code, 2, "{args:?}: {said}");
        assert!(said.contains(words), "{args:?}: {said}");
    }
}
