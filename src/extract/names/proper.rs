//! Every other proper name: capitalised runs (with connectors such as "of", "de", "van"), names with digits
//! ("A380", "787 Dreamliner", "Nikkei 225") and acronyms, typed by the evidence the text gives — a company
//! suffix or organisation head, an index word, a place in the gazetteer or after "in", a given name — and
//! left untyped ("name") when the text does not say.

use super::agreements::is_head;
use super::gazetteer::{is_demonym, is_given_name, is_place};
use super::words::{
    FUNCTION_WORDS_SET, ORG_WORDS_SET, Sent, broken_off, in_set, is_all_caps, is_cap,
    is_party_members, is_plural_demonym, is_role_noun, is_title, is_title_case, strip_possessive,
};
use super::{Cue, EntityKind, NameMention, collapse, collapsed};
use crate::extract::segment::tokens;
use crate::extract::word::{lowered as lower, with_lowered};
use crate::text::ByteRange;
use rustc_hash::FxHashSet as HashSet;
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

/// Legal forms: a name ends with them ("Chrysler LLC Jim Press" is two names).
const LEGAL_FORMS: &[&str] = &[
    "Inc", "Inc.", "Corp", "Corp.", "LLC", "Ltd", "Ltd.", "plc", "PLC", "SpA", "S.p.A.", "AG",
    "GmbH", "Co.",
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
    "AND", "MR", "MS", "MRS", "DR", "MR.", "MS.", "MRS.", "DR.",
];

static ORG_SUFFIX_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ORG_SUFFIXES.iter().copied().collect());

