//! Pattern's lexicon sentiment (De Smedt & Daelemans, "Pattern for Python",
//! JMLR 2012), as TextBlob 0.20.1's `PatternAnalyzer` computes it:
//! `TextBlob(text).sentiment` → `(polarity, subjectivity)`.
//!
//! The lexicon (`en-sentiment.xml`) rates ~2,900 word senses, mostly
//! adjectives, with a polarity in [-1, 1], a subjectivity in [0, 1] and an
//! intensity in [0.5, 2] (how strongly the word modifies the next one). On
//! loading, senses are averaged per part of speech, the part-of-speech
//! averages are averaged into the entry used for text, and every adjective
//! gives an "-ly" adverb ("terrible" → "terribly", "happy" → "happily") that
//! inherits its scores and, when the adverb already exists, replaces them.
//!
//! A text is scored in three steps:
//!
//! 1. Pattern's tokenizer (`find_tokens`): contraction and quote spacing,
//!    punctuation split from word edges (periods kept on abbreviations such as
//!    "e.g." or "Mr."), sentences split at . ! ? and blank lines, emoticons and
//!    the sarcasm mark "(!)" re-joined; then lower-cased.
//! 2. Assessments: each known word starts one, unless the previous known word
//!    was an adverb (a modifier): then the pair "very good" is one assessment,
//!    polarity and subjectivity of the word × the modifier's intensity,
//!    clamped to [-1, 1]. A negation ("no", "not", "n't", "never") before a
//!    known word — kept across words of one letter ("not a good") — marks it
//!    negated and inverts its intensity; "really not" marks the adverb's. "!"
//!    multiplies the last polarity by 1.25; "(!)" is irony (0, 1); emoticons
//!    score on their own (":)" 0.5, ":(" -0.75, subjectivity 1).
//! 3. Polarity = mean over assessments of the polarity (× -0.5 when
//!    negated); subjectivity = mean of the subjectivities; 0 when none.
//!
//! As in TextBlob, the contraction split is undone by the quote spacing that
//! follows it ("don't" → "do n ' t"), so "n't" never negates, and multi-word
//! or hyphen-split lexicon forms ("can't", "in good taste") never match.
//!
//! Cost: O(n) in the text length (the emoticon regex is a single automaton);
//! the lexicon is a hash map of 2,860 entries (≈0.3 MB).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use journey_data::readers::pattern_lexicon::{read_pattern_lexicon, PatternWord};
use rayon::prelude::*;
use regex::Regex;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::pystr;
use crate::MlError;

/// Catalog name of the lexicon (TextBlob 0.20.1's `en-sentiment.xml`).
pub const LEXICON_DATASET: &str = "textblob-lexicon";

/// Words that negate the next known word.
const NEGATIONS: [&str; 4] = ["no", "not", "n't", "never"];
/// Pattern's punctuation marks (the tokenizer splits all but "." from words).
const PUNCTUATION: &str = ".,;:!?()[]{}`''\"@#$^&*+-|=~_";
/// Marks a paragraph break inside the tokenizer.
const EOS: &str = "END-OF-SENTENCE";
const ABBREVIATIONS: [&str; 37] = [
    "a.", "adj.", "adv.", "al.", "a.m.", "c.", "cf.", "comp.", "conf.", "def.", "ed.", "e.g.",
    "esp.", "etc.", "ex.", "f.", "fig.", "gen.", "id.", "i.e.", "int.", "l.", "m.", "Med.", "Mil.",
    "Mr.", "n.", "n.q.", "orig.", "p.m.", "pl.", "pred.", "pres.", "ref.", "v.", "vs.", "w/",
];
/// Contractions that the tokenizer separates (before it spaces quotes).
const CONTRACTIONS: [(&str, &str); 7] = [
    ("'d", " 'd"),
    ("'m", " 'm"),
    ("'s", " 's"),
    ("'ll", " 'll"),
    ("'re", " 're"),
    ("'ve", " 've"),
    ("n't", " n't"),
];
/// Emoticons by class, in Pattern's order, with their polarity.
const EMOTICONS: [(f64, &[&str]); 9] = [
    (1.0, &["<3", "♥"]),
    (
        1.0,
        &[
            ">:D", ":-D", ":D", "=-D", "=D", "X-D", "x-D", "XD", "xD", "8-D",
        ],
    ),
    (
        0.75,
        &[
            ">:P", ":-P", ":P", ":-p", ":p", ":-b", ":b", ":c)", ":o)", ":^)",
        ],
    ),
    (
        0.5,
        &[
            ">:)", ":-)", ":)", "=)", "=]", ":]", ":}", ":>", ":3", "8)", "8-)",
        ],
    ),
    (
        0.25,
        &[">;]", ";-)", ";)", ";-]", ";]", ";D", ";^)", "*-)", "*)"],
    ),
    (
        0.05,
        &[">:o", ":-O", ":O", ":o", ":-o", "o_O", "o.O", "°O°", "°o°"],
    ),
    (
        -0.25,
        &[
            ">:/", ":-/", ":/", ":\\", ">:\\", ":-.", ":-s", ":s", ":S", ":-S", ">.>",
        ],
    ),
    (
        -0.75,
        &[
            ">:[", ":-(", ":(", "=(", ":-[", ":[", ":{", ":-<", ":c", ":-c", "=/",
        ],
    ),
    (-1.0, &[":'(", ":'''(", ";'("]),
];

