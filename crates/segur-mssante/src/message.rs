//! Building MSSanté messages: the `XDM/1.0/DDM+` subject, the `X-MSS-*` headers computed from
//! the archive, receipts, one patient per message and size limits.

use chrono::{DateTime, NaiveDate, Utc};
use mail_builder::MessageBuilder as MimeBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::{BodyPart, MimePart};
use segur_transport::{Clock, Randomness};

use crate::address::Mailbox;
use crate::content::{ArchiveFacts, archive_facts};
use crate::error::{Error, ErrorKind, Result};
use crate::xdm::ReadOptions;

/// The subject prefix of messages carrying an XDM archive (ECO.2.1.3).
pub const SUBJECT_PREFIX: &str = "XDM/1.0/DDM+";

/// The total size limit of a message to Mon espace santé (ENS v1.3 §6): 25 MB.
pub const PATIENT_MAX_SIZE: usize = 25_000_000;

/// The default total size limit of a message to professionals: 10 MB, the usual operator limit.
pub const DEFAULT_MAX_SIZE: usize = 10_000_000;

/// The parts of the `XDM/1.0/DDM+<libellé> <NOM> <prénom> <date de naissance>` subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSubject {
    /// The document's title ("libellé"), e.g. `CR d'imagerie médicale`.
    pub label: String,
    /// The patient's family name (upper-cased in the subject).
    pub family: String,
    /// The patient's given name.
    pub given: String,
    /// The patient's date of birth (optional in the subject).
    pub birth_date: Option<NaiveDate>,
}

impl DocumentSubject {
    /// The subject line.
    pub fn to_subject(&self) -> String {
        let mut s = format!(
            "{SUBJECT_PREFIX}{} {} {}",
            self.label.trim(),
            self.family.trim().to_uppercase(),
            self.given.trim()
        );
        if let Some(d) = self.birth_date {
            s.push(' ');
            s.push_str(&d.format("%d/%m/%Y").to_string());
        }
        s
    }
}

/// The SMTP envelope of a built message: what `MAIL FROM` and `RCPT TO` carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// The reverse path (the sender's address).
    pub from: String,
    /// Every recipient (To and Cc).
    pub to: Vec<String>,
    /// Whether a delivery status notification (DSN, "accusé de réception") is wanted: `NOTIFY`
    /// and `ORCPT` on each `RCPT TO`, `RET=HDRS` on `MAIL FROM`, when the server offers DSN.
    pub delivery_receipt: bool,
}

/// A message ready to send: RFC 5322 bytes (CRLF line ends), its envelope and Message-ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltMessage {
    /// The whole message.
    pub bytes: Vec<u8>,
    /// The SMTP envelope.
    pub envelope: Envelope,
    /// The Message-ID, without angle brackets.
    pub message_id: String,
}

/// A file attached next to the archive (the PDF rendering of a document, ECO.2.1.5).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attachment {
    name: String,
    content_type: String,
    data: Vec<u8>,
}

/// Builds one MSSanté message.
///
/// The `X-MSS-CODECDA` and `X-MSS-INS` headers are computed from the CDA documents found in the
/// archive, not from caller flags; the archive must concern one patient only, and that patient
/// must be the one of any `@patient.mssante.fr` recipient.
#[derive(Debug, Clone)]
pub struct MessageBuilder {
    from: Mailbox,
    to: Vec<Mailbox>,
    cc: Vec<Mailbox>,
    reply_to: Option<Mailbox>,
    nil: String,
    subject: Option<String>,
    document_subject: Option<DocumentSubject>,
    body: String,
    xdm: Option<Vec<u8>>,
    attachments: Vec<Attachment>,
    read_receipt: bool,
    delivery_receipt: bool,
    no_reply: bool,
    in_reply_to: Option<String>,
    references: Vec<String>,
    max_size: usize,
    read_options: ReadOptions,
}

fn header_safe(value: &str, what: &str) -> Result<()> {
    if value.chars().any(char::is_control) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("control character in the {what}"),
        )
        .value(value.escape_debug().to_string()));
    }
    Ok(())
}

