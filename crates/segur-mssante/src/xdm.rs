//! IHE XDM (ITI-32) archives: the `IHE_XDM.ZIP` writer and the strict / lenient reader.

use std::fmt;

use chrono::NaiveDateTime;
use segur_xds::{DocumentEntry, Sha1Hash, Submission};

use crate::error::{Error, ErrorKind, Result};
use crate::metascan::{self, EntryLink};
use crate::names::{is_dos_name, to_dos_name};
use crate::zipread::{RawEntry, ReadLimits, read_entries};
use crate::zipwrite::{ZipOut, dos_time};

/// The name of the archive attachment in MSSanté messages.
pub const ARCHIVE_NAME: &str = "IHE_XDM.ZIP";

/// What `README.TXT` says about the sender and the application (ITI-32; Mediboard-style French
/// content).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Readme {
    /// The sender (person or service).
    pub sender: String,
    /// The sender's organisation.
    pub organisation: String,
    /// The application name.
    pub application: String,
    /// The application version.
    pub version: String,
    /// The software vendor.
    pub vendor: String,
    /// A contact (address, phone, e-mail).
    pub contact: String,
}

/// Options of the writer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WriteOptions {
    /// The timestamp stored on every entry. `None`, the default, stores the ZIP epoch
    /// (1980-01-01 00:00) so archives are byte-for-byte reproducible; set the creation time for
    /// real messages if wanted.
    pub timestamp: Option<NaiveDateTime>,
    /// The `README.TXT` content.
    pub readme: Readme,
}

/// Builds an `IHE_XDM.ZIP`: `INDEX.HTM`, `README.TXT` and one `IHE_XDM/SUBSETnn/` folder per
/// submission set with its `METADATA.XML` and documents.
///
/// The `URI`, `size` and `hash` of every DocumentEntry are set from the bytes stored; document
/// file names are 8.3 upper case (`DOC0001.XML` unless the entry's `URI` already is one).
#[derive(Debug, Clone, Default)]
pub struct XdmWriter {
    options: WriteOptions,
    subsets: Vec<(Submission, Vec<Vec<u8>>)>,
}

