//! Hover cards: who or what a name is, its roles, aliases, dated facts and the passages that say so — as
//! plain data, and rendered to Markdown with every piece of corpus text escaped.

use super::note::NoteIndex;
pub use super::passages::article_label;
use super::passages::{best_passage, excerpt};
use crate::kb::{ArticleIx, EntityId, KeyMatch, KnowledgeBase, Source};
use crate::text::ByteRange;

/// A source passage shown on a card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passage {
    pub source: Source,
    /// Article id and one-based line.
    pub article_id: String,
    /// The article as an analyst knows it: title (or first words) and date; see [`article_label`].
    pub article_label: String,
    pub line: usize,
    /// The passage, shortened.
    pub excerpt: String,
}

/// A dated fact shown on a card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardFact {
    pub date: String,
    pub what: String,
    pub article_id: String,
    pub article_label: String,
    pub line: usize,
    pub source: Source,
}

/// What a hover shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Card {
    Entity {
        id: EntityId,
        name: String,
        kind: &'static str,
        roles: Vec<(String, String)>,
        aliases: Vec<String>,
        facts: Vec<CardFact>,
        sources: usize,
        passages: Vec<Passage>,
    },
    /// A short name several entities share.
    Ambiguous {
        text: String,
        candidates: Vec<(EntityId, String, &'static str, Option<String>)>,
    },
    Article {
        ix: ArticleIx,
        id: String,
        title: Option<String>,
        date: Option<String>,
        url: Option<String>,
        passage: Option<Passage>,
    },
    UnknownKey {
        key: String,
        candidates: Vec<String>,
    },
    /// A date of the note: how the date check judged it (as `dossier explain` prints it).
    DateCheck { date: String, explanation: String },
}

/// A card and the range of the note it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: ByteRange,
    pub card: Card,
}

fn passage(kb: &KnowledgeBase, source: &Source) -> Passage {
    let a = kb.article(source.article);
    Passage {
        source: source.clone(),
        article_id: a.id().to_string(),
        article_label: article_label(a),
        line: a.line_of(source.range.start),
        excerpt: excerpt(&a.text()[source.range.clone()]),
    }
}

/// The card for an entity.
pub fn entity_card(kb: &KnowledgeBase, id: EntityId) -> Card {
    let e = &kb.entities[id];
    let roles = e
        .roles
        .iter()
        .map(|r| (r.text.clone(), article_label(kb.article(r.source.article))))
        .take(4)
        .collect();
    let facts: Vec<CardFact> = kb
        .facts_of(id)
        .into_iter()
        .filter_map(|f| {
            let d = f.date.as_ref()?;
            let a = kb.article(f.source.article);
            let others: Vec<&str> = f
                .entities
                .iter()
                .filter(|x| **x != id)
                .map(|x| kb.entities[*x].name.as_str())
                .collect();
            let mut what = f.kind.as_str().to_string();
            if d.since {
                what = format!("the first {} since then", f.kind.noun());
            }
            if !others.is_empty() {
                what = format!("{what} — {}", others.join(", "));
            }
            if let Some(p) = &f.place {
                what = format!("{what} ({p})");
            }
            Some(CardFact {
                date: if d.since {
                    format!("since {}", d.value.describe())
                } else {
                    d.value.describe()
                },
                what,
                article_id: a.id().to_string(),
                article_label: article_label(a),
                line: a.line_of(f.source.range.start),
                source: f.source.clone(),
            })
        })
        .take(5)
        .collect();
    // The most telling passages: the introduction, then dated facts, then other mentions' sentences.
    let mut sources: Vec<Source> = Vec::new();
    let push = |s: Source, sources: &mut Vec<Source>| {
        let a = kb.article(s.article);
        let sentence = a
            .sentence_at(s.range.start)
            .map_or(s.range.clone(), |x| x.range.clone());
        let s = Source {
            article: s.article,
            range: sentence,
        };
        if !sources.contains(&s) {
            sources.push(s);
        }
    };
    if let Some(intro) = &e.intro {
        push(intro.clone(), &mut sources);
    }
    for f in &facts {
        push(f.source.clone(), &mut sources);
    }
    for m in &e.mentions {
        if sources.len() >= 3 {
            break;
        }
        if !sources.iter().any(|s| s.article == m.article) {
            push(m.clone(), &mut sources);
        }
    }
    let passages = sources.iter().take(3).map(|s| passage(kb, s)).collect();
    Card::Entity {
        id,
        name: e.name.clone(),
        kind: e.kind.as_str(),
        roles,
        aliases: e.aliases.iter().take(8).cloned().collect(),
        facts,
        sources: kb.source_count(id),
        passages,
    }
}

