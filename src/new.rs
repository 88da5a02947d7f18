//! `cairn new KIND "Title"`: a new item from its kind's template, with the next free id.
//!
//! Templates are Markdown files with `{{placeholder}}`s, embedded in the binary and overridable one
//! kind at a time by `.cairn/templates/items/KIND.md` under the plan root. The id comes from
//! [`crate::ids`], which looks at the work tree, the index and every branch, so two branches do
//! not mint the same id.

mod name;
mod template;

pub use name::slug;
pub use template::{builtin_template, render, yaml_scalar, Vars, TEMPLATE_DIR};

use crate::config::Kind;
use crate::edit::{self, FieldEdit};
use crate::plan::Plan;
use crate::suggest;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// What to create.
#[derive(Debug, Clone, Default)]
pub struct NewItem {
    /// The kind's name (`story`).
    pub kind: String,
    /// The title.
    pub title: String,
    /// The parent's id (`--parent G-3`).
    pub parent: Option<String>,
    /// Extra fields (`--set estimate=3`), in the order given; values are YAML as typed.
    pub fields: Vec<(String, String)>,
    /// The Markdown body, in place of the template's.
    pub body: Option<String>,
}

/// An item worked out but not written yet: [`write`] writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The new id.
    pub id: String,
    /// The file, absolute.
    pub path: PathBuf,
    /// The file relative to the plan root, `/`-separated.
    pub file: String,
    /// The file's text.
    pub text: String,
}

/// The item written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The new id.
    pub id: String,
    /// The file, absolute.
    pub path: PathBuf,
    /// The file relative to the plan root, `/`-separated.
    pub file: String,
}

/// Why no item was created.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The kind is not configured.
    #[error("unknown kind `{kind}`; kinds are {}{}", .kinds.join(", "), did_you_mean(.suggestion))]
    UnknownKind {
        /// What was typed.
        kind: String,
        /// Every configured kind.
        kinds: Vec<String>,
        /// The closest kind.
        suggestion: Option<String>,
    },
    /// The title is empty.
    #[error("the title is empty")]
    EmptyTitle,
    /// The title holds a line break or another control character.
    #[error("the title must be one line of text (it holds {0})")]
    TitleNotOneLine(String),
    /// `--parent` for a kind that has none.
    #[error("a {kind} has no parent kind, so --parent does not apply")]
    NoParentKind {
        /// The kind.
        kind: String,
    },
    /// The parent does not exist.
    #[error("no {parent_kind} `{id}` in the plan{}", did_you_mean(.suggestion))]
    UnknownParent {
        /// The id given.
        id: String,
        /// The kind a parent must be.
        parent_kind: String,
        /// The closest id of that kind, with its title.
        suggestion: Option<String>,
    },
    /// The parent is of another kind.
    #[error("`{id}` is a {actual}, but the parent of a {kind} must be a {expected}")]
    WrongParentKind {
        /// The id given.
        id: String,
        /// Its kind.
        actual: String,
        /// The kind being created.
        kind: String,
        /// The kind a parent must be.
        expected: String,
    },
    /// A `--set` that cannot be written.
    #[error("--set {field}: {message}")]
    BadField {
        /// The field.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A template that does not produce a valid item.
    #[error("the template {template} {message}")]
    Template {
        /// Which template (`built-in story template`, or its path).
        template: String,
        /// What is wrong.
        message: String,
    },
    /// The next free id could not be worked out.
    #[error("cannot find the next free id: {0}")]
    Ids(String),
    /// The file is already there.
    #[error("{} already exists; cairn new does not overwrite files", .0.display())]
    Exists(PathBuf),
    /// Reading a template or writing the item failed.
    #[error("cannot {action} {}: {error}", path.display())]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause, part of the message (so not a `source`: a printed chain does not repeat it).
        error: io::Error,
    },
}

fn did_you_mean(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!("; did you mean {s}?"))
        .unwrap_or_default()
}

/// Creates the item described by `req` in the plan at `root` (already loaded from the work tree).
/// Returns the file written; nothing is written on error.
pub fn create(root: &Path, plan: &Plan, req: &NewItem) -> Result<Created, NewError> {
    write(&draft(root, plan, req)?)
}

/// Writes a drafted item, never over an existing file.
pub fn write(draft: &Draft) -> Result<Created, NewError> {
    write_new(&draft.path, draft.text.as_bytes())?;
    Ok(Created {
        id: draft.id.clone(),
        path: draft.path.clone(),
        file: draft.file.clone(),
    })
}

