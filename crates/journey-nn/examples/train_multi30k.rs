//! Trains the attentional seq2seq model on Multi30k en→de for a fixed wall
//! time, printing the validation loss of each epoch, then the test BLEU
//! (sacreBLEU 13a, lowercased, on detokenised greedy output) and the
//! training speed. The PyTorch counterpart is
//! `tools/reference/seq2seq_torch.py` (same model, data and budget).
//!
//! ```text
//! RAYON_NUM_THREADS=2 cargo run --release -p journey-nn --example train_multi30k -- \
//!     --data /work/shared/data/eval/parallel/multi30k --minutes 8 [--cell gru|lstm] \
//!     [--batch 64] [--lr 0.001] [--beam 1] [--save model.safetensors] [--hyps out.txt]
//! ```

use std::path::PathBuf;

use journey_nn::beam_search::BeamConfig;
use journey_nn::recurrent::CellKind;
use journey_nn::seq2seq::{ParallelText, Seq2Seq, Seq2SeqConfig, Seq2SeqFitConfig};

fn lines(dir: &std::path::Path, name: &str) -> Vec<String> {
    let p = dir.join(name);
    std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

fn main() {
    journey_nn::allocator::keep_freed_memory();
    let mut data = PathBuf::from("/work/shared/data/eval/parallel/multi30k");
    let mut minutes = 8.0f64;
    let mut config = Seq2SeqConfig::default();
    let mut fit = Seq2SeqFitConfig {
        epochs: 1000,
        runs_dir: std::env::temp_dir().join("journey-seq2seq-runs"),
        run_name: format!("multi30k-{}", std::process::id()),
        ..Default::default()
    };
    let mut beam = BeamConfig {
        beam_size: 1,
        max_len: 50,
        ..Default::default()
    };
    let mut save: Option<PathBuf> = None;
    let mut hyps_out: Option<PathBuf> = None;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        let num = |what: &str| -> f64 {
            v.parse()
                .unwrap_or_else(|_| panic!("{what} needs a number, got {v:?}"))
        };
        match args[i].as_str() {
            "--data" => data = PathBuf::from(&v),
            "--minutes" => minutes = num("--minutes"),
            "--batch" => fit.batch_size = num("--batch") as usize,
            "--lr" => fit.lr = num("--lr"),
            "--seed" => fit.seed = num("--seed") as u64,
            "--beam" => beam.beam_size = num("--beam") as usize,
            "--hidden" => config.hidden_size = num("--hidden") as usize,
            "--emb" => config.embedding_dim = num("--emb") as usize,
            "--cell" => {
                config.cell = match v.as_str() {
                    "gru" => CellKind::Gru,
                    "lstm" => CellKind::Lstm,
                    _ => panic!("--cell must be gru or lstm, got {v:?}"),
                }
            }
            "--save" => save = Some(PathBuf::from(&v)),
            "--hyps" => hyps_out = Some(PathBuf::from(&v)),
            other => panic!("unknown flag {other}"),
        }
        i += 2;
    }
    fit.time_limit_s = Some(minutes * 60.0);
    let (tr_en, tr_de) = (lines(&data, "train.en"), lines(&data, "train.de"));
    let (va_en, va_de) = (lines(&data, "val.en"), lines(&data, "val.de"));
    let (te_en, te_de) = (lines(&data, "test.en"), lines(&data, "test.de"));
    let train = ParallelText {
        src: &tr_en,
        tgt: &tr_de,
    };
    let val = ParallelText {
        src: &va_en,
        tgt: &va_de,
    };
    let test = ParallelText {
        src: &te_en,
        tgt: &te_de,
    };
    let mut model = Seq2Seq::new(config.clone(), train, fit.seed).expect("model");
    println!(
        "config {} | src vocab {} | tgt vocab {} | threads {}",
        serde_json::to_string(&config).unwrap(),
        model.src_vocab().len(),
        model.tgt_vocab().len(),
        rayon::current_num_threads()
    );
    let s = model.fit(train, val, &fit, None).expect("training");
    for (step, m) in &s.report.evals {
        println!(
            "step {step}: val loss {:.4} (ppl {:.2})",
            m["loss"], m["perplexity"]
        );
    }
    let final_val = model.evaluate(val).expect("validation");
    println!(
        "trained {} steps in {:.1} s, {} target tokens, {:.0} tokens/s; final val loss {:.4}",
        s.report.state.step,
        s.seconds,
        s.train_tokens,
        s.train_tokens as f64 / s.seconds,
        final_val["loss"]
    );
    let t0 = std::time::Instant::now();
    let (bleu, hyps) = model.bleu(test, &beam).expect("BLEU");
    println!(
        "test BLEU {:.2} (beam {}, {:.1} s) {}",
        bleu.score,
        beam.beam_size,
        t0.elapsed().as_secs_f64(),
        bleu.signature
    );
    if let Some(p) = hyps_out {
        std::fs::write(&p, hyps.join("\n") + "\n").expect("write hypotheses");
    }
    if let Some(p) = save {
        model.save(&p).expect("save");
    }
}
