//! NMF parity with scikit-learn 1.7.2 on TF-IDF of the Lee background corpus
//! (fixture from `tools/reference/nmf_golden.py`): with init='nndsvd',
//! solver='cd', Frobenius loss the factorisation is deterministic, so the
//! reconstruction error and the top words of every topic must match.

use std::path::PathBuf;

use journey_ml::dictionary::{read_lines, simple_preprocess, tfidf_smooth_l2, Dictionary};
use journey_ml::nmf::{BetaLoss, Nmf, NmfConfig, NmfInit, NmfSolver};
use journey_ml::CsrMatrix;
use serde_json::Value;

fn lee_tfidf() -> Option<(Dictionary, CsrMatrix)> {
    let path = journey_data::testdata::file("corpora/lee/lee_background.cor")?;
    let texts: Vec<Vec<String>> = read_lines(&path)
        .unwrap()
        .iter()
        .map(|l| simple_preprocess(l, false))
        .collect();
    let mut dict = Dictionary::from_documents(&texts);
    dict.filter_extremes(5, 0.5, Some(100_000)).unwrap();
    let x = tfidf_smooth_l2(&dict.bow_matrix(&texts).unwrap());
    Some((dict, x))
}

fn fixture() -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nmf_golden.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn top_words(model: &Nmf, dict: &Dictionary) -> Vec<Vec<String>> {
    model
        .top_features(10)
        .iter()
        .map(|t| t.iter().map(|&(j, _)| dict.tokens()[j].clone()).collect())
        .collect()
}

#[test]
fn nmf_cd_frobenius_matches_sklearn_on_lee_tfidf() {
    let Some((dict, x)) = lee_tfidf() else { return };
    let fx = fixture();
    assert_eq!(x.n_rows() as u64, fx["shape"][0].as_u64().unwrap());
    assert_eq!(x.n_cols() as u64, fx["shape"][1].as_u64().unwrap());
    assert_eq!(x.nnz() as u64, fx["nnz"].as_u64().unwrap());
    let sum: f64 = x.data().iter().sum();
    assert!(
        (sum - fx["tfidf_sum"].as_f64().unwrap()).abs() < 1e-9,
        "{sum}"
    );

    let golden = &fx["fits"][0];
    let cfg = NmfConfig {
        n_components: 10,
        init: NmfInit::Nndsvd,
        solver: NmfSolver::Cd,
        beta_loss: BetaLoss::Frobenius,
        ..Default::default()
    };
    let (model, w) = Nmf::fit_transform(&x, &cfg).unwrap();
    let want = golden["reconstruction_err"].as_f64().unwrap();
    let rel = (model.reconstruction_err - want).abs() / want;
    eprintln!(
        "cd: ours {} ({} iterations), sklearn {want} ({}), relative delta {rel:e}",
        model.reconstruction_err, model.n_iter, golden["n_iter"]
    );
    assert!(
        rel <= 1e-3,
        "reconstruction error {} vs {want}",
        model.reconstruction_err
    );
    let w_sum: f64 = w.iter().sum();
    let w_want = golden["w_sum"].as_f64().unwrap();
    assert!(
        (w_sum - w_want).abs() / w_want <= 1e-2,
        "sum of W {w_sum} vs {w_want}"
    );
    // The same ten words per topic (near-equal weights may swap places).
    let want_top: Vec<Vec<String>> = serde_json::from_value(golden["top_words"].clone()).unwrap();
    for (k, (mut ours, mut theirs)) in top_words(&model, &dict)
        .into_iter()
        .zip(want_top)
        .enumerate()
    {
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs, "topic {k}");
    }
}

#[test]
fn nmf_mu_kl_is_close_to_sklearn_on_lee_tfidf() {
    let Some((dict, x)) = lee_tfidf() else { return };
    let fx = fixture();
    let golden = &fx["fits"][1];
    let cfg = NmfConfig {
        n_components: 10,
        init: NmfInit::Nndsvda,
        solver: NmfSolver::Mu,
        beta_loss: BetaLoss::KullbackLeibler,
        max_iter: 400,
        ..Default::default()
    };
    let model = Nmf::fit(&x, &cfg).unwrap();
    let want = golden["reconstruction_err"].as_f64().unwrap();
    let rel = (model.reconstruction_err - want).abs() / want;
    eprintln!(
        "mu/KL: ours {} ({} iterations), sklearn {want} ({}), relative delta {rel:e}",
        model.reconstruction_err, model.n_iter, golden["n_iter"]
    );
    assert!(
        rel <= 1e-2,
        "KL reconstruction error {} vs {want}",
        model.reconstruction_err
    );
    let want_top: Vec<Vec<String>> = serde_json::from_value(golden["top_words"].clone()).unwrap();
    let ours = top_words(&model, &dict);
    let shared: usize = ours
        .iter()
        .zip(&want_top)
        .map(|(a, b)| a.iter().filter(|w| b.contains(w)).count())
        .sum();
    eprintln!("mu/KL: {shared}/100 top words shared");
    assert!(
        shared >= 80,
        "only {shared}/100 top words shared with sklearn"
    );
}
