//! The sprint report: committed vs capacity, points by status category, the stories, and what is
//! at risk (open dependencies, not-ready stories).

use super::common::{current_sprint, sprint_row, story_row};
use super::{ReportError, ReportOptions};
use crate::config::Category;
use crate::plan::Plan;
use crate::priority::sprint::SprintError;
use serde_json::{json, Value};

pub(super) fn context(
    plan: &Plan,
    name: Option<&str>,
    options: &ReportOptions,
) -> Result<Value, ReportError> {
    let sprint = match name {
        Some(n) => plan.config.sprint(n).ok_or_else(|| SprintError::Unknown {
            name: n.to_string(),
            suggestion: crate::suggest::did_you_mean(
                n,
                plan.config.sprints.iter().map(|s| s.name.as_str()),
            )
            .map(str::to_string),
        })?,
        None => current_sprint(plan, &options.today).ok_or(SprintError::NoneAhead)?,
    };
    let row = sprint_row(plan, sprint);
    let members = super::common::sprint_members(plan, &sprint.name);
    let order = |name: &str| plan.config.sprints.iter().position(|s| s.name == name);
    let this = order(&sprint.name);
    let mut stories = Vec::new();
    let mut at_risk = Vec::new();
    let aged = options
        .history
        .as_ref()
        .and_then(|h| aging(plan, h, &members, options.now));
    for &i in &members {
        let it = &plan.items[i];
        let mut reasons = Vec::new();
        if let Some((p85, _, old)) = &aged {
            if let Some((_, age)) = old.iter().find(|(j, _)| *j == i) {
                reasons.push(format!(
                    "in progress for {} days, longer than 85 % of finished stories took ({} days)",
                    crate::model::fmt_num(*age),
                    crate::model::fmt_num(*p85)
                ));
            }
        }
        if !it.category.is_some_and(Category::is_closed) {
            for d in &it.depends_on {
                let Some(dep) = plan.get(&d.id) else { continue };
                if dep.category.is_some_and(Category::is_closed) {
                    continue;
                }
                let later = dep
                    .sprint
                    .as_ref()
                    .and_then(|s| order(&s.id))
                    .is_none_or(|p| Some(p) > this);
                let status = dep.status.as_deref().unwrap_or("?");
                reasons.push(if later {
                    format!(
                        "depends on {} ({status}), not planned by this sprint",
                        dep.id
                    )
                } else {
                    format!("depends on {} ({status})", dep.id)
                });
            }
            if it.estimate.is_none() {
                reasons.push("no estimate".to_string());
            }
            if it.criteria.is_none_or(|(_, total)| total == 0) {
                reasons.push("no acceptance criteria".to_string());
            }
        }
        let mut s = story_row(plan, i);
        s["at_risk"] = json!(reasons);
        if !reasons.is_empty() {
            at_risk.push(json!({ "id": it.id, "title": it.title, "reasons": reasons }));
        }
        stories.push(s);
    }
    let points = |c: Category| -> f64 {
        members
            .iter()
            .filter(|&&i| plan.items[i].category == Some(c))
            .filter_map(|&i| plan.items[i].estimate)
            .sum::<f64>()
            + 0.0
    };
    let aging = aged.map(|(p85, finished, old)| {
        json!({
            "p85_cycle_days": p85,
            "finished": finished,
            "stories": old.iter().map(|&(i, age)| json!({
                "id": plan.items[i].id, "title": plan.items[i].title, "age_days": age,
            })).collect::<Vec<_>>(),
        })
    });
    Ok(json!({
        "sprint": {
            "name": sprint.name, "start": sprint.start, "end": sprint.end, "capacity": sprint.capacity,
        },
        "committed": row["committed"],
        "capacity": sprint.capacity,
        "remaining": sprint.capacity.map(|c| c - row["committed"].as_f64().unwrap_or(0.0)),
        "load": row["load"],
        "points": { "todo": points(Category::Todo), "doing": points(Category::Doing), "done": points(Category::Done) },
        "stories": stories,
        "at_risk": at_risk,
        "burndown": options.history.as_ref().and_then(|h| burndown(plan, h, sprint, &members, options.now)),
        "aging": aging,
    }))
}

/// The 85th-percentile cycle time in days, how many finished stories it comes from, and the
/// aging stories (index, days in progress).
type Aging = (f64, usize, Vec<(usize, f64)>);

/// Aging work in progress: the sprint's in-progress stories that have been in progress longer
/// than 85 % of finished stories took (the 85th-percentile cycle time of the whole history).
/// `None` without history or without a finished story to compare with.
fn aging(
    plan: &Plan,
    history: &crate::history::History,
    members: &[usize],
    now: i64,
) -> Option<Aging> {
    let leaf = crate::kinds::leaf(plan).name;
    let kind = plan.config.kinds.iter().position(|k| k.name == leaf)?;
    let cycle = super::metrics::cycle_times(history, kind);
    let p85 = super::metrics::round2(super::metrics::percentile(&cycle, 0.85)?);
    let old = members
        .iter()
        .filter(|&&i| plan.items[i].category == Some(Category::Doing))
        .filter_map(|&i| {
            let h = history.items.get(&plan.items[i].id)?;
            let since = h.entered(Category::Doing).unwrap_or(h.first_seen);
            let age = super::metrics::round2((now - since) as f64 / 86_400.0);
            (age > p85).then_some((i, age))
        })
        .collect();
    Some((p85, cycle.len(), old))
}

/// Remaining points at the end of each day of the sprint, read from history, against the ideal
/// straight line from the committed points to zero. Days after `now` have no `remaining` yet.
fn burndown(
    plan: &Plan,
    history: &crate::history::History,
    sprint: &crate::config::Sprint,
    members: &[usize],
    now: i64,
) -> Option<Value> {
    use crate::timefmt::{date, parse_date};
    let start = parse_date(sprint.start.as_deref()?)?;
    let end = parse_date(sprint.end.as_deref()?)?;
    let days = ((end - start) / 86_400 + 1).clamp(1, 366) as usize;
    let points: Vec<(f64, Option<i64>)> = members
        .iter()
        .map(|&i| {
            let it = &plan.items[i];
            let done = (it.category == Some(Category::Done))
                .then(|| {
                    history
                        .items
                        .get(&it.id)
                        .and_then(|h| h.entered(Category::Done))
                })
                .flatten();
            (it.estimate.unwrap_or(0.0), done)
        })
        .collect();
    let committed: f64 = points.iter().map(|p| p.0).sum::<f64>() + 0.0;
    let series: Vec<Value> = (0..days)
        .map(|d| {
            let day = start + d as i64 * 86_400;
            let end_of_day = day + 86_399;
            let remaining = (day <= now).then(|| {
                points
                    .iter()
                    .filter(|(_, done)| done.is_none_or(|t| t > end_of_day))
                    .map(|(e, _)| e)
                    .sum::<f64>()
                    + 0.0
            });
            let ideal = if days == 1 { 0.0 } else { committed * (1.0 - d as f64 / (days - 1) as f64) };
            json!({ "date": date(day), "remaining": remaining, "ideal": (ideal * 100.0).round() / 100.0 + 0.0 })
        })
        .collect();
    Some(Value::Array(series))
}
