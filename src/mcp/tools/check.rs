//! `check`: every finding of `cairn check`, and the summary.

use super::{findings_text, strings, Ctx, Failure, Output, Tool};
use crate::config::Config;
use serde_json::{json, Map, Value};

pub const TOOL: Tool = Tool {
    name: "check",
    title: "Check the plan",
    description: "Validate the whole plan as `cairn check` does: every item, reference, link, \
        sprint and rule. Returns each finding (rule, severity, file, line, column, message, help) \
        and a summary of errors and warnings. `paths` keeps only findings in those files or \
        folders (relative to the plan root); the whole plan is still checked.",
    read_only: true,
    destructive: false,
    input,
    output: Some(output),
    call,
};

fn input(_: &Config) -> Value {
    super::schema::object(
        json!({
            "paths": super::schema::strings(None, "Only findings in these files or folders, relative to the plan root (`plan/stories`)."),
        }),
        &[],
    )
}

fn output() -> Value {
    json!({
        "type": "object",
        "required": ["version", "items", "diagnostics", "summary"],
        "properties": {
            "version": { "type": "integer" },
            "items": { "type": "integer" },
            "diagnostics": { "type": "array", "items": super::finding_schema() },
            "summary": {
                "type": "object",
                "required": ["errors", "warnings"],
                "properties": {
                    "errors": { "type": "integer" },
                    "warnings": { "type": "integer" },
                },
            },
        },
    })
}

fn call(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Output, Failure> {
    let mut findings: Vec<_> = ctx.live.findings().iter().cloned().collect();
    let stale = stale_parent(ctx);
    if !stale.is_empty() {
        findings.extend(stale);
        findings.sort_by(|a, b| {
            (&a.file, a.span.line, a.span.column, a.rule).cmp(&(
                &b.file,
                b.span.line,
                b.span.column,
                b.rule,
            ))
        });
    }
    let paths = strings(args, "paths");
    let (plan, source) = ctx.live.snapshot();
    let mut report = crate::CheckReport::new(plan, &source, Vec::new());
    report.diagnostics = findings;
    if !paths.is_empty() {
        report.retain_paths(&paths);
    }
    let doc = crate::render::json::document(&report);
    let summary = crate::render::human::summary_line(&report, false);
    let diagnostics = std::mem::take(&mut report.diagnostics);
    let mut text = findings_text(ctx, diagnostics);
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&summary);
    text.push('\n');
    Ok(Output::ok(doc, text))
}

/// `stale-parent`, which reads git history, when the config turns it on (as `cairn check`).
fn stale_parent(ctx: &mut Ctx<'_>) -> Vec<crate::diagnostic::Diagnostic> {
    use crate::diagnostic::{Level, Rule, Severity};
    let level = ctx.live.config().level(Rule::StaleParent);
    if level == Level::Off {
        return Vec::new();
    }
    let Ok(repo) = crate::git::Repo::discover(ctx.live.root()) else {
        return Vec::new();
    };
    let options = crate::history::WalkOptions {
        cache: true,
        ..Default::default()
    };
    let Ok(history) = crate::history::walk(&repo, ctx.live.config(), &options) else {
        return Vec::new();
    };
    let plan = ctx.live.plan();
    crate::history::stale::diagnostics(plan, &history)
        .into_iter()
        .map(|mut d| {
            if level == Level::Error {
                d.severity = Severity::Error;
            }
            d
        })
        .collect()
}
