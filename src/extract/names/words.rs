//! Shared word lists and shapes of names: titles, role nouns, function words, organisation words, the
//! tests on single words (capitalised, initial, title) and a tokenised sentence.

use super::collapse;
use crate::extract::segment::Token;
use crate::text::ByteRange;
use rustc_hash::FxHashSet as HashSet;
use std::sync::LazyLock;

const TITLES: &[&str] = &[
    "President",
    "President-elect",
    "Vice-President",
    "Premier",
    "Minister",
    "Secretary",
    "Secretary-General",
    "General",
    "Gen.",
    "Lt.",
    "Lieutenant",
    "Colonel",
    "Col.",
    "Major",
    "Maj.",
    "Admiral",
    "Adm.",
    "Commander",
    "Commander-in-Chief",
    "Head",
    "Captain",
    "Capt.",
    "Sergeant",
    "Sgt.",
    "Chancellor",
    "Governor",
    "Gov.",
    "Senator",
    "Sen.",
    "Representative",
    "Rep.",
    "Congressman",
    "Congresswoman",
    "Ambassador",
    "Mayor",
    "Judge",
    "Justice",
    "Speaker",
    "Director",
    "Chairman",
    "Chairwoman",
    "Chair",
    "CEO",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "Sheikh",
    "Emir",
    "Sultan",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Mr",
    "Mrs",
    "Ms",
    "Dr.",
    "Dr",
    "Prof.",
    "Professor",
    "Rev.",
    "Reverend",
    "Bishop",
    "Archbishop",
    "Cardinal",
    "Envoy",
    "Administrator",
    "Commissioner",
    "Spokesperson",
    "Spokesman",
    "Spokeswoman",
    "Leader",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Deputy",
    "Advisor",
    "Adviser",
    "Attorney",
    "Officer",
    "Leader",
    "Chief",
    "Counselor",
    "Coordinator",
];

/// Plural titles that introduce a list of names ("Senators Tester and Moran"), with the title each name has.
const PLURAL_TITLES: &[(&str, &str)] = &[
    ("Senators", "Senator"),
    ("Sens.", "Senator"),
    ("Representatives", "Representative"),
    ("Reps.", "Representative"),
    ("Congressmen", "Congressman"),
    ("Congresswomen", "Congresswoman"),
    ("Governors", "Governor"),
    ("Ministers", "Minister"),
    ("Secretaries", "Secretary"),
    ("Presidents", "President"),
    ("Leaders", "Leader"),
    ("Ambassadors", "Ambassador"),
    ("Mayors", "Mayor"),
    ("Chairs", "Chair"),
    ("Chairmen", "Chairman"),
    ("Justices", "Justice"),
    ("Judges", "Judge"),
    ("Commissioners", "Commissioner"),
    ("Drs.", "Dr."),
];

/// Lowercase role nouns that introduce a name ("current director Theodore Solso", "US counterpart Austin").
const ROLE_NOUNS: &[&str] = &[
    "president",
    "secretary",
    "minister",
    "director",
    "chairman",
    "chairwoman",
    "executive",
    "head",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "commander",
    "governor",
    "senator",
    "ambassador",
    "envoy",
    "leader",
    "founder",
    "ceo",
    "counterpart",
    "official",
    "analyst",
    "journalist",
    "reporter",
    "host",
    "presenter",
    "professor",
    "author",
    "coach",
    "captain",
    "chancellor",
    "mayor",
    "judge",
    "lawyer",
    "attorney",
    "premier",
    "adviser",
    "advisor",
    "chief",
    "economist",
    "scientist",
    "editor",
    "correspondent",
    "negotiator",
    "deputy",
    "administrator",
    "commissioner",
    "officer",
    "general",
    "medic",
    "surgeon",
    "physician",
    "nurse",
];

