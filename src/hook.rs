//! `cairn hook install|uninstall`: a git pre-commit hook that runs `cairn check --staged`.
//!
//! The hook is a POSIX shell script carrying a marker line, so `uninstall` removes only hooks cairn
//! wrote. With `--chain`, an existing hook is moved to `pre-commit.local` and run first.

use git2::Repository;
use std::io;
use std::path::{Path, PathBuf};

/// The line that marks a hook as written by cairn.
pub const MARKER: &str = "# cairn-managed-hook";
/// The marker's suffix when the hook runs a chained `pre-commit.local`.
const CHAINED: &str = " (chained)";
/// The hook's file name.
pub const HOOK: &str = "pre-commit";
/// Where `--chain` moves the hook it replaces.
pub const LOCAL: &str = "pre-commit.local";

/// Why a hook could not be installed or removed.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// The plan root is not inside a git work tree.
    #[error("{} is not inside a git repository with a work tree; hooks need one", .0.display())]
    NotARepository(PathBuf),
    /// A hook cairn did not write is in the way.
    #[error("{} already exists and was not written by cairn", .0.display())]
    Foreign(PathBuf),
    /// `--chain` would move the hook onto an existing `pre-commit.local`.
    #[error("cannot chain: {} already exists", .0.display())]
    LocalExists(PathBuf),
    /// Reading git's configuration failed.
    #[error("git: {}", .0.message())]
    Git(git2::Error),
    /// Reading or writing a hook failed.
    #[error("cannot write {}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause, part of the message (so not a `source`: a printed chain does not repeat it).
        error: io::Error,
    },
}

impl From<git2::Error> for HookError {
    fn from(e: git2::Error) -> Self {
        HookError::Git(e)
    }
}

/// How to install.
#[derive(Debug, Clone, Copy, Default)]
pub struct InstallOptions {
    /// Replace a hook cairn did not write.
    pub force: bool,
    /// Keep an existing hook as `pre-commit.local` and run it first.
    pub chain: bool,
}

/// What `install` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The hook written.
    pub hook: PathBuf,
    /// Where an existing hook was moved to (`--chain`), or kept from an earlier chain.
    pub chained: Option<PathBuf>,
    /// True when a hook cairn did not write was overwritten (`--force`).
    pub replaced_foreign: bool,
    /// True when an earlier cairn hook was rewritten.
    pub updated: bool,
}

/// What `uninstall` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uninstalled {
    /// No pre-commit hook was there.
    Nothing(PathBuf),
    /// The cairn hook was removed; a chained hook was put back where it was.
    Removed {
        /// The hook removed.
        hook: PathBuf,
        /// True when `pre-commit.local` was moved back to `pre-commit`.
        restored: bool,
    },
}

/// The repository holding `root`, and the root's path inside its work tree (`""` at the top).
fn open(root: &Path) -> Result<(Repository, String), HookError> {
    let not_repo = || HookError::NotARepository(root.to_path_buf());
    let repo = Repository::discover(root).map_err(|_| not_repo())?;
    let workdir = repo.workdir().ok_or_else(not_repo)?;
    let workdir = dunce::canonicalize(workdir).unwrap_or_else(|_| workdir.to_path_buf());
    let root = dunce::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let rel = root.strip_prefix(&workdir).map_err(|_| not_repo())?;
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Ok((repo, rel))
}

/// The folder git runs hooks from: `core.hooksPath` (relative to the work tree) when set, else
/// the `hooks/` folder of the common git dir, which linked worktrees share.
pub fn hooks_dir(repo: &Repository) -> Result<PathBuf, HookError> {
    let config = repo.config()?;
    match config.get_path("core.hooksPath") {
        Ok(p) if !p.as_os_str().is_empty() => {
            if p.is_absolute() {
                Ok(p)
            } else {
                let base = repo.workdir().unwrap_or_else(|| repo.path());
                Ok(base.join(p))
            }
        }
        _ => Ok(repo.commondir().join("hooks")),
    }
}

/// The hook's path for the repository holding `root`.
pub fn hook_path(root: &Path) -> Result<PathBuf, HookError> {
    let (repo, _) = open(root)?;
    Ok(hooks_dir(&repo)?.join(HOOK))
}

