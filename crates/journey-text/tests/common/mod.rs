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
