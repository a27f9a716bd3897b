//! SentencePiece `.model` files: a hand-written reader for the protocol
//! buffer `ModelProto`.
//!
//! A `.model` file is one serialised `sentencepiece.ModelProto` message
//! (`sentencepiece_model.proto` in google/sentencepiece, Kudo and Richardson
//! 2018, "SentencePiece: A simple and language independent subword tokenizer
//! and detokenizer for Neural Text Processing", EMNLP demo). Only the wire
//! format of protocol buffers (<https://protobuf.dev/programming-guides/encoding/>)
//! is needed to read it: varints, length-delimited fields and little-endian
//! fixed32 floats. Unknown fields are skipped, so files written by newer
//! versions still load; proto2 defaults are applied for absent fields.
//!
//! The field numbers read here:
//!
//! ```text
//! ModelProto     1 pieces*  2 trainer_spec  3 normalizer_spec  5 denormalizer_spec
//! SentencePiece  1 piece  2 score (float)  3 type (enum)
//! TrainerSpec    3 model_type  4 vocab_size  20 max_sentencepiece_length
//!                22 split_by_whitespace  24 treat_whitespace_as_suffix
//!                25 split_digits  26 allow_whitespace_only_pieces
//!                35 byte_fallback  40-43 unk/bos/eos/pad ids
//!                44 unk_surface  45-48 unk/bos/eos/pad pieces
//! NormalizerSpec 1 name  2 precompiled_charsmap  3 add_dummy_prefix
//!                4 remove_extra_whitespaces  5 escape_whitespaces
//!                6 normalization_rule_tsv
//! ```
//!
//! Writing ([`ModelProto::to_bytes`], [`ModelProto::save`]) emits the same
//! fields in field-number order (as protobuf serialisers do), plus the
//! training parameters kept in [`TrainerSpec`] (10 character_coverage,
//! 14 seed_sentencepiece_size, 15 shrinking_factor, 16 num_threads,
//! 17 num_sub_iterations, 18 max_sentence_length, 21 split_by_unicode_script,
//! 23 split_by_number, 30 control_symbols, 31 user_defined_symbols,
//! 33 hard_vocab_limit, 36 required_chars), so the file loads in
//! sentencepiece itself.
//!
//! Cost: one pass over the file, O(n) time; the pieces are copied out (about
//! the size of the file).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::TextError;

/// The role of a piece in the vocabulary (`SentencePiece.Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PieceType {
    Normal,
    Unknown,
    Control,
    UserDefined,
    Unused,
    Byte,
}

impl PieceType {
    fn from_proto(v: u64) -> Option<Self> {
        Some(match v {
            1 => Self::Normal,
            2 => Self::Unknown,
            3 => Self::Control,
            4 => Self::UserDefined,
            5 => Self::Unused,
            6 => Self::Byte,
            _ => return None,
        })
    }
}

/// The segmentation algorithm the model was trained for (`TrainerSpec.ModelType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelType {
    Unigram,
    Bpe,
    Word,
    Char,
}

/// One vocabulary entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    pub piece: String,
    pub score: f32,
    pub kind: PieceType,
}

/// The fields of `TrainerSpec` that matter when encoding (and a few that
/// describe how the model was trained).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainerSpec {
    pub model_type: ModelType,
    pub vocab_size: i32,
    pub max_sentencepiece_length: i32,
    pub split_by_whitespace: bool,
    pub treat_whitespace_as_suffix: bool,
    pub split_digits: bool,
    pub allow_whitespace_only_pieces: bool,
    pub byte_fallback: bool,
    pub unk_id: i32,
    pub bos_id: i32,
    pub eos_id: i32,
    pub pad_id: i32,
    pub unk_surface: String,
    pub unk_piece: String,
    pub bos_piece: String,
    pub eos_piece: String,
    pub pad_piece: String,
    pub character_coverage: f32,
    pub seed_sentencepiece_size: i32,
    pub shrinking_factor: f32,
    pub num_threads: i32,
    pub num_sub_iterations: i32,
    pub max_sentence_length: i32,
    pub split_by_unicode_script: bool,
    pub split_by_number: bool,
    pub control_symbols: Vec<String>,
    pub user_defined_symbols: Vec<String>,
    pub hard_vocab_limit: bool,
    pub required_chars: String,
}

