//! Receipts: message disposition notifications (MDN, RFC 8098, "accusé de lecture" and the
//! integration acknowledgements of the CI-SIS), delivery status notifications (DSN, RFC 3464,
//! "accusé de réception") and the bounces of Mon espace santé.

use std::fmt;

use mail_builder::MessageBuilder as MimeBuilder;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::text::Text;
use mail_builder::mime::{BodyPart, MimePart};
use segur_transport::{Clock, Randomness};

use crate::address::Mailbox;
use crate::error::{Error, ErrorKind, Result};
use crate::message::{BuiltMessage, Envelope, address, hex};

/// The application error codes of the CI-SIS "Transmission au LPS de documents CDA provenant
/// d'un courriel MSSanté" (`error-codes`), carried as `<code>^<label>`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntegrationError {
    /// 900: unsupported version.
    UnsupportedVersion,
    /// 901: the author is not allowed to send.
    AuthorNotAllowed,
    /// 902: unknown patient.
    UnknownPatient,
    /// 903: no INS.
    NoIns,
    /// 904: the INS does not match.
    InsMismatch,
    /// 905: incomplete INS.
    IncompleteIns,
    /// 906: other error.
    Other,
}

impl IntegrationError {
    /// Every code, in order.
    pub const ALL: [Self; 7] = [
        Self::UnsupportedVersion,
        Self::AuthorNotAllowed,
        Self::UnknownPatient,
        Self::NoIns,
        Self::InsMismatch,
        Self::IncompleteIns,
        Self::Other,
    ];

    /// The numeric code (900–906).
    pub fn code(self) -> u16 {
        match self {
            Self::UnsupportedVersion => 900,
            Self::AuthorNotAllowed => 901,
            Self::UnknownPatient => 902,
            Self::NoIns => 903,
            Self::InsMismatch => 904,
            Self::IncompleteIns => 905,
            Self::Other => 906,
        }
    }

    /// The French label.
    pub fn label(self) -> &'static str {
        match self {
            Self::UnsupportedVersion => "Version non supportée",
            Self::AuthorNotAllowed => "Auteur non autorisé",
            Self::UnknownPatient => "Identifiant de patient inconnu",
            Self::NoIns => "INS absente",
            Self::InsMismatch => "INS non concordante",
            Self::IncompleteIns => "INS incomplète",
            Self::Other => "Autre erreur",
        }
    }

    /// The error of a numeric code.
    pub fn from_code(code: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// The disposition type of an MDN (RFC 8098 §3.2.6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DispositionType {
    /// The message was displayed to the recipient ("accusé de lecture").
    Displayed,
    /// The message was processed without being displayed (integration by software).
    Processed,
    /// The message was deleted without being displayed.
    Deleted,
    /// The message was sent somewhere else (printed, faxed, forwarded).
    Dispatched,
}

impl DispositionType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Displayed => "displayed",
            Self::Processed => "processed",
            Self::Deleted => "deleted",
            Self::Dispatched => "dispatched",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "displayed" => Self::Displayed,
            "processed" => Self::Processed,
            "deleted" => Self::Deleted,
            "dispatched" => Self::Dispatched,
            _ => return None,
        })
    }
}

/// An error reported in an MDN: an MSSanté integration code when the text starts with one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdnError {
    /// The integration code, when the text is `9xx^label`.
    pub code: Option<IntegrationError>,
    /// The whole text as received.
    pub text: String,
}

/// A message disposition notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mdn {
    /// `Original-Recipient` (address only).
    pub original_recipient: Option<String>,
    /// `Final-Recipient` (address only).
    pub final_recipient: String,
    /// `Original-Message-ID` without angle brackets.
    pub original_message_id: Option<String>,
    /// `automatic-action` (true) or `manual-action`.
    pub automatic: bool,
    /// The disposition.
    pub disposition: DispositionType,
    /// The error, if the disposition carries one.
    pub error: Option<MdnError>,
}

impl Mdn {
    /// Whether the notification reports a success.
    pub fn is_success(&self) -> bool {
        self.error.is_none()
    }
}

/// The action of one recipient in a DSN (RFC 3464 §2.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DsnAction {
    /// The message could not be delivered.
    Failed,
    /// Delivery is delayed; the server keeps trying.
    Delayed,
    /// The message was delivered.
    Delivered,
    /// The message was relayed to a system that does not send DSNs.
    Relayed,
    /// The message was delivered to a list and expanded.
    Expanded,
}

