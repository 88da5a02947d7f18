//! `cairn forecast`: Monte Carlo forecasts on repositories built here with fixed commit dates,
//! against figures worked out by hand.

mod common;
use common::Test;
use serde_json::Value;

const DAY: i64 = 86_400;

/// `YYYY-MM-DD` of `start` plus `n` days.
fn plus(start: &str, n: i64) -> String {
    let t = cairn::timefmt::parse_date(start).unwrap();
    cairn::timefmt::date(t + n * DAY)
}

fn story(id: &str, status: &str, extra: &str) -> String {
    format!("---\nid: {id}\ntitle: Story {id}\nstatus: {status}\n{extra}---\nAs a user, I can.\n")
}

/// An open story under `goal`, with extra front-matter lines.
struct Open<'a>(&'a str, &'a str, &'a str);

/// A plan whose history finishes `done[i]` stories (S-1, S-2, … in turn, under G-9) on day
/// `start + i`, and whose open stories are `open`. Goals G-1, G-2 and G-9 exist; everything is
/// first committed the day before `start`.
fn repo(start: &str, done: &[usize], open: &[Open]) -> Test {
    let total: usize = done.iter().sum();
    let mut t = Test::new()
        .file(
            "plan/G-1.md",
            "---\nid: G-1\ntitle: First goal\nstatus: active\n---\n",
        )
        .file(
            "plan/G-2.md",
            "---\nid: G-2\ntitle: Second goal\nstatus: active\n---\n",
        )
        .file(
            "plan/G-9.md",
            "---\nid: G-9\ntitle: Past work\nstatus: active\n---\n",
        );
    for n in 1..=total {
        let id = format!("S-{n}");
        t = t.file(&format!("plan/{id}.md"), story(&id, "draft", "goal: G-9\n"));
    }
    for Open(id, goal, extra) in open {
        t = t.file(
            &format!("plan/{id}.md"),
            story(id, "ready", &format!("goal: {goal}\n{extra}")),
        );
    }
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    common::commit_at(t.path(), &plus(start, -1), "plan");
    let mut next = 1;
    for (day, &n) in done.iter().enumerate() {
        if n == 0 {
            continue;
        }
        for _ in 0..n {
            let id = format!("S-{next}");
            t = t.file(&format!("plan/{id}.md"), story(&id, "done", "goal: G-9\n"));
            next += 1;
        }
        common::commit_at(t.path(), &plus(start, day as i64), "finish");
    }
    t
}

/// Ten open stories, S-101…S-105 under G-1 and S-106…S-110 under G-2, ranked by number.
fn ten_open() -> Vec<Open<'static>> {
    let ids = [
        "S-101", "S-102", "S-103", "S-104", "S-105", "S-106", "S-107", "S-108", "S-109", "S-110",
    ];
    ids.iter()
        .enumerate()
        .map(|(i, id)| Open(id, if i < 5 { "G-1" } else { "G-2" }, ""))
        .collect()
}

fn forecast(t: &Test, args: &[&str]) -> Value {
    let mut all = vec!["forecast", "--format", "json"];
    all.extend(args);
    let out = t.run(&all);
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    out.json()
}

fn goal<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap_or_else(|| panic!("no goal {id} in {doc:#}"))
}

fn story_of<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap_or_else(|| panic!("no story {id} in {doc:#}"))
}

fn levels(v: &Value) -> [Value; 4] {
    ["p50", "p70", "p85", "p95"].map(|k| v[k].clone())
}

