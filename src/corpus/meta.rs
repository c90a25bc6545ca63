//! Article metadata: YAML front matter, per-folder `sources.toml` overrides, metadata dates, and the
//! merge of both into an article's title, date and URL.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::ids::stem_of;
use super::read::{Lines, bom_len, decode, is_blank, read_bytes};
use super::{Article, ArticleMeta, LoadOptions, Pending, Problem, SOURCES_FILE};

/// Applies `sources.toml` metadata and sets the title.
pub(super) fn finish(pending: Pending, overrides: Option<&ArticleMeta>) -> Article {
    let mut article = pending.article;
    let mut meta = pending.front_matter;
    if let Some(o) = overrides {
        if o.title.is_some() {
            meta.title.clone_from(&o.title);
        }
        if o.date.is_some() {
            meta.date = o.date;
        }
        if o.url.is_some() {
            meta.url.clone_from(&o.url);
        }
    }
    article.meta = meta;
    (article.title, article.title_range) = match (&article.meta.title, pending.headline) {
        (Some(t), Some((h, r))) if same_title(t, &h) => (Some(t.clone()), Some(r)),
        (Some(t), _) => (Some(t.clone()), None),
        (None, Some((h, r))) => (Some(h), Some(r)),
        (None, None) => (None, None),
    };
    article
}

pub(super) fn same_title(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// Parses YAML front matter at the start of `text` (after an optional BOM).
///
/// Returns the metadata, the body range (after the closing `---`/`...` line;
/// the whole text after the BOM when there is no front matter), and a
/// human-readable problem when the front matter is unclosed, is not valid
/// YAML, or has values that cannot be used (the usable fields are still
/// returned). Keys are matched case-insensitively: `title`; `date`, else
/// `published`, else `published_time` (date part: `2024-10-29 23:59:00-04:00`
/// gives 2024-10-29; quoted or unquoted); `url`, else `source_url`.
pub fn parse_front_matter(text: &str) -> (ArticleMeta, Range<usize>, Option<String>) {
    let start = bom_len(text);
    let none = (ArticleMeta::default(), start..text.len(), None);
    let mut lines = Lines::new(text, start..text.len());
    match lines.next() {
        Some(first) if text[first.clone()].trim_end() == "---" => {}
        _ => return none,
    }
    let yaml_start = lines.pos;
    let mut close = None;
    for line in lines.by_ref() {
        let l = text[line.clone()].trim_end();
        if l == "---" || l == "..." {
            close = Some(line.start);
            break;
        }
    }
    let Some(yaml_end) = close else {
        return (
            ArticleMeta::default(),
            start..text.len(),
            Some("front matter opened with `---` is never closed; read as text".to_string()),
        );
    };
    let body = lines.pos..text.len();
    let yaml = &text[yaml_start..yaml_end];
    if is_blank(yaml) {
        return (ArticleMeta::default(), body, None);
    }
    if let Some(reason) = too_complex(yaml) {
        return (ArticleMeta::default(), body, Some(reason));
    }
    let value: serde_yaml_ng::Value = match serde_yaml_ng::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            return (
                ArticleMeta::default(),
                body,
                Some(format!(
                    "front matter is not valid YAML (line numbers count from the line after `---`); \
                     metadata ignored: {e}"
                )),
            );
        }
    };
    let serde_yaml_ng::Value::Mapping(map) = value else {
        return (
            ArticleMeta::default(),
            body,
            Some("front matter is not a YAML mapping of keys to values; ignored".to_string()),
        );
    };
    let mut fields: HashMap<String, &serde_yaml_ng::Value> = HashMap::new();
    for (k, v) in &map {
        if let Some(k) = yaml_scalar(k) {
            fields.entry(k.to_ascii_lowercase()).or_insert(v);
        }
    }
    let mut meta = ArticleMeta::default();
    let mut issues = Vec::new();
    if let Some(v) = fields.get("title") {
        match yaml_scalar(v) {
            Some(t) if !t.trim().is_empty() => meta.title = Some(t.trim().to_string()),
            Some(_) => {}
            None if matches!(v, serde_yaml_ng::Value::Null) => {}
            None => issues.push("`title` is not text; ignored".to_string()),
        }
    }
    for key in ["date", "published", "published_time"] {
        let Some(v) = fields.get(key) else { continue };
        match yaml_scalar(v) {
            None if matches!(v, serde_yaml_ng::Value::Null) => {}
            Some(s) if s.trim().is_empty() => {}
            Some(s) => match parse_date(&s) {
                Some(d) => {
                    if meta.date.is_none() {
                        meta.date = Some(d);
                    }
                }
                None => issues.push(format!("`{key}: {s}` is not a date; ignored")),
            },
            None => issues.push(format!("`{key}` is not a date; ignored")),
        }
    }
    for key in ["url", "source_url"] {
        if meta.url.is_none()
            && let Some(u) = fields.get(key).and_then(|v| yaml_scalar(v))
            && !u.trim().is_empty()
        {
            meta.url = Some(u.trim().to_string());
        }
    }
    let problem = (!issues.is_empty()).then(|| format!("front matter: {}", issues.join("; ")));
    (meta, body, problem)
}

