//! One Backlog.md file: its front matter read as Backlog.md reads it, with every problem located.

use super::Area;
use crate::import::record::{Origin, Problem};
use crate::parse::{front_matter, yaml};
use std::collections::HashMap;
use std::path::Path;

/// Front-matter keys Backlog.md writes that have no cairn field and are left out on purpose.
const IGNORED: &[&str] = &[
    "reporter",
    "updated_date",
    "modified_files",
    "subtasks",
    "onStatusChange",
    "due_date",
];

/// One file, read.
#[derive(Debug, Clone, Default)]
pub(super) struct Parsed {
    pub(super) rel: String,
    pub(super) shown: String,
    pub(super) area: Area,
    pub(super) archived: bool,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) status: Option<String>,
    pub(super) status_line: usize,
    pub(super) assignees: Vec<String>,
    pub(super) labels: Vec<String>,
    pub(super) milestone: Option<(String, usize)>,
    pub(super) dependencies: Vec<(String, usize)>,
    pub(super) parent: Option<(String, usize)>,
    pub(super) priority: Option<String>,
    pub(super) priority_line: usize,
    pub(super) ordinal: Option<f64>,
    pub(super) issue_type: Option<String>,
    pub(super) created: Option<String>,
    pub(super) completed: Option<String>,
    pub(super) due: Option<String>,
    pub(super) date: Option<String>,
    pub(super) references: Vec<String>,
    pub(super) documentation: Vec<String>,
    pub(super) body: String,
    pub(super) unknown: Vec<(String, usize)>,
}

impl Parsed {
    pub(super) fn at(&self, line: usize) -> Origin {
        Origin::new(&self.shown, line, 1)
    }
}

