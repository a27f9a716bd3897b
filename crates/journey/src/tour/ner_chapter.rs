//! Tour chapter 2.3 — named-entity recognition on CoNLL-2003 (Tjong Kim Sang
//! & De Meulder 2003): an averaged-perceptron tagger (Collins 2002) over
//! hand-made features, scored like conlleval, sample sentences coloured by
//! entity type, and the rule-based tagger (regular expressions) on text the
//! learned model never sees in news: dates, money, e-mail addresses, URLs.
//! Cost: O(epochs × tokens × features) to train; a few seconds on the
//! subset the tour uses (`journey ner train` runs on all of eng.train).

use std::fmt::Write as _;

use anyhow::Result;
use journey_ml::averaged_perceptron::PerceptronConfig;
use journey_ml::ner_corpus::{read_ner, NerSentence};
use journey_ml::ner_rules::RuleTagger;
use journey_ml::ner_tagger::{ModelKind, NerTagger, NerTrainConfig};
use journey_ml::tag_scheme::spans;
use journey_text::treebank::TreebankWordTokenizer;
use serde_json::{json, Value};

use super::{find_offline, skipped, Tour};
use crate::report::{escape, svg, Section};

/// Training sentences: a subset, so the tour stays quick in any build.
const TRAIN: usize = 2000;
/// Test sentences scored (from eng.testb, the held-out test set).
const TEST: usize = 600;
const EPOCHS: usize = 3;
/// Sample sentences shown with their entities coloured.
const SAMPLES: usize = 6;

/// Background colour per CoNLL entity type.
fn colour(kind: &str) -> &'static str {
    match kind {
        "PER" => "#cfe8ff",
        "ORG" => "#ffe2b8",
        "LOC" => "#d4f5d0",
        "MISC" => "#eedcff",
        _ => "#f2f2b0",
    }
}

/// The words of a sentence as HTML with each entity span highlighted.
fn highlight(words: &[String], tags: &[String]) -> String {
    let mut html = String::new();
    let mut i = 0;
    let found = spans(tags);
    let mut next = found.iter().peekable();
    while i < words.len() {
        if let Some(s) = next.peek().filter(|s| s.start == i) {
            let text: Vec<&str> = words[s.start..s.end].iter().map(String::as_str).collect();
            let _ = write!(
                html,
                "<mark style=\"background:{}\">{} <sub>{}</sub></mark> ",
                colour(&s.kind),
                escape(&text.join(" ")),
                escape(&s.kind)
            );
            i = s.end;
            next.next();
        } else {
            let _ = write!(html, "{} ", escape(&words[i]));
            i += 1;
        }
    }
    html.trim_end().to_string()
}

