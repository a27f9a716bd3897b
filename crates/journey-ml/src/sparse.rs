//! Compressed sparse row (CSR) matrices: the document-term matrix of every
//! classic text model.
//!
//! Row `i` holds its non-zero entries in `indices[indptr[i]..indptr[i + 1]]`
//! (column numbers, ascending) and `data[…]` (values), as in scipy.sparse's
//! `csr_matrix` (Saad, *Iterative Methods for Sparse Linear Systems*, §3.4).
//! Memory is O(rows + nnz); a row is a contiguous slice, so the per-document
//! loops of vectorizers and linear models read memory in order.
//!
//! Export formats: MatrixMarket coordinate files (`.mtx`, read by scipy's
//! `mmread`, R's `Matrix::readMM`, Julia) — see [`CsrMatrix::write_matrix_market`].

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::MlError;

/// A sparse matrix in CSR form with `f64` values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsrMatrix {
    n_rows: usize,
    n_cols: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    data: Vec<f64>,
}

impl CsrMatrix {
    /// An all-zero matrix.
    pub fn zeros(n_rows: usize, n_cols: usize) -> Self {
        CsrMatrix {
            n_rows,
            n_cols,
            indptr: vec![0; n_rows + 1],
            indices: Vec::new(),
            data: Vec::new(),
        }
    }

    /// Builds from raw CSR arrays, checking every invariant (lengths, column
    /// bounds, strictly ascending columns within a row).
    pub fn from_parts(
        n_rows: usize,
        n_cols: usize,
        indptr: Vec<usize>,
        indices: Vec<u32>,
        data: Vec<f64>,
    ) -> Result<Self, MlError> {
        if indptr.len() != n_rows + 1 {
            return Err(MlError::Shape(format!(
                "indptr has {} entries for {n_rows} rows (expected {})",
                indptr.len(),
                n_rows + 1
            )));
        }
        if indices.len() != data.len() {
            return Err(MlError::Shape(format!(
                "{} column indices but {} values",
                indices.len(),
                data.len()
            )));
        }
        if indptr[0] != 0 || indptr[n_rows] != indices.len() {
            return Err(MlError::Shape(
                "indptr must start at 0 and end at nnz".into(),
            ));
        }
        for r in 0..n_rows {
            let (a, b) = (indptr[r], indptr[r + 1]);
            if a > b {
                return Err(MlError::Shape(format!("indptr decreases at row {r}")));
            }
            let row = &indices[a..b];
            if let Some(&c) = row.iter().find(|&&c| c as usize >= n_cols) {
                return Err(MlError::Shape(format!(
                    "row {r} has column {c}, but the matrix has {n_cols} columns"
                )));
            }
            if row.windows(2).any(|w| w[0] >= w[1]) {
                return Err(MlError::Shape(format!(
                    "row {r}: column indices must be strictly ascending"
                )));
            }
        }
        Ok(CsrMatrix {
            n_rows,
            n_cols,
            indptr,
            indices,
            data,
        })
    }

    /// Builds from one list of `(column, value)` entries per row. Entries may
    /// come in any order; duplicate columns are summed; explicit zeros are kept
    /// out (as scipy does after `sum_duplicates` + `eliminate_zeros`).
    pub fn from_rows(n_cols: usize, rows: Vec<Vec<(u32, f64)>>) -> Result<Self, MlError> {
        let n_rows = rows.len();
        let nnz: usize = rows.iter().map(Vec::len).sum();
        let mut indptr = Vec::with_capacity(n_rows + 1);
        let mut indices = Vec::with_capacity(nnz);
        let mut data = Vec::with_capacity(nnz);
        indptr.push(0);
        for (r, mut row) in rows.into_iter().enumerate() {
            row.sort_unstable_by_key(|&(c, _)| c);
            let start = indices.len();
            for (c, v) in row {
                if c as usize >= n_cols {
                    return Err(MlError::Shape(format!(
                        "row {r} has column {c}, but the matrix has {n_cols} columns"
                    )));
                }
                if indices.len() > start && *indices.last().unwrap() == c {
                    *data.last_mut().unwrap() += v;
                } else {
                    indices.push(c);
                    data.push(v);
                }
            }
            // Drop entries that are (or summed to) zero.
            let mut w = start;
            for i in start..indices.len() {
                if data[i] != 0.0 {
                    indices[w] = indices[i];
                    data[w] = data[i];
                    w += 1;
                }
            }
            indices.truncate(w);
            data.truncate(w);
            indptr.push(indices.len());
        }
        Ok(CsrMatrix {
            n_rows,
            n_cols,
            indptr,
            indices,
            data,
        })
    }

