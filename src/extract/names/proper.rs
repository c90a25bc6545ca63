//! Every other proper name: capitalised runs (with connectors such as "of", "de", "van"), names with digits
//! ("A380", "787 Dreamliner", "Nikkei 225") and acronyms, typed by the evidence the text gives — a company
//! suffix or organisation head, an index word, a place in the gazetteer or after "in", a given name — and
//! left untyped ("name") when the text does not say.

use super::gazetteer::{is_given_name, is_place};
use super::{
    Cue, EntityKind, FUNCTION_WORDS_SET, NameMention, ORG_WORDS_SET, ROLE_NOUNS_SET, Sent,
    collapse, in_set, is_all_caps, is_cap, is_title, is_title_case, strip_possessive,
};
use crate::extract::segment::tokens;
use crate::text::ByteRange;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Last words that make a name a company or an institution.
const ORG_SUFFIXES: &[&str] = &[
    "Inc",
    "Inc.",
    "Corp",
    "Corp.",
    "Corporation",
    "Co",
    "Co.",
    "Company",
    "Companies",
    "Motors",
    "Motor",
    "Group",
    "Bank",
    "Banks",
    "Airlines",
    "Airways",
    "Associates",
    "Partners",
    "Capital",
    "Management",
    "Holdings",
    "Trust",
    "Securities",
    "Financial",
    "Investments",
    "Advisors",
    "Advisers",
    "Advisory",
    "Trading",
    "Automotive",
    "Industries",
    "Technologies",
    "Systems",
    "Bancorp",
    "Reserve",
    "Exchange",
    "Senate",
    "Congress",
    "University",
    "College",
    "Treasury",
    "LLC",
    "Ltd",
    "Ltd.",
    "plc",
    "PLC",
    "SpA",
    "S.p.A.",
    "AG",
    "SA",
    "S.A.",
    "NV",
    "N.V.",
    "GmbH",
    "Limited",
    "Energy",
    "Airbus",
    "Media",
    "News",
    "Times",
    "Post",
    "Journal",
    "Press",
    "Agency",
    "Ministry",
    "Department",
    "Commission",
    "Committee",
    "Council",
    "Union",
    "Institute",
    "Court",
    "Party",
    "Administration",
    "Board",
    "Fund",
    "Foundation",
];

/// Last words that make a name a market index.
const INDEX_WORDS: &[&str] = &["Index", "Average", "Composite", "Industrials"];

/// Connectors inside a name ("Bank of America", "Banco de Chile", "Vincent van Gogh").
const CONNECTORS: &[&str] = &[
    "of", "de", "del", "da", "van", "von", "der", "den", "du", "la", "le", "y", "&",
];

/// Acronyms that name no one: units, titles, time zones.
const NOT_NAME_ACRONYMS: &[&str] = &[
    "CEO", "CFO", "COO", "CTO", "GDP", "UTC", "GMT", "EST", "EDT", "PST", "PDT", "AM", "PM",
    "A.M.", "P.M.", "TV", "OK", "II", "III", "IV", "PhD", "Q", "Q1", "Q2", "Q3", "Q4", "FY", "THE",
    "AND", "MR", "MS",
];

static ORG_SUFFIX_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ORG_SUFFIXES.iter().copied().collect());

/// The kind a name's own words give it, if any.
pub fn kind_from_words(name: &str) -> Option<EntityKind> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let last = *words.last()?;
    if INDEX_WORDS.contains(&last) {
        return Some(EntityKind::Index);
    }
    if in_set(&ORG_SUFFIX_SET, last) || in_set(&ORG_WORDS_SET, last) {
        return Some(EntityKind::Organization);
    }
    if is_place(name) {
        return Some(EntityKind::Place);
    }
    // A word with digits after a name: a product or model ("Boeing 787", "A380", "737-800").
    if words.len() >= 2
        && words[1..]
            .iter()
            .any(|w| w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(|c| c.is_alphabetic()))
    {
        return Some(EntityKind::Product);
    }
    if words.len() == 1
        && last.chars().any(|c| c.is_ascii_digit())
        && last.chars().any(char::is_alphabetic)
    {
        return Some(EntityKind::Product);
    }
    if (2..=3).contains(&words.len())
        && is_given_name(words[0])
        && words.iter().all(|w| is_cap(w) && !is_all_caps(w))
    {
        return Some(EntityKind::Person);
    }
    None
}

