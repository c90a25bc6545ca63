//! Parts of a stored extraction decoded when first used: a whole part at a time ([`Lazy`]), or, for the dated
//! clauses, one clause at a time ([`Clauses`]).

use crate::extract::statements::Statement;
use crate::text::ByteRange;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

/// Encoded bytes: a buffer of their own, or a stretch of one that other parts share (the hot parts of every
/// article, read from the index in one piece and never copied apart).
pub enum Bytes {
    Owned(Vec<u8>),
    Shared(Arc<Vec<u8>>, Range<usize>),
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::Owned(Vec::new())
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Bytes {
        Bytes::Owned(v)
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            // (A stretch outside its buffer is never made; it would read as no bytes.)
            Bytes::Shared(buf, r) => buf.get(r.clone()).unwrap_or_default(),
        }
    }
}

/// A part of an extraction decoded when first used. An extraction read back from the index holds each part
/// encoded until something asks for it; one of a start that read the merged knowledge base back (see
/// [`super::MergePrefetch::extractions`]) does not even hold the bytes: a part is read from the index when first
/// needed, since a check looks at a few articles of the corpus only.
pub struct Lazy<T> {
    value: OnceLock<T>,
    /// Where the value is until it is decoded, and how to decode it.
    pending: Mutex<Option<Pending<T>>>,
}

/// Makes the value of the bytes, which it is given to keep (see [`Framed`]); `None` when they are not one.
pub type Decode<T> = fn(Bytes) -> Option<T>;

enum Pending<T> {
    Bytes(Bytes, Decode<T>),
    Row(Arc<dyn StoredRow>, Part, Decode<T>),
}

/// The parts of a stored extraction, each encoded on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Lines,
    Sentences,
    People,
    Things,
    Names,
    Dates,
    Quotes,
    Statements,
    Sketches,
}

/// An article's stored extraction, read when one of its parts is first needed (implemented by the index).
pub trait StoredRow: Send + Sync {
    /// The encoded bytes of `part`, handed over once: `None` when there are none to give (the row could not
    /// be read nor the article extracted again, which the row has said).
    fn take(&self, part: Part) -> Option<Vec<u8>>;
}

impl<T: Default> Lazy<T> {
    pub fn new(value: T) -> Lazy<T> {
        Lazy {
            value: OnceLock::from(value),
            pending: Mutex::new(None),
        }
    }

    /// A value to decode from `bytes` when first used. Bytes that do not decode (which their checksum in the
    /// index rules out) give the empty value, with a warning.
    pub fn later(bytes: impl Into<Bytes>, decode: Decode<T>) -> Lazy<T> {
        Lazy {
            value: OnceLock::new(),
            pending: Mutex::new(Some(Pending::Bytes(bytes.into(), decode))),
        }
    }

    /// A value to read from `row` and decode when first used.
    pub fn in_row(row: Arc<dyn StoredRow>, part: Part, decode: Decode<T>) -> Lazy<T> {
        Lazy {
            value: OnceLock::new(),
            pending: Mutex::new(Some(Pending::Row(row, part, decode))),
        }
    }

    /// Whether the value is decoded (asking never decodes it).
    pub fn is_decoded(&self) -> bool {
        self.value.get().is_some()
    }

    /// The value, decoded now if it was not yet.
    pub fn force(&self) -> &T {
        self.value.get_or_init(|| {
            let pending = self
                .pending
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            let decoded = match pending {
                Some(Pending::Bytes(bytes, decode)) => decode(bytes),
                Some(Pending::Row(row, part, decode)) => match row.take(part) {
                    Some(bytes) => decode(Bytes::Owned(bytes)),
                    None => return T::default(),
                },
                None => return T::default(),
            };
            decoded.unwrap_or_else(|| {
                tracing::warn!(
                    "a part of an extraction in the index did not read back; taken as empty"
                );
                T::default()
            })
        })
    }
}

impl<T: Default> std::ops::Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.force()
    }
}

impl<'a, T> IntoIterator for &'a Lazy<Vec<T>> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.force().iter()
    }
}

impl<T: Default + PartialEq> PartialEq for Lazy<T> {
    fn eq(&self, other: &Self) -> bool {
        self.force() == other.force()
    }
}

