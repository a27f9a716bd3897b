//! Punkt: unsupervised learning of what ends a sentence.
//!
//! Kiss & Strunk (2006), "Unsupervised Multilingual Sentence Boundary
//! Detection", Computational Linguistics 32(4): 485–525, as NLTK 3.10.4
//! implements it in `nltk/tokenize/punkt.py` (`PunktLanguageVars`,
//! `PunktToken`, `PunktParameters`, `PunktTrainer`). This file holds the model
//! and how it is learned; [`crate::sentences`] applies it to split text.
//!
//! A period may end a sentence, an abbreviation ("Mr."), an initial ("J."),
//! or a number ("3."). Punkt learns which, from raw text alone:
//!
//! 1. **Abbreviations** (section 3): a type `w` that is seen as `w.` far more
//!    often than `w` gets a high modified Dunning log-likelihood ratio; the
//!    score is scaled down for long words and words that also occur without a
//!    period, up for words with inner periods ("u.s"), and kept when `≥ 0.3`.
//!    Rare types followed by `,` `:` `;` or by a lower-case word that is never
//!    upper-case mid-sentence are abbreviations too.
//! 2. **Orthographic context**: for every type, whether it was seen upper- or
//!    lower-case at the start of a sentence, inside one, or where that is
//!    unknown (a bit set, [`ORTHO_BEG_UC`] … [`ORTHO_UNK_LC`]).
//! 3. **Frequent sentence starters**: words that follow a sentence break far
//!    more often than chance (Dunning log-likelihood `≥ 30`).
//! 4. **Collocations**: pairs like ("s", "bach") or ("##number##", "dividend")
//!    whose first word is an initial or a number ending in a period and that
//!    co-occur far more often than chance (log-likelihood `≥ 7.88`).
//!
//! NLTK's regular expressions (word tokenizer, period context, number,
//! initial) are written out by hand here: the Rust `regex` crate has no
//! lookaround, and hand-written scanners are also faster. Character classes
//! follow the `regex` module NLTK uses: `\s` is Unicode `White_Space`, `\w`
//! is Unicode word characters; "is upper/lower" is Unicode's derived
//! `Uppercase` / `Lowercase`, like Python's `str.isupper` / `str.islower`.
//!
//! Cost: training is linear in the text (one pass to tokenize and count, one
//! to annotate), memory is one small record per token plus a table per type.
//! The learned [`PunktParameters`] are four small tables (NLTK's English
//! model: 156 abbreviations, 37 collocations, 39 sentence starters and 20,366
//! orthographic contexts, about 350 kB of JSON).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::read_utf8;
use crate::TextError;

// ---------------------------------------------------------------------------
// Orthographic context flags
// ---------------------------------------------------------------------------

/// Seen upper-case at the beginning of a sentence.
pub const ORTHO_BEG_UC: u32 = 1 << 1;
/// Seen upper-case in the middle of a sentence.
pub const ORTHO_MID_UC: u32 = 1 << 2;
/// Seen upper-case where the position in the sentence is unknown.
pub const ORTHO_UNK_UC: u32 = 1 << 3;
/// Seen lower-case at the beginning of a sentence.
pub const ORTHO_BEG_LC: u32 = 1 << 4;
/// Seen lower-case in the middle of a sentence.
pub const ORTHO_MID_LC: u32 = 1 << 5;
/// Seen lower-case where the position in the sentence is unknown.
pub const ORTHO_UNK_LC: u32 = 1 << 6;
/// Seen upper-case anywhere.
pub const ORTHO_UC: u32 = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC;
/// Seen lower-case anywhere.
pub const ORTHO_LC: u32 = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC;

/// The type every numeric token is folded into (NLTK's `##number##`).
pub const NUMBER_TYPE: &str = "##number##";

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

/// What Punkt learned: the whole model a [`crate::sentences::PunktSentenceTokenizer`]
/// needs. Types are lower-case and numbers are folded into [`NUMBER_TYPE`];
/// abbreviations are stored without their final period ("mr", "u.s").
///
/// Serialises to JSON with sorted lists, so equal models give equal files:
/// `{"abbrev_types": [...], "collocations": [[a, b], ...],
/// "sent_starters": [...], "ortho_context": {"type": flags, ...}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PunktParameters {
    /// Word types known to be abbreviations, without the final period.
    #[serde(serialize_with = "sorted_set")]
    pub abbrev_types: HashSet<String>,
    /// Pairs `(a, b)` where `a.` followed by `b` is not a sentence break.
    #[serde(serialize_with = "sorted_pairs")]
    pub collocations: HashSet<(String, String)>,
    /// Word types that frequently begin a sentence.
    #[serde(serialize_with = "sorted_set")]
    pub sent_starters: HashSet<String>,
    /// For each type, the [`ORTHO_BEG_UC`]… flags of the contexts it was seen in.
    #[serde(serialize_with = "sorted_map")]
    pub ortho_context: HashMap<String, u32>,
}

fn sorted_set<S: serde::Serializer>(set: &HashSet<String>, s: S) -> Result<S::Ok, S::Error> {
    let mut v: Vec<&String> = set.iter().collect();
    v.sort();
    v.serialize(s)
}

