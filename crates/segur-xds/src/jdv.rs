//! CI-SIS value sets for the XDS coded attributes, generated from the ANS SVS files
//! `JDV_J02`, `JDV_J04`, `JDV_J07`, `JDV_J08` (`../shared/corpus/cda/ans/jeuxDeValeurs/`,
//! ansforge/TestContenuCDA-3-0 @ 7cd489b3). Regenerate with `tests/data/gen_jdv.py`.

use crate::codes::ValueSet;

/// JDV_J02 (`1.2.250.1.213.1.1.5.466`, XDS healthcareFacilityTypeCode CI-SIS, updated 20241213): the `healthcareFacilityTypeCode` values.
pub const HEALTHCARE_FACILITY_TYPE: ValueSet = ValueSet {
    name: "JDV_J02_XdsHealthcareFacilityTypeCode_CISIS",
    oid: "1.2.250.1.213.1.1.5.466",
    concepts: &[
        (
            "EXP_PATIENT",
            "1.2.250.1.213.1.1.4.6",
            "Expression personnelle du patient",
        ),
        (
            "SNR",
            "1.2.250.1.213.1.1.4.6",
            "Service numérique référencé",
        ),
        (
            "SA01",
            "1.2.250.1.71.4.2.4",
            "Etablissement public de santé",
        ),
        (
            "SA02",
            "1.2.250.1.71.4.2.4",
            "Hôpital militaire du Service de santé des armées",
        ),
        ("SA03", "1.2.250.1.71.4.2.4", "Etablissement privé PSPH"),
        ("SA04", "1.2.250.1.71.4.2.4", "Etablissement privé non PSPH"),
        ("SA05", "1.2.250.1.71.4.2.4", "Centre de santé"),
        (
            "SA06",
            "1.2.250.1.71.4.2.4",
            "Autre structure du Service de santé des armées",
        ),
        ("SA07", "1.2.250.1.71.4.2.4", "Cabinet individuel"),
        ("SA08", "1.2.250.1.71.4.2.4", "Cabinet de groupe"),
        ("SA09", "1.2.250.1.71.4.2.4", "Exercice en société"),
        ("SA10", "1.2.250.1.71.4.2.4", "Transporteur sanitaire"),
        (
            "SA12",
            "1.2.250.1.71.4.2.4",
            "Etablissement de soins et prévention",
        ),
        (
            "SA13",
            "1.2.250.1.71.4.2.4",
            "Prévention et soins en entreprise",
        ),
        (
            "SA14",
            "1.2.250.1.71.4.2.4",
            "Etablissements scolaires, universitaires et de formation hors champ FINESS",
        ),
        (
            "SA15",
            "1.2.250.1.71.4.2.4",
            "PMI et Planification familiale",
        ),
        (
            "SA16",
            "1.2.250.1.71.4.2.4",
            "Etablissement pour personnes handicapées",
        ),
        (
            "SA17",
            "1.2.250.1.71.4.2.4",
            "Etablissement pour personnes âgées",
        ),
        (
            "SA18",
            "1.2.250.1.71.4.2.4",
            "Etablissement aide à la famille",
        ),
        (
            "SA19",
            "1.2.250.1.71.4.2.4",
            "Etablissements FINESS de formation aux professions sanitaires et sociales",
        ),
        (
            "SA20",
            "1.2.250.1.71.4.2.4",
            "Etablissement pour la protection de l'enfance",
        ),
        (
            "SA21",
            "1.2.250.1.71.4.2.4",
            "Etablissement d'hébergement et de réadaptation",
        ),
        ("SA22", "1.2.250.1.71.4.2.4", "Recherche"),
        ("SA23", "1.2.250.1.71.4.2.4", "Assurance privée"),
        (
            "SA24",
            "1.2.250.1.71.4.2.4",
            "Organisme de sécurité sociale",
        ),
        (
            "SA25",
            "1.2.250.1.71.4.2.4",
            "Laboratoire de biologie médicale",
        ),
        (
            "SA26",
            "1.2.250.1.71.4.2.4",
            "Ministère ou Service déconcentré",
        ),
        ("SA27", "1.2.250.1.71.4.2.4", "Collectivité territoriale"),
        (
            "SA28",
            "1.2.250.1.71.4.2.4",
            "Association ou organisme humanitaire",
        ),
        (
            "SA29",
            "1.2.250.1.71.4.2.4",
            "Laboratoire d'analyses et de biologie médicale",
        ),
        (
            "SA30",
            "1.2.250.1.71.4.2.4",
            "Autre établissement sanitaire",
        ),
        (
            "SA31",
            "1.2.250.1.71.4.2.4",
            "Répartition et Distribution de médicaments et dispositifs médicaux",
        ),
        (
            "SA32",
            "1.2.250.1.71.4.2.4",
            "Fabrication, Exploitation et Importation de médicaments et dispositifs médicaux",
        ),
        ("SA33", "1.2.250.1.71.4.2.4", "Pharmacie d'officine"),
        ("SA34", "1.2.250.1.71.4.2.4", "Centre de dialyse"),
        ("SA35", "1.2.250.1.71.4.2.4", "Para-pharmacie"),
        ("SA36", "1.2.250.1.71.4.2.4", "Centre anti-cancer"),
        (
            "SA37",
            "1.2.250.1.71.4.2.4",
            "Centre de transfusion sanguine",
        ),
        ("SA38", "1.2.250.1.71.4.2.4", "Pharmacie minière"),
        ("SA39", "1.2.250.1.71.4.2.4", "Pharmacie mutualiste"),
        (
            "SA40",
            "1.2.250.1.71.4.2.4",
            "Secteur privé, praticien hospitalier temps plein",
        ),
        (
            "SA41",
            "1.2.250.1.71.4.2.4",
            "Autre établissement du domaine social ou médico-social",
        ),
        ("SA42", "1.2.250.1.71.4.2.4", "Appareillage médical"),
        ("SA43", "1.2.250.1.71.4.2.4", "Secteur non défini"),
        ("SA44", "1.2.250.1.71.4.2.4", "Recrutement ou Gestion RH"),
        (
            "SA45",
            "1.2.250.1.71.4.2.4",
            "Communication, Marketing, Consulting, Média",
        ),
        (
            "SA46",
            "1.2.250.1.71.4.2.4",
            "Fabrication, Exploitation, Importation, Répartition, Distribution médicaments et dispositifs médicaux",
        ),
        ("SA47", "1.2.250.1.71.4.2.4", "Incendie et secours"),
        (
            "SA48",
            "1.2.250.1.71.4.2.4",
            "Entreprise industrielle et tertiaire hors industrie pharmaceutique",
        ),
        ("SA49", "1.2.250.1.71.4.2.4", "Entité Outre-Mer"),
        (
            "SA50",
            "1.2.250.1.71.4.2.4",
            "Permanence des soins ambulatoires hors cabinet",
        ),
        (
            "SA51",
            "1.2.250.1.71.4.2.4",
            "Structure de coopération avec autorisation de soins",
        ),
        (
            "SA52",
            "1.2.250.1.71.4.2.4",
            "Maison de santé ou Pôle de santé",
        ),
        (
            "SA53",
            "1.2.250.1.71.4.2.4",
            "Siège administratif d'un établissement de santé",
        ),
        (
            "SA54",
            "1.2.250.1.71.4.2.4",
            "Centre de dépistage et de prévention",
        ),
        (
            "SA55",
            "1.2.250.1.71.4.2.4",
            "Laboratoire pharmaceutique préparant et délivrant des allergènes",
        ),
        ("SA56", "1.2.250.1.71.4.2.4", "Propharmacie"),
        (
            "SA57",
            "1.2.250.1.71.4.2.4",
            "Structure de coopération avec mission de coordination de soins",
        ),
        ("SA58", "1.2.250.1.71.4.2.4", "Entreprise de taxis"),
        (
            "SA59",
            "1.2.250.1.71.4.2.4",
            "Laboratoire de biologie médicale hors catégorie standard",
        ),
        ("SA60", "1.2.250.1.71.4.2.4", "Centres médicaux SNCF"),
        (
            "SA61",
            "1.2.250.1.71.4.2.4",
            "Structure Dispensatrice à domicile d'Oxygène à usage médical",
        ),
        (
            "SA63",
            "1.2.250.1.71.4.2.4",
            "Communauté professionnelle territoriale de santé et équipe de soins spécialisés",
        ),
        ("SA64", "1.2.250.1.71.4.2.4", "Société de téléconsultation"),
        ("SA65", "1.2.250.1.71.4.2.4", "Antenne de pharmacie"),
        (
            "SA66",
            "1.2.250.1.71.4.2.4",
            "Services de Prévention et de Santé au Travail (SPST)",
        ),
        (
            "SA67",
            "1.2.250.1.71.4.2.4",
            "Maisons médicales de garde (MMG)",
        ),
        (
            "SA68",
            "1.2.250.1.71.4.2.4",
            "Services départementaux d'incendie et de secours",
        ),
        ("SA69", "1.2.250.1.71.4.2.4", "Maisons de naissance"),
    ],
};

