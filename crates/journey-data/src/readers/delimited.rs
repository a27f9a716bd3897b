//! TSV and CSV with RFC 4180 quoting (through the `csv` crate), and the
//! labelled-text layouts of the classification sets.

use std::path::Path;

use crate::DataError;

/// How a delimited file is laid out.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub delimiter: u8,
    pub has_header: bool,
    /// Honour `"..."` quoting (CSV); TSV files such as SST-2 contain bare quotes.
    pub quoting: bool,
}

impl Layout {
    pub const TSV: Layout = Layout {
        delimiter: b'\t',
        has_header: false,
        quoting: false,
    };
    pub const CSV: Layout = Layout {
        delimiter: b',',
        has_header: false,
        quoting: true,
    };
    pub fn with_header(mut self) -> Self {
        self.has_header = true;
        self
    }
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Option<Vec<String>>,
    pub rows: Vec<Vec<String>>,
}

/// Reads a whole delimited file; every row must have the same field count.
pub fn read_table(path: &Path, layout: Layout) -> Result<Table, DataError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(layout.delimiter)
        .has_headers(layout.has_header)
        .quoting(layout.quoting)
        .flexible(false)
        .from_path(path)
        .map_err(|e| csv_error(path, e))?;
    let header = if layout.has_header {
        let h = reader.headers().map_err(|e| csv_error(path, e))?;
        Some(h.iter().map(str::to_string).collect())
    } else {
        None
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(Table { header, rows })
}

fn csv_error(path: &Path, e: csv::Error) -> DataError {
    let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
    match e.kind() {
        csv::ErrorKind::Io(_) => match e.into_kind() {
            csv::ErrorKind::Io(io) => DataError::io(path, io),
            _ => unreachable!("matched Io above"),
        },
        csv::ErrorKind::Utf8 { .. } => DataError::InvalidUtf8 {
            path: path.to_path_buf(),
            line,
        },
        _ => DataError::Parse {
            path: path.to_path_buf(),
            line,
            message: e.to_string(),
        },
    }
}

/// One labelled example of a classification set.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledText {
    pub label: String,
    pub text: String,
}

/// SST-2: `label<TAB>sentence` with a header row.
pub fn read_sst2(path: &Path) -> Result<Vec<LabeledText>, DataError> {
    labeled(path, Layout::TSV.with_header(), |r| {
        (r[0].clone(), r[1].clone())
    })
}

/// SMS Spam: `label<TAB>text`, no header.
pub fn read_sms_spam(path: &Path) -> Result<Vec<LabeledText>, DataError> {
    labeled(path, Layout::TSV, |r| (r[0].clone(), r[1].clone()))
}

/// AG News: `"class","title","description"`; the text is title + description.
/// The files escape newlines as a literal backslash followed by `n`.
pub fn read_ag_news(path: &Path) -> Result<Vec<LabeledText>, DataError> {
    labeled(path, Layout::CSV, |r| {
        let text = format!("{} {}", r[1], r[2]).replace("\\n", " ");
        (r[0].clone(), text)
    })
}

fn labeled(
    path: &Path,
    layout: Layout,
    pick: impl Fn(&[String]) -> (String, String),
) -> Result<Vec<LabeledText>, DataError> {
    let table = read_table(path, layout)?;
    let mut out = Vec::with_capacity(table.rows.len());
    for (i, row) in table.rows.iter().enumerate() {
        let min = if layout.delimiter == b',' { 3 } else { 2 };
        if row.len() < min {
            return Err(DataError::Parse {
                path: path.to_path_buf(),
                line: i + 1 + usize::from(layout.has_header),
                message: format!("expected at least {min} fields, found {}", row.len()),
            });
        }
        let (label, text) = pick(row);
        out.push(LabeledText { label, text });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting_and_tsv_bare_quotes() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("a.csv");
        std::fs::write(
            &csv,
            "\"3\",\"Title, with comma\",\"Say \"\"hi\"\"\\nnow\"\n",
        )
        .unwrap();
        let rows = read_ag_news(&csv).unwrap();
        assert_eq!(rows[0].label, "3");
        assert_eq!(rows[0].text, "Title, with comma Say \"hi\" now");
        let tsv = dir.path().join("a.tsv");
        std::fs::write(&tsv, "label\tsentence\n1\tit 's \" good\n").unwrap();
        assert_eq!(read_sst2(&tsv).unwrap()[0].text, "it 's \" good");
    }

    #[test]
    fn ragged_rows_are_reported_with_line() {
        let dir = tempfile::tempdir().unwrap();
        let tsv = dir.path().join("bad.tsv");
        std::fs::write(&tsv, "ham\tok\nspam\n").unwrap();
        let err = read_sms_spam(&tsv).unwrap_err().to_string();
        assert!(err.contains("bad.tsv:2"), "{err}");
    }
}
