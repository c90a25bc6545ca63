//! The same rules on corpora they were not written for: the Wikinews dev corpus (automakers and markets,
//! 2006–2013) and a month of White House briefing-room documents (August 2022) must name companies, indices
//! and places as such, and never make a company, product, place or layout label a person.

use dossier::corpus::{self, LoadOptions};
use dossier::extract::names::EntityKind;
use dossier::kb::{Entity, KnowledgeBase};
use std::path::PathBuf;

fn kb(set: &str) -> KnowledgeBase {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/devset")
        .join(set)
        .join("corpus");
    let c = corpus::load(&[dir], &LoadOptions::default(), &|_, _| {}).unwrap();
    KnowledgeBase::from_corpus(c, &|_, _| {})
}

/// The entity a name (canonical or alias) refers to, when exactly one does.
fn named<'a>(kb: &'a KnowledgeBase, name: &str) -> Option<&'a Entity> {
    let hits: Vec<&Entity> = kb
        .entities
        .iter()
        .map(|e| &**e)
        .filter(|e| e.name == name || e.aliases.iter().any(|a| a == name))
        .collect();
    match hits.as_slice() {
        [one] => Some(one),
        _ => hits.iter().copied().find(|e| e.name == name),
    }
}

fn assert_kinds(kb: &KnowledgeBase, cases: &[(&str, &[EntityKind])]) {
    for (name, kinds) in cases {
        let e = named(kb, name).unwrap_or_else(|| panic!("no entity named {name}"));
        assert!(kinds.contains(&e.kind), "{name}: {:?} ({})", e.kind, e.name);
    }
}

fn assert_not_people(kb: &KnowledgeBase, names: &[&str]) {
    for e in kb.entities.iter().filter(|e| e.kind == EntityKind::Person) {
        for n in names {
            assert!(
                e.name != *n && !e.aliases.iter().any(|a| a == n),
                "{n} is a person: {e:?}"
            );
        }
        assert!(
            !e.name.starts_with("Q "),
            "speaker label as a person: {}",
            e.name
        );
        let first = e.name.split_whitespace().next().unwrap_or("");
        assert!(
            !["Executive", "Analyst", "Chairman", "President", "Secretary"].contains(&first),
            "title in a name: {}",
            e.name
        );
    }
}

#[test]
fn companies_indices_and_places_of_business_news_get_their_kinds() {
    use EntityKind::*;
    let kb = kb("wikinews");
    assert_kinds(
        &kb,
        &[
            ("General Motors", &[Organization]),
            ("GM", &[Organization]),
            ("Chrysler", &[Organization]),
            ("Ford", &[Organization]),
            ("Fiat", &[Organization]),
            ("Opel", &[Organization]),
            ("Dow Jones Industrial Average", &[Index, Organization]),
            ("Nikkei", &[Index, Organization]),
            ("Japan", &[Place]),
            ("Michigan", &[Place]),
            ("Senate", &[Organization]),
            ("Mary Barra", &[Person]),
            ("Robert Nardelli", &[Person]),
            ("Kirk Kerkorian", &[Person]),
        ],
    );
    assert_not_people(
        &kb,
        &[
            "Ford Explorer",
            "Hinsdale Associates",
            "Voluntary Organisations",
            "Jr.",
            "Chrysler",
            "Opel",
            "Japan",
            "Executive Robert Nardelli",
            "Analyst Rebecca Lindland",
        ],
    );
}

#[test]
fn the_same_rules_type_a_month_of_white_house_documents() {
    use EntityKind::*;
    let kb = kb("whitehouse");
    assert_kinds(
        &kb,
        &[
            ("Ukraine", &[Place]),
            ("Finland", &[Place]),
            ("Sweden", &[Place]),
            ("Senate", &[Organization]),
            ("Department of Veterans Affairs", &[Organization]),
            ("National Science Foundation", &[Organization]),
            ("Nancy Pelosi", &[Person]),
            ("Gina Raimondo", &[Person]),
        ],
    );
    assert_not_people(&kb, &["Ukraine", "Congress", "I’m", "Qualcomm"]);
    assert!(named(&kb, "I’m").is_none(), "a contraction as a name");
}
