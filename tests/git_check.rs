//! `--staged` and `--rev` on real repositories: what is read, from where, and every edge case the
//! git-native issue lists (SPEC §5).

mod common;
use common::{git_in, Test};

const GOAL: &str = "---\nid: G-1\ntitle: A goal\nstatus: active\n---\n## Why now\n";

fn story(goal: &str) -> String {
    format!("---\nid: S-1\ntitle: A story\nstatus: draft\ngoal: {goal}\n---\nAs a user, I can.\n")
}

/// A repository with one commit: a goal and a story linked to it.
fn repo() -> Test {
    let t = Test::new()
        .file("plan/goals/G-1.md", GOAL)
        .file("plan/stories/S-1.md", story("G-1"));
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    t.git(&["commit", "-qm", "plan"]);
    t
}

#[test]
fn staged_reads_the_index_not_the_work_tree() {
    let t = repo();
    // Broken in the work tree only: the index is still fine.
    let t = t.file("plan/stories/S-1.md", story("G-9"));
    assert_eq!(t.run(&["check", "--staged"]).code, 0);
    assert_eq!(t.run(&["check"]).code, 1);
    // Stage the broken version, then fix the work tree: the index is what counts.
    t.git(&["add", "plan/stories/S-1.md"]);
    let t = t.file("plan/stories/S-1.md", story("G-1"));
    let out = t.run(&["check", "--staged", "--format", "json"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.findings(),
        [
            (
                "empty-goal".to_string(),
                "plan/goals/G-1.md".to_string(),
                4,
                9
            ),
            (
                "broken-reference".to_string(),
                "plan/stories/S-1.md".to_string(),
                5,
                7
            )
        ]
    );
    assert_eq!(t.run(&["check"]).code, 0);
}

#[test]
fn staged_sees_partially_staged_files() {
    let t = repo();
    // Stage a change to the title, then break the goal reference without staging it.
    let staged = story("G-1").replace("title: A story", "title: Renamed");
    let t = t.file("plan/stories/S-1.md", &staged);
    t.git(&["add", "plan/stories/S-1.md"]);
    let t = t.file(
        "plan/stories/S-1.md",
        staged.replace("goal: G-1", "goal: G-9"),
    );
    let out = t.run(&["list", "--staged", "--format", "json"]);
    let titles: Vec<_> = out.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.contains(&"Renamed".to_string()), "{titles:?}");
    assert_eq!(t.run(&["check", "--staged"]).code, 0);
}

#[test]
fn staged_deletion_and_rename() {
    let t = repo();
    // Deleting the goal (staged) breaks the story's reference in the index.
    t.git(&["rm", "-q", "plan/goals/G-1.md"]);
    let out = t.run(&["check", "--staged", "--format", "json"]);
    assert_eq!(out.rules(), ["broken-reference"]);
    t.git(&["reset", "-q", "HEAD", "plan/goals/G-1.md"]);
    t.git(&["checkout", "--", "plan/goals/G-1.md"]);
    // A staged rename keeps the id: still clean, and the new path is reported.
    t.git(&["mv", "plan/stories/S-1.md", "plan/stories/S-1-renamed.md"]);
    let out = t.run(&["show", "S-1", "--staged", "--format", "json"]);
    assert_eq!(out.json()["file"], "plan/stories/S-1-renamed.md");
    assert_eq!(t.run(&["check", "--staged"]).code, 0);
}

#[test]
fn rev_reads_any_commit_without_checkout() {
    let t = repo();
    let t = t.file("plan/stories/S-1.md", story("G-9"));
    t.git(&["commit", "-qam", "break"]);
    t.git(&["tag", "broken"]);
    let t = t.file("plan/stories/S-1.md", story("G-1"));
    t.git(&["commit", "-qam", "fix"]);
    assert_eq!(t.run(&["check", "--rev", "HEAD"]).code, 0);
    assert_eq!(t.run(&["check", "--rev", "HEAD~1"]).code, 1);
    assert_eq!(t.run(&["check", "--rev", "broken"]).code, 1);
    // Nothing was checked out.
    assert_eq!(t.read("plan/stories/S-1.md"), story("G-1"));
    assert_eq!(t.git(&["status", "--porcelain"]), "");
}

#[test]
fn rev_uses_that_commits_config() {
    let t = repo().file("cairn.yaml", "rules:\n  orphan-story: error\n");
    t.git(&["add", "cairn.yaml"]);
    t.git(&["commit", "-qm", "strict"]);
    let t = t.file(
        "plan/stories/S-2.md",
        "---\nid: S-2\ntitle: Orphan\nstatus: draft\n---\n",
    );
    t.git(&["add", "-A"]);
    t.git(&["commit", "-qm", "orphan"]);
    let out = t.run(&["check", "--rev", "HEAD", "--format", "json"]);
    assert_eq!(out.json()["diagnostics"][0]["severity"], "error");
    // In the first commit there was no config and no orphan.
    assert_eq!(t.run(&["check", "--rev", "HEAD~2"]).code, 0);
}

