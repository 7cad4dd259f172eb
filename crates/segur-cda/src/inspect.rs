//! A flat summary of a document's key header fields (what `segur cda inspect` prints).

use std::fmt::Write as _;

use crate::flat::{Document, Element};

/// The key fields of a document, as plain strings.
///
/// Identifiers are written `root^extension` (or `root`), templateIds `root:extension` (or
/// `root`), the title with its whitespace collapsed, times as written.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Summary {
    /// `/ClinicalDocument/templateId`s, `root` or `root:extension`.
    pub template_ids: Vec<String>,
    /// `id`.
    pub id: Option<String>,
    /// `code/@code`.
    pub code: Option<String>,
    /// `code/@codeSystem`.
    pub code_system: Option<String>,
    /// `title`, whitespace collapsed.
    pub title: Option<String>,
    /// `effectiveTime/@value`.
    pub effective_time: Option<String>,
    /// `confidentialityCode/@code`.
    pub confidentiality: Option<String>,
    /// `languageCode/@code`.
    pub language: Option<String>,
    /// `setId`.
    pub set_id: Option<String>,
    /// `versionNumber/@value`.
    pub version: Option<String>,
    /// `recordTarget/patientRole/id`s.
    pub patient_ids: Vec<String>,
    /// `author/assignedAuthor/id`s.
    pub author_ids: Vec<String>,
    /// `custodian/assignedCustodian/representedCustodianOrganization/id` (the first).
    pub custodian_id: Option<String>,
    /// `N1`, `N3`, or `None` without body.
    pub body: Option<&'static str>,
    /// `nonXMLBody/text/@mediaType` (N1).
    pub media_type: Option<String>,
    /// Top-level section `code/@code`s, in document order (`None` for a section without code).
    pub section_codes: Vec<Option<String>>,
}

fn collapse(s: &str) -> String {
    s.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// `root` and `extension` joined by `sep`: `root<sep>extension`, or `root` alone.
fn joined(id: Element<'_>, sep: char) -> String {
    let root = id.attribute("root").unwrap_or("");
    match id.attribute("extension") {
        Some(ext) => format!("{root}{sep}{ext}"),
        None => root.to_owned(),
    }
}

/// The ids (`root^extension`) of the HL7 elements at `path` below `e` (every match).
fn ids_at(e: Element<'_>, path: &[&str]) -> Vec<String> {
    let mut level = vec![e];
    for step in path {
        level = level.iter().flat_map(|e| e.children_named(step)).collect();
    }
    level.into_iter().map(|id| joined(id, '^')).collect()
}

impl Summary {
    /// Summarises a document read with the flat parse ([`crate::flat::parse`]). Single fields
    /// come from the first matching element.
    pub fn of(doc: &Document<'_>) -> Self {
        let root = doc.root();
        let attr = |child: &str, name: &str| {
            root.child(child)
                .and_then(|c| c.attribute(name))
                .map(str::to_owned)
        };
        let body = root.child("component").and_then(|c| {
            c.children()
                .find(|b| b.is("nonXMLBody") || b.is("structuredBody"))
        });
        Self {
            template_ids: root
                .children_named("templateId")
                .map(|t| joined(t, ':'))
                .collect(),
            id: root.child("id").map(|id| joined(id, '^')),
            code: attr("code", "code"),
            code_system: attr("code", "codeSystem"),
            title: root.child("title").map(|t| collapse(&t.string())),
            effective_time: attr("effectiveTime", "value"),
            confidentiality: attr("confidentialityCode", "code"),
            language: attr("languageCode", "code"),
            set_id: root.child("setId").map(|id| joined(id, '^')),
            version: attr("versionNumber", "value"),
            patient_ids: ids_at(root, &["recordTarget", "patientRole", "id"]),
            author_ids: ids_at(root, &["author", "assignedAuthor", "id"]),
            custodian_id: ids_at(
                root,
                &[
                    "custodian",
                    "assignedCustodian",
                    "representedCustodianOrganization",
                    "id",
                ],
            )
            .into_iter()
            .next(),
            body: body.map(|b| if b.is("nonXMLBody") { "N1" } else { "N3" }),
            media_type: body
                .filter(|b| b.is("nonXMLBody"))
                .and_then(|b| b.child("text"))
                .and_then(|t| t.attribute("mediaType"))
                .map(str::to_owned),
            section_codes: body
                .filter(|b| b.is("structuredBody"))
                .map(|b| {
                    b.children_named("component")
                        .filter_map(|c| c.child("section"))
                        .map(|s| {
                            s.child("code")
                                .and_then(|c| c.attribute("code"))
                                .map(str::to_owned)
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// One JSON object on one line, with `file` first and every field (`null` when absent).
    pub fn to_json(&self, file: &str) -> String {
        let mut o = String::with_capacity(512);
        o.push('{');
        field(&mut o, "file", &json_str(file));
        field(
            &mut o,
            "template_ids",
            &json_list(self.template_ids.iter().map(|s| Some(s.as_str()))),
        );
        field(&mut o, "id", &json_opt(self.id.as_deref()));
        field(&mut o, "code", &json_opt(self.code.as_deref()));
        field(
            &mut o,
            "code_system",
            &json_opt(self.code_system.as_deref()),
        );
        field(&mut o, "title", &json_opt(self.title.as_deref()));
        field(
            &mut o,
            "effective_time",
            &json_opt(self.effective_time.as_deref()),
        );
        field(
            &mut o,
            "confidentiality",
            &json_opt(self.confidentiality.as_deref()),
        );
        field(&mut o, "language", &json_opt(self.language.as_deref()));
        field(&mut o, "set_id", &json_opt(self.set_id.as_deref()));
        field(&mut o, "version", &json_opt(self.version.as_deref()));
        field(
            &mut o,
            "patient_ids",
            &json_list(self.patient_ids.iter().map(|s| Some(s.as_str()))),
        );
        field(
            &mut o,
            "author_ids",
            &json_list(self.author_ids.iter().map(|s| Some(s.as_str()))),
        );
        field(
            &mut o,
            "custodian_id",
            &json_opt(self.custodian_id.as_deref()),
        );
        field(&mut o, "body", &json_opt(self.body));
        field(&mut o, "media_type", &json_opt(self.media_type.as_deref()));
        field(
            &mut o,
            "section_codes",
            &json_list(self.section_codes.iter().map(|s| s.as_deref())),
        );
        o.pop();
        o.push('}');
        o
    }
}

fn field(out: &mut String, key: &str, value: &str) {
    let _ = write!(out, "\"{key}\":{value},");
}

fn json_opt(v: Option<&str>) -> String {
    v.map_or_else(|| "null".to_owned(), json_str)
}

fn json_list<'s>(items: impl Iterator<Item = Option<&'s str>>) -> String {
    let inner: Vec<String> = items.map(json_opt).collect();
    format!("[{}]", inner.join(","))
}

/// A JSON string literal.
fn json_str(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", u32::from(c));
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_json() {
        assert_eq!(json_str("a\"b\\c\nd\u{1}é"), "\"a\\\"b\\\\c\\nd\\u0001é\"");
        assert_eq!(collapse("  Compte \n rendu\t "), "Compte rendu");
    }
}
