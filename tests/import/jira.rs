//! `cairn import jira`: Jira's "Export Excel CSV (all fields)".

use crate::common::Test;
use crate::{fixture, import_json, item_text, nothing_avoidable};

const CONFIG: &str = "plan_dir: plan  # the plan\n\nsprints:\n  - { name: PAY Sprint 1, start: 2027-03-01, end: 2027-03-12, capacity: 20 }\n\n# rule levels\nrules:\n  not-ready: off\n";

#[test]
fn repeated_columns_quoted_line_breaks_and_the_epic_hierarchy() {
    let t = Test::new().config(CONFIG);
    let (out, json) = import_json(&t, &["jira", &fixture("jira/export.csv")]);
    assert_eq!(out.code, 1, "the malformed row is an error: {}", out.stderr);
    let created: Vec<(&str, &str)> = json["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["external"].as_str().unwrap()))
        .collect();
    assert_eq!(
        created,
        [
            ("G-1", "jira:PAY-1"),
            ("S-1", "jira:PAY-2"),
            ("S-2", "jira:PAY-3"),
            ("S-3", "jira:PAY-4"),
            ("S-4", "jira:PAY-5"),
            ("S-5", "jira:PAY-6"),
        ]
    );
    // The epic: a goal, its description's quoted line breaks kept, its due date as horizon.
    assert_eq!(
        item_text(&t, "G-1"),
        "---\nid: G-1\ntitle: Checkout revamp\nstatus: active\nexternal: jira:PAY-1\nmoscow: must\nowner: Dana Ortiz\ntags: [frontend]\nhorizon: 2027-06\ncreated: 2027-03-12\n---\nRework the checkout flow.\n\nSee the design, then \"ship\" it.\n"
    );
    // `Parent` holds the epic's issue id; two `Labels` and two `Sprint` columns; `h2.` as Markdown;
    // PAY-3 blocks it and its sub-task PAY-4 is part of it.
    assert_eq!(
        item_text(&t, "S-1"),
        "---\nid: S-1\ntitle: Add Apple Pay\nstatus: draft\ngoal: G-1\nexternal: jira:PAY-2\nmoscow: must\nestimate: 5\nsprint: PAY Sprint 2\ndepends_on: [S-2, S-3]\nassignee: Pat Nobody\ntags: [backend, payments]\ntype: Story\ncreated: 2027-03-13\n---\nWallet support.\n\n## Notes\nUse the SDK.\n"
    );
    // `Custom field (Epic Link)` names the epic by key; `Resolved` is the close date.
    let s2 = item_text(&t, "S-2");
    assert!(
        s2.contains("status: done\ngoal: G-1\n") && s2.contains("closed: 2027-03-11\n"),
        "{s2}"
    );
    // The sub-task is under the epic of its parent story.
    assert!(item_text(&t, "S-3").contains("status: in-progress\ngoal: G-1\n"));
    // Closed with the resolution Won't Do: dropped, not done.
    assert!(item_text(&t, "S-4").contains("status: dropped\n"));
    // `Blocked` is in no table, but its Status Category says In Progress; the inward link
    // (blocked by PAY-2) is a dependency.
    let s5 = item_text(&t, "S-5");
    assert!(
        s5.contains("status: in-progress\n") && s5.contains("depends_on: [S-1]\n"),
        "{s5}"
    );
    nothing_avoidable(&t);
}

#[test]
fn sprints_and_fields_are_added_to_cairn_yaml_in_place() {
    let t = Test::new().config(CONFIG);
    let (_, json) = import_json(&t, &["jira", &fixture("jira/export.csv")]);
    assert_eq!(
        json["config"],
        serde_json::json!([
            "fields.type",
            "fields.created",
            "fields.closed",
            "sprint PAY Sprint 2",
            "sprint PAY Sprint 10"
        ])
    );
    // Only lines added: the comments, the existing sprint and the order of everything else stay.
    assert_eq!(
        t.read("cairn.yaml"),
        "plan_dir: plan  # the plan\n\nsprints:\n  - { name: PAY Sprint 1, start: 2027-03-01, end: 2027-03-12, capacity: 20 }\n  - { name: PAY Sprint 2 }\n  - { name: PAY Sprint 10 }\n\n# rule levels\nrules:\n  not-ready: off\nfields:\n  type: { type: string }\n  created: { type: date }\n  closed: { type: date }\n"
    );
    let check = t.check();
    assert!(
        !check.rules().iter().any(|r| r == "unknown-sprint"),
        "{}",
        check.stdout
    );
}

#[test]
fn a_malformed_row_is_reported_with_its_line_and_the_rest_is_imported() {
    let t = Test::new();
    let out = t.run(&["import", "jira", &fixture("jira/export.csv")]);
    assert_eq!(out.code, 1);
    let expected = format!(
        "error: this row has 5 cells where the header has 28; the row is skipped\n  --> {}:10:1\n",
        fixture("jira/export.csv")
    );
    assert!(out.stderr.contains(&expected), "{}", out.stderr);
    assert!(
        out.stdout
            .contains("jira: read 7 rows; created 6 items (1 goal, 5 stories)"),
        "{}",
        out.stdout
    );
}

#[test]
fn status_and_priority_maps_override_the_defaults() {
    let t = Test::new().file(
        "map.yaml",
        "# how our Jira maps\nstatus:\n  To Do: ready\npriority:\n  Highest: should\n",
    );
    let (out, _) = import_json(
        &t,
        &[
            "jira",
            &fixture("jira/export.csv"),
            "--mapping",
            "map.yaml",
            "--status-map",
            "Blocked=review",
            "--priority-map",
            "low=wont",
        ],
    );
    assert_eq!(out.code, 1);
    let s1 = item_text(&t, "S-1");
    assert!(
        s1.contains("status: ready\n") && s1.contains("moscow: should\n"),
        "{s1}"
    );
    assert!(item_text(&t, "S-5").contains("status: review\n"));
    assert!(item_text(&t, "S-3").contains("moscow: wont\n"));
    // Goals take the goal status of the mapped category: ready is todo, so proposed.
    let t = Test::new();
    let (_, _) = import_json(
        &t,
        &[
            "jira",
            &fixture("jira/export.csv"),
            "--status-map",
            "In Progress=todo",
        ],
    );
    assert!(item_text(&t, "G-1").contains("status: proposed\n"));
}

#[test]
fn a_bad_map_is_refused_before_anything_is_read() {
    let t = Test::new();
    let out = t.run(&[
        "import",
        "jira",
        &fixture("jira/export.csv"),
        "--status-map",
        "Done=finished",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "--status-map `Done=finished`: `finished` is neither a status nor a category"
        ),
        "{}",
        out.stderr
    );
    let t = Test::new().file("map.yaml", "status:\n  Done: finishd\n");
    let out = t.run(&[
        "import",
        "jira",
        &fixture("jira/export.csv"),
        "--mapping",
        "map.yaml",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "map.yaml:2:9: `Done: finishd`: `finishd` is neither a status nor a category"
        ),
        "{}",
        out.stderr
    );
    assert!(!t.path().join("cairn.yaml").exists());
}

#[test]
fn a_csv_that_is_not_a_jira_export_is_a_clear_error() {
    let t = Test::new().file("other.csv", "name,age\nana,3\n");
    let out = t.run(&["import", "jira", "other.csv"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no `Issue key` column"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--> other.csv:1:1"), "{}", out.stderr);
}

#[test]
fn new_ids_are_above_every_id_on_every_branch() {
    // S-7 in the work tree, S-12 only on another branch: the import starts at S-13, as `cairn new`.
    let t = Test::new()
        .goal("G-1")
        .item("S-7", "title: Ours\nstatus: draft\ngoal: G-1\n", "");
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    t.git(&["commit", "-q", "-m", "plan"]);
    t.git(&["checkout", "-q", "-b", "other"]);
    std::fs::write(
        t.path().join("plan/S-12.md"),
        "---\nid: S-12\ntitle: Theirs\nstatus: draft\ngoal: G-1\n---\n",
    )
    .unwrap();
    t.git(&["add", "-A"]);
    t.git(&["commit", "-q", "-m", "other"]);
    t.git(&["checkout", "-q", "main"]);
    let (_, json) = import_json(&t, &["jira", &fixture("jira/export.csv")]);
    let ids: Vec<&str> = json["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["G-2", "S-13", "S-14", "S-15", "S-16", "S-17"]);
    // New items go where the plan keeps items of their kind.
    assert_eq!(json["created"][1]["file"], "plan/S-13-add-apple-pay.md");
}

#[test]
fn a_type_outside_the_teams_values_is_left_out_with_a_warning() {
    let t = Test::new().config("fields:\n  type: { type: string, values: [Story, Bug] }\n");
    let (out, json) = import_json(&t, &["jira", &fixture("jira/export.csv")]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    // The sub-task is imported all the same, without a `type`.
    assert_eq!(json["summary"]["created"], 6);
    assert!(!item_text(&t, "S-3").contains("type:"));
    assert!(item_text(&t, "S-2").contains("type: Bug\n"));
    let warning = json["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["message"].as_str().unwrap().contains("type `Sub-task`"))
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(warning["level"], "warning");
    nothing_avoidable(&t);
}
