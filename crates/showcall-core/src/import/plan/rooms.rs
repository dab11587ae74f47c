//! One room's running order: which room to keep, which rooms are shared
//! (their sessions go into every room's import), and the sessions left out
//! because they are in another room, counted and named.

use super::super::Options;
use super::super::model::Item;
use super::{Ctx, plural};
use crate::diag::Diagnostic;

/// Room names that mean every room: a session held there (a coffee break,
/// a plenary) is in each room's running order. Compared ignoring case.
const SHARED_NAMES: [&str; 12] = [
    "all",
    "all rooms",
    "all tracks",
    "all stages",
    "everyone",
    "everybody",
    "plenary",
    "shared",
    "alle",
    "alle räume",
    "tous",
    "todas las salas",
];

/// How many titles are named per room left out; the rest are counted.
const NAMED_PER_ROOM: usize = 10;

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Whether sessions in `room` are offered in every room's import: it is
/// named with `--shared-room`, or its name means every room ("All rooms",
/// "Plenary").
pub(super) fn is_shared(room: &str, opts: &Options) -> bool {
    let r = norm(room);
    SHARED_NAMES.contains(&r.as_str()) || opts.shared_rooms.iter().any(|s| norm(s) == r)
}

/// The rooms in source order, with their item counts; shared rooms left
/// out (they are not a running order of their own).
fn rooms(items: &[Item], opts: &Options) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for r in items.iter().filter_map(|i| i.room.as_deref()) {
        if is_shared(r, opts) {
            continue;
        }
        match out.iter_mut().find(|(n, _)| n == r) {
            Some((_, c)) => *c += 1,
            None => out.push((r.to_string(), 1)),
        }
    }
    out
}

fn room_list(rooms: &[(String, usize)]) -> String {
    let list: Vec<String> = rooms
        .iter()
        .map(|(r, n)| format!("{:?} ({})", r, plural(*n, "session")))
        .collect();
    list.join(", ")
}

/// The room to keep (`None`: all); items with no room or in a shared room
/// (breaks, plenaries) are kept with any room.
pub(super) fn pick_room(
    listed: &[String],
    items: &[Item],
    opts: &Options,
    cx: &Ctx,
    chosen: &mut Vec<String>,
) -> Result<Option<String>, Diagnostic> {
    let all = rooms(items, opts);
    if opts.all_rooms {
        if all.len() > 1 {
            chosen.push(format!(
                "rooms: all {} as one running order (--all-rooms)",
                all.len()
            ));
        }
        return Ok(None);
    }
    let Some(want) = &opts.room else {
        if all.len() > 1 {
            return Err(Diagnostic::file_level(
                cx.file,
                format!(
                    "the schedule has {} rooms, and a showcall agenda is one room's running order",
                    all.len()
                ),
            )
            .with_help(format!(
                "choose one with --room NAME (or --all-rooms to merge them): {}",
                room_list(&all)
            )));
        }
        if let Some((r, _)) = all.first() {
            chosen.push(format!("room: {r:?} (the only one)"));
        }
        return Ok(None);
    };
    let Some((name, _)) = all.iter().find(|(r, _)| norm(r) == norm(want)) else {
        let msg = if let Some(r) = listed.iter().find(|r| norm(r) == norm(want)) {
            format!("--room {want:?}: the schedule lists room {r:?}, but no sessions in it")
        } else if all.is_empty() {
            format!("--room {want:?}: the schedule names no rooms")
        } else {
            format!("--room {want:?}: no such room in the schedule")
        };
        let mut d = Diagnostic::file_level(cx.file, msg);
        if !all.is_empty() {
            d = d.with_help(format!("the rooms with sessions are: {}", room_list(&all)));
        }
        return Err(d);
    };
    chosen.push(format!("room: {name:?} (--room)"));
    if all.len() > 1 {
        shared_kept(items, opts, chosen);
    }
    Ok(Some(name.clone()))
}

/// Says which sessions with no room or in a shared room are kept.
fn shared_kept(items: &[Item], opts: &Options, chosen: &mut Vec<String>) {
    let roomless = items.iter().filter(|i| i.room.is_none()).count();
    if roomless > 0 {
        chosen.push(format!("{} with no room kept", plural(roomless, "session")));
    }
    let mut shared: Vec<(String, usize)> = Vec::new();
    for r in items.iter().filter_map(|i| i.room.as_deref()) {
        if !is_shared(r, opts) {
            continue;
        }
        match shared.iter_mut().find(|(n, _)| n == r) {
            Some((_, c)) => *c += 1,
            None => shared.push((r.to_string(), 1)),
        }
    }
    for (r, n) in shared {
        chosen.push(format!(
            "{} in the shared room {r:?} kept",
            plural(n, "session")
        ));
    }
}

/// Whether `item` belongs in the running order of `keep` (`None`: every
/// room).
pub(super) fn kept(item: &Item, keep: Option<&str>, opts: &Options) -> bool {
    match (keep, item.room.as_deref()) {
        (None, _) | (_, None) => true,
        (Some(k), Some(r)) => r == k || is_shared(r, opts),
    }
}

/// The line saying which sessions were left out for being in another
/// room: counted per room, titles named (up to ten a room), with how to
/// keep a room's sessions. `None` when nothing was left out.
pub(super) fn left_out(items: &[&Item]) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let mut by_room: Vec<(&str, Vec<&str>)> = Vec::new();
    for i in items {
        let r = i.room.as_deref().unwrap_or_default();
        match by_room.iter_mut().find(|(n, _)| *n == r) {
            Some((_, t)) => t.push(&i.title),
            None => by_room.push((r, vec![&i.title])),
        }
    }
    let parts: Vec<String> = by_room
        .iter()
        .map(|(r, titles)| {
            let mut named: Vec<String> = titles
                .iter()
                .take(NAMED_PER_ROOM)
                .map(|t| format!("'{t}'"))
                .collect();
            if titles.len() > NAMED_PER_ROOM {
                named.push(format!("and {} more", titles.len() - NAMED_PER_ROOM));
            }
            format!("{r:?} ({}: {})", titles.len(), named.join(", "))
        })
        .collect();
    Some(format!(
        "{} in other rooms left out: {}; --shared-room NAME puts a room's sessions in every room",
        plural(items.len(), "session"),
        parts.join("; ")
    ))
}
