//! `cairn rank`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use cairn::config::Method;
use cairn::model::fmt_num;
use cairn::priority::rank::{self, RankOptions};
use cairn::render::csv::{self, Cell};
use cairn::render::ranking;
use clap::ValueEnum;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Kind of item to rank (default: the leaf kind that has items, usually `story`).
    #[arg(long, add = clap_complete::ArgValueCandidates::new(super::completions::kinds))]
    kind: Option<String>,
    /// Scoring method (default: `scoring.method` from cairn.yaml).
    #[arg(long, value_enum)]
    method: Option<MethodArg>,
    /// Only items under this goal (or any other ancestor id).
    #[arg(long, value_name = "ID", add = clap_complete::ArgValueCandidates::new(super::completions::parents))]
    goal: Option<String>,
    /// Show each score's arithmetic and why an item moved.
    #[arg(long)]
    explain: bool,
    /// Show only the first N items.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Include done and dropped items.
    #[arg(long)]
    all: bool,
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
enum MethodArg {
    Rice,
    Ice,
    Wsjf,
    Moscow,
    Formula,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Md,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    if args.csv_raw && !matches!(args.format, Format::Csv) {
        anyhow::bail!("--csv-raw applies to --format csv only");
    }
    let (_, _, plan) = ctx.load(&args.from)?;
    let method = match args.method {
        None => plan.config.method,
        Some(m) => Method::from_name(&format!("{m:?}").to_lowercase()).expect("same names"),
    };
    if method == Method::Formula && plan.config.formula_expr.is_none() {
        anyhow::bail!("--method formula needs `scoring.formula` in cairn.yaml");
    }
    if let Some(k) = &args.kind {
        if plan.config.kind(k).is_none() {
            let names: Vec<_> = plan.config.kinds.iter().map(|k| k.name.as_str()).collect();
            anyhow::bail!("unknown kind `{k}`; kinds: {}", names.join(", "));
        }
    }
    if let Some(g) = &args.goal {
        if plan.get(g).is_none() {
            return Err(super::context::unknown_item(&plan, g));
        }
    }
    let options = RankOptions {
        kind: args.kind.clone(),
        under: args.goal.clone(),
        all: args.all,
    };
    let kind = match &args.kind {
        Some(k) => k.clone(),
        None => {
            let chosen = cairn::kinds::leaf(&plan);
            if let Some(note) = chosen.note(Some("--kind")) {
                ctx.note(&note);
            }
            chosen.name
        }
    };
    let options = RankOptions {
        kind: Some(kind.clone()),
        ..options
    };
    let mut ranked = rank::rank(&plan, method, &options);
    ranked.truncate(args.top.unwrap_or(usize::MAX));
    let text = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&ranking::json(&plan, method, &ranked))? + "\n"
        }
        Format::Csv => {
            let options = csv::Options { raw: args.csv_raw };
            let mut out = csv::header(&[
                "rank",
                "id",
                "title",
                "kind",
                "moscow",
                "score",
                "pulled_up_by",
            ]);
            for r in &ranked {
                let it = &plan.items[r.item];
                out.push_str(&csv::record(
                    &[
                        Cell::Number(r.rank.to_string()),
                        Cell::text(it.id.as_str()),
                        Cell::text(it.title.as_str()),
                        Cell::text(plan.kind_name(it)),
                        Cell::text(r.moscow.map(|m| m.as_str()).unwrap_or_default()),
                        Cell::Number(
                            r.score
                                .as_ref()
                                .map(|s| fmt_num(s.value))
                                .unwrap_or_default(),
                        ),
                        Cell::text(r.pulled_up_by.as_deref().unwrap_or_default()),
                    ],
                    options,
                ));
            }
            out
        }
        Format::Md => ranking::markdown(&plan, method, &ranked, args.explain),
        Format::Table => ranking::table(&plan, method, &ranked, args.explain, &kind, args.all),
    };
    print(&text)?;
    Ok(Exit::Ok)
}
