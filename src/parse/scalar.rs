//! Plain scalars resolved under the YAML 1.2 core schema, shared by both YAML paths.

use super::yaml::Value;

/// Resolves a plain scalar under the YAML 1.2 core schema (YAML 1.2.2, 10.3.2), whose regular
/// expressions are matched exactly: `0x-1`, `1_000` and `.5.` are strings.
pub(crate) fn resolve_plain(s: &str) -> Value {
    // Most scalars are words (`done`, `S-3`, `Export to CSV`): no special value starts with a
    // letter other than those of null, true and false, so skip the comparisons below.
    let Some(&first) = s.as_bytes().first() else {
        return Value::Null;
    };
    if first.is_ascii_alphabetic() && !matches!(first, b'n' | b'N' | b't' | b'T' | b'f' | b'F') {
        return Value::Str(s.to_string());
    }
    let text = || Box::<str>::from(s);
    match s {
        "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true, text()),
        "false" | "False" | "FALSE" => return Value::Bool(false, text()),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY, text())
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY, text()),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN, text()),
        _ => {}
    }
    let radix = |digits: &str, radix: u32| {
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        Some(match i64::from_str_radix(digits, radix) {
            Ok(i) => Value::Int(i, text()),
            // Beyond i64: still an integer, kept as the nearest float.
            Err(_) => Value::Float(
                digits.chars().fold(0.0, |n, c| {
                    n * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
                }),
                text(),
            ),
        })
    };
    if let Some(hex) = s.strip_prefix("0x") {
        if let Some(v) = radix(hex, 16) {
            return v;
        }
    } else if let Some(oct) = s.strip_prefix("0o") {
        if let Some(v) = radix(oct, 8) {
            return v;
        }
    } else if let Some(float) = core_number(s) {
        return match s.parse::<i64>() {
            Ok(i) if !float => Value::Int(i, text()),
            // Rust's float syntax is a superset of the core schema's, so this cannot fail.
            _ => Value::Float(s.parse().unwrap_or(f64::NAN), text()),
        };
    }
    Value::Str(s.to_string())
}

/// Whether `s` matches the core schema's decimal integer `[-+]? [0-9]+` (`Some(false)`) or its
/// float `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?` (`Some(true)`).
fn core_number(s: &str) -> Option<bool> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let whole = digits(&mut i);
    let mut float = false;
    if b.get(i) == Some(&b'.') {
        i += 1;
        float = true;
        if digits(&mut i) == 0 && whole == 0 {
            return None;
        }
    } else if whole == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        float = true;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    (i == b.len()).then_some(float)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_with_a_sign_is_a_string() {
        for s in [
            "0x-1", "0x+1", "0o-7", "0o+7", "0x", "0o", "0xG", "0o8", "-0x1", "0X1F",
        ] {
            assert_eq!(resolve_plain(s), Value::Str(s.into()), "{s}");
        }
        assert_eq!(resolve_plain("0x1F"), Value::Int(31, "0x1F".into()));
        assert_eq!(resolve_plain("0o17"), Value::Int(15, "0o17".into()));
    }

    #[test]
    fn scalars_follow_the_core_schema_regexes() {
        let int = |s: &str, i: i64| assert_eq!(resolve_plain(s), Value::Int(i, s.into()), "{s}");
        int("0", 0);
        int("-0", 0);
        int("+12", 12);
        int("007", 7);
        let float = |s: &str, f: f64| {
            assert_eq!(resolve_plain(s), Value::Float(f, s.into()), "{s}");
        };
        for (s, f) in [
            ("1.0", 1.0),
            ("1.", 1.0),
            (".5", 0.5),
            ("+.5", 0.5),
            ("-1.5e-3", -0.0015),
            ("1e3", 1000.0),
            ("1E+3", 1000.0),
            ("1.e3", 1000.0),
            ("12345678901234567890", 12345678901234567890.0),
            (".inf", f64::INFINITY),
            ("+.Inf", f64::INFINITY),
            ("-.INF", f64::NEG_INFINITY),
        ] {
            float(s, f);
        }
        assert!(matches!(resolve_plain(".NaN"), Value::Float(f, _) if f.is_nan()));
        // Integers too big for i64 are still numbers.
        assert!(matches!(
            resolve_plain("0xFFFFFFFFFFFFFFFFFF"),
            Value::Float(..)
        ));
        for s in ["true", "True", "TRUE"] {
            assert_eq!(resolve_plain(s), Value::Bool(true, s.into()));
        }
        for s in ["false", "False", "FALSE"] {
            assert_eq!(resolve_plain(s), Value::Bool(false, s.into()));
        }
        for s in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve_plain(s), Value::Null, "{s:?}");
        }
        // Not in the core schema: strings, whatever YAML 1.1 or Rust's parsers would say.
        for s in [
            ".",
            "+",
            "-",
            "e3",
            ".e3",
            "1e",
            "1e+",
            "1.2.3",
            "1_000",
            "+-1",
            "1+2",
            "inf",
            "nan",
            "Infinity",
            ".Nan",
            "+.nan",
            "-.nan",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "tRUE",
            "nULL",
            "0b101",
            "1:30",
            "0.5%",
            "１２",
            "2027-01-04",
            "1,5",
            " 1",
        ] {
            assert_eq!(resolve_plain(s), Value::Str(s.into()), "{s:?}");
        }
    }
}
