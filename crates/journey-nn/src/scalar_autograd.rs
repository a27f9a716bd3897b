//! Reverse-mode automatic differentiation on scalars, for learning how
//! backpropagation works (in the spirit of Karpathy's micrograd; the method is
//! Linnainmaa 1970 and Rumelhart, Hinton and Williams, "Learning
//! representations by back-propagating errors", Nature 1986).
//!
//! A [`Graph`] is a *tape*: every operation appends one [`Node`] holding its
//! value, the ids of its inputs and which operation made it. A [`Var`] is just
//! the index of a node, so values are plain `Copy` handles and there is no
//! `Rc<RefCell<_>>` to fight with. Because a node's inputs always exist before
//! the node itself, the order of the tape is already a topological order of
//! the graph; [`Graph::backward`] walks it in reverse, and each node hands its
//! gradient to its inputs with the chain rule:
//!
//! ```text
//! ∂L/∂input += ∂L/∂node · ∂node/∂input        (local derivative, see Op)
//! ```
//!
//! The `+=` matters: a value used twice (`x * x`) receives the sum of both
//! paths. [`Graph::topological_order`] computes the same order by depth-first
//! search, as micrograd does, for readers who want to see it.
//!
//! Cost: each operation is O(1) time and one node (about 40 bytes) of memory;
//! `backward` is O(nodes) time, so a gradient costs a small constant times the
//! forward pass, whatever the number of inputs.

/// A handle on one value of a [`Graph`] (the index of its node).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Var(pub usize);

/// The operation that produced a node, with the ids of its inputs. For each,
/// the local derivatives that `backward` uses (`out` is the node's value):
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    /// An input or a parameter: nothing to propagate further.
    Leaf,
    /// `a + b`: ∂/∂a = 1, ∂/∂b = 1.
    Add(Var, Var),
    /// `a − b`: ∂/∂a = 1, ∂/∂b = −1.
    Sub(Var, Var),
    /// `a · b`: ∂/∂a = b, ∂/∂b = a.
    Mul(Var, Var),
    /// `a / b`: ∂/∂a = 1/b, ∂/∂b = −a/b².
    Div(Var, Var),
    /// `−a`: ∂/∂a = −1.
    Neg(Var),
    /// `a^p` for a constant exponent: ∂/∂a = p · a^(p−1).
    Powf(Var, f64),
    /// `e^a`: ∂/∂a = e^a = out.
    Exp(Var),
    /// `ln a`: ∂/∂a = 1/a.
    Ln(Var),
    /// `tanh a`: ∂/∂a = 1 − tanh² a = 1 − out².
    Tanh(Var),
    /// `σ(a) = 1/(1 + e^−a)`: ∂/∂a = σ(a)(1 − σ(a)) = out (1 − out).
    Sigmoid(Var),
    /// `max(0, a)`: ∂/∂a = 1 if a > 0 else 0 (PyTorch's choice at 0).
    Relu(Var),
}

/// One value on the tape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node {
    pub value: f64,
    pub grad: f64,
    pub op: Op,
}

/// The tape of a computation.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    nodes: Vec<Node>,
}

impl Graph {
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty tape with room for `n` nodes.
    pub fn with_capacity(n: usize) -> Self {
        Graph {
            nodes: Vec::with_capacity(n),
        }
    }

    /// Number of nodes on the tape.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Forgets every node from `len` on: the training loop keeps its
    /// parameters (the first nodes) and rebuilds the rest for each batch.
    pub fn truncate(&mut self, len: usize) {
        self.nodes.truncate(len);
    }

    pub fn node(&self, v: Var) -> &Node {
        &self.nodes[v.0]
    }

    pub fn value(&self, v: Var) -> f64 {
        self.nodes[v.0].value
    }

    /// ∂L/∂v after [`Graph::backward`] from L.
    pub fn grad(&self, v: Var) -> f64 {
        self.nodes[v.0].grad
    }

    /// Overwrites a leaf's value (a parameter after an SGD step).
    pub fn set_value(&mut self, v: Var, value: f64) {
        debug_assert!(matches!(self.nodes[v.0].op, Op::Leaf));
        self.nodes[v.0].value = value;
    }

    fn push(&mut self, value: f64, op: Op) -> Var {
        self.nodes.push(Node {
            value,
            grad: 0.0,
            op,
        });
        Var(self.nodes.len() - 1)
    }

    /// A new input or parameter.
    pub fn leaf(&mut self, value: f64) -> Var {
        self.push(value, Op::Leaf)
    }

    pub fn add(&mut self, a: Var, b: Var) -> Var {
        self.push(self.value(a) + self.value(b), Op::Add(a, b))
    }

    pub fn sub(&mut self, a: Var, b: Var) -> Var {
        self.push(self.value(a) - self.value(b), Op::Sub(a, b))
    }

