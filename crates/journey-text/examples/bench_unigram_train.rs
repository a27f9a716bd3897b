//! Time of Unigram (SentencePiece) training on about 7.8 MB of real text,
//! and how the result compares with sentencepiece's model.
//!
//! The corpus (`$JOURNEY_DATA`, default `/work/shared/data`), in this order,
//! each file whole, one sentence per line (7,791,763 bytes in all):
//!
//! | file | bytes |
//! |---|---|
//! | corpora/kjv/kjv.txt | 4,298,239 |
//! | corpora/tinyshakespeare/input.txt | 1,115,394 |
//! | corpora/wikitext-2/valid.txt | 1,121,681 |
//! | corpora/wikitext-2/test.txt | 1,256,449 |
//!
//! Settings: sentencepiece's defaults (nmt_nfkc, character coverage 0.9995,
//! seed 1,000,000 substrings, shrinking 0.75, two sub-iterations, pieces of
//! at most 16 characters), vocab size VOCAB (default 8000). Training runs in
//! a 1-thread and a 2-thread rayon pool; the time covers normalisation,
//! seeding, EM and pruning, not reading the files nor building the nmt_nfkc
//! charsmap (done once per process, timed apart). Compare with
//! `tools/reference/bench_unigram_train.py`, which also saves
//! sentencepiece's model; given it with `--reference`, this prints the
//! vocabulary overlap, tokens per line on held-out text (the first 5,000
//! lines of eval/parallel/multi30k/train.en) and the log-likelihood of the
//! held-out and training text under both models.
//!
//! `cargo run --release -p journey-text --example bench_unigram_train -- [VOCAB] [--save OURS.model] [--reference SPM.model]`

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use journey_text::sentencepiece::SentencePieceProcessor;
use journey_text::sentencepiece_charsmap::NormalizationRule;
use journey_text::sentencepiece_model::ModelProto;
use journey_text::unigram_train::{log_likelihood, UnigramTrainer, UnigramTrainerConfig};

/// The benchmark corpus, relative to `$JOURNEY_DATA`.
pub const FILES: [&str; 4] = [
    "corpora/kjv/kjv.txt",
    "corpora/tinyshakespeare/input.txt",
    "corpora/wikitext-2/valid.txt",
    "corpora/wikitext-2/test.txt",
];
const HELDOUT: &str = "eval/parallel/multi30k/train.en";

/// CPU seconds used by this process so far (all threads; Linux
/// `/proc/self/stat` utime + stime at 100 ticks per second), or 0 elsewhere.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which ends with ')'.
    let rest = stat.rsplit_once(')').map(|r| r.1).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut vocab = 8000usize;
    let mut save: Option<PathBuf> = None;
    let mut reference: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--save" => save = args.next().map(PathBuf::from),
            "--reference" => reference = args.next().map(PathBuf::from),
            v => vocab = v.parse()?,
        }
    }
    let root = PathBuf::from(std::env::var("JOURNEY_DATA").unwrap_or("/work/shared/data".into()));
    let mut lines = Vec::new();
    let mut bytes = 0;
    for f in FILES {
        let text = std::fs::read_to_string(root.join(f))?;
        bytes += text.len();
        lines.extend(text.lines().map(str::to_owned));
    }
    let t = Instant::now();
    NormalizationRule::NmtNfkc.precompiled_charsmap();
    println!(
        "nmt_nfkc charsmap built in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let trainer = UnigramTrainer::new(UnigramTrainerConfig {
        vocab_size: vocab,
        ..Default::default()
    });
    let mut model = None;
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let t = Instant::now();
        let cpu = cpu_seconds();
        let (m, stats) = pool.install(|| trainer.train_with_stats(&lines))?;
        println!(
            "threads {threads}: {:.2} s wall, {:.2} s CPU for {bytes} bytes, {} lines, vocab {vocab} ({} sentences, {} words, {} seeds, sizes {:?})",
            t.elapsed().as_secs_f64(),
            cpu_seconds() - cpu,
            lines.len(),
            stats.sentences,
            stats.words,
            stats.seeds,
            stats.sizes
        );
        if let Some(prev) = &model {
            let prev: &ModelProto = prev;
            // Only trainer_spec.num_threads may differ.
            assert!(
                prev.pieces == m.pieces,
                "the thread count changed the pieces"
            );
        }
        model = Some(m);
    }
    let model = model.expect("trained");
    if let Some(path) = &save {
        model.save(path)?;
    }
    if let Some(path) = &reference {
        let theirs = ModelProto::open(path)?;
        let a: HashSet<&str> = model.pieces.iter().map(|p| p.piece.as_str()).collect();
        let b: HashSet<&str> = theirs.pieces.iter().map(|p| p.piece.as_str()).collect();
        let inter = a.intersection(&b).count();
        println!(
            "vocabulary: {} shared pieces, Jaccard {:.4}",
            inter,
            inter as f64 / (a.len() + b.len() - inter) as f64
        );
        let held: Vec<String> = std::fs::read_to_string(root.join(HELDOUT))?
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(5000)
            .map(str::to_owned)
            .collect();
        let ours_sp = SentencePieceProcessor::from_proto(model.clone(), path)?;
        let theirs_sp = SentencePieceProcessor::from_proto(theirs.clone(), path)?;
        let count = |sp: &SentencePieceProcessor, l: &[String]| -> usize {
            sp.encode_ids_batch(l).iter().map(Vec::len).sum()
        };
        let (o, t) = (count(&ours_sp, &held), count(&theirs_sp, &held));
        println!(
            "held-out {HELDOUT} ({} lines): tokens/line ours {:.3} sentencepiece {:.3} ({:+.2}%)",
            held.len(),
            o as f64 / held.len() as f64,
            t as f64 / held.len() as f64,
            100.0 * (o as f64 / t as f64 - 1.0)
        );
        let (o, t) = (count(&ours_sp, &lines), count(&theirs_sp, &lines));
        println!(
            "training text: tokens ours {o} sentencepiece {t} ({:+.2}%)",
            100.0 * (o as f64 / t as f64 - 1.0)
        );
        for (name, text) in [("held-out", &held), ("training", &lines)] {
            let (lo, lt) = (
                log_likelihood(&model, text)?,
                log_likelihood(&theirs, text)?,
            );
            println!(
                "log-likelihood {name}: ours {lo:.1} sentencepiece {lt:.1} (ours {:+.3}% of |theirs|)",
                100.0 * (lo - lt) / lt.abs()
            );
        }
    }
    Ok(())
}
