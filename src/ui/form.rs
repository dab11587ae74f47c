//! Small forms for the actions that need words: overrun reason, speaker
//! change, message, note, the floor. A form edits plain fields; it turns into
//! a `show::Action` only when submitted, and shows what will be written.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use chrono::{DateTime, Utc};
use showcall_core::journal::SpeakerChange;
use showcall_core::show::Action;
use showcall_core::text::is_unsafe_char;

use super::theme::Theme;

/// The longest text a field accepts.
const MAX_TEXT: usize = 300;

/// Message presets for the speaker screen.
pub const PRESETS: &[&str] = &["WRAP UP", "5 MIN", "1 MIN", "STOP"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Overrun,
    Speaker,
    Message,
    Note,
    /// An action point: what, who, by when (`a`).
    ActionPoint,
    Floor,
    /// Why a session is cut (`x`).
    Cut,
    /// When the live session really started (`S`).
    StartFix,
    /// Why the show is held (`h`); the reason is optional.
    Hold,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Text(String),
    Choice {
        options: Vec<String>,
        selected: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub input: Input,
}

impl Field {
    fn text(label: &'static str, value: impl Into<String>) -> Field {
        Field {
            label,
            input: Input::Text(value.into()),
        }
    }

    fn choice(label: &'static str, options: Vec<String>) -> Field {
        Field {
            label,
            input: Input::Choice {
                options,
                selected: 0,
            },
        }
    }

    pub fn value(&self) -> &str {
        match &self.input {
            Input::Text(s) => s,
            Input::Choice { options, selected } => options.get(*selected).map_or("", |s| s),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub purpose: Purpose,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The session the form is about, when it is chosen before (cut).
    pub session: Option<usize>,
    /// For the floor's name form: the seq of the `floor` entry it names.
    pub floor: Option<u64>,
    /// For the start fix: the start the journal has, and the event's zone
    /// a clock time is read in.
    pub fix: Option<(DateTime<Utc>, chrono_tz::Tz)>,
}

pub enum Outcome {
    Continue,
    Cancel,
    Submit,
}

impl Form {
    /// An overrun of `title` (the live session, or the one just ended),
    /// pre-filled with `over_s`.
    pub fn overrun(over_s: i64, title: &str) -> Form {
        Form {
            purpose: Purpose::Overrun,
            title: format!(
                "Log an overrun of '{}'",
                showcall_core::text::sanitize(title)
            ),
            fields: vec![
                Field::text("over (m:ss)", showcall_core::text::hms(over_s)),
                Field::text("reason", ""),
            ],
            focus: 1,
            session: None,
            floor: None,
            fix: None,
        }
    }

    pub fn speaker(current: &[String]) -> Form {
        let changes = ["replace", "add", "remove"].map(String::from).to_vec();
        Form {
            purpose: Purpose::Speaker,
            title: "Speaker change".into(),
            fields: vec![
                Field::choice("change", changes),
                Field::choice("speaker", current.to_vec()),
                Field::text("new name", ""),
                Field::text("note", ""),
            ],
            focus: 0,
            session: None,
            floor: None,
            fix: None,
        }
    }

    pub fn message() -> Form {
        let presets: Vec<String> = PRESETS.iter().map(|s| s.to_string()).collect();
        Form {
            purpose: Purpose::Message,
            title: "Message to the speaker screen".into(),
            fields: vec![Field::choice("preset", presets), Field::text("or text", "")],
            focus: 0,
            session: None,
            floor: None,
            fix: None,
        }
    }

    pub fn note() -> Form {
        Form {
            purpose: Purpose::Note,
            title: "Note".into(),
            fields: vec![Field::text("note", "")],
            focus: 0,
            session: None,
            floor: None,
            fix: None,
        }
    }

    /// Why the show is held: one optional field, so `h` then `Enter` holds
    /// at once, and a reason ("stream down") goes into the `hold` entry.
    pub fn hold() -> Form {
        Form {
            purpose: Purpose::Hold,
            title: "Hold: the live clock stops (h resumes)".into(),
            fields: vec![Field::text("reason (optional)", "")],
            focus: 0,
            session: None,
            floor: None,
            fix: None,
        }
    }

    /// An action point decided in the room: what (required), who follows
    /// up and by when (both optional, free text).
    pub fn action_point() -> Form {
        Form {
            purpose: Purpose::ActionPoint,
            title: "Action point".into(),
            fields: vec![
                Field::text("what", ""),
                Field::text("who", ""),
                Field::text("by when", ""),
            ],
            focus: 0,
            session: None,
            floor: None,
            fix: None,
        }
    }

    /// The name of the speaker who has just been given the floor: the
    /// intervention (`floor` entry `seq`, number `number` in its session)
    /// is already on the clock while the name is typed.
    pub fn floor(number: usize, seq: u64) -> Form {
        Form {
            purpose: Purpose::Floor,
            title: format!(
                "Floor given: {} is on the clock",
                showcall_core::status::floor_speaker(None, number)
            ),
            fields: vec![Field::text("name (optional)", "")],
            focus: 0,
            session: None,
            floor: Some(seq),
            fix: None,
        }
    }

    /// Why session `idx` (titled `title`) is cut.
    pub fn cut(idx: usize, title: &str) -> Form {
        Form {
            purpose: Purpose::Cut,
            title: format!("Cut '{}'", showcall_core::text::sanitize(title)),
            fields: vec![Field::text("reason", "")],
            focus: 0,
            session: Some(idx),
            floor: None,
            fix: None,
        }
    }

    /// When the live session `title` really started: it is counted from
    /// `recorded`; a clock time (`10:00`, `10:00:15`) in `tz` on that day,
    /// or a shift (`-1:30` earlier, `+0:20` later).
    pub fn start_fix(title: &str, recorded: DateTime<Utc>, tz: chrono_tz::Tz) -> Form {
        Form {
            purpose: Purpose::StartFix,
            title: format!(
                "Start of '{}', now {}",
                showcall_core::text::sanitize(title),
                showcall_core::text::clock_hms(recorded, tz)
            ),
            fields: vec![Field::text("hh:mm or -m:ss", ""), Field::text("note", "")],
            focus: 0,
            session: None,
            floor: None,
            fix: Some((recorded, tz)),
        }
    }

    /// Which fields apply now (the speaker form hides what its change
    /// does not use).
    pub fn visible(&self, i: usize) -> bool {
        if self.purpose != Purpose::Speaker {
            return true;
        }
        !matches!((self.fields[0].value(), i), ("add", 1) | ("remove", 2))
    }

    fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        for step in 1..=n {
            let i = if forward {
                (self.focus + step) % n
            } else {
                (self.focus + n - step) % n
            };
            if self.visible(i) {
                self.focus = i;
                return;
            }
        }
    }

    /// Pasted text goes into the focused text field as text: line breaks
    /// and tabs become spaces, control characters are dropped, and the
    /// field's length limit holds. Never a command, whatever it holds.
    /// Returns the characters that did not fit (0 when all did).
    pub fn paste(&mut self, text: &str) -> usize {
        match &mut self.fields[self.focus].input {
            Input::Text(s) => push_pasted(s, text, MAX_TEXT),
            _ => 0,
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Outcome {
        match key.code {
            KeyCode::Esc => return Outcome::Cancel,
            KeyCode::Enter => return Outcome::Submit,
            KeyCode::Tab | KeyCode::Down => self.move_focus(true),
            KeyCode::BackTab | KeyCode::Up => self.move_focus(false),
            _ => {}
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match &mut self.fields[self.focus].input {
            Input::Text(s) => match key.code {
                KeyCode::Backspace => {
                    s.pop();
                }
                KeyCode::Char('u') if ctrl => s.clear(),
                KeyCode::Char(c) if !ctrl && !is_unsafe_char(c) && s.chars().count() < MAX_TEXT => {
                    s.push(c)
                }
                _ => {}
            },
            Input::Choice { options, selected } => {
                let n = options.len().max(1);
                match key.code {
                    KeyCode::Right | KeyCode::Char(' ') => *selected = (*selected + 1) % n,
                    KeyCode::Left => *selected = (*selected + n - 1) % n,
                    KeyCode::Char(c @ '1'..='9') => {
                        let i = c as usize - '1' as usize;
                        if i < options.len() {
                            *selected = i;
                        }
                    }
                    _ => {}
                }
            }
        }
        Outcome::Continue
    }

    /// The action this form asks for, or what is missing.
    pub fn action(&self) -> Result<Action, String> {
        let v = |i: usize| self.fields[i].value().trim().to_string();
        let opt = |s: String| (!s.is_empty()).then_some(s);
        match self.purpose {
            Purpose::Overrun => {
                let over_s = parse_mss(&v(0))
                    .ok_or_else(|| format!("'{}' is not m:ss (e.g. 2:30) or seconds", v(0)))?;
                let note = v(1);
                if note.is_empty() {
                    return Err("say why it ran over".into());
                }
                Ok(Action::Overrun { over_s, note })
            }
            Purpose::Speaker => {
                let (change, from, to) = match v(0).as_str() {
                    "replace" => (SpeakerChange::Replace, opt(v(1)), opt(v(2))),
                    "add" => (SpeakerChange::Add, None, opt(v(2))),
                    _ => (SpeakerChange::Remove, opt(v(1)), None),
                };
                if change != SpeakerChange::Remove && to.is_none() {
                    return Err("type the new speaker's name".into());
                }
                if change != SpeakerChange::Add && from.is_none() {
                    return Err("this session has no speaker to pick".into());
                }
                Ok(Action::ChangeSpeaker {
                    change,
                    from,
                    to,
                    note: opt(v(3)),
                })
            }
            Purpose::Message => {
                let text = v(1);
                if !text.is_empty() {
                    return Ok(Action::Message(text));
                }
                Ok(Action::Message(v(0)))
            }
            Purpose::Note => {
                let t = v(0);
                if t.is_empty() {
                    Err("type the note".into())
                } else {
                    Ok(Action::Note(t))
                }
            }
            Purpose::Hold => Ok(Action::Hold(opt(v(0)))),
            Purpose::ActionPoint => {
                let text = v(0);
                if text.is_empty() {
                    return Err("type what was decided".into());
                }
                Ok(Action::ActionPoint {
                    text,
                    who: opt(v(1)),
                    by: opt(v(2)),
                })
            }
            Purpose::Floor => {
                let speaker = v(0);
                if speaker.is_empty() {
                    return Err("type the name, or Esc to leave it unnamed".into());
                }
                let floor = self.floor.ok_or("no intervention to name")?;
                Ok(Action::NameFloor { floor, speaker })
            }
            Purpose::StartFix => {
                let (recorded, tz) = self.fix.ok_or("no session to correct")?;
                let start = fixed_start(&v(0), recorded, tz).ok_or_else(|| {
                    format!(
                        "'{}' is not a time like 10:00 or 10:00:15, nor a shift like -1:30",
                        v(0)
                    )
                })?;
                Ok(Action::FixStart {
                    start: start.with_timezone(&tz).fixed_offset(),
                    note: opt(v(1)),
                })
            }
            Purpose::Cut => {
                let note = v(0);
                if note.is_empty() {
                    return Err("say why it is cut".into());
                }
                let idx = self.session.ok_or("no session chosen")?;
                Ok(Action::Cut { idx, note })
            }
        }
    }

    /// Draws the form as a box over `area`. `preview` says what will be
    /// written, or why it cannot be yet.
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: Theme,
        preview: &Result<String, String>,
    ) {
        let width = area.width.clamp(20, 72);
        let height = (self.fields.len() as u16 + 6).min(area.height);
        let rect = super::centered(area, width, height);
        Clear.render(rect, buf);
        // "Tab next" only where there is a next field to go to.
        let several = (0..self.fields.len()).filter(|&i| self.visible(i)).count() > 1;
        let mut hints = vec![Span::styled(" Enter", theme.key()), Span::raw(" save  ")];
        if several {
            hints.extend([Span::styled("Tab", theme.key()), Span::raw(" next  ")]);
        }
        hints.extend([Span::styled("Esc", theme.key()), Span::raw(" cancel ")]);
        let block = Block::bordered()
            .title(Span::styled(format!(" {} ", self.title), theme.title()))
            .title_bottom(Line::from(hints))
            .border_style(theme.key());
        // Room for a value beside its label (marker 2 + label 18), inside
        // the border: a long value shows its end, where the typing is.
        let room = (width as usize).saturating_sub(2 + 20 + 1);
        let mut lines = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            if !self.visible(i) {
                continue;
            }
            let focused = i == self.focus;
            let marker = if focused { "▶ " } else { "  " };
            let value = match &f.input {
                Input::Text(s) => {
                    let s = showcall_core::text::sanitize(s);
                    if focused {
                        format!("{}▏", showcall_core::text::truncate_start(&s, room))
                    } else {
                        showcall_core::text::truncate(&s, room + 1).into_owned()
                    }
                }
                Input::Choice { options, selected } => options
                    .iter()
                    .enumerate()
                    .map(|(j, o)| {
                        if j == *selected {
                            format!("[{}:{o}]", j + 1)
                        } else {
                            format!(" {}:{o} ", j + 1)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(""),
            };
            let label_style = if focused { theme.key() } else { theme.dim() };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{marker}{}", showcall_core::text::pad(f.label, 18)),
                    label_style,
                ),
                Span::raw(showcall_core::text::sanitize(&value).into_owned()),
            ]));
        }
        lines.push(Line::raw(""));
        lines.push(preview_line(preview, theme));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(rect, buf);
    }
}

/// `2:30` → 150, `90` → 90, `1:02:03` → 3723.
/// The start a start fix means: a clock time on `recorded`'s day in `tz`,
/// or `recorded` shifted by `-m:ss` / `+m:ss`.
fn fixed_start(s: &str, recorded: DateTime<Utc>, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    use chrono::TimeZone;
    if let Some(rest) = s.strip_prefix('-') {
        return Some(recorded - chrono::TimeDelta::seconds(parse_mss(rest)?));
    }
    if let Some(rest) = s.strip_prefix('+') {
        return Some(recorded + chrono::TimeDelta::seconds(parse_mss(rest)?));
    }
    let time = chrono::NaiveTime::parse_from_str(s, "%H:%M:%S")
        .or_else(|_| chrono::NaiveTime::parse_from_str(s, "%H:%M"))
        .ok()?;
    let day = recorded.with_timezone(&tz).date_naive();
    tz.from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

pub fn parse_mss(s: &str) -> Option<i64> {
    let mut total: i64 = 0;
    for part in s.split(':') {
        let n: i64 = part.trim().parse().ok()?;
        if n < 0 {
            return None;
        }
        total = total.checked_mul(60)?.checked_add(n)?;
    }
    Some(total)
}

/// What an action would write (`will write: …`), or why it cannot be
/// taken: the last line of a form or of the picker.
pub fn preview_line(preview: &Result<String, String>, theme: Theme) -> Line<'static> {
    match preview {
        Ok(p) => Line::from(vec![
            Span::styled("will write: ", theme.dim()),
            Span::raw(p.clone()),
        ]),
        Err(e) => Line::from(Span::styled(e.clone(), theme.dim())),
    }
}

/// Appends pasted `text` to a typed field of at most `max` characters, as
/// typing would: line breaks and tabs become spaces, control and bidi
/// characters are dropped, and so are the paste markers (`ESC[200~`,
/// `ESC[201~`). Forms and the picker's filter share it. Returns how many
/// characters did not fit, so the screen can say the paste was cut; the
/// rest of a long text is counted, not copied (bounded work per character).
pub fn push_pasted(field: &mut String, text: &str, max: usize) -> usize {
    let text = crate::paste::unmark(text);
    let mut n = field.chars().count();
    let mut left_out = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // A line end is one space, however it is written: CRLF from a
        // Windows clipboard arrives as CR CR from a terminal that turns
        // LF into CR (tmux, VTE), and a blank line is no second space.
        if matches!(c, '\r' | '\n') && matches!(chars.peek(), Some('\r' | '\n')) {
            continue;
        }
        let c = if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        };
        if is_unsafe_char(c) {
            continue;
        }
        if n >= max {
            left_out += 1;
        } else {
            field.push(c);
            n += 1;
        }
    }
    left_out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every preset the message form offers reads in every speaker-screen
    /// language: nothing English is left on a French or Spanish screen.
    #[test]
    fn every_preset_in_every_language() {
        use showcall_core::present::words::{Lang, words};
        for lang in Lang::ALL {
            for p in PRESETS {
                assert!(words(lang).preset(p).is_some(), "{p} in {lang:?}");
            }
        }
        let said = |lang, p| words(lang).preset(p).unwrap();
        assert_eq!(said(Lang::Fr, "WRAP UP"), "CONCLUEZ");
        assert_eq!(said(Lang::Es, "WRAP UP"), "CONCLUYA");
        assert_eq!(said(Lang::Fr, "STOP"), "ARRÊTEZ");
        assert_eq!(said(Lang::Es, "STOP"), "PARE");
        assert_eq!(said(Lang::En, "5 MIN"), "5 MIN");
        // Free text is not a preset.
        assert_eq!(words(Lang::Fr).preset("STOP NOW"), None);
    }

    #[test]
    fn a_pasted_crlf_is_one_space() {
        let mut s = String::new();
        push_pasted(&mut s, "Send the slides\r\nto all\rpanellists\n", 100);
        assert_eq!(s, "Send the slides to all panellists ");
        let mut s = String::new();
        push_pasted(&mut s, "one\r\rtwo\n\nthree\r\n\r\nfour", 100);
        assert_eq!(s, "one two three four");
    }

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    fn type_text(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.on_key(key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn action_point_form_needs_what_and_keeps_who_and_by_optional() {
        let mut f = Form::action_point();
        assert_eq!(f.action(), Err("type what was decided".into()));
        type_text(&mut f, "Send the slides");
        // Who and by left empty: absent, not "".
        assert_eq!(
            f.action(),
            Ok(Action::ActionPoint {
                text: "Send the slides".into(),
                who: None,
                by: None
            })
        );
        f.on_key(key(KeyCode::Tab));
        type_text(&mut f, "Ana");
        f.on_key(key(KeyCode::Tab));
        type_text(&mut f, " Friday ");
        assert_eq!(
            f.action(),
            Ok(Action::ActionPoint {
                text: "Send the slides".into(),
                who: Some("Ana".into()),
                by: Some("Friday".into())
            })
        );
    }

    #[test]
    fn overrun_form_is_prefilled_and_needs_a_reason() {
        let mut f = Form::overrun(80, "Welcome Remarks");
        assert_eq!(f.fields[0].value(), "1:20");
        assert!(f.action().is_err());
        type_text(&mut f, "long answer");
        assert_eq!(
            f.action(),
            Ok(Action::Overrun {
                over_s: 80,
                note: "long answer".into()
            })
        );
    }

    #[test]
    fn speaker_form_replaces_the_picked_speaker() {
        let mut f = Form::speaker(&["Moderator".into(), "Panellist".into()]);
        f.on_key(key(KeyCode::Tab)); // speaker
        f.on_key(key(KeyCode::Char('2')));
        f.on_key(key(KeyCode::Tab)); // new name
        type_text(&mut f, "Deputy");
        assert_eq!(
            f.action(),
            Ok(Action::ChangeSpeaker {
                change: SpeakerChange::Replace,
                from: Some("Panellist".into()),
                to: Some("Deputy".into()),
                note: None
            })
        );
        // "add" hides the speaker pick.
        let mut f = Form::speaker(&["Moderator".into()]);
        f.on_key(key(KeyCode::Right));
        assert!(!f.visible(1));
        f.on_key(key(KeyCode::Tab));
        assert_eq!(f.focus, 2);
    }

    #[test]
    fn message_presets_and_free_text() {
        let mut f = Form::message();
        f.on_key(key(KeyCode::Char('4')));
        assert_eq!(f.action(), Ok(Action::Message("STOP".into())));
        f.on_key(key(KeyCode::Tab));
        type_text(&mut f, "Mic off");
        assert_eq!(f.action(), Ok(Action::Message("Mic off".into())));
    }

    #[test]
    fn control_characters_cannot_be_typed() {
        let mut f = Form::note();
        type_text(&mut f, "a\u{1b}[31mb");
        assert_eq!(f.fields[0].value(), "a[31mb");
    }

    #[test]
    fn parses_minutes_and_seconds() {
        assert_eq!(parse_mss("2:30"), Some(150));
        assert_eq!(parse_mss("90"), Some(90));
        assert_eq!(parse_mss("1:02:03"), Some(3723));
        assert_eq!(parse_mss("x"), None);
        assert_eq!(parse_mss("-1"), None);
    }
}
