//! A gensim-style `Dictionary` (token ↔ integer id, document frequencies,
//! bag-of-words) and gensim's `simple_preprocess`, the input side of the topic
//! models (`lda_gibbs`, `lda_online`, `nmf`) and of `coherence`.
//!
//! It follows gensim 4.x (`gensim.corpora.Dictionary`) exactly, because
//! coherence parity depends on the same ids:
//!
//! - new tokens of a document get ids in sorted (code point) order, after the
//!   tokens already known (`doc2bow(allow_update=True)`);
//! - `filter_extremes(no_below, no_above, keep_n)` keeps the tokens whose
//!   document frequency is in `[no_below, int(no_above * num_docs)]`, keeps the
//!   `keep_n` most frequent of them (ties in id order: Python's sort is
//!   stable), then renumbers the survivors 0..n keeping their order.
//!
//! `simple_preprocess` is gensim's: lowercase, optionally strip accents (NFD,
//! drop combining marks, NFC), take the maximal runs of word characters that
//! are not digits (the regex `((?!\d)\w)+`), keep those of 2 to 15 characters
//! that do not start with `_`. Word characters are approximated with
//! `char::is_alphanumeric` (Python's `str.isalnum`); the two differ only on
//! some combining marks of Indic scripts.
//!
//! Cost: `doc2bow` is O(tokens · log distinct) per document; the dictionary
//! holds O(vocabulary) strings and counts.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::MlError;
use crate::sparse::CsrMatrix;

/// gensim's `simple_preprocess(doc, deacc, min_len=2, max_len=15)`.
pub fn simple_preprocess(doc: &str, deacc: bool) -> Vec<String> {
    simple_preprocess_len(doc, deacc, 2, 15)
}

/// `simple_preprocess` with explicit token length bounds (in characters).
pub fn simple_preprocess_len(
    doc: &str,
    deacc: bool,
    min_len: usize,
    max_len: usize,
) -> Vec<String> {
    let mut text = doc.to_lowercase();
    if deacc {
        text = deaccent(&text);
    }
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = 0usize;
    let flush = |current: &mut String, chars: &mut usize, out: &mut Vec<String>| {
        if !current.is_empty() {
            if (min_len..=max_len).contains(chars) && !current.starts_with('_') {
                out.push(std::mem::take(current));
            } else {
                current.clear();
            }
        }
        *chars = 0;
    };
    for c in text.chars() {
        if is_word_char(c) {
            current.push(c);
            chars += 1;
        } else {
            flush(&mut current, &mut chars, &mut out);
        }
    }
    flush(&mut current, &mut chars, &mut out);
    out
}

/// `\w` but not `\d`: letters, underscore, non-decimal numerics (`²`, `½`).
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic() || c == '_';
    }
    c.is_alphanumeric() && !is_decimal_digit(c)
}

/// Unicode decimal digits (category Nd) outside ASCII: the blocks of ten
/// consecutive digits whose zero is listed here.
fn is_decimal_digit(c: char) -> bool {
    const ZEROS: &[u32] = &[
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
        0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
        0xAA50, 0xABF0, 0xFF10,
    ];
    let u = c as u32;
    ZEROS.iter().any(|&z| (z..z + 10).contains(&u))
}

/// gensim's `deaccent`: NFD, drop combining marks, NFC.
pub fn deaccent(text: &str) -> String {
    let stripped: String = text
        .nfd()
        .filter(|&c| !unicode_normalization::char::is_combining_mark(c))
        .collect();
    stripped.nfc().collect()
}

/// A token ↔ id mapping with document frequencies, as gensim's `Dictionary`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Dictionary {
    id2token: Vec<String>,
    #[serde(skip)]
    token2id: HashMap<String, u32>,
    /// Documents that contain each token.
    dfs: Vec<usize>,
    /// Occurrences of each token in all documents.
    cfs: Vec<usize>,
    num_docs: usize,
    num_pos: usize,
    num_nnz: usize,
}

/// A document as sorted `(token id, count)` pairs.
pub type Bow = Vec<(u32, u32)>;

impl Dictionary {
    /// An empty dictionary.
    pub fn new() -> Self {
        Self::default()
    }

    /// `Dictionary(documents)`: every document added with `doc2bow(allow_update)`.
    pub fn from_documents<S: AsRef<str>>(docs: &[Vec<S>]) -> Self {
        let mut d = Self::new();
        for doc in docs {
            d.doc2bow_update(doc);
        }
        d
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.id2token.len()
    }

    /// Whether the dictionary has no tokens.
    pub fn is_empty(&self) -> bool {
        self.id2token.is_empty()
    }

    /// Documents seen.
    pub fn num_docs(&self) -> usize {
        self.num_docs
    }

    /// Token positions seen.
    pub fn num_pos(&self) -> usize {
        self.num_pos
    }

    /// Sum over documents of distinct tokens.
    pub fn num_nnz(&self) -> usize {
        self.num_nnz
    }

