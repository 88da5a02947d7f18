//! History from git: `cairn report metrics` and `cairn stale`, on repositories built here with
//! fixed commit dates, against figures computed by hand.

mod common;
use common::Test;
use serde_json::Value;

/// Writes one file and commits it at `date`.
fn change(t: Test, path: &str, text: impl AsRef<[u8]>, date: &str, message: &str) -> Test {
    let t = t.file(path, text);
    common::commit_at(t.path(), date, message);
    t
}

/// One commit of a scripted history: the file written, its new text, the date and the message.
type Step<'a> = (&'a str, String, &'a str, &'a str);

/// Makes each step's commit in turn.
fn changes(t: Test, steps: &[Step]) -> Test {
    steps.iter().fold(t, |t, (path, text, date, message)| {
        change(t, path, text, date, message)
    })
}

fn story(id: &str, status: &str, estimate: u32) -> String {
    format!("---\nid: {id}\ntitle: Story {id}\nstatus: {status}\ngoal: G-1\nestimate: {estimate}\n---\nAs a user, I can.\n")
}

const GOAL: &str = "---\nid: G-1\ntitle: The goal\nstatus: active\n---\nWhy.\n";

/// S-1: todo 01-04, doing 01-05, done 01-08. S-2: todo 01-04, doing 01-06, renamed 01-11, done 01-13.
/// S-3: todo 01-04, doing 01-12, still in progress.
fn repo() -> Test {
    let t = Test::new()
        .config("sprints:\n  - { name: S1, start: 2027-01-04, end: 2027-01-08, capacity: 20 }\n  - { name: S2, start: 2027-01-11, end: 2027-01-15, capacity: 20 }\n")
        .file("plan/G-1.md", GOAL)
        .file("plan/S-1.md", story("S-1", "draft", 3))
        .file("plan/S-2.md", story("S-2", "draft", 5))
        .file("plan/S-3.md", story("S-3", "draft", 8));
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    common::commit_at(t.path(), "2027-01-04", "plan");
    let t = changes(
        t,
        &[
            (
                "plan/S-1.md",
                story("S-1", "in-progress", 3),
                "2027-01-05",
                "start S-1",
            ),
            (
                "plan/S-2.md",
                story("S-2", "in-progress", 5),
                "2027-01-06",
                "start S-2",
            ),
            (
                "plan/S-1.md",
                story("S-1", "done", 3),
                "2027-01-08",
                "finish S-1",
            ),
        ],
    );
    t.git(&["mv", "plan/S-2.md", "plan/S-2-renamed.md"]);
    common::commit_at(t.path(), "2027-01-11", "rename S-2");
    let t = change(
        t,
        "plan/S-3.md",
        story("S-3", "in-progress", 8),
        "2027-01-12",
        "start S-3",
    );
    change(
        t,
        "plan/S-2-renamed.md",
        story("S-2", "done", 5),
        "2027-01-13",
        "finish S-2",
    )
}

fn metrics(t: &Test, extra: &[&str]) -> Value {
    let mut args = vec![
        "report",
        "metrics",
        "--format",
        "json",
        "--today",
        "2027-01-20",
    ];
    args.extend(extra);
    let out = t.run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()
}

fn item<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap()
}

#[test]
fn entered_each_category_at_the_commit_that_shows_it() {
    let doc = metrics(&repo(), &[]);
    let s2 = item(&doc, "S-2");
    assert_eq!(s2["entered"]["todo"], "2027-01-04T10:00:00Z");
    assert_eq!(s2["entered"]["doing"], "2027-01-06T10:00:00Z");
    assert_eq!(
        s2["entered"]["done"], "2027-01-13T10:00:00Z",
        "a rename keeps the item's history"
    );
    assert_eq!(s2["entered"]["dropped"], Value::Null);
    assert_eq!(s2["cycle_time_days"], 7.0);
    assert_eq!(s2["lead_time_days"], 9.0);
    let s3 = item(&doc, "S-3");
    assert_eq!(s3["cycle_time_days"], Value::Null);
    // In progress since 01-12 10:00, measured at the end of 01-20.
    assert_eq!(s3["age_days"], 8.58);
}

