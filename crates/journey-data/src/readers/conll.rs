//! CoNLL column files (CoNLL-2003: `word POS chunk NER`; WNUT-17: `word<TAB>tag`):
//! one token per line, whitespace-separated columns, a blank line between
//! sentences, `-DOCSTART-` lines between documents.

use std::path::Path;

use crate::readers::text;
use crate::DataError;

/// One sentence: a row of columns per token.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    pub rows: Vec<Vec<String>>,
    /// 1-based line of the first token, for error messages.
    pub line: usize,
}

impl Sentence {
    /// Column `c` of every token (0 = the word, last = the tag).
    pub fn column(&self, c: usize) -> Vec<&str> {
        self.rows.iter().map(|r| r[c].as_str()).collect()
    }

    pub fn words(&self) -> Vec<&str> {
        self.column(0)
    }

    /// The last column: the gold tag in both CoNLL-2003 and WNUT-17.
    pub fn tags(&self) -> Vec<&str> {
        self.rows.iter().map(|r| r[r.len() - 1].as_str()).collect()
    }
}

/// Reads all sentences; every token line must have the same number of columns.
pub fn read_conll(path: &Path) -> Result<Vec<Sentence>, DataError> {
    let mut out = Vec::new();
    let mut current = Sentence::default();
    let mut columns: Option<usize> = None;
    for (i, line) in text::lines(path)?.enumerate() {
        let line = line?;
        let number = i + 1;
        let fields: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        if fields.is_empty() || fields[0] == "-DOCSTART-" {
            if !current.rows.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        match columns {
            None => columns = Some(fields.len()),
            Some(n) if n != fields.len() => {
                return Err(DataError::Parse {
                    path: path.to_path_buf(),
                    line: number,
                    message: format!("expected {n} columns, found {}", fields.len()),
                })
            }
            _ => {}
        }
        if current.rows.is_empty() {
            current.line = number;
        }
        current.rows.push(fields);
    }
    if !current.rows.is_empty() {
        out.push(current);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_docstart() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.conll");
        std::fs::write(
            &p,
            "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\n",
        )
        .unwrap();
        let s = read_conll(&p).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words(), ["EU", "rejects"]);
        assert_eq!(s[0].tags(), ["I-ORG", "O"]);
        assert_eq!(s[1].line, 6);
        std::fs::write(&p, "a B\nc\n").unwrap();
        let err = read_conll(&p).unwrap_err().to_string();
        assert!(
            err.contains("x.conll:2") && err.contains("expected 2 columns"),
            "{err}"
        );
    }
}
