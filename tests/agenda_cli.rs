//! `showcall check` on the real binary: exit 0 and the schedule for a good
//! agenda, exit 2 and located diagnostics on stderr for a bad one.

/// The real binary, run from the package root (as cargo runs tests).
fn showcall() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_showcall"))
}

#[test]
fn check_prints_the_reference_schedule() {
    let out = showcall().args(["check", "agenda.toml"]).output().unwrap();
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
    let out = showcall()
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
    let out = showcall()
        .args(["check", "tests/fixtures/agenda/absent.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("showcall: tests/fixtures/agenda/absent.toml: no such file"),
        "{stderr}"
    );
}

/// `showcall check big.toml | head`: the reader goes away after a few lines.
/// The rest is not wanted, and that is no crash: no panic, no backtrace.
#[test]
fn a_reader_that_goes_away_is_no_crash() {
    use std::process::Stdio;
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
    let mut child = showcall()
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

/// Runs the binary with no terminal: `output` gives it no standard input
/// and pipes standard output.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = showcall().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_missing_agenda_names_the_agenda_files_beside_it() {
    let (code, _, err) = run(&["tests/fixtures/agenda/absent.toml"]);
    assert_eq!(code, Some(2), "{err}");
    // The screen was asked for, not `check`: the help names the files there.
    assert!(!err.contains("showcall check"), "{err}");
    assert!(
        err.contains("agenda files in tests/fixtures/agenda:"),
        "{err}"
    );
    assert!(err.contains("bad_time.toml"), "{err}");
}

#[test]
fn bad_flags_are_reported_before_the_missing_terminal() {
    for args in [
        &["--speed", "0"][..],
        &["speaker", "--speed", "0"],
        &["--speed=-3"],
        &["--speed", "nan"],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("more than 0, at most 10000"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("between 0"), "{err}");
        assert!(!err.contains("needs a terminal"), "{args:?}: {err}");
    }
    for args in [&["--at", "25:99"][..], &["speaker", "--at", "nonsense"]] {
        let (code, _, err) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.starts_with("showcall: --at "), "{args:?}: {err}");
    }
    // Good flags, still no terminal: now that is the problem.
    let (code, _, err) = run(&["--speed", "10"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("needs a terminal"), "{err}");
}

#[test]
fn check_offers_only_the_flags_it_uses() {
    let (code, help, _) = run(&["check", "--help"]);
    assert_eq!(code, Some(0));
    assert!(!help.contains("--speed"), "{help}");
    assert!(help.contains("--at"), "{help}");
    assert!(help.contains("--status"), "{help}");
    let (code, _, err) = run(&["check", "--speed", "2"]);
    assert_eq!(code, Some(2), "{err}");
}
