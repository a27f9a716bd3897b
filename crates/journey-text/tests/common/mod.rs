//! Test support: the shared data sets (through `$JOURNEY_DATA`, see
//! `journey_data::testdata`) and the fixtures committed beside the tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// The path of `rel` under `$JOURNEY_DATA`, or `None` (after printing why)
/// when the data is not available and not required.
pub fn data_file(rel: &str) -> Option<PathBuf> {
    journey_data::testdata::file(rel)
}

/// A fixture committed beside the tests (`tests/fixtures/NAME`).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

// Reading corpus lines the way the golden scripts in tools/reference do.

/// Which part of a corpus line a fixture encoded.
#[derive(Clone, Copy)]
pub enum Field {
    Line,
    AfterTabs(usize),
    Csv,
}

/// The text a fixture key names: `N` (line N) or `N:F` (CSV field F of line N).
pub fn unit(lines: &[String], key: &str, field: Field) -> Option<String> {
    let (line, col) = match key.split_once(':') {
        Some((l, c)) => (l.parse::<usize>().ok()?, c.parse::<usize>().ok()?),
        None => (key.parse::<usize>().ok()?, 0),
    };
    let line = lines.get(line.checked_sub(1)?)?;
    match field {
        Field::Line => Some(line.clone()),
        Field::AfterTabs(n) => line.splitn(n + 1, '\t').nth(n).map(str::to_owned),
        Field::Csv => csv_fields(line).into_iter().nth(col.checked_sub(1)?),
    }
}

/// The file's lines as the golden script reads them: split at `\n`, one
/// trailing `\r` removed; UTF-8, or Latin-1 for newsgroup posts that are not.
pub fn read_lines(path: &std::path::Path, latin1_fallback: bool) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) if latin1_fallback => e.into_bytes().iter().map(|&b| b as char).collect(),
        Err(e) => panic!("{}: {e}", path.display()),
    };
    let mut lines: Vec<String> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_owned())
        .collect();
    if lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// One CSV record on one line, as Python's `csv.reader` (default dialect)
/// reads it: `"` quotes a field, `""` inside quotes is a quote.
pub fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut cur) = (Vec::new(), String::new());
    let (mut quoted, mut at_start) = (false, true);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == ',' {
            fields.push(std::mem::take(&mut cur));
            at_start = true;
            continue;
        } else if c == '"' && at_start {
            quoted = true;
        } else {
            cur.push(c);
        }
        at_start = false;
    }
    fields.push(cur);
    fields
}
