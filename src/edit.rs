//! Minimal in-place edits of an item's front matter (`cairn set`, and every command that writes).
//!
//! An edit changes only the text it must: the value of one key, one new line, or the lines of one
//! removed key. Everything else (comments, key order, quoting, blank lines, CRLF line endings, a
//! byte-order mark, the body) stays byte for byte. Positions come from the spanned YAML tree of
//! [`crate::parse::yaml`]; the extent of each value is found by scanning the text from there.

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Level, Severity};
use crate::parse::item::parse_file;
use crate::source::Source;
use doc::Doc;
use std::collections::HashMap;

mod doc;
pub mod line_diff;
pub mod set;
mod value;

pub use value::{compact, quote, to_yaml};

/// One change: set `path` (`status`, `rice.effort`) to a YAML value, or remove it (`None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEdit {
    /// The keys from the top of the front matter down (`["rice", "effort"]`).
    pub path: Vec<String>,
    /// The value as YAML text, as typed (`done`, `[S-1, S-2]`, `Export: CSV`); `None` removes.
    pub value: Option<String>,
}

impl FieldEdit {
    /// Parses `FIELD=VALUE` as typed on the command line; an empty VALUE removes the field.
    pub fn parse(arg: &str) -> Result<FieldEdit, EditError> {
        let (field, value) = arg
            .split_once('=')
            .ok_or_else(|| EditError::Syntax(arg.to_string()))?;
        let value = value.trim();
        FieldEdit::new(field.trim(), (!value.is_empty()).then(|| value.to_string()))
    }

    /// An edit of the dotted field `field` (`rice.effort`).
    pub fn new(field: &str, value: Option<String>) -> Result<FieldEdit, EditError> {
        let path: Vec<String> = field.split('.').map(str::to_string).collect();
        let valid = |k: &String| {
            let mut chars = k.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        if !path.iter().all(valid) {
            return Err(EditError::BadField(field.to_string()));
        }
        Ok(FieldEdit { path, value })
    }

    /// The dotted field name (`rice.effort`).
    pub fn field(&self) -> String {
        self.path.join(".")
    }
}

/// Why an edit was not made.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EditError {
    /// The argument is not `FIELD=VALUE`.
    #[error("expected FIELD=VALUE, found `{0}`")]
    Syntax(String),
    /// The field name is not a plain key path.
    #[error("`{0}` is not a field name (letters, digits, `_` and `-`, nested keys joined by `.`)")]
    BadField(String),
    /// The file is a document, not an item.
    #[error("the file has no front matter")]
    NoFrontMatter,
    /// The front matter cannot be parsed, so nothing in it can be located.
    #[error("the front matter cannot be read (line {line}): {message}")]
    Unreadable {
        /// The file line of the problem.
        line: usize,
        /// What the problem is.
        message: String,
    },
    /// A key on the path holds something other than a mapping.
    #[error("`{field}` is {found}, so `{path}` cannot be set inside it")]
    NotAMapping {
        /// The key that is not a mapping.
        field: String,
        /// What it holds ("a list").
        found: &'static str,
        /// The whole path being edited.
        path: String,
    },
    /// The value is written in a way cairn does not rewrite (anchors, aliases, tags).
    #[error("cannot edit `{field}`: {reason}")]
    Unsupported {
        /// The field.
        field: String,
        /// Why.
        reason: String,
    },
    /// The edited file would have new error-level findings; nothing was written.
    #[error("the edit would introduce {} error{}", .findings.len(), if .findings.len() == 1 { "" } else { "s" })]
    Refused {
        /// The new findings, located in the edited text.
        findings: Vec<Diagnostic>,
    },
}

/// Applies `edits` in order to a plan file's text (a BOM and CRLF line endings are kept).
pub fn set_fields(text: &str, edits: &[FieldEdit]) -> Result<String, EditError> {
    let mut out = text.to_string();
    for edit in edits {
        let (bom, body) = match out.strip_prefix('\u{feff}') {
            Some(rest) => ("\u{feff}", rest),
            None => ("", out.as_str()),
        };
        let doc = Doc::new(body)?;
        let (range, replacement) = doc.splice(edit)?;
        let mut next = String::with_capacity(out.len() + replacement.len());
        next.push_str(bom);
        next.push_str(&body[..range.start]);
        next.push_str(&replacement);
        next.push_str(&body[range.end..]);
        out = next;
    }
    Ok(out)
}

