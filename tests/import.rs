//! `showcall import`: one fixture per format (tests/fixtures/import/, written
//! here to reproduce what real exports do), golden agendas (insta snapshots
//! in tests/snapshots/), times worked out by hand, the export round trip,
//! and the command's exit codes and refusals.

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use showcall::agenda::Agenda;
use showcall::import::{DaySel, Options, import};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn run(name: &str, opts: &Options) -> Result<String, String> {
    let bytes = std::fs::read(fixture(name)).unwrap();
    import(&bytes, name, opts)
        .map(|i| i.toml)
        .map_err(|d| d.to_string())
}

fn agenda(toml: &str) -> Agenda {
    Agenda::parse(toml.as_bytes(), "agenda.toml").unwrap_or_else(|d| panic!("{d}\n{toml}"))
}

/// (id, UTC start, minutes) of every session.
fn times(a: &Agenda) -> Vec<(String, String, i64)> {
    a.sessions
        .iter()
        .map(|s| {
            (
                s.id.clone(),
                s.start.format("%Y-%m-%dT%H:%MZ").to_string(),
                (s.end - s.start).num_minutes(),
            )
        })
        .collect()
}

fn row(id: &str, utc: &str, mins: i64) -> (String, String, i64) {
    (id.to_string(), utc.to_string(), mins)
}

fn tz(z: &str) -> Option<chrono_tz::Tz> {
    Some(z.parse().unwrap())
}

#[test]
fn csv_german_semicolons_bom_header_below_notes() {
    let mut opts = Options {
        timezone: tz("Europe/Berlin"),
        ..Options::default()
    };
    // Two rooms and no room chosen: refused, each room listed with its count.
    let err = run("sheet-de.csv", &opts).unwrap_err();
    assert!(err.contains("2 rooms"), "{err}");
    assert!(err.contains("\"Altes Rathaus\" (4 sessions)"), "{err}");
    assert!(err.contains("\"Ratstrinkstube\" (1 session)"), "{err}");
    opts.room = Some("altes rathaus".into());
    let toml = run("sheet-de.csv", &opts).unwrap();
    insta::assert_snapshot!("csv_de", toml);
    let a = agenda(&toml);
    // 28 Oct 2016 is still summer time in Berlin (it ends on the 30th):
    // CEST, UTC+2, so 09:00 local is 07:00Z.
    //   9:00 + "15" (bare number: minutes)            → 07:00Z, 15 min
    //   9:15 + "0:45" (h:mm)                          → 07:15Z, 45 min
    //   10:30, no length: runs until the next (12:00) → 08:30Z, 90 min
    //   "0.5" = half a day = 12:00, "30" minutes      → 10:00Z, 30 min
    // Kaffeepause (group) and Mittag (milestone) are not sessions; the
    // Ratstrinkstube workshop is another room's.
    assert_eq!(
        times(&a),
        vec![
            row("2016-10-28-0900-begrussung", "2016-10-28T07:00Z", 15),
            row(
                "2016-10-28-0915-offene-daten-in-der-stadt",
                "2016-10-28T07:15Z",
                45
            ),
            row(
                "2016-10-28-1030-podium-wem-gehoren-die-daten",
                "2016-10-28T08:30Z",
                90
            ),
            row("2016-10-28-1200-zusammenfassung", "2016-10-28T10:00Z", 30),
        ]
    );
    assert_eq!(a.sessions[1].speakers, ["Ben Beispiel", "Cem Demir"]);
    assert!(
        toml.contains("skipped, not sessions: 1 group row, 1 milestone row, 1 empty row"),
        "{toml}"
    );
}

#[test]
fn csv_map_names_other_headers() {
    let csv = "Wann,Was,Wie lange,Skip\n9:00 AM,Keynote,1h,\n10:00,Cut,5,x\n21h30,Night talk,45,\n";
    let opts = Options {
        timezone: tz("Europe/Zurich"),
        day: Some(DaySel::Date(
            chrono::NaiveDate::from_ymd_opt(2023, 6, 22).unwrap(),
        )),
        map: showcall::import::parse_map("start=Wann,title=Was,duration=Wie lange").unwrap(),
        ..Options::default()
    };
    let a = agenda(&import(csv.as_bytes(), "x.csv", &opts).unwrap().toml);
    // 22 June: CEST, UTC+2. 9:00 AM → 07:00Z for 60 min; 21h30 → 19:30Z for
    // 45 (a bare number: minutes). "Cut" is marked skip.
    assert_eq!(
        times(&a),
        vec![
            row("2023-06-22-0900-keynote", "2023-06-22T07:00Z", 60),
            row("2023-06-22-2130-night-talk", "2023-06-22T19:30Z", 45)
        ]
    );
    // Without the map, no header is found, and the error says how to map.
    let err = import(
        csv.as_bytes(),
        "x.csv",
        &Options {
            map: vec![],
            ..opts
        },
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("x.csv:1:1: no header row"), "{err}");
    assert!(err.contains("--map"), "{err}");
}

#[test]
fn csv_bad_values_are_located() {
    let csv = "start,title,duration\n9:00,A,30\n9:75,B,30\n10:00,C,ten\n";
    let opts = Options {
        timezone: tz("UTC"),
        day: Some(DaySel::Date(
            chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
        )),
        ..Options::default()
    };
    let err = import(csv.as_bytes(), "x.csv", &opts)
        .unwrap_err()
        .to_string();
    assert!(err.contains("x.csv:3:1: '9:75' is not a time"), "{err}");
    assert!(err.contains("x.csv:4:9: 'ten' is not a duration"), "{err}");
    assert!(err.ends_with("2 problems found"), "{err}");
}

