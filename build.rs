//! Build script: a fingerprint of the sources extraction is made of, so that the index of extractions
//! (`src/kb/store/`) never reuses what another build of the extraction code stored, even when nobody bumped
//! `EXTRACTOR_VERSION`.

use std::path::{Path, PathBuf};

/// What an article's extraction depends on, besides the article: the extraction code and the stored form.
const SOURCES: [&str; 4] = [
    "src/extract",
    "src/text.rs",
    "src/kb/article.rs",
    "src/kb/store/wire.rs",
];

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = std::fs::read_dir(path) {
            for e in entries.flatten() {
                collect(&e.path(), out);
            }
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

fn main() {
    let mut files = Vec::new();
    for s in SOURCES {
        println!("cargo:rerun-if-changed={s}");
        collect(Path::new(s), &mut files);
    }
    files.sort();
    // FNV-1a over each file's path and contents.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        let path = f.to_string_lossy().replace('\\', "/");
        let text = std::fs::read(f).unwrap_or_default();
        for b in path.bytes().chain([0]).chain(text).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=DOSSIER_EXTRACTION_SOURCES={h:016x}");
}
