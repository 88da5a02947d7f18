//! `cairn rank`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use cairn::config::Method;
use cairn::model::fmt_num;
use cairn::priority::rank::{self, RankOptions, Ranked};
use cairn::render::csv::{self, Cell};
use cairn::render::table;
use cairn::Plan;
use clap::ValueEnum;
use serde_json::json;

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
        Format::Json => json_doc(&plan, method, &ranked),
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
        Format::Md => markdown(&plan, method, &ranked, args.explain),
        Format::Table => plain(&plan, method, &ranked, args.explain, &kind, args.all),
    };
    print(&text)?;
    Ok(Exit::Ok)
}

/// Why an item sits where it does, as short clauses.
fn reasons(r: &Ranked, method: Method) -> Vec<String> {
    let mut out = Vec::new();
    match &r.score {
        Ok(s) => out.push(s.arithmetic.clone()),
        // Under MoSCoW nothing has a score; saying so on every line is noise.
        Err(_) if method == Method::Moscow => {}
        Err(why) => out.push(format!("unscored: {why}")),
    }
    if let Some(from) = &r.moscow_from {
        out.push(format!("MoSCoW inherited from {from}"));
    }
    if let Some(by) = &r.pulled_up_by {
        out.push(format!("pulled up by {by}"));
    }
    out
}

fn plain(
    plan: &Plan,
    method: Method,
    ranked: &[Ranked],
    explain: bool,
    kind: &str,
    all: bool,
) -> String {
    if ranked.is_empty() {
        let open = if all { "" } else { "open " };
        return format!("no {open}`{kind}` items to rank\n");
    }
    let rows: Vec<Vec<String>> = ranked
        .iter()
        .map(|r| {
            let it = &plan.items[r.item];
            vec![
                r.rank.to_string(),
                it.id.clone(),
                r.moscow
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "-".into()),
                r.score
                    .as_ref()
                    .map(|s| fmt_num(s.value))
                    .unwrap_or_else(|_| "-".into()),
                it.title.clone(),
            ]
        })
        .collect();
    let text = table::render(&["RANK", "ID", "MOSCOW", "SCORE", "TITLE"], &rows);
    if !explain {
        return text;
    }
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap_or_default());
    for (line, r) in lines.zip(ranked) {
        out.push_str(line);
        out.push('\n');
        for reason in reasons(r, method) {
            out.push_str(&format!("      {reason}\n"));
        }
    }
    out
}

fn markdown(plan: &Plan, method: Method, ranked: &[Ranked], explain: bool) -> String {
    let mut out = format!(
        "| rank | id | title | MoSCoW | {} |",
        method.as_str().to_uppercase()
    );
    out.push_str(if explain {
        " why |\n|---:|---|---|---|---:|---|\n"
    } else {
        "\n|---:|---|---|---|---:|\n"
    });
    let cell = |s: &str| s.replace('|', "\\|");
    for r in ranked {
        let it = &plan.items[r.item];
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |",
            r.rank,
            it.id,
            cell(&it.title),
            r.moscow.map(|m| m.to_string()).unwrap_or_default(),
            r.score
                .as_ref()
                .map(|s| fmt_num(s.value))
                .unwrap_or_else(|_| "–".into())
        ));
        if explain {
            out.push_str(&format!(" {} |", cell(&reasons(r, method).join("; "))));
        }
        out.push('\n');
    }
    out
}

fn json_doc(plan: &Plan, method: Method, ranked: &[Ranked]) -> String {
    let items: Vec<_> = ranked
        .iter()
        .map(|r| {
            let it = &plan.items[r.item];
            json!({
                "rank": r.rank,
                "id": it.id,
                "title": it.title,
                "kind": plan.kind_name(it),
                "moscow": r.moscow.map(|m| m.as_str()),
                "moscow_inherited_from": r.moscow_from,
                "score": r.score.as_ref().ok().map(|s| s.value),
                "inputs": r.score.as_ref().map(|s| json!(s.inputs)).unwrap_or_else(|_| json!({})),
                "arithmetic": r.score.as_ref().ok().map(|s| s.arithmetic.clone()),
                "unscored_reason": r.score.as_ref().err(),
                "pulled_up_by": r.pulled_up_by,
            })
        })
        .collect();
    let doc = json!({ "version": 1, "method": method.as_str(), "items": items });
    serde_json::to_string_pretty(&doc).expect("serializable") + "\n"
}
