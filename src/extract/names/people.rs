//! People: names found by titles and roles, speech verbs, appositives ("Ruto, the president,") and
//! appointments, with the role each is given.

use super::gazetteer::{is_demonym, is_place};
use super::words::{
    FUNCTION_WORDS_SET, Sent, broken_off, in_set, is_cap, is_initial, is_name_word,
    is_role_modifier, is_role_noun, is_title, is_title_case, plural_title, strip_possessive,
    strip_possessive_range,
};
use super::{Cue, EntityKind, NameMention};
use crate::extract::segment::tokens;
use crate::extract::word::with_lowered;
use crate::text::ByteRange;
use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

/// Verbs of saying that make a preceding capitalised run a person.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "stated",
    "states",
    "added",
    "adds",
    "remarked",
    "recalled",
    "explained",
    "insisted",
    "admitted",
    "thanked",
    "praised",
    "discusses",
    "asked",
    "asks",
    "replied",
    "wrote",
    "writes",
    "tweeted",
    "emphasized",
    "emphasised",
    "argued",
    "argues",
    "noted",
    "urged",
    "warned",
    "stressed",
    "testified",
    "smiled",
    "laughed",
    "declined",
    "resigned",
    "died",
];

static SPEECH_VERBS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| SPEECH_VERBS.iter().copied().collect());

/// People named in the sentences of a text.
pub fn find_people(text: &str, sentences: &[ByteRange]) -> Vec<NameMention> {
    let mut out = Vec::new();
    for r in sentences {
        let s = Sent {
            text,
            toks: tokens(text, r.clone()),
        };
        people_in_sentence(&s, &mut out);
    }
    out
}

/// The people named in one sentence, added to `out`.
pub(super) fn people_in_sentence(s: &Sent, out: &mut Vec<NameMention>) {
    let before = out.len();
    candidates_in_sentence(s, out);
    // A name made of nationality words only ("Irish American", "with leading Irish Americans, your
    // ambassador") names a group of people, not a person; nor is one joined by "&" a person's ("Jack &
    // Jill", a club; "Johnson & Johnson", a company).
    let found = out.split_off(before);
    out.extend(found.into_iter().filter(|m| {
        !m.name.split(' ').all(|w| is_demonym(strip_possessive(w).0)) && !m.name.contains('&')
    }));
}

