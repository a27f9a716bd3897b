//! Seq2seq with attention: search correctness (beam 1 = greedy, a wide
//! beam = exhaustive enumeration), padding invariance of the attention,
//! overfitting real Multi30k pairs through the trainer, model files, errors.

use candle_core::{Device, Tensor};
use journey_nn::batching::pad_batch;
use journey_nn::beam_search::{length_penalty, BeamConfig};
use journey_nn::recurrent::CellKind;
use journey_nn::seq2seq::{ParallelText, Seq2Seq, Seq2SeqConfig, Seq2SeqFitConfig, BOS, EOS};
use journey_nn::vocab::{Vocab, PAD};
use journey_nn::NnError;

fn tiny_config(cell: CellKind) -> Seq2SeqConfig {
    Seq2SeqConfig {
        cell,
        embedding_dim: 8,
        hidden_size: 8,
        attention_dim: 6,
        dropout: 0.0,
        ..Default::default()
    }
}

fn vocab(words: &[&str]) -> Vocab {
    let mut t: Vec<String> = ["<pad>", "<unk>", "<bos>", "<eos>"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    t.extend(words.iter().map(|s| s.to_string()));
    Vocab::from_tokens(t)
}

/// A random model whose source and target vocabularies are tiny.
fn tiny_model(cell: CellKind, seed: u64) -> Seq2Seq {
    Seq2Seq::with_vocabs(
        tiny_config(cell),
        vocab(&["a", "b", "c", "d", "e"]),
        vocab(&["x", "y"]),
        seed,
    )
    .unwrap()
}

/// Scores one target sequence by feeding it step by step.
fn sequence_log_prob(model: &Seq2Seq, src: &[u32], tgt: &[u32], ended: bool) -> f64 {
    let b = pad_batch(&[src], &[0], PAD).unwrap();
    let enc = model.encode(&b, None).unwrap();
    let mut state = enc.state.clone();
    let mut prev = BOS;
    let mut total = 0f64;
    let seq: Vec<u32> = tgt.iter().copied().chain(ended.then_some(EOS)).collect();
    for &tok in &seq {
        let e = model
            .embed_target(&Tensor::new(&[prev], &Device::Cpu).unwrap())
            .unwrap();
        let step = model
            .decoder_step(&e, &state, &enc.memory, &enc.lengths)
            .unwrap();
        let lp = candle_nn::ops::log_softmax(&model.logits(&step.features).unwrap(), 1)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        total += lp[0][tok as usize] as f64;
        state = step.state;
        prev = tok;
    }
    total
}

#[test]
fn beam_of_one_is_greedy() {
    for cell in [CellKind::Gru, CellKind::Lstm] {
        let model = tiny_model(cell, 11);
        let srcs: Vec<Vec<u32>> = vec![vec![4, 5, 6], vec![7], vec![8, 4, 4, 5, 6, 7], vec![5, 5]];
        let greedy = model.greedy_ids(&srcs, 7).unwrap();
        for (s, g) in srcs.iter().zip(&greedy) {
            let cfg = BeamConfig {
                beam_size: 1,
                alpha: 0.7,
                max_len: 7,
                n_best: 1,
            };
            let beam = model.beam_ids(s, &cfg).unwrap();
            assert_eq!(&beam[0].tokens, g, "{cell:?} source {s:?}");
        }
    }
}

#[test]
fn wide_beam_finds_the_exact_best_sequence() {
    // Target words: <unk> x y (EOS ends); max 4 tokens → 3^0+..+3^3 ended
    // sequences plus 3^4 cut ones, 121 in all.
    let allowed = [1u32, 4, 5];
    let max_len = 4;
    let mut all: Vec<(Vec<u32>, bool)> = Vec::new();
    let mut prefixes: Vec<Vec<u32>> = vec![vec![]];
    for len in 0..=max_len {
        for p in &prefixes {
            if len < max_len {
                all.push((p.clone(), true));
            } else {
                all.push((p.clone(), false));
            }
        }
        prefixes = prefixes
            .iter()
            .flat_map(|p| {
                allowed.iter().map(move |&t| {
                    let mut q = p.clone();
                    q.push(t);
                    q
                })
            })
            .collect();
    }
    assert_eq!(all.len(), 121);
    for (seed, alpha) in [(3u64, 0.0), (4, 0.6), (5, 1.5)] {
        let model = tiny_model(CellKind::Gru, seed);
        let src = vec![4u32, 6, 8, 5];
        let (mut best, mut best_score) = (None, f64::NEG_INFINITY);
        for (seq, ended) in &all {
            let lp = sequence_log_prob(&model, &src, seq, *ended);
            let len = seq.len() + usize::from(*ended);
            let score = lp / length_penalty(len, alpha);
            if score > best_score {
                best_score = score;
                best = Some((seq.clone(), *ended));
            }
        }
        let hyp = model
            .beam_ids(
                &src,
                &BeamConfig {
                    beam_size: 81,
                    alpha,
                    max_len,
                    n_best: 3,
                },
            )
            .unwrap();
        let (seq, ended) = best.unwrap();
        assert_eq!(
            (hyp[0].tokens.clone(), hyp[0].ended),
            (seq, ended),
            "alpha {alpha}"
        );
        assert!(
            (hyp[0].score - best_score).abs() < 1e-4,
            "{} vs {best_score}",
            hyp[0].score
        );
        assert!(hyp[1].score <= hyp[0].score && hyp[2].score <= hyp[1].score);
    }
}

#[test]
fn attention_ignores_source_padding() {
    let model = tiny_model(CellKind::Lstm, 7);
    let srcs: Vec<Vec<u32>> = vec![vec![4, 5, 6, 7, 8], vec![6, 4]];
    let b = pad_batch(&srcs, &[0, 1], PAD).unwrap();
    let enc = model.encode(&b, None).unwrap();
    let e = model
        .embed_target(&Tensor::new(&[BOS, BOS], &Device::Cpu).unwrap())
        .unwrap();
    let step = model
        .decoder_step(&e, &enc.state, &enc.memory, &enc.lengths)
        .unwrap();
    let w = step.weights.to_vec2::<f32>().unwrap();
    assert_eq!(&w[1][2..], &[0.0, 0.0, 0.0]);
    assert!(w[1][0] > 0.0 && w[1][1] > 0.0);
    assert!((w[1][0] + w[1][1] - 1.0).abs() < 1e-6);
    // The short sentence decodes as when it is alone.
    let alone = model.greedy_ids(&srcs[1..], 6).unwrap();
    let together = model.greedy_ids(&srcs, 6).unwrap();
    assert_eq!(alone[0], together[1]);
    let b1 = pad_batch(&srcs, &[1], PAD).unwrap();
    let enc1 = model.encode(&b1, None).unwrap();
    let e1 = model
        .embed_target(&Tensor::new(&[BOS], &Device::Cpu).unwrap())
        .unwrap();
    let s1 = model
        .decoder_step(&e1, &enc1.state, &enc1.memory, &enc1.lengths)
        .unwrap();
    let a = s1.features.to_vec2::<f32>().unwrap();
    let b = step.features.to_vec2::<f32>().unwrap();
    for (x, y) in a[0].iter().zip(&b[1]) {
        assert!((x - y).abs() < 1e-5, "{x} vs {y}");
    }
}

fn read_lines(rel: &str, n: usize) -> Option<Vec<String>> {
    let path = journey_data::testdata::file(rel)?;
    let text = std::fs::read_to_string(path).unwrap();
    Some(text.lines().take(n).map(str::to_string).collect())
}

#[test]
fn tiny_model_overfits_real_multi30k_pairs() {
    let (Some(en), Some(de)) = (
        read_lines("eval/parallel/multi30k/train.en", 2000),
        read_lines("eval/parallel/multi30k/train.de", 2000),
    ) else {
        return;
    };
    // The first 100 short pairs (at most 10 words on both sides).
    let (mut src, mut tgt) = (Vec::new(), Vec::new());
    for (e, d) in en.iter().zip(&de) {
        if e.split_whitespace().count() <= 10 && d.split_whitespace().count() <= 10 {
            src.push(e.clone());
            tgt.push(d.clone());
        }
        if src.len() == 100 {
            break;
        }
    }
    assert_eq!(src.len(), 100);
    let config = Seq2SeqConfig {
        min_count: 1,
        embedding_dim: 32,
        hidden_size: 64,
        attention_dim: 32,
        dropout: 0.0,
        ..Default::default()
    };
    let train = ParallelText {
        src: &src,
        tgt: &tgt,
    };
    let mut model = Seq2Seq::new(config, train, 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let before = model.evaluate(train).unwrap()["loss"];
    let fit = Seq2SeqFitConfig {
        epochs: 60,
        batch_size: 50,
        lr: 0.01,
        clip_norm: Some(5.0),
        eval_each_epoch: false,
        runs_dir: dir.path().to_path_buf(),
        quiet: true,
        ..Default::default()
    };
    let summary = model.fit(train, train, &fit, None).unwrap();
    assert_eq!(summary.report.losses.len(), 120);
    let after = model.evaluate(train).unwrap()["loss"];
    assert!(after < before / 10.0, "loss {before} -> {after}");
    let beam = BeamConfig {
        beam_size: 1,
        max_len: 20,
        ..Default::default()
    };
    let out = model.translate_tokens(&src, &beam).unwrap();
    let exact = out
        .iter()
        .zip(&tgt)
        .filter(|(o, t)| **o == Seq2Seq::tokenize(&model.config, t))
        .count();
    assert!(exact >= 70, "{exact} of 100 training targets reproduced");
    let (bleu, _) = model.bleu(train, &beam).unwrap();
    assert!(bleu.score > 80.0, "training BLEU {}", bleu.score);
}

#[test]
fn save_load_round_trip_gives_identical_outputs() {
    let model = tiny_model(CellKind::Lstm, 21);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.safetensors");
    model.save(&path).unwrap();
    let back = Seq2Seq::load(&path).unwrap();
    assert_eq!(back.config, model.config);
    let texts: Vec<String> = ["a b c", "e d", "zzz a"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let beam = BeamConfig {
        beam_size: 3,
        max_len: 6,
        ..Default::default()
    };
    assert_eq!(
        model.translate_tokens(&texts, &beam).unwrap(),
        back.translate_tokens(&texts, &beam).unwrap()
    );
    let h1 = model.beam_ids(&[4, 5], &beam).unwrap();
    let h2 = back.beam_ids(&[4, 5], &beam).unwrap();
    assert_eq!(h1, h2);
}

#[test]
fn bad_input_is_an_error() {
    let model = tiny_model(CellKind::Gru, 1);
    let bad_beam = BeamConfig {
        beam_size: 0,
        ..Default::default()
    };
    assert!(matches!(
        model.translate(&["a".to_string()], &bad_beam),
        Err(NnError::Config(_))
    ));
    let src = vec!["a".to_string()];
    let two = vec!["x".to_string(), "y".to_string()];
    assert!(matches!(
        Seq2Seq::new(
            Seq2SeqConfig::default(),
            ParallelText {
                src: &src,
                tgt: &two
            },
            1
        ),
        Err(NnError::Shape(_))
    ));
    assert!(matches!(
        Seq2Seq::new(
            Seq2SeqConfig::default(),
            ParallelText { src: &[], tgt: &[] },
            1
        ),
        Err(NnError::Empty(_))
    ));
    for bad in [
        Seq2SeqConfig {
            cell: CellKind::RnnTanh,
            ..tiny_config(CellKind::Gru)
        },
        Seq2SeqConfig {
            dropout: 1.0,
            ..tiny_config(CellKind::Gru)
        },
        Seq2SeqConfig {
            teacher_forcing: 1.5,
            ..tiny_config(CellKind::Gru)
        },
        Seq2SeqConfig {
            hidden_size: 0,
            ..tiny_config(CellKind::Gru)
        },
    ] {
        assert!(Seq2Seq::with_vocabs(bad, vocab(&["a"]), vocab(&["x"]), 1).is_err());
    }
    assert!(Seq2Seq::with_vocabs(
        tiny_config(CellKind::Gru),
        Vocab::from_tokens(vec!["<pad>".into(), "<unk>".into(), "a".into()]),
        vocab(&["x"]),
        1
    )
    .is_err());
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.safetensors");
    std::fs::write(&junk, b"not a model").unwrap();
    let err = Seq2Seq::load(&junk).err().unwrap().to_string();
    assert!(err.contains("junk.safetensors"), "{err}");
    assert!(Seq2Seq::load(&dir.path().join("missing")).is_err());
    assert!(model.greedy_ids(&[vec![]], 5).is_err());
}
