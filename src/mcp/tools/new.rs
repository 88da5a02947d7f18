//! `new`: create an item with the next free id, as `cairn new`.

use super::{
    adopt, discard, findings_text, kind_schema, preview, string, text_schema, unwritable, Ctx,
    Failure, Output, Tool,
};
use crate::config::Config;
use crate::mcp::values;
use crate::new::{self, NewItem};
use serde_json::{json, Map, Value};

pub const TOOL: Tool = Tool {
    name: "new",
    title: "Create an item",
    description: "Create an item from its kind's template (`.cairn/templates/items/KIND.md` \
        overrides the built-in one), as `cairn new`: the id is the next free one above every id \
        in the work tree, the index and every branch, so two branches do not mint the same id. \
        `fields` sets more front matter (`{\"estimate\": 3, \"tags\": [\"ux\"]}`: JSON values, \
        written as YAML of the same type), `body` replaces the template's Markdown body. \
        Refused, with the findings, when the new file would add an error to the plan. \
        Returns the new `id`, its `path` and its resource `uri`.",
    read_only: false,
    destructive: false,
    input,
    output: Some(output),
    call,
};

fn input(config: &Config) -> Value {
    super::schema::object(
        json!({
            "kind": kind_schema(config, "The kind of item."),
            "title": text_schema("The title, one line."),
            "parent": text_schema("The parent's id (a story's goal), which must exist."),
            "fields": {
                "type": "object",
                "description": "More front-matter fields: name → JSON value (string, number, boolean, list, object). Nested keys may be dotted (`rice.effort`).",
                "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*$" },
            },
            "body": { "type": "string", "description": "The Markdown body, in place of the template's." },
        }),
        &["kind", "title"],
    )
}

fn output() -> Value {
    json!({
        "type": "object",
        "required": ["version", "id", "kind", "path", "uri"],
        "properties": {
            "version": { "type": "integer" },
            "id": { "type": "string" },
            "kind": { "type": "string" },
            "path": { "type": "string", "description": "The new file, relative to the plan root." },
            "uri": { "type": "string" },
        },
    })
}

fn call(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Output, Failure> {
    if let Some(f) = unwritable(ctx) {
        return Err(f);
    }
    let title = args.get("title").cloned().unwrap_or(Value::Null);
    if let Some(why) = values::bad_title(&title) {
        return Err(Failure(why));
    }
    let mut fields = Vec::new();
    for (name, value) in args
        .get("fields")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if name == "title" {
            return Err(Failure("give the title as `title`, not in `fields`".into()));
        }
        if let Some(yaml) = values::to_yaml(value) {
            fields.push((name.clone(), yaml));
        }
    }
    let kind = string(args, "kind").unwrap_or_default();
    let req = NewItem {
        kind: kind.clone(),
        title: title.as_str().unwrap_or_default().to_string(),
        parent: string(args, "parent"),
        fields,
        body: string(args, "body"),
    };
    let root = ctx.live.root().to_path_buf();
    let draft = new::draft(&root, ctx.live.plan(), &req)?;
    crate::mcp::paths::inside(&root, &ctx.live.config().plan_dir, &draft.file).map_err(Failure)?;
    let files = vec![(draft.file.clone(), draft.text.clone().into_bytes())];
    let (fresh, trial) = preview(ctx, &files);
    if !fresh.is_empty() {
        let text = findings_text(ctx, fresh.clone());
        discard(ctx, trial);
        return Ok(Output {
            structured: None,
            text: format!(
                "{text}\nnot created: {} would add {} error{} to the plan\n",
                draft.file,
                fresh.len(),
                if fresh.len() == 1 { "" } else { "s" }
            ),
            is_error: true,
        });
    }
    // Written like `cairn new` (never over an existing file), then kept in memory as previewed.
    if let Err(e) = new::write(&draft) {
        discard(ctx, trial);
        return Err(e.into());
    }
    adopt(ctx, files);
    let uri = crate::mcp::resources::item_uri(&draft.id);
    let doc = json!({ "version": 1, "id": draft.id, "kind": kind, "path": draft.file, "uri": uri });
    let text = format!("created {} at {}\n", draft.id, draft.file);
    Ok(Output::ok(doc, text))
}
