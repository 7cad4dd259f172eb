//! Differential test against python-stdnum (`stdnum.fr.nir.is_valid`), the reference NIR checker.
//!
//! 12,000 candidates are generated deterministically (valid, wrong key, Corsica, bad characters,
//! separators, bad lengths), judged once by `tests/stdnum_oracle.py` over stdin/stdout, and
//! compared:
//! * the lenient [`Profile::Nir`] must give exactly python-stdnum's verdict on every candidate;
//! * the strict [`Profile::Ins`] may only differ by refusing what python-stdnum accepts, and
//!   each such refusal must be one of the two documented INS rules (first digit not 1/2, month
//!   `00`/`13`-`19`).
//!
//! The test fails (never skips) when python3 or python-stdnum is missing.

use std::io::Write;
use std::process::{Command, Stdio};

use segur_ins::{InsError, Matricule, Profile};

/// xorshift64*: a tiny deterministic generator, so every run sees the same candidates.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn digit(&mut self) -> char {
        char::from(b'0' + u8::try_from(self.below(10)).unwrap())
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| self.digit()).collect()
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Key computed independently of the crate: textual 2A→19 / 2B→18, then 128-bit arithmetic.
fn reference_key(body: &str) -> u8 {
    let dept = match &body[5..7] {
        "2A" | "2a" => "19",
        "2B" | "2b" => "18",
        d => d,
    };
    let n: u128 = format!("{}{dept}{}", &body[..5], &body[7..])
        .parse()
        .unwrap();
    u8::try_from(97 - n % 97).unwrap()
}

/// A 13-character body; `ins_like` bodies have a first digit 1/2 and a month the INS allows.
fn body(rng: &mut Rng, ins_like: bool, corsica: bool) -> String {
    let head = if ins_like {
        let month = match rng.below(3) {
            0 => format!("{:02}", 1 + rng.below(12)),
            _ => format!("{:02}", 20 + rng.below(80)),
        };
        format!("{}{}{month}", rng.pick(&['1', '2']), rng.digits(2))
    } else {
        // half of them with an INS first digit, so that the month rule shows up too
        let first = if rng.below(2) == 0 {
            rng.pick(&['1', '2'])
        } else {
            rng.digit()
        };
        format!("{first}{}", rng.digits(4))
    };
    let dept = if corsica || rng.below(6) == 0 {
        rng.pick(&["2A", "2B"]).to_owned()
    } else {
        rng.digits(2)
    };
    format!("{head}{dept}{}", rng.digits(6))
}

fn valid(rng: &mut Rng, corsica: bool) -> String {
    let ins_like = rng.below(2) == 0;
    let b = body(rng, ins_like, corsica);
    format!("{b}{:02}", reference_key(&b))
}

/// Characters inserted or substituted by the "bad characters" family. Deliberately excludes the
/// Unicode look-alikes python-stdnum folds and segur refuses (full-width digits, middle dots,
/// Unicode dashes...): that difference is documented in the crate README.
const BAD: &[char] = &[
    'A', 'B', 'C', 'Z', 'a', 'b', 'x', '-', '/', '_', ',', ':', '*', '+', '#', '\'', 'é', 'ß', 'Ω',
    '\u{a0}', '\u{202f}', '\t', ' ', '.', '0', '9',
];

fn candidates() -> Vec<(&'static str, String)> {
    let mut rng = Rng(0x5EC0_2A2B_0097_1D1D);
    let mut out = Vec::new();
    for _ in 0..3000 {
        out.push(("valid", valid(&mut rng, false)));
    }
    for _ in 0..2000 {
        let ins_like = rng.below(2) == 0;
        let b = body(&mut rng, ins_like, false);
        let wrong = (reference_key(&b) + 1 + u8::try_from(rng.below(99)).unwrap()) % 100;
        out.push(("wrong key", format!("{b}{wrong:02}")));
    }
    for _ in 0..2000 {
        let ins_like = rng.below(2) == 0;
        let b = body(&mut rng, ins_like, true);
        let right = reference_key(&b);
        let naive = reference_key(&format!("{}20{}", &b[..5], &b[7..]));
        let other = format!(
            "{}{}{}",
            &b[..6],
            if &b[6..7] == "A" { "B" } else { "A" },
            &b[7..]
        );
        let c = match rng.below(6) {
            0 | 1 => format!("{b}{right:02}"),
            2 => format!("{b}{right:02}").to_lowercase(),
            3 => format!("{b}{naive:02}"),
            4 => format!("{other}{right:02}"),
            _ => {
                // a letter where it is not allowed
                let mut chars: Vec<char> = format!("{b}{right:02}").chars().collect();
                let at = rng.pick(&[0, 3, 4, 5, 7, 8, 12, 13]);
                chars[at] = rng.pick(&['A', 'B', 'C']);
                chars.into_iter().collect()
            }
        };
        out.push(("Corsica", c));
    }
    for _ in 0..2500 {
        let mut chars: Vec<char> = valid(&mut rng, false).chars().collect();
        let at = rng.below(chars.len() + 1);
        let c = rng.pick(BAD);
        if rng.below(2) == 0 && at < chars.len() {
            chars[at] = c;
        } else {
            chars.insert(at, c);
        }
        out.push(("bad characters", chars.into_iter().collect()));
    }
    for _ in 0..1500 {
        let base = if rng.below(3) == 0 {
            let b = body(&mut rng, true, false);
            format!("{b}{:02}", (reference_key(&b) + 50) % 100)
        } else {
            valid(&mut rng, false)
        };
        let mut s = String::new();
        for (i, c) in base.chars().enumerate() {
            if [1, 3, 5, 7, 10, 13].contains(&i) || rng.below(8) == 0 {
                s.push(rng.pick(&[' ', '.', '\u{a0}', '\u{202f}', ' ']));
            }
            s.push(c);
        }
        let pad = ["", " ", "\t", "  ", ". "];
        out.push((
            "separators",
            format!("{}{s}{}", rng.pick(&pad), rng.pick(&pad)),
        ));
    }
    for _ in 0..1000 {
        let v = valid(&mut rng, false);
        let c = match rng.below(4) {
            0 => v[..v.len() - 1 - rng.below(3)].to_owned(),
            1 => {
                let n = 1 + rng.below(3);
                format!("{v}{}", rng.digits(n))
            }
            2 => v[..13].to_owned(),
            _ => v[..rng.below(4)].to_owned(),
        };
        out.push(("length", c));
    }
    out
}