/// Reads one file; `None` (with an error in `problems`) when it cannot be imported.
pub(super) fn parse(
    path: &Path,
    shown: &str,
    area: Area,
    archived: bool,
    problems: &mut Vec<Problem>,
) -> Option<Parsed> {
    let at = |line: usize, column: usize| Origin::new(shown, line, column);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::error(
                at(1, 1),
                format!("cannot read the file: {e}; it is skipped"),
            ));
            return None;
        }
    };
    let text = match front_matter::decode(&bytes) {
        Ok(t) => t,
        Err(front_matter::SplitError::Parse { span, message, .. }) => {
            problems.push(Problem::error(
                at(span.line, span.column),
                format!("{message}; the file is skipped"),
            ));
            return None;
        }
        Err(front_matter::SplitError::Conflict(spans)) => {
            problems.push(Problem::error(
                at(spans[0].line, 1),
                "unresolved merge conflict; the file is skipped",
            ));
            return None;
        }
    };
    let split = match front_matter::split(text) {
        Ok(s) => s,
        Err(front_matter::SplitError::Parse { span, message, .. }) => {
            problems.push(Problem::error(
                at(span.line, span.column),
                format!("{message}; the file is skipped"),
            ));
            return None;
        }
        Err(front_matter::SplitError::Conflict(spans)) => {
            problems.push(Problem::error(
                at(spans[0].line, 1),
                "unresolved merge conflict; the file is skipped",
            ));
            return None;
        }
    };
    let mut p = Parsed {
        shown: shown.to_string(),
        area,
        archived,
        body: split.body.to_string(),
        ..Parsed::default()
    };
    let Some(fm) = split.front_matter else {
        if matches!(area, Area::Doc | Area::Decision) {
            p.title = title_from_file_name(path);
            return Some(p);
        }
        problems.push(Problem::error(
            at(1, 1),
            "no front matter (`---` … `---`); the file is skipped",
        ));
        return None;
    };
    let (fm, repaired) = quote_at_names(fm);
    for (line, column, value, _) in repaired.into_iter().filter(|r| r.3) {
        let line = split.yaml_first_line + line;
        problems.push(
            Problem::warning(
                at(line, column),
                format!("`{value}` is not valid YAML unquoted; read as the name `{}`, as Backlog.md does", value.trim_start_matches('@')),
            )
            .help(format!("quote it in the source: '{value}'")),
        );
    }
    let root = match yaml::parse(
        &fm,
        yaml::Origin {
            first_line: split.yaml_first_line,
        },
    ) {
        Ok(r) => r,
        Err(e) => {
            problems.push(Problem::error(
                at(e.span.line, e.span.column),
                format!(
                    "invalid YAML in front matter: {}; the file is skipped",
                    e.message
                ),
            ));
            return None;
        }
    };
    let Some(entries) = root.as_map() else {
        problems.push(Problem::error(
            at(root.span.line, root.span.column),
            "the front matter is not a mapping of fields; the file is skipped",
        ));
        return None;
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let text = |n: &yaml::Node| {
        n.scalar_text()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let list = |n: &yaml::Node| -> Vec<(String, usize)> {
        match n.as_seq() {
            Some(items) => items
                .iter()
                .filter_map(|i| text(i).map(|s| (s, i.span.line)))
                .collect(),
            None => text(n).map(|s| vec![(s, n.span.line)]).unwrap_or_default(),
        }
    };
    for (k, v) in entries {
        let Some(name) = k.as_str() else { continue };
        if let Some(first) = seen.get(name) {
            problems.push(Problem::warning(
                at(k.span.line, k.span.column),
                format!("duplicate field `{name}` (first on line {first}); the first is used"),
            ));
            continue;
        }
        seen.insert(name, k.span.line);
        match name {
            "id" => p.id = text(v).unwrap_or_default(),
            "title" => {
                p.title = v
                    .scalar_text()
                    .unwrap_or_default()
                    .trim()
                    .replace(['\r', '\n'], " ")
            }
            "status" => {
                p.status = text(v).map(|s| s.trim_matches('"').to_string());
                p.status_line = v.span.line;
            }
            "assignee" => {
                p.assignees = list(v)
                    .into_iter()
                    .map(|(s, _)| s.trim_start_matches('@').to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            "labels" | "tags" => {
                for (l, _) in list(v) {
                    if !p.labels.contains(&l) {
                        p.labels.push(l);
                    }
                }
            }
            "milestone" => p.milestone = text(v).map(|m| (m, v.span.line)),
            "dependencies" => p.dependencies = list(v),
            "parent_task_id" | "parent" => p.parent = text(v).map(|m| (m, v.span.line)),
            "priority" => {
                p.priority = text(v);
                p.priority_line = v.span.line;
            }
            "ordinal" => p.ordinal = v.as_f64().or_else(|| text(v).and_then(|s| s.parse().ok())),
            "type" => p.issue_type = text(v),
            "created_date" => p.created = text(v),
            "completed_date" => p.completed = text(v),
            "date" => p.date = text(v),
            "references" => p.references = list(v).into_iter().map(|(s, _)| s).collect(),
            "documentation" => p.documentation = list(v).into_iter().map(|(s, _)| s).collect(),
            "due_date" if area == Area::Milestone => p.due = text(v),
            _ if IGNORED.contains(&name) => {}
            _ if matches!(area, Area::Doc | Area::Decision) => {}
            _ => p.unknown.push((name.to_string(), k.span.line)),
        }
    }
    if p.id.is_empty() && !matches!(area, Area::Doc | Area::Decision) {
        problems.push(Problem::error(
            at(split.yaml_first_line, 1),
            "no `id`; the file is skipped",
        ));
        return None;
    }
    if p.title.is_empty() {
        p.title = title_from_file_name(path);
        if !matches!(area, Area::Doc | Area::Decision) {
            problems.push(Problem::warning(
                at(split.yaml_first_line, 1),
                format!("{}: no `title`; named `{}` after its file", p.id, p.title),
            ));
        }
    }
    Some(p)
}

/// The title part of `back-12 - Some-title.md`.
pub(super) fn title_from_file_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = stem.split_once(" - ").map_or(stem.as_str(), |(_, t)| t);
    title.replace('-', " ").trim().to_string()
}

/// Backlog.md quotes an `assignee:` or `reporter:` value starting with `@` before it parses the
/// YAML; so does this. Returns the text and, for each repair, the 0-based line in the front
/// matter, the 1-based column, the value, and whether it was an assignee (a reporter is not
/// imported, so its repair is not worth a warning).
#[allow(clippy::type_complexity)]
fn quote_at_names(fm: &str) -> (String, Vec<(usize, usize, String, bool)>) {
    let mut repaired = Vec::new();
    let mut out = String::with_capacity(fm.len() + 8);
    for (i, line) in fm.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let eol = &line[content.len()..];
        let key = ["assignee:", "reporter:"]
            .iter()
            .find(|k| content.trim_start().starts_with(**k));
        let Some(key) = key else {
            out.push_str(line);
            continue;
        };
        let indent = content.len() - content.trim_start().len();
        let value_at = indent + key.len();
        let value = content[value_at..].trim();
        let lead = content[value_at..].len() - content[value_at..].trim_start().len();
        let assignee = *key == "assignee:";
        if value.starts_with('@') {
            let column = value_at + lead + 1;
            repaired.push((i, column, value.to_string(), assignee));
            out.push_str(&content[..value_at]);
            out.push(' ');
            out.push_str(&crate::edit::quote(value, '"'));
            out.push_str(eol);
        } else if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let items: Vec<String> = inner
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    if s.starts_with('@') {
                        repaired.push((i, value_at + lead + 1, s.to_string(), assignee));
                        crate::edit::quote(s, '"')
                    } else {
                        s.to_string()
                    }
                })
                .collect();
            out.push_str(&content[..value_at]);
            out.push_str(&format!(" [{}]", items.join(", ")));
            out.push_str(eol);
        } else {
            out.push_str(line);
        }
    }
    (out, repaired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_names_are_quoted_as_backlog_md_does() {
        let (fm, fixed) = quote_at_names("id: BACK-1\nassignee: @MrLesk\nreporter: [@a, 'b']\n");
        assert_eq!(
            fm,
            "id: BACK-1\nassignee: \"@MrLesk\"\nreporter: [\"@a\", 'b']\n"
        );
        assert_eq!(
            fixed,
            [
                (1, 11, "@MrLesk".to_string(), true),
                (2, 11, "@a".to_string(), false)
            ]
        );
    }

    #[test]
    fn titles_from_file_names() {
        assert_eq!(
            title_from_file_name(Path::new("back-12 - Some-title.md")),
            "Some title"
        );
        assert_eq!(title_from_file_name(Path::new("notes.md")), "notes");
    }
}
