//! `journey tokenizer …`: subword tokenizers (chapter 1.2): OpenAI's
//! byte-level BPE encodings, HF `tokenizer.json` files (byte-level BPE,
//! WordPiece, Unigram) and SentencePiece `.model` files; and BPE and Unigram
//! training.
//!
//! `encode` reads the whole input as one text and prints the ids on one line
//! (`--json`: a JSON array); `decode` reads ids (whitespace-separated or a JSON
//! array) and prints the text; `inspect` lists each token with its id and
//! byte span.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use journey_data::{Catalog, Resolver};
use journey_text::bpe::{BytePairEncoding, SpecialSet};
use journey_text::bpe_files::{load_gpt2_ranks, load_tiktoken_ranks, Encoding};
use journey_text::bpe_train::{pretokenizer_fn, BpeTrainer, BpeTrainerConfig};
use journey_text::pretokenize::Pretokenizer;
use journey_text::sentencepiece::SentencePieceProcessor;
use journey_text::unigram_json::UnigramTokenizer;
use journey_text::unigram_train::{UnigramTrainer, UnigramTrainerConfig};
use journey_text::wordpiece::WordPieceTokenizer;
use journey_text::wordpiece_train::{WordPieceTrainer, WordPieceTrainerConfig};
use serde_json::json;

use crate::input::read_input;
use crate::outln;
use crate::output::{print_table, Global};

#[derive(Subcommand, Debug)]
pub enum TokenizerCommand {
    /// Encode the whole input as one text; print the ids on one line.
    Encode {
        #[command(flatten)]
        which: Which,
        /// Treat special tokens such as <|endoftext|> in the text as special
        /// (by default their presence is an error, as in tiktoken).
        #[arg(long)]
        allow_special: bool,
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
    },
    /// Decode ids (whitespace-separated, or a JSON array) back to text.
    Decode {
        #[command(flatten)]
        which: Which,
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
    },
    /// Show each token of the input with its id and byte span.
    Inspect {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        allow_special: bool,
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
    },
    /// Train a tokenizer on corpus files and write an HF tokenizer.json
    /// (Unigram: a SentencePiece .model when FILE ends in .model).
    Train {
        #[arg(long, value_enum, default_value = "bpe")]
        algorithm: TrainAlgorithm,
        #[arg(long)]
        vocab_size: usize,
        /// A special token (repeatable), e.g. --special '<|endoftext|>'.
        #[arg(long = "special", value_name = "TOK")]
        special: Vec<String>,
        /// Corpus files; each line is one document.
        #[arg(required = true)]
        corpus: Vec<PathBuf>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum TrainAlgorithm {
    /// Byte-level BPE (GPT-2 pre-tokenization).
    Bpe,
    /// WordPiece as HF's BertWordPieceTokenizer trains it (uncased BERT
    /// normaliser; special tokens default to [PAD] [UNK] [CLS] [SEP] [MASK];
    /// --out FILE.txt writes vocab.txt).
    Wordpiece,
    /// Unigram language model (SentencePiece's trainer, nmt_nfkc).
    Unigram,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum EncodingArg {
    Gpt2,
    #[value(name = "r50k_base")]
    R50kBase,
    #[value(name = "p50k_base")]
    P50kBase,
    #[value(name = "p50k_edit")]
    P50kEdit,
    #[value(name = "cl100k_base")]
    Cl100kBase,
    #[value(name = "o200k_base")]
    O200kBase,
}

#[derive(Args, Debug)]
pub struct Which {
    /// One of OpenAI's encodings (files from the data catalog).
    #[arg(
        long,
        value_enum,
        required_unless_present = "tokenizer",
        conflicts_with = "tokenizer"
    )]
    encoding: Option<EncodingArg>,
    /// A tokenizer file: HF tokenizer.json (byte-level BPE, WordPiece or
    /// Unigram) or a SentencePiece .model.
    #[arg(long, value_name = "FILE")]
    tokenizer: Option<PathBuf>,
    /// A data root holding tokenizers/… (default: $JOURNEY_DATA, the cache).
    #[arg(long, value_name = "PATH")]
    data: Option<PathBuf>,
}

enum Loaded {
    Bpe(BytePairEncoding),
    WordPiece(Box<WordPieceTokenizer>),
    SentencePiece(Box<SentencePieceProcessor>),
    Unigram(Box<UnigramTokenizer>),
}

/// (id, byte span, token text) for each token.
type Tokens = Vec<(u32, (usize, usize), String)>;

impl Loaded {
    fn open(which: &Which) -> Result<Self> {
        if let Some(path) = &which.tokenizer {
            return open_file(path);
        }
        let encoding = match which
            .encoding
            .expect("clap requires --encoding or --tokenizer")
        {
            EncodingArg::Gpt2 => Encoding::Gpt2,
            EncodingArg::R50kBase => Encoding::R50kBase,
            EncodingArg::P50kBase => Encoding::P50kBase,
            EncodingArg::P50kEdit => Encoding::P50kEdit,
            EncodingArg::Cl100kBase => Encoding::Cl100kBase,
            EncodingArg::O200kBase => Encoding::O200kBase,
        };
        let catalog = Catalog::builtin();
        let resolver = Resolver::from_env(which.data.clone());
        let find =
            |name: &str| -> Result<PathBuf> { Ok(resolver.resolve(catalog.get(name)?)?.path) };
        let ranks = match encoding {
            Encoding::Gpt2 => load_gpt2_ranks(&find("gpt2-encoder")?, &find("gpt2-merges")?)?,
            Encoding::R50kBase => load_tiktoken_ranks(&find("tiktoken-r50k")?)?,
            Encoding::P50kBase | Encoding::P50kEdit => {
                load_tiktoken_ranks(&find("tiktoken-p50k")?)?
            }
            Encoding::Cl100kBase => load_tiktoken_ranks(&find("tiktoken-cl100k")?)?,
            _ => load_tiktoken_ranks(&find("tiktoken-o200k")?)?,
        };
        Ok(Loaded::Bpe(BytePairEncoding::new(
            encoding.name(),
            ranks,
            encoding.special_tokens(),
            encoding.pretokenizer(),
        )?))
    }