impl MessageBuilder {
    /// A new message from `from`, with the product reference `nil` for `X-MSS-NIL` (the
    /// "référence produit" given by the Convergence platform, mandatory on every mail).
    pub fn new(from: Mailbox, nil: &str) -> Self {
        Self {
            from,
            to: Vec::new(),
            cc: Vec::new(),
            reply_to: None,
            nil: nil.trim().to_owned(),
            subject: None,
            document_subject: None,
            body: String::new(),
            xdm: None,
            attachments: Vec::new(),
            read_receipt: false,
            delivery_receipt: false,
            no_reply: false,
            in_reply_to: None,
            references: Vec::new(),
            max_size: DEFAULT_MAX_SIZE,
            read_options: ReadOptions::strict(),
        }
    }

    /// Adds a `To` recipient.
    #[must_use]
    pub fn to(mut self, mailbox: Mailbox) -> Self {
        self.to.push(mailbox);
        self
    }

    /// Adds a `Cc` recipient.
    #[must_use]
    pub fn cc(mut self, mailbox: Mailbox) -> Self {
        self.cc.push(mailbox);
        self
    }

    /// Sets `Reply-To` (e.g. the secretariat, or a personal mailbox behind an application
    /// mailbox, ECO.2.2.5).
    #[must_use]
    pub fn reply_to(mut self, mailbox: Mailbox) -> Self {
        self.reply_to = Some(mailbox);
        self
    }

    /// Sets a free subject (for messages without an archive).
    #[must_use]
    pub fn subject(mut self, subject: &str) -> Self {
        self.subject = Some(subject.to_owned());
        self
    }

    /// Sets the parts of the `XDM/1.0/DDM+` subject. Without it, a message with an archive
    /// takes them from the first CDA document (title, patient name, birth date).
    #[must_use]
    pub fn document_subject(mut self, subject: DocumentSubject) -> Self {
        self.document_subject = Some(subject);
        self
    }

    /// Sets the plain-text body (UTF-8, ECO.2.2.3).
    #[must_use]
    pub fn body(mut self, text: &str) -> Self {
        self.body = text.to_owned();
        self
    }

    /// Attaches the `IHE_XDM.ZIP` archive (as written by [`XdmWriter`](crate::XdmWriter)).
    #[must_use]
    pub fn xdm(mut self, archive: Vec<u8>) -> Self {
        self.xdm = Some(archive);
        self
    }

    /// Attaches a PDF (the PDF/A rendering of a document); see [`pdf_file_name`] for the
    /// ECO.2.1.6 name.
    #[must_use]
    pub fn pdf(mut self, file_name: &str, data: Vec<u8>) -> Self {
        self.attachments.push(Attachment {
            name: file_name.to_owned(),
            content_type: "application/pdf".to_owned(),
            data,
        });
        self
    }

    /// Asks for a read receipt (MDN, "accusé de lecture"): `Disposition-Notification-To` set
    /// to the sender.
    #[must_use]
    pub fn read_receipt(mut self, yes: bool) -> Self {
        self.read_receipt = yes;
        self
    }

    /// Asks for a delivery receipt (DSN, "accusé de réception"), carried by the envelope.
    #[must_use]
    pub fn delivery_receipt(mut self, yes: bool) -> Self {
        self.delivery_receipt = yes;
        self
    }

    /// Forbids the patient to answer (`X-MSS-MES: FIN`, Mon espace santé).
    #[must_use]
    pub fn no_reply(mut self, yes: bool) -> Self {
        self.no_reply = yes;
        self
    }

    /// Makes this message an answer to `message_id` (`In-Reply-To` and `References`).
    #[must_use]
    pub fn in_reply_to(mut self, message_id: &str, references: &[&str]) -> Self {
        let strip = |s: &str| s.trim().trim_matches(['<', '>']).to_owned();
        self.in_reply_to = Some(strip(message_id));
        self.references = references.iter().map(|r| strip(r)).collect();
        self.references.push(strip(message_id));
        self
    }

