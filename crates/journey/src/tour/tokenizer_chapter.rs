//! Tour chapter 1.2 (subword) — tokenizers as LLMs use them: train a
//! byte-level BPE on the corpus, show its first merges, and compare how many
//! tokens it and the published tokenizers (GPT-2, cl100k, o200k, Llama-2's
//! SentencePiece) need for the same text.

use anyhow::Result;
use journey_data::{Catalog, Resolver};
use journey_text::bpe::{BytePairEncoding, SpecialSet};
use journey_text::bpe_files::{load_gpt2_ranks, load_tiktoken_ranks, Encoding};
use journey_text::bpe_train::{pretokenizer_fn, BpeTrainer, BpeTrainerConfig};
use journey_text::pretokenize::Pretokenizer;
use journey_text::sentencepiece::SentencePieceProcessor;
use rayon::prelude::*;
use serde_json::{json, Value};

use super::{SplitMix64, Tour};
use crate::report::{escape, svg, Section};

const VOCAB: usize = 2_000;

pub fn run(ctx: &Tour) -> Result<(Section, Value)> {
    let mut sec = Section::new("ch1-2-subword", "1.2 Subword tokenization");
    let mut facts = serde_json::Map::new();
    let docs: Vec<&str> = ctx.corpus.docs.iter().map(|d| d.1.as_str()).collect();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    ctx.chapter("Chapter 1.2 — subword tokenization");
    sec.para(
        "LLMs do not read words: they read subword tokens. Byte-level BPE (Sennrich et al. 2016; \
         GPT-2) starts from the 256 bytes and repeatedly merges the most frequent adjacent pair, \
         so frequent words become one token and rare ones stay spelled out.",
    );

    // ── Train ──────────────────────────────────────────────────────────────
    ctx.step(
        "Training a byte-level BPE",
        "GPT-2 pre-tokenization, incremental pair counts, one merge at a time.",
    );
    let start = std::time::Instant::now();
    let trainer = BpeTrainer::new(BpeTrainerConfig {
        vocab_size: VOCAB,
        special_tokens: vec!["<|endoftext|>".into()],
        ..Default::default()
    });
    let pre = Pretokenizer::Gpt2;
    let split = pretokenizer_fn(move |t, out| {
        for piece in pre.split(t) {
            out(piece)
        }
    });
    let model = trainer.train(&docs, &split)?;
    let seconds = start.elapsed().as_secs_f64();
    let show = |b: &[u8]| String::from_utf8_lossy(b).replace(' ', "␣");
    let first: Vec<String> = model
        .merges
        .iter()
        .take(20)
        .map(|(a, b)| format!("{} + {}", show(a), show(b)))
        .collect();
    ctx.say(format!(
        "{} merges learned from {bytes} bytes in {seconds:.2} s; first: {}",
        model.merges.len(),
        first.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
    ));
    sec.para(format!(
        "Trained to {VOCAB} tokens ({} merges) on the corpus in {seconds:.2} s. The first 20 merges:",
        model.merges.len()
    ));
    sec.pre(first.join("\n"));
    let ours = BytePairEncoding::new(
        "journey-bpe",
        model
            .vocab
            .iter()
            .enumerate()
            .filter(|(_, b)| b.as_slice() != b"<|endoftext|>")
            .map(|(i, b)| (b.clone(), i as u32)),
        [("<|endoftext|>".to_string(), 0)],
        Pretokenizer::Gpt2,
    )?;
    facts.insert("merges".into(), json!(model.merges.len()));

    // ── Compare ────────────────────────────────────────────────────────────
    ctx.step(
        "Compression",
        "Bytes per token on the whole corpus: bigger vocabularies and corpora closer to the text compress more.",
    );
    let catalog = Catalog::builtin();
    let resolver = Resolver {
        online: false,
        ..Resolver::from_env(None)
    };
    let find = |name: &str| -> Option<std::path::PathBuf> {
        catalog
            .get(name)
            .ok()
            .and_then(|d| resolver.resolve(d).ok())
            .map(|r| r.path)
    };
    let mut tokenizers: Vec<(String, BytePairEncoding)> =
        vec![(format!("journey BPE {VOCAB} (this corpus)"), ours)];
    for (label, enc, files) in [
        (
            "GPT-2 (50k)",
            Encoding::Gpt2,
            vec!["gpt2-encoder", "gpt2-merges"],
        ),
        (
            "cl100k_base (100k)",
            Encoding::Cl100kBase,
            vec!["tiktoken-cl100k"],
        ),
        (
            "o200k_base (200k)",
            Encoding::O200kBase,
            vec!["tiktoken-o200k"],
        ),
    ] {
        let paths: Option<Vec<_>> = files.iter().map(|f| find(f)).collect();
        let Some(paths) = paths else {
            ctx.say(format!("{label}: files not found, skipped"));
            continue;
        };
        let ranks = if enc == Encoding::Gpt2 {
            load_gpt2_ranks(&paths[0], &paths[1])?
        } else {
            load_tiktoken_ranks(&paths[0])?
        };
        tokenizers.push((
            label.to_string(),
            BytePairEncoding::new(enc.name(), ranks, enc.special_tokens(), enc.pretokenizer())?,
        ));
    }
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    for (label, tok) in &tokenizers {
        let n: usize = docs.par_iter().map(|d| tok.encode_ordinary(d).len()).sum();
        let ratio = bytes as f64 / n as f64;
        ctx.say(format!("{label}: {n} tokens, {ratio:.2} bytes/token"));
        rows.push(vec![label.clone(), n.to_string(), format!("{ratio:.2}")]);
        bars.push((label.clone(), (ratio * 100.0).round() / 100.0));
    }
    let spm = find("spm-llama2-bpe").and_then(|p| SentencePieceProcessor::open(&p).ok());
    if let Some(sp) = &spm {
        let n: usize = docs.par_iter().map(|d| sp.encode_ids(d).len()).sum();
        let ratio = bytes as f64 / n as f64;
        ctx.say(format!(
            "Llama-2 SentencePiece BPE (32k): {n} tokens, {ratio:.2} bytes/token"
        ));
        rows.push(vec![
            "Llama-2 SentencePiece BPE (32k)".into(),
            n.to_string(),
            format!("{ratio:.2}"),
        ]);
        bars.push((
            "Llama-2 SentencePiece (32k)".into(),
            (ratio * 100.0).round() / 100.0,
        ));
    }
    sec.table(&["tokenizer", "tokens", "bytes per token"], rows);
    sec.figure(
        "compression.svg",
        "Bytes per token on the corpus (higher = fewer tokens)",
        svg::bar_chart("Compression", &bars, "bytes per token"),
    );
    let per_token: serde_json::Map<String, Value> =
        bars.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    facts.insert("bytes_per_token".into(), Value::Object(per_token));

    // ── One verse, token by token ─────────────────────────────────────────
    let mut rng = SplitMix64(ctx.args.seed ^ 0x5eed);
    let sample = docs[rng.below(docs.len())];
    let mut html = format!("<p>{}</p>", escape(sample));
    for (label, tok) in &tokenizers {
        let enc = tok.encode_with_offsets(sample, SpecialSet::None)?;
        let chips: String = enc
            .offsets
            .iter()
            .map(|r| {
                let piece =
                    String::from_utf8_lossy(&sample.as_bytes()[r.clone()]).replace(' ', "␣");
                format!("<span class=\"tok\">{}</span>", escape(&piece))
            })
            .collect();
        html.push_str(&format!(
            "<p>{} ({} tokens): {chips}</p>",
            escape(label),
            enc.ids.len()
        ));
    }
    sec.html(html);
    Ok((sec, Value::Object(facts)))
}
