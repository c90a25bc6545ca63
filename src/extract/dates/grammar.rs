//! The grammar: one combined regex of every date form (compiled once) and the look-up of its capture groups;
//! and each form on its own, anchored, to read the groups of a match the combined regex found.

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use std::sync::{LazyLock, OnceLock};

// ---------------------------------------------------------------------------------------------------
// The combined scanner
// ---------------------------------------------------------------------------------------------------

const B: &str = r"(?-u:\b)";
const WDANY: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun)";
const WDFULL: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const MON: &str = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)";
const DAYNUM: &str = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?";
const ORDW: &str = r"(?:(?:twenty|thirty)[-\s]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)";
const RSEP: &str = r"(?:\s*[-–—]\s*|\s+(?:to|through|thru|until|till)\s+)";
const NUM: &str = r"(?:[0-9]{1,3}|a\s+few|a\s+couple\s+of|a\s+couple|couple\s+of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|several|few)";
const YEARWORDS: &str = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen";
const UNIT: &str = r"(?:days?|weeks?|months?|years?|yrs?|decades?)";

/// The date forms, each a named group, in the order the combined pattern tries them.
fn alternatives() -> Vec<String> {
    vec![
        // ISO / year-first numeric, optionally with a time part that is swallowed.
        format!(
            r"(?P<t_iso>{B}(?P<iy>[12][0-9]{{3}})[-/.](?P<im>[0-9]{{1,2}})[-/.](?P<id>[0-9]{{1,2}})(?:T[0-9]{{2}}:[0-9]{{2}}(?::[0-9]{{2}}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{{2}}:?[0-9]{{2}})?|{B}))"
        ),
        // US numeric M/D/Y (D/M/Y when the first number cannot be a month).
        format!(
            r"(?P<t_num>{B}(?:(?P<nw>{WDANY})\.?,?\s+)?(?P<n1>[0-9]{{1,2}})(?P<ns1>[-/.])(?P<n2>[0-9]{{1,2}})(?P<ns2>[-/.])(?P<n3>[12][0-9]{{3}}|[0-9]{{2}}){B})"
        ),
        // Month name, day, optional day range, optional year.
        format!(
            r"(?P<t_mdy>{B}(?:(?P<aw>{WDANY})\.?,?\s*)?(?P<am>{MON})\.?(?:\s*,\s*|\s*[-/]\s*|\s*)(?:the\s+)?(?P<ad>{DAYNUM}|{ORDW}){B}(?:{RSEP}(?:(?P<am2>{MON})\.?\s*)?(?:the\s+)?(?P<ad2>{DAYNUM}|{ORDW}){B})?(?:(?:\s*,\s*|\s*[-/]\s*|\s+)(?P<ay>[12][0-9]{{3}}){B})?)"
        ),
        // Day, optional day range, month name, optional year.
        format!(
            r"(?P<t_dmy>{B}(?:(?P<bw>{WDANY})\.?,?\s*)?(?:the\s+)?(?P<bd>{DAYNUM}|{ORDW})(?:{RSEP}(?:the\s+)?(?P<bd2>{DAYNUM}|{ORDW}))?(?:\s+day)?(?:\s+of\s+|\s*[-/]\s*|\s*,?\s*)(?P<bm>{MON}){B}\.?(?:(?:\s*,\s*|\s*[-/]\s*|\s+)(?P<by>[12][0-9]{{3}}){B}|[-/](?P<by2>[0-9]{{2}}){B}|,?\s+in\s+the\s+year\s+of\s+our\s+lord\s+two\s+thousand(?:\s+and)?(?:\s+(?P<bylord>{YEARWORDS}))?{B})?)"
        ),
        // Numeric month/year: 9/2012.
        format!(r"(?P<t_my>{B}(?P<sm>0?[1-9]|1[0-2])/(?P<sy>[12][0-9]{{3}}){B})"),
        // Month name + year.
        format!(
            r"(?P<t_mony>{B}(?P<cm>{MON})\.?(?:\s+of\s+|\s*,\s*|\s*[-/]\s*|\s+)(?P<cy>[12][0-9]{{3}}){B})"
        ),
        // Fiscal years ("FY2024", "fiscal 2024", "fiscal year 2023-24"), before the year forms.
        format!(
            r"(?P<t_fy>{B}(?P<fyw>fy|fiscal(?:\s+years?)?)\s*['’]?(?P<fy1>(?:19|20)[0-9]{{2}}|[0-9]{{2}})(?:(?P<fysep>\s*[-–—/]\s*|\s+(?:to|through|and)\s+)(?:(?:fy|fiscal\s+year)\s*)?['’]?(?P<fy2>(?:19|20)[0-9]{{2}}|[0-9]{{2}}))?{B})"
        ),
        // Decades ("the 1990s", "the '90s", "mid-1980s") and centuries ("the 19th century").
        format!(
            r"(?P<t_dec>(?:{B}(?P<decmod>early|mid|late)[-\s]+)?(?:{B}(?P<dec4>(?:1[5-9]|20)[0-9]0)|['’‘](?P<dec2>[0-9]0))s{B})"
        ),
        format!(
            r"(?P<t_cen>{B}(?:(?P<cenmod>early|mid|late)[-\s]+)?(?P<cen>[0-9]{{1,2}}(?:st|nd|rd|th)|{ORDW})[-\s]+century{B})"
        ),
        // Seasons ("spring 2024", "the summer of 2023", "last winter", "this fall").
        format!(
            r"(?P<t_sea>{B}(?:(?P<seamod>last|this|next|coming|past|previous|current|early|late|mid)[-\s]+)?(?P<sea>spring|summer|autumn|fall|winter)(?:time)?(?:\s+(?:of\s+)?(?P<sey>[12][0-9]{{3}})(?:\s*[-–/]\s*(?P<sey2>[12][0-9]{{3}}|[0-9]{{2}}))?|\s+of\s+['’](?P<sey3>[0-9]{{2}}))?{B})"
        ),
        // The present ("now", "currently", "at the moment").
        format!(
            r"(?P<t_now>{B}(?P<now>now|currently|nowadays|at\s+present|at\s+the\s+moment|these\s+days){B})"
        ),
        // Year ranges (and YYYY-MM months).
        format!(
            r"(?P<t_yr>{B}(?:(?P<ypre>from|between)\s+)?(?:(?:fy|fiscal\s+years?)\s*)?(?P<y1>(?:19|20)[0-9]{{2}})(?P<ysep>\s*[-–—/]\s*|\s+(?:to|through|thru|until|till|and)\s+)(?:(?:fy|fiscal\s+year)\s*)?(?P<y2>(?:19|20)[0-9]{{2}}|[0-9]{{2}}){B})"
        ),
        // A bare year (checked against its context in code).
        format!(r"(?P<t_y>{B}(?:(?:fy|fiscal\s+year)\s*)?(?P<yr>(?:19|20)[0-9]{{2}}){B})"),
        // Relative to the reference.
        format!(r"(?P<t_rdd>{B}the\s+day\s+(?P<rdd>before\s+yesterday|after\s+tomorrow){B})"),
        format!(
            r"(?P<t_rw>{B}(?:(?:earlier|later)\s+)?(?P<rw>today|tonight|yesterday|tomorrow|last\s+night|this\s+morning|this\s+afternoon|this\s+evening)(?:\s+(?:morning|afternoon|evening|night))?{B})"
        ),
        format!(
            r"(?P<t_rel>{B}(?:(?:earlier|later)\s+)?(?P<rm>this|last|next|coming|current|previous)\s+(?P<ru>weekend|week|month|year|yr|decade|century){B})"
        ),
        format!(
            r"(?P<t_n>{B}(?:(?:just|only|barely|nearly|almost|about|roughly|around|some|exactly|over|under|more\s+than|less\s+than)\s+)?(?P<nn>{NUM})\s+(?P<nu>{UNIT})\s+(?P<nd>ago|from\s+now|from\s+today|hence|before\s+(?:today|yesterday|tomorrow)|after\s+(?:today|yesterday|tomorrow)|before|after|later|earlier|prior(?:\s+to)?|afterwards?){B})"
        ),
        // Relative to the previous date or an event.
        format!(
            r"(?P<t_pd>{B}the\s+(?P<pdm>next|following|previous|preceding|same|prior)\s+(?P<pdu>day|morning|afternoon|evening|night|weekend|week|month|year){B})"
        ),
        format!(
            r"(?P<t_that>{B}(?:(?P<thm>later|earlier)\s+)?that\s+(?P<ths>same\s+)?(?P<thu>day|morning|afternoon|evening|night|week|month|year){B})"
        ),
        format!(r"(?P<t_db>{B}the\s+(?P<dbu>day|week)\s+(?P<dbd>before|after|prior(?:\s+to)?){B})"),
        // A weekday alone.
        format!(
            r"(?P<t_wd>{B}(?:(?P<wm>last|past|next|this\s+coming|this\s+past|this|coming|previous)\s+)?(?P<ww>{WDFULL}){B}(?:\s*,?\s*(?:of\s+)?(?P<wk>next|last|this|the\s+following|previous|the\s+previous)\s+week{B})?)"
        ),
        // A month alone (checked against its context in code).
        format!(r"(?P<t_mo>{B}(?P<em>{MON}){B}\.?)"),
        // Durations.
        format!(
            r"(?P<t_dur>{B}(?:(?:for|over|during|within|throughout|in)\s+(?:the\s+)?(?:(?:past|last|next|coming|previous|following|first|final)\s+)?|(?:the\s+)?(?:past|last|next|coming)\s+)(?P<un>{NUM})\s+(?P<uu>{UNIT}){B})"
        ),
    ]
}