/// Words that make a capitalised run a place, an organisation or a thing rather than a person.
const NOT_PERSON_WORDS: &[&str] = &[
    "Command",
    "Mission",
    "Agreement",
    "Framework",
    "Act",
    "Union",
    "Council",
    "Department",
    "Ministry",
    "Office",
    "House",
    "Court",
    "Party",
    "Force",
    "Forces",
    "Army",
    "Navy",
    "Police",
    "Motors",
    "Corporation",
    "Company",
    "Bank",
    "Fund",
    "University",
    "College",
    "School",
    "Agency",
    "Authority",
    "Committee",
    "Commission",
    "Assembly",
    "Parliament",
    "Congress",
    "Senate",
    "Republic",
    "Kingdom",
    "States",
    "Nations",
    "Africa",
    "America",
    "Europe",
    "Asia",
    "Street",
    "Road",
    "Avenue",
    "City",
    "County",
    "Province",
    "Region",
    "Sea",
    "Ocean",
    "River",
    "Lake",
    "Lakes",
    "Mountain",
    "Island",
    "Islands",
    "Airport",
    "Station",
    "Group",
    "Inc.",
    "Ltd",
    "LLC",
    "Times",
    "Post",
    "News",
    "Daily",
    "Airlines",
    "International",
    "National",
    "Federal",
    "Royal",
    "Guard",
    "Day",
    "Week",
    "Olympic",
    "Olympics",
    "Games",
    "Cup",
    "Prize",
    "Award",
    "Bill",
    "Law",
    "Treaty",
    // The Federal Reserve ("the St. Louis Fed said").
    "Fed",
    // Geography ("the Korean Peninsula", "the English Channel"; more below).
    "Peninsula",
    "Channel",
    "Strait",
    "Operation",
    "Initiative",
    "Program",
    "Programme",
    "Project",
    "Summit",
    "Conference",
    "Forum",
    "Church",
    "Foundation",
    "Institute",
    "Center",
    "Centre",
    "Hospital",
    "Cabinet",
    "Government",
    "Administration",
    "Embassy",
    "Services",
    "Systems",
    "Technologies",
    "Holdings",
    "Partners",
    "Network",
    "Media",
    "Press",
    "Club",
    "Team",
    "League",
    "Hotel",
    "Palace",
    "Square",
    "Park",
    "Bridge",
    "Port",
    "Harbor",
    "Canal",
    "Valley",
    "Desert",
    "Coast",
    "Gulf",
    "Bay",
    "Horn",
    "Great",
    "East",
    "West",
    "North",
    "South",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Airways",
    "Electric",
    "Dynamics",
    "Aerospace",
    "Industries",
    "Energy",
    "Capital",
    "Health",
    "Security",
    "Defense",
    "Defence",
    "Affairs",
    "Strategy",
    "Plan",
    "Market",
    "Exchange",
    "Museum",
    "Library",
    "Stadium",
    "Tower",
    "Hall",
    "Building",
    "Prison",
    "Base",
    "Camp",
    "Zone",
    "Territory",
    "State",
    "Federation",
    "Alliance",
    "Association",
    "Board",
    "Bureau",
    "Organization",
    "Organisation",
    "Institution",
    "Coalition",
    "Movement",
    "Front",
    "Brigade",
    "Division",
    "Regiment",
    "Battalion",
    "Corps",
    "Fleet",
    "Squadron",
    "Unit",
    "Reserve",
    "Treasury",
    "Bureau",
    "Pentagon",
    "Kremlin",
    "Capitol",
    "Declaration",
    "Accord",
    "Pact",
    "Deal",
    "Protocol",
    "Convention",
    "Compact",
    "Charter",
    "Century",
    "War",
    "Crisis",
    "Revolution",
    "Era",
    "Age",
    "Empire",
    "Dynasty",
    "Reading",
    "Ceremony",
    "Festival",
    "Month",
    "Year",
    "Times",
    "Journal",
    "Herald",
    "Tribune",
    "Gazette",
    "Street",
    "Online",
    "Radio",
    "TV",
    "Television",
    "Studios",
    "Records",
    "Pictures",
    "Film",
    "Show",
    "Series",
    "Report",
    "Review",
    "Index",
    "Standard",
    "Academy",
    "Members",
    "Member",
    "Family",
    "Tour",
    "Grant",
    "Advisory",
    "Counsel",
    "Service",
    "Centers",
    "Workers",
    "Medicine",
    "Foundation",
    "Fellowship",
    "Scholars",
    "Panel",
    "Board",
];

