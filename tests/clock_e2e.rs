//! End to end, the journal's one clock: the README's demo never touches the
//! real journal (nor creates any file until something is logged), and the
//! operator and speaker screens of one sped-up rehearsal, started seconds
//! apart, show the same countdown.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::pty;
use pty::Screen;

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = pty::agenda_dir();
    let journal = dir.path().join("agenda.journal.jsonl");
    (dir, journal)
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

fn lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ok() {
        assert!(Instant::now() < deadline, "{what} never happened");
        std::thread::sleep(Duration::from_millis(30));
    }
}

/// The README's demo command.
const DEMO: [&str; 4] = ["--at", "15:38", "--speed", "10"];

#[test]
fn the_readme_demo_never_touches_the_real_journal() {
    let (dir, journal) = setup();

    // Opened and closed without a key: no file at all.
    let mut s = Screen::spawn(dir.path(), &DEMO, 120, 40);
    s.wait_for("REHEARSAL");
    s.wait_for("NOT STARTED");
    s.keys("q");
    assert!(s.wait_exit().success());
    assert_eq!(names(dir.path()), ["agenda.toml"]);

    // Space, then quit: the start goes to the rehearsal journal, stamped by
    // the show clock the open entry records.
    let mut s = Screen::spawn(dir.path(), &DEMO, 120, 40);
    s.wait_for("NOT STARTED");
    s.keys(" ");
    let rehearsal = dir.path().join("agenda.rehearsal.journal.jsonl");
    wait_until("the start", || {
        rehearsal.exists() && lines(&rehearsal).len() == 2
    });
    s.keys("q");
    s.wait_for("is live");
    s.keys("y");
    assert!(s.wait_exit().success());
    assert!(!journal.exists(), "{:?}", names(dir.path()));
    let l = lines(&rehearsal);
    assert_eq!(l[0]["kind"], "open");
    assert_eq!(l[0]["clock"], "show");
    assert_eq!(l[0]["clock_speed"], 10);
    assert_eq!(l[0]["clock_show"], "2023-06-22T15:38:00+02:00");
    assert_eq!(l[1]["kind"], "start");
    assert_eq!(
        names(dir.path()),
        ["agenda.rehearsal.journal.jsonl", "agenda.toml"]
    );

    // A later plain run sees no real show in progress: the event was in
    // 2023, and the screen says so.
    let mut s = Screen::spawn(dir.path(), &[], 120, 40);
    s.wait_for("This event was on Thu 22 Jun 2023");
    // No journal yet: the header does not call it saved.
    s.wait_for("nothing logged yet");
    assert!(!s.text().contains("● saved"), "{}", s.text());
    s.keys("q");
    assert!(s.wait_exit().success());
    assert!(!journal.exists());
    // The last line says so, instead of counting a file that is not there.
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        s.text()
            .contains("nothing logged, so agenda.journal.jsonl was not created"),
        "{}",
        s.text()
    );

    // With a real journal already there, the demo leaves it byte for byte.
    let real = "{\"v\":1,\"seq\":1,\"at\":\"2023-06-22T14:52:11+02:00\",\"kind\":\"open\",\"agenda\":\"agenda.toml\",\"sha256\":\"ab\",\"version\":\"0.1.0\"}\n\
                {\"v\":1,\"seq\":2,\"at\":\"2023-06-22T15:00:03+02:00\",\"kind\":\"start\",\"session\":\"welcome\"}\n";
    std::fs::write(&journal, real).unwrap();
    let mut s = Screen::spawn(dir.path(), &DEMO, 120, 40);
    s.wait_for("REHEARSAL");
    s.keys(" ");
    wait_until("a new rehearsal's start", || {
        rehearsal.exists() && lines(&rehearsal).len() == 2
    });
    s.keys("q");
    s.wait_for("is live");
    s.keys("y");
    assert!(s.wait_exit().success());
    assert_eq!(std::fs::read_to_string(&journal).unwrap(), real);
    // The demo began afresh at 15:38 and kept the first one aside.
    assert_eq!(names(dir.path()).len(), 4, "{:?}", names(dir.path()));
}

/// The big digits on a screen, as rows of font pixels: the first block of
/// rows holding '█' (within the columns `cols` of each row), trimmed, with
/// each font pixel reduced to one cell whatever its size on screen. Two
/// screens showing the same text in the same font give the same rows.
fn big_digits(text: &str, cols: impl Fn(&str) -> String) -> Vec<String> {
    let rows: Vec<String> = text.lines().map(cols).collect();
    let Some(top) = rows.iter().position(|r| r.contains('█')) else {
        return Vec::new();
    };
    let block: Vec<Vec<bool>> = rows[top..]
        .iter()
        .take_while(|r| r.contains('█') && !r.contains('▀') && !r.contains('▄'))
        .map(|r| r.chars().map(|c| c == '█').collect())
        .collect();
    let width = block.iter().map(Vec::len).max().unwrap_or(0);
    let on = |r: &Vec<bool>, c: usize| r.get(c).copied().unwrap_or(false);
    let left = (0..width)
        .find(|&c| block.iter().any(|r| on(r, c)))
        .unwrap_or(0);
    let right = (0..width)
        .rev()
        .find(|&c| block.iter().any(|r| on(r, c)))
        .unwrap_or(0);
    let gcd = |mut a: usize, mut b: usize| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    // A pixel is as wide as the greatest common length of every run.
    let mut cw = 0;
    for r in &block {
        let mut run = 1;
        for c in left + 1..=right + 1 {
            if c <= right && on(r, c) == on(r, c - 1) {
                run += 1;
            } else {
                cw = gcd(cw, run);
                run = 1;
            }
        }
    }
    // …and as tall as the greatest common length of runs of equal rows.
    let mut rh = 0;
    let mut run = 1;
    for i in 1..=block.len() {
        if i < block.len() && block[i] == block[i - 1] {
            run += 1;
        } else {
            rh = gcd(rh, run);
            run = 1;
        }
    }
    block
        .iter()
        .step_by(rh.max(1))
        .map(|r| {
            (left..=right)
                .step_by(cw.max(1))
                .map(|c| if on(r, c) { '#' } else { '.' })
                .collect()
        })
        .collect()
}

