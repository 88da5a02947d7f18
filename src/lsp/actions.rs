//! Code actions for findings whose fix has one obvious answer: the `did you mean` of a finding,
//! a missing `title` or `status`, a missing acceptance-criteria section.

use super::diagnostics::to_lsp;
use super::position::{span_range, LineIndex};
use super::state::State;
use crate::diagnostic::{Diagnostic, Rule, Span};
use crate::edit::{quote, to_yaml};
use crate::parse::front_matter;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Position, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;

/// The fixes for findings on the lines of `range` in the file `uri`.
pub fn code_actions(
    state: &mut State,
    uri: &Uri,
    range: Range,
) -> Option<Vec<CodeActionOrCommand>> {
    let rel = state.rel_path(uri)?;
    let text = state.text(&rel)?.into_owned();
    let lines = LineIndex::new(&text);
    let findings = state.findings();
    let mut out = Vec::new();
    for d in findings.iter().filter(|d| d.file == rel) {
        let r = span_range(Some(&text), d.span);
        if r.start.line > range.end.line || r.end.line < range.start.line {
            continue;
        }
        let fixes = fixes(&rel, &text, &lines, d);
        if fixes.is_empty() {
            continue;
        }
        let diagnostic = to_lsp(state, d, Some(&text));
        for (title, edit, preferred) in fixes {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: preferred.then_some(true),
                ..CodeAction::default()
            }));
        }
    }
    Some(out)
}

/// The suggestion of a `did you mean `X`?` help.
pub fn suggestion(help: &str) -> Option<&str> {
    let rest = &help[help.find("did you mean `")? + "did you mean `".len()..];
    let end = rest.find('`')?;
    Some(&rest[..end]).filter(|s| !s.is_empty())
}

type Fix = (String, TextEdit, bool);

fn fixes(rel: &str, text: &str, lines: &LineIndex, d: &Diagnostic) -> Vec<Fix> {
    let mut out = Vec::new();
    let help = d.help.as_deref().unwrap_or("");
    if let Some(x) = suggestion(help) {
        if let Some(edit) = replace(text, lines, d, x) {
            out.push((format!("Replace with `{x}`"), edit, true));
        }
    }
    if d.rule == Rule::MissingField {
        if let Some(line) = help
            .strip_prefix("add `")
            .and_then(|h| h.strip_suffix("` to the front matter"))
        {
            let line = match line.strip_prefix("title: ") {
                Some(_) => format!("title: {}", to_yaml(&derived_title(rel, text), false)),
                None => line.to_string(),
            };
            let at = Position::new(d.span.line.saturating_sub(1) as u32, 0);
            let edit = TextEdit {
                range: Range::new(at, at),
                new_text: format!("{line}{}", eol(text)),
            };
            out.push((format!("Add `{line}`"), edit, true));
        }
    }
    if d.rule == Rule::NotReady && d.message.contains("acceptance criteria") {
        out.push((
            "Add an `## Acceptance criteria` section".to_string(),
            criteria_section(text, lines),
            false,
        ));
    }
    out
}

fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The edit putting `x` where `d` points: the path or anchor of a link, else the whole span.
fn replace(text: &str, lines: &LineIndex, d: &Diagnostic, x: &str) -> Option<TextEdit> {
    let span = d.span;
    let raw = lines.line(text, span.line.checked_sub(1)?)?;
    // cairn's columns do not count a byte-order mark.
    let raw = match span.line {
        1 => raw.strip_prefix('\u{feff}').unwrap_or(raw),
        _ => raw,
    };
    let line: Vec<char> = raw.chars().collect();
    let start = span.column.checked_sub(1)?;
    let end = (start + span.len).min(line.len());
    if span.len == 0 || start >= end {
        return None;
    }
    let written: String = line[start..end].iter().collect();
    let (from, to, new_text) = match d.rule {
        Rule::BrokenLink | Rule::BrokenAnchor => {
            let open = written.find("](")? + 2;
            let dest = &written[open..];
            let dest = dest.strip_prefix('<').unwrap_or(dest);
            let dest_start = written.len() - dest.len();
            let dest_end = dest_start + dest.find([')', ' ', '>']).unwrap_or(dest.len());
            let hash = written[dest_start..dest_end]
                .find('#')
                .map(|h| dest_start + h);
            let (a, b) = if d.rule == Rule::BrokenLink {
                (dest_start, hash.unwrap_or(dest_end))
            } else {
                (hash? + 1, dest_end)
            };
            let chars = |bytes: usize| written[..bytes].chars().count();
            (start + chars(a), start + chars(b), x.to_string())
        }
        _ => {
            let before: String = line[..start].iter().collect();
            let flow = before.contains(['[', '{']);
            // Keep the quotes the value was written with.
            let new_text = match written.chars().next() {
                Some(q @ ('"' | '\'')) => quote(x, q),
                _ => to_yaml(x, flow),
            };
            (start, end, new_text)
        }
    };
    let range = span_range(Some(text), Span::new(span.line, from + 1, to - from));
    Some(TextEdit { range, new_text })
}

