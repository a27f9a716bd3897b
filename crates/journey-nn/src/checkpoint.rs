//! Training checkpoints: the model's variables, the optimiser's buffers, the
//! random generator's state, the step, epoch and best metric, in ONE
//! safetensors file (<https://github.com/huggingface/safetensors>). Tensors are
//! stored as `model/<name>` and `optim/<buffer>.<name>`; everything else is
//! JSON in the safetensors header's `__metadata__` (string map):
//!
//! | key | value |
//! |---|---|
//! | `format` | `journey-nn-checkpoint/1` |
//! | `config` | the model/run configuration (JSON), compared on resume |
//! | `train_state` | [`TrainState`] (JSON) |
//! | `optimizer` | optimiser kind and scalar state (JSON) |
//!
//! The model tensors keep their plain names under the `model/` prefix, so the
//! file opens in any safetensors reader. Writes are atomic: a temporary file
//! in the same folder, flushed to disk, then renamed over the target, so a
//! crash never leaves a half-written checkpoint under the final name.
//!
//! Cost: O(P) time and one P-sized byte buffer to save or load P parameters
//! (plus the optimiser's buffers).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarMap;
use safetensors::SafeTensors;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{NnError, Result};
use crate::model_file::serialize_sorted;
use crate::optim::OptimizerState;

pub const FORMAT: &str = "journey-nn-checkpoint/1";
const MODEL: &str = "model/";
const OPTIM: &str = "optim/";

/// Where the training loop stands.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainState {
    /// Optimiser steps taken.
    pub step: u64,
    /// The current epoch (from 0).
    pub epoch: u64,
    /// Micro-batches of the current epoch already consumed.
    pub batch_in_epoch: u64,
    /// Best evaluation metric so far (for best-checkpoint and early stopping).
    pub best_metric: Option<f64>,
    /// Evaluations since the best one (early stopping's patience counter).
    pub evals_without_improvement: u64,
    /// The training generator's state (dropout masks and the like).
    pub rng: [u64; 4],
}

#[derive(Serialize, Deserialize)]
struct OptimizerMeta {
    kind: String,
    scalars: BTreeMap<String, f64>,
}

/// A loaded checkpoint.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    pub path: PathBuf,
    pub model: BTreeMap<String, Tensor>,
    pub optimizer: OptimizerState,
    pub train: TrainState,
    pub config: Value,
}