#[test]
fn cycle_and_lead_time_median_and_85th_percentile() {
    let doc = metrics(&repo(), &[]);
    // Cycle: S-1 3 d, S-2 7 d. Lead: S-1 4 d, S-2 9 d. Linear interpolation between ranks.
    assert_eq!(doc["cycle_time"]["median_days"], 5.0);
    assert_eq!(doc["cycle_time"]["p85_days"], 6.4);
    assert_eq!(doc["lead_time"]["median_days"], 6.5);
    assert_eq!(doc["lead_time"]["p85_days"], 8.25);
    assert_eq!(doc["cycle_time"]["count"], 2);
}

#[test]
fn throughput_velocity_and_flow_by_iso_week() {
    let doc = metrics(&repo(), &[]);
    assert_eq!(
        doc["throughput"],
        serde_json::json!([{"week": "2027-W01", "done": 1}, {"week": "2027-W02", "done": 1}])
    );
    // S1 (01-04..01-08) finished S-1 (3 points); S2 (01-11..01-15) finished S-2 (5 points).
    let v: Vec<f64> = doc["velocity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["points"].as_f64().unwrap())
        .collect();
    assert_eq!(v, [3.0, 5.0]);
    assert_eq!(doc["velocity_average_last_3"], 4.0);
    assert_eq!(
        doc["cfd"][0],
        serde_json::json!({"week": "2027-W01", "todo": 1, "doing": 1, "done": 1, "dropped": 0})
    );
    assert_eq!(
        doc["cfd"][1],
        serde_json::json!({"week": "2027-W02", "todo": 0, "doing": 1, "done": 2, "dropped": 0})
    );
    let burnup = &doc["burnup"][0];
    assert_eq!(burnup["goal"], "G-1");
    assert_eq!(
        burnup["points"][1],
        serde_json::json!({"week": "2027-W02", "scope": 16.0, "done": 8.0})
    );
}

#[test]
fn since_until_and_goal_filters() {
    let t = repo();
    let doc = metrics(&t, &["--since", "2027-01-11"]);
    // The walk still knows S-1 was done before; only what happens from 01-11 on is dated.
    assert_eq!(doc["throughput"].as_array().unwrap().len(), 1);
    let doc = metrics(&t, &["--until", "2027-01-08"]);
    assert_eq!(item(&doc, "S-2")["entered"]["done"], Value::Null);
    let doc = metrics(&t, &["--goal", "G-1"]);
    assert_eq!(doc["items"].as_array().unwrap().len(), 3);
    let out = t.run(&["report", "metrics", "--goal", "G-9"]);
    assert_eq!(out.code, 2);
}

#[test]
fn merges_follow_the_first_parent_unless_asked() {
    let t = repo();
    t.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
    let t = change(
        t,
        "plan/S-3.md",
        story("S-3", "done", 8),
        "2027-01-14",
        "finish S-3 on a branch",
    );
    t.git(&["checkout", "-q", "main"]);
    let stamp = "2027-01-15T10:00:00Z";
    let status = common::git_cmd(
        t.path(),
        &["merge", "-q", "--no-ff", "-m", "merge side", "side"],
    )
    .env("GIT_AUTHOR_DATE", stamp)
    .env("GIT_COMMITTER_DATE", stamp)
    .status()
    .unwrap();
    assert!(status.success());
    // First parent: S-3 is done when the merge lands on main.
    let doc = metrics(&t, &[]);
    assert_eq!(item(&doc, "S-3")["entered"]["done"], "2027-01-15T10:00:00Z");
    // All parents: the branch commit itself.
    let doc = metrics(&t, &["--all-parents"]);
    assert_eq!(item(&doc, "S-3")["entered"]["done"], "2027-01-14T10:00:00Z");
}

#[test]
fn shallow_clone_says_how_far_history_reaches() {
    let t = repo();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", t.path().display());
    let target = clone.path().join("c");
    let status = common::git_cmd(
        t.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "2",
            &url,
            target.to_str().unwrap(),
        ],
    )
    .status()
    .unwrap();
    assert!(status.success());
    let out = t.run_in(
        &clone.path().join("c"),
        &[
            "report",
            "metrics",
            "--format",
            "json",
            "--today",
            "2027-01-20",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["history"]["shallow"], true);
    assert_eq!(doc["history"]["commits"], 2);
    assert!(doc["history"]["note"]
        .as_str()
        .unwrap()
        .contains("shallow clone"));
}

#[test]
fn stale_when_the_goal_changes_after_the_story() {
    let t = repo();
    let t = change(
        t,
        "plan/G-1.md",
        format!("{GOAL}\n## Why now\nThe market moved.\n"),
        "2027-01-14",
        "rewrite the goal",
    );
    let out = t.run(&["stale", "--format", "json"]);
    let doc = out.json();
    // S-1 and S-2 are done (nothing to re-check); S-3 is open and older than the goal change.
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{doc}");
    assert_eq!(items[0]["id"], "S-3");
    assert_eq!(items[0]["parent"], "G-1");
    assert_eq!(items[0]["changed"], serde_json::json!(["body"]));
    // Off by default in check; on when configured, at the story's goal field.
    assert!(!t.check().rules().contains(&"stale-parent".to_string()));
    let config = format!("{}rules:\n  stale-parent: warn\n", t.read("cairn.yaml"));
    let t = change(t, "cairn.yaml", config, "2027-01-14", "turn the rule on");
    assert!(t
        .check()
        .findings()
        .contains(&("stale-parent".into(), "plan/S-3.md".into(), 5, 7)));
    // Touching the story clears it.
    let t = change(
        t,
        "plan/S-3.md",
        story("S-3", "in-progress", 13),
        "2027-01-15",
        "re-estimate S-3",
    );
    assert_eq!(
        t.run(&["stale", "--format", "json"]).json()["items"],
        serde_json::json!([])
    );
}

#[test]
fn a_status_only_change_of_the_goal_is_not_substance() {
    let t = repo();
    let t = change(
        t,
        "plan/G-1.md",
        GOAL.replace("active", "achieved"),
        "2027-01-14",
        "goal achieved",
    );
    assert_eq!(
        t.run(&["stale", "--format", "json"]).json()["items"],
        serde_json::json!([])
    );
}

#[test]
fn metrics_need_a_repository() {
    let t = Test::new().file("plan/G-1.md", GOAL);
    let out = t.run(&["report", "metrics"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("not inside a git repository"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_cache_gives_the_same_report_as_a_cold_run() {
    let t = repo();
    let cold = t.run(&[
        "report",
        "metrics",
        "--format",
        "json",
        "--today",
        "2027-01-20",
        "--no-cache",
    ]);
    assert!(!t.path().join(".git/cairn/history-cache.json").exists());
    let first = t.run(&[
        "report",
        "metrics",
        "--format",
        "json",
        "--today",
        "2027-01-20",
    ]);
    assert!(t.path().join(".git/cairn/history-cache.json").exists());
    let warm = t.run(&[
        "report",
        "metrics",
        "--format",
        "json",
        "--today",
        "2027-01-20",
    ]);
    assert_eq!(cold.stdout, first.stdout);
    assert_eq!(cold.stdout, warm.stdout);
    // A new commit extends the cached history correctly.
    let t = change(
        t,
        "plan/S-3.md",
        story("S-3", "done", 8),
        "2027-01-14",
        "finish S-3",
    );
    let cold = t.run(&[
        "report",
        "metrics",
        "--format",
        "json",
        "--today",
        "2027-01-20",
        "--no-cache",
    ]);
    let warm = t.run(&[
        "report",
        "metrics",
        "--format",
        "json",
        "--today",
        "2027-01-20",
    ]);
    assert_eq!(cold.stdout, warm.stdout);
    assert_eq!(
        item(&warm.json(), "S-3")["entered"]["done"],
        "2027-01-14T10:00:00Z"
    );
}

#[test]
fn sprint_report_burndown_from_history() {
    let story_in = |id: &str, status: &str, est: u32| {
        format!("---\nid: {id}\ntitle: Story {id}\nstatus: {status}\ngoal: G-1\nestimate: {est}\nsprint: S1\n---\nAs a user, I can.\n\n## Acceptance criteria\n- [ ] it works\n")
    };
    let t = Test::new()
        .config("sprints:\n  - { name: S1, start: 2027-01-04, end: 2027-01-08, capacity: 10 }\n")
        .file("plan/G-1.md", GOAL)
        .file("plan/S-1.md", story_in("S-1", "ready", 3))
        .file("plan/S-2.md", story_in("S-2", "ready", 5));
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    common::commit_at(t.path(), "2027-01-04", "plan the sprint");
    let t = changes(
        t,
        &[
            (
                "plan/S-1.md",
                story_in("S-1", "done", 3),
                "2027-01-05",
                "finish S-1",
            ),
            (
                "plan/S-2.md",
                story_in("S-2", "done", 5),
                "2027-01-07",
                "finish S-2",
            ),
        ],
    );
    let out = t.run(&[
        "report",
        "sprint",
        "S1",
        "--format",
        "json",
        "--today",
        "2027-01-06",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let remaining: Vec<Value> = out.json()["burndown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["remaining"].clone())
        .collect();
    // Today is 01-06: the later days have no figure yet (S-2 finished on 01-07 is in the future).
    assert_eq!(
        remaining,
        [8.0.into(), 5.0.into(), 5.0.into(), Value::Null, Value::Null]
    );
    let out = t.run(&[
        "report",
        "sprint",
        "S1",
        "--format",
        "json",
        "--today",
        "2027-01-20",
    ]);
    let doc = out.json();
    let remaining: Vec<f64> = doc["burndown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["remaining"].as_f64().unwrap())
        .collect();
    let ideal: Vec<f64> = doc["burndown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["ideal"].as_f64().unwrap())
        .collect();
    assert_eq!(remaining, [8.0, 5.0, 5.0, 0.0, 0.0]);
    assert_eq!(ideal, [8.0, 6.0, 4.0, 2.0, 0.0]);
    let md = t
        .run(&["report", "sprint", "S1", "--today", "2027-01-20"])
        .stdout;
    assert!(md.contains("## Burndown"), "{md}");
    assert!(md.contains("| 2027-01-05 | 5 | 6 |"), "{md}");
}

/// Dates come from commits, in UTC: the machine's time zone changes nothing (the harness runs
/// every cairn with `TZ=UTC`; here it is zones far from it).
#[test]
fn history_does_not_depend_on_the_time_zone() {
    let t = repo();
    let runs = |tz: &str| {
        [
            &["report", "metrics", "--today", "2027-01-20"][..],
            &[
                "report",
                "metrics",
                "--format",
                "json",
                "--today",
                "2027-01-20",
            ],
            &[
                "report",
                "sprint",
                "S2",
                "--format",
                "json",
                "--today",
                "2027-01-13",
            ],
            &["stale", "--format", "json"],
        ]
        .map(|args| {
            let out = t.command(args).env("TZ", tz).output().unwrap();
            assert!(out.status.success(), "{args:?} in {tz}: {out:?}");
            String::from_utf8(out.stdout).unwrap()
        })
    };
    let utc = runs("UTC");
    for tz in [
        "Pacific/Chatham",
        "America/St_Johns",
        "Pacific/Kiritimati",
        "Etc/GMT+12",
    ] {
        assert_eq!(runs(tz), utc, "{tz}");
    }
}