/// The operator's NOW panel: the text between the first two '│' of a row.
fn now_panel(row: &str) -> String {
    row.split('│').nth(1).unwrap_or("").to_owned()
}

/// Samples both screens until they show the same digits (they redraw on
/// their own show-clock seconds, a tenth of a real second apart at 10×).
fn agree(op: &Screen, sp: &Screen) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let a = big_digits(&op.text(), now_panel);
        let b = big_digits(&sp.text(), str::to_owned);
        if !a.is_empty() && a == b {
            return a;
        }
        assert!(
            Instant::now() < deadline,
            "the screens never agreed:\n{}\n\n{}\n\n{}",
            a.join("\n"),
            b.join("\n"),
            sp.text()
        );
        std::thread::sleep(Duration::from_millis(7));
    }
}

#[test]
fn operator_and_speaker_of_one_rehearsal_show_the_same_countdown() {
    let (dir, journal) = setup();
    let mut op = Screen::spawn(dir.path(), &["--rehearse", "--speed", "10"], 120, 40);
    op.wait_for("REHEARSAL");
    // Three real seconds later: 30 show seconds. A clock of its own would
    // now be 30 s behind (and its plan could start a minute later); the
    // clock the operator announced in the journal's owner file (nothing is
    // logged yet, so there is no journal) agrees.
    std::thread::sleep(Duration::from_secs(3));
    let mut sp = Screen::spawn(dir.path(), &["speaker", "--rehearse"], 80, 24);
    sp.wait_for("REHEARSAL");

    // GO (at 10×, the rehearsal's first session is due within six real
    // seconds of the start): the speaker sees the start, and both count
    // the session's ten minutes down together.
    op.keys(" ");
    wait_until("the speaker to show the live session", || {
        sp.text().starts_with("Welcome Remarks")
    });
    let first = agree(&op, &sp);
    std::thread::sleep(Duration::from_secs(1));
    let second = agree(&op, &sp);
    assert_ne!(first, second, "the countdown moves");
    let rehearsal = dir.path().join("agenda.rehearsal.journal.jsonl");
    assert_eq!(lines(&rehearsal)[0]["clock_speed"], 10);

    sp.keys("q");
    assert!(sp.wait_exit().success());
    op.keys("q");
    op.wait_for("is live");
    op.keys("y");
    assert!(op.wait_exit().success());
    assert!(!journal.exists());
}

/// Rehearsal journals beside the agenda: the current one and those kept.
fn rehearsals(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with("agenda.rehearsal"))
        .collect()
}

#[test]
fn a_new_rehearsal_keeps_the_last_one() {
    let (dir, journal) = setup();
    let rehearsal = dir.path().join("agenda.rehearsal.journal.jsonl");
    let log_a_start = |args: &[&str]| {
        let mut s = Screen::spawn(dir.path(), args, 120, 40);
        s.wait_for("REHEARSAL");
        s.keys(" ");
        wait_until("the start", || {
            rehearsal.exists() && lines(&rehearsal).len() == 2
        });
        s.keys("q");
        s.wait_for("is live");
        s.keys("y");
        assert!(s.wait_exit().success());
    };
    log_a_start(&["--rehearse"]);
    let first = std::fs::read(&rehearsal).unwrap();

    // Reopened within six hours, it is carried on...
    let mut s = Screen::spawn(dir.path(), &["--rehearse"], 120, 40);
    s.wait_for("start · Welcome Remarks");
    s.keys("q");
    s.wait_for("is live");
    s.keys("y");
    assert!(s.wait_exit().success());
    assert_eq!(rehearsals(dir.path()), ["agenda.rehearsal.journal.jsonl"]);

    // ...unless --new: the last one is kept under a stamped name, and the
    // new one starts with nothing logged.
    let mut s = Screen::spawn(dir.path(), &["--rehearse", "--new"], 120, 40);
    s.wait_for("the earlier");
    s.keys("q");
    assert!(s.wait_exit().success());
    let kept = rehearsals(dir.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(kept[0].starts_with("agenda.rehearsal-") && kept[0].ends_with("Z.journal.jsonl"));
    assert_eq!(std::fs::read(dir.path().join(&kept[0])).unwrap(), first);

    // On the off-day screen: R, then N in the dialog, does the same.
    log_a_start(&["--rehearse"]);
    let mut s = Screen::spawn(dir.path(), &[], 120, 40);
    s.wait_for("This event was on");
    s.keys("R");
    s.wait_for("new rehearsal");
    s.keys("N");
    s.wait_for("the earlier");
    s.wait_for("REHEARSAL");
    s.keys("q");
    assert!(s.wait_exit().success());
    // Kept twice now (a second stamp, or the same one with -2), and
    // nothing logged since; the real journal was never written.
    assert_eq!(rehearsals(dir.path()).len(), 2, "{:?}", names(dir.path()));
    assert!(!rehearsal.exists());
    assert!(!journal.exists());
}