/// The kind a name's own words give it, if any.
pub fn kind_from_words(name: &str) -> Option<EntityKind> {
    // The words of a name: on the stack for the usual few, in a vector for a long one.
    let (mut few, mut many, mut n) = ([""; 8], Vec::new(), 0);
    for w in name.split_whitespace() {
        if n < few.len() {
            few[n] = w;
        } else {
            if n == few.len() {
                many.extend_from_slice(&few);
            }
            many.push(w);
        }
        n += 1;
    }
    let words: &[&str] = if n <= few.len() { &few[..n] } else { &many };
    let last = *words.last()?;
    // A given name first makes a person, unless the last word is a party's members ("Virginia Democrats";
    // "George Washington University" ends in an organisation's word, below).
    let person = (2..=3).contains(&words.len())
        && is_given_name(words[0])
        && words.iter().all(|w| is_cap(w) && !is_all_caps(w))
        && !is_party_members(last);
    if person
        && !LEGAL_FORMS.contains(&last)
        && !in_set(&ORG_WORDS_SET, last)
        && !INDEX_WORDS.contains(&last)
    {
        return Some(EntityKind::Person);
    }
    if INDEX_WORDS.contains(&last) {
        return Some(EntityKind::Index);
    }
    if in_set(&ORG_SUFFIX_SET, last) || in_set(&ORG_WORDS_SET, last) {
        return Some(EntityKind::Organization);
    }
    if is_place(name) {
        return Some(EntityKind::Place);
    }
    // "Bank of America", "University of Michigan", "Ministry of Finance": the head before "of".
    if let Some(i) = words.iter().position(|w| *w == "of")
        && i > 0
        && (in_set(&ORG_SUFFIX_SET, words[i - 1]) || in_set(&ORG_WORDS_SET, words[i - 1]))
    {
        return Some(EntityKind::Organization);
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
    if person {
        return Some(EntityKind::Person);
    }
    None
}

/// Common nouns that classify an organisation, before a name ("automaker Toyota", "its European division,
/// Opel") or in an appositive after it ("Magna, a Canadian automobile parts company").
const ORG_NOUNS: &[&str] = &[
    "company",
    "companies",
    "firm",
    "firms",
    "automaker",
    "automakers",
    "carmaker",
    "carmakers",
    "maker",
    "makers",
    "manufacturer",
    "manufacturers",
    "bank",
    "banks",
    "lender",
    "lenders",
    "insurer",
    "insurers",
    "retailer",
    "retailers",
    "airline",
    "airlines",
    "division",
    "unit",
    "subsidiary",
    "brand",
    "brands",
    "giant",
    "conglomerate",
    "corporation",
    "group",
    "agency",
    "operator",
    "supplier",
    "suppliers",
    "broker",
    "brokerage",
    "publisher",
    "newspaper",
    "network",
    "union",
    "exchange",
    "regulator",
    "party",
];

/// A name with a number after its first word ("Boeing 787", "Nikkei 225"): a model or an index; the caller
/// decides by context and falls back to a product.
fn numbered(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    words.len() >= 2
        && words[1..]
            .iter()
            .any(|w| w.chars().all(|c| c.is_ascii_digit()))
}

/// Evidence from the words around a mention: "shares of X", "X fell 3%", "in X".
fn kind_from_context(s: &Sent, start: usize, end: usize) -> Option<EntityKind> {
    let before = |k: usize| (start >= k).then(|| lower(s.word(start - k)));
    let after = |k: usize| (end + k - 1 < s.toks.len()).then(|| lower(s.word(end + k - 1)));
    let b1 = before(1);
    let b2 = before(2);
    if matches!(b1.as_deref(), Some("shares" | "stock" | "stake"))
        || b2.as_deref() == Some("shares")
    {
        return Some(EntityKind::Organization);
    }
    // "automaker Toyota", "the auto companies Toyota, Nissan", "its European division, Opel".
    let classifier = (1..=3).filter_map(before).any(|w| ORG_NOUNS.contains(&&*w));
    // "Magna, a Canadian automobile parts company": an appositive ending in an organisation noun.
    let appositive = s.punct(end) == Some(",")
        && (end + 1 < s.toks.len())
        && matches!(&*lower(s.word(end + 1)), "a" | "an" | "the")
        && (end + 2..(end + 9).min(s.toks.len()))
            .take_while(|&k| s.is_word(k))
            .any(|k| ORG_NOUNS.contains(&&*lower(s.word(k))));
    let employed = matches!(b1.as_deref(), Some("by"))
        && matches!(
            b2.as_deref(),
            Some("employed" | "owned" | "acquired" | "bought")
        );
    if classifier || appositive || employed {
        return Some(EntityKind::Organization);
    }
    // "the Nikkei closed at 11,489", "the FTSE fell 5%": an index moves in points.
    let moves = (1..=6)
        .filter_map(after)
        .any(|w| matches!(&*w, "points" | "point"));
    if moves {
        return Some(EntityKind::Index);
    }
    None
}

/// Second thoughts on people found by cue words: a role word the capitalisation swept into the name is
/// dropped ("Executive Robert Nardelli"); a "person" whose last word is a company or institution word, or one
/// found only as the subject of a verb of saying without a given name ("Ford Explorer said"), is a proper
/// name of another kind; a lone suffix ("Jr.") is nothing. Returns (people, other names).
pub fn review_people(text: &str, people: Vec<NameMention>) -> (Vec<NameMention>, Vec<NameMention>) {
    let mut keep = Vec::new();
    let mut other = Vec::new();
    for mut m in people {
        let words: Vec<&str> = m.name.split_whitespace().collect();
        if words.len() >= 3 && (with_lowered(words[0], is_role_noun) || is_title(words[0])) {
            let cut = text[m.range.clone()]
                .find(words[1])
                .map_or(m.range.start, |i| m.range.start + i);
            m.range = cut..m.range.end;
            m.name = words[1..].join(" ");
        }
        let words: Vec<&str> = m.name.split_whitespace().collect();
        let real: Vec<&&str> = words
            .iter()
            .filter(|w| !matches!(**w, "Jr." | "Sr." | "Jr" | "Sr" | "II" | "III"))
            .collect();
        if real.is_empty() {
            continue;
        }
        let last = words.last().copied().unwrap_or("");
        let singular = last.strip_suffix('s').unwrap_or(last);
        let org_word = words.len() >= 2
            && [last, singular]
                .iter()
                .any(|w| in_set(&ORG_SUFFIX_SET, w) || in_set(&ORG_WORDS_SET, w));
        // Without a title or a stated role, only a given name makes a person of a two-word name.
        let unsupported = m.cue == Cue::Appositive
            && m.role.is_none()
            && !is_given_name(words[0])
            && words.len() >= 2;
        if org_word || unsupported || is_place(&m.name) {
            m.kind = kind_from_words(&m.name)
                .filter(|k| *k != EntityKind::Person)
                .unwrap_or(EntityKind::Other);
            m.cue = Cue::Running;
            m.role = None;
            other.push(m);
        } else {
            keep.push(m);
        }
    }
    (keep, other)
}

/// Proper names of `text`'s sentences not already found as people, agreements or organisations (`taken`).
pub fn find_proper_names(
    text: &str,
    sentences: &[ByteRange],
    taken: &[&NameMention],
) -> Vec<NameMention> {
    let mut taken: Vec<ByteRange> = taken.iter().map(|m| m.full_range.clone()).collect();
    taken.sort_by_key(|r| r.start);
    let mut out = Vec::new();
    for r in sentences {
        let s = Sent {
            text,
            toks: tokens(text, r.clone()),
        };
        names_in_sentence(&s, &taken, &mut out);
    }
    out
}

/// Does `r` overlap one of `taken` (sorted by start)? Looks only at the few ranges that start before it ends.
fn overlaps_taken(taken: &[ByteRange], r: &ByteRange) -> bool {
    let upto = taken.partition_point(|t| t.start < r.end);
    taken[..upto].iter().rev().take(16).any(|t| r.start < t.end)
}

/// A proper name as an article keeps it: its range, kind and whether it stood inside running text — a
/// tenth of a [`NameMention`]'s size; the name itself is read back from the text when the corpus is merged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProperName {
    pub start: u32,
    pub end: u32,
    pub kind: EntityKind,
    pub running: bool,
}

