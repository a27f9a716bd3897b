//! The training loop, generic over a task: epochs of micro-batches, gradient
//! accumulation, clipping, a learning-rate schedule per optimiser step,
//! periodic evaluation with early stopping, checkpoints every N steps and at
//! the best metric, a run folder with `metrics.jsonl`, a progress bar, and
//! exact resumption.
//!
//! Resuming is bit-exact: a run interrupted at step k and resumed from its
//! checkpoint produces the same per-step losses and parameters as one that
//! never stopped. That holds because every random draw comes from saved
//! state: the epoch's batch order from a generator seeded by (seed, epoch),
//! re-created on resume, and the task's own draws (dropout) from the
//! training generator whose state is in the checkpoint with the model, the
//! optimiser buffers and the position in the epoch.
//!
//! Cost per optimiser step: `grad_accum` forward and backward passes, O(P)
//! for accumulation, clipping and the update; a checkpoint is O(P) bytes.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use candle_core::Tensor;
use candle_nn::VarMap;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::accumulate::GradAccumulator;
use crate::checkpoint::{load_checkpoint, save_checkpoint, varmap_tensors, TrainState};
use crate::clip::{clip_grad_norm, clip_grad_value, grad_norm};
use crate::early_stopping::{EarlyStopping, EarlyStoppingConfig};
use crate::error::{NnError, Result};
use crate::optim::Optimizer;
use crate::rng::Rng;
use crate::run_dir::RunDir;
use crate::schedule::Schedule;

/// Evaluation results by name (`accuracy`, `loss`, ...).
pub type Metrics = BTreeMap<String, f64>;

/// What the loop trains: a model with its data.
pub trait TrainTask {
    type Batch;

    /// The model's configuration (architecture and sizes). Saved in
    /// `config.json` and in every checkpoint; resuming from a checkpoint of
    /// another configuration fails.
    fn config(&self) -> Value;

    /// The model's variables (saved in checkpoints, restored on resume).
    fn varmap(&self) -> &VarMap;

    /// The micro-batches of epoch `epoch`, in order. Shuffle with `rng`
    /// only: it is seeded from (seed, epoch), so a resumed run sees the
    /// same batches.
    fn epoch_batches(&mut self, epoch: u64, rng: &mut Rng) -> Result<Vec<Self::Batch>>;

    /// The scalar training loss of one micro-batch (mean over its examples).
    /// Draw dropout masks and the like from `rng`.
    fn train_batch_loss(&mut self, batch: &Self::Batch, rng: &mut Rng) -> Result<Tensor>;

    /// Tokens (or examples) in a batch, for the tokens/s figure.
    fn batch_tokens(&self, _batch: &Self::Batch) -> usize {
        0
    }

    /// Evaluation on held-out data.
    fn evaluate(&mut self) -> Result<Metrics>;

