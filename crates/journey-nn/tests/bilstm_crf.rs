//! BiLSTM-CRF on real CoNLL-2003 sentences: a tiny model on ~200 training
//! sentences learns (loss falls, F1 on them rises far above the all-`O`
//! baseline's 0), save/load gives the same predictions, bad files are
//! refused with a clear error.

use journey_ml::conlleval::evaluate;
use journey_nn::bilstm_crf::{read_corpus, BilstmCrf, BilstmCrfConfig, NerFitConfig};

fn tiny() -> BilstmCrfConfig {
    BilstmCrfConfig {
        word_dim: 16,
        char_dim: 8,
        char_filters: 8,
        casing_dim: 4,
        hidden_size: 16,
        dropout: 0.1,
        ..Default::default()
    }
}

#[test]
fn tiny_bilstm_crf_learns_conll_and_round_trips() {
    let Some(path) = journey_data::testdata::file("ner/conll2003/eng.train") else {
        return;
    };
    let all = read_corpus(&path).unwrap();
    let train: Vec<_> = all
        .into_iter()
        .filter(|s| s.words.len() >= 2)
        .take(200)
        .collect();
    let (mut model, _) = BilstmCrf::new(tiny(), &train, &[], None, 3).unwrap();
    let gold: Vec<Vec<String>> = train.iter().map(|s| s.tags.clone()).collect();
    let all_o: Vec<Vec<&str>> = gold.iter().map(|g| vec!["O"; g.len()]).collect();
    assert_eq!(evaluate(&gold, &all_o).unwrap().overall.f1, 0.0);
    let before = model.evaluate(&train).unwrap().overall.f1;
    let runs = tempfile::tempdir().unwrap();
    let report = model
        .fit(
            &train,
            &train,
            &NerFitConfig {
                epochs: 12,
                batch_size: 16,
                lr: 0.01,
                patience: 100,
                runs_dir: runs.path().to_path_buf(),
                quiet: true,
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let first: f64 = report.losses[..5].iter().map(|l| l.1).sum::<f64>() / 5.0;
    let n = report.losses.len();
    let last: f64 = report.losses[n - 5..].iter().map(|l| l.1).sum::<f64>() / 5.0;
    assert!(last < 0.5 * first, "loss {first} -> {last}");
    let after = model.evaluate(&train).unwrap();
    assert!(
        after.overall.f1 > 0.5 && after.overall.f1 > before + 0.3,
        "training F1 {before} -> {}",
        after.overall.f1
    );

    let file = runs.path().join("ner.safetensors");
    model.save(&file).unwrap();
    let loaded = BilstmCrf::load(&file).unwrap();
    let words: Vec<Vec<String>> = train.iter().map(|s| s.words.clone()).collect();
    let mut unseen = words[..20].to_vec();
    unseen.push(vec!["Zyxwv".into(), "ünïcödé".into(), "1234".into()]);
    assert_eq!(
        model.predict(&unseen).unwrap(),
        loaded.predict(&unseen).unwrap()
    );
    assert_eq!(loaded.evaluate(&train).unwrap(), after);
}

#[test]
fn bad_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.conll");
    std::fs::write(&empty, "-DOCSTART- -X- O O\n\n").unwrap();
    let err = read_corpus(&empty).unwrap_err().to_string();
    assert!(
        err.contains("empty.conll") && err.contains("no sentences"),
        "{err}"
    );

    let bad = dir.path().join("bad.conll");
    std::fs::write(
        &bad,
        "EU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP X-PER\n",
    )
    .unwrap();
    let err = read_corpus(&bad).unwrap_err().to_string();
    assert!(
        err.contains("bad.conll:4") && err.contains("X-PER"),
        "{err}"
    );

    // A dev tag the training set never had cannot be trained on.
    let train = dir.path().join("train.conll");
    std::fs::write(&train, "EU NNP I-NP I-ORG\nrejects VBZ I-VP O\n").unwrap();
    let dev = dir.path().join("dev.conll");
    std::fs::write(&dev, "Peter NNP I-NP I-PER\n").unwrap();
    let (train, dev) = (read_corpus(&train).unwrap(), read_corpus(&dev).unwrap());
    let (mut model, _) = BilstmCrf::new(tiny(), &train, &[], None, 1).unwrap();
    let err = model
        .fit(
            &dev,
            &train,
            &NerFitConfig {
                epochs: 1,
                runs_dir: dir.path().to_path_buf(),
                quiet: true,
                ..Default::default()
            },
            None,
        )
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("S-PER") && err.contains("line 1"), "{err}");
    assert!(BilstmCrf::load(&dir.path().join("missing.safetensors")).is_err());
}
