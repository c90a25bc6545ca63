//! The patch at scale, measured by hand (ignored by default): the White House corpus (or `DOSSIER_PATCH_CORPUS`)
//! loaded through an index of its own, one article's date edited, and the time of each part of
//! [`KnowledgeBase::patched`] printed beside the full merge it stands in for.
//!
//! `cargo test --release --test patch_scale -- --ignored --nocapture` (the first run fills the index, about two
//! minutes; later ones read it back).

use dossier::corpus::{self, Article, ArticleText, LoadOptions};
use dossier::kb::{ArticleData, Coverage, KnowledgeBase, Store, extract_cached, merge_cached};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
#[ignore = "minutes on the White House corpus; run by hand"]
fn one_edited_date_patches_the_white_house_knowledge_base_in_well_under_200_ms() {
    let dir = std::env::var_os("DOSSIER_PATCH_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/whitehouse/articles"),
        PathBuf::from,
    );
    let roots = vec![dir.clone()];
    let c = corpus::load(&roots, &LoadOptions::default(), &|_, _| {}).expect("corpus");
    let store = Store::open_or_warn(
        &PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("patch-scale-index.sqlite"),
    );
    let t = Instant::now();
    let (data, _) = extract_cached(
        c.articles,
        store.as_ref(),
        &roots,
        Coverage::Complete,
        &|_, _| {},
    );
    let (kb, merge) = merge_cached(data.clone(), c.problems.clone(), store.as_ref());
    println!(
        "loaded {} articles, {} entities, {} facts in {:?} ({merge:?})",
        kb.articles.len(),
        kb.entities.len(),
        kb.facts.len(),
        t.elapsed()
    );
    // An article with a dated fact whose date names a year: that year becomes 1901.
    let dated: Vec<(usize, usize)> = kb
        .facts
        .iter()
        .filter_map(|f| {
            let d = f.date.as_ref()?;
            let text = kb.articles[f.source.article].text();
            let said = &text[d.range.clone()];
            let y = said.find("20")?;
            (said[y..].len() >= 4 && said[y..y + 4].chars().all(|c| c.is_ascii_digit()))
                .then(|| (f.source.article, d.range.start + y))
        })
        .collect();
    let (ai, year_at) = dated[dated.len() / 3];
    let old = &kb.articles[ai];
    let text = format!(
        "{}1901{}",
        &old.text()[..year_at],
        &old.text()[year_at + 4..]
    );
    let edited = Arc::new(ArticleData::extract(Article {
        text: ArticleText::new(text),
        ..old.article.clone()
    }));
    let mut next = kb.articles.clone();
    next[ai] = edited;

    let mut copy_entities = Vec::new();
    let mut copy_mentions = Vec::new();
    let mut copy_facts = Vec::new();
    let mut patch = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let e = kb.entities.clone();
        copy_entities.push(t.elapsed());
        drop(e);
        let t = Instant::now();
        let m = kb.article_mentions.clone();
        copy_mentions.push(t.elapsed());
        drop(m);
        let t = Instant::now();
        let f = kb.facts.clone();
        copy_facts.push(t.elapsed());
        drop(f);
        let t = Instant::now();
        let p = kb
            .patched(next.clone(), c.problems.clone())
            .expect("patched");
        patch.push(t.elapsed());
        assert!(
            p.facts.iter().any(|f| f.source.article == ai
                && f.date
                    .as_ref()
                    .is_some_and(|d| d.value.to_iso().starts_with("1901"))),
            "the edited date is a fact of the patch"
        );
        drop(p);
    }
    let t = Instant::now();
    let full = KnowledgeBase::build(next, c.problems);
    let merge = t.elapsed();
    println!(
        "article {} edited: patch median {:?} (copies: entities {:?}, mentions {:?}, facts {:?}); full merge {:?} ({} entities)",
        kb.articles[ai].id(),
        median(patch.clone()),
        median(copy_entities),
        median(copy_mentions),
        median(copy_facts),
        merge,
        full.entities.len()
    );
    assert!(median(patch) < Duration::from_millis(200));
}
