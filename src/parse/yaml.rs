//! YAML with a location on every key and value.
//!
//! serde_yaml loses positions, and cairn must point at `rice.effort` itself, not at `rice:`; so the
//! event stream of `saphyr-parser` is folded into a small tree of [`Node`]s that keep their spans.
//! Aliases are expanded under a budget and nesting is capped, so alias bombs and deep documents end
//! in a located error instead of exhausting memory or the stack.

use super::scalar::resolve_plain;
use crate::diagnostic::Span;
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// Deepest nesting of sequences and mappings accepted.
pub const MAX_DEPTH: usize = 64;
/// Most nodes a document may expand to, aliases included.
pub const MAX_NODES: usize = 100_000;

/// A YAML value with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value starts in the file.
    pub span: Span,
}

/// A YAML value under the core schema.
///
/// Booleans and numbers keep the text they were written as (`True`, `007`, `1.10`), so that a
/// field whose type is text reads what the user wrote; only numeric fields use the number.
#[derive(Debug, Clone)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` or `false`, and the text as written.
    Bool(bool, Box<str>),
    /// An integer, and the text as written.
    Int(i64, Box<str>),
    /// A float, including `.inf` and `.nan`, and the text as written.
    Float(f64, Box<str>),
    /// A string; quoted scalars are always strings.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order; duplicate keys are kept for the caller to report.
    Map(Vec<(Node, Node)>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a, x), Value::Bool(b, y)) => a == b && x == y,
            (Value::Int(a, x), Value::Int(b, y)) => a == b && x == y,
            // By bits, so that `.nan` equals itself: two readings of one text must compare equal.
            (Value::Float(a, x), Value::Float(b, y)) => a.to_bits() == b.to_bits() && x == y,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Seq(a), Value::Seq(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            _ => false,
        }
    }
}

impl Node {
    /// The string, if this is a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is an integer or a float.
    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i, _) => Some(i as f64),
            Value::Float(f, _) => Some(f),
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The elements, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    /// The value under a string key of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The text of a non-null scalar: a string's content, or a boolean or number exactly as
    /// written (`True`, `007`, `1.10`); `None` for null and collections.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Bool(_, t) | Value::Int(_, t) | Value::Float(_, t) => Some(t),
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar as text, as the user wrote it (`5`, `true`, `S-3`, `1.10`); empty for null,
    /// `None` for collections.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Null => Some(String::new()),
            _ => self.text().map(str::to_string),
        }
    }

    /// A short name of the value's type for messages ("a list", "a number").
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "empty",
            Value::Bool(..) => "a boolean",
            Value::Int(..) | Value::Float(..) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Why a YAML document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Where the problem is.
    pub span: Span,
    /// What the problem is.
    pub message: String,
}

/// Where the YAML text sits in its file, so spans are file positions.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    /// The file line of the text's first line (1-based).
    pub first_line: usize,
}

fn span_of(origin: Origin, s: &saphyr_parser::Span) -> Span {
    let len = if s.end.line() == s.start.line() {
        s.end.index().saturating_sub(s.start.index())
    } else {
        1
    };
    Span::new(
        origin.first_line + s.start.line() - 1,
        s.start.col() + 1,
        len,
    )
}

enum Frame {
    Seq(Vec<Node>, Span, usize),
    Map(Vec<(Node, Node)>, Option<Node>, Span, usize),
}

/// Parses one YAML document. An empty document is `Null`.
pub fn parse(text: &str, origin: Origin) -> Result<Node, YamlError> {
    match super::fast_yaml::parse(text, origin) {
        Some(node) => Ok(node),
        None => parse_full(text, origin),
    }
}