/// Works out the item described by `req`: its id (the next free one), file and text, from the
/// kind's template. Nothing is written.
pub fn draft(root: &Path, plan: &Plan, req: &NewItem) -> Result<Draft, NewError> {
    let kind = plan.config.kind(&req.kind).ok_or_else(|| {
        let kinds: Vec<String> = plan.config.kinds.iter().map(|k| k.name.clone()).collect();
        NewError::UnknownKind {
            suggestion: suggest::did_you_mean(&req.kind, kinds.iter().map(String::as_str))
                .map(|s| format!("`{s}`")),
            kind: req.kind.clone(),
            kinds: kinds.iter().map(|k| format!("`{k}`")).collect(),
        }
    })?;
    let title = req.title.trim();
    if title.is_empty() {
        return Err(NewError::EmptyTitle);
    }
    if let Some(c) = title.chars().find(|c| c.is_control()) {
        return Err(NewError::TitleNotOneLine(match c {
            '\n' | '\r' => "a line break".to_string(),
            '\t' => "a tab".to_string(),
            c => format!("the control character U+{:04X}", c as u32),
        }));
    }
    let mut fields = req.fields.clone();
    let mut parent = req.parent.clone();
    // `--set goal=G-3` is `--parent G-3`, validated the same way.
    if let Some(pf) = &kind.parent {
        if let Some(i) = fields.iter().position(|(f, _)| f == pf) {
            let (_, v) = fields.remove(i);
            parent.get_or_insert(v.trim().to_string());
        }
    }
    if let Some(p) = &parent {
        check_parent(plan, kind, p)?;
    }
    for (field, value) in &fields {
        check_field(field, value)?;
    }

    let (template, template_name) = template::load_template(root, &kind.name)?;
    let number = next_number(root, plan, kind)?;
    let id = format!("{}-{number}", kind.prefix);
    let vars = Vars {
        id: &id,
        title,
        status: kind.statuses.first().map_or("", |(s, _)| s.as_str()),
        kind: &kind.name,
        parent_field: kind.parent.as_deref(),
        parent: parent.as_deref(),
    };
    let mut text = render(&template, &vars);
    if !fields.is_empty() {
        text = apply_fields(&text, &fields)?;
    }
    if let Some(body) = &req.body {
        text = with_body(&text, body);
    }
    validate(&text, &id, plan, &template_name)?;

    let folder = folder_for(plan, kind);
    let slug = slug(title);
    let name = if slug.is_empty() {
        format!("{id}.md")
    } else {
        format!("{id}-{slug}.md")
    };
    let file = if folder == "." || folder.is_empty() {
        name
    } else {
        format!("{folder}/{name}")
    };
    let path = root.join(&file);
    Ok(Draft {
        id,
        path,
        file,
        text,
    })
}

