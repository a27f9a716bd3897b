//! Penn Treebank word tokenizer, token for token equal to NLTK's
//! `TreebankWordTokenizer`.
//!
//! The Penn Treebank splits text the way its parsed corpus (Marcus, Santorini
//! and Marcinkiewicz 1993) is split: punctuation becomes separate tokens,
//! contractions and possessives are cut off their host (`don't` → `do n't`,
//! `they'll` → `they 'll`, `John's` → `John 's`), double quotes become the
//! directional ``` `` ``` and `''`, and a period is split off only at the end of
//! the text, so `Mr.` and `U.S.` inside a sentence stay whole. The conventions
//! come from Robert MacIntyre's sed script for the Penn Treebank project
//! (`tokenizer.sed`, <http://www.cis.upenn.edu/~treebank/tokenizer.sed>,
//! described at <https://www.cis.upenn.edu/~treebank/tokenization.html>), whose
//! NLTK port,
//! `nltk.tokenize.treebank.TreebankWordTokenizer` (NLTK 3.10.4), is the
//! reference this file reproduces, including its quirks:
//!
//! 1. starting quotes: a leading `"` and a `"` or `''` after a space or an
//!    opening bracket become ``` `` ```;
//! 2. punctuation: `,` `:` before a non-digit, `...`, `; @ # $ % &`, the final
//!    period (with any closing brackets and quotes after it), `?` `!`, and a
//!    `'` before a space are padded with spaces;
//! 3. brackets are padded (and, with [`convert_parentheses`], renamed `-LRB-`
//!    and so on), `--` is padded;
//! 4. ending quotes: `''` and `"` become `''`; the clitics `'s 'm 'd 'll 're
//!    've n't` and a bare `'` are split off when a space follows;
//! 5. MacIntyre's contractions: `cannot d'ye gimme gonna gotta lemme more'n
//!    wanna 'tis 'twas` are split in two;
//! 6. the result is split on whitespace (Python's `str.split()`).
//!
//! NLTK runs these as about twenty regular-expression substitutions. Here each
//! step is a hand-written scan that reproduces the substitution exactly (the
//! look-ahead and word-boundary patterns included, with Python's own character
//! classes, generated into `treebank/tables.rs` by
//! `tools/reference/treebank_tables.py`) and is skipped outright when the characters that
//! trigger it are absent from the text. Steps 1–4 rewrite the text; steps 5–6
//! run in one final pass over it.
//!
//! Cost: O(n) time for a text of n bytes (about twenty linear passes at most,
//! most of them skipped on ordinary text) and O(n) memory (two work buffers
//! of about 2n bytes, kept per thread between calls) plus the tokens.
//!
//! [`convert_parentheses`]: TreebankWordTokenizer::convert_parentheses

use std::cell::RefCell;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::Tokenizer;

#[rustfmt::skip]
mod tables;

/// The Penn Treebank word tokenizer (see the module documentation).
///
/// ```
/// use journey_text::treebank::TreebankWordTokenizer;
/// use journey_text::Tokenizer;
///
/// let tok = TreebankWordTokenizer::default();
/// assert_eq!(
///     tok.tokenize("They'll save and invest more."),
///     ["They", "'ll", "save", "and", "invest", "more", "."]
/// );
/// assert_eq!(
///     tok.tokenize("hi, my name can't hello,"),
///     ["hi", ",", "my", "name", "ca", "n't", "hello", ","]
/// );
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TreebankWordTokenizer {
    /// Replace `( ) [ ] { }` by the PTB symbols `-LRB- -RRB- -LSB- -RSB- -LCB-
    /// -RCB-` (NLTK's `convert_parentheses=True`). Off by default.
    pub convert_parentheses: bool,
}

impl Tokenizer for TreebankWordTokenizer {
    fn tokenize(&self, text: &str) -> Vec<String> {
        let mut tokens = Vec::with_capacity((text.len() / 5 + 1).min(1 << 16));
        self.for_each_token(text, |t| tokens.push(t.to_owned()));
        tokens
    }
}

