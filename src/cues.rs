//! Sending cues out (docs/cues.md): the agenda's `[[cue]]`s, decided by
//! the core (`showcall_core::show::firings`), sent here without ever
//! blocking the screen or the journal.
//!
//! Bounded queues, each with its own threads: OSC to an IP address (one
//! UDP datagram, encoded by `rosc`; [`OSC_QUEUE`] may wait), OSC to a host
//! name (its lookup may hang, so apart), and HTTP ([`QUEUE`]; plain
//! `http://` by `ureq`, no TLS, one second for the whole request). A full queue, a name that does
//! not resolve, a refused connection, a timeout or an HTTP status of 400
//! or more comes back as a [`CueFailure`] through the callback the loop
//! gave (a `Wake::CueFailed`); the operator screen says it and journals a
//! `cue_failed` entry. Nothing here panics on the network's answers.

use std::net::{ToSocketAddrs, UdpSocket};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use showcall_core::show::{Firing, OscValue, Request};

/// How many HTTP cues may wait before more are refused: each may take
/// [`HTTP_TIMEOUT`], so more waiting would go out stale.
pub const QUEUE: usize = 64;

/// How many OSC cues may wait before more are refused. A datagram goes
/// out in microseconds, so one event with a hundred cues (a whole rig set
/// at a start) must fit at once; the bound is for a flood only.
pub const OSC_QUEUE: usize = 1024;

/// The error of a cue refused because its queue is full.
pub const QUEUE_FULL: &str = "too many cues waiting: not sent";

/// The most an HTTP cue may take, connecting, sending and reading the
/// answer's head.
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(1);

/// Threads sending HTTP cues: a dead device's timeout does not hold up
/// the next cue to a live one.
const HTTP_THREADS: usize = 2;

/// A cue that could not be sent, or was answered with an error: what the
/// journal's `cue_failed` entry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueFailure {
    /// The cue's name.
    pub cue: String,
    /// The event it fired on (`final`).
    pub on: String,
    /// The session it fired for, by id.
    pub session: Option<String>,
    /// Where it went (sanitised).
    pub target: String,
    /// Why it failed, short.
    pub error: String,
}

impl CueFailure {
    fn of(f: &Firing, error: String) -> CueFailure {
        CueFailure {
            cue: f.name.clone(),
            on: f.on.as_str().to_string(),
            session: f.session.clone(),
            target: f.target.clone(),
            error: showcall_core::text::sanitize(&error).into_owned(),
        }
    }
}

/// Where failures go (the loop's inbox).
pub type Report = Arc<dyn Fn(CueFailure) + Send + Sync>;

/// How one request is sent: [`send_one`], or a stand-in in tests.
pub type Send1 = Arc<dyn Fn(&Request) -> Result<(), String> + Send + Sync>;

/// The sending end: hands each firing to its queue and returns at once.
pub struct CueSender {
    osc: SyncSender<Firing>,
    /// OSC to a host name: its lookup may hang for the resolver's timeout
    /// (no DNS at the venue, a `.local` name with no answer), so it has
    /// its own thread, and a cue to an IP address never waits behind it.
    osc_named: SyncSender<Firing>,
    http: SyncSender<Firing>,
}

impl CueSender {
    /// Starts the sending threads; each failure is handed to `report`.
    pub fn new(report: Report) -> CueSender {
        CueSender::with(Arc::new(send_one), report)
    }

    /// [`CueSender::new`] with `send` doing the sending.
    pub fn with(send: Send1, report: Report) -> CueSender {
        let (osc, osc_rx) = sync_channel::<Firing>(OSC_QUEUE);
        let (osc_named, named_rx) = sync_channel::<Firing>(OSC_QUEUE);
        let (http, http_rx) = sync_channel::<Firing>(QUEUE);
        let lanes = [
            ("cue out: osc", 1, osc_rx),
            ("cue out: osc by name", 1, named_rx),
            ("cue out: http", HTTP_THREADS, http_rx),
        ];
        for (name, n, rx) in lanes {
            spawn_workers(name, n, rx, Arc::clone(&send), Arc::clone(&report));
        }
        CueSender {
            osc,
            osc_named,
            http,
        }
    }

