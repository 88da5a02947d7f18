//! `--format sarif`: SARIF 2.1.0 for code-scanning upload.
//!
//! What the spec and GitHub's code scanning ask for, and how cairn answers (docs/output.md says
//! the same for users):
//! - `artifactLocation.uri` is a relative reference (RFC 3986), percent-encoded, against the base
//!   id `%SRCROOT%`, the root of the git work tree (SARIF §3.10.1, §3.4.4), declared in
//!   `originalUriBaseIds` without an absolute URI so that the log does not depend on the machine.
//! - Columns are UTF-16 code units (`columnKind: utf16CodeUnits`, §3.14.27): what GitHub's own
//!   tools write and what JavaScript viewers count in; cairn's other formats count characters.
//! - Every rule carries `help` (text and Markdown, from docs/rules.md); a rule that is off by
//!   default (`stale-parent`) is listed with `enabled: false` at the level it reports at when on,
//!   since GitHub accepts only `note`, `warning` and `error`.
//! - Related locations (the other file of a duplicate id, the rest of a cycle) are
//!   `relatedLocations`, linked from the message as `[text](id)` (§3.11.6), which is how GitHub
//!   shows them.

use super::rule_docs;
use crate::check::CheckReport;
use crate::diagnostic::{Diagnostic, Level, Rule, Severity, Span};
use serde_json::{json, Value};

/// The URI base id every artifact location is relative to.
pub const SRCROOT: &str = "%SRCROOT%";

/// The SARIF log; `prefix` is the plan root inside the repository.
pub fn render(report: &CheckReport, prefix: &str) -> String {
    let rules: Vec<Value> = Rule::ALL.iter().map(|&r| rule(r)).collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(report, prefix, d))
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "cairn",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "originalUriBaseIds": {
                SRCROOT: { "description": { "text": "The root of the git work tree that holds the plan (the plan root when there is no git repository)." } },
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("serializable");
    s.push('\n');
    s
}

/// A rule's `reportingDescriptor`.
fn rule(r: Rule) -> Value {
    let (enabled, level) = match r.default_level() {
        Level::Error => (true, "error"),
        Level::Warn => (true, "warning"),
        // Off by default: when turned on, a rule reports at warning level.
        Level::Off => (false, "warning"),
    };
    let mut config = json!({ "level": level });
    if !enabled {
        config["enabled"] = false.into();
    }
    let mut d = json!({
        "id": r.name(),
        "name": r.name(),
        "shortDescription": { "text": sentence(rule_docs::summary(r).unwrap_or(r.description())) },
        "fullDescription": { "text": r.description() },
        "defaultConfiguration": config,
        "help": {
            "text": rule_docs::text(r).unwrap_or_else(|| r.description().to_string()),
            "markdown": rule_docs::markdown(r).unwrap_or_else(|| r.description().to_string()),
        },
    });
    if let Some(uri) = help_uri(r) {
        d["helpUri"] = uri.into();
    }
    d
}

/// `docs/rules.md#RULE` in the repository cairn was built from, at this version's tag; none when
/// the package names no repository (a URL that may not exist is worse than none).
fn help_uri(r: Rule) -> Option<String> {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (!repo.is_empty()).then(|| {
        format!(
            "{repo}/blob/v{}/docs/rules.md#{}",
            env!("CARGO_PKG_VERSION"),
            r.name()
        )
    })
}

