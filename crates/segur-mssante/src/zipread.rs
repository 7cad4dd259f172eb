//! Reading untrusted ZIP archives within fixed limits.
//!
//! The central directory is walked once by hand before anything is decompressed: that first pass
//! checks the entry count, names (zip slip), duplicates and the encryption flag without
//! allocating more than the names themselves. Only then are entries decompressed, each through a
//! reader capped by the per-entry, total and compression-ratio limits: declared sizes are never
//! trusted.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use crate::error::{Error, ErrorKind, Result};

/// Limits applied while reading an archive. The defaults suit MSSanté messages (whose whole size
/// is capped at 25 MB by Mon espace santé and usually 10 MB by operators).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest number of entries (files and folders) in the archive.
    pub max_entries: usize,
    /// Largest decompressed size of one entry, in bytes.
    pub max_entry_size: u64,
    /// Largest decompressed size of all entries together, in bytes.
    pub max_total_size: u64,
    /// Largest ratio between an entry's decompressed and compressed sizes.
    pub max_ratio: u64,
    /// Entries that decompress to at most this many bytes are exempt from the ratio check (tiny
    /// files of repeated characters legitimately compress very well).
    pub ratio_exempt_size: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        Self {
            max_entries: 1_000,
            max_entry_size: 64 * 1024 * 1024,
            max_total_size: 256 * 1024 * 1024,
            max_ratio: 200,
            ratio_exempt_size: 64 * 1024,
        }
    }
}

/// One file of an archive, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEntry {
    /// The name as stored (decoded as UTF-8 or CP437 by the `zip` crate).
    pub(crate) name: String,
    /// The name split on `/` and `\`, with empty and `.` components dropped.
    pub(crate) components: Vec<String>,
    /// The decompressed bytes.
    pub(crate) data: Vec<u8>,
}

/// What the central directory scan found out about one entry.
struct ScannedEntry {
    encrypted: bool,
    method: u16,
}

const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 8).map(|s| {
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        u64::from_le_bytes(a)
    })
}

fn broken(message: &str, offset: usize) -> Error {
    Error::new(ErrorKind::BrokenArchive, message).at(format!("byte {offset}"))
}

/// Finds the end of central directory record, returns (entry count, directory offset,
/// directory size) with ZIP64 values when present.
fn find_directory(bytes: &[u8]) -> Result<(u64, u64, u64)> {
    if bytes.len() < 22 {
        return Err(broken(
            "too short to be a ZIP archive (no end of central directory record)",
            0,
        ));
    }
    let earliest = bytes.len().saturating_sub(22 + usize::from(u16::MAX));
    let mut at = bytes.len() - 22;
    let eocd = loop {
        if u32_at(bytes, at) == Some(EOCD_SIG) {
            break at;
        }
        if at == earliest {
            return Err(broken("no end of central directory record", bytes.len()));
        }
        at -= 1;
    };
    let short = |_| broken("truncated end of central directory record", eocd);
    let count = u16_at(bytes, eocd + 10).ok_or(()).map_err(short)?;
    let size = u32_at(bytes, eocd + 12).ok_or(()).map_err(short)?;
    let offset = u32_at(bytes, eocd + 16).ok_or(()).map_err(short)?;
    let zip64 = count == u16::MAX || size == u32::MAX || offset == u32::MAX;
    if zip64 && eocd >= 20 && u32_at(bytes, eocd - 20) == Some(ZIP64_LOCATOR_SIG) {
        let record = u64_at(bytes, eocd - 20 + 8)
            .and_then(|r| usize::try_from(r).ok())
            .ok_or_else(|| broken("bad ZIP64 locator", eocd - 20))?;
        if u32_at(bytes, record) != Some(ZIP64_EOCD_SIG) {
            return Err(broken("ZIP64 end of central directory not found", record));
        }
        let count = u64_at(bytes, record + 32).ok_or_else(|| broken("truncated ZIP64", record))?;
        let size = u64_at(bytes, record + 40).ok_or_else(|| broken("truncated ZIP64", record))?;
        let offset = u64_at(bytes, record + 48).ok_or_else(|| broken("truncated ZIP64", record))?;
        return Ok((count, offset, size));
    }
    Ok((u64::from(count), u64::from(offset), u64::from(size)))
}

