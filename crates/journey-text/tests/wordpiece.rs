//! WordPiece (BERT) against HF tokenizers 0.23.3 with all-MiniLM-L6-v2's
//! `tokenizer.json`: ids, type ids, attention masks, special-token masks,
//! byte offsets and decoded text on every line of
//! `tests/fixtures/wordpiece/golden.tsv` (written by
//! `tools/reference/wordpiece_golden.py`), plus loading, writing and errors.
//!
//! The model comes from `$JOURNEY_MODELS` (default `~/.cache/journey/models`,
//! filled by `shared/bin/fetch-models minilm`); the corpus lines from
//! `$JOURNEY_DATA`. Absent files skip, unless `JOURNEY_REQUIRE_DATA=1`.

mod common;

use journey_text::wordpiece::{Encoding, WordPieceTokenizer};
use journey_text::TextError;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn required() -> bool {
    std::env::var("JOURNEY_REQUIRE_DATA").is_ok_and(|v| v == "1")
}

/// `all-MiniLM-L6-v2/NAME` under `$JOURNEY_MODELS`, or `None` (skip).
fn model_file(name: &str) -> Option<PathBuf> {
    let root = std::env::var_os("JOURNEY_MODELS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/journey/models"))
        })?;
    let path = root.join("all-MiniLM-L6-v2").join(name);
    if path.exists() {
        return Some(path);
    }
    assert!(
        !required(),
        "JOURNEY_REQUIRE_DATA=1 but {} does not exist; run shared/bin/fetch-models minilm",
        path.display()
    );
    eprintln!(
        "skipping: {} does not exist (run shared/bin/fetch-models minilm)",
        path.display()
    );
    None
}

fn minilm() -> Option<WordPieceTokenizer> {
    Some(WordPieceTokenizer::from_tokenizer_json(&model_file("tokenizer.json")?).unwrap())
}

fn hex(bytes: &[u8], n: usize) -> String {
    let digest = Sha256::digest(bytes);
    digest
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..n]
        .to_string()
}

fn digest(e: &Encoding) -> String {
    let j = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
    let off: Vec<String> = e.offsets.iter().map(|(s, t)| format!("{s}:{t}")).collect();
    let s = [
        j(&e.ids),
        j(&e.type_ids),
        j(&e.attention_mask),
        j(&e.special_tokens_mask),
        off.join(","),
    ]
    .join("|");
    hex(s.as_bytes(), 16)
}

