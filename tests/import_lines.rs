//! `showcall import`: a located message names the same line and column
//! whatever the file's line ends (LF, CRLF as Excel and Google Sheets write,
//! a lone CR as old Macs do) and with or without a UTF-8 BOM, in every text
//! format. Each source is written here with LF; the test derives the other
//! three and checks all four against a place worked out by hand.

use showcall::import::{DaySel, Options, import};

/// The first line of the error report: `file:LINE:COL: message`.
fn first_line(bytes: &[u8], opts: &Options) -> String {
    let err = import(bytes, "x", opts).expect_err("the source has an error");
    err.to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// LF, CRLF, CR-only and BOM+CRLF versions of `lf`.
fn variants(lf: &str) -> [(&'static str, Vec<u8>); 4] {
    let crlf = lf.replace('\n', "\r\n");
    let cr = lf.replace('\n', "\r");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(crlf.as_bytes());
    [
        ("LF", lf.as_bytes().to_vec()),
        ("CRLF", crlf.into_bytes()),
        ("CR", cr.into_bytes()),
        ("BOM+CRLF", bom),
    ]
}

fn check(lf: &str, opts: &Options, want_prefix: &str) {
    for (name, bytes) in variants(lf) {
        let got = first_line(&bytes, opts);
        assert!(got.starts_with(want_prefix), "{name}: {got}");
        // The caret's line is shown without its CR.
        let err = import(&bytes, "x", opts).unwrap_err().to_string();
        assert!(!err.contains('\r'), "{name}: {err:?}");
    }
}

fn utc_day() -> Options {
    Options {
        timezone: Some(chrono_tz::UTC),
        day: Some(DaySel::Date(
            chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
        )),
        ..Options::default()
    }
}

#[test]
fn csv_locations_survive_crlf_cr_and_bom() {
    // The issue's own file: '9:75' is line 3, column 1.
    let lf = "Start,Title,Duration\n9:00,Opening,15\n9:75,Keynote,45\n";
    check(lf, &utc_day(), "x:3:1: '9:75'");
    // A quoted field holding a line break makes its row two lines (2 and
    // 3), so `D,9:75,45` is line 5, and '9:75' starts at column 3.
    let lf = "Title,Start,Duration\n\"A\nB\",9:00,15\nC,10:00,15\nD,9:75,45\n";
    check(lf, &utc_day(), "x:5:3: '9:75'");
}

#[test]
fn frab_xml_locations_survive_crlf_cr_and_bom() {
    // The event with a bad duration starts on line 5, column 5 (`<event`
    // after four spaces).
    let lf = "<?xml version=\"1.0\"?>\n<schedule>\n  <day index=\"1\" date=\"2026-12-07\">\n   <room name=\"A\">\n    <event id=\"1\">\n      <start>10:00</start>\n      <duration>ab</duration>\n      <room>A</room>\n      <title>T</title>\n    </event>\n   </room>\n  </day>\n</schedule>\n";
    check(
        lf,
        &Options {
            timezone: Some(chrono_tz::UTC),
            ..Options::default()
        },
        "x:5:5: ",
    );
}

#[test]
fn frab_json_locations_survive_crlf_cr_and_bom() {
    // A JSON syntax error: the stray `x` is line 3, column 3.
    let lf = "{\n  \"schedule\": {\n  x\n}\n";
    let opts = Options {
        format: Some(showcall::import::Format::FrabJson),
        ..Options::default()
    };
    check(lf, &opts, "x:3:3: ");
}

#[test]
fn ics_locations_survive_crlf_cr_and_bom() {
    // DTSTART with a bad value is line 5, column 1.
    let lf = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1\nDTSTART:2026120\nSUMMARY:T\nEND:VEVENT\nEND:VCALENDAR\n";
    check(
        lf,
        &Options {
            timezone: Some(chrono_tz::UTC),
            ..Options::default()
        },
        "x:5:1: ",
    );
}

#[test]
fn ontime_locations_survive_crlf_cr_and_bom() {
    // A wrong value in an Ontime project: the `1` in `  "rundown": [1,]`
    // is line 3, column 15 (2 spaces, 11 for `"rundown":`, a space, `[`).
    let lf = "{\n  \"settings\": {\"app\": \"ontime\"},\n  \"rundown\": [1,]\n}\n";
    check(
        lf,
        &Options {
            format: Some(showcall::import::Format::Ontime),
            ..Options::default()
        },
        "x:3:15: ",
    );
}