/// Front matter larger than this is not parsed (real front matter is a few
/// hundred bytes; the YAML parser is slow on large hostile input).
pub const MAX_FRONT_MATTER: usize = 64 * 1024;
/// Front matter whose brackets or braces nest deeper than this is not
/// parsed (nested flow collections make the YAML parser quadratic).
pub const MAX_FRONT_MATTER_DEPTH: usize = 64;

/// Why front matter is refused before parsing, if it is: over
/// [`MAX_FRONT_MATTER`] bytes, or flow collections (`[`, `{`) nested deeper
/// than [`MAX_FRONT_MATTER_DEPTH`]. Brackets are counted without regard to
/// quoting, so the check is linear and cannot be fooled by an odd quote.
fn too_complex(yaml: &str) -> Option<String> {
    if yaml.len() > MAX_FRONT_MATTER {
        return Some(format!(
            "front matter is {} bytes, over the {} KiB limit; metadata ignored",
            yaml.len(),
            MAX_FRONT_MATTER / 1024
        ));
    }
    let mut depth = 0usize;
    for b in yaml.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FRONT_MATTER_DEPTH {
                    return Some(format!(
                        "front matter nests brackets deeper than {MAX_FRONT_MATTER_DEPTH} levels; \
                         metadata ignored"
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A YAML scalar as text (strings, numbers, booleans; tags unwrapped).
pub(super) fn yaml_scalar(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        serde_yaml_ng::Value::Tagged(t) => yaml_scalar(&t.value),
        _ => None,
    }
}

/// Parses a metadata date: ISO `2024-10-29`, or a timestamp starting with one
/// (`2024-10-29 23:59:00-04:00`, `2024-10-29T10:00:00Z`: the date part), or
/// `October 29, 2024`, `Oct 29, 2024`, `29 October 2024`, `2024/10/29`.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() >= 10 && s.is_char_boundary(10) {
        let (head, tail) = s.split_at(10);
        if (tail.is_empty() || tail.starts_with([' ', 'T', 't']))
            && let Ok(d) = head.parse::<Date>()
        {
            return Some(d);
        }
    }
    const FORMATS: &[&str] = &[
        "%B %d, %Y",
        "%b %d, %Y",
        "%A, %B %d, %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%Y/%m/%d",
    ];
    FORMATS.iter().find_map(|f| Date::strptime(f, s).ok())
}

/// Parses a `sources.toml`: tables keyed by article id (or file stem) with
/// `title`, `date` (`"2024-07-04"` or a TOML date) and `url`. Returns the
/// entries and human-readable problems (bad TOML, bad values, unknown keys).
pub fn parse_sources(text: &str) -> (BTreeMap<String, ArticleMeta>, Vec<String>) {
    let mut entries = BTreeMap::new();
    let mut problems = Vec::new();
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            problems.push(format!(
                "not valid TOML; ignored: {}",
                e.to_string().trim_end()
            ));
            return (entries, problems);
        }
    };
    for (key, value) in table {
        let toml::Value::Table(fields) = value else {
            problems.push(format!(
                "`{key}` should be a table (`[\"{key}\"]` with title, date, url); ignored"
            ));
            continue;
        };
        let mut meta = ArticleMeta::default();
        for (field, v) in fields {
            match (field.as_str(), &v) {
                ("title", toml::Value::String(s)) if !s.trim().is_empty() => {
                    meta.title = Some(s.trim().to_string());
                }
                ("url", toml::Value::String(s)) if !s.trim().is_empty() => {
                    meta.url = Some(s.trim().to_string());
                }
                ("date", _) => match toml_date(&v) {
                    Some(d) => meta.date = Some(d),
                    None => problems.push(format!(
                        "[\"{key}\"] date = {v} is not a date (write date = \"2024-07-04\"); ignored"
                    )),
                },
                ("title" | "url", _) => {
                    problems.push(format!("[\"{key}\"] {field} should be a non-empty string; ignored"));
                }
                _ => problems.push(format!("[\"{key}\"] unknown key `{field}`; ignored")),
            }
        }
        entries.insert(key, meta);
    }
    (entries, problems)
}

