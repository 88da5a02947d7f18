//! `cairn sprint plan` (SPEC §6): filling a sprint to capacity in rank order, dependencies and
//! readiness, already committed points, `--write`, and the DSDM Must limit in `sprint plan` and
//! `check` (`moscow-balance`).

mod common;
use common::{no_panic, story, Test};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Sprint plan

const SPRINTS: &str = "sprints:
  - { name: 2027-S1, start: 2027-01-04, end: 2027-01-15, capacity: 10 }
  - { name: 2027-S2, start: 2027-01-18, end: 2027-01-29, capacity: 10 }
  - { name: 2027-S3, start: 2027-02-01, end: 2027-02-12 }
";

/// A story with an estimate and extra lines.
fn est(t: Test, id: &str, estimate: &str, extra: &str) -> Test {
    story(t, id, &format!("estimate: {estimate}\n{extra}"))
}

fn sprint_json(t: &Test, args: &[&str]) -> Value {
    let mut all = vec!["sprint", "plan", "--format", "json"];
    all.extend_from_slice(args);
    let out = t.run(&all);
    assert_eq!(out.code, 0, "sprint plan {args:?} failed:\n{}", out.stderr);
    out.json()
}

fn planned(doc: &Value) -> Vec<String> {
    doc["planned"]
        .as_array()
        .unwrap_or_else(|| panic!("no planned array: {doc}"))
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

fn skipped(doc: &Value) -> Vec<(String, String)> {
    doc["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn sprint_plan_fills_to_capacity_in_rank_order() {
    let t = Test::new().config(SPRINTS);
    let t = est(t, "S-1", "5", "moscow: must\n");
    let t = est(t, "S-2", "3", "moscow: should\n");
    let t = est(t, "S-3", "4", "moscow: could\n");
    let t = est(t, "S-4", "2", "");
    let doc = sprint_json(&t, &["2027-S1"]);
    assert_eq!(planned(&doc), ["S-1", "S-2", "S-4"]);
    assert_eq!(skipped(&doc), pairs(&[("S-3", "needs 4 points, 2 left")]));
    assert_eq!(doc["remaining"], json!(0.0));
    assert_eq!(doc["capacity"], json!(10.0));
    assert_eq!(doc["already_committed"], json!(0.0));
}

#[test]
fn sprint_plan_json_has_exactly_the_documented_keys() {
    let t = est(Test::new().config(SPRINTS), "S-1", "3", "moscow: should\n");
    let t = story(t, "S-2", "");
    let doc = sprint_json(&t, &["2027-S1"]);
    assert_eq!(
        doc,
        json!({
            "version": 1, "sprint": "2027-S1", "capacity": 10.0, "already_committed": 0.0,
            "planned": [{"id": "S-1", "estimate": 3.0}],
            "skipped": [{"id": "S-2", "reason": "no estimate"}],
            "remaining": 7.0, "must_share": 0.0, "warnings": []
        })
    );
    // Nothing estimated at all: no share to speak of.
    let doc = sprint_json(&story(Test::new().config(SPRINTS), "S-1", ""), &["2027-S1"]);
    assert_eq!(doc["must_share"], Value::Null);
    assert!(!doc.to_string().contains("-0.0"), "{doc}");
}

#[test]
fn sprint_plan_skips_stories_whose_dependency_is_not_planned() {
    let t = Test::new().config(SPRINTS);
    // S-1 depends on S-2, which has no estimate and so cannot be planned.
    let t = est(t, "S-1", "2", "moscow: must\ndepends_on: [S-2]\n");
    let t = story(t, "S-2", "moscow: must\n");
    // S-3 depends on S-4, planned earlier in the same run (pulled up before S-3).
    let t = est(t, "S-3", "2", "moscow: should\ndepends_on: [S-4]\n");
    let t = est(t, "S-4", "1", "moscow: could\n");
    // S-5 depends on S-6, already in the earlier sprint 2027-S1.
    let t = est(t, "S-5", "1", "moscow: should\ndepends_on: [S-6]\n");
    let t = est(t, "S-6", "1", "sprint: 2027-S1\n");
    // S-7 depends on S-8, in the later sprint 2027-S3.
    let t = est(t, "S-7", "1", "moscow: should\ndepends_on: [S-8]\n");
    let t = est(t, "S-8", "1", "sprint: 2027-S3\n");
    // S-9 depends on S-10, done; S-11 on S-12, in progress outside any sprint.
    let t = est(t, "S-9", "1", "moscow: should\ndepends_on: [S-10]\n");
    let t = t.item("S-10", "title: Done\nstatus: done\nestimate: 1\n", "");
    let t = est(t, "S-11", "1", "moscow: should\ndepends_on: [S-12]\n");
    let t = t.item(
        "S-12",
        "title: Doing\nstatus: in-progress\nestimate: 1\n",
        "",
    );
    let doc = sprint_json(&t, &["2027-S2"]);
    assert_eq!(planned(&doc), ["S-4", "S-3", "S-5", "S-9"]);
    assert_eq!(
        skipped(&doc),
        pairs(&[
            ("S-2", "no estimate"),
            (
                "S-1",
                "depends on S-2 (draft), not done or planned by this sprint"
            ),
            (
                "S-7",
                "depends on S-8 (draft), not done or planned by this sprint"
            ),
            (
                "S-11",
                "depends on S-12 (in-progress), not done or planned by this sprint"
            ),
        ])
    );

    // A dependency committed to the sprint being planned counts as planned by it.
    let doc = sprint_json(&t, &["2027-S3", "--capacity", "20"]);
    assert!(planned(&doc).contains(&"S-7".to_string()), "{doc}");
}

#[test]
fn sprint_plan_put_wont_stories_into_the_sprint() {
    // SPEC §6: a story whose class, own or inherited, is `wont` is skipped "won't have this time",
    // unless `--include-wont`; it used to be planned like any other when capacity was left.
    let t = Test::new().config(SPRINTS);
    let t = t.item("G-1", "title: Later\nstatus: proposed\nmoscow: wont\n", "");
    let t = est(t, "S-1", "2", "moscow: should\n");
    let t = est(t, "S-2", "2", "moscow: wont\n");
    let t = est(t, "S-3", "2", "goal: G-1\n");
    // Its own class wins over the goal's.
    let t = est(t, "S-4", "2", "goal: G-1\nmoscow: could\n");
    // A story that needs a Won't one waits for it, and says why.
    let t = est(t, "S-5", "1", "moscow: must\ndepends_on: [S-2]\n");
    let doc = sprint_json(&t, &["2027-S1"]);
    assert_eq!(planned(&doc), ["S-1", "S-4"]);
    assert_eq!(
        skipped(&doc),
        pairs(&[
            ("S-2", "won't have this time"),
            (
                "S-5",
                "depends on S-2 (draft, won't have), not done or planned by this sprint"
            ),
            ("S-3", "won't have this time (inherited from G-1)"),
        ])
    );
    assert_eq!(doc["remaining"], json!(6.0));

    let doc = sprint_json(&t, &["2027-S1", "--include-wont"]);
    assert_eq!(planned(&doc), ["S-2", "S-5", "S-1", "S-4", "S-3"]);
    assert_eq!(skipped(&doc), pairs(&[]));

    let out = t.run(&["sprint", "plan", "2027-S1"]);
    assert!(
        out.stdout
            .contains("  S-3      won't have this time (inherited from G-1)\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn sprint_plan_capacity_flag_overrides_the_config() {
    let t = Test::new().config(SPRINTS);
    let t = est(t, "S-1", "8", "");
    let t = est(t, "S-2", "8", "");
    assert_eq!(planned(&sprint_json(&t, &["2027-S1"])), ["S-1"]);
    let doc = sprint_json(&t, &["2027-S1", "--capacity", "16"]);
    assert_eq!(planned(&doc), ["S-1", "S-2"]);
    assert_eq!(doc["capacity"], json!(16.0));
    assert_eq!(doc["remaining"], json!(0.0));
    // A sprint without a configured capacity takes the flag.
    let doc = sprint_json(&t, &["2027-S3", "--capacity", "8.5"]);
    assert_eq!(planned(&doc), ["S-1"]);
    assert_eq!(doc["remaining"], json!(0.5));
}

#[test]
fn sprint_plan_require_ready_takes_only_ready_stories() {
    let t = Test::new().config(SPRINTS);
    let t = est(t, "S-1", "2", "");
    let t = t.item(
        "S-2",
        "title: Ready\nstatus: ready\nestimate: 2\n",
        "## Acceptance criteria\n- [ ] Works\n",
    );
    assert_eq!(planned(&sprint_json(&t, &["2027-S1"])), ["S-1", "S-2"]);
    let doc = sprint_json(&t, &["2027-S1", "--require-ready"]);
    assert_eq!(planned(&doc), ["S-2"]);
    assert_eq!(
        skipped(&doc),
        pairs(&[("S-1", "status is `draft`, not `ready`")])
    );
}

#[test]
fn sprint_plan_counts_already_committed_points() {
    let t = Test::new().config(SPRINTS);
    let t = t.item(
        "S-1",
        "title: Committed\nstatus: in-progress\nestimate: 4\nsprint: 2027-S1\n",
        "",
    );
    let t = t.item(
        "S-2",
        "title: Done\nstatus: done\nestimate: 3\nsprint: 2027-S1\n",
        "",
    );
    let t = t.item(
        "S-3",
        "title: Dropped\nstatus: dropped\nestimate: 5\nsprint: 2027-S1\n",
        "",
    );
    let t = est(t, "S-4", "2", "");
    let t = est(t, "S-5", "2", "");
    let doc = sprint_json(&t, &["2027-S1"]);
    assert_eq!(
        doc["already_committed"],
        json!(7.0),
        "in progress and done count, dropped does not"
    );
    assert_eq!(planned(&doc), ["S-4"]);
    assert_eq!(skipped(&doc), pairs(&[("S-5", "needs 2 points, 1 left")]));
    assert_eq!(doc["remaining"], json!(1.0));
}

#[test]
fn sprint_plan_picks_the_next_sprint_after_today() {
    let t = est(Test::new().config(SPRINTS), "S-1", "1", "");
    assert_eq!(
        sprint_json(&t, &["--today", "2027-01-01"])["sprint"],
        "2027-S1"
    );
    assert_eq!(
        sprint_json(&t, &["--today", "2027-01-04"])["sprint"],
        "2027-S2",
        "S1 has started"
    );
    assert_eq!(
        sprint_json(&t, &["--today", "2027-01-10"])["sprint"],
        "2027-S2"
    );
    let out = t.run(&["sprint", "plan", "--today", "2027-01-20"]);
    assert_eq!(out.code, 2, "2027-S3 has no capacity: {}", out.stdout);
    let out = t.run(&[
        "sprint",
        "plan",
        "--today",
        "2027-01-20",
        "--capacity",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(out.json()["sprint"], "2027-S3");
    let out = t.run(&["sprint", "plan", "--today", "2027-03-01"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no upcoming sprint"), "{}", out.stderr);
    no_panic(&out);
}

#[test]
fn sprint_plan_errors_exit_2_with_a_reason() {
    let t = est(Test::new().config(SPRINTS), "S-1", "1", "");
    let out = t.run(&["sprint", "plan", "2027-S4"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("sprint `2027-S4` is not configured"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `2027-S"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
    no_panic(&out);

    let out = t.run(&["sprint", "plan", "2027-S3"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("has no capacity"), "{}", out.stderr);
    assert!(out.stderr.contains("--capacity"), "{}", out.stderr);

    let out = t.run(&["sprint", "plan", "2027-S1", "--capacity", "lots"]);
    assert_eq!(out.code, 2);
    no_panic(&out);
}

#[test]
fn sprint_plan_human_output() {
    let t = Test::new().config(SPRINTS);
    let t = t.item(
        "S-1",
        "title: Committed\nstatus: in-progress\nestimate: 4\nsprint: 2027-S1\n",
        "",
    );
    let t = est(t, "S-2", "3", "moscow: should\n");
    let t = est(t, "S-3", "5", "");
    let t = story(t, "S-4", "");
    let out = t.run(&["sprint", "plan", "2027-S1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "sprint 2027-S1: capacity 10, already committed 4, planned 3, remaining 3\n\
         \n\
         planned:\n\
         \x20 S-2         3 pts\n\
         \n\
         skipped:\n\
         \x20 S-3      needs 5 points, 3 left\n\
         \x20 S-4      no estimate\n\
         \n\
         run again with --write to set `sprint:` in these files\n"
    );
}

#[test]
fn sprint_plan_write_changes_only_the_sprint_line_of_planned_files() {
    let crlf = "---\r\nid: S-1\r\ntitle: \"Export: CSV\"   # quoted, with a comment\r\nstatus: draft\r\nestimate: 3\r\nmoscow: must\r\ntags: ['a',   \"b\"]\r\n---\r\nAs a user, I can export.\r\n";
    let empty_sprint = "---\nid: S-2\n# the sprint is decided at planning\nsprint:\ntitle: 'Import'\nstatus: draft\nestimate: 2\nmoscow: should\n---\nBody\n";
    let skipped_file = "---\nid: S-3\ntitle: Too big\nstatus: draft\nestimate: 20\n---\n";
    let elsewhere =
        "---\nid: S-4\ntitle: Elsewhere\nstatus: draft\nestimate: 1\nsprint: 2027-S2\n---\n";
    let goal = "---\nid: G-1\ntitle: Goal\nstatus: active\n---\n";
    let t = Test::new()
        .config(SPRINTS)
        .file("plan/S-1.md", crlf)
        .file("plan/S-2.md", empty_sprint)
        .file("plan/S-3.md", skipped_file)
        .file("plan/S-4.md", elsewhere)
        .file("plan/G-1.md", goal);
    let config_before = t.read("cairn.yaml");

    let out = t.run(&["sprint", "plan", "2027-S1", "--write"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("planned (written):"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("run again with --write"),
        "{}",
        out.stdout
    );

    let bytes = |rel: &str| std::fs::read(t.path().join(rel)).unwrap();
    assert_eq!(
        String::from_utf8(bytes("plan/S-1.md")).unwrap(),
        crlf.replace(
            "tags: ['a',   \"b\"]\r\n",
            "tags: ['a',   \"b\"]\r\nsprint: 2027-S1\r\n"
        ),
        "the sprint line is added with the file's CRLF, everything else kept"
    );
    assert_eq!(
        String::from_utf8(bytes("plan/S-2.md")).unwrap(),
        empty_sprint.replace("sprint:\n", "sprint: 2027-S1\n"),
        "the empty sprint line is filled in place"
    );
    assert_eq!(bytes("plan/S-3.md"), skipped_file.as_bytes());
    assert_eq!(bytes("plan/S-4.md"), elsewhere.as_bytes());
    assert_eq!(bytes("plan/G-1.md"), goal.as_bytes());
    assert_eq!(t.read("cairn.yaml"), config_before);

    // The written plan reads back: the stories are committed, so a second run plans nothing new.
    let doc = sprint_json(&t, &["2027-S1"]);
    assert_eq!(doc["already_committed"], json!(5.0));
    assert_eq!(planned(&doc), Vec::<String>::new());
    assert_eq!(t.check().code, 0);
}

#[test]
fn sprint_plan_write_is_refused_with_staged_or_rev() {
    let t = est(Test::new().config(SPRINTS), "S-1", "1", "");
    let out = t.run(&["sprint", "plan", "2027-S1", "--write", "--staged"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        t.read("plan/S-1.md"),
        "---\nid: S-1\ntitle: Story S-1\nstatus: draft\nestimate: 1\n---\n"
    );
}

// ---------------------------------------------------------------------------------------------
// The DSDM Must limit

/// Sprint 2027-S1 holds `must` points of Must work and `other` points of Should work, under a
/// goal so that `check` has nothing else to say.
fn musts(must: &str, other: &str) -> Test {
    let t = Test::new().config(SPRINTS).goal("G-1");
    let t = t.item("S-1", &format!("title: Must\nstatus: draft\ngoal: G-1\nestimate: {must}\nmoscow: must\nsprint: 2027-S1\n"), "");
    t.item("S-2", &format!("title: Should\nstatus: draft\ngoal: G-1\nestimate: {other}\nmoscow: should\nsprint: 2027-S1\n"), "")
}

#[test]
fn sprint_plan_warns_when_musts_exceed_the_limit() {
    // 4 committed Must points, then a 3-point Must story planned: 7 of 10 points are Must.
    let t = musts("4", "3");
    let t = est(t, "S-3", "3", "moscow: must\n");
    let doc = sprint_json(&t, &["2027-S1"]);
    assert_eq!(planned(&doc), ["S-3"]);
    assert_eq!(doc["must_share"], json!(0.7));
    assert_eq!(
        doc["warnings"],
        json!(["70% of sprint 2027-S1's points are Must items, over the 60% limit: DSDM keeps Musts at or under 60% so that Should and Could work is the contingency"])
    );
    let out = t.run(&["sprint", "plan", "2027-S1"]);
    assert!(
        out.stdout
            .contains("\nwarning: 70% of sprint 2027-S1's points are Must items"),
        "{}",
        out.stdout
    );

    // At the limit is fine; a configured limit moves it.
    let t = est(musts("3", "4"), "S-3", "3", "moscow: must\n");
    let doc = sprint_json(&t, &["2027-S1"]);
    assert_eq!(doc["must_share"], json!(0.6));
    assert_eq!(doc["warnings"], json!([]));
    let t = t.config(&format!("{SPRINTS}planning:\n  must_limit: 50%\n"));
    assert_eq!(
        sprint_json(&t, &["2027-S1"])["warnings"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let t = t.config(&format!("{SPRINTS}planning:\n  must_limit: 0.75\n"));
    let out = t.run(&["sprint", "plan", "2027-S1"]);
    assert!(!out.stdout.contains("warning:"), "{}", out.stdout);
}

#[test]
fn moscow_balance_is_reported_by_check_at_the_sprint() {
    let t = musts("7", "3");
    let out = t.check();
    assert_eq!(out.code, 0, "a warning, not an error");
    assert_eq!(
        out.findings(),
        [(
            "moscow-balance".to_string(),
            "cairn.yaml".to_string(),
            2,
            13
        )]
    );
    let d = &out.json()["diagnostics"][0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(
        d["message"],
        "70% of sprint 2027-S1's points are Must items, over the 60% limit: DSDM keeps Musts at or under 60% so that Should and Could work is the contingency"
    );
    assert!(
        d["help"].as_str().unwrap().contains("planning.must_limit"),
        "{d}"
    );

    // Musts inherited from the goal count too.
    let t = Test::new()
        .config(SPRINTS)
        .item("G-1", "title: Goal\nstatus: active\nmoscow: must\n", "")
        .item(
            "S-1",
            "title: A\nstatus: draft\ngoal: G-1\nestimate: 5\nsprint: 2027-S2\n",
            "",
        );
    assert_eq!(t.check().rules(), ["moscow-balance"]);
    // The level is configurable.
    let t = t.config(&format!("{SPRINTS}rules:\n  moscow-balance: off\n"));
    assert_eq!(t.check().rules(), Vec::<String>::new());
}

#[test]
fn moscow_balance_near_misses() {
    // At the limit, and under it.
    assert_eq!(musts("6", "4").check().rules(), Vec::<String>::new());
    assert_eq!(musts("1", "9").check().rules(), Vec::<String>::new());
    // A raised limit.
    let t = musts("7", "3").config(&format!("{SPRINTS}planning:\n  must_limit: 70%\n"));
    assert_eq!(t.check().rules(), Vec::<String>::new());
    // A finished sprint is history: all its stories done (or dropped).
    let t = Test::new()
        .config(SPRINTS)
        .item("G-1", "title: Goal\nstatus: achieved\n", "")
        .item("S-1", "title: Must\nstatus: done\ngoal: G-1\nestimate: 9\nmoscow: must\nsprint: 2027-S1\n", "")
        .item("S-2", "title: Dropped\nstatus: dropped\ngoal: G-1\nestimate: 9\nmoscow: must\nsprint: 2027-S1\n", "")
        .item("S-3", "title: Should\nstatus: done\ngoal: G-1\nestimate: 1\nmoscow: should\nsprint: 2027-S1\n", "");
    assert_eq!(t.check().rules(), Vec::<String>::new());
    // Dropped Musts do not count in an open sprint either.
    let t = musts("3", "7").item(
        "S-3",
        "title: Dropped\nstatus: dropped\ngoal: G-1\nestimate: 20\nmoscow: must\nsprint: 2027-S1\n",
        "",
    );
    assert_eq!(t.check().rules(), Vec::<String>::new());
}

#[test]
fn must_limit_must_be_a_share() {
    for bad in ["150%", "-1", "lots", "[60%]"] {
        let t = musts("1", "1").config(&format!("planning:\n  must_limit: {bad}\n"));
        let out = t.run(&["check"]);
        assert_eq!(out.code, 2, "{bad}: {}", out.stdout);
        assert!(
            out.stderr.contains("cairn.yaml:2:15"),
            "{bad}: {}",
            out.stderr
        );
        no_panic(&out);
    }
    let out = musts("1", "1")
        .config("planning:\n  must_limt: 50%\n")
        .run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `must_limit`?"),
        "{}",
        out.stderr
    );
    let out = musts("1", "1")
        .config("planing:\n  must_limit: 50%\n")
        .run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `planning`?"),
        "{}",
        out.stderr
    );
}
