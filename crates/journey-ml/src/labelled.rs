//! Labelled text for classification: reading the usual file layouts and
//! making a reproducible held-out split.
//!
//! Layouts ([`LabelledFormat`]):
//! - `label<TAB>text`, one example per line (SST-2, SMS Spam); a first line
//!   whose label is `label` is a header and skipped;
//! - fastText, `__label__x text` (one label per line);
//! - CSV `"label","field",…` with the text fields joined by a space (AG News,
//!   whose escaped `\n` become spaces, as `journey_data`'s reader);
//! - a folder of class folders holding one document per file (20 Newsgroups),
//!   files read as UTF-8, or Latin-1 when they are not.
//!
//! Blank lines are skipped; a line without a label is an error naming the
//! file and line; an empty text is kept (it becomes an all-zero row).
//! Reading is O(size of the file).
//!
//! [`holdout_every`] splits without randomness — every k-th example to the
//! test side — so a Python script reproduces the same split with
//! `i % k == k - 1`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::MlError;

/// One example and where it came from (1-based line, or 0 for a file of a
/// folder set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    pub label: String,
    pub text: String,
    pub line: usize,
}

/// Examples read from one file or folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelledSet {
    pub source: PathBuf,
    pub examples: Vec<Example>,
}

impl LabelledSet {
    pub fn texts(&self) -> Vec<&str> {
        self.examples.iter().map(|e| e.text.as_str()).collect()
    }

    pub fn labels(&self) -> Vec<&str> {
        self.examples.iter().map(|e| e.label.as_str()).collect()
    }

    pub fn len(&self) -> usize {
        self.examples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.examples.is_empty()
    }

    /// "file:line" of example `i`, for messages.
    pub fn location(&self, i: usize) -> String {
        match self.examples.get(i) {
            Some(e) if e.line > 0 => format!("{}:{}", self.source.display(), e.line),
            _ => self.source.display().to_string(),
        }
    }

    /// The examples at `rows`, in that order.
    pub fn subset(&self, rows: &[usize]) -> LabelledSet {
        LabelledSet {
            source: self.source.clone(),
            examples: rows.iter().map(|&i| self.examples[i].clone()).collect(),
        }
    }

    /// `(train, test)`: every `k`-th example (positions k−1, 2k−1, …) to test.
    pub fn holdout_every(&self, k: usize) -> Result<(LabelledSet, LabelledSet), MlError> {
        let (train, test) = holdout_every(self.len(), k)?;
        Ok((self.subset(&train), self.subset(&test)))
    }
}

/// Positions `0..n` split into `(train, test)` with position `i` in test when
/// `i % k == k − 1`.
pub fn holdout_every(n: usize, k: usize) -> Result<(Vec<usize>, Vec<usize>), MlError> {
    if k < 2 {
        return Err(MlError::Config(format!(
            "a held-out split needs every k-th row with k ≥ 2, got {k}"
        )));
    }
    Ok((0..n).partition(|&i| i % k != k - 1))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelledFormat {
    /// Decide from the path and the first line.
    #[default]
    Auto,
    Tsv,
    FastText,
    Csv,
    Folders,
}

/// Reads labelled examples in `format` (`Auto`: a folder is `Folders`, a
/// `.csv` file `Csv`, a file whose first non-blank line starts with
/// `__label__` `FastText`, anything else `Tsv`).
pub fn read_labelled(path: &Path, format: LabelledFormat) -> Result<LabelledSet, MlError> {
    let format = match format {
        LabelledFormat::Auto => detect(path)?,
        f => f,
    };
    let examples = match format {
        LabelledFormat::Folders => return read_folders(path),
        LabelledFormat::Csv => read_csv(path)?,
        LabelledFormat::Tsv => parse_tsv(&read_text(path)?, path)?,
        LabelledFormat::FastText => parse_fasttext(&read_text(path)?, path)?,
        LabelledFormat::Auto => unreachable!("resolved above"),
    };
    if examples.is_empty() {
        return Err(MlError::Empty(format!(
            "{} holds no labelled examples",
            path.display()
        )));
    }
    Ok(LabelledSet {
        source: path.to_path_buf(),
        examples,
    })
}

fn detect(path: &Path) -> Result<LabelledFormat, MlError> {
    if path.is_dir() {
        return Ok(LabelledFormat::Folders);
    }
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        return Ok(LabelledFormat::Csv);
    }
    let text = read_text(path)?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Ok(if first.trim_start().starts_with(FASTTEXT_PREFIX) {
        LabelledFormat::FastText
    } else {
        LabelledFormat::Tsv
    })
}

