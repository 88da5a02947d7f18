//! `list` and `show`: items as rows, filters, and everything cairn knows about one item.

use crate::config::Category;
use crate::model::{fmt_num, Item};
use crate::parse::{front_matter, yaml};
use crate::plan::Plan;
use crate::source::Source;
use serde::Serialize;

/// One item as `cairn list` shows it (and as `list --format json` prints it).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    /// `S-14`.
    pub id: String,
    /// `story`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Status as written, `null` when missing or invalid.
    pub status: Option<String>,
    /// The status's category.
    pub category: Option<Category>,
    /// File relative to the plan root.
    pub file: String,
    /// The parent's id.
    pub parent: Option<String>,
    /// Story points.
    pub estimate: Option<f64>,
    /// Sprint name.
    pub sprint: Option<String>,
    /// MoSCoW class (the item's own).
    pub moscow: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
}

impl Row {
    /// The row for one item.
    pub fn of(plan: &Plan, item: &Item) -> Row {
        Row {
            id: item.id.clone(),
            kind: plan.kind_name(item).to_string(),
            title: item.title.clone(),
            status: item.status.clone(),
            category: item.category,
            file: item.file.clone(),
            parent: item.parent.as_ref().map(|p| p.id.clone()),
            estimate: item.estimate,
            sprint: item.sprint.as_ref().map(|s| s.id.clone()),
            moscow: item.moscow.map(|m| m.as_str().to_string()),
            tags: item.tags.clone(),
        }
    }
}

/// Which items `cairn list` keeps; every set criterion must match, values within one are alternatives.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Kind names.
    pub kinds: Vec<String>,
    /// Statuses.
    pub statuses: Vec<String>,
    /// Categories.
    pub categories: Vec<Category>,
    /// Ancestor ids (the item is a child or grandchild of one of them).
    pub under: Vec<String>,
    /// Tags (the item has one of them).
    pub tags: Vec<String>,
    /// Owners or assignees.
    pub owners: Vec<String>,
    /// Sprint names.
    pub sprints: Vec<String>,
}

/// Items matching `filter`, ordered by kind (config order) then number.
pub fn list(plan: &Plan, filter: &Filter) -> Vec<Row> {
    let any = |want: &[String], have: Option<&str>| {
        want.is_empty() || have.is_some_and(|h| want.iter().any(|w| w == h))
    };
    let mut idx: Vec<usize> = (0..plan.items.len())
        .filter(|&i| {
            let it = &plan.items[i];
            any(&filter.kinds, Some(plan.kind_name(it)))
                && any(&filter.statuses, it.status.as_deref())
                && (filter.categories.is_empty()
                    || it.category.is_some_and(|c| filter.categories.contains(&c)))
                && any(&filter.sprints, it.sprint.as_ref().map(|s| s.id.as_str()))
                && (filter.tags.is_empty() || it.tags.iter().any(|t| filter.tags.contains(t)))
                && (filter.owners.is_empty()
                    || it
                        .owner
                        .iter()
                        .chain(&it.assignee)
                        .any(|o| filter.owners.contains(o)))
                && (filter.under.is_empty()
                    || plan
                        .ancestors(i)
                        .iter()
                        .any(|&a| filter.under.contains(&plan.items[a].id)))
        })
        .collect();
    idx.sort_by_key(|&i| (plan.items[i].kind, plan.items[i].number, i));
    idx.into_iter()
        .map(|i| Row::of(plan, &plan.items[i]))
        .collect()
}

/// How far along an item is.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Progress {
    /// Done over total, 0–1.
    pub ratio: f64,
    /// What was counted done.
    pub done: f64,
    /// What was counted in all.
    pub total: f64,
    /// `criteria` (checked boxes), `points` (done estimate / total) or `items` (counts).
    pub unit: &'static str,
}

/// Progress: own acceptance criteria for a leaf, roll-up over leaf descendants otherwise.
pub fn progress(plan: &Plan, index: usize) -> Option<Progress> {
    let item = &plan.items[index];
    let leaves: Vec<&Item> = plan
        .descendants(index)
        .into_iter()
        .filter(|&d| plan.children[d].is_empty())
        .map(|d| &plan.items[d])
        .filter(|d| d.category != Some(Category::Dropped))
        .collect();
    if leaves.is_empty() {
        let (done, total) = item.criteria?;
        return (total > 0).then(|| Progress {
            ratio: done as f64 / total as f64,
            done: done as f64,
            total: total as f64,
            unit: "criteria",
        });
    }
    let is_done = |d: &&&Item| d.category == Some(Category::Done);
    let (done, total, unit) = if leaves.iter().all(|l| l.estimate.is_some()) {
        let total: f64 = leaves.iter().filter_map(|l| l.estimate).sum::<f64>() + 0.0;
        let done: f64 = leaves
            .iter()
            .filter(is_done)
            .filter_map(|l| l.estimate)
            .sum::<f64>()
            + 0.0; // an empty f64 sum is -0.0
        (done, total, "points")
    } else {
        (
            leaves.iter().filter(is_done).count() as f64,
            leaves.len() as f64,
            "items",
        )
    };
    if total == 0.0 {
        // Estimates that are all zero: fall back to counting.
        let done = leaves.iter().filter(is_done).count() as f64;
        let total = leaves.len() as f64;
        return Some(Progress {
            ratio: done / total,
            done,
            total,
            unit: "items",
        });
    }
    Some(Progress {
        ratio: done / total,
        done,
        total,
        unit,
    })
}