impl ProperName {
    pub fn from_mention(m: &NameMention) -> ProperName {
        ProperName {
            start: m.range.start as u32,
            end: m.range.end as u32,
            kind: m.kind,
            running: m.cue != Cue::Initial,
        }
    }

    /// The mention again, from the text it was found in.
    pub fn to_mention(self, text: &str) -> NameMention {
        let range = self.start as usize..self.end as usize;
        NameMention {
            kind: self.kind,
            name: text.get(range.clone()).map(collapse).unwrap_or_default(),
            range: range.clone(),
            role: None,
            acronym: None,
            full_range: range,
            cue: if self.running {
                Cue::Running
            } else {
                Cue::Initial
            },
        }
    }
}

/// "I’m", "I’ve", "We’ll": contractions of pronouns, capitalised only by position.
fn is_contraction(w: &str) -> bool {
    // Most words have no apostrophe (the curly one starts with byte 0xE2).
    if !w.bytes().any(|b| b == b'\'' || b == 0xE2) {
        return false;
    }
    w.split(['’', '\''])
        .nth(1)
        .is_some_and(|tail| matches!(tail, "m" | "ve" | "ll" | "d" | "re" | "t"))
}

fn is_run_word(w: &str) -> bool {
    // Most words of running text start with a small ASCII letter and hold no digit: never a run word
    // (stripping a possessive keeps the first letter and adds no digit).
    let bytes = w.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_lowercase) && !bytes.iter().any(u8::is_ascii_digit) {
        return false;
    }
    if is_contraction(w) {
        return false;
    }
    let (w, _) = strip_possessive(w);
    (is_cap(w) || (w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic)))
        && !w.ends_with("-based")
        && !w.ends_with("-led")
}

