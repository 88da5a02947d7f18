//! Priorities (SPEC §6, §10): `cairn rank` under every method, the ranking order, MoSCoW
//! inheritance, dependency pull-up and formula config errors. `cairn sprint plan` is in
//! tests/sprint_plan.rs.
//!
//! The snapshot of `rank --explain` over docs/example is updated with
//! `INSTA_UPDATE=always cargo test --test rank`; read the changed `.snap` before committing it.

mod common;
use common::{keys, no_panic, set, story, Test};
use serde_json::{json, Value};
use std::path::PathBuf;

// ---------------------------------------------------------------------------------------------
// Helpers

/// A RICE map line.
fn rice(reach: &str, impact: &str, confidence: &str, effort: &str) -> String {
    format!(
        "rice: {{reach: {reach}, impact: {impact}, confidence: {confidence}, effort: {effort}}}\n"
    )
}

/// `cairn rank --format json ARGS`, which must succeed.
fn rank_json(t: &Test, args: &[&str]) -> Value {
    let mut all = vec!["rank", "--format", "json"];
    all.extend_from_slice(args);
    let out = t.run(&all);
    assert_eq!(out.code, 0, "rank {args:?} failed:\n{}", out.stderr);
    out.json()
}

fn ids(doc: &Value) -> Vec<String> {
    doc["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items array: {doc}"))
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

/// The ranked entry for `id`.
fn entry<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not ranked: {doc}"))
}

/// True when `text` holds `NaN` or `inf` as a word (what Rust prints for non-finite floats).
fn has_non_finite(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        w.eq_ignore_ascii_case("nan")
            || w.eq_ignore_ascii_case("inf")
            || w.eq_ignore_ascii_case("infinity")
    })
}

// ---------------------------------------------------------------------------------------------
// Scores: exact arithmetic for each method

#[test]
fn rice_is_reach_times_impact_times_confidence_over_effort() {
    let t = story(Test::new(), "S-1", &rice("1200", "1", "80%", "0.5"));
    let doc = rank_json(&t, &[]);
    assert_eq!(doc["method"], "rice");
    let s = entry(&doc, "S-1");
    assert_eq!(s["score"], json!(1920.0));
    assert_eq!(s["arithmetic"], "RICE = 1200 × 1 × 0.8 / 0.5 = 1920");
    assert_eq!(
        s["inputs"],
        json!({"rice.reach": 1200.0, "rice.impact": 1.0, "rice.confidence": 0.8, "rice.effort": 0.5})
    );
    assert_eq!(s["unscored_reason"], Value::Null);

    // The same arithmetic in the table with --explain, and 0.8 written as a fraction scores the same.
    let out = t.run(&["rank", "--explain"]);
    assert!(
        out.stdout.contains("RICE = 1200 × 1 × 0.8 / 0.5 = 1920"),
        "{}",
        out.stdout
    );
    let t = story(Test::new(), "S-1", &rice("1200", "1", "0.8", "0.5"));
    assert_eq!(entry(&rank_json(&t, &[]), "S-1")["score"], json!(1920.0));
}

