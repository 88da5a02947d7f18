//! Git's configuration files as git's environment names them. `GIT_CONFIG_GLOBAL`,
//! `GIT_CONFIG_SYSTEM` and `GIT_CONFIG_NOSYSTEM` change which files git reads, but libgit2 only
//! looks at `$HOME`, `$XDG_CONFIG_HOME` and `/etc`: without this, cairn would read a
//! `core.hooksPath` that git itself ignores (and the tests, which hide the machine's config from
//! git that way, would still see it through cairn).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Where libgit2 looks for each level of config files. `None` keeps libgit2's default; an empty
/// path means no file at that level.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigSearch {
    /// The folder of the system file (`gitconfig`).
    pub system: Option<PathBuf>,
    /// The folder of the global file (`.gitconfig`).
    pub global: Option<PathBuf>,
    /// The folder of the XDG file (`git/config` under it).
    pub xdg: Option<PathBuf>,
}

impl ConfigSearch {
    /// What git would read, from its environment variables (`var` looks one up):
    /// - `GIT_CONFIG_NOSYSTEM` (a git boolean): no system file;
    /// - `GIT_CONFIG_SYSTEM=FILE`: that file instead of `/etc/gitconfig`;
    /// - `GIT_CONFIG_GLOBAL=FILE`: that file instead of `~/.gitconfig` and the XDG one.
    ///
    /// libgit2 finds a level's file by folder, under a fixed name (`gitconfig`, `.gitconfig`): a
    /// `FILE` of another name (or `/dev/null`, as is common) is read as an empty config.
    pub fn from_env(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> ConfigSearch {
        let mut search = ConfigSearch::default();
        if var("GIT_CONFIG_NOSYSTEM").is_some_and(|v| git_bool(&v)) {
            search.system = Some(PathBuf::new());
        } else if let Some(file) = var("GIT_CONFIG_SYSTEM") {
            search.system = Some(folder_of(Path::new(&file), "gitconfig"));
        }
        if let Some(file) = var("GIT_CONFIG_GLOBAL") {
            search.global = Some(folder_of(Path::new(&file), ".gitconfig"));
            search.xdg = Some(PathBuf::new());
        }
        search
    }

    /// Points libgit2 at these folders, for every repository opened from then on.
    ///
    /// # Safety
    /// It changes libgit2's global state: call it before any other thread uses git2, as at the
    /// start of `main`.
    pub unsafe fn apply(&self) -> Result<(), git2::Error> {
        for (level, folder) in [
            (git2::ConfigLevel::System, &self.system),
            (git2::ConfigLevel::Global, &self.global),
            (git2::ConfigLevel::XDG, &self.xdg),
        ] {
            if let Some(folder) = folder {
                // SAFETY: the caller guarantees no other thread is using git2.
                unsafe { git2::opts::set_search_path(level, folder.as_os_str())? };
            }
        }
        Ok(())
    }
}

/// How git reads a boolean variable: `false`, `no`, `off`, `0` and empty are false.
fn git_bool(value: &OsStr) -> bool {
    let v = value.to_string_lossy().trim().to_ascii_lowercase();
    !matches!(v.as_str(), "" | "0" | "false" | "no" | "off")
}

/// The folder libgit2 can find `file` in under the level's `name`; an empty path (no file) when
/// it cannot: another name, `/dev/null`, or a folder with `:` (libgit2's list separator).
fn folder_of(file: &Path, name: &str) -> PathBuf {
    match (file.parent(), file.file_name()) {
        (Some(parent), Some(n)) if n == name && !parent.to_string_lossy().contains(':') => {
            if parent.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                parent.to_path_buf()
            }
        }
        _ => PathBuf::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::ConfigSearch;
    use std::path::PathBuf;

    fn search(vars: &[(&str, &str)]) -> ConfigSearch {
        ConfigSearch::from_env(|k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.into())
        })
    }

    #[test]
    fn nothing_set_keeps_libgit2s_defaults() {
        assert_eq!(search(&[]), ConfigSearch::default());
    }

    #[test]
    fn nosystem_turns_the_system_file_off() {
        assert_eq!(
            search(&[("GIT_CONFIG_NOSYSTEM", "1")]).system,
            Some(PathBuf::new())
        );
        assert_eq!(
            search(&[("GIT_CONFIG_NOSYSTEM", "true")]).system,
            Some(PathBuf::new())
        );
        assert_eq!(search(&[("GIT_CONFIG_NOSYSTEM", "0")]).system, None);
        assert_eq!(search(&[("GIT_CONFIG_NOSYSTEM", "off")]).system, None);
        // NOSYSTEM wins over a named system file, as in git.
        assert_eq!(
            search(&[
                ("GIT_CONFIG_NOSYSTEM", "yes"),
                ("GIT_CONFIG_SYSTEM", "/opt/etc/gitconfig")
            ])
            .system,
            Some(PathBuf::new())
        );
    }

    #[test]
    fn a_named_file_is_found_by_its_folder() {
        let s = search(&[
            ("GIT_CONFIG_SYSTEM", "/opt/etc/gitconfig"),
            ("GIT_CONFIG_GLOBAL", "/home/ci/.gitconfig"),
        ]);
        assert_eq!(s.system, Some(PathBuf::from("/opt/etc")));
        assert_eq!(s.global, Some(PathBuf::from("/home/ci")));
        assert_eq!(
            s.xdg,
            Some(PathBuf::new()),
            "GIT_CONFIG_GLOBAL replaces the XDG file too"
        );
    }

    #[test]
    fn dev_null_or_another_name_reads_as_empty() {
        let s = search(&[
            ("GIT_CONFIG_SYSTEM", "/dev/null"),
            ("GIT_CONFIG_GLOBAL", "/tmp/ci.config"),
        ]);
        assert_eq!(s.system, Some(PathBuf::new()));
        assert_eq!(s.global, Some(PathBuf::new()));
    }
}
