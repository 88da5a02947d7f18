//! Front-matter values the importer writes, as typed values: rendered to YAML for a new file or a
//! `cairn set` edit, read back from a file's YAML to compare, and stored in the import state.

use crate::model::fmt_num;
use crate::parse::yaml::{Node, Value};
use serde::{Deserialize, Serialize};

/// A field value, compared by meaning: `owner: ana` and `owner: [ana]` are the same names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// A number.
    Num(f64),
    /// Text.
    Text(String),
    /// A list of text.
    List(Vec<String>),
}

impl Serialize for FieldValue {
    /// As JSON a person reads: a whole number without `.0`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValue::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => s.serialize_i64(*n as i64),
            FieldValue::Num(n) => s.serialize_f64(*n),
            FieldValue::Text(t) => s.serialize_str(t),
            FieldValue::List(v) => v.serialize(s),
        }
    }
}

/// How a field's value is compared and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One piece of text.
    Text,
    /// A number.
    Number,
    /// A list (`tags`, `depends_on`).
    List,
    /// Text or a list, compared as a list (`owner`, `assignee`, `external`); one name is written
    /// as text.
    Names,
}

impl FieldValue {
    /// The value as YAML after `key: `.
    pub fn to_yaml(&self, shape: Shape) -> String {
        match (self, shape) {
            (FieldValue::Num(n), _) => fmt_num(*n),
            (FieldValue::Text(s), _) => scalar(s),
            (FieldValue::List(v), Shape::Names) if v.len() == 1 => scalar(&v[0]),
            (FieldValue::List(v), _) => flow_list(v),
        }
    }

    /// The value written in `node`, read the way `shape` compares it; `None` when it is not of
    /// that shape (a map, a nested list), so it never equals what an import would write.
    pub fn from_node(node: &Node, shape: Shape) -> Option<FieldValue> {
        let text = |n: &Node| match &n.value {
            Value::Str(_) | Value::Int(..) | Value::Float(..) | Value::Bool(..) => n.scalar_text(),
            _ => None,
        };
        match (shape, &node.value) {
            (_, Value::Null) => None,
            (Shape::Number, _) => node.as_f64().map(FieldValue::Num),
            (Shape::Text, _) => text(node).map(FieldValue::Text),
            (Shape::List | Shape::Names, Value::Seq(items)) => items
                .iter()
                .map(text)
                .collect::<Option<Vec<_>>>()
                .map(FieldValue::List),
            (Shape::Names, _) => text(node).map(|s| FieldValue::List(vec![s])),
            (Shape::List, _) => None,
        }
    }

    /// The value for a summary line (`done`, `[a, b]`).
    pub fn display(&self) -> String {
        match self {
            FieldValue::Num(n) => fmt_num(*n),
            FieldValue::Text(s) => s.clone(),
            FieldValue::List(v) => format!("[{}]", v.join(", ")),
        }
    }
}

/// `s` as a YAML scalar that reads back as the same string, plain when that is safe.
pub fn scalar(s: &str) -> String {
    if is_plain_word(s) {
        return s.to_string();
    }
    crate::new::yaml_scalar(s)
}

/// `s` as an entry of a flow list: as [`scalar`], quoted when it holds a flow indicator.
pub fn flow_item(s: &str) -> String {
    if is_plain_word(s) {
        return s.to_string();
    }
    let plain = crate::new::yaml_scalar(s);
    if plain.starts_with('"') || !s.contains([',', '[', ']', '{', '}']) {
        plain
    } else {
        crate::edit::quote(s, '"')
    }
}

/// `[a, b]`.
pub fn flow_list(items: &[String]) -> String {
    let mut out = String::from("[");
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&flow_item(s));
    }
    out.push(']');
    out
}

/// A string that is plain YAML text in any context without asking the parser: a letter first,
/// then letters, digits, single spaces, `-`, `_`, `.`, `/`, or `#` not after a space, and no word
/// YAML reads as something else. Most titles, statuses, names and keys are; the rest go through
/// the parser.
fn is_plain_word(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    if !first.is_ascii_alphabetic() || b[b.len() - 1] == b' ' {
        return false;
    }
    let mut prev = first;
    for &c in &b[1..] {
        let ok = c.is_ascii_alphanumeric()
            || matches!(c, b'-' | b'_' | b'.' | b'/')
            || (c == b' ' && prev != b' ')
            || (c == b'#' && prev != b' ');
        if !ok {
            return false;
        }
        prev = c;
    }
    !matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::yaml;

    fn read_back(text: &str) -> Node {
        let doc = format!("k: {text}\n");
        yaml::parse(&doc, yaml::Origin { first_line: 1 })
            .unwrap()
            .get("k")
            .unwrap()
            .clone()
    }

    #[test]
    fn every_value_reads_back_as_written() {
        let texts = [
            "Export to CSV",
            "Export: CSV",
            "42",
            "1.10",
            "yes",
            "@codex",
            "#1 bug",
            "jira:PROJ-12",
            "github:o/r#3",
            "a, b",
            "[draft]",
            "  padded ",
            "it's",
            "say \"hi\"",
            "M3 - GUI",
            "null",
            "~",
            "-",
            "? x",
            "tab\there",
        ];
        for t in texts {
            let v = FieldValue::Text(t.to_string());
            let node = read_back(&v.to_yaml(Shape::Text));
            assert_eq!(
                node.as_str(),
                Some(t),
                "{t:?} written as {}",
                v.to_yaml(Shape::Text)
            );
            let list = FieldValue::List(vec![t.to_string(), "x".into()]);
            let node = read_back(&list.to_yaml(Shape::List));
            assert_eq!(
                FieldValue::from_node(&node, Shape::List),
                Some(list.clone()),
                "{t:?} in {}",
                list.to_yaml(Shape::List)
            );
        }
    }

    #[test]
    fn names_compare_as_lists() {
        let one = FieldValue::List(vec!["ana".into()]);
        assert_eq!(one.to_yaml(Shape::Names), "ana");
        assert_eq!(
            FieldValue::from_node(&read_back("ana"), Shape::Names),
            Some(one.clone())
        );
        assert_eq!(
            FieldValue::from_node(&read_back("[ana]"), Shape::Names),
            Some(one)
        );
        assert_eq!(
            FieldValue::from_node(&read_back("{a: 1}"), Shape::Names),
            None
        );
        assert_eq!(
            FieldValue::from_node(&read_back("3.0"), Shape::Number),
            Some(FieldValue::Num(3.0))
        );
        assert_eq!(FieldValue::Num(0.5).to_yaml(Shape::Number), "0.5");
        let json =
            serde_json::to_string(&[FieldValue::Num(272000.0), FieldValue::Num(0.5)]).unwrap();
        assert_eq!(json, "[272000,0.5]");
        let back: Vec<FieldValue> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [FieldValue::Num(272000.0), FieldValue::Num(0.5)]);
    }
}
