//! A fast path for the Markdown that plan bodies are almost always made of.
//!
//! Profiling `cairn check` showed pulldown-cmark taking a fifth of the time, on bodies that are
//! nearly always a statement paragraph, a few `##` headings, task lists and plain links. This
//! reader takes exactly that subset, line by line, and produces the same [`Body`] as
//! [`super::markdown::parse_full`]; on anything else (emphasis, HTML, block quotes, code blocks,
//! escapes, nested or loose lists, setext headings, reference links) it returns `None` and
//! pulldown-cmark takes over. Differential tests keep the two in agreement.

use super::anchor::Slugger;
use super::markdown::{is_relative, Body, Link};
use crate::diagnostic::Span;

/// What the previous line was, which decides what the next one continues.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Start of the body, a blank line or a heading.
    Blank,
    /// A paragraph line.
    Para,
    /// A list item (or a line continuing one).
    List,
}

/// Parses `text` if it is within the simple subset; `None` means "use pulldown-cmark".
pub fn parse(text: &str, first_line: usize) -> Option<Body> {
    if has_unknown_bytes(text.as_bytes()) {
        return None;
    }
    let ascii = text.is_ascii();
    let mut body = Body::default();
    let mut slugger = Slugger::new();
    let mut in_criteria: Option<u32> = None;
    // The first paragraph while it is being read; `statement_done` once it has ended.
    let mut paragraph: Option<String> = None;
    let mut statement_done = false;
    let mut prev = Prev::Blank;
    // Whether the line above was an ordered list item (which a `2.` item may follow).
    let mut after_ordered_item = false;
    let finish = |paragraph: &mut Option<String>, body: &mut Body, done: &mut bool| {
        if let Some(p) = paragraph.take() {
            *done = true;
            let p = p.trim();
            if !p.is_empty() {
                body.statement = Some(p.to_string());
            }
        }
    };

    let mut line_start = 0;
    let mut index = 0;
    while line_start <= text.len() {
        let line_end = memchr::memchr(b'\n', &text.as_bytes()[line_start..])
            .map_or(text.len(), |i| line_start + i);
        let raw = &text[line_start..line_end];
        let number = first_line + index;
        line_start = line_end + 1;
        index += 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let cx = Inline {
            line,
            number,
            ascii,
        };
        if line.bytes().all(|b| b == b' ') {
            finish(&mut paragraph, &mut body, &mut statement_done);
            prev = Prev::Blank;
            continue;
        }
        if line.ends_with(' ') {
            return None;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > 0 {
            // Only a continuation of the paragraph or list item just above.
            if prev == Prev::Blank {
                return None;
            }
            let content = &line[indent..];
            if starts_block(content) || list_marker(content).is_some() {
                return None;
            }
            let text = cx.scan(indent, &mut body.links, Want::text(paragraph.is_some()))?;
            if let Some(p) = paragraph.as_mut() {
                p.push(' ');
                p.push_str(&text);
            }
            continue;
        }
        if line.starts_with('#') {
            let level = line.bytes().take_while(|&b| b == b'#').count();
            let rest = &line[level..];
            if level > 6 || !rest.starts_with(' ') {
                return None;
            }
            let start = level + (rest.len() - rest.trim_start_matches(' ').len());
            let title = cx.scan(start, &mut body.links, Want::Heading)?;
            finish(&mut paragraph, &mut body, &mut statement_done);
            heading(
                &mut body,
                &mut slugger,
                &mut in_criteria,
                &title,
                level as u32,
            );
            prev = Prev::Blank;
            continue;
        }
        let ordered_above = std::mem::take(&mut after_ordered_item);
        if let Some((content_start, ordered_from_one)) = list_marker(line) {
            if ordered_from_one == Some(false) && prev != Prev::Blank && !ordered_above {
                // Only a list starting at 1 may interrupt a paragraph.
                return None;
            }
            after_ordered_item = ordered_from_one.is_some();
            // Before the statement is known, a list could be loose (its items paragraphs).
            if !statement_done && paragraph.is_none() {
                return None;
            }
            finish(&mut paragraph, &mut body, &mut statement_done);
            let mut start = content_start;
            let rest = &line.as_bytes()[start..];
            let task = match rest {
                [b'[', mark @ (b' ' | b'x' | b'X'), b']', b' ', ..] => Some(*mark != b' '),
                _ => None,
            };
            if let Some(checked) = task {
                start += 4;
                if in_criteria.is_some() {
                    let c = body.criteria.get_or_insert((0, 0));
                    c.1 += 1;
                    c.0 += usize::from(checked);
                }
            }
            let content = &line[start..];
            if content.is_empty()
                || content.starts_with(' ')
                || starts_block(content)
                || list_marker(content).is_some()
            {
                return None;
            }
            cx.scan(start, &mut body.links, Want::Nothing)?;
            prev = Prev::List;
            continue;
        }
        if starts_block(line) {
            return None;
        }
        let starts_statement = prev == Prev::Blank && !statement_done && paragraph.is_none();
        let continues_statement = prev == Prev::Para && paragraph.is_some();
        let text = cx.scan(
            0,
            &mut body.links,
            Want::text(starts_statement || continues_statement),
        )?;
        if starts_statement {
            paragraph = Some(text);
        } else if continues_statement {
            if let Some(p) = paragraph.as_mut() {
                p.push(' ');
                p.push_str(&text);
            }
        }
        // A later paragraph, or a lazy continuation of a list item, adds nothing else.
        if prev != Prev::List {
            prev = Prev::Para;
        }
    }
    finish(&mut paragraph, &mut body, &mut statement_done);
    body.anchors = slugger.into_anchors();
    Some(body)
}

/// True when `bytes` hold a character that only constructs outside the subset use: tabs,
/// backslash escapes, HTML and autolinks, `*` emphasis, NUL.
fn has_unknown_bytes(bytes: &[u8]) -> bool {
    memchr::memchr3(b'\t', b'\\', b'<', bytes).is_some()
        || memchr::memchr3(b'>', b'*', 0, bytes).is_some()
}

/// Records a heading's anchor and whether it opens or closes the acceptance criteria. The
/// subset's heading text is plain (no HTML, entities, escapes, code spans or images), so it is the
/// text GitHub makes the anchor of, exactly as pulldown-cmark reads it.
fn heading(
    body: &mut Body,
    slugger: &mut Slugger,
    in_criteria: &mut Option<u32>,
    title: &str,
    level: u32,
) {
    slugger.add(title);
    if title.trim().eq_ignore_ascii_case("acceptance criteria") {
        *in_criteria = Some(level);
        body.criteria.get_or_insert((0, 0));
    } else if in_criteria.is_some_and(|l| level <= l) {
        *in_criteria = None;
    }
}

/// The byte offset of a list item's content (after `- `, `* `, `+ `, `1. `), and for ordered
/// items whether the number is 1.
fn list_marker(line: &str) -> Option<(usize, Option<bool>)> {
    let b = line.as_bytes();
    match b.first()? {
        b'-' | b'+' if b.get(1) == Some(&b' ') => Some((2, None)),
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            let after = b.get(digits)?;
            if digits <= 9 && matches!(after, b'.' | b')') && b.get(digits + 1) == Some(&b' ') {
                Some((digits + 2, Some(&line[..digits] == "1")))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// True when a line (or a list item's content) could open a block this reader does not handle:
/// block quotes, HTML, thematic breaks, setext underlines, fences, headings, lists.
fn starts_block(content: &str) -> bool {
    let Some(&first) = content.as_bytes().first() else {
        return true;
    };
    matches!(
        first,
        b'#' | b'-' | b'+' | b'*' | b'_' | b'=' | b'>' | b'<' | b'|' | b'~' | b'`'
    ) || (first.is_ascii_digit() && {
        let b = content.as_bytes();
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        matches!(b.get(digits), Some(b'.' | b')'))
    })
}

/// What a caller needs back from [`Inline::scan`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Only the links (recorded as a side effect) and whether the line is in the subset.
    Nothing,
    /// The text, as pulldown-cmark's text and code events spell it.
    Text,
    /// A heading's text: no links or `#` allowed.
    Heading,
}

impl Want {
    fn text(yes: bool) -> Want {
        if yes {
            Want::Text
        } else {
            Want::Nothing
        }
    }
}

/// Bytes that need a look in inline text; everything else is plain.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = matches!(
            i as u8,
            b'[' | b']' | b'`' | b'!' | b'&' | b'_' | b'#' | b'\r'
        );
        i += 1;
    }
    t
};