    fn tokens(&self, text: &str, allow_special: bool) -> Result<Tokens> {
        Ok(match self {
            Loaded::Bpe(bpe) => {
                let allowed = if allow_special {
                    SpecialSet::All
                } else {
                    SpecialSet::None
                };
                let enc = bpe
                    .encode_with_offsets(text, allowed)
                    .map_err(|e| match e {
                        journey_text::TextError::DisallowedSpecialToken { .. } => {
                            anyhow!("{e}; on the command line: --allow-special")
                        }
                        e => e.into(),
                    })?;
                enc.ids
                    .iter()
                    .zip(&enc.offsets)
                    .map(|(&id, r)| {
                        let bytes = bpe.token_bytes(id).unwrap_or_default();
                        (
                            id,
                            (r.start, r.end),
                            String::from_utf8_lossy(bytes).into_owned(),
                        )
                    })
                    .collect()
            }
            Loaded::WordPiece(wp) => {
                let enc = wp.encode(text);
                (0..enc.ids.len())
                    .map(|i| (enc.ids[i], enc.offsets[i], enc.tokens[i].clone()))
                    .collect()
            }
            Loaded::SentencePiece(sp) => sp
                .encode(text)
                .into_iter()
                .map(|t| (t.id, (t.start, t.end), t.piece))
                .collect(),
            Loaded::Unigram(u) => u
                .encode(text)?
                .into_iter()
                .map(|t| (t.id, (t.start, t.end), t.token))
                .collect(),
        })
    }

