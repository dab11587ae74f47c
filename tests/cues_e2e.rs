//! Cues out, end to end: a rehearsal at `--speed 10` in a pseudo-terminal,
//! GO by key, and listeners on this machine — a UDP socket hearing the
//! OSC cues and a small HTTP server — receive each cue at its instant, to
//! within 50 ms. A cue to a closed port and one answered 500 are said on
//! the screen and journaled as `cue_failed`, and the screen carries on.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, UdpSocket};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::DateTime;

use crate::pty::{self, Screen};

/// What a listener heard, with the real time it arrived (seconds since
/// the Unix epoch, as the journal's `clock_wall` counts).
type Heard = Arc<Mutex<Vec<(f64, String)>>>;

fn epoch_s() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// An OSC listener: each datagram's address (the bytes up to its first NUL).
fn osc_listener() -> (u16, Heard) {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    let heard: Heard = Arc::default();
    let h = Arc::clone(&heard);
    std::thread::spawn(move || {
        let mut buf = [0u8; 2048];
        while let Ok(n) = sock.recv(&mut buf) {
            let at = epoch_s();
            let addr = buf[..n].split(|b| *b == 0).next().unwrap_or(&[]);
            h.lock()
                .unwrap()
                .push((at, String::from_utf8_lossy(addr).into_owned()));
        }
    });
    (port, heard)
}

