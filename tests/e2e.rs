//! End to end: the real binary in a pseudo-terminal. Press GO, log a
//! speaker change and an overrun, quit, and read the journal it wrote; also
//! the terminal is restored on SIGTERM, and a second writer opens read-only.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::pty;
use pty::Screen;

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = pty::agenda_dir();
    let journal = dir.path().join("agenda.journal.jsonl");
    (dir, journal)
}

/// A run with `--at` (or `--speed`) writes the rehearsal journal, never the
/// real one: the real journal must not exist after it.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let (dir, _) = setup();
    let journal = dir.path().join("agenda.rehearsal.journal.jsonl");
    (dir, journal)
}

fn wait_lines(path: &Path, n: usize) -> Vec<Value> {
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

#[test]
fn go_speaker_change_overrun_quit() {
    let (dir, journal) = demo();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:38", "--speed", "10"], 120, 40);
    // Before anything is logged, the plan has the panel on, not started.
    s.wait_for("NOT STARTED");
    s.wait_for("Interactive Panel Discussion");

    s.keys(" ");
    let lines = wait_lines(&journal, 2);
    assert_eq!(lines[0]["kind"], "open");
    assert_eq!(lines[1]["kind"], "start");
    let started = lines[1]["session"].as_str().unwrap().to_string();
    assert!(
        started == "panel" || started == "qa",
        "GO started {started}"
    );
    s.wait_for("start · ");

    // Speaker change: replace the first listed speaker with a new name.
    s.keys("s");
    s.wait_for("Speaker change");
    s.keys("\t");
    s.keys("\t");
    s.keys("Deputy moderator");
    s.wait_for("will write: speaker");
    s.keys("\r");
    let lines = wait_lines(&journal, 3);
    assert_eq!(lines[2]["kind"], "speaker");
    assert_eq!(lines[2]["change"], "replace");
    assert_eq!(lines[2]["from"], "Moderator");
    assert_eq!(lines[2]["to"], "Deputy moderator");
    assert_eq!(lines[2]["session"], started.as_str());

    // Overrun, with a reason. Not over yet, so the pre-filled 0:00 is
    // refused; five seconds (it has run longer, at ten times speed) go in.
    s.keys("o");
    s.wait_for("Log an overrun");
    s.keys("answers ran long");
    s.keys("\r");
    s.wait_for("an overrun is more than 0:00");
    s.keys("\x1b[Z");
    s.keys("\x15");
    s.keys("0:05");
    s.keys("\r");
    let lines = wait_lines(&journal, 4);
    assert_eq!(lines[3]["kind"], "overrun");
    assert_eq!(lines[3]["note"], "answers ran long");
    assert_eq!(lines[3]["over_s"].as_i64(), Some(5));

    // Quitting while live asks first.
    s.keys("q");
    s.wait_for("is live");
    s.keys("y");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(
        !s.parser.lock().unwrap().screen().alternate_screen(),
        "terminal restored"
    );

    // Every line is whole, numbered without gaps, stamped in CEST.
    let lines = pty::journal_lines(&journal);
    assert_eq!(lines.len(), 4);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["v"], 1);
        assert_eq!(l["seq"], i as u64 + 1);
        assert!(l["at"].as_str().unwrap().ends_with("+02:00"), "{l}");
    }
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_journal() {
    let (dir, journal) = demo();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 100, 30);
    s.wait_for("Welcome Remarks");
    s.keys(" ");
    wait_lines(&journal, 2);
    s.wait_for("start · Welcome Remarks");
    let pid = s.child.process_id().unwrap();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(!s.parser.lock().unwrap().screen().alternate_screen());
    assert_eq!(pty::journal_lines(&journal).len(), 2);
}

