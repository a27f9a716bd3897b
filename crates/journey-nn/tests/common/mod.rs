//! Test support: the shared data sets (through `$JOURNEY_DATA`, see
//! `journey_data::testdata`), the fixtures committed beside the tests,
//! bag-of-words of SST-2 sentences and a one-hidden-layer MLP classifier on
//! them, as a `TrainTask`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::VarMap;
use journey_nn::batching::batches;
use journey_nn::rng::Rng;
use journey_nn::sms_features::{self, SmsConfig, SmsDataset};
use journey_nn::trainer::{Metrics, TrainTask};
use journey_nn::Result;
use serde_json::{json, Value};

/// `label<TAB>sentence` rows of an SST-2 file (header skipped), first `n`.
pub fn sst2(rel: &str, n: usize) -> Option<Vec<(u32, String)>> {
    let path = journey_data::testdata::file(rel)?;
    let text = std::fs::read_to_string(&path).unwrap();
    Some(
        text.lines()
            .skip(1)
            .take(n)
            .map(|l| {
                let (label, s) = l.split_once('\t').unwrap();
                (label.parse().unwrap(), s.to_string())
            })
            .collect(),
    )
}

/// Word ids (sorted vocabulary of words seen at least twice) per sentence.
pub struct Bow {
    pub vocab: BTreeMap<String, u32>,
    pub docs: Vec<Vec<u32>>,
    pub labels: Vec<u32>,
}

impl Bow {
    pub fn fit(rows: &[(u32, String)]) -> Bow {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, s) in rows {
            for w in s.split_whitespace() {
                *counts.entry(w).or_default() += 1;
            }
        }
        let vocab: BTreeMap<String, u32> = counts
            .into_iter()
            .filter(|&(_, c)| c >= 2)
            .enumerate()
            .map(|(i, (w, _))| (w.to_string(), i as u32))
            .collect();
        let mut bow = Bow {
            vocab,
            docs: vec![],
            labels: vec![],
        };
        bow.docs = rows.iter().map(|(_, s)| bow.ids(s)).collect();
        bow.labels = rows.iter().map(|(l, _)| *l).collect();
        bow
    }

    pub fn ids(&self, s: &str) -> Vec<u32> {
        s.split_whitespace()
            .filter_map(|w| self.vocab.get(w).copied())
            .collect()
    }

    /// Binary bag-of-words rows for `docs[i]`, i in `idx`: `(n, V)`.
    pub fn dense(&self, docs: &[Vec<u32>], idx: &[usize]) -> Tensor {
        let v = self.vocab.len();
        let mut x = vec![0f32; idx.len() * v];
        for (r, &i) in idx.iter().enumerate() {
            for &w in &docs[i] {
                x[r * v + w as usize] = 1.0;
            }
        }
        Tensor::from_vec(x, (idx.len(), v), &Device::Cpu).unwrap()
    }
}

/// A seeded normal tensor (scaled), from our generator.
pub fn randn(rng: &mut Rng, shape: &[usize], scale: f32) -> Tensor {
    let n: usize = shape.iter().product();
    let v: Vec<f32> = (0..n).map(|_| rng.normal() * scale).collect();
    Tensor::from_vec(v, shape, &Device::Cpu).unwrap()
}

/// x → relu(x W1ᵀ + b1) → dropout → W2ᵀ + b2, cross-entropy.
pub struct MlpTask {
    pub varmap: VarMap,
    pub bow: Bow,
    pub dev_docs: Vec<Vec<u32>>,
    pub dev_labels: Vec<u32>,
    pub hidden: usize,
    pub batch_size: usize,
    pub dropout: f32,
}

impl MlpTask {
    pub fn new(train: &[(u32, String)], dev: &[(u32, String)], hidden: usize, seed: u64) -> Self {
        let bow = Bow::fit(train);
        let v = bow.vocab.len();
        let varmap = VarMap::new();
        let mut rng = Rng::seed(seed);
        {
            let mut data = varmap.data().lock().unwrap();
            let mut put = |name: &str, t: Tensor| {
                data.insert(name.to_string(), Var::from_tensor(&t).unwrap());
            };
            put(
                "fc1.weight",
                randn(&mut rng, &[hidden, v], (1.0 / v as f32).sqrt()),
            );
            put(
                "fc1.bias",
                Tensor::zeros(hidden, DType::F32, &Device::Cpu).unwrap(),
            );
            put(
                "fc2.weight",
                randn(&mut rng, &[2, hidden], (1.0 / hidden as f32).sqrt()),
            );
            put(
                "fc2.bias",
                Tensor::zeros(2, DType::F32, &Device::Cpu).unwrap(),
            );
        }
        let dev_docs = dev.iter().map(|(_, s)| bow.ids(s)).collect();
        let dev_labels = dev.iter().map(|(l, _)| *l).collect();
        MlpTask {
            varmap,
            bow,
            dev_docs,
            dev_labels,
            hidden,
            batch_size: 32,
            dropout: 0.2,
        }
    }

