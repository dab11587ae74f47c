//! Reading a large journal file on two cores: this thread reads the
//! lines in batches and a second thread parses each batch while the next
//! is read. The scan then takes the batches in file order, exactly as it
//! takes lines one by one ([`super::scan_lines`]), so what it finds is the
//! same; parsing, the costliest step, runs beside reading and scanning.
//! (A worker that died could only be a bug: its panic is raised again
//! when the scope ends.)

use std::io::Read;
use std::sync::mpsc;

use super::super::Entry;
use super::super::format::ParseError;
use super::{FileLines, Line, Lines, Scan, Scanner, pre_parse, scan_lines};

/// Lines per batch: large enough that handing one over costs nothing
/// beside parsing it, small enough to hold only a few hundred kB.
const BATCH: usize = 4096;

/// Below this many lines (by the room reserved), one thread reads alone.
const ALONE: usize = 4 * BATCH;

/// Lines copied out of the file, with where each was in it.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    lines: Vec<Meta>,
}

/// One line of a [`Batch`]: its text at `from..from + len` of the batch's
/// bytes, the rest as [`Line`] says.
struct Meta {
    from: usize,
    len: usize,
    start: usize,
    end: usize,
    next: usize,
    has_nl: bool,
    last: bool,
}

impl Meta {
    fn line<'b>(&self, bytes: &'b [u8]) -> Line<'b> {
        Line {
            text: &bytes[self.from..self.from + self.len],
            start: self.start,
            end: self.end,
            next: self.next,
            has_nl: self.has_nl,
            last: self.last,
        }
    }
}

/// What each line of a batch parsed to ([`pre_parse`]).
type Parsed = Vec<Option<Result<Entry, ParseError>>>;

/// [`scan_lines`] of a file, on two threads when it is large (and a second
/// thread can be had).
pub(crate) fn scan_file<R: Read>(file: &str, lines: &mut FileLines<R>) -> Scan {
    if lines.count_hint() < ALONE {
        return scan_lines(file, lines);
    }
    let mut sc = Scanner::new(file, false);
    sc.out.entries.reserve_exact(lines.count_hint());
    std::thread::scope(|scope| {
        let (to_worker, work) = mpsc::sync_channel::<Batch>(1);
        let (back, done) = mpsc::sync_channel::<(Batch, Parsed)>(1);
        let worker = std::thread::Builder::new()
            .name("journal-parse".into())
            .spawn_scoped(scope, move || {
                for batch in work {
                    let parsed = parse(&batch);
                    if back.send((batch, parsed)).is_err() {
                        break;
                    }
                }
            });
        if worker.is_err() {
            // No second thread: read alone, as a small file is.
            while let Some(line) = lines.next_line() {
                let parsed = pre_parse(line.text, line.has_nl);
                sc.line(&line, parsed);
            }
            return;
        }
        // This thread reads batch k+1 while the worker parses batch k,
        // then takes k in; the worker parses in order, so the batches come
        // back in file order.
        let mut in_flight = 0usize;
        loop {
            let mut batch = Batch::default();
            let more = fill(lines, &mut batch);
            if more {
                if to_worker.send(batch).is_err() {
                    break;
                }
                in_flight += 1;
            }
            while in_flight > usize::from(more) {
                let Ok((batch, parsed)) = done.recv() else {
                    return;
                };
                take(&mut sc, &batch, parsed);
                in_flight -= 1;
            }
            if !more {
                break;
            }
        }
        drop(to_worker);
    });
    sc.finish()
}

/// Reads up to [`BATCH`] lines into `batch`; false when there were none.
fn fill<R: Read>(lines: &mut FileLines<R>, batch: &mut Batch) -> bool {
    batch.lines.reserve(BATCH);
    while batch.lines.len() < BATCH {
        let Some(l) = lines.next_line() else {
            break;
        };
        let from = batch.bytes.len();
        batch.bytes.extend_from_slice(l.text);
        batch.lines.push(Meta {
            from,
            len: l.text.len(),
            start: l.start,
            end: l.end,
            next: l.next,
            has_nl: l.has_nl,
            last: l.last,
        });
    }
    !batch.lines.is_empty()
}

/// Each line of `batch`, parsed.
fn parse(batch: &Batch) -> Parsed {
    batch
        .lines
        .iter()
        .map(|m| {
            let l = m.line(&batch.bytes);
            pre_parse(l.text, l.has_nl)
        })
        .collect()
}

/// The scan takes a batch's lines, in order, with their parses.
fn take(sc: &mut Scanner<'_>, batch: &Batch, parsed: Parsed) {
    for (m, p) in batch.lines.iter().zip(parsed) {
        sc.line(&m.line(&batch.bytes), p);
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan;
    use super::*;

    /// 40,000 lines (ten batches, so two threads) with damage in the
    /// worker's batches and in this thread's: a blank line (line 5,000,
    /// batch 2), a line that is not JSON (line 9,000, batch 3), a seq that
    /// jumps (line 20,000, batch 5), an unknown kind, and a torn last line.
    /// The scan on two threads finds exactly what the scan of the same
    /// bytes in one pass finds.
    #[test]
    fn two_threads_find_what_one_pass_finds() {
        let mut text = String::new();
        let mut seq = 0u64;
        for n in 1..=40_000u64 {
            let line = match n {
                5_000 => "   ".to_owned(),
                9_000 => "{not json".to_owned(),
                _ => {
                    seq += if n == 20_000 { 3 } else { 1 };
                    let kind = match n {
                        1 => r#""kind":"open","agenda":"a.toml","sha256":"ab","version":"t""#
                            .to_owned(),
                        30_000 => r#""kind":"future_thing","x":1"#.to_owned(),
                        _ => format!(r#""kind":"note","text":"n{n}""#),
                    };
                    format!(r#"{{"v":1,"seq":{seq},"at":"2023-06-22T15:00:00+02:00",{kind}}}"#)
                }
            };
            text.push_str(&line);
            text.push('\n');
        }
        text.push_str(r#"{"v":1,"seq":99999,"at":"2023-06-2"#);
        let bytes = text.into_bytes();
        let one = scan("j", &bytes);
        let mut lines = FileLines::new(&bytes[..], bytes.len() / 64 + 1);
        let two = scan_file("j", &mut lines);
        assert!(lines.error.is_none());
        assert_eq!(lines.offset(), bytes.len());
        // 40,000 lines less the blank and the broken one.
        assert_eq!(two.entries.len(), 39_998);
        assert_eq!(two.entries, one.entries);
        assert_eq!(two.clean, one.clean);
        assert_eq!(two.max_seq, one.max_seq);
        assert_eq!(two.torn, one.torn);
        assert_eq!(two.torn_text, one.torn_text);
        let said = |d: &[crate::diag::Diagnostic]| -> Vec<String> {
            d.iter().map(ToString::to_string).collect()
        };
        // Blank line, broken line, seq jump: three problems, in file order.
        assert_eq!(two.problems.len(), 3);
        assert_eq!(said(&two.problems), said(&one.problems));
        assert_eq!(said(&two.warnings), said(&one.warnings));
        assert_eq!(said(&two.skipped), said(&one.skipped));
    }
}
