//! `cairn report NAME`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use anyhow::Context as _;
use cairn::report::{self, template, Report, ReportOptions};
use clap::ValueEnum;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which report.
    #[arg(value_enum)]
    name: Name,
    /// For `sprint`: the sprint (default: the current one, else the next).
    #[arg(add = clap_complete::ArgValueCandidates::new(super::completions::sprints))]
    sprint: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Render with this minijinja template instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    template: Option<PathBuf>,
    /// With `--format csv`: write text cells as they are, without the `'` that keeps a
    /// spreadsheet from running a cell starting with `=`, `+`, `-` or `@` as a formula.
    #[arg(long)]
    csv_raw: bool,
    /// Print the template context (the data the template sees) as JSON.
    #[arg(long)]
    context: bool,
    /// Today's date, `YYYY-MM-DD` (default: the system date): which sprint is current.
    #[arg(long, value_name = "DATE", hide = true)]
    today: Option<String>,
    /// For `metrics`: ignore history before DATE (`YYYY-MM-DD`) or before REV's commit.
    #[arg(long, value_name = "DATE|REV")]
    since: Option<String>,
    /// For `metrics`: ignore history after DATE or after REV's commit.
    #[arg(long, value_name = "DATE|REV")]
    until: Option<String>,
    /// For `metrics`: only this goal's items.
    #[arg(long, value_name = "ID", add = clap_complete::ArgValueCandidates::new(super::completions::parents))]
    goal: Option<String>,
    /// For `metrics`: follow every parent of merges, not only the first-parent line.
    #[arg(long)]
    all_parents: bool,
    /// For `metrics`: neither read nor write the history cache in `.git/cairn/`.
    #[arg(long)]
    no_cache: bool,
    #[command(flatten)]
    from: SourceArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Name {
    /// Goals by horizon with priority, owner and progress
    Roadmap,
    /// The ranked stories with scores, goal, status and estimate
    Backlog,
    /// One sprint: committed against capacity, status, burndown
    Sprint,
    /// Goals in priority order against where the sprints' points go
    Alignment,
    /// Cycle time, throughput, flow and velocity from git history
    Metrics,
    Forecast,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub(super) enum Format {
    Md,
    Html,
    Json,
    Csv,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    if args.csv_raw && (args.format != Format::Csv || args.context) {
        anyhow::bail!("--csv-raw applies to --format csv only");
    }
    let (_, source, plan) = ctx.load(&args.from)?;
    let report = match args.name {
        Name::Roadmap => Report::Roadmap,
        Name::Backlog => Report::Backlog,
        Name::Sprint => Report::Sprint(args.sprint.clone()),
        Name::Alignment => Report::Alignment,
        Name::Metrics => Report::Metrics,
        Name::Forecast => Report::Forecast,
    };
    if args.sprint.is_some() && !matches!(report, Report::Sprint(_)) {
        anyhow::bail!("only the sprint report takes a sprint name");
    }
    let today = args.today.clone().unwrap_or_else(super::sprint::today);
    let mut options = ReportOptions {
        now: cairn::timefmt::parse_date(&today).map_or(0, |d| d + 86_399),
        today,
        source: match (&args.from.rev, args.from.staged) {
            (Some(rev), _) => rev.clone(),
            (None, true) => "index".into(),
            _ => "work tree".into(),
        },
        history: None,
        goal: args.goal.clone(),
        forecast: None,
    };
    if report == Report::Metrics {
        if let Some(g) = &args.goal {
            if plan.get(g).is_none() {
                return Err(super::context::unknown_item(&plan, g));
            }
        }
        let (root, _) = ctx.root()?;
        let repo = cairn::git::Repo::discover(&root)
            .map_err(|e| anyhow::anyhow!("{e}; metrics read the plan's history from git"))?;
        let bound = |value: &Option<String>, end: bool| -> anyhow::Result<Option<i64>> {
            let Some(v) = value else { return Ok(None) };
            if let Some(t) = cairn::timefmt::parse_date(v) {
                return Ok(Some(if end { t + 86_399 } else { t }));
            }
            Ok(Some(repo.commit(v)?.time().seconds()))
        };
        let walk = cairn::history::WalkOptions {
            rev: args.from.rev.clone(),
            all_parents: args.all_parents,
            since: bound(&args.since, false)?,
            until: bound(&args.until, true)?,
            cache: !args.no_cache,
        };
        options.history = Some(ctx.history(&repo, &plan.config, &walk)?);
    } else if matches!(
        report,
        Report::Sprint(_) | Report::Forecast | Report::Roadmap
    ) {
        // The burndown, the roadmap's forecast dates and the forecast come from history when the
        // plan is in a git repository; without one the reports are the same, minus those, and the
        // forecast says there is no pace to forecast from.
        let (root, _) = ctx.root()?;
        if let Ok(repo) = cairn::git::Repo::discover(&root) {
            let walk = cairn::history::WalkOptions {
                rev: args.from.rev.clone(),
                cache: !args.no_cache,
                ..Default::default()
            };
            options.history = ctx.history(&repo, &plan.config, &walk).ok();
        }
    }
    if report != Report::Metrics
        && (args.goal.is_some() || args.since.is_some() || args.until.is_some() || args.all_parents)
    {
        anyhow::bail!(
            "--goal, --since, --until and --all-parents apply to the metrics report only"
        );
    }
    let ends: &[fn(&cairn::Plan) -> cairn::kinds::DefaultKind] = match report {
        Report::Roadmap => &[cairn::kinds::root],
        Report::Backlog | Report::Sprint(_) | Report::Forecast => &[cairn::kinds::leaf],
        Report::Alignment | Report::Metrics => &[cairn::kinds::root, cairn::kinds::leaf],
    };
    for end in ends {
        if let Some(note) = end(&plan).note(None) {
            ctx.note(&note);
        }
    }
    let data = report::context(&plan, &report, &options)?;
    let format = if args.context {
        Format::Json
    } else {
        args.format
    };
    let out = Output {
        format,
        template: args.template.as_deref(),
        csv_raw: args.csv_raw,
        output: args.output.as_deref(),
    };
    render(ctx, source.as_ref(), &report, &data, &out)?;
    Ok(Exit::Ok)
}

/// How and where a report is written.
pub(super) struct Output<'a> {
    pub format: Format,
    pub template: Option<&'a std::path::Path>,
    pub csv_raw: bool,
    pub output: Option<&'a std::path::Path>,
}

