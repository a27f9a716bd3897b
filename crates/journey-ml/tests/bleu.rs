//! BLEU parity with sacreBLEU 2.5.1 on the Multi30k test split (German
//! references, 1,000 segments). `tools/reference/bleu_golden.py` wrote the
//! fixture; the hypothesis sets are rebuilt here from the data files by the
//! same deterministic recipe (see the script), so the fixture holds no text.

mod common;

use journey_ml::bleu::{Bleu, BleuConfig, BleuScore, SmoothMethod};
use journey_ml::pystr;
use journey_ml::sacrebleu_tokenize::{tokenize_13a, tokenize_intl};
use serde_json::Value;

const TOL: f64 = 1e-9;

/// splitmix64, as the golden script draws its noise.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn noisy(lines: &[String], p: f64, seed: u64) -> Vec<String> {
    let mut rng = SplitMix64(seed);
    lines
        .iter()
        .map(|line| {
            let mut words: Vec<&str> = pystr::split(line).filter(|_| rng.uniform() >= p).collect();
            for i in 0..words.len().saturating_sub(1) {
                if rng.uniform() < p / 2.0 {
                    words.swap(i, i + 1);
                }
            }
            words.join(" ")
        })
        .collect()
}

fn read_lines(rel: &str) -> Option<Vec<String>> {
    let path = common::data_file(rel)?;
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    lines.pop();
    Some(lines)
}

struct Corpus {
    reference: Vec<String>,
    source: Vec<String>,
}

impl Corpus {
    fn load(golden: &Value) -> Option<Corpus> {
        let reference = read_lines(golden["ref"].as_str().unwrap())?;
        let source = read_lines(golden["src"].as_str().unwrap())?;
        assert_eq!((reference.len(), source.len()), (1000, 1000));
        Some(Corpus { reference, source })
    }

    fn make(&self, spec: &Value) -> Vec<String> {
        match spec["kind"].as_str().unwrap() {
            "ref" => self.reference.clone(),
            "src" => self.source.clone(),
            "shift" => {
                let mut v = self.reference[1..].to_vec();
                v.push(self.reference[0].clone());
                v
            }
            "noise" => noisy(
                &self.reference,
                spec["p"].as_f64().unwrap(),
                spec["seed"].as_u64().unwrap(),
            ),
            other => panic!("unknown kind {other}"),
        }
    }

