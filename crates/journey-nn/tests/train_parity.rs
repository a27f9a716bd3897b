//! The training loop against PyTorch on a real loss
//! (`tools/reference/train_golden.py`): softmax regression on bag-of-words of
//! SST-2's first 512 sentences, accumulation over 2 micro-batches, clipping
//! at norm 0.15, AdamW with nanoGPT's warm-up + cosine schedule, 12 steps.
//! Per-step losses, pre-clip gradient norms and final weights must agree.

mod common;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::VarMap;
use common::{sst2, Bow};
use journey_nn::optim::{Adam, AdamConfig, Params};
use journey_nn::rng::Rng;
use journey_nn::schedule::Schedule;
use journey_nn::trainer::{Metrics, TrainTask, Trainer, TrainerConfig};
use journey_nn::Result;
use serde_json::{json, Value};

struct Softmax {
    varmap: VarMap,
    bow: Bow,
}

impl Softmax {
    fn var(&self, name: &str) -> Tensor {
        self.varmap.data().lock().unwrap()[name].as_tensor().clone()
    }
}

impl TrainTask for Softmax {
    type Batch = Vec<usize>;

    fn config(&self) -> Value {
        json!({"model": "softmax", "vocab": self.bow.vocab.len()})
    }

    fn varmap(&self) -> &VarMap {
        &self.varmap
    }

    /// Batches of 64 in file order, as the reference.
    fn epoch_batches(&mut self, _epoch: u64, _rng: &mut Rng) -> Result<Vec<Vec<usize>>> {
        let n = self.bow.docs.len();
        Ok((0..n)
            .step_by(64)
            .map(|i| (i..(i + 64).min(n)).collect())
            .collect())
    }

    fn train_batch_loss(&mut self, batch: &Vec<usize>, _rng: &mut Rng) -> Result<Tensor> {
        let x = self.bow.dense(&self.bow.docs, batch);
        let logits = x
            .matmul(&self.var("fc.weight").t()?)?
            .broadcast_add(&self.var("fc.bias"))?;
        let y: Vec<u32> = batch.iter().map(|&i| self.bow.labels[i]).collect();
        let y = Tensor::from_vec(y, batch.len(), &Device::Cpu)?;
        Ok(candle_nn::loss::cross_entropy(&logits, &y)?)
    }

    fn evaluate(&mut self) -> Result<Metrics> {
        Ok(Metrics::new())
    }
}

#[test]
fn training_loop_matches_torch_on_sst2_softmax_regression() {
    let Some(rows) = sst2("classification/sst2/train.tsv", 512) else {
        return;
    };
    let golden: Value = serde_json::from_str(include_str!("fixtures/train_golden.json")).unwrap();
    let bow = Bow::fit(&rows);
    assert_eq!(
        bow.vocab.len() as u64,
        golden["vocab_size"].as_u64().unwrap()
    );
    let v = bow.vocab.len();
    let varmap = VarMap::new();
    {
        let mut d = varmap.data().lock().unwrap();
        let zeros = |shape: &[usize]| {
            Var::from_tensor(&Tensor::zeros(shape, DType::F32, &Device::Cpu).unwrap()).unwrap()
        };
        d.insert("fc.weight".into(), zeros(&[2, v]));
        d.insert("fc.bias".into(), zeros(&[2]));
    }
    let mut task = Softmax { varmap, bow };
    let params = Params::from_varmap(&task.varmap);
    let mut opt = Adam::new(
        params,
        AdamConfig {
            lr: 0.05,
            weight_decay: 0.01,
            ..AdamConfig::adamw()
        },
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut trainer = Trainer::new(TrainerConfig {
        run_name: "softmax".into(),
        runs_dir: dir.path().to_path_buf(),
        epochs: 3,
        grad_accum: 2,
        clip_norm: Some(0.15),
        schedule: Schedule::WarmupCosine {
            lr: 0.05,
            warmup_steps: 3,
            decay_steps: 12,
            min_lr: 0.005,
        },
        quiet: true,
        eval_every: Some(1000),
        ..Default::default()
    })
    .unwrap();
    let report = trainer.fit(&mut task, &mut opt, None).unwrap();

    let want: Vec<f64> = golden["losses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(report.losses.len(), want.len());
    let mut worst_loss = 0f64;
    for ((_, got), want) in report.losses.iter().zip(&want) {
        worst_loss = worst_loss.max((got - want).abs() / want.abs());
    }
    let logged: Vec<f64> = std::fs::read_to_string(dir.path().join("softmax/metrics.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["grad_norm"]
                .as_f64()
                .unwrap()
        })
        .collect();
    let mut worst_norm = 0f64;
    for (got, want) in logged.iter().zip(golden["grad_norms"].as_array().unwrap()) {
        let want = want.as_f64().unwrap();
        worst_norm = worst_norm.max((got - want).abs() / want);
    }
    let mut worst_w = 0f64;
    for (name, key) in [("fc.weight", "weight"), ("fc.bias", "bias")] {
        let got = task
            .var(name)
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        for (a, b) in got.iter().zip(golden[key].as_array().unwrap()) {
            let b = b.as_f64().unwrap();
            worst_w = worst_w.max((*a as f64 - b).abs() / b.abs().max(1.0));
        }
    }
    eprintln!(
        "vs torch: loss rel {worst_loss:e}, grad norm rel {worst_norm:e}, weights {worst_w:e}"
    );
    assert!(worst_loss < 1e-6, "loss rel diff {worst_loss:e}");
    assert!(worst_norm < 1e-6, "grad norm rel diff {worst_norm:e}");
    assert!(worst_w < 1e-6, "weight diff {worst_w:e}");
}
