//! Cues out: the agenda's `[[cue]]` tables, validated — on which change of
//! the show ([`On`]) to send what to whom ([`Target`]: one OSC message over
//! UDP, or one plain `http://` request) — and the filling of their text
//! placeholders (`{session}`, `{title}`, `{speaker}`, `{text}`), sanitised
//! and escaped for where they go.
//!
//! Pure data and text: no socket, no clock. When a cue fires is
//! `show::CueWatch`'s business; the sending is the shell's (`src/cues.rs`).

/// The longest a placeholder's value may be once filled in, in characters:
/// a title or a message is cut there, so a cue stays one small packet.
pub const MAX_FILL_CHARS: usize = 200;

/// The change of the show a cue fires on (its `on` key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum On {
    /// A session goes live (`start` entry: GO, a go-to, the floor's GO).
    Start,
    /// The live session's countdown reaches its warn threshold.
    Warn,
    /// The live session's countdown reaches its final threshold.
    Final,
    /// The live session's countdown passes zero: OVER.
    Over,
    /// The live session stops being live (`e`, or GO to the next one).
    End,
    /// The show is held (`hold` entry).
    Hold,
    /// The hold ends (`resume` entry).
    Resume,
    /// A message is sent to the speaker screen (a non-empty `message`).
    Message,
}

impl On {
    /// Every event, in the order the docs list them.
    pub const ALL: [On; 8] = [
        On::Start,
        On::Warn,
        On::Final,
        On::Over,
        On::End,
        On::Hold,
        On::Resume,
        On::Message,
    ];

    /// The word as the agenda and the journal write it (`"final"`).
    pub fn as_str(self) -> &'static str {
        match self {
            On::Start => "start",
            On::Warn => "warn",
            On::Final => "final",
            On::Over => "over",
            On::End => "end",
            On::Hold => "hold",
            On::Resume => "resume",
            On::Message => "message",
        }
    }

    /// The inverse of [`On::as_str`]; `None` for any other word.
    pub fn parse(s: &str) -> Option<On> {
        On::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// One `[[cue]]` of the agenda, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    /// What the screen and the journal call it: the agenda's `name`, or
    /// `final #2` (its `on` and its 1-based place among the cues).
    pub name: String,
    /// When it fires.
    pub on: On,
    /// Only for this session (by id); `None`: for every session. For
    /// `hold`, `resume` and `message` it is the session live at the time.
    pub session: Option<String>,
    /// What it sends, and where.
    pub target: Target,
    /// 1-based line of the `[[cue]]` header, for messages.
    pub line: usize,
}

/// What a cue sends, and where.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// One OSC message in one UDP datagram to `host:port`.
    Osc {
        /// A host name or an IP address, resolved when the cue fires.
        host: String,
        /// The UDP port, 1 to 65535.
        port: u16,
        /// The OSC address pattern, sent as written (`/cue/1/start`).
        address: String,
        /// The message's arguments, in order.
        args: Vec<OscArg>,
    },
    /// One plain-HTTP request (no TLS).
    Http {
        /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
        method: String,
        /// `http://host[:port]/path?query`, with placeholders filled
        /// percent-encoded.
        url: Template,
        /// Extra headers, name and value as written (no placeholders).
        headers: Vec<(String, String)>,
        /// The request body, with placeholders filled (JSON-escaped when the
        /// body is JSON: it starts with `{` or `[`, or a `Content-Type`
        /// header says json).
        body: Option<Template>,
    },
}

/// One argument of an OSC cue, as the agenda gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum OscArg {
    /// A TOML integer, sent as an OSC int32.
    Int(i32),
    /// A TOML float, sent as an OSC float32.
    Float(f32),
    /// A TOML boolean, sent as OSC true or false.
    Bool(bool),
    /// A TOML string, placeholders filled, sent as an OSC string.
    Text(Template),
}

/// A text with placeholders: `{session}`, `{title}`, `{speaker}`,
/// `{text}`. A `{` not followed by a lowercase word and `}` is plain text,
/// so a JSON body reads as it is written (`{"title": "{title}"}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template(pub String);

/// The placeholders a template may hold.
pub const PLACEHOLDERS: [&str; 4] = ["session", "title", "speaker", "text"];

/// What the placeholders stand for when a cue fires; each value as the
/// show has it (the shell sanitises nothing itself: [`Template::fill`] does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vars {
    /// The session's id (`{session}`), empty when none.
    pub session: String,
    /// The session's title (`{title}`).
    pub title: String,
    /// Its first speaker after the journal's changes (`{speaker}`).
    pub speaker: String,
    /// The message's text (`{text}`), for a `message` cue.
    pub text: String,
}

/// How a filled value is written into its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// As sanitised text (an OSC string, a plain-text body).
    Plain,
    /// Percent-encoded, every byte but RFC 3986's unreserved ones (a URL).
    Url,
    /// Inside a JSON string: `"`, `\` and control characters escaped.
    Json,
}