impl<T: Default + std::fmt::Debug> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.value.get() {
            Some(v) => v.fmt(f),
            None => f.write_str("<encoded>"),
        }
    }
}

/// An article's dated clauses: as extracted, or read back from the index and kept encoded, each clause decoded
/// when first asked for. A claim's candidate clauses lie in thousands of articles, a few in each: one claim
/// of a warm check of the White House corpus asks for 11,377 clauses of 5,555 articles that hold 117,355.
pub enum Clauses {
    Decoded(Vec<Statement>),
    Encoded(Lazy<Framed>),
}

/// Makes one clause of its bytes; `None` when they are not one.
pub type DecodeClause = fn(&[u8]) -> Option<Statement>;

/// Clauses encoded one by one in one buffer, with where each is, and each decoded once asked for.
#[derive(Default)]
pub struct Framed {
    bytes: Bytes,
    spans: Box<[(u32, u32)]>,
    slots: Box<[OnceLock<Box<Statement>>]>,
    decode: Option<DecodeClause>,
}

impl Framed {
    /// The clauses encoded at `spans` of `bytes`, each decoded by `decode`; `None` when a span is not within
    /// the bytes.
    pub fn new(bytes: Bytes, spans: Vec<ByteRange>, decode: DecodeClause) -> Option<Framed> {
        let spans = spans
            .into_iter()
            .map(|r| {
                (r.start <= r.end && r.end <= bytes.len())
                    .then(|| Some((u32::try_from(r.start).ok()?, u32::try_from(r.end).ok()?)))
                    .flatten()
            })
            .collect::<Option<Box<[_]>>>()?;
        let slots = (0..spans.len()).map(|_| OnceLock::new()).collect();
        Some(Framed {
            bytes,
            spans,
            slots,
            decode: Some(decode),
        })
    }

    /// The encoded bytes of each clause, in order.
    pub fn raw(&self) -> impl Iterator<Item = &[u8]> {
        self.spans
            .iter()
            .map(|&(s, e)| &self.bytes[s as usize..e as usize])
    }

    fn get(&self, i: usize) -> Option<&Statement> {
        let slot = self.slots.get(i)?;
        Some(slot.get_or_init(|| Box::new(self.decode_one(i))))
    }

    /// Clause `i` (which must be one) decoded; empty, with a warning, when its bytes do not read back (which
    /// their checksum in the index rules out).
    fn decode_one(&self, i: usize) -> Statement {
        let (s, e) = self.spans[i];
        let decoded = self
            .decode
            .and_then(|decode| decode(&self.bytes[s as usize..e as usize]));
        decoded.unwrap_or_else(|| {
            tracing::warn!("a dated clause in the index did not read back; taken as empty");
            Statement {
                clause: 0..0,
                dates: Vec::new(),
                terms: Vec::new(),
                background: Vec::new(),
            }
        })
    }
}

