//! `cairn import`: an existing backlog (a Backlog.md folder, a GitHub issue export, a Jira CSV
//! export) as plan items, re-runnable without duplicates, written all or nothing.
//!
//! Each source reader ([`backlog_md`], [`github`], [`jira`]) turns its input into tracker-neutral
//! [`Record`]s and located [`Problem`]s. [`prepare`] maps them onto the plan: records whose key is
//! already in an item's `external:` update that item with `cairn set`'s minimal edits (keeping
//! what the user changed since, see [`merge`]); the others become new items with ids minted like
//! `cairn new`'s. It returns an [`Outcome`]: what would be written and why, with every file's new
//! content. [`write`] then writes those files all or nothing. Nothing here prints.
//!
//! The mapping of each source, the re-import rules and a worked example are in docs/import.md.

pub mod backlog_md;
pub mod github;
pub mod jira;

mod body;
mod build;
mod config_edit;
mod dates;
mod documents;
mod items;
mod mapping;
mod merge;
mod record;
mod state;
mod transaction;
mod value;

pub use mapping::{Mapping, MappingError};
pub use record::{Document, Extracted, Level, Origin, Problem, Record, Role, SourceStatus};
pub use state::STATE_FILE;
pub use transaction::{FileWrite, WriteError};

use crate::plan::Plan;
use build::{Field, Ids, Kinds, Unknowns};
use serde::Serialize;
use state::State;
use std::collections::HashMap;
use std::path::Path;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Status and priority maps given by the user.
    pub mapping: Mapping,
    /// Let the source win over values edited in the plan.
    pub overwrite: bool,
}

/// An item the import creates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Created {
    /// The new id.
    pub id: String,
    /// Its kind.
    pub kind: String,
    /// The file, relative to the plan root.
    pub file: String,
    /// The source's key.
    pub external: String,
}

/// A field change of an item that is already in the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The field (`body` for the Markdown body).
    pub field: String,
    /// The value before, for a summary (`null` when absent).
    pub from: Option<String>,
    /// The value after (`null` when removed).
    pub to: Option<String>,
}

/// An item the import changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Updated {
    /// Its id.
    pub id: String,
    /// Its file.
    pub file: String,
    /// The source's key.
    pub external: String,
    /// What changes.
    pub fields: Vec<Change>,
}

/// Something the import did not do, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// The source's key.
    pub external: String,
    /// The item's id, when it is in the plan.
    pub id: Option<String>,
    /// The field kept, or `null` when the whole item was skipped.
    pub field: Option<String>,
    /// The plan's value that was kept, for a field.
    pub kept: Option<String>,
    /// What the source says, for a field.
    pub source: Option<String>,
    /// Why.
    pub reason: String,
}

/// A document copied (or not).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentOutcome {
    /// The file, relative to the plan root.
    pub file: String,
    /// The source's key.
    pub external: String,
    /// `created`, `updated`, `unchanged` or `skipped`.
    pub action: &'static str,
    /// Why it was skipped.
    pub reason: Option<String>,
}

/// What an import does, before it does it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Outcome {
    /// The source's name.
    pub source: &'static str,
    /// Files or rows read.
    pub read: usize,
    /// New items.
    pub created: Vec<Created>,
    /// Changed items.
    pub updated: Vec<Updated>,
    /// Ids of matched items with nothing to change.
    pub unchanged: Vec<String>,
    /// Items and fields not written, with the reason.
    pub skipped: Vec<Skipped>,
    /// Documents.
    pub documents: Vec<DocumentOutcome>,
    /// What was added to `cairn.yaml` (`fields.created`, `sprint S1`).
    pub config: Vec<String>,
    /// Problems found in the source.
    pub problems: Vec<Problem>,
    /// Every file to write, with its content.
    #[serde(skip)]
    pub writes: Vec<FileWrite>,
}

impl Outcome {
    /// Source problems at error level (records not imported).
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.level == Level::Error)
            .count()
    }
}

