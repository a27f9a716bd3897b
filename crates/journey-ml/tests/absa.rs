//! Aspect-based sentiment on SemEval-2014 Task 4 (Restaurants and Laptops,
//! train → gold test). The task's baseline extractor lands on the F1 that the
//! task paper reports for it (Pontiki et al. 2014, Table 4 of the results:
//! Restaurants 47.15, Laptops 35.64); the copies of the train sets in the
//! shared data are a later revision (3,044 and 3,048 sentences instead of
//! 3,041 and 3,045), which moves one or two predictions, hence the tolerance.
//! The learned gazetteer must beat that baseline clearly, and VADER on the
//! gold terms must beat the train majority class. The learned models (CRF
//! extraction, logistic-regression polarity) are compared with
//! python-crfsuite and scikit-learn on the same features.

use journey_data::readers::semeval::{read_semeval, AbsaSentence};
use journey_ml::absa::{evaluate, AbsaConfig};
use journey_ml::absa_learned::{LearnedAbsa, LearnedAbsaConfig};
use journey_ml::vader::{EmojiLexicon, SentimentIntensityAnalyzer, VaderConfig, VaderLexicon};

#[test]
fn semeval2014_baselines() {
    let Some(lexicon) = journey_data::testdata::file("lexicons/vader_lexicon.txt") else {
        return;
    };
    let analyzer = SentimentIntensityAnalyzer::new(
        VaderLexicon::from_file(&lexicon).unwrap(),
        EmojiLexicon::default(),
        VaderConfig::default(),
    );
    for (domain, published_f1, gold_terms) in
        [("Restaurants", 0.4715, 1134), ("Laptops", 0.3564, 654)]
    {
        let dir = "sentiment/semeval2014_absa";
        let train = journey_data::testdata::file(&format!("{dir}/{domain}_Train.xml")).unwrap();
        let test = journey_data::testdata::file(&format!("{dir}/{domain}_Test_Gold.xml")).unwrap();
        let (train, test) = (read_semeval(&train).unwrap(), read_semeval(&test).unwrap());
        let r = evaluate(&train, &test, &analyzer, &AbsaConfig::default());
        eprintln!("{domain}: {}", serde_json::to_string(&r).unwrap());
        assert_eq!(
            (r.test_sentences, r.official_baseline.gold),
            (800, gold_terms)
        );
        assert!(
            (r.official_baseline.f1 - published_f1).abs() < 0.002,
            "{domain}: task baseline F1 {} vs published {published_f1}",
            r.official_baseline.f1
        );
        assert!(
            r.gazetteer.f1 > r.official_baseline.f1 + 0.1,
            "{domain}: {r:?}"
        );
        assert!(r.gazetteer.precision > r.official_baseline.precision);
        assert_eq!(r.polarity_total, gold_terms);
        assert!(
            r.polarity_accuracy > r.majority_accuracy + 0.05,
            "{domain}: {r:?}"
        );
    }
}

/// The reference side of the learned models (tools/reference/absa_reference.py):
/// python-crfsuite 0.9.11 and scikit-learn 1.7.2 trained on the attribute
/// strings / feature dicts our code builds, at the same settings.
fn reference() -> serde_json::Value {
    serde_json::from_str(include_str!("fixtures/absa_reference.json")).unwrap()
}

fn analyzer() -> Option<SentimentIntensityAnalyzer> {
    let lexicon = journey_data::testdata::file("lexicons/vader_lexicon.txt")?;
    Some(SentimentIntensityAnalyzer::new(
        VaderLexicon::from_file(&lexicon).unwrap(),
        EmojiLexicon::default(),
        VaderConfig::default(),
    ))
}

fn split(domain: &str) -> (Vec<AbsaSentence>, Vec<AbsaSentence>) {
    let dir = "sentiment/semeval2014_absa";
    let train = journey_data::testdata::file(&format!("{dir}/{domain}_Train.xml")).unwrap();
    let test = journey_data::testdata::file(&format!("{dir}/{domain}_Test_Gold.xml")).unwrap();
    (read_semeval(&train).unwrap(), read_semeval(&test).unwrap())
}

