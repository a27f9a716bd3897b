//! A training run's folder, `runs/<name>/`:
//!
//! ```text
//! runs/<name>/config.json       the trainer and model configuration
//! runs/<name>/metrics.jsonl     one JSON object per logged step or evaluation
//! runs/<name>/checkpoints/      step-00000100.safetensors, best.safetensors,
//!                               last.safetensors
//! ```
//!
//! Cost: one small file append per logged line.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::checkpoint::write_atomic;
use crate::error::{NnError, Result};

#[derive(Clone, Debug)]
pub struct RunDir {
    root: PathBuf,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> NnError + '_ {
    move |e| NnError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

impl RunDir {
    /// Creates (or reopens) `runs_root/name` and its `checkpoints/` folder.
    /// The name must be a single plain path component.
    pub fn create(runs_root: &Path, name: &str) -> Result<Self> {
        let plain = !name.is_empty()
            && name != "."
            && name != ".."
            && !name.contains(['/', '\\'])
            && !name.chars().any(char::is_control);
        if !plain {
            return Err(NnError::Config(format!(
                "run name {name:?} must be a plain folder name (no '/', not '..')"
            )));
        }
        let root = runs_root.join(name);
        let ck = root.join("checkpoints");
        std::fs::create_dir_all(&ck).map_err(io(&ck))?;
        Ok(RunDir { root })
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    pub fn checkpoints_dir(&self) -> PathBuf {
        self.root.join("checkpoints")
    }

    /// `checkpoints/step-<step, 8 digits>.safetensors`.
    pub fn step_checkpoint(&self, step: u64) -> PathBuf {
        self.checkpoints_dir()
            .join(format!("step-{step:08}.safetensors"))
    }

    pub fn best_checkpoint(&self) -> PathBuf {
        self.checkpoints_dir().join("best.safetensors")
    }

    pub fn last_checkpoint(&self) -> PathBuf {
        self.checkpoints_dir().join("last.safetensors")
    }

    pub fn metrics_path(&self) -> PathBuf {
        self.root.join("metrics.jsonl")
    }

    /// Writes `config.json` (pretty, atomically).
    pub fn write_config(&self, config: &Value) -> Result<()> {
        let text = serde_json::to_string_pretty(config).expect("JSON values serialise") + "\n";
        write_atomic(&self.root.join("config.json"), text.as_bytes())
    }

    /// Appends one JSON line to `metrics.jsonl`.
    pub fn log(&self, record: &Value) -> Result<()> {
        let path = self.metrics_path();
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io(&path))?;
        writeln!(f, "{record}").map_err(io(&path))
    }

    /// Drops the lines of `metrics.jsonl` logged after `step` (a run resumed
    /// from an older checkpoint logs those steps again).
    pub fn truncate_log_after(&self, step: u64) -> Result<()> {
        let path = self.metrics_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io(&path)(e)),
        };
        let kept: String = text
            .lines()
            .filter(|line| {
                serde_json::from_str::<Value>(line)
                    .ok()
                    .and_then(|v| v.get("step").and_then(Value::as_u64))
                    .is_none_or(|s| s <= step)
            })
            .map(|l| format!("{l}\n"))
            .collect();
        write_atomic(&path, kept.as_bytes())
    }

    /// The checkpoint of the highest step in `checkpoints/`, if any.
    pub fn latest_step_checkpoint(&self) -> Option<PathBuf> {
        let dir = self.checkpoints_dir();
        let mut best: Option<(u64, PathBuf)> = None;
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(step) = name
                .strip_prefix("step-")
                .and_then(|s| s.strip_suffix(".safetensors"))
                .and_then(|s| s.parse::<u64>().ok())
            {
                if best.as_ref().is_none_or(|(b, _)| step > *b) {
                    best = Some((step, entry.path()));
                }
            }
        }
        best.map(|(_, p)| p)
    }
}