    pub fn mul(&mut self, a: Var, b: Var) -> Var {
        self.push(self.value(a) * self.value(b), Op::Mul(a, b))
    }

    pub fn div(&mut self, a: Var, b: Var) -> Var {
        self.push(self.value(a) / self.value(b), Op::Div(a, b))
    }

    pub fn neg(&mut self, a: Var) -> Var {
        self.push(-self.value(a), Op::Neg(a))
    }

    pub fn powf(&mut self, a: Var, p: f64) -> Var {
        self.push(self.value(a).powf(p), Op::Powf(a, p))
    }

    pub fn exp(&mut self, a: Var) -> Var {
        self.push(self.value(a).exp(), Op::Exp(a))
    }

    pub fn ln(&mut self, a: Var) -> Var {
        self.push(self.value(a).ln(), Op::Ln(a))
    }

    pub fn tanh(&mut self, a: Var) -> Var {
        self.push(self.value(a).tanh(), Op::Tanh(a))
    }

    pub fn sigmoid(&mut self, a: Var) -> Var {
        self.push(crate::activations::sigmoid(self.value(a)), Op::Sigmoid(a))
    }

    pub fn relu(&mut self, a: Var) -> Var {
        self.push(self.value(a).max(0.0), Op::Relu(a))
    }

    /// A constant (a leaf whose gradient nobody reads).
    pub fn constant(&mut self, value: f64) -> Var {
        self.leaf(value)
    }

    /// `a + c` for a constant `c`.
    pub fn add_const(&mut self, a: Var, c: f64) -> Var {
        let c = self.constant(c);
        self.add(a, c)
    }

    /// `a · c` for a constant `c`.
    pub fn mul_const(&mut self, a: Var, c: f64) -> Var {
        let c = self.constant(c);
        self.mul(a, c)
    }

    /// The sum of `vs` (a chain of additions; 0 for none).
    pub fn sum(&mut self, vs: &[Var]) -> Var {
        match vs.split_first() {
            None => self.constant(0.0),
            Some((&first, rest)) => rest.iter().fold(first, |acc, &v| self.add(acc, v)),
        }
    }

    /// `Σ a_i b_i`.
    pub fn dot(&mut self, a: &[Var], b: &[Var]) -> Var {
        assert_eq!(a.len(), b.len(), "dot of different lengths");
        let products: Vec<Var> = a.iter().zip(b).map(|(&x, &y)| self.mul(x, y)).collect();
        self.sum(&products)
    }

    /// Fills in `grad` for every node: ∂out/∂node. Nodes after `out` are
    /// ignored; nodes that `out` does not depend on get 0.
    pub fn backward(&mut self, out: Var) {
        for n in &mut self.nodes {
            n.grad = 0.0;
        }
        self.nodes[out.0].grad = 1.0;
        // The tape order is topological, so walking it backwards visits each
        // node after every node that uses it: its gradient is complete.
        for i in (0..=out.0).rev() {
            let Node { value, grad, op } = self.nodes[i];
            if grad == 0.0 {
                continue;
            }
            match op {
                Op::Leaf => {}
                Op::Add(a, b) => {
                    self.nodes[a.0].grad += grad;
                    self.nodes[b.0].grad += grad;
                }
                Op::Sub(a, b) => {
                    self.nodes[a.0].grad += grad;
                    self.nodes[b.0].grad -= grad;
                }
                Op::Mul(a, b) => {
                    let (va, vb) = (self.value(a), self.value(b));
                    self.nodes[a.0].grad += grad * vb;
                    self.nodes[b.0].grad += grad * va;
                }
                Op::Div(a, b) => {
                    let (va, vb) = (self.value(a), self.value(b));
                    self.nodes[a.0].grad += grad / vb;
                    self.nodes[b.0].grad -= grad * va / (vb * vb);
                }
                Op::Neg(a) => self.nodes[a.0].grad -= grad,
                Op::Powf(a, p) => {
                    let va = self.value(a);
                    self.nodes[a.0].grad += grad * p * va.powf(p - 1.0);
                }
                Op::Exp(a) => self.nodes[a.0].grad += grad * value,
                Op::Ln(a) => {
                    let va = self.value(a);
                    self.nodes[a.0].grad += grad / va;
                }
                Op::Tanh(a) => self.nodes[a.0].grad += grad * (1.0 - value * value),
                Op::Sigmoid(a) => self.nodes[a.0].grad += grad * value * (1.0 - value),
                Op::Relu(a) => {
                    if self.value(a) > 0.0 {
                        self.nodes[a.0].grad += grad;
                    }
                }
            }
        }
    }