fn sorted_pairs<S: serde::Serializer>(
    set: &HashSet<(String, String)>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut v: Vec<&(String, String)> = set.iter().collect();
    v.sort();
    v.serialize(s)
}

fn sorted_map<S: serde::Serializer>(map: &HashMap<String, u32>, s: S) -> Result<S::Ok, S::Error> {
    let sorted: std::collections::BTreeMap<&String, &u32> = map.iter().collect();
    sorted.serialize(s)
}

/// NLTK's pretrained English model (`punkt_tab/english`, trained by Kiss and
/// Strunk on Wall Street Journal text; Apache-2.0). See `data/punkt/README.md`.
const ENGLISH_JSON: &str = include_str!("../data/punkt/english.json");

impl PunktParameters {
    /// NLTK's pretrained English parameters, embedded in the library: the
    /// model `nltk.sent_tokenize` uses. Parsed once, then cloned.
    pub fn english() -> Self {
        static ENGLISH: OnceLock<PunktParameters> = OnceLock::new();
        ENGLISH
            .get_or_init(|| {
                Self::from_json(ENGLISH_JSON)
                    .expect("the embedded English Punkt model is valid JSON")
            })
            .clone()
    }

    /// Parameters from their JSON form (see the type's documentation).
    pub fn from_json(json: &str) -> Result<Self, TextError> {
        serde_json::from_str(json).map_err(|source| TextError::Json {
            what: "Punkt parameters".into(),
            source,
        })
    }

    /// The JSON form, with every list sorted.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("Punkt parameters always serialise")
    }

    /// Reads parameters from a JSON file written by [`PunktParameters::save`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self, TextError> {
        let path = path.as_ref();
        let text = read_utf8(path)?;
        serde_json::from_str(&text).map_err(|source| TextError::Json {
            what: path.display().to_string(),
            source,
        })
    }

    /// Writes the JSON form to `path`.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), TextError> {
        let path = path.as_ref();
        fs::write(path, self.to_json()).map_err(|source| TextError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Reads an NLTK `punkt_tab` model folder (`abbrev_types.txt`,
    /// `collocations.tab`, `sent_starters.txt`, `ortho_context.tab`), such as
    /// `nltk_data/tokenizers/punkt_tab/german/`.
    pub fn load_punkt_tab(dir: impl AsRef<Path>) -> Result<Self, TextError> {
        let dir = dir.as_ref();
        let lines = |name: &str| -> Result<(std::path::PathBuf, Vec<String>), TextError> {
            let path = dir.join(name);
            let text = read_utf8(&path)?;
            Ok((path, text.split('\n').map(|l| l.to_string()).collect()))
        };
        // NLTK reads every line, an empty last one included; we skip only
        // that trailing empty line (files written with a final newline).
        let trim = |mut v: Vec<String>| {
            if v.last().is_some_and(|l| l.is_empty()) {
                v.pop();
            }
            v
        };
        let mut params = PunktParameters::default();
        let (_, abbrevs) = lines("abbrev_types.txt")?;
        params.abbrev_types = trim(abbrevs).into_iter().collect();
        let (_, starters) = lines("sent_starters.txt")?;
        params.sent_starters = trim(starters).into_iter().collect();
        let (path, collocs) = lines("collocations.tab")?;
        for (i, line) in trim(collocs).iter().enumerate() {
            let (a, b) = line.split_once('\t').ok_or_else(|| TextError::Malformed {
                path: path.clone(),
                line: i + 1,
                message: "expected two tab-separated words".into(),
            })?;
            params.collocations.insert((a.to_string(), b.to_string()));
        }
        let (path, ortho) = lines("ortho_context.tab")?;
        for (i, line) in trim(ortho).iter().enumerate() {
            let bad = || TextError::Malformed {
                path: path.clone(),
                line: i + 1,
                message: "expected a word, a tab and an integer".into(),
            };
            let (typ, flags) = line.rsplit_once('\t').ok_or_else(bad)?;
            let flags: u32 = flags.trim().parse().map_err(|_| bad())?;
            params.ortho_context.insert(typ.to_string(), flags);
        }
        Ok(params)
    }

    /// Writes an NLTK `punkt_tab` model folder that `nltk.data` can load.
    pub fn save_punkt_tab(&self, dir: impl AsRef<Path>) -> Result<(), TextError> {
        let dir = dir.as_ref();
        let io = |path: &Path, source| TextError::Io {
            path: path.to_path_buf(),
            source,
        };
        fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let mut abbrevs: Vec<&str> = self.abbrev_types.iter().map(|s| s.as_str()).collect();
        abbrevs.sort();
        let mut starters: Vec<&str> = self.sent_starters.iter().map(|s| s.as_str()).collect();
        starters.sort();
        let mut collocs: Vec<String> = self
            .collocations
            .iter()
            .map(|(a, b)| format!("{a}\t{b}"))
            .collect();
        collocs.sort();
        let mut ortho: Vec<String> = self
            .ortho_context
            .iter()
            .map(|(t, f)| format!("{t}\t{f}"))
            .collect();
        ortho.sort();
        for (name, body) in [
            ("abbrev_types.txt", abbrevs.join("\n")),
            ("sent_starters.txt", starters.join("\n")),
            ("collocations.tab", collocs.join("\n")),
            ("ortho_context.tab", ortho.join("\n")),
        ] {
            let path = dir.join(name);
            fs::write(&path, body).map_err(|e| io(&path, e))?;
        }
        Ok(())
    }

    /// The orthographic flags of `typ` (0 when never seen).
    pub fn ortho(&self, typ: &str) -> u32 {
        self.ortho_context.get(typ).copied().unwrap_or(0)
    }

    fn is_collocation(&self, a: &str, b: &str) -> bool {
        // Avoids allocating a key: collocation sets are small.
        !self.collocations.is_empty() && self.collocations.contains(&(a.to_string(), b.to_string()))
    }
}

// ---------------------------------------------------------------------------
// Character classes (NLTK's regular expressions, by hand)
// ---------------------------------------------------------------------------

/// `\s` of Python's `regex` module: Unicode `White_Space`.
#[inline]
pub(crate) fn is_re_space(c: char) -> bool {
    c.is_whitespace()
}

/// Python's `str.isspace` (used by `strip`/`rstrip`): `White_Space` plus the
/// information separators U+001C..U+001F.
#[inline]
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn unicode_class(c: char, re: &'static OnceLock<regex::Regex>, pattern: &str) -> bool {
    let re = re.get_or_init(|| regex::Regex::new(pattern).expect("valid class"));
    let mut buf = [0u8; 4];
    re.is_match(c.encode_utf8(&mut buf))
}

/// `\d`: Unicode decimal digits (`Nd`).
#[inline]
fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        static RE: OnceLock<regex::Regex> = OnceLock::new();
        unicode_class(c, &RE, r"^\d$")
    }
}

