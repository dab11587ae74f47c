//! The one agenda writer: a [`Plan`] as agenda.toml, with a header comment
//! saying where it came from and what the import decided. Strings go
//! through `toml` so any text is quoted correctly.

use chrono::{DateTime, NaiveDate, Timelike, Utc};

use super::Format;
use super::plan::Plan;
use crate::text::{human_duration, sanitize};

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn wall(t: DateTime<Utc>, tz: chrono_tz::Tz) -> (NaiveDate, String) {
    let l = t.with_timezone(&tz);
    let time = if l.second() == 0 {
        l.format("%H:%M")
    } else {
        l.format("%H:%M:%S")
    };
    (l.date_naive(), time.to_string())
}

/// Wraps a comment to about 78 columns, each line starting `# `.
fn comment(out: &mut String, text: &str) {
    let text = sanitize(text);
    let mut line = String::from("#");
    for word in text.split(' ') {
        if line.len() > 2 && line.len() + word.len() > 77 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
}

/// The agenda, TOML text.
pub fn write(plan: &Plan, file: &str, format: Format) -> String {
    let mut out = String::new();
    let name = std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
    comment(
        &mut out,
        &format!(
            "Imported by `showcall import` from {name} ({}).",
            format.describe()
        ),
    );
    for c in &plan.chosen {
        comment(&mut out, &format!("- {c}"));
    }
    for n in &plan.notes {
        comment(&mut out, &format!("- {n}"));
    }
    comment(
        &mut out,
        &format!(
            "{} sessions. Check it with `showcall check`; the format is in docs/agenda.md.",
            plan.sessions.len()
        ),
    );
    out.push('\n');
    let first = plan.sessions.first().map(|s| wall(s.start, plan.tz).0);
    out.push_str("[event]\n");
    out.push_str(&format!("title = {}\n", q(&plan.title)));
    if let Some(d) = first {
        out.push_str(&format!("date = \"{d}\"\n"));
    }
    out.push_str(&format!("timezone = {}\n", q(plan.tz.name())));
    let mut day = first;
    for s in &plan.sessions {
        let (date, start) = wall(s.start, plan.tz);
        out.push_str("\n[[session]]\n");
        out.push_str(&format!("id = {}\n", q(&s.id)));
        out.push_str(&format!("title = {}\n", q(&s.title)));
        if Some(date) != day {
            out.push_str(&format!("date = \"{date}\"\n"));
            day = Some(date);
        }
        out.push_str(&format!("start = \"{start}\"\n"));
        if let Some(e) = s.end {
            out.push_str(&format!("duration = \"{}\"\n", human_duration(e - s.start)));
        }
        for (key, people) in [("speakers", &s.speakers), ("moderators", &s.moderators)] {
            if !people.is_empty() {
                let list: Vec<String> = people.iter().map(|p| q(p)).collect();
                out.push_str(&format!("{key} = [{}]\n", list.join(", ")));
            }
        }
        if let Some(n) = &s.notes {
            out.push_str(&format!("notes = {}\n", q(n)));
        }
    }
    out
}