    /// Queues `f`; a full queue (or stopped threads) is a failure, said at
    /// once. Never blocks.
    pub fn send(&self, f: Firing) -> Result<(), CueFailure> {
        let q = match &f.request {
            Request::Osc { host, .. } if host.parse::<std::net::IpAddr>().is_ok() => &self.osc,
            Request::Osc { .. } => &self.osc_named,
            Request::Http { .. } => &self.http,
        };
        q.try_send(f).map_err(|e| match e {
            TrySendError::Full(f) => CueFailure::of(&f, QUEUE_FULL.into()),
            TrySendError::Disconnected(f) => CueFailure::of(&f, "the sender stopped".into()),
        })
    }
}

fn spawn_workers(name: &str, n: usize, rx: Receiver<Firing>, send: Send1, report: Report) {
    let rx = Arc::new(Mutex::new(rx));
    for _ in 0..n {
        let (rx, send, report) = (Arc::clone(&rx), Arc::clone(&send), Arc::clone(&report));
        let _ = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                loop {
                    // Hold the lock only to take one: the other thread
                    // takes the next while this one sends.
                    let next = rx.lock().map_or(None, |r| r.recv().ok());
                    let Some(f) = next else { return };
                    if let Err(e) = send(&f.request) {
                        report(CueFailure::of(&f, e));
                    }
                }
            });
    }
}

/// Sends one request; the error in a few words.
pub fn send_one(r: &Request) -> Result<(), String> {
    match r {
        Request::Osc {
            host,
            port,
            address,
            args,
        } => send_osc(host, *port, address, args),
        Request::Http {
            method,
            url,
            headers,
            body,
        } => send_http(method, url, headers, body.as_deref()),
    }
}

/// The OSC message's bytes.
pub fn osc_packet(address: &str, args: &[OscValue]) -> Result<Vec<u8>, String> {
    use rosc::{OscMessage, OscPacket, OscType};
    let args = args
        .iter()
        .map(|a| match a {
            OscValue::Int(n) => OscType::Int(*n),
            OscValue::Float(f) => OscType::Float(*f),
            OscValue::Bool(b) => OscType::Bool(*b),
            OscValue::Text(s) => OscType::String(s.clone()),
        })
        .collect();
    let msg = OscPacket::Message(OscMessage {
        addr: address.to_string(),
        args,
    });
    rosc::encoder::encode(&msg).map_err(|e| format!("cannot encode OSC: {e}"))
}

fn send_osc(host: &str, port: u16, address: &str, args: &[OscValue]) -> Result<(), String> {
    let packet = osc_packet(address, args)?;
    let to = (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve '{host}': {}", io_words(&e)))?
        .next()
        .ok_or_else(|| format!("'{host}' has no address"))?;
    let local = if to.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" };
    let sock = UdpSocket::bind(local).map_err(|e| io_words(&e))?;
    sock.send_to(&packet, to).map_err(|e| io_words(&e))?;
    Ok(())
}

fn agent() -> &'static ureq::Agent {
    static AGENT: std::sync::OnceLock<ureq::Agent> = std::sync::OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::Agent::config_builder()
            .timeout_global(Some(HTTP_TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            // The venue's device is on the local network: never through a
            // proxy the environment names.
            .proxy(None)
            .allow_non_standard_methods(false)
            .build()
            .into()
    })
}

fn send_http(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
) -> Result<(), String> {
    let mut req = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let answer = match body {
        Some(b) => req
            .body(b.to_string())
            .map_err(|e| format!("bad request: {e}"))
            .and_then(|r| agent().run(r).map_err(|e| http_words(&e))),
        None => req
            .body(())
            .map_err(|e| format!("bad request: {e}"))
            .and_then(|r| agent().run(r).map_err(|e| http_words(&e))),
    }?;
    let status = answer.status().as_u16();
    if status >= 400 {
        let reason = answer.status().canonical_reason().unwrap_or("");
        return Err(format!("HTTP {status} {reason}").trim_end().to_string());
    }
    Ok(())
}

fn http_words(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {} s", HTTP_TIMEOUT.as_secs()),
        ureq::Error::HostNotFound => "cannot resolve the host".into(),
        ureq::Error::Io(io) => io_words(io),
        ureq::Error::ConnectionFailed => "cannot connect".into(),
        other => other.to_string(),
    }
}

fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        ConnectionRefused => "connection refused".into(),
        TimedOut | WouldBlock => "timed out".into(),
        HostUnreachable => "host unreachable".into(),
        NetworkUnreachable => "network unreachable".into(),
        ConnectionReset => "connection reset".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_osc_message_is_encoded_as_the_spec_says() {
        // "/a\0\0" (4 bytes), ",is\0" (type tags), int 7 big-endian, "hi\0\0".
        let bytes = osc_packet("/a", &[OscValue::Int(7), OscValue::Text("hi".into())]).unwrap();
        assert_eq!(bytes, b"/a\0\0,is\0\0\0\0\x07hi\0\0".to_vec());
    }

    #[test]
    fn a_hundred_osc_cues_on_one_event_all_go_out() {
        use showcall_core::agenda::On;
        let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let port = sock.local_addr().unwrap().port();
        let failed = Arc::new(Mutex::new(Vec::<String>::new()));
        let f2 = Arc::clone(&failed);
        let sender = CueSender::new(Arc::new(move |f: CueFailure| {
            f2.lock().unwrap().push(f.error);
        }));
        // Queued in one pass, as the operator screen does for one GO:
        // more than the HTTP queue's 64, all taken at once.
        for n in 0..100 {
            let f = Firing {
                cue: n,
                name: format!("flood {n}"),
                on: On::Start,
                session: None,
                target: format!("127.0.0.1:{port} /f/{n}"),
                request: Request::Osc {
                    host: "127.0.0.1".into(),
                    port,
                    address: format!("/f/{n}"),
                    args: vec![],
                },
            };
            assert!(sender.send(f).is_ok(), "cue {n} refused");
        }
        let mut got = Vec::new();
        let mut buf = [0u8; 64];
        while got.len() < 100 {
            let (len, _) = sock.recv_from(&mut buf).expect("a datagram within 5 s");
            got.push(buf[..len].to_vec());
        }
        // Each once, in order (one sending thread): "/f/0", "/f/1", …
        for (n, d) in got.iter().enumerate() {
            assert!(d.starts_with(format!("/f/{n}\0").as_bytes()), "{n}");
        }
        assert!(failed.lock().unwrap().is_empty());
    }

    fn osc_to(host: &str, address: &str) -> Firing {
        Firing {
            cue: 0,
            name: address.into(),
            on: showcall_core::agenda::On::Final,
            session: None,
            target: format!("{host}:53000 {address}"),
            request: Request::Osc {
                host: host.into(),
                port: 53000,
                address: address.into(),
                args: vec![],
            },
        }
    }

    #[test]
    fn a_cue_to_an_ip_address_never_waits_behind_a_host_name_lookup() {
        use std::sync::mpsc::channel;
        use std::time::Instant;
        // A stand-in sender: a host name "hangs" 3 s, as a lookup with no
        // DNS at the venue does; an IP address goes at once.
        let (sent, heard) = channel::<(String, Instant)>();
        let sent = Mutex::new(sent);
        let send: Send1 = Arc::new(move |r: &Request| {
            let Request::Osc { host, address, .. } = r else {
                return Ok(());
            };
            if host.parse::<std::net::IpAddr>().is_err() {
                std::thread::sleep(Duration::from_secs(3));
            }
            let _ = sent.lock().unwrap().send((address.clone(), Instant::now()));
            Ok(())
        });
        let sender = CueSender::with(send, Arc::new(|_| {}));
        let t0 = Instant::now();
        // Fired in this order on one event: the desk by name first.
        sender.send(osc_to("desk.local", "/named")).unwrap();
        sender.send(osc_to("192.168.1.10", "/chime")).unwrap();
        let (first, at) = heard.recv_timeout(Duration::from_secs(5)).unwrap();
        // The chime goes first, before the lookup ahead of it ends.
        assert_eq!(first, "/chime");
        assert!(at - t0 < Duration::from_secs(3), "{:?}", at - t0);
        let (second, _) = heard.recv_timeout(Duration::from_secs(5)).unwrap();
        assert_eq!(second, "/named");
    }

    #[test]
    fn a_closed_port_and_a_500_are_failures_in_words() {
        // A port just bound and let go is closed.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/x");
        let err = send_http("GET", &url, &[], None).unwrap_err();
        assert!(err.contains("refused") || err.contains("connect"), "{err}");

        let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = server.local_addr().unwrap();
        let t = std::thread::spawn(move || {
            use std::io::{Read, Write};
            let (mut s, _) = server.accept().unwrap();
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n");
        });
        let err = send_http("POST", &format!("http://{addr}/y"), &[], Some("{}")).unwrap_err();
        assert_eq!(err, "HTTP 500 Internal Server Error");
        t.join().unwrap();
    }
}
