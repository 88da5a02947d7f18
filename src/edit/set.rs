//! `cairn set ID FIELD=VALUE…` as the engine sees it: find the item's one file, edit its front
//! matter in place, and describe what changed. Whether the edit is refused is decided by the
//! caller, who checks the plan as it would be (see [`super::new_errors`]): the CLI loads it again
//! over an [`super::Overlay`], the MCP server checks a buffer in its plan kept in memory.

use super::{field_value, set_fields, EditError, FieldEdit};
use crate::diagnostic::Diagnostic;
use crate::plan::{Plan, UnknownItem};
use crate::source::Source;
use serde::Serialize;

/// An edit worked out but not written.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The item's id.
    pub id: String,
    /// Its file, relative to the plan root.
    pub file: String,
    /// The file's bytes before the edit.
    pub old: Vec<u8>,
    /// The bytes after it.
    pub new: Vec<u8>,
    /// One entry per edit, in order.
    pub changes: Vec<FieldChange>,
}

impl Prepared {
    /// True when the edit changes nothing.
    pub fn is_noop(&self) -> bool {
        self.old == self.new
    }

    /// The unified diff of the change (empty when nothing changes).
    pub fn diff(&self) -> String {
        super::line_diff::unified(
            &self.file,
            &self.file,
            &String::from_utf8_lossy(&self.old),
            &String::from_utf8_lossy(&self.new),
        )
    }
}

/// A field's value before and after, as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The dotted field (`rice.effort`).
    pub field: String,
    /// Before, or `None` when absent.
    pub from: Option<String>,
    /// After, or `None` when removed.
    pub to: Option<String>,
}

/// Why an edit could not even be worked out.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    /// The id field is not edited in place: references elsewhere would break.
    #[error("`{field}` cannot be changed with `cairn set`; use `cairn renumber {id} NEW`, which also rewrites every reference")]
    IdField {
        /// The field as given (`id`).
        field: String,
        /// The item's id.
        id: String,
    },
    /// No item has the id.
    #[error(transparent)]
    Unknown(Box<UnknownItem>),
    /// Several files declare the id.
    #[error("`{id}` is used by {} files ({}); give one of them a new id with `cairn renumber {id} --file PATH` first", .files.len(), .files.join(", "))]
    Ambiguous {
        /// The id.
        id: String,
        /// Every file that declares it.
        files: Vec<String>,
    },
    /// The file cannot be read.
    #[error("cannot read {file}: {error}")]
    Read {
        /// The file.
        file: String,
        /// The cause, part of the message.
        error: std::io::Error,
    },
    /// The file is not UTF-8 text.
    #[error("{file} is not UTF-8 text")]
    NotText {
        /// The file.
        file: String,
    },
    /// The editor cannot make the change.
    #[error("cannot edit {file}: {error}")]
    Edit {
        /// The file.
        file: String,
        /// Why, part of the message.
        error: EditError,
    },
}

/// Works out `edits` on the item `id` of `plan`, reading its file from `source`.
pub fn prepare(
    plan: &Plan,
    source: &dyn Source,
    id: &str,
    edits: &[FieldEdit],
) -> Result<Prepared, SetError> {
    if let Some(e) = edits.iter().find(|e| e.path[0] == "id") {
        return Err(SetError::IdField {
            field: e.field(),
            id: id.to_string(),
        });
    }
    let holders: Vec<_> = plan.items.iter().filter(|i| i.id == id).collect();
    let item = match holders.as_slice() {
        [] => return Err(SetError::Unknown(Box::new(plan.unknown_item(id)))),
        [one] => *one,
        many => {
            return Err(SetError::Ambiguous {
                id: id.to_string(),
                files: many.iter().map(|i| i.file.clone()).collect(),
            })
        }
    };
    let file = item.file.clone();
    let old = source.read(&file).map_err(|error| SetError::Read {
        file: file.clone(),
        error,
    })?;
    let text = std::str::from_utf8(&old).map_err(|_| SetError::NotText { file: file.clone() })?;
    let new = set_fields(text, edits).map_err(|error| SetError::Edit {
        file: file.clone(),
        error,
    })?;
    let changes = edits
        .iter()
        .map(|e| FieldChange {
            field: e.field(),
            from: field_value(text, &e.path),
            to: field_value(&new, &e.path),
        })
        .collect();
    Ok(Prepared {
        id: item.id.clone(),
        file,
        old,
        new: new.into_bytes(),
        changes,
    })
}

/// What an edit did, as `cairn set --format json` prints it (docs/output.md).
#[derive(Debug, Clone, Serialize)]
pub struct SetReport {
    /// `1`.
    pub version: u32,
    /// The item edited.
    pub id: String,
    /// Its file, relative to the plan root.
    pub file: String,
    /// Nothing was to be written.
    pub dry_run: bool,
    /// The file was written.
    pub written: bool,
    /// One entry per edit, in order.
    pub fields: Vec<FieldChange>,
    /// The unified diff of the change.
    pub diff: String,
    /// The findings that refused the edit, as in `check --format json`.
    pub errors: serde_json::Value,
}

impl SetReport {
    /// The report for `prepared`, refused because of `refusals` when there are any.
    pub fn new(
        prepared: &Prepared,
        dry_run: bool,
        written: bool,
        refusals: &[Diagnostic],
    ) -> SetReport {
        SetReport {
            version: 1,
            id: prepared.id.clone(),
            file: prepared.file.clone(),
            dry_run,
            written,
            fields: prepared.changes.clone(),
            diff: prepared.diff(),
            errors: crate::render::json::findings(refusals),
        }
    }

    /// The summary `cairn set` prints after writing: the file, then one line per field
    /// (`status: ready → done`).
    pub fn summary(&self) -> String {
        let mut out = format!("{}\n", self.file);
        for c in &self.fields {
            let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
            let line = match (&c.from, &c.to) {
                (b, a) if b == a => format!("{}: {} (unchanged)", c.field, shown(a)),
                (Some(b), None) => format!("{}: {b} → (removed)", c.field),
                (b, a) => format!("{}: {} → {}", c.field, shown(b), shown(a)),
            };
            out.push_str(&format!("  {line}\n"));
        }
        out
    }
}
