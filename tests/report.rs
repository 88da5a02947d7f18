//! Reports (SPEC §7, §10): every report in every format on docs/example (insta snapshots), HTML
//! that is well formed, accessible and self-contained, plan text escaped, template overrides and
//! `--template`, `--context`, `--output`, errors with exit code 2, the Markdown size limit, RFC 4180
//! CSV, and the HTML roadmap rendered by headless Chromium (skipped when it is not installed).
//!
//! Update the snapshots with `INSTA_UPDATE=always cargo test --test report`, then read every
//! changed `.snap` (open the `.html` ones in a browser too) before committing them.

#[path = "report/check.rs"]
mod check;
mod common;
use check::{check_html, parse_csv, run_with_timeout};
use common::{Output, Test};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const TODAY: &str = "2027-01-20";
const REPORTS: [&str; 4] = ["roadmap", "backlog", "sprint", "alignment"];
const FORMATS: [&str; 4] = ["md", "html", "json", "csv"];

/// A copy of docs/example outside any git repository, so the reports never depend on cairn's own
/// history (the sprint burndown reads history when there is one; tests/history.rs covers it).
fn example() -> PathBuf {
    static COPY: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = COPY.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("temp dir");
        copy_dir(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/example"),
            tmp.path(),
        );
        tmp
    });
    dir.path().to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `cairn report ARGS --today 2027-01-20` in `dir`.
fn report_in(t: &Test, dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--today", TODAY]);
    t.run_in(dir, &all)
}

/// `cairn report ARGS` on the example plan, which must succeed quietly.
fn example_report(args: &[&str]) -> String {
    let out = report_in(&Test::empty(), &example(), args);
    assert_eq!(out.code, 0, "report {args:?} failed:\n{}", out.stderr);
    assert_eq!(out.stderr, "", "nothing on stderr for {args:?}");
    out.stdout
}

