//! `list`: items with `cairn list`'s filters.

use super::{count, kind_names, strings, Ctx, Failure, Output, Tool, TEXT_LIMIT};
use crate::config::{Category, Config};
use crate::query::{self, Filter};
use crate::render::items;
use serde_json::{json, Map, Value};

pub const TOOL: Tool = Tool {
    name: "list",
    title: "List items",
    description: "List the plan's items (id, kind, title, status, category, file, parent, \
        estimate, sprint, moscow, tags), ordered by kind then id number, as `cairn list`. Every \
        filter is a list of alternatives; filters combine with AND. `goal` keeps items under \
        those goals (or any other ancestor ids); `owner` matches owner or assignee.",
    read_only: true,
    destructive: false,
    input,
    output: Some(output),
    call,
};

fn input(config: &Config) -> Value {
    let kinds = kind_names(config);
    let s = super::schema::strings;
    super::schema::object(
        json!({
            "kind": s(Some(&kinds), "Only items of these kinds."),
            "status": s(None, "Only items in these statuses (`ready`, `in-progress`, …)."),
            "category": s(Some(&["todo", "doing", "done", "dropped"]), "Only items whose status is in these categories."),
            "goal": s(None, "Only items under these goals or other ancestors (ids)."),
            "tag": s(None, "Only items with one of these tags."),
            "owner": s(None, "Only items owned by or assigned to one of these people."),
            "sprint": s(None, "Only items in these sprints."),
            "limit": { "type": "integer", "minimum": 1, "description": "Return at most this many items (default: all)." },
        }),
        &[],
    )
}

/// The schema of one `list` row.
pub fn row_schema() -> Value {
    let n = super::nullable;
    json!({
        "type": "object",
        "required": ["id", "kind", "title", "status", "category", "file", "parent", "estimate", "sprint", "moscow", "tags"],
        "properties": {
            "id": { "type": "string" },
            "kind": { "type": "string" },
            "title": { "type": "string" },
            "status": n("string"),
            "category": super::or_null(json!({ "type": "string", "enum": ["todo", "doing", "done", "dropped"] })),
            "file": { "type": "string" },
            "parent": n("string"),
            "estimate": n("number"),
            "sprint": n("string"),
            "moscow": n("string"),
            "tags": { "type": "array", "items": { "type": "string" } },
        },
    })
}

fn output() -> Value {
    json!({
        "type": "object",
        "required": ["version", "items"],
        "properties": {
            "version": { "type": "integer" },
            "items": { "type": "array", "items": row_schema() },
        },
    })
}

fn call(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Output, Failure> {
    let filter = Filter {
        kinds: strings(args, "kind"),
        statuses: strings(args, "status"),
        categories: strings(args, "category")
            .iter()
            .filter_map(|c| Category::from_name(c))
            .collect(),
        under: strings(args, "goal"),
        tags: strings(args, "tag"),
        owners: strings(args, "owner"),
        sprints: strings(args, "sprint"),
    };
    let plan = ctx.live.plan();
    let mut rows = query::list(plan, &filter);
    if let Some(limit) = count(args, "limit") {
        rows.truncate(limit);
    }
    let mut text = items::list_table(&rows[..rows.len().min(TEXT_LIMIT)]);
    if rows.len() > TEXT_LIMIT {
        text.push_str(&format!(
            "… {} more items in the structured result\n",
            rows.len() - TEXT_LIMIT
        ));
    }
    Ok(Output::ok(items::list_json(&rows), text))
}
