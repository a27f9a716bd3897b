//! Trains the BiLSTM-CRF tagger on CoNLL-2003 English (train → eng.train,
//! dev F1 per epoch on eng.testa, test F1 on eng.testb at the end) with
//! GloVe 6B 50d word vectors.
//!
//! cargo run --release -p journey-nn --example train_conll -- \
//!     [--data /work/shared/data/ner/conll2003] [--minutes 10 | --epochs 30] \
//!     [--batch-size 32] [--lr 0.002] [--hidden 100] [--seed 1] [--save model.safetensors]

use std::path::PathBuf;
use std::time::Instant;

use journey_nn::bilstm_crf::{read_corpus, BilstmCrf, BilstmCrfConfig, NerFitConfig};

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    journey_nn::allocator::keep_freed_memory();
    let args: Vec<String> = std::env::args().collect();
    let data = PathBuf::from(
        flag(&args, "--data").unwrap_or_else(|| "/work/shared/data/ner/conll2003".into()),
    );
    let minutes: Option<f64> = flag(&args, "--minutes").map(|s| s.parse()).transpose()?;
    let epochs: u64 = flag(&args, "--epochs")
        .map_or(Ok(if minutes.is_some() { 1000 } else { 30 }), |s| s.parse())?;
    let batch_size: usize = flag(&args, "--batch-size").map_or(Ok(32), |s| s.parse())?;
    let lr: f64 = flag(&args, "--lr").map_or(Ok(2e-3), |s| s.parse())?;
    let hidden: usize = flag(&args, "--hidden").map_or(Ok(100), |s| s.parse())?;
    let seed: u64 = flag(&args, "--seed").map_or(Ok(1), |s| s.parse())?;

    let train = read_corpus(&data.join("eng.train"))?;
    let dev = read_corpus(&data.join("eng.testa"))?;
    let test = read_corpus(&data.join("eng.testb"))?;
    let glove_dir = journey_embed::pretrained::glove_6b_50d_dir().ok_or("no models folder")?;
    let glove = journey_embed::pretrained::load_glove_npy_parquet(&glove_dir)?;
    let (mut model, hits) = BilstmCrf::new(
        BilstmCrfConfig {
            hidden_size: hidden,
            ..Default::default()
        },
        &train,
        &[&dev, &test],
        Some(&glove),
        seed,
    )?;
    drop(glove);
    println!(
        "{} train / {} dev / {} test sentences; {} words ({} with GloVe vectors), {} tags; threads {}",
        train.len(),
        dev.len(),
        test.len(),
        model.word_vocab().len(),
        hits,
        model.labels().len(),
        rayon::current_num_threads()
    );
    let runs = tempfile_dir();
    let fit = NerFitConfig {
        epochs,
        batch_size,
        lr,
        seed,
        max_minutes: minutes,
        runs_dir: runs.clone(),
        run_name: "conll".into(),
        quiet: true,
        verbose: true,
        ..Default::default()
    };
    let t0 = Instant::now();
    let report = model.fit(&train, &dev, &fit, None)?;
    let secs = t0.elapsed().as_secs_f64();
    let best = report
        .evals
        .iter()
        .map(|(_, m)| m["f1"])
        .fold(0.0, f64::max);
    let r = model.evaluate(&test)?;
    println!(
        "{} evaluations ({} steps) in {:.0} s; best dev F1 {:.2}; test F1 {:.2} (P {:.2} R {:.2})",
        report.evals.len(),
        report.state.step,
        secs,
        100.0 * best,
        100.0 * r.overall.f1,
        100.0 * r.overall.precision,
        100.0 * r.overall.recall
    );
    if let Some(p) = flag(&args, "--save") {
        model.save(std::path::Path::new(&p))?;
        println!("saved {p}");
    }
    let _ = std::fs::remove_dir_all(&runs);
    Ok(())
}

fn tempfile_dir() -> PathBuf {
    std::env::temp_dir().join(format!("journey-train-conll-{}", std::process::id()))
}
