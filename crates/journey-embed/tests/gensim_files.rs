//! Vector files written by other tools load here as they load in gensim
//! 4.4.0: word2vec text and binary from gensim's `save_word2vec_format`, and
//! a `.vec` from fastText 0.9.2 (`fasttext skipgram`: header line, a
//! trailing space on every line, `</s>` as a word), all trained on the Lee
//! background corpus by `tools/reference/gensim_roundtrip.py --fixtures`,
//! which also records what gensim's `load_word2vec_format` reads from them
//! (hashes of the words and of the float32 matrix, the first row) and its
//! `most_similar` answers. No data set needed: the files are fixtures.

use journey_embed::similarity::CosineIndex;
use journey_embed::vector_files::guess_format;
use journey_embed::{read_vectors, VectorFormat};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gensim_vectors")
}

fn hex(d: impl AsRef<[u8]>) -> String {
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn gensim_and_fasttext_files_read_as_gensim_reads_them() {
    let golden: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("gensim_vectors.json")).unwrap(),
    )
    .unwrap();
    let files = golden["files"].as_object().unwrap();
    assert!(files.contains_key("fasttext.vec") && files.contains_key("w2v.bin"));
    for (name, g) in files {
        let path = fixtures().join(name);
        let want_fmt = match g["format"].as_str().unwrap() {
            "binary" => VectorFormat::Binary,
            _ => VectorFormat::Text,
        };
        assert_eq!(guess_format(&path).unwrap(), want_fmt, "{name}");
        let emb = read_vectors(&path).unwrap();
        assert_eq!(emb.len() as u64, g["rows"].as_u64().unwrap(), "{name}");
        assert_eq!(emb.dim() as u64, g["dim"].as_u64().unwrap(), "{name}");
        assert_eq!(
            hex(Sha256::digest(emb.words().join("\n").as_bytes())),
            g["words_sha256"].as_str().unwrap(),
            "{name}: words"
        );
        let first: Vec<f32> = g["first_row"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        assert_eq!(emb.row(0), first.as_slice(), "{name}: first row");
        let mut h = Sha256::new();
        for x in emb.data() {
            h.update(x.to_le_bytes());
        }
        assert_eq!(
            hex(h.finalize()),
            g["matrix_sha256"].as_str().unwrap(),
            "{name}: matrix"
        );
        let idx = CosineIndex::new(&emb);
        for (q, want) in g["most_similar"].as_object().unwrap() {
            let want = want.as_array().unwrap();
            let got = idx.neighbours(q, want.len()).unwrap();
            for ((gw, gs), w) in got.iter().zip(want) {
                let ws = w[1].as_f64().unwrap();
                assert_eq!(gw, w[0].as_str().unwrap(), "{name}: neighbours of {q}");
                assert!(
                    (f64::from(*gs) - ws).abs() <= 1e-6,
                    "{name}: {q} ~ {gw}: {gs} vs gensim {ws}"
                );
            }
        }
    }
}
