//! `cairn diff`: what changed in the plan between two sides (a commit, the index, the work tree),
//! item by item and field by field.
//!
//! Each side is loaded on its own, with its own `cairn.yaml`, then items are matched by id. The
//! result is data ([`PlanDiff`]); `render::diff_md` and [`PlanDiff::json`] turn it into text.

use crate::config::{Config, Method};
use crate::git::{GitError, Repo};
use crate::model::{fmt_num, split_id, CustomValue, Item, KeyResult};
use crate::plan::{LoadError, Plan};
use crate::priority::score;
use crate::source::WorkTree;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// A commit, branch or tag, as the user wrote it.
    Rev(String),
    /// The git index: what `git commit` would record.
    Index,
    /// The files on disk.
    WorkTree,
}

impl Side {
    /// The side's name in output: the revision as given, `index` or `work tree`.
    pub fn label(&self) -> &str {
        match self {
            Side::Rev(r) => r,
            Side::Index => "index",
            Side::WorkTree => "work tree",
        }
    }

    /// The side in a sentence: "at `main`", "in the index", "in the work tree".
    pub fn place(&self) -> String {
        match self {
            Side::Rev(r) => format!("at `{r}`"),
            Side::Index => "in the index".into(),
            Side::WorkTree => "in the work tree".into(),
        }
    }
}

/// What to compare: `from` is the old side, `to` the new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// The old side.
    pub from: Side,
    /// The new side.
    pub to: Side,
    /// `A...B`: the old side is the merge base of `from` and `to` (both revisions).
    pub merge_base: bool,
    /// The index file [`Side::Index`] reads, when not `.git/index` (git's `GIT_INDEX_FILE`).
    pub index_file: Option<std::path::PathBuf>,
}

impl Range {
    /// Reads the command line: `A..B`, `A...B` (from their merge base), `REV` against the work
    /// tree (or the index when `staged`), or nothing for `HEAD`. An empty side of `..` is `HEAD`.
    pub fn parse(spec: Option<&str>, staged: bool) -> Result<Range, DiffError> {
        let spec = spec.map(str::trim).filter(|s| !s.is_empty());
        let new = if staged { Side::Index } else { Side::WorkTree };
        let Some(spec) = spec else {
            return Ok(Range {
                from: Side::Rev("HEAD".into()),
                to: new,
                merge_base: false,
                index_file: None,
            });
        };
        let (a, b, merge_base) = match spec.split_once("...") {
            Some((a, b)) => (a, b, true),
            None => match spec.split_once("..") {
                Some((a, b)) => (a, b, false),
                None => {
                    return Ok(Range {
                        from: Side::Rev(spec.into()),
                        to: new,
                        merge_base: false,
                        index_file: None,
                    })
                }
            },
        };
        if staged {
            return Err(DiffError::StagedRange(spec.into()));
        }
        if b.contains("..") || (a.is_empty() && b.is_empty()) {
            return Err(DiffError::BadRange(spec.into()));
        }
        let side = |s: &str| Side::Rev(if s.is_empty() { "HEAD" } else { s }.into());
        Ok(Range {
            from: side(a),
            to: side(b),
            merge_base,
            index_file: None,
        })
    }
}

/// Why a diff could not be made (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The range is not `A..B`, `A...B` or one revision.
    #[error("`{0}` is not a range; write `A..B`, `A...B` or one revision")]
    BadRange(String),
    /// `--staged` with a range.
    #[error("`--staged` compares one revision with the index, but `{0}` is a range")]
    StagedRange(String),
    /// Git could not open the repository or resolve a revision.
    #[error(transparent)]
    Git(#[from] GitError),
    /// A side's plan could not be loaded (its config is invalid, say).
    #[error("cannot read the plan {place}: {error}")]
    Load {
        /// The side, as in [`Side::place`].
        place: String,
        /// The cause, part of the message (so not a `source`: a printed chain does not repeat it).
        error: LoadError,
    },
}

