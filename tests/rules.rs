//! One positive and one near-miss negative test for every rule of `cairn check` (SPEC §4), plus
//! did-you-mean help texts, nested YAML positions, rule levels, custom kinds, statuses and fields,
//! GitHub anchors and links that leave the plan directory.
//!
//! Positions are 1-based `line:column` as `check --format json` reports them. In an item written
//! by `Test::item(id, fm, body)`, line 1 is `---`, line 2 is `id: …`, the front-matter lines follow
//! from line 3, then the closing `---`, then the body.

mod common;
use common::{Output, Test};
use serde_json::Value;

type Finding = (String, String, u64, u64);

fn at(rule: &str, file: &str, line: u64, column: u64) -> Finding {
    (rule.to_string(), file.to_string(), line, column)
}

/// A plan with one goal, `G-1`, that is `proposed` (so it is never an `empty-goal`).
fn plan() -> Test {
    Test::new().item("G-1", "title: A goal\nstatus: proposed\n", "## Why now\n")
}

/// A clean story of `G-1` with extra front-matter lines (from line 6) and a body.
fn story(t: Test, id: &str, extra: &str, body: &str) -> Test {
    t.item(
        id,
        &format!("title: A story\nstatus: draft\ngoal: G-1\n{extra}"),
        body,
    )
}

fn dump(out: &Output) -> String {
    format!(
        "exit code {}\nstdout:\n{}\nstderr:\n{}",
        out.code, out.stdout, out.stderr
    )
}

/// The finding is reported, at exactly this place.
#[track_caller]
fn assert_finding(out: &Output, rule: &str, file: &str, line: u64, column: u64) {
    let all = out.findings();
    assert!(
        all.contains(&at(rule, file, line, column)),
        "expected `{rule}` at {file}:{line}:{column}, got {all:#?}\n{}",
        dump(out)
    );
}

/// Exactly these findings, in this order (cairn sorts by file, line, column, rule).
#[track_caller]
fn assert_findings(out: &Output, expected: &[Finding]) {
    assert_eq!(out.findings(), expected, "\n{}", dump(out));
}

/// No finding of `rule`.
#[track_caller]
fn assert_no_rule(out: &Output, rule: &str) {
    let hits: Vec<Finding> = out.findings().into_iter().filter(|f| f.0 == rule).collect();
    assert!(
        hits.is_empty(),
        "expected no `{rule}`, got {hits:#?}\n{}",
        dump(out)
    );
}

/// No finding at all, exit code 0.
#[track_caller]
fn assert_clean(out: &Output) {
    assert_findings(out, &[]);
    assert_eq!(out.code, 0, "{}", dump(out));
}

