//! The command-line contract: exit codes, root discovery, `check PATH`, every output format of
//! `check`, `list` and its filters, `show`, and `init` (SPEC §1, §2, §4, §10).

mod common;
use common::{git_in as git, keys, no_panic, set, Test};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Helpers

/// Every rule of SPEC §4, plus `moscow-balance` (DSDM's Must limit) and `stale-parent` (history).
const RULES: [&str; 20] = [
    "merge-conflict",
    "parse-error",
    "missing-field",
    "invalid-id",
    "invalid-value",
    "duplicate-id",
    "broken-reference",
    "wrong-kind",
    "dependency-cycle",
    "broken-link",
    "broken-anchor",
    "unknown-sprint",
    "unknown-field",
    "orphan-story",
    "status-conflict",
    "not-ready",
    "over-capacity",
    "moscow-balance",
    "empty-goal",
    "stale-parent",
];

/// The text of an item file.
fn item_text(id: &str, front_matter: &str, body: &str) -> String {
    format!("---\nid: {id}\n{front_matter}---\n{body}")
}

/// A clean plan: a goal with one estimated story.
fn clean() -> Test {
    Test::new()
        .goal("G-1")
        .item("S-1", "title: A story\nstatus: draft\ngoal: G-1\n", "")
}

/// A plan with one error (S-2's broken goal, 5:7) and one warning (S-3, an orphan story).
fn errors_and_warnings() -> Test {
    clean()
        .item("S-2", "title: Broken\nstatus: draft\ngoal: G-404\n", "")
        .item("S-3", "title: Orphan\nstatus: draft\n", "")
}

/// A plan with only a warning: an orphan story.
fn warnings_only() -> Test {
    clean().item("S-3", "title: Orphan\nstatus: draft\n", "")
}

fn ids(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items array: {v}"))
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn exit_0_when_the_plan_is_clean() {
    let out = clean().run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("no findings"), "{}", out.stdout);
    assert_eq!(clean().check().rules(), Vec::<String>::new());
}

#[test]
fn exit_1_on_errors() {
    let t = errors_and_warnings();
    assert_eq!(t.run(&["check"]).code, 1);
    assert_eq!(t.check().code, 1);
}

#[test]
fn exit_0_with_warnings_only() {
    let t = warnings_only();
    let out = t.check();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(out.rules(), vec!["orphan-story"]);
    assert_eq!(out.json()["summary"], json!({"errors": 0, "warnings": 1}));
    assert_eq!(t.run(&["check"]).code, 0);
}

#[test]
fn exit_1_with_warnings_and_deny_warnings() {
    let t = warnings_only();
    assert_eq!(t.run(&["check", "--deny", "warnings"]).code, 1);
    assert_eq!(
        t.run(&["check", "--deny", "warnings", "--format", "json"])
            .code,
        1
    );
    // And a clean plan stays clean.
    assert_eq!(clean().run(&["check", "--deny", "warnings"]).code, 0);
}

#[test]
fn exit_2_for_a_bad_flag() {
    let t = clean();
    for args in [
        &["check", "--no-such-flag"][..],
        &["check", "--format", "yaml"],
        &["check", "--deny", "everything"],
        &["no-such-command"],
        &["list", "--format", "xml"],
        &["list", "--category", "someday"],
    ] {
        let out = t.run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(!out.stderr.is_empty(), "{args:?} says why");
        no_panic(&out);
    }
}