/// An item that exists on one side only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemSummary {
    /// `S-14`.
    pub id: String,
    /// The title (empty when missing).
    pub title: String,
    /// The kind's name.
    pub kind: String,
    /// The status, when present and valid.
    pub status: Option<String>,
}

/// One field that differs between the two sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// `status`, `goal`, `rice.reach`, `score`, `file`, a custom field's name…
    pub field: String,
    /// The old value, `None` when absent.
    pub from: Option<String>,
    /// The new value, `None` when absent.
    pub to: Option<String>,
}

/// An item present on both sides with at least one field changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    /// `S-14`.
    pub id: String,
    /// The new title (the old one when the new is missing).
    pub title: String,
    /// The kind's name.
    pub kind: String,
    /// What changed, in a fixed field order.
    pub fields: Vec<FieldChange>,
}

/// Everything that changed between two sides of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDiff {
    /// The old side.
    pub from: Side,
    /// The new side.
    pub to: Side,
    /// True when the old side is the merge base of `from` and `to`.
    pub merge_base: bool,
    /// Items only on the new side, by kind (config order) then number.
    pub added: Vec<ItemSummary>,
    /// Items only on the old side, in the same order.
    pub removed: Vec<ItemSummary>,
    /// Items on both sides that differ, in the same order.
    pub changed: Vec<ItemChange>,
    /// What the reader should know about the comparison (unreadable files, duplicate ids).
    pub notes: Vec<String>,
}

impl PlanDiff {
    /// True when no item was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// The `--format json` document (SPEC §10, docs/output.md), keys in documented order:
    /// `{"version":1,"from","to","added":[ids],"removed":[ids],"changed":[{"id","fields":[{"field","from","to"}]}]}`.
    pub fn json(&self) -> JsonDiff<'_> {
        fn ids(list: &[ItemSummary]) -> Vec<&str> {
            list.iter().map(|i| i.id.as_str()).collect()
        }
        JsonDiff {
            version: 1,
            from: self.from.label(),
            to: self.to.label(),
            added: ids(&self.added),
            removed: ids(&self.removed),
            changed: self
                .changed
                .iter()
                .map(|c| JsonChanged {
                    id: &c.id,
                    fields: &c.fields,
                })
                .collect(),
        }
    }
}

/// The `--format json` document of a [`PlanDiff`].
#[derive(Debug, Serialize)]
pub struct JsonDiff<'a> {
    /// Always 1 until a breaking change.
    pub version: u32,
    /// The old side's label: the revision as given, `index` or `work tree`.
    pub from: &'a str,
    /// The new side's label.
    pub to: &'a str,
    /// Ids of added items.
    pub added: Vec<&'a str>,
    /// Ids of removed items.
    pub removed: Vec<&'a str>,
    /// Changed items with their fields.
    pub changed: Vec<JsonChanged<'a>>,
}

/// One changed item in [`JsonDiff`].
#[derive(Debug, Serialize)]
pub struct JsonChanged<'a> {
    /// The item's id.
    pub id: &'a str,
    /// What changed.
    pub fields: &'a [FieldChange],
}

/// Loads both sides of `range` for the plan rooted at `root` (inside a git work tree) and
/// compares them.
pub fn diff(root: &Path, range: &Range) -> Result<PlanDiff, DiffError> {
    let repo = Repo::discover(root)?;
    let old = if range.merge_base {
        let (Side::Rev(a), Side::Rev(b)) = (&range.from, &range.to) else {
            return Err(DiffError::BadRange(format!(
                "{}...{}",
                range.from.label(),
                range.to.label()
            )));
        };
        let base = repo
            .repo
            .merge_base(repo.commit(a)?.id(), repo.commit(b)?.id())
            .map_err(GitError::from)?;
        load_rev(&repo, &base.to_string(), &range.from)?
    } else {
        load(&repo, root, &range.from, range.index_file.as_deref())?
    };
    let new = load(&repo, root, &range.to, range.index_file.as_deref())?;
    Ok(compare(
        &range.from,
        &old,
        &range.to,
        &new,
        range.merge_base,
    ))
}

