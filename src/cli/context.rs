//! What every subcommand needs: where it runs, the plan root, colour, and loading the plan.

use super::Color;
use anyhow::{bail, Context as _};
use cairn::git::Repo;
use cairn::root::{find_root, RootKind};
use cairn::source::{Source, WorkTree};
use std::io::{IsTerminal, Write};
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

    /// Prints `note: TEXT` on standard error (a closed stderr is not worth failing for).
    pub fn note(&self, text: &str) {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}: {text}",
            self.paint("note", "\x1b[1;36m")
        );
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
        dunce::canonicalize(&dir).with_context(|| format!("cannot open {}", dir.display()))
    }

    /// Prints `warning: MESSAGE` on standard error (best effort: a closed stderr loses it).
    pub fn warn(&self, message: &str) {
        let _ = writeln!(
            std::io::stderr().lock(),
            "{}: {message}",
            self.paint("warning", "\x1b[1;33m")
        );
    }

    /// Walks the plan's history, and says once on standard error what it had to skip.
    pub fn history(
        &self,
        repo: &Repo,
        config: &cairn::config::Config,
        options: &cairn::history::WalkOptions,
    ) -> anyhow::Result<cairn::history::History> {
        let history = cairn::history::walk(repo, config, options).map_err(|e| match e {
            // What the walk cannot skip: a commit on the line itself is missing.
            e @ cairn::git::GitError::Git(_) => anyhow::anyhow!(
                "cannot read the plan's history: {e} (`git fsck` lists what is missing)"
            ),
            e => e.into(),
        })?;
        if let Some(line) = history.skipped_note() {
            self.warn(&line);
        }
        Ok(history)
    }

    /// The plan root and how it was found.
    pub fn root(&self) -> anyhow::Result<(PathBuf, RootKind)> {
        Ok(find_root(&self.cwd()?))
    }

    /// The source the user chose: the work tree, the index (`--staged`) or a commit (`--rev`).
    pub fn source(&self, from: &SourceArgs) -> anyhow::Result<(PathBuf, Box<dyn Source>)> {
        let (root, _) = self.root()?;
        if !from.staged && from.rev.is_none() {
            return Ok((root.clone(), Box::new(WorkTree::new(root))));
        }
        let repo = Repo::discover(&root).map_err(|e| {
            let flag = if from.staged { "--staged" } else { "--rev" };
            anyhow::anyhow!("{e}; {flag} reads from git")
        })?;
        let source = match &from.rev {
            Some(rev) => repo.tree_source(rev)?,
            None => repo.index_source(git_index_file()?.as_deref())?,
        };
        Ok((root, Box::new(source)))
    }

    /// Loads the plan from the chosen source. In the work tree a missing plan directory is an
    /// error; in the index or a commit it is an empty plan (nothing committed yet).
    pub fn load(
        &self,
        from: &SourceArgs,
    ) -> anyhow::Result<(PathBuf, Box<dyn Source>, cairn::Plan)> {
        let (root, source) = self.source(from)?;
        let plan = cairn::Plan::load(source.as_ref()).map_err(load_error)?;
        if !from.staged && from.rev.is_none() {
            ensure_plan_dir(&root, &plan.config.plan_dir)?;
        }
        Ok((root, source, plan))
    }
}

/// The index git names in `GIT_INDEX_FILE`, if any: for pre-commit hooks git sets it, to a
/// temporary index for `git commit -a` and `git commit PATH…`, so it is the index the commit will
/// record. A relative path is relative to where git runs the hook, the process's folder, not `-C`.
pub fn git_index_file() -> anyhow::Result<Option<PathBuf>> {
    match std::env::var_os("GIT_INDEX_FILE").filter(|f| !f.is_empty()) {
        Some(f) => Ok(Some(
            std::env::current_dir()
                .context("cannot read the current folder")?
                .join(f),
        )),
        None => Ok(None),
    }
}

/// `--dry-run` and `--format` of the commands that edit the plan (`set`, `renumber`).
#[derive(Debug, Clone, clap::Args)]
pub struct EditArgs {
    /// Print what would change, as a diff, without writing.
    #[arg(long)]
    pub dry_run: bool,
    /// Output format: what changed as text, or one JSON document.
    #[arg(long, value_enum, default_value_t = EditFormat::Human)]
    pub format: EditFormat,
}

/// Output of the commands that edit the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EditFormat {
    Human,
    Json,
}

/// `--staged` / `--rev REV`: where the plan is read from.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SourceArgs {
    /// Read the plan from the git index (what `git commit` would record).
    #[arg(long, conflicts_with = "rev")]
    pub staged: bool,
    /// Read the plan from a commit, tag or branch, without checking it out.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
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

/// The error for an id the plan does not have: the file that declares it when there is one,
/// else a did-you-mean.
pub fn unknown_item(plan: &cairn::Plan, id: &str) -> anyhow::Error {
    anyhow::Error::new(plan.unknown_item(id))
}

/// The plan root's path inside its git work tree (`""` at the top), for CI annotations.
pub fn repo_prefix(root: &Path) -> String {
    let Ok(repo) = git2::Repository::discover(root) else {
        return String::new();
    };
    let Some(workdir) = repo.workdir() else {
        return String::new();
    };
    let workdir = dunce::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
    root.strip_prefix(&workdir)
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default()
}
