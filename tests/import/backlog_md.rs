//! `cairn import backlog-md`: a Backlog.md folder as goals and stories.

use crate::common::Test;
use crate::{copy_fixture, import_json, item_text, nothing_avoidable};

/// The fixture folder at `backlog/`, imported into an empty plan.
fn imported() -> (Test, serde_json::Value) {
    let t = Test::empty();
    copy_fixture(&t, "backlog-md/backlog", "backlog");
    let (out, json) = import_json(&t, &["backlog-md"]);
    // One file of the fixture is broken on purpose: the run says so with exit code 1.
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    (t, json)
}

fn id_of(json: &serde_json::Value, external: &str) -> String {
    json["created"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["external"] == external)
        .unwrap_or_else(|| panic!("{external} not created: {json:#}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn tasks_drafts_completed_and_archived_tasks_become_stories_milestones_goals() {
    let (t, json) = imported();
    assert_eq!(json["source"], "backlog-md");
    assert_eq!(json["summary"]["created"], 10, "{json:#}");
    let kinds: Vec<(&str, &str)> = json["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["external"].as_str().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("backlog-md:m-1", "goal"),
            ("backlog-md:m-0", "goal"),
            ("backlog-md:BACK-1", "story"),
            ("backlog-md:BACK-2", "story"),
            ("backlog-md:BACK-2.1", "story"),
            ("backlog-md:BACK-2.2", "story"),
            ("backlog-md:BACK-4", "story"),
            ("backlog-md:BACK-5", "story"),
            ("backlog-md:BACK-6", "story"),
            ("backlog-md:DRAFT-1", "story"),
        ]
    );
    let status = |ext: &str| {
        let id = id_of(&json, ext);
        t.run(&["show", &id, "--format", "json"]).json()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("backlog-md:BACK-1"), "in-progress");
    assert_eq!(status("backlog-md:BACK-2"), "draft"); // To Do
    assert_eq!(status("backlog-md:BACK-2.2"), "review");
    assert_eq!(status("backlog-md:BACK-5"), "done"); // completed/
    assert_eq!(status("backlog-md:BACK-6"), "dropped"); // archive/, never done
    assert_eq!(status("backlog-md:DRAFT-1"), "draft");
    assert_eq!(status("backlog-md:m-1"), "active");
    assert_eq!(status("backlog-md:m-0"), "achieved"); // archive/milestones
}

#[test]
fn fields_keep_what_backlog_md_says() {
    let (t, json) = imported();
    let s1 = id_of(&json, "backlog-md:BACK-1");
    let text = item_text(&t, &s1);
    let fm = text.split("---\n").nth(1).unwrap();
    assert_eq!(
        fm,
        format!(
            "id: {s1}\ntitle: Set up the project\nstatus: in-progress\ngoal: {}\nexternal: backlog-md:BACK-1\nmoscow: must\nassignee: ana\ntags: [setup, infra]\nordinal: 1000\ncreated: 2025-06-03\n",
            id_of(&json, "backlog-md:m-1")
        )
    );
    // The body: no section markers; the criteria a plain, unnumbered task list cairn counts.
    assert!(text.ends_with(
        "---\nAs a contributor, I can build the project with one command, so that I start in minutes.\n\n## Acceptance criteria\n- [x] `make` builds everything\n- [ ] CI runs the same command\n\n## Implementation Notes\n\nUse the same script locally and in CI.\n"
    ), "{text}");
    let show = t.run(&["show", &s1, "--format", "json"]).json();
    assert_eq!(show["criteria"], serde_json::json!({"done": 1, "total": 2}));
    assert_eq!(
        show["statement"],
        "As a contributor, I can build the project with one command, so that I start in minutes."
    );
}

#[test]
fn subtasks_share_their_parents_goal_and_the_parent_depends_on_them() {
    let (t, json) = imported();
    let parent = id_of(&json, "backlog-md:BACK-2");
    let show = t.run(&["show", &parent, "--format", "json"]).json();
    // Its own dependency (BACK-1), then its sub-tasks BACK-2.1 and back-2.02 (same id as 2.2).
    assert_eq!(
        show["depends_on"],
        serde_json::json!([
            id_of(&json, "backlog-md:BACK-1"),
            id_of(&json, "backlog-md:BACK-2.1"),
            id_of(&json, "backlog-md:BACK-2.2")
        ])
    );
    // `milestone: Parser` names the archived milestone by its title.
    let goal = id_of(&json, "backlog-md:m-0");
    for sub in ["backlog-md:BACK-2.1", "backlog-md:BACK-2.2"] {
        let s = t
            .run(&["show", &id_of(&json, sub), "--format", "json"])
            .json();
        assert_eq!(s["parent"], goal.as_str(), "{sub}");
    }
    // `dependencies: [task-1]` uses the project's former prefix: read by its number, with a note.
    let bodies = t
        .run(&[
            "show",
            &id_of(&json, "backlog-md:BACK-2.2"),
            "--format",
            "json",
        ])
        .json();
    assert_eq!(
        bodies["depends_on"],
        serde_json::json!([id_of(&json, "backlog-md:BACK-1")])
    );
    assert_eq!(bodies["assignees"], serde_json::json!(["ana", "ben"]));
    let notes: Vec<&str> = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|m| m.contains("`task-1` as BACK-1")),
        "{notes:?}"
    );
}

