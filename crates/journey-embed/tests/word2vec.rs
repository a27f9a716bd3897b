//! word2vec on a real slice: WikiText-2 validation (about 200k tokens,
//! ASCII-lowercased, punctuation to spaces, as the benchmark prepares it).
//! Same seed and one thread → bit-identical vectors; the trained vectors
//! rank WordSim-353 pairs far better than their random initialisation
//! (floors below justified by measurement, see the asserts); the vectors
//! written in both word2vec formats read back bit-exactly.

mod common;

use journey_embed::evaluation::evaluate_word_pairs;
use journey_embed::vector_files::{read_vectors, write_vectors};
use journey_embed::word2vec::{train, Word2VecConfig};
use journey_embed::VectorFormat;

fn corpus() -> Option<String> {
    common::prepared("corpora/wikitext-2/valid.txt")
}

fn cfg(sg: bool, hs: bool, epochs: usize) -> Word2VecConfig {
    Word2VecConfig {
        sg,
        hs,
        negative: if hs { 0 } else { 5 },
        dim: 50,
        epochs,
        threads: 1,
        seed: 7,
        ..Word2VecConfig::default()
    }
}

#[test]
fn same_seed_same_vectors_and_files_round_trip() {
    let Some(text) = corpus() else { return };
    let a = train(&text, &cfg(true, false, 1)).unwrap();
    let b = train(&text, &cfg(true, false, 1)).unwrap();
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(a.vectors.data()), bits(b.vectors.data()));
    let c = train(
        &text,
        &Word2VecConfig {
            seed: 8,
            ..cfg(true, false, 1)
        },
    )
    .unwrap();
    assert_ne!(bits(a.vectors.data()), bits(c.vectors.data()));

    let dir = tempfile::tempdir().unwrap();
    for fmt in [VectorFormat::Text, VectorFormat::Binary] {
        let p = dir.path().join("v");
        write_vectors(&a.vectors, &p, fmt).unwrap();
        let back = read_vectors(&p).unwrap();
        assert_eq!(back.words(), a.vectors.words());
        assert_eq!(bits(back.data()), bits(a.vectors.data()), "{fmt:?}");
    }
}

#[test]
fn trained_vectors_beat_their_initialisation_on_wordsim() {
    let Some(text) = corpus() else { return };
    let Some(ws) = journey_data::testdata::file("eval/word_vectors/wordsim353.tsv") else {
        return;
    };
    // Zero epochs is not allowed; the initial vectors are those of a model
    // trained with a learning rate too small to move them.
    let init = train(
        &text,
        &Word2VecConfig {
            alpha: 1e-12,
            min_alpha: 1e-12,
            ..cfg(true, false, 1)
        },
    )
    .unwrap();
    let rho0 = evaluate_word_pairs(&init.vectors, &ws, 300_000)
        .unwrap()
        .spearman;
    // Measured (2 epochs, dim 50, seed 7): skip-gram NS 0.119, skip-gram HS
    // 0.138, initial vectors -0.016 over 131 pairs; gensim 4.4 skip-gram gets
    // 0.107 on 7x this corpus (bench_word2vec), so small-corpus ρ is low.
    // CBOW learns too little in 2 epochs of 200k tokens for a floor here.
    for (sg, hs) in [(true, false), (true, true)] {
        let m = train(&text, &cfg(sg, hs, 2)).unwrap();
        let r = evaluate_word_pairs(&m.vectors, &ws, 300_000).unwrap();
        eprintln!(
            "sg={sg} hs={hs}: wordsim rho {:.4} over {} pairs (init {rho0:.4})",
            r.spearman, r.pairs
        );
        assert!(r.pairs > 120, "{} pairs", r.pairs);
        assert!(
            r.spearman > rho0 + 0.07,
            "sg={sg} hs={hs} rho {} vs init {rho0}",
            r.spearman
        );
    }
    assert!(rho0.abs() < 0.2, "init rho {rho0}");
}

#[test]
fn bad_settings_and_empty_corpus_are_errors() {
    let bad = train(
        "a b c a b c a b c a b c a b c",
        &Word2VecConfig {
            dim: 0,
            ..Word2VecConfig::default()
        },
    );
    assert!(bad.unwrap_err().to_string().contains("--dim"));
    let empty = train("   \n", &Word2VecConfig::default());
    assert!(empty.unwrap_err().to_string().contains("no word occurs"));
}

/// A run stopped after one epoch and resumed from its checkpoint ends with
/// the same bits as an uninterrupted run (one thread); a checkpoint made with
/// other settings, on another corpus, or truncated is refused by name.
#[test]
fn checkpoint_resume_equals_uninterrupted_training() {
    use journey_embed::word2vec::{train_controlled, TrainControl};
    let Some(text) = corpus() else { return };
    let cfg = Word2VecConfig {
        dim: 20,
        ..cfg(false, false, 3)
    };
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let straight = train(&text, &cfg).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ck = dir.path().join("w2v.safetensors");
    let first = train_controlled(
        &text,
        &cfg,
        &TrainControl {
            checkpoint: Some(&ck),
            resume: true,
            stop_after: Some(1),
        },
    )
    .unwrap();
    assert_eq!(first.epochs_done, 1);
    assert_ne!(bits(first.vectors.data()), bits(straight.vectors.data()));
    let resumed = train_controlled(
        &text,
        &cfg,
        &TrainControl {
            checkpoint: Some(&ck),
            resume: true,
            stop_after: None,
        },
    )
    .unwrap();
    assert_eq!(resumed.epochs_done, 3);
    assert_eq!(bits(resumed.vectors.data()), bits(straight.vectors.data()));

    let resume = TrainControl {
        checkpoint: Some(&ck),
        resume: true,
        stop_after: None,
    };
    let other = Word2VecConfig {
        window: 3,
        ..cfg.clone()
    };
    let e = train_controlled(&text, &other, &resume)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("other settings") && e.contains("w2v.safetensors"),
        "{e}"
    );
    let half: String = text.lines().take(2000).map(|l| format!("{l}\n")).collect();
    let e = train_controlled(&half, &cfg, &resume)
        .unwrap_err()
        .to_string();
    assert!(e.contains("another corpus"), "{e}");
    let bytes = std::fs::read(&ck).unwrap();
    std::fs::write(&ck, &bytes[..bytes.len() / 2]).unwrap();
    let e = train_controlled(&text, &cfg, &resume)
        .unwrap_err()
        .to_string();
    assert!(e.contains("w2v.safetensors"), "{e}");
}
