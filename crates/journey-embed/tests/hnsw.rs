//! HNSW (Malkov & Yashunin 2018) against the exact cosine index:
//! recall@10 on the 20,000 most frequent GloVe 6B 50d words (fetched by
//! `fetch-models glove`; skips when absent unless JOURNEY_REQUIRE_DATA=1),
//! results identical to brute force when ef ≥ n, one graph per seed, and
//! index files that round-trip and refuse to load when damaged or paired
//! with other vectors.

use journey_embed::hnsw::{Hnsw, HnswConfig};
use journey_embed::pretrained::{glove_6b_50d_dir, load_glove_npy_parquet};
use journey_embed::similarity::CosineIndex;
use journey_embed::{EmbedError, Embeddings};

fn required() -> bool {
    std::env::var("JOURNEY_REQUIRE_DATA").is_ok_and(|v| v == "1")
}

fn glove(rows: usize) -> Option<Embeddings> {
    let dir = glove_6b_50d_dir()?;
    if !dir.join("vectors.npy").exists() {
        assert!(
            !required(),
            "JOURNEY_REQUIRE_DATA=1 but {} is missing; run shared/bin/fetch-models glove",
            dir.display()
        );
        eprintln!("skipping: {} missing (fetch-models glove)", dir.display());
        return None;
    }
    Some(
        load_glove_npy_parquet(&dir)
            .expect("GloVe loads")
            .truncated(rows),
    )
}

/// Deterministic vectors for the file-format tests (no data needed).
fn synthetic(n: usize, d: usize, seed: u64) -> Embeddings {
    let mut s = seed;
    let mut next = || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((s >> 33) as f32 / (1u64 << 31) as f32) - 0.5
    };
    let data = (0..n * d).map(|_| next()).collect();
    let words = (0..n).map(|i| format!("w{i}")).collect();
    Embeddings::new(words, d, data).unwrap()
}

fn exact_top(idx: &CosineIndex, emb: &Embeddings, i: usize, k: usize) -> Vec<(usize, f32)> {
    idx.nearest(emb.row(i), k, usize::MAX, &[i])
}

#[test]
fn recall_at_10_on_glove_20k() {
    let Some(emb) = glove(20_000) else { return };
    let cfg = HnswConfig {
        m: 16,
        ef_construction: 100,
        ..HnswConfig::default()
    };
    let h = Hnsw::build(&emb, cfg).unwrap();
    let exact = CosineIndex::new(&emb);
    let queries: Vec<usize> = (0..500).map(|i| i * 40).collect();
    let got = h.search_rows(&emb, &queries, 10, 50);
    let mut hits = 0;
    for (&q, g) in queries.iter().zip(&got) {
        assert_eq!(g.len(), 10);
        let truth: Vec<usize> = exact_top(&exact, &emb, q, 10)
            .into_iter()
            .map(|p| p.0)
            .collect();
        hits += g.iter().filter(|(j, _)| truth.contains(j)).count();
        // Scores are real cosines, best first.
        for w in g.windows(2) {
            assert!(w[0].1 >= w[1].1);
        }
        let (j, s) = g[0];
        let c = journey_embed::similarity::cosine(emb.row(q), emb.row(j)) as f32;
        assert!((s - c).abs() < 1e-5, "{s} vs {c}");
    }
    let recall = hits as f64 / (10 * queries.len()) as f64;
    eprintln!("recall@10 (20k GloVe words, M 16, ef_c 100, ef 50) = {recall:.4}");
    assert!(recall >= 0.95, "recall@10 = {recall}");
    // A word query gives the same as its row.
    let w = &emb.words()[1234];
    let n = h.neighbours(&emb, w, 5, 50).unwrap();
    let r = h.search_row(&emb, 1234, 5, 50);
    assert_eq!(
        n.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
        r.iter()
            .map(|p| emb.words()[p.0].as_str())
            .collect::<Vec<_>>()
    );
    assert!(h.neighbours(&emb, "no-such-word-here", 5, 50).is_none());
}

#[test]
fn ef_at_least_n_equals_exact_search() {
    let Some(emb) = glove(300) else { return };
    let cfg = HnswConfig {
        m: 8,
        ef_construction: 40,
        ..HnswConfig::default()
    };
    let h = Hnsw::build(&emb, cfg).unwrap();
    let exact = CosineIndex::new(&emb);
    for i in 0..emb.len() {
        let got = h.search_row(&emb, i, 10, emb.len());
        let want = exact_top(&exact, &emb, i, 10);
        assert_eq!(got, want, "row {i} ({})", emb.words()[i]);
    }
    // Asking for more than there is returns everything else, in order.
    let all = h.search_row(&emb, 0, 1000, 1000);
    assert_eq!(all, exact_top(&exact, &emb, 0, 1000));
    assert_eq!(all.len(), emb.len() - 1);
}

