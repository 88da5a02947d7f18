//! `show`: one item in full.

use super::{string, text_schema, Ctx, Failure, Output, Tool};
use crate::config::Config;
use crate::query;
use crate::render::items;
use serde_json::{json, Map, Value};

pub const TOOL: Tool = Tool {
    name: "show",
    title: "Show an item",
    description: "One item by id, as `cairn show`: its list fields, owner, assignee, horizon, \
        statement, parent chain (ancestors), children, dependencies and dependents, progress, \
        score, every front-matter field as written (`fields`) and its Markdown `body`. The same \
        file is the resource cairn://item/ID.",
    read_only: true,
    destructive: false,
    input,
    output: Some(output),
    call,
};

fn input(_: &Config) -> Value {
    super::schema::object(
        json!({ "id": text_schema("The item's id (`S-14`).") }),
        &["id"],
    )
}

fn output() -> Value {
    let n = super::nullable;
    let ids = json!({ "type": "array", "items": { "type": "string" } });
    let mut schema = super::list::row_schema();
    let props = schema["properties"].as_object_mut().expect("object");
    for (k, v) in [
        ("version", json!({ "type": "integer" })),
        ("owner", n("string")),
        ("assignee", n("string")),
        ("horizon", n("string")),
        ("statement", n("string")),
        ("ancestors", ids.clone()),
        ("children", ids.clone()),
        ("depends_on", ids.clone()),
        ("dependents", ids),
        ("progress", n("number")),
        ("progress_detail", n("object")),
        ("score", n("number")),
        ("score_method", json!({ "type": "string" })),
        ("criteria", n("object")),
        ("fields", n("object")),
        ("body", n("string")),
    ] {
        props.insert(k.into(), v);
    }
    let required = schema["required"].as_array_mut().expect("array");
    for k in [
        "version",
        "children",
        "depends_on",
        "dependents",
        "progress",
        "score",
        "fields",
        "body",
    ] {
        required.push(k.into());
    }
    schema
}

fn call(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Output, Failure> {
    let id = string(args, "id").unwrap_or_default();
    super::freshen_item(ctx.live, &id);
    let (plan, source) = ctx.live.snapshot();
    let Some(detail) = query::show_with_text(plan, &source, &id) else {
        return Err(Failure(plan.unknown_item(&id).to_string()));
    };
    // The body stands in for the statement, its first paragraph.
    let mut brief = detail.clone();
    if detail.body.is_some() {
        brief.statement = None;
    }
    let mut text = items::show_text(plan, &brief, false);
    if let Some(body) = detail.body.as_deref().filter(|b| !b.trim().is_empty()) {
        text.push('\n');
        text.push_str(body);
    }
    Ok(Output::ok(items::show_json(&detail), text))
}
