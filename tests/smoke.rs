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