/// After quoted fields (a doubled quote, a comma, a line break inside), the
/// column still points at the bad field itself.
#[test]
fn csv_bad_values_after_quoted_fields_are_located_exactly() {
    // Line 2: `"Say ""hi"", all",10:00,ten` — the title is 18 bytes with
    // its quotes and the comma after it, the start 6 with its comma, so
    // 'ten' starts at column 18 + 6 + 1 = 25.
    // Lines 3–4: a title with a line break; the record's second line is
    // `B",9:7x,30`, so '9:7x' starts at column 4.
    let csv = "title,start,duration\n\"Say \"\"hi\"\", all\",10:00,ten\n\"A\nB\",9:7x,30\n";
    let opts = Options {
        timezone: tz("UTC"),
        day: Some(DaySel::Date(
            chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
        )),
        ..Options::default()
    };
    let err = import(csv.as_bytes(), "q.csv", &opts)
        .unwrap_err()
        .to_string();
    assert!(err.contains("q.csv:2:25: 'ten' is not a duration"), "{err}");
    assert!(err.contains("q.csv:4:4: '9:7x' is not a time"), "{err}");
}

#[test]
fn frab_xml_old_shape_uses_day_change() {
    let mut opts = Options {
        room: Some("Janson".into()),
        ..Options::default()
    };
    // No zone anywhere in the file: say so, and what to add.
    let err = run("fosdem-old.xml", &opts).unwrap_err();
    assert!(err.contains("names no time zone"), "{err}");
    assert!(err.contains("--timezone"), "{err}");
    opts.timezone = tz("Europe/Brussels");
    let toml = run("fosdem-old.xml", &opts).unwrap();
    insta::assert_snapshot!("frab_xml", toml);
    let a = agenda(&toml);
    // Brussels in February: CET, UTC+1. day_change is 09:00, so day 1's
    // 00:15 talk is on 4 February, after the 23:30 one.
    assert_eq!(
        times(&a),
        vec![
            row("101", "2018-02-03T09:00Z", 50),
            row("102", "2018-02-03T10:00Z", 50),
            row("103", "2018-02-03T22:30Z", 30),
            row("104", "2018-02-03T23:15Z", 30),
            row("105", "2018-02-04T09:00Z", 60),
        ]
    );
    assert_eq!(a.sessions[0].title, "Opening & welcome");
    assert_eq!(a.sessions[1].title, "Rust fast and safe");
    assert_eq!(a.sessions[0].speakers, ["Ada Lovelace", "Grace Hopper"]);
    // A room the file lists without events is named as such.
    let empty = Options {
        room: Some("h.2215 (ferrer)".into()),
        ..opts.clone()
    };
    let err = run("fosdem-old.xml", &empty).unwrap_err();
    assert!(
        err.contains("lists room \"H.2215 (Ferrer)\", but no sessions in it"),
        "{err}"
    );
    assert!(
        err.contains("\"Janson\" (5 sessions), \"K.1.105\" (1 session)"),
        "{err}"
    );
    // --day 2 is the second conference day only.
    opts.day = Some(DaySel::Index(2));
    assert_eq!(
        times(&agenda(&run("fosdem-old.xml", &opts).unwrap())),
        vec![row("105", "2018-02-04T09:00Z", 60)]
    );
    // --day 1 keeps the after-midnight talk: it belongs to conference day 1.
    opts.day = Some(DaySel::Index(1));
    assert_eq!(
        agenda(&run("fosdem-old.xml", &opts).unwrap())
            .sessions
            .len(),
        4
    );
}

#[test]
fn frab_json_zone_disagreeing_with_offsets() {
    let mut opts = Options {
        room: Some("Gray Room".into()),
        ..Options::default()
    };
    let err = run("democon.json", &opts).unwrap_err();
    // Located on the zone's line (line 13 of the fixture).
    assert!(
        err.starts_with(
            "democon.json:13:7: the source says its time zone is 'UTC', but its times carry +01:00"
        ),
        "{err}"
    );
    opts.timezone = tz("Europe/Berlin");
    let toml = run("democon.json", &opts).unwrap();
    insta::assert_snapshot!("frab_json", toml);
    let a = agenda(&toml);
    // Each event's absolute date, +01:00 → minus one hour in UTC; the
    // 00:15 talk of day 1 is on the 15th, before day 2's 10:00.
    assert_eq!(
        times(&a),
        vec![
            row("25", "2020-12-14T08:00Z", 30),
            row("14", "2020-12-14T08:30Z", 90),
            row("30", "2020-12-14T23:15Z", 45),
            row("31", "2020-12-15T09:00Z", 45),
        ]
    );
    assert_eq!(a.sessions[1].speakers, ["Jeremy Beck", "Amy Cho"]);
    // The date of each later day is written per session.
    assert!(
        toml.contains("date = \"2020-12-15\"\nstart = \"00:15\""),
        "{toml}"
    );
}

#[test]
fn ics_duplicate_uids_reversed_folded_entities_missing_dtend() {
    let mut opts = Options {
        room: Some("XOR".into()),
        ..Options::default()
    };
    // Badge lab 09:30–11:30 and the long talk 11:00–12:00 overlap (Rome, CEST).
    let err = run("camp.ics", &opts).unwrap_err();
    assert!(
        err.contains("camp.ics:26:1: 'A very long title about digital forensics"),
        "{err}"
    );
    assert!(err.contains("before 'Badge soldering lab'"), "{err}");
    assert!(err.contains("--allow-overlap"), "{err}");
    opts.allow_overlap = true;
    let toml = run("camp.ics", &opts).unwrap();
    insta::assert_snapshot!("ics", toml);
    let a = agenda(&toml);
    // All times are UTC (Z); the zone (a VTIMEZONE written as a property)
    // is Europe/Rome, CEST in September: local = UTC + 2.
    //   badge lab   07:30Z, trimmed to end when the next starts (09:00Z): 90 min
    //   long title  09:00Z–10:00Z: 60 min
    //   lightning   11:00Z, no DTEND: until the closing at 13:00Z: 120 min
    //   closing     13:00Z–14:00Z: 60 min
    // UID 900 is shared by three events: they get date-start-title ids.
    assert_eq!(
        times(&a),
        vec![
            row("902", "2024-09-15T07:30Z", 90),
            row(
                "2024-09-15-1100-a-very-long-title-about-digital",
                "2024-09-15T09:00Z",
                60
            ),
            row(
                "2024-09-15-1300-lightning-talks-demos-and-more",
                "2024-09-15T11:00Z",
                120
            ),
            row("2024-09-15-1500-closing-ceremony", "2024-09-15T13:00Z", 60),
        ]
    );
    assert_eq!(a.event.title, "Camp & Code 2024");
    assert_eq!(
        a.sessions[1].title,
        "A very long title about digital forensics that was folded by the exporting program at seventy-five octets"
    );
    assert_eq!(a.sessions[2].title, "Lightning talks, demos and more");
    assert_eq!(
        a.sessions[2].notes.as_deref(),
        Some("Sign up at the desk=free. Fish & chips after.\nBring a laptop.")
    );
}

