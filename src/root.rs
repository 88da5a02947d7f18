//! Finding the plan root: the nearest folder holding `cairn.yaml`, else the git work tree's root,
//! else the folder cairn was started in.

use std::path::{Path, PathBuf};

/// The folder a plan without `cairn.yaml` keeps its items in (the default `plan_dir`).
const DEFAULT_PLAN_DIR: &str = "plan";

/// How the root was found, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootKind {
    /// A folder holding `cairn.yaml`.
    Config,
    /// The root of the git work tree.
    Git,
    /// The starting folder.
    Cwd,
    /// A folder holding a `plan` folder (found from a path by [`plan_root_of`]).
    PlanDir,
}

/// The plan root for a run started in `start`.
pub fn find_root(start: &Path) -> (PathBuf, RootKind) {
    config_or_git(start).unwrap_or_else(|| (start.to_path_buf(), RootKind::Cwd))
}

/// The plan that the folder `dir` belongs to, for a tool that is handed paths rather than started
/// in a folder (the language server): the nearest folder at or above `dir` holding `cairn.yaml`,
/// else the root of the git work tree holding `dir`, else the nearest folder at or above `dir`
/// holding a `plan` folder (where a plan without `cairn.yaml` keeps its items). `None` when there
/// is none of these: what is in `dir` belongs to no plan. `dir` should be absolute.
pub fn plan_root_of(dir: &Path) -> Option<(PathBuf, RootKind)> {
    config_or_git(dir).or_else(|| {
        dir.ancestors()
            .find(|d| d.join(DEFAULT_PLAN_DIR).is_dir())
            .map(|d| (canonical(d), RootKind::PlanDir))
    })
}

fn config_or_git(start: &Path) -> Option<(PathBuf, RootKind)> {
    for dir in start.ancestors() {
        if dir.join(crate::config::FILE_NAME).is_file() {
            return Some((canonical(dir), RootKind::Config));
        }
    }
    let repo = git2::Repository::discover(start).ok()?;
    let workdir = repo.workdir()?;
    Some((canonical(workdir), RootKind::Git))
}

fn canonical(dir: &Path) -> PathBuf {
    dunce::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_root_of_prefers_config_then_git_then_a_plan_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let base = dunce::canonicalize(tmp.path()).unwrap();
        let loose = base.join("loose");
        std::fs::create_dir_all(loose.join("plan/stories")).unwrap();
        std::fs::create_dir_all(base.join("nothing/here")).unwrap();
        assert_eq!(
            plan_root_of(&loose.join("plan/stories")),
            Some((loose.clone(), RootKind::PlanDir))
        );
        assert_eq!(plan_root_of(&base.join("nothing/here")), None);
        std::fs::write(loose.join("plan/cairn.yaml"), "").unwrap();
        assert_eq!(
            plan_root_of(&loose.join("plan/stories")),
            Some((loose.join("plan"), RootKind::Config))
        );
        git2::Repository::init(base.join("nothing")).unwrap();
        assert_eq!(
            plan_root_of(&base.join("nothing/here")),
            Some((base.join("nothing"), RootKind::Git))
        );
    }
}
