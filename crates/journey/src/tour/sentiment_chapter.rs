//! Tour chapter 2.2 — lexicon sentiment: VADER (Hutto & Gilbert 2014) and
//! Pattern/TextBlob polarity (De Smedt & Daelemans 2012) against the human
//! ratings of VADER's ground truth (4,200 tweets, 10,605 movie-review
//! snippets), plus a few sentences showing VADER's rules (negation, "but",
//! capitals, exclamation marks). Cost: O(tokens) per text for both scorers,
//! O(lexicon) memory.

use anyhow::Result;
use journey_data::readers::vader::{read_ground_truth, Rated};
use journey_ml::pattern_sentiment::{PatternAnalyzer, PatternConfig, PatternLexicon};
use journey_ml::vader::{EmojiLexicon, SentimentIntensityAnalyzer, VaderConfig, VaderLexicon};
use serde_json::{json, Value};

use super::{find_offline, skipped, SplitMix64, Tour};
use crate::report::{svg, Section};

/// Points per series drawn in the scatter plot (a seeded sample).
const PLOTTED: usize = 600;

/// Pearson's correlation coefficient.
fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len()) as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// Share of texts whose sign (positive / negative) matches the rating's.
fn sign_agreement(rating: &[f64], score: &[f64]) -> f64 {
    let hits = rating
        .iter()
        .zip(score)
        .filter(|(r, s)| (**r > 0.0) == (**s > 0.0))
        .count();
    hits as f64 / rating.len().max(1) as f64
}

