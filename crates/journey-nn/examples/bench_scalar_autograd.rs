//! Scalar autograd speed against micrograd (Karpathy's reference, pure
//! Python): the same MLP (28 → 16 → 16 → 1, ReLU, micrograd's `MLP`), the
//! same hinge loss mean(relu(1 − y·score)), the same SGD steps on the same
//! 256 SMS training messages in batches of 32, in order (8 steps). Prints the time per
//! step; the Python twin is tools/reference/bench_scalar_autograd.py.
//!
//!     JOURNEY_DATA=../shared/data cargo run --release -p journey-nn \
//!         --example bench_scalar_autograd

use std::path::PathBuf;
use std::time::Instant;

use journey_nn::activations::Activation;
use journey_nn::rng::Rng;
use journey_nn::scalar_autograd::{Graph, Var};
use journey_nn::scalar_mlp::ScalarMlp;
use journey_nn::sms_features::{self, SmsConfig};

const EXAMPLES: usize = 256;
const BATCH: usize = 32;
const EPOCHS: usize = 1;
const LR: f64 = 0.05;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(
        std::env::var("JOURNEY_DATA").map_err(|_| "set JOURNEY_DATA to the shared data folder")?,
    );
    let data = sms_features::load(
        &root.join("classification/sms_spam/sms.tsv"),
        &root.join("lexicons/stopwords_nltk_english.txt"),
        &SmsConfig::default(),
    )?;
    let xs = &data.x_train[..EXAMPLES];
    let ys: Vec<f64> = data.y_train[..EXAMPLES]
        .iter()
        .map(|&y| 2.0 * y - 1.0)
        .collect();
    let sizes = [data.featurizer.n_features(), 16, 16, 1];
    let mut mlp = ScalarMlp::new(&sizes, Activation::Relu, &mut Rng::seed(0))?;
    // micrograd's init: weights uniform on ±1, biases 0.
    let mut rng = Rng::seed(1);
    for (w, b) in mlp.weights.iter_mut().zip(mlp.biases.iter_mut()) {
        w.iter_mut().for_each(|v| *v = rng.uniform_range(-1.0, 1.0));
        b.iter_mut().for_each(|v| *v = 0.0);
    }
    let mut g = Graph::new();
    let p = mlp.leaves(&mut g);
    let params: Vec<Var> = p.all().concat();
    let mark = g.len();
    let start = Instant::now();
    let mut steps = 0;
    let mut last_loss = 0.0;
    let mut nodes = 0;
    for _ in 0..EPOCHS {
        for (bx, by) in xs.chunks(BATCH).zip(ys.chunks(BATCH)) {
            g.truncate(mark);
            let losses: Vec<Var> = bx
                .iter()
                .zip(by)
                .map(|(x, &y)| {
                    let inputs: Vec<Var> = x.iter().map(|&v| g.constant(v)).collect();
                    let score = mlp.forward_graph(&mut g, &p, &inputs)[0];
                    let yz = g.mul_const(score, -y);
                    let margin = g.add_const(yz, 1.0);
                    g.relu(margin)
                })
                .collect();
            let total = g.sum(&losses);
            let loss = g.mul_const(total, 1.0 / bx.len() as f64);
            g.backward(loss);
            for &v in &params {
                let updated = g.value(v) - LR * g.grad(v);
                g.set_value(v, updated);
            }
            last_loss = g.value(loss);
            nodes = g.len();
            steps += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "journey scalar autograd: {steps} SGD steps (batch {BATCH}, {} parameters, {nodes} nodes per step) in {secs:.4} s = {:.3} ms/step; last batch loss {last_loss:.4}",
        params.len(),
        1e3 * secs / steps as f64
    );
    Ok(())
}