#[test]
fn one_story_a_day_makes_every_percentile_exact() {
    let t = repo("2027-02-01", &[1; 28], &ten_open());
    let doc = forecast(
        &t,
        &[
            "--from",
            "2027-03-01",
            "--items",
            "10",
            "--by",
            "2027-03-05",
        ],
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["kind"], "story");
    assert_eq!(doc["from"], "2027-03-01");
    assert_eq!(doc["trials"], 10_000);
    assert_eq!(doc["seed"], 1);
    assert_eq!(doc["unit"], "stories");
    // The default window: the 84 days before --from, but not before the first commit (01-31).
    assert_eq!(doc["window"]["since"], "2027-01-31");
    assert_eq!(doc["window"]["until"], "2027-02-28");
    assert_eq!(doc["window"]["days"], 29);
    assert_eq!(doc["window"]["done"], 28);
    // With the exact window every simulated day finishes one story.
    let doc = forecast(
        &t,
        &[
            "--from",
            "2027-03-01",
            "--since",
            "2027-02-01",
            "--until",
            "2027-02-28",
            "--items",
            "10",
            "--by",
            "2027-03-05",
        ],
    );
    assert_eq!(doc["window"]["days"], 28);
    assert_eq!(doc["window"]["done"], 28);
    let d = |s: &str| Value::String(s.into());
    assert_eq!(levels(goal(&doc, "G-1")), [0; 4].map(|_| d("2027-03-05")));
    assert_eq!(levels(goal(&doc, "G-2")), [0; 4].map(|_| d("2027-03-10")));
    assert_eq!(goal(&doc, "G-1")["remaining"], 5);
    assert_eq!(goal(&doc, "G-1")["last"], "S-105");
    assert_eq!(story_of(&doc, "S-101")["p50"], "2027-03-01");
    assert_eq!(story_of(&doc, "S-101")["rank"], 1);
    assert_eq!(story_of(&doc, "S-107")["p85"], "2027-03-07");
    assert_eq!(levels(&doc["when"]), [0; 4].map(|_| d("2027-03-10")));
    assert_eq!(doc["when"]["items"], 10);
    let hm = &doc["how_many"];
    assert_eq!(hm["by"], "2027-03-05");
    assert_eq!(levels(hm), [0; 4].map(|_| Value::from(5)));
    assert_eq!(story_of(&doc, "S-105")["probability_by"], 1.0);
    assert_eq!(story_of(&doc, "S-106")["probability_by"], 0.0);
    // The goal of past work is still active, with nothing left to forecast.
    assert_eq!(goal(&doc, "G-9")["remaining"], 0);
    assert_eq!(goal(&doc, "G-9")["p50"], Value::Null);
}

#[test]
fn without_items_or_by_when_and_how_many_are_null() {
    let t = repo("2027-02-01", &[1; 28], &ten_open());
    let doc = forecast(&t, &["--from", "2027-03-01"]);
    assert_eq!(doc["when"], Value::Null);
    assert_eq!(doc["how_many"], Value::Null);
    assert_eq!(story_of(&doc, "S-101")["probability_by"], Value::Null);
}

/// P(X ≥ k) for X ~ Binomial(n, 1/2).
fn binomial_at_least(n: u64, k: u64) -> f64 {
    let mut c = 1.0f64; // C(n, 0)
    let mut sum = 0.0;
    for i in 0..=n {
        if i >= k {
            sum += c;
        }
        c = c * (n - i) as f64 / (i + 1) as f64;
    }
    sum / 2f64.powi(n as i32)
}

#[test]
fn two_valued_throughput_matches_the_binomial_distribution() {
    // Days alternate between nothing done and two stories done: after d simulated days the count
    // is 2·B(d, ½), so the k-th story is done by day d with probability P(B(d, ½) ≥ ⌈k/2⌉).
    let pattern: Vec<usize> = (0..28).map(|i| if i % 2 == 0 { 0 } else { 2 }).collect();
    let open: Vec<Open> = ten_open();
    let t = repo("2027-02-01", &pattern, &open);
    let doc = forecast(
        &t,
        &[
            "--from",
            "2027-03-01",
            "--since",
            "2027-02-01",
            "--until",
            "2027-02-28",
        ],
    );
    assert_eq!(doc["window"]["done"], 28);
    let from = cairn::timefmt::parse_date("2027-03-01").unwrap();
    for (k, id) in [(5u64, "G-1"), (10, "G-2")] {
        let g = goal(&doc, id);
        let mut last = 0i64;
        for (level, key) in [(0.50, "p50"), (0.70, "p70"), (0.85, "p85"), (0.95, "p95")] {
            let date = g[key].as_str().unwrap_or_else(|| panic!("{g}"));
            let day = (cairn::timefmt::parse_date(date).unwrap() - from) / DAY + 1;
            assert!(day >= last, "percentiles ordered: {g}");
            last = day;
            // The simulated day sits where the exact distribution crosses the level, give or
            // take the sampling error of 10,000 trials (well under 2 %).
            let cdf = |d: i64| binomial_at_least(d as u64, k.div_ceil(2));
            assert!(
                cdf(day) >= level - 0.02 && cdf(day - 1) < level + 0.02,
                "{id} {key}: day {day}, P(done by it) = {:.3}, by the day before = {:.3}",
                cdf(day),
                cdf(day - 1)
            );
        }
    }
}

