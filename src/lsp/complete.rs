//! Completion: field names, values of the field under the cursor (ids with titles, statuses of the
//! item's kind, sprints, MoSCoW classes, configured values), and paths and anchors inside `](`.

use super::navigate::{headings, At};
use super::position::{utf16_of_char, LineIndex};
use super::state::State;
use crate::config::{Config, FieldType};
use crate::model::{split_id, Moscow, BUILTIN_FIELDS, GOAL_FIELDS, STORY_FIELDS};
use crate::parse::item::quick_id;
use crate::plan::Plan;
use crate::source::{percent_decode, resolve_link};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionResponse, CompletionTextEdit,
    Position, Range, TextEdit, Uri,
};
use std::collections::BTreeSet;

/// Most items returned at once; the list is marked incomplete past this, so the editor asks again
/// as the user types.
const MAX_ITEMS: usize = 500;

/// What to offer at the cursor.
pub fn completion(state: &mut State, uri: &Uri, pos: Position) -> Option<CompletionResponse> {
    let at = At::new(state, uri, pos)?;
    let line = at.line_text().to_string();
    let prefix: String = line.chars().take(at.column - 1).collect();
    let fm_end = front_matter_end(&at.text, &at.lines);
    let in_front_matter = at.line > 1 && fm_end.is_some_and(|end| at.line < end);
    let mut out = Completions {
        line: pos.line,
        line_text: line.clone(),
        cursor: at.column - 1,
        items: Vec::new(),
        incomplete: false,
        lead: "",
    };
    if in_front_matter {
        front_matter(state, &at, &prefix, &mut out);
    } else {
        body(state, &at, &prefix, &mut out);
    }
    Some(CompletionResponse::List(CompletionList {
        is_incomplete: out.incomplete,
        items: out.items,
    }))
}

/// The 1-based line of the closing `---` when the file starts with front matter (one past the
/// last line while it is not closed yet).
pub(super) fn front_matter_end(text: &str, lines: &LineIndex) -> Option<usize> {
    let first = lines.line(text, 0)?;
    if first.strip_prefix('\u{feff}').unwrap_or(first).trim_end() != "---" {
        return None;
    }
    let end = (1..lines.len()).find_map(|i| {
        let l = lines.line(text, i)?.trim_end();
        (l == "---" || l == "...").then_some(i + 1)
    });
    Some(end.unwrap_or(lines.len() + 1))
}

struct Completions {
    line: u32,
    line_text: String,
    /// 0-based character column of the cursor.
    cursor: usize,
    items: Vec<CompletionItem>,
    incomplete: bool,
    /// Text put before every insertion (a space right after `key:`).
    lead: &'static str,
}

impl Completions {
    /// Adds an item replacing the text from 0-based character `from` to the cursor.
    fn add(&mut self, label: &str, detail: Option<String>, kind: CompletionItemKind, from: usize) {
        self.add_full(label, label, label, detail, kind, from);
    }

    fn add_full(
        &mut self,
        label: &str,
        insert: &str,
        filter: &str,
        detail: Option<String>,
        kind: CompletionItemKind,
        from: usize,
    ) {
        let start = utf16_of_char(&self.line_text, from);
        let end = utf16_of_char(&self.line_text, self.cursor);
        let range = Range::new(
            Position::new(self.line, start),
            Position::new(self.line, end),
        );
        let n = self.items.len();
        self.items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            sort_text: Some(format!("{n:05}")),
            filter_text: Some(filter.to_string()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: format!("{}{insert}", self.lead),
            })),
            ..CompletionItem::default()
        });
    }
}

