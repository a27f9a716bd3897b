//! Tour chapter 1.3 — text to vectors on a labelled corpus (SMS Spam
//! Collection, Almeida et al. 2011): bag-of-words counts and their sparsity,
//! the n-gram effect on the vocabulary, TF-IDF (Spärck Jones 1972; Salton &
//! Buckley 1988) terms that characterise each class, and the collisions of
//! the hashing trick (Weinberger et al. 2009) at a few table sizes.
//! Cost: a few vectorizer passes over ~5,600 short messages, O(tokens) time
//! and O(nnz + vocabulary) memory each.

use anyhow::Result;
use journey_data::readers::delimited::read_sms_spam;
use journey_ml::hashing_vectorizer::hash_feature;
use journey_ml::{
    AnalyzerConfig, CountVectorizer, CountVectorizerConfig, CsrMatrix, StopWordList,
    TfidfVectorizer, TfidfVectorizerConfig,
};
use serde_json::{json, Value};

use super::{find_offline, skipped, Tour};
use crate::report::{svg, Section};

/// Terms shown per class.
const TOP: usize = 12;

fn sparsity(x: &CsrMatrix) -> f64 {
    let cells = (x.n_rows() * x.n_cols()).max(1) as f64;
    1.0 - x.nnz() as f64 / cells
}

