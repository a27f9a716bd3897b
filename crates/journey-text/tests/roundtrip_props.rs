//! Property tests of the subword tokenizers on arbitrary text, arbitrary
//! bytes and arbitrary id sequences. `tests/bpe.rs` already checks that
//! byte-level BPE round-trips arbitrary strings and byte strings; here:
//!
//! * **byte-level BPE** (cl100k_base, o200k_base): special tokens inside
//!   arbitrary text; an encoding cut at any point decodes to the two halves
//!   of the bytes, and the strict decoder fails exactly where UTF-8 does
//!   (a cut inside a character) while the lossy one replaces; arbitrary id
//!   sequences, in and out of range, decode without panicking; token offsets
//!   tile the text;
//! * **SentencePiece** (the three models of `tokenizers/sentencepiece/`):
//!   the pieces of an encoding spell the normalised text exactly (byte
//!   pieces as their byte) — SentencePiece's lossless property; without an
//!   unknown piece, `decode(encode(s))` is the normalised text with `▁` read
//!   as a space and the dummy-prefix space dropped (checked against
//!   sentencepiece 0.2.3 on 60,000 random strings when this was written);
//!   Llama 2 (identity normaliser, byte fallback) gives back `s` itself, `▁`
//!   read as a space; arbitrary ids decode or fail cleanly;
//! * **WordPiece** (two tokenizers trained here on SMS Spam, uncased and
//!   cased): encoding never panics, ids are in range, offsets lie in the text
//!   on character boundaries, and the pieces of each word spell the word (or
//!   are one `[UNK]`).
//!
//! Case counts are modest (64–128 each) so the file runs in seconds in a
//! debug build. Needs `$JOURNEY_DATA` (skips without it).

mod common;

use std::sync::OnceLock;

use journey_text::bert_basic::{split_words, BertNormalizerConfig};
use journey_text::bpe::{BytePairEncoding, SpecialSet};
use journey_text::bpe_files::Encoding;
use journey_text::sentencepiece::SentencePieceProcessor;
use journey_text::sentencepiece_model::PieceType;
use journey_text::wordpiece::WordPieceTokenizer;
use journey_text::wordpiece_train::{WordPieceTrainer, WordPieceTrainerConfig};
use journey_text::TextError;
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/// Characters that stress tokenizers: whitespace of all kinds, `▁`, NUL and
/// other controls, combining marks, compatibility forms NFKC rewrites,
/// CJK, emoji with modifiers, punctuation BERT isolates, pieces of special
/// tokens; mixed with ASCII letters and any char at all.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        3 => prop::sample::select(vec![
            ' ', ' ', '\t', '\n', '\r', '\0', '\u{1}', '\u{7f}', '\u{85}', '\u{a0}', '\u{ad}',
            '\u{2581}', '\u{3000}', '\u{200b}', '\u{200d}', '\u{2028}', '\u{feff}', '\u{fffd}',
            '\u{301}', '\u{308}', 'é', 'ß', 'İ', 'Σ', 'ﬁ', 'Ａ', '①', '㍿', '日', '本', '語', '한',
            '🙂', '👍', '\u{1f3fd}', '\u{e000}', '.', ',', '\'', '#', '$', '`', '[', ']', '<',
            '|', '>', '0', '9',
        ]),
        4 => prop::char::range('a', 'z'),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(tricky_char(), 0..40).prop_map(|v| v.into_iter().collect()),
        1 => any::<String>(),
    ]
}

// ---------------------------------------------------------------------------
// Tokenizers, loaded once
// ---------------------------------------------------------------------------

fn bpe(e: Encoding) -> Option<&'static BytePairEncoding> {
    static CL100K: OnceLock<Option<BytePairEncoding>> = OnceLock::new();
    static O200K: OnceLock<Option<BytePairEncoding>> = OnceLock::new();
    let cell = match e {
        Encoding::Cl100kBase => &CL100K,
        Encoding::O200kBase => &O200K,
        _ => unreachable!("only cl100k_base and o200k_base are loaded here"),
    };
    cell.get_or_init(|| {
        common::data_file("tokenizers/tiktoken/cl100k_base.tiktoken")?;
        let root = journey_data::testdata::root()?;
        Some(
            e.load(&root)
                .unwrap_or_else(|err| panic!("{}: {err}", e.name())),
        )
    })
    .as_ref()
}