/// One line being read for inline content.
struct Inline<'a> {
    line: &'a str,
    number: usize,
    /// True when the whole body is ASCII, so character columns are byte columns.
    ascii: bool,
}

impl Inline<'_> {
    fn col(&self, byte: usize) -> usize {
        if self.ascii {
            byte + 1
        } else {
            self.line[..byte].chars().count() + 1
        }
    }

    /// Reads the inline content from byte `start`: plain text, code spans and `[text](dest)`
    /// links (recorded when relative). `None` on any construct outside the subset.
    fn scan(&self, start: usize, links: &mut Vec<Link>, want: Want) -> Option<String> {
        let line = self.line;
        let b = line.as_bytes();
        let mut out = String::new();
        if want != Want::Nothing {
            out.reserve(line.len() - start);
        }
        let mut plain_from = start;
        let mut i = start;
        loop {
            while i < b.len() && !SPECIAL[b[i] as usize] {
                i += 1;
            }
            if i == b.len() {
                break;
            }
            match b[i] {
                b'#' if want == Want::Heading => return None,
                b'#' => i += 1,
                b'!' if b.get(i + 1) == Some(&b'[') => return None,
                b'!' => i += 1,
                b'&' if !matches!(b.get(i + 1), None | Some(b' ')) => return None,
                b'&' => i += 1,
                b'_' => {
                    // Only inside a word, where it can never be emphasis.
                    let word = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                    if i == 0 || !word(b.get(i - 1)) || !word(b.get(i + 1)) {
                        return None;
                    }
                    i += 1;
                }
                b'`' => {
                    if want == Want::Heading {
                        return None;
                    }
                    let close = i + 1 + memchr::memchr(b'`', &b[i + 1..])?;
                    let code = &line[i + 1..close];
                    if code.is_empty()
                        || code.starts_with(' ')
                        || code.ends_with(' ')
                        || b.get(close + 1) == Some(&b'`')
                    {
                        return None;
                    }
                    if want != Want::Nothing {
                        out.push_str(&line[plain_from..i]);
                        out.push_str(code);
                    }
                    i = close + 1;
                    plain_from = i;
                }
                b'[' if want != Want::Heading => {
                    let (label, dest, end) = link_at(line, i)?;
                    if is_relative(dest) {
                        let width = if self.ascii {
                            end - i
                        } else {
                            line[i..end].chars().count()
                        };
                        links.push(Link {
                            dest: dest.to_string(),
                            span: Span::new(self.number, self.col(i), width),
                        });
                    }
                    if want != Want::Nothing {
                        out.push_str(&line[plain_from..i]);
                        out.push_str(label);
                    }
                    i = end;
                    plain_from = i;
                }
                // `]` alone, `[` in a heading, a bare carriage return.
                _ => return None,
            }
        }
        if want != Want::Nothing {
            out.push_str(&line[plain_from..]);
        }
        Some(out)
    }
}

