//! The response parsers on the official CNAM sample answers (`../shared/corpus/xds/samples/`,
//! read in place) and on faults, registry failures and HL7 v3 negative acknowledgements.

use segur_dmp::*;
use segur_transport::HttpResponse;

fn sample(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../shared/corpus/xds/samples/cnam-dmp-lps-exemples-messages-v02.05.00/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (../shared must sit beside the checkout)"))
}

fn soap(status: u16, body: Vec<u8>) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/soap+xml; charset=UTF-8")
        .body(body)
        .unwrap()
}

fn envelope(body: &str) -> Vec<u8> {
    format!("<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>{body}</s:Body></s:Envelope>").into_bytes()
}

#[test]
fn td0_2_sample_answer() {
    let status =
        ExistenceTest::parse_response(&soap(200, sample("TD0.2_-_Test_d_existence_reponse.xml")))
            .unwrap();
    assert!(status.exists);
    assert!(status.is_authorized());
    assert_eq!(status.treating_physician, Some(true));
    assert_eq!(status.internet_account_open, Some(true));
}

#[test]
fn td0_2_not_found_and_negative_ack() {
    let nf = envelope(
        "<PRPA_IN201308UV02 xmlns='urn:hl7-org:v3'><acknowledgement typeCode='AA'/><controlActProcess><queryAck><queryResponseCode code='NF'/></queryAck></controlActProcess></PRPA_IN201308UV02>",
    );
    let status = ExistenceTest::parse_response(&soap(200, nf)).unwrap();
    assert!(!status.exists);
    assert!(!status.is_authorized());
    let ae = envelope(
        "<PRPA_IN201308UV02 xmlns='urn:hl7-org:v3'><acknowledgement typeCode='AE'><acknowledgementDetail><text>INS inconnu</text></acknowledgementDetail></acknowledgement></PRPA_IN201308UV02>",
    );
    let err = ExistenceTest::parse_response(&soap(200, ae)).unwrap_err();
    match err.kind() {
        DmpErrorKind::Hl7Acknowledgement { type_code, detail } => {
            assert_eq!(type_code, "AE");
            assert_eq!(detail.as_deref(), Some("INS inconnu"));
        }
        other => panic!("{other}"),
    }
}

#[test]
fn td0_3_and_td0_4_sample_answers() {
    let st = SetAuthorization::parse_response(&soap(
        200,
        sample("TD0.3_-_Mise_a_jour_de_l_autorisation_reponse.xml"),
    ))
    .unwrap();
    assert_eq!(st.status, "DMPOk");
    assert!(st.context.unwrap().contains("déjà présente"));
    let patients = PatientList::parse_response(&soap(
        200,
        sample("TD0.4_-_Liste_des_DMP_autorises_reponse.xml"),
    ))
    .unwrap();
    assert_eq!(patients.len(), 2);
    assert_eq!(
        patients[1].identifier("1.2.250.1.213.1.4.10"),
        Some("207058575627097")
    );
    assert_eq!(patients[1].treating_physician, Some(true));
    assert!(
        !format!("{:?}", patients[1]).contains("LAURENCE"),
        "names redacted in Debug"
    );
    let ko = envelope(
        "<setAuthorizationResponse xmlns='urn:si-dmp-habilitations'><output><status>DMPKo</status><context>refus</context></output></setAuthorizationResponse>",
    );
    let err = SetAuthorization::parse_response(&soap(200, ko)).unwrap_err();
    assert!(matches!(err.kind(), DmpErrorKind::Status { status, .. } if status == "DMPKo"));
}

#[test]
fn sample_feed_query_retrieve_and_update_answers() {
    Feed::parse_response(&soap(200, sample("TD2.1_-_Alimentation_reponse.xml"))).unwrap();
    let found = Query::parse_response(&soap(
        200,
        sample("TD3.1_-_Recherche_de_document_reponse.xml"),
    ))
    .unwrap();
    assert!(!found.objects.documents.is_empty());
    // The sample keeps only the root part: its xop:Include points at a part that is not there.
    let err = Retrieve::parse_response(&soap(
        200,
        sample("TD3.2_-_Consultation_d_un_document_reponse.xml"),
    ))
    .unwrap_err();
    assert!(matches!(err.kind(), DmpErrorKind::Soap(_)), "{err}");
    Update::parse_response(&soap(
        200,
        sample("TD3.3d_-_Archiver_un_document_reponse.xml"),
    ))
    .unwrap();
}

