//! Writes the HF `tokenizer.json` of a SentencePiece Unigram `.model`.
//!
//!     cargo run --release -p journey-text --example spm_to_tokenizer_json -- IN.model OUT.json

use journey_text::sentencepiece_model::ModelProto;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        return Err("usage: spm_to_tokenizer_json IN.model OUT.json".into());
    }
    let model = ModelProto::open(&args[1])?;
    std::fs::write(
        &args[2],
        journey_text::unigram_json::to_tokenizer_json(&model)?,
    )?;
    Ok(())
}
