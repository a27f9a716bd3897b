//! Model files: one safetensors file (<https://github.com/huggingface/safetensors>)
//! holding a model's variables, with what is needed to rebuild the model
//! (configuration, vocabularies, labels) as JSON strings in the header's
//! `__metadata__` map, next to a `format` tag and a `version`:
//!
//! | key | value |
//! |---|---|
//! | `format` | e.g. `journey-char-lm` — which model this is |
//! | `version` | the layout version of that model's file |
//! | others | JSON, one per field the model's `load` needs |
//!
//! Every model of the crate saves and loads through here, so they all write
//! atomically ([`write_atomic`]), check the format and the version, and name
//! the missing or mis-shaped tensor when a file does not fit.
//!
//! The header is written with its keys sorted ([`serialize_sorted`]): the
//! `safetensors` crate takes the metadata as a `HashMap`, whose order changes
//! from run to run, so the same model would otherwise give different bytes.
//!
//! Cost: O(P) time and one P-sized byte buffer to save or load P parameters.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use candle_core::{Device, Tensor};
use candle_nn::VarMap;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::checkpoint::{varmap_tensors, write_atomic};
use crate::{NnError, Result};

/// Serialises `tensors` with `metadata` as safetensors, header keys sorted so
/// that equal inputs give equal bytes.
pub fn serialize_sorted(
    tensors: &BTreeMap<String, Tensor>,
    metadata: BTreeMap<String, String>,
) -> Result<Vec<u8>> {
    let meta: HashMap<String, String> = metadata.into_iter().collect();
    let contiguous: Vec<(&str, Tensor)> = tensors
        .iter()
        .map(|(n, t)| Ok((n.as_str(), t.contiguous()?)))
        .collect::<Result<_>>()?;
    let bytes = safetensors::serialize(contiguous.iter().map(|(n, t)| (*n, t)), Some(meta))
        .map_err(|e| NnError::Config(format!("cannot serialise the tensors: {e:?}")))?;
    // Re-emit the header: serde_json's default map is a BTreeMap, so parsing
    // and printing sorts every key. Offsets count from the end of the header,
    // so the data part is kept as it is.
    let n = u64::from_le_bytes(bytes[..8].try_into().expect("8-byte prefix")) as usize;
    let header: Value = serde_json::from_slice(&bytes[8..8 + n])
        .map_err(|e| NnError::Config(format!("safetensors header: {e}")))?;
    let mut text = serde_json::to_string(&header).expect("JSON values print");
    // the format asks for the data to start 8-byte aligned (padded with spaces)
    while !text.len().is_multiple_of(8) {
        text.push(' ');
    }
    let mut out = Vec::with_capacity(8 + text.len() + bytes.len() - 8 - n);
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&bytes[8 + n..]);
    Ok(out)
}

/// Writes `varmap`'s variables to `path` (atomically) tagged `format` and
/// `version`, with each of `fields` as a JSON string in the metadata.
pub fn save_model(
    path: &Path,
    format: &str,
    version: u32,
    varmap: &VarMap,
    fields: &[(&str, Value)],
) -> Result<()> {
    let mut meta = BTreeMap::new();
    meta.insert("format".to_string(), format.to_string());
    meta.insert("version".to_string(), version.to_string());
    for (k, v) in fields {
        meta.insert(k.to_string(), v.to_string());
    }
    write_atomic(path, &serialize_sorted(&varmap_tensors(varmap), meta)?)
}

/// JSON of a serialisable value, for the `fields` of [`save_model`].
pub fn field<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("model metadata serialises")
}

/// A model file read and checked by [`ModelFile::open`].
pub struct ModelFile {
    path: PathBuf,
    bytes: Vec<u8>,
    meta: HashMap<String, String>,
}