#[test]
fn ontime_v3_and_v4() {
    let mut opts = Options::default();
    let err = run("ontime-v3.json", &opts).unwrap_err();
    // Both things to add are said at once.
    assert!(
        err.contains("names no time zone") && err.contains("--day YYYY-MM-DD"),
        "{err}"
    );
    opts.timezone = tz("Europe/London");
    opts.day = Some(DaySel::Date(
        chrono::NaiveDate::from_ymd_opt(2024, 7, 6).unwrap(),
    ));
    let toml = run("ontime-v3.json", &opts).unwrap();
    insta::assert_snapshot!("ontime_v3", toml);
    // July in London: BST, UTC+1. 32400000 ms = 9:00 → 08:00Z; 36000000 =
    // 10:00 → 09:00Z; 84600000 = 23:30 → 22:30Z, for 3600000 ms = 60 min
    // (its timeEnd, 00:30, is the next day). The block, the delay and the
    // event marked skip are not sessions.
    assert_eq!(
        times(&agenda(&toml)),
        vec![
            row("a1b2c", "2024-07-06T08:00Z", 30),
            row("d3e4f", "2024-07-06T09:00Z", 30),
            row("g5h6i", "2024-07-06T22:30Z", 60)
        ]
    );
    let toml = run("ontime-v4.json", &opts).unwrap();
    insta::assert_snapshot!("ontime_v4", toml);
    // Group children in order; the milestone skipped; dayOffset 1 is 7 July.
    assert_eq!(
        times(&agenda(&toml)),
        vec![
            row("e1", "2024-07-06T09:00Z", 20),
            row("e2", "2024-07-06T09:25Z", 20),
            row("e3", "2024-07-06T09:50Z", 20),
            row("e4", "2024-07-07T09:00Z", 30),
        ]
    );
}

/// An Ontime-style workbook: instructions above the header, times as day
/// fractions, a serial date, a row with a duration but no start, group and
/// milestone rows.
///
/// The two workbooks are committed (tests/fixtures/import/rundown.xlsx and
/// rundown-bad-time.xlsx, written once with rust_xlsxwriter): row 4 (0-based
/// 3) is the header Date, Cue, Title, Time Start, Time End, Duration, Timer
/// Type, Note; row 5 a milestone "Doors" dated serial 45000 (2023-03-15) in
/// a yyyy-mm-dd cell; row 6 a group-start "Morning"; row 7 cue 1 "Welcome"
/// from 0.375 (9:00, or the text '9:75' in the bad one) to 0.39583 in hh:mm
/// cells; row 8 cue 2 "Talk one" with only a Duration of 0.03125 and the
/// note "Slides on screen".
fn workbook(bad_time: bool) -> Vec<u8> {
    let name = if bad_time {
        "rundown-bad-time.xlsx"
    } else {
        "rundown.xlsx"
    };
    std::fs::read(fixture(name)).unwrap()
}

#[test]
fn xlsx_fractions_serial_dates_header_not_first() {
    let opts = Options {
        timezone: tz("Europe/Zurich"),
        ..Options::default()
    };
    let toml = import(&workbook(false), "rundown.xlsx", &opts)
        .unwrap()
        .toml;
    insta::assert_snapshot!("xlsx", toml);
    // Serial 45000 = 1899-12-30 + 45000 days = 2023-03-15 (CET, UTC+1).
    // 0.375 of a day = 9:00 → 08:00Z, to 0.39583 ≈ 9:30 (34 199.7 s rounds
    // to 9:30:00) → 30 min. "Talk one" has no start: it follows at 9:30 for
    // 0.03125 of a day = 45 min.
    assert_eq!(
        times(&agenda(&toml)),
        vec![
            row("2023-03-15-0900-welcome", "2023-03-15T08:00Z", 30),
            row("2023-03-15-0930-talk-one", "2023-03-15T08:30Z", 45)
        ]
    );
    let err = import(&workbook(true), "rundown.xlsx", &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("rundown.xlsx:'Event schedule'!D7: '9:75' is not a time"),
        "{err}"
    );
}

#[test]
fn round_trip_import_export_import() {
    let opts = Options {
        room: Some("Janson".into()),
        timezone: tz("Europe/Brussels"),
        ..Options::default()
    };
    let first = agenda(&run("fosdem-old.xml", &opts).unwrap());
    let csv = showcall::export::agenda_csv(&first);
    let again = Options {
        title: Some(first.event.title.clone()),
        ..Options::default()
    };
    let second = agenda(
        &import(csv.as_bytes(), "running-order.csv", &again)
            .unwrap()
            .toml,
    );
    assert_eq!(times(&first), times(&second));
    assert_eq!(first.event.tz, second.event.tz);
    assert_eq!(first.event.title, second.event.title);
    for (a, b) in first.sessions.iter().zip(&second.sessions) {
        assert_eq!(
            (&a.title, &a.speakers, &a.notes),
            (&b.title, &b.speakers, &b.notes)
        );
    }
    // A title a spreadsheet would run as a formula survives the guard.
    let toml = "[event]\ntitle = \"T\"\ndate = \"2023-06-22\"\ntimezone = \"Europe/Zurich\"\n\n[[session]]\nid = \"warm\"\ntitle = \"-5 min: =warm-up, +stretch\"\nstart = \"15:00\"\nduration = \"5m\"\nnotes = \"line one\\n@line two\"\n";
    let a = agenda(toml);
    let csv = showcall::export::agenda_csv(&a);
    assert!(csv.contains(",\"'-5 min: =warm-up, +stretch\","), "{csv}");
    let b = agenda(
        &import(
            csv.as_bytes(),
            "x.csv",
            &Options {
                title: Some("T".into()),
                ..Options::default()
            },
        )
        .unwrap()
        .toml,
    );
    assert_eq!(b.sessions[0].title, a.sessions[0].title);
    assert_eq!(b.sessions[0].notes, a.sessions[0].notes);
    assert_eq!(times(&a), times(&b));
}

