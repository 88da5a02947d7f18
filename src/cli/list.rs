//! `cairn list`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use cairn::config::Category;
use cairn::model::fmt_num;
use cairn::query::{self, Filter, Row};
use cairn::render::csv::{self, Cell};
use cairn::render::items;
use clap::ValueEnum;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only items of these kinds (`goal`, `story`, …).
    #[arg(long, value_delimiter = ',', add = clap_complete::ArgValueCandidates::new(super::completions::kinds))]
    kind: Vec<String>,
    /// Only items in these statuses.
    #[arg(long, value_delimiter = ',', add = clap_complete::ArgValueCandidates::new(super::completions::statuses))]
    status: Vec<String>,
    /// Only items in these status categories.
    #[arg(long, value_delimiter = ',', value_parser = parse_category)]
    category: Vec<Category>,
    /// Only items under these goals (or any other ancestor ids).
    #[arg(long, value_delimiter = ',', value_name = "ID", add = clap_complete::ArgValueCandidates::new(super::completions::parents))]
    goal: Vec<String>,
    /// Only items with one of these tags.
    #[arg(long, value_delimiter = ',', add = clap_complete::ArgValueCandidates::new(super::completions::tags))]
    tag: Vec<String>,
    /// Only items owned by or assigned to these people.
    #[arg(long, value_delimiter = ',')]
    owner: Vec<String>,
    /// Only items in these sprints.
    #[arg(long, value_delimiter = ',', add = clap_complete::ArgValueCandidates::new(super::completions::sprints))]
    sprint: Vec<String>,
    #[command(flatten)]
    from: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// With `--format csv`: write text cells as they are, without the `'` that keeps a
    /// spreadsheet from running a cell starting with `=`, `+`, `-` or `@` as a formula.
    #[arg(long)]
    csv_raw: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

fn parse_category(s: &str) -> Result<Category, String> {
    Category::from_name(s)
        .ok_or_else(|| format!("`{s}` is not a category; use todo, doing, done or dropped"))
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    if args.csv_raw && !matches!(args.format, Format::Csv) {
        anyhow::bail!("--csv-raw applies to --format csv only");
    }
    let (_, _, plan) = ctx.load(&args.from)?;
    for k in &args.kind {
        if plan.config.kind(k).is_none() {
            let names: Vec<_> = plan.config.kinds.iter().map(|k| k.name.as_str()).collect();
            anyhow::bail!("unknown kind `{k}`; kinds: {}", names.join(", "));
        }
    }
    let filter = Filter {
        kinds: args.kind,
        statuses: args.status,
        categories: args.category,
        under: args.goal,
        tags: args.tag,
        owners: args.owner,
        sprints: args.sprint,
    };
    let rows = query::list(&plan, &filter);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&items::list_json(&rows))? + "\n",
        Format::Csv => {
            let options = csv::Options { raw: args.csv_raw };
            let mut out = csv::header(&HEADER);
            for r in &rows {
                out.push_str(&csv::record(&cells(r), options));
            }
            out
        }
        Format::Table => items::list_table(&rows),
    };
    print(&text)?;
    Ok(Exit::Ok)
}

const HEADER: [&str; 11] = [
    "id", "kind", "title", "status", "category", "file", "parent", "estimate", "sprint", "moscow",
    "tags",
];

fn cells(r: &Row) -> Vec<Cell<'_>> {
    fn text(s: &Option<String>) -> Cell<'_> {
        Cell::text(s.as_deref().unwrap_or_default())
    }
    vec![
        Cell::text(r.id.as_str()),
        Cell::text(r.kind.as_str()),
        Cell::text(r.title.as_str()),
        text(&r.status),
        Cell::text(r.category.map(|c| c.as_str()).unwrap_or_default()),
        Cell::text(r.file.as_str()),
        text(&r.parent),
        Cell::Number(r.estimate.map(fmt_num).unwrap_or_default()),
        text(&r.sprint),
        text(&r.moscow),
        Cell::list(&r.tags),
    ]
}
