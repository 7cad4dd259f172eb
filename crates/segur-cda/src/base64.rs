//! Streaming base64 (RFC 4648 standard alphabet) decoding of ED payloads, whitespace ignored.

use std::io::Write;

/// Why a base64 payload could not be decoded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Base64Error {
    /// A byte outside the base64 alphabet (and not whitespace) at this offset of the content.
    #[error("invalid base64 byte 0x{byte:02x} at offset {offset}")]
    InvalidByte {
        /// Offset in the content.
        offset: usize,
        /// The byte.
        byte: u8,
    },
    /// Padding in the wrong place, or a length that is not a multiple of 4.
    #[error("invalid base64 length or padding")]
    InvalidLength,
    /// The writer failed.
    #[error("writing the decoded payload failed: {0}")]
    Io(#[from] std::io::Error),
}

const INVALID: u8 = 0xFF;
const SKIP: u8 = 0xFE;
const PAD: u8 = 0xFD;

const TABLE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t[b' ' as usize] = SKIP;
    t[b'\t' as usize] = SKIP;
    t[b'\r' as usize] = SKIP;
    t[b'\n' as usize] = SKIP;
    t[b'=' as usize] = PAD;
    t
};

/// Decodes `input` to `out` in chunks of 48 KiB; returns the number of bytes written.
pub(crate) fn decode_to<W: Write>(input: &[u8], mut out: W) -> Result<u64, Base64Error> {
    let mut buf = Vec::with_capacity(49_152 + 3);
    let mut quad = [0u8; 4];
    let mut n = 0usize;
    let mut pads = 0usize;
    let mut written = 0u64;
    let mut offset = 0;
    while offset < input.len() {
        // fast path: four alphabet characters at a quantum boundary (the bulk of a payload)
        if n == 0 && pads == 0 && offset + 4 <= input.len() {
            let q = [
                TABLE[usize::from(input[offset])],
                TABLE[usize::from(input[offset + 1])],
                TABLE[usize::from(input[offset + 2])],
                TABLE[usize::from(input[offset + 3])],
            ];
            if (q[0] | q[1] | q[2] | q[3]) < 64 {
                let word = (u32::from(q[0]) << 18)
                    | (u32::from(q[1]) << 12)
                    | (u32::from(q[2]) << 6)
                    | u32::from(q[3]);
                buf.extend_from_slice(&word.to_be_bytes()[1..]);
                offset += 4;
                if buf.len() >= 49_152 {
                    out.write_all(&buf)?;
                    written += buf.len() as u64;
                    buf.clear();
                }
                continue;
            }
        }
        let byte = input[offset];
        offset += 1;
        let v = TABLE[usize::from(byte)];
        match v {
            SKIP => continue,
            INVALID => {
                return Err(Base64Error::InvalidByte {
                    offset: offset - 1,
                    byte,
                });
            }
            PAD => {
                // padding only in the last two positions of the final quantum
                if n < 2 {
                    return Err(Base64Error::InvalidLength);
                }
                pads += 1;
                quad[n] = 0;
                n += 1;
            }
            _ => {
                if pads > 0 {
                    return Err(Base64Error::InvalidLength);
                }
                quad[n] = v;
                n += 1;
            }
        }
        if n == 4 {
            let word = (u32::from(quad[0]) << 18)
                | (u32::from(quad[1]) << 12)
                | (u32::from(quad[2]) << 6)
                | u32::from(quad[3]);
            let bytes = word.to_be_bytes();
            buf.extend_from_slice(&bytes[1..4 - pads]);
            n = 0;
            if buf.len() >= 49_152 {
                out.write_all(&buf)?;
                written += buf.len() as u64;
                buf.clear();
            }
            if pads > 0 {
                // nothing but whitespace may follow the padding
                pads = usize::MAX / 2;
            }
        }
    }
    if n != 0 {
        return Err(Base64Error::InvalidLength);
    }
    out.write_all(&buf)?;
    written += buf.len() as u64;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Result<Vec<u8>, Base64Error> {
        let mut v = Vec::new();
        decode_to(s.as_bytes(), &mut v).map(|_| v)
    }

    #[test]
    fn decodes_with_whitespace_and_padding() {
        assert_eq!(dec("SGVs\nbG8=").unwrap(), b"Hello");
        assert_eq!(dec(" SGVsbG8h ").unwrap(), b"Hello!");
        assert_eq!(dec("SGk=\r\n").unwrap(), b"Hi");
        assert_eq!(dec("SA==").unwrap(), b"H");
        assert_eq!(dec("").unwrap(), b"");
    }

    #[test]
    fn rejects_bad_input() {
        assert!(matches!(
            dec("SGV*"),
            Err(Base64Error::InvalidByte {
                offset: 3,
                byte: b'*'
            })
        ));
        assert!(dec("SGV").is_err());
        assert!(dec("S===").is_err());
        assert!(dec("SA==SGVs").is_err());
        assert!(dec("SA=x").is_err());
    }

    #[test]
    fn large_payload_streams_in_chunks() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut enc = String::new();
        for c in data.chunks(3) {
            let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
            let w = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for k in 0..4 {
                if k <= c.len() {
                    enc.push(alphabet[((w >> (18 - 6 * k)) & 63) as usize] as char);
                } else {
                    enc.push('=');
                }
            }
            if enc.len() % 77 == 76 {
                enc.push('\n');
            }
        }
        assert_eq!(dec(&enc).unwrap(), data);
    }
}
