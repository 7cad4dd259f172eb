//! The bridge to the VIHF of `segur-soap`: a PSC user and a chosen work situation become the
//! input of the DMP's AIR mode ([`segur_soap::vihf::VihfBuilder::from_psc`]).

use segur_soap::vihf::PscProfessional;

use crate::error::{Error, Result};
use crate::userinfo::{PscUserInfo, WorkSituation};

impl PscUserInfo {
    /// The VIHF input for this user working in `situation` (one of
    /// [`PscUserInfo::work_situations`]).
    ///
    /// - national id: `SubjectNameID` (else `preferred_username`);
    /// - names: the exercice's `nomDexercice`/`prenomDexercice` (else `family_name`/`given_name`);
    /// - profession and speciality: `codeProfession`, `codeSavoirFaire`;
    /// - structure: `structure_id` when given (the structure the LPS is installed in, as read on
    ///   its certificate), else the activity's `ancienIdentifiantDeLaStructure` (already in
    ///   the VIHF's type-digit form), else `1` + FINESS (site, then legal entity), else `3` +
    ///   SIRET;
    /// - sector: the activity's `codeSecteurDactivite`, else `Secteur_Activite`.
    ///
    /// Fails with [`Error::Incomplete`] naming the first value that is missing.
    ///
    /// ```
    /// # let json = br#"{"SubjectNameID": "899700218896", "SubjectRefPro": {"exercices": [{
    /// #   "codeProfession": "10", "codeSavoirFaire": "SM54", "nomDexercice": "NOM",
    /// #   "prenomDexercice": "Paul", "activities": [{"codeSecteurDactivite": "SA01",
    /// #   "numeroFinessSite": "750000001"}]}]}}"#;
    /// let user = segur_psc::PscUserInfo::from_json(json)?;
    /// let situation = user.single_work_situation().unwrap();
    /// let professional = user.psc_professional(&situation, None)?;
    /// assert_eq!(professional.structure_id, "1750000001");
    /// assert_eq!(professional.specialty.as_deref(), Some("SM54"));
    /// # Ok::<(), segur_psc::Error>(())
    /// ```
    pub fn psc_professional(
        &self,
        situation: &WorkSituation<'_>,
        structure_id: Option<&str>,
    ) -> Result<PscProfessional> {
        let missing = |field| Error::Incomplete { field };
        let national_id = self
            .subject_name_id
            .as_deref()
            .or(self.preferred_username.as_deref())
            .ok_or(missing("SubjectNameID"))?;
        let ex = situation.exercice;
        let family = ex
            .nom_dexercice
            .as_deref()
            .or(self.family_name.as_deref())
            .ok_or(missing("nomDexercice"))?;
        let given = ex
            .prenom_dexercice
            .as_deref()
            .or(self.given_name.as_deref())
            .ok_or(missing("prenomDexercice"))?;
        let profession = ex
            .code_profession
            .as_deref()
            .ok_or(missing("codeProfession"))?;
        let activite = situation.activite;
        let structure = match structure_id {
            Some(s) if !s.trim().is_empty() => s.trim().to_owned(),
            _ => activite
                .and_then(|a| {
                    a.ancien_identifiant_de_la_structure
                        .clone()
                        .or_else(|| a.numero_finess_site.as_ref().map(|f| format!("1{f}")))
                        .or_else(|| {
                            a.numero_finessetablissement_juridique
                                .as_ref()
                                .map(|f| format!("1{f}"))
                        })
                        .or_else(|| a.numero_siret_site.as_ref().map(|s| format!("3{s}")))
                })
                .ok_or(missing("Identifiant_Structure"))?,
        };
        let sector = activite
            .and_then(|a| a.code_secteur_dactivite.clone())
            .or_else(|| self.secteur_activite.as_ref().map(|c| c.code.clone()))
            .ok_or(missing("codeSecteurDactivite"))?;
        let professional =
            PscProfessional::new(national_id, family, given, profession, structure, sector);
        Ok(match &ex.code_savoir_faire {
            Some(s) => professional.with_specialty(s),
            None => professional,
        })
    }
}
