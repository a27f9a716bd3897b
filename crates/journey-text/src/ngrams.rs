//! n-grams: contiguous runs of n words or n characters.
//!
//! The bag-of-words models of chapter 1.3 count these. The three extractors
//! follow scikit-learn's `CountVectorizer` analyzers exactly (same n-grams, same
//! order), so vectorizers built on them can match scikit-learn feature for
//! feature:
//!
//! - `word_ngrams`: n-grams of a token list, joined by a space (`analyzer="word"`);
//! - `char_ngrams`: over the whole text after collapsing runs of whitespace
//!   (`analyzer="char"`);
//! - `char_wb_ngrams`: inside word boundaries, each word padded with one space
//!   on both sides (`analyzer="char_wb"`).
//!
//! Cost: O(L · (max_n − min_n + 1)) n-grams for L tokens or characters.

/// Word n-grams for every n in `min_n..=max_n`, shortest first.
pub fn word_ngrams<S: AsRef<str>>(tokens: &[S], min_n: usize, max_n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let min_n = min_n.max(1);
    for n in min_n..=max_n.min(tokens.len()) {
        for window in tokens.windows(n) {
            let mut gram = String::new();
            for (i, t) in window.iter().enumerate() {
                if i > 0 {
                    gram.push(' ');
                }
                gram.push_str(t.as_ref());
            }
            out.push(gram);
        }
    }
    out
}

/// Character n-grams of the text, with whitespace runs (two or more) collapsed
/// into a single space first, as scikit-learn does.
pub fn char_ngrams(text: &str, min_n: usize, max_n: usize) -> Vec<String> {
    let chars = collapse_whitespace_runs(text);
    let min_n = min_n.max(1);
    let mut out = Vec::new();
    for n in min_n..=max_n.min(chars.len()) {
        for window in chars.windows(n) {
            out.push(window.iter().collect());
        }
    }
    out
}

/// Character n-grams inside words: " word " is cut into n-grams; a padded
/// word no longer than n gives itself once, and no larger n is tried.
pub fn char_wb_ngrams(text: &str, min_n: usize, max_n: usize) -> Vec<String> {
    let min_n = min_n.max(1);
    let mut out = Vec::new();
    for word in text.split(is_python_whitespace).filter(|w| !w.is_empty()) {
        let mut padded = Vec::with_capacity(word.len() + 2);
        padded.push(' ');
        padded.extend(word.chars());
        padded.push(' ');
        let len = padded.len();
        for n in min_n..=max_n {
            let mut offset = 0;
            out.push(padded[offset..(offset + n).min(len)].iter().collect());
            while offset + n < len {
                offset += 1;
                out.push(padded[offset..offset + n].iter().collect());
            }
            // The whole padded word was emitted: larger n would repeat it.
            if offset == 0 {
                break;
            }
        }
    }
    out
}

/// Python's `str.isspace`: Unicode White_Space plus the ASCII information
/// separators U+001C..U+001F, which `str.split()` also splits on.
pub fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `re.sub(r"\s\s+", " ", text)` as a char vector.
fn collapse_whitespace_runs(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if is_python_whitespace(chars[i]) {
            let mut j = i + 1;
            while j < chars.len() && is_python_whitespace(chars[j]) {
                j += 1;
            }
            out.push(if j - i >= 2 { ' ' } else { chars[i] });
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_ngrams_in_sklearn_order() {
        let toks = ["in", "the", "beginning"];
        assert_eq!(
            word_ngrams(&toks, 1, 2),
            vec!["in", "the", "beginning", "in the", "the beginning"]
        );
        assert_eq!(word_ngrams(&toks, 3, 5), vec!["in the beginning"]);
        assert!(word_ngrams::<&str>(&[], 1, 3).is_empty());
    }

    #[test]
    fn char_ngrams_collapse_whitespace() {
        assert_eq!(char_ngrams("ab  c", 2, 2), vec!["ab", "b ", " c"]);
        assert_eq!(char_ngrams("a b", 1, 1), vec!["a", " ", "b"]);
    }

    #[test]
    fn char_wb_pads_words() {
        // scikit-learn: CountVectorizer(analyzer="char_wb", ngram_range=(2, 3))
        // .build_analyzer()("jumpy fox") gives exactly these, in this order.
        assert_eq!(
            char_wb_ngrams("jumpy fox", 2, 3),
            vec![
                " j", "ju", "um", "mp", "py", "y ", " ju", "jum", "ump", "mpy", "py ", " f", "fo",
                "ox", "x ", " fo", "fox", "ox "
            ]
        );
        // A word shorter than n is counted once, padded (scikit-learn gives
        // [' a '] for "a" with n = 5, and [' O', 'Ok', 'k ', ' Ok', 'Ok ',
        // ' Ok '] for "Ok" with n = 2..5).
        assert_eq!(char_wb_ngrams("a", 5, 5), vec![" a "]);
        assert_eq!(
            char_wb_ngrams("Ok", 2, 5),
            vec![" O", "Ok", "k ", " Ok", "Ok ", " Ok "]
        );
    }
}
