//! The `[[cue]]` tables: cues out to sound, lights and video. Each is
//! checked on its own (its event, its target, its placeholders) and
//! against the sessions it names; every problem is located.

use super::*;
use crate::agenda::{On, OscArg, PLACEHOLDERS, Target, Template, Trigger, placeholders};

const CUE_KEYS: &[&str] = &[
    "name", "on", "session", "osc", "address", "args", "http", "method", "body", "headers",
];
const OSC_ONLY: &[&str] = &["address", "args"];
const HTTP_ONLY: &[&str] = &["method", "body", "headers"];
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Every `[[cue]]` of the file, validated; problems are reported and the
/// bad cues left out. `sessions` are the validated sessions (`None` when
/// they could not be read: then `session = "…"` is not checked).
pub(super) fn cues(
    ctx: &mut Ctx<'_>,
    top: &Table<'_, '_>,
    sessions: Option<&[Session]>,
) -> Vec<Trigger> {
    let Some(v) = top.get("cue") else {
        return Vec::new();
    };
    let DeValue::Array(items) = v.get_ref() else {
        ctx.error(
            v.span(),
            format!(
                "`cue` must be an array of tables, not {}",
                type_name(v.get_ref())
            ),
            Some("write each cue as a `[[cue]]` table, with double brackets".into()),
        );
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| cue(ctx, i + 1, item, sessions))
        .collect()
}

fn cue(
    ctx: &mut Ctx<'_>,
    n: usize,
    item: &Spanned<DeValue<'_>>,
    sessions: Option<&[Session]>,
) -> Option<Trigger> {
    let DeValue::Table(map) = item.get_ref() else {
        ctx.error(
            item.span(),
            format!("cue {n} must be a table, not {}", type_name(item.get_ref())),
            Some("write each cue as a `[[cue]]` table".into()),
        );
        return None;
    };
    let mut t = Table {
        map,
        span: item.span(),
        name: format!("cue {n}"),
    };
    let name = ok(t.text(ctx, "name")).map(|x| x.0);
    if let Some(name) = &name {
        t.name = format!("cue '{name}'");
    }
    t.check_keys(ctx, CUE_KEYS);
    let on = on(ctx, &t);
    let session = session(ctx, &t, sessions);
    let target = target(ctx, &t, on);
    let (on, target) = (on?, target?);
    let session = session.ok()?;
    Some(Trigger {
        name: name.unwrap_or_else(|| format!("{} #{n}", on.as_str())),
        on,
        session,
        target,
        line: ctx.line_of(t.span.start),
    })
}

