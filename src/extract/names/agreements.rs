//! Agreements and organisations named by their heads ("the Paris Agreement", "Long Name (ACRONYM)"),
//! including lower-case agreements ("the framework agreement").

use super::words::{
    CONNECTORS, FUNCTION_WORDS, FUNCTION_WORDS_SET, ORG_WORDS_SET, Sent, in_set, is_all_caps,
    is_cap, is_title, strip_possessive, strip_possessive_range,
};
use super::{Cue, EntityKind, NameMention};
use crate::extract::segment::tokens;
use crate::extract::word::with_lowered;
use crate::text::ByteRange;
use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

/// Head words of agreements and named initiatives.
const AGREEMENT_HEADS: &[&str] = &[
    "agreement",
    "agreements",
    "framework",
    "act",
    "treaty",
    "accord",
    "accords",
    "pact",
    "mission",
    "operation",
    "initiative",
    "convention",
    "protocol",
    "compact",
    "charter",
    "memorandum",
    "deal",
    "declaration",
    "arrangement",
    "arrangements",
];

/// Heads that may form lowercase agreement names ("strategic trade and investment agreement").
const LOWERCASE_AGREEMENT_HEADS: &[&str] = &[
    "agreement",
    "agreements",
    "framework",
    "treaty",
    "accord",
    "pact",
    "deal",
    "arrangements",
];

/// Modifiers too generic to make a lowercase agreement name on their own.
const GENERIC_MODIFIERS: &[&str] = &[
    "other",
    "all",
    "such",
    "these",
    "those",
    "new",
    "existing",
    "several",
    "various",
    "many",
    "previous",
    "any",
    "some",
    "this",
    "that",
    "ongoing",
    "recent",
    "the",
    "a",
    "an",
    "two",
    "three",
    "bilateral",
    "security",
    "trade",
    "defence",
    "defense",
    "cooperation",
    "peace",
    "joint",
    "important",
    "major",
    "key",
    "historic",
    "landmark",
    "formal",
    "final",
    "first",
    "same",
    "its",
    "their",
    "our",
    "his",
    "her",
    "future",
    "possible",
    "potential",
    "proposed",
    "current",
    "signed",
    "international",
    "global",
    "regional",
    "economic",
    "military",
    "political",
    "new",
    "broader",
    "comprehensive",
    "strategic",
    "long-term",
    "interim",
    "draft",
    "free",
    "binding",
    "non-binding",
    "specific",
    "multiple",
    "numerous",
    "additional",
    "further",
    "prior",
    "earlier",
    "later",
    "more",
    "most",
    "both",
    "each",
    "every",
    "whole",
    "entire",
    "overall",
    "general",
    "one",
    "landmark",
];

static AGREEMENT_HEADS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| AGREEMENT_HEADS.iter().copied().collect());
static GENERIC_MODIFIERS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| GENERIC_MODIFIERS.iter().copied().collect());

/// Agreements, named initiatives and organisations named in the sentences of a text.
pub fn find_agreements(text: &str, sentences: &[ByteRange]) -> Vec<NameMention> {
    let mut out = Vec::new();
    for r in sentences {
        let s = Sent {
            text,
            toks: tokens(text, r.clone()),
        };
        things_in_sentence(&s, &mut out);
    }
    out
}

pub(crate) fn is_head(word: &str) -> bool {
    with_lowered(word, |l| in_set(&AGREEMENT_HEADS_SET, l))
}

