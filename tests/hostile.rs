//! Hostile text: every field of every journal entry kind, and every agenda
//! text field, carry control characters, C1 controls, bidi overrides, ESC
//! sequences and an OSC 52 clipboard write. No output of the real binary
//! (check, check --status, check --journal, the four report formats, report's
//! stderr) may carry any of them: everything goes through `text::sanitize`.
//!
//! The smallest input of issue 14 (an `at` holding a screen clear and an
//! OSC 52 write) is one of the cases.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::pty;
use showcall::text::is_unsafe_char;

/// A screen clear, a clipboard write, CSI as one C1 byte, a right-to-left
/// override, an isolate, NUL, CR/LF, NEL, DEL and a line separator.
const HOSTILE: &str =
    "\u{1b}[2J\u{1b}]52;c;SGVsbG8=\u{7}\u{9b}31m\u{202e}evil\u{2066}\u{0}\r\n\u{85}\u{7f}\u{2028}x";

/// The issue's smallest input: `at` is a screen clear plus an OSC 52 write.
const ISSUE_AT: &str = "\u{1b}[2J\u{1b}]52;c;SGVsbG8=\u{7}";

const AGENDA: &str = r#"[event]
title = "GCM Talk"
date = "2023-06-22"
timezone = "Europe/Zurich"

[[session]]
id = "welcome"
title = "Welcome"
start = "15:00"
duration = "10m"
speakers = ["Ana"]

[[session]]
id = "panel"
title = "Panel"
start = "15:10"
duration = "30m"
intervention = "3m"
"#;

/// Fails with the output and the first bad character if `out` carries
/// anything unsafe. Line ends are ours and allowed: `\n`, and the CSV's
/// `\r\n` (the sanitiser turns an input `\r` into a space, so an input
/// can never produce one).
fn assert_clean(what: &str, out: &[u8]) {
    let text = String::from_utf8_lossy(out).replace("\r\n", "\n");
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| c != '\n' && is_unsafe_char(c))
    {
        panic!(
            "{what}: unsafe character U+{:04X} at byte {i}:\n{}",
            c as u32,
            text.escape_debug()
        );
    }
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_showcall"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run showcall")
}

/// Every command that reads the journal, every output it has.
fn every_output(dir: &Path, journal: &str) -> Vec<(String, std::process::Output)> {
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["check", "--journal", journal],
        vec!["check", "--status", "--at", "15:20", "--journal", journal],
    ];
    for f in ["md", "csv", "json", "svg"] {
        runs.push(vec![
            "report",
            "--format",
            f,
            "--at",
            "16:00",
            "--journal",
            journal,
        ]);
    }
    runs.into_iter()
        .map(|args| (args.join(" "), run(dir, &args)))
        .collect()
}

fn line(seq: u64, at: &str, kind: &str, fields: Value) -> String {
    let mut m = json!({"v": 1, "seq": seq, "at": at, "kind": kind});
    for (k, v) in fields.as_object().unwrap() {
        m[k] = v.clone();
    }
    m.to_string()
}

