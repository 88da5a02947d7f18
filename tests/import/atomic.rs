//! All or nothing: when one file cannot be written, the plan is left exactly as it was.

use crate::common::Test;
use crate::{fixture, snapshot};

#[test]
fn a_file_in_the_way_leaves_the_plan_as_it_was() {
    // Goals go to plan/goals (where G-1 is); stories would go to plan/stories, which is a file.
    let t = Test::new()
        .config("# ours\nplan_dir: plan\n")
        .item("G-1", "title: Ours\nstatus: active\n", "")
        .file(
            "plan/goals/G-1-ours.md",
            "---\nid: G-2\ntitle: Also ours\nstatus: active\n---\n",
        )
        .file("plan/stories", "not a folder\n");
    let before = snapshot(t.path(), "");
    let out = t.run(&["import", "jira", &fixture("jira/export.csv")]);
    assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("`plan/stories` is a file, not a folder; nothing was written\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .starts_with("error: cannot write plan/stories/S-1-"),
        "{}",
        out.stderr
    );
    // No new file, no temporary file, no folder, cairn.yaml and the state untouched.
    assert_eq!(snapshot(t.path(), ""), before);
}

#[test]
fn a_read_only_folder_leaves_the_plan_as_it_was() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new()
        .config("plan_dir: plan\n")
        .file(
            "plan/goals/G-1-ours.md",
            "---\nid: G-1\ntitle: Ours\nstatus: active\n---\n",
        )
        .file(
            "plan/stories/S-1-ours.md",
            "---\nid: S-1\ntitle: Ours\nstatus: draft\ngoal: G-1\n---\n",
        );
    let stories = t.path().join("plan/stories");
    std::fs::set_permissions(&stories, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Where permissions do not bind (running as root), there is nothing to test.
    let probe = stories.join(".probe");
    if std::fs::write(&probe, "").is_ok() {
        let _ = std::fs::remove_file(probe);
        std::fs::set_permissions(&stories, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: the folder is writable even read-only (root?)");
        return;
    }
    let before = snapshot(t.path(), "");
    let out = t.run(&["import", "jira", &fixture("jira/export.csv")]);
    std::fs::set_permissions(&stories, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(snapshot(t.path(), ""), before);
}
