//! Byte-level BPE parity with tiktoken 0.14: the 313 vectors of TestPlans.txt,
//! every line of ten real corpora and a synthetic stress set (fixtures written
//! by tools/reference/bpe_golden.py), round trips, special tokens, malformed
//! files, and property tests (pre-tokenizers against fancy-regex, round trips
//! on arbitrary text and bytes).

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use journey_text::bpe::{BytePairEncoding, Rank, SpecialSet};
use journey_text::bpe_files::{load_gpt2_ranks, load_tiktoken_ranks, Encoding};
use journey_text::pretokenize::Pretokenizer;
use journey_text::TextError;
use proptest::prelude::*;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// `$JOURNEY_DATA`, when the tokenizer files are there.
fn data_root() -> Option<PathBuf> {
    common::data_file("tokenizers/tiktoken/TestPlans.txt")?;
    journey_data::testdata::root()
}

/// Each encoding loaded once per test binary.
fn encoding(e: Encoding) -> Option<&'static BytePairEncoding> {
    static CACHE: OnceLock<HashMap<Encoding, OnceLock<BytePairEncoding>>> = OnceLock::new();
    let root = data_root()?;
    let cache = CACHE.get_or_init(|| {
        Encoding::ALL
            .iter()
            .map(|&e| (e, OnceLock::new()))
            .collect()
    });
    Some(cache[&e].get_or_init(|| {
        e.load(&root)
            .unwrap_or_else(|err| panic!("{}: {err}", e.name()))
    }))
}

fn ids_le(ids: &[Rank]) -> Vec<u8> {
    ids.iter().flat_map(|i| i.to_le_bytes()).collect()
}

#[test]
fn testplans_all_313_vectors() {
    let Some(path) = common::data_file("tokenizers/tiktoken/TestPlans.txt") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let (mut name, mut sample) = (None, None);
    let mut per_encoding: HashMap<String, (usize, usize)> = HashMap::new();
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("EncodingName: ") {
            name = Some(n.to_string());
        } else if let Some(s) = line.strip_prefix("Sample: ") {
            sample = Some(s.to_string());
        } else if let Some(ids) = line.strip_prefix("Encoded: ") {
            let want: Vec<Rank> = serde_json::from_str(ids).unwrap();
            let (n, s) = (name.take().unwrap(), sample.take().unwrap());
            let enc = encoding(Encoding::from_name(&n).unwrap()).unwrap();
            let got = enc.encode(&s, SpecialSet::All).unwrap();
            let entry = per_encoding.entry(n.clone()).or_default();
            entry.1 += 1;
            if got == want {
                entry.0 += 1;
            } else {
                eprintln!("{n}: {s:?}\n  want {want:?}\n  got  {got:?}");
            }
            assert_eq!(enc.decode(&got).unwrap(), s);
        }
    }
    let mut names: Vec<_> = per_encoding.iter().collect();
    names.sort();
    for (n, (ok, all)) in &names {
        println!("TestPlans {n}: {ok}/{all}");
    }
    let (ok, all) = per_encoding
        .values()
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert_eq!(all, 313, "TestPlans.txt should hold 313 vectors");
    assert_eq!(ok, all, "TestPlans vectors that differ from tiktoken");
}

