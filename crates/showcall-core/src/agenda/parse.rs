//! Reading an agenda: the file itself (missing, a directory, too big, empty,
//! not UTF-8), then TOML syntax into a spanned raw table.
//!
//! Owns every file-level and syntax diagnostic. What the keys and values mean
//! is `validate`'s business: this stage only hands it a `DeTable` whose keys
//! and values still carry their byte spans.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};
use toml::de::DeTable;

use super::{Agenda, MAX_AGENDA_BYTES, MAX_PROBLEMS};
use crate::diag::{Diagnostic, Diagnostics, LineIndex};

const FORMAT_HELP: &str = "see docs/agenda.md for the format";

pub(super) fn load(path: &Path) -> Result<Agenda, Diagnostics> {
    let name = path.display().to_string();
    let fail = |d: Diagnostic| Err(Diagnostics(vec![d]));
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return fail(
                Diagnostic::file_level(&name, "no such file").with_help(not_found_help(path)),
            );
        }
        Err(e) => return fail(io_problem(&name, &e)),
    };
    if meta.is_dir() {
        return fail(
            Diagnostic::file_level(
                &name,
                format!("'{name}' is a directory, not an agenda file"),
            )
            .with_help("give the path of an agenda .toml file inside it"),
        );
    }
    if !meta.is_file() {
        // Opening a FIFO to read blocks until someone writes to it; a device
        // may never end.
        return fail(
            Diagnostic::file_level(
                &name,
                "not a regular file (a device, a pipe or a socket), not an agenda file",
            )
            .with_help("give the path of an agenda .toml file"),
        );
    }
    if meta.len() > MAX_AGENDA_BYTES {
        return fail(too_big(&name, meta.len()));
    }
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return fail(io_problem(&name, &e)),
    };
    // The file may grow between stat and read (or be a device): never read
    // more than one byte past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    if let Err(e) = file.take(MAX_AGENDA_BYTES + 1).read_to_end(&mut bytes) {
        return fail(io_problem(&name, &e));
    }
    parse(&bytes, &name)
}

/// Where to look instead: the agenda files beside the missing one.
fn not_found_help(path: &Path) -> String {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut near: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".toml")
                .then(|| crate::text::sanitize(&name).into_owned())
        })
        .collect();
    near.sort();
    let total = near.len();
    near.truncate(5);
    let more = if total > near.len() {
        format!(" and {} more", total - near.len())
    } else {
        String::new()
    };
    match near.as_slice() {
        [] => format!(
            "check the path: there is no .toml file in {}",
            crate::text::path_text(dir)
        ),
        _ => format!(
            "check the path; agenda files in {}: {}{more}",
            crate::text::path_text(dir),
            near.join(", ")
        ),
    }
}

fn io_problem(name: &str, e: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => {
            Diagnostic::file_level(name, "no such file").with_help("check the path")
        }
        ErrorKind::PermissionDenied => Diagnostic::file_level(name, "permission denied")
            .with_help("make the file readable by this user"),
        ErrorKind::IsADirectory => {
            Diagnostic::file_level(name, format!("'{name}' is a directory, not an agenda file"))
                .with_help("give the path of an agenda .toml file inside it")
        }
        _ => Diagnostic::file_level(
            name,
            format!("cannot read the file: {}", lowercase_first(&e.to_string())),
        ),
    }
}

fn too_big(name: &str, len: u64) -> Diagnostic {
    Diagnostic::file_level(
        name,
        format!(
            "file is too big ({len} bytes); an agenda may be at most {MAX_AGENDA_BYTES} bytes (1 MiB)"
        ),
    )
    .with_help("is this the right file? an agenda is a short TOML text")
}

pub(super) fn parse(bytes: &[u8], file_name: &str) -> Result<Agenda, Diagnostics> {
    let fail = |d: Diagnostic| Err(Diagnostics(vec![d]));
    if bytes.len() as u64 > MAX_AGENDA_BYTES {
        return fail(too_big(file_name, bytes.len() as u64));
    }
    if bytes.trim_ascii().is_empty() {
        return fail(
            Diagnostic::file_level(file_name, "file is empty").with_help(format!(
                "an agenda needs an [event] table and at least one [[session]]; {FORMAT_HELP}"
            )),
        );
    }
    let src = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes);
            let byte = bytes.get(at).copied().unwrap_or(0);
            // The lossy text is identical up to the first bad byte, so the
            // offset still points at it.
            return fail(
                Diagnostic::at(
                    file_name,
                    &lossy,
                    at..at + 1,
                    format!("file is not UTF-8: invalid byte 0x{byte:02x}"),
                )
                .with_help("save the agenda as UTF-8 text"),
            );
        }
    };

    let src = &windows_text(src);
    let (root, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        // After a syntax error the recovered table is a guess; checking it
        // would report problems the user does not have.
        // One line index for all of them, and only the first
        // `MAX_PROBLEMS` located: a garbled file can hold many thousands.
        let index = LineIndex::new(src);
        let mut spans: Vec<(std::ops::Range<usize>, &str)> = errors
            .iter()
            .map(|e| (e.span().unwrap_or(0..0), e.message()))
            .collect();
        spans.sort_by_key(|(span, _)| (span.start, span.end));
        spans.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let more = spans.len().saturating_sub(MAX_PROBLEMS);
        let mut diags: Vec<Diagnostic> = spans
            .into_iter()
            .take(MAX_PROBLEMS)
            .map(|(span, message)| {
                Diagnostic::at_indexed(
                    file_name,
                    src,
                    &index,
                    span,
                    format!("invalid TOML: {}", toml_message(message)),
                )
                .with_help(FORMAT_HELP)
            })
            .collect();
        diags.dedup();
        if more > 0 {
            diags.push(Diagnostic::file_level(
                file_name,
                format!("{more} more problems not shown"),
            ));
        }
        return Err(Diagnostics(diags));
    }

    let sha256 = hex(&Sha256::digest(bytes));
    super::validate::validate(root.get_ref(), root.span(), src, file_name, sha256)
}

/// A file saved on Windows reads as the same agenda: a leading byte-order
/// mark is dropped and CRLF line ends become LF, so a multi-line string
/// holds no carriage return and every line and column is where an editor
/// shows it. A lone CR stays, and is reported where it is.
fn windows_text(src: &str) -> std::borrow::Cow<'_, str> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if src.contains("\r\n") {
        std::borrow::Cow::Owned(src.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(src)
    }
}

fn toml_message(m: &str) -> String {
    let first = m.lines().next().unwrap_or("syntax error").trim();
    let first = first.trim_end_matches('.');
    lowercase_first(crate::text::sanitize(first).as_ref())
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !c.as_str().starts_with(|x: char| x.is_uppercase()) => {
            f.to_lowercase().chain(c).collect()
        }
        _ => s.to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
