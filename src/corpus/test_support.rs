//! Helpers for the corpus unit tests: temporary folders, fixtures, short-hands.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Corpus, LoadOptions, Problem, headline, load};

// -- helpers ----------------------------------------------------------

/// A temporary folder, removed on drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "dossier-corpus-test-{}-{tag}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    pub(crate) fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create dirs");
        }
        fs::write(&path, contents).expect("write file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn fixtures(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(sub)
}

pub(crate) fn seed(name: &str) -> String {
    fs::read_to_string(fixtures("corpus").join(name)).expect("seed fixture")
}

pub(crate) fn no_progress(_: usize, _: usize) {}

pub(crate) fn load_dir(dir: &Path) -> Corpus {
    load(&[dir.to_path_buf()], &LoadOptions::default(), &no_progress).expect("load")
}

pub(crate) fn headline_of(text: &str) -> Option<String> {
    headline(text, 0..text.len()).map(|(t, _)| t)
}

pub(crate) fn ids(corpus: &Corpus) -> Vec<&str> {
    corpus.articles.iter().map(|a| a.id.as_str()).collect()
}

pub(crate) fn problem_for<'a>(corpus: &'a Corpus, file: &str) -> Option<&'a Problem> {
    corpus.problems.iter().find(|p| p.path.ends_with(file))
}

pub(crate) const SEED_000: &str = "000_510b717c5958182e.txt";
pub(crate) const SEED_001: &str = "001_f5c6b512ca1d2a60.txt";
pub(crate) const SEED_002: &str = "002_2756358494cc98c9.txt";
pub(crate) const SEED_003: &str = "003_a00dcb4757473e5d.txt";
pub(crate) const SEED_004: &str = "004_ceb739453495012b.txt";

pub(crate) const WH_ANDREWS: &str = "speeches-remarks/2024-11/2024-11-29-remarks-by-president-biden-before-air-force-one-departure-joint-base-andrews-md-6.md";
pub(crate) const WH_HARRIS: &str = "speeches-remarks/2022-05/2022-05-11-remarks-by-vice-president-harris-after-the-senate-vote-on-the-womens-health-protection-act.md";
pub(crate) const WH_KOREA: &str = "speeches-remarks/2022-05/2022-05-22-remarks-by-president-biden-before-air-force-one-departure-pyeongtaek-republic-of-korea.md";
