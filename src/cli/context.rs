//! What every subcommand needs: where it runs, the plan root, colour, and loading the plan.

use super::Color;
use anyhow::{bail, Context as _};
use cairn::root::{find_root, RootKind};
use cairn::source::WorkTree;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub struct Context {
    dir: Option<PathBuf>,
    color: bool,
}

impl Context {
    pub fn new(dir: Option<PathBuf>, color: Color) -> Self {
        let color = match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        };
        Context { dir, color }
    }

    pub fn color(&self) -> bool {
        self.color
    }

    /// Wraps `text` in an ANSI style when colour is on.
    pub fn paint(&self, text: &str, style: &str) -> String {
        if self.color {
            format!("{style}{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// The folder cairn acts in (after `-C`).
    pub fn cwd(&self) -> anyhow::Result<PathBuf> {
        let cwd = std::env::current_dir().context("cannot read the current folder")?;
        let dir = match &self.dir {
            Some(d) => cwd.join(d),
            None => cwd,
        };
        if !dir.is_dir() {
            bail!("{} is not a directory", dir.display());
        }
        dir.canonicalize()
            .with_context(|| format!("cannot open {}", dir.display()))
    }

    /// The plan root and how it was found.
    pub fn root(&self) -> anyhow::Result<(PathBuf, RootKind)> {
        Ok(find_root(&self.cwd()?))
    }

    /// The work tree at the plan root, after checking the plan directory exists.
    pub fn work_tree(&self) -> anyhow::Result<(PathBuf, WorkTree)> {
        let (root, _) = self.root()?;
        Ok((root.clone(), WorkTree::new(root)))
    }

    /// Loads the plan, failing when its directory is missing.
    pub fn load(&self) -> anyhow::Result<(PathBuf, WorkTree, cairn::Plan)> {
        let (root, tree) = self.work_tree()?;
        let plan = cairn::Plan::load(&tree).map_err(load_error)?;
        ensure_plan_dir(&root, &plan.config.plan_dir)?;
        Ok((root, tree, plan))
    }
}

pub fn ensure_plan_dir(root: &Path, plan_dir: &str) -> anyhow::Result<()> {
    let dir = root.join(plan_dir);
    if !dir.is_dir() {
        bail!(
            "no plan directory `{plan_dir}` in {} (run `cairn init` to create one, or set `plan_dir` in cairn.yaml)",
            root.display()
        );
    }
    Ok(())
}

/// A load failure as one clear message, config errors with their location and help.
pub fn load_error(e: cairn::LoadError) -> anyhow::Error {
    match e {
        cairn::LoadError::Config(c) => {
            let help = c.help.map(|h| format!("\n  help: {h}")).unwrap_or_default();
            anyhow::anyhow!(
                "invalid config {}:{}:{}: {}{help}",
                c.file,
                c.span.line,
                c.span.column,
                c.message
            )
        }
        other => anyhow::Error::new(other),
    }
}

/// The plan root's path inside its git work tree (`""` at the top), for CI annotations.
pub fn repo_prefix(root: &Path) -> String {
    let Ok(repo) = git2::Repository::discover(root) else {
        return String::new();
    };
    let Some(workdir) = repo.workdir() else {
        return String::new();
    };
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    root.strip_prefix(&workdir)
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default()
}
