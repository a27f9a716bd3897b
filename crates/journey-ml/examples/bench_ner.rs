//! NER benchmark: train a CRF or averaged perceptron on CoNLL-2003 eng.train
//! (or WNUT-17 train), report training time, conlleval F1 on the dev and test
//! sets and tagging speed in tokens/s.
//!
//! `cargo run --release -p journey-ml --example bench_ner -- [crf|perceptron]
//!  [conll|wnut] [ITERATIONS_OR_EPOCHS] [C2] [--columns]`
//! (data from `JOURNEY_DATA`, default `../shared/data`). Compare with
//! `tools/reference/bench_ner.py` (python-crfsuite, same features).

use std::path::PathBuf;
use std::time::Instant;

use journey_ml::ner_corpus::read_ner;
use journey_ml::ner_tagger::{ModelKind, NerTagger, NerTrainConfig, Progress};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let columns = args.iter().any(|a| a == "--columns");
    let args: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let model = args.first().map_or("crf", |s| s.as_str());
    let corpus = args.get(1).map_or("conll", |s| s.as_str());
    let iters: Option<usize> = args.get(2).map(|s| s.parse()).transpose()?;
    let c2: Option<f64> = args.get(3).map(|s| s.parse()).transpose()?;
    let root = PathBuf::from(std::env::var("JOURNEY_DATA").unwrap_or("../shared/data".into()));
    let (train, dev, test) = match corpus {
        "wnut" => (
            "ner/wnut17/wnut17train.conll",
            "ner/wnut17/emerging.dev.conll",
            "ner/wnut17/emerging.test.annotated",
        ),
        _ => (
            "ner/conll2003/eng.train",
            "ner/conll2003/eng.testa",
            "ner/conll2003/eng.testb",
        ),
    };
    let t0 = Instant::now();
    let train = read_ner(&root.join(train))?;
    let dev = read_ner(&root.join(dev))?;
    let test = read_ner(&root.join(test))?;
    eprintln!("read in {:.2}s", t0.elapsed().as_secs_f64());
    let mut cfg = NerTrainConfig {
        model: if model == "perceptron" {
            ModelKind::Perceptron
        } else {
            ModelKind::Crf
        },
        ..Default::default()
    };
    cfg.features.use_columns = columns;
    if let Some(n) = iters {
        cfg.crf.max_iterations = n;
        cfg.perceptron.epochs = n;
    }
    if let Some(c) = c2 {
        cfg.crf.c2 = c;
    }
    let t0 = Instant::now();
    let tagger = NerTagger::fit(&train, Some(&dev), &cfg, None, None, |p, _| {
        match p {
            Progress::CrfIteration(k, fx) => {
                if k % 10 == 0 {
                    eprintln!(
                        "iter {k} loss {fx:.2} at {:.1}s",
                        t0.elapsed().as_secs_f64()
                    )
                }
            }
            Progress::PerceptronEpoch(k, f1) => eprintln!("epoch {k} dev F1 {f1:?}"),
        }
        Ok(())
    })?;
    let train_s = t0.elapsed().as_secs_f64();
    let dev_eval = tagger.evaluate(&dev)?;
    let tokens: usize = test.iter().map(|s| s.words.len()).sum();
    let t1 = Instant::now();
    let test_eval = tagger.evaluate(&test)?;
    let tag_s = t1.elapsed().as_secs_f64();
    let t2 = Instant::now();
    for s in &test {
        std::hint::black_box(tagger.predict(&s.words, &s.extra));
    }
    let tag1_s = t2.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "model": model, "corpus": corpus, "iterations": iters, "c2": cfg.crf.c2,
            "columns": columns,
            "attributes": tagger.attributes.len(),
            "train_seconds": train_s,
            "dev_f1": dev_eval.overall.f1, "test_f1": test_eval.overall.f1,
            "test_precision": test_eval.overall.precision, "test_recall": test_eval.overall.recall,
            "tag_tokens_per_s_parallel": tokens as f64 / tag_s,
            "tag_tokens_per_s_1thread": tokens as f64 / tag1_s,
            "threads": rayon::current_num_threads(),
        })
    );
    eprint!("{}", test_eval.table());
    Ok(())
}
