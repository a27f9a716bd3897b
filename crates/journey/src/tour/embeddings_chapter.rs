//! Tour chapter 1.4 — word embeddings: phrase detection (Mikolov et al.
//! 2013, as gensim's Phrases) and word2vec CBOW trained on the tour's corpus,
//! its nearest neighbours; then the pretrained
//! GloVe 6B 50d vectors (Pennington et al. 2014) when `fetch-models glove`
//! has fetched them: neighbours, analogies by 3CosAdd (Mikolov et al. 2013)
//! and 3CosMul (Levy & Goldberg 2014), WordSim-353 / SimLex-999 correlations,
//! and a 2-D picture of 84 words by PCA and by t-SNE (van der Maaten & Hinton
//! 2008). The evaluations and projections are checked against gensim and
//! scikit-learn in `crates/journey-embed/tests`.
//! Cost: word2vec O(epochs · tokens · window · dim) on one thread (seeded,
//! so the chapter is reproducible), a few seconds in a release build; the
//! GloVe steps are O(vocabulary · dim) per query, t-SNE O(84²) per iteration.

use std::time::Instant;

use anyhow::Result;
use journey_embed::evaluation::evaluate_word_pairs;
use journey_embed::pca::Pca;
use journey_embed::phrases::{Phrases, PhrasesConfig, ENGLISH_CONNECTOR_WORDS};
use journey_embed::pretrained::{glove_6b_50d_dir, load_glove_npy_parquet};
use journey_embed::similarity::{AnalogyMethod, CosineIndex};
use journey_embed::tsne::{trustworthiness, tsne, TsneConfig};
use journey_embed::word2vec::{train, Word2VecConfig};
use journey_embed::Embeddings;
use serde_json::{json, Value};

use super::{find_offline, skipped, Tour};
use crate::report::{svg, Section};

/// The words drawn in the projection figures, by group (the same 84 words as
/// `tools/reference/projection_golden.py`).
const GROUPS: [(&str, &str); 8] = [
    (
        "countries, capitals",
        "france paris germany berlin italy rome spain madrid japan tokyo china beijing \
         russia moscow egypt cairo india delhi canada ottawa",
    ),
    (
        "animals",
        "dog cat horse cow sheep pig lion tiger wolf bear",
    ),
    ("colours", "red green blue yellow black white purple orange"),
    (
        "numbers",
        "one two three four five six seven eight nine ten",
    ),
    ("motion verbs", "walk run swim jump fly climb drive ride"),
    (
        "family, royalty",
        "king queen prince princess man woman boy girl father mother son daughter",
    ),
    (
        "occupations",
        "doctor nurse teacher lawyer engineer farmer soldier artist",
    ),
    (
        "food, drink",
        "apple banana bread cheese rice coffee tea wine",
    ),
];

/// word2vec probes on the tour corpus (KJV words).
const W2V_PROBES: [&str; 5] = ["god", "king", "water", "gold", "sword"];
const GLOVE_PROBES: [&str; 4] = ["frog", "computer", "paris", "happy"];
const ANALOGIES: [[&str; 4]; 5] = [
    ["man", "king", "woman", "queen"],
    ["france", "paris", "italy", "rome"],
    ["big", "bigger", "small", "smaller"],
    ["walk", "walked", "swim", "swam"],
    ["japan", "yen", "russia", "ruble"],
];

