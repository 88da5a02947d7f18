//! `cairn renumber` (SPEC §5): an id moves with every reference to it, the file name and links,
//! the next free id sees every branch, and the day two branches minted the same id.

mod common;
use common::{git_in as git, ok, Test};
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// Helpers

fn story(id: &str, title: &str, extra: &str) -> String {
    format!("---\nid: {id}\ntitle: {title}\nstatus: draft\ngoal: G-1\n{extra}---\n")
}

// ---------------------------------------------------------------------------------------------
// cairn renumber

fn renumber_plan() -> Test {
    Test::new()
        .file("plan/goals/G-1.md", "---\nid: G-1\ntitle: Onboarding\nstatus: active\n---\n## Why now\n")
        .file(
            "plan/stories/S-5-welcome.md",
            "---\nid: S-5\ntitle: Welcome email\nstatus: draft\ngoal: G-1\n---\nSee [the notes](#notes).\n\n## Notes\n",
        )
        .file(
            "plan/stories/S-6.md",
            "---\nid: S-6\ntitle: Checklist\nstatus: draft\ngoal: G-1\ndepends_on: [S-2, \"S-5\"]\n---\nAfter the [welcome](S-5-welcome.md#notes).\n",
        )
        .file(
            "plan/stories/S-2.md",
            "---\nid: S-2\ntitle: Invite\nstatus: draft\ngoal: G-1\ndepends_on:\n  - S-5 # first\n---\n",
        )
        .file(
            "plan/README.md",
            "# Plan\n\n- [Welcome](stories/S-5-welcome.md)\n- [Other][o]\n\n[o]: ./stories/S-5-welcome.md#notes\n",
        )
}

