//! Benchmarks at real scale: loading the reference base (time, peak memory) and the language server (time from
//! spawn to the first hover answer, hover and go-to-source latency, peak memory; on the warm start, the time
//! from one article edited on disk to a hover that shows the edit), on the seed corpus and on the
//! 14,322-document White House corpus.
//!
//! Beside them, the floor (`cat` and `rg` over the same files) and `dossier check` cold and warm.
//!
//! `cargo bench --bench scale` (defaults: the bundled seed corpus, plus `../shared/datasets/whitehouse/articles`
//! when present). `cargo bench --bench scale -- DIR…` benchmarks other corpora.

#[path = "../tests/support/client.rs"]
mod client;

use client::{Client, file_uri, peak_rss_kib, position_of, rss_kib};
use dossier::corpus::{self, LoadOptions};
use dossier::kb::KnowledgeBase;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn rss_self() -> u64 {
    peak_rss_kib(std::process::id()).unwrap_or(0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// In a child process (so peak memory is this corpus's alone): load, extract, merge.
fn load_child(dir: &Path) {
    let t = Instant::now();
    let c = corpus::load(&[dir.to_path_buf()], &LoadOptions::default(), &|_, _| {})
        .expect("corpus loads");
    let read = t.elapsed();
    let n = c.articles.len();
    let bytes: usize = c.articles.iter().map(|a| a.text.len()).sum();
    let t2 = Instant::now();
    let data = dossier::kb::extract_all(c.articles, &|_, _| {});
    let extract = t2.elapsed();
    let t3 = Instant::now();
    let kb = KnowledgeBase::build(data, c.problems);
    let build = t3.elapsed();
    println!(
        "load {}: {n} articles, {:.1} MB; read {:.0} ms, extract {:.0} ms, merge {:.0} ms, total {:.0} ms; {} entities, {} facts; peak RSS {:.0} MB",
        dir.display(),
        bytes as f64 / 1e6,
        ms(read),
        ms(extract),
        ms(build),
        ms(t.elapsed()),
        kb.entities.len(),
        kb.facts.len(),
        rss_self() as f64 / 1024.0
    );
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

/// An edit to make on disk while the server runs: in the article at `path`, the year `was` at byte `at`, of a
/// date of a fact on `name`'s hover card, becomes `now`.
struct Edit {
    path: PathBuf,
    at: usize,
    was: String,
    now: &'static str,
    name: String,
}

/// A note naming the corpus's most mentioned people and agreements, and quoting some of its sentences.
fn bench_note(dir: &Path) -> (String, Vec<String>, Vec<String>) {
    let c = corpus::load(&[dir.to_path_buf()], &LoadOptions::default(), &|_, _| {})
        .expect("corpus loads");
    let sample: Vec<_> = c.articles.into_iter().take(400).collect();
    let kb = KnowledgeBase::build(dossier::kb::extract_all(sample, &|_, _| {}), Vec::new());
    let mut ents: Vec<_> = kb
        .entities
        .iter()
        .filter(|e| !e.mentions.is_empty())
        .collect();
    ents.sort_by_key(|e| std::cmp::Reverse(e.mentions.len()));
    let names: Vec<String> = ents.iter().take(40).map(|e| e.name.clone()).collect();
    let quotes: Vec<String> = kb
        .articles
        .iter()
        .filter_map(|a| {
            a.sentences
                .get(2)
                .map(|s| a.text()[s.range.clone()].to_string())
        })
        .filter(|s| s.split_whitespace().count() >= 8 && !s.contains('"') && !s.contains('\n'))
        .map(|s| s.split_whitespace().take(8).collect::<Vec<_>>().join(" "))
        .take(20)
        .collect();
    let mut note = String::from("# Benchmark note\n\n");
    for n in &names {
        note.push_str(&format!("{n} was mentioned in the briefing.\n"));
    }
    for q in &quotes {
        note.push_str(&format!("They said “{q}” at the time.\n"));
    }
    (note, names, quotes)
}

/// A path from a `file://` URI (percent-escapes decoded).
fn uri_path(uri: &str) -> PathBuf {
    let raw = uri.strip_prefix("file://").unwrap_or(uri).as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    PathBuf::from(String::from_utf8_lossy(&out).into_owned())
}

/// An edit that changes what the server's hover card of one of `names` shows: the year of a date on a line its
/// card cites for a dated fact (the only date of that line with a figure) becomes 1901, earlier than the
/// corpus's other dates, so that the card lists it first.
fn find_edit(c: &mut Client, uri: &str, note: &str, names: &[String]) -> Option<Edit> {
    use dossier::extract::dates::{DateContext, find_dates};
    for name in names {
        let r = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": position_of(note, name, 0, "utf-16")}),
        );
        let card = r["contents"]["value"].as_str().unwrap_or_default();
        let Some((_, dates)) = card.split_once("**Dates**") else {
            continue;
        };
        for fact in dates
            .lines()
            .filter(|l| l.starts_with("- ") && !l.starts_with("- since"))
        {
            let Some((file, line)) = fact
                .rsplit_once("](")
                .and_then(|(_, l)| l.trim_end_matches(')').rsplit_once("#L"))
            else {
                continue;
            };
            let path = uri_path(file);
            let (Ok(line), Ok(text)) = (line.parse::<usize>(), std::fs::read_to_string(&path))
            else {
                continue;
            };
            let start: usize = text
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum();
            let Some(row) = text[start..].lines().next() else {
                continue;
            };
            let found: Vec<_> = find_dates(row, &DateContext { reference: None })
                .into_iter()
                .filter(|d| row[d.span.clone()].contains(char::is_numeric))
                .collect();
            // The year of the date, when it states one.
            let year = |d: &dossier::extract::dates::TemporalExpr| {
                let said = &row[d.span.clone()];
                (0..said.len().saturating_sub(3)).find(|&i| {
                    said.get(i..i + 4).is_some_and(|y| {
                        (y.starts_with("19") || y.starts_with("20"))
                            && y.chars().all(|c| c.is_ascii_digit())
                    }) && !said[..i].ends_with(|c: char| c.is_ascii_digit())
                        && !said[i + 4..].starts_with(|c: char| c.is_ascii_digit())
                })
            };
            if let [d] = found.as_slice()
                && let Some(y) = year(d)
            {
                let at = start + d.span.start + y;
                return Some(Edit {
                    path,
                    at,
                    was: text[at..at + 4].to_string(),
                    now: "1901",
                    name: name.clone(),
                });
            }
        }
    }
    None
}

/// Make `edit` on disk (a new file renamed over the article, as editors save) and time until a hover on its
/// name shows the new date; then until the server says "ready" a second time (the full merge after the patch).
/// Both in milliseconds from the write; `None` when not seen within a minute (or ten for the merge).
fn edit_bench(
    c: &mut Client,
    uri: &str,
    note: &str,
    ws: &Path,
    edit: &Edit,
) -> (Option<f64>, Option<f64>, Option<u64>) {
    let path = &edit.path;
    let text = std::fs::read_to_string(path).expect("read the article to edit");
    let edited = format!(
        "{}{}{}",
        &text[..edit.at],
        edit.now,
        &text[edit.at + edit.was.len()..]
    );
    let pos = position_of(note, &edit.name, 0, "utf-16");
    let hover = |c: &mut Client| {
        let r = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos}),
        );
        r["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    if hover(c).contains(edit.now) {
        return (None, None, None);
    }
    let tmp = ws.join("saving.tmp");
    std::fs::write(&tmp, edited).expect("write the edited article");
    let written = Instant::now();
    std::fs::rename(&tmp, path).expect("save the edited article");
    let mut seen = None;
    while written.elapsed() < Duration::from_secs(60) {
        if hover(c).contains(edit.now) {
            seen = Some(ms(written.elapsed()));
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    // The status after the merge (the one after the patch says it is merging).
    let timeout = std::mem::replace(&mut c.timeout, Duration::from_secs(600));
    c.wait_for("the merge after the edit", |m| {
        m["method"] == "dossier/status"
            && m["params"]["state"] == "ready"
            && !m["params"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("merging")
    });
    c.timeout = timeout;
    let merged = ms(written.elapsed());
    // What the server keeps once the merge is done, stored and settled (a few seconds at a low priority).
    std::thread::sleep(Duration::from_secs(5));
    (seen, Some(merged), rss_kib(c.pid()))
}

fn lsp_bench(bin: &Path, dir: &Path, ws: &Path, cache: &Path, start: &str, edit: bool) {
    let ws = ws.to_path_buf();
    let (note, names, quotes) = bench_note(dir);
    let _ = std::fs::create_dir_all(&ws);
    let abs = std::path::absolute(dir).expect("absolute corpus path");
    std::fs::write(
        ws.join("dossier.toml"),
        format!("corpus = [{:?}]\n", abs.display().to_string()),
    )
    .expect("write dossier.toml");
    let uri = file_uri(&ws.join("note.md"));
    let spawned = Instant::now();
    // `DOSSIER_BENCH_SERVER_LOG` is the server's `DOSSIER_LOG` (e.g. `dossier::lsp=info,dossier::kb=debug` for
    // what a refresh did and how long the patch took).
    let log = std::env::var_os("DOSSIER_BENCH_SERVER_LOG");
    let mut env: Vec<(&str, &std::ffi::OsStr)> =
        log.iter().map(|l| ("DOSSIER_LOG", l.as_os_str())).collect();
    // The index of this corpus's run only (the test client's shared cache folder would carry one corpus's
    // extractions into the next one's "cold" start: the workspace and corpus paths are the same).
    env.push(("DOSSIER_CACHE_DIR", cache.as_os_str()));
    let mut c = Client::spawn_with(bin, &ws, &env, std::process::Stdio::inherit());
    c.timeout = Duration::from_secs(600);
    c.initialize(&ws, &["utf-16"], json!({}));
    c.open(&uri, &note, 1);
    let first_pos = position_of(&note, &names[0], 0, "utf-16");
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": first_pos}),
    );
    let first_answer = spawned.elapsed();
    let first_had_card = !r.is_null();
    // Poll until a hover on one of the note's names shows a card: partial knowledge is published while a large
    // corpus loads. A name of the sample may have no card in the whole corpus, so every name is tried each round,
    // until one has a card or a round after the server said it is ready found none.
    let mut first_card = None;
    let positions: Vec<_> = names
        .iter()
        .map(|n| position_of(&note, n, 0, "utf-16"))
        .collect();
    let is_ready = |m: &serde_json::Value| {
        m["method"] == "dossier/status"
            && matches!(m["params"]["state"].as_str(), Some("ready" | "no-corpus"))
    };
    'poll: loop {
        let ready_before = c.has_come(is_ready);
        for pos in &positions {
            let r = c.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": pos}),
            );
            if !r.is_null() {
                first_card = Some(spawned.elapsed());
                break 'poll;
            }
        }
        if ready_before {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    c.wait_ready();
    let ready = spawned.elapsed();
    let mut hover = Vec::new();
    let mut slow_hover = Vec::new();
    for _ in 0..5 {
        for n in &names {
            let pos = position_of(&note, n, 0, "utf-16");
            let t = Instant::now();
            let _ = c.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": pos}),
            );
            hover.push(ms(t.elapsed()));
            slow_hover.push((ms(t.elapsed()), n.as_str()));
        }
    }
    let mut definition = Vec::new();
    let mut slow_definition = Vec::new();
    for _ in 0..3 {
        for q in quotes
            .iter()
            .map(|q| q.as_str())
            .chain(names.iter().map(|n| n.as_str()))
        {
            let pos = position_of(&note, q, 0, "utf-16");
            let t = Instant::now();
            let _ = c.request(
                "textDocument/definition",
                json!({"textDocument": {"uri": uri}, "position": pos}),
            );
            definition.push(ms(t.elapsed()));
            slow_definition.push((ms(t.elapsed()), q));
        }
    }
    // Re-checking a 1,000-line note after a keystroke: time from the edit to its diagnostics (this includes
    // the 150 ms debounce).
    let long_uri = file_uri(&ws.join("long.md"));
    let mut long = String::new();
    while long.lines().count() < 1000 {
        long.push_str(&note);
    }
    let long: String = long.lines().take(1000).collect::<Vec<_>>().join("\n") + "\n";
    c.open(&long_uri, &long, 1);
    let _ = c.diagnostics(&long_uri, 1);
    let mut recheck = Vec::new();
    let lines = long.lines().count();
    for v in 2..12 {
        let t = Instant::now();
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": long_uri, "version": v}, "contentChanges": [{"range": {"start": {"line": lines, "character": 0}, "end": {"line": lines, "character": 0}}, "text": "x"}]}),
        );
        let _ = c.diagnostics(&long_uri, v);
        recheck.push(ms(t.elapsed()));
    }
    // The peak before the edit below, whose background merge needs as much memory as a cold one; and what
    // the server holds once ready and quiet (a cold start's merge stored and settled by then).
    let rss_before_edit = peak_rss_kib(c.pid()).unwrap_or(0);
    std::thread::sleep(Duration::from_secs(5));
    let rss_quiet = rss_kib(c.pid()).unwrap_or(0);
    let change = if edit {
        find_edit(&mut c, &uri, &note, &names)
    } else {
        None
    };
    let edited = match change {
        Some(e) => {
            let (seen, merged, after) = edit_bench(&mut c, &uri, &note, &ws, &e);
            format!(
                "; one article edited on disk ({}: {:?} → {:?}, on {}'s card): hover shows it {} after the write, merged again {}, server RSS {} 5 s after that",
                e.path.strip_prefix(dir).unwrap_or(&e.path).display(),
                e.was,
                e.now,
                e.name,
                seen.map_or("not within a minute".to_string(), |t| format!("{t:.0} ms")),
                merged.map_or("—".to_string(), |t| format!("{t:.0} ms")),
                after.map_or("—".to_string(), |k| format!(
                    "{:.0} MB",
                    k as f64 / 1024.0
                )),
            )
        }
        None if edit => "; no date to edit found".to_string(),
        None => String::new(),
    };
    let rss = peak_rss_kib(c.pid()).unwrap_or(0);
    let _ = c.shutdown();
    println!(
        "lsp {} ({start}): first hover answer {:.0} ms after spawn ({}), corpus ready {:.0} ms, first card {:.0} ms; hover median {:.2} ms p99 {:.2} ms (n={}); go-to-source median {:.2} ms p99 {:.2} ms (n={}); 1,000-line note re-checked {:.0} ms after a keystroke (median, incl. 150 ms debounce); server peak RSS {:.0} MB ({:.0} MB before any edit), RSS {:.0} MB once quiet after the checks",
        dir.display(),
        ms(first_answer),
        if first_had_card {
            "with a card"
        } else {
            "empty: still indexing"
        },
        ms(ready),
        first_card.map_or(f64::NAN, ms),
        percentile(&mut hover.clone(), 0.5),
        percentile(&mut hover, 0.99),
        hover.len(),
        percentile(&mut definition.clone(), 0.5),
        percentile(&mut definition, 0.99),
        definition.len(),
        percentile(&mut recheck, 0.5),
        rss as f64 / 1024.0,
        rss_before_edit as f64 / 1024.0,
        rss_quiet as f64 / 1024.0
    );
    println!(
        "lsp {} ({start}): slowest hovers {}; slowest go-to-source {}",
        dir.display(),
        slowest(&mut slow_hover),
        slowest(&mut slow_definition)
    );
    if !edited.is_empty() {
        println!("lsp {} ({start}){edited}", dir.display());
    }
}