/// Emoticons with optional single spaces between their characters, followed
/// by the end or a space (the tokenizer re-joins ": )" into ":)").
static RE_EMOTICONS: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = EMOTICONS
        .iter()
        .flat_map(|(_, es)| es.iter())
        .map(|e| {
            e.chars()
                .map(|c| regex::escape(&c.to_string()))
                .collect::<Vec<_>>()
                .join(" ?")
        })
        .collect();
    Regex::new(&format!("({})($|\\s)", alternatives.join("|"))).expect("static pattern")
});
static RE_SARCASM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\( ?! ?\)").expect("static pattern"));
/// Lower-cased emoticon → polarity; the first class listing it wins.
static EMOTICON_POLARITY: LazyLock<FxHashMap<String, f64>> = LazyLock::new(|| {
    let mut m = FxHashMap::default();
    for (p, es) in EMOTICONS {
        for e in es {
            m.entry(e.to_lowercase()).or_insert(p);
        }
    }
    m
});

/// Settings; `Default` is TextBlob's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PatternConfig {
    /// Apply negations ("not good" = slightly bad).
    pub negation: bool,
}

impl Default for PatternConfig {
    fn default() -> Self {
        Self { negation: true }
    }
}

/// `TextBlob(text).sentiment`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PatternScores {
    pub polarity: f64,
    pub subjectivity: f64,
}

/// A lexicon entry as text lookup uses it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    pub polarity: f64,
    pub subjectivity: f64,
    pub intensity: f64,
    /// Tagged as an adverb (RB): the word modifies the next known word.
    pub adverb: bool,
}

/// The (polarity, subjectivity, intensity) senses of one part of speech.
type Senses<'a> = (Option<&'a str>, Vec<[f64; 3]>);

/// The averaged lexicon.
#[derive(Debug, Clone, Default)]
pub struct PatternLexicon {
    words: FxHashMap<String, Entry>,
}

/// Python's `avg`: the sum in order over the count.
fn avg(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for v in values {
        sum += v;
        n += 1;
    }
    sum / n.max(1) as f64
}

/// Component-wise `avg` of (polarity, subjectivity, intensity) triples.
fn avg3(triples: &[[f64; 3]]) -> [f64; 3] {
    [0, 1, 2].map(|k| avg(triples.iter().map(|t| t[k])))
}

impl PatternLexicon {
    pub fn from_file(path: &Path) -> Result<Self, MlError> {
        Ok(Self::from_words(&read_pattern_lexicon(path)?))
    }

    /// Finds the lexicon through the catalog (`textblob-lexicon`).
    pub fn resolve(resolver: &journey_data::Resolver) -> Result<(Self, PathBuf), MlError> {
        let catalog = journey_data::Catalog::builtin();
        let found = resolver.resolve(catalog.get(LEXICON_DATASET)?)?;
        Ok((Self::from_file(&found.path)?, found.path))
    }

