//! The stored form of one article's extraction: what [`ArticleData::extract`] yields except the article
//! itself (its text is read from disk on every start) and except what is cheap to recompute; the content key
//! that says whether a stored extraction still holds for an article.
//!
//! Most extraction types derive serde where they are defined. The date values do not: `PartialDate` and
//! `Period` carry a `Serialize` shaped for JSON output (a weekday by name, an omitted period, an internally
//! tagged enum), which a non-self-describing format such as postcard cannot read back. They are written here
//! through serde's remote mirrors, which the compiler checks field by field against the real types; the
//! merged knowledge base (`merged`) writes its dates through the same mirrors.

use crate::corpus::Article;
use crate::extract::dates::{DateKind, DateValue, PartialDate, Period, Relative, TemporalExpr};
use crate::extract::statements::{StatedDate, Statement};
use crate::kb::ArticleData;
use crate::kb::lazy::{Bytes, Clauses, Framed, Lazy, Part, StoredRow};
use crate::kb::sketch;
use crate::text::ByteRange;
use jiff::civil::Weekday;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3;

/// Bump when extraction changes what it yields for the same input (any change under `extract/`,
/// `kb/article.rs`, `kb/lazy.rs` or `text.rs` that changes results or the stored types): every stored row is then
/// extracted again. The crate version is part of the key too, so each release starts afresh; and so is a
/// fingerprint of those source files (`build.rs`), a safety net for a change made without a bump.
pub const EXTRACTOR_VERSION: u32 = 7;

/// The fingerprint of the extraction sources this build was made from (see `build.rs`).
const SOURCES_FINGERPRINT: &str = env!("DOSSIER_EXTRACTION_SOURCES");

/// The content key of an article: a 128-bit xxh3 of everything [`ArticleData::extract`] reads — the text (by
/// its digest), the body range, the boilerplate ranges, the title and the reference date — with the extractor
/// version, the crate version and the sources' fingerprint. A stored row whose key differs is extracted again.
///
/// xxh3-128 rather than a cryptographic hash: the key guards against change, not against an adversary (who
/// could as well write the database), and it hashes the 140 MB of a large corpus in a few tens of
/// milliseconds; 128 bits make an accidental collision among millions of articles negligible.
pub fn content_key(a: &Article) -> [u8; 16] {
    let mut h = Xxh3::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(b"dossier extraction");
    field(&EXTRACTOR_VERSION.to_le_bytes());
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(SOURCES_FINGERPRINT.as_bytes());
    // The text's own digest (xxh3-128), which a load that trusted the file has without reading it.
    field(&a.text.digest());
    let mut ranges = Vec::with_capacity(16 * (1 + a.boilerplate.len()));
    for r in std::iter::once(&a.body).chain(&a.boilerplate) {
        ranges.extend_from_slice(&(r.start as u64).to_le_bytes());
        ranges.extend_from_slice(&(r.end as u64).to_le_bytes());
    }
    field(&ranges);
    match &a.title {
        Some(t) => field(&[&[1u8][..], t.as_bytes()].concat()),
        None => field(&[0]),
    }
    match a.meta.date {
        Some(d) => field(&[
            1,
            d.year().to_le_bytes()[0],
            d.year().to_le_bytes()[1],
            d.month() as u8,
            d.day() as u8,
        ]),
        None => field(&[0]),
    }
    h.digest128().to_le_bytes()
}

// ---------------------------------------------------------------------------------------------------
// Remote mirrors of the date values (see the module docs)
// ---------------------------------------------------------------------------------------------------

#[derive(Serialize, Deserialize)]
#[serde(remote = "Weekday")]
enum WeekdayDef {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Period")]
enum PeriodDef {
    Present {
        reference: Option<(i16, i8, i8)>,
    },
    Week {
        year: i16,
        week: i8,
        weekend: bool,
    },
    Season {
        year: i16,
        season: crate::extract::dates::Season,
    },
    Decade {
        decade: i16,
    },
    Century {
        century: i16,
    },
    FiscalYear {
        first: i16,
        last: i16,
    },
    PartOf {
        year: i16,
        month: Option<i8>,
        part: crate::extract::dates::Part,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "PartialDate")]
struct PartialDateDef {
    year: Option<i16>,
    month: Option<i8>,
    day: Option<i8>,
    #[serde(with = "opt_weekday")]
    weekday: Option<Weekday>,
    #[serde(with = "opt_period")]
    period: Option<Period>,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "DateValue")]