/// One entry of every kind, each string field hostile (sessions too: a
/// session the agenda lacks is reported, quoting its id).
fn hostile_journal() -> String {
    let h = HOSTILE;
    let at = |m: u32| format!("2023-06-22T15:{m:02}:00+02:00");
    let lines = [
        line(
            1,
            &at(0),
            "open",
            json!({"agenda": h, "sha256": h, "version": h}),
        ),
        line(2, &at(1), "start", json!({"session": "welcome"})),
        line(3, &at(2), "start", json!({"session": h})),
        line(
            4,
            &at(3),
            "overrun",
            json!({"session": h, "over_s": 4, "note": h}),
        ),
        line(
            5,
            &at(4),
            "overrun",
            json!({"session": "welcome", "over_s": 4, "note": h}),
        ),
        line(
            6,
            &at(5),
            "speaker",
            json!({"session": "welcome", "change": "replace", "from": h, "to": h, "note": h}),
        ),
        line(
            7,
            &at(6),
            "speaker",
            json!({"session": h, "change": "add", "to": h}),
        ),
        line(
            8,
            &at(7),
            "adjust",
            json!({"session": "welcome", "delta_s": 60, "note": h}),
        ),
        line(9, &at(8), "adjust", json!({"session": h, "delta_s": 60})),
        line(10, &at(10), "start", json!({"session": "panel"})),
        line(
            11,
            &at(11),
            "floor",
            json!({"session": "panel", "speaker": h}),
        ),
        line(12, &at(12), "floor", json!({"session": h, "speaker": h})),
        line(13, &at(13), "floor_close", json!({"session": h})),
        line(14, &at(14), "message", json!({"text": h})),
        line(15, &at(15), "note", json!({"text": h, "session": h})),
        line(16, &at(16), "note", json!({"text": h, "session": "panel"})),
        line(17, &at(17), "undo", json!({"target": 16})),
        line(18, &at(18), h, json!({h: h, "text": h})),
        line(19, &at(19), "skip", json!({"session": h, "note": h})),
        line(20, &at(20), "skip", json!({"session": "panel", "note": h})),
        line(
            21,
            &at(21),
            "agenda",
            json!({
                "sha256": h, "added": [h], "removed": [h], "retimed": [h, "panel"], "retitled": [h],
                "was": [{"session": h, "title": h, "start": at(10), "end": at(40)},
                        {"session": "panel", "title": h, "start": at(10), "end": at(40)}],
            }),
        ),
        line(
            22,
            &at(22),
            "floor_name",
            json!({"session": "panel", "floor": 11, "speaker": h}),
        ),
        line(23, &at(23), "end", json!({"session": h})),
    ];
    lines.join("\n") + "\n"
}

fn setup(journal: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("agenda.toml"), AGENDA).unwrap();
    std::fs::write(dir.path().join("j.jsonl"), journal).unwrap();
    dir
}