/// `[^\W\d]`: a word character that is not a digit (letters, marks, `_`).
#[inline]
fn is_alpha_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic() || c == '_'
    } else {
        static RE: OnceLock<regex::Regex> = OnceLock::new();
        unicode_class(c, &RE, r"^[^\W\d]$")
    }
}

/// NLTK's `_re_non_word_chars`: characters that cannot appear within words.
#[inline]
pub(crate) fn is_non_word(c: char) -> bool {
    matches!(
        c,
        ')' | '"'
            | ';'
            | '}'
            | ']'
            | '*'
            | ':'
            | '@'
            | '\''
            | '('
            | '{'
            | '['
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201c}'
            | '\u{201d}'
            | '\u{ab}'
            | '\u{bb}'
            | '?'
            | '!'
    )
}

/// NLTK's `_re_word_start`: characters a word token may start with.
#[inline]
fn is_word_start(c: char) -> bool {
    !matches!(
        c,
        '(' | '"'
            | '`'
            | '{'
            | '['
            | ':'
            | ';'
            | '&'
            | '#'
            | '*'
            | '@'
            | ')'
            | '}'
            | ']'
            | '-'
            | ','
    )
}

/// Length in bytes of NLTK's `_re_multi_char_punct`
/// (`\-{2,}|\.{2,}|(?:\.\s){2,}\.`) matched at the start of `s`.
fn multi_char_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return None;
    }
    if b[0] == b'-' && b[1] == b'-' {
        return Some(b.iter().take_while(|&&x| x == b'-').count());
    }
    if b[0] != b'.' {
        return None;
    }
    if b[1] == b'.' {
        return Some(b.iter().take_while(|&&x| x == b'.').count());
    }
    // (?:\.\s){2,}\. — as many ". " pairs as there are, then a period; if the
    // pairs are followed by no period, the last pair gives up its period.
    let mut pos = 0;
    let mut pairs = 0;
    let mut ends = Vec::new(); // end of each pair
    loop {
        let rest = &s[pos..];
        let mut it = rest.chars();
        match (it.next(), it.next()) {
            (Some('.'), Some(w)) if is_re_space(w) => {
                pos += 1 + w.len_utf8();
                pairs += 1;
                ends.push(pos);
            }
            _ => break,
        }
    }
    if pairs < 2 {
        return None;
    }
    if s[pos..].starts_with('.') {
        Some(pos + 1)
    } else if pairs >= 3 {
        Some(ends[pairs - 2] + 1)
    } else {
        None
    }
}

/// Whether the lazy word pattern `\S+?` may stop before `rest` (NLTK's
/// "sequences marking a word's end"): whitespace, end, a non-word character,
/// multi-character punctuation, or a comma that itself ends the word.
#[inline]
fn word_ends_before(rest: &str) -> bool {
    let mut it = rest.chars();
    match it.next() {
        None => true,
        Some(c) if is_re_space(c) || is_non_word(c) => true,
        Some(c) => {
            if (c == '-' || c == '.') && multi_char_len(rest).is_some() {
                return true;
            }
            if c == ',' {
                let after = &rest[1..];
                return match after.chars().next() {
                    None => true,
                    Some(d) => {
                        is_re_space(d)
                            || is_non_word(d)
                            || ((d == '-' || d == '.') && multi_char_len(after).is_some())
                    }
                };
            }
            false
        }
    }
}