    fn var(&self, name: &str) -> Tensor {
        self.varmap.data().lock().unwrap()[name].as_tensor().clone()
    }

    pub fn logits(&self, x: &Tensor, mask: Option<&Tensor>) -> Result<Tensor> {
        let h = x
            .matmul(&self.var("fc1.weight").t()?)?
            .broadcast_add(&self.var("fc1.bias"))?
            .relu()?;
        let h = match mask {
            Some(m) => h.mul(m)?,
            None => h,
        };
        Ok(h.matmul(&self.var("fc2.weight").t()?)?
            .broadcast_add(&self.var("fc2.bias"))?)
    }

    pub fn loss(&self, idx: &[usize], rng: Option<&mut Rng>) -> Result<Tensor> {
        let x = self.bow.dense(&self.bow.docs, idx);
        let mask = rng.map(|r| {
            let keep = 1.0 - self.dropout;
            let m: Vec<f32> = (0..idx.len() * self.hidden)
                .map(|_| if r.uniform() < keep { 1.0 / keep } else { 0.0 })
                .collect();
            Tensor::from_vec(m, (idx.len(), self.hidden), &Device::Cpu).unwrap()
        });
        let logits = self.logits(&x, mask.as_ref())?;
        let y: Vec<u32> = idx.iter().map(|&i| self.bow.labels[i]).collect();
        let y = Tensor::from_vec(y, idx.len(), &Device::Cpu)?;
        Ok(candle_nn::loss::cross_entropy(&logits, &y)?)
    }
}

impl TrainTask for MlpTask {
    type Batch = Vec<usize>;

    fn config(&self) -> Value {
        json!({"model": "bow-mlp", "vocab": self.bow.vocab.len(), "hidden": self.hidden})
    }

    fn varmap(&self) -> &VarMap {
        &self.varmap
    }

    fn epoch_batches(&mut self, _epoch: u64, rng: &mut Rng) -> Result<Vec<Vec<usize>>> {
        batches(self.bow.docs.len(), self.batch_size, Some(rng), false)
    }

    fn train_batch_loss(&mut self, batch: &Vec<usize>, rng: &mut Rng) -> Result<Tensor> {
        self.loss(batch, Some(rng))
    }

    fn batch_tokens(&self, batch: &Vec<usize>) -> usize {
        batch.iter().map(|&i| self.bow.docs[i].len()).sum()
    }

    fn evaluate(&mut self) -> Result<Metrics> {
        let idx: Vec<usize> = (0..self.dev_docs.len()).collect();
        let x = self.bow.dense(&self.dev_docs, &idx);
        let pred = self.logits(&x, None)?.argmax(1)?.to_vec1::<u32>()?;
        let correct = pred
            .iter()
            .zip(&self.dev_labels)
            .filter(|(p, y)| p == y)
            .count();
        Ok(Metrics::from([(
            "accuracy".to_string(),
            correct as f64 / idx.len() as f64,
        )]))
    }
}

/// The path of `rel` under `$JOURNEY_DATA`, or `None` (after printing why)
/// when the data is not available and not required.
pub fn data_file(rel: &str) -> Option<PathBuf> {
    journey_data::testdata::file(rel)
}

/// A fixture committed beside the tests (`tests/fixtures/NAME`).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The golden values written by `tools/reference/autograd_golden.py`.
pub fn golden() -> serde_json::Value {
    let path = fixture("autograd_golden.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The SMS spam data set with the default features, or `None` when the data
/// is not available.
pub fn sms() -> Option<SmsDataset> {
    let sms = data_file("classification/sms_spam/sms.tsv")?;
    let stops = data_file("lexicons/stopwords_nltk_english.txt")?;
    Some(sms_features::load(&sms, &stops, &SmsConfig::default()).unwrap())
}

pub fn f64s(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .flat_map(|x| match x.as_array() {
            Some(row) => row.iter().map(|y| y.as_f64().unwrap()).collect::<Vec<_>>(),
            None => vec![x.as_f64().unwrap()],
        })
        .collect()
}

pub fn rows(v: &serde_json::Value) -> Vec<Vec<f64>> {
    v.as_array().unwrap().iter().map(f64s).collect()
}

pub fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}
