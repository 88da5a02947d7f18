//! Positions: cairn spans (1-based line, 1-based column counted in characters) and LSP positions
//! (0-based line, 0-based column counted in UTF-16 code units) for the same text.

use crate::diagnostic::Span;
use lsp_types::{Position, Range};

/// The start of every line of a text, to move between byte offsets, lines and LSP positions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the start of each line; `starts[0]` is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `text` (split at `\n`; a `\r` before it belongs to no line).
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// How many lines the text has (an empty last line after a final `\n` counts).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True for no lines at all, which never happens: an empty text has one empty line.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The text of 0-based line `line`, without its line ending.
    pub fn line<'a>(&self, text: &'a str, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line)?;
        let end = self.starts.get(line + 1).map_or(text.len(), |&e| e - 1);
        let l = text.get(start..end.max(start))?;
        Some(l.strip_suffix('\r').unwrap_or(l))
    }

    /// The byte offset of an LSP position; a column past the end of its line is the line's end,
    /// a line past the end of the text is the text's end.
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let line = pos.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let Some(content) = self.line(text, line) else {
            return text.len();
        };
        start + byte_of_utf16(content, pos.character)
    }

    /// The LSP position of a byte offset (clamped to the text, rounded down to a character).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let units: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, units as u32)
    }
}

/// The byte offset in `line` of UTF-16 column `units` (the end of the line when past it; inside a
/// surrogate pair, the start of that character).
pub fn byte_of_utf16(line: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (i, c) in line.char_indices() {
        let next = seen + c.len_utf16() as u32;
        if next > units {
            return i;
        }
        seen = next;
    }
    line.len()
}

/// The UTF-16 column of the character at 0-based character index `chars` in `line`.
pub fn utf16_of_char(line: &str, chars: usize) -> u32 {
    line.chars()
        .take(chars)
        .map(|c| c.len_utf16() as u32)
        .sum::<u32>()
        + chars.saturating_sub(line.chars().count()) as u32
}

/// The 0-based character index of UTF-16 column `units` in `line`.
pub fn char_of_utf16(line: &str, units: u32) -> usize {
    line[..byte_of_utf16(line, units)].chars().count()
}

/// The LSP range of a cairn span in `text` (the whole file; a byte-order mark at its start is
/// not counted by cairn's columns but is by the editor's). Without the text, columns are taken
/// to be ASCII.
pub fn span_range(text: Option<&str>, span: Span) -> Range {
    let line = span.line.saturating_sub(1);
    let col = span.column.saturating_sub(1);
    let Some(text) = text else {
        return Range::new(
            Position::new(line as u32, col as u32),
            Position::new(line as u32, (col + span.len) as u32),
        );
    };
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) if line == 0 => (1, rest),
        _ => (0, text),
    };
    let index = LineIndex::new(body);
    let content = index.line(body, line).unwrap_or("");
    let start = utf16_of_char(content, col) + bom;
    let end = utf16_of_char(content, col + span.len) + bom;
    Range::new(
        Position::new(line as u32, start),
        Position::new(line as u32, end),
    )
}

/// The 1-based cairn line and character column of an LSP position in `text`.
pub fn cairn_position(text: &str, index: &LineIndex, pos: Position) -> (usize, usize) {
    let content = index.line(text, pos.line as usize).unwrap_or("");
    let mut units = pos.character;
    if pos.line == 0 && content.starts_with('\u{feff}') {
        units = units.saturating_sub(1);
        let rest = &content['\u{feff}'.len_utf8()..];
        return (1, char_of_utf16(rest, units) + 1);
    }
    (pos.line as usize + 1, char_of_utf16(content, units) + 1)
}

/// True when `pos` lies inside `range` (start inclusive, end inclusive: a cursor right after an
/// id is still on it).
pub fn contains(range: &Range, pos: Position) -> bool {
    let p = (pos.line, pos.character);
    (range.start.line, range.start.character) <= p && p <= (range.end.line, range.end.character)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let line = "title: café 🚀 ok";
        // `ok` starts at char 15: `🚀` is one char but two UTF-16 units.
        assert_eq!(utf16_of_char(line, 15), 16);
        assert_eq!(char_of_utf16(line, 16), 15);
        // Inside the surrogate pair: the start of the rocket.
        assert_eq!(char_of_utf16(line, 13), 12);
        assert_eq!(byte_of_utf16(line, 100), line.len());
    }

    #[test]
    fn spans_become_ranges_on_non_ascii_lines() {
        let text = "---\ntitle: Über 🚀\ngoal: G-9\n---\n";
        // `G-9` at line 3, column 7, 3 chars.
        let r = span_range(Some(text), Span::new(3, 7, 3));
        assert_eq!(r, Range::new(Position::new(2, 6), Position::new(2, 9)));
        // `🚀` at line 2, column 13: UTF-16 column 12, 2 units long.
        let r = span_range(Some(text), Span::new(2, 13, 1));
        assert_eq!(r, Range::new(Position::new(1, 12), Position::new(1, 14)));
    }

    #[test]
    fn byte_order_mark_shifts_the_first_line() {
        let text = "\u{feff}---\nid: S-1\n";
        let r = span_range(Some(text), Span::new(1, 1, 3));
        assert_eq!(r.start, Position::new(0, 1));
        let index = LineIndex::new(text);
        assert_eq!(cairn_position(text, &index, Position::new(0, 1)), (1, 1));
        assert_eq!(cairn_position(text, &index, Position::new(1, 4)), (2, 5));
    }

    #[test]
    fn offsets_and_positions_round_trip() {
        let text = "a😀b\r\nsecond\n";
        let index = LineIndex::new(text);
        assert_eq!(index.len(), 3);
        assert_eq!(index.line(text, 0), Some("a😀b"));
        assert_eq!(index.line(text, 1), Some("second"));
        assert_eq!(index.line(text, 2), Some(""));
        let b = index.offset(text, Position::new(0, 3));
        assert_eq!(&text[b..b + 1], "b");
        assert_eq!(index.position(text, b), Position::new(0, 3));
        // Past the end of a line: the end of that line; past the last line: the end.
        assert_eq!(index.offset(text, Position::new(0, 99)), 6);
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(cairn_position(text, &index, Position::new(1, 2)), (2, 3));
    }
}
