//! The Pattern / TextBlob sentiment lexicon (`en-sentiment.xml`, De Smedt &
//! Daelemans 2012): `<sentiment language><word form pos polarity subjectivity
//! intensity [label] [confidence] .../>…</sentiment>`, one `<word>` per sense.
//!
//! Entries come back in file order with the attributes as Pattern reads them:
//! a missing polarity or subjectivity is 0.0, a missing intensity 1.0, a
//! missing `pos` is `None` (an empty one stays `Some("")`).

use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::readers::text;
use crate::DataError;

#[derive(Debug, Clone, PartialEq)]
pub struct PatternWord {
    pub form: String,
    pub pos: Option<String>,
    pub polarity: f64,
    pub subjectivity: f64,
    pub intensity: f64,
    pub label: Option<String>,
    pub confidence: Option<f64>,
}

pub fn read_pattern_lexicon(path: &Path) -> Result<Vec<PatternWord>, DataError> {
    let xml = text::read_to_string(path)?;
    let line_at = |pos: u64| {
        1 + xml.as_bytes()[..(pos as usize).min(xml.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    };
    let parse_err = |pos: u64, message: String| DataError::Parse {
        path: path.to_path_buf(),
        line: line_at(pos),
        message,
    };
    let mut reader = Reader::from_str(&xml);
    let mut out = Vec::new();
    let mut depth = 0usize;
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| parse_err(reader.buffer_position(), e.to_string()))?;
        match event {
            Event::Start(e) => {
                if depth == 1 && e.name().as_ref() == b"word" {
                    out.push(word(&e).map_err(|m| parse_err(pos, m))?);
                }
                depth += 1;
            }
            Event::Empty(e) if depth == 1 && e.name().as_ref() == b"word" => {
                out.push(word(&e).map_err(|m| parse_err(pos, m))?);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => break,
            _ => {}
        }
    }
    if out.is_empty() {
        return Err(DataError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(out)
}

fn word(e: &BytesStart) -> Result<PatternWord, String> {
    let get = |name: &str| -> Result<Option<String>, String> {
        match e.try_get_attribute(name) {
            Ok(Some(a)) => a
                .unescape_value()
                .map(|v| Some(v.into_owned()))
                .map_err(|err| format!("<word {name}>: {err}")),
            Ok(None) => Ok(None),
            Err(err) => Err(format!("<word>: {err}")),
        }
    };
    let num = |name: &str, default: f64| -> Result<f64, String> {
        match get(name)? {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| format!("<word {name}=\"{v}\">: not a number")),
        }
    };
    Ok(PatternWord {
        form: get("form")?.unwrap_or_default(),
        pos: get("pos")?,
        polarity: num("polarity", 0.0)?,
        subjectivity: num("subjectivity", 0.0)?,
        intensity: num("intensity", 1.0)?,
        label: get("label")?,
        confidence: get("confidence")?
            .map(|_| num("confidence", 0.0))
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_words_with_defaults_and_reports_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.xml");
        std::fs::write(
            &p,
            r#"<?xml version="1.0" encoding="utf-8"?>
<!-- a comment -->
<sentiment language="en">
<word form="good" pos="JJ" polarity="0.7" subjectivity="0.6" intensity="1.0" confidence="0.9" />
<word form="fun &amp; games" polarity="0.3" label="mood" />
<word form="odd" pos="" polarity="-0.1" subjectivity="0.2" intensity="1.5"></word>
</sentiment>"#,
        )
        .unwrap();
        let w = read_pattern_lexicon(&p).unwrap();
        assert_eq!(w.len(), 3);
        assert_eq!(
            (w[0].form.as_str(), w[0].pos.as_deref()),
            ("good", Some("JJ"))
        );
        assert_eq!((w[0].polarity, w[0].confidence), (0.7, Some(0.9)));
        assert_eq!(w[1].form, "fun & games");
        assert_eq!((w[1].pos.as_deref(), w[1].intensity), (None, 1.0));
        assert_eq!(w[1].label.as_deref(), Some("mood"));
        assert_eq!((w[2].pos.as_deref(), w[2].intensity), (Some(""), 1.5));
        std::fs::write(
            &p,
            "<sentiment>\n<word form=\"a\" />\n<word form=\"b\" polarity=\"x\" />\n</sentiment>",
        )
        .unwrap();
        let err = read_pattern_lexicon(&p).unwrap_err().to_string();
        assert!(err.contains("s.xml:3") && err.contains("\"x\""), "{err}");
    }
}
