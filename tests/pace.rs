//! The team's pace, read from git, where planning meets it: aging work in progress in the sprint
//! report and `cairn sprint plan --capacity auto`.

mod common;
use common::Test;
use serde_json::Value;

fn story(id: &str, status: &str, extra: &str) -> String {
    format!("---\nid: {id}\ntitle: Story {id}\nstatus: {status}\n{extra}---\nAs a user, I can.\n\n## Acceptance criteria\n- [ ] it works\n")
}

const SPRINTS: &str = "sprints:
  - { name: S1, start: 2027-01-04, end: 2027-01-15, capacity: 20 }
  - { name: S2, start: 2027-01-18, end: 2027-01-29, capacity: 20 }
  - { name: S3, start: 2027-02-01, end: 2027-02-12, capacity: 20 }
  - { name: S4, start: 2027-02-15, end: 2027-02-26, capacity: 20 }
  - { name: S5, start: 2027-03-01, end: 2027-03-12 }
";

/// Writes `plan/ID.md` and commits everything on `date`.
fn set(t: Test, id: &str, status: &str, extra: &str, date: &str) -> Test {
    let t = t.file(&format!("plan/{id}.md"), story(id, status, extra));
    t.git(&["add", "-A"]);
    common::commit_at(t.path(), date, &format!("{id} {status}"));
    t
}

/// Four stories with cycle times of 1, 2, 3 and 10 days (in progress on 2027-01-04, done on the
/// 5th, 6th, 7th and 14th), and two stories in progress in sprint S2 since 2027-01-18 and
/// 2027-01-27.
fn aging_repo() -> Test {
    let t = Test::new().file("cairn.yaml", SPRINTS).file(
        "plan/G-1.md",
        "---\nid: G-1\ntitle: Goal\nstatus: active\n---\n",
    );
    let mut t = t;
    t.git(&["init", "-q"]);
    for n in 1..=4 {
        t = t.file(
            &format!("plan/S-{n}.md"),
            story(
                &format!("S-{n}"),
                "draft",
                "goal: G-1\nestimate: 3\nsprint: S1\n",
            ),
        );
    }
    t.git(&["add", "-A"]);
    common::commit_at(t.path(), "2027-01-03", "plan");
    for n in 1..=4 {
        let id = format!("S-{n}");
        t = set(
            t,
            &id,
            "in-progress",
            "goal: G-1\nestimate: 3\nsprint: S1\n",
            "2027-01-04",
        );
    }
    for (n, day) in [(1, "05"), (2, "06"), (3, "07"), (4, "14")] {
        let id = format!("S-{n}");
        t = set(
            t,
            &id,
            "done",
            "goal: G-1\nestimate: 3\nsprint: S1\n",
            &format!("2027-01-{day}"),
        );
    }
    let t = set(
        t,
        "S-5",
        "in-progress",
        "goal: G-1\nestimate: 2\nsprint: S2\n",
        "2027-01-18",
    );
    set(
        t,
        "S-6",
        "in-progress",
        "goal: G-1\nestimate: 2\nsprint: S2\n",
        "2027-01-27",
    )
}

#[test]
fn the_sprint_report_flags_work_in_progress_older_than_the_85th_percentile_cycle_time() {
    let t = aging_repo();
    // Cycle times 1, 2, 3, 10 days: the 85th percentile by linear interpolation is at rank
    // 0.85 × 3 = 2.55, between 3 and 10: 3 + 0.55 × 7 = 6.85 days. On 2027-01-28 (the end of that
    // day), S-5 has been in progress 10.58 days (since 10:00 on the 18th): aging; S-6 1.58: not.
    let out = t.run(&[
        "report",
        "sprint",
        "S2",
        "--format",
        "json",
        "--today",
        "2027-01-28",
    ]);
    common::ok(&out);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["aging"]["p85_cycle_days"], 6.85);
    assert_eq!(doc["aging"]["finished"], 4);
    let aging = doc["aging"]["stories"].as_array().unwrap();
    assert_eq!(aging.len(), 1, "{aging:?}");
    assert_eq!(aging[0]["id"], "S-5");
    assert_eq!(aging[0]["age_days"], 10.58);
    let risk = doc["at_risk"].as_array().unwrap();
    let s5 = risk.iter().find(|r| r["id"] == "S-5").expect("S-5 at risk");
    assert!(s5["reasons"][0].as_str().unwrap().contains(
        "in progress for 10.58 days, longer than 85 % of finished stories took (6.85 days)"
    ));
    assert!(risk.iter().all(|r| r["id"] != "S-6"), "{risk:?}");

    let md = t.run(&["report", "sprint", "S2", "--today", "2027-01-28"]);
    common::ok(&md);
    assert!(md.stdout.contains("Aging work in progress: 1 in-progress story has been in progress longer than 6.85 days, the time 85 % of the 4 finished stories in the history took."), "{}", md.stdout);
    let html = t.run(&[
        "report",
        "sprint",
        "S2",
        "--format",
        "html",
        "--today",
        "2027-01-28",
    ]);
    common::ok(&html);
    assert!(html.stdout.contains("in progress for 10.58 days"));
}

#[test]
fn without_history_the_sprint_report_has_no_aging() {
    let t = Test::new().file("cairn.yaml", SPRINTS).file(
        "plan/S-1.md",
        story("S-1", "in-progress", "estimate: 2\nsprint: S2\n"),
    );
    let out = t.run(&[
        "report",
        "sprint",
        "S2",
        "--format",
        "json",
        "--today",
        "2027-01-28",
    ]);
    common::ok(&out);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["aging"], Value::Null);
}

