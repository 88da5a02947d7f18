//! Field values sent as JSON, written as YAML that reads back as the same value.
//!
//! A JSON string is always a YAML string: quoted when it would otherwise read as a number, a
//! boolean, a list or null (`"5"`, `"yes"`, `"[a]"`), and with line breaks and other control
//! characters escaped, so a value is always one line and can never end the front matter or add
//! a field. Numbers, booleans, lists and objects keep their type (flow style: `[a, b]`,
//! `{ reach: 100 }`). `null` means "remove the field".

use crate::edit::quote;
use crate::new::yaml_scalar;
use serde_json::Value;

/// The YAML text for `value`, or `None` for `null`.
pub fn to_yaml(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        v => Some(node(v, false)),
    }
}

fn node(value: &Value, flow: bool) -> String {
    match value {
        Value::Null => "~".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, flow),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|v| node(v, true))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Object(map) => format!(
            "{{ {} }}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", string(k, true), node(v, true)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A string scalar; inside a flow collection, also quoted when it holds `,[]{}`.
fn string(s: &str, flow: bool) -> String {
    let out = yaml_scalar(s);
    if flow && !out.starts_with('"') && s.contains([',', '[', ']', '{', '}']) {
        quote(s, '"')
    } else {
        out
    }
}

/// Why a value cannot be a title, or `None` when it can: a title is one line of text.
pub fn bad_title(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if s.trim().is_empty() => Some("the title is empty".into()),
        Value::String(s) if s.chars().any(char::is_control) => Some(
            "the title must be one line of text (it holds a line break or a control character)"
                .into(),
        ),
        Value::String(_) => None,
        _ => Some("the title must be a string".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;
    use serde_json::json;

    /// Writes `value` as `k: YAML` and reads it back as JSON.
    fn round_trip(value: &Value) -> Value {
        let text = format!("k: {}\n", to_yaml(value).unwrap());
        assert_eq!(text.lines().count(), 1, "one line: {text:?}");
        let node = yaml::parse(&text, yaml::Origin { first_line: 1 }).unwrap();
        crate::query::to_json(node.get("k").unwrap())
    }

    #[test]
    fn every_value_reads_back_as_sent() {
        for v in [
            json!("done"),
            json!("5"),
            json!("yes"),
            json!("null"),
            json!("[S-1]"),
            json!("Export: CSV, fast"),
            json!("# not a comment"),
            json!("line one\nline two"),
            json!("---"),
            json!("\n---\nid: S-99\n---\n"),
            json!("tab\there"),
            json!(""),
            json!(5),
            json!(0.5),
            json!(true),
            json!(["S-1", "a, b", "[x]", 3]),
            json!({"reach": 100, "confidence": "80%", "note": "a: b"}),
            json!([]),
            json!({}),
        ] {
            assert_eq!(round_trip(&v), v, "{v}");
        }
        assert_eq!(to_yaml(&json!(null)), None);
    }

    #[test]
    fn plain_values_stay_plain() {
        assert_eq!(to_yaml(&json!("done")).unwrap(), "done");
        assert_eq!(to_yaml(&json!(["S-1", "S-2"])).unwrap(), "[S-1, S-2]");
        assert_eq!(
            to_yaml(&json!({"reach": 1, "effort": 0.5})).unwrap(),
            "{ reach: 1, effort: 0.5 }"
        );
        assert_eq!(to_yaml(&json!("5")).unwrap(), "\"5\"");
    }

    #[test]
    fn titles_are_one_line() {
        assert_eq!(bad_title(&json!("Export to CSV")), None);
        assert!(bad_title(&json!("a\nb")).is_some());
        assert!(bad_title(&json!("  ")).is_some());
        assert!(bad_title(&json!(3)).is_some());
    }
}
