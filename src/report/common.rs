//! Rows shared by several reports: goals with roll-up progress, stories, sprints.

use crate::config::{Category, Sprint};
use crate::model::{Item, KeyResult};
use crate::plan::Plan;
use crate::priority::rank::{self, RankOptions};
use crate::query;
use serde_json::{json, Value};

/// Ranks of the items of `kind` (open and closed), by id.
pub fn ranks(plan: &Plan, kind: &str) -> std::collections::HashMap<usize, (usize, Option<f64>)> {
    let opts = RankOptions {
        kind: Some(kind.to_string()),
        under: None,
        all: true,
    };
    rank::rank(plan, plan.config.method, &opts)
        .into_iter()
        .map(|r| (r.item, (r.rank, r.score.ok().map(|s| s.value))))
        .collect()
}

/// Indexes of the plan's goals in rank order (PM priority).
pub fn goals_in_order(plan: &Plan) -> Vec<(usize, usize, Option<f64>)> {
    let kind = crate::kinds::root(plan).name;
    let mut goals: Vec<(usize, usize, Option<f64>)> = ranks(plan, &kind)
        .into_iter()
        .map(|(i, (r, s))| (i, r, s))
        .collect();
    goals.sort_by_key(|g| g.1);
    goals
}

fn key_result(k: &KeyResult) -> Value {
    match k {
        KeyResult::Text(t) => json!({ "text": t, "metric": null, "target": null, "current": null }),
        KeyResult::Metric {
            metric,
            target,
            current,
        } => {
            let text = match (target, current) {
                (Some(t), Some(c)) => format!("{metric}: {c} → {t}"),
                (Some(t), None) => format!("{metric}: target {t}"),
                _ => metric.clone(),
            };
            json!({ "text": text, "metric": metric, "target": target, "current": current })
        }
    }
}

/// Counts of leaf descendants by category.
pub fn story_counts(plan: &Plan, goal: usize) -> Value {
    let leaves: Vec<&Item> = plan
        .descendants(goal)
        .into_iter()
        .filter(|&d| plan.children[d].is_empty())
        .map(|d| &plan.items[d])
        .collect();
    let count = |c: Category| leaves.iter().filter(|i| i.category == Some(c)).count();
    json!({
        "total": leaves.iter().filter(|i| i.category != Some(Category::Dropped)).count(),
        "todo": count(Category::Todo),
        "doing": count(Category::Doing),
        "done": count(Category::Done),
        "dropped": count(Category::Dropped),
    })
}

/// A goal with everything the roadmap and alignment show.
pub fn goal_row(plan: &Plan, i: usize, rank: usize, score: Option<f64>) -> Value {
    let g = &plan.items[i];
    let progress = query::progress(plan, i);
    json!({
        "rank": rank,
        "id": g.id,
        "title": g.title,
        "status": g.status,
        "category": g.category,
        "owner": crate::model::joined_names(&g.owner),
        "horizon": g.horizon,
        "moscow": g.moscow.map(|m| m.as_str()),
        "score": score,
        "key_results": g.key_results.iter().map(key_result).collect::<Vec<_>>(),
        "progress": progress.map(|p| json!({
            "ratio": p.ratio, "percent": (p.ratio * 100.0).round(), "done": p.done, "total": p.total, "unit": p.unit,
        })),
        "stories": story_counts(plan, i),
        "statement": g.statement,
        "file": g.file,
    })
}

/// A story row: id, title, goal, status, estimate, sprint, class and score.
pub fn story_row(plan: &Plan, i: usize) -> Value {
    let s = &plan.items[i];
    let goal = plan.ancestors(i).last().map(|&g| &plan.items[g]);
    let (moscow, inherited) = rank::effective_moscow(plan, i);
    json!({
        "id": s.id,
        "title": s.title,
        "kind": plan.kind_name(s),
        "goal": goal.map(|g| g.id.clone()),
        "goal_title": goal.map(|g| g.title.clone()),
        "status": s.status,
        "category": s.category,
        "estimate": s.estimate,
        "sprint": s.sprint.as_ref().map(|r| r.id.clone()),
        "moscow": moscow.map(|m| m.as_str()),
        "moscow_inherited_from": inherited,
        "score": crate::priority::score::score(s, &plan.config, plan.config.method),
        "owner": crate::model::joined_names(&s.owner),
        "assignee": crate::model::joined_names(&s.assignee),
        "file": s.file,
    })
}

/// Stories committed to `sprint` (not dropped), in rank order.
pub fn sprint_members(plan: &Plan, sprint: &str) -> Vec<usize> {
    let leaf = crate::kinds::leaf(plan).name;
    members_in_order(plan, sprint, &leaf, &ranks(plan, &leaf))
}

/// Items of kind `leaf` committed to `sprint` (not dropped), in the order of `order` (from
/// `ranks`).
fn members_in_order(
    plan: &Plan,
    sprint: &str,
    leaf: &str,
    order: &std::collections::HashMap<usize, (usize, Option<f64>)>,
) -> Vec<usize> {
    let mut members: Vec<usize> = (0..plan.items.len())
        .filter(|&i| {
            let it = &plan.items[i];
            it.sprint.as_ref().is_some_and(|s| s.id == sprint)
                && it.category != Some(Category::Dropped)
                && plan.kind_name(it) == leaf
        })
        .collect();
    members.sort_by_key(|i| order.get(i).map_or(usize::MAX, |r| r.0));
    members
}

/// A sprint with its committed points and stories.
pub fn sprint_row(plan: &Plan, s: &Sprint) -> Value {
    row_of(plan, s, &sprint_members(plan, &s.name))
}

/// Every configured sprint as `sprint_row` makes it, ranking the backlog once rather than once per
/// sprint (a plan with hundreds of sprints would otherwise rank it hundreds of times).
pub fn sprint_rows(plan: &Plan) -> Vec<Value> {
    let leaf = crate::kinds::leaf(plan).name;
    let order = ranks(plan, &leaf);
    plan.config
        .sprints
        .iter()
        .map(|s| row_of(plan, s, &members_in_order(plan, &s.name, &leaf, &order)))
        .collect()
}

fn row_of(plan: &Plan, s: &Sprint, members: &[usize]) -> Value {
    let points = |c: Option<Category>| -> f64 {
        members
            .iter()
            .filter(|&&i| c.is_none() || plan.items[i].category == c)
            .filter_map(|&i| plan.items[i].estimate)
            .sum::<f64>()
            + 0.0
    };
    json!({
        "name": s.name,
        "mermaid_id": mermaid_id(&s.name),
        "start": s.start,
        "end": s.end,
        "capacity": s.capacity,
        "committed": points(None),
        "done": points(Some(Category::Done)),
        "load": s.capacity.filter(|&c| c > 0.0).map(|c| points(None) / c),
        "stories": members.iter().map(|&i| story_row(plan, i)).collect::<Vec<_>>(),
    })
}

/// The sprint whose dates contain `today`, else the next one to start, else the last one.
pub fn current_sprint<'a>(plan: &'a Plan, today: &str) -> Option<&'a Sprint> {
    let sprints = &plan.config.sprints;
    sprints
        .iter()
        .find(|s| matches!((&s.start, &s.end), (Some(a), Some(b)) if a.as_str() <= today && today <= b.as_str()))
        .or_else(|| sprints.iter().find(|s| s.start.as_deref().is_some_and(|a| a > today)))
        .or_else(|| sprints.last())
}

/// An identifier Mermaid accepts: letters, digits and `_` only.
pub fn mermaid_id(s: &str) -> String {
    std::iter::once('s')
        .chain(
            s.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
        )
        .collect()
}
