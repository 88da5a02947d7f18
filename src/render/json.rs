//! `--format json` for `check`: one stable document (see docs/output.md).

use crate::check::CheckReport;
use serde::Serialize;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    items: usize,
    diagnostics: Vec<Finding<'a>>,
    summary: crate::diagnostic::Summary,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    severity: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

/// Findings as the `diagnostics` array of `check --format json` (used by commands that refuse
/// an edit, such as `set --format json`).
pub fn findings(diagnostics: &[crate::diagnostic::Diagnostic]) -> serde_json::Value {
    serde_json::to_value(diagnostics.iter().map(finding).collect::<Vec<_>>()).expect("serializable")
}

fn finding(d: &crate::diagnostic::Diagnostic) -> Finding<'_> {
    Finding {
        rule: d.rule.name(),
        severity: d.severity.as_str(),
        file: &d.file,
        line: d.span.line,
        column: d.span.column,
        message: &d.message,
        help: d.help.as_deref(),
    }
}

/// The JSON document for a check report, as a value (the MCP server's `check` result).
pub fn document(report: &CheckReport) -> serde_json::Value {
    serde_json::to_value(doc(report)).expect("serializable")
}

fn doc(report: &CheckReport) -> Doc<'_> {
    Doc {
        version: 1,
        items: report.items,
        diagnostics: report.diagnostics.iter().map(finding).collect(),
        summary: report.summary(),
    }
}

/// The JSON document for a check report.
pub fn render(report: &CheckReport) -> String {
    let mut s = serde_json::to_string_pretty(&doc(report)).expect("serializable");
    s.push('\n');
    s
}
