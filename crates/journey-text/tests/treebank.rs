//! Parity of `TreebankWordTokenizer` with NLTK 3.10.4.
//!
//! * `fuzz.jsonl`: adversarial synthetic strings with NLTK's tokens and spans,
//!   committed in full (tools/reference/treebank_fuzz.py); needs no data.
//!   `TREEBANK_FUZZ=FILE` swaps in a bigger file written by the same script.
//! * `<source>.tsv`: for real lines of the shared corpora, a hash of NLTK's
//!   tokens per line (tools/reference/treebank_golden.py). The text is read
//!   from `$JOURNEY_DATA`; a mismatch prints the line, NLTK's tokens when the
//!   fixture's small sample holds them, and ours.
//!
//! `JOURNEY_DATA=/work/shared/data cargo test -p journey-text --test treebank -- --nocapture`

mod common;

use common::{read_lines, unit, Field};
use journey_text::treebank::TreebankWordTokenizer;
use journey_text::Tokenizer;

fn tok(s: &str) -> Vec<String> {
    TreebankWordTokenizer::default().tokenize(s)
}

// ---------------------------------------------------------------------------
// Hand-picked cases (expected values printed by NLTK 3.10.4)
// ---------------------------------------------------------------------------

#[test]
fn contractions_and_clitics() {
    assert_eq!(
        tok("I can't believe they'll go, won't they?"),
        ["I", "ca", "n't", "believe", "they", "'ll", "go", ",", "wo", "n't", "they", "?"]
    );
    assert_eq!(
        tok("Cannot, gimme, gonna, gotta, lemme, wanna go"),
        [
            "Can", "not", ",", "gim", "me", ",", "gon", "na", ",", "got", "ta", ",", "lem", "me",
            ",", "wan", "na", "go"
        ]
    );
    assert_eq!(tok("I wanna."), ["I", "wan", "na", "."]);
    assert_eq!(
        tok("D'ye know more'n me? 'Tis true, 'twas so."),
        [
            "D", "'ye", "know", "more", "'n", "me", "?", "'T", "is", "true", ",", "'t", "was",
            "so", "."
        ]
    );
    assert_eq!(
        tok("N'T SHE'S I'M WE'VE THEY'RE"),
        ["N'T", "SHE", "'S", "I", "'M", "WE", "'VE", "THEY", "'RE"]
    );
    // `'tis` is split only after a literal space, not after a tab.
    assert_eq!(tok("tab\t'tis"), ["tab", "'tis"]);
}

#[test]
fn quotes() {
    assert_eq!(
        tok("He said \"hello\" to me."),
        ["He", "said", "``", "hello", "''", "to", "me", "."]
    );
    assert_eq!(tok("\"Quoted\" start"), ["``", "Quoted", "''", "start"]);
    assert_eq!(
        tok("\"Hello,\" she said (twice)."),
        ["``", "Hello", ",", "''", "she", "said", "(", "twice", ")", "."]
    );
    assert_eq!(
        tok("She's the dogs' best friend."),
        ["She", "'s", "the", "dogs", "'", "best", "friend", "."]
    );
    assert_eq!(
        tok("''Double'' ``back``"),
        ["''", "Double", "''", "``", "back", "``"]
    );
}

#[test]
fn final_period_only() {
    assert_eq!(
        tok("Mr. Smith went to Washington."),
        ["Mr.", "Smith", "went", "to", "Washington", "."]
    );
    assert_eq!(
        tok("End with period and quote.\""),
        ["End", "with", "period", "and", "quote", ".", "''"]
    );
    assert_eq!(tok("Done.)  "), ["Done", ".", ")"]);
    assert_eq!(tok("a.b."), ["a.b", "."]);
    assert_eq!(
        tok("Ellipsis... and more..."),
        ["Ellipsis", "...", "and", "more", "..."]
    );
    assert_eq!(tok("..."), ["..."]);
}

#[test]
fn punctuation_and_numbers() {
    assert_eq!(
        tok("x,y, 1,000: 12:30 a:b"),
        ["x", ",", "y", ",", "1,000", ":", "12:30", "a", ":", "b"]
    );
}