#[test]
fn unknown_revision_suggests_a_branch() {
    let t = repo();
    t.git(&["branch", "feature/export"]);
    let out = t.run(&["check", "--rev", "feature/exprot"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown revision `feature/exprot`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `feature/export`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn outside_a_repository_git_flags_fail_but_check_works() {
    let t = Test::new()
        .file("plan/goals/G-1.md", GOAL)
        .file("cairn.yaml", "");
    for flag in [
        &["check", "--staged"][..],
        &["check", "--rev", "HEAD"],
        &["list", "--staged"],
    ] {
        let out = t.run(flag);
        assert_eq!(out.code, 2, "{flag:?}");
        assert!(
            out.stderr.contains("not inside a git repository"),
            "{}",
            out.stderr
        );
    }
    // The goal has no stories: a warning, exit 0.
    assert_eq!(t.run(&["check"]).code, 0);
}

#[test]
fn repository_without_commits() {
    let t = Test::new()
        .file("plan/goals/G-1.md", GOAL)
        .file("plan/stories/S-1.md", story("G-1"));
    t.git(&["init", "-q"]);
    // Nothing staged yet: an empty plan, nothing to complain about.
    let out = t.run(&["check", "--staged", "--format", "json"]);
    assert_eq!((out.code, out.json()["items"].as_u64()), (0, Some(0)));
    t.git(&["add", "-A"]);
    let out = t.run(&["check", "--staged", "--format", "json"]);
    assert_eq!((out.code, out.json()["items"].as_u64()), (0, Some(2)));
    let out = t.run(&["check", "--rev", "HEAD"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no commits yet"), "{}", out.stderr);
}

#[test]
fn detached_head() {
    let t = repo();
    let t = t.file("plan/stories/S-1.md", story("G-9"));
    t.git(&["commit", "-qam", "break"]);
    t.git(&["checkout", "-q", "--detach", "HEAD~1"]);
    assert_eq!(t.run(&["check", "--staged"]).code, 0);
    assert_eq!(t.run(&["check", "--rev", "HEAD"]).code, 0);
    assert_eq!(t.run(&["check", "--rev", "main"]).code, 1);
}

#[test]
fn plan_in_a_sub_folder_run_from_a_nested_folder() {
    let t = Test::empty()
        .file("services/planning/cairn.yaml", "plan_dir: roadmap\n")
        .file("services/planning/roadmap/goals/G-1.md", GOAL)
        .file("services/planning/roadmap/stories/S-1.md", story("G-9"))
        .file("src/main.rs", "fn main() {}\n");
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    t.git(&["commit", "-qm", "plan"]);
    let nested = t.path().join("services/planning/roadmap/stories");
    for args in [
        &["check", "--format", "json"][..],
        &["check", "--staged", "--format", "json"],
        &["check", "--rev", "HEAD", "--format", "json"],
    ] {
        let out = t.run_in(&nested, args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        // Paths are relative to the plan root (the folder of cairn.yaml).
        assert_eq!(
            out.findings(),
            [
                (
                    "empty-goal".to_string(),
                    "roadmap/goals/G-1.md".to_string(),
                    4,
                    9
                ),
                (
                    "broken-reference".to_string(),
                    "roadmap/stories/S-1.md".to_string(),
                    5,
                    7
                )
            ],
            "{args:?}"
        );
    }
    // CI annotations are relative to the repository instead.
    let out = t.run_in(&nested, &["check", "--staged", "--format", "github"]);
    assert!(
        out.stdout
            .contains("::error file=services/planning/roadmap/stories/S-1.md,line=5,col=7,"),
        "{}",
        out.stdout
    );
}

#[test]
fn linked_worktree() {
    let t = repo();
    t.git(&["branch", "other"]);
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("wt");
    t.git(&["worktree", "add", "-q", wt_path.to_str().unwrap(), "other"]);
    std::fs::write(wt_path.join("plan/stories/S-1.md"), story("G-9")).unwrap();
    git_in(&wt_path, &["add", "-A"]);
    // The worktree's own index is read, not the main checkout's.
    assert_eq!(t.run_in(&wt_path, &["check", "--staged"]).code, 1);
    assert_eq!(t.run(&["check", "--staged"]).code, 0);
    git_in(&wt_path, &["commit", "-qm", "break on other"]);
    assert_eq!(t.run(&["check", "--rev", "other"]).code, 1);
}

#[test]
fn links_resolve_against_the_same_source() {
    let t = Test::new()
        .file("plan/goals/G-1.md", GOAL)
        .file("plan/notes.md", "See [the goal](goals/G-1.md#why-now).\n");
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    t.git(&["commit", "-qm", "plan"]);
    // Removed from the index only: the link is broken there, but not in the work tree.
    t.git(&["rm", "-q", "--cached", "plan/goals/G-1.md"]);
    let out = t.run(&["check", "--staged", "--format", "json"]);
    assert_eq!(out.rules(), ["broken-link"]);
    assert!(!t
        .run(&["check", "--format", "json"])
        .rules()
        .contains(&"broken-link".to_string()));
}

#[test]
fn staged_merge_conflict_markers_are_reported() {
    let t = repo();
    let conflicted = "---\nid: S-1\n<<<<<<< HEAD\ntitle: Ours\n=======\ntitle: Theirs\n>>>>>>> other\nstatus: draft\ngoal: G-1\n---\n";
    let t = t.file("plan/stories/S-1.md", conflicted);
    t.git(&["add", "plan/stories/S-1.md"]);
    let out = t.run(&["check", "--staged", "--format", "json"]);
    assert!(
        out.findings().contains(&(
            "merge-conflict".to_string(),
            "plan/stories/S-1.md".to_string(),
            3,
            1
        )),
        "{:?}",
        out.findings()
    );
}

#[test]
fn same_size_edit_right_after_staging_is_not_taken_for_the_staged_content() {
    // cairn reads unchanged files from disk (as git does); a same-size edit in the same instant
    // as `git add` must still be told apart from the staged blob.
    let t = repo();
    let t = t.file("plan/stories/S-1.md", story("G-9"));
    t.git(&["add", "plan/stories/S-1.md"]);
    let t = t.file("plan/stories/S-1.md", story("G-1"));
    assert_eq!(t.run(&["check", "--staged"]).code, 1);
    t.git(&["add", "plan/stories/S-1.md"]);
    let t = t.file("plan/stories/S-1.md", story("G-8"));
    assert_eq!(t.run(&["check", "--staged"]).code, 0);
}
