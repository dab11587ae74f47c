//! In-process, structure-aware fuzzing of every parser and every output.
//!
//! Valid files (the reference agenda, the agenda and journal fixtures) are
//! mutated the way people and crashes damage them: a value replaced by an
//! extreme or hostile one, a field removed, lines dropped, repeated or
//! swapped, a file cut short, raw bytes inserted. The mutations are
//! proptest strategies; each input goes through
//!
//! - the agenda: `Agenda::parse`, its diagnostics, `schedule_text`;
//! - the journal: `replay_bytes` (as every reader), `check_bytes` (as
//!   `showcall check --journal`), a `Follower` reading it from a file;
//! - the engine and the outputs: `Show` at several instants, `status_text`
//!   (`check --status`), and the report in all four formats;
//! - `showcall import`: every source format's reader (CSV, frab XML and
//!   JSON, iCalendar, Ontime, a spreadsheet), its diagnostics, and the
//!   agenda it writes, which `showcall check` must accept;
//! - the real binary (`check`, `report` in every format) on mutated files:
//!   exit 0 or 2 as the library judges the input, never a panic.
//!
//! Each asserts: no panic; a bounded time per input; bad input gets a
//! diagnostic; and no C0/C1 control, bidi override or line separator from
//! the input reaches any output.
//!
//! `cargo test` runs a fixed seed and a small count, in seconds. The long
//! run, minutes with a random seed (the seed is printed; give it back as
//! `FUZZ_SEED` to replay a failure):
//!
//! ```text
//! FUZZ_SECS=600 FUZZ_SEED=random cargo test --release --test fuzz -- --nocapture
//! ```
//!
//! (`FUZZ_SECS` keeps each of the four tests running for that long, in
//! rounds of `FUZZ_CASES` inputs, 300 by default, each round a new seed.)

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value};
use showcall::agenda::Agenda;
use showcall::journal::{self, Follower};
use showcall::report::{self, Format};
use showcall::show::Show;
use showcall::text::is_unsafe_char;

/// The slowest one input may be, in any build: a hang detector, not a
/// speed target (those are in `cargo bench`).
const PER_INPUT: Duration = Duration::from_secs(5);

/// Every text a parser may meet that is hostile to a terminal.
const HOSTILE: &[&str] = &[
    "\u{1b}[2J\u{1b}]52;c;SGVsbG8=\u{7}",
    "\u{9b}31m\u{85}\u{7f}",
    "\u{202e}evil\u{2066}x\u{2069}",
    "a\u{0}b\r\nc\u{2028}d",
    "\u{61c}\u{200f}\u{200e}",
];

// ---------------------------------------------------------------- harness

/// Cases and seed: `FUZZ_CASES` (default `default`), `FUZZ_SEED` (a number,
/// or `random`; default fixed).
fn settings(default: u32) -> (u32, u64) {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default);
    let seed: u64 = match std::env::var("FUZZ_SEED").as_deref() {
        Ok("random") => {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap();
            t.as_nanos() as u64 ^ u64::from(std::process::id())
        }
        Ok(s) => s.parse().expect("FUZZ_SEED: a number or 'random'"),
        Err(_) => 0x5eed_0014,
    };
    (cases, seed)
}

