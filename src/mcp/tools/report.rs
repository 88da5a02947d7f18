//! `report`: a report's Markdown, or its whole template context as JSON.

use super::{string, text_schema, Ctx, Failure, Output, Tool};
use crate::config::Config;
use crate::report::{self, template, Report, ReportOptions};
use serde_json::{json, Map, Value};

pub const TOOL: Tool = Tool {
    name: "report",
    title: "Render a report",
    description: "A report, as `cairn report NAME`: `roadmap` (goals by horizon with progress), \
        `backlog` (ranked stories), `sprint` (committed against capacity; `sprint` names it, \
        default the current one), `alignment` (goals in priority order against where the \
        sprints' points go) or `metrics` (cycle time, throughput and flow from git history). \
        `format` `md` (default) gives the Markdown the built-in or overriding template renders; \
        `json` gives the template's whole context as structured content.",
    read_only: true,
    destructive: false,
    input,
    output: None,
    call,
};

fn input(_: &Config) -> Value {
    super::schema::object(
        json!({
            "name": super::schema::one_of(&["roadmap", "backlog", "sprint", "alignment", "metrics"], "Which report."),
            "format": super::schema::one_of(&["md", "json"], "`md` (default): the rendered Markdown; `json`: the template context."),
            "sprint": text_schema("For the sprint report: the sprint (default: the current one, else the next)."),
        }),
        &["name"],
    )
}

fn call(ctx: &mut Ctx<'_>, args: &Map<String, Value>) -> Result<Output, Failure> {
    let name = string(args, "name").unwrap_or_default();
    let sprint = string(args, "sprint");
    let report = match name.as_str() {
        "roadmap" => Report::Roadmap,
        "backlog" => Report::Backlog,
        "sprint" => Report::Sprint(sprint.clone()),
        "alignment" => Report::Alignment,
        _ => Report::Metrics,
    };
    if sprint.is_some() && !matches!(report, Report::Sprint(_)) {
        return Err(Failure("only the sprint report takes `sprint`".into()));
    }
    let today = ctx.today.to_string();
    let mut options = ReportOptions {
        now: crate::timefmt::parse_date(&today).map_or(0, |d| d + 86_399),
        today,
        source: "work tree".into(),
        history: None,
        goal: None,
        forecast: None,
    };
    if matches!(report, Report::Metrics | Report::Sprint(_)) {
        let repo = crate::git::Repo::discover(ctx.live.root());
        match (&report, repo) {
            (Report::Metrics, Err(e)) => {
                return Err(Failure(format!(
                    "{e}; metrics read the plan's history from git"
                )))
            }
            (_, Ok(repo)) => {
                let walk = crate::history::WalkOptions {
                    cache: true,
                    ..Default::default()
                };
                match crate::history::walk(&repo, ctx.live.config(), &walk) {
                    Ok(h) => options.history = Some(h),
                    Err(e) if report == Report::Metrics => {
                        return Err(Failure(format!("cannot read the plan's history: {e}")))
                    }
                    Err(_) => {} // the sprint report without its burndown
                }
            }
            _ => {}
        }
    }
    let (plan, source) = ctx.live.snapshot();
    let data = report::context(plan, &report, &options)?;
    if string(args, "format").as_deref() == Some("json") {
        let text = serde_json::to_string_pretty(&data).expect("serializable") + "\n";
        return Ok(Output::ok(data, text));
    }
    let lookup = |n: &str| {
        use crate::source::Source as _;
        source
            .read(&format!("{}/{n}", template::OVERRIDE_DIR))
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
    };
    let text = template::render(&format!("{}.md", report.name()), &data, &lookup, None)?;
    Ok(Output {
        structured: None,
        text,
        is_error: false,
    })
}