fn build_pattern() -> String {
    format!("(?i){}", alternatives().join("|"))
}

macro_rules! groups {
    ($($name:ident),* $(,)?) => {
        /// Capture-group indices of the combined pattern, looked up once.
        pub(super) struct G { $(pub(super) $name: usize),* }
        impl G {
            fn new(re: &Regex) -> G {
                let names: Vec<Option<&str>> = re.capture_names().collect();
                let find = |n: &str| names.iter().position(|x| *x == Some(n)).unwrap_or(0);
                G { $($name: find(stringify!($name))),* }
            }
        }
    };
}

groups!(
    t_iso, iy, im, id, t_num, nw, n1, ns1, n2, ns2, n3, t_mdy, aw, am, ad, am2, ad2, ay, t_dmy, bw,
    bd, bd2, bm, by, by2, bylord, t_my, sm, sy, t_mony, cm, cy, t_yr, ypre, y1, ysep, y2, t_y, yr,
    t_rdd, rdd, t_rw, rw, t_rel, rm, ru, t_n, nn, nu, nd, t_pd, pdm, pdu, t_that, thm, ths, thu,
    t_db, dbu, dbd, t_wd, wm, ww, wk, t_mo, em, t_dur, t_fy, fyw, fy1, fysep, fy2, t_dec, dec4,
    dec2, t_cen, cen, t_sea, seamod, sea, sey, sey2, sey3, t_now, now,
);

