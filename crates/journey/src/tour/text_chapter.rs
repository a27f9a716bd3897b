//! Tour chapter 1.2 — text preprocessing on the corpus: normalisation,
//! sentence segmentation, word tokenization, stop words, stemming,
//! lemmatization and n-grams, each compared where it teaches something.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use journey_text::lemmatizer::WordNetLemmatizer;
use journey_text::ngrams::{char_wb_ngrams, word_ngrams};
use journey_text::normalize::{NormalizeConfig, Normalizer, Punctuation, UnicodeForm};
use journey_text::porter::PorterStemmer;
use journey_text::porter2::Porter2Stemmer;
use journey_text::sentences::PunktSentenceTokenizer;
use journey_text::stopwords::StopWords;
use journey_text::treebank::TreebankWordTokenizer;
use journey_text::unicode_words::UnicodeWordTokenizer;
use journey_text::wordnet::Pos;
use journey_text::{Stemmer, Tokenizer};
use rayon::prelude::*;
use serde_json::{json, Value};

use super::{SplitMix64, Tour};
use crate::report::{escape, svg, Section};

pub fn run(ctx: &Tour) -> Result<(Section, Value)> {
    let mut sec = Section::new("ch1-2", "1.2 Text preprocessing");
    let mut facts = serde_json::Map::new();
    let docs = &ctx.corpus.docs;
    let mut rng = SplitMix64(ctx.args.seed);
    ctx.chapter("Chapter 1.2 — text preprocessing");
    sec.para(
        "Before a model can count or embed text, the text has to become units: \
              normalised characters, sentences, words, and word forms folded together. \
              Each step below runs on the whole corpus.",
    );

    // ── Normalisation ──────────────────────────────────────────────────────
    ctx.step(
        "Normalisation",
        "Unicode NFC/NFKC, case folding, accent stripping, punctuation and whitespace cleanup.",
    );
    let examples = [
        "ﬁne café — “quoted”…",
        "Crème Brûlée\u{200B}  at\tZÜRICH",
        "Ｆｕｌｌ-width ＡＢＣ and x² ",
    ];
    let nfkc_lower = Normalizer::new(NormalizeConfig {
        form: UnicodeForm::Nfkc,
        lowercase: true,
        strip_accents: true,
        clean_whitespace: true,
        punctuation: Punctuation::Standardize,
    });
    let nfc = Normalizer::default();
    let mut rows = Vec::new();
    for e in examples {
        let a = nfc.normalize(e);
        let b = nfkc_lower.normalize(e);
        ctx.say(format!(
            "{e:?} → NFC {a:?} → NFKC+lower+accents+punct {b:?}"
        ));
        rows.push(vec![format!("{e:?}"), format!("{a:?}"), format!("{b:?}")]);
    }
    sec.table(
        &[
            "input",
            "NFC + whitespace",
            "NFKC, lower, no accents, ASCII punctuation",
        ],
        rows,
    );
    let non_ascii: usize = docs
        .par_iter()
        .map(|d| d.1.chars().filter(|c| !c.is_ascii()).count())
        .sum();
    // How many documents each step alone would change.
    let only = |config: NormalizeConfig| Normalizer::new(config);
    let bare = NormalizeConfig {
        form: UnicodeForm::None,
        clean_whitespace: false,
        ..Default::default()
    };
    let steps = [
        (
            "NFC",
            only(NormalizeConfig {
                form: UnicodeForm::Nfc,
                ..bare.clone()
            }),
        ),
        (
            "NFKC",
            only(NormalizeConfig {
                form: UnicodeForm::Nfkc,
                ..bare.clone()
            }),
        ),
        (
            "lower-casing",
            only(NormalizeConfig {
                lowercase: true,
                ..bare.clone()
            }),
        ),
        (
            "accent stripping",
            only(NormalizeConfig {
                strip_accents: true,
                ..bare.clone()
            }),
        ),
        (
            "whitespace cleanup",
            only(NormalizeConfig {
                clean_whitespace: true,
                ..bare.clone()
            }),
        ),
        (
            "punctuation removal",
            only(NormalizeConfig {
                punctuation: Punctuation::Remove,
                ..bare.clone()
            }),
        ),
    ];
    let mut rows = Vec::new();
    for (name, n) in &steps {
        let changed = docs.par_iter().filter(|d| n.normalize(&d.1) != d.1).count();
        ctx.say(format!(
            "{name}: changes {changed} of {} documents",
            docs.len()
        ));
        rows.push(vec![name.to_string(), changed.to_string()]);
    }
    sec.para(format!(
        "On the corpus ({non_ascii} non-ASCII characters), each step alone changes this many of the {} documents:",
        docs.len()
    ));
    sec.table(&["step", "documents changed"], rows);
    facts.insert("non_ascii_chars".into(), json!(non_ascii));

    // ── Sentences ──────────────────────────────────────────────────────────
    ctx.step(
        "Sentence segmentation",
        "Punkt (Kiss & Strunk 2006): a period ends a sentence unless it follows an abbreviation, an initial or a number.",
    );
    let punkt = PunktSentenceTokenizer::english();
    let tb = TreebankWordTokenizer::default();
    let per_doc: Vec<Vec<String>> = docs
        .par_iter()
        .map(|d| {
            punkt
                .tokenize(&d.1)
                .into_iter()
                .map(|s| s.to_string())
                .collect()
        })
        .collect();
    let n_sentences: usize = per_doc.iter().map(Vec::len).sum();
    let lengths: Vec<usize> = per_doc
        .par_iter()
        .flat_map_iter(|ss| ss.iter().map(|s| tb.tokenize(s).len()).collect::<Vec<_>>())
        .collect();
    let mean_len = lengths.iter().sum::<usize>() as f64 / lengths.len().max(1) as f64;
    ctx.say(format!(
        "{n_sentences} sentences in {} documents; {mean_len:.1} tokens per sentence on average",
        docs.len()
    ));
    let multi: Vec<usize> = (0..docs.len()).filter(|&i| per_doc[i].len() >= 3).collect();
    if !multi.is_empty() {
        let i = multi[rng.below(multi.len())];
        ctx.say(format!("example, {}:", docs[i].0));
        let mut html = format!("<p>{} — {}</p><ol>", escape(&docs[i].0), escape(&docs[i].1));
        for s in &per_doc[i] {
            ctx.say(format!("  • {s}"));
            html.push_str(&format!("<li>{}</li>", escape(s)));
        }
        html.push_str("</ol>");
        sec.html(html);
    }
    sec.figure(
        "sentence-lengths.svg",
        "Sentence lengths in Treebank tokens (Punkt sentences)",
        svg::histogram("Sentence length", &lengths, 80, "tokens per sentence"),
    );
    facts.insert("sentences".into(), json!(n_sentences));
    facts.insert("mean_sentence_tokens".into(), json!(mean_len));

    // ── Word tokenization ─────────────────────────────────────────────────
    ctx.step(
        "Word tokenization",
        "Penn Treebank rules (as NLTK) split clitics and punctuation; UAX #29 word boundaries work for any script.",
    );
    let uax = UnicodeWordTokenizer::default();
    let tokens: Vec<Vec<String>> = docs.par_iter().map(|d| tb.tokenize(&d.1)).collect();
    let uax_count: usize = docs.par_iter().map(|d| uax.tokenize(&d.1).len()).sum();
    let n_tokens: usize = tokens.iter().map(Vec::len).sum();
    let mut freq: HashMap<String, u64> = HashMap::new();
    for t in tokens.iter().flatten() {
        *freq.entry(t.to_lowercase()).or_default() += 1;
    }
    let mut ranked: Vec<(&String, &u64)> = freq.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    ctx.say(format!(
        "Treebank: {n_tokens} tokens, {} lower-cased types; UAX #29: {uax_count} word tokens (no punctuation)",
        freq.len()
    ));
    let i = rng.below(docs.len());
    let sample = &docs[i].1;
    let tb_sample = tb.tokenize(sample);
    let uax_sample = uax.tokenize(sample);
    ctx.say(format!("{}: {}", docs[i].0, tb_sample.join(" | ")));
    let chips = |toks: &[String]| -> String {
        toks.iter()
            .map(|t| format!("<span class=\"tok\">{}</span>", escape(t)))
            .collect()
    };
    sec.html(format!(
        "<p>{}: {}</p><p>Treebank ({} tokens): {}</p><p>UAX #29 ({} tokens): {}</p>",
        escape(&docs[i].0),
        escape(sample),
        tb_sample.len(),
        chips(&tb_sample),
        uax_sample.len(),
        chips(&uax_sample)
    ));
    sec.table(
        &["tokenizer", "tokens", "types (lower-cased)"],
        vec![
            vec![
                "Penn Treebank (NLTK rules)".into(),
                n_tokens.to_string(),
                freq.len().to_string(),
            ],
            vec!["UAX #29 words".into(), uax_count.to_string(), "-".into()],
        ],
    );
    let zipf: Vec<(f64, f64)> = ranked
        .iter()
        .enumerate()
        .map(|(r, (_, &c))| ((r + 1) as f64, c as f64))
        .collect();
    let ideal: Vec<(f64, f64)> = zipf.iter().map(|&(r, _)| (r, zipf[0].1 / r)).collect();
    sec.figure(
        "zipf.svg",
        "Zipf's law: token frequency against rank, with the 1/rank line",
        svg::loglog(
            "Rank-frequency (Treebank tokens)",
            &[("corpus".into(), zipf), ("f(1)/rank".into(), ideal)],
            "rank",
            "frequency",
        ),
    );
    facts.insert("treebank_tokens".into(), json!(n_tokens));
    facts.insert("types".into(), json!(freq.len()));
    facts.insert("uax29_tokens".into(), json!(uax_count));

    // ── Stop words ─────────────────────────────────────────────────────────
    ctx.step(
        "Stop words",
        "NLTK's English list: frequent function words that carry little topic.",
    );
    let stop = StopWords::builtin("english")?;
    let is_word = |w: &str| w.chars().any(char::is_alphabetic);
    let stop_tokens: u64 = ranked
        .iter()
        .filter(|(w, _)| stop.contains(w))
        .map(|(_, &c)| c)
        .sum();
    let share = stop_tokens as f64 / n_tokens.max(1) as f64;
    let top_all: Vec<(String, f64)> = ranked
        .iter()
        .filter(|(w, _)| is_word(w))
        .take(15)
        .map(|(w, &c)| (w.to_string(), c as f64))
        .collect();
    let top_content: Vec<(String, f64)> = ranked
        .iter()
        .filter(|(w, _)| is_word(w) && !stop.contains(w))
        .take(15)
        .map(|(w, &c)| (w.to_string(), c as f64))
        .collect();
    ctx.say(format!(
        "{} stop words cover {:.1}% of all tokens; top content words: {}",
        stop.len(),
        100.0 * share,
        top_content
            .iter()
            .take(8)
            .map(|w| w.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    sec.para(format!(
        "The {} stop words of NLTK's English list make up {:.1}% of the tokens.",
        stop.len(),
        100.0 * share
    ));
    sec.figure(
        "top-words.svg",
        "Most frequent words",
        svg::bar_chart("Top words (all)", &top_all, "occurrences"),
    );
    sec.figure(
        "top-content-words.svg",
        "Most frequent words once stop words are removed",
        svg::bar_chart(
            "Top words (stop words removed)",
            &top_content,
            "occurrences",
        ),
    );
    facts.insert("stopword_token_share".into(), json!(share));

    // ── Stemming and lemmatization ────────────────────────────────────────
    ctx.step(
        "Stemming and lemmatization",
        "Porter (1980) and Snowball English strip suffixes by rule; WordNet's morphy maps a form to a dictionary lemma.",
    );
    let words: Vec<&str> = ranked
        .iter()
        .map(|(w, _)| w.as_str())
        .filter(|w| w.chars().all(char::is_alphabetic))
        .collect();
    let porter: Vec<String> = words.par_iter().map(|w| PorterStemmer.stem(w)).collect();
    let porter2: Vec<String> = words.par_iter().map(|w| Porter2Stemmer.stem(w)).collect();
    let distinct = |v: &[String]| v.iter().collect::<HashSet<_>>().len();
    let mut sizes = vec![
        ("word types".to_string(), words.len() as f64),
        ("Porter stems".to_string(), distinct(&porter) as f64),
        ("Porter2 stems".to_string(), distinct(&porter2) as f64),
    ];
    let lemmas: Option<Vec<String>> =
        match crate::commands::text::wordnet_dir(ctx.args.wordnet.clone())
            .and_then(|dir| Ok(WordNetLemmatizer::open(&dir)?))
        {
            Ok(lem) => Some(
                words
                    .par_iter()
                    .map(|w| {
                        // A verb reading wins when it changes the word ("begat" → "beget").
                        let v = lem.lemmatize(w, Pos::Verb);
                        if v != *w {
                            v
                        } else {
                            lem.lemmatize(w, Pos::Noun)
                        }
                    })
                    .collect(),
            ),
            Err(e) => {
                ctx.say(format!("lemmatization skipped: {e:#}"));
                sec.para(format!("Lemmatization skipped: {e:#}"));
                None
            }
        };
    if let Some(l) = &lemmas {
        sizes.push(("WordNet lemmas".to_string(), distinct(l) as f64));
    }
    for (name, n) in &sizes {
        ctx.say(format!("{name}: {n}"));
    }
    let mut rows = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let lemma = lemmas.as_ref().map(|l| l[i].as_str()).unwrap_or("-");
        if porter[i] != porter2[i] || (lemma != "-" && lemma != porter2[i] && lemma != *w) {
            rows.push(vec![
                w.to_string(),
                porter[i].clone(),
                porter2[i].clone(),
                lemma.to_string(),
            ]);
        }
        if rows.len() == 14 {
            break;
        }
    }
    for r in rows.iter().take(6) {
        ctx.say(format!(
            "{:<14} porter {:<12} porter2 {:<12} lemma {}",
            r[0], r[1], r[2], r[3]
        ));
    }
    sec.table(&["word", "Porter", "Porter2", "WordNet lemma"], rows);
    let steps_word = "generously";
    let steps: Vec<String> = Porter2Stemmer
        .stem_steps(steps_word)
        .into_iter()
        .map(|(step, form)| format!("{step}: {form}"))
        .collect();
    sec.pre(format!(
        "Porter2 step by step on \"{steps_word}\":\n{}",
        steps.join("\n")
    ));
    sec.figure(
        "vocabulary.svg",
        "Vocabulary size after folding word forms",
        svg::bar_chart("Distinct forms", &sizes, "types"),
    );
    facts.insert(
        "vocabulary".into(),
        json!(sizes
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect::<HashMap<_, _>>()),
    );

    // ── n-grams ───────────────────────────────────────────────────────────
    ctx.step(
        "n-grams",
        "Contiguous word and character sequences: the features of chapter 1.3.",
    );
    let lower: Vec<Vec<String>> = tokens
        .par_iter()
        .map(|t| t.iter().map(|w| w.to_lowercase()).collect())
        .collect();
    let mut bigrams: HashMap<String, u64> = HashMap::new();
    let mut content: HashMap<String, u64> = HashMap::new();
    for t in &lower {
        for g in word_ngrams(t, 2, 2) {
            let (a, b) = g.split_once(' ').unwrap_or((&g, ""));
            if is_word(a) && is_word(b) && !stop.contains(a) && !stop.contains(b) {
                *content.entry(g.clone()).or_default() += 1;
            }
            *bigrams.entry(g).or_default() += 1;
        }
    }
    let top = |m: &HashMap<String, u64>, k: usize| -> Vec<(String, f64)> {
        let mut v: Vec<(&String, &u64)> = m.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        v.into_iter()
            .take(k)
            .map(|(g, &c)| (g.clone(), c as f64))
            .collect()
    };
    let top_content_bigrams = top(&content, 15);
    let char_types: HashSet<String> = docs
        .iter()
        .take(2000)
        .flat_map(|d| char_wb_ngrams(&d.1.to_lowercase(), 3, 3))
        .collect();
    ctx.say(format!(
        "{} distinct word bigrams; top content bigrams: {}",
        bigrams.len(),
        top_content_bigrams
            .iter()
            .take(6)
            .map(|g| g.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    ctx.say(format!(
        "{} distinct character 3-grams (char_wb) in the first 2,000 documents",
        char_types.len()
    ));
    sec.para(format!(
        "{} distinct word bigrams; {} distinct character trigrams (inside word boundaries) in the first 2,000 documents.",
        bigrams.len(),
        char_types.len()
    ));
    sec.figure(
        "bigrams.svg",
        "Most frequent bigrams without stop words",
        svg::bar_chart("Top content bigrams", &top_content_bigrams, "occurrences"),
    );
    facts.insert("distinct_bigrams".into(), json!(bigrams.len()));
    facts.insert(
        "top_content_bigrams".into(),
        json!(top_content_bigrams.iter().map(|g| &g.0).collect::<Vec<_>>()),
    );
    Ok((sec, Value::Object(facts)))
}
