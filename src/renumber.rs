//! `cairn renumber`'s engine: give an item a new id and follow it everywhere.
//!
//! Planning and writing are separate: [`plan`] computes every change in memory (the `id:` value,
//! each parent field and `depends_on` entry naming the old id, the file's new name, relative links
//! to that file), so nothing is written when any of it fails, and a dry run prints the same list.
//! [`apply`] then writes each file atomically.

use crate::ids::{self, IdsError};
use crate::model::split_id;
use crate::parse::front_matter;
use crate::plan::Plan;
use crate::source::{percent_decode, resolve_link, Source};
use crate::write::atomic_write;
use std::collections::BTreeMap;
use std::path::Path;

/// What was asked: renumber `old`, to `new` or the next free id, in `file` when two share it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The id to change (`S-5`).
    pub old: String,
    /// The new id (`S-9`, or just `9`); the next free number of the kind when `None`.
    pub new: Option<String>,
    /// The file (relative to the plan root) whose item is renumbered, when `old` is duplicated.
    pub file: Option<String>,
}

/// Why a renumbering cannot be made. Nothing has been written.
#[derive(Debug, thiserror::Error)]
pub enum RenumberError {
    /// No item has the id (a file may declare it and still be no item).
    #[error(transparent)]
    UnknownId(Box<crate::plan::UnknownItem>),
    /// Several files use the id and `--file` did not say which one to renumber.
    #[error("`{id}` is used by {} files: {}; pass `--file PATH` to choose which one gets a new id", .files.len(), .files.join(", "))]
    Ambiguous {
        /// The id.
        id: String,
        /// The files that declare it.
        files: Vec<String>,
    },
    /// `--file` names a file that does not declare the id.
    #[error("{file} does not declare `{id}`; it is declared by {}", .files.join(", "))]
    NotInFile {
        /// The id.
        id: String,
        /// The file given.
        file: String,
        /// The files that declare it.
        files: Vec<String>,
    },
    /// The new id is malformed or of another kind.
    #[error("`{new}` cannot replace `{old}`: {reason}")]
    BadNew {
        /// The old id.
        old: String,
        /// The new id as given.
        new: String,
        /// Why not.
        reason: String,
    },
    /// The new id is already in use somewhere.
    #[error("`{id}` is already used ({}); pick another or leave NEW out for the next free id", .places.join(", "))]
    Taken {
        /// The id.
        id: String,
        /// Where it is used.
        places: Vec<String>,
    },
    /// The item's `id:` value is written in a way cairn does not rewrite.
    #[error("cannot rewrite the id at {file}:{line}; change it by hand")]
    CannotRewrite {
        /// The file.
        file: String,
        /// The line of the id.
        line: usize,
    },
    /// Renaming the file would overwrite another one.
    #[error("cannot rename {from} to {to}: {to} already exists")]
    TargetExists {
        /// The current path.
        from: String,
        /// The new path.
        to: String,
    },
    /// A plan file could not be read.
    #[error("cannot read {file}: {error}")]
    Read {
        /// The file.
        file: String,
        /// The cause, part of the message (so not a `source`: a printed chain does not repeat it).
        error: std::io::Error,
    },
    /// The ids of the work tree and branches could not be collected.
    #[error(transparent)]
    Ids(#[from] IdsError),
}

/// One change in a file, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The line (1-based) where the change is.
    pub line: usize,
    /// What was rewritten: `id`, a parent field name, `depends_on`, or `link`.
    pub field: String,
    /// The old text.
    pub from: String,
    /// The new text.
    pub to: String,
}

/// The new content of one file.
#[derive(Debug, Clone)]
pub struct FileWrite {
    /// The file's path now (relative to the root).
    pub path: String,
    /// Its path after the renumbering (differs when the file is renamed).
    pub new_path: String,
    /// The file's new bytes.
    pub bytes: Vec<u8>,
    /// The changes made in it, in file order.
    pub changes: Vec<Change>,
}

/// A place that names the old id and was left alone (the duplicate-id case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The file.
    pub file: String,
    /// The line.
    pub line: usize,
    /// The field (`goal`, `depends_on`).
    pub field: String,
}

