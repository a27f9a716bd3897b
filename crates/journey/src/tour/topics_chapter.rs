//! Tour chapter 2.4 — topic models on the Lee news corpus (Lee, Pincombe &
//! Welsh 2005; gensim's test corpus): LDA by collapsed Gibbs sampling
//! (Griffiths & Steyvers 2004) and NMF of the TF-IDF matrix (Lee & Seung
//! 1999; coordinate descent, Cichocki & Phan 2009), their top words, and the
//! coherence of each topic (C_v and NPMI, Röder et al. 2015).
//! Cost: Gibbs O(sweeps × tokens × K), NMF O(iterations × nnz × K), coherence
//! O(tokens × window) — a few seconds on 300 documents.

use anyhow::Result;
use journey_ml::coherence::{coherence_per_topic, CoherenceConfig, Measure};
use journey_ml::dictionary::{
    read_lines, simple_preprocess, smooth_idf, tfidf_with_idf, Dictionary,
};
use journey_ml::lda_gibbs::{GibbsLda, GibbsLdaConfig};
use journey_ml::nmf::{Nmf, NmfConfig};
use journey_ml::topic_model::{FittedTopics, TopicModel};
use journey_text::stopwords::StopWords;
use serde_json::{json, Value};

use super::{find_offline, skipped, Tour};
use crate::report::{svg, Section};

const TOPICS: usize = 8;
/// Gibbs sweeps: few, to keep the tour quick (`journey topics lda` runs 500).
const SWEEPS: usize = 100;
/// Words per topic shown and scored.
const TOP: usize = 10;

/// A bar label: the model, the topic and its first two words, cut to fit
/// the chart's label column.
fn label(model: &str, k: usize, words: &[String]) -> String {
    let head: Vec<&str> = words.iter().take(2).map(String::as_str).collect();
    let full = format!("{model} {k}: {}", head.join(" "));
    if full.chars().count() > 24 {
        full.chars().take(23).chain(['…']).collect()
    } else {
        full
    }
}