#[test]
fn exit_2_for_a_directory_that_does_not_exist() {
    let out = Test::new().run(&["-C", "/nonexistent/cairn-test", "check"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("/nonexistent/cairn-test"),
        "{}",
        out.stderr
    );
    no_panic(&out);
}

#[test]
fn exit_2_for_an_invalid_config_with_its_location() {
    let t = clean().config("plan_dir: plan\nrules:\n  orphan-story: loud\n");
    let out = t.run(&["check"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("cairn.yaml:3:17"), "{}", out.stderr);

    // A YAML syntax error in the config is located too.
    let t = clean().config("plan_dir: plan\nkinds: {goal: {prefix: G}\n");
    let out = t.run(&["check"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    let located = out.stderr.split("cairn.yaml:").nth(1).and_then(|rest| {
        let mut it = rest.splitn(3, ':');
        let line = it.next()?.parse::<u32>().ok()?;
        let col = it.next()?.trim().parse::<u32>().ok()?;
        Some((line, col))
    });
    assert!(
        located.is_some(),
        "no cairn.yaml:LINE:COL in {}",
        out.stderr
    );
    no_panic(&out);

    // Every command that loads the plan fails the same way.
    let t = clean().config("rules:\n  orphan-story: loud\n");
    for args in [&["list"][..], &["show", "G-1"]] {
        let out = t.run(args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.contains("cairn.yaml:2:17"), "{}", out.stderr);
    }
}

#[test]
fn exit_2_when_there_is_no_plan_directory() {
    let t = Test::empty();
    for args in [&["check"][..], &["list"], &["show", "G-1"]] {
        let out = t.run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(out.stderr.contains("plan"), "{}", out.stderr);
        no_panic(&out);
    }
    // With a config naming a plan directory that is missing.
    let t = Test::empty().config("plan_dir: roadmap\n");
    let out = t.run(&["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("roadmap"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// Where cairn runs

#[test]
fn dash_c_changes_folder_first() {
    let t = errors_and_warnings();
    let elsewhere = tempfile::tempdir().unwrap();
    let root = t.root();
    let out = t.run_in(
        elsewhere.path(),
        &["-C", root.to_str().unwrap(), "check", "--format", "json"],
    );
    assert_eq!(out.code, 1);
    assert!(out
        .findings()
        .contains(&("broken-reference".into(), "plan/S-2.md".into(), 5, 7)));

    // Relative to the current folder, and after the subcommand too (it is global).
    let parent = root.parent().unwrap();
    let name = root.file_name().unwrap().to_str().unwrap();
    let out = t.run_in(parent, &["check", "-C", name, "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.json()["items"], 4);
}

#[test]
fn root_is_the_folder_holding_cairn_yaml() {
    let t = Test::empty()
        .file("README.md", "# Not the plan\n")
        .config("plan_dir: roadmap\n")
        .file(
            "roadmap/goals/G-1.md",
            item_text("G-1", "title: Goal\nstatus: proposed\n", ""),
        )
        .file(
            "roadmap/stories/S-1.md",
            item_text("S-1", "title: Story\nstatus: draft\ngoal: G-2\n", ""),
        );
    let nested = t.root().join("roadmap/stories");
    let out = t.run_in(&nested, &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.findings(),
        vec![(
            "broken-reference".into(),
            "roadmap/stories/S-1.md".into(),
            5,
            7
        )],
        "paths relative to the folder of cairn.yaml"
    );

    // A nested project: the nearest cairn.yaml wins, even inside another one.
    let t = Test::new()
        .config("plan_dir: plan\n")
        .goal("G-1")
        .file("app/cairn.yaml", "plan_dir: plan\n")
        .file(
            "app/plan/stories/S-7.md",
            item_text("S-7", "title: Story\nstatus: draft\ngoal: G-9\n", ""),
        );
    let out = t.run_in(
        &t.root().join("app/plan/stories"),
        &["check", "--format", "json"],
    );
    assert_eq!(
        out.findings(),
        vec![(
            "broken-reference".into(),
            "plan/stories/S-7.md".into(),
            5,
            7
        )]
    );
}

#[test]
fn without_cairn_yaml_the_root_is_the_git_work_tree() {
    let t = Test::new()
        .file(
            "plan/goals/G-1.md",
            item_text("G-1", "title: Goal\nstatus: proposed\n", ""),
        )
        .file(
            "plan/stories/S-1.md",
            item_text("S-1", "title: Story\nstatus: draft\ngoal: G-2\n", ""),
        );
    git(t.path(), &["init", "-q"]);
    let out = t.run_in(
        &t.root().join("plan/stories"),
        &["check", "--format", "json"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.findings(),
        vec![(
            "broken-reference".into(),
            "plan/stories/S-1.md".into(),
            5,
            7
        )]
    );
    let out = t.run_in(&t.root().join("plan/goals"), &["show", "G-1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// check PATH

fn two_files() -> Test {
    Test::new()
        .config("plan_dir: plan\n")
        .file(
            "plan/goals/G-1.md",
            item_text("G-1", "title: Goal\nstatus: active\n", ""),
        )
        .file(
            "plan/goals/G-2.md",
            item_text("G-2", "title: Bad goal\nstatus: activ\n", ""),
        )
        .file(
            "plan/stories/S-1.md",
            item_text("S-1", "title: Fine\nstatus: draft\ngoal: G-1\n", ""),
        )
        .file(
            "plan/stories/S-2.md",
            item_text(
                "S-2",
                "title: Broken\nstatus: draft\ngoal: G-1\ndepends_on: [S-404]\n",
                "",
            ),
        )
}

#[test]
fn check_path_reports_only_that_file_but_resolves_against_the_whole_plan() {
    let t = two_files();
    let all = t.check();
    assert_eq!(all.code, 1);
    assert!(all.findings().iter().any(|f| f.1 == "plan/goals/G-2.md"));
    assert!(all.findings().iter().any(|f| f.1 == "plan/stories/S-2.md"));

    // S-1's goal is in another file: not a finding; the others' findings are not shown.
    let out = t.run(&["check", "plan/stories/S-1.md", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(out.findings(), vec![]);

    let out = t.run(&["check", "plan/stories/S-2.md", "--format", "json"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.findings(),
        vec![(
            "broken-reference".into(),
            "plan/stories/S-2.md".into(),
            6,
            14
        )]
    );

    // A path relative to the current folder, and a folder.
    let out = t.run_in(
        &t.root().join("plan/stories"),
        &["check", "S-2.md", "--format", "json"],
    );
    assert_eq!(out.findings().len(), 1, "{:?}", out.findings());
    assert_eq!(out.findings()[0].1, "plan/stories/S-2.md");
    let out = t.run(&["check", "plan/goals", "--format", "json"]);
    assert!(
        !out.findings().is_empty() && out.findings().iter().all(|f| f.1 == "plan/goals/G-2.md"),
        "{:?}",
        out.findings()
    );
    // Human output too.
    let out = t.run(&["check", "plan/stories/S-1.md"]);
    assert_eq!(out.code, 0);
    assert!(!out.stdout.contains("G-2.md"), "{}", out.stdout);
}

// ---------------------------------------------------------------------------------------------
// check --format …

#[test]
fn json_has_exactly_the_documented_shape() {
    let t = errors_and_warnings().item("S-4", "title: Typo\nstatus: in-progres\ngoal: G-1\n", "");
    let out = t.check();
    assert_eq!(out.code, 1);
    let doc = out.json();
    assert_eq!(
        keys(&doc),
        set(&["version", "items", "diagnostics", "summary"])
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["items"], 5);
    assert_eq!(keys(&doc["summary"]), set(&["errors", "warnings"]));
    let diags = doc["diagnostics"].as_array().unwrap();
    let mut errors = 0;
    let mut warnings = 0;
    let mut saw_null_help = false;
    let mut saw_help = false;
    for d in diags {
        assert_eq!(
            keys(d),
            set(&["rule", "severity", "file", "line", "column", "message", "help"]),
            "{d}"
        );
        assert!(RULES.contains(&d["rule"].as_str().unwrap()), "{d}");
        match d["severity"].as_str().unwrap() {
            "error" => errors += 1,
            "warning" => warnings += 1,
            other => panic!("severity {other}"),
        }
        let file = d["file"].as_str().unwrap();
        assert!(file.starts_with("plan/") && !file.contains('\\'), "{file}");
        assert!(d["line"].as_u64().unwrap() >= 1);
        assert!(d["column"].as_u64().unwrap() >= 1);
        assert!(!d["message"].as_str().unwrap().is_empty());
        match &d["help"] {
            Value::Null => saw_null_help = true,
            Value::String(s) => {
                assert!(!s.is_empty());
                saw_help = true
            }
            other => panic!("help must be a string or null, not {other}"),
        }
    }
    assert!(saw_null_help && saw_help, "{diags:?}");
    assert_eq!(
        doc["summary"],
        json!({"errors": errors, "warnings": warnings})
    );
    let typo = diags
        .iter()
        .find(|d| d["file"] == "plan/S-4.md")
        .expect("S-4 finding");
    assert_eq!(typo["rule"], "invalid-value");
    assert_eq!(
        (typo["line"].as_u64(), typo["column"].as_u64()),
        (Some(4), Some(9))
    );
    assert!(
        typo["help"].as_str().unwrap().contains("in-progress"),
        "{typo}"
    );
}

#[test]
fn github_format_is_one_workflow_command_per_finding() {
    let t = errors_and_warnings();
    let out = t.run(&["check", "--format", "github"]);
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert_eq!(
        lines[0],
        "::error file=plan/S-2.md,line=5,col=7,title=cairn(broken-reference)::`goal` names `G-404`, which does not exist",
        "data keeps `,` and `:` unescaped"
    );
    assert!(
        lines[1].starts_with("::warning file=plan/S-3.md,line="),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(",title=cairn(orphan-story)::"),
        "{}",
        lines[1]
    );
}

#[test]
fn github_format_escapes_values_as_github_requires() {
    let t = clean()
        // A file name with `,`, `:` and `%`: property values escape all three.
        .file(
            "plan/odd,name:50%.md",
            item_text("S-5", "title: Odd\nstatus: draft\ngoal: G-404\n", ""),
        )
        // A message with `%` and a help line: data escapes `%` and the newline.
        .file("plan/notes.md", "See [the report](100%.md).\n");
    let out = t.run(&["check", "--format", "github"]);
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "one line per finding:\n{}", out.stdout);
    let link = lines
        .iter()
        .find(|l| l.contains("cairn(broken-link)"))
        .expect("broken-link line");
    assert!(
        link.starts_with("::error file=plan/notes.md,line=1,col=5,title=cairn(broken-link)::"),
        "{link}"
    );
    let data = link.split_once("::").unwrap().1.split_once("::").unwrap().1;
    assert!(data.contains("100%25.md"), "`%` escaped in data: {data}");
    assert!(
        !data.replace("%25", "").replace("%0A", "").contains('%'),
        "{data}"
    );
    let odd = lines
        .iter()
        .find(|l| l.contains("cairn(broken-reference)"))
        .expect("broken-reference line");
    assert!(
        odd.starts_with(
            "::error file=plan/odd%2Cname%3A50%25.md,line=5,col=7,title=cairn(broken-reference)::"
        ),
        "{odd}"
    );

    // A help line becomes `%0A` in the data, never a raw newline.
    let t = clean().item("S-6", "title: T\nstatus: in-progres\ngoal: G-1\n", "");
    let out = t.run(&["check", "--format", "github"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert!(lines[0].contains("%0Ahelp: "), "{}", lines[0]);
}

#[test]
fn github_format_paths_are_relative_to_the_repository() {
    let t = Test::empty()
        .file("app/cairn.yaml", "plan_dir: plan\n")
        .file(
            "app/plan/S-1.md",
            item_text("S-1", "title: Story\nstatus: draft\ngoal: G-404\n", ""),
        );
    git(t.path(), &["init", "-q"]);
    let out = t.run_in(&t.root().join("app"), &["check", "--format", "github"]);
    assert!(
        out.stdout.starts_with(
            "::error file=app/plan/S-1.md,line=5,col=7,title=cairn(broken-reference)::"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn sarif_is_valid_2_1_0_with_every_rule_and_located_results() {
    let t = errors_and_warnings();
    let out = t.run(&["check", "--format", "sarif"]);
    assert_eq!(out.code, 1);
    let doc = out.json();
    assert_eq!(doc["version"], "2.1.0");
    assert!(
        doc["$schema"].as_str().unwrap().contains("sarif"),
        "{}",
        doc["$schema"]
    );
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "cairn");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule_ids: BTreeSet<String> = rules
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rule_ids, set(&RULES), "one rule entry per rule");
    assert_eq!(rules.len(), RULES.len());
    for r in rules {
        assert!(
            !r["shortDescription"]["text"]
                .as_str()
                .unwrap_or("")
                .is_empty(),
            "{r}"
        );
    }
    let json_findings = t.check().findings();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), json_findings.len());
    for (res, (rule, file, line, col)) in results.iter().zip(&json_findings) {
        assert_eq!(res["ruleId"], rule.as_str());
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[idx]["id"],
            rule.as_str(),
            "ruleIndex points at the rule"
        );
        assert!(["error", "warning", "note"].contains(&res["level"].as_str().unwrap()));
        assert!(!res["message"]["text"].as_str().unwrap().is_empty());
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], file.as_str());
        assert_eq!(loc["region"]["startLine"], *line);
        assert_eq!(loc["region"]["startColumn"], *col);
    }
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, vec!["error", "warning"]);
}

#[test]
fn gitlab_is_code_quality_json_with_stable_fingerprints() {
    let t = errors_and_warnings().file("plan/notes.md", "See [a](gone.md).\n");
    let first = t.run(&["check", "--format", "gitlab"]);
    assert_eq!(first.code, 1);
    let doc = first.json();
    let entries = doc.as_array().expect("an array");
    assert_eq!(entries.len(), 3);
    let json_findings = t.check().findings();
    for (e, (rule, file, line, _)) in entries.iter().zip(&json_findings) {
        assert_eq!(
            keys(e),
            set(&[
                "description",
                "check_name",
                "fingerprint",
                "severity",
                "location"
            ]),
            "{e}"
        );
        assert_eq!(e["check_name"], rule.as_str());
        assert!(!e["description"].as_str().unwrap().is_empty());
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&e["severity"].as_str().unwrap()),
            "{e}"
        );
        assert_eq!(keys(&e["location"]), set(&["path", "lines"]));
        assert_eq!(e["location"]["path"], file.as_str());
        assert_eq!(e["location"]["lines"]["begin"], *line);
        assert!(!e["fingerprint"].as_str().unwrap().is_empty());
    }
    let second = t.run(&["check", "--format", "gitlab"]);
    assert_eq!(first.stdout, second.stdout, "stable across runs");
    let fps: BTreeSet<&str> = entries
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), entries.len(), "fingerprints are unique");

    // Stable when an unrelated file changes.
    let t2 = errors_and_warnings()
        .file("plan/notes.md", "See [a](gone.md).\n")
        .item("S-9", "title: New\nstatus: draft\ngoal: G-1\n", "");
    let third = t2.run(&["check", "--format", "gitlab"]).json();
    let fps2: BTreeSet<&str> = third
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps, fps2);
}

#[test]
fn gitlab_fingerprints_are_unique_per_finding() {
    // Two broken links to the same file on the same line are two findings; GitLab collapses
    // entries that share a fingerprint, so each needs its own.
    let t = clean().file("plan/notes.md", "See [a](gone.md) and [b](gone.md).\n");
    assert_eq!(t.check().findings().len(), 2);
    let doc = t.run(&["check", "--format", "gitlab"]).json();
    let fps: BTreeSet<&str> = doc
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(fps.len(), 2, "{doc:#}");
}

#[test]
fn human_format_is_rustc_style_and_colourless_without_a_terminal() {
    let t = errors_and_warnings();
    // NO_COLOR set (the harness default).
    let out = t.run(&["check"]);
    assert!(
        !out.stdout.contains('\x1b') && !out.stderr.contains('\x1b'),
        "{:?}",
        out.stdout
    );
    assert!(
        out.stdout.contains("error[broken-reference]: "),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("--> plan/S-2.md:5:7"), "{}", out.stdout);
    assert!(
        out.stdout.contains("goal: G-404"),
        "the source line: {}",
        out.stdout
    );
    assert!(
        out.stdout.contains("^^^^^"),
        "a caret under the span: {}",
        out.stdout
    );
    assert!(
        out.stdout.contains("warning[orphan-story]: "),
        "{}",
        out.stdout
    );
    let last = out.stdout.trim_end().lines().last().unwrap();
    assert!(
        last.contains("1 error") && last.contains("1 warning"),
        "summary line: {last}"
    );

    // NO_COLOR unset, output piped (not a terminal): still no colour.
    let t = errors_and_warnings().env("NO_COLOR", "");
    let out = t.run(&["check"]);
    assert!(!out.stdout.contains('\x1b'), "{:?}", out.stdout);
    for args in [&["list"][..], &["show", "S-2"]] {
        let out = t.run(args);
        assert!(!out.stdout.contains('\x1b'), "{args:?}: {:?}", out.stdout);
    }
    let out = t.run(&["show", "S-404"]);
    assert!(!out.stderr.contains('\x1b'), "{:?}", out.stderr);

    // Control: colour can be forced.
    let out = t.run(&["--color", "always", "check"]);
    assert!(out.stdout.contains('\x1b'), "{:?}", out.stdout);
}

// ---------------------------------------------------------------------------------------------
// list

/// A plan for listing: two goals, four stories, sprints, tags, owners.
fn listing() -> Test {
    Test::new()
        .config(
            "sprints:\n  - { name: 2027-S1, start: 2027-01-04, end: 2027-01-15, capacity: 30 }\n  - { name: 2027-S2, start: 2027-01-18, end: 2027-01-29, capacity: 30 }\n",
        )
        .item(
            "G-1",
            "title: Automation\nstatus: active\ntags: [ai]\nowner: priya\nmoscow: must\n",
            "",
        )
        .item("G-2", "title: Mobile\nstatus: proposed\n", "")
        .item(
            "S-1",
            "title: Recurring tasks\nstatus: draft\ngoal: G-1\nestimate: 3\nsprint: 2027-S1\ntags: [x]\nowner: alice\n",
            "",
        )
        .item(
            "S-2",
            "title: Suggest assignee\nstatus: in-progress\ngoal: G-1\nestimate: 5\nsprint: 2027-S2\ntags: [y]\nassignee: bob\nmoscow: should\n",
            "",
        )
        .item(
            "S-10",
            "title: Offline sync\nstatus: done\ngoal: G-2\nestimate: 8\ntags: [x, y]\nowner: carol\n",
            "",
        )
        .item(
            "S-3",
            "title: 'Say \"hi\", world'\nstatus: dropped\ngoal: G-2\n",
            "",
        )
}

#[test]
fn list_table_is_sorted_by_kind_then_number() {
    let t = listing();
    let out = t.run(&["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        vec!["ID", "KIND", "STATUS", "EST", "SPRINT", "PARENT", "TITLE"]
    );
    let first_col: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(first_col, vec!["G-1", "G-2", "S-1", "S-2", "S-3", "S-10"]);
    let s2 = lines.iter().find(|l| l.starts_with("S-2 ")).unwrap();
    assert_eq!(
        s2.split_whitespace().collect::<Vec<_>>(),
        vec![
            "S-2",
            "story",
            "in-progress",
            "5",
            "2027-S2",
            "G-1",
            "Suggest",
            "assignee"
        ]
    );
    // Columns line up: every row's KIND starts where the header's does.
    let kind_col = lines[0].find("KIND").unwrap();
    for l in &lines[1..] {
        assert_eq!(
            &l[kind_col..kind_col + 1],
            if l.starts_with('G') { "g" } else { "s" },
            "{l}"
        );
    }
}

#[test]
fn list_json_has_exactly_the_documented_keys() {
    let t = listing();
    let out = t.run(&["list", "--format", "json"]);
    assert_eq!(out.code, 0);
    let doc = out.json();
    assert_eq!(keys(&doc), set(&["version", "items"]));
    assert_eq!(doc["version"], 1);
    let want = set(&[
        "id", "kind", "title", "status", "category", "file", "parent", "estimate", "sprint",
        "moscow", "tags",
    ]);
    for item in doc["items"].as_array().unwrap() {
        assert_eq!(keys(item), want, "{item}");
    }
    let s2 = &doc["items"][3];
    assert_eq!(
        *s2,
        json!({
            "id": "S-2", "kind": "story", "title": "Suggest assignee", "status": "in-progress",
            "category": "doing", "file": "plan/S-2.md", "parent": "G-1", "estimate": 5.0,
            "sprint": "2027-S2", "moscow": "should", "tags": ["y"]
        })
    );
    let g2 = &doc["items"][1];
    assert_eq!(g2["parent"], Value::Null);
    assert_eq!(g2["estimate"], Value::Null);
    assert_eq!(g2["sprint"], Value::Null);
    assert_eq!(g2["moscow"], Value::Null);
    assert_eq!(g2["tags"], json!([]));
}

#[test]
fn list_csv_is_rfc_4180() {
    let t = listing();
    let out = t.run(&["list", "--format", "csv", "--kind", "story"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.starts_with(
            "id,kind,title,status,category,file,parent,estimate,sprint,moscow,tags\r\n"
        ),
        "{:?}",
        out.stdout
    );
    let lines: Vec<&str> = out.stdout.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), 5, "{:?}", out.stdout);
    assert!(!out.stdout.replace("\r\n", "").contains('\n'));
    assert_eq!(
        lines[3],
        "S-3,story,\"Say \"\"hi\"\", world\",dropped,dropped,plan/S-3.md,G-2,,,,"
    );
    assert_eq!(
        lines[1],
        "S-1,story,Recurring tasks,draft,todo,plan/S-1.md,G-1,3,2027-S1,,x"
    );
}

fn list_ids(t: &Test, args: &[&str]) -> Vec<String> {
    let mut all = vec!["list", "--format", "json"];
    all.extend_from_slice(args);
    let out = t.run(&all);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    ids(&out.json())
}

#[test]
fn list_filters() {
    let t = listing();
    let cases: &[(&[&str], &[&str])] = &[
        (&[], &["G-1", "G-2", "S-1", "S-2", "S-3", "S-10"]),
        (&["--kind", "goal"], &["G-1", "G-2"]),
        (&["--kind", "story"], &["S-1", "S-2", "S-3", "S-10"]),
        (&["--status", "draft"], &["S-1"]),
        (&["--status", "draft,done"], &["S-1", "S-10"]),
        (
            &["--status", "draft", "--status", "proposed"],
            &["G-2", "S-1"],
        ),
        (&["--category", "doing"], &["G-1", "S-2"]),
        (&["--category", "todo"], &["G-2", "S-1"]),
        (&["--category", "done,dropped"], &["S-3", "S-10"]),
        (&["--goal", "G-1"], &["S-1", "S-2"]),
        (&["--goal", "G-2"], &["S-3", "S-10"]),
        (&["--tag", "x"], &["S-1", "S-10"]),
        (&["--tag", "ai"], &["G-1"]),
        (&["--owner", "alice"], &["S-1"]),
        (&["--owner", "bob"], &["S-2"]),
        (&["--owner", "priya,carol"], &["G-1", "S-10"]),
        (&["--sprint", "2027-S1"], &["S-1"]),
        (&["--sprint", "2027-S1,2027-S2"], &["S-1", "S-2"]),
        (&["--kind", "story", "--tag", "y"], &["S-2", "S-10"]),
        (&["--goal", "G-1", "--status", "in-progress"], &["S-2"]),
        (&["--owner", "nobody"], &[]),
    ];
    for (args, want) in cases {
        assert_eq!(list_ids(&t, args), *want, "list {args:?}");
    }
    // The table says so when nothing matches.
    let out = t.run(&["list", "--owner", "nobody"]);
    assert_eq!(out.code, 0);
    assert!(!out.stdout.trim().is_empty());
    // An unknown kind is a usage error.
    let out = t.run(&["list", "--kind", "epic"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("epic"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// show

/// A goal with three stories: S-1 done (2 points), S-2 draft (6 points), S-3 done without an
/// estimate; S-4 depends on S-1; S-1 has acceptance criteria, one box of four checked.
fn showing(s3_estimate: bool) -> Test {
    let est = if s3_estimate { "estimate: 2\n" } else { "" };
    Test::new()
        .item(
            "G-1",
            "title: Automation\nstatus: active\nowner: priya\nrice: { reach: 100, impact: 1, confidence: 50%, effort: 2 }\n",
            "Why it matters.\n",
        )
        .item(
            "S-1",
            "title: Recurring tasks\nstatus: done\ngoal: G-1\nestimate: 2\n",
            "As a lead, I can make a task recur, so that I stop re-creating it.\n\n## Acceptance criteria\n- [x] daily\n- [ ] weekly\n- [ ] monthly\n- [ ] yearly\n",
        )
        .item("S-2", "title: Rules\nstatus: draft\ngoal: G-1\nestimate: 6\n", "")
        .item(
            "S-3",
            &format!("title: Summaries\nstatus: done\ngoal: G-1\n{est}"),
            "",
        )
        .item(
            "S-4",
            "title: Run log\nstatus: draft\ngoal: G-1\nestimate: 1\ndepends_on: [S-1, S-2]\n",
            "",
        )
}

fn show_json(t: &Test, id: &str) -> Value {
    let out = t.run(&["show", id, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()
}

#[test]
fn show_json_has_the_list_keys_plus_relations_progress_and_score() {
    let t = showing(true);
    let s1 = show_json(&t, "S-1");
    let want = set(&[
        "version",
        "id",
        "kind",
        "title",
        "status",
        "category",
        "file",
        "parent",
        "estimate",
        "sprint",
        "moscow",
        "tags",
        "children",
        "depends_on",
        "dependents",
        "progress",
        "score",
    ]);
    let have = keys(&s1);
    assert!(
        have.is_superset(&want),
        "missing: {:?}",
        want.difference(&have).collect::<Vec<_>>()
    );
    assert_eq!(s1["version"], 1);
    assert_eq!(s1["id"], "S-1");
    assert_eq!(s1["kind"], "story");
    assert_eq!(s1["parent"], "G-1");
    assert_eq!(s1["category"], "done");
    assert_eq!(s1["children"], json!([]));
    assert_eq!(s1["depends_on"], json!([]));
    assert_eq!(s1["dependents"], json!(["S-4"]));
    assert_eq!(s1["progress"], 0.25, "1 of 4 acceptance criteria");
    assert_eq!(s1["score"], Value::Null, "no RICE inputs");

    let s4 = show_json(&t, "S-4");
    assert_eq!(s4["depends_on"], json!(["S-1", "S-2"]));
    assert_eq!(s4["progress"], Value::Null, "no acceptance criteria");

    let g1 = show_json(&t, "G-1");
    assert_eq!(g1["children"], json!(["S-1", "S-2", "S-3", "S-4"]));
    assert_eq!(g1["parent"], Value::Null);
    assert_eq!(g1["score"], 25.0, "100 × 1 × 0.5 / 2");

    // The list row is the same in both.
    let list = t.run(&["list", "--format", "json"]).json();
    let row = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "S-1")
        .unwrap()
        .clone();
    for (k, v) in row.as_object().unwrap() {
        assert_eq!(&s1[k], v, "{k}");
    }
}

#[test]
fn goal_progress_is_done_points_over_total_points() {
    let g1 = show_json(&showing(true), "G-1");
    // Done: S-1 (2) + S-3 (2) of 2 + 6 + 2 + 1 = 11.
    let p = g1["progress"].as_f64().unwrap();
    assert!((p - 4.0 / 11.0).abs() < 1e-9, "{p}");
}

#[test]
fn goal_progress_counts_stories_when_one_lacks_an_estimate() {
    let g1 = show_json(&showing(false), "G-1");
    // S-3 has no estimate: 2 done stories of 4.
    assert_eq!(g1["progress"], 0.5);
}

#[test]
fn progress_zero_is_not_negative_zero() {
    let t = Test::new().goal("G-1").item(
        "S-1",
        "title: A\nstatus: draft\ngoal: G-1\nestimate: 3\n",
        "",
    );
    let out = t.run(&["show", "G-1", "--format", "json"]);
    assert_eq!(out.json()["progress"], 0.0);
    assert!(!out.stdout.contains("-0"), "{}", out.stdout);
    let out = t.run(&["show", "G-1"]);
    assert!(out.stdout.contains("0%"), "{}", out.stdout);
    assert!(!out.stdout.contains("-0"), "{}", out.stdout);
}

#[test]
fn show_human_prints_the_item_and_its_relations() {
    let t = showing(true);
    let out = t.run(&["show", "S-1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let s = &out.stdout;
    assert!(
        s.lines().next().unwrap().contains("S-1") && s.contains("Recurring tasks"),
        "{s}"
    );
    assert!(s.contains("plan/S-1.md"), "{s}");
    assert!(s.contains("G-1  Automation"), "the parent: {s}");
    assert!(s.contains("S-4  Run log"), "the dependent: {s}");
    assert!(
        s.contains("25%") && s.contains("1/4"),
        "criteria progress: {s}"
    );
    assert!(
        s.contains("As a lead, I can make a task recur"),
        "the statement: {s}"
    );

    let out = t.run(&["show", "G-1"]);
    assert_eq!(out.code, 0);
    for child in ["S-1", "S-2", "S-3", "S-4"] {
        assert!(out.stdout.contains(child), "{}", out.stdout);
    }
    assert!(out.stdout.contains("25"), "score: {}", out.stdout);
    assert!(out.stdout.contains("36%"), "4/11 points: {}", out.stdout);
}

#[test]
fn show_unknown_id_is_exit_2_with_did_you_mean() {
    let t = showing(true);
    let out = t.run(&["show", "S-5"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("S-5"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
    let out = t.run(&["show", "s-1", "--format", "json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean `S-1`"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// init

fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, root, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

#[test]
fn init_creates_a_plan_that_checks_clean() {
    let t = Test::empty();
    let out = t.run(&["init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let files: Vec<String> = snapshot(t.path()).into_keys().collect();
    assert!(files.contains(&"cairn.yaml".to_string()), "{files:?}");
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("plan/goals/") && f.ends_with(".md")),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.starts_with("plan/stories/") && f.ends_with(".md")),
        "{files:?}"
    );
    for f in &files {
        assert!(
            out.stdout.contains(f.as_str()),
            "init names {f}: {}",
            out.stdout
        );
    }

    let check = t.check();
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert_eq!(check.rules(), Vec::<String>::new());
    assert!(check.json()["items"].as_u64().unwrap() >= 2);
    let human = t.run(&["check", "--deny", "warnings"]);
    assert_eq!(human.code, 0, "{}", human.stdout);
    assert!(human.stdout.contains("no findings"), "{}", human.stdout);
    // The scaffold lists and shows.
    assert_eq!(list_ids(&t, &[]).len(), files.len() - 1);
}

#[test]
fn init_with_dash_c_writes_there() {
    let t = Test::empty();
    std::fs::create_dir(t.path().join("project")).unwrap();
    let out = t.run(&["-C", "project", "init"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(t.path().join("project/cairn.yaml").is_file());
    assert!(!t.path().join("cairn.yaml").exists());
}

#[test]
fn init_a_second_time_refuses_and_changes_nothing() {
    let t = Test::empty();
    assert_eq!(t.run(&["init"]).code, 0);
    // The user edits the scaffold…
    let story = snapshot(t.path())
        .into_keys()
        .find(|f| f.starts_with("plan/stories/"))
        .unwrap();
    std::fs::write(t.path().join(&story), "my own words\n").unwrap();
    let before = snapshot(t.path());

    let out = t.run(&["init"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    assert_eq!(snapshot(t.path()), before, "nothing changed");

    // Even when only part of the scaffold is there.
    let t = Test::empty().config("plan_dir: plan\n# mine\n");
    let before = snapshot(t.path());
    let out = t.run(&["init"]);
    assert_eq!(out.code, 2);
    assert_eq!(snapshot(t.path()), before);
}

// ---------------------------------------------------------------------------------------------
// README

#[test]
fn readme_quick_start_checks_the_example_plan() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(manifest.join("README.md")).unwrap();
    assert!(
        readme.contains("cargo run --release -- -C docs/example check"),
        "the README's quick start changed; update this test"
    );
    let example = manifest.join("docs/example");
    let t = Test::empty();
    let out = t.run(&["-C", example.to_str().unwrap(), "check"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("no findings"), "{}", out.stdout);
    // Relative, as the README writes it, from the manifest folder.
    let out = t.run_in(manifest, &["-C", "docs/example", "check"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}
