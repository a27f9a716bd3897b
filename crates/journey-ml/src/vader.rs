//! VADER — Valence Aware Dictionary and sEntiment Reasoner (Hutto & Gilbert,
//! ICWSM 2014), exactly as the Python package `vaderSentiment` 3.3.2 computes
//! it, quirks included, so that every score equals the reference.
//!
//! A text is scored in five steps:
//!
//! 1. Emoji → words: every character found in the emoji lexicon is replaced by
//!    its description ("😁" → "beaming face with smiling eyes"), with a space
//!    before it unless one precedes. Only single-code-point keys can match
//!    (the reference walks the text one code point at a time, so the keys
//!    with skin tones, flags or variation selectors never do).
//! 2. Tokens: the text is split on Python whitespace; each token loses its
//!    leading and trailing ASCII punctuation unless fewer than three
//!    characters would remain (":)" stays ":)", "'good'" becomes "good", but
//!    "no." stays "no." since "no" has two characters).
//! 3. Valence of each token from the lexicon (lower-cased lookup), adjusted by
//!    the rules: "no" before a lexicon word negates it; ALL-CAPS words get
//!    ±0.733 when the text is not all caps; up to three preceding booster
//!    words add ±0.293 (×1, ×0.95, ×0.9 by distance); negations among the
//!    three preceding words multiply by -0.74 ("never so/this" boosts ×1.25,
//!    "without doubt" keeps); idioms ("the shit", "kind of", ...) replace the
//!    valence; "least" not after "at"/"very" negates. Boosters and "kind" of
//!    "kind of" score 0 themselves.
//! 4. "but": valences before the first "but" are halved, after it ×1.5 — as
//!    the reference does it, by the first *equal* value's position
//!    (`list.index`), so a repeated valence can be scaled twice and its twin
//!    not at all.
//! 5. Sum, punctuation emphasis (+0.292 per "!", at most 4; "?" ×2-3 → +0.18
//!    each, more → +0.96), normalisation `x / sqrt(x² + 15)` for the compound;
//!    neg/neu/pos are the shares of negative (valence − 1), neutral (1 each)
//!    and positive (valence + 1) mass. The reference rounds neg/neu/pos to 3
//!    decimals and compound to 4; [`SentimentIntensityAnalyzer::polarity_scores`]
//!    does the same (Python's `round`), `polarity_scores_raw` does not.
//!
//! Known reference bugs kept for parity: the "never … so/this" test at
//! distance three also fires on a plain "so"/"this" just before the word
//! (operator precedence); multi-word lexicon entries ("can't stand") and
//! multi-code-point emoji never match; "but" uses value equality as above.
//!
//! Cost: O(n) time and memory in the text length (the "but" rule is
//! O(k²) in the number k of sentiment-bearing tokens); the lexicon is a hash
//! map of 7,5xx entries (≈0.5 MB).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::pystr;
use crate::MlError;

/// Catalog name of the lexicon that vaderSentiment 3.3.2 ships.
pub const LEXICON_DATASET: &str = "vader-lexicon-3.3.2";
/// Catalog name of vaderSentiment 3.3.2's emoji lexicon.
pub const EMOJI_DATASET: &str = "vader-emoji-lexicon";

/// Mean intensity increase (or decrease) that a booster (dampener) adds.
pub const B_INCR: f64 = 0.293;
pub const B_DECR: f64 = -0.293;
/// Intensity an ALL-CAPS word adds when the rest of the text is not all caps.
pub const C_INCR: f64 = 0.733;
/// Factor of a negated valence.
pub const N_SCALAR: f64 = -0.74;

/// Settings; `Default` is vaderSentiment's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VaderConfig {
    /// Normalisation constant of the compound score, `x / sqrt(x² + alpha)`.
    pub alpha: f64,
    /// Replace emoji by their descriptions before scoring.
    pub emoji: bool,
}

impl Default for VaderConfig {
    fn default() -> Self {
        Self {
            alpha: 15.0,
            emoji: true,
        }
    }
}

