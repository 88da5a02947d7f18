//! `cairn set` (SPEC §5): each edit shape changes only the lines it must, byte for byte; edits
//! that would break the plan are refused with located findings; `--dry-run` and `--format json`.

mod common;
use common::{ok, Output, Test};

// ---------------------------------------------------------------------------------------------
// Helpers

const STORY: &str = "\
---
# Owned by the onboarding squad.
id: S-1
title: 'Import from CSV'   # keep it short
status: ready # moved in planning
goal: G-1
estimate: 3
tags:
  - import
  - csv
# scoring below
rice: { reach: 1200, impact: 1, confidence: 80%, effort: 3 }
---
As a new user, I can import tasks from a CSV file.

## Acceptance criteria
- [ ] A CSV with a header row imports
";

/// A goal and the story above at `plan/S-1.md`.
fn plan() -> Test {
    Test::new().goal("G-1").file("plan/S-1.md", STORY)
}

/// Runs `cairn set S-1 ARGS…` and returns the output and the file's new text.
fn set(t: &Test, args: &[&str]) -> (Output, String) {
    let mut all = vec!["set", "S-1"];
    all.extend(args);
    let out = t.run(&all);
    (out, t.read("plan/S-1.md"))
}

/// A minimal story front matter with extra lines.
fn story(id: &str, title: &str, extra: &str) -> String {
    format!("---\nid: {id}\ntitle: {title}\nstatus: draft\ngoal: G-1\n{extra}---\n")
}

/// `STORY` with line `from` replaced by `to` (must occur once).
fn story_with(from: &str, to: &str) -> String {
    assert_eq!(STORY.matches(from).count(), 1, "{from:?}");
    STORY.replacen(from, to, 1)
}

// ---------------------------------------------------------------------------------------------
// cairn set: each edit shape, byte for byte

#[test]
fn a_scalar_changes_and_nothing_else_does() {
    let t = plan();
    let (out, text) = set(&t, &["status=done"]);
    ok(&out);
    assert_eq!(
        text,
        story_with(
            "status: ready # moved in planning",
            "status: done # moved in planning"
        )
    );
    assert_eq!(out.stdout, "plan/S-1.md\n  status: ready → done\n");
}

#[test]
fn a_quoted_value_keeps_its_quotes_and_trailing_comment() {
    let t = plan();
    let (out, text) = set(&t, &["title=Import from a CSV file"]);
    ok(&out);
    assert_eq!(
        text,
        story_with(
            "title: 'Import from CSV'   # keep it short",
            "title: 'Import from a CSV file'   # keep it short"
        )
    );
    let (_, text) = set(&t, &["title=It's done"]);
    assert!(
        text.contains("title: 'It''s done'   # keep it short\n"),
        "{text}"
    );
}

#[test]
fn values_that_would_not_read_back_are_quoted() {
    let t = plan();
    let (out, text) = set(&t, &["owner=Ops: Priya", "assignee=@sam"]);
    ok(&out);
    assert!(text.contains("owner: \"Ops: Priya\"\n"), "{text}");
    assert!(text.contains("assignee: \"@sam\"\n"), "{text}");
    assert_eq!(t.check().rules(), Vec::<String>::new());
}

#[test]
fn a_block_list_becomes_one_line_and_the_comment_after_it_stays() {
    let t = plan();
    let (out, text) = set(&t, &["tags=[import, csv, onboarding]"]);
    ok(&out);
    assert_eq!(
        text,
        story_with(
            "tags:\n  - import\n  - csv\n",
            "tags: [import, csv, onboarding]\n"
        )
    );
    assert!(out
        .stdout
        .contains("tags: [import, csv] → [import, csv, onboarding]"));
}

#[test]
fn a_nested_key_in_a_flow_map_changes_only_that_number() {
    let t = plan();
    let (out, text) = set(&t, &["rice.effort=2"]);
    ok(&out);
    assert_eq!(
        text,
        story_with(
            "confidence: 80%, effort: 3 }",
            "confidence: 80%, effort: 2 }"
        )
    );
    assert!(out.stdout.contains("rice.effort: 3 → 2"), "{}", out.stdout);
}

