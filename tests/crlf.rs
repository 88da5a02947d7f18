//! A checkout with `core.autocrlf=true`, as Git for Windows makes by default: CRLF in the work
//! tree, LF in the index and in commits. Reading either side finds the same findings at the same
//! places, the two sides are not a difference, and edits keep the work tree's line endings.
//! (git converts on checkout on every platform, so this runs anywhere.)

mod common;

use common::{git_in, ok, Test};

/// A committed plan (LF in git) checked out again with `core.autocrlf=true`, so every file in the
/// work tree has CRLF line endings. S-2 has one error: a status its kind does not have.
fn crlf_checkout() -> Test {
    let t = Test::new()
        .item(
            "G-1",
            "title: Onboarding\nstatus: active\n",
            "## Why now\n\nSee [the story](S-1.md).\n",
        )
        .item(
            "S-1",
            "title: Templates\nstatus: draft # not started\ngoal: G-1\nestimate: 3\n",
            "As a lead, I can start from a template.\n\n## Acceptance criteria\n- [ ] one\n",
        )
        .item("S-2", "title: Import\nstatus: in-progres\ngoal: G-1\n", "");
    git_in(t.path(), &["init", "-q"]);
    git_in(t.path(), &["add", "-A"]);
    git_in(t.path(), &["commit", "-q", "-m", "plan"]);
    git_in(t.path(), &["config", "core.autocrlf", "true"]);
    std::fs::remove_dir_all(t.path().join("plan")).unwrap();
    git_in(t.path(), &["checkout", "--", "."]);
    let s1 = t.read("plan/S-1.md");
    assert!(
        s1.contains("id: S-1\r\ntitle: Templates\r\n"),
        "not a CRLF checkout: {s1:?}"
    );
    // git sees no change: the index has LF, the work tree CRLF, and that is the same content.
    assert_eq!(git_in(t.path(), &["status", "--porcelain"]), "");
    t
}

#[test]
fn check_finds_the_same_findings_in_the_work_tree_and_the_index() {
    let t = crlf_checkout();
    let work = t.check();
    let staged = t.run(&["check", "--staged", "--format", "json"]);
    let expected = vec![("invalid-value".to_string(), "plan/S-2.md".to_string(), 4, 9)];
    assert_eq!(work.findings(), expected, "{}", work.stdout);
    assert_eq!(staged.findings(), expected, "{}", staged.stdout);
    // No carriage return leaks into a message, a help or the source line shown.
    let human = t.run(&["check"]);
    assert!(!human.stdout.contains('\r'), "{:?}", human.stdout);
    assert!(
        human.stdout.contains("4 | status: in-progres\n"),
        "{}",
        human.stdout
    );
}

#[test]
fn diff_sees_no_change_between_a_crlf_work_tree_and_lf_commits() {
    let t = crlf_checkout();
    let out = t.run(&["diff"]);
    ok(&out);
    assert!(out.stdout.contains("No plan changes."), "{}", out.stdout);
    let out = t.run(&["diff", "--staged"]);
    ok(&out);
    assert!(out.stdout.contains("No plan changes."), "{}", out.stdout);
}

#[test]
fn set_keeps_crlf_and_changes_one_line() {
    let t = crlf_checkout();
    let before = t.read("plan/S-1.md");
    let out = t.run(&["set", "S-1", "status=ready"]);
    ok(&out);
    let after = t.read("plan/S-1.md");
    assert_eq!(
        after,
        before.replace(
            "status: draft # not started\r\n",
            "status: ready # not started\r\n"
        )
    );
    assert_eq!(after.matches('\n').count(), after.matches("\r\n").count());
    // git sees the one line, and commits it with LF.
    let numstat = git_in(t.path(), &["diff", "--numstat"]);
    assert_eq!(numstat.trim(), "1\t1\tplan/S-1.md", "{numstat}");
    // cairn diff reads the edit from the work tree and, once staged, from the index.
    let out = t.run(&["diff"]);
    ok(&out);
    assert!(
        out.stdout.contains("| status | draft | ready |"),
        "{}",
        out.stdout
    );
    git_in(t.path(), &["add", "plan/S-1.md"]);
    let staged = git_in(t.path(), &["show", ":plan/S-1.md"]);
    assert!(!staged.contains('\r'), "{staged:?}");
    let out = t.run(&["diff", "--staged"]);
    ok(&out);
    assert!(
        out.stdout.contains("| status | draft | ready |"),
        "{}",
        out.stdout
    );
    assert_eq!(
        t.run(&["check", "--staged", "--format", "json"])
            .findings()
            .len(),
        1
    );
}