    /// Builds from a dense row-major matrix, keeping the non-zeros.
    pub fn from_dense(rows: &[Vec<f64>]) -> Result<Self, MlError> {
        let n_cols = rows.first().map_or(0, Vec::len);
        if let Some((r, _)) = rows.iter().enumerate().find(|(_, x)| x.len() != n_cols) {
            return Err(MlError::Shape(format!(
                "row {r} has a different length from row 0"
            )));
        }
        let sparse = rows
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter(|(_, &v)| v != 0.0)
                    .map(|(c, &v)| (c as u32, v))
                    .collect()
            })
            .collect();
        Self::from_rows(n_cols, sparse)
    }

    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// `(rows, columns)`.
    pub fn shape(&self) -> (usize, usize) {
        (self.n_rows, self.n_cols)
    }

    /// Number of stored (non-zero) entries.
    pub fn nnz(&self) -> usize {
        self.data.len()
    }

    pub fn indptr(&self) -> &[usize] {
        &self.indptr
    }

    pub fn indices(&self) -> &[u32] {
        &self.indices
    }

    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// Mutable values (the sparsity pattern stays fixed).
    pub fn data_mut(&mut self) -> &mut [f64] {
        &mut self.data
    }

    /// Row `i` as `(columns, values)`.
    #[inline]
    pub fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &self.data[a..b])
    }

    /// Row `i` as mutable values with their columns.
    #[inline]
    pub fn row_mut(&mut self, i: usize) -> (&[u32], &mut [f64]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.indices[a..b], &mut self.data[a..b])
    }

    /// Iterates rows as `(columns, values)`.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = (&[u32], &[f64])> + '_ {
        (0..self.n_rows).map(move |i| self.row(i))
    }

    /// The value at `(r, c)` (zero when not stored). O(log row length).
    pub fn get(&self, r: usize, c: usize) -> f64 {
        let (cols, vals) = self.row(r);
        match cols.binary_search(&(c as u32)) {
            Ok(k) => vals[k],
            Err(_) => 0.0,
        }
    }

    /// A dense row-major copy (for tests and small matrices).
    pub fn to_dense(&self) -> Vec<Vec<f64>> {
        self.rows()
            .map(|(cols, vals)| {
                let mut row = vec![0.0; self.n_cols];
                for (&c, &v) in cols.iter().zip(vals) {
                    row[c as usize] = v;
                }
                row
            })
            .collect()
    }

    /// Sum of each column.
    pub fn column_sums(&self) -> Vec<f64> {
        let mut sums = vec![0.0; self.n_cols];
        for (&c, &v) in self.indices.iter().zip(&self.data) {
            sums[c as usize] += v;
        }
        sums
    }

    /// Number of rows in which each column is non-zero (document frequency).
    pub fn column_nnz(&self) -> Vec<usize> {
        let mut df = vec![0usize; self.n_cols];
        for &c in &self.indices {
            df[c as usize] += 1;
        }
        df
    }

    /// Sum of each row.
    pub fn row_sums(&self) -> Vec<f64> {
        self.rows().map(|(_, v)| v.iter().sum()).collect()
    }

    /// Multiplies column `c` by `factors[c]` (e.g. IDF weights).
    pub fn scale_columns(&mut self, factors: &[f64]) -> Result<(), MlError> {
        if factors.len() != self.n_cols {
            return Err(MlError::Shape(format!(
                "{} column factors for {} columns",
                factors.len(),
                self.n_cols
            )));
        }
        for (&c, v) in self.indices.iter().zip(self.data.iter_mut()) {
            *v *= factors[c as usize];
        }
        Ok(())
    }

    /// Multiplies row `r` by `factors[r]`.
    pub fn scale_rows(&mut self, factors: &[f64]) -> Result<(), MlError> {
        if factors.len() != self.n_rows {
            return Err(MlError::Shape(format!(
                "{} row factors for {} rows",
                factors.len(),
                self.n_rows
            )));
        }
        for (r, &f) in factors.iter().enumerate() {
            let (a, b) = (self.indptr[r], self.indptr[r + 1]);
            self.data[a..b].iter_mut().for_each(|v| *v *= f);
        }
        Ok(())
    }

    /// Applies `f` to every stored value (e.g. `1 + ln x`, or `min(x, 1)`).
    pub fn map_values(&mut self, f: impl Fn(f64) -> f64) {
        self.data.iter_mut().for_each(|v| *v = f(*v));
    }

    /// Scales each row to unit L1 or L2 norm; all-zero rows stay zero.
    pub fn normalize_rows(&mut self, norm: Norm) {
        if norm == Norm::None {
            return;
        }
        for r in 0..self.n_rows {
            let (a, b) = (self.indptr[r], self.indptr[r + 1]);
            let row = &mut self.data[a..b];
            let n = match norm {
                Norm::L1 => row.iter().map(|v| v.abs()).sum::<f64>(),
                Norm::L2 => row.iter().map(|v| v * v).sum::<f64>().sqrt(),
                Norm::None => unreachable!(),
            };
            if n > 0.0 {
                row.iter_mut().for_each(|v| *v /= n);
            }
        }
    }

    /// The rows listed in `rows`, in that order (for train/test splits and
    /// cross-validation folds).
    pub fn select_rows(&self, rows: &[usize]) -> CsrMatrix {
        let mut indptr = Vec::with_capacity(rows.len() + 1);
        let nnz: usize = rows
            .iter()
            .map(|&r| self.indptr[r + 1] - self.indptr[r])
            .sum();
        let mut indices = Vec::with_capacity(nnz);
        let mut data = Vec::with_capacity(nnz);
        indptr.push(0);
        for &r in rows {
            let (c, v) = self.row(r);
            indices.extend_from_slice(c);
            data.extend_from_slice(v);
            indptr.push(indices.len());
        }
        CsrMatrix {
            n_rows: rows.len(),
            n_cols: self.n_cols,
            indptr,
            indices,
            data,
        }
    }

    /// Keeps the columns listed in `keep` and renumbers them `0..keep.len()`
    /// in that order (for pruning and reordering a vocabulary).
    pub fn select_columns(&self, keep: &[usize]) -> Result<CsrMatrix, MlError> {
        let mut new_index = vec![u32::MAX; self.n_cols];
        for (new, &old) in keep.iter().enumerate() {
            if old >= self.n_cols {
                return Err(MlError::Shape(format!(
                    "column {old} is out of range for {} columns",
                    self.n_cols
                )));
            }
            new_index[old] = new as u32;
        }
        let rows = self
            .rows()
            .map(|(cols, vals)| {
                cols.iter()
                    .zip(vals)
                    .filter(|(&c, _)| new_index[c as usize] != u32::MAX)
                    .map(|(&c, &v)| (new_index[c as usize], v))
                    .collect()
            })
            .collect();
        CsrMatrix::from_rows(keep.len(), rows)
    }

    /// Stacks matrices with the same column count on top of each other.
    pub fn vstack(parts: &[CsrMatrix]) -> Result<CsrMatrix, MlError> {
        let n_cols = parts.first().map_or(0, |m| m.n_cols);
        if parts.iter().any(|m| m.n_cols != n_cols) {
            return Err(MlError::Shape(
                "vstack needs matrices with the same number of columns".into(),
            ));
        }
        let mut out = CsrMatrix::zeros(0, n_cols);
        out.indptr.clear();
        out.indptr.push(0);
        for m in parts {
            let base = out.indices.len();
            out.indices.extend_from_slice(&m.indices);
            out.data.extend_from_slice(&m.data);
            out.indptr.extend(m.indptr[1..].iter().map(|&p| p + base));
            out.n_rows += m.n_rows;
        }
        Ok(out)
    }

    /// The transpose, in CSR form (i.e. the CSC form of `self`). O(nnz + cols).
    pub fn transpose(&self) -> CsrMatrix {
        let mut counts = vec![0usize; self.n_cols + 1];
        for &c in &self.indices {
            counts[c as usize + 1] += 1;
        }
        for i in 0..self.n_cols {
            counts[i + 1] += counts[i];
        }
        let indptr = counts.clone();
        let mut next = counts;
        let mut indices = vec![0u32; self.nnz()];
        let mut data = vec![0.0; self.nnz()];
        for r in 0..self.n_rows {
            let (cols, vals) = self.row(r);
            for (&c, &v) in cols.iter().zip(vals) {
                let k = next[c as usize];
                indices[k] = r as u32;
                data[k] = v;
                next[c as usize] += 1;
            }
        }
        CsrMatrix {
            n_rows: self.n_cols,
            n_cols: self.n_rows,
            indptr,
            indices,
            data,
        }
    }

    /// `self · x` for a dense vector `x` (one value per column).
    pub fn dot_vec(&self, x: &[f64]) -> Result<Vec<f64>, MlError> {
        if x.len() != self.n_cols {
            return Err(MlError::Shape(format!(
                "vector of length {} for a matrix with {} columns",
                x.len(),
                self.n_cols
            )));
        }
        Ok(self
            .rows()
            .map(|(cols, vals)| row_dot(cols, vals, x))
            .collect())
    }

    /// `self · W` for a dense row-major `W` of shape `(n_cols, k)`, as a dense
    /// row-major `(n_rows, k)` result. Rows are computed in parallel.
    pub fn dot_dense(&self, w: &[f64], k: usize) -> Result<Vec<f64>, MlError> {
        use rayon::prelude::*;
        if w.len() != self.n_cols * k {
            return Err(MlError::Shape(format!(
                "weights of length {} for {} columns × {k} outputs",
                w.len(),
                self.n_cols
            )));
        }
        let mut out = vec![0.0; self.n_rows * k];
        if k == 0 {
            return Ok(out);
        }
        out.par_chunks_mut(k).enumerate().for_each(|(r, o)| {
            let (cols, vals) = self.row(r);
            for (&c, &v) in cols.iter().zip(vals) {
                let wr = &w[c as usize * k..(c as usize + 1) * k];
                for (oj, wj) in o.iter_mut().zip(wr) {
                    *oj += v * wj;
                }
            }
        });
        Ok(out)
    }

    /// Writes a MatrixMarket coordinate file (`%%MatrixMarket matrix coordinate
    /// real general`, 1-based indices, values in shortest round-trip form so
    /// they read back bit for bit). Atomic: a temporary file, then a rename.
    pub fn write_matrix_market(&self, path: &Path) -> Result<(), MlError> {
        crate::error::write_atomic(path, self.to_matrix_market().as_bytes())
    }

    /// The MatrixMarket text of [`write_matrix_market`](Self::write_matrix_market).
    pub fn to_matrix_market(&self) -> String {
        let mut s = String::with_capacity(32 + self.nnz() * 24);
        s.push_str("%%MatrixMarket matrix coordinate real general\n%\n");
        let _ = writeln!(s, "{} {} {}", self.n_rows, self.n_cols, self.nnz());
        for r in 0..self.n_rows {
            let (cols, vals) = self.row(r);
            for (&c, &v) in cols.iter().zip(vals) {
                let _ = writeln!(s, "{} {} {:?}", r + 1, c + 1, v);
            }
        }
        s
    }

    /// Reads a MatrixMarket coordinate file (`real`, `integer` or `pattern`;
    /// `general` or `symmetric`).
    pub fn read_matrix_market(path: &Path) -> Result<CsrMatrix, MlError> {
        let text = std::fs::read_to_string(path).map_err(|e| MlError::io(path, e))?;
        Self::parse_matrix_market(&text, path)
    }

    /// Parses MatrixMarket text; `path` is only used in error messages.
    pub fn parse_matrix_market(text: &str, path: &Path) -> Result<CsrMatrix, MlError> {
        let mut lines = text.lines().enumerate();
        let (_, header) = lines.next().ok_or_else(|| {
            MlError::parse(path, 1, "empty file, expected a %%MatrixMarket header")
        })?;
        let fields: Vec<String> = header
            .split_whitespace()
            .map(str::to_ascii_lowercase)
            .collect();
        if fields.len() != 5 || fields[0] != "%%matrixmarket" || fields[1] != "matrix" {
            return Err(MlError::parse(
                path,
                1,
                "expected '%%MatrixMarket matrix coordinate <field> <symmetry>'",
            ));
        }
        if fields[2] != "coordinate" {
            return Err(MlError::parse(
                path,
                1,
                format!(
                    "only coordinate (sparse) files are supported, not '{}'",
                    fields[2]
                ),
            ));
        }
        let pattern = match fields[3].as_str() {
            "real" | "integer" | "double" => false,
            "pattern" => true,
            other => {
                return Err(MlError::parse(
                    path,
                    1,
                    format!("unsupported field type '{other}'"),
                ))
            }
        };
        let symmetric = match fields[4].as_str() {
            "general" => false,
            "symmetric" => true,
            other => {
                return Err(MlError::parse(
                    path,
                    1,
                    format!("unsupported symmetry '{other}'"),
                ))
            }
        };
        let mut size: Option<(usize, usize, usize)> = None;
        let mut rows: Vec<Vec<(u32, f64)>> = Vec::new();
        let mut seen = 0usize;
        for (i, line) in lines {
            let line = line.trim();
            if line.is_empty() || line.starts_with('%') {
                continue;
            }
            let lineno = i + 1;
            let parts: Vec<&str> = line.split_whitespace().collect();
            let num = |s: &str, what: &str| -> Result<usize, MlError> {
                s.parse::<usize>().map_err(|_| {
                    MlError::parse(path, lineno, format!("{what} '{s}' is not a whole number"))
                })
            };
            match size {
                None => {
                    if parts.len() != 3 {
                        return Err(MlError::parse(
                            path,
                            lineno,
                            "expected 'rows columns entries'",
                        ));
                    }
                    let (r, c, n) = (
                        num(parts[0], "row count")?,
                        num(parts[1], "column count")?,
                        num(parts[2], "entry count")?,
                    );
                    if c > u32::MAX as usize {
                        return Err(MlError::parse(path, lineno, "too many columns"));
                    }
                    size = Some((r, c, n));
                    rows = vec![Vec::new(); r];
                }
                Some((nr, nc, _)) => {
                    let want = if pattern { 2 } else { 3 };
                    if parts.len() != want {
                        return Err(MlError::parse(
                            path,
                            lineno,
                            format!("expected {want} fields, found {}", parts.len()),
                        ));
                    }
                    let r = num(parts[0], "row")?;
                    let c = num(parts[1], "column")?;
                    if r == 0 || r > nr || c == 0 || c > nc {
                        return Err(MlError::parse(
                            path,
                            lineno,
                            format!("entry ({r}, {c}) is outside the {nr} × {nc} matrix"),
                        ));
                    }
                    let v = if pattern {
                        1.0
                    } else {
                        parts[2].parse::<f64>().map_err(|_| {
                            MlError::parse(
                                path,
                                lineno,
                                format!("value '{}' is not a number", parts[2]),
                            )
                        })?
                    };
                    rows[r - 1].push((c as u32 - 1, v));
                    if symmetric && r != c {
                        if c > nr || r > nc {
                            return Err(MlError::parse(
                                path,
                                lineno,
                                "symmetric matrix is not square",
                            ));
                        }
                        rows[c - 1].push((r as u32 - 1, v));
                    }
                    seen += 1;
                }
            }
        }
        let (_, nc, n) = size.ok_or_else(|| MlError::parse(path, 1, "missing the size line"))?;
        if seen != n {
            return Err(MlError::parse(
                path,
                text.lines().count(),
                format!("the header promises {n} entries but the file has {seen} (truncated?)"),
            ));
        }
        CsrMatrix::from_rows(nc, rows)
    }
}

