//! # Byte-level BPE vocabulary files and OpenAI's named encodings
//!
//! Two file formats hold the same thing, a table *byte string → rank*:
//!
//! * **tiktoken rank files** (`cl100k_base.tiktoken`…): one token per line,
//!   `base64(bytes) rank`. Read in O(file size).
//! * **GPT-2's `encoder.json` + `vocab.bpe`** (Radford et al. 2019, released
//!   with the model): tokens are written as printable characters through
//!   GPT-2's byte-to-unicode map (each byte that is not printable, or is a
//!   space, is shifted to U+0100 and up, so that `Ġ` is a space); `vocab.bpe`
//!   lists the merges in priority order. As tiktoken's
//!   `data_gym_to_mergeable_bpe_ranks` does, the ranks are the 256 single bytes
//!   (printable ones first) followed by one rank per merge, and `encoder.json`
//!   must agree with them — otherwise the two files come from different
//!   models, and the error names the first token that differs.
//!
//! [`Encoding`] names OpenAI's encodings with the patterns, special tokens and
//! files that tiktoken 0.14 (`tiktoken_ext/openai_public.py`) gives them; the
//! files are found relative to a data folder (`$JOURNEY_DATA`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use base64::Engine;

use crate::bpe::{BytePairEncoding, Rank};
use crate::error::TextError;
use crate::pretokenize::Pretokenizer;

