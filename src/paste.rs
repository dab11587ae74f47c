//! What a burst of terminal input means: keys, or a paste.
//!
//! README promises that a paste never runs keys. With bracketed paste the
//! terminal marks a paste and crossterm hands it over as one text; but a
//! terminal without it sends the pasted bytes as keys, and a paste that
//! itself holds the end marker `ESC[201~` ends early, its tail arriving as
//! keys. No one types several keys within a few milliseconds, so the loop
//! takes input in bursts (`wake::Inbox::settle`) and [`Bursts::take`]
//! turns a burst of [`FLOOD_KEYS`] keys or more, or keys that arrive with a
//! paste or just after one, into one `Event::Paste`. Only keys a human
//! typed one at a time run commands.
//!
//! crossterm holds back the events of a read that filled its buffer until
//! more input comes, so the last piece of a long unbracketed paste can
//! arrive with the next key pressed: that key then joins the paste and is
//! refused with the paste's word (press it again). A key is never run by a
//! paste; at worst one is not run.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};

use crate::wake::Wake;

/// Keys in one burst from this many on are a paste, not typing.
pub const FLOOD_KEYS: usize = 3;

/// A gap in input shorter than this continues the burst.
pub const QUIET: Duration = Duration::from_millis(4);

/// Keys this soon after a paste are still part of it (a paste split across
/// reads, or across network packets over SSH).
pub const TAIL: Duration = Duration::from_millis(60);

/// The paste markers, as text: dropped from pasted text wherever they are.
const MARKERS: [&str; 2] = ["\x1b[200~", "\x1b[201~"];

/// Remembers when the last paste ended, so its tail is recognised.
#[derive(Debug, Default)]
pub struct Bursts {
    pasted_at: Option<Instant>,
}

impl Bursts {
    /// The burst as the view should see it, at real instant `now`: every key
    /// press of a paste joined (in order, with any bracketed paste's text)
    /// into one `Event::Paste` where the first of them was; other events
    /// (resize, file changes) kept as they are.
    pub fn take(&mut self, burst: Vec<Wake>, now: Instant) -> Vec<Wake> {
        let keys = burst.iter().filter(|w| is_key_press(w)).count();
        let bracketed = burst
            .iter()
            .any(|w| matches!(w, Wake::Input(Event::Paste(_))));
        let tail = self.pasted_at.is_some_and(|t| now - t <= TAIL);
        if !(bracketed || keys >= FLOOD_KEYS || (tail && keys > 0)) {
            return burst;
        }
        self.pasted_at = Some(now);
        let mut out = Vec::with_capacity(burst.len() - keys.min(burst.len()));
        let mut text: Option<(usize, String)> = None;
        for w in burst {
            let piece = match &w {
                Wake::Input(Event::Paste(p)) => Some(p.clone()),
                Wake::Input(Event::Key(k)) if k.kind != KeyEventKind::Release => {
                    Some(match k.code {
                        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => {
                            c.to_string()
                        }
                        KeyCode::Enter => "\n".into(),
                        KeyCode::Tab => "\t".into(),
                        _ => String::new(),
                    })
                }
                Wake::Input(Event::Key(_)) => Some(String::new()),
                _ => None,
            };
            match piece {
                Some(p) => match &mut text {
                    Some((_, t)) => t.push_str(&p),
                    None => {
                        text = Some((out.len(), p));
                        out.push(Wake::Input(Event::Paste(String::new())));
                    }
                },
                None => out.push(w),
            }
        }
        if let Some((i, t)) = text {
            out[i] = Wake::Input(Event::Paste(unmark(&t)));
        }
        out
    }
}

fn is_key_press(w: &Wake) -> bool {
    matches!(w, Wake::Input(Event::Key(k)) if k.kind != KeyEventKind::Release)
}

/// `text` without the paste markers (a terminal that does not filter them
/// lets a pasted end marker through).
pub fn unmark(text: &str) -> String {
    let mut t = text.to_owned();
    for m in MARKERS {
        if t.contains(m) {
            t = t.replace(m, "");
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn key(c: KeyCode) -> Wake {
        Wake::Input(Event::Key(KeyEvent::new(c, KeyModifiers::NONE)))
    }

    fn typed(s: &str) -> Vec<Wake> {
        s.chars()
            .map(|c| match c {
                '\r' => key(KeyCode::Enter),
                c => key(KeyCode::Char(c)),
            })
            .collect()
    }

    fn pastes(out: &[Wake]) -> Vec<String> {
        out.iter()
            .filter_map(|w| match w {
                Wake::Input(Event::Paste(p)) => Some(p.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_key_or_two_typed_stay_keys() {
        let mut b = Bursts::default();
        let now = Instant::now();
        assert_eq!(b.take(typed(" "), now).len(), 1);
        let two = b.take(typed("e "), now + Duration::from_secs(1));
        assert_eq!(two.len(), 2);
        assert!(pastes(&two).is_empty());
    }

    #[test]
    fn a_flood_of_keys_is_one_paste() {
        let mut b = Bursts::default();
        // An unbracketed paste: " e s\r" would start, end, open a form…
        let out = b.take(typed(" e s\rnote"), Instant::now());
        assert_eq!(pastes(&out), [" e s\nnote"]);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn keys_after_a_paste_that_ended_early_join_it() {
        let mut b = Bursts::default();
        let now = Instant::now();
        // `ESC[201~` inside the paste ended it; a space followed as a key.
        let mut burst = vec![Wake::Input(Event::Paste("Mic check".into()))];
        burst.extend(typed(" "));
        assert_eq!(pastes(&b.take(burst, now)), ["Mic check "]);
        // A tail in the next read, 10 ms later, is still the paste.
        let tail = b.take(typed(" "), now + Duration::from_millis(10));
        assert_eq!(pastes(&tail), [" "]);
        // A key a second later is typed.
        let later = b.take(typed(" "), now + Duration::from_secs(1));
        assert!(pastes(&later).is_empty());
    }

    #[test]
    fn other_events_keep_their_place() {
        let mut b = Bursts::default();
        let mut burst = vec![Wake::File("j".into())];
        burst.extend(typed("abc"));
        burst.push(Wake::Input(Event::Resize(80, 24)));
        let out = b.take(burst, Instant::now());
        assert!(matches!(out[0], Wake::File(_)));
        assert_eq!(pastes(&out[1..2]), ["abc"]);
        assert!(matches!(out[2], Wake::Input(Event::Resize(80, 24))));
    }

    #[test]
    fn the_markers_are_dropped_from_pasted_text() {
        assert_eq!(unmark("a\x1b[201~ b\x1b[200~c"), "a bc");
    }
}