pub(super) fn things_in_sentence(s: &Sent, out: &mut Vec<NameMention>) {
    let n = s.toks.len();
    let mut i = 0;
    while i < n {
        if !(s.is_word(i) && is_cap(s.word(i))) {
            // Lowercase agreement names ending in a head noun.
            if s.is_word(i)
                && LOWERCASE_AGREEMENT_HEADS.contains(&s.word(i))
                && (i == 0 || !is_cap(s.word(i - 1)))
                && let Some(m) = lowercase_agreement(s, i)
            {
                out.push(m);
            }
            i += 1;
            continue;
        }
        // A capitalised run with connectors.
        let start = i;
        let mut k = i;
        let mut last_cap = i;
        while k < n && s.is_word(k) {
            let w = s.word(k);
            if is_cap(w) || (w.chars().any(|c| c.is_ascii_digit()) && k > start) {
                last_cap = k;
                k += 1;
            } else if CONNECTORS.contains(&w)
                && k + 1 < n
                && s.is_word(k + 1)
                && (is_cap(s.word(k + 1))
                    || (s.word(k + 1) == "the"
                        && k + 2 < n
                        && s.is_word(k + 2)
                        && is_cap(s.word(k + 2))))
            {
                k += 1;
            } else {
                break;
            }
        }
        let mut end = last_cap + 1;
        // Lowercase head right after a capitalised run: "Multinational Security Support mission".
        let mut lower_head = false;
        if end < n && s.is_word(end) && is_head(s.word(end)) && !is_cap(s.word(end)) {
            end += 1;
            lower_head = true;
        }
        let mut a = start;
        // The name of an agreement runs back from its head over capitalised words and "of/for/and/the"
        // between them, stopping at titles, "Kenya-led" and other connectors; forward only over a
        // "Mission in Somalia" or "Treaty of Rome" tail.
        if let Some(h) = (start..end)
            .rev()
            .find(|&x| is_head(s.word(x)))
            .filter(|_| s.word(start) != "Operation")
        {
            let mut b = h;
            while b > start {
                let w = s.word(b - 1);
                let ok = (is_cap(w)
                    && !is_title(w)
                    && !in_set(&FUNCTION_WORDS_SET, w)
                    && !w.ends_with("-led")
                    && !w.ends_with("-backed")
                    && !w.ends_with("-funded")
                    && !strip_possessive(w).1)
                    || (matches!(w, "of" | "for" | "and" | "the")
                        && b - 1 > start
                        && is_cap(s.word(b - 2))
                        // "the Bipartisan Infrastructure Law and Inflation Reduction Act": two names.
                        && !(w == "and" && (is_head(s.word(b - 2)) || s.word(b - 2) == "Law")));
                if !ok {
                    break;
                }
                b -= 1;
            }
            a = b;
            let located = with_lowered(s.word(h), |l| {
                matches!(l, "mission" | "operation" | "initiative")
            });
            // The name ends at its head but for "Mission in Somalia", "Treaty of Rome", and an organisation
            // named after a head ("North Atlantic Treaty Organization").
            let tail = (h + 1 < end).then(|| s.word(h + 1));
            let tail_kept = tail.is_some_and(|w| {
                (located && w == "in") || matches!(w, "of" | "on") || in_set(&ORG_WORDS_SET, w)
            });
            if tail.is_some() && !tail_kept {
                end = h + 1;
                lower_head = lower_head && end == last_cap + 2;
            }
        }
        // "Commander of the U.S. Africa Command": a title's portfolio is the name of the thing.
        if a < end
            && is_title(s.word(a))
            && let Some(of) = (a..end).find(|&x| s.word(x) == "of")
        {
            a = of + 1;
            while a < end && CONNECTORS.contains(&s.word(a)) {
                a += 1;
            }
        }
        while a < end
            && (in_set(&FUNCTION_WORDS_SET, s.word(a)) && !is_head(s.word(a))
                || CONNECTORS.contains(&s.word(a)))
        {
            a += 1;
        }
        // "… of the U.S. Department of Justice (DOJ)": the name the acronym stands for, not the run of
        // capitalised words before it. An acronym the words do not spell is another language's ("Kurdistan
        // Workers' Party (PKK)"), or the run holds it ("… Company EADS N.V. (EADS)"): the run is kept.
        // Two letters the words do not spell are a place's code after a school's name ("Howard University
        // (DC)", "University of Cambridge (UK)"), not its acronym.
        let mut acronym = acronym_after(s, end);
        if let Some((acr, _)) = &acronym {
            let words: Vec<&str> = (a..end).map(|x| s.word(x)).collect();
            if !words.contains(&acr.as_str()) {
                match long_form_start(&words, acr) {
                    Some(k) => a += k,
                    None if acr.chars().filter(|c| c.is_alphanumeric()).count() < 3 => {
                        acronym = None;
                    }
                    None => {}
                }
            }
        }
        let words: Vec<&str> = (a..end).map(|x| s.word(x)).collect();
        let head_pos = words.iter().rposition(|w| is_head(w));
        let first_is_operation =
            words.first().is_some_and(|w| *w == "Operation") && words.len() >= 2;
        let content = words.iter().filter(|w| !CONNECTORS.contains(w)).count();
        if let Some(h) = head_pos {
            // Head last, or followed only by "in/of/on Place…".
            let tail_ok = h + 1 == words.len()
                || (first_is_operation && h == 0)
                || (CONNECTORS.contains(&words[h + 1]) && words[h + 1] != "and");
            let enough = content >= 2 && (h > 0 || first_is_operation || acronym.is_some());
            let single_place_lower = lower_head && content < 3;
            if tail_ok && enough && !single_place_lower {
                let range = s.span(a, end);
                let name = strip_possessive(&s.joined(a, end)).0.to_string();
                let full = match &acronym {
                    Some((_, r)) => range.start..r.end + 1,
                    None => range.clone(),
                };
                out.push(NameMention {
                    kind: EntityKind::Agreement,
                    range: range.start..strip_possessive_range(s.text, range.clone()),
                    name,
                    role: None,
                    acronym,
                    full_range: full,
                    cue: Cue::Title,
                });
                i = end;
                continue;
            }
            if lower_head && content == 2 && h == 1 && !lower_head_is_generic(&words) {
                // "Haiti mission": a place-qualified reference, resolved later against "… Mission in Haiti".
                let range = s.span(a, end);
                out.push(NameMention {
                    kind: EntityKind::Agreement,
                    range: range.clone(),
                    name: s.joined(a, end),
                    role: None,
                    acronym: None,
                    full_range: range,
                    cue: Cue::Surname,
                });
                i = end;
                continue;
            }
        }
        // Organisation: "Long Name (ACRONYM)" with an organisation word.
        if let Some(acr) = &acronym
            && content >= 2
            && words.iter().any(|w| in_set(&ORG_WORDS_SET, w))
        {
            let span = s.span(a, end);
            let range = span.start..strip_possessive_range(s.text, span.clone());
            out.push(NameMention {
                kind: EntityKind::Organization,
                range: range.clone(),
                name: strip_possessive(&s.joined(a, end)).0.to_string(),
                role: None,
                acronym: Some(acr.clone()),
                full_range: range.start..acr.1.end + 1,
                cue: Cue::Title,
            });
        }
        i = end.max(i + 1);
    }
}