/// Sparse row · dense vector.
#[inline]
pub fn row_dot(cols: &[u32], vals: &[f64], x: &[f64]) -> f64 {
    cols.iter()
        .zip(vals)
        .map(|(&c, &v)| v * x[c as usize])
        .sum()
}

/// Row normalisation of a document-term matrix, as scikit-learn's `norm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Norm {
    L1,
    #[default]
    L2,
    None,
}

/// Writes a vocabulary file: one term per line, line `i` is column `i`.
/// Terms holding a newline cannot be written this way and are an error.
pub fn write_vocabulary(path: &Path, terms: &[String]) -> Result<(), MlError> {
    let mut s = String::with_capacity(terms.iter().map(|t| t.len() + 1).sum());
    for (i, t) in terms.iter().enumerate() {
        if t.contains('\n') || t.contains('\r') {
            return Err(MlError::Invalid(format!(
                "term {i} ({t:?}) contains a line break and cannot be written one per line"
            )));
        }
        s.push_str(t);
        s.push('\n');
    }
    crate::error::write_atomic(path, s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> CsrMatrix {
        CsrMatrix::from_dense(&[
            vec![1.0, 0.0, 2.0],
            vec![0.0, 0.0, 0.0],
            vec![0.0, 3.0, 4.0],
        ])
        .unwrap()
    }

    #[test]
    fn from_rows_sums_duplicates_and_drops_zeros() {
        let m =
            CsrMatrix::from_rows(4, vec![vec![(3, 1.0), (1, 2.0), (3, 2.0), (0, 0.0)]]).unwrap();
        assert_eq!(m.indices(), &[1, 3]);
        assert_eq!(m.data(), &[2.0, 3.0]);
        assert!(CsrMatrix::from_rows(2, vec![vec![(2, 1.0)]]).is_err());
    }

    #[test]
    fn transpose_and_products() {
        let m = small();
        let t = m.transpose();
        assert_eq!(
            t.to_dense(),
            vec![
                vec![1.0, 0.0, 0.0],
                vec![0.0, 0.0, 3.0],
                vec![2.0, 0.0, 4.0]
            ]
        );
        assert_eq!(m.dot_vec(&[1.0, 1.0, 1.0]).unwrap(), vec![3.0, 0.0, 7.0]);
        // W = [[1,0],[0,1],[1,1]]
        let w = [1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
        assert_eq!(
            m.dot_dense(&w, 2).unwrap(),
            vec![3.0, 2.0, 0.0, 0.0, 4.0, 7.0]
        );
        assert_eq!(m.column_nnz(), vec![1, 1, 2]);
        assert_eq!(m.column_sums(), vec![1.0, 3.0, 6.0]);
    }

    #[test]
    fn normalise_select_and_stack() {
        let mut m = small();
        m.normalize_rows(Norm::L2);
        assert!((m.get(2, 1) - 0.6).abs() < 1e-15 && (m.get(2, 2) - 0.8).abs() < 1e-15);
        assert_eq!(m.row(1).0.len(), 0);
        let s = small().select_columns(&[2, 0]).unwrap();
        assert_eq!(
            s.to_dense(),
            vec![vec![2.0, 1.0], vec![0.0, 0.0], vec![4.0, 0.0]]
        );
        let r = small().select_rows(&[2, 0]);
        let v = CsrMatrix::vstack(&[r, small()]).unwrap();
        assert_eq!(v.n_rows(), 5);
        assert_eq!(v.to_dense()[0], vec![0.0, 3.0, 4.0]);
        assert_eq!(v.to_dense()[4], vec![0.0, 3.0, 4.0]);
    }

    #[test]
    fn matrix_market_round_trip_is_exact() {
        let mut m = small();
        m.map_values(|v| v / 3.0);
        let text = m.to_matrix_market();
        let back = CsrMatrix::parse_matrix_market(&text, Path::new("m.mtx")).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn matrix_market_errors_name_the_line() {
        let p = Path::new("bad.mtx");
        let truncated = "%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1.0\n";
        let e = CsrMatrix::parse_matrix_market(truncated, p)
            .unwrap_err()
            .to_string();
        assert!(e.contains("promises 3 entries"), "{e}");
        let outside = "%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 1.0\n";
        let e = CsrMatrix::parse_matrix_market(outside, p)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("bad.mtx:3:"), "{e}");
        assert!(CsrMatrix::parse_matrix_market("", p).is_err());
        let bad_value = "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 x\n";
        assert!(CsrMatrix::parse_matrix_market(bad_value, p).is_err());
    }

    #[test]
    fn from_parts_checks_invariants() {
        assert!(CsrMatrix::from_parts(1, 2, vec![0, 2], vec![1, 0], vec![1.0, 1.0]).is_err());
        assert!(CsrMatrix::from_parts(1, 2, vec![0, 1], vec![2], vec![1.0]).is_err());
        assert!(CsrMatrix::from_parts(1, 2, vec![0, 1], vec![1], vec![1.0]).is_ok());
    }
}
