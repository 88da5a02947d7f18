//! What cairn reads from a Markdown body: headings (as GitHub anchors), relative links with their
//! positions, the user-story statement and the acceptance-criteria task list.

use super::anchor::Slugger;
use crate::diagnostic::Span;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A relative link or image found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written (`../goals/G-3.md#why-now`).
    pub dest: String,
    /// Where the link starts in the file.
    pub span: Span,
}

/// The facts cairn takes from a Markdown body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// GitHub anchors of every heading, repeats suffixed as GitHub does (see [`super::anchor`]).
    pub anchors: Vec<String>,
    /// Relative links and images, in order.
    pub links: Vec<Link>,
    /// The first paragraph's text.
    pub statement: Option<String>,
    /// Checked and total boxes under an "Acceptance criteria" heading; `None` without that heading.
    pub criteria: Option<(usize, usize)>,
}

/// True when `dest` points inside the repository rather than at a URL.
pub fn is_relative(dest: &str) -> bool {
    if dest.is_empty() || dest.starts_with("//") {
        return false;
    }
    match dest.find(':') {
        Some(colon) => dest[..colon].contains(['/', '#', '?']),
        None => true,
    }
}

/// Maps byte offsets in a body to file positions.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines {
            text,
            starts,
            first_line,
        }
    }

    fn span(&self, range: std::ops::Range<usize>) -> Span {
        let idx = self.starts.partition_point(|&s| s <= range.start) - 1;
        let start = self.starts[idx];
        let column = self.text[start..range.start].chars().count() + 1;
        let line_end = self.text[range.start..]
            .find('\n')
            .map_or(self.text.len(), |i| range.start + i);
        let len = self.text[range.start..range.end.min(line_end)]
            .chars()
            .count();
        Span::new(self.first_line + idx, column, len)
    }
}

/// Reads a body that starts at file line `first_line`.
pub fn parse(text: &str, first_line: usize) -> Body {
    super::fast_markdown::parse(text, first_line).unwrap_or_else(|| parse_full(text, first_line))
}

/// The pulldown-cmark options of every reading of a body. Task lists are all cairn needs beyond
/// CommonMark: links and headings inside tables or footnotes parse the same without those
/// extensions, anchors are the same without strikethrough (the `~` it would take away is removed
/// from anchors anyway), and skipping them is measurably faster.
const OPTIONS: Options = Options::ENABLE_TASKLISTS;

/// A heading's text as GitHub renders it, which is what its anchor is made of: text (entities
/// decoded) and code spans, but neither inline HTML nor the alt text of images.
#[derive(Default)]
struct HeadingText {
    text: String,
    images: usize,
}

impl HeadingText {
    /// Takes one event from inside the heading.
    fn take(&mut self, event: &Event) {
        match event {
            Event::Text(t) | Event::Code(t) if self.images == 0 => self.text.push_str(t),
            Event::Start(Tag::Image { .. }) => self.images += 1,
            Event::End(TagEnd::Image) => self.images = self.images.saturating_sub(1),
            _ => {}
        }
    }
}

/// Every heading of a body: its GitHub anchor and the byte offset where the heading starts.
pub fn headings(text: &str) -> Vec<(String, usize)> {
    let mut slugger = Slugger::new();
    let mut starts = Vec::new();
    let mut heading: Option<HeadingText> = None;
    for (event, range) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                heading = Some(HeadingText::default());
                starts.push(range.start);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    slugger.add(&h.text);
                }
            }
            _ => {
                if let Some(h) = heading.as_mut() {
                    h.take(&event);
                }
            }
        }
    }
    slugger.into_anchors().into_iter().zip(starts).collect()
}

