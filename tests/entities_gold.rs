//! The reference base of the seed corpus against a gold file: every person and agreement exactly once, with
//! the aliases, roles and dated facts the articles give, and no place or organisation taken for a person.

use dossier::corpus::{self, LoadOptions};
use dossier::extract::names::EntityKind;
use dossier::kb::{EntityId, KnowledgeBase};
use serde_json::Value;
use std::path::PathBuf;

fn fixture(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(p)
}

fn seed_kb() -> KnowledgeBase {
    let c = corpus::load(&[fixture("corpus")], &LoadOptions::default(), &|_, _| {})
        .expect("seed corpus loads");
    assert_eq!(c.articles.len(), 5);
    KnowledgeBase::from_corpus(c, &|_, _| {})
}

fn gold() -> Value {
    serde_json::from_str(include_str!("../fixtures/gold/seed_entities.json"))
        .expect("gold file parses")
}

fn kind_of(s: &str) -> EntityKind {
    match s {
        "person" => EntityKind::Person,
        "agreement" => EntityKind::Agreement,
        _ => EntityKind::Organization,
    }
}

/// Entities of a kind that go by `name`, as canonical name or alias.
fn named(kb: &KnowledgeBase, kind: EntityKind, name: &str) -> Vec<EntityId> {
    kb.entities
        .iter()
        .filter(|e| e.kind == kind && (e.name == name || e.aliases.iter().any(|a| a == name)))
        .map(|e| e.id)
        .collect()
}

#[test]
fn each_gold_entity_is_listed_exactly_once_with_its_aliases_and_roles() {
    let kb = seed_kb();
    let mut failures = Vec::new();
    for g in gold()["entities"].as_array().unwrap() {
        let kind = kind_of(g["kind"].as_str().unwrap());
        let name = g["name"].as_str().unwrap();
        let ids = named(&kb, kind, name);
        let [id] = ids.as_slice() else {
            failures.push(format!("{name}: found {} times", ids.len()));
            continue;
        };
        let e = &kb.entities[*id];
        for a in g["aliases"].as_array().unwrap() {
            let a = a.as_str().unwrap();
            if e.name != a && !e.aliases.iter().any(|x| x == a) {
                failures.push(format!("{name}: alias {a:?} missing (has {:?})", e.aliases));
            }
            if named(&kb, kind, a) != [*id] {
                failures.push(format!("{name}: alias {a:?} also names another entity"));
            }
        }
        for r in g["roles"].as_array().unwrap() {
            let (role, article) = (r[0].as_str().unwrap(), r[1].as_str().unwrap());
            let ok = e
                .roles
                .iter()
                .any(|x| x.text == role && kb.article(x.source.article).id().starts_with(article));
            if !ok {
                failures.push(format!(
                    "{name}: role {role:?} from {article} missing (has {:?})",
                    e.roles.iter().map(|r| &r.text).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn places_and_organisations_are_never_people() {
    let kb = seed_kb();
    for n in gold()["not_people"].as_array().unwrap() {
        let n = n.as_str().unwrap();
        assert!(
            named(&kb, EntityKind::Person, n).is_empty(),
            "{n} was taken for a person"
        );
    }
    // And no person's name contains a place or organisation either.
    for e in kb.entities.iter().filter(|e| e.kind == EntityKind::Person) {
        for n in gold()["not_people"].as_array().unwrap() {
            assert!(
                !e.name.contains(n.as_str().unwrap()),
                "person {:?} contains {n}",
                e.name
            );
        }
    }
}

#[test]
fn no_person_is_listed_twice_under_one_surname() {
    let kb = seed_kb();
    let mut surnames: Vec<String> = kb
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person)
        .map(|e| {
            e.name
                .split_whitespace()
                .last()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let n = surnames.len();
    surnames.sort();
    surnames.dedup();
    assert_eq!(surnames.len(), n, "{surnames:?}");
}

#[test]
fn dated_facts_come_with_their_article() {
    let kb = seed_kb();
    let mut failures = Vec::new();
    for g in gold()["facts"].as_array().unwrap() {
        let entity = g["entity"].as_str().unwrap();
        let ids: Vec<EntityId> = kb
            .entities
            .iter()
            .filter(|e| e.name == entity)
            .map(|e| e.id)
            .collect();
        let [id] = ids.as_slice() else {
            failures.push(format!("{entity}: not one entity"));
            continue;
        };
        let with = g["with"].as_str();
        let found = kb.facts_of(*id).into_iter().any(|f| {
            f.kind.as_str() == g["event"].as_str().unwrap()
                && f.date.as_ref().map(|d| d.value.to_iso()).as_deref() == g["date"].as_str()
                && kb
                    .article(f.source.article)
                    .id()
                    .starts_with(g["article"].as_str().unwrap())
                && with.is_none_or(|w| f.entities.iter().any(|x| kb.entities[*x].name == w))
        });
        if !found {
            let have: Vec<String> = kb
                .facts_of(*id)
                .into_iter()
                .map(|f| {
                    format!(
                        "{} {:?} {}",
                        f.kind.as_str(),
                        f.date.as_ref().map(|d| d.value.to_iso()),
                        kb.article(f.source.article).id()
                    )
                })
                .collect();
            failures.push(format!("{entity}: no fact {g} (have {have:?})"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sidebar_boilerplate_gives_no_facts_or_mentions() {
    let kb = seed_kb();
    let a = kb
        .articles
        .iter()
        .position(|a| a.id().starts_with("001"))
        .unwrap();
    let sidebar = kb.article(a).text().find("Recent Stories").unwrap();
    assert!(
        kb.facts
            .iter()
            .all(|f| f.source.article != a || f.source.range.start < sidebar)
    );
    assert!(kb.article(a).dates.iter().all(|d| d.span.start < sidebar));
    assert!(kb.article(a).article.meta.date.is_none());
}