/// Checks one `corpus_<encoding>.txt` fixture: every line of every source.
fn check_corpus(e: Encoding) {
    let Some(enc) = encoding(e) else { return };
    let root = data_root().unwrap();
    let fixture = common::fixture(&format!("bpe/corpus_{}.txt", e.name()));
    let spec = std::fs::read_to_string(&fixture).unwrap();
    let mut rows = spec.lines().peekable();
    let mut failures = Vec::new();
    while let Some(header) = rows.next() {
        let f: Vec<&str> = header.split(' ').collect();
        match f[0] {
            "source" => {
                let (rel, n_lines, n_tokens, sha) = (f[1], f[3], f[5], f[7]);
                let mut want_blocks = String::new();
                while rows.peek().is_some_and(|r| !r.contains(' ')) {
                    want_blocks.push_str(rows.next().unwrap());
                }
                let text = std::fs::read_to_string(root.join(rel)).unwrap();
                let lines: Vec<&str> = text.split('\n').collect();
                assert_eq!(lines.len().to_string(), n_lines, "{rel}: line count");
                let encoded = enc.encode_ordinary_batch(&lines);
                let mut whole = Sha256::new();
                let mut total = 0usize;
                let (mut ok_blocks, mut blocks) = (0, 0);
                for (b, chunk) in encoded.chunks(16).enumerate() {
                    let mut h = Sha256::new();
                    for ids in chunk {
                        let mut raw = (ids.len() as u32).to_le_bytes().to_vec();
                        raw.extend(ids_le(ids));
                        h.update(&raw);
                        whole.update(&raw);
                        total += ids.len();
                    }
                    let hex = hex(&h.finalize()[..4]);
                    blocks += 1;
                    if want_blocks.get(b * 8..b * 8 + 8) == Some(hex.as_str()) {
                        ok_blocks += 1;
                    }
                }
                // Round trip on every line.
                lines.par_iter().zip(&encoded).for_each(|(l, ids)| {
                    assert_eq!(enc.decode(ids).unwrap(), *l, "{rel}: round trip");
                });
                println!(
                    "{} {rel}: {} lines, {total} tokens, blocks of 16 lines equal to tiktoken {ok_blocks}/{blocks} ({:.2}%)",
                    e.name(),
                    lines.len(),
                    100.0 * ok_blocks as f64 / blocks as f64
                );
                if hex(&whole.finalize()) != sha
                    || total.to_string() != n_tokens
                    || ok_blocks != blocks
                {
                    failures.push(rel.to_string());
                }
            }
            "doc" => {
                let (rel, n_tokens, sha) = (f[1], f[3], f[5]);
                let text = std::fs::read_to_string(root.join(rel)).unwrap();
                let ids = enc.encode_ordinary(&text);
                let ok =
                    ids.len().to_string() == n_tokens && hex(&Sha256::digest(ids_le(&ids))) == sha;
                println!(
                    "{} whole document {rel}: {} tokens, equal: {ok}",
                    e.name(),
                    ids.len()
                );
                assert_eq!(enc.decode(&ids).unwrap(), text);
                if !ok {
                    failures.push(format!("doc {rel}"));
                }
            }
            other => panic!("{}: unexpected row {other:?}", fixture.display()),
        }
    }
    assert!(
        failures.is_empty(),
        "{}: differs from tiktoken on {failures:?}",
        e.name()
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn corpus_gpt2() {
    check_corpus(Encoding::Gpt2);
}
#[test]
fn corpus_r50k_base() {
    check_corpus(Encoding::R50kBase);
}
#[test]
fn corpus_p50k_base() {
    check_corpus(Encoding::P50kBase);
}
#[test]
fn corpus_cl100k_base() {
    check_corpus(Encoding::Cl100kBase);
}
#[test]
fn corpus_o200k_base() {
    check_corpus(Encoding::O200kBase);
}

/// A fixture id list: in full, or `{n, sha256}`.
fn matches_golden(ids: &[Rank], golden: &serde_json::Value) -> bool {
    match golden {
        serde_json::Value::Array(a) => {
            a.len() == ids.len()
                && a.iter()
                    .zip(ids)
                    .all(|(g, &i)| g.as_u64() == Some(i as u64))
        }
        serde_json::Value::Object(o) => {
            o["n"].as_u64() == Some(ids.len() as u64)
                && o["sha256"].as_str() == Some(&hex(&Sha256::digest(ids_le(ids))))
        }
        _ => false,
    }
}

#[test]
fn stress_set_all_encodings() {
    let Some(_) = data_root() else { return };
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::fixture("bpe/stress.json")).unwrap())
            .unwrap();
    let texts: Vec<&str> = spec["texts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for (name, golden) in spec["encodings"].as_object().unwrap() {
        let enc = encoding(Encoding::from_name(name).unwrap()).unwrap();
        let ordinary = golden["ordinary"].as_array().unwrap();
        let special = golden["all_special"].as_array().unwrap();
        let ok: usize = texts
            .par_iter()
            .enumerate()
            .map(|(k, t)| {
                let ids = enc.encode_ordinary(t);
                let with = enc.encode(t, SpecialSet::All).unwrap();
                assert_eq!(
                    enc.decode(&ids).unwrap(),
                    *t,
                    "{name}: round trip of stress text {k}"
                );
                assert_eq!(
                    enc.decode(&with).unwrap(),
                    *t,
                    "{name}: round trip (specials) of text {k}"
                );
                let want_with = if special[k].is_null() {
                    &ordinary[k]
                } else {
                    &special[k]
                };
                let good = matches_golden(&ids, &ordinary[k]) && matches_golden(&with, want_with);
                if !good {
                    eprintln!(
                        "{name}: stress text {k} differs: {:?}",
                        t.chars().take(60).collect::<String>()
                    );
                }
                good as usize
            })
            .sum();
        println!(
            "stress {name}: {ok}/{} texts equal to tiktoken",
            texts.len()
        );
        assert_eq!(ok, texts.len(), "{name}: stress texts differ from tiktoken");
    }
}

