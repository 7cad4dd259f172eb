//! HL7 time values: TS (point) and IVL_TS (interval), with the parsed [`Timestamp`].

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

use super::owned::owned_struct;
use super::{Element, QName};

/// A time value: `effectiveTime`, `time`, `birthTime`, ... either a point (`@value`) or an
/// interval (`low`, `high`, `center`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Time<'a> {
    /// `xsi:type` (e.g. `IVL_TS`), resolved.
    pub xsi_type: Option<QName<'a>>,
    /// `@value`, as written (HL7 TS, e.g. `20240402111700+0100`).
    pub value: Option<Cow<'a, str>>,
    /// `@nullFlavor`.
    pub null_flavor: Option<Cow<'a, str>>,
    /// `low`.
    pub low: Option<Box<Self>>,
    /// `high`.
    pub high: Option<Box<Self>>,
    /// `center`.
    pub center: Option<Box<Self>>,
    /// Other children (`width`, `period`, ...).
    pub extensions: Vec<Element<'a>>,
}
owned_struct!(Time {
    xsi_type,
    value,
    null_flavor,
    low,
    high,
    center,
    extensions
});

impl<'a> Time<'a> {
    /// A point in time with this HL7 TS value.
    pub fn ts(value: impl Into<Cow<'a, str>>) -> Self {
        Self {
            value: Some(value.into()),
            ..Self::default()
        }
    }

    /// Parses `@value` as an HL7 TS; `None` when there is no `@value`.
    pub fn timestamp(&self) -> Option<Result<Timestamp, TimestampError>> {
        self.value.as_deref().map(Timestamp::parse)
    }
}

/// The precision of an HL7 TS (how many digits were given).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// `YYYY`.
    Year,
    /// `YYYYMM`.
    Month,
    /// `YYYYMMDD`.
    Day,
    /// `YYYYMMDDHH`.
    Hour,
    /// `YYYYMMDDHHMM`.
    Minute,
    /// `YYYYMMDDHHMMSS`.
    Second,
    /// `YYYYMMDDHHMMSS.f...`.
    Fraction,
}

/// A parsed HL7 TS value: date and time to the given precision, with an optional UTC offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// The local date and time (missing parts are the first month/day, midnight).
    pub local: NaiveDateTime,
    /// How much of the value was written.
    pub precision: Precision,
    /// The UTC offset, when the value carries one (`+0100`).
    pub offset: Option<FixedOffset>,
}

/// Why a TS value could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid HL7 TS value {value:?}: {reason}")]
pub struct TimestampError {
    /// The value as written.
    pub value: String,
    /// What is wrong.
    pub reason: &'static str,
}

fn digits(s: &str) -> Option<u32> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

impl Timestamp {
    /// Parses `YYYY[MM[DD[HH[MM[SS[.F+]]]]]][+/-ZZZZ]`.
    ///
    /// # Errors
    /// [`TimestampError`] when the value does not follow that form or names an invalid date.
    pub fn parse(value: &str) -> Result<Self, TimestampError> {
        let err = |reason| TimestampError {
            value: value.to_owned(),
            reason,
        };
        let (main, offset) = match value.find(['+', '-']) {
            Some(i) => {
                let z = &value[i + 1..];
                if z.len() != 4 {
                    return Err(err("the UTC offset must have 4 digits"));
                }
                let (h, m) = (digits(&z[..2]), digits(&z[2..]));
                let (Some(h), Some(m)) = (h, m) else {
                    return Err(err("invalid UTC offset"));
                };
                let secs =
                    i32::try_from(h * 3600 + m * 60).map_err(|_| err("invalid UTC offset"))?;
                let secs = if value.as_bytes()[i] == b'-' {
                    -secs
                } else {
                    secs
                };
                let off = FixedOffset::east_opt(secs).ok_or_else(|| err("invalid UTC offset"))?;
                (&value[..i], Some(off))
            }
            None => (value, None),
        };
        let (whole, fraction) = match main.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (main, None),
        };
        let precision = match (whole.len(), fraction) {
            (4, None) => Precision::Year,
            (6, None) => Precision::Month,
            (8, None) => Precision::Day,
            (10, None) => Precision::Hour,
            (12, None) => Precision::Minute,
            (14, None) => Precision::Second,
            (14, Some(f)) if !f.is_empty() && f.len() <= 9 => Precision::Fraction,
            _ => return Err(err("unexpected number of digits")),
        };
        let part = |from: usize, to: usize, default: u32| -> Result<u32, TimestampError> {
            if whole.len() >= to {
                digits(&whole[from..to]).ok_or_else(|| err("not a number"))
            } else {
                Ok(default)
            }
        };
        let year = i32::try_from(part(0, 4, 0)?).map_err(|_| err("invalid year"))?;
        let date = NaiveDate::from_ymd_opt(year, part(4, 6, 1)?, part(6, 8, 1)?)
            .ok_or_else(|| err("invalid date"))?;
        let nanos = match fraction {
            Some(f) => {
                let n = digits(f).ok_or_else(|| err("invalid fraction"))?;
                let scale = 10u32.pow(9 - u32::try_from(f.len()).unwrap_or(9));
                n * scale
            }
            None => 0,
        };
        let time = NaiveTime::from_hms_nano_opt(
            part(8, 10, 0)?,
            part(10, 12, 0)?,
            part(12, 14, 0)?,
            nanos,
        )
        .ok_or_else(|| err("invalid time of day"))?;
        Ok(Self {
            local: NaiveDateTime::new(date, time),
            precision,
            offset,
        })
    }

    /// The instant, when the value carries a UTC offset.
    pub fn to_fixed_offset(&self) -> Option<DateTime<FixedOffset>> {
        self.offset
            .and_then(|o| self.local.and_local_timezone(o).single())
    }

    /// The date part.
    pub fn date(&self) -> NaiveDate {
        self.local.date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_precisions_and_offsets() {
        let ts = Timestamp::parse("20240402111700+0100").unwrap();
        assert_eq!(ts.precision, Precision::Second);
        assert_eq!(
            ts.to_fixed_offset().unwrap().to_rfc3339(),
            "2024-04-02T11:17:00+01:00"
        );
        let d = Timestamp::parse("19800115").unwrap();
        assert_eq!(d.precision, Precision::Day);
        assert_eq!(d.offset, None);
        assert_eq!(d.date(), NaiveDate::from_ymd_opt(1980, 1, 15).unwrap());
        let f = Timestamp::parse("20240402111700.25-0530").unwrap();
        assert_eq!(f.precision, Precision::Fraction);
        assert_eq!(f.local.and_utc().timestamp_subsec_millis(), 250);
        assert_eq!(f.offset.unwrap().local_minus_utc(), -(5 * 3600 + 30 * 60));
        assert_eq!(Timestamp::parse("2024").unwrap().precision, Precision::Year);
    }

    #[test]
    fn rejects_bad_values() {
        for bad in [
            "",
            "202",
            "20241301",
            "20240230",
            "2024040211170",
            "2024+01",
            "20240402x",
            "20240402+01:00",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }
}