/// Runs the python-stdnum oracle once over every candidate.
fn stdnum_verdicts(candidates: &[(&str, String)]) -> Vec<bool> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/stdnum_oracle.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run python3 ({e}): this test needs python3 with python-stdnum, see .ci/run"
            )
        });
    let input: String = candidates.iter().map(|(_, c)| format!("{c}\n")).collect();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    assert!(
        output.status.success(),
        "the python-stdnum oracle failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    written.expect("candidates written to the oracle");
    let verdicts: Vec<bool> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| match l {
            "valid" => true,
            "invalid" => false,
            other => panic!("unexpected oracle output {other:?}"),
        })
        .collect();
    assert_eq!(
        verdicts.len(),
        candidates.len(),
        "one verdict per candidate"
    );
    verdicts
}

#[test]
fn same_verdicts_as_python_stdnum() {
    let candidates = candidates();
    assert!(candidates.len() >= 10_000);
    assert!(candidates.iter().all(|(_, c)| !c.contains(['\n', '\r'])));
    let oracle = stdnum_verdicts(&candidates);

    let mut lenient_mismatches = Vec::new();
    let mut strict_unexplained = Vec::new();
    let (mut sex_rule, mut month_rule, mut valid, mut corsica_valid) = (0, 0, 0, 0);
    for ((family, candidate), &stdnum) in candidates.iter().zip(&oracle) {
        let lenient = Matricule::parse_with(candidate, Profile::Nir);
        if lenient.is_ok() != stdnum {
            lenient_mismatches.push(format!(
                "{family}: {candidate:?} stdnum={stdnum} segur={lenient:?}"
            ));
        }
        valid += usize::from(stdnum);
        let upper = candidate.to_uppercase();
        corsica_valid += usize::from(stdnum && (upper.contains("2A") || upper.contains("2B")));
        match (Matricule::parse_with(candidate, Profile::Ins), stdnum) {
            (Ok(_), true) | (Err(_), false) => {}
            (Err(InsError::SexDigit { .. }), true) => sex_rule += 1,
            (Err(InsError::Month { .. }), true) => month_rule += 1,
            (strict, _) => strict_unexplained.push(format!(
                "{family}: {candidate:?} stdnum={stdnum} segur={strict:?}"
            )),
        }
    }
    eprintln!(
        "{} candidates, {valid} valid for python-stdnum ({corsica_valid} Corsica); \
         refused by the strict profile only: {sex_rule} first digit, {month_rule} month",
        candidates.len()
    );
    assert!(
        lenient_mismatches.is_empty(),
        "{} lenient verdicts differ from python-stdnum, e.g.:\n{}",
        lenient_mismatches.len(),
        lenient_mismatches[..lenient_mismatches.len().min(20)].join("\n")
    );
    assert!(
        strict_unexplained.is_empty(),
        "{} strict verdicts differ from python-stdnum without a documented reason, e.g.:\n{}",
        strict_unexplained.len(),
        strict_unexplained[..strict_unexplained.len().min(20)].join("\n")
    );
    // the families really exercise both verdicts and both documented strict rules
    assert!(
        valid >= 4000 && candidates.len() - valid >= 5000,
        "{valid} valid"
    );
    assert!(
        corsica_valid >= 800,
        "{corsica_valid} valid Corsica candidates"
    );
    assert!(
        sex_rule >= 500 && month_rule >= 50,
        "sex rule {sex_rule}, month rule {month_rule}"
    );
}
