//! Building SentencePiece *precompiled charsmaps*: the normalisation table a
//! trained `.model` carries (`nmt_nfkc` by default), compiled into the
//! Darts-clone double array that [`crate::sentencepiece_normalizer`] (and
//! sentencepiece, and HF's `Precompiled` normaliser) read.
//!
//! Kudo and Richardson (2018), "SentencePiece", §2.3: normalisation is a
//! table of string rewrite rules applied by longest match. The rules here
//! follow sentencepiece's `normalizer::Builder`:
//!
//! * **NFKC** (`BuildNFKCMap`): every code point whose NFKC form differs
//!   becomes a rule; then every multi-character NFKD sequence, in all its
//!   un-normalised spellings (each of its characters replaced by any code
//!   point whose NFKD is that one character), maps to its NFC composition
//!   when that differs. Rules that shorter rules already imply are dropped
//!   (`RemoveRedundantMap`).
//! * **NMT NFKC** (`BuildNmtNFKCMap`): NFKC plus the rules neural MT systems
//!   want: ASCII control characters are deleted; tab, line breaks, the Ogham
//!   space, zero-width spaces and joiners' neighbours (U+200B–U+200F), line
//!   and paragraph separators, `▁`, BOM and U+FFFD become a space; the
//!   full-width tilde is left alone.
//!
//! Unicode tables come from the `unicode-normalization` crate, so a Unicode
//! version newer than the ICU sentencepiece was built with may differ on a
//! handful of recently added characters.
//!
//! The double array ("Darts-clone", Yata et al.) stores a byte trie in one
//! array of 32-bit units: a node at position p with base b has its child for
//! byte c at b ⊕ c (⊕ = XOR); the unit there holds c as its label, so a
//! lookup verifies it landed on its own child. A node that ends a key sets
//! its has-leaf bit, and the value sits at b ⊕ 0 with the top bit set (a
//! label no byte can match). Bases are chosen first-fit and never shared.
//!
//! Cost: the rule set takes one pass over the 1.1 M code points (NFKC and
//! NFKD of each), about 0.1–0.3 s in release and a few MB; compiling is
//! linear in the total key bytes times the search for free slots. The result
//! is cached per rule name for the life of the process.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// A normalisation rule set by its sentencepiece name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NormalizationRule {
    /// `nmt_nfkc`: NFKC plus the NMT whitespace and control rules (the default).
    NmtNfkc,
    /// `nfkc`: plain NFKC.
    Nfkc,
    /// `identity`: no charsmap (the text is only whitespace-escaped).
    Identity,
}

impl NormalizationRule {
    /// The name stored in `NormalizerSpec.name`.
    pub fn name(self) -> &'static str {
        match self {
            Self::NmtNfkc => "nmt_nfkc",
            Self::Nfkc => "nfkc",
            Self::Identity => "identity",
        }
    }

    /// The rule set of a name, if known.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "nmt_nfkc" => Some(Self::NmtNfkc),
            "nfkc" => Some(Self::Nfkc),
            "identity" => Some(Self::Identity),
            _ => None,
        }
    }

    /// The precompiled charsmap of this rule set (empty for identity),
    /// computed once per process.
    pub fn precompiled_charsmap(self) -> &'static [u8] {
        static NMT: OnceLock<Vec<u8>> = OnceLock::new();
        static NFKC: OnceLock<Vec<u8>> = OnceLock::new();
        match self {
            Self::Identity => &[],
            Self::NmtNfkc => NMT.get_or_init(|| compile_pairs(nmt_nfkc_map().iter())),
            Self::Nfkc => NFKC.get_or_init(|| compile_pairs(nfkc_map().iter())),
        }
    }
}

/// Rewrite rules: source characters → replacement characters.
pub type CharsMap = BTreeMap<Vec<char>, Vec<char>>;

fn nfkc(s: &[char]) -> Vec<char> {
    s.iter().copied().nfkc().collect()
}

fn nfkd(s: &[char]) -> Vec<char> {
    s.iter().copied().nfkd().collect()
}

fn nfc(s: &[char]) -> Vec<char> {
    s.iter().copied().nfc().collect()
}

/// ICU's `U_IS_UNICODE_CHAR`: a scalar value that is not a noncharacter.
fn is_unicode_char(cp: u32) -> bool {
    cp <= 0x10FFFF
        && !(0xD800..=0xDFFF).contains(&cp)
        && !(0xFDD0..=0xFDEF).contains(&cp)
        && (cp & 0xFFFE) != 0xFFFE
}

/// The NFKC rules (sentencepiece's `BuildNFKCMap`).
pub fn nfkc_rules() -> CharsMap {
    nfkc_map().into_iter().collect()
}

