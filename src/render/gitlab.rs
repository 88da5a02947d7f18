//! `--format gitlab`: a GitLab Code Quality report.

use crate::check::CheckReport;
use crate::diagnostic::Severity;
use serde_json::json;

/// FNV-1a: a fingerprint that stays the same across runs and Rust versions.
fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The Code Quality JSON array; `prefix` is the plan root inside the repository.
pub fn render(report: &CheckReport, prefix: &str) -> String {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let entries: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| {
            let path = super::prefixed(prefix, &d.file);
            // Identical findings on one line (two links to the same missing file) stay distinct by
            // their order, which does not move when unrelated text on the line changes.
            let base = fingerprint(&[d.rule.name(), &path, &d.span.line.to_string(), &d.message]);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let print = if *n == 1 { base } else { fingerprint(&[&base, &n.to_string()]) };
            json!({
                "description": d.message,
                "check_name": d.rule.name(),
                "fingerprint": print,
                "severity": match d.severity { Severity::Error => "major", Severity::Warning => "minor" },
                "location": { "path": path, "lines": { "begin": d.span.line } },
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&entries).expect("serializable");
    s.push('\n');
    s
}
