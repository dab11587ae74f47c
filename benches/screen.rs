//! The operator screen, measured on the real binary:
//!
//! 1. start to first frame, in a pseudo-terminal (median of 10 starts);
//! 2. the render time of one frame of a 10,000-session agenda
//!    (`showcall::bench::frame` renders into an in-memory terminal);
//! 3. keypress to redrawn frame on journals of 100,000 and 1,000,000
//!    entries (`showcall::bench::key` opens the journal as its writer, presses `+`/`-` on the live session and times each key through
//!    the append, fsync, fold, snapshot and drawing);
//! 4. idle cost over `IDLE_SECS` (default 60) at 120×40 with a session live:
//!    CPU (on-CPU time of all threads, from `/proc/PID/task/*/schedstat`),
//!    wake-ups per second (context switches of all threads), bytes written
//!    to the terminal per second, and resident memory;
//! 5. follow latency: another process appends 50 entries to the journal,
//!    each at a random phase of the follower's one-second tick; for each,
//!    the time from just before the append until the follower's terminal
//!    output, parsed by a terminal emulator (vt100), shows it. Done for the
//!    read-only operator screen (a note appears in the journal pane) and
//!    the speaker screen (a GO changes the session title).
//!
//! 3b. scale: a 1,000,000-entry journal (100 MB): `report` and `check
//!    --status` (wall time and peak memory of the process, median of 3) and
//!    the operator screen's first frame (time, peak memory);
//!
//! Run: `cargo bench --bench screen` (or `IDLE_SECS=10 cargo bench --bench screen`;
//! `PARTS=idle,follow` runs only those parts: start, frame, key, scale, idle,
//! follow).

use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

#[path = "support/synthetic.rs"]
mod synthetic;

const BIN: &str = env!("CARGO_BIN_EXE_showcall");

/// A running binary in a pseudo-terminal; `bytes` counts what it wrote.
struct Pty {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    bytes: Arc<AtomicU64>,
    seen: Arc<std::sync::Mutex<Vec<u8>>>,
    screen: Arc<std::sync::Mutex<Watch>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

fn spawn(dir: &Path, args: &[&str]) -> Pty {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(args);
    cmd.cwd(dir);
    cmd.env("TERM", "xterm-256color");
    let child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let bytes = Arc::new(AtomicU64::new(0));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let screen = Arc::new(std::sync::Mutex::new(Watch {
        parser: vt100::Parser::new(40, 120, 0),
        want: None,
        hit: None,
    }));
    let (b, s, w) = (Arc::clone(&bytes), Arc::clone(&seen), Arc::clone(&screen));
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let when = Instant::now();
            b.fetch_add(n as u64, Ordering::Relaxed);
            {
                let mut s = s.lock().unwrap();
                if s.len() < 1 << 20 {
                    s.extend_from_slice(&buf[..n]);
                }
            }
            let mut w = w.lock().unwrap();
            w.parser.process(&buf[..n]);
            if let Some(want) = &w.want
                && w.parser.screen().contents().contains(want.as_str())
            {
                w.want = None;
                w.hit = Some(when);
            }
        }
    });
    Pty {
        child,
        bytes,
        seen,
        screen,
        _master: pair.master,
    }
}

