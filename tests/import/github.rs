//! `cairn import github`: `gh issue list --json` output and REST API issue objects.

use crate::common::Test;
use crate::{fixture, import_json, item_text, nothing_avoidable};

#[test]
fn gh_issues_become_stories_under_their_milestones_goals() {
    let t = Test::new();
    let (out, json) = import_json(&t, &["github", &fixture("github/gh-issues.json")]);
    // Element 4 has no usable number: located, skipped, and the exit code says so.
    assert_eq!(out.code, 1, "{}", out.stderr);
    let created: Vec<(&str, &str, &str)> = json["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap(),
                c["external"].as_str().unwrap(),
                c["file"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        created,
        [
            (
                "G-1",
                "github:acme/shop/milestone/1",
                "plan/goals/G-1-v1-0.md"
            ),
            (
                "G-2",
                "github:acme/shop/milestone/2",
                "plan/goals/G-2-v1-1.md"
            ),
            (
                "S-1",
                "github:acme/shop#1",
                "plan/stories/S-1-crash-on-empty-cart.md"
            ),
            (
                "S-2",
                "github:acme/shop#2",
                "plan/stories/S-2-add-apple-pay.md"
            ),
            (
                "S-3",
                "github:acme/shop#3",
                "plan/stories/S-3-support-ie-6.md"
            ),
            ("S-4", "github:acme/shop#5", "plan/stories/S-4-dark-mode.md"),
        ]
    );
    assert_eq!(
        item_text(&t, "S-1"),
        "---\nid: S-1\ntitle: Crash on empty cart\nstatus: draft\ngoal: G-1\nexternal: github:acme/shop#1\nassignee: [ana, ben]\ntags: [bug, ui]\ncreated: 2027-01-04\n---\nSteps:\n\n1. Open the cart\n\n## Acceptance criteria\n- [ ] No crash\n"
    );
    assert_eq!(
        item_text(&t, "G-1"),
        "---\nid: G-1\ntitle: v1.0\nstatus: active\nexternal: github:acme/shop/milestone/1\nhorizon: 2027-03\n---\nThe first release.\n"
    );
    let status = |id: &str| t.run(&["show", id, "--format", "json"]).json()["status"].clone();
    assert_eq!(status("S-2"), "done"); // COMPLETED
    assert_eq!(status("S-3"), "dropped"); // NOT_PLANNED
    assert_eq!(status("S-4"), "draft"); // open again (REOPENED)
    let problem = &json["problems"][0];
    assert_eq!(problem["level"], "error");
    assert_eq!(problem["line"], 79);
    assert_eq!(problem["column"], 3);
    nothing_avoidable(&t);
}

#[test]
fn rest_objects_skip_pull_requests_and_read_the_close_reason() {
    let t = Test::new();
    let (out, json) = import_json(&t, &["github", &fixture("github/rest-issues.json")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json["read"], 3);
    let externals: Vec<&str> = json["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["external"].as_str().unwrap())
        .collect();
    // #8 is a pull request.
    assert_eq!(
        externals,
        [
            "github:acme/api/milestone/3",
            "github:acme/api#7",
            "github:acme/api#9"
        ]
    );
    assert!(item_text(&t, "G-1").contains("status: achieved\n")); // a closed milestone
    let s1 = item_text(&t, "S-1");
    assert!(
        s1.contains("status: done\n")
            && s1.contains(
                "assignee: carl\ntags: [backend, perf]\ncreated: 2027-01-02\nclosed: 2027-02-01\n"
            ),
        "{s1}"
    );
    // The title needs quotes in YAML; the duplicate is dropped.
    assert!(item_text(&t, "S-2").contains("title: \"Duplicate of #7\"\nstatus: dropped\n"));
    nothing_avoidable(&t);
}

#[test]
fn the_repository_comes_from_repo_when_urls_are_missing() {
    let t = Test::new().file(
        "issues.json",
        r#"[{"number": 12, "title": "No URL", "state": "OPEN", "labels": [], "assignees": []}]"#,
    );
    let out = t.run(&["import", "github", "issues.json"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("issue #12 does not say its repository; it is skipped\n  --> issues.json:1:2\n  = help: export the `url` field too, or pass --repo OWNER/REPO"), "{}", out.stderr);
    let (out, json) = import_json(&t, &["github", "issues.json", "--repo", "acme/cli"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json["created"][0]["external"], "github:acme/cli#12");
}

#[test]
fn invalid_json_is_located_and_nothing_is_written() {
    let t = Test::new().file(
        "issues.json",
        "[\n  {\"number\": 1,\n   \"title\": \"x\"\n  \n",
    );
    let out = t.run(&["import", "github", "issues.json"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: invalid JSON: EOF while parsing"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--> issues.json:5:1"), "{}", out.stderr);
    assert!(!t.path().join("cairn.yaml").exists());
    let t = Test::new().file("issues.json", "{\"message\": \"Bad credentials\"}");
    let out = t.run(&["import", "github", "issues.json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
}