/// A table phrase as a sentence: capitalised, with a full stop.
fn sentence(s: &str) -> String {
    let mut chars = s.chars();
    let mut out: String = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

fn result(report: &CheckReport, prefix: &str, d: &Diagnostic) -> Value {
    let mut text = d.message.clone();
    if let Some(h) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let id = n + 1;
            text.push_str(&format!(
                "\n[{}]({id}): {}:{}",
                escape_link_text(&r.message),
                super::prefixed(prefix, &r.file),
                r.span.line
            ));
            json!({
                "id": id,
                "physicalLocation": physical(report, prefix, &r.file, r.span),
                "message": { "text": r.message },
            })
        })
        .collect();
    let mut res = json!({
        "ruleId": d.rule.name(),
        "ruleIndex": Rule::ALL.iter().position(|r| *r == d.rule),
        "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "message": { "text": text },
        "locations": [{ "physicalLocation": physical(report, prefix, &d.file, d.span) }],
    });
    if !related.is_empty() {
        res["relatedLocations"] = related.into();
    }
    res
}

/// A `physicalLocation`: the file relative to `%SRCROOT%` and the span in UTF-16 columns.
fn physical(report: &CheckReport, prefix: &str, file: &str, span: Span) -> Value {
    let (start, end) = utf16_columns(report.line(file, span.line), span);
    json!({
        "artifactLocation": {
            "uri": encode_path(&super::prefixed(prefix, file)),
            "uriBaseId": SRCROOT,
        },
        "region": {
            "startLine": span.line,
            "startColumn": start,
            "endLine": span.line,
            "endColumn": end,
        }
    })
}

/// The span's start and end (exclusive) columns counted in UTF-16 code units, 1-based. Without
/// the line's text (a file too large to keep), characters are counted instead; they agree
/// wherever no character lies outside the Basic Multilingual Plane.
fn utf16_columns(line: Option<&str>, span: Span) -> (usize, usize) {
    let width = |chars: usize, skip: usize| -> usize {
        match line {
            Some(l) => {
                let mut it = l.chars().skip(skip);
                (0..chars)
                    .map(|_| it.next().map_or(1, char::len_utf16))
                    .sum()
            }
            None => chars,
        }
    };
    let before = span.column.saturating_sub(1);
    let start = 1 + width(before, 0);
    (start, start + width(span.len.max(1), before))
}

/// A path as an RFC 3986 relative reference: every byte but the unreserved characters, the
/// sub-delimiters, `@` and the `/` separator percent-encoded (upper-case hex), so a space, `#`,
/// `?`, `%` and non-ASCII characters (as UTF-8) no longer change what the URI means. `:` is
/// encoded too: in a first segment it would read as a scheme.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
                    | b'/'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Link text for an embedded link in a plain-text message: `\`, `[` and `]` escaped (§3.11.6).
fn escape_link_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded_relative_references() {
        assert_eq!(
            encode_path("plan/a b#1 100%.md"),
            "plan/a%20b%231%20100%25.md"
        );
        assert_eq!(encode_path("plan/é?.md"), "plan/%C3%A9%3F.md");
        assert_eq!(encode_path("c:d/x[1].md"), "c%3Ad/x%5B1%5D.md");
        assert_eq!(
            encode_path("plan/S-1_(draft)~+v2.md"),
            "plan/S-1_(draft)~+v2.md"
        );
    }

    #[test]
    fn columns_count_utf16_code_units() {
        // `🚀` is one character and two UTF-16 code units; `é` one of each.
        let line = "title: 🚀 é x";
        // `é` is character 10 (1-based): after the rocket, one column more in UTF-16.
        assert_eq!(utf16_columns(Some(line), Span::new(1, 10, 1)), (11, 12));
        assert_eq!(utf16_columns(Some(line), Span::new(1, 8, 3)), (8, 12));
        assert_eq!(utf16_columns(Some(line), Span::new(1, 1, 0)), (1, 2));
        // Past the end of the line, and without the line: characters.
        assert_eq!(utf16_columns(Some("ab"), Span::new(1, 2, 4)), (2, 6));
        assert_eq!(utf16_columns(None, Span::new(1, 8, 3)), (8, 11));
    }

    #[test]
    fn link_text_escapes_brackets_and_backslashes() {
        assert_eq!(escape_link_text(r"a [b] \c"), r"a \[b\] \\c");
    }
}