/// The four numbers of `polarity_scores`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Scores {
    pub neg: f64,
    pub neu: f64,
    pub pos: f64,
    pub compound: f64,
}

impl Scores {
    /// Rounded as vaderSentiment's dict: neg/neu/pos to 3 decimals, compound to 4.
    pub fn rounded(self) -> Self {
        Self {
            neg: pystr::round(self.neg, 3),
            neu: pystr::round(self.neu, 3),
            pos: pystr::round(self.pos, 3),
            compound: pystr::round(self.compound, 4),
        }
    }
}

/// The word → mean valence lexicon (`vader_lexicon.txt`: `word<TAB>mean<TAB>sd<TAB>ratings`).
#[derive(Debug, Clone, Default)]
pub struct VaderLexicon {
    words: FxHashMap<String, f64>,
}

impl VaderLexicon {
    pub fn from_file(path: &Path) -> Result<Self, MlError> {
        let text = read_utf8(path)?;
        Self::parse(&text, path)
    }

    /// Parses the lexicon as the reference does: lines split at `\n`, blank
    /// lines skipped, each stripped and split at tabs; a later entry of the
    /// same word wins. `path` only names the source in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, MlError> {
        let mut words = FxHashMap::default();
        for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let mut fields = pystr::strip(line).split('\t');
            let word = fields.next().unwrap_or_default();
            let Some(measure) = fields.next() else {
                return Err(MlError::parse(path, i + 1, "expected word<TAB>valence"));
            };
            let value = parse_float(measure).ok_or_else(|| {
                MlError::parse(path, i + 1, format!("valence '{measure}' is not a number"))
            })?;
            words.insert(word.to_string(), value);
        }
        if words.is_empty() {
            return Err(MlError::Empty(format!(
                "{}: no lexicon entries",
                path.display()
            )));
        }
        Ok(Self { words })
    }

    /// Finds the lexicon through the catalog (`vader-lexicon-3.3.2`): the
    /// resolver's explicit path, `$JOURNEY_DATA`, the cache, the download URL,
    /// then PyPI.
    pub fn resolve(resolver: &journey_data::Resolver) -> Result<(Self, PathBuf), MlError> {
        let catalog = journey_data::Catalog::builtin();
        let found = resolver.resolve(catalog.get(LEXICON_DATASET)?)?;
        Ok((Self::from_file(&found.path)?, found.path))
    }

    pub fn get(&self, word: &str) -> Option<f64> {
        self.words.get(word).copied()
    }

    /// Adds or replaces an entry.
    pub fn insert(&mut self, word: impl Into<String>, valence: f64) {
        self.words.insert(word.into(), valence);
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Emoji → description (`emoji_utf8_lexicon.txt`: `emoji<TAB>description`).
/// Only single-code-point keys are kept: the others never match (see above).
#[derive(Debug, Clone, Default)]
pub struct EmojiLexicon {
    map: FxHashMap<char, String>,
    /// Whether some key is ASCII (then ASCII text cannot skip the lookup).
    ascii_key: bool,
}

impl EmojiLexicon {
    pub fn from_file(path: &Path) -> Result<Self, MlError> {
        let text = read_utf8(path)?;
        Self::parse(&text, path)
    }

    /// Parses as the reference does: every line (none may be blank) stripped
    /// and split at tabs, `emoji<TAB>description`; a later key wins.
    pub fn parse(text: &str, path: &Path) -> Result<Self, MlError> {
        let mut map = FxHashMap::default();
        for (i, line) in text.trim_end_matches('\n').split('\n').enumerate() {
            let mut fields = pystr::strip(line).split('\t');
            let key = fields.next().unwrap_or_default();
            let Some(description) = fields.next() else {
                return Err(MlError::parse(
                    path,
                    i + 1,
                    "expected emoji<TAB>description",
                ));
            };
            let mut chars = key.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                map.insert(c, description.to_string());
            }
        }
        let ascii_key = map.keys().any(char::is_ascii);
        Ok(Self { map, ascii_key })
    }

    /// Finds the emoji lexicon through the catalog (`vader-emoji-lexicon`).
    pub fn resolve(resolver: &journey_data::Resolver) -> Result<(Self, PathBuf), MlError> {
        let catalog = journey_data::Catalog::builtin();
        let found = resolver.resolve(catalog.get(EMOJI_DATASET)?)?;
        Ok((Self::from_file(&found.path)?, found.path))
    }

    pub fn get(&self, c: char) -> Option<&str> {
        self.map.get(&c).map(String::as_str)
    }

    /// The usable keys, in code-point order.
    pub fn chars(&self) -> Vec<char> {
        let mut keys: Vec<char> = self.map.keys().copied().collect();
        keys.sort_unstable();
        keys
    }

    /// Number of usable (single-code-point) keys.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Replaces each emoji by its description (step 1), then strips.
    pub fn translate<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.map.is_empty() || (!self.ascii_key && text.is_ascii()) {
            return Cow::Borrowed(text);
        }
        if !text.chars().any(|c| self.map.contains_key(&c)) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 32);
        let mut prev_space = true;
        for c in text.chars() {
            match self.map.get(&c) {
                Some(description) => {
                    if !prev_space {
                        out.push(' ');
                    }
                    out.push_str(description);
                    prev_space = false;
                }
                None => {
                    out.push(c);
                    prev_space = c == ' ';
                }
            }
        }
        Cow::Owned(out)
    }
}

