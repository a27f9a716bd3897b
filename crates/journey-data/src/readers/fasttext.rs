//! fastText supervised format: `__label__a __label__b text ...` per line.

use std::path::Path;

use crate::readers::text;
use crate::DataError;

pub const LABEL_PREFIX: &str = "__label__";

#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub labels: Vec<String>,
    pub text: String,
}

/// Splits one line into its labels (prefix removed) and the text after them.
pub fn parse_line(line: &str) -> Example {
    let mut labels = Vec::new();
    let mut rest = line.trim_start();
    while let Some(after) = rest.strip_prefix(LABEL_PREFIX) {
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        labels.push(after[..end].to_string());
        rest = after[end..].trim_start();
    }
    Example {
        labels,
        text: rest.trim_end().to_string(),
    }
}

/// Reads a labelled file; a non-blank line without a label is an error.
pub fn read_fasttext(path: &Path) -> Result<Vec<Example>, DataError> {
    let mut out = Vec::new();
    for (i, line) in text::lines(path)?.enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let ex = parse_line(&line);
        if ex.labels.is_empty() {
            return Err(DataError::Parse {
                path: path.to_path_buf(),
                line: i + 1,
                message: format!("no {LABEL_PREFIX} at the start of the line"),
            });
        }
        out.push(ex);
    }
    Ok(out)
}

/// Writes one example back in fastText format.
pub fn format_line(labels: &[&str], text: &str) -> String {
    let mut s: String = labels
        .iter()
        .map(|l| format!("{LABEL_PREFIX}{l} "))
        .collect();
    s.push_str(text);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_then_text() {
        let ex = parse_line("__label__spam __label__ads  win a prize now ");
        assert_eq!(ex.labels, ["spam", "ads"]);
        assert_eq!(ex.text, "win a prize now");
        assert_eq!(format_line(&["spam"], "hi"), "__label__spam hi");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        std::fs::write(&p, "__label__a x\nno label here\n").unwrap();
        let err = read_fasttext(&p).unwrap_err().to_string();
        assert!(err.contains("f.txt:2"), "{err}");
    }
}
