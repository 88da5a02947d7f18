//! `cairn graph`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use clap::ValueEnum;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this goal (or any item) and what is under it, plus what those items depend on.
    #[arg(long, value_name = "ID", add = clap_complete::ArgValueCandidates::new(super::completions::ids))]
    goal: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Mermaid)]
    format: Format,
    #[command(flatten)]
    from: SourceArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Mermaid,
    Dot,
    Json,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (_, _, plan) = ctx.load(&args.from)?;
    let root = match &args.goal {
        None => None,
        Some(id) => Some(
            *plan
                .by_id
                .get(id)
                .ok_or_else(|| super::context::unknown_item(&plan, id))?,
        ),
    };
    let graph = cairn::graph::build(&plan, root);
    let text = match args.format {
        Format::Mermaid => cairn::graph::mermaid(&graph),
        Format::Dot => cairn::graph::dot(&graph),
        Format::Json => {
            let mut doc = serde_json::json!({ "version": 1 });
            doc["nodes"] = serde_json::to_value(&graph.nodes)?;
            doc["edges"] = serde_json::to_value(&graph.edges)?;
            serde_json::to_string_pretty(&doc)? + "\n"
        }
    };
    print(&text)?;
    Ok(Exit::Ok)
}