/// Every diagnostic of `rule`, as JSON objects.
fn diags(out: &Output, rule: &str) -> Vec<Value> {
    out.json()["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .filter(|d| d["rule"] == rule)
        .cloned()
        .collect()
}

/// The one diagnostic of `rule`.
#[track_caller]
fn diag(out: &Output, rule: &str) -> Value {
    let mut found = diags(out, rule);
    assert_eq!(found.len(), 1, "expected one `{rule}`\n{}", dump(out));
    found.remove(0)
}

fn help(d: &Value) -> &str {
    d["help"]
        .as_str()
        .unwrap_or_else(|| panic!("no help in {d:#}"))
}

fn message(d: &Value) -> &str {
    d["message"].as_str().expect("message")
}

// ---------------------------------------------------------------------------------------------
// merge-conflict

#[test]
fn merge_conflict_points_at_the_marker_in_the_body() {
    let t = story(
        plan(),
        "S-1",
        "",
        "Intro.\n\n<<<<<<< HEAD\nOne way.\n=======\nAnother way.\n>>>>>>> feature\n",
    );
    let out = t.check();
    // Lines: 1 ---, 2 id, 3 title, 4 status, 5 goal, 6 ---, 7 Intro., 8 blank, 9 marker.
    assert_findings(&out, &[at("merge-conflict", "plan/S-1.md", 9, 1)]);
    assert_eq!(out.code, 1);
    assert_eq!(diag(&out, "merge-conflict")["severity"], "error");
}

#[test]
fn merge_conflict_in_front_matter_is_not_a_yaml_error() {
    let t = plan().file(
        "plan/S-1.md",
        "---\nid: S-1\n<<<<<<< HEAD\ntitle: Ours\n=======\ntitle: Theirs\n>>>>>>> other\nstatus: draft\ngoal: G-1\n---\n",
    );
    let out = t.check();
    assert_findings(&out, &[at("merge-conflict", "plan/S-1.md", 3, 1)]);
    assert_no_rule(&out, "parse-error");
}

#[test]
fn merge_conflict_near_misses_are_not_conflicts() {
    // A setext heading underlined with `=======`, a longer run of `<`, and a marker mid-line.
    let t = story(
        plan(),
        "S-1",
        "",
        "Overview\n=======\n\n<<<<<<<<<< not a marker\n\nWrite `<<<<<<< HEAD` to see one.\n",
    );
    let out = t.check();
    assert_clean(&out);
}

#[test]
fn conflict_quoted_in_a_fenced_code_block_is_not_a_conflict() {
    let t = story(
        plan(),
        "S-1",
        "",
        "What a conflict looks like:\n\n```text\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> branch\n```\n",
    );
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// parse-error

#[test]
fn parse_error_unterminated_front_matter_points_at_the_opening_fence() {
    let t = plan().file(
        "plan/S-1.md",
        "---\nid: S-1\ntitle: A story\nstatus: draft\n",
    );
    let out = t.check();
    assert_findings(&out, &[at("parse-error", "plan/S-1.md", 1, 1)]);
    assert_eq!(out.code, 1);
}

#[test]
fn parse_error_yaml_syntax_points_into_the_line() {
    let t = plan().file(
        "plan/S-1.md",
        "---\nid: S-1\ntitle: a: b\nstatus: draft\ngoal: G-1\n---\n",
    );
    let out = t.check();
    // `title: a: b` — the second `:` (column 9) is where YAML gives up.
    assert_findings(&out, &[at("parse-error", "plan/S-1.md", 3, 9)]);
}

#[test]
fn parse_error_front_matter_not_a_mapping() {
    let t = plan().file("plan/S-1.md", "---\n- id: S-1\n- title: x\n---\nbody\n");
    let out = t.check();
    assert_findings(&out, &[at("parse-error", "plan/S-1.md", 2, 1)]);
}

#[test]
fn parse_error_invalid_utf8_is_located() {
    let t = plan().file(
        "plan/S-1.md",
        b"---\nid: S-1\ntitle: caf\xff\nstatus: draft\ngoal: G-1\n---\n".as_slice(),
    );
    let out = t.check();
    // `title: caf` is 10 characters; the bad byte is the 11th.
    assert_findings(&out, &[at("parse-error", "plan/S-1.md", 3, 11)]);
}

#[test]
fn parse_error_near_misses_crlf_bom_and_thematic_breaks() {
    let t = plan()
        .file(
            "plan/S-1.md",
            "---\r\nid: S-1\r\ntitle: CRLF story\r\nstatus: draft\r\ngoal: G-1\r\n---\r\nBody.\r\n",
        )
        .file(
            "plan/S-2.md",
            "\u{feff}---\nid: S-2\ntitle: BOM story\nstatus: draft\ngoal: G-1\n---\nBody.\n\n---\n\nAfter a break.\n",
        )
        // A document: no front matter, a thematic break further down.
        .file("plan/notes.md", "# Notes\n\nSome text.\n\n---\n\nMore.\n");
    let out = t.check();
    assert_clean(&out);
    assert_eq!(out.json()["items"], 3);
}

// ---------------------------------------------------------------------------------------------
// missing-field

#[test]
fn missing_field_points_at_the_closing_fence() {
    let t = plan().item("S-1", "title: A story\ngoal: G-1\n", "Body.\n");
    let out = t.check();
    // 1 ---, 2 id, 3 title, 4 goal, 5 --- (closing).
    assert_findings(&out, &[at("missing-field", "plan/S-1.md", 5, 1)]);
    let d = diag(&out, "missing-field");
    assert!(message(&d).contains("`status`"), "{d:#}");
    assert_eq!(help(&d), "add `status: draft` to the front matter");
    assert_eq!(out.code, 1);
}

#[test]
fn missing_id_and_title_each_reported() {
    let t = plan().file("plan/S-1.md", "---\ntitle: A story\nstatus: draft\n---\n");
    let out = t.check();
    assert_findings(&out, &[at("missing-field", "plan/S-1.md", 4, 1)]);
    assert!(message(&diag(&out, "missing-field")).contains("`id`"));

    let t = plan().item("S-1", "status: draft\ngoal: G-1\n", "");
    let out = t.check();
    assert_findings(&out, &[at("missing-field", "plan/S-1.md", 5, 1)]);
    assert!(message(&diag(&out, "missing-field")).contains("`title`"));
}

#[test]
fn missing_field_near_misses() {
    // All three present; a document without front matter needs none of them.
    let t = story(plan(), "S-1", "", "Body.\n").file("plan/README.md", "# About this plan\n");
    assert_clean(&t.check());

    // An empty title is present but invalid: `invalid-value`, not `missing-field`.
    let t = plan().item("S-1", "title: \"\"\nstatus: draft\ngoal: G-1\n", "");
    let out = t.check();
    assert_findings(&out, &[at("invalid-value", "plan/S-1.md", 3, 8)]);
}

// ---------------------------------------------------------------------------------------------
// invalid-id

#[test]
fn invalid_id_points_at_the_value() {
    for (id, help_text) in [
        ("s-1", Some("did you mean `S-1`?")),
        ("S-0", None),
        ("S-01", None),
        ("X-1", None),
        ("S1", None),
    ] {
        let t = plan().file(
            "plan/S-1.md",
            format!("---\nid: {id}\ntitle: A story\nstatus: draft\ngoal: G-1\n---\n"),
        );
        let out = t.check();
        assert_findings(&out, &[at("invalid-id", "plan/S-1.md", 2, 5)]);
        assert_eq!(out.code, 1, "{id}");
        if let Some(h) = help_text {
            assert_eq!(help(&diag(&out, "invalid-id")), h, "{id}");
        }
    }
}

#[test]
fn invalid_id_near_misses() {
    let t =
        story(plan(), "S-12", "", "").item("G-30", "title: Another goal\nstatus: proposed\n", "");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// invalid-value

#[test]
fn invalid_value_points_at_each_bad_value() {
    let t = story(
        plan(),
        "S-1",
        "estimate: -1\nmoscow: maybe\ntags: urgent\nrice: { reach: 1, impact: 4, confidence: 150%, effort: 1 }\nwsjf: { business_value: 4, time_criticality: 1, risk_reduction: 1, job_size: 1 }\nice: { impact: 11, confidence: 5, ease: 5 }\n",
        "",
    )
    .item(
        "G-2",
        "title: Later goal\nstatus: proposed\nhorizon: 2027-Q5\n",
        "",
    );
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("invalid-value", "plan/G-2.md", 5, 10),
            at("invalid-value", "plan/S-1.md", 6, 11),
            at("invalid-value", "plan/S-1.md", 7, 9),
            at("invalid-value", "plan/S-1.md", 8, 7),
            // rice: { reach: 1, impact: 4, confidence: 150%, effort: 1 }
            at("invalid-value", "plan/S-1.md", 9, 27),
            at("invalid-value", "plan/S-1.md", 9, 42),
            // wsjf: { business_value: 4, …
            at("invalid-value", "plan/S-1.md", 10, 25),
            // ice: { impact: 11, …
            at("invalid-value", "plan/S-1.md", 11, 16),
        ],
    );
    assert_eq!(out.code, 1);
}

#[test]
fn invalid_value_near_misses_are_accepted() {
    let t = story(
        plan(),
        "S-1",
        "estimate: 0\nmoscow: Won't\nrice: { reach: 0, impact: 0.25, confidence: 80%, effort: 0.5 }\nwsjf: { business_value: 20, time_criticality: 13, risk_reduction: 1, job_size: 8 }\nice: { impact: 10, confidence: 1, ease: 7 }\ntags: [a, b]\n",
        "",
    )
    .item("S-2", "title: B\nstatus: draft\ngoal: G-1\nmoscow: won’t\nrice: { confidence: 0.8 }\n", "")
    .item("S-3", "title: C\nstatus: draft\ngoal: G-1\nmoscow: MUST\n", "")
    .item("G-2", "title: Q\nstatus: proposed\nhorizon: 2027-Q2\n", "")
    .item("G-3", "title: M\nstatus: proposed\nhorizon: 2027-05\n", "")
    .item("G-4", "title: L\nstatus: proposed\nhorizon: later\n", "");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// duplicate-id

#[test]
fn duplicate_id_is_reported_at_the_second_file_and_shows_both() {
    let t = plan()
        .file(
            "plan/a/S-1.md",
            "---\nid: S-1\ntitle: Mine\nstatus: draft\ngoal: G-1\n---\n",
        )
        .file(
            "plan/b/S-1.md",
            "---\nid: S-1\ntitle: Theirs\nstatus: draft\ngoal: G-1\n---\n",
        );
    let out = t.check();
    assert_findings(&out, &[at("duplicate-id", "plan/b/S-1.md", 2, 5)]);
    assert_eq!(out.code, 1);
    let d = diag(&out, "duplicate-id");
    assert!(message(&d).contains("plan/a/S-1.md"), "{d:#}");

    // The human output shows both locations.
    let human = t.run(&["check"]);
    assert!(
        human.stdout.contains("--> plan/b/S-1.md:2:5"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("plan/a/S-1.md:2:5"),
        "{}",
        human.stdout
    );
}

#[test]
fn duplicate_id_near_misses() {
    // Same number in another kind, and ids that share a prefix of digits.
    let t = story(plan(), "S-1", "", "").item("S-10", "title: Ten\nstatus: draft\ngoal: G-1\n", "");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// broken-reference

#[test]
fn broken_reference_in_goal_and_depends_on() {
    let t = story(plan(), "S-2", "", "").item(
        "S-1",
        "title: A story\nstatus: draft\ngoal: G-2\ndepends_on: [S-2, S-9]\n",
        "",
    );
    let out = t.check();
    assert_finding(&out, "broken-reference", "plan/S-1.md", 5, 7);
    // `depends_on: [S-2, S-9]`: S-9 starts at column 19.
    assert_finding(&out, "broken-reference", "plan/S-1.md", 6, 19);
    assert_eq!(diags(&out, "broken-reference").len(), 2);
    assert_eq!(out.code, 1);

    let t = story(plan(), "S-1", "depends_on:\n  - S-7\n", "");
    let out = t.check();
    assert_findings(&out, &[at("broken-reference", "plan/S-1.md", 7, 5)]);
}

#[test]
fn broken_reference_near_miss() {
    let t = story(plan(), "S-2", "", "").item(
        "S-1",
        "title: A story\nstatus: draft\ngoal: G-1\ndepends_on: [S-2, G-1]\n",
        "",
    );
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// wrong-kind

#[test]
fn wrong_kind_goal_names_a_story() {
    let t =
        story(plan(), "S-2", "", "").item("S-1", "title: A story\nstatus: draft\ngoal: S-2\n", "");
    let out = t.check();
    assert_findings(&out, &[at("wrong-kind", "plan/S-1.md", 5, 7)]);
    assert_eq!(out.code, 1);
    let d = diag(&out, "wrong-kind");
    assert_eq!(help(&d), "S-2 belongs to goal G-1; did you mean `G-1`?");
}

#[test]
fn wrong_kind_near_miss_depends_on_may_name_any_kind() {
    let t = story(plan(), "S-1", "depends_on: [G-1]\n", "");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// dependency-cycle

#[test]
fn three_item_cycle_is_reported_once_in_order_from_the_smallest_id() {
    let t = plan()
        .item(
            "S-2",
            "title: B\nstatus: draft\ngoal: G-1\ndepends_on: [S-3]\n",
            "",
        )
        .item(
            "S-3",
            "title: C\nstatus: draft\ngoal: G-1\ndepends_on: [S-1]\n",
            "",
        )
        .item(
            "S-1",
            "title: A\nstatus: draft\ngoal: G-1\ndepends_on: [S-2]\n",
            "",
        );
    let out = t.check();
    // At S-1's `depends_on` entry that starts the cycle: `depends_on: [S-2]` → column 14.
    assert_findings(&out, &[at("dependency-cycle", "plan/S-1.md", 6, 14)]);
    assert_eq!(
        message(&diag(&out, "dependency-cycle")),
        "dependency cycle: S-1 → S-2 → S-3 → S-1"
    );
    assert_eq!(out.code, 1);
}

#[test]
fn cycle_order_follows_the_edges_and_compares_ids_numerically() {
    // S-2 → S-10 → S-9 → S-2; the smallest id is S-2 (not S-10, which sorts first as text).
    let t = plan()
        .item(
            "S-10",
            "title: J\nstatus: draft\ngoal: G-1\ndepends_on: [S-9]\n",
            "",
        )
        .item(
            "S-9",
            "title: I\nstatus: draft\ngoal: G-1\ndepends_on: [S-2]\n",
            "",
        )
        .item(
            "S-2",
            "title: B\nstatus: draft\ngoal: G-1\ndepends_on: [S-10]\n",
            "",
        );
    let out = t.check();
    assert_findings(&out, &[at("dependency-cycle", "plan/S-2.md", 6, 14)]);
    assert_eq!(
        message(&diag(&out, "dependency-cycle")),
        "dependency cycle: S-2 → S-10 → S-9 → S-2"
    );
}

#[test]
fn self_dependency_is_a_cycle() {
    let t = story(plan(), "S-1", "depends_on: [S-1]\n", "");
    let out = t.check();
    assert_findings(&out, &[at("dependency-cycle", "plan/S-1.md", 6, 14)]);
    assert_eq!(
        message(&diag(&out, "dependency-cycle")),
        "dependency cycle: S-1 → S-1"
    );
}

#[test]
fn dependency_cycle_near_miss_diamond() {
    // S-1 → S-2 → S-4, S-1 → S-3 → S-4: shared dependencies, no cycle.
    let t = plan()
        .item(
            "S-1",
            "title: A\nstatus: draft\ngoal: G-1\ndepends_on: [S-2, S-3]\n",
            "",
        )
        .item(
            "S-2",
            "title: B\nstatus: draft\ngoal: G-1\ndepends_on: [S-4]\n",
            "",
        )
        .item(
            "S-3",
            "title: C\nstatus: draft\ngoal: G-1\ndepends_on: [S-4]\n",
            "",
        )
        .item("S-4", "title: D\nstatus: draft\ngoal: G-1\n", "");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// broken-link

#[test]
fn broken_link_points_at_the_bracket() {
    let t = story(
        plan(),
        "S-1",
        "",
        "As a lead, I can plan.\n\nSee the [spec](../docs/missing.md) and [goal](G-2.md).\n",
    );
    let out = t.check();
    // Body starts at line 7; the link line is 9.
    assert_findings(
        &out,
        &[
            at("broken-link", "plan/S-1.md", 9, 9),
            at("broken-link", "plan/S-1.md", 9, 40),
        ],
    );
    assert_eq!(out.code, 1);
}

#[test]
fn broken_link_in_a_document() {
    let t = plan().file(
        "plan/README.md",
        "# Plan\n\nStart with [the goal](goals/G-1.md).\n",
    );
    let out = t.check();
    assert_findings(&out, &[at("broken-link", "plan/README.md", 3, 12)]);
}

#[test]
fn broken_link_near_misses() {
    let t = story(
        plan(),
        "S-1",
        "",
        "See [goal](G-1.md), [home](https://example.com/missing.md), [mail](mailto:a@b.c), [readme](../README.md) and [self](#why).\n\n## Why\n",
    )
    .file("README.md", "# Project\n");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// broken-anchor

#[test]
fn broken_anchor_points_at_the_bracket_with_did_you_mean() {
    let t = story(
        plan(),
        "S-1",
        "",
        "See the [goal](G-1.md#why-not) and [here](#nowhere).\n\n## Somewhere\n",
    );
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("broken-anchor", "plan/S-1.md", 7, 9),
            at("broken-anchor", "plan/S-1.md", 7, 36),
        ],
    );
    let found = diags(&out, "broken-anchor");
    assert_eq!(help(&found[0]), "did you mean `why-now`?");
    assert_eq!(out.code, 1);
}

#[test]
fn broken_anchor_near_miss() {
    let t = story(
        plan(),
        "S-1",
        "",
        "See the [goal](G-1.md#why-now) and [below](#details).\n\n## Details\n",
    );
    assert_clean(&t.check());
}

#[test]
fn github_slugs_with_duplicates_and_punctuation() {
    let t = Test::new()
        .item(
            "G-1",
            "title: A goal\nstatus: proposed\n",
            "## Notes\nFirst.\n\n## Notes\nSecond.\n\n## Risks & open questions\n\n## Why now?\n\n## API (v2): `rank`\n",
        )
        .item(
            "S-1",
            "title: A story\nstatus: draft\ngoal: G-1\n",
            "[a](G-1.md#notes) [b](G-1.md#notes-1) [c](G-1.md#risks--open-questions) [d](G-1.md#why-now) [e](G-1.md#api-v2-rank)\n",
        );
    assert_clean(&t.check());

    let t = Test::new()
        .item(
            "G-1",
            "title: A goal\nstatus: proposed\n",
            "## Notes\n\n## Notes\n\n## Risks & open questions\n",
        )
        .item(
            "S-1",
            "title: A story\nstatus: draft\ngoal: G-1\n",
            "[a](G-1.md#notes-2)\n[b](G-1.md#risks-open-questions)\n",
        );
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("broken-anchor", "plan/S-1.md", 7, 1),
            at("broken-anchor", "plan/S-1.md", 8, 1),
        ],
    );
}

#[test]
fn links_outside_the_plan_dir_but_inside_the_root() {
    let t = story(
        plan(),
        "S-1",
        "",
        "See [readme](../README.md), [install](../README.md#installation) and [guide](../docs/guide.md#setup).\n",
    )
    .file("README.md", "# cairn\n\n## Installation\n")
    .file("docs/guide.md", "# Guide\n\n## Setup\n");
    assert_clean(&t.check());

    let t = story(
        plan(),
        "S-1",
        "",
        "See [nope](../README.md#uninstall) and [gone](../docs/gone.md).\n",
    )
    .file("README.md", "# cairn\n\n## Installation\n");
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("broken-anchor", "plan/S-1.md", 7, 5),
            at("broken-link", "plan/S-1.md", 7, 40),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// unknown-sprint

const SPRINTS: &str = "sprints:\n  - name: 2027-S1\n    capacity: 10\n";

#[test]
fn unknown_sprint_points_at_the_value() {
    let t = story(plan().config(SPRINTS), "S-1", "sprint: 2027-S3\n", "");
    let out = t.check();
    assert_findings(&out, &[at("unknown-sprint", "plan/S-1.md", 6, 9)]);
    let h = help(&diag(&out, "unknown-sprint")).to_string();
    assert!(h.starts_with("did you mean `2027-S1`?"), "{h}");
    assert_eq!(out.code, 1);
}

#[test]
fn unknown_sprint_near_miss() {
    let t = story(
        plan().config(SPRINTS),
        "S-1",
        "sprint: 2027-S1\nestimate: 3\n",
        "",
    );
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// unknown-field

#[test]
fn unknown_field_points_at_the_key() {
    let t = story(plan(), "S-1", "titel: Typo\nhorizon: now\n", "");
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("unknown-field", "plan/S-1.md", 6, 1),
            at("unknown-field", "plan/S-1.md", 7, 1),
        ],
    );
    let found = diags(&out, "unknown-field");
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(help(&found[1]), "`horizon` is not a field of this kind");
    // Warnings only: the run passes.
    assert_eq!(out.code, 0);
}

#[test]
fn unknown_field_in_a_nested_map() {
    let t = story(plan(), "S-1", "rice:\n  reach: 10\n  efort: 1\n", "");
    let out = t.check();
    assert_findings(&out, &[at("unknown-field", "plan/S-1.md", 8, 3)]);
    assert_eq!(help(&diag(&out, "unknown-field")), "did you mean `effort`?");
}

#[test]
fn unknown_field_near_misses() {
    let t = story(
        plan().config("fields:\n  customer_tier: { type: string }\n"),
        "S-1",
        "owner: priya\nassignee: sam\ntags: [x]\nestimate: 1\ncustomer_tier: anything\n",
        "",
    )
    .item(
        "G-2",
        "title: G\nstatus: proposed\nhorizon: next\nkey_results: [More users]\nowner: ana\n",
        "",
    );
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// orphan-story

#[test]
fn orphan_story_points_at_the_id() {
    let t = plan()
        .item("S-1", "title: A story\nstatus: draft\n", "")
        .item("S-2", "title: Empty goal field\nstatus: draft\ngoal:\n", "");
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("orphan-story", "plan/S-1.md", 2, 5),
            at("orphan-story", "plan/S-2.md", 2, 5),
        ],
    );
    assert_eq!(diags(&out, "orphan-story")[0]["severity"], "warning");
    assert_eq!(out.code, 0);
}

#[test]
fn orphan_story_near_miss() {
    // A goal has no parent to name; a story naming its goal is not an orphan.
    let t = story(plan(), "S-1", "", "");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// status-conflict

const CRITERIA: &str = "As a user, I can do it.\n\n## Acceptance criteria\n- [x] it works\n";

#[test]
fn status_conflict_done_while_a_dependency_is_open() {
    let t = Test::new()
        .item("G-1", "title: A goal\nstatus: active\n", "")
        .item(
            "S-1",
            "title: A\nstatus: done\ngoal: G-1\nestimate: 1\ndepends_on: [S-2]\n",
            CRITERIA,
        )
        .item(
            "S-2",
            "title: B\nstatus: in-progress\ngoal: G-1\nestimate: 1\n",
            CRITERIA,
        );
    let out = t.check();
    assert_findings(&out, &[at("status-conflict", "plan/S-1.md", 4, 9)]);
    assert!(message(&diag(&out, "status-conflict")).contains("S-2"));
    assert_eq!(out.code, 0);
}

#[test]
fn status_conflict_active_under_a_closed_parent() {
    for goal_status in ["dropped", "achieved"] {
        let t = Test::new()
            .item(
                "G-1",
                &format!("title: A goal\nstatus: {goal_status}\n"),
                "",
            )
            .item(
                "S-1",
                "title: A\nstatus: in-progress\ngoal: G-1\nestimate: 1\n",
                CRITERIA,
            );
        let out = t.check();
        let mut expected = vec![];
        if goal_status == "achieved" {
            // The goal is also done while its child is open (the third case).
            expected.push(at("status-conflict", "plan/G-1.md", 4, 9));
        }
        expected.push(at("status-conflict", "plan/S-1.md", 4, 9));
        assert_findings(&out, &expected);
    }
}

#[test]
fn status_conflict_parent_done_while_children_are_open() {
    let t = Test::new()
        .item("G-1", "title: A goal\nstatus: achieved\n", "")
        .item("S-1", "title: A\nstatus: draft\ngoal: G-1\n", "")
        .item("S-2", "title: B\nstatus: done\ngoal: G-1\n", "");
    let out = t.check();
    assert_findings(&out, &[at("status-conflict", "plan/G-1.md", 4, 9)]);
    let m = message(&diag(&out, "status-conflict")).to_string();
    assert!(m.contains("S-1") && !m.contains("S-2"), "{m}");
}

#[test]
fn status_conflict_near_misses() {
    let t = Test::new()
        // Achieved with every child closed.
        .item("G-1", "title: Done goal\nstatus: achieved\n", "")
        .item(
            "S-1",
            "title: A\nstatus: done\ngoal: G-1\ndepends_on: [S-2]\n",
            "",
        )
        .item("S-2", "title: B\nstatus: done\ngoal: G-1\n", "")
        .item("S-3", "title: C\nstatus: dropped\ngoal: G-1\n", "")
        // In progress under an active goal.
        .item("G-2", "title: Live goal\nstatus: active\n", "")
        .item(
            "S-4",
            "title: D\nstatus: review\ngoal: G-2\nestimate: 2\n",
            CRITERIA,
        )
        // Not started (not active) under a dropped goal.
        .item("G-3", "title: Dropped goal\nstatus: dropped\n", "")
        .item("S-5", "title: E\nstatus: draft\ngoal: G-3\n", "");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// not-ready

#[test]
fn not_ready_points_at_the_status() {
    let t = plan()
        .item("S-1", "title: A\nstatus: ready\ngoal: G-1\n", CRITERIA)
        .item(
            "S-2",
            "title: B\nstatus: in-progress\ngoal: G-1\nestimate: 3\n",
            "As a user, I can do it.\n\n## Acceptance criteria\n\nTo be written.\n",
        )
        .item("S-3", "title: C\nstatus: review\ngoal: G-1\n", "");
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("not-ready", "plan/S-1.md", 4, 9),
            at("not-ready", "plan/S-2.md", 4, 9),
            at("not-ready", "plan/S-3.md", 4, 9),
        ],
    );
    let found = diags(&out, "not-ready");
    assert_eq!(message(&found[0]), "S-1 is `ready` but has no estimate");
    assert_eq!(
        message(&found[1]),
        "S-2 is `in-progress` but has no acceptance criteria"
    );
    assert_eq!(
        message(&found[2]),
        "S-3 is `review` but has no estimate and no acceptance criteria"
    );
    assert_eq!(out.code, 0);
}

#[test]
fn not_ready_near_misses() {
    let t = plan()
        .item(
            "S-1",
            "title: A\nstatus: ready\ngoal: G-1\nestimate: 0\n",
            CRITERIA,
        )
        // Before `ready`, or closed: nothing is required.
        .item("S-2", "title: B\nstatus: draft\ngoal: G-1\n", "")
        .item("S-3", "title: C\nstatus: done\ngoal: G-1\n", "")
        .item("S-4", "title: D\nstatus: dropped\ngoal: G-1\n", "");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// over-capacity

#[test]
fn over_capacity_points_at_the_sprint_capacity_in_the_config() {
    let config =
        "sprints:\n  - name: 2027-S1\n    capacity: 5\n  - name: 2027-S2\n    capacity: 5\n";
    let t = plan()
        .config(config)
        .item(
            "S-1",
            "title: A\nstatus: draft\ngoal: G-1\nestimate: 3\nsprint: 2027-S2\n",
            "",
        )
        .item(
            "S-2",
            "title: B\nstatus: draft\ngoal: G-1\nestimate: 3\nsprint: 2027-S2\n",
            "",
        );
    let out = t.check();
    // At the second sprint's `capacity:` value (`    capacity: 5` on line 5).
    assert_findings(&out, &[at("over-capacity", "cairn.yaml", 5, 15)]);
    let d = diag(&out, "over-capacity");
    assert_eq!(
        message(&d),
        "sprint 2027-S2 has 6 points committed, over its capacity of 5 by 1"
    );
    assert_eq!(d["severity"], "warning");
    assert_eq!(out.code, 0);
}

#[test]
fn over_capacity_near_misses() {
    // Exactly at capacity (a dropped story does not count), and a sprint without a capacity.
    let config = "sprints:\n  - name: 2027-S1\n    capacity: 6\n  - name: 2027-S2\n";
    let t = plan()
        .config(config)
        .item(
            "S-1",
            "title: A\nstatus: draft\ngoal: G-1\nestimate: 3\nsprint: 2027-S1\n",
            "",
        )
        .item(
            "S-2",
            "title: B\nstatus: draft\ngoal: G-1\nestimate: 3\nsprint: 2027-S1\n",
            "",
        )
        .item(
            "S-3",
            "title: C\nstatus: dropped\ngoal: G-1\nestimate: 8\nsprint: 2027-S1\n",
            "",
        )
        .item(
            "S-4",
            "title: D\nstatus: draft\ngoal: G-1\nestimate: 40\nsprint: 2027-S2\n",
            "",
        );
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// empty-goal

#[test]
fn empty_goal_points_at_the_status() {
    let t = Test::new().item("G-1", "title: A goal\nstatus: active\n", "");
    let out = t.check();
    assert_findings(&out, &[at("empty-goal", "plan/G-1.md", 4, 9)]);
    assert_eq!(diag(&out, "empty-goal")["severity"], "warning");
    assert_eq!(out.code, 0);
}

#[test]
fn empty_goal_near_misses() {
    let t = Test::new()
        .item("G-1", "title: Has a story\nstatus: active\n", "")
        .item("S-1", "title: A\nstatus: draft\ngoal: G-1\n", "")
        .item("G-2", "title: Not started\nstatus: proposed\n", "")
        .item("G-3", "title: Finished\nstatus: achieved\n", "");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// did-you-mean

#[test]
fn did_you_mean_help_texts() {
    let t = Test::new()
        .item("G-1", "title: The one goal\nstatus: proposed\n", "")
        .item(
            "S-1",
            "title: A\nstatus: in-progres\ngoal: G-11\nmoscow: shuold\ntitel: Typo\n",
            "",
        );
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("invalid-value", "plan/S-1.md", 4, 9),
            at("broken-reference", "plan/S-1.md", 5, 7),
            at("invalid-value", "plan/S-1.md", 6, 9),
            at("unknown-field", "plan/S-1.md", 7, 1),
        ],
    );
    let json = out.json();
    let d = json["diagnostics"].as_array().unwrap();
    assert_eq!(d[0]["help"], "did you mean `in-progress`?");
    let reference_help = d[1]["help"].as_str().unwrap();
    assert!(
        reference_help.starts_with("did you mean `G-1`"),
        "{reference_help}"
    );
    assert_eq!(d[2]["help"], "did you mean `should`?");
    assert_eq!(d[3]["help"], "did you mean `title`?");
}

#[test]
fn help_is_null_when_there_is_nothing_to_suggest() {
    let t = story(plan(), "S-1", "estimate: -2\n", "");
    let out = t.check();
    assert_findings(&out, &[at("invalid-value", "plan/S-1.md", 6, 11)]);
    assert!(diag(&out, "invalid-value")["help"].is_null());
}

// ---------------------------------------------------------------------------------------------
// nested YAML positions

#[test]
fn nested_values_are_reported_at_their_own_line() {
    let t = story(
        plan(),
        "S-1",
        "rice:\n  reach: 100\n  impact: 1\n  confidence: 80%\n  effort: 0\n",
        "",
    );
    let out = t.check();
    // rice: on line 6; effort on line 10, its value at column 11.
    assert_findings(&out, &[at("invalid-value", "plan/S-1.md", 10, 11)]);
    assert!(message(&diag(&out, "invalid-value")).contains("rice.effort"));
}

#[test]
fn nested_values_in_flow_maps_and_lists() {
    let t = story(
        plan(),
        "S-1",
        "wsjf:\n  business_value: 1\n  time_criticality: 1\n  risk_reduction: 1\n  job_size: 4\ntags:\n  - ok\n  - [nested]\n",
        "",
    );
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("invalid-value", "plan/S-1.md", 10, 13),
            at("invalid-value", "plan/S-1.md", 13, 5),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// rule levels and exit codes

#[test]
fn rule_level_error_raises_severity_and_exit_code() {
    let t = plan().config("rules:\n  orphan-story: error\n").item(
        "S-1",
        "title: A\nstatus: draft\n",
        "",
    );
    let out = t.check();
    assert_findings(&out, &[at("orphan-story", "plan/S-1.md", 2, 5)]);
    assert_eq!(diag(&out, "orphan-story")["severity"], "error");
    assert_eq!(out.json()["summary"]["errors"], 1);
    assert_eq!(out.json()["summary"]["warnings"], 0);
    assert_eq!(out.code, 1);
}

#[test]
fn rule_level_off_removes_the_finding() {
    let t =
        plan()
            .config("rules:\n  orphan-story: off\n")
            .item("S-1", "title: A\nstatus: draft\n", "");
    assert_clean(&t.check());
}

#[test]
fn rule_level_warn_demotes_an_error() {
    let t = plan().config("rules:\n  broken-reference: warn\n").item(
        "S-1",
        "title: A\nstatus: draft\ngoal: G-9\n",
        "",
    );
    let out = t.check();
    assert_findings(&out, &[at("broken-reference", "plan/S-1.md", 5, 7)]);
    assert_eq!(diag(&out, "broken-reference")["severity"], "warning");
    assert_eq!(out.code, 0);
}

#[test]
fn deny_warnings_fails_a_warnings_only_run() {
    let t = plan().item("S-1", "title: A\nstatus: draft\n", "");
    let out = t.check();
    assert_eq!(out.rules(), ["orphan-story"]);
    assert_eq!(out.code, 0);
    let out = t.run(&["check", "--format", "json", "--deny", "warnings"]);
    assert_eq!(out.rules(), ["orphan-story"]);
    assert_eq!(out.code, 1, "{}", dump(&out));
    let human = t.run(&["check", "--deny", "warnings"]);
    assert_eq!(human.code, 1, "{}", dump(&human));

    // Nothing to deny: still 0.
    let t = story(plan(), "S-1", "", "");
    let out = t.run(&["check", "--format", "json", "--deny", "warnings"]);
    assert_eq!(out.code, 0, "{}", dump(&out));
}

#[test]
fn bad_rule_level_in_config_is_a_located_run_failure() {
    let t = plan().config("rules:\n  orphan-story: loud\n");
    let out = t.check();
    assert_eq!(out.code, 2, "{}", dump(&out));
    assert!(out.stderr.contains("cairn.yaml:2:17"), "{}", dump(&out));
}

// ---------------------------------------------------------------------------------------------
// custom kinds

const EPICS: &str = "kinds:\n  epic: { prefix: E, parent: goal }\n  story: { parent: epic }\n";

#[test]
fn custom_kind_epic_between_goal_and_story() {
    let t = Test::new()
        .config(EPICS)
        .item("G-1", "title: A goal\nstatus: active\n", "")
        .item("E-1", "title: An epic\nstatus: active\ngoal: G-1\n", "")
        .item("S-1", "title: A story\nstatus: draft\nepic: E-1\n", "");
    assert_clean(&t.check());
}

#[test]
fn custom_kind_story_must_name_its_epic() {
    let t = Test::new()
        .config(EPICS)
        .item("G-1", "title: A goal\nstatus: proposed\n", "")
        .item("S-1", "title: A story\nstatus: draft\ngoal: G-1\n", "");
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("orphan-story", "plan/S-1.md", 2, 5),
            at("unknown-field", "plan/S-1.md", 5, 1),
        ],
    );
    assert_eq!(
        help(&diag(&out, "unknown-field")),
        "this kind names its parent in `epic:`"
    );
    assert!(message(&diag(&out, "orphan-story")).contains("epic"));
}

#[test]
fn custom_kind_references_are_checked_by_kind() {
    let t = Test::new()
        .config(EPICS)
        .item("G-1", "title: A goal\nstatus: proposed\n", "")
        .item("E-1", "title: An epic\nstatus: proposed\ngoal: G-1\n", "")
        .item("E-2", "title: Orphan epic\nstatus: proposed\n", "")
        .item("S-1", "title: A story\nstatus: draft\nepic: G-1\n", "")
        .item("S-2", "title: A story\nstatus: draft\nepic: E-9\n", "");
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("orphan-story", "plan/E-2.md", 2, 5),
            at("wrong-kind", "plan/S-1.md", 5, 7),
            at("broken-reference", "plan/S-2.md", 5, 7),
        ],
    );
}

#[test]
fn custom_kind_id_prefix_is_recognised() {
    let t = Test::new()
        .config(EPICS)
        .item("G-1", "title: A goal\nstatus: proposed\n", "")
        .file(
            "plan/x.md",
            "---\nid: EP-1\ntitle: Bad prefix\nstatus: proposed\ngoal: G-1\n---\n",
        );
    let out = t.check();
    assert_findings(&out, &[at("invalid-id", "plan/x.md", 2, 5)]);
}

// ---------------------------------------------------------------------------------------------
// custom statuses

const WORKFLOW: &str = "kinds:\n  goal:\n    statuses: { idea: todo, live: doing, met: done, killed: dropped }\n  story:\n    statuses: { backlog: todo, ready: todo, doing: doing, shipped: done, cancelled: dropped }\n";

#[test]
fn custom_statuses_map_to_categories() {
    let t = Test::new()
        .config(WORKFLOW)
        .item("G-1", "title: Live goal\nstatus: live\n", "")
        .item(
            "S-1",
            "title: A\nstatus: shipped\ngoal: G-1\ndepends_on: [S-2]\n",
            "",
        )
        .item(
            "S-2",
            "title: B\nstatus: doing\ngoal: G-1\nestimate: 2\n",
            CRITERIA,
        )
        .item("G-2", "title: Killed goal\nstatus: killed\n", "")
        .item(
            "S-3",
            "title: C\nstatus: doing\ngoal: G-2\nestimate: 2\n",
            CRITERIA,
        )
        .item("G-3", "title: Empty live goal\nstatus: live\n", "")
        .item("S-4", "title: D\nstatus: ready\ngoal: G-1\n", CRITERIA)
        .item("S-5", "title: E\nstatus: backlog\ngoal: G-1\n", "");
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("empty-goal", "plan/G-3.md", 4, 9),
            at("status-conflict", "plan/S-1.md", 4, 9),
            at("status-conflict", "plan/S-3.md", 4, 9),
            at("not-ready", "plan/S-4.md", 4, 9),
        ],
    );
}

