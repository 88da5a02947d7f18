//! The command-line contract (SPEC §1, §2, §4): exit codes, where cairn runs (`-C`, root
//! discovery) and `check PATH`. Output formats of `check` are in tests/check_formats.rs, `list`
//! and `show` in tests/list_show.rs, `init` and the README in tests/init.rs.

mod common;
use common::plans::*;
use common::{git_in as git, no_panic, Test};
use serde_json::json;

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