/// Punkt's word tokenizer (NLTK `PunktLanguageVars.word_tokenize`): splits
/// off punctuation other than periods, keeps "Mr." and "3.15" whole, and
/// keeps "--", "..." and ". . ." as single tokens. Works on one line.
pub fn word_tokenize(line: &str) -> Vec<&str> {
    WordIter { s: line, pos: 0 }.collect()
}

struct WordIter<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Iterator for WordIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.s;
        // skip whitespace
        let mut i = self.pos;
        let c = loop {
            let c = s[i..].chars().next()?;
            if is_re_space(c) {
                i += c.len_utf8();
            } else {
                break c;
            }
        };
        let end = if let Some(n) = multi_char_len(&s[i..]) {
            i + n
        } else if is_word_start(c) {
            let mut j = i + c.len_utf8();
            while !word_ends_before(&s[j..]) {
                j += s[j..].chars().next().map_or(1, char::len_utf8);
            }
            j
        } else {
            i + c.len_utf8()
        };
        self.pos = end;
        Some(&s[i..end])
    }
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

/// NLTK's `PunktToken`: a word token with its type and annotations.
#[derive(Clone, Debug)]
pub(crate) struct Token<'a> {
    pub tok: &'a str,
    /// Lower-cased, with numbers folded into [`NUMBER_TYPE`].
    pub typ: String,
    pub period_final: bool,
    pub parastart: bool,
    pub linestart: bool,
    pub sentbreak: bool,
    pub abbr: bool,
    pub ellipsis: bool,
}

/// `^-?[\.,]?\d[\d,\.-]*\.?$`
fn is_numeric(s: &str) -> bool {
    let mut rest = s.strip_prefix('-').unwrap_or(s);
    rest = rest.strip_prefix(['.', ',']).unwrap_or(rest);
    let mut it = rest.chars();
    match it.next() {
        Some(c) if is_digit(c) => {}
        _ => return false,
    }
    it.all(|c| matches!(c, ',' | '.' | '-') || is_digit(c))
}

impl<'a> Token<'a> {
    pub fn new(tok: &'a str) -> Self {
        let lower = if tok.is_ascii() {
            tok.to_ascii_lowercase()
        } else {
            tok.to_lowercase()
        };
        let typ = if is_numeric(&lower) {
            NUMBER_TYPE.to_string()
        } else {
            lower
        };
        Token {
            tok,
            typ,
            period_final: tok.ends_with('.'),
            parastart: false,
            linestart: false,
            sentbreak: false,
            abbr: false,
            ellipsis: false,
        }
    }

    /// The type without its final period.
    pub fn type_no_period(&self) -> &str {
        if self.typ.len() > 1 && self.typ.ends_with('.') {
            &self.typ[..self.typ.len() - 1]
        } else {
            &self.typ
        }
    }

    /// The type without its final period if this token is a sentence break.
    pub fn type_no_sentperiod(&self) -> &str {
        if self.sentbreak {
            self.type_no_period()
        } else {
            &self.typ
        }
    }

    pub fn first_upper(&self) -> bool {
        self.tok.chars().next().is_some_and(char::is_uppercase)
    }

    pub fn first_lower(&self) -> bool {
        self.tok.chars().next().is_some_and(char::is_lowercase)
    }

    /// `\.\.+$`: two or more periods and nothing else.
    pub fn is_ellipsis(&self) -> bool {
        self.tok.len() >= 2 && self.tok.bytes().all(|b| b == b'.')
    }

    pub fn is_number(&self) -> bool {
        self.typ.starts_with(NUMBER_TYPE)
    }

    /// `[^\W\d]\.$`: one letter and a period.
    pub fn is_initial(&self) -> bool {
        let mut it = self.tok.chars();
        matches!((it.next(), it.next(), it.next()), (Some(c), Some('.'), None) if is_alpha_char(c))
    }

    /// `[^\W\d]+$`: letters only.
    pub fn is_alpha(&self) -> bool {
        !self.tok.is_empty() && self.tok.chars().all(is_alpha_char)
    }

    /// The type holds a letter (numbers count: their type is `##number##`).
    pub fn is_non_punct(&self) -> bool {
        has_alpha(&self.typ)
    }
}

fn has_alpha(s: &str) -> bool {
    s.chars().any(is_alpha_char)
}

/// NLTK `_tokenize_words`: the word tokens of `text`, line by line, marking
/// the first token of each line and of each paragraph (after a blank line).
pub(crate) fn tokenize_words(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut parastart = false;
    for line in text.split('\n') {
        if line.chars().all(is_py_space) {
            parastart = true;
            continue;
        }
        let mut words = WordIter { s: line, pos: 0 };
        let Some(first) = words.next() else {
            continue;
        };
        let mut t = Token::new(first);
        t.parastart = parastart;
        t.linestart = true;
        out.push(t);
        parastart = false;
        out.extend(words.map(Token::new));
    }
    out
}