/// The `nmt_nfkc` rules (sentencepiece's `BuildNmtNFKCMap`).
pub fn nmt_nfkc_rules() -> CharsMap {
    nmt_nfkc_map().into_iter().collect()
}

type FastMap = rustc_hash::FxHashMap<Vec<char>, Vec<char>>;

fn nfkc_map() -> FastMap {
    use rayon::prelude::*;
    // Code points with a compatibility decomposition: (c, NFKD, NFKC). The
    // others normalise to themselves and stand only for themselves.
    let decomposing: Vec<(char, Vec<char>, Vec<char>)> = (1..=0x10FFFFu32)
        .into_par_iter()
        .filter_map(|cp| {
            if !is_unicode_char(cp) {
                return None;
            }
            let c = char::from_u32(cp)?;
            let mut d = Vec::new();
            unicode_normalization::char::decompose_compatible(c, |x| d.push(x));
            if d.len() == 1 && d[0] == c {
                return None;
            }
            Some((c, nfkd(&d), nfkc(&[c])))
        })
        .collect();
    let mut map = FastMap::default();
    let mut decomposed: BTreeSet<Vec<char>> = BTreeSet::new();
    // A fully decomposed character → the other characters decomposing to it.
    let mut others: HashMap<char, Vec<char>> = HashMap::new();
    for (c, d, k) in decomposing {
        if k.len() != 1 || k[0] != c {
            map.insert(vec![c], k);
        }
        if d.len() == 1 {
            others.entry(d[0]).or_default().push(c);
        } else {
            decomposed.insert(d);
        }
    }
    for d in &decomposed {
        let composed = nfc(d);
        if &composed == d {
            continue;
        }
        for spelling in expand_unnormalized(d, &others) {
            if spelling != composed {
                map.insert(spelling, composed.clone());
            }
        }
    }
    remove_redundant(map)
}

/// Every spelling that decomposes to `d`: each character replaced by itself
/// or any character whose NFKD is that one character.
fn expand_unnormalized(d: &[char], others: &HashMap<char, Vec<char>>) -> Vec<Vec<char>> {
    let mut out: Vec<Vec<char>> = vec![Vec::new()];
    for c in d {
        let alts = others.get(c).map(Vec::as_slice).unwrap_or(&[]);
        let mut next = Vec::with_capacity(out.len() * (1 + alts.len()));
        for s in &out {
            for &o in std::iter::once(c).chain(alts) {
                let mut t = s.clone();
                t.push(o);
                next.push(t);
            }
        }
        out = next;
    }
    out
}

fn nmt_nfkc_map() -> FastMap {
    let mut map = nfkc_map();
    // ASCII (and two C1) control characters are deleted.
    let deleted = (0x01..=0x08)
        .chain([0x0B])
        .chain(0x0E..=0x1F)
        .chain([0x7F, 0x8F, 0x9F]);
    for cp in deleted {
        map.insert(vec![char::from_u32(cp).unwrap_or(' ')], Vec::new());
    }
    // Other code points taken as whitespace.
    for cp in [
        0x09, 0x0A, 0x0C, 0x0D, 0x1680, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029,
        0x2581, 0xFEFF, 0xFFFD,
    ] {
        map.insert(vec![char::from_u32(cp).unwrap_or(' ')], vec![' ']);
    }
    // The full-width tilde stays: Japanese uses it unlike the ASCII one.
    map.remove(&vec!['\u{FF5E}']);
    remove_redundant(map)
}

/// Longest-match rewrite of `src` with the rules of keys up to `max_len`
/// characters (sentencepiece's builder-side `Normalize`).
fn apply(map: &FastMap, src: &[char], max_len: usize) -> Vec<char> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let mut n = max_len.min(src.len() - i);
        let mut hit = None;
        while n > 0 {
            if let Some(v) = map.get(&src[i..i + n]) {
                hit = Some(v);
                break;
            }
            n -= 1;
        }
        match hit {
            Some(v) => {
                out.extend_from_slice(v);
                i += n;
            }
            None => {
                out.push(src[i]);
                i += 1;
            }
        }
    }
    out
}

/// Drops the rules that shorter rules already imply (`RemoveRedundantMap`).
fn remove_redundant(map: FastMap) -> FastMap {
    let max_len = map.keys().map(Vec::len).max().unwrap_or(0);
    let mut by_len: Vec<Vec<(Vec<char>, Vec<char>)>> = vec![Vec::new(); max_len + 1];
    for (k, v) in map {
        by_len[k.len()].push((k, v));
    }
    let mut kept = FastMap::default();
    for (len, rules) in by_len.into_iter().enumerate() {
        if len <= 1 {
            kept.extend(rules);
            continue;
        }
        let keep: Vec<(Vec<char>, Vec<char>)> = rules
            .into_iter()
            .filter(|(k, v)| *v != apply(&kept, k, len - 1))
            .collect();
        kept.extend(keep);
    }
    kept
}

