//! Label encoding: string class names ↔ indices `0..k`, in sorted order, as
//! scikit-learn's `LabelEncoder` (`np.unique`: code-point order, which is
//! the byte order of UTF-8 and so Rust's `String` order).
//!
//! Fitting is O(n log k); encoding a label is a binary search, O(log k).

use serde::{Deserialize, Serialize};

use crate::error::MlError;

/// The sorted, distinct class names; class `i` is `classes()[i]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LabelEncoder {
    classes: Vec<String>,
}

impl LabelEncoder {
    /// The distinct labels, sorted. At least one label is needed.
    pub fn fit<S: AsRef<str>>(labels: &[S]) -> Result<Self, MlError> {
        if labels.is_empty() {
            return Err(MlError::Empty("no labels to encode".into()));
        }
        let mut classes: Vec<String> = labels.iter().map(|l| l.as_ref().to_string()).collect();
        classes.sort_unstable();
        classes.dedup();
        Ok(LabelEncoder { classes })
    }

    /// An encoder over the given class names (sorted and deduplicated).
    pub fn from_classes(classes: Vec<String>) -> Result<Self, MlError> {
        Self::fit(&classes)
    }

    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    pub fn len(&self) -> usize {
        self.classes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }

    /// The index of `label`, if it is a known class.
    pub fn index_of(&self, label: &str) -> Option<usize> {
        self.classes
            .binary_search_by(|c| c.as_str().cmp(label))
            .ok()
    }

    /// The index of `label`, or an error naming it, `at` (e.g. " at
    /// data.tsv:12", may be empty) and the known classes.
    pub fn encode(&self, label: &str, at: &str) -> Result<usize, MlError> {
        self.index_of(label).ok_or_else(|| MlError::UnknownLabel {
            label: label.to_string(),
            at: at.to_string(),
            known: self.describe(),
        })
    }

    /// Encodes every label; the first unknown one is an error.
    pub fn transform<S: AsRef<str>>(&self, labels: &[S]) -> Result<Vec<usize>, MlError> {
        labels.iter().map(|l| self.encode(l.as_ref(), "")).collect()
    }

    /// Fits on `labels` and encodes them.
    pub fn fit_transform<S: AsRef<str>>(labels: &[S]) -> Result<(Self, Vec<usize>), MlError> {
        let enc = Self::fit(labels)?;
        let y = enc.transform(labels)?;
        Ok((enc, y))
    }

    /// The class name of index `i`.
    pub fn decode(&self, i: usize) -> Result<&str, MlError> {
        self.classes.get(i).map(String::as_str).ok_or_else(|| {
            MlError::Invalid(format!(
                "class index {i} is out of range for {} classes",
                self.classes.len()
            ))
        })
    }

    /// "3 classes: a, b, c" (the first 20 names).
    fn describe(&self) -> String {
        let shown: Vec<String> = self
            .classes
            .iter()
            .take(20)
            .map(|c| format!("{c:?}"))
            .collect();
        let more = if self.classes.len() > 20 { ", …" } else { "" };
        format!("{} classes: {}{more}", self.classes.len(), shown.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_like_numpy_unique() {
        let (enc, y) = LabelEncoder::fit_transform(&["spam", "ham", "10", "2", "ham"]).unwrap();
        assert_eq!(enc.classes(), ["10", "2", "ham", "spam"]);
        assert_eq!(y, [3, 2, 0, 1, 2]);
        assert_eq!(enc.decode(3).unwrap(), "spam");
        assert!(enc.decode(4).is_err());
        let e = enc.encode("eggs", " at t.tsv:7").unwrap_err().to_string();
        assert!(
            e.contains("\"eggs\" at t.tsv:7") && e.contains("4 classes"),
            "{e}"
        );
        assert!(LabelEncoder::fit::<&str>(&[]).is_err());
    }
}