/// Booster and dampener words ("degree adverbs") with their increment.
fn booster(word: &str) -> Option<f64> {
    let v = match word {
        "absolutely" | "amazingly" | "awfully" | "completely" | "considerable" | "considerably"
        | "decidedly" | "deeply" | "effing" | "enormous" | "enormously" | "entirely"
        | "especially" | "exceptional" | "exceptionally" | "extreme" | "extremely"
        | "fabulously" | "flipping" | "flippin" | "frackin" | "fracking" | "fricking"
        | "frickin" | "frigging" | "friggin" | "fully" | "fuckin" | "fucking" | "fuggin"
        | "fugging" | "greatly" | "hella" | "highly" | "hugely" | "incredible" | "incredibly"
        | "intensely" | "major" | "majorly" | "more" | "most" | "particularly" | "purely"
        | "quite" | "really" | "remarkably" | "so" | "substantially" | "thoroughly" | "total"
        | "totally" | "tremendous" | "tremendously" | "uber" | "unbelievably" | "unusually"
        | "utter" | "utterly" | "very" => B_INCR,
        "almost" | "barely" | "hardly" | "kinda" | "kindof" | "kind-of" | "less" | "little"
        | "marginal" | "marginally" | "occasional" | "occasionally" | "partly" | "scarce"
        | "scarcely" | "slight" | "slightly" | "somewhat" | "sorta" | "sortof" | "sort-of" => {
            B_DECR
        }
        _ => return None,
    };
    Some(v)
}

/// The two-word entries of the booster table ("just enough", "kind of", "sort of").
fn booster_bigram(a: &str, b: &str) -> Option<f64> {
    matches!((a, b), ("just", "enough") | ("kind", "of") | ("sort", "of")).then_some(B_DECR)
}

/// Idioms and phrases that replace a lexicon word's valence.
fn special_case(words: &[&str]) -> Option<f64> {
    Some(match words {
        ["the", "shit"] | ["the", "bomb"] | ["to", "die", "for"] => 3.0,
        ["bad", "ass"] => 1.5,
        ["bus", "stop"] => 0.0,
        ["yeah", "right"] => -2.0,
        ["kiss", "of", "death"] => -1.5,
        ["beating", "heart"] => 3.5,
        _ => return None,
    })
}