#[test]
fn renumber_rewrites_the_id_references_file_name_and_links() {
    let t = renumber_plan();
    assert_eq!(t.check().rules(), Vec::<String>::new());
    let out = t.run(&["renumber", "S-5"]);
    ok(&out);
    assert!(!t.path().join("plan/stories/S-5-welcome.md").exists());
    assert_eq!(
        t.read("plan/stories/S-7-welcome.md"),
        "---\nid: S-7\ntitle: Welcome email\nstatus: draft\ngoal: G-1\n---\nSee [the notes](#notes).\n\n## Notes\n"
    );
    assert_eq!(
        t.read("plan/stories/S-6.md"),
        "---\nid: S-6\ntitle: Checklist\nstatus: draft\ngoal: G-1\ndepends_on: [S-2, \"S-7\"]\n---\nAfter the [welcome](S-7-welcome.md#notes).\n"
    );
    assert_eq!(
        t.read("plan/stories/S-2.md"),
        "---\nid: S-2\ntitle: Invite\nstatus: draft\ngoal: G-1\ndepends_on:\n  - S-7 # first\n---\n"
    );
    assert_eq!(
        t.read("plan/README.md"),
        "# Plan\n\n- [Welcome](stories/S-7-welcome.md)\n- [Other][o]\n\n[o]: ./stories/S-7-welcome.md#notes\n"
    );
    assert!(
        out.stdout
            .starts_with("renumbered S-5 → S-7 (plan/stories/S-5-welcome.md)\n"),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains("plan/stories/S-5-welcome.md → plan/stories/S-7-welcome.md (renamed)"));
    assert!(
        out.stdout
            .contains("plan/stories/S-2.md:7: depends_on S-5 → S-7"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("plan/README.md:3: link stories/S-5-welcome.md → stories/S-7-welcome.md"),
        "{}",
        out.stdout
    );
    assert_eq!(t.check().rules(), Vec::<String>::new());

    // A goal: every story's parent field follows.
    let out = t.run(&["renumber", "G-1", "G-4"]);
    ok(&out);
    assert!(t.read("plan/goals/G-4.md").starts_with("---\nid: G-4\n"));
    for f in ["S-2.md", "S-6.md", "S-7-welcome.md"] {
        assert!(
            t.read(&format!("plan/stories/{f}"))
                .contains("\ngoal: G-4\n"),
            "{f}"
        );
    }
    assert_eq!(t.check().rules(), Vec::<String>::new());
}

#[test]
fn renumber_keeps_quotes_comments_crlf_and_the_bom() {
    let goal = "\u{feff}---\r\nid: \"G-1\" # the goal\r\ntitle: Goal\r\nstatus: active\r\n---\r\n";
    let story = "---\r\nid: S-1\r\ntitle: x\r\nstatus: draft\r\ngoal: 'G-1' # parent\r\n---\r\nSee [the goal](G-1-goal.md).\r\n";
    let t = Test::new()
        .file("plan/G-1-goal.md", goal)
        .file("plan/S-1.md", story);
    let out = t.run(&["renumber", "G-1"]);
    ok(&out);
    assert_eq!(t.read("plan/G-2-goal.md"), goal.replace("G-1", "G-2"));
    assert_eq!(t.read("plan/S-1.md"), story.replace("G-1", "G-2"));
    assert_eq!(t.check().rules(), Vec::<String>::new());
}

#[test]
fn renumber_checks_the_new_id_and_dry_run_writes_nothing() {
    let t = renumber_plan();
    for (new, says) in [
        ("S-6", "`S-6` is already used (plan/stories/S-6.md)"),
        ("G-9", "renumbering keeps the kind"),
        ("S-09", "ids look like `S-N`"),
    ] {
        let out = t.run(&["renumber", "S-5", new]);
        assert_eq!(out.code, 2, "{new}");
        assert!(out.stderr.contains(says), "{new}: {}", out.stderr);
    }
    let out = t.run(&["renumber", "S-55"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean `S-5`?"), "{}", out.stderr);

    let out = t.run(&["renumber", "S-5", "12", "--dry-run"]);
    ok(&out);
    assert!(t.path().join("plan/stories/S-5-welcome.md").exists());
    assert!(
        out.stdout
            .contains("--- a/plan/stories/S-5-welcome.md\n+++ b/plan/stories/S-12-welcome.md\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("-id: S-5\n+id: S-12\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("would renumber S-5 → S-12"),
        "{}",
        out.stdout
    );
    assert_eq!(t.check().rules(), Vec::<String>::new());
}

#[test]
fn renumber_json_lists_every_file_and_change() {
    let t = renumber_plan();
    let out = t.run(&["renumber", "S-5", "--dry-run", "--format", "json"]);
    ok(&out);
    assert!(t.path().join("plan/stories/S-5-welcome.md").exists());
    assert_eq!(out.json()["dry_run"], true);

    let out = t.run(&["renumber", "S-5", "--format", "json"]);
    ok(&out);
    assert!(t.path().join("plan/stories/S-7-welcome.md").exists());
    let doc = out.json();
    assert_eq!(
        common::keys(&doc),
        common::set(&[
            "version",
            "old",
            "new",
            "file",
            "dry_run",
            "files",
            "left_alone",
            "not_rewritten"
        ])
    );
    assert_eq!(doc["version"], 1);
    assert_eq!((&doc["old"], &doc["new"]), (&json!("S-5"), &json!("S-7")));
    assert_eq!(doc["file"], "plan/stories/S-5-welcome.md");
    assert_eq!(doc["dry_run"], false);
    let files = doc["files"].as_array().unwrap();
    let moved = files
        .iter()
        .find(|f| f["path"] == "plan/stories/S-5-welcome.md")
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(moved["new_path"], "plan/stories/S-7-welcome.md");
    assert_eq!(
        moved["changes"],
        json!([{ "line": 2, "field": "id", "from": "S-5", "to": "S-7" }])
    );
    let s2 = files
        .iter()
        .find(|f| f["path"] == "plan/stories/S-2.md")
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(s2["new_path"], "plan/stories/S-2.md");
    assert_eq!(
        s2["changes"],
        json!([{ "line": 7, "field": "depends_on", "from": "S-5", "to": "S-7" }])
    );
    assert_eq!(doc["left_alone"], json!([]));
    assert_eq!(doc["not_rewritten"], json!([]));
}

#[test]
fn next_free_number_sees_the_index_and_every_branch() {
    use cairn::config::Config;
    use cairn::ids::next_free_number;
    let t = Test::new()
        .goal("G-1")
        .file("plan/S-1.md", story("S-1", "One", ""));
    let root = t.root();
    let config = Config::default();
    assert_eq!(
        next_free_number(&root, &config, "S").unwrap(),
        2,
        "no repository yet"
    );
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "base"]);
    // An id only on another branch.
    git(&root, &["checkout", "-q", "-b", "other"]);
    std::fs::write(root.join("plan/S-8.md"), story("S-8", "Eight", "")).unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "S-8"]);
    git(&root, &["checkout", "-q", "main"]);
    assert!(!root.join("plan/S-8.md").exists());
    assert_eq!(next_free_number(&root, &config, "S").unwrap(), 9);
    // An id only on a remote-tracking branch.
    git(&root, &["checkout", "-q", "-b", "far", "main"]);
    std::fs::write(root.join("plan/S-20.md"), story("S-20", "Twenty", "")).unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "S-20"]);
    git(&root, &["update-ref", "refs/remotes/origin/far", "far"]);
    git(&root, &["checkout", "-q", "main"]);
    git(&root, &["branch", "-q", "-D", "far"]);
    assert_eq!(next_free_number(&root, &config, "S").unwrap(), 21);
    // An id only in the index (staged, then deleted from the work tree).
    std::fs::write(root.join("plan/S-30.md"), story("S-30", "Thirty", "")).unwrap();
    git(&root, &["add", "plan/S-30.md"]);
    std::fs::remove_file(root.join("plan/S-30.md")).unwrap();
    assert_eq!(next_free_number(&root, &config, "S").unwrap(), 31);
    assert_eq!(next_free_number(&root, &config, "G").unwrap(), 2);
}

