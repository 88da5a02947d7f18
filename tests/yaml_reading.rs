//! Front matter reads as YAML 1.2 reads it, and text reads as the user wrote it (issue 11, §2).

mod common;
use common::{ok, Test};

fn plan() -> Test {
    Test::new()
        .config(
            "sprints:\n  - { name: 2027.10, start: 2027-01-04, end: 2027-01-15, capacity: 30 }\n\
             fields:\n  code: { type: string }\n  versions: { type: list, values: [1.10, 2.0] }\n  \
             weight: { type: number }\n",
        )
        .item(
            "G-1",
            "title: 2.50\nstatus: active\nowner: 0x1F\nkey_results:\n  - { metric: conversion, target: 0.50, current: 1.0 }\n",
            "",
        )
        .item(
            "S-1",
            "title: 1.0\nstatus: ready\ngoal: G-1\nestimate: 007\nsprint: 2027.10\n\
             tags: [1.10, 2.0, 007, True]\nassignee: 1e3\ncode: 007\nversions: [1.10]\nweight: 0x10\n",
            "As a user, I can x.\n\n## Acceptance criteria\n- [ ] a\n",
        )
}

#[test]
fn text_fields_keep_the_scalar_exactly_as_written() {
    let t = plan();
    let check = t.check();
    ok(&check);
    assert!(check.findings().is_empty(), "{:?}", check.findings());

    let list = t.run(&["list", "--format", "json"]).json();
    let s1 = &list["items"][1];
    assert_eq!(s1["title"], "1.0");
    assert_eq!(
        s1["tags"],
        serde_json::json!(["1.10", "2.0", "007", "True"])
    );
    // The sprint `2027.10` of the config is the sprint `2027.10` of the story, not `2027.1`.
    assert_eq!(s1["sprint"], "2027.10");
    assert_eq!(list["items"][0]["title"], "2.50");

    let show = t.run(&["show", "S-1", "--format", "json"]).json();
    assert_eq!(show["title"], "1.0");
    assert_eq!(show["assignee"], "1e3");
    let goal = t.run(&["show", "G-1", "--format", "json"]).json();
    assert_eq!(goal["owner"], "0x1F");

    let human = t.run(&["show", "S-1"]).stdout;
    assert!(human.contains("S-1  1.0\n"), "{human}");
    assert!(human.contains("1.10, 2.0, 007, True"), "{human}");

    let roadmap = t.run(&["report", "roadmap", "--format", "json"]).stdout;
    assert!(roadmap.contains(r#""target": "0.50""#), "{roadmap}");
    assert!(roadmap.contains(r#""current": "1.0""#), "{roadmap}");
    assert!(roadmap.contains(r#""title": "2.50""#), "{roadmap}");
    let csv = t.run(&["report", "backlog", "--format", "csv"]).stdout;
    assert!(csv.contains(",S-1,1.0,G-1,"), "{csv}");
}

#[test]
fn numbers_are_numbers_only_in_numeric_fields() {
    let t = plan();
    let show = t.run(&["show", "S-1", "--format", "json"]).json();
    assert_eq!(show["estimate"], 7.0);
    // A number where text is expected is text; text where a number is expected is still wrong.
    let t = t.item(
        "S-2",
        "title: x\nstatus: draft\ngoal: G-1\nestimate: '5'\nweight: 1.0.0\n",
        "",
    );
    let rules = t.check().rules();
    assert_eq!(rules, ["invalid-value", "invalid-value"], "{rules:?}");
}

#[test]
fn set_keeps_numbers_written_in_text_fields() {
    let t = plan();
    let out = t.run(&["set", "S-1", "title=2.0", "tags=[1.10, 007]", "code=0010"]);
    ok(&out);
    assert!(out.stdout.contains("title: 1.0 → 2.0"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("tags: [1.10, 2.0, 007, True] → [1.10, 007]"),
        "{}",
        out.stdout
    );
    let show = t.run(&["show", "S-1", "--format", "json"]).json();
    assert_eq!(show["title"], "2.0");
    assert_eq!(show["tags"], serde_json::json!(["1.10", "007"]));
}

#[test]
fn hex_with_a_sign_is_a_title_not_a_number() {
    let t = Test::new().item("G-1", "title: 0x-1\nstatus: active\n", "");
    let list = t.run(&["list", "--format", "json"]).json();
    assert_eq!(list["items"][0]["title"], "0x-1");
}

#[test]
fn tab_after_colon_is_not_a_parse_error() {
    let t = Test::new().goal("G-1").item(
        "S-1",
        "title:\tX\nstatus:\tdraft\ngoal: G-1\nestimate:\t5\n",
        "",
    );
    let check = t.check();
    ok(&check);
    assert!(check.findings().is_empty(), "{:?}", check.findings());
    let show = t.run(&["show", "S-1", "--format", "json"]).json();
    assert_eq!(
        (show["title"].as_str(), show["estimate"].as_f64()),
        (Some("X"), Some(5.0))
    );
}

#[test]
fn dash_at_the_end_of_a_flow_tag_is_part_of_it() {
    let t = Test::new().item("G-1", "title: x\nstatus: active\ntags: [wip -, a]\n", "");
    let list = t.run(&["list", "--format", "json"]).json();
    assert_eq!(list["items"][0]["tags"], serde_json::json!(["wip -", "a"]));
}

#[test]
fn non_printable_character_is_a_parse_error_at_its_position() {
    let t = Test::new()
        .item("G-1", "title: a\u{7}b\nstatus: active\n", "")
        .item("G-2", "title: ok\nstatus: active\nowner: x\u{7f}\n", "")
        .item(
            "G-3",
            "title: \"quoted \u{7f} is fine\"\nstatus: active\n",
            "",
        );
    let check = t.check();
    let mut findings = check.findings();
    findings.retain(|f| f.0 == "parse-error");
    assert_eq!(
        findings,
        [
            ("parse-error".into(), "plan/G-1.md".into(), 3, 9),
            ("parse-error".into(), "plan/G-2.md".into(), 5, 9),
        ]
    );
    let human = t.run(&["check"]).stdout;
    assert!(human.contains("unprintable character U+0007"), "{human}");
    assert!(human.contains("plan/G-1.md:3:9"), "{human}");
    assert!(
        human.contains(
            r#"help: delete it; to keep it, write it as an escape in double quotes: `"\u0007"`"#
        ),
        "{human}"
    );
}

#[test]
fn lone_cr_is_a_line_break() {
    // `Bar` on a line of its own, at indentation 0, cannot continue the title.
    let t = Test::new().file(
        "plan/G-1.md",
        "---\nid: G-1\ntitle: Foo\rBar\nstatus: active\n---\n",
    );
    assert_eq!(t.check().rules(), ["parse-error"]);
    // A CR before CRLF ends the value like any line break.
    let t = Test::new().file(
        "plan/G-1.md",
        "---\r\nid: G-1\r\ntitle: Foo\r\r\nstatus: active\r\n---\r\n",
    );
    let list = t.run(&["list", "--format", "json"]).json();
    assert_eq!(list["items"][0]["title"], "Foo");
}