fn runner(cases: u32, seed: u64, name: &str) -> TestRunner {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(name.len() as u64).to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2000,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Runs `test` on `cases` inputs from `strategy`; with `FUZZ_SECS`, keeps
/// running rounds of `cases` (seed, seed + 1, …) until that many seconds
/// have passed. A failure names the seed that replays it.
fn fuzz<S: Strategy>(
    default: u32,
    name: &str,
    strategy: &S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    watchdog();
    let (cases, seed) = settings(default);
    let secs = std::env::var("FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok());
    eprintln!("fuzz {name}: {cases} cases a round, FUZZ_SEED={seed}");
    let t0 = Instant::now();
    let mut round = 0u64;
    loop {
        let round_seed = seed.wrapping_add(round);
        if let Err(e) = runner(cases, round_seed, name).run(strategy, &test) {
            panic!("fuzz {name}: FUZZ_SEED={round_seed} FUZZ_CASES={cases} replays it: {e}");
        }
        round += 1;
        if secs.is_none_or(|s| t0.elapsed() >= Duration::from_secs(s)) {
            break;
        }
    }
    eprintln!(
        "fuzz {name}: {} cases in {:.1?}, no panic, hang, slow input or unsafe output",
        u64::from(cases) * round,
        t0.elapsed()
    );
}

/// The input being tried, for the watchdog: a hang cannot be caught in
/// process, so it is printed and the run aborted.
static CURRENT: Mutex<Option<(Instant, String)>> = Mutex::new(None);

fn watchdog() {
    static START: std::sync::Once = std::sync::Once::new();
    START.call_once(|| {
        std::thread::spawn(|| {
            loop {
                std::thread::sleep(Duration::from_secs(1));
                let cur = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
                if let Some((t0, input)) = cur.as_ref()
                    && t0.elapsed() > PER_INPUT * 6
                {
                    eprintln!("fuzz: HANG ({:?}) on input:\n{input}", t0.elapsed());
                    std::process::abort();
                }
            }
        });
    });
}

/// Runs `f` on one input, timing it.
fn timed<T>(what: &str, input: &str, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), input.to_owned()));
    let t0 = Instant::now();
    let out = f();
    let dt = t0.elapsed();
    *CURRENT.lock().unwrap_or_else(|e| e.into_inner()) = None;
    prop_assert!(dt < PER_INPUT, "{what} took {dt:?}");
    Ok(out)
}

/// No unsafe character in an output. Our own line ends are allowed: `\n`,
/// and the CSV's `\r\n` (the sanitiser turns an input `\r` into a space).
fn clean(what: &str, out: &str) -> Result<(), TestCaseError> {
    let out = out.replace("\r\n", "\n");
    if let Some((i, c)) = out
        .char_indices()
        .find(|&(_, c)| c != '\n' && is_unsafe_char(c))
    {
        return Err(TestCaseError::fail(format!(
            "{what}: U+{:04X} at byte {i} of:\n{}",
            c as u32,
            out.escape_debug()
        )));
    }
    Ok(())
}

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

// ---------------------------------------------------------- the mutations

/// Values people and programs put where another was expected.
fn json_values() -> Vec<Value> {
    let mut v: Vec<Value> = [
        0i64,
        -1,
        1,
        59,
        60,
        3600,
        86_400,
        604_800,
        604_801,
        -604_801,
        100_000_000_000,
        9_223_372_036_854,
        i64::MAX,
        i64::MIN,
    ]
    .into_iter()
    .map(Value::from)
    .collect();
    v.extend([
        Value::from(u64::MAX),
        Value::from(1e308),
        Value::from(-0.5),
        Value::Null,
        Value::Bool(true),
        Value::Array(vec![]),
        Value::Object(Map::new()),
    ]);
    for s in [
        "",
        "welcome",
        "panel",
        "replace",
        "add",
        "remove",
        "show",
        "real",
        "2023-06-22T15:00:00+02:00",
        "2023-06-22T15:00:00.999999999+02:00",
        "9999-12-31T23:59:59+23:59",
        "0000-01-01T00:00:00-23:59",
        "2023-06-22T15:00:00Z",
        "2033-06-22T15:00:00+02:00",
        "2023-06-22",
        "15:00",
    ] {
        v.push(Value::from(s));
    }
    v.extend(HOSTILE.iter().map(|s| Value::from(*s)));
    v.push(Value::from("x".repeat(5000)));
    v
}

const JSON_FIELDS: &[&str] = &[
    "v",
    "seq",
    "at",
    "kind",
    "session",
    "over_s",
    "delta_s",
    "note",
    "change",
    "from",
    "to",
    "speaker",
    "text",
    "target",
    "agenda",
    "sha256",
    "version",
    "clock",
    "clock_wall",
    "clock_show",
    "clock_speed",
    "shift_s",
    "added",
    "removed",
    "retimed",
    "retitled",
    "was",
    "cue",
    "on",
    "error",
];

const KINDS: &[&str] = &[
    "open",
    "start",
    "end",
    "overrun",
    "speaker",
    "adjust",
    "floor",
    "floor_close",
    "message",
    "note",
    "undo",
    "skip",
    "agenda",
    "action",
    "hold",
    "resume",
    "cue_failed",
    "future_kind",
];

