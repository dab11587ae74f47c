//! The HTTP control API: `POST /api/<command>` with a small JSON body, and
//! `GET /api/state`. Every request needs the control key (`Authorization:
//! Bearer KEY` or `?key=KEY`); without it, 401 and nothing about the show.
//! Answers are JSON: `{"ok":true,"entries":[…]}` (200), `{"ok":false,
//! "error":"…"}` with 400 (malformed), 409 (a read-only screen), 422 (the
//! engine refused), 503 (too many waiting, or no screen to answer), 413
//! (a body over [`BODY_MAX`] bytes).

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Request as HttpRequest, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use showcall_core::journal::Source;

use super::{Ask, Gate, Reply, Request, Sink};

/// The largest body a command takes, in bytes.
pub const BODY_MAX: usize = 4096;

/// How long a request waits for the operator's loop (it answers within a
/// pass, normally milliseconds).
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

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
        .route("/api/{*command}", post(command))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_MAX))
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

async fn command(State(s): State<Shared>, Path(route): Path<String>, body: Bytes) -> Response {
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
        Ok(Reply::ReadOnly(why)) => error(
            StatusCode::CONFLICT,
            &format!("read-only: this screen does not write the journal ({why})"),
        ),
        Ok(Reply::State(_)) => error(StatusCode::INTERNAL_SERVER_ERROR, "unexpected answer"),
        Err(r) => r,
    }
}

async fn state(State(s): State<Shared>) -> Response {
    match ask(&s, Ask::State).await {
        Ok(Reply::State(v)) => answer(StatusCode::OK, v),
        Ok(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "unexpected answer"),
        Err(r) => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