/// `text` with everything after its front matter replaced by `body` (ending in a line break).
fn with_body(text: &str, body: &str) -> String {
    let front = match crate::parse::front_matter::split(text) {
        Ok(split) if split.front_matter.is_some() => &text[..text.len() - split.body.len()],
        _ => text,
    };
    let mut out = format!("{front}{body}");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn check_parent(plan: &Plan, kind: &Kind, id: &str) -> Result<(), NewError> {
    let Some(parent_kind) = kind.parent.as_deref() else {
        return Err(NewError::NoParentKind {
            kind: kind.name.clone(),
        });
    };
    match plan.get(id) {
        Some(item) if plan.kind_name(item) == parent_kind => Ok(()),
        Some(item) => Err(NewError::WrongParentKind {
            id: id.to_string(),
            actual: plan.kind_name(item).to_string(),
            kind: kind.name.clone(),
            expected: parent_kind.to_string(),
        }),
        None => {
            let candidates: Vec<&crate::model::Item> = plan
                .items
                .iter()
                .filter(|i| plan.kind_name(i) == parent_kind)
                .collect();
            let upper = id.to_ascii_uppercase();
            let suggestion =
                suggest::did_you_mean(&upper, candidates.iter().map(|i| i.id.as_str()))
                    .or_else(|| {
                        // A title typed instead of an id: `--parent "onboarding"`.
                        suggest::did_you_mean(id, candidates.iter().map(|i| i.title.as_str()))
                            .and_then(|t| {
                                candidates
                                    .iter()
                                    .find(|i| i.title == t)
                                    .map(|i| i.id.as_str())
                            })
                    })
                    .and_then(|s| plan.get(s))
                    .map(|i| format!("`{}` ({})", i.id, i.title));
            Err(NewError::UnknownParent {
                id: id.to_string(),
                parent_kind: parent_kind.to_string(),
                suggestion,
            })
        }
    }
}

fn check_field(field: &str, value: &str) -> Result<(), NewError> {
    let bad = |message: &str| NewError::BadField {
        field: field.to_string(),
        message: message.to_string(),
    };
    if field == "id" || field.starts_with("id.") {
        return Err(bad("the id is chosen by cairn new"));
    }
    if value.contains('\n') || value.contains('\r') {
        return Err(bad("the value must be on one line"));
    }
    Ok(())
}

/// Writes `fields` into the front matter with `cairn set`'s editor, after dropping the template's
/// commented-out hint for each (`# estimate: 3`), so the field does not appear twice.
fn apply_fields(text: &str, fields: &[(String, String)]) -> Result<String, NewError> {
    let mut edits = Vec::with_capacity(fields.len());
    for (field, value) in fields {
        let value = value.trim();
        let edit =
            FieldEdit::new(field, (!value.is_empty()).then(|| value.to_string())).map_err(|e| {
                NewError::BadField {
                    field: field.clone(),
                    message: e.to_string(),
                }
            })?;
        edits.push(edit);
    }
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    for edit in &edits {
        let close = lines
            .iter()
            .skip(1)
            .position(|l| matches!(l.trim_end(), "---" | "..."))
            .map_or(0, |i| i + 1);
        let hint = format!("# {}:", edit.path[0]);
        if let Some(i) = (1..close).find(|&i| lines[i].starts_with(&hint)) {
            // A hint's own indented lines (`#   - …` under `# key_results:`) go with it.
            let mut end = i + 1;
            while end < close && lines[end].starts_with("#  ") {
                end += 1;
            }
            lines.drain(i..end);
        }
    }
    edit::set_fields(&lines.concat(), &edits).map_err(|e| NewError::BadField {
        field: fields
            .iter()
            .map(|(f, v)| format!("{f}={v}"))
            .collect::<Vec<_>>()
            .join(" "),
        message: e.to_string(),
    })
}

/// Refuses a rendered item that would not read back as the item meant.
fn validate(text: &str, id: &str, plan: &Plan, template: &str) -> Result<(), NewError> {
    let err = |message: String| NewError::Template {
        template: template.to_string(),
        message,
    };
    let parsed = crate::parse::item::parse_file("new.md", text.as_bytes(), &plan.config);
    if let Some(d) = parsed
        .diagnostics
        .iter()
        .find(|d| d.rule == crate::diagnostic::Rule::ParseError)
    {
        return Err(err(format!(
            "does not give valid front matter (line {}: {})",
            d.span.line, d.message
        )));
    }
    match parsed.item {
        Some(item) if item.id == id => Ok(()),
        _ => Err(err("needs an `id: {{id}}` line in its front matter".into())),
    }
}

/// The folder for a new item of `kind`: where most items of that kind live, else
/// `PLAN_DIR/<kind>s`.
pub fn folder_for(plan: &Plan, kind: &Kind) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for item in &plan.items {
        if plan.kind_name(item) == kind.name {
            let folder = item.file.rsplit_once('/').map_or("", |(d, _)| d);
            *counts.entry(folder).or_default() += 1;
        }
    }
    // Ties go to the first folder in sorted order, so the choice is stable.
    let best = counts
        .iter()
        .fold(None, |best: Option<(&str, usize)>, (&f, &n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((f, n)),
        });
    if let Some((folder, _)) = best {
        return folder.to_string();
    }
    let plural = name::plural(&kind.name);
    match plan.config.plan_dir.as_str() {
        "." | "" => plural,
        dir => format!("{dir}/{plural}"),
    }
}

/// Writes a new file atomically and never over an existing one: the content goes to a temporary
/// file, which is then hard-linked to its name (which fails if the name is taken).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), NewError> {
    use std::io::Write;
    let io = |source| NewError::Io {
        action: "write",
        path: path.to_path_buf(),
        error: source,
    };
    if path.symlink_metadata().is_ok() {
        return Err(NewError::Exists(path.to_path_buf()));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let tmp = dir.join(format!(".cairn-new-{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    let linked = match std::fs::hard_link(&tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Err(NewError::Exists(path.to_path_buf()))
        }
        // Some file systems have no hard links: fall back to a rename after the check above.
        Err(_) => std::fs::rename(&tmp, path).map_err(io),
    };
    let _ = std::fs::remove_file(&tmp);
    linked
}

/// The number for the next item of `kind`: above every id in the work tree, the index and every
/// branch ([`crate::ids`]), and above every id the loaded plan holds however it was written.
fn next_number(root: &Path, plan: &Plan, kind: &Kind) -> Result<u64, NewError> {
    let anywhere = crate::ids::next_free_number(root, &plan.config, &kind.prefix)
        .map_err(|e| NewError::Ids(e.to_string()))?;
    let loaded = plan
        .items
        .iter()
        .filter(|i| plan.kind_name(i) == kind.name)
        .map(|i| i.number + 1)
        .max()
        .unwrap_or(1);
    Ok(anywhere.max(loaded))
}