    /// Id of a token.
    pub fn id(&self, token: &str) -> Option<u32> {
        self.token2id.get(token).copied()
    }

    /// Token of an id.
    pub fn token(&self, id: u32) -> Option<&str> {
        self.id2token.get(id as usize).map(String::as_str)
    }

    /// All tokens, by id.
    pub fn tokens(&self) -> &[String] {
        &self.id2token
    }

    /// Document frequency of each id.
    pub fn dfs(&self) -> &[usize] {
        &self.dfs
    }

    /// Collection frequency of each id.
    pub fn cfs(&self) -> &[usize] {
        &self.cfs
    }

    fn count<S: AsRef<str>>(doc: &[S]) -> BTreeMap<&str, u32> {
        let mut counter: BTreeMap<&str, u32> = BTreeMap::new();
        for t in doc {
            *counter.entry(t.as_ref()).or_insert(0) += 1;
        }
        counter
    }

    /// `doc2bow(document)`: counts of the known tokens, unknown ones ignored.
    pub fn doc2bow<S: AsRef<str>>(&self, doc: &[S]) -> Bow {
        let mut bow: Bow = Self::count(doc)
            .into_iter()
            .filter_map(|(t, c)| self.id(t).map(|id| (id, c)))
            .collect();
        bow.sort_unstable();
        bow
    }

    /// `doc2bow(document, allow_update=True)`: new tokens get ids (in sorted
    /// order) and the statistics are updated.
    pub fn doc2bow_update<S: AsRef<str>>(&mut self, doc: &[S]) -> Bow {
        let counter = Self::count(doc);
        // BTreeMap iteration is sorted, as gensim's `sorted(missing)`.
        for &t in counter.keys() {
            if !self.token2id.contains_key(t) {
                let id = self.id2token.len() as u32;
                self.token2id.insert(t.to_owned(), id);
                self.id2token.push(t.to_owned());
                self.dfs.push(0);
                self.cfs.push(0);
            }
        }
        let mut bow: Bow = counter
            .iter()
            .map(|(t, &c)| (self.token2id[*t], c))
            .collect();
        bow.sort_unstable();
        self.num_docs += 1;
        self.num_pos += counter.values().map(|&c| c as usize).sum::<usize>();
        self.num_nnz += bow.len();
        for &(id, c) in &bow {
            self.dfs[id as usize] += 1;
            self.cfs[id as usize] += c as usize;
        }
        bow
    }

    /// gensim 4.x `filter_extremes(no_below, no_above, keep_n)`.
    pub fn filter_extremes(
        &mut self,
        no_below: usize,
        no_above: f64,
        keep_n: Option<usize>,
    ) -> Result<(), MlError> {
        if !(0.0..=1.0).contains(&no_above) {
            return Err(MlError::Config(format!(
                "no_above must be a fraction in [0, 1], got {no_above}"
            )));
        }
        let no_above_abs = (no_above * self.num_docs as f64) as usize;
        let mut good: Vec<u32> = (0..self.len() as u32)
            .filter(|&id| {
                let df = self.dfs[id as usize];
                no_below <= df && df <= no_above_abs
            })
            .collect();
        // Stable: equal frequencies stay in id order, as Python's sorted().
        good.sort_by(|a, b| self.dfs[*b as usize].cmp(&self.dfs[*a as usize]));
        if let Some(n) = keep_n {
            good.truncate(n);
        }
        let mut keep = vec![false; self.len()];
        for id in good {
            keep[id as usize] = true;
        }
        self.retain(&keep);
        Ok(())
    }

    /// Keeps the ids marked true and renumbers them in order (`compactify`).
    fn retain(&mut self, keep: &[bool]) {
        let mut id2token = Vec::new();
        let mut dfs = Vec::new();
        let mut cfs = Vec::new();
        for (i, &k) in keep.iter().enumerate() {
            if k {
                id2token.push(std::mem::take(&mut self.id2token[i]));
                dfs.push(self.dfs[i]);
                cfs.push(self.cfs[i]);
            }
        }
        self.id2token = id2token;
        self.dfs = dfs;
        self.cfs = cfs;
        self.rebuild_index();
    }

    fn rebuild_index(&mut self) {
        self.token2id = self
            .id2token
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
    }

    /// A document-term count matrix (documents × ids) of the given documents.
    pub fn bow_matrix<S: AsRef<str>>(&self, docs: &[Vec<S>]) -> Result<CsrMatrix, MlError> {
        let rows = docs
            .iter()
            .map(|d| {
                self.doc2bow(d)
                    .into_iter()
                    .map(|(id, c)| (id, c as f64))
                    .collect()
            })
            .collect();
        CsrMatrix::from_rows(self.len(), rows)
    }

    /// Saves as JSON (atomic write).
    pub fn save(&self, path: &Path) -> Result<(), MlError> {
        let json = serde_json::to_vec(self)
            .map_err(|e| MlError::Invalid(format!("cannot serialise dictionary: {e}")))?;
        crate::error::write_atomic(path, &json)
    }