/// Walks the central directory: entry count, names, duplicates, encryption, compression method.
fn scan_directory(bytes: &[u8], limits: &ReadLimits) -> Result<Vec<ScannedEntry>> {
    let (count, dir_offset, _size) = find_directory(bytes)?;
    if count > limits.max_entries as u64 {
        return Err(Error::new(
            ErrorKind::TooManyEntries,
            format!(
                "the archive declares {count} entries, the limit is {}",
                limits.max_entries
            ),
        )
        .value(count.to_string()));
    }
    let mut at = usize::try_from(dir_offset)
        .ok()
        .filter(|&o| o < bytes.len())
        .ok_or_else(|| broken("central directory offset beyond the end of the file", 0))?;
    // Archives with a prefix (self-extracting) have a directory offset relative to the prefix:
    // XDM archives never do, and they fail here with a clear error.
    let mut entries = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for index in 0..count {
        if u32_at(bytes, at) != Some(CENTRAL_SIG) {
            return Err(broken(
                &format!("central directory entry {index} has no valid signature"),
                at,
            ));
        }
        let truncated = || broken(&format!("central directory entry {index} is truncated"), at);
        let flags = u16_at(bytes, at + 8).ok_or_else(truncated)?;
        let method = u16_at(bytes, at + 10).ok_or_else(truncated)?;
        let name_len = usize::from(u16_at(bytes, at + 28).ok_or_else(truncated)?);
        let extra_len = usize::from(u16_at(bytes, at + 30).ok_or_else(truncated)?);
        let comment_len = usize::from(u16_at(bytes, at + 32).ok_or_else(truncated)?);
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(truncated)?;
        let display = String::from_utf8_lossy(name).into_owned();
        // duplicate check on the normalised name (case and separators folded)
        let key = normalise(&display).join("/").to_ascii_uppercase();
        if let Some(first) = seen.insert(key, entries.len()) {
            return Err(Error::new(
                ErrorKind::DuplicateEntry,
                format!("entry {index} has the same name as entry {first}"),
            )
            .at(format!("central directory entry {index}"))
            .value(display));
        }
        entries.push(ScannedEntry {
            encrypted: flags & 1 == 1,
            method,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Ok(entries)
}

/// Splits an entry name on both separators, dropping empty and `.` components.
pub(crate) fn normalise(name: &str) -> Vec<String> {
    name.split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_owned)
        .collect()
}

/// Refuses names that would leave the extraction root or are unusable as file names.
fn check_name(name: &str, index: usize) -> Result<Vec<String>> {
    let at = || format!("entry {index}");
    if name.is_empty() {
        return Err(Error::new(ErrorKind::InvalidName, "empty entry name").at(at()));
    }
    if name.chars().any(char::is_control) {
        return Err(
            Error::new(ErrorKind::InvalidName, "control character in entry name")
                .at(at())
                .value(name.escape_debug().to_string()),
        );
    }
    let absolute = name.starts_with(['/', '\\'])
        || name
            .as_bytes()
            .get(1)
            .is_some_and(|&b| b == b':' && name.as_bytes()[0].is_ascii_alphabetic());
    let components = normalise(name);
    if absolute || components.iter().any(|c| c == "..") {
        return Err(Error::new(
            ErrorKind::ZipSlip,
            "entry name is absolute or climbs out of the archive root",
        )
        .at(at())
        .value(name));
    }
    Ok(components)
}

fn zip_error(e: zip::result::ZipError, location: String) -> Error {
    let kind = match &e {
        zip::result::ZipError::UnsupportedArchive(m)
            if *m == zip::result::ZipError::PASSWORD_REQUIRED =>
        {
            ErrorKind::EncryptedEntry
        }
        _ => ErrorKind::BrokenArchive,
    };
    Error::new(kind, e.to_string()).at(location).with_source(e)
}

/// Reads every file entry of `bytes` within `limits`; folder entries are skipped.
pub(crate) fn read_entries(bytes: &[u8], limits: &ReadLimits) -> Result<Vec<RawEntry>> {
    let scanned = scan_directory(bytes, limits)?;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| zip_error(e, "central directory".to_owned()))?;
    if archive.len() != scanned.len() {
        return Err(Error::new(
            ErrorKind::BrokenArchive,
            format!(
                "central directory lists {} entries but {} could be read",
                scanned.len(),
                archive.len()
            ),
        ));
    }
    let mut total: u64 = 0;
    let mut out = Vec::new();
    for (index, info) in scanned.iter().enumerate() {
        if info.encrypted {
            return Err(Error::new(
                ErrorKind::EncryptedEntry,
                "encrypted entries are not supported",
            )
            .at(format!("entry {index}"))
            .value(archive.name_for_index(index).unwrap_or_default()));
        }
        if info.method != 0 && info.method != 8 {
            return Err(Error::new(
                ErrorKind::UnsupportedCompression,
                "only stored (0) and deflate (8) entries are supported",
            )
            .at(format!("entry {index}"))
            .value(info.method.to_string()));
        }
        let mut file = archive
            .by_index(index)
            .map_err(|e| zip_error(e, format!("entry {index}")))?;
        let name = file.name().to_owned();
        let components = check_name(&name, index)?;
        if file.is_dir() {
            continue;
        }
        let compressed = file.compressed_size();
        let remaining = limits.max_total_size.saturating_sub(total);
        let cap = limits.max_entry_size.min(remaining);
        let ratio_cap = compressed
            .max(1)
            .saturating_mul(limits.max_ratio)
            .max(limits.ratio_exempt_size);
        let cap = cap.min(ratio_cap);
        let mut data = Vec::new();
        (&mut file)
            .take(cap.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| {
                Error::new(ErrorKind::BrokenArchive, format!("cannot decompress: {e}"))
                    .at(format!("entry {index}"))
                    .value(name.clone())
            })?;
        let len = data.len() as u64;
        if len > cap {
            let (kind, message) = if cap == ratio_cap {
                (
                    ErrorKind::ZipBomb,
                    format!(
                        "entry expands beyond {} times its {compressed} compressed bytes",
                        limits.max_ratio
                    ),
                )
            } else if cap == remaining && remaining < limits.max_entry_size {
                (
                    ErrorKind::TooLarge,
                    format!(
                        "the entries together exceed {} bytes",
                        limits.max_total_size
                    ),
                )
            } else {
                (
                    ErrorKind::TooLarge,
                    format!("entry exceeds {} bytes", limits.max_entry_size),
                )
            };
            return Err(Error::new(kind, message)
                .at(format!("entry {index}"))
                .value(name));
        }
        // Reaching the end of the stream makes the zip crate check the CRC; a short stream
        // means the declared size was a lie: both are broken archives.
        if len != file.size() {
            return Err(Error::new(
                ErrorKind::BrokenArchive,
                format!("entry declares {} bytes but holds {len} bytes", file.size()),
            )
            .at(format!("entry {index}"))
            .value(name));
        }
        total += len;
        out.push(RawEntry {
            name,
            components,
            data,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_escape_are_zip_slip() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "\\windows\\x",
            "C:\\x",
            "a\\..\\..\\b",
        ] {
            assert_eq!(
                check_name(bad, 0).unwrap_err().kind(),
                ErrorKind::ZipSlip,
                "{bad}"
            );
        }
        assert_eq!(
            check_name("a\u{0}b", 0).unwrap_err().kind(),
            ErrorKind::InvalidName
        );
        assert_eq!(
            check_name("x/./IHE_XDM\\SUBSET01/DOC.XML", 0).unwrap(),
            vec!["x", "IHE_XDM", "SUBSET01", "DOC.XML"]
        );
    }

    #[test]
    fn garbage_is_a_broken_archive() {
        for bytes in [&b""[..], b"PK", &[0u8; 100]] {
            assert_eq!(
                read_entries(bytes, &ReadLimits::default())
                    .unwrap_err()
                    .kind(),
                ErrorKind::BrokenArchive
            );
        }
    }
}
