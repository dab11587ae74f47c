//! `[[cue]]` validation: good cues resolve to what they send; each bad one
//! is reported at its place, with how to fix it.

use crate::agenda::{Agenda, On, OscArg, Target, Template};

const HEAD: &str = r#"[event]
title = "T"
date = "2023-06-22"
timezone = "Europe/Zurich"

[[session]]
id = "welcome"
title = "Welcome"
start = "15:00"
end = "15:10"

[[session]]
id = "panel"
title = "Panel"
start = "15:10"
end = "15:40"
"#;

fn parse(cues: &str) -> Result<Agenda, String> {
    let src = format!("{HEAD}{cues}");
    Agenda::parse(src.as_bytes(), "a.toml").map_err(|e| e.to_string())
}

/// The first line of the first problem: `a.toml:LINE:COL: message`.
fn first(cues: &str) -> String {
    let e = parse(cues).expect_err("accepted");
    e.lines().next().unwrap().to_string()
}

/// The help of the first problem.
fn help(cues: &str) -> String {
    let e = parse(cues).expect_err("accepted");
    e.lines()
        .find_map(|l| l.trim().strip_prefix("= help: "))
        .unwrap_or("")
        .to_string()
}

// HEAD has 16 lines, so the first cue's header is line 17 and its keys
// follow on 18, 19, …

#[test]
fn an_osc_and_an_http_cue_resolve() {
    let a = parse(
        r#"[[cue]]
name = "chime at one minute"
on = "final"
session = "panel"
osc = "127.0.0.1:53000"
address = "/cue/7/start"
args = ["{title}", 1, 0.5, true]

[[cue]]
on = "start"
http = "http://10.0.0.5:8000/api/location/1/0/1/press"
body = '{"who": "{speaker}"}'
headers = { "Content-Type" = "application/json" }
"#,
    )
    .unwrap();
    assert_eq!(a.cues.len(), 2);
    let c = &a.cues[0];
    assert_eq!((c.name.as_str(), c.on), ("chime at one minute", On::Final));
    assert_eq!(c.session.as_deref(), Some("panel"));
    assert_eq!(c.line, 17);
    assert_eq!(
        c.target,
        Target::Osc {
            host: "127.0.0.1".into(),
            port: 53000,
            address: "/cue/7/start".into(),
            args: vec![
                OscArg::Text(Template("{title}".into())),
                OscArg::Int(1),
                OscArg::Float(0.5),
                OscArg::Bool(true)
            ],
        }
    );
    // No name: its `on` and its place; a body and no method: POST.
    let c = &a.cues[1];
    assert_eq!(c.name, "start #2");
    match &c.target {
        Target::Http { method, .. } => assert_eq!(method, "POST"),
        other => panic!("{other:?}"),
    }
    assert!(c.target.json_body());
    assert_eq!(
        c.target.label(),
        "POST http://10.0.0.5:8000/api/location/1/0/1/press"
    );
}

#[test]
fn an_unknown_event_is_located_with_the_word_it_meant() {
    // `on` is on line 18, its value at column 6.
    let cue = "[[cue]]\non = \"finale\"\nosc = \"127.0.0.1:53000\"\naddress = \"/x\"\n";
    assert_eq!(
        first(cue),
        "a.toml:18:6: unknown event 'finale' for `on` in cue 1"
    );
    assert_eq!(help(cue), "did you mean \"final\"?");
}

#[test]
fn a_missing_on_and_nowhere_to_send_are_both_said() {
    let e = parse("[[cue]]\nname = \"x\"\n").unwrap_err();
    assert!(e.contains("missing `on` in cue 'x'"), "{e}");
    assert!(
        e.contains("cue 'x' sends nowhere: it needs `osc` or `http`"),
        "{e}"
    );
}

#[test]
fn an_unknown_session_is_located() {
    let cue = "[[cue]]\non = \"start\"\nsession = \"pannel\"\nosc = \"h:1\"\naddress = \"/x\"\n";
    assert_eq!(
        first(cue),
        "a.toml:19:11: cue 1 is for session 'pannel', which the agenda does not have"
    );
    assert!(help(cue).starts_with("did you mean \"panel\"?"));
}

#[test]
fn both_osc_and_http_is_refused_at_http() {
    let cue = "[[cue]]\non = \"over\"\nosc = \"h:1\"\naddress = \"/x\"\nhttp = \"http://h/\"\n";
    assert_eq!(
        first(cue),
        "a.toml:21:8: cue 1 has both `osc` and `http`; a cue sends one thing"
    );
}