/// Renders a report's context in `out.format` (templates from the source's override folder) and
/// writes it to standard output or to `out.output`, atomically.
pub(super) fn render(
    ctx: &Context,
    source: &dyn cairn::source::Source,
    report: &Report,
    data: &serde_json::Value,
    out: &Output,
) -> anyhow::Result<()> {
    let text = match out.format {
        Format::Json => serde_json::to_string_pretty(data)? + "\n",
        Format::Csv => report::csv(
            report,
            data,
            cairn::render::csv::Options { raw: out.csv_raw },
        ),
        Format::Md | Format::Html => {
            let ext = if out.format == Format::Md {
                "md"
            } else {
                "html"
            };
            let name = format!("{}.{ext}", report.name());
            let explicit = match out.template {
                Some(path) => Some((
                    path.to_str().unwrap_or("template"),
                    std::fs::read_to_string(path)
                        .with_context(|| format!("cannot read template {}", path.display()))?,
                )),
                None => None,
            };
            let lookup = |n: &str| {
                source
                    .read(&format!("{}/{n}", template::OVERRIDE_DIR))
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
            };
            template::render(&name, data, &lookup, explicit)?
        }
    };
    match out.output {
        Some(path) => {
            let path = ctx.cwd()?.join(path);
            cairn::write::atomic_write(&path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => print(&text)?,
    }
    Ok(())
}
