//! # WordNet 3.0 database reader — the part a lemmatizer needs
//!
//! WordNet (Miller 1995, "WordNet: a lexical database for English", CACM
//! 38(11)) ships as plain text files, described in the wninput(5WN) and
//! morphy(7WN) manual pages. Lemmatization needs two kinds of them for each
//! part of speech (`noun`, `verb`, `adj`, `adv`):
//!
//! - `index.POS`: one line per lemma,
//!   `lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...`,
//!   after a licence header whose lines start with a space. Only the lemma
//!   (lower case, words joined by `_`) is kept: morphy asks "is this string a
//!   lemma of that part of speech?", nothing more. The rest of the line is
//!   still checked, as NLTK's reader checks it, so a damaged file is reported
//!   with its line number instead of being half read.
//! - `POS.exc`: the exception lists, `inflected_form base_form...`, for forms
//!   no suffix rule reaches (`geese goose`, `ran run`). When a form appears on
//!   two lines the later line wins, as in NLTK's dictionary.
//!
//! The `data.POS` files (glosses, pointers) are not read.
//!
//! Cost: one pass over about 6.3 MB of index and exception files; memory is
//! one hash set of about 147,000 lemmas and a map of about 6,000 exceptions
//! (a few MB). The eight files are read and parsed in parallel with rayon, and
//! the large noun index is itself parsed in parallel chunks.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use rayon::prelude::*;

use crate::error::{read_utf8, TextError};

/// A WordNet part of speech.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pos {
    #[default]
    Noun,
    Verb,
    Adj,
    Adv,
}

impl Pos {
    /// The four parts of speech, in NLTK's `POS_LIST` order (n, v, a, r).
    pub const ALL: [Pos; 4] = [Pos::Noun, Pos::Verb, Pos::Adj, Pos::Adv];

    /// WordNet's one-letter tag: `n`, `v`, `a` or `r`.
    pub fn tag(self) -> char {
        match self {
            Pos::Noun => 'n',
            Pos::Verb => 'v',
            Pos::Adj => 'a',
            Pos::Adv => 'r',
        }
    }

    /// The suffix of the database file names: `noun`, `verb`, `adj`, `adv`.
    pub fn file_suffix(self) -> &'static str {
        match self {
            Pos::Noun => "noun",
            Pos::Verb => "verb",
            Pos::Adj => "adj",
            Pos::Adv => "adv",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.tag())
    }
}

/// Parses WordNet's tags exactly as NLTK accepts them: `n`, `v`, `a`, `r`,
/// and `s` (adjective satellite). For lemmatization NLTK treats `s` as `a`:
/// its `s` entries are copies of the adjective index and exception list, so
/// `s` parses to [`Pos::Adj`]. Anything else (including upper case, which NLTK
/// rejects with a `KeyError`) is an error that lists the valid tags.
impl FromStr for Pos {
    type Err = TextError;

    fn from_str(s: &str) -> Result<Pos, TextError> {
        match s {
            "n" => Ok(Pos::Noun),
            "v" => Ok(Pos::Verb),
            "a" | "s" => Ok(Pos::Adj),
            "r" => Ok(Pos::Adv),
            _ => Err(TextError::Invalid(format!(
                "unknown WordNet part of speech {s:?}: use n (noun), v (verb), \
                 a or s (adjective, s = satellite) or r (adverb)"
            ))),
        }
    }
}

/// The lemma sets and exception lists of a WordNet database.
#[derive(Clone, Debug)]
pub struct WordNet {
    dir: PathBuf,
    lemmas: [LemmaSet; 4],
    exceptions: [ExceptionMap; 4],
}

/// The lemmas of one `index.POS`.
type LemmaSet = HashSet<Box<str>, FastHash>;
/// One `POS.exc`: inflected form → base forms.
type ExceptionMap = HashMap<Box<str>, Box<[Box<str>]>, FastHash>;