impl TreebankWordTokenizer {
    /// A tokenizer with NLTK's defaults (parentheses left as they are).
    pub fn new() -> Self {
        Self::default()
    }

    /// Calls `f` with each token of `text`, in order, without allocating a
    /// `String` per token.
    pub fn for_each_token(&self, text: &str, mut f: impl FnMut(&str)) {
        thread_local! {
            static WORK: RefCell<Work> = RefCell::default();
        }
        WORK.with(|cell| match cell.try_borrow_mut() {
            Ok(mut work) => {
                split_and_contract(self.rewrite(text, &mut work), &mut f);
                work.trim();
            }
            // Re-entered from `f`: use fresh buffers.
            Err(_) => split_and_contract(self.rewrite(text, &mut Work::default()), &mut f),
        });
    }

    /// Tokenizes many texts in parallel (rayon; honours `RAYON_NUM_THREADS`).
    pub fn tokenize_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Vec<String>> {
        texts
            .par_iter()
            .map(|t| self.tokenize(t.as_ref()))
            .collect()
    }

    /// Byte spans `(start, end)` of the tokens in `text`, so that
    /// `&text[start..end]` is the token as written: a token ``` `` ``` or `''`
    /// made from a `"` spans that `"`, a ``` `` ``` made from `''` spans the
    /// `''`, and `-LRB-` and friends span their bracket.
    ///
    /// NLTK's `span_tokenize` gives the same spans, counted in characters
    /// rather than bytes (checked on the fuzz fixture and whole newsgroup
    /// posts). It pairs the quote tokens with the text's quotes in order and
    /// then searches for each token after the previous one; here each token is
    /// matched right where the previous one ended, after whitespace, which is
    /// exact because tokenization only inserts spaces and renames quotes and
    /// brackets. O(n).
    pub fn span_tokenize(&self, text: &str) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        let mut pos = 0;
        self.for_each_token(text, |tok| {
            let rest = &text[pos..];
            let start = pos + (rest.len() - rest.trim_start_matches(is_py_space).len());
            let end = start + source_len(tok, &text[start..]);
            spans.push((start, end));
            pos = end;
        });
        spans
    }

    /// Steps 1–4 of the module documentation: returns the rewritten text, which
    /// lives in `work` (or is `text` itself when nothing needed rewriting).
    fn rewrite<'a>(&self, text: &'a str, work: &'a mut Work) -> &'a str {
        let has = Ascii::of(text);
        // Plain words and spaces: no step applies (step 4's clitics need a
        // quote, step 1 a quote, the others their punctuation).
        if !has.any(b"\"'`,:.;@#$%&?![](){}<>-") {
            return text;
        }
        work.start(text);

        // Step 1: starting quotes.
        let leading_quote = text.starts_with('"');
        if leading_quote {
            work.apply(|s, out| {
                out.push_str("``");
                out.push_str(&s[1..]);
            });
        }
        if leading_quote || has.any(b"`") {
            work.apply(|s, out| replace_all(s, "``", " `` ", out));
        }
        if has.any(b"\"'") {
            work.apply(open_quotes);
        }

        // Step 2: punctuation.
        if has.any(b",:") {
            work.apply(comma_colon);
            work.apply(final_comma_colon);
        }
        if has.any(b".") {
            work.apply(|s, out| replace_all(s, "...", " ... ", out));
        }
        if has.any(b";@#$%&") {
            work.apply(|s, out| pad(s, b";@#$%&", out));
        }
        if has.any(b".") {
            work.apply(final_period);
        }
        if has.any(b"?!") {
            work.apply(|s, out| pad(s, b"?!", out));
        }
        if has.any(b"'") {
            work.apply(quote_before_space);
        }

        // Step 3: brackets and double dashes.
        if has.any(b"[](){}<>") {
            if self.convert_parentheses {
                work.apply(pad_convert_brackets);
            } else {
                work.apply(|s, out| pad(s, b"[](){}<>", out));
            }
        }
        if has.any(b"-") {
            work.apply(|s, out| replace_all(s, "--", " -- ", out));
        }

        // Step 4: ending quotes, on the text with a space added at both ends.
        if has.any(b"\"'") {
            work.apply(|s, out| {
                out.push(' ');
                out.push_str(s);
                out.push(' ');
            });
            if has.any(b"'") {
                work.apply(|s, out| replace_all(s, "''", " '' ", out));
            }
            if has.any(b"\"") {
                work.apply(|s, out| replace_all(s, "\"", " '' ", out));
            }
            work.apply(clitics_s_m_d);
            work.apply(clitics_ll_re_ve_nt);
        }
        // Without quotes the added spaces change nothing: every later pattern
        // that looks for a space would need a quote, and the split ignores
        // them.
        &work.cur
    }
}

