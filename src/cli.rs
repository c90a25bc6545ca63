//! The command line: `dossier entities`, `dossier dates`, `dossier check` and `dossier lsp`.

use crate::analysis::diagnostics::{ALL_CODES, Severity};
use crate::analysis::{CheckOptions, Diagnostic, NoteIndex, diagnostics};
use crate::corpus::{self, Config, LoadOptions};
use crate::extract::dates::{DateContext, find_dates};
use crate::kb::{KnowledgeBase, entity_summary};
use crate::text::LineIndex;
use clap::{Parser, Subcommand, ValueEnum};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
}

/// A failure that ends a command with exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Load the corpus folders, reporting per-file problems on stderr.
pub fn load_kb(roots: &[PathBuf], opts: &LoadOptions) -> Result<KnowledgeBase, UsageError> {
    let corpus = corpus::load(roots, opts, &|_, _| {}).map_err(|e| UsageError(e.to_string()))?;
    for p in &corpus.problems {
        eprintln!("dossier: warning: {p}");
    }
    if corpus.articles.is_empty() {
        eprintln!(
            "dossier: warning: the corpus ({}) holds no .txt or .md articles",
            roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(KnowledgeBase::from_corpus(corpus, &|_, _| {}))
}

fn config_near(start: &Path) -> Result<Option<Config>, UsageError> {
    match corpus::find_config(start) {
        Some(p) => {
            let c = Config::load(&p).map_err(|e| UsageError(e.to_string()))?;
            for w in &c.warnings {
                eprintln!("dossier: warning: {}: {w}", p.display());
            }
            Ok(Some(c))
        }
        None => Ok(None),
    }
}

fn corpus_roots(
    explicit: &[PathBuf],
    near: &Path,
) -> Result<(Vec<PathBuf>, LoadOptions), UsageError> {
    if !explicit.is_empty() {
        return Ok((explicit.to_vec(), LoadOptions::default()));
    }
    match config_near(near)? {
        Some(c) => Ok((c.corpus.clone(), c.load_options())),
        None => Err(UsageError(format!(
            "no corpus: pass --corpus DIR, or add a dossier.toml (corpus = [\"articles/\"]) in {} or a folder above it",
            near.display()
        ))),
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Entities { corpus, format } => entities(&corpus, format),
        Command::Dates {
            reference,
            format,
            file,
        } => dates(reference.as_deref(), format, &file),
        Command::Check {
            corpus,
            format,
            disable,
            paths,
        } => check(&corpus, format, &disable, &paths),
        Command::Lsp { .. } => {
            crate::lsp::run_stdio();
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dossier: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn entities(corpus: &[PathBuf], format: Format) -> Result<ExitCode, UsageError> {
    let cwd = std::env::current_dir().map_err(|e| UsageError(e.to_string()))?;
    let (roots, opts) = corpus_roots(corpus, &cwd)?;
    let kb = load_kb(&roots, &opts)?;
    let mut order: Vec<usize> = (0..kb.entities.len()).collect();
    order.sort_by_key(|&i| {
        (
            kb.entities[i].kind,
            std::cmp::Reverse(kb.entities[i].mentions.len()),
            kb.entities[i].name.clone(),
        )
    });
    let summaries: Vec<serde_json::Value> = order.iter().map(|&i| entity_summary(&kb, i)).collect();
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&summaries).unwrap_or_default()
            );
        }
        Format::Text => {
            for s in &summaries {
                let _ = writeln!(
                    out,
                    "{} ({}) — {} mentions in {} sources",
                    s["name"].as_str().unwrap_or(""),
                    s["kind"].as_str().unwrap_or(""),
                    s["mentions"],
                    s["sources"]
                );
                if let Some(a) = s["aliases"].as_array().filter(|a| !a.is_empty()) {
                    let a: Vec<&str> = a.iter().filter_map(|x| x.as_str()).collect();
                    let _ = writeln!(out, "  aliases: {}", a.join(", "));
                }
                for r in s["roles"].as_array().into_iter().flatten() {
                    let _ = writeln!(
                        out,
                        "  role: {} [{}:{}]",
                        r["role"].as_str().unwrap_or(""),
                        r["source"].as_str().unwrap_or(""),
                        r["line"]
                    );
                }
                for f in s["facts"].as_array().into_iter().flatten() {
                    let with: Vec<&str> = f["with"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|x| x.as_str())
                        .collect();
                    let mut when = f["when"].as_str().unwrap_or("?").to_string();
                    if f["since"] == true {
                        when = format!("since {when}");
                    }
                    let _ = writeln!(
                        out,
                        "  {} {}{}{} [{}:{}]",
                        when,
                        f["event"].as_str().unwrap_or(""),
                        if with.is_empty() {
                            String::new()
                        } else {
                            format!(" with {}", with.join(", "))
                        },
                        f["place"]
                            .as_str()
                            .map_or(String::new(), |p| format!(" in {p}")),
                        f["source"].as_str().unwrap_or(""),
                        f["line"]
                    );
                }
            }
            let _ = writeln!(
                out,
                "{} entities from {} articles",
                summaries.len(),
                kb.articles.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_input(file: &Path) -> Result<String, UsageError> {
    let bytes = if file == Path::new("-") {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| UsageError(format!("cannot read standard input: {e}")))?;
        b
    } else {
        std::fs::read(file)
            .map_err(|e| UsageError(format!("cannot read {}: {e}", file.display())))?
    };
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            eprintln!(
                "dossier: warning: {} is not valid UTF-8; decoding it lossily",
                file.display()
            );
            Ok(String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
    }
}

fn dates(reference: Option<&str>, format: Format, file: &Path) -> Result<ExitCode, UsageError> {
    let text = read_input(file)?;
    let (meta, body, _) = corpus::parse_front_matter(&text);
    let reference = match reference {
        Some(r) => Some(
            r.parse::<jiff::civil::Date>()
                .map_err(|e| UsageError(format!("--ref {r}: not a YYYY-MM-DD date ({e})")))?,
        ),
        None => meta.date,
    };
    let found: Vec<_> = find_dates(&text[body.clone()], &DateContext { reference })
        .into_iter()
        .map(|mut d| {
            d.span = d.span.start + body.start..d.span.end + body.start;
            d
        })
        .collect();
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = found
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "start": d.span.start,
                        "end": d.span.end,
                        "text": &text[d.span.clone()],
                        "value": d.value.map(|v| v.to_iso()),
                        "kind": format!("{:?}", d.kind),
                    })
                })
                .collect();
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        Format::Text => {
            for d in &found {
                let _ = writeln!(
                    out,
                    "{}..{}\t{}\t{}",
                    d.span.start,
                    d.span.end,
                    d.value.map_or("-".to_string(), |v| v.to_iso()),
                    &text[d.span.clone()]
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Notes named on the command line, folders walked for .md and .txt files.
fn collect_notes(paths: &[PathBuf]) -> Result<Vec<PathBuf>, UsageError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                let entries = std::fs::read_dir(&dir)
                    .map_err(|e| UsageError(format!("cannot read {}: {e}", dir.display())))?;
                let mut entries: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                entries.sort();
                for e in entries {
                    let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if name.starts_with('.') || name == "node_modules" || name == "target" {
                        continue;
                    }
                    if e.is_dir() {
                        stack.push(e);
                    } else if matches!(e.extension().and_then(|x| x.to_str()), Some("md" | "txt")) {
                        out.push(e);
                    }
                }
            }
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(UsageError(format!(
                "{}: no such file or folder",
                p.display()
            )));
        }
    }
    Ok(out)
}