fn lower_head_is_generic(words: &[&str]) -> bool {
    words
        .first()
        .is_some_and(|w| FUNCTION_WORDS.contains(w) || is_all_caps(w))
}

/// Where the name that `acronym` stands for begins among `words` (the capitalised run before it, with its
/// connectors). The shortest run of last words that holds the acronym's letters in order, its first letter
/// the initial of a capitalised word: Schwartz and Hearst's rule for finding an abbreviation's long form ("A
/// simple algorithm for identifying abbreviation definitions in biomedical text", 2003), so that "Attorney
/// General of the U.S. Department of Justice (DOJ)" names the department. The run then takes back the
/// capitalised words right before it ("U.S. Department of Justice", "U.S. Africa Command") and an
/// organisation word with "of" ("Department of Health and Human Services (HHS)"), but no title, connector
/// or other name ("… Sherwood-Randall and Federal Emergency Management Agency (FEMA)"). `None` when no run of
/// the words holds the acronym.
pub(super) fn long_form_start(words: &[&str], acronym: &str) -> Option<usize> {
    let letters: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.is_empty() {
        return None;
    }
    // Each character of the words, lower-cased: its word, and whether it begins a capitalised word.
    let mut chars: Vec<(usize, bool, char)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let mut after_alnum = false;
        for c in w.chars() {
            let initial = !after_alnum && c.is_uppercase();
            after_alnum = c.is_alphanumeric();
            chars.extend(c.to_lowercase().map(|l| (i, initial, l)));
        }
    }
    let mut at = chars.len();
    for (k, &letter) in letters.iter().enumerate().rev() {
        loop {
            at = at.checked_sub(1)?;
            let (_, initial, c) = chars[at];
            if c == letter && (k > 0 || initial) {
                break;
            }
        }
    }
    let mut start = chars[at].0;
    loop {
        match start.checked_sub(1).map(|p| words[p]) {
            Some(w) if is_cap(w) && !is_title(w) && !in_set(&FUNCTION_WORDS_SET, w) => start -= 1,
            Some("of") if start >= 2 && in_set(&ORG_WORDS_SET, words[start - 2]) => start -= 2,
            _ => break,
        }
    }
    Some(start)
}