/// Capitalised function words and sentence openers that are never part of a name.
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "In",
    "On",
    "At",
    "For",
    "With",
    "During",
    "After",
    "Before",
    "Both",
    "Despite",
    "While",
    "When",
    "As",
    "His",
    "Her",
    "Their",
    "Our",
    "Its",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "Or",
    "If",
    "Since",
    "From",
    "To",
    "By",
    "Of",
    "Over",
    "Under",
    "Among",
    "Between",
    "Through",
    "Overall",
    "Moving",
    "Looking",
    "However",
    "Meanwhile",
    "Additionally",
    "Conversely",
    "Beyond",
    "Exemplifying",
    "Among",
    "Addressing",
    "Acknowledging",
    "Insights",
    "Broader",
    "Conclusion",
    "Effective",
    "Kenya’s",
    "Yesterday",
    "Today",
    "Tomorrow",
    "Mr",
    "Mrs",
    "Ms",
    "Dear",
    "Thank",
    "Thanks",
    "Yes",
    "No",
    "Not",
    "All",
    "Each",
    "Every",
    "Some",
    "Many",
    "Most",
    "Several",
    "Such",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Which",
    "There",
    "Here",
    "Now",
    "Then",
    "So",
    "Also",
    "Even",
    "Just",
    "Only",
    "Still",
    "Well",
    "Please",
    "Let",
    "Good",
    "Great",
    "New",
    "First",
    "Last",
    "Next",
    "One",
    "Two",
    "Three",
    "Reader",
    "Recent",
    "Live",
    "By",
    "Updated",
    "Read",
    "More",
    "Mission",
    "Operation",
    "Democratic",
    "Republican",
    "God",
    "Lord",
    "Applause",
    "Though",
    "Although",
    "Because",
    // Auxiliary verbs, which open questions ("Has Russia asked …?") and run on after names in headlines set
    // in title case ("Vice President Harris Are Delivering …"). ("Will", "Can" and "Do" are also names.)
    "Is",
    "Are",
    "Was",
    "Were",
    "Am",
    "Has",
    "Have",
    "Had",
    "Does",
    "Did",
    "Would",
    "Could",
    "Should",
    "Shall",
    "Might",
    "Must",
    // "Like Jen said, …": a preposition, never a given name.
    "Like",
    "Once",
    "Until",
    "Unless",
    "Whether",
    "Yet",
    "Whereas",
    "Senior",
    "Former",
    "Acting",
    "Laughter",
];

/// Words that make a "Name (ACRONYM)" an organisation.
const ORG_WORDS: &[&str] = &[
    "Command",
    "Department",
    "Agency",
    "Union",
    "Council",
    "Organization",
    "Organisation",
    "Ministry",
    "Office",
    "Bank",
    "Fund",
    "Forces",
    "Force",
    "Corporation",
    "Committee",
    "Commission",
    "Institute",
    "Court",
    "Party",
    "Army",
    "Navy",
    "Police",
    "Group",
    "Service",
    "Services",
    "Administration",
    "Authority",
    "Alliance",
    "Association",
    "Federation",
    "Board",
    "Bureau",
    "Centre",
    "Center",
    "Centres",
    "Centers",
    "Institutes",
    "Agencies",
    "University",
    "College",
    "Hospital",
    "Program",
    "Programme",
    "Agency",
    "Company",
    "Network",
    "Coalition",
    "Movement",
    "Front",
    "Secretariat",
    "Assembly",
    "Parliament",
    "Community",
    "Partnership",
    "Institution",
    "Foundation",
];

/// Connectors allowed inside a capitalised name of a thing ("Secretary of State", "Mission in Somalia").
pub(super) const CONNECTORS: &[&str] = &[
    "of", "the", "and", "for", "in", "on", "to", "de", "du", "la", "&",
];

