//! Event words: the verbs and nouns that say something happened (met, visited, signed, called, took
//! effect, deployed, designated …), grouped into kinds so that differently worded reports match.

use crate::text::ByteRange;
use regex::Regex;
use std::sync::LazyLock;

/// What kind of thing happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
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

static TRIGGERS: LazyLock<Vec<(EventKind, Regex)>> = LazyLock::new(|| {
    use EventKind::*;
    let table: &[(EventKind, &str)] = &[
        (
            Call,
            r"phone (?:call|conversation)s?|tele(?:phone|conference) (?:call|conversation)|(?:spoke|spoken|speaks|speak|talked) (?:with|to|by phone)|called|(?:held|had|holds|a|the|this|that|their) (?:phone |video )?call|call(?:s)? with|telephoned",
        ),
        (
            Sign,
            r"signed|signs|signing|sign|concluded|inked|entered into (?:an? |the )?(?:agreement|framework|deal|pact|treaty)",
        ),
        (
            TakeEffect,
            r"took effect|take effect|takes effect|entered into force|came into force|comes into force|in force|effective",
        ),
        (
            Visit,
            r"(?:state|official|working) visits?|visits|visited|visiting|visit|trip to|travell?ed to|toured",
        ),
        (Host, r"hosted|hosts|hosting|welcomed|received"),
        (
            Meet,
            r"met|meets|meeting|meetings|talks|sat down|held discussions|discussions|discussed|summit|bilateral",
        ),
        (
            Deploy,
            r"deployed|deploys|deploying|deployment|deploy|dispatched",
        ),
        (
            Designate,
            r"designated|designates|designation|recogni[sz]ed (?:\w+ )?as",
        ),
        (Launch, r"launched|launches|launch|established|unveiled"),
        (
            Appoint,
            r"appointed|appoints|named (?:\w+ ){1,3}as|sworn in",
        ),
    ];
    table
        .iter()
        .map(|(k, p)| {
            (
                *k,
                Regex::new(&format!(r"(?i)\b(?:{p})\b")).expect("event regex"),
            )
        })
        .collect()
});

/// Event words in `text[range]`, in text order. Overlaps keep the earliest-listed kind.
pub fn find_triggers(text: &str, range: ByteRange) -> Vec<Trigger> {
    let s = &text[range.clone()];
    let mut out: Vec<Trigger> = Vec::new();
    for (kind, re) in TRIGGERS.iter() {
        for m in re.find_iter(s) {
            let r = range.start + m.start()..range.start + m.end();
            if out
                .iter()
                .any(|t| t.range.start < r.end && r.start < t.range.end)
            {
                continue;
            }
            let word = m.as_str().to_ascii_lowercase();
            out.push(Trigger {
                kind: *kind,
                range: r,
                qualified: word.starts_with("state ")
                    || word.starts_with("official ")
                    || word.contains("phone"),
            });
        }
    }
    out.sort_by_key(|t| t.range.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