    /// Sets the size limit of the whole message (default [`DEFAULT_MAX_SIZE`]); messages to a
    /// patient are always capped at [`PATIENT_MAX_SIZE`].
    #[must_use]
    pub fn max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self
    }

    /// How the attached archive is read back to compute the headers (strict by default).
    #[must_use]
    pub fn read_options(mut self, options: ReadOptions) -> Self {
        self.read_options = options;
        self
    }

    fn check(&self, facts: Option<&ArchiveFacts>) -> Result<()> {
        if self.nil.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "X-MSS-NIL (product reference) is mandatory on every MSSanté mail",
            ));
        }
        header_safe(&self.nil, "X-MSS-NIL")?;
        if self.to.is_empty() && self.cc.is_empty() {
            return Err(Error::new(ErrorKind::InvalidInput, "no recipient"));
        }
        let patients: Vec<&Mailbox> = self
            .to
            .iter()
            .chain(&self.cc)
            .filter(|m| m.is_patient())
            .collect();
        if patients.len() > 1 {
            return Err(Error::new(
                ErrorKind::MixedPatients,
                "a message goes to one patient only",
            ));
        }
        if let (Some(patient), Some(facts)) = (patients.first(), facts) {
            let Some(address_ins) = patient.patient_ins() else {
                return Err(Error::new(
                    ErrorKind::InvalidAddress,
                    "patient address without a valid INS",
                )
                .redacted(patient.address()));
            };
            if let Some(document_ins) = &facts.ins
                && document_ins.matricule() != address_ins.matricule()
            {
                return Err(Error::new(
                    ErrorKind::MixedPatients,
                    "the patient recipient is not the patient of the documents",
                ));
            }
        }
        Ok(())
    }

    fn subject_line(&self, facts: Option<&ArchiveFacts>) -> Result<String> {
        let subject = match (&self.document_subject, &self.subject, facts) {
            (Some(d), _, _) => d.to_subject(),
            (None, Some(s), _) => s.clone(),
            (None, None, Some(f)) => f
                .subject
                .as_ref()
                .map(DocumentSubject::to_subject)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::InvalidInput,
                        "no subject given and the archive has no CDA document to take it from",
                    )
                })?,
            (None, None, None) => {
                return Err(Error::new(ErrorKind::InvalidInput, "no subject"));
            }
        };
        header_safe(&subject, "subject")?;
        Ok(subject)
    }

    /// Builds the message. `clock` gives the `Date`, `random` the Message-ID and MIME
    /// boundaries, so the output is reproducible with fixed ones.
    pub fn build(&self, clock: &dyn Clock, random: &dyn Randomness) -> Result<BuiltMessage> {
        let facts = match &self.xdm {
            Some(zip) => Some(archive_facts(zip, &self.read_options)?),
            None => None,
        };
        self.check(facts.as_ref())?;
        let subject = self.subject_line(facts.as_ref())?;
        let now: DateTime<Utc> = clock.now();
        let message_id = format!(
            "{}.{}@{}",
            now.format("%Y%m%d%H%M%S"),
            hex(random, 8),
            self.from.domain()
        );
        let mut m = MimeBuilder::new()
            .from(address(&self.from))
            .to(list(&self.to));
        if !self.cc.is_empty() {
            m = m.cc(list(&self.cc));
        }
        if let Some(r) = &self.reply_to {
            m = m.reply_to(address(r));
        }
        m = m
            .subject(Text::new(subject))
            .date(Date::new(now.timestamp()))
            .message_id(MessageId::new(message_id.clone()));
        if let Some(id) = &self.in_reply_to {
            m = m
                .in_reply_to(MessageId::new(id.clone()))
                .references(MessageId::new_list(
                    self.references.iter().map(String::as_str),
                ));
        }
        if self.read_receipt {
            m = m.header(
                "Disposition-Notification-To",
                Raw::new(format!("<{}>", self.from.address())),
            );
        }
        if let Some(f) = &facts
            && !f.codes.is_empty()
        {
            m = m.header("X-MSS-CODECDA", Raw::new(f.codes.join(",")));
            m = m.header(
                "X-MSS-INS",
                Raw::new(if f.qualified_ins { "O" } else { "N" }),
            );
        }
        m = m.header("X-MSS-NIL", Raw::new(self.nil.clone()));
        if self.no_reply {
            m = m.header("X-MSS-MES", Raw::new("FIN"));
        }
        let mut parts = vec![MimePart::new(
            ContentType::new("text/plain").attribute("charset", "utf-8"),
            BodyPart::Text(self.body.clone().into()),
        )];
        if let Some(zip) = &self.xdm {
            parts.push(
                MimePart::new(
                    ContentType::new("application/zip").attribute("name", "IHE_XDM.ZIP"),
                    BodyPart::Binary(zip.clone().into()),
                )
                .attachment("IHE_XDM.ZIP"),
            );
        }
        for a in &self.attachments {
            header_safe(&a.name, "attachment name")?;
            parts.push(
                MimePart::new(
                    ContentType::new(a.content_type.clone()).attribute("name", a.name.clone()),
                    BodyPart::Binary(a.data.clone().into()),
                )
                .attachment(a.name.clone()),
            );
        }
        let boundary = format!("=_segur_{}", hex(random, 12));
        m = m.body(MimePart::new(
            ContentType::new("multipart/mixed").attribute("boundary", boundary),
            parts,
        ));
        let bytes = m
            .write_to_vec()
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the message: {e}")))?;
        let to_patient = self.to.iter().chain(&self.cc).any(Mailbox::is_patient);
        let limit = if to_patient {
            self.max_size.min(PATIENT_MAX_SIZE)
        } else {
            self.max_size
        };
        if bytes.len() > limit {
            return Err(Error::new(
                ErrorKind::MessageTooLarge,
                format!("the message is {} bytes, the limit is {limit}", bytes.len()),
            ));
        }
        Ok(BuiltMessage {
            bytes,
            envelope: Envelope {
                from: self.from.address().to_owned(),
                to: self
                    .to
                    .iter()
                    .chain(&self.cc)
                    .map(|m| m.address().to_owned())
                    .collect(),
                delivery_receipt: self.delivery_receipt,
            },
            message_id,
        })
    }
}

