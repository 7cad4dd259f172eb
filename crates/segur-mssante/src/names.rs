//! ISO 9660 level 1 ("8.3", upper case) file names, as XDM validators and French senders
//! expect them inside `IHE_XDM.ZIP`.

/// Whether `name` is an 8.3 upper-case name: 1 to 8 characters of `A-Z 0-9 _ -`, then
/// optionally a dot and 1 to 3 more.
pub fn is_dos_name(name: &str) -> bool {
    let ok = |s: &str, max: usize| {
        !s.is_empty()
            && s.len() <= max
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    };
    match name.split_once('.') {
        Some((stem, ext)) => ok(stem, 8) && ok(ext, 3),
        None => ok(name, 8),
    }
}

/// Appends the unaccented upper-case ASCII form of a Latin character to `out` (nothing for
/// characters without one).
fn fold_into(c: char, out: &mut String) {
    let folded = match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '_' | '-' => {
            out.push(c.to_ascii_uppercase());
            return;
        }
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "A",
        'ç' | 'Ç' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' | 'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "U",
        'ý' | 'ÿ' | 'Ý' => "Y",
        'œ' | 'Œ' => "OE",
        'æ' | 'Æ' => "AE",
        ' ' | '.' | '\'' => "_",
        _ => "",
    };
    out.push_str(folded);
}

fn fold_part(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        fold_into(c, &mut out);
    }
    out.truncate(max);
    out
}

/// Turns any file name into an 8.3 upper-case name: diacritics stripped, upper-cased, other
/// characters dropped, stem cut to 8 and extension to 3 characters. Returns `None` when nothing
/// usable is left (the caller then numbers the file).
pub fn to_dos_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (stem, ext) = match base.rsplit_once('.') {
        Some((s, e)) => (s, Some(e)),
        None => (base, None),
    };
    let stem = fold_part(stem, 8);
    if stem.is_empty() {
        return None;
    }
    let ext = ext.map(|e| fold_part(&e.replace(['_', '-'], ""), 3));
    let out = match ext {
        Some(e) if !e.is_empty() => format!("{stem}.{e}"),
        _ => stem,
    };
    is_dos_name(&out).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn recognises_dos_names() {
        for good in ["DOC0001.XML", "README.TXT", "A", "X_1-2.PD"] {
            assert!(is_dos_name(good), "{good}");
        }
        for bad in [
            "doc.xml",
            "DOCUMENT01.XML",
            "A.HTML",
            ".XML",
            "A.",
            "A B.XML",
            "É.XML",
        ] {
            assert!(!is_dos_name(bad), "{bad}");
        }
    }

    #[test]
    fn folds_french_names() {
        assert_eq!(
            to_dos_name("compte-rendu opératoire.xml").as_deref(),
            Some("COMPTE-R.XML")
        );
        assert_eq!(to_dos_name("Élève.pdf").as_deref(), Some("ELEVE.PDF"));
        assert_eq!(to_dos_name("dir\\cœur.html").as_deref(), Some("COEUR.HTM"));
        assert_eq!(to_dos_name("日本.xml"), None);
    }

    proptest! {
        #[test]
        fn folded_names_are_dos_names(name in "\\PC{0,40}") {
            if let Some(n) = to_dos_name(&name) {
                prop_assert!(is_dos_name(&n), "{n}");
            }
        }
    }
}
