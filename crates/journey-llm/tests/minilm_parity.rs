//! all-MiniLM-L6-v2 in our BERT against `sentence-transformers` 3.3.1 on
//! 1,000 real sentences (872 SST-2 dev sentences, 128 Multi30k captions;
//! `tools/reference/minilm_golden.py`): cosine ≥ 0.99999 for every one.

use std::path::PathBuf;

use journey_llm::semantic_search::cosine;
use journey_llm::sentence_embedder::SentenceEmbedder;

fn required() -> bool {
    std::env::var("JOURNEY_REQUIRE_DATA").is_ok_and(|v| v == "1")
}

/// The model folder under `$JOURNEY_MODELS` (default
/// `~/.cache/journey/models`), or `None` (skip).
fn model_dir() -> Option<PathBuf> {
    let root = std::env::var_os("JOURNEY_MODELS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/journey/models"))
        })?;
    let dir = root.join("all-MiniLM-L6-v2");
    if dir.join("model.safetensors").exists() {
        return Some(dir);
    }
    assert!(
        !required(),
        "JOURNEY_REQUIRE_DATA=1 but {} has no model; run shared/bin/fetch-models minilm",
        dir.display()
    );
    eprintln!(
        "skipping: no MiniLM at {} (shared/bin/fetch-models minilm)",
        dir.display()
    );
    None
}

fn golden() -> (Vec<String>, Vec<Vec<f32>>) {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minilm_golden.safetensors");
    let bytes = std::fs::read(&path).unwrap();
    let (_, header) = safetensors::SafeTensors::read_metadata(&bytes).unwrap();
    let meta = header.metadata().clone().unwrap();
    let sentences: Vec<String> = serde_json::from_str(&meta["sentences"]).unwrap();
    let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let t: candle_core::Tensor = candle_core::safetensors::Load::load(
        &st.tensor("embeddings").unwrap(),
        &candle_core::Device::Cpu,
    )
    .unwrap();
    let v: Vec<Vec<f32>> = t
        .to_dtype(candle_core::DType::F32)
        .unwrap()
        .to_vec2()
        .unwrap();
    (sentences, v)
}

#[test]
fn sentence_embeddings_equal_sentence_transformers() {
    let Some(dir) = model_dir() else {
        return;
    };
    let (sentences, want) = golden();
    assert_eq!(sentences.len(), 1000);
    let model = SentenceEmbedder::load(&dir).unwrap();
    assert_eq!(model.dim(), 384);
    assert_eq!(model.max_seq_length(), 256);
    let got = model.embed(&sentences, 32).unwrap();
    let mut worst = (1.0f32, 0usize);
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        let c = cosine(g, w);
        if c < worst.0 {
            worst = (c, i);
        }
        // unit vectors, as sentence-transformers' Normalize makes them
        let norm: f32 = g.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5);
    }
    eprintln!("lowest cosine {:.8} (sentence {})", worst.0, worst.1);
    assert!(
        worst.0 >= 0.99999,
        "sentence {}: cosine {}",
        worst.1,
        worst.0
    );
    // batching does not change an embedding
    let alone = model.embed(&sentences[..1], 1).unwrap();
    assert!(cosine(&alone[0], &got[0]) > 0.999999);
}

#[test]
fn missing_and_malformed_model_folders_are_named() {
    let e = SentenceEmbedder::load(std::path::Path::new("/nonexistent/model"))
        .err()
        .unwrap();
    assert!(e.to_string().contains("/nonexistent/model"), "{e}");
    let Some(dir) = model_dir() else {
        return;
    };
    // a copy whose config has heads that do not divide the width
    let tmp = tempfile::tempdir().unwrap();
    for f in [
        "model.safetensors",
        "tokenizer.json",
        "modules.json",
        "sentence_bert_config.json",
    ] {
        std::os::unix::fs::symlink(dir.join(f), tmp.path().join(f)).unwrap();
    }
    let cfg = std::fs::read_to_string(dir.join("config.json")).unwrap();
    let bad = cfg.replace("\"num_attention_heads\": 12", "\"num_attention_heads\": 5");
    assert_ne!(bad, cfg);
    std::fs::write(tmp.path().join("config.json"), bad).unwrap();
    let e = SentenceEmbedder::load(tmp.path())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("5 heads do not divide the width 384"), "{e}");
    // a weights file that is not safetensors
    std::fs::write(tmp.path().join("config.json"), &cfg).unwrap();
    std::fs::remove_file(tmp.path().join("model.safetensors")).unwrap();
    std::fs::write(tmp.path().join("model.safetensors"), b"not weights").unwrap();
    let e = SentenceEmbedder::load(tmp.path())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("model.safetensors"), "{e}");
}