#[test]
fn same_seed_same_graph() {
    let emb = synthetic(1500, 16, 3);
    let cfg = HnswConfig {
        m: 6,
        ef_construction: 30,
        ..HnswConfig::default()
    };
    let a = Hnsw::build(&emb, cfg.clone()).unwrap().to_bytes();
    let b = Hnsw::build(&emb, cfg.clone()).unwrap().to_bytes();
    assert_eq!(a, b);
    let other = HnswConfig { seed: 101, ..cfg };
    let c = Hnsw::build(&emb, other).unwrap();
    assert_ne!(a, c.to_bytes());
    // Layers thin out by ~1/M per level.
    let up = c.levels().iter().filter(|&&l| l >= 1).count();
    assert!((150..350).contains(&up), "{up} rows above layer 0");
}

#[test]
fn save_load_round_trip() {
    let emb = synthetic(800, 12, 5);
    let h = Hnsw::build(
        &emb,
        HnswConfig {
            m: 5,
            ef_construction: 20,
            ef_search: 17,
            ..HnswConfig::default()
        },
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("v.hnsw");
    h.save(&p).unwrap();
    let back = Hnsw::load(&p, &emb).unwrap();
    assert_eq!(back.config(), h.config());
    assert_eq!(back.to_bytes(), h.to_bytes());
    for i in (0..800).step_by(37) {
        assert_eq!(
            back.search_row(&emb, i, 7, 20),
            h.search_row(&emb, i, 7, 20)
        );
    }
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn bad_index_files_get_clear_errors() {
    let emb = synthetic(300, 8, 9);
    let h = Hnsw::build(
        &emb,
        HnswConfig {
            m: 4,
            ef_construction: 16,
            ..HnswConfig::default()
        },
    )
    .unwrap();
    let good = h.to_bytes();
    let dir = tempfile::tempdir().unwrap();
    let load = |bytes: &[u8], e: &Embeddings| {
        let p = dir.path().join("bad.hnsw");
        std::fs::write(&p, bytes).unwrap();
        let err = Hnsw::load(&p, e).err().expect("must fail");
        let msg = err.to_string();
        assert!(msg.contains("bad.hnsw"), "{msg}");
        msg
    };
    // Truncated anywhere.
    for cut in [0, 5, 11, 40, good.len() / 2, good.len() - 1] {
        let msg = load(&good[..cut], &emb);
        assert!(msg.contains("truncated"), "cut {cut}: {msg}");
    }
    // Not an index.
    assert!(load(b"300 8\nthe 0.1 0.2", &emb).contains("JHNSWIDX"));
    // Another version.
    let mut v = good.clone();
    v[8] = 9;
    assert!(load(&v, &emb).contains("version 9"));
    // A flipped byte in the links: either an impossible link or the checksum.
    let mut f = good.clone();
    let at = good.len() - 20;
    f[at] ^= 0x40;
    let msg = load(&f, &emb);
    assert!(msg.contains("checksum") || msg.contains("links"), "{msg}");
    // Trailing garbage.
    let mut t = good.clone();
    t.extend_from_slice(b"xx");
    assert!(load(&t, &emb).contains("after the checksum"));
    // Other vectors: a changed value, a different count.
    let mut data = emb.data().to_vec();
    data[100] += 0.25;
    let changed = Embeddings::new(emb.words().to_vec(), emb.dim(), data).unwrap();
    assert!(load(&good, &changed).contains("other vectors"));
    let fewer = emb.truncated(299);
    assert!(load(&good, &fewer).contains("built for 300 vectors"));
    // A missing file is an I/O error naming it.
    let missing = dir.path().join("missing.hnsw");
    assert!(matches!(
        Hnsw::load(&missing, &emb),
        Err(EmbedError::Io { .. })
    ));
}

#[test]
fn single_row_store() {
    let one = Embeddings::new(vec!["a".into()], 3, vec![1.0, 2.0, 3.0]).unwrap();
    let h = Hnsw::build(&one, HnswConfig::default()).unwrap();
    assert!(h.search_row(&one, 0, 5, 10).is_empty());
    assert_eq!(h.search(&[1.0, 2.0, 3.0], 3, 10)[0].0, 0);
    let back = Hnsw::from_bytes(&h.to_bytes(), &one).unwrap();
    assert_eq!(back.to_bytes(), h.to_bytes());
}