/// Compiles rules into a precompiled charsmap: `u32` trie size in bytes
/// (little endian), the double array, then the NUL-terminated replacements
/// (each distinct replacement stored once, in sorted order, as
/// sentencepiece's `CompileCharsMap` does). Empty rules give an empty blob.
pub fn compile(map: &CharsMap) -> Vec<u8> {
    compile_pairs(map.iter())
}

fn compile_pairs<'a>(map: impl Iterator<Item = (&'a Vec<char>, &'a Vec<char>)> + Clone) -> Vec<u8> {
    if map.clone().next().is_none() {
        return Vec::new();
    }
    let mut pos_of: BTreeMap<String, u32> = BTreeMap::new();
    for (_, v) in map.clone() {
        pos_of.insert(v.iter().collect(), 0);
    }
    let mut strings = Vec::new();
    for (s, pos) in pos_of.iter_mut() {
        *pos = strings.len() as u32;
        strings.extend_from_slice(s.as_bytes());
        strings.push(0);
    }
    let mut keys: Vec<(Vec<u8>, u32)> = map
        .map(|(k, v)| {
            let key: String = k.iter().collect();
            let value: String = v.iter().collect();
            (key.into_bytes(), pos_of[&value])
        })
        .collect();
    keys.sort();
    let units = build_double_array(&keys);
    let mut blob = Vec::with_capacity(4 + units.len() * 4 + strings.len());
    blob.extend_from_slice(&((units.len() * 4) as u32).to_le_bytes());
    for u in &units {
        blob.extend_from_slice(&u.to_le_bytes());
    }
    blob.extend_from_slice(&strings);
    blob
}

/// A byte trie node while building.
#[derive(Default)]
struct TrieNode {
    children: Vec<(u8, usize)>,
    value: Option<u32>,
}

/// Most units the XOR offsets can address without Darts-clone's extended
/// encoding (offsets below 2^21).
const MAX_UNITS: usize = 1 << 21;

/// Lays out a byte trie of `keys` (sorted, no NUL bytes, values below
/// 2^31) as a Darts-clone double array.
///
/// Identical subtrees are merged first (the trie becomes a DAWG, as
/// Darts-clone does): a merged node keeps one block of children, and each
/// parent's unit for it points there.
pub(crate) fn build_double_array(keys: &[(Vec<u8>, u32)]) -> Vec<u32> {
    debug_assert!(keys.windows(2).all(|w| w[0].0 < w[1].0));
    let mut nodes = vec![TrieNode::default()];
    for (key, value) in keys {
        let mut n = 0usize;
        for &b in key {
            // Keys come sorted, so an existing child is the last one added.
            n = match nodes[n].children.last().filter(|c| c.0 == b) {
                Some(&(_, c)) => c,
                None => {
                    nodes.push(TrieNode::default());
                    let c = nodes.len() - 1;
                    nodes[n].children.push((b, c));
                    c
                }
            };
        }
        nodes[n].value = Some(*value);
    }
    // Merge identical subtrees, children first (nodes are numbered after
    // their parents, so reverse order visits children before parents).
    type Signature = (Option<u32>, Vec<(u8, usize)>);
    let mut canon = vec![0usize; nodes.len()];
    let mut unique: rustc_hash::FxHashMap<Signature, usize> = Default::default();
    let mut dag: Vec<Signature> = Vec::new();
    for n in (0..nodes.len()).rev() {
        let mut kids: Vec<(u8, usize)> = nodes[n]
            .children
            .iter()
            .map(|&(l, c)| (l, canon[c]))
            .collect();
        kids.sort_unstable();
        let sig = (nodes[n].value, kids);
        canon[n] = *unique.entry(sig.clone()).or_insert_with(|| {
            dag.push(sig);
            dag.len() - 1
        });
    }
    let root = canon[0];

    // First-fit placement of each DAG node's block, breadth first.
    let mut used: Vec<bool> = vec![false; 256];
    let mut free: std::collections::BTreeSet<usize> = (1..256).collect();
    used[0] = true; // the root's unit
    let mut base_used: Vec<bool> = vec![false; 256];
    // Offset 0 from the root would read as "no children" to validators.
    base_used[0] = true;
    let mut base_of: Vec<usize> = vec![usize::MAX; dag.len()];
    let mut queue = std::collections::VecDeque::from([root]);
    let mut queued = vec![false; dag.len()];
    queued[root] = true;
    while let Some(d) = queue.pop_front() {
        let (value, kids) = &dag[d];
        let mut labels: Vec<usize> = kids.iter().map(|&(l, _)| l as usize).collect();
        if value.is_some() {
            labels.push(0);
        }
        labels.sort_unstable();
        let fits = |base: usize, used: &[bool], base_used: &[bool]| {
            base < base_used.len() && !base_used[base] && labels.iter().all(|&l| !used[base ^ l])
        };
        let base = loop {
            // Like Darts-clone, only the last 16 blocks are searched.
            let lo = used.len().saturating_sub(16 * 256);
            if let Some(b) = free
                .range(lo..)
                .map(|&f| f ^ labels[0])
                .find(|&b| fits(b, &used, &base_used))
            {
                break b;
            }
            // No room: open a new block of 256 free slots.
            let start = used.len();
            used.resize(start + 256, false);
            base_used.resize(start + 256, false);
            free.extend(start..start + 256);
        };
        assert!(base < MAX_UNITS, "charsmap too large for a double array");
        base_used[base] = true;
        base_of[d] = base;
        for &l in &labels {
            used[base ^ l] = true;
            free.remove(&(base ^ l));
        }
        for &(_, c) in kids {
            if !queued[c] {
                queued[c] = true;
                queue.push_back(c);
            }
        }
    }

    // Fill the units.
    let mut units = vec![0u32; used.len()];
    units[0] = (base_of[root] as u32) << 10;
    for (d, (value, kids)) in dag.iter().enumerate() {
        let base = base_of[d];
        if base == usize::MAX {
            continue;
        }
        if let Some(v) = value {
            units[base] = v | (1 << 31);
        }
        for &(l, c) in kids {
            let p = base ^ l as usize;
            let leaf = u32::from(dag[c].0.is_some()) << 8;
            units[p] = l as u32 | leaf | (((p ^ base_of[c]) as u32) << 10);
        }
    }
    // Whole blocks of 256 units: sentencepiece checks the trie's size.
    debug_assert_eq!(units.len() % 256, 0);
    units
}

