//! Punkt sentence segmentation: parity with NLTK 3.10.4.
//!
//! Fixtures come from `tools/reference/punkt_golden.py`; the document loaders
//! below rebuild the documents it used, with the same rules.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::Path;

use journey_text::punkt::{PunktParameters, PunktTrainer};
use journey_text::sentences::{sent_tokenize, PunktSentenceTokenizer};

// ------------------------------------------------------------------ unit cases
// Expected values are nltk.sent_tokenize's (NLTK 3.10.4, punkt_tab/english).

fn english() -> PunktSentenceTokenizer {
    PunktSentenceTokenizer::english()
}

#[test]
fn abbreviations_times_and_titles() {
    let text = "Mr. Smith went to Washington. He arrived at 3.15 p.m. on Monday.";
    assert_eq!(
        sent_tokenize(text),
        vec![
            "Mr. Smith went to Washington.",
            "He arrived at 3.15 p.m. on Monday."
        ]
    );
    assert_eq!(english().span_tokenize(text), vec![(0, 29), (30, 64)]);
    assert_eq!(
        sent_tokenize("Dr. J. R. R. Tolkien wrote it in 1954. It sold well."),
        vec!["Dr. J. R. R. Tolkien wrote it in 1954.", "It sold well."]
    );
    assert_eq!(
        sent_tokenize("The U.S. economy grew. Inc. is an abbreviation."),
        vec!["The U.S. economy grew.", "Inc. is an abbreviation."]
    );
    assert_eq!(
        sent_tokenize("Visit www.example.com. It is great."),
        vec!["Visit www.example.com.", "It is great."]
    );
}

#[test]
fn decimals_and_ordinals() {
    assert_eq!(
        sent_tokenize("The price rose 2.5% to $3.50. Analysts were surprised."),
        vec!["The price rose 2.5% to $3.50.", "Analysts were surprised."]
    );
    assert_eq!(
        sent_tokenize("It was the 3rd. of May. We met on the 4th. Then we left."),
        vec![
            "It was the 3rd.",
            "of May.",
            "We met on the 4th.",
            "Then we left."
        ]
    );
}

#[test]
fn ellipses_and_repeated_marks() {
    assert_eq!(
        sent_tokenize("Wait... what happened? I don't know... Nobody does!"),
        vec!["Wait... what happened?", "I don't know... Nobody does!"]
    );
    assert_eq!(
        sent_tokenize("Hello!!! Are you there??? Yes."),
        vec!["Hello!!!", "Are you there???", "Yes."]
    );
}

#[test]
fn quotes_and_brackets_are_realigned() {
    let tok = english();
    let text = "He said \"Stop.\" Then he left.";
    assert_eq!(
        tok.tokenize(text),
        vec!["He said \"Stop.\"", "Then he left."]
    );
    assert_eq!(
        tok.tokenize_with(text, false),
        vec!["He said \"Stop.", "\" Then he left."]
    );
    assert_eq!(
        tok.tokenize("She left -- \"Goodbye.\" -- and never came back."),
        vec!["She left -- \"Goodbye.\"", "-- and never came back."]
    );
    // NLTK's own doctest.
    let text = "(How does it deal with this parenthesis?)  \"It should be part of the previous sentence.\" \
                \"(And the same with this one.)\" ('And this one!') \"('(And (this)) '?)\" [(and this. )]";
    assert_eq!(
        tok.tokenize(text),
        vec![
            "(How does it deal with this parenthesis?)",
            "\"It should be part of the previous sentence.\"",
            "\"(And the same with this one.)\"",
            "('And this one!')",
            "\"('(And (this)) '?)\"",
            "[(and this. )]"
        ]
    );
    assert_eq!(
        tok.tokenize_with(text, false),
        vec![
            "(How does it deal with this parenthesis?",
            ")  \"It should be part of the previous sentence.",
            "\" \"(And the same with this one.",
            ")\" ('And this one!",
            "') \"('(And (this)) '?",
            ")\" [(and this.",
            ")]"
        ]
    );
}