#[test]
fn custom_statuses_replace_the_defaults() {
    let t = Test::new()
        .config(WORKFLOW)
        .item("G-1", "title: Goal\nstatus: idea\n", "")
        .item("S-1", "title: A\nstatus: in-progress\ngoal: G-1\n", "")
        .item("S-2", "title: B\nstatus: shiped\ngoal: G-1\n", "");
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("invalid-value", "plan/S-1.md", 4, 9),
            at("invalid-value", "plan/S-2.md", 4, 9),
        ],
    );
    let found = diags(&out, "invalid-value");
    assert!(
        help(&found[0]).contains("backlog, ready, doing, shipped, cancelled"),
        "{:#}",
        found[0]
    );
    assert_eq!(help(&found[1]), "did you mean `shipped`?");
}

#[test]
fn custom_statuses_near_miss_met_goal_with_closed_children() {
    let t = Test::new()
        .config(WORKFLOW)
        .item("G-1", "title: Goal\nstatus: met\n", "")
        .item("S-1", "title: A\nstatus: shipped\ngoal: G-1\n", "")
        .item("S-2", "title: B\nstatus: cancelled\ngoal: G-1\n", "");
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// custom fields

const FIELDS: &str = "fields:\n  customer_tier: { type: string, values: [free, pro, enterprise] }\n  risk: { type: integer, min: 1, max: 5 }\n  launch: { type: date }\n  blocked: { type: boolean }\n  regions: { type: list, values: [eu, us] }\n";

#[test]
fn custom_fields_are_type_checked_with_help() {
    let t = story(
        plan().config(FIELDS),
        "S-1",
        "customer_tier: entreprise\nrisk: 7\nlaunch: soon\nblocked: maybe\nregions: [eu, mars]\n",
        "",
    )
    .item(
        "S-2",
        "title: B\nstatus: draft\ngoal: G-1\ncustomer_tier: gold\nrisk: 2.5\n",
        "",
    );
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("invalid-value", "plan/S-1.md", 6, 16),
            at("invalid-value", "plan/S-1.md", 7, 7),
            at("invalid-value", "plan/S-1.md", 8, 9),
            at("invalid-value", "plan/S-1.md", 9, 10),
            at("invalid-value", "plan/S-1.md", 10, 15),
            at("invalid-value", "plan/S-2.md", 6, 16),
            at("invalid-value", "plan/S-2.md", 7, 7),
        ],
    );
    let found = diags(&out, "invalid-value");
    assert_eq!(help(&found[0]), "did you mean `enterprise`?");
    assert!(
        help(&found[5]).contains("free, pro, enterprise"),
        "{:#}",
        found[5]
    );
    assert_eq!(out.code, 1);
}