fn candidates_in_sentence(s: &Sent, out: &mut Vec<NameMention>) {
    // Names have at most three words (initials aside); a longer capitalised run is a longer proper noun.
    // Headlines in title case ("President Biden Announces Final Rule") capitalise everything, so there a
    // name is taken only when two words end the run.
    let max_words = if is_title_case(s) { 2 } else { 3 };
    let n = s.toks.len();
    let mut i = 0;
    let mut taken_until = 0usize;
    while i < n {
        if !s.is_word(i) || i < taken_until {
            i += 1;
            continue;
        }
        let w = s.word(i);
        // A lowercase role right before a name: "director Theodore Solso", "head of finance Daniel Ammann".
        let role_noun = is_role_noun(w);
        let lower_portfolio = role_noun.then(|| lowercase_portfolio(s, i)).flatten();
        let lower_role = role_noun
            && (i + 1 < n && s.is_word(i + 1) && is_name_word(s.word(i + 1))
                || lower_portfolio.is_some());
        // "Senators Tester and Jerry Moran": each name of the list has the title.
        if let Some(one) = plural_title(w) {
            let end = titled_list(s, i, one, max_words, out);
            taken_until = end;
            i = end.max(i + 1);
            continue;
        }
        // "of State", "of Defense": the portfolio of a title.
        if is_title(w) || lower_role {
            let head = i;
            let mut j = i + 1;
            // Title continuation: "Vice President", "Secretary of State Antony J. Blinken", and the class of a
            // rank ("Sergeant First Class").
            loop {
                if j < n && s.is_word(j) && is_title(s.word(j)) {
                    j += 1;
                } else if s.is_word(j + 1)
                    && matches!(s.word(j), "First" | "Second" | "Third")
                    && s.word(j + 1) == "Class"
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let mut portfolio_end = j;
            if let Some(after) = lower_portfolio.filter(|_| lower_role) {
                portfolio_end = after;
                j = after;
            } else if j < n && s.is_word(j) && s.word(j) == "of" {
                let mut k = j + 1;
                if k < n && s.is_word(k) && s.word(k) == "the" {
                    k += 1;
                }
                let caps_start = k;
                let (chain_end, title_end) = portfolio_chain(s, k);
                k = chain_end;
                if let Some(t) = title_end {
                    // "Chairman of the Joint Chiefs of Staff Gen. Mark A. Milley": a rank closes the portfolio.
                    portfolio_end = t;
                    j = t;
                } else if k > caps_start && name_after_comma(s, k, max_words) {
                    // "the Acting Director of the Office of Science and Technology Policy, Alondra Nelson.".
                    portfolio_end = k;
                    j = k + 1;
                } else if k > caps_start {
                    // Split "Defense Lloyd J. Austin": the name is the last two words (+ initials).
                    let mut words = 0;
                    let mut m = k;
                    while m > caps_start {
                        let wd = s.word(m - 1);
                        if is_initial(wd) {
                            m -= 1;
                            continue;
                        }
                        if words == 2 || !is_name_word(wd) {
                            break;
                        }
                        words += 1;
                        m -= 1;
                    }
                    // A name never starts right after a joining word: "of Science and Technology".
                    if words == 2 && m > caps_start && !is_cap(s.word(m - 1)) {
                        m += 1;
                        while m < k && is_initial(s.word(m)) {
                            m += 1;
                        }
                        words = 1;
                    }
                    if m == caps_start || words == 0 || !is_cap(s.word(m - 1)) {
                        // Nothing left for a portfolio (or no name): the title is a role without name.
                        i = k;
                        continue;
                    }
                    portfolio_end = m;
                    j = m;
                }
            }
            // The name: capitalised name words (and initials) after the title.
            let name_start = j;
            let (k, possessive) = name_run(s, j, max_words);
            // "Vice President Pacific Region": the words run on into a longer proper noun, not a name.
            // So does a name followed by a capitalised small word in running text, inside the title of a
            // law or a work ("the Sergeant First Class Heath Robinson Honoring Our Promises … Act").
            let runs_on = !possessive
                && k < n
                && s.is_word(k)
                && is_cap(s.word(k))
                && (!in_set(&FUNCTION_WORDS_SET, s.word(k))
                    || max_words > 2 && TITLE_CASE_SMALL_WORDS.contains(&s.word(k)))
                && !is_title(s.word(k));
            if k == name_start || runs_on {
                i = k.max(j).max(i + 1);
                continue;
            }
            // Role: modifiers before the head ("Kenyan", "Defence Cabinet", "US").
            let mut role_start = head;
            while role_start > 0
                && s.is_word(role_start - 1)
                && is_role_modifier(s.word(role_start - 1))
                && !is_name_word_taken(out, &s.toks[role_start - 1].range)
                && head - role_start < 4
            {
                role_start -= 1;
            }
            let role_end = portfolio_end.max(head + 1);
            let name_words: Vec<&str> = (name_start..k)
                .map(|x| strip_possessive(s.word(x)).0)
                .collect();
            let real_words = name_words.iter().filter(|w| !is_initial(w)).count();
            // A lone surname after a military or ambiguous title ("General Motors") is kept only as a
            // surname mention to be resolved against known people.
            let cue = if real_words >= 2 {
                Cue::Title
            } else {
                Cue::Surname
            };
            let mut role = Some((s.joined(role_start, role_end), s.span(role_start, role_end)));
            if lower_role && role_start == head {
                role = Some((s.joined(head, role_end), s.span(head, role_end)));
            }
            let mut full = s.span(role_start, k);
            let name_range = s.toks[name_start].range.start
                ..strip_possessive_range(s.text, s.toks[k - 1].range.clone());
            // Appositive role after the name.
            if let Some((app, app_range)) = appositive(s, k) {
                full = full.start..app_range.end;
                if role.is_none() || cue == Cue::Title {
                    out.push(person(
                        s,
                        name_range.clone(),
                        &name_words,
                        role.clone(),
                        full.clone(),
                        cue,
                    ));
                    role = Some((app, app_range));
                }
            }
            out.push(person(s, name_range, &name_words, role, full, cue));
            taken_until = k;
            i = k;
            continue;
        }
        // Untitled capitalised run: a person when followed by an appositive role/age/"who" or a verb of saying.
        if is_name_word(w)
            && (i == 0 || !s.is_word(i - 1) || !is_cap(s.word(i - 1)) || s.word(i - 1) == "and")
        {
            let start = i;
            let (k, possessive) = name_run(s, i, max_words);
            // Preceded directly by another capitalised word (part of a longer proper noun): skip.
            let followed_by_cap = k < n && s.is_word(k) && is_cap(s.word(k)) && !possessive;
            let words: Vec<&str> = (start..k).map(|x| strip_possessive(s.word(x)).0).collect();
            let real = words.iter().filter(|w| !is_initial(w)).count();
            if !followed_by_cap && real >= 1 {
                let app = if possessive { None } else { appositive(s, k) };
                let speech =
                    !possessive && k < n && s.is_word(k) && in_set(&SPEECH_VERBS_SET, s.word(k));
                let age_or_who = !possessive && age_or_who(s, k);
                let name_range = s.toks[start].range.start
                    ..strip_possessive_range(s.text, s.toks[k - 1].range.clone());
                // "named Mary Barra as its new chief executive": appointed to a role.
                let app = app.or_else(|| {
                    if possessive {
                        None
                    } else {
                        appointed_as(s, start, k)
                    }
                });
                if real >= 2 && (app.is_some() || speech || age_or_who) {
                    let full = match &app {
                        Some((_, r)) => name_range.start..r.end,
                        None => name_range.clone(),
                    };
                    let cue = if app.is_some() || age_or_who {
                        Cue::Appositive
                    } else {
                        Cue::Speech
                    };
                    out.push(person(s, name_range, &words, app, full, cue));
                } else if real == 1 && (speech || age_or_who) {
                    out.push(person(
                        s,
                        name_range.clone(),
                        &words,
                        None,
                        name_range,
                        Cue::Surname,
                    ));
                }
            }
            i = k.max(i + 1);
            continue;
        }
        i += 1;
    }
}

/// After a whole portfolio, ", Alondra Nelson." : a comma, then a name of two or three words that ends the
/// clause, and is not a place ("Minister of Defence, New Zealand.").
fn name_after_comma(s: &Sent, k: usize, max_words: usize) -> bool {
    if s.punct(k) != Some(",") {
        return false;
    }
    let (e, possessive) = name_run(s, k + 1, max_words);
    let real = (k + 1..e).filter(|&x| !is_initial(s.word(x))).count();
    let ends_clause = e >= s.toks.len() || matches!(s.punct(e), Some("," | "." | ";" | ")"));
    real >= 2 && !possessive && ends_clause && !is_place(&s.joined(k + 1, e))
}

/// Articles, possessives and prepositions, capitalised inside sentences only in the titles of laws and works.
const TITLE_CASE_SMALL_WORDS: &[&str] = &[
    "The", "A", "An", "Our", "Their", "His", "Her", "Its", "Of", "To", "For", "And", "With", "In",
    "On", "At", "By", "From",
];

/// The names listed after the plural title at `i`, each a person with the title `one`: "Senators Manchin,
/// Carper and Jerry Moran". Returns the token after the list.
fn titled_list(
    s: &Sent,
    i: usize,
    one: &str,
    max_words: usize,
    out: &mut Vec<NameMention>,
) -> usize {
    let n = s.toks.len();
    let mut j = i + 1;
    let mut end = j;
    loop {
        let (k, possessive) = name_run(s, j, max_words);
        let runs_on = !possessive && s.is_word(k) && is_cap(s.word(k));
        if k == j || runs_on {
            break;
        }
        let words: Vec<&str> = (j..k).map(|x| strip_possessive(s.word(x)).0).collect();
        let real = words.iter().filter(|w| !is_initial(w)).count();
        let cue = if real >= 2 { Cue::Title } else { Cue::Surname };
        let name_range =
            s.toks[j].range.start..strip_possessive_range(s.text, s.toks[k - 1].range.clone());
        let role = Some((one.to_string(), s.toks[i].range.clone()));
        out.push(person(s, name_range, &words, role, s.span(i, k), cue));
        end = k;
        j = k;
        if s.punct(j) == Some(",") {
            j += 1;
        }
        if j < n && s.is_word(j) && s.word(j) == "and" {
            j += 1;
        } else if j == end {
            break;
        }
    }
    end
}

/// Words that join the capitalised words of a portfolio: "Office of Science and Technology Policy".
const PORTFOLIO_JOINERS: &[&str] = &["of", "and", "the", "for", "&"];

/// The portfolio after "<Title> of (the)": capitalised words, joined by at most two short joining words when a
/// capitalised word follows ("Joint Chiefs of Staff", "Armed Forces of Ukraine"). Returns the end of the run
/// and, when a rank inside it is followed by a name ("… of Staff Gen. Mark"), the token after that rank.
fn portfolio_chain(s: &Sent, start: usize) -> (usize, Option<usize>) {
    let n = s.toks.len();
    let mut k = start;
    let mut joins = 0;
    loop {
        let run_start = k;
        while k < n && s.is_word(k) && is_cap(s.word(k)) {
            if k > start && is_title(s.word(k)) && s.is_word(k + 1) && is_name_word(s.word(k + 1)) {
                return (k + 1, Some(k + 1));
            }
            k += 1;
        }
        // "and" joins one-word parts only ("Science and Technology"), so a list of people is not a portfolio.
        let mut c = k;
        while c < n && s.is_word(c) && PORTFOLIO_JOINERS.contains(&s.word(c)) && c - k < 2 {
            c += 1;
        }
        let and_ok = !(k..c).any(|x| s.word(x) == "and") || k - run_start == 1;
        if k == run_start
            || c == k
            || joins == 2
            || !and_ok
            || !(c < n && s.is_word(c) && is_cap(s.word(c)))
            || s.word(c - 1) == "and" && is_title(s.word(c))
        {
            return (k, None);
        }
        joins += 1;
        k = c;
    }
}

/// The name words from `start`: at most `max_words` words besides initials, ending at a possessive. Returns the
/// end token and whether the name was possessive ("Ruto’s").
fn name_run(s: &Sent, start: usize, max_words: usize) -> (usize, bool) {
    // A name does not begin with a lone letter: given names are initialled with a period ("J. Smith"), and a
    // bare capital opening a line is a transcript's label ("Q Karine, …", the question's mark).
    if s.is_word(start) && s.word(start).chars().count() == 1 {
        return (start, false);
    }
    let mut k = start;
    let mut real = 0;
    while k < s.toks.len()
        && s.is_word(k)
        && is_name_word(s.word(k))
        && (real < max_words || is_initial(s.word(k)))
    {
        real += usize::from(!is_initial(s.word(k)));
        let (_, possessive) = strip_possessive(s.word(k));
        k += 1;
        if possessive {
            return (k, true);
        }
    }
    // A third word in "-ing" is a verb running on from the name ("… Heath Robinson Honoring our Promise").
    if real >= 3 && s.word(k - 1).ends_with("ing") {
        k -= 1;
    }
    // A name broken off with a hyphen is a false start ("President Bi- — President Biden"): none.
    if k > start && broken_off(s, k) {
        return (start, false);
    }
    (k, false)
}

fn is_name_word_taken(out: &[NameMention], r: &ByteRange) -> bool {
    out.iter()
        .any(|m| m.range.start <= r.start && r.end <= m.range.end)
}

pub(super) fn person(
    _s: &Sent,
    range: ByteRange,
    words: &[&str],
    role: Option<(String, ByteRange)>,
    full_range: ByteRange,
    cue: Cue,
) -> NameMention {
    NameMention {
        kind: EntityKind::Person,
        range,
        name: words.join(" "),
        role,
        acronym: None,
        full_range,
        cue,
    }
}

/// ", the Commander of the U.S. Africa Command (AFRICOM)," after a name: the role phrase and its range.
pub(super) fn appositive(s: &Sent, k: usize) -> Option<(String, ByteRange)> {
    if s.punct(k) != Some(",") {
        return None;
    }
    let start = k + 1;
    // ", and Chairman …", ", as well as Secretary …": the next item of a list, not a phrase about this name.
    // ", since the Vice President met …", ", hosted by President …", ", most recently as its Chief …": a
    // clause or an adverbial, not a noun phrase that says who the name is (", as U.S. attorney" is a role).
    if s.is_word(start)
        && (matches!(
            s.word(start),
            "and"
                | "or"
                | "since"
                | "when"
                | "while"
                | "where"
                | "after"
                | "before"
                | "because"
                | "if"
                | "although"
                | "though"
                | "most"
                | "also"
                | "then"
                | "now"
        ) || (s.word(start).ends_with("ed")
            && s.is_word(start + 1)
            && s.word(start + 1) == "by")
            || (s.word(start) == "as" && s.is_word(start + 1) && s.word(start + 1) == "well"))
    {
        return None;
    }
    let n = s.toks.len();
    let mut end = start;
    let mut depth = 0i32;
    while end < n {
        match s.punct(end) {
            Some("(") => depth += 1,
            Some(")") => depth -= 1,
            Some(",") | Some(";") | Some("—") | Some("–") if depth <= 0 => break,
            Some(".") if depth <= 0 => break,
            _ => {}
        }
        if s.is_word(end)
            && matches!(
                s.word(end),
                "who" | "which" | "that" | "to" | "said" | "says"
            )
        {
            break;
        }
        end += 1;
        if end - start > 14 {
            return None;
        }
    }
    if end == start {
        return None;
    }
    // A modal makes it a clause with a subject of its own (", President Biden will call on …").
    if (start..end).any(|x| {
        s.is_word(x)
            && matches!(
                s.word(x),
                "will" | "would" | "can" | "could" | "should" | "shall" | "may" | "might" | "must"
            )
    }) {
        return None;
    }
    // The phrase must contain a role noun or title within its first words.
    let has_role = (start..end.min(start + 5))
        .any(|x| s.is_word(x) && (with_lowered(s.word(x), is_role_noun) || is_title(s.word(x))));
    if !has_role {
        return None;
    }
    let mut a = start;
    if s.is_word(a) && matches!(s.word(a), "the" | "a" | "an" | "The") {
        a += 1;
    }
    let mut b = end;
    while b > a && !s.is_word(b - 1) && s.punct(b - 1) != Some(")") {
        b -= 1;
    }
    if b > a && names_titled_person(s, a, b) {
        return None;
    }
    (b > a).then(|| (s.joined(a, b), s.span(a, b)))
}

/// Does `s.toks[a..b]` end with a titled person of its own ("Secretary of State Antony J. Blinken")? Then a
/// comma before it separates two people of a list, not a name and its role.
fn names_titled_person(s: &Sent, a: usize, b: usize) -> bool {
    let part = Sent {
        text: s.text,
        toks: s.toks[a..b].to_vec(),
    };
    let mut found = Vec::new();
    people_in_sentence(&part, &mut found);
    let end = s.toks[b - 1].range.end;
    found
        .iter()
        .any(|m| m.cue == Cue::Title && m.range.end == end)
}

/// The token after "head of finance" in "head of finance Daniel Ammann": a lowercase role noun followed by
/// "of" and one to three lowercase words, then a name.
fn lowercase_portfolio(s: &Sent, i: usize) -> Option<usize> {
    if !(s.is_word(i) && is_role_noun(s.word(i)) && s.is_word(i + 1) && s.word(i + 1) == "of") {
        return None;
    }
    let mut j = i + 2;
    while j < s.toks.len() && s.is_word(j) && !is_cap(s.word(j)) && j - i <= 4 {
        j += 1;
    }
    (j > i + 2 && j < s.toks.len() && s.is_word(j) && is_name_word(s.word(j))).then_some(j)
}

/// Verbs of appointing that take "<Name> as <role>".
const APPOINTING: &[&str] = &[
    "named",
    "appointed",
    "elected",
    "nominated",
    "hired",
    "picked",
    "chose",
    "tapped",
    "promoted",
    "announced",
    "selected",
    "installed",
    "confirmed",
    "names",
    "appoints",
];

/// "named Mary Barra as its new chief executive": the role after "as", when the name follows an appointing verb.
fn appointed_as(s: &Sent, start: usize, k: usize) -> Option<(String, ByteRange)> {
    let before = (0..start).rev().find(|&x| s.is_word(x))?;
    if !(APPOINTING.contains(&s.word(before)) && s.is_word(k) && s.word(k) == "as") {
        return None;
    }
    let mut a = k + 1;
    while a < s.toks.len()
        && s.is_word(a)
        && matches!(
            s.word(a),
            "its" | "the" | "a" | "an" | "their" | "his" | "her"
        )
    {
        a += 1;
    }
    let mut b = a;
    while b < s.toks.len() && s.is_word(b) && b - a < 6 {
        b += 1;
    }
    let has_role = (a..b).any(|x| with_lowered(s.word(x), is_role_noun) || is_title(s.word(x)));
    (b > a && has_role).then(|| (s.joined(a, b), s.span(a, b)))
}

/// ", 51," or ", who" after a name.
fn age_or_who(s: &Sent, k: usize) -> bool {
    if s.punct(k) != Some(",") || !s.is_word(k + 1) {
        return false;
    }
    let w = s.word(k + 1);
    (w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 3 && s.punct(k + 2) == Some(","))
        || w == "who"
        || w == "whose"
}
