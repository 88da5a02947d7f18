//! `cairn stale`.

use super::context::{Context, SourceArgs};
use super::{print, Exit};
use clap::ValueEnum;
use std::fmt::Write;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Follow every parent of merges, not only the first-parent line.
    #[arg(long)]
    all_parents: bool,
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

/// Walks the history behind the chosen source (HEAD for the work tree and the index).
pub fn history(
    ctx: &Context,
    from: &SourceArgs,
    config: &cairn::config::Config,
    all_parents: bool,
) -> anyhow::Result<cairn::history::History> {
    let (root, _) = ctx.root()?;
    let repo = cairn::git::Repo::discover(&root)
        .map_err(|e| anyhow::anyhow!("{e}; stale items are found in the plan's git history"))?;
    let options = cairn::history::WalkOptions {
        rev: from.rev.clone(),
        all_parents,
        since: None,
        until: None,
        cache: true,
    };
    ctx.history(&repo, config, &options)
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (_, _, plan) = ctx.load(&args.from)?;
    let history = history(ctx, &args.from, &plan.config, args.all_parents)?;
    let stale = cairn::history::stale::stale(&plan, &history);
    let text = match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "version": 1,
                "items": stale,
                "history": {
                    "commits": history.commits,
                    "shallow": history.shallow,
                    "skipped": history.skipped,
                },
            });
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        Format::Table => {
            if stale.is_empty() {
                "no stale items: every open item was touched after its parent last changed\n"
                    .to_string()
            } else {
                let mut out = String::new();
                for s in &stale {
                    let _ = writeln!(
                        out,
                        "{}  {}\n    {} {} changed ({}) in {} on {}; {} last changed {}",
                        s.id,
                        s.title,
                        s.parent,
                        s.parent_title,
                        s.changed.join(", "),
                        &s.commit[..10.min(s.commit.len())],
                        &s.changed_at[..10],
                        s.id,
                        &s.story_changed_at[..10]
                    );
                }
                out
            }
        }
    };
    print(&text)?;
    Ok(Exit::Ok)
}
