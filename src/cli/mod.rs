//! The command line: `dossier entities`, `dossier dates`, `dossier check` and `dossier lsp`; argument
//! parsing, finding the corpus, and loading it.

mod check;
mod entities;
mod explain;
mod sarif;
mod term;

use crate::analysis::Severity;
use crate::corpus::{self, CacheSetting, Config, LoadOptions};
use crate::kb::{Coverage, KnowledgeBase, MergeAhead, MergePrefetch, Store, store};
use clap::{Parser, Subcommand, ValueEnum};
use std::collections::HashSet;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "dossier",
    version,
    about = "Checks briefing notes against the news articles they come from"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the people, agreements and organisations of the reference base, with aliases, roles and dated facts.
    Entities {
        /// Corpus folder (repeatable). Default: the `corpus` of the nearest dossier.toml.
        #[arg(long = "corpus", value_name = "DIR")]
        corpus: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show the temporal expressions found in a text, with byte offsets and normalised values.
    Dates {
        /// Reference date (YYYY-MM-DD) for relative expressions; default: the file's front-matter date.
        #[arg(long = "ref", value_name = "YYYY-MM-DD")]
        reference: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// A file, or `-` for standard input.
        file: PathBuf,
    },
    /// Check notes against the reference base; exit 1 when a warning is found.
    Check {
        /// Corpus folder (repeatable). Default: the nearest dossier.toml above each note.
        #[arg(long = "corpus", value_name = "DIR")]
        corpus: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Do not run this check (repeatable): date-conflict, weekday-mismatch, unverified-quote, unknown-source.
        #[arg(long = "disable", value_name = "CODE")]
        disable: Vec<String>,
        /// Notes, or folders to walk for .md and .txt files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Explain the date checks on one line of a note: the claims, the source clauses that may report the
    /// same events, their scores, and why each date is judged consistent, in conflict or unverifiable.
    Explain {
        /// Corpus folder (repeatable). Default: the nearest dossier.toml above the note.
        #[arg(long = "corpus", value_name = "DIR")]
        corpus: Vec<PathBuf>,
        /// The note and a line number, counted from 1: `notes/brief.md:12`.
        #[arg(value_name = "NOTE:LINE")]
        at: String,
    },
    /// Score a development set (a folder with corpus/, notes/ and gold.json): conflicts found per kind,
    /// false alarms, hovers, go-to-source and quotations. Misses and false alarms go to stderr.
    Eval {
        /// The set's folder, e.g. fixtures/devset/wikinews.
        set: PathBuf,
    },
    /// Serve the Language Server Protocol over standard input and output.
    Lsp {
        /// Accepted for clients that always pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for CI systems and code-scanning dashboards.
    Sarif,
}

/// A failure that ends a command with exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which index of extractions a corpus uses: its workspace (the folder of its `dossier.toml`, or the corpus
/// folders themselves when given on the command line) and the `cache` setting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    pub workspace: Vec<PathBuf>,
    pub cache: CacheSetting,
}

impl Index {
    /// The index of corpus folders given without a `dossier.toml`.
    pub fn of_roots(roots: &[PathBuf]) -> Index {
        Index {
            workspace: roots.to_vec(),
            cache: CacheSetting::Default,
        }
    }
}

/// Load the corpus folders, reporting per-file problems on stderr; extractions of unchanged articles, and the
/// merged knowledge base when no article changed, come from the workspace's index (see [`crate::kb::store`]).
pub fn load_kb(
    roots: &[PathBuf],
    opts: &LoadOptions,
    index: &Index,
) -> Result<KnowledgeBase, UsageError> {
    load_kb_trusting(roots, opts, index, &HashSet::new())
}

/// How many times a command's work is done again when texts keep changing under it.
const MAX_ATTEMPTS: usize = 3;

/// Says which texts were not what the load trusted, after the output that may not reflect them.
pub(crate) fn warn_stale(kb: &KnowledgeBase) {
    for p in kb.stale_texts() {
        eprintln!(
            "dossier: warning: {} (the output above may not reflect it)",
            term::clean(&p.to_string())
        );
    }
}

/// The knowledge base of the corpus and what `work` makes of it, done again (with those files read) when a
/// text the load trusted unread turned out to have changed: never an answer from a text that is not current.
pub(crate) fn load_current<T>(
    roots: &[PathBuf],
    opts: &LoadOptions,
    index: &Index,
    mut work: impl FnMut(&KnowledgeBase) -> Result<T, UsageError>,
) -> Result<(KnowledgeBase, T), UsageError> {
    let mut distrust = HashSet::new();
    for attempt in 1.. {
        let kb = load_kb_trusting(roots, opts, index, &distrust)?;
        let out = work(&kb)?;
        let stale = kb.stale_texts();
        if stale.is_empty() || attempt >= MAX_ATTEMPTS {
            return Ok((kb, out));
        }
        for p in stale {
            eprintln!("dossier: warning: {}", term::clean(&p.to_string()));
            distrust.insert(p.path);
        }
    }
    unreachable!("the attempts end")
}

/// [`load_kb`], reading the files of `distrust` whatever the index records of them (files whose text turned
/// out to have changed after an earlier load trusted them).
fn load_kb_trusting(
    roots: &[PathBuf],
    opts: &LoadOptions,
    index: &Index,
    distrust: &HashSet<PathBuf>,
) -> Result<KnowledgeBase, UsageError> {
    let timer = std::time::Instant::now();
    let store = store::index_path(&index.workspace, &index.cache, roots)
        .and_then(|p| Store::open_or_warn(&p))
        .map(Arc::new);
    let opened = timer.elapsed();
    // Read and decoded while the corpus loads; used if it is the merge of the articles loaded.
    let ahead = MergeAhead::start(store.as_ref());
    // Files whose identity is the one the index records are not read: their texts are read when needed.
    let mut known = store
        .as_ref()
        .map(|s| s.file_records(roots))
        .unwrap_or_default();
    let recorded = timer.elapsed();
    known.retain(|p, _| !distrust.contains(p));
    let (corpus, report) = {
        let bar = term::Progress::new("reading");
        corpus::load_with(roots, opts, &known, &|d, t| bar.update(d, t))
            .map_err(|e| UsageError(e.to_string()))?
    };
    drop(known);
    tracing::debug!(
        "corpus: {} articles, {} trusted unread, {} new file records; index opened in {opened:?}, records read \
         in {:?}, corpus loaded in {:?}",
        corpus.articles.len(),
        report.trusted,
        report.records.len(),
        recorded - opened,
        timer.elapsed() - recorded
    );
    if let Some(s) = &store {
        s.save_file_records(roots, &report.records);
    }
    drop(report);
    for p in &corpus.problems {
        eprintln!("dossier: warning: {}", term::clean(&p.to_string()));
    }
    if corpus.articles.is_empty() {
        eprintln!(
            "dossier: warning: the corpus ({}) holds no .txt or .md articles",
            roots
                .iter()
                .map(|r| term::path(r))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    // Looked up first, so that its alias automata are built while the extractions are read.
    let mut merged = MergePrefetch::after(
        ahead,
        store.as_deref(),
        &corpus.articles.iter().collect::<Vec<_>>(),
    );
    let bar = term::Progress::new("indexing");
    let (data, stats) = merged.extractions(
        corpus.articles,
        store.as_ref(),
        roots,
        Coverage::Complete,
        &|d, t| bar.update(d, t),
    );
    drop(bar);
    tracing::debug!("extraction: {stats:?}");
    let (kb, merge) = merged.finish(data, corpus.problems, store.as_deref());
    tracing::debug!("merge: {merge:?}");
    Ok(kb)
}

fn config_near(start: &Path) -> Result<Option<Config>, UsageError> {
    match corpus::find_config(start) {
        Some(p) => {
            let c = Config::load(&p).map_err(|e| UsageError(e.to_string()))?;
            for w in &c.warnings {
                eprintln!("dossier: warning: {}: {}", term::path(&p), term::clean(w));
            }
            Ok(Some(c))
        }
        None => Ok(None),
    }
}

pub(crate) fn corpus_roots(
    explicit: &[PathBuf],
    near: &Path,
) -> Result<(Vec<PathBuf>, LoadOptions, Index), UsageError> {
    if !explicit.is_empty() {
        return Ok((
            explicit.to_vec(),
            LoadOptions::default(),
            Index::of_roots(explicit),
        ));
    }
    // A bare file name has an empty parent: that is the working directory.
    let near = if near.as_os_str().is_empty() {
        Path::new(".")
    } else {
        near
    };
    match config_near(near)? {
        Some(c) => {
            let index = Index {
                workspace: c.path.parent().map(Path::to_path_buf).into_iter().collect(),
                cache: c.cache.clone(),
            };
            Ok((c.corpus.clone(), c.load_options(), index))
        }
        None => Err(UsageError(format!(
            "no corpus: pass --corpus DIR, or add a dossier.toml (corpus = [\"articles/\"]) in {} or a folder above it",
            term::path(&std::path::absolute(near).unwrap_or_else(|_| near.to_path_buf()))
        ))),
    }
}

/// What `dossier lsp` says when started by hand on a terminal (an editor starts it on pipes).
pub const LSP_HINT: &str = "dossier: this is the language server; it speaks the Language Server Protocol on \
standard input and output, for an editor to start (see the README's editor set-up). \
Press Ctrl-D or Ctrl-C to quit. To check notes from a shell, run `dossier check NOTE.md`.";

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Entities { corpus, format } => entities::entities(&corpus, format),
        Command::Dates {
            reference,
            format,
            file,
        } => entities::dates(reference.as_deref(), format, &file),
        Command::Check {
            corpus,
            format,
            disable,
            paths,
        } => check::check(&corpus, format, &disable, &paths),
        Command::Explain { corpus, at } => explain::explain(&corpus, &at),
        Command::Eval { set } => explain::eval(&set),
        Command::Lsp { .. } => {
            if std::io::stdin().is_terminal() {
                eprintln!("{LSP_HINT}");
            }
            crate::lsp::run_stdio();
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dossier: error: {}", term::clean(&e.0));
            ExitCode::from(2)
        }
    }
}

pub(crate) fn read_input(file: &Path) -> Result<String, UsageError> {
    let bytes = if file == Path::new("-") {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| UsageError(format!("cannot read standard input: {e}")))?;
        b
    } else {
        std::fs::read(file)
            .map_err(|e| UsageError(format!("cannot read {}: {e}", term::path(file))))?
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            eprintln!(
                "dossier: warning: {} is not valid UTF-8; decoding it lossily",
                term::path(file)
            );
            Ok(String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
    }
}

/// A path relative to the working directory when it lies below it (shorter, and clickable in terminals).
fn relative_to_cwd(p: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| p.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| p.to_path_buf())
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "info",
    }
}