    /// Averages senses as Pattern's `Sentiment.load`, then adds the "-ly"
    /// adverbs of TextBlob's English subclass.
    pub fn from_words(entries: &[PatternWord]) -> Self {
        // form -> [(pos, senses)] in first-seen order.
        let mut order: Vec<&str> = Vec::new();
        let mut by_form: FxHashMap<&str, Vec<Senses>> = FxHashMap::default();
        for w in entries.iter().filter(|w| !w.form.is_empty()) {
            let psi = [w.polarity, w.subjectivity, w.intensity];
            let tags = by_form.entry(&w.form).or_insert_with(|| {
                order.push(&w.form);
                Vec::new()
            });
            let pos = w.pos.as_deref();
            match tags.iter_mut().find(|(p, _)| *p == pos) {
                Some((_, senses)) => senses.push(psi),
                None => tags.push((pos, vec![psi])),
            }
        }
        let mut words = FxHashMap::default();
        // (form, its adjective average) for the adverb pass, in form order.
        let mut adjectives: Vec<(&str, [f64; 3])> = Vec::new();
        for form in &order {
            let tags = &by_form[form];
            let per_pos: Vec<[f64; 3]> = tags.iter().map(|(_, senses)| avg3(senses)).collect();
            let all = avg3(&per_pos);
            let adverb = tags.iter().any(|(p, _)| *p == Some("RB"));
            if let Some(i) = tags.iter().position(|(p, _)| *p == Some("JJ")) {
                adjectives.push((form, per_pos[i]));
            }
            words.insert(
                form.to_string(),
                Entry {
                    polarity: all[0],
                    subjectivity: all[1],
                    intensity: all[2],
                    adverb,
                },
            );
        }
        for (form, [p, s, i]) in adjectives {
            let mut stem = form.to_string();
            if stem.ends_with('y') {
                stem.pop();
                stem.push('i');
            }
            if stem.ends_with("le") {
                stem.truncate(stem.len() - 2);
            }
            stem.push_str("ly");
            words.insert(
                stem,
                Entry {
                    polarity: p,
                    subjectivity: s,
                    intensity: i,
                    adverb: true,
                },
            );
        }
        Self { words }
    }

    pub fn get(&self, word: &str) -> Option<&Entry> {
        self.words.get(word)
    }

    /// All entries, sorted by word.
    pub fn entries(&self) -> Vec<(&str, &Entry)> {
        let mut all: Vec<(&str, &Entry)> =
            self.words.iter().map(|(w, e)| (w.as_str(), e)).collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

fn is_punct(c: char) -> bool {
    c != '.' && PUNCTUATION.contains(c)
}

fn is_contraction(t: &str) -> bool {
    CONTRACTIONS.iter().any(|(a, _)| *a == t)
}

/// Pattern's abbreviation tests for a token ending in ".".
fn is_abbreviation(t: &str) -> bool {
    if ABBREVIATIONS.contains(&t) {
        return true;
    }
    let c: Vec<char> = t.chars().collect();
    // ^[A-Za-z]\.$ and ^([A-Za-z]\.)+$
    if !c.is_empty()
        && c.chunks_exact(2).remainder().is_empty()
        && c.chunks_exact(2)
            .all(|p| p[0].is_ascii_alphabetic() && p[1] == '.')
    {
        return true;
    }
    // ^[A-Z][b|c|d|...|z]+.$ — a capital, consonants (or '|'), any last character.
    c.len() >= 3
        && c[0].is_ascii_uppercase()
        && c[1..c.len() - 1]
            .iter()
            .all(|ch| "bcdfghjklmnpqrstvwxz|".contains(*ch))
}

/// Pattern's `find_tokens`: the sentences of `s`, each a space-separated
/// string of tokens.
pub fn find_tokens(s: &str) -> Vec<String> {
    let mut s = s.to_string();
    for (a, b) in CONTRACTIONS {
        if s.contains(a) {
            s = s.replace(a, b);
        }
    }
    for q in ['“', '”', '‘', '’', '\'', '"'] {
        if s.contains(q) {
            s = s.replace(q, &format!(" {q} "));
        }
    }
    // "\r\n" → "\n"; two or more "\n" → a sentence break; whitespace runs → " ".
    let s = s.replace("\r\n", "\n");
    let mut collapsed = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        if c == '\n' && chars.peek() == Some(&'\n') {
            while chars.peek() == Some(&'\n') {
                chars.next();
            }
            collapsed.push(' ');
            collapsed.push_str(EOS);
            pending_space = true;
            continue;
        }
        if pystr::is_space(c) {
            pending_space = true;
            continue;
        }
        if pending_space {
            collapsed.push(' ');
            pending_space = false;
        }
        collapsed.push(c);
    }
    if pending_space {
        collapsed.push(' ');
    }

    let mut tokens: Vec<&str> = Vec::new();
    for token in collapsed.split(' ').filter(|t| !t.is_empty()) {
        let mut t = token;
        let mut tail: Vec<&str> = Vec::new();
        while t.chars().next().is_some_and(is_punct) && !is_contraction(t) {
            let n = t.chars().next().map_or(0, char::len_utf8);
            tokens.push(&t[..n]);
            t = &t[n..];
        }
        while t
            .chars()
            .next_back()
            .is_some_and(|c| c == '.' || is_punct(c))
            && !is_contraction(t)
        {
            if let Some(c) = t.chars().next_back().filter(|&c| is_punct(c)) {
                let cut = t.len() - c.len_utf8();
                tail.push(&t[cut..]);
                t = &t[..cut];
            }
            if t.ends_with("...") {
                tail.push("...");
                t = t[..t.len() - 3].trim_end_matches('.');
            }
            if t.ends_with('.') {
                if is_abbreviation(t) {
                    break;
                }
                tail.push(".");
                t = &t[..t.len() - 1];
            }
        }
        if !t.is_empty() {
            tokens.push(t);
        }
        tokens.extend(tail.iter().rev());
    }

    // Sentences end at . ! ? ... and paragraph breaks, with closing quotes,
    // brackets and repeated marks.
    const ENDERS: [&str; 5] = ["...", ".", "!", "?", EOS];
    const CLOSERS: [&str; 10] = ["'", "\"", "”", "’", "...", ".", "!", "?", ")", EOS];
    let mut sentences: Vec<Vec<&str>> = vec![Vec::new()];
    let (mut i, mut j) = (0usize, 0usize);
    while j < tokens.len() {
        if ENDERS.contains(&tokens[j]) {
            while j < tokens.len() && CLOSERS.contains(&tokens[j]) {
                let last = sentences
                    .last()
                    .map_or(0, |s| s.iter().filter(|t| **t == tokens[j]).count());
                if (tokens[j] == "'" || tokens[j] == "\"") && last & 1 == 0 {
                    break;
                }
                j += 1;
            }
            let part: Vec<&str> = tokens[i..j].iter().copied().filter(|t| *t != EOS).collect();
            if let Some(s) = sentences.last_mut() {
                s.extend(part);
            }
            sentences.push(Vec::new());
            i = j;
        }
        j += 1;
    }
    if let Some(s) = sentences.last_mut() {
        s.extend_from_slice(&tokens[i..j.min(tokens.len())]);
    }
    sentences
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| {
            let joined = s.join(" ");
            let joined = RE_SARCASM.replace_all(&joined, "(!)");
            RE_EMOTICONS
                .replace_all(&joined, |c: &regex::Captures| {
                    format!("{}{}", c[1].replace(' ', ""), &c[2])
                })
                .into_owned()
        })
        .collect()
}

