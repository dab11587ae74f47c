//! The cue watch with the clock as an input: each event once, at its
//! instant; nothing on a restart; nothing while held; per-session cues.

use chrono::{DateTime, FixedOffset, Utc};

use super::*;
use crate::agenda::Agenda;
use crate::journal::{Entry, Kind};

const AGENDA: &str = r#"[event]
title = "T"
date = "2023-06-22"
timezone = "Europe/Zurich"

[signals]
warn = "5m"
final = "1m"

[[session]]
id = "welcome"
title = "Welcome"
start = "15:00"
end = "15:10"
speakers = ["Ana"]

[[session]]
id = "panel"
title = "Panel"
start = "15:10"
end = "15:40"
speakers = ["Bo", "Cy"]

[[cue]]
name = "chime"
on = "final"
session = "panel"
osc = "127.0.0.1:53000"
address = "/cue/1/start"
args = ["{title}", "{speaker}"]

[[cue]]
name = "lower third"
on = "start"
http = "http://127.0.0.1:8000/x?who={speaker}"

[[cue]]
name = "to the screen"
on = "message"
http = "http://127.0.0.1:8000/m"
body = '{"text": "{text}"}'
"#;

/// An instant in the event's zone (CEST, UTC+2) on its day.
fn t(hms: &str) -> DateTime<Utc> {
    local(hms).with_timezone(&Utc)
}

fn local(hms: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("2023-06-22T{hms}+02:00")).unwrap()
}

fn show() -> Show {
    let a = Agenda::parse(AGENDA.as_bytes(), "a.toml").unwrap_or_else(|e| panic!("{e}"));
    Show::new(a, Vec::new())
}

fn log(show: &mut Show, at: &str, kind: Kind) {
    let seq = show.entries().len() as u64 + 1;
    show.extend([Entry::new(seq, local(at), kind)]);
}

fn start(id: &str) -> Kind {
    Kind::Start { session: id.into() }
}

/// The events at `at`, as `on` words with the session's id.
fn seen(w: &mut CueWatch, show: &Show, at: &str) -> Vec<String> {
    let snap = show.at(t(at));
    w.observe(show, &snap)
        .iter()
        .map(|e| {
            let id = e
                .session
                .map_or("-", |i| show.agenda.sessions[i].id.as_str());
            format!("{} {id}", e.on.as_str())
        })
        .collect()
}

#[test]
fn each_signal_fires_once_at_its_instant() {
    let mut s = show();
    let mut w = CueWatch::new(&s, &s.at(t("15:05:00")));
    log(&mut s, "15:10:00.250", start("panel"));
    assert_eq!(seen(&mut w, &s, "15:10:00.300"), ["start panel"]);
    // 30:00 allotted from 15:10:00.250: warn (5:00 left) at 15:35:00.250,
    // final (1:00 left) at 15:39:00.250, over once past 15:40:00.250.
    let snap = s.at(t("15:10:00.300"));
    assert_eq!(next_signal_change(&s, &snap), Some(t("15:35:00.250")));
    assert!(seen(&mut w, &s, "15:35:00.249").is_empty());
    assert_eq!(seen(&mut w, &s, "15:35:00.250"), ["warn panel"]);
    assert!(seen(&mut w, &s, "15:35:01").is_empty());
    let snap = s.at(t("15:35:01"));
    assert_eq!(next_signal_change(&s, &snap), Some(t("15:39:00.250")));
    assert_eq!(seen(&mut w, &s, "15:39:00.250"), ["final panel"]);
    let snap = s.at(t("15:39:30"));
    assert_eq!(next_signal_change(&s, &snap), Some(t("15:40:00.251")));
    // At 0:00 exactly the countdown is still final; a millisecond on, over.
    assert!(seen(&mut w, &s, "15:40:00.250").is_empty());
    assert_eq!(seen(&mut w, &s, "15:40:00.251"), ["over panel"]);
    assert!(seen(&mut w, &s, "15:41:00").is_empty());
    assert_eq!(next_signal_change(&s, &s.at(t("15:41:00"))), None);
    // `e` ends it; nothing is live after.
    log(
        &mut s,
        "15:42:00",
        Kind::End {
            session: "panel".into(),
        },
    );
    assert_eq!(seen(&mut w, &s, "15:42:00"), ["end panel"]);
}