impl Default for TrainerSpec {
    /// The proto2 defaults of `sentencepiece_model.proto`.
    fn default() -> Self {
        Self {
            model_type: ModelType::Unigram,
            vocab_size: 8000,
            max_sentencepiece_length: 16,
            split_by_whitespace: true,
            treat_whitespace_as_suffix: false,
            split_digits: false,
            allow_whitespace_only_pieces: false,
            byte_fallback: false,
            unk_id: 0,
            bos_id: 1,
            eos_id: 2,
            pad_id: -1,
            unk_surface: " \u{2047} ".into(),
            unk_piece: "<unk>".into(),
            bos_piece: "<s>".into(),
            eos_piece: "</s>".into(),
            pad_piece: "<pad>".into(),
            character_coverage: 0.9995,
            seed_sentencepiece_size: 1_000_000,
            shrinking_factor: 0.75,
            num_threads: 16,
            num_sub_iterations: 2,
            max_sentence_length: 4192,
            split_by_unicode_script: true,
            split_by_number: true,
            control_symbols: Vec::new(),
            user_defined_symbols: Vec::new(),
            hard_vocab_limit: true,
            required_chars: String::new(),
        }
    }
}

/// `NormalizerSpec` (also used for the denormalizer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormalizerSpec {
    pub name: String,
    /// A Darts-clone double-array trie plus replacement strings; see
    /// [`crate::sentencepiece_normalizer`].
    pub precompiled_charsmap: Vec<u8>,
    pub add_dummy_prefix: bool,
    pub remove_extra_whitespaces: bool,
    pub escape_whitespaces: bool,
    pub normalization_rule_tsv: String,
}

impl Default for NormalizerSpec {
    fn default() -> Self {
        Self {
            name: String::new(),
            precompiled_charsmap: Vec::new(),
            add_dummy_prefix: true,
            remove_extra_whitespaces: true,
            escape_whitespaces: true,
            normalization_rule_tsv: String::new(),
        }
    }
}

/// A decoded `ModelProto`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ModelProto {
    pub pieces: Vec<Piece>,
    pub trainer_spec: TrainerSpec,
    pub normalizer_spec: NormalizerSpec,
    pub denormalizer_spec: Option<NormalizerSpec>,
}

impl ModelProto {
    /// Reads and decodes a `.model` file.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, TextError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| TextError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes, path)
    }

    /// Decodes a serialised `ModelProto`; `path` only names the source in
    /// errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self, TextError> {
        let err = |e: WireError| TextError::ModelFormat {
            path: path.to_path_buf(),
            offset: Some(e.offset),
            message: e.message,
        };
        if bytes.is_empty() {
            return Err(err(WireError::at(
                0,
                "empty file; a SentencePiece model holds at least its pieces".into(),
            )));
        }
        let model = decode_model(bytes).map_err(err)?;
        model.validate(path)?;
        Ok(model)
    }

    /// The checks sentencepiece's `ModelInterface::InitializePieces` makes:
    /// pieces non-empty and unique, one UNKNOWN piece at `unk_id`, BYTE
    /// pieces spelled `<0xNN>`.
    pub fn validate(&self, path: &Path) -> Result<(), TextError> {
        let bad = |message: String| TextError::ModelFormat {
            path: path.to_path_buf(),
            offset: None,
            message,
        };
        if self.pieces.is_empty() {
            return Err(bad(
                "the model has no pieces; is this a SentencePiece .model file?".into(),
            ));
        }
        let mut seen = std::collections::HashSet::with_capacity(self.pieces.len());
        let mut unk = None;
        for (id, p) in self.pieces.iter().enumerate() {
            if p.piece.is_empty() {
                return Err(bad(format!("piece {id} is empty")));
            }
            if !seen.insert(p.piece.as_str()) {
                return Err(bad(format!("piece {id} {:?} is defined twice", p.piece)));
            }
            if p.kind == PieceType::Byte && piece_to_byte(&p.piece).is_none() {
                return Err(bad(format!(
                    "piece {id} {:?} has type BYTE but is not of the form <0xNN>",
                    p.piece
                )));
            }
            if p.kind == PieceType::Unknown {
                if unk.is_some() {
                    return Err(bad("more than one piece has type UNKNOWN".into()));
                }
                unk = Some(id);
            }
        }
        match unk {
            None => Err(bad(
                "no piece has type UNKNOWN (the model needs an <unk>)".into()
            )),
            Some(id) if id as i64 != self.trainer_spec.unk_id as i64 => Err(bad(format!(
                "trainer_spec.unk_id is {} but the UNKNOWN piece is {id}",
                self.trainer_spec.unk_id
            ))),
            Some(_) => Ok(()),
        }
    }

    /// One line for logs and the CLI: model type, size, normaliser name.
    pub fn describe(&self) -> String {
        format!(
            "{:?} model, {} pieces, normalizer {:?}",
            self.trainer_spec.model_type,
            self.pieces.len(),
            self.normalizer_spec.name
        )
    }
}

