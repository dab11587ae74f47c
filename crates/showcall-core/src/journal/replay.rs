//! Reading a whole journal: the scan shared by the writer, `read` and
//! `check`, with every problem located as `PATH:LINE:COL`.
//!
//! Owns the rules for what a damaged file is: a bad last line is a torn tail
//! (recoverable), anything else bad stops writing. Never modifies a file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

use crate::diag::Diagnostic;

use super::format::{ParseError, field_value_span, is_current, out_of_range, parse_bytes};
use super::{Entry, FORMAT_VERSION, JournalError, Kind};

mod batch;

pub(crate) use batch::scan_file;

/// Lines longer than this are shown cut around the fault.
const SHOW_MAX: usize = 160;

/// What one pass over the bytes found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Every line that parsed, in file order, including those after a problem.
    pub entries: Vec<Entry>,
    /// 1-based line number and byte range of each entry in `entries`.
    pub lines: Vec<(usize, Range<usize>)>,
    /// How many of `entries` come before the first problem.
    pub clean: usize,
    /// Damage that stops writing, in file order.
    pub problems: Vec<Diagnostic>,
    /// Things a reader should know that do not stop writing.
    pub warnings: Vec<Diagnostic>,
    /// The torn last line: its byte range and 1-based line number.
    pub torn: Option<(Range<usize>, usize)>,
    /// The torn last line's bytes (its newline included, if it has one).
    pub torn_text: Vec<u8>,
    /// Well-formed entries left out of `entries` because a number is out of
    /// range ([`out_of_range`]): every reader skips them.
    pub skipped: Vec<Diagnostic>,
    /// The highest seq of any line that parsed, skipped ones included: the
    /// writer continues after it, so no seq is ever used twice.
    pub max_seq: u64,
}

/// A diagnostic at a byte span of one line of the file.
pub(crate) fn line_diag(
    file: &str,
    line_no: usize,
    line: &[u8],
    span: Range<usize>,
    message: impl Into<String>,
) -> Diagnostic {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_end_matches(['\n', '\r']);
    // Byte offsets into the lossy text differ from the raw bytes only after
    // invalid UTF-8, where a caret position is approximate anyway.
    let mut start = span.start.min(text.len());
    let mut end = span.end.min(text.len()).max(start);
    let mut shown: &str = text;
    if text.len() > SHOW_MAX {
        let mut from = start.saturating_sub(SHOW_MAX / 2);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (from + SHOW_MAX).min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        shown = &text[from..to];
        start -= from;
        end = end.saturating_sub(from).min(shown.len()).max(start);
    }
    let mut d = Diagnostic::at(file, shown, start..end, message);
    d.line = line_no;
    if text.len() > SHOW_MAX {
        // The column counts characters from the start of the real line.
        let mut at = span.start.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        d.col = text[..at].chars().count() + 1;
    }
    d
}

/// One line of a journal as the scan sees it.
pub(crate) struct Line<'a> {
    /// The line without its newline.
    pub text: &'a [u8],
    /// Byte offset of the line's start in the file.
    pub start: usize,
    /// Byte offset of its newline (or the file's end).
    pub end: usize,
    /// Byte offset of the next line's start.
    pub next: usize,
    /// The line ends in a newline.
    pub has_nl: bool,
    /// Nothing follows it in the file.
    pub last: bool,
}

/// Where the scan's lines come from: bytes in memory, or a file read a
/// line at a time so that a large journal is never held whole beside its
/// entries.
pub(crate) trait Lines {
    /// The next line, or `None` at the end (or at a read error, kept for
    /// the caller).
    fn next_line(&mut self) -> Option<Line<'_>>;
    /// How many lines end in a newline, when it is known in advance.
    fn count_hint(&self) -> usize;
    /// Whether the scan records each entry's line and byte range
    /// (`Scan::lines`): the writer and `check` need them, a reader not.
    fn keep_lines(&self) -> bool {
        true
    }
}