const NEGATE: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "darent",
    "didnt",
    "doesnt",
    "ain't",
    "aren't",
    "can't",
    "couldn't",
    "daren't",
    "didn't",
    "doesn't",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "isnt",
    "mightnt",
    "mustnt",
    "neither",
    "don't",
    "hadn't",
    "hasn't",
    "haven't",
    "isn't",
    "mightn't",
    "mustn't",
    "neednt",
    "needn't",
    "never",
    "none",
    "nope",
    "nor",
    "not",
    "nothing",
    "nowhere",
    "oughtnt",
    "shant",
    "shouldnt",
    "uhuh",
    "wasnt",
    "werent",
    "oughtn't",
    "shan't",
    "shouldn't",
    "uh-uh",
    "wasn't",
    "weren't",
    "without",
    "wont",
    "wouldnt",
    "won't",
    "wouldn't",
    "rarely",
    "seldom",
    "despite",
];

/// A negation word, or any word containing "n't" (on a lower-cased word).
fn negated(lower: &str) -> bool {
    NEGATE.contains(&lower) || lower.contains("n't")
}

/// One token: whether it is ALL CAPS, lower-cased, its lexicon valence.
struct Token<'a> {
    lower: Cow<'a, str>,
    upper: bool,
    valence: Option<f64>,
}

/// Step 2: Python-whitespace split, edge punctuation stripped from words.
fn strip_punc_if_word(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation());
    if stripped.chars().nth(2).is_none() {
        token
    } else {
        stripped
    }
}

/// The tokens vaderSentiment scores (`SentiText.words_and_emoticons`),
/// after emoji translation when a lexicon is given.
pub fn words_and_emoticons(text: &str) -> Vec<&str> {
    pystr::split(text).map(strip_punc_if_word).collect()
}

/// The scorer: lexicon, emoji lexicon and settings.
#[derive(Debug, Clone)]
pub struct SentimentIntensityAnalyzer {
    pub lexicon: VaderLexicon,
    pub emojis: EmojiLexicon,
    pub config: VaderConfig,
}

impl SentimentIntensityAnalyzer {
    pub fn new(lexicon: VaderLexicon, emojis: EmojiLexicon, config: VaderConfig) -> Self {
        Self {
            lexicon,
            emojis,
            config,
        }
    }

    /// Both lexicons through the catalog (see [`VaderLexicon::resolve`]).
    pub fn from_resolver(resolver: &journey_data::Resolver) -> Result<Self, MlError> {
        let (lexicon, _) = VaderLexicon::resolve(resolver)?;
        let (emojis, _) = EmojiLexicon::resolve(resolver)?;
        Ok(Self::new(lexicon, emojis, VaderConfig::default()))
    }

    /// The scores as vaderSentiment's `polarity_scores` returns them (rounded).
    pub fn polarity_scores(&self, text: &str) -> Scores {
        self.polarity_scores_raw(text).rounded()
    }

    /// Scores of many texts, in parallel (rayon), in input order.
    pub fn polarity_scores_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Scores> {
        texts
            .par_iter()
            .map(|t| self.polarity_scores(t.as_ref()))
            .collect()
    }

    /// The scores before the reference's final rounding.
    pub fn polarity_scores_raw(&self, text: &str) -> Scores {
        let translated = if self.config.emoji {
            self.emojis.translate(text)
        } else {
            Cow::Borrowed(text)
        };
        let text = pystr::strip(&translated);
        let sentiments = self.sentiments(text);
        self.score_valence(&sentiments, text)
    }

    /// Steps 2-4: the valence of every token of an (emoji-free) text.
    pub fn sentiments(&self, text: &str) -> Vec<f64> {
        let tokens: Vec<Token> = words_and_emoticons(text)
            .into_iter()
            .map(|w| {
                let lower = pystr::lower(w);
                let valence = self.lexicon.get(&lower);
                Token {
                    upper: pystr::is_upper(w),
                    lower,
                    valence,
                }
            })
            .collect();
        let n = tokens.len();
        let allcaps = tokens.iter().filter(|t| t.upper).count();
        let cap_diff = n > 0 && allcaps > 0 && allcaps < n;

        let mut sentiments = Vec::with_capacity(n);
        for i in 0..n {
            let lower = &*tokens[i].lower;
            if booster(lower).is_some()
                || (i + 1 < n && lower == "kind" && tokens[i + 1].lower == "of")
            {
                sentiments.push(0.0);
                continue;
            }
            sentiments.push(self.valence(&tokens, i, cap_diff));
        }
        but_check(&tokens, &mut sentiments);
        sentiments
    }

