//! Rule-based named-entity recognition, as spaCy's `EntityRuler` and the
//! regular-expression taggers that preceded statistical NER do it:
//!
//! - regular expressions over the raw text for closed-form entities (DATE,
//!   MONEY, PERCENT, EMAIL, URL, PHONE), mapped to the tokens they touch;
//! - gazetteers ([`crate::gazetteer`], `TYPE<TAB>phrase` files);
//! - token patterns in spaCy's JSON form: `{"label": "ORG", "pattern":
//!   [{"LOWER": "new"}, {"IS_TITLE": true, "OP": "+"}]}` with the attributes
//!   `ORTH`/`TEXT`, `LOWER`, `SHAPE`, `LENGTH`, `IS_TITLE`, `IS_UPPER`,
//!   `IS_LOWER`, `IS_DIGIT`, `IS_ALPHA`, `IS_PUNCT`, `LIKE_NUM`, value sets
//!   `{"IN": [...]}`/`{"NOT_IN": [...]}`, and the operators `?`, `*`, `+`,
//!   `!`, `1`; a pattern may also be a plain phrase string.
//!
//! All candidates are merged longest-match-first (ties: earlier start, then
//! the rule listed first), without overlaps.
//!
//! Cost: regexes O(text) each (the `regex` crate is linear time); gazetteer
//! O(n · L); a token pattern of p steps O(n · p · n) in the worst case with
//! `*`/`+`, O(n · p) without; merging O(c log c) for c candidates.

use regex::Regex;
use serde_json::Value;

use crate::gazetteer::Gazetteer;
use crate::ner_features::word_shape;
use crate::tag_scheme::Span;
use crate::MlError;

/// One token-attribute test.
#[derive(Debug, Clone)]
enum Test {
    Text(Vec<String>, bool),
    Lower(Vec<String>, bool),
    Shape(Vec<String>, bool),
    Length(usize),
    Flag(String, bool),
}

/// One step of a token pattern: tests and an operator.
#[derive(Debug, Clone)]
struct Step {
    tests: Vec<Test>,
    op: char,
}

/// A labelled token pattern.
#[derive(Debug, Clone)]
pub struct TokenPattern {
    pub label: String,
    steps: Vec<Step>,
}