impl ModelFile {
    /// Reads `path` and checks that it is a `format` file of `version`.
    pub fn open(path: &Path, format: &str, version: u32) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| NnError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let bad = |m: String| NnError::Checkpoint {
            path: path.to_path_buf(),
            message: m,
        };
        let (_, header) = safetensors::SafeTensors::read_metadata(&bytes)
            .map_err(|e| bad(format!("not a safetensors file: {e:?}")))?;
        let meta = header
            .metadata()
            .clone()
            .ok_or_else(|| bad(format!("no metadata: not a {format} file")))?;
        if meta.get("format").map(String::as_str) != Some(format) {
            return Err(bad(format!(
                "format is {:?}, expected {format:?}",
                meta.get("format")
            )));
        }
        if meta.get("version").map(String::as_str) != Some(&version.to_string()) {
            return Err(bad(format!(
                "version {:?} is not supported (this build reads {version})",
                meta.get("version")
            )));
        }
        Ok(Self {
            path: path.to_path_buf(),
            bytes,
            meta,
        })
    }

    /// An error about this file.
    pub fn error(&self, message: impl Into<String>) -> NnError {
        NnError::Checkpoint {
            path: self.path.clone(),
            message: message.into(),
        }
    }

    /// The metadata field `key`, parsed from JSON.
    pub fn field<T: DeserializeOwned>(&self, key: &str) -> Result<T> {
        let text = self
            .meta
            .get(key)
            .ok_or_else(|| self.error(format!("metadata has no {key:?}")))?;
        serde_json::from_str(text).map_err(|e| self.error(format!("{key}: {e}")))
    }

    /// The tensor `name` (any stored type, as candle reads it).
    pub fn tensor(&self, name: &str) -> Result<Tensor> {
        let st = safetensors::SafeTensors::deserialize(&self.bytes)
            .map_err(|e| self.error(format!("not a safetensors file: {e:?}")))?;
        let view = st
            .tensor(name)
            .map_err(|_| self.error(format!("tensor {name} is missing")))?;
        candle_core::safetensors::Load::load(&view, &Device::Cpu)
            .map_err(|e| self.error(format!("tensor {name}: {e}")))
    }

    /// Sets every variable of `varmap` from the tensor of the same name; a
    /// missing tensor, or one of another shape or type, is an error naming it.
    pub fn restore(&self, varmap: &VarMap) -> Result<()> {
        let st = safetensors::SafeTensors::deserialize(&self.bytes)
            .map_err(|e| self.error(format!("not a safetensors file: {e:?}")))?;
        let vars = varmap.data().lock().expect("varmap lock");
        for (name, var) in vars.iter() {
            let view = st
                .tensor(name)
                .map_err(|_| self.error(format!("tensor {name} is missing")))?;
            if view.shape() != var.dims() || view.dtype() != safetensors::Dtype::F32 {
                return Err(self.error(format!(
                    "tensor {name} is {:?} {:?}, the configuration needs F32 {:?}",
                    view.dtype(),
                    view.shape(),
                    var.dims()
                )));
            }
            let t = candle_core::safetensors::Load::load(&view, &Device::Cpu)
                .map_err(|e| self.error(format!("tensor {name}: {e}")))?;
            var.set(&t)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::DType;
    use candle_nn::VarBuilder;

    fn varmap() -> VarMap {
        let vm = VarMap::new();
        let vb = VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu);
        vb.get((2, 3), "a").unwrap();
        vb.get(4, "b").unwrap();
        vm
    }

    #[test]
    fn same_model_same_bytes_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let vm = varmap();
        let fields = [
            ("config", field(&vec![1, 2])),
            ("vocab", field(&["x", "y"])),
            ("labels", field(&"z")),
        ];
        let (p1, p2) = (dir.path().join("1"), dir.path().join("2"));
        save_model(&p1, "fmt", 3, &vm, &fields).unwrap();
        save_model(&p2, "fmt", 3, &vm, &fields).unwrap();
        let b1 = std::fs::read(&p1).unwrap();
        assert_eq!(b1, std::fs::read(&p2).unwrap());
        // any safetensors reader opens it
        let st = safetensors::SafeTensors::deserialize(&b1).unwrap();
        assert_eq!(st.tensor("a").unwrap().shape(), &[2, 3]);

        let other = VarMap::new();
        let vb = VarBuilder::from_varmap(&other, DType::F32, &Device::Cpu);
        vb.get_with_hints((2, 3), "a", candle_nn::Init::Const(0.0))
            .unwrap();
        vb.get_with_hints(4, "b", candle_nn::Init::Const(0.0))
            .unwrap();
        let f = ModelFile::open(&p1, "fmt", 3).unwrap();
        assert_eq!(f.field::<Vec<i32>>("config").unwrap(), vec![1, 2]);
        f.restore(&other).unwrap();
        let a = |m: &VarMap| varmap_tensors(m)["a"].to_vec2::<f32>().unwrap();
        assert_eq!(a(&vm), a(&other));

        let e = ModelFile::open(&p1, "other", 3).err().unwrap().to_string();
        assert!(e.contains("expected \"other\""), "{e}");
        let e = ModelFile::open(&p1, "fmt", 4).err().unwrap().to_string();
        assert!(e.contains("version"), "{e}");
        let e = f.field::<i32>("missing").err().unwrap().to_string();
        assert!(e.contains("\"missing\""), "{e}");

        let wrong = VarMap::new();
        let vb = VarBuilder::from_varmap(&wrong, DType::F32, &Device::Cpu);
        vb.get(5, "b").unwrap();
        let e = f.restore(&wrong).err().unwrap().to_string();
        assert!(e.contains("tensor b") && e.contains("[5]"), "{e}");
    }
}