#[test]
fn gpt2_files_give_r50k_ranks() {
    let Some(root) = data_root() else { return };
    let mut gpt2 = load_gpt2_ranks(
        &root.join("tokenizers/gpt2/encoder.json"),
        &root.join("tokenizers/gpt2/vocab.bpe"),
    )
    .unwrap();
    let mut r50k =
        load_tiktoken_ranks(&root.join("tokenizers/tiktoken/r50k_base.tiktoken")).unwrap();
    gpt2.sort_by_key(|p| p.1);
    r50k.sort_by_key(|p| p.1);
    assert_eq!(gpt2.len(), 50256);
    assert!(
        gpt2 == r50k,
        "GPT-2's encoder.json + vocab.bpe should equal r50k_base"
    );
}

#[test]
fn special_tokens_allowed_and_disallowed() {
    let Some(enc) = encoding(Encoding::Cl100kBase) else {
        return;
    };
    let text = "Hello<|endoftext|> there <|fim_prefix|>";
    let err = enc.encode(text, SpecialSet::None).unwrap_err();
    assert!(
        matches!(&err, TextError::DisallowedSpecialToken { token, offset: 5 } if token == "<|endoftext|>"),
        "{err}"
    );
    assert!(err.to_string().contains("encode_ordinary"), "{err}");
    let all = enc.encode(text, SpecialSet::All).unwrap();
    assert!(all.contains(&100257) && all.contains(&100258));
    // Only <|endoftext|> allowed: <|fim_prefix|> is still disallowed.
    let only = ["<|endoftext|>"];
    assert!(matches!(
        enc.encode(text, SpecialSet::Only(&only)),
        Err(TextError::DisallowedSpecialToken { offset: 25, .. })
    ));
    // ... unless nothing is disallowed: then it is plain text.
    let mixed = enc
        .encode_with_policy(text, SpecialSet::Only(&only), SpecialSet::None)
        .unwrap();
    assert!(mixed.contains(&100257) && !mixed.contains(&100258));
    assert_eq!(enc.decode(&mixed).unwrap(), text);
    // tiktoken: encode("<|endoftext|>", allowed_special="all") == [100257]
    assert_eq!(
        enc.encode("<|endoftext|>", SpecialSet::All).unwrap(),
        vec![100257]
    );
    assert_eq!(
        enc.encode_ordinary("<|endoftext|>"),
        vec![27, 91, 8862, 728, 428, 91, 29]
    );
    assert_eq!(enc.encode_single_token(b"<|endoftext|>"), Some(100257));
    assert_eq!(enc.n_vocab(), 100277);
    assert!(matches!(
        enc.decode(&[100261]),
        Err(TextError::UnknownTokenId { id: 100261, .. })
    ));
}

#[test]
fn offsets_and_partial_utf8() {
    let Some(enc) = encoding(Encoding::O200kBase) else {
        return;
    };
    let text = "naïve café 🌍 日本語<|endoftext|>  \n\n x";
    let e = enc.encode_with_offsets(text, SpecialSet::All).unwrap();
    assert_eq!(e.ids, enc.encode(text, SpecialSet::All).unwrap());
    let mut pos = 0;
    for (id, span) in e.ids.iter().zip(&e.offsets) {
        assert_eq!(span.start, pos);
        assert_eq!(
            enc.token_bytes(*id).unwrap(),
            &text.as_bytes()[span.clone()]
        );
        pos = span.end;
    }
    assert_eq!(pos, text.len());
    // An emoji split over tokens: a prefix of the ids is a partial character.
    let ids = enc.encode_ordinary("🫠");
    assert!(ids.len() > 1, "{ids:?}");
    let err = enc.decode(&ids[..1]).unwrap_err();
    assert!(
        matches!(err, TextError::DecodedNotUtf8 { valid_up_to: 0 }),
        "{err}"
    );
    assert!(enc.decode_lossy(&ids[..1]).unwrap().contains('\u{FFFD}'));
    assert_eq!(enc.decode_bytes(&ids).unwrap(), "🫠".as_bytes());
}

