//! `cairn init`: a config with every default written out, and a first goal and story.

use std::io;
use std::path::{Path, PathBuf};

/// The files `cairn init` writes, relative to the root, with their contents.
pub fn scaffold() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            crate::config::FILE_NAME,
            include_str!("../templates/init/cairn.yaml"),
        ),
        (
            "plan/goals/G-1-make-onboarding-effortless.md",
            include_str!("../templates/init/goal.md"),
        ),
        (
            "plan/stories/S-1-start-from-a-project-template.md",
            include_str!("../templates/init/story.md"),
        ),
    ]
}

/// Why `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A file it would write is already there.
    #[error("{} already exists; cairn init does not overwrite anything", .0.display())]
    Exists(PathBuf),
    /// Writing failed.
    #[error("cannot write {}: {error}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause, part of the message (so not a `source`: a printed chain does not repeat it).
        error: io::Error,
    },
}

/// Writes the scaffold under `root`, refusing if any of its files exists. Returns the paths written.
pub fn init(root: &Path) -> Result<Vec<PathBuf>, InitError> {
    let files = scaffold();
    for (rel, _) in &files {
        let path = root.join(rel);
        if path.exists() {
            return Err(InitError::Exists(path));
        }
    }
    let mut written = Vec::new();
    for (rel, content) in files {
        let path = root.join(rel);
        crate::write::atomic_write(&path, content.as_bytes()).map_err(|source| InitError::Io {
            path: path.clone(),
            error: source,
        })?;
        written.push(path);
    }
    Ok(written)
}