fn check(
    corpus: &[PathBuf],
    format: CheckFormat,
    disable: &[String],
    paths: &[PathBuf],
) -> Result<ExitCode, UsageError> {
    for d in disable {
        if !ALL_CODES.contains(&d.as_str()) {
            return Err(UsageError(format!(
                "--disable {d}: unknown check (known: {})",
                ALL_CODES.join(", ")
            )));
        }
    }
    let opts = CheckOptions {
        disabled: disable.iter().cloned().collect(),
    };
    let notes = collect_notes(paths)?;
    // Group notes by the corpus that checks them, and load each corpus once.
    let mut groups: BTreeMap<Vec<PathBuf>, (LoadOptions, Vec<PathBuf>)> = BTreeMap::new();
    for n in notes {
        let (roots, lo) = corpus_roots(corpus, n.parent().unwrap_or(Path::new(".")))?;
        groups
            .entry(roots)
            .or_insert_with(|| (lo, Vec::new()))
            .1
            .push(n);
    }
    let color = format == CheckFormat::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let mut worst = ExitCode::SUCCESS;
    let mut json_rows = Vec::new();
    let mut counts = (0usize, 0usize, 0usize);
    for (roots, (lo, notes)) in groups {
        let kb = load_kb(&roots, &lo)?;
        for path in notes {
            let text = read_input(&path)?;
            let note = NoteIndex::new(&kb, &text);
            let diags = diagnostics(&kb, &note, &text, &opts);
            for d in &diags {
                match d.severity {
                    Severity::Error | Severity::Warning => {
                        counts.0 += 1;
                        worst = ExitCode::from(1);
                    }
                    Severity::Information => counts.1 += 1,
                }
                match format {
                    CheckFormat::Json => {
                        json_rows.push(diagnostic_json(&kb, &path, &text, &note.lines, d))
                    }
                    CheckFormat::Human => print_human(&kb, &path, &text, &note.lines, d, color),
                }
            }
            counts.2 += 1;
        }
    }
    match format {
        CheckFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json_rows).unwrap_or_default()
        ),
        CheckFormat::Human => eprintln!(
            "dossier: {} note{} checked: {} warning{}, {} note{} for information",
            counts.2,
            if counts.2 == 1 { "" } else { "s" },
            counts.0,
            if counts.0 == 1 { "" } else { "s" },
            counts.1,
            if counts.1 == 1 { "" } else { "s" },
        ),
    }
    Ok(worst)
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