    /// Step 3 for token `i` (`sentiment_valence`).
    fn valence(&self, tokens: &[Token], i: usize, cap_diff: bool) -> f64 {
        let Some(base) = tokens[i].valence else {
            return 0.0;
        };
        let n = tokens.len();
        let low = |k: usize| &*tokens[k].lower;
        let mut valence = base;
        // "no" before another lexicon word is a negation, not a sentiment.
        if low(i) == "no" && i != n - 1 && tokens[i + 1].valence.is_some() {
            valence = 0.0;
        }
        if (i > 0 && low(i - 1) == "no")
            || (i > 1 && low(i - 2) == "no")
            || (i > 2 && low(i - 3) == "no" && matches!(low(i - 1), "or" | "nor"))
        {
            valence = base * N_SCALAR;
        }
        if tokens[i].upper && cap_diff {
            if valence > 0.0 {
                valence += C_INCR;
            } else {
                valence -= C_INCR;
            }
        }
        for start in 0..3 {
            if i > start && tokens[i - start - 1].valence.is_none() {
                let mut s = scalar_inc_dec(&tokens[i - start - 1], valence, cap_diff);
                if start == 1 && s != 0.0 {
                    s *= 0.95;
                }
                if start == 2 && s != 0.0 {
                    s *= 0.9;
                }
                valence += s;
                valence = negation_check(valence, tokens, start, i);
                if start == 2 {
                    valence = special_idioms_check(valence, tokens, i);
                }
            }
        }
        least_check(valence, tokens, i)
    }

    /// Step 5 (`score_valence`), unrounded.
    fn score_valence(&self, sentiments: &[f64], text: &str) -> Scores {
        if sentiments.is_empty() {
            return Scores::default();
        }
        let mut sum: f64 = sentiments.iter().fold(0.0, |a, &b| a + b);
        let amplifier = punctuation_emphasis(text);
        if sum > 0.0 {
            sum += amplifier;
        } else if sum < 0.0 {
            sum -= amplifier;
        }
        let compound = normalize(sum, self.config.alpha);
        let (mut pos_sum, mut neg_sum, neu_count) = sift_sentiment_scores(sentiments);
        if pos_sum > neg_sum.abs() {
            pos_sum += amplifier;
        } else if pos_sum < neg_sum.abs() {
            neg_sum -= amplifier;
        }
        let total = pos_sum + neg_sum.abs() + neu_count as f64;
        Scores {
            neg: (neg_sum / total).abs(),
            neu: (neu_count as f64 / total).abs(),
            pos: (pos_sum / total).abs(),
            compound,
        }
    }
}

/// A booster's increment for a valence, with ALL-CAPS emphasis.
fn scalar_inc_dec(token: &Token, valence: f64, cap_diff: bool) -> f64 {
    let Some(mut scalar) = booster(&token.lower) else {
        return 0.0;
    };
    if valence < 0.0 {
        scalar = -scalar;
    }
    if token.upper && cap_diff {
        if valence > 0.0 {
            scalar += C_INCR;
        } else {
            scalar -= C_INCR;
        }
    }
    scalar
}

/// Negations one, two or three words before token `i` (`_negation_check`).
fn negation_check(valence: f64, tokens: &[Token], start: usize, i: usize) -> f64 {
    let low = |k: usize| &*tokens[k].lower;
    match start {
        0 if negated(low(i - 1)) => valence * N_SCALAR,
        1 => {
            if low(i - 2) == "never" && matches!(low(i - 1), "so" | "this") {
                valence * 1.25
            } else if low(i - 2) == "without" && low(i - 1) == "doubt" {
                valence
            } else if negated(low(i - 2)) {
                valence * N_SCALAR
            } else {
                valence
            }
        }
        2 => {
            // `a and b or c`: the reference's precedence, kept.
            if (low(i - 3) == "never" && matches!(low(i - 2), "so" | "this"))
                || matches!(low(i - 1), "so" | "this")
            {
                valence * 1.25
            } else if low(i - 3) == "without" && (low(i - 2) == "doubt" || low(i - 1) == "doubt") {
                valence
            } else if negated(low(i - 3)) {
                valence * N_SCALAR
            } else {
                valence
            }
        }
        _ => valence,
    }
}

