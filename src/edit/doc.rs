//! Locating keys and values in front-matter text and computing the one splice that makes an edit.

use super::value::{classify, quote, to_yaml, Shape};
use super::{EditError, FieldEdit};
use crate::parse::front_matter;
use crate::parse::yaml::{self, Node, Value};

/// The front matter of one text (without BOM), with line offsets.
pub(super) struct Doc<'a> {
    text: &'a str,
    /// Byte offset of the start of each line; `starts[0]` is line 1.
    starts: Vec<usize>,
    eol: &'static str,
    /// The line of the closing `---`.
    fence_line: usize,
    pub(super) root: Node,
}

/// Where a container's entries live, for adding one.
#[derive(Clone, Copy)]
enum Ctx {
    /// Block mapping: entries are lines; new ones go before line `end` at `indent` spaces.
    Block { end: usize, indent: usize },
    /// Flow mapping `{ … }` starting at byte `open`.
    Flow { open: usize },
}

/// Where a value's text is, and how to replace it.
struct Extent {
    start: usize,
    end: usize,
    /// The value is on the lines below its key (or empty); the key line's comment to keep.
    below: Option<Option<String>>,
    /// The quote the old scalar was written with.
    quote: Option<char>,
}

impl<'a> Doc<'a> {
    pub(super) fn new(text: &'a str) -> Result<Doc<'a>, EditError> {
        let split = front_matter::split(text).map_err(|e| match e {
            front_matter::SplitError::Conflict(spans) => EditError::Unreadable {
                line: spans[0].line,
                message: "unresolved merge conflict".into(),
            },
            front_matter::SplitError::Parse { span, message, .. } => EditError::Unreadable {
                line: span.line,
                message,
            },
        })?;
        let yaml_text = split.front_matter.ok_or(EditError::NoFrontMatter)?;
        let root = yaml::parse(
            yaml_text,
            yaml::Origin {
                first_line: split.yaml_first_line,
            },
        )
        .map_err(|e| EditError::Unreadable {
            line: e.span.line,
            message: e.message,
        })?;
        if !matches!(root.value, Value::Map(_) | Value::Null) {
            return Err(EditError::Unreadable {
                line: root.span.line,
                message: format!("front matter is {}, not a mapping", root.type_name()),
            });
        }
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let eol = if text[..starts.get(1).copied().unwrap_or(text.len())].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        Ok(Doc {
            text,
            starts,
            eol,
            fence_line: split.body_first_line - 1,
            root,
        })
    }

    fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Offset of the end of a line's content (before `\r\n` or `\n`).
    fn content_end(&self, line: usize) -> usize {
        let start = self.line_start(line);
        let end = self.line_start(line + 1);
        let l = &self.text[start..end];
        start + l.trim_end_matches('\n').trim_end_matches('\r').len()
    }

    fn line(&self, line: usize) -> &'a str {
        &self.text[self.line_start(line)..self.content_end(line)]
    }

    fn offset(&self, line: usize, column: usize) -> usize {
        let start = self.line_start(line);
        let l = self.line(line);
        start
            + l.char_indices()
                .nth(column.saturating_sub(1))
                .map_or(l.len(), |(i, _)| i)
    }

    fn blank_or_comment(&self, line: usize) -> bool {
        let t = self.line(line).trim();
        t.is_empty() || t.starts_with('#')
    }

    /// One byte range and its replacement that make `edit`.
    pub(super) fn splice(
        &self,
        edit: &FieldEdit,
    ) -> Result<(std::ops::Range<usize>, String), EditError> {
        let empty: &[(Node, Node)] = &[];
        let mut entries = self.root.as_map().unwrap_or(empty);
        let root_at = self.offset(self.root.span.line, self.root.span.column);
        let mut ctx = if entries.is_empty() || !self.text[root_at..].starts_with('{') {
            Ctx::Block {
                end: self.fence_line,
                indent: 0,
            }
        } else {
            Ctx::Flow { open: root_at } // front matter written as one `{ … }` mapping
        };
        let full = edit.field();
        for (depth, key) in edit.path.iter().enumerate() {
            let rest = &edit.path[depth + 1..];
            let here = edit.path[..=depth].join(".");
            let Some(i) = entries.iter().position(|(k, _)| k.as_str() == Some(key)) else {
                let Some(value) = &edit.value else {
                    return Ok((0..0, String::new())); // removing what is not there
                };
                return Ok(self.add(ctx, entries, key, &nest(rest, value)));
            };
            let (k, v) = &entries[i];
            if rest.is_empty() {
                return match &edit.value {
                    Some(value) => {
                        let ext = self.extent(ctx, entries, i, &here)?;
                        Ok(self.replace(ext, value, matches!(ctx, Ctx::Flow { .. })))
                    }
                    None => self.remove(ctx, entries, i, &here),
                };
            }
            match &v.value {
                Value::Map(m) => {
                    let at = self.offset(v.span.line, v.span.column);
                    ctx = if self.text[at..].starts_with('{') {
                        Ctx::Flow { open: at }
                    } else {
                        Ctx::Block {
                            end: self.region_end(ctx, entries, i),
                            indent: m.first().map_or(0, |(k, _)| k.span.column - 1),
                        }
                    };
                    entries = m;
                }
                Value::Null => {
                    let Some(value) = &edit.value else {
                        return Ok((0..0, String::new()));
                    };
                    let ext = self.extent(ctx, entries, i, &here)?;
                    let rendered = nest(rest, value);
                    return Ok(self.replace(ext, &rendered, false));
                }
                _ => {
                    return Err(EditError::NotAMapping {
                        field: k.as_str().unwrap_or(key).to_string(),
                        found: v.type_name(),
                        path: full,
                    })
                }
            }
        }
        Ok((0..0, String::new()))
    }