/// The lines of bytes in memory.
struct SliceLines<'a> {
    bytes: &'a [u8],
    start: usize,
}

impl Lines for SliceLines<'_> {
    fn next_line(&mut self) -> Option<Line<'_>> {
        let (bytes, start) = (self.bytes, self.start);
        if start >= bytes.len() {
            return None;
        }
        let nl = bytes[start..].iter().position(|&b| b == b'\n');
        let (end, next) = match nl {
            Some(i) => (start + i, start + i + 1),
            None => (bytes.len(), bytes.len()),
        };
        self.start = next;
        Some(Line {
            text: &bytes[start..end],
            start,
            end,
            next,
            has_nl: nl.is_some(),
            last: next >= bytes.len(),
        })
    }

    fn count_hint(&self) -> usize {
        self.bytes.iter().filter(|&&b| b == b'\n').count()
    }
}

/// The lines of a file, read through a buffer, for a reader (no line
/// offsets kept); the first read error ends the lines and is kept in
/// `error`.
pub(crate) struct FileLines<R> {
    reader: io::BufReader<R>,
    line: Vec<u8>,
    offset: usize,
    count: usize,
    /// The read error that ended the lines early, if one did.
    pub error: Option<io::Error>,
}

impl<R: Read> FileLines<R> {
    /// `count`: how many lines to reserve room for ([`line_room`]).
    pub fn new(reader: R, count: usize) -> Self {
        FileLines {
            reader: io::BufReader::with_capacity(1 << 16, reader),
            line: Vec::new(),
            offset: 0,
            count,
            error: None,
        }
    }

    /// Bytes read so far: the file's length once the lines have ended
    /// without an error.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl<R: Read> Lines for FileLines<R> {
    fn next_line(&mut self) -> Option<Line<'_>> {
        use io::BufRead;
        self.line.clear();
        match self.reader.read_until(b'\n', &mut self.line) {
            Ok(0) => return None,
            Ok(_) => {}
            Err(e) => {
                self.error = Some(e);
                return None;
            }
        }
        let last = match self.reader.fill_buf() {
            Ok(rest) => rest.is_empty(),
            Err(e) => {
                self.error = Some(e);
                true
            }
        };
        let start = self.offset;
        let has_nl = self.line.last() == Some(&b'\n');
        let text_len = self.line.len() - usize::from(has_nl);
        self.offset += self.line.len();
        Some(Line {
            text: &self.line[..text_len],
            start,
            end: start + text_len,
            next: self.offset,
            has_nl,
            last,
        })
    }

    fn count_hint(&self) -> usize {
        self.count
    }

    fn keep_lines(&self) -> bool {
        false
    }
}

/// Splits `bytes` into lines and checks each one and the seq sequence.
pub(crate) fn scan(file: &str, bytes: &[u8]) -> Scan {
    scan_lines(file, &mut SliceLines { bytes, start: 0 })
}

/// [`scan`] over any source of lines.
pub(crate) fn scan_lines(file: &str, lines: &mut dyn Lines) -> Scan {
    let mut sc = Scanner::new(file, lines.keep_lines());
    // One entry a line: room for all of them at once, so a large journal
    // is never held twice while its vector grows.
    sc.out.entries.reserve_exact(lines.count_hint());
    if sc.keep_lines {
        sc.out.lines.reserve_exact(lines.count_hint());
    }
    while let Some(line) = lines.next_line() {
        let parsed = pre_parse(line.text, line.has_nl);
        sc.line(&line, parsed);
    }
    sc.finish()
}

/// What one line's bytes say, before the scan judges it in its place:
/// None for a last line without its newline (it may be torn), an error for
/// a blank line, else the line parsed. Needs nothing but the line, so it
/// may run on another thread ([`batch`]).
pub(crate) fn pre_parse(text: &[u8], has_nl: bool) -> Option<Result<Entry, ParseError>> {
    if !has_nl {
        return None;
    }
    if text.iter().all(u8::is_ascii_whitespace) {
        return Some(Err(ParseError {
            message: "empty line".to_owned(),
            offset: 0,
            len: 1,
        }));
    }
    Some(parse_bytes(text))
}