/// JDV_J04 (`1.2.250.1.213.1.1.5.467`, XDS practiceSettingCode CI-SIS, updated 20240927): the `practiceSettingCode` values.
pub const PRACTICE_SETTING: ValueSet = ValueSet {
    name: "JDV_J04_XdsPracticeSettingCode_CISIS",
    oid: "1.2.250.1.213.1.1.5.467",
    concepts: &[
        (
            "EXP_PATIENT",
            "1.2.250.1.213.1.1.4.6",
            "Expression personnelle du patient",
        ),
        (
            "SNR",
            "1.2.250.1.213.1.1.4.6",
            "Service numérique référencé",
        ),
        ("AMBULATOIRE", "1.2.250.1.213.1.1.4.9", "Ambulatoire"),
        (
            "AMO",
            "1.2.250.1.213.1.1.4.9",
            "Organisme d'assurance maladie obligatoire",
        ),
        ("DEPISTAGE", "1.2.250.1.213.1.1.4.9", "Dépistage"),
        (
            "ESSMS",
            "1.2.250.1.213.1.1.4.9",
            "Etablissement ou Service Social ou Médico-Social",
        ),
        (
            "ETABLISSEMENT",
            "1.2.250.1.213.1.1.4.9",
            "Etablissement de santé",
        ),
        ("HAD", "1.2.250.1.213.1.1.4.9", "Hospitalisation à domicile"),
        ("MAD", "1.2.250.1.213.1.1.4.9", "Maintien à domicile"),
        ("PALLIATIF", "1.2.250.1.213.1.1.4.9", "Soins palliatifs"),
        ("SAD", "1.2.250.1.213.1.1.4.9", "Soins à domicile"),
        ("SAMU_SMUR", "1.2.250.1.213.1.1.4.9", "SAMU/SMUR"),
    ],
};