#[test]
fn moderators_travel_through_export_and_import() {
    // A chair is a role, not a speaker: export writes it in its own
    // column and import reads it back as the same role.
    let toml = "[event]\ntitle = \"T\"\ndate = \"2023-06-22\"\ntimezone = \"Europe/Zurich\"\n\n[[session]]\nid = \"panel\"\ntitle = \"Panel\"\nstart = \"15:00\"\nduration = \"30m\"\nspeakers = [\"Ana\", \"Ben\"]\nmoderators = [\"Chair One\", \"Chair Two\"]\n";
    let a = agenda(toml);
    let csv = showcall::export::agenda_csv(&a);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",timezone,moderators"),
        "{csv}"
    );
    let b = agenda(
        &import(
            csv.as_bytes(),
            "x.csv",
            &Options {
                title: Some("T".into()),
                ..Options::default()
            },
        )
        .unwrap()
        .toml,
    );
    assert_eq!(b.sessions[0].speakers, ["Ana", "Ben"]);
    assert_eq!(b.sessions[0].moderators, ["Chair One", "Chair Two"]);
}

#[test]
fn reimport_of_an_edited_source_keeps_unchanged_ids() {
    let csv =
        "date,start,duration,title\n2023-06-22,15:00,10m,Welcome\n2023-06-22,15:10,20m,Panel\n";
    let edited = "date,start,duration,title\n2023-06-22,15:00,10m,Welcome\n2023-06-22,15:10,25m,Panel\n2023-06-22,15:35,10m,Closing\n";
    let opts = Options {
        timezone: tz("Europe/Zurich"),
        ..Options::default()
    };
    let ids = |s: &str| -> Vec<String> {
        agenda(&import(s.as_bytes(), "x.csv", &opts).unwrap().toml)
            .sessions
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    let before = ids(csv);
    let after = ids(edited);
    assert_eq!(before[..], after[..2]);
}

#[test]
fn last_session_needs_an_end() {
    let csv = "start,title\n9:00,A\n9:30,B\n";
    let mut opts = Options {
        timezone: tz("UTC"),
        day: Some(DaySel::Date(
            chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
        )),
        ..Options::default()
    };
    let err = import(csv.as_bytes(), "x.csv", &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("x.csv:3:1: 'B' is the last session and has no end or duration"),
        "{err}"
    );
    assert!(err.contains("--last-duration 30m"), "{err}");
    opts.last_duration = Some(chrono::TimeDelta::minutes(20));
    let a = agenda(&import(csv.as_bytes(), "x.csv", &opts).unwrap().toml);
    // A runs until B starts (30 min); B gets --last-duration's 20 min.
    assert_eq!(times(&a)[0].2, 30);
    assert_eq!(times(&a)[1].2, 20);
}

#[test]
fn clock_changes_are_located_errors() {
    // 26 March 2023, Europe/Zurich: 02:00 jumps to 03:00, so 02:30 never happens.
    let csv = "date,start,duration,title\n2023-03-26,01:00,30m,A\n2023-03-26,02:30,30m,B\n";
    let opts = Options {
        timezone: tz("Europe/Zurich"),
        ..Options::default()
    };
    let err = import(csv.as_bytes(), "x.csv", &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "x.csv:3:12: 'B' starts at 02:30 on 2023-03-26 does not exist in Europe/Zurich"
        ),
        "{err}"
    );
}

#[test]
fn control_and_bidi_characters_never_reach_the_agenda() {
    let csv = "start,title,duration\n9:00,\"evil\u{1b}[2J\u{202e}txt\",30\n";
    let opts = Options {
        timezone: tz("UTC"),
        day: Some(DaySel::Date(
            chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
        )),
        ..Options::default()
    };
    let a = agenda(&import(csv.as_bytes(), "x.csv", &opts).unwrap().toml);
    assert_eq!(a.sessions[0].title, "evil\u{FFFD}[2J\u{FFFD}txt");
}

fn showcall() -> Command {
    Command::new(env!("CARGO_BIN_EXE_showcall"))
}