#[test]
fn parentheses() {
    assert_eq!(
        tok("(roughly 3,36 euros) [a] {b} <c>"),
        ["(", "roughly", "3,36", "euros", ")", "[", "a", "]", "{", "b", "}", "<", "c", ">"]
    );
    let ptb = TreebankWordTokenizer {
        convert_parentheses: true,
    };
    assert_eq!(
        ptb.tokenize("(a) [b] {c}"),
        ["-LRB-", "a", "-RRB-", "-LSB-", "b", "-RSB-", "-LCB-", "c", "-RCB-"]
    );
}

#[test]
fn empty_and_whitespace() {
    assert!(tok("").is_empty());
    assert!(tok("   \t\n ").is_empty());
    // Python's str.split() also splits at U+001C..U+001F and U+3000.
    assert_eq!(tok("a\u{1f}b\u{3000}c"), ["a", "b", "c"]);
    assert!(TreebankWordTokenizer::default()
        .span_tokenize(" \n")
        .is_empty());
}

#[test]
fn spans_as_nltk() {
    let s = "He said \"don't\" (ok).";
    let spans = TreebankWordTokenizer::default().span_tokenize(s);
    assert_eq!(
        spans,
        [
            (0, 2),
            (3, 7),
            (8, 9),
            (9, 11),
            (11, 14),
            (14, 15),
            (16, 17),
            (17, 19),
            (19, 20),
            (20, 21)
        ]
    );
    // Byte offsets: `é` is two bytes.
    let s = "Café, s'il vous plaît.";
    let t = TreebankWordTokenizer::default();
    let pieces: Vec<&str> = t.span_tokenize(s).iter().map(|&(a, b)| &s[a..b]).collect();
    assert_eq!(pieces, t.tokenize(s));
}

#[test]
fn batch_equals_one_by_one() {
    let texts = ["I can't.", "\"Hi,\" she said.", "", "(ok)"];
    let t = TreebankWordTokenizer::default();
    let batch = t.tokenize_batch(&texts);
    let single: Vec<Vec<String>> = texts.iter().map(|s| t.tokenize(s)).collect();
    assert_eq!(batch, single);
}

// ---------------------------------------------------------------------------
// Synthetic strings (no data needed)
// ---------------------------------------------------------------------------

#[test]
fn fuzz_parity_with_nltk() {
    let path = std::env::var("TREEBANK_FUZZ")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| common::fixture("treebank/fuzz.jsonl"));
    let text = std::fs::read_to_string(&path).expect("fuzz fixture");
    let t = TreebankWordTokenizer::default();
    let ptb = TreebankWordTokenizer {
        convert_parentheses: true,
    };
    let (mut n, mut tok_bad, mut span_bad, mut spans_checked) = (0, 0, 0, 0);
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).unwrap();
        let input = row["text"].as_str().unwrap();
        let want: Vec<String> = serde_json::from_value(row["tokens"].clone()).unwrap();
        let want_ptb: Vec<String> = serde_json::from_value(row["ptb"].clone()).unwrap();
        let got = t.tokenize(input);
        let got_ptb = ptb.tokenize(input);
        n += 1;
        if got != want || got_ptb != want_ptb {
            tok_bad += 1;
            if tok_bad <= 10 {
                eprintln!(
                    "tokens differ for {input:?}\n  nltk {want:?}\n  ours {got:?}\n  \
                     nltk (ptb) {want_ptb:?}\n  ours (ptb) {got_ptb:?}"
                );
            }
            continue;
        }
        if let Some(spans) = row["spans"].as_array() {
            spans_checked += 1;
            let want: Vec<(usize, usize)> = spans
                .iter()
                .map(|s| {
                    (
                        s[0].as_u64().unwrap() as usize,
                        s[1].as_u64().unwrap() as usize,
                    )
                })
                .collect();
            let got: Vec<(usize, usize)> = t
                .span_tokenize(input)
                .into_iter()
                .map(|(a, b)| (char_offset(input, a), char_offset(input, b)))
                .collect();
            if got != want {
                span_bad += 1;
                if span_bad <= 10 {
                    eprintln!("spans differ for {input:?}\n  nltk {want:?}\n  ours {got:?}");
                }
            }
        }
    }
    println!(
        "fuzz: {n} strings, tokens identical {:.3}%, spans identical {:.3}% of {spans_checked}",
        100.0 * (n - tok_bad) as f64 / n as f64,
        100.0 * (spans_checked - span_bad) as f64 / spans_checked.max(1) as f64
    );
    assert!(n > 0);
    assert_eq!(tok_bad, 0, "token mismatches");
    assert_eq!(span_bad, 0, "span mismatches");
}

