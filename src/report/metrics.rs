//! The metrics report: flow metrics derived from the plan's git history.

use crate::config::Category;
use crate::history::History;
use crate::plan::Plan;
use crate::timefmt::{date, iso_week, parse_date, rfc3339, week_start};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

const DAY: f64 = 86_400.0;

/// The `p`-th percentile (0–1) by linear interpolation between closest ranks.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let pos = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64))
}

/// When `h` was finished: its last entry into done, if it is still done and was not already done
/// when it first appeared (its finishing time is then unknown).
fn finished(h: &crate::history::ItemHistory) -> Option<i64> {
    h.entered(Category::Done)
        .filter(|&t| h.category == Some(Category::Done) && t > h.first_seen)
}

/// Cycle times in days (from the last entry into doing to the last entry into done) of every
/// finished item of `kind`, sorted: the figures the metrics report's `cycle_time` summarises.
pub(super) fn cycle_times(history: &History, kind: usize) -> Vec<f64> {
    let mut days: Vec<f64> = history
        .items
        .values()
        .filter(|h| h.kind == kind)
        .filter_map(|h| match (h.entered(Category::Doing), finished(h)) {
            (Some(a), Some(b)) if b >= a => Some(round2((b - a) as f64 / DAY)),
            _ => None,
        })
        .collect();
    days.sort_by(f64::total_cmp);
    days
}

pub(super) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

fn summary(mut values: Vec<f64>) -> Value {
    values.sort_by(f64::total_cmp);
    json!({
        "median_days": percentile(&values, 0.5).map(round2),
        "p85_days": percentile(&values, 0.85).map(round2),
        "count": values.len(),
    })
}

