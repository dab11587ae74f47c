//! The one key table. Key handling, the key bar and the `?` help overlay all
//! read it, so they cannot disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks the operator screen to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Go,
    GoTo,
    End,
    Cut,
    Plan,
    Overrun,
    Speaker,
    Extend,
    Shorten,
    Message,
    ClearMessage,
    Note,
    ActionPoint,
    Undo,
    Floor,
    FloorClose,
    /// Hold the show, or resume it.
    Hold,
    /// Correct when the live session really started.
    StartFix,
    Rehearse,
    ScrollUp,
    ScrollDown,
    /// The schedule follows the live row again.
    Live,
    Help,
    Quit,
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    /// How the keys are written in help and README.
    pub label: &'static str,
    /// The key bar's entry, `(keys, word)`, in the bar's order of
    /// importance; `None` keeps it out of the bar.
    pub hint: Option<(&'static str, &'static str)>,
    pub cmd: Cmd,
    pub help: &'static str,
}

const fn b(
    keys: &'static [KeyCode],
    label: &'static str,
    hint: Option<(&'static str, &'static str)>,
    cmd: Cmd,
    help: &'static str,
) -> Binding {
    Binding {
        keys,
        label,
        hint,
        cmd,
        help,
    }
}

/// The operator screen's keys, in the order help shows them.
pub const KEYS: &[Binding] = &[
    b(
        &[KeyCode::Char(' '), KeyCode::Enter],
        "Space/Enter",
        Some(("Space", "GO")),
        Cmd::Go,
        "GO: start the NOW session if not started, else the next one",
    ),
    b(
        &[KeyCode::Char('e')],
        "e",
        Some(("e", "end")),
        Cmd::End,
        "end the live session (a gap or break follows)",
    ),
    b(
        &[KeyCode::Char('o')],
        "o",
        Some(("o", "overrun")),
        Cmd::Overrun,
        "log an overrun: pre-filled with the overrun so far; asks why",
    ),
    b(
        &[KeyCode::Char('s')],
        "s",
        Some(("s", "speaker")),
        Cmd::Speaker,
        "speaker change: replace, add or remove",
    ),
    b(
        &[KeyCode::Char('+'), KeyCode::Char('=')],
        "+",
        Some(("+/-", "time")),
        Cmd::Extend,
        "extend the live session by one minute",
    ),
    b(
        &[KeyCode::Char('-'), KeyCode::Char('_')],
        "-",
        None,
        Cmd::Shorten,
        "shorten the live session by one minute",
    ),
    b(
        &[KeyCode::Char('m')],
        "m",
        Some(("m", "msg")),
        Cmd::Message,
        "message to the speaker screen: a preset or free text",
    ),
    b(
        &[KeyCode::Char('M')],
        "M",
        None,
        Cmd::ClearMessage,
        "clear the speaker message",
    ),
    b(
        &[KeyCode::Char('n')],
        "n",
        Some(("n", "note")),
        Cmd::Note,
        "write a note in the journal",
    ),
    b(
        &[KeyCode::Char('a')],
        "a",
        None,
        Cmd::ActionPoint,
        "action point: what was decided, who follows up, by when",
    ),
    b(
        &[KeyCode::Char('t')],
        "t",
        Some(("t", "floor")),
        Cmd::Floor,
        "give the floor: the next speaker's slot starts at once",
    ),
    b(
        &[KeyCode::Char('T')],
        "T",
        None,
        Cmd::FloorClose,
        "close the floor: the running intervention ends",
    ),
    b(
        &[KeyCode::Char('u')],
        "u",
        Some(("u", "undo")),
        Cmd::Undo,
        "undo the last entry (asks first; the journal keeps both)",
    ),
    b(
        &[KeyCode::Char('g')],
        "g",
        Some(("g", "go to")),
        Cmd::GoTo,
        "go to any session: type to filter, Enter starts it",
    ),
    b(
        &[KeyCode::Char('x')],
        "x",
        Some(("x", "cut")),
        Cmd::Cut,
        "cut a session, with a reason: the next one, or pick another",
    ),
    b(
        &[KeyCode::Char('p')],
        "p",
        None,
        Cmd::Plan,
        "past the hard end: apply the plan to meet it (asks first)",
    ),
    b(
        &[KeyCode::Char('h')],
        "h",
        None,
        Cmd::Hold,
        "hold (reason optional): the live clock stops; h resumes",
    ),
    b(
        &[KeyCode::Char('S')],
        "S",
        None,
        Cmd::StartFix,
        "correct when the live session really started",
    ),
    b(
        &[KeyCode::Char('R')],
        "R",
        None,
        Cmd::Rehearse,
        "rehearse: the agenda moved to start now, in its own journal",
    ),
    b(
        &[KeyCode::Up, KeyCode::Char('k')],
        "↑/k",
        Some(("↑↓", "scroll")),
        Cmd::ScrollUp,
        "scroll the schedule up",
    ),
    b(
        &[KeyCode::Down, KeyCode::Char('j')],
        "↓/j",
        None,
        Cmd::ScrollDown,
        "scroll the schedule down",
    ),
    b(
        &[KeyCode::Char('l'), KeyCode::Home],
        "l/Home",
        Some(("l", "live")),
        Cmd::Live,
        "back to the live row: the schedule follows the show again",
    ),
    b(
        &[KeyCode::Char('?'), KeyCode::F(1)],
        "?",
        Some(("?", "help")),
        Cmd::Help,
        "show or hide this help",
    ),
    b(
        &[KeyCode::Char('q')],
        "q",
        Some(("q", "quit")),
        Cmd::Quit,
        "quit (asks to confirm while a session is live)",
    ),
];

