//! Test support shared by the training tests: a shared-data text file
//! prepared as the benchmarks prepare theirs.

#![allow(dead_code)]

/// `rel` under `$JOURNEY_DATA`, each line ASCII-lowercased with every byte
/// that is not a letter or digit turned into a space, empty lines dropped;
/// `None` when the data is not available (and not required).
pub fn prepared(rel: &str) -> Option<String> {
    let path = journey_data::testdata::file(rel)?;
    let raw = std::fs::read(path).unwrap();
    let mut text = String::new();
    for line in String::from_utf8_lossy(&raw).lines() {
        let p: String = line
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    b.to_ascii_lowercase() as char
                } else {
                    ' '
                }
            })
            .collect();
        let words: Vec<&str> = p.split_whitespace().collect();
        if !words.is_empty() {
            text.push_str(&words.join(" "));
            text.push('\n');
        }
    }
    Some(text)
}