pub(crate) fn hex(random: &dyn Randomness, bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    random.fill(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn address(m: &Mailbox) -> Address<'static> {
    match m.name() {
        Some(n) => Address::new_address(Some(n.to_owned()), m.address().to_owned()),
        None => Address::new_address(None::<String>, m.address().to_owned()),
    }
}

fn list(ms: &[Mailbox]) -> Address<'static> {
    if ms.len() == 1 {
        address(&ms[0])
    } else {
        Address::new_list(ms.iter().map(address).collect())
    }
}

/// The ECO.2.1.6 file name of a PDF companion:
/// `<date de l'acte>_<type document>_<NOM>_<prénom>[_<n° dossier>].pdf`, with spaces turned to
/// `_` and characters unsafe in file names dropped.
pub fn pdf_file_name(
    act_date: NaiveDate,
    document_type: &str,
    family: &str,
    given: &str,
    file_number: Option<&str>,
) -> String {
    let clean = |s: &str| -> String {
        s.trim()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('_'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect()
    };
    let mut name = format!(
        "{}_{}_{}_{}",
        act_date.format("%Y%m%d"),
        clean(document_type),
        clean(&family.to_uppercase()),
        clean(given)
    );
    if let Some(n) = file_number {
        name.push('_');
        name.push_str(&clean(n));
    }
    name.push_str(".pdf");
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_follows_eco_2_1_3() {
        let s = DocumentSubject {
            label: "CR d'imagerie médicale".into(),
            family: "Martin".into(),
            given: "Paul".into(),
            birth_date: NaiveDate::from_ymd_opt(1988, 10, 12),
        };
        assert_eq!(
            s.to_subject(),
            "XDM/1.0/DDM+CR d'imagerie médicale MARTIN Paul 12/10/1988"
        );
    }

    #[test]
    fn pdf_names_follow_eco_2_1_6() {
        let d = NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
        assert_eq!(
            pdf_file_name(d, "CR imagerie", "Martin", "Paul", Some("123456")),
            "20250115_CR_imagerie_MARTIN_Paul_123456.pdf"
        );
        assert_eq!(
            pdf_file_name(d, "CR/../x", "Dé", "A", None),
            "20250115_CRx_DÉ_A.pdf"
        );
    }
}