fn extension_for(mime: &str) -> &'static str {
    match mime.split(';').next().unwrap_or("").trim() {
        "text/xml" | "application/xml" | "application/hl7-v3+xml" => "XML",
        "application/pdf" => "PDF",
        "text/plain" => "TXT",
        "text/html" => "HTM",
        "application/xslt+xml" => "XSL",
        "image/jpeg" => "JPG",
        "image/png" => "PNG",
        "image/tiff" => "TIF",
        _ => "BIN",
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl XdmWriter {
    /// A writer with `options`.
    pub fn new(options: WriteOptions) -> Self {
        Self {
            options,
            subsets: Vec::new(),
        }
    }

    /// Adds a submission set; `contents[i]` holds the bytes of `submission.documents[i]`.
    pub fn add_submission(&mut self, submission: Submission, contents: Vec<Vec<u8>>) -> Result<()> {
        if submission.documents.len() != contents.len() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "the submission has {} document entries but {} contents were given",
                    submission.documents.len(),
                    contents.len()
                ),
            ));
        }
        if self.subsets.len() >= 99 {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "at most 99 submission sets (SUBSET01 to SUBSET99)",
            ));
        }
        self.subsets.push((submission, contents));
        Ok(())
    }

    /// Writes the archive.
    pub fn write(&self) -> Result<Vec<u8>> {
        if self.subsets.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "an XDM archive needs at least one submission set",
            ));
        }
        let mut zip = ZipOut::new(self.options.timestamp.map(dos_time).unwrap_or_default());
        let mut listing = Vec::new();
        let mut prepared = Vec::new();
        for (n, (submission, contents)) in self.subsets.iter().enumerate() {
            let folder = format!("SUBSET{:02}", n + 1);
            let mut submission = submission.clone();
            let mut names: Vec<String> = Vec::new();
            for (i, (entry, data)) in submission.documents.iter_mut().zip(contents).enumerate() {
                let wanted = entry
                    .uri
                    .as_deref()
                    .and_then(to_dos_name)
                    .filter(|n| n != "METADATA.XML" && !names.contains(n));
                let name = wanted.unwrap_or_else(|| {
                    format!("DOC{:04}.{}", i + 1, extension_for(&entry.mime_type))
                });
                entry.uri = Some(name.clone());
                entry.set_content(data);
                names.push(name);
            }
            listing.push((folder.clone(), names.clone(), submission.documents.clone()));
            prepared.push((folder, submission, names, contents));
        }
        zip.file("INDEX.HTM", self.index_htm(&listing).as_bytes())?;
        zip.file("README.TXT", self.readme_txt(&listing).as_bytes())?;
        zip.folder("IHE_XDM/")?;
        for (folder, submission, names, contents) in prepared {
            zip.folder(&format!("IHE_XDM/{folder}/"))?;
            zip.file(
                &format!("IHE_XDM/{folder}/METADATA.XML"),
                submission.to_ebrim().as_bytes(),
            )?;
            for (name, data) in names.iter().zip(contents) {
                zip.file(&format!("IHE_XDM/{folder}/{name}"), data)?;
            }
        }
        zip.finish()
    }

    fn index_htm(&self, listing: &[(String, Vec<String>, Vec<DocumentEntry>)]) -> String {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n\
             <!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\r\n\
             <html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"fr\">\r\n\
             <head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\"/><title>IHE XDM</title></head>\r\n\
             <body>\r\n<h1>Documents de sant\u{e9} (IHE XDM)</h1>\r\n\
             <p><a href=\"README.TXT\">README.TXT</a></p>\r\n<ul>\r\n",
        );
        for (folder, names, entries) in listing {
            for (name, entry) in names.iter().zip(entries) {
                let title = entry.title.as_deref().unwrap_or(name);
                s.push_str(&format!(
                    "<li><a href=\"IHE_XDM/{folder}/{name}\">{}</a></li>\r\n",
                    escape_html(title)
                ));
            }
        }
        s.push_str("</ul>\r\n</body>\r\n</html>\r\n");
        s
    }

    fn readme_txt(&self, listing: &[(String, Vec<String>, Vec<DocumentEntry>)]) -> String {
        let r = &self.options.readme;
        let mut s = String::new();
        s.push_str("Archive IHE XDM (ITI-32) - documents de sant\u{e9}\r\n\r\n");
        s.push_str(&format!("Emetteur : {}\r\n", r.sender));
        s.push_str(&format!("Organisme : {}\r\n", r.organisation));
        s.push_str(&format!("Contact : {}\r\n", r.contact));
        s.push_str(&format!(
            "Application : {} {} ({})\r\n\r\n",
            r.application, r.version, r.vendor
        ));
        s.push_str(
            "Consultez les documents re\u{e7}us par messagerie s\u{e9}curis\u{e9}e de sant\u{e9} \
             dans votre logiciel de professionnel de sant\u{e9}.\r\n\r\nContenu :\r\n",
        );
        s.push_str("INDEX.HTM\r\nREADME.TXT\r\nIHE_XDM/\r\n");
        for (folder, names, _) in listing {
            s.push_str(&format!("  {folder}/\r\n    METADATA.XML\r\n"));
            for name in names {
                s.push_str(&format!("    {name}\r\n"));
            }
        }
        s
    }
}

/// How strictly an archive is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Conformance: `IHE_XDM/` at the root, `INDEX.HTM` and `README.TXT` present, each
    /// document entry with `URI`, `size` and `hash` that match its file, no stray separator bug.
    /// Deviations are errors.
    Strict,
    /// Recovery, for what real senders produce: an extra top folder, missing `SUBSETnn/`
    /// separators, documents matched by hash when `URI` is missing, missing INDEX/README.
    /// Deviations are [`XdmWarning`]s. Security guards (zip slip, bombs, duplicates,
    /// encryption, limits) apply in both modes.
    Lenient,
}

/// Options of the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// Strict or lenient.
    pub mode: Mode,
    /// Limits on the ZIP container.
    pub limits: ReadLimits,
}

impl ReadOptions {
    /// Strict mode with the default limits.
    pub fn strict() -> Self {
        Self {
            mode: Mode::Strict,
            limits: ReadLimits::default(),
        }
    }

    /// Lenient mode with the default limits.
    pub fn lenient() -> Self {
        Self {
            mode: Mode::Lenient,
            limits: ReadLimits::default(),
        }
    }
}