pub(super) fn toml_date(v: &toml::Value) -> Option<Date> {
    match v {
        toml::Value::String(s) => parse_date(s),
        toml::Value::Datetime(dt) => {
            let d = dt.date?;
            Date::new(
                i16::try_from(d.year).ok()?,
                i8::try_from(d.month).ok()?,
                i8::try_from(d.day).ok()?,
            )
            .ok()
        }
        _ => None,
    }
}

/// A parsed `sources.toml`.
#[derive(Debug, Default)]
pub(super) struct Sources {
    pub(super) file: PathBuf,
    pub(super) entries: BTreeMap<String, ArticleMeta>,
}

impl Sources {
    pub(super) fn lookup(&self, id: &str, stem: &str) -> Option<(&str, &ArticleMeta)> {
        self.entries
            .get_key_value(id)
            .or_else(|| self.entries.get_key_value(stem))
            .map(|(k, v)| (k.as_str(), v))
    }
}

/// Reads and parses one `sources.toml`; problems go to `problems`.
pub(super) fn read_sources(
    shown: &Path,
    real: &Path,
    opts: &LoadOptions,
    problems: &mut Vec<Problem>,
) -> Sources {
    let mut sources = Sources {
        file: shown.to_path_buf(),
        entries: BTreeMap::new(),
    };
    let text = match read_bytes(real, shown, opts.max_file_size)
        .and_then(|(b, _)| decode(b).map_err(|r| Problem::new(shown, r)))
    {
        Ok((text, _)) => text,
        Err(p) => {
            problems.push(p);
            return sources;
        }
    };
    let (entries, reasons) = parse_sources(&text);
    problems.extend(reasons.into_iter().map(|r| Problem::new(shown, r)));
    sources.entries = entries;
    sources
}

/// Applies the `sources.toml` of each article's folder, finishes the
/// articles, and reports entries that matched no article.
pub(super) fn apply_sources(
    pendings: Vec<Pending>,
    sources: &HashMap<PathBuf, Sources>,
    report_unused_for: &HashSet<PathBuf>,
    others: &[Article],
    problems: &mut Vec<Problem>,
) -> Vec<Article> {
    let mut used: HashSet<(PathBuf, String)> = HashSet::new();
    let parent = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut articles = Vec::with_capacity(pendings.len());
    for pending in pendings {
        let dir = parent(&pending.article.path);
        let overrides = sources.get(&dir).and_then(|s| {
            let stem = stem_of(&pending.article.path);
            s.lookup(&pending.article.id, &stem).map(|(key, meta)| {
                used.insert((dir.clone(), key.to_string()));
                meta
            })
        });
        articles.push(finish(pending, overrides));
    }
    for a in others {
        let dir = parent(&a.path);
        if let Some(s) = sources.get(&dir)
            && let Some((key, _)) = s.lookup(&a.id, &stem_of(&a.path))
        {
            used.insert((dir, key.to_string()));
        }
    }
    for (dir, s) in sources {
        if !report_unused_for.contains(dir) {
            continue;
        }
        for key in s.entries.keys() {
            if !used.contains(&(dir.clone(), key.clone())) {
                problems.push(Problem::new(
                    &s.file,
                    format!("[\"{key}\"] matches no article in this folder; ignored"),
                ));
            }
        }
    }
    articles
}