fn read_text(path: &Path) -> Result<String, MlError> {
    let bytes = std::fs::read(path).map_err(|e| MlError::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        MlError::parse(path, line, "invalid UTF-8; convert the file to UTF-8 first")
    })
}

/// Lines split at `\n` with one trailing `\r` removed (Python's
/// `text.split("\n")`, not `splitlines`, which also splits at U+2028 & co.).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}

/// `label<TAB>text` lines.
pub fn parse_tsv(text: &str, path: &Path) -> Result<Vec<Example>, MlError> {
    let mut out = Vec::new();
    let mut first = true;
    for (line, l) in lines(text) {
        if l.trim().is_empty() {
            continue;
        }
        let Some((label, body)) = l.split_once('\t') else {
            return Err(MlError::parse(
                path,
                line,
                "expected 'label<TAB>text' but the line has no TAB (a line with no label?)",
            ));
        };
        let label = label.trim();
        if first && label.eq_ignore_ascii_case("label") {
            first = false;
            continue;
        }
        first = false;
        if label.is_empty() {
            return Err(MlError::parse(path, line, "empty label before the TAB"));
        }
        out.push(Example {
            label: label.to_string(),
            text: body.to_string(),
            line,
        });
    }
    Ok(out)
}

const FASTTEXT_PREFIX: &str = journey_data::readers::fasttext::LABEL_PREFIX;

/// fastText supervised lines, one label each.
pub fn parse_fasttext(text: &str, path: &Path) -> Result<Vec<Example>, MlError> {
    let mut out = Vec::new();
    for (line, l) in lines(text) {
        if l.trim().is_empty() {
            continue;
        }
        let ex = journey_data::readers::fasttext::parse_line(l);
        match ex.labels.len() {
            0 => {
                return Err(MlError::parse(
                    path,
                    line,
                    format!("no {FASTTEXT_PREFIX}… label at the start of the line"),
                ))
            }
            1 => {}
            n => {
                return Err(MlError::parse(
                    path,
                    line,
                    format!("{n} labels on one line; these classifiers take exactly one"),
                ))
            }
        }
        let label = ex.labels.into_iter().next().unwrap_or_default();
        if label.is_empty() {
            return Err(MlError::parse(path, line, "empty label after __label__"));
        }
        out.push(Example {
            label,
            text: ex.text,
            line,
        });
    }
    Ok(out)
}

/// CSV with the label first and the text fields after it, joined by a space
/// (AG News: `"class","title","description"`); a literal `\n` (AG News's
/// escaped newline) becomes a space, as in `journey_data`'s AG News reader.
fn read_csv(path: &Path) -> Result<Vec<Example>, MlError> {
    use journey_data::readers::delimited::{read_table, Layout};
    let table = read_table(path, Layout::CSV)?;
    table
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            if r.len() < 2 {
                return Err(MlError::parse(
                    path,
                    i + 1,
                    "expected a label and at least one text field",
                ));
            }
            if r[0].trim().is_empty() {
                return Err(MlError::parse(
                    path,
                    i + 1,
                    "empty label in the first field",
                ));
            }
            Ok(Example {
                label: r[0].clone(),
                text: r[1..].join(" ").replace("\\n", " "),
                line: i + 1,
            })
        })
        .collect()
}

