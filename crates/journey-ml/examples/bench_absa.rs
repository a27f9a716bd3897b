//! Learned aspect-based sentiment on SemEval-2014 Task 4 (Restaurants and
//! Laptops): CRF term extraction and logistic-regression polarity, timed
//! part by part, scored on the gold test splits. With `--dump DIR` it also
//! writes the exact attribute strings / feature dicts it trained and
//! predicted on, which `tools/reference/absa_reference.py` feeds to
//! python-crfsuite and scikit-learn at the same settings.
//!
//! `cargo run --release -p journey-ml --example bench_absa -- [--dump DIR]
//!  [--iterations N] [--c2 X] [--c X]`
//! (data from `JOURNEY_DATA`, default `../shared/data`). For timings against
//! the single-threaded references, run both sides with `RAYON_NUM_THREADS=1`
//! and `OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1`; the reference prints its
//! train and predict seconds to stderr.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use journey_data::readers::semeval::read_semeval;
use journey_ml::absa::{evaluate, AbsaConfig};
use journey_ml::absa_extraction::{train_sentences, AspectTagger, ExtractionConfig, LABELS};
use journey_ml::absa_polarity::{polarity_scores, term_features, AspectPolarity, PolarityConfig};
use journey_ml::vader::{EmojiLexicon, SentimentIntensityAnalyzer, VaderConfig, VaderLexicon};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let dump = flag("--dump").map(PathBuf::from);
    let mut ext = ExtractionConfig::default();
    let mut pol = PolarityConfig::default();
    if let Some(n) = flag("--iterations") {
        ext.max_iterations = n.parse()?;
    }
    if let Some(c) = flag("--c2") {
        ext.c2 = c.parse()?;
    }
    if let Some(c) = flag("--c") {
        pol.c = c.parse()?;
    }
    let root = PathBuf::from(std::env::var("JOURNEY_DATA").unwrap_or("../shared/data".into()));
    let analyzer = SentimentIntensityAnalyzer::new(
        VaderLexicon::from_file(&root.join("lexicons/vader_lexicon.txt"))?,
        EmojiLexicon::default(),
        VaderConfig::default(),
    );
    if let Some(d) = &dump {
        std::fs::create_dir_all(d)?;
    }
    for domain in ["Restaurants", "Laptops"] {
        let dir = root.join("sentiment/semeval2014_absa");
        let train = read_semeval(&dir.join(format!("{domain}_Train.xml")))?;
        let test = read_semeval(&dir.join(format!("{domain}_Test_Gold.xml")))?;

        let t = Instant::now();
        let sentences = train_sentences(&train, &ext);
        let crf_features = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let tagger = AspectTagger::fit_sentences(&train, &sentences, &ext)?;
        let crf_train = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let test_attrs: Vec<_> = test.iter().map(|s| tagger.attributes_of(&s.text)).collect();
        let crf_test_features = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let extraction = tagger.evaluate(&test);
        let crf_predict = t.elapsed().as_secs_f64();

        let t = Instant::now();
        let train_rows = term_features(&analyzer, &train, pol.window);
        let test_rows = term_features(&analyzer, &test, pol.window);
        let pol_features = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let polarity = AspectPolarity::fit_rows(&train_rows, &pol)?;
        let pol_train = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let (feats, gold): (Vec<_>, Vec<_>) = test_rows.iter().cloned().unzip();
        let predicted = polarity.predict_rows(&feats)?;
        let pol_predict = t.elapsed().as_secs_f64();
        let pscores = polarity_scores(&gold, &predicted);

        let baseline = evaluate(&train, &test, &analyzer, &AbsaConfig::default());
        let out = json!({
            "domain": domain,
            "extraction": extraction,
            "crf_iterations": tagger.crf.iterations,
            "crf_attributes": tagger.attributes.len(),
            "crf_objective": tagger.objective,
            "polarity": pscores,
            "polarity_iterations": polarity.model.n_iter,
            "polarity_features": polarity.vocabulary.len(),
            "seconds": {
                "crf_train_features": crf_features,
                "crf_train": crf_train,
                "crf_test_features": crf_test_features,
                "crf_predict_with_features": crf_predict,
                "polarity_features": pol_features,
                "polarity_train": pol_train,
                "polarity_predict": pol_predict,
            },
            "baseline": {
                "official_f1": baseline.official_baseline.f1,
                "gazetteer_f1": baseline.gazetteer.f1,
                "vader_window_accuracy": baseline.polarity_accuracy,
                "majority_accuracy": baseline.majority_accuracy,
            },
        });
        println!("{out}");

        if let Some(d) = &dump {
            let mut f = std::io::BufWriter::new(std::fs::File::create(
                d.join(format!("{domain}_crf_train.jsonl")),
            )?);
            for s in &sentences {
                let labels: Vec<&str> = s.labels.iter().map(|&l| LABELS[l as usize]).collect();
                writeln!(f, "{}", json!({"attrs": s.attributes, "labels": labels}))?;
            }
            let mut f = std::io::BufWriter::new(std::fs::File::create(
                d.join(format!("{domain}_crf_test.jsonl")),
            )?);
            for (s, (tokens, attrs)) in test.iter().zip(&test_attrs) {
                let offsets: Vec<[usize; 2]> = tokens.iter().map(|t| [t.from, t.to]).collect();
                writeln!(
                    f,
                    "{}",
                    json!({"id": s.id, "tokens": offsets, "attrs": attrs})
                )?;
            }
            for (name, rows) in [("train", &train_rows), ("test", &test_rows)] {
                let mut f = std::io::BufWriter::new(std::fs::File::create(
                    d.join(format!("{domain}_polarity_{name}.jsonl")),
                )?);
                for (feats, y) in rows.iter() {
                    writeln!(f, "{}", json!({"f": feats, "y": y}))?;
                }
            }
        }
    }
    Ok(())
}
