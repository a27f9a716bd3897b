//! Finding the shared data sets in tests, for every crate of the workspace.
//!
//! When `JOURNEY_DATA` is unset a data test is skipped with a message; when
//! `JOURNEY_REQUIRE_DATA=1` (as `.ci/run` sets it) a missing file fails the test.

use std::path::PathBuf;

/// The path of `rel` under `$JOURNEY_DATA`, or `None` (after printing why)
/// when the data is not available and not required.
///
/// # Panics
/// When `JOURNEY_REQUIRE_DATA=1` and the file cannot be found: in CI a
/// missing data set must fail, not skip.
pub fn file(rel: &str) -> Option<PathBuf> {
    let required = std::env::var("JOURNEY_REQUIRE_DATA").is_ok_and(|v| v == "1");
    match std::env::var_os("JOURNEY_DATA").filter(|v| !v.is_empty()) {
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