/// Idioms around token `i` (needs `i >= 3`) and two-word dampeners before it.
fn special_idioms_check(mut valence: f64, tokens: &[Token], i: usize) -> f64 {
    let low = |k: usize| &*tokens[k].lower;
    let sequences: [&[&str]; 5] = [
        &[low(i - 1), low(i)],
        &[low(i - 2), low(i - 1), low(i)],
        &[low(i - 2), low(i - 1)],
        &[low(i - 3), low(i - 2), low(i - 1)],
        &[low(i - 3), low(i - 2)],
    ];
    if let Some(v) = sequences.iter().find_map(|s| special_case(s)) {
        valence = v;
    }
    let n = tokens.len();
    if n - 1 > i {
        if let Some(v) = special_case(&[low(i), low(i + 1)]) {
            valence = v;
        }
    }
    if n - 1 > i + 1 {
        if let Some(v) = special_case(&[low(i), low(i + 1), low(i + 2)]) {
            valence = v;
        }
    }
    for (a, b) in [(low(i - 3), low(i - 2)), (low(i - 2), low(i - 1))] {
        if let Some(v) = booster_bigram(a, b) {
            valence += v;
        }
    }
    valence
}

/// "least" as a negation, unless "at least" / "very least" (`_least_check`).
fn least_check(valence: f64, tokens: &[Token], i: usize) -> f64 {
    let prev_is_least = i > 0 && tokens[i - 1].valence.is_none() && tokens[i - 1].lower == "least";
    if !prev_is_least {
        return valence;
    }
    if i > 1 {
        let before = &*tokens[i - 2].lower;
        if before != "at" && before != "very" {
            return valence * N_SCALAR;
        }
        valence
    } else {
        valence * N_SCALAR
    }
}

/// Step 4 (`_but_check`) with the reference's `list.index` semantics. Zeros
/// are skipped: rescaling a zero leaves a zero, which no later step tells
/// apart.
fn but_check(tokens: &[Token], sentiments: &mut [f64]) {
    let Some(bi) = tokens.iter().position(|t| t.lower == "but") else {
        return;
    };
    let nonzero: Vec<usize> = (0..sentiments.len())
        .filter(|&k| sentiments[k] != 0.0)
        .collect();
    for (idx, &k) in nonzero.iter().enumerate() {
        let v = sentiments[k];
        let si = nonzero[..=idx]
            .iter()
            .copied()
            .find(|&j| sentiments[j] == v)
            .unwrap_or(k);
        if si < bi {
            sentiments[si] = v * 0.5;
        } else if si > bi {
            sentiments[si] = v * 1.5;
        }
    }
}

/// Emphasis of "!" (0.292 each, at most 4) and "?" (2-3: 0.18 each; more: 0.96).
fn punctuation_emphasis(text: &str) -> f64 {
    let (mut ep, mut qm) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'!' => ep += 1,
            b'?' => qm += 1,
            _ => {}
        }
    }
    let ep_amplifier = ep.min(4) as f64 * 0.292;
    let qm_amplifier = match qm {
        0 | 1 => 0.0,
        2 | 3 => qm as f64 * 0.18,
        _ => 0.96,
    };
    ep_amplifier + qm_amplifier
}

/// `x / sqrt(x² + alpha)`, clamped to [-1, 1].
pub fn normalize(score: f64, alpha: f64) -> f64 {
    (score / (score * score + alpha).sqrt()).clamp(-1.0, 1.0)
}