#[test]
fn nltk_module_doctest() {
    let text = "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark sentence boundaries.  \
                And sometimes sentences\ncan start with non-capitalized words.  i is a good variable\nname.";
    assert_eq!(
        sent_tokenize(text),
        vec![
            "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark sentence boundaries.",
            "And sometimes sentences\ncan start with non-capitalized words.",
            "i is a good variable\nname."
        ]
    );
}

#[test]
fn empty_and_unterminated_text() {
    let tok = english();
    assert!(tok.tokenize("").is_empty());
    assert!(tok.tokenize("   \n ").is_empty());
    // As NLTK: without realignment the empty text is one empty sentence.
    assert_eq!(tok.tokenize_with("", false), vec![""]);
    assert_eq!(
        tok.tokenize("No full stop at the end"),
        vec!["No full stop at the end"]
    );
    assert_eq!(
        sent_tokenize("Ça va? Très bien. Merci beaucoup! À bientôt."),
        vec!["Ça va?", "Très bien.", "Merci beaucoup!", "À bientôt."]
    );
}

#[test]
fn trained_model_learns_abbreviations() {
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!(
            "Prof. Okafor met student number {i} in the lab. The experiment failed again. \
             Prof. Okafor was not amused. "
        ));
    }
    let tok = PunktSentenceTokenizer::train(&text);
    assert!(
        tok.params().abbrev_types.contains("prof"),
        "{:?}",
        tok.params().abbrev_types
    );
    assert_eq!(
        tok.tokenize("Prof. Okafor left. Nobody followed."),
        vec!["Prof. Okafor left.", "Nobody followed."]
    );
}

#[test]
fn parameters_json_and_punkt_tab_round_trip() {
    let params = PunktParameters::english();
    assert_eq!(params.abbrev_types.len(), 156);
    assert_eq!(params.collocations.len(), 37);
    assert_eq!(params.sent_starters.len(), 39);
    assert_eq!(params.ortho_context.len(), 20366);
    let dir = std::env::temp_dir().join(format!("journey-punkt-{}", std::process::id()));
    params.save_punkt_tab(&dir).unwrap();
    assert_eq!(PunktParameters::load_punkt_tab(&dir).unwrap(), params);
    let json = dir.join("english.json");
    params.save(&json).unwrap();
    assert_eq!(PunktParameters::load(&json).unwrap(), params);
    fs::remove_dir_all(&dir).unwrap();
    let err = PunktParameters::load(dir.join("missing.json")).unwrap_err();
    assert!(err.to_string().contains("missing.json"), "{err}");
}

// ------------------------------------------------------------------ documents

fn read_latin1(path: &Path) -> String {
    fs::read(path).unwrap().iter().map(|&b| b as char).collect()
}

fn read_utf8(path: &Path) -> String {
    fs::read_to_string(path).unwrap()
}

fn blank(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

fn lee_docs() -> Option<Vec<String>> {
    let mut docs = Vec::new();
    for rel in ["corpora/lee/lee_background.cor", "corpora/lee/lee.cor"] {
        let text = read_latin1(&common::data_file(rel)?);
        docs.extend(text.split('\n').filter(|l| !blank(l)).map(str::to_string));
    }
    Some(docs)
}

fn kjv_chapters() -> Option<Vec<String>> {
    let text = read_utf8(&common::data_file("corpora/kjv/kjv.txt")?);
    let mut chapters = Vec::new();
    let mut verses: Option<Vec<&str>> = None;
    for line in text.split('\n') {
        if blank(line) {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            if let Some(v) = verses.take().filter(|v| !v.is_empty()) {
                chapters.push(v.join(" "));
            }
            verses = Some(Vec::new());
            continue;
        }
        let (num, verse) = line.trim().split_once(' ').unwrap_or((line.trim(), ""));
        assert!(num.bytes().all(|b| b.is_ascii_digit()), "{line}");
        verses.get_or_insert_with(Vec::new).push(verse.trim());
    }
    if let Some(v) = verses.filter(|v| !v.is_empty()) {
        chapters.push(v.join(" "));
    }
    Some(chapters)
}

/// The third field of each row of a CSV whose fields are all quoted.
fn ag_news_docs() -> Option<Vec<String>> {
    let text = read_utf8(&common::data_file("classification/ag_news/test.csv")?);
    let mut docs = Vec::new();
    for line in text.lines() {
        let mut fields = Vec::new();
        let mut chars = line.chars().peekable();
        while chars.peek().is_some() {
            assert_eq!(chars.next(), Some('"'), "{line}");
            let mut field = String::new();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => panic!("unterminated field: {line}"),
                }
            }
            fields.push(field);
            if chars.peek() == Some(&',') {
                chars.next();
            }
        }
        docs.push(fields.swap_remove(2));
    }
    Some(docs)
}