fn on(ctx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Option<On> {
    let words: Vec<&str> = On::ALL.iter().map(|o| o.as_str()).collect();
    match t.string(ctx, "on") {
        Ok(Some((s, span))) => {
            let got = On::parse(s);
            if got.is_none() {
                // A typo, or a longer or shorter word ("overtime", "fin").
                let lower = s.to_ascii_lowercase();
                let near = values::closest(s, words.iter().copied()).or_else(|| {
                    words.iter().copied().find(|w| {
                        !lower.is_empty() && (lower.starts_with(w) || w.starts_with(&*lower))
                    })
                });
                let help = match near {
                    Some(c) => format!("did you mean \"{c}\"?"),
                    None => format!("`on` is one of: {}", words.join(", ")),
                };
                ctx.error(
                    span,
                    format!("unknown event '{}' for `on` in {}", sanitize(s), t.name),
                    Some(help),
                );
            }
            got
        }
        Ok(None) => {
            ctx.error(
                t.span.clone(),
                format!("missing `on` in {}: when does it fire?", t.name),
                Some(format!(
                    "add `on = \"final\"`; `on` is one of: {}",
                    words.join(", ")
                )),
            );
            None
        }
        Err(Reported) => None,
    }
}

fn session(
    ctx: &mut Ctx<'_>,
    t: &Table<'_, '_>,
    sessions: Option<&[Session]>,
) -> Result<Option<String>, Reported> {
    let Some((id, span)) = t.string(ctx, "session")? else {
        return Ok(None);
    };
    let Some(sessions) = sessions else {
        return Ok(Some(id.to_string()));
    };
    if sessions.iter().any(|s| s.id == id) {
        return Ok(Some(id.to_string()));
    }
    let help = match values::closest(id, sessions.iter().map(|s| s.id.as_str())) {
        Some(c) => format!("did you mean \"{c}\"? leave `session` out to fire for every session"),
        None => "give the `id` of one of the agenda's sessions, or leave `session` out to fire for every session".into(),
    };
    ctx.error(
        span,
        format!(
            "{} is for session '{}', which the agenda does not have",
            t.name,
            sanitize(id)
        ),
        Some(help),
    );
    Err(Reported)
}

/// `osc` or `http`, exactly one, with the keys that go with it.
fn target(ctx: &mut Ctx<'_>, t: &Table<'_, '_>, on: Option<On>) -> Option<Target> {
    let osc = t.get("osc");
    let http = t.get("http");
    let (wrong, kind, sends): (&[&str], &str, &str) = match (osc, http) {
        (Some(_), Some(h)) => {
            ctx.error(
                h.span(),
                format!(
                    "{} has both `osc` and `http`; a cue sends one thing",
                    t.name
                ),
                Some("split it into two `[[cue]]` tables with the same `on`".into()),
            );
            return None;
        }
        (None, None) => {
            ctx.error(
                t.span.clone(),
                format!("{} sends nowhere: it needs `osc` or `http`", t.name),
                Some(
                    "add `osc = \"127.0.0.1:53000\"` and an `address`, or `http = \"http://…\"`"
                        .into(),
                ),
            );
            return None;
        }
        (Some(_), None) => (HTTP_ONLY, "an HTTP", "OSC"),
        (None, Some(_)) => (OSC_ONLY, "an OSC", "HTTP"),
    };
    let mut bad = false;
    for key in wrong {
        if let Some(v) = t.get(key) {
            ctx.error(
                v.span(),
                format!("`{key}` is for {kind} cue, and {} sends {sends}", t.name),
                Some(format!("remove `{key}`, or see docs/cues.md")),
            );
            bad = true;
        }
    }
    let got = if osc.is_some() {
        osc_target(ctx, t, on)
    } else {
        http_target(ctx, t, on)
    };
    if bad { None } else { got }
}

fn osc_target(ctx: &mut Ctx<'_>, t: &Table<'_, '_>, on: Option<On>) -> Option<Target> {
    let (host, port) = match t.string(ctx, "osc") {
        Ok(Some((s, span))) => match host_port(s) {
            Some(hp) => Some(hp),
            None => {
                ctx.error(
                    span,
                    format!("malformed OSC target '{}' in {}", sanitize(s), t.name),
                    Some(
                        "write it as host:port, e.g. \"127.0.0.1:53000\" (QLab listens on 53000), an IPv6 address in brackets, \"[::1]:53000\""
                            .into(),
                    ),
                );
                None
            }
        },
        _ => None,
    }?;
    let address = match t.string(ctx, "address") {
        Ok(Some((s, span))) => {
            let good = s.starts_with('/')
                && s.len() > 1
                && s.bytes()
                    .all(|b| b.is_ascii_graphic() && !b"#,{}".contains(&b));
            if !good {
                ctx.error(
                    span,
                    format!("malformed OSC address '{}' in {}", sanitize(s), t.name),
                    Some("an OSC address starts with / and has no spaces, e.g. \"/cue/1/start\"; it is sent as written, without placeholders".into()),
                );
            }
            good.then(|| s.to_string())
        }
        Ok(None) => {
            t.missing(ctx, "address", "\"/cue/1/start\"");
            None
        }
        Err(Reported) => None,
    }?;
    let args = osc_args(ctx, t, on)?;
    Some(Target::Osc {
        host,
        port,
        address,
        args,
    })
}

/// `host:port`, `[v6]:port`; the host non-empty with no space or control
/// character, the port 1 to 65535.
/// An IPv6 address goes in brackets: a bare `::1:8000` could be an
/// address without a port, so it is refused, as is `[name]:port`.
fn host_port(s: &str) -> Option<(String, u16)> {
    let (host, port) = s.rsplit_once(':')?;
    let host = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().ok().map(|_| v6)?,
        None if host.contains(':') => return None,
        None => host,
    };
    let port: u16 = port.parse().ok().filter(|p| *p > 0)?;
    let good = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    good.then(|| (host.to_string(), port))
}

/// The URL's `host[:port]` is one [`host_port`] takes (a port of 1 to
/// 65535), or a host alone.
fn authority_ok(a: &str) -> bool {
    let bare_v6 = a.starts_with('[') && a.ends_with(']');
    if a.contains(':') && !bare_v6 {
        return host_port(a).is_some();
    }
    host_port(&format!("{a}:80")).is_some()
}