#[test]
fn a_seed_reproduces_the_forecast_and_another_seed_draws_again() {
    let pattern: Vec<usize> = (0..28).map(|i| [0, 1, 3, 0, 2][i % 5]).collect();
    let t = repo("2027-02-01", &pattern, &ten_open());
    let args = ["--from", "2027-03-01", "--items", "40"];
    let a = forecast(&t, &args);
    let b = forecast(&t, &args);
    assert_eq!(a, b, "the default seed is fixed");
    let mut other = args.to_vec();
    other.extend(["--seed", "7"]);
    let c = forecast(&t, &other);
    assert_eq!(c["seed"], 7);
    assert_ne!(
        a["histogram"], c["histogram"],
        "another seed draws other futures"
    );
    let d = forecast(&t, &other);
    assert_eq!(c, d);
}

#[test]
fn reopened_stories_count_once_and_stories_created_done_count_on_their_first_day() {
    let start = "2027-02-01";
    // S-1 is done on 02-01, reopened on 02-03 and done again on 02-05: one story, on 02-05.
    // S-2 is created already done on 02-04. S-3 is done on 02-02 and reopened on 02-06 (open at
    // the end of the window): not counted.
    let t = Test::new()
        .file(
            "plan/G-1.md",
            "---\nid: G-1\ntitle: Goal\nstatus: active\n---\n",
        )
        .file("plan/S-1.md", story("S-1", "ready", "goal: G-1\n"))
        .file("plan/S-3.md", story("S-3", "ready", "goal: G-1\n"))
        .file("plan/S-9.md", story("S-9", "ready", "goal: G-1\n"));
    t.git(&["init", "-q"]);
    t.git(&["add", "-A"]);
    common::commit_at(t.path(), &plus(start, -1), "plan");
    let steps: [(&str, &str, i64); 5] = [
        ("S-1", "done", 0),
        ("S-3", "done", 1),
        ("S-1", "in-progress", 2),
        ("S-1", "done", 4),
        ("S-3", "in-progress", 5),
    ];
    let mut t = t;
    for (i, (id, status, day)) in steps.iter().enumerate() {
        t = t.file(&format!("plan/{id}.md"), story(id, status, "goal: G-1\n"));
        common::commit_at(t.path(), &plus(start, *day), &format!("step {i}"));
        if *day == 2 {
            t = t.file("plan/S-2.md", story("S-2", "done", "goal: G-1\n"));
            t.git(&["add", "plan/S-2.md"]);
            common::commit_at(t.path(), &plus(start, 3), "created done");
        }
    }
    let doc = forecast(
        &t,
        &[
            "--from",
            "2027-02-08",
            "--since",
            "2027-02-01",
            "--until",
            "2027-02-07",
            "--trials",
            "50",
        ],
    );
    assert_eq!(doc["window"]["done"], 2, "{doc:#}");
    let notes = doc["notes"].to_string();
    assert!(notes.contains("only 7 days"), "{notes}");
    assert!(notes.contains("only 2 stories done"), "{notes}");
    // S-3 (reopened) and S-9 are the open work.
    let ids: Vec<&str> = doc["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["S-3", "S-9"]);
}

#[test]
fn an_empty_window_says_so_and_forecasts_nothing() {
    // History exists, but nothing was done in it.
    let t = repo("2027-02-01", &[0; 10], &ten_open());
    let doc = forecast(
        &t,
        &["--from", "2027-03-01", "--items", "3", "--by", "2027-03-10"],
    );
    assert_eq!(doc["window"]["done"], 0);
    assert!(
        doc["notes"].to_string().contains("no story was done"),
        "{doc:#}"
    );
    assert_eq!(levels(goal(&doc, "G-1")), [0; 4].map(|_| Value::Null));
    assert_eq!(levels(&doc["when"]), [0; 4].map(|_| Value::Null));
    assert_eq!(levels(&doc["how_many"]), [0; 4].map(|_| Value::from(0)));
    assert_eq!(doc["histogram"], Value::Null);
    // The table says it in words.
    let out = t.run(&["forecast", "--from", "2027-03-01"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("No forecast for 10 open stories: there is no pace to forecast from."),
        "{}",
        out.stdout
    );
}

#[test]
fn a_pace_too_slow_for_ten_years_is_not_within_10_years() {
    // One story in 84 days; 200 open stories would take 45 years.
    let mut done = vec![0; 84];
    done[40] = 1;
    let open: Vec<String> = (101..=300).map(|n| format!("S-{n}")).collect();
    let opens: Vec<Open> = open.iter().map(|id| Open(id, "G-1", "")).collect();
    let t = repo("2027-01-01", &done, &opens);
    let doc = forecast(&t, &["--from", "2027-03-26", "--trials", "200"]);
    assert_eq!(doc["window"]["done"], 1);
    assert_eq!(goal(&doc, "G-1")["p50"], Value::Null);
    assert!(story_of(&doc, "S-101")["p95"].is_string());
    let out = t.run(&["forecast", "--from", "2027-03-26", "--trials", "200"]);
    assert!(out.stdout.contains("not within 10 years"), "{}", out.stdout);
}

#[test]
fn raising_a_story_in_rank_order_moves_its_goals_date_earlier() {
    let t = repo("2027-02-01", &[1; 28], &ten_open());
    let window = [
        "--from",
        "2027-03-01",
        "--since",
        "2027-02-01",
        "--until",
        "2027-02-28",
    ];
    let before = forecast(&t, &window);
    assert_eq!(goal(&before, "G-2")["p85"], "2027-03-10");
    assert_eq!(goal(&before, "G-1")["p85"], "2027-03-05");
    // G-2's stories become Must: they rank first, so G-2 is done after five days, G-1 after ten.
    let mut t = t;
    for n in 106..=110 {
        let id = format!("S-{n}");
        t = t.file(
            &format!("plan/{id}.md"),
            story(&id, "ready", "goal: G-2\nmoscow: must\n"),
        );
    }
    let after = forecast(&t, &window);
    assert_eq!(goal(&after, "G-2")["p85"], "2027-03-05");
    assert_eq!(goal(&after, "G-1")["p85"], "2027-03-10");
    assert_eq!(story_of(&after, "S-106")["rank"], 1);
}

#[test]
fn wont_stories_are_left_out_unless_asked_for() {
    let mut open = ten_open();
    open.push(Open("S-111", "G-1", "moscow: wont\n"));
    let t = repo("2027-02-01", &[1; 28], &open);
    let window = [
        "--from",
        "2027-03-01",
        "--since",
        "2027-02-01",
        "--until",
        "2027-02-28",
    ];
    let doc = forecast(&t, &window);
    assert_eq!(doc["excluded"][0]["id"], "S-111");
    assert_eq!(doc["excluded"][0]["reason"], "won't have this time");
    assert_eq!(goal(&doc, "G-1")["remaining"], 5);
    let mut with = window.to_vec();
    with.push("--include-wont");
    let doc = forecast(&t, &with);
    assert_eq!(doc["excluded"], serde_json::json!([]));
    assert_eq!(goal(&doc, "G-1")["remaining"], 6);
    assert_eq!(
        goal(&doc, "G-1")["p50"],
        "2027-03-11",
        "the Won't story ranks last"
    );
}

#[test]
fn points_sample_estimates_done_per_day() {
    // Each past story is worth 2 points (one done a day: 2 points a day); the open stories are
    // estimated 4, 2, 2, 4, 4 under G-1 and 1 each under G-2.
    let estimates = ["4", "2", "2", "4", "4", "1", "1", "1", "1", "1"];
    let ids = [
        "S-101", "S-102", "S-103", "S-104", "S-105", "S-106", "S-107", "S-108", "S-109", "S-110",
    ];
    let extras: Vec<String> = estimates
        .iter()
        .map(|e| format!("estimate: {e}\n"))
        .collect();
    let open: Vec<Open> = ids
        .iter()
        .zip(&extras)
        .enumerate()
        .map(|(i, (id, e))| Open(id, if i < 5 { "G-1" } else { "G-2" }, e))
        .collect();
    let mut t = repo("2027-02-01", &[1; 28], &open);
    for n in 1..=28 {
        let id = format!("S-{n}");
        t = t.file(
            &format!("plan/{id}.md"),
            story(&id, "done", "goal: G-9\nestimate: 2\n"),
        );
    }
    common::commit_at(t.path(), "2027-02-28", "estimates");
    let doc = forecast(
        &t,
        &[
            "--from",
            "2027-03-01",
            "--since",
            "2027-02-01",
            "--until",
            "2027-02-28",
            "--points",
        ],
    );
    assert_eq!(doc["unit"], "points");
    assert_eq!(doc["window"]["points"], 56.0);
    // G-1 needs 16 points: 8 days at 2 a day. G-2 needs 5 more: 21 points, day 11.
    assert_eq!(goal(&doc, "G-1")["p85"], "2027-03-08");
    assert_eq!(goal(&doc, "G-2")["p85"], "2027-03-11");
}

#[test]
fn goal_limits_the_output_not_the_simulation() {
    let t = repo("2027-02-01", &[1; 28], &ten_open());
    let doc = forecast(
        &t,
        &[
            "--from",
            "2027-03-01",
            "--since",
            "2027-02-01",
            "--until",
            "2027-02-28",
            "--goal",
            "G-2",
        ],
    );
    let goals = doc["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 1);
    assert_eq!(
        goals[0]["p50"], "2027-03-10",
        "G-1's stories still come first"
    );
    assert_eq!(doc["stories"].as_array().unwrap().len(), 5);
    let out = t.run(&["forecast", "--goal", "G-7"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("G-7"), "{}", out.stderr);
}

#[test]
fn table_md_html_and_csv_tell_the_same_forecast() {
    let t = repo("2027-02-01", &[1; 28], &ten_open());
    let args = [
        "--from",
        "2027-03-01",
        "--since",
        "2027-02-01",
        "--until",
        "2027-02-28",
        "--items",
        "4",
    ];
    let run = |format: &str| {
        let mut all = vec!["forecast", "--format", format];
        all.extend(args);
        let out = t.run(&all);
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let mut table = vec!["forecast"];
    table.extend(args);
    let out = t.run(&table);
    assert!(
        out.stdout
            .contains("4 more stories: 85 % chance by 2027-03-04"),
        "{}",
        out.stdout
    );
    let md = run("md");
    assert!(md.contains("## When will 4 more be done?"), "{md}");
    assert!(
        md.contains("| **G-2** Second goal | 5 | 2027-03-10"),
        "{md}"
    );
    assert!(md.contains("```mermaid\nxychart-beta"), "{md}");
    let html = run("html");
    assert!(html.contains("<svg class=\"chart\""), "{html}");
    assert!(html.contains("<time datetime=\"2027-03-10\">"), "{html}");
    let csv = run("csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "type,id,title,rank,goal,remaining,p50,p70,p85,p95,probability_by"
    );
    assert!(csv.contains("goal,G-1,First goal,,,5,2027-03-05"), "{csv}");
    assert!(
        csv.contains("story,S-101,Story S-101,1,G-1,,2027-03-01"),
        "{csv}"
    );
}

#[test]
fn report_forecast_is_the_forecast_from_today() {
    let t = repo("2027-02-01", &[1; 28], &ten_open());
    let out = t.run(&[
        "report",
        "forecast",
        "--format",
        "json",
        "--today",
        "2027-03-01",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["report"], "forecast");
    assert_eq!(doc["from"], "2027-03-01");
    assert_eq!(doc["window"]["done"], 28);
    assert!(goal(&doc, "G-1")["p85"].is_string());
}

#[test]
fn bad_dates_and_counts_are_errors_not_panics() {
    let t = repo("2027-02-01", &[1; 5], &ten_open());
    for args in [
        vec!["forecast", "--from", "2027-13-01"],
        vec!["forecast", "--by", "yesterday"],
        vec!["forecast", "--from", "2027-03-01", "--by", "2027-02-01"],
        vec!["forecast", "--trials", "0"],
        vec!["forecast", "--items", "0"],
        vec!["forecast", "--kind", "epic"],
    ] {
        let out = t.run(&args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        common::no_panic(&out);
        assert!(
            out.stderr.starts_with("error: "),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn outside_git_forecast_says_it_needs_history() {
    let t = Test::new().file(
        "plan/G-1.md",
        "---\nid: G-1\ntitle: G\nstatus: active\n---\n",
    );
    let out = t.run(&["forecast"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("history from git"), "{}", out.stderr);
}

#[test]
fn the_roadmap_shows_each_open_goals_85_percent_date_at_the_current_pace() {
    // One story a day for 28 days after a first commit with none done: the window's 29 days hold
    // 28 ones and a zero. G-1's five stories are done in five days with chance (28/29)^5 = 0.839,
    // short of 85 %, and in six (at most one zero) with 0.984: 2027-03-06. G-2's ten: (28/29)^10 =
    // 0.704 in ten days, 0.947 in eleven: 2027-03-11.
    let t = repo("2027-02-01", &[1; 28], &ten_open());
    let out = t.run(&[
        "report",
        "roadmap",
        "--format",
        "json",
        "--today",
        "2027-03-01",
    ]);
    common::ok(&out);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let goals = doc["goals"].as_array().unwrap();
    let row = |id: &str| goals.iter().find(|g| g["id"] == id).unwrap().clone();
    assert_eq!(row("G-1")["forecast_p85"], "2027-03-06");
    assert_eq!(row("G-1")["forecast_remaining"], 5);
    assert_eq!(row("G-2")["forecast_p85"], "2027-03-11");
    // G-9's stories are all done: nothing left to forecast.
    assert_eq!(row("G-9")["forecast_p85"], Value::Null);
    assert_eq!(row("G-9")["forecast_remaining"], 0);
    assert_eq!(doc["forecast"]["since"], "2027-01-31");
    assert_eq!(doc["forecast"]["done"], 28);

    let md = t.run(&["report", "roadmap", "--today", "2027-03-01"]);
    common::ok(&md);
    assert!(
        md.stdout.contains("| Progress | 85 % by |"),
        "{}",
        md.stdout
    );
    assert!(md.stdout.contains("| 2027-03-11 |"), "{}", md.stdout);
    assert!(md
        .stdout
        .contains("at the pace of 2027-01-31 → 2027-02-28 (28 stories done, 0.97 a day)"));
    let html = t.run(&[
        "report",
        "roadmap",
        "--format",
        "html",
        "--today",
        "2027-03-01",
    ]);
    common::ok(&html);
    assert!(html
        .stdout
        .contains("<dt>85 % by</dt><dd><time datetime=\"2027-03-06\">2027-03-06</time>"));
}

#[test]
fn a_roadmap_outside_git_has_no_forecast_column() {
    let t = Test::new().file(
        "plan/G-1.md",
        "---\nid: G-1\ntitle: First goal\nstatus: active\n---\n",
    );
    let md = t.run(&["report", "roadmap", "--today", "2027-03-01"]);
    common::ok(&md);
    assert!(!md.stdout.contains("85 %"), "{}", md.stdout);
    let json = t.run(&[
        "report",
        "roadmap",
        "--format",
        "json",
        "--today",
        "2027-03-01",
    ]);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["forecast"], Value::Null);
}

#[test]
fn the_worked_example_of_docs_forecast_md() {
    // The window 2027-02-25 → 2027-02-28 finished 0, 1, 1 and 2 stories. Two stories remain
    // under G-1. P(2 done by day 1) = P(draw 2) = 1/4; by day 2 = 1 − P(sum < 2) = 1 − 5/16 =
    // 0.6875; by day 3 = 1 − 7/64 = 0.8906; by day 4 = 1 − 9/256 = 0.9648.
    let t = repo(
        "2027-02-26",
        &[1, 1, 2],
        &[Open("S-101", "G-1", ""), Open("S-102", "G-1", "")],
    );
    let doc = forecast(&t, &["--from", "2027-03-01", "--by", "2027-03-02"]);
    assert_eq!(doc["window"]["days"], 4);
    assert_eq!(doc["window"]["done"], 4);
    let d = |s: &str| Value::String(s.into());
    assert_eq!(
        levels(goal(&doc, "G-1")),
        [
            d("2027-03-02"),
            d("2027-03-03"),
            d("2027-03-03"),
            d("2027-03-04")
        ]
    );
    // By day 2, G-1's second story is done in 68.75 % of trials (binomial error ≈ 0.5 %).
    let p = story_of(&doc, "S-102")["probability_by"].as_f64().unwrap();
    assert!((p - 0.6875).abs() < 0.015, "{p}");
}

#[test]
fn stories_without_an_open_goal_are_still_forecast_with_items_or_by() {
    // The open story's goal does not exist, so no goal row: the table says how to ask instead.
    let t = repo("2027-02-01", &[1; 28], &[Open("S-101", "G-404", "")]);
    let out = t.run(&["forecast", "--from", "2027-03-01"]);
    common::ok(&out);
    assert!(
        out.stdout.contains("No open goal has stories to forecast. For the 1 open story: `--items N` says when N more will be done"),
        "{}",
        out.stdout
    );
    let out = t.run(&["forecast", "--from", "2027-03-01", "--items", "1"]);
    assert!(
        out.stdout.contains("1 more story: 85 % chance by"),
        "{}",
        out.stdout
    );
}
