//! `cairn sprint plan`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use anyhow::Context as _;
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
    /// Capacity in story points (default: the sprint's `capacity` in cairn.yaml).
    #[arg(long, value_name = "N")]
    capacity: Option<f64>,
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

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let SprintCommand::Plan(args) = args.command;
    let (root, source, plan) = ctx.load(&args.from)?;
    let options = SprintOptions {
        sprint: args.sprint.clone(),
        capacity: args.capacity,
        require_ready: args.require_ready,
        today: Some(args.today.clone().unwrap_or_else(today)),
        method: None,
        include_wont: args.include_wont,
    };
    if let Some(note) = cairn::kinds::leaf(&plan).note(None) {
        ctx.note(&note);
    }
    let result = sprint::plan_sprint(&plan, &options)?;
    if args.write {
        for (file, bytes) in sprint::edits(source.as_ref(), &plan.config, &result)? {
            cairn::write::atomic_write(&root.join(&file), &bytes)
                .with_context(|| format!("cannot write {file}"))?;
        }
    }
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&sprint_plan::json(&result))? + "\n",
        Format::Table => sprint_plan::text(&result, args.write),
    };
    print(&text)?;
    Ok(Exit::Ok)
}

/// Today's date in UTC, `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    cairn::timefmt::date(now)
}
