//! Article ids: the file stem, qualified with folders, file name and root only as far as needed to be
//! unique; deterministic for a given set of paths.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

pub(super) fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(super) struct IdParts {
    root: usize,
    root_name: String,
    dir: String,
    stem: String,
    file_name: String,
}

pub(super) const MAX_ID_LEVEL: u8 = 4;

pub(super) fn join_id(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else if name.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

impl IdParts {
    /// `root_name` is [`root_name`] of the root.
    fn new(roots: &[PathBuf], root: usize, root_name: &str, path: &Path) -> Self {
        let root_path = roots.get(root);
        let rel = root_path
            .and_then(|r| path.strip_prefix(r).ok())
            .unwrap_or(path);
        let dir: Vec<String> = rel
            .parent()
            .map(|p| {
                p.components()
                    .filter_map(|c| match c {
                        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        IdParts {
            root,
            root_name: root_name.to_string(),
            dir: dir.join("/"),
            stem: stem_of(path),
            file_name: path
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }

    fn id(&self, level: u8) -> String {
        match level {
            0 => self.stem.clone(),
            1 => join_id(&self.dir, &self.stem),
            2 => join_id(&self.dir, &self.file_name),
            3 => join_id(&join_id(&self.root_name, &self.dir), &self.file_name),
            _ => format!("{}:{}", self.root, join_id(&self.dir, &self.file_name)),
        }
    }
}

/// The last folder name of a root, which qualifies ids at the fourth level.
fn root_name(root: &Path, index: usize) -> String {
    root.components()
        .rev()
        .find_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .unwrap_or_else(|| format!("root{index}"))
}

/// Assigns unique ids to `(root index, path)` pairs; see the module docs.
///
/// Every file starts at its stem; only the files whose ids clash are taken apart into folders and names
/// (at a warm start of 14,322 files that did it for every file, about a tenth of the load's time).
pub(super) fn assign_ids(roots: &[PathBuf], files: &[(usize, &Path)]) -> Vec<String> {
    let root_names: Vec<String> = roots
        .iter()
        .enumerate()
        .map(|(i, r)| root_name(r, i))
        .collect();
    let mut parts: Vec<Option<IdParts>> = files.iter().map(|_| None).collect();
    let mut level = vec![0u8; files.len()];
    let mut ids: Vec<String> = files.iter().map(|(_, path)| stem_of(path)).collect();
    loop {
        let mut groups: HashMap<&str, Vec<usize>> = HashMap::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            groups.entry(id.as_str()).or_default().push(i);
        }
        let bumped: Vec<usize> = groups
            .values()
            .filter(|g| g.len() > 1)
            .flatten()
            .copied()
            .filter(|&i| level[i] < MAX_ID_LEVEL)
            .collect();
        if bumped.is_empty() {
            break;
        }
        for i in bumped {
            level[i] += 1;
            let (root, path) = files[i];
            let name = root_names
                .get(root)
                .cloned()
                .unwrap_or_else(|| format!("root{root}"));
            let p = parts[i].get_or_insert_with(|| IdParts::new(roots, root, &name, path));
            ids[i] = p.id(level[i]);
        }
    }
    // Only reachable with file names that differ in bytes but not after lossy
    // UTF-8 conversion: make them unique anyway.
    let mut distinct: HashSet<&str> = HashSet::with_capacity(ids.len());
    if ids.iter().all(|id| distinct.insert(id)) {
        return ids;
    }
    drop(distinct);
    let mut seen: HashSet<String> = HashSet::new();
    for (i, id) in ids.iter_mut().enumerate() {
        if !seen.insert(id.clone()) {
            *id = format!("{id}~{i}");
            seen.insert(id.clone());
        }
    }
    ids
}

#[cfg(test)]
mod tests {

    use crate::corpus::test_support::*;
    use crate::corpus::*;

    // -- ids --------------------------------------------------------------------

    #[test]
    fn duplicate_stems_get_folder_qualified_ids() {
        let dir = TempDir::new("dups");
        dir.write("briefings-statements/2024-10/foo.md", "One.\n");
        dir.write("statements-releases/2024-10/foo.md", "Two.\n");
        dir.write("other/bar.txt", "Bar.\n");
        dir.write("x/same.txt", "Same txt.\n");
        dir.write("x/same.md", "Same md.\n");
        let corpus = load_dir(dir.path());
        assert_eq!(
            ids(&corpus),
            [
                "bar",
                "briefings-statements/2024-10/foo",
                "statements-releases/2024-10/foo",
                "x/same.md",
                "x/same.txt",
            ]
        );
        assert_eq!(
            corpus
                .get("statements-releases/2024-10/foo")
                .map(|a| a.text.as_str()),
            Some("Two.\n")
        );
        // Deterministic.
        assert_eq!(load_dir(dir.path()), corpus);
    }

    #[test]
    fn an_id_qualified_for_one_clash_that_meets_another_file_s_stem_is_qualified_further() {
        let dir = TempDir::new("dups-chain");
        dir.write("foo.md", "One.\n");
        dir.write("foo.txt", "Two.\n");
        dir.write("foo.md.txt", "Three.\n");
        dir.write("bar.txt", "Bar.\n");
        let corpus = load_dir(dir.path());
        let got = ids(&corpus);
        let name = dir
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert_eq!(
            got,
            [
                "bar".to_string(),
                format!("{name}/foo.md"),
                "foo.md".to_string(),
                "foo.txt".to_string()
            ]
        );
    }

    #[test]
    fn ids_across_roots() {
        let a = TempDir::new("roota");
        let b = TempDir::new("rootb");
        a.write("articles/x.txt", "X in a.\n");
        b.write("articles/x.txt", "X in b.\n");
        b.write("y.txt", "Y.\n");
        let roots = [
            a.path().join("articles"),
            b.path().join("articles"),
            b.path().to_path_buf(),
        ];
        let corpus = load(&roots, &LoadOptions::default(), &no_progress).expect("load");
        // b/articles/x.txt is walked under root 1 only (overlapping roots).
        assert_eq!(ids(&corpus), ["0:x.txt", "1:x.txt", "y"]);
    }
}
