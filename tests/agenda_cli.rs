//! `showcall check` on the real binary: exit 0 and the schedule for a good
//! agenda, exit 2 and located diagnostics on stderr for a bad one.

use assert_cmd::cargo::cargo_bin_cmd;

#[test]
fn check_prints_the_reference_schedule() {
    let out = cargo_bin_cmd!("showcall")
        .args(["check", "agenda.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("15:00–15:10 CEST (UTC+02:00)"), "{stdout}");
    assert!(stdout.contains("CEST (UTC+02:00)"), "{stdout}");
    assert!(stdout.contains("5 sessions"), "{stdout}");
}

#[test]
fn check_rejects_bad_input_with_locations() {
    let out = cargo_bin_cmd!("showcall")
        .args(["check", "tests/fixtures/agenda/bad_time.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("tests/fixtures/agenda/bad_time.toml:9:9: malformed time '25:00'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("tests/fixtures/agenda/bad_time.toml:15:9: "),
        "{stderr}"
    );
    assert!(stderr.trim_end().ends_with("3 problems found"), "{stderr}");
}

#[test]
fn check_reports_a_missing_file() {
    let out = cargo_bin_cmd!("showcall")
        .args(["check", "tests/fixtures/agenda/absent.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("tests/fixtures/agenda/absent.toml: no such file"),
        "{stderr}"
    );
}

/// `showcall check big.toml | head`: the reader goes away after a few lines.
/// The rest is not wanted, and that is no crash: no panic, no backtrace.
#[test]
fn a_reader_that_goes_away_is_no_crash() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let mut toml = String::from(
        "[event]\ntitle = \"Big\"\ndate = \"2023-06-22\"\ntimezone = \"Europe/Zurich\"\n",
    );
    // 3,000 one-minute sessions: about 150 KB of schedule, more than a
    // pipe's buffer, so the write meets the closed pipe.
    for i in 0..3000 {
        toml.push_str(&format!(
            "[[session]]\nid = \"s{i}\"\ntitle = \"Session {i}\"\nstart = \"{:02}:{:02}\"\n",
            i / 60 % 24,
            i % 60
        ));
        if i == 1439 {
            break;
        }
    }
    toml.push_str("duration = \"1m\"\n");
    let path = dir.path().join("big.toml");
    std::fs::write(&path, toml).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("showcall"))
        .args(["check", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader is gone before a byte is read
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