/// The three slowest of timed requests (ms, what was asked about), with the round each was in.
fn slowest(samples: &mut [(f64, &str)]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut rounds: Vec<usize> = Vec::with_capacity(samples.len());
    for (_, what) in samples.iter() {
        rounds.push(seen.iter().filter(|&&w| w == *what).count() + 1);
        seen.push(what);
    }
    let mut order: Vec<usize> = (0..samples.len()).collect();
    order.sort_by(|&a, &b| samples[b].0.total_cmp(&samples[a].0));
    order
        .iter()
        .take(3)
        .map(|&i| {
            format!(
                "{:.2} ms ({:?}, round {})",
                samples[i].0, samples[i].1, rounds[i]
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Wall time of a command, or `None` if it cannot run.
fn timed(cmd: &mut std::process::Command) -> Option<Duration> {
    let t = Instant::now();
    let ok = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?
        .success();
    ok.then(|| t.elapsed())
}

/// The floor: reading every file with `cat` and searching them with `rg`, beside `dossier check` cold (empty
/// index) and warm.
fn floor_and_check(bin: &Path, dir: &Path, cache: &Path) {
    let sh = |script: String| {
        let mut c = std::process::Command::new("sh");
        c.arg("-c").arg(script).arg("sh").arg(dir);
        c
    };
    let cat = timed(&mut sh(
        "find \"$1\" -type f -exec cat {} + > /dev/null".into()
    ));
    let rg = timed(&mut sh(
        "rg -c Washington \"$1\" > /dev/null; [ $? -le 1 ]".into()
    ))
    .filter(|_| timed(&mut sh("command -v rg".into())).is_some());
    let note = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/notes/example.md");
    let check = || {
        let mut c = std::process::Command::new(bin);
        c.args(["check", "--corpus"])
            .arg(dir)
            .arg(&note)
            .env("DOSSIER_CACHE_DIR", cache);
        // `check` exits 1 when it finds something: time it either way.
        let t = Instant::now();
        let _ = c
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        t.elapsed()
    };
    let _ = std::fs::remove_dir_all(cache);
    let cold = check();
    let warm = check();
    let show =
        |d: Option<Duration>| d.map_or("not available".to_string(), |d| format!("{:.0} ms", ms(d)));
    println!(
        "floor {}: cat {}, rg {}; dossier check cold {:.0} ms ({:.0}× cat), warm {:.0} ms ({:.0}× cat)",
        dir.display(),
        show(cat),
        show(rg),
        ms(cold),
        cat.map_or(f64::NAN, |c| cold.as_secs_f64() / c.as_secs_f64()),
        ms(warm),
        cat.map_or(f64::NAN, |c| warm.as_secs_f64() / c.as_secs_f64()),
    );
}

fn main() {
    dossier::alloc::configure();
    let all: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<String> = all
        .iter()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .collect();
    if let Some(dir) = std::env::var_os("DOSSIER_BENCH_LOAD_CHILD") {
        let _ = tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(tracing_subscriber::EnvFilter::from_env("DOSSIER_LOG"))
            .try_init();
        load_child(Path::new(&dir));
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // `cargo test --all-targets` runs this without `--bench`: a quick smoke run on the seed corpus only.
    if !all.iter().any(|a| a == "--bench") {
        load_child(&root.join("fixtures/corpus"));
        return;
    }
    let mut dirs: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    if dirs.is_empty() {
        dirs.push(root.join("fixtures/corpus"));
        let wh = root.join("../shared/datasets/whitehouse/articles");
        if wh.is_dir() {
            dirs.push(wh);
        } else {
            eprintln!(
                "(skipping the White House corpus: {} not found)",
                wh.display()
            );
        }
    }
    // `DOSSIER_BENCH_BIN=PATH`: measure another build of `dossier` (e.g. the last landing's) the same way.
    let bin = std::env::var_os("DOSSIER_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_dossier")));
    let me = std::env::current_exe().expect("own path");
    // `DOSSIER_BENCH_ONLY_LSP=1`: the language server alone (no in-process load, floor or `dossier check`).
    let only_lsp = std::env::var_os("DOSSIER_BENCH_ONLY_LSP").is_some();
    for d in &dirs {
        let tmp = std::env::temp_dir().join(format!("dossier-bench-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).expect("make the bench's temporary folder");
        if !only_lsp {
            let status = std::process::Command::new(&me)
                .env("DOSSIER_BENCH_LOAD_CHILD", d)
                .status()
                .expect("run load child");
            assert!(status.success());
            floor_and_check(&bin, d, &tmp.join("cache"));
        }
        // The server caches its index by workspace: the first start is cold, the second warm. It works on a
        // copy of the corpus, which the warm start edits.
        let ws = tmp.join("ws");
        let copy = tmp.join("corpus");
        let copied = std::process::Command::new("cp")
            .arg("-r")
            .arg(d)
            .arg(&copy)
            .status()
            .expect("run cp");
        assert!(copied.success(), "cannot copy {}", d.display());
        let cache = tmp.join("server-cache");
        lsp_bench(&bin, &copy, &ws, &cache, "cold: empty index", false);
        lsp_bench(
            &bin,
            &copy,
            &ws,
            &cache,
            "warm: index from the first start",
            true,
        );
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
