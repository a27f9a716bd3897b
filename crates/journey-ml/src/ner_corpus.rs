//! NER corpora in CoNLL column format: CoNLL-2003 (`word POS chunk NER`, IOB1,
//! `-DOCSTART-` lines between documents) and WNUT-17 (`word<TAB>tag`, BIO).
//! Reading is `journey_data::readers::conll`; this file adds what NER needs:
//! every tag must be a chunk tag, and a bad one is reported with its
//! `file:line`. Also detects whether a file is IOB1 or IOB2.
//!
//! Cost: O(file size) time and memory.

use std::path::Path;

use journey_data::readers::conll::read_conll;
use serde::{Deserialize, Serialize};

use crate::tag_scheme::{check_tag, split_tag, TagScheme};
use crate::MlError;

/// One sentence: words, gold tags (last column) and the columns in between
/// (POS and chunk tags in CoNLL-2003), row by row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NerSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
    /// Columns between the word and the tag, per token (may be empty).
    pub extra: Vec<Vec<String>>,
    /// 1-based line of the first token.
    pub line: usize,
}

/// Reads a labelled CoNLL file (at least two columns; the last is the tag).
pub fn read_ner(path: &Path) -> Result<Vec<NerSentence>, MlError> {
    let sentences = read_conll(path)?;
    let mut out = Vec::with_capacity(sentences.len());
    for s in sentences {
        let mut n = NerSentence {
            line: s.line,
            ..Default::default()
        };
        for (i, row) in s.rows.into_iter().enumerate() {
            if row.len() < 2 {
                return Err(MlError::parse(
                    path,
                    s.line + i,
                    "expected at least two columns (word … tag)",
                ));
            }
            let tag = &row[row.len() - 1];
            check_tag(tag).map_err(|m| MlError::parse(path, s.line + i, m))?;
            n.words.push(row[0].clone());
            n.tags.push(tag.clone());
            n.extra.push(row[1..row.len() - 1].to_vec());
        }
        out.push(n);
    }
    Ok(out)
}

/// IOB1 when some chunk opens with `I-` (after `O`, or after another type),
/// IOBES when `E-`/`S-` appear, IOB2 otherwise.
pub fn detect_scheme(sentences: &[NerSentence]) -> TagScheme {
    let mut iob1 = false;
    for s in sentences {
        let mut prev = ('O', "_");
        for t in &s.tags {
            let (p, k) = split_tag(t);
            if p == 'E' || p == 'S' {
                return TagScheme::Iobes;
            }
            if p == 'I' && (prev.0 == 'O' || prev.1 != k) {
                iob1 = true;
            }
            prev = (p, k);
        }
    }
    if iob1 {
        TagScheme::Iob1
    } else {
        TagScheme::Iob2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_tag_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.conll");
        std::fs::write(&p, "EU I-ORG\nrejects O\n\nPeter X-PER\n").unwrap();
        let err = read_ner(&p).unwrap_err().to_string();
        assert!(
            err.contains("bad.conll:4") && err.contains("X-PER"),
            "{err}"
        );
        std::fs::write(&p, "EU I-ORG\nrejects O\n").unwrap();
        let s = read_ner(&p).unwrap();
        assert_eq!(detect_scheme(&s), TagScheme::Iob1);
    }
}