/// A deviation from ITI-32 that the lenient reader recovered from.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum XdmWarning {
    /// Everything sits under an extra top folder.
    ExtraTopFolder {
        /// The folder name.
        folder: String,
    },
    /// `INDEX.HTM` is missing.
    MissingIndex,
    /// `README.TXT` is missing.
    MissingReadme,
    /// A name is not 8.3 upper case (accepted: names are matched case-insensitively).
    NotDosName {
        /// The entry name.
        name: String,
    },
    /// A `\` separator was used.
    BackslashSeparator {
        /// The entry name.
        name: String,
    },
    /// The `/` after `SUBSETnn` is missing (`IHE_XDM/SUBSET01METADATA.XML`).
    MissingSeparator {
        /// The entry name.
        name: String,
    },
    /// A document entry has no `URI` slot.
    MissingUri {
        /// The entry's id.
        entry: String,
    },
    /// A document entry has no `size` slot.
    MissingSize {
        /// The entry's id.
        entry: String,
    },
    /// A document entry has no `hash` slot.
    MissingHash {
        /// The entry's id.
        entry: String,
    },
    /// A document entry was matched to its file by hash because its `URI` did not lead to one.
    MatchedByHash {
        /// The entry's id.
        entry: String,
        /// The file's path.
        path: String,
    },
    /// A file's size differs from its entry's `size`.
    SizeMismatch {
        /// The entry's id.
        entry: String,
        /// The `size` slot.
        declared: u64,
        /// The file's length.
        actual: u64,
    },
    /// A file's SHA-1 differs from its entry's `hash`.
    HashMismatch {
        /// The entry's id.
        entry: String,
    },
    /// A document entry has no file.
    MissingFile {
        /// The entry's id.
        entry: String,
    },
    /// A file of a submission set folder is not referenced by its metadata (stylesheets, …).
    UnreferencedFile {
        /// The file's path.
        path: String,
    },
    /// The `METADATA.XML` of a folder is not conformant ebRIM; only the links between entries
    /// and files were recovered.
    NonConformantMetadata {
        /// The submission set folder.
        folder: String,
        /// Why `segur-xds` refused it.
        reason: String,
    },
}

impl fmt::Display for XdmWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ExtraTopFolder { folder } => write!(f, "extra top folder {folder:?}"),
            Self::MissingIndex => f.write_str("INDEX.HTM is missing"),
            Self::MissingReadme => f.write_str("README.TXT is missing"),
            Self::NotDosName { name } => write!(f, "{name:?} is not an 8.3 upper-case name"),
            Self::BackslashSeparator { name } => write!(f, "{name:?} uses \\ as separator"),
            Self::MissingSeparator { name } => {
                write!(f, "{name:?} lacks the / after the submission set folder")
            }
            Self::MissingUri { entry } => write!(f, "document entry {entry} has no URI"),
            Self::MissingSize { entry } => write!(f, "document entry {entry} has no size"),
            Self::MissingHash { entry } => write!(f, "document entry {entry} has no hash"),
            Self::MatchedByHash { entry, path } => {
                write!(f, "document entry {entry} matched to {path:?} by hash")
            }
            Self::SizeMismatch {
                entry,
                declared,
                actual,
            } => write!(
                f,
                "document entry {entry} declares {declared} bytes, its file has {actual}"
            ),
            Self::HashMismatch { entry } => {
                write!(
                    f,
                    "document entry {entry}: SHA-1 of the file differs from hash"
                )
            }
            Self::MissingFile { entry } => write!(f, "document entry {entry} has no file"),
            Self::UnreferencedFile { path } => {
                write!(f, "{path:?} is not referenced by the metadata")
            }
            Self::NonConformantMetadata { folder, reason } => {
                write!(f, "METADATA.XML of {folder} is not conformant: {reason}")
            }
        }
    }
}

/// A document of a submission set: its metadata and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XdmDocument {
    /// The path inside the archive, normalised with `/`.
    pub path: String,
    /// What links the entry to the file (always present).
    pub link: EntryLink,
    /// The full DocumentEntry, when the metadata could be read by `segur-xds` (always in
    /// strict mode).
    pub entry: Option<DocumentEntry>,
    /// The file's bytes.
    pub data: Vec<u8>,
}

