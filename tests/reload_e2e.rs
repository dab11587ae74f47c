//! End to end: the agenda file edited on disk during the show. The real
//! binary runs in a pseudo-terminal, with the speaker screen in a second
//! one; another "terminal" (this test) saves agenda.toml with a session
//! retimed, one added and one retitled, and both screens and the journal
//! follow; then a broken agenda is saved, the screen
//! says what is wrong while the show runs on, and fixing it clears that.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::pty;
use pty::Screen;

const REFERENCE: &str = include_str!("../agenda.toml");

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn wait_lines(path: &Path, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let l = lines(path);
        if l.len() >= n {
            return l;
        }
        assert!(Instant::now() < deadline, "journal never reached {n} lines");
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// Saves `text` the way vim and VS Code do: a new file renamed over the
/// old one.
fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_extension("toml.swp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// The reference agenda with the closing retimed to end at 16:40, a vote
/// of thanks added after it and the panel (live in the test) retitled.
fn edited() -> String {
    let mut text = REFERENCE
        .replacen("end = \"16:30\"\n", "end = \"16:40\"\n", 1)
        .replacen(
            "title = \"Interactive Panel Discussion\"",
            "title = \"Panel: what works against smuggling\"",
            1,
        );
    text.push_str(
        "\n[[session]]\nid = \"thanks\"\ntitle = \"Vote of thanks\"\nstart = \"16:40\"\nend = \"16:45\"\n",
    );
    text
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn an_agenda_saved_during_the_show_reaches_screen_and_journal() {
    let dir = tempfile::tempdir().unwrap();
    let agenda: PathBuf = dir.path().join("agenda.toml");
    std::fs::write(&agenda, REFERENCE).unwrap();
    let journal = dir.path().join("agenda.rehearsal.journal.jsonl");
    let mut s = Screen::spawn(dir.path(), &["--at", "15:38"], 120, 40);
    s.wait_for("NOT STARTED");
    s.keys(" ");
    let l = wait_lines(&journal, 2);
    assert_eq!(l[1]["kind"], "start");
    assert_eq!(l[1]["session"], "panel");
    // The speaker screen of the same rehearsal, in a second terminal.
    let mut speaker = Screen::spawn(dir.path(), &["speaker", "--rehearse"], 100, 30);
    speaker.wait_for("Interactive Panel Discussion");

    // Saved from another terminal, in place.
    let text = edited();
    std::fs::write(&agenda, &text).unwrap();
    s.wait_for("agenda reloaded: 1 retimed, 1 added, 1 retitled");
    s.wait_for("Vote of thanks");
    s.wait_for("Panel: what works against smuggling");
    speaker.wait_for("Panel: what works against smuggling");
    let l = wait_lines(&journal, 3);
    let e = &l[2];
    assert_eq!(e["kind"], "agenda");
    assert_eq!(e["sha256"], sha256_hex(text.as_bytes()).as_str());
    assert_eq!(e["added"], serde_json::json!(["thanks"]));
    assert_eq!(e["retimed"], serde_json::json!(["closing"]));
    assert_eq!(e["retitled"], serde_json::json!(["panel"]));
    assert_eq!(e["was"][0]["session"], "panel");
    // The plan's end moved with it: 16:45 now.
    s.wait_for("(plan 16:45)");

    // Saved broken (an hour that does not exist), by rename: the running
    // agenda stays, the first problem shows where check would put it.
    save_by_rename(
        &agenda,
        &text.replacen("end = \"16:45\"", "end = \"25:45\"", 1),
    );
    s.wait_for("AGENDA NOT RELOADED:");
    s.wait_for("agenda.toml:");
    assert!(s.text().contains("Vote of thanks"), "{}", s.text());
    // The show runs on: GO still works and is journaled.
    // Past the double-GO guard (0.5 s after the last start): everything
    // above can happen within it.
    std::thread::sleep(Duration::from_millis(600));
    s.keys(" ");
    let l = wait_lines(&journal, 4);
    assert_eq!(l[3]["kind"], "start");
    assert_eq!(lines(&journal).len(), 4, "a broken agenda journals nothing");

    // Fixed: the error goes; the plan is the one in force, so nothing new
    // is journaled.
    save_by_rename(&agenda, &text);
    let deadline = Instant::now() + Duration::from_secs(20);
    while s.text().contains("AGENDA NOT RELOADED") {
        assert!(
            Instant::now() < deadline,
            "error never cleared:\n{}",
            s.text()
        );
        std::thread::sleep(Duration::from_millis(30));
    }
    assert_eq!(lines(&journal).len(), 4);
    s.keys("q");
    s.keys("y");
    assert!(s.wait_exit().success());
    speaker.keys("q");
    assert!(speaker.wait_exit().success());
}