/// The lower-cased words that the analyzer assesses.
pub fn words(text: &str) -> Vec<String> {
    find_tokens(text)
        .join(" ")
        .split(pystr::is_space)
        .filter(|w| !w.is_empty())
        .map(|w| pystr::lower(w).into_owned())
        .collect()
}

/// One assessed chunk: a known word with its modifier and negation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Assessment {
    polarity: f64,
    subjectivity: f64,
    intensity: f64,
    negated: bool,
}

/// The scorer: lexicon and settings.
#[derive(Debug, Clone)]
pub struct PatternAnalyzer {
    pub lexicon: PatternLexicon,
    pub config: PatternConfig,
}

impl PatternAnalyzer {
    pub fn new(lexicon: PatternLexicon, config: PatternConfig) -> Self {
        Self { lexicon, config }
    }

    /// `TextBlob(text).sentiment`.
    pub fn sentiment(&self, text: &str) -> PatternScores {
        let a = self.assessments(&words(text));
        PatternScores {
            polarity: avg(a.iter().map(|x| {
                if x.negated {
                    x.polarity * -0.5
                } else {
                    x.polarity
                }
            })),
            subjectivity: avg(a.iter().map(|x| x.subjectivity)),
        }
    }

    /// Scores of many texts, in parallel (rayon), in input order.
    pub fn sentiment_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<PatternScores> {
        texts
            .par_iter()
            .map(|t| self.sentiment(t.as_ref()))
            .collect()
    }