// ---------------------------------------------------------------------------
// Annotation (shared by trainer and tokenizer)
// ---------------------------------------------------------------------------

/// First pass (type-based): `.` `?` `!` and unknown period-final words are
/// sentence breaks, runs of periods are ellipses, known abbreviations are
/// abbreviations.
pub(crate) fn first_pass(params: &PunktParameters, t: &mut Token) {
    let tok = t.tok;
    if tok == "." || tok == "?" || tok == "!" {
        t.sentbreak = true;
    } else if t.is_ellipsis() {
        t.ellipsis = true;
    } else if t.period_final && !tok.ends_with("..") {
        let stem = &tok[..tok.len() - 1];
        let lower = if stem.is_ascii() {
            stem.to_ascii_lowercase()
        } else {
            stem.to_lowercase()
        };
        let last = lower.rsplit('-').next().unwrap_or("");
        if params.abbrev_types.contains(&lower) || params.abbrev_types.contains(last) {
            t.abbr = true;
        } else {
            t.sentbreak = true;
        }
    }
}

/// What the orthographic heuristic says about a word starting a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ortho {
    Starter,
    NotStarter,
    Unknown,
}

/// Section 4.1.1: is `t` the first word of a sentence, judging by the cases
/// its type was seen in?
pub(crate) fn ortho_heuristic(params: &PunktParameters, t: &Token) -> Ortho {
    if matches!(t.tok, ";" | ":" | "," | "." | "!" | "?") {
        return Ortho::NotStarter;
    }
    let oc = params.ortho(t.type_no_sentperiod());
    if t.first_upper() && oc & ORTHO_LC != 0 && oc & ORTHO_MID_UC == 0 {
        return Ortho::Starter;
    }
    if t.first_lower() && (oc & ORTHO_UC != 0 || oc & ORTHO_BEG_LC == 0) {
        return Ortho::NotStarter;
    }
    Ortho::Unknown
}

/// Second pass (token-based, section 4): revisit a period-final token `t1`
/// in the light of the word `t2` that follows it, using collocations, the
/// orthographic heuristic and frequent sentence starters.
pub(crate) fn second_pass(params: &PunktParameters, t1: &mut Token, t2: &Token) {
    if !t1.period_final {
        return;
    }
    let typ = t1.type_no_period();
    let next_typ = t2.type_no_sentperiod();
    let initial = t1.is_initial();

    // 4.1.2 collocation heuristic
    if params.is_collocation(typ, next_typ) {
        t1.sentbreak = false;
        t1.abbr = true;
        return;
    }

    // 4.2 abbreviations and ellipses that also end a sentence
    if (t1.abbr || t1.ellipsis) && !initial {
        if ortho_heuristic(params, t2) == Ortho::Starter {
            t1.sentbreak = true;
            return;
        }
        // 4.1.3 frequent sentence starters
        if t2.first_upper() && params.sent_starters.contains(next_typ) {
            t1.sentbreak = true;
            return;
        }
    }

    // 4.3 initials and ordinals
    if initial || typ == NUMBER_TYPE {
        let ortho = ortho_heuristic(params, t2);
        if ortho == Ortho::NotStarter {
            t1.sentbreak = false;
            t1.abbr = true;
            return;
        }
        if ortho == Ortho::Unknown
            && initial
            && t2.first_upper()
            && params.ortho(next_typ) & ORTHO_LC == 0
        {
            t1.sentbreak = false;
            t1.abbr = true;
        }
    }
}

// ---------------------------------------------------------------------------
// Trainer
// ---------------------------------------------------------------------------

/// The trainer's thresholds, named and valued as in NLTK's `PunktTrainer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PunktConfig {
    /// Score from which a type is an abbreviation (`ABBREV`).
    pub abbrev: f64,
    /// Do not penalise types also seen without a period (`IGNORE_ABBREV_PENALTY`).
    pub ignore_abbrev_penalty: bool,
    /// Types rarer than this may be rare abbreviations (`ABBREV_BACKOFF`).
    pub abbrev_backoff: usize,
    /// Log-likelihood from which a pair is a collocation (`COLLOCATION`).
    pub collocation: f64,
    /// Log-likelihood from which a type is a sentence starter (`SENT_STARTER`).
    pub sent_starter: f64,
    /// Every pair after a period-final word is a candidate collocation.
    pub include_all_collocs: bool,
    /// Pairs after an abbreviation are candidate collocations.
    pub include_abbrev_collocs: bool,
    /// A pair must be seen more often than this to be a collocation.
    pub min_colloc_freq: usize,
}

impl Default for PunktConfig {
    fn default() -> Self {
        PunktConfig {
            abbrev: 0.3,
            ignore_abbrev_penalty: false,
            abbrev_backoff: 5,
            collocation: 7.88,
            sent_starter: 30.0,
            include_all_collocs: false,
            include_abbrev_collocs: false,
            min_colloc_freq: 1,
        }
    }
}

