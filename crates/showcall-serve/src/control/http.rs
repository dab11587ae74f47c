//! The HTTP control API: `POST /api/<command>` with a small JSON body, and
//! `GET /api/state`. Every request needs the control key (`Authorization:
//! Bearer KEY` or `?key=KEY`); without it, 401 and nothing about the show.
//! Answers are JSON: `{"ok":true,"entries":[…]}` (200), `{"ok":false,
//! "error":"…"}` with 400 (malformed), 409 (a read-only screen), 422 (the
//! engine refused), 503 (too many waiting, or no screen to answer), 413
//! (a body over [`BODY_MAX`] bytes), 405 (a command sent with `GET`), 404
//! (a route that is no command, by any method but `POST`).
//!
//! Connections are bounded ([`serve`]): at most [`CONNECTIONS_MAX`] open at
//! once (more are answered 503 and closed), a request's head must arrive
//! within [`HEAD_WITHIN`] (of connecting, or of the last answer on a
//! kept-alive connection) and its body within as long again (else 408), so
//! a client that connects and sends nothing, or sends slowly, holds neither
//! a place nor a file descriptor for long.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request as HttpRequest, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use tokio::net::TcpListener;

use showcall_core::journal::Source;

use super::{Ask, Gate, Reply, Request, Sink};

/// The largest body a command takes, in bytes.
pub const BODY_MAX: usize = 4096;

/// How long a request waits for the operator's loop (it answers within a
/// pass, normally milliseconds).
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// The most HTTP connections open at once; one more is answered 503 and
/// closed. Companion keeps one; a script opens one per command.
pub const CONNECTIONS_MAX: usize = 64;

/// How long a client may take to send a request's head (its line and
/// headers), from connecting or from its last answer on a kept-alive
/// connection: a client that sends nothing is closed after this.
pub const HEAD_WITHIN: Duration = Duration::from_secs(5);

/// The answer to a connection past [`CONNECTIONS_MAX`], written as is.
fn too_many() -> String {
    let body = r#"{"ok":false,"error":"too many connections: try again in a moment"}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Connections past [`CONNECTIONS_MAX`] being answered 503 at once; more
/// than this are closed without an answer.
const REFUSING_MAX: usize = 16;

/// How long a refused connection is kept to read what its client sent.
const REFUSE_WITHIN: Duration = Duration::from_millis(500);

/// Answers 503 and closes gently: the answer, the write side shut, then
/// whatever the client sends read and dropped for a moment (at most
/// [`REFUSE_WITHIN`]). Closed at once with its request unread, the socket
/// would be reset, and the client could lose the answer to "broken pipe".
async fn refuse(mut stream: tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let _ = tokio::time::timeout(REFUSE_WITHIN, async {
        let _ = stream.write_all(too_many().as_bytes()).await;
        let _ = stream.shutdown().await;
        let mut buf = [0u8; 1024];
        while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
    })
    .await;
}

/// Serves `app` on `listener` for the rest of the process, each
/// connection bounded as the module says. An accept that fails (out of
/// file descriptors) is retried after a pause, never a busy loop.
pub async fn serve(listener: TcpListener, app: Router) {
    let open = Arc::new(tokio::sync::Semaphore::new(CONNECTIONS_MAX));
    let refusing = Arc::new(tokio::sync::Semaphore::new(REFUSING_MAX));
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(place) = Arc::clone(&open).try_acquire_owned() else {
            // Answered and closed gently while few are (a flood is closed
            // at once, so it never costs more than a few sockets).
            if let Ok(turn) = Arc::clone(&refusing).try_acquire_owned() {
                tokio::spawn(async move {
                    refuse(stream).await;
                    drop(turn);
                });
            }
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEAD_WITHIN);
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = builder.serve_connection(io, service).await;
            drop(place);
        });
    }
}

/// What the handlers share.
#[derive(Clone)]
pub struct Shared {
    /// The control key.
    pub key: String,
    /// Where requests go.
    pub sink: Sink,
    /// The bound on requests in flight.
    pub gate: Gate,
}

/// The API's routes over `shared`.
pub fn router(shared: Shared) -> Router {
    Router::new()
        .route("/api/state", get(state))
        .route("/api/{*command}", post(command).fallback(not_post))
        .fallback(not_found)
        // Inside the key check: a 401 says nothing about the show, and stays
        // the plain sentence.
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn_with_state(shared.clone(), require_key))
        .layer(middleware::from_fn(guard_headers))
        .with_state(shared)
}