pub fn run(ctx: &Tour) -> Result<(Section, Value)> {
    let mut sec = Section::new("ch2-3", "2.3 Named-entity recognition");
    let mut facts = serde_json::Map::new();
    ctx.chapter("Chapter 2.3 — named-entity recognition");
    sec.para(
        "Named-entity recognition labels each token as the beginning, inside or outside of a \
         person (PER), organisation (ORG), location (LOC) or other name (MISC). A sequence \
         model learns this from tagged news (CoNLL-2003); scoring is by whole entities, as \
         conlleval does: an entity counts only when its type and both ends are right.",
    );
    let (train_path, test_path) = match find_offline("conll2003-train")
        .and_then(|t| Ok((t, find_offline("conll2003-testb")?)))
    {
        Ok(p) => p,
        Err(why) => {
            skipped(ctx, &mut sec, "Chapter 2.3", &why);
            facts.insert("skipped".into(), json!(why));
            return Ok((sec, Value::Object(facts)));
        }
    };
    let mut train = read_ner(&train_path)?;
    let mut test = read_ner(&test_path)?;
    // -DOCSTART- lines are document separators, not sentences.
    let real = |s: &NerSentence| !s.words.is_empty() && s.words[0] != "-DOCSTART-";
    train.retain(real);
    test.retain(real);
    train.truncate(TRAIN);
    test.truncate(TEST);
    let tokens: usize = train.iter().map(|s| s.words.len()).sum();

    ctx.step(
        "Averaged perceptron",
        "Viterbi-decode each sentence; where it is wrong, reward the gold features and penalise the predicted ones.",
    );
    let config = NerTrainConfig {
        model: ModelKind::Perceptron,
        perceptron: PerceptronConfig {
            epochs: EPOCHS,
            seed: ctx.args.seed,
        },
        ..Default::default()
    };
    let tagger = NerTagger::fit(&train, None, &config, None, None, |_, _| Ok(()))?;
    let eval = tagger.evaluate(&test)?;
    ctx.say(format!(
        "trained on {} sentences ({tokens} tokens), {EPOCHS} epochs; eng.testb ({} sentences): \
         precision {:.3}, recall {:.3}, F1 {:.3}",
        train.len(),
        test.len(),
        eval.overall.precision,
        eval.overall.recall,
        eval.overall.f1
    ));
    sec.para(format!(
        "An averaged perceptron over word shape, affixes, capitalisation and the neighbouring \
         words, trained on the first {} sentences of eng.train ({tokens} tokens, {EPOCHS} epochs, \
         seed {}) to keep the tour quick, then scored on the first {} sentences of eng.testb. \
         On all of eng.train, `journey ner train` reaches F1 ≈ 0.85 (perceptron) and 0.84 (CRF).",
        train.len(),
        ctx.args.seed,
        test.len()
    ));
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for (kind, s) in eval
        .per_type
        .iter()
        .chain(std::iter::once((&"overall".to_string(), &eval.overall)))
    {
        rows.push(vec![
            kind.clone(),
            s.gold.to_string(),
            s.predicted.to_string(),
            format!("{:.3}", s.precision),
            format!("{:.3}", s.recall),
            format!("{:.3}", s.f1),
        ]);
        bars.push((kind.clone(), s.f1));
    }
    sec.table(
        &["type", "gold", "predicted", "precision", "recall", "F1"],
        rows,
    );
    sec.figure(
        "ner-f1.svg",
        "Entity-level F1 per type on eng.testb (conlleval scoring).",
        svg::bar_chart("NER F1 per entity type", &bars, ""),
    );

    ctx.step(
        "Tagged sentences",
        "Gold entities on the left, the model's on the right.",
    );
    let mut html = String::from("<table><tr><th>gold</th><th>predicted</th></tr>");
    let mut shown = 0;
    for s in test
        .iter()
        .filter(|s| s.words.len() >= 8 && spans(&s.tags).len() >= 2)
    {
        let predicted = tagger.predict(&s.words, &s.extra);
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td></tr>",
            highlight(&s.words, &s.tags),
            highlight(&s.words, &predicted)
        );
        shown += 1;
        if shown == SAMPLES {
            break;
        }
    }
    html.push_str("</table>");
    sec.html(html);

    ctx.step(
        "Rules",
        "Regular expressions catch what news models rarely see: dates, money, e-mail, URLs.",
    );
    let text = "Payment of $1,250.00 is due on 12 March 2026; write to billing@example.org or see \
                https://example.org/invoices before 5 p.m.";
    let offsets = TreebankWordTokenizer::new().span_tokenize(text);
    let rules = RuleTagger::with_default_regexes();
    let found = rules.find(text, &offsets);
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|e| {
            vec![
                e.kind.clone(),
                e.text.clone(),
                format!("{}..{}", e.start, e.end),
            ]
        })
        .collect();
    for e in &found {
        ctx.say(format!("  {:<8} {}", e.kind, e.text));
    }
    sec.para(format!("Rule-based entities in: \u{201c}{text}\u{201d}"));
    sec.table(&["type", "text", "bytes"], rows);

    facts.insert("train_sentences".into(), json!(train.len()));
    facts.insert("test_sentences".into(), json!(test.len()));
    facts.insert("f1".into(), json!(eval.overall.f1));
    facts.insert(
        "per_type_f1".into(),
        json!(eval
            .per_type
            .iter()
            .map(|(k, s)| (k.clone(), json!(s.f1)))
            .collect::<serde_json::Map<_, _>>()),
    );
    facts.insert(
        "rule_entities".into(),
        json!(found
            .iter()
            .map(|e| json!({"type": e.kind, "text": e.text}))
            .collect::<Vec<_>>()),
    );
    Ok((sec, Value::Object(facts)))
}