/// One submission set folder (`IHE_XDM/SUBSETnn/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XdmSubset {
    /// The folder name as stored (`SUBSET01`).
    pub folder: String,
    /// The metadata read from `METADATA.XML` (always in strict mode; `None` in lenient mode
    /// when it is not conformant, see [`XdmWarning::NonConformantMetadata`]).
    pub submission: Option<Submission>,
    /// The raw `METADATA.XML`.
    pub metadata_xml: Vec<u8>,
    /// The documents, in metadata order.
    pub documents: Vec<XdmDocument>,
    /// Other files of the folder (stylesheets, …), path and bytes.
    pub other_files: Vec<(String, Vec<u8>)>,
}

/// An archive read by [`read_xdm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XdmArchive {
    /// The submission sets, by folder name.
    pub subsets: Vec<XdmSubset>,
    /// `README.TXT`, if present (lossy UTF-8).
    pub readme: Option<String>,
    /// What the lenient reader recovered from (always empty in strict mode).
    pub warnings: Vec<XdmWarning>,
}

impl XdmArchive {
    /// Every document of every submission set.
    pub fn documents(&self) -> impl Iterator<Item = &XdmDocument> {
        self.subsets.iter().flat_map(|s| s.documents.iter())
    }
}

/// Collects warnings in lenient mode, turns them into errors in strict mode.
struct Findings {
    mode: Mode,
    warnings: Vec<XdmWarning>,
    /// The warnings already noted: a set, since an archive may hold many entries.
    seen: std::collections::HashSet<XdmWarning>,
}

impl Findings {
    fn note(&mut self, warning: XdmWarning, kind: ErrorKind) -> Result<()> {
        match self.mode {
            Mode::Lenient => {
                if self.seen.insert(warning.clone()) {
                    self.warnings.push(warning);
                }
                Ok(())
            }
            Mode::Strict => Err(Error::new(kind, format!("strict mode: {warning}"))),
        }
    }
}

