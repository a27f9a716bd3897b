//! VADER ground truth (Hutto & Gilbert 2014): `id<TAB>mean rating<TAB>text`,
//! ratings from -4 (most negative) to +4 (most positive).

use std::path::Path;

use crate::readers::text;
use crate::DataError;

#[derive(Debug, Clone, PartialEq)]
pub struct Rated {
    pub id: String,
    pub rating: f64,
    pub text: String,
}

pub fn read_ground_truth(path: &Path) -> Result<Vec<Rated>, DataError> {
    let mut out = Vec::new();
    for (i, line) in text::lines(path)?.enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| DataError::Parse {
            path: path.to_path_buf(),
            line: i + 1,
            message,
        };
        let mut parts = line.splitn(3, '\t');
        let (Some(id), Some(rating), Some(text)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("expected id<TAB>rating<TAB>text".into()));
        };
        let rating: f64 = rating
            .trim()
            .parse()
            .map_err(|_| bad(format!("rating '{rating}' is not a number")))?;
        out.push(Rated {
            id: id.to_string(),
            rating,
            text: text.to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("gt.txt");
        std::fs::write(&p, "1\t2.5\tSo lucky.\tyes\n2\tx\tbad\n").unwrap();
        let err = read_ground_truth(&p).unwrap_err().to_string();
        assert!(err.contains("gt.txt:2") && err.contains("'x'"), "{err}");
        std::fs::write(&p, "1\t-1.25\tMeh\ttabs kept\n").unwrap();
        let r = read_ground_truth(&p).unwrap();
        assert_eq!((r[0].rating, r[0].text.as_str()), (-1.25, "Meh\ttabs kept"));
    }
}