/// CRF term extraction and logistic-regression polarity, trained on each
/// domain's train split with the defaults (the reference's settings), land
/// within a point of python-crfsuite's F1 and half a point of
/// scikit-learn's accuracy on the gold test split (the two L-BFGS runs of
/// the CRF stop after 100 iterations on different paths, so their weights,
/// not the problem, differ slightly), and beat every baseline clearly.
#[test]
fn learned_absa_matches_crfsuite_and_sklearn_and_beats_the_baselines() {
    let Some(analyzer) = analyzer() else {
        return;
    };
    let golden = reference();
    let config = LearnedAbsaConfig::default();
    assert_eq!(
        golden["settings"]["crf_max_iterations"].as_u64().unwrap() as usize,
        config.extraction.max_iterations
    );
    assert_eq!(
        golden["settings"]["crf_c2"].as_f64().unwrap(),
        config.extraction.c2
    );
    assert_eq!(
        golden["settings"]["lr_C"].as_f64().unwrap(),
        config.polarity.c
    );
    for domain in ["Restaurants", "Laptops"] {
        let (train, test) = split(domain);
        let model = LearnedAbsa::fit(&analyzer, &train, &config).unwrap();
        let r = model.evaluate(&analyzer, &test).unwrap();
        let want = &golden["domains"][domain];
        let f = |v: &serde_json::Value| v.as_f64().unwrap();
        eprintln!(
            "{domain}: extraction P {:.4} R {:.4} F1 {:.4} (crfsuite F1 {:.4}); polarity acc {:.4} macro-F1 {:.4} (sklearn {:.4} {:.4})",
            r.extraction.precision,
            r.extraction.recall,
            r.extraction.f1,
            f(&want["extraction"]["f1"]),
            r.polarity.accuracy,
            r.polarity.macro_f1,
            f(&want["polarity"]["accuracy"]),
            f(&want["polarity"]["macro_f1"]),
        );
        assert_eq!(
            r.extraction.gold as u64,
            want["extraction"]["gold"].as_u64().unwrap()
        );
        assert!(
            (r.extraction.f1 - f(&want["extraction"]["f1"])).abs() < 0.01,
            "{domain}: {r:?}"
        );
        assert!(
            (r.extraction.precision - f(&want["extraction"]["precision"])).abs() < 0.015
                && (r.extraction.recall - f(&want["extraction"]["recall"])).abs() < 0.015,
            "{domain}: {r:?}"
        );
        assert_eq!(
            r.polarity.total as u64,
            want["polarity"]["total"].as_u64().unwrap()
        );
        assert!(
            (r.polarity.accuracy - f(&want["polarity"]["accuracy"])).abs() < 0.005,
            "{domain}: {r:?}"
        );
        assert!(
            (r.polarity.macro_f1 - f(&want["polarity"]["macro_f1"])).abs() < 0.01,
            "{domain}: {r:?}"
        );
        let base = evaluate(&train, &test, &analyzer, &AbsaConfig::default());
        assert!(
            r.extraction.f1 > base.gazetteer.f1 + 0.05,
            "{domain}: {base:?}"
        );
        assert!(
            r.extraction.f1 > base.official_baseline.f1 + 0.2,
            "{domain}: {base:?}"
        );
        assert!(
            r.polarity.accuracy > base.polarity_accuracy + 0.03,
            "{domain}: {base:?}"
        );
        assert!(
            r.polarity.accuracy > base.majority_accuracy + 0.1,
            "{domain}: {base:?}"
        );
    }
}

/// A small model survives a save/load round trip unchanged; a truncated
/// file and a model of another kind give errors naming the file.
#[test]
fn learned_absa_model_file_round_trip() {
    let Some(analyzer) = analyzer() else {
        return;
    };
    let (mut train, test) = split("Laptops");
    train.truncate(400);
    let mut config = LearnedAbsaConfig::default();
    config.extraction.max_iterations = 15;
    let model = LearnedAbsa::fit(&analyzer, &train, &config).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absa.json");
    model.save(&path).unwrap();
    let back = LearnedAbsa::load(&path).unwrap();
    let spans = model.extraction.extract_all(&test[..100]);
    assert!(spans.iter().any(|s| !s.is_empty()));
    assert_eq!(back.extraction.extract_all(&test[..100]), spans);
    assert_eq!(
        back.evaluate(&analyzer, &test).unwrap(),
        model.evaluate(&analyzer, &test).unwrap()
    );
    let bytes = std::fs::read(&path).unwrap();
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = LearnedAbsa::load(&cut).unwrap_err().to_string();
    assert!(err.contains("cut.json"), "{err}");
    let other = dir.path().join("other.json");
    journey_ml::model_file::save(&other, "journey-ner", 1, &1).unwrap();
    let err = LearnedAbsa::load(&other).unwrap_err().to_string();
    assert!(
        err.contains("other.json") && err.contains("journey-ner"),
        "{err}"
    );
}