pub(super) enum DateValueDef {
    Point(#[serde(with = "PartialDateDef")] PartialDate),
    Range {
        #[serde(with = "PartialDateDef")]
        start: PartialDate,
        #[serde(with = "PartialDateDef")]
        end: PartialDate,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "TemporalExpr")]
struct TemporalExprDef {
    span: ByteRange,
    kind: DateKind,
    #[serde(with = "opt_date_value")]
    value: Option<DateValue>,
    relative: Option<Relative>,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "StatedDate")]
struct StatedDateDef {
    range: ByteRange,
    #[serde(with = "DateValueDef")]
    value: DateValue,
    kind: DateKind,
    baseline: bool,
    since_event: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "Statement")]
struct StatementDef {
    clause: ByteRange,
    #[serde(with = "seq_stated_date")]
    dates: Vec<StatedDate>,
    terms: Vec<u64>,
    background: Vec<u64>,
}

/// Serde helpers for `Option<T>` and `Vec<T>` of a type written through a remote mirror.
macro_rules! through {
    (option $m:ident, $t:ty, $def:ident) => {
        mod $m {
            use super::*;
            struct Ser<'a>(&'a $t);
            impl Serialize for Ser<'_> {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    $def::serialize(self.0, s)
                }
            }
            struct De($t);
            impl<'de> Deserialize<'de> for De {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    $def::deserialize(d).map(De)
                }
            }
            pub fn serialize<S: Serializer>(v: &Option<$t>, s: S) -> Result<S::Ok, S::Error> {
                v.as_ref().map(Ser).serialize(s)
            }
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$t>, D::Error> {
                Ok(Option::<De>::deserialize(d)?.map(|w| w.0))
            }
        }
    };
    (seq $m:ident, $t:ty, $def:ident) => {
        mod $m {
            use super::*;
            struct Ser<'a>(&'a $t);
            impl Serialize for Ser<'_> {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    $def::serialize(self.0, s)
                }
            }
            struct De($t);
            impl<'de> Deserialize<'de> for De {
                fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    $def::deserialize(d).map(De)
                }
            }
            /// Elements held as they are or shared (`Arc`): stored the same way.
            pub fn serialize<S: Serializer, E: std::borrow::Borrow<$t>>(
                v: &[E],
                s: S,
            ) -> Result<S::Ok, S::Error> {
                s.collect_seq(v.iter().map(|e| Ser(e.borrow())))
            }
            /// Each element made what the field holds as it is read (no second vector of them at once).
            pub fn deserialize<'de, D: Deserializer<'de>, E: From<$t>>(
                d: D,
            ) -> Result<Vec<E>, D::Error> {
                struct Elements<E>(std::marker::PhantomData<E>);
                impl<'de, E: From<$t>> serde::de::Visitor<'de> for Elements<E> {
                    type Value = Vec<E>;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a sequence")
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<Vec<E>, A::Error> {
                        // A length read from the store is not trusted for more than a modest reservation.
                        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                        while let Some(De(v)) = seq.next_element()? {
                            out.push(E::from(v));
                        }
                        Ok(out)
                    }
                }
                d.deserialize_seq(Elements(std::marker::PhantomData))
            }
        }
    };
}

/// For the other stored forms of this folder (the merged knowledge base).
pub(super) use through;

through!(option opt_weekday, Weekday, WeekdayDef);
through!(option opt_period, Period, PeriodDef);
through!(option opt_date_value, DateValue, DateValueDef);
through!(seq seq_stated_date, StatedDate, StatedDateDef);
through!(seq seq_temporal, TemporalExpr, TemporalExprDef);

// ---------------------------------------------------------------------------------------------------
// The stored record
// ---------------------------------------------------------------------------------------------------

/// The stored part of an [`ArticleData`], borrowed for writing. Field for field the same as [`Stored`]. Every
/// part is encoded on its own, so that a start reading the extraction back keeps it encoded until something
/// asks for it (and one that reads the merged knowledge base back reads it from the index only then).
#[derive(Serialize)]
struct StoredRef {
    #[serde(with = "bytes")]
    lines: Vec<u8>,
    #[serde(with = "bytes")]
    sentences: Vec<u8>,
    #[serde(with = "bytes")]
    people: Vec<u8>,
    #[serde(with = "bytes")]
    things: Vec<u8>,
    #[serde(with = "bytes")]
    names: Vec<u8>,
    #[serde(with = "bytes")]
    dates: Vec<u8>,
    #[serde(with = "bytes")]
    quotes: Vec<u8>,
    #[serde(with = "bytes")]
    statements: Vec<u8>,
    /// The sentence sketches (`sketch::encode`); empty when not known.
    #[serde(with = "bytes")]
    sketches: Vec<u8>,
}

