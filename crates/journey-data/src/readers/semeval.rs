//! SemEval-2014 Task 4 (aspect-based sentiment, Pontiki et al. 2014) XML:
//! `<sentence id><text/><aspectTerms><aspectTerm term polarity from to/>…
//! <aspectCategories><aspectCategory category polarity/>…</sentence>`.

use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::readers::text;
use crate::DataError;

#[derive(Debug, Clone, PartialEq)]
pub struct AspectTerm {
    pub term: String,
    pub polarity: String,
    /// Character offsets of the term in the sentence text.
    pub from: usize,
    pub to: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AspectCategory {
    pub category: String,
    pub polarity: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AbsaSentence {
    pub id: String,
    pub text: String,
    pub aspect_terms: Vec<AspectTerm>,
    pub aspect_categories: Vec<AspectCategory>,
}

pub fn read_semeval(path: &Path) -> Result<Vec<AbsaSentence>, DataError> {
    let xml = text::read_to_string(path)?;
    let mut reader = Reader::from_str(&xml);
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
    let mut out = Vec::new();
    let mut current: Option<AbsaSentence> = None;
    let mut in_text = false;
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| parse_err(reader.buffer_position(), e.to_string()))?;
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"sentence" => {
                    current = Some(AbsaSentence {
                        id: attr(&e, "id").map_err(|m| parse_err(pos, m))?,
                        ..Default::default()
                    })
                }
                b"text" => in_text = true,
                b"aspectTerm" => {
                    let s = current
                        .as_mut()
                        .ok_or_else(|| parse_err(pos, "aspectTerm outside a sentence".into()))?;
                    let num = |name: &str| -> Result<usize, DataError> {
                        let v = attr(&e, name).map_err(|m| parse_err(pos, m))?;
                        v.parse()
                            .map_err(|_| parse_err(pos, format!("{name}=\"{v}\" is not an offset")))
                    };
                    s.aspect_terms.push(AspectTerm {
                        term: attr(&e, "term").map_err(|m| parse_err(pos, m))?,
                        polarity: attr(&e, "polarity").map_err(|m| parse_err(pos, m))?,
                        from: num("from")?,
                        to: num("to")?,
                    });
                }
                b"aspectCategory" => {
                    let s = current.as_mut().ok_or_else(|| {
                        parse_err(pos, "aspectCategory outside a sentence".into())
                    })?;
                    s.aspect_categories.push(AspectCategory {
                        category: attr(&e, "category").map_err(|m| parse_err(pos, m))?,
                        polarity: attr(&e, "polarity").map_err(|m| parse_err(pos, m))?,
                    });
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                if let Some(s) = current.as_mut() {
                    let t = t.unescape().map_err(|e| parse_err(pos, e.to_string()))?;
                    s.text.push_str(&t);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"text" => in_text = false,
                b"sentence" => out.extend(current.take()),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn attr(e: &BytesStart, name: &str) -> Result<String, String> {
    let element = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    match e.try_get_attribute(name) {
        Ok(Some(a)) => a
            .unescape_value()
            .map(|v| v.into_owned())
            .map_err(|err| format!("<{element} {name}>: {err}")),
        Ok(None) => Err(format!("<{element}> has no {name} attribute")),
        Err(err) => Err(format!("<{element}>: {err}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_categories_and_entities() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.xml");
        std::fs::write(
            &p,
            r#"<?xml version="1.0"?>
<sentences>
  <sentence id="7">
    <text>The staff &amp; food.</text>
    <aspectTerms>
      <aspectTerm term="staff" polarity="negative" from="4" to="9"/>
    </aspectTerms>
    <aspectCategories><aspectCategory category="service" polarity="negative"/></aspectCategories>
  </sentence>
  <sentence id="8"><text>Nothing.</text></sentence>
</sentences>"#,
        )
        .unwrap();
        let s = read_semeval(&p).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].text, "The staff & food.");
        assert_eq!(s[0].aspect_terms[0].to, 9);
        assert_eq!(s[0].aspect_categories[0].category, "service");
        std::fs::write(&p, "<sentences><sentence id=\"1\"><text>x</text><aspectTerms><aspectTerm term=\"x\" polarity=\"p\" from=\"a\" to=\"1\"/>\n</aspectTerms></sentence></sentences>").unwrap();
        let err = read_semeval(&p).unwrap_err().to_string();
        assert!(
            err.contains("s.xml:1") && err.contains("not an offset"),
            "{err}"
        );
    }
}
