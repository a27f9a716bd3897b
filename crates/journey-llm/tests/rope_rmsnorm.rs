//! RoPE and RMSNorm against Hugging Face transformers 4.46.3's LLaMA and
//! Gemma code on the same random inputs (`tools/reference/rope_rmsnorm_golden.py`).

use candle_core::{Device, Tensor};
use journey_llm::rms_norm::RmsNorm;
use journey_llm::rope::Rope;
use serde_json::Value;

fn flat(v: &Value) -> Vec<f32> {
    fn walk(v: &Value, out: &mut Vec<f32>) {
        match v {
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            x => out.push(x.as_f64().unwrap() as f32),
        }
    }
    let mut out = vec![];
    walk(v, &mut out);
    out
}

fn max_diff(t: &Tensor, want: &Value) -> f32 {
    let got: Vec<f32> = t.flatten_all().unwrap().to_vec1().unwrap();
    let want = flat(want);
    assert_eq!(got.len(), want.len());
    got.iter()
        .zip(&want)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f32::max)
}

#[test]
fn equal_to_transformers_llama_and_gemma() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/rope_rmsnorm_golden.json"
    );
    let g: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let dev = Device::Cpu;
    let q = Tensor::from_vec(flat(&g["q"]), (1, 2, 5, 8), &dev).unwrap();
    let rope = Rope::new(8, 64, g["base"].as_f64().unwrap(), &dev).unwrap();
    let r = rope
        .apply(&q, g["offset"].as_u64().unwrap() as usize)
        .unwrap();
    let d = max_diff(&r, &g["q_rot"]);
    assert!(d < 1e-5, "RoPE max |Δ| {d}");

    let x = Tensor::from_vec(flat(&g["x"]), (3, 16), &dev).unwrap();
    let w = Tensor::from_vec(flat(&g["weight"]), 16, &dev).unwrap();
    let eps = g["eps"].as_f64().unwrap();
    let llama = RmsNorm::new(w.clone(), eps, 0.0)
        .unwrap()
        .forward(&x)
        .unwrap();
    let d = max_diff(&llama, &g["llama_rmsnorm"]);
    assert!(d < 1e-5, "LLaMA RMSNorm max |Δ| {d}");
    let gemma = RmsNorm::new(w, eps, 1.0).unwrap().forward(&x).unwrap();
    let d = max_diff(&gemma, &g["gemma_rmsnorm"]);
    assert!(d < 1e-5, "Gemma RMSNorm max |Δ| {d}");
}