/// Runs `c` and asserts that it succeeded, showing what it said if not.
fn succeeds(c: &mut Command) {
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn command_writes_refuses_to_overwrite_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("agenda.toml");
    let src = fixture("democon.json");
    // The zone must be given: exit 2, located message, nothing written.
    let o = showcall()
        .args(["import"])
        .arg(&src)
        .args(["--room", "Gray Room", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("democon.json:13:7:"));
    assert!(!out.exists());
    let ok = || {
        showcall()
            .arg("import")
            .arg(&src)
            .args(["--room", "Gray Room", "--timezone", "Europe/Berlin", "-o"])
            .arg(&out)
            .output()
            .unwrap()
    };
    assert_eq!(ok().status.code(), Some(0));
    let written = std::fs::read_to_string(&out).unwrap();
    succeeds(showcall().arg("check").arg(&out));
    // Again, without --force: refused, the file untouched.
    std::fs::write(&out, "mine").unwrap();
    let o = ok();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    succeeds(
        showcall()
            .arg("import")
            .arg(&src)
            .args([
                "--room",
                "Gray Room",
                "--timezone",
                "Europe/Berlin",
                "--force",
                "-o",
            ])
            .arg(&out),
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    // Export writes the running order; import reads it back.
    let csv = dir.path().join("ro.csv");
    succeeds(
        showcall()
            .arg("export")
            .arg(&out)
            .args(["--format", "csv", "-o"])
            .arg(&csv),
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("id,date,start,duration,title,speakers,notes,timezone,moderators\r\n25,2020-12-14,09:00,30m,Focused hardware,Brian Robinson,,Europe/Berlin,\r\n"), "{text}");
    // Garbage bytes: exit 2, no panic.
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, b"PK\x03\x04\x00\xff\xfe garbage").unwrap();
    let o = showcall().arg("import").arg(&junk).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn realdata_dates_check_against_the_clock() {
    // The agenda's event is in the past, the screens' concern; only that
    // the written instants are exact matters here: 2020-12-14 09:00+01:00.
    let opts = Options {
        room: Some("Gray Room".into()),
        timezone: tz("Europe/Berlin"),
        ..Options::default()
    };
    let a = agenda(&run("democon.json", &opts).unwrap());
    assert_eq!(
        a.sessions[0].start,
        Utc.with_ymd_and_hms(2020, 12, 14, 8, 0, 0).unwrap()
    );
}

#[test]
fn ods_date_and_time_cells() {
    let opts = Options {
        room: Some("Altes Rathaus".into()),
        timezone: tz("Europe/Berlin"),
        last_duration: Some(chrono::TimeDelta::minutes(25)),
        ..Options::default()
    };
    let toml = run("stadtforum.ods", &opts).unwrap();
    insta::assert_snapshot!("ods", toml);
    // OpenDocument writes a date cell as 2016-10-27 and a time cell as
    // PT09H00M00S. 27 October 2016 is CEST (UTC+2): 09:00 → 07:00Z until
    // 09:20 (20 min); 09:20 → 07:20Z until 10:05 (45 min); 10:05 → 08:05Z
    // for --last-duration's 25 min. The Ratstrinkstube workshop is another room's.
    assert_eq!(
        times(&agenda(&toml)),
        vec![
            row("2016-10-27-0900-begrussung", "2016-10-27T07:00Z", 20),
            row("2016-10-27-0920-offene-daten", "2016-10-27T07:20Z", 45),
            row("2016-10-27-1005-zusammenfassung", "2016-10-27T08:05Z", 25),
        ]
    );
}

#[test]
fn frab_xml_with_zone_and_absolute_dates() {
    let xml = r#"<schedule><conference><title>Camp</title><time_zone_name>Europe/Berlin</time_zone_name></conference>
<day index="1" date="2019-08-21"><room name="Curie">
<event id="7" guid="a0a0fcfe-b7fb-46e3-84b6-97a5406016b4"><date>2019-08-21T23:30:00+02:00</date><start>23:30</start><duration>01:00</duration><room>Curie</room><title>Late</title></event>
<event id="8" guid="b0a0fcfe-b7fb-46e3-84b6-97a5406016b4"><date>2019-08-22T00:30:00+02:00</date><start>00:30</start><duration>00:45</duration><room>Curie</room><title>Later</title></event>
</room></day></schedule>"#;
    let a = agenda(
        &import(xml.as_bytes(), "s.xml", &Options::default())
            .unwrap()
            .toml,
    );
    // The zone agrees with +02:00 (CEST in August), so no --timezone is needed.
    // 23:30+02:00 = 21:30Z for 60 min; 00:30+02:00 on the 22nd = 22:30Z for 45.
    assert_eq!(a.event.tz.name(), "Europe/Berlin");
    assert_eq!(
        times(&a),
        vec![
            row("7", "2019-08-21T21:30Z", 60),
            row("8", "2019-08-21T22:30Z", 45)
        ]
    );
    // A syntax error is located.
    let err = import(b"<schedule><day></schedule>", "s.xml", &Options::default())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("s.xml:1:"), "{err}");
}

#[test]
fn ics_tzid_duration_all_day_and_cancelled() {
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=America/New_York:20231105T013000\r\nDURATION:PT20M\r\nSUMMARY:Doubled hour\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    // 01:30 on 5 November 2023 happens twice in New York: refused, located.
    let err = import(ics.as_bytes(), "c.ics", &Options::default())
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("c.ics:5:1:"), "{err}");
    assert!(err.contains("happens twice"), "{err}");
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=America/New_York:20231106T093000\r\nDURATION:PT1H15M\r\nSUMMARY:Talk\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\nDTSTART;VALUE=DATE:20231106\r\nSUMMARY:All day\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:c\r\nSTATUS:CANCELLED\r\nDTSTART;TZID=America/New_York:20231106T120000\r\nDTEND;TZID=America/New_York:20231106T130000\r\nSUMMARY:Gone\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let done = import(ics.as_bytes(), "c.ics", &Options::default()).unwrap();
    // The zone every start shares is the event's: EST (UTC-5) after 5 Nov,
    // so 09:30 is 14:30Z, for PT1H15M = 75 min.
    let a = agenda(&done.toml);
    assert_eq!(a.event.tz.name(), "America/New_York");
    assert_eq!(times(&a), vec![row("a", "2023-11-06T14:30Z", 75)]);
    assert!(
        done.toml.contains("1 all-day event, 1 cancelled event")
            || done.toml.contains("1 cancelled event, 1 all-day event"),
        "{}",
        done.toml
    );
}

#[test]
fn day_by_number_is_the_nth_date_for_calendar_sources() {
    let csv = "date,start,duration,title\n2023-06-22,15:00,10m,A\n2023-06-23,09:00,10m,B\n2023-06-23,09:10,10m,C\n";
    let mut opts = Options {
        timezone: tz("Europe/Zurich"),
        ..Options::default()
    };
    // Without --day: a two-day agenda, B carrying its date.
    let toml = import(csv.as_bytes(), "x.csv", &opts).unwrap().toml;
    assert!(
        toml.contains("date = \"2023-06-23\"\nstart = \"09:00\""),
        "{toml}"
    );
    assert_eq!(agenda(&toml).sessions.len(), 3);
    opts.day = Some(DaySel::Index(2));
    let a = agenda(&import(csv.as_bytes(), "x.csv", &opts).unwrap().toml);
    assert_eq!(
        a.sessions
            .iter()
            .map(|s| s.title.as_str())
            .collect::<Vec<_>>(),
        ["B", "C"]
    );
    opts.day = Some(DaySel::Index(3));
    let err = import(csv.as_bytes(), "x.csv", &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--day 3: the schedule has 2 days")
            && err.contains("1 (2023-06-22), 2 (2023-06-23)"),
        "{err}"
    );
}