/// The stored part of an [`ArticleData`], read back: each part's bytes.
#[derive(Deserialize, Default)]
pub struct Stored {
    #[serde(with = "bytes")]
    lines: Vec<u8>,
    #[serde(with = "bytes")]
    sentences: Vec<u8>,
    #[serde(with = "bytes")]
    people: Vec<u8>,
    #[serde(with = "bytes")]
    things: Vec<u8>,
    #[serde(with = "bytes")]
    names: Vec<u8>,
    #[serde(with = "bytes")]
    dates: Vec<u8>,
    #[serde(with = "bytes")]
    quotes: Vec<u8>,
    #[serde(with = "bytes")]
    statements: Vec<u8>,
    #[serde(with = "bytes")]
    sketches: Vec<u8>,
}

/// One dated clause, written through its mirror.
struct StatementRef<'a>(&'a Statement);

impl Serialize for StatementRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        StatementDef::serialize(self.0, s)
    }
}

struct StatementOwned(Statement);

impl<'de> Deserialize<'de> for StatementOwned {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        StatementDef::deserialize(d).map(StatementOwned)
    }
}

/// A byte string borrowed for writing.
struct RawBytes<'a>(&'a [u8]);

impl Serialize for RawBytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// An article's dated clauses as stored: a sequence of byte strings, each one clause, so that a clause is
/// decoded without the others ([`Clauses`]). Clauses still encoded are written as they were read.
fn encode_statements(clauses: &Clauses) -> Vec<u8> {
    match clauses.encoded() {
        Some(framed) => encode_part(&framed.raw().map(RawBytes).collect::<Vec<_>>()),
        None => {
            let each: Vec<Vec<u8>> = clauses
                .iter()
                .map(|st| encode_part(&StatementRef(st)))
                .collect();
            encode_part(&each.iter().map(|b| RawBytes(b)).collect::<Vec<_>>())
        }
    }
}

fn decode_statement(bytes: &[u8]) -> Option<Statement> {
    decode_part::<StatementOwned>(bytes).map(|s| s.0)
}

/// The clauses' framing read (where each clause is); the clauses themselves decoded when asked for.
fn decode_statements(bytes: Bytes) -> Option<Framed> {
    let all: &[u8] = &bytes;
    let base = all.as_ptr() as usize;
    let spans: Vec<ByteRange> = match postcard::take_from_bytes::<Vec<&[u8]>>(all) {
        Ok((each, [])) => each
            .iter()
            .map(|c| {
                let start = c.as_ptr() as usize - base;
                start..start + c.len()
            })
            .collect(),
        _ => return None,
    };
    Framed::new(bytes, spans, decode_statement)
}

/// The dated clauses to decode when first asked for.
fn clauses_later(bytes: impl Into<Bytes>) -> Clauses {
    Clauses::Encoded(Lazy::later(bytes, decode_statements))
}

/// Sketches of no sentence, or bytes that are not whole sketches: not known.
fn decode_sketches(bytes: Bytes) -> Option<Option<Box<[sketch::Sketch]>>> {
    Some(
        sketch::decode(&bytes)
            .filter(|s| !s.is_empty())
            .map(Vec::into_boxed_slice),
    )
}

/// An article's dates, written through their mirror.
#[derive(Serialize)]
struct DatesRef<'a>(#[serde(with = "seq_temporal")] &'a [TemporalExpr]);

#[derive(Deserialize)]
struct Dates(#[serde(with = "seq_temporal")] Vec<TemporalExpr>);

fn decode_dates(bytes: Bytes) -> Option<Vec<TemporalExpr>> {
    decode_part::<Dates>(&bytes).map(|d| d.0)
}

/// A byte string written as one (postcard: its length, then the bytes), not as a sequence of numbers.
mod bytes {
    use serde::de::{Deserializer, Error, Visitor};
    use serde::ser::Serializer;
    use std::fmt;

    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }

    struct Bytes;
    impl Visitor<'_> for Bytes {
        type Value = Vec<u8>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("bytes")
        }
        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }
        fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        d.deserialize_byte_buf(Bytes)
    }
}

/// A part encoded on its own (see [`StoredRef`]).
fn encode_part<T: Serialize + ?Sized>(part: &T) -> Vec<u8> {
    postcard::to_allocvec(part).unwrap_or_default()
}

