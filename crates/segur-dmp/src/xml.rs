//! A small bounded element tree for the DMP-specific response bodies (HL7 v3 acknowledgements,
//! `urn:si-dmp-*` outputs, ITI-43 responses). Names are kept by local part: these bodies reach
//! it as standalone payloads whose root namespace [`segur_soap`] already resolved.

use quick_xml::XmlVersion;
use quick_xml::events::Event;

use crate::error::{DmpError, DmpErrorKind};

/// Largest accepted body, in bytes.
const MAX_BYTES: usize = 64 * 1024 * 1024;
/// Deepest accepted nesting.
const MAX_DEPTH: usize = 64;
/// Most elements accepted.
const MAX_ELEMENTS: usize = 100_000;

/// An element: local name, attributes by local name, children and text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) children: Vec<Self>,
    pub(crate) text: String,
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_owned(),
        None => name.to_owned(),
    }
}

impl Element {
    pub(crate) fn child(&self, name: &str) -> Option<&Self> {
        self.children.iter().find(|c| c.name == name)
    }

    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Self> {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first descendant (depth first, self excluded) named `name`.
    pub(crate) fn find(&self, name: &str) -> Option<&Self> {
        for c in &self.children {
            if c.name == name {
                return Some(c);
            }
            if let Some(found) = c.find(name) {
                return Some(found);
            }
        }
        None
    }

    /// The trimmed text of the child `name`.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

fn malformed(offset: u64, message: impl Into<String>) -> DmpError {
    DmpError::new(DmpErrorKind::Malformed {
        offset,
        message: message.into(),
    })
}

/// Parses `input` into a tree; DTDs, undeclared entities, non-UTF-8 and oversized input are
/// refused.
pub(crate) fn parse(input: &[u8]) -> Result<Element, DmpError> {
    if input.len() > MAX_BYTES {
        return Err(malformed(0, format!("larger than {MAX_BYTES} bytes")));
    }
    let text =
        std::str::from_utf8(input).map_err(|e| malformed(e.valid_up_to() as u64, "not UTF-8"))?;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root = None;
    let mut count = 0usize;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| malformed(reader.error_position(), e.to_string()))?;
        let start = |s: &quick_xml::events::BytesStart<'_>, count: &mut usize| {
            *count += 1;
            if *count > MAX_ELEMENTS {
                return Err(malformed(at, format!("more than {MAX_ELEMENTS} elements")));
            }
            let mut el = Element {
                name: local(s.name().as_ref()),
                ..Element::default()
            };
            for a in s.attributes() {
                let a = a.map_err(|e| malformed(at, e.to_string()))?;
                let v = a
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|e| malformed(at, e.to_string()))?;
                el.attrs.push((local(a.key.as_ref()), v.into_owned()));
            }
            Ok(el)
        };
        match event {
            Event::DocType(_) => return Err(malformed(at, "DTDs are not accepted")),
            Event::Start(s) => {
                if root.is_some() {
                    return Err(malformed(at, "content after the root element"));
                }
                stack.push(start(&s, &mut count)?);
                if stack.len() > MAX_DEPTH {
                    return Err(malformed(at, format!("deeper than {MAX_DEPTH} elements")));
                }
            }
            Event::Empty(s) => {
                if root.is_some() {
                    return Err(malformed(at, "content after the root element"));
                }
                let el = start(&s, &mut count)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| malformed(at, "end tag without start tag"))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(c) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&c.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match quick_xml::escape::resolve_xml_entity(&r.xml10_content()) {
                        Some(s) => s.to_owned(),
                        None => {
                            return Err(malformed(
                                at,
                                format!("undeclared entity `{}`", r.xml10_content()),
                            ));
                        }
                    },
                    Err(e) => return Err(malformed(at, e.to_string())),
                };
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&ch);
                }
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(malformed(input.len() as u64, "unclosed element"));
    }
    root.ok_or_else(|| malformed(0, "no root element"))
}

/// Escapes text and attribute values (the five predefined entities, and `\r` as `&#13;`).
pub(crate) use quick_xml::escape::escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_inputs_are_typed_errors() {
        for bad in [
            &b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>"[..],
            b"<a>&foo;</a>",
            b"<a><b></a>",
            b"<a/><b/>",
            b"",
            b"\xff\xfe",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(deep.as_bytes()).is_err());
    }

    #[test]
    fn local_names_attributes_and_text() {
        let el = parse(b"<p:a xmlns:p='urn:x' q='1'><p:b>x &amp; y</p:b><c/></p:a>").unwrap();
        assert_eq!(el.name, "a");
        assert_eq!(el.attr("q"), Some("1"));
        assert_eq!(el.child_text("b"), Some("x & y"));
        assert!(el.find("c").is_some());
        assert_eq!(escape("<&\"'>"), "&lt;&amp;&quot;&apos;&gt;");
    }
}