#[test]
fn a_second_writer_opens_read_only_and_follows() {
    let (dir, journal) = demo();
    let mut first = Screen::spawn(dir.path(), &["--at", "15:00"], 100, 30);
    // It holds the journal (the file appears with the first entry).
    first.wait_for("nothing logged yet");
    let mut second = Screen::spawn(dir.path(), &["--at", "15:00"], 100, 30);
    second.wait_for("read-only: locked by pid");
    first.keys(" ");
    wait_lines(&journal, 2);
    second.wait_for("start · Welcome Remarks");
    // The second screen refuses to write.
    second.keys("n");
    second.wait_for("does not write");
    // The first quits: within a second or two the second takes the
    // journal over, says so, and writes.
    first.keys("q");
    first.wait_for("is live");
    first.keys("y");
    assert!(first.wait_exit().success());
    second.wait_for("this one writes it now");
    second.keys("n");
    second.wait_for("Enter save");
    // Typed in one write it arrives as a paste (text, not keys): Enter is
    // a key of its own.
    second.keys("taken over");
    second.keys("\r");
    let lines = wait_lines(&journal, 3);
    assert_eq!(lines[2]["kind"], "note");
    assert_eq!(lines[2]["text"], "taken over");
    second.keys("q");
    second.wait_for("is live");
    second.keys("y");
    assert!(second.wait_exit().success());
    // One journal, numbered without a gap: the new writer carried it on.
    let seqs: Vec<u64> = pty::journal_lines(&journal)
        .iter()
        .map(|l| l["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 2, 3]);
}

#[test]
fn without_a_terminal_it_says_so() {
    let (dir, _) = setup();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_showcall"))
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
}

#[test]
fn rehearse_writes_its_own_journal_and_the_report_sees_the_same_plan() {
    let (dir, journal) = setup();
    let rehearsal = dir.path().join("agenda.rehearsal.journal.jsonl");
    let mut s = Screen::spawn(dir.path(), &["--rehearse"], 100, 30);
    s.wait_for("REHEARSAL");
    s.wait_for("BEFORE THE SHOW");
    s.keys(" ");
    let lines = wait_lines(&rehearsal, 2);
    assert_eq!(lines[1]["kind"], "start");
    assert_eq!(lines[1]["session"], "welcome");
    s.keys("q");
    s.wait_for("is live");
    s.keys("y");
    assert!(s.wait_exit().success());
    assert!(
        !journal.exists(),
        "a rehearsal never touches the real journal"
    );

    // The rehearsal's plan is the agenda moved by the open entry's
    // `shift_s` (the planned 15:00 CEST is 13:00 UTC, 1687438800 s), to the
    // minute after the screen opened, and `report --rehearse` reads it
    // with that same plan.
    assert_eq!(lines[0]["clock"], "real");
    let shift = lines[0]["shift_s"].as_i64().unwrap();
    let opened = chrono::DateTime::parse_from_rfc3339(lines[0]["at"].as_str().unwrap()).unwrap();
    let first = chrono::DateTime::from_timestamp(1_687_438_800 + shift, 0)
        .unwrap()
        .with_timezone(&opened.timezone());
    assert_eq!(first.timestamp() % 60, 0);
    assert!(
        first > opened - chrono::TimeDelta::minutes(1)
            && first <= opened + chrono::TimeDelta::minutes(1)
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_showcall"))
        .current_dir(dir.path())
        .args(["report", "--rehearse", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    // date,session,title,planned_start,…: the planned start is the 4th cell.
    let welcome = csv.lines().find(|l| l.contains(",welcome,")).unwrap();
    let cells: Vec<&str> = welcome.split(',').collect();
    assert_eq!(cells[3], first.format("%H:%M:%S").to_string(), "{welcome}");
}

#[test]
fn a_dropped_terminal_ends_the_program_and_keeps_the_journal() {
    // As when an SSH connection drops: the terminal hangs up under it.
    let (dir, journal) = demo();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 100, 30);
    s.wait_for("Welcome Remarks");
    s.keys(" ");
    wait_lines(&journal, 2);
    let mut child = s.hang_up();
    // Waited for by its exit status (not /proc, which may show another
    // pid namespace and so not wait at all).
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "still running after the hang-up");
        std::thread::sleep(Duration::from_millis(50));
    }
    let lines = pty::journal_lines(&journal);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["kind"], "start");
}

/// A paste is text, never keys: with the note form open, a two-line paste
/// holding `e`, a space and a newline (end, GO, save) becomes the note's
/// text, and nothing else is journalled; with no form open it is refused.
/// The terminal sends it bracketed (ESC [200~ … ESC [201~), as every
/// common terminal does once the program asks.
#[test]
fn a_paste_is_text_never_keys() {
    let (dir, journal) = demo();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 100, 30);
    s.wait_for("Welcome Remarks");
    s.keys(" ");
    wait_lines(&journal, 2);
    s.keys("n");
    s.wait_for("Enter save");
    s.keys("\x1b[200~Mic check done\r\nevery speaker ok \x1b]0;pwn\x07 e \x1b[201~");
    s.keys("\r");
    let lines = wait_lines(&journal, 3);
    std::thread::sleep(Duration::from_millis(500));
    let lines_after = pty::journal_lines(&journal);
    assert_eq!(lines_after.len(), 3, "{lines_after:?}");
    assert_eq!(lines[2]["kind"], "note");
    let text = lines[2]["text"].as_str().unwrap();
    assert!(text.starts_with("Mic check done"), "{text}");
    assert!(text.contains("every speaker ok"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    // With nothing open, a paste is refused with a word, and runs nothing.
    s.keys("\x1b[200~e \r\x1b[201~");
    s.wait_for("pasted text ignored");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(pty::journal_lines(&journal).len(), 3);
    s.keys("q");
    s.wait_for("is live");
    s.keys("y");
    assert!(s.wait_exit().success());
    // Asked for at the start, and switched off again on the way out.
    std::thread::sleep(Duration::from_millis(200));
    let raw = s.raw.lock().unwrap().clone();
    let find = |pat: &[u8]| raw.windows(pat.len()).position(|w| w == pat);
    let on = find(b"\x1b[?2004h").expect("bracketed paste switched on");
    let off = find(b"\x1b[?2004l").expect("bracketed paste switched off");
    assert!(on < off);
}

/// The double-GO guard (500 ms by default): `Space Space` 100 ms apart
/// writes one start, and the Enter that saves a note (or a hold's reason),
/// pressed twice, writes the note (the hold) and no start.
#[test]
fn a_double_press_steps_the_show_once() {
    let (dir, journal) = demo();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:38"], 120, 40);
    s.wait_for("NOT STARTED");
    s.keys(" ");
    wait_lines(&journal, 2);
    // Past the guard, then a double press: the first goes, the second,
    // 0.1 s later, is refused.
    std::thread::sleep(Duration::from_millis(700));
    s.keys(" ");
    std::thread::sleep(Duration::from_millis(100));
    s.keys(" ");
    // "0.1 s" on an idle machine; a loaded one reads the keys later.
    s.wait_for("GO ignored: 0.");
    let lines = wait_lines(&journal, 3);
    assert_eq!(lines.len(), 3, "{lines:?}");

    std::thread::sleep(Duration::from_millis(700));
    s.keys("n");
    s.keys("long note, slow input");
    s.wait_for("will write: note");
    s.keys("\r\r");
    s.wait_for("GO ignored:");
    // Anything the second Enter might have written is on disk by now: the
    // screen said it was refused after the note was saved.
    let lines = pty::journal_lines(&journal);
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["open", "start", "start", "note"]);

    // The hold form's Enter, pressed twice: one hold with its reason, no
    // start.
    std::thread::sleep(Duration::from_millis(700));
    s.keys("h");
    s.keys("mic down");
    s.wait_for("will write: hold");
    s.keys("\r\r");
    s.wait_for("GO ignored:");
    let lines = pty::journal_lines(&journal);
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["open", "start", "start", "note", "hold"]);
    assert_eq!(lines[4]["reason"], "mic down");
    s.keys("q");
    s.wait_for("is live");
    s.keys("y");
    assert!(s.wait_exit().success());
}