fn sms_docs() -> Option<Vec<String>> {
    let text = read_utf8(&common::data_file("classification/sms_spam/sms.tsv")?);
    Some(
        text.split('\n')
            .filter(|l| !l.is_empty())
            .map(|l| l.split_once('\t').unwrap().1.to_string())
            .collect(),
    )
}

fn newsgroup_docs() -> Option<Vec<String>> {
    let root = common::data_file("classification/mini_newsgroups")?;
    let mut groups: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    groups.sort();
    let mut docs = Vec::new();
    for g in groups {
        let mut names: Vec<_> = fs::read_dir(root.join(&g))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        for name in names.iter().take(10) {
            docs.push(read_latin1(&root.join(&g).join(name)));
        }
    }
    Some(docs)
}

fn docs(name: &str) -> Option<Vec<String>> {
    match name {
        "lee" => lee_docs(),
        "agnews" => ag_news_docs(),
        "sms" => sms_docs(),
        "newsgroups" => newsgroup_docs(),
        "kjv" => Some(kjv_chapters()?.into_iter().step_by(10).collect()),
        _ => unreachable!(),
    }
}

fn training_text(corpus: &str) -> Option<String> {
    Some(match corpus {
        "lee" => read_latin1(&common::data_file("corpora/lee/lee_background.cor")?),
        "kjv" => kjv_chapters()?.join("\n\n"),
        "newsgroups" => newsgroup_docs()?.join("\n\n"),
        "wikitext" => read_utf8(&common::data_file("corpora/wikitext-2/valid.txt")?),
        "shakespeare" => read_utf8(&common::data_file("corpora/tinyshakespeare/input.txt")?),
        _ => unreachable!(),
    })
}

// ------------------------------------------------------------------ parity

type Spans = Vec<(usize, usize)>;

fn read_spans(name: &str) -> Vec<(usize, Spans)> {
    let text = fs::read_to_string(common::fixture(&format!("punkt/seg_{name}.txt"))).unwrap();
    text.lines()
        .map(|line| {
            let (len, spans) = line.split_once('\t').unwrap();
            let spans = spans
                .split_whitespace()
                .map(|s| {
                    let (a, b) = s.split_once(':').unwrap();
                    (a.parse().unwrap(), b.parse().unwrap())
                })
                .collect();
            (len.parse().unwrap(), spans)
        })
        .collect()
}

