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

/// The JSON document for a check report.
pub fn render(report: &CheckReport) -> String {
    let doc = Doc {
        version: 1,
        items: report.items,
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| Finding {
                rule: d.rule.name(),
                severity: d.severity.as_str(),
                file: &d.file,
                line: d.span.line,
                column: d.span.column,
                message: &d.message,
                help: d.help.as_deref(),
            })
            .collect(),
        summary: report.summary(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("serializable");
    s.push('\n');
    s
}
