//! Go to definition, hover and find references: on ids anywhere in a file, and on relative
//! Markdown links.

use super::position::{cairn_position, span_range, LineIndex};
use super::state::State;
use super::token::{in_id_field, not_an_id, token_at};
use crate::diagnostic::Span;
use crate::model::{fmt_num, split_id};
use crate::parse::front_matter;
use crate::parse::item::parse_file;
use crate::parse::markdown::{self, Link};
use crate::query;
use crate::source::{percent_decode, resolve_link};
use lsp_types::{
    GotoDefinitionResponse, Hover, HoverContents, Location, MarkupContent, MarkupKind, Position,
    Range, Uri,
};

/// A file's text and a position in it, as cairn counts: 1-based line, 1-based character column.
pub(super) struct At {
    /// The file, relative to the root.
    pub rel: String,
    /// Its text.
    pub text: String,
    /// Its lines.
    pub lines: LineIndex,
    /// 1-based line.
    pub line: usize,
    /// 1-based character column.
    pub column: usize,
}

impl At {
    /// The position `pos` in the file `uri`.
    pub fn new(state: &State, uri: &Uri, pos: Position) -> Option<At> {
        let rel = state.rel_path(uri)?;
        let text = state.text(&rel)?.into_owned();
        let lines = LineIndex::new(&text);
        let (line, column) = cairn_position(&text, &lines, pos);
        Some(At {
            rel,
            text,
            lines,
            line,
            column,
        })
    }

    /// The text of the cursor's line.
    pub fn line_text(&self) -> &str {
        self.lines.line(&self.text, self.line - 1).unwrap_or("")
    }

    /// The token under the cursor (`S-14`, `BACK-222.1`), with its span.
    pub fn token(&self) -> Option<(String, Span)> {
        let (start, word) = token_at(self.line_text(), self.column - 1)?;
        let len = word.chars().count();
        Some((word, Span::new(self.line, start + 1, len)))
    }

    /// The id under the cursor (`S-14`), with its span: the whole token, when it has the form of
    /// an id.
    pub fn id(&self) -> Option<(String, Span)> {
        self.token().filter(|(t, _)| split_id(t).is_some())
    }

    /// The relative link under the cursor.
    pub fn link(&self, state: &State) -> Option<Link> {
        let links = match state.links(&self.rel) {
            Some(links) => links.to_vec(),
            None => parse_file(&self.rel, self.text.as_bytes(), state.config()).links,
        };
        links.into_iter().find(|l| {
            l.span.line == self.line
                && l.span.column <= self.column
                && self.column <= l.span.column + l.span.len
        })
    }
}

/// Where the id or link under the cursor is defined.
pub fn definition(state: &mut State, uri: &Uri, pos: Position) -> Option<GotoDefinitionResponse> {
    let at = At::new(state, uri, pos)?;
    if let Some(link) = at.link(state) {
        return link_target(state, &at.rel, &link.dest).map(GotoDefinitionResponse::Scalar);
    }
    let (id, _) = at.id()?;
    let plan = state.plan();
    let places: Vec<(String, Span)> = plan
        .items
        .iter()
        .filter(|i| i.id == id)
        .map(|i| (i.file.clone(), i.id_span))
        .collect();
    let locations: Vec<Location> = places
        .into_iter()
        .filter_map(|(file, span)| location(state, &file, span))
        .collect();
    match locations.len() {
        0 => None,
        1 => locations
            .into_iter()
            .next()
            .map(GotoDefinitionResponse::Scalar),
        _ => Some(GotoDefinitionResponse::Array(locations)),
    }
}

/// The location of a span in a file.
pub(super) fn location(state: &State, file: &str, span: Span) -> Option<Location> {
    let uri = state.uri_of(file)?;
    let range = span_range(state.text(file).as_deref(), span);
    Some(Location { uri, range })
}

/// Where a link written in `from` leads: the top of the file, or the heading its `#anchor` names.
pub(super) fn link_target(state: &State, from: &str, dest: &str) -> Option<Location> {
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    let path = percent_decode(path.split('?').next().unwrap_or(""));
    let target = if path.is_empty() {
        from.to_string()
    } else {
        resolve_link(from, &path)?
    };
    if !state.exists(&target) {
        return None;
    }
    let uri = state.uri_of(&target)?;
    let heading = anchor
        .filter(|a| !a.is_empty())
        .and_then(|a| {
            let text = state.text(&target)?;
            let wanted = percent_decode(a);
            headings(&text)
                .into_iter()
                .find(|(slug, _)| slug.eq_ignore_ascii_case(&wanted))
                .map(|(_, line)| line)
        })
        .unwrap_or(0);
    let start = Position::new(heading as u32, 0);
    Some(Location {
        uri,
        range: Range::new(start, start),
    })
}