#[test]
fn faults_and_registry_errors_are_typed() {
    let fault = envelope(
        "<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value xmlns:d='urn:dmp'>d:DMPInvalidCertificate</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang='fr'>Le certificat ayant signé le VIHF est invalide</s:Text></s:Reason></s:Fault>",
    );
    let err = Query::parse_response(&soap(500, fault)).unwrap_err();
    assert_eq!(err.dmp_code(), Some("DMPInvalidCertificate"));
    let failure = envelope(
        "<rs:RegistryResponse xmlns:rs='urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0' status='urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure'><rs:RegistryErrorList><rs:RegistryError errorCode='XDSUnknownPatientId' codeContext='inconnu' severity='urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error'/></rs:RegistryErrorList></rs:RegistryResponse>",
    );
    let err = Feed::parse_response(&soap(500, failure)).unwrap_err();
    assert_eq!(err.registry_codes(), ["XDSUnknownPatientId"]);
    let not_found = envelope(
        "<x:RetrieveDocumentSetResponse xmlns:x='urn:ihe:iti:xds-b:2007' xmlns:rs='urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0'><rs:RegistryResponse status='urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure'><rs:RegistryErrorList><rs:RegistryError errorCode='XDSDocumentUniqueIdError' codeContext='absent' severity='urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error'/></rs:RegistryErrorList></rs:RegistryResponse></x:RetrieveDocumentSetResponse>",
    );
    let err = Retrieve::parse_response(&soap(500, not_found)).unwrap_err();
    assert_eq!(err.registry_codes(), ["XDSDocumentUniqueIdError"]);
    let html = http::Response::builder()
        .status(502)
        .header("content-type", "text/html")
        .body(b"<html>bad gateway".to_vec())
        .unwrap();
    assert!(Query::parse_response(&html).is_err());
}

/// A retrieve answer whose documents all reference one MTOM part is refused: copying the part
/// once per reference let one large part take unbounded memory.
#[test]
fn a_part_backs_one_retrieved_document() {
    let answer = |refs: &[&str]| {
        let docs: String = refs
            .iter()
            .enumerate()
            .map(|(i, cid)| {
                format!(
                    "<x:DocumentResponse><x:RepositoryUniqueId>1.2</x:RepositoryUniqueId>\
                     <x:DocumentUniqueId>1.2.{i}</x:DocumentUniqueId><x:mimeType>text/plain\
                     </x:mimeType><x:Document><xop:Include href='cid:{cid}'/></x:Document>\
                     </x:DocumentResponse>"
                )
            })
            .collect();
        let env = String::from_utf8(envelope(&format!(
            "<x:RetrieveDocumentSetResponse xmlns:x='urn:ihe:iti:xds-b:2007' \
             xmlns:rs='urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0' \
             xmlns:xop='http://www.w3.org/2004/08/xop/include'><rs:RegistryResponse \
             status='urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success'/>{docs}\
             </x:RetrieveDocumentSetResponse>"
        )))
        .unwrap();
        let body = format!(
            "--b\r\nContent-Type: application/xop+xml; type=\"application/soap+xml\"\r\n\
             Content-ID: <root>\r\n\r\n{env}\r\n--b\r\nContent-Type: text/plain\r\n\
             Content-ID: <p1>\r\n\r\none\r\n--b\r\nContent-Type: text/plain\r\n\
             Content-ID: <p2>\r\n\r\ntwo\r\n--b--\r\n"
        );
        http::Response::builder()
            .status(200)
            .header(
                "content-type",
                "multipart/related; boundary=b; type=\"application/xop+xml\"; \
                 start=\"<root>\"; start-info=\"application/soap+xml\"",
            )
            .body(body.into_bytes())
            .unwrap()
    };
    let docs = Retrieve::parse_response(&answer(&["p1", "p2"])).unwrap();
    let contents: Vec<&[u8]> = docs.iter().map(|d| d.content.as_slice()).collect();
    assert_eq!(contents, [&b"one"[..], &b"two"[..]]);
    let err = Retrieve::parse_response(&answer(&["p1", "p2", "p1"])).unwrap_err();
    assert!(
        err.to_string().contains("referenced by two documents"),
        "{err}"
    );
}
