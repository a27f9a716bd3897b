//! HF `tokenizer.json` for WordPiece (BERT) tokenizers: reading and writing
//! the parts BERT uses, so that HF's files open here and ours open in HF
//! `tokenizers` (format of tokenizers 0.23; see its `serialization` tests).
//!
//! Supported components: normalizer `BertNormalizer` (or null), pre-tokenizer
//! `BertPreTokenizer`, model `WordPiece`, post-processor `TemplateProcessing`
//! or `BertProcessing` (or null), decoder `WordPiece` (or null), truncation,
//! padding and added tokens that are matched in the raw text. Anything else
//! is an error that names the component, not a silent difference.
//!
//! Cost: linear in the file size.

use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::Path;

use crate::bert_basic::{BertBasic, BertNormalizerConfig};
use crate::error::{read_utf8, TextError};
use crate::wordpiece::{
    AddedToken, Direction, Padding, PaddingStrategy, PostProcessor, Sequence, SpecialToken,
    TemplatePiece, Truncation, TruncationStrategy, WordPiece, WordPieceDecoder, WordPieceTokenizer,
};

struct Ctx<'a> {
    path: &'a Path,
}

impl Ctx<'_> {
    fn bad(&self, message: String) -> TextError {
        TextError::Invalid(format!("{}: {message}", self.path.display()))
    }

    fn unsupported(&self, component: &str, found: &Value, expected: &str) -> TextError {
        TextError::Unsupported {
            path: self.path.to_path_buf(),
            component: component.to_string(),
            found: found.to_string(),
            expected: expected.to_string(),
        }
    }

    fn obj<'v>(&self, v: &'v Value, what: &str) -> Result<&'v Map<String, Value>, TextError> {
        v.as_object()
            .ok_or_else(|| self.bad(format!("{what} must be an object, found {v}")))
    }

    fn get<'v>(
        &self,
        m: &'v Map<String, Value>,
        key: &str,
        what: &str,
    ) -> Result<&'v Value, TextError> {
        m.get(key)
            .ok_or_else(|| self.bad(format!("{what} lacks the field {key:?}")))
    }

    fn str<'v>(
        &self,
        m: &'v Map<String, Value>,
        key: &str,
        what: &str,
    ) -> Result<&'v str, TextError> {
        let v = self.get(m, key, what)?;
        v.as_str()
            .ok_or_else(|| self.bad(format!("{what}.{key} must be a string, found {v}")))
    }

    fn uint(&self, m: &Map<String, Value>, key: &str, what: &str) -> Result<u64, TextError> {
        let v = self.get(m, key, what)?;
        v.as_u64().ok_or_else(|| {
            self.bad(format!(
                "{what}.{key} must be a non-negative integer, found {v}"
            ))
        })
    }

    fn u32(&self, m: &Map<String, Value>, key: &str, what: &str) -> Result<u32, TextError> {
        let n = self.uint(m, key, what)?;
        u32::try_from(n)
            .map_err(|_| self.bad(format!("{what}.{key} = {n} does not fit in 32 bits")))
    }

    fn bool_or(
        &self,
        m: &Map<String, Value>,
        key: &str,
        default: bool,
        what: &str,
    ) -> Result<bool, TextError> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(self.bad(format!("{what}.{key} must be true or false, found {v}"))),
        }
    }

    fn kind<'v>(&self, m: &'v Map<String, Value>, what: &str) -> Result<&'v str, TextError> {
        self.str(m, "type", what)
    }
}

impl WordPieceTokenizer {
    /// Reads an HF `tokenizer.json` of a WordPiece (BERT) tokenizer.
    pub fn from_tokenizer_json(path: &Path) -> Result<Self, TextError> {
        let text = read_utf8(path)?;
        Self::from_tokenizer_json_str(&text, path)
    }