#[test]
fn a_nested_key_in_a_block_map_changes_only_that_line() {
    let before =
        "---\nid: S-1\ntitle: T\nstatus: draft\nrice:\n  reach: 10 # per month\n  effort: 3\n---\n";
    let t = Test::new().file("plan/S-1.md", before);
    let (out, text) = set(&t, &["rice.effort=0.5"]);
    ok(&out);
    assert_eq!(text, before.replace("effort: 3", "effort: 0.5"));
}

#[test]
fn a_missing_key_goes_just_before_the_closing_fence() {
    let t = plan();
    let (out, text) = set(&t, &["owner=priya", "depends_on=[S-2, S-3]"]);
    assert_eq!(out.code, 1, "S-2 and S-3 do not exist: {}", out.stderr);
    assert_eq!(text, STORY, "a refused edit writes nothing");

    let t = plan()
        .file("plan/S-2.md", story("S-2", "Two", ""))
        .file("plan/S-3.md", story("S-3", "Three", ""));
    let (out, text) = set(&t, &["owner=priya", "depends_on=[S-2, S-3]"]);
    ok(&out);
    assert_eq!(
        text,
        story_with(
            "effort: 3 }\n---\n",
            "effort: 3 }\nowner: priya\ndepends_on: [S-2, S-3]\n---\n"
        )
    );
}

