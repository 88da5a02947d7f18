//! Small plans and helpers shared by the command-line tests (tests/cli.rs, check_formats.rs,
//! list_show.rs, init.rs).

use super::Test;
use serde_json::Value;

/// The text of an item file.
pub fn item_text(id: &str, front_matter: &str, body: &str) -> String {
    format!("---\nid: {id}\n{front_matter}---\n{body}")
}

/// A clean plan: a goal with one estimated story.
pub fn clean() -> Test {
    Test::new()
        .goal("G-1")
        .item("S-1", "title: A story\nstatus: draft\ngoal: G-1\n", "")
}

/// A plan with one error (S-2's broken goal, 5:7) and one warning (S-3, an orphan story).
pub fn errors_and_warnings() -> Test {
    clean()
        .item("S-2", "title: Broken\nstatus: draft\ngoal: G-404\n", "")
        .item("S-3", "title: Orphan\nstatus: draft\n", "")
}

/// A plan with only a warning: an orphan story.
pub fn warnings_only() -> Test {
    clean().item("S-3", "title: Orphan\nstatus: draft\n", "")
}

pub fn ids(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items array: {v}"))
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

pub fn list_ids(t: &Test, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "--format", "json"];
    all.extend_from_slice(args);
    let out = t.run(&all);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    ids(&out.json())
}