/// A part decoded when first used; `None` when the bytes are not a whole one.
pub(super) fn decode_part<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
    match postcard::take_from_bytes::<T>(bytes) {
        Ok((v, [])) => Some(v),
        _ => None,
    }
}

/// A part decoded when first used, from bytes handed over.
fn part<T: for<'de> Deserialize<'de>>(bytes: Bytes) -> Option<T> {
    decode_part(&bytes)
}

/// The bytes stored for an extraction.
pub fn encode(d: &ArticleData) -> Vec<u8> {
    let r = StoredRef {
        lines: encode_part(&*d.lines),
        sentences: encode_part(&*d.sentences),
        people: encode_part(&*d.people),
        things: encode_part(&*d.things),
        names: encode_part(&*d.names),
        dates: encode_part(&DatesRef(&d.dates)),
        quotes: encode_part(&*d.quotes),
        statements: encode_statements(&d.statements),
        sketches: d
            .sketches
            .as_deref()
            .map(sketch::encode)
            .unwrap_or_default(),
    };
    // Writing plain data into a vector cannot fail; an empty blob would only read back as a miss.
    postcard::to_allocvec(&r).unwrap_or_default()
}

/// An extraction read back; `None` when the bytes are not a whole record.
pub fn decode(bytes: &[u8]) -> Option<Stored> {
    match postcard::take_from_bytes::<Stored>(bytes) {
        Ok((s, [])) => Some(s),
        _ => None,
    }
}

impl Stored {
    /// The extraction of `article`, which must be the article (same content key) it was stored for.
    pub fn into_data(self, article: Article) -> ArticleData {
        ArticleData {
            article,
            lines: Lazy::later(self.lines, part),
            sentences: Lazy::later(self.sentences, part),
            people: Lazy::later(self.people, part),
            things: Lazy::later(self.things, part),
            names: Lazy::later(self.names, part),
            dates: Lazy::later(self.dates, decode_dates),
            quotes: Lazy::later(self.quotes, part),
            statements: clauses_later(self.statements),
            sketches: Lazy::later(self.sketches, decode_sketches),
        }
    }

    /// The bytes of one part, handed over (an empty vector after).
    pub fn take(&mut self, part: Part) -> Vec<u8> {
        std::mem::take(match part {
            Part::Lines => &mut self.lines,
            Part::Sentences => &mut self.sentences,
            Part::People => &mut self.people,
            Part::Things => &mut self.things,
            Part::Names => &mut self.names,
            Part::Dates => &mut self.dates,
            Part::Quotes => &mut self.quotes,
            Part::Statements => &mut self.statements,
            Part::Sketches => &mut self.sketches,
        })
    }
}

/// The parts of every article's extraction that a check reads for most articles (the dated clauses, which
/// claims are matched against, and the sketches, which find a quotation's sentences), stored beside the
/// merged knowledge base so that a start reads them in one piece rather than from each article's row.
#[derive(Serialize)]
struct HotRef<'a> {
    #[serde(with = "bytes")]
    statements: &'a [u8],
    #[serde(with = "bytes")]
    sketches: &'a [u8],
}

#[derive(Deserialize)]
struct Hot<'a> {
    #[serde(borrow)]
    statements: &'a [u8],
    #[serde(borrow)]
    sketches: &'a [u8],
}

/// The hot parts of these extractions, in order: encoded one article at a time into the one buffer, so that
/// no second copy of them is made (a cold start saves them beside its peak).
pub fn encode_hot(articles: &[Arc<ArticleData>]) -> Vec<u8> {
    struct All<'a>(&'a [Arc<ArticleData>]);
    impl Serialize for All<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeSeq;
            let mut seq = s.serialize_seq(Some(self.0.len()))?;
            for d in self.0 {
                let (statements, sketches) = hot_parts(d);
                seq.serialize_element(&HotRef {
                    statements: &statements,
                    sketches: &sketches,
                })?;
            }
            seq.end()
        }
    }
    to_exact_vec(&All(articles))
}

/// One extraction's hot parts, encoded: its dated clauses, its sketches.
pub fn hot_parts(d: &ArticleData) -> (Vec<u8>, Vec<u8>) {
    let statements = encode_statements(&d.statements);
    let sketches = d
        .sketches
        .as_deref()
        .map(sketch::encode)
        .unwrap_or_default();
    (statements, sketches)
}

