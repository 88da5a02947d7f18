mod common;
use common::Test;

#[test]
fn example_plan_has_no_findings() {
    let t = Test::empty();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/example");
    let out = t.run(&["-C", example.to_str().unwrap(), "check", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(out.rules(), Vec::<String>::new());
    assert!(out.json()["items"].as_u64().unwrap() >= 30);
}

#[test]
fn broken_reference_is_reported_at_the_value() {
    let t = Test::new()
        .goal("G-1")
        .item("S-1", "title: A story\nstatus: draft\ngoal: G-2\n", "");
    let out = t.check();
    assert_eq!(out.code, 1);
    assert!(
        out.findings()
            .contains(&("broken-reference".into(), "plan/S-1.md".into(), 5, 7)),
        "{:?}",
        out.findings()
    );
}

#[test]
fn a_very_long_dependency_chain_does_not_overflow_the_stack() {
    let mut t = Test::new().goal("G-1");
    for i in 1..=20_000 {
        let dep = if i > 1 {
            format!("depends_on: [S-{}]\n", i - 1)
        } else {
            String::new()
        };
        let fm = format!("title: Step {i}\nstatus: draft\ngoal: G-1\nmoscow: must\n{dep}");
        t = t.item(&format!("S-{i}"), &fm, "");
    }
    let out = t.run(&["rank", "--format", "json", "--top", "3"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let first = &out.json()["items"][0];
    assert_eq!(first["id"], "S-1");
    assert_eq!(t.check().code, 0);
}
