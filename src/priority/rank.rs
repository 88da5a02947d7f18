//! Ranking: MoSCoW class, then score, then id; dependencies pulled up before their dependents.

use crate::config::{Category, Method};
use crate::model::Moscow;
use crate::plan::Plan;
use crate::priority::score::{self, Scored};
use std::collections::HashSet;

/// One ranked item and why it sits where it does.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// 1-based position.
    pub rank: usize,
    /// Index into the plan's items.
    pub item: usize,
    /// The MoSCoW class used for ordering (own, or inherited).
    pub moscow: Option<Moscow>,
    /// The ancestor the class was inherited from, when not the item's own.
    pub moscow_from: Option<String>,
    /// The score and its arithmetic, or why there is none.
    pub score: Result<Scored, String>,
    /// The dependent that pulled this item up, if it moved for a dependency.
    pub pulled_up_by: Option<String>,
}

/// Which items to rank.
#[derive(Debug, Clone, Default)]
pub struct RankOptions {
    /// Kind to rank (`None`: the plan's leaf kind, see [`crate::kinds::leaf`]).
    pub kind: Option<String>,
    /// Only items under this ancestor.
    pub under: Option<String>,
    /// Include done and dropped items (they are left out by default).
    pub all: bool,
}

/// The ordering key of a MoSCoW class: must, should, could, none, wont.
pub fn class_order(m: Option<Moscow>) -> u8 {
    match m {
        Some(Moscow::Must) => 0,
        Some(Moscow::Should) => 1,
        Some(Moscow::Could) => 2,
        None => 3,
        Some(Moscow::Wont) => 4,
    }
}

/// The item's MoSCoW class, inherited from the nearest ancestor that has one.
pub fn effective_moscow(plan: &Plan, item: usize) -> (Option<Moscow>, Option<String>) {
    if let Some(m) = plan.items[item].moscow {
        return (Some(m), None);
    }
    for a in plan.ancestors(item) {
        if let Some(m) = plan.items[a].moscow {
            return (Some(m), Some(plan.items[a].id.clone()));
        }
    }
    (None, None)
}

/// Ranks the plan's items of one kind under `method`. Deterministic: the same plan gives the
/// same order.
pub fn rank(plan: &Plan, method: Method, options: &RankOptions) -> Vec<Ranked> {
    let kind = options
        .kind
        .clone()
        .unwrap_or_else(|| crate::kinds::leaf(plan).name);
    let under = options
        .under
        .as_ref()
        .and_then(|id| plan.by_id.get(id).copied());
    let open = |i: usize| !plan.items[i].category.is_some_and(Category::is_closed);
    let selected: Vec<usize> = (0..plan.items.len())
        .filter(|&i| plan.by_id.get(&plan.items[i].id) == Some(&i)) // first of duplicated ids
        .filter(|&i| plan.kind_name(&plan.items[i]) == kind)
        .filter(|&i| options.all || open(i))
        .filter(|&i| under.is_none_or(|u| plan.ancestors(i).contains(&u)))
        .collect();
    let mut entries: Vec<Ranked> = selected
        .iter()
        .map(|&i| {
            let (moscow, moscow_from) = effective_moscow(plan, i);
            Ranked {
                rank: 0,
                item: i,
                moscow,
                moscow_from,
                score: score::evaluate(&plan.items[i], &plan.config, method),
                pulled_up_by: None,
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        let key = |r: &Ranked| (class_order(r.moscow), r.score.is_err());
        key(a)
            .cmp(&key(b))
            .then_with(|| match (&a.score, &b.score) {
                (Ok(x), Ok(y)) => y.value.total_cmp(&x.value),
                _ => std::cmp::Ordering::Equal,
            })
            .then_with(|| {
                let (x, y) = (&plan.items[a.item], &plan.items[b.item]);
                (x.kind, x.number).cmp(&(y.kind, y.number))
            })
    });
    pull_up_dependencies(plan, entries)
}

/// Places every unfinished dependency just before its highest-ranked dependent: a depth-first walk
/// in rank order, dependencies first, iterative so a long chain cannot overflow the stack.
fn pull_up_dependencies(plan: &Plan, entries: Vec<Ranked>) -> Vec<Ranked> {
    let position: std::collections::HashMap<usize, usize> = entries
        .iter()
        .enumerate()
        .map(|(p, r)| (r.item, p))
        .collect();
    let mut slots: Vec<Option<Ranked>> = entries.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    let mut placing = HashSet::new();
    // (position, the dependent that asked for it, dependencies already pushed)
    let mut stack: Vec<(usize, Option<usize>, bool)> = Vec::new();
    for p in 0..slots.len() {
        stack.push((p, None, false));
        while let Some((q, by, expanded)) = stack.pop() {
            if slots[q].is_none() {
                continue; // placed already
            }
            if expanded {
                let mut r = slots[q].take().expect("checked");
                r.pulled_up_by = by.map(|b| plan.items[b].id.clone());
                out.push(r);
                placing.remove(&q);
                continue;
            }
            if !placing.insert(q) {
                continue; // on a dependency cycle (reported by `check`): placed by its own frame
            }
            stack.push((q, by, true));
            let item_index = slots[q].as_ref().expect("checked").item;
            let item = &plan.items[item_index];
            let mut deps: Vec<usize> = item
                .depends_on
                .iter()
                .filter_map(|d| plan.by_id.get(&d.id))
                .filter(|&&i| !plan.items[i].category.is_some_and(Category::is_closed))
                .filter_map(|i| position.get(i).copied())
                .filter(|&dp| slots[dp].is_some() && !placing.contains(&dp))
                .collect();
            deps.sort_unstable();
            deps.dedup();
            // Smallest position on top: dependencies keep their relative rank order.
            stack.extend(
                deps.into_iter()
                    .rev()
                    .map(|dp| (dp, Some(item_index), false)),
            );
        }
    }
    for (n, r) in out.iter_mut().enumerate() {
        r.rank = n + 1;
    }
    out
}
