//! Tour chapter 4 — transformers: a pretrained BERT (all-MiniLM-L6-v2, from
//! `shared/bin/fetch-models minilm`) loaded into our own encoder gives
//! sentence embeddings; the chapter shows their cosine similarities on a
//! few sentences, a semantic search, and one attention head as a heat map.
//! Skipped, saying how to get the model, when it is missing.
//! Cost: a second or two (eight short sentences through a 6-layer encoder).

use anyhow::Result;
use candle_core::{Device, Tensor};
use journey_llm::semantic_search::{cosine, top_k};
use journey_llm::sentence_embedder::SentenceEmbedder;
use serde_json::{json, Value};

use super::{skipped, Tour};
use crate::commands::sentence_search::default_model_dir;
use crate::report::{svg, Section};

const SENTENCES: [&str; 6] = [
    "A man is playing a guitar on stage.",
    "A musician performs a song for the crowd.",
    "The stock market fell sharply today.",
    "Shares dropped as investors grew worried.",
    "A dog runs across the grass in a park.",
    "A puppy is chasing a ball outside.",
];

pub fn run(ctx: &Tour) -> Result<(Section, Value)> {
    let mut sec = Section::new("ch4", "4 Transformers");
    let mut facts = serde_json::Map::new();
    ctx.chapter("Chapter 4 — transformers");
    sec.para(
        "A transformer layer lets every token look at every other through attention, \
         softmax(QKᵀ/√d)V, then transforms each position with a small feed-forward network; \
         residual connections and layer normalisation keep deep stacks trainable. BERT stacks \
         such layers as an encoder. Averaging its output vectors over a sentence (Sentence-BERT) \
         gives one vector per sentence whose cosine measures similarity of meaning.",
    );
    let dir = default_model_dir()?;
    let model = match SentenceEmbedder::load(&dir) {
        Ok(m) => m,
        Err(e) => {
            let why = format!(
                "{e}. Run shared/bin/fetch-models minilm to fetch all-MiniLM-L6-v2 (or set $JOURNEY_MODELS)."
            );
            skipped(ctx, &mut sec, "Chapter 4", &why);
            facts.insert("skipped".into(), json!(why));
            return Ok((sec, Value::Object(facts)));
        }
    };
    ctx.step(
        "Sentence embeddings",
        "all-MiniLM-L6-v2 in our BERT: mean pooling, L2 normalisation.",
    );
    let vectors = model.embed(&SENTENCES, 8)?;
    let sim: Vec<Vec<f32>> = vectors
        .iter()
        .map(|a| vectors.iter().map(|b| cosine(a, b)).collect())
        .collect();
    let header: Vec<String> = std::iter::once("".to_string())
        .chain((1..=SENTENCES.len()).map(|i| format!("S{i}")))
        .collect();
    let rows: Vec<Vec<String>> = SENTENCES
        .iter()
        .enumerate()
        .map(|(i, s)| {
            std::iter::once(format!("S{} {s}", i + 1))
                .chain(sim[i].iter().map(|c| format!("{c:.2}")))
                .collect()
        })
        .collect();
    sec.para("Cosine similarity of the sentence embeddings: each sentence is closest to the one that says the same thing in other words.");
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    sec.table(&header_refs, rows);
    let nearest: Vec<usize> = (0..SENTENCES.len())
        .map(|i| {
            (0..SENTENCES.len())
                .filter(|&j| j != i)
                .max_by(|&a, &b| sim[i][a].total_cmp(&sim[i][b]))
                .expect("several sentences")
        })
        .collect();
    ctx.say(format!(
        "nearest neighbours: {}",
        nearest
            .iter()
            .enumerate()
            .map(|(i, j)| format!("S{}→S{}", i + 1, j + 1))
            .collect::<Vec<_>>()
            .join(", ")
    ));

    let query = "a kitten plays in the garden";
    let q = model.embed(&[query], 1)?.remove(0);
    let hits = top_k(&vectors, &q, 2);
    sec.para(format!(
        "Semantic search for “{query}”: {}.",
        hits.iter()
            .map(|h| format!("“{}” ({:.2})", SENTENCES[h.index], h.score))
            .collect::<Vec<_>>()
            .join(", ")
    ));

    ctx.step("Attention", "Who looks at whom in the last layer.");
    let enc = model.tokenizer().encode(SENTENCES[4]);
    let n = enc.ids.len();
    let ids = Tensor::from_vec(enc.ids.clone(), (1, n), &Device::Cpu)?;
    let out = model.bert().forward(&ids, None, None, true)?;
    let last = out.attentions.last().expect("6 layers");
    // the head whose attention is least uniform (largest mean max weight)
    let heads = last.dim(1)?;
    let mut best = (0usize, 0f32);
    let mut maps = Vec::new();
    for h in 0..heads {
        let p: Vec<Vec<f32>> = last.get(0)?.get(h)?.to_vec2()?;
        let peak = p
            .iter()
            .map(|r| r.iter().cloned().fold(0.0, f32::max))
            .sum::<f32>()
            / n as f32;
        if peak > best.1 {
            best = (h, peak);
        }
        maps.push(p);
    }
    let p = &maps[best.0];
    // per mille, so that the heat map prints integers
    let cells: Vec<Vec<usize>> = p
        .iter()
        .map(|r| r.iter().map(|x| (x * 1000.0).round() as usize).collect())
        .collect();
    sec.figure(
        "attention-head.svg",
        &format!(
            "Layer 6, head {} of all-MiniLM-L6-v2 on “{}” (attention weights in ‰; rows: the token that looks).",
            best.0 + 1,
            SENTENCES[4]
        ),
        svg::heatmap(
            "attention weights (‰)",
            &enc.tokens,
            &enc.tokens,
            &cells,
            "key token",
            "query token",
        ),
    );
    facts.insert(
        "minilm".into(),
        json!({
            "dim": model.dim(),
            "similarity": sim,
            "nearest": nearest,
            "search": {"query": query, "hits": hits},
            "attention_head": best.0,
            "tokens": enc.tokens,
        }),
    );
    Ok((sec, Value::Object(facts)))
}