const BPE: [Encoding; 2] = [Encoding::Cl100kBase, Encoding::O200kBase];

fn sentencepiece() -> &'static [SentencePieceProcessor] {
    static CELL: OnceLock<Vec<SentencePieceProcessor>> = OnceLock::new();
    CELL.get_or_init(|| {
        ["toy-unigram-1k", "opennmt-unigram-1k", "llama2-bpe-32k"]
            .iter()
            .filter_map(|m| {
                let path = common::data_file(&format!("tokenizers/sentencepiece/{m}.model"))?;
                Some(SentencePieceProcessor::open(&path).unwrap_or_else(|e| panic!("{e}")))
            })
            .collect()
    })
}

/// WordPiece tokenizers trained on the first 1,000 SMS Spam messages:
/// uncased (BERT's defaults) and cased with accents kept.
fn wordpiece() -> &'static [WordPieceTokenizer] {
    static CELL: OnceLock<Vec<WordPieceTokenizer>> = OnceLock::new();
    CELL.get_or_init(|| {
        let Some(path) = common::data_file("classification/sms_spam/sms.tsv") else {
            return Vec::new();
        };
        let lines: Vec<String> = common::read_lines(&path, false)
            .into_iter()
            .take(1000)
            .map(|l| l.split_once('\t').map_or(l.clone(), |(_, t)| t.to_string()))
            .collect();
        let cased = BertNormalizerConfig {
            lowercase: false,
            strip_accents: Some(false),
            ..Default::default()
        };
        [BertNormalizerConfig::default(), cased]
            .into_iter()
            .map(|normalizer| {
                let config = WordPieceTrainerConfig {
                    vocab_size: 800,
                    normalizer,
                    ..Default::default()
                };
                WordPieceTrainer::new(config).train(&lines).unwrap()
            })
            .collect()
    })
}