/// Lines split on LF, one trailing CR dropped, empty lines skipped (as the
/// golden script reads them).
fn lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Python's `csv.reader` with its defaults, enough for AG News.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' {
            quoted = true;
        } else if c == ',' {
            row.push(std::mem::take(&mut field));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
        } else {
            field.push(c);
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn after_tab(line: &str, n: usize) -> String {
    line.splitn(n + 1, '\t').nth(n).unwrap_or("").to_string()
}

fn stress() -> Vec<String> {
    let text = std::fs::read_to_string(common::fixture("wordpiece/stress.jsonl")).unwrap();
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The texts of each source, read as `wordpiece_golden.py` reads them.
fn sources() -> Option<BTreeMap<&'static str, Vec<String>>> {
    let mut src = BTreeMap::new();
    let sst = lines(&common::data_file("classification/sst2/train.tsv")?);
    src.insert(
        "sst2",
        sst[1..]
            .iter()
            .step_by(20)
            .map(|l| after_tab(l, 1))
            .collect(),
    );
    let sms = lines(&common::data_file("classification/sms_spam/sms.tsv")?);
    src.insert("sms", sms.iter().map(|l| after_tab(l, 1)).collect());
    let ag =
        std::fs::read_to_string(common::data_file("classification/ag_news/test.csv")?).unwrap();
    let ag = csv_rows(&ag)
        .into_iter()
        .take(1500)
        .flat_map(|r| [r[1].clone(), r[2].clone()])
        .collect();
    src.insert("ag_news", ag);
    let mut de = lines(&common::data_file("eval/parallel/multi30k/test.de")?);
    de.extend(lines(&common::data_file("eval/parallel/multi30k/val.de")?));
    src.insert("multi30k_de", de);
    let tw = lines(&common::data_file(
        "sentiment/vader_groundtruth/tweets_GroundTruth.txt",
    )?);
    src.insert("vader_tweets", tw.iter().map(|l| after_tab(l, 2)).collect());
    src.insert("stress", stress());
    Some(src)
}

fn pairs_of(texts: &[String]) -> Vec<(String, String)> {
    (0..texts.len().saturating_sub(1).min(1200))
        .step_by(2)
        .map(|i| (texts[i].clone(), texts[i + 1].clone()))
        .collect()
}

/// sha8 of the text, its encoding, sha16 of its decoding.
type Encoded = (String, Encoding, String);

#[test]
fn parity_with_hf_on_golden_lines() {
    let Some(tok) = minilm() else { return };
    let Some(src) = sources() else { return };
    let golden = std::fs::read_to_string(common::fixture("wordpiece/golden.tsv")).unwrap();
    let mut encoded: BTreeMap<(String, String), Vec<Encoded>> = BTreeMap::new();
    for (name, texts) in &src {
        let encs = tok.encode_batch(texts);
        let rows = texts
            .iter()
            .zip(encs)
            .map(|(t, e)| {
                let d = tok.decode(&e.ids, true);
                (hex(t.as_bytes(), 8), e, hex(d.as_bytes(), 16))
            })
            .collect();
        encoded.insert((name.to_string(), "single".into()), rows);
        let pairs = pairs_of(texts);
        let encs = tok.encode_pair_batch(&pairs);
        let rows = pairs
            .iter()
            .zip(encs)
            .map(|((a, b), e)| (hex(format!("{a}\t{b}").as_bytes(), 8), e, "-".to_string()))
            .collect();
        encoded.insert((name.to_string(), "pair".into()), rows);
    }
    let mut stats: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for line in golden.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let key = (f[0].to_string(), f[1].to_string());
        let i: usize = f[2].parse().unwrap();
        let (text_sha, enc, dec) = &encoded[&key][i];
        assert_eq!(
            text_sha, f[3],
            "{}/{} line {i}: the text read differs from the golden script's",
            f[0], f[1]
        );
        let ok = digest(enc) == f[5] && dec == f[6];
        let s = stats.entry(key).or_default();
        s.0 += usize::from(ok);
        s.1 += 1;
        if !ok && failures.len() < 10 {
            failures.push(format!("{}/{} #{i}: tokens {:?}", f[0], f[1], enc.tokens));
        }
    }
    let (mut ok, mut all) = (0, 0);
    for ((name, kind), (k, n)) in &stats {
        println!(
            "{name:>13} {kind:<6} {k:>5}/{n:<5} = {:.2}%",
            100.0 * *k as f64 / *n as f64
        );
        ok += k;
        all += n;
    }
    println!("{:>13} {:<6} {ok:>5}/{all:<5}", "total", "");
    assert!(all >= 20_000, "only {all} golden lines");
    assert!(
        failures.is_empty(),
        "{}/{} lines differ from HF:\n{}",
        all - ok,
        all,
        failures.join("\n")
    );
}

#[test]
fn samples_equal_in_full() {
    let Some(tok) = minilm() else { return };
    let samples: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(common::fixture("wordpiece/samples.json")).unwrap(),
    )
    .unwrap();
    let stress = stress();
    for s in samples.iter().filter(|s| s["source"] == "stress") {
        let i = s["index"].as_u64().unwrap() as usize;
        let e = tok.encode(&stress[i]);
        let ids: Vec<u32> = serde_json::from_value(s["ids"].clone()).unwrap();
        let tokens: Vec<String> = serde_json::from_value(s["tokens"].clone()).unwrap();
        let offsets: Vec<(usize, usize)> = serde_json::from_value(s["offsets"].clone()).unwrap();
        assert_eq!(e.tokens, tokens, "stress line {i}: {:?}", stress[i]);
        assert_eq!(e.ids, ids);
        assert_eq!(e.offsets, offsets, "stress line {i}: {:?}", stress[i]);
        assert_eq!(tok.decode(&e.ids, true), s["decoded"].as_str().unwrap());
    }
}

