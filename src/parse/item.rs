//! Turning one file into an [`Item`] (or a document), with a finding for every field that is wrong.

use super::front_matter::{self, SplitError};
use super::markdown::{self, Link};
use super::yaml::{self, Node, Value};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Rule, Span};
use crate::model::*;
use crate::suggest;

/// One plan file after parsing: an item, or a document, plus what was wrong with it.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// Path relative to the plan root.
    pub file: String,
    /// The item, when the front matter had a usable id.
    pub item: Option<Item>,
    /// True when the file has front matter (it is meant to be an item).
    pub has_front_matter: bool,
    /// GitHub anchors of the body's headings.
    pub anchors: Vec<String>,
    /// Relative links in the body.
    pub links: Vec<Link>,
    /// Findings local to this file.
    pub diagnostics: Vec<Diagnostic>,
    /// The id a file that is no item declares: an `id:` line of a file that could not be parsed,
    /// or an invalid id, so references to it are not reported as broken on top of that finding.
    pub unread_id: Option<String>,
}

impl ParsedFile {
    /// A file that exists but could not be read: one located `parse-error`, so the rest of the
    /// plan is still checked.
    pub fn unreadable(path: &str, e: &std::io::Error) -> ParsedFile {
        ParsedFile {
            file: path.to_string(),
            item: None,
            has_front_matter: false,
            anchors: Vec::new(),
            links: Vec::new(),
            unread_id: None,
            diagnostics: vec![Diagnostic::new(
                Rule::ParseError,
                path,
                Span::file_start(),
                format!("cannot read file: {e}"),
            )
            .with_help("check the file's permissions")],
        }
    }
}

/// The value of the first top-level `id:` line, read without a YAML parser.
pub fn quick_id(text: &str) -> Option<String> {
    text.lines()
        .take(200)
        .find_map(|l| l.strip_prefix("id:"))
        .map(|v| {
            v.split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\''])
                .to_string()
        })
        .filter(|v| !v.is_empty())
}

/// Parses one plan file.
pub fn parse_file(file: &str, bytes: &[u8], config: &Config) -> ParsedFile {
    let mut out = ParsedFile {
        file: file.to_string(),
        item: None,
        has_front_matter: false,
        anchors: Vec::new(),
        links: Vec::new(),
        diagnostics: Vec::new(),
        unread_id: None,
    };
    let text = match front_matter::decode(bytes) {
        Ok(t) => t,
        Err(e) => {
            out.diagnostics.push(split_error(file, e));
            return out;
        }
    };
    let split = match front_matter::split(text) {
        Ok(s) => s,
        Err(e) => {
            out.has_front_matter = text.starts_with("---");
            out.unread_id = quick_id(text);
            out.diagnostics.push(split_error(file, e));
            return out;
        }
    };
    let body = markdown::parse(split.body, split.body_first_line);
    out.anchors = body.anchors;
    out.links = body.links;
    let Some(yaml_text) = split.front_matter else {
        return out;
    };
    out.has_front_matter = true;
    let fm_end = Span::new(split.body_first_line - 1, 1, 3);
    let root = match yaml::parse(
        yaml_text,
        yaml::Origin {
            first_line: split.yaml_first_line,
        },
    ) {
        Ok(n) => n,
        Err(e) => {
            out.unread_id = quick_id(yaml_text);
            let help = if let Some(code) = e.message.strip_prefix("found unprintable character U+")
            {
                Some(format!(
                    "delete it; to keep it, write it as an escape in double quotes: `\"\\u{code}\"`"
                ))
            } else if e.message.contains("mapping values are not allowed") {
                Some("a value containing `: ` must be quoted: `title: \"Export: CSV\"`".to_string())
            } else if e.message.contains("tab") {
                Some("indent YAML with spaces, not tabs".to_string())
            } else {
                None
            };
            out.diagnostics.push(
                Diagnostic::new(
                    Rule::ParseError,
                    file,
                    e.span,
                    format!("invalid YAML in front matter: {}", e.message),
                )
                .with_help_opt(help),
            );
            return out;
        }
    };
    let mut b = Builder {
        file,
        config,
        diags: &mut out.diagnostics,
    };
    out.item = b.item(&root, fm_end, body.statement, body.criteria);
    if out.item.is_none() {
        // An id that is not valid (`BACK-222.1`) makes no item, but the file still declares it.
        out.unread_id = root
            .get("id")
            .and_then(Node::scalar_text)
            .filter(|id| !id.trim().is_empty());
    }
    out
}