    /// Asked after every optimiser step: `true` ends training after one
    /// more evaluation (e.g. a time budget is spent).
    fn should_stop(&self) -> bool {
        false
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainerConfig {
    /// The run's folder is `runs_dir/run_name`.
    pub run_name: String,
    pub runs_dir: PathBuf,
    pub epochs: u64,
    /// Stop after this many optimiser steps (all epochs together).
    pub max_steps: Option<u64>,
    /// Stop at the first step boundary after this many seconds of this
    /// call (a time-limited run; the last checkpoint is still written).
    pub time_limit_s: Option<f64>,
    /// Micro-batches per optimiser step (their gradients are averaged).
    pub grad_accum: u64,
    /// Clip the gradients' global L2 norm to this.
    pub clip_norm: Option<f64>,
    /// Clamp each gradient entry to ±this.
    pub clip_value: Option<f64>,
    pub schedule: Schedule,
    /// Log the training loss every this many steps.
    pub log_every: u64,
    /// Evaluate every this many steps; `None`: at the end of each epoch.
    pub eval_every: Option<u64>,
    /// Save `checkpoints/step-N.safetensors` every this many steps.
    pub checkpoint_every: Option<u64>,
    /// The metric for the best checkpoint and early stopping.
    pub early_stopping: Option<EarlyStoppingConfig>,
    pub seed: u64,
    /// No progress bar.
    pub quiet: bool,
}

impl Default for TrainerConfig {
    fn default() -> Self {
        TrainerConfig {
            run_name: "run".into(),
            runs_dir: PathBuf::from("runs"),
            epochs: 1,
            max_steps: None,
            time_limit_s: None,
            grad_accum: 1,
            clip_norm: None,
            clip_value: None,
            schedule: Schedule::default(),
            log_every: 1,
            eval_every: None,
            checkpoint_every: None,
            early_stopping: None,
            seed: 0,
            quiet: false,
        }
    }
}

/// What a call to [`Trainer::fit`] did.
#[derive(Clone, Debug, Default)]
pub struct TrainReport {
    /// `(step, mean micro-batch loss)` for every optimiser step of this call
    /// (steps count from 1).
    pub losses: Vec<(u64, f64)>,
    /// Every evaluation of this call: `(step, metrics)`.
    pub evals: Vec<(u64, Metrics)>,
    /// The loop state at the end (step, epoch, best metric, ...).
    pub state: TrainState,
    pub stopped_early: bool,
    /// The run stopped at [`TrainerConfig::time_limit_s`].
    pub timed_out: bool,
}

/// The generator of epoch `epoch`'s batch order.
fn epoch_rng(seed: u64, epoch: u64) -> Rng {
    Rng::seed(seed ^ epoch.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

pub struct Trainer {
    pub config: TrainerConfig,
    run: RunDir,
}

impl Trainer {
    /// Checks the configuration and creates the run folder.
    pub fn new(config: TrainerConfig) -> Result<Self> {
        if config.grad_accum == 0 || config.log_every == 0 {
            return Err(NnError::Config(
                "grad_accum and log_every must be >= 1".into(),
            ));
        }
        if config.eval_every == Some(0) || config.checkpoint_every == Some(0) {
            return Err(NnError::Config(
                "eval_every and checkpoint_every must be >= 1 when set".into(),
            ));
        }
        config.schedule.validate()?;
        let run = RunDir::create(&config.runs_dir, &config.run_name)?;
        Ok(Trainer { config, run })
    }

    pub fn run_dir(&self) -> &RunDir {
        &self.run
    }

    fn save(
        &self,
        path: &Path,
        task_config: &Value,
        varmap: &VarMap,
        opt: &dyn Optimizer,
        state: &TrainState,
    ) -> Result<()> {
        save_checkpoint(
            path,
            &varmap_tensors(varmap),
            &opt.state()?,
            state,
            task_config,
        )
    }

    /// Trains `task` with `opt` (built over the task's variables), from
    /// scratch or, with `resume`, from a checkpoint of this configuration.
    pub fn fit<T: TrainTask>(
        &mut self,
        task: &mut T,
        opt: &mut dyn Optimizer,
        resume: Option<&Path>,
    ) -> Result<TrainReport> {
        let c = self.config.clone();
        let task_config = task.config();
        let mut state = TrainState {
            rng: Rng::seed(c.seed).state(),
            ..Default::default()
        };
        let mut early = c.early_stopping.clone().map(EarlyStopping::new);
        if let Some(path) = resume {
            let ck = load_checkpoint(path)?;
            ck.check_config(&task_config)?;
            ck.restore_model(task.varmap())?;
            opt.load_state(&ck.optimizer)?;
            state = ck.train.clone();
            if let Some(es) = early.as_mut() {
                es.best = state.best_metric;
                es.evals_without_improvement = state.evals_without_improvement;
            }
            self.run.truncate_log_after(state.step)?;
        }
        self.run.write_config(&json!({
            "trainer": serde_json::to_value(&c).expect("config serialises"),
            "model": task_config,
        }))?;
        let mut rng = Rng::from_state(state.rng);
        let mut acc = GradAccumulator::new(opt.params().clone());
        let mut report = TrainReport::default();

        let hidden = c.quiet || !std::io::stderr().is_terminal();
        let bar = ProgressBar::with_draw_target(
            c.max_steps,
            if hidden {
                ProgressDrawTarget::hidden()
            } else {
                ProgressDrawTarget::stderr()
            },
        );
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} step {pos}/{len} [{elapsed_precise}<{eta_precise}] {msg}",
            )
            .expect("valid template"),
        );
        bar.set_position(state.step);

        let mut epoch_batches: Option<(u64, Vec<T::Batch>)> = None;
        let started = Instant::now();
        'training: loop {
            if state.epoch >= c.epochs || c.max_steps.is_some_and(|m| state.step >= m) {
                break;
            }
            if c.time_limit_s
                .is_some_and(|s| started.elapsed().as_secs_f64() >= s)
            {
                report.timed_out = true;
                break;
            }
            if epoch_batches
                .as_ref()
                .is_none_or(|(e, _)| *e != state.epoch)
            {
                let batches =
                    task.epoch_batches(state.epoch, &mut epoch_rng(c.seed, state.epoch))?;
                if batches.is_empty() {
                    return Err(NnError::Empty(format!(
                        "epoch {} has no batches",
                        state.epoch
                    )));
                }
                if c.max_steps.is_none() {
                    let per_epoch = (batches.len() as u64).div_ceil(c.grad_accum);
                    bar.set_length(per_epoch * c.epochs);
                }
                epoch_batches = Some((state.epoch, batches));
            }
            let batches = &epoch_batches.as_ref().expect("set above").1;
            let start = state.batch_in_epoch as usize;
            if start >= batches.len() {
                return Err(NnError::Config(format!(
                    "checkpoint position {start} is past the {} batches of epoch {}: the data changed",
                    batches.len(),
                    state.epoch
                )));
            }
            let end = (start + c.grad_accum as usize).min(batches.len());

            // One optimiser step over micro-batches start..end.
            let t0 = Instant::now();
            let lr = c.schedule.lr_at(state.step);
            opt.set_learning_rate(lr);
            let mut loss_sum = 0f64;
            let mut tokens = 0usize;
            for batch in &batches[start..end] {
                let loss = task.train_batch_loss(batch, &mut rng)?;
                let value = loss.to_dtype(candle_core::DType::F32)?.to_scalar::<f32>()?;
                if !value.is_finite() {
                    return Err(NnError::Config(format!(
                        "loss is {value} at step {}: lower the learning rate or clip gradients",
                        state.step + 1
                    )));
                }
                loss_sum += value as f64;
                tokens += task.batch_tokens(batch);
                acc.add(&loss.backward()?)?;
            }
            let k = (end - start) as f64;
            let mut grads = acc.mean()?;
            if let Some(v) = c.clip_value {
                clip_grad_value(&mut grads, opt.params(), v)?;
            }
            let norm = match c.clip_norm {
                Some(m) => clip_grad_norm(&mut grads, opt.params(), m)?,
                None if state.step % c.log_every == c.log_every - 1 => {
                    grad_norm(&grads, opt.params())?
                }
                None => f64::NAN,
            };
            opt.step(&grads)?;
            drop(grads);
            state.step += 1;
            state.batch_in_epoch = end as u64;
            let loss = loss_sum / k;
            report.losses.push((state.step, loss));
            let secs = t0.elapsed().as_secs_f64();
            let tokens_per_s = if secs > 0.0 {
                tokens as f64 / secs
            } else {
                0.0
            };
            let epoch_done = end == batches.len();

            if state.step.is_multiple_of(c.log_every) {
                self.run.log(&json!({
                    "step": state.step,
                    "epoch": state.epoch,
                    "loss": loss,
                    "lr": lr,
                    "grad_norm": if norm.is_finite() { Some(norm) } else { None },
                    "tokens_per_s": tokens_per_s,
                }))?;
            }
            bar.set_position(state.step);
            bar.set_message(format!(
                "loss {loss:.4} lr {lr:.2e} {tokens_per_s:.0} tok/s"
            ));

            if epoch_done {
                state.epoch += 1;
                state.batch_in_epoch = 0;
            }
            let stop_requested = task.should_stop();
            let eval_now = stop_requested
                || match c.eval_every {
                    Some(n) => state.step.is_multiple_of(n),
                    None => epoch_done,
                };
            let mut stop = stop_requested;
            if eval_now {
                let metrics = task.evaluate()?;
                self.run
                    .log(&json!({ "step": state.step, "epoch": state.epoch, "eval": metrics }))?;
                if let Some(es) = early.as_mut() {
                    let value = *metrics.get(&es.config.metric).ok_or_else(|| {
                        NnError::Config(format!(
                            "early stopping metric {:?} is not among the evaluation's {:?}",
                            es.config.metric,
                            metrics.keys().collect::<Vec<_>>()
                        ))
                    })?;
                    let verdict = es.update(value)?;
                    state.best_metric = es.best;
                    state.evals_without_improvement = es.evals_without_improvement;
                    if verdict.improved {
                        state.rng = rng.state();
                        self.save(
                            &self.run.best_checkpoint(),
                            &task_config,
                            task.varmap(),
                            opt,
                            &state,
                        )?;
                    }
                    stop |= verdict.stop;
                }
                report.evals.push((state.step, metrics));
            }
            if c.checkpoint_every
                .is_some_and(|n| state.step.is_multiple_of(n))
            {
                state.rng = rng.state();
                self.save(
                    &self.run.step_checkpoint(state.step),
                    &task_config,
                    task.varmap(),
                    opt,
                    &state,
                )?;
            }
            if stop {
                report.stopped_early = true;
                break 'training;
            }
        }
        bar.finish_and_clear();
        state.rng = rng.state();
        self.save(
            &self.run.last_checkpoint(),
            &task_config,
            task.varmap(),
            opt,
            &state,
        )?;
        report.state = state;
        Ok(report)
    }
}