    fn decode(&self, ids: &[u32]) -> Result<String> {
        Ok(match self {
            Loaded::Bpe(bpe) => bpe.decode(ids)?,
            Loaded::WordPiece(wp) => wp.decode(ids, true),
            Loaded::SentencePiece(sp) => sp.decode(ids)?,
            Loaded::Unigram(u) => u.decode(ids)?,
        })
    }
}

fn open_file(path: &Path) -> Result<Loaded> {
    if !path.exists() {
        bail!("tokenizer file {} does not exist", path.display());
    }
    if path.extension().is_some_and(|e| e == "model") {
        return Ok(Loaded::SentencePiece(Box::new(
            SentencePieceProcessor::open(path)?,
        )));
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
    let doc: serde_json::Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not JSON (expected an HF tokenizer.json or a .model file)",
            path.display()
        )
    })?;
    match doc.pointer("/model/type").and_then(|t| t.as_str()) {
        Some("WordPiece") => Ok(Loaded::WordPiece(Box::new(
            WordPieceTokenizer::from_tokenizer_json(path)?,
        ))),
        Some("BPE") => Ok(Loaded::Bpe(journey_text::bpe_json::from_tokenizer_json(
            path,
        )?)),
        Some("Unigram") => Ok(Loaded::Unigram(Box::new(
            UnigramTokenizer::from_tokenizer_json(path)?,
        ))),
        other => bail!(
            "{}: model type {other:?} is not supported (byte-level BPE, WordPiece or Unigram)",
            path.display()
        ),
    }
}

pub fn run(g: &Global, cmd: TokenizerCommand) -> Result<()> {
    match cmd {
        TokenizerCommand::Encode {
            which,
            allow_special,
            input,
        } => {
            let tok = Loaded::open(&which)?;
            let text = read_input(input.as_deref())?;
            let ids: Vec<u32> = tok
                .tokens(&text, allow_special)?
                .into_iter()
                .map(|t| t.0)
                .collect();
            if g.json {
                outln!("{}", serde_json::to_string(&ids)?)?;
            } else {
                let line: Vec<String> = ids.iter().map(u32::to_string).collect();
                outln!("{}", line.join(" "))?;
            }
        }
        TokenizerCommand::Decode { which, input } => {
            let tok = Loaded::open(&which)?;
            let raw = match &input {
                Some(p) => std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read {}", p.display()))?,
                None => {
                    let mut s = String::new();
                    std::io::stdin().read_to_string(&mut s)?;
                    s
                }
            };
            let ids = parse_ids(&raw)?;
            let text = tok.decode(&ids)?;
            if g.json {
                outln!("{}", serde_json::to_string(&text)?)?;
            } else {
                outln!("{text}")?;
            }
        }
        TokenizerCommand::Inspect {
            which,
            allow_special,
            input,
        } => {
            let tok = Loaded::open(&which)?;
            let text = read_input(input.as_deref())?;
            let tokens = tok.tokens(&text, allow_special)?;
            if g.json {
                let items: Vec<_> = tokens
                    .iter()
                    .map(|(id, (s, e), t)| json!({ "id": id, "start": s, "end": e, "token": t }))
                    .collect();
                outln!("{}", serde_json::to_string_pretty(&items)?)?;
            } else {
                let rows: Vec<Vec<String>> = tokens
                    .iter()
                    .map(|(id, (s, e), t)| {
                        vec![id.to_string(), format!("{s}..{e}"), format!("{t:?}")]
                    })
                    .collect();
                print_table(&["id", "bytes", "token"], &rows)?;
                outln!("\n{} tokens for {} bytes", tokens.len(), text.len())?;
            }
        }
        TokenizerCommand::Train {
            algorithm: TrainAlgorithm::Unigram,
            vocab_size,
            special,
            corpus,
            out,
        } => train_unigram(g, vocab_size, special, &corpus, &out)?,
        TokenizerCommand::Train {
            algorithm: TrainAlgorithm::Bpe,
            vocab_size,
            special,
            corpus,
            out,
        } => {
            let mut docs = Vec::new();
            for path in &corpus {
                let text = read_input(Some(path))?;
                docs.extend(text.lines().map(str::to_string));
            }
            let pb = g.spinner(format!("training BPE to {vocab_size} tokens"));
            let trainer = BpeTrainer::new(BpeTrainerConfig {
                vocab_size,
                special_tokens: special,
                ..Default::default()
            });
            let pre = Pretokenizer::Gpt2;
            let split = pretokenizer_fn(move |t, out| {
                for piece in pre.split(t) {
                    out(piece)
                }
            });
            let model = trainer.train(&docs, &split)?;
            pb.finish_and_clear();
            crate::report::write_atomic(
                &out,
                journey_text::bpe_json::to_tokenizer_json(&model).as_bytes(),
            )?;
            if g.json {
                outln!(
                    "{}",
                    json!({ "vocab_size": model.vocab.len(), "merges": model.merges.len(), "out": out })
                )?;
            } else {
                outln!(
                    "{} tokens ({} merges) written to {}",
                    model.vocab.len(),
                    model.merges.len(),
                    out.display()
                )?;
            }
        }
        TokenizerCommand::Train {
            algorithm: TrainAlgorithm::Wordpiece,
            vocab_size,
            special,
            corpus,
            out,
        } => train_wordpiece(g, vocab_size, special, &corpus, &out)?,
    }
    Ok(())
}

