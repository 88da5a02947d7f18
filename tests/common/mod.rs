//! A small fluent harness: a plan in a temp dir, the real binary, and what it printed.
#![allow(dead_code)]

pub mod findings;
pub mod machine;
pub mod plans;
pub mod repo;

use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// A plan under construction in a temporary folder.
pub struct Test {
    dir: TempDir,
    env: Vec<(String, String)>,
}

/// What one run of `cairn` did.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Standard output parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// `(rule, line, column)` of every finding, from `check --format json` output.
    pub fn findings(&self) -> Vec<(String, String, u64, u64)> {
        self.json()["diagnostics"]
            .as_array()
            .expect("diagnostics array")
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap().to_string(),
                    d["file"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                    d["column"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    /// The rule names of every finding.
    pub fn rules(&self) -> Vec<String> {
        self.findings().into_iter().map(|f| f.0).collect()
    }
}

impl Test {
    /// An empty folder with a `plan/` directory.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("plan")).unwrap();
        Test {
            dir,
            env: Vec::new(),
        }
    }

    /// An empty folder, nothing in it.
    pub fn empty() -> Self {
        Test {
            dir: tempfile::tempdir().expect("temp dir"),
            env: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (folders created), relative to the root.
    pub fn file(self, rel: &str, content: impl AsRef<[u8]>) -> Self {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    /// Writes `cairn.yaml`.
    pub fn config(self, yaml: &str) -> Self {
        self.file("cairn.yaml", yaml)
    }

    /// Writes an item at `plan/<id>.md` from front-matter lines and a body.
    pub fn item(self, id: &str, front_matter: &str, body: &str) -> Self {
        let text = format!("---\nid: {id}\n{front_matter}---\n{body}");
        self.file(&format!("plan/{id}.md"), text)
    }

    /// A goal `G-n` (active) with a story so it is not empty.
    pub fn goal(self, id: &str) -> Self {
        self.item(id, "title: A goal\nstatus: active\n", "## Why now\n")
    }

    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }

    /// Runs `cairn ARGS` in the root.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_in(self.dir.path(), args)
    }

    /// Runs `cairn ARGS` in `dir`.
    pub fn run_in(&self, dir: &Path, args: &[&str]) -> Output {
        let out = self.command_in(dir, args).output().expect("run cairn");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `cairn ARGS` in the root, ready to run (for tests that wire its input and output).
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_in(self.dir.path(), args)
    }

    /// `cairn ARGS` in `dir`, ready to run: the machine kept out ([`machine::isolate`]), then the
    /// variables this test set with [`Test::env`].
    pub fn command_in(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = cairn_cmd(dir, args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// `cairn check --format json`.
    pub fn check(&self) -> Output {
        self.run(&["check", "--format", "json"])
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap()
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Runs `git ARGS` in the root with a fixed identity and fixed dates; panics on failure.
    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.dir.path(), args)
    }
}

/// The keys of a JSON object.
pub fn keys(v: &serde_json::Value) -> std::collections::BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

/// A set of strings.
pub fn set(names: &[&str]) -> std::collections::BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Asserts the run did not panic.
pub fn no_panic(out: &Output) {
    assert_ne!(out.code, 101, "panic:\n{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

/// The built `cairn ARGS` in `dir`, isolated from the machine ([`machine::isolate`]).
pub fn cairn_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cairn"));
    machine::isolate(&mut cmd).args(args).current_dir(dir);
    cmd
}

/// `git ARGS` in `dir`, ready to run: isolated from the machine ([`machine::isolate`]: no global
/// or system config, no identity, home, time zone or locale of its own), with a fixed identity,
/// fixed dates and `main` as the first branch. Line endings are not converted, because the
/// machine's config (where Git for Windows sets `core.autocrlf`) is not read; a repository's own
/// `core.autocrlf` still applies, as it would for a user (tests/crlf.rs sets one).
pub fn git_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    machine::isolate(&mut cmd)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(["-c", "init.defaultBranch=main"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2027-01-04T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2027-01-04T10:00:00Z");
    cmd
}

/// Commits what is staged and every tracked change in `dir` (`commit -a`) at `date` (10:00 UTC);
/// panics on failure.
pub fn commit_at(dir: &Path, date: &str, message: &str) {
    let stamp = format!("{date}T10:00:00Z");
    let out = git_cmd(dir, &["commit", "-qam", message])
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git commit failed: {out:?}");
}

/// Runs `git ARGS` in `dir` (see [`git_cmd`]); panics on failure.
pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = git_cmd(dir, args).output().expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Adds a story `S-n` with status `draft` and the given extra front-matter lines.
pub fn story(t: Test, id: &str, extra: &str) -> Test {
    t.item(
        id,
        &format!("title: Story {id}\nstatus: draft\n{extra}"),
        "",
    )
}

/// Asserts the run exited 0, showing what it printed when not.
pub fn ok(out: &Output) {
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
}
