//! The catalog: every data set the journey uses, by name, with its path
//! relative to a data root, its checksum, where it comes from and its licence.
//!
//! The table is `catalog.json` beside this crate (written by
//! `tools/catalog/gen_catalog.py`), compiled in so the binary needs no file.

use serde::{Deserialize, Serialize};

use crate::DataError;

/// A single file, or a folder checked as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatasetKind {
    File,
    Folder,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dataset {
    pub name: String,
    /// Path relative to a data root (`$JOURNEY_DATA`, the cache).
    pub path: String,
    pub kind: DatasetKind,
    /// sha256 of the file, or of the folder's listing (see `digest`).
    pub sha256: String,
    pub files: usize,
    pub bytes: u64,
    pub description: String,
    /// Where people outside get it (a repository, a package).
    pub source: String,
    /// A direct download URL, where one is known.
    pub url: Option<String>,
    pub licence: String,
}

/// The default corpus of `journey tour`.
pub const DEFAULT_CORPUS: &str = "kjv";

#[derive(Debug, Clone)]
pub struct Catalog {
    pub datasets: Vec<Dataset>,
}

impl Catalog {
    /// The catalog compiled into this crate.
    pub fn builtin() -> Self {
        Self::from_json(include_str!("../catalog.json")).expect("catalog.json is checked by a test")
    }

    pub fn from_json(json: &str) -> Result<Self, DataError> {
        let datasets: Vec<Dataset> =
            serde_json::from_str(json).map_err(|e| DataError::Catalog(e.to_string()))?;
        Ok(Self { datasets })
    }

    /// Looks a data set up by name; a near miss gets a suggestion.
    pub fn get(&self, name: &str) -> Result<&Dataset, DataError> {
        if let Some(d) = self.datasets.iter().find(|d| d.name == name) {
            return Ok(d);
        }
        let close: Vec<&str> = self
            .datasets
            .iter()
            .filter(|d| d.name.contains(name) || name.contains(d.name.as_str()))
            .map(|d| d.name.as_str())
            .collect();
        let suggestion = if close.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", close.join(", "))
        };
        Err(DataError::UnknownDataset {
            name: name.to_string(),
            suggestion,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_parses_and_is_unique() {
        let c = Catalog::builtin();
        assert!(c.datasets.len() >= 40);
        let mut names: Vec<&str> = c.datasets.iter().map(|d| d.name.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), c.datasets.len(), "duplicate names");
        for d in &c.datasets {
            assert_eq!(d.sha256.len(), 64, "{}", d.name);
        }
        assert_eq!(c.get(DEFAULT_CORPUS).unwrap().path, "corpora/kjv/kjv.txt");
    }

    #[test]
    fn unknown_name_suggests() {
        let err = Catalog::builtin().get("sst2").unwrap_err().to_string();
        assert!(
            err.contains("sst2-train") && err.contains("journey data list"),
            "{err}"
        );
    }
}
