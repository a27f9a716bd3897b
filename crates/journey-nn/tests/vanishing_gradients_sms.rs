//! The vanishing-gradient experiment on real inputs (SMS spam features):
//! sigmoid's first-layer gradient is orders of magnitude below its last
//! layer's; ReLU + He and residual + LayerNorm keep them within a small
//! factor. The reasoning behind the bounds is in `diagnostics.rs`.

mod common;

use candle_core::{Device, Tensor};
use journey_nn::diagnostics::{vanishing_gradient_experiment, DeepKind, VanishingConfig};

#[test]
fn vanishing_gradients_on_sms_features() {
    let Some(data) = common::sms() else { return };
    let n = 256;
    let f = data.featurizer.n_features();
    let x: Vec<f32> = data.x_train[..n]
        .iter()
        .flatten()
        .map(|&v| v as f32)
        .collect();
    let y: Vec<f32> = data.y_train[..n].iter().map(|&v| v as f32).collect();
    let x = Tensor::from_vec(x, (n, f), &Device::Cpu).unwrap();
    let y = Tensor::from_vec(y, (n, 1), &Device::Cpu).unwrap();
    let config = VanishingConfig {
        width: 128,
        depth: 20,
        steps: 3,
        ..Default::default()
    };
    let report = vanishing_gradient_experiment(&config, &x, &y).unwrap();
    for v in &report.variants {
        println!(
            "{:?}: first/last {:.2e} (init) {:.2e} (after {} steps); max/min {:.2e}; losses {:?}",
            v.kind,
            v.first_to_last_ratio(0),
            v.first_to_last_ratio(config.steps),
            config.steps,
            v.spread(0),
            v.records.iter().map(|r| r.loss).collect::<Vec<_>>()
        );
        assert_eq!(v.records[0].layers.len(), config.depth);
        match v.kind {
            // 19 sigmoid layers at ≈ 1/4 each: ≈ 1e-11; assert 1e-4.
            DeepKind::Sigmoid => {
                assert!(v.first_to_last_ratio(0) < 1e-4);
                assert!(v.first_to_last_ratio(config.steps) < 1e-4);
            }
            // Per example, He init keeps ‖δ_l‖ and ‖h_l‖ level with depth
            // (diagnostics.rs). The batch gradient is Σ_i δ_i h_iᵀ, whose
            // squared norm Σ_ij (δ_i·δ_j)(h_i·h_j) lies between the
            // uncorrelated sum Σ_i ‖δ_i‖²‖h_i‖² and the fully aligned
            // (Σ_i ‖δ_i‖‖h_i‖)², at most B times larger: how aligned the
            // examples are may move a layer's gradient by up to √B = 16 for
            // B = 256 (ReLU layers do align them with depth: the arc-cosine
            // kernel pushes every correlation towards 1), and the 28 inputs
            // against 128 units add √(28/128) ≈ 0.5 to the first layer. So
            // first/last within [0.05, 20]; sigmoid is 1e-9 times smaller.
            DeepKind::Relu | DeepKind::ResidualLayerNorm => {
                let r = v.first_to_last_ratio(0);
                assert!(r > 0.05 && r < 20.0, "{:?}: {r}", v.kind);
            }
        }
    }
}