fn diagnostic_json(
    kb: &KnowledgeBase,
    path: &Path,
    text: &str,
    lines: &LineIndex,
    d: &Diagnostic,
) -> serde_json::Value {
    let pos = |o: usize| {
        let p = lines.position(text, o, crate::text::PositionEncoding::Utf32);
        serde_json::json!({ "line": p.line + 1, "column": p.character + 1, "offset": o })
    };
    serde_json::json!({
        "path": path.display().to_string(),
        "severity": severity_name(d.severity),
        "code": d.code,
        "message": d.message,
        "start": pos(d.range.start),
        "end": pos(d.range.end),
        "text": &text[d.range.clone()],
        "related": d.related.iter().map(|r| {
            let a = kb.article(r.source.article);
            serde_json::json!({
                "article": a.id(),
                "path": a.article.path.display().to_string(),
                "line": a.line_of(r.source.range.start),
                "start": r.source.range.start,
                "end": r.source.range.end,
                "message": r.message,
            })
        }).collect::<Vec<_>>(),
        "fixes": d.fixes.iter().map(|f| serde_json::json!({
            "title": f.title,
            "edits": f.edits.iter().map(|(r, t)| serde_json::json!({"start": r.start, "end": r.end, "text": t})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn print_human(
    kb: &KnowledgeBase,
    path: &Path,
    text: &str,
    lines: &LineIndex,
    d: &Diagnostic,
    color: bool,
) {
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let pos = lines.position(text, d.range.start, crate::text::PositionEncoding::Utf32);
    let sev = severity_name(d.severity);
    let sev_col = match d.severity {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Information => "1;36",
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{}:{}:{}: {}: {}",
        path.display(),
        pos.line + 1,
        pos.character + 1,
        paint(sev_col, &format!("{sev}[{}]", d.code)),
        d.message
    );
    // The note line with the range underlined.
    if let Some(lr) = lines.line_range(text, pos.line as usize) {
        let line = &text[lr.clone()];
        let lead = text[lr.start..d.range.start.max(lr.start)].chars().count();
        let width = text[d.range.start..d.range.end.min(lr.end).max(d.range.start)]
            .chars()
            .count()
            .max(1);
        let gutter = format!("{}", pos.line + 1);
        let _ = writeln!(out, "{} | {line}", paint("1;34", &gutter));
        let _ = writeln!(
            out,
            "{} | {}{}",
            " ".repeat(gutter.len()),
            " ".repeat(lead),
            paint(sev_col, &"^".repeat(width))
        );
    }
    for r in d.related.iter().take(3) {
        let a = kb.article(r.source.article);
        let line_no = a.line_of(r.source.range.start);
        // The sentence that says it, not the whole line (a scraped article may hold a paragraph per line).
        let sentence = a
            .sentence_at(r.source.range.start)
            .map_or(r.source.range.clone(), |s| s.range.clone());
        let passage = crate::analysis::hover::excerpt(&a.text()[sentence]);
        let _ = writeln!(
            out,
            "  {} {}:{}: {}",
            paint("1;32", "source"),
            relative_to_cwd(&a.article.path).display(),
            line_no,
            passage
        );
    }
    if let Some(f) = d.fixes.iter().find(|f| f.preferred) {
        let _ = writeln!(out, "  {} {}", paint("1;32", "fix:"), f.title);
    }
}