#[test]
fn encode_batch_equals_sequential() {
    let Some(enc) = encoding(Encoding::Cl100kBase) else {
        return;
    };
    let texts = ["a b c", "<|endoftext|>", "", "  12345 ", "😀😀"];
    let batch = enc.encode_batch(&texts, SpecialSet::All).unwrap();
    for (t, ids) in texts.iter().zip(&batch) {
        assert_eq!(&enc.encode(t, SpecialSet::All).unwrap(), ids);
    }
    assert!(enc.encode_batch(&texts, SpecialSet::None).is_err());
}

// ---------------------------------------------------------------------------
// Malformed files
// ---------------------------------------------------------------------------

fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

#[test]
fn malformed_tiktoken_files() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("IQ== 0\nIg==\n", 2, "two fields"),
        ("IQ== 0\nIg== 1 2\n", 2, "two fields"),
        ("IQ== 0\n\n!!!! 1\n", 3, "not base64"),
        ("IQ== zero\n", 1, "not an integer"),
        ("IQ== 4294967296\n", 1, "not an integer"),
        ("", 1, "empty"),
    ];
    for (contents, line, what) in cases {
        let p = write(dir.path(), "bad.tiktoken", contents);
        let err = load_tiktoken_ranks(&p).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, TextError::Malformed { line: l, .. } if l == line),
            "{contents:?}: {msg}"
        );
        assert!(msg.contains("bad.tiktoken") && msg.contains(what), "{msg}");
    }
    let missing = load_tiktoken_ranks(&dir.path().join("nope.tiktoken")).unwrap_err();
    assert!(missing.to_string().contains("nope.tiktoken"), "{missing}");
    // Well-formed lines that do not make a byte-level vocabulary.
    let ranks = load_tiktoken_ranks(&write(dir.path(), "small.tiktoken", "IQ== 0\n")).unwrap();
    let err = BytePairEncoding::new("small", ranks, [], Pretokenizer::Gpt2).unwrap_err();
    assert!(err.to_string().contains("256 bytes"), "{err}");
    let dup = vec![(b"a".to_vec(), 0), (b"b".to_vec(), 0)];
    let err = BytePairEncoding::new("dup", dup, [], Pretokenizer::Gpt2).unwrap_err();
    assert!(err.to_string().contains("rank 0"), "{err}");
}

#[test]
fn malformed_gpt2_files() {
    let Some(root) = data_root() else { return };
    let dir = tempfile::tempdir().unwrap();
    let good_json = std::fs::read_to_string(root.join("tokenizers/gpt2/encoder.json")).unwrap();
    let good_bpe = std::fs::read_to_string(root.join("tokenizers/gpt2/vocab.bpe")).unwrap();
    let enc_path = write(dir.path(), "encoder.json", &good_json);
    // vocab.bpe: a line with three fields, and a character outside the alphabet.
    let mut lines: Vec<&str> = good_bpe.split('\n').collect();
    lines[5] = "a b c";
    let bpe = write(dir.path(), "vocab.bpe", &lines.join("\n"));
    let err = load_gpt2_ranks(&enc_path, &bpe).unwrap_err();
    assert!(matches!(err, TextError::Malformed { line: 6, .. }), "{err}");
    assert!(err.to_string().contains("vocab.bpe:6"), "{err}");
    lines[5] = "a \u{3000}";
    let bpe = write(dir.path(), "vocab.bpe", &lines.join("\n"));
    let err = load_gpt2_ranks(&enc_path, &bpe).unwrap_err();
    assert!(err.to_string().contains("byte-to-unicode"), "{err}");
    // Two merges swapped: encoder.json no longer agrees.
    let mut lines: Vec<&str> = good_bpe.split('\n').collect();
    lines.swap(1, 2);
    let bpe = write(dir.path(), "vocab.bpe", &lines.join("\n"));
    let err = load_gpt2_ranks(&enc_path, &bpe).unwrap_err();
    assert!(matches!(err, TextError::BadVocab { .. }), "{err}");
    assert!(
        err.to_string().contains("encoder.json") && err.to_string().contains("different models"),
        "{err}"
    );
    // encoder.json that is not JSON.
    let bpe = write(dir.path(), "vocab.bpe", &good_bpe);
    let bad_json = write(dir.path(), "encoder.json", "{\"a\": 1,\n \"b\": }");
    let err = load_gpt2_ranks(&bad_json, &bpe).unwrap_err();
    assert!(matches!(err, TextError::Malformed { line: 2, .. }), "{err}");
    // encoder.json missing tokens.
    let short = write(dir.path(), "encoder.json", "{\"!\": 0}");
    let err = load_gpt2_ranks(&short, &bpe).unwrap_err();
    assert!(err.to_string().contains("ordinary tokens"), "{err}");
}