fn osc_args(ctx: &mut Ctx<'_>, t: &Table<'_, '_>, on: Option<On>) -> Option<Vec<OscArg>> {
    let Ok(items) = t.array(ctx, "args", "a list of values") else {
        return None;
    };
    let Some((items, _)) = items else {
        return Some(Vec::new());
    };
    let mut out = Vec::with_capacity(items.len());
    let mut good = true;
    for (i, item) in items.iter().enumerate() {
        let what = format!("item {} of `args` in {}", i + 1, t.name);
        let arg = match item.get_ref() {
            DeValue::String(s) => template(ctx, s, item.span(), &what, false, on).map(OscArg::Text),
            DeValue::Integer(v) => match v.as_str().parse::<i32>() {
                Ok(n) => Some(OscArg::Int(n)),
                Err(_) => {
                    ctx.error(
                        item.span(),
                        format!("{what} does not fit an OSC int32"),
                        Some("use a whole number from -2147483648 to 2147483647".into()),
                    );
                    None
                }
            },
            DeValue::Float(v) => float32(ctx, v.as_str(), item.span(), &what),
            DeValue::Boolean(b) => Some(OscArg::Bool(*b)),
            other => {
                ctx.error(
                    item.span(),
                    format!(
                        "{what} must be a string, a number or a boolean, not {}",
                        type_name(other)
                    ),
                    None,
                );
                None
            }
        };
        match arg {
            Some(a) => out.push(a),
            None => good = false,
        }
    }
    good.then_some(out)
}

/// A TOML float as an OSC float32: one too large for it (`1e40`, which
/// would go out as infinity) is refused; `inf` and `nan` as written are
/// taken.
fn float32(ctx: &mut Ctx<'_>, text: &str, span: Span, what: &str) -> Option<OscArg> {
    let wide = text.replace('_', "").parse::<f64>().ok();
    let narrow = wide.map(|f| f as f32);
    match (wide, narrow) {
        (Some(w), Some(n)) if n.is_finite() || !w.is_finite() => Some(OscArg::Float(n)),
        _ => {
            ctx.error(
                span,
                format!("{what} does not fit an OSC float32"),
                Some("use a number within ±3.4e38".into()),
            );
            None
        }
    }
}

/// The first character of a URL, outside its placeholders, that cannot
/// go in a URL as written (RFC 3986: not unreserved, reserved or `%`).
fn bad_url_char(s: &str) -> Option<char> {
    let mut rest = String::with_capacity(s.len());
    let mut last = 0;
    for (at, name) in placeholders(s) {
        rest.push_str(&s[last..at]);
        last = at + name.len() + 2;
    }
    rest.push_str(&s[last..]);
    rest.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(*c)))
}

/// A text with placeholders: plain text, and only known placeholders
/// (`{text}` only on a `message` cue).
fn template(
    ctx: &mut Ctx<'_>,
    s: &str,
    span: Span,
    what: &str,
    multiline: bool,
    on: Option<On>,
) -> Option<Template> {
    check_text(ctx, s, span.clone(), what, multiline).ok()?;
    let list = PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ");
    for (_, name) in placeholders(s) {
        if !PLACEHOLDERS.contains(&name) {
            let help = match values::closest(name, PLACEHOLDERS) {
                Some(c) => format!("did you mean `{{{c}}}`? the placeholders are {list}"),
                None => format!("the placeholders are {list}"),
            };
            ctx.error(
                span,
                format!("unknown placeholder '{{{name}}}' in {what}"),
                Some(help),
            );
            return None;
        }
        if name == "text" && on.is_some_and(|o| o != On::Message) {
            ctx.error(
                span,
                format!(
                    "`{{text}}` in {what} is a message's text, and this cue is not on a message"
                ),
                Some("use `{text}` in a cue with `on = \"message\"`, or remove it".into()),
            );
            return None;
        }
    }
    Some(Template(s.to_string()))
}

fn http_target(ctx: &mut Ctx<'_>, t: &Table<'_, '_>, on: Option<On>) -> Option<Target> {
    let url = match t.string(ctx, "http") {
        Ok(Some((s, span))) => http_url(ctx, t, s, span, on),
        _ => None,
    };
    let method = match t.string(ctx, "method") {
        Ok(Some((s, span))) => {
            let up = s.to_ascii_uppercase();
            if METHODS.contains(&up.as_str()) {
                Some(up)
            } else {
                ctx.error(
                    span,
                    format!("unknown HTTP method '{}' in {}", sanitize(s), t.name),
                    Some(format!("use one of {}", METHODS.join(", "))),
                );
                None
            }
        }
        Ok(None) => Some(String::new()),
        Err(Reported) => None,
    };
    let body = match t.string(ctx, "body") {
        Ok(Some((s, span))) => {
            template(ctx, s, span, &format!("`body` of {}", t.name), true, on).map(Some)
        }
        Ok(None) => Some(None),
        Err(Reported) => None,
    };
    let headers = headers(ctx, t);
    if let (Some(m), Some(Some(_)), Some(v)) = (&method, &body, t.get("method"))
        && m == "GET"
    {
        ctx.error(
            v.span(),
            format!("{} sends a `body` with GET, which carries none", t.name),
            Some("use `method = \"POST\"` (or leave `method` out: a body means POST)".into()),
        );
        return None;
    }
    let (url, mut method, body, headers) = (url?, method?, body?, headers?);
    if method.is_empty() {
        // A body means something is sent: POST; a bare URL is fetched.
        method = if body.is_some() { "POST" } else { "GET" }.to_string();
    }
    Some(Target::Http {
        method,
        url,
        headers,
        body,
    })
}

