//! GloVe on a real slice: the Lee background corpus (about 52k in-vocabulary
//! tokens, prepared as the benchmarks do). Co-occurrence counts equal
//! glove-python's `Corpus.fit` (fixture from tools/reference/glove_golden.py);
//! spilling to shard files gives the counts of the in-memory path; the same
//! seed with one thread gives bit-identical vectors; the cost falls every
//! epoch; bad settings and corpora are clear errors.

mod common;

use journey_embed::glove::{train, train_cooccurrences, train_file, GloveConfig};
use journey_embed::glove_cooccur::{cooccur, cooccur_file, CooccurConfig};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

use common::prepared;

fn fixture() -> serde_json::Value {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/glove_cooccur_lee.json"
    );
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn cooccurrences_match_glove_python_on_lee() {
    let g = fixture();
    let Some(text) = prepared(g["file"].as_str().unwrap()) else {
        return;
    };
    let cfg = CooccurConfig {
        window: g["window"].as_u64().unwrap() as usize,
        min_count: g["min_count"].as_u64().unwrap(),
        ..CooccurConfig::default()
    };
    let co = cooccur(&text, &cfg).unwrap();
    assert_eq!(co.shards, 0);
    let mut sorted = co.vocab.words.clone();
    sorted.sort();
    assert_eq!(
        co.vocab.words.len() as u64,
        g["vocab_size"].as_u64().unwrap()
    );
    let sha = format!("{:x}", Sha256::digest(sorted.join("\n").as_bytes()));
    assert_eq!(sha, g["vocab_sha256"].as_str().unwrap());
    assert_eq!(co.tokens, g["tokens"].as_u64().unwrap());

    let w = &co.vocab.words;
    let mut cell: HashMap<(&str, &str), f64> = HashMap::new();
    for e in &co.entries {
        cell.insert((&w[e.i as usize], &w[e.j as usize]), e.x);
    }
    // Symmetric, sorted, and the upper triangle (by word order) is
    // glove-python's matrix.
    assert!(co
        .entries
        .windows(2)
        .all(|p| (p[0].i, p[0].j) < (p[1].i, p[1].j)));
    let (mut upper_nnz, mut upper_sum, mut diag_nnz, mut diag_sum) = (0u64, 0f64, 0u64, 0f64);
    for e in &co.entries {
        let (a, b) = (w[e.i as usize].as_str(), w[e.j as usize].as_str());
        assert_eq!(cell[&(b, a)], e.x, "{a} {b}");
        if a < b {
            upper_nnz += 1;
            upper_sum += e.x;
        } else if a == b {
            diag_nnz += 1;
            diag_sum += e.x;
        }
    }
    assert_eq!(upper_nnz, g["upper_nnz"].as_u64().unwrap());
    // glove-python sums in f32: agreement to 1e-6 relative.
    assert!(
        close(upper_sum, g["upper_sum"].as_f64().unwrap(), 1e-6),
        "{upper_sum}"
    );
    assert_eq!(diag_nnz, g["diag_nnz"].as_u64().unwrap());
    assert!(
        close(diag_sum, g["diag_sum"].as_f64().unwrap(), 1e-9),
        "{diag_sum}"
    );
    for s in g["diag_sample"].as_array().unwrap() {
        let word = s[0].as_str().unwrap();
        let got = cell[&(word, word)];
        assert!(
            close(got, s[1].as_f64().unwrap(), 1e-9),
            "{word}: {got} vs {s}"
        );
    }
    // Off-diagonal row sums of every word, in sorted-word order.
    let mut rows: HashMap<&str, f64> = HashMap::new();
    for e in co.entries.iter().filter(|e| e.i != e.j) {
        *rows.entry(&w[e.i as usize]).or_default() += e.x;
    }
    let want = g["row_sums"].as_array().unwrap();
    assert_eq!(want.len(), sorted.len());
    for (word, r) in sorted.iter().zip(want) {
        let got = rows.get(word.as_str()).copied().unwrap_or(0.0);
        assert!(
            close(got, r.as_f64().unwrap(), 1e-5),
            "{word}: {got} vs {r}"
        );
    }
    let sample = g["upper_sample"].as_array().unwrap();
    assert!(sample.len() >= 400);
    for s in sample {
        let (a, b) = (s[0].as_str().unwrap(), s[1].as_str().unwrap());
        let got = cell.get(&(a, b)).copied().unwrap_or(0.0);
        assert!(
            close(got, s[2].as_f64().unwrap(), 1e-5),
            "{a} {b}: {got} vs {s}"
        );
    }
}