// ---------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------

/// Characters that exercise the patterns: ASCII, whitespace of every kind,
/// letters of each case class, marks, numbers, apostrophes, ſ and K.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(
            " \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{2028}\u{3000}\u{1c}'`\"!?./\\,;:-_()<>|aAsSdDmMtTlLvVeErRzZ019ſKǅʰªˇ\u{301}\u{308}\u{64b}\u{93f}٣Ⅻ½①日本ᄀ😀🌍\u{200d}\u{fe0f}🇯🇵"
                .chars()
                .collect::<Vec<_>>()
        ),
        1 => any::<char>(),
    ]
}

fn tricky_string() -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..40).prop_map(|v| v.into_iter().collect())
}

fn oracle(p: Pretokenizer) -> &'static fancy_regex::Regex {
    static RES: OnceLock<[fancy_regex::Regex; 3]> = OnceLock::new();
    let res = RES.get_or_init(|| {
        [
            Pretokenizer::Gpt2,
            Pretokenizer::Cl100k,
            Pretokenizer::O200k,
        ]
        .map(|p| fancy_regex::Regex::new(p.pattern()).unwrap())
    });
    &res[p as usize]
}

fn check_split(p: Pretokenizer, s: &str) -> Result<(), TestCaseError> {
    let want: Vec<&str> = oracle(p)
        .find_iter(s)
        .map(|m| m.unwrap().as_str())
        .collect();
    let got: Vec<&str> = p.split(s).collect();
    prop_assert_eq!(got, want, "{:?} on {:?}", p, s);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn scanners_equal_fancy_regex(s in tricky_string()) {
        for p in [Pretokenizer::Gpt2, Pretokenizer::Cl100k, Pretokenizer::O200k] {
            check_split(p, &s)?;
        }
    }

    #[test]
    fn scanners_equal_fancy_regex_any_unicode(s in "\\PC{0,30}") {
        for p in [Pretokenizer::Gpt2, Pretokenizer::Cl100k, Pretokenizer::O200k] {
            check_split(p, &s)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn round_trip_arbitrary_unicode(s in prop_oneof![tricky_string(), any::<String>()]) {
        for e in [Encoding::R50kBase, Encoding::Cl100kBase, Encoding::O200kBase] {
            let Some(enc) = encoding(e) else { return Ok(()) };
            let ids = enc.encode_ordinary(&s);
            prop_assert_eq!(enc.decode(&ids).unwrap(), s.clone());
            let with = enc.encode(&s, SpecialSet::All).unwrap();
            prop_assert_eq!(enc.decode(&with).unwrap(), s.clone());
        }
    }

    #[test]
    fn round_trip_arbitrary_bytes(b in prop::collection::vec(any::<u8>(), 0..300)) {
        for e in [Encoding::Gpt2, Encoding::Cl100kBase, Encoding::O200kBase] {
            let Some(enc) = encoding(e) else { return Ok(()) };
            let ids = enc.encode_piece(&b);
            prop_assert_eq!(enc.decode_bytes(&ids).unwrap(), b.clone());
            // Lossy text from the bytes also round-trips through encode.
            let lossy = String::from_utf8_lossy(&b).into_owned();
            prop_assert_eq!(enc.decode(&enc.encode_ordinary(&lossy)).unwrap(), lossy);
        }
    }
}