    /// The line after the last line of a block entry (trailing blank and comment lines excluded).
    fn region_end(&self, ctx: Ctx, entries: &[(Node, Node)], i: usize) -> usize {
        let key_line = entries[i].0.span.line;
        let mut end = match (entries.get(i + 1), ctx) {
            (Some((next, _)), _) => next.span.line,
            (None, Ctx::Block { end, .. }) => end,
            (None, Ctx::Flow { .. }) => key_line + 1,
        };
        while end > key_line + 1 && self.blank_or_comment(end - 1) {
            end -= 1;
        }
        end
    }

    /// The byte just after a key's `:`.
    fn after_colon(&self, key: &Node, field: &str) -> Result<usize, EditError> {
        let start = self.offset(key.span.line, key.span.column);
        let line_end = self.content_end(key.span.line);
        let mut p = start
            + self.text[start..line_end]
                .char_indices()
                .nth(key.span.len)
                .map_or(line_end - start, |(i, _)| i);
        while p < line_end && matches!(self.text.as_bytes()[p], b' ' | b'\t') {
            p += 1;
        }
        if self.text[p..].starts_with(':') {
            Ok(p + 1)
        } else {
            Err(EditError::Unsupported {
                field: field.to_string(),
                reason: "its key is not written as `key: value`".into(),
            })
        }
    }

    fn extent(
        &self,
        ctx: Ctx,
        entries: &[(Node, Node)],
        i: usize,
        field: &str,
    ) -> Result<Extent, EditError> {
        let key = &entries[i].0;
        let line = key.span.line;
        let after = self.after_colon(key, field)?;
        let line_end = self.content_end(line);
        let rest = &self.text[after..line_end];
        let start = after + (rest.len() - rest.trim_start().len());
        let rest = rest.trim_start();
        let unsupported = |what: &str| EditError::Unsupported {
            field: field.to_string(),
            reason: format!("its value uses a YAML {what}, which cairn does not rewrite"),
        };
        match rest.chars().next() {
            Some('&') => return Err(unsupported("anchor")),
            Some('*') => return Err(unsupported("alias")),
            Some('!') => return Err(unsupported("tag")),
            _ => {}
        }
        let flow = matches!(ctx, Ctx::Flow { .. });
        let empty_inline = rest.is_empty() || rest.starts_with('#');
        if flow && (empty_inline || rest.starts_with([',', '}'])) {
            return Ok(Extent {
                start: after,
                end: after,
                below: None,
                quote: None,
            });
        }
        if !flow && (empty_inline || rest.starts_with(['|', '>'])) {
            // The value is below the key (a block list, map or scalar) or empty.
            let indicator = if rest.starts_with(['|', '>']) {
                rest.split_whitespace().next().unwrap_or("")
            } else {
                ""
            };
            let comment = rest[indicator.len()..].trim();
            let comment = comment.starts_with('#').then(|| comment.to_string());
            let last = self.region_end(ctx, entries, i) - 1;
            return Ok(Extent {
                start: after,
                end: if last == line {
                    line_end
                } else {
                    self.content_end(last)
                },
                below: Some(comment),
                quote: None,
            });
        }
        let first = rest.chars().next().unwrap_or(' ');
        let end = match first {
            '[' | '{' => self
                .match_bracket(start)
                .ok_or_else(|| unsupported("flow collection that never closes"))?,
            '"' | '\'' => self
                .match_quote(start)
                .ok_or_else(|| unsupported("quoted scalar that never closes"))?,
            _ if flow => {
                let stop = rest
                    .char_indices()
                    .find(|&(j, c)| {
                        matches!(c, ',' | ']' | '}')
                            || (c == '#' && rest[..j].ends_with([' ', '\t']))
                    })
                    .map_or(rest.len(), |(j, _)| j);
                start + rest[..stop].trim_end().len()
            }
            _ => {
                let last = self.region_end(ctx, entries, i) - 1;
                let (from, l) = if last > line {
                    (self.line_start(last), self.line(last))
                } else {
                    (start, rest)
                };
                from + strip_comment(l).trim_end().len()
            }
        };
        Ok(Extent {
            start,
            end,
            below: None,
            quote: matches!(first, '"' | '\'').then_some(first),
        })
    }