/// TOML values for any key of an agenda.
const TOML_VALUES: &[&str] = &[
    "\"\"",
    "\"15:00\"",
    "\"23:59\"",
    "\"24:00\"",
    "\"25:00\"",
    "\"00:00\"",
    "\"02:30\"",
    "\"23:59:60\"",
    "\"10m\"",
    "\"0m\"",
    "\"1s\"",
    "\"168h\"",
    "\"169h\"",
    "\"999999999h\"",
    "\"1h1h\"",
    "\"2023-06-22\"",
    "\"2023-02-29\"",
    "\"9999-12-31\"",
    "\"0000-01-01\"",
    "\"2023-03-26\"",
    "\"2023-10-29\"",
    "\"Europe/Zurich\"",
    "\"UTC\"",
    "\"Pacific/Chatham\"",
    "\"America/Sao_Paulo\"",
    "\"Nope/Zone\"",
    "2023-06-22",
    "15:00:00",
    "2023-06-22T15:00:00",
    "1979-05-27T07:32:00Z",
    "0",
    "-1",
    "9223372036854775807",
    "1e308",
    "nan",
    "true",
    "[]",
    "[\"a\", \"a\"]",
    "{}",
    "\"welcome\"",
    "\"\\u001b[2J\\u001b]52;c;SGVsbG8=\\u0007\"",
    "\"\\u009b31m\\u202eevil\"",
    "'''\nmulti\nline'''",
];

/// Lines an agenda may gain.
const TOML_LINES: &[&str] = &[
    "[[session]]",
    "[event]",
    "[signals]",
    "id = \"welcome\"",
    "title = \"T\"",
    "start = \"15:00\"",
    "end = \"14:00\"",
    "duration = \"168h\"",
    "date = \"2023-06-23\"",
    "fixed = true",
    "min_duration = \"1m\"",
    "intervention = \"3m\"",
    "intervention_warn = \"1h\"",
    "intervention_final = \"0s\"",
    "warn = \"10m\"",
    "final = \"11m\"",
    "must_end_by = \"15:01\"",
    "also_show = [\"UTC\", \"Nope/Zone\"]",
    "speakers = [\"\\u001b[2J\"]",
    "notes = \"a\\u0085b\"",
    "x = = ]",
    "[[session]]\nid = \"late\"\ntitle = \"Late\"\nstart = \"23:50\"\nduration = \"30m\"",
    "[[session]]\nid = \"dst\"\ntitle = \"D\"\ndate = \"2023-10-29\"\nstart = \"02:30\"\nduration = \"1h\"",
    // Cues out (docs/cues.md), whole and in pieces.
    "[[cue]]\non = \"final\"\nosc = \"127.0.0.1:53000\"\naddress = \"/cue/1/start\"",
    "[[cue]]\non = \"start\"\nhttp = \"http://h:1/{title}?s={session}\"\nbody = '{\"t\": \"{text}\"}'",
    "[[cue]]",
    "on = \"over\"",
    "osc = \"[::1]:99999\"",
    "address = \"/x y\"",
    "args = [\"{speaker}\", 1, 2.5, true, {}]",
    "http = \"https://h/\"",
    "method = \"GET\"",
    "headers = { \"A B\" = \"\\u001b\" }",
];

#[derive(Debug, Clone)]
enum TextOp {
    /// Replace the value after `=` on a line with a dictionary value.
    ReplaceValue(Index, Index),
    DeleteLine(Index),
    DuplicateLine(Index, Index),
    SwapLines(Index, Index),
    InsertLine(Index, Index),
    /// Cut the file at a byte.
    Truncate(Index),
    /// Raw bytes (possibly not UTF-8) at a byte.
    InsertBytes(Index, Vec<u8>),
    /// A hostile text (raw, not escaped) at a byte.
    InsertHostile(Index, Index),
}

fn text_op() -> impl Strategy<Value = TextOp> {
    prop_oneof![
        4 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| TextOp::ReplaceValue(a, b)),
        1 => any::<Index>().prop_map(TextOp::DeleteLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| TextOp::DuplicateLine(a, b)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| TextOp::SwapLines(a, b)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| TextOp::InsertLine(a, b)),
        1 => any::<Index>().prop_map(TextOp::Truncate),
        1 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| TextOp::InsertBytes(a, b)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| TextOp::InsertHostile(a, b)),
    ]
}