    /// Step 2 (`Sentiment.assessments`) over lower-cased words.
    fn assessments(&self, words: &[String]) -> Vec<Assessment> {
        let negation = self.config.negation;
        let is_negation = |w: &str| negation && NEGATIONS.contains(&w);
        let clamp = |x: f64| x.clamp(-1.0, 1.0);
        let mut a: Vec<Assessment> = Vec::new();
        let mut modifier: Option<&str> = None;
        let mut negated_by: Option<&str> = None;
        for w in words.iter().map(String::as_str) {
            if let Some(e) = self.lexicon.get(w) {
                if modifier.is_none() {
                    a.push(Assessment {
                        polarity: e.polarity,
                        subjectivity: e.subjectivity,
                        intensity: e.intensity,
                        negated: false,
                    });
                } else if let Some(last) = a.last_mut() {
                    last.polarity = clamp(e.polarity * last.intensity);
                    last.subjectivity = clamp(e.subjectivity * last.intensity);
                    last.intensity = e.intensity;
                }
                if negated_by.is_some() {
                    if let Some(last) = a.last_mut() {
                        last.intensity = 1.0 / last.intensity;
                        last.negated = true;
                    }
                }
                modifier = e.adverb.then_some(w);
                negated_by = is_negation(w).then_some(w);
            } else {
                if is_negation(w) {
                    negated_by = Some(w);
                } else if negated_by.is_some() && w.trim_matches('\'').chars().nth(1).is_some() {
                    negated_by = None;
                }
                if negated_by.is_some() && modifier.is_some_and(|m| m.ends_with("ly")) {
                    if let Some(last) = a.last_mut() {
                        last.negated = true;
                    }
                    negated_by = None;
                } else if modifier.is_some() && w.chars().nth(2).is_some() {
                    modifier = None;
                }
                if w == "!" {
                    if let Some(last) = a.last_mut() {
                        last.polarity = clamp(last.polarity * 1.25);
                    }
                }
                if w == "(!)" {
                    a.push(Assessment {
                        polarity: 0.0,
                        subjectivity: 1.0,
                        intensity: 1.0,
                        negated: false,
                    });
                }
                if !pystr::is_alpha(w) && w.chars().nth(5).is_none() && !PUNCTUATION.contains(w) {
                    if let Some(&p) = EMOTICON_POLARITY.get(w) {
                        a.push(Assessment {
                            polarity: p,
                            subjectivity: 1.0,
                            intensity: 1.0,
                            negated: false,
                        });
                    }
                }
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(form: &str, pos: &str, p: f64, s: f64, i: f64) -> PatternWord {
        PatternWord {
            form: form.into(),
            pos: Some(pos.into()),
            polarity: p,
            subjectivity: s,
            intensity: i,
            label: None,
            confidence: None,
        }
    }

    #[test]
    fn tokenizer_like_pattern() {
        assert_eq!(
            find_tokens("I don't know. It's e.g. fine!! Mr. Smith :) (!)"),
            [
                "I do n ' t know .",
                "It ' s e.g. fine ! !",
                "Mr. Smith :) (!)"
            ]
        );
        assert_eq!(
            find_tokens("wow..... ok\n\nnext"),
            ["wow ...", "ok", "next"]
        );
        assert_eq!(find_tokens("so : ) nice"), ["so :) nice"]);
        assert!(find_tokens("").is_empty());
    }

    #[test]
    fn averages_and_adverbs() {
        let lex = PatternLexicon::from_words(&[
            word("good", "JJ", 0.6, 0.5, 1.0),
            word("good", "JJ", 0.8, 0.7, 1.0),
            word("good", "NN", 0.1, 0.1, 1.0),
            word("very", "RB", 0.2, 0.3, 1.3),
            word("terrible", "JJ", -1.0, 1.0, 1.0),
        ]);
        let g = lex.get("good").unwrap();
        // JJ average (0.7, 0.6), NN (0.1, 0.1) → (0.4, 0.35).
        assert!((g.polarity - 0.4).abs() < 1e-15 && (g.subjectivity - 0.35).abs() < 1e-15);
        assert!(lex.get("goodly").unwrap().adverb && lex.get("terribly").is_some());
        let a = PatternAnalyzer::new(lex, PatternConfig::default());
        // "very good": 0.4 × 1.3 in one assessment.
        let s = a.sentiment("very good");
        assert!((s.polarity - 0.4 * 1.3).abs() < 1e-15, "{s:?}");
        // "not good": negated → × -0.5.
        assert!((a.sentiment("not good").polarity + 0.2).abs() < 1e-15);
        // "good!" → × 1.25; an emoticon is an assessment of its own.
        assert!((a.sentiment("good!").polarity - 0.5).abs() < 1e-15);
        assert!((a.sentiment(":(").polarity + 0.75).abs() < 1e-15);
        assert_eq!(a.sentiment("nothing known"), PatternScores::default());
    }
}