fn http_url(
    ctx: &mut Ctx<'_>,
    t: &Table<'_, '_>,
    s: &str,
    span: Span,
    on: Option<On>,
) -> Option<Template> {
    if s.get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
    {
        ctx.error(
            span,
            format!("{} uses https, and cues send plain http only", t.name),
            Some(
                "use the device's http:// address on the venue's network (docs/cues.md says why)"
                    .into(),
            ),
        );
        return None;
    }
    let rest = s
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("http://"))
        .map(|_| &s[7..]);
    let authority = rest.map(|r| r.split(['/', '?']).next().unwrap_or(""));
    let good = authority.is_some_and(|a| {
        !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-_:[]".contains(c))
            && authority_ok(a)
    }) && !s.chars().any(|c| c.is_whitespace());
    if !good {
        ctx.error(
            span,
            format!("malformed URL '{}' in {}", sanitize(s), t.name),
            Some("write it as http://host:port/path, e.g. \"http://127.0.0.1:8000/api/location/1/0/1/press\"; placeholders may go in the path and query only".into()),
        );
        return None;
    }
    if let Some(c) = bad_url_char(s) {
        let mut utf8 = [0u8; 4];
        let encoded: String = c
            .encode_utf8(&mut utf8)
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect();
        ctx.error(
            span,
            format!("malformed URL '{}' in {}", sanitize(s), t.name),
            Some(format!(
                "'{}' cannot go in a URL as written: percent-encode it ({encoded})",
                sanitize(&c.to_string())
            )),
        );
        return None;
    }
    template(ctx, s, span, &format!("`http` of {}", t.name), false, on)
}

fn headers(ctx: &mut Ctx<'_>, t: &Table<'_, '_>) -> Option<Vec<(String, String)>> {
    let Some(v) = t.get("headers") else {
        return Some(Vec::new());
    };
    let DeValue::Table(map) = v.get_ref() else {
        t.wrong_type(
            ctx,
            "headers",
            v,
            "a table like { \"Content-Type\" = \"application/json\" }",
        );
        return None;
    };
    let mut out = Vec::new();
    let mut good = true;
    for (k, val) in map.iter() {
        let name: &str = k.get_ref();
        let token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !token {
            ctx.error(
                k.span(),
                format!("malformed header name '{}' in {}", sanitize(name), t.name),
                Some("a header name is letters, digits and -, e.g. \"Content-Type\"".into()),
            );
            good = false;
            continue;
        }
        // The request's framing is the sender's: a wrong length or host
        // would make the device wait for bytes that never come, or refuse.
        let framing = ["host", "content-length", "transfer-encoding", "connection"];
        if framing.iter().any(|f| name.eq_ignore_ascii_case(f)) {
            ctx.error(
                k.span(),
                format!(
                    "header '{}' of {} is set by showcall itself",
                    sanitize(name),
                    t.name
                ),
                Some("remove it; the host goes in the URL, and the length is the body's".into()),
            );
            good = false;
            continue;
        }
        match val.get_ref() {
            DeValue::String(s) => {
                let what = format!("header '{name}' of {}", t.name);
                let filled = placeholders(s)
                    .iter()
                    .any(|(_, p)| PLACEHOLDERS.contains(p));
                if filled {
                    // It would go out as the literal `{text}`.
                    ctx.error(
                        val.span(),
                        format!("{what} holds a placeholder, and headers are sent as written"),
                        Some("put `{session}`, `{title}`, `{speaker}` or `{text}` in the URL's path or query, or the body".into()),
                    );
                    good = false;
                } else if check_text(ctx, s, val.span(), &what, false).is_ok() {
                    out.push((name.to_string(), s.to_string()));
                } else {
                    good = false;
                }
            }
            other => {
                ctx.error(
                    val.span(),
                    format!(
                        "header '{name}' of {} must be a string, not {}",
                        t.name,
                        type_name(other)
                    ),
                    None,
                );
                good = false;
            }
        }
    }
    good.then_some(out)
}

#[cfg(test)]
mod tests;