fn flag(name: &str, t: &str) -> bool {
    let letters = t.chars().any(char::is_alphabetic);
    match name {
        "IS_TITLE" => {
            t.chars().next().is_some_and(char::is_uppercase)
                && t.chars().skip(1).all(|c| !c.is_uppercase())
                && letters
        }
        "IS_UPPER" => letters && t.chars().all(|c| !c.is_lowercase()),
        "IS_LOWER" => letters && t.chars().all(|c| !c.is_uppercase()),
        "IS_DIGIT" => !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()),
        "IS_ALPHA" => !t.is_empty() && t.chars().all(char::is_alphabetic),
        "IS_PUNCT" => !t.is_empty() && t.chars().all(|c| c.is_ascii_punctuation()),
        "LIKE_NUM" => {
            let s = t.replace([',', '.'], "");
            !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

impl Test {
    fn check(&self, tok: &str) -> bool {
        let among = |set: &[String], v: &str, neg: bool| set.iter().any(|s| s == v) != neg;
        match self {
            Test::Text(s, neg) => among(s, tok, *neg),
            Test::Lower(s, neg) => among(s, &tok.to_lowercase(), *neg),
            Test::Shape(s, neg) => {
                // spaCy's shape caps runs at 4 characters.
                let mut sh = String::new();
                let mut run = 0;
                for c in word_shape(tok).chars() {
                    run = if sh.ends_with(c) { run + 1 } else { 1 };
                    if run <= 4 {
                        sh.push(c);
                    }
                }
                among(s, &sh, *neg)
            }
            Test::Length(n) => tok.chars().count() == *n,
            Test::Flag(name, want) => flag(name, tok) == *want,
        }
    }
}

impl TokenPattern {
    /// Parses one spaCy-style pattern object (`{"label":…, "pattern":…}`);
    /// `where_` names it in errors.
    pub fn from_json(v: &Value, where_: &str) -> Result<TokenPattern, String> {
        let label = v
            .get("label")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{where_}: missing \"label\""))?
            .to_string();
        let steps = match v.get("pattern") {
            Some(Value::String(phrase)) => phrase
                .split_whitespace()
                .map(|w| Step {
                    tests: vec![Test::Text(vec![w.to_string()], false)],
                    op: '1',
                })
                .collect(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|it| parse_step(it, where_))
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err(format!("{where_}: \"pattern\" must be a list or a string")),
        };
        if steps.is_empty() {
            return Err(format!("{where_}: empty pattern"));
        }
        Ok(TokenPattern { label, steps })
    }

    /// The end of the longest match starting at token `i`, if any (non-empty).
    pub fn longest_at(&self, tokens: &[&str], i: usize) -> Option<usize> {
        fn go(steps: &[Step], toks: &[&str], i: usize) -> Option<usize> {
            let Some(step) = steps.first() else {
                return Some(i);
            };
            let ok = |j: usize| j < toks.len() && step.tests.iter().all(|t| t.check(toks[j]));
            let rest = &steps[1..];
            match step.op {
                '!' => {
                    if i < toks.len() && !step.tests.iter().all(|t| t.check(toks[i])) {
                        go(rest, toks, i + 1)
                    } else {
                        None
                    }
                }
                '?' => {
                    let a = if ok(i) { go(rest, toks, i + 1) } else { None };
                    a.max(go(rest, toks, i))
                }
                '*' | '+' => {
                    let mut best = if step.op == '*' {
                        go(rest, toks, i)
                    } else {
                        None
                    };
                    let mut j = i;
                    while ok(j) {
                        j += 1;
                        best = best.max(go(rest, toks, j));
                    }
                    best
                }
                _ => {
                    if ok(i) {
                        go(rest, toks, i + 1)
                    } else {
                        None
                    }
                }
            }
        }
        go(&self.steps, tokens, i).filter(|&e| e > i)
    }
}

fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

fn parse_step(v: &Value, where_: &str) -> Result<Step, String> {
    let obj = v
        .as_object()
        .ok_or_else(|| format!("{where_}: each token pattern must be an object"))?;
    let mut step = Step {
        tests: Vec::new(),
        op: '1',
    };
    for (k, val) in obj {
        let bad = || format!("{where_}: bad value for {k}: {val}");
        // A plain value, or {"IN": [...]}, or {"NOT_IN": [...]}.
        let set = || -> Result<(Vec<String>, bool), String> {
            if let Some(o) = val.as_object() {
                if let Some(s) = o.get("IN").and_then(strings) {
                    return Ok((s, false));
                }
                if let Some(s) = o.get("NOT_IN").and_then(strings) {
                    return Ok((s, true));
                }
                return Err(bad());
            }
            strings(val).map(|s| (s, false)).ok_or_else(bad)
        };
        match k.as_str() {
            "OP" => {
                step.op = match val.as_str() {
                    Some(o @ ("?" | "*" | "+" | "!" | "1")) => o.chars().next().unwrap(),
                    _ => return Err(format!("{where_}: OP must be one of ? * + ! 1")),
                }
            }
            "ORTH" | "TEXT" => {
                let (s, n) = set()?;
                step.tests.push(Test::Text(s, n))
            }
            "LOWER" => {
                let (s, n) = set()?;
                step.tests.push(Test::Lower(s, n))
            }
            "SHAPE" => {
                let (s, n) = set()?;
                step.tests.push(Test::Shape(s, n))
            }
            "LENGTH" => step
                .tests
                .push(Test::Length(val.as_u64().ok_or_else(bad)? as usize)),
            "IS_TITLE" | "IS_UPPER" | "IS_LOWER" | "IS_DIGIT" | "IS_ALPHA" | "IS_PUNCT"
            | "LIKE_NUM" => step
                .tests
                .push(Test::Flag(k.clone(), val.as_bool().ok_or_else(bad)?)),
            other => return Err(format!("{where_}: unsupported token attribute {other}")),
        }
    }
    Ok(step)
}

