//! Event words: the verbs and nouns that say something happened (met, visited, signed, called, took
//! effect, deployed, designated …), grouped into kinds so that differently worded reports match.

use crate::text::ByteRange;
use regex::Regex;
use std::sync::LazyLock;

/// What kind of thing happened.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Meet,
    Visit,
    Host,
    Sign,
    Call,
    TakeEffect,
    Deploy,
    Designate,
    Launch,
    Appoint,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Meet => "met",
            EventKind::Visit => "visit",
            EventKind::Host => "hosted",
            EventKind::Sign => "signed",
            EventKind::Call => "call",
            EventKind::TakeEffect => "took effect",
            EventKind::Deploy => "deployed",
            EventKind::Designate => "designated",
            EventKind::Launch => "launched",
            EventKind::Appoint => "appointed",
        }
    }

    /// The event as a noun: "this meeting", "this signing".
    pub fn noun(self) -> &'static str {
        match self {
            EventKind::Meet => "meeting",
            EventKind::Visit => "visit",
            EventKind::Host => "visit",
            EventKind::Sign => "signing",
            EventKind::Call => "call",
            EventKind::TakeEffect => "entry into force",
            EventKind::Deploy => "deployment",
            EventKind::Designate => "designation",
            EventKind::Launch => "launch",
            EventKind::Appoint => "appointment",
        }
    }

    /// Can two reports with these kinds describe the same event? A visit is hosted by someone and
    /// involves meeting them; a signing is not a meeting.
    pub fn compatible(self, other: EventKind) -> bool {
        use EventKind::*;
        self == other
            || matches!(
                (self, other),
                (Meet, Visit)
                    | (Visit, Meet)
                    | (Host, Visit)
                    | (Visit, Host)
                    | (Host, Meet)
                    | (Meet, Host)
            )
    }
}

/// An event word in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trigger {
    pub kind: EventKind,
    pub range: ByteRange,
    /// "state visit", "official visit": a qualifier that identifies a particular event.
    pub qualified: bool,
}

/// Event words by kind, most specific first.
const TABLE: &[(EventKind, &str)] = &[
    (
        EventKind::Call,
        r"phone (?:call|conversation)s?|tele(?:phone|conference) (?:call|conversation)|(?:spoke|spoken|speaks|speak|talked) (?:with|to|by phone)|called|(?:held|had|holds|a|the|this|that|their) (?:phone |video )?call|call(?:s)? with|telephoned",
    ),
    (
        EventKind::Sign,
        r"signed|signs|signing|sign|concluded|inked|entered into (?:an? |the )?(?:agreement|framework|deal|pact|treaty)",
    ),
    (
        EventKind::TakeEffect,
        r"took effect|take effect|takes effect|entered into force|came into force|comes into force|in force|effective",
    ),
    (
        EventKind::Visit,
        r"(?:state|official|working) visits?|visits|visited|visiting|visit|trip to|travell?ed to|toured",
    ),
    (EventKind::Host, r"hosted|hosts|hosting|welcomed|received"),
    (
        EventKind::Meet,
        r"met|meets|meeting|meetings|talks|sat down|held discussions|discussions|discussed|summit|bilateral",
    ),
    (
        EventKind::Deploy,
        r"deployed|deploys|deploying|deployment|deploy|dispatched",
    ),
    (
        EventKind::Designate,
        r"designated|designates|designation|recogni[sz]ed (?:\w+ )?as",
    ),
    (
        EventKind::Launch,
        r"launched|launches|launch|established|unveiled",
    ),
    (
        EventKind::Appoint,
        r"appointed|appoints|named (?:\w+ ){1,3}as|sworn in",
    ),
];

/// One pattern for all event words (a fast scan), and per kind an anchored pattern that classifies a match.
/// Kinds are tried in table order, so a word two kinds share goes to the earlier one.
static TRIGGERS: LazyLock<(Regex, Vec<(EventKind, Regex)>)> = LazyLock::new(|| {
    let any = TABLE
        .iter()
        .map(|(_, p)| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    // ASCII word boundaries keep the fast DFA engines usable on text with curly quotes and dashes.
    let scan = Regex::new(&format!(r"(?i)(?-u:\b)(?:{any})(?-u:\b)")).expect("event regex");
    let kinds = TABLE
        .iter()
        .map(|(k, p)| {
            (
                *k,
                Regex::new(&format!(r"(?i)^(?:{p})$")).expect("event kind regex"),
            )
        })
        .collect();
    (scan, kinds)
});

/// Event words in `text[range]`, in text order.
pub fn find_triggers(text: &str, range: ByteRange) -> Vec<Trigger> {
    let s = &text[range.clone()];
    let (scan, kinds) = &*TRIGGERS;
    scan.find_iter(s)
        .filter_map(|m| {
            let kind = kinds.iter().find(|(_, re)| re.is_match(m.as_str()))?.0;
            // In any ASCII case, as the lower-cased word would say.
            let word = m.as_str().as_bytes();
            let starts = |p: &[u8]| {
                word.get(..p.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(p))
            };
            Some(Trigger {
                kind,
                range: range.start + m.start()..range.start + m.end(),
                qualified: starts(b"state ")
                    || starts(b"official ")
                    || word.windows(5).any(|w| w.eq_ignore_ascii_case(b"phone")),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_or_official_visit_or_a_phone_call_is_qualified_in_any_case() {
        for (text, qualified) in [
            ("the State Visit to Kenya", true),
            ("an OFFICIAL visit", true),
            ("a Telephone Call with Ruto", true),
            ("held a PHONE conversation", true),
            ("the working visit", false),
            ("they met", false),
        ] {
            let got: Vec<bool> = find_triggers(text, 0..text.len())
                .into_iter()
                .map(|t| t.qualified)
                .collect();
            assert_eq!(got, [qualified], "{text}");
        }
    }

    fn kinds(t: &str) -> Vec<EventKind> {
        find_triggers(t, 0..t.len())
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn differently_worded_events_get_one_kind() {
        use EventKind::*;
        let cases: &[(&str, &[EventKind])] = &[
            (
                "In September, Aden and Austin signed a joint Defence Cooperation Framework",
                &[Sign],
            ),
            ("the two sides concluded the agreement", &[Sign]),
            ("Ruto has held a phone conversation with Trump", &[Call]),
            (
                "President Ruto spoke with U.S. Secretary of State Antony Blinken",
                &[Call],
            ),
            (
                "President Ruto’s state visit to the United States",
                &[Visit],
            ),
            ("Biden hosted Ruto at the White House", &[Host]),
            ("In a pivotal meeting held on November 25", &[Meet]),
            (
                "Effective from 2023 to 2028, the Framework aims",
                &[TakeEffect],
            ),
            ("will soon deploy 1,000 police officers", &[Deploy]),
            (
                "Biden has designated Kenya as a major non-NATO ally",
                &[Designate],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(kinds(text), *want, "{text}");
        }
    }

    #[test]
    fn visit_meeting_and_hosting_are_compatible_but_signing_is_not() {
        assert!(EventKind::Visit.compatible(EventKind::Host));
        assert!(EventKind::Meet.compatible(EventKind::Visit));
        assert!(!EventKind::Sign.compatible(EventKind::Meet));
        assert!(!EventKind::Call.compatible(EventKind::Meet));
    }
}
