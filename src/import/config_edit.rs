//! Additions to `cairn.yaml`: the custom fields an import writes and the sprints its items name.
//!
//! Like `cairn set`, this only adds lines: new entries go at the end of the existing `fields:`
//! mapping or `sprints:` list, in the style it is written in (block or flow), and a missing
//! section is appended at the end of the file. Comments, order and quoting of everything else
//! stay as they are. Nothing is ever removed or changed.

use super::value::{flow_item, scalar};
use crate::config::{Config, FieldType};
use crate::parse::yaml::{self, Node, Value};

/// A custom field the import writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldNeed {
    /// The field's name.
    pub name: &'static str,
    /// Its type.
    pub ty: FieldType,
}

/// What was added, for the summary (`fields.created`, `sprint "PROJ Sprint 3"`).
pub type Added = Vec<String>;

/// The new text of `cairn.yaml` (`None` when there is no file yet) with `fields` and `sprints`
/// declared; `Ok(None)` when nothing needs adding.
pub fn extend(
    text: Option<&str>,
    config: &Config,
    fields: &[FieldNeed],
    sprints: &[String],
) -> Result<Option<(String, Added)>, String> {
    let mut missing_fields = Vec::new();
    for f in fields {
        match config.field(f.name) {
            Some(def) if def.ty == f.ty => {}
            Some(def) => {
                return Err(format!(
                    "cairn.yaml declares `{}` as {}, but the import writes {} values there; rename that field or change its type to {}",
                    f.name,
                    def.ty.as_str(),
                    f.ty.as_str(),
                    f.ty.as_str()
                ))
            }
            None => missing_fields.push(*f),
        }
    }
    let mut missing_sprints: Vec<&String> = Vec::new();
    for s in sprints {
        if config.sprint(s).is_none() && !missing_sprints.contains(&s) {
            missing_sprints.push(s);
        }
    }
    if missing_fields.is_empty() && missing_sprints.is_empty() {
        return Ok(None);
    }
    let mut added = Vec::new();
    let field_entry =
        |f: &FieldNeed| (f.name.to_string(), format!("{{ type: {} }}", f.ty.as_str()));
    let sprint_entry = |s: &str| format!("{{ name: {} }}", flow_item(s));
    let mut out = text.unwrap_or("").to_string();
    if text.is_none() {
        out.push_str(
            "# cairn's configuration (docs/config.md). `cairn import` added what it needed.\n",
        );
    }
    if !missing_fields.is_empty() {
        let entries: Vec<(String, String)> = missing_fields.iter().map(field_entry).collect();
        out = append(&out, "fields", Entries::Map(&entries))?;
        added.extend(missing_fields.iter().map(|f| format!("fields.{}", f.name)));
    }
    if !missing_sprints.is_empty() {
        let entries: Vec<String> = missing_sprints.iter().map(|s| sprint_entry(s)).collect();
        out = append(&out, "sprints", Entries::Seq(&entries))?;
        added.extend(
            missing_sprints
                .iter()
                .map(|s| format!("sprint {}", scalar(s))),
        );
    }
    Config::parse(&out, crate::config::FILE_NAME).map_err(|e| {
        format!(
            "adding {} to cairn.yaml would make it invalid ({e}); add them by hand",
            added.join(", ")
        )
    })?;
    Ok(Some((out, added)))
}

enum Entries<'a> {
    /// `key: value` entries of a mapping.
    Map(&'a [(String, String)]),
    /// Entries of a list, each one flow value.
    Seq(&'a [String]),
}

impl Entries<'_> {
    fn block(&self, indent: &str) -> String {
        let mut out = String::new();
        match self {
            Entries::Map(m) => {
                for (k, v) in m.iter() {
                    out.push_str(&format!("{indent}{k}: {v}\n"));
                }
            }
            Entries::Seq(s) => {
                for v in s.iter() {
                    out.push_str(&format!("{indent}- {v}\n"));
                }
            }
        }
        out
    }

    fn flow(&self) -> String {
        match self {
            Entries::Map(m) => m
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", "),
            Entries::Seq(s) => s.join(", "),
        }
    }
}

