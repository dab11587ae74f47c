//! Commands from outside the keyboard: the HTTP control API and OSC over
//! UDP, for a Stream Deck through Bitfocus Companion, a lighting or sound
//! desk, a script (docs/control.md).
//!
//! This module only listens, checks and parses. It never decides and never
//! writes: each command becomes a [`Request`] sent to the operator screen's
//! event loop, which runs it through the same path as a key
//! (`Show::apply`, then the journal's writer) at its own show clock, and
//! answers with a [`Reply`]. It knows nothing of the terminal.
//!
//! ```text
//!  Companion ─POST /api/go─▶ http ─┐                  ┌─▶ Reply ─▶ 200/409/422
//!  desk ──/showcall/go (UDP)─▶ osc ┴─ Request (Gate) ─▶ operator's loop
//! ```
//!
//! At most [`IN_FLIGHT`] requests wait for the loop at once (the [`Gate`]);
//! more get 503 (HTTP) or are dropped and said once (OSC), so a flood never
//! queues without bound or holds up the screen.

pub mod http;
pub mod osc;
pub mod parse;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use showcall_core::journal::Source;

use showcall_core::show::{Now, Show, Signal};
use showcall_core::status::lateness_text;
use showcall_core::text::sanitize;
/// The reply channel of a [`Request`], for callers without tokio of their own.
pub use tokio::sync::oneshot;

/// The most requests waiting for the operator's loop at once.
pub const IN_FLIGHT: usize = 32;

/// The longest a text (a message, a note, a reason, a name) may be, in
/// characters: the operator screen's forms take no more.
pub const MAX_TEXT: usize = 300;

/// A command, as a key on the operator screen would give it.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// GO: start the NOW session, or the next one.
    Go,
    /// End the live session.
    End,
    /// Lengthen (positive) or shorten the live session, in seconds.
    Time(i64),
    /// Hold the show, with a reason if given.
    Hold(Option<String>),
    /// End the hold.
    Resume,
    /// A message for the speaker screen, as text.
    Message(String),
    /// A message preset, by name (`WRAP UP`) or 1-based number, resolved by
    /// the operator screen against its own presets.
    Preset(String),
    /// Clear the speaker screen's message.
    Clear,
    /// Give the floor (the next speaker's slot starts now), named if given.
    Floor(Option<String>),
    /// Close the floor.
    FloorClose,
    /// A note for the record.
    Note(String),
}

/// What the operator's loop is asked.
#[derive(Debug)]
pub enum Ask {
    /// Carry out a command.
    Act(Command),
    /// Where the show stands, for `GET /api/state` ([`state`]).
    State,
    /// Say this on the operator screen (an OSC packet dropped, and why).
    Notice(String),
}

/// The loop's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Written: each entry's seq and what it records, in the screen's words.
    Done(Vec<(u64, String)>),
    /// The engine refused it (its reason); nothing written.
    Refused(String),
    /// The command names what the screen does not have (a preset beyond
    /// its list): a bad value, like a malformed one; nothing written.
    Invalid(String),
    /// This screen does not write the journal (why); nothing written.
    ReadOnly(String),
    /// The state ([`state`]).
    State(Value),
    /// The screen is closing or reopening (`R`); nothing done: try again.
    Closing,
}

/// One request to the operator's loop, holding its place at the [`Gate`]
/// until it is dropped.
#[derive(Debug)]
pub struct Request {
    /// What is asked.
    pub ask: Ask,
    /// Where it came from, for the entry's `source`.
    pub source: Source,
    /// Where the answer goes (None: nobody waits, as for OSC).
    pub reply: Option<tokio::sync::oneshot::Sender<Reply>>,
    /// The place at the gate.
    pub ticket: Ticket,
}

impl Request {
    /// Answers the request (nobody waiting is not an error).
    pub fn answer(self, reply: Reply) {
        if let Some(tx) = self.reply {
            let _ = tx.send(reply);
        }
    }
}

/// Counts the requests in flight; [`Gate::enter`] refuses past [`IN_FLIGHT`].
#[derive(Debug, Clone, Default)]
pub struct Gate(Arc<AtomicUsize>);