#[test]
fn a_broken_file_is_reported_at_its_line_and_the_rest_is_imported() {
    let t = Test::empty();
    copy_fixture(&t, "backlog-md/backlog", "backlog");
    let out = t.run(&["import", "backlog-md", "backlog"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "error: invalid YAML in front matter: illegal placement of ':' indicator; the file is skipped\n  --> backlog/tasks/back-3 - Broken-front-matter.md:4:7\n"
        ),
        "{}",
        out.stderr
    );
    // The unquoted `@ben` Backlog.md itself accepts: read as the name, with a located warning.
    assert!(
        out.stderr.contains(
            "warning: `@ben` is not valid YAML unquoted; read as the name `ben`, as Backlog.md does\n  --> backlog/tasks/back-2 - Write-the-parser.md:5:11\n"
        ),
        "{}",
        out.stderr
    );
    // A duplicate key, a dependency on a task that does not exist, an unknown priority.
    for needle in [
        "duplicate field `labels` (first on line 5); the first is used\n  --> backlog/tasks/back-4 - Export-to-CSV.md:6:1",
        "BACK-4: dependency `BACK-99` is no task of this folder; left out\n  --> backlog/tasks/back-4 - Export-to-CSV.md:7:1",
        "priority `urgent-ish` (1 item) is in no priority map; imported without a MoSCoW class\n  --> backlog/tasks/back-4 - Export-to-CSV.md:8:1",
    ] {
        assert!(out.stderr.contains(needle), "{needle}\n{}", out.stderr);
    }
    assert!(
        out.stdout.contains("created 10 items (2 goals, 8 stories)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("1 error, 5 warnings"), "{}", out.stdout);
    let list = t.run(&["list", "--format", "json"]).json();
    assert_eq!(list["items"].as_array().unwrap().len(), 10);
}

#[test]
fn check_finds_nothing_the_importer_could_have_avoided() {
    let (t, _) = imported();
    nothing_avoidable(&t);
    // What is left describes the source: an archived milestone with open tasks, orphans.
    let rules = t.check().rules();
    assert!(
        rules
            .iter()
            .all(|r| matches!(r.as_str(), "status-conflict" | "orphan-story" | "not-ready")),
        "{rules:?}"
    );
}

#[test]
fn docs_and_decisions_are_copied_as_documents() {
    let (t, json) = imported();
    let docs: Vec<(&str, &str)> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["action"].as_str().unwrap()))
        .collect();
    assert_eq!(
        docs,
        [
            ("plan/docs/doc-1 - Contributor-guide.md", "created"),
            ("plan/decisions/decision-1 - Use-YAML.md", "created")
        ]
    );
    assert_eq!(
        t.read("plan/docs/doc-1 - Contributor-guide.md"),
        "# Contributor guide\n\nRead [the decision](../decisions/decision-1%20-%20Use-YAML.md) first.\n"
    );
    assert!(t
        .read("plan/decisions/decision-1 - Use-YAML.md")
        .starts_with("# Use YAML front matter\n\n_Decision decision-1 · status: accepted · date: 2025-06-01_\n\n## Context\n"));
    // They are documents, not items, and their links are checked like any other.
    assert!(!t.check().rules().iter().any(|r| r == "broken-link"));
}

#[test]
fn the_documented_formula_ranks_by_backlog_md_order() {
    let t = Test::empty();
    copy_fixture(&t, "backlog-md/backlog", "backlog");
    // docs/import.md: `-ordinal` ranks the lowest ordinal first; with the priorities mapped to no
    // MoSCoW class, only the manual order counts.
    let (_, json) = import_json(
        &t,
        &[
            "backlog-md",
            "--priority-map",
            "high=none,medium=none,low=none",
        ],
    );
    let config = t.read("cairn.yaml") + "scoring:\n  method: formula\n  formula: \"-ordinal\"\n";
    std::fs::write(t.path().join("cairn.yaml"), config).unwrap();
    let rank = t.run(&["rank", "--format", "json"]).json();
    let order: Vec<&str> = rank["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["score"].is_null())
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    // Open stories by ordinal: 1000, 1500 (a draft), 3000; BACK-2.1 (2000) is done.
    assert_eq!(
        order,
        [
            id_of(&json, "backlog-md:BACK-1"),
            id_of(&json, "backlog-md:DRAFT-1"),
            id_of(&json, "backlog-md:BACK-2")
        ]
    );
    assert!(rank["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["moscow"].is_null()));
}

#[test]
fn not_a_backlog_md_folder_is_a_clear_error() {
    let t = Test::empty().file("notes/a.md", "# A\n");
    let out = t.run(&["import", "backlog-md", "notes"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("notes is not a Backlog.md folder"),
        "{}",
        out.stderr
    );
    assert!(!t.path().join("plan").exists() && !t.path().join("cairn.yaml").exists());
}
