//! Item templates: the built-in ones, overrides under `.cairn/templates/items/`, and filling in
//! their placeholders.

use super::NewError;
use crate::edit;
use crate::parse::yaml::{self, Value};
use std::io;
use std::path::Path;

/// Where a plan overrides the built-in item templates, relative to its root.
pub const TEMPLATE_DIR: &str = ".cairn/templates/items";

/// The template of a kind that has neither a built-in template nor an override.
const GENERIC: &str = "---
id: {{id}}
title: {{title}}
status: {{status}}
{{parent_field}}: {{parent}}
# Fill in what you know and delete the rest (docs/format.md lists every field).
# owner: \"\"
# moscow: should       # must | should | could | wont
# depends_on: []       # ids of items that must be done first
# tags: []
---
What this {{kind}} is about, and why it matters.
";

/// The built-in template of a kind, if it has one.
pub fn builtin_template(kind: &str) -> Option<&'static str> {
    match kind {
        "goal" => Some(include_str!("../../templates/items/goal.md")),
        "story" => Some(include_str!("../../templates/items/story.md")),
        _ => None,
    }
}

/// The template for a kind: `.cairn/templates/items/KIND.md`, the built-in one, or the generic one.
/// Returns the text and a name for messages.
pub(super) fn load_template(root: &Path, kind: &str) -> Result<(String, String), NewError> {
    let rel = format!("{TEMPLATE_DIR}/{kind}.md");
    let path = root.join(&rel);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| NewError::Template {
                template: rel.clone(),
                message: "is not valid UTF-8".into(),
            })?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            return Ok((text.replace("\r\n", "\n"), rel));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(NewError::Io {
                action: "read",
                path,
                error: source,
            })
        }
    }
    Ok(match builtin_template(kind) {
        Some(t) => (t.to_string(), format!("built-in {kind} template")),
        None => (GENERIC.to_string(), "generic item template".into()),
    })
}

/// The values of a template's placeholders.
#[derive(Debug, Clone, Copy)]
pub struct Vars<'a> {
    /// `{{id}}`.
    pub id: &'a str,
    /// `{{title}}`: quoted for YAML in the front matter, as typed in the body.
    pub title: &'a str,
    /// `{{status}}`: the kind's first status.
    pub status: &'a str,
    /// `{{kind}}`.
    pub kind: &'a str,
    /// `{{parent_field}}`: the parent kind's name, when the kind has one.
    pub parent_field: Option<&'a str>,
    /// `{{parent}}`: the parent's id, when given.
    pub parent: Option<&'a str>,
}

/// Fills in a template. In the front matter, a line naming `{{parent_field}}` or `{{parent}}` is
/// dropped when the kind has no parent kind, and commented out when no parent was given.
pub fn render(template: &str, vars: &Vars) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let quoted_title = yaml_scalar(vars.title);
    // 0: before the front matter, 1: inside it, 2: in the body.
    let mut part = 0;
    for line in template.split_inclusive('\n') {
        let bare = line.trim_end();
        let fence = bare == "---" || (part == 1 && bare == "...");
        let in_front = part == 1 && !fence;
        if fence && part < 2 {
            part += 1;
        } else if part == 0 {
            part = 2; // no front matter at all
        }
        if !in_front {
            out.push_str(&fill(line, vars, vars.title));
            continue;
        }
        let names_parent = line.contains("{{parent_field}}") || line.contains("{{parent}}");
        match (names_parent, vars.parent_field, vars.parent) {
            (true, None, _) => {}
            (true, Some(_), None) if !line.trim_start().starts_with('#') => {
                let filled = fill(line, vars, &quoted_title);
                let end = if filled.ends_with('\n') { "\n" } else { "" };
                out.push_str("# ");
                out.push_str(filled.trim_end());
                out.push_str(end);
            }
            _ => out.push_str(&fill(line, vars, &quoted_title)),
        }
    }
    out
}

fn fill(line: &str, vars: &Vars, title: &str) -> String {
    if !line.contains("{{") {
        return line.to_string();
    }
    line.replace("{{id}}", vars.id)
        .replace("{{title}}", title)
        .replace("{{status}}", vars.status)
        .replace("{{kind}}", vars.kind)
        .replace("{{parent_field}}", vars.parent_field.unwrap_or(""))
        .replace("{{parent}}", vars.parent.unwrap_or(""))
}

/// `s` as a YAML scalar that reads back as the same string: plain when safe, else double-quoted.
pub fn yaml_scalar(s: &str) -> String {
    let plain = |s: &str| {
        let text = format!("k: {s}");
        matches!(
            yaml::parse(&text, yaml::Origin { first_line: 1 }).map(|n| n.value),
            Ok(Value::Map(m)) if m.len() == 1 && m[0].1.as_str() == Some(s)
        )
    };
    // YAML 1.1 tools read these as booleans; quote them for every reader's sake.
    let yaml11_bool = matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off"
    );
    let safe = !s.is_empty() && s.trim() == s && !s.contains(['\n', '\r', '\t', '"', '\\']);
    if safe && !yaml11_bool && plain(s) {
        return s.to_string();
    }
    edit::quote(s, '"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_quoted_only_when_needed() {
        assert_eq!(yaml_scalar("Export to CSV"), "Export to CSV");
        assert_eq!(yaml_scalar("Export: CSV"), "\"Export: CSV\"");
        assert_eq!(yaml_scalar("#1 priority"), "\"#1 priority\"");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("42"), "\"42\"");
        assert_eq!(yaml_scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(yaml_scalar("[draft]"), "\"[draft]\"");
    }

    #[test]
    fn parent_lines_follow_the_kind() {
        let t =
            "---\nid: {{id}}\ntitle: {{title}}\n{{parent_field}}: {{parent}}\n---\n# {{title}}\n";
        let mut v = Vars {
            id: "S-2",
            title: "A: b",
            status: "draft",
            kind: "story",
            parent_field: Some("goal"),
            parent: Some("G-1"),
        };
        assert_eq!(
            render(t, &v),
            "---\nid: S-2\ntitle: \"A: b\"\ngoal: G-1\n---\n# A: b\n"
        );
        v.parent = None;
        assert_eq!(
            render(t, &v),
            "---\nid: S-2\ntitle: \"A: b\"\n# goal:\n---\n# A: b\n"
        );
        v.parent_field = None;
        assert_eq!(
            render(t, &v),
            "---\nid: S-2\ntitle: \"A: b\"\n---\n# A: b\n"
        );
    }
}