/// The default regular expressions: `(TYPE, pattern)`.
pub fn default_regexes() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "EMAIL",
            r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b",
        ),
        (
            "URL",
            r#"\b(?:https?://|www\.)[^\s<>"]*[^\s<>".,;:!?)\]'}]"#,
        ),
        (
            "MONEY",
            r"(?:[$€£¥]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|billion|thousand|bn|m|k)\b)?)|\b\d[\d,]*(?:\.\d+)?\s?(?:million\s|billion\s)?(?:dollars|euros|pounds|yen|USD|EUR|GBP)\b",
        ),
        ("PERCENT", r"\b\d+(?:\.\d+)?\s?(?:%|percent\b|per cent\b)"),
        (
            "DATE",
            r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)(?:,?\s+\d{4})?\b",
        ),
        (
            "PHONE",
            r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\b\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}\b",
        ),
    ]
}

/// An entity found in text: its type, byte range and token range.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TextEntity {
    pub kind: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub first_token: usize,
    pub end_token: usize,
}

/// Regexes, a gazetteer and token patterns, applied together.
#[derive(Debug, Clone, Default)]
pub struct RuleTagger {
    regexes: Vec<(String, Regex)>,
    pub gazetteer: Option<Gazetteer>,
    pub patterns: Vec<TokenPattern>,
}

impl RuleTagger {
    /// The default regexes, no gazetteer, no patterns.
    pub fn with_default_regexes() -> Self {
        let mut r = RuleTagger::default();
        for (k, p) in default_regexes() {
            r.add_regex(k, p).expect("built-in regex compiles");
        }
        r
    }

    pub fn add_regex(&mut self, kind: &str, pattern: &str) -> Result<(), MlError> {
        let re = Regex::new(pattern)
            .map_err(|e| MlError::Config(format!("regex for {kind} does not compile: {e}")))?;
        self.regexes.push((kind.to_string(), re));
        Ok(())
    }