#[test]
fn a_missing_nested_key_joins_its_siblings() {
    let block = "---\nid: S-1\ntitle: T\nstatus: draft\nrice:\n  reach: 10\n  effort: 3\n\n# notes\nowner: sam\n---\n";
    let t = Test::new().file("plan/S-1.md", block);
    let (out, text) = set(&t, &["rice.impact=2"]);
    ok(&out);
    assert_eq!(
        text,
        block.replace("  effort: 3\n", "  effort: 3\n  impact: 2\n")
    );

    let t = plan();
    let (out, text) = set(&t, &["rice.impact=2"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (_, text2) = set(&t, &["wsjf.job_size=5"]);
    assert_eq!(
        text,
        story_with("impact: 1, confidence", "impact: 2, confidence")
    );
    assert!(
        text2.contains("rice: { reach: 1200, impact: 2, confidence: 80%, effort: 3 }\nwsjf: { job_size: 5 }\n---\n"),
        "{text2}"
    );

    let t = Test::new().file(
        "plan/S-1.md",
        "---\nid: S-1\ntitle: T\nstatus: draft\nice: { impact: 3 }\n---\n",
    );
    let (out, text) = set(&t, &["ice.ease=7"]);
    ok(&out);
    assert_eq!(
        text,
        "---\nid: S-1\ntitle: T\nstatus: draft\nice: { impact: 3, ease: 7 }\n---\n"
    );
}

#[test]
fn an_empty_value_removes_the_key_and_all_its_lines() {
    let t = plan();
    let (out, text) = set(&t, &["tags=", "estimate="]);
    ok(&out);
    assert_eq!(
        text,
        STORY
            .replace("tags:\n  - import\n  - csv\n", "")
            .replace("estimate: 3\n", "")
    );
    assert!(
        out.stdout.contains("estimate: 3 → (removed)"),
        "{}",
        out.stdout
    );
    let (out, text2) = set(&t, &["rice.confidence="]);
    ok(&out);
    assert_eq!(
        text2,
        text.replace("impact: 1, confidence: 80%, effort", "impact: 1, effort")
    );
    let (out, text3) = set(&t, &["owner="]);
    ok(&out);
    assert_eq!(text3, text2, "removing an absent field changes nothing");
}

#[test]
fn crlf_line_endings_and_the_bom_are_kept() {
    let crlf = format!("\u{feff}{}", STORY.replace('\n', "\r\n"));
    let t = Test::new().goal("G-1").file("plan/S-1.md", &crlf);
    let (out, text) = set(&t, &["status=done", "owner=priya", "tags=[csv]"]);
    ok(&out);
    let expected = crlf
        .replace("status: ready #", "status: done #")
        .replace("tags:\r\n  - import\r\n  - csv\r\n", "tags: [csv]\r\n")
        .replace("effort: 3 }\r\n---", "effort: 3 }\r\nowner: priya\r\n---");
    assert_eq!(text, expected);
    assert_eq!(t.check().rules(), Vec::<String>::new());
}

#[test]
fn several_fields_are_one_write() {
    let t = plan();
    let (out, _) = set(&t, &["status=in-progress", "estimate=5", "owner=sam"]);
    ok(&out);
    assert_eq!(
        out.stdout,
        "plan/S-1.md\n  status: ready → in-progress\n  estimate: 3 → 5\n  owner: (none) → sam\n"
    );
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(t.path().join("plan"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
}

// ---------------------------------------------------------------------------------------------
// cairn set: refusals, errors and --dry-run

#[test]
fn an_invalid_value_is_refused_with_a_located_did_you_mean() {
    let t = plan();
    let (out, text) = set(&t, &["status=don"]);
    assert_eq!(out.code, 1);
    assert_eq!(text, STORY);
    assert!(
        out.stderr
            .contains("error[invalid-value]: `don` is not a status of a story"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("plan/S-1.md:5:9"), "{}", out.stderr);
    assert!(
        out.stderr.contains("did you mean `done`?"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("not written"), "{}", out.stderr);

    for bad in [
        "estimate=lots",
        "rice.impact=7",
        "sprint=2030-S9",
        "goal=G-9",
        "moscow=shuold",
    ] {
        let (out, text) = set(&t, &[bad]);
        assert_eq!(out.code, 1, "{bad}: {}", out.stderr);
        assert_eq!(text, STORY, "{bad}");
    }
    let (out, _) = set(&t, &["depends_on=[S-1]"]);
    assert_eq!(out.code, 1, "a cycle of one: {}", out.stderr);
    assert!(out.stderr.contains("dependency-cycle"), "{}", out.stderr);
}

#[test]
fn existing_problems_do_not_block_an_unrelated_edit() {
    let t = plan().file(
        "plan/S-2.md",
        "---\nid: S-2\ntitle: Two\nstatus: wip\ngoal: G-404\n---\n",
    );
    let out = t.run(&["set", "S-2", "owner=sam"]);
    ok(&out);
    let out = t.run(&["set", "S-2", "status=draft"]);
    ok(&out);
    assert_eq!(
        t.read("plan/S-2.md"),
        "---\nid: S-2\ntitle: Two\nstatus: draft\ngoal: G-404\nowner: sam\n---\n"
    );
}

#[test]
fn unknown_ids_bad_arguments_and_id_edits_fail_with_exit_2() {
    let t = plan();
    let out = t.run(&["set", "S-11", "status=done"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no item `S-11`"), "{}", out.stderr);
    assert!(out.stderr.contains("did you mean `S-1`?"), "{}", out.stderr);
    for (args, says) in [
        (vec!["set", "S-1", "status"], "expected FIELD=VALUE"),
        (vec!["set", "S-1", "a b=c"], "is not a field name"),
        (vec!["set", "S-1", "id=S-9"], "cairn renumber"),
        (vec!["set", "S-1", "title.x=1"], "`title` is a string"),
    ] {
        let out = t.run(&args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
        assert_eq!(t.read("plan/S-1.md"), STORY);
    }
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let t = plan();
    let out = t.run(&["set", "S-1", "status=done", "tags=[csv]", "--dry-run"]);
    ok(&out);
    assert_eq!(t.read("plan/S-1.md"), STORY);
    assert_eq!(
        out.stdout,
        "\
--- a/plan/S-1.md
+++ b/plan/S-1.md
@@ -2,12 +2,10 @@
 # Owned by the onboarding squad.
 id: S-1
 title: 'Import from CSV'   # keep it short
-status: ready # moved in planning
+status: done # moved in planning
 goal: G-1
 estimate: 3
-tags:
-  - import
-  - csv
+tags: [csv]
 # scoring below
 rice: { reach: 1200, impact: 1, confidence: 80%, effort: 3 }
 ---
"
    );
}

#[test]
fn the_engine_checks_one_file_for_callers_that_write() {
    use cairn::edit::{edit_file, EditError, FieldEdit};
    let config = cairn::config::Config::default();
    let edits = [FieldEdit::new("sprint", Some("2027-S1".into())).unwrap()];
    let new = edit_file("plan/S-1.md", STORY.as_bytes(), &edits, &config).unwrap();
    assert_eq!(
        String::from_utf8(new).unwrap(),
        story_with("effort: 3 }\n---", "effort: 3 }\nsprint: 2027-S1\n---")
    );
    let bad = [FieldEdit::parse("status=don").unwrap()];
    match edit_file("plan/S-1.md", STORY.as_bytes(), &bad, &config) {
        Err(EditError::Refused { findings }) => {
            assert_eq!(findings.len(), 1);
            assert_eq!((findings[0].span.line, findings[0].span.column), (5, 9));
            assert_eq!(findings[0].help.as_deref(), Some("did you mean `done`?"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_output_lists_each_field_before_and_after() {
    let t = plan();
    let (out, text) = set(
        &t,
        &["status=done", "estimate=", "owner=ana", "--format", "json"],
    );
    ok(&out);
    let doc = out.json();
    assert_eq!(
        common::keys(&doc),
        common::set(&["version", "id", "file", "dry_run", "written", "fields", "diff", "errors"])
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["id"], "S-1");
    assert_eq!(doc["file"], "plan/S-1.md");
    assert_eq!(doc["dry_run"], false);
    assert_eq!(doc["written"], true);
    assert_eq!(
        doc["fields"],
        serde_json::json!([
            { "field": "status", "from": "ready", "to": "done" },
            { "field": "estimate", "from": "3", "to": null },
            { "field": "owner", "from": null, "to": "ana" },
        ])
    );
    assert!(
        doc["diff"].as_str().unwrap().contains(
            "-status: ready # moved in planning\n+status: done # moved in planning\n goal: G-1\n-estimate: 3\n tags:\n"
        ),
        "{doc}"
    );
    // A removed and an added line in one edit: the unchanged lines between stay context.
    assert!(
        doc["diff"].as_str().unwrap().contains(
            " rice: { reach: 1200, impact: 1, confidence: 80%, effort: 3 }\n+owner: ana\n"
        ),
        "{doc}"
    );
    assert_eq!(doc["errors"], serde_json::json!([]));
    assert!(
        text.contains("status: done") && text.contains("owner: ana\n"),
        "{text}"
    );
    assert!(!text.contains("estimate:"), "{text}");

    // Setting what is already there writes nothing.
    let (out, _) = set(&t, &["status=done", "--format", "json"]);
    ok(&out);
    let doc = out.json();
    assert_eq!(doc["written"], false);
    assert_eq!(doc["diff"], "");
}

#[test]
fn json_output_of_a_dry_run_and_of_a_refused_edit() {
    let t = plan();
    let (out, text) = set(&t, &["status=done", "--dry-run", "--format", "json"]);
    ok(&out);
    assert_eq!(text, STORY);
    let doc = out.json();
    assert_eq!(doc["dry_run"], true);
    assert_eq!(doc["written"], false);
    assert!(
        doc["diff"].as_str().unwrap().contains("+status: done"),
        "{doc}"
    );

    let (out, text) = set(&t, &["status=don", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(text, STORY);
    let doc = out.json();
    assert_eq!(doc["written"], false);
    assert_eq!(
        doc["errors"],
        serde_json::json!([{
            "rule": "invalid-value",
            "severity": "error",
            "file": "plan/S-1.md",
            "line": 5,
            "column": 9,
            "message": "`don` is not a status of a story",
            "help": "did you mean `done`?",
        }])
    );
}

/// Every edit shape over many front-matter styles: no panic, the file still parses, the value
/// reads back as meant, and the other fields keep theirs.
#[test]
fn every_edit_reads_back_and_leaves_the_rest_alone() {
    use cairn::edit::{field_value, set_fields, EditError, FieldEdit};
    use cairn::parse::item::parse_file;
    let docs = [
        "---\nid: S-1\ntitle: x\n---\n",
        "---\n---\n",
        "---\n# only a comment\n---\nbody\n",
        "---\nid: S-1\nrice:\n  reach: 1\n  effort: 2\ntags:\n- a\n- b\n---\n",
        "---\nid: S-1\nrice: {reach: 1, effort: 2}\ntags: [a,\n  b]\n---\n",
        "---\nid: S-1\nrice: {}\nice:\nnote: |\n  multi\n  line\n\n# c\n---\n",
        "---\nid: S-1\ntitle: \"a \\\" b\" # c\nx: 'it''s'\n---\n",
        "---\nid: S-1\ntitle: plain\n  continued\nstatus: draft\n---\n",
        "---\nid: S-1\nrice: { reach: 1, nested: { a: 1 } }\n---\n",
        "---\nid: S-1\nr:\n  m:\n    a: 1\n    # c\n  n: 2\n---\n",
        "\u{feff}---\r\nid: S-1\r\nrice:\r\n  reach: 1\r\n---\r\n",
        "---\n\"id\": S-1\n'title': x\n---\n",
        "---\nid: S-1\ntags: [a, b] # tags\nrice: { reach: 1 } # r\n---\n",
        "---\nid: S-1\nid2: &a S-1\nx: *a\n---\n",
        "---\nid: S-1\nlist:\n  - a: 1\n    b: 2\n---\n",
    ];
    let paths = "id title rice rice.reach rice.effort rice.nested.a rice.x.y tags note ice \
                 ice.ease r.m.a r.m.b r.n r.z list x new";
    let values = [
        (None, None),
        (Some("v"), Some("v")),
        (Some("5"), Some("5")),
        (Some("[a, b]"), Some("[a, b]")),
        (Some("{ k: 1 }"), Some("{ k: 1 }")),
        (Some("a: b"), Some("a: b")),
        (Some("x, y"), Some("x, y")),
        (Some("#no"), Some("#no")),
        (Some("'q'"), Some("q")),
        (Some("it's \"x\""), Some("it's \"x\"")),
    ];
    let config = cairn::config::Config::default();
    for doc in docs {
        for p in paths.split_whitespace() {
            for (v, expected) in values {
                let e = FieldEdit::new(p, v.map(str::to_string)).unwrap();
                let path: Vec<String> = p.split('.').map(str::to_string).collect();
                let new = match set_fields(doc, std::slice::from_ref(&e)) {
                    Ok(new) => new,
                    Err(EditError::Unsupported { .. } | EditError::NotAMapping { .. }) => continue,
                    Err(err) => panic!("{doc:?} {p}={v:?}: {err}"),
                };
                let parsed = parse_file("plan/S-1.md", new.as_bytes(), &config);
                assert!(
                    parsed
                        .diagnostics
                        .iter()
                        .all(|d| d.rule.name() != "parse-error"),
                    "{doc:?} {p}={v:?}\n=> {new:?}\n{:?}",
                    parsed.diagnostics
                );
                let got = field_value(&new, &path);
                assert_eq!(got.as_deref(), expected, "{doc:?} {p}={v:?}\n=> {new:?}");
                assert_eq!(new.starts_with('\u{feff}'), doc.starts_with('\u{feff}'));
                assert_eq!(new.contains("\r\n"), doc.contains("\r\n"));
                for q in ["id", "title", "tags", "rice", "x", "note", "r"] {
                    if q != path[0] {
                        let q = [q.to_string()];
                        assert_eq!(
                            field_value(doc, &q),
                            field_value(&new, &q),
                            "{doc:?} {p}={v:?}\n=> {new:?}"
                        );
                    }
                }
            }
        }
    }
}