fn load(
    repo: &Repo,
    root: &Path,
    side: &Side,
    index_file: Option<&Path>,
) -> Result<Plan, DiffError> {
    let loaded = match side {
        Side::Rev(rev) if rev == "HEAD" && unborn(repo) => Ok(empty_plan()),
        Side::Rev(rev) => return load_rev(repo, rev, side),
        Side::Index => Plan::load(&repo.index_source(index_file)?),
        Side::WorkTree => Plan::load(&WorkTree::new(root)),
    };
    loaded.map_err(|source| DiffError::Load {
        place: side.place(),
        error: source,
    })
}

fn load_rev(repo: &Repo, rev: &str, side: &Side) -> Result<Plan, DiffError> {
    let source = match repo.tree_source(rev) {
        Ok(s) => s,
        // `Repo::commit` asks libgit2 whether the repository is empty, which only says yes when
        // HEAD names the default branch of the config it sees (`git init -b main` fools it).
        Err(GitError::UnknownRevision { .. }) if no_commits(repo) => {
            return Err(GitError::NoCommits(rev.to_string()).into())
        }
        Err(e) => return Err(e.into()),
    };
    Plan::load(&source).map_err(|source| DiffError::Load {
        place: side.place(),
        error: source,
    })
}

/// True before the first commit: `HEAD` names a branch that does not exist yet.
fn unborn(repo: &Repo) -> bool {
    matches!(repo.repo.head(), Err(e) if e.code() == git2::ErrorCode::UnbornBranch)
}

/// True when HEAD is unborn and no branch or tag exists: nothing was ever committed.
fn no_commits(repo: &Repo) -> bool {
    unborn(repo)
        && repo
            .repo
            .references()
            .is_ok_and(|mut refs| refs.next().is_none())
}

fn empty_plan() -> Plan {
    Plan::from_parsed(Config::default(), None, None, Vec::new())
}

/// Compares two loaded plans item by item.
pub fn compare(
    from_side: &Side,
    from: &Plan,
    to_side: &Side,
    to: &Plan,
    merge_base: bool,
) -> PlanDiff {
    let mut notes = Vec::new();
    // An empty side (before the first commit) has the default config: no method to compare.
    let both = !from.items.is_empty() && !to.items.is_empty();
    if both && from.config.method != to.config.method {
        notes.push(format!(
            "the scoring method changed from {} to {}; both sides are scored with {}",
            from.config.method.as_str(),
            to.config.method.as_str(),
            to.config.method.as_str()
        ));
    }
    for (side, plan) in [(from_side, from), (to_side, to)] {
        notes.extend(duplicate_notes(side, plan));
    }
    let mut ids: Vec<&str> = from
        .by_id
        .keys()
        .chain(to.by_id.keys())
        .chain(from.unread_ids.keys())
        .chain(to.unread_ids.keys())
        .map(String::as_str)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    ids.sort_by_key(|id| order(id, from, to));

    let mut diff = PlanDiff {
        from: from_side.clone(),
        to: to_side.clone(),
        merge_base,
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        notes,
    };
    let method = to.config.method;
    for id in ids {
        let (old, new) = (from.get(id), to.get(id));
        let mut unread = false;
        for (side, plan, item) in [(from_side, from, old), (to_side, to, new)] {
            if let (None, Some(file)) = (item, plan.unread_ids.get(id)) {
                diff.notes.push(format!(
                    "{id} could not be read {} ({file}), so it is not compared; `cairn check` says why",
                    side.place()
                ));
                unread = true;
            }
        }
        if unread {
            continue;
        }
        match (old, new) {
            (None, Some(n)) => diff.added.push(summary(n, to)),
            (Some(o), None) => diff.removed.push(summary(o, from)),
            (Some(o), Some(n)) => {
                let fields = changes(
                    &values(o, from, method, n.category),
                    &values(n, to, method, o.category),
                );
                if !fields.is_empty() {
                    let title = if n.title.is_empty() {
                        &o.title
                    } else {
                        &n.title
                    };
                    diff.changed.push(ItemChange {
                        id: id.to_string(),
                        title: title.clone(),
                        kind: to.kind_name(n).to_string(),
                        fields,
                    });
                }
            }
            (None, None) => {}
        }
    }
    diff
}