impl DsnAction {
    fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "failed" => Self::Failed,
            "delayed" => Self::Delayed,
            "delivered" => Self::Delivered,
            "relayed" => Self::Relayed,
            "expanded" => Self::Expanded,
            _ => return None,
        })
    }
}

/// One recipient of a DSN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DsnRecipient {
    /// `Final-Recipient` (address only).
    pub final_recipient: String,
    /// `Action`.
    pub action: DsnAction,
    /// `Status`, e.g. `5.1.1`.
    pub status: String,
    /// `Diagnostic-Code`, if any.
    pub diagnostic: Option<String>,
}

/// A delivery status notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dsn {
    /// `Original-Envelope-Id`, if any.
    pub envelope_id: Option<String>,
    /// The recipients.
    pub recipients: Vec<DsnRecipient>,
}

/// Why Mon espace santé (or another server) did not deliver a message, from a bounce without a
/// machine-readable report.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BounceReason {
    /// The patient's mailbox is closed.
    MailboxClosed,
    /// The patient (or the mailbox) is unknown.
    UnknownRecipient,
    /// The address is invalid.
    InvalidAddress,
    /// The message is too large (25 MB towards Mon espace santé).
    TooLarge,
    /// Anything else.
    Other,
}

impl fmt::Display for BounceReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MailboxClosed => "mailbox closed",
            Self::UnknownRecipient => "unknown recipient",
            Self::InvalidAddress => "invalid address",
            Self::TooLarge => "message too large",
            Self::Other => "not delivered",
        })
    }
}

/// What a received receipt says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    /// A disposition notification (read receipt or integration acknowledgement).
    Mdn(Mdn),
    /// A delivery status notification.
    Dsn(Dsn),
    /// A bounce without a machine-readable report ("Message non distribué", "Undelivered Mail
    /// Returned to Sender").
    Bounce(BounceReason),
}

/// Parses the fields of a `message/disposition-notification` or one block of a
/// `message/delivery-status` body: unfolds continuation lines, splits on the first colon.
pub(crate) fn parse_fields(block: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in block.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            fields.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    fields
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// `rfc822;addr` → `addr`.
fn address_of(value: &str) -> String {
    let v = value.split_once(';').map_or(value, |(_, a)| a);
    v.trim().trim_matches(['<', '>']).to_ascii_lowercase()
}

fn mdn_error(text: &str) -> MdnError {
    let text = text.trim().to_owned();
    let code = text
        .split(['^', ' '])
        .next()
        .and_then(|c| c.parse::<u16>().ok())
        .and_then(IntegrationError::from_code);
    MdnError { code, text }
}

/// Parses the body of a `message/disposition-notification` part.
///
/// Accepts the RFC 8098 form (`Disposition: …; processed/error` plus an `Error:` field) and the
/// CI-SIS form where the error follows the disposition (`processed/Error: 902^…`).
pub fn parse_disposition_notification(body: &str) -> Result<Mdn> {
    let fields = parse_fields(body);
    let disposition = field(&fields, "disposition").ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidMessage,
            "disposition notification without a Disposition field",
        )
    })?;
    let bad = || {
        Error::new(ErrorKind::InvalidMessage, "malformed Disposition field")
            .at("Disposition")
            .value(disposition)
    };
    let (modes, rest) = disposition.split_once(';').ok_or_else(bad)?;
    let automatic = modes
        .trim()
        .to_ascii_lowercase()
        .starts_with("automatic-action");
    let rest = rest.trim();
    // type [ "/" modifier ] ; the CI-SIS form glues "Error: text" as the modifier
    let (kind, modifier) = match rest.split_once('/') {
        Some((k, m)) => (k, Some(m.trim())),
        None => (rest, None),
    };
    let disposition = DispositionType::parse(kind).ok_or_else(bad)?;
    let mut error = None;
    if let Some(m) = modifier {
        let lower = m.to_ascii_lowercase();
        if lower.starts_with("error") {
            let glued = m["error".len()..].trim_start().strip_prefix(':');
            if let Some(text) = glued {
                error = Some(mdn_error(text));
            }
        }
    }
    if let Some(text) = field(&fields, "error") {
        error = Some(mdn_error(text));
    } else if error.is_none()
        && modifier.is_some_and(|m| m.to_ascii_lowercase().starts_with("error"))
    {
        error = Some(mdn_error(""));
    }
    let final_recipient = field(&fields, "final-recipient")
        .map(address_of)
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidMessage,
                "disposition notification without a Final-Recipient field",
            )
        })?;
    Ok(Mdn {
        original_recipient: field(&fields, "original-recipient").map(address_of),
        final_recipient,
        original_message_id: field(&fields, "original-message-id")
            .map(|v| v.trim().trim_matches(['<', '>']).to_owned()),
        automatic,
        disposition,
        error,
    })
}