/// Applies `edits` to the bytes of `file` and re-parses the result: the new bytes, or
/// [`EditError::Refused`] with the error-level findings the edit would introduce.
pub fn edit_file(
    file: &str,
    bytes: &[u8],
    edits: &[FieldEdit],
    config: &Config,
) -> Result<Vec<u8>, EditError> {
    let text = std::str::from_utf8(bytes).map_err(|e| EditError::Unreadable {
        line: 1,
        message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
    })?;
    let new = set_fields(text, edits)?;
    let leveled = |d: Vec<Diagnostic>| -> Vec<Diagnostic> {
        d.into_iter()
            .filter(|d| config.level(d.rule) == Level::Error)
            .map(|mut d| {
                d.severity = Severity::Error;
                d
            })
            .collect()
    };
    let before = leveled(parse_file(file, bytes, config).diagnostics);
    let after = leveled(parse_file(file, new.as_bytes(), config).diagnostics);
    let findings = new_errors(&before, &after);
    if findings.is_empty() {
        Ok(new.into_bytes())
    } else {
        Err(EditError::Refused { findings })
    }
}

/// The error-level findings of `after` that `before` did not have, compared by rule, file and
/// message (positions move when lines are added or removed).
pub fn new_errors(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut old: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for d in before.iter().filter(|d| d.severity == Severity::Error) {
        *old.entry((d.rule.name(), &d.file, &d.message)).or_default() += 1;
    }
    after
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(
            |d| match old.get_mut(&(d.rule.name(), &d.file, &d.message)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            },
        )
        .cloned()
        .collect()
}

/// The value at `path` rendered on one line (`ready`, `[a, b]`, `{ reach: 1 }`), or `None` when
/// absent or unreadable. For summaries such as `status: ready → done`.
pub fn field_value(text: &str, path: &[String]) -> Option<String> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = Doc::new(body).ok()?;
    let mut node = &doc.root;
    for key in path {
        node = node.get(key)?;
    }
    Some(compact(node))
}

/// A source that reads like `inner` except that one file has new content: the plan as it would
/// be after an edit, to check it before writing.
pub struct Overlay<'a> {
    inner: &'a dyn Source,
    path: String,
    bytes: Vec<u8>,
}

impl<'a> Overlay<'a> {
    /// `inner` with `path` (relative to the root) holding `bytes`.
    pub fn new(inner: &'a dyn Source, path: &str, bytes: Vec<u8>) -> Self {
        Overlay {
            inner,
            path: path.to_string(),
            bytes,
        }
    }
}

impl Source for Overlay<'_> {
    fn markdown_files(&self, dir: &str) -> std::io::Result<Vec<String>> {
        self.inner.markdown_files(dir)
    }
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        if path == self.path {
            Ok(self.bytes.clone())
        } else {
            self.inner.read(path)
        }
    }
    fn exists(&self, path: &str) -> bool {
        path == self.path || self.inner.exists(path)
    }
    fn describe(&self) -> String {
        self.inner.describe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str, arg: &str) -> String {
        set_fields(text, &[FieldEdit::parse(arg).unwrap()]).unwrap()
    }

    #[test]
    fn values_are_quoted_only_when_needed() {
        assert_eq!(to_yaml("done", false), "done");
        assert_eq!(to_yaml("Export to CSV", false), "Export to CSV");
        assert_eq!(to_yaml("Export: CSV", false), "\"Export: CSV\"");
        assert_eq!(to_yaml("[S-1, S-2]", false), "[S-1, S-2]");
        assert_eq!(to_yaml("0.50", false), "0.50");
        assert_eq!(to_yaml("- a", false), "\"- a\"");
        assert_eq!(to_yaml("#1 bug", false), "\"#1 bug\"");
        assert_eq!(to_yaml("Fix #12", false), "\"Fix #12\"");
        assert_eq!(to_yaml("1,000", true), "\"1,000\"");
        assert_eq!(to_yaml("say \"hi\"", false), "say \"hi\"");
        assert_eq!(to_yaml("@bob", false), "\"@bob\"");
        assert_eq!(quote("it's", '\''), "'it''s'");
    }

    #[test]
    fn nested_values_in_flow_and_block_maps() {
        let flow = "---\nrice: { reach: 1, effort: 3 }\n---\n";
        assert_eq!(
            set(flow, "rice.effort=2"),
            "---\nrice: { reach: 1, effort: 2 }\n---\n"
        );
        assert_eq!(
            set(flow, "rice.impact=2"),
            "---\nrice: { reach: 1, effort: 3, impact: 2 }\n---\n"
        );
        assert_eq!(set(flow, "rice.reach="), "---\nrice: { effort: 3 }\n---\n");
        assert_eq!(set(flow, "rice.effort="), "---\nrice: { reach: 1 }\n---\n");
        let block = "---\nrice:\n  reach: 1 # people\n  effort: 3\nid: S-1\n---\n";
        assert_eq!(
            set(block, "rice.reach=5"),
            "---\nrice:\n  reach: 5 # people\n  effort: 3\nid: S-1\n---\n"
        );
        assert_eq!(
            set(block, "rice.impact=1"),
            "---\nrice:\n  reach: 1 # people\n  effort: 3\n  impact: 1\nid: S-1\n---\n"
        );
        assert_eq!(
            set("---\nid: S-1\n---\n", "wsjf.job_size=3"),
            "---\nid: S-1\nwsjf: { job_size: 3 }\n---\n"
        );
    }
}