    /// The nodes that `out` depends on, each after its inputs, found by
    /// depth-first search (micrograd's `build_topo`). `backward` does not
    /// need it (the tape is already in this order) but it shows the idea.
    pub fn topological_order(&self, out: Var) -> Vec<Var> {
        let mut visited = vec![false; out.0 + 1];
        let mut order = Vec::new();
        // An explicit stack instead of recursion: deep graphs (long sums)
        // would overflow the call stack. `true` marks "inputs done, emit".
        let mut stack = vec![(out, false)];
        while let Some((v, inputs_done)) = stack.pop() {
            if inputs_done {
                order.push(v);
                continue;
            }
            if visited[v.0] {
                continue;
            }
            visited[v.0] = true;
            stack.push((v, true));
            for input in inputs(self.nodes[v.0].op).into_iter().flatten() {
                if !visited[input.0] {
                    stack.push((input, false));
                }
            }
        }
        order
    }
}

/// The inputs of an operation (none, one or two).
fn inputs(op: Op) -> [Option<Var>; 2] {
    match op {
        Op::Leaf => [None, None],
        Op::Add(a, b) | Op::Sub(a, b) | Op::Mul(a, b) | Op::Div(a, b) => [Some(a), Some(b)],
        Op::Neg(a)
        | Op::Powf(a, _)
        | Op::Exp(a)
        | Op::Ln(a)
        | Op::Tanh(a)
        | Op::Sigmoid(a)
        | Op::Relu(a) => [Some(a), None],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradient_check::{max_relative_error, numerical_gradient};

    /// A function of three inputs that uses every operation, some inputs
    /// more than once.
    fn every_op(g: &mut Graph, x: &[Var]) -> Var {
        let (a, b, c) = (x[0], x[1], x[2]);
        let ab = g.mul(a, b);
        let s = g.add(ab, c);
        let t = g.tanh(s);
        let d = g.sub(a, c);
        let sq = g.powf(d, 2.0);
        let e = g.exp(b);
        let q = g.div(sq, e);
        let one = g.constant(1.0);
        let bb = g.mul(b, b);
        let lnarg = g.add(one, bb);
        let l = g.ln(lnarg);
        let sg = g.sigmoid(ab);
        let r = g.relu(s);
        let n = g.neg(l);
        g.sum(&[t, q, n, sg, r])
    }

    fn eval(x: &[f64]) -> f64 {
        let mut g = Graph::new();
        let vars: Vec<Var> = x.iter().map(|&v| g.leaf(v)).collect();
        let out = every_op(&mut g, &vars);
        g.value(out)
    }

    #[test]
    fn gradients_of_every_op_match_finite_differences() {
        for x in [[0.5, -1.2, 0.3], [1.5, 0.7, -2.0], [-0.4, 2.2, 1.1]] {
            let mut g = Graph::new();
            let vars: Vec<Var> = x.iter().map(|&v| g.leaf(v)).collect();
            let out = every_op(&mut g, &vars);
            g.backward(out);
            let analytic: Vec<f64> = vars.iter().map(|&v| g.grad(v)).collect();
            let numeric = numerical_gradient(eval, &x, 1e-6);
            let err = max_relative_error(&analytic, &numeric);
            assert!(err < 1e-7, "{x:?}: {analytic:?} vs {numeric:?} ({err})");
        }
    }

    #[test]
    fn hand_computed_example() {
        // L = (a·b + a)², a = 2, b = 3: L = 64, ∂L/∂a = 2·8·(b + 1) = 64,
        // ∂L/∂b = 2·8·a = 32.
        let mut g = Graph::new();
        let a = g.leaf(2.0);
        let b = g.leaf(3.0);
        let ab = g.mul(a, b);
        let s = g.add(ab, a);
        let l = g.powf(s, 2.0);
        g.backward(l);
        assert_eq!(g.value(l), 64.0);
        assert_eq!(g.grad(a), 64.0);
        assert_eq!(g.grad(b), 32.0);
        // Relu's gradient is 0 at and below 0.
        let z = g.leaf(0.0);
        let r = g.relu(z);
        g.backward(r);
        assert_eq!(g.grad(z), 0.0);
    }

    #[test]
    fn topological_order_puts_inputs_first_and_skips_unused_nodes() {
        let mut g = Graph::new();
        let x = g.leaf(1.0);
        let unused = g.leaf(5.0);
        let y = g.mul(x, x);
        let z = g.exp(y);
        let w = g.add(z, y);
        let order = g.topological_order(w);
        assert!(!order.contains(&unused));
        assert_eq!(order.len(), 4);
        let pos = |v: Var| order.iter().position(|&o| o == v).unwrap();
        assert!(pos(x) < pos(y) && pos(y) < pos(z) && pos(z) < pos(w));
        g.backward(w);
        assert_eq!(g.grad(unused), 0.0);
        // dw/dx = (e^{x²} + 1) 2x = 2(e + 1).
        assert!((g.grad(x) - 2.0 * (1f64.exp() + 1.0)).abs() < 1e-12);
    }
}