/// `<0xNN>` → NN.
pub(crate) fn piece_to_byte(piece: &str) -> Option<u8> {
    let hex = piece.strip_prefix("<0x")?.strip_suffix('>')?;
    if hex.len() != 2 {
        return None;
    }
    u8::from_str_radix(hex, 16).ok()
}

/// NN → `<0xNN>` (upper-case hex, as sentencepiece's `ByteToPiece`).
pub(crate) fn byte_to_piece(b: u8) -> String {
    format!("<0x{b:02X}>")
}

// ---------------------------------------------------------------------------
// Wire format
// ---------------------------------------------------------------------------

/// A decoding error at an absolute byte offset of the file.
struct WireError {
    offset: usize,
    message: String,
}

impl WireError {
    fn at(offset: usize, message: String) -> Self {
        Self { offset, message }
    }
}

/// The value of one field, as the wire type delivers it.
enum Value<'a> {
    Varint(u64),
    Fixed64,
    Bytes(&'a [u8]),
    Fixed32(u32),
}

/// A cursor over one message; `base` is the message's offset in the file so
/// that errors in nested messages still point at the file's bytes.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8], base: usize) -> Self {
        Self { buf, pos: 0, base }
    }

    fn offset(&self) -> usize {
        self.base + self.pos
    }

    fn varint(&mut self) -> Result<u64, WireError> {
        let start = self.offset();
        let mut v = 0u64;
        for i in 0..10 {
            let Some(&b) = self.buf.get(self.pos) else {
                return Err(WireError::at(
                    start,
                    "file ends inside a varint (truncated file?)".into(),
                ));
            };
            self.pos += 1;
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(WireError::at(start, "varint longer than 10 bytes".into()))
    }

    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], WireError> {
        let start = self.offset();
        match self.pos.checked_add(n) {
            Some(end) if end <= self.buf.len() => {
                let s = &self.buf[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            _ => Err(WireError::at(
                start,
                format!(
                    "{what} of {n} bytes runs past the end ({} bytes left; truncated file?)",
                    self.buf.len() - self.pos
                ),
            )),
        }
    }

    /// The next (field number, value, offset of the value), or `None` at the end.
    fn next_field(&mut self) -> Result<Option<(u64, Value<'a>, usize)>, WireError> {
        if self.pos >= self.buf.len() {
            return Ok(None);
        }
        let key_at = self.offset();
        let key = self.varint()?;
        let field = key >> 3;
        if field == 0 {
            return Err(WireError::at(
                key_at,
                "field number 0 is not valid protobuf (not a .model file?)".into(),
            ));
        }
        let at = self.offset();
        let value = match key & 7 {
            0 => Value::Varint(self.varint()?),
            1 => {
                self.take(8, "fixed64 field")?;
                Value::Fixed64
            }
            2 => {
                let n = self.varint()?;
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                Value::Bytes(self.take(n, "length-delimited field")?)
            }
            5 => {
                let b = self.take(4, "fixed32 field")?;
                Value::Fixed32(u32::from_le_bytes(b.try_into().unwrap_or([0; 4])))
            }
            w => {
                return Err(WireError::at(
                    key_at,
                    format!("field {field} has wire type {w}, which this reader does not accept (groups are obsolete; not a .model file?)"),
                ))
            }
        };
        Ok(Some((field, value, at)))
    }
}

fn want_varint(v: &Value, field: &str, at: usize) -> Result<u64, WireError> {
    match v {
        Value::Varint(x) => Ok(*x),
        _ => Err(WireError::at(at, format!("{field} should be a varint"))),
    }
}

fn want_bytes<'a>(v: &Value<'a>, field: &str, at: usize) -> Result<&'a [u8], WireError> {
    match v {
        Value::Bytes(b) => Ok(b),
        _ => Err(WireError::at(
            at,
            format!("{field} should be length-delimited"),
        )),
    }
}