impl Clauses {
    pub fn len(&self) -> usize {
        match self {
            Clauses::Decoded(v) => v.len(),
            Clauses::Encoded(f) => f.spans.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Clause `i`, decoded now if it was not yet.
    pub fn get(&self, i: usize) -> Option<&Statement> {
        match self {
            Clauses::Decoded(v) => v.get(i),
            Clauses::Encoded(f) => f.get(i),
        }
    }

    /// Whether clause `i` is decoded (asking never decodes it, nor reads the clauses from the index).
    pub fn is_decoded(&self, i: usize) -> bool {
        match self {
            Clauses::Decoded(_) => true,
            Clauses::Encoded(f) => f
                .value
                .get()
                .is_some_and(|f| f.slots.get(i).is_some_and(|s| s.get().is_some())),
        }
    }

    /// Every clause, in order (each decoded as it is reached).
    pub fn iter(&self) -> impl Iterator<Item = &Statement> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Call `f` with every clause in order: a clause not decoded yet is decoded for this call only, not kept
    /// (the merge reads every clause of every article once, to index them).
    pub fn for_each_transient(&self, mut f: impl FnMut(usize, &Statement)) {
        match self {
            Clauses::Decoded(v) => v.iter().enumerate().for_each(|(i, s)| f(i, s)),
            Clauses::Encoded(framed) => {
                for i in 0..framed.spans.len() {
                    match framed.slots[i].get() {
                        Some(s) => f(i, s),
                        None => f(i, &framed.decode_one(i)),
                    }
                }
            }
        }
    }

    /// The encoded bytes of each clause, when they are kept encoded (and read from the index now if they were
    /// not yet); `None` for clauses as extracted.
    pub fn encoded(&self) -> Option<&Framed> {
        match self {
            Clauses::Decoded(_) => None,
            Clauses::Encoded(f) => Some(f.force()),
        }
    }
}

impl std::ops::Index<usize> for Clauses {
    type Output = Statement;
    fn index(&self, i: usize) -> &Statement {
        match self.get(i) {
            Some(s) => s,
            None => panic!("clause {i} of {}", self.len()),
        }
    }
}

impl PartialEq for Clauses {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for Clauses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Clauses::Decoded(v) => v.fmt(f),
            Clauses::Encoded(_) => write!(f, "<{} clauses encoded>", self.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for the stored form: a clause is its bytes' length as its range; "bad" does not decode.
    fn decode(bytes: &[u8]) -> Option<Statement> {
        (bytes != b"bad").then(|| Statement {
            clause: 0..bytes.len(),
            dates: Vec::new(),
            terms: vec![u64::from(bytes.first().copied().unwrap_or(0))],
            background: Vec::new(),
        })
    }

    fn encoded(bytes: &[u8], spans: Vec<ByteRange>) -> Clauses {
        let framed =
            Framed::new(bytes.to_vec().into(), spans, decode).expect("spans within the bytes");
        Clauses::Encoded(Lazy::new(framed))
    }

    #[test]
    fn a_clause_is_decoded_only_when_asked_for() {
        let c = encoded(b"abcdef", vec![0..2, 2..5, 5..6]);
        assert_eq!(c.len(), 3);
        assert!(!c.is_decoded(0) && !c.is_decoded(1));
        assert_eq!(c[1].clause, 0..3);
        assert!(c.is_decoded(1) && !c.is_decoded(0) && !c.is_decoded(2));
        assert_eq!(c.get(3), None);
        let mut seen = Vec::new();
        c.for_each_transient(|i, s| seen.push((i, s.clause.len())));
        assert_eq!(seen, [(0, 2), (1, 3), (2, 1)]);
        assert!(!c.is_decoded(0) && !c.is_decoded(2), "read, not kept");
        assert_eq!(
            c.iter().map(|s| s.clause.len()).collect::<Vec<_>>(),
            [2, 3, 1]
        );
        assert_eq!(
            c.encoded().map(|f| f.raw().collect::<Vec<_>>()),
            Some(vec![&b"ab"[..], b"cde", b"f"])
        );
    }

    #[test]
    fn encoded_clauses_equal_the_same_clauses_decoded() {
        let c = encoded(b"abcdef", vec![0..2, 2..6]);
        let d = Clauses::Decoded(vec![decode(b"ab").unwrap(), decode(b"cdef").unwrap()]);
        assert_eq!(c, d);
        assert_ne!(c, Clauses::Decoded(vec![decode(b"ab").unwrap()]));
    }

    #[test]
    fn a_clause_that_does_not_read_back_is_empty_and_spans_outside_the_bytes_are_refused() {
        let c = encoded(b"okbad", vec![0..2, 2..5]);
        assert_eq!(c[0].clause, 0..2);
        assert_eq!(c[1].clause, 0..0);
        assert!(c[1].terms.is_empty());
        assert!(Framed::new(b"abc".to_vec().into(), vec![0..1, 0..4], decode).is_none());
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = vec![0..1, 2..1];
        assert!(Framed::new(b"abc".to_vec().into(), backwards, decode).is_none());
        // Bytes that are no framing at all: no clauses, no panic.
        let none: Clauses = Clauses::Encoded(Lazy::later(b"x".to_vec(), |_| None::<Framed>));
        assert_eq!(none.len(), 0);
        assert!(!none.is_decoded(0));
    }
}