/// The entries of one `IHE_XDM/<folder>/`: folder name, `METADATA.XML`, other files.
type Folder<'a> = (String, Option<&'a RawEntry>, Vec<(String, &'a RawEntry)>);

/// A file placed in the XDM tree: (subset folder, file name inside it) or a root file.
enum Placed {
    Root(String),
    InSubset(String, String),
    Elsewhere,
}

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Splits `SUBSET01METADATA.XML` into `SUBSET01` and `METADATA.XML`. Folders are numbered
/// with two digits (`SUBSET01`…`SUBSET99`), so a file name starting with digits
/// (`SUBSET01871efced….txt`) keeps them.
fn split_glued(component: &str) -> Option<(String, String)> {
    let upper = component.to_ascii_uppercase();
    let rest = upper.strip_prefix("SUBSET")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count().min(2);
    if digits == 0 || digits == rest.len() {
        return None;
    }
    let cut = "SUBSET".len() + digits;
    Some((component[..cut].to_owned(), component[cut..].to_owned()))
}

fn place(entry: &RawEntry, top: Option<&str>, findings: &mut Findings) -> Result<Placed> {
    let mut parts: &[String] = &entry.components;
    if let Some(top) = top
        && parts.first().is_some_and(|p| p == top)
    {
        parts = &parts[1..];
    }
    if entry.name.contains('\\') {
        findings.note(
            XdmWarning::BackslashSeparator {
                name: entry.name.clone(),
            },
            ErrorKind::InvalidLayout,
        )?;
    }
    match parts {
        [file] => Ok(Placed::Root(file.clone())),
        [xdm, glued] if eq(xdm, "IHE_XDM") => match split_glued(glued) {
            Some((folder, file)) => {
                findings.note(
                    XdmWarning::MissingSeparator {
                        name: entry.name.clone(),
                    },
                    ErrorKind::InvalidLayout,
                )?;
                Ok(Placed::InSubset(folder, file))
            }
            None => Ok(Placed::Elsewhere),
        },
        [xdm, folder, file] if eq(xdm, "IHE_XDM") => {
            Ok(Placed::InSubset(folder.clone(), file.clone()))
        }
        _ => Ok(Placed::Elsewhere),
    }
}

/// Reads an `IHE_XDM.ZIP`.
///
/// Names are matched case-insensitively, with `/` or `\` separators; documents are matched to
/// their entries by `URI`, then (lenient mode) by `hash`. In strict mode any deviation is an
/// error; in lenient mode it is a warning in [`XdmArchive::warnings`].
pub fn read_xdm(bytes: &[u8], options: &ReadOptions) -> Result<XdmArchive> {
    let entries = read_entries(bytes, &options.limits)?;
    let mut findings = Findings {
        mode: options.mode,
        warnings: Vec::new(),
        seen: std::collections::HashSet::new(),
    };
    // Where is IHE_XDM? At the root, or under one extra top folder.
    let top = entries.iter().find_map(|e| {
        let pos = e.components.iter().position(|c| eq(c, "IHE_XDM"))?;
        (pos == 1).then(|| e.components[0].clone())
    });
    if !entries
        .iter()
        .any(|e| e.components.iter().any(|c| eq(c, "IHE_XDM")))
    {
        return Err(Error::new(
            ErrorKind::InvalidLayout,
            "no IHE_XDM folder in the archive",
        ));
    }
    if let Some(folder) = &top {
        findings.note(
            XdmWarning::ExtraTopFolder {
                folder: folder.clone(),
            },
            ErrorKind::InvalidLayout,
        )?;
    }
    let mut readme = None;
    let mut has_index = false;
    // folder -> (metadata, files)
    let mut folders: Vec<Folder<'_>> = Vec::new();
    for entry in &entries {
        match place(entry, top.as_deref(), &mut findings)? {
            Placed::Root(file) => {
                if eq(&file, "README.TXT") {
                    readme = Some(String::from_utf8_lossy(&entry.data).into_owned());
                } else if eq(&file, "INDEX.HTM") {
                    has_index = true;
                }
                if !is_dos_name(&file) {
                    findings.note(
                        XdmWarning::NotDosName {
                            name: entry.name.clone(),
                        },
                        ErrorKind::InvalidName,
                    )?;
                }
            }
            Placed::InSubset(folder, file) => {
                if !is_dos_name(&file) || !is_dos_name(&folder) {
                    findings.note(
                        XdmWarning::NotDosName {
                            name: entry.name.clone(),
                        },
                        ErrorKind::InvalidName,
                    )?;
                }
                let slot = match folders.iter().position(|(f, _, _)| eq(f, &folder)) {
                    Some(i) => i,
                    None => {
                        folders.push((folder.clone(), None, Vec::new()));
                        folders.len() - 1
                    }
                };
                if eq(&file, "METADATA.XML") {
                    folders[slot].1 = Some(entry);
                } else {
                    folders[slot].2.push((file, entry));
                }
            }
            Placed::Elsewhere => {}
        }
    }
    if !has_index {
        findings.note(XdmWarning::MissingIndex, ErrorKind::InvalidLayout)?;
    }
    if readme.is_none() {
        findings.note(XdmWarning::MissingReadme, ErrorKind::InvalidLayout)?;
    }
    let mut subsets = Vec::new();
    for (folder, metadata, files) in folders {
        let Some(metadata) = metadata else {
            // a folder without METADATA.XML is not a submission set
            for (_, e) in files {
                findings.note(
                    XdmWarning::UnreferencedFile {
                        path: e.components.join("/"),
                    },
                    ErrorKind::InvalidLayout,
                )?;
            }
            continue;
        };
        subsets.push(read_subset(folder, metadata, &files, &mut findings)?);
    }
    if subsets.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidLayout,
            "no IHE_XDM/<folder>/METADATA.XML in the archive",
        ));
    }
    subsets.sort_by(|a, b| a.folder.cmp(&b.folder));
    Ok(XdmArchive {
        subsets,
        readme,
        warnings: findings.warnings,
    })
}

fn link_of(entry: &DocumentEntry) -> EntryLink {
    EntryLink {
        id: entry.entry_uuid.as_str().to_owned(),
        mime_type: entry.mime_type.clone(),
        uri: entry.uri.clone(),
        size: entry.size,
        hash: entry.hash.as_ref().map(Sha1Hash::to_hex),
        title: entry.title.clone(),
    }
}

