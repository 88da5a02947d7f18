//! `cairn hook install|uninstall`.

use super::context::Context;
use super::{print, Exit};
use cairn::hook::{self, InstallOptions, Uninstalled};
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Write a git pre-commit hook that runs `cairn check --staged`.
    Install {
        /// Replace a pre-commit hook cairn did not write (it is lost; see --chain).
        #[arg(long)]
        force: bool,
        /// Keep an existing pre-commit hook as `pre-commit.local` and run it first.
        #[arg(long)]
        chain: bool,
    },
    /// Remove the pre-commit hook cairn wrote, putting a chained hook back.
    Uninstall,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<Exit> {
    let (root, _) = ctx.root()?;
    let cwd = std::env::current_dir().unwrap_or_else(|_| root.clone());
    let show = |p: &Path| super::new::relative_to(&cwd, p).display().to_string();
    let text = match args.action {
        Action::Install { force, chain } => {
            let done = hook::install(&root, InstallOptions { force, chain }).map_err(|e| {
                match e {
                    hook::HookError::Foreign(p) => anyhow::anyhow!(
                        "{} already exists and was not written by cairn\n  help: `cairn hook install --chain` keeps it as {} and runs it first; `--force` replaces it",
                        show(&p),
                        hook::LOCAL
                    ),
                    other => other.into(),
                }
            })?;
            let verb = if done.updated { "updated" } else { "installed" };
            let mut s = format!(
                "{verb} {}: commits now run `cairn check --staged`\n",
                show(&done.hook)
            );
            if let Some(local) = &done.chained {
                s.push_str(&format!("runs {} first\n", show(local)));
            }
            if done.replaced_foreign {
                s.push_str("replaced a pre-commit hook cairn did not write (--force)\n");
            }
            s
        }
        Action::Uninstall => match hook::uninstall(&root).map_err(|e| match e {
            hook::HookError::Foreign(p) => {
                anyhow::anyhow!("not removing {}: it was not written by cairn", show(&p))
            }
            other => other.into(),
        })? {
            Uninstalled::Nothing(p) => format!("no pre-commit hook at {}\n", show(&p)),
            Uninstalled::Removed { hook, restored } => {
                let mut s = format!("removed {}\n", show(&hook));
                if restored {
                    s.push_str(&format!(
                        "restored the chained hook from {} to {}\n",
                        hook::LOCAL,
                        hook::HOOK
                    ));
                }
                s
            }
        },
    };
    print(&text)?;
    Ok(Exit::Ok)
}
