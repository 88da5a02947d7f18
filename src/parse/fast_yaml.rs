//! A fast path for the YAML that front matter is almost always made of.
//!
//! Profiling showed the general YAML parser taking a third of `cairn check`. Front matter is
//! nearly always `key: scalar`, flow lists and maps of scalars, and one level of block lists and
//! maps. This reader handles exactly that subset and produces the same tree, spans included, as
//! [`super::yaml::parse`]; on anything else (comments, anchors, multi-line scalars, escapes,
//! nesting, tabs, a lone CR, characters YAML does not print) it returns `None` and the full parser
//! takes over, so it never reads invalid YAML either. Differential tests keep the two in agreement
//! (`super::differential`, docs/design.md).

use super::scalar::resolve_plain;
use super::yaml::{Node, Origin, Value};
use crate::diagnostic::Span;

struct Line<'a> {
    text: &'a str,
    number: usize,
    /// True when the whole document is ASCII, so character columns are byte columns.
    ascii: bool,
}

impl Line<'_> {
    /// 1-based character column of byte offset `byte`.
    fn col(&self, byte: usize) -> usize {
        if self.ascii {
            byte + 1
        } else {
            self.text[..byte].chars().count() + 1
        }
    }

    /// Length in characters of `part`, a slice of this line.
    fn width(&self, part: &str) -> usize {
        if self.ascii {
            part.len()
        } else {
            part.chars().count()
        }
    }
}

/// Parses `text` if it is within the simple subset; `None` means "use the full parser".
pub fn parse(text: &str, origin: Origin) -> Option<Node> {
    if memchr::memchr2(b'#', b'\\', text.as_bytes()).is_some() {
        return None;
    }
    let ascii = plain_characters(text)?;
    // `split('\n')` pays a searcher per line; memchr over the whole text is far cheaper.
    let mut lines: Vec<Line> = Vec::with_capacity(16);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())) {
        let l = &text[start..end];
        lines.push(Line {
            text: l.strip_suffix('\r').unwrap_or(l),
            number: origin.first_line + lines.len(),
            ascii,
        });
        start = end + 1;
    }
    let mut entries = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.text.trim_matches(' ').is_empty() {
            i += 1;
            continue;
        }
        if line.text.starts_with(' ')
            || line.text.starts_with("---")
            || line.text.starts_with("...")
        {
            return None;
        }
        let (key, rest_col) = key_of(line)?;
        let rest = &line.text[rest_col..];
        let value_text = rest.trim_start_matches(' ');
        let value_col = rest_col + (rest.len() - value_text.len());
        if value_text.trim_end_matches(' ').is_empty() {
            // A block collection below, or nothing.
            let mut j = i + 1;
            while j < lines.len() && lines[j].text.trim_matches(' ').is_empty() {
                j += 1;
            }
            let block_end = (j..lines.len())
                .find(|&k| {
                    !lines[k].text.starts_with(' ') && !lines[k].text.trim_matches(' ').is_empty()
                })
                .unwrap_or(lines.len());
            let value = if j < block_end {
                // Trailing blank lines belong to nobody; the block ends at its last content line.
                let mut last = block_end;
                while last > j && lines[last - 1].text.trim_matches(' ').is_empty() {
                    last -= 1;
                }
                block(&lines[j..last])?
            } else {
                Node {
                    value: Value::Null,
                    span: Span::new(line.number, line.col(rest_col - 1), 0),
                }
            };
            entries.push((key, value));
            i = block_end;
            continue;
        }
        entries.push((key, value(line, value_col, false)?));
        i += 1;
    }
    if entries.is_empty() {
        return None;
    }
    let first = entries[0].0.span;
    Some(Node {
        value: Value::Map(entries),
        span: Span::new(first.line, first.column, 0),
    })
}

/// Whether the subset reads `text`'s characters as YAML does, and if so whether they are all
/// ASCII. It does not when there are tabs, control characters, DEL, a lone CR (a line break to
/// YAML: `Foo\rBar` is two lines), C1 controls, a byte-order mark, U+FFFE or U+FFFF: they are
/// separation, errors or both to the full parser, which then says which.
fn plain_characters(text: &str) -> Option<bool> {
    let bytes = text.as_bytes();
    // No early exit within a chunk, so that the common case vectorizes.
    let (mut control, mut high) = (false, false);
    for chunk in bytes.chunks(64) {
        let (mut c, mut h) = (0u8, 0u8);
        for &b in chunk {
            c |= u8::from(b < 0x20 && b != b'\n') | u8::from(b == 0x7F);
            h |= b & 0x80;
        }
        control |= c != 0;
        high |= h != 0;
    }
    if control
        && bytes.iter().enumerate().any(|(i, &b)| {
            (b < 0x20 && b != b'\n' && (b != b'\r' || bytes.get(i + 1) != Some(&b'\n')))
                || b == 0x7F
        })
    {
        return None;
    }
    if high
        && text.chars().any(|c| {
            matches!(
                c,
                '\u{80}'..='\u{9F}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
            )
        })
    {
        return None;
    }
    Some(!high)
}

