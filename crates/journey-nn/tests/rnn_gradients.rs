//! Vanishing and exploding gradients on Tiny Shakespeare: the qualitative
//! facts, with bounds from the analysis (not from a previous run).

use journey_nn::recurrent::CellKind;
use journey_nn::rnn_gradients::{
    clipping_runs, exploding_norms, vanishing, ClippingConfig, VanishingConfig,
};

fn shakespeare(n: usize) -> Option<String> {
    let path = journey_data::testdata::file("corpora/tinyshakespeare/input.txt")?;
    Some(
        std::fs::read_to_string(path)
            .unwrap()
            .chars()
            .take(n)
            .collect(),
    )
}

/// PyTorch's init draws W_hh uniform in ±1/√H: variance 1/(3H), so by the
/// circular law its spectral radius is about 1/√3 ≈ 0.58, and tanh' ≤ 1:
/// the tanh RNN's gradient shrinks at least like 0.58^k, ≈ 8e-8 at k = 30
/// (bound 1e-4 leaves room for transients). The LSTM's cell path scales by
/// the forget gates, σ(2 + small) ≈ 0.88 per step: ≈ 0.02 after 30 steps
/// (bound 1e-3).
#[test]
fn tanh_rnn_gradients_vanish_lstm_gradients_persist() {
    let Some(text) = shakespeare(50_000) else {
        return;
    };
    let config = VanishingConfig {
        seq_len: 40,
        sequences: 4,
        hidden_size: 64,
        ..Default::default()
    };
    let curves = vanishing(&text, &config).unwrap();
    assert_eq!(curves[0].cell, CellKind::RnnTanh);
    assert_eq!(curves[1].cell, CellKind::Lstm);
    let (rnn, lstm) = (&curves[0].relative, &curves[1].relative);
    assert_eq!(rnn.len(), 40);
    assert!(rnn[30] < 1e-4, "tanh RNN at k=30: {}", rnn[30]);
    assert!(lstm[30] > 1e-3, "LSTM at k=30: {}", lstm[30]);
    assert!(rnn[10] < rnn[1] && rnn[20] < rnn[10] && rnn[30] < rnn[20]);
}

/// For a linear RNN with W = r·Q (Q orthogonal), ∂L/∂h_0 = (Wᵀ)^T v has
/// norm exactly r^T ‖v‖ (Q preserves norms): the measured gradient must
/// match it, and the gradient with respect to W grows with T.
#[test]
fn exploding_gradient_norm_is_r_to_the_t() {
    let lengths = [1, 10, 20, 40];
    let pts = exploding_norms(1.1, 32, &lengths, 3).unwrap();
    for p in &pts {
        let rel = (p.grad_h0 - p.predicted_h0).abs() / p.predicted_h0;
        assert!(
            rel < 1e-3,
            "T={}: {} vs {}",
            p.seq_len,
            p.grad_h0,
            p.predicted_h0
        );
    }
    assert!(pts.windows(2).all(|w| w[1].grad_w > w[0].grad_w));
    // r^40 = 1.1^40 ≈ 45 times the norm at T = 0
    assert!(pts[3].grad_h0 > 40.0 * pts[0].grad_h0 / 1.1);
    assert!(exploding_norms(-1.0, 4, &[1], 0).is_err());
}

/// A uniform prediction over 256 bytes costs ln 256 ≈ 5.55 nats. With the
/// recurrent matrix at spectral radius 1.5 and a large SGD step, the
/// unclipped run meets gradients many times the clipping threshold and its
/// loss jumps past twice ln 256 (the update overshot); the clipped run
/// moves the weights at most lr·clip per step and ends below ln 256.
#[test]
fn clipping_tames_the_exploding_run() {
    let Some(text) = shakespeare(100_000) else {
        return;
    };
    let config = ClippingConfig {
        steps: 40,
        ..Default::default()
    };
    let [raw, clipped] = clipping_runs(&text, &config).unwrap();
    let uniform = 256f64.ln();
    let max = |v: &[f64]| v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let tail = |v: &[f64]| v[v.len() - 10..].iter().sum::<f64>() / 10.0;
    assert!(max(&raw.grad_norms) > 10.0 * config.clip_norm);
    assert!(raw.diverged || max(&raw.losses) > 2.0 * uniform);
    assert!(!clipped.diverged);
    assert!(
        tail(&clipped.losses) < uniform,
        "clipped tail {}",
        tail(&clipped.losses)
    );
    assert!(raw.diverged || tail(&clipped.losses) < tail(&raw.losses));
}
