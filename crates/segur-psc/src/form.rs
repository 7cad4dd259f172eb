//! `application/x-www-form-urlencoded` encoding and decoding, and URL checks.

use http::Uri;

/// Appends `s` percent-encoded (every byte but the RFC 3986 unreserved ones).
pub(crate) fn encode_into(out: &mut String, s: &str) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// `k1=v1&k2=v2`, every name and value percent-encoded.
pub(crate) fn encode_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        encode_into(&mut out, k);
        out.push('=');
        encode_into(&mut out, v);
    }
    out
}

/// Decodes one form component (`+` is a space). `None` on bad escapes or non-UTF-8 results.
pub(crate) fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Splits a query (or form body) into decoded pairs. `None` on a bad escape.
pub(crate) fn decode_pairs(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}

/// Why a URL is not acceptable as a provider endpoint.
pub(crate) fn check_endpoint_url(url: &str, allow_http_loopback: bool) -> Result<Uri, String> {
    let uri: Uri = url
        .parse()
        .map_err(|_| format!("{url:?} is not an absolute URL"))?;
    let host = uri
        .host()
        .ok_or_else(|| format!("{url:?} has no host"))?
        .to_owned();
    if url.contains('#') {
        return Err(format!("{url:?} has a fragment"));
    }
    match uri.scheme_str() {
        Some("https") => Ok(uri),
        Some("http") if allow_http_loopback && is_loopback(&host) => Ok(uri),
        Some("http") => Err(format!(
            "{url:?} is not https (plain http is accepted only on loopback, when allowed)"
        )),
        _ => Err(format!("{url:?} is not an https URL")),
    }
}

/// Whether `host` names the loopback interface.
pub(crate) fn is_loopback(host: &str) -> bool {
    host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host.starts_with("127.")
}

/// The host of an absolute URL, lowercased.
pub(crate) fn host_of(url: &str) -> Option<String> {
    url.parse::<Uri>().ok()?.host().map(str::to_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_and_decodes() {
        let e = encode_pairs([("scope", "openid scope_all"), ("x", "a&b=c/é")]);
        assert_eq!(e, "scope=openid%20scope_all&x=a%26b%3Dc%2F%C3%A9");
        let d = decode_pairs(&e).unwrap();
        assert_eq!(d[0], ("scope".into(), "openid scope_all".into()));
        assert_eq!(d[1].1, "a&b=c/é");
        assert_eq!(decode("a+b%20c").unwrap(), "a b c");
        assert!(decode("%zz").is_none());
        assert!(decode("%4").is_none());
        assert!(decode("%ff").is_none());
    }

    #[test]
    fn endpoint_urls() {
        assert!(check_endpoint_url("https://auth.esw.esante.gouv.fr/x", false).is_ok());
        assert!(check_endpoint_url("http://auth.esw.esante.gouv.fr/x", true).is_err());
        assert!(check_endpoint_url("http://127.0.0.1:3000/x", true).is_ok());
        assert!(check_endpoint_url("http://127.0.0.1:3000/x", false).is_err());
        assert!(check_endpoint_url("/relative", true).is_err());
        assert!(check_endpoint_url("https://a.example/x#frag", true).is_err());
        assert!(check_endpoint_url("ftp://a.example/x", true).is_err());
        assert_eq!(
            host_of("https://WALLET.esw.esante.gouv.fr/auth").unwrap(),
            "wallet.esw.esante.gouv.fr"
        );
    }

    proptest::proptest! {
        #[test]
        fn form_round_trip(k in ".{0,20}", v in ".{0,40}") {
            let e = encode_pairs([(k.as_str(), v.as_str())]);
            let d = decode_pairs(&e).unwrap();
            if k.is_empty() && v.is_empty() {
                proptest::prop_assert_eq!(d, vec![(String::new(), String::new())]);
            } else {
                proptest::prop_assert_eq!(d, vec![(k, v)]);
            }
        }
    }
}