/// The scan's state between lines.
struct Scanner<'f> {
    file: &'f str,
    out: Scan,
    keep_lines: bool,
    line_no: usize,
    /// The highest seq so far.
    prev_seq: Option<u64>,
    /// The last line was damaged: the next seq is not compared with it.
    resync: bool,
    /// Unknown kinds: their first line and how many.
    unknown: BTreeMap<String, (usize, usize)>,
    /// The first line from a newer format version, and its version.
    newer: Option<(usize, u32)>,
}

impl<'f> Scanner<'f> {
    fn new(file: &'f str, keep_lines: bool) -> Self {
        Scanner {
            file,
            out: Scan::default(),
            keep_lines,
            line_no: 0,
            prev_seq: None,
            resync: false,
            unknown: BTreeMap::new(),
            newer: None,
        }
    }

    /// One line, with what [`pre_parse`] made of it (here or on another
    /// thread).
    fn line(&mut self, l: &Line<'_>, parsed: Option<Result<Entry, ParseError>>) {
        self.line_no += 1;
        match self.judge(l, parsed) {
            None if l.last => {
                self.out.torn = Some((l.start..l.next, self.line_no));
                self.out.torn_text = l.text.to_vec();
                if l.has_nl {
                    self.out.torn_text.push(b'\n');
                }
            }
            None => {}
            Some(e) => self.entry(e, l),
        }
    }

    /// The line's entry; a damaged line that is not the last is a problem
    /// (the last may be torn).
    fn judge(&mut self, l: &Line<'_>, parsed: Option<Result<Entry, ParseError>>) -> Option<Entry> {
        let err = match parsed? {
            Ok(e) => return Some(e),
            Err(err) => err,
        };
        if !l.last {
            let span = err.offset..err.offset + err.len;
            self.out.problems.push(line_diag(
                self.file,
                self.line_no,
                l.text,
                span,
                err.message,
            ));
            self.resync = true;
        }
        None
    }

    fn entry(&mut self, e: Entry, l: &Line<'_>) {
        let (file, line_no, line) = (self.file, self.line_no, l.text);
        self.check_seq(&e, line);
        self.resync = false;
        // Track the highest seq so one stray line is reported once.
        self.prev_seq = Some(self.prev_seq.map_or(e.seq, |p| p.max(e.seq)));
        if let Kind::Unknown { kind, .. } = &e.kind {
            self.unknown.entry(kind.clone()).or_insert((line_no, 0)).1 += 1;
        }
        if !is_current(e.v) && self.newer.is_none() {
            self.newer = Some((line_no, e.v));
        }
        let out = &mut self.out;
        out.max_seq = out.max_seq.max(e.seq);
        if let Some(err) = out_of_range(&e, line) {
            out.skipped.push(
                line_diag(
                    file,
                    line_no,
                    line,
                    err.offset..err.offset + err.len,
                    format!("{}: entry skipped", err.message),
                )
                .with_help(
                    "every reader leaves this entry out; correct it with a new entry \
                     (e.g. an 'adjust' with the right value), not by editing the line",
                ),
            );
            return;
        }
        if out.problems.is_empty() {
            out.clean += 1;
        }
        if out.entries.is_empty() && !matches!(e.kind, Kind::Open { .. }) {
            out.warnings.push(line_diag(
                file,
                line_no,
                line,
                0..1,
                format!(
                    "first entry is '{}', not 'open'",
                    crate::text::sanitize(e.kind.name())
                ),
            ));
        }
        out.entries.push(e);
        if self.keep_lines {
            out.lines.push((line_no, l.start..l.end));
        }
    }

