//! Where a workspace's index lives: the cache folder (`DOSSIER_CACHE_DIR`, else `cache` in `dossier.toml`,
//! else `$XDG_CACHE_HOME/dossier`, else `~/.cache/dossier`), never inside a corpus folder, and one database
//! per workspace named by a hash of the workspace's canonical path.

use crate::corpus::CacheSetting;
use std::path::{Component, Path, PathBuf};
use xxhash_rust::xxh3::xxh3_128;

/// The environment variable that overrides the cache folder (tests point it at a temporary folder).
pub const CACHE_DIR_ENV: &str = "DOSSIER_CACHE_DIR";

/// The index file of a workspace, or `None` when there is to be no index (`cache = false`, or no folder
/// can be found; the latter is logged). `workspace` identifies the workspace: its root folder, or, for a
/// corpus given on the command line, the corpus folders themselves. A configured folder inside a corpus
/// folder is refused with a warning, and the default folder is used.
pub fn index_path(
    workspace: &[PathBuf],
    setting: &CacheSetting,
    roots: &[PathBuf],
) -> Option<PathBuf> {
    if *setting == CacheSetting::Off {
        tracing::debug!("index disabled by `cache = false`");
        return None;
    }
    let from_env = std::env::var_os(CACHE_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let configured = match (from_env, setting) {
        (Some(dir), _) => Some((dir, CACHE_DIR_ENV)),
        (None, CacheSetting::Folder(dir)) => Some((dir.clone(), "`cache` in dossier.toml")),
        _ => None,
    };
    let dir = match configured {
        Some((dir, what)) => {
            let dir = std::path::absolute(&dir).unwrap_or(dir);
            if let Some(root) = inside_any(&dir, roots) {
                tracing::warn!(
                    "the cache folder {} ({what}) is inside the corpus folder {}; using the default cache folder",
                    dir.display(),
                    root.display()
                );
                default_dir()?
            } else {
                dir
            }
        }
        None => default_dir()?,
    };
    if let Some(root) = inside_any(&dir, roots) {
        tracing::warn!(
            "the cache folder {} is inside the corpus folder {}; working without an index",
            dir.display(),
            root.display()
        );
        return None;
    }
    let path = dir.join(index_name(workspace));
    sweep_stale(&dir, &path, STALE_AFTER);
    Some(path)
}

/// An index no start has used for this long belongs to a workspace that is gone or forgotten.
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(90 * 24 * 3600);

/// Mark this workspace's index as used (its modification time), and delete the other indexes of the cache
/// folder (with their SQLite journal files) that no start has used for `stale_after`: a deleted or
/// abandoned workspace does not keep its index for ever. Failures are logged and otherwise ignored.
pub fn sweep_stale(dir: &Path, keep: &Path, stale_after: std::time::Duration) {
    if let Ok(f) = std::fs::File::options().write(true).open(keep)
        && let Err(e) = f.set_modified(std::time::SystemTime::now())
    {
        tracing::debug!("could not mark {} as used: {e}", keep.display());
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if path == keep || !name.starts_with("index-") || !name.ends_with(".sqlite") {
            continue;
        }
        let age = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok());
        if age.is_some_and(|a| a > stale_after) {
            for p in [
                path.clone(),
                path.with_extension("sqlite-wal"),
                path.with_extension("sqlite-shm"),
            ] {
                if p.exists()
                    && let Err(e) = std::fs::remove_file(&p)
                {
                    tracing::debug!("could not delete the stale index {}: {e}", p.display());
                }
            }
            tracing::info!(
                "deleted {}, unused for over {} days",
                path.display(),
                stale_after.as_secs() / 86_400
            );
        }
    }
}

/// `index-<hex>.sqlite`, the hex a 128-bit hash of the workspace's canonical path(s).
pub fn index_name(workspace: &[PathBuf]) -> String {
    let mut bytes = Vec::new();
    for p in workspace {
        bytes.extend_from_slice(canonical(p).as_os_str().as_encoded_bytes());
        bytes.push(0);
    }
    format!("index-{:032x}.sqlite", xxh3_128(&bytes))
}