/// Builds the metrics context. `under` limits it to one goal's items; `now` is the time work-item
/// ages are measured at.
pub fn context(plan: &Plan, history: &History, under: Option<&str>, now: i64) -> Value {
    let leaf = crate::kinds::leaf(plan).name;
    let leaf_kind = plan.config.kinds.iter().position(|k| k.name == leaf);
    // The goal of every item, once: the latest parent chain known from history, falling back to
    // the current plan.
    let parent_of = |id: &str| -> Option<String> {
        history
            .items
            .get(id)
            .and_then(|h| h.parent.clone())
            .or_else(|| {
                plan.get(id)
                    .and_then(|i| i.parent.as_ref().map(|p| p.id.clone()))
            })
    };
    let mut goals_by_id: HashMap<String, Option<String>> = HashMap::new();
    for id in history.items.keys() {
        let mut cur = id.clone();
        for _ in 0..16 {
            match parent_of(&cur) {
                Some(p) if p != *id => cur = p,
                _ => break,
            }
        }
        goals_by_id.insert(id.clone(), (cur != *id).then_some(cur));
    }
    let goal_of = |id: &str| -> Option<String> { goals_by_id.get(id).cloned().flatten() };
    let in_scope = |id: &str| under.is_none_or(|g| id == g || goal_of(id).as_deref() == Some(g));
    let stories: Vec<_> = history
        .items
        .values()
        .filter(|h| Some(h.kind) == leaf_kind && in_scope(&h.id))
        .collect();
    let mut items = Vec::new();
    let (mut cycle, mut lead) = (Vec::new(), Vec::new());
    let mut throughput: BTreeMap<String, usize> = BTreeMap::new();
    let mut aging = Vec::new();
    let counted = |t: i64| history.since.is_none_or(|s| t >= s);
    for h in &stories {
        // An item already done when it first appears was finished before the history cairn can
        // see (an imported plan, a shallow clone): its finishing time is unknown, so it is not
        // counted as finished work.
        let done = finished(h).filter(|&t| counted(t));
        let doing = h.entered(Category::Doing);
        let cycle_days = match (doing, done) {
            (Some(a), Some(b)) if b >= a => Some(round2((b - a) as f64 / DAY)),
            _ => None,
        };
        let lead_days = done.map(|b| round2((b - h.first_seen) as f64 / DAY));
        cycle.extend(cycle_days);
        lead.extend(lead_days);
        if let Some(d) = done {
            *throughput.entry(iso_week(d)).or_default() += 1;
        }
        let age = (h.category == Some(Category::Doing))
            .then(|| round2((now - doing.unwrap_or(h.first_seen)) as f64 / DAY));
        if let Some(a) = age {
            aging.push(json!({ "id": h.id, "title": plan.get(&h.id).map(|i| i.title.clone()), "age_days": a }));
        }
        let at = |c: Category| h.entered(c).map(rfc3339);
        items.push(json!({
            "id": h.id,
            "title": plan.get(&h.id).map(|i| i.title.clone()),
            "category": h.category,
            "goal": goal_of(&h.id),
            "entered": { "todo": at(Category::Todo), "doing": at(Category::Doing), "done": at(Category::Done), "dropped": at(Category::Dropped) },
            "cycle_time_days": cycle_days,
            "lead_time_days": lead_days,
            "age_days": age,
        }));
    }
    aging.sort_by(|a, b| {
        b["age_days"]
            .as_f64()
            .partial_cmp(&a["age_days"].as_f64())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    // Every week of the history, so quiet weeks show as zero.
    let weeks: Vec<i64> = match history.span {
        Some((a, b)) => (0..)
            .map(|n| week_start(history.since.map_or(a, |s| s.max(a))) + n * 7 * 86_400)
            .take_while(|&w| w <= b)
            .collect(),
        None => Vec::new(),
    };
    let throughput: Vec<Value> = weeks
        .iter()
        .map(|&w| json!({ "week": iso_week(w), "done": throughput.get(&iso_week(w)).copied().unwrap_or(0) }))
        .collect();
    // Cumulative flow and WIP from the weekly snapshots.
    let snap_for = |w: i64| {
        history
            .snapshots
            .iter()
            .rev()
            .find(|s| week_start(s.time) <= w)
    };
    let cfd: Vec<Value> = weeks
        .iter()
        .map(|&w| {
            let mut counts = [0usize; 4];
            if let Some(s) = snap_for(w) {
                for (id, (cat, _, _)) in &s.items {
                    if history.items.get(id).is_some_and(|h| Some(h.kind) == leaf_kind) && in_scope(id) {
                        counts[*cat as usize] += 1;
                    }
                }
            }
            json!({ "week": iso_week(w), "todo": counts[0], "doing": counts[1], "done": counts[2], "dropped": counts[3] })
        })
        .collect();
    // Velocity: points finished inside each sprint's dates.
    let mut velocity = Vec::new();
    for s in &plan.config.sprints {
        let (Some(start), Some(end)) = (
            s.start.as_deref().and_then(parse_date),
            s.end.as_deref().and_then(parse_date),
        ) else {
            continue;
        };
        let end = end + 86_400; // the whole last day
        let points: f64 = stories
            .iter()
            .filter(|h| h.category == Some(Category::Done))
            .filter(|h| {
                h.entered(Category::Done)
                    .is_some_and(|d| d >= start && d < end && d > h.first_seen)
            })
            .filter_map(|h| h.estimate)
            .sum::<f64>()
            + 0.0;
        let finished = end <= now;
        let state = if finished {
            "finished"
        } else if start <= now {
            "current"
        } else {
            "upcoming"
        };
        velocity.push(json!({ "sprint": s.name, "start": s.start, "end": s.end, "points": points, "finished": finished, "state": state }));
    }
    let finished: Vec<f64> = velocity
        .iter()
        .filter(|v| v["finished"] == true)
        .filter_map(|v| v["points"].as_f64())
        .collect();
    let last3: Vec<f64> = finished.iter().rev().take(3).copied().collect();
    let average =
        (!last3.is_empty()).then(|| round2(last3.iter().sum::<f64>() / last3.len() as f64));
    // Burn-up per goal: scope and done points at the end of each week.
    let goal_kind = crate::kinds::root(plan).name;
    let goals: Vec<&crate::model::Item> = plan
        .items
        .iter()
        .filter(|g| plan.kind_name(g) == goal_kind && under.is_none_or(|u| g.id == u))
        .collect();
    // One pass over each week's snapshot, summing scope and done points per goal.
    let weekly: Vec<HashMap<&str, (f64, f64)>> = weeks
        .iter()
        .map(|&w| {
            let mut sums: HashMap<&str, (f64, f64)> = HashMap::new();
            if let Some(snap) = snap_for(w) {
                for (id, (cat, est, _)) in &snap.items {
                    if *cat == Category::Dropped {
                        continue;
                    }
                    let Some(Some(goal)) = goals_by_id.get(id) else {
                        continue;
                    };
                    let e = est.unwrap_or(0.0);
                    let entry = sums.entry(goal.as_str()).or_default();
                    entry.0 += e;
                    if *cat == Category::Done {
                        entry.1 += e;
                    }
                }
            }
            sums
        })
        .collect();
    let burnup: Vec<Value> = goals
        .iter()
        .map(|g| {
            let points: Vec<Value> = weeks
                .iter()
                .zip(&weekly)
                .map(|(&w, sums)| {
                    let (scope, done) = sums.get(g.id.as_str()).copied().unwrap_or_default();
                    json!({ "week": iso_week(w), "scope": scope + 0.0, "done": done + 0.0 })
                })
                .collect();
            json!({ "goal": g.id, "title": g.title, "points": points })
        })
        // A flat line says nothing: keep the goals whose scope or done points moved.
        .filter(|b: &Value| {
            let pts = b["points"].as_array().map_or(&[][..], |v| v.as_slice());
            pts.windows(2).any(|w| w[0] != w[1])
        })
        .collect();
    let shallow = history.shallow.then(|| {
        format!(
            "shallow clone: history starts at {}; metrics before that are unknown (run `git fetch --unshallow`)",
            history.span.map(|(a, _)| date(a)).unwrap_or_default()
        )
    });
    let note = match (shallow, history.skipped_note()) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    json!({
        "history": {
            "commits": history.commits,
            "blobs": history.blobs,
            "from": history.span.map(|(a, _)| rfc3339(a)),
            "to": history.span.map(|(_, b)| rfc3339(b)),
            "shallow": history.shallow,
            "skipped": history.skipped,
            "note": note,
        },
        "goal": under,
        "items": items,
        "cycle_time": summary(cycle),
        "lead_time": summary(lead),
        "throughput": throughput,
        "cfd": cfd,
        "velocity": velocity,
        "velocity_average_last_3": average,
        "burnup": burnup,
        "aging": aging,
    })
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_interpolate() {
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.85), Some(4.4));
        assert_eq!(percentile(&[7.0], 0.85), Some(7.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