/// Every change a renumbering makes, computed before anything is written.
#[derive(Debug, Clone)]
pub struct Renumbering {
    /// The old id.
    pub old: String,
    /// The new id.
    pub new: String,
    /// The file of the renumbered item.
    pub file: String,
    /// The files to write, the renumbered item's first.
    pub writes: Vec<FileWrite>,
    /// When `old` was duplicated: references to it that were not rewritten (they are ambiguous).
    pub left_alone: Vec<Reference>,
    /// References and links that could not be found in the text to rewrite (written in a way
    /// cairn does not edit, such as a block scalar); the user fixes them by hand.
    pub not_rewritten: Vec<Reference>,
}

/// Computes the renumbering `req` asks for, reading files from `source`; `root` is the plan root
/// on disk, where the git repository (if any) is looked up for ids used on other branches.
pub fn plan(
    root: &Path,
    plan: &Plan,
    source: &dyn Source,
    req: &Request,
) -> Result<Renumbering, RenumberError> {
    let old = req.old.trim();
    let holders: Vec<&crate::model::Item> = plan.items.iter().filter(|i| i.id == old).collect();
    let files: Vec<String> = holders.iter().map(|i| i.file.clone()).collect();
    let target = match (&req.file, holders.len()) {
        (_, 0) => return Err(RenumberError::UnknownId(Box::new(plan.unknown_item(old)))),
        (Some(f), _) => {
            *holders
                .iter()
                .find(|i| &i.file == f)
                .ok_or_else(|| RenumberError::NotInFile {
                    id: old.to_string(),
                    file: f.clone(),
                    files: files.clone(),
                })?
        }
        (None, 1) => holders[0],
        (None, _) => {
            return Err(RenumberError::Ambiguous {
                id: old.to_string(),
                files,
            })
        }
    };
    let duplicated = holders.len() > 1;
    let prefix = split_id(old).map(|(p, _)| p).unwrap_or_default();
    let new = new_id(root, plan, old, prefix, req.new.as_deref())?;

    // Text edits per file: (byte range, replacement, change).
    let mut edits: BTreeMap<String, Vec<(std::ops::Range<usize>, String, Change)>> =
        BTreeMap::new();
    let mut texts: BTreeMap<String, (bool, String)> = BTreeMap::new();
    let mut read = |file: &str| -> Result<(bool, String), RenumberError> {
        if let Some(t) = texts.get(file) {
            return Ok(t.clone());
        }
        let bytes = source.read(file).map_err(|e| RenumberError::Read {
            file: file.to_string(),
            error: e,
        })?;
        let text = front_matter::decode(&bytes)
            .map_err(|_| RenumberError::Read {
                file: file.to_string(),
                error: std::io::Error::other("not UTF-8 text"),
            })?
            .to_string();
        let t = (bytes.starts_with(b"\xEF\xBB\xBF"), text);
        texts.insert(file.to_string(), t.clone());
        Ok(t)
    };

    let mut left_alone = Vec::new();
    {
        let (_, text) = read(&target.file)?;
        let e = token_edit(&text, target.id_span, old, &new, "id").ok_or_else(|| {
            RenumberError::CannotRewrite {
                file: target.file.clone(),
                line: target.id_span.line,
            }
        })?;
        edits.entry(target.file.clone()).or_default().push(e);
    }
    let mut not_rewritten = Vec::new();
    for item in &plan.items {
        let parent_field = plan.config.kinds[item.kind].parent.clone();
        let refs = item
            .parent
            .iter()
            .map(|r| (r, parent_field.clone().unwrap_or_default()))
            .chain(
                item.depends_on
                    .iter()
                    .map(|r| (r, "depends_on".to_string())),
            );
        for (r, field) in refs {
            if r.id != old {
                continue;
            }
            if duplicated {
                left_alone.push(Reference {
                    file: item.file.clone(),
                    line: r.span.line,
                    field,
                });
                continue;
            }
            let (_, text) = read(&item.file)?;
            match token_edit(&text, r.span, old, &new, &field) {
                Some(e) => edits.entry(item.file.clone()).or_default().push(e),
                None => not_rewritten.push(Reference {
                    file: item.file.clone(),
                    line: r.span.line,
                    field,
                }),
            }
        }
    }

    // The file's new name, and the links that reach it by name.
    let new_path = renamed(&target.file, old, &new);
    if new_path != target.file {
        if source.exists(&new_path) {
            return Err(RenumberError::TargetExists {
                from: target.file.clone(),
                to: new_path,
            });
        }
        for file in &plan.files {
            for link in &file.links {
                let Some(new_dest) = relinked(&file.path, &link.dest, &target.file, old, &new)
                else {
                    continue;
                };
                let (_, text) = read(&file.path)?;
                match find_link(&text, link.span, &link.dest) {
                    Some(at) => {
                        let change = Change {
                            line: line_of(&text, at),
                            field: "link".into(),
                            from: link.dest.clone(),
                            to: new_dest.clone(),
                        };
                        edits.entry(file.path.clone()).or_default().push((
                            at..at + link.dest.len(),
                            new_dest,
                            change,
                        ));
                    }
                    None => not_rewritten.push(Reference {
                        file: file.path.clone(),
                        line: link.span.line,
                        field: "link".into(),
                    }),
                }
            }
        }
    }

    let mut writes = Vec::new();
    for (file, mut list) in edits {
        let (bom, text) = read(&file)?;
        list.sort_by_key(|(r, ..)| (r.start, r.end));
        list.dedup_by(|a, b| a.0 == b.0);
        let mut out = text.clone();
        for (range, replacement, _) in list.iter().rev() {
            out.replace_range(range.clone(), replacement);
        }
        let mut bytes = Vec::with_capacity(out.len() + 3);
        if bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(out.as_bytes());
        let new_file = if file == target.file {
            new_path.clone()
        } else {
            file.clone()
        };
        writes.push(FileWrite {
            path: file,
            new_path: new_file,
            bytes,
            changes: list.into_iter().map(|(.., c)| c).collect(),
        });
    }
    writes.sort_by_key(|w| w.path != target.file);
    Ok(Renumbering {
        old: old.to_string(),
        new,
        file: target.file.clone(),
        writes,
        left_alone,
        not_rewritten,
    })
}