/// `text` with `entries` added to the top-level `key`.
fn append(text: &str, key: &str, entries: Entries) -> Result<String, String> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let unsupported =
        |why: &str| format!("cannot add to `{key}` in cairn.yaml: {why}; add the entries by hand");
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = &text[..text.len() - body.len()];
    let root = yaml::parse(body, yaml::Origin { first_line: 1 }).map_err(|e| {
        format!(
            "cairn.yaml:{}:{}: {}",
            e.span.line, e.span.column, e.message
        )
    })?;
    let top: &[(Node, Node)] = match &root.value {
        Value::Map(m) => m,
        Value::Null => &[],
        _ => return Err(unsupported("it is not a mapping")),
    };
    let starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_start = |l: usize| starts.get(l - 1).copied().unwrap_or(body.len());
    let line_text = |l: usize| {
        let s = line_start(l);
        let e = starts.get(l).copied().unwrap_or(body.len());
        body[s..e].trim_end_matches(['\n', '\r'])
    };
    let with_eol = |s: String| s.replace('\n', eol);
    let Some(i) = top.iter().position(|(k, _)| k.as_str() == Some(key)) else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str(&with_eol(format!("{key}:\n{}", entries.block("  "))));
        return Ok(out);
    };
    let (k, v) = &top[i];
    if k.span.column != 1 {
        return Err(unsupported("the file is written as one flow mapping"));
    }
    let value_at = line_start(v.span.line) + column_offset(line_text(v.span.line), v.span.column);
    // A block collection starts on a later line, at its first entry (which may be `{`).
    let flow = v.span.line == k.span.line && body[value_at..].starts_with(['{', '[']);
    if flow {
        let close =
            matching_close(body, value_at).ok_or_else(|| unsupported("its value never closes"))?;
        let inner = body[value_at + 1..close].trim();
        let insert = if inner.is_empty() {
            format!(" {} ", entries.flow())
        } else {
            format!(", {}", entries.flow())
        };
        // Before the closing bracket, after the last entry (and its trailing spaces).
        let mut at = close;
        while at > value_at + 1 && body.as_bytes()[at - 1] == b' ' {
            at -= 1;
        }
        let at = if inner.is_empty() { value_at + 1 } else { at };
        let end = if inner.is_empty() { close } else { at };
        return Ok(format!("{bom}{}{insert}{}", &body[..at], &body[end..]));
    }
    let kind_ok = matches!(
        (&v.value, &entries),
        (Value::Null, _) | (Value::Map(_), Entries::Map(_)) | (Value::Seq(_), Entries::Seq(_))
    );
    if !kind_ok {
        return Err(unsupported(&format!("it holds {}", v.type_name())));
    }
    // The entry's lines run to the next top-level key; trailing blank and comment lines stay
    // after the insertion.
    let last_line = starts.len() - usize::from(body.ends_with('\n'));
    let mut end = top.get(i + 1).map_or(last_line + 1, |(n, _)| n.span.line);
    while end > k.span.line + 1 && {
        let t = line_text(end - 1).trim();
        t.is_empty() || t.starts_with('#')
    } {
        end -= 1;
    }
    let indent = (k.span.line + 1..end)
        .map(line_text)
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map_or("  ".to_string(), |l| {
            l[..l.len() - l.trim_start().len()].to_string()
        });
    let at = line_start(end);
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(bom);
    out.push_str(&body[..at]);
    if at > 0 && !body[..at].ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(&with_eol(entries.block(&indent)));
    out.push_str(&body[at..]);
    Ok(out)
}

/// The byte offset of 1-based character column `column` in `line`.
fn column_offset(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}

/// The offset of the bracket closing the one at `open`, skipping quoted text and comments.
fn matching_close(text: &str, open: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut p = open;
    while p < b.len() {
        match b[p] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(p);
                }
            }
            q @ (b'"' | b'\'') => {
                p += 1;
                while p < b.len() && b[p] != q {
                    if q == b'"' && b[p] == b'\\' {
                        p += 1;
                    }
                    p += 1;
                }
            }
            b'#' if p > 0 && matches!(b[p - 1], b' ' | b'\t') => {
                while p < b.len() && b[p] != b'\n' {
                    p += 1;
                }
                continue;
            }
            _ => {}
        }
        p += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: FieldNeed = FieldNeed {
        name: "created",
        ty: FieldType::Date,
    };

    fn run(text: Option<&str>, sprints: &[&str]) -> String {
        let config = text
            .map(|t| Config::parse(t, "cairn.yaml").unwrap())
            .unwrap_or_default();
        let sprints: Vec<String> = sprints.iter().map(|s| s.to_string()).collect();
        extend(text, &config, &[DATE], &sprints).unwrap().unwrap().0
    }

    #[test]
    fn missing_sections_are_appended() {
        assert_eq!(
            run(None, &["S 1"]),
            "# cairn's configuration (docs/config.md). `cairn import` added what it needed.\nfields:\n  created: { type: date }\nsprints:\n  - { name: S 1 }\n"
        );
        assert_eq!(
            run(Some("plan_dir: plan # here"), &[]),
            "plan_dir: plan # here\nfields:\n  created: { type: date }\n"
        );
    }

    #[test]
    fn block_sections_grow_in_place() {
        let text = "fields:\n    tier: { type: string }\n\n# sprints below\nsprints:\n- { name: a, capacity: 3 }\n- name: b\n  capacity: 2\n\n# end\nrules: {}\n";
        assert_eq!(
            run(Some(text), &["a", "c, d"]),
            "fields:\n    tier: { type: string }\n    created: { type: date }\n\n# sprints below\nsprints:\n- { name: a, capacity: 3 }\n- name: b\n  capacity: 2\n- { name: \"c, d\" }\n\n# end\nrules: {}\n"
        );
    }

    #[test]
    fn flow_sections_grow_in_place() {
        assert_eq!(
            run(Some("fields: { tier: { type: string } }   # x\nsprints: []\n"), &["s"]),
            "fields: { tier: { type: string }, created: { type: date } }   # x\nsprints: [ { name: s } ]\n"
        );
        assert_eq!(
            run(Some("fields: {}\r\n"), &[]),
            "fields: { created: { type: date } }\r\n"
        );
        assert_eq!(
            run(Some("fields:\r\n"), &[]),
            "fields:\r\n  created: { type: date }\r\n"
        );
    }

    #[test]
    fn a_field_of_another_type_is_refused_and_nothing_new_is_none() {
        let text = "fields:\n  created: { type: string }\n";
        let config = Config::parse(text, "cairn.yaml").unwrap();
        assert!(extend(Some(text), &config, &[DATE], &[])
            .unwrap_err()
            .contains("as string"));
        let text = "fields:\n  created: { type: date }\n";
        let config = Config::parse(text, "cairn.yaml").unwrap();
        assert_eq!(extend(Some(text), &config, &[DATE], &[]).unwrap(), None);
    }
}
