//! The fuzz targets' checks (`fuzz/src/checks.rs`, included here) on a few
//! thousand seeded pseudo-random and mutated inputs, on the stable
//! toolchain, so CI runs them although it does not fuzz. The real fuzzing is
//! `cargo +nightly fuzz run …` (fuzz/README.md).
//!
//! * `tokenizer_roundtrip`: real corpus lines and tricky strings, mutated
//!   at the byte level (bit flips, invalid UTF-8, insertions, deletions,
//!   splices), through BPE, SentencePiece and WordPiece;
//! * `model_files`: real tokenizer files of every format (a SentencePiece
//!   model, tiktoken ranks, HF tokenizer.json for WordPiece and BPE, a
//!   vocab.txt, GPT-2 files), cut and corrupted, through every reader.
//!
//! Same seed, same inputs. Needs `$JOURNEY_DATA` (skips without it).

#[path = "../../../fuzz/src/checks.rs"]
#[allow(dead_code)] // from_env serves the fuzz targets only
mod checks;
mod common;

use journey_text::bpe_train::{pretokenizer_fn, BpeTrainer, BpeTrainerConfig};
use journey_text::wordpiece_train::{WordPieceTrainer, WordPieceTrainerConfig};

/// xorshift64*: a small seeded generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the readers and tokenizers.
const INTERESTING: &[&[u8]] = &[
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xe6\x97",
    b"\xf0\x9f\x99",
    b"\n",
    b"\r\n",
    b" ",
    b"\t",
    b"\xe2\x96\x81",
    b"4294967295",
    b"-1",
    b"99999999999999999999",
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b"null",
    b"<|endoftext|>",
    b"[UNK]",
    b"##",
    b"=",
    b"\\u0000",
    b"\\ud800",
    b"0",
];

/// `seed` changed by one to four random edits.
fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(7) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            1 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            2 => {
                let ins = INTERESTING[rng.below(INTERESTING.len())];
                b.splice(at..at, ins.iter().copied());
            }
            3 => {
                let end = (at + 1 + rng.below(16)).min(b.len());
                b.drain(at.min(end)..end);
            }
            4 => b.truncate(at),
            5 if !other.is_empty() => {
                // Splice a piece of another input in.
                let from = rng.below(other.len());
                let to = (from + 1 + rng.below(64)).min(other.len());
                b.splice(at..at, other[from..to].iter().copied());
            }
            _ => {
                let n = rng.below(8);
                let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                b.splice(at..at, junk);
            }
        }
    }
    b
}

#[test]
fn tokenizer_roundtrip_smoke() {
    let Some(_) = common::data_file("tokenizers/sentencepiece/llama2-bpe-32k.model") else {
        return;
    };
    let root = journey_data::testdata::root().unwrap();
    let t = checks::Tokenizers::load(&root);
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    for (file, n) in [
        ("corpora/tinyshakespeare/input.txt", 40),
        ("eval/parallel/multi30k/test.de", 40),
        ("sentiment/vader_groundtruth/tweets_GroundTruth.txt", 40),
    ] {
        let path = common::data_file(file).unwrap();
        let lines = common::read_lines(&path, false);
        seeds.extend(lines.iter().take(n).map(|l| l.as_bytes().to_vec()));
    }
    seeds.push(Vec::new());
    seeds.push(
        "ﬁ ＡＢＣ ▁▁ 日本語 🙂👍🏽 e\u{301} <|endoftext|> [CLS]"
            .as_bytes()
            .to_vec(),
    );

    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut n = 0;
    for seed in &seeds {
        checks::check_roundtrip(&t, seed);
        n += 1;
    }
    for _ in 0..1500 {
        let seed = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, seed, other);
        checks::check_roundtrip(&t, &input);
        n += 1;
    }
    // Pure noise too.
    for _ in 0..300 {
        let len = rng.below(64);
        let input: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        checks::check_roundtrip(&t, &input);
        n += 1;
    }
    println!("tokenizer_roundtrip: {n} inputs");
}

#[test]
fn model_files_smoke() {
    let Some(model) = common::data_file("tokenizers/sentencepiece/toy-unigram-1k.model") else {
        return;
    };
    let cl100k = common::data_file("tokenizers/tiktoken/cl100k_base.tiktoken").unwrap();
    let corpus = common::data_file("tokenizers/bpe_training/corpus.en").unwrap();
    let text = std::fs::read_to_string(&corpus).unwrap();
    let lines: Vec<&str> = text.lines().collect();

    // Small real files of each format.
    let ranks: Vec<u8> = std::fs::read_to_string(&cl100k)
        .unwrap()
        .lines()
        .take(400)
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect();
    let wp = WordPieceTrainer::new(WordPieceTrainerConfig {
        vocab_size: 120,
        ..Default::default()
    })
    .train(&lines)
    .unwrap();
    let pre = pretokenizer_fn(|t, out| t.split_inclusive(' ').for_each(out));
    let bpe = BpeTrainer::new(BpeTrainerConfig {
        vocab_size: 270,
        special_tokens: vec!["<|endoftext|>".into()],
        ..Default::default()
    })
    .train(&lines, &pre)
    .unwrap();
    let gpt2 = format!("{}{}", bpe.to_vocab_json(), bpe.to_merges_txt());
    let small: Vec<Vec<u8>> = vec![
        ranks,
        wp.to_tokenizer_json().into_bytes(),
        journey_text::bpe_json::to_tokenizer_json(&bpe).into_bytes(),
        wp.model.to_vocab_txt().unwrap().into_bytes(),
        gpt2.into_bytes(),
    ];
    let sp_model = std::fs::read(&model).unwrap();

    let mut rng = Rng(0x5eed_1234_abcd_0002);
    let mut n = 0;
    for seed in &small {
        checks::check_model_files(seed);
        n += 1;
    }
    for _ in 0..600 {
        let seed = &small[rng.below(small.len())];
        let other = &small[rng.below(small.len())];
        checks::check_model_files(&mutate(&mut rng, seed, other));
        n += 1;
    }
    // The SentencePiece model is large: fewer rounds.
    for _ in 0..40 {
        checks::check_model_files(&mutate(&mut rng, &sp_model, &[]));
        n += 1;
    }
    for _ in 0..200 {
        let len = rng.below(200);
        let input: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        checks::check_model_files(&input);
        n += 1;
    }
    println!("model_files: {n} inputs");
}