fn want_string(v: &Value, field: &str, at: usize) -> Result<String, WireError> {
    let b = want_bytes(v, field, at)?;
    String::from_utf8(b.to_vec()).map_err(|e| {
        WireError::at(
            at + e.utf8_error().valid_up_to(),
            format!("{field} is not valid UTF-8"),
        )
    })
}

fn want_f32(v: &Value, field: &str, at: usize) -> Result<f32, WireError> {
    match v {
        Value::Fixed32(x) => Ok(f32::from_bits(*x)),
        _ => Err(WireError::at(at, format!("{field} should be a float"))),
    }
}

fn want_i32(v: &Value, field: &str, at: usize) -> Result<i32, WireError> {
    // int32 is sign-extended to 64 bits on the wire.
    Ok(want_varint(v, field, at)? as i64 as i32)
}

fn decode_model(buf: &[u8]) -> Result<ModelProto, WireError> {
    let mut m = ModelProto::default();
    let mut r = Reader::new(buf, 0);
    while let Some((field, v, at)) = r.next_field()? {
        match field {
            1 => {
                let b = want_bytes(&v, "ModelProto.pieces", at)?;
                m.pieces.push(decode_piece(b, at, m.pieces.len())?);
            }
            2 => {
                m.trainer_spec = decode_trainer(want_bytes(&v, "ModelProto.trainer_spec", at)?, at)?
            }
            3 => {
                m.normalizer_spec =
                    decode_normalizer(want_bytes(&v, "ModelProto.normalizer_spec", at)?, at)?
            }
            5 => {
                m.denormalizer_spec = Some(decode_normalizer(
                    want_bytes(&v, "ModelProto.denormalizer_spec", at)?,
                    at,
                )?)
            }
            _ => {}
        }
    }
    Ok(m)
}

fn decode_piece(buf: &[u8], base: usize, id: usize) -> Result<Piece, WireError> {
    let mut p = Piece {
        piece: String::new(),
        score: 0.0,
        kind: PieceType::Normal,
    };
    let mut r = Reader::new(buf, base);
    while let Some((field, v, at)) = r.next_field()? {
        match field {
            1 => p.piece = want_string(&v, &format!("piece {id}"), at)?,
            2 => match v {
                Value::Fixed32(x) => p.score = f32::from_bits(x),
                _ => {
                    return Err(WireError::at(
                        at,
                        format!("score of piece {id} should be a float"),
                    ))
                }
            },
            3 => {
                let t = want_varint(&v, "SentencePiece.type", at)?;
                p.kind = PieceType::from_proto(t).ok_or_else(|| {
                    WireError::at(
                        at,
                        format!("piece {id} has unknown type {t} (expected 1-6)"),
                    )
                })?;
            }
            _ => {}
        }
    }
    Ok(p)
}

