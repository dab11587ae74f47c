//! Data-driven bad-input tests: every `tests/fixtures/agenda/*.toml` must be
//! rejected with exactly the diagnostics in its sibling `.expected` file
//! (locations, messages, source lines, carets and help).
//!
//! To regenerate after an intended change of wording, run with
//! `UPDATE_EXPECTED=1` and review the diff before committing.

use std::path::{Path, PathBuf};

use showcall::agenda::Agenda;

const DIR: &str = "tests/fixtures/agenda";

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(DIR)
        .expect("fixture dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_bad_fixture_gets_its_expected_diagnostics() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    let all = fixtures();
    assert!(all.len() >= 15, "fixtures went missing: {all:?}");
    for path in all {
        let shown = match Agenda::load(&path) {
            Ok(_) => {
                failures.push(format!("{}: accepted, but it is bad input", path.display()));
                continue;
            }
            Err(d) => format!("{d}\n"),
        };
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &shown).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("missing {}", expected_path.display()));
        if shown != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{shown}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The headline `file:line:col: message` of each diagnostic.
fn headlines(path: &str) -> Vec<String> {
    let err = Agenda::load(Path::new(path)).expect_err("bad input");
    err.0
        .iter()
        .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.col, d.message))
        .collect()
}

// The full expected files above pin everything; these spell out the key
// facts of each class so a careless regeneration cannot hide a regression.

#[test]
fn syntax_error_is_located() {
    let h = headlines("tests/fixtures/agenda/syntax.toml");
    assert!(
        h[0].starts_with("tests/fixtures/agenda/syntax.toml:2:"),
        "{h:?}"
    );
    assert!(h[0].contains("invalid TOML"), "{h:?}");
}

#[test]
fn unknown_keys_suggest_the_right_one() {
    let err = Agenda::load(Path::new("tests/fixtures/agenda/unknown_key.toml")).unwrap_err();
    let find = |needle: &str| {
        err.0
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no {needle} in {err}"))
    };
    let d = find("'titel'");
    assert_eq!((d.line, d.col), (2, 1));
    assert_eq!(d.help.as_deref(), Some("did you mean `title`?"));
    assert_eq!(
        find("'sesion'").help.as_deref(),
        Some("did you mean `session`?")
    );
    assert_eq!(
        find("'durration'").help.as_deref(),
        Some("did you mean `duration`?")
    );
    assert_eq!(
        find("'speaker'").help.as_deref(),
        Some("did you mean `speakers`?")
    );
    assert!(
        find("'colour'")
            .help
            .as_deref()
            .unwrap()
            .contains("the keys of session 'welcome' are")
    );
}

#[test]
fn malformed_times_and_durations_are_quoted_and_located() {
    let h = headlines("tests/fixtures/agenda/bad_time.toml");
    let f = "tests/fixtures/agenda/bad_time.toml";
    assert!(h.contains(&format!(
        "{f}:9:9: malformed time '25:00' for `start` in session 'welcome': hours run from 00 to 23"
    )), "{h:#?}");
    assert!(
        h.contains(&format!(
            "{f}:15:9: malformed time '9h' for `start` in session 'panel'"
        )),
        "{h:#?}"
    );
    assert!(
        h.contains(&format!(
            "{f}:22:7: malformed time '16:7' for `end` in session 'qa'"
        )),
        "{h:#?}"
    );
    let h = headlines("tests/fixtures/agenda/bad_duration.toml");
    let f = "tests/fixtures/agenda/bad_duration.toml";
    for want in [
        format!("{f}:10:12: malformed duration '-5m' for `duration` in session 'welcome'"),
        format!(
            "{f}:16:12: duration '0m' must be longer than zero for `duration` in session 'panel'"
        ),
        format!("{f}:22:12: malformed duration 'ten' for `duration` in session 'qa'"),
    ] {
        assert!(h.contains(&want), "{want}\n{h:#?}");
    }
}

#[test]
fn missing_required_fields_are_all_named() {
    let h = headlines("tests/fixtures/agenda/missing_fields.toml").join("\n");
    for key in ["title", "date", "timezone"] {
        assert!(h.contains(&format!("missing `{key}` in [event]")), "{h}");
    }
    assert!(h.contains("missing `id` in session 1"), "{h}");
    assert!(h.contains("missing `start` in session 1"), "{h}");
    assert!(h.contains("missing `title` in session 'panel'"), "{h}");
}

