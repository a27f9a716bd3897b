//! Parity of `SentencePieceProcessor` with the sentencepiece package 0.2.3 on
//! three models: toy-unigram-1k and opennmt-unigram-1k (Unigram) and
//! llama2-bpe-32k (BPE with byte fallback), all from
//! `$JOURNEY_DATA/tokenizers/sentencepiece/`.
//!
//! * `stress.jsonl`: synthetic strings (NFKC cases, emoji, CJK, control
//!   characters, runs of spaces, the empty string …) with sentencepiece's ids,
//!   pieces, byte spans and decoded text, committed in full.
//! * `<source>.tsv`: for real lines of the shared corpora, a hash of the ids
//!   per line and model, and of `decode(encode(line))` when it differs from
//!   the line (tools/reference/sentencepiece_golden.py).
//! * malformed `.model` files: empty, random bytes, truncated, corrupted.
//!
//! `JOURNEY_DATA=/work/shared/data cargo test -p journey-text --test sentencepiece -- --nocapture`

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::{read_lines, unit, Field};
use journey_text::sentencepiece::{SentencePieceProcessor, SpToken};
use journey_text::sentencepiece_model::ModelProto;

const MODELS: [&str; 3] = ["toy-unigram-1k", "opennmt-unigram-1k", "llama2-bpe-32k"];

/// The three models, loaded once; `None` when the data is not available.
fn models() -> Option<&'static [SentencePieceProcessor]> {
    static CELL: OnceLock<Option<Vec<SentencePieceProcessor>>> = OnceLock::new();
    CELL.get_or_init(|| {
        MODELS
            .iter()
            .map(|m| {
                let path = common::data_file(&format!("tokenizers/sentencepiece/{m}.model"))?;
                Some(SentencePieceProcessor::open(&path).unwrap_or_else(|e| panic!("{e}")))
            })
            .collect()
    })
    .as_deref()
}

fn fnv64(bytes: impl IntoIterator<Item = u8>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn ids_hash(ids: &[u32]) -> String {
    fnv64(ids.iter().flat_map(|i| i.to_le_bytes()))
}

/// Spans lie inside the text, in order, on character boundaries.
fn spans_ok(text: &str, toks: &[SpToken]) -> bool {
    let mut last = 0;
    toks.iter().all(|t| {
        let ok = t.start <= t.end
            && t.end <= text.len()
            && t.start >= last
            && text.is_char_boundary(t.start)
            && text.is_char_boundary(t.end);
        last = t.start.max(last);
        ok
    })
}

// ---------------------------------------------------------------------------
// Stress set (committed in full; needs the models)
// ---------------------------------------------------------------------------

#[test]
fn stress_set_parity() {
    let Some(models) = models() else { return };
    let table = std::fs::read_to_string(common::fixture("sentencepiece/stress.jsonl")).unwrap();
    let mut bad = 0;
    let mut n = 0;
    for line in table.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = row["text"].as_str().unwrap();
        for (m, sp) in MODELS.iter().zip(models) {
            let want = &row[*m];
            let ids: Vec<u32> = serde_json::from_value(want["ids"].clone()).unwrap();
            let pieces: Vec<String> = serde_json::from_value(want["pieces"].clone()).unwrap();
            let spans: Vec<(usize, usize)> = serde_json::from_value(want["spans"].clone()).unwrap();
            let decoded = want["decoded"].as_str().unwrap();
            let got = sp.encode(text);
            let got_ids: Vec<u32> = got.iter().map(|t| t.id).collect();
            let got_pieces: Vec<&str> = got.iter().map(|t| t.piece.as_str()).collect();
            let got_spans: Vec<(usize, usize)> = got.iter().map(|t| (t.start, t.end)).collect();
            let got_dec = sp.decode(&ids).unwrap();
            n += 1;
            if got_ids != ids || got_pieces != pieces || got_spans != spans || got_dec != decoded {
                bad += 1;
                eprintln!("{m}: {text:?}\n  want {ids:?} {pieces:?} {spans:?} {decoded:?}\n  ours {got_ids:?} {got_pieces:?} {got_spans:?} {got_dec:?}");
            }
            assert_eq!(sp.encode_ids(text), got_ids);
        }
    }
    println!("stress: {}/{n} (model, string) pairs identical", n - bad);
    assert_eq!(bad, 0);
}

