//! A plan file's Markdown body as HTML: CommonMark with GitHub's tables, task lists,
//! strikethrough, footnotes and alerts; headings with the plan's own anchors (the ones `cairn
//! check` validates links against); links rewritten for the site; raw HTML shown, never run.

use super::links::{Resolver, Target};
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
    // The anchors `cairn check` knows, by where each heading starts.
    let anchors: std::collections::HashMap<usize, String> = crate::parse::markdown::headings(body)
        .into_iter()
        .map(|(anchor, start)| (start, anchor))
        .collect();
    let mut events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(body, OPTIONS).into_offset_iter().collect();
    if drop_title && matches!(events.first(), Some((Event::Start(Tag::Heading { .. }), _))) {
        let end = events
            .iter()
            .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
            .unwrap_or(0);
        events.drain(..=end);
    }
    let top = events
        .iter()
        .filter_map(|(e, _)| match e {
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
    for (event, range) in events {
        match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => out.push(Event::Start(Tag::Heading {
                level: shift(level),
                id: anchors.get(&range.start).map(|a| CowStr::from(a.clone())),
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