pub fn run(ctx: &Tour) -> Result<(Section, Value)> {
    let mut sec = Section::new("ch2-2", "2.2 Lexicon sentiment");
    let mut facts = serde_json::Map::new();
    ctx.chapter("Chapter 2.2 — lexicon sentiment");
    sec.para(
        "Lexicon sentiment needs no training: each word has a valence rated by people, and rules \
         combine them. VADER adds boosters (\"very\"), negation (\"not good\" flips and damps), \
         \"but\" (what follows weighs more), ALL CAPS and exclamation marks; its compound score \
         is normalised to [-1, 1]. Pattern (TextBlob) averages adjective polarities.",
    );
    let lexicon = find_offline("vader-lexicon-3.3.2").or_else(|_| find_offline("vader-lexicon"));
    let lexicon = match lexicon.and_then(|p| {
        VaderLexicon::from_file(&p)
            .map(|l| (l, p.clone()))
            .map_err(|e| e.to_string())
    }) {
        Ok(l) => l,
        Err(why) => {
            skipped(ctx, &mut sec, "Chapter 2.2", &why);
            facts.insert("skipped".into(), json!(why));
            return Ok((sec, Value::Object(facts)));
        }
    };
    ctx.say(format!(
        "VADER lexicon: {} entries from {}",
        lexicon.0.len(),
        lexicon.1.display()
    ));
    sec.para(format!(
        "VADER lexicon: {} entries, read from {}.",
        lexicon.0.len(),
        lexicon.1.display()
    ));
    let (emojis, emoji) = match find_offline("vader-emoji-lexicon")
        .and_then(|p| EmojiLexicon::from_file(&p).map_err(|e| e.to_string()))
    {
        Ok(e) => (e, true),
        Err(why) => {
            ctx.say(format!("emoji left as they are: {why}"));
            sec.para(
                "The emoji lexicon (vader-emoji-lexicon) is not in the data folder, so emoji are \
                 left as they are (as `journey sentiment vader --no-emoji`).",
            );
            (EmojiLexicon::default(), false)
        }
    };
    let vader = SentimentIntensityAnalyzer::new(
        lexicon.0,
        emojis,
        VaderConfig {
            emoji,
            ..Default::default()
        },
    );
    let pattern = match find_offline("textblob-lexicon")
        .and_then(|p| PatternLexicon::from_file(&p).map_err(|e| e.to_string()))
    {
        Ok(l) => Some(PatternAnalyzer::new(l, PatternConfig::default())),
        Err(why) => {
            skipped(ctx, &mut sec, "Pattern polarity", &why);
            None
        }
    };

    // ── The rules, one sentence at a time ──────────────────────────────────
    ctx.step(
        "VADER's rules",
        "The same sentence with negation, \"but\", capitals and exclamation marks.",
    );
    let examples = [
        "The food is good.",
        "The food is not good.",
        "The food is very good.",
        "The food is GOOD.",
        "The food is good!!!",
        "The food is good, but the service is horrible.",
        "The service is horrible, but the food is good.",
        "The food isn't bad at all.",
    ];
    let mut table = Vec::new();
    for e in examples {
        let v = vader.polarity_scores(e);
        let p = pattern.as_ref().map(|a| a.sentiment(e).polarity);
        ctx.say(format!(
            "{e:<50} VADER {:+.4}{}",
            v.compound,
            p.map(|p| format!("  Pattern {p:+.3}")).unwrap_or_default()
        ));
        table.push(vec![
            e.to_string(),
            format!("{:+.4}", v.compound),
            format!("{:.3} / {:.3} / {:.3}", v.neg, v.neu, v.pos),
            p.map(|p| format!("{p:+.3}")).unwrap_or_else(|| "–".into()),
        ]);
    }
    sec.table(
        &[
            "sentence",
            "VADER compound",
            "VADER neg / neu / pos",
            "Pattern polarity",
        ],
        table,
    );

    // ── Against human ratings ─────────────────────────────────────────────
    ctx.step(
        "Against human ratings",
        "Pearson r between each score and the mean rating (-4…+4) of about 20 people per text.",
    );
    let mut table = Vec::new();
    let mut bars = Vec::new();
    let mut rng = SplitMix64(ctx.args.seed ^ 0x5e47);
    for (name, label) in [
        ("vader-tweets", "tweets"),
        ("vader-movies", "movie snippets"),
    ] {
        let rated: Vec<Rated> = match find_offline(name) {
            Ok(p) => read_ground_truth(&p)?,
            Err(why) => {
                skipped(ctx, &mut sec, label, &why);
                continue;
            }
        };
        let texts: Vec<&str> = rated.iter().map(|r| r.text.as_str()).collect();
        let rating: Vec<f64> = rated.iter().map(|r| r.rating).collect();
        let compound: Vec<f64> = vader
            .polarity_scores_batch(&texts)
            .iter()
            .map(|s| s.compound)
            .collect();
        let r_vader = pearson(&rating, &compound);
        let agree_vader = sign_agreement(&rating, &compound);
        let polarity: Option<Vec<f64>> = pattern.as_ref().map(|a| {
            a.sentiment_batch(&texts)
                .iter()
                .map(|s| s.polarity)
                .collect()
        });
        let r_pattern = polarity.as_ref().map(|p| pearson(&rating, p));
        let agree_pattern = polarity.as_ref().map(|p| sign_agreement(&rating, p));
        ctx.say(format!(
            "{label} ({}): VADER r = {r_vader:.3}, sign agrees {:.1}%{}",
            texts.len(),
            100.0 * agree_vader,
            r_pattern
                .map(|r| format!(
                    "; Pattern r = {r:.3}, sign agrees {:.1}%",
                    100.0 * agree_pattern.unwrap_or(0.0)
                ))
                .unwrap_or_default()
        ));
        table.push(vec![
            format!("{label} ({})", texts.len()),
            format!("{r_vader:.3}"),
            format!("{:.1}%", 100.0 * agree_vader),
            r_pattern
                .map(|r| format!("{r:.3}"))
                .unwrap_or_else(|| "–".into()),
            agree_pattern
                .map(|a| format!("{:.1}%", 100.0 * a))
                .unwrap_or_else(|| "–".into()),
        ]);
        bars.push((
            format!("VADER, {label}"),
            (r_vader * 1000.0).round() / 1000.0,
        ));
        if let Some(r) = r_pattern {
            bars.push((format!("Pattern, {label}"), (r * 1000.0).round() / 1000.0));
        }
        facts.insert(
            label.replace(' ', "_"),
            json!({"texts": texts.len(), "vader_r": r_vader, "vader_sign_agreement": agree_vader,
                   "pattern_r": r_pattern, "pattern_sign_agreement": agree_pattern}),
        );
        if name == "vader-tweets" {
            // A seeded sample keeps the figure small.
            let mut idx: Vec<usize> = (0..texts.len()).collect();
            for i in (1..idx.len()).rev() {
                idx.swap(i, rng.below(i + 1));
            }
            idx.truncate(PLOTTED);
            let mut series = vec![(
                "VADER compound".to_string(),
                idx.iter().map(|&i| (rating[i], compound[i])).collect(),
            )];
            if let Some(p) = &polarity {
                series.push((
                    "Pattern polarity".to_string(),
                    idx.iter().map(|&i| (rating[i], p[i])).collect(),
                ));
            }
            sec.figure(
                "sentiment-tweets.svg",
                &format!(
                    "Scores against the human rating, {} of the {} tweets drawn with the seed",
                    idx.len(),
                    texts.len()
                ),
                svg::scatter(
                    "Tweets: score vs human rating",
                    &series,
                    (-4.0, 4.0),
                    (-1.0, 1.0),
                    "mean human rating",
                    "score",
                ),
            );
        }
    }
    if !table.is_empty() {
        sec.table(
            &[
                "texts",
                "VADER r",
                "VADER sign agrees",
                "Pattern r",
                "Pattern sign agrees",
            ],
            table,
        );
        sec.figure(
            "sentiment-correlation.svg",
            "Pearson r with the human ratings",
            svg::bar_chart("Correlation with human ratings", &bars, "Pearson r"),
        );
    }
    Ok((sec, Value::Object(facts)))
}