/// "(ATMIS)" right after token `k`: the acronym and its range (without parentheses).
fn acronym_after(s: &Sent, k: usize) -> Option<(String, ByteRange)> {
    if s.punct(k) == Some("(") && s.is_word(k + 1) && s.punct(k + 2) == Some(")") {
        let w = s.word(k + 1);
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if is_all_caps(w) && (2..=10).contains(&letters) && !is_degree(w) {
            return Some((w.to_string(), s.toks[k + 1].range.clone()));
        }
    }
    None
}

/// An academic degree: in a biography, "Georgetown University Law Center (J.D.)" gives the degree earned
/// there, not the school's acronym.
fn is_degree(word: &str) -> bool {
    const DEGREES: &[&str] = &[
        "BA", "BS", "BSC", "MA", "MS", "MSC", "MBA", "MPA", "MPH", "MPP", "MFA", "JD", "LLB",
        "LLM", "MD", "PHD", "EDD", "DDS", "DVM", "RN",
    ];
    let letters: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
    DEGREES.contains(&letters.to_uppercase().as_str())
}

fn lowercase_agreement(s: &Sent, head: usize) -> Option<NameMention> {
    let mut a = head;
    while a > 0 && s.is_word(a - 1) {
        let w = s.word(a - 1);
        if is_cap(w)
            || matches!(
                w,
                "the"
                    | "a"
                    | "an"
                    | "on"
                    | "of"
                    | "to"
                    | "in"
                    | "from"
                    | "under"
                    | "with"
                    | "by"
                    | "for"
                    | "its"
                    | "their"
                    | "our"
                    | "his"
                    | "her"
                    | "this"
                    | "that"
                    | "which"
                    | "is"
                    | "was"
                    | "are"
                    | "were"
                    | "been"
                    | "be"
                    | "has"
                    | "have"
                    | "had"
                    | "benefit"
                    | "signed"
                    | "about"
            )
        {
            break;
        }
        if head - a >= 5 {
            break;
        }
        a -= 1;
    }
    // Strip leading generic modifiers.
    while a < head && in_set(&GENERIC_MODIFIERS_SET, s.word(a)) && s.word(a) != "strategic" {
        a += 1;
    }
    while a < head && s.word(a) == "and" {
        a += 1;
    }
    let specific = (a..head)
        .filter(|&x| s.word(x) != "and" && !in_set(&GENERIC_MODIFIERS_SET, s.word(x)))
        .count();
    let content = (a..head).filter(|&x| s.word(x) != "and").count();
    if content < 2 || specific < 1 || (content < 3 && specific < 2) {
        return None;
    }
    let range = s.span(a, head + 1);
    Some(NameMention {
        kind: EntityKind::Agreement,
        range: range.clone(),
        name: s.joined(a, head + 1),
        role: None,
        acronym: None,
        full_range: range,
        cue: Cue::Title,
    })
}
