//! A paste never runs keys, whatever the terminal (issue 24): in a
//! pseudo-terminal that passes bytes as they come, like a terminal without
//! bracketed paste, a flood of keys is text; a bracketed paste that holds
//! its own end marker does not run what follows it; a paste cut to the
//! field's length says so.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::pty;
use pty::Screen;

/// Bytes of the flood. The issue's was 1 MB; through this harness in a
/// debug build a flood that large does not reliably get through in time
/// (see the report), so the test sends 4 kB in 1 kB writes.
const FLOOD_BYTES: usize = 4_000;

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = pty::agenda_dir();
    let journal = dir.path().join("agenda.rehearsal.journal.jsonl");
    (dir, journal)
}

fn wait_lines(path: &Path, n: usize) -> Vec<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if path.exists() {
            let lines = pty::journal_lines(path);
            if lines.len() >= n {
                return lines;
            }
        }
        assert!(Instant::now() < deadline, "journal never reached {n} lines");
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// Welcome Remarks live (journal: open, start).
fn live() -> (tempfile::TempDir, PathBuf, Screen) {
    let (dir, journal) = demo();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 100, 30);
    s.wait_for("Welcome Remarks");
    s.keys(" ");
    wait_lines(&journal, 2);
    (dir, journal, s)
}

fn quit(mut s: Screen) {
    s.keys("q");
    s.wait_for("is live");
    s.keys("y");
    assert!(s.wait_exit().success());
}

#[test]
fn an_unbracketed_flood_of_keys_runs_nothing() {
    let (_dir, journal, mut s) = live();
    // 1 MB of what would be commands typed one by one: GO, end, speaker,
    // note, floor, cut, undo, Enter.
    let unit = " e s\rn t T x u g \r";
    let flood = unit.repeat(FLOOD_BYTES / unit.len());
    s.stream(&flood, 1024);
    s.wait_for("pasted text ignored");
    // The refusal stays 5 s after the last piece of the flood: once it is
    // gone, all of it was taken in (a key typed during a flood is part of
    // it).
    let deadline = Instant::now() + Duration::from_secs(30);
    while s.text().contains("pasted text ignored") {
        assert!(Instant::now() < deadline, "the flood never ended");
        std::thread::sleep(Duration::from_millis(100));
    }
    let lines = pty::journal_lines(&journal);
    assert_eq!(lines.len(), 2, "{:?}", &lines[2..]);
    // crossterm may hold the flood's last piece until the next keys, which
    // then join it (src/paste.rs); this test does not quit by keys but
    // hangs up, as a closed terminal does (the exit check runs).
    let mut child = s.hang_up();
    let _ = child.wait();
    assert_eq!(pty::journal_lines(&journal).len(), 2);
}

#[test]
fn an_unbracketed_paste_into_a_form_is_text() {
    let (_dir, journal, mut s) = live();
    s.keys("n");
    s.wait_for("Enter save");
    // Sent in one write, as a terminal without bracketed paste sends a
    // paste: the line break does not save, the 'e' does not end.
    s.keys("Mic check\re done");
    s.keys("\r");
    let lines = wait_lines(&journal, 3);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(pty::journal_lines(&journal).len(), 3);
    assert_eq!(lines[2]["kind"], "note");
    assert_eq!(lines[2]["text"], "Mic check e done");
    quit(s);
}

#[test]
fn an_end_marker_inside_a_paste_runs_nothing_after_it() {
    let (_dir, journal, mut s) = live();
    // The pasted text holds ESC[201~ and then a space (GO): the terminal
    // ends the paste early and sends the space as a key.
    s.keys("\x1b[200~hello\x1b[201~ \x1b[201~");
    s.wait_for("pasted text ignored");
    std::thread::sleep(Duration::from_millis(500));
    let lines = pty::journal_lines(&journal);
    assert_eq!(lines.len(), 2, "{:?}", &lines[2..]);
    quit(s);
}

#[test]
fn a_paste_cut_to_the_field_says_so() {
    let (_dir, journal, mut s) = live();
    s.keys("n");
    s.wait_for("Enter save");
    // A note holds 300 characters: 400 pasted leave 100 out.
    s.keys(&format!("\x1b[200~{}\x1b[201~", "x".repeat(400)));
    s.wait_for("paste cut: 100 characters did not fit");
    s.keys("\r");
    let lines = wait_lines(&journal, 3);
    assert_eq!(lines[2]["text"].as_str().unwrap().len(), 300);
    quit(s);
}