/// The plain `[label](dest)` link at byte `at`: its label, destination and end.
fn link_at(line: &str, at: usize) -> Option<(&str, &str, usize)> {
    let b = line.as_bytes();
    let close = at + 1 + memchr::memchr(b']', &b[at + 1..])?;
    let label = &line[at + 1..close];
    if label.is_empty()
        || label.starts_with(' ')
        || label.ends_with(' ')
        || label
            .bytes()
            .any(|c| matches!(c, b'[' | b'`' | b'!' | b'&' | b'_' | b'\r'))
        || b.get(close + 1) != Some(&b'(')
    {
        return None;
    }
    let dest_start = close + 2;
    let dest_end = dest_start + memchr::memchr(b')', &b[dest_start..])?;
    let dest = &line[dest_start..dest_end];
    if dest.is_empty()
        || dest
            .bytes()
            .any(|c| matches!(c, b' ' | b'(' | b'"' | b'\'' | b'&' | b'`' | b'\r'))
    {
        return None;
    }
    Some((label, dest, dest_end + 1))
}

#[cfg(test)]
mod tests {
    use super::super::markdown::parse_full;
    use super::*;

    /// Whenever the fast path answers, it must answer exactly what pulldown-cmark does.
    fn agree(text: &str) -> bool {
        match parse(text, 7) {
            Some(fast) => {
                assert_eq!(fast, parse_full(text, 7), "fast path disagrees on:\n{text}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn agrees_on_typical_bodies() {
        let cases = [
            "",
            "\n",
            "As a lead, I can repeat tasks,\nso that nothing slips.\n",
            "As a user, I can export.\n\n## Acceptance criteria\n\n- [x] one\n- [ ] two\n- [X] three\n\nPart of the [goal](../goals/G-1-x.md#why-now).\n",
            "Intro with [a link](https://example.com) and [b](./b.md) and [c](#local).\n",
            "# Title\nStatement.\n## Notes\n### Notes\n## Acceptance Criteria\n1. [ ] first\n2. [x] second\n## Done\n- [ ] not counted\n",
            "Statement\n- item right after\n- [x] second\nlazy line\n\nLater paragraph.\n",
            "Statement spanning\n  an indented line\n    and a deeper one.\n",
            "Risks & open questions, `inline_code` and snake_case words, ~5 days!\n",
            "Ünïcode statement ✓ with [lïnk](ü.md) after ✓ text.\n",
            "Line one\r\nline two\r\n\r\n## Acceptance criteria\r\n- [ ] a\r\n",
            "Text\n\n1. one\n2. two\n3) three\n\n- a\n  continued\n- b\n",
            "Cost (in days) is 3 and [x](y.md)(z).\n",
            "## Why now\n\nTwo competitors shipped this.\n\n## Key results\n\n- Move conversion from 22% to 34%.\n",
        ];
        for c in cases {
            assert!(agree(c), "fast path declined:\n{c}");
        }
    }

    #[test]
    fn many_headings_stay_linear() {
        // The anchor lookup is a short scan, then hashed: a body of many thousand headings,
        // distinct or repeated, is read in linear time on the fast path.
        let distinct = (0..100_000)
            .map(|i| format!("## H{i}\n"))
            .collect::<String>();
        let body = parse(&distinct, 1).expect("the fast path reads plain headings");
        assert_eq!(body.anchors.len(), 100_000);
        assert_eq!(body.anchors[99_999], "h99999");
        let repeated = "## Notes\n## Notes 1\n".repeat(50_000);
        let body = parse(&repeated, 1).expect("the fast path reads plain headings");
        assert_eq!(
            body.anchors[..4],
            ["notes", "notes-1", "notes-2", "notes-1-1"]
        );
        assert!(agree(&"## Notes\n## Notes 1\n".repeat(100)));
    }

    #[test]
    fn github_anchor_cases_agree_with_pulldown() {
        // Headings the anchor fixes of issue 11 are about: where the fast path reads them, it gives
        // pulldown-cmark's anchors; where their text needs HTML or entities, it declines.
        let read = [
            ("## ⚠\u{fe0f} Warning\n", vec!["\u{fe0f}-warning"]),
            ("## हिन्दी\n", vec!["हिन्दी"]),
            ("## x² and ½\n", vec!["x-and-"]),
            ("## a‿b ＿c\n", vec!["a‿b-＿c"]),
            (
                "## Foo\n## Foo\n## Foo 1\n",
                vec!["foo", "foo-1", "foo-1-1"],
            ),
            ("## foo-1\n## foo\n## foo\n", vec!["foo-1", "foo", "foo-2"]),
            ("## Risks & open questions\n", vec!["risks--open-questions"]),
        ];
        for (text, anchors) in read {
            assert!(agree(text), "fast path declined:\n{text}");
            assert_eq!(parse(text, 1).unwrap().anchors, anchors, "{text}");
        }
        for text in [
            "## Contents <!-- omit in toc -->\n",
            "# &#x20;a\n",
            "## R&amp;D\n",
            "## ![logo](x.png) Title\n",
            "## The `rank` command\n",
        ] {
            assert!(!agree(text), "fast path should decline:\n{text}");
        }
    }

    #[test]
    fn declines_what_it_does_not_know() {
        let cases = [
            "Some *emphasis* here\n",
            "A <https://autolink.example>\n",
            "> a quote\n",
            "Para\n---\n",
            "Para\n===\n",
            "```\ncode\n```\n",
            "- list before any paragraph\n",
            "Text\n\n    indented code\n",
            "An image ![alt](x.png)\n",
            "A [ref] link\n\n[ref]: ./x.md\n",
            "Trailing hard break  \nnext\n",
            "Escaped \\[x\\]\n",
            "Entity &amp; here\n",
            "Para\n- a\n  - nested\n",
            "## Heading with [link](x.md)\n",
            "Para\n2. not a list\n",
            "_emphasis_ maybe\n",
        ];
        for c in cases {
            assert!(!agree(c), "fast path should decline:\n{c}");
        }
    }

    #[test]
    fn agrees_on_every_body_in_the_repository() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![
            root.join("docs"),
            root.join("tests/fixtures"),
            root.join("templates"),
        ];
        // CAIRN_FAST_MARKDOWN_DIR=target/bench/plan-10000 checks a generated plan as well.
        if let Some(dir) = std::env::var_os("CAIRN_FAST_MARKDOWN_DIR") {
            dirs.push(dir.into());
        }
        let (mut fast, mut total) = (0, 0);
        for dir in dirs {
            for entry in ignore::WalkBuilder::new(dir).build().flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                if entry.path().extension().is_none_or(|e| e != "md") {
                    continue;
                }
                let body =
                    crate::parse::front_matter::split(&text).map_or(text.as_str(), |s| s.body);
                total += 1;
                fast += usize::from(agree(body));
            }
        }
        assert!(total >= 40, "found only {total} bodies");
        assert!(fast * 4 >= total, "fast path took only {fast} of {total}");
    }

    /// Random bodies built from fragments chosen to sit on the subset's edges.
    #[test]
    fn agrees_on_random_bodies() {
        const LINES: &[&str] = &[
            "",
            "   ",
            "As a user, I can do it.",
            "so that [it](../goals/G-1.md#why) works",
            "plain text & more",
            "`code` span and `a_b`",
            "snake_case_word here",
            "~5 days ~~maybe~~",
            "## Acceptance criteria",
            "### acceptance CRITERIA",
            "# Notes",
            "## Notes",
            "## Notes 1",
            "## notes-1",
            "## ⚠\u{fe0f} Warning",
            "## x² and ½ ①",
            "## Contents <!-- omit in toc -->",
            "# &#x20;a",
            "#### Deep",
            "- [ ] open",
            "- [x] done",
            "- [X] Done",
            "- plain item",
            "+ plus item",
            "1. first",
            "1) first paren",
            "2. second",
            "10. tenth",
            "  indented continuation",
            "    deeply indented",
            "  - nested",
            "- [ ]",
            "-",
            "[ref]: ./x.md",
            "[link](x.md) first",
            "[a](b)(c) [d](e.md)",
            "Ünïcode ✓ [lïnk](ü.md)",
            "2.5 hours",
            "trailing space ",
            "end!",
            "wow! [x](y.md)",
            "(parens) [x](y.md).",
            "[x](https://a.b/c)",
            "[x](mailto:a@b.c)",
            "[x](#frag)",
            "a]b",
            "a[b",
            "`unclosed",
            "``double``",
            "&",
            "& x",
            "x_",
            "_x",
            "1.5",
            "= not setext?",
            "| table | row |",
            "***",
            "---",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let (mut fast, total) = (0, 50_000);
        for _ in 0..total {
            let n = 1 + next() as usize % 8;
            let mut body = String::new();
            for _ in 0..n {
                body.push_str(LINES[next() as usize % LINES.len()]);
                body.push(if next() % 9 == 0 { '\r' } else { '\n' });
                if body.ends_with('\r') {
                    body.push('\n');
                }
            }
            fast += usize::from(agree(&body));
        }
        assert!(fast * 10 >= total, "fast path took only {fast} of {total}");
    }
}
