//! A deterministic ZIP writer: entries in the order given, one fixed timestamp, fixed
//! permissions, deflate at a fixed level, no extra fields.

use std::io::{Cursor, Write};

use chrono::{Datelike, NaiveDateTime, Timelike};
use zip::write::SimpleFileOptions;

use crate::error::{Error, ErrorKind, Result};

/// Builds a ZIP archive in memory.
pub(crate) struct ZipOut {
    writer: zip::ZipWriter<Cursor<Vec<u8>>>,
    options: SimpleFileOptions,
}

fn write_error(e: impl std::fmt::Display, name: &str) -> Error {
    Error::new(ErrorKind::Io, format!("cannot write ZIP entry: {e}")).at(name.to_owned())
}

/// The DOS date-time of `at`, clamped to the range a ZIP header can hold (1980–2107).
pub(crate) fn dos_time(at: NaiveDateTime) -> zip::DateTime {
    let year = at.year().clamp(1980, 2107);
    let convert = |y: i32| {
        zip::DateTime::from_date_and_time(
            u16::try_from(y).unwrap_or(1980),
            u8::try_from(at.month()).unwrap_or(1),
            u8::try_from(at.day()).unwrap_or(1),
            u8::try_from(at.hour()).unwrap_or(0),
            u8::try_from(at.minute()).unwrap_or(0),
            u8::try_from(at.second().min(58)).unwrap_or(0),
        )
    };
    convert(year).unwrap_or_default()
}

impl ZipOut {
    /// A new archive whose every entry carries the timestamp `modified`.
    pub(crate) fn new(modified: zip::DateTime) -> Self {
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(6))
            .last_modified_time(modified)
            .unix_permissions(0o644)
            .large_file(false);
        Self {
            writer: zip::ZipWriter::new(Cursor::new(Vec::new())),
            options,
        }
    }

    /// Adds a folder entry (`name` ends with `/`).
    pub(crate) fn folder(&mut self, name: &str) -> Result<()> {
        self.writer
            .add_directory(name, self.options.unix_permissions(0o755))
            .map_err(|e| write_error(e, name))
    }

    /// Adds a deflated file.
    pub(crate) fn file(&mut self, name: &str, data: &[u8]) -> Result<()> {
        self.writer
            .start_file(name, self.options)
            .map_err(|e| write_error(e, name))?;
        self.writer
            .write_all(data)
            .map_err(|e| write_error(e, name))
    }

    /// Writes the central directory and returns the archive bytes.
    pub(crate) fn finish(self) -> Result<Vec<u8>> {
        self.writer
            .finish()
            .map(Cursor::into_inner)
            .map_err(|e| write_error(e, "central directory"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zipread::{ReadLimits, read_entries};

    fn build(at: zip::DateTime) -> Vec<u8> {
        let mut z = ZipOut::new(at);
        z.folder("IHE_XDM/").unwrap();
        z.file("IHE_XDM/A.TXT", b"hello hello hello").unwrap();
        z.finish().unwrap()
    }

    #[test]
    fn output_is_deterministic_and_reads_back() {
        let at = dos_time(
            NaiveDateTime::parse_from_str("2025-01-15 09:30:00", "%Y-%m-%d %H:%M:%S").unwrap(),
        );
        let a = build(at);
        assert_eq!(a, build(at));
        assert_ne!(a, build(zip::DateTime::default()));
        let entries = read_entries(&a, &ReadLimits::default()).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].name, "IHE_XDM/A.TXT");
        assert_eq!(entries[0].data, b"hello hello hello");
    }

    #[test]
    fn dos_time_clamps_out_of_range_years() {
        let old =
            NaiveDateTime::parse_from_str("1970-01-01 00:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(dos_time(old).year(), 1980);
    }
}