// ---------------------------------------------------------------------------
// Byte-level BPE
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// Special tokens amid arbitrary text: encoded as their id when allowed,
    /// refused when not, plain text for `encode_ordinary`; all round-trip.
    #[test]
    fn bpe_special_tokens_inside_text(a in text(), b in text(), pick in any::<prop::sample::Index>()) {
        for e in BPE {
            let Some(enc) = bpe(e) else { return Ok(()) };
            let specials: Vec<(&str, u32)> = enc.special_tokens().collect();
            let (special, id) = specials[pick.index(specials.len())];
            let s = format!("{a}{special}{b}");
            let ids = enc.encode(&s, SpecialSet::All).unwrap();
            prop_assert!(ids.contains(&id));
            prop_assert_eq!(enc.decode(&ids).unwrap(), s.clone());
            let is_disallowed = matches!(
                enc.encode(&s, SpecialSet::None),
                Err(TextError::DisallowedSpecialToken { .. })
            );
            prop_assert!(is_disallowed);
            let plain = enc.encode_ordinary(&s);
            prop_assert!(plain.iter().all(|i| !specials.iter().any(|(_, sid)| sid == i)));
            prop_assert_eq!(enc.decode(&plain).unwrap(), s);
        }
    }

    /// Cut an encoding anywhere: the halves decode to the two halves of the
    /// bytes; strict decoding fails exactly when the cut splits a character
    /// (at the byte where UTF-8 does), lossy decoding replaces.
    #[test]
    fn bpe_encoding_cut_anywhere(s in text(), cut in any::<prop::sample::Index>()) {
        for e in BPE {
            let Some(enc) = bpe(e) else { return Ok(()) };
            let ids = enc.encode_ordinary(&s);
            let k = cut.index(ids.len() + 1);
            let head = enc.decode_bytes(&ids[..k]).unwrap();
            let tail = enc.decode_bytes(&ids[k..]).unwrap();
            prop_assert_eq!([head.clone(), tail].concat(), s.as_bytes().to_vec());
            match (enc.decode(&ids[..k]), std::str::from_utf8(&head)) {
                (Ok(t), Ok(u)) => prop_assert_eq!(t, u),
                (Err(TextError::DecodedNotUtf8 { valid_up_to }), Err(u)) => {
                    prop_assert_eq!(valid_up_to, u.valid_up_to());
                    // Only a character cut in two: everything before is whole.
                    prop_assert!(s.is_char_boundary(valid_up_to));
                    prop_assert!(!s.is_char_boundary(head.len()));
                }
                (t, u) => prop_assert!(false, "decode {:?} but UTF-8 says {:?}", t, u.map(|_| ())),
            }
            prop_assert_eq!(
                enc.decode_lossy(&ids[..k]).unwrap(),
                String::from_utf8_lossy(&head).into_owned()
            );
        }
    }

    /// Arbitrary id sequences (some beyond the vocabulary): never a panic;
    /// an unknown id is an error naming it; otherwise the decoders agree
    /// with UTF-8 on the bytes.
    #[test]
    fn bpe_arbitrary_ids(raw in prop::collection::vec(any::<u32>(), 0..24), small in prop::collection::vec(0u32..1000, 0..24)) {
        for e in BPE {
            let Some(enc) = bpe(e) else { return Ok(()) };
            let n = enc.n_vocab() as u32;
            // Mostly ids in range (and around its end), some anywhere.
            let ids: Vec<u32> = raw
                .iter()
                .enumerate()
                .map(|(i, &r)| match i % 4 {
                    0 => r,
                    1 => n.saturating_sub(50) + r % 100,
                    _ => r % n,
                })
                .chain(small.iter().copied())
                .collect();
            match enc.decode_bytes(&ids) {
                Ok(bytes) => {
                    prop_assert!(ids.iter().all(|&i| enc.token_bytes(i).is_some()));
                    match std::str::from_utf8(&bytes) {
                        Ok(t) => prop_assert_eq!(enc.decode(&ids).unwrap(), t),
                        Err(u) => {
                            let is_utf8_error = matches!(
                                enc.decode(&ids),
                                Err(TextError::DecodedNotUtf8 { valid_up_to }) if valid_up_to == u.valid_up_to()
                            );
                            prop_assert!(is_utf8_error);
                        }
                    }
                    prop_assert_eq!(
                        enc.decode_lossy(&ids).unwrap(),
                        String::from_utf8_lossy(&bytes).into_owned()
                    );
                }
                Err(TextError::UnknownTokenId { id, .. }) => {
                    prop_assert!(ids.contains(&id) && enc.token_bytes(id).is_none());
                }
                Err(other) => prop_assert!(false, "unexpected error {}", other),
            }
        }
    }

    /// Token offsets tile the text, and each covers its token's bytes.
    #[test]
    fn bpe_offsets_tile_the_text(s in text()) {
        for e in BPE {
            let Some(enc) = bpe(e) else { return Ok(()) };
            let out = enc.encode_with_offsets(&s, SpecialSet::All).unwrap();
            prop_assert_eq!(out.ids.len(), out.offsets.len());
            let mut at = 0;
            for (&id, r) in out.ids.iter().zip(&out.offsets) {
                prop_assert_eq!(r.start, at);
                prop_assert_eq!(&s.as_bytes()[r.clone()], enc.token_bytes(id).unwrap());
                at = r.end;
            }
            prop_assert_eq!(at, s.len());
        }
    }
}

// ---------------------------------------------------------------------------
// SentencePiece
// ---------------------------------------------------------------------------

/// The byte a `<0xNN>` piece stands for.
fn byte_piece(piece: &str) -> Option<u8> {
    let hex = piece.strip_prefix("<0x")?.strip_suffix('>')?;
    u8::from_str_radix(hex, 16).ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// The pieces spell the normalised text; decode inverts it up to `▁`.
    #[test]
    fn sentencepiece_encoding_spells_the_normalized_text(s in text()) {
        for sp in sentencepiece() {
            let name = sp.path().display().to_string();
            let normalized = sp.normalize(&s);
            let toks = sp.encode(&s);
            let unk = sp.piece_to_id("<unk>");
            let mut spelled = Vec::new();
            let mut last = 0;
            for t in &toks {
                prop_assert!((t.id as usize) < sp.len(), "{}: id {}", name, t.id);
                prop_assert!(t.start <= t.end && t.end <= s.len() && t.start >= last);
                prop_assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
                last = t.start;
                let kind = sp.proto().pieces[t.id as usize].kind;
                match kind {
                    PieceType::Byte => spelled.push(byte_piece(&t.piece).unwrap()),
                    PieceType::Control => {}
                    _ => spelled.extend_from_slice(t.piece.as_bytes()),
                }
            }
            prop_assert_eq!(String::from_utf8_lossy(&spelled), normalized.clone(), "{}", name);

            let ids: Vec<u32> = toks.iter().map(|t| t.id).collect();
            prop_assert_eq!(&sp.encode_ids(&s), &ids);
            let decoded = sp.decode(&ids).unwrap();
            if !ids.contains(&unk) {
                let ns = &sp.proto().normalizer_spec;
                let mut want = normalized.replace('\u{2581}', " ");
                if (ns.add_dummy_prefix || ns.remove_extra_whitespaces) && want.starts_with(' ') {
                    want.remove(0);
                }
                prop_assert_eq!(&decoded, &want, "{}", name);
            }
            if name.contains("llama2") {
                // Identity normaliser and byte fallback: nothing is lost.
                prop_assert_eq!(decoded, s.replace('\u{2581}', " "));
            }
        }
    }

    /// Arbitrary ids: in range they decode (never a panic); out of range is
    /// an error naming the id.
    #[test]
    fn sentencepiece_arbitrary_ids(raw in prop::collection::vec(any::<u32>(), 0..24), bad in any::<u32>()) {
        for sp in sentencepiece() {
            let n = sp.len() as u32;
            let ids: Vec<u32> = raw.iter().map(|r| r % n).collect();
            sp.decode(&ids).unwrap();
            let bad = n + bad % 1000;
            let mut with_bad = ids.clone();
            with_bad.insert(ids.len() / 2, bad);
            let err = sp.decode(&with_bad).unwrap_err().to_string();
            prop_assert!(err.contains(&format!("id {bad}")), "{}", err);
        }
    }
}