fn front_matter(state: &mut State, at: &At, prefix: &str, out: &mut Completions) {
    let config = state.config().clone();
    let kind = quick_id(&at.text)
        .as_deref()
        .and_then(|id| split_id(id).and_then(|(p, _)| config.kind_by_prefix(p)));
    let trimmed = prefix.trim_start();
    let indent = prefix.chars().count() - trimmed.chars().count();
    // A value starts after the last separator (`goal: G-`, `depends_on: [S-1, S-`).
    let value_start = |p: &str| -> usize {
        let chars: Vec<char> = p.chars().collect();
        chars
            .iter()
            .rposition(|c| matches!(c, ' ' | '[' | ',' | ':' | '{' | '"' | '\''))
            .map_or(0, |i| i + 1)
    };
    if indent == 0 && !trimmed.contains(':') && !trimmed.starts_with('-') {
        let present = top_level_keys(at);
        field_names(&config, kind, &present, out);
        return;
    }
    if indent == 0 {
        let key = trimmed.split(':').next().unwrap_or("").trim().to_string();
        let after = prefix.split_once(':').map_or("", |(_, v)| v);
        let from = prefix.chars().count() - after.chars().count() + value_start(after);
        if after.is_empty() {
            out.lead = " ";
        }
        values(state, &config, kind, &key, at, from, out);
        return;
    }
    // Indented: an entry of a block list, or a key of a nested mapping.
    let Some(parent) = parent_key(at) else { return };
    if let Some(rest) = trimmed.strip_prefix('-') {
        let from = prefix.chars().count() - rest.trim_start().chars().count();
        values(state, &config, kind, &parent, at, from, out);
    } else if !trimmed.contains(':') {
        let subs: &[&str] = match parent.as_str() {
            "rice" => &["reach", "impact", "confidence", "effort"],
            "ice" => &["impact", "confidence", "ease"],
            "wsjf" => &[
                "business_value",
                "time_criticality",
                "risk_reduction",
                "job_size",
            ],
            _ => &[],
        };
        for s in subs {
            out.add_full(
                s,
                &format!("{s}: "),
                s,
                Some(format!("{parent}.{s}")),
                CompletionItemKind::FIELD,
                indent,
            );
        }
    }
}

/// The top-level keys written in the front matter.
fn top_level_keys(at: &At) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for i in 1..at.lines.len() {
        let Some(l) = at.lines.line(&at.text, i) else {
            break;
        };
        if l.trim_end() == "---" || l.trim_end() == "..." {
            break;
        }
        if i + 1 == at.line {
            continue;
        }
        if !l.starts_with([' ', '\t', '-', '#']) {
            if let Some((k, _)) = l.split_once(':') {
                keys.insert(k.trim().to_string());
            }
        }
    }
    keys
}

/// The nearest top-level key above the cursor's line.
pub(super) fn parent_key(at: &At) -> Option<String> {
    (1..at.line - 1).rev().find_map(|i| {
        let l = at.lines.line(&at.text, i)?;
        if l.starts_with([' ', '\t', '-', '#']) || l.trim().is_empty() {
            return None;
        }
        l.split_once(':').map(|(k, _)| k.trim().to_string())
    })
}

fn field_names(
    config: &Config,
    kind: Option<usize>,
    present: &BTreeSet<String>,
    out: &mut Completions,
) {
    let kind_def = kind.map(|k| &config.kinds[k]);
    let has_parent = kind_def.is_none_or(|k| k.parent.is_some());
    let goal_like = kind_def.is_none_or(|k| k.parent.is_none() || config.has_children(&k.name));
    let mut names: Vec<(String, String)> = BUILTIN_FIELDS
        .iter()
        .filter(|f| {
            (goal_like || !GOAL_FIELDS.contains(f)) && (has_parent || !STORY_FIELDS.contains(f))
        })
        .map(|f| (f.to_string(), builtin_detail(f).to_string()))
        .collect();
    let parents: BTreeSet<&str> = match kind_def {
        Some(k) => k.parent.iter().map(String::as_str).collect(),
        None => config
            .kinds
            .iter()
            .filter_map(|k| k.parent.as_deref())
            .collect(),
    };
    for p in parents {
        names.push((p.to_string(), format!("the {p} this item belongs to")));
    }
    for f in &config.fields {
        names.push((f.name.clone(), format!("custom {} field", f.ty.as_str())));
    }
    for (name, detail) in names.iter().filter(|(n, _)| !present.contains(n)) {
        out.add_full(
            name,
            &format!("{name}: "),
            name,
            Some(detail.clone()),
            CompletionItemKind::FIELD,
            0,
        );
    }
}

