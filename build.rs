//! Build script: fingerprints of the sources extraction and the merge are made of, so that the index
//! (`src/kb/store/`) never reuses what another build of that code stored, even when nobody bumped
//! `EXTRACTOR_VERSION` or `MERGE_VERSION`.

use std::path::{Path, PathBuf};

/// What an article's extraction depends on, besides the article: the extraction code and the stored form.
const EXTRACTION_SOURCES: [&str; 5] = [
    "src/extract",
    "src/text.rs",
    "src/kb/article.rs",
    "src/kb/lazy.rs",
    "src/kb/store/wire.rs",
];

/// What the merged knowledge base depends on, besides the extractions: the whole knowledge base (the merge,
/// its keys and look-ups, the stored forms) and what it calls in extraction and text.
const MERGE_SOURCES: [&str; 3] = ["src/extract", "src/text.rs", "src/kb"];

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

/// FNV-1a over each file's path and contents, files in sorted order.
fn fingerprint(sources: &[&str]) -> String {
    let mut files = Vec::new();
    for s in sources {
        println!("cargo:rerun-if-changed={s}");
        collect(Path::new(s), &mut files);
    }
    files.sort();
    files.dedup();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        let path = f.to_string_lossy().replace('\\', "/");
        let text = std::fs::read(f).unwrap_or_default();
        for b in path.bytes().chain([0]).chain(text).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn main() {
    println!(
        "cargo:rustc-env=DOSSIER_EXTRACTION_SOURCES={}",
        fingerprint(&EXTRACTION_SOURCES)
    );
    println!(
        "cargo:rustc-env=DOSSIER_MERGE_SOURCES={}",
        fingerprint(&MERGE_SOURCES)
    );
}