fn split_error(file: &str, e: SplitError) -> Diagnostic {
    match e {
        SplitError::Conflict(spans) => {
            let n = spans.len();
            let mut d = Diagnostic::new(
                Rule::MergeConflict,
                file,
                spans[0],
                if n == 1 {
                    "unresolved merge conflict".to_string()
                } else {
                    format!("unresolved merge conflict ({n} conflict blocks)")
                },
            )
            .with_help(
                "resolve the conflict and remove the `<<<<<<<`, `=======` and `>>>>>>>` lines",
            );
            for s in &spans[1..] {
                d = d.with_related(file, *s, "another conflict starts here");
            }
            d
        }
        SplitError::Parse {
            span,
            message,
            help,
        } => Diagnostic::new(Rule::ParseError, file, span, message).with_help_opt(help),
    }
}

pub(super) struct Builder<'a> {
    pub(super) file: &'a str,
    pub(super) config: &'a Config,
    pub(super) diags: &'a mut Vec<Diagnostic>,
}

impl Builder<'_> {
    pub(super) fn report(&mut self, rule: Rule, span: Span, message: String, help: Option<String>) {
        self.diags
            .push(Diagnostic::new(rule, self.file, span, message).with_help_opt(help));
    }

    pub(super) fn invalid(&mut self, node: &Node, message: String, help: Option<String>) {
        self.report(Rule::InvalidValue, node.span, message, help);
    }

    fn item(
        &mut self,
        root: &Node,
        fm_end: Span,
        statement: Option<String>,
        criteria: Option<(usize, usize)>,
    ) -> Option<Item> {
        let entries = match &root.value {
            Value::Map(m) => m.as_slice(),
            Value::Null => &[],
            _ => {
                self.report(
                    Rule::ParseError,
                    root.span,
                    format!(
                        "front matter must be a mapping of fields, found {}",
                        root.type_name()
                    ),
                    Some("write fields as `key: value` lines".into()),
                );
                return None;
            }
        };
        let mut seen: Vec<(&str, Span)> = Vec::new();
        let mut fields: Vec<(&str, &Node, &Node)> = Vec::new();
        for (k, v) in entries {
            let Some(name) = k.as_str() else {
                self.report(
                    Rule::ParseError,
                    k.span,
                    format!("field names must be strings, found {}", k.type_name()),
                    None,
                );
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                let d = Diagnostic::new(
                    Rule::ParseError,
                    self.file,
                    k.span,
                    format!("duplicate field `{name}`"),
                )
                .with_help("remove one of the two; cairn uses the first")
                .with_related(self.file, *first, "first defined here");
                self.diags.push(d);
                continue;
            }
            seen.push((name, k.span));
            fields.push((name, k, v));
        }
        let get = |name: &str| fields.iter().find(|(n, ..)| *n == name).map(|(_, _, v)| *v);

        // Identity first: without a usable id there is no item to check references against.
        let Some(id_node) = get("id") else {
            self.report(
                Rule::MissingField,
                fm_end,
                "missing required field `id`".into(),
                Some(self.id_help()),
            );
            return None;
        };
        let id = id_node.scalar_text().unwrap_or_default();
        let (kind, number) = self.id(id_node, &id)?;
        let kind_def = &self.config.kinds[kind];
        let mut item = Item {
            id,
            number,
            kind,
            file: self.file.to_string(),
            id_span: id_node.span,
            title: String::new(),
            status: None,
            status_span: fm_end,
            category: None,
            parent: None,
            depends_on: Vec::new(),
            owner: Vec::new(),
            assignee: Vec::new(),
            external: Vec::new(),
            tags: Vec::new(),
            moscow: None,
            rice: None,
            ice: None,
            wsjf: None,
            estimate: None,
            sprint: None,
            horizon: None,
            key_results: Vec::new(),
            custom: Vec::new(),
            statement,
            criteria,
            front_matter_end: fm_end,
            parent_written: false,
        };
        for required in ["title", "status"] {
            if get(required).is_none() {
                let example = if required == "title" {
                    "title: Short name".to_string()
                } else {
                    format!("status: {}", kind_def.statuses[0].0)
                };
                self.report(
                    Rule::MissingField,
                    fm_end,
                    format!("missing required field `{required}`"),
                    Some(format!("add `{example}` to the front matter")),
                );
            }
        }
        let has_parent = kind_def.parent.is_some();
        let goal_like = !has_parent || self.config.has_children(&kind_def.name);
        let parent_field = kind_def.parent.clone();
        for (name, key, value) in fields {
            match name {
                "id" => {}
                "title" => {
                    if let Some(t) = self.text(value, "title") {
                        if t.trim().is_empty() {
                            self.invalid(
                                value,
                                "`title` is empty".into(),
                                Some("give the item a short name".into()),
                            );
                        } else {
                            item.title = t;
                        }
                    }
                }
                "status" => self.status(value, &mut item),
                "owner" => item.owner = self.names(value, "owner"),
                "external" => item.external = self.names(value, "external"),
                "assignee" if has_parent => item.assignee = self.names(value, "assignee"),
                "tags" => item.tags = self.strings(value, "tags"),
                "depends_on" => item.depends_on = self.ids(value),
                "moscow" => item.moscow = self.moscow(value),
                "rice" => item.rice = self.rice(value),
                "ice" => item.ice = self.ice(value),
                "wsjf" => item.wsjf = self.wsjf(value),
                "estimate" if has_parent => {
                    item.estimate = self.number(
                        value,
                        "estimate",
                        |n| n >= 0.0,
                        "a number of story points, 0 or more",
                    )
                }
                "sprint" if has_parent => {
                    if let Some(s) = self.text(value, "sprint") {
                        item.sprint = Some(Ref {
                            id: s,
                            span: value.span,
                        });
                    }
                }
                "horizon" if goal_like => item.horizon = self.horizon(value),
                "key_results" if goal_like => item.key_results = self.key_results(value),
                _ if parent_field.as_deref() == Some(name) => {
                    // Written, even if invalid: that finding is enough, no orphan-story on top.
                    item.parent_written = !matches!(value.value, Value::Null);
                    if let Some(id) = self.reference(value, name) {
                        item.parent = Some(Ref {
                            id,
                            span: value.span,
                        });
                    }
                }
                _ => {
                    if let Some(def) = self.config.field(name) {
                        if let Some(v) = self.custom(value, def) {
                            item.custom.push((name.to_string(), v));
                        }
                    } else {
                        self.unknown_field(
                            key,
                            name,
                            has_parent,
                            goal_like,
                            parent_field.as_deref(),
                        );
                    }
                }
            }
        }
        Some(item)
    }

    fn id_help(&self) -> String {
        let prefixes: Vec<_> = self
            .config
            .kinds
            .iter()
            .map(|k| format!("{}-N", k.prefix))
            .collect();
        format!("add `id:` with an id like {}", prefixes.join(" or "))
    }

    fn id(&mut self, node: &Node, id: &str) -> Option<(usize, u64)> {
        let prefixes = || {
            self.config
                .kinds
                .iter()
                .map(|k| format!("`{}-N` ({})", k.prefix, k.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if node.as_str().is_none() || id.trim().is_empty() {
            self.report(
                Rule::InvalidId,
                node.span,
                format!("`id` must be an id like `S-1`, found {}", node.type_name()),
                Some(format!("ids look like {}", prefixes())),
            );
            return None;
        }
        match split_id(id) {
            Some((prefix, n)) => match self.config.kind_by_prefix(prefix) {
                Some(kind) => Some((kind, n)),
                None => {
                    let help = suggest::did_you_mean(
                        prefix,
                        self.config.kinds.iter().map(|k| k.prefix.as_str()),
                    )
                    .map(|p| format!("did you mean `{p}-{n}`?"))
                    .unwrap_or_else(|| format!("configured prefixes: {}", prefixes()));
                    self.report(
                        Rule::InvalidId,
                        node.span,
                        format!("id `{id}` has prefix `{prefix}`, which is no configured kind"),
                        Some(help),
                    );
                    None
                }
            },
            None => {
                let fixed = id.trim().to_uppercase().replace([' ', '_'], "-");
                let help = match fixed.split_once('-') {
                    Some((p, n))
                        if self.config.kind_by_prefix(p).is_some()
                            && !n.is_empty()
                            && n.chars().all(|c| c.is_ascii_digit()) =>
                    {
                        match n.trim_start_matches('0') {
                            "" => format!("id numbers start at 1: use `{p}-1` or above"),
                            n => format!("did you mean `{p}-{n}`?"),
                        }
                    }
                    _ => format!("ids look like {}", prefixes()),
                };
                self.report(
                    Rule::InvalidId,
                    node.span,
                    format!("id `{id}` is not of the form `PREFIX-N`"),
                    Some(help),
                );
                None
            }
        }
    }

    fn status(&mut self, node: &Node, item: &mut Item) {
        let kind = &self.config.kinds[item.kind];
        item.status_span = node.span;
        let Some(status) = self.text(node, "status") else {
            return;
        };
        match kind.category(&status) {
            Some(cat) => {
                item.status = Some(status);
                item.category = Some(cat);
            }
            None => {
                let names: Vec<&str> = kind.statuses.iter().map(|(s, _)| s.as_str()).collect();
                let help = suggest::help(&status, names.iter().copied()).unwrap_or_else(|| {
                    format!("statuses of a {}: {}", kind.name, names.join(", "))
                });
                self.invalid(
                    node,
                    format!("`{status}` is not a status of a {}", kind.name),
                    Some(help),
                );
            }
        }
    }
}
