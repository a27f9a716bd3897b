//! Parallel text: two files, line i of one translating line i of the other
//! (Multi30k `train.en` / `train.de`, OpenNMT `src-*.txt` / `tgt-*.txt`).

use std::path::Path;

use crate::readers::text;
use crate::DataError;

pub fn read_parallel(source: &Path, target: &Path) -> Result<Vec<(String, String)>, DataError> {
    let src: Vec<String> = text::lines(source)?.collect::<Result<_, _>>()?;
    let tgt: Vec<String> = text::lines(target)?.collect::<Result<_, _>>()?;
    if src.len() != tgt.len() {
        return Err(DataError::Parse {
            path: target.to_path_buf(),
            line: tgt.len().min(src.len()) + 1,
            message: format!(
                "{} has {} lines but {} has {}: the sides of a parallel corpus must align",
                source.display(),
                src.len(),
                target.display(),
                tgt.len()
            ),
        });
    }
    Ok(src.into_iter().zip(tgt).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligned_and_misaligned() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.en"), dir.path().join("a.de"));
        std::fs::write(&a, "a dog\na cat\n").unwrap();
        std::fs::write(&b, "ein Hund\neine Katze\n").unwrap();
        assert_eq!(
            read_parallel(&a, &b).unwrap()[1],
            ("a cat".into(), "eine Katze".into())
        );
        std::fs::write(&b, "ein Hund\n").unwrap();
        assert!(read_parallel(&a, &b)
            .unwrap_err()
            .to_string()
            .contains("must align"));
    }
}