/// The hash of rustc's `FxHasher` (a multiply and a rotate per 8 bytes):
/// several times faster than the default SipHash on short words. Its weakness,
/// crafted collisions, does not matter here: the tables are filled from the
/// WordNet files, and user input is only looked up.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, mut bytes: &[u8]) {
        while bytes.len() >= 8 {
            let (word, rest) = bytes.split_at(8);
            self.add(u64::from_le_bytes(word.try_into().unwrap()));
            bytes = rest;
        }
        if bytes.len() >= 4 {
            let (word, rest) = bytes.split_at(4);
            self.add(u32::from_le_bytes(word.try_into().unwrap()) as u64);
            bytes = rest;
        }
        for &b in bytes {
            self.add(b as u64);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(b as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FastHash = BuildHasherDefault<FxHasher>;

/// The files [`WordNet::open`] needs, in the order they are reported missing.
fn required_files() -> Vec<String> {
    let index = Pos::ALL.map(|p| format!("index.{}", p.file_suffix()));
    let exc = Pos::ALL.map(|p| format!("{}.exc", p.file_suffix()));
    index.into_iter().chain(exc).collect()
}

impl WordNet {
    /// Loads `index.{noun,verb,adj,adv}` and `{noun,verb,adj,adv}.exc` from a
    /// WordNet 3.0 `dict` folder (Debian: `/usr/share/wordnet`).
    ///
    /// Errors: [`TextError::MissingWordNet`] when the folder or any of the
    /// eight files is missing (all missing names are listed),
    /// [`TextError::Malformed`] with the file and line for a damaged line,
    /// [`TextError::InvalidUtf8`] for bytes that are not UTF-8, and
    /// [`TextError::Io`] when a file cannot be read.
    pub fn open(dir: &Path) -> Result<WordNet, TextError> {
        if !dir.is_dir() {
            return Err(TextError::MissingWordNet {
                path: dir.to_path_buf(),
                missing: "the folder itself (no such directory)".to_string(),
            });
        }
        let missing: Vec<String> = required_files()
            .into_iter()
            .filter(|name| !dir.join(name).is_file())
            .collect();
        if !missing.is_empty() {
            return Err(TextError::MissingWordNet {
                path: dir.to_path_buf(),
                missing: missing.join(", "),
            });
        }

        // Eight independent jobs; the first error in file order is reported.
        let (lemmas, exceptions) = rayon::join(
            || {
                Pos::ALL
                    .par_iter()
                    .map(|&pos| load_index(&dir.join(format!("index.{}", pos.file_suffix())), pos))
                    .collect::<Vec<_>>()
            },
            || {
                Pos::ALL
                    .par_iter()
                    .map(|&pos| load_exceptions(&dir.join(format!("{}.exc", pos.file_suffix()))))
                    .collect::<Vec<_>>()
            },
        );
        let lemmas = collect_four(lemmas)?;
        let exceptions = collect_four(exceptions)?;
        Ok(WordNet {
            dir: dir.to_path_buf(),
            lemmas,
            exceptions,
        })
    }

    /// The folder this database was read from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether `lemma` is in `index.POS` (exact, case-sensitive match: the
    /// index is lower case, multiword lemmas use `_`).
    pub fn contains(&self, lemma: &str, pos: Pos) -> bool {
        self.lemmas[pos.index()].contains(lemma)
    }

    /// The base forms listed for `form` in `POS.exc`, if it is listed.
    pub fn exception(&self, form: &str, pos: Pos) -> Option<impl ExactSizeIterator<Item = &str>> {
        self.exceptions[pos.index()]
            .get(form)
            .map(|bases| bases.iter().map(|b| &**b))
    }

    /// Number of lemmas in `index.POS`.
    pub fn lemma_count(&self, pos: Pos) -> usize {
        self.lemmas[pos.index()].len()
    }

    /// Number of distinct inflected forms in `POS.exc`.
    pub fn exception_count(&self, pos: Pos) -> usize {
        self.exceptions[pos.index()].len()
    }
}

fn collect_four<T>(results: Vec<Result<T, TextError>>) -> Result<[T; 4], TextError> {
    let values = results.into_iter().collect::<Result<Vec<T>, TextError>>()?;
    Ok(values
        .try_into()
        .unwrap_or_else(|_| unreachable!("one result per part of speech")))
}

/// Index files are parsed in chunks of about this many bytes, in parallel.
const CHUNK_BYTES: usize = 512 * 1024;

fn load_index(path: &Path, pos: Pos) -> Result<LemmaSet, TextError> {
    let text = read_utf8(path)?;
    // Split at line boundaries into chunks, remembering each chunk's first
    // line number so that errors name the right line.
    let mut chunks: Vec<(usize, &str)> = Vec::new();
    let (mut start, mut line_no) = (0, 1);
    while start < text.len() {
        let mut end = (start + CHUNK_BYTES).min(text.len());
        while end < text.len() && !text.is_char_boundary(end) {
            end += 1;
        }
        end = text[end..].find('\n').map_or(text.len(), |nl| end + nl + 1);
        let chunk = &text[start..end];
        chunks.push((line_no, chunk));
        line_no += chunk.bytes().filter(|&b| b == b'\n').count();
        start = end;
    }
    let parsed: Vec<Result<Vec<&str>, TextError>> = chunks
        .par_iter()
        .map(|&(first_line, chunk)| {
            let mut lemmas = Vec::with_capacity(chunk.len() / 40);
            for (i, line) in chunk.lines().enumerate() {
                let malformed = |message: String| TextError::Malformed {
                    path: path.to_path_buf(),
                    line: first_line + i,
                    message,
                };
                if let Some(lemma) = parse_index_line(line, pos).map_err(malformed)? {
                    lemmas.push(lemma);
                }
            }
            Ok(lemmas)
        })
        .collect();
    let mut set = HashSet::with_capacity_and_hasher(text.len() / 35, FastHash::default());
    for lemmas in parsed {
        set.extend(lemmas?.into_iter().map(Box::<str>::from));
    }
    Ok(set)
}

/// Checks one `index.POS` line the way NLTK's `_load_lemma_pos_offset_map`
/// does and returns its lemma; `None` for the licence header (lines that
/// start with a space) and blank lines (on which NLTK would stop with an
/// error). One check NLTK lacks: the tag must be the file's (NLTK files an
/// entry under whatever tag its line has; in WordNet 3.0 they always agree).
fn parse_index_line(line: &str, pos: Pos) -> Result<Option<&str>, String> {
    if line.starts_with(' ') || line.trim().is_empty() {
        return Ok(None);
    }
    let mut fields = line.split_whitespace();
    let lemma = fields.next().unwrap_or_default();
    let mut next = |what: &str| {
        fields
            .next()
            .ok_or_else(|| format!("entry {lemma:?} ends before its {what} (line truncated?)"))
    };
    let number = |what: &str, field: &str| {
        field
            .parse::<usize>()
            .map_err(|_| format!("entry {lemma:?}: {what} should be a number, found {field:?}"))
    };
    let tag = next("part of speech")?;
    if tag.len() != 1 || !tag.starts_with(pos.tag()) {
        return Err(format!(
            "entry {lemma:?}: part of speech {tag:?} in an index of {} (expected {:?})",
            pos.file_suffix(),
            pos.tag()
        ));
    }
    let synsets = number("synset_cnt", next("synset count")?)?;
    if synsets == 0 {
        return Err(format!("entry {lemma:?}: synset_cnt is 0"));
    }
    let pointers = number("p_cnt", next("pointer count")?)?;
    for _ in 0..pointers {
        next("pointer symbols")?;
    }
    let senses = number("sense_cnt", next("sense count")?)?;
    if senses != synsets {
        return Err(format!(
            "entry {lemma:?}: sense_cnt {senses} differs from synset_cnt {synsets}"
        ));
    }
    number("tagsense_cnt", next("tagged sense count")?)?;
    for _ in 0..synsets {
        number("synset_offset", next("synset offsets")?)?;
    }
    Ok(Some(lemma))
}

/// Reads `POS.exc`: `form base...` per line; the later line wins for a form
/// listed twice (as in NLTK). A line with a form and no base is kept, with no
/// base forms, as NLTK keeps it.
fn load_exceptions(path: &Path) -> Result<ExceptionMap, TextError> {
    let text = read_utf8(path)?;
    let mut map = HashMap::with_capacity_and_hasher(text.len() / 16, FastHash::default());
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        if let Some(form) = fields.next() {
            let bases: Box<[Box<str>]> = fields.map(Box::from).collect();
            map.insert(Box::from(form), bases);
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pos_parses_nltk_tags() {
        assert_eq!("n".parse::<Pos>().unwrap(), Pos::Noun);
        assert_eq!("v".parse::<Pos>().unwrap(), Pos::Verb);
        assert_eq!("a".parse::<Pos>().unwrap(), Pos::Adj);
        assert_eq!("s".parse::<Pos>().unwrap(), Pos::Adj);
        assert_eq!("r".parse::<Pos>().unwrap(), Pos::Adv);
        for bad in ["", "N", "noun", "x", "n "] {
            let err = bad.parse::<Pos>().unwrap_err().to_string();
            assert!(err.contains("unknown WordNet part of speech"), "{err}");
        }
        for pos in Pos::ALL {
            assert_eq!(pos.to_string().parse::<Pos>().unwrap(), pos);
        }
    }

    #[test]
    fn index_lines_are_checked() {
        let ok = "dog n 7 5 @ ~ #m #p %p 7 6 02084071 10114209 10023039 09886220 07676602 03907626 02710044  ";
        assert_eq!(parse_index_line(ok, Pos::Noun), Ok(Some("dog")));
        assert_eq!(parse_index_line("  1 This software", Pos::Noun), Ok(None));
        assert_eq!(parse_index_line("", Pos::Noun), Ok(None));
        for bad in [
            "dog",
            "dog n 7 5 @ ~ #m",
            "dog n 7 5 @ ~ #m #p %p 7 6 02084071",
            "dog n seven 0 7 6",
            "dog n 2 0 1 0 02084071 10114209",
            "dog n 0 0 0 0",
            "dog v 1 0 1 0 02084071",
        ] {
            assert!(parse_index_line(bad, Pos::Noun).is_err(), "{bad}");
        }
    }
}