fn decode_trainer(buf: &[u8], base: usize) -> Result<TrainerSpec, WireError> {
    let mut t = TrainerSpec::default();
    let mut r = Reader::new(buf, base);
    while let Some((field, v, at)) = r.next_field()? {
        let b = |name| want_varint(&v, name, at).map(|x| x != 0);
        match field {
            3 => {
                t.model_type = match want_varint(&v, "TrainerSpec.model_type", at)? {
                    1 => ModelType::Unigram,
                    2 => ModelType::Bpe,
                    3 => ModelType::Word,
                    4 => ModelType::Char,
                    x => {
                        return Err(WireError::at(
                            at,
                            format!(
                            "unknown model_type {x} (expected 1 UNIGRAM, 2 BPE, 3 WORD, 4 CHAR)"
                        ),
                        ))
                    }
                }
            }
            4 => t.vocab_size = want_i32(&v, "TrainerSpec.vocab_size", at)?,
            20 => {
                t.max_sentencepiece_length =
                    want_i32(&v, "TrainerSpec.max_sentencepiece_length", at)?
            }
            22 => t.split_by_whitespace = b("TrainerSpec.split_by_whitespace")?,
            24 => t.treat_whitespace_as_suffix = b("TrainerSpec.treat_whitespace_as_suffix")?,
            25 => t.split_digits = b("TrainerSpec.split_digits")?,
            26 => t.allow_whitespace_only_pieces = b("TrainerSpec.allow_whitespace_only_pieces")?,
            35 => t.byte_fallback = b("TrainerSpec.byte_fallback")?,
            40 => t.unk_id = want_i32(&v, "TrainerSpec.unk_id", at)?,
            41 => t.bos_id = want_i32(&v, "TrainerSpec.bos_id", at)?,
            42 => t.eos_id = want_i32(&v, "TrainerSpec.eos_id", at)?,
            43 => t.pad_id = want_i32(&v, "TrainerSpec.pad_id", at)?,
            10 => t.character_coverage = want_f32(&v, "TrainerSpec.character_coverage", at)?,
            14 => {
                t.seed_sentencepiece_size = want_i32(&v, "TrainerSpec.seed_sentencepiece_size", at)?
            }
            15 => t.shrinking_factor = want_f32(&v, "TrainerSpec.shrinking_factor", at)?,
            16 => t.num_threads = want_i32(&v, "TrainerSpec.num_threads", at)?,
            17 => t.num_sub_iterations = want_i32(&v, "TrainerSpec.num_sub_iterations", at)?,
            18 => t.max_sentence_length = want_i32(&v, "TrainerSpec.max_sentence_length", at)?,
            21 => t.split_by_unicode_script = b("TrainerSpec.split_by_unicode_script")?,
            23 => t.split_by_number = b("TrainerSpec.split_by_number")?,
            30 => t
                .control_symbols
                .push(want_string(&v, "TrainerSpec.control_symbols", at)?),
            31 => t.user_defined_symbols.push(want_string(
                &v,
                "TrainerSpec.user_defined_symbols",
                at,
            )?),
            33 => t.hard_vocab_limit = b("TrainerSpec.hard_vocab_limit")?,
            36 => t.required_chars = want_string(&v, "TrainerSpec.required_chars", at)?,
            44 => t.unk_surface = want_string(&v, "TrainerSpec.unk_surface", at)?,
            45 => t.unk_piece = want_string(&v, "TrainerSpec.unk_piece", at)?,
            46 => t.bos_piece = want_string(&v, "TrainerSpec.bos_piece", at)?,
            47 => t.eos_piece = want_string(&v, "TrainerSpec.eos_piece", at)?,
            48 => t.pad_piece = want_string(&v, "TrainerSpec.pad_piece", at)?,
            _ => {}
        }
    }
    Ok(t)
}

fn decode_normalizer(buf: &[u8], base: usize) -> Result<NormalizerSpec, WireError> {
    let mut n = NormalizerSpec::default();
    let mut r = Reader::new(buf, base);
    while let Some((field, v, at)) = r.next_field()? {
        let b = |name| want_varint(&v, name, at).map(|x| x != 0);
        match field {
            1 => n.name = want_string(&v, "NormalizerSpec.name", at)?,
            2 => {
                n.precompiled_charsmap =
                    want_bytes(&v, "NormalizerSpec.precompiled_charsmap", at)?.to_vec()
            }
            3 => n.add_dummy_prefix = b("NormalizerSpec.add_dummy_prefix")?,
            4 => n.remove_extra_whitespaces = b("NormalizerSpec.remove_extra_whitespaces")?,
            5 => n.escape_whitespaces = b("NormalizerSpec.escape_whitespaces")?,
            6 => {
                n.normalization_rule_tsv =
                    want_string(&v, "NormalizerSpec.normalization_rule_tsv", at)?
            }
            _ => {}
        }
    }
    Ok(n)
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

impl PieceType {
    fn to_proto(self) -> u64 {
        match self {
            Self::Normal => 1,
            Self::Unknown => 2,
            Self::Control => 3,
            Self::UserDefined => 4,
            Self::Unused => 5,
            Self::Byte => 6,
        }
    }
}

impl ModelType {
    fn to_proto(self) -> u64 {
        match self {
            Self::Unigram => 1,
            Self::Bpe => 2,
            Self::Word => 3,
            Self::Char => 4,
        }
    }
}

/// A protobuf message being written.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn key(&mut self, field: u32, wire: u32) {
        self.varint(u64::from(field << 3 | wire));
    }
    fn uint(&mut self, field: u32, v: u64) {
        self.key(field, 0);
        self.varint(v);
    }
    fn int32(&mut self, field: u32, v: i32) {
        // Negative int32 values are sign-extended to ten bytes.
        self.uint(field, v as i64 as u64);
    }
    fn bool(&mut self, field: u32, v: bool) {
        self.uint(field, u64::from(v));
    }
    fn float(&mut self, field: u32, v: f32) {
        self.key(field, 5);
        self.0.extend_from_slice(&v.to_bits().to_le_bytes());
    }
    fn bytes(&mut self, field: u32, b: &[u8]) {
        self.key(field, 2);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
}