fn read_subset(
    folder: String,
    metadata: &RawEntry,
    files: &[(String, &RawEntry)],
    findings: &mut Findings,
) -> Result<XdmSubset> {
    let (submission, links) = match Submission::from_ebrim(&metadata.data) {
        Ok(s) => {
            let links = s.documents.iter().map(link_of).collect::<Vec<_>>();
            (Some(s), links)
        }
        Err(e) if findings.mode == Mode::Lenient => {
            let links = metascan::scan(&metadata.data).map_err(|e| e.at(metadata.name.clone()))?;
            findings.note(
                XdmWarning::NonConformantMetadata {
                    folder: folder.clone(),
                    reason: e.to_string(),
                },
                ErrorKind::InvalidMetadata,
            )?;
            (None, links)
        }
        Err(e) => {
            return Err(Error::new(ErrorKind::InvalidMetadata, e.to_string())
                .at(metadata.name.clone())
                .with_source(e));
        }
    };
    let hashes: Vec<String> = files
        .iter()
        .map(|(_, f)| Sha1Hash::of(&f.data).to_hex())
        .collect();
    let mut used = vec![false; files.len()];
    let mut documents = Vec::new();
    for (index, link) in links.iter().enumerate() {
        let id = link.id.clone();
        if link.uri.is_none() {
            findings.note(
                XdmWarning::MissingUri { entry: id.clone() },
                ErrorKind::InvalidMetadata,
            )?;
        }
        if link.size.is_none() {
            findings.note(
                XdmWarning::MissingSize { entry: id.clone() },
                ErrorKind::InvalidMetadata,
            )?;
        }
        if link.hash.is_none() {
            findings.note(
                XdmWarning::MissingHash { entry: id.clone() },
                ErrorKind::InvalidMetadata,
            )?;
        }
        // by URI: relative to the folder; some writers put a path, keep its last component
        let by_uri = link.uri.as_deref().and_then(|uri| {
            let last = uri.rsplit(['/', '\\']).next().unwrap_or(uri);
            (0..files.len()).find(|&i| !used[i] && eq(&files[i].0, last))
        });
        let found = match by_uri {
            Some(i) => Some(i),
            None => {
                let by_hash = link
                    .hash
                    .as_ref()
                    .and_then(|h| (0..files.len()).find(|&i| !used[i] && hashes[i] == *h));
                if let Some(i) = by_hash {
                    findings.note(
                        XdmWarning::MatchedByHash {
                            entry: id.clone(),
                            path: files[i].1.components.join("/"),
                        },
                        ErrorKind::MissingDocument,
                    )?;
                }
                by_hash
            }
        };
        let Some(i) = found else {
            findings.note(
                XdmWarning::MissingFile { entry: id.clone() },
                ErrorKind::MissingDocument,
            )?;
            continue;
        };
        used[i] = true;
        let file = files[i].1;
        let actual = file.data.len() as u64;
        if let Some(declared) = link.size
            && declared != actual
        {
            findings.note(
                XdmWarning::SizeMismatch {
                    entry: id.clone(),
                    declared,
                    actual,
                },
                ErrorKind::IntegrityMismatch,
            )?;
        }
        if let Some(hash) = &link.hash
            && hashes[i] != *hash
        {
            findings.note(
                XdmWarning::HashMismatch { entry: id.clone() },
                ErrorKind::IntegrityMismatch,
            )?;
        }
        documents.push(XdmDocument {
            path: file.components.join("/"),
            link: link.clone(),
            entry: submission.as_ref().map(|s| s.documents[index].clone()),
            data: file.data.clone(),
        });
    }
    let mut other_files = Vec::new();
    for (i, (_, f)) in files.iter().enumerate() {
        if !used[i] {
            let path = f.components.join("/");
            findings.note(
                XdmWarning::UnreferencedFile { path: path.clone() },
                ErrorKind::MissingDocument,
            )?;
            other_files.push((path, f.data.clone()));
        }
    }
    Ok(XdmSubset {
        folder,
        submission,
        metadata_xml: metadata.data.clone(),
        documents,
        other_files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_subset_names_are_split() {
        assert_eq!(
            split_glued("SUBSET01METADATA.xml"),
            Some(("SUBSET01".to_owned(), "METADATA.xml".to_owned()))
        );
        assert_eq!(
            split_glued("SUBSET01871efced.txt"),
            Some(("SUBSET01".to_owned(), "871efced.txt".to_owned()))
        );
        assert_eq!(split_glued("SUBSET01"), None);
        assert_eq!(split_glued("SUBSETX"), None);
        assert_eq!(split_glued("DOC.XML"), None);
    }

    #[test]
    fn mime_types_get_dos_extensions() {
        assert_eq!(extension_for("text/xml"), "XML");
        assert_eq!(extension_for("application/pdf; x=y"), "PDF");
        assert_eq!(extension_for("application/octet-stream"), "BIN");
    }
}