    /// Seqs run 1, 2, 3, …: a gap, a repeat or a step back is a problem
    /// (not right after a damaged line, which may have been the missing one).
    fn check_seq(&mut self, e: &Entry, line: &[u8]) {
        let expected = self.prev_seq.map_or(1, |p| p.saturating_add(1));
        if e.seq == expected || self.resync {
            return;
        }
        let msg = match self.prev_seq {
            None => format!("first seq is {}, expected 1", e.seq),
            Some(p) if e.seq == p => format!("seq {} repeats", e.seq),
            Some(p) if e.seq < p => {
                format!("seq goes back from {p} to {}", e.seq)
            }
            Some(p) => format!(
                "seq jumps from {p} to {}: {} missing",
                e.seq,
                if e.seq - p == 2 {
                    format!("entry {} is", p + 1)
                } else {
                    format!("entries {}..={} are", p + 1, e.seq - 1)
                }
            ),
        };
        let span = field_value_span(line, "seq").map_or(0..1, |(o, l)| o..o + l);
        self.out
            .problems
            .push(line_diag(self.file, self.line_no, line, span, msg));
    }

    /// The scan, with the warnings only the whole file can give.
    fn finish(mut self) -> Scan {
        let file = self.file;
        if let Some((line, v)) = self.newer {
            self.out.warnings.push(located(
                file,
                line,
                format!(
                    "written by a newer showcall (format v{v}; this one writes v{FORMAT_VERSION}): read as well as possible"
                ),
            ));
        }
        for (kind, (line, n)) in self.unknown {
            self.out.warnings.push(located(
                file,
                line,
                format!(
                    "unknown kind '{}' ({n} entr{}), from a newer showcall: kept and ignored",
                    crate::text::sanitize(&kind),
                    if n == 1 { "y" } else { "ies" }
                ),
            ));
        }
        self.out
    }
}

fn located(file: &str, line: usize, message: String) -> Diagnostic {
    let mut d = Diagnostic::file_level(file, message);
    d.line = line;
    d.col = 1;
    d
}

pub(crate) fn torn_warning(file: &str, text: &[u8], line: usize) -> Diagnostic {
    let why = if text.last() == Some(&b'\n') {
        "is not a valid entry"
    } else {
        "has no newline"
    };
    let mut d = line_diag(
        file,
        line,
        text,
        0..text.len().min(SHOW_MAX),
        format!(
            "last line {why} ({} bytes): a write was cut short",
            text.len()
        ),
    );
    d.caret_len = d.caret_len.max(1);
    d
}

/// A journal read without taking the lock.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// Entries before the first problem (all of them when there is none).
    pub entries: Vec<Entry>,
    /// Torn last line (left in place: only the writer moves it), unknown
    /// kinds, newer versions, a first entry that is not `open`.
    pub warnings: Vec<Diagnostic>,
    /// The first damage that would stop a writer; `check` lists them all.
    pub problem: Option<Diagnostic>,
}

/// The largest journal any reader or writer reads, 256 MiB: about
/// 2,500,000 entries, a thousand times a long day's, so a journal of a
/// million entries (the keypress benchmark's) still opens. Past it the file
/// is not a journal (or is damaged beyond use), and reading stays bounded
/// in time and memory (about 1.2 GB at the limit).
pub const MAX_JOURNAL_BYTES: u64 = 256 * 1024 * 1024;

/// The error for a path that is a device, a FIFO or a socket: reading one
/// could block forever (a FIFO) or never end (`/dev/zero`).
pub(crate) fn not_regular() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "not a regular file (a device, a pipe or a socket): give the path of a journal file",
    )
}

/// The error for a file past [`MAX_JOURNAL_BYTES`], in every reader's words.
pub(crate) fn too_big(len: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "the file is too big for a journal ({len} bytes; at most {MAX_JOURNAL_BYTES}): is it the right file?"
        ),
    )
}

/// All of an open journal file, from its start: refused at once unless it
/// is a regular file, and never more than [`MAX_JOURNAL_BYTES`].
pub(crate) fn read_file(file: &mut File) -> io::Result<Vec<u8>> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > MAX_JOURNAL_BYTES {
        return Err(too_big(meta.len()));
    }
    file.seek(SeekFrom::Start(0))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_JOURNAL_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_JOURNAL_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// [`read_file`] by path; the type is checked before opening, since opening
