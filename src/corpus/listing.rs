//! A corpus's articles as a load found them, without their texts, in bytes to keep: what a start needs to
//! serve the last knowledge base before it has walked the corpus again (see `kb::store::last`).
//!
//! The bytes hold, for each article in order, everything [`super::Article`] holds but the text, and of the
//! text its length, digest and file identity, with the file to read it from; then the load's problems. They
//! are never trusted: a listing that does not decode whole, holds a range outside its text, or a path
//! outside the roots it is read against, is no listing. A text is read only when asked for, and checked
//! against its digest then, as a text a load trusted is ([`super::ArticleText`]): a file changed since reads
//! as blanks with a problem, never as another text.

use super::text::{ArticleText, FileIdentity, date_of, date_wire, narrow, wide};
use super::{Article, ArticleMeta, Problem};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Serialize, Deserialize)]
struct ArticleWire {
    id: String,
    path: Vec<u8>,
    /// The file the text is read from, when it is not `path` (a link's target).
    real: Option<Vec<u8>>,
    len: u64,
    digest: [u8; 16],
    identity: Option<FileIdentity>,
    body: Range<u64>,
    meta_title: Option<String>,
    date: Option<(i16, i8, i8)>,
    url: Option<String>,
    title: Option<String>,
    title_range: Option<Range<u64>>,
    boilerplate: Vec<Range<u64>>,
}

#[derive(Serialize, Deserialize)]
struct ListingWire {
    articles: Vec<ArticleWire>,
    problems: Vec<(Vec<u8>, String)>,
}

fn bytes_of(p: &Path) -> Vec<u8> {
    p.as_os_str().as_encoded_bytes().to_vec()
}

fn path_of(bytes: Vec<u8>) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The bytes of these articles (in order) and problems. A text read by the load (not trusted unread) is
/// read again from the article's path.
pub fn encode_listing(articles: &[&Article], problems: &[Problem]) -> Vec<u8> {
    let articles = articles
        .iter()
        .map(|a| {
            let real = a.text.file().filter(|r| *r != a.path);
            ArticleWire {
                id: a.id.clone(),
                path: bytes_of(&a.path),
                real: real.map(bytes_of),
                len: a.text.len() as u64,
                digest: a.text.digest(),
                identity: a.text.identity(),
                body: wide(&a.body),
                meta_title: a.meta.title.clone(),
                date: a.meta.date.map(date_wire),
                url: a.meta.url.clone(),
                title: a.title.clone(),
                title_range: a.title_range.as_ref().map(wide),
                boilerplate: a.boilerplate.iter().map(wide).collect(),
            }
        })
        .collect();
    let problems = problems
        .iter()
        .map(|p| (bytes_of(&p.path), p.reason.clone()))
        .collect();
    postcard::to_allocvec(&ListingWire { articles, problems }).unwrap_or_default()
}

