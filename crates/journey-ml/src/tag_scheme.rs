//! Tagging schemes for chunks (named entities): IOB1, IOB2 (BIO) and IOBES,
//! conversions between them, and entity-span extraction exactly like
//! `conlleval.pl` (Tjong Kim Sang, CoNLL-2000) as re-implemented by seqeval's
//! default mode (`seqeval.metrics.sequence_labeling.get_entities`, 1.2.2).
//!
//! - IOB1 (Ramshaw & Marcus 1995; CoNLL-2003 files): `I-X` inside a chunk,
//!   `B-X` only for a chunk that directly follows another chunk of type X.
//! - IOB2 / BIO (Tjong Kim Sang & Veenstra 1999; WNUT-17): every chunk opens
//!   with `B-X`.
//! - IOBES (BILOU): `S-X` single-token chunk, `B-X … I-X … E-X` otherwise.
//!
//! Span extraction is lenient like conlleval: an `I-X` after `O` (or after a
//! chunk of another type) opens a chunk, `E-X`/`S-X` close one, and a change
//! of type always closes the running chunk. Conversions first extract the
//! spans this way, then write them in the target scheme, so any input (even
//! an invalid one) converts to the scheme's canonical form of the same spans.
//!
//! Cost: O(n) time, O(number of chunks) memory per sequence.

use serde::{Deserialize, Serialize};

/// A chunk tagging scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TagScheme {
    /// CoNLL-2003's original: `B-` only between two adjacent chunks of one type.
    Iob1,
    /// BIO: every chunk starts with `B-`.
    #[default]
    Iob2,
    /// `S-` single, `B-`/`I-`/`E-` multi-token chunks.
    Iobes,
}

impl std::str::FromStr for TagScheme {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "iob1" => Ok(TagScheme::Iob1),
            "iob2" | "bio" => Ok(TagScheme::Iob2),
            "iobes" | "bioes" | "bilou" => Ok(TagScheme::Iobes),
            other => Err(format!(
                "unknown tag scheme {other:?}: use iob1, iob2 (bio) or iobes"
            )),
        }
    }
}

/// One chunk: its type and the token range `start..end` (end exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub kind: String,
    pub start: usize,
    pub end: usize,
}

/// Splits a tag like seqeval (non-suffix mode): the prefix is the first
/// character, the type what follows the first `-` after it (the whole rest if
/// there is no `-`), and `_` when that is empty (so `O` has type `_`).
pub fn split_tag(tag: &str) -> (char, &str) {
    let mut chars = tag.chars();
    let prefix = chars.next().unwrap_or('O');
    let rest = chars.as_str();
    let kind = match rest.split_once('-') {
        Some((_, after)) => after,
        None => rest,
    };
    (prefix, if kind.is_empty() { "_" } else { kind })
}

/// conlleval's `endOfChunk` (with seqeval's E/S additions).
fn end_of_chunk(prev_tag: char, tag: char, prev_type: &str, kind: &str) -> bool {
    matches!(prev_tag, 'E' | 'S')
        || (matches!(prev_tag, 'B' | 'I') && matches!(tag, 'B' | 'S' | 'O'))
        || (prev_tag != 'O' && prev_tag != '.' && prev_type != kind)
}

/// conlleval's `startOfChunk` (with seqeval's E/S additions).
fn start_of_chunk(prev_tag: char, tag: char, prev_type: &str, kind: &str) -> bool {
    matches!(tag, 'B' | 'S')
        || (matches!(prev_tag, 'E' | 'S' | 'O') && matches!(tag, 'E' | 'I'))
        || (tag != 'O' && tag != '.' && prev_type != kind)
}

/// The chunks of one tag sequence, in order, exactly as conlleval / seqeval
/// find them (any scheme; lenient about invalid sequences).
pub fn spans<S: AsRef<str>>(tags: &[S]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut prev_tag = 'O';
    let mut prev_type = "";
    let mut begin = 0;
    for i in 0..=tags.len() {
        let (tag, kind) = if i < tags.len() {
            split_tag(tags[i].as_ref())
        } else {
            ('O', "_")
        };
        if end_of_chunk(prev_tag, tag, prev_type, kind) {
            out.push(Span {
                kind: prev_type.to_string(),
                start: begin,
                end: i,
            });
        }
        if start_of_chunk(prev_tag, tag, prev_type, kind) {
            begin = i;
        }
        prev_tag = tag;
        prev_type = kind;
    }
    out
}

