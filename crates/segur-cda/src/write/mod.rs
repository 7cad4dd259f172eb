//! Deterministic serialisation of a [`Document`] to XML, compact or pretty.
//!
//! The same document always gives the same bytes: elements are written in the order the CDA R2
//! schema (`POCD_MT000040`) requires, attributes in a fixed order, namespaces with fixed prefixes
//! (`xsi`, `sdtc`, `lab`, `pharm`, `ps3-20`, then `ns1`, `ns2`, ... in order of first use), all
//! declared on the root element. Model fields that keep unknown content (`extensions`) are
//! placed at their schema position when their name is a CDA element name, at the end otherwise.
//! The narrative block of a section is written as kept in [`Narrative::raw`](crate::model::Narrative).
//!
//! Parsing what this module writes gives back the same model (see the crate's round-trip tests).
//!
//! ```
//! use segur_cda::model::{Document, Ii};
//! use segur_cda::write::Style;
//!
//! let doc = Document { id: Some(Ii::with_extension("1.2.250.1.999", "D1")), ..Document::default() };
//! let xml = doc.to_xml(Style::Compact);
//! assert!(xml.ends_with("<id root=\"1.2.250.1.999\" extension=\"D1\"/></ClinicalDocument>\n"));
//! ```

mod b64;
mod document;
mod xml;

pub(crate) use b64::encode as base64_encode;
/// The writer's order of the extensions of each model type, which the parser keeps.
pub(crate) use document::{
    document_extension_rank, patient_extension_rank, role_extension_rank, section_extension_rank,
    statement_extension_rank,
};

/// Escapes character data for the narrative block the builder generates.
pub(crate) fn escape_text(out: &mut String, text: &str) {
    xml::escape(out, text, false);
}

use std::io;

use crate::model::Document;

/// The layout of the written XML.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Style {
    /// No whitespace between elements: the smallest output, for transmission.
    #[default]
    Compact,
    /// One element per line, indented by two spaces (mixed content and the narrative block are
    /// written on one line, as they are), for humans and diffs.
    Pretty,
}

impl Document<'_> {
    /// Serialises the document as UTF-8 XML (with an XML declaration and a final newline).
    #[must_use]
    pub fn to_xml(&self, style: Style) -> String {
        document::write_document(self, style)
    }

    /// Serialises the document to a writer.
    ///
    /// # Errors
    /// The writer's I/O errors.
    pub fn write_xml<W: io::Write>(&self, mut writer: W, style: Style) -> io::Result<()> {
        writer.write_all(self.to_xml(style).as_bytes())
    }
}
