//! Topic models side by side with `tools/reference/bench_topics.py`: our LDA
//! (collapsed Gibbs with SparseLDA, online VB) and NMF (nndsvd, cd) on the Lee
//! corpus and mini 20 Newsgroups, K = 10 and 20, with the same preprocessing
//! and settings; prints one JSON line per model with the fit time (best of
//! `--repeat`), C_v and NPMI of the top 10 words, and held-out perplexity.
//!
//! ```text
//! cargo run --release -p journey-ml --example bench_topics -- /work/shared/data
//!     [--topics 10,20] [--seed 0] [--corpus lee|mini_20ng] [--repeat 1] [--gibbs-iterations 300]
//! ```

use std::path::Path;
use std::time::Instant;

use journey_ml::coherence::{coherence, CoherenceConfig, Measure};
use journey_ml::dictionary::{
    read_lines, read_newsgroups, simple_preprocess, tfidf_smooth_l2, Dictionary,
};
use journey_ml::lda_gibbs::{GibbsLda, GibbsLdaConfig};
use journey_ml::lda_online::{OnlineLda, OnlineLdaConfig};
use journey_ml::nmf::{top_n, Nmf, NmfConfig};

type Texts = Vec<Vec<String>>;

fn corpora(data: &Path) -> Vec<(&'static str, Texts, Texts)> {
    let tok = |lines: Vec<String>| -> Texts {
        lines.iter().map(|l| simple_preprocess(l, false)).collect()
    };
    let lee = |name: &str| tok(read_lines(&data.join("corpora/lee").join(name)).unwrap());
    let ng: Texts = read_newsgroups(&data.join("classification/mini_newsgroups"))
        .unwrap()
        .into_iter()
        .map(|(_, t)| simple_preprocess(&t, false))
        .collect();
    let (mut ng_train, mut ng_test) = (Vec::new(), Vec::new());
    for (i, t) in ng.into_iter().enumerate() {
        if i % 10 == 0 {
            ng_test.push(t)
        } else {
            ng_train.push(t)
        }
    }
    vec![
        ("lee", lee("lee_background.cor"), lee("lee.cor")),
        ("mini_20ng", ng_train, ng_test),
    ]
}

fn best<T>(repeat: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.unwrap())
}

fn words(rows: &[f64], k: usize, dict: &Dictionary) -> Texts {
    let v = dict.len();
    (0..k)
        .map(|t| {
            top_n(&rows[t * v..(t + 1) * v], 10)
                .into_iter()
                .map(|(w, _)| dict.tokens()[w].clone())
                .collect()
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let data = Path::new(args.get(1).map(String::as_str).unwrap_or("../shared/data")).to_path_buf();
    let flag = |name: &str, default: &str| -> String {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
            .unwrap_or_else(|| default.to_owned())
    };
    let repeat: usize = flag("--repeat", "1").parse().unwrap();
    let seed: u64 = flag("--seed", "0").parse().unwrap();
    let only: String = flag("--corpus", "all");
    let gibbs_iterations: usize = flag("--gibbs-iterations", "300").parse().unwrap();
    let ks: Vec<usize> = flag("--topics", "10,20")
        .split(',')
        .map(|s| s.parse().unwrap())
        .collect();
    for (name, train, test) in corpora(&data) {
        if only != "all" && only != name {
            continue;
        }
        let mut dict = Dictionary::from_documents(&train);
        dict.filter_extremes(5, 0.5, Some(100_000)).unwrap();
        let x_train = dict.bow_matrix(&train).unwrap();
        let x_test = dict.bow_matrix(&test).unwrap();
        let tfidf = tfidf_smooth_l2(&x_train);
        let score = |topics: &Texts| {
            let cv = coherence(topics, &train, &dict, &CoherenceConfig::default()).unwrap();
            let npmi_cfg = CoherenceConfig {
                measure: Measure::CNpmi,
                ..Default::default()
            };
            let npmi = coherence(topics, &train, &dict, &npmi_cfg).unwrap();
            (cv, npmi)
        };
        for &k in &ks {
            let cfg = GibbsLdaConfig {
                n_topics: k,
                alpha: Some(0.1),
                eta: 0.01,
                iterations: gibbs_iterations,
                seed,
                ..Default::default()
            };
            let (t, m) = best(repeat, || GibbsLda::fit(&x_train, &cfg).unwrap());
            let (cv, npmi) = score(&words(&m.topic_word(), k, &dict));
            let perp = m.perplexity(&x_test).unwrap();
            println!(
                "{}",
                serde_json::json!({"corpus": name, "k": k, "model": format!("journey LDA Gibbs (SparseLDA, {gibbs_iterations} sweeps, alpha 0.1, eta 0.01)"),
                    "fit_s": t, "heldout_perplexity_foldin": perp, "c_v": cv, "c_npmi": npmi})
            );
            let cfg = OnlineLdaConfig {
                n_topics: k,
                batch_size: 128,
                passes: 10,
                learning_decay: 0.7,
                learning_offset: 10.0,
                max_doc_update_iter: 100,
                seed,
                ..Default::default()
            };
            let (t, m) = best(repeat, || OnlineLda::fit(&x_train, &cfg).unwrap());
            let (cv, npmi) = score(&words(&m.topic_word(), k, &dict));
            let perp = m.perplexity(&x_test).unwrap();
            println!(
                "{}",
                serde_json::json!({"corpus": name, "k": k, "model": "journey LDA online VB",
                    "fit_s": t, "heldout_perplexity": perp, "c_v": cv, "c_npmi": npmi})
            );
            let cfg = NmfConfig {
                n_components: k,
                seed,
                ..Default::default()
            };
            let (t, m) = best(repeat, || Nmf::fit(&tfidf, &cfg).unwrap());
            let (cv, npmi) = score(&words(&m.components, k, &dict));
            println!(
                "{}",
                serde_json::json!({"corpus": name, "k": k, "model": "journey NMF (nndsvd, cd)",
                    "fit_s": t, "reconstruction_err": m.reconstruction_err, "c_v": cv, "c_npmi": npmi})
            );
        }
    }
}
