//! Writing a typed value as YAML that reads back as meant.

use crate::parse::yaml::{self, Node, Value};

/// A node as one line of flow YAML.
pub fn compact(node: &Node) -> String {
    match &node.value {
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(compact).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", compact(k), compact(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Null => "~".into(),
        _ => node.scalar_text().unwrap_or_default(),
    }
}

/// `value` as YAML for a spot after `key: ` (or inside a flow mapping when `flow`): as typed when
/// it reads back as the intended value (a number, a list, a plain string), else double-quoted.
pub fn to_yaml(value: &str, flow: bool) -> String {
    let v = value.trim();
    match classify(v, flow) {
        Shape::AsTyped | Shape::Text { plain: true } => v.to_string(),
        Shape::Text { plain: false } => quote(v, '"'),
    }
}

pub(super) enum Shape {
    /// YAML the user wrote on purpose: a number, boolean, null, flow collection, quoted scalar.
    AsTyped,
    /// A string; `plain` when it reads back unquoted.
    Text { plain: bool },
}

pub(super) fn classify(v: &str, flow: bool) -> Shape {
    if v.is_empty() || v.contains(['\n', '\r']) {
        return Shape::Text { plain: false };
    }
    let doc = if flow {
        format!("k: {{a: {v}}}")
    } else {
        format!("k: {v}")
    };
    let Ok(root) = yaml::parse(&doc, yaml::Origin { first_line: 1 }) else {
        return Shape::Text { plain: false };
    };
    let node = if flow {
        root.get("k")
            .filter(|m| m.as_map().is_some_and(|m| m.len() == 1))
            .and_then(|m| m.get("a"))
    } else {
        root.as_map()
            .filter(|m| m.len() == 1)
            .and_then(|_| root.get("k"))
    };
    let Some(node) = node else {
        return Shape::Text { plain: false };
    };
    let whole = node.span.len == v.chars().count();
    match &node.value {
        Value::Seq(_) | Value::Map(_) if v.starts_with(['[', '{']) => Shape::AsTyped,
        Value::Str(_) if v.starts_with(['"', '\'']) => Shape::AsTyped,
        Value::Int(..) | Value::Float(..) | Value::Bool(..) if whole => Shape::AsTyped,
        Value::Null if matches!(v, "~" | "null" | "Null" | "NULL") => Shape::AsTyped,
        Value::Str(s) => Shape::Text {
            plain: s == v && !(flow && v.contains([',', '[', ']', '{', '}'])),
        },
        _ => Shape::Text { plain: false },
    }
}

/// `s` as a quoted YAML scalar in `style` (`'` or `"`); single quotes fall back to double when
/// `s` has characters outside YAML's printable set, which only double quotes can escape.
pub fn quote(s: &str, style: char) -> String {
    if style == '\'' && !s.chars().any(unprintable) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if unprintable(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters a YAML writer must escape (5.1): controls, and the BOM and non-characters that
/// YAML reads only inside quotes.
fn unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
}
