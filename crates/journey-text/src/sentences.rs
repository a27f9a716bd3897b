//! Sentence segmentation with Punkt.
//!
//! Kiss & Strunk (2006), "Unsupervised Multilingual Sentence Boundary
//! Detection", Computational Linguistics 32(4): 485–525, as NLTK 3.10.4's
//! `PunktSentenceTokenizer` applies it (`nltk/tokenize/punkt.py`; it is what
//! `nltk.sent_tokenize` runs). The model — abbreviations, collocations,
//! frequent sentence starters, orthographic contexts — is learned by
//! [`crate::punkt::PunktTrainer`]; [`PunktSentenceTokenizer::english`] uses
//! NLTK's pretrained English model, embedded in the library.
//!
//! How a text is split:
//!
//! 1. Every `.` `?` `!` followed by a non-word character (`)` `"` `'` …) or by
//!    whitespace and another token is a candidate boundary.
//! 2. The word before it and the token after it are tokenized and annotated:
//!    first by type (known abbreviation? ellipsis? otherwise a break), then by
//!    context (collocation heuristic, orthographic heuristic on the next word,
//!    frequent sentence starters, initials and ordinals). A candidate that is
//!    still a break after both passes ends a sentence.
//! 3. `realign_boundaries`: closing quotes and brackets right after the break
//!    (`He said "Stop." Then…`) move into the sentence they close.
//!
//! Sentences are returned as slices of the input (or byte spans); whitespace
//! between sentences belongs to neither. Cost: one scan of the text plus a
//! few-token annotation per candidate, so linear time; memory is the output.

use crate::punkt::{
    first_pass, is_non_word, is_py_space, is_re_space, second_pass, tokenize_words,
    PunktParameters, PunktTrainer,
};

/// Splits text into sentences with a Punkt model (NLTK
/// `PunktSentenceTokenizer`).
#[derive(Clone, Debug, Default)]
pub struct PunktSentenceTokenizer {
    params: PunktParameters,
}

/// A candidate sentence end: a `.` `?` or `!` at `end - 1`, followed by a
/// non-word character or by whitespace and a token (NLTK's period context).
#[derive(Clone, Copy, Debug)]
struct Candidate {
    start: usize,
    end: usize,
    /// End of the character or token that follows.
    after_end: usize,
    /// Start of the next token, when whitespace separates it.
    next_tok: Option<usize>,
}

impl PunktSentenceTokenizer {
    /// A tokenizer with the given model.
    pub fn new(params: PunktParameters) -> Self {
        PunktSentenceTokenizer { params }
    }

    /// NLTK's pretrained English model (the one `nltk.sent_tokenize` uses).
    pub fn english() -> Self {
        Self::new(PunktParameters::english())
    }

    /// Learns a model from `text` (any language) with the default trainer
    /// settings; NLTK's `PunktSentenceTokenizer(train_text)`.
    pub fn train(text: &str) -> Self {
        let mut trainer = PunktTrainer::new();
        trainer.train(text);
        Self::new(trainer.into_params())
    }

    /// The model.
    pub fn params(&self) -> &PunktParameters {
        &self.params
    }

    /// The sentences of `text`, with trailing closing punctuation realigned.
    pub fn tokenize<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.tokenize_with(text, true)
    }

    /// The sentences of `text`; `realign_boundaries = false` leaves closing
    /// quotes and brackets at the start of the next sentence, as NLTK does.
    pub fn tokenize_with<'t>(&self, text: &'t str, realign_boundaries: bool) -> Vec<&'t str> {
        self.span_tokenize_with(text, realign_boundaries)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    /// Byte spans `(start, end)` of the sentences of `text`.
    pub fn span_tokenize(&self, text: &str) -> Vec<(usize, usize)> {
        self.span_tokenize_with(text, true)
    }

    /// Byte spans, with or without realigned boundaries.
    pub fn span_tokenize_with(&self, text: &str, realign_boundaries: bool) -> Vec<(usize, usize)> {
        let slices = self.slices_from_text(text);
        if realign_boundaries {
            realign(text, &slices)
        } else {
            slices
        }
    }

    /// Whether `text` holds a sentence break that is followed by another
    /// token (NLTK `text_contains_sentbreak`).
    pub fn text_contains_sentbreak(&self, text: &str) -> bool {
        let mut tokens = tokenize_words(text);
        for t in tokens.iter_mut() {
            first_pass(&self.params, t);
        }
        for i in 0..tokens.len().saturating_sub(1) {
            let (head, tail) = tokens.split_at_mut(i + 1);
            second_pass(&self.params, &mut head[i], &tail[0]);
            if head[i].sentbreak {
                return true;
            }
        }
        false
    }

    /// NLTK `_slices_from_text`: a span ends at each candidate whose context
    /// holds a break; the last runs to the end of the text less trailing
    /// whitespace.
    fn slices_from_text(&self, text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut last_break = 0;
        for (c, context_start) in potential_end_contexts(text) {
            if self.text_contains_sentbreak(&text[context_start..c.after_end]) {
                out.push((last_break, c.end));
                last_break = c.next_tok.unwrap_or(c.end);
            }
        }
        out.push((last_break, text.trim_end_matches(is_py_space).len()));
        out
    }
}