/// Evidence from the words around a mention: "shares of X", "X fell 3%", "in X".
fn kind_from_context(s: &Sent, start: usize, end: usize) -> Option<EntityKind> {
    let before = |k: usize| (start >= k).then(|| s.word(start - k).to_lowercase());
    let after = |k: usize| (end + k - 1 < s.toks.len()).then(|| s.word(end + k - 1).to_lowercase());
    let b1 = before(1);
    let b2 = before(2);
    if matches!(b1.as_deref(), Some("shares" | "stock" | "stake"))
        || b2.as_deref() == Some("shares")
    {
        return Some(EntityKind::Organization);
    }
    // "the Nikkei closed at 11,489", "the FTSE fell 5%": an index moves in points.
    let moves = (1..=6)
        .filter_map(after)
        .any(|w| matches!(w.as_str(), "points" | "point"));
    if moves {
        return Some(EntityKind::Index);
    }
    None
}

/// Proper names of `text`'s sentences not already found as people, agreements or organisations (`taken`).
pub fn find_proper_names(
    text: &str,
    sentences: &[ByteRange],
    taken: &[&NameMention],
) -> Vec<NameMention> {
    let mut out = Vec::new();
    for r in sentences {
        let s = Sent {
            text,
            toks: tokens(text, r.clone()),
        };
        names_in_sentence(&s, taken, &mut out);
    }
    out
}

fn is_run_word(w: &str) -> bool {
    let (w, _) = strip_possessive(w);
    (is_cap(w) || (w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic)))
        && !w.ends_with("-based")
        && !w.ends_with("-led")
}

