//! `cairn diff [A..B | A...B | REV] [--staged]`.

use super::context::{load_error, Context};
use super::{print, Exit};
use cairn::diff::{self, DiffError, Range};
use cairn::git::GitError;
use cairn::render::diff_md;
use clap::ValueEnum;
use std::io::Write;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
cairn diff                      HEAD against the work tree\n  \
cairn diff main..feature        two revisions, read from git without a checkout\n  \
cairn diff origin/main...HEAD   from the merge base, as a pull request shows it\n  \
cairn diff --staged             HEAD against what `git commit` would record\n\n\
The exit code is 0 whether or not anything changed.")]
pub struct Args {
    /// `A..B` (two revisions), `A...B` (from their merge base to B), or `REV` (against the work
    /// tree, or the index with --staged). Default: HEAD.
    #[arg(value_name = "RANGE")]
    range: Option<String>,
    /// Compare with the git index (what `git commit` would record) instead of the work tree.
    #[arg(long, alias = "cached")]
    staged: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// Markdown, for a terminal or a pull-request comment.
    #[value(alias = "markdown")]
    Md,
    /// One JSON document (docs/output.md).
    Json,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (root, _) = ctx.root()?;
    let mut range = Range::parse(args.range.as_deref(), args.staged)?;
    range.index_file = super::context::git_index_file()?;
    let diff = diff::diff(&root, &range).map_err(|e| match e {
        DiffError::Load { place, error } => {
            load_error(error).context(format!("cannot read the plan {place}"))
        }
        DiffError::Git(e @ GitError::NotARepository(_)) => {
            anyhow::anyhow!("{e}; cairn diff compares versions recorded in git")
        }
        other => other.into(),
    })?;
    match args.format {
        Format::Md => print(&diff_md::render(&diff))?,
        Format::Json => {
            // The document's shape is fixed (SPEC §10), so notes go to stderr.
            for note in &diff.notes {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "{}: {note}",
                    ctx.paint("note", "\x1b[1;36m")
                );
            }
            print(&(serde_json::to_string_pretty(&diff.json())? + "\n"))?;
        }
    }
    Ok(Exit::Ok)
}
