//! Stable ids: the source's own when unique in the whole source, else a
//! slug of date, start and title, which stays the same when the row does.

use std::collections::HashMap;

use chrono_tz::Tz;

use super::super::clean::slug;
use super::super::model::Item;
use super::resolve::Resolved;
use super::{Planned, plural};

/// Ids from the source are cut to this length; a journal line names them.
const MAX_ID: usize = 48;

/// The source's ids as slugs, counted over the whole source: whether an id
/// is shared must not depend on the room or day chosen, or re-importing
/// would rename.
pub(super) struct SourceIds {
    pub(super) slugs: Vec<Option<String>>,
    counts: HashMap<String, usize>,
    /// Items whose id another item has too.
    shared: usize,
}

impl SourceIds {
    pub(super) fn new(items: &[Item]) -> SourceIds {
        let slugs: Vec<Option<String>> = items
            .iter()
            .map(|i| {
                i.id.as_deref()
                    .map(|s| slug(s, MAX_ID))
                    .filter(|s| !s.is_empty())
            })
            .collect();
        let mut counts: HashMap<String, usize> = HashMap::new();
        for s in slugs.iter().flatten() {
            *counts.entry(s.clone()).or_default() += 1;
        }
        let shared = slugs.iter().flatten().filter(|s| counts[*s] > 1).count();
        SourceIds {
            slugs,
            counts,
            shared,
        }
    }

    /// The sessions to write, each with its id, and the note on ids.
    pub(super) fn assign(
        &self,
        resolved: Vec<Resolved>,
        tz: Tz,
        notes: &mut Vec<String>,
    ) -> Vec<Planned> {
        let mut fallback = 0;
        let mut used: HashMap<String, usize> = HashMap::new();
        let mut sessions = Vec::with_capacity(resolved.len());
        for r in resolved {
            let own = r.slug.filter(|s| self.counts.get(s).copied() == Some(1));
            let id = match own {
                Some(s) => s,
                None => {
                    fallback += 1;
                    let local = r.start.with_timezone(&tz);
                    let t = slug(&r.item.title, 32);
                    let mut s = local.format("%Y-%m-%d-%H%M").to_string();
                    if !t.is_empty() {
                        s.push('-');
                        s.push_str(&t);
                    }
                    s
                }
            };
            let n = used.entry(id.clone()).or_default();
            *n += 1;
            let id = if *n == 1 { id } else { format!("{id}-{n}") };
            sessions.push(Planned {
                id,
                title: r.item.title,
                start: r.start,
                end: r.end,
                speakers: r.item.speakers,
                moderators: r.item.moderators,
                notes: r.item.notes,
            });
        }
        if self.shared > 0 {
            notes.push(format!(
                "{} in the source: such sessions get ids from date, start and title",
                plural(self.shared, "shared id")
            ));
        } else if fallback > 0 {
            notes.push(format!(
                "{} no id in the source: ids come from date, start and title",
                if fallback == 1 {
                    "1 session has".to_string()
                } else {
                    format!("{fallback} sessions have")
                }
            ));
        }
        sessions
    }
}