fn names_in_sentence(s: &Sent, taken: &[&NameMention], out: &mut Vec<NameMention>) {
    // Headlines capitalise every word: their names are found where the text runs.
    if is_title_case(s) {
        return;
    }
    let n = s.toks.len();
    let first_word = (0..n).find(|&i| s.is_word(i));
    let mut i = 0;
    while i < n {
        if !(s.is_word(i) && is_run_word(s.word(i))) {
            i += 1;
            continue;
        }
        // The run: capitalised words, digits after a name word, and connectors between capitalised words.
        let mut j = i;
        let mut end = i;
        while j < n && s.is_word(j) {
            let w = s.word(j);
            let (_, possessive) = strip_possessive(w);
            if is_run_word(w) || (j > i && w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 4) {
                j += 1;
                end = j;
                if possessive {
                    break;
                }
            } else if j > i
                && CONNECTORS.contains(&w)
                && j + 1 < n
                && s.is_word(j + 1)
                && is_run_word(s.word(j + 1))
            {
                j += 1;
            } else {
                break;
            }
        }
        let run_end = end.max(i + 1);
        // Leading function words, titles, roles, months and weekdays are not part of the name.
        let mut a = i;
        while a < run_end {
            let (w, _) = strip_possessive(s.word(a));
            if in_set(&FUNCTION_WORDS_SET, w)
                || is_title(w)
                || in_set(&ROLE_NOUNS_SET, w.to_lowercase().as_str())
                || matches!(
                    w,
                    "Q" | "Mr" | "Mrs" | "Ms" | "Dr" | "Mr." | "Mrs." | "Ms." | "Dr."
                )
                || CONNECTORS.contains(&w)
            {
                a += 1;
            } else {
                break;
            }
        }
        let mut b = run_end;
        while b > a && CONNECTORS.contains(&s.word(b - 1)) {
            b -= 1;
        }
        i = run_end;
        if a >= b {
            continue;
        }
        let range = s.span(a, b);
        let name_end = range.start + strip_possessive(&s.text[range.clone()]).0.len();
        let range = range.start..name_end;
        let name = collapse(&s.text[range.clone()]);
        // Speaker labels and shouted words are layout ("MS. JEAN-PIERRE:", "THE PRESIDENT:").
        if s.punct(b) == Some(":") && is_all_caps(&name) && name.contains(' ') {
            continue;
        }
        if b - a == 1 && (NOT_NAME_ACRONYMS.contains(&name.as_str()) || name.chars().count() < 2) {
            continue;
        }
        if name
            .chars()
            .all(|c| c.is_ascii_digit() || !c.is_alphanumeric())
        {
            continue;
        }
        if taken
            .iter()
            .any(|m| m.range.start < range.end && range.start < m.range.end)
        {
            continue;
        }
        let initial = Some(a) == first_word;
        let kind = kind_from_words(&name)
            .or_else(|| kind_from_context(s, a, b))
            .or_else(|| {
                // "in Nairobi", "from Detroit": a place when nothing says otherwise.
                let prev = (a > 0).then(|| s.word(a - 1));
                matches!(prev, Some("in" | "from" | "near"))
                    .then_some(EntityKind::Place)
                    .filter(|_| b - a <= 2)
            })
            .unwrap_or(EntityKind::Other);
        out.push(NameMention {
            kind,
            range: range.clone(),
            name,
            role: None,
            acronym: None,
            full_range: range,
            cue: if initial { Cue::Initial } else { Cue::Running },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, EntityKind, Cue)> {
        find_proper_names(text, &[0..text.len()], &[])
            .into_iter()
            .map(|m| (m.name, m.kind, m.cue))
            .collect()
    }

    #[test]
    fn names_of_any_kind_are_found_and_typed_by_evidence() {
        let cases: &[(&str, &str, EntityKind)] = &[
            (
                "Shares of Chrysler fell after the news.",
                "Chrysler",
                EntityKind::Organization,
            ),
            (
                "The deal with Fiat Group SpA was signed.",
                "Fiat Group SpA",
                EntityKind::Organization,
            ),
            (
                "Later the Nikkei closed down 300 points.",
                "Nikkei",
                EntityKind::Index,
            ),
            (
                "Later the Dow Jones Industrial Average rose.",
                "Dow Jones Industrial Average",
                EntityKind::Index,
            ),
            (
                "The talks were held in Nairobi on Monday.",
                "Nairobi",
                EntityKind::Place,
            ),
            ("Airbus flew the A380 again.", "A380", EntityKind::Product),
            (
                "It ordered the Boeing 787 Dreamliner last year.",
                "Boeing 787 Dreamliner",
                EntityKind::Product,
            ),
            (
                "Analyst Rebecca Lindland said sales fell.",
                "Rebecca Lindland",
                EntityKind::Person,
            ),
            (
                "It sold Bank of America shares.",
                "Bank of America",
                EntityKind::Organization,
            ),
            (
                "They met Hinsdale Associates later.",
                "Hinsdale Associates",
                EntityKind::Organization,
            ),
        ];
        for (text, name, kind) in cases {
            let found = names(text);
            assert!(
                found.iter().any(|(n, k, _)| n == name && k == kind),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn titles_months_and_speaker_labels_are_not_names() {
        let found = names("Q Karine, in March President Biden met MS. JEAN-PIERRE: the CEO.");
        let got: Vec<&str> = found.iter().map(|(n, _, _)| n.as_str()).collect();
        assert!(
            !got.iter()
                .any(|n| n.contains("March") || n.contains("President") || *n == "CEO"),
            "{got:?}"
        );
        assert!(!got.iter().any(|n| n.starts_with("Q ")), "{got:?}");
        assert!(!got.iter().any(|n| n.contains("JEAN-PIERRE")), "{got:?}");
    }

    #[test]
    fn sentence_initial_words_are_marked_as_such() {
        let found = names("Chrysler said sales fell at Ford.");
        assert!(
            found.contains(&("Chrysler".into(), EntityKind::Other, Cue::Initial)),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(n, _, c)| n == "Ford" && *c == Cue::Running)
        );
    }
}
