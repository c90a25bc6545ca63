//! The stored form of a merged knowledge base (postcard, each part on its own), its key (the articles' content keys in order, with the
//! merge's version), and the check that a stored one fits the articles it is read back for.
//!
//! Stored: the entities without their mentions, the alias list, the facts, each article's resolved
//! mentions, the quotation word index (building it folds every article, which a warm start should not) and the
//! statement index (building it reads every article's dated clauses, which a warm start reads only for the
//! articles a note's claims lead to). Not stored, because they follow from those in a linear pass
//! ([`KnowledgeBase::complete`]): each entity's kept mentions and counts, each entity's facts; and the alias
//! automata, which `aho-corasick` cannot write and are built again from the alias list.

use super::wire::{self, DateValueDef, decode_part, through};
use crate::corpus::Article;
use crate::extract::dates::DateValue;
use crate::extract::events::EventKind;
use crate::extract::names::EntityKind;
use crate::kb::aliases::Alias;
use crate::kb::article::{Forked, par_map};
use crate::kb::word_index::WordIndex;
use crate::kb::{
    ArticleData, CorpusMention, Entity, EntityId, Fact, FactDate, KnowledgeBase, Role, Source,
    StatementIndex,
};
use crate::text::ByteRange;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::sync::Arc;
use xxhash_rust::xxh3::Xxh3;

/// Bump when the merge changes what it yields for the same extractions, or the stored form changes: a
/// stored merged knowledge base of another version is merged again. The crate version and a fingerprint of
/// the knowledge base's sources (`build.rs`) are part of the version too.
pub const MERGE_VERSION: u32 = 5;

/// The fingerprint of the sources the merge is made of (see `build.rs`).
const MERGE_SOURCES: &str = env!("DOSSIER_MERGE_SOURCES");

/// The version a stored merged knowledge base must have to be read back by this build.
pub fn merge_version() -> String {
    format!(
        "merge {MERGE_VERSION}, dossier {}, sources {MERGE_SOURCES}",
        env!("CARGO_PKG_VERSION")
    )
}

/// Which articles a merged knowledge base was built from: xxh3-128 over their content keys, in order (an
/// article's index in the knowledge base is its position).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MergeKey(pub [u8; 16]);

impl MergeKey {
    /// The key of articles with these content keys, in this order.
    pub(super) fn from_content(keys: &[[u8; 16]]) -> MergeKey {
        let mut h = Xxh3::new();
        h.update(b"dossier merged knowledge base");
        for k in keys {
            h.update(k);
        }
        h.update(&(keys.len() as u64).to_le_bytes());
        MergeKey(h.digest128().to_le_bytes())
    }

    /// The key of these articles, in this order.
    pub fn of(articles: &[&Article]) -> MergeKey {
        MergeKey::from_content(&par_map(articles, |a| wire::content_key(a)))
    }

    /// The key of the articles of these extractions.
    pub fn of_data(data: &[Arc<ArticleData>]) -> MergeKey {
        MergeKey::from_content(&par_map(data, |d| wire::content_key(&d.article)))
    }
}

// ---------------------------------------------------------------------------------------------------
// Remote mirrors of the knowledge base's types that hold dates or are stored in part
// ---------------------------------------------------------------------------------------------------