/// Which ASCII bytes a text contains, to skip the steps it cannot trigger.
struct Ascii(u128);

impl Ascii {
    fn of(text: &str) -> Self {
        Self::of_bytes(text.as_bytes())
    }

    fn of_bytes(bytes: &[u8]) -> Self {
        Ascii(
            bytes
                .iter()
                .filter(|b| b.is_ascii())
                .fold(0, |m, &b| m | 1 << b),
        )
    }

    fn has(&self, b: u8) -> bool {
        b < 128 && self.0 & (1 << b) != 0
    }

    fn any(&self, bytes: &[u8]) -> bool {
        bytes.iter().any(|&b| self.has(b))
    }
}

/// Two buffers: the current text and the next one being written.
#[derive(Default)]
struct Work {
    cur: String,
    next: String,
}

impl Work {
    fn start(&mut self, text: &str) {
        self.cur.clear();
        self.cur.reserve(2 * text.len() + 16);
        self.cur.push_str(text);
        self.next.reserve(2 * text.len() + 16);
    }

    /// Frees buffers grown by a very long text, so a thread does not keep them.
    fn trim(&mut self) {
        const KEEP: usize = 1 << 20;
        if self.cur.capacity() > KEEP {
            self.cur = String::new();
        }
        if self.next.capacity() > KEEP {
            self.next = String::new();
        }
    }

    /// Runs one substitution: `f` reads the current text and writes the next.
    fn apply(&mut self, f: impl FnOnce(&str, &mut String)) {
        self.next.clear();
        f(&self.cur, &mut self.next);
        std::mem::swap(&mut self.cur, &mut self.next);
    }
}

// ---------------------------------------------------------------------------
// The substitutions. Each reproduces one `re.sub` of NLTK, scanning left to
// right and resuming after each match as `re.sub` does. Every pattern is
// anchored on ASCII bytes, which never occur inside a multi-byte UTF-8
// character, so byte positions found by scanning are character boundaries.
// ---------------------------------------------------------------------------

/// Every non-overlapping `pat` (ASCII), left to right, replaced by `rep`.
fn replace_all(s: &str, pat: &str, rep: &str, out: &mut String) {
    let first = pat.as_bytes()[0] as char;
    let (mut last, mut from) = (0, 0);
    // `find(char)` runs on memchr; most hits of the first byte are whole hits.
    while let Some(k) = s[from..].find(first) {
        let i = from + k;
        if s[i..].starts_with(pat) {
            out.push_str(&s[last..i]);
            out.push_str(rep);
            last = i + pat.len();
            from = last;
        } else {
            from = i + 1;
        }
    }
    out.push_str(&s[last..]);
}

/// `[<bytes>]` → ` \g<0> `: each of the ASCII `bytes` gets a space either side.
fn pad(s: &str, bytes: &[u8], out: &mut String) {
    let set = Ascii::of_bytes(bytes);
    let mut last = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if set.has(b) {
            out.push_str(&s[last..i]);
            out.push(' ');
            out.push(b as char);
            out.push(' ');
            last = i + 1;
        }
    }
    out.push_str(&s[last..]);
}

