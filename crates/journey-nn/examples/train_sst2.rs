//! Trains the BiLSTM or text CNN classifier on SST-2 (GLUE train phrases,
//! dev sentences) with GloVe 6B 50d, printing dev accuracy per epoch and the
//! training time — our side of `tools/reference/sst2_nn_torch.py`.
//!
//! `cargo run --release -p journey-nn --example train_sst2 -- --data ../shared/data
//!  --glove ~/.cache/journey/models/glove-6b-50d --model bilstm [--epochs 3]
//!  [--limit N] [--hidden 128] [--lr 1e-3] [--seed 1]`

use std::path::PathBuf;
use std::time::Instant;

use journey_nn::neural_classifier::{
    Architecture, FitConfig, Labelled, NeuralClassifier, NeuralClassifierConfig, Tokenization,
};

fn read(path: &PathBuf, limit: usize) -> (Vec<String>, Vec<u32>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut texts = Vec::new();
    let mut labels = Vec::new();
    for line in text.lines().skip(1) {
        let (l, t) = line.split_once('\t').expect("label<TAB>text");
        labels.push(l.parse().expect("0 or 1"));
        texts.push(t.to_string());
        if limit > 0 && texts.len() == limit {
            break;
        }
    }
    (texts, labels)
}

fn main() {
    journey_nn::allocator::keep_freed_memory();
    let args: Vec<String> = std::env::args().collect();
    let get = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .map(|i| args[i + 1].clone())
    };
    let data = PathBuf::from(get("--data").expect("--data"));
    let glove = get("--glove").map(PathBuf::from);
    let arch = match get("--model").as_deref() {
        Some("textcnn") => Architecture::Textcnn,
        _ => Architecture::Bilstm,
    };
    let limit: usize = get("--limit").map_or(0, |v| v.parse().unwrap());
    let (train_x, train_y) = read(&data.join("classification/sst2/train.tsv"), limit);
    let (dev_x, dev_y) = read(&data.join("classification/sst2/dev.tsv"), 0);
    let pretrained = glove.map(|d| journey_embed::pretrained::load_glove_npy_parquet(&d).unwrap());
    let config = NeuralClassifierConfig {
        architecture: arch,
        tokenization: Tokenization::Whitespace,
        hidden_size: get("--hidden").map_or(128, |v| v.parse().unwrap()),
        embedding_dropout: get("--emb-dropout").map_or(0.25, |v| v.parse().unwrap()),
        freeze_embeddings: args.iter().any(|a| a == "--freeze"),
        dropout: get("--dropout").map_or(0.5, |v| v.parse().unwrap()),
        filters: get("--filters").map_or(100, |v| v.parse().unwrap()),
        widths: get("--widths").map_or(vec![3, 4, 5], |v| {
            v.split(',').map(|w| w.parse().unwrap()).collect()
        }),
        ..Default::default()
    };
    let seed = get("--seed").map_or(1, |v| v.parse().unwrap());
    let (mut model, hits) = NeuralClassifier::new(
        config,
        vec!["0".into(), "1".into()],
        &train_x,
        pretrained.as_ref(),
        seed,
    )
    .unwrap();
    eprintln!(
        "vocabulary {} words, {hits} with a GloVe vector",
        model.vocab().len()
    );
    let runs = tempfile_dir();
    let fit = FitConfig {
        epochs: get("--epochs").map_or(3, |v| v.parse().unwrap()),
        lr: get("--lr").map_or(1e-3, |v| v.parse().unwrap()),
        weight_decay: get("--weight-decay").map_or(0.0, |v| v.parse().unwrap()),
        seed,
        runs_dir: runs.clone(),
        run_name: "sst2".into(),
        ..Default::default()
    };
    let start = Instant::now();
    let report = model
        .fit(
            &Labelled {
                texts: &train_x,
                labels: &train_y,
            },
            &Labelled {
                texts: &dev_x,
                labels: &dev_y,
            },
            &fit,
            None,
        )
        .unwrap();
    let seconds = start.elapsed().as_secs_f64();
    for (step, m) in &report.evals {
        println!(
            "step {step} dev accuracy {:.4} loss {:.4}",
            m["accuracy"], m["loss"]
        );
    }
    let best = model
        .evaluate(&Labelled {
            texts: &dev_x,
            labels: &dev_y,
        })
        .unwrap();
    let tokens: usize = train_x.iter().map(|t| t.split_whitespace().count()).sum();
    println!(
        "{{\"model\": \"{:?}\", \"best_dev_accuracy\": {:.4}, \"train_seconds\": {seconds:.1}, \"epochs_run\": {}, \"tokens_per_epoch\": {tokens}}}",
        arch,
        best["accuracy"],
        report.evals.len()
    );
    let _ = std::fs::remove_dir_all(runs);
}

fn tempfile_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("journey-sst2-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}
