//! The fields an import writes that hand-written plans use too: `owner` and `assignee` as a list
//! of names (trackers allow several), and `external`.

use crate::common::Test;

fn story(fm: &str) -> Test {
    Test::new().goal("G-1").item(
        "S-1",
        &format!("title: A story\nstatus: draft\ngoal: G-1\n{fm}"),
        "",
    )
}

#[test]
fn owner_and_assignee_take_a_list_of_names() {
    let t = story("owner: [priya, ana]\nassignee:\n  - ben\n  - '@codex'\nexternal: [jira:PROJ-1, github:o/r#2]\n");
    let out = t.check();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.rules().is_empty(), "{:?}", out.rules());
    let show = t.run(&["show", "S-1", "--format", "json"]).json();
    assert_eq!(show["owner"], "priya, ana");
    assert_eq!(show["owners"], serde_json::json!(["priya", "ana"]));
    assert_eq!(show["assignees"], serde_json::json!(["ben", "@codex"]));
    assert_eq!(
        show["external"],
        serde_json::json!(["jira:PROJ-1", "github:o/r#2"])
    );
    // `--owner` matches any one of them, owners and assignees alike.
    for who in ["ana", "@codex"] {
        let list = t.run(&["list", "--owner", who, "--format", "json"]).json();
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "{who}");
    }
    let none = t
        .run(&["list", "--owner", "pri", "--format", "json"])
        .json();
    assert!(none["items"].as_array().unwrap().is_empty());
}

#[test]
fn a_single_name_is_still_text() {
    let t = story("owner: priya\nassignee: ben\nexternal: backlog-md:BACK-3\n");
    assert!(t.check().rules().is_empty());
    let show = t.run(&["show", "S-1", "--format", "json"]).json();
    assert_eq!(show["owner"], "priya");
    assert_eq!(show["assignees"], serde_json::json!(["ben"]));
    assert_eq!(show["external"], serde_json::json!(["backlog-md:BACK-3"]));
}

#[test]
fn a_map_or_a_nested_list_is_an_invalid_value_where_it_is_written() {
    let t = story("owner: { name: priya }\nassignee: [[ben]]\nexternal: true\n");
    let findings = t.check().findings();
    let at: Vec<(&str, u64)> = findings.iter().map(|f| (f.0.as_str(), f.2)).collect();
    assert_eq!(
        at,
        [
            ("invalid-value", 6),
            ("invalid-value", 7),
            ("invalid-value", 8)
        ],
        "{findings:?}"
    );
}