/// `train --algorithm wordpiece`: each corpus line is one text; `--out`
/// ending in `.txt` gets BERT's vocab.txt, anything else HF tokenizer.json.
fn train_wordpiece(
    g: &Global,
    vocab_size: usize,
    special: Vec<String>,
    corpus: &[PathBuf],
    out: &Path,
) -> Result<()> {
    let mut config = WordPieceTrainerConfig {
        vocab_size,
        ..Default::default()
    };
    if !special.is_empty() {
        if !special.contains(&config.unk_token) {
            bail!(
                "--special: the list must hold the unknown token {:?} (WordPiece encodes unseen words as it); add --special '{}'",
                config.unk_token,
                config.unk_token
            );
        }
        config.special_tokens = special;
    }
    let mut lines = Vec::new();
    for path in corpus {
        let text = read_input(Some(path))?;
        lines.extend(text.lines().map(str::to_string));
    }
    let pb = g.spinner(format!("training WordPiece to {vocab_size} tokens"));
    let trainer = WordPieceTrainer::new(config);
    let tok = trainer.train(&lines)?;
    pb.finish_and_clear();
    let vocab_txt = out.extension().is_some_and(|e| e == "txt");
    let bytes = if vocab_txt {
        tok.model.to_vocab_txt()?
    } else {
        tok.to_tokenizer_json()
    };
    crate::report::write_atomic(out, bytes.as_bytes())?;
    let n = tok.model.vocab_size();
    if g.json {
        outln!("{}", json!({ "vocab_size": n, "out": out }))?;
    } else {
        let what = if vocab_txt {
            "vocab.txt"
        } else {
            "tokenizer.json"
        };
        outln!("{n} tokens written to {} ({what})", out.display())?;
    }
    Ok(())
}

/// `train --algorithm unigram`: SentencePiece's trainer; the special tokens
/// become user-defined pieces; `.model` output is a SentencePiece model,
/// anything else an HF tokenizer.json.
fn train_unigram(
    g: &Global,
    vocab_size: usize,
    special: Vec<String>,
    corpus: &[PathBuf],
    out: &Path,
) -> Result<()> {
    let mut lines = Vec::new();
    for path in corpus {
        let text = read_input(Some(path))?;
        lines.extend(text.lines().map(str::to_string));
    }
    let pb = g.spinner(format!("training Unigram to {vocab_size} pieces"));
    let trainer = UnigramTrainer::new(UnigramTrainerConfig {
        vocab_size,
        user_defined_symbols: special,
        ..Default::default()
    });
    let model = trainer.train(&lines).map_err(|e| {
        anyhow!(
            "{e} (--vocab-size {vocab_size}, corpus {})",
            corpus
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    pb.finish_and_clear();
    let bytes = if out.extension().is_some_and(|e| e == "model") {
        model.to_bytes()
    } else {
        journey_text::unigram_json::to_tokenizer_json(&model)?.into_bytes()
    };
    crate::report::write_atomic(out, &bytes)?;
    if g.json {
        outln!(
            "{}",
            json!({ "vocab_size": model.pieces.len(), "out": out })
        )?;
    } else {
        outln!("{} pieces written to {}", model.pieces.len(), out.display())?;
    }
    Ok(())
}

/// Ids as whitespace/comma-separated numbers or a JSON array.
fn parse_ids(raw: &str) -> Result<Vec<u32>> {
    let trimmed = raw.trim();
    if trimmed.starts_with('[') {
        return serde_json::from_str(trimmed)
            .map_err(|e| anyhow!("ids are not a JSON array of numbers: {e}"));
    }
    trimmed
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<u32>()
                .map_err(|_| anyhow!("'{s}' is not a token id"))
        })
        .collect()
}