/// Everything `cairn show` prints about one item.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Detail {
    /// The list row.
    #[serde(flatten)]
    pub row: Row,
    /// Owners joined with `, ` (null when none).
    pub owner: Option<String>,
    /// Every owner.
    pub owners: Vec<String>,
    /// Assignees joined with `, ` (null when none).
    pub assignee: Option<String>,
    /// Every assignee.
    pub assignees: Vec<String>,
    /// Keys in the trackers the item was imported from.
    pub external: Vec<String>,
    /// Goal horizon.
    pub horizon: Option<String>,
    /// The user-story statement (first paragraph).
    pub statement: Option<String>,
    /// Ids of the parent chain, nearest first.
    pub ancestors: Vec<String>,
    /// Ids of the direct children.
    pub children: Vec<String>,
    /// Ids this item depends on.
    pub depends_on: Vec<String>,
    /// Ids that depend on this item.
    pub dependents: Vec<String>,
    /// 0–1, or null when there is nothing to measure.
    pub progress: Option<f64>,
    /// How progress was measured.
    pub progress_detail: Option<Progress>,
    /// The score under the configured method, or null when inputs are missing.
    pub score: Option<f64>,
    /// The configured scoring method.
    pub score_method: &'static str,
    /// Checked and total acceptance criteria.
    pub criteria: Option<Criteria>,
    /// Every front-matter field as written, as JSON (numbers and booleans typed as YAML reads
    /// them), or null when the file was not read.
    pub fields: Option<serde_json::Value>,
    /// The Markdown after the front matter, or null when the file was not read.
    pub body: Option<String>,
}

/// Acceptance-criteria counts.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Criteria {
    /// Checked boxes.
    pub done: usize,
    /// All boxes.
    pub total: usize,
}

/// The details of the item with `id`.
pub fn show(plan: &Plan, id: &str) -> Option<Detail> {
    let &index = plan.by_id.get(id)?;
    let item = &plan.items[index];
    let ids = |v: &[usize]| {
        v.iter()
            .map(|&i| plan.items[i].id.clone())
            .collect::<Vec<_>>()
    };
    let progress = progress(plan, index);
    Some(Detail {
        row: Row::of(plan, item),
        owner: crate::model::joined_names(&item.owner),
        owners: item.owner.clone(),
        assignee: crate::model::joined_names(&item.assignee),
        assignees: item.assignee.clone(),
        external: item.external.clone(),
        horizon: item.horizon.clone(),
        statement: item.statement.clone(),
        ancestors: ids(&plan.ancestors(index)),
        children: ids(&plan.children[index]),
        depends_on: item.depends_on.iter().map(|d| d.id.clone()).collect(),
        dependents: ids(&plan.dependents[index]),
        progress: progress.as_ref().map(|p| p.ratio),
        progress_detail: progress,
        score: crate::priority::score::score(item, &plan.config, plan.config.method),
        score_method: plan.config.method.as_str(),
        criteria: item.criteria.map(|(done, total)| Criteria { done, total }),
        fields: None,
        body: None,
    })
}

/// [`show`], with the item's front matter (`fields`) and Markdown `body` read from `source`.
pub fn show_with_text(plan: &Plan, source: &dyn Source, id: &str) -> Option<Detail> {
    let mut detail = show(plan, id)?;
    if let Ok(bytes) = source.read(&detail.row.file) {
        if let Ok(split) = front_matter::decode(&bytes).and_then(front_matter::split) {
            detail.body = Some(split.body.to_string());
            detail.fields = split.front_matter.and_then(|yaml_text| {
                let origin = yaml::Origin {
                    first_line: split.yaml_first_line,
                };
                yaml::parse(yaml_text, origin).ok().map(|n| to_json(&n))
            });
        }
    }
    Some(detail)
}

/// A YAML value as JSON: numbers and booleans as YAML typed them, keys as text, and what JSON
/// cannot hold (`.nan`, `.inf`) as the text written.
pub fn to_json(node: &yaml::Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        yaml::Value::Null => J::Null,
        yaml::Value::Bool(b, _) => J::Bool(*b),
        yaml::Value::Int(i, _) => J::from(*i),
        yaml::Value::Float(f, text) => {
            serde_json::Number::from_f64(*f).map_or_else(|| J::String(text.to_string()), J::Number)
        }
        yaml::Value::Str(s) => J::String(s.clone()),
        yaml::Value::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        yaml::Value::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (k, v) in entries {
                map.insert(k.scalar_text().unwrap_or_default(), to_json(v));
            }
            J::Object(map)
        }
    }
}

/// A progress bar like `[######----] 60% (6/10 points)`.
pub fn progress_bar(p: &Progress) -> String {
    let filled = (p.ratio * 10.0).round() as usize;
    format!(
        "[{}{}] {:.0}% ({}/{} {})",
        "#".repeat(filled),
        "-".repeat(10 - filled.min(10)),
        p.ratio * 100.0,
        fmt_num(p.done),
        fmt_num(p.total),
        p.unit
    )
}