/// Reads a tiktoken rank file.
pub fn load_tiktoken_ranks(path: &Path) -> Result<Vec<(Vec<u8>, Rank)>, TextError> {
    let bytes = std::fs::read(path).map_err(|source| TextError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_tiktoken_ranks(&bytes, path)
}

/// Parses the contents of a tiktoken rank file; `path` names it in errors.
pub fn parse_tiktoken_ranks(
    contents: &[u8],
    path: &Path,
) -> Result<Vec<(Vec<u8>, Rank)>, TextError> {
    let malformed = |line: usize, message: String| TextError::Malformed {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut out = Vec::new();
    for (k, raw) in contents.split(|&b| b == b'\n').enumerate() {
        let line = k + 1;
        let text = std::str::from_utf8(raw)
            .map_err(|_| malformed(line, "not ASCII text; expected `base64-token rank`".into()))?;
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let mut fields = text.split_ascii_whitespace();
        let (Some(token), Some(rank), None) = (fields.next(), fields.next(), fields.next()) else {
            return Err(malformed(
                line,
                format!("expected two fields `base64-token rank`, found {text:?}"),
            ));
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(token)
            .map_err(|e| malformed(line, format!("token {token:?} is not base64: {e}")))?;
        let rank: Rank = rank
            .parse()
            .map_err(|_| malformed(line, format!("rank {rank:?} is not an integer in 0..2^32")))?;
        out.push((bytes, rank));
    }
    if out.is_empty() {
        return Err(malformed(1, "no tokens: the file is empty".into()));
    }
    Ok(out)
}

/// GPT-2's byte-to-unicode map: the character that stands for each byte in
/// `encoder.json` and `vocab.bpe`. Printable Latin-1 bytes other than space
/// (`!`..=`~`, `¡`..=`¬`, `®`..=`ÿ`) stand for themselves; the other 68 take
/// U+0100, U+0101… in byte order.
pub fn bytes_to_unicode() -> [char; 256] {
    let mut map = ['\0'; 256];
    let mut n = 0u32;
    for b in 0..=255u8 {
        let printable = matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
        map[b as usize] = if printable {
            b as char
        } else {
            n += 1;
            char::from_u32(0x100 + n - 1).expect("U+0100.. are chars")
        };
    }
    map
}

/// The inverse of [`bytes_to_unicode`].
fn unicode_to_bytes() -> HashMap<char, u8> {
    bytes_to_unicode()
        .iter()
        .enumerate()
        .map(|(b, &c)| (c, b as u8))
        .collect()
}

/// The ranks of the 256 single bytes in GPT-2's order: printable bytes first.
fn gpt2_byte_order() -> Vec<u8> {
    let map = bytes_to_unicode();
    let mut order: Vec<u8> = (0..=255u8)
        .filter(|&b| map[b as usize] as u32 == b as u32)
        .collect();
    order.extend((0..=255u8).filter(|&b| map[b as usize] as u32 != b as u32));
    order
}

/// Reads GPT-2's `vocab.bpe` (merges) and checks it against `encoder.json`,
/// returning the mergeable ranks (tiktoken's `data_gym_to_mergeable_bpe_ranks`).
pub fn load_gpt2_ranks(
    encoder_json: &Path,
    vocab_bpe: &Path,
) -> Result<Vec<(Vec<u8>, Rank)>, TextError> {
    let merges = crate::error::read_utf8(vocab_bpe)?;
    let encoder = crate::error::read_utf8(encoder_json)?;
    parse_gpt2_ranks(&encoder, encoder_json, &merges, vocab_bpe)
}

/// [`load_gpt2_ranks`] on contents already read; the paths name them in errors.
pub fn parse_gpt2_ranks(
    encoder_json: &str,
    encoder_path: &Path,
    vocab_bpe: &str,
    vocab_path: &Path,
) -> Result<Vec<(Vec<u8>, Rank)>, TextError> {
    let inverse = unicode_to_bytes();
    let decode =
        |s: &str| -> Option<Vec<u8>> { s.chars().map(|c| inverse.get(&c).copied()).collect() };

    let mut ranks: Vec<(Vec<u8>, Rank)> = gpt2_byte_order()
        .into_iter()
        .enumerate()
        .map(|(r, b)| (vec![b], r as Rank))
        .collect();
    let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
    for (k, raw) in vocab_bpe.split('\n').enumerate() {
        let line = k + 1;
        let text = raw.trim_end_matches('\r');
        if (line == 1 && text.starts_with("#version")) || text.is_empty() {
            continue;
        }
        let malformed = |message: String| TextError::Malformed {
            path: vocab_path.to_path_buf(),
            line,
            message,
        };
        let mut fields = text.split(' ');
        let (Some(a), Some(b), None) = (fields.next(), fields.next(), fields.next()) else {
            return Err(malformed(format!(
                "expected a merge `left right` (two tokens separated by one space), found {text:?}"
            )));
        };
        let (Some(mut left), Some(right)) = (decode(a), decode(b)) else {
            return Err(malformed(format!(
                "merge {text:?} has a character outside GPT-2's byte-to-unicode alphabet"
            )));
        };
        if a.is_empty() || b.is_empty() {
            return Err(malformed(format!("merge {text:?} has an empty side")));
        }
        left.extend_from_slice(&right);
        if let Some(first) = seen.insert(left.clone(), line) {
            return Err(malformed(format!(
                "merge {text:?} repeats the merge of line {first}"
            )));
        }
        let rank = ranks.len() as Rank;
        ranks.push((left, rank));
    }

    let json: HashMap<String, Rank> =
        serde_json::from_str(encoder_json).map_err(|e| TextError::Malformed {
            path: encoder_path.to_path_buf(),
            line: e.line(),
            message: format!("expected a JSON object {{token: id}}: {e}"),
        })?;
    let bad = |message: String| TextError::BadVocab {
        path: encoder_path.to_path_buf(),
        message,
    };
    let by_bytes: HashMap<&[u8], Rank> = ranks.iter().map(|(b, r)| (b.as_slice(), *r)).collect();
    let mut n = 0;
    let mut entries: Vec<(&String, &Rank)> = json.iter().collect();
    entries.sort_by_key(|(_, &id)| id);
    for (token, &id) in entries {
        if token == "<|endoftext|>" || token == "<|startoftext|>" {
            continue;
        }
        n += 1;
        let bytes = decode(token).ok_or_else(|| {
            bad(format!(
                "token {token:?} has a character outside GPT-2's byte-to-unicode alphabet"
            ))
        })?;
        match by_bytes.get(bytes.as_slice()) {
            Some(&r) if r == id => {}
            Some(&r) => {
                return Err(bad(format!(
                    "token {token:?} has id {id} here but rank {r} from the merges in {} (files of different models?)",
                    vocab_path.display()
                )))
            }
            None => {
                return Err(bad(format!(
                    "token {token:?} (id {id}) is neither a byte nor a merge in {}",
                    vocab_path.display()
                )))
            }
        }
    }
    if n != ranks.len() {
        return Err(bad(format!(
            "has {n} ordinary tokens but {} has {} (256 bytes + merges)",
            vocab_path.display(),
            ranks.len()
        )));
    }
    Ok(ranks)
}

/// OpenAI's byte-level BPE encodings, as tiktoken 0.14 defines them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// GPT-2, from `encoder.json` + `vocab.bpe` (same ids as r50k_base).
    Gpt2,
    /// GPT-3 (davinci…).
    R50kBase,
    /// Codex, text-davinci-002/003.
    P50kBase,
    /// p50k_base with the fill-in-the-middle special tokens.
    P50kEdit,
    /// GPT-3.5, GPT-4, text-embedding-3.
    Cl100kBase,
    /// GPT-4o, o1.
    O200kBase,
    /// gpt-oss: o200k_base with the harmony chat special tokens.
    O200kHarmony,
}

const ENDOFTEXT: &str = "<|endoftext|>";
const FIM_PREFIX: &str = "<|fim_prefix|>";
const FIM_MIDDLE: &str = "<|fim_middle|>";
const FIM_SUFFIX: &str = "<|fim_suffix|>";
const ENDOFPROMPT: &str = "<|endofprompt|>";

impl Encoding {
    /// Every encoding.
    pub const ALL: [Encoding; 7] = [
        Encoding::Gpt2,
        Encoding::R50kBase,
        Encoding::P50kBase,
        Encoding::P50kEdit,
        Encoding::Cl100kBase,
        Encoding::O200kBase,
        Encoding::O200kHarmony,
    ];

    /// tiktoken's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Gpt2 => "gpt2",
            Encoding::R50kBase => "r50k_base",
            Encoding::P50kBase => "p50k_base",
            Encoding::P50kEdit => "p50k_edit",
            Encoding::Cl100kBase => "cl100k_base",
            Encoding::O200kBase => "o200k_base",
            Encoding::O200kHarmony => "o200k_harmony",
        }
    }

    /// The encoding of a tiktoken name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The pre-tokenization pattern.
    pub fn pretokenizer(self) -> Pretokenizer {
        match self {
            Encoding::Gpt2 | Encoding::R50kBase | Encoding::P50kBase | Encoding::P50kEdit => {
                Pretokenizer::Gpt2
            }
            Encoding::Cl100kBase => Pretokenizer::Cl100k,
            Encoding::O200kBase | Encoding::O200kHarmony => Pretokenizer::O200k,
        }
    }

    /// The special tokens and their ids.
    pub fn special_tokens(self) -> Vec<(String, Rank)> {
        let fixed: &[(&str, Rank)] = match self {
            Encoding::Gpt2 | Encoding::R50kBase | Encoding::P50kBase => &[(ENDOFTEXT, 50256)],
            Encoding::P50kEdit => &[
                (ENDOFTEXT, 50256),
                (FIM_PREFIX, 50281),
                (FIM_MIDDLE, 50282),
                (FIM_SUFFIX, 50283),
            ],
            Encoding::Cl100kBase => &[
                (ENDOFTEXT, 100257),
                (FIM_PREFIX, 100258),
                (FIM_MIDDLE, 100259),
                (FIM_SUFFIX, 100260),
                (ENDOFPROMPT, 100276),
            ],
            Encoding::O200kBase => &[(ENDOFTEXT, 199999), (ENDOFPROMPT, 200018)],
            Encoding::O200kHarmony => &[
                ("<|startoftext|>", 199998),
                (ENDOFTEXT, 199999),
                (ENDOFPROMPT, 200018),
                ("<|return|>", 200002),
                ("<|constrain|>", 200003),
                ("<|channel|>", 200005),
                ("<|start|>", 200006),
                ("<|end|>", 200007),
                ("<|message|>", 200008),
                ("<|call|>", 200012),
            ],
        };
        let mut out: Vec<(String, Rank)> = fixed.iter().map(|&(t, r)| (t.to_string(), r)).collect();
        if self == Encoding::O200kHarmony {
            let reserved = [200000, 200001, 200004, 200009, 200010, 200011]
                .into_iter()
                .chain(200013..201088);
            out.extend(reserved.map(|i| (format!("<|reserved_{i}|>"), i)));
        }
        out
    }

    /// The vocabulary files, relative to the data folder.
    pub fn files(self) -> &'static [&'static str] {
        match self {
            Encoding::Gpt2 => &["tokenizers/gpt2/encoder.json", "tokenizers/gpt2/vocab.bpe"],
            Encoding::R50kBase => &["tokenizers/tiktoken/r50k_base.tiktoken"],
            Encoding::P50kBase | Encoding::P50kEdit => &["tokenizers/tiktoken/p50k_base.tiktoken"],
            Encoding::Cl100kBase => &["tokenizers/tiktoken/cl100k_base.tiktoken"],
            Encoding::O200kBase | Encoding::O200kHarmony => {
                &["tokenizers/tiktoken/o200k_base.tiktoken"]
            }
        }
    }

    /// Loads the encoding from its files under `data_root` (e.g. `$JOURNEY_DATA`).
    pub fn load(self, data_root: &Path) -> Result<BytePairEncoding, TextError> {
        let paths: Vec<PathBuf> = self.files().iter().map(|f| data_root.join(f)).collect();
        let ranks = match self {
            Encoding::Gpt2 => load_gpt2_ranks(&paths[0], &paths[1])?,
            _ => load_tiktoken_ranks(&paths[0])?,
        };
        BytePairEncoding::new(
            self.name(),
            ranks,
            self.special_tokens(),
            self.pretokenizer(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_map_matches_gpt2() {
        let m = bytes_to_unicode();
        assert_eq!(m[b' ' as usize], 'Ġ');
        assert_eq!(m[b'\n' as usize], 'Ċ');
        assert_eq!(m[b'A' as usize], 'A');
        assert_eq!(m[0xAD], 'Ń');
        let order = gpt2_byte_order();
        assert_eq!(order[0], b'!');
        assert_eq!(order.len(), 256);
    }

    #[test]
    fn tiktoken_lines() {
        let p = Path::new("x.tiktoken");
        let ok = parse_tiktoken_ranks(b"IQ== 0\nIg== 1\n", p).unwrap();
        assert_eq!(ok, vec![(b"!".to_vec(), 0), (b"\"".to_vec(), 1)]);
        let e = parse_tiktoken_ranks(b"IQ== 0\nIg==\n", p).unwrap_err();
        assert!(matches!(e, TextError::Malformed { line: 2, .. }), "{e}");
        let e = parse_tiktoken_ranks(b"IQ== 0\n*** 1\n", p).unwrap_err();
        assert!(e.to_string().contains("x.tiktoken:2"), "{e}");
        let e = parse_tiktoken_ranks(b"IQ== -1\n", p).unwrap_err();
        assert!(e.to_string().contains("not an integer"), "{e}");
    }
}