#[test]
fn go_ends_the_live_session_and_starts_the_next() {
    let mut s = show();
    let mut w = CueWatch::new(&s, &s.at(t("14:59:00")));
    log(&mut s, "15:00:00", start("welcome"));
    log(&mut s, "15:09:00", start("panel"));
    // Both entries arrive in one pass: in the order they happened.
    assert_eq!(
        seen(&mut w, &s, "15:09:00"),
        ["start welcome", "end welcome", "start panel"]
    );
}

#[test]
fn a_restart_fires_nothing_already_past() {
    let mut s = show();
    log(&mut s, "15:10:00", start("panel"));
    // Opened again at 15:36, in the warn: the watch starts from here.
    let mut w = CueWatch::new(&s, &s.at(t("15:36:00")));
    assert!(seen(&mut w, &s, "15:36:01").is_empty());
    assert_eq!(seen(&mut w, &s, "15:39:00"), ["final panel"]);
}

#[test]
fn a_hold_stops_the_signals_until_resumed() {
    let mut s = show();
    let mut w = CueWatch::new(&s, &s.at(t("15:05:00")));
    log(&mut s, "15:10:00", start("panel"));
    assert_eq!(seen(&mut w, &s, "15:10:00"), ["start panel"]);
    log(
        &mut s,
        "15:30:00",
        Kind::Hold {
            session: Some("panel".into()),
            reason: None,
        },
    );
    assert_eq!(seen(&mut w, &s, "15:30:00"), ["hold panel"]);
    // Held: the clock stands at 10:00 left, so nothing is due...
    assert_eq!(next_signal_change(&s, &s.at(t("15:31:00"))), None);
    // ...and a shortening by 6 minutes while held (4:00 left: warn on
    // the screen) fires nothing while held.
    log(
        &mut s,
        "15:32:00",
        Kind::Adjust {
            session: "panel".into(),
            delta_s: -360,
            note: None,
        },
    );
    assert!(seen(&mut w, &s, "15:32:00").is_empty());
    log(
        &mut s,
        "15:34:00",
        Kind::Resume {
            session: Some("panel".into()),
        },
    );
    // Resumed with 4:00 left (24:00 allotted from 15:10, 20:00 run
    // before the hold): the screen turns from HOLD to warn now, so the
    // warn the `-` reached while held fires at the resume, once.
    assert_eq!(seen(&mut w, &s, "15:34:00"), ["resume panel", "warn panel"]);
    assert!(seen(&mut w, &s, "15:34:01").is_empty());
    // Held 4:00; 24:00 allotted from 15:10 ends at 15:38; final at 15:37.
    assert_eq!(
        next_signal_change(&s, &s.at(t("15:34:00"))),
        Some(t("15:37:00"))
    );
    assert_eq!(seen(&mut w, &s, "15:37:00"), ["final panel"]);
}

#[test]
fn cues_for_one_session_fire_for_it_only_and_fill_their_placeholders() {
    let mut s = show();
    let mut w = CueWatch::new(&s, &s.at(t("14:59:00")));
    log(&mut s, "15:00:00", start("welcome"));
    let snap = s.at(t("15:00:00"));
    let ev = w.observe(&s, &snap);
    let f = firings(&s.agenda, &snap, &ev);
    // The start cue is for every session; the chime is panel's only.
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].name, "lower third");
    assert_eq!(
        f[0].request,
        Request::Http {
            method: "GET".into(),
            url: "http://127.0.0.1:8000/x?who=Ana".into(),
            headers: vec![],
            body: None
        }
    );
    // The welcome's final (1:00 left at 15:09) fires nothing: no cue.
    let snap = s.at(t("15:09:00"));
    assert!(firings(&s.agenda, &snap, &w.observe(&s, &snap)).is_empty());
    log(&mut s, "15:09:30", start("panel"));
    log(
        &mut s,
        "15:20:00",
        Kind::Message {
            text: "WRAP \"UP\"".into(),
        },
    );
    // The GO and the message are taken in in one pass.
    let snap = s.at(t("15:20:00"));
    let names: Vec<String> = firings(&s.agenda, &snap, &w.observe(&s, &snap))
        .into_iter()
        .map(|f| format!("{} {:?}", f.name, f.request))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with("lower third") && names[0].contains("who=Bo"));
    assert!(
        names[1].contains(r#"{\"text\": \"WRAP \\\"UP\\\"\"}"#),
        "{}",
        names[1]
    );
    // Panel's final at 15:38:30 (30:00 from 15:09:30, 1:00 left): the chime,
    // with the title and the first speaker.
    let snap = s.at(t("15:38:30"));
    let f = firings(&s.agenda, &snap, &w.observe(&s, &snap));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].name, "chime");
    assert_eq!(f[0].target, "127.0.0.1:53000 /cue/1/start");
    assert_eq!(
        f[0].request,
        Request::Osc {
            host: "127.0.0.1".into(),
            port: 53000,
            address: "/cue/1/start".into(),
            args: vec![OscValue::Text("Panel".into()), OscValue::Text("Bo".into())]
        }
    );
}

