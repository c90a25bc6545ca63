//! Listing a corpus: walking the roots in sorted order, skipping hidden and build folders, following
//! symbolic links only inside their root.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::{CorpusError, Problem, SOURCES_FILE};

/// Folder names never walked into (besides hidden ones).
const SKIPPED_DIRS: &[&str] = &["node_modules", "target"];

/// A file found by the walk.
#[derive(Debug, Clone)]
pub(super) struct Listed {
    /// Index of its root.
    pub(super) root: usize,
    /// Path under the root as given (root joined with the relative path).
    pub(super) path: PathBuf,
    /// Canonical path, checked to be inside the root: what is actually read.
    pub(super) real: PathBuf,
}

#[derive(Debug, Default)]
pub(super) struct Listing {
    pub(super) files: Vec<Listed>,
    pub(super) sources: Vec<Listed>,
    pub(super) problems: Vec<Problem>,
}

pub(super) struct Walker {
    pub(super) canon_roots: Vec<PathBuf>,
    pub(super) seen_dirs: HashSet<PathBuf>,
    pub(super) seen_files: HashSet<PathBuf>,
    pub(super) out: Listing,
}

pub(super) fn is_article_name(name: &str) -> bool {
    if name.starts_with('.') {
        return false;
    }
    match Path::new(name).extension().and_then(|e| e.to_str()) {
        Some(ext) => ext.eq_ignore_ascii_case("txt") || ext.eq_ignore_ascii_case("md"),
        None => false,
    }
}

pub(super) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// Checks a root and returns its canonical path.
pub(super) fn check_root(root: &Path) -> Result<PathBuf, CorpusError> {
    match fs::metadata(root) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(CorpusError::Missing(root.to_path_buf()));
        }
        Err(e) => return Err(CorpusError::Io(root.to_path_buf(), e)),
        Ok(m) if !m.is_dir() => return Err(CorpusError::NotADirectory(root.to_path_buf())),
        Ok(_) => {}
    }
    fs::canonicalize(root).map_err(|e| CorpusError::Io(root.to_path_buf(), e))
}

impl Walker {
    pub(super) fn new(canon_roots: Vec<PathBuf>) -> Self {
        Walker {
            canon_roots,
            seen_dirs: HashSet::new(),
            seen_files: HashSet::new(),
            out: Listing::default(),
        }
    }

    fn problem(&mut self, path: &Path, reason: String) {
        self.out.problems.push(Problem::new(path, reason));
    }

    /// Walks `dir` (whose canonical path is `real_dir`) of root `root`.
    pub(super) fn walk_dir(&mut self, root: usize, dir: &Path, real_dir: &Path) -> io::Result<()> {
        if !self.seen_dirs.insert(real_dir.to_path_buf()) {
            return Ok(());
        }
        let mut entries: Vec<(OsString, PathBuf, fs::FileType)> = Vec::new();
        for entry in fs::read_dir(dir)? {
            match entry {
                Ok(entry) => match entry.file_type() {
                    Ok(ft) => entries.push((entry.file_name(), entry.path(), ft)),
                    Err(e) => self.problem(&entry.path(), format!("cannot read: {e}; skipped")),
                },
                Err(e) => self.problem(dir, format!("cannot list folder entry: {e}")),
            }
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let canon_root = self.canon_roots.get(root).cloned().unwrap_or_default();
        for (os_name, path, ft) in entries {
            let name = os_name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let wanted_file = is_article_name(&name) || name == SOURCES_FILE;
            let (is_dir, is_file, real) = if ft.is_symlink() {
                let target = match fs::canonicalize(&path) {
                    Ok(t) => t,
                    Err(e) => {
                        if wanted_file {
                            self.problem(&path, format!("broken symbolic link ({e}); skipped"));
                        }
                        continue;
                    }
                };
                let (d, f) = fs::metadata(&target)
                    .map(|m| (m.is_dir(), m.is_file()))
                    .unwrap_or((false, false));
                if !target.starts_with(&canon_root) {
                    if wanted_file || d {
                        self.problem(
                            &path,
                            format!(
                                "symbolic link to {} points outside the corpus folder; not followed",
                                target.display()
                            ),
                        );
                    }
                    continue;
                }
                (d, f, target)
            } else {
                (ft.is_dir(), ft.is_file(), real_dir.join(&os_name))
            };
            if is_dir {
                if SKIPPED_DIRS.contains(&&*name) {
                    continue;
                }
                if let Err(e) = self.walk_dir(root, &path, &real) {
                    self.problem(&path, format!("cannot list folder: {e}; skipped"));
                }
            } else if is_file && wanted_file && self.seen_files.insert(real.clone()) {
                let listed = Listed { root, path, real };
                if name == SOURCES_FILE {
                    self.out.sources.push(listed);
                } else {
                    self.out.files.push(listed);
                }
            }
        }
        Ok(())
    }
}

pub(super) fn walk(roots: &[PathBuf]) -> Result<Listing, CorpusError> {
    let canon: Vec<PathBuf> = roots
        .iter()
        .map(|r| check_root(r))
        .collect::<Result<_, _>>()?;
    let mut walker = Walker::new(canon.clone());
    for (i, (root, real)) in roots.iter().zip(&canon).enumerate() {
        walker
            .walk_dir(i, root, real)
            .map_err(|e| CorpusError::Io(root.clone(), e))?;
    }
    let mut out = walker.out;
    out.files
        .sort_by(|a, b| (a.root, &a.path).cmp(&(b.root, &b.path)));
    out.sources
        .sort_by(|a, b| (a.root, &a.path).cmp(&(b.root, &b.path)));
    Ok(out)
}

/// The article files (`.txt`, `.md`) under the roots, recursively, sorted by
/// root then path. Errors as [`load`](super::load).
pub fn list_files(roots: &[PathBuf]) -> Result<Vec<PathBuf>, CorpusError> {
    Ok(walk(roots)?.files.into_iter().map(|l| l.path).collect())
}

/// Where `path` is relative to `root` (lexically, else via canonical paths;
/// the file itself need not exist). Only plain components are accepted.
pub(super) fn relative_to_root(
    root: &Path,
    canon_root: Option<&Path>,
    path: &Path,
) -> Option<PathBuf> {
    let rel = match path.strip_prefix(root) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => {
            let canon_root = canon_root?;
            let name = path.file_name()?;
            let parent = fs::canonicalize(path.parent()?).ok()?;
            parent.strip_prefix(canon_root).ok()?.join(name)
        }
    };
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(rel)
}

