//! `cairn sprint plan`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use anyhow::Context as _;
use cairn::model::fmt_num;
use cairn::priority::sprint::{self, SprintOptions};
use cairn::render::sprint_plan;
use clap::{Subcommand, ValueEnum};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: SprintCommand,
}

#[derive(Debug, Subcommand)]
enum SprintCommand {
    /// Fill a sprint in rank order with todo stories whose dependencies are done or planned.
    Plan(PlanArgs),
}

#[derive(Debug, clap::Args)]
struct PlanArgs {
    /// The sprint to fill (default: the next one that starts after today).
    #[arg(add = clap_complete::ArgValueCandidates::new(super::completions::sprints))]
    sprint: Option<String>,
    /// Capacity in story points (default: the sprint's `capacity` in cairn.yaml), or `auto`: the
    /// median of the points done in the last 3 sprints before this one.
    #[arg(long, value_name = "N|auto", value_parser = parse_capacity)]
    capacity: Option<Capacity>,
    /// With `--capacity auto`: ignore the history cache.
    #[arg(long)]
    no_cache: bool,
    /// Only take stories whose status is `ready`.
    #[arg(long)]
    require_ready: bool,
    /// Also plan stories whose MoSCoW class (own or inherited) is `wont` (skipped by default).
    #[arg(long)]
    include_wont: bool,
    /// Set `sprint:` in the planned stories' files (only that line changes).
    #[arg(long, conflicts_with_all = ["staged", "rev"])]
    write: bool,
    /// Today's date, `YYYY-MM-DD`, for choosing the next sprint (default: the system date).
    #[arg(long, value_name = "DATE", hide = true)]
    today: Option<String>,
    #[command(flatten)]
    from: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// `--capacity`: a number of points or `auto`.
#[derive(Debug, Clone, Copy)]
enum Capacity {
    Points(f64),
    Auto,
}

fn parse_capacity(s: &str) -> Result<Capacity, String> {
    if s == "auto" {
        return Ok(Capacity::Auto);
    }
    match s.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok(Capacity::Points(n)),
        _ => Err("expected a number of points (0 or more) or `auto`".into()),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let SprintCommand::Plan(args) = args.command;
    let (root, source, plan) = ctx.load(&args.from)?;
    let mut options = SprintOptions {
        sprint: args.sprint.clone(),
        capacity: match args.capacity {
            Some(Capacity::Points(n)) => Some(n),
            _ => None,
        },
        require_ready: args.require_ready,
        today: Some(args.today.clone().unwrap_or_else(today)),
        method: None,
        include_wont: args.include_wont,
    };
    if let Some(note) = cairn::kinds::leaf(&plan).note(None) {
        ctx.note(&note);
    }
    let auto = match args.capacity {
        Some(Capacity::Auto) => {
            let target = sprint::target(&plan, &options)?;
            // Completion dates come from history when the plan is in a git repository.
            let history = cairn::git::Repo::discover(&root).ok().and_then(|repo| {
                let walk = cairn::history::WalkOptions {
                    rev: args.from.rev.clone(),
                    cache: !args.no_cache,
                    ..Default::default()
                };
                ctx.history(&repo, &plan.config, &walk).ok()
            });
            let auto = cairn::priority::capacity::auto_capacity(
                &plan,
                target,
                options.today.as_deref(),
                history.as_ref(),
            )?;
            options.capacity = Some(auto.capacity);
            Some(auto)
        }
        _ => None,
    };
    let result = sprint::plan_sprint(&plan, &options)?;
    if args.write {
        for (file, bytes) in sprint::edits(source.as_ref(), &plan.config, &result)? {
            cairn::write::atomic_write(&root.join(&file), &bytes)
                .with_context(|| format!("cannot write {file}"))?;
        }
    }
    let text = match args.format {
        Format::Json => {
            let mut doc = sprint_plan::json(&result);
            if let Some(auto) = &auto {
                doc["capacity_auto"] = serde_json::to_value(auto)?;
            }
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        Format::Table => {
            auto.as_ref().map(auto_line).unwrap_or_default()
                + &sprint_plan::text(&result, args.write)
        }
    };
    print(&text)?;
    Ok(Exit::Ok)
}

/// How `--capacity auto` reached its figure, before the plan.
fn auto_line(a: &cairn::priority::capacity::AutoCapacity) -> String {
    let sprints: Vec<String> = a
        .sprints
        .iter()
        .map(|s| {
            format!(
                "{} {} pts done{} ({} stor{})",
                s.name,
                fmt_num(s.done),
                if s.done_by == "end" {
                    " by its end"
                } else {
                    ""
                },
                s.stories,
                if s.stories == 1 { "y" } else { "ies" }
            )
        })
        .collect();
    format!(
        "capacity auto: {} = {} ({})\n",
        a.statistic,
        fmt_num(a.capacity),
        sprints.join(", ")
    )
}

/// Today's date in UTC, `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    cairn::timefmt::date(now)
}