/// The screen as a terminal shows it, and the text being waited for.
struct Watch {
    parser: vt100::Parser,
    want: Option<String>,
    /// When the output last made `want` appear on the screen.
    hit: Option<Instant>,
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for the child `pid` and returns its peak resident memory in KiB
/// (`ru_maxrss` from `wait4`).
fn wait_peak_kib(pid: u32) -> u64 {
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own
    // child, not yet waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(r, pid as libc::pid_t, "wait4");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the command failed"
    );
    usage.ru_maxrss as u64
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// (on-CPU nanoseconds, context switches, RSS in KiB) of a process, the
/// first two summed over all its threads.
fn proc_stats(pid: u32) -> (u64, u64, u64) {
    let field = |status: &str, name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let (mut ns, mut switches) = (0, 0);
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
    {
        let Ok(task) = task else { continue };
        let sched = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
        ns += sched
            .split_whitespace()
            .next()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
        switches += field(&status, "voluntary_ctxt_switches:")
            + field(&status, "nonvoluntary_ctxt_switches:");
    }
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    (ns, switches, field(&status, "VmRSS:"))
}

/// A small xorshift generator: the random phases need no crate.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Appends `line(i)` to `journal` 50 times, each after a random pause of
/// 200–1,200 ms (so at a random phase of the follower's tick), and returns
/// how long each took to show as `shown(i)` on the follower's screen.
fn follow_latency(
    p: &Pty,
    journal: &Path,
    line: impl Fn(usize) -> String,
    shown: impl Fn(usize) -> String,
) -> Vec<Duration> {
    use std::io::Write;
    let mut seed = 0x9E37_79B9_7F4A_7C15u64
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(journal)
        .expect("journal");
    let mut out = Vec::new();
    for i in 0..50 {
        std::thread::sleep(Duration::from_millis(200 + next_random(&mut seed) % 1000));
        {
            let mut w = p.screen.lock().unwrap();
            w.want = Some(shown(i));
            w.hit = None;
        }
        let t0 = Instant::now();
        f.write_all(format!("{}\n", line(i)).as_bytes())
            .expect("append");
        f.sync_data().expect("fsync");
        loop {
            if let Some(hit) = p.screen.lock().unwrap().hit {
                out.push(hit.saturating_duration_since(t0));
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(5),
                "entry {i} never shown"
            );
            std::thread::sleep(Duration::from_micros(100));
        }
    }
    out.sort();
    out
}

fn print_latency(what: &str, d: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "follow latency, {what}: median {:.1} ms, p90 {:.1} ms, worst {:.1} ms ({} appends, random phase)",
        ms(d[d.len() / 2]),
        ms(d[d.len() * 9 / 10]),
        ms(d[d.len() - 1]),
        d.len()
    );
}

/// An agenda dated yesterday (UTC) whose first session was started then,
/// and a real-clock journal of `n` entries: the start, then adjustments of
/// +60 s and -60 s in turn, a millisecond apart, all in the past.
fn big_journal(dir: &Path, n: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::io::Write;
    let day = (chrono::Utc::now() - chrono::TimeDelta::days(1)).date_naive();
    let agenda = dir.join(format!("key{n}.toml"));
    std::fs::write(
        &agenda,
        format!(
            "[event]\ntitle = \"Key bench\"\ndate = \"{day}\"\ntimezone = \"UTC\"\n\n\
             [[session]]\nid = \"s0\"\ntitle = \"Long session\"\nstart = \"00:00\"\nend = \"23:00\"\n\n\
             [[session]]\nid = \"s1\"\ntitle = \"Closing\"\nstart = \"23:00\"\nend = \"23:59\"\n"
        ),
    )
    .expect("agenda");
    let journal = dir.join(format!("key{n}.journal.jsonl"));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&journal).expect("journal"));
    let t0 = day.and_hms_opt(0, 0, 0).unwrap().and_utc();
    let at = |i: usize| {
        (t0 + chrono::TimeDelta::milliseconds(i as i64)).format("%Y-%m-%dT%H:%M:%S%.3f+00:00")
    };
    writeln!(
        f,
        r#"{{"v":1,"seq":1,"at":"{}","kind":"open","agenda":"key.toml","sha256":"-","version":"bench"}}"#,
        at(0)
    )
    .unwrap();
    writeln!(
        f,
        r#"{{"v":1,"seq":2,"at":"{}","kind":"start","session":"s0"}}"#,
        at(1)
    )
    .unwrap();
    for i in 3..=n {
        let d = if i % 2 == 0 { 60 } else { -60 };
        writeln!(
            f,
            r#"{{"v":1,"seq":{i},"at":"{}","kind":"adjust","session":"s0","delta_s":{d}}}"#,
            at(i)
        )
        .unwrap();
    }
    f.flush().unwrap();
    (agenda, journal)
}

fn main() {
    // PARTS=idle,follow runs only those parts (start, frame, key, scale, idle, follow).
    let part =
        |p: &str| std::env::var("PARTS").map_or(true, |v| v.split(',').any(|x| x.trim() == p));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/agenda.toml"),
        dir.path().join("agenda.toml"),
    )
    .expect("copy agenda");

    if part("start") {
        start(dir.path());
    }

    // Before the parts that open large journals in this process: a child's
    // peak memory (wait4's ru_maxrss) counts this process's at the spawn.
    if part("scale") {
        scale(dir.path());
    }

    if part("frame") {
        frame(dir.path());
    }

    if part("key") {
        key(dir.path());
    }

    if part("idle") {
        idle(dir.path());
    }

    if part("follow") {
        follow(dir.path());
    }
}