/// Whether a relative path can hold corpus files: no hidden or skipped
/// component.
pub(super) fn rel_is_walkable(rel: &Path) -> bool {
    rel.components().all(|c| match c {
        Component::Normal(s) => {
            let s = s.to_string_lossy();
            !s.starts_with('.') && !SKIPPED_DIRS.contains(&&*s)
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::test_support::*;
    use crate::corpus::*;

    use std::path::Path;

    // -- roots and listing ----------------------------------------------------

    #[test]
    fn missing_root_is_an_error() {
        let dir = TempDir::new("missing");
        let missing = dir.path().join("nope");
        let err = load(
            std::slice::from_ref(&missing),
            &LoadOptions::default(),
            &no_progress,
        )
        .expect_err("missing root");
        assert!(matches!(&err, CorpusError::Missing(p) if *p == missing));
        assert!(err.to_string().contains(&missing.display().to_string()));
        assert!(list_files(&[missing]).is_err());
    }

    #[test]
    fn file_root_is_not_a_directory() {
        let dir = TempDir::new("fileroot");
        let file = dir.write("a.txt", "Text.\n");
        let err = load(
            std::slice::from_ref(&file),
            &LoadOptions::default(),
            &no_progress,
        )
        .expect_err("file root");
        assert!(matches!(&err, CorpusError::NotADirectory(p) if *p == file));
        assert!(err.to_string().contains("not a folder"));
    }

    #[test]
    fn empty_folder_is_zero_articles() {
        let dir = TempDir::new("emptyroot");
        let corpus = load_dir(dir.path());
        assert!(corpus.articles.is_empty());
        assert!(corpus.problems.is_empty());
        assert_eq!(corpus.roots, [dir.path().to_path_buf()]);
    }

    #[test]
    fn hidden_and_build_folders_are_skipped() {
        let dir = TempDir::new("skip");
        dir.write("a.txt", "A.\n");
        dir.write("sub/deeper/b.MD", "B.\n");
        dir.write(".git/c.txt", "C.\n");
        dir.write("node_modules/d.txt", "D.\n");
        dir.write("target/e.md", "E.\n");
        dir.write(".hidden.txt", "F.\n");
        dir.write("notes.docx", "G.\n");
        dir.write("README", "H.\n");
        let files = list_files(&[dir.path().to_path_buf()]).expect("list");
        assert_eq!(
            files,
            [dir.path().join("a.txt"), dir.path().join("sub/deeper/b.MD")]
        );
        assert_eq!(ids(&load_dir(dir.path())), ["a", "b"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_not_followed() {
        let outside = TempDir::new("outside");
        outside.write("secret.txt", "Outside.\n");
        outside.write("dir/other.txt", "Outside too.\n");
        let dir = TempDir::new("links");
        dir.write("real/a.txt", "Inside.\n");
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            dir.path().join("secret.txt"),
        )
        .expect("symlink");
        std::os::unix::fs::symlink(outside.path().join("dir"), dir.path().join("dir"))
            .expect("symlink");
        std::os::unix::fs::symlink(dir.path().join("real/a.txt"), dir.path().join("alias.txt"))
            .expect("symlink");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("real/loop")).expect("symlink");
        let corpus = load_dir(dir.path());
        // Inside-the-root link to a.txt: one file, loaded once (first path in
        // the sorted walk: alias.txt).
        assert_eq!(corpus.articles.len(), 1);
        assert_eq!(corpus.articles[0].text, "Inside.\n");
        assert!(
            problem_for(&corpus, "secret.txt")
                .expect("reported")
                .reason
                .contains("outside")
        );
        assert!(
            problem_for(&corpus, "dir")
                .expect("reported")
                .reason
                .contains("outside")
        );
        let err = read_article(dir.path(), Path::new("secret.txt"), &LoadOptions::default())
            .expect_err("not read");
        assert!(err.reason.contains("outside"));
    }
}