/// Writes every file of `r` under `root`, each atomically; the renamed file is written under its
/// new name and then its old name removed.
pub fn apply(root: &Path, r: &Renumbering) -> std::io::Result<()> {
    for w in r.writes.iter().rev() {
        atomic_write(&root.join(&w.new_path), &w.bytes)?;
        if w.new_path != w.path {
            std::fs::remove_file(root.join(&w.path))?;
        }
    }
    Ok(())
}

fn new_id(
    root: &Path,
    plan: &Plan,
    old: &str,
    prefix: &str,
    asked: Option<&str>,
) -> Result<String, RenumberError> {
    let used = ids::scan(root, &plan.config)?;
    let Some(asked) = asked.map(str::trim) else {
        // The parsed plan too: an id written unusually (`id: >-`) escapes the quick line scan.
        let parsed = plan
            .items
            .iter()
            .filter(|i| split_id(&i.id).is_some_and(|(p, _)| p == prefix))
            .map(|i| i.number + 1);
        let next = parsed.fold(used.next_free(prefix), u64::max);
        return Ok(format!("{prefix}-{next}"));
    };
    let new = if asked.chars().all(|c| c.is_ascii_digit()) {
        format!("{prefix}-{asked}")
    } else {
        asked.to_string()
    };
    let bad = |reason: String| RenumberError::BadNew {
        old: old.to_string(),
        new: asked.to_string(),
        reason,
    };
    let (p, n) = split_id(&new).ok_or_else(|| bad(format!("ids look like `{prefix}-N`")))?;
    if p != prefix {
        return Err(bad(format!(
            "it has prefix `{p}`, and renumbering keeps the kind (`{prefix}-N`)"
        )));
    }
    let mut places: Vec<String> = used.locations(p, n).to_vec();
    if let Some(f) = plan
        .items
        .iter()
        .find(|i| i.id == new)
        .map(|i| i.file.clone())
        .or_else(|| plan.unread_ids.get(&new).cloned())
    {
        places.retain(|p| p != "work tree");
        places.insert(0, f);
    }
    if !places.is_empty() {
        return Err(RenumberError::Taken { id: new, places });
    }
    Ok(new)
}