/// Sprints S1–S4 finished 6, 9, 12 and 15 points by their ends; S3 has one more story of 4
/// points done only after it ended (on 2027-02-20), which does not count for S3.
fn capacity_repo() -> Test {
    let mut t = Test::new().file("cairn.yaml", SPRINTS);
    t.git(&["init", "-q"]);
    let plan: [(&str, &str, f64, &str); 9] = [
        ("S-1", "S1", 6.0, "2027-01-14"),
        ("S-2", "S2", 4.0, "2027-01-20"),
        ("S-3", "S2", 5.0, "2027-01-29"),
        ("S-4", "S3", 12.0, "2027-02-10"),
        ("S-5", "S3", 4.0, "2027-02-20"),
        ("S-6", "S4", 7.0, "2027-02-16"),
        ("S-7", "S4", 8.0, "2027-02-25"),
        ("S-8", "S5", 3.0, ""),
        ("S-9", "", 5.0, ""),
    ];
    for (id, sprint, est, _) in plan {
        let extra = if sprint.is_empty() {
            format!("estimate: {est}\n")
        } else {
            format!("estimate: {est}\nsprint: {sprint}\n")
        };
        t = t.file(&format!("plan/{id}.md"), story(id, "ready", &extra));
    }
    t.git(&["add", "-A"]);
    common::commit_at(t.path(), "2027-01-03", "plan");
    let mut done: Vec<_> = plan.iter().filter(|p| !p.3.is_empty()).collect();
    done.sort_by_key(|p| p.3);
    for (id, sprint, est, day) in done {
        t = set(
            t,
            id,
            "done",
            &format!("estimate: {est}\nsprint: {sprint}\n"),
            day,
        );
    }
    t
}

#[test]
fn capacity_auto_is_the_median_of_the_last_three_sprints_points_done_by_their_ends() {
    let t = capacity_repo();
    // Past sprints before S5 (all ended by 2027-02-28): S1 6, S2 9, S3 12 (S-5 came late), S4 15.
    // The last three: 9, 12, 15; median 12.
    let out = t.run(&[
        "sprint",
        "plan",
        "S5",
        "--capacity",
        "auto",
        "--format",
        "json",
        "--today",
        "2027-02-28",
    ]);
    common::ok(&out);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let auto = &doc["capacity_auto"];
    assert_eq!(auto["capacity"], 12.0);
    assert_eq!(auto["statistic"], "median of the last 3 sprints");
    let names: Vec<&str> = auto["sprints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["S2", "S3", "S4"]);
    assert_eq!(auto["sprints"][1]["done"], 12.0);
    assert_eq!(auto["sprints"][1]["stories"], 1);
    assert_eq!(auto["sprints"][1]["done_by"], "end");
    assert_eq!(doc["capacity"], 12.0);
    // S-8 (3, already in S5) leaves 9: S-9 (5) fits.
    assert_eq!(doc["already_committed"], 3.0);
    assert_eq!(doc["planned"][0]["id"], "S-9");

    let table = t.run(&[
        "sprint",
        "plan",
        "S5",
        "--capacity",
        "auto",
        "--today",
        "2027-02-28",
    ]);
    common::ok(&table);
    assert!(table.stdout.starts_with(
        "capacity auto: median of the last 3 sprints = 12 (S2 9 pts done by its end (2 stories), S3 12 pts done by its end (1 story), S4 15 pts done by its end (2 stories))\n"
    ), "{}", table.stdout);
    assert!(table.stdout.contains("sprint S5: capacity 12,"));
}

#[test]
fn capacity_auto_only_counts_sprints_that_have_ended() {
    let t = capacity_repo();
    // On 2027-02-20 S4 is still running: S1, S2, S3 are measured (6, 9, 12): median 9.
    let out = t.run(&[
        "sprint",
        "plan",
        "S5",
        "--capacity",
        "auto",
        "--format",
        "json",
        "--today",
        "2027-02-20",
    ]);
    common::ok(&out);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["capacity_auto"]["capacity"], 9.0);
    assert_eq!(doc["capacity_auto"]["sprints"][0]["name"], "S1");
}

#[test]
fn capacity_auto_without_history_counts_what_is_done_now() {
    let t = Test::new()
        .file("cairn.yaml", SPRINTS)
        .file(
            "plan/S-1.md",
            story("S-1", "done", "estimate: 5\nsprint: S1\n"),
        )
        .file(
            "plan/S-2.md",
            story("S-2", "done", "estimate: 8\nsprint: S2\n"),
        )
        .file("plan/S-3.md", story("S-3", "ready", "estimate: 3\n"));
    let out = t.run(&[
        "sprint",
        "plan",
        "S3",
        "--capacity",
        "auto",
        "--format",
        "json",
        "--today",
        "2027-01-31",
    ]);
    common::ok(&out);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["capacity_auto"]["capacity"], 6.5);
    assert_eq!(
        doc["capacity_auto"]["statistic"],
        "median of the last 2 sprints"
    );
    assert_eq!(doc["capacity_auto"]["sprints"][0]["done_by"], "now");
}

#[test]
fn capacity_auto_with_no_past_sprint_says_so_and_a_bad_capacity_is_refused() {
    let t = Test::new()
        .file("cairn.yaml", SPRINTS)
        .file("plan/S-1.md", story("S-1", "ready", "estimate: 3\n"));
    let out = t.run(&[
        "sprint",
        "plan",
        "S1",
        "--capacity",
        "auto",
        "--today",
        "2027-01-01",
    ]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("none comes before `S1`"),
        "{}",
        out.stderr
    );
    let bad = t.run(&["sprint", "plan", "S1", "--capacity", "lots"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("expected a number of points (0 or more) or `auto`"),
        "{}",
        bad.stderr
    );
}