    /// Reads spaCy-style patterns: a JSON list, or JSON Lines (one object a line).
    pub fn read_patterns(path: &std::path::Path) -> Result<Vec<TokenPattern>, MlError> {
        let text = std::fs::read_to_string(path).map_err(|e| MlError::io(path, e))?;
        if text.trim_start().starts_with('[') {
            let v: Value = serde_json::from_str(&text)
                .map_err(|e| MlError::parse(path, e.line(), e.to_string()))?;
            let items = v.as_array().cloned().unwrap_or_default();
            return items
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    TokenPattern::from_json(it, &format!("pattern {}", i + 1))
                        .map_err(|m| MlError::parse(path, 1, m))
                })
                .collect();
        }
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(line)
                .map_err(|e| MlError::parse(path, i + 1, e.to_string()))?;
            out.push(
                TokenPattern::from_json(&v, "pattern")
                    .map_err(|m| MlError::parse(path, i + 1, m))?,
            );
        }
        Ok(out)
    }

    /// Entities over `tokens` whose byte ranges in `text` are `offsets`.
    pub fn find(&self, text: &str, offsets: &[(usize, usize)]) -> Vec<TextEntity> {
        let tokens: Vec<&str> = offsets.iter().map(|&(a, b)| &text[a..b]).collect();
        // (token start, token end, rule order, kind)
        let mut cands: Vec<(usize, usize, usize, String)> = Vec::new();
        let mut order = 0;
        for (kind, re) in &self.regexes {
            for m in re.find_iter(text) {
                let first = offsets.iter().position(|&(_, e)| e > m.start());
                let last = offsets.iter().rposition(|&(s, _)| s < m.end());
                if let (Some(a), Some(b)) = (first, last) {
                    if a <= b {
                        cands.push((a, b + 1, order, kind.clone()));
                    }
                }
            }
            order += 1;
        }
        if let Some(g) = &self.gazetteer {
            for s in g.find(&tokens) {
                cands.push((s.start, s.end, order, s.kind));
            }
            order += 1;
        }
        for p in &self.patterns {
            for i in 0..tokens.len() {
                if let Some(e) = p.longest_at(&tokens, i) {
                    cands.push((i, e, order, p.label.clone()));
                }
            }
            order += 1;
        }
        cands.sort_by(|a, b| {
            (b.1 - b.0)
                .cmp(&(a.1 - a.0))
                .then(a.0.cmp(&b.0))
                .then(a.2.cmp(&b.2))
        });
        let mut taken = vec![false; tokens.len()];
        let mut out = Vec::new();
        for (a, b, _, kind) in cands {
            if taken[a..b].iter().any(|&t| t) {
                continue;
            }
            taken[a..b].iter_mut().for_each(|t| *t = true);
            let (start, end) = (offsets[a].0, offsets[b - 1].1);
            out.push(TextEntity {
                kind,
                start,
                end,
                text: text[start..end].to_string(),
                first_token: a,
                end_token: b,
            });
        }
        out.sort_by_key(|e| e.start);
        out
    }

    /// Entities over pre-tokenised words (joined by single spaces for the regexes).
    pub fn find_tokens<S: AsRef<str>>(&self, words: &[S]) -> Vec<Span> {
        let mut text = String::new();
        let mut offsets = Vec::with_capacity(words.len());
        for w in words {
            if !text.is_empty() {
                text.push(' ');
            }
            let s = text.len();
            text.push_str(w.as_ref());
            offsets.push((s, text.len()));
        }
        self.find(&text, &offsets)
            .into_iter()
            .map(|e| Span {
                kind: e.kind,
                start: e.first_token,
                end: e.end_token,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_patterns_and_longest_match() {
        let mut r = RuleTagger::with_default_regexes();
        let pat: Value = serde_json::from_str(
            r#"{"label": "GPE", "pattern": [{"LOWER": "new"}, {"IS_TITLE": true, "OP": "+"}]}"#,
        )
        .unwrap();
        r.patterns.push(TokenPattern::from_json(&pat, "t").unwrap());
        r.gazetteer = Some(Gazetteer::new(
            vec![("ORG".into(), "Acme Corp".into())],
            false,
        ));
        let words = [
            "Acme",
            "Corp",
            "paid",
            "$",
            "5",
            "million",
            "on",
            "2024-01-05",
            "in",
            "New",
            "York",
            "City",
            ";",
            "up",
            "3.5",
            "%",
            ".",
        ];
        let got: Vec<(String, usize, usize)> = r
            .find_tokens(&words)
            .into_iter()
            .map(|s| (s.kind, s.start, s.end))
            .collect();
        let want = [
            ("ORG", 0, 2),
            ("MONEY", 3, 6),
            ("DATE", 7, 8),
            ("GPE", 9, 12),
            ("PERCENT", 14, 16),
        ];
        let want: Vec<(String, usize, usize)> = want
            .iter()
            .map(|(k, a, b)| (k.to_string(), *a, *b))
            .collect();
        assert_eq!(got, want);
        let text = "Mail ann@example.org or see https://example.org/x.";
        let spans = journey_text::treebank::TreebankWordTokenizer::new().span_tokenize(text);
        let ents = r.find(text, &spans);
        let kinds: Vec<(&str, &str)> = ents
            .iter()
            .map(|e| (e.kind.as_str(), e.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("EMAIL", "ann@example.org"),
                ("URL", "https://example.org/x")
            ]
        );
        assert!(TokenPattern::from_json(
            &serde_json::json!({"label": "X", "pattern": [{"FOO": 1}]}),
            "p"
        )
        .is_err());
    }
}