pub fn run(ctx: &Tour) -> Result<(Section, Value)> {
    let mut sec = Section::new("ch2-4", "2.4 Topic models");
    let mut facts = serde_json::Map::new();
    ctx.chapter("Chapter 2.4 — topic models");
    sec.para(
        "A topic model explains each document as a mixture of topics, each topic a distribution \
         over words. LDA samples which topic produced each word (collapsed Gibbs sampling); NMF \
         factorises the TF-IDF matrix into document–topic and topic–word parts. Coherence asks \
         whether a topic's top words occur together in the corpus: C_v (cosine of NPMI context \
         vectors, 110-word windows) and NPMI (10-word windows), as gensim computes them.",
    );
    let path = match find_offline("lee-background").or_else(|e| find_offline("lee").map_err(|_| e))
    {
        Ok(p) => p,
        Err(why) => {
            skipped(ctx, &mut sec, "Chapter 2.4", &why);
            facts.insert("skipped".into(), json!(why));
            return Ok((sec, Value::Object(facts)));
        }
    };
    let docs = read_lines(&path)?;
    let stop = StopWords::builtin("english")?;
    let texts: Vec<Vec<String>> = docs
        .iter()
        .map(|d| {
            simple_preprocess(d, false)
                .into_iter()
                .filter(|w| !stop.contains(w))
                .collect()
        })
        .filter(|t: &Vec<String>| !t.is_empty())
        .collect();
    let mut dict = Dictionary::from_documents(&texts);
    let before = dict.len();
    dict.filter_extremes(3, 0.5, None)?;
    let counts = dict.bow_matrix(&texts)?;
    let tokens: f64 = counts.data().iter().sum();
    ctx.say(format!(
        "{} documents from {}; {before} word types, {} kept (in ≥ 3 documents and ≤ half of them), {tokens} tokens",
        texts.len(),
        path.display(),
        dict.len()
    ));
    sec.para(format!(
        "{} news articles, gensim's simple_preprocess without NLTK stop words; {} of {before} word \
         types kept (in at least 3 and at most half of the documents). {TOPICS} topics, seed {}; \
         LDA runs only {SWEEPS} Gibbs sweeps to keep the tour quick.",
        texts.len(),
        dict.len(),
        ctx.args.seed
    ));

    ctx.step(
        "LDA (collapsed Gibbs sampling)",
        "Each sweep resamples the topic of every token from its document's and its word's counts.",
    );
    let lda = GibbsLda::fit(
        &counts,
        &GibbsLdaConfig {
            n_topics: TOPICS,
            iterations: SWEEPS,
            seed: ctx.args.seed,
            ..Default::default()
        },
    )?;
    let perplexity = lda.perplexity(&counts)?;
    ctx.say(format!(
        "training perplexity after {SWEEPS} sweeps: {perplexity:.1}"
    ));
    let lda = TopicModel::new(dict.clone(), false, FittedTopics::LdaGibbs(lda));

    ctx.step(
        "NMF of TF-IDF",
        "Coordinate descent on the Frobenius loss, NNDSVD start.",
    );
    let idf = smooth_idf(&counts);
    let x = tfidf_with_idf(&counts, &idf);
    let nmf = Nmf::fit(
        &x,
        &NmfConfig {
            n_components: TOPICS,
            seed: ctx.args.seed,
            ..Default::default()
        },
    )?;
    let nmf = TopicModel::new(dict.clone(), false, FittedTopics::Nmf(nmf));

    ctx.step(
        "Coherence",
        "C_v and NPMI of each topic's top 10 words over the corpus.",
    );
    let mut bars = Vec::new();
    for (name, model) in [("LDA", &lda), ("NMF", &nmf)] {
        let topics: Vec<Vec<String>> = model
            .top_words(TOP)
            .into_iter()
            .map(|t| t.into_iter().map(|(w, _)| w).collect())
            .collect();
        let score = |measure: Measure| {
            coherence_per_topic(
                &topics,
                &texts,
                &dict,
                &CoherenceConfig {
                    measure,
                    topn: TOP,
                    ..Default::default()
                },
            )
        };
        let cv = score(Measure::CV)?;
        let npmi = score(Measure::CNpmi)?;
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let mut rows = Vec::new();
        for (k, words) in topics.iter().enumerate() {
            ctx.say(format!(
                "{name} topic {k}: C_v {:.3}, NPMI {:+.3}: {}",
                cv[k],
                npmi[k],
                words.join(" ")
            ));
            rows.push(vec![
                k.to_string(),
                words.join(" "),
                format!("{:.3}", cv[k]),
                format!("{:+.3}", npmi[k]),
            ]);
            bars.push((label(name, k, words), (cv[k] * 1000.0).round() / 1000.0));
        }
        ctx.say(format!(
            "{name}: mean C_v {:.3}, mean NPMI {:+.3}",
            mean(&cv),
            mean(&npmi)
        ));
        sec.para(format!(
            "{name}: mean C_v {:.3}, mean NPMI {:+.3}.",
            mean(&cv),
            mean(&npmi)
        ));
        sec.table(&["topic", "top words", "C_v", "NPMI"], rows);
        let npmi_bars: Vec<(String, f64)> = npmi
            .iter()
            .enumerate()
            // Bars start at zero: NPMI is shown shifted to [0, 2] as 1 + NPMI.
            .map(|(k, v)| {
                (
                    label(name, k, &topics[k]),
                    ((1.0 + v) * 1000.0).round() / 1000.0,
                )
            })
            .collect();
        sec.figure(
            &format!("coherence-npmi-{}.svg", name.to_lowercase()),
            &format!("{name}: NPMI coherence per topic, shown as 1 + NPMI (0 = never together, 1 = independent, 2 = always together)"),
            svg::bar_chart(&format!("{name} topics: 1 + NPMI"), &npmi_bars, "1 + NPMI"),
        );
        facts.insert(
            name.to_lowercase(),
            json!({"topics": topics, "c_v": cv, "c_npmi": npmi,
                   "mean_c_v": mean(&cv), "mean_c_npmi": mean(&npmi)}),
        );
    }
    sec.figure(
        "coherence-cv.svg",
        "C_v coherence of each topic, LDA then NMF (higher = words that occur together)",
        svg::bar_chart("Topic coherence (C_v)", &bars, "C_v"),
    );
    facts.insert("documents".into(), json!(texts.len()));
    facts.insert("vocabulary".into(), json!(dict.len()));
    facts.insert("lda_perplexity".into(), json!(perplexity));
    Ok((sec, Value::Object(facts)))
}
