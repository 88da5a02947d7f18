//! `set`: edit an item's front matter in place, as `cairn set`.

use super::{
    discard, findings_text, flag, keep, preview, string, text_schema, unwritable, Ctx, Failure,
    Output, Tool,
};
use crate::config::Config;
use crate::edit::set::{self, SetReport};
use crate::edit::FieldEdit;
use crate::mcp::values;
use serde_json::{json, Map, Value};

pub const TOOL: Tool = Tool {
    name: "set",
    title: "Edit an item's fields",
    description: "Edit front-matter fields of item `id` in place, as `cairn set`: only the lines \
        of those fields change; comments, key order, quoting and the body stay as written. \
        `fields` maps a field (`status`, or a dotted key such as `rice.effort`) to its new JSON \
        value (written as YAML of the same type: `\"5\"` stays a string, `5` is a number); \
        `null` removes the field. The edit is refused, and nothing written, when it would add \
        an error anywhere in the plan (a broken reference, an unknown status, a cycle): `errors` \
        says why. Returns what changed and the line diff. The id cannot be changed here (ids \
        are referenced elsewhere: use `cairn renumber`).",
    read_only: false,
    destructive: true,
    input,
    output: Some(output),
    call,
};

fn input(_: &Config) -> Value {
    super::schema::object(
        json!({
            "id": text_schema("The item's id (`S-14`)."),
            "fields": {
                "type": "object",
                "minProperties": 1,
                "description": "Field → new JSON value; null removes the field. Nested keys may be dotted (`rice.effort`).",
                "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*$" },
            },
            "dry_run": { "type": "boolean", "description": "Check the edit and return the diff without writing." },
        }),
        &["id", "fields"],
    )
}

fn output() -> Value {
    let n = super::nullable;
    json!({
        "type": "object",
        "required": ["version", "id", "file", "dry_run", "written", "fields", "diff", "errors"],
        "properties": {
            "version": { "type": "integer" },
            "id": { "type": "string" },
            "file": { "type": "string" },
            "dry_run": { "type": "boolean" },
            "written": { "type": "boolean" },
            "fields": { "type": "array", "items": {
                "type": "object",
                "required": ["field", "from", "to"],
                "properties": { "field": { "type": "string" }, "from": n("string"), "to": n("string") },
            }},
            "diff": { "type": "string" },
            "errors": { "type": "array", "items": super::finding_schema() },
        },
    })
}

fn call(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Output, Failure> {
    if let Some(f) = unwritable(ctx) {
        return Err(f);
    }
    let id = string(args, "id").unwrap_or_default();
    let dry_run = flag(args, "dry_run");
    let mut edits = Vec::new();
    for (name, value) in args
        .get("fields")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if name == "title" {
            if let Some(why) = values::bad_title(value) {
                return Err(Failure(why));
            }
        }
        edits.push(FieldEdit::new(name, values::to_yaml(value))?);
    }
    super::freshen_item(ctx.live, &id);
    let prepared = {
        let (plan, source) = ctx.live.snapshot();
        set::prepare(plan, &source, &id, &edits)?
    };
    let files = vec![(prepared.file.clone(), prepared.new.clone())];
    if prepared.is_noop() {
        let report = SetReport::new(&prepared, dry_run, false, &[]);
        return Ok(Output::ok(
            serde_json::to_value(&report).expect("serializable"),
            format!("{}: nothing to change\n", prepared.file),
        ));
    }
    let (fresh, trial) = preview(ctx, &files);
    if !fresh.is_empty() {
        let report = SetReport::new(&prepared, dry_run, false, &fresh);
        let text = findings_text(ctx, fresh.clone());
        discard(ctx, trial);
        return Ok(Output {
            structured: Some(serde_json::to_value(&report).expect("serializable")),
            text: format!(
                "{text}\n{} not written: the edit would introduce {} error{}\n",
                prepared.file,
                fresh.len(),
                if fresh.len() == 1 { "" } else { "s" }
            ),
            is_error: true,
        });
    }
    let written = !dry_run;
    if written {
        keep(ctx, files, trial)?;
    } else {
        discard(ctx, trial);
    }
    let report = SetReport::new(&prepared, dry_run, written, &[]);
    let text = if written {
        format!("{}{}", report.summary(), report.diff)
    } else {
        format!("dry run, not written:\n{}", report.diff)
    };
    Ok(Output::ok(
        serde_json::to_value(&report).expect("serializable"),
        text,
    ))
}
