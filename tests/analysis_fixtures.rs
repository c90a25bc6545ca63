//! Analysis as data: small notes with a `$0` cursor marker and the expected answer, on the seed corpus.

mod cli_support;

use cli_support::TempDir;
use dossier::analysis::hover::{Card, render_markdown};
use dossier::analysis::navigate::{completion, document_symbols};
use dossier::analysis::{NoteIndex, definition, hover};
use dossier::corpus::{self, LoadOptions};
use dossier::kb::KnowledgeBase;
use expect_test::expect;
use std::sync::OnceLock;

fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus");
        let c = corpus::load(&[dir], &LoadOptions::default(), &|_, _| {}).unwrap();
        KnowledgeBase::from_corpus(c, &|_, _| {})
    })
}

/// Split a fixture at its `$0` marker: the text without it, and the cursor offset.
fn cursor(fixture: &str) -> (String, usize) {
    let at = fixture.find("$0").expect("fixture has a $0 cursor");
    (fixture.replacen("$0", "", 1), at)
}

fn hover_name(fixture: &str) -> Option<String> {
    let (text, at) = cursor(fixture);
    let note = NoteIndex::new(kb(), &text);
    hover(kb(), &note, &text, at).map(|h| match h.card {
        Card::Entity { name, .. } => name,
        Card::Article { id, .. } => format!("article {id}"),
        Card::Ambiguous { candidates, .. } => format!("one of {}", candidates.len()),
        Card::UnknownKey { key, .. } => format!("unknown {key}"),
        Card::DateCheck { date, .. } => format!("date {date}"),
    })
}

#[test]
fn hover_resolves_full_names_short_names_and_acronyms_to_one_card() {
    let cases: &[(&str, Option<&str>)] = &[
        ("Kenyan President William R$0uto met", Some("William Ruto")),
        ("Ru$0to’s state visit", Some("William Ruto")),
        ("President Ru$0to", Some("William Ruto")),
        ("Secretary Bli$0nken", Some("Antony J. Blinken")),
        ("Antony Blinken$0 said", Some("Antony J. Blinken")),
        ("Du$0ale met Austin", Some("Aden Duale")),
        ("A$0den met Austin", Some("Aden Duale")),
        (
            "the M$0SS in Haiti",
            Some("Multinational Security Support Mission"),
        ),
        (
            "the Multinational Security Support mis$0sion",
            Some("Multinational Security Support Mission"),
        ),
        (
            "AT$0MIS troops",
            Some("African Union Transition Mission in Somalia"),
        ),
        ("AFRI$0COM", Some("U.S. Africa Command")),
        ("the CHIPS A$0ct", Some("CHIPS Act")),
        ("President Bi$0den", Some("Joe Biden")),
        ("see [@00$01]", Some("article 001_f5c6b512ca1d2a60")),
        ("see [@99$09]", Some("unknown 999")),
        ("see [@0$00]", Some("unknown 00")),
        ("Nair$0obi and Haiti", Some("Nairobi")),
        ("the pass$0age and Haiti", None),
        (
            "signed on 12 Sept$0ember 2024",
            Some("date 12 September 2024"),
        ),
        ("`Ru$0to` in code", None),
    ];
    for (fixture, want) in cases {
        assert_eq!(hover_name(fixture).as_deref(), *want, "{fixture}");
    }
}