impl Cmd {
    /// Whether the command writes to the journal (so a read-only screen
    /// neither offers nor takes it). `R` opens a rehearsal of its own.
    pub fn writes(self) -> bool {
        !matches!(
            self,
            Cmd::Help | Cmd::Quit | Cmd::ScrollUp | Cmd::ScrollDown | Cmd::Live | Cmd::Rehearse
        )
    }
}

/// The command bound to a key press, if any. Ctrl-C quits like `q`.
pub fn lookup(key: KeyEvent) -> Option<Cmd> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == KeyCode::Char('c')).then_some(Cmd::Quit);
    }
    KEYS.iter()
        .find(|b| b.keys.contains(&key.code))
        .map(|b| b.cmd)
}

/// The binding for a command (for hints inside forms and banners).
pub fn binding(cmd: Cmd) -> &'static Binding {
    KEYS.iter()
        .find(|b| b.cmd == cmd)
        .expect("every command has a binding")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = Vec::new();
        for b in KEYS {
            for k in b.keys {
                assert!(!seen.contains(k), "{k:?} bound twice");
                seen.push(*k);
            }
        }
    }

    #[test]
    fn readme_documents_every_key() {
        let readme = include_str!("../../README.md");
        for b in KEYS {
            let row = format!("| `{}` | {} |", b.label, b.help);
            assert!(readme.contains(&row), "README's key table lacks {row}");
        }
    }

    #[test]
    fn keys_map_to_commands() {
        let k = |c| KeyEvent::new(c, KeyModifiers::NONE);
        assert_eq!(lookup(k(KeyCode::Char(' '))), Some(Cmd::Go));
        assert_eq!(lookup(k(KeyCode::Enter)), Some(Cmd::Go));
        assert_eq!(lookup(k(KeyCode::Char('M'))), Some(Cmd::ClearMessage));
        assert_eq!(lookup(k(KeyCode::Char('x'))), Some(Cmd::Cut));
        assert_eq!(lookup(k(KeyCode::Char('z'))), None);
        assert_eq!(
            lookup(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Cmd::Quit)
        );
    }
}
