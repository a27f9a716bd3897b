//! Joins word tokens back into text (the inverse of a Penn Treebank style
//! tokenizer, for scoring translations with BLEU on detokenised output as
//! sacreBLEU expects). A deliberately small rule set, ported line for line
//! to `tools/reference/seq2seq_torch.py` so both sides score the same text:
//!
//! * no space before `. , ! ? ; : ) ] } %`, `''`, `n't` and tokens starting
//!   with an apostrophe (`'s`, `'re`);
//! * no space after `( [ { $` and the opening quote token ` `` `;
//! * the Treebank quote tokens ` `` ` and `''` become `"`.
//!
//! Cost: O(characters) time and memory.

const NO_SPACE_BEFORE: &[&str] = &[
    ".", ",", "!", "?", ";", ":", ")", "]", "}", "%", "''", "n't",
];
const NO_SPACE_AFTER: &[&str] = &["(", "[", "{", "$", "``"];

/// The text of `tokens` (see the module documentation).
pub fn detokenize<S: AsRef<str>>(tokens: &[S]) -> String {
    let mut out = String::new();
    let mut prev: Option<&str> = None;
    for t in tokens {
        let t = t.as_ref();
        if let Some(p) = prev {
            let glue =
                NO_SPACE_BEFORE.contains(&t) || t.starts_with('\'') || NO_SPACE_AFTER.contains(&p);
            if !glue {
                out.push(' ');
            }
        }
        out.push_str(match t {
            "``" | "''" => "\"",
            other => other,
        });
        prev = Some(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glues_punctuation_and_quotes() {
        let toks = [
            "ein", "mann", "(", "links", ")", "sagt", "``", "hallo", "''", ",", "er", "'s", ".",
        ];
        assert_eq!(detokenize(&toks), "ein mann (links) sagt \"hallo\", er's.");
        assert_eq!(detokenize::<&str>(&[]), "");
    }
}
