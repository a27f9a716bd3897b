//! GloVe 6B 50d (as `fetch-models glove` downloads it) evaluated here and by
//! gensim 4.4.0 (`tools/reference/embed_eval_golden.py`): the loader must
//! give the same matrix and words as numpy/pyarrow, the word2vec text and
//! binary files we write must be byte-identical to gensim's, the analogy counts must
//! be equal in every section, the word-pair ρ equal to 1e-12 and r to 1e-6.
//!
//! Skips when the GloVe files are not fetched, unless JOURNEY_REQUIRE_DATA=1.

use journey_embed::evaluation::{evaluate_analogies, evaluate_word_pairs};
use journey_embed::pretrained::{glove_6b_50d_dir, load_glove_npy_parquet};
use journey_embed::vector_files::to_bytes;
use journey_embed::VectorFormat;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn required() -> bool {
    std::env::var("JOURNEY_REQUIRE_DATA").is_ok_and(|v| v == "1")
}

fn glove() -> Option<journey_embed::Embeddings> {
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
    Some(load_glove_npy_parquet(&dir).expect("GloVe loads"))
}

fn golden() -> Value {
    serde_json::from_str(include_str!("fixtures/glove_eval.json")).unwrap()
}

fn hex(d: impl AsRef<[u8]>) -> String {
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn glove_matches_gensim() {
    let Some(words_file) = journey_data::testdata::file("eval/word_vectors/questions-words.txt")
    else {
        return;
    };
    let Some(emb) = glove() else { return };
    let g = golden();
    assert_eq!(emb.len() as u64, g["rows"].as_u64().unwrap());
    assert_eq!(emb.dim() as u64, g["dim"].as_u64().unwrap());
    let mut h = Sha256::new();
    for x in emb.data() {
        h.update(x.to_le_bytes());
    }
    assert_eq!(hex(h.finalize()), g["matrix_sha256"].as_str().unwrap());
    assert_eq!(
        hex(Sha256::digest(emb.words().join("\n").as_bytes())),
        g["words_sha256"].as_str().unwrap()
    );

    // The word2vec files gensim writes for the first rows, byte for byte.
    let rows = g["save_rows"].as_u64().unwrap() as usize;
    let small = emb.truncated(rows);
    for (fmt, key) in [
        (VectorFormat::Text, "saved_text_sha256"),
        (VectorFormat::Binary, "saved_binary_sha256"),
    ] {
        let bytes = to_bytes(&small, fmt);
        assert_eq!(
            hex(Sha256::digest(&bytes)),
            g[key].as_str().unwrap(),
            "{key}"
        );
    }

    let restrict = g["analogy_restrict_vocab"].as_u64().unwrap() as usize;
    let rep = evaluate_analogies(&emb, &words_file, restrict).unwrap();
    let want = g["analogy_sections"].as_array().unwrap();
    // gensim appends the "Total accuracy" pseudo-section last.
    assert_eq!(rep.sections.len() + 1, want.len());
    for (got, w) in rep.sections.iter().chain([&rep.total]).zip(want) {
        assert_eq!(got.section, w["section"].as_str().unwrap());
        assert_eq!(
            (got.correct as u64, got.incorrect as u64),
            (
                w["correct"].as_u64().unwrap(),
                w["incorrect"].as_u64().unwrap()
            ),
            "section {}",
            got.section
        );
    }
    let acc = g["analogy_accuracy"].as_f64().unwrap();
    assert!((rep.total.accuracy() - acc).abs() < 1e-12);

    for (name, w) in g["pairs"].as_object().unwrap() {
        let path = words_file.with_file_name(name);
        let r = evaluate_word_pairs(&emb, &path, 300_000).unwrap();
        let close = |a: f64, b: &Value, tol: f64| (a - b.as_f64().unwrap()).abs() < tol;
        // Ranks are equal, so ρ agrees to rounding; r sees the last bits of
        // the f32 cosines, whose dot products BLAS sums in another order.
        assert!(
            close(r.spearman, &w["spearman"], 1e-12),
            "{name} spearman {} vs {}",
            r.spearman,
            w["spearman"]
        );
        assert!(
            close(r.pearson, &w["pearson"], 1e-6),
            "{name} pearson {} vs {}",
            r.pearson,
            w["pearson"]
        );
        assert!(
            close(r.oov_ratio_percent, &w["oov_ratio_percent"], 1e-12),
            "{name} oov"
        );
    }
}
