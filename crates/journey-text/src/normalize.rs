//! Text normalisation: the first step of every pipeline.
//!
//! Unicode gives the same visible text many encodings: "é" is one code point
//! (U+00E9) or two ("e" + U+0301 combining acute); "ﬁ" is a ligature of "fi".
//! Normalisation maps them onto one form before anything is counted
//! (Unicode Standard Annex #15, *Unicode Normalization Forms*):
//!
//! - **NFC** composes canonically equivalent sequences (lossless);
//! - **NFKC** also folds compatibility characters (ligatures, full-width
//!   letters, superscripts) — lossy, but what most tokenizers want;
//! - **case folding** (`str::to_lowercase`, full Unicode lower-casing);
//! - **accent stripping** decomposes (NFD) and drops combining marks
//!   (general category Mn), as scikit-learn's `strip_accents="unicode"`;
//! - **whitespace / control cleanup** drops control and format characters and
//!   collapses runs of whitespace into one space;
//! - **punctuation** is kept, removed, or standardised (curly quotes, dashes
//!   and ellipsis mapped onto their ASCII forms).
//!
//! Cost: each enabled step is one linear pass over the text.

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Which Unicode normal form to apply first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnicodeForm {
    /// Leave the code points as they are.
    None,
    /// Canonical composition (lossless).
    #[default]
    Nfc,
    /// Compatibility composition: also folds ligatures, widths, superscripts.
    Nfkc,
}

/// What to do with punctuation characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Punctuation {
    #[default]
    Keep,
    /// Replace every punctuation character with a space.
    Remove,
    /// Map typographic quotes, dashes and the ellipsis onto ASCII.
    Standardize,
}

/// Normalisation settings; every step can be switched on or off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NormalizeConfig {
    pub form: UnicodeForm,
    pub lowercase: bool,
    pub strip_accents: bool,
    pub clean_whitespace: bool,
    pub punctuation: Punctuation,
}

impl Default for NormalizeConfig {
    fn default() -> Self {
        Self {
            form: UnicodeForm::Nfc,
            lowercase: false,
            strip_accents: false,
            clean_whitespace: true,
            punctuation: Punctuation::Keep,
        }
    }
}

/// A configured normaliser.
#[derive(Debug, Clone, Default)]
pub struct Normalizer {
    pub config: NormalizeConfig,
}

impl Normalizer {
    pub fn new(config: NormalizeConfig) -> Self {
        Self { config }
    }

    /// Applies the configured steps in a fixed order: Unicode form, accents,
    /// case, punctuation, whitespace (whitespace last, because removing
    /// punctuation creates spaces).
    pub fn normalize(&self, text: &str) -> String {
        let c = &self.config;
        let mut s: String = match c.form {
            UnicodeForm::None => text.to_string(),
            UnicodeForm::Nfc => text.nfc().collect(),
            UnicodeForm::Nfkc => text.nfkc().collect(),
        };
        if c.strip_accents {
            s = strip_accents(&s);
        }
        if c.lowercase {
            s = s.to_lowercase();
        }
        match c.punctuation {
            Punctuation::Keep => {}
            Punctuation::Remove => s = remove_punctuation(&s),
            Punctuation::Standardize => s = standardize_punctuation(&s),
        }
        if c.clean_whitespace {
            s = clean_whitespace(&s);
        }
        s
    }
}

/// Decomposes (NFD), drops combining marks, recomposes (NFC): "Crème brûlée"
/// becomes "Creme brulee". Letters without a decomposition ("ø", "ß") stay.
pub fn strip_accents(text: &str) -> String {
    text.nfd()
        .filter(|&c| !is_combining_mark(c))
        .nfc()
        .collect()
}

/// Drops control and format characters (keeping the whitespace ones), turns
/// every whitespace run into one ASCII space, and trims both ends.
pub fn clean_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else if c.is_control() || is_format(c) {
            continue;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Unicode general category Cf characters that commonly leak into scraped
/// text: zero-width spaces and joiners, the BOM, directional marks, soft hyphen.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
    )
}

/// True for punctuation characters: ASCII punctuation and the Unicode general
/// punctuation / CJK punctuation blocks and other common symbols of text.
pub fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    matches!(c,
        '\u{00A1}' | '\u{00A7}' | '\u{00AB}' | '\u{00B6}' | '\u{00B7}' | '\u{00BB}' | '\u{00BF}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205E}'
        | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
    )
}

/// Replaces each punctuation character with a space (so "end.Next" stays two
/// words); whitespace cleanup then collapses the spaces.
pub fn remove_punctuation(text: &str) -> String {
    text.chars()
        .map(|c| if is_punctuation(c) { ' ' } else { c })
        .collect()
}

/// Maps typographic punctuation onto its ASCII equivalent.
pub fn standardize_punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => out.push('"'),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => out.push('-'),
            '\u{2013}' => out.push('-'),
            '\u{2014}' | '\u{2015}' => out.push_str("--"),
            '\u{2026}' => out.push_str("..."),
            '\u{00A0}' | '\u{2007}' | '\u{202F}' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_and_nfkc_folds() {
        let decomposed = "cafe\u{0301}";
        let n = Normalizer::new(NormalizeConfig::default());
        assert_eq!(n.normalize(decomposed), "caf\u{00E9}");
        let k = Normalizer::new(NormalizeConfig {
            form: UnicodeForm::Nfkc,
            ..Default::default()
        });
        assert_eq!(k.normalize("\u{FB01}ne \u{FF21}\u{00B2}"), "fine A2");
    }

    #[test]
    fn accents_case_and_whitespace() {
        let n = Normalizer::new(NormalizeConfig {
            lowercase: true,
            strip_accents: true,
            ..Default::default()
        });
        assert_eq!(
            n.normalize("  Crème\u{200B} BRÛLÉE\t\n à  Zürich\u{0007} "),
            "creme brulee a zurich"
        );
        // Letters without a canonical decomposition are kept.
        assert_eq!(strip_accents("ø ß ł"), "ø ß ł");
    }

    #[test]
    fn punctuation_modes() {
        let rm = Normalizer::new(NormalizeConfig {
            punctuation: Punctuation::Remove,
            ..Default::default()
        });
        assert_eq!(
            rm.normalize("Hello, world!...end.Next «quoted»"),
            "Hello world end Next quoted"
        );
        assert_eq!(
            standardize_punctuation("\u{201C}Don\u{2019}t\u{201D} \u{2014} wait\u{2026}"),
            "\"Don't\" -- wait..."
        );
    }

    #[test]
    fn empty_and_whitespace_only() {
        let n = Normalizer::default();
        assert_eq!(n.normalize(""), "");
        assert_eq!(n.normalize(" \t\n "), "");
    }
}