/// An HTTP server: each request line (`POST /lower?who=…`), answered 500
/// when its path starts with `/broken`, else 200.
fn http_listener() -> (u16, Heard) {
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = server.local_addr().unwrap().port();
    let heard: Heard = Arc::default();
    let h = Arc::clone(&heard);
    std::thread::spawn(move || {
        for conn in server.incoming() {
            let Ok(mut conn) = conn else { return };
            let at = epoch_s();
            let mut line = String::new();
            let mut r = BufReader::new(conn.try_clone().unwrap());
            let _ = r.read_line(&mut line);
            // The rest of the head, up to the blank line.
            let mut rest = String::new();
            while r.read_line(&mut rest).is_ok_and(|n| n > 2) {
                rest.clear();
            }
            let line = line.trim_end().to_string();
            let status = if line.contains(" /broken") {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            let _ = write!(conn, "HTTP/1.1 {status}\r\ncontent-length: 0\r\n\r\n");
            h.lock().unwrap().push((at, line));
        }
    });
    (port, heard)
}

fn agenda(osc: u16, http: u16, closed: u16) -> String {
    format!(
        r#"[event]
title = "Cue test"
date = "2023-06-22"
timezone = "Europe/Zurich"

[signals]
warn = "30s"
final = "10s"

[[session]]
id = "talk"
title = "Keynote"
start = "15:00"
end = "15:01"
speakers = ["Ana Ruiz"]

[[session]]
id = "qa"
title = "Q&A"
start = "15:01"
end = "15:05"

[[cue]]
name = "lower third"
on = "start"
session = "talk"
http = "http://127.0.0.1:{http}/lower?who={{speaker}}"
method = "POST"

[[cue]]
name = "dead desk"
on = "start"
http = "http://127.0.0.1:{closed}/go"

[[cue]]
on = "warn"
osc = "127.0.0.1:{osc}"
address = "/warn"
args = ["{{session}}"]

[[cue]]
name = "chime"
on = "final"
osc = "127.0.0.1:{osc}"
address = "/cue/1/start"

[[cue]]
name = "broken"
on = "final"
http = "http://127.0.0.1:{http}/broken"

[[cue]]
name = "red light"
on = "over"
osc = "127.0.0.1:{osc}"
address = "/eos/cue/1/5/fire"

[[cue]]
on = "end"
http = "http://127.0.0.1:{http}/end/{{session}}"
"#
    )
}

/// The real instant (epoch seconds) a show-clock stamp stands for, from
/// the journal's `open` entry: `clock_wall + (at - clock_show) / speed`.
fn real_of(journal: &[serde_json::Value], at: &str) -> f64 {
    let open = &journal[0];
    let ts = |k: &str| DateTime::parse_from_rfc3339(open[k].as_str().unwrap()).unwrap();
    let speed = open["clock_speed"].as_f64().unwrap();
    let wall = ts("clock_wall").timestamp_millis() as f64 / 1000.0;
    let show0 = ts("clock_show").timestamp_millis() as f64 / 1000.0;
    let at = DateTime::parse_from_rfc3339(at).unwrap().timestamp_millis() as f64 / 1000.0;
    wall + (at - show0) / speed
}

fn wait_heard(what: &str, heard: &Heard, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while heard.lock().unwrap().len() < count {
        assert!(
            Instant::now() < deadline,
            "{what}: heard only {:?}",
            heard.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn each_cue_arrives_at_its_instant_and_failures_are_journaled() {
    let (osc, osc_heard) = osc_listener();
    let (http, http_heard) = http_listener();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("agenda.toml"),
        agenda(osc, http, closed_port()),
    )
    .unwrap();
    let journal_path = dir.path().join("agenda.rehearsal.journal.jsonl");

    let mut s = Screen::spawn(dir.path(), &["--at", "14:59:58", "--speed", "10"], 100, 30);
    s.wait_for("Keynote");
    // The operator screen that writes the journal arms the agenda's 7 cues.
    s.wait_for("cues 7");
    s.keys(" ");
    // The dead desk refuses the connection: said on the screen at once.
    s.wait_for("cue failed · dead desk (start) · connection refused");

    // Warn, final and over by OSC, then `e` ends the talk.
    wait_heard("osc", &osc_heard, 3);
    s.keys("e");
    wait_heard("http", &http_heard, 3);
    s.wait_for("HTTP 500");

    let journal = pty::journal_lines(&journal_path);
    let start = journal
        .iter()
        .find(|e| e["kind"] == "start")
        .expect("a start entry");
    let t0 = real_of(&journal, start["at"].as_str().unwrap());
    // The talk has 1:00; its thresholds within it are warn 30 s (at most
    // half: 30 s) and final 10 s (at most a fifth: 12 s). At --speed 10
    // the warn comes (60 - 30) / 10 = 3.0 s after the GO, the final
    // (60 - 10) / 10 = 5.0 s after, and over once the 60 s are past:
    // 6.0 s after. The start cue goes with the GO itself.
    let osc_heard = osc_heard.lock().unwrap().clone();
    let http_heard = http_heard.lock().unwrap().clone();
    let expect = [
        (
            http_heard[0].clone(),
            "POST /lower?who=Ana%20Ruiz HTTP/1.1",
            0.0,
        ),
        (osc_heard[0].clone(), "/warn", 3.0),
        (osc_heard[1].clone(), "/cue/1/start", 5.0),
        (osc_heard[2].clone(), "/eos/cue/1/5/fire", 6.0),
    ];
    for ((at, what), want, after) in expect {
        assert_eq!(what, want);
        let late_ms = (at - (t0 + after)) * 1000.0;
        eprintln!("cue {want}: {late_ms:+.1} ms from its instant");
        assert!(
            late_ms.abs() <= 50.0,
            "{want} arrived {late_ms:+.1} ms from its instant"
        );
    }
    // The broken final was sent at the final's instant too, and answered 500.
    assert_eq!(http_heard[1].1, "GET /broken HTTP/1.1");
    assert!(((http_heard[1].0 - (t0 + 5.0)) * 1000.0).abs() <= 50.0);
    // `e`: the end cue, with the session filled in; the screen answered.
    assert_eq!(http_heard[2].1, "GET /end/talk HTTP/1.1");
    let end = journal.iter().find(|e| e["kind"] == "end");
    assert!(end.is_some(), "{journal:?}");

    let failed: Vec<(String, String, String)> = journal
        .iter()
        .filter(|e| e["kind"] == "cue_failed")
        .map(|e| {
            (
                e["cue"].as_str().unwrap().to_string(),
                e["on"].as_str().unwrap().to_string(),
                e["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        failed,
        [
            (
                "dead desk".into(),
                "start".into(),
                "connection refused".into()
            ),
            (
                "broken".into(),
                "final".into(),
                "HTTP 500 Internal Server Error".into()
            ),
        ]
    );
    let dead = journal.iter().find(|e| e["cue"] == "dead desk").unwrap();
    assert_eq!(dead["session"], "talk");
    assert!(
        dead["target"]
            .as_str()
            .unwrap()
            .starts_with("GET http://127.0.0.1:")
    );
    quit(&mut s);
}

fn quit(s: &mut Screen) {
    s.keys("q");
    if s.text().contains("quit?") || s.text().contains("Quit") {
        s.keys("y");
    }
    let _ = s.wait_exit();
}

#[test]
fn a_read_only_screen_and_no_cues_fire_nothing() {
    let (osc, heard) = osc_listener();
    let dir = tempfile::tempdir().unwrap();
    let a = format!(
        "{}\n[[cue]]\non = \"start\"\nosc = \"127.0.0.1:{osc}\"\naddress = \"/go\"\n\
         \n[[cue]]\non = \"end\"\nosc = \"127.0.0.1:{osc}\"\naddress = \"/end\"\n",
        agenda(osc, closed_port(), closed_port())
            .split("[[cue]]")
            .next()
            .unwrap()
    );
    std::fs::write(dir.path().join("agenda.toml"), a).unwrap();
    let mut s = Screen::spawn(
        dir.path(),
        &["--at", "14:59:58", "--speed", "10", "--no-cues"],
        100,
        30,
    );
    s.wait_for("cues off");
    s.keys(" ");
    s.wait_for("since");
    // A second screen on the same journal is read-only: it says so, and
    // fires nothing either.
    let mut r = Screen::spawn(dir.path(), &["--read-only", "--rehearse"], 100, 30);
    r.wait_for("cues: not here");
    // The writer ends the talk: the reader takes the entry in (its
    // journal pane lists it) and fires nothing for it.
    s.keys("e");
    r.wait_for("end · Keynote");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        heard.lock().unwrap().is_empty(),
        "{:?}",
        heard.lock().unwrap()
    );
    quit(&mut r);
    quit(&mut s);
}

/// The reference agenda's commented cues, uncommented: they are valid
/// cues, and `check` lists them; a bad one exits 2, located.
#[test]
fn the_reference_example_checks_and_a_bad_cue_exits_2() {
    let reference =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/agenda.toml")).unwrap();
    let start = reference
        .find("# [[cue]]")
        .expect("a commented cue example");
    let live: String = reference[..start].to_string()
        + &reference[start..]
            .lines()
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("agenda.toml"), &live).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_showcall"))
        .args(["check", "agenda.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("cues out (3;"), "{stdout}");
    assert!(
        stdout.contains("final    chime at one minute, every session"),
        "{stdout}"
    );
    assert!(
        stdout.contains("→ 127.0.0.1:53000 /cue/7/start"),
        "{stdout}"
    );
    assert!(stdout.contains("'panel' only"), "{stdout}");

    let line = live.lines().position(|l| l == "on = \"over\"").unwrap() + 1;
    std::fs::write(
        dir.path().join("agenda.toml"),
        live.replace("on = \"over\"", "on = \"overtime\""),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_showcall"))
        .args(["check", "agenda.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "agenda.toml:{line}:6: unknown event 'overtime' for `on` in cue 'red light at OVER'"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean \"over\"?"), "{stderr}");
}