/// The articles and problems of these bytes, their texts to be read (at most `max_file_size` bytes) when
/// asked for; `None` when the bytes are not a whole listing, or name a file outside `roots`.
pub fn decode_listing(
    bytes: &[u8],
    roots: &[PathBuf],
    max_file_size: u64,
) -> Option<(Vec<Article>, Vec<Problem>)> {
    let (w, rest) = postcard::take_from_bytes::<ListingWire>(bytes).ok()?;
    if !rest.is_empty() {
        return None;
    }
    // A text is read from the canonical file (a link's target), which lies under the canonical root.
    let canonical: Vec<PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::canonicalize(r).ok())
        .collect();
    let inside = |p: &Path| roots.iter().chain(&canonical).any(|r| p.starts_with(r));
    let articles = w
        .articles
        .into_iter()
        .map(|a| {
            let len = usize::try_from(a.len).ok()?;
            let path = path_of(a.path);
            let real = a.real.map_or_else(|| path.clone(), path_of);
            if !inside(&path) || !inside(&real) {
                return None;
            }
            let date = date_of(a.date)?;
            Some(Article {
                id: a.id,
                text: ArticleText::indexed(len, a.digest, a.identity, real, max_file_size),
                path,
                body: narrow(&a.body, len)?,
                meta: ArticleMeta {
                    title: a.meta_title,
                    date,
                    url: a.url,
                },
                title: a.title,
                title_range: match a.title_range {
                    Some(r) => Some(narrow(&r, len)?),
                    None => None,
                },
                boilerplate: a
                    .boilerplate
                    .iter()
                    .map(|r| narrow(r, len))
                    .collect::<Option<_>>()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let problems = w
        .problems
        .into_iter()
        .map(|(p, reason)| Problem {
            path: path_of(p),
            reason,
        })
        .collect();
    Some((articles, problems))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::test_support::TempDir;
    use crate::corpus::{LoadOptions, load, load_with};

    /// A corpus with front matter, a headline, a link inside the root and a file that is skipped.
    fn corpus() -> (TempDir, Vec<PathBuf>) {
        let dir = TempDir::new("listing");
        dir.write(
            "c/accord.md",
            "---\ntitle: The accord\ndate: 2024-03-02\nurl: https://example.org/a\n---\nThe Paris Agreement was signed in 2015.\n",
        );
        dir.write(
            "c/sub/ruto.txt",
            "Ruto calls Biden\n\nPresident William Ruto spoke with President Joe Biden on Wednesday.\n",
        );
        dir.write("c/empty.txt", "");
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            dir.path().join("c/sub/ruto.txt"),
            dir.path().join("c/link.txt"),
        )
        .expect("link");
        let roots = vec![dir.path().join("c")];
        (dir, roots)
    }

    /// The corpus of `roots` as a load finds it, and its listing.
    fn listed(roots: &[PathBuf]) -> (crate::corpus::Corpus, Vec<u8>) {
        let c = load(roots, &LoadOptions::default(), &|_, _| {}).expect("load");
        let refs: Vec<&Article> = c.articles.iter().collect();
        let bytes = encode_listing(&refs, &c.problems);
        (c, bytes)
    }

    #[test]
    fn a_listing_reads_back_as_the_articles_and_problems_it_was_made_of() {
        let (_dir, roots) = corpus();
        let (c, bytes) = listed(&roots);
        assert!(!c.problems.is_empty(), "the empty file is a problem");
        let (articles, problems) = decode_listing(&bytes, &roots, 1 << 20).expect("reads back");
        assert_eq!(articles, c.articles);
        assert_eq!(problems, c.problems);
        // Texts are read from their files when asked for, and are the ones listed.
        for (a, b) in articles.iter().zip(&c.articles) {
            assert!(!a.text.is_loaded());
            assert_eq!(a.text.as_str(), b.text.as_str());
            assert!(a.text.problem().is_none());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_listing_of_texts_trusted_under_a_root_reached_through_a_link_reads_back() {
        let (dir, _) = corpus();
        std::os::unix::fs::symlink(dir.path().join("c"), dir.path().join("alias")).expect("link");
        let roots = vec![dir.path().join("alias")];
        // Files recorded once they have settled are trusted unread by the next load: their texts are read
        // from the canonical files, outside the root as written.
        std::thread::sleep(crate::corpus::SETTLE + std::time::Duration::from_millis(100));
        let opts = LoadOptions::default();
        let (_, report) = load_with(&roots, &opts, &Default::default(), &|_, _| {}).expect("load");
        let known = report.records.into_iter().collect();
        let (c, report) = load_with(&roots, &opts, &known, &|_, _| {}).expect("load again");
        assert!(report.trusted > 0);
        let refs: Vec<&Article> = c.articles.iter().collect();
        assert!(
            refs.iter()
                .any(|a| a.text.file().is_some_and(|f| !f.starts_with(&roots[0])))
        );
        let bytes = encode_listing(&refs, &c.problems);
        let (articles, _) = decode_listing(&bytes, &roots, 1 << 20).expect("reads back");
        for (a, b) in articles.iter().zip(&c.articles) {
            assert_eq!(a.text.as_str(), b.text.as_str());
            assert!(a.text.problem().is_none());
        }
    }

    #[test]
    fn a_listed_text_changed_since_reads_as_blanks_with_a_problem() {
        let (dir, roots) = corpus();
        let (_, bytes) = listed(&roots);
        dir.write(
            "c/accord.md",
            "Another text altogether, of another length.\n",
        );
        let (articles, _) = decode_listing(&bytes, &roots, 1 << 20).expect("reads back");
        let accord = articles.iter().find(|a| a.id == "accord").expect("listed");
        assert_eq!(accord.text.trim(), "");
        assert!(accord.text.problem().is_some());
    }

    #[test]
    fn a_listing_that_is_damaged_or_names_a_file_outside_the_roots_is_no_listing() {
        let (dir, roots) = corpus();
        let (c, good) = listed(&roots);
        let mut long = good.clone();
        long.push(0);
        let mut past_the_end = c.articles[0].clone();
        past_the_end.body = 0..past_the_end.text.len() + 1;
        let past_the_end = encode_listing(&[&past_the_end], &[]);
        let other_root = vec![dir.path().join("elsewhere")];
        let cases: [(&str, &[u8], &[PathBuf]); 5] = [
            ("cut", &good[..good.len() / 2], &roots),
            ("trailing bytes", &long, &roots),
            ("junk", &[0xff, 0xff, 0xff], &roots),
            ("a range past its text", &past_the_end, &roots),
            ("files outside the roots", &good, &other_root),
        ];
        for (what, bytes, roots) in cases {
            assert!(decode_listing(bytes, roots, 1 << 20).is_none(), "{what}");
        }
    }
}