fn char_offset(s: &str, byte: usize) -> usize {
    s[..byte].chars().count()
}

// ---------------------------------------------------------------------------
// Real lines of the shared corpora (need $JOURNEY_DATA)
// ---------------------------------------------------------------------------

/// Checks every row of `fixtures/treebank/<name>.tsv` and asserts 100 %.
fn corpus_parity(name: &str, field: Field) {
    let fixture = common::fixture(&format!("treebank/{name}.tsv"));
    let table = std::fs::read_to_string(&fixture).expect("treebank fixture");
    let t = TreebankWordTokenizer::default();
    let (mut lines, mut total, mut same, mut samples) = (Vec::new(), 0usize, 0usize, 0usize);
    let mut bad_spans = 0;
    let mut file = String::new();
    for row in table.lines() {
        if row.starts_with('#') {
            continue;
        }
        if let Some(rel) = row.strip_prefix("@ ") {
            let Some(path) = common::data_file(rel) else {
                return; // skipped (or panicked when data is required)
            };
            lines = read_lines(&path, name == "mini_newsgroups");
            file = rel.to_owned();
            continue;
        }
        let mut cols = row.split('\t');
        let key = cols.next().unwrap();
        let want_hash = cols.next().expect("hash column");
        let want_tokens: Vec<&str> = cols.collect();
        let input = unit(&lines, key, field).unwrap_or_else(|| panic!("{file}: no unit {key}"));
        let got = t.tokenize(&input);
        total += 1;
        let ok = fnv32(&got) == want_hash && (want_tokens.is_empty() || got == want_tokens);
        // Spans: one per token, each slicing out the token (or the `"` or
        // `''` a quote token was made from).
        let spans = t.span_tokenize(&input);
        let spans_ok = spans.len() == got.len()
            && spans.iter().zip(&got).all(|(&(a, b), g)| {
                &input[a..b] == g
                    || (matches!(g.as_str(), "``" | "''") && matches!(&input[a..b], "\"" | "''"))
            });
        if !spans_ok {
            bad_spans += 1;
            eprintln!("{file}:{key}: spans {spans:?} do not cut {got:?} out of {input:?}");
        }
        samples += usize::from(!want_tokens.is_empty());
        if ok {
            same += 1;
        } else if total - same <= 10 {
            eprintln!("{file}:{key}: {input:?}");
            if !want_tokens.is_empty() {
                eprintln!("  nltk {want_tokens:?}");
            }
            eprintln!("  ours {got:?}");
        }
    }
    let rate = 100.0 * same as f64 / total.max(1) as f64;
    println!(
        "{name}: {same}/{total} lines identical to NLTK ({rate:.3}%), {samples} compared in full"
    );
    assert!(total > 0, "{name}: empty fixture");
    assert_eq!(
        same,
        total,
        "{name}: {} lines differ from NLTK",
        total - same
    );
    assert_eq!(bad_spans, 0, "{name}: spans that do not match their tokens");
}

/// FNV-1a 64 of the tokens joined by `\n`, folded to 32 bits, as 8 hex digits.
fn fnv32(tokens: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, t) in tokens.iter().enumerate() {
        let sep: &[u8] = if i == 0 { b"" } else { b"\n" };
        for &b in sep.iter().chain(t.as_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
}

#[test]
fn sst2_dev_parity() {
    corpus_parity("sst2_dev", Field::AfterTabs(1));
}

#[test]
fn ag_news_test_parity() {
    corpus_parity("ag_news_test", Field::Csv);
}

#[test]
fn sms_spam_parity() {
    corpus_parity("sms_spam", Field::AfterTabs(1));
}

#[test]
fn vader_tweets_parity() {
    corpus_parity("vader_tweets", Field::AfterTabs(2));
}

#[test]
fn kjv_parity() {
    corpus_parity("kjv", Field::Line);
}

#[test]
fn tinyshakespeare_parity() {
    corpus_parity("tinyshakespeare", Field::Line);
}

#[test]
fn mini_newsgroups_parity() {
    corpus_parity("mini_newsgroups", Field::Line);
}
