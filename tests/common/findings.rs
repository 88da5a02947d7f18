//! Helpers for the rule tests (tests/rules*.rs): a small plan, findings as
//! `(rule, file, line, column)`, and assertions that print what cairn said when they fail.

use super::{Output, Test};
use serde_json::Value;

/// A story body with a statement and one checked acceptance criterion.
pub const CRITERIA: &str = "As a user, I can do it.\n\n## Acceptance criteria\n- [x] it works\n";

pub type Finding = (String, String, u64, u64);

pub fn at(rule: &str, file: &str, line: u64, column: u64) -> Finding {
    (rule.to_string(), file.to_string(), line, column)
}

/// A plan with one goal, `G-1`, that is `proposed` (so it is never an `empty-goal`).
pub fn plan() -> Test {
    Test::new().item("G-1", "title: A goal\nstatus: proposed\n", "## Why now\n")
}

/// A clean story of `G-1` with extra front-matter lines (from line 6) and a body.
pub fn story(t: Test, id: &str, extra: &str, body: &str) -> Test {
    t.item(
        id,
        &format!("title: A story\nstatus: draft\ngoal: G-1\n{extra}"),
        body,
    )
}

pub fn dump(out: &Output) -> String {
    format!(
        "exit code {}\nstdout:\n{}\nstderr:\n{}",
        out.code, out.stdout, out.stderr
    )
}

/// The finding is reported, at exactly this place.
#[track_caller]
pub fn assert_finding(out: &Output, rule: &str, file: &str, line: u64, column: u64) {
    let all = out.findings();
    assert!(
        all.contains(&at(rule, file, line, column)),
        "expected `{rule}` at {file}:{line}:{column}, got {all:#?}\n{}",
        dump(out)
    );
}

/// Exactly these findings, in this order (cairn sorts by file, line, column, rule).
#[track_caller]
pub fn assert_findings(out: &Output, expected: &[Finding]) {
    assert_eq!(out.findings(), expected, "\n{}", dump(out));
}

/// No finding of `rule`.
#[track_caller]
pub fn assert_no_rule(out: &Output, rule: &str) {
    let hits: Vec<Finding> = out.findings().into_iter().filter(|f| f.0 == rule).collect();
    assert!(
        hits.is_empty(),
        "expected no `{rule}`, got {hits:#?}\n{}",
        dump(out)
    );
}

/// No finding at all, exit code 0.
#[track_caller]
pub fn assert_clean(out: &Output) {
    assert_findings(out, &[]);
    assert_eq!(out.code, 0, "{}", dump(out));
}

/// Every diagnostic of `rule`, as JSON objects.
pub fn diags(out: &Output, rule: &str) -> Vec<Value> {
    out.json()["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .filter(|d| d["rule"] == rule)
        .cloned()
        .collect()
}

/// The one diagnostic of `rule`.
#[track_caller]
pub fn diag(out: &Output, rule: &str) -> Value {
    let mut found = diags(out, rule);
    assert_eq!(found.len(), 1, "expected one `{rule}`\n{}", dump(out));
    found.remove(0)
}

pub fn help(d: &Value) -> &str {
    d["help"]
        .as_str()
        .unwrap_or_else(|| panic!("no help in {d:#}"))
}

pub fn message(d: &Value) -> &str {
    d["message"].as_str().expect("message")
}
