//! Text from other programs made fit for an agenda: HTML entities decoded,
//! markup stripped, whitespace tidied, and control and bidi characters
//! replaced by the project's one rule ([`crate::text::sanitize`]). Long
//! titles are kept whole.

use crate::text::is_unsafe_char;

/// Decodes entities (`&amp;`, `&#x3D;`, `&eacute;`) and strips tags
/// (`<p>`, `<br/>`), turning block tags into line breaks.
fn decode(s: &str) -> String {
    let stripped = strip_tags(s);
    htmlize::unescape(stripped.as_str()).into_owned()
}

/// Removes `<tag …>` and `</tag>`; a `<` not followed by a letter, `/` or
/// `!` is text (`a < b`) and stays.
fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let is_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match after.find('>') {
            Some(j) if is_tag => {
                let tag = after[..j].trim_start_matches('/').to_ascii_lowercase();
                let name: String = tag
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if matches!(
                    name.as_str(),
                    "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4"
                ) {
                    out.push('\n');
                }
                rest = &after[j + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One line of text (a title, a speaker, a room): entities decoded, markup
/// stripped, runs of whitespace (newlines included) made one space,
/// unsafe characters replaced with U+FFFD.
pub fn line(s: &str) -> String {
    let decoded = decode(s);
    let mut out = String::with_capacity(decoded.len());
    for word in decoded
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    crate::text::sanitize(&out).into_owned()
}

/// Notes: like [`line`], but line breaks are kept (at most one blank line
/// in a row) and tabs become spaces.
pub fn notes(s: &str) -> String {
    let decoded = decode(&s.replace("\r\n", "\n"));
    let mut lines: Vec<String> = Vec::new();
    for raw in decoded.split(['\n', '\r']) {
        let l = line(raw);
        if l.is_empty() && lines.last().is_none_or(|p| p.is_empty()) {
            continue;
        }
        lines.push(l);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let joined = lines.join("\n");
    debug_assert!(!joined.chars().any(|c| c != '\n' && is_unsafe_char(c)));
    joined
}

/// An id as the agenda allows it: lowercase ASCII letters, digits, `-` and
/// `_`; anything else becomes `-`, runs collapse, at most `max` characters.
/// `Opening Ceremony!` → `opening-ceremony`. Empty when nothing is left.
pub fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.replace('ß', "ss").chars() {
        let c = c.to_lowercase().next().unwrap_or(c);
        let c = match c {
            'a'..='z' | '0'..='9' | '_' => c,
            'à'..='å' => 'a',
            'è'..='ë' => 'e',
            'ì'..='ï' => 'i',
            'ò'..='ö' => 'o',
            'ù'..='ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'ß' => 's',
            _ => '-',
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
        if out.len() > max {
            // Cut at a word's end when there is one.
            let cut = out[..max]
                .rfind('-')
                .filter(|i| *i > max / 2)
                .unwrap_or(max);
            out.truncate(cut);
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_markup_and_controls() {
        assert_eq!(line("Fish &amp; Chips"), "Fish & Chips");
        assert_eq!(line("aff&#x3D;schedule"), "aff=schedule");
        assert_eq!(line("caf&eacute;"), "café");
        assert_eq!(line("<p>Hello <b>world</b></p>"), "Hello world");
        assert_eq!(line("a < b"), "a < b");
        assert_eq!(line("  two\n lines\t"), "two lines");
        assert_eq!(line("evil\u{1b}[2J\u{202e}x"), "evil\u{FFFD}[2J\u{FFFD}x");
        // An escaped escape is still an escape once decoded.
        assert_eq!(line("a&#x1b;b"), "a\u{FFFD}b");
        let long = "word ".repeat(100);
        assert_eq!(line(&long).len(), 499, "kept whole");
    }

    #[test]
    fn notes_keep_lines() {
        assert_eq!(notes("one\r\n\r\n\r\ntwo\n"), "one\n\ntwo");
        assert_eq!(notes("<p>a</p><p>b</p>"), "a\n\nb");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Opening Ceremony!", 40), "opening-ceremony");
        assert_eq!(slug("a0a0fcfe-B7FB", 40), "a0a0fcfe-b7fb");
        assert_eq!(slug("Café Über", 40), "cafe-uber");
        assert_eq!(slug("!!!", 40), "");
        assert_eq!(slug("abcdef", 3), "abc");
        assert_eq!(
            slug("curious minds converging interests", 32),
            "curious-minds-converging"
        );
    }
}
