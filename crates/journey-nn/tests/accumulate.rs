//! Gradient accumulation on real data: the mean of the gradients of 4
//! micro-batches of 32 SST-2 sentences equals the gradient of the batch of
//! 128 (mean cross-entropy), and clipping's norm agrees with a direct sum.

mod common;

use common::{sst2, MlpTask};
use journey_nn::accumulate::GradAccumulator;
use journey_nn::clip::grad_norm;
use journey_nn::optim::Params;

#[test]
fn k_micro_batches_equal_one_big_batch() {
    let Some(train) = sst2("classification/sst2/train.tsv", 2000) else {
        return;
    };
    let task = MlpTask::new(&train, &train[..10], 32, 3);
    let params = Params::from_varmap(&task.varmap);
    let idx: Vec<usize> = (0..128).map(|i| i * 13 % 2000).collect();
    let big = task.loss(&idx, None).unwrap().backward().unwrap();
    let mut acc = GradAccumulator::new(params.clone());
    for chunk in idx.chunks(32) {
        acc.add(&task.loss(chunk, None).unwrap().backward().unwrap())
            .unwrap();
    }
    assert_eq!(acc.count(), 4);
    let mean = acc.mean().unwrap();
    assert_eq!(acc.count(), 0);
    let mut worst = 0f32;
    for var in params.vars() {
        let a = big
            .get(var.as_tensor())
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let b = mean
            .get(var.as_tensor())
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let scale = a.iter().fold(0f32, |m, x| m.max(x.abs()));
        assert!(scale > 0.0);
        for (x, y) in a.iter().zip(&b) {
            worst = worst.max((x - y).abs() / scale);
        }
    }
    assert!(
        worst < 1e-5,
        "max diff relative to the largest gradient entry {worst:e}"
    );
    let norm = grad_norm(&mean, &params).unwrap();
    assert!((norm - grad_norm(&big, &params).unwrap()).abs() < 1e-5 * norm);

    // The sum of the micro-batch gradients is 4 times the mean.
    for chunk in idx.chunks(32) {
        acc.add(&task.loss(chunk, None).unwrap().backward().unwrap())
            .unwrap();
    }
    let sum = acc.sum().unwrap();
    let s = grad_norm(&sum, &params).unwrap();
    assert!((s - 4.0 * norm).abs() < 1e-5 * s, "{s} vs 4 x {norm}");
}