#[test]
fn spilled_shards_merge_to_the_in_memory_counts() {
    let Some(text) = prepared("corpora/lee/lee_background.cor") else {
        return;
    };
    let cfg = CooccurConfig {
        window: 10,
        min_count: 5,
        ..CooccurConfig::default()
    };
    let mem = cooccur(&text, &cfg).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let small = CooccurConfig {
        memory_mb: 1,
        tmp_dir: Some(dir.path().to_path_buf()),
        ..cfg.clone()
    };
    let spilled = cooccur(&text, &small).unwrap();
    // 1 MiB holds 32,768 entries; the 312k entries spill several times.
    assert!(spilled.shards >= 5, "{} shards", spilled.shards);
    assert_eq!(spilled.entries.len(), mem.entries.len());
    for (a, b) in spilled.entries.iter().zip(&mem.entries) {
        assert_eq!((a.i, a.j), (b.i, b.j));
        assert!(close(a.x, b.x, 1e-12), "{a:?} {b:?}");
    }
    // The shard files are gone, and the streamed file path agrees.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    let f = dir.path().join("corpus.txt");
    std::fs::write(&f, &text).unwrap();
    let streamed = cooccur_file(&f, &small).unwrap();
    assert_eq!(streamed.vocab.words, mem.vocab.words);
    assert_eq!(streamed.entries, spilled.entries);
}

fn small(seed: u64, threads: usize) -> GloveConfig {
    GloveConfig {
        dim: 20,
        window: 10,
        epochs: 5,
        threads,
        seed,
        ..GloveConfig::default()
    }
}

#[test]
fn one_thread_is_deterministic_and_the_cost_falls() {
    let Some(text) = prepared("corpora/lee/lee_background.cor") else {
        return;
    };
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let a = train(&text, &small(3, 1)).unwrap();
    let b = train(&text, &small(3, 1)).unwrap();
    assert_eq!(bits(a.vectors.data()), bits(b.vectors.data()));
    assert_eq!(a.costs, b.costs);
    let c = train(&text, &small(4, 1)).unwrap();
    assert_ne!(bits(a.vectors.data()), bits(c.vectors.data()));
    assert_eq!(a.vectors.len(), 1815);
    assert_eq!(a.vectors.dim(), 20);
    // The mean cost must fall every epoch, with one thread or two.
    let two = train(&text, &small(3, 2)).unwrap();
    for m in [&a, &c, &two] {
        eprintln!("costs {:?}", m.costs);
        assert_eq!(m.costs.len(), 5);
        assert!(m.costs.windows(2).all(|p| p[1] < p[0]), "{:?}", m.costs);
        assert!(m.costs[4] < 0.8 * m.costs[0], "{:?}", m.costs);
        assert!(m.vectors.data().iter().all(|x| x.is_finite()));
    }
}

#[test]
fn bad_settings_and_corpora_are_errors() {
    let text = "a b c a b c\na b c a b c a b\n";
    let err = |cfg: GloveConfig| train(text, &cfg).unwrap_err().to_string();
    let base = GloveConfig {
        min_count: 1,
        dim: 4,
        epochs: 1,
        threads: 1,
        ..GloveConfig::default()
    };
    assert!(err(GloveConfig {
        dim: 0,
        ..base.clone()
    })
    .contains("--dim"));
    assert!(err(GloveConfig {
        window: 0,
        ..base.clone()
    })
    .contains("--window"));
    assert!(err(GloveConfig {
        epochs: 0,
        ..base.clone()
    })
    .contains("--epochs"));
    assert!(err(GloveConfig {
        x_max: f64::NAN,
        ..base.clone()
    })
    .contains("--x-max"));
    assert!(err(GloveConfig {
        memory_mb: 0,
        ..base.clone()
    })
    .contains("--memory-mb"));
    assert!(train(text, &base).is_ok());
    let e = train(" \n\n", &base).unwrap_err().to_string();
    assert!(e.contains("no word occurs"), "{e}");
    // Words that never share a line have no co-occurrences.
    let e = train("a\nb\nc\n", &base).unwrap_err().to_string();
    assert!(e.contains("no two vocabulary words"), "{e}");
    let co = cooccur("a\nb\n", &CooccurConfig::default());
    assert!(co.unwrap_err().to_string().contains("at least 5 times"));
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.txt");
    let e = train_file(&missing, &base, |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("missing.txt"), "{e}");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    let e = train_file(&empty, &base, |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("empty.txt has no words"), "{e}");
    let co = cooccur(
        text,
        &CooccurConfig {
            min_count: 1,
            ..CooccurConfig::default()
        },
    )
    .unwrap();
    let e = train_cooccurrences(co, &GloveConfig { dim: 0, ..base }, |_, _| {}).unwrap_err();
    assert!(e.to_string().contains("--dim"));
}