/// A place at the [`Gate`], given back when dropped.
#[derive(Debug)]
pub struct Ticket(Arc<AtomicUsize>);

impl Drop for Ticket {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gate {
    /// A place, or None when [`IN_FLIGHT`] requests already wait.
    pub fn enter(&self) -> Option<Ticket> {
        self.0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < IN_FLIGHT).then_some(n + 1)
            })
            .ok()
            .map(|_| Ticket(Arc::clone(&self.0)))
    }
}

/// Hands requests to the operator's loop; cheap to clone.
pub type Sink = Arc<dyn Fn(Request) + Send + Sync>;

/// What `--control`, `--control-network`, `--osc` and `--osc-allow` asked for.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The HTTP port (0: any free one), if asked for.
    pub http_port: Option<u16>,
    /// Listen on every interface instead of 127.0.0.1 only.
    pub http_network: bool,
    /// The OSC UDP port (0: any free one), if asked for.
    pub osc_port: Option<u16>,
    /// The senders OSC accepts; empty: 127.0.0.1 only (and it listens there).
    pub osc_allow: Vec<IpAddr>,
    /// The journal the key is kept beside (`<journal>.control-key`).
    pub journal: PathBuf,
}

/// What was started, to print before the screen takes the terminal.
#[derive(Debug, Clone)]
pub struct Started {
    /// Where the HTTP API listens.
    pub http: Option<SocketAddr>,
    /// Where OSC listens.
    pub osc: Option<SocketAddr>,
    /// The file holding the HTTP key.
    pub key_path: PathBuf,
}

/// Where the control key of `journal` is kept: `<journal>.control-key`,
/// apart from the browser views' `<journal>.key`, so a view's link cannot
/// send commands.
pub fn key_path_for(journal: &Path) -> PathBuf {
    let mut p = journal.as_os_str().to_owned();
    p.push(".control-key");
    PathBuf::from(p)
}

/// Binds what `cfg` asks for and serves it on a thread of its own (a small
/// runtime) for the rest of the process, sending each request to `sink`.
/// Errors: a port that cannot be bound, a key that cannot be written.
pub fn start(cfg: &Config, sink: Sink) -> Result<Started> {
    let key_path = key_path_for(&cfg.journal);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("control")
        .enable_all()
        .build()
        .context("cannot start the control runtime")?;
    let gate = Gate::default();
    let mut http_addr = None;
    if let Some(port) = cfg.http_port {
        let key = crate::key::load_or_create(&key_path, false)?;
        let ip = if cfg.http_network {
            IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        };
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(SocketAddr::new(ip, port)))
            .with_context(|| format!("--control: cannot listen on {ip}:{port}"))?;
        http_addr = Some(listener.local_addr()?);
        let app = http::router(http::Shared {
            key,
            sink: sink.clone(),
            gate: gate.clone(),
        });
        runtime.spawn(http::serve(listener, app));
    }
    let mut osc_addr = None;
    if let Some(port) = cfg.osc_port {
        let ip = if cfg.osc_allow.is_empty() {
            IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)
        } else {
            IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
        };
        let socket = runtime
            .block_on(tokio::net::UdpSocket::bind(SocketAddr::new(ip, port)))
            .with_context(|| format!("--osc: cannot listen on {ip}:{port} (UDP)"))?;
        osc_addr = Some(socket.local_addr()?);
        let allow = cfg.osc_allow.clone();
        runtime.spawn(osc::serve(socket, allow, sink, gate));
    }
    // The runtime lives as long as the process: the screen may reopen (a
    // rehearsal) and keeps the same listeners.
    std::thread::Builder::new()
        .name("control".into())
        .spawn(move || runtime.block_on(std::future::pending::<()>()))
        .context("cannot start the control thread")?;
    Ok(Started {
        http: http_addr,
        osc: osc_addr,
        key_path,
    })
}

/// The signal's word for Companion's feedbacks: `none`, `warn`, `final`,
/// `over`.
pub fn signal_name(s: Signal) -> &'static str {
    match s {
        Signal::Ok => "none",
        Signal::Warn => "warn",
        Signal::Final => "final",
        Signal::Over => "over",
    }
}

