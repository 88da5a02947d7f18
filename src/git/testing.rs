//! The `git` of unit tests, kept from the machine as `tests/common` keeps the integration tests:
//! no global or system config, no identity, home, time zone or locale of its own; a fixed
//! identity and dates instead.

use std::path::Path;
use std::process::{Command, Output};

/// Variables that would bring the machine, or the git command the tests run inside (a hook), in.
fn leaks(name: &str) -> bool {
    name.starts_with("GIT_")
        || name.starts_with("LC_")
        || matches!(
            name,
            "EMAIL" | "HOME" | "XDG_CONFIG_HOME" | "TZ" | "LANG" | "LANGUAGE"
        )
}

/// Runs `git ARGS` in `dir`, whatever its outcome.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    // A home of its own, with empty global and system config files, gone after the command.
    let home = tempfile::tempdir().expect("temp dir");
    let (global, system) = (
        home.path().join(".gitconfig"),
        home.path().join("gitconfig"),
    );
    std::fs::write(&global, "").expect("empty config");
    std::fs::write(&system, "").expect("empty config");
    let mut cmd = Command::new("git");
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_none_or(leaks) {
            cmd.env_remove(&name);
        }
    }
    cmd.args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(["-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("GIT_CONFIG_GLOBAL", &global)
        .env("GIT_CONFIG_SYSTEM", &system)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2027-01-04T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2027-01-04T10:00:00Z")
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .output()
        .expect("git runs")
}

/// Runs `git ARGS` in `dir`; panics when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let out = run(dir, args);
    assert!(out.status.success(), "git {args:?}: {out:?}");
}
