//! `list` and `show`: items as a table or JSON, and one item in full.

use crate::model::fmt_num;
use crate::plan::Plan;
use crate::query::{progress_bar, Detail, Row};
use crate::render::table;
use serde_json::{json, Value};
use std::fmt::Write;

/// `cairn list --format json`: `{"version":1,"items":[…]}`.
pub fn list_json(rows: &[Row]) -> Value {
    json!({ "version": 1, "items": rows })
}

/// `cairn list`: a table of the rows, or a line saying nothing matched.
pub fn list_table(rows: &[Row]) -> String {
    let header = ["ID", "KIND", "STATUS", "EST", "SPRINT", "PARENT", "TITLE"];
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.kind.clone(),
                r.status.clone().unwrap_or_else(|| "?".into()),
                r.estimate.map(fmt_num).unwrap_or_default(),
                r.sprint.clone().unwrap_or_default(),
                r.parent.clone().unwrap_or_default(),
                r.title.clone(),
            ]
        })
        .collect();
    if body.is_empty() {
        "no items match\n".to_string()
    } else {
        table::render(&header, &body)
    }
}

/// `cairn show ID --format json`: the detail with `"version": 1` first.
pub fn show_json(detail: &Detail) -> Value {
    let mut doc = serde_json::Map::new();
    doc.insert("version".into(), 1.into());
    if let Value::Object(fields) = serde_json::to_value(detail).expect("serializable") {
        doc.extend(fields);
    }
    Value::Object(doc)
}

/// `cairn show ID`: a header, the fields that are set, the related items and the statement.
/// With `color`, the id and title are bold.
pub fn show_text(plan: &Plan, detail: &Detail, color: bool) -> String {
    let bold = |s: &str| {
        if color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let title = |id: &String| {
        plan.get(id).map_or_else(
            || format!("{id}  (missing)"),
            |i| {
                format!(
                    "{id}  {}  ({})",
                    i.title,
                    i.status.as_deref().unwrap_or("?")
                )
            },
        )
    };
    let mut out = String::new();
    let r = &detail.row;
    let _ = writeln!(out, "{}  {}", bold(&r.id), bold(&r.title));
    let _ = writeln!(
        out,
        "{} · {} ({}) · {}",
        r.kind,
        r.status.as_deref().unwrap_or("no status"),
        r.category.map_or("?".into(), |c| c.to_string()),
        r.file
    );
    out.push('\n');
    let mut field = |name: &str, value: String| {
        let _ = writeln!(out, "  {name:<12}{value}");
    };
    if let Some(p) = &r.parent {
        let kind = plan.get(p).map_or("parent", |i| plan.kind_name(i));
        field(kind, title(p));
    }
    for (name, value) in [
        ("owner", &detail.owner),
        ("assignee", &detail.assignee),
        ("horizon", &detail.horizon),
    ] {
        if let Some(v) = value {
            field(name, v.clone());
        }
    }
    if let Some(e) = r.estimate {
        field("estimate", fmt_num(e));
    }
    if let Some(s) = &r.sprint {
        field("sprint", s.clone());
    }
    if let Some(m) = &r.moscow {
        field("moscow", m.clone());
    }
    field(
        "score",
        detail.score.map_or_else(
            || format!("– ({} inputs missing)", detail.score_method),
            |s| format!("{} ({})", fmt_num(s), detail.score_method),
        ),
    );
    if !r.tags.is_empty() {
        field("tags", r.tags.join(", "));
    }
    if let Some(p) = &detail.progress_detail {
        field("progress", progress_bar(p));
    }
    for (name, ids) in [
        ("depends on", &detail.depends_on),
        ("dependents", &detail.dependents),
        ("children", &detail.children),
    ] {
        for (n, id) in ids.iter().enumerate() {
            field(if n == 0 { name } else { "" }, title(id));
        }
    }
    if let Some(s) = &detail.statement {
        let _ = write!(out, "\n{s}\n");
    }
    out
}
