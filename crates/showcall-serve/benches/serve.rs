//! `showcall serve` under measurement (release build; run with
//! `cargo bench -p showcall-serve --bench serve`):
//!
//! - follow latency: a journal append until a page's stream of changes
//!   announces it, and until the page has the new state in hand (the
//!   event plus the page's fetch of `/api/state`), over 50 appends at
//!   random phases of the show clock's second;
//! - idle: 20 connected streams and nothing happening for `IDLE_SECS`
//!   (default 60): bytes per stream per second, and the CPU of this whole
//!   process (server and the readers, so an upper bound of the server's);
//! - load: 100 connected streams and an entry a second for `LOAD_SECS`
//!   (default 60): every stream must get every version.
//!
//! `PARTS=follow,idle,load` picks parts. The time to draw in a browser is
//! not in these figures (tests/serve_browser.rs checks that it draws).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use showcall_core::agenda::Agenda;
use showcall_core::clock::SimClock;

fn secs(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn part(name: &str) -> bool {
    std::env::var("PARTS").map_or(true, |p| p.split(',').any(|x| x == name))
}

fn line(seq: u64, text: &str) -> String {
    format!(
        "{{\"v\":1,\"seq\":{seq},\"at\":\"2023-06-22T15:20:00.000+02:00\",\"kind\":\"message\",\"text\":\"{text}\"}}\n"
    )
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// A server on a free port, following `journal`; returns its address and
/// the key.
fn start(dir: &Path) -> (String, String, PathBuf) {
    let agenda_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../agenda.toml");
    let agenda = Agenda::load(&agenda_path).unwrap();
    let journal = dir.join("agenda.journal.jsonl");
    std::fs::write(
        &journal,
        "{\"v\":1,\"seq\":1,\"at\":\"2023-06-22T15:10:00.000+02:00\",\"kind\":\"start\",\"session\":\"panel\"}\n",
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let origin = Utc.with_ymd_and_hms(2023, 6, 22, 13, 20, 0).unwrap();
    let followed = journal.clone();
    // The clock is made on the server's thread (it is not `Send`).
    std::thread::spawn(move || {
        showcall_serve::run(showcall_serve::Config {
            agenda,
            journal: followed,
            clock: Box::new(SimClock::new(origin, 1.0)),
            rehearsal: false,
            network: false,
            port,
            new_key: false,
        })
    });
    let addr = format!("127.0.0.1:{port}");
    let key_path = showcall_serve::key::path_for(&journal);
    for _ in 0..100 {
        if TcpStream::connect(&addr).is_ok() && key_path.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let key = std::fs::read_to_string(key_path)
        .unwrap()
        .trim()
        .to_string();
    (addr, key, journal)
}

/// An open stream of changes.
fn stream(addr: &str, key: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET /api/events?k={key} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    s
}

/// Reads until `needle` has arrived `count` times in all; returns what was read.
fn read_until(s: &mut TcpStream, needle: &str, count: usize) -> String {
    let mut got = String::new();
    let mut buf = [0u8; 4096];
    while got.matches(needle).count() < count {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "stream closed");
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    got
}

fn get(addr: &str, target: &str) -> usize {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut v = Vec::new();
    s.read_to_end(&mut v).unwrap();
    v.len()
}

fn stats(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name}: median {:.1} ms, p90 {:.1} ms, worst {:.1} ms ({} samples)",
        at(0.5),
        at(0.9),
        at(1.0),
        ms.len()
    );
}

/// CPU seconds this process has used (user + system).
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // Fields 14 and 15 (utime, stime), counted from after the name.
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

fn follow(addr: &str, key: &str, journal: &Path, seq: &mut u64) {
    let mut s = stream(addr, key);
    read_until(&mut s, "event: version", 1);
    let (mut event, mut state) = (Vec::new(), Vec::new());
    let mut phase = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..50 {
        // A random phase of the second (xorshift).
        phase ^= phase << 13;
        phase ^= phase >> 7;
        phase ^= phase << 17;
        std::thread::sleep(Duration::from_millis(300 + phase % 1000));
        *seq += 1;
        let t = Instant::now();
        append(journal, &line(*seq, &format!("m{i}")));
        read_until(&mut s, "event: version", 1);
        event.push(t.elapsed().as_secs_f64() * 1e3);
        get(addr, &format!("/api/state?k={key}"));
        state.push(t.elapsed().as_secs_f64() * 1e3);
    }
    stats("follow latency, append to the stream's event", event);
    stats(
        "follow latency, append to the page's new state (event + fetch)",
        state,
    );
}

fn idle(addr: &str, key: &str) {
    let n = 20;
    let secs = secs("IDLE_SECS", 60);
    let bytes = Arc::new(AtomicU64::new(0));
    let mut streams: Vec<TcpStream> = (0..n).map(|_| stream(addr, key)).collect();
    for s in &mut streams {
        read_until(s, "event: version", 1);
    }
    let cpu0 = cpu_s();
    let t = Instant::now();
    let handles: Vec<_> = streams
        .into_iter()
        .map(|mut s| {
            let bytes = bytes.clone();
            s.set_read_timeout(Some(Duration::from_secs(secs))).unwrap();
            std::thread::spawn(move || {
                let until = Instant::now() + Duration::from_secs(secs);
                let mut buf = [0u8; 4096];
                while Instant::now() < until {
                    match s.read(&mut buf) {
                        Ok(k) if k > 0 => {
                            bytes.fetch_add(k as u64, Ordering::Relaxed);
                        }
                        _ => break,
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let wall = t.elapsed().as_secs_f64();
    let cpu = cpu_s() - cpu0;
    println!(
        "idle, {n} streams over {wall:.0} s: {:.3}% CPU (whole process), {:.1} B/s per stream",
        cpu / wall * 100.0,
        bytes.load(Ordering::Relaxed) as f64 / wall / n as f64
    );
}

fn load(addr: &str, key: &str, journal: &Path, seq: &mut u64) {
    let n = 100;
    let secs = secs("LOAD_SECS", 60) as usize;
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let mut s = stream(addr, key);
            std::thread::spawn(move || {
                // The version on connect, then one per entry.
                let got = read_until(&mut s, "event: version", secs + 1);
                got.matches("event: version").count()
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let t = Instant::now();
    for i in 0..secs {
        *seq += 1;
        append(journal, &line(*seq, &format!("load{i}")));
        std::thread::sleep(Duration::from_secs(1));
    }
    let counts: Vec<usize> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let all = counts.iter().all(|&c| c == secs + 1);
    println!(
        "load, {n} streams, {secs} entries over {:.0} s: every stream got every version: {all} (min {}, max {})",
        t.elapsed().as_secs_f64(),
        counts.iter().min().unwrap(),
        counts.iter().max().unwrap()
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, key, journal) = start(dir.path());
    let mut seq = 1;
    if part("follow") {
        follow(&addr, &key, &journal, &mut seq);
    }
    if part("idle") {
        idle(&addr, &key);
    }
    if part("load") {
        load(&addr, &key, &journal, &mut seq);
    }
}
