//! A plan file's Markdown body as HTML: CommonMark with GitHub's tables, task lists,
//! strikethrough, footnotes and alerts; headings with the plan's own anchors (the ones `cairn
//! check` validates links against); links rewritten for the site; raw HTML shown, never run.

use super::links::{Resolver, Target};
use crate::parse::anchor::Slugger;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A body rendered for a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// The body's words as plain text, for the search index.
    pub text: String,
    /// Repository files shown as images (root-relative paths), to be copied under `files/`.
    pub images: Vec<String>,
}

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_GFM);

/// Renders `body`, written in the plan file `from`, for the page whose way back to the site's
/// root is `root`. Headings move down so the body's highest one is an `<h2>` under the page's
/// `<h1>`. With `drop_title`, a heading that opens the body is left out: the page's `<h1>`
/// shows it.
pub fn render(
    body: &str,
    from: &str,
    resolver: &Resolver,
    root: &str,
    drop_title: bool,
) -> Rendered {
    let mut events: Vec<Event> = Parser::new_ext(body, OPTIONS).collect();
    let mut anchors = anchors(&events).into_iter();
    if drop_title && matches!(events.first(), Some(Event::Start(Tag::Heading { .. }))) {
        let end = events
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
            .unwrap_or(0);
        events.drain(..=end);
        anchors.next();
    }
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let shift = |level: HeadingLevel| -> HeadingLevel {
        let n = (level as usize + 2).saturating_sub(top).clamp(2, 6);
        HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
    };

    let mut out = Vec::with_capacity(events.len() + 8);
    let mut text = String::new();
    let mut images = Vec::new();
    // For each open link or image: whether its end tag is dropped (it became plain text) or
    // becomes a link's end (an image that could not be shown).
    let mut open: Vec<Close> = Vec::new();
    for event in events {
        match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => out.push(Event::Start(Tag::Heading {
                level: shift(level),
                id: anchors.next().map(CowStr::from),
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => {
                out.push(Event::End(TagEnd::Heading(shift(level))));
                text.push(' ');
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match resolver.link(from, &dest_url, root) {
                Target::Href(href) => {
                    open.push(Close::Link);
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: href.into(),
                        title,
                        id,
                    }));
                }
                Target::Text => {
                    open.push(Close::Drop);
                    out.push(Event::Html("<span class=\"unlinked\">".into()));
                }
            },
            Event::End(TagEnd::Link) => match open.pop() {
                Some(Close::Drop) => out.push(Event::Html("</span>".into())),
                _ => out.push(Event::End(TagEnd::Link)),
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Some(file) = resolver.image(from, &dest_url) {
                    let src = format!("{root}files/{}", super::paths::encode(&file));
                    images.push(file);
                    open.push(Close::Image);
                    out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: src.into(),
                        title,
                        id,
                    }));
                } else {
                    // No image from elsewhere: the page makes no request. Its alt text links to it.
                    match resolver.link(from, &dest_url, root) {
                        Target::Href(href) => {
                            open.push(Close::ImageAsLink);
                            out.push(Event::Start(Tag::Link {
                                link_type: pulldown_cmark::LinkType::Inline,
                                dest_url: href.into(),
                                title,
                                id,
                            }));
                            out.push(Event::Html(
                                "<span class=\"image-link\">Image: </span>".into(),
                            ));
                        }
                        Target::Text => {
                            open.push(Close::Drop);
                            out.push(Event::Html("<span class=\"unlinked\">".into()));
                        }
                    }
                }
            }
            Event::End(TagEnd::Image) => match open.pop() {
                Some(Close::Image) => out.push(Event::End(TagEnd::Image)),
                Some(Close::ImageAsLink) => out.push(Event::End(TagEnd::Link)),
                _ => out.push(Event::Html("</span>".into())),
            },
            // Raw HTML is shown as the text it is: a plan file cannot put markup or script on
            // the site.
            Event::Start(Tag::HtmlBlock) => {
                out.push(Event::Html("<pre class=\"raw-html\"><code>".into()))
            }
            Event::End(TagEnd::HtmlBlock) => out.push(Event::Html("</code></pre>\n".into())),
            Event::Html(h) | Event::InlineHtml(h) => out.push(Event::Text(h)),
            Event::Start(Tag::Table(align)) => {
                out.push(Event::Html("<div class=\"table-wrap\">".into()));
                out.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html("</div>\n".into()));
            }
            Event::Text(t) => {
                text.push_str(&t);
                out.push(Event::Text(t));
            }
            Event::Code(t) => {
                text.push_str(&t);
                text.push(' ');
                out.push(Event::Code(t));
            }
            e @ (Event::SoftBreak | Event::HardBreak) => {
                text.push(' ');
                out.push(e);
            }
            e @ Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                text.push(' ');
                out.push(e);
            }
            other => out.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    Rendered { html, text, images }
}

/// The GitHub anchor of every heading, in order, as `cairn check` computes them
/// ([`crate::parse::markdown::headings`]): from the heading's text and code, without inline HTML
/// or the alt text of images, repeats suffixed by [`Slugger`].
fn anchors(events: &[Event]) -> Vec<String> {
    let mut slugger = Slugger::new();
    let mut text: Option<String> = None;
    let mut images = 0usize;
    for e in events {
        match e {
            Event::Start(Tag::Heading { .. }) => text = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(t) = text.take() {
                    slugger.add(&t);
                }
            }
            Event::Start(Tag::Image { .. }) if text.is_some() => images += 1,
            Event::End(TagEnd::Image) if text.is_some() => images = images.saturating_sub(1),
            // Without the footnote extension, `[^1]` is text, and the checker reads it so.
            Event::FootnoteReference(label) if images == 0 => {
                if let Some(t) = text.as_mut() {
                    t.push_str("[^");
                    t.push_str(label);
                    t.push(']');
                }
            }
            Event::Text(t) | Event::Code(t) if images == 0 => {
                if let Some(s) = text.as_mut() {
                    s.push_str(t);
                }
            }
            _ => {}
        }
    }
    slugger.into_anchors()
}

/// How an open link or image is closed.
enum Close {
    /// A link kept.
    Link,
    /// A link or image shown as text.
    Drop,
    /// An image kept.
    Image,
    /// An image turned into a link to it.
    ImageAsLink,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The site's anchors must be the checker's, or a link `cairn check` accepts would miss.
    #[test]
    fn anchors_are_the_checkers() {
        for body in [
            "# A\n## A\n### a\n",
            "## Why *now* `x`\n## R&amp;D <kbd>k</kbd>\n",
            "## Pic ![alt text](x.png) after\n",
            "## Notes[^1]\n\n[^1]: A note.\n",
            "## ~~Gone~~ here\n| a |\n|---|\n| b |\n## Émoji ⚠️ ok\n",
            "Setext\n======\n\n- [ ] task\n",
        ] {
            let events: Vec<Event> = Parser::new_ext(body, OPTIONS).collect();
            let expected: Vec<String> = crate::parse::markdown::headings(body)
                .into_iter()
                .map(|(a, _)| a)
                .collect();
            assert_eq!(anchors(&events), expected, "{body}");
        }
    }
}