/// The key from `Authorization: Bearer KEY`, else from `?key=KEY`.
fn given_key<'a>(headers: &'a HeaderMap, query: Option<&'a str>) -> Option<&'a str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, k)| k.trim());
    bearer.or_else(|| {
        query?
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "key")
            .map(|(_, v)| v)
    })
}

async fn require_key(State(s): State<Shared>, req: HttpRequest, next: Next) -> Response {
    match given_key(req.headers(), req.uri().query()) {
        Some(k) if crate::key::matches(k, &s.key) => next.run(req).await,
        _ => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "401: this needs the control key (Authorization: Bearer KEY, or ?key=KEY)\n",
        )
            .into_response(),
    }
}

/// Nothing cached, nothing sniffed, nothing framed.
async fn guard_headers(req: HttpRequest, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    for (name, value) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
    ] {
        h.insert(name, header::HeaderValue::from_static(value));
    }
    res
}

/// The answers axum gives by itself (405 for a `GET` of a command, 413
/// for a body too big, 400 for a body it cannot read) said in JSON, as
/// every answer is.
async fn json_errors(req: HttpRequest, next: Next) -> Response {
    let res = next.run(req).await;
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let status = res.status();
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let text = match status {
        StatusCode::METHOD_NOT_ALLOWED => NEEDS_POST.to_owned(),
        s => format!("the request could not be read ({s})"),
    };
    let mut out = error(status, &text);
    if let Some(allow) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string() + "\n",
    )
        .into_response()
}

fn error(status: StatusCode, text: &str) -> Response {
    answer(status, json!({ "ok": false, "error": text }))
}

/// What a 405 says.
const NEEDS_POST: &str = "a command needs POST (curl -X POST …); only /api/state is read with GET";

/// `/api/<route>` with a method other than POST: 405 (`Allow: POST`) when
/// the route is a command, 404 when it is not one (no method would do).
async fn not_post(Path(route): Path<String>) -> Response {
    if !super::parse::COMMANDS.contains(&route.as_str()) {
        return not_found().await;
    }
    let mut res = error(StatusCode::METHOD_NOT_ALLOWED, NEEDS_POST);
    res.headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
    res
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such route: POST /api/<command> (go, end, time, hold, resume, message, clear, floor, floor/close, note) or GET /api/state",
    )
}

/// Sends `ask` to the operator's loop and waits for its answer.
async fn ask(s: &Shared, ask: Ask) -> Result<Reply, Response> {
    let Some(ticket) = s.gate.enter() else {
        return Err(error(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many commands waiting: try again in a moment",
        ));
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    (s.sink)(Request {
        ask,
        source: Source::Http,
        reply: Some(tx),
        ticket,
    });
    match tokio::time::timeout(ANSWER_WITHIN, rx).await {
        Ok(Ok(reply)) => Ok(reply),
        _ => Err(error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the operator screen did not answer (it is closing or reopening): try again",
        )),
    }
}

async fn command(State(s): State<Shared>, Path(route): Path<String>, body: Body) -> Response {
    // At most BODY_MAX bytes (a longer Content-Length is refused before
    // reading), within HEAD_WITHIN: a slow body holds nothing for long.
    if axum::body::HttpBody::size_hint(&body).lower() > BODY_MAX as u64 {
        return too_big();
    }
    let body = match tokio::time::timeout(HEAD_WITHIN, axum::body::to_bytes(body, BODY_MAX)).await {
        Ok(Ok(b)) => b,
        Ok(Err(_)) => return too_big(),
        Err(_) => {
            return error(
                StatusCode::REQUEST_TIMEOUT,
                "the body did not arrive within 5 s: send it whole",
            );
        }
    };
    let cmd = match super::parse::http(&route, &body) {
        Ok(c) => c,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e),
    };
    match ask(&s, Ask::Act(cmd)).await {
        Ok(Reply::Done(entries)) => answer(
            StatusCode::OK,
            json!({
                "ok": true,
                "entries": entries
                    .iter()
                    .map(|(seq, what)| json!({ "seq": seq, "what": what }))
                    .collect::<Vec<_>>(),
            }),
        ),
        Ok(Reply::Refused(why)) => error(StatusCode::UNPROCESSABLE_ENTITY, &why),
        Ok(Reply::Invalid(why)) => error(StatusCode::BAD_REQUEST, &why),
        Ok(Reply::ReadOnly(why)) => error(
            StatusCode::CONFLICT,
            &format!("read-only: this screen does not write the journal ({why})"),
        ),
        Ok(Reply::Closing) => closing(),
        Ok(Reply::State(_)) => error(StatusCode::INTERNAL_SERVER_ERROR, "unexpected answer"),
        Err(r) => r,
    }
}

