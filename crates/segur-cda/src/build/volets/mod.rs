//! Volets ("document models" of the CI-SIS), described as data.
//!
//! A volet is a [`VoletSpec`]: its document-level templateIds, its document type, its fixed
//! title, the sections it requires and the header rules its schematron adds. Sections are
//! [`SectionSpec`]s (templateIds, code, default title). The typed modules ([`ldl_ses`],
//! [`bio_cr_bio`]) only add functions that fill those sections with the right entries; adding the
//! next volet means writing its `VoletSpec` and `SectionSpec` constants, plus entry helpers
//! for the entries it introduces.

pub mod bio_cr_bio;
pub mod ldl_ses;

use super::body::{Coded, SectionBuilder};
use super::error::{ProblemKind, Problems};

/// Header rules a volet's schematron adds to the generic CI-SIS header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeaderRules {
    /// Every `serviceEvent` needs a `code`.
    pub service_event_code: bool,
    /// The performer of the first act needs a time, address, telecom, and its organisation a
    /// name, address and telecom.
    pub performer_details: bool,
    /// The encounter needs a `responsibleParty` with a specialty code.
    pub responsible_party: bool,
}

/// A section model: templateIds, code, default title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SectionSpec {
    /// The key naming the section in errors and narrative IDs.
    pub key: &'static str,
    /// The section's name in the CI-SIS (e.g. `FR-Statut-du-document-LDL-SES`).
    pub name: &'static str,
    /// templateId roots, in order.
    pub template_ids: &'static [&'static str],
    /// The section code: (code, code system, display name).
    pub code: (&'static str, &'static str, &'static str),
    /// The default title.
    pub title: &'static str,
    /// How many entries the section needs at least (IHE sections that require coded entries).
    pub min_entries: usize,
}

impl SectionSpec {
    /// An empty section following this model.
    pub fn builder(&self) -> SectionBuilder {
        let (code, system, display) = self.code;
        let coded = if system == super::LOINC {
            Coded::loinc(code, display)
        } else {
            Coded::new(code, system, display)
        };
        SectionBuilder::new(self.key, self.template_ids, coded, self.title)
    }

    /// The templateId identifying this section (the most specific, i.e. the last one).
    pub fn identifying_template(&self) -> &'static str {
        self.template_ids.last().copied().unwrap_or("")
    }
}

/// A volet: what makes a document of this model.
#[derive(Debug, PartialEq, Eq)]
pub struct VoletSpec {
    /// Volet name, e.g. `LDL-SES`.
    pub name: &'static str,
    /// Volet version, e.g. `2022.01`.
    pub version: &'static str,
    /// Document-level templateIds after the two generic ones: (root, extension).
    pub template_ids: &'static [(&'static str, Option<&'static str>)],
    /// Document type code (in `JDV_J07_XdsTypeCode_CISIS`).
    pub type_code: &'static str,
    /// Title imposed by the volet, if any.
    pub fixed_title: Option<&'static str>,
    /// Sections that must be present (at any depth), identified by a templateId root.
    pub required_sections: &'static [&'static SectionSpec],
    /// Header rules.
    pub header: HeaderRules,
}

impl VoletSpec {
    /// Records a problem for each required section missing from `sections`.
    pub(crate) fn check_sections(&self, sections: &[SectionBuilder], problems: &mut Problems) {
        fn find<'s>(sections: &'s [SectionBuilder], root: &str) -> Option<&'s SectionBuilder> {
            sections.iter().find_map(|s| {
                if s.template_ids.iter().any(|(r, _)| r == root) {
                    Some(s)
                } else {
                    find(&s.sections, root)
                }
            })
        }
        for spec in self.required_sections {
            match find(sections, spec.identifying_template()) {
                None => problems.push(format!("section[{}]", spec.key), ProblemKind::Missing),
                Some(s) if s.entries.len() < spec.min_entries => {
                    problems.push(format!("section[{}].entry", spec.key), ProblemKind::Missing);
                }
                Some(_) => {}
            }
        }
    }

    /// Every volet this crate describes.
    pub const ALL: [&'static Self; 2] = [&ldl_ses::LDL_SES, &bio_cr_bio::BIO_CR_BIO];

    /// The volet with this name (`LDL-SES`, `BIO-CR-BIO`).
    pub fn by_name(name: &str) -> Option<&'static Self> {
        Self::ALL
            .into_iter()
            .find(|v| v.name.eq_ignore_ascii_case(name))
    }
}

/// The TA_ASIP code system (`1.2.250.1.213.1.1.4.322`), source of many CI-SIS entry codes.
pub const TA_ASIP: &str = "1.2.250.1.213.1.1.4.322";

/// templateIds of the FR-Simple-Observation entry (IHE simple observation + CI-SIS).
pub(crate) const SIMPLE_OBSERVATION: [&str; 2] =
    ["1.3.6.1.4.1.19376.1.5.3.1.4.13", "1.2.250.1.213.1.1.3.48"];
