//! The folder layout keeps its promises: the core crate
//! (`crates/showcall-core/`) has no terminal crate in its dependency tree,
//! and the terminal shell's files (`src/`) import one another without
//! cycles.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The file's code without its unit tests and comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every package `name` depends on, directly or not, read from Cargo.lock
/// (normal, build and dev dependencies alike, so the answer errs on the
/// side of "depends").
fn dependency_tree(name: &str) -> BTreeSet<String> {
    let lock: toml::Table =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock"))
            .unwrap()
            .parse()
            .unwrap();
    let packages = lock["package"].as_array().unwrap();
    let deps_of = |n: &str| -> Vec<String> {
        packages
            .iter()
            .filter(|p| p["name"].as_str() == Some(n))
            .flat_map(|p| p.get("dependencies").and_then(|d| d.as_array()).cloned())
            .flatten()
            // "name" or "name version" when two versions are locked.
            .map(|d| d.as_str().unwrap().split(' ').next().unwrap().to_string())
            .collect()
    };
    let mut seen = BTreeSet::new();
    let mut todo = vec![name.to_string()];
    while let Some(n) = todo.pop() {
        for d in deps_of(&n) {
            if seen.insert(d.clone()) {
                todo.push(d);
            }
        }
    }
    seen
}

#[test]
fn the_core_is_headless() {
    // The compiler keeps the boundary: a core with no terminal crate in its
    // dependency tree cannot draw. The tree is checked, not the source.
    let tree = dependency_tree("showcall-core");
    assert!(tree.contains("chrono"), "the tree was read: {tree:?}");
    for word in ["ratatui", "crossterm", "ratatui-core", "tui-big-text"] {
        assert!(!tree.contains(word), "showcall-core depends on {word}");
    }
    // The shell does depend on them: the check can fail.
    assert!(dependency_tree("showcall").contains("crossterm"));
    // And the core's code names no terminal or standard input either.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/showcall-core/src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 10);
    for f in &files {
        let c = code(f);
        for word in ["ratatui", "crossterm", "std::io::stdin"] {
            assert!(!c.contains(word), "{} uses {word}", f.display());
        }
    }
}

#[test]
fn the_shell_has_no_import_cycles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    // Module paths relative to src, e.g. "ui/operator/now".
    let name = |p: &Path| {
        let rel = p.strip_prefix(&root).unwrap().with_extension("");
        rel.to_string_lossy().replace('\\', "/")
    };
    let known: BTreeSet<String> = files.iter().map(|f| name(f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let me = name(f);
        let c = code(f);
        let mut deps = BTreeSet::new();
        // `crate::a::b::c` names the longest file path it can.
        for (i, _) in c.match_indices("crate::") {
            let path: Vec<&str> = c[i + 7..]
                .split(|ch: char| !(ch.is_ascii_lowercase() || ch == '_' || ch == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|s| !s.is_empty())
                .collect();
            if let Some(k) = (1..=path.len())
                .rev()
                .find(|&k| known.contains(&path[..k].join("/")))
            {
                deps.insert(path[..k].join("/"));
            }
        }
        // `super::x` is a sibling file, else the parent.
        let parent = Path::new(&me)
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, _) in c.match_indices("super::") {
            let next: String = c[i + 7..]
                .chars()
                .take_while(|ch| ch.is_ascii_lowercase() || *ch == '_')
                .collect();
            let sibling = if parent.is_empty() {
                next.clone()
            } else {
                format!("{parent}/{next}")
            };
            if known.contains(&sibling) {
                deps.insert(sibling);
            } else if !parent.is_empty() {
                deps.insert(parent.clone());
            }
        }
        deps.remove(&me);
        graph.insert(me, deps);
    }
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for d in graph.get(n).into_iter().flatten() {
            match state.get(d.as_str()) {
                Some(1) => panic!("import cycle: {} -> {d}", stack.join(" -> ")),
                Some(_) => {}
                None => visit(d, graph, state, stack),
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if !state.contains_key(n.as_str()) {
            visit(n, &graph, &mut state, &mut Vec::new());
        }
    }
    // The graph is not empty: the check looked at something.
    assert!(graph.get("app").is_some_and(|d| d.contains("setup")));
}

#[test]
fn no_test_file_is_left_out() {
    // `autotests = false`: a file in tests/ runs only if tests/all.rs names
    // it as a module or Cargo.toml as a binary of its own.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let all = std::fs::read_to_string(root.join("tests/all.rs")).unwrap();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let mut seen = 0;
    for e in std::fs::read_dir(root.join("tests")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        if stem == "all" {
            continue;
        }
        seen += 1;
        let module = all.lines().any(|l| l.trim() == format!("mod {stem};"));
        let binary = manifest.contains(&format!("path = \"tests/{stem}.rs\""));
        assert!(
            module ^ binary,
            "tests/{stem}.rs must be a module of tests/all.rs or a [[test]] of its own (not both)"
        );
    }
    assert!(seen > 20, "the tests folder was read");
}
