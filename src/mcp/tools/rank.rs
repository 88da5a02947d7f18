//! `rank`: the ranked backlog.

use super::{
    count, flag, kind_schema, method_schema, string, text_schema, Ctx, Failure, Output, Tool,
};
use crate::config::{Config, Method};
use crate::priority::rank::RankOptions;
use crate::render::ranking;
use serde_json::{json, Map, Value};

pub const TOOL: Tool = Tool {
    name: "rank",
    title: "Rank the backlog",
    description: "The ranked backlog, as `cairn rank`: MoSCoW class (own or inherited from the \
        goal), then score, then id, with every dependency pulled up before its dependents. Each \
        item has its score, the inputs and arithmetic behind it (or why it is unscored), and \
        `pulled_up_by`. Open items only unless `all`. `explain` adds the reasons to the text.",
    read_only: true,
    destructive: false,
    input,
    output: Some(output),
    call,
};

fn input(config: &Config) -> Value {
    super::schema::object(
        json!({
            "kind": kind_schema(config, "Kind of item to rank (default: the leaf kind that has items, usually `story`)."),
            "goal": text_schema("Only items under this goal (or any other ancestor id)."),
            "top": { "type": "integer", "minimum": 1, "description": "Only the first N items." },
            "method": method_schema(),
            "explain": { "type": "boolean", "description": "Show each score's arithmetic and why an item moved in the text (the structured result always has them)." },
            "all": { "type": "boolean", "description": "Include done and dropped items." },
        }),
        &[],
    )
}

fn output() -> Value {
    let n = super::nullable;
    json!({
        "type": "object",
        "required": ["version", "method", "items"],
        "properties": {
            "version": { "type": "integer" },
            "method": { "type": "string" },
            "items": { "type": "array", "items": {
                "type": "object",
                "required": ["rank", "id", "title", "kind", "moscow", "score", "inputs", "pulled_up_by"],
                "properties": {
                    "rank": { "type": "integer" },
                    "id": { "type": "string" },
                    "title": { "type": "string" },
                    "kind": { "type": "string" },
                    "moscow": n("string"),
                    "moscow_inherited_from": n("string"),
                    "score": n("number"),
                    "inputs": { "type": "object" },
                    "arithmetic": n("string"),
                    "unscored_reason": n("string"),
                    "pulled_up_by": n("string"),
                },
            }},
        },
    })
}

/// The method named in `args`, or the configured one; formula only when configured.
pub fn method(config: &Config, args: &Map<String, Value>) -> Result<Method, Failure> {
    let method = string(args, "method")
        .and_then(|m| Method::from_name(&m))
        .unwrap_or(config.method);
    if method == Method::Formula && config.formula_expr.is_none() {
        return Err(Failure(
            "method `formula` needs `scoring.formula` in cairn.yaml".into(),
        ));
    }
    Ok(method)
}

fn call(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Output, Failure> {
    let method = method(ctx.live.config(), args)?;
    let plan = ctx.live.plan();
    let goal = string(args, "goal");
    if let Some(g) = &goal {
        if plan.get(g).is_none() {
            return Err(Failure(plan.unknown_item(g).to_string()));
        }
    }
    let kind = string(args, "kind").unwrap_or_else(|| crate::kinds::leaf(plan).name);
    let all = flag(args, "all");
    let options = RankOptions {
        kind: Some(kind.clone()),
        under: goal,
        all,
    };
    let ranked = ctx.rankings.get(ctx.live, method, &options);
    let ranked = &ranked[..ranked.len().min(count(args, "top").unwrap_or(usize::MAX))];
    let plan = ctx.live.plan();
    let text = ranking::table(plan, method, ranked, flag(args, "explain"), &kind, all);
    Ok(Output::ok(ranking::json(plan, method, ranked), text))
}