// The word lists as hash sets: they are consulted for every capitalised word of a corpus.
static TITLES_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| TITLES.iter().copied().collect());
static ROLE_NOUNS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ROLE_NOUNS.iter().copied().collect());
static NOT_PERSON_WORDS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| NOT_PERSON_WORDS.iter().copied().collect());
pub(crate) static FUNCTION_WORDS_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    // Month and weekday names open sentences too ("In March …", "Monday's talks").
    FUNCTION_WORDS
        .iter()
        .chain(crate::extract::dates::MONTH_NAMES.iter())
        .chain(crate::extract::dates::WEEKDAY_NAMES.iter())
        .copied()
        .collect()
});
pub(crate) static ORG_WORDS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ORG_WORDS.iter().copied().collect());

pub(crate) fn in_set(set: &HashSet<&'static str>, word: &str) -> bool {
    set.contains(word)
}

pub(crate) fn is_cap(word: &str) -> bool {
    word.starts_with(|c: char| c.is_uppercase())
}

pub(super) fn is_initial(word: &str) -> bool {
    let mut cs = word.chars();
    matches!((cs.next(), cs.next(), cs.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

pub(crate) fn is_all_caps(word: &str) -> bool {
    let mut letters = 0;
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

pub(crate) fn strip_possessive(word: &str) -> (&str, bool) {
    for suffix in ["’s", "'s", "’", "'"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return (stem, true);
        }
    }
    (word, false)
}

/// Does `word` start with an ASCII capital? Every title does, so most words need no look-up.
fn starts_ascii_upper(word: &str) -> bool {
    word.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
}

/// Whether the word before token `k` is broken off: a hyphen glued to it and nothing after ("Hama- —", a
/// transcript's false start).
pub(super) fn broken_off(s: &Sent, k: usize) -> bool {
    s.punct(k) == Some("-")
        && s.toks[k].range.start == s.toks[k - 1].range.end
        && !s.text[s.toks[k].range.end..].starts_with(|c: char| c.is_alphanumeric())
}

/// A party's members, in the plural ("Democrats"): the name of a group, never a surname.
pub(super) fn is_party_members(word: &str) -> bool {
    matches!(
        word,
        "Democrats" | "Republicans" | "Conservatives" | "Liberals" | "Socialists"
    )
}

pub(crate) fn is_title(word: &str) -> bool {
    starts_ascii_upper(word) && in_set(&TITLES_SET, word)
}

/// Is `word` a lowercase role noun ("director", "counterpart")? Every one starts with an ASCII lowercase
/// letter, so most words need no look-up.
pub(crate) fn is_role_noun(word: &str) -> bool {
    word.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_lowercase() && ROLE_NOUN_INITIALS & (1 << (b - b'a')) != 0)
        && in_set(&ROLE_NOUNS_SET, word)
}

/// The first letters of the role nouns, one bit each.
const ROLE_NOUN_INITIALS: u32 = initials(ROLE_NOUNS);

/// The set of the first letters of lowercase ASCII words, one bit per letter.
const fn initials(words: &[&str]) -> u32 {
    let mut mask = 0;
    let mut i = 0;
    while i < words.len() {
        mask |= 1 << (words[i].as_bytes()[0] - b'a');
        i += 1;
    }
    mask
}

/// The title of each name after a plural title ("Senators" → "Senator").
pub(super) fn plural_title(word: &str) -> Option<&'static str> {
    if !starts_ascii_upper(word) {
        return None;
    }
    PLURAL_TITLES
        .iter()
        .find(|(plural, _)| *plural == word)
        .map(|(_, one)| *one)
}

/// Can this word be part of a person's name?
pub(super) fn is_name_word(word: &str) -> bool {
    // A name word or initial starts with a capital: an ASCII first byte that is none settles it (stripping
    // a possessive keeps the first character).
    if word
        .as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return false;
    }
    let (w, _) = strip_possessive(word);
    if is_initial(w) {
        return true;
    }
    is_cap(w)
        && !is_all_caps(w)
        && !is_contraction(w)
        && !is_plural_demonym(w)
        && !w.chars().any(|c| c.is_ascii_digit())
        && !in_set(&NOT_PERSON_WORDS_SET, w)
        && !is_party_members(w)
        && !in_set(&FUNCTION_WORDS_SET, w)
        && !is_title(w)
        && plural_title(w).is_none()
        && !w.ends_with("-led")
        && !w.ends_with("-based")
        && !w.contains(".-")
        && w.chars().filter(|c| *c == '-').count() <= 1
}

