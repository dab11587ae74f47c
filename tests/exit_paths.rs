//! Every way out of the operator screen asks one question: does the journal
//! on disk still hold everything? Issue 14's failures 4, 5, 6, 9 and 10,
//! each with the real binary in a pseudo-terminal:
//!
//! - the journal removed while idle, then SIGTERM, SIGHUP, SIGINT or
//!   SIGQUIT: a complete fallback, and the terminal restored;
//! - the journal truncated in place: the header says NOT SAVED, `q` does not
//!   quit silently, and the fallback holds every entry;
//! - the quit dialog never says "Everything is saved" when it is not, and
//!   the last line printed counts truly;
//! - a directory that cannot be written: one cause, a `--journal PATH`
//!   hint, and the screen opens read-only.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::pty;
use pty::Screen;

/// A demo run (`--at`) journals to the rehearsal journal beside the agenda.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = pty::agenda_dir();
    let journal = dir.path().join("agenda.rehearsal.journal.jsonl");
    (dir, journal)
}

fn wait_until(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// GO and three one-minute extensions: `open`, `start`, 3 × `adjust`.
fn five_saved_entries(s: &mut Screen, journal: &Path) {
    s.wait_for("Welcome Remarks");
    s.keys(" ");
    s.wait_for("start · Welcome Remarks");
    s.keys("+");
    s.keys("+");
    s.keys("+");
    wait_until("5 lines", || pty::journal_lines(journal).len() == 5);
}

/// The fallback files written in `dir`.
fn fallbacks(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".fallback-"))
        .collect();
    v.sort();
    v
}

/// A complete journal: seqs 1..=n in order, an `open` first.
fn assert_complete(path: &Path, n: usize) {
    let lines = pty::journal_lines(path);
    let seqs: Vec<u64> = lines.iter().map(|l| l["seq"].as_u64().unwrap()).collect();
    assert_eq!(
        seqs,
        (1..=n as u64).collect::<Vec<_>>(),
        "{}",
        path.display()
    );
    assert_eq!(lines[0]["kind"], "open");
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_showcall"))
        .args(["check", "--journal"])
        .arg(path)
        .current_dir(path.parent().unwrap())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

fn kill(pid: u32, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{sig}");
}

fn removed_then_signal(sig: &str) {
    let (dir, journal) = setup();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 120, 40);
    five_saved_entries(&mut s, &journal);
    std::fs::remove_file(&journal).unwrap();
    // Noticed while idle, within a second or two.
    s.wait_for("NOT SAVED");
    kill(s.child.process_id().unwrap(), sig);
    let status = s.wait_exit();
    assert_ne!(status.exit_code(), 101, "{sig}: panicked");
    // The terminal is restored: main screen, cursor shown.
    std::thread::sleep(Duration::from_millis(200));
    let screen = s.parser.lock().unwrap().screen().clone();
    assert!(
        !screen.alternate_screen(),
        "{sig}: still on the alternate screen"
    );
    assert!(!screen.hide_cursor(), "{sig}: cursor still hidden");
    // One fallback, a complete journal of the 5 saved entries.
    let f = fallbacks(dir.path());
    assert_eq!(f.len(), 1, "{sig}: {f:?}");
    assert_complete(&f[0], 5);
    assert!(
        s.text().contains("all 5 entries are in"),
        "{sig}:\n{}",
        s.text()
    );
}

#[test]
fn removed_journal_then_sigterm_writes_a_complete_fallback() {
    removed_then_signal("TERM");
}

#[test]
fn removed_journal_then_sighup_writes_a_complete_fallback() {
    removed_then_signal("HUP");
}

#[test]
fn removed_journal_then_sigint_writes_a_complete_fallback() {
    removed_then_signal("INT");
}

#[test]
fn removed_journal_then_sigquit_writes_a_complete_fallback() {
    removed_then_signal("QUIT");
}

/// SIGINT and SIGQUIT with nothing wrong: the terminal is restored, the
/// journal is untouched and no fallback is written.
#[test]
fn sigint_and_sigquit_restore_the_terminal() {
    for sig in ["INT", "QUIT"] {
        let (dir, journal) = setup();
        let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 100, 30);
        s.wait_for("Welcome Remarks");
        s.keys(" ");
        wait_until("2 lines", || pty::journal_lines(&journal).len() == 2);
        kill(s.child.process_id().unwrap(), sig);
        let status = s.wait_exit();
        assert!(status.success(), "{sig}: {status:?}");
        std::thread::sleep(Duration::from_millis(200));
        let screen = s.parser.lock().unwrap().screen().clone();
        assert!(!screen.alternate_screen(), "{sig}");
        assert!(!screen.hide_cursor(), "{sig}");
        assert_eq!(pty::journal_lines(&journal).len(), 2);
        assert!(fallbacks(dir.path()).is_empty());
    }
}

