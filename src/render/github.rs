//! `--format github`: GitHub Actions workflow commands, one per finding.

use crate::check::CheckReport;
use crate::diagnostic::Severity;
use std::fmt::Write;

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error …::message` line per finding; `prefix` is the plan root inside the repository.
pub fn render(report: &CheckReport, prefix: &str) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            escape_property(&super::prefixed(prefix, &d.file)),
            d.span.line,
            d.span.column,
            escape_property(&format!("cairn({})", d.rule)),
            escape_data(&message)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_runner_expects() {
        assert_eq!(escape_data("50%\ndone"), "50%25%0Adone");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
