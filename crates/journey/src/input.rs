//! Reading command input: a FILE argument or standard input, checked for
//! UTF-8 (naming the line of the first bad byte) and for emptiness.

use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Reads FILE, or stdin when absent (or "-"). Empty input is an error: the
/// command would otherwise print nothing and look like it worked.
pub fn read_input(file: Option<&Path>) -> Result<String> {
    let (text, name) = read_utf8(file)?;
    if text.trim().is_empty() {
        bail!("{name} is empty: nothing to process");
    }
    Ok(text)
}

/// Like `read_input` for commands with one result per input line: blank
/// lines are input too (they get the result of the empty string); only an
/// input without any line is an error.
pub fn read_input_lines(file: Option<&Path>) -> Result<String> {
    let (text, name) = read_utf8(file)?;
    if text.is_empty() {
        bail!("{name} is empty: nothing to process");
    }
    Ok(text)
}

/// FILE or stdin as UTF-8 (naming the line of the first bad byte), and its
/// name for messages.
fn read_utf8(file: Option<&Path>) -> Result<(String, String)> {
    let (bytes, name) = match file {
        Some(p) if p != Path::new("-") => {
            let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
            (bytes, p.display().to_string())
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            (bytes, "standard input".to_string())
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..valid]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            bail!("{name}:{line}: invalid UTF-8 (byte offset {valid}); convert the input to UTF-8 first, e.g. with iconv");
        }
    };
    Ok((text, name))
}
