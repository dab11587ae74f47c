//! The speaker screen as a user runs it: the real binary in a
//! pseudo-terminal, following a journal that another process appends to.
//! It shows each new entry within a second or two, never writes the
//! journal, and quits on `q`.

use std::path::Path;
use std::process::Command;

use crate::pty;
use pty::Screen;

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

    let mut screen = Screen::spawn(
        dir.path(),
        &["speaker", "--at", "15:36:30", "--lang", "fr"],
        40,
        10,
    );
    let wait_for = |what: &str| screen.wait_for(what);

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

    screen.keys("q");
    let status = screen.wait_exit();
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

/// A wide-character agenda on the real terminal: titles in CJK, an emoji
/// and a combining accent reach the screen whole (the terminal emulator
/// reads back what a crew would see), the speaker screen follows at 40x10
/// and 120x40 with NEXT on its last row, and the read-only operator
/// screen's footer offers no key that writes.
#[test]
fn wide_characters_on_the_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // "Zoe\u{308}" is Zoë spelled with a combining diaeresis.
    let agenda = "[event]\ntitle = \"国際会議 🎤 Zoe\u{308}\"\ndate = \"2023-06-22\"\n\
                  timezone = \"Asia/Tokyo\"\n\n\
                  [[session]]\nid = \"open\"\ntitle = \"開会の挨拶 🎤\"\nstart = \"10:00\"\n\
                  duration = \"10m\"\nspeakers = [\"山田 太郎\", \"Zoe\u{308} Müller\"]\n\n\
                  [[session]]\nid = \"panel\"\ntitle = \"パネルディスカッション\"\nstart = \"10:10\"\n\
                  duration = \"30m\"\n";
    std::fs::write(dir.path().join("agenda.toml"), agenda).unwrap();
    let journal = dir.path().join("agenda.journal.jsonl");
    append(
        &journal,
        &line(1, "10:00:00", r#""kind":"start","session":"open""#).replace("+02:00", "+09:00"),
    );
    for (w, h) in [(40, 10), (120, 40)] {
        let mut s = Screen::spawn(dir.path(), &["speaker", "--at", "10:03"], w, h);
        s.wait_for("開会の挨拶");
        s.wait_for("NEXT");
        let text = s.text();
        let last = text.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
        assert!(last.starts_with("NEXT"), "{w}x{h}:\n{text}");
        if w == 120 {
            s.wait_for("パネルディスカッション");
            s.wait_for("山田 太郎 · Zoe\u{308} Müller");
        }
        s.keys("q");
        assert!(s.wait_exit().success());
    }
    let mut s = Screen::spawn(dir.path(), &["--read-only", "--at", "10:03"], 120, 40);
    s.wait_for("開会の挨拶 🎤");
    s.wait_for("read-only");
    // The whole first frame, footer included, before reading it (a frame
    // reaches the terminal in several writes).
    s.wait_for("q quit");
    let text = s.text();
    let foot = text.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
    assert!(foot.contains("q quit"), "{text}");
    for write_key in [
        "Space GO",
        "e end",
        "o overrun",
        "t floor",
        "u undo",
        "m msg",
    ] {
        assert!(!foot.contains(write_key), "{write_key}: {foot}");
    }
    s.keys("q");
    assert!(s.wait_exit().success());
}