/// One folder per class, one file per document; classes and files in name
/// order. Hidden entries are skipped.
pub fn read_folders(root: &Path) -> Result<LabelledSet, MlError> {
    let mut classes = list_dir(root)?;
    classes.retain(|p| p.is_dir());
    classes.sort();
    let mut examples = Vec::new();
    for dir in &classes {
        let label = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut files = list_dir(dir)?;
        files.retain(|p| p.is_file());
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).map_err(|e| MlError::io(&f, e))?;
            let text = match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
            };
            examples.push(Example {
                label: label.clone(),
                text,
                line: 0,
            });
        }
    }
    if examples.is_empty() {
        return Err(MlError::Empty(format!(
            "{} has no class folders with documents",
            root.display()
        )));
    }
    Ok(LabelledSet {
        source: root.to_path_buf(),
        examples,
    })
}

fn list_dir(dir: &Path) -> Result<Vec<PathBuf>, MlError> {
    let entries = std::fs::read_dir(dir).map_err(|e| MlError::io(dir, e))?;
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| MlError::io(dir, e))?;
        if !e.file_name().to_string_lossy().starts_with('.') {
            out.push(e.path());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_header_blank_and_errors() {
        let p = Path::new("t.tsv");
        let ex = parse_tsv("label\tsentence\n1\tgood\n\n0\t\r\n", p).unwrap();
        assert_eq!(ex.len(), 2);
        assert_eq!(
            (ex[1].label.as_str(), ex[1].text.as_str(), ex[1].line),
            ("0", "", 4)
        );
        let e = parse_tsv("ham\tok\nno tab here\n", p)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.tsv:2:"), "{e}");
        assert!(parse_tsv("\tno label\n", p).is_err());
    }

    #[test]
    fn fasttext_lines() {
        let p = Path::new("f.txt");
        let ex = parse_fasttext("__label__pos nice one\n__label__neg\n", p).unwrap();
        assert_eq!(ex[0].label, "pos");
        assert_eq!(ex[1].text, "");
        let e = parse_fasttext("__label__a x\nplain\n", p)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f.txt:2:"), "{e}");
        assert!(parse_fasttext("__label__a __label__b x\n", p).is_err());
    }

    #[test]
    fn csv_label_then_fields() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        std::fs::write(
            &p,
            "\"3\",\"Title, here\",\"Body\\nmore\"\n\"1\",\"x\",\"y\"\n",
        )
        .unwrap();
        let set = read_labelled(&p, LabelledFormat::Auto).unwrap();
        assert_eq!(set.examples[0].label, "3");
        assert_eq!(set.examples[0].text, "Title, here Body more");
        std::fs::write(&p, "\"1\",\"two fields\"\n").unwrap();
        assert_eq!(
            read_labelled(&p, LabelledFormat::Csv).unwrap().examples[0].text,
            "two fields"
        );
    }

    #[test]
    fn holdout_and_folders() {
        let (train, test) = holdout_every(11, 5).unwrap();
        assert_eq!(test, [4, 9]);
        assert_eq!(train.len(), 9);
        assert!(holdout_every(3, 1).is_err());
        let dir = tempfile::tempdir().unwrap();
        for (c, f, t) in [("b", "2", "x"), ("a", "10", "y"), ("a", "9", "z")] {
            std::fs::create_dir_all(dir.path().join(c)).unwrap();
            std::fs::write(dir.path().join(c).join(f), t).unwrap();
        }
        std::fs::write(dir.path().join("a").join("latin"), [b'c', 0xE9]).unwrap();
        let set = read_labelled(dir.path(), LabelledFormat::Auto).unwrap();
        let got: Vec<(&str, &str)> = set
            .examples
            .iter()
            .map(|e| (e.label.as_str(), e.text.as_str()))
            .collect();
        assert_eq!(got, [("a", "y"), ("a", "z"), ("a", "cé"), ("b", "x")]);
    }
}