fn err(path: &Path, message: impl Into<String>) -> NnError {
    NnError::Checkpoint {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// The variables of a `VarMap` by name (sorted).
pub fn varmap_tensors(varmap: &VarMap) -> BTreeMap<String, Tensor> {
    let data = varmap.data().lock().expect("VarMap lock poisoned");
    data.iter()
        .map(|(k, v)| (k.clone(), v.as_tensor().clone()))
        .collect()
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder,
/// fsync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |e: std::io::Error| NnError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| err(path, "not a file path"))?
        .to_string_lossy();
    let tmp = dir.join(format!(".{file_name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    // Make the rename itself durable where the platform allows it.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Saves a checkpoint of `model` (usually [`varmap_tensors`]), the optimiser
/// state, the loop state and the configuration `config` to `path`.
pub fn save_checkpoint(
    path: &Path,
    model: &BTreeMap<String, Tensor>,
    optimizer: &OptimizerState,
    train: &TrainState,
    config: &Value,
) -> Result<()> {
    let mut tensors: BTreeMap<String, Tensor> = BTreeMap::new();
    for (name, t) in model {
        tensors.insert(format!("{MODEL}{name}"), t.clone());
    }
    for (name, t) in &optimizer.tensors {
        tensors.insert(format!("{OPTIM}{name}"), t.clone());
    }
    let meta = OptimizerMeta {
        kind: optimizer.kind.clone(),
        scalars: optimizer.scalars.clone(),
    };
    let mut metadata = BTreeMap::new();
    metadata.insert("format".to_string(), FORMAT.to_string());
    metadata.insert("config".to_string(), config.to_string());
    metadata.insert("train_state".to_string(), json(train));
    metadata.insert("optimizer".to_string(), json(&meta));
    let bytes = serialize_sorted(&tensors, metadata)
        .map_err(|e| err(path, format!("cannot serialise: {e}")))?;
    write_atomic(path, &bytes)
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain structs serialise")
}

/// Loads a checkpoint; a truncated or corrupt file, a file that is not a
/// journey-nn checkpoint or a damaged header is an error naming the file.
pub fn load_checkpoint(path: &Path) -> Result<Checkpoint> {
    let bytes = std::fs::read(path).map_err(|e| NnError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let st = SafeTensors::deserialize(&bytes).map_err(|e| {
        err(
            path,
            format!("not a complete safetensors file (truncated or corrupt?): {e:?}"),
        )
    })?;
    let (_, header) = SafeTensors::read_metadata(&bytes)
        .map_err(|e| err(path, format!("unreadable safetensors header: {e:?}")))?;
    let meta = header.metadata().clone().unwrap_or_default();
    let get = |key: &str| {
        meta.get(key).ok_or_else(|| {
            err(
                path,
                format!("not a journey-nn checkpoint: no {key:?} in the safetensors metadata"),
            )
        })
    };
    let format = get("format")?;
    if format != FORMAT {
        return Err(err(
            path,
            format!("checkpoint format {format:?}, this program reads {FORMAT:?}"),
        ));
    }
    let config: Value = serde_json::from_str(get("config")?)
        .map_err(|e| err(path, format!("metadata \"config\" is not JSON: {e}")))?;
    let train: TrainState = serde_json::from_str(get("train_state")?)
        .map_err(|e| err(path, format!("metadata \"train_state\" is invalid: {e}")))?;
    let om: OptimizerMeta = serde_json::from_str(get("optimizer")?)
        .map_err(|e| err(path, format!("metadata \"optimizer\" is invalid: {e}")))?;
    let mut model = BTreeMap::new();
    let mut optim = BTreeMap::new();
    for (name, view) in st.tensors() {
        let t = candle_core::safetensors::Load::load(&view, &Device::Cpu)
            .map_err(|e| err(path, format!("tensor {name}: {e}")))?;
        if let Some(n) = name.strip_prefix(MODEL) {
            model.insert(n.to_string(), t);
        } else if let Some(n) = name.strip_prefix(OPTIM) {
            optim.insert(n.to_string(), t);
        } else {
            return Err(err(
                path,
                format!("unexpected tensor {name:?} (neither model/ nor optim/)"),
            ));
        }
    }
    Ok(Checkpoint {
        path: path.to_path_buf(),
        model,
        optimizer: OptimizerState {
            kind: om.kind,
            tensors: optim,
            scalars: om.scalars,
        },
        train,
        config,
    })
}

impl Checkpoint {
    /// Fails, listing the differing settings, when the checkpoint was made
    /// with another configuration than `expected` (another architecture,
    /// other sizes).
    pub fn check_config(&self, expected: &Value) -> Result<()> {
        if &self.config == expected {
            return Ok(());
        }
        let mut diffs = Vec::new();
        match (&self.config, expected) {
            (Value::Object(a), Value::Object(b)) => {
                let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for k in keys {
                    let (x, y) = (a.get(k), b.get(k));
                    if x != y {
                        let show =
                            |v: Option<&Value>| v.map_or("(absent)".to_string(), Value::to_string);
                        diffs.push(format!("{k}: checkpoint {}, this run {}", show(x), show(y)));
                    }
                }
            }
            (a, b) => diffs.push(format!("checkpoint {a}, this run {b}")),
        }
        Err(err(
            &self.path,
            format!(
                "checkpoint of another model configuration: {}",
                diffs.join("; ")
            ),
        ))
    }

    /// Copies the model tensors into `varmap`. Every variable must be present
    /// with its shape; extra tensors in the checkpoint are an error too (a
    /// checkpoint of another architecture).
    pub fn restore_model(&self, varmap: &VarMap) -> Result<()> {
        let data = varmap.data().lock().expect("VarMap lock poisoned");
        let mut names: Vec<&String> = data.keys().collect();
        names.sort();
        for name in &names {
            if !self.model.contains_key(*name) {
                return Err(err(
                    &self.path,
                    format!(
                        "missing tensor model/{name} (the model has it, the checkpoint does not)"
                    ),
                ));
            }
        }
        for name in self.model.keys() {
            if !data.contains_key(name) {
                return Err(err(
                    &self.path,
                    format!("unexpected tensor model/{name}: the model has no such variable (another architecture?)"),
                ));
            }
        }
        // All shapes are checked before any variable changes.
        for name in &names {
            let var = &data[*name];
            let t = &self.model[*name];
            if t.dims() != var.dims() {
                return Err(err(
                    &self.path,
                    format!(
                        "shape mismatch for tensor model/{name}: checkpoint {:?}, model {:?}",
                        t.dims(),
                        var.dims()
                    ),
                ));
            }
        }
        for name in names {
            let var = &data[name];
            let dtype: DType = var.dtype();
            var.set(&self.model[name].to_dtype(dtype)?)?;
        }
        Ok(())
    }
}