/// A body over [`BODY_MAX`] bytes.
fn too_big() -> Response {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!("the body is over {BODY_MAX} bytes: a command's body is a small JSON object"),
    )
}

/// The screen is closing or reopening (`R`): nothing was done, try again.
fn closing() -> Response {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "the operator screen is closing or reopening: try again",
    )
}

async fn state(State(s): State<Shared>) -> Response {
    match ask(&s, Ask::State).await {
        Ok(Reply::State(v)) => answer(StatusCode::OK, v),
        Ok(Reply::Closing) => closing(),
        Ok(Reply::ReadOnly(why)) => error(StatusCode::CONFLICT, &why),
        Ok(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "unexpected answer"),
        Err(r) => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    /// A server on a free port whose "screen" answers every command with
    /// `reply` and every state question with `{"state":"idle"}`; its
    /// runtime (keep it) and port.
    fn server(reply: Reply) -> (tokio::runtime::Runtime, u16) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink: Sink = Arc::new(move |req: Request| {
            let r = match (&req.ask, &reply) {
                (Ask::State, Reply::Closing) => Reply::Closing,
                (Ask::State, _) => Reply::State(json!({"state": "idle"})),
                _ => reply.clone(),
            };
            req.answer(r);
        });
        let app = router(Shared {
            key: "k".repeat(32),
            sink,
            gate: Gate::default(),
        });
        rt.spawn(serve(listener, app));
        (rt, port)
    }

    /// One request with the key on a new connection: status and body.
    fn call(port: u16, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            "k".repeat(32),
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        let status = out.split(' ').nth(1).and_then(|c| c.parse().ok());
        let body = out.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        (status.unwrap_or(0), body.to_owned())
    }

    #[test]
    fn a_route_that_is_no_command_is_404_by_any_method_but_post() {
        let (_rt, port) = server(Reply::Done(vec![]));
        // "gogo" and "go/now" are not in COMMANDS: no method would do.
        for (method, path) in [
            ("GET", "/api/gogo"),
            ("GET", "/api/go/now"),
            ("PUT", "/api/x"),
        ] {
            let (status, body) = call(port, method, path, "");
            assert_eq!(status, 404, "{method} {path}: {body}");
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert!(
                v["error"].as_str().unwrap().starts_with("no such route"),
                "{body}"
            );
        }
        // A command with the wrong method stays 405, and says to POST.
        let (status, body) = call(port, "DELETE", "/api/hold", "");
        assert_eq!(status, 405, "{body}");
    }

    #[test]
    fn a_get_of_a_command_and_a_body_too_big_are_said_in_json() {
        let (_rt, port) = server(Reply::Done(vec![]));
        let (status, body) = call(port, "GET", "/api/go", "");
        assert_eq!(status, 405);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["ok"], false);
        assert!(
            v["error"].as_str().unwrap().contains("needs POST"),
            "{body}"
        );
        // A two-part command is a command too: still 405.
        assert_eq!(call(port, "GET", "/api/floor/close", "").0, 405);
        // BODY_MAX is 4096: one byte more is refused, in JSON.
        let big = format!("{{\"text\":\"{}\"}}", "x".repeat(BODY_MAX));
        let (status, body) = call(port, "POST", "/api/note", &big);
        assert_eq!(status, 413);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(v["error"].as_str().unwrap().contains("4096"), "{body}");
    }

    #[test]
    fn without_the_key_a_get_of_a_command_is_the_plain_401() {
        let (_rt, port) = server(Reply::Done(vec![]));
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(b"GET /api/go HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        assert!(out.starts_with("HTTP/1.1 401"), "{out}");
        assert!(
            out.ends_with(
                "401: this needs the control key (Authorization: Bearer KEY, or ?key=KEY)\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn a_screen_closing_or_reopening_is_503_try_again() {
        let (_rt, port) = server(Reply::Closing);
        let (status, body) = call(port, "POST", "/api/go", "");
        assert_eq!(status, 503, "{body}");
        assert!(body.contains("try again"), "{body}");
        // The state too: not a 500 "unexpected answer".
        let (status, body) = call(port, "GET", "/api/state", "");
        assert_eq!(status, 503, "{body}");
    }

    #[test]
    fn a_body_that_does_not_arrive_is_408_after_five_seconds() {
        let (_rt, port) = server(Reply::Done(vec![]));
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(HEAD_WITHIN * 3)).unwrap();
        // The head says 20 bytes; 4 come, then nothing.
        write!(
            s,
            "POST /api/note HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
             Content-Length: 20\r\n\r\n{{\"te",
            "k".repeat(32)
        )
        .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        assert!(out.starts_with("HTTP/1.1 408"), "{out}");
        assert!(out.contains("did not arrive within 5 s"), "{out}");
    }

    #[test]
    fn a_content_length_over_the_limit_is_413_at_once() {
        let (_rt, port) = server(Reply::Done(vec![]));
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        // Two seconds: less than HEAD_WITHIN, so a 408 cannot pass.
        s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        // Ten million bytes said, one sent: refused by the head alone.
        write!(
            s,
            "POST /api/note HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\
             Content-Length: 10000000\r\n\r\nx",
            "k".repeat(32)
        )
        .unwrap();
        let mut buf = [0u8; 4096];
        let n = s.read(&mut buf).unwrap();
        let out = String::from_utf8_lossy(&buf[..n]);
        assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    }

    #[test]
    fn a_kept_alive_connection_left_idle_is_closed() {
        let (_rt, port) = server(Reply::Done(vec![]));
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(HEAD_WITHIN * 3)).unwrap();
        let head = format!(
            "GET /api/state HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
            "k".repeat(32)
        );
        s.write_all(head.as_bytes()).unwrap();
        let mut buf = [0u8; 4096];
        let n = s.read(&mut buf).unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        // Then nothing: closed (end of stream) within HEAD_WITHIN, well
        // before the read timeout of three times that.
        assert_eq!(s.read(&mut buf).unwrap(), 0);
    }

    #[test]
    fn silent_clients_are_closed_and_hold_no_place_for_long() {
        let (_rt, port) = server(Reply::Done(vec![]));
        // CONNECTIONS_MAX clients connect and send nothing.
        let silent: Vec<TcpStream> = (0..CONNECTIONS_MAX)
            .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
            .collect();
        std::thread::sleep(Duration::from_millis(300));
        // One more is told at once, not left hanging.
        let (status, body) = call(port, "GET", "/api/state", "");
        assert_eq!(status, 503, "{body}");
        assert!(body.contains("too many connections"), "{body}");
        // Each silent one is closed within HEAD_WITHIN (5 s): read gives
        // end of stream (0 bytes) well before the 10 s read timeout.
        for mut s in silent {
            s.set_read_timeout(Some(HEAD_WITHIN * 2)).unwrap();
            let mut buf = [0u8; 64];
            assert_eq!(s.read(&mut buf).unwrap(), 0, "closed without an answer");
        }
        // Their places are free again.
        std::thread::sleep(Duration::from_millis(100));
        let (status, body) = call(port, "GET", "/api/state", "");
        assert_eq!((status, body.trim()), (200, r#"{"state":"idle"}"#));
    }

    #[test]
    fn the_key_comes_from_the_header_or_the_query() {
        let mut h = HeaderMap::new();
        assert_eq!(given_key(&h, Some("a=1&key=abc")), Some("abc"));
        assert_eq!(given_key(&h, Some("k=abc")), None);
        h.insert(header::AUTHORIZATION, "Bearer xyz".parse().unwrap());
        assert_eq!(given_key(&h, Some("key=abc")), Some("xyz"));
        h.insert(header::AUTHORIZATION, "bearer  xyz ".parse().unwrap());
        assert_eq!(given_key(&h, None), Some("xyz"));
        h.insert(header::AUTHORIZATION, "Basic xyz".parse().unwrap());
        assert_eq!(given_key(&h, Some("key=abc")), Some("abc"));
    }
}