#[test]
fn bad_osc_targets_and_addresses_are_located() {
    let cue = "[[cue]]\non = \"over\"\nosc = \"127.0.0.1\"\naddress = \"/x\"\n";
    assert_eq!(
        first(cue),
        "a.toml:19:7: malformed OSC target '127.0.0.1' in cue 1"
    );
    let cue = "[[cue]]\non = \"over\"\nosc = \"h:99999\"\naddress = \"/x\"\n";
    assert!(first(cue).starts_with("a.toml:19:7: malformed OSC target"));
    let cue = "[[cue]]\non = \"over\"\nosc = \"h:1\"\naddress = \"cue 1\"\n";
    assert_eq!(
        first(cue),
        "a.toml:20:11: malformed OSC address 'cue 1' in cue 1"
    );
    let cue = "[[cue]]\non = \"over\"\nosc = \"h:1\"\n";
    assert_eq!(first(cue), "a.toml:17:1: missing `address` in cue 1");
    let cue = "[[cue]]\non = \"over\"\nosc = \"h:1\"\naddress = \"/x\"\nargs = [3000000000]\n";
    assert_eq!(
        first(cue),
        "a.toml:21:9: item 1 of `args` in cue 1 does not fit an OSC int32"
    );
}

#[test]
fn ipv6_goes_in_brackets_and_ports_are_1_to_65535() {
    let osc =
        |target: &str| format!("[[cue]]\non = \"over\"\nosc = \"{target}\"\naddress = \"/x\"\n");
    let host = |target: &str| match &parse(&osc(target)).unwrap().cues[0].target {
        Target::Osc { host, port, .. } => (host.clone(), *port),
        Target::Http { .. } => unreachable!(),
    };
    assert_eq!(host("[::1]:8000"), ("::1".to_string(), 8000));
    assert_eq!(host("desk.local:8000"), ("desk.local".to_string(), 8000));
    // `::1:8000` is also the address ::1:8000 with no port: refused,
    // with the bracketed form in the help; `[desk]` is no IPv6 address.
    assert_eq!(
        first(&osc("::1:8000")),
        "a.toml:19:7: malformed OSC target '::1:8000' in cue 1"
    );
    assert!(help(&osc("::1:8000")).contains("\"[::1]:53000\""));
    assert!(first(&osc("[desk]:8000")).starts_with("a.toml:19:7: malformed OSC target"));
    // HTTP: the same host forms; a port of 0 or past 65535 is refused
    // as OSC's is, a bracketed IPv6 with or without a port is taken.
    let http = |url: &str| format!("[[cue]]\non = \"start\"\nhttp = \"{url}\"\n");
    for good in [
        "http://[::1]:8000/x",
        "http://[::1]/x",
        "http://h/x",
        "http://h:8000?x=1",
    ] {
        assert!(parse(&http(good)).is_ok(), "{good}");
    }
    for bad in [
        "http://h:0/x",
        "http://h:70000/x",
        "http://::1:8000/x",
        "http://h:/x",
    ] {
        assert_eq!(
            first(&http(bad)),
            format!("a.toml:19:8: malformed URL '{bad}' in cue 1"),
        );
    }
}

#[test]
fn a_url_with_a_character_no_url_carries_is_refused_with_its_encoding() {
    // `"` and `<` made every firing fail ("invalid uri character") while
    // check passed; `{` outside a placeholder and `é` are no URL's either.
    let http = |url: &str| format!("[[cue]]\non = \"start\"\nhttp = '{url}'\n");
    for (bad, enc) in [
        ("http://h/a\"b", "%22"),
        ("http://h/<x>", "%3C"),
        ("http://h/x{", "%7B"),
        ("http://h/caf\u{e9}", "%C3%A9"),
        ("http://h/a|b", "%7C"),
    ] {
        assert_eq!(
            first(&http(bad)),
            format!("a.toml:19:8: malformed URL '{bad}' in cue 1"),
        );
        assert!(
            help(&http(bad)).ends_with(&format!("percent-encode it ({enc})")),
            "{bad}"
        );
    }
    // Placeholders, percent-encodings and RFC 3986's reserved characters
    // go as they are.
    let good = "http://h:8/a/{session}/b%20c?x=1&y=[2]&t={title}#f";
    assert!(parse(&http(good)).is_ok());
}

#[test]
fn an_osc_float_too_large_for_float32_is_refused() {
    let cue = |args: &str| {
        format!("[[cue]]\non = \"over\"\nosc = \"h:1\"\naddress = \"/x\"\nargs = {args}\n")
    };
    // 1e40 is past f32's ±3.4e38: it would go out as infinity. Line 21
    // is `args = [1.5, 1e40]`: `1e40` begins at column 14 (8 for
    // `args = [`, 3 for `1.5`, 2 for `, `).
    assert_eq!(
        first(&cue("[1.5, 1e40]")),
        "a.toml:21:14: item 2 of `args` in cue 1 does not fit an OSC float32"
    );
    let a = parse(&cue("[1_000.5, -2.5e3, inf]")).unwrap();
    match &a.cues[0].target {
        Target::Osc { args, .. } => assert_eq!(
            args,
            &[
                OscArg::Float(1000.5),
                OscArg::Float(-2500.0),
                OscArg::Float(f32::INFINITY)
            ]
        ),
        Target::Http { .. } => unreachable!(),
    }
}

