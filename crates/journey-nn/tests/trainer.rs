//! The training loop on real data: a bag-of-words MLP on SST-2's first 2,000
//! sentences. A run interrupted at step 47 and resumed from its step-45
//! checkpoint must reproduce the uninterrupted run's losses and parameters
//! bit for bit.

mod common;

use std::path::Path;

use common::{sst2, MlpTask};
use journey_nn::early_stopping::{EarlyStoppingConfig, Mode};
use journey_nn::optim::{Adam, AdamConfig, Params};
use journey_nn::schedule::Schedule;
use journey_nn::trainer::{TrainReport, Trainer, TrainerConfig};
use serde_json::Value;

fn config(dir: &Path, name: &str, max_steps: u64) -> TrainerConfig {
    TrainerConfig {
        run_name: name.into(),
        runs_dir: dir.to_path_buf(),
        epochs: 3,
        max_steps: Some(max_steps),
        grad_accum: 2,
        clip_norm: Some(1.0),
        schedule: Schedule::WarmupCosine {
            lr: 0.01,
            warmup_steps: 5,
            decay_steps: 60,
            min_lr: 0.001,
        },
        log_every: 1,
        eval_every: Some(16),
        checkpoint_every: Some(15),
        early_stopping: Some(EarlyStoppingConfig {
            metric: "accuracy".into(),
            mode: Mode::Max,
            patience: Some(100),
            min_delta: 0.0,
        }),
        seed: 11,
        quiet: true,
        ..Default::default()
    }
}

fn train(
    dir: &Path,
    name: &str,
    max_steps: u64,
    resume: Option<&Path>,
) -> (TrainReport, Vec<Vec<u32>>) {
    let train = sst2("classification/sst2/train.tsv", 2000).unwrap();
    let dev = sst2("classification/sst2/dev.tsv", 300).unwrap();
    let mut task = MlpTask::new(&train, &dev, 32, 5);
    let params = Params::from_varmap(&task.varmap);
    let mut opt = Adam::new(params.clone(), AdamConfig::adamw()).unwrap();
    let mut trainer = Trainer::new(config(dir, name, max_steps)).unwrap();
    let report = trainer.fit(&mut task, &mut opt, resume).unwrap();
    let bits = params
        .vars()
        .iter()
        .map(|v| {
            v.as_tensor()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap()
                .iter()
                .map(|x| x.to_bits())
                .collect()
        })
        .collect();
    (report, bits)
}

#[test]
fn interrupted_and_resumed_run_is_bit_identical() {
    if sst2("classification/sst2/train.tsv", 1).is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // 2,000 sentences / 32 = 63 micro-batches, 32 steps per epoch with
    // accumulation over 2: 70 steps cross two epoch boundaries.
    let (full, full_params) = train(dir.path(), "full", 70, None);
    assert_eq!(full.losses.len(), 70);
    let (cut, _) = train(dir.path(), "cut", 47, None);
    assert_eq!(cut.losses.len(), 47);
    let ck = dir.path().join("cut/checkpoints/step-00000045.safetensors");
    let (resumed, resumed_params) = train(dir.path(), "cut", 70, Some(&ck));
    let bits = |l: &[(u64, f64)]| l.iter().map(|(s, x)| (*s, x.to_bits())).collect::<Vec<_>>();
    assert_eq!(bits(&resumed.losses), bits(&full.losses[45..]));
    assert_eq!(bits(&cut.losses), bits(&full.losses[..47]));
    assert_eq!(
        resumed_params, full_params,
        "parameters after 70 steps differ"
    );
    assert_eq!(resumed.state, full.state);

    // The model learns: dev accuracy well above chance.
    let acc = full.evals.last().unwrap().1["accuracy"];
    assert!(acc > 0.6, "dev accuracy {acc}");
    assert!(full.losses[60..].iter().map(|x| x.1).sum::<f64>() / 10.0 < full.losses[0].1);

    // The run folder: config, one metrics line per step and evaluation (the
    // resumed run's log has no duplicate steps), step/best/last checkpoints.
    let run = dir.path().join("cut");
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(run.join("config.json")).unwrap()).unwrap();
    assert_eq!(config["model"]["hidden"], 32);
    assert_eq!(config["trainer"]["grad_accum"], 2);
    let lines: Vec<Value> = std::fs::read_to_string(run.join("metrics.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let steps: Vec<u64> = lines
        .iter()
        .filter(|l| l.get("loss").is_some())
        .map(|l| l["step"].as_u64().unwrap())
        .collect();
    assert_eq!(steps, (1..=70).collect::<Vec<_>>());
    assert_eq!(lines.iter().filter(|l| l.get("eval").is_some()).count(), 4);
    for name in ["step-00000015", "step-00000060", "best", "last"] {
        assert!(
            run.join(format!("checkpoints/{name}.safetensors")).exists(),
            "{name}"
        );
    }
}