/// A title for an item without one: its first heading, else its file name without the id.
fn derived_title(rel: &str, text: &str) -> String {
    let body = front_matter::split(text.strip_prefix('\u{feff}').unwrap_or(text))
        .map(|s| s.body)
        .unwrap_or("");
    if let Some(h) = body
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|h| h.trim().trim_end_matches('#').trim())
        .filter(|h| !h.is_empty())
    {
        return h.to_string();
    }
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".markdown")
        .trim_end_matches(".md");
    // `S-14-export-to-csv`: drop the id, turn the slug back into words.
    let words: Vec<&str> = stem.split('-').collect();
    let skip = match words.as_slice() {
        [p, n, ..] if p.chars().all(|c| c.is_ascii_uppercase()) && n.parse::<u64>().is_ok() => 2,
        _ => 0,
    };
    let title = words[skip.min(words.len())..].join(" ");
    let mut chars = title.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Short name".to_string(),
    }
}

/// An empty task under the existing "Acceptance criteria" heading, or a new section at the end.
fn criteria_section(text: &str, lines: &LineIndex) -> TextEdit {
    let eol = eol(text);
    let heading = (0..lines.len()).find(|&i| {
        let l = lines.line(text, i).unwrap_or("");
        let t = l.trim_start_matches('#');
        t.len() < l.len()
            && t.trim()
                .trim_end_matches('#')
                .trim()
                .eq_ignore_ascii_case("acceptance criteria")
    });
    match heading {
        Some(i) => {
            let at = Position::new(i as u32 + 1, 0);
            let new_text = if i + 1 >= lines.len() {
                format!("{eol}- [ ] {eol}")
            } else {
                format!("- [ ] {eol}")
            };
            let at = if i + 1 >= lines.len() {
                lines.position(text, text.len())
            } else {
                at
            };
            TextEdit {
                range: Range::new(at, at),
                new_text,
            }
        }
        None => {
            let end = lines.position(text, text.len());
            let lead = if text.is_empty() || text.ends_with('\n') {
                eol.to_string()
            } else {
                format!("{eol}{eol}")
            };
            TextEdit {
                range: Range::new(end, end),
                new_text: format!("{lead}## Acceptance criteria{eol}- [ ] {eol}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_come_from_help() {
        assert_eq!(
            suggestion("did you mean `in-progress`?"),
            Some("in-progress")
        );
        assert_eq!(suggestion("did you mean `G-1` (Goal one)?"), Some("G-1"));
        assert_eq!(
            suggestion("S-3 belongs to goal G-1; did you mean `G-1`?"),
            Some("G-1")
        );
        assert_eq!(suggestion("add `estimate: N`"), None);
    }

    #[test]
    fn titles_from_headings_and_file_names() {
        assert_eq!(
            derived_title("plan/S-14-export-to-csv.md", "---\nid: S-14\n---\n"),
            "Export to csv"
        );
        assert_eq!(
            derived_title("plan/x.md", "---\nid: S-1\n---\n# Über title\n"),
            "Über title"
        );
        assert_eq!(derived_title("plan/S-3.md", "---\n---\n"), "Short name");
    }

    #[test]
    fn link_paths_and_anchors_are_replaced_in_place() {
        let text = "---\nid: S-1\n---\nSee [the goal](../goals/G-1.md#why-nw) now.\n";
        let lines = LineIndex::new(text);
        let d = Diagnostic::new(Rule::BrokenAnchor, "plan/S-1.md", Span::new(4, 5, 34), "x");
        let e = replace(text, &lines, &d, "why-now").unwrap();
        assert_eq!(
            e.range,
            Range::new(Position::new(3, 31), Position::new(3, 37))
        );
        let d = Diagnostic::new(Rule::BrokenLink, "plan/S-1.md", Span::new(4, 5, 34), "x");
        let e = replace(text, &lines, &d, "../goals/G-2.md").unwrap();
        assert_eq!(
            e.range,
            Range::new(Position::new(3, 15), Position::new(3, 30))
        );
    }

    #[test]
    fn criteria_sections_are_appended_or_filled() {
        let text = "---\nid: S-1\n---\nAs a user.\n";
        let e = criteria_section(text, &LineIndex::new(text));
        assert_eq!(e.new_text, "\n## Acceptance criteria\n- [ ] \n");
        assert_eq!(e.range.start, Position::new(4, 0));
        let text = "---\nid: S-1\n---\n## Acceptance criteria\n\nNotes\n";
        let e = criteria_section(text, &LineIndex::new(text));
        assert_eq!(
            (e.range.start, e.new_text.as_str()),
            (Position::new(4, 0), "- [ ] \n")
        );
    }
}