pub fn run(ctx: &Tour) -> Result<(Section, Value)> {
    let mut sec = Section::new("ch1-4", "1.4 Word embeddings");
    let mut facts = serde_json::Map::new();
    ctx.chapter("Chapter 1.4 — word embeddings");
    sec.para(
        "A word embedding gives each word a dense vector so that words used in similar \
         contexts get similar vectors (the distributional hypothesis). word2vec learns them by \
         predicting a word from its neighbours (CBOW) or the neighbours from the word \
         (skip-gram), with negative sampling; GloVe fits them to the logarithm of global \
         co-occurrence counts. Cosine similarity then finds neighbours, and vector arithmetic \
         answers analogies (king − man + woman ≈ queen).",
    );

    // ── word2vec on the tour corpus ───────────────────────────────────────
    ctx.step(
        "word2vec on the corpus",
        "CBOW, 50 dimensions, window 5, 5 negatives, 5 epochs, one thread (seeded).",
    );
    let text: String = ctx
        .corpus
        .docs
        .iter()
        .map(|(_, d)| {
            let clean: String = d
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        ' '
                    }
                })
                .collect();
            clean + "\n"
        })
        .collect();
    // ── Phrases: word pairs that behave as one word ───────────────────────
    match Phrases::learn(
        text.lines().map(str::split_whitespace),
        PhrasesConfig {
            connector_words: ENGLISH_CONNECTOR_WORDS.map(String::from).to_vec(),
            ..PhrasesConfig::default()
        },
    ) {
        Ok(phrases) => {
            let mut found = phrases.export();
            found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let top: Vec<&str> = found.iter().take(12).map(|p| p.0.as_str()).collect();
            ctx.say(format!(
                "{} phrases (word2phrase score > 10, connector words allowed inside), e.g. {}",
                found.len(),
                top.join(", ")
            ));
            sec.para(format!(
                "Phrase detection (Mikolov et al. 2013, as gensim's Phrases) joins word pairs                  seen together far more often than chance, so that they can get one vector:                  {} phrases in the corpus; the strongest: {}.",
                found.len(),
                top.join(", ")
            ));
            facts.insert(
                "phrases".into(),
                json!({ "count": found.len(), "top": top }),
            );
        }
        Err(e) => skipped(ctx, &mut sec, "Phrase detection", &e.to_string()),
    }

    let cfg = Word2VecConfig {
        dim: 50,
        threads: 1,
        seed: ctx.args.seed,
        ..Default::default()
    };
    let start = Instant::now();
    match train(&text, &cfg) {
        Ok(model) => {
            let seconds = start.elapsed().as_secs_f64();
            let words = model.words_per_epoch as f64 * cfg.epochs as f64;
            ctx.say(format!(
                "{} words in the vocabulary (min count 5), {:.0} words/s",
                model.vectors.len(),
                words / seconds.max(1e-9)
            ));
            sec.para(format!(
                "word2vec CBOW on {}: {} words kept (seen at least 5 times), {} training words \
                 per epoch, {seconds:.1} s for 5 epochs on one thread.",
                ctx.corpus.name,
                model.vectors.len(),
                model.words_per_epoch
            ));
            let (rows, probe_facts) = neighbour_rows(ctx, &model.vectors, &W2V_PROBES);
            sec.table(&["word", "nearest neighbours (cosine)"], rows);
            facts.insert(
                "word2vec".into(),
                json!({
                    "vocabulary": model.vectors.len(),
                    "words_per_epoch": model.words_per_epoch,
                    "seconds": seconds,
                    "neighbours": probe_facts,
                }),
            );
        }
        Err(e) => skipped(ctx, &mut sec, "word2vec", &e.to_string()),
    }

    // ── Pretrained GloVe ──────────────────────────────────────────────────
    ctx.step(
        "Pretrained GloVe 6B 50d",
        "400,000 words trained on Wikipedia + Gigaword: neighbours, analogies, similarity.",
    );
    let glove = match glove_6b_50d_dir() {
        Some(dir) if dir.join("vectors.npy").exists() => load_glove_npy_parquet(&dir)?,
        _ => {
            let why = "the GloVe 6B 50d vectors are not fetched; run \
                       `bash ../shared/bin/fetch-models glove` (they go to \
                       ~/.cache/journey/models, or $JOURNEY_MODELS)";
            skipped(ctx, &mut sec, "The GloVe steps", why);
            facts.insert("glove".into(), json!({ "skipped": why }));
            return Ok((sec, Value::Object(facts)));
        }
    };
    let (rows, probe_facts) = neighbour_rows(ctx, &glove, &GLOVE_PROBES);
    sec.table(&["word", "nearest neighbours (cosine)"], rows);
    let index = CosineIndex::new(&glove);
    let mut rows = Vec::new();
    let mut solved = 0;
    for [a, b, c, want] in ANALOGIES {
        let add = index.analogy(a, b, c, 1, AnalogyMethod::CosAdd);
        let mul = index.analogy(a, b, c, 1, AnalogyMethod::CosMul);
        let first = |r: Option<Vec<(String, f32)>>| {
            r.and_then(|v| v.into_iter().next())
                .map(|(w, _)| w)
                .unwrap_or_else(|| "–".into())
        };
        let (add, mul) = (first(add), first(mul));
        solved += usize::from(add == want);
        ctx.say(format!(
            "{a} : {b} :: {c} : ?   3CosAdd {add}, 3CosMul {mul} (expected {want})"
        ));
        rows.push(vec![
            format!("{a} : {b} :: {c} : ?"),
            add,
            mul,
            want.to_string(),
        ]);
    }
    sec.table(&["analogy", "3CosAdd", "3CosMul", "expected"], rows);
    let mut sim_facts = serde_json::Map::new();
    let mut sim_rows = Vec::new();
    for (name, label) in [("wordsim353", "WordSim-353"), ("simlex999", "SimLex-999")] {
        match find_offline(name) {
            Ok(path) => {
                let r = evaluate_word_pairs(&glove, &path, 300_000)?;
                ctx.say(format!(
                    "{label}: Spearman ρ = {:.3} on {} pairs ({} out of vocabulary)",
                    r.spearman, r.pairs, r.oov
                ));
                sim_rows.push(vec![
                    label.to_string(),
                    format!("{:.3}", r.spearman),
                    format!("{:.3}", r.pearson),
                    r.pairs.to_string(),
                ]);
                sim_facts.insert(name.into(), json!(r.spearman));
            }
            Err(why) => skipped(ctx, &mut sec, label, &why),
        }
    }
    if !sim_rows.is_empty() {
        sec.para(
            "Word-pair similarity: how well the cosine of two words ranks the pairs as people \
             rated them. GloVe's paper reports ρ ≈ 0.5 on WordSim-353 for 50-d vectors; \
             SimLex-999 rates similarity, not relatedness (coffee–cup is related, not similar), \
             so scores there are lower.",
        );
        sec.table(&["set", "Spearman ρ", "Pearson r", "pairs"], sim_rows);
    }

    // ── The vectors in two dimensions ─────────────────────────────────────
    ctx.step(
        "The vectors in two dimensions",
        "PCA keeps the two directions of largest variance; t-SNE keeps neighbourhoods.",
    );
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, words) in GROUPS.iter() {
        groups.push((name, words.split_whitespace().collect()));
    }
    let words: Vec<&str> = groups.iter().flat_map(|g| g.1.iter().copied()).collect();
    let rows: Vec<&[f32]> = words.iter().filter_map(|w| glove.get(w)).collect();
    if rows.len() == words.len() {
        let pca = Pca::fit(&rows, 2)?;
        let pca_points: Vec<[f64; 2]> = pca
            .transform(&rows)?
            .into_iter()
            .map(|p| [p[0], p[1]])
            .collect();
        let tsne_cfg = TsneConfig {
            perplexity: 10.0,
            ..Default::default()
        };
        let layout = tsne(&rows, &tsne_cfg)?;
        let (t_pca, t_tsne) = (
            trustworthiness(&rows, &pca_points, 5),
            trustworthiness(&rows, &layout.points, 5),
        );
        ctx.say(format!(
            "PCA explains {:.1}% of the variance in 2 dimensions; trustworthiness (5 neighbours): \
             PCA {t_pca:.3}, t-SNE {t_tsne:.3} (KL {:.3})",
            100.0 * pca.explained_variance_ratio.iter().sum::<f64>(),
            layout.kl_divergence
        ));
        let plot = |points: &[[f64; 2]]| {
            let mut out = Vec::new();
            let mut i = 0;
            for (name, ws) in &groups {
                let pts = ws
                    .iter()
                    .map(|w| {
                        let p = points[i];
                        i += 1;
                        (w.to_string(), p[0], p[1])
                    })
                    .collect();
                out.push((name.to_string(), pts));
            }
            out
        };
        sec.figure(
            "embeddings-pca.svg",
            &format!(
                "84 GloVe vectors projected on their first two principal components ({:.1}% of \
                 the variance). Trustworthiness with 5 neighbours: {t_pca:.3}.",
                100.0 * pca.explained_variance_ratio.iter().sum::<f64>()
            ),
            svg::labelled_points("GloVe 6B 50d — PCA", &plot(&pca_points)),
        );
        sec.figure(
            "embeddings-tsne.svg",
            &format!(
                "The same words by exact t-SNE (perplexity 10, {} iterations, KL {:.3}). \
                 Trustworthiness with 5 neighbours: {t_tsne:.3}. Groups that PCA overlaps \
                 separate; distances between groups mean little in t-SNE.",
                layout.n_iter, layout.kl_divergence
            ),
            svg::labelled_points("GloVe 6B 50d — t-SNE", &plot(&layout.points)),
        );
        facts.insert(
            "projection".into(),
            json!({
                "words": words.len(),
                "pca_variance": pca.explained_variance_ratio,
                "trustworthiness_pca": t_pca,
                "trustworthiness_tsne": t_tsne,
                "tsne_kl": layout.kl_divergence,
            }),
        );
    }
    facts.insert(
        "glove".into(),
        json!({
            "words": glove.len(),
            "neighbours": probe_facts,
            "analogies_solved": solved,
            "similarity": sim_facts,
        }),
    );
    Ok((sec, Value::Object(facts)))
}

/// A table row and a JSON list of the 6 nearest neighbours of each probe.
fn neighbour_rows(ctx: &Tour, emb: &Embeddings, probes: &[&str]) -> (Vec<Vec<String>>, Value) {
    let index = CosineIndex::new(emb);
    let mut rows = Vec::new();
    let mut facts = serde_json::Map::new();
    for w in probes {
        let Some(n) = index.neighbours(w, 6) else {
            continue;
        };
        let list: Vec<String> = n.iter().map(|(v, s)| format!("{v} ({s:.2})")).collect();
        ctx.say(format!("{w:>10}: {}", list.join(", ")));
        rows.push(vec![w.to_string(), list.join(", ")]);
        facts.insert(
            w.to_string(),
            json!(n.iter().map(|(v, _)| v.clone()).collect::<Vec<_>>()),
        );
    }
    (rows, Value::Object(facts))
}