/// Compares our spans with NLTK's on every document; prints documents
/// identical and span precision / recall, and returns the share identical.
fn agreement(name: &str, tok: &PunktSentenceTokenizer, docs: &[String], realign: bool) -> f64 {
    let gold = read_spans(name);
    assert_eq!(
        gold.len(),
        docs.len(),
        "{name}: document count differs from the fixture"
    );
    let (mut same, mut hits, mut ours_n, mut gold_n) = (0, 0, 0, 0);
    let mut shown = 0;
    for (i, (doc, (len, want))) in docs.iter().zip(&gold).enumerate() {
        assert_eq!(
            doc.len(),
            *len,
            "{name}: document {i} differs from the one NLTK saw"
        );
        let got = tok.span_tokenize_with(doc, realign);
        if &got == want {
            same += 1;
        } else if shown < 3 {
            shown += 1;
            eprintln!("{name} doc {i}:\n  ours {got:?}\n  nltk {want:?}");
        }
        let want_set: HashSet<_> = want.iter().collect();
        hits += got.iter().filter(|s| want_set.contains(s)).count();
        ours_n += got.len();
        gold_n += want.len();
    }
    let rate = same as f64 / docs.len() as f64;
    println!(
        "{name}: {same}/{} documents identical ({:.2}%), sentence spans precision {:.4} recall {:.4} ({gold_n} NLTK sentences)",
        docs.len(),
        100.0 * rate,
        hits as f64 / ours_n.max(1) as f64,
        hits as f64 / gold_n.max(1) as f64,
    );
    rate
}

#[test]
fn english_model_agrees_with_nltk_sent_tokenize() {
    let tok = english();
    for set in ["lee", "agnews", "sms", "newsgroups", "kjv"] {
        let Some(docs) = docs(set) else { return };
        assert_eq!(
            agreement(&format!("english_{set}"), &tok, &docs, true),
            1.0,
            "{set}"
        );
    }
    let Some(docs) = docs("newsgroups") else {
        return;
    };
    assert_eq!(
        agreement("english_newsgroups_noalign", &tok, &docs, false),
        1.0
    );
}

#[derive(serde::Deserialize)]
struct TrainFixture {
    abbrev_types: BTreeSet<String>,
    collocations: BTreeSet<(String, String)>,
    sent_starters: BTreeSet<String>,
    ortho_context_count: usize,
    ortho_context_fnv1a64: String,
}

fn fnv1a64(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

fn check_trainer(corpus: &str) -> Option<PunktParameters> {
    let text = training_text(corpus)?;
    let path = common::fixture(&format!("punkt/train_{corpus}.json"));
    let want: TrainFixture = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let mut trainer = PunktTrainer::new();
    trainer.train(&text);
    let params = trainer.into_params();
    let abbrevs: BTreeSet<String> = params.abbrev_types.iter().cloned().collect();
    let collocs: BTreeSet<(String, String)> = params.collocations.iter().cloned().collect();
    let starters: BTreeSet<String> = params.sent_starters.iter().cloned().collect();
    let mut ortho: Vec<(&String, &u32)> = params
        .ortho_context
        .iter()
        .filter(|(_, &f)| f != 0)
        .collect();
    ortho.sort();
    let lines: String = ortho.iter().map(|(t, f)| format!("{t}\t{f}\n")).collect();
    println!(
        "train {corpus}: {} abbreviations, {} collocations, {} sentence starters, {} orthographic contexts",
        abbrevs.len(),
        collocs.len(),
        starters.len(),
        ortho.len()
    );
    assert_eq!(abbrevs, want.abbrev_types, "{corpus}: abbreviation types");
    assert_eq!(collocs, want.collocations, "{corpus}: collocations");
    assert_eq!(starters, want.sent_starters, "{corpus}: sentence starters");
    assert_eq!(
        ortho.len(),
        want.ortho_context_count,
        "{corpus}: orthographic context size"
    );
    assert_eq!(
        fnv1a64(lines.as_bytes()),
        want.ortho_context_fnv1a64,
        "{corpus}: orthographic contexts"
    );
    Some(params)
}

#[test]
fn trainer_learns_what_nltk_learns() {
    for corpus in ["lee", "newsgroups", "wikitext", "shakespeare", "kjv"] {
        let Some(params) = check_trainer(corpus) else {
            return;
        };
        if corpus == "lee" || corpus == "newsgroups" || corpus == "kjv" {
            let tok = PunktSentenceTokenizer::new(params);
            let docs = docs(corpus).unwrap();
            assert_eq!(
                agreement(&format!("{corpus}_{corpus}"), &tok, &docs, true),
                1.0
            );
        }
    }
}
