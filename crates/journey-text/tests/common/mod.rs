//! Test support: find the shared data sets through `$JOURNEY_DATA`.
//!
//! When `JOURNEY_DATA` is unset a data test is skipped with a message; when
//! `JOURNEY_REQUIRE_DATA=1` (as `.ci/run` sets it) a missing file fails.

#![allow(dead_code)]

use std::path::PathBuf;

/// The path of `rel` under `$JOURNEY_DATA`, or `None` (after printing why)
/// when the data is not available and not required.
pub fn data_file(rel: &str) -> Option<PathBuf> {
    let required = std::env::var("JOURNEY_REQUIRE_DATA").is_ok_and(|v| v == "1");
    match std::env::var_os("JOURNEY_DATA") {
        Some(root) => {
            let path = PathBuf::from(root).join(rel);
            if path.exists() {
                Some(path)
            } else if required {
                panic!(
                    "JOURNEY_REQUIRE_DATA=1 but {} does not exist",
                    path.display()
                );
            } else {
                eprintln!("skipping: {} does not exist", path.display());
                None
            }
        }
        None if required => panic!("JOURNEY_REQUIRE_DATA=1 but JOURNEY_DATA is not set"),
        None => {
            eprintln!("skipping: set JOURNEY_DATA to the shared data folder to run this test");
            None
        }
    }
}

/// A fixture committed beside the tests (`tests/fixtures/NAME`).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
