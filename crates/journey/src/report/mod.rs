//! The tour's report: `journey-report/index.html` with its figures as SVG.
//!
//! A report is a list of sections (one per roadmap step) made of paragraphs,
//! tables, preformatted text and figures. Every file is written to a
//! temporary name and renamed into place, so a crash never leaves a
//! half-written report.

pub mod svg;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

pub enum Block {
    Paragraph(String),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Pre(String),
    /// Trusted HTML made by the tour itself (e.g. highlighted tokens).
    Html(String),
    Figure {
        file: String,
        caption: String,
        svg: String,
    },
}

pub struct Section {
    pub id: String,
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Section {
    pub fn new(id: &str, title: &str) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            blocks: Vec::new(),
        }
    }
    pub fn para(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(text.into()));
    }
    pub fn table(&mut self, header: &[&str], rows: Vec<Vec<String>>) {
        self.blocks.push(Block::Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows,
        });
    }
    pub fn pre(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Pre(text.into()));
    }
    pub fn html(&mut self, html: impl Into<String>) {
        self.blocks.push(Block::Html(html.into()));
    }
    pub fn figure(&mut self, file: &str, caption: &str, svg: String) {
        self.blocks.push(Block::Figure {
            file: file.into(),
            caption: caption.into(),
            svg,
        });
    }
}

pub struct Report {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}\
h1{margin-bottom:0}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}\
table{border-collapse:collapse;margin:1em 0;font-size:.92em}td,th{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}\
th{background:#f4f4f4}pre{background:#f7f7f7;padding:.8em;overflow-x:auto;font-size:.9em}\
figure{margin:1em 0}figcaption{color:#555;font-size:.9em}nav a{margin-right:1em}\
.tok{display:inline-block;border:1px solid #ccc;border-radius:3px;padding:0 .25em;margin:.1em;background:#fafafa;font-family:monospace}\
.sub{color:#666}";

impl Report {
    /// Writes `index.html` and the figures into `dir`; returns the index path.
    pub fn write(&self, dir: &Path) -> Result<PathBuf> {
        let figures = dir.join("figures");
        std::fs::create_dir_all(&figures)
            .with_context(|| format!("cannot create {}", figures.display()))?;
        let mut html = String::new();
        let _ = write!(
            html,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
             <style>{STYLE}</style></head><body><h1>{t}</h1><p class=\"sub\">{s}</p><nav>",
            t = escape(&self.title),
            s = escape(&self.subtitle)
        );
        for sec in &self.sections {
            let _ = write!(html, "<a href=\"#{}\">{}</a>", sec.id, escape(&sec.title));
        }
        html.push_str("</nav>");
        for sec in &self.sections {
            let _ = write!(html, "<h2 id=\"{}\">{}</h2>", sec.id, escape(&sec.title));
            for block in &sec.blocks {
                match block {
                    Block::Paragraph(p) => {
                        let _ = write!(html, "<p>{}</p>", escape(p));
                    }
                    Block::Pre(p) => {
                        let _ = write!(html, "<pre>{}</pre>", escape(p));
                    }
                    Block::Html(h) => html.push_str(h),
                    Block::Table { header, rows } => {
                        html.push_str("<table><tr>");
                        for h in header {
                            let _ = write!(html, "<th>{}</th>", escape(h));
                        }
                        html.push_str("</tr>");
                        for row in rows {
                            html.push_str("<tr>");
                            for c in row {
                                let _ = write!(html, "<td>{}</td>", escape(c));
                            }
                            html.push_str("</tr>");
                        }
                        html.push_str("</table>");
                    }
                    Block::Figure { file, caption, svg } => {
                        write_atomic(&figures.join(file), svg.as_bytes())?;
                        let _ = write!(
                            html,
                            "<figure><img src=\"figures/{f}\" alt=\"{c}\"><figcaption>{c}</figcaption></figure>",
                            f = escape(file),
                            c = escape(caption)
                        );
                    }
                }
            }
        }
        html.push_str("</body></html>\n");
        let index = dir.join("index.html");
        write_atomic(&index, html.as_bytes())?;
        Ok(index)
    }
}

/// Writes a file through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let file = tmp
        .persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    // Temporary files are owner-only; a report is for any reader.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_index_and_figures_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Section::new("a", "Words & <tokens>");
        s.para("x < y");
        s.figure(
            "f.svg",
            "a plot",
            svg::bar_chart("t", &[("a".into(), 1.0)], "n"),
        );
        let r = Report {
            title: "T".into(),
            subtitle: "S".into(),
            sections: vec![s],
        };
        let index = r.write(dir.path()).unwrap();
        let html = std::fs::read_to_string(index).unwrap();
        assert!(html.contains("Words &amp; &lt;tokens&gt;") && html.contains("x &lt; y"));
        assert!(dir.path().join("figures/f.svg").is_file());
    }
}
