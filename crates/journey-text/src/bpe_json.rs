//! HF `tokenizer.json` for byte-level BPE (GPT-2 style): writing a trained
//! [`BpeModel`] so that HF `tokenizers` opens it, and reading such a file
//! back as a [`BytePairEncoding`].
//!
//! Layout (tokenizers 0.23): `model` = `{"type": "BPE", "vocab": {token:
//! id}, "merges": [[a, b], …]}` with tokens spelled in GPT-2's byte-to-unicode
//! alphabet (Radford et al. 2019), `pre_tokenizer` = `ByteLevel` with the
//! GPT-2 regex, `decoder` = `ByteLevel`, special tokens in `added_tokens`.
//! Our encoder merges by rank (tiktoken's rule); for a vocabulary whose ids
//! follow the merge order, as training writes it, that equals HF's
//! merge-list rule.
//!
//! Cost: linear in the vocabulary size.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};

use crate::bpe::{BytePairEncoding, Rank};
use crate::bpe_files::bytes_to_unicode;
use crate::bpe_train::BpeModel;
use crate::error::{read_utf8, TextError};
use crate::pretokenize::Pretokenizer;

fn spell(bytes: &[u8], table: &[char; 256]) -> String {
    bytes.iter().map(|&b| table[b as usize]).collect()
}

/// The model as an HF `tokenizer.json` document.
pub fn to_tokenizer_json(model: &BpeModel) -> String {
    let table = bytes_to_unicode();
    let is_special = |bytes: &[u8]| model.special_tokens.iter().any(|s| s.as_bytes() == bytes);
    let mut vocab = serde_json::Map::new();
    let mut added = Vec::new();
    for (id, bytes) in model.vocab.iter().enumerate() {
        if is_special(bytes) {
            let content = String::from_utf8_lossy(bytes).into_owned();
            added.push(json!({
                "id": id, "content": content, "single_word": false, "lstrip": false,
                "rstrip": false, "normalized": false, "special": true
            }));
            vocab.insert(content, json!(id));
        } else {
            vocab.insert(spell(bytes, &table), json!(id));
        }
    }
    let merges: Vec<Value> = model
        .merges
        .iter()
        .map(|(a, b)| json!([spell(a, &table), spell(b, &table)]))
        .collect();
    let doc = json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": added,
        "normalizer": null,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
        "post_processor": null,
        "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
        "model": {
            "type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
            "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false,
            "ignore_merges": false, "vocab": vocab, "merges": merges
        }
    });
    serde_json::to_string_pretty(&doc).expect("a JSON value always serialises")
}

/// Reads a byte-level BPE `tokenizer.json` (ours, or HF's GPT-2 style files).
pub fn from_tokenizer_json(path: &Path) -> Result<BytePairEncoding, TextError> {
    from_tokenizer_json_str(&read_utf8(path)?, path)
}

/// [`from_tokenizer_json`] on the text of the file; `path` names it in errors.
pub fn from_tokenizer_json_str(text: &str, path: &Path) -> Result<BytePairEncoding, TextError> {
    let doc: Value = serde_json::from_str(text).map_err(|source| TextError::Json {
        what: path.display().to_string(),
        source,
    })?;
    let bad = |m: &str| TextError::Invalid(format!("{}: {m}", path.display()));
    let model = doc.get("model").ok_or_else(|| bad("no \"model\""))?;
    if model.get("type").and_then(Value::as_str) != Some("BPE") {
        return Err(bad("model.type is not \"BPE\""));
    }
    match doc.pointer("/pre_tokenizer/type").and_then(Value::as_str) {
        Some("ByteLevel") => {}
        other => {
            return Err(bad(&format!(
                "pre_tokenizer is {other:?}; only byte-level BPE (ByteLevel) is supported"
            )))
        }
    }
    let mut specials: Vec<(String, Rank)> = Vec::new();
    for t in doc
        .get("added_tokens")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(content), Some(id)) = (
            t.get("content").and_then(Value::as_str),
            t.get("id").and_then(Value::as_u64),
        ) else {
            return Err(bad("an added token lacks content or id"));
        };
        specials.push((content.to_string(), id as Rank));
    }
    let inverse: HashMap<char, u8> = bytes_to_unicode()
        .iter()
        .enumerate()
        .map(|(b, &c)| (c, b as u8))
        .collect();
    let vocab = model
        .get("vocab")
        .and_then(Value::as_object)
        .ok_or_else(|| bad("model.vocab is not an object"))?;
    let mut ranks = Vec::with_capacity(vocab.len());
    for (token, id) in vocab {
        let id = id
            .as_u64()
            .ok_or_else(|| bad(&format!("id of {token:?} is not a number")))?
            as Rank;
        if specials.iter().any(|(s, _)| s == token) {
            continue;
        }
        let bytes = token
            .chars()
            .map(|c| inverse.get(&c).copied())
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| {
                bad(&format!(
                    "token {token:?} is not in the byte-level alphabet"
                ))
            })?;
        ranks.push((bytes, id));
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bpe".into());
    BytePairEncoding::new(name, ranks, specials, Pretokenizer::Gpt2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bpe::SpecialSet;
    use crate::bpe_train::{BpeTrainer, BpeTrainerConfig};

    #[test]
    fn trained_model_round_trips_through_tokenizer_json() {
        let text = "low lower lowest newer newest wider <|endoftext|> low low newer";
        let trainer = BpeTrainer::new(BpeTrainerConfig {
            vocab_size: 270,
            special_tokens: vec!["<|endoftext|>".into()],
            min_frequency: 0,
        });
        let pre = Pretokenizer::Gpt2;
        let split = crate::bpe_train::pretokenizer_fn(move |t, out| {
            for piece in pre.split(t) {
                out(piece)
            }
        });
        let model = trainer.train(&[text], &split).unwrap();
        let dir = std::env::temp_dir().join(format!("bpe_json_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tokenizer.json");
        std::fs::write(&path, to_tokenizer_json(&model)).unwrap();
        let enc = from_tokenizer_json(&path).unwrap();
        let ids = enc.encode(text, SpecialSet::All).unwrap();
        assert_eq!(enc.decode(&ids).unwrap(), text);
        // The learned merges are used: fewer tokens than bytes.
        assert!(ids.len() < text.len() / 2, "{ids:?}");
        assert!(ids.contains(&0), "<|endoftext|> is id 0");
        std::fs::write(&path, "{\"model\": {\"type\": \"WordPiece\"}}").unwrap();
        assert!(from_tokenizer_json(&path)
            .unwrap_err()
            .to_string()
            .contains("BPE"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
