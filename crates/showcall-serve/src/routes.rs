//! The routes: pages and assets (embedded in the binary), the state, the
//! stream of changes and the feeds. Every route but the two static assets
//! needs the key (`?k=`); without it, 401 and a sentence that says nothing
//! about the show. Bad query values get 400; unknown paths 404 with the
//! views' names (401 without the key).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;

use showcall_core::present::Lang;

use crate::Shared;

const CSS: &str = include_str!("../web/app.css");
const JS: &str = include_str!("../web/app.js");
const PAGE: &str = include_str!("../web/page.html");

/// The server's routes over `shared`.
pub fn router(shared: Arc<Shared>) -> Router {
    let keyed = Router::new()
        .route("/", get(|| async { page("speaker") }))
        .route(
            "/speaker",
            get(|uri: Uri| async move { view("speaker", &uri) }),
        )
        .route("/booth", get(|uri: Uri| async move { view("booth", &uri) }))
        .route(
            "/schedule",
            get(|uri: Uri| async move { view("schedule", &uri) }),
        )
        .route(
            "/overlay",
            get(|uri: Uri| async move { view("overlay", &uri) }),
        )
        .route("/api/state", get(state))
        .route("/api/events", get(events))
        .route("/schedule.ics", get(ics))
        .route("/schedule.xml", get(frab_xml))
        .route("/schedule.json", get(frab_json))
        .route_layer(middleware::from_fn_with_state(shared.clone(), require_key));
    Router::new()
        .route(
            "/assets/app.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS) }),
        )
        .route(
            "/assets/app.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    JS,
                )
            }),
        )
        .merge(keyed)
        .fallback(not_found)
        .layer(middleware::from_fn(guard_headers))
        .with_state(shared)
}

/// The value of `name` in the query of `uri`, if present (percent-decoded
/// only as far as the values we accept need: letters and digits).
fn param<'a>(uri: &'a Uri, name: &str) -> Option<&'a str> {
    uri.query()?
        .split('&')
        .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// What an unknown path gets with the key: 404 and the views there are.
/// Without it, the same 401 as every keyed route (nothing about the show,
/// not even which paths exist).
pub const NOT_FOUND: &str = "404: no such page. The views are /speaker, /booth, /schedule and \
/overlay; the feeds /schedule.ics, /schedule.xml and /schedule.json (each with ?k=KEY).\n";

async fn not_found(State(s): State<Arc<Shared>>, uri: Uri) -> Response {
    match param(&uri, "k") {
        Some(k) if crate::key::matches(k, &s.key) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            NOT_FOUND,
        )
            .into_response(),
        _ => unauthorized(),
    }
}

fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        "401: this link needs its access key (ask the stage manager for the link).\n",
    )
        .into_response()
}

async fn require_key(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    match param(req.uri(), "k") {
        Some(k) if crate::key::matches(k, &s.key) => next.run(req).await,
        _ => unauthorized(),
    }
}

/// Headers every answer carries: nothing loaded from elsewhere, no
/// referrer (the key is in the link), nothing cached.
async fn guard_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors *",
        ),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in set {
        h.insert(name, HeaderValue::from_static(value));
    }
    res
}

fn bad(what: &str) -> Response {
    (StatusCode::BAD_REQUEST, format!("400: {what}\n")).into_response()
}

/// The language of `?lang=` (English when absent); 400 for another value.
fn lang_of(uri: &Uri) -> Result<Lang, Response> {
    match param(uri, "lang") {
        None => Ok(Lang::En),
        Some(code) => Lang::from_code(code).ok_or_else(|| bad("lang must be en, fr or es")),
    }
}

/// Checks a view's query (`lang` for every view; `size` 8–2000 px and
/// `title` 0/1 for the overlay), then serves its page.
fn view(name: &'static str, uri: &Uri) -> Response {
    if let Err(r) = lang_of(uri) {
        return r;
    }
    if let Some(size) = param(uri, "size")
        && !size.parse::<u16>().is_ok_and(|n| (8..=2000).contains(&n))
    {
        return bad("size must be a whole number of pixels from 8 to 2000");
    }
    if let Some(t) = param(uri, "title")
        && t != "0"
        && t != "1"
    {
        return bad("title must be 0 or 1");
    }
    page(name)
}

fn page(name: &'static str) -> Response {
    let html = PAGE.replace("{view}", name);
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// The state with the server's show-clock instant (`now_ms`), the version
/// and the speaker's faces in `?lang=`.
async fn state(State(s): State<Arc<Shared>>, uri: Uri) -> Response {
    let lang = match lang_of(&uri) {
        Ok(l) => l,
        Err(r) => return r,
    };
    let p = s.published.borrow().clone();
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    let mut v = p.state.clone();
    if let Some(o) = v.as_object_mut() {
        o.insert("version".into(), p.version.into());
        o.insert("faces".into(), p.faces[i].clone());
        o.insert("lang".into(), lang.code().into());
        o.insert("now_ms".into(), s.anchor.now().timestamp_millis().into());
    }
    ([(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response()
}

/// Server-sent events: the version now, then each new version; a comment
/// every 15 s keeps proxies from closing the stream. A slow reader only
/// misses versions in between (the channel keeps the latest).
async fn events(
    State(s): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = s.published.clone();
    let stream = futures_util::stream::unfold((rx, None::<u64>), |(mut rx, last)| async move {
        loop {
            if last.is_some() && rx.changed().await.is_err() {
                return None;
            }
            let v = rx.borrow_and_update().version;
            if last != Some(v) {
                let ev = Event::default().event("version").data(v.to_string());
                return Some((Ok(ev), (rx, Some(v))));
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// A feed made from the show (under its lock, without copying it), the
/// version and the show clock's now.
fn feed<T>(
    s: &Shared,
    make: impl FnOnce(&showcall_core::show::Show, chrono::DateTime<chrono::Utc>, u64) -> T,
) -> T {
    let version = s.published.borrow().version;
    let now = s.anchor.now();
    let show = s.show.lock().unwrap_or_else(|e| e.into_inner());
    make(&show, now, version)
}

async fn ics(State(s): State<Arc<Shared>>) -> Response {
    let body = feed(&s, crate::feeds::ics);
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn frab_xml(State(s): State<Arc<Shared>>) -> Response {
    let body = feed(&s, crate::feeds::frab_xml);
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn frab_json(State(s): State<Arc<Shared>>) -> Response {
    let body = feed(&s, crate::feeds::frab_json).to_string();
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}
