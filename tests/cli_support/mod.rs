//! Shared by the `cli_*` tests: running the binary, and temporary workspaces that clean up.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A temporary folder, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "dossier-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn write(&self, rel: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create dirs");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A workspace as the README describes it: `dossier.toml`, `corpus/` (the seed articles) and
/// `notes/note.md` (the example note, which has one date conflict).
pub fn workspace() -> TempDir {
    let ws = TempDir::new("ws");
    ws.write("dossier.toml", "corpus = [\"corpus/\"]\n");
    for e in std::fs::read_dir(fixtures().join("corpus")).expect("fixtures") {
        let e = e.expect("entry");
        ws.write(
            Path::new("corpus").join(e.file_name()),
            std::fs::read(e.path()).expect("read"),
        );
    }
    ws.write(
        "notes/note.md",
        std::fs::read(fixtures().join("notes/example.md")).expect("note"),
    );
    ws
}

/// Exit status, stdout, stderr of `dossier args` run in `cwd`, stdin empty.
pub fn dossier(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        // The index of extractions goes to the build folder, not the user's cache.
        .env(
            "DOSSIER_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/dossier-cache"),
        )
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .expect("run dossier");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
