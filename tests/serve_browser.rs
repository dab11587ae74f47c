//! `showcall serve` in a real browser: headless Chromium over its DevTools
//! protocol opens the views of a server following a journal that another
//! process appends to. Skipped (and said so) when chromium is missing,
//! unless `CI` is set. Screenshots land in `target/serve-shots/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};

use showcall::agenda::Agenda;
use showcall::present::{self, Lang};
use showcall::show::Show;

#[path = "support/cdp.rs"]
mod cdp;

fn line(seq: u64, at: &str, rest: &str) -> String {
    format!("{{\"v\":1,\"seq\":{seq},\"at\":\"2023-06-22T{at}.000+02:00\",{rest}}}\n")
}

/// Appends from another process, as the operator's screen would.
fn append(path: &Path, text: &str) {
    let ok = Command::new("sh")
        .args(["-c", "printf '%s' \"$1\" >> \"$2\"", "sh", text])
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

/// A running `showcall serve` and the base of its links.
struct Server {
    child: Child,
    base: String,
    key: String,
    started: Instant,
}

impl Server {
    fn start(dir: &Path, args: &[&str]) -> Server {
        let started = Instant::now();
        let child = Command::new(env!("CARGO_BIN_EXE_showcall"))
            .current_dir(dir)
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Owned at once, so that it is killed whatever happens next.
        let mut server = Server {
            child,
            base: String::new(),
            key: String::new(),
            started,
        };
        let mut out = BufReader::new(server.child.stdout.take().unwrap());
        let mut l = String::new();
        loop {
            l.clear();
            assert!(out.read_line(&mut l).unwrap() > 0, "serve printed no links");
            if let Some(url) = l.trim().strip_prefix("speaker").map(str::trim) {
                let (base, key) = url.split_once("/speaker?k=").unwrap();
                server.base = base.to_string();
                server.key = key.to_string();
                // Keep reading (and dropping) what it prints later.
                std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
                return server;
            }
        }
    }

    fn url(&self, path: &str, query: &str) -> String {
        format!("{}/{path}?k={}{query}", self.base, self.key)
    }

    /// Status line and body of a raw GET of `target` (path and query).
    fn get(&self, target: &str) -> (u16, String) {
        let host = self.base.trim_start_matches("http://");
        let mut s = std::net::TcpStream::connect(host).unwrap();
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let status = text[9..12].parse().unwrap();
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A show directory: the sample agenda and a journal with the panel
/// started at 15:10 (30 minutes, so over from 15:40).
fn show_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/agenda.toml"),
        dir.path().join("agenda.toml"),
    )
    .unwrap();
    let journal = dir.path().join("agenda.journal.jsonl");
    append(
        &journal,
        &line(1, "15:10:00", r#""kind":"start","session":"panel""#),
    );
    (dir, journal)
}

/// 2023-06-22 at `hms`, Zurich summer time (UTC+2).
fn zurich(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2023, 6, 22, h - 2, m, s).unwrap()
}

fn shots_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/serve-shots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn the_views_in_a_real_browser() {
    let Some(exe) = cdp::browser_or_skip("the_views_in_a_real_browser") else {
        return;
    };
    let (dir, journal) = show_dir();
    let server = Server::start(dir.path(), &["--at", "15:41:20"]);
    let mut b = cdp::Browser::start(&exe);
    let text = "document.getElementById('app').innerText";

    // Running late: at 15:41:2x the panel (planned to end 15:40) is still
    // live, so the Q&A (plan 15:40–16:15) slips by 1:2x to 15:41–16:16,
    // and the show is a whole minute late.
    for view in ["booth", "schedule"] {
        b.open(&server.url(view, ""), 1920, 1080);
        b.wait_text("document.querySelector('table') ? 'y' : ''");
        let page = b.wait_text(text);
        assert!(page.contains("15:41–16:16"), "{view}: {page}");
        assert!(page.contains("15:40–16:15"), "{view}: {page}");
        // The terminal's words for the headline: `+1:2x BEHIND`.
        assert!(
            page.contains("+1:2") && page.contains(" BEHIND"),
            "{view}: {page}"
        );
        assert!(
            page.contains("LIVE Interactive Panel Discussion"),
            "{view}: {page}"
        );
    }

    // The speaker page shows, at the show instant it draws, exactly the
    // terminal speaker screen's countdown and word (the core's presenter),
    // in each language; that instant is the server's show clock (about
    // 15:41:20 plus the time since start), not this machine's 2026 clock.
    let agenda = Agenda::load(&dir.path().join("agenda.toml")).unwrap();
    for lang in Lang::ALL {
        b.open(
            &server.url("speaker", &format!("&lang={}", lang.code())),
            1920,
            1080,
        );
        let at = b.wait_text("document.getElementById('app').dataset.showAt || ''");
        let big = b.wait_text("document.getElementById('big').textContent");
        let word = b.wait_text("document.querySelector('.word').textContent");
        let at = DateTime::from_timestamp_millis(at.parse().unwrap()).unwrap();
        let elapsed = chrono::TimeDelta::from_std(server.started.elapsed()).unwrap();
        assert!(
            at >= zurich(15, 41, 19) && at <= zurich(15, 41, 22) + elapsed,
            "{at}"
        );
        let entries = showcall::journal::read(&journal).unwrap().entries;
        let show = Show::new(agenda.clone(), entries);
        let face = present::face(&show, &show.at(at), present::words(lang));
        assert_eq!(
            (big.as_str(), word.as_str()),
            (face.big.as_str(), face.word.as_str())
        );
        // Over since 15:40: the word says so, in the page's language.
        let over = ["OVER +", "DÉPASSEMENT +", "EXCEDIDO +"][lang as usize];
        assert!(word.starts_with(over), "{word}");
    }

    // A message appended to the journal reaches the open page through the
    // stream of changes, as text: markup in it stays text.
    append(
        &journal,
        &line(
            2,
            "15:41:00",
            r#""kind":"message","text":"<b>Slow down</b> & breathe""#,
        ),
    );
    let msg = b.wait_text("document.getElementById('msg')?.textContent || ''");
    assert_eq!(msg, "<b>Slow down</b> & breathe");
    assert_eq!(
        b.eval("document.querySelectorAll('#msg b').length"),
        serde_json::json!(0)
    );

    // Screenshots at both sizes, looked at by a person.
    let shots = shots_dir();
    for (w, h) in [(1920, 1080), (800, 480)] {
        for (view, q) in [
            ("speaker", "&lang=fr"),
            ("booth", ""),
            ("schedule", ""),
            ("overlay", "&size=120"),
        ] {
            b.open(&server.url(view, q), w, h);
            b.wait_text("document.getElementById('app').dataset.showAt || document.querySelector('table') ? 'y' : ''");
            b.screenshot(&shots.join(format!("{view}-{w}x{h}.png")));
        }
    }

    // The wrong key: nothing of the show on the page.
    b.open(
        &format!("{}/speaker?k=wrong{}", server.base, "0".repeat(27)),
        800,
        480,
    );
    let page = b.wait_text("document.body.innerText");
    assert!(page.contains("access key"), "{page}");
    assert!(!page.contains("Panel") && !page.contains("GCM"), "{page}");
}

/// The foyer's schedule on a TV that cannot scroll: with the 4th session
/// live, the live row and the next one are on screen at 1920×1080 and
/// 800×480 (the finished sessions but one are left out above); an early
/// start's Δ is the terminal's `-m:ss`, not red.
#[test]
fn the_schedule_keeps_what_comes_next_in_view() {
    let Some(exe) = cdp::browser_or_skip("the_schedule_keeps_what_comes_next_in_view") else {
        return;
    };
    let (dir, journal) = show_dir();
    // Q&A (plan 15:40) at 15:41, the policy brief (plan 16:15) early at
    // 16:10:00: Δ -5:00 (16:10 - 16:15). Live at 16:12.
    append(
        &journal,
        &line(2, "15:41:00", r#""kind":"start","session":"qa""#),
    );
    append(
        &journal,
        &line(3, "16:10:00", r#""kind":"start","session":"policy-brief""#),
    );
    let server = Server::start(dir.path(), &["--at", "16:12:00"]);
    let mut b = cdp::Browser::start(&exe);
    let shots = shots_dir();
    for (w, h) in [(1920, 1080), (800, 480)] {
        b.open(&server.url("schedule", ""), w, h);
        b.wait_text("document.querySelector('tr.live') ? 'y' : ''");
        // The bottom of the live row and of the row after it, against the
        // window's height.
        let fits = b.eval(
            "(() => { const l = document.querySelector('tr.live'); const n = l.nextElementSibling; \
             return !!n && n.getBoundingClientRect().bottom <= innerHeight \
             && l.getBoundingClientRect().top >= 0; })()",
        );
        b.screenshot(&shots.join(format!("schedule-4th-live-{w}x{h}.png")));
        assert_eq!(fits, serde_json::json!(true), "{w}x{h}");
        let early = b.eval(
            "(() => { const l = document.querySelector('tr.live td.early'); \
             return l ? l.textContent + '|' + getComputedStyle(l).color : ''; })()",
        );
        // -5:00 in green (#4ade80 = rgb(74, 222, 128)), not the alarm red.
        assert_eq!(
            early,
            serde_json::json!("-5:00|rgb(74, 222, 128)"),
            "{w}x{h}"
        );
    }
}

/// The stream of changes sends the version on connect, then only
/// changes: nothing in 2.5 quiet seconds (the page ticks by itself), and a
/// new version soon after the journal grows.
#[test]
fn the_stream_sends_changes_not_ticks() {
    let (dir, journal) = show_dir();
    let server = Server::start(dir.path(), &["--at", "15:20:00"]);
    let host = server.base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET /api/events?k={} HTTP/1.1\r\nHost: {host}\r\n\r\n",
        server.key
    )
    .unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_millis(2500)))
        .unwrap();
    let read_all = |s: &mut std::net::TcpStream| {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&got).into_owned()
    };
    let quiet = read_all(&mut s);
    assert_eq!(quiet.matches("event: version").count(), 1, "{quiet}");
    assert!(quiet.contains("data: 1"), "{quiet}");
    append(
        &journal,
        &line(2, "15:20:00", r#""kind":"message","text":"5 MIN""#),
    );
    let after = read_all(&mut s);
    assert_eq!(after.matches("event: version").count(), 1, "{after}");
    assert!(after.contains("data: 2"), "{after}");
}