    /// Parses the text of a `tokenizer.json`; `path` names it in errors.
    pub fn from_tokenizer_json_str(text: &str, path: &Path) -> Result<Self, TextError> {
        let root: Value = serde_json::from_str(text).map_err(|source| TextError::Json {
            what: path.display().to_string(),
            source,
        })?;
        let cx = Ctx { path };
        let root = cx.obj(&root, "the file")?;

        let model = parse_model(&cx, cx.get(root, "model", "the file")?)?;
        let basic = match root.get("normalizer").unwrap_or(&Value::Null) {
            Value::Null => BertBasic::new(BertNormalizerConfig {
                clean_text: false,
                handle_chinese_chars: false,
                strip_accents: Some(false),
                lowercase: false,
            }),
            v => {
                let m = cx.obj(v, "normalizer")?;
                if cx.kind(m, "normalizer")? != "BertNormalizer" {
                    return Err(cx.unsupported("normalizer", &m["type"], "BertNormalizer or null"));
                }
                let w = "normalizer";
                let strip_accents = match m.get("strip_accents") {
                    None | Some(Value::Null) => None,
                    Some(Value::Bool(b)) => Some(*b),
                    Some(v) => {
                        return Err(cx.bad(format!(
                            "normalizer.strip_accents must be true, false or null, found {v}"
                        )))
                    }
                };
                BertBasic::new(BertNormalizerConfig {
                    clean_text: cx.bool_or(m, "clean_text", true, w)?,
                    handle_chinese_chars: cx.bool_or(m, "handle_chinese_chars", true, w)?,
                    strip_accents,
                    lowercase: cx.bool_or(m, "lowercase", true, w)?,
                })
            }
        };
        let pre = root.get("pre_tokenizer").unwrap_or(&Value::Null);
        let pre_kind = pre.get("type").and_then(Value::as_str);
        if pre_kind != Some("BertPreTokenizer") {
            let found = pre.get("type").unwrap_or(pre);
            return Err(cx.unsupported("pre_tokenizer", found, "BertPreTokenizer"));
        }
        let post_processor = match root.get("post_processor").unwrap_or(&Value::Null) {
            Value::Null => None,
            v => Some(parse_post_processor(&cx, v)?),
        };
        let decoder = match root.get("decoder").unwrap_or(&Value::Null) {
            Value::Null => None,
            v => {
                let m = cx.obj(v, "decoder")?;
                if cx.kind(m, "decoder")? != "WordPiece" {
                    return Err(cx.unsupported("decoder", &m["type"], "WordPiece or null"));
                }
                Some(WordPieceDecoder {
                    prefix: m
                        .get("prefix")
                        .and_then(Value::as_str)
                        .unwrap_or("##")
                        .to_string(),
                    cleanup: cx.bool_or(m, "cleanup", true, "decoder")?,
                })
            }
        };
        let truncation = match root.get("truncation").unwrap_or(&Value::Null) {
            Value::Null => None,
            v => Some(parse_truncation(&cx, v)?),
        };
        let padding = match root.get("padding").unwrap_or(&Value::Null) {
            Value::Null => None,
            v => Some(parse_padding(&cx, v)?),
        };
        let mut added_tokens = Vec::new();
        if let Some(list) = root.get("added_tokens") {
            let list = list
                .as_array()
                .ok_or_else(|| cx.bad(format!("added_tokens must be a list, found {list}")))?;
            for (i, v) in list.iter().enumerate() {
                let w = format!("added_tokens[{i}]");
                let m = cx.obj(v, &w)?;
                let a = AddedToken {
                    id: cx.u32(m, "id", &w)?,
                    content: cx.str(m, "content", &w)?.to_string(),
                    special: cx.bool_or(m, "special", false, &w)?,
                    single_word: cx.bool_or(m, "single_word", false, &w)?,
                    lstrip: cx.bool_or(m, "lstrip", false, &w)?,
                    rstrip: cx.bool_or(m, "rstrip", false, &w)?,
                    normalized: cx.bool_or(
                        m,
                        "normalized",
                        !cx.bool_or(m, "special", false, &w)?,
                        &w,
                    )?,
                };
                if a.single_word || a.lstrip || a.rstrip || a.normalized {
                    return Err(cx.unsupported(
                        &w,
                        v,
                        "an added token matched as written (single_word, lstrip, rstrip and normalized all false)",
                    ));
                }
                if a.content.is_empty() {
                    return Err(cx.bad(format!("{w}.content is empty")));
                }
                added_tokens.push(a);
            }
        }
        let tok = WordPieceTokenizer {
            basic,
            model,
            added_tokens,
            post_processor,
            decoder,
            truncation,
            padding,
        };
        tok.check(path)?;
        Ok(tok)
    }