/// Learns [`PunktParameters`] from plain text (NLTK `PunktTrainer`). Training
/// is incremental: call [`PunktTrainer::train_more`] on several texts, then
/// [`PunktTrainer::finalize`] (or just [`PunktTrainer::train`] once).
#[derive(Clone, Debug, Default)]
pub struct PunktTrainer {
    config: PunktConfig,
    params: PunktParameters,
    type_fdist: HashMap<String, usize>,
    num_tokens: usize,
    num_period_toks: usize,
    collocation_fdist: HashMap<(String, String), usize>,
    sent_starter_fdist: HashMap<String, usize>,
    sentbreak_count: usize,
    finalized: bool,
}

impl PunktTrainer {
    /// A trainer with NLTK's default thresholds.
    pub fn new() -> Self {
        Self::with_config(PunktConfig::default())
    }

    pub fn with_config(config: PunktConfig) -> Self {
        PunktTrainer {
            config,
            finalized: true,
            ..Default::default()
        }
    }

    /// Learns from `text` and finalizes (collocations and sentence starters).
    pub fn train(&mut self, text: &str) -> &mut Self {
        self.train_more(text);
        self.finalize();
        self
    }

    /// Learns from `text` without finalizing, for training on several texts.
    pub fn train_more(&mut self, text: &str) -> &mut Self {
        let tokens = tokenize_words(text);
        self.train_tokens(tokens);
        self
    }

    /// The learned parameters (finalizing first if needed).
    pub fn params(&mut self) -> &PunktParameters {
        if !self.finalized {
            self.finalize();
        }
        &self.params
    }

    /// The learned parameters, consuming the trainer.
    pub fn into_params(mut self) -> PunktParameters {
        if !self.finalized {
            self.finalize();
        }
        self.params
    }

    fn count(&self, typ: &str) -> usize {
        self.type_fdist.get(typ).copied().unwrap_or(0)
    }

    /// Count of `typ` plus count of `typ.`.
    fn count_with_period(&self, typ: &str) -> usize {
        let mut dotted = String::with_capacity(typ.len() + 1);
        dotted.push_str(typ);
        dotted.push('.');
        self.count(typ) + self.count(&dotted)
    }

    fn train_tokens(&mut self, mut tokens: Vec<Token>) {
        self.finalized = false;

        // Type frequencies (final periods kept) and period-final count.
        for t in &tokens {
            *self.type_fdist.entry(t.typ.clone()).or_insert(0) += 1;
            self.num_tokens += 1;
            if t.period_final {
                self.num_period_toks += 1;
            }
        }

        // Abbreviations: new ones among this text's types, and known ones
        // whose evidence no longer holds.
        let unique: HashSet<&str> = tokens.iter().map(|t| t.typ.as_str()).collect();
        for typ in unique {
            if let Some((abbr, score, is_add)) = self.reclassify_abbrev(typ) {
                if score >= self.config.abbrev {
                    if is_add {
                        self.params.abbrev_types.insert(abbr);
                    }
                } else if !is_add {
                    self.params.abbrev_types.remove(&abbr);
                }
            }
        }

        for t in tokens.iter_mut() {
            first_pass(&self.params, t);
        }
        self.orthography_data(&tokens);
        self.sentbreak_count += tokens.iter().filter(|t| t.sentbreak).count();

        // Heuristics over pairs whose first token ends in a period.
        for pair in tokens.windows(2) {
            let (t1, t2) = (&pair[0], &pair[1]);
            if !t1.period_final {
                continue;
            }
            if self.is_rare_abbrev(t1, t2) {
                self.params
                    .abbrev_types
                    .insert(t1.type_no_period().to_string());
            }
            if t1.sentbreak && !(t1.is_number() || t1.is_initial()) && t2.is_alpha() {
                *self.sent_starter_fdist.entry(t2.typ.clone()).or_insert(0) += 1;
            }
            if self.is_potential_collocation(t1, t2) {
                let key = (
                    t1.type_no_period().to_string(),
                    t2.type_no_sentperiod().to_string(),
                );
                *self.collocation_fdist.entry(key).or_insert(0) += 1;
            }
        }
    }

    /// NLTK `_reclassify_abbrev_types` for one type: `(candidate, score,
    /// is_add)`, or `None` when the type is not a candidate.
    fn reclassify_abbrev(&self, typ: &str) -> Option<(String, f64, bool)> {
        if !has_alpha(typ) || typ == NUMBER_TYPE {
            return None;
        }
        let (typ, is_add) = if let Some(stem) = typ.strip_suffix('.') {
            if self.params.abbrev_types.contains(typ) {
                return None;
            }
            (stem, true)
        } else {
            if !self.params.abbrev_types.contains(typ) {
                return None;
            }
            (typ, false)
        };
        let num_periods = typ.matches('.').count() + 1;
        let num_nonperiods = typ.chars().count() + 1 - num_periods;
        let with_period = self.count(&format!("{typ}."));
        let without_period = self.count(typ);
        let ll = dunning_log_likelihood(
            (with_period + without_period) as f64,
            self.num_period_toks as f64,
            with_period as f64,
            self.num_tokens as f64,
        );
        let f_length = (-(num_nonperiods as f64)).exp();
        let f_periods = num_periods as f64;
        let f_penalty = if self.config.ignore_abbrev_penalty {
            1.0
        } else {
            (num_nonperiods as f64).powf(-(without_period as f64))
        };
        let score = ll * f_length * f_periods * f_penalty;
        Some((typ.to_string(), score, is_add))
    }

