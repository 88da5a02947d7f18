//! Snapshots of what `cairn check` prints for a small broken plan (tests/fixtures/broken), in the
//! human format (rustc-style, `NO_COLOR` set by the harness) and in the GitHub Actions format.
//!
//! Update with `INSTA_UPDATE=always cargo test --test snapshots` and read every changed `.snap`.

mod common;
use common::{Output, Test};
use std::path::PathBuf;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken")
}

fn check(args: &[&str]) -> Output {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = Test::empty().run_in(&fixture(), &all);
    assert_eq!(
        out.code, 1,
        "the fixture has errors\nstdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert_eq!(out.stderr, "", "nothing on stderr");
    out
}

#[test]
fn broken_plan_human() {
    let out = check(&[]);
    insta::assert_snapshot!("broken_plan_human", out.stdout);
}

#[test]
fn broken_plan_github() {
    // Paths are relative to the git repository (the fixture's folder is the prefix).
    let out = check(&["--format", "github"]);
    insta::assert_snapshot!("broken_plan_github", out.stdout);
}

#[test]
fn fixture_covers_many_rules() {
    let out = check(&["--format", "json"]);
    let mut rules = out.rules();
    rules.sort();
    rules.dedup();
    assert!(rules.len() >= 10, "{rules:?}");
}

/// rustc puts a caret (`^`) under the primary span of warnings too; `-` is for secondary notes.
#[test]
fn warnings_are_underlined_with_carets() {
    let out = check(&[]);
    let text = &out.stdout;
    let start = text
        .find("warning[empty-goal]")
        .expect("an empty-goal warning");
    let block = &text[start..];
    let block = &block[..block.find("\n\n").unwrap_or(block.len())];
    assert!(
        block.contains("4 | status: active\n  |         ^^^^^^\n"),
        "the warning's span is not underlined with carets:\n{block}"
    );
}