/// `truncate -s 0` on the journal: same file, same inode, but the saved
/// entries are gone. The header says so, `q` asks, one more entry is kept
/// too, and the fallback holds all six.
#[test]
fn truncated_journal_is_noticed_and_the_fallback_holds_everything() {
    let (dir, journal) = setup();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 120, 40);
    five_saved_entries(&mut s, &journal);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&journal)
        .unwrap()
        .set_len(0)
        .unwrap();
    s.wait_for("NOT SAVED");
    s.keys("+");
    s.keys("q");
    s.wait_for("Entries NOT SAVED");
    assert!(!s.text().contains("Everything is saved"));
    s.keys("f");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    // Nothing was written into the cut file; the fallback is complete.
    assert_eq!(std::fs::metadata(&journal).unwrap().len(), 0);
    let f = fallbacks(dir.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_complete(&f[0], 6);
    std::thread::sleep(Duration::from_millis(200));
    assert!(s.text().contains("all 6 entries are in"), "{}", s.text());
}

/// The journal shrinks by one line (an editor writing in place): noticed
/// the same way.
#[test]
fn shrunk_journal_is_noticed() {
    let (dir, journal) = setup();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 120, 40);
    five_saved_entries(&mut s, &journal);
    let len = std::fs::metadata(&journal).unwrap().len();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&journal)
        .unwrap();
    f.set_len(len - 10).unwrap();
    s.wait_for("NOT SAVED");
    s.keys("q");
    s.wait_for("Entries NOT SAVED");
    s.keys("f");
    assert!(s.wait_exit().success());
    let f = fallbacks(dir.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_complete(&f[0], 5);
}

/// Issue 14, failure 9: remove the journal, log a note; the header says
/// NOT SAVED (3): the note, and the 2 saved entries (`open`, `start`) that
/// the removed file took with it (issue 24: every entry at risk). `q` must not say "Everything is saved", and the last line
/// must not call the removed file a journal of 2 entries.
#[test]
fn quit_dialog_tells_the_truth_after_removal() {
    let (dir, journal) = setup();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 120, 40);
    s.wait_for("Welcome Remarks");
    s.keys(" ");
    wait_until("2 lines", || pty::journal_lines(&journal).len() == 2);
    std::fs::remove_file(&journal).unwrap();
    s.wait_for("NOT SAVED");
    s.keys("n");
    s.keys("mic check");
    s.keys("\r");
    s.wait_for("NOT SAVED (3)");
    s.keys("q");
    s.wait_for("Entries NOT SAVED");
    // The whole dialog (it may reach the terminal in more than one write).
    s.wait_for("only in memory");
    assert!(!s.text().contains("Everything is saved"), "{}", s.text());
    s.keys("f");
    assert!(s.wait_exit().success());
    std::thread::sleep(Duration::from_millis(200));
    let text = s.text();
    assert!(text.contains("all 3 entries are in"), "{text}");
    assert!(!text.contains("(2 entries)"), "{text}");
    let f = fallbacks(dir.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_complete(&f[0], 3);
    assert_eq!(pty::journal_lines(&f[0])[2]["text"], "mic check");
}

/// Issue 14, failure 10: a user who cannot write the agenda's directory.
/// Before: "Permission denied (os error 13): Permission denied (os error
/// 13)", exit 1. Now the screen opens read-only and says why, once, with
/// the way out.
#[cfg(unix)]
#[test]
fn unwritable_directory_opens_read_only_with_a_hint() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _) = setup();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.path().join("probe");
    let root = std::fs::write(&probe, "").is_ok();
    let bin = env!("CARGO_BIN_EXE_showcall");
    let mut s = if root {
        // Root writes anywhere: run as nobody, if we can.
        let _ = std::fs::remove_file(&probe);
        let setpriv = Path::new("/usr/bin/setpriv");
        if !setpriv.exists() {
            eprintln!("skipped: running as root without setpriv");
            return;
        }
        let args = [
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            bin,
            "--at",
            "15:00",
        ];
        Screen::spawn_program(dir.path(), "/usr/bin/setpriv", &args, 140, 40)
    } else {
        Screen::spawn_program(dir.path(), bin, &["--at", "15:00"], 140, 40)
    };
    s.wait_for("Welcome Remarks");
    s.wait_for("--journal PATH");
    let text = s.text();
    assert!(text.contains("cannot write"), "{text}");
    assert_eq!(text.matches("os error 13").count(), 0, "{text}");
    s.keys("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(fallbacks(dir.path()).is_empty());
}