#[test]
fn batch_equals_one_by_one() {
    let Some(models) = models() else { return };
    let texts = ["Hello  world", "", "日本語 🙂", "  x  ", "ﬁne ＡＢＣ"];
    for sp in models {
        let batch = sp.encode_batch(&texts);
        for (t, b) in texts.iter().zip(&batch) {
            assert_eq!(&sp.encode(t), b);
        }
        let ids = sp.encode_ids_batch(&texts);
        assert_eq!(ids[0], sp.encode_ids(texts[0]));
    }
}

#[test]
fn decode_rejects_bad_ids() {
    let Some(models) = models() else { return };
    let e = models[0].decode(&[5, 1_000_000]).unwrap_err().to_string();
    assert!(
        e.contains("toy-unigram-1k.model") && e.contains("1000000"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------
// Real lines of the shared corpora (need $JOURNEY_DATA)
// ---------------------------------------------------------------------------

fn corpus_parity(name: &str, field: Field) {
    let Some(models) = models() else { return };
    let table =
        std::fs::read_to_string(common::fixture(&format!("sentencepiece/{name}.tsv"))).unwrap();
    let mut lines = Vec::new();
    let mut file = String::new();
    let mut inputs = Vec::new();
    let mut wants = Vec::new();
    for row in table.lines() {
        if row.starts_with('#') {
            continue;
        }
        if let Some(rel) = row.strip_prefix("@ ") {
            let Some(path) = common::data_file(rel) else {
                return;
            };
            lines = read_lines(&path, false);
            file = rel.to_owned();
            continue;
        }
        let mut cols = row.split('\t');
        let key = cols.next().unwrap().to_owned();
        let input = unit(&lines, &key, field).unwrap_or_else(|| panic!("{file}: no unit {key}"));
        inputs.push(input);
        wants.push((key, cols.map(str::to_owned).collect::<Vec<_>>()));
    }
    assert!(!inputs.is_empty(), "{name}: empty fixture");
    let mut failures = 0;
    for (k, (m, sp)) in MODELS.iter().zip(models).enumerate() {
        let encoded = sp.encode_batch(&inputs);
        let (mut same_ids, mut same_dec, mut bad_spans) = (0, 0, 0);
        for ((input, (key, cols)), toks) in inputs.iter().zip(&wants).zip(&encoded) {
            let want: Vec<&str> = cols[k].split(':').collect();
            let ids: Vec<u32> = toks.iter().map(|t| t.id).collect();
            let ids_ok = want[0] == ids.len().to_string() && want[1] == ids_hash(&ids);
            let dec = sp.decode(&ids).unwrap();
            let dec_ok = match want.get(2) {
                Some(h) => *h == fnv64(dec.bytes()),
                None => dec == *input,
            };
            same_ids += usize::from(ids_ok);
            same_dec += usize::from(dec_ok);
            if !spans_ok(input, toks) {
                bad_spans += 1;
            }
            if (!ids_ok || !dec_ok) && failures < 10 {
                failures += 1;
                let pieces: Vec<&str> = toks.iter().map(|t| t.piece.as_str()).collect();
                eprintln!("{m} {file}:{key}: {input:?}\n  ours {ids:?} {pieces:?}\n  decoded {dec:?} (ids ok: {ids_ok}, decode ok: {dec_ok})");
            }
        }
        let total = inputs.len();
        println!(
            "{name} {m}: ids {same_ids}/{total} ({:.3}%), decode {same_dec}/{total} ({:.3}%)",
            100.0 * same_ids as f64 / total as f64,
            100.0 * same_dec as f64 / total as f64
        );
        assert_eq!(same_ids, total, "{name} {m}: ids differ from sentencepiece");
        assert_eq!(
            same_dec, total,
            "{name} {m}: decode differs from sentencepiece"
        );
        assert_eq!(
            bad_spans, 0,
            "{name} {m}: spans out of order or out of the text"
        );
    }
}

#[test]
fn samples_in_full() {
    let Some(models) = models() else { return };
    let table = std::fs::read_to_string(common::fixture("sentencepiece/samples.jsonl")).unwrap();
    for line in table.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let rel = row["file"].as_str().unwrap();
        let Some(path) = common::data_file(rel) else {
            return;
        };
        let field = match row["source"].as_str().unwrap() {
            "sst2_dev" | "sms_spam" => Field::AfterTabs(1),
            "vader_tweets" => Field::AfterTabs(2),
            "ag_news_test" => Field::Csv,
            _ => Field::Line,
        };
        let input = unit(
            &read_lines(&path, false),
            row["key"].as_str().unwrap(),
            field,
        )
        .unwrap();
        let m = MODELS.iter().position(|m| *m == row["model"]).unwrap();
        let got = models[m].encode(&input);
        let ids: Vec<u32> = serde_json::from_value(row["ids"].clone()).unwrap();
        let pieces: Vec<String> = serde_json::from_value(row["pieces"].clone()).unwrap();
        assert_eq!(
            got.iter().map(|t| t.id).collect::<Vec<_>>(),
            ids,
            "{input:?}"
        );
        // Pieces: unknown pieces carry their surface, the fixture's the vocab piece.
        for (t, p) in got.iter().zip(&pieces) {
            assert!(t.piece == *p || t.id == 0, "{input:?}: {} vs {p}", t.piece);
        }
    }
}

#[test]
fn sst2_dev_parity() {
    corpus_parity("sst2_dev", Field::AfterTabs(1));
}
#[test]
fn sms_spam_parity() {
    corpus_parity("sms_spam", Field::AfterTabs(1));
}
#[test]
fn vader_tweets_parity() {
    corpus_parity("vader_tweets", Field::AfterTabs(2));
}
#[test]
fn multi30k_en_parity() {
    corpus_parity("multi30k_en", Field::Line);
}
#[test]
fn multi30k_de_parity() {
    corpus_parity("multi30k_de", Field::Line);
}
#[test]
fn ag_news_test_parity() {
    corpus_parity("ag_news_test", Field::Csv);
}
#[test]
fn tinyshakespeare_parity() {
    corpus_parity("tinyshakespeare", Field::Line);
}
#[test]
fn wikitext2_test_parity() {
    corpus_parity("wikitext2_test", Field::Line);
}

// ---------------------------------------------------------------------------
// Malformed model files
// ---------------------------------------------------------------------------

fn load_err(bytes: &[u8], name: &str) -> String {
    match SentencePieceProcessor::from_bytes(bytes, name) {
        Ok(_) => panic!("{name}: a malformed model loaded"),
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.contains(name), "error does not name the file: {msg}");
            msg
        }
    }
}

