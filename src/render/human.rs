//! rustc-style findings: `error[rule]: message`, `--> file:line:col`, the line with a caret, `help:`.

use crate::check::CheckReport;
use crate::diagnostic::{Diagnostic, Severity, Span};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::fmt::Write;

/// Renders every finding and a summary line; `color` adds ANSI styles.
pub fn render(report: &CheckReport, color: bool) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(out, "{}\n", render_one(report, d, color));
    }
    out.push_str(&summary_line(report, color));
    out.push('\n');
    out
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

/// Byte range of a span inside its line's text.
fn byte_range(line: &str, span: Span) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(span.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let end = line[start..]
        .char_indices()
        .nth(span.len.max(1))
        .map_or(line.len(), |(i, _)| start + i);
    start..end.max(start)
}

fn render_one(report: &CheckReport, d: &Diagnostic, color: bool) -> String {
    let lines: Vec<Option<&str>> = std::iter::once((&d.file, d.span))
        .chain(d.related.iter().map(|r| (&r.file, r.span)))
        .map(|(f, s)| report.line(f, s.line))
        .collect();
    let mut group = Group::with_title(
        level(d.severity)
            .primary_title(d.message.as_str())
            .id(d.rule.name()),
    );
    match lines[0] {
        Some(line) => {
            group = group.element(
                Snippet::source(line)
                    .line_start(d.span.line)
                    .path(d.file.as_str())
                    .fold(false)
                    .annotation(AnnotationKind::Primary.span(byte_range(line, d.span))),
            );
        }
        None => {
            let at = format!("at {}:{}:{}", d.file, d.span.line, d.span.column);
            group = group.element(Level::NOTE.message(at));
        }
    }
    for (r, line) in d.related.iter().zip(&lines[1..]) {
        if let Some(line) = line {
            group = group.element(
                Snippet::source(*line)
                    .line_start(r.span.line)
                    .path(r.file.as_str())
                    .fold(false)
                    .annotation(
                        AnnotationKind::Context
                            .span(byte_range(line, r.span))
                            .label(r.message.as_str()),
                    ),
            );
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[group])
}

/// `36 items: 2 errors, 1 warning` or `36 items: no findings`.
pub fn summary_line(report: &CheckReport, color: bool) -> String {
    let s = report.summary();
    let count = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let items = count(report.items, "item");
    if s.errors == 0 && s.warnings == 0 {
        return if color {
            format!("\x1b[1;32mok\x1b[0m: {items} checked, no findings")
        } else {
            format!("ok: {items} checked, no findings")
        };
    }
    let (label, style) = if s.errors > 0 {
        ("error", "\x1b[1;31m")
    } else {
        ("warning", "\x1b[1;33m")
    };
    let label = if color {
        format!("{style}{label}\x1b[0m")
    } else {
        label.to_string()
    };
    format!(
        "{label}: {items} checked, {}, {}",
        count(s.errors, "error"),
        count(s.warnings, "warning")
    )
}