/// `$XDG_CACHE_HOME/dossier`, else `$HOME/.cache/dossier`.
fn default_dir() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").and_then(absolute) {
        return Some(xdg.join("dossier"));
    }
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .and_then(absolute);
    match home {
        Some(h) => Some(h.join(".cache").join("dossier")),
        None => {
            tracing::warn!(
                "no cache folder (neither XDG_CACHE_HOME nor HOME is set); working without an index"
            );
            None
        }
    }
}

/// The path with symbolic links resolved as far as it exists, the rest appended lexically.
fn canonical(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut rest = Vec::new();
    let mut at = abs.as_path();
    loop {
        if let Ok(c) = std::fs::canonicalize(at) {
            let mut out = c;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other),
                }
            }
            return out;
        }
        match (at.parent(), at.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                at = parent;
            }
            _ => return abs,
        }
    }
}

/// The first corpus root that holds `dir` (or is it).
fn inside_any<'a>(dir: &Path, roots: &'a [PathBuf]) -> Option<&'a PathBuf> {
    let dir = canonical(dir);
    roots.iter().find(|r| dir.starts_with(canonical(r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workspace_has_one_index_named_by_its_canonical_path() {
        let tmp = std::env::temp_dir();
        let a = index_name(std::slice::from_ref(&tmp));
        let b = index_name(&[tmp.join("x").join("..")]);
        assert_eq!(a, b);
        assert!(
            a.starts_with("index-") && a.ends_with(".sqlite") && a.len() == 45,
            "{a}"
        );
        assert_ne!(a, index_name(&[tmp.join("elsewhere")]));
    }

    #[test]
    fn a_cache_folder_inside_the_corpus_is_refused() {
        let roots = [PathBuf::from("/ws/articles")];
        assert!(inside_any(Path::new("/ws/articles/.cache"), &roots).is_some());
        assert!(inside_any(Path::new("/ws/.cache"), &roots).is_none());
        assert!(inside_any(Path::new("/ws/articles2"), &roots).is_none());
        let setting = CacheSetting::Folder(PathBuf::from("/ws/articles/cache"));
        if std::env::var_os(CACHE_DIR_ENV).is_none() {
            // Falls back to the default folder, which is not inside the corpus.
            let p = index_path(&[PathBuf::from("/ws")], &setting, &roots);
            assert!(
                p.as_ref().is_none_or(|p| !p.starts_with("/ws/articles")),
                "{p:?}"
            );
        }
        assert_eq!(index_path(&[], &CacheSetting::Off, &roots), None);
    }

    #[test]
    fn indexes_unused_for_long_are_swept_and_the_current_one_is_kept() {
        let tmp = crate::corpus::test_support::TempDir::new("sweep");
        let dir = tmp.path();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(200 * 24 * 3600);
        let file = |name: &str, aged: bool| {
            let p = dir.join(name);
            let f = std::fs::File::create(&p).unwrap();
            if aged {
                f.set_modified(old).unwrap();
            }
            p
        };
        let current = file("index-aaaa.sqlite", true);
        let stale = file("index-bbbb.sqlite", true);
        let stale_wal = file("index-bbbb.sqlite-wal", true);
        let fresh = file("index-cccc.sqlite", false);
        let other = file("notes.txt", true);
        sweep_stale(dir, &current, STALE_AFTER);
        assert!(
            current.exists(),
            "the workspace's own index is kept, however old"
        );
        assert!(
            !stale.exists() && !stale_wal.exists(),
            "an index unused for long goes, journal and all"
        );
        assert!(fresh.exists(), "a recently used index stays");
        assert!(other.exists(), "only index files are touched");
        // The kept index is marked as used now.
        let age = std::fs::metadata(&current)
            .unwrap()
            .modified()
            .unwrap()
            .elapsed()
            .unwrap();
        assert!(age < std::time::Duration::from_secs(3600));
    }
}