#[test]
fn zones_dates_and_ids() {
    let err = Agenda::load(Path::new("tests/fixtures/agenda/unknown_zone.toml")).unwrap_err();
    assert_eq!(
        err.0[0].message,
        "unknown time zone 'Europe/Zurik' in `timezone`"
    );
    assert_eq!(
        err.0[0].help.as_deref(),
        Some("did you mean \"Europe/Zurich\"?")
    );
    assert!(err.0[1].message.contains("'CEST'"), "{err}");

    let h = headlines("tests/fixtures/agenda/impossible_date.toml");
    assert!(
        h[0].ends_with(":3:8: impossible date '2023-02-30' for `date` in [event]"),
        "{h:?}"
    );
    assert!(
        h[1].ends_with(":14:8: impossible date '2023-04-31' for `date` in session 'day-two'"),
        "{h:?}"
    );

    let h = headlines("tests/fixtures/agenda/duplicate_id.toml");
    assert!(
        h.iter()
            .any(|l| l.ends_with(":17:6: duplicate session id 'welcome'")),
        "{h:?}"
    );
    assert!(
        h.iter()
            .any(|l| l.contains(":23:6: invalid id 'Closing Remarks'")),
        "{h:?}"
    );
}

#[test]
fn order_and_overlap() {
    let f = "tests/fixtures/agenda/out_of_order.toml";
    let h = headlines(f);
    assert_eq!(
        h,
        vec![
            format!("{f}:15:9: session 'panel' starts at 15:05, before 'welcome' ends at 15:10"),
            format!("{f}:21:9: session 'qa' starts at 14:00, before 'panel' starts at 15:05"),
        ]
    );
    let f = "tests/fixtures/agenda/end_before_start.toml";
    let err = Agenda::load(Path::new(f)).unwrap_err();
    assert_eq!(
        err.0[0].message,
        "session 'late' ends at 01:00, before its start at 23:00"
    );
    assert_eq!(
        err.0[0].help.as_deref(),
        Some("for a session that runs past midnight, use `duration`")
    );
    assert_eq!((err.0[0].line, err.0[0].col), (10, 7));
    assert!(
        err.0[1].message.contains("has both `end` and `duration`"),
        "{err}"
    );
}

#[test]
fn unsafe_text_names_the_field() {
    let err = Agenda::load(Path::new("tests/fixtures/agenda/control_chars.toml")).unwrap_err();
    let all: Vec<&str> = err.0.iter().map(|d| d.message.as_str()).collect();
    for want in [
        "`title` in [event] contains a terminal escape sequence (U+001B)",
        "`venue` in [event] contains a control character (U+0007)",
        "item 2 of `languages` in [event] contains a bidirectional control character (U+202E)",
        "item 2 of `speakers` in session 'welcome' contains a terminal escape sequence (U+009B)",
        "`notes` in session 'welcome' contains a control character (U+0007)",
        "`id` of session 2 contains a control character (U+0000)",
        "`title` in session 2 contains a control character (U+0009)",
    ] {
        assert!(all.contains(&want), "{want}\n{all:#?}");
    }
    assert_eq!(
        all.len(),
        7,
        "tabs and newlines in notes are fine: {all:#?}"
    );
    // Nothing unsafe is echoed back to the terminal.
    let shown = err.to_string();
    assert!(
        !shown
            .chars()
            .any(|c| c != '\n' && showcall::text::is_unsafe_char(c)),
        "{shown:?}"
    );
}

#[test]
fn file_level_problems() {
    let h = headlines("tests/fixtures/agenda/not_utf8.toml");
    assert_eq!(
        h,
        vec!["tests/fixtures/agenda/not_utf8.toml:2:13: file is not UTF-8: invalid byte 0xe9"]
    );
    let h = headlines("tests/fixtures/agenda/empty.toml");
    assert_eq!(
        h,
        vec!["tests/fixtures/agenda/empty.toml:0:0: file is empty"]
    );

    let err = Agenda::load(Path::new("tests/fixtures/agenda/no-such-file.toml")).unwrap_err();
    assert_eq!(err.0[0].message, "no such file");
    assert!(err.0[0].help.is_some());
    assert!(
        err.to_string()
            .starts_with("tests/fixtures/agenda/no-such-file.toml: no such file")
    );

    let err = Agenda::load(Path::new("tests/fixtures/agenda")).unwrap_err();
    assert_eq!(
        err.0[0].message,
        "'tests/fixtures/agenda' is a directory, not an agenda file"
    );

    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    let limit = usize::try_from(showcall::agenda::MAX_AGENDA_BYTES).unwrap();
    std::fs::write(&big, "#".repeat(limit + 1)).unwrap();
    let err = Agenda::load(&big).unwrap_err();
    assert!(
        err.0[0]
            .message
            .starts_with("file is too big (1048577 bytes)"),
        "{err}"
    );
    let err = Agenda::parse("#".repeat(limit + 1).as_bytes(), "big.toml").unwrap_err();
    assert!(err.0[0].message.starts_with("file is too big"), "{err}");
}
