//! `cairn sprint plan --capacity auto`: a capacity proposed from the points the team finished in
//! its past sprints ("yesterday's weather").
//!
//! The past sprints are the ones listed before the target sprint in `cairn.yaml` (the config
//! lists sprints in order) that have ended by today when they have an end date. The last
//! [`SPRINTS`] of them are measured. A sprint's points done are the estimates of the leaf-kind
//! stories whose `sprint` is that sprint and that are done: with git history, done by the end of
//! the sprint (their last entry into done on or before its end date), without it, done now. The
//! proposal is the median of those sprints' points: one unusual sprint moves it less than it
//! would move a mean.

use crate::config::{Category, Sprint};
use crate::history::History;
use crate::plan::Plan;
use crate::timefmt::parse_date;
use serde::Serialize;

/// How many past sprints are measured (the last ones before the sprint being planned).
pub const SPRINTS: usize = 3;

/// One past sprint and the points finished in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastSprint {
    /// The sprint's name.
    pub name: String,
    /// Points of its stories that were done (by its end, when history says when).
    pub done: f64,
    /// How many stories those points come from.
    pub stories: usize,
    /// `"end"` when "done" means done by the sprint's end date (read from git history), `"now"`
    /// when it means done now (no history, or a sprint without an end date).
    pub done_by: &'static str,
}

/// A proposed capacity and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutoCapacity {
    /// The proposal: the median of `sprints`' points done.
    pub capacity: f64,
    /// The statistic, in words ("median of the last 3 sprints").
    pub statistic: String,
    /// The sprints measured, oldest first.
    pub sprints: Vec<PastSprint>,
}

/// Why no capacity can be proposed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapacityError {
    /// No sprint lies before the target one.
    #[error("`--capacity auto` needs past sprints to measure, and none comes before `{0}` in cairn.yaml (or none has ended); pass `--capacity N`")]
    NoPastSprints(String),
}

/// The median of `values` (which must not be empty).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Proposes a capacity for `target` from the sprints before it (see the module docs). `today` is
/// `YYYY-MM-DD`; `history`, when the plan is in a git repository, dates each story's completion.
pub fn auto_capacity(
    plan: &Plan,
    target: &Sprint,
    today: Option<&str>,
    history: Option<&History>,
) -> Result<AutoCapacity, CapacityError> {
    let position = plan
        .config
        .sprints
        .iter()
        .position(|s| s.name == target.name)
        .unwrap_or(plan.config.sprints.len());
    let ended = |s: &Sprint| match (&s.end, today) {
        (Some(end), Some(today)) => end.as_str() < today,
        _ => true,
    };
    let past: Vec<&Sprint> = plan.config.sprints[..position]
        .iter()
        .filter(|s| ended(s))
        .collect();
    let past = &past[past.len().saturating_sub(SPRINTS)..];
    if past.is_empty() {
        return Err(CapacityError::NoPastSprints(target.name.clone()));
    }
    let leaf = crate::kinds::leaf(plan).name;
    let done_by = |id: &str, end: Option<&str>| -> bool {
        match (history, end.and_then(parse_date)) {
            (Some(h), Some(end)) => h.items.get(id).is_some_and(|h| {
                h.category == Some(Category::Done)
                    && h.entered(Category::Done).is_some_and(|t| t < end + 86_400)
            }),
            _ => false,
        }
    };
    let sprints: Vec<PastSprint> = past
        .iter()
        .map(|s| {
            let mut done = 0.0;
            let mut stories = 0;
            let by_end = history.is_some() && s.end.is_some();
            for it in &plan.items {
                if plan.kind_name(it) != leaf || it.sprint.as_ref().is_none_or(|r| r.id != s.name) {
                    continue;
                }
                let finished = if by_end {
                    done_by(&it.id, s.end.as_deref())
                } else {
                    it.category == Some(Category::Done)
                };
                if finished {
                    done += it.estimate.unwrap_or(0.0);
                    stories += 1;
                }
            }
            PastSprint {
                name: s.name.clone(),
                done: done + 0.0,
                stories,
                done_by: if by_end { "end" } else { "now" },
            }
        })
        .collect();
    let mut points: Vec<f64> = sprints.iter().map(|s| s.done).collect();
    let statistic = match sprints.len() {
        1 => "the points done in the last sprint".to_string(),
        n => format!("median of the last {n} sprints"),
    };
    Ok(AutoCapacity {
        capacity: median(&mut points) + 0.0,
        statistic,
        sprints,
    })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [20.0, 5.0, 13.0]), 13.0);
        assert_eq!(median(&mut [8.0, 12.0]), 10.0);
        assert_eq!(median(&mut [7.0]), 7.0);
    }
}