// Darts-clone unit fields.
fn has_leaf(u: u32) -> bool {
    (u >> 8) & 1 == 1
}
fn label(u: u32) -> u32 {
    u & (0x8000_0000 | 0xFF)
}
fn offset(u: u32) -> usize {
    ((u >> 10) << ((u & (1 << 9)) >> 6)) as usize
}

/// Lists the rules a precompiled charsmap holds (sentencepiece's
/// `DecompileCharsMap`): source → replacement, as strings.
pub fn decompile(blob: &[u8]) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    if blob.is_empty() {
        return Ok(out);
    }
    if blob.len() < 4 {
        return Err("charsmap shorter than its 4-byte header".into());
    }
    let size = u32::from_le_bytes([blob[0], blob[1], blob[2], blob[3]]) as usize;
    if !size.is_multiple_of(4) || size > blob.len() - 4 {
        return Err(format!("trie size {size} does not fit the charsmap"));
    }
    let units: Vec<u32> = blob[4..4 + size]
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let strings = &blob[4 + size..];
    let Some(&root) = units.first() else {
        return Ok(out);
    };
    let mut stack = vec![(offset(root), Vec::<u8>::new())];
    while let Some((base, key)) = stack.pop() {
        for c in 1..=255u8 {
            let p = base ^ c as usize;
            let Some(&u) = units.get(p) else { continue };
            if label(u) != c as u32 {
                continue;
            }
            let child_base = p ^ offset(u);
            let mut k = key.clone();
            k.push(c);
            if has_leaf(u) {
                let v = units.get(child_base).ok_or("leaf out of range")? & 0x7FFF_FFFF;
                let tail = strings.get(v as usize..).ok_or("value out of range")?;
                let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
                out.insert(
                    String::from_utf8_lossy(&k).into_owned(),
                    String::from_utf8_lossy(&tail[..end]).into_owned(),
                );
            }
            stack.push((child_base, k));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_array_round_trips() {
        let mut map = CharsMap::new();
        for (k, v) in [("a", "A"), ("ab", "X"), ("abc", ""), ("b", "B"), ("é", "e")] {
            map.insert(k.chars().collect(), v.chars().collect());
        }
        let blob = compile(&map);
        let back = decompile(&blob).unwrap();
        let want: BTreeMap<String, String> = map
            .iter()
            .map(|(k, v)| (k.iter().collect(), v.iter().collect()))
            .collect();
        assert_eq!(back, want);
    }

    #[test]
    fn redundant_rules_are_dropped() {
        let mut map = FastMap::default();
        map.insert(vec!['a'], vec!['b']);
        map.insert(vec!['a', 'a'], vec!['b', 'b']);
        map.insert(vec!['a', 'c'], vec!['z']);
        let kept = remove_redundant(map.into_iter().collect());
        assert_eq!(kept.len(), 2);
        assert!(kept.contains_key(&vec!['a', 'c']));
    }
}