#[test]
fn a_placeholder_in_a_header_is_refused_as_it_would_go_out_as_written() {
    let cue =
        "[[cue]]\non = \"message\"\nhttp = \"http://h/x\"\nheaders = { \"X-Who\" = \"{text}\" }\n";
    // Line 20 is the headers line; `"{text}"` begins at column 23 (12
    // for `headers = { `, 7 for `"X-Who"`, 3 for ` = `).
    assert_eq!(
        first(cue),
        "a.toml:20:23: header 'X-Who' of cue 1 holds a placeholder, and headers are sent as written"
    );
    // A brace that opens no placeholder is plain text, as in a body.
    let cue =
        "[[cue]]\non = \"start\"\nhttp = \"http://h/x\"\nheaders = { \"X-Json\" = \"{a}x{\" }\n";
    assert!(parse(cue).is_ok());
}

#[test]
fn the_request_framing_headers_are_refused() {
    // A `Content-Length` that is not the body's makes the device wait for
    // bytes that never come; `Host` belongs in the URL.
    let cue = |h: &str| {
        format!(
            "[[cue]]\non = \"start\"\nhttp = \"http://h/x\"\nbody = \"ab\"\nheaders = {{ \"{h}\" = \"5\" }}\n"
        )
    };
    for h in ["Content-Length", "host", "Transfer-Encoding", "Connection"] {
        // Line 21 is the headers line; the name begins at column 13.
        assert_eq!(
            first(&cue(h)),
            format!("a.toml:21:13: header '{h}' of cue 1 is set by showcall itself"),
        );
    }
    assert!(parse(&cue("X-Count")).is_ok());
}

#[test]
fn https_and_malformed_urls_are_refused() {
    let cue = "[[cue]]\non = \"start\"\nhttp = \"https://h/x\"\n";
    assert_eq!(
        first(cue),
        "a.toml:19:8: cue 1 uses https, and cues send plain http only"
    );
    let cue = "[[cue]]\non = \"start\"\nhttp = \"ftp://h/x\"\n";
    assert_eq!(
        first(cue),
        "a.toml:19:8: malformed URL 'ftp://h/x' in cue 1"
    );
    // A placeholder in the host could send anywhere: refused.
    let cue = "[[cue]]\non = \"start\"\nhttp = \"http://{session}/x\"\n";
    assert!(first(cue).starts_with("a.toml:19:8: malformed URL"));
}

#[test]
fn placeholders_are_checked() {
    let cue = "[[cue]]\non = \"start\"\nhttp = \"http://h/x?t={titel}\"\n";
    assert_eq!(
        first(cue),
        "a.toml:19:8: unknown placeholder '{titel}' in `http` of cue 1"
    );
    assert!(help(cue).starts_with("did you mean `{title}`?"));
    // `{text}` is a message's: only a message cue has it.
    let cue = "[[cue]]\non = \"start\"\nosc = \"h:1\"\naddress = \"/x\"\nargs = [\"{text}\"]\n";
    assert_eq!(
        first(cue),
        "a.toml:21:9: `{text}` in item 1 of `args` in cue 1 is a message's text, and this cue is not on a message"
    );
    let cue = "[[cue]]\non = \"message\"\nosc = \"h:1\"\naddress = \"/x\"\nargs = [\"{text}\"]\n";
    assert!(parse(cue).is_ok());
}

#[test]
fn keys_of_the_other_kind_and_bad_methods_are_located() {
    let cue = "[[cue]]\non = \"start\"\nosc = \"h:1\"\naddress = \"/x\"\nbody = \"b\"\n";
    assert_eq!(
        first(cue),
        "a.toml:21:8: `body` is for an HTTP cue, and cue 1 sends OSC"
    );
    let cue = "[[cue]]\non = \"start\"\nhttp = \"http://h/\"\nmethod = \"FETCH\"\n";
    assert_eq!(
        first(cue),
        "a.toml:20:10: unknown HTTP method 'FETCH' in cue 1"
    );
    let cue = "[[cue]]\non = \"start\"\nhttp = \"http://h/\"\nheaders = { \"Bad Name\" = \"x\" }\n";
    assert_eq!(
        first(cue),
        "a.toml:20:13: malformed header name 'Bad Name' in cue 1"
    );
    let cue = "[[cue]]\non = \"start\"\nhttp = \"http://h/\"\nmethod = \"get\"\nbody = \"x\"\n";
    assert_eq!(
        first(cue),
        "a.toml:20:10: cue 1 sends a `body` with GET, which carries none"
    );
    let cue = "[[cue]]\non = \"start\"\nhttp = \"http://h/\"\nspeed = 2\n";
    assert_eq!(first(cue), "a.toml:20:1: unknown key 'speed' in cue 1");
}

#[test]
fn control_characters_in_a_body_are_refused() {
    let cue = "[[cue]]\non = \"start\"\nhttp = \"http://h/\"\nbody = \"a\\u001b[2Jb\"\n";
    assert!(
        first(cue).starts_with("a.toml:20:8: `body` of cue 1 contains"),
        "{}",
        first(cue)
    );
}