    /// A rare type (seen fewer than `abbrev_backoff` times) that ends in a
    /// period is an abbreviation when followed by `,` `:` `;`, or by a
    /// lower-case word seen upper-case sentence-initially but never
    /// sentence-internally.
    fn is_rare_abbrev(&self, t1: &Token, t2: &Token) -> bool {
        if t1.abbr || !t1.sentbreak {
            return false;
        }
        let typ = t1.type_no_sentperiod();
        // NLTK adds the count of `typ[:-1]` (the type less its last
        // character), not of `typ + "."`; kept for parity.
        let shorter = match typ.char_indices().last() {
            Some((i, _)) => &typ[..i],
            None => "",
        };
        let count = self.count(typ) + self.count(shorter);
        if self.params.abbrev_types.contains(typ) || count >= self.config.abbrev_backoff {
            return false;
        }
        if t2.tok.starts_with([',', ':', ';']) {
            return true;
        }
        if t2.first_lower() {
            let oc = self.params.ortho(t2.type_no_sentperiod());
            if oc & ORTHO_BEG_UC != 0 && oc & ORTHO_MID_UC == 0 {
                return true;
            }
        }
        false
    }

    fn is_potential_collocation(&self, t1: &Token, t2: &Token) -> bool {
        (self.config.include_all_collocs
            || (self.config.include_abbrev_collocs && t1.abbr)
            || (t1.sentbreak && (t1.is_number() || t1.is_initial())))
            && t1.is_non_punct()
            && t2.is_non_punct()
    }

    /// Records, for each type, the cases it is seen in at the start of a
    /// sentence, inside one, or at an unknown position (a line start, or
    /// after an abbreviation, ellipsis, number or initial).
    fn orthography_data(&mut self, tokens: &[Token]) {
        #[derive(PartialEq)]
        enum Ctx {
            Initial,
            Internal,
            Unknown,
        }
        let mut context = Ctx::Internal;
        for t in tokens {
            if t.parastart && context != Ctx::Unknown {
                context = Ctx::Initial;
            }
            if t.linestart && context == Ctx::Internal {
                context = Ctx::Unknown;
            }
            let case_upper = if t.first_lower() {
                Some(false)
            } else if t.first_upper() {
                Some(true)
            } else {
                None
            };
            let flag = match (&context, case_upper) {
                (Ctx::Initial, Some(true)) => ORTHO_BEG_UC,
                (Ctx::Internal, Some(true)) => ORTHO_MID_UC,
                (Ctx::Unknown, Some(true)) => ORTHO_UNK_UC,
                (Ctx::Initial, Some(false)) => ORTHO_BEG_LC,
                (Ctx::Internal, Some(false)) => ORTHO_MID_LC,
                (Ctx::Unknown, Some(false)) => ORTHO_UNK_LC,
                (_, None) => 0,
            };
            if flag != 0 {
                let typ = t.type_no_sentperiod();
                match self.params.ortho_context.get_mut(typ) {
                    Some(f) => *f |= flag,
                    None => {
                        self.params.ortho_context.insert(typ.to_string(), flag);
                    }
                }
            }
            context = if t.sentbreak {
                if !(t.is_number() || t.is_initial()) {
                    Ctx::Initial
                } else {
                    Ctx::Unknown
                }
            } else if t.ellipsis || t.abbr {
                Ctx::Unknown
            } else {
                Ctx::Internal
            };
        }
    }

    /// Picks the frequent sentence starters, then the collocations (whose
    /// second word must not be a frequent sentence starter).
    pub fn finalize(&mut self) -> &mut Self {
        let n = self.num_tokens as f64;
        let mut starters = HashSet::new();
        for (typ, &at_break) in &self.sent_starter_fdist {
            if typ.is_empty() {
                continue;
            }
            let typ_count = self.count_with_period(typ);
            if typ_count < at_break {
                continue;
            }
            let ll = col_log_likelihood(
                self.sentbreak_count as f64,
                typ_count as f64,
                at_break as f64,
                n,
            );
            if ll >= self.config.sent_starter
                && n / self.sentbreak_count as f64 > typ_count as f64 / at_break as f64
            {
                starters.insert(typ.clone());
            }
        }
        self.params.sent_starters = starters;

        let mut collocations = HashSet::new();
        for ((typ1, typ2), &col_count) in &self.collocation_fdist {
            if self.params.sent_starters.contains(typ2) {
                continue;
            }
            let c1 = self.count_with_period(typ1);
            let c2 = self.count_with_period(typ2);
            if c1 > 1
                && c2 > 1
                && self.config.min_colloc_freq < col_count
                && col_count <= c1.min(c2)
            {
                let ll = col_log_likelihood(c1 as f64, c2 as f64, col_count as f64, n);
                if ll >= self.config.collocation && n / c1 as f64 > c2 as f64 / col_count as f64 {
                    collocations.insert((typ1.clone(), typ2.clone()));
                }
            }
        }
        self.params.collocations = collocations;
        self.finalized = true;
        self
    }
}

