//! `cairn graph`: the goal → story tree and dependency edges as Mermaid, dot and JSON.

mod common;
use common::Test;

fn plan() -> Test {
    Test::new()
        .item("G-1", "title: Launch \"v2\"\nstatus: active\n", "")
        .item("G-2", "title: Other\nstatus: proposed\n", "")
        .item("S-1", "title: Build it\nstatus: done\ngoal: G-1\n", "")
        .item(
            "S-2",
            "title: Ship it\nstatus: draft\ngoal: G-1\ndepends_on: [S-1, S-3]\n",
            "",
        )
        .item(
            "S-3",
            "title: Elsewhere\nstatus: in-progress\ngoal: G-2\n",
            "",
        )
}

#[test]
fn mermaid_has_tree_and_dependency_edges() {
    let out = plan().run(&["graph"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let expected = "flowchart LR
  G_1([\"G-1 Launch #quot;v2#quot;\"])
  G_2([\"G-2 Other\"])
  S_1[\"S-1 Build it\"]
  S_2[\"S-2 Ship it\"]
  S_3[\"S-3 Elsewhere\"]
  G_1 --> S_1
  G_1 --> S_2
  G_2 --> S_3
  S_1 -.-> S_2
  S_3 -.-> S_2
";
    assert!(out.stdout.starts_with(expected), "{}", out.stdout);
    assert!(out.stdout.contains("  class S_1 done\n"), "{}", out.stdout);
    assert!(
        out.stdout.contains("  class G_1,S_3 doing\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn goal_filter_keeps_the_subtree_and_what_it_depends_on() {
    let out = plan().run(&["graph", "--goal", "G-1", "--format", "json"]);
    let doc = out.json();
    let ids: Vec<&str> = doc["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["G-1", "S-1", "S-2", "S-3"]);
    assert_eq!(doc["version"], 1);
    assert_eq!(
        doc["edges"][0],
        serde_json::json!({"from": "G-1", "to": "S-1", "kind": "parent"})
    );
    assert!(doc["edges"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!({"from": "S-3", "to": "S-2", "kind": "depends_on"})));
}

#[test]
fn dot_escapes_quotes_and_marks_dependencies() {
    let out = plan().run(&["graph", "--format", "dot"]);
    assert!(out.stdout.starts_with("digraph plan {\n"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("\"G-1\" [label=\"G-1\\nLaunch \\\"v2\\\"\""),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\"S-1\" -> \"S-2\" [style=dashed"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.trim_end().ends_with('}'));
}

#[test]
fn unknown_goal_is_an_error_with_a_suggestion() {
    let out = plan().run(&["graph", "--goal", "G-3"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
}
