//! The rules' documentation, from docs/rules.md (embedded in the binary): one source for the page
//! people read and the help that code-scanning tools show next to a finding.
//!
//! Each rule has a section `## RULE` with the paragraphs **What.**, **Why.**, **Example.** and
//! **Fix.**, and a row in the "All rules" table whose last cell is a short phrase. A unit test
//! keeps the page in that shape for every rule.

use crate::diagnostic::Rule;

/// docs/rules.md as built into this binary.
const RULES_MD: &str = include_str!("../../docs/rules.md");

/// The rule's section of docs/rules.md, without its heading; `None` when the page has none.
/// Headings inside fenced code blocks (examples) do not start or end a section.
pub fn section(rule: Rule) -> Option<&'static str> {
    let heading = format!("## {}", rule.name());
    let mut fence = false;
    let mut start = None;
    let mut offset = 0;
    for line in RULES_MD.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare.starts_with("```") {
            fence = !fence;
        } else if !fence && bare.starts_with("## ") {
            if let Some(s) = start {
                return Some(RULES_MD[s..offset].trim());
            }
            if bare == heading {
                start = Some(offset + line.len());
            }
        }
        offset += line.len();
    }
    start.map(|s| RULES_MD[s..].trim())
}

/// The rule's phrase in the "All rules" table ("conflict markers left in a plan file").
pub fn summary(rule: Rule) -> Option<&'static str> {
    let cell = format!("| [`{0}`](#{0}) |", rule.name());
    RULES_MD
        .lines()
        .find(|l| l.starts_with(&cell))
        .and_then(|l| l.trim_end().strip_suffix('|'))
        .and_then(|l| l.rsplit('|').next())
        .map(str::trim)
}

/// The section as Markdown for a viewer that renders it: relative links, which would not
/// resolve outside the docs folder, are reduced to their text.
pub fn markdown(rule: Rule) -> Option<String> {
    section(rule).map(unlink)
}

/// The section's What, Why and Fix paragraphs as plain text (no example, no link targets, no
/// bold markers).
pub fn text(rule: Rule) -> Option<String> {
    let md = markdown(rule)?;
    let mut keep = true;
    let mut out = Vec::new();
    for para in md.split("\n\n") {
        if para.starts_with("**Example.**") {
            keep = false;
        } else if para.starts_with("**Fix.**") {
            keep = true;
        }
        if keep {
            out.push(para.replace("**", ""));
        }
    }
    Some(out.join("\n\n"))
}

/// Replaces `[text](target)` by `text` when the target is relative (no scheme), outside code
/// blocks and code spans.
fn unlink(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut fence = false;
    for line in md.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            fence = !fence;
        }
        if fence || line.trim_start().starts_with("```") {
            out.push_str(line);
            continue;
        }
        for (n, part) in line.split('`').enumerate() {
            if n > 0 {
                out.push('`');
            }
            if n % 2 == 1 {
                out.push_str(part);
            } else {
                out.push_str(&unlink_prose(part));
            }
        }
    }
    out
}

/// `unlink` on text without code. A link's text may itself hold code (`` [`x`](#x) ``), so
/// this sees `[` + code + `](#x)` across parts: it drops a `](target)` that follows, and a `[`
/// that a `](` closes later on the line.
fn unlink_prose(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['[', ']']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("](") {
            if let Some(end) = after.find(')') {
                let target = &after[..end];
                if !target.contains("://") && !target.starts_with("mailto:") {
                    rest = &after[end + 1..];
                    continue;
                }
            }
            out.push_str("](");
            rest = after;
        } else if tail.starts_with('[') && opens_relative_link(&tail[1..]) {
            rest = &tail[1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// True when `s` (just after a `[`) closes with `](target)` for a relative target before any
/// other `[`, or runs out (the link text goes on in a code span).
fn opens_relative_link(s: &str) -> bool {
    match s.find(['[', ']']) {
        Some(i) if s[i..].starts_with("](") => {
            let after = &s[i + 2..];
            after
                .find(')')
                .is_some_and(|end| !after[..end].contains("://"))
        }
        Some(_) => false,
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Level;

    #[test]
    fn every_rule_has_a_section_a_summary_and_help() {
        for &rule in Rule::ALL {
            let section = section(rule).unwrap_or_else(|| panic!("no section for {rule}"));
            for para in ["**What.**", "**Why.**", "**Example.**", "**Fix.**"] {
                assert!(section.contains(para), "{rule}: no {para}");
            }
            for other in Rule::ALL {
                let next = format!("\n## {}\n", other.name());
                assert!(!section.contains(&next), "{rule}: ran into {other}");
            }
            let summary = summary(rule).unwrap_or_else(|| panic!("{rule}: not in the table"));
            assert!(!summary.is_empty() && !summary.contains('|'), "{rule}");
            let text = text(rule).unwrap();
            assert!(text.starts_with("What. "), "{rule}: {text}");
            assert!(text.contains("\n\nFix. "), "{rule}: {text}");
            assert!(!text.contains("Example."), "{rule}");
            assert!(!text.contains("]("), "{rule}: {text}");
        }
    }

    #[test]
    fn the_table_says_each_rules_default_level() {
        for &rule in Rule::ALL {
            let cell = format!("| [`{0}`](#{0}) |", rule.name());
            let row = RULES_MD.lines().find(|l| l.starts_with(&cell)).unwrap();
            let level = row.split('|').nth(2).unwrap().trim();
            let want = match rule.default_level() {
                Level::Error => "error",
                Level::Warn => "warn",
                Level::Off => "off",
            };
            assert_eq!(level, want, "{rule}");
        }
    }

    #[test]
    fn relative_links_become_their_text_outside_code() {
        assert_eq!(
            unlink("see [`invalid-value`](#invalid-value) and [git.md](git.md#x), [web](https://a.b/c)\n"),
            "see `invalid-value` and git.md, [web](https://a.b/c)\n"
        );
        assert_eq!(
            unlink("`[a](b.md)` stays\n```markdown\nSee [the goal](../G-9.md).\n```\n"),
            "`[a](b.md)` stays\n```markdown\nSee [the goal](../G-9.md).\n```\n"
        );
        assert_eq!(
            unlink("`depends_on: [S-2]` [x]\n"),
            "`depends_on: [S-2]` [x]\n"
        );
    }
}