fn apply_text(src: &str, ops: &[TextOp]) -> Vec<u8> {
    let mut lines: Vec<String> = src.lines().map(str::to_owned).collect();
    let mut tail: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut cut: Option<Index> = None;
    for op in ops {
        if lines.is_empty() {
            lines.push(String::new());
        }
        let n = lines.len();
        match op {
            TextOp::ReplaceValue(l, v) => {
                let line = &mut lines[l.index(n)];
                if let Some(eq) = line.find('=') {
                    line.truncate(eq + 1);
                    line.push(' ');
                    line.push_str(v.get::<&str>(TOML_VALUES));
                }
            }
            TextOp::DeleteLine(l) => {
                lines.remove(l.index(n));
            }
            TextOp::DuplicateLine(a, b) => {
                let l = lines[a.index(n)].clone();
                lines.insert(b.index(n + 1), l);
            }
            TextOp::SwapLines(a, b) => lines.swap(a.index(n), b.index(n)),
            TextOp::InsertLine(a, v) => {
                lines.insert(a.index(n + 1), v.get::<&str>(TOML_LINES).to_string())
            }
            TextOp::Truncate(at) => cut = Some(*at),
            TextOp::InsertBytes(at, b) => tail.push((at.index(1 << 20), b.clone())),
            TextOp::InsertHostile(at, h) => {
                let line = &mut lines[at.index(n)];
                let mut i = at.index(line.len() + 1);
                while !line.is_char_boundary(i) {
                    i -= 1;
                }
                line.insert_str(i, h.get::<&str>(HOSTILE));
            }
        }
    }
    let mut bytes = (lines.join("\n") + "\n").into_bytes();
    for (at, b) in tail {
        let at = at % (bytes.len() + 1);
        bytes.splice(at..at, b);
    }
    if let Some(at) = cut {
        bytes.truncate(at.index(bytes.len() + 1));
    }
    bytes
}

/// A valid entry of each kind (seq and time set when inserted).
fn template(kind: &str) -> Value {
    let mut v =
        serde_json::json!({"v": 1, "seq": 1, "at": "2023-06-22T15:05:00+02:00", "kind": kind});
    let o = v.as_object_mut().unwrap();
    let mut set = |k: &str, x: Value| {
        o.insert(k.into(), x);
    };
    match kind {
        "open" => {
            set("agenda", "agenda.toml".into());
            set("sha256", "0".into());
            set("version", "0.1.0".into());
        }
        "overrun" => {
            set("session", "welcome".into());
            set("over_s", 30.into());
            set("note", "late".into());
        }
        "speaker" => {
            set("session", "welcome".into());
            set("change", "replace".into());
            set("from", "Ana".into());
            set("to", "Ben".into());
        }
        "adjust" => {
            set("session", "welcome".into());
            set("delta_s", 60.into());
        }
        "floor" => {
            set("session", "panel".into());
            set("speaker", "audience".into());
        }
        "message" | "note" => set("text", "hello".into()),
        "undo" => set("target", 2.into()),
        "skip" => {
            set("session", "panel".into());
            set("note", "cut".into());
        }
        "floor_name" => {
            set("session", "panel".into());
            set("floor", 3.into());
            set("speaker", "Ana".into());
        }
        "agenda" => {
            set("sha256", "0".into());
            set("retimed", serde_json::json!(["panel"]));
        }
        "action" => {
            set("text", "send the slides".into());
            set("who", "Ana".into());
            set("by", "Friday".into());
        }
        "hold" => set("reason", "fire alarm".into()),
        _ => set("session", "welcome".into()),
    }
    v
}

#[derive(Debug, Clone)]
enum LineOp {
    SetField(Index, Index, Index),
    /// Replace the value of a field the line already has.
    SetExisting(Index, Index, Index),
    /// A valid entry of some kind, at some place.
    Insert(Index, Index),
    /// Seqs made 1, 2, 3, … again, so later damage is the only damage.
    Renumber,
    /// Every number in a line replaced by an extreme one.
    Extreme(Index, Index),
    RemoveField(Index, Index),
    SetKind(Index, Index),
    Text(TextOp),
}