/// Without the key, 401 and nothing about the show; bad values 400;
/// paths that are not ours 404. No browser needed.
#[test]
fn a_wrong_key_or_a_hostile_request_gets_a_4xx() {
    let (dir, _journal) = show_dir();
    let server = Server::start(dir.path(), &["--at", "15:41:20"]);
    for target in [
        "/speaker",
        "/api/state?k=nope",
        "/api/events",
        "/schedule.ics?k=",
        "/booth?K=x",
    ] {
        let (status, body) = server.get(target);
        assert_eq!(status, 401, "{target}");
        assert!(
            !body.contains("Panel") && !body.contains("GCM"),
            "{target}: {body}"
        );
    }
    let k = &server.key;
    for (target, want) in [
        (format!("/speaker?k={k}&lang=de"), 400),
        (format!("/overlay?k={k}&size=99999"), 400),
        (format!("/overlay?k={k}&title=yes"), 400),
        (format!("/../../etc/passwd?k={k}"), 404),
        (format!("/assets/../Cargo.toml?k={k}"), 404),
        (format!("/speaker?k={k}&lang=es"), 200),
    ] {
        assert_eq!(server.get(&target).0, want, "{target}");
    }
    // A 404 with the key names the views; without it, an unknown path is
    // the same 401 as any other.
    let (status, body) = server.get(&format!("/speeker?k={k}"));
    assert_eq!(status, 404);
    for view in [
        "/speaker",
        "/booth",
        "/schedule",
        "/overlay",
        "/schedule.ics",
    ] {
        assert!(body.contains(view), "{body}");
    }
    let (status, body) = server.get("/speeker?k=nope");
    assert_eq!(status, 401);
    assert!(
        !body.contains("/booth") && !body.contains("Panel"),
        "{body}"
    );
    // The feeds parse: an iCalendar with the sessions, frab with a version.
    let (_, ics) = server.get(&format!("/schedule.ics?k={k}"));
    assert!(
        ics.starts_with("BEGIN:VCALENDAR\r\n")
            && ics.contains("SUMMARY:Interactive Panel Discussion\r\n")
    );
    let (_, json) = server.get(&format!("/schedule.json?k={k}"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["schedule"]["version"].as_str().is_some());
}