/// Positive mass (valence + 1 each), negative mass (valence − 1 each) and
/// the count of neutral tokens.
fn sift_sentiment_scores(sentiments: &[f64]) -> (f64, f64, usize) {
    let (mut pos, mut neg, mut neu) = (0.0, 0.0, 0);
    for &s in sentiments {
        if s > 0.0 {
            pos += s + 1.0;
        }
        if s < 0.0 {
            neg += s - 1.0;
        }
        if s == 0.0 {
            neu += 1;
        }
    }
    (pos, neg, neu)
}

/// Python's `float()` for the plain decimal numbers of the lexicons.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    pystr::strip(s).parse().ok()
}

pub(crate) fn read_utf8(path: &Path) -> Result<String, MlError> {
    let bytes = std::fs::read(path).map_err(|e| MlError::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        MlError::parse(path, line, "invalid UTF-8")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer(lexicon: &str) -> SentimentIntensityAnalyzer {
        let lex = VaderLexicon::parse(lexicon, Path::new("lex.txt")).unwrap();
        let emoji = EmojiLexicon::parse("\u{1f601}\tbeaming face\n", Path::new("e.txt")).unwrap();
        SentimentIntensityAnalyzer::new(lex, emoji, VaderConfig::default())
    }

    #[test]
    fn tokens_strip_edge_punctuation_of_words_only() {
        assert_eq!(
            words_and_emoticons("'good' :) no. (great)!! a-b"),
            ["good", ":)", "no.", "great", "a-b"]
        );
    }

    #[test]
    fn hand_computed_scores() {
        let a = analyzer("good\t1.9\t0.9\t[]\nbad\t-2.5\nno\t-1.2\n");
        // "good": sum 1.9, compound 1.9/sqrt(1.9²+15); pos (1.9+1)/(2.9+0).
        let s = a.polarity_scores_raw("good");
        assert!((s.compound - 1.9 / (1.9f64 * 1.9 + 15.0).sqrt()).abs() < 1e-15);
        assert_eq!((s.pos, s.neu, s.neg), (1.0, 0.0, 0.0));
        // Booster before: 1.9 + 0.293.
        let s = a.polarity_scores_raw("very good");
        let x = 1.9 + B_INCR;
        assert!((s.compound - x / (x * x + 15.0).sqrt()).abs() < 1e-15);
        // Negation: 1.9 * -0.74, one neutral token ("not").
        let s = a.polarity_scores_raw("not good");
        assert!(s.compound < 0.0 && (s.neu - 1.0 / (1.0 + 1.0 + 1.406)).abs() < 1e-12);
        // "no" before a lexicon word scores 0 itself.
        let s = a.sentiments("no good");
        assert_eq!(s[0], 0.0);
        assert!((s[1] - 1.9 * N_SCALAR).abs() < 1e-15);
        // Empty and punctuation-only texts.
        assert_eq!(a.polarity_scores(""), Scores::default());
        assert_eq!(a.polarity_scores("!!!").neu, 1.0);
        // Emoji become words.
        assert_eq!(a.emojis.translate("x\u{1f601}y"), "x beaming facey");
    }

    #[test]
    fn but_uses_first_equal_value() {
        let a = analyzer("good\t1.0\ngreat\t2.0\nbad\t-2.0\n");
        // [2, 1, 0(but), -2]: halving 2 makes the first 1, so the 1 that
        // follows halves that one again and is left as it is.
        let s = a.sentiments("great good but bad");
        assert_eq!(s, vec![0.5, 1.0, 0.0, -3.0]);
    }

    #[test]
    fn bad_lexicon_lines_are_errors() {
        let e = VaderLexicon::parse("good\t1.0\nbad\n", Path::new("l.txt")).unwrap_err();
        assert!(e.to_string().contains("l.txt:2"), "{e}");
        let e = VaderLexicon::parse("good\tx\n", Path::new("l.txt")).unwrap_err();
        assert!(e.to_string().contains("'x'"), "{e}");
        assert!(EmojiLexicon::parse("\u{1f601}\n", Path::new("e.txt")).is_err());
    }
}