/// JDV_J07 (`1.2.250.1.213.1.1.5.471`, XDS typeCode CI-SIS, updated 20240927): the `typeCode` values.
pub const TYPE_CODE: ValueSet = ValueSet {
    name: "JDV_J07_XdsTypeCode_CISIS",
    oid: "1.2.250.1.213.1.1.5.471",
    concepts: &[
        (
            "ATTEST-ASS-COMPL",
            "1.2.250.1.213.1.1.4.12",
            "Attestation assurance complémentaire",
        ),
        (
            "ATTEST-RESID",
            "1.2.250.1.213.1.1.4.12",
            "Attestation de résidence",
        ),
        (
            "ATTEST-HEBGT",
            "1.2.250.1.213.1.1.4.12",
            "Attestation d'hébergement",
        ),
        (
            "ATTEST-DROITS-AM",
            "1.2.250.1.213.1.1.4.12",
            "Attestation de droits à l'assurance maladie",
        ),
        (
            "AUTORIS-SOINS",
            "1.2.250.1.213.1.1.4.12",
            "Autorisation de soins et actes non usuels sanitaires",
        ),
        (
            "BIL_AUTO",
            "1.2.250.1.213.1.1.4.12",
            "CR de bilan d'évaluation de la perte d'autonomie",
        ),
        (
            "CERT_DECL",
            "1.2.250.1.213.1.1.4.12",
            "Certificat, déclaration",
        ),
        ("DISP_AUT", "1.2.250.1.213.1.1.4.12", "Dispensation (autre)"),
        (
            "EXPPAT_1",
            "1.2.250.1.213.1.1.4.12",
            "Volontés et droits du patient",
        ),
        (
            "EXPPAT_2",
            "1.2.250.1.213.1.1.4.12",
            "Autre document du patient",
        ),
        (
            "EXPPAT_3",
            "1.2.250.1.213.1.1.4.12",
            "Directives anticipées",
        ),
        (
            "IMG-KOS",
            "1.2.250.1.213.1.1.4.12",
            "Reference d'objets d'un examen d'imagerie",
        ),
        (
            "PROT_ALD",
            "1.2.250.1.213.1.1.4.12",
            "Protocole de soins ALD",
        ),
        ("REMB", "1.2.250.1.213.1.1.4.12", "Données de remboursement"),
        ("SYNTH", "1.2.250.1.213.1.1.4.12", "Synthèse"),
        (
            "DOCPAT01",
            "1.2.250.1.213.1.1.4.12",
            "Synthèse déposée par le patient",
        ),
        (
            "DOCPAT02",
            "1.2.250.1.213.1.1.4.12",
            "Traitement ou document de soins déposé par le patient",
        ),
        (
            "DOCPAT03",
            "1.2.250.1.213.1.1.4.12",
            "CR déposé par le patient",
        ),
        (
            "DOCPAT04",
            "1.2.250.1.213.1.1.4.12",
            "Imagerie déposée par le patient",
        ),
        (
            "DOCPAT05",
            "1.2.250.1.213.1.1.4.12",
            "CR de biologie déposé par le patient",
        ),
        (
            "DOCPAT06",
            "1.2.250.1.213.1.1.4.12",
            "CR de prévention déposé par le patient",
        ),
        (
            "DOCPAT07",
            "1.2.250.1.213.1.1.4.12",
            "Certificat déposé par le patient",
        ),
        (
            "DOCPAT08",
            "1.2.250.1.213.1.1.4.12",
            "Profil médical Mon espace santé",
        ),
        (
            "DOCPAT09",
            "1.2.250.1.213.1.1.4.12",
            "Document administratif déposé par le patient",
        ),
        (
            "PIECE-IDENTITE",
            "1.2.250.1.213.1.1.4.12",
            "Copie pièce d'identité",
        ),
        (
            "PRESC-AAT",
            "1.2.250.1.213.1.1.4.12",
            "Prescription arrêt de travail",
        ),
        (
            "PRESC-BIO",
            "1.2.250.1.213.1.1.4.12",
            "Prescription d'actes de biologie médicale",
        ),
        (
            "PRESC-KINE",
            "1.2.250.1.213.1.1.4.12",
            "Prescription d'actes de kinésithérapie",
        ),
        (
            "PRESC-INF",
            "1.2.250.1.213.1.1.4.12",
            "Prescription d'actes infirmiers",
        ),
        (
            "PRESC-PEDI",
            "1.2.250.1.213.1.1.4.12",
            "Prescription d'actes de pédicurie",
        ),
        (
            "PRESC-ORTHOPHO",
            "1.2.250.1.213.1.1.4.12",
            "Prescription d'actes d'orthophonie",
        ),
        (
            "PRESC-ORTHOPTIE",
            "1.2.250.1.213.1.1.4.12",
            "Prescription d'actes d'orthoptie",
        ),
        (
            "FEUILLE-DE-STYLE",
            "1.2.250.1.213.1.1.4.12",
            "Feuille de style",
        ),
        ("FICHE-CONTACTS", "1.2.250.1.213.1.1.4.12", "Fiche contacts"),
        (
            "EXPORT_DUI",
            "1.2.250.1.213.1.1.4.12",
            "Export du Dossier Usager Informatisé",
        ),
        (
            "11369-6",
            "2.16.840.1.113883.6.1",
            "Historique des vaccinations",
        ),
        (
            "11488-4",
            "2.16.840.1.113883.6.1",
            "CR ou fiche de consultation ou de visite",
        ),
        (
            "11490-0",
            "2.16.840.1.113883.6.1",
            "Lettre de liaison à la sortie d'un établissement de soins",
        ),
        (
            "34112-3",
            "2.16.840.1.113883.6.1",
            "CR hospitalier (séjour)",
        ),
        (
            "11502-2",
            "2.16.840.1.113883.6.1",
            "CR d'examens biologiques",
        ),
        (
            "11505-5",
            "2.16.840.1.113883.6.1",
            "CR d'acte thérapeutique (autre)",
        ),
        (
            "11506-3",
            "2.16.840.1.113883.6.1",
            "CR ou fiche de suivi de soins par auxiliaire médical",
        ),
        (
            "15507-7",
            "2.16.840.1.113883.6.1",
            "CR de passage aux urgences",
        ),
        ("15508-5", "2.16.840.1.113883.6.1", "CR d'accouchement"),
        (
            "18776-5",
            "2.16.840.1.113883.6.1",
            "Plan personnalisé de soins",
        ),
        ("18748-4", "2.16.840.1.113883.6.1", "CR d'imagerie médicale"),
        (
            "18761-7",
            "2.16.840.1.113883.6.1",
            "Note de transfert (dont lettre de liaison à l'entrée en établissement de soins)",
        ),
        ("28617-9", "2.16.840.1.113883.6.1", "Bilan bucco-dentaire"),
        (
            "28653-4",
            "2.16.840.1.113883.6.1",
            "Document du secteur social / médico-social",
        ),
        (
            "29274-8",
            "2.16.840.1.113883.6.1",
            "Mesures de signes vitaux",
        ),
        (
            "34120-6",
            "2.16.840.1.113883.6.1",
            "Bilan par professionnel de santé",
        ),
        (
            "34133-9",
            "2.16.840.1.113883.6.1",
            "Synthèse d'épisode de soins",
        ),
        (
            "34749-2",
            "2.16.840.1.113883.6.1",
            "CR de consultation pré-anesthésique",
        ),
        (
            "34794-8",
            "2.16.840.1.113883.6.1",
            "CR de réunion de concertation pluridisciplinaire",
        ),
        (
            "34842-5",
            "2.16.840.1.113883.6.1",
            "Grille d'évaluation médico-social",
        ),
        ("34874-8", "2.16.840.1.113883.6.1", "CR opératoire"),
        (
            "34875-5",
            "2.16.840.1.113883.6.1",
            "Évaluation postopératoire et note de suivi",
        ),
        (
            "47420-5",
            "2.16.840.1.113883.6.1",
            "CR de bilan fonctionnel",
        ),
        ("51851-4", "2.16.840.1.113883.6.1", "Document administratif"),
        (
            "51969-4",
            "2.16.840.1.113883.6.1",
            "CR de génétique moléculaire",
        ),
        (
            "52040-3",
            "2.16.840.1.113883.6.1",
            "Document encapsulant une image d'illustration non DICOM",
        ),
        (
            "55115-0",
            "2.16.840.1.113883.6.1",
            "Demande d'actes d'imagerie",
        ),
        (
            "56445-0",
            "2.16.840.1.113883.6.1",
            "Bilan médicamenteux (Officine)",
        ),
        (
            "56446-8",
            "2.16.840.1.113883.6.1",
            "Notification de rendez-vous",
        ),
        ("57828-6", "2.16.840.1.113883.6.1", "Prescription (autre)"),
        ("57832-8", "2.16.840.1.113883.6.1", "Prescription de soins"),
        (
            "57833-6",
            "2.16.840.1.113883.6.1",
            "Prescription de produits de santé",
        ),
        (
            "59283-2",
            "2.16.840.1.113883.6.1",
            "CR d'examen de l'enfant",
        ),
        (
            "59284-0",
            "2.16.840.1.113883.6.1",
            "Attestation de consentement",
        ),
        (
            "60280-5",
            "2.16.840.1.113883.6.1",
            "Fiche de retour du service des urgences",
        ),
        (
            "60568-3",
            "2.16.840.1.113883.6.1",
            "CR d'anatomie et de cytologie pathologiques",
        ),
        ("60591-5", "2.16.840.1.113883.6.1", "Synthèse médicale"),
        (
            "60593-1",
            "2.16.840.1.113883.6.1",
            "Dispensation médicamenteuse",
        ),
        (
            "61357-0",
            "2.16.840.1.113883.6.1",
            "Intervention pharmaceutique",
        ),
        ("67851-6", "2.16.840.1.113883.6.1", "CR d'admission"),
        ("68599-0", "2.16.840.1.113883.6.1", "Synthèse psychiatrique"),
        (
            "68817-6",
            "2.16.840.1.113883.6.1",
            "Bilan de santé et de prévention de l'enfant",
        ),
        (
            "70004-7",
            "2.16.840.1.113883.6.1",
            "CR d'acte diagnostique (autre)",
        ),
        (
            "78341-5",
            "2.16.840.1.113883.6.1",
            "Fiche de transfert vers le service des urgences",
        ),
        (
            "74207-2",
            "2.16.840.1.113883.6.1",
            "Document de liaison d'urgence",
        ),
        ("74465-6", "2.16.840.1.113883.6.1", "Questionnaire patient"),
        (
            "75468-9",
            "2.16.840.1.113883.6.1",
            "Renouvellement ordonnance par pharmacien correspondant",
        ),
        (
            "75482-0",
            "2.16.840.1.113883.6.1",
            "CR d'acte thérapeutique à visée préventive",
        ),
        (
            "75492-9",
            "2.16.840.1.113883.6.1",
            "CR d'acte diagnostique à visée préventive ou de dépistage",
        ),
        (
            "75496-0",
            "2.16.840.1.113883.6.1",
            "Demande d'acte de télémédecine",
        ),
        ("77436-4", "2.16.840.1.113883.6.1", "CR d'anesthésie"),
        (
            "77604-7",
            "2.16.840.1.113883.6.1",
            "Planification thérapeutique",
        ),
        (
            "78513-9",
            "2.16.840.1.113883.6.1",
            "CR de consultation en ophtalmologie",
        ),
        (
            "78601-2",
            "2.16.840.1.113883.6.1",
            "CR d'entretien pharmaceutique",
        ),
        (
            "80565-5",
            "2.16.840.1.113883.6.1",
            "CR d'administration de médicaments",
        ),
        (
            "80771-9",
            "2.16.840.1.113883.6.1",
            "Projet d'accueil individualisé",
        ),
        (
            "80788-3",
            "2.16.840.1.113883.6.1",
            "Projet personnalisé d'accompagnement",
        ),
        (
            "80820-4",
            "2.16.840.1.113883.6.1",
            "Formulaire de conciliation médicamenteuse (Hôpital)",
        ),
        ("83836-7", "2.16.840.1.113883.6.1", "Schéma dentaire"),
        (
            "83869-8",
            "2.16.840.1.113883.6.1",
            "Plan personnalisé de prévention",
        ),
        ("83901-9", "2.16.840.1.113883.6.1", "Bilan psychologique"),
        (
            "83981-1",
            "2.16.840.1.113883.6.1",
            "Lettre de liaison à la sortie d'une structure sociale ou médico-sociale",
        ),
        ("85208-7", "2.16.840.1.113883.6.1", "CR de télémédecine"),
        ("86531-1", "2.16.840.1.113883.6.1", "Attestation de sortie"),
        ("87273-9", "2.16.840.1.113883.6.1", "Note de vaccination"),
        (
            "88348-8",
            "2.16.840.1.113883.6.1",
            "Lettre de liaison d'entrée en structure sociale ou médico-sociale",
        ),
        ("89601-9", "2.16.840.1.113883.6.1", "Certificat médical"),
        (
            "93024-8",
            "2.16.840.1.113883.6.1",
            "CR de consultation pharmaceutique",
        ),
        ("96349-6", "2.16.840.1.113883.6.1", "Lettre d'adressage"),
        (
            "96874-3",
            "2.16.840.1.113883.6.1",
            "COVID-19 Attestation de vaccination",
        ),
        (
            "96173-0",
            "2.16.840.1.113883.6.1",
            "Test rapide d'orientation diagnostique",
        ),
        ("57055-6", "2.16.840.1.113883.6.1", "Synthèse antepartum"),
        (
            "57057-2",
            "2.16.840.1.113883.6.1",
            "Synthèse Salle de Naissance Mère",
        ),
        (
            "57075-4",
            "2.16.840.1.113883.6.1",
            "Synthèse Salle de Naissance Enfant",
        ),
        (
            "89235-6",
            "2.16.840.1.113883.6.1",
            "Synthèse Suites de Couches Mère",
        ),
        (
            "78489-2",
            "2.16.840.1.113883.6.1",
            "Synthèse Enfant en Maternité",
        ),
        ("89233-1", "2.16.840.1.113883.6.1", "CR de grossesse"),
        ("101881-1", "2.16.840.1.113883.6.1", "Carte d'implant"),
        ("E1762", "ASTM", "Full Document"),
    ],
};

/// JDV_J08 (`1.2.250.1.213.1.1.5.463`, XDS confidentialityCode - CI-SIS, updated 20200424): the `confidentialityCode` values.
pub const CONFIDENTIALITY: ValueSet = ValueSet {
    name: "JDV_J08_XdsConfidentialityCode_CISIS",
    oid: "1.2.250.1.213.1.1.5.463",
    concepts: &[
        ("N", "2.16.840.1.113883.5.25", "Normal"),
        ("R", "2.16.840.1.113883.5.25", "Restreint"),
        ("V", "2.16.840.1.113883.5.25", "Très restreint"),
        (
            "INVISIBLE_PATIENT",
            "1.2.250.1.213.1.1.4.13",
            "Non visible par le patient",
        ),
        (
            "INVISIBLE_REPRESENTANTS_LEGAUX",
            "1.2.250.1.213.1.1.4.13",
            "Non visible par les représentants légaux du patient",
        ),
        (
            "MASQUE_PS",
            "1.2.250.1.213.1.1.4.13",
            "Masqué aux professionnels de santé",
        ),
    ],
};