/// Sort key: kind in config order (the new side's config first), then number.
fn order(id: &str, from: &Plan, to: &Plan) -> (usize, u64, String) {
    let Some((prefix, number)) = split_id(id) else {
        return (usize::MAX, 0, id.to_string());
    };
    let kind = to
        .config
        .kind_by_prefix(prefix)
        .or_else(|| {
            from.config
                .kind_by_prefix(prefix)
                .map(|k| k + to.config.kinds.len())
        })
        .unwrap_or(usize::MAX - 1);
    (kind, number, id.to_string())
}

fn duplicate_notes(side: &Side, plan: &Plan) -> Vec<String> {
    let mut files: HashMap<&str, Vec<&str>> = HashMap::new();
    for item in &plan.items {
        files.entry(&item.id).or_default().push(&item.file);
    }
    let mut dups: Vec<(&str, Vec<&str>)> = files.into_iter().filter(|(_, f)| f.len() > 1).collect();
    dups.sort_by_key(|(id, _)| order(id, plan, plan));
    dups.into_iter()
        .map(|(id, files)| {
            format!(
                "{id} is defined in {} files {}; only {} is compared",
                files.len(),
                side.place(),
                files[0]
            )
        })
        .collect()
}

fn summary(item: &Item, plan: &Plan) -> ItemSummary {
    ItemSummary {
        id: item.id.clone(),
        title: item.title.clone(),
        kind: plan.kind_name(item).to_string(),
        status: item.status.clone(),
    }
}

/// The fields that differ, in the new side's order, then fields only the old side has.
fn changes(old: &[(String, Option<String>)], new: &[(String, Option<String>)]) -> Vec<FieldChange> {
    let lookup = |list: &[(String, Option<String>)], name: &str| {
        list.iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
    };
    let mut names: Vec<&str> = new.iter().map(|(n, _)| n.as_str()).collect();
    for (n, _) in old {
        if !names.contains(&n.as_str()) {
            names.push(n);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let (from, to) = (lookup(old, name), lookup(new, name));
            (from != to).then(|| FieldChange {
                field: name.to_string(),
                from,
                to,
            })
        })
        .collect()
}

type Category = Option<crate::config::Category>;

