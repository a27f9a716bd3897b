//! A multi-layer perceptron built from scalars on the [`Graph`] of
//! `scalar_autograd` (micrograd's `Neuron` / `Layer` / `MLP`): every weight is
//! one node, every neuron computes `act(Σ w_i x_i + b)`, the last layer is
//! linear and gives one logit. Training is plain minibatch stochastic
//! gradient descent (Robbins and Monro 1951) on the mean binary cross-entropy
//! with logits,
//!
//! ```text
//! L = mean over the batch of  ln(1 + e^z) − y z,    ∂L/∂z = (σ(z) − y) / B,
//! ```
//!
//! the same loss as `torch.nn.functional.binary_cross_entropy_with_logits`.
//! Weights are stored like `torch.nn.Linear` (weight out × in, row-major, then
//! bias; names `layers.{i}.weight`) and start like it too: uniform on
//! ±1/√fan_in, from our seeded [`Rng`].
//!
//! Cost: one step builds a tape of O(B · P) nodes for P parameters and a batch
//! of B (about 2 nodes per multiply-add), then walks it once backwards: O(B·P)
//! time and memory, with a constant far above a tensor library's — the point
//! is to see every multiplication, not speed.

use serde::{Deserialize, Serialize};

use crate::activations::Activation;
use crate::rng::Rng;
use crate::scalar_autograd::{Graph, Var};
use crate::{NnError, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScalarMlpConfig {
    /// Widths of the hidden layers.
    pub hidden: Vec<usize>,
    /// Hidden nonlinearity: tanh, sigmoid or relu (the ops of the graph).
    pub activation: Activation,
    pub learning_rate: f64,
    pub epochs: usize,
    pub batch_size: usize,
    pub seed: u64,
}

impl Default for ScalarMlpConfig {
    fn default() -> Self {
        ScalarMlpConfig {
            hidden: vec![8],
            activation: Activation::Tanh,
            learning_rate: 0.5,
            epochs: 4,
            batch_size: 16,
            seed: 0,
        }
    }
}

/// Weights and biases per layer (`weights[l]` is out × in, row-major).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalarMlp {
    pub sizes: Vec<usize>,
    pub activation: Activation,
    pub weights: Vec<Vec<f64>>,
    pub biases: Vec<Vec<f64>>,
}

/// The parameters of a [`ScalarMlp`] as leaves of a graph.
#[derive(Debug, Clone)]
pub struct MlpVars {
    pub weights: Vec<Vec<Var>>,
    pub biases: Vec<Vec<Var>>,
}

impl MlpVars {
    /// Every parameter, in the order of [`ScalarMlp::param_names`].
    pub fn all(&self) -> Vec<&[Var]> {
        self.weights
            .iter()
            .zip(&self.biases)
            .flat_map(|(w, b)| [w.as_slice(), b.as_slice()])
            .collect()
    }
}

/// The mean loss of each epoch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainLog {
    pub epoch_loss: Vec<f64>,
}

fn check_activation(activation: Activation) -> Result<()> {
    match activation {
        Activation::Tanh | Activation::Sigmoid | Activation::Relu => Ok(()),
        other => Err(NnError::Config(format!(
            "the scalar MLP supports tanh, sigmoid and relu, not {}",
            other.name()
        ))),
    }
}

impl ScalarMlp {
    /// `sizes` = [inputs, hidden…, 1], initialised like `torch.nn.Linear`.
    pub fn new(sizes: &[usize], activation: Activation, rng: &mut Rng) -> Result<Self> {
        check_activation(activation)?;
        if sizes.len() < 2 || sizes.contains(&0) {
            return Err(NnError::Config(format!(
                "layer sizes must be at least [inputs, outputs], all positive; got {sizes:?}"
            )));
        }
        let (mut weights, mut biases) = (Vec::new(), Vec::new());
        for w in sizes.windows(2) {
            let bound = 1.0 / (w[0] as f64).sqrt();
            weights.push(
                (0..w[0] * w[1])
                    .map(|_| rng.uniform_range(-bound, bound))
                    .collect(),
            );
            biases.push(
                (0..w[1])
                    .map(|_| rng.uniform_range(-bound, bound))
                    .collect(),
            );
        }
        Ok(ScalarMlp {
            sizes: sizes.to_vec(),
            activation,
            weights,
            biases,
        })
    }

    /// PyTorch's names for the parameters, in order.
    pub fn param_names(&self) -> Vec<String> {
        (0..self.weights.len())
            .flat_map(|l| [format!("layers.{l}.weight"), format!("layers.{l}.bias")])
            .collect()
    }

    /// The parameters, flat, in the order of [`ScalarMlp::param_names`].
    pub fn params(&self) -> Vec<&[f64]> {
        self.weights
            .iter()
            .zip(&self.biases)
            .flat_map(|(w, b)| [w.as_slice(), b.as_slice()])
            .collect()
    }

