//! Commands from outside, end to end: a real HTTP client (raw requests on a
//! `TcpStream`) and a real OSC sender (`rosc`-encoded UDP) drive the
//! operator screen in a pseudo-terminal, and the journal then holds what
//! they sent, each entry with its `source`. Wrong keys, a read-only screen,
//! refusals, malformed input, a sender not allowed and a flood each get
//! their answer, and nothing is half-written.

use std::io::{Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::pty::{self, Screen};

/// A port nobody listens on now (bound, then let go).
fn free_tcp() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn free_udp() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP request; the status and the body.
fn http(port: u16, method: &str, path: &str, key: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let auth = if key.is_empty() {
        String::new()
    } else {
        format!("Authorization: Bearer {key}\r\n")
    };
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{auth}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_owned();
    (status, body)
}

/// Sends an OSC packet to the screen from 127.0.0.1.
fn osc(port: u16, packet: &rosc::OscPacket) {
    send_udp(port, &rosc::encoder::encode(packet).unwrap());
}

fn send_udp(port: u16, bytes: &[u8]) {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.send_to(bytes, ("127.0.0.1", port)).unwrap();
}

fn msg(addr: &str, args: Vec<rosc::OscType>) -> rosc::OscPacket {
    rosc::OscPacket::Message(rosc::OscMessage {
        addr: addr.into(),
        args,
    })
}

/// Waits until the journal holds an entry `pred` accepts; its lines.
fn wait_entry(path: &Path, what: &str, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let lines = pty::journal_lines(path);
        if lines.iter().any(&pred) {
            return lines;
        }
        assert!(
            Instant::now() < deadline,
            "never written: {what}: {lines:?}"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// The rehearsal (`--at 15:00`) with control on the given ports; the
/// screen, the journal and the control key.
fn open(dir: &Path, extra: &[&str]) -> (Screen, PathBuf, String) {
    let mut args = vec!["--at", "15:00"];
    args.extend_from_slice(extra);
    let s = Screen::spawn(dir, &args, 120, 40);
    s.wait_for("control:");
    let journal = dir.join("agenda.rehearsal.journal.jsonl");
    let key = std::fs::read_to_string(dir.join("agenda.rehearsal.journal.jsonl.control-key"))
        .map(|k| k.trim().to_owned())
        .unwrap_or_default();
    (s, journal, key)
}

fn quit(s: &mut Screen) {
    s.keys("q");
    if s.text().contains("is live") {
        s.keys("y");
    }
    assert!(s.wait_exit().success());
}

/// `showcall check` on the journal: exit 0, every line whole.
fn check_passes(dir: &Path, journal: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_showcall"))
        .current_dir(dir)
        .args(["check", "--journal"])
        .arg(journal)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// No key, a wrong one, or the browser views' kind of link (`?k=`): 401
/// and nothing about the show; nothing written.
fn wrong_keys_get_401(hp: u16, key: &str, journal: &Path) {
    let (st, body) = http(hp, "POST", "/api/go", "", "");
    assert_eq!(st, 401);
    assert!(!body.contains("Welcome"), "{body}");
    // The plain sentence, not a JSON error (which would hint at the API).
    assert!(
        body.starts_with("401: this needs the control key"),
        "{body}"
    );
    let (st, _) = http(hp, "POST", &format!("/api/go?k={key}"), "", "");
    assert_eq!(st, 401);
    let (st, body) = http(
        hp,
        "GET",
        "/api/state",
        "0123456789abcdef0123456789abcdef",
        "",
    );
    assert_eq!(st, 401);
    assert!(!body.contains("Welcome"), "{body}");
    assert!(pty::journal_lines(journal).is_empty(), "nothing written");
}

/// A refusal by the engine (422, said on the screen), malformed JSON, an
/// unknown field or command (400), a write by GET (405), a body too big
/// (413): each answered, nothing written.
fn refused_and_malformed_write_nothing(s: &Screen, hp: u16, key: &str, journal: &Path) {
    // A refusal: nobody has the floor. 422 with the engine's reason, said
    // on the screen too, and nothing written.
    let before = pty::journal_lines(journal).len();
    let (st, body) = http(hp, "POST", "/api/floor/close", key, "");
    assert_eq!(st, 422, "{body}");
    assert!(body.contains("no one has the floor"), "{body}");
    s.wait_for("HTTP refused: no one has the floor");
    // Malformed JSON, an unknown field, an unknown command: 400, nothing written.
    let (st, body) = http(hp, "POST", "/api/time", key, "{\"seconds\":");
    assert_eq!(st, 400);
    assert!(body.contains("not the JSON"), "{body}");
    let (st, body) = http(hp, "POST", "/api/time", key, "{\"secs\":60}");
    assert_eq!(st, 400);
    assert!(body.contains("secs"), "{body}");
    let (st, body) = http(hp, "POST", "/api/launch", key, "");
    assert_eq!(st, 400);
    assert!(body.contains("no command 'launch'"), "{body}");
    // A write by GET is not taken.
    let (st, _) = http(hp, "GET", "/api/go", key, "");
    assert_eq!(st, 405);
    // A body over 4 kB: 413.
    let big = format!("{{\"text\":\"{}\"}}", "x".repeat(5000));
    let (st, _) = http(hp, "POST", "/api/note", key, &big);
    assert_eq!(st, 413);
    assert_eq!(pty::journal_lines(journal).len(), before);
}

#[test]
fn http_and_osc_call_the_show_and_the_journal_says_where_each_came_from() {
    let dir = pty::agenda_dir();
    let (hp, op) = (free_tcp(), free_udp());
    let (mut s, journal, key) = open(
        dir.path(),
        &["--control", &hp.to_string(), "--osc", &op.to_string()],
    );
    key_file_is_private(dir.path());
    assert_eq!(key.len(), 32);

    wrong_keys_get_401(hp, &key, &journal);

    // GO from HTTP (the key in the query this time).
    let (st, body) = http(hp, "POST", &format!("/api/go?key={key}"), "", "");
    assert_eq!(st, 200, "{body}");
    assert!(body.contains("start · Welcome Remarks"), "{body}");
    s.wait_for("HTTP: start · Welcome Remarks");
    s.wait_for("HTTP start · Welcome Remarks"); // the journal pane names it

    refused_and_malformed_write_nothing(&s, hp, &key, &journal);

    // +1 minute and a preset from HTTP.
    let (st, _) = http(hp, "POST", "/api/time", &key, r#"{"minutes":1}"#);
    assert_eq!(st, 200);
    let (st, body) = http(hp, "POST", "/api/message", &key, r#"{"preset":"WRAP UP"}"#);
    assert_eq!(st, 200, "{body}");

    osc_time_bundle_and_garbage(&s, op, &journal);

    // The state Companion polls: the operator's own show at its clock.
    let (st, body) = http(hp, "GET", "/api/state", &key, "");
    assert_eq!(st, 200, "{body}");
    let state: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(state["state"], "live");
    assert_eq!(state["live"], "Welcome Remarks");
    assert_eq!(state["next"], "Interactive Panel Discussion");
    assert_eq!(state["signal"], "none");
    assert_eq!(state["held"], false);
    // 10:00 planned + 1:00 - 0:30 = 10:30 allotted; a few seconds have run.
    let left = state["remaining_s"].as_i64().unwrap();
    assert!((600..=630).contains(&left), "{left}");

    // A key still writes, without a source.
    s.keys("+");
    let lines = wait_entry(&journal, "key adjust", |l| {
        l["kind"] == "adjust" && l["delta_s"] == 60 && l.get("source").is_none()
    });
    let kinds: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().unwrap().to_owned(),
                l["source"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    let k = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        kinds,
        [
            k("open", "-"),
            k("start", "http"),
            k("adjust", "http"),
            k("message", "http"),
            k("adjust", "osc"),
            k("note", "osc"),
            k("message", "osc"),
            k("adjust", "-"),
        ]
    );
    // The escape sequence arrived as text, never as a control character.
    assert_eq!(lines[5]["text"], "desk \u{FFFD}[2J note");
    quit(&mut s);
    check_passes(dir.path(), &journal);

    review_names_the_sources(dir.path());
}

/// The control key is its own file, readable by its owner only.
fn key_file_is_private(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("agenda.rehearsal.journal.jsonl.control-key");
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// OSC: -30 s, then a bundle whose messages come in order (a note with an
/// escape sequence, a clear), then a packet that is not OSC, said on the
/// screen.
fn osc_time_bundle_and_garbage(s: &Screen, op: u16, journal: &Path) {
    osc(op, &msg("/showcall/time", vec![rosc::OscType::Int(-30)]));
    wait_entry(journal, "osc adjust", |l| {
        l["kind"] == "adjust" && l["delta_s"] == -30 && l["source"] == "osc"
    });
    osc(
        op,
        &rosc::OscPacket::Bundle(rosc::OscBundle {
            timetag: rosc::OscTime::from((0, 1)),
            content: vec![
                msg(
                    "/showcall/note",
                    vec![rosc::OscType::String("desk \u{1b}[2J note".into())],
                ),
                msg("/showcall/clear", vec![]),
            ],
        }),
    );
    wait_entry(journal, "osc clear", |l| {
        l["kind"] == "message" && l["text"] == "" && l["source"] == "osc"
    });
    // A malformed packet: dropped and said once on the screen.
    send_udp(op, b"not osc at all");
    s.wait_for("OSC dropped: not an OSC packet");
}

/// The review of that journal says where entries came from; the key's
/// entry (seq 8) is not listed.
fn review_names_the_sources(dir: &Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_showcall"))
        .current_dir(dir)
        .args([
            "report",
            "--journal",
            "agenda.rehearsal.journal.jsonl",
            "--at",
            "15:05",
        ])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("## From outside the keyboard"), "{md}");
    assert!(
        md.contains("| 2 | HTTP | start · Welcome Remarks |"),
        "{md}"
    );
    assert!(
        md.contains("| 5 | OSC | time -0:30 · Welcome Remarks |"),
        "{md}"
    );
    assert!(!md.contains("| 8 |"), "the key's entry is not listed: {md}");
}

#[test]
fn a_read_only_screen_takes_no_commands() {
    let dir = pty::agenda_dir();
    let mut first = Screen::spawn(dir.path(), &["--at", "15:00"], 100, 30);
    first.wait_for("nothing logged yet");
    let hp = free_tcp();
    let (mut second, journal, key) = open(dir.path(), &["--control", &hp.to_string()]);
    second.wait_for("read-only: locked by pid");
    let (st, body) = http(hp, "POST", "/api/go", &key, "");
    assert_eq!(st, 409, "{body}");
    assert!(body.contains("read-only"), "{body}");
    second.wait_for("HTTP refused: read-only");
    // Nothing written, by either screen.
    assert!(pty::journal_lines(&journal).is_empty());
    // The state still answers, and says it does not write.
    let (st, body) = http(hp, "GET", "/api/state", &key, "");
    assert_eq!(st, 200);
    assert!(body.contains("\"writes\":false"), "{body}");
    quit(&mut second);
    quit(&mut first);
}

#[test]
fn osc_from_a_sender_not_allowed_is_dropped() {
    let dir = pty::agenda_dir();
    let op = free_udp();
    // Only a desk at 192.0.2.7 may send; this test sends from 127.0.0.1.
    let (mut s, journal, _) = open(
        dir.path(),
        &["--osc", &op.to_string(), "--osc-allow", "192.0.2.7"],
    );
    osc(op, &msg("/showcall/go", vec![]));
    s.wait_for("127.0.0.1 is not on --osc-allow");
    std::thread::sleep(Duration::from_millis(300));
    assert!(pty::journal_lines(&journal).is_empty());
    quit(&mut s);
}

#[test]
fn a_flood_of_a_thousand_commands_leaves_the_screen_answering() {
    let dir = pty::agenda_dir();
    let hp = free_tcp();
    let (mut s, journal, key) = open(dir.path(), &["--control", &hp.to_string()]);
    // The Welcome Remarks start first, so the key pressed after the flood
    // has a live session to lengthen. The guard then counts from this GO.
    let (st, body) = http(hp, "POST", "/api/go", &key, "");
    assert_eq!(st, 200, "{body}");
    let started = Instant::now();
    // 1,000 GOs and notes from 50 clients at once.
    let answers: Vec<(u16, String, bool)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..50)
            .map(|w| {
                let key = key.clone();
                scope.spawn(move || {
                    (0..20)
                        .map(|i| {
                            let go = (w + i) % 2 == 0;
                            let (st, body) = if go {
                                http(hp, "POST", "/api/go", &key, "")
                            } else {
                                http(hp, "POST", "/api/note", &key, r#"{"text":"flood"}"#)
                            };
                            (st, body, go)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let took = started.elapsed();
    assert_eq!(answers.len(), 1000);
    // Each got an answer: done, refused by the engine (a GO within the
    // guard, nothing left to start), or too many waiting.
    for (st, body, _) in &answers {
        assert!(matches!(st, 200 | 422 | 503), "{st} {body}");
    }
    let ok_notes = answers
        .iter()
        .filter(|(st, _, go)| *st == 200 && !go)
        .count();
    let ok_gos = answers
        .iter()
        .filter(|(st, _, go)| *st == 200 && *go)
        .count();
    // The screen answers a key at once after the flood.
    s.keys("+");
    let lines = wait_entry(&journal, "the key's adjust", |l| {
        l["kind"] == "adjust" && l.get("source").is_none()
    });
    // What was answered 200 is exactly what was written: nothing
    // half-written, nothing written without an answer.
    let notes = lines.iter().filter(|l| l["kind"] == "note").count();
    let starts = lines.iter().filter(|l| l["kind"] == "start").count();
    assert_eq!(notes, ok_notes);
    assert_eq!(starts, ok_gos + 1, "the first GO and the flood's");
    // The double-GO guard held: a GO within 500 ms of the last start or
    // saved note is refused, so the flood's GOs are at most one per half
    // second of it (a steady stream of notes may leave none at all).
    let most = (took.as_millis() / 500) as usize;
    assert!(ok_gos <= most, "{ok_gos} GOs in {took:?}");
    eprintln!(
        "flood: {ok_gos} GOs and {ok_notes} notes written, {} answered 503, in {took:?}",
        answers.iter().filter(|(st, _, _)| *st == 503).count()
    );
    quit(&mut s);
    check_passes(dir.path(), &journal);
}

#[test]
fn an_osc_flood_leaves_the_keys_answering_and_writes_only_whole_notes() {
    let dir = pty::agenda_dir();
    let op = free_udp();
    let (mut s, journal, _) = open(dir.path(), &["--osc", &op.to_string()]);
    s.keys(" ");
    wait_entry(&journal, "the GO", |l| l["kind"] == "start");
    // 1,000 notes as fast as one socket sends them, then the screen's own key.
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    let note = rosc::encoder::encode(&msg(
        "/showcall/note",
        vec![rosc::OscType::String("flood".into())],
    ))
    .unwrap();
    for _ in 0..1000 {
        sock.send_to(&note, ("127.0.0.1", op)).unwrap();
    }
    s.keys("+");
    let lines = wait_entry(&journal, "the key's adjust", |l| {
        l["kind"] == "adjust" && l.get("source").is_none()
    });
    // Every note written is whole and marked; none beyond what was sent.
    let notes: Vec<&Value> = lines.iter().filter(|l| l["kind"] == "note").collect();
    assert!(notes.len() <= 1000);
    // More than 32 waiting are dropped (and said), the rest written.
    eprintln!("osc flood: {} of 1000 notes written", notes.len());
    assert!(
        notes
            .iter()
            .all(|l| l["source"] == "osc" && l["text"] == "flood")
    );
    quit(&mut s);
    check_passes(dir.path(), &journal);
}

/// The real screen years after the reference event, nothing started: the
/// state says so instead of a countdown frozen at 0:01, a GO from outside
/// is refused in two whole sentences, a GET of a command is said in JSON,
/// and a preset the screen lacks is a bad value; nothing is written.
#[test]
fn far_from_the_event_the_state_and_the_refusals_say_why() {
    let dir = pty::agenda_dir();
    let hp = free_tcp();
    let mut s = Screen::spawn(dir.path(), &["--control", &hp.to_string()], 120, 40);
    s.wait_for("control:");
    let key = std::fs::read_to_string(dir.path().join("agenda.journal.jsonl.control-key"))
        .unwrap()
        .trim()
        .to_owned();
    let (st, body) = http(hp, "GET", "/api/state", &key, "");
    assert_eq!(st, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["state"], "off_day", "{body}");
    assert!(
        v["off_day"]
            .as_str()
            .unwrap()
            .starts_with("This event was on Thu 22 Jun 2023"),
        "{body}"
    );
    assert_eq!(
        (&v["next_in"], &v["next_in_s"]),
        (&Value::from(""), &Value::Null)
    );
    let (st, body) = http(hp, "POST", "/api/go", &key, "");
    assert_eq!(st, 422, "{body}");
    assert!(
        body.contains("days ago. A GO this far from the event is confirmed at the keyboard."),
        "{body}"
    );
    let (st, body) = http(hp, "GET", "/api/go", &key, "");
    assert_eq!(st, 405);
    assert!(
        body.contains("\"ok\":false") && body.contains("needs POST"),
        "{body}"
    );
    let (st, body) = http(hp, "POST", "/api/message", &key, r#"{"preset":9}"#);
    assert_eq!(st, 400, "{body}");
    assert!(pty::journal_lines(&dir.path().join("agenda.journal.jsonl")).is_empty());
    quit(&mut s);
}