#[test]
fn custom_fields_near_misses() {
    let t = story(
        plan().config(FIELDS),
        "S-1",
        "customer_tier: enterprise\nrisk: 5\nlaunch: 2027-03-01\nblocked: false\nregions: [eu, us]\n",
        "",
    );
    assert_clean(&t.check());
}

// ---------------------------------------------------------------------------------------------
// positions in awkward text, more near misses

#[test]
fn columns_count_characters_not_bytes() {
    let t = story(
        plan(),
        "S-1",
        "depends_on: [\"Ü\", S-9]\n",
        "Café — voilà [x](missing.md)\n",
    );
    let out = t.check();
    assert_findings(
        &out,
        &[
            // `depends_on: ["Ü", S-9]`: the quote of "Ü" at 14, S-9 at 19 (20 in bytes).
            at("invalid-value", "plan/S-1.md", 6, 14),
            at("broken-reference", "plan/S-1.md", 6, 19),
            // `Café — voilà [`: the bracket is the 14th character (the 18th byte).
            at("broken-link", "plan/S-1.md", 8, 14),
        ],
    );
}

#[test]
fn positions_survive_bom_and_crlf() {
    let t = plan().file(
        "plan/S-1.md",
        "\u{feff}---\r\nid: S-1\r\ntitle: A\r\nstatus: draft\r\ngoal: G-9\r\n---\r\nSee [x](nope.md).\r\n",
    );
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("broken-reference", "plan/S-1.md", 5, 7),
            at("broken-link", "plan/S-1.md", 7, 5),
        ],
    );
}