/// The forms one by one, anchored where a match of the combined pattern starts: `first` for a match at the
/// start of the text, `after` for a match after a character, read from that character so that a word
/// boundary at the match's start sees what comes before it.
pub(super) struct Forms {
    /// The forms that match there; the first of them is the one the combined pattern takes.
    pub(super) set: RegexSet,
    pats: Vec<String>,
    /// Each form alone, for its groups, compiled when first needed (some forms seldom come first).
    one: Vec<OnceLock<Regex>>,
}

impl Forms {
    fn new(prefix: &str) -> Forms {
        let pats: Vec<String> = alternatives()
            .iter()
            .map(|a| format!(r"(?i)\A{prefix}{a}"))
            .collect();
        let set = RegexSetBuilder::new(&pats)
            .size_limit(64 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .expect("date forms compile");
        let one = pats.iter().map(|_| OnceLock::new()).collect();
        Forms { set, pats, one }
    }

    /// Form `k` alone; its groups are the combined pattern's groups of that form, in order, from 1.
    pub(super) fn one(&self, k: usize) -> &Regex {
        self.one[k].get_or_init(|| {
            RegexBuilder::new(&self.pats[k])
                .size_limit(64 << 20)
                .dfa_size_limit(64 << 20)
                .build()
                .expect("date form compiles")
        })
    }

    pub(super) fn len(&self) -> usize {
        self.pats.len()
    }
}

/// The forms for a match at the start of a text (seldom needed).
pub(super) static FIRST: LazyLock<Forms> = LazyLock::new(|| Forms::new(""));

pub(super) struct Scanner {
    pub(super) re: Regex,
    pub(super) g: G,
    pub(super) after: Forms,
    /// For each group of the combined pattern (by index): its form and its index in that form's pattern.
    pub(super) home: Vec<(usize, usize)>,
}

/// For each group of the combined pattern `re`, by index: its form and its index in the form alone. A form
/// is one named group holding all its groups, so its groups are numbered on from the form's own.
fn homes(re: &Regex) -> Vec<(usize, usize)> {
    let starts: Vec<usize> = alternatives()
        .iter()
        .map(|a| {
            let name = a
                .strip_prefix("(?P<")
                .and_then(|rest| rest.split_once('>'))
                .expect("a form is a named group")
                .0;
            re.capture_names()
                .position(|n| n == Some(name))
                .expect("the form's group")
        })
        .collect();
    (0..re.captures_len())
        .map(|i| match starts.iter().rposition(|&s| s <= i) {
            Some(k) => (k, i - starts[k] + 1),
            None => (usize::MAX, 0),
        })
        .collect()
}

pub(super) static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
    let re = RegexBuilder::new(&build_pattern())
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
        .expect("date pattern compiles");
    let g = G::new(&re);
    let after = Forms::new("(?s-i:.)");
    let home = homes(&re);
    Scanner { re, g, after, home }
});

/// Spans of the groups of one match.
pub(super) struct M<'a> {
    pub(super) text: &'a str,
    /// By group index of the combined pattern.
    pub(super) slots: &'a [Option<(usize, usize)>],
}

impl<'a> M<'a> {
    pub(super) fn pos(&self, i: usize) -> Option<(usize, usize)> {
        if i == 0 {
            None
        } else {
            self.slots.get(i).copied().flatten()
        }
    }
    pub(super) fn s(&self, i: usize) -> Option<&'a str> {
        self.pos(i).map(|(a, b)| &self.text[a..b])
    }
    pub(super) fn has(&self, i: usize) -> bool {
        self.pos(i).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_group_is_found_in_its_form_under_its_name() {
        let sc = &*SCANNER;
        let names: Vec<Option<&str>> = sc.re.capture_names().collect();
        for forms in [&sc.after, &*FIRST] {
            for (i, name) in names.iter().enumerate() {
                let (k, local) = sc.home[i];
                match name {
                    Some(name) => assert_eq!(
                        forms.one(k).capture_names().nth(local),
                        Some(Some(*name)),
                        "{name}"
                    ),
                    None => assert_eq!(i, 0),
                }
            }
        }
    }
}