/// The edit that replaces `old` with `new` in the token at `span` (quotes kept).
fn token_edit(
    text: &str,
    span: crate::diagnostic::Span,
    old: &str,
    new: &str,
    field: &str,
) -> Option<(std::ops::Range<usize>, String, Change)> {
    let start = offset(text, span.line, span.column)?;
    let window = &text[start..];
    let at = window.find(old).filter(|&i| i <= 1)?; // 1: after an opening quote
    let change = Change {
        line: span.line,
        field: field.to_string(),
        from: old.to_string(),
        to: new.to_string(),
    };
    Some((start + at..start + at + old.len(), new.to_string(), change))
}

/// Byte offset of a 1-based line and character column.
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let l = &text[start..];
    let l = &l[..l.find('\n').unwrap_or(l.len())];
    Some(
        start
            + l.char_indices()
                .nth(column.saturating_sub(1))
                .map_or(l.len(), |(i, _)| i),
    )
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// `path` with its file name's leading `OLD` replaced, when the name starts with `OLD-` or `OLD.`.
pub fn renamed(path: &str, old: &str, new: &str) -> String {
    let (dir, name) = match path.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), path),
    };
    match name.strip_prefix(old) {
        Some(rest) if rest.starts_with(['-', '.']) => format!("{dir}{new}{rest}"),
        _ => path.to_string(),
    }
}

/// The new destination of a link written in `from` as `dest`, when it reaches `target` by name.
fn relinked(from: &str, dest: &str, target: &str, old: &str, new: &str) -> Option<String> {
    let (path, tail) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    if path.is_empty() || resolve_link(from, &percent_decode(path))? != target {
        return None;
    }
    let (dir, name) = match path.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), path),
    };
    let rest = name.strip_prefix(old)?;
    Some(format!("{dir}{new}{rest}{tail}"))
}

/// Where the destination `dest` of the link starting at `span` is written: after the link's
/// start (inline links), else in a `[label]: dest` definition.
fn find_link(text: &str, span: crate::diagnostic::Span, dest: &str) -> Option<usize> {
    let start = offset(text, span.line, span.column)?;
    let inline = text[start..]
        .match_indices(dest)
        .map(|(i, _)| start + i)
        .find(|&i| {
            text[..i]
                .trim_end_matches([' ', '\t'])
                .ends_with(['(', '<'])
        });
    inline.or_else(|| {
        text.match_indices(dest)
            .map(|(i, _)| i)
            .find(|&i| text[..i].trim_end_matches([' ', '<']).ends_with("]:"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_follow_the_id() {
        assert_eq!(
            renamed("plan/S-5-welcome.md", "S-5", "S-9"),
            "plan/S-9-welcome.md"
        );
        assert_eq!(renamed("plan/S-5.md", "S-5", "S-9"), "plan/S-9.md");
        assert_eq!(renamed("plan/S-50-x.md", "S-5", "S-9"), "plan/S-50-x.md");
        assert_eq!(renamed("plan/welcome.md", "S-5", "S-9"), "plan/welcome.md");
    }

    #[test]
    fn links_are_rewritten_by_name() {
        let t = "plan/stories/S-5-a.md";
        assert_eq!(
            relinked("plan/README.md", "stories/S-5-a.md#why", t, "S-5", "S-9").as_deref(),
            Some("stories/S-9-a.md#why")
        );
        assert_eq!(
            relinked("plan/stories/S-1.md", "S-5-a.md", t, "S-5", "S-9").as_deref(),
            Some("S-9-a.md")
        );
        assert_eq!(
            relinked("plan/README.md", "stories/S-5-b.md", t, "S-5", "S-9"),
            None
        );
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
    }
}