/// 1. Start to first frame: until the title is on the screen.
fn start(dir: &Path) {
    let mut starts = Vec::new();
    for i in 0..10 {
        let journal = format!("start{i}.journal.jsonl");
        let t0 = Instant::now();
        let p = spawn(dir, &["--at", "15:20", "--journal", &journal]);
        loop {
            if contains(&p.seen.lock().unwrap(), b"Interactive Panel") {
                break;
            }
            assert!(t0.elapsed() < Duration::from_secs(10), "no first frame");
            std::thread::sleep(Duration::from_micros(200));
        }
        starts.push(t0.elapsed());
    }
    starts.sort();
    println!(
        "start to first frame: median {:.1} ms, max {:.1} ms (10 starts, 120x40)",
        starts[5].as_secs_f64() * 1e3,
        starts[9].as_secs_f64() * 1e3
    );
}

/// 2. One frame of a 10,000-session agenda, with a session live: the
///    5,000th (s4999, planned 14:56:35) started at 14:56:40.
fn frame(dir: &Path) {
    let big = dir.join("big.toml");
    std::fs::write(&big, synthetic::agenda_toml(10_000)).expect("write agenda");
    let live_journal = dir.join("big.journal.jsonl");
    std::fs::write(
        &live_journal,
        concat!(
            r#"{"v":1,"seq":1,"at":"2023-06-22T14:50:00+02:00","kind":"open","agenda":"big.toml","sha256":"-","version":"bench"}"#,
            "\n",
            r#"{"v":1,"seq":2,"at":"2023-06-22T14:56:40+02:00","kind":"start","session":"s4999"}"#,
            "\n"
        ),
    )
    .expect("journal");
    let args = showcall::bench::BenchArgs {
        agenda: big.clone(),
        journal: live_journal.clone(),
        at: Some("14:56:42".into()),
        width: 120,
        height: 40,
    };
    let (mut times, sessions) = showcall::bench::frame(&args, 300).expect("frame");
    println!(
        "frame: {sessions} sessions, 120x40, {} frames: {}",
        times.len(),
        showcall::bench::spread(&mut times)
    );
}

/// 3. Keypress to frame on large journals.
fn key(dir: &Path) {
    for n in [100_000usize, 1_000_000] {
        let (agenda, journal) = big_journal(dir, n);
        let args = showcall::bench::BenchArgs {
            agenda: agenda.clone(),
            journal: journal.clone(),
            at: None,
            width: 120,
            height: 40,
        };
        let mut t = showcall::bench::key(&args, 200).expect("key");
        println!(
            "key: {} journal entries, {} keys: {}; opening took {} ms",
            t.entries,
            t.keys.len(),
            showcall::bench::spread(&mut t.keys),
            t.open.as_millis()
        );
        let _ = std::fs::remove_file(&journal);
    }
}

/// 3b. A 1,000,000-entry journal (100 MB) read whole by the real
///     binary: `report` and `check --status` (wall time and peak
///     memory of the process), and the operator screen's first frame
///     (time, and peak memory once it is shown).
fn scale(dir: &Path) {
    let (agenda, journal) = big_journal(dir, 1_000_000);
    for args in [&["report"][..], &["check", "--status"][..]] {
        let mut runs: Vec<(Duration, u64)> = (0..3)
            .map(|_| {
                let t0 = Instant::now();
                // Waited for by `wait_peak_kib` (wait4, for its rusage).
                #[allow(clippy::zombie_processes)]
                let child = Command::new(BIN)
                    .args(args)
                    .arg(&agenda)
                    .arg("--journal")
                    .arg(&journal)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .expect("spawn");
                let peak = wait_peak_kib(child.id());
                (t0.elapsed(), peak)
            })
            .collect();
        runs.sort();
        println!(
            "{}: 1,000,000 entries: median {:.2} s, peak memory {} MiB (3 runs)",
            args.join(" "),
            runs[1].0.as_secs_f64(),
            runs.iter().map(|r| r.1).max().unwrap_or(0) / 1024
        );
    }
    let mut firsts = Vec::new();
    for _ in 0..3 {
        let t0 = Instant::now();
        let p = spawn(
            dir,
            &[
                agenda.to_str().unwrap(),
                "--journal",
                journal.to_str().unwrap(),
            ],
        );
        loop {
            if contains(&p.seen.lock().unwrap(), b"Long session") {
                break;
            }
            assert!(t0.elapsed() < Duration::from_secs(60), "no first frame");
            std::thread::sleep(Duration::from_millis(1));
        }
        let shown = t0.elapsed();
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", p.child.process_id().unwrap()))
                .unwrap_or_default();
        let hwm: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        firsts.push((shown, hwm));
    }
    firsts.sort();
    println!(
        "operator screen, 1,000,000 entries: first frame median {:.2} s, peak memory {} MiB (3 starts)",
        firsts[1].0.as_secs_f64(),
        firsts.iter().map(|r| r.1).max().unwrap_or(0) / 1024
    );
    let _ = std::fs::remove_file(&journal);
}

