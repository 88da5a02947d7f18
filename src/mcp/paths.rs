//! Where the server may write: inside the plan folder, and nowhere a symlink leads out of it.

use std::path::{Component, Path, PathBuf};

/// The absolute path of `rel` (relative to `root`, `/`-separated) when it lies inside the plan
/// folder `plan_dir` even after every symlink on the way is followed; else why not.
pub fn inside(root: &Path, plan_dir: &str, rel: &str) -> Result<PathBuf, String> {
    let path = Path::new(rel);
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(format!("`{rel}` is not a plain path inside the plan"));
    }
    let plan = match plan_dir {
        "." | "" => root.to_path_buf(),
        dir => root.join(dir),
    };
    let real_plan = dunce::canonicalize(&plan)
        .map_err(|e| format!("cannot open the plan folder {}: {e}", plan.display()))?;
    let full = root.join(path);
    // The nearest folder that exists decides: what is below it will be created as folders.
    let existing = full
        .ancestors()
        .skip(1)
        .find(|a| a.is_dir())
        .ok_or_else(|| format!("no folder on the way to `{rel}`"))?;
    let real = dunce::canonicalize(existing)
        .map_err(|e| format!("cannot open {}: {e}", existing.display()))?;
    if !real.starts_with(&real_plan) {
        return Err(format!(
            "`{rel}` would be written outside the plan folder `{plan_dir}` ({} leads to {})",
            existing.display(),
            real.display()
        ));
    }
    if let Ok(meta) = std::fs::symlink_metadata(&full) {
        if !meta.file_type().is_file() {
            return Err(format!("`{rel}` is not a regular file"));
        }
    }
    Ok(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_the_plan_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dunce::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(root.join("plan/stories")).unwrap();
        std::fs::create_dir_all(root.join("outside")).unwrap();
        assert!(inside(&root, "plan", "plan/stories/S-1.md").is_ok());
        assert!(inside(&root, "plan", "plan/new/folder/S-1.md").is_ok());
        assert!(inside(&root, "plan", "plan/../cairn.yaml").is_err());
        assert!(inside(&root, "plan", "outside/S-1.md").is_err());
        assert!(inside(&root, "plan", "/etc/passwd").is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("outside"), root.join("plan/link")).unwrap();
            let err = inside(&root, "plan", "plan/link/S-1.md").unwrap_err();
            assert!(err.contains("outside the plan folder"), "{err}");
            std::os::unix::fs::symlink(root.join("outside/x.md"), root.join("plan/x.md")).unwrap();
            std::fs::write(root.join("outside/x.md"), "x").unwrap();
            assert!(
                inside(&root, "plan", "plan/x.md").is_err(),
                "a symlinked file"
            );
        }
    }
}