/// `cairn report ARGS` in the test's plan, which must succeed.
fn report(t: &Test, args: &[&str]) -> String {
    let out = report_in(t, t.path(), args);
    assert_eq!(out.code, 0, "report {args:?} failed:\n{}", out.stderr);
    out.stdout
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the example plan

fn snapshots(name: &str) {
    for format in FORMATS {
        let out = example_report(&[name, "--format", format]);
        insta::assert_snapshot!(format!("{name}_{format}"), out);
    }
}

#[test]
fn roadmap_in_every_format() {
    snapshots("roadmap");
}

#[test]
fn backlog_in_every_format() {
    snapshots("backlog");
}

#[test]
fn sprint_in_every_format() {
    snapshots("sprint");
}

#[test]
fn alignment_in_every_format() {
    snapshots("alignment");
}

// ---------------------------------------------------------------------------------------------
// HTML checks

#[test]
fn every_html_report_is_well_formed_accessible_and_self_contained() {
    for name in REPORTS {
        let html = example_report(&[name, "--format", "html"]);
        check_html(name, &html);
    }
    // Another sprint: one with stories at risk.
    let html = example_report(&["sprint", "2027-S3", "--format", "html"]);
    check_html("sprint 2027-S3", &html);
    assert!(html.contains("depends on S-7 (review)"), "{html}");
}

/// A plan whose text tries to break out of the HTML, with every optional field missing somewhere,
/// a sprint over capacity, one without dates or capacity, an orphan, an empty Must goal.
fn awkward_plan() -> Test {
    Test::new()
        .config(
            "sprints:\n  - { name: S1, start: 2027-01-18, end: 2027-01-29, capacity: 3 }\n  - { name: \"S2 <i>\", capacity: 0 }\n  - { name: S3 }\n",
        )
        .item(
            "G-1",
            "title: \"<script>alert('x')</script> & \\\"quotes\\\"\"\nstatus: active\nmoscow: must\nhorizon: 2027-05\nowner: \"<b>bob</b>\"\nkey_results:\n  - \"</li><li>injected\"\n  - { metric: \"a < b\", target: \"</svg>\", current: \"&amp;\" }\n",
            "Why.\n",
        )
        .item("G-2", "title: Empty must goal\nstatus: active\nmoscow: must\n", "")
        .item("G-3", "title: Plain goal\nstatus: proposed\n", "")
        .item(
            "S-1",
            "title: \"Story </td></tr></table> one\"\nstatus: ready\ngoal: G-1\nestimate: 5\nsprint: S1\ndepends_on: [S-2]\nassignee: \"<u>me</u>\"\n",
            "As a user, I can.\n",
        )
        .item("S-2", "title: Unestimated\nstatus: draft\ngoal: G-3\nsprint: \"S2 <i>\"\n", "")
        .item("S-3", "title: Orphan\nstatus: ready\nestimate: 1\nsprint: S1\n", "")
        .item("S-4", "title: Done one\nstatus: done\ngoal: G-1\nestimate: 2\nsprint: S1\n", "")
}

#[test]
fn plan_text_is_escaped_and_awkward_plans_render() {
    let t = awkward_plan();
    for (name, sprint) in [
        ("roadmap", None),
        ("backlog", None),
        ("sprint", None),
        ("sprint", Some("S2 <i>")),
        ("sprint", Some("S3")),
        ("alignment", None),
    ] {
        let mut args = vec![name, "--format", "html"];
        args.extend(sprint);
        let html = report(&t, &args);
        let what = format!("{name} {sprint:?}");
        check_html(&what, &html);
        assert!(
            !html.contains("<b>bob") && !html.contains("<u>me") && !html.contains("<i>"),
            "{what}: plan text was not escaped"
        );
    }
    let roadmap = report(&t, &["roadmap", "--format", "html"]);
    assert!(roadmap.contains("&lt;script&gt;alert("), "{roadmap}");
    assert!(
        roadmap.contains("&lt;&#x2f;li&gt;&lt;li&gt;injected"),
        "{roadmap}"
    );
    let sprint = report(&t, &["sprint", "S1", "--format", "html"]);
    assert!(
        sprint.contains("Over capacity by <strong>5</strong>"),
        "{sprint}"
    );
    let alignment = report(&t, &["alignment", "--format", "html"]);
    assert!(alignment.contains("Empty must goal"), "{alignment}");
}

#[test]
fn an_empty_plan_renders_every_report_but_the_sprint_one() {
    let t = Test::new();
    for name in ["roadmap", "backlog", "alignment"] {
        for format in FORMATS {
            let out = report(&t, &[name, "--format", format]);
            if format == "html" {
                check_html(name, &out);
            }
        }
    }
    let out = report_in(&t, t.path(), &["sprint"]);
    assert_eq!(out.code, 2, "{out:?}");
}

#[test]
fn alignment_shares_did_not_add_up_with_points_under_a_done_goal() {
    // 3 + 3 + 1 points under open goals, 2 under an achieved goal, 1 without a goal and 1 under a
    // goal that does not exist: 11 in all. The report showed 27% + 27% + 9% of 11 and no row for
    // the other 4 points.
    let t = Test::new()
        .config("sprints:\n  - { name: S1, start: 2027-01-18, end: 2027-01-29 }\n")
        .item("G-1", "title: First\nstatus: active\nmoscow: must\n", "")
        .item("G-2", "title: Second\nstatus: active\nmoscow: should\n", "")
        .item("G-3", "title: Third\nstatus: active\nmoscow: could\n", "")
        .item(
            "G-4",
            "title: Shipped\nstatus: achieved\nmoscow: must\n",
            "",
        )
        .item(
            "S-1",
            "title: A\nstatus: draft\ngoal: G-1\nestimate: 3\nsprint: S1\n",
            "",
        )
        .item(
            "S-2",
            "title: B\nstatus: draft\ngoal: G-2\nestimate: 3\nsprint: S1\n",
            "",
        )
        .item(
            "S-3",
            "title: C\nstatus: draft\ngoal: G-3\nestimate: 1\nsprint: S1\n",
            "",
        )
        .item(
            "S-4",
            "title: D\nstatus: done\ngoal: G-4\nestimate: 2\nsprint: S1\n",
            "",
        )
        .item(
            "S-5",
            "title: E\nstatus: draft\nestimate: 1\nsprint: S1\n",
            "",
        )
        .item(
            "S-6",
            "title: F\nstatus: draft\ngoal: G-9\nestimate: 1\nsprint: S1\n",
            "",
        );
    let doc: serde_json::Value =
        serde_json::from_str(&report(&t, &["alignment", "--format", "json"])).unwrap();
    assert_eq!(doc["window_points"], 11.0);
    let rows: Vec<&serde_json::Value> = doc["goals"]
        .as_array()
        .unwrap()
        .iter()
        .chain(doc["unprioritised"].as_array().unwrap())
        .collect();
    let points: f64 = rows.iter().map(|r| r["points"].as_f64().unwrap()).sum();
    assert_eq!(points, 11.0, "every planned point is in a row: {doc:#}");
    let shares: f64 = rows.iter().map(|r| r["share"].as_f64().unwrap()).sum();
    assert!((shares - 1.0).abs() < 1e-9, "{shares}");
    let percents: Vec<u64> = rows
        .iter()
        .map(|r| r["percent"].as_u64().unwrap())
        .collect();
    // 27.27, 27.27, 9.09, 18.18, 18.18: the floors sum to 99, and the one point left goes to the
    // largest remainder (.27), the first of the two.
    assert_eq!(percents, [28, 27, 9, 18, 18], "{doc:#}");
    assert_eq!(percents.iter().sum::<u64>(), 100);
    assert_eq!(doc["unprioritised"][0]["id"], "G-4");
    assert_eq!(doc["unprioritised"][0]["reason"], "closed");
    assert_eq!(doc["unprioritised"][1]["reason"], "no_goal");
    assert_eq!(doc["unprioritised"][1]["stories_planned"], 2);

    let md = report(&t, &["alignment"]);
    for row in [
        "| 1 | **G-1** First | must | 3 | `███░░░░░░░` 28% | 1 |",
        "| – | **G-4** Shipped _(achieved)_ | must | 2 | `██░░░░░░░░` 18% | 1 |",
        "| – | _No goal_ | – | 2 | `██░░░░░░░░` 18% | 2 |",
        "| | **Total** | | **11** | 100% | 6 |",
    ] {
        assert!(md.contains(row), "missing {row:?} in\n{md}");
    }
    let html = report(&t, &["alignment", "--format", "html"]);
    check_html("alignment", &html);
    assert!(
        html.contains("<strong>18%</strong><span>2 pts · 2 stories</span>"),
        "{html}"
    );
    assert!(html.contains("Shipped"), "{html}");
    let csv = parse_csv(&report(&t, &["alignment", "--format", "csv"]));
    assert_eq!(csv.len(), 1 + 5, "{csv:?}");
    assert_eq!(
        csv[4],
        [
            "",
            "G-4",
            "Shipped",
            "must",
            "",
            "2",
            "0.18181818181818182",
            "1",
            "18",
            "achieved"
        ]
    );
    assert_eq!(
        csv[5],
        [
            "",
            "",
            "No goal",
            "",
            "",
            "2",
            "0.18181818181818182",
            "2",
            "18",
            ""
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Templates

fn small_plan() -> Test {
    Test::new()
        .item("G-1", "title: Goal <one>\nstatus: active\n", "")
        .item(
            "S-1",
            "title: First\nstatus: ready\ngoal: G-1\nestimate: 3\n",
            "",
        )
        .item("S-2", "title: Second\nstatus: ready\ngoal: G-1\n", "")
}

#[test]
fn a_template_in_the_plan_overrides_the_built_in_one() {
    let t = small_plan().file(
        ".cairn/templates/reports/backlog.md",
        "Custom backlog:{% for s in stories %} {{ s.id }}{% endfor %}\n",
    );
    assert_eq!(report(&t, &["backlog"]), "Custom backlog: S-1 S-2\n");
    // Other reports and formats keep the built-in templates.
    assert!(report(&t, &["roadmap"]).starts_with("# Roadmap"));
    assert!(report(&t, &["backlog", "--format", "html"]).contains("<h1>Backlog</h1>"));
}

#[test]
fn template_option_wins_over_the_plan_override() {
    let t = small_plan()
        .file(".cairn/templates/reports/backlog.md", "override\n")
        .file(
            "mine.md",
            "{{ report }} from --template: {{ stories | length }} stories\n",
        );
    assert_eq!(
        report(&t, &["backlog", "--template", "mine.md"]),
        "backlog from --template: 2 stories\n"
    );
}

#[test]
fn overriding_the_html_base_changes_every_html_report() {
    let t = small_plan().file(
        ".cairn/templates/reports/base.html",
        "<main>{% block body %}{% endblock %}</main>\n",
    );
    for name in ["roadmap", "backlog", "alignment"] {
        let html = report(&t, &[name, "--format", "html"]);
        assert!(
            html.starts_with("<main>") && !html.contains("<style>"),
            "{name}: {html}"
        );
    }
}

#[test]
fn an_html_template_given_with_the_option_is_escaped_and_can_extend_the_base() {
    let t = small_plan().file(
        "mine.html",
        "{% extends \"base.html\" %}{% block body %}<p>{{ goals[0].title }}</p>{% endblock %}",
    );
    let html = report(
        &t,
        &["roadmap", "--format", "html", "--template", "mine.html"],
    );
    assert!(html.contains("<p>Goal &lt;one&gt;</p>"), "{html}");
    assert!(html.contains("<style>"), "the base's style is there");
    check_html("roadmap with --template", &html);
}

#[test]
fn a_template_error_names_the_template_and_line() {
    let t = small_plan().file("bad.md", "fine\nstill fine\n{{ oops( }}\n");
    let out = report_in(&t, t.path(), &["backlog", "--template", "bad.md"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("bad.md") && out.stderr.contains("line 3"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");

    let t = small_plan().file(
        ".cairn/templates/reports/backlog.md",
        "a\n{% for s in stories %}\n",
    );
    let out = report_in(&t, t.path(), &["backlog"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("backlog.md"), "{}", out.stderr);
    assert!(out.stderr.contains("line "), "{}", out.stderr);

    // A runtime error (a filter given the wrong type) is located too.
    let t = small_plan().file("bad.md", "x\n{{ stories | num }}\n");
    let out = report_in(&t, t.path(), &["backlog", "--template", "bad.md"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(
        out.stderr.contains("bad.md") && out.stderr.contains("line 2"),
        "{}",
        out.stderr
    );
}

/// Every key of a JSON document, at any depth.
fn keys(doc: &serde_json::Value, out: &mut HashSet<String>) {
    match doc {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                keys(v, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

#[test]
fn every_context_field_is_documented() {
    let docs = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md"),
    )
    .unwrap();
    let words: HashSet<&str> = docs
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    let mut found = HashSet::new();
    let awkward = awkward_plan();
    for name in REPORTS {
        let doc = example_report(&[name, "--context"]);
        keys(&serde_json::from_str(&doc).unwrap(), &mut found);
        let args: &[&str] = if name == "sprint" {
            &[name, "S1", "--context"]
        } else {
            &[name, "--context"]
        };
        let doc = report(&awkward, args);
        keys(&serde_json::from_str(&doc).unwrap(), &mut found);
    }
    assert!(found.len() > 80, "only {} keys found", found.len());
    let mut missing: Vec<&String> = found
        .iter()
        .filter(|k| !words.contains(k.as_str()))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "docs/templates.md does not mention {missing:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Options and errors

#[test]
fn context_is_the_json_format() {
    for name in REPORTS {
        let context = example_report(&[name, "--context"]);
        assert_eq!(
            context,
            example_report(&[name, "--format", "json"]),
            "{name}"
        );
        let doc: serde_json::Value = serde_json::from_str(&context).unwrap();
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["report"], name);
        assert_eq!(doc["today"], TODAY);
        assert_eq!(doc["source"], "work tree");
    }
}

#[test]
fn output_writes_the_file_and_prints_nothing() {
    let t = small_plan();
    let out = report_in(
        &t,
        t.path(),
        &["roadmap", "--format", "html", "--output", "roadmap.html"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout, "");
    assert_eq!(
        t.read("roadmap.html"),
        report(&t, &["roadmap", "--format", "html"])
    );
    let out = report_in(
        &t,
        t.path(),
        &["backlog", "--format", "csv", "-o", "backlog.csv"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(t.read("backlog.csv").starts_with("rank,id,title,"));
}

#[test]
fn an_unknown_sprint_exits_2_with_a_suggestion() {
    let out = report_in(&Test::empty(), &example(), &["sprint", "2027-S22"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("`2027-S22`"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `2027-S2`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn reports_read_the_plan_from_a_revision() {
    let t = small_plan();
    t.git(&["init", "-q"]);
    t.git(&["add", "."]);
    t.git(&["commit", "-q", "-m", "plan"]);
    std::fs::remove_file(t.path().join("plan/S-2.md")).unwrap();
    let doc: serde_json::Value =
        serde_json::from_str(&report(&t, &["backlog", "--context", "--rev", "HEAD"])).unwrap();
    assert_eq!(doc["source"], "HEAD");
    assert_eq!(doc["stories"].as_array().unwrap().len(), 2, "{doc}");
    let html = report(&t, &["backlog", "--format", "html", "--rev", "HEAD"]);
    assert!(html.contains("<dt>Plan</dt><dd>HEAD</dd>"), "{html}");
}

// ---------------------------------------------------------------------------------------------
// Markdown size limit

/// 500 sprints with long names, 12 stories each: the roadmap's Mermaid Gantt and the backlog's
/// table each pass 1 MiB.
fn huge_plan() -> Test {
    let name = |i: usize| format!("sprint-{i:04}-{}", "x".repeat(90));
    let mut config = String::from("sprints:\n");
    for i in 0..500 {
        config.push_str(&format!(
            "  - {{ name: {}, start: 2027-01-04, end: 2027-01-15, capacity: 30 }}\n",
            name(i)
        ));
    }
    let mut t = Test::new().config(&config);
    for g in 1..=3 {
        t = t.item(
            &format!("G-{g}"),
            &format!("title: Goal {g}\nstatus: active\n"),
            "",
        );
    }
    for k in 1..=6000 {
        t = t.item(
            &format!("S-{k}"),
            &format!(
                "title: Story {k} with a rather long title that goes on for the backlog table\nstatus: ready\ngoal: G-{}\nestimate: 1\nsprint: {}\n",
                k % 3 + 1,
                name((k - 1) / 12)
            ),
            "",
        );
    }
    t
}

#[test]
fn markdown_stays_under_one_mebibyte() {
    let t = huge_plan();
    for name in ["roadmap", "backlog"] {
        let md = report(&t, &[name]);
        assert!(md.len() < 1 << 20, "{name}: {} bytes", md.len());
        assert!(
            md.contains("> **Report truncated**"),
            "{name}: no truncation note"
        );
        assert_eq!(
            md.lines()
                .filter(|l| l.trim_start().starts_with("```"))
                .count()
                % 2,
            0,
            "{name}: an unclosed fence"
        );
        for line in md.lines().filter(|l| l.starts_with("| ")) {
            assert!(
                line.ends_with(" |"),
                "{name}: a table row cut short: {line}"
            );
        }
        // The other formats are whole.
        let json = report(&t, &[name, "--format", "json"]);
        assert!(json.len() > 1 << 20, "{name}: JSON is not truncated");
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

#[test]
fn csv_is_rfc_4180() {
    let t = Test::new()
        .item(
            "G-1",
            "title: \"Goal, with \\\"quotes\\\"\"\nstatus: active\nowner: \"a,b\"\n",
            "",
        )
        .item(
            "S-1",
            "title: 'Export, \"fast\" now'\nstatus: ready\ngoal: G-1\nestimate: 2\n",
            "",
        );
    let backlog = report(&t, &["backlog", "--format", "csv"]);
    assert!(
        backlog.contains(",\"Export, \"\"fast\"\" now\","),
        "{backlog}"
    );
    let rows = parse_csv(&backlog);
    assert_eq!(
        rows[0],
        ["rank", "id", "title", "goal", "status", "estimate", "sprint", "moscow", "score"]
    );
    assert_eq!(
        rows[1][..6],
        ["1", "S-1", "Export, \"fast\" now", "G-1", "ready", "2"]
    );
    let roadmap = parse_csv(&report(&t, &["roadmap", "--format", "csv"]));
    assert_eq!(roadmap[1][2], "Goal, with \"quotes\"");
    assert_eq!(roadmap[1][7], "a,b");
    for name in REPORTS {
        let rows = parse_csv(&example_report(&[name, "--format", "csv"]));
        assert!(rows.len() > 1, "{name}: no rows");
        assert!(
            rows.iter().all(|r| r.len() == rows[0].len()),
            "{name}: ragged rows"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// In a real browser

#[test]
fn html_roadmap_renders_in_headless_chromium() {
    let available = Command::new("chromium")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        eprintln!("note: chromium is not installed; skipping the browser test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("roadmap.html");
    std::fs::write(&file, example_report(&["roadmap", "--format", "html"])).unwrap();
    let args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([
        format!("--user-data-dir={}", dir.path().join("profile").display()),
        "--dump-dom".to_string(),
        format!("file://{}", file.display()),
    ])
    .collect();
    let (ok, dom, err) =
        run_with_timeout("chromium", &args, Duration::from_secs(120)).expect("chromium starts");
    assert!(ok, "chromium failed or timed out:\n{err}");
    // The DOM the browser built: every goal card, heading, chart and progress figure is there.
    for text in [
        "<h1>Roadmap</h1>",
        "AI-powered task automation",
        "Enterprise SSO and audit",
        "Real-time collaboration",
        "Mobile offline mode",
        "Faster onboarding",
        "Reporting and insights",
        ">Now <span",
        ">Next <span",
        ">Later <span",
        ">2027-Q2 <span",
        "2 of 8 stories done",
        "<strong>25%</strong>",
        "aria-label=\"G-1 progress: 25%, 2 of 8 stories done\"",
        "<strong>100%</strong>",
        "2027-S2 <span class=\"pill\">current</span>",
        ">Today</text>",
    ] {
        assert!(
            dom.contains(text),
            "the rendered DOM lacks {text:?}:\n{dom}"
        );
    }
    assert_eq!(
        dom.matches("<article class=\"card").count(),
        6,
        "one card per goal"
    );
    let meters = dom.matches("<svg class=\"meter").count();
    assert_eq!(meters, 6, "one progress bar per goal");
    assert!(
        dom.contains("<rect class=\"meter-fill\" width=\"25%\""),
        "G-1's bar is a quarter full"
    );
}