    /// `(hypotheses, reference streams)` of a named system.
    fn system(&self, golden: &Value, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let sys = golden["systems"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap();
        let hyp = self.make(&sys["hyp"]);
        let refs = sys["refs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| self.make(r))
            .collect();
        (hyp, refs)
    }
}

fn config(v: &Value) -> BleuConfig {
    BleuConfig {
        tokenize: v["tokenize"].as_str().unwrap().parse().unwrap(),
        lowercase: v["lowercase"].as_bool().unwrap(),
        smooth_method: v["smooth_method"].as_str().unwrap().parse().unwrap(),
        smooth_value: v["smooth_value"].as_f64(),
        max_ngram_order: 4,
        effective_order: v["effective_order"].as_bool().unwrap(),
    }
}

fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn golden() -> Value {
    common::read_fixture("bleu_sacrebleu.json")
}

/// Largest |ours − sacreBLEU| over the score, precisions and brevity penalty.
fn check_corpus(ours: &BleuScore, expected: &Value, cfg: &BleuConfig, what: &str) -> f64 {
    assert_eq!(
        ours.sys_len,
        expected["sys_len"].as_u64().unwrap(),
        "{what}: sys_len"
    );
    assert_eq!(
        ours.ref_len,
        expected["ref_len"].as_u64().unwrap(),
        "{what}: ref_len"
    );
    // sacreBLEU reports add-k counts after adding k (orders n > 1).
    let k = if cfg.smooth_method == SmoothMethod::AddK {
        cfg.smooth_value.unwrap_or(1.0)
    } else {
        0.0
    };
    let shift = |n: usize| if n == 0 { 0.0 } else { k };
    let (counts, totals) = (f64s(&expected["counts"]), f64s(&expected["totals"]));
    for n in 0..4 {
        assert_eq!(
            ours.counts[n] as f64 + shift(n),
            counts[n],
            "{what}: counts[{n}]"
        );
        assert_eq!(
            ours.totals[n] as f64 + shift(n),
            totals[n],
            "{what}: totals[{n}]"
        );
    }
    assert_eq!(
        ours.signature,
        expected["signature"].as_str().unwrap(),
        "{what}"
    );
    assert_eq!(
        ours.to_string(),
        expected["format"].as_str().unwrap(),
        "{what}"
    );
    let mut worst = (ours.score - expected["score"].as_f64().unwrap()).abs();
    worst = worst.max((ours.bp - expected["bp"].as_f64().unwrap()).abs());
    for (a, b) in ours.precisions.iter().zip(f64s(&expected["precisions"])) {
        worst = worst.max((a - b).abs());
    }
    assert!(worst <= TOL, "{what}: |Δ| = {worst:e}");
    worst
}

#[test]
fn tokenizers_match_sacrebleu_on_edge_cases() {
    let golden = golden();
    for case in golden["tokenizer_cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        assert_eq!(
            tokenize_13a(input),
            case["13a"].as_str().unwrap(),
            "13a of {input:?}"
        );
        assert_eq!(
            tokenize_intl(input),
            case["intl"].as_str().unwrap(),
            "intl of {input:?}"
        );
    }
}

#[test]
fn corpus_bleu_matches_sacrebleu_on_multi30k() {
    let golden = golden();
    let Some(corpus) = Corpus::load(&golden) else {
        eprintln!("skipped: JOURNEY_DATA has no Multi30k");
        return;
    };
    let mut worst = 0.0f64;
    let mut checked = 0;
    let mut systems = std::collections::HashMap::new();
    for expected in golden["corpus"].as_array().unwrap() {
        let name = expected["system"].as_str().unwrap();
        let (hyp, refs) = systems
            .entry(name.to_string())
            .or_insert_with(|| corpus.system(&golden, name));
        let cfg = config(&expected["config"]);
        let bleu = Bleu::new(cfg.clone()).unwrap();
        let ours = bleu.corpus_score(hyp, refs).unwrap();
        worst = worst.max(check_corpus(
            &ours,
            expected,
            &cfg,
            &format!("{name} {cfg:?}"),
        ));
        checked += 1;
    }
    assert_eq!(checked, 90);
    eprintln!("corpus BLEU: {checked} scores, max |Δ| = {worst:e}");
}

#[test]
fn sentence_bleu_matches_sacrebleu_on_multi30k() {
    let golden = golden();
    let Some(corpus) = Corpus::load(&golden) else {
        eprintln!("skipped: JOURNEY_DATA has no Multi30k");
        return;
    };
    let mut worst = 0.0f64;
    let mut checked = 0;
    for expected in golden["sentence"].as_array().unwrap() {
        let name = expected["system"].as_str().unwrap();
        let (hyp, refs) = corpus.system(&golden, name);
        let cfg = config(&expected["config"]);
        let bleu = Bleu::new(cfg.clone()).unwrap();
        for (i, want) in f64s(&expected["scores"]).into_iter().enumerate() {
            let seg_refs: Vec<&str> = refs.iter().map(|r| r[i].as_str()).collect();
            let ours = bleu.sentence_score(&hyp[i], &seg_refs).unwrap().score;
            let d = (ours - want).abs();
            assert!(d <= TOL, "{name} {cfg:?} line {}: {ours} vs {want}", i + 1);
            worst = worst.max(d);
            checked += 1;
        }
    }
    assert_eq!(checked, 5600);
    eprintln!("sentence BLEU: {checked} scores, max |Δ| = {worst:e}");
}
