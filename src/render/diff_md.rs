//! `cairn diff --format md`: a plan diff as Markdown that reads well as a GitHub or GitLab
//! pull-request comment.

use crate::diff::{ItemSummary, PlanDiff, Side};
use std::fmt::Write;

/// Shown for a value that is absent on one side.
const NONE: &str = "—";

/// The Markdown text of a plan diff.
pub fn render(diff: &PlanDiff) -> String {
    let mut out = format!("## Plan changes {}\n\n", range(diff));
    if diff.is_empty() {
        out.push_str("No plan changes.\n");
    } else {
        let _ = writeln!(
            out,
            "{} added, {} removed, {} changed",
            diff.added.len(),
            diff.removed.len(),
            diff.changed.len()
        );
        items(&mut out, "Added", &diff.added);
        items(&mut out, "Removed", &diff.removed);
        changed(&mut out, diff);
    }
    if !diff.notes.is_empty() {
        out.push_str("\n### Notes\n\n");
        for note in &diff.notes {
            let _ = writeln!(out, "- {}", inline(note));
        }
    }
    out
}

/// `main..feature`, `main...feature`, or `HEAD` → work tree.
fn range(diff: &PlanDiff) -> String {
    match (&diff.from, &diff.to) {
        (Side::Rev(a), Side::Rev(b)) => {
            let dots = if diff.merge_base { "..." } else { ".." };
            code(&format!("{a}{dots}{b}"))
        }
        (from, to) => format!("{} → {}", side(from), side(to)),
    }
}

fn side(s: &Side) -> String {
    match s {
        Side::Rev(r) => code(r),
        other => other.label().to_string(),
    }
}

fn items(out: &mut String, heading: &str, list: &[ItemSummary]) {
    if list.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "\n### {heading}\n\n| item | title | kind | status |\n|---|---|---|---|\n"
    );
    for i in list {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&i.id),
            cell(&i.title),
            cell(&i.kind),
            i.status.as_deref().map_or(NONE.to_string(), cell)
        );
    }
}

fn changed(out: &mut String, diff: &PlanDiff) {
    if diff.changed.is_empty() {
        return;
    }
    out.push_str("\n### Changed\n\n| item | field | from | to |\n|---|---|---|---|\n");
    for c in &diff.changed {
        for (n, f) in c.fields.iter().enumerate() {
            // The item is named once, on its first row; its other rows leave the cell empty.
            let item = if n == 0 {
                format!("**{}** {}", cell(&c.id), cell(&c.title))
            } else {
                String::new()
            };
            let value = |v: &Option<String>| v.as_deref().map_or(NONE.to_string(), cell);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                item.trim_end(),
                cell(&f.field),
                value(&f.from),
                value(&f.to)
            );
        }
    }
}

/// Text made safe for a table cell: one line, pipes escaped, no raw HTML. Other Markdown is left
/// alone: the same text is read raw in a terminal, where escapes would be noise.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// A note: one line, no raw HTML (its `code` spans are kept).
fn inline(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An inline code span that survives backticks in the text.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped() {
        assert_eq!(cell("a | b"), "a \\| b");
        assert_eq!(cell("<script>"), "&lt;script&gt;");
        assert_eq!(cell("depends_on"), "depends_on");
        assert_eq!(cell("two\nlines"), "two lines");
    }
}
