//! Cluster keys: when two names found in different articles are one person, agreement or organisation
//! (titles, initials, short given names, legal forms).

use crate::text::fold;

/// Person titles strong enough to make a lone surname a person of its own ("President Biden").
pub(super) const PERSONAL_TITLES: &[&str] = &[
    "President",
    "Secretary",
    "Senator",
    "Sen.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Mr",
    "Mrs",
    "Ms",
    "Dr.",
    "Minister",
    "Governor",
    "Gov.",
    "Chancellor",
    "Ambassador",
    "Representative",
    "Rep.",
    "Congressman",
    "Congresswoman",
    "Mayor",
    "Judge",
    "Justice",
    "Speaker",
    "Pope",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Prime",
    "Premier",
    "President-elect",
    "Leader",
    "Chair",
    "Chairman",
    "Chairwoman",
    "Director",
    "Commissioner",
];

fn is_initial(w: &str) -> bool {
    let mut cs = w.chars();
    matches!((cs.next(), cs.next(), cs.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

pub(super) fn name_words(name: &str) -> Vec<&str> {
    name.split_whitespace()
        .filter(|w| !is_initial(w) && !matches!(*w, "Jr." | "Sr." | "Jr" | "Sr" | "II" | "III"))
        .collect()
}

/// Common English short forms of given names, so that "Joe Biden" and "Joseph R. Biden" are one person.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("joe", "joseph"),
    ("joey", "joseph"),
    ("tony", "anthony"),
    ("bill", "william"),
    ("billy", "william"),
    ("will", "william"),
    ("mike", "michael"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("bob", "robert"),
    ("bobby", "robert"),
    ("rob", "robert"),
    ("dick", "richard"),
    ("rick", "richard"),
    ("chuck", "charles"),
    ("charlie", "charles"),
    ("tom", "thomas"),
    ("tommy", "thomas"),
    ("dan", "daniel"),
    ("danny", "daniel"),
    ("dave", "david"),
    ("steve", "stephen"),
    ("kate", "katherine"),
    ("kathy", "katherine"),
    ("liz", "elizabeth"),
    ("beth", "elizabeth"),
    ("sam", "samuel"),
    ("alex", "alexander"),
    ("ben", "benjamin"),
    ("chris", "christopher"),
    ("ed", "edward"),
    ("ted", "edward"),
    ("pete", "peter"),
    ("nick", "nicholas"),
    ("matt", "matthew"),
    ("andy", "andrew"),
    ("jon", "jonathan"),
    ("greg", "gregory"),
    ("jen", "jennifer"),
    ("jenny", "jennifer"),
    ("pat", "patrick"),
    ("ron", "ronald"),
    ("don", "donald"),
    ("larry", "lawrence"),
    ("jerry", "gerald"),
    ("fred", "frederick"),
    ("hank", "henry"),
    ("jack", "john"),
    ("johnny", "john"),
    ("tim", "timothy"),
    ("vicky", "victoria"),
    ("sue", "susan"),
    ("meg", "margaret"),
    ("peggy", "margaret"),
    ("abby", "abigail"),
];

/// A given name in its full form ("joe" → "joseph").
pub(super) fn full_given_name(first: &str) -> String {
    let l = first.to_lowercase();
    SHORT_FORMS
        .iter()
        .find(|(short, _)| *short == l)
        .map_or(l, |(_, full)| (*full).to_string())
}

pub(super) fn person_key(name: &str) -> Option<(String, String)> {
    let w = name_words(name);
    (w.len() >= 2).then(|| (full_given_name(w[0]), w[w.len() - 1].to_lowercase()))
}

/// Agreement cluster key: folded, without a leading "the" or a trailing "in <Place>".
pub(super) fn agreement_key(name: &str) -> String {
    let f = fold(name);
    let f = f.strip_prefix("the ").unwrap_or(&f).to_string();
    match f.rfind(" in ") {
        Some(i) if i > 0 => f[..i].to_string(),
        _ => f,
    }
}

/// The cluster key of a proper name: folded, without a leading "the" or a trailing legal form ("Inc",
/// "Corporation", "SpA"), so that "Fiat Group SpA" and "Fiat" are one key.
pub(super) fn proper_key(name: &str) -> String {
    const LEGAL: &[&str] = &[
        "inc",
        "inc.",
        "corp",
        "corp.",
        "corporation",
        "co",
        "co.",
        "company",
        "group",
        "spa",
        "s.p.a.",
        "ag",
        "plc",
        "ltd",
        "ltd.",
        "llc",
        "sa",
        "s.a.",
        "nv",
        "n.v.",
        "holdings",
        "limited",
        "gmbh",
    ];
    let f = fold(name);
    let mut words: Vec<&str> = f.split(' ').filter(|w| !w.is_empty()).collect();
    if words.first() == Some(&"the") {
        words.remove(0);
    }
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL.contains(w)) {
        words.pop();
    }
    // "Ford Motors" and "Ford Motor" alike.
    words
        .iter()
        .map(|w| crate::extract::statements::stem(w))
        .collect::<Vec<_>>()
        .join(" ")
}