/// A colour for the signal, as `#rrggbb`: the speaker screen's (green,
/// yellow, light red, red), for a button's background.
pub fn signal_colour(s: Signal) -> &'static str {
    match s {
        Signal::Ok => "#1b7f3b",
        Signal::Warn => "#e0b000",
        Signal::Final => "#ff6060",
        Signal::Over => "#d00000",
    }
}

/// Where the show stands at `now` for Companion's variables and feedbacks:
/// `state` (`live`, `planned`, `idle`, `finished`), `remaining` (`4:59`,
/// `0:00`, `+1:20` once over) and `remaining_s` (seconds, negative once
/// over), `signal` and `colour` ([`signal_name`], [`signal_colour`]),
/// `live` and `next` titles (empty when none), `next_in` and `next_in_s`
/// (the next session's projected start, counted down: `0:48`, `0:00` once
/// due; empty and null when none), `late` (`ON TIME`, `+4:30
/// BEHIND`) and `late_s`, `held` (true/false) and `held_s`, `message` (the
/// speaker screen's, empty when none), `writes` (false on a read-only
/// screen) and `now_ms` (the show clock, ms since the Unix epoch). Titles
/// and texts are sanitised.
///
/// `off_day`: when the event is, if `now` is far from its day with nothing
/// started (the screen shows this instead of a countdown): then `state` is
/// `off_day` and `next_in` is empty (no countdown frozen before the first
/// session); the field `off_day` holds it, empty otherwise.
pub fn state(show: &Show, now: DateTime<Utc>, writes: bool, off_day: Option<&str>) -> Value {
    let snap = show.at(now);
    let title = |i: usize| sanitize(&show.agenda.sessions[i].title).into_owned();
    let (kind, live, remaining, signal) = match &snap.now {
        Now::Live(l) => ("live", title(l.idx), Some(l.remaining), l.signal),
        Now::Planned {
            idx,
            remaining,
            signal,
            ..
        } => ("planned", title(*idx), Some(*remaining), *signal),
        Now::Idle { .. } => ("idle", String::new(), None, Signal::Ok),
        Now::Finished { .. } => ("finished", String::new(), None, Signal::Ok),
    };
    let countdown = remaining.map(showcall_core::show::Countdown::of);
    let hold = show.fold().hold();
    let next = snap.next.as_ref().filter(|_| off_day.is_none());
    let kind = if off_day.is_some() { "off_day" } else { kind };
    json!({
        "state": kind,
        "live": if kind == "live" { live.clone() } else { String::new() },
        "now_title": live,
        "next": snap.next.as_ref().map(|c| title(c.idx)).unwrap_or_default(),
        "next_in": next.map(|c| c.starts_in.text_to_zero()).unwrap_or_default(),
        "next_in_s": next.map(|c| c.starts_in.secs().max(0)),
        "remaining": countdown.map(|c| c.text()).unwrap_or_default(),
        "remaining_s": countdown.map(|c| c.secs()),
        "signal": signal_name(signal),
        "colour": signal_colour(signal),
        "late": lateness_text(&snap.headline),
        "late_s": snap.headline.late_s,
        "held": hold.is_some(),
        "held_s": hold.map_or(0, |h| showcall_core::show::floor_secs(now - h.start).max(0)),
        "message": snap.message.as_ref().map(|(m, _)| sanitize(m).into_owned()).unwrap_or_default(),
        "writes": writes,
        "now_ms": now.timestamp_millis(),
        "off_day": sanitize(off_day.unwrap_or_default()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_lets_in_at_most_in_flight_and_takes_back_dropped_tickets() {
        let gate = Gate::default();
        let held: Vec<Ticket> = (0..IN_FLIGHT).filter_map(|_| gate.enter()).collect();
        assert_eq!(held.len(), IN_FLIGHT);
        assert!(gate.enter().is_none(), "the 33rd waits for none");
        drop(held);
        assert!(gate.enter().is_some());
    }

    #[test]
    fn the_control_key_is_not_the_views_key() {
        let j = Path::new("/tmp/a.journal.jsonl");
        assert_eq!(
            key_path_for(j),
            PathBuf::from("/tmp/a.journal.jsonl.control-key")
        );
        assert_ne!(key_path_for(j), crate::key::path_for(j));
    }
}
