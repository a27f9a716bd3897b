//! The tour's corpus as a list of documents. The King James Bible layout
//! (`Book C` headings, `  V text` verses) gives one document per verse with
//! its reference; any other file gives one document per non-blank line.

use std::path::Path;

use anyhow::{bail, Result};
use journey_data::readers::text;

#[derive(Debug)]
pub struct Corpus {
    pub name: String,
    /// (reference such as "Genesis 1:1", text)
    pub docs: Vec<(String, String)>,
    pub chars: usize,
}

impl Corpus {
    pub fn load(path: &Path) -> Result<Self> {
        let raw = text::read_nonempty(path)?;
        let mut docs = Vec::new();
        let mut heading = String::new();
        let mut verses = 0usize;
        for (i, line) in raw.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix("  ") {
                if let Some((num, body)) = rest.split_once(' ') {
                    if num.chars().all(|c| c.is_ascii_digit()) && !heading.is_empty() {
                        docs.push((format!("{heading}:{num}"), body.to_string()));
                        verses += 1;
                        continue;
                    }
                }
            } else if is_heading(line) {
                heading = line.trim().to_string();
                continue;
            }
            docs.push((format!("line {}", i + 1), line.trim().to_string()));
        }
        if docs.is_empty() {
            bail!("{} has no text", path.display());
        }
        let name = if verses * 2 > docs.len() {
            "King James Bible".to_string()
        } else {
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string())
        };
        let chars = docs.iter().map(|d| d.1.chars().count()).sum();
        Ok(Self { name, docs, chars })
    }
}

/// "Genesis 1", "1 Kings 22", "Song of Solomon 3".
fn is_heading(line: &str) -> bool {
    let t = line.trim_end();
    match t.rsplit_once(' ') {
        Some((book, num)) => {
            !book.is_empty()
                && num.chars().all(|c| c.is_ascii_digit())
                && !num.is_empty()
                && book.chars().next().is_some_and(|c| c.is_alphanumeric())
                && t.len() < 40
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kjv_layout_and_plain_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("kjv.txt");
        std::fs::write(&p, "\nGenesis 1\n\n  1 In the beginning.\n  2 And the earth.\n\n1 Kings 2\n\n  1 Now the days.\n").unwrap();
        let c = Corpus::load(&p).unwrap();
        assert_eq!(c.name, "King James Bible");
        assert_eq!(
            c.docs[2],
            ("1 Kings 2:1".to_string(), "Now the days.".to_string())
        );
        std::fs::write(&p, "first line\n\nsecond line\n").unwrap();
        let c = Corpus::load(&p).unwrap();
        assert_eq!(c.docs.len(), 2);
        std::fs::write(&p, "\n \n").unwrap();
        assert!(Corpus::load(&p).unwrap_err().to_string().contains("empty"));
    }
}
