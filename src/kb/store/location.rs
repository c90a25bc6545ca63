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
    Some(dir.join(index_name(workspace)))
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
}