/// The journal removed, then the terminal hangs up (an SSH connection
/// drops): whichever way the program leaves (its loop, or the watcher after
/// the grace period), a complete fallback is on disk.
#[test]
fn removed_journal_then_hang_up_writes_a_complete_fallback() {
    let (dir, journal) = setup();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 120, 40);
    five_saved_entries(&mut s, &journal);
    std::fs::remove_file(&journal).unwrap();
    s.wait_for("NOT SAVED");
    let mut child = s.hang_up();
    // Its exit status, not /proc: a test may run where /proc shows another
    // pid namespace, and then it would not wait at all.
    let mut status = None;
    wait_until("the program to end after the hang-up", || {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    // It left by its own exit path: no panic (101), no abort (a panic
    // while putting back a terminal that is gone).
    let status = status.unwrap();
    assert!(
        status.signal().is_none() && status.exit_code() != 101,
        "{status:?}"
    );
    let f = fallbacks(dir.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_complete(&f[0], 5);
}

/// Issue 24, failure 7: a journal replaced while nothing was typed showed
/// "▲ NOT SAVED (0)" and no reason until the next key, while the 5 saved
/// entries lived only in memory. Now, with no key pressed, the header says
/// why in the title's place and counts all 5 at risk.
#[test]
fn a_journal_replaced_while_idle_is_said_at_once_with_every_entry_at_risk() {
    let (dir, journal) = setup();
    let mut s = Screen::spawn(dir.path(), &["--at", "15:00"], 140, 40);
    five_saved_entries(&mut s, &journal);
    s.wait_for("● saved");
    let copy = journal.with_extension("copy");
    std::fs::copy(&journal, &copy).unwrap();
    std::fs::rename(&copy, &journal).unwrap();
    // No key: the writer's check on the clock's second finds it.
    s.wait_for("NOT SAVED (5)");
    s.wait_for("replaced by another file");
    s.keys("q");
    s.wait_for("Entries NOT SAVED");
    s.keys("f");
    assert!(s.wait_exit().success());
    let f = fallbacks(dir.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert_complete(&f[0], 5);
}

/// Issue 24, failure 7: `chmod 000` on the journal's directory was called
/// "removed, replaced or cut short", and the header said the agenda file
/// was gone; the journal was intact. Now the header says permission
/// denied (no key pressed), nothing is called removed or gone, and once
/// the permission is back the screen says saved and quits with the
/// journal whole and no fallback.
#[cfg(unix)]
#[test]
fn a_journal_directory_without_permission_is_said_as_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, journal) = setup();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, "").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let root = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).unwrap();
    let bin = env!("CARGO_BIN_EXE_showcall");
    let mut s = if root {
        // Root looks into any directory: run as nobody, who owns this one.
        let setpriv = Path::new("/usr/bin/setpriv");
        if !setpriv.exists() {
            eprintln!("skipped: running as root without setpriv");
            return;
        }
        std::os::unix::fs::chown(dir.path(), Some(65534), Some(65534)).unwrap();
        let args = [
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            bin,
            "--at",
            "15:00",
        ];
        Screen::spawn_program(dir.path(), "/usr/bin/setpriv", &args, 160, 40)
    } else {
        Screen::spawn_program(dir.path(), bin, &["--at", "15:00"], 160, 40)
    };
    five_saved_entries(&mut s, &journal);
    s.wait_for("● saved");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o000)).unwrap();
    s.wait_for("permission denied");
    // Long enough for the agenda's check to have run twice too.
    std::thread::sleep(Duration::from_millis(2500));
    let text = s.text();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(!text.contains("removed"), "{text}");
    assert!(!text.contains("gone"), "{text}");
    // Nothing was lost: no entry is at risk.
    assert!(text.contains("NOT SAVED (0)"), "{text}");
    s.wait_for("● saved");
    s.keys("q");
    if s.text().contains("is live") {
        s.keys("y");
    }
    assert!(s.wait_exit().success(), "{}", s.text());
    assert_complete(&journal, 5);
    assert!(fallbacks(dir.path()).is_empty());
}