#[test]
fn quoted_values_are_reported_at_their_opening_quote() {
    let t = plan().item("S-1", "title: A\nstatus: \"in-progres\"\ngoal: 'G-9'\n", "");
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("invalid-value", "plan/S-1.md", 4, 9),
            at("broken-reference", "plan/S-1.md", 5, 7),
        ],
    );
}

#[test]
fn empty_front_matter_is_missing_its_id() {
    let t = plan().file("plan/S-1.md", "---\n---\nBody.\n");
    let out = t.check();
    assert_findings(&out, &[at("missing-field", "plan/S-1.md", 2, 1)]);
}

#[test]
fn scalar_front_matter_is_a_parse_error() {
    let t = plan().file("plan/S-1.md", "---\njust some text\n---\nBody.\n");
    let out = t.check();
    assert_findings(&out, &[at("parse-error", "plan/S-1.md", 2, 1)]);
}

#[test]
fn empty_markdown_file_is_a_clean_skip() {
    let t = plan().file("plan/empty.md", "");
    assert_clean(&t.check());
}

#[test]
fn helpful_hints_for_common_type_mistakes() {
    let t = story(plan(), "S-2", "", "").item(
        "S-1",
        "title: A\nstatus: draft\ngoal: G-1\nestimate: \"5\"\ndepends_on: S-2\n",
        "",
    );
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("invalid-value", "plan/S-1.md", 6, 11),
            at("invalid-value", "plan/S-1.md", 7, 13),
        ],
    );
    let found = diags(&out, "invalid-value");
    assert_eq!(help(&found[0]), "write the number without quotes: `5`");
    assert_eq!(help(&found[1]), "write a list: `depends_on: [S-2]`");
}

