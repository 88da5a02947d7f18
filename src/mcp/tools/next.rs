//! `next`: what to work on now.

use super::{kind_schema, method_schema, string, text_schema, Ctx, Failure, Output, Tool};
use crate::config::Config;
use crate::model::fmt_num;
use crate::priority::next::{self, Next, NextOptions};
use serde_json::{json, Map, Value};
use std::fmt::Write;

pub const TOOL: Tool = Tool {
    name: "next",
    title: "What to work on next",
    description: "The highest-ranked todo item (by default a story) whose dependencies are all \
        done, in `rank` order, with why it was chosen and why each item ranked above it was \
        passed over (already in progress, blocked by an unfinished dependency, won't have, or \
        someone else's when `owner` is given). `item` is null when nothing qualifies.",
    read_only: true,
    destructive: false,
    input,
    output: Some(output),
    call,
};

fn input(config: &Config) -> Value {
    super::schema::object(
        json!({
            "kind": kind_schema(config, "Kind of item (default: the leaf kind, usually `story`)."),
            "goal": text_schema("Only items under this goal (or any other ancestor id)."),
            "sprint": text_schema("Only items committed to this sprint."),
            "owner": text_schema("For this person: items owned by or assigned to someone else are passed over."),
            "method": method_schema(),
        }),
        &[],
    )
}

fn output() -> Value {
    let n = super::nullable;
    json!({
        "type": "object",
        "required": ["version", "method", "kind", "item", "why", "passed_over", "passed_over_count"],
        "properties": {
            "version": { "type": "integer" },
            "method": { "type": "string" },
            "kind": { "type": "string" },
            "item": super::or_null(json!({
                "type": "object",
                "required": ["rank", "id", "title", "status", "file", "depends_on"],
                "properties": {
                    "rank": { "type": "integer" },
                    "id": { "type": "string" },
                    "title": { "type": "string" },
                    "status": n("string"),
                    "file": { "type": "string" },
                    "parent": n("string"),
                    "estimate": n("number"),
                    "sprint": n("string"),
                    "moscow": n("string"),
                    "score": n("number"),
                    "depends_on": { "type": "array", "items": { "type": "string" } },
                },
            })),
            "why": { "type": "array", "items": { "type": "string" } },
            "passed_over": { "type": "array", "items": {
                "type": "object",
                "required": ["rank", "id", "reason"],
                "properties": {
                    "rank": { "type": "integer" },
                    "id": { "type": "string" },
                    "reason": { "type": "string" },
                },
            }},
            "passed_over_count": { "type": "integer" },
        },
    })
}

fn call(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Output, Failure> {
    let method = super::rank::method(ctx.live.config(), args)?;
    let plan = ctx.live.plan();
    let goal = string(args, "goal");
    if let Some(g) = &goal {
        if plan.get(g).is_none() {
            return Err(Failure(plan.unknown_item(g).to_string()));
        }
    }
    let sprint = string(args, "sprint");
    if let Some(s) = &sprint {
        if plan.config.sprint(s).is_none() {
            let names = plan.config.sprints.iter().map(|s| s.name.as_str());
            let hint = crate::suggest::did_you_mean(s, names)
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            return Err(Failure(format!("sprint `{s}` is not configured{hint}")));
        }
    }
    let options = NextOptions {
        kind: string(args, "kind"),
        under: goal,
        method: Some(method),
        sprint,
        owner: string(args, "owner"),
    };
    let (method, rank_options) = next::ranking(plan, &options);
    let ranked = ctx.rankings.get(ctx.live, method, &rank_options);
    let next = next::next_in(ctx.live.plan(), &ranked, &options);
    let text = text(&next);
    Ok(Output::ok(
        serde_json::to_value(&next).expect("serializable"),
        text,
    ))
}

fn text(n: &Next) -> String {
    let mut out = String::new();
    match &n.item {
        Some(i) => {
            let _ = writeln!(
                out,
                "next: {}  {}  ({}{}) · {}",
                i.id,
                i.title,
                i.status.as_deref().unwrap_or("no status"),
                i.estimate
                    .map(|e| format!(", {} pts", fmt_num(e)))
                    .unwrap_or_default(),
                i.file
            );
        }
        None => out.push_str("next: nothing\n"),
    }
    for w in &n.why {
        let _ = writeln!(out, "  {w}");
    }
    if !n.passed_over.is_empty() {
        out.push_str("passed over:\n");
        for p in &n.passed_over {
            let _ = writeln!(out, "  {:<8} {}", p.id, p.reason);
        }
        if n.passed_over_count > n.passed_over.len() {
            let _ = writeln!(
                out,
                "  … {} more",
                n.passed_over_count - n.passed_over.len()
            );
        }
    }
    out
}