/// The key of a `key: …` line and the byte column just after the colon.
fn key_of(line: &Line) -> Option<(Node, usize)> {
    let colon = memchr::memchr(b':', line.text.as_bytes())?;
    let key = &line.text[..colon];
    if key.is_empty()
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return None;
    }
    let after = &line.text[colon + 1..];
    if !after.is_empty() && !after.starts_with(' ') {
        return None;
    }
    let node = Node {
        value: resolve_key(key),
        span: Span::new(line.number, 1, key.len()),
    };
    Some((node, colon + 1))
}

fn resolve_key(key: &str) -> Value {
    // Keys resolve like any plain scalar (`1: x` has an integer key), as in the full parser.
    resolve_plain(key)
}

/// One indented block: a list of scalars (`- x`) or a map of scalars (`k: v`), same indent.
fn block(lines: &[Line]) -> Option<Node> {
    let first = &lines[0];
    let indent = first.text.len() - first.text.trim_start_matches(' ').len();
    let is_seq = first.text[indent..].starts_with("- ") || first.text[indent..] == *"-";
    let mut items = Vec::new();
    let mut entries = Vec::new();
    for line in lines {
        if line.text.trim_matches(' ').is_empty() {
            continue;
        }
        let own = line.text.len() - line.text.trim_start_matches(' ').len();
        if own != indent {
            return None;
        }
        if is_seq {
            let rest = line.text[indent..].strip_prefix("- ")?;
            let v = rest.trim_start_matches(' ');
            if v.trim_end_matches(' ').is_empty() || v.starts_with("- ") {
                return None;
            }
            let col = indent + 2 + (rest.len() - v.len());
            if !v.starts_with(['{', '[']) && key_like(v) {
                return None;
            }
            items.push(value(line, col, false)?);
        } else {
            let shifted = Line {
                text: &line.text[indent..],
                number: line.number,
                ascii: line.ascii,
            };
            let (mut key, rest_col) = key_of(&shifted)?;
            key.span.column += indent;
            let rest = &shifted.text[rest_col..];
            let v = rest.trim_start_matches(' ');
            if v.trim_end_matches(' ').is_empty() {
                return None;
            }
            let col = indent + rest_col + (rest.len() - v.len());
            entries.push((key, value(line, col, false)?));
        }
    }
    let start = Span::new(first.number, indent + 1, 0);
    Some(Node {
        value: if is_seq {
            Value::Seq(items)
        } else {
            Value::Map(entries)
        },
        span: start,
    })
}

fn key_like(v: &str) -> bool {
    // `contains(": ")` would build a substring searcher for every value; a colon is rare.
    let b = v.as_bytes();
    v.match_indices(':')
        .any(|(i, _)| b.get(i + 1) == Some(&b' '))
        || v.trim_end_matches(' ').ends_with(':')
}

/// The scalar or flow collection starting at byte `col` of `line`, running to the end of the line.
fn value(line: &Line, col: usize, in_flow: bool) -> Option<Node> {
    let text = line.text[col..].trim_end_matches(' ');
    let first = text.chars().next()?;
    match first {
        '[' | '{' if !in_flow => flow(line, col, text),
        '"' | '\'' => {
            let inner = text.strip_prefix(first)?.strip_suffix(first)?;
            if inner.contains(first) || text.len() < 2 {
                return None;
            }
            Some(Node {
                value: Value::Str(inner.to_string()),
                span: Span::new(line.number, line.col(col), line.width(text)),
            })
        }
        _ => plain(line, col, text, in_flow),
    }
}

fn plain(line: &Line, col: usize, text: &str, in_flow: bool) -> Option<Node> {
    let mut chars = text.chars();
    let first = chars.next()?;
    if matches!(
        first,
        '?' | ':'
            | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    ) {
        return None;
    }
    if first == '-' && chars.next().is_none_or(|c| c == ' ') {
        return None;
    }
    if key_like(text)
        || (in_flow
            && text
                .bytes()
                .any(|b| matches!(b, b',' | b'[' | b']' | b'{' | b'}')))
    {
        return None;
    }
    Some(Node {
        value: resolve_plain(text),
        span: Span::new(line.number, line.col(col), line.width(text)),
    })
}

