//! A plan in a real git repository, for the tests of `cairn new` and `cairn hook`.

use super::{git_in as git, Output, Test};

/// The text of an item file with these front-matter lines and no body.
pub fn item(id: &str, front_matter: &str) -> String {
    format!("---\nid: {id}\n{front_matter}---\n")
}

/// A committed plan on `main`: goal G-1 and story S-1 under `plan/goals` and `plan/stories`.
pub fn repo() -> Test {
    let t = Test::new()
        .file(
            "plan/goals/G-1-onboarding.md",
            item("G-1", "title: Onboarding\nstatus: active\n") + "## Why now\n",
        )
        .file(
            "plan/stories/S-1-templates.md",
            item("S-1", "title: Templates\nstatus: draft\ngoal: G-1\n"),
        );
    git(t.path(), &["init", "-q"]);
    git(t.path(), &["add", "-A"]);
    git(t.path(), &["commit", "-q", "-m", "plan"]);
    t
}

/// Asserts the run failed with exit code 2, without a panic.
pub fn failed(out: &Output) {
    assert_eq!(
        out.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}