#[test]
fn an_end_before_the_start_is_past_midnight() {
    let csv = "date,start,end,title\n2023-06-22,23:00,24:00,Late\n2023-06-23,00:15,01:30,Later\n2023-06-23,23:30,00:30,Last\n";
    let opts = Options {
        timezone: tz("Europe/Zurich"),
        ..Options::default()
    };
    let done = import(csv.as_bytes(), "x.csv", &opts).unwrap();
    // CEST, UTC+2. 23:00–24:00 on the 22nd: 21:00Z, 60 min. 00:15–01:30 on
    // the 23rd: 22:15Z on the 22nd, 75 min. 23:30–00:30: the end is the
    // next day, 21:30Z on the 23rd, 60 min.
    assert_eq!(
        times(&agenda(&done.toml)),
        vec![
            row("2023-06-22-2300-late", "2023-06-22T21:00Z", 60),
            row("2023-06-23-0015-later", "2023-06-22T22:15Z", 75),
            row("2023-06-23-2330-last", "2023-06-23T21:30Z", 60),
        ]
    );
    assert!(
        done.toml.contains("2 sessions end past midnight"),
        "{}",
        done.toml
    );
}

fn on(y: i32, m: u32, d: u32) -> Option<DaySel> {
    Some(DaySel::Date(
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
    ))
}

#[test]
fn speakers_headers_with_decorations_and_moderators() {
    // Every header here names the moderators: a role on the session, not a
    // speaker. One session moderated by "Ada": moderators == ["Ada"], no
    // speakers.
    for h in [
        "Moderator",
        "Moderators",
        "MODERATOR:",
        "Host",
        "Hosts",
        "Chair",
        "Chair(s)",
        "Modérateur",
        "Moderator 2",
    ] {
        let csv = format!("Start Time,Title,Duration (min),\"{h}\"\n9:00,Talk,30,Ada\n");
        let opts = Options {
            timezone: tz("UTC"),
            day: on(2024, 1, 1),
            ..Options::default()
        };
        let done = import(csv.as_bytes(), "x.csv", &opts).unwrap_or_else(|d| panic!("{h}: {d}"));
        let a = agenda(&done.toml);
        assert_eq!(a.sessions[0].moderators, ["Ada"], "{h}\n{}", done.toml);
        assert!(a.sessions[0].speakers.is_empty(), "{h}\n{}", done.toml);
        assert!(done.toml.contains("moderators = [\"Ada\"]"), "{h}");
    }
    // Every header here names the speakers; each file has one session with
    // one speaker "Ada", so each must give speakers == ["Ada"].
    for h in [
        "Presenter(s)",
        "Presenters",
        "  Speaker (s) ",
        "Speaker(s) 2",
        "Who?",
        "Referent",
    ] {
        let csv = format!("Start Time,Title,Duration (min),\"{h}\"\n9:00,Talk,30,Ada\n");
        let opts = Options {
            timezone: tz("UTC"),
            day: on(2024, 1, 1),
            ..Options::default()
        };
        let done = import(csv.as_bytes(), "x.csv", &opts).unwrap_or_else(|d| panic!("{h}: {d}"));
        let a = agenda(&done.toml);
        assert_eq!(a.sessions[0].speakers, ["Ada"], "{h}\n{}", done.toml);
        // "Duration (min)" is the duration: 9:00Z + 30 min.
        assert_eq!(
            times(&a),
            vec![row("2024-01-01-0900-talk", "2024-01-01T09:00Z", 30)],
            "{h}"
        );
        assert!(done.warnings.is_empty(), "{h}: {:?}", done.warnings);
    }
    // Other fields take the same decorations: case, punctuation, spacing,
    // plural or singular, a bracketed tail.
    let csv = "DATES,START-TIME,end time (CEST),Titles,Speaker(s),Moderator,Notes:\n\
               2024-01-01,09.00,0945,Panel,Ada; Bob,Cy,Mic 3\n";
    let done = import(
        csv.as_bytes(),
        "x.csv",
        &Options {
            timezone: tz("UTC"),
            ..Options::default()
        },
    )
    .unwrap();
    // 09.00 → 09:00, 0945 → 09:45: 45 min. Speaker(s) "Ada; Bob" split on
    // ';' gives Ada and Bob; the moderator Cy is the session's moderator.
    let a = agenda(&done.toml);
    assert_eq!(
        times(&a),
        vec![row("2024-01-01-0900-panel", "2024-01-01T09:00Z", 45)]
    );
    assert_eq!(a.sessions[0].speakers, ["Ada", "Bob"]);
    assert_eq!(a.sessions[0].moderators, ["Cy"]);
    assert_eq!(a.sessions[0].notes.as_deref(), Some("Mic 3"));
    assert!(
        done.toml
            .contains("speakers=Speaker(s), moderators=Moderator"),
        "{}",
        done.toml
    );
}

