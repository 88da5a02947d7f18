//! Splitting a file into front matter and Markdown body.
//!
//! Handles a byte-order mark, CRLF line endings, conflict markers, binary and non-UTF-8 content,
//! and a front matter that never closes, each as a located problem rather than a crash.

use crate::diagnostic::Span;

/// Files larger than this are not parsed.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// A file's text cut into its parts.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The YAML between the `---` lines, if the file has front matter.
    pub front_matter: Option<&'a str>,
    /// File line of the first YAML line.
    pub yaml_first_line: usize,
    /// The Markdown after the front matter (or the whole file).
    pub body: &'a str,
    /// File line of the body's first line.
    pub body_first_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// Conflict markers (`<<<<<<<`) at these spans.
    Conflict(Vec<Span>),
    /// The file cannot be read as text or its front matter is unusable.
    Parse {
        span: Span,
        message: String,
        help: Option<String>,
    },
}

/// Decodes bytes as UTF-8 text without a byte-order mark, or says where they stop being text.
pub fn decode(bytes: &[u8]) -> Result<&str, SplitError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(SplitError::Parse {
            span: Span::file_start(),
            message: format!(
                "file is {} MiB, larger than the {} MiB cairn reads",
                bytes.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            help: Some("move large content out of the plan directory".into()),
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(pos) = memchr::memchr(0, &bytes[..bytes.len().min(8192)]) {
        return Err(SplitError::Parse {
            span: position_of(bytes, pos),
            message: "binary file: not Markdown text (found a NUL byte)".into(),
            help: Some("keep binary files outside the plan directory, or rename them so they do not end in `.md`".into()),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| SplitError::Parse {
        span: position_of(bytes, e.valid_up_to()),
        message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
        help: Some("save the file as UTF-8".into()),
    })
}

fn position_of(bytes: &[u8], offset: usize) -> Span {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Span::new(line, column, 1)
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Finds the conflict markers (`<<<<<<<`, or `>>>>>>>` when no opening marker is left) at the start
/// of lines, outside fenced code blocks (where a plan may quote a conflict on purpose).
pub fn conflict_markers(text: &str) -> Vec<Span> {
    // Cheap pre-check: markers only count at the start of a line.
    let bytes = text.as_bytes();
    let marker_at = |i: usize| {
        let rest = &bytes[i..];
        rest.starts_with(b"<<<<<<<") || rest.starts_with(b">>>>>>>")
    };
    let at_line_start = |i: usize| i == 0 || bytes[i - 1] == b'\n';
    if !memchr::memchr2_iter(b'<', b'>', bytes).any(|i| at_line_start(i) && marker_at(i)) {
        return Vec::new();
    }
    let is_marker = |l: &str, m: &str| {
        l.strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\r']))
    };
    let mut fence: Option<&str> = None;
    let (mut opening, mut closing) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        for f in ["```", "~~~"] {
            if trimmed.starts_with(f) {
                fence = match fence {
                    None => Some(f),
                    Some(open) if open == f => None,
                    other => other,
                };
            }
        }
        if fence.is_some() {
            continue;
        }
        if is_marker(line, "<<<<<<<") {
            opening.push(Span::new(i + 1, 1, 7));
        } else if is_marker(line, ">>>>>>>") {
            closing.push(Span::new(i + 1, 1, 7));
        }
    }
    if opening.is_empty() {
        closing
    } else {
        opening
    }
}

/// Splits decoded text into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let conflicts = conflict_markers(text);
    if !conflicts.is_empty() {
        return Err(SplitError::Conflict(conflicts));
    }
    let first_end = memchr::memchr(b'\n', text.as_bytes()).map_or(text.len(), |i| i + 1);
    if !is_fence(&text[..first_end]) {
        return Ok(Split {
            front_matter: None,
            yaml_first_line: 1,
            body: text,
            body_first_line: 1,
        });
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = memchr::memchr(b'\n', &text.as_bytes()[offset..])
            .map_or(text.len(), |i| offset + i + 1);
        let current = &text[offset..end];
        if is_fence(current) || current.trim_end() == "..." {
            return Ok(Split {
                front_matter: Some(&text[first_end..offset]),
                yaml_first_line: 2,
                body: &text[end..],
                body_first_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(SplitError::Parse {
        span: Span::new(1, 1, 3),
        message: "front matter is never closed".into(),
        help: Some("add a line `---` after the last front-matter field".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_crlf_front_matter() {
        let s = split("---\r\nid: S-1\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(s.front_matter, Some("id: S-1\r\n"));
        assert_eq!(s.body, "body\r\n");
        assert_eq!(s.body_first_line, 4);
    }

    #[test]
    fn no_front_matter_is_a_document() {
        let s = split("# Notes\n").unwrap();
        assert!(s.front_matter.is_none());
    }

    #[test]
    fn unterminated_front_matter() {
        assert!(matches!(
            split("---\nid: S-1\n"),
            Err(SplitError::Parse { .. })
        ));
    }

    #[test]
    fn bom_is_stripped_and_invalid_utf8_located() {
        assert_eq!(decode(b"\xEF\xBB\xBF---\n").unwrap(), "---\n");
        match decode(b"---\nid: \xFF\n") {
            Err(SplitError::Parse { span, .. }) => assert_eq!((span.line, span.column), (2, 5)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn conflict_markers_are_found() {
        let text = "---\n<<<<<<< HEAD\nid: S-1\n=======\nid: S-2\n>>>>>>> b\n---\n";
        assert_eq!(
            split(text).unwrap_err(),
            SplitError::Conflict(vec![Span::new(2, 1, 7)])
        );
    }
}
