//! People, agreements and organisations named in a text, found by general rules (titles and roles,
//! capitalisation, appositives, "Long Name (ACRONYM)", keyword heads) — never by lists of known names.

pub mod gazetteer;
pub mod proper;

pub use proper::{find_proper_names, review_people};

use super::segment::{Token, tokens};
use crate::text::ByteRange;
use std::collections::HashSet;
use std::sync::LazyLock;

/// What a name refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// Capitalised title heads that introduce a person's name.
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
const FUNCTION_WORDS: &[&str] = &[
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
const CONNECTORS: &[&str] = &[
    "of", "the", "and", "for", "in", "on", "to", "de", "du", "la", "&",
];

// The word lists as hash sets: they are consulted for every capitalised word of a corpus.
static TITLES_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| TITLES.iter().copied().collect());
pub(crate) static ROLE_NOUNS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ROLE_NOUNS.iter().copied().collect());
static NOT_PERSON_WORDS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| NOT_PERSON_WORDS.iter().copied().collect());
pub(crate) static FUNCTION_WORDS_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    // Month and weekday names open sentences too ("In March …", "Monday's talks").
    FUNCTION_WORDS
        .iter()
        .chain(super::dates::MONTH_NAMES.iter())
        .chain(super::dates::WEEKDAY_NAMES.iter())
        .copied()
        .collect()
});
static SPEECH_VERBS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| SPEECH_VERBS.iter().copied().collect());
static AGREEMENT_HEADS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| AGREEMENT_HEADS.iter().copied().collect());
static GENERIC_MODIFIERS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| GENERIC_MODIFIERS.iter().copied().collect());
pub(crate) static ORG_WORDS_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| ORG_WORDS.iter().copied().collect());

pub(crate) fn in_set(set: &HashSet<&'static str>, word: &str) -> bool {
    set.contains(word)
}

pub(crate) fn is_cap(word: &str) -> bool {
    word.starts_with(|c: char| c.is_uppercase())
}