#[test]
fn two_branches_mint_the_same_id_and_renumber_settles_it() {
    let t = Test::new()
        .file(
            "plan/goals/G-1.md",
            "---\nid: G-1\ntitle: Onboarding\nstatus: active\n---\n",
        )
        .file("plan/stories/S-1.md", story("S-1", "One", ""))
        .file("plan/stories/S-2.md", story("S-2", "Two", ""));
    let root = t.root();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "base"]);

    // Alice and Bob each add S-3, on their own branch; Alice's S-2 depends on hers.
    git(&root, &["checkout", "-q", "-b", "alice"]);
    std::fs::write(
        root.join("plan/stories/S-3-export.md"),
        story("S-3", "Export", ""),
    )
    .unwrap();
    std::fs::write(
        root.join("plan/stories/S-2.md"),
        story("S-2", "Two", "depends_on: [S-3]\n"),
    )
    .unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "alice: S-3"]);
    git(&root, &["checkout", "-q", "-b", "bob", "main"]);
    std::fs::write(
        root.join("plan/stories/S-3-import.md"),
        story("S-3", "Import", ""),
    )
    .unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "bob: S-3"]);
    // Carol has S-6 on a branch nobody merged yet.
    git(&root, &["checkout", "-q", "-b", "carol", "main"]);
    std::fs::write(root.join("plan/stories/S-6.md"), story("S-6", "Six", "")).unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "carol: S-6"]);

    git(&root, &["checkout", "-q", "main"]);
    git(&root, &["merge", "-q", "--no-edit", "alice"]);
    git(&root, &["merge", "-q", "--no-edit", "bob"]);

    let out = t.check();
    assert_eq!(out.code, 1);
    assert_eq!(out.rules(), ["duplicate-id"]);

    let out = t.run(&["renumber", "S-3"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("pass `--file PATH`"), "{}", out.stderr);
    assert!(
        out.stderr.contains("plan/stories/S-3-export.md"),
        "{}",
        out.stderr
    );

    // Run from inside the plan folder: --file is relative to where cairn runs.
    let out = t.run_in(
        &root.join("plan/stories"),
        &["renumber", "S-3", "--file", "S-3-import.md"],
    );
    ok(&out);
    assert!(
        out.stdout
            .starts_with("renumbered S-3 → S-7 (plan/stories/S-3-import.md)\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("plan/stories/S-2.md:6: depends_on S-3"),
        "references are listed:\n{}",
        out.stdout
    );
    assert_eq!(
        t.read("plan/stories/S-7-import.md"),
        story("S-7", "Import", "")
    );
    assert_eq!(
        t.read("plan/stories/S-2.md"),
        story("S-2", "Two", "depends_on: [S-3]\n"),
        "ambiguous references are left alone"
    );
    assert_eq!(
        t.read("plan/stories/S-3-export.md"),
        story("S-3", "Export", "")
    );
    assert_eq!(t.check().rules(), Vec::<String>::new());
}
