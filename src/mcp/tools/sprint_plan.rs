//! `sprint_plan`: fill a sprint in rank order, as `cairn sprint plan` (a dry run unless `write`).

use super::{
    discard, findings_text, flag, keep, number, preview, string, text_schema, unwritable, Ctx,
    Failure, Output, Tool,
};
use crate::config::Config;
use crate::priority::sprint::{self, SprintOptions};
use crate::render::sprint_plan;
use serde_json::{json, Map, Value};

pub const TOOL: Tool = Tool {
    name: "sprint_plan",
    title: "Plan a sprint",
    description: "Fill a sprint in rank order with todo stories whose dependencies are done or \
        planned earlier, up to capacity, as `cairn sprint plan`: Won't-have stories are skipped \
        unless `include_wont`, and every story left out says why. A dry run unless `write` is \
        true, which sets `sprint:` in the planned stories' files (only that line changes; \
        refused, with the findings, if it would add an error). `sprint` defaults to the next one \
        that starts after today, `capacity` to the sprint's in cairn.yaml.",
    read_only: false,
    destructive: false,
    input,
    output: Some(output),
    call,
};

fn input(_: &Config) -> Value {
    super::schema::object(
        json!({
            "sprint": text_schema("The sprint to fill (default: the next one that starts after today)."),
            "capacity": { "type": "number", "minimum": 0, "description": "Capacity in story points (default: the sprint's `capacity` in cairn.yaml)." },
            "write": { "type": "boolean", "default": false, "description": "Set `sprint:` in the planned stories' files (default false: a dry run)." },
            "require_ready": { "type": "boolean", "description": "Only take stories whose status is `ready`." },
            "include_wont": { "type": "boolean", "description": "Also plan stories whose MoSCoW class (own or inherited) is `wont`." },
        }),
        &[],
    )
}

fn output() -> Value {
    let id_and = |k: &str, t: &str| {
        json!({
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", k],
                "properties": { "id": { "type": "string" }, k: { "type": t } },
            },
        })
    };
    json!({
        "type": "object",
        "required": ["version", "sprint", "capacity", "already_committed", "planned", "skipped", "remaining"],
        "properties": {
            "version": { "type": "integer" },
            "sprint": { "type": "string" },
            "capacity": { "type": "number" },
            "already_committed": { "type": "number" },
            "planned": id_and("estimate", "number"),
            "skipped": id_and("reason", "string"),
            "remaining": { "type": "number" },
            "must_share": super::nullable("number"),
            "warnings": { "type": "array", "items": { "type": "string" } },
        },
    })
}

fn call(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Output, Failure> {
    let write = flag(args, "write");
    if write {
        if let Some(f) = unwritable(ctx) {
            return Err(f);
        }
    }
    let options = SprintOptions {
        sprint: string(args, "sprint"),
        capacity: number(args, "capacity"),
        require_ready: flag(args, "require_ready"),
        today: Some(ctx.today.to_string()),
        method: None,
        include_wont: flag(args, "include_wont"),
    };
    let (result, files) = {
        let (plan, source) = ctx.live.snapshot();
        let result = sprint::plan_sprint(plan, &options)?;
        let files = if write {
            sprint::edits(&source, &plan.config, &result)?
        } else {
            Vec::new()
        };
        (result, files)
    };
    if !files.is_empty() {
        let (fresh, trial) = preview(ctx, &files);
        if !fresh.is_empty() {
            let text = findings_text(ctx, fresh.clone());
            discard(ctx, trial);
            return Ok(Output {
                structured: Some(sprint_plan::json(&result)),
                text: format!(
                    "{text}\nnot written: setting the sprint would introduce {} error{}\n",
                    fresh.len(),
                    if fresh.len() == 1 { "" } else { "s" }
                ),
                is_error: true,
            });
        }
        keep(ctx, files, trial)?;
    }
    let mut text = sprint_plan::text(&result, write);
    if !write {
        text = text.replace(
            "run again with --write to set `sprint:` in these files",
            "call again with `write: true` to set `sprint:` in these files",
        );
    }
    Ok(Output::ok(sprint_plan::json(&result), text))
}
