//! Finding the plan root: the nearest folder holding `cairn.yaml`, else the git work tree's root,
//! else the folder cairn was started in.

use std::path::{Path, PathBuf};

/// How the root was found, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootKind {
    /// A folder holding `cairn.yaml`.
    Config,
    /// The root of the git work tree.
    Git,
    /// The starting folder.
    Cwd,
}

/// The plan root for a run started in `start`.
pub fn find_root(start: &Path) -> (PathBuf, RootKind) {
    for dir in start.ancestors() {
        if dir.join(crate::config::FILE_NAME).is_file() {
            return (dir.to_path_buf(), RootKind::Config);
        }
    }
    if let Ok(repo) = git2::Repository::discover(start) {
        if let Some(workdir) = repo.workdir() {
            let workdir = workdir
                .canonicalize()
                .unwrap_or_else(|_| workdir.to_path_buf());
            return (workdir, RootKind::Git);
        }
    }
    (start.to_path_buf(), RootKind::Cwd)
}
