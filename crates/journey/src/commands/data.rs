//! `journey data …`: the catalog of data sets.

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Subcommand;
use journey_data::{digest, Catalog, DatasetKind, Resolver};
use serde_json::json;

use crate::output::{print_table, Global};

#[derive(Subcommand, Debug)]
pub enum DataCommand {
    /// List the data sets, and whether each is available here.
    List,
    /// Print the local path of a data set, fetching it if needed.
    Path {
        /// Data set name (see `journey data list`).
        name: String,
        /// A data root folder, or the file itself.
        #[arg(long, value_name = "PATH")]
        data: Option<PathBuf>,
        /// Never use the network.
        #[arg(long)]
        offline: bool,
    },
    /// Check the sha256 of the data sets found locally (all, or those named).
    Verify {
        names: Vec<String>,
        #[arg(long, value_name = "PATH")]
        data: Option<PathBuf>,
    },
}

pub fn run(g: &Global, cmd: DataCommand) -> Result<()> {
    let catalog = Catalog::builtin();
    match cmd {
        DataCommand::List => {
            let resolver = Resolver {
                online: false,
                ..Resolver::from_env(None)
            };
            let mut rows = Vec::new();
            let mut items = Vec::new();
            for ds in &catalog.datasets {
                let local = resolver.resolve(ds).ok();
                let here = local
                    .as_ref()
                    .map(|r| r.path.display().to_string())
                    .unwrap_or_else(|| "-".into());
                rows.push(vec![
                    ds.name.clone(),
                    human_bytes(ds.bytes),
                    ds.licence.clone(),
                    here.clone(),
                ]);
                items.push(json!({ "dataset": ds, "local_path": local.map(|r| r.path) }));
            }
            if g.json {
                crate::outln!("{}", serde_json::to_string_pretty(&items)?)?;
            } else {
                print_table(&["name", "size", "licence", "local path"], &rows)?;
            }
        }
        DataCommand::Path {
            name,
            data,
            offline,
        } => {
            let ds = catalog.get(&name)?;
            let mut resolver = Resolver::from_env(data);
            resolver.online &= !offline;
            let found = resolver.resolve(ds)?;
            if g.json {
                crate::outln!("{}", serde_json::to_string(&found)?)?;
            } else {
                crate::outln!("{}", found.path.display())?;
            }
        }
        DataCommand::Verify { names, data } => {
            let resolver = Resolver {
                online: false,
                ..Resolver::from_env(data)
            };
            let selected: Vec<_> = if names.is_empty() {
                catalog.datasets.iter().collect()
            } else {
                names
                    .iter()
                    .map(|n| catalog.get(n))
                    .collect::<Result<_, _>>()?
            };
            let (mut ok, mut bad, mut missing) = (0, 0, 0);
            let mut rows = Vec::new();
            let mut items = Vec::new();
            for ds in selected {
                let (status, path) = match resolver.resolve(ds) {
                    Err(_) => {
                        missing += 1;
                        ("missing".to_string(), None)
                    }
                    Ok(found) => {
                        let sum = match ds.kind {
                            DatasetKind::File => digest::sha256_file(&found.path)?,
                            DatasetKind::Folder => digest::sha256_tree(&found.path)?,
                        };
                        let alt = journey_data::registry::KJV_ALT_SHA256;
                        if sum == ds.sha256 || (ds.name == "kjv" && sum == alt) {
                            ok += 1;
                            ("ok".to_string(), Some(found.path))
                        } else {
                            bad += 1;
                            (format!("MISMATCH (sha256 {sum})"), Some(found.path))
                        }
                    }
                };
                let shown = path.as_ref().map(|p| p.display().to_string());
                rows.push(vec![
                    ds.name.clone(),
                    status.clone(),
                    shown.unwrap_or_default(),
                ]);
                items.push(json!({ "name": ds.name, "status": status, "path": path }));
            }
            if g.json {
                let summary =
                    json!({ "ok": ok, "mismatch": bad, "missing": missing, "datasets": items });
                crate::outln!("{}", serde_json::to_string_pretty(&summary)?)?;
            } else {
                print_table(&["name", "status", "path"], &rows)?;
                crate::outln!("\n{ok} ok, {bad} mismatched, {missing} not found locally")?;
            }
            if bad > 0 {
                bail!("{bad} data set(s) do not match their catalog checksum");
            }
            if ok == 0 {
                bail!("no data set was found locally; set JOURNEY_DATA (e.g. JOURNEY_DATA=../shared/data) or pass --data PATH");
            }
        }
    }
    Ok(())
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.0} kB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}
