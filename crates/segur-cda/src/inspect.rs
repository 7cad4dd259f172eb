//! A flat summary of a document's key header fields (what `segur cda inspect` prints).

use std::fmt::Write as _;

use crate::model::{Body, Document, Ii};

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

fn template(t: &Ii<'_>) -> String {
    let root = t.root.as_deref().unwrap_or("");
    match &t.extension {
        Some(ext) => format!("{root}:{ext}"),
        None => root.to_owned(),
    }
}

impl Summary {
    /// Summarises a parsed document.
    pub fn of(doc: &Document<'_>) -> Self {
        let owned = |c: &Option<std::borrow::Cow<'_, str>>| c.as_deref().map(str::to_owned);
        Self {
            template_ids: doc.template_ids.iter().map(template).collect(),
            id: doc.id.as_ref().map(Ii::to_caret_string),
            code: doc.code.as_ref().and_then(|c| owned(&c.code)),
            code_system: doc.code.as_ref().and_then(|c| owned(&c.code_system)),
            title: doc.title.as_deref().map(collapse),
            effective_time: doc.effective_time.as_ref().and_then(|t| owned(&t.value)),
            confidentiality: doc
                .confidentiality_code
                .as_ref()
                .and_then(|c| owned(&c.code)),
            language: doc.language_code.as_ref().and_then(|c| owned(&c.code)),
            set_id: doc.set_id.as_ref().map(Ii::to_caret_string),
            version: owned(&doc.version_number),
            patient_ids: doc.patient_ids().map(Ii::to_caret_string).collect(),
            author_ids: doc.author_ids().map(Ii::to_caret_string).collect(),
            custodian_id: doc
                .custodian
                .as_ref()
                .and_then(|c| c.role.as_ref())
                .and_then(|r| r.organization.as_ref())
                .and_then(|o| o.ids.first())
                .map(Ii::to_caret_string),
            body: match &doc.body {
                Some(Body::NonXml(_)) => Some("N1"),
                Some(Body::Structured(_)) => Some("N3"),
                None => None,
            },
            media_type: match &doc.body {
                Some(Body::NonXml(b)) => owned(&b.text.media_type),
                _ => None,
            },
            section_codes: doc
                .sections()
                .iter()
                .map(|s| s.code.as_ref().and_then(|c| owned(&c.code)))
                .collect(),
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