pub fn run(ctx: &Tour) -> Result<(Section, Value)> {
    let mut sec = Section::new("ch1-3", "1.3 Text to vectors");
    let mut facts = serde_json::Map::new();
    ctx.chapter("Chapter 1.3 — text to vectors");
    sec.para(
        "Models need numbers. A bag of words counts each vocabulary word in each document \
         (word order is lost); TF-IDF down-weights the words every document uses; the hashing \
         trick skips the vocabulary by hashing words into a fixed number of columns. \
         This chapter uses the SMS Spam Collection (5,574 labelled text messages) with \
         scikit-learn's default analyzer (lower-case, tokens of two or more word characters).",
    );
    let path = match find_offline("sms-spam") {
        Ok(p) => p,
        Err(why) => {
            skipped(ctx, &mut sec, "Chapter 1.3", &why);
            facts.insert("skipped".into(), json!(why));
            return Ok((sec, Value::Object(facts)));
        }
    };
    let rows = read_sms_spam(&path)?;
    let docs: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
    let mut classes: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
    classes.sort_unstable();
    classes.dedup();
    ctx.say(format!(
        "{} messages, classes {}",
        docs.len(),
        classes.join(", ")
    ));

    // ── Bag of words, n-grams ──────────────────────────────────────────────
    ctx.step(
        "Bag of words",
        "CountVectorizer: one column per vocabulary term, one row per document, mostly zeros.",
    );
    let count =
        |ngram_range: (usize, usize), min_df: usize| -> Result<(CountVectorizer, CsrMatrix)> {
            let mut v = CountVectorizer::new(CountVectorizerConfig {
                analysis: AnalyzerConfig {
                    ngram_range,
                    ..Default::default()
                },
                min_df: journey_ml::DocFrequency::Count(min_df),
                ..Default::default()
            })?;
            let x = v.fit_transform(&docs)?;
            Ok((v, x))
        };
    let mut table = Vec::new();
    let mut bars = Vec::new();
    let mut bigram_terms = Vec::new();
    for (label, range, min_df) in [
        ("unigrams", (1, 1), 1),
        ("unigrams, min_df=2", (1, 1), 2),
        ("1–2-grams", (1, 2), 1),
        ("1–2-grams, min_df=2", (1, 2), 2),
        ("1–3-grams", (1, 3), 1),
    ] {
        let (v, x) = count(range, min_df)?;
        if (range, min_df) == ((1, 2), 1) {
            bigram_terms = v.get_feature_names_out()?.to_vec();
        }
        let s = sparsity(&x);
        ctx.say(format!(
            "{label}: {} terms, {} non-zeros, {:.3}% of the matrix zero",
            x.n_cols(),
            x.nnz(),
            100.0 * s
        ));
        table.push(vec![
            label.to_string(),
            x.n_cols().to_string(),
            x.nnz().to_string(),
            format!("{:.3}%", 100.0 * s),
        ]);
        bars.push((label.to_string(), x.n_cols() as f64));
        facts.insert(
            format!("vocabulary {label}"),
            json!({"terms": x.n_cols(), "nnz": x.nnz(), "sparsity": s}),
        );
    }
    sec.para(
        "Vocabulary and sparsity of the document–term matrix. Adding bigrams multiplies the \
         vocabulary while most new terms occur once (min_df=2 drops them):",
    );
    sec.table(&["features", "terms", "non-zeros", "zero cells"], table);
    sec.figure(
        "ngram-vocabulary.svg",
        "Vocabulary size by n-gram range (SMS Spam)",
        svg::bar_chart("Vocabulary size", &bars, "terms"),
    );

    // ── TF-IDF per class ───────────────────────────────────────────────────
    ctx.step(
        "TF-IDF",
        "Smoothed idf, l2-normalised rows, scikit-learn's English stop words removed; the mean TF-IDF of a term within a class shows what the class is about.",
    );
    // Without scikit-learn's English stop words both classes would be led by
    // "to", "you", "the".
    let mut tfidf = TfidfVectorizer::new(TfidfVectorizerConfig {
        count: CountVectorizerConfig {
            analysis: AnalyzerConfig {
                stop_words: StopWordList::English,
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    })?;
    let x = tfidf.fit_transform(&docs)?;
    let terms = tfidf.get_feature_names_out()?.to_vec();
    let mut per_class = serde_json::Map::new();
    for class in &classes {
        let mut sum = vec![0.0; x.n_cols()];
        let mut n = 0usize;
        for ((cols, vals), row) in x.rows().zip(&rows) {
            if row.label == *class {
                n += 1;
                for (&c, &v) in cols.iter().zip(vals) {
                    sum[c as usize] += v;
                }
            }
        }
        let mut order: Vec<usize> = (0..sum.len()).collect();
        order.sort_by(|&a, &b| sum[b].total_cmp(&sum[a]).then(a.cmp(&b)));
        let top: Vec<(String, f64)> = order
            .iter()
            .take(TOP)
            .map(|&i| {
                (
                    terms[i].clone(),
                    (sum[i] / n.max(1) as f64 * 1000.0).round() / 1000.0,
                )
            })
            .collect();
        ctx.say(format!(
            "{class} ({n} messages): {}",
            top.iter()
                .map(|(t, v)| format!("{t} {v:.3}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        sec.figure(
            &format!("tfidf-{class}.svg"),
            &format!(
                "Highest mean TF-IDF in the '{class}' messages ({n}; English stop words removed)"
            ),
            svg::bar_chart(
                &format!("Top TF-IDF terms: {class}"),
                &top,
                "mean TF-IDF in the class",
            ),
        );
        per_class.insert(class.to_string(), json!(top));
    }
    facts.insert("top_tfidf".into(), Value::Object(per_class));

    // ── Hashing collisions ─────────────────────────────────────────────────
    ctx.step(
        "The hashing trick",
        "HashingVectorizer: column = MurmurHash3(term) mod n_features; no vocabulary to store, but distinct terms can share a column.",
    );
    let vocab = &bigram_terms;
    let mut bars = Vec::new();
    let mut table = Vec::new();
    for bits in [10u32, 12, 14, 16, 18, 20] {
        let n = 1usize << bits;
        let mut used = vec![false; n];
        let mut collided = 0usize;
        for t in vocab {
            let (col, _) = hash_feature(t, n);
            if std::mem::replace(&mut used[col as usize], true) {
                collided += 1;
            }
        }
        let share = collided as f64 / vocab.len().max(1) as f64;
        // A uniform hash leaves n (1 - 1/n)^m columns empty.
        let m = vocab.len() as f64;
        let expected = m - n as f64 * (1.0 - (1.0 - 1.0 / n as f64).powf(m));
        ctx.say(format!(
            "n_features 2^{bits}: {collided} of {} terms land in an occupied column ({:.1}%)",
            vocab.len(),
            100.0 * share
        ));
        table.push(vec![
            format!("2^{bits} = {n}"),
            collided.to_string(),
            format!("{:.1}%", 100.0 * share),
            format!("{expected:.0}"),
        ]);
        bars.push((format!("2^{bits}"), (1000.0 * share).round() / 10.0));
        facts.insert(format!("hash_collisions_2^{bits}"), json!(collided));
        facts.insert(
            format!("hash_collisions_expected_2^{bits}"),
            json!(expected),
        );
    }
    sec.para(format!(
        "The {} unigram and bigram terms hashed into n_features columns: terms that fall into \
         a column an earlier term already took (their counts get added together), against \
         what a uniform random hash gives: m − n(1 − (1 − 1/n)^m) for m terms in n columns.",
        vocab.len()
    ));
    sec.table(
        &[
            "n_features",
            "colliding terms",
            "share",
            "expected by chance",
        ],
        table,
    );
    sec.figure(
        "hashing-collisions.svg",
        "Share of terms that collide, by n_features (SMS Spam, 1–2-grams)",
        svg::bar_chart("Hashing collisions", &bars, "% of terms"),
    );
    Ok((sec, Value::Object(facts)))
}
