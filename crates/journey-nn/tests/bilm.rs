//! The ELMo-style biLM: the same network in PyTorch on the same weights and
//! real sentences (`tools/reference/bilm_golden.py`), and a short training
//! run on CoNLL-2003 text whose held-out perplexity falls.

use std::path::PathBuf;

use candle_core::Tensor;
use journey_ml::ner_corpus::read_ner;
use journey_nn::batching::pad_batch;
use journey_nn::bilm::{build_vocab, Bilm, BilmConfig, BilmFitConfig};
use journey_nn::vocab::PAD;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bilm")
        .join(name)
}

fn golden() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("golden.json")).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f32> {
    fn walk(v: &Value, out: &mut Vec<f32>) {
        match v {
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            x => out.push(x.as_f64().unwrap() as f32),
        }
    }
    let mut out = vec![];
    walk(v, &mut out);
    out
}

fn max_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn equals_pytorch_on_the_same_weights_and_sentences() {
    let g = golden();
    let model = Bilm::load(&fixture("model.safetensors")).unwrap();
    let sentences: Vec<Vec<String>> = serde_json::from_value(g["sentences"].clone()).unwrap();
    // our vocabulary rule gives the reference's vocabulary
    let fit = BilmFitConfig {
        min_count: g["min_count"].as_u64().unwrap() as usize,
        max_vocab: 0,
        ..Default::default()
    };
    let built = build_vocab(&sentences, model.config(), &fit).unwrap();
    let want: Vec<String> = serde_json::from_value(g["vocab"].clone()).unwrap();
    assert_eq!(built.tokens(), &want[..]);
    assert_eq!(model.vocab().tokens(), &want[..]);

    // one padded batch in file order: rows of very different lengths
    let encoded: Vec<Vec<u32>> = sentences.iter().map(|s| model.encode(s)).collect();
    let all: Vec<usize> = (0..encoded.len()).collect();
    let batch = pad_batch(&encoded, &all, PAD).unwrap();
    let loss = model.loss(&batch, None).unwrap();
    let l = loss.to_scalar::<f32>().unwrap() as f64;
    assert!(
        (l - g["loss"].as_f64().unwrap()).abs() < 1e-5,
        "loss {l} vs {}",
        g["loss"]
    );
    let (lf, lb) = model.direction_losses(&batch).unwrap();
    assert!((lf - g["loss_forward"].as_f64().unwrap()).abs() < 1e-5);
    assert!((lb - g["loss_backward"].as_f64().unwrap()).abs() < 1e-5);

    let grads = loss.backward().unwrap();
    let vars = model.varmap().data().lock().unwrap();
    for (name, want) in g["grads"].as_object().unwrap() {
        let grad = grads.get(vars[name].as_tensor()).unwrap();
        let got: Vec<f32> = grad.flatten_all().unwrap().to_vec1().unwrap();
        let d = max_diff(&got, &floats(want));
        assert!(d < 1e-5, "gradient of {name}: max |Δ| = {d}");
    }
    drop(vars);

    let layers = model.embed(&sentences, 5).unwrap();
    let want = g["layers_sentence_1"].as_array().unwrap();
    assert_eq!(layers[1].len(), want.len());
    for (l, (got, want)) in layers[1].iter().zip(want).enumerate() {
        assert_eq!(got.dims(), [sentences[1].len(), 16]);
        let got: Vec<f32> = got.flatten_all().unwrap().to_vec1().unwrap();
        let d = max_diff(&got, &floats(want));
        assert!(d < 1e-5, "layer {l}: max |Δ| = {d}");
    }
}

fn conll(file: &str, n: usize) -> Option<Vec<Vec<String>>> {
    let path = journey_data::testdata::file(&format!("ner/conll2003/{file}"))?;
    Some(
        read_ner(&path)
            .unwrap()
            .into_iter()
            .take(n)
            .map(|s| s.words)
            .collect(),
    )
}

/// A few hundred steps on 3,000 real sentences: both LMs' held-out
/// perplexity falls far below its start (≈ V), the layers differ in what
/// they give a word (layer 0 is context-free, layer 1 is not), and a saved
/// model reloads to the same numbers.
#[test]
fn trains_on_conll_text_and_gives_contextual_vectors() {
    let (Some(train), Some(dev)) = (conll("eng.train", 3000), conll("eng.testa", 300)) else {
        return;
    };
    let config = BilmConfig {
        dim: 32,
        num_layers: 2,
        dropout: 0.0,
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let fit = BilmFitConfig {
        max_vocab: 2000,
        batch_size: 32,
        epochs: 2,
        lr: 5e-3,
        runs_dir: dir.path().to_path_buf(),
        quiet: true,
        ..Default::default()
    };
    let vocab = build_vocab(&train, &config, &fit).unwrap();
    let model = Bilm::new(config, vocab, 1).unwrap();
    let before = model.evaluate(&dev, 64).unwrap();
    model.fit(&train, &dev, &fit, None).unwrap();
    let after = model.evaluate(&dev, 64).unwrap();
    eprintln!("before {before:?}\nafter {after:?}");
    for d in ["ppl_forward", "ppl_backward"] {
        assert!(
            after[d] < before[d] / 4.0,
            "{d}: {} -> {}",
            before[d],
            after[d]
        );
    }

    // "in" in two contexts: the same embedding, different layer-1 vectors
    let s = |t: &str| t.split(' ').map(str::to_string).collect::<Vec<_>>();
    let v = model
        .embed(&[s("He was in London ."), s("They came in second .")], 8)
        .unwrap();
    let row = |x: &Tensor| x.get(2).unwrap().to_vec1::<f32>().unwrap();
    assert_eq!(row(&v[0][0]), row(&v[1][0]));
    assert!(max_diff(&row(&v[0][1]), &row(&v[1][1])) > 1e-3);

    let path = dir.path().join("bilm.safetensors");
    model.save(&path).unwrap();
    let loaded = Bilm::load(&path).unwrap();
    assert_eq!(loaded.evaluate(&dev, 64).unwrap(), after);
    assert!(Bilm::load(&dir.path().join("missing")).is_err());
}