#[test]
fn several_conflict_blocks_are_one_finding() {
    let t = story(
        plan(),
        "S-1",
        "",
        "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> x\n\n<<<<<<< HEAD\nc\n=======\nd\n>>>>>>> x\n",
    );
    let out = t.check();
    assert_findings(&out, &[at("merge-conflict", "plan/S-1.md", 7, 1)]);
    assert_eq!(
        message(&diag(&out, "merge-conflict")),
        "unresolved merge conflict (2 conflict blocks)"
    );
}

#[test]
fn items_depending_on_a_cycle_do_not_repeat_it() {
    let t = plan()
        .item(
            "S-1",
            "title: A\nstatus: draft\ngoal: G-1\ndepends_on: [S-2]\n",
            "",
        )
        .item(
            "S-2",
            "title: B\nstatus: draft\ngoal: G-1\ndepends_on: [S-1]\n",
            "",
        )
        .item(
            "S-3",
            "title: C\nstatus: draft\ngoal: G-1\ndepends_on: [S-1, S-2]\n",
            "",
        )
        .item(
            "S-4",
            "title: D\nstatus: draft\ngoal: G-1\ndepends_on: [S-3]\n",
            "",
        );
    let out = t.check();
    assert_findings(&out, &[at("dependency-cycle", "plan/S-1.md", 6, 14)]);
    assert_eq!(
        message(&diag(&out, "dependency-cycle")),
        "dependency cycle: S-1 → S-2 → S-1"
    );
}