/// Brackets padded and renamed: `(` → ` -LRB- `, …; `<` and `>` only padded.
fn pad_convert_brackets(s: &str, out: &mut String) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'(' => " -LRB- ",
            b')' => " -RRB- ",
            b'[' => " -LSB- ",
            b']' => " -RSB- ",
            b'{' => " -LCB- ",
            b'}' => " -RCB- ",
            b'<' => " < ",
            b'>' => " > ",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `([ \(\[{<])(\"|\'{2})` → `\1 `` `: an opening quote after a space or an
/// opening bracket.
fn open_quotes(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let (mut last, mut i) = (0, 0);
    while i + 1 < b.len() {
        if matches!(b[i], b' ' | b'(' | b'[' | b'{' | b'<') {
            let len = match b[i + 1] {
                b'"' => 2,
                b'\'' if b.get(i + 2) == Some(&b'\'') => 3,
                _ => 0,
            };
            if len > 0 {
                out.push_str(&s[last..=i]);
                out.push_str(" `` ");
                i += len;
                last = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&s[last..]);
}

/// `([:,])([^\d])` → ` \1 \2`: a comma or colon before anything but a digit
/// (the `regex` module's `\d`, all of Unicode's decimal digits). The character
/// after it is consumed, so in `,,x` only the first comma is padded.
fn comma_colon(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let (mut last, mut i) = (0, 0);
    while i + 1 < b.len() {
        if matches!(b[i], b',' | b':') {
            let next = s[i + 1..].chars().next().unwrap_or('0');
            if !is_regex_digit(next) {
                out.push_str(&s[last..i]);
                out.push(' ');
                out.push(b[i] as char);
                out.push(' ');
                out.push(next);
                i += 1 + next.len_utf8();
                last = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&s[last..]);
}

/// `([:,])$` → ` \1 `: a comma or colon that ends the text (`$` also matches
/// before a final newline).
fn final_comma_colon(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let n = b.len();
    let at = if n >= 1 && matches!(b[n - 1], b',' | b':') {
        n - 1
    } else if n >= 2 && b[n - 1] == b'\n' && matches!(b[n - 2], b',' | b':') {
        n - 2
    } else {
        out.push_str(s);
        return;
    };
    out.push_str(&s[..at]);
    out.push(' ');
    out.push(b[at] as char);
    out.push(' ');
    out.push_str(&s[at + 1..]);
}

/// `([^\.])(\.)([\]\)}>"\']*)\s*$` → `\1 \2\3 `: the final period, with the
/// closing brackets and quotes that follow it, split from the word before.
/// Only the last `.` of the text can match (whatever follows a match is
/// closers and whitespace); trailing whitespace is replaced by one space.
fn final_period(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let matched = b.iter().rposition(|&c| c == b'.').and_then(|p| {
        if p == 0 || b[p - 1] == b'.' {
            return None;
        }
        let closers = b[p + 1..]
            .iter()
            .take_while(|&&c| matches!(c, b']' | b')' | b'}' | b'>' | b'"' | b'\''))
            .count();
        let end = p + 1 + closers;
        s[end..]
            .chars()
            .all(char::is_whitespace)
            .then_some((p, end))
    });
    match matched {
        Some((p, end)) => {
            out.push_str(&s[..p]);
            out.push(' ');
            out.push_str(&s[p..end]);
            out.push(' ');
        }
        None => out.push_str(s),
    }
}

/// `([^'])' ` → `\1 ' `: a single quote followed by a space, split from the
/// character before it.
fn quote_before_space(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let mut last = 0;
    for (j, _) in s.match_indices("' ") {
        // The character before the quote must not be a quote, nor belong to
        // the previous match (whose last byte is at `last - 1`).
        if j > last && b[j - 1] != b'\'' {
            out.push_str(&s[last..j]);
            out.push_str(" ' ");
            last = j + 2;
        }
    }
    out.push_str(&s[last..]);
}

/// `([^' ])('[sS]|'[mM]|'[dD]|') ` → `\1 \2 `.
fn clitics_s_m_d(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let mut last = 0;
    for j in memchr_all(b'\'', b) {
        if j <= last || matches!(b[j - 1], b'\'' | b' ') {
            continue;
        }
        let end = match (b.get(j + 1), b.get(j + 2)) {
            (Some(b's' | b'S' | b'm' | b'M' | b'd' | b'D'), Some(b' ')) => j + 2,
            (Some(b' '), _) => j + 1,
            _ => continue,
        };
        out.push_str(&s[last..j]);
        out.push(' ');
        out.push_str(&s[j..end]);
        out.push(' ');
        last = end + 1;
    }
    out.push_str(&s[last..]);
}

/// `([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ` → `\1 \2 `.
fn clitics_ll_re_ve_nt(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut last = 0;
    for j in memchr_all(b'\'', b) {
        // `n't` / `N'T` (the clitic starts one byte before the quote) …
        let nt = j >= 2
            && ((at(j - 1) == b'n' && at(j + 1) == b't')
                || (at(j - 1) == b'N' && at(j + 1) == b'T'))
            && at(j + 2) == b' ';
        // … or `'ll` `'LL` `'re` `'RE` `'ve` `'VE`.
        let quoted = matches!(
            (at(j + 1), at(j + 2)),
            (b'l', b'l') | (b'L', b'L') | (b'r', b'e') | (b'R', b'E') | (b'v', b'e') | (b'V', b'E')
        ) && at(j + 3) == b' ';
        let (start, end) = match (nt, quoted) {
            (true, _) => (j - 1, j + 2),
            (_, true) => (j, j + 3),
            _ => continue,
        };
        // The character before the clitic: not a quote, not a space, and not
        // part of the previous match.
        if start <= last || matches!(b[start - 1], b'\'' | b' ') {
            continue;
        }
        out.push_str(&s[last..start]);
        out.push(' ');
        out.push_str(&s[start..end]);
        out.push(' ');
        last = end + 1;
    }
    out.push_str(&s[last..]);
}

/// Positions of byte `needle` in `hay`.
fn memchr_all(needle: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
    hay.iter()
        .enumerate()
        .filter(move |&(_, &b)| b == needle)
        .map(|(i, _)| i)
}

// ---------------------------------------------------------------------------
// Step 5 and 6: whitespace split and MacIntyre's contractions.
//
// NLTK applies the contraction patterns to the whole text and then splits it.
// The patterns never span whitespace (`(?=\s)` only peeks at the next
// character, and the leading space of `'tis`/`'twas` is the one before a
// token), so they are applied here to each whitespace-separated token, with
// the token's edges counting as the whitespace they are.
// ---------------------------------------------------------------------------

/// `CONTRACTIONS2`, in NLTK's order: `(?i)\b(a)(b)\b` → ` \1 \2 `, the last
/// one with `(?=\s)` instead of the final `\b`.
const CONTRACTIONS2: [(&str, &str); 8] = [
    ("can", "not"),
    ("d", "'ye"),
    ("gim", "me"),
    ("gon", "na"),
    ("got", "ta"),
    ("lem", "me"),
    ("more", "'n"),
    ("wan", "na"),
];

/// `CONTRACTIONS3`, in NLTK's order: `(?i) ('t)(b)\b` → ` \1 \2 `.
const CONTRACTIONS3: [&str; 2] = ["is", "was"];

/// Splits `s` on Python's whitespace and calls `f` with each token, the
/// contractions split.
fn split_and_contract(s: &str, f: &mut impl FnMut(&str)) {
    let b = s.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < b.len() {
        let (space, len) = if b[i] < 0x80 {
            (matches!(b[i], b' ' | b'\t'..=b'\r' | 0x1c..=0x1f), 1)
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            (is_py_space(c), c.len_utf8())
        };
        if space {
            if let Some(st) = start.take() {
                contract(&s[st..i], st == 0 || b[st - 1] == b' ', f);
            }
        } else if start.is_none() {
            start = Some(i);
        }
        i += len;
    }
    if let Some(st) = start {
        contract(&s[st..], st == 0 || b[st - 1] == b' ', f);
    }
}

/// A cheap test that `tok` may hold a contraction: it starts with a quote
/// after a space (`'tis`, `'twas`), or has the first two letters of a
/// `CONTRACTIONS2` pattern somewhere. False positives only cost time.
fn may_contract(tok: &[u8], after_space: bool) -> bool {
    if tok.len() < 4 {
        return false; // `d'ye` and `'tis` are the shortest
    }
    (after_space && tok[0] == b'\'')
        || tok.windows(2).any(|w| {
            // `| 0x20` lower-cases ASCII letters (and maps a few control
            // bytes onto punctuation, which the full match then rejects).
            matches!(
                (w[0] | 0x20, w[1] | 0x20),
                (b'c', b'a')
                    | (b'd', b'\'')
                    | (b'g', b'i' | b'o')
                    | (b'l', b'e')
                    | (b'm', b'o')
                    | (b'w', b'a')
            ) || (w[0] | 0x20 == b'g' && w[1] >= 0x80) // `gİmme`, `gımme`
        })
}

/// One whitespace-free token through `CONTRACTIONS2` then `CONTRACTIONS3`.
/// `after_space`: the token follows a literal space, which `' 't is'` needs.
fn contract(tok: &str, after_space: bool, f: &mut impl FnMut(&str)) {
    let b = tok.as_bytes();
    if !may_contract(b, after_space) {
        f(tok);
        return;
    }
    // CONTRACTIONS2. The ten patterns match disjoint whole words, so one scan
    // over the token trying each at every word start equals NLTK's eight
    // passes. Each match becomes two pieces and starts a new piece after it,
    // which follows an inserted space.
    let mut piece_start = 0;
    let mut piece_after_space = after_space;
    let mut i = 0;
    while i < b.len() {
        let lower = b[i].to_ascii_lowercase();
        if matches!(lower, b'c' | b'd' | b'g' | b'l' | b'm' | b'w') && !word_before(tok, i) {
            let hit = CONTRACTIONS2.iter().find_map(|&(first, second)| {
                if first.as_bytes()[0] != lower {
                    return None;
                }
                let mid = match_ci(tok, i, first)?;
                let end = match_ci(tok, mid, second)?;
                // `wanna` needs whitespace next (`(?=\s)`): the token's end.
                let boundary = if first == "wan" {
                    end == tok.len()
                } else {
                    !word_at(tok, end)
                };
                boundary.then_some((mid, end))
            });
            if let Some((mid, end)) = hit {
                if piece_start < i {
                    contract3(&tok[piece_start..i], piece_after_space, f);
                }
                f(&tok[i..mid]);
                f(&tok[mid..end]);
                piece_start = end;
                piece_after_space = true;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if piece_start < b.len() {
        contract3(&tok[piece_start..], piece_after_space, f);
    }
}

/// `CONTRACTIONS3` on a piece of a token: `'tis`, then `'twas`, each only at
/// the start of a piece that follows a space. What remains after a `'tis`
/// follows an inserted space, so it is tried again for `'twas` (as NLTK's
/// second pass over its output does), but not for `'tis`.
fn contract3(piece: &str, after_space: bool, f: &mut impl FnMut(&str)) {
    let mut rest = piece;
    if after_space {
        for second in CONTRACTIONS3 {
            if let Some(end) = match_ci(rest, 0, "'t").and_then(|m| match_ci(rest, m, second)) {
                if !word_at(rest, end) {
                    f(&rest[..2]);
                    f(&rest[2..end]);
                    rest = &rest[end..];
                    if rest.is_empty() {
                        return;
                    }
                }
            }
        }
    }
    f(rest);
}

/// Matches the lower-case ASCII `pat` at byte `at` of `s` as Python's
/// `re.IGNORECASE` does, and returns the end of the match. Besides ASCII case,
/// Python's `re` folds `İ` and `ı` onto `i` and `ſ` onto `s`.
fn match_ci(s: &str, at: usize, pat: &str) -> Option<usize> {
    let mut pos = at;
    for p in pat.bytes() {
        let c = s[pos..].chars().next()?;
        let same = if c.is_ascii() {
            c.to_ascii_lowercase() as u8 == p
        } else {
            matches!((p, c), (b'i', '\u{130}' | '\u{131}') | (b's', '\u{17f}'))
        };
        if !same {
            return None;
        }
        pos += c.len_utf8();
    }
    Some(pos)
}

/// The character before byte `i` of `s` is a word character (`\b` test).
fn word_before(s: &str, i: usize) -> bool {
    s[..i].chars().next_back().is_some_and(is_py_word)
}

/// The character at byte `i` of `s` is a word character (`\b` test).
fn word_at(s: &str, i: usize) -> bool {
    s[i..].chars().next().is_some_and(is_py_word)
}

// ---------------------------------------------------------------------------
// Python's character classes.
// ---------------------------------------------------------------------------

/// `str.isspace()` (and `re`'s `\s`): Unicode White_Space plus the ASCII
/// separators U+001C..U+001F. The `regex` module's `\s`, used by the final
/// period pattern, is White_Space alone: `char::is_whitespace`.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `re`'s `\w` on str: `str.isalnum()` or `_` (Python 3.11, Unicode 14).
fn is_py_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        in_ranges(c, tables::PY_WORD)
    }
}

/// The `regex` module's `\d`: Unicode decimal digits (Nd).
fn is_regex_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_ranges(c, tables::REGEX_DIGIT)
    }
}

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let c = c as u32;
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// How many bytes at the start of `src` produced `tok`: the token itself, or
/// the `"` / `''` a quote token was made from, or the bracket of `-LRB-` & co.
fn source_len(tok: &str, src: &str) -> usize {
    if src.starts_with(tok) {
        return tok.len();
    }
    match tok {
        "``" | "''" if src.starts_with('"') => 1,
        "``" if src.starts_with("''") => 2,
        "-LRB-" | "-RRB-" | "-LSB-" | "-RSB-" | "-LCB-" | "-RCB-" => 1,
        // Unreachable for tokens of `src`'s text; keep the spans increasing.
        _ => tok.len().min(src.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(s: &str) -> Vec<String> {
        TreebankWordTokenizer::default().tokenize(s)
    }

    #[test]
    fn nltk_docstring_examples() {
        let s = "Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\nThanks.";
        assert_eq!(
            tok(s),
            [
                "Good", "muffins", "cost", "$", "3.88", "in", "New", "York.", "Please", "buy",
                "me", "two", "of", "them.", "Thanks", "."
            ]
        );
        let s = "Good muffins cost $3.88 (roughly 3,36 euros)\nin New York.";
        let t = TreebankWordTokenizer {
            convert_parentheses: true,
        };
        assert_eq!(
            t.tokenize(s),
            [
                "Good", "muffins", "cost", "$", "3.88", "-LRB-", "roughly", "3,36", "euros",
                "-RRB-", "in", "New", "York", "."
            ]
        );
    }

    #[test]
    fn python_classes() {
        assert!(is_py_space('\u{1f}') && is_py_space('\u{a0}') && !is_py_space('\u{200b}'));
        assert!(is_py_word('é') && is_py_word('²') && !is_py_word('\u{301}'));
        assert!(is_regex_digit('٣') && !is_regex_digit('²'));
    }

    #[test]
    fn spans_of_converted_tokens() {
        let s = "\"Hi\" (there), ''ok''.";
        let t = TreebankWordTokenizer {
            convert_parentheses: true,
        };
        let spans = t.span_tokenize(s);
        let pieces: Vec<&str> = spans.iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(
            pieces,
            ["\"", "Hi", "\"", "(", "there", ")", ",", "''", "ok", "''", "."]
        );
    }
}