/// Make the cards of the names and citations of a note quick to show: each distinct entity's and cited
/// article's card is made once, and dropped, so that what a card reads of the corpus (the lines and sentences
/// of its passages' articles, their texts) is read now, not at the first hover on it. Stops as soon as `stop`
/// says so; how many cards were made.
pub fn warm_cards(
    kb: &KnowledgeBase,
    note: &NoteIndex,
    text: &str,
    stop: &dyn Fn() -> bool,
) -> usize {
    let mut entities: Vec<EntityId> = note
        .mentions
        .iter()
        .filter_map(|m| match m.candidates.as_slice() {
            [id] => Some(*id),
            _ => None,
        })
        .collect();
    entities.sort_unstable();
    entities.dedup();
    let mut made = 0;
    for id in entities {
        if stop() {
            return made;
        }
        entity_card(kb, id);
        made += 1;
    }
    // A citation's card shows the passage that best matches the note's sentence: one per citation.
    for c in &note.citations {
        if stop() {
            return made;
        }
        if let KeyMatch::One(ix) = c.target {
            article_card(kb, ix, best_passage(kb, note, text, c));
            made += 1;
        }
    }
    made
}

/// The card for a cited article.
pub fn article_card(kb: &KnowledgeBase, ix: ArticleIx, best: Option<Source>) -> Card {
    let a = kb.article(ix);
    Card::Article {
        ix,
        id: a.id().to_string(),
        title: a.article.title.clone(),
        date: a.article.meta.date.map(|d| d.to_string()),
        url: a.article.meta.url.clone(),
        passage: best.map(|s| passage(kb, &s)),
    }
}

/// The hover at `offset` in a note: a citation, then a name.
pub fn hover(kb: &KnowledgeBase, note: &NoteIndex, text: &str, offset: usize) -> Option<Hover> {
    if let Some(c) = note.citation_at(offset) {
        let card = match &c.target {
            KeyMatch::One(ix) => article_card(kb, *ix, best_passage(kb, note, text, c)),
            KeyMatch::None => Card::UnknownKey {
                key: c.key.clone(),
                candidates: Vec::new(),
            },
            KeyMatch::Ambiguous(v) => Card::UnknownKey {
                key: c.key.clone(),
                candidates: v.iter().map(|i| kb.article(*i).id().to_string()).collect(),
            },
        };
        return Some(Hover {
            range: c.range.clone(),
            card,
        });
    }
    if let Some(d) = note
        .dates
        .iter()
        .find(|d| d.span.start <= offset && offset < d.span.end)
    {
        let explanation = super::explain::explain_date(kb, note, text, &d.span);
        if !explanation.is_empty() {
            return Some(Hover {
                range: d.span.clone(),
                card: Card::DateCheck {
                    date: text[d.span.clone()].to_string(),
                    explanation,
                },
            });
        }
    }
    let m = note.mention_at(offset)?;
    let card = match m.candidates.as_slice() {
        [id] => entity_card(kb, *id),
        ids => Card::Ambiguous {
            text: text[m.range.clone()].to_string(),
            candidates: ids
                .iter()
                .map(|id| {
                    let e = &kb.entities[*id];
                    (
                        *id,
                        e.name.clone(),
                        e.kind.as_str(),
                        e.roles.first().map(|r| r.text.clone()),
                    )
                })
                .collect(),
        },
    };
    Some(Hover {
        range: m.range.clone(),
        card,
    })
}