    /// The tokenizer as HF `tokenizer.json` (pretty-printed), loadable by HF
    /// `tokenizers` and by [`WordPieceTokenizer::from_tokenizer_json`].
    pub fn to_tokenizer_json(&self) -> String {
        let cfg = &self.basic.config;
        // Vocabulary in id order, as HF writes it (serde_json sorts maps, so
        // the object is built by hand).
        let mut vocab: Vec<(&String, &u32)> = self.model.vocab().iter().collect();
        vocab.sort_by_key(|&(_, id)| *id);
        let mut vocab_json = String::from("{");
        for (i, (t, id)) in vocab.iter().enumerate() {
            if i > 0 {
                vocab_json.push(',');
            }
            vocab_json.push_str(&format!("\n      {}: {id}", Value::String((*t).clone())));
        }
        vocab_json.push_str("\n    }");

        let dir = |d: Direction| match d {
            Direction::Left => "Left",
            Direction::Right => "Right",
        };
        let truncation = self.truncation.as_ref().map(|t| {
            json!({
                "direction": dir(t.direction),
                "max_length": t.max_length,
                "strategy": match t.strategy {
                    TruncationStrategy::LongestFirst => "LongestFirst",
                    TruncationStrategy::OnlyFirst => "OnlyFirst",
                    TruncationStrategy::OnlySecond => "OnlySecond",
                },
                "stride": t.stride,
            })
        });
        let padding = self.padding.as_ref().map(|p| {
            json!({
                "strategy": match p.strategy {
                    PaddingStrategy::Fixed(n) => json!({ "Fixed": n }),
                    PaddingStrategy::BatchLongest => json!("BatchLongest"),
                },
                "direction": dir(p.direction),
                "pad_to_multiple_of": p.pad_to_multiple_of,
                "pad_id": p.pad_id,
                "pad_type_id": p.pad_type_id,
                "pad_token": p.pad_token,
            })
        });
        let added: Vec<Value> = self
            .added_tokens
            .iter()
            .map(|a| {
                json!({
                    "id": a.id, "content": a.content, "single_word": a.single_word,
                    "lstrip": a.lstrip, "rstrip": a.rstrip, "normalized": a.normalized,
                    "special": a.special,
                })
            })
            .collect();
        let post = self.post_processor.as_ref().map(|p| match p {
            PostProcessor::Bert { cls, sep } => json!({
                "type": "BertProcessing", "sep": [sep.0, sep.1], "cls": [cls.0, cls.1],
            }),
            PostProcessor::Template {
                single,
                pair,
                special_tokens,
            } => {
                let pieces = |t: &[TemplatePiece]| -> Vec<Value> {
                    t.iter()
                        .map(|p| match p {
                            TemplatePiece::Special { id, type_id } => {
                                json!({ "SpecialToken": { "id": id, "type_id": type_id } })
                            }
                            TemplatePiece::Sequence { id, type_id } => json!({
                                "Sequence": {
                                    "id": if *id == Sequence::A { "A" } else { "B" },
                                    "type_id": type_id,
                                }
                            }),
                        })
                        .collect()
                };
                let specials: Map<String, Value> = special_tokens
                    .iter()
                    .map(|s| {
                        (
                            s.id.clone(),
                            json!({ "id": s.id, "ids": s.ids, "tokens": s.tokens }),
                        )
                    })
                    .collect();
                json!({
                    "type": "TemplateProcessing",
                    "single": pieces(single),
                    "pair": pieces(pair),
                    "special_tokens": specials,
                })
            }
        });
        let decoder = self
            .decoder
            .as_ref()
            .map(|d| json!({ "type": "WordPiece", "prefix": d.prefix, "cleanup": d.cleanup }));
        let root = json!({
            "version": "1.0",
            "truncation": truncation,
            "padding": padding,
            "added_tokens": added,
            "normalizer": {
                "type": "BertNormalizer",
                "clean_text": cfg.clean_text,
                "handle_chinese_chars": cfg.handle_chinese_chars,
                "strip_accents": cfg.strip_accents,
                "lowercase": cfg.lowercase,
            },
            "pre_tokenizer": { "type": "BertPreTokenizer" },
            "post_processor": post,
            "decoder": decoder,
            "model": {
                "type": "WordPiece",
                "unk_token": self.model.unk_token(),
                "continuing_subword_prefix": self.model.continuing_subword_prefix(),
                "max_input_chars_per_word": self.model.max_input_chars_per_word(),
                "vocab": "@VOCAB@",
            },
        });
        let text = serde_json::to_string_pretty(&root).unwrap_or_default();
        text.replacen("\"@VOCAB@\"", &vocab_json, 1)
    }