/// `Option<(i32, DateValue)>`: a relative date's offset and its anchor's date.
mod opt_derived {
    use super::*;
    struct Ser<'a>(&'a DateValue);
    impl Serialize for Ser<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            DateValueDef::serialize(self.0, s)
        }
    }
    struct De(DateValue);
    impl<'de> Deserialize<'de> for De {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            DateValueDef::deserialize(d).map(De)
        }
    }
    pub fn serialize<S: Serializer>(v: &Option<(i32, DateValue)>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref().map(|(n, d)| (*n, Ser(d))).serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<(i32, DateValue)>, D::Error> {
        Ok(Option::<(i32, De)>::deserialize(d)?.map(|(n, w)| (n, w.0)))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(remote = "FactDate")]
struct FactDateDef {
    #[serde(with = "DateValueDef")]
    value: DateValue,
    range: ByteRange,
    since: bool,
    #[serde(with = "opt_derived")]
    derived_from: Option<(i32, DateValue)>,
}

through!(option opt_fact_date, FactDate, FactDateDef);

#[derive(Serialize, Deserialize)]
#[serde(remote = "Fact")]
struct FactDef {
    kind: EventKind,
    entities: Vec<EntityId>,
    #[serde(with = "opt_fact_date")]
    date: Option<FactDate>,
    place: Option<String>,
    source: Source,
    trigger: ByteRange,
    qualified: bool,
}

/// An entity without its mentions and counts, which [`KnowledgeBase::complete`] derives from the articles'
/// mentions.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Entity")]
struct EntityDef {
    id: EntityId,
    kind: EntityKind,
    name: String,
    aliases: Vec<String>,
    acronym: Option<String>,
    roles: Vec<Role>,
    intro: Option<Source>,
    #[serde(skip)]
    mentions: Vec<Source>,
    #[serde(skip)]
    mention_count: usize,
    #[serde(skip)]
    source_count: usize,
}

through!(seq seq_fact, Fact, FactDef);
through!(seq seq_entity, Entity, EntityDef);

// ---------------------------------------------------------------------------------------------------
// The stored record
// ---------------------------------------------------------------------------------------------------

/// The entities, as stored (without their mentions and counts).
#[derive(Serialize)]
struct EntitiesRef<'a>(#[serde(with = "seq_entity")] &'a [Arc<Entity>]);
#[derive(Deserialize)]
struct Entities(#[serde(with = "seq_entity")] Vec<Arc<Entity>>);

/// The facts, as stored.
#[derive(Serialize)]
struct FactsRef<'a>(#[serde(with = "seq_fact")] &'a [Fact]);
#[derive(Deserialize)]
struct Facts(#[serde(with = "seq_fact")] Vec<Fact>);

/// The stored parts of a [`KnowledgeBase`], read back.
pub struct Merged {
    pub entities: Vec<Arc<Entity>>,
    pub aliases: Vec<Alias>,
    pub facts: Vec<Fact>,
    pub article_mentions: Vec<Vec<CorpusMention>>,
    pub words: WordIndex,
    pub statements: StatementIndex,
}

/// How many parts a record has: entities, aliases, facts, article mentions, word index, statement index.
const PARTS: usize = 6;

/// The bytes stored for a merged knowledge base: the length of each part (little-endian `u64`s), then the
/// parts, each encoded on its own so that they are decoded on all cores. Empty when a part cannot be written.
pub fn encode(kb: &KnowledgeBase) -> Vec<u8> {
    let entities = EntitiesRef(&kb.entities);
    let facts = FactsRef(&kb.facts);
    let parts: [&dyn Part; PARTS] = [
        &entities,
        &kb.aliases.aliases(),
        &facts,
        &kb.article_mentions,
        &*kb.words,
        &*kb.statement_index,
    ];
    // Measured first, then written in place: no part is held twice.
    let mut lens = [0usize; PARTS];
    for (len, p) in lens.iter_mut().zip(parts) {
        match p.len() {
            Some(n) if n > 0 => *len = n,
            _ => return Vec::new(),
        }
    }
    let mut out = Vec::with_capacity(8 * PARTS + lens.iter().sum::<usize>());
    for len in lens {
        out.extend_from_slice(&(len as u64).to_le_bytes());
    }
    for p in parts {
        if !p.write(&mut out) {
            return Vec::new();
        }
    }
    out
}

/// A part of the record, for writing.
trait Part {
    /// Its encoded length, `None` when it cannot be encoded.
    fn len(&self) -> Option<usize>;
    /// Append its encoding; whether it could be.
    fn write(&self, out: &mut Vec<u8>) -> bool;
}

impl<T: Serialize> Part for T {
    fn len(&self) -> Option<usize> {
        wire::encoded_len(self)
    }

    fn write(&self, out: &mut Vec<u8>) -> bool {
        postcard::to_extend(self, std::mem::take(out))
            .map(|v| *out = v)
            .is_ok()
    }
}

/// The parts of a record, or `None` when its lengths do not add up to its bytes.
fn split(bytes: &[u8]) -> Option<[&[u8]; PARTS]> {
    let (head, mut rest) = bytes.split_at_checked(8 * PARTS)?;
    let mut parts: [&[u8]; PARTS] = [&[]; PARTS];
    for (i, len) in head.chunks_exact(8).enumerate() {
        let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
        (parts[i], rest) = rest.split_at_checked(len)?;
    }
    rest.is_empty().then_some(parts)
}

/// A merged knowledge base read back, its parts decoded on all cores; `None` when the bytes are not a whole
/// record.
pub fn decode(bytes: &[u8]) -> Option<Merged> {
    let [entities, aliases, facts, mentions, words, statements] = split(bytes)?;
    std::thread::scope(|scope| {
        // The largest parts first, each on a thread; the aliases here.
        let entities = Forked::start(scope, "dossier-decode", move || {
            decode_part::<Entities>(entities).map(|e| e.0)
        });
        let mentions = Forked::start(scope, "dossier-decode", move || {
            decode_part::<Vec<Vec<CorpusMention>>>(mentions)
        });
        let words = Forked::start(scope, "dossier-decode", move || {
            decode_part::<WordIndex>(words)
        });
        let statements = Forked::start(scope, "dossier-decode", move || {
            decode_part::<StatementIndex>(statements)
        });
        let facts = Forked::start(scope, "dossier-decode", move || {
            decode_part::<Facts>(facts).map(|f| f.0)
        });
        let aliases = decode_part::<Vec<Alias>>(aliases);
        Some(Merged {
            entities: entities.join()?,
            aliases: aliases?,
            facts: facts.join()?,
            article_mentions: mentions.join()?,
            words: words.join()?,
            statements: statements.join()?,
        })
    })
}

impl Merged {
    /// The first half of the check that every index and byte range in these parts is one the articles (the
    /// lengths of their texts, in order) have, so that nothing read back can make a look-up fail: the part that
    /// needs no article, done as soon as the parts are decoded. Entities numbered by position, every entity
    /// id among them, every article index of the word and statement indices among the articles mentions are
    /// listed for: enough for [`crate::kb::merge::complete`], which follows before the articles are known.
    /// [`Merged::check_ranges`] is the second half. The reason when not.
    ///
    /// (Character boundaries are not checked: that needs every text, which a warm start does not read; the
    /// record is the merge of these very texts — its key has their digests — and its checksum holds.)
    pub fn check_ids(&self) -> Result<(), String> {
        let entities = self.entities.len();
        let entity = |id: EntityId, what: &str| {
            if id < entities {
                Ok(())
            } else {
                Err(format!("{what} names entity {id} of {entities}"))
            }
        };
        for (i, e) in self.entities.iter().enumerate() {
            if e.id != i {
                return Err(format!("entity {i} has id {}", e.id));
            }
        }
        for a in &self.aliases {
            if a.text.is_empty() || a.ids.is_empty() {
                return Err("an empty alias".to_string());
            }
            for &id in &a.ids {
                entity(id, "an alias")?;
            }
        }
        for f in &self.facts {
            for &id in &f.entities {
                entity(id, "a fact")?;
            }
        }
        for m in self.article_mentions.iter().flatten() {
            entity(m.entity(), "a mention")?;
        }
        self.words.check(self.article_mentions.len())?;
        self.statements.check(self.article_mentions.len())
    }

    /// The second half of the check ([`Merged::check_ids`] is the first): one mention list per article,
    /// every source and range in its article. (The aliases may have been taken out by then: they hold no
    /// range.)
    pub fn check_ranges(&self, texts: &[usize]) -> Result<(), String> {
        let range = |ai: usize, r: &ByteRange, what: &str| {
            let len = *texts
                .get(ai)
                .ok_or_else(|| format!("{what} is in article {ai} of {}", texts.len()))?;
            if r.start <= r.end && r.end <= len {
                Ok(())
            } else {
                Err(format!("{what} has range {r:?} outside article {ai}"))
            }
        };
        let source = |s: &Source, what: &str| range(s.article, &s.range, what);
        if self.article_mentions.len() != texts.len() {
            return Err(format!(
                "mentions of {} articles for {}",
                self.article_mentions.len(),
                texts.len()
            ));
        }
        for e in &self.entities {
            for r in &e.roles {
                source(&r.source, "a role")?;
            }
            if let Some(s) = &e.intro {
                source(s, "an introduction")?;
            }
        }
        for f in &self.facts {
            source(&f.source, "a fact")?;
            range(f.source.article, &f.trigger, "a fact's trigger")?;
            if let Some(d) = &f.date {
                range(f.source.article, &d.range, "a fact's date")?;
            }
        }
        for (ai, mentions) in self.article_mentions.iter().enumerate() {
            for m in mentions {
                range(ai, &m.range(), "a mention")?;
            }
        }
        Ok(())
    }
}