/// `[a, b]` or `{k: v, k: v}` of scalars, on one line.
fn flow(line: &Line, col: usize, text: &str) -> Option<Node> {
    let open = text.chars().next()?;
    let close = if open == '[' { ']' } else { '}' };
    if !text.ends_with(close) {
        return None;
    }
    let inner_start = col + 1;
    let inner = &text[1..text.len() - 1];
    if inner.contains(['[', ']', '{', '}']) {
        return None;
    }
    // The opening token's span runs to the next token, as the full parser reports it.
    let lead = inner.len() - inner.trim_start_matches(' ').len();
    let open_span = Span::new(line.number, line.col(col), 1 + lead);
    let mut items = Vec::new();
    let mut entries = Vec::new();
    if !inner.trim_matches(' ').is_empty() {
        let mut offset = inner_start;
        for part in inner.split(',') {
            let trimmed = part.trim_start_matches(' ');
            let start = offset + (part.len() - trimmed.len());
            offset += part.len() + 1;
            let trimmed = trimmed.trim_end_matches(' ');
            if trimmed.is_empty() {
                return None;
            }
            let sub = Line {
                text: &line.text[..start + trimmed.len()],
                number: line.number,
                ascii: line.ascii,
            };
            if open == '[' {
                items.push(value(&sub, start, true)?);
            } else {
                let colon = trimmed.find(": ")?;
                let key_text = &trimmed[..colon];
                if key_text.is_empty()
                    || !key_text
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                {
                    return None;
                }
                let key = Node {
                    value: resolve_key(key_text),
                    span: Span::new(line.number, line.col(start), line.width(key_text)),
                };
                let rest = &trimmed[colon + 1..];
                let v = rest.trim_start_matches(' ');
                let vcol = start + colon + 1 + (rest.len() - v.len());
                entries.push((key, value(&sub, vcol, true)?));
            }
        }
    }
    Some(Node {
        value: if open == '[' {
            Value::Seq(items)
        } else {
            Value::Map(entries)
        },
        span: open_span,
    })
}

#[cfg(test)]
mod tests {
    use super::super::yaml;
    use super::*;

    /// Whenever the fast path answers, it must answer exactly what the full parser does.
    pub(crate) fn agree(text: &str) -> bool {
        let origin = Origin { first_line: 2 };
        match parse(text, origin) {
            Some(fast) => {
                let full = yaml::parse_full(text, origin).expect("fast path accepted invalid YAML");
                assert_eq!(fast, full, "fast path disagrees on:\n{text}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn agrees_on_typical_front_matter() {
        let cases = [
            "id: S-1\ntitle: Automate recurring tasks\nstatus: ready\n",
            "id: S-14\ntitle: \"Quoted: x\"\nname: 'single'\ntags: [a, b c , \"d\"]\n",
            "rice: { reach: 1200, impact: 1, confidence: 80%, effort: 0.5 }\n",
            "rice:\n  reach: 10\n  effort: 0.5\nnext: 1\n",
            "tags:\n  - a\n  - b\n\nowner: x\n",
            "empty:\nlast: 80%   \n",
            "depends_on: []\nkey_results: [ one, two ]\n",
            "title: Ünïcode tïtle ✓\nestimate: 5\n",
            "id: S-1\r\ntitle: CRLF\r\nstatus: done\r\n",
            "a: true\nb: ~\nc: 1e3\nd: -5\ne: 2027-01-04\nf: 0x1F\n",
            "blk:\n  k: v\n\n\nz: 1\n",
            "key_results:\n  - { metric: conversion, target: 34%, current: 22% }\n  - Move it from 11% to 37%\n",
            "l:\n  - [a, b]\n  - {}\n",
        ];
        for c in cases {
            assert!(agree(c), "fast path declined:\n{c}");
        }
    }

    #[test]
    fn declines_what_it_does_not_know() {
        let cases = [
            "title: a # comment\n",
            "title: Export: CSV\n",
            "a: &x 1\nb: *x\n",
            "t: |\n  block\n",
            "t: first\n  continued\n",
            "nested:\n  deep:\n    x: 1\n",
            "list:\n  - a: 1\n",
            "m: {a: [1]}\n",
            "q: \"esc\\\"aped\"\n",
        ];
        for c in cases {
            assert!(!agree(c), "fast path should decline:\n{c}");
        }
    }

    #[test]
    fn agrees_on_every_front_matter_in_the_repository() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut fast, mut total) = (0, 0);
        for dir in ["docs/example", "tests/fixtures", "templates"] {
            for entry in ignore::WalkBuilder::new(root.join(dir)).build().flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                if let Ok(split) = crate::parse::front_matter::split(&text) {
                    if let Some(fm) = split.front_matter {
                        total += 1;
                        fast += usize::from(agree(fm));
                    }
                }
            }
        }
        assert!(total >= 30, "found only {total} front matters");
        // CAIRN_FAST_YAML_DIR=target/bench/plan-10000 checks a generated plan as well.
        if let Some(dir) = std::env::var_os("CAIRN_FAST_YAML_DIR") {
            for entry in ignore::WalkBuilder::new(dir).build().flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                if let Ok(Some(fm)) =
                    crate::parse::front_matter::split(&text).map(|s| s.front_matter)
                {
                    total += 1;
                    fast += usize::from(agree(fm));
                }
            }
        }
        assert!(
            fast * 10 >= total * 8,
            "fast path took only {fast} of {total}"
        );
    }
}