/// Every code point through the normaliser and pre-tokenizer, hashed per
/// block of 4096 as the golden script hashes HF's output.
#[test]
fn every_code_point_normalises_as_hf() {
    let Some(tok) = minilm() else { return };
    let blocks = std::fs::read_to_string(common::fixture("wordpiece/blocks.tsv")).unwrap();
    let mut bad = Vec::new();
    for line in blocks.lines() {
        let (start, want) = line.split_once('\t').unwrap();
        let start = u32::from_str_radix(start, 16).unwrap();
        let mut parts = Vec::with_capacity(4096);
        for cp in start..start + 4096 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let n = tok.basic.normalize(&c.to_string());
            let x = format!("x{n}x");
            let words: Vec<&str> = journey_text::bert_basic::split_words(&x)
                .into_iter()
                .map(|r| &x[r])
                .collect();
            parts.push(format!("{n}\u{1}{}", words.join("\u{2}")));
        }
        if hex(parts.join("\u{3}").as_bytes(), 16) != want {
            bad.push(format!("U+{start:04X}..U+{:04X}", start + 4095));
        }
    }
    assert!(bad.is_empty(), "blocks differing from HF: {bad:?}");
}

#[test]
fn pairs_offsets_and_decode() {
    let Some(mut tok) = minilm() else { return };
    tok.padding = None;
    let e = tok.encode_pair("Héllo, wörld!", "Straße");
    assert_eq!(
        e.tokens,
        ["[CLS]", "hello", ",", "world", "!", "[SEP]", "straße", "[SEP]"]
            .map(String::from)
            .iter()
            .map(|t| if t == "straße" {
                tok.model.tokenize("straße").join(" ")
            } else {
                t.clone()
            })
            .collect::<Vec<_>>()
            .join(" ")
            .split(' ')
            .map(String::from)
            .collect::<Vec<_>>()
    );
    assert_eq!(e.type_ids.iter().filter(|&&t| t == 1).count(), e.len() - 6);
    assert_eq!(e.offsets[1], (0, 6), "\"Héllo\" is 6 bytes");
    assert_eq!(e.special_tokens_mask[0], 1);
    let e = tok.encode("unaffable [MASK]");
    assert_eq!(e.tokens[e.len() - 2], "[MASK]");
    assert_eq!(e.offsets[e.len() - 2], (10, 16));
    assert_eq!(
        tok.decode(&tok.encode("I don't like it , really .").ids, true),
        "i don ' t like it, really.",
        "HF's cleanup sees one token at a time"
    );
}

#[test]
fn vocab_txt_and_tokenizer_json_agree() {
    let Some(mut json) = minilm() else { return };
    let Some(vocab) = model_file("vocab.txt") else {
        return;
    };
    let txt = WordPieceTokenizer::from_vocab_txt(&vocab, true).unwrap();
    json.truncation = None;
    json.padding = None;
    for t in stress() {
        assert_eq!(txt.encode(&t), json.encode(&t), "{t:?}");
        assert_eq!(txt.encode_pair(&t, "b"), json.encode_pair(&t, "b"), "{t:?}");
    }
    assert_eq!(txt.model, json.model);
}

#[test]
fn tokenizer_json_round_trip() {
    let Some(tok) = minilm() else { return };
    let text = tok.to_tokenizer_json();
    let back = WordPieceTokenizer::from_tokenizer_json_str(&text, Path::new("ours.json")).unwrap();
    assert_eq!(back, tok);
    if let Ok(dir) = std::env::var("WORDPIECE_WRITE_JSON") {
        std::fs::write(Path::new(&dir).join("ours.json"), &text).unwrap();
    }
    for t in stress() {
        assert_eq!(back.encode(&t), tok.encode(&t));
    }
}

