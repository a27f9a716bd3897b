//! HellaSwag (Zellers et al. 2019) in the six-line text layout of
//! `hellaswag_val_full.txt.bz2`: context, gold label (0-3), four endings.

use std::path::Path;

use crate::readers::text;
use crate::DataError;

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub context: String,
    pub endings: [String; 4],
    pub label: usize,
}

pub fn read_hellaswag(path: &Path) -> Result<Vec<Item>, DataError> {
    let lines: Vec<String> = text::lines(path)?.collect::<Result<_, _>>()?;
    if !lines.len().is_multiple_of(6) {
        return Err(DataError::Parse {
            path: path.to_path_buf(),
            line: lines.len(),
            message: format!(
                "{} lines is not a multiple of 6 (context, label, 4 endings)",
                lines.len()
            ),
        });
    }
    lines
        .chunks(6)
        .enumerate()
        .map(|(i, c)| {
            let label: usize =
                c[1].trim()
                    .parse()
                    .ok()
                    .filter(|&l| l < 4)
                    .ok_or_else(|| DataError::Parse {
                        path: path.to_path_buf(),
                        line: i * 6 + 2,
                        message: format!("label '{}' is not 0, 1, 2 or 3", c[1]),
                    })?;
            Ok(Item {
                context: c[0].clone(),
                endings: [c[2].clone(), c[3].clone(), c[4].clone(), c[5].clone()],
                label,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_line_items() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("h.txt");
        std::fs::write(&p, "ctx\n2\na\nb\nc\nd\n").unwrap();
        let items = read_hellaswag(&p).unwrap();
        assert_eq!((items[0].label, items[0].endings[2].as_str()), (2, "c"));
        std::fs::write(&p, "ctx\n7\na\nb\nc\nd\n").unwrap();
        assert!(read_hellaswag(&p)
            .unwrap_err()
            .to_string()
            .contains("h.txt:2"));
    }
}