// ---------------------------------------------------------------------------
// WordPiece
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// Ids in range, offsets on character boundaries inside the text, and
    /// each word of the basic tokenizer spelled by its pieces (less the
    /// prefix) or replaced by one `[UNK]` spanning it.
    #[test]
    fn wordpiece_pieces_spell_the_words(s in text(), b in text()) {
        for tok in wordpiece() {
            let enc = tok.encode(&s);
            let n = tok.model.vocab_size() as u32;
            let unk = tok.token_to_id("[UNK]").unwrap();
            for (i, &id) in enc.ids.iter().enumerate() {
                prop_assert!(id < n);
                prop_assert_eq!(Some(enc.tokens[i].as_str()), tok.id_to_token(id));
                let (start, end) = enc.offsets[i];
                prop_assert!(start < end && end <= s.len(), "{:?} in {:?}", (start, end), s);
                prop_assert!(s.is_char_boundary(start) && s.is_char_boundary(end));
            }
            // Special tokens typed in the text are matched before splitting;
            // the word check applies to text without them.
            if tok.added_tokens.iter().any(|a| s.contains(&a.content)) {
                continue;
            }
            let split = tok.basic.split(&s);
            let prefix = tok.model.continuing_subword_prefix();
            let mut k = 0;
            for word in &split.words {
                let word_text = &split.normalized[word.clone()];
                let span = split.original_span(word.clone());
                prop_assert!(k < enc.len(), "word {:?} has no token", word_text);
                if enc.ids[k] == unk {
                    prop_assert_eq!(enc.offsets[k], span);
                    k += 1;
                    continue;
                }
                let mut spelled = String::new();
                while spelled.len() < word_text.len() && k < enc.len() {
                    let t = &enc.tokens[k];
                    let piece = if spelled.is_empty() { t.as_str() } else {
                        t.strip_prefix(prefix).unwrap_or(t)
                    };
                    spelled.push_str(piece);
                    k += 1;
                }
                prop_assert_eq!(spelled.as_str(), word_text);
            }
            prop_assert_eq!(k, enc.len(), "tokens beyond the words of {:?}", s);
            // Pairs and decoding never panic.
            let pair = tok.encode_pair(&s, &b);
            prop_assert!(pair.len() >= enc.len());
            let _ = tok.decode(&pair.ids, true);
            let _ = tok.decode(&pair.ids, false);
            prop_assert!(split_words(&split.normalized).len() == split.words.len());
        }
    }
}

#[test]
fn the_tokenizers_loaded() {
    // The property tests skip silently when the data is missing; this test
    // makes a missing data set visible (and fails with JOURNEY_REQUIRE_DATA=1
    // through common::data_file).
    if common::data_file("tokenizers/sentencepiece/llama2-bpe-32k.model").is_none() {
        return;
    }
    assert!(bpe(Encoding::Cl100kBase).is_some() && bpe(Encoding::O200kBase).is_some());
    assert_eq!(sentencepiece().len(), 3);
    assert_eq!(wordpiece().len(), 2);
}
