//! `cairn check` beyond single rules (SPEC §2, §4): did-you-mean help texts, nested YAML
//! positions, rule levels and `--deny warnings`, custom kinds, statuses and fields, and positions
//! through BOMs, CRLF and multi-byte characters. Positions as in tests/rules.rs.

mod common;
use common::findings::*;
use common::Test;

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

#[test]
fn m_6_in_milestone_is_not_an_id_like_g_3() {
    // The example id in the message was hard-coded `G-3`, whatever kind the field names.
    let t = Test::new()
        .config(MILESTONES)
        .item("M-1", "title: A milestone\nstatus: open\n", "")
        .item(
            "T-1",
            "title: A task\nstatus: todo\nmilestone: m-6\ndepends_on: [t 1]\n",
            "",
        );
    let out = t.check();
    let found = diags(&out, "invalid-value");
    assert_eq!(found.len(), 2, "{}", dump(&out));
    assert_eq!(
        message(&found[0]),
        "`m-6` in `milestone` is not an id like `M-1`"
    );
    assert_eq!(help(&found[0]), "did you mean `M-6`?");
    // `depends_on` may name any kind: every prefix, in config order (built-ins first).
    assert_eq!(
        message(&found[1]),
        "`t 1` in `depends_on` is not an id like `G-1`, `S-1`, `M-1` or `T-1`"
    );
}

const MILESTONES: &str = "kinds:\n  milestone: { prefix: M, statuses: { open: doing, closed: done } }\n  task: { prefix: T, parent: milestone, statuses: { todo: todo, doing: doing, done: done } }\n";

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
    t.git(&["init", "-q"]);
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