/// Reads a body with pulldown-cmark, without the fast path.
pub fn parse_full(text: &str, first_line: usize) -> Body {
    let lines = Lines::new(text, first_line);
    let mut body = Body::default();
    let mut slugger = Slugger::new();
    let mut heading: Option<(HeadingText, u32)> = None;
    let mut paragraph: Option<String> = None;
    let mut in_criteria: Option<u32> = None;
    let mut paragraphs_seen = 0;

    for (event, range) in Parser::new_ext(text, OPTIONS).into_offset_iter() {
        if let Some((h, _)) = heading.as_mut() {
            h.take(&event);
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((HeadingText::default(), level as u32))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((h, level)) = heading.take() {
                    slugger.add(&h.text);
                    if h.text.trim().eq_ignore_ascii_case("acceptance criteria") {
                        in_criteria = Some(level);
                        body.criteria.get_or_insert((0, 0));
                    } else if in_criteria.is_some_and(|l| level <= l) {
                        in_criteria = None;
                    }
                }
            }
            Event::Start(Tag::Paragraph) if paragraphs_seen == 0 && heading.is_none() => {
                paragraph = Some(String::new());
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(p) = paragraph.take() {
                    paragraphs_seen += 1;
                    let p = p.trim().to_string();
                    if !p.is_empty() {
                        body.statement = Some(p);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(p) = paragraph.as_mut() {
                    p.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = paragraph.as_mut() {
                    p.push(' ');
                }
            }
            Event::TaskListMarker(checked) if in_criteria.is_some() => {
                let c = body.criteria.get_or_insert((0, 0));
                c.1 += 1;
                if checked {
                    c.0 += 1;
                }
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if is_relative(&dest_url) =>
            {
                body.links.push(Link {
                    dest: dest_url.into_string(),
                    span: lines.span(range),
                });
            }
            _ => {}
        }
    }
    body.anchors = slugger.into_anchors();
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_headings_get_suffixes() {
        let b = parse("# Notes\n## Notes\n### Notes\n", 1);
        assert_eq!(b.anchors, ["notes", "notes-1", "notes-2"]);
    }

    #[test]
    fn anchor_ignores_inline_html_and_comments() {
        // GitHub makes the anchor of the rendered text, where tags and comments leave nothing.
        let b = parse(
            "## Contents <!-- omit in toc -->\n## <a name=\"x\"></a>Setup\n## Press <kbd>Ctrl</kbd>\n",
            1,
        );
        assert_eq!(b.anchors, ["contents-", "setup", "press-ctrl"]);
    }

    #[test]
    fn anchor_decodes_entities_without_trimming() {
        let b = parse("# &#x20;a\n## R&amp;D\n## Caf&eacute; a&#x20;\n", 1);
        assert_eq!(b.anchors, ["-a", "rd", "café-a-"]);
    }

    #[test]
    fn anchor_takes_code_spans_and_links_but_not_image_alt() {
        let b = parse(
            "## The `rank` command\n## See [the guide](g.md)\n## ![logo](x.png) Title\n",
            1,
        );
        assert_eq!(b.anchors, ["the-rank-command", "see-the-guide", "-title"]);
    }

    #[test]
    fn setext_heading_lines_join_without_a_dash() {
        // The line break renders as a newline, a control character, which the anchor removes.
        let b = parse("Two\nlines\n===\n", 1);
        assert_eq!(b.anchors, ["twolines"]);
    }

    #[test]
    fn lsp_headings_are_the_anchors_check_uses() {
        let text = "# A\n\ntext\n\n## A\n## <b>B</b> &amp; c\n";
        let anchors: Vec<String> = headings(text).into_iter().map(|(a, _)| a).collect();
        assert_eq!(anchors, parse_full(text, 1).anchors);
        let starts: Vec<usize> = headings(text).into_iter().map(|(_, s)| s).collect();
        assert_eq!(starts, [0, 11, 16]);
    }

    #[test]
    fn links_have_file_positions() {
        let b = parse(
            "intro\n\nSee the [goal](../goals/G-3.md#why) and <https://x.io>.\n",
            7,
        );
        assert_eq!(b.links.len(), 1);
        assert_eq!(b.links[0].dest, "../goals/G-3.md#why");
        assert_eq!(b.links[0].span, Span::new(9, 9, 27));
    }

    #[test]
    fn statement_and_criteria() {
        let b = parse(
            "As a lead, I can\nrepeat tasks.\n\n## Acceptance criteria\n- [x] one\n- [ ] two\n\n## Notes\n- [ ] not counted\n",
            1,
        );
        assert_eq!(
            b.statement.as_deref(),
            Some("As a lead, I can repeat tasks.")
        );
        assert_eq!(b.criteria, Some((1, 2)));
    }

    #[test]
    fn urls_are_not_relative() {
        assert!(!is_relative("https://example.com"));
        assert!(!is_relative("mailto:a@b.c"));
        assert!(is_relative("../a.md#x"));
        assert!(is_relative("#local"));
    }
}