/// Escape text for Markdown so that corpus text cannot form links, images, HTML, emphasis, code, headings,
/// tables or autolinks (`command:`, `https:`, `www.`, `a@b`); line breaks become spaces.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '~' | ':' | '@' | '=' => {
                out.push('\\');
                out.push(c);
            }
            '.' if out.to_ascii_lowercase().ends_with("www") => out.push_str("\\."),
            c => out.push(c),
        }
    }
    out
}

/// Render a card as Markdown. `link(article, line)` gives the URI that opens an article at a one-based line.
pub fn render_markdown(card: &Card, link: &dyn Fn(ArticleIx, usize) -> String) -> String {
    let esc = escape_markdown;
    let mut md = String::new();
    let src_link = |p: &Passage| {
        format!(
            "[{}, line {}]({})",
            esc(&p.article_label),
            p.line,
            link(p.source.article, p.line)
        )
    };
    match card {
        Card::Entity {
            name,
            kind,
            roles,
            aliases,
            facts,
            sources,
            passages,
            ..
        } => {
            md.push_str(&format!("### {}\n", esc(name)));
            md.push_str(&format!(
                "*{kind}* · mentioned in {sources} source{}\n\n",
                if *sources == 1 { "" } else { "s" }
            ));
            if !roles.is_empty() {
                let r: Vec<String> = roles
                    .iter()
                    .map(|(r, s)| format!("{} ({})", esc(r), esc(s)))
                    .collect();
                md.push_str(&format!("**Roles:** {}  \n", r.join("; ")));
            }
            if !aliases.is_empty() {
                let a: Vec<String> = aliases.iter().map(|a| esc(a)).collect();
                md.push_str(&format!("**Also:** {}\n", a.join(", ")));
            }
            if !facts.is_empty() {
                md.push_str("\n**Dates**\n");
                for f in facts {
                    md.push_str(&format!(
                        "- {} — {} ({})\n",
                        esc(&f.date),
                        esc(&f.what),
                        format_args!(
                            "[{}, line {}]({})",
                            esc(&f.article_label),
                            f.line,
                            link(f.source.article, f.line)
                        )
                    ));
                }
            }
            if !passages.is_empty() {
                md.push_str("\n**Sources**\n");
                for p in passages {
                    md.push_str(&format!("> {} — {}\n>\n", esc(&p.excerpt), src_link(p)));
                }
                if md.ends_with(">\n") {
                    md.truncate(md.len() - 2);
                }
            }
        }
        Card::Ambiguous { text, candidates } => {
            md.push_str(&format!("**{}** may be:\n", esc(text)));
            for (_, name, kind, role) in candidates {
                match role {
                    Some(r) => md.push_str(&format!("- {} (*{kind}*, {})\n", esc(name), esc(r))),
                    None => md.push_str(&format!("- {} (*{kind}*)\n", esc(name))),
                }
            }
        }
        Card::Article {
            id,
            title,
            date,
            url,
            passage,
            ..
        } => {
            md.push_str(&format!("### {}\n", esc(title.as_deref().unwrap_or(id))));
            md.push_str(&format!("*article* `{}`", id.replace('`', "'")));
            if let Some(d) = date {
                md.push_str(&format!(" · {}", esc(d)));
            } else {
                md.push_str(" · date unknown");
            }
            md.push('\n');
            if let Some(u) = url {
                md.push_str(&format!("\n{}\n", esc(u)));
            }
            if let Some(p) = passage {
                md.push_str(&format!("\n> {} — {}\n", esc(&p.excerpt), src_link(p)));
            }
        }
        Card::DateCheck { date, explanation } => {
            md.push_str(&format!("**Date check: {}**\n\n", esc(date)));
            for line in explanation.lines() {
                md.push_str(&format!("{}  \n", esc(line.trim_start())));
            }
        }
        Card::UnknownKey { key, candidates } => {
            if candidates.is_empty() {
                md.push_str(&format!("No article matches `{}`", key.replace('`', "'")));
            } else {
                md.push_str(&format!(
                    "`{}` matches several articles:\n",
                    key.replace('`', "'")
                ));
                for c in candidates.iter().take(10) {
                    md.push_str(&format!("- {}\n", esc(c)));
                }
            }
        }
    }
    md.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{self, LoadOptions};
    use crate::kb::{Coverage, MergePrefetch, Store, extract_cached, merge_cached};
    use std::path::PathBuf;
    use std::sync::Arc;

    /// The seed corpus's knowledge base as a warm start reads it back from an index made in `dir`: every
    /// article's rows read from the index when first needed.
    fn warm_start(dir: &std::path::Path) -> KnowledgeBase {
        let roots = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus")];
        let load = || {
            corpus::load(&roots, &LoadOptions::default(), &|_, _| {})
                .expect("load")
                .articles
        };
        let store = Arc::new(Store::open(&dir.join("index.sqlite")).expect("index"));
        let (data, _) =
            extract_cached(load(), Some(&store), &roots, Coverage::Complete, &|_, _| {});
        let (_, stored) = merge_cached(data, Vec::new(), Some(&store));
        assert!(stored.saved || stored.loaded);
        let articles = load();
        let mut prefetch = MergePrefetch::new(Some(&store), &articles.iter().collect::<Vec<_>>());
        let (data, stats) = prefetch.extractions(
            articles,
            Some(&store),
            &roots,
            Coverage::Complete,
            &|_, _| {},
        );
        assert_eq!(stats.deferred, data.len());
        let (kb, merge) = prefetch.finish(data, Vec::new(), Some(&store));
        assert!(merge.loaded);
        kb
    }

    #[test]
    fn warming_a_notes_cards_reads_what_they_show_and_stops_when_asked() {
        // Declared before the knowledge bases, whose index lives in it, so that it is removed after them.
        let tmp = crate::corpus::test_support::TempDir::new("warm-cards");
        let dir = tmp.path();
        let note = "Secretary Blinken met President Ruto in New York [@002].\n";
        let decoded = |kb: &KnowledgeBase| {
            kb.articles
                .iter()
                .filter(|a| a.sentences.is_decoded())
                .count()
        };
        // Asked to stop at once: no card made, no row read.
        let kb = warm_start(dir);
        let index = NoteIndex::new(&kb, note);
        assert_eq!(warm_cards(&kb, &index, note, &|| true), 0);
        assert_eq!(decoded(&kb), 0);
        // A card for each entity named (Blinken, Ruto, and New York as a place) and for the citation, whose
        // passages' articles are read; the cards are the same as without warming.
        let mut names: Vec<usize> = index.mentions.iter().map(|m| m.range.start).collect();
        names.extend(index.citations.iter().map(|c| c.range.start));
        assert_eq!(names.len(), 4, "{:?}", index.mentions);
        let cold = warm_start(dir);
        let cold_index = NoteIndex::new(&cold, note);
        let want: Vec<Option<Hover>> = names
            .iter()
            .map(|&at| hover(&cold, &cold_index, note, at))
            .collect();
        assert!(want.iter().all(Option::is_some), "{want:?}");
        assert_eq!(warm_cards(&kb, &index, note, &|| false), 4);
        assert!(decoded(&kb) > 0);
        let read = decoded(&kb);
        for (at, want) in names.into_iter().zip(want) {
            assert_eq!(hover(&kb, &index, note, at), want, "{}", &note[at..]);
        }
        // The hovers read nothing more.
        assert_eq!(decoded(&kb), read);
    }

    #[test]
    fn corpus_text_cannot_inject_links_html_or_commands() {
        let evil =
            "[click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> **bold**";
        let e = escape_markdown(evil);
        assert!(!e.contains("](command"));
        assert!(!e.contains('<'));
        assert!(e.contains("\\[click\\]\\(command\\:"));
        assert!(e.contains("\\*\\*bold\\*\\*"));
        assert!(!escape_markdown("see www.example.com or a@b.org").contains("www.e"));
        assert_eq!(escape_markdown("Antony J. Blinken"), "Antony J. Blinken");
    }
}