/// Every compared field of an item as text, in output order. `other` is the other side's
/// category: the `category` field is only listed when the two differ, so it never repeats a
/// status change that stays within one category.
fn values(
    item: &Item,
    plan: &Plan,
    method: Method,
    other: Category,
) -> Vec<(String, Option<String>)> {
    let kind = &plan.config.kinds[item.kind];
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut put = |name: &str, value: Option<String>| out.push((name.to_string(), value));
    put("title", Some(item.title.clone()).filter(|t| !t.is_empty()));
    put("status", item.status.clone());
    if other != item.category {
        put("category", item.category.map(|c| c.as_str().to_string()));
    }
    if let Some(parent) = &kind.parent {
        put(parent, item.parent.as_ref().map(|p| p.id.clone()));
    }
    put("estimate", item.estimate.map(fmt_num));
    put("sprint", item.sprint.as_ref().map(|s| s.id.clone()));
    put("moscow", item.moscow.map(|m| m.as_str().to_string()));
    let num = |n: Option<f64>| n.map(fmt_num);
    let rice = item.rice.unwrap_or_default();
    put("rice.reach", num(rice.reach));
    put("rice.impact", num(rice.impact));
    put("rice.confidence", num(rice.confidence));
    put("rice.effort", num(rice.effort));
    let ice = item.ice.unwrap_or_default();
    put("ice.impact", num(ice.impact));
    put("ice.confidence", num(ice.confidence));
    put("ice.ease", num(ice.ease));
    let wsjf = item.wsjf.unwrap_or_default();
    put("wsjf.business_value", num(wsjf.business_value));
    put("wsjf.time_criticality", num(wsjf.time_criticality));
    put("wsjf.risk_reduction", num(wsjf.risk_reduction));
    put("wsjf.job_size", num(wsjf.job_size));
    put(
        "score",
        score::score(item, &plan.config, method).map(fmt_num),
    );
    let mut deps: Vec<&str> = item.depends_on.iter().map(|r| r.id.as_str()).collect();
    deps.sort_by_key(|id| natural(id));
    deps.dedup();
    put("depends_on", joined(&deps));
    put("owner", crate::model::joined_names(&item.owner));
    put("assignee", crate::model::joined_names(&item.assignee));
    let mut tags: Vec<&str> = item.tags.iter().map(String::as_str).collect();
    tags.sort_unstable();
    tags.dedup();
    put("tags", joined(&tags));
    put("horizon", item.horizon.clone());
    let krs: Vec<String> = item.key_results.iter().map(key_result).collect();
    put(
        "key_results",
        Some(krs.join("; ")).filter(|s| !s.is_empty()),
    );
    let mut custom: Vec<&(String, CustomValue)> = item.custom.iter().collect();
    custom.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in custom {
        if BUILT_IN.contains(&name.as_str()) {
            continue;
        }
        put(name, Some(custom_value(value)));
    }
    put("file", Some(item.file.clone()));
    out
}

/// Names [`values`] uses itself, so a custom field cannot shadow one.
const BUILT_IN: &[&str] = &["title", "status", "category", "score", "file"];

/// Ids in natural order: `S-2` before `S-10`.
fn natural(id: &str) -> (&str, u64, &str) {
    split_id(id).map_or(("", 0, id), |(prefix, n)| (prefix, n, ""))
}

fn joined(list: &[&str]) -> Option<String> {
    Some(list.join(", ")).filter(|s| !s.is_empty())
}

fn key_result(kr: &KeyResult) -> String {
    match kr {
        KeyResult::Text(t) => t.clone(),
        KeyResult::Metric {
            metric,
            target,
            current,
        } => match (current, target) {
            (Some(c), Some(t)) => format!("{metric} ({c} of {t})"),
            (None, Some(t)) => format!("{metric} (target {t})"),
            (Some(c), None) => format!("{metric} (now {c})"),
            (None, None) => metric.clone(),
        },
    }
}

fn custom_value(v: &CustomValue) -> String {
    match v {
        CustomValue::Str(s) => s.clone(),
        CustomValue::Num(n) => fmt_num(*n),
        CustomValue::Bool(b) => b.to_string(),
        CustomValue::List(l) => l.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(s: &str) -> Side {
        Side::Rev(s.into())
    }

    #[test]
    fn ranges() {
        let r = Range::parse(Some("main..feature"), false).unwrap();
        assert_eq!(
            (r.from, r.to, r.merge_base),
            (rev("main"), rev("feature"), false)
        );
        let r = Range::parse(Some("main...feature"), false).unwrap();
        assert_eq!(
            (r.from, r.to, r.merge_base),
            (rev("main"), rev("feature"), true)
        );
        let r = Range::parse(Some("main.."), false).unwrap();
        assert_eq!((r.from, r.to), (rev("main"), rev("HEAD")));
        let r = Range::parse(Some("HEAD~1"), false).unwrap();
        assert_eq!((r.from, r.to), (rev("HEAD~1"), Side::WorkTree));
        let r = Range::parse(None, true).unwrap();
        assert_eq!((r.from, r.to), (rev("HEAD"), Side::Index));
        assert!(Range::parse(Some("a..b..c"), false).is_err());
        assert!(Range::parse(Some(".."), false).is_err());
        assert!(Range::parse(Some("a..b"), true).is_err());
    }
}
