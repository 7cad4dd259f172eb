//! CI-SIS value sets ("jeux de valeurs", JDV) the builder draws its codes from.
//!
//! The tables in this module are generated from the ANS JDV files
//! (`shared/corpus/cda/ans/jeuxDeValeurs/*.xml`, IHE SVS format) by
//! `crates/segur-cda/tools/gen_valuesets.py`; the test `valuesets_up_to_date` fails when the
//! committed tables no longer match the files. Concepts with an end date (`dateFin`) are left out.
//!
//! ```
//! use segur_cda::valuesets;
//!
//! let loinc = "2.16.840.1.113883.6.1";
//! let letter = valuesets::TYPE_CODE.get("11490-0", loinc).unwrap();
//! assert_eq!(letter.display_name, "Lettre de liaison à la sortie d'un établissement de soins");
//! assert!(!valuesets::TYPE_CODE.contains("00000-0", loinc));
//! ```

#[rustfmt::skip]
mod generated;

pub use generated::*;

/// One concept of a value set: a code in a code system, with its French display name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Concept {
    /// The code (`@code`).
    pub code: &'static str,
    /// The OID of the code system (`@codeSystem`).
    pub code_system: &'static str,
    /// The display name given by the JDV (`@displayName`).
    pub display_name: &'static str,
}

/// A CI-SIS value set: its JDV name, OID and concepts sorted by (code, code system).
#[derive(Debug, PartialEq, Eq)]
pub struct ValueSet {
    /// The JDV name, e.g. `JDV_J07_XdsTypeCode_CISIS`.
    pub name: &'static str,
    /// The value set OID, e.g. `1.2.250.1.213.1.1.5.471`.
    pub oid: &'static str,
    /// The `dateMaj` (else `revisionDate`) of the JDV file the table was generated from, as
    /// written there.
    pub updated: &'static str,
    /// The concepts, sorted by (code, code system).
    pub concepts: &'static [Concept],
}

impl ValueSet {
    /// The concept with this code in this code system, if the value set has it.
    #[must_use]
    pub fn get(&self, code: &str, code_system: &str) -> Option<&'static Concept> {
        self.concepts
            .binary_search_by(|c| (c.code, c.code_system).cmp(&(code, code_system)))
            .ok()
            .map(|i| &self.concepts[i])
    }

    /// Whether the value set has this code in this code system.
    #[must_use]
    pub fn contains(&self, code: &str, code_system: &str) -> bool {
        self.get(code, code_system).is_some()
    }

    /// The concepts with this code, whatever their code system (at most a few).
    pub fn by_code<'s>(&'s self, code: &'s str) -> impl Iterator<Item = &'static Concept> + 's {
        let start = self.concepts.partition_point(|c| c.code < code);
        self.concepts[start..]
            .iter()
            .take_while(move |c| c.code == code)
    }
}

/// The generated value set with this JDV name or OID.
#[must_use]
pub fn by_name_or_oid(key: &str) -> Option<&'static ValueSet> {
    ALL.iter()
        .copied()
        .find(|vs| vs.name == key || vs.oid == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        for vs in ALL {
            assert!(!vs.concepts.is_empty(), "{}", vs.name);
            for w in vs.concepts.windows(2) {
                assert!(
                    (w[0].code, w[0].code_system) < (w[1].code, w[1].code_system),
                    "{} not sorted at {}",
                    vs.name,
                    w[1].code
                );
            }
        }
    }

    #[test]
    fn lookups() {
        assert!(CONFIDENTIALITY.contains("N", "2.16.840.1.113883.5.25"));
        assert!(!CONFIDENTIALITY.contains("N", "2.16.840.1.113883.5.1"));
        assert_eq!(ADMINISTRATIVE_GENDER.by_code("UN").count(), 1);
        assert_eq!(ADMINISTRATIVE_GENDER.by_code("X").count(), 0);
        assert_eq!(
            by_name_or_oid("1.2.250.1.213.1.1.5.471").map(|v| v.name),
            Some("JDV_J07_XdsTypeCode_CISIS")
        );
        assert!(by_name_or_oid("JDV_J04_XdsPracticeSettingCode_CISIS").is_some());
        assert!(by_name_or_oid("nope").is_none());
    }
}