#[test]
fn hover_card_for_a_person() {
    let (text, at) = cursor("Du$0ale");
    let note = NoteIndex::new(kb(), &text);
    let h = hover(kb(), &note, &text, at).unwrap();
    let md = render_markdown(&h.card, &|ix, line| {
        format!("file:///corpus/{}#L{line}", kb().article(ix).id())
    });
    expect![[r#"
        ### Aden Duale
        *person* · mentioned in 1 source

        **Roles:** Defence Cabinet Secretary (Al-Shabaab, global peace feature in Duale meeting with US …)  
        **Also:** Aden, Duale

        **Dates**
        - September \(year not stated\) — signed — Lloyd J. Austin, Defence Cooperation Framework \(Nairobi\) ([Al-Shabaab, global peace feature in Duale meeting with US …, line 37](file:///corpus/001_f5c6b512ca1d2a60#L37))
        - Wednesday \(date not stated\) — met — Lloyd J. Austin \(Pentagon\) ([Al-Shabaab, global peace feature in Duale meeting with US …, line 9](file:///corpus/001_f5c6b512ca1d2a60#L9))

        **Sources**
        > Kenya and the United States have agreed to enhance security collaboration following a meeting between Defence Cabinet Secretary Aden Duale and US Secretary of Defense Lloyd J. … — [Al-Shabaab, global peace feature in Duale meeting with US …, line 9](file:///corpus/001_f5c6b512ca1d2a60#L9)
        >
        > In September, Aden and Austin signed a joint Defence Cooperation Framework in Nairobi. — [Al-Shabaab, global peace feature in Duale meeting with US …, line 37](file:///corpus/001_f5c6b512ca1d2a60#L37)
    "#]].assert_eq(&md);
    assert!(md.lines().count() <= 25);
}

#[test]
fn go_to_source_from_names_quotes_and_citations() {
    let cases: &[(&str, &str, &str)] = &[
        // (note with cursor, article id prefix, the exact target text)
        (
            "General Lang$0ley",
            "000",
            "General Michael Langley, the Commander of the U.S. Africa Command (AFRICOM)",
        ),
        (
            "“one of our MOST important security partners$0 in Africa”",
            "001",
            "one of our most important security partners in Africa",
        ),
        (
            "\"Kenya has long been one of our most important\" he said$0",
            "",
            "",
        ),
        (
            "He said \"Kenya has long been one of our most$0 important\".",
            "001",
            "Kenya has long been one of our most important",
        ),
        (
            "Ruto called Trump a day after the Blinken call [@00$04].",
            "004",
            "This call came just a day after President Ruto spoke with U.S. Secretary of State Antony Blinken.",
        ),
        ("Unrelated words [@00$03].", "003", ""),
    ];
    for (fixture, article, target) in cases {
        let (text, at) = cursor(fixture);
        let note = NoteIndex::new(kb(), &text);
        let got = definition(kb(), &note, &text, at);
        if article.is_empty() {
            assert!(got.is_empty(), "{fixture}: {got:?}");
            continue;
        }
        let t = got
            .first()
            .unwrap_or_else(|| panic!("{fixture}: no target"));
        let a = kb().article(t.article);
        assert!(a.id().starts_with(article), "{fixture}: {}", a.id());
        assert_eq!(&a.text()[t.selection.clone()], *target, "{fixture}");
    }
}

#[test]
fn completion_offers_article_keys_and_entities() {
    let (text, at) = cursor("See [@00$0");
    let items = completion(kb(), &text, at, 50);
    assert_eq!(items.len(), 5);
    assert!(
        items[1]
            .detail
            .starts_with("Al-Shabaab, global peace feature in Duale meeting"),
        "{:?}",
        items[1]
    );
    assert_eq!(items[1].insert, "001_f5c6b512ca1d2a60]");
    let (text, at) = cursor("Met Bl$0");
    let items = completion(kb(), &text, at, 50);
    let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, ["Antony J. Blinken"]);
    let (text, at) = cursor("met with$0");
    assert!(completion(kb(), &text, at, 50).is_empty());
}

#[test]
fn outline_lists_people_agreements_dates_citations_and_quotes() {
    let text = "Ruto met Langley on 25 November 2024 about the MSS [@000]. He said “we are partners in peace and security”.";
    let note = NoteIndex::new(kb(), text);
    let names: Vec<String> = document_symbols(kb(), &note, text)
        .into_iter()
        .map(|s| s.name)
        .collect();
    expect![[r#"
        [
            "William Ruto",
            "Michael Langley",
            "25 November 2024",
            "Multinational Security Support Mission",
            "@000",
            "we are partners in peace and security",
        ]
    "#]]
    .assert_debug_eq(&names);
}

#[test]
fn an_ambiguous_short_name_lists_its_candidates_unless_the_note_names_one_in_full() {
    let tmp = TempDir::new("ambiguous");
    let dir = tmp.path().to_path_buf();
    std::fs::write(
        dir.join("a.txt"),
        "President Joe Biden spoke at the summit on Monday.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.txt"),
        "First Lady Jill Biden, who visited Nairobi, said the trip was a success.\n",
    )
    .unwrap();
    let c = corpus::load(&[dir], &LoadOptions::default(), &|_, _| {}).unwrap();
    let kb = KnowledgeBase::from_corpus(c, &|_, _| {});
    let text = "Biden spoke.";
    let note = NoteIndex::new(&kb, text);
    match hover(&kb, &note, text, 2).map(|h| h.card) {
        Some(Card::Ambiguous { candidates, .. }) => {
            let mut names: Vec<String> = candidates.into_iter().map(|c| c.1).collect();
            names.sort();
            assert_eq!(names, ["Jill Biden", "Joe Biden"]);
        }
        other => panic!("expected candidates, got {other:?}"),
    }
    // Named in full earlier in the note, the short name is that person.
    let text = "Jill Biden arrived. Later Biden spoke.";
    let note = NoteIndex::new(&kb, text);
    let at = text.rfind("Biden").unwrap();
    match hover(&kb, &note, text, at).map(|h| h.card) {
        Some(Card::Entity { name, .. }) => assert_eq!(name, "Jill Biden"),
        other => panic!("expected Jill Biden, got {other:?}"),
    }
}