/// Reads the `sources.toml` of `dir` if there is one inside `canon_root`.
pub(super) fn sources_of_dir(
    dir: &Path,
    canon_root: &Path,
    opts: &LoadOptions,
    problems: &mut Vec<Problem>,
) -> Option<Sources> {
    let file = dir.join(SOURCES_FILE);
    let real = fs::canonicalize(&file).ok()?;
    if !real.starts_with(canon_root) || !real.is_file() {
        return None;
    }
    Some(read_sources(&file, &real, opts, problems))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::test_support::*;
    use crate::corpus::*;

    // -- front matter ---------------------------------------------------------

    #[test]
    fn front_matter_multiline_title_with_escapes() {
        // Verbatim shape of the White House front matter: a double-quoted
        // title folded over two lines, with `\_` (no-break space), `\u2019`,
        // an escaped line break and `\ ` (escaped space).
        let text = "---\ndate: '2022-05-22'\npublished_time: 2022-05-22 05:39:17-04:00\n\
                    source_url: https://example.gov/x/\ntags: speeches-remarks\n\
                    title: \"Remarks by President\\_Biden Before Air Force One Departure | Pyeongtaek, Republic\\\n  \\ of\\_Korea\"\n---\n \nOsan Air Base\n";
        let (meta, body, problem) = parse_front_matter(text);
        assert_eq!(problem, None);
        assert_eq!(
            meta.title.as_deref(),
            Some(
                "Remarks by President\u{a0}Biden Before Air Force One Departure | Pyeongtaek, Republic of\u{a0}Korea"
            )
        );
        assert_eq!(meta.date, Some(jiff::civil::date(2022, 5, 22)));
        assert_eq!(meta.url.as_deref(), Some("https://example.gov/x/"));
        assert_eq!(&text[body], " \nOsan Air Base\n");

        let text = "---\ntitle: \"Remarks by Vice President Harris After the Senate Vote on the Women\\u2019\\\n  s Health Protection\\_Act\"\n---\nBody\n";
        let (meta, _, problem) = parse_front_matter(text);
        assert_eq!(problem, None);
        assert_eq!(
            meta.title.as_deref(),
            Some(
                "Remarks by Vice President Harris After the Senate Vote on the Women\u{2019}s Health Protection\u{a0}Act"
            )
        );
    }

    #[test]
    fn whitehouse_fixtures_have_their_front_matter_decoded() {
        let root = fixtures("whitehouse");
        let corpus = load_dir(&root);
        assert!(corpus.problems.is_empty(), "{:?}", corpus.problems);
        let expect = [
            (
                "2024-11-29-remarks-by-president-biden-before-air-force-one-departure-joint-base-andrews-md-6",
                "Remarks by President\u{a0}Biden Before Air Force One Departure | Joint Base Andrews,\u{a0}MD",
                jiff::civil::date(2024, 11, 29),
                "https://bidenwhitehouse.archives.gov/briefing-room/speeches-remarks/2024/11/29/remarks-by-president-biden-before-air-force-one-departure-joint-base-andrews-md-6/",
            ),
            (
                "2022-05-11-remarks-by-vice-president-harris-after-the-senate-vote-on-the-womens-health-protection-act",
                "Remarks by Vice President Harris After the Senate Vote on the Women\u{2019}s Health Protection\u{a0}Act",
                jiff::civil::date(2022, 5, 11),
                "https://bidenwhitehouse.archives.gov/briefing-room/speeches-remarks/2022/05/11/remarks-by-vice-president-harris-after-the-senate-vote-on-the-womens-health-protection-act/",
            ),
            (
                "2022-05-22-remarks-by-president-biden-before-air-force-one-departure-pyeongtaek-republic-of-korea",
                "Remarks by President\u{a0}Biden Before Air Force One Departure | Pyeongtaek, Republic of\u{a0}Korea",
                jiff::civil::date(2022, 5, 22),
                "https://bidenwhitehouse.archives.gov/briefing-room/speeches-remarks/2022/05/22/remarks-by-president-biden-before-air-force-one-departure-pyeongtaek-republic-of-korea/",
            ),
        ];
        for (id, title, date, url) in expect {
            let a = corpus.get(id).unwrap_or_else(|| panic!("missing {id}"));
            assert_eq!(a.title.as_deref(), Some(title), "{id}");
            assert_eq!(a.meta.title.as_deref(), Some(title), "{id}");
            assert_eq!(a.meta.date, Some(date), "{id}");
            assert_eq!(a.meta.url.as_deref(), Some(url), "{id}");
            assert!(a.text.starts_with("---\ndate: '"), "{id}: full text kept");
            assert!(
                a.body_text().starts_with(" \n"),
                "{id}: body after front matter"
            );
            assert!(a.boilerplate.is_empty(), "{id}: no boilerplate");
        }
        let andrews = corpus.get(expect[0].0).expect("andrews");
        assert_eq!(andrews.path, root.join(WH_ANDREWS));
        assert!(corpus.by_path(&root.join(WH_HARRIS)).is_some());
        assert!(corpus.by_path(&root.join(WH_KOREA)).is_some());
    }

    #[test]
    fn front_matter_does_not_shift_offsets() {
        let dir = TempDir::new("offsets");
        let text = "---\ntitle: Ruto meets Blinken\ndate: 2024-09-25\n---\nPresident Ruto met Blinken in New York.\n";
        dir.write("a.md", text);
        let corpus = load_dir(dir.path());
        let a = corpus.get("a").expect("article a");
        assert_eq!(a.text, text, "the article keeps the full file text");
        let at = text.find("President").expect("body start");
        assert_eq!(a.body, at..text.len());
        assert_eq!(&a.text[a.body.clone()], &text[at..]);
        assert_eq!(a.title.as_deref(), Some("Ruto meets Blinken"));
        assert_eq!(a.title_range, None, "metadata title is not in the body");
        assert_eq!(a.meta.date, Some(jiff::civil::date(2024, 9, 25)));
        // Same for the standalone parser.
        let (_, body, _) = parse_front_matter(text);
        assert_eq!(body.start, at);
    }

    #[test]
    fn front_matter_dates_quoted_unquoted_and_timestamps() {
        let date = |yaml: &str| parse_front_matter(&format!("---\n{yaml}\n---\nx\n")).0.date;
        let d = Some(jiff::civil::date(2024, 10, 29));
        assert_eq!(date("date: '2024-10-29'"), d);
        assert_eq!(date("date: 2024-10-29"), d);
        assert_eq!(date("date: !!timestamp 2024-10-29"), d);
        assert_eq!(date("published_time: 2024-10-29 23:59:00-04:00"), d);
        assert_eq!(date("published: 2024-10-29T10:00:00Z"), d);
        assert_eq!(date("Date: October 29, 2024"), d);
        // `date` wins over `published_time`.
        assert_eq!(
            date("published_time: 2023-01-01 10:00:00-05:00\ndate: '2024-10-29'"),
            d
        );
        // A bad date is reported, and the next key is used.
        let (meta, _, problem) = parse_front_matter(
            "---\ndate: soon\npublished_time: 2024-10-29 23:59:00-04:00\n---\nx\n",
        );
        assert_eq!(meta.date, d);
        assert!(problem.expect("problem").contains("soon"));
    }

    #[test]
    fn bad_front_matter_is_reported_and_the_article_kept() {
        let dir = TempDir::new("badyaml");
        dir.write(
            "bad.md",
            "---\ntitle: \"unclosed\n---\nKenya and the US agreed.\n",
        );
        dir.write(
            "open.md",
            "---\ntitle: never closed\nKenya and the US agreed.\n",
        );
        dir.write("list.md", "---\n- a\n- b\n---\nKenya and the US agreed.\n");
        let corpus = load_dir(dir.path());
        assert_eq!(ids(&corpus), ["bad", "list", "open"]);
        let bad = corpus.get("bad").expect("bad");
        assert_eq!(bad.meta, ArticleMeta::default());
        assert!(bad.body_text().starts_with("Kenya"));
        assert!(
            problem_for(&corpus, "bad.md")
                .expect("yaml problem")
                .reason
                .contains("not valid YAML")
        );
        let open = corpus.get("open").expect("open");
        assert_eq!(open.body, 0..open.text.len());
        assert!(
            problem_for(&corpus, "open.md")
                .expect("unclosed")
                .reason
                .contains("never closed")
        );
        assert!(
            problem_for(&corpus, "list.md")
                .expect("not a mapping")
                .reason
                .contains("mapping")
        );
    }

    #[test]
    fn txt_files_have_no_front_matter() {
        let text = "---\ntitle: x\n---\nBody.\n";
        let a = Article::from_text("t", "t.txt", text);
        assert_eq!(a.body, 0..text.len());
        assert_eq!(a.meta, ArticleMeta::default());
        let m = Article::from_text("m", "m.md", text);
        assert_eq!(m.meta.title.as_deref(), Some("x"));
    }

    // -- sources.toml ---------------------------------------------------------

    #[test]
    fn sources_toml_overrides_front_matter() {
        let dir = TempDir::new("sources");
        dir.write(
            "news/001_f5c6b512ca1d2a60.md",
            "---\ntitle: From front matter\ndate: 2024-01-01\nurl: https://fm.example/\n---\nKenya and the US met.\n",
        );
        dir.write(
            "news/002.txt",
            "City Affairs\n\nRuto and Austin discuss Al-Shabaab in Washington\n\nText.\n",
        );
        dir.write("elsewhere/002.txt", "Other.\n");
        dir.write(
            "news/sources.toml",
            "[\"001_f5c6b512ca1d2a60\"]\ntitle = \"From sources\"\ndate = 2024-07-04\n\n\
             [\"news/002\"]\ndate = \"2024-07-05\"\nurl = \"https://eastleighvoice.example/a\"\n\n\
             [\"missing\"]\ntitle = \"Nobody\"\n\n[\"001_f5c6b512ca1d2a60x\"]\nauthor = \"A\"\n",
        );
        let corpus = load_dir(dir.path());
        let a = corpus.get("001_f5c6b512ca1d2a60").expect("001");
        assert_eq!(a.meta.title.as_deref(), Some("From sources"));
        assert_eq!(a.title.as_deref(), Some("From sources"));
        assert_eq!(a.meta.date, Some(jiff::civil::date(2024, 7, 4)));
        assert_eq!(
            a.meta.url.as_deref(),
            Some("https://fm.example/"),
            "field by field"
        );
        // Keyed by the (folder-qualified) id; applies to its own folder only.
        let b = corpus.get("news/002").expect("news/002");
        assert_eq!(b.meta.date, Some(jiff::civil::date(2024, 7, 5)));
        assert_eq!(
            b.title.as_deref(),
            Some("Ruto and Austin discuss Al-Shabaab in Washington")
        );
        assert!(b.title_range.is_some());
        assert_eq!(
            corpus.get("elsewhere/002").expect("other").meta,
            ArticleMeta::default()
        );
        let reasons: Vec<&str> = corpus
            .problems
            .iter()
            .filter(|p| p.path.ends_with("sources.toml"))
            .map(|p| p.reason.as_str())
            .collect();
        assert!(
            reasons
                .iter()
                .any(|r| r.contains("[\"missing\"] matches no article")),
            "{reasons:?}"
        );
        assert!(
            reasons.iter().any(|r| r.contains("unknown key `author`")),
            "{reasons:?}"
        );
        // read_article applies it too.
        let single = read_article(
            dir.path(),
            &dir.path().join("news/001_f5c6b512ca1d2a60.md"),
            &LoadOptions::default(),
        )
        .expect("read");
        assert_eq!(single.meta, a.meta);
    }

    #[test]
    fn bad_sources_toml_is_reported_not_fatal() {
        let dir = TempDir::new("badsources");
        dir.write("a.txt", "A.\n");
        dir.write("sources.toml", "[\"a\"\ntitle = 1\n");
        let corpus = load_dir(dir.path());
        assert_eq!(ids(&corpus), ["a"]);
        assert!(
            problem_for(&corpus, "sources.toml")
                .expect("reported")
                .reason
                .contains("not valid TOML")
        );
        let (entries, problems) = parse_sources("[\"a\"]\ntitle = 1\ndate = \"soon\"\n");
        assert_eq!(entries.get("a"), Some(&ArticleMeta::default()));
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn hostile_front_matter_is_refused_quickly() {
        // 100k nested `[` in a 200 KB file took 80-98 s to parse.
        let deep = format!(
            "---\ntitle: {}\n---\nBody.\n",
            "[".repeat(100_000) + &"]".repeat(100_000)
        );
        let started = std::time::Instant::now();
        let (meta, body, problem) = parse_front_matter(&deep);
        assert!(
            started.elapsed().as_secs_f64() < 0.5,
            "{:?}",
            started.elapsed()
        );
        assert_eq!(meta, ArticleMeta::default());
        assert_eq!(&deep[body], "Body.\n");
        assert!(problem.expect("problem").contains("over the 64 KiB limit"));

        // Small but deep: refused on depth.
        let nested = format!("---\ntitle: T\nx: {}\n---\nBody.\n", "[".repeat(1000));
        let (meta, _, problem) = parse_front_matter(&nested);
        assert_eq!(meta, ArticleMeta::default());
        assert!(problem.expect("problem").contains("deeper than 64 levels"));

        // Ordinary brackets and a moderate nesting still parse.
        let fine = "---\ntitle: \"A [draft] title\"\ntags: [[a, b], {c: [d]}]\n---\nBody.\n";
        let (meta, _, problem) = parse_front_matter(fine);
        assert_eq!(meta.title.as_deref(), Some("A [draft] title"));
        assert_eq!(problem, None);

        // Through a full load: the article is kept, with a caveat, fast.
        let dir = TempDir::new("deep-yaml");
        dir.write("deep.md", &deep);
        let started = std::time::Instant::now();
        let corpus = load_dir(dir.path());
        assert!(
            started.elapsed().as_secs_f64() < 2.0,
            "{:?}",
            started.elapsed()
        );
        assert_eq!(ids(&corpus), ["deep"]);
        assert!(problem_for(&corpus, "deep.md").is_some());
    }
}