/// Parses the body of a `message/delivery-status` part.
pub fn parse_delivery_status(body: &str) -> Result<Dsn> {
    let normalised = body.replace("\r\n", "\n");
    let mut blocks = normalised
        .split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty());
    let per_message = parse_fields(blocks.next().unwrap_or(""));
    let mut recipients = Vec::new();
    for block in blocks {
        let fields = parse_fields(block);
        let (Some(recipient), Some(action)) =
            (field(&fields, "final-recipient"), field(&fields, "action"))
        else {
            continue;
        };
        let action = DsnAction::parse(action).ok_or_else(|| {
            Error::new(ErrorKind::InvalidMessage, "unknown DSN action")
                .at("Action")
                .value(action)
        })?;
        recipients.push(DsnRecipient {
            final_recipient: address_of(recipient),
            action,
            status: field(&fields, "status").unwrap_or("").to_owned(),
            diagnostic: field(&fields, "diagnostic-code").map(str::to_owned),
        });
    }
    if recipients.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidMessage,
            "delivery status notification without a recipient block",
        ));
    }
    Ok(Dsn {
        envelope_id: field(&per_message, "original-envelope-id").map(str::to_owned),
        recipients,
    })
}

/// Classifies a bounce from its subject and text when it has no DSN part.
pub fn classify_bounce(subject: &str, text: &str) -> Option<BounceReason> {
    let s = subject.to_lowercase();
    let t = text.to_lowercase();
    let bounce = s.contains("non distribué")
        || s.contains("undelivered")
        || s.contains("delivery status notification (failure)")
        || s.contains("returned mail")
        || s.starts_with("mail delivery failed");
    if !bounce {
        return None;
    }
    let any = |words: &[&str]| words.iter().any(|w| t.contains(w) || s.contains(w));
    Some(
        if any(&["trop volumineux", "too large", "size limit", "exceeds"]) {
            BounceReason::TooLarge
        } else if any(&["fermée", "fermee", "clôturée", "closed"]) {
            BounceReason::MailboxClosed
        } else if any(&["inconnu", "unknown", "does not exist", "no such user"]) {
            BounceReason::UnknownRecipient
        } else if any(&["invalide", "invalid"]) {
            BounceReason::InvalidAddress
        } else {
            BounceReason::Other
        },
    )
}

/// The subject of an integration acknowledgement (CI-SIS `struct-msg-mdn`): the original subject,
/// prefixed with `[KO Intégration système !][<code>] ` on error.
pub fn acknowledgement_subject(original_subject: &str, error: Option<IntegrationError>) -> String {
    match error {
        Some(e) => format!(
            "[KO Intégration système !][{}] {original_subject}",
            e.code()
        ),
        None => original_subject.to_owned(),
    }
}

/// Builds an MDN answering a received message.
#[derive(Debug, Clone)]
pub struct MdnBuilder {
    from: Mailbox,
    to: Mailbox,
    original_subject: String,
    original_message_id: String,
    original_recipient: Option<String>,
    disposition: DispositionType,
    automatic: bool,
    error: Option<IntegrationError>,
    error_detail: Option<String>,
    text: Option<String>,
    original: Option<Vec<u8>>,
    reporting_ua: String,
}

impl MdnBuilder {
    /// An MDN from `from` (the recipient of the original) to `to` (its
    /// `Disposition-Notification-To`) about the message `original_message_id`.
    pub fn new(
        from: Mailbox,
        to: Mailbox,
        original_message_id: &str,
        original_subject: &str,
    ) -> Self {
        Self {
            from,
            to,
            original_subject: original_subject.to_owned(),
            original_message_id: original_message_id
                .trim()
                .trim_matches(['<', '>'])
                .to_owned(),
            original_recipient: None,
            disposition: DispositionType::Displayed,
            automatic: false,
            error: None,
            error_detail: None,
            text: None,
            original: None,
            reporting_ua: format!("segur-mssante {}", env!("CARGO_PKG_VERSION")),
        }
    }