    /// Puts every parameter on the graph as a leaf.
    pub fn leaves(&self, g: &mut Graph) -> MlpVars {
        MlpVars {
            weights: self
                .weights
                .iter()
                .map(|w| w.iter().map(|&v| g.leaf(v)).collect())
                .collect(),
            biases: self
                .biases
                .iter()
                .map(|b| b.iter().map(|&v| g.leaf(v)).collect())
                .collect(),
        }
    }

    fn act(&self, g: &mut Graph, z: Var) -> Var {
        match self.activation {
            Activation::Sigmoid => g.sigmoid(z),
            Activation::Relu => g.relu(z),
            _ => g.tanh(z),
        }
    }

    /// The output layer's values (logits) for one input, on the graph.
    pub fn forward_graph(&self, g: &mut Graph, p: &MlpVars, x: &[Var]) -> Vec<Var> {
        let last = self.weights.len() - 1;
        let mut h = x.to_vec();
        for (l, (w, b)) in p.weights.iter().zip(&p.biases).enumerate() {
            let n_in = self.sizes[l];
            h = (0..self.sizes[l + 1])
                .map(|o| {
                    let dot = g.dot(&w[o * n_in..(o + 1) * n_in], &h);
                    let z = g.add(dot, b[o]);
                    if l == last {
                        z
                    } else {
                        self.act(g, z)
                    }
                })
                .collect();
        }
        h
    }

    /// Mean binary cross-entropy with logits over a batch, on the graph.
    pub fn loss_graph(&self, g: &mut Graph, p: &MlpVars, xs: &[Vec<f64>], ys: &[f64]) -> Var {
        let terms: Vec<Var> = xs
            .iter()
            .zip(ys)
            .map(|(x, &y)| {
                let inputs: Vec<Var> = x.iter().map(|&v| g.constant(v)).collect();
                let z = self.forward_graph(g, p, &inputs)[0];
                // ln(1 + e^z) − y z
                let e = g.exp(z);
                let one_plus = g.add_const(e, 1.0);
                let softplus = g.ln(one_plus);
                let yz = g.mul_const(z, y);
                g.sub(softplus, yz)
            })
            .collect();
        let total = g.sum(&terms);
        g.mul_const(total, 1.0 / xs.len().max(1) as f64)
    }

    fn check_batch(&self, xs: &[Vec<f64>], ys: &[f64]) -> Result<()> {
        if xs.is_empty() {
            return Err(NnError::Empty("no examples".into()));
        }
        if xs.len() != ys.len() {
            return Err(NnError::Shape(format!(
                "{} inputs but {} labels",
                xs.len(),
                ys.len()
            )));
        }
        if *self.sizes.last().unwrap_or(&0) != 1 {
            return Err(NnError::Config(format!(
                "binary cross-entropy needs one output, the MLP has {:?}",
                self.sizes
            )));
        }
        if let Some((i, x)) = xs
            .iter()
            .enumerate()
            .find(|(_, x)| x.len() != self.sizes[0])
        {
            return Err(NnError::Shape(format!(
                "example {i} has {} features, the MLP expects {}",
                x.len(),
                self.sizes[0]
            )));
        }
        Ok(())
    }

    /// The loss on a batch and its gradient for each parameter (in the order
    /// of [`ScalarMlp::param_names`]).
    pub fn loss_and_grads(&self, xs: &[Vec<f64>], ys: &[f64]) -> Result<(f64, Vec<Vec<f64>>)> {
        self.check_batch(xs, ys)?;
        let mut g = Graph::new();
        let p = self.leaves(&mut g);
        let loss = self.loss_graph(&mut g, &p, xs, ys);
        g.backward(loss);
        let grads = p
            .all()
            .iter()
            .map(|vs| vs.iter().map(|&v| g.grad(v)).collect())
            .collect();
        Ok((g.value(loss), grads))
    }