#[test]
fn hostile_text_in_every_field_of_every_kind_reaches_no_output() {
    let dir = setup(&hostile_journal());
    for (what, out) in every_output(dir.path(), "j.jsonl") {
        assert_clean(&format!("{what} (stdout)"), &out.stdout);
        assert_clean(&format!("{what} (stderr)"), &out.stderr);
        assert!(
            out.status.code().is_some_and(|c| c == 0 || c == 2),
            "{what}: {:?}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The text is still there, made safe: the report shows it, replaced.
    let md = run(
        dir.path(),
        &["report", "--at", "16:00", "--journal", "j.jsonl"],
    );
    assert!(String::from_utf8_lossy(&md.stdout).contains("\u{FFFD}evil"));
}

/// Fields whose hostile value makes the line damaged: the diagnostics quote
/// the bad value, and must quote it safely.
#[test]
fn hostile_values_in_diagnostics_are_sanitised() {
    let h = HOSTILE;
    let good = line(
        1,
        "2023-06-22T15:00:00+02:00",
        "open",
        json!({"agenda": "a", "sha256": "0", "version": "1"}),
    );
    let at = "2023-06-22T15:01:00+02:00";
    let damaged = [
        line(2, ISSUE_AT, "start", json!({"session": "welcome"})),
        line(2, h, "start", json!({"session": "welcome"})),
        line(2, at, "speaker", json!({"session": "welcome", "change": h})),
        format!(
            r#"{{"v":1,"seq":"{}","at":"{at}","kind":"start","session":"welcome"}}"#,
            json!(h).as_str().unwrap().escape_default()
        ),
        line(2, at, "start", json!({"session": 5}))
            .replace("5", &json!(h).to_string())
            .replace("\"session\":", "\"v\":"),
        line(2, at, "adjust", json!({"session": "welcome", "delta_s": h})),
        line(2, at, "undo", json!({"target": h})),
        line(2, at, "note", json!({"text": 7}))
            .replace("7", &json!(h).to_string())
            .replace("\"text\":", "\"kind\":"),
        format!(
            "{{\"v\":1,\"seq\":2,\"at\":\"{at}\",\"kind\":\"note\",\"text\":{}",
            json!(h)
        ),
        format!("{h}{{\"v\":1}}"),
        String::from_utf8_lossy(b"\x1b[2J\xc2\x9b\xff\xfe{").into_owned(),
    ];
    for (i, bad) in damaged.iter().enumerate() {
        // Damaged in the middle (a problem) and as the last line (torn).
        for tail in [true, false] {
            let mut j = format!("{good}\n{bad}\n");
            if !tail {
                j.push_str(&line(3, at, "note", json!({"text": "after"})));
                j.push('\n');
            }
            let dir = setup(&j);
            for (what, out) in every_output(dir.path(), "j.jsonl") {
                let what = format!("case {i} (tail {tail}): {what}");
                assert_clean(&format!("{what} (stdout)"), &out.stdout);
                assert_clean(&format!("{what} (stderr)"), &out.stderr);
            }
            let check = run(dir.path(), &["check", "--journal", "j.jsonl"]);
            // Case 7 names an unknown kind: kept with a warning, not damage.
            if !tail && i != 7 {
                assert_eq!(check.status.code(), Some(2), "case {i}: a damaged journal");
                assert!(
                    String::from_utf8_lossy(&check.stdout).contains("j.jsonl:2:"),
                    "case {i}: located at line 2:\n{}",
                    String::from_utf8_lossy(&check.stdout)
                );
            }
        }
    }
}

/// The agenda's text fields are refused when they hold control characters;
/// the refusal quotes nothing raw.
#[test]
fn hostile_agenda_text_is_refused_safely() {
    let esc = |s: &str| {
        s.chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c.to_string()
                } else {
                    format!("\\U{:08X}", c as u32)
                }
            })
            .collect::<String>()
    };
    let h = esc(HOSTILE);
    for field in ["title", "venue", "speakers", "notes", "id"] {
        let value = if field == "speakers" {
            format!("[\"{h}\"]")
        } else {
            format!("\"{h}\"")
        };
        let agenda = if field == "venue" {
            AGENDA.replacen("timezone", &format!("venue = {value}\ntimezone"), 1)
        } else if field == "id" || field == "title" {
            AGENDA
                .replacen(
                    &format!("{field} = \"welcome\""),
                    &format!("{field} = {value}"),
                    1,
                )
                .replacen(
                    &format!("{field} = \"Welcome\""),
                    &format!("{field} = {value}"),
                    1,
                )
        } else {
            AGENDA.replacen(
                "duration = \"10m\"",
                &format!("duration = \"10m\"\n{field} = {value}"),
                1,
            )
        };
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("agenda.toml"), &agenda).unwrap();
        for args in [
            vec!["check"],
            vec!["check", "--status", "--at", "15:20"],
            vec!["report", "--journal", "none.jsonl"],
        ] {
            let out = run(dir.path(), &args);
            assert_eq!(out.status.code(), Some(2), "{field}: {args:?}");
            assert_clean(&format!("{field} {args:?}"), &out.stdout);
            assert_clean(&format!("{field} {args:?}"), &out.stderr);
        }
    }
    // Raw bytes in the TOML source itself (not escapes): shown in the quoted
    // source line, sanitised.
    let dir = tempfile::tempdir().unwrap();
    let raw = AGENDA.replacen("Welcome", &format!("Wel{HOSTILE}come"), 1);
    std::fs::write(dir.path().join("agenda.toml"), raw).unwrap();
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert_clean("raw agenda", &out.stdout);
    assert_clean("raw agenda", &out.stderr);
}