#[test]
fn empty_and_random_files_are_errors() {
    let msg = load_err(b"", "empty.model");
    assert!(msg.contains("empty"), "{msg}");
    // Random bytes from a fixed-seed xorshift: never a panic, always a message.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..200 {
        let len = 1 + round * 7;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        load_err(&bytes, "random.model");
    }
    // Text is not a model.
    let msg = load_err(b"<unk>\t0\n<s>\t0\n", "vocab.model");
    println!("text file: {msg}");
    let missing = SentencePieceProcessor::open("/nonexistent/x.model").unwrap_err();
    assert!(missing.to_string().contains("/nonexistent/x.model"));
}

#[test]
fn truncated_and_corrupted_models_are_errors() {
    let Some(path) = common::data_file("tokenizers/sentencepiece/toy-unigram-1k.model") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    // Cut inside the pieces, inside the trainer spec and inside the charsmap.
    for cut in [1, 2, 3, 10, 100, bytes.len() / 2, bytes.len() - 1] {
        let msg = load_err(&bytes[..cut], "cut.model");
        assert!(
            msg.contains("byte") || msg.contains("UNKNOWN"),
            "{cut}: {msg}"
        );
        if cut == bytes.len() - 1 {
            println!("truncated by one byte: {msg}");
        }
    }
    // Corrupt single bytes: must either load or fail with a message, never panic.
    let mut errors = 0;
    for i in (0..bytes.len()).step_by(997) {
        let mut b = bytes.clone();
        b[i] ^= 0xa5;
        if let Ok(sp) = SentencePieceProcessor::from_bytes(&b, "flip.model") {
            let _ = sp.encode("Hello world, ﬁne ＡＢＣ 日本 🙂");
        } else {
            errors += 1;
        }
    }
    println!("single-byte corruptions rejected: {errors}");
    // A valid model whose unk_id points elsewhere is refused by name.
    let mut proto = ModelProto::from_bytes(&bytes, Path::new("toy.model")).unwrap();
    proto.trainer_spec.unk_id = 5;
    let e = SentencePieceProcessor::from_proto(proto, Path::new("toy.model"));
    let msg = e.unwrap_err().to_string();
    assert!(msg.contains("toy.model") && msg.contains("unk_id"), "{msg}");
}