fn builtin_detail(field: &str) -> &'static str {
    match field {
        "id" => "required: PREFIX-N",
        "title" => "required: a short name",
        "status" => "required: a status of the kind",
        "owner" | "assignee" => "a person",
        "tags" => "a list of strings",
        "depends_on" => "a list of ids",
        "moscow" => "must, should, could or wont",
        "rice" => "{ reach, impact, confidence, effort }",
        "ice" => "{ impact, confidence, ease }",
        "wsjf" => "{ business_value, time_criticality, risk_reduction, job_size }",
        "horizon" => "now, next, later, YYYY-Qn or YYYY-MM",
        "key_results" => "a list of results",
        "estimate" => "story points",
        "sprint" => "a configured sprint",
        _ => "",
    }
}

fn values(
    state: &mut State,
    config: &Config,
    kind: Option<usize>,
    key: &str,
    at: &At,
    from: usize,
    out: &mut Completions,
) {
    let parent_field = match kind {
        Some(k) => config.kinds[k].parent.as_deref() == Some(key),
        None => config
            .kinds
            .iter()
            .any(|k| k.parent.as_deref() == Some(key)),
    };
    let constant = |out: &mut Completions, values: &[&str], detail: &str| {
        for v in values {
            out.add(v, Some(detail.to_string()), CompletionItemKind::VALUE, from);
        }
    };
    match key {
        "status" => {
            let kinds: Vec<usize> = match kind {
                Some(k) => vec![k],
                None => (0..config.kinds.len()).collect(),
            };
            let mut seen = BTreeSet::new();
            for k in kinds {
                for (s, c) in &config.kinds[k].statuses {
                    if seen.insert(s.clone()) {
                        let detail = format!("{} status ({c})", config.kinds[k].name);
                        out.add(s, Some(detail), CompletionItemKind::ENUM_MEMBER, from);
                    }
                }
            }
        }
        "depends_on" => {
            let own = quick_id(&at.text);
            let token = token(out, from);
            let plan = state.plan();
            ids(plan, out, from, &token, |i| Some(&i.id) != own.as_ref());
        }
        _ if parent_field => {
            let token = token(out, from);
            let plan = state.plan();
            ids(plan, out, from, &token, |i| plan.kind_name(i) == key);
        }
        "sprint" => {
            for s in &config.sprints {
                let mut detail = match (&s.start, &s.end) {
                    (Some(a), Some(b)) => format!("{a} – {b}"),
                    _ => String::from("sprint"),
                };
                if let Some(c) = s.capacity {
                    detail.push_str(&format!(", capacity {}", crate::model::fmt_num(c)));
                }
                out.add(&s.name, Some(detail), CompletionItemKind::VALUE, from);
            }
        }
        "moscow" => constant(out, &Moscow::NAMES, "MoSCoW class"),
        "horizon" => constant(out, &["now", "next", "later"], "horizon"),
        "owner" | "assignee" | "tags" => {
            let plan = state.plan();
            let mut seen = BTreeSet::new();
            for i in &plan.items {
                match key {
                    "tags" => seen.extend(i.tags.iter().cloned()),
                    _ => seen.extend(i.owner.iter().chain(&i.assignee).cloned()),
                }
            }
            for v in &seen {
                out.add(
                    v,
                    Some(format!("used as `{key}`")),
                    CompletionItemKind::VALUE,
                    from,
                );
            }
        }
        _ => {
            if let Some(def) = config.field(key) {
                match (&def.values, def.ty) {
                    (Some(values), _) => {
                        let v: Vec<&str> = values.iter().map(String::as_str).collect();
                        constant(out, &v, &format!("allowed value of `{key}`"));
                    }
                    (None, FieldType::Boolean) => constant(out, &["true", "false"], "boolean"),
                    _ => {}
                }
            }
        }
    }
}

/// The text typed between `from` and the cursor.
fn token(out: &Completions, from: usize) -> String {
    out.line_text
        .chars()
        .skip(from)
        .take(out.cursor.saturating_sub(from))
        .collect()
}