    /// Minibatch SGD over shuffled data (the shuffles come from `config.seed`).
    pub fn fit(
        &mut self,
        xs: &[Vec<f64>],
        ys: &[f64],
        config: &ScalarMlpConfig,
    ) -> Result<TrainLog> {
        self.check_batch(xs, ys)?;
        if config.batch_size == 0 || config.learning_rate.is_nan() || config.learning_rate <= 0.0 {
            return Err(NnError::Config(format!(
                "batch_size must be positive and learning_rate > 0 (got {} and {})",
                config.batch_size, config.learning_rate
            )));
        }
        let mut rng = Rng::seed(config.seed);
        let mut g = Graph::new();
        let p = self.leaves(&mut g);
        let params: Vec<Var> = p.all().concat();
        let mark = g.len();
        let mut order: Vec<usize> = (0..xs.len()).collect();
        let mut log = TrainLog::default();
        for _ in 0..config.epochs {
            rng.shuffle(&mut order);
            let mut total = 0.0;
            for chunk in order.chunks(config.batch_size) {
                g.truncate(mark);
                let bx: Vec<Vec<f64>> = chunk.iter().map(|&i| xs[i].clone()).collect();
                let by: Vec<f64> = chunk.iter().map(|&i| ys[i]).collect();
                let loss = self.loss_graph(&mut g, &p, &bx, &by);
                total += g.value(loss) * chunk.len() as f64;
                g.backward(loss);
                for &v in &params {
                    let updated = g.value(v) - config.learning_rate * g.grad(v);
                    g.set_value(v, updated);
                }
            }
            log.epoch_loss.push(total / xs.len() as f64);
        }
        for (l, (w, b)) in p.weights.iter().zip(&p.biases).enumerate() {
            self.weights[l] = w.iter().map(|&v| g.value(v)).collect();
            self.biases[l] = b.iter().map(|&v| g.value(v)).collect();
        }
        Ok(log)
    }

    /// The logit for one input, computed directly (no graph).
    pub fn logit(&self, x: &[f64]) -> f64 {
        let last = self.weights.len() - 1;
        let mut h = x.to_vec();
        for (l, (w, b)) in self.weights.iter().zip(&self.biases).enumerate() {
            let n_in = self.sizes[l];
            h = b
                .iter()
                .enumerate()
                .map(|(o, &bias)| {
                    let z = bias
                        + w[o * n_in..(o + 1) * n_in]
                            .iter()
                            .zip(&h)
                            .map(|(a, b)| a * b)
                            .sum::<f64>();
                    if l == last {
                        z
                    } else {
                        self.activation.apply(z)
                    }
                })
                .collect();
        }
        h[0]
    }

    /// The share of examples whose predicted class (logit > 0) is the label.
    pub fn accuracy(&self, xs: &[Vec<f64>], ys: &[f64]) -> f64 {
        let right = xs
            .iter()
            .zip(ys)
            .filter(|(x, &y)| (self.logit(x) > 0.0) == (y > 0.5))
            .count();
        right as f64 / xs.len().max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradient_check::{max_relative_error, numerical_gradient};

    #[test]
    fn gradients_match_finite_differences() {
        let mut rng = Rng::seed(1);
        let mlp = ScalarMlp::new(&[3, 4, 4, 1], Activation::Tanh, &mut rng).unwrap();
        let xs = vec![
            vec![0.5, -1.0, 2.0],
            vec![-0.3, 0.8, 0.1],
            vec![1.2, 0.0, -0.7],
        ];
        let ys = vec![1.0, 0.0, 1.0];
        let (_, grads) = mlp.loss_and_grads(&xs, &ys).unwrap();
        let flat: Vec<f64> = mlp.params().concat();
        let numeric = numerical_gradient(
            |theta| {
                let mut m = mlp.clone();
                let mut k = 0;
                for l in 0..m.weights.len() {
                    for v in m.weights[l].iter_mut().chain(m.biases[l].iter_mut()) {
                        *v = theta[k];
                        k += 1;
                    }
                }
                m.loss_and_grads(&xs, &ys).unwrap().0
            },
            &flat,
            1e-6,
        );
        let err = max_relative_error(&grads.concat(), &numeric);
        assert!(err < 1e-6, "{err}");
    }

    #[test]
    fn learns_xor() {
        let xs = vec![
            vec![0.0, 0.0],
            vec![0.0, 1.0],
            vec![1.0, 0.0],
            vec![1.0, 1.0],
        ];
        let ys = vec![0.0, 1.0, 1.0, 0.0];
        let mut mlp = ScalarMlp::new(&[2, 8, 1], Activation::Tanh, &mut Rng::seed(3)).unwrap();
        let config = ScalarMlpConfig {
            epochs: 500,
            batch_size: 4,
            learning_rate: 0.5,
            ..Default::default()
        };
        let log = mlp.fit(&xs, &ys, &config).unwrap();
        assert!(
            log.epoch_loss.last().unwrap() < &0.1,
            "{:?}",
            log.epoch_loss.last()
        );
        assert_eq!(mlp.accuracy(&xs, &ys), 1.0);
    }

    #[test]
    fn bad_input_is_an_error() {
        let mut rng = Rng::seed(1);
        assert!(ScalarMlp::new(&[3, 2, 1], Activation::Gelu, &mut rng).is_err());
        let mlp = ScalarMlp::new(&[3, 2, 1], Activation::Relu, &mut rng).unwrap();
        assert!(mlp.loss_and_grads(&[vec![1.0, 2.0]], &[1.0]).is_err());
    }
}
