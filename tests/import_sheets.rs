//! `showcall import` of the sheets organisers export from Google Sheets and
//! Excel: CRLF line ends, a "Day" column beside a "Date" column, US
//! (month-first) dates, a moderator column, breaks listed in a shared room.
//! The fixture tests/fixtures/import/gsheets-us.csv is written here to
//! reproduce all of them at once.

use std::path::{Path, PathBuf};

use showcall::agenda::Agenda;
use showcall::import::{DateOrder, Options, import};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn opts() -> Options {
    Options {
        timezone: Some("America/New_York".parse().unwrap()),
        room: Some("Main Hall".into()),
        date_order: Some(DateOrder::Mdy),
        ..Options::default()
    }
}

fn run(opts: &Options) -> Result<showcall::import::Imported, String> {
    let bytes = std::fs::read(fixture("gsheets-us.csv")).unwrap();
    import(&bytes, "gsheets-us.csv", opts).map_err(|d| d.to_string())
}

/// The header comment, unwrapped into one line.
fn header(toml: &str) -> String {
    toml.lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn google_sheet_imports_in_one_go() {
    let done = run(&opts()).unwrap_or_else(|e| panic!("{e}"));
    let a = Agenda::parse(done.toml.as_bytes(), "agenda.toml").unwrap();
    // New York in December is EST, UTC-5: 9:00 AM is 14:00Z. Main Hall's
    // four sessions, the two breaks in "All rooms" (shared), not Room B's
    // workshop; 12/7/2026 is December 7 (month first), 12/8 December 8.
    //   Welcome        9:00–9:30 AM     14:00Z  30 min
    //   Keynote        9:30–10:30 AM    14:30Z  60
    //   Coffee Break  10:30–11:00 AM    15:30Z  30  (All rooms)
    //   Panel         11:00 AM–12:00 PM 16:00Z  60
    //   Lunch         12:00–1:00 PM     17:00Z  60  (All rooms)
    //   Closing       Dec 8 9:30–10:30  14:30Z  60
    let got: Vec<(String, String, i64)> = a
        .sessions
        .iter()
        .map(|s| {
            (
                s.title.clone(),
                s.start.format("%m-%dT%H:%MZ").to_string(),
                (s.end - s.start).num_minutes(),
            )
        })
        .collect();
    let want: Vec<(String, String, i64)> = [
        ("Welcome", "12-07T14:00Z", 30),
        ("Keynote: Open Data, Open Cities", "12-07T14:30Z", 60),
        ("Coffee Break", "12-07T15:30Z", 30),
        ("Panel: Who Owns the Street?", "12-07T16:00Z", 60),
        ("Lunch", "12-07T17:00Z", 60),
        ("Closing Plenary", "12-08T14:30Z", 60),
    ]
    .iter()
    .map(|(t, s, m)| (t.to_string(), s.to_string(), *m))
    .collect();
    assert_eq!(got, want, "{}", done.toml);
    // The moderator is a role on the session, not one of its speakers.
    let keynote = &a.sessions[1];
    assert_eq!(keynote.speakers, ["Ravi Patel"]);
    assert_eq!(keynote.moderators, ["Dana Lee"]);
    assert_eq!(a.sessions[3].speakers, ["Ana Gómez", "Tom Wu"]);
    assert_eq!(a.sessions[3].moderators, ["Sam Park"]);
    let h = header(&done.toml);
    // Every oddity is named where it matters.
    assert!(
        h.contains("date: read from \"Date\": \"Day\" holds no dates (\"Day 1\")"),
        "{h}"
    );
    assert!(
        h.contains("2 sessions in the shared room \"All rooms\" kept"),
        "{h}"
    );
    assert!(
        h.contains("1 session in other rooms left out: \"Room B\" (1: 'Workshop: Maps')"),
        "{h}"
    );
    assert!(h.contains("moderators=Moderator"), "{h}");
    // The left-out session and the date column chosen are said at once too.
    assert!(done.warnings.iter().any(|w| w.contains("'Workshop: Maps'")));
    assert!(
        done.warnings
            .iter()
            .any(|w| w.contains("read from \"Date\""))
    );
}

#[test]
fn us_dates_without_an_order_name_the_option() {
    let err = run(&Options {
        date_order: None,
        ..opts()
    })
    .unwrap_err();
    // Line 2 of the file, column 7: `Day 1,` is 6 characters (CRLF or not).
    assert!(
        err.contains("gsheets-us.csv:2:7: '12/7/2026' is ambiguous"),
        "{err}"
    );
    assert!(err.contains("--date-order mdy"), "{err}");
}

#[test]
fn a_day_column_mapped_as_the_date_names_the_date_column() {
    let mut o = opts();
    o.map = vec![(showcall::import::Field::Date, "Day".into())];
    let err = run(&o).unwrap_err();
    assert!(
        err.contains("gsheets-us.csv:2:1: 'Day 1' is not a date"),
        "{err}"
    );
    assert!(
        err.contains("the column \"Date\" holds dates: read it with --map date=Date"),
        "{err}"
    );
}

#[test]
fn shared_rooms_are_not_rooms_to_choose() {
    let err = run(&Options {
        room: None,
        ..opts()
    })
    .unwrap_err();
    // "All rooms" is shared: only the two real rooms are offered.
    assert!(err.contains("the schedule has 2 rooms"), "{err}");
    assert!(
        err.contains("\"Main Hall\" (4 sessions), \"Room B\" (1 session)"),
        "{err}"
    );
}

#[test]
fn a_room_named_with_shared_room_goes_into_every_room() {
    // Room B's workshop overlaps the panel: sharing Room B makes it part of
    // Main Hall's running order, so the overlap is found and named.
    let err = run(&Options {
        shared_rooms: vec!["room b".into()],
        ..opts()
    })
    .unwrap_err();
    assert!(
        err.contains("'Workshop: Maps' starts at 11:00, before 'Panel: Who Owns the Street?'"),
        "{err}"
    );
    // And importing Room B keeps the breaks, and names Main Hall's sessions.
    let done = run(&Options {
        room: Some("Room B".into()),
        ..opts()
    })
    .unwrap();
    let a = Agenda::parse(done.toml.as_bytes(), "agenda.toml").unwrap();
    let titles: Vec<&str> = a.sessions.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Coffee Break", "Workshop: Maps", "Lunch"]);
    let h = header(&done.toml);
    assert!(
        h.contains("4 sessions in other rooms left out: \"Main Hall\" (4: 'Welcome', 'Keynote: Open Data, Open Cities', 'Panel: Who Owns the Street?', 'Closing Plenary')"),
        "{h}"
    );
}

#[test]
fn command_imports_the_sheet_and_check_accepts_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("agenda.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_showcall"))
        .arg("import")
        .arg(fixture("gsheets-us.csv"))
        .args([
            "--date-order",
            "mdy",
            "--room",
            "Main Hall",
            "--timezone",
            "America/New_York",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("note: 1 session in other rooms left out"),
        "{err}"
    );
    let o = Command::new(env!("CARGO_BIN_EXE_showcall"))
        .arg("check")
        .arg(&out)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(said.contains("moderated by Dana Lee"), "{said}");
    // A bad --date-order is refused before reading.
    let o = Command::new(env!("CARGO_BIN_EXE_showcall"))
        .arg("import")
        .arg(fixture("gsheets-us.csv"))
        .args(["--date-order", "dym"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_agenda_holds_moderators_as_a_list_of_text() {
    let good = "[event]\ntitle = \"T\"\ndate = \"2026-12-07\"\ntimezone = \"UTC\"\n\n\
                [[session]]\nid = \"k\"\ntitle = \"Keynote\"\nstart = \"09:00\"\nduration = \"30m\"\n\
                speakers = [\"Ravi\"]\nmoderators = [\"Dana\", \"Sam\"]\n";
    let a = Agenda::parse(good.as_bytes(), "a.toml").unwrap();
    assert_eq!(a.sessions[0].moderators, ["Dana", "Sam"]);
    assert_eq!(a.sessions[0].speakers, ["Ravi"]);
    // A single string is refused at its place, as `speakers` is: 4 lines
    // of [event], a blank, then [[session]] id title start duration
    // speakers make `moderators` line 12; its value starts at column 14
    // (`moderators = ` is 13 characters).
    let bad = good.replace("[\"Dana\", \"Sam\"]", "\"Dana\"");
    let err = Agenda::parse(bad.as_bytes(), "a.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("a.toml:12:14:"), "{err}");
    assert!(err.contains("moderators"), "{err}");
}
