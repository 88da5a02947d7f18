//! The PM–PO check-in: goals in the PM's priority order against where the team's points go in the
//! current and next sprints, with the gaps called out and one summary figure (Kendall's tau).

use super::common::{current_sprint, goals_in_order, sprint_members};
use super::ReportOptions;
use crate::config::Category;
use crate::model::Moscow;
use crate::plan::Plan;
use crate::priority::rank::{self, RankOptions};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Kendall's tau-b between two rankings (ties allowed); `None` with fewer than two pairs that
/// differ on both sides.
pub fn kendall_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    let (mut concordant, mut discordant, mut ties_x, mut ties_y) = (0f64, 0f64, 0f64, 0f64);
    for i in 0..x.len() {
        for j in i + 1..x.len() {
            let dx = x[i] - x[j];
            let dy = y[i] - y[j];
            match (dx == 0.0, dy == 0.0) {
                (true, true) => {}
                (true, false) => ties_x += 1.0,
                (false, true) => ties_y += 1.0,
                _ if dx * dy > 0.0 => concordant += 1.0,
                _ => discordant += 1.0,
            }
        }
    }
    let denom = ((concordant + discordant + ties_x) * (concordant + discordant + ties_y)).sqrt();
    (denom > 0.0).then(|| (concordant - discordant) / denom)
}

pub(super) fn context(plan: &Plan, options: &ReportOptions) -> Value {
    let current = current_sprint(plan, &options.today);
    let next = current.and_then(|c| {
        let p = plan.config.sprints.iter().position(|s| s.name == c.name)?;
        plan.config.sprints.get(p + 1)
    });
    let window: Vec<&str> = current
        .iter()
        .chain(next.iter())
        .map(|s| s.name.as_str())
        .collect();
    let goals: Vec<(usize, usize, Option<f64>)> = goals_in_order(plan)
        .into_iter()
        .filter(|&(i, _, _)| !plan.items[i].category.is_some_and(Category::is_closed))
        .collect();
    let goal_kind = crate::kinds::root(plan).name;
    // Points per goal across the window. Every point lands in exactly one row: an open goal's, a
    // closed goal's, or "no goal" (no parent, a broken one, or a top ancestor of another kind).
    let mut points: HashMap<Option<usize>, f64> = HashMap::new();
    let mut planned: HashMap<Option<usize>, usize> = HashMap::new();
    let mut total = 0.0;
    for name in &window {
        for i in sprint_members(plan, name) {
            let est = plan.items[i].estimate.unwrap_or(0.0);
            total += est;
            let goal = plan
                .ancestors(i)
                .last()
                .copied()
                .filter(|&g| plan.kind_name(&plan.items[g]) == goal_kind);
            *points.entry(goal).or_default() += est;
            *planned.entry(goal).or_default() += 1;
        }
    }
    let points_of = |g: Option<usize>| points.get(&g).copied().unwrap_or(0.0) + 0.0;
    let share = |p: f64| if total > 0.0 { p / total } else { 0.0 };
    let mut rows: Vec<Value> = goals
        .iter()
        .enumerate()
        .map(|(n, &(i, _, score))| {
            let g = &plan.items[i];
            let p = points_of(Some(i));
            json!({
                "priority": n + 1,
                "id": g.id,
                "title": g.title,
                "status": g.status,
                "moscow": g.moscow.map(|m| m.as_str()),
                "score": score,
                "owner": crate::model::joined_names(&g.owner),
                "points": p,
                "share": share(p),
                "stories_planned": planned.get(&Some(i)).copied().unwrap_or(0),
            })
        })
        .collect();
    // Closed goals that still get points, in goal order; then the points that serve no goal.
    let mut closed: Vec<usize> = points
        .keys()
        .flatten()
        .copied()
        .filter(|&g| plan.items[g].category.is_some_and(Category::is_closed))
        .collect();
    closed.sort_by_key(|&g| (plan.items[g].kind, plan.items[g].number, g));
    let mut unprioritised: Vec<Value> = closed
        .iter()
        .map(|&g| {
            let it = &plan.items[g];
            json!({
                "reason": "closed",
                "id": it.id,
                "title": it.title,
                "status": it.status,
                "category": it.category,
                "moscow": it.moscow.map(|m| m.as_str()),
                "points": points_of(Some(g)),
                "share": share(points_of(Some(g))),
                "stories_planned": planned.get(&Some(g)).copied().unwrap_or(0),
            })
        })
        .collect();
    if let Some(&n) = planned.get(&None) {
        unprioritised.push(json!({
            "reason": "no_goal",
            "id": null,
            "title": format!("No {goal_kind}"),
            "status": null,
            "category": null,
            "moscow": null,
            "points": points_of(None),
            "share": share(points_of(None)),
            "stories_planned": n,
        }));
    }
    let shares: Vec<f64> = rows
        .iter()
        .chain(&unprioritised)
        .map(|r| r["share"].as_f64().unwrap_or(0.0))
        .collect();
    let percents = largest_remainder_percents(&shares);
    for (row, pct) in rows
        .iter_mut()
        .chain(unprioritised.iter_mut())
        .zip(percents)
    {
        row["percent"] = pct.into();
    }
    // Effort rank against priority: 1.0 means the points follow the PM's order exactly.
    let priority: Vec<f64> = (0..goals.len()).map(|n| -(n as f64)).collect();
    let effort: Vec<f64> = goals.iter().map(|&(i, _, _)| points_of(Some(i))).collect();
    let tau = kendall_tau_b(&priority, &effort);
    let must_unplanned: Vec<Value> = rows
        .iter()
        .filter(|r| r["moscow"] == "must" && r["points"].as_f64() == Some(0.0))
        .map(|r| json!({ "id": r["id"], "title": r["title"] }))
        .collect();
    // High-ranked stories (top quarter of the backlog) serving goals in the lower half.
    let goal_pos: HashMap<usize, usize> = goals.iter().enumerate().map(|(n, g)| (g.0, n)).collect();
    let backlog = rank::rank(plan, plan.config.method, &RankOptions::default());
    let top = backlog.len().div_ceil(4);
    let misaligned: Vec<Value> = backlog
        .iter()
        .take(top)
        .filter_map(|r| {
            let &g = plan.ancestors(r.item).last()?;
            let pos = *goal_pos.get(&g)?;
            let low = pos >= goals.len().div_ceil(2) || matches!(plan.items[g].moscow, Some(Moscow::Could | Moscow::Wont));
            low.then(|| {
                json!({
                    "id": plan.items[r.item].id, "title": plan.items[r.item].title, "rank": r.rank,
                    "goal": plan.items[g].id, "goal_title": plan.items[g].title, "goal_priority": pos + 1,
                })
            })
        })
        .collect();
    let leaf = crate::kinds::leaf(plan).name;
    let orphans: Vec<Value> = plan
        .items
        .iter()
        .filter(|i| {
            plan.kind_name(i) == leaf
                && i.parent.is_none()
                && plan.config.kinds[i.kind].parent.is_some()
        })
        .filter(|i| !i.category.is_some_and(Category::is_closed))
        .map(|i| json!({ "id": i.id, "title": i.title, "status": i.status }))
        .collect();
    let empty: Vec<Value> = (0..plan.items.len())
        .filter(|&i| {
            let it = &plan.items[i];
            plan.config.has_children(plan.kind_name(it))
                && it.category == Some(Category::Doing)
                && plan.children[i].is_empty()
        })
        .map(|i| json!({ "id": plan.items[i].id, "title": plan.items[i].title }))
        .collect();
    json!({
        "window": window,
        "current_sprint": current.map(|s| s.name.clone()),
        "next_sprint": next.map(|s| s.name.clone()),
        "window_points": total + 0.0,
        "goals": rows,
        "unprioritised": unprioritised,
        "kendall_tau": tau,
        "must_goals_unplanned": must_unplanned,
        "high_ranked_low_priority": misaligned,
        "orphan_stories": orphans,
        "empty_goals": empty,
    })
}

