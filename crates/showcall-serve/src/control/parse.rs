//! From what arrived to a [`Command`]: an HTTP route and its JSON body, or
//! an OSC message and its arguments. Every error says what is wrong and
//! how to send it right; input text is sanitised and its length bounded.

use serde::Deserialize;
use serde_json::Value;

use super::{Command, MAX_TEXT};

/// The longest change of time one command may make: 24 hours either way.
pub const MAX_TIME_S: i64 = 24 * 3600;

/// The commands, as route names (`/api/<name>`, `/showcall/<name>`).
pub const COMMANDS: [&str; 11] = [
    "go",
    "end",
    "time",
    "hold",
    "resume",
    "message",
    "preset",
    "clear",
    "floor",
    "floor/close",
    "note",
];

/// Cleaned text: control characters shown as U+FFFD, line breaks as
/// spaces, trimmed; an error when longer than [`MAX_TEXT`] characters.
pub fn text(field: &str, raw: &str) -> Result<String, String> {
    let t = showcall_core::text::sanitize(raw).trim().to_owned();
    let n = t.chars().count();
    if n > MAX_TEXT {
        return Err(format!(
            "'{field}' is {n} characters long: at most {MAX_TEXT}"
        ));
    }
    Ok(t)
}

/// Cleaned text that must not be empty.
fn required(field: &str, raw: &str) -> Result<String, String> {
    let t = text(field, raw)?;
    if t.is_empty() {
        return Err(format!("'{field}' is empty: give the text"));
    }
    Ok(t)
}

/// Cleaned text, None when empty or absent.
fn optional(field: &str, raw: Option<&str>) -> Result<Option<String>, String> {
    raw.map(|r| text(field, r))
        .transpose()
        .map(|t| t.filter(|t| !t.is_empty()))
}

/// A change of time in seconds from text: `60`, `-30`, `+1m`, `-2min`,
/// `90s`, `+1:30` (m:ss). Not zero, at most [`MAX_TIME_S`] either way.
pub fn time_text(raw: &str) -> Result<i64, String> {
    let t = raw.trim();
    let bad = || {
        format!(
            "time '{}' is not seconds (60, -30), minutes (+1m, -2m) or m:ss (+1:30)",
            showcall_core::text::sanitize(t)
        )
    };
    let (sign, body) = match t.strip_prefix('-') {
        Some(b) => (-1, b),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    let whole = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let secs = if let Some((m, s)) = body.split_once(':') {
        let (m, s) = (whole(m).ok_or_else(bad)?, whole(s).ok_or_else(bad)?);
        if s >= 60 || s.to_string().len() > 2 {
            return Err(bad());
        }
        m * 60 + s
    } else if let Some(n) = body.strip_suffix("min").or(body.strip_suffix('m')) {
        whole(n.trim_end()).ok_or_else(bad)? * 60
    } else {
        whole(body.strip_suffix('s').unwrap_or(body).trim_end()).ok_or_else(bad)?
    };
    seconds(sign * secs)
}

/// A change of time in whole seconds, checked: not zero, not more than
/// [`MAX_TIME_S`] either way.
pub fn seconds(s: i64) -> Result<i64, String> {
    if s == 0 {
        Err("time 0 changes nothing: give seconds, e.g. 60 or -60".into())
    } else if s.abs() > MAX_TIME_S {
        Err(format!(
            "time {s} s is more than a day: at most {MAX_TIME_S} seconds either way"
        ))
    } else {
        Ok(s)
    }
}

/// Seconds from a JSON or OSC number, rounded to the whole second.
fn number_seconds(n: f64, unit: f64) -> Result<i64, String> {
    let s = n * unit;
    if !s.is_finite() || s.abs() > MAX_TIME_S as f64 {
        // The number as sent, short: 1e308 is not three hundred digits.
        let shown = if n.abs() < 1e9 {
            format!("{n}")
        } else {
            format!("{n:e}")
        };
        let unit = if unit == 1.0 { "s" } else { "min" };
        return Err(format!(
            "time {shown} {unit} is more than a day: at most {MAX_TIME_S} seconds either way"
        ));
    }
    seconds(s.round() as i64)
}

/// The body of `POST /api/time`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TimeBody {
    seconds: Option<f64>,
    minutes: Option<f64>,
    time: Option<String>,
}

/// The body of the routes that take text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextBody {
    text: Option<String>,
    preset: Option<Value>,
    reason: Option<String>,
    name: Option<String>,
}