    fn match_quote(&self, start: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let q = bytes[start];
        let mut p = start + 1;
        while p < bytes.len() {
            match bytes[p] {
                b'\\' if q == b'"' => p += 2,
                b'\'' if q == b'\'' && bytes.get(p + 1) == Some(&b'\'') => p += 2,
                b if b == q => return Some(p + 1),
                _ => p += 1,
            }
        }
        None
    }

    fn match_bracket(&self, start: usize) -> Option<usize> {
        let limit = self.line_start(self.fence_line);
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        let mut p = start;
        while p < limit {
            match bytes[p] {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(p + 1);
                    }
                }
                b'"' | b'\'' => {
                    p = self.match_quote(p)?;
                    continue;
                }
                b'#' if matches!(bytes[p - 1], b' ' | b'\t') => {
                    p = self.text[p..].find('\n').map_or(limit, |i| p + i);
                    continue;
                }
                _ => {}
            }
            p += 1;
        }
        None
    }

    fn replace(&self, ext: Extent, value: &str, flow: bool) -> (std::ops::Range<usize>, String) {
        let v = value.trim();
        let rendered = match (ext.quote, classify(v, flow)) {
            (Some(q), Shape::Text { .. }) => quote(v, q),
            _ => to_yaml(v, flow),
        };
        let text = match ext.below {
            Some(comment) => match comment {
                Some(c) => format!(" {rendered} {c}"),
                None => format!(" {rendered}"),
            },
            None if ext.start == ext.end => format!(" {rendered}"),
            None => rendered,
        };
        (ext.start..ext.end, text)
    }

    fn remove(
        &self,
        ctx: Ctx,
        entries: &[(Node, Node)],
        i: usize,
        field: &str,
    ) -> Result<(std::ops::Range<usize>, String), EditError> {
        let key = &entries[i].0;
        // Refuses values with anchors, aliases or tags, as a replacement would.
        self.extent(ctx, entries, i, field)?;
        match ctx {
            Ctx::Block { .. } => {
                let from = self.line_start(key.span.line);
                let to = self.line_start(self.region_end(ctx, entries, i));
                Ok((from..to, String::new()))
            }
            Ctx::Flow { open } => {
                let from = self.offset(key.span.line, key.span.column);
                if let Some((next, _)) = entries.get(i + 1) {
                    let to = self.offset(next.span.line, next.span.column);
                    return Ok((from..to, String::new()));
                }
                let end = self.extent(ctx, entries, i, field)?.end;
                if i > 0 {
                    let prev_end = self.extent(ctx, entries, i - 1, field)?.end;
                    return Ok((prev_end..end, String::new()));
                }
                let close = self.match_bracket(open).unwrap_or(end);
                Ok((open..close, "{}".into()))
            }
        }
    }

    fn add(
        &self,
        ctx: Ctx,
        entries: &[(Node, Node)],
        key: &str,
        value: &str,
    ) -> (std::ops::Range<usize>, String) {
        match ctx {
            Ctx::Block { end, indent } => {
                let at = self.line_start(end);
                let v = to_yaml(value, false);
                (
                    at..at,
                    format!("{}{key}: {v}{}", " ".repeat(indent), self.eol),
                )
            }
            Ctx::Flow { open } => {
                let v = to_yaml(value, true);
                match entries.last() {
                    Some(_) => {
                        let last = entries.len() - 1;
                        let end = self
                            .extent(ctx, entries, last, key)
                            .map_or(open + 1, |e| e.end);
                        (end..end, format!(", {key}: {v}"))
                    }
                    None => {
                        let close = self.match_bracket(open).unwrap_or(open + 1);
                        (open..close, format!("{{ {key}: {v} }}"))
                    }
                }
            }
        }
    }
}

/// `value` wrapped in flow mappings for the keys of `rest` (`[b, c]` → `{ b: { c: value } }`).
fn nest(rest: &[String], value: &str) -> String {
    if rest.is_empty() {
        return value.to_string();
    }
    let inner = nest(&rest[1..], value);
    let inner = if rest.len() == 1 {
        to_yaml(&inner, true)
    } else {
        inner
    };
    format!("{{ {}: {inner} }}", rest[0])
}

/// A plain scalar's text without a trailing ` # comment`.
fn strip_comment(line: &str) -> &str {
    line.char_indices()
        .find(|&(j, c)| c == '#' && (j == 0 || line[..j].ends_with([' ', '\t'])))
        .map_or(line, |(j, _)| &line[..j])
}