#[test]
fn ice_is_a_product_by_default_and_a_mean_when_configured() {
    let t = story(
        Test::new(),
        "S-1",
        "ice: {impact: 8, confidence: 7, ease: 5}\n",
    );
    let doc = rank_json(&t, &["--method", "ice"]);
    assert_eq!(doc["method"], "ice");
    let s = entry(&doc, "S-1");
    assert_eq!(s["score"], json!(280.0));
    assert_eq!(s["arithmetic"], "ICE = 8 × 7 × 5 = 280");
    assert_eq!(
        s["inputs"],
        json!({"ice.impact": 8.0, "ice.confidence": 7.0, "ice.ease": 5.0})
    );

    let t = t.config("scoring:\n  method: ice\n  ice:\n    mode: mean\n");
    let doc = rank_json(&t, &[]);
    assert_eq!(doc["method"], "ice");
    let s = entry(&doc, "S-1");
    assert_eq!(s["score"], json!((8.0 + 7.0 + 5.0) / 3.0));
    assert_eq!(s["arithmetic"], "ICE = (8 + 7 + 5) / 3 = 6.67");

    // An unknown mode is a located config error.
    let t = t.config("scoring:\n  ice:\n    mode: average\n");
    let out = t.run(&["rank"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("cairn.yaml:3:11"), "{}", out.stderr);
    assert!(out.stderr.contains("product or mean"), "{}", out.stderr);
}

#[test]
fn wsjf_is_cost_of_delay_over_job_size() {
    let t = story(
        Test::new(),
        "S-1",
        "wsjf: {business_value: 8, time_criticality: 5, risk_reduction: 3, job_size: 5}\n",
    )
    .config("scoring:\n  method: wsjf\n");
    let doc = rank_json(&t, &[]);
    assert_eq!(doc["method"], "wsjf");
    let s = entry(&doc, "S-1");
    assert_eq!(s["score"], json!(3.2));
    assert_eq!(s["arithmetic"], "WSJF = (8 + 5 + 3) / 5 = 3.2");
    assert_eq!(s["inputs"]["wsjf.job_size"], json!(5.0));
}

#[test]
fn formula_uses_custom_numeric_fields_and_shows_its_arithmetic() {
    let config = "scoring:\n  method: formula\n  formula: \"(reach + revenue) * confidence / max(effort, 1) - seats\"\nfields:\n  revenue: { type: number }\n  seats: { type: integer }\n";
    let t = story(
        Test::new(),
        "S-1",
        &format!("revenue: 20\nseats: 4\n{}", rice("100", "1", "50%", "0.5")),
    )
    .config(config);
    let doc = rank_json(&t, &[]);
    assert_eq!(doc["method"], "formula");
    let s = entry(&doc, "S-1");
    // (100 + 20) × 0.5 / max(0.5, 1) - 4 = 60 / 1 - 4 = 56
    assert_eq!(s["score"], json!(56.0));
    assert_eq!(
        s["arithmetic"],
        "(reach + revenue) * confidence / max(effort, 1) - seats = (100 + 20) × 0.5 / max(0.5, 1) - 4 = 56"
    );
    assert_eq!(
        s["inputs"],
        json!({"reach": 100.0, "revenue": 20.0, "confidence": 0.5, "effort": 0.5, "seats": 4.0})
    );
}

#[test]
fn method_flag_overrides_the_config_and_moscow_ranks_by_class_only() {
    let t = story(
        Test::new(),
        "S-1",
        &format!("moscow: could\n{}", rice("10", "1", "1", "1")),
    );
    let t = story(
        t,
        "S-2",
        &format!("moscow: must\n{}", rice("1", "1", "1", "1")),
    );
    let doc = rank_json(&t, &["--method", "moscow"]);
    assert_eq!(doc["method"], "moscow");
    assert_eq!(ids(&doc), ["S-2", "S-1"]);
    for item in doc["items"].as_array().unwrap() {
        assert_eq!(item["score"], Value::Null, "{item}");
        assert!(item["unscored_reason"].is_string(), "{item}");
    }

    // `--method formula` without a formula says what is missing.
    let out = t.run(&["rank", "--method", "formula"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("scoring.formula"), "{}", out.stderr);
    no_panic(&out);
}

// ---------------------------------------------------------------------------------------------
// JSON shape (SPEC §10)

#[test]
fn rank_json_has_exactly_the_documented_keys() {
    let t = Test::new()
        .item("G-1", "title: A goal\nstatus: active\nmoscow: must\n", "")
        .item(
            "S-1",
            &format!(
                "title: Scored\nstatus: draft\ngoal: G-1\n{}",
                rice("10", "1", "1", "1")
            ),
            "",
        )
        .item("S-2", "title: Unscored\nstatus: draft\ngoal: G-1\n", "");
    let doc = rank_json(&t, &[]);
    assert_eq!(keys(&doc), set(&["version", "method", "items"]));
    assert_eq!(doc["version"], 1);
    let expected = set(&[
        "rank",
        "id",
        "title",
        "kind",
        "moscow",
        "score",
        "inputs",
        "pulled_up_by",
        "moscow_inherited_from",
        "arithmetic",
        "unscored_reason",
    ]);
    for item in doc["items"].as_array().unwrap() {
        assert_eq!(keys(item), expected, "{item}");
    }
    assert_eq!(
        doc["items"][0],
        json!({
            "rank": 1, "id": "S-1", "title": "Scored", "kind": "story", "moscow": "must",
            "moscow_inherited_from": "G-1", "score": 10.0,
            "inputs": {"rice.reach": 10.0, "rice.impact": 1.0, "rice.confidence": 1.0, "rice.effort": 1.0},
            "arithmetic": "RICE = 10 × 1 × 1 / 1 = 10", "unscored_reason": null, "pulled_up_by": null
        })
    );
    assert_eq!(
        doc["items"][1],
        json!({
            "rank": 2, "id": "S-2", "title": "Unscored", "kind": "story", "moscow": "must",
            "moscow_inherited_from": "G-1", "score": null, "inputs": {},
            "arithmetic": null, "unscored_reason": "no `rice` inputs", "pulled_up_by": null
        })
    );
}

// ---------------------------------------------------------------------------------------------
// Order

#[test]
fn ties_are_broken_by_id_numerically() {
    let same = rice("100", "1", "1", "1");
    let mut t = Test::new();
    for id in ["S-10", "S-2", "S-1", "S-21", "S-3"] {
        t = story(t, id, &same);
    }
    let t = story(t, "S-4", &rice("200", "1", "1", "1"));
    let doc = rank_json(&t, &[]);
    assert_eq!(ids(&doc), ["S-4", "S-1", "S-2", "S-3", "S-10", "S-21"]);
    let ranks: Vec<u64> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn moscow_class_first_then_scored_before_unscored_then_score() {
    let t = Test::new();
    let t = story(t, "S-1", "moscow: must\n"); // unscored Must
    let t = story(
        t,
        "S-2",
        &format!("moscow: must\n{}", rice("10", "1", "1", "1")),
    );
    let t = story(
        t,
        "S-3",
        &format!("moscow: should\n{}", rice("5000", "3", "1", "1")),
    );
    let t = story(t, "S-4", &rice("9000", "3", "1", "1")); // no class
    let t = story(
        t,
        "S-5",
        "moscow: should\nrice: {reach: 100, impact: 1, confidence: 1}\n",
    );
    let t = story(t, "S-6", "");
    let t = story(
        t,
        "S-7",
        &format!("moscow: could\n{}", rice("1", "1", "1", "1")),
    );
    let t = story(
        t,
        "S-8",
        &format!("moscow: should\n{}", rice("6000", "3", "1", "1")),
    );
    let doc = rank_json(&t, &[]);
    assert_eq!(
        ids(&doc),
        ["S-2", "S-1", "S-8", "S-3", "S-5", "S-7", "S-4", "S-6"]
    );
    assert_eq!(entry(&doc, "S-1")["unscored_reason"], "no `rice` inputs");
    assert_eq!(
        entry(&doc, "S-5")["unscored_reason"],
        "rice.effort missing or invalid"
    );
    assert_eq!(entry(&doc, "S-6")["moscow"], Value::Null);
    assert_eq!(entry(&doc, "S-5")["score"], Value::Null);

    // The table marks unscored items with `-` and --explain says why.
    let out = t.run(&["rank", "--explain"]);
    assert!(
        out.stdout
            .contains("unscored: rice.effort missing or invalid"),
        "{}",
        out.stdout
    );
}

#[test]
fn wont_ranks_last_whatever_its_score() {
    let t = story(
        Test::new(),
        "S-1",
        &format!("moscow: wont\n{}", rice("99999", "3", "1", "0.25")),
    );
    let t = story(t, "S-2", "moscow: \"won't\"\n");
    let t = story(t, "S-3", ""); // no class, unscored
    let t = story(t, "S-4", "moscow: Could\n");
    let doc = rank_json(&t, &[]);
    assert_eq!(ids(&doc), ["S-4", "S-3", "S-1", "S-2"]);
    assert_eq!(entry(&doc, "S-2")["moscow"], "wont");
    assert_eq!(entry(&doc, "S-4")["moscow"], "could");
}

#[test]
fn moscow_is_inherited_from_the_goal() {
    let t = Test::new()
        .item(
            "G-1",
            "title: Must goal\nstatus: active\nmoscow: must\n",
            "",
        )
        .item(
            "G-2",
            "title: Wont goal\nstatus: active\nmoscow: wont\n",
            "",
        )
        .item(
            "S-1",
            "title: Inherits must\nstatus: draft\ngoal: G-1\n",
            "",
        )
        .item(
            "S-2",
            "title: Own could\nstatus: draft\ngoal: G-1\nmoscow: could\n",
            "",
        )
        .item(
            "S-3",
            "title: Inherits wont\nstatus: draft\ngoal: G-2\n",
            "",
        )
        .item("S-4", "title: No goal\nstatus: draft\n", "");
    let doc = rank_json(&t, &[]);
    assert_eq!(ids(&doc), ["S-1", "S-2", "S-4", "S-3"]);
    assert_eq!(entry(&doc, "S-1")["moscow"], "must");
    assert_eq!(entry(&doc, "S-1")["moscow_inherited_from"], "G-1");
    assert_eq!(entry(&doc, "S-2")["moscow"], "could");
    assert_eq!(entry(&doc, "S-2")["moscow_inherited_from"], Value::Null);
    assert_eq!(entry(&doc, "S-3")["moscow_inherited_from"], "G-2");
    assert_eq!(entry(&doc, "S-4")["moscow_inherited_from"], Value::Null);
    let out = t.run(&["rank", "--explain"]);
    assert!(
        out.stdout.contains("MoSCoW inherited from G-1"),
        "{}",
        out.stdout
    );
}

#[test]
fn moscow_is_inherited_through_a_custom_epic_kind() {
    let t = Test::new()
        .config("kinds:\n  epic: { prefix: E, parent: goal }\n  story: { parent: epic }\n")
        .item(
            "G-1",
            "title: Must goal\nstatus: active\nmoscow: must\n",
            "",
        )
        .item(
            "E-1",
            "title: Epic without class\nstatus: active\ngoal: G-1\n",
            "",
        )
        .item(
            "E-2",
            "title: Should epic\nstatus: active\ngoal: G-1\nmoscow: should\n",
            "",
        )
        .item("S-1", "title: Under E-1\nstatus: draft\nepic: E-1\n", "")
        .item("S-2", "title: Under E-2\nstatus: draft\nepic: E-2\n", "");
    assert_eq!(
        t.check().rules(),
        Vec::<String>::new(),
        "the fixture is clean"
    );
    let doc = rank_json(&t, &[]);
    assert_eq!(
        ids(&doc),
        ["S-1", "S-2"],
        "stories are the leaf kind ranked by default"
    );
    assert_eq!(entry(&doc, "S-1")["moscow"], "must");
    assert_eq!(entry(&doc, "S-1")["moscow_inherited_from"], "G-1");
    assert_eq!(entry(&doc, "S-2")["moscow"], "should");
    assert_eq!(
        entry(&doc, "S-2")["moscow_inherited_from"],
        "E-2",
        "the nearest ancestor wins"
    );

    let doc = rank_json(&t, &["--kind", "epic"]);
    assert_eq!(ids(&doc), ["E-1", "E-2"]);
    assert_eq!(entry(&doc, "E-1")["kind"], "epic");
}

// ---------------------------------------------------------------------------------------------
// Dependencies

#[test]
fn a_chain_of_dependencies_is_pulled_up_before_its_dependent() {
    // A (S-1, Must) depends on B (S-2, Could) depends on C (S-3, no class); D (S-4, Should) between.
    let t = story(Test::new(), "S-1", "moscow: must\ndepends_on: [S-2]\n");
    let t = story(t, "S-2", "moscow: could\ndepends_on: [S-3]\n");
    let t = story(t, "S-3", "");
    let t = story(t, "S-4", "moscow: should\n");
    let doc = rank_json(&t, &[]);
    assert_eq!(ids(&doc), ["S-3", "S-2", "S-1", "S-4"]);
    assert_eq!(entry(&doc, "S-3")["pulled_up_by"], "S-2");
    assert_eq!(entry(&doc, "S-2")["pulled_up_by"], "S-1");
    assert_eq!(entry(&doc, "S-1")["pulled_up_by"], Value::Null);
    assert_eq!(entry(&doc, "S-4")["pulled_up_by"], Value::Null);
    // Items keep their own class: being pulled up does not make C a Must.
    assert_eq!(entry(&doc, "S-3")["moscow"], Value::Null);

    let out = t.run(&["rank", "--explain"]);
    assert!(out.stdout.contains("pulled up by S-2"), "{}", out.stdout);
    assert!(out.stdout.contains("pulled up by S-1"), "{}", out.stdout);
}

#[test]
fn a_dependency_that_already_ranks_higher_is_not_marked_pulled_up() {
    let t = story(Test::new(), "S-1", "moscow: should\ndepends_on: [S-2]\n");
    let t = story(t, "S-2", "moscow: must\n");
    let doc = rank_json(&t, &[]);
    assert_eq!(ids(&doc), ["S-2", "S-1"]);
    assert_eq!(entry(&doc, "S-2")["pulled_up_by"], Value::Null);
}

#[test]
fn a_finished_dependency_does_not_pull() {
    let t = story(Test::new(), "S-1", "moscow: must\ndepends_on: [S-2, S-3]\n");
    let t = t.item("S-2", "title: Done\nstatus: done\nmoscow: wont\n", "");
    let t = t.item(
        "S-3",
        "title: Dropped\nstatus: dropped\nmoscow: could\n",
        "",
    );
    let t = story(t, "S-4", "moscow: should\n");
    // Done and dropped items are left out by default…
    assert_eq!(ids(&rank_json(&t, &[])), ["S-1", "S-4"]);
    // …and with --all they keep their own place.
    let doc = rank_json(&t, &["--all"]);
    assert_eq!(ids(&doc), ["S-1", "S-4", "S-3", "S-2"]);
    assert_eq!(entry(&doc, "S-2")["pulled_up_by"], Value::Null);
    assert_eq!(entry(&doc, "S-3")["pulled_up_by"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// Selection and determinism

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/example")
}

#[test]
fn ranking_is_deterministic() {
    let runner = Test::empty();
    for args in [
        &["rank", "--explain"][..],
        &["rank", "--format", "json"],
        &["rank", "--format", "csv", "--all"],
        &["rank", "--format", "md", "--explain", "--method", "moscow"],
    ] {
        let a = runner.run_in(&example(), args);
        let b = runner.run_in(&example(), args);
        assert_eq!(a.code, 0, "{args:?}: {}", a.stderr);
        assert_eq!(
            a.stdout, b.stdout,
            "{args:?} printed different output on two runs"
        );
    }
}

#[test]
fn top_keeps_the_first_n() {
    let t = story(Test::new(), "S-1", &rice("1", "1", "1", "1"));
    let t = story(t, "S-2", &rice("3", "1", "1", "1"));
    let t = story(t, "S-3", &rice("2", "1", "1", "1"));
    let doc = rank_json(&t, &["--top", "2"]);
    assert_eq!(ids(&doc), ["S-2", "S-3"]);
    let out = t.run(&["rank", "--top", "1"]);
    assert_eq!(
        out.stdout.lines().count(),
        2,
        "header and one row:\n{}",
        out.stdout
    );
}

#[test]
fn goal_restricts_to_items_under_it() {
    let t = Test::new()
        .goal("G-1")
        .goal("G-2")
        .item("S-1", "title: Under G-1\nstatus: draft\ngoal: G-1\n", "")
        .item("S-2", "title: Under G-2\nstatus: draft\ngoal: G-2\n", "")
        .item("S-3", "title: Also G-2\nstatus: draft\ngoal: G-2\n", "");
    assert_eq!(ids(&rank_json(&t, &["--goal", "G-2"])), ["S-2", "S-3"]);
    let out = t.run(&["rank", "--goal", "G-3"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`G-3`"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
    no_panic(&out);
}

#[test]
fn kind_goal_ranks_goals() {
    let t = Test::new()
        .item(
            "G-1",
            "title: Could goal\nstatus: active\nmoscow: could\n",
            "",
        )
        .item(
            "G-2",
            "title: Must goal\nstatus: proposed\nmoscow: must\n",
            "",
        )
        .item(
            "G-3",
            "title: Achieved\nstatus: achieved\nmoscow: must\n",
            "",
        )
        .item("S-1", "title: Story\nstatus: draft\ngoal: G-1\n", "");
    let doc = rank_json(&t, &["--kind", "goal"]);
    assert_eq!(ids(&doc), ["G-2", "G-1"]);
    assert_eq!(entry(&doc, "G-2")["kind"], "goal");
    let out = t.run(&["rank", "--kind", "gaol"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown kind `gaol`"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// Formula config errors and non-finite results

#[test]
fn an_unknown_name_in_the_formula_is_a_located_config_error() {
    let t = story(Test::new(), "S-1", "").config(
        "scoring:\n  method: formula\n  formula: \"reach * impact * confidnce / effort\"\n",
    );
    let out = t.run(&["rank"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    // `  formula: "` is 12 characters; `confidnce` starts 17 characters into the formula.
    assert!(out.stderr.contains("cairn.yaml:3:30"), "{}", out.stderr);
    assert!(out.stderr.contains("`confidnce`"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `confidence`?"),
        "{}",
        out.stderr
    );
    no_panic(&out);
    // Every command that reads the config fails the same way, `check` included.
    assert_eq!(t.run(&["check"]).code, 2);

    // A custom field that is not numeric is not allowed either, and the help lists what is.
    let t = t.config(
        "scoring:\n  method: formula\n  formula: reach + tier\nfields:\n  tier: { type: string }\n  weight: { type: number }\n",
    );
    let out = t.run(&["rank"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cairn.yaml:3:20"), "{}", out.stderr);
    assert!(out.stderr.contains("weight"), "{}", out.stderr);
}

#[test]
fn a_formula_syntax_error_is_a_located_config_error() {
    let t = story(Test::new(), "S-1", "")
        .config("scoring:\n  method: formula\n  formula: \"reach * * effort\"\n");
    let out = t.run(&["rank"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("cairn.yaml:3:21"), "{}", out.stderr);
    assert!(
        out.stderr.contains("invalid scoring formula"),
        "{}",
        out.stderr
    );
    no_panic(&out);

    for bad in [
        "\"(reach + 1\"",
        "\"log(reach)\"",
        "\"reach +\"",
        "\"reach $ 2\"",
    ] {
        let t = story(Test::new(), "S-1", "")
            .config(&format!("scoring:\n  method: formula\n  formula: {bad}\n"));
        let out = t.run(&["rank"]);
        assert_eq!(out.code, 2, "{bad}: {}", out.stdout);
        assert!(
            out.stderr.contains("cairn.yaml:3:"),
            "{bad}: {}",
            out.stderr
        );
        no_panic(&out);
    }

    // `method: formula` without a formula.
    let t = story(Test::new(), "S-1", "").config("scoring:\n  method: formula\n");
    let out = t.run(&["rank"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("scoring.formula"), "{}", out.stderr);
}

#[test]
fn division_by_zero_leaves_the_item_unscored_and_nothing_prints_nan_or_inf() {
    let t = Test::new()
        .config("scoring:\n  method: formula\n  formula: \"(reach + revenue) / (effort - 1)\"\nfields:\n  revenue: { type: number }\n")
        .item("S-1", &format!("title: Zero divisor\nstatus: draft\nrevenue: 20\n{}", rice("100", "1", "80%", "1")), "")
        .item("S-2", &format!("title: Scored\nstatus: draft\nrevenue: 20\n{}", rice("100", "1", "80%", "3")), "")
        .item("S-3", &format!("title: Missing field\nstatus: draft\n{}", rice("100", "1", "80%", "3")), "")
        // Finite inputs whose score overflows, and a finite score too large for cents.
        .item("S-4", &format!("title: Overflow\nstatus: draft\nrevenue: 1e308\n{}", rice("1e308", "1", "1", "1.5")), "")
        .item("S-5", &format!("title: Huge\nstatus: draft\nrevenue: 0\n{}", rice("1e307", "1", "1", "2")), "");
    let doc = rank_json(&t, &[]);
    assert_eq!(ids(&doc), ["S-5", "S-2", "S-1", "S-3", "S-4"]);
    assert_eq!(entry(&doc, "S-2")["score"], json!(60.0));
    assert_eq!(entry(&doc, "S-1")["score"], Value::Null);
    assert_eq!(entry(&doc, "S-1")["unscored_reason"], "division by zero");
    assert_eq!(entry(&doc, "S-3")["unscored_reason"], "revenue missing");
    assert_eq!(entry(&doc, "S-4")["score"], Value::Null);
    assert!(entry(&doc, "S-4")["unscored_reason"]
        .as_str()
        .unwrap()
        .contains("finite"));

    // The same for RICE: a huge reach over a small effort.
    let rice_plan = story(Test::new(), "S-1", &rice("1e308", "3", "1", "0.25"));
    let rice_plan = story(rice_plan, "S-2", &rice("1e307", "1", "1", "1"));
    let doc = rank_json(&rice_plan, &[]);
    assert_eq!(entry(&doc, "S-1")["score"], Value::Null);
    assert_eq!(entry(&doc, "S-2")["score"], json!(1e307));

    for plan in [&t, &rice_plan] {
        for format in ["table", "json", "csv", "md"] {
            let out = plan.run(&["rank", "--explain", "--all", "--format", format]);
            assert_eq!(out.code, 0, "{format}: {}", out.stderr);
            assert!(
                !has_non_finite(&out.stdout),
                "{format} prints a non-finite number:\n{}",
                out.stdout
            );
        }
        let out = plan.run(&["show", "S-1", "--format", "json"]);
        assert!(!has_non_finite(&out.stdout), "{}", out.stdout);
    }
}

// ---------------------------------------------------------------------------------------------
// Formats

fn small_plan() -> Test {
    Test::new()
        .item("G-1", "title: Goal\nstatus: active\nmoscow: must\n", "")
        .item(
            "S-1",
            &format!(
                "title: Export | import\nstatus: draft\ngoal: G-1\ndepends_on: [S-2]\n{}",
                rice("1200", "1", "80%", "0.5")
            ),
            "",
        )
        .item(
            "S-2",
            &format!(
                "title: Storage, \"v2\"\nstatus: draft\n{}",
                rice("100", "0.5", "50%", "1")
            ),
            "",
        )
        .item("S-3", "title: Unscored\nstatus: draft\nmoscow: could\n", "")
}

#[test]
fn rank_as_csv() {
    // RFC 4180: CRLF line ends, quotes doubled inside quoted fields.
    let out = small_plan().run(&["rank", "--format", "csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "rank,id,title,kind,moscow,score,pulled_up_by\r\n\
         1,S-2,\"Storage, \"\"v2\"\"\",story,,25,S-1\r\n\
         2,S-1,Export | import,story,must,1920,\r\n\
         3,S-3,Unscored,story,could,,\r\n"
    );
}

#[test]
fn rank_as_markdown() {
    let out = small_plan().run(&["rank", "--format", "md"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "| rank | id | title | MoSCoW | RICE |\n\
         |---:|---|---|---|---:|\n\
         | 1 | S-2 | Storage, \"v2\" |  | 25 |\n\
         | 2 | S-1 | Export \\| import | must | 1920 |\n\
         | 3 | S-3 | Unscored | could | – |\n"
    );
    let out = small_plan().run(&["rank", "--format", "md", "--explain"]);
    assert_eq!(
        out.stdout,
        "| rank | id | title | MoSCoW | RICE | why |\n\
         |---:|---|---|---|---:|---|\n\
         | 1 | S-2 | Storage, \"v2\" |  | 25 | RICE = 100 × 0.5 × 0.5 / 1 = 25; pulled up by S-1 |\n\
         | 2 | S-1 | Export \\| import | must | 1920 | RICE = 1200 × 1 × 0.8 / 0.5 = 1920; MoSCoW inherited from G-1 |\n\
         | 3 | S-3 | Unscored | could | – | unscored: no `rice` inputs |\n"
    );
}

#[test]
fn rank_as_a_table_with_explain() {
    let out = small_plan().run(&["rank", "--explain"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "RANK  ID   MOSCOW  SCORE  TITLE\n\
         1     S-2  -       25     Storage, \"v2\"\n      RICE = 100 × 0.5 × 0.5 / 1 = 25\n      pulled up by S-1\n\
         2     S-1  must    1920   Export | import\n      RICE = 1200 × 1 × 0.8 / 0.5 = 1920\n      MoSCoW inherited from G-1\n\
         3     S-3  could   -      Unscored\n      unscored: no `rice` inputs\n"
    );
    let out = Test::new().run(&["rank"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "no open `story` items to rank\n");
}

#[test]
fn rank_explain_on_the_example_plan() {
    let out = Test::empty().run_in(&example(), &["rank", "--explain"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    insta::assert_snapshot!("example_rank_explain", out.stdout);
}

// ---------------------------------------------------------------------------------------------
// Git sources

#[test]
fn rank_reads_the_index_or_a_revision() {
    let t = story(Test::new(), "S-1", &rice("10", "1", "1", "1"));
    let t = story(t, "S-2", &rice("20", "1", "1", "1"));
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    t.git(&["commit", "-q", "-m", "plan"]);
    // Staged: S-1 now scores 30; in the work tree only: S-2 scores 40.
    let t = story(t, "S-1", &rice("30", "1", "1", "1"));
    t.git(&["add", "plan/S-1.md"]);
    let t = story(t, "S-2", &rice("40", "1", "1", "1"));

    assert_eq!(ids(&rank_json(&t, &[])), ["S-2", "S-1"]);
    let doc = rank_json(&t, &["--staged"]);
    assert_eq!(ids(&doc), ["S-1", "S-2"]);
    assert_eq!(entry(&doc, "S-1")["score"], json!(30.0));
    let doc = rank_json(&t, &["--rev", "HEAD"]);
    assert_eq!(ids(&doc), ["S-2", "S-1"]);
    assert_eq!(entry(&doc, "S-2")["score"], json!(20.0));
    // `sprint plan` reads them too, but never writes from them.
    let out = t.run(&["sprint", "plan", "X", "--rev", "HEAD", "--write"]);
    assert_eq!(out.code, 2);
}

// ---------------------------------------------------------------------------------------------
// Default kinds

const MILESTONES: &str = "kinds:
  milestone: { prefix: M, statuses: { open: doing, closed: done } }
  task: { prefix: T, parent: milestone, statuses: { todo: todo, doing: doing, done: done } }
sprints:
  - { name: s1, start: 2027-01-04, end: 2027-01-15, capacity: 10 }
";

#[test]
fn custom_kinds_got_no_open_items_and_0_goals_without_naming_the_kind() {
    // The built-in `goal` and `story` are merged under every config, so with kinds `milestone`
    // and `task` the defaults were the empty built-ins: "no open items to rank", "0 goals".
    let t = Test::new()
        .config(MILESTONES)
        .item("M-1", "title: First\nstatus: open\nmoscow: must\n", "")
        .item(
            "T-1",
            "title: Task one\nstatus: todo\nmilestone: M-1\nestimate: 3\nsprint: s1\n",
            "",
        )
        .item(
            "T-2",
            "title: Task two\nstatus: todo\nmilestone: M-1\nestimate: 2\n",
            "",
        );
    assert_eq!(ids(&rank_json(&t, &[])), ["T-1", "T-2"]);
    let out = t.run(&["rank"]);
    assert_eq!(out.stderr, "", "one leaf kind with items: no note");
    let report = |args: &[&str]| {
        let mut all = vec!["report"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--today", "2027-01-05"]);
        let out = t.run(&all);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        out.stdout
    };
    let backlog: Value = serde_json::from_str(&report(&["backlog", "--format", "json"])).unwrap();
    assert_eq!(backlog["kind"], "task");
    assert_eq!(backlog["leaf_kind"], "task");
    assert_eq!(backlog["root_kind"], "milestone");
    assert_eq!(backlog["stories"].as_array().unwrap().len(), 2);
    let roadmap = report(&["roadmap"]);
    assert!(roadmap.contains("\n1 `milestone` item · "), "{roadmap}");
    let alignment: Value =
        serde_json::from_str(&report(&["alignment", "--format", "json"])).unwrap();
    assert_eq!(alignment["goals"][0]["id"], "M-1");
    assert_eq!(alignment["goals"][0]["points"], 3.0);
    let sprint: Value =
        serde_json::from_str(&report(&["sprint", "s1", "--format", "json"])).unwrap();
    assert_eq!(sprint["committed"], 3.0);
    let out = t.run(&["sprint", "plan", "s1", "--format", "json"]);
    assert_eq!(
        out.json()["planned"],
        json!([{"id": "T-2", "estimate": 2.0}])
    );

    // Nothing to rank: the message names the kind it looked for.
    let empty = Test::new().config(MILESTONES);
    assert_eq!(
        empty.run(&["rank"]).stdout,
        "no open `story` items to rank\n"
    );
    assert_eq!(
        empty.run(&["rank", "--kind", "task", "--all"]).stdout,
        "no `task` items to rank\n"
    );
    let out = empty.run(&["report", "roadmap"]);
    assert!(out.stdout.contains("\n0 goals · "), "{}", out.stdout);
}

#[test]
fn several_leaf_kinds_with_items_use_the_first_and_say_so() {
    let t = Test::new()
        .config(MILESTONES)
        .item("S-1", "title: A story\nstatus: draft\n", "")
        .item("T-1", "title: A task\nstatus: todo\n", "");
    let out = t.run(&["rank", "--format", "json"]);
    assert_eq!(ids(&out.json()), ["S-1"]);
    assert_eq!(
        out.stderr,
        "note: several leaf kinds have items (`task` besides `story`): using `story`, the first in config order; choose another with `--kind KIND`\n"
    );
    assert_eq!(ids(&rank_json(&t, &["--kind", "task"])), ["T-1"]);
    assert_eq!(t.run(&["rank", "--kind", "task"]).stderr, "");
    let out = t.run(&["report", "backlog", "--format", "json"]);
    assert_eq!(out.json()["kind"], "story");
    assert!(
        out.stderr.starts_with("note: several leaf kinds"),
        "{}",
        out.stderr
    );
}

#[test]
fn metrics_with_custom_kinds_count_the_leaf_kind_that_has_items() {
    let commit = |t: &Test, date: &str| {
        let stamp = format!("{date}T10:00:00Z");
        t.git(&["add", "-A"]);
        let ok = common::git_cmd(t.path(), &["commit", "-qm", date])
            .env("GIT_AUTHOR_DATE", &stamp)
            .env("GIT_COMMITTER_DATE", &stamp)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    };
    let task = |status: &str| {
        format!("---\nid: T-1\ntitle: Task\nstatus: {status}\nmilestone: M-1\nestimate: 2\n---\n")
    };
    let t = Test::new()
        .config(MILESTONES)
        .item("M-1", "title: First\nstatus: open\n", "")
        .file("plan/T-1.md", task("todo"));
    t.git(&["init", "-q"]);
    commit(&t, "2027-01-04");
    let t = t.file("plan/T-1.md", task("doing"));
    commit(&t, "2027-01-05");
    let t = t.file("plan/T-1.md", task("done"));
    commit(&t, "2027-01-12");
    let out = t.run(&[
        "report",
        "metrics",
        "--format",
        "json",
        "--today",
        "2027-01-20",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    let items: Vec<&str> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["T-1"], "{doc:#}");
    assert_eq!(doc["items"][0]["cycle_time_days"], 7.0);
    assert_eq!(doc["burnup"][0]["goal"], "M-1", "{:#}", doc["burnup"]);
}