pub(crate) fn names_in_sentence(s: &Sent, taken: &[ByteRange], out: &mut Vec<NameMention>) {
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
        while j < n {
            let w = s.word(j);
            if !s.is_word(j) {
                // "Standard & Poor's", "AT & T"
                if w == "&" && j > i && j + 1 < n && s.is_word(j + 1) && is_run_word(s.word(j + 1))
                {
                    j += 1;
                    continue;
                }
                break;
            }
            let (bare, possessive) = strip_possessive(w);
            // A month or weekday inside a run ends it ("Ford May 05"); so does a title ("White House Press
            // Secretary Dana Perino": the title belongs to the person after it).
            if j > i && (in_set(&FUNCTION_WORDS_SET, bare) || is_title(bare)) {
                break;
            }
            if is_run_word(w) || (j > i && w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 4) {
                j += 1;
                end = j;
                if possessive || LEGAL_FORMS.contains(&bare) {
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
        // Leading function words, titles, roles, months and weekdays are not part of the name — unless the
        // whole run names an organisation ("General Motors", "New York Stock Exchange").
        let whole = collapsed(&s.text[s.span(i, run_end)]);
        let whole_org = matches!(
            kind_from_words(&whole),
            Some(EntityKind::Organization | EntityKind::Index | EntityKind::Place)
        );
        // A run opened by an honorific in capitals is a transcript's speaker label ("MR. KIRBY:", also
        // written "MR. KIRBY.", "MR KIRBY:"), and so is a name in capitals after any honorific ("Mr. KIRBY:"):
        // not a name in the text.
        let honorific = |w: &str| {
            let w = w.trim_end_matches('.');
            ["MR", "MS", "MRS", "DR"]
                .iter()
                .any(|h| w.eq_ignore_ascii_case(h))
        };
        // ("DR Congo" and "MS Amlin" are names.)
        if honorific(s.word(i))
            && ((s.word(i).ends_with('.') && is_all_caps(s.word(i)))
                || (i + 1 < run_end && (i + 1..run_end).all(|x| is_all_caps(s.word(x)))))
        {
            i = run_end;
            continue;
        }
        let mut a = i;
        while a < run_end {
            let (w, _) = strip_possessive(s.word(a));
            let keep_org_word = whole_org && w != "The" && !CONNECTORS.contains(&w);
            if keep_org_word {
                break;
            }
            if in_set(&FUNCTION_WORDS_SET, w)
                || is_title(w)
                || with_lowered(w, is_role_noun)
                || (is_demonym(w) && a + 1 < run_end)
                || matches!(w, "US" | "U.S." | "UK" | "EU") && a + 1 < run_end
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
        // Nor is a run of such words ("P.M. EDT").
        if (a..b).all(|x| NOT_NAME_ACRONYMS.contains(&s.word(x))) {
            continue;
        }
        // A word broken off with a hyphen is a false start, not a name ("Hama- — Hamas", "White Hous- —").
        if broken_off(s, b) {
            continue;
        }
        // "the Framework", "the Council": a head noun alone refers back to a longer name.
        if b - a == 1 && (is_head(&name) || in_set(&ORG_WORDS_SET, &name)) {
            continue;
        }
        if name
            .chars()
            .all(|c| c.is_ascii_digit() || !c.is_alphanumeric())
        {
            continue;
        }
        if overlaps_taken(taken, &range) {
            continue;
        }
        // A lone nationality adjective is not a name ("American", "European"), nor is a compound modifier
        // ("Kenya-U.S. ties", "Russia-Ukraine war").
        // In a shouted headline too ("AMERICANS").
        let word = if is_all_caps(&name) {
            let mut c = name.chars();
            c.next()
                .map(|f| f.to_string() + &c.as_str().to_lowercase())
                .unwrap_or_default()
        } else {
            name.clone()
        };
        if b - a == 1
            && (is_demonym(&word)
                || is_plural_demonym(&word)
                || name
                    .split('-')
                    .filter(|p| p.starts_with(char::is_uppercase))
                    .count()
                    >= 2)
        {
            continue;
        }
        // "Keith Springer of Capital Financial Advisory Services": a person, then the organisation.
        if is_given_name(s.word(a))
            && let Some(of) = (a + 2..b).find(|&k| s.word(k) == "of")
            && of + 1 < b
        {
            for (x, y, kind) in [
                (a, of, EntityKind::Person),
                (of + 1, b, EntityKind::Organization),
            ] {
                let r = s.span(x, y);
                let r = r.start..r.start + strip_possessive(&s.text[r.clone()]).0.len();
                let nm = collapse(&s.text[r.clone()]);
                out.push(NameMention {
                    kind: if kind == EntityKind::Person {
                        kind
                    } else {
                        kind_from_words(&nm).unwrap_or(kind)
                    },
                    range: r.clone(),
                    name: nm,
                    role: None,
                    acronym: None,
                    full_range: r,
                    cue: Cue::Running,
                });
            }
            continue;
        }
        let initial = Some(a) == first_word;
        // "Shares of Chrysler fell": at the start of a sentence the first word may be a common noun, so the
        // name after its connector is a candidate of its own.
        if initial
            && b - a >= 3
            && CONNECTORS.contains(&s.word(a + 1))
            && is_run_word(s.word(a + 2))
        {
            let tail = s.span(a + 2, b);
            let tail = tail.start..tail.start + strip_possessive(&s.text[tail.clone()]).0.len();
            let tail_name = collapse(&s.text[tail.clone()]);
            out.push(NameMention {
                kind: kind_from_words(&tail_name)
                    .or_else(|| kind_from_context(s, a + 2, b))
                    .unwrap_or(EntityKind::Other),
                range: tail.clone(),
                name: tail_name,
                role: None,
                acronym: None,
                full_range: tail,
                cue: Cue::Running,
            });
        }
        let kind = kind_from_words(&name)
            .or_else(|| kind_from_context(s, a, b))
            .or_else(|| numbered(&name).then_some(EntityKind::Product))
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
        let whole: Vec<ByteRange> = std::iter::once(0..text.len()).collect();
        find_proper_names(text, &whole, &[])
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
        let found = names("the Hama- — Hamas fighters and the White Hous- — the White House said");
        let got: Vec<&str> = found.iter().map(|(n, _, _)| n.as_str()).collect();
        assert!(
            !got.iter().any(|n| *n == "Hama" || n.ends_with("Hous")),
            "{got:?}"
        );
        for label in [
            "MR. KIRBY. Thank you, Karine.",
            "Mr. KIRBY: Thank you, Karine.",
            "MR KIRBY: Those were the days.",
            "MS. Thank you.",
            "It is 12:30 P.M. EDT now.",
        ] {
            let found = names(label);
            assert!(
                !found
                    .iter()
                    .any(|(n, _, _)| n.contains("KIRBY") || n.contains("MS") || n.contains("EDT")),
                "{label}: {found:?}"
            );
        }
        // An honorific's letters before a name in lower case are a name's ("DR Congo").
        let found = names("Fighting in the DR Congo continued on Monday.");
        assert!(
            found.iter().any(|(n, _, _)| n.contains("Congo")),
            "{found:?}"
        );
        let found = names("so the Framework and the Council met.");
        assert!(found.is_empty(), "{found:?}");
        let found = names("Well, I’m glad. I’ve said so.");
        assert!(found.is_empty(), "{found:?}");
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
#[cfg(test)]
mod review_tests {
    use super::*;
    use crate::extract::names::find_people;

    #[test]
    fn organisations_found_as_speakers_are_not_people() {
        let text = "The British National Council for Voluntary Organisations said that 60 of its 6,500 have lost money.";
        let whole: Vec<ByteRange> = std::iter::once(0..text.len()).collect();
        let (people, other) = review_people(text, find_people(text, &whole));
        assert!(people.is_empty(), "{people:?} / {other:?}");
    }
}