    /// Writes [`WordPieceTokenizer::to_tokenizer_json`] to `path`.
    pub fn save_tokenizer_json(&self, path: &Path) -> Result<(), TextError> {
        std::fs::write(path, self.to_tokenizer_json()).map_err(|source| TextError::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}

fn parse_model(cx: &Ctx, v: &Value) -> Result<WordPiece, TextError> {
    let m = cx.obj(v, "model")?;
    // HF writes "type"; very old files omit it and are told apart by fields.
    if let Some(kind) = m.get("type") {
        if kind.as_str() != Some("WordPiece") {
            return Err(cx.unsupported("model", kind, "WordPiece"));
        }
    }
    let vocab_v = cx.get(m, "vocab", "model")?;
    let vocab_m = cx.obj(vocab_v, "model.vocab")?;
    let mut vocab = HashMap::with_capacity(vocab_m.len());
    for (token, id) in vocab_m {
        let id = id
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| {
                cx.bad(format!(
                    "model.vocab[{token:?}] must be a 32-bit id, found {id}"
                ))
            })?;
        vocab.insert(token.clone(), id);
    }
    let unk = cx.str(m, "unk_token", "model")?;
    let prefix = m
        .get("continuing_subword_prefix")
        .and_then(Value::as_str)
        .unwrap_or("##");
    let max_chars = match m.get("max_input_chars_per_word") {
        None => 100,
        Some(_) => cx.uint(m, "max_input_chars_per_word", "model")? as usize,
    };
    WordPiece::new(vocab, unk, prefix, max_chars).map_err(|e| match e {
        TextError::Invalid(msg) => cx.bad(msg),
        e => e,
    })
}

fn parse_post_processor(cx: &Ctx, v: &Value) -> Result<PostProcessor, TextError> {
    let m = cx.obj(v, "post_processor")?;
    match cx.kind(m, "post_processor")? {
        "BertProcessing" => {
            let pair = |key: &str| -> Result<(String, u32), TextError> {
                let v = cx.get(m, key, "post_processor")?;
                match v.as_array().map(Vec::as_slice) {
                    Some([Value::String(t), id]) => id
                        .as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .map(|id| (t.clone(), id))
                        .ok_or_else(|| {
                            cx.bad(format!(
                                "post_processor.{key} id must be a 32-bit integer, found {id}"
                            ))
                        }),
                    _ => Err(cx.bad(format!(
                        "post_processor.{key} must be [token, id], found {v}"
                    ))),
                }
            };
            Ok(PostProcessor::Bert {
                cls: pair("cls")?,
                sep: pair("sep")?,
            })
        }
        "TemplateProcessing" => {
            let pieces = |key: &str| -> Result<Vec<TemplatePiece>, TextError> {
                let w = format!("post_processor.{key}");
                let list = cx.get(m, key, "post_processor")?;
                let list = list
                    .as_array()
                    .ok_or_else(|| cx.bad(format!("{w} must be a list, found {list}")))?;
                list.iter()
                    .map(|p| {
                        let pm = cx.obj(p, &w)?;
                        if let Some(s) = pm.get("SpecialToken") {
                            let s = cx.obj(s, &w)?;
                            Ok(TemplatePiece::Special {
                                id: cx.str(s, "id", &w)?.to_string(),
                                type_id: cx.u32(s, "type_id", &w)?,
                            })
                        } else if let Some(s) = pm.get("Sequence") {
                            let s = cx.obj(s, &w)?;
                            let id = match cx.str(s, "id", &w)? {
                                "A" => Sequence::A,
                                "B" => Sequence::B,
                                other => {
                                    return Err(cx.bad(format!(
                                        "{w}: Sequence id must be \"A\" or \"B\", found {other:?}"
                                    )))
                                }
                            };
                            Ok(TemplatePiece::Sequence {
                                id,
                                type_id: cx.u32(s, "type_id", &w)?,
                            })
                        } else {
                            Err(cx.bad(format!(
                                "{w}: each piece is {{\"SpecialToken\": …}} or {{\"Sequence\": …}}, found {p}"
                            )))
                        }
                    })
                    .collect()
            };
            let specials_v = cx.get(m, "special_tokens", "post_processor")?;
            let specials_m = cx.obj(specials_v, "post_processor.special_tokens")?;
            let mut special_tokens = Vec::new();
            for (name, s) in specials_m {
                let w = format!("post_processor.special_tokens[{name:?}]");
                let s = cx.obj(s, &w)?;
                let ids = cx
                    .get(s, "ids", &w)?
                    .as_array()
                    .and_then(|a| {
                        a.iter()
                            .map(|x| x.as_u64().and_then(|n| u32::try_from(n).ok()))
                            .collect::<Option<Vec<u32>>>()
                    })
                    .ok_or_else(|| cx.bad(format!("{w}.ids must be a list of ids")))?;
                let tokens = cx
                    .get(s, "tokens", &w)?
                    .as_array()
                    .and_then(|a| {
                        a.iter()
                            .map(|x| x.as_str().map(str::to_string))
                            .collect::<Option<Vec<String>>>()
                    })
                    .ok_or_else(|| cx.bad(format!("{w}.tokens must be a list of strings")))?;
                special_tokens.push(SpecialToken {
                    id: cx.str(s, "id", &w)?.to_string(),
                    ids,
                    tokens,
                });
            }
            Ok(PostProcessor::Template {
                single: pieces("single")?,
                pair: pieces("pair")?,
                special_tokens,
            })
        }
        _ => Err(cx.unsupported(
            "post_processor",
            &m["type"],
            "TemplateProcessing, BertProcessing or null",
        )),
    }
}

fn parse_direction(cx: &Ctx, m: &Map<String, Value>, what: &str) -> Result<Direction, TextError> {
    match m.get("direction").and_then(Value::as_str) {
        None | Some("Right") => Ok(Direction::Right),
        Some("Left") => Ok(Direction::Left),
        Some(d) => Err(cx.bad(format!(
            "{what}.direction must be \"Left\" or \"Right\", found {d:?}"
        ))),
    }
}

fn parse_truncation(cx: &Ctx, v: &Value) -> Result<Truncation, TextError> {
    let w = "truncation";
    let m = cx.obj(v, w)?;
    let strategy = match m.get("strategy").and_then(Value::as_str) {
        None | Some("LongestFirst") => TruncationStrategy::LongestFirst,
        Some("OnlyFirst") => TruncationStrategy::OnlyFirst,
        Some("OnlySecond") => TruncationStrategy::OnlySecond,
        Some(s) => {
            return Err(cx.bad(format!(
                "truncation.strategy must be LongestFirst, OnlyFirst or OnlySecond, found {s:?}"
            )))
        }
    };
    Ok(Truncation {
        max_length: cx.uint(m, "max_length", w)? as usize,
        strategy,
        stride: m.get("stride").and_then(Value::as_u64).unwrap_or(0) as usize,
        direction: parse_direction(cx, m, w)?,
    })
}

fn parse_padding(cx: &Ctx, v: &Value) -> Result<Padding, TextError> {
    let w = "padding";
    let m = cx.obj(v, w)?;
    let s = m.get("strategy").unwrap_or(&Value::Null);
    let strategy = match s {
        Value::String(x) if x == "BatchLongest" => PaddingStrategy::BatchLongest,
        Value::Object(o) if o.get("Fixed").and_then(Value::as_u64).is_some() => {
            PaddingStrategy::Fixed(o["Fixed"].as_u64().unwrap_or(0) as usize)
        }
        _ => {
            return Err(cx.bad(format!(
                "padding.strategy must be \"BatchLongest\" or {{\"Fixed\": n}}, found {s}"
            )))
        }
    };
    Ok(Padding {
        strategy,
        direction: parse_direction(cx, m, w)?,
        pad_to_multiple_of: m
            .get("pad_to_multiple_of")
            .and_then(Value::as_u64)
            .map(|n| n as usize),
        pad_id: m
            .get("pad_id")
            .map(|_| cx.u32(m, "pad_id", w))
            .transpose()?
            .unwrap_or(0),
        pad_type_id: m
            .get("pad_type_id")
            .map(|_| cx.u32(m, "pad_type_id", w))
            .transpose()?
            .unwrap_or(0),
        pad_token: m
            .get("pad_token")
            .and_then(Value::as_str)
            .unwrap_or("[PAD]")
            .to_string(),
    })
}
