//! The Unicode Script property of a character (UAX #24), as SentencePiece's
//! trainer uses it to keep pieces within one script.
//!
//! The ranges come from the Unicode tables that `regex-syntax` already ships
//! (`\p{Script=…}` classes, one per script name of Scripts.txt), gathered
//! once into a sorted range table. Characters outside every range are
//! `Unknown` (Zzzz), which sentencepiece also reports as Common.
//!
//! Cost: building parses about 170 classes once per process (a few ms);
//! each lookup is a binary search over about 2,200 ranges.

use std::sync::OnceLock;

use regex_syntax::hir::{Class, HirKind};

/// Script names of Scripts.txt (Unicode 16), in the order of their ids.
const NAMES: &[&str] = &[
    "Common",
    "Inherited",
    "Latin",
    "Greek",
    "Cyrillic",
    "Han",
    "Hiragana",
    "Katakana",
    "Adlam",
    "Ahom",
    "Anatolian_Hieroglyphs",
    "Arabic",
    "Armenian",
    "Avestan",
    "Balinese",
    "Bamum",
    "Bassa_Vah",
    "Batak",
    "Bengali",
    "Bhaiksuki",
    "Bopomofo",
    "Brahmi",
    "Braille",
    "Buginese",
    "Buhid",
    "Canadian_Aboriginal",
    "Carian",
    "Caucasian_Albanian",
    "Chakma",
    "Cham",
    "Cherokee",
    "Chorasmian",
    "Coptic",
    "Cuneiform",
    "Cypriot",
    "Cypro_Minoan",
    "Deseret",
    "Devanagari",
    "Dives_Akuru",
    "Dogra",
    "Duployan",
    "Egyptian_Hieroglyphs",
    "Elbasan",
    "Elymaic",
    "Ethiopic",
    "Garay",
    "Georgian",
    "Glagolitic",
    "Gothic",
    "Grantha",
    "Gujarati",
    "Gunjala_Gondi",
    "Gurmukhi",
    "Gurung_Khema",
    "Hangul",
    "Hanifi_Rohingya",
    "Hanunoo",
    "Hatran",
    "Hebrew",
    "Imperial_Aramaic",
    "Inscriptional_Pahlavi",
    "Inscriptional_Parthian",
    "Javanese",
    "Kaithi",
    "Kannada",
    "Kawi",
    "Kayah_Li",
    "Kharoshthi",
    "Khitan_Small_Script",
    "Khmer",
    "Khojki",
    "Khudawadi",
    "Kirat_Rai",
    "Lao",
    "Lepcha",
    "Limbu",
    "Linear_A",
    "Linear_B",
    "Lisu",
    "Lycian",
    "Lydian",
    "Mahajani",
    "Makasar",
    "Malayalam",
    "Mandaic",
    "Manichaean",
    "Marchen",
    "Masaram_Gondi",
    "Medefaidrin",
    "Meetei_Mayek",
    "Mende_Kikakui",
    "Meroitic_Cursive",
    "Meroitic_Hieroglyphs",
    "Miao",
    "Modi",
    "Mongolian",
    "Mro",
    "Multani",
    "Myanmar",
    "Nabataean",
    "Nag_Mundari",
    "Nandinagari",
    "New_Tai_Lue",
    "Newa",
    "Nko",
    "Nushu",
    "Nyiakeng_Puachue_Hmong",
    "Ogham",
    "Ol_Chiki",
    "Ol_Onal",
    "Old_Hungarian",
    "Old_Italic",
    "Old_North_Arabian",
    "Old_Permic",
    "Old_Persian",
    "Old_Sogdian",
    "Old_South_Arabian",
    "Old_Turkic",
    "Old_Uyghur",
    "Oriya",
    "Osage",
    "Osmanya",
    "Pahawh_Hmong",
    "Palmyrene",
    "Pau_Cin_Hau",
    "Phags_Pa",
    "Phoenician",
    "Psalter_Pahlavi",
    "Rejang",
    "Runic",
    "Samaritan",
    "Saurashtra",
    "Sharada",
    "Shavian",
    "Siddham",
    "SignWriting",
    "Sinhala",
    "Sogdian",
    "Sora_Sompeng",
    "Soyombo",
    "Sundanese",
    "Sunuwar",
    "Syloti_Nagri",
    "Syriac",
    "Tagalog",
    "Tagbanwa",
    "Tai_Le",
    "Tai_Tham",
    "Tai_Viet",
    "Takri",
    "Tamil",
    "Tangsa",
    "Tangut",
    "Telugu",
    "Thaana",
    "Thai",
    "Tibetan",
    "Tifinagh",
    "Tirhuta",
    "Todhri",
    "Toto",
    "Tulu_Tigalari",
    "Ugaritic",
    "Vai",
    "Vithkuqi",
    "Wancho",
    "Warang_Citi",
    "Yezidi",
    "Yi",
    "Zanabazar_Square",
];

/// A script, by its index in the table above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Script(u16);

impl Script {
    pub const COMMON: Script = Script(0);
    pub const INHERITED: Script = Script(1);
    pub const HAN: Script = Script(5);
    pub const HIRAGANA: Script = Script(6);
    pub const KATAKANA: Script = Script(7);

    /// The script's name in Scripts.txt.
    pub fn name(self) -> &'static str {
        NAMES[self.0 as usize]
    }
}

fn table() -> &'static [(u32, u32, u16)] {
    static TABLE: OnceLock<Vec<(u32, u32, u16)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut ranges = Vec::new();
        for (i, name) in NAMES.iter().enumerate() {
            // A name the Unicode tables do not know is skipped (its
            // characters then read as Common).
            let Ok(hir) = regex_syntax::Parser::new().parse(&format!("\\p{{Script={name}}}"))
            else {
                continue;
            };
            if let HirKind::Class(Class::Unicode(cls)) = hir.kind() {
                for r in cls.ranges() {
                    ranges.push((r.start() as u32, r.end() as u32, i as u16));
                }
            }
        }
        ranges.sort_unstable();
        ranges
    })
}

/// The script of `c` (Common when unassigned).
pub fn script(c: char) -> Script {
    let t = table();
    let cp = c as u32;
    let i = t.partition_point(|&(start, _, _)| start <= cp);
    match i.checked_sub(1).map(|i| t[i]) {
        Some((_, end, s)) if cp <= end => Script(s),
        _ => Script::COMMON,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_of_common_characters() {
        assert_eq!(script('a'), Script(2));
        assert_eq!(script('a').name(), "Latin");
        assert_eq!(script('1'), Script::COMMON);
        assert_eq!(script(','), Script::COMMON);
        assert_eq!(script('\u{0301}'), Script::INHERITED);
        assert_eq!(script('日'), Script::HAN);
        assert_eq!(script('あ'), Script::HIRAGANA);
        assert_eq!(script('ж').name(), "Cyrillic");
        assert_eq!(script('\u{10FFFD}'), Script::COMMON);
    }
}