/// a FIFO to read blocks until someone writes to it.
pub(crate) fn read_path(path: &Path) -> io::Result<Vec<u8>> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    read_file(&mut File::open(path)?)
}

/// Whether a journal path can be read at all, without reading it: the
/// checks every reader makes first, for a command that starts long before
/// its first read (`serve`). A missing file is fine (not written yet).
/// Errors: not a regular file, bigger than [`MAX_JOURNAL_BYTES`], or it
/// cannot be opened (permission denied).
pub fn readable(path: &Path) -> Result<(), JournalError> {
    let io_err = |e| JournalError::io(path, e);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(e)),
    };
    if !meta.is_file() {
        return Err(io_err(not_regular()));
    }
    if meta.len() > MAX_JOURNAL_BYTES {
        return Err(io_err(too_big(meta.len())));
    }
    File::open(path).map(drop).map_err(io_err)
}

/// Reads the whole journal without locking it and without changing it.
/// Never blocks a writer. Errors: the file cannot be read, is not a regular
/// file, or is bigger than [`MAX_JOURNAL_BYTES`].
///
/// The file is read a line at a time, once, so a journal of a million
/// entries is never held in memory whole beside its entries.
pub fn read(path: &Path) -> Result<Replay, JournalError> {
    let io_err = |e| JournalError::io(path, e);
    if !std::fs::metadata(path).map_err(io_err)?.is_file() {
        return Err(io_err(not_regular()));
    }
    let file = File::open(path).map_err(io_err)?;
    let room = line_room(&file).map_err(io_err)?;
    let mut lines = FileLines::new(file.take(MAX_JOURNAL_BYTES), room);
    let s = scan_file(&path.display().to_string(), &mut lines);
    let read = lines.offset();
    match lines.error.or_else(|| past_limit(read)) {
        Some(e) => Err(io_err(e)),
        None => Ok(replay_scan(&path.display().to_string(), s)),
    }
}

/// The shortest line an entry can be, in bytes (`{"v":1,"seq":1,"at":…,
/// "kind":"end","session":"a"}` is over 70): how many entries a file of a
/// given length can hold at most, near enough to reserve room for them.
const SHORTEST_LINE: u64 = 64;

/// Room to reserve for the entries of an open journal file, which is
/// refused at once unless it is a regular file of at most
/// [`MAX_JOURNAL_BYTES`]. Worked out from its length, without reading it:
/// the room is only reserved, and the memory a journal of longer lines
/// leaves unused is never touched, so it costs nothing; shorter lines
/// (damage) only make the list grow as usual.
pub(crate) fn line_room(file: &File) -> io::Result<usize> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > MAX_JOURNAL_BYTES {
        return Err(too_big(meta.len()));
    }
    Ok(usize::try_from(meta.len() / SHORTEST_LINE + 1).unwrap_or(0))
}

/// A file that grew past [`MAX_JOURNAL_BYTES`] while it was read (the
/// lines stop at the limit).
pub(crate) fn past_limit(read: usize) -> Option<io::Error> {
    (read as u64 >= MAX_JOURNAL_BYTES).then(|| too_big(read as u64))
}

/// [`read`] for bytes already in memory; `file` is the name used in diagnostics.
pub fn replay_bytes(file: &str, bytes: &[u8]) -> Replay {
    replay_scan(file, scan(file, bytes))
}

/// What a reader keeps of a scan: the entries before the first problem,
/// the warnings in line order and the first problem.
fn replay_scan(file: &str, mut s: Scan) -> Replay {
    if let Some((_, line)) = &s.torn {
        s.warnings.push(torn_warning(file, &s.torn_text, *line));
    }
    s.warnings.append(&mut s.skipped);
    s.warnings.sort_by_key(|d| d.line);
    s.entries.truncate(s.clean);
    Replay {
        entries: s.entries,
        warnings: s.warnings,
        problem: s.problems.into_iter().next(),
    }
}