/// Parses one YAML document with the complete parser (no fast path).
pub fn parse_full(text: &str, origin: Origin) -> Result<Node, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut nodes = 0usize;
    let mut root: Option<Node> = None;
    let mut docs = 0;

    while let Some(next) = parser.next_event() {
        let (event, raw_span) = next.map_err(|e| YamlError {
            span: Span::new(
                origin.first_line + e.marker().line() - 1,
                e.marker().col() + 1,
                1,
            ),
            message: if e.info().contains("recursion limit") {
                format!("YAML nested deeper than {MAX_DEPTH} levels")
            } else {
                e.info().to_string()
            },
        })?;
        let span = span_of(origin, &raw_span);
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => continue,
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    return Err(YamlError {
                        span,
                        message: "more than one YAML document in the front matter".into(),
                    });
                }
                continue;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError {
                        span,
                        message: format!("YAML nested deeper than {MAX_DEPTH} levels"),
                    });
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq(Vec::new(), span, anchor)
                } else {
                    Frame::Map(Vec::new(), None, span, anchor)
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, span, anchor) = match stack.pop() {
                    Some(Frame::Seq(items, span, anchor)) => (Value::Seq(items), span, anchor),
                    Some(Frame::Map(entries, _, span, anchor)) => {
                        (Value::Map(entries), span, anchor)
                    }
                    None => continue,
                };
                let node = Node { value, span };
                if anchor != 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::Scalar(text, style, anchor, tag) => {
                let is_str_tag = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == ScalarStyle::Plain && !is_str_tag {
                    resolve_plain(&text)
                } else {
                    Value::Str(text.into_owned())
                };
                let node = Node { value, span };
                if anchor != 0 {
                    anchors.insert(anchor, node.clone());
                }
                node
            }
            Event::Alias(id) => {
                let target = anchors.get(&id).ok_or_else(|| YamlError {
                    span,
                    message: "alias to an unknown anchor".into(),
                })?;
                let size = count(target);
                nodes += size;
                if nodes > MAX_NODES {
                    return Err(YamlError {
                        span,
                        message: format!(
                            "YAML aliases expand to more than {MAX_NODES} values (an alias bomb?)"
                        ),
                    });
                }
                let mut copy = target.clone();
                copy.span = span;
                copy
            }
        };
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(YamlError {
                span,
                message: format!("YAML document has more than {MAX_NODES} values"),
            });
        }
        match stack.last_mut() {
            Some(Frame::Seq(items, ..)) => items.push(node),
            Some(Frame::Map(entries, key, ..)) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(node),
            },
            None => root = Some(node),
        }
    }
    Ok(root.unwrap_or(Node {
        value: Value::Null,
        span: Span::new(origin.first_line, 1, 0),
    }))
}

fn count(node: &Node) -> usize {
    // Iterative so that counting cannot overflow the stack either.
    let mut total = 0;
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        total += 1;
        match &n.value {
            Value::Seq(items) => todo.extend(items),
            Value::Map(entries) => {
                for (k, v) in entries {
                    todo.push(k);
                    todo.push(v);
                }
            }
            _ => {}
        }
        if total > MAX_NODES {
            break;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Node, YamlError> {
        parse(s, Origin { first_line: 2 })
    }

    #[test]
    fn nested_values_keep_their_own_line() {
        let n = p("id: S-1\nrice:\n  reach: 10\n  effort: 0.5\n").unwrap();
        let effort = n.get("rice").unwrap().get("effort").unwrap();
        assert_eq!(effort.value, Value::Float(0.5, "0.5".into()));
        assert_eq!(effort.span, Span::new(5, 11, 3));
        let key = &n.as_map().unwrap()[1].0;
        assert_eq!(key.span, Span::new(3, 1, 4));
    }

    #[test]
    fn scalars_resolve_like_the_core_schema() {
        let n = p("a: 5\nb: '5'\nc: 80%\nd: ~\ne: true\nf: 2027-01-04\ng: 1e3\n").unwrap();
        assert_eq!(n.get("a").unwrap().value, Value::Int(5, "5".into()));
        assert_eq!(n.get("b").unwrap().value, Value::Str("5".into()));
        assert_eq!(n.get("c").unwrap().value, Value::Str("80%".into()));
        assert_eq!(n.get("d").unwrap().value, Value::Null);
        assert_eq!(n.get("e").unwrap().value, Value::Bool(true, "true".into()));
        assert_eq!(n.get("f").unwrap().value, Value::Str("2027-01-04".into()));
        assert_eq!(
            n.get("g").unwrap().value,
            Value::Float(1000.0, "1e3".into())
        );
    }

    #[test]
    fn alias_bomb_is_an_error() {
        let mut doc = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = p(&doc).unwrap_err();
        assert!(err.message.contains("alias"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let doc = format!("a: {}{}", "[".repeat(5000), "]".repeat(5000));
        let err = p(&doc).unwrap_err();
        assert!(err.message.contains("nested deeper"), "{}", err.message);
        assert_eq!(err.span.line, 2);
    }

    #[test]
    fn syntax_error_is_located() {
        let err = p("id: S-1\ntitle: [unclosed\nstatus: done\n").unwrap_err();
        assert!(err.span.line >= 3, "{:?}", err);
    }
}
