//! Vector files: text and binary round-trips are bit-exact; malformed files
//! give errors naming the file and line/record.

use journey_embed::vector_files::{read_format, read_vectors, to_bytes, write_vectors};
use journey_embed::{EmbedError, Embeddings, VectorFormat};

fn sample() -> Embeddings {
    let words = ["the", "king", "queen", "naïve"].map(String::from).to_vec();
    let data = vec![
        0.1,
        -2.5e-7,
        3.0,
        1.0 / 3.0,
        -0.0,
        1e30,
        7.25,
        -1.5,
        0.2,
        0.3,
        f32::MIN_POSITIVE,
        2.0,
    ];
    Embeddings::new(words, 3, data).unwrap()
}

#[test]
fn round_trips_are_bit_exact() {
    let dir = tempfile::tempdir().unwrap();
    let e = sample();
    for (name, fmt) in [
        ("v.txt", VectorFormat::Text),
        ("v.bin", VectorFormat::Binary),
        ("v.glove", VectorFormat::Glove),
    ] {
        let p = dir.path().join(name);
        write_vectors(&e, &p, fmt).unwrap();
        let back = read_vectors(&p).unwrap();
        assert_eq!(back.words(), e.words(), "{name}");
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(back.data()), bits(e.data()), "{name}");
        assert_eq!(back.index_of("queen"), Some(2));
    }
}

#[test]
fn truncated_binary_names_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.bin");
    let bytes = to_bytes(&sample(), VectorFormat::Binary);
    std::fs::write(&p, &bytes[..bytes.len() - 5]).unwrap();
    let err = read_format(&p, VectorFormat::Binary).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, EmbedError::Parse { .. }));
    assert!(
        msg.contains("t.bin") && msg.contains("record 4 of 4"),
        "{msg}"
    );
}

#[test]
fn wrong_dimension_and_bad_header_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.txt");
    std::fs::write(&p, "2 3\na 1 2 3\nb 1 2\n").unwrap();
    let msg = read_vectors(&p).unwrap_err().to_string();
    assert!(
        msg.contains("bad.txt:3") && msg.contains("expected 3"),
        "{msg}"
    );
    std::fs::write(&p, "2 x\na 1 2 3\n").unwrap();
    let msg = read_format(&p, VectorFormat::Text).unwrap_err().to_string();
    assert!(msg.contains("bad.txt:1") && msg.contains("header"), "{msg}");
    std::fs::write(&p, "3 3\na 1 2 3\n").unwrap();
    let msg = read_vectors(&p).unwrap_err().to_string();
    assert!(msg.contains("announces 3 words"), "{msg}");
    std::fs::write(&p, "a 1 zz 3\n").unwrap();
    let msg = read_vectors(&p).unwrap_err().to_string();
    assert!(msg.contains("bad.txt:1") && msg.contains("zz"), "{msg}");
}
