//! One positive and one near-miss negative test for every rule of `cairn check` (SPEC §4) that
//! reads a file or the links between files: merge conflicts, parse errors, missing fields, ids,
//! values, duplicates, references, kinds, cycles, links and anchors. The planning rules are in
//! tests/rules_planning.rs; help texts, levels and custom config in tests/rules_config.rs.
//!
//! Positions are 1-based `line:column` as `check --format json` reports them. In an item written
//! by `Test::item(id, fm, body)`, line 1 is `---`, line 2 is `id: …`, the front-matter lines follow
//! from line 3, then the closing `---`, then the body.

mod common;
use common::findings::*;
use common::Test;

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

#[test]
fn broken_reference_is_not_reported_on_top_of_the_invalid_id_it_names() {
    // `X-1` is declared, by a file whose id has no configured prefix: that file's `invalid-id`
    // says what is wrong; "X-1 does not exist" on every reference would be a second, false story.
    let t = story(plan(), "S-1", "depends_on: [X-1]\n", "").file(
        "plan/x.md",
        "---\nid: X-1\ntitle: Unknown prefix\nstatus: draft\n---\n",
    );
    let out = t.check();
    assert_findings(&out, &[at("invalid-id", "plan/x.md", 2, 5)]);
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

/// Issue 11: cairn dropped combining marks, kept other numbers, trimmed the heading text and gave
/// two repeats the same suffix, so links written against GitHub's anchors were flagged.
#[test]
fn github_anchors_with_marks_untrimmed_text_and_taken_suffixes() {
    let goal = "## ⚠\u{fe0f} Warning\n\n## Contents <!-- omit in toc -->\n\n## Foo\n\n## Foo\n\n## Foo 1\n\n## x² and ½\n\n## हिन्दी\n";
    let t = Test::new()
        .item("G-1", "title: A goal\nstatus: proposed\n", goal)
        .item(
            "S-1",
            "title: A story\nstatus: draft\ngoal: G-1\n",
            "[a](G-1.md#\u{fe0f}-warning) [b](G-1.md#%EF%B8%8F-warning) [c](G-1.md#contents-) \
             [d](G-1.md#foo) [e](G-1.md#foo-1) [f](G-1.md#foo-1-1) [g](G-1.md#x-and-) \
             [h](G-1.md#हिन्दी)\n",
        );
    assert_clean(&t.check());

    // The anchors cairn used to give, which GitHub does not have.
    let t = Test::new()
        .item("G-1", "title: A goal\nstatus: proposed\n", goal)
        .item(
            "S-1",
            "title: A story\nstatus: draft\ngoal: G-1\n",
            "[a](G-1.md#-warning)\n[b](G-1.md#contents)\n[c](G-1.md#x²-and-½)\n[d](G-1.md#foo-2)\n[e](G-1.md#हिनदी)\n",
        );
    let out = t.check();
    assert_findings(
        &out,
        &[
            at("broken-anchor", "plan/S-1.md", 7, 1),
            at("broken-anchor", "plan/S-1.md", 8, 1),
            at("broken-anchor", "plan/S-1.md", 9, 1),
            at("broken-anchor", "plan/S-1.md", 10, 1),
            at("broken-anchor", "plan/S-1.md", 11, 1),
        ],
    );
    assert_eq!(out.code, 1);
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
