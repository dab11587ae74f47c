//! The access key every page and feed needs in its link (`?k=…`): 128
//! random bits in hex, generated on first use and kept beside the journal
//! (`<journal>.key`, readable by its owner only), replaced on request.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Where the key of `journal` is kept: `<journal>.key`.
pub fn path_for(journal: &Path) -> PathBuf {
    let mut p = journal.as_os_str().to_owned();
    p.push(".key");
    PathBuf::from(p)
}

/// The key at `path`; a new one when there is none, it is not a key, or
/// `renew` asks for one (the old links then stop working).
pub fn load_or_create(path: &Path, renew: bool) -> Result<String> {
    if !renew && let Ok(text) = std::fs::read_to_string(path) {
        let k = text.trim();
        if k.len() >= 16 && k.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(k.to_string());
        }
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for a key: {e}"))?;
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    write_private(path, &key)
        .with_context(|| format!("cannot write the access key {}", path.display()))?;
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, key: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    writeln!(f, "{key}")
}

#[cfg(not(unix))]
fn write_private(path: &Path, key: &str) -> std::io::Result<()> {
    std::fs::write(path, format!("{key}\n"))
}

/// True when `given` is `key`, compared in time that does not depend on
/// where they differ.
pub fn matches(given: &str, key: &str) -> bool {
    given.len() == key.len()
        && given
            .bytes()
            .zip(key.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_kept_and_renewed_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let p = path_for(&dir.path().join("a.journal.jsonl"));
        assert!(p.ends_with("a.journal.jsonl.key"));
        let k1 = load_or_create(&p, false).unwrap();
        // 16 random bytes, two hex digits each.
        assert_eq!(k1.len(), 32);
        assert_eq!(load_or_create(&p, false).unwrap(), k1);
        let k2 = load_or_create(&p, true).unwrap();
        assert_ne!(k2, k1);
        assert!(matches(&k2, &k2) && !matches(&k1, &k2) && !matches("", &k2));
    }
}
