//! `cairn show ID`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use cairn::query;
use cairn::render::items;
use clap::ValueEnum;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The item's id (`S-14`).
    #[arg(add = clap_complete::ArgValueCandidates::new(super::completions::ids))]
    id: String,
    #[command(flatten)]
    from: SourceArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (_, source, plan) = ctx.load(&args.from)?;
    let Some(detail) = query::show_with_text(&plan, source.as_ref(), &args.id) else {
        return Err(super::context::unknown_item(&plan, &args.id));
    };
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&items::show_json(&detail))? + "\n",
        Format::Human => items::show_text(&plan, &detail, ctx.color()),
    };
    print(&text)?;
    Ok(Exit::Ok)
}
