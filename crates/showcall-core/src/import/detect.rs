//! Which format a source is, from its first bytes and (only to break a tie)
//! its extension: a `.csv` that is really a workbook, or a `.txt` that is
//! iCalendar, is read as what it is.

use std::borrow::Cow;

use super::Format;
use crate::diag::{Diagnostic, Diagnostics};

/// The text of a text format, BOM removed and old-Mac line ends (a lone
/// CR) made LF, so that every located message counts lines as an editor
/// does; a byte that is not UTF-8 is a located error.
pub fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<Cow<'a, str>, Diagnostics> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map(lone_cr_to_lf).map_err(|e| {
        let lossy = String::from_utf8_lossy(bytes);
        let at = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).len();
        Diagnostics(vec![
            Diagnostic::at(file, &lossy, at..at + 1, "this byte is not UTF-8")
                .with_help("save the file as UTF-8"),
        ])
    })
}

/// `text` with every CR not followed by LF (a line end on old Macs and in
/// some exports) replaced by LF. Byte for byte, so offsets stay valid; CRLF
/// is left as it is (a located message trims the CR).
pub fn lone_cr_to_lf(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let lone = |i: usize| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n');
    if !(0..b.len()).any(lone) {
        return Cow::Borrowed(text);
    }
    let mut out = b.to_vec();
    for (i, c) in out.iter_mut().enumerate() {
        if lone(i) {
            *c = b'\n';
        }
    }
    // Only an ASCII byte was replaced by another: still UTF-8.
    Cow::Owned(
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// The format of `bytes` (the file `file`), from its first bytes and, for
/// a zip or a plain text, its extension: xlsx, ods, xls, frab XML or JSON,
/// iCalendar, Ontime, else CSV.
///
/// Errors: a JSON file that is neither a frab/pretalx schedule nor an
/// Ontime project, or a bare JSON array; the diagnostic names the
/// `--format` to give if it is one of them.
pub fn detect(bytes: &[u8], file: &str) -> Result<Format, Diagnostic> {
    let ext = std::path::Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") {
        // Both xlsx and ods are zip files; ods names its type first thing.
        let head = &bytes[..bytes.len().min(200)];
        let is_ods = head
            .windows(30)
            .any(|w| w == b"application/vnd.oasis.opendocu");
        return Ok(if is_ods || ext == "ods" {
            Format::Ods
        } else {
            Format::Xlsx
        });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Ok(Format::Xls);
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let head = &body[start..body.len().min(start + 4096)];
    let head_text = String::from_utf8_lossy(head);
    if head_text
        .get(..15)
        .is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
    {
        return Ok(Format::Ics);
    }
    if head.starts_with(b"<") {
        return Ok(Format::FrabXml);
    }
    if head.starts_with(b"{") {
        // Key order varies; look for the telling keys anywhere near the top.
        let text = String::from_utf8_lossy(&body[start..body.len().min(start + (1 << 16))]);
        if text.contains("\"schedule\"") && text.contains("\"conference\"") {
            return Ok(Format::FrabJson);
        }
        if text.contains("\"rundowns\"") || text.contains("\"rundown\"") {
            return Ok(Format::Ontime);
        }
        return Err(Diagnostic::file_level(
            file,
            "a JSON file that is neither a frab/pretalx schedule.json (no \"schedule\"/\"conference\") nor an Ontime project (no \"rundown\" or \"rundowns\")",
        )
        .with_help("give --format frab-json or --format ontime if it is one of these"));
    }
    if head.starts_with(b"[") {
        return Err(
            Diagnostic::file_level(file, "a JSON array: not a format showcall imports")
                .with_help("give a frab/pretalx schedule.json or an Ontime project (db.json)"),
        );
    }
    match ext.as_str() {
        "xlsx" | "xlsm" => Ok(Format::Xlsx),
        "xls" => Ok(Format::Xls),
        "ods" => Ok(Format::Ods),
        _ => Ok(Format::Csv),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_content_not_name() {
        assert_eq!(
            detect(b"\xEF\xBB\xBF  BEGIN:VCALENDAR\r\n", "x.csv"),
            Ok(Format::Ics)
        );
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?><schedule/>", "s.txt"),
            Ok(Format::FrabXml)
        );
        assert_eq!(
            detect(b"{\"schedule\":{\"conference\":{}}}", "a.csv"),
            Ok(Format::FrabJson)
        );
        assert_eq!(detect(b"{\"rundown\":[]}", "db.json"), Ok(Format::Ontime));
        assert_eq!(detect(b"PK\x03\x04rest", "book.csv"), Ok(Format::Xlsx));
        assert_eq!(detect(b"start;title\n", "a.txt"), Ok(Format::Csv));
        assert!(detect(b"{\"other\":1}", "a.json").is_err());
    }
}