/// The postcard encoding of a large value in a vector of its exact size: measured first, so that the vector
/// is never grown by doubling (which, for tens of megabytes, held the old and the new buffer at once and
/// left up to half the last one unused at a cold start's peak).
pub fn to_exact_vec<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let Some(size) = encoded_len(value) else {
        return Vec::new();
    };
    postcard::to_extend(value, Vec::with_capacity(size)).unwrap_or_default()
}

/// The length of a value's postcard encoding, measured without writing it; `None` when it cannot be encoded.
pub fn encoded_len<T: Serialize + ?Sized>(value: &T) -> Option<usize> {
    postcard::serialize_with_flavor::<T, postcard::ser_flavors::Size, usize>(
        value,
        postcard::ser_flavors::Size::default(),
    )
    .ok()
}

/// Each article's hot parts, encoded: its dated clauses, its sketches.
pub type HotParts = Vec<(Bytes, Bytes)>;

/// The hot parts of `count` articles read back: each article's encoded dated clauses and sketches, as
/// stretches of the one buffer they were read in (copying them apart took a warm start tens of milliseconds
/// and, for a moment, twice their memory); `None` when the bytes are not that.
pub fn decode_hot(bytes: Vec<u8>, count: usize) -> Option<HotParts> {
    let base = bytes.as_ptr() as usize;
    let spans: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> =
        match postcard::take_from_bytes::<Vec<Hot>>(&bytes) {
            Ok((h, [])) if h.len() == count => h
                .iter()
                .map(|h| {
                    let at = |b: &[u8]| {
                        let start = b.as_ptr() as usize - base;
                        start..start + b.len()
                    };
                    (at(h.statements), at(h.sketches))
                })
                .collect(),
            _ => return None,
        };
    let shared = Arc::new(bytes);
    Some(
        spans
            .into_iter()
            .map(|(st, sk)| {
                (
                    Bytes::Shared(Arc::clone(&shared), st),
                    Bytes::Shared(Arc::clone(&shared), sk),
                )
            })
            .collect(),
    )
}

/// The extraction of `article`, every part read from `row` when first needed, but the hot parts when they
/// are given (see [`encode_hot`]).
pub fn in_row(
    article: Article,
    row: Arc<dyn StoredRow>,
    hot: Option<(Bytes, Bytes)>,
) -> ArticleData {
    let r = || Arc::clone(&row);
    let (statements, sketches) = match hot {
        Some((st, sk)) => (clauses_later(st), Lazy::later(sk, decode_sketches)),
        None => (
            Clauses::Encoded(Lazy::in_row(r(), Part::Statements, decode_statements)),
            Lazy::in_row(r(), Part::Sketches, decode_sketches),
        ),
    };
    ArticleData {
        article,
        lines: Lazy::in_row(r(), Part::Lines, part),
        sentences: Lazy::in_row(r(), Part::Sentences, part),
        people: Lazy::in_row(r(), Part::People, part),
        things: Lazy::in_row(r(), Part::Things, part),
        names: Lazy::in_row(r(), Part::Names, part),
        dates: Lazy::in_row(r(), Part::Dates, decode_dates),
        quotes: Lazy::in_row(r(), Part::Quotes, part),
        statements,
        sketches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::article::from_texts;

    #[test]
    fn hot_parts_read_back_are_each_article_s_parts_in_one_shared_buffer() {
        let data = from_texts(&[
            "On March 3, 2024, Kenya signed the deal. Talks resumed on May 5.",
            "Nothing dated here.",
            "The summit opened on Tuesday, June 4, 2024, in Nairobi.",
        ]);
        assert!(!data[0].statements.is_empty() && data[1].statements.is_empty());
        let bytes = encode_hot(&data);
        let hot = decode_hot(bytes.clone(), data.len()).expect("hot parts");
        assert_eq!(hot.len(), data.len());
        for ((st, sk), d) in hot.iter().zip(&data) {
            let (want_st, want_sk) = hot_parts(d);
            assert_eq!((&st[..], &sk[..]), (&want_st[..], &want_sk[..]));
            assert!(matches!((st, sk), (Bytes::Shared(..), Bytes::Shared(..))));
            // Read back through the clauses' framing, the clauses are the article's.
            let clauses = clauses_later(Bytes::Owned(st.to_vec()));
            assert_eq!(clauses, d.statements);
        }
        // Not the articles' count, or cut short: not used.
        assert!(decode_hot(bytes.clone(), data.len() + 1).is_none());
        assert!(decode_hot(bytes[..bytes.len() - 1].to_vec(), data.len()).is_none());
    }
}
