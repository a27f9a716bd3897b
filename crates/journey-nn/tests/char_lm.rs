//! The character LSTM language model on Tiny Shakespeare (a small slice).

use journey_nn::char_lm::{
    train_val_split, unigram_entropy, CharLm, CharLmConfig, CharLmFitConfig, CharVocab, Streams,
};
use journey_nn::rng::Rng;

/// The first `n` characters of Tiny Shakespeare.
fn shakespeare(n: usize) -> Option<String> {
    let path = journey_data::testdata::file("corpora/tinyshakespeare/input.txt")?;
    let text = std::fs::read_to_string(path).unwrap();
    Some(text.chars().take(n).collect())
}

fn tiny() -> CharLmConfig {
    CharLmConfig {
        embedding_dim: 16,
        hidden_size: 64,
        num_layers: 1,
        dropout: 0.0,
    }
}

fn fit_config(dir: &std::path::Path, steps: u64) -> CharLmFitConfig {
    CharLmFitConfig {
        batch_size: 16,
        window: 32,
        max_steps: Some(steps),
        lr: 1e-2,
        eval_every: None,
        runs_dir: dir.to_path_buf(),
        run_name: "t".into(),
        quiet: true,
        seed: 3,
        ..Default::default()
    }
}

#[test]
fn vocabulary_split_and_streams() {
    let v = CharVocab::build("hello").unwrap();
    assert_eq!(v.len(), 5); // unk + e h l o
    assert_eq!(v.encode("hex"), vec![2, 1, 0]);
    assert_eq!(v.decode(&[2, 1, 3, 3, 4]), "hello");
    assert!(CharVocab::build("").is_err());
    let (a, b) = train_val_split("0123456789");
    assert_eq!((a, b), ("012345678", "9"));
    // two streams of 5: rows 0..5 and 5..10, window 2 → 2 windows
    let ids: Vec<u32> = (0..11).collect();
    let s = Streams::new(&ids, 2, 2).unwrap();
    assert_eq!(s.windows(), 2);
    let (x, y) = s.window(1).unwrap();
    assert_eq!(x.to_vec2::<u32>().unwrap(), vec![vec![2, 3], vec![7, 8]]);
    assert_eq!(y.to_vec2::<u32>().unwrap(), vec![vec![3, 4], vec![8, 9]]);
    assert!(Streams::new(&ids, 4, 2).is_err());
    // uniform over 4 symbols: ln 4
    assert!((unigram_entropy(&[0, 1, 2, 3]) - 4f64.ln()).abs() < 1e-12);
}

/// A context-free model cannot beat the unigram entropy of the text it is
/// scored on; after a few dozen steps the LSTM does on held-out text, so it
/// uses the preceding characters. At the start its loss is near ln V
/// (small logits), far above that entropy.
#[test]
fn loss_falls_below_the_unigram_entropy_on_held_out_text() {
    let Some(text) = shakespeare(40_000) else {
        return;
    };
    let (train, val) = train_val_split(&text);
    let vocab = CharVocab::build(train).unwrap();
    let model = CharLm::new(tiny(), vocab.clone(), 7).unwrap();
    let val_ids = vocab.encode(val);
    let h = unigram_entropy(&val_ids);
    let before = model.evaluate_ids(&val_ids, 16, 32, None).unwrap()["loss"];
    assert!(
        (before - (vocab.len() as f64).ln()).abs() < 0.5,
        "initial loss {before} vs ln V"
    );
    let dir = tempfile::tempdir().unwrap();
    let report = model.fit(train, val, &fit_config(dir.path(), 60)).unwrap();
    assert_eq!(report.losses.len(), 60);
    let after = model.evaluate_ids(&val_ids, 16, 32, None).unwrap();
    eprintln!(
        "val loss {before:.3} -> {:.3}, unigram entropy {h:.3}",
        after["loss"]
    );
    assert!(
        after["loss"] < h,
        "val loss {} >= unigram entropy {h}",
        after["loss"]
    );
    assert!((after["bpc"] - after["loss"] / std::f64::consts::LN_2).abs() < 1e-9);
}

#[test]
fn same_seed_same_samples_and_save_load_round_trip() {
    let Some(text) = shakespeare(12_000) else {
        return;
    };
    let (train, val) = train_val_split(&text);
    let vocab = CharVocab::build(train).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let train_and_sample = |seed: u64, run: &str| {
        let model = CharLm::new(tiny(), vocab.clone(), 1).unwrap();
        let mut c = fit_config(dir.path(), 5);
        c.run_name = run.into();
        model.fit(train, val, &c).unwrap();
        let s = model
            .sample("ROMEO:", 80, 0.8, Some(10), &mut Rng::seed(seed))
            .unwrap();
        (model, s)
    };
    let (model, a) = train_and_sample(11, "a");
    let (_, b) = train_and_sample(11, "b");
    assert_eq!(a, b);
    assert_eq!(a.chars().count(), 80);
    let c = model
        .sample("ROMEO:", 80, 0.8, Some(10), &mut Rng::seed(12))
        .unwrap();
    assert_ne!(a, c, "another seed should give another sample");
    // top_k = 1 is greedy: independent of the seed
    let g1 = model
        .sample("KING", 30, 1.0, Some(1), &mut Rng::seed(1))
        .unwrap();
    let g2 = model
        .sample("KING", 30, 1.0, Some(1), &mut Rng::seed(2))
        .unwrap();
    assert_eq!(g1, g2);
    assert!(model.sample("x", 3, 0.0, None, &mut Rng::seed(1)).is_err());

    let path = dir.path().join("lm.safetensors");
    model.save(&path).unwrap();
    let loaded = CharLm::load(&path).unwrap();
    assert_eq!(loaded.vocab(), model.vocab());
    assert_eq!(loaded.config(), model.config());
    let ids = candle_core::Tensor::from_vec(
        vocab.encode("To be, or not"),
        (1, 13),
        &candle_core::Device::Cpu,
    )
    .unwrap();
    let (l1, _) = model.forward(&ids, None, None).unwrap();
    let (l2, _) = loaded.forward(&ids, None, None).unwrap();
    let (l1, l2) = (
        l1.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
        l2.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
    );
    assert_eq!(l1, l2);
    let mut rng = Rng::seed(5);
    assert_eq!(
        loaded.sample("A", 40, 1.0, None, &mut rng).unwrap(),
        model.sample("A", 40, 1.0, None, &mut Rng::seed(5)).unwrap()
    );
    // a file that is not a char LM is refused with its path
    std::fs::write(dir.path().join("bad"), b"nope").unwrap();
    let err = CharLm::load(&dir.path().join("bad"))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("bad"), "{err}");
}