    /// The disposition; `automatic` for software integration (`automatic-action/
    /// MDN-sent-automatically`), otherwise `manual-action/MDN-sent-manually`.
    #[must_use]
    pub fn disposition(mut self, disposition: DispositionType, automatic: bool) -> Self {
        self.disposition = disposition;
        self.automatic = automatic;
        self
    }

    /// Reports an integration error (code 900–906), with an optional detail appended to the
    /// label.
    #[must_use]
    pub fn error(mut self, error: IntegrationError, detail: Option<&str>) -> Self {
        self.error = Some(error);
        self.error_detail = detail.map(str::to_owned);
        self
    }

    /// The `Original-Recipient` as the original envelope had it.
    #[must_use]
    pub fn original_recipient(mut self, address: &str) -> Self {
        self.original_recipient = Some(address.to_owned());
        self
    }

    /// The human-readable part (a French default is written otherwise).
    #[must_use]
    pub fn text(mut self, text: &str) -> Self {
        self.text = Some(text.to_owned());
        self
    }

    /// Returns the original message as a `message/rfc822` third part (CI-SIS practice).
    #[must_use]
    pub fn include_original(mut self, original: Vec<u8>) -> Self {
        self.original = Some(original);
        self
    }

    fn error_text(&self) -> Option<String> {
        let e = self.error?;
        let mut t = format!("{}^{}", e.code(), e.label());
        if let Some(d) = &self.error_detail {
            t.push_str(" - ");
            t.push_str(&d.replace(['\r', '\n'], " "));
        }
        Some(t)
    }

    /// The `message/disposition-notification` body.
    pub fn notification_fields(&self) -> String {
        let mut s = format!("Reporting-UA: {}\r\n", self.reporting_ua);
        if let Some(o) = &self.original_recipient {
            s.push_str(&format!("Original-Recipient: rfc822;{o}\r\n"));
        }
        s.push_str(&format!(
            "Final-Recipient: rfc822;{}\r\n",
            self.from.address()
        ));
        s.push_str(&format!(
            "Original-Message-ID: <{}>\r\n",
            self.original_message_id
        ));
        let mode = if self.automatic {
            "automatic-action/MDN-sent-automatically"
        } else {
            "manual-action/MDN-sent-manually"
        };
        let error = self.error_text();
        s.push_str(&format!(
            "Disposition: {mode}; {}{}\r\n",
            self.disposition.as_str(),
            if error.is_some() { "/error" } else { "" }
        ));
        if let Some(e) = error {
            s.push_str(&format!("Error: {e}\r\n"));
        }
        s
    }

