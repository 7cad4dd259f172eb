//! Reading received MSSanté mail: headers, XDM archives with their CDA documents, PDF
//! companions, receipts and bounces.

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};

use crate::content::{CdaFacts, cda_facts};
use crate::error::{Error, ErrorKind, Result};
use crate::message::SUBJECT_PREFIX;
use crate::receipt::{
    Receipt, classify_bounce, parse_delivery_status, parse_disposition_notification,
};
use crate::xdm::{ReadOptions, XdmArchive, read_xdm};

/// The largest message [`read_message`] accepts by default: 50 MB (twice the Mon espace santé
/// limit, to leave room for base64).
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 50_000_000;

/// The MSSanté headers of a message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MssHeaders {
    /// `X-MSS-CODECDA`, split on commas (several headers are accepted too).
    pub codes: Vec<String>,
    /// `X-MSS-INS`: `Some(true)` for `O`, `Some(false)` for `N`.
    pub qualified_ins: Option<bool>,
    /// `X-MSS-NIL`.
    pub nil: Option<String>,
    /// `X-MSS-MES: FIN` (or a subject that is exactly `[FIN]`): the patient must not answer.
    pub no_reply: bool,
}

/// A CDA document found in a received archive.
#[derive(Debug)]
pub struct ReceivedDocument {
    /// The path inside the archive.
    pub path: String,
    /// What its header says, or why it could not be parsed.
    pub facts: Result<CdaFacts>,
}

/// An XDM archive attached to a received message.
#[derive(Debug)]
pub struct ReceivedArchive {
    /// The attachment name.
    pub name: String,
    /// The archive, or why it could not be read.
    pub archive: Result<XdmArchive>,
    /// The CDA documents of the archive (XML entries).
    pub documents: Vec<ReceivedDocument>,
}

/// An attachment other than an XDM archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedAttachment {
    /// The file name.
    pub name: String,
    /// The content type (`application/pdf`).
    pub content_type: String,
    /// The decoded bytes.
    pub data: Vec<u8>,
}

/// A received message.
#[derive(Debug)]
pub struct ReceivedMessage {
    /// `Message-ID` without angle brackets.
    pub message_id: Option<String>,
    /// `Subject` as received.
    pub subject: Option<String>,
    /// The sender's address.
    pub from: Option<String>,
    /// The `To` addresses.
    pub to: Vec<String>,
    /// `Date` in RFC 3339, if present and valid.
    pub date: Option<String>,
    /// `Disposition-Notification-To`: the sender asks for an MDN.
    pub disposition_notification_to: Option<String>,
    /// `Reply-To`.
    pub reply_to: Option<String>,
    /// The MSSanté headers.
    pub mss: MssHeaders,
    /// The first plain-text body.
    pub text: Option<String>,
    /// The XDM archives.
    pub archives: Vec<ReceivedArchive>,
    /// Other attachments (PDF companions, …).
    pub attachments: Vec<ReceivedAttachment>,
    /// What the message is when it is a receipt or a bounce.
    pub receipt: Option<Receipt>,
}

impl ReceivedMessage {
    /// Whether the sender is a Mon espace santé patient mailbox.
    pub fn is_from_patient(&self) -> bool {
        self.from
            .as_deref()
            .is_some_and(|f| f.ends_with(&format!("@{}", crate::address::PATIENT_DOMAIN)))
    }

    /// The subject without the `XDM/1.0/DDM+` prefix, for display.
    pub fn display_subject(&self) -> Option<&str> {
        self.subject
            .as_deref()
            .map(|s| s.strip_prefix(SUBJECT_PREFIX).unwrap_or(s))
    }
}

fn first_address(a: Option<&mail_parser::Address<'_>>) -> Option<String> {
    a.and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(str::to_ascii_lowercase)
}

fn is_type<'x>(part: &impl MimeHeaders<'x>, t: &str, sub: &str) -> bool {
    part.content_type().is_some_and(|ct| {
        ct.c_type.eq_ignore_ascii_case(t)
            && ct
                .c_subtype
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(sub))
    })
}

fn raw_headers<'a>(message: &'a Message<'_>, name: &str) -> Vec<&'a str> {
    message
        .headers_raw()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect()
}

fn receipt_of(message: &Message<'_>, subject: &str, text: &str) -> Result<Option<Receipt>> {
    let root = message.root_part();
    let report = is_type(root, "multipart", "report");
    for part in &message.parts {
        let body = String::from_utf8_lossy(part.contents());
        if report && is_type(part, "message", "disposition-notification") {
            return parse_disposition_notification(&body).map(|m| Some(Receipt::Mdn(m)));
        }
        if report
            && (is_type(part, "message", "delivery-status")
                || is_type(part, "message", "global-delivery-status"))
        {
            return parse_delivery_status(&body).map(|d| Some(Receipt::Dsn(d)));
        }
    }
    Ok(classify_bounce(subject, text).map(Receipt::Bounce))
}

fn is_zip(part: &mail_parser::MessagePart<'_>) -> bool {
    let name = part.attachment_name().unwrap_or("");
    is_type(part, "application", "zip")
        || is_type(part, "application", "x-zip-compressed")
        || name.to_ascii_lowercase().ends_with(".zip")
}

/// Parses a received message with the default size limit.
///
/// Archives are read with `options`; an unreadable archive or CDA document does not fail the
/// whole message (its error is kept in [`ReceivedArchive::archive`] or
/// [`ReceivedDocument::facts`]). A receipt whose report part is malformed is an error.
pub fn read_message(bytes: &[u8], options: &ReadOptions) -> Result<ReceivedMessage> {
    read_message_with_limit(bytes, options, DEFAULT_MAX_MESSAGE_SIZE)
}

