//! Entries a screen could not save, kept where the signal watcher can reach
//! them even if the event loop is stuck, and written out as a fallback
//! file when the process must leave. Shared by the operator model, which
//! fills it, and the terminal shell, which empties it.

use std::io::Write;

/// Entries a view could not save, kept where the signal watcher can reach
/// them even if the main thread is stuck.
#[derive(Debug, Default)]
pub struct Rescue {
    pub journal: std::path::PathBuf,
    /// Complete journal lines, without newlines.
    pub lines: Vec<String>,
}

/// Writes rescued lines beside the journal, else in the temp dir.
pub fn write_rescue(r: &Rescue) -> Option<std::path::PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let name = format!(
        "{}.fallback-{stamp}-rescue",
        r.journal.file_name()?.to_string_lossy()
    );
    let mut body = r.lines.join("\n");
    body.push('\n');
    [
        r.journal.with_file_name(&name),
        std::env::temp_dir().join(&name),
    ]
    .into_iter()
    .find(|p| match std::fs::File::create_new(p) {
        Ok(mut f) => {
            let ok = f
                .write_all(body.as_bytes())
                .and_then(|()| f.sync_all())
                .is_ok();
            if !ok {
                // A full disk: leave no empty file that could pass for it.
                let _ = std::fs::remove_file(p);
            }
            ok
        }
        Err(_) => false,
    })
}