/// Every heading of a Markdown file as its GitHub anchor and 0-based line, front matter skipped.
/// The anchors are the ones `cairn check` validates links against.
pub(super) fn headings(text: &str) -> Vec<(String, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (body, first_line) = match front_matter::split(text) {
        Ok(s) => (s.body, s.body_first_line),
        Err(_) => return Vec::new(),
    };
    let lines = LineIndex::new(body);
    markdown::headings(body)
        .into_iter()
        .map(|(anchor, start)| {
            let line = lines.position(body, start).line as usize;
            (anchor, first_line - 1 + line)
        })
        .collect()
}

/// The title, status, score and progress of the item whose id is under the cursor. In a field
/// that holds ids, a token that names no item says why.
pub fn hover(state: &mut State, uri: &Uri, pos: Position) -> Option<Hover> {
    let at = At::new(state, uri, pos)?;
    let (token, span) = at.token()?;
    let markdown = |value: String| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(span_range(Some(&at.text), span)),
    };
    let id_field = in_id_field(&at, state.config());
    if let Some(why) = not_an_id(&token, state.config()) {
        return id_field.then(|| markdown(why));
    }
    let plan = state.plan();
    let Some(detail) = query::show(plan, &token) else {
        return id_field.then(|| markdown(format!("**`{token}`**: no item has this id.")));
    };
    let row = &detail.row;
    let mut md = format!("**{}** · {}\n\n", row.id, escape(&row.title));
    let status = match (&row.status, row.category) {
        (Some(s), Some(c)) => format!("`{s}` ({c})"),
        _ => "no valid status".to_string(),
    };
    md.push_str(&format!("{} · {status}", row.kind));
    if let Some(parent) = &row.parent {
        md.push_str(&format!(" · {parent}"));
    }
    md.push_str("\n\n");
    let score = match detail.score {
        Some(s) => format!("score {} ({})", fmt_num(s), detail.score_method),
        None => format!("no {} score", detail.score_method),
    };
    let progress = match &detail.progress_detail {
        Some(p) => format!("progress {}", query::progress_bar(p)),
        None => "no progress to measure".to_string(),
    };
    md.push_str(&format!("{score} · {progress}\n"));
    if let Some(statement) = &detail.statement {
        // A goal's first paragraph can be long; the hover shows its start.
        let short: String = statement.chars().take(240).collect();
        let more = if short.len() < statement.len() {
            "…"
        } else {
            ""
        };
        md.push_str(&format!("\n> {}{more}\n", escape(&short)));
    }
    let mut related = Vec::new();
    if !detail.children.is_empty() {
        related.push(format!("children: {}", detail.children.join(", ")));
    }
    if !detail.dependents.is_empty() {
        related.push(format!("needed by: {}", detail.dependents.join(", ")));
    }
    if !related.is_empty() {
        md.push_str(&format!("\n{}\n", related.join(" · ")));
    }
    md.push_str(&format!("\n`{}`", row.file));
    Some(markdown(md))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Where the item under the cursor is named: its children's parent fields and its dependents'
/// `depends_on` entries (and its own `id:` when `declaration`).
pub fn references(
    state: &mut State,
    uri: &Uri,
    pos: Position,
    declaration: bool,
) -> Option<Vec<Location>> {
    let at = At::new(state, uri, pos)?;
    let (id, _) = at.id()?;
    let plan = state.plan();
    let &index = plan.by_id.get(&id)?;
    let item = &plan.items[index];
    let mut places: Vec<(String, Span)> = Vec::new();
    if declaration {
        places.push((item.file.clone(), item.id_span));
    }
    for &c in &plan.children[index] {
        let child = &plan.items[c];
        if let Some(p) = &child.parent {
            places.push((child.file.clone(), p.span));
        }
    }
    for &d in &plan.dependents[index] {
        let dep = &plan.items[d];
        for r in dep.depends_on.iter().filter(|r| r.id == id) {
            places.push((dep.file.clone(), r.span));
        }
    }
    Some(
        places
            .into_iter()
            .filter_map(|(file, span)| location(state, &file, span))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_have_lines_after_the_front_matter() {
        let text = "---\nid: G-1\ntitle: x\n---\n# Goal\n\n## Why now?\n\n## Why now?\n";
        assert_eq!(
            headings(text),
            vec![
                ("goal".to_string(), 4),
                ("why-now".to_string(), 6),
                ("why-now-1".to_string(), 8)
            ]
        );
    }
}