/// Parses a received message of at most `max_size` bytes.
pub fn read_message_with_limit(
    bytes: &[u8],
    options: &ReadOptions,
    max_size: usize,
) -> Result<ReceivedMessage> {
    if bytes.len() > max_size {
        return Err(Error::new(
            ErrorKind::MessageTooLarge,
            format!(
                "the message is {} bytes, the limit is {max_size}",
                bytes.len()
            ),
        ));
    }
    let message = MessageParser::default()
        .parse(bytes)
        .filter(|m| m.from().is_some() || m.subject().is_some() || m.message_id().is_some())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidMessage,
                "not an RFC 5322 message (no From, Subject or Message-ID header)",
            )
        })?;
    let subject = message.subject().map(str::to_owned);
    let text = message.body_text(0).map(std::borrow::Cow::into_owned);
    let codes = raw_headers(&message, "X-MSS-CODECDA")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect();
    let qualified_ins = raw_headers(&message, "X-MSS-INS").first().and_then(|v| {
        match v.to_ascii_uppercase().as_str() {
            "O" => Some(true),
            "N" => Some(false),
            _ => None,
        }
    });
    let no_reply = raw_headers(&message, "X-MSS-MES")
        .iter()
        .any(|v| v.eq_ignore_ascii_case("FIN"))
        || subject.as_deref().map(str::trim) == Some("[FIN]");
    let mss = MssHeaders {
        codes,
        qualified_ins,
        nil: raw_headers(&message, "X-MSS-NIL")
            .first()
            .map(|v| (*v).to_owned()),
        no_reply,
    };
    let receipt = receipt_of(
        &message,
        subject.as_deref().unwrap_or(""),
        text.as_deref().unwrap_or(""),
    )?;
    let mut archives = Vec::new();
    let mut attachments = Vec::new();
    // receipts carry the original message as message/rfc822: its attachments are not ours
    if receipt.is_none() {
        for part in message.attachments() {
            if matches!(part.body, PartType::Message(_)) {
                continue;
            }
            let name = part.attachment_name().unwrap_or("").to_owned();
            if is_zip(part) {
                let archive = read_xdm(part.contents(), options);
                let documents = match &archive {
                    Ok(a) => a
                        .documents()
                        .filter(|d| {
                            let m = d.link.mime_type.to_ascii_lowercase();
                            m.ends_with("/xml") || m.ends_with("+xml")
                        })
                        .map(|d| ReceivedDocument {
                            path: d.path.clone(),
                            facts: cda_facts(&d.data).map_err(|e| e.at(d.path.clone())),
                        })
                        .collect(),
                    Err(_) => Vec::new(),
                };
                archives.push(ReceivedArchive {
                    name,
                    archive,
                    documents,
                });
            } else {
                let content_type = part
                    .content_type()
                    .map(|ct| match &ct.c_subtype {
                        Some(s) => format!("{}/{s}", ct.c_type),
                        None => ct.c_type.to_string(),
                    })
                    .unwrap_or_else(|| "application/octet-stream".to_owned());
                attachments.push(ReceivedAttachment {
                    name,
                    content_type: content_type.to_ascii_lowercase(),
                    data: part.contents().to_vec(),
                });
            }
        }
    }
    Ok(ReceivedMessage {
        message_id: message.message_id().map(str::to_owned),
        subject,
        from: first_address(message.from()),
        to: message
            .to()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.address())
                    .map(str::to_ascii_lowercase)
                    .collect()
            })
            .unwrap_or_default(),
        date: message.date().map(mail_parser::DateTime::to_rfc3339),
        disposition_notification_to: raw_headers(&message, "Disposition-Notification-To")
            .first()
            .map(|v| v.trim().trim_matches(['<', '>']).to_ascii_lowercase()),
        reply_to: first_address(message.reply_to()),
        mss,
        text,
        archives,
        attachments,
        receipt,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error() {
        for bytes in [&b""[..], b"\x00\x01", b"no colon at all"] {
            let r = read_message(bytes, &ReadOptions::lenient());
            assert!(r.is_err(), "{bytes:?}: {r:?}");
        }
    }

    #[test]
    fn size_limit_applies() {
        let e = read_message_with_limit(b"Subject: x\r\n\r\nbody", &ReadOptions::lenient(), 5)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::MessageTooLarge);
    }

    #[test]
    fn cisis_sample_mdn_with_broken_mime_is_tolerated() {
        // the published CI-SIS example: no blank line after part headers, glued error
        let mail = "From: serviceY_auto@chb.mssante.fr\r\nTo: serviceX@cha.mssante.fr\r\n\
            Subject: [KO Int\u{e9}gration syst\u{e8}me !][902] XDM/1.0/DDM+CR MARTIN Paul\r\n\
            MIME-Version: 1.0\r\n\
            Content-Type: multipart/report; report-type=disposition-notification; boundary=\"R\"\r\n\r\n\
            --R\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nErreur 902\r\n\
            --R\r\nContent-Type: message/disposition-notification\r\n\r\n\
            Final-Recipient: rfc822;serviceY_auto@chb.mssante.fr\r\n\
            Original-Message-ID: <1@cha.mssante.fr>\r\n\
            Disposition: automatic-action/MDN-sent-automatically; processed/Error: 902^Identifiant de patient inconnu\r\n\
            --R--\r\n";
        let m = read_message(mail.as_bytes(), &ReadOptions::lenient()).unwrap();
        let Some(Receipt::Mdn(mdn)) = m.receipt else {
            panic!("not an MDN: {:?}", m.receipt)
        };
        assert_eq!(
            mdn.error.unwrap().code,
            Some(crate::receipt::IntegrationError::UnknownPatient)
        );
    }
}
