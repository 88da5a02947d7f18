//! `over-capacity` and `moscow-balance`: what a sprint holds must fit its capacity, and not be
//! mostly Must items.

use crate::config::Category;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::fmt_num;
use crate::plan::Plan;

pub(super) fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let Some(config_file) = &plan.config_file else {
        return;
    };
    let leaf = crate::kinds::leaf(plan).name;
    for sprint in &plan.config.sprints {
        // The same stories `sprint plan` counts: the leaf kind, not dropped.
        let members: Vec<usize> = (0..plan.items.len())
            .filter(|&i| {
                let it = &plan.items[i];
                it.sprint.as_ref().is_some_and(|s| s.id == sprint.name)
                    && it.category != Some(Category::Dropped)
                    && plan.kind_name(it) == leaf
            })
            .collect();
        // A finished sprint is history, not a plan to balance.
        let finished = members
            .iter()
            .all(|&i| plan.items[i].category.is_some_and(Category::is_closed));
        if let Some(share) =
            crate::priority::sprint::must_share(plan, &members).filter(|_| !finished)
        {
            if share > plan.config.must_limit {
                out.push(
                    Diagnostic::new(
                        Rule::MoscowBalance,
                        config_file,
                        sprint.name_span.unwrap_or(sprint.span),
                        crate::priority::sprint::must_warning(&sprint.name, share, plan.config.must_limit),
                    )
                    .with_help("move Should or Could stories into the sprint, or change `planning.must_limit` in cairn.yaml"),
                );
            }
        }
        let Some(capacity) = sprint.capacity else {
            continue;
        };
        let committed: Vec<_> = plan
            .items
            .iter()
            .filter(|i| i.sprint.as_ref().is_some_and(|s| s.id == sprint.name))
            .filter(|i| i.category != Some(Category::Dropped))
            .collect();
        let total: f64 = committed.iter().filter_map(|i| i.estimate).sum::<f64>() + 0.0;
        if total > capacity {
            out.push(
                Diagnostic::new(
                    Rule::OverCapacity,
                    config_file,
                    sprint.capacity_span.unwrap_or(sprint.span),
                    format!(
                        "sprint {} has {} points committed, over its capacity of {} by {}",
                        sprint.name,
                        fmt_num(total),
                        fmt_num(capacity),
                        fmt_num(total - capacity)
                    ),
                )
                .with_help(format!(
                    "move stories to a later sprint or raise the capacity; committed: {}",
                    committed
                        .iter()
                        .filter_map(|i| i.estimate.map(|e| format!("{} ({})", i.id, fmt_num(e))))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
}
