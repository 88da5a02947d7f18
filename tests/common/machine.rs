//! Nothing of the machine running the tests leaks into the processes they start: no global or
//! system git config, no identity, no `$HOME`, no time zone or locale of its own. Every `git`
//! and every `cairn` a test runs goes through [`isolate`].

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// A home folder that holds nothing but two empty git config files (`.gitconfig`, the global one,
/// and `etc/gitconfig`, the system one), shared by the tests of one test binary and never written.
pub fn home() -> &'static Path {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| {
        let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("machine-free-home");
        std::fs::create_dir_all(home.join("etc")).expect("create the tests' home");
        for file in [".gitconfig", "etc/gitconfig"] {
            // Several test binaries may get here at once: each writes the same empty file.
            let path = home.join(file);
            if std::fs::metadata(&path).map_or(true, |m| m.len() > 0) {
                std::fs::write(&path, "").expect("write an empty git config");
            }
        }
        home
    })
}

/// The empty file `GIT_CONFIG_GLOBAL` names.
pub fn global_config() -> PathBuf {
    home().join(".gitconfig")
}

/// The empty file `GIT_CONFIG_SYSTEM` names.
pub fn system_config() -> PathBuf {
    home().join("etc/gitconfig")
}

/// Variables that would bring the machine (or the git command the tests run inside, as in a hook)
/// into a test: git's own (`GIT_DIR`, `GIT_INDEX_FILE`, `GIT_CONFIG_PARAMETERS`, identities and
/// dates…) and the ones git reads an identity or a config from.
fn leaks(name: &str) -> bool {
    name.starts_with("GIT_")
        || matches!(
            name,
            "EMAIL" | "XDG_CONFIG_HOME" | "HOME" | "TZ" | "LANG" | "LANGUAGE" | "CLICOLOR_FORCE"
        )
        || name.starts_with("LC_")
}

/// Gives `cmd` an environment of its own: the machine's git config, identity, home, time zone and
/// locale removed, and fixed ones put in their place. Callers add what their test needs (an
/// identity and dates for git, `GIT_INDEX_FILE` for a hook…) afterwards.
pub fn isolate(cmd: &mut Command) -> &mut Command {
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_none_or(leaks) {
            cmd.env_remove(&name);
        }
    }
    cmd.env("HOME", home())
        .env("XDG_CONFIG_HOME", home().join(".config"))
        .env("GIT_CONFIG_GLOBAL", global_config())
        .env("GIT_CONFIG_SYSTEM", system_config())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
}