/// A pronoun or verb with a contracted ending ("I’m", "We’ll", "Don’t"): never part of a name, unlike an
/// apostrophe before a capital ("O’Brien", "N’Golo").
fn is_contraction(w: &str) -> bool {
    let Some(at) = w.rfind(['\'', '’']) else {
        return false;
    };
    let after = &w[at + w[at..].chars().next().map_or(1, char::len_utf8)..];
    matches!(after, "m" | "re" | "ve" | "ll" | "d" | "t")
}

/// A nationality in the plural ("Americans", "Kenyans", "Israelis"): people, not a name. Only the plurals
/// English makes of nationality words: "-ans" of one in "-an", "-is" of a listed one in "-i" ("Francis" is
/// no plural of a "Franci").
pub(super) fn is_plural_demonym(w: &str) -> bool {
    w.strip_suffix('s').is_some_and(|one| {
        (one.ends_with("an") && super::gazetteer::is_demonym(one))
            || (one.ends_with('i') && super::gazetteer::is_listed_demonym(one))
    })
}

/// Does the word look like a nationality or place adjective ("Kenyan", "US", "U.S.")?
pub(super) fn is_role_modifier(word: &str) -> bool {
    // "Acting", "Former" and "Senior" never name anyone, but they do qualify a title ("Acting Director").
    is_cap(word)
        && (!in_set(&FUNCTION_WORDS_SET, word) || matches!(word, "Acting" | "Former" | "Senior"))
}

pub(super) fn strip_possessive_range(text: &str, r: ByteRange) -> usize {
    let (stem, _) = strip_possessive(&text[r.clone()]);
    r.start + stem.len()
}

/// No closing full stop and most longer words capitalised: a headline or label, not running text.
pub(crate) fn is_title_case(s: &Sent) -> bool {
    let last = (0..s.toks.len())
        .rev()
        .find(|&i| !matches!(s.word(i), "\"" | "”" | "’" | "'" | ")"));
    if last.is_some_and(|i| matches!(s.word(i), "." | "!" | "?")) {
        return false;
    }
    let (mut long, mut capitalised) = (0, 0);
    for w in (0..s.toks.len())
        .filter(|&i| s.is_word(i))
        .map(|i| s.word(i))
    {
        if w.chars().count() >= 4
            && w.chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
        {
            long += 1;
            capitalised += usize::from(is_cap(w));
        }
    }
    long >= 4 && capitalised * 10 >= long * 8
}

pub(crate) struct Sent<'a> {
    pub(crate) text: &'a str,
    pub(crate) toks: Vec<Token>,
}

impl<'a> Sent<'a> {
    pub(crate) fn word(&self, i: usize) -> &'a str {
        &self.text[self.toks[i].range.clone()]
    }
    pub(crate) fn is_word(&self, i: usize) -> bool {
        i < self.toks.len() && self.toks[i].word
    }
    pub(crate) fn punct(&self, i: usize) -> Option<&'a str> {
        (i < self.toks.len() && !self.toks[i].word).then(|| self.word(i))
    }
    pub(crate) fn span(&self, a: usize, b: usize) -> ByteRange {
        self.toks[a].range.start..self.toks[b - 1].range.end
    }
    pub(super) fn joined(&self, a: usize, b: usize) -> String {
        collapse(&self.text[self.span(a, b)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_start_with_a_capital_and_role_nouns_with_a_lowercase_letter() {
        let titles = TITLES.iter().chain(PLURAL_TITLES.iter().map(|(p, _)| p));
        for t in titles {
            assert!(starts_ascii_upper(t), "{t}");
            assert!(is_title(t) || plural_title(t).is_some(), "{t}");
        }
        for r in ROLE_NOUNS {
            assert!(is_role_noun(r), "{r}");
        }
    }
}
