//! Vanishing and exploding gradients in recurrent networks, on Tiny
//! Shakespeare; prints tables, or JSON with `--json`.
//!
//! Command (from the repository root):
//!     cargo run --release -p journey-nn --example rnn_gradients -- \
//!         --data /work/shared/data/corpora/tinyshakespeare/input.txt

use journey_nn::rnn_gradients::{
    clipping_runs, exploding_norms, vanishing, ClippingConfig, VanishingConfig,
};

fn opt(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = opt("--data", "../shared/data/corpora/tinyshakespeare/input.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let text: String = text.chars().take(200_000).collect();
    let json = std::env::args().any(|a| a == "--json");
    let curves = vanishing(&text, &VanishingConfig::default())?;
    let lengths = [1, 5, 10, 20, 40, 60];
    let explode = exploding_norms(1.1, 64, &lengths, 0)?;
    let clip = clipping_runs(&text, &ClippingConfig::default())?;
    if json {
        println!(
            "{}",
            serde_json::json!({"vanishing": curves, "exploding": explode, "clipping": clip})
        );
        return Ok(());
    }
    println!("vanishing: ||dL/dx_(T-1-k)|| / ||dL/dx_(T-1)||");
    println!("{:>4} {:>12} {:>12}", "k", "tanh RNN", "LSTM");
    for k in [0, 1, 2, 5, 10, 20, 30, 40, 50, 59] {
        if k < curves[0].relative.len() {
            println!(
                "{k:>4} {:>12.3e} {:>12.3e}",
                curves[0].relative[k], curves[1].relative[k]
            );
        }
    }
    println!("\nexploding: linear RNN, W = 1.1 Q (Q orthogonal), L = v.h_T");
    println!(
        "{:>4} {:>12} {:>12} {:>12}",
        "T", "|dL/dh0|", "r^T |v|", "|dL/dW|"
    );
    for p in &explode {
        println!(
            "{:>4} {:>12.4e} {:>12.4e} {:>12.4e}",
            p.seq_len, p.grad_h0, p.predicted_h0, p.grad_w
        );
    }
    println!("\nclipping: tanh RNN LM, W_hh = 1.5 Q, SGD");
    for c in &clip {
        println!(
            "clip {:?}: diverged {}, max loss jump {:.3}, max grad norm {:.3e}, losses {:?}",
            c.clip_norm,
            c.diverged,
            c.max_jump(),
            c.grad_norms.iter().cloned().fold(0.0, f64::max),
            c.losses
                .iter()
                .map(|l| (l * 100.0).round() / 100.0)
                .collect::<Vec<_>>()
        );
    }
    Ok(())
}
