//! Finding the shared data sets in tests, for every crate of the workspace.
//!
//! When `JOURNEY_DATA` is unset a data test is skipped with a message; when
//! `JOURNEY_REQUIRE_DATA=1` (as `.ci/run` sets it) a missing file fails the test.
//!
//! A relative `JOURNEY_DATA` (the README's `../shared/data`) is meant from the
//! workspace root, but cargo runs each test in its own crate folder, so it is
//! looked up from the current folder and then from each folder above it.

use std::path::{Path, PathBuf};

/// `$JOURNEY_DATA` as an absolute folder, if set.
pub fn root() -> Option<PathBuf> {
    let value = PathBuf::from(std::env::var_os("JOURNEY_DATA").filter(|v| !v.is_empty())?);
    if value.is_absolute() {
        return Some(value);
    }
    let cwd = std::env::current_dir().ok()?;
    let found = cwd
        .ancestors()
        .map(|a: &Path| a.join(&value))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| cwd.join(&value));
    Some(found.canonicalize().unwrap_or(found))
}

/// The path of `rel` under `$JOURNEY_DATA`, or `None` (after printing why)
/// when the data is not available and not required.
///
/// # Panics
/// When `JOURNEY_REQUIRE_DATA=1` and the file cannot be found: in CI a
/// missing data set must fail, not skip.
pub fn file(rel: &str) -> Option<PathBuf> {
    let required = std::env::var("JOURNEY_REQUIRE_DATA").is_ok_and(|v| v == "1");
    match root() {
        Some(root) => {
            let path = root.join(rel);
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
