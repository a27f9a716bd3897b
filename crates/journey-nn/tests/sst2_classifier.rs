//! The BiLSTM classifier learns SST-2: one epoch over the 67,349 training
//! phrases, word vectors from GloVe 6B 50d, scored on the 872 dev sentences.
//! A bag-of-words logistic regression gets about 0.80 on this split
//! (scikit-learn, crates/journey-ml/tests/classifiers.rs); the issue asks
//! 0.83 of the full run (`examples/train_sst2.rs`, best of 4 epochs:
//! 0.8326), which one epoch nearly reaches. The PyTorch model of the same
//! architecture (`tools/reference/sst2_nn_torch.py`) gets 0.80–0.82 after
//! its first epoch.

mod common;

use journey_nn::neural_classifier::{
    FitConfig, Labelled, NeuralClassifier, NeuralClassifierConfig, Tokenization,
};

fn required() -> bool {
    std::env::var("JOURNEY_REQUIRE_DATA").is_ok_and(|v| v == "1")
}

fn read(rel: &str) -> Option<(Vec<String>, Vec<u32>)> {
    let path = common::data_file(rel)?;
    let text = std::fs::read_to_string(path).unwrap();
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let (l, t) = line.split_once('\t').unwrap();
        ys.push(l.parse().unwrap());
        xs.push(t.to_string());
    }
    Some((xs, ys))
}

#[test]
fn bilstm_learns_sst2_in_one_epoch() {
    let (Some((train_x, train_y)), Some((dev_x, dev_y))) = (
        read("classification/sst2/train.tsv"),
        read("classification/sst2/dev.tsv"),
    ) else {
        return;
    };
    let Some(dir) =
        journey_embed::pretrained::glove_6b_50d_dir().filter(|d| d.join("vectors.npy").exists())
    else {
        assert!(
            !required(),
            "JOURNEY_REQUIRE_DATA=1 but GloVe 6B 50d is missing; run shared/bin/fetch-models glove"
        );
        return;
    };
    let glove = journey_embed::pretrained::load_glove_npy_parquet(&dir).unwrap();
    let config = NeuralClassifierConfig {
        tokenization: Tokenization::Whitespace,
        ..Default::default()
    };
    let (mut model, hits) = NeuralClassifier::new(
        config,
        vec!["0".into(), "1".into()],
        &train_x,
        Some(&glove),
        1,
    )
    .unwrap();
    // 14,819 training words; all but the rare and misspelt have a vector.
    assert!(hits > 13_000, "{hits}");
    let runs = tempfile::tempdir().unwrap();
    let fit = FitConfig {
        epochs: 1,
        runs_dir: runs.path().to_path_buf(),
        quiet: true,
        ..Default::default()
    };
    let train = Labelled {
        texts: &train_x,
        labels: &train_y,
    };
    let dev = Labelled {
        texts: &dev_x,
        labels: &dev_y,
    };
    let report = model.fit(&train, &dev, &fit, None).unwrap();
    let first = report.losses.first().unwrap().1;
    let last = report.losses.last().unwrap().1;
    let acc = model.evaluate(&dev).unwrap()["accuracy"];
    println!("SST-2 BiLSTM, one epoch: loss {first:.4} -> {last:.4}, dev accuracy {acc:.4}");
    assert!(first > 0.6 && last < 0.5, "loss {first} -> {last}");
    assert!(acc >= 0.80, "dev accuracy {acc}");

    // The saved model predicts exactly what the fitted one does.
    let path = runs.path().join("model.safetensors");
    model.save(&path).unwrap();
    let back = NeuralClassifier::load(&path).unwrap();
    assert_eq!(
        back.predict(&dev_x).unwrap(),
        model.predict(&dev_x).unwrap()
    );
}