fn line_op() -> impl Strategy<Value = LineOp> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(l, f, v)| LineOp::SetField(l, f, v)),
        6 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(l, f, v)| LineOp::SetExisting(l, f, v)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(l, k)| LineOp::Insert(l, k)),
        3 => Just(LineOp::Renumber),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(l, v)| LineOp::Extreme(l, v)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(l, f)| LineOp::RemoveField(l, f)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(l, k)| LineOp::SetKind(l, k)),
        3 => text_op().prop_map(LineOp::Text),
    ]
}

/// Mutates a journal line by line as JSON objects, then as text.
fn apply_journal(src: &str, ops: &[LineOp]) -> Vec<u8> {
    let values = json_values();
    let mut objs: Vec<Value> = src
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or(Value::String(l.to_owned())))
        .collect();
    let mut text_ops = Vec::new();
    for op in ops {
        let n = objs.len().max(1);
        match op {
            LineOp::SetField(l, f, v) => {
                if let Some(o) = objs.get_mut(l.index(n)).and_then(Value::as_object_mut) {
                    o.insert(f.get(JSON_FIELDS).to_string(), v.get(&values).clone());
                }
            }
            LineOp::SetExisting(l, f, v) => {
                if let Some(o) = objs.get_mut(l.index(n)).and_then(Value::as_object_mut)
                    && !o.is_empty()
                {
                    let key = o.keys().nth(f.index(o.len())).cloned().unwrap_or_default();
                    o.insert(key, v.get(&values).clone());
                }
            }
            LineOp::Insert(l, k) => {
                let at = l.index(objs.len() + 1);
                let mut t = template(k.get::<&str>(KINDS));
                if let Some(prev) = at.checked_sub(1).and_then(|i| objs.get(i)) {
                    t["at"] = prev.get("at").cloned().unwrap_or(t["at"].clone());
                }
                objs.insert(at, t);
            }
            LineOp::Extreme(l, v) => {
                let numbers: Vec<&Value> = values.iter().filter(|v| v.is_number()).collect();
                if let Some(o) = objs.get_mut(l.index(n)).and_then(Value::as_object_mut) {
                    for (k, x) in o.iter_mut() {
                        if x.is_number() && !matches!(k.as_str(), "v" | "seq") {
                            *x = (*v.get(&numbers)).clone();
                        }
                    }
                }
            }
            LineOp::Renumber => {
                for (i, o) in objs.iter_mut().enumerate() {
                    if let Some(o) = o.as_object_mut() {
                        o.insert("seq".into(), Value::from(i as u64 + 1));
                    }
                }
            }
            LineOp::RemoveField(l, f) => {
                if let Some(o) = objs.get_mut(l.index(n)).and_then(Value::as_object_mut) {
                    o.remove(*f.get(JSON_FIELDS));
                }
            }
            LineOp::SetKind(l, k) => {
                if let Some(o) = objs.get_mut(l.index(n)).and_then(Value::as_object_mut) {
                    o.insert("kind".into(), Value::from(*k.get(KINDS)));
                }
            }
            LineOp::Text(t) => text_ops.push(t.clone()),
        }
    }
    let text: String = objs
        .iter()
        .map(|o| match o {
            Value::String(s) => s.clone(),
            o => o.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    // Journal text ops: no TOML lines, but drops, repeats, swaps, cuts, bytes.
    let text_ops: Vec<TextOp> = text_ops
        .into_iter()
        .filter(|t| {
            !matches!(
                t,
                TextOp::ReplaceValue(..) | TextOp::InsertLine(..) | TextOp::InsertHostile(..)
            )
        })
        .collect();
    apply_text(&text, &text_ops)
}

// ------------------------------------------------------------- the oracles

/// Everything that reads an agenda, and what it prints.
fn agenda_outputs(bytes: &[u8]) -> Result<Option<Agenda>, TestCaseError> {
    match Agenda::parse(bytes, "fuzz.toml") {
        Ok(a) => {
            clean("schedule_text", &showcall::agenda::schedule_text(&a))?;
            Ok(Some(a))
        }
        Err(d) => {
            prop_assert!(!d.0.is_empty(), "an error without a diagnostic");
            prop_assert!(d.0.len() <= showcall::agenda::MAX_PROBLEMS + 1);
            clean("agenda diagnostics", &d.to_string())?;
            Ok(None)
        }
    }
}

/// Every reader of a journal, the engine at several instants, and every
/// output built from them.
fn journal_outputs(agenda: &Agenda, bytes: &[u8]) -> Result<(), TestCaseError> {
    let replay = journal::replay_bytes("fuzz.jsonl", bytes);
    for w in &replay.warnings {
        clean("replay warning", &w.to_string())?;
    }
    if let Some(p) = &replay.problem {
        clean("replay problem", &p.to_string())?;
    }
    let known = |id: &str| agenda.session(id).is_some();
    let check = journal::check_bytes("fuzz.jsonl", bytes, Some(&agenda.sha256), Some(&known));
    clean("check --journal", &check.to_string())?;
    // Bad input gets a diagnostic: a clean check read every non-blank line.
    if check.is_clean() && check.warnings.is_empty() {
        let lines = bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
            .count();
        prop_assert_eq!(check.entries, lines, "lines lost without a diagnostic");
    }
    let entries = replay.entries;
    let show = Show::new(agenda.clone(), entries.clone());
    let mut instants: Vec<DateTime<Utc>> = vec![
        agenda.planned_start() - TimeDelta::hours(1),
        agenda.planned_start(),
        agenda.planned_end(),
        agenda.planned_end() + TimeDelta::days(400),
    ];
    instants.extend(entries.iter().take(3).map(|e| e.at.with_timezone(&Utc)));
    instants.extend(entries.last().map(|e| e.at.with_timezone(&Utc)));
    instants.sort();
    // The cue watch, from the first instant on: no panic on any journal.
    let mut watch = showcall::show::CueWatch::new(&show, &show.at(instants[0]));
    for now in instants {
        let snap = show.at(now);
        let events = watch.observe(&show, &snap);
        let _ = showcall::show::firings(agenda, &snap, &events);
        let _ = showcall::show::next_signal_change(&show, &snap);
        clean("status_text", &showcall::status::status_text(agenda, &snap))?;
        let r = report::build(agenda, &entries, now);
        for f in Format::ALL {
            let out = report::render(&r, f);
            clean(&format!("report {f:?}"), &out)?;
            // Bounded by sessions and entries, never by the span of times.
            let bound = 64 * 1024 + 4096 * (agenda.sessions.len() + entries.len());
            prop_assert!(out.len() < bound, "report {f:?}: {} bytes", out.len());
        }
    }
    Ok(())
}

/// A follower reading the bytes from a file, as the speaker screen does.
fn follower_outputs(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    std::fs::write(&path, bytes).unwrap();
    let mut f = Follower::new(&path);
    if let Err(e) = f.poll() {
        clean("follower error", &e.to_string())?;
    }
    for w in f.take_warnings() {
        clean("follower warning", &w.to_string())?;
    }
    Ok(())
}

fn agendas() -> Vec<String> {
    let mut v = vec![
        fixture("agenda.toml"),
        fixture("tests/fixtures/report/agenda.toml"),
    ];
    for name in [
        "signals",
        "dst_gap",
        "last_no_end",
        "out_of_order",
        "wrong_types",
        "cues",
    ] {
        v.push(fixture(&format!("tests/fixtures/agenda/{name}.toml")));
    }
    // The reference event with good cues of both kinds.
    v.push(
        fixture("agenda.toml")
            + "\n[[cue]]\nname = \"chime\"\non = \"final\"\nsession = \"panel\"\n\
               osc = \"127.0.0.1:53000\"\naddress = \"/cue/1/start\"\n\
               args = [\"{title}\", 1, 0.5, true]\n\
               \n[[cue]]\non = \"message\"\nhttp = \"http://127.0.0.1:8000/m?who={speaker}\"\n\
               method = \"PUT\"\nbody = '{\"text\": \"{text}\"}'\n\
               headers = { \"Content-Type\" = \"application/json\" }\n",
    );
    v
}

fn journals() -> Vec<String> {
    ["crash", "finished", "not_started"]
        .iter()
        .map(|c| fixture(&format!("tests/fixtures/report/{c}.jsonl")))
        .collect()
}

// ------------------------------------------------------------------ tests

#[test]
fn fuzz_agenda() {
    let seeds = agendas();
    let strategy = (0..seeds.len(), prop::collection::vec(text_op(), 1..6));
    fuzz(300, "agenda", &strategy, |(i, ops)| {
        let bytes = apply_text(&seeds[i], &ops);
        let shown = String::from_utf8_lossy(&bytes).into_owned();
        timed("agenda", &shown, || agenda_outputs(&bytes))??;
        Ok(())
    });
}

#[test]
fn fuzz_journal() {
    let agenda = Agenda::parse(
        fixture("tests/fixtures/report/agenda.toml").as_bytes(),
        "agenda.toml",
    )
    .unwrap();
    let seeds = journals();
    let strategy = (0..seeds.len(), prop::collection::vec(line_op(), 1..8));
    fuzz(150, "journal", &strategy, |(i, ops)| {
        let bytes = apply_journal(&seeds[i], &ops);
        let shown = String::from_utf8_lossy(&bytes).into_owned();
        timed("journal", &shown, || journal_outputs(&agenda, &bytes))??;
        timed("follower", &shown, || follower_outputs(&bytes))??;
        Ok(())
    });
}

/// Both at once: a mutated agenda that still validates, read with a
/// mutated journal.
#[test]
fn fuzz_agenda_and_journal() {
    let agendas = agendas();
    let journals = journals();
    let strategy = (
        0..agendas.len(),
        prop::collection::vec(text_op(), 0..3),
        0..journals.len(),
        prop::collection::vec(line_op(), 0..6),
    );
    fuzz(100, "agenda+journal", &strategy, |(a, aops, j, jops)| {
        let abytes = apply_text(&agendas[a], &aops);
        let Some(agenda) = timed("agenda", &String::from_utf8_lossy(&abytes), || {
            agenda_outputs(&abytes)
        })??
        else {
            return Ok(());
        };
        let jbytes = apply_journal(&journals[j], &jops);
        let shown = format!(
            "{}\n----\n{}",
            String::from_utf8_lossy(&abytes),
            String::from_utf8_lossy(&jbytes)
        );
        timed("journal", &shown, || journal_outputs(&agenda, &jbytes))??;
        Ok(())
    });
}

/// Random bytes, for completeness: structure-free inputs must be refused
/// cleanly too.
#[test]
fn fuzz_random_bytes() {
    let agenda = Agenda::parse(fixture("agenda.toml").as_bytes(), "agenda.toml").unwrap();
    fuzz(
        200,
        "bytes",
        &prop::collection::vec(any::<u8>(), 0..400),
        |bytes| {
            let shown = String::from_utf8_lossy(&bytes).into_owned();
            timed("agenda bytes", &shown, || agenda_outputs(&bytes))??;
            timed("journal bytes", &shown, || journal_outputs(&agenda, &bytes))??;
            Ok(())
        },
    );
}

/// `showcall import`: the schedules of other programs, mutated.
#[test]
fn fuzz_import() {
    use showcall::import::{DaySel, Options, import};
    let names = [
        "sheet-de.csv",
        "camp.ics",
        "democon.json",
        "fosdem-old.xml",
        "ontime-v3.json",
        "ontime-v4.json",
        "stadtforum.ods",
        "gsheets-us.csv",
        "pretalx-days.xml",
        "recurring.ics",
    ];
    let seeds: Vec<(&str, Vec<u8>)> = names
        .iter()
        .map(|n| {
            let path = format!("{}/tests/fixtures/import/{n}", env!("CARGO_MANIFEST_DIR"));
            (*n, std::fs::read(path).unwrap())
        })
        .collect();
    let strategy = (
        0..seeds.len(),
        prop::collection::vec(text_op(), 1..5),
        any::<bool>(),
        any::<bool>(),
    );
    fuzz(300, "import", &strategy, |(i, ops, lenient, zone)| {
        let (name, seed) = &seeds[i];
        let bytes = match std::str::from_utf8(seed) {
            Ok(text) => apply_text(text, &ops),
            // A workbook is a zip: only cuts and raw bytes.
            Err(_) => {
                let mut b = seed.clone();
                for op in &ops {
                    match op {
                        TextOp::Truncate(at) => b.truncate(at.index(b.len() + 1)),
                        TextOp::InsertBytes(at, x) => {
                            let at = at.index(b.len() + 1);
                            b.splice(at..at, x.iter().copied());
                        }
                        _ => {}
                    }
                }
                b
            }
        };
        // Options that let the unmutated fixtures import: every room, the
        // overlaps trimmed, day 1 (a date for Ontime, which has none).
        let day = if name.starts_with("ontime") {
            DaySel::Date(chrono::NaiveDate::from_ymd_opt(2023, 6, 22).unwrap())
        } else {
            DaySel::Index(1)
        };
        let opts = Options {
            all_rooms: true,
            allow_overlap: lenient,
            day: lenient.then_some(day),
            timezone: zone.then_some(chrono_tz::Europe::Zurich),
            // US dates (the Google sheet) need an order.
            date_order: (*name == "gsheets-us.csv").then_some(showcall::import::DateOrder::Mdy),
            ..Options::default()
        };
        let shown = format!("{name}:\n{}", String::from_utf8_lossy(&bytes));
        timed("import", &shown, || -> Result<(), TestCaseError> {
            match import(&bytes, name, &opts) {
                Ok(imp) => {
                    clean("imported agenda", &imp.toml)?;
                    for n in &imp.notes {
                        clean("import note", n)?;
                    }
                    if let Err(d) = Agenda::parse(imp.toml.as_bytes(), "imported.toml") {
                        return Err(TestCaseError::fail(format!(
                            "the imported agenda does not pass check:\n{d}\n{}",
                            imp.toml
                        )));
                    }
                }
                Err(d) => {
                    prop_assert!(!d.0.is_empty(), "an error without a diagnostic");
                    clean("import diagnostics", &d.to_string())?;
                }
            }
            Ok(())
        })??;
        Ok(())
    });
}

/// The real binary on mutated files: `check` exits 2 exactly when the
/// library found bad input, every command exits 0 or 2 (never a panic's
/// 101), and nothing it prints carries an unsafe character. Slower (a
/// process per command), so fewer cases.
#[test]
fn fuzz_cli() {
    let agendas = agendas();
    let journals = journals();
    let strategy = (
        0..agendas.len(),
        prop::collection::vec(text_op(), 0..2),
        0..journals.len(),
        prop::collection::vec(line_op(), 0..5),
    );
    fuzz(30, "cli", &strategy, |(a, aops, j, jops)| {
        let dir = tempfile::tempdir().unwrap();
        let abytes = apply_text(&agendas[a], &aops);
        let jbytes = apply_journal(&journals[j], &jops);
        std::fs::write(dir.path().join("agenda.toml"), &abytes).unwrap();
        std::fs::write(dir.path().join("j.jsonl"), &jbytes).unwrap();
        let run = |args: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_showcall"))
                .args(args)
                .current_dir(dir.path())
                .output()
                .unwrap()
        };
        let shown = format!(
            "{}\n----\n{}",
            String::from_utf8_lossy(&abytes),
            String::from_utf8_lossy(&jbytes)
        );
        let agenda = Agenda::parse(&abytes, "agenda.toml").ok();
        let journal_ok = agenda.as_ref().is_none_or(|a| {
            let known = |id: &str| a.session(id).is_some();
            journal::check_bytes("j.jsonl", &jbytes, Some(&a.sha256), Some(&known)).is_clean()
        });
        let check = timed("check", &shown, || run(&["check", "--journal", "j.jsonl"]))?;
        let want = if agenda.is_some() && journal_ok { 0 } else { 2 };
        prop_assert_eq!(check.status.code(), Some(want), "check:\n{}", shown);
        for f in ["md", "csv", "json", "svg"] {
            let o = timed("report", &shown, || {
                run(&[
                    "report",
                    "--journal",
                    "j.jsonl",
                    "--format",
                    f,
                    "--at",
                    "16:00",
                ])
            })?;
            let code = o.status.code();
            prop_assert!(
                code == Some(0) || code == Some(2),
                "report {}: {:?}",
                f,
                code
            );
            clean(
                &format!("report {f} stdout"),
                &String::from_utf8_lossy(&o.stdout),
            )?;
            clean(
                &format!("report {f} stderr"),
                &String::from_utf8_lossy(&o.stderr),
            )?;
        }
        clean("check stdout", &String::from_utf8_lossy(&check.stdout))?;
        clean("check stderr", &String::from_utf8_lossy(&check.stderr))?;
        Ok(())
    });
}
