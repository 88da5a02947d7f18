//! `cairn forecast`: Monte Carlo forecasts from the plan's git history.

use super::context::{Context, SourceArgs};
use super::report::{render, Format as ReportFormat, Output};
use super::{print, Exit};
use cairn::history::forecast::{self, Options};
use cairn::report::{Report, ReportOptions};
use cairn::timefmt::parse_date;
use clap::ValueEnum;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// When will N more stories be done?
    #[arg(long, value_name = "N")]
    items: Option<usize>,
    /// How many stories will be done by the end of DATE (`YYYY-MM-DD`), and which?
    #[arg(long, value_name = "DATE")]
    by: Option<String>,
    /// Only this goal (or any ancestor item) and its stories.
    #[arg(long, value_name = "ID")]
    goal: Option<String>,
    /// The kind of the stories (default: the leaf kind).
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,
    /// Number of simulated futures.
    #[arg(long, value_name = "N", default_value_t = forecast::DEFAULT_TRIALS)]
    trials: usize,
    /// Seed of the random draws: the same seed, plan and history give the same forecast.
    #[arg(long, value_name = "N", default_value_t = forecast::DEFAULT_SEED)]
    seed: u64,
    /// The first simulated day (default: today).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// First day of the sampling window, inclusive (default: 84 days before --from, never
    /// before the plan's first commit).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Last day of the sampling window, inclusive (default: the day before --from).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Sample story points finished per day instead of stories.
    #[arg(long)]
    points: bool,
    /// Forecast Won't stories too (they are left out by default: won't have this time).
    #[arg(long)]
    include_wont: bool,
    /// Output format: a table, or the forecast report as Markdown or HTML, JSON or CSV.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// With `--format md|html`: render with this minijinja template.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// With `--format csv`: write text cells as they are (no `'` before `=`, `+`, `-`, `@`).
    #[arg(long)]
    csv_raw: bool,
    /// Neither read nor write the history cache in `.git/cairn/`.
    #[arg(long)]
    no_cache: bool,
    #[command(flatten)]
    from_source: SourceArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Table,
    Md,
    Html,
    Json,
    Csv,
}

fn day(flag: &str, value: &Option<String>) -> anyhow::Result<Option<i64>> {
    value
        .as_deref()
        .map(|v| {
            parse_date(v)
                .map(|t| t.div_euclid(86_400))
                .ok_or_else(|| anyhow::anyhow!("{flag} takes a date as YYYY-MM-DD, not `{v}`"))
        })
        .transpose()
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    if args.csv_raw && args.format != Format::Csv {
        anyhow::bail!("--csv-raw applies to --format csv only");
    }
    if args.template.is_some() && !matches!(args.format, Format::Md | Format::Html) {
        anyhow::bail!("--template applies to --format md and html only");
    }
    let today = super::sprint::today();
    let from = day("--from", &args.from)?
        .unwrap_or_else(|| parse_date(&today).map_or(0, |t| t.div_euclid(86_400)));
    let options = Options {
        kind: args.kind.clone(),
        goal: args.goal.clone(),
        trials: args.trials,
        seed: args.seed,
        from,
        since: day("--since", &args.since)?,
        until: day("--until", &args.until)?,
        points: args.points,
        items: args.items,
        by: day("--by", &args.by)?,
        include_wont: args.include_wont,
    };
    let (_, source, plan) = ctx.load(&args.from_source)?;
    if args.kind.is_none() {
        if let Some(note) = cairn::kinds::leaf(&plan).note(Some("--kind")) {
            ctx.note(&note);
        }
    }
    let (root, _) = ctx.root()?;
    let repo = cairn::git::Repo::discover(&root)
        .map_err(|e| anyhow::anyhow!("{e}; forecasts read the plan's history from git"))?;
    let walk = cairn::history::WalkOptions {
        rev: args.from_source.rev.clone(),
        cache: !args.no_cache,
        ..Default::default()
    };
    let history = ctx.history(&repo, &plan.config, &walk)?;
    let result = forecast::forecast(&plan, &history, &options)?;
    if args.format == Format::Table {
        let show = cairn::render::forecast::Show {
            goals: args.goal.is_some() || (args.items.is_none() && args.by.is_none()),
            stories: args.goal.is_some() || args.by.is_some(),
        };
        let text = cairn::render::forecast::render(&result, show);
        match &args.output {
            Some(path) => {
                let path = ctx.cwd()?.join(path);
                cairn::write::atomic_write(&path, text.as_bytes())?;
            }
            None => print(&text)?,
        }
        return Ok(Exit::Ok);
    }
    let report_options = ReportOptions {
        today,
        now: from * 86_400 + 86_399,
        source: match (&args.from_source.rev, args.from_source.staged) {
            (Some(rev), _) => rev.clone(),
            (None, true) => "index".into(),
            _ => "work tree".into(),
        },
        history: None,
        goal: None,
        forecast: None,
    };
    let format = match args.format {
        Format::Md => ReportFormat::Md,
        Format::Html => ReportFormat::Html,
        Format::Json => ReportFormat::Json,
        Format::Csv | Format::Table => ReportFormat::Csv,
    };
    // JSON is the forecast document itself; templates see it with the report header.
    let data = if format == ReportFormat::Json {
        serde_json::to_value(&result)?
    } else {
        cairn::report::with_header(
            &plan,
            &Report::Forecast,
            &report_options,
            serde_json::to_value(&result)?,
        )
    };
    render(
        ctx,
        source.as_ref(),
        &Report::Forecast,
        &data,
        &Output {
            format,
            template: args.template.as_deref(),
            csv_raw: args.csv_raw,
            output: args.output.as_deref(),
        },
    )?;
    Ok(Exit::Ok)
}