    /// Restores after deserialisation (the token index is not stored).
    pub fn after_load(&mut self) -> Result<(), MlError> {
        let n = self.id2token.len();
        if self.dfs.len() != n || self.cfs.len() != n {
            return Err(MlError::Invalid(format!(
                "dictionary has {n} tokens but {} document and {} collection frequencies",
                self.dfs.len(),
                self.cfs.len()
            )));
        }
        self.rebuild_index();
        if self.token2id.len() != n {
            return Err(MlError::Invalid("dictionary has duplicate tokens".into()));
        }
        Ok(())
    }
}

/// TF-IDF weights of a count matrix with scikit-learn's `TfidfTransformer`
/// defaults (raw counts × (ln((1 + n) / (1 + df)) + 1), rows scaled to unit
/// L2 norm), the usual NMF input. The full vectorizers live in their own
/// module; this is the one weighting the topic models need.
pub fn tfidf_smooth_l2(counts: &CsrMatrix) -> CsrMatrix {
    tfidf_with_idf(counts, &smooth_idf(counts))
}

/// scikit-learn's smooth idf of each column: ln((1 + n) / (1 + df)) + 1.
pub fn smooth_idf(counts: &CsrMatrix) -> Vec<f64> {
    let n = counts.n_rows() as f64;
    counts
        .column_nnz()
        .iter()
        .map(|&df| ((1.0 + n) / (1.0 + df as f64)).ln() + 1.0)
        .collect()
}

/// Counts × a given idf (one per column), rows scaled to unit L2 norm: new
/// documents weighted with the training corpus's idf.
pub fn tfidf_with_idf(counts: &CsrMatrix, idf: &[f64]) -> CsrMatrix {
    let mut x = counts.clone();
    x.scale_columns(idf).expect("one idf per column");
    x.normalize_rows(crate::sparse::Norm::L2);
    x
}

/// The documents of a one-document-per-line file (the Lee corpus): every line,
/// empty ones included.
pub fn read_lines(path: &Path) -> Result<Vec<String>, MlError> {
    let bytes = std::fs::read(path).map_err(|e| MlError::io(path, e))?;
    Ok(decode_utf8_or_latin1(bytes)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// UTF-8 when the bytes are valid UTF-8, Latin-1 otherwise (`lee.cor` has a
/// Latin-1 pound sign).
pub fn decode_utf8_or_latin1(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    }
}

/// The documents of a 20 Newsgroups folder (one sub-folder per group, one
/// file per message), in sorted order of group then file name; each file is
/// decoded as Latin-1 (as scikit-learn's `fetch_20newsgroups`) and its header
/// dropped (everything before the first blank line, scikit-learn's
/// `strip_newsgroup_header`). Returns `(group, text)` pairs.
pub fn read_newsgroups(dir: &Path) -> Result<Vec<(String, String)>, MlError> {
    let mut out = Vec::new();
    let mut groups = sorted_entries(dir)?;
    groups.retain(|p| p.is_dir());
    for group in groups {
        let name = group
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for file in sorted_entries(&group)? {
            if !file.is_file() {
                continue;
            }
            let bytes = std::fs::read(&file).map_err(|e| MlError::io(&file, e))?;
            let text: String = bytes.iter().map(|&b| b as char).collect();
            let body = match text.find("\n\n") {
                Some(i) => text[i + 2..].to_owned(),
                None => String::new(),
            };
            out.push((name.clone(), body));
        }
    }
    if out.is_empty() {
        return Err(MlError::Empty(format!(
            "{}: no group folders with message files",
            dir.display()
        )));
    }
    Ok(out)
}

fn sorted_entries(dir: &Path) -> Result<Vec<std::path::PathBuf>, MlError> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| MlError::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preprocess_like_gensim() {
        assert_eq!(
            simple_preprocess("Hello, World! 4:00pm it's a_b _x x2y", false),
            vec!["hello", "world", "pm", "it", "a_b"]
        );
        assert_eq!(simple_preprocess("Café naïve", true), vec!["cafe", "naive"]);
        assert_eq!(simple_preprocess("Café", false), vec!["café"]);
    }

    #[test]
    fn ids_and_filtering() {
        let docs = vec![
            vec!["b", "a", "a"],
            vec!["c", "a"],
            vec!["d", "c", "a"],
            vec!["e"],
        ];
        let mut d = Dictionary::from_documents(&docs);
        assert_eq!(d.tokens(), &["a", "b", "c", "d", "e"]);
        assert_eq!(d.dfs(), &[3, 1, 2, 1, 1]);
        assert_eq!(d.doc2bow(&["a", "z", "a", "c"]), vec![(0, 2), (2, 1)]);
        // no_above 0.5 of 4 docs: df <= 2; no_below 1; keep 3 by df then id.
        d.filter_extremes(1, 0.5, Some(3)).unwrap();
        assert_eq!(d.tokens(), &["b", "c", "d"]);
        assert_eq!(d.id("c"), Some(1));
    }
}