#[test]
fn a_hold_across_the_final_fires_the_final_at_the_resume_only_if_still_there() {
    let mut s = show();
    let mut w = CueWatch::new(&s, &s.at(t("15:05:00")));
    log(&mut s, "15:10:00", start("panel"));
    assert_eq!(seen(&mut w, &s, "15:10:00"), ["start panel"]);
    // 30:00 from 15:10: warn at 15:35.
    assert_eq!(seen(&mut w, &s, "15:35:00"), ["warn panel"]);
    let hold = Kind::Hold {
        session: Some("panel".into()),
        reason: None,
    };
    let resume = Kind::Resume {
        session: Some("panel".into()),
    };
    let adjust = |d: i64| Kind::Adjust {
        session: "panel".into(),
        delta_s: d,
        note: None,
    };
    // Held at 15:37 with 3:00 left; `-` twice: 1:00 left, final level.
    log(&mut s, "15:37:00", hold.clone());
    log(&mut s, "15:37:10", adjust(-60));
    log(&mut s, "15:37:20", adjust(-60));
    assert_eq!(seen(&mut w, &s, "15:37:20"), ["hold panel"]);
    // Resumed at 15:38: still 1:00 left (held 1:00), so the screen shows
    // the final now: it fires at the resume, not 1:00 later at over only.
    log(&mut s, "15:38:00", resume.clone());
    assert_eq!(
        seen(&mut w, &s, "15:38:00"),
        ["resume panel", "final panel"]
    );
    // Over once past 15:39 (28:00 allotted + 1:00 held from 15:10).
    assert_eq!(seen(&mut w, &s, "15:39:00.001"), ["over panel"]);

    // Another hold: `-` then `+` while held leaves it where it was: the
    // resume fires nothing but itself.
    log(&mut s, "15:40:00", hold);
    log(&mut s, "15:40:10", adjust(600));
    log(&mut s, "15:40:20", adjust(-60));
    log(&mut s, "15:41:00", resume);
    // 37:00 allotted, run 29:00 by the hold at 15:40 (2:00 held in all
    // by 15:41): 8:00 left at 15:41, level ok, lower than over: nothing.
    assert_eq!(seen(&mut w, &s, "15:41:00"), ["hold panel", "resume panel"]);
}

#[test]
fn a_body_that_is_only_a_placeholder_is_text_not_json() {
    let extra = r#"
[[cue]]
name = "plain"
on = "message"
http = "http://127.0.0.1:8000/p"
body = "{text}"

[[cue]]
name = "typed"
on = "message"
http = "http://127.0.0.1:8000/j"
body = "{text}"
headers = { "Content-Type" = "application/json" }
"#;
    let a = Agenda::parse(format!("{AGENDA}{extra}").as_bytes(), "a.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut s = Show::new(a, Vec::new());
    let mut w = CueWatch::new(&s, &s.at(t("14:59:00")));
    log(
        &mut s,
        "15:00:00",
        Kind::Message {
            text: r#"say "stop" \ now"#.into(),
        },
    );
    let snap = s.at(t("15:00:00"));
    let bodies: Vec<(String, Option<String>)> = firings(&s.agenda, &snap, &w.observe(&s, &snap))
        .into_iter()
        .map(|f| match f.request {
            Request::Http { body, .. } => (f.name, body),
            Request::Osc { .. } => (f.name, None),
        })
        .collect();
    // The agenda's own JSON body escapes `"` and `\`; `{text}` alone is
    // sent as typed (it opens with a placeholder, not a JSON object);
    // with a json Content-Type it is escaped, as the header says.
    assert_eq!(
        bodies,
        [
            (
                "to the screen".to_string(),
                Some(r#"{"text": "say \"stop\" \\ now"}"#.to_string())
            ),
            ("plain".to_string(), Some(r#"say "stop" \ now"#.to_string())),
            (
                "typed".to_string(),
                Some(r#"say \"stop\" \\ now"#.to_string())
            ),
        ]
    );
}