/// Quotes a string for POSIX sh.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The hook script. `prefix` is the plan root inside the work tree, where git runs hooks.
pub fn script(prefix: &str, chained: bool) -> String {
    let command = if prefix.is_empty() {
        "cairn check --staged".to_string()
    } else {
        format!("cairn -C {} check --staged", sh_quote(prefix))
    };
    let mut s = String::new();
    s.push_str("#!/bin/sh\n");
    s.push_str(MARKER);
    if chained {
        s.push_str(CHAINED);
    }
    s.push('\n');
    s.push_str(
        "# Written by `cairn hook install`; `cairn hook uninstall` removes it.\n\
         # Blocks a commit whose staged plan files have errors. Skip once with `git commit --no-verify`.\n",
    );
    if chained {
        s.push_str(&format!(
            "\n# The hook that was here before, moved aside by `cairn hook install --chain`.\n\
             local_hook=\"$(dirname \"$0\")/{LOCAL}\"\n\
             if [ -x \"$local_hook\" ]; then\n\
             \x20 \"$local_hook\" \"$@\" || exit $?\n\
             fi\n"
        ));
    }
    s.push_str(&format!(
        "\nif ! command -v cairn >/dev/null 2>&1; then\n\
         \x20 echo \"cairn pre-commit hook: cairn is not on PATH.\" >&2\n\
         \x20 echo \"Install cairn and put it on PATH, commit with --no-verify to skip this check once,\" >&2\n\
         \x20 echo \"or delete this hook: $0\" >&2\n\
         \x20 exit 1\n\
         fi\n\
         exec {command}\n"
    ));
    s
}

/// True when the file at `path` is a hook cairn wrote; `Some(chained)` then.
fn ours(path: &Path) -> Option<bool> {
    let text = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&text);
    let line = text.lines().take(3).find(|l| l.starts_with(MARKER))?;
    Some(line.ends_with(CHAINED))
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> HookError + '_ {
    move |source| HookError::Io {
        path: path.to_path_buf(),
        error: source,
    }
}

/// Writes the pre-commit hook for the plan at `root`.
pub fn install(root: &Path, opts: InstallOptions) -> Result<Installed, HookError> {
    let (repo, prefix) = open(root)?;
    let dir = hooks_dir(&repo)?;
    let hook = dir.join(HOOK);
    let local = dir.join(LOCAL);
    let exists = hook.symlink_metadata().is_ok();
    let mut out = Installed {
        hook: hook.clone(),
        chained: None,
        replaced_foreign: false,
        updated: false,
    };
    let chained = match (exists, ours(&hook)) {
        (false, _) => false,
        (true, Some(was_chained)) => {
            out.updated = true;
            was_chained && local.exists()
        }
        (true, None) if opts.chain => {
            if local.symlink_metadata().is_ok() {
                return Err(HookError::LocalExists(local));
            }
            std::fs::rename(&hook, &local).map_err(io_err(&local))?;
            true
        }
        (true, None) if opts.force => {
            out.replaced_foreign = true;
            false
        }
        (true, None) => return Err(HookError::Foreign(hook)),
    };
    if chained {
        out.chained = Some(local);
    }
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    write_executable(&hook, script(&prefix, chained).as_bytes()).map_err(io_err(&hook))?;
    Ok(out)
}

/// Removes the hook if cairn wrote it, moving a chained `pre-commit.local` back.
pub fn uninstall(root: &Path) -> Result<Uninstalled, HookError> {
    let (repo, _) = open(root)?;
    let dir = hooks_dir(&repo)?;
    let hook = dir.join(HOOK);
    if hook.symlink_metadata().is_err() {
        return Ok(Uninstalled::Nothing(hook));
    }
    let Some(chained) = ours(&hook) else {
        return Err(HookError::Foreign(hook));
    };
    let local = dir.join(LOCAL);
    let restored = chained && local.exists();
    if restored {
        // The rename replaces the cairn hook in one step: there is never a moment without a hook.
        std::fs::rename(&local, &hook).map_err(io_err(&hook))?;
    } else {
        std::fs::remove_file(&hook).map_err(io_err(&hook))?;
    }
    Ok(Uninstalled::Removed { hook, restored })
}

/// Writes `bytes` to `path` atomically, executable by everyone who can read it.
fn write_executable(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{HOOK}.cairn-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_for_sh() {
        assert_eq!(sh_quote("plan dir"), "'plan dir'");
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn script_runs_from_the_plan_root() {
        assert!(script("", false).contains("\nexec cairn check --staged\n"));
        assert!(script("docs/plan", false).contains("exec cairn -C 'docs/plan' check --staged"));
        assert!(!script("", false).contains(LOCAL));
        assert!(script("", true).contains(LOCAL));
        assert!(script("", true).starts_with("#!/bin/sh\n# cairn-managed-hook (chained)\n"));
    }
}
