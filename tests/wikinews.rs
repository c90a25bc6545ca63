//! A second, real corpus the rules were not written for: three Wikinews articles (business and finance,
//! 2008–2013) must yield their people, agreements, organisations and dates by the same rules.

use dossier::corpus::{self, LoadOptions};
use dossier::extract::names::EntityKind;
use dossier::kb::KnowledgeBase;
use std::path::PathBuf;

fn kb() -> KnowledgeBase {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/wikinews/articles");
    let c = corpus::load(&[dir], &LoadOptions::default(), &|_, _| {}).unwrap();
    assert_eq!(c.articles.len(), 3);
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    KnowledgeBase::from_corpus(c, &|_, _| {})
}

fn entity<'a>(
    kb: &'a KnowledgeBase,
    kind: EntityKind,
    name: &str,
) -> Option<&'a dossier::kb::Entity> {
    kb.entities
        .iter()
        .find(|e| e.kind == kind && e.name == name)
        .map(|e| &**e)
}

#[test]
fn people_are_found_with_their_roles() {
    let kb = kb();
    let cases: &[(&str, Option<&str>)] = &[
        ("Mary Barra", Some("new chief executive")),
        ("Daniel Akerson", None),
        ("Theodore Solso", Some("director")),
        ("Daniel Ammann", Some("head of finance")),
        ("Henry Paulson", Some("US Treasury Secretary")),
        ("George W. Bush", Some("President")),
    ];
    for (name, role) in cases {
        let e = entity(&kb, EntityKind::Person, name).unwrap_or_else(|| panic!("{name} not found"));
        if let Some(role) = role {
            assert!(
                e.roles.iter().any(|r| r.text == *role),
                "{name}: {:?}",
                e.roles
            );
        }
    }
    // Surnames used alone resolve to the same person.
    let barra = entity(&kb, EntityKind::Person, "Mary Barra").unwrap();
    assert!(barra.aliases.contains(&"Barra".to_string()));
    assert!(barra.mentions.len() >= 3, "{:?}", barra.mentions.len());
}

#[test]
fn companies_indices_and_brands_are_not_people() {
    let kb = kb();
    for e in kb.entities.iter().filter(|e| e.kind == EntityKind::Person) {
        for word in [
            "General Motors",
            "Dow Jones",
            "FTSE",
            "Saturn",
            "Penske",
            "Treasury",
            "NASDAQ",
            "Kettering",
        ] {
            assert!(!e.name.contains(word), "{} taken for a person", e.name);
        }
    }
}

#[test]
fn agreements_and_organisations_with_acronyms() {
    let kb = kb();
    assert!(entity(&kb, EntityKind::Agreement, "Gold Reserve Act").is_some());
    let gm = entity(&kb, EntityKind::Organization, "General Motors Corporation").expect("GM");
    assert_eq!(gm.acronym.as_deref(), Some("GM"));
    let pag = entity(&kb, EntityKind::Organization, "Penske Automotive Group").expect("PAG");
    assert_eq!(pag.acronym.as_deref(), Some("PAG"));
}

#[test]
fn dates_resolve_against_the_publication_date_from_metadata() {
    let kb = kb();
    let a = kb
        .articles
        .iter()
        .find(|a| a.id().starts_with("1007169"))
        .unwrap();
    assert_eq!(
        a.article.meta.date.map(|d| d.to_string()).as_deref(),
        Some("2013-12-10")
    );
    let found: Vec<(String, String)> = a
        .dates
        .iter()
        .map(|d| {
            (
                a.text()[d.span.clone()].to_string(),
                d.value.map_or("-".into(), |v| v.to_iso()),
            )
        })
        .collect();
    for (text, value) in [
        ("today", "2013-12-10"),
        ("January 15", "2014-01-15"),
        ("November 2010", "2010-11"),
        ("2009", "2009"),
    ] {
        assert!(
            found.contains(&(text.to_string(), value.to_string())),
            "{text} → {value} not in {found:?}"
        );
    }
    // The date line under the headline is text, not metadata: the article's date comes from sources.toml.
    let akerson = entity(&kb, EntityKind::Person, "Daniel Akerson").unwrap();
    let dated: Vec<String> = kb
        .facts_of(akerson.id)
        .iter()
        .filter_map(|f| {
            f.date
                .as_ref()
                .map(|d| format!("{} {}", f.kind.as_str(), d.value.to_iso()))
        })
        .collect();
    assert!(dated.contains(&"appointed 2009".to_string()), "{dated:?}");
}
