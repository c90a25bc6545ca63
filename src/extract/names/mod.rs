//! People, agreements and organisations named in a text, found by general rules (titles and roles,
//! capitalisation, appositives, "Long Name (ACRONYM)", keyword heads) — never by lists of known names.
//!
//! By kind of name: `people`, `agreements` (and organisations found by their heads), `proper` (every other
//! proper name), with the shared word lists and word shapes in `words` and place and given names in
//! `gazetteer`. This file has the types and [`find_all_names`], which tokenises each sentence once for all.

mod agreements;
pub mod gazetteer;
mod people;
pub mod proper;
mod words;

pub use agreements::find_agreements;
use agreements::things_in_sentence;
pub use people::find_people;
use people::people_in_sentence;
pub use proper::{ProperName, find_proper_names, review_people};
use words::Sent;
pub(crate) use words::is_title;

use super::segment::tokens;
use crate::text::ByteRange;

/// What a name refers to.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Agreement,
    Organization,
    /// A country, city, region or other place.
    Place,
    /// A product, model or programme ("A380", "787 Dreamliner").
    Product,
    /// A market index ("Dow Jones Industrial Average", "Nikkei").
    Index,
    /// A proper name whose kind the texts do not make clear.
    Other,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Agreement => "agreement",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Product => "product",
            EntityKind::Index => "index",
            EntityKind::Other => "name",
        }
    }
}

/// Why a person candidate was taken for a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Cue {
    /// Preceded by a title or role ("Kenyan President William Ruto").
    Title,
    /// Followed by an appositive role, an age or "who".
    Appositive,
    /// Subject of a verb of saying ("Redi Tlhabi discusses").
    Speech,
    /// A single word that can only be resolved against people found elsewhere.
    Surname,
    /// A proper name found by capitalisation alone, as the first word of its sentence.
    Initial,
    /// A proper name found by capitalisation alone, inside running text.
    Running,
}

/// A name found in a text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NameMention {
    pub kind: EntityKind,
    /// The name itself, without title or possessive.
    pub range: ByteRange,
    /// The name as written, whitespace collapsed, possessive removed.
    pub name: String,
    /// A title or role given with the name, and where.
    pub role: Option<(String, ByteRange)>,
    /// An acronym given in parentheses right after the name.
    pub acronym: Option<(String, ByteRange)>,
    /// Role, name and appositive together: the passage that introduces the name.
    pub full_range: ByteRange,
    pub cue: Cue,
}

/// [`collapse`]d `s`, borrowed when it is already collapsed: ASCII with lone spaces between words.
pub(crate) fn collapsed(s: &str) -> std::borrow::Cow<'_, str> {
    let bytes = s.as_bytes();
    let plain = bytes.first() != Some(&b' ')
        && bytes.last() != Some(&b' ')
        && bytes
            .iter()
            .all(|b| b.is_ascii() && !matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        && !s.contains("  ");
    if plain {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(collapse(s))
    }
}

/// Capitalised title heads that introduce a person's name.
/// Collapse whitespace runs into single spaces.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Every name of a text's sentences, each sentence tokenised once: people (after [`review_people`]),
/// agreements and organisations found by their heads, and every other proper name.
pub struct FoundNames {
    pub people: Vec<NameMention>,
    pub things: Vec<NameMention>,
    pub names: Vec<NameMention>,
}