/// The command of `POST /api/<route>` with `body` (JSON; empty for none).
/// Errors: an unknown route, JSON that does not parse, a field the route
/// does not take or of the wrong type, a bad value.
pub fn http(route: &str, body: &[u8]) -> Result<Command, String> {
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let json_err = |e: serde_json::Error| {
        let msg = e.to_string();
        let msg = msg
            .split(" at line ")
            .next()
            .unwrap_or(&msg)
            .replace('`', "'");
        format!(
            "the body is not the JSON this route takes: {}",
            showcall_core::text::sanitize(&msg)
        )
    };
    let texts = || -> Result<TextBody, String> {
        if empty {
            return Ok(TextBody {
                text: None,
                preset: None,
                reason: None,
                name: None,
            });
        }
        serde_json::from_slice(body).map_err(json_err)
    };
    let only = |field: &str, b: &TextBody| -> Result<(), String> {
        let given = [
            ("text", b.text.is_some()),
            ("preset", b.preset.is_some()),
            ("reason", b.reason.is_some()),
            ("name", b.name.is_some()),
        ];
        match given.iter().find(|(f, set)| *set && *f != field) {
            Some((f, _)) => Err(format!("'{f}' is not a field of /api/{route}")),
            None => Ok(()),
        }
    };
    let cmd = match route {
        "go" | "end" | "resume" | "clear" | "floor/close" => {
            if !empty {
                serde_json::from_slice::<serde_json::Map<String, Value>>(body)
                    .map_err(json_err)
                    .and_then(|m| match m.keys().next() {
                        Some(k) => Err(format!(
                            "'{}' is not a field of /api/{route}: it takes no body",
                            showcall_core::text::sanitize(k)
                        )),
                        None => Ok(()),
                    })?;
            }
            match route {
                "go" => Command::Go,
                "end" => Command::End,
                "resume" => Command::Resume,
                "clear" => Command::Clear,
                _ => Command::FloorClose,
            }
        }
        "time" => {
            if empty {
                return Err("/api/time needs a body: {\"seconds\":60} or {\"minutes\":-1} or {\"time\":\"+1m\"}".into());
            }
            let b: TimeBody = serde_json::from_slice(body).map_err(json_err)?;
            Command::Time(match (b.seconds, b.minutes, b.time) {
                (Some(s), None, None) => number_seconds(s, 1.0)?,
                (None, Some(m), None) => number_seconds(m, 60.0)?,
                (None, None, Some(t)) => time_text(&t)?,
                _ => return Err("give one of 'seconds', 'minutes' or 'time'".into()),
            })
        }
        "hold" => {
            let b = texts()?;
            only("reason", &b)?;
            Command::Hold(optional("reason", b.reason.as_deref())?)
        }
        "floor" => {
            let b = texts()?;
            only("name", &b)?;
            Command::Floor(optional("name", b.name.as_deref())?)
        }
        "note" => {
            let b = texts()?;
            only("text", &b)?;
            Command::Note(required("text", b.text.as_deref().unwrap_or(""))?)
        }
        "message" | "preset" => {
            let b = texts()?;
            match (b.text, b.preset, b.reason, b.name) {
                (Some(t), None, None, None) => Command::Message(required("text", &t)?),
                (None, Some(p), None, None) => Command::Preset(preset_value(&p)?),
                _ => return Err("give 'text' (the message) or 'preset' (a name like \"WRAP UP\", or its number from 1)".into()),
            }
        }
        _ => return Err(unknown(route)),
    };
    Ok(cmd)
}

fn preset_value(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => required("preset", s),
        Value::Number(n) if n.as_u64().is_some() => Ok(n.to_string()),
        _ => Err("'preset' is a name like \"WRAP UP\" or a number from 1".into()),
    }
}

/// What an unknown command is told.
fn unknown(route: &str) -> String {
    format!(
        "no command '{}': the commands are {}",
        showcall_core::text::sanitize(route),
        COMMANDS.join(", ")
    )
}