fn is_initial(word: &str) -> bool {
    let mut cs = word.chars();
    matches!((cs.next(), cs.next(), cs.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

pub(crate) fn is_all_caps(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
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

pub(crate) fn is_title(word: &str) -> bool {
    in_set(&TITLES_SET, word)
}

/// Can this word be part of a person's name?
fn is_name_word(word: &str) -> bool {
    let (w, _) = strip_possessive(word);
    if is_initial(w) {
        return true;
    }
    is_cap(w)
        && !is_all_caps(w)
        && !w.chars().any(|c| c.is_ascii_digit())
        && !in_set(&NOT_PERSON_WORDS_SET, w)
        && !in_set(&FUNCTION_WORDS_SET, w)
        && !is_title(w)
        && !w.ends_with("-led")
        && !w.ends_with("-based")
        && !w.contains(".-")
        && w.chars().filter(|c| *c == '-').count() <= 1
}

/// Does the word look like a nationality or place adjective ("Kenyan", "US", "U.S.")?
fn is_role_modifier(word: &str) -> bool {
    is_cap(word) && !in_set(&FUNCTION_WORDS_SET, word)
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
    fn joined(&self, a: usize, b: usize) -> String {
        collapse(&self.text[self.span(a, b)])
    }
}

/// Collapse whitespace runs into single spaces.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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

fn people_in_sentence(s: &Sent, out: &mut Vec<NameMention>) {
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
        let lower_portfolio = lowercase_portfolio(s, i);
        let lower_role = in_set(&ROLE_NOUNS_SET, w)
            && (i + 1 < n && s.is_word(i + 1) && is_name_word(s.word(i + 1))
                || lower_portfolio.is_some());
        // "of State", "of Defense": the portfolio of a title.
        if is_title(w) || lower_role {
            let head = i;
            let mut j = i + 1;
            // Title continuation: "Vice President", "Secretary of State Antony J. Blinken".
            while j < n && s.is_word(j) && is_title(s.word(j)) {
                j += 1;
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
                while k < n && s.is_word(k) && is_cap(s.word(k)) {
                    k += 1;
                }
                if k > caps_start {
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
                    if m == caps_start || words == 0 {
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
            let runs_on = !possessive
                && k < n
                && s.is_word(k)
                && is_cap(s.word(k))
                && !in_set(&FUNCTION_WORDS_SET, s.word(k))
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

/// The name words from `start`: at most `max_words` words besides initials, ending at a possessive. Returns the
/// end token and whether the name was possessive ("Ruto’s").
fn name_run(s: &Sent, start: usize, max_words: usize) -> (usize, bool) {
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
    (k, false)
}

/// No closing full stop and most longer words capitalised: a headline or label, not running text.
pub(crate) fn is_title_case(s: &Sent) -> bool {
    let last = (0..s.toks.len())
        .rev()
        .find(|&i| !matches!(s.word(i), "\"" | "”" | "’" | "'" | ")"));
    if last.is_some_and(|i| matches!(s.word(i), "." | "!" | "?")) {
        return false;
    }
    let long: Vec<&str> = (0..s.toks.len())
        .filter(|&i| s.is_word(i))
        .map(|i| s.word(i))
        .filter(|w| {
            w.chars().count() >= 4
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
        })
        .collect();
    long.len() >= 4 && long.iter().filter(|w| is_cap(w)).count() * 10 >= long.len() * 8
}

fn is_name_word_taken(out: &[NameMention], r: &ByteRange) -> bool {
    out.iter()
        .any(|m| m.range.start <= r.start && r.end <= m.range.end)
}

fn strip_possessive_range(text: &str, r: ByteRange) -> usize {
    let (stem, _) = strip_possessive(&text[r.clone()]);
    r.start + stem.len()
}

fn person(
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
fn appositive(s: &Sent, k: usize) -> Option<(String, ByteRange)> {
    if s.punct(k) != Some(",") {
        return None;
    }
    let start = k + 1;
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
    // The phrase must contain a role noun or title within its first words.
    let has_role = (start..end.min(start + 5)).any(|x| {
        s.is_word(x)
            && (in_set(&ROLE_NOUNS_SET, s.word(x).to_lowercase().as_str()) || is_title(s.word(x)))
    });
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
    (b > a).then(|| (s.joined(a, b), s.span(a, b)))
}

/// The token after "head of finance" in "head of finance Daniel Ammann": a lowercase role noun followed by
/// "of" and one to three lowercase words, then a name.
fn lowercase_portfolio(s: &Sent, i: usize) -> Option<usize> {
    if !(s.is_word(i)
        && in_set(&ROLE_NOUNS_SET, s.word(i))
        && s.is_word(i + 1)
        && s.word(i + 1) == "of")
    {
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
    let has_role =
        (a..b).any(|x| in_set(&ROLE_NOUNS_SET, &s.word(x).to_lowercase()) || is_title(s.word(x)));
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
    in_set(&AGREEMENT_HEADS_SET, word.to_lowercase().as_str())
}

fn things_in_sentence(s: &Sent, out: &mut Vec<NameMention>) {
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
            let head_word = s.word(h).to_lowercase();
            let located = matches!(head_word.as_str(), "mission" | "operation" | "initiative");
            if h + 1 < end
                && !(located && s.word(h + 1) == "in")
                && !matches!(s.word(h + 1), "of" | "on")
            {
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
        let words: Vec<&str> = (a..end).map(|x| s.word(x)).collect();
        let head_pos = words.iter().rposition(|w| is_head(w));
        let acronym = acronym_after(s, end);
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

/// "(ATMIS)" right after token `k`: the acronym and its range (without parentheses).
fn acronym_after(s: &Sent, k: usize) -> Option<(String, ByteRange)> {
    if s.punct(k) == Some("(") && s.is_word(k + 1) && s.punct(k + 2) == Some(")") {
        let w = s.word(k + 1);
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if is_all_caps(w) && (2..=10).contains(&letters) {
            return Some((w.to_string(), s.toks[k + 1].range.clone()));
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

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

    fn p(name: &str, role: &str) -> (String, Option<String>) {
        (name.into(), Some(role.into()))
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