/// The placeholders in `s`, in order, as `(byte offset, name)`: every
/// `{word}` whose word is lowercase ASCII letters and `_`. Known or not;
/// validation refuses the unknown ones.
pub fn placeholders(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' {
            let word = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase() || **b == b'_')
                .count();
            if word > 0 && bytes.get(i + 1 + word) == Some(&b'}') {
                out.push((i, &s[i + 1..i + 1 + word]));
                i += word + 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

impl Template {
    /// The text with each known placeholder replaced by its value:
    /// sanitised (no control character or escape sequence reaches the
    /// other system), cut to [`MAX_FILL_CHARS`], then escaped by `escape`.
    /// The template's own text is kept as written.
    pub fn fill(&self, vars: &Vars, escape: Escape) -> String {
        let s = &self.0;
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        for (at, name) in placeholders(s) {
            let value = match name {
                "session" => &vars.session,
                "title" => &vars.title,
                "speaker" => &vars.speaker,
                "text" => &vars.text,
                _ => continue,
            };
            out.push_str(&s[last..at]);
            let clean = crate::text::sanitize(value);
            let clean: String = clean.chars().take(MAX_FILL_CHARS).collect();
            match escape {
                Escape::Plain => out.push_str(&clean),
                Escape::Url => percent_encode(&clean, &mut out),
                Escape::Json => json_escape(&clean, &mut out),
            }
            last = at + name.len() + 2;
        }
        out.push_str(&s[last..]);
        out
    }

    /// True when the template holds `{name}`.
    pub fn uses(&self, name: &str) -> bool {
        placeholders(&self.0).iter().any(|(_, n)| *n == name)
    }
}

fn percent_encode(s: &str, out: &mut String) {
    use std::fmt::Write;
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

fn json_escape(s: &str, out: &mut String) {
    use std::fmt::Write;
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

impl Target {
    /// Where it goes, as the screen and the journal's `target` say it:
    /// `127.0.0.1:53000 /cue/1/start`, or the URL as written (placeholders
    /// unfilled), both sanitised.
    pub fn label(&self) -> String {
        let t = match self {
            Target::Osc {
                host,
                port,
                address,
                ..
            } => format!("{host}:{port} {address}"),
            Target::Http { method, url, .. } => format!("{method} {}", url.0),
        };
        crate::text::sanitize(&t).into_owned()
    }

    /// True when its body is JSON: it starts with `[`, or with a `{` that
    /// does not open a placeholder (`{text}` alone is text), or a
    /// `Content-Type` header names json. Always false for OSC.
    pub fn json_body(&self) -> bool {
        match self {
            Target::Http { headers, body, .. } => {
                let typed = headers.iter().any(|(k, v)| {
                    k.eq_ignore_ascii_case("content-type")
                        && v.to_ascii_lowercase().contains("json")
                });
                // A body that opens with a placeholder (`{text}`) is
                // text, not a JSON object.
                let looks = body.as_ref().is_some_and(|b| {
                    let t = b.0.trim_start();
                    t.starts_with('[')
                        || (t.starts_with('{') && placeholders(t).first().is_none_or(|p| p.0 > 0))
                });
                typed || looks
            }
            Target::Osc { .. } => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        Vars {
            session: "panel".into(),
            title: "Panel: \"Routes\" & rights".into(),
            speaker: "Dr A\u{1b}[31m".into(),
            text: "WRAP UP".into(),
        }
    }

    #[test]
    fn a_json_body_keeps_its_braces_and_escapes_the_values() {
        let t = Template(r#"{"title": "{title}", "by": "{speaker}"}"#.into());
        // The quote in the title is escaped; the escape character in the
        // speaker is sanitised to U+FFFD before it is written.
        assert_eq!(
            t.fill(&vars(), Escape::Json),
            "{\"title\": \"Panel: \\\"Routes\\\" & rights\", \"by\": \"Dr A\u{fffd}[31m\"}"
        );
    }

    #[test]
    fn a_url_gets_percent_encoded_values() {
        let t = Template("http://h/x?s={session}&t={title}".into());
        assert_eq!(
            t.fill(&vars(), Escape::Url),
            "http://h/x?s=panel&t=Panel%3A%20%22Routes%22%20%26%20rights"
        );
    }

    #[test]
    fn unknown_words_and_lone_braces_are_found_or_left() {
        assert_eq!(
            placeholders("{a} {\"x\"} {Title} {text}"),
            vec![(0, "a"), (18, "text")]
        );
        let long = Vars {
            title: "x".repeat(500),
            ..Vars::default()
        };
        assert_eq!(
            Template("{title}".into())
                .fill(&long, Escape::Plain)
                .chars()
                .count(),
            MAX_FILL_CHARS
        );
    }
}
