//! The speaker screen as a user runs it: the real binary in a
//! pseudo-terminal, following a journal that another process appends to.
//! It shows each new entry within a second or two, never writes the
//! journal, and quits on `q`.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

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

#[test]
fn follows_a_journal_written_by_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let agenda = dir.path().join("agenda.toml");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/agenda.toml"), &agenda).unwrap();
    let journal = dir.path().join("agenda.journal.jsonl");
    append(
        &journal,
        &line(1, "15:10:00", r#""kind":"start","session":"panel""#),
    );

    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 10,
            cols: 40,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_showcall"));
    cmd.args(["speaker", "--at", "15:36:30", "--lang", "fr"]);
    cmd.cwd(dir.path());
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(10, 40, 0)));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let p = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut writer = pair.master.take_writer().unwrap();
    let text = || parser.lock().unwrap().screen().contents();
    let wait_for = |what: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if text().contains(what) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("'{what}' never appeared; the screen:\n{}", text());
    };

    // 3:30 left of the panel: the French warn word.
    wait_for("CONCLUEZ");
    wait_for("Interactive Panel");

    // A message appended by another process shows up.
    let before = std::fs::read(&journal).unwrap();
    append(
        &journal,
        &line(2, "15:36:00", r#""kind":"message","text":"Merci""#),
    );
    wait_for("MESSAGE: Merci");
    // The Q&A starts and its first speaker takes the floor.
    append(
        &journal,
        &(line(3, "15:36:10", r#""kind":"start","session":"qa""#)
            + &line(
                4,
                "15:36:20",
                r#""kind":"floor","session":"qa","speaker":null"#,
            )),
    );
    wait_for("Intervenant 1");
    wait_for("SESSION 34:");

    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "q did not quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    // Read-only: the journal holds exactly what the other process wrote.
    let after = std::fs::read(&journal).unwrap();
    assert!(after.starts_with(&before));
    assert_eq!(String::from_utf8(after).unwrap().lines().count(), 4);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "no lock or other file left behind: {names:?}"
    );
}