/// Ids of the items `keep` accepts, with their titles, matching what was typed by id or title.
fn ids(
    plan: &Plan,
    out: &mut Completions,
    from: usize,
    typed: &str,
    keep: impl Fn(&crate::model::Item) -> bool,
) {
    let typed = typed.to_lowercase();
    let mut found: Vec<&crate::model::Item> = plan
        .items
        .iter()
        .filter(|i| keep(i))
        .filter(|i| {
            typed.is_empty()
                || i.id.to_lowercase().starts_with(&typed)
                || i.title.to_lowercase().contains(&typed)
        })
        .collect();
    found.sort_by_key(|i| (i.kind, i.number));
    found.dedup_by(|a, b| a.id == b.id);
    if found.len() > MAX_ITEMS {
        found.truncate(MAX_ITEMS);
        out.incomplete = true;
    }
    for i in found {
        let status = i.status.as_deref().unwrap_or("no status");
        out.add_full(
            &i.id,
            &i.id,
            &format!("{} {}", i.id, i.title),
            Some(format!("{} ({status})", i.title)),
            CompletionItemKind::REFERENCE,
            from,
        );
    }
}

fn body(state: &mut State, at: &At, prefix: &str, out: &mut Completions) {
    let Some(open) = prefix.rfind("](") else {
        return;
    };
    let dest = &prefix[open + 2..];
    if dest.contains([')', ' ']) {
        return;
    }
    let dest_from = prefix[..open + 2].chars().count();
    if let Some((path, _)) = dest.split_once('#') {
        let path = percent_decode(path);
        let target = if path.is_empty() {
            Some(at.rel.clone())
        } else {
            resolve_link(&at.rel, &path)
        };
        let Some(text) = target.and_then(|t| state.text(&t)) else {
            return;
        };
        let from = dest_from + path.chars().count() + 1;
        for (anchor, line) in headings(&text) {
            out.add(
                &anchor,
                Some(format!("heading on line {}", line + 1)),
                CompletionItemKind::REFERENCE,
                from,
            );
        }
        return;
    }
    let plan = state.plan();
    let titles: std::collections::HashMap<&str, String> = plan
        .items
        .iter()
        .map(|i| (i.file.as_str(), format!("{} {}", i.id, i.title)))
        .collect();
    let typed = percent_decode(dest).to_lowercase();
    let mut paths: Vec<(String, Option<String>)> = plan
        .files
        .iter()
        .filter(|f| f.path != at.rel)
        .map(|f| {
            (
                crate::source::relative_path(&at.rel, &f.path),
                titles.get(f.path.as_str()).cloned(),
            )
        })
        .filter(|(p, t)| {
            typed.is_empty()
                || p.to_lowercase().contains(&typed)
                || t.as_ref()
                    .is_some_and(|t| t.to_lowercase().contains(&typed))
        })
        .collect();
    if paths.len() > MAX_ITEMS {
        paths.truncate(MAX_ITEMS);
        out.incomplete = true;
    }
    for (path, title) in paths {
        let encoded = path.replace('%', "%25").replace(' ', "%20");
        let filter = format!("{encoded} {}", title.as_deref().unwrap_or(""));
        out.add_full(
            &encoded,
            &encoded,
            &filter,
            title,
            CompletionItemKind::FILE,
            dest_from,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            crate::source::relative_path("plan/stories/S-1.md", "plan/goals/G-1.md"),
            "../goals/G-1.md"
        );
        assert_eq!(
            crate::source::relative_path("plan/stories/S-1.md", "plan/stories/S-2.md"),
            "S-2.md"
        );
        assert_eq!(
            crate::source::relative_path("README.md", "plan/a.md"),
            "plan/a.md"
        );
    }

    #[test]
    fn front_matter_ends_at_the_closing_fence() {
        let text = "---\nid: S-1\n---\nbody\n";
        assert_eq!(front_matter_end(text, &LineIndex::new(text)), Some(3));
        let doc = "# Notes\n";
        assert_eq!(front_matter_end(doc, &LineIndex::new(doc)), None);
    }
}