/// The command of an OSC message (`/showcall/<name>` and its arguments).
/// `Ok(None)`: a button's release (a single 0 or false), which does nothing.
/// Errors: an address that is not ours, arguments of the wrong type.
pub fn osc(msg: &rosc::OscMessage) -> Result<Option<Command>, String> {
    use rosc::OscType as T;
    let addr = msg.addr.as_str();
    let name = addr.strip_prefix("/showcall/").ok_or_else(|| {
        format!(
            "address '{}' is not /showcall/…",
            showcall_core::text::sanitize(addr)
        )
    })?;
    let wrong = |what: &str| format!("{}: {what}", showcall_core::text::sanitize(addr));
    let args = &msg.args;
    // A desk's button sends 1 on press and 0 on release: the release is no command.
    let press = |args: &[T]| -> Result<bool, String> {
        match args {
            [] => Ok(true),
            [T::Int(n)] => Ok(*n != 0),
            [T::Float(f)] => Ok(*f != 0.0),
            [T::Double(f)] => Ok(*f != 0.0),
            [T::Long(n)] => Ok(*n != 0),
            [T::Bool(b)] => Ok(*b),
            _ => Err(wrong("takes no arguments (or 1 for a button's press)")),
        }
    };
    let string = |args: &[T], field: &str| -> Result<Option<String>, String> {
        match args {
            [] => Ok(None),
            [T::String(s)] => Ok(Some(text(field, s).map_err(|e| wrong(&e))?)),
            _ => Err(wrong(&format!("takes one string argument: the {field}"))),
        }
    };
    let cmd = match name {
        "go" | "end" | "resume" | "clear" | "floor/close" => {
            if !press(args)? {
                return Ok(None);
            }
            match name {
                "go" => Command::Go,
                "end" => Command::End,
                "resume" => Command::Resume,
                "clear" => Command::Clear,
                _ => Command::FloorClose,
            }
        }
        "time" => Command::Time(
            match args.as_slice() {
                [T::Int(n)] => seconds(i64::from(*n)),
                [T::Long(n)] => seconds(*n),
                [T::Float(f)] => number_seconds(f64::from(*f), 1.0),
                [T::Double(f)] => number_seconds(*f, 1.0),
                [T::String(s)] => time_text(s),
                _ => Err("takes one argument: seconds (60, -60) or text (\"+1m\")".into()),
            }
            .map_err(|e| wrong(&e))?,
        ),
        "hold" => Command::Hold(string(args, "reason")?.filter(|t| !t.is_empty())),
        "floor" => Command::Floor(string(args, "name")?.filter(|t| !t.is_empty())),
        "message" | "note" => {
            let t = string(args, "text")?
                .filter(|t| !t.is_empty())
                .ok_or_else(|| wrong("takes one string argument: the text"))?;
            if name == "note" {
                Command::Note(t)
            } else {
                Command::Message(t)
            }
        }
        "preset" => match args.as_slice() {
            [T::Int(n)] if *n > 0 => Command::Preset(n.to_string()),
            [T::String(s)] => Command::Preset(required("preset", s).map_err(|e| wrong(&e))?),
            _ => {
                return Err(wrong(
                    "takes one argument: a preset's name or number from 1",
                ));
            }
        },
        _ => return Err(wrong(&unknown(name))),
    };
    Ok(Some(cmd))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rosc::{OscMessage, OscType as T};

    fn msg(addr: &str, args: Vec<T>) -> OscMessage {
        OscMessage {
            addr: addr.into(),
            args,
        }
    }

    #[test]
    fn time_text_reads_seconds_minutes_and_m_ss() {
        assert_eq!(time_text("60"), Ok(60));
        assert_eq!(time_text("-30"), Ok(-30));
        assert_eq!(time_text("+1m"), Ok(60));
        assert_eq!(time_text("-2min"), Ok(-120));
        assert_eq!(time_text("90s"), Ok(90));
        // 1:30 = 60 + 30 seconds.
        assert_eq!(time_text("+1:30"), Ok(90));
        assert!(time_text("0").unwrap_err().contains("changes nothing"));
        assert!(time_text("1:75").is_err());
        assert!(time_text("soon").unwrap_err().contains("'soon'"));
        // 25 hours is more than the day a command may move.
        assert!(time_text("1500m").unwrap_err().contains("more than a day"));
    }

    #[test]
    fn a_number_too_big_is_said_as_sent() {
        // Not "time 86401 s", which nobody sent.
        assert_eq!(
            http("time", br#"{"seconds":1e308}"#),
            Err("time 1e308 s is more than a day: at most 86400 seconds either way".into())
        );
        // 1441 minutes = 86460 s, a minute over the day.
        assert_eq!(
            http("time", br#"{"minutes":1441}"#),
            Err("time 1441 min is more than a day: at most 86400 seconds either way".into())
        );
    }

    #[test]
    fn json_bodies_become_commands() {
        assert_eq!(http("go", b""), Ok(Command::Go));
        assert_eq!(http("go", b"{}"), Ok(Command::Go));
        assert_eq!(http("floor/close", b""), Ok(Command::FloorClose));
        assert_eq!(http("time", br#"{"seconds":60}"#), Ok(Command::Time(60)));
        assert_eq!(http("time", br#"{"minutes":-1}"#), Ok(Command::Time(-60)));
        assert_eq!(http("time", br#"{"time":"+2m"}"#), Ok(Command::Time(120)));
        assert_eq!(http("hold", b""), Ok(Command::Hold(None)));
        assert_eq!(
            http("hold", br#"{"reason":"mic \u001b[2J down"}"#),
            Ok(Command::Hold(Some("mic \u{FFFD}[2J down".into())))
        );
        assert_eq!(
            http("message", br#"{"preset":"WRAP UP"}"#),
            Ok(Command::Preset("WRAP UP".into()))
        );
        assert_eq!(
            http("message", br#"{"preset":2}"#),
            Ok(Command::Preset("2".into()))
        );
        assert_eq!(
            http("message", br#"{"text":"  line\nbreak "}"#),
            Ok(Command::Message("line break".into()))
        );
        assert_eq!(
            http("floor", br#"{"name":"Delegate of Chile"}"#),
            Ok(Command::Floor(Some("Delegate of Chile".into())))
        );
        assert_eq!(
            http("note", br#"{"text":"x"}"#),
            Ok(Command::Note("x".into()))
        );
    }

    #[test]
    fn bad_json_bodies_say_what_is_wrong() {
        assert!(
            http("time", b"{\"seconds\":")
                .unwrap_err()
                .contains("not the JSON")
        );
        assert!(http("time", b"").unwrap_err().contains("needs a body"));
        assert!(
            http("time", br#"{"secs":60}"#)
                .unwrap_err()
                .contains("unknown field")
        );
        assert!(
            http("time", br#"{"seconds":"60"}"#)
                .unwrap_err()
                .contains("not the JSON")
        );
        assert!(
            http("go", br#"{"now":true}"#)
                .unwrap_err()
                .contains("takes no body")
        );
        assert!(
            http("note", br#"{"reason":"x"}"#)
                .unwrap_err()
                .contains("'reason' is not a field")
        );
        assert!(
            http("note", br#"{"text":"  "}"#)
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            http("message", br#"{}"#)
                .unwrap_err()
                .contains("give 'text'")
        );
        assert!(
            http("launch", b"")
                .unwrap_err()
                .contains("no command 'launch'")
        );
        let long = format!(r#"{{"text":"{}"}}"#, "x".repeat(MAX_TEXT + 1));
        assert!(
            http("note", long.as_bytes())
                .unwrap_err()
                .contains("at most 300")
        );
    }

    #[test]
    fn osc_messages_become_commands() {
        let c = |a: &str, args| osc(&msg(a, args));
        assert_eq!(c("/showcall/go", vec![]), Ok(Some(Command::Go)));
        assert_eq!(
            c("/showcall/go", vec![T::Float(1.0)]),
            Ok(Some(Command::Go))
        );
        // A button's release does nothing.
        assert_eq!(c("/showcall/go", vec![T::Float(0.0)]), Ok(None));
        assert_eq!(
            c("/showcall/time", vec![T::Int(60)]),
            Ok(Some(Command::Time(60)))
        );
        assert_eq!(
            c("/showcall/time", vec![T::Float(-59.6)]),
            Ok(Some(Command::Time(-60)))
        );
        assert_eq!(
            c("/showcall/time", vec![T::String("+1m".into())]),
            Ok(Some(Command::Time(60)))
        );
        assert_eq!(c("/showcall/hold", vec![]), Ok(Some(Command::Hold(None))));
        assert_eq!(
            c("/showcall/message", vec![T::String("WRAP UP".into())]),
            Ok(Some(Command::Message("WRAP UP".into())))
        );
        assert_eq!(
            c("/showcall/preset", vec![T::Int(1)]),
            Ok(Some(Command::Preset("1".into())))
        );
        assert_eq!(
            c("/showcall/floor/close", vec![]),
            Ok(Some(Command::FloorClose))
        );
        assert_eq!(
            c("/showcall/note", vec![T::String("a\tb".into())]),
            Ok(Some(Command::Note("a b".into())))
        );
    }

    #[test]
    fn bad_osc_messages_are_errors() {
        let c = |a: &str, args| osc(&msg(a, args)).unwrap_err();
        assert!(c("/other/go", vec![]).contains("not /showcall/"));
        assert!(c("/showcall/launch", vec![]).contains("no command 'launch'"));
        assert!(c("/showcall/time", vec![]).contains("takes one argument"));
        assert!(c("/showcall/time", vec![T::Int(0)]).contains("changes nothing"));
        assert!(c("/showcall/message", vec![T::Int(3)]).contains("one string"));
        assert!(c("/showcall/message", vec![]).contains("the text"));
        assert!(c("/showcall/go", vec![T::String("x".into())]).contains("no arguments"));
    }
}