/// The modified Dunning log-likelihood of Kiss & Strunk (section 3.1) for
/// abbreviation candidates: the alternative hypothesis fixes P(period | w)
/// at 0.99.
fn dunning_log_likelihood(count_a: f64, count_b: f64, count_ab: f64, n: f64) -> f64 {
    let p1 = count_b / n;
    let p2 = 0.99;
    let null_hypo = count_ab * (p1 + 1e-8).ln() + (count_a - count_ab) * (1.0 - p1 + 1e-8).ln();
    let alt_hypo = count_ab * f64::ln(p2) + (count_a - count_ab) * (1.0 - p2).ln();
    -2.0 * (null_hypo - alt_hypo)
}

/// Dunning's (1993) log-likelihood ratio, as NLTK computes it for
/// collocations and sentence starters (terms whose logarithm would be
/// undefined count as 0, as Python's `ValueError` handlers make them).
fn col_log_likelihood(count_a: f64, count_b: f64, count_ab: f64, n: f64) -> f64 {
    let p = count_b / n;
    let p1 = count_ab / count_a;
    let p2 = if n - count_a == 0.0 {
        1.0
    } else {
        (count_b - count_ab) / (n - count_a)
    };
    let rest = n - count_a - count_b + count_ab;
    let log_ok = p > 0.0 && 1.0 - p > 0.0;
    let summand1 = if log_ok {
        count_ab * p.ln() + (count_a - count_ab) * (1.0 - p).ln()
    } else {
        0.0
    };
    let summand2 = if log_ok {
        (count_b - count_ab) * p.ln() + rest * (1.0 - p).ln()
    } else {
        0.0
    };
    let summand3 = if count_a == count_ab || p1 <= 0.0 || p1 >= 1.0 {
        0.0
    } else {
        count_ab * p1.ln() + (count_a - count_ab) * (1.0 - p1).ln()
    };
    let summand4 = if count_b == count_ab || p2 <= 0.0 || p2 >= 1.0 {
        0.0
    } else {
        (count_b - count_ab) * p2.ln() + rest * (1.0 - p2).ln()
    };
    -2.0 * (summand1 + summand2 - summand3 - summand4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_tokenizer_matches_nltk_examples() {
        // NLTK: PunktLanguageVars().word_tokenize(...)
        assert_eq!(
            word_tokenize("Mr. Smith (aged 3.5) said: \"no,\" -- then... left. . . ok"),
            vec![
                "Mr.", "Smith", "(", "aged", "3.5", ")", "said", ":", "\"", "no", ",", "\"", "--",
                "then", "...", "left", ". . .", "ok"
            ]
        );
        assert_eq!(
            word_tokenize("acting!!! I"),
            vec!["acting", "!", "!", "!", "I"]
        );
        assert_eq!(word_tokenize("a,b, c,"), vec!["a,b", ",", "c", ","]);
        assert!(word_tokenize("  \t ").is_empty());
    }

    #[test]
    fn multi_char_punctuation() {
        assert_eq!(multi_char_len("---x"), Some(3));
        assert_eq!(multi_char_len("..x"), Some(2));
        assert_eq!(multi_char_len(". . ."), Some(5));
        assert_eq!(multi_char_len(". . . x"), Some(5));
        assert_eq!(multi_char_len(". . . . ."), Some(9));
        assert_eq!(multi_char_len(". . x"), None);
        assert_eq!(multi_char_len(".x"), None);
    }

    #[test]
    fn token_types() {
        assert_eq!(Token::new("3.15").typ, NUMBER_TYPE);
        assert_eq!(Token::new("-1,000.").typ, NUMBER_TYPE);
        assert_eq!(Token::new("Mr.").typ, "mr.");
        assert_eq!(Token::new("Mr.").type_no_period(), "mr");
        assert!(Token::new("J.").is_initial());
        assert!(!Token::new("3.").is_initial());
        assert!(Token::new("...").is_ellipsis());
        assert!(Token::new("Straße").is_alpha());
    }

    #[test]
    fn log_likelihoods_match_python() {
        // Values from NLTK's PunktTrainer._dunning_log_likelihood and
        // _col_log_likelihood (Python 3.11).
        let d = dunning_log_likelihood(12.0, 300.0, 11.0, 10000.0);
        assert!((d - 67.77373704130514).abs() < 1e-9, "{d}");
        let c = col_log_likelihood(500.0, 40.0, 20.0, 10000.0);
        assert!((c - 67.1220546142477).abs() < 1e-9, "{c}");
    }

    #[test]
    fn parameters_round_trip_json() {
        let mut trainer = PunktTrainer::new();
        trainer.train("Mr. Smith met Dr. Jones. They talked. Mr. Brown and Dr. White came too.");
        let params = trainer.into_params();
        let back = PunktParameters::from_json(&params.to_json()).unwrap();
        assert_eq!(params, back);
        assert!(PunktParameters::from_json("{\"abbrev_types\": 3}").is_err());
    }
}