/// Whole percentages of `shares` (each 0–1, summing to 1 or to 0) that add up to exactly 100:
/// each share's floor, then the points left over go to the largest remainders (Hamilton's
/// method), ties to the earlier row. All zeros when the shares are.
pub fn largest_remainder_percents(shares: &[f64]) -> Vec<u64> {
    let total: f64 = shares.iter().sum();
    if total <= 0.0 {
        return vec![0; shares.len()];
    }
    let exact: Vec<f64> = shares.iter().map(|s| s / total * 100.0).collect();
    let mut out: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let left = 100u64.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().take(left as usize) {
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{kendall_tau_b, largest_remainder_percents};

    #[test]
    fn percents_add_up_to_100() {
        // 1/3 each: 33 + 33 + 33 leaves 1, given to the first of the equal remainders.
        assert_eq!(
            largest_remainder_percents(&[1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]),
            [34, 33, 33]
        );
        // 21, 18, 16 of 55: 38.18, 32.73, 29.09 → 38, 33, 29 (rounding each would too).
        let s = [21.0 / 55.0, 18.0 / 55.0, 16.0 / 55.0];
        assert_eq!(largest_remainder_percents(&s), [38, 33, 29]);
        // Rounding each would give 17 × 6 = 102.
        let six = [1.0 / 6.0; 6];
        assert_eq!(largest_remainder_percents(&six).iter().sum::<u64>(), 100);
        assert_eq!(largest_remainder_percents(&[0.0, 0.0]), [0, 0]);
        assert_eq!(largest_remainder_percents(&[]), Vec::<u64>::new());
        assert_eq!(largest_remainder_percents(&[1.0, 0.0]), [100, 0]);
    }

    #[test]
    fn tau_b_by_hand() {
        assert_eq!(kendall_tau_b(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]), Some(1.0));
        assert_eq!(
            kendall_tau_b(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]),
            Some(-1.0)
        );
        // Pairs: (1,2) concordant, (1,3) concordant, (2,3) tie in y → (2-0)/sqrt(3*2).
        let t = kendall_tau_b(&[1.0, 2.0, 3.0], &[1.0, 2.0, 2.0]).unwrap();
        assert!((t - 2.0 / 6f64.sqrt()).abs() < 1e-12);
        assert_eq!(kendall_tau_b(&[1.0], &[1.0]), None);
    }
}
