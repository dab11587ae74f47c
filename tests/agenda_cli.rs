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