/// 4. Idle, with the panel live and nothing pressed.
fn idle(dir: &Path) {
    let secs: u64 = std::env::var("IDLE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    std::fs::write(
        dir.join("idle.journal.jsonl"),
        concat!(
            r#"{"v":1,"seq":1,"at":"2023-06-22T15:09:00+02:00","kind":"open","agenda":"agenda.toml","sha256":"-","version":"bench"}"#,
            "\n",
            r#"{"v":1,"seq":2,"at":"2023-06-22T15:10:00+02:00","kind":"start","session":"panel"}"#,
            "\n"
        ),
    )
    .expect("journal");
    let p = spawn(
        dir,
        // Read-only: a run with --at never writes a real-clock journal.
        &[
            "--at",
            "15:20",
            "--journal",
            "idle.journal.jsonl",
            "--read-only",
        ],
    );
    let pid = p.child.process_id().expect("pid");
    std::thread::sleep(Duration::from_secs(2)); // past start-up
    let (t0, s0, _) = proc_stats(pid);
    let b0 = p.bytes.load(Ordering::Relaxed);
    let wall = Instant::now();
    std::thread::sleep(Duration::from_secs(secs));
    let (t1, s1, rss) = proc_stats(pid);
    let b1 = p.bytes.load(Ordering::Relaxed);
    let el = wall.elapsed().as_secs_f64();
    println!(
        "idle over {el:.0} s at 120x40: CPU {:.4}%, {:.2} wake-ups/s, {:.0} bytes/s to the terminal, RSS {} KiB",
        (t1 - t0) as f64 / 1e9 / el * 100.0,
        (s1 - s0) as f64 / el,
        (b1 - b0) as f64 / el,
        rss
    );
    drop(p);
}

/// 5. Follow latency: a writer appends while a follower shows.
fn follow(dir: &Path) {
    let head = concat!(
        r#"{"v":1,"seq":1,"at":"2023-06-22T15:09:00+02:00","kind":"open","agenda":"agenda.toml","sha256":"-","version":"bench"}"#,
        "\n",
        r#"{"v":1,"seq":2,"at":"2023-06-22T15:10:00+02:00","kind":"start","session":"panel"}"#,
        "\n"
    );
    let journal = dir.join("follow.journal.jsonl");
    std::fs::write(&journal, head).expect("journal");
    let p = spawn(
        dir,
        &[
            "--read-only",
            "--at",
            "15:20",
            "--journal",
            "follow.journal.jsonl",
        ],
    );
    std::thread::sleep(Duration::from_secs(2));
    let d = follow_latency(
        &p,
        &journal,
        |i| {
            format!(
                r#"{{"v":1,"seq":{},"at":"2023-06-22T15:20:00+02:00","kind":"note","text":"mark-{i}-zq"}}"#,
                i + 3
            )
        },
        |i| format!("mark-{i}-zq"),
    );
    print_latency("read-only operator screen (a note)", &d);
    drop(p);

    let journal = dir.join("speaker.journal.jsonl");
    std::fs::write(&journal, head).expect("journal");
    let p = spawn(
        dir,
        &[
            "speaker",
            "--at",
            "15:20",
            "--journal",
            "speaker.journal.jsonl",
        ],
    );
    std::thread::sleep(Duration::from_secs(2));
    // GO alternates between the first and the last session, whose titles
    // are on the speaker screen only while each is live.
    let session = |i: usize| {
        if i.is_multiple_of(2) {
            "welcome"
        } else {
            "closing"
        }
    };
    let d = follow_latency(
        &p,
        &journal,
        |i| {
            format!(
                r#"{{"v":1,"seq":{},"at":"2023-06-22T15:20:00+02:00","kind":"start","session":"{}"}}"#,
                i + 3,
                session(i)
            )
        },
        |i| {
            if i % 2 == 0 {
                "Welcome Remarks"
            } else {
                "Closing Remarks"
            }
            .to_string()
        },
    );
    print_latency("speaker screen (a GO)", &d);
}