    /// Builds the MDN message (`multipart/report; report-type=disposition-notification`).
    pub fn build(&self, clock: &dyn Clock, random: &dyn Randomness) -> Result<BuiltMessage> {
        for v in [&self.original_subject, &self.original_message_id] {
            if v.chars().any(char::is_control) {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    "control character in the original subject or Message-ID",
                ));
            }
        }
        let now = clock.now();
        let message_id = format!(
            "{}.{}@{}",
            now.format("%Y%m%d%H%M%S"),
            hex(random, 8),
            self.from.domain()
        );
        let text = self
            .text
            .clone()
            .unwrap_or_else(|| match self.error_text() {
                Some(e) => format!("Le document n'a pas pu être intégré. Erreur {e}\r\n"),
                None => match self.disposition {
                    DispositionType::Displayed => "Votre message a été lu.\r\n".to_owned(),
                    _ => "Votre message a été intégré.\r\n".to_owned(),
                },
            });
        let mut parts = vec![
            MimePart::new(
                ContentType::new("text/plain").attribute("charset", "utf-8"),
                BodyPart::Text(text.into()),
            ),
            MimePart::new(
                ContentType::new("message/disposition-notification"),
                BodyPart::Binary(self.notification_fields().into_bytes().into()),
            )
            .transfer_encoding("7bit"),
        ];
        if let Some(original) = &self.original {
            parts.push(
                MimePart::new(
                    ContentType::new("message/rfc822"),
                    BodyPart::Binary(original.clone().into()),
                )
                .transfer_encoding(if original.is_ascii() {
                    "7bit"
                } else {
                    "8bit"
                }),
            );
        }
        let boundary = format!("=_segur_{}", hex(random, 12));
        let bytes = MimeBuilder::new()
            .from(address(&self.from))
            .to(address(&self.to))
            .subject(Text::new(acknowledgement_subject(
                &self.original_subject,
                self.error,
            )))
            .date(Date::new(now.timestamp()))
            .message_id(MessageId::new(message_id.clone()))
            .in_reply_to(MessageId::new(self.original_message_id.clone()))
            .body(MimePart::new(
                ContentType::new("multipart/report")
                    .attribute("report-type", "disposition-notification")
                    .attribute("boundary", boundary),
                parts,
            ))
            .write_to_vec()
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the MDN: {e}")))?;
        Ok(BuiltMessage {
            bytes,
            envelope: Envelope {
                // RFC 8098 §2.1: MDNs are sent with a null reverse path
                from: String::new(),
                to: vec![self.to.address().to_owned()],
                delivery_receipt: false,
            },
            message_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for e in IntegrationError::ALL {
            assert_eq!(IntegrationError::from_code(e.code()), Some(e));
        }
        assert_eq!(IntegrationError::from_code(907), None);
    }

    #[test]
    fn cisis_glued_error_form_is_understood() {
        let body = "Original-Recipient: rfc822;serviceY_auto@chb.mssante.fr\r\n\
                    Final-Recipient: rfc822;serviceY_auto@chb.mssante.fr\r\n\
                    Original-Message-ID: <abc@cha.mssante.fr>\r\n\
                    Disposition: automatic-action/MDN-sent-automatically; processed/Error: 902^Identifiant de patient inconnu\r\n";
        let mdn = parse_disposition_notification(body).unwrap();
        assert!(mdn.automatic);
        assert_eq!(mdn.disposition, DispositionType::Processed);
        assert_eq!(
            mdn.original_message_id.as_deref(),
            Some("abc@cha.mssante.fr")
        );
        let err = mdn.error.unwrap();
        assert_eq!(err.code, Some(IntegrationError::UnknownPatient));
        assert_eq!(err.text, "902^Identifiant de patient inconnu");
    }

    #[test]
    fn rfc_form_with_folded_lines() {
        let body = "Final-Recipient: rfc822; a@b.fr\nDisposition: manual-action/MDN-sent-manually;\n displayed\n";
        let mdn = parse_disposition_notification(body).unwrap();
        assert!(!mdn.automatic);
        assert_eq!(mdn.disposition, DispositionType::Displayed);
        assert!(mdn.is_success());
        assert_eq!(mdn.final_recipient, "a@b.fr");
        assert!(parse_disposition_notification("Final-Recipient: x").is_err());
        assert!(parse_disposition_notification("Disposition: nonsense").is_err());
    }

    #[test]
    fn delivery_status_blocks() {
        let body = "Reporting-MTA: dns; mx.example\r\nOriginal-Envelope-Id: E1\r\n\r\n\
                    Final-Recipient: rfc822; 279035121518989@patient.mssante.fr\r\nAction: failed\r\n\
                    Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 boite fermee\r\n\r\n\
                    Final-Recipient: rfc822; b@c.fr\r\nAction: delivered\r\nStatus: 2.0.0\r\n";
        let dsn = parse_delivery_status(body).unwrap();
        assert_eq!(dsn.envelope_id.as_deref(), Some("E1"));
        assert_eq!(dsn.recipients.len(), 2);
        assert_eq!(dsn.recipients[0].action, DsnAction::Failed);
        assert_eq!(dsn.recipients[0].status, "5.1.1");
        assert_eq!(dsn.recipients[1].action, DsnAction::Delivered);
        assert!(parse_delivery_status("Reporting-MTA: x").is_err());
    }

    #[test]
    fn bounces_are_classified() {
        assert_eq!(
            classify_bounce("Message non distribué", "La boîte aux lettres est fermée"),
            Some(BounceReason::MailboxClosed)
        );
        assert_eq!(
            classify_bounce(
                "Undelivered Mail Returned to Sender",
                "message size exceeds limit"
            ),
            Some(BounceReason::TooLarge)
        );
        assert_eq!(
            classify_bounce("Message non distribué", "patient inconnu"),
            Some(BounceReason::UnknownRecipient)
        );
        assert_eq!(classify_bounce("Bonjour", "inconnu"), None);
    }

    #[test]
    fn acknowledgement_subjects() {
        let s = "XDM/1.0/DDM+CR MARTIN Paul";
        assert_eq!(acknowledgement_subject(s, None), s);
        assert_eq!(
            acknowledgement_subject(s, Some(IntegrationError::UnknownPatient)),
            "[KO Intégration système !][902] XDM/1.0/DDM+CR MARTIN Paul"
        );
    }
}