/// A path is input too: a journal path holding an escape sequence is
/// quoted safely in every message that names it.
#[test]
fn hostile_file_names_are_quoted_safely() {
    let dir = setup("");
    let name = "j\u{1b}]52;c;SGVsbG8=\u{7}.jsonl";
    std::fs::write(
        dir.path().join(name),
        format!(
            "{}\n{{bad\n{{\"v\":1}}\n",
            line(
                1,
                "2023-06-22T15:00:00+02:00",
                "open",
                json!({"agenda": "a", "sha256": "0", "version": "1"})
            )
        ),
    )
    .unwrap();
    for (what, out) in every_output(dir.path(), name) {
        assert_clean(&format!("{what} (stdout)"), &out.stdout);
        assert_clean(&format!("{what} (stderr)"), &out.stderr);
    }
    let missing = run(dir.path(), &["report", "--journal", "\u{1b}[2Jmissing"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_clean("missing journal", &missing.stderr);
}

/// What the program writes to a terminal is full of our own escape
/// sequences, so the raw stream is searched for what we never write: an OSC
/// 52 clipboard write, a screen clear from the input, C1 controls and bidi
/// overrides.
fn assert_no_input_escapes(what: &str, raw: &[u8]) {
    let text = String::from_utf8_lossy(raw);
    for bad in [
        "\u{1b}]52",
        "\u{9b}",
        "\u{85}",
        "\u{202e}",
        "\u{2066}",
        "\u{2028}",
        "\u{7}",
    ] {
        assert!(
            !text.contains(bad),
            "{what}: {:?} reached the terminal",
            bad
        );
    }
}

#[test]
fn operator_refusal_at_startup_is_sanitised() {
    // The issue's input on line 2 of 3: damage, so the writer refuses.
    let good = line(
        1,
        "2023-06-22T15:00:00+02:00",
        "open",
        json!({"agenda": "a", "sha256": "0", "version": "1"}),
    );
    let bad = line(2, ISSUE_AT, "start", json!({"session": "welcome"}));
    let after = line(3, "2023-06-22T15:02:00+02:00", "note", json!({"text": "x"}));
    let dir = setup(&format!("{good}\n{bad}\n{after}\n"));
    let mut s = pty::Screen::spawn(dir.path(), &["--journal", "j.jsonl"], 100, 30);
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 2);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let raw = s.raw.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("j.jsonl:2:"), "located refusal:\n{text}");
    // Nothing was set up on the terminal yet: no escape at all may appear.
    assert!(
        !raw.contains(&0x1b),
        "an escape reached the terminal:\n{}",
        text.escape_debug()
    );
    assert_clean("refusal", &raw);
}

#[test]
fn screens_show_hostile_journal_text_safely() {
    let dir = setup(&hostile_journal());
    let mut s = pty::Screen::spawn(
        dir.path(),
        &["--journal", "j.jsonl", "--at", "15:20", "--read-only"],
        120,
        40,
    );
    s.wait_for("Panel");
    std::thread::sleep(std::time::Duration::from_millis(300));
    s.keys("q");
    s.wait_exit();
    assert_no_input_escapes("operator", &s.raw.lock().unwrap());

    let mut s = pty::Screen::spawn(
        dir.path(),
        &["speaker", "--journal", "j.jsonl", "--at", "15:20"],
        120,
        40,
    );
    s.wait_for("Panel");
    std::thread::sleep(std::time::Duration::from_millis(300));
    s.keys("q");
    s.wait_exit();
    assert_no_input_escapes("speaker", &s.raw.lock().unwrap());
}

/// `showcall import`: hostile text in a source's titles, notes, rooms and
/// entry types reaches neither the agenda it writes nor what it prints.
/// (The fuzz found an Ontime entry type quoted raw in a note.)
#[test]
fn import_quotes_hostile_source_text_safely() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/ontime-v3.json"
    ))
    .unwrap();
    let h = json!(HOSTILE).to_string();
    let h = &h[1..h.len() - 1];
    let src = src
        .replace("\"type\": \"delay\"", &format!("\"type\": \"{h}delay\""))
        .replace("\"type\": \"block\"", &format!("\"type\": \"{h}\""))
        .replace("Soundcheck", &format!("Sound{h}check"))
        .replace("band on stage", h);
    // The library's notes (what a caller prints) are made safe too.
    let opts = showcall::import::Options {
        day: Some(showcall::import::DaySel::Date(
            chrono::NaiveDate::from_ymd_opt(2023, 6, 22).unwrap(),
        )),
        timezone: Some(chrono_tz::Europe::Zurich),
        ..Default::default()
    };
    let imported = showcall::import::import(src.as_bytes(), "show.json", &opts).unwrap();
    assert!(!imported.notes.is_empty());
    for n in &imported.notes {
        assert_clean("import note", n.as_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("show.json"), src).unwrap();
    let out = run(
        dir.path(),
        &[
            "import",
            "show.json",
            "--day",
            "2023-06-22",
            "--timezone",
            "Europe/Zurich",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_clean("import stdout", &out.stdout);
    assert_clean("import stderr", &out.stderr);
    assert!(String::from_utf8_lossy(&out.stdout).contains("check"));
}