fn load_err(json: &str) -> String {
    let e = WordPieceTokenizer::from_tokenizer_json_str(json, Path::new("tok.json")).unwrap_err();
    e.to_string()
}

#[test]
fn malformed_files_give_clear_errors() {
    let dir = std::env::temp_dir().join(format!("wordpiece-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("vocab.txt");
    std::fs::write(&p, "[PAD]\n[UNK]\nhello\n\nworld\n").unwrap();
    let e = WordPieceTokenizer::from_vocab_txt(&p, true).unwrap_err();
    assert!(matches!(e, TextError::Malformed { line: 4, .. }), "{e}");
    assert!(e.to_string().contains("vocab.txt:4: empty line"), "{e}");
    std::fs::write(&p, "[UNK]\nhello\nworld\nhello\n").unwrap();
    let e = WordPieceTokenizer::from_vocab_txt(&p, true)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("vocab.txt:4") && e.contains("duplicate token \"hello\" (first on line 2)"),
        "{e}"
    );
    std::fs::write(&p, "hello\nworld\n").unwrap();
    let e = WordPieceTokenizer::from_vocab_txt(&p, true)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("vocab.txt") && e.contains("\"[UNK]\" is not in"),
        "{e}"
    );
    std::fs::write(&p, b"ok\n\xff\n").unwrap();
    let e = WordPieceTokenizer::from_vocab_txt(&p, true)
        .unwrap_err()
        .to_string();
    assert!(e.contains("not valid UTF-8"), "{e}");
    std::fs::remove_dir_all(&dir).ok();

    let model =
        r#""model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1}}"#;
    let pre = r#""pre_tokenizer": {"type": "BertPreTokenizer"}"#;
    let e = load_err("{ \"model\": ");
    assert!(e.contains("tok.json: invalid JSON"), "{e}");
    let e = load_err(&format!(
        r#"{{ {pre}, "model": {{"type": "Unigram", "vocab": []}} }}"#
    ));
    assert!(
        e.contains("model is \"Unigram\"") && e.contains("expected WordPiece"),
        "{e}"
    );
    let e = load_err(&format!(
        r#"{{ {model}, {pre}, "normalizer": {{"type": "NFKC"}} }}"#
    ));
    assert!(e.contains("normalizer is \"NFKC\""), "{e}");
    let e = load_err(&format!(
        r#"{{ {model}, "pre_tokenizer": {{"type": "ByteLevel"}} }}"#
    ));
    assert!(e.contains("pre_tokenizer is \"ByteLevel\""), "{e}");
    let e = load_err(&format!(
        r#"{{ {pre}, "model": {{"type": "WordPiece", "unk_token": "[UNK]"}} }}"#
    ));
    assert!(e.contains("model lacks the field \"vocab\""), "{e}");
    let e = load_err(&format!(
        r#"{{ {pre}, "model": {{"type": "WordPiece", "unk_token": "[UNK]", "vocab": {{"[UNK]": 0, "a": 0}}}} }}"#
    ));
    assert!(e.contains("gives id 0 to both"), "{e}");
    let e = load_err(&format!(
        r#"{{ {model}, {pre}, "post_processor": {{"type": "TemplateProcessing", "single": [{{"SpecialToken": {{"id": "[CLS]", "type_id": 0}}}}], "pair": [], "special_tokens": {{}} }} }}"#
    ));
    assert!(
        e.contains("\"[CLS]\", which post_processor.special_tokens does not declare"),
        "{e}"
    );
    let e = load_err(&format!(
        r#"{{ {model}, {pre}, "decoder": {{"type": "ByteLevel"}} }}"#
    ));
    assert!(e.contains("decoder is \"ByteLevel\""), "{e}");
    let e = load_err(&format!(
        r#"{{ {model}, {pre}, "padding": {{"strategy": "Longest"}} }}"#
    ));
    assert!(e.contains("padding.strategy"), "{e}");
}