#[test]
fn hidden_folders_are_skipped() {
    let t = story(plan(), "S-1", "", "").file(
        "plan/.drafts/S-9.md",
        "---\nid: S-9\ntitle: Draft\nstatus: nonsense\ngoal: G-404\n---\n",
    );
    let out = t.check();
    assert_clean(&out);
    assert_eq!(out.json()["items"], 2);
}

#[test]
fn gitignored_files_are_skipped() {
    let t = story(plan(), "S-1", "", "")
        .file(".gitignore", "plan/scratch/\n")
        .file(
            "plan/scratch/S-9.md",
            "---\nid: S-9\ntitle: Scratch\nstatus: nonsense\n---\n",
        );
    let git = std::process::Command::new("git")
        .arg("init")
        .arg("-q")
        .current_dir(t.path())
        .status();
    if !git.is_ok_and(|s| s.success()) {
        eprintln!("git is not available; skipping");
        return;
    }
    let out = t.check();
    assert_clean(&out);
    assert_eq!(out.json()["items"], 2);
}

#[test]
fn paths_stay_relative_to_the_root_from_a_subfolder() {
    let t = plan().config("").file(
        "plan/stories/S-1.md",
        "---\nid: S-1\ntitle: A\nstatus: draft\ngoal: G-9\n---\n",
    );
    let out = t.run_in(
        &t.root().join("plan/stories"),
        &["check", "--format", "json"],
    );
    assert_findings(&out, &[at("broken-reference", "plan/stories/S-1.md", 5, 7)]);
}

#[test]
fn not_a_directory_is_exit_code_two() {
    let t = Test::empty();
    let out = t.run(&["-C", "does-not-exist", "check"]);
    assert_eq!(out.code, 2, "{}", dump(&out));
}

#[test]
fn an_invalid_parent_value_is_one_finding_not_three() {
    let t = Test::new()
        .item("G-1", "title: G\nstatus: proposed\n", "")
        .item(
            "S-1",
            "title: S\nstatus: draft\ngoal: [G-1]\nmoscow: [must]\n",
            "",
        );
    let rules = t.check().rules();
    assert_eq!(rules, ["invalid-value", "invalid-value"], "{rules:?}");
}