pub fn find_all_names(text: &str, sentences: &[ByteRange]) -> FoundNames {
    let sents: Vec<Sent> = sentences
        .iter()
        .map(|r| Sent {
            text,
            toks: tokens(text, r.clone()),
        })
        .collect();
    let mut people = Vec::new();
    for s in &sents {
        people_in_sentence(s, &mut people);
    }
    let (mut people, not_people) = review_people(text, people);
    let mut things = Vec::new();
    for s in &sents {
        things_in_sentence(s, &mut things);
    }
    let mut taken: Vec<ByteRange> = people
        .iter()
        .chain(things.iter())
        .chain(not_people.iter())
        .map(|m| m.full_range.clone())
        .collect();
    taken.sort_by_key(|r| r.start);
    let mut names = Vec::new();
    for s in &sents {
        proper::names_in_sentence(s, &taken, &mut names);
    }
    names.extend(not_people);
    // Two names joined by "&" are a firm's or a club's ("Johnson & Johnson", "Jack & Jill of America").
    for m in names.iter_mut() {
        if m.kind == EntityKind::Person && m.name.contains('&') {
            m.kind = EntityKind::Organization;
        }
    }
    // Names the words show to be people ("Kirk Kerkorian") join the people.
    people.extend(
        names
            .iter()
            .filter(|m| m.kind == EntityKind::Person)
            .cloned(),
    );
    names.retain(|m| m.kind != EntityKind::Person);
    people.sort_by_key(|m| m.range.start);
    names.sort_by_key(|m| m.range.start);
    FoundNames {
        people,
        things,
        names,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collapsed_borrow_is_what_collapsing_gives() {
        let pieces = [
            "Ab", "c", " ", "  ", "\t", "\n", "\r\n", "\u{a0}", "é", "\u{2003}", "-", ".",
        ];
        let mut rng = crate::testing::XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let n = rng.next() % 10;
            let s = rng.mixture(&pieces, n, |_| "");
            assert_eq!(collapsed(&s), collapse(&s), "{s:?}");
        }
    }

    fn people(t: &str) -> Vec<(String, Option<String>)> {
        find_people(t, std::slice::from_ref(&(0..t.len())))
            .into_iter()
            .filter(|m| m.cue != Cue::Surname)
            .map(|m| (m.name, m.role.map(|r| r.0)))
            .collect()
    }

    fn things(t: &str) -> Vec<(EntityKind, String, Option<String>)> {
        find_agreements(t, std::slice::from_ref(&(0..t.len())))
            .into_iter()
            .filter(|m| m.cue != Cue::Surname)
            .map(|m| (m.kind, m.name, m.acronym.map(|a| a.0)))
            .collect()
    }

    /// A person's name and role, as `people` gives them.
    type Named = (String, Option<String>);

    fn p(name: &str, role: &str) -> (String, Option<String>) {
        (name.into(), Some(role.into()))
    }

    #[test]
    fn labels_and_auxiliary_verbs_are_not_part_of_a_name() {
        // (text, no person's name may contain this word)
        let cases = [
            ("Q Karine, what did the President say to reporters?", "Q"),
            (
                "Trevor Reed and Paul Whelan, for instance.  Has Russia asked for any",
                "Has",
            ),
            (
                "President Biden and Vice President Harris Are Delivering for Families",
                "Are",
            ),
            (
                "Is Secretary Blinken Going to Cairo, a reporter asked.",
                "Is",
            ),
            ("Jack & Jill of America said on Monday that it met.", "Jill"),
            ("the St. Louis Fed said on Monday that rates rose.", "Fed"),
            // A false start, broken off with a hyphen.
            ("and President Joe Bi- — President Joe Biden said so.", "Bi"),
        ];
        for (text, word) in cases {
            let found = people(text);
            assert!(
                !found.iter().any(|(n, _)| n.split(' ').any(|w| w == word)),
                "{text}: {found:?}"
            );
        }
        // A middle initial without its period is still one ("Harry S Truman").
        assert!(
            people("President Harry S Truman, who spoke then")
                .iter()
                .any(|(n, _)| n == "Harry S Truman"),
            "{:?}",
            people("President Harry S Truman, who spoke then")
        );
    }

    #[test]
    fn person_after_title_with_nationality_modifier() {
        assert_eq!(
            people("In a pivotal meeting, Kenyan President William Ruto sat down."),
            vec![p("William Ruto", "Kenyan President")]
        );
    }

    #[test]
    fn title_with_portfolio_splits_from_the_name() {
        assert_eq!(
            people(
                "a meeting between Defence Cabinet Secretary Aden Duale and US Secretary of Defense Lloyd J. Austin at the Pentagon"
            ),
            vec![
                p("Aden Duale", "Defence Cabinet Secretary"),
                p("Lloyd J. Austin", "US Secretary of Defense")
            ]
        );
        assert_eq!(
            people("with U.S. Secretary of State Antony J. Blinken during"),
            vec![p("Antony J. Blinken", "U.S. Secretary of State")]
        );
    }

    #[test]
    fn long_portfolios_with_joining_words_and_a_rank_before_the_name() {
        for (text, name, role) in [
            (
                "and Chairman of the Joint Chiefs of Staff Gen. Mark A. Milley held a call",
                "Mark A. Milley",
                "Chairman of the Joint Chiefs of Staff Gen.",
            ),
            (
                "and Commander-in-Chief of the Ukrainian Armed Forces Gen. Valery Zaluzhnyy. They",
                "Valery Zaluzhnyy",
                "Commander-in-Chief of the Ukrainian Armed Forces Gen.",
            ),
            (
                "Secretary of Health and Human Services Xavier Becerra spoke.",
                "Xavier Becerra",
                "Secretary of Health and Human Services",
            ),
            (
                "Head of the Office of the President of Ukraine Andriy Yermak met them.",
                "Andriy Yermak",
                "Head of the Office of the President of Ukraine",
            ),
            (
                "and the Acting Director of the Office of Science and Technology Policy, Alondra Nelson. Others",
                "Alondra Nelson",
                "Acting Director of the Office of Science and Technology Policy",
            ),
        ] {
            assert_eq!(people(text), vec![p(name, role)], "{text}");
        }
        // A place after the comma is not a name.
        assert_eq!(people("said the Minister of Defence, New Zealand."), vec![]);
        // A list of people is not one portfolio, nor is the next item an appositive of the one before.
        assert_eq!(
            people(
                "Today, Secretary of State Antony J. Blinken, and Chairman of the Joint Chiefs of Staff Gen. Mark A. Milley held a joint call"
            ),
            vec![
                p("Antony J. Blinken", "Secretary of State"),
                p(
                    "Mark A. Milley",
                    "Chairman of the Joint Chiefs of Staff Gen."
                )
            ]
        );
        assert_eq!(
            people("Secretary of State Antony Blinken and Secretary of Defense Lloyd Austin met."),
            vec![
                p("Antony Blinken", "Secretary of State"),
                p("Lloyd Austin", "Secretary of Defense")
            ]
        );
    }

    #[test]
    fn a_titled_person_after_a_comma_is_the_next_of_a_list_not_a_role() {
        assert_eq!(
            people(
                "National Security Advisor Jake Sullivan, Secretary of State Antony J. Blinken, and others"
            ),
            vec![
                p("Jake Sullivan", "National Security Advisor"),
                p("Antony J. Blinken", "Secretary of State")
            ]
        );
        assert_eq!(
            people(
                "a call with Andriy Yermak, Ukrainian Foreign Minister Dmytro Kuleba, and others"
            ),
            vec![p("Dmytro Kuleba", "Ukrainian Foreign Minister")]
        );
    }

    #[test]
    fn a_plural_title_gives_its_title_to_each_name_of_the_list() {
        let all = find_people(
            "Thank you to Senators Tester and Jerry Moran and Representatives Takano, Bost, and others.",
            std::slice::from_ref(&(0..89)),
        );
        let got: Vec<(&str, &str, Cue)> = all
            .iter()
            .map(|m| (m.name.as_str(), m.role.as_ref().unwrap().0.as_str(), m.cue))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Tester", "Senator", Cue::Surname),
                ("Jerry Moran", "Senator", Cue::Title),
                ("Takano", "Representative", Cue::Surname),
                ("Bost", "Representative", Cue::Surname),
            ]
        );
    }

    #[test]
    fn the_class_of_a_rank_is_part_of_the_title_and_a_medic_is_a_role() {
        let found = people(
            "Named in honor of Sergeant First Class Heath Robinson, a decorated combat medic who died",
        );
        assert!(found.contains(&p("Heath Robinson", "Sergeant First Class")));
        assert!(found.contains(&p("Heath Robinson", "decorated combat medic")));
        // Inside the title of a law, the name is not a person mention.
        assert_eq!(
            people(
                "by passing the bipartisan Sergeant First Class Heath Robinson Honoring our Promise Act."
            ),
            vec![]
        );
        assert_eq!(
            people(
                "by passing the bipartisan Sergeant First Class Heath Robinson Honoring Our Promise to Address Comprehensive Toxics Act."
            ),
            vec![]
        );
    }

    #[test]
    fn appositive_role_after_a_titled_name() {
        let found = people(
            "General Michael Langley, the Commander of the U.S. Africa Command (AFRICOM), sat down",
        );
        assert!(found.contains(&p("Michael Langley", "General")));
        assert!(found.contains(&p(
            "Michael Langley",
            "Commander of the U.S. Africa Command (AFRICOM)"
        )));
    }

    #[test]
    fn hyphenated_title_and_possessive() {
        assert_eq!(
            people("a phone conversation with U.S. President-elect Donald Trump, during which"),
            vec![p("Donald Trump", "U.S. President-elect")]
        );
        let all = find_people(
            "President Ruto’s state visit",
            std::slice::from_ref(&(0..28)),
        );
        assert_eq!(all[0].name, "Ruto");
        assert_eq!(all[0].cue, Cue::Surname);
    }

    #[test]
    fn untitled_people_by_speech_verb_age_or_who() {
        assert_eq!(
            people("Redi Tlhabi discusses Kenya’s important role"),
            vec![("Redi Tlhabi".into(), None)]
        );
        assert_eq!(people("Barra, 51, will be the first woman"), vec![]);
        assert_eq!(
            people("She replaces Daniel Akerson, who was appointed by the government"),
            vec![("Daniel Akerson".into(), None)]
        );
        assert_eq!(
            people("to be replaced by current director Theodore Solso."),
            vec![p("Theodore Solso", "director")]
        );
    }

    #[test]
    fn appointed_as_a_role_makes_a_person_and_the_company_is_not_one() {
        assert_eq!(
            people("General Motors today named Mary Barra as its new chief executive."),
            vec![p("Mary Barra", "new chief executive")]
        );
        assert_eq!(
            people(
                "The company also announced head of finance Daniel Ammann as its new president."
            ),
            vec![p("Daniel Ammann", "head of finance")]
        );
    }

    #[test]
    fn places_and_organisations_are_not_people() {
        for t in [
            "instabilities in the Horn of Africa and the Great Lakes region.",
            "will soon deploy 1,000 police officers to combat gangs in Port-Au-Prince.",
            "a high-profile meeting in New York. The Red Sea said nothing.",
            "the fight against Al-Shabaab, and Microsoft said",
        ] {
            assert_eq!(people(t), vec![], "{t}");
        }
    }

    #[test]
    fn nationalities_and_contractions_name_no_one() {
        // (text, the people it names)
        let cases: [(&str, &[&str]); 6] = [
            (
                "We met with leading Irish Americans, your ambassador, our ambassador, as well.",
                &[],
            ),
            (
                "An Irish American lawyer and a decorated war hero spoke.",
                &[],
            ),
            ("Q I’m wondering whether the President will go.", &[]),
            (
                "I’m Susan Rice, the domestic policy adviser.",
                &["Susan Rice"],
            ),
            (
                "Israelis and Palestinians met, and then AMERICANS voted.",
                &[],
            ),
            // An apostrophe before a capital is part of a name; a singular nationality can be a surname.
            (
                "Prime Minister Bill English met Senator Conan O’Brien in Auckland.",
                &["Bill English", "Conan O’Brien"],
            ),
        ];
        let groups = [
            "Irish Americans",
            "Irish American",
            "American",
            "Americans",
            "Israelis",
            "Palestinians",
            "AMERICANS",
            "Q I’m",
            "I’m",
            "Q",
        ];
        for (t, want) in cases {
            let found = find_all_names(t, std::slice::from_ref(&(0..t.len())));
            let got: Vec<&str> = found.people.iter().map(|m| m.name.as_str()).collect();
            assert_eq!(got, want, "{t}");
            for m in &found.names {
                assert!(!groups.contains(&m.name.as_str()), "{t}: {}", m.name);
            }
        }
    }

    #[test]
    fn a_clause_after_a_comma_is_no_role() {
        // (text, the people it names with their roles)
        let cases: [(&str, Vec<Named>); 4] = [
            (
                "The India Cancer Dialogue, hosted by President Biden’s Cancer Moonshot, met in May.",
                vec![],
            ),
            (
                "On Nippon Steel, President Biden will continue to oppose the deal.",
                vec![],
            ),
            (
                "Texas Democrats, since the Vice President met with these lawmakers, have stayed.",
                vec![],
            ),
            (
                "Frank Mora, as the U.S. ambassador, spoke.",
                vec![p("Frank Mora", "as the U.S. ambassador")],
            ),
        ];
        for (t, want) in cases {
            assert_eq!(people(t), want, "{t}");
        }
    }

    #[test]
    fn agreements_with_acronyms_heads_and_operations() {
        let t = "He highlighted Kenya's contributions to the African Union Transition Mission in Somalia (ATMIS), the fight against Al-Shabaab, and participation in Operation Prosperity Guardian, aimed at strengthening Red Sea security.";
        assert_eq!(
            things(t),
            vec![
                (
                    EntityKind::Agreement,
                    "African Union Transition Mission in Somalia".into(),
                    Some("ATMIS".into())
                ),
                (
                    EntityKind::Agreement,
                    "Operation Prosperity Guardian".into(),
                    None
                ),
            ]
        );
        let t = "At the heart of their discussions was the Multinational Security Support Mission (MSS) in Haiti, and the CHIPS Act—a U.S. initiative.";
        assert_eq!(
            things(t),
            vec![
                (
                    EntityKind::Agreement,
                    "Multinational Security Support Mission".into(),
                    Some("MSS".into())
                ),
                (EntityKind::Agreement, "CHIPS Act".into(), None),
            ]
        );
    }

    #[test]
    fn lowercase_agreements_need_specific_modifiers() {
        let t = "progress on our negotiations on the strategic trade and investment agreement, and facility access agreements, with all the other agreements and ongoing trade and security agreements.";
        let names: Vec<String> = things(t).into_iter().map(|t| t.1).collect();
        assert_eq!(
            names,
            vec![
                "strategic trade and investment agreement",
                "facility access agreements"
            ]
        );
    }

    #[test]
    fn case_variant_with_lowercase_head() {
        let t = "thank you for Kenya’s remarkable leadership of the Multinational Security Support mission in Haiti";
        assert_eq!(things(t)[0].1, "Multinational Security Support mission");
    }

    #[test]
    fn an_acronym_names_what_it_stands_for_not_the_words_before_it() {
        // (text, the organisation or agreement found, its acronym)
        let cases = [
            (
                "said the Principal Deputy Assistant Attorney General of the U.S. Department of Justice (DOJ) today",
                EntityKind::Organization,
                "U.S. Department of Justice",
                "DOJ",
            ),
            (
                "with Homeland Security Advisor Liz Sherwood-Randall and Federal Emergency Management Agency (FEMA) staff",
                EntityKind::Organization,
                "Federal Emergency Management Agency",
                "FEMA",
            ),
            (
                "led by the Office of Climate Change and Health Equity (OCCHE) at the Department",
                EntityKind::Organization,
                "Office of Climate Change and Health Equity",
                "OCCHE",
            ),
            (
                "the U.S. Department of Health and Human Services (HHS) said",
                EntityKind::Organization,
                "U.S. Department of Health and Human Services",
                "HHS",
            ),
            (
                "funds from the BIL and Inflation Reduction Act (IRA) will flow",
                EntityKind::Agreement,
                "Inflation Reduction Act",
                "IRA",
            ),
            (
                "The Centers for Disease Control and Prevention (CDC) said",
                EntityKind::Organization,
                "Centers for Disease Control and Prevention",
                "CDC",
            ),
            (
                "allies of the North Atlantic Treaty Organization (NATO) met",
                EntityKind::Organization,
                "North Atlantic Treaty Organization",
                "NATO",
            ),
            // Letters inside words count, but the first must begin a capitalised word ("of" is passed by).
            (
                "ministers of the Organization of the Petroleum Exporting Countries (OPEC) met",
                EntityKind::Organization,
                "Organization of the Petroleum Exporting Countries",
                "OPEC",
            ),
        ];
        for (text, kind, name, acronym) in cases {
            assert_eq!(
                things(text),
                vec![(kind, name.to_string(), Some(acronym.to_string()))],
                "{text}"
            );
        }
    }

    #[test]
    fn an_acronym_the_words_do_not_spell_leaves_the_name_as_written() {
        let cases = [
            (
                "fighters of the Kurdistan Workers Party (PKK) attacked",
                "Kurdistan Workers Party",
                "PKK",
            ),
            (
                "the European Aeronautic Defence and Space Company EADS N.V. (EADS) won",
                "European Aeronautic Defence and Space Company EADS N.V.",
                "EADS",
            ),
        ];
        // Nor is a place's code.
        assert_eq!(
            things("She studied at Howard University (DC) and the University of Cambridge (UK)."),
            vec![]
        );
        // A degree after a school's name is no acronym of it (nor does it make the school a thing named by
        // its head, as "(FEMA)" would).
        let degree = "She studied at Georgetown University Law Center (J.D.) and Yale (B.A.).";
        assert!(
            things(degree)
                .iter()
                .all(|(_, _, acronym)| acronym.is_none()),
            "{:?}",
            things(degree)
        );
        for (text, name, acronym) in cases {
            assert_eq!(
                things(text),
                vec![(
                    EntityKind::Organization,
                    name.to_string(),
                    Some(acronym.to_string())
                )],
                "{text}"
            );
        }
    }

    #[test]
    fn organisation_with_acronym() {
        let t = "the Commander of the U.S. Africa Command (AFRICOM), sat down";
        assert_eq!(
            things(t),
            vec![(
                EntityKind::Organization,
                "U.S. Africa Command".into(),
                Some("AFRICOM".into())
            )]
        );
    }
}