#[test]
fn columns_not_used_are_named() {
    // Columns 1–3 are read; "Colour" (column 4, 2 values), a column with no
    // header but one value (column 5), "Internal" with a header and no
    // values (column 6), and a second start column "Time" (column 7: start
    // is taken by column 1) are not. A "Duration (hours)" would be read as
    // minutes, so it is not taken as the duration either (column 8).
    let csv = "Start,Title,Presenter(s),Colour,,Internal,Time,Duration (hours)\n\
               9:00,A,Ada,red,x,,9:00,1\n\
               10:00,B,Bob,blue,,,10:00,1\n";
    let opts = Options {
        timezone: tz("UTC"),
        day: on(2024, 1, 1),
        last_duration: Some(chrono::TimeDelta::minutes(30)),
        ..Options::default()
    };
    let done = import(csv.as_bytes(), "x.csv", &opts).unwrap();
    let want = "columns not used: \"Colour\" (column 4, 2 values), column 5 (no header, 1 value), \
                \"Internal\" (column 6, no values), \"Time\" (column 7, 2 values), \
                \"Duration (hours)\" (column 8, 2 values); to read one, name it with --map FIELD=COLUMN";
    assert!(done.warnings[0].starts_with(want), "{:?}", done.warnings);
    // The same words in the header comment (wrapped): compare unwrapped.
    let header: String = done
        .toml
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(header.contains(want), "{header}");
    assert!(
        header.contains("header: line 1 (start=Start, title=Title, speakers=Presenter(s))"),
        "{header}"
    );
    // And on stderr, from the command.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("x.csv");
    std::fs::write(&src, csv).unwrap();
    let o = showcall()
        .arg("import")
        .arg(&src)
        .args([
            "--timezone",
            "UTC",
            "--day",
            "2024-01-01",
            "--last-duration",
            "30m",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("note: columns not used: \"Colour\""), "{err}");
}

#[test]
fn european_and_compact_times_in_a_csv() {
    // 9.00 → 09:00, 1030 (HHMM) → 10:30, 11h → 11:00, 12:00pm → 12:00,
    // 13 h 30 → 13:30; the duration column's 0030 stays minutes: 30.
    let csv =
        "start,title,duration\n9.00,A,90\n1030,B,0030\n11h,C,60\n12:00pm,D,60\n13 h 30,E,15\n";
    let opts = Options {
        timezone: tz("UTC"),
        day: on(2024, 1, 1),
        ..Options::default()
    };
    let a = agenda(&import(csv.as_bytes(), "x.csv", &opts).unwrap().toml);
    assert_eq!(
        times(&a),
        vec![
            row("2024-01-01-0900-a", "2024-01-01T09:00Z", 90),
            row("2024-01-01-1030-b", "2024-01-01T10:30Z", 30),
            row("2024-01-01-1100-c", "2024-01-01T11:00Z", 60),
            row("2024-01-01-1200-d", "2024-01-01T12:00Z", 60),
            row("2024-01-01-1330-e", "2024-01-01T13:30Z", 15),
        ]
    );
    // Invalid ones are located: line 3 col 1 '25.00', line 4 col 1 '0975'
    // (75 minutes), line 5 col 1 '0.30' (00:30 or 0.3 of a day = 07:12?).
    let csv = "start,title,duration\n9.00,A,30\n25.00,B,30\n0975,C,30\n0.30,D,30\n";
    let err = import(csv.as_bytes(), "x.csv", &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x.csv:3:1: '25.00' is not a time of day: hours go from 0 to 23"),
        "{err}"
    );
    assert!(
        err.contains("x.csv:4:1: '0975' is not a time of day: minutes and seconds go from 0 to 59"),
        "{err}"
    );
    assert!(err.contains("x.csv:5:1: '0.30' is ambiguous"), "{err}");
    assert!(err.contains("07:12"), "{err}");
    assert!(err.ends_with("3 problems found"), "{err}");
}

#[test]
fn xlsx_presenters_and_hhmm_number_cells() {
    // tests/fixtures/import/presenters.xlsx (written once with
    // rust_xlsxwriter): the header Start, Title, Presenter(s), Moderator,
    // Room notes; then 900 (a number cell), Opening, Ada, Max, lectern; then
    // 1530, Close.
    let bytes = std::fs::read(fixture("presenters.xlsx")).unwrap();
    let opts = Options {
        timezone: tz("UTC"),
        day: on(2024, 1, 1),
        last_duration: Some(chrono::TimeDelta::minutes(15)),
        ..Options::default()
    };
    let done = import(&bytes, "s.xlsx", &opts).unwrap();
    let a = agenda(&done.toml);
    // 09:00 runs until 15:30: 6 h 30 = 390 min; the last lasts 15.
    assert_eq!(
        times(&a),
        vec![
            row("2024-01-01-0900-opening", "2024-01-01T09:00Z", 390),
            row("2024-01-01-1530-close", "2024-01-01T15:30Z", 15),
        ]
    );
    // The moderator is a role on the session, not a speaker.
    assert_eq!(a.sessions[0].speakers, ["Ada"]);
    assert_eq!(a.sessions[0].moderators, ["Max"]);
    assert_eq!(
        done.warnings,
        [
            "column not used: \"Room notes\" (column E, 1 value); to read one, name it with \
          --map FIELD=COLUMN (fields: start, end, duration, title, speakers, moderators, notes, \
          id, date, room, type, timezone, skip)"
        ]
    );
}

#[test]
fn a_running_order_past_midnight_rolls_to_the_next_day() {
    let csv = "start,end,title\n22:00,23:30,Show\n23:30,00:30,Late\n00:30,01:00,After\n01:00,01:30,Encore\n";
    let opts = Options {
        timezone: tz("UTC"),
        day: on(2024, 1, 1),
        ..Options::default()
    };
    let done = import(csv.as_bytes(), "x.csv", &opts).unwrap();
    // 23:30 → 00:30 goes back 23 h (> 12 h): After and everything below it
    // are on 2024-01-02. Late ends past midnight on its own row (00:30 <
    // 23:30), 60 min. File order is kept: no "sorted" note.
    assert_eq!(
        times(&agenda(&done.toml)),
        vec![
            row("2024-01-01-2200-show", "2024-01-01T22:00Z", 90),
            row("2024-01-01-2330-late", "2024-01-01T23:30Z", 60),
            row("2024-01-02-0030-after", "2024-01-02T00:30Z", 30),
            row("2024-01-02-0100-encore", "2024-01-02T01:00Z", 30),
        ]
    );
    assert!(
        done.toml
            .contains("# - 2 sessions after midnight put on 2024-01-02"),
        "{}",
        done.toml
    );
    assert!(!done.toml.contains("sorted"), "{}", done.toml);
    assert!(done.warnings[0].starts_with("2 sessions after midnight put on 2024-01-02"));
    // Going back 12 hours or less is the same day, out of order: 14:00 then
    // 09:00 goes back 5 h, so both stay on 2024-01-01, sorted, and said.
    let csv = "start,duration,title\n14:00,30,Afternoon\n09:00,30,Morning\n";
    let done = import(csv.as_bytes(), "x.csv", &opts).unwrap();
    assert_eq!(
        times(&agenda(&done.toml)),
        vec![
            row("2024-01-01-0900-morning", "2024-01-01T09:00Z", 30),
            row("2024-01-01-1400-afternoon", "2024-01-01T14:00Z", 30),
        ]
    );
    assert!(done.toml.contains("sorted by start"), "{}", done.toml);
    // Exactly 12 h back (21:00 → 09:00) is not more than 12 h: same day.
    let csv = "start,duration,title\n21:00,30,Night\n09:00,30,Morning\n";
    let done = import(csv.as_bytes(), "x.csv", &opts).unwrap();
    assert_eq!(
        times(&agenda(&done.toml))[0],
        row("2024-01-01-0900-morning", "2024-01-01T09:00Z", 30)
    );
    // Two nights: 23:00, 01:00 (+1 day), 23:00 (forward), 01:00 (+2 days).
    let csv = "start,duration,title\n23:00,30,A\n01:00,30,B\n23:00,30,C\n01:00,30,D\n";
    let done = import(csv.as_bytes(), "x.csv", &opts).unwrap();
    assert_eq!(
        times(&agenda(&done.toml))
            .into_iter()
            .map(|r| r.1)
            .collect::<Vec<_>>(),
        [
            "2024-01-01T23:00Z",
            "2024-01-02T01:00Z",
            "2024-01-02T23:00Z",
            "2024-01-03T01:00Z"
        ]
    );
    // B and C are on the 2nd (one midnight passed), D on the 3rd (two).
    assert!(
        done.toml
            .contains("2 sessions after midnight put on 2024-01-02")
    );
    assert!(
        done.toml
            .contains("1 session after midnight put on 2024-01-03")
    );
    // Rows with dates are kept as they are: 00:30 on 2024-01-01 is before
    // 23:30 that day, and sorted so.
    let csv = "date,start,end,title\n2024-01-01,23:30,00:30,Late\n2024-01-01,00:30,01:00,Early\n";
    let done = import(
        csv.as_bytes(),
        "x.csv",
        &Options {
            timezone: tz("UTC"),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(
        times(&agenda(&done.toml)),
        vec![
            row("2024-01-01-0030-early", "2024-01-01T00:30Z", 30),
            row("2024-01-01-2330-late", "2024-01-01T23:30Z", 60),
        ]
    );
    assert!(
        !done.toml.contains("after midnight put on"),
        "{}",
        done.toml
    );
}

#[test]
fn a_label_over_numbered_columns_names_them() {
    // voc/schedule's example sheet: "Vortragende" spans the columns
    // numbered 1, 2 below it, so they are "Vortragende 1" and "Vortragende
    // 2": speakers. The "3" under nothing after "Notiz" is not numbered
    // under a label (Notiz is not a number): it stays unused.
    let csv = "My event,,,Vortragende,,,\n\
               Uhrzeit,Dauer,Titel,1,2,Notiz,3\n\
               9:00,30,Auftakt,Ada,Bea,Mikro,x\n";
    let opts = Options {
        timezone: tz("UTC"),
        day: on(2024, 1, 1),
        ..Options::default()
    };
    let done = import(csv.as_bytes(), "x.csv", &opts).unwrap();
    let a = agenda(&done.toml);
    assert_eq!(a.sessions[0].speakers, ["Ada", "Bea"]);
    assert!(
        done.toml.contains("speakers=Vortragende 1+Vortragende 2)"),
        "{}",
        done.toml
    );
    assert!(
        done.warnings[0].starts_with("column not used: \"3\" (column 7, 1 value)"),
        "{:?}",
        done.warnings
    );
}

#[test]
fn calendar_csv_columns_are_read_or_named() {
    // The CSV layout Outlook and Google Calendar use. 01/15/2024 is
    // month/day (15 is no month); 9:00 AM to 10:30 AM is 90 min. End Date
    // and All Day Event are not read: named, 1 value each.
    let csv = "Subject,Start Date,Start Time,End Date,End Time,All Day Event,Description,Location\n\
               Keynote,01/15/2024,9:00 AM,01/15/2024,10:30 AM,False,Main stage talk,Hall A\n";
    let done = import(
        csv.as_bytes(),
        "cal.csv",
        &Options {
            timezone: tz("UTC"),
            ..Options::default()
        },
    )
    .unwrap();
    let a = agenda(&done.toml);
    assert_eq!(
        times(&a),
        vec![row("2024-01-15-0900-keynote", "2024-01-15T09:00Z", 90)]
    );
    assert_eq!(a.sessions[0].notes.as_deref(), Some("Main stage talk"));
    assert!(
        done.warnings[0].starts_with(
            "columns not used: \"End Date\" (column 4, 1 value), \"All Day Event\" (column 6, 1 value);"
        ),
        "{:?}",
        done.warnings
    );
}

/// A damaged schedule.xml is located like any other input: a file cut
/// short names the element it ends inside, where it opened; an unknown
/// entity or a NUL character reference points at itself.
#[test]
fn damaged_xml_is_located() {
    let opts = Options {
        timezone: tz("UTC"),
        ..Options::default()
    };
    let err = |xml: &str| {
        import(xml.as_bytes(), "s.xml", &opts)
            .unwrap_err()
            .to_string()
    };
    let head = "<?xml version=\"1.0\"?>\n<schedule>\n  <conference><title>T</title></conference>\n";
    // The innermost open element is `<room name="A">`, line 5 col 5.
    let cut = err(&format!(
        "{head}  <day index=\"1\" date=\"2024-01-01\">\n    <room name=\"A\">\n"
    ));
    assert!(
        cut.contains("s.xml:5:5: the file ends inside <room>, opened here: it is cut short"),
        "{cut}"
    );
    // `<title>T &foo;`: the entity starts at column 24 of line 3.
    let entity = err(
        "<?xml version=\"1.0\"?>\n<schedule>\n  <conference><title>T &foo; x</title></conference>\n</schedule>\n",
    );
    assert!(
        entity.contains("s.xml:3:24: '&foo;' is not an XML entity"),
        "{entity}"
    );
    let nul = err(
        "<?xml version=\"1.0\"?>\n<schedule>\n  <conference><title>T &#0;</title></conference>\n</schedule>\n",
    );
    assert!(nul.contains("s.xml:3:24: '&#0;'"), "{nul}");
}