/// English sentences of `text`, like `nltk.sent_tokenize(text)`. The model is
/// parsed once per process.
pub fn sent_tokenize(text: &str) -> Vec<&str> {
    static ENGLISH: std::sync::OnceLock<PunktSentenceTokenizer> = std::sync::OnceLock::new();
    ENGLISH
        .get_or_init(PunktSentenceTokenizer::english)
        .tokenize(text)
}

/// NLTK's period-context expression, by hand:
/// `[.?!](?=(?P<after_tok>NonWord|\s+(?P<next_tok>\S+)))`.
fn candidates(text: &str) -> impl Iterator<Item = Candidate> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, &b)| {
        if !matches!(b, b'.' | b'?' | b'!') {
            return None;
        }
        let rest = &text[i + 1..];
        let c = rest.chars().next()?;
        if is_non_word(c) {
            return Some(Candidate {
                start: i,
                end: i + 1,
                after_end: i + 1 + c.len_utf8(),
                next_tok: None,
            });
        }
        if !is_re_space(c) {
            return None;
        }
        let tok_start = i + 1 + rest.find(|c: char| !is_re_space(c))?;
        let tok_len = text[tok_start..]
            .find(is_re_space)
            .unwrap_or(text.len() - tok_start);
        Some(Candidate {
            start: i,
            end: i + 1,
            after_end: tok_start + tok_len,
            next_tok: Some(tok_start),
        })
    })
}

/// NLTK `_match_potential_end_contexts`: each candidate with the start of the
/// word before it. Of a run of end characters ("!!!") only the last is kept,
/// its context reaching back over the run.
fn potential_end_contexts(text: &str) -> Vec<(Candidate, usize)> {
    const ASCII_WS: [char; 6] = [' ', '\t', '\n', '\r', '\u{b}', '\u{c}'];
    let mut out = Vec::new();
    let mut prev_slice = (0usize, 0usize);
    let mut prev_match: Option<Candidate> = None;
    for m in candidates(text) {
        let before = &text[prev_slice.1..m.start];
        // NLTK treats "last whitespace at index 0" like "no whitespace".
        let word_start = match before.rfind(ASCII_WS) {
            Some(i) if i > 0 => prev_slice.1 + i + 1,
            _ => prev_slice.0,
        };
        if let Some(pm) = prev_match {
            if prev_slice.1 <= word_start {
                out.push((pm, prev_slice.0));
            }
        }
        prev_match = Some(m);
        prev_slice = (word_start, m.start);
    }
    if let Some(pm) = prev_match {
        out.push((pm, prev_slice.0));
    }
    out
}

/// NLTK `_realign_boundaries`: closing quotes and brackets that open the
/// next span (`["\')\]}‘’“”«»]+?(?:\s+|(?=--)|$)`) join the sentence before.
/// Empty spans are dropped.
fn realign(text: &str, slices: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(slices.len());
    let mut shift = 0;
    for (k, &(s1, e1)) in slices.iter().enumerate() {
        let s1 = s1 + shift;
        let Some(&(s2, e2)) = slices.get(k + 1) else {
            if s1 < e1 {
                out.push((s1, e1));
            }
            continue;
        };
        match closing_punctuation(&text[s2..e2.max(s2)]) {
            Some((keep, skip)) => {
                out.push((s1, s2 + keep));
                shift = skip;
            }
            None => {
                shift = 0;
                if s1 < e1 {
                    out.push((s1, e1));
                }
            }
        }
    }
    out
}

/// Matches NLTK's `re_boundary_realignment` at the start of `s`: the length
/// of the closing punctuation, and of the whole match (with whitespace).
fn closing_punctuation(s: &str) -> Option<(usize, usize)> {
    let closing = |c: char| {
        matches!(
            c,
            '"' | '\''
                | ')'
                | ']'
                | '}'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201c}'
                | '\u{201d}'
                | '\u{ab}'
                | '\u{bb}'
        )
    };
    let mut p = 0;
    loop {
        let c = s[p..].chars().next()?;
        if !closing(c) {
            return None;
        }
        p += c.len_utf8();
        let rest = &s[p..];
        match rest.chars().next() {
            None => return Some((p, p)),
            Some(w) if is_re_space(w) => {
                let ws = rest.find(|c: char| !is_re_space(c)).unwrap_or(rest.len());
                return Some((p, p + ws));
            }
            Some(_) if rest.starts_with("--") => return Some((p, p)),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_punctuation_matches_nltk_pattern() {
        assert_eq!(closing_punctuation("\" Then"), Some((1, 2)));
        assert_eq!(closing_punctuation(")\"  x"), Some((2, 4)));
        assert_eq!(closing_punctuation(")--x"), Some((1, 1)));
        assert_eq!(closing_punctuation(")"), Some((1, 1)));
        assert_eq!(closing_punctuation(")x"), None);
        assert_eq!(closing_punctuation("x)"), None);
    }

    #[test]
    fn runs_of_end_characters_keep_the_last() {
        let text = "Very bad acting!!! I promise.";
        let ctx: Vec<_> = potential_end_contexts(text)
            .into_iter()
            .map(|(c, s)| (c.start, &text[s..c.after_end]))
            .collect();
        assert_eq!(ctx, vec![(17, "acting!!! I")]);
    }
}