/// Why an import cannot be prepared at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The state file is unreadable.
    #[error(transparent)]
    State(#[from] state::StateError),
    /// `cairn.yaml` cannot take what the import needs.
    #[error("{0}")]
    Config(String),
    /// The next free ids could not be worked out.
    #[error("cannot find the next free ids: {0}")]
    Ids(String),
    /// A file of the plan could not be read.
    #[error("cannot read {file}: {source}")]
    Read {
        /// The file.
        file: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// What happens to one record.
enum Target {
    /// The plan item it updates.
    Matched(usize),
    /// A new item of this kind.
    New(usize),
}

/// Maps `extracted` onto the plan at `root` (already loaded from the work tree).
pub fn prepare(
    root: &Path,
    plan: &Plan,
    extracted: Extracted,
    options: &Options,
) -> Result<Outcome, ImportError> {
    let config = &plan.config;
    let mut out = Outcome {
        source: extracted.source,
        read: extracted.read,
        problems: extracted.problems.clone(),
        ..Outcome::default()
    };
    let read = |rel: &str| read_rel(root, rel);
    let state_before = State::parse(read(STATE_FILE)?.as_deref())?;
    let mut state = state_before.clone();
    let kinds = Kinds::of(config);

    // Which plan items claim which keys.
    let mut claimed: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, item) in plan.items.iter().enumerate() {
        for key in &item.external {
            claimed.entry(key.as_str()).or_default().push(i);
        }
    }

    // Files that are meant to be items but cannot be read may still name a key: creating that
    // record again would duplicate the item the user is in the middle of fixing.
    let unreadable = unreadable_claims(root, plan);

    // Each record: an item to update, a new item, or skipped.
    let mut records: Vec<(Record, Target)> = Vec::new();
    let mut seen: HashMap<String, Option<Origin>> = HashMap::new();
    for record in &extracted.records {
        if let Some(first) = seen.get(&record.key) {
            let at = record
                .origin
                .clone()
                .unwrap_or_else(|| Origin::new(extracted.source, 1, 1));
            let mut p = Problem::error(
                at,
                format!("{} appears twice; the first is imported", record.key),
            );
            if let Some(f) = first {
                p = p.help(format!("the first is at {}:{}", f.file, f.line));
            }
            out.problems.push(p);
            continue;
        }
        seen.insert(record.key.clone(), record.origin.clone());
        let skip = |reason: String, id: Option<String>| Skipped {
            external: record.key.clone(),
            id,
            field: None,
            kept: None,
            source: None,
            reason,
        };
        match claimed.get(record.key.as_str()).map(Vec::as_slice) {
            Some([one]) => records.push((record.clone(), Target::Matched(*one))),
            Some(many) => out.skipped.push(skip(
                format!(
                    "{} items claim it ({}); keep `external: {}` on one of them",
                    many.len(),
                    many.iter()
                        .map(|&i| plan.items[i].file.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    record.key
                ),
                None,
            )),
            None if unreadable.contains_key(&record.key) => out.skipped.push(skip(
                format!(
                    "{} names it in `external:` but cannot be read; fix that file (`cairn check` says where) and import again",
                    unreadable[&record.key]
                ),
                None,
            )),
            None if state.items.contains_key(&record.key) => {
                let id = state.items[&record.key].id.clone();
                out.skipped.push(skip(
                    format!("{id} was imported from it and has since been removed from the plan (or lost its `external:`); not created again"),
                    Some(id),
                ))
            }
            None => match record.role.and_then(|r| kinds.of_role(r)) {
                Some(kind) => records.push((record.clone(), Target::New(kind))),
                None => out.skipped.push(skip(
                    format!(
                        "the story kind `{}` has no parent kind for milestones and epics",
                        config.kinds[kinds.story].name
                    ),
                    None,
                )),
            },
        }
    }

    // Ids: the matched item's, or the next free one of the kind, in source order.
    let used = crate::ids::scan(root, config).map_err(|e| ImportError::Ids(e.to_string()))?;
    let mut next: HashMap<usize, u64> = HashMap::new();
    let mut ids: Ids = HashMap::new();
    for (key, items) in &claimed {
        if let [one] = items.as_slice() {
            ids.insert(key.to_string(), plan.items[*one].id.clone());
        }
    }
    let mut new_ids: Vec<Option<String>> = Vec::with_capacity(records.len());
    for (record, target) in &records {
        match target {
            Target::Matched(_) => new_ids.push(None),
            Target::New(kind) => {
                let k = &config.kinds[*kind];
                let n = next.entry(*kind).or_insert_with(|| {
                    let loaded = plan
                        .items
                        .iter()
                        .filter(|i| i.kind == *kind)
                        .map(|i| i.number + 1)
                        .max()
                        .unwrap_or(1);
                    used.next_free(&k.prefix).max(loaded)
                });
                let id = format!("{}-{n}", k.prefix);
                *n += 1;
                ids.insert(record.key.clone(), id.clone());
                new_ids.push(Some(id));
            }
        }
    }

    // The front matter every record's item should have.
    let mut all_records: Vec<Record> = records.iter().map(|(r, _)| r.clone()).collect();
    // Records that are skipped (removed from the plan, claimed twice) still carry the sub-task
    // and parent links of the others.
    let kept: std::collections::HashSet<&str> =
        records.iter().map(|(r, _)| r.key.as_str()).collect();
    all_records.extend(
        extracted
            .records
            .iter()
            .filter(|r| !kept.contains(r.key.as_str()))
            .cloned(),
    );
    let goal_of = build::goals(&all_records);
    let depends = build::dependencies(&all_records);
    let mut unknowns = Unknowns::default();
    let mut desired: Vec<Vec<Field>> = Vec::with_capacity(records.len());
    for (record, target) in &records {
        let kind = match target {
            Target::Matched(i) => plan.items[*i].kind,
            Target::New(k) => *k,
        };
        desired.push(build::fields(
            record,
            &config.kinds[kind],
            config,
            &extracted,
            &options.mapping,
            kinds,
            &ids,
            &goal_of,
            &depends,
            &mut unknowns,
            &mut out.problems,
        ));
    }
    out.problems.extend(unknowns.problems(extracted.source));

    // cairn.yaml: the custom fields and sprints the items use.
    let (fields_needed, mut sprints_needed) = build::needs(&desired);
    sprints_needed.sort_by_key(|s| extracted.sprints.iter().position(|x| x == s));
    let config_text =
        read(crate::config::FILE_NAME)?.map(|b| String::from_utf8_lossy(&b).into_owned());
    let mut new_config = config.clone();
    if let Some((text, added)) = config_edit::extend(
        config_text.as_deref(),
        config,
        &fields_needed,
        &sprints_needed,
    )
    .map_err(ImportError::Config)?
    {
        new_config = crate::config::Config::parse(&text, crate::config::FILE_NAME)
            .map_err(|e| ImportError::Config(e.to_string()))?;
        out.config = added;
        out.writes.push(FileWrite {
            path: crate::config::FILE_NAME.to_string(),
            bytes: text.into_bytes(),
            new: false,
        });
    }

    // New items, then updates.
    let mut folders: HashMap<usize, String> = HashMap::new();
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (((record, target), fields), id) in records.iter().zip(&desired).zip(&new_ids) {
        match target {
            Target::New(kind) => {
                let id = id.as_deref().unwrap_or_default();
                let folder = folders
                    .entry(*kind)
                    .or_insert_with(|| crate::new::folder_for(plan, &config.kinds[*kind]))
                    .clone();
                items::create(
                    record,
                    *kind,
                    id,
                    fields,
                    &folder,
                    &new_config,
                    &mut taken,
                    &mut state,
                    &mut out,
                );
            }
            Target::Matched(i) => {
                let item = &plan.items[*i];
                let bytes = read(&item.file)?.unwrap_or_default();
                items::update(
                    record,
                    item,
                    &bytes,
                    fields,
                    &new_config,
                    options,
                    &mut state,
                    &mut out,
                );
            }
        }
    }

    documents::documents(root, &config.plan_dir, &extracted, &mut state, &mut out)?;

    if state != state_before {
        out.writes.push(FileWrite {
            path: STATE_FILE.to_string(),
            bytes: state.to_text().into_bytes(),
            new: false,
        });
    }
    Ok(out)
}

/// Writes every file of `outcome` under `root`, or none.
pub fn write(root: &Path, outcome: &Outcome) -> Result<(), WriteError> {
    transaction::write_all(root, &outcome.writes)
}

/// A file of the plan, or `None` when there is none.
fn read_rel(root: &Path, rel: &str) -> Result<Option<Vec<u8>>, ImportError> {
    match std::fs::read(root.join(rel)) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(ImportError::Read {
            file: rel.to_string(),
            source,
        }),
    }
}

/// The `external:` keys named in plan files that have front matter but made no item (a YAML
/// error, an invalid id), by key, with the file. Read line by line, without a YAML parser.
fn unreadable_claims(root: &Path, plan: &Plan) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for f in plan.files.iter().filter(|f| f.item.is_none()) {
        let Ok(bytes) = std::fs::read(root.join(&f.path)) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let mut lines = text.lines();
        if lines.next().map(str::trim_end) != Some("---") {
            continue;
        }
        let clean = |v: &str| v.trim().trim_matches(['"', '\'']).trim().to_string();
        let mut in_list = false;
        for line in lines {
            if matches!(line.trim_end(), "---" | "...") {
                break;
            }
            if in_list {
                match line.trim_start().strip_prefix("- ") {
                    Some(v) if line.starts_with(' ') || line.starts_with('-') => {
                        out.insert(clean(v), f.path.clone());
                        continue;
                    }
                    _ => in_list = false,
                }
            }
            let Some(v) = line.strip_prefix("external:") else {
                continue;
            };
            let v = v.split(" #").next().unwrap_or("").trim();
            if v.is_empty() {
                in_list = true;
            } else if let Some(inner) = v.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                for k in inner.split(',').map(clean).filter(|k| !k.is_empty()) {
                    out.insert(k, f.path.clone());
                }
            } else {
                out.insert(clean(v), f.path.clone());
            }
        }
    }
    out
}