/// Writes `spans` over `len` tokens in `scheme` (tokens outside spans get `O`).
/// Spans must not overlap; later ones overwrite earlier ones if they do.
pub fn tags_from_spans(spans: &[Span], len: usize, scheme: TagScheme) -> Vec<String> {
    let mut tags = vec!["O".to_string(); len];
    let mut prev_end: Option<(usize, &str)> = None;
    for s in spans {
        let end = s.end.min(len);
        if s.start >= end {
            continue;
        }
        let adjacent_same = prev_end.is_some_and(|(e, k)| e == s.start && k == s.kind);
        for (i, tag) in tags.iter_mut().enumerate().take(end).skip(s.start) {
            let prefix = match scheme {
                TagScheme::Iob1 => {
                    if i == s.start && adjacent_same {
                        'B'
                    } else {
                        'I'
                    }
                }
                TagScheme::Iob2 => {
                    if i == s.start {
                        'B'
                    } else {
                        'I'
                    }
                }
                TagScheme::Iobes => {
                    if end - s.start == 1 {
                        'S'
                    } else if i == s.start {
                        'B'
                    } else if i + 1 == end {
                        'E'
                    } else {
                        'I'
                    }
                }
            };
            *tag = format!("{prefix}-{}", s.kind);
        }
        prev_end = Some((end, s.kind.as_str()));
    }
    tags
}

/// Converts one tag sequence to `to` (from any scheme: the spans are read
/// leniently, as conlleval reads them).
pub fn convert<S: AsRef<str>>(tags: &[S], to: TagScheme) -> Vec<String> {
    tags_from_spans(&spans(tags), tags.len(), to)
}

/// Checks that a tag is well formed for chunking: `O`, or a prefix among
/// `B I E S` followed by `-` and a non-empty type. Returns why not.
pub fn check_tag(tag: &str) -> Result<(), String> {
    if tag == "O" {
        return Ok(());
    }
    match tag.split_once('-') {
        Some((p, kind)) if matches!(p, "B" | "I" | "E" | "S") && !kind.is_empty() => Ok(()),
        _ => Err(format!(
            "{tag:?} is not a chunk tag: expected O or B-/I-/E-/S- followed by a type"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(kind: &str, start: usize, end: usize) -> Span {
        Span {
            kind: kind.into(),
            start,
            end,
        }
    }

    #[test]
    fn conlleval_leniency() {
        // I- after O opens a chunk; a type change closes and opens.
        assert_eq!(
            spans(&["I-PER", "I-PER", "I-LOC", "O", "I-ORG"]),
            [sp("PER", 0, 2), sp("LOC", 2, 3), sp("ORG", 4, 5)]
        );
        // IOB1 B- between two chunks of one type.
        assert_eq!(
            spans(&["I-PER", "B-PER", "I-PER"]),
            [sp("PER", 0, 1), sp("PER", 1, 3)]
        );
        // E then I starts a new chunk; S is a chunk on its own.
        assert_eq!(
            spans(&["B-X", "E-X", "I-X", "S-X", "S-X"]),
            [sp("X", 0, 2), sp("X", 2, 3), sp("X", 3, 4), sp("X", 4, 5)]
        );
        assert_eq!(
            spans(&["B-creative-work", "I-creative-work"]),
            [sp("creative-work", 0, 2)]
        );
    }

    #[test]
    fn conversions_round_trip() {
        let iob1 = ["I-PER", "B-PER", "O", "I-LOC", "I-LOC", "I-ORG"];
        let iob2 = convert(&iob1, TagScheme::Iob2);
        assert_eq!(iob2, ["B-PER", "B-PER", "O", "B-LOC", "I-LOC", "B-ORG"]);
        let iobes = convert(&iob1, TagScheme::Iobes);
        assert_eq!(iobes, ["S-PER", "S-PER", "O", "B-LOC", "E-LOC", "S-ORG"]);
        assert_eq!(convert(&iobes, TagScheme::Iob1), iob1);
        assert_eq!(convert(&iob2, TagScheme::Iob1), iob1);
        assert!(check_tag("B-PER").is_ok() && check_tag("X-PER").is_err());
        assert!(check_tag("B-").is_err() && check_tag("PER").is_err());
    }
}