fn encode_normalizer(n: &NormalizerSpec) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes(1, n.name.as_bytes());
    w.bytes(2, &n.precompiled_charsmap);
    w.bool(3, n.add_dummy_prefix);
    w.bool(4, n.remove_extra_whitespaces);
    w.bool(5, n.escape_whitespaces);
    if !n.normalization_rule_tsv.is_empty() {
        w.bytes(6, n.normalization_rule_tsv.as_bytes());
    }
    w.0
}

fn encode_trainer(t: &TrainerSpec) -> Vec<u8> {
    let mut w = Writer::default();
    w.uint(3, t.model_type.to_proto());
    w.int32(4, t.vocab_size);
    w.float(10, t.character_coverage);
    w.int32(14, t.seed_sentencepiece_size);
    w.float(15, t.shrinking_factor);
    w.int32(16, t.num_threads);
    w.int32(17, t.num_sub_iterations);
    w.int32(18, t.max_sentence_length);
    w.int32(20, t.max_sentencepiece_length);
    w.bool(21, t.split_by_unicode_script);
    w.bool(22, t.split_by_whitespace);
    w.bool(23, t.split_by_number);
    w.bool(24, t.treat_whitespace_as_suffix);
    w.bool(25, t.split_digits);
    w.bool(26, t.allow_whitespace_only_pieces);
    for s in &t.control_symbols {
        w.bytes(30, s.as_bytes());
    }
    for s in &t.user_defined_symbols {
        w.bytes(31, s.as_bytes());
    }
    w.bool(33, t.hard_vocab_limit);
    w.bool(35, t.byte_fallback);
    if !t.required_chars.is_empty() {
        w.bytes(36, t.required_chars.as_bytes());
    }
    w.int32(40, t.unk_id);
    w.int32(41, t.bos_id);
    w.int32(42, t.eos_id);
    w.int32(43, t.pad_id);
    w.bytes(44, t.unk_surface.as_bytes());
    w.bytes(45, t.unk_piece.as_bytes());
    w.bytes(46, t.bos_piece.as_bytes());
    w.bytes(47, t.eos_piece.as_bytes());
    w.bytes(48, t.pad_piece.as_bytes());
    w.0
}

impl ModelProto {
    /// Serialises the model as a `.model` file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        for p in &self.pieces {
            let mut pw = Writer::default();
            pw.bytes(1, p.piece.as_bytes());
            pw.float(2, p.score);
            // NORMAL is the proto2 default; sentencepiece leaves it out.
            if p.kind != PieceType::Normal {
                pw.uint(3, p.kind.to_proto());
            }
            w.bytes(1, &pw.0);
        }
        w.bytes(2, &encode_trainer(&self.trainer_spec));
        w.bytes(3, &encode_normalizer(&self.normalizer_spec));
        if let Some(d) = &self.denormalizer_spec {
            w.bytes(5, &encode_normalizer(d));
        }
        w.0
    }

    /// Writes the model to a `.model` file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), TextError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_bytes()).map_err(|source| TextError::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// Convenience for errors raised after decoding.
pub(crate) fn model_error(path: &Path, message: String) -> TextError {
    TextError::ModelFormat {
        path: PathBuf::from(path),
        offset: None,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_pieces_round_trip() {
        for b in 0..=255u8 {
            assert_eq!(piece_to_byte(&byte_to_piece(b)), Some(b));
        }
        assert_eq!(piece_to_byte("<0x1>"), None);
        assert_eq!(piece_to_byte("0x41"), None);
    }

    #[test]
    fn writer_round_trips() {
        let mut m = ModelProto {
            pieces: vec![
                Piece {
                    piece: "<unk>".into(),
                    score: 0.0,
                    kind: PieceType::Unknown,
                },
                Piece {
                    piece: "\u{2581}a".into(),
                    score: -1.5,
                    kind: PieceType::Normal,
                },
            ],
            ..Default::default()
        };
        m.trainer_spec.pad_id = -1;
        m.trainer_spec.user_defined_symbols = vec!["<x>".into()];
        m.normalizer_spec.name = "identity".into();
        let back = ModelProto::from_bytes(&m.to_bytes(), Path::new("w.model")).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn truncated_varint_names_offset() {
        let e = ModelProto::from_bytes(&[0x0a, 0x80], Path::new("x.model")).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("x.model") && msg.contains("at byte 1"),
            "{msg}"
        );
    }
}
