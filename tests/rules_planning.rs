//! One positive and one near-miss negative test for each planning rule of `cairn check`
//! (SPEC §4): `unknown-sprint`, `unknown-field`, `orphan-story`, `status-conflict`, `not-ready`,
//! `over-capacity` and `empty-goal`. Positions as in tests/rules.rs.

mod common;
use common::findings::*;
use common::Test;

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
