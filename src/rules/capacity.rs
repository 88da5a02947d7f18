//! `over-capacity`: a sprint's committed estimates must fit its capacity.

use crate::config::Category;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::fmt_num;
use crate::plan::Plan;

pub(super) fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let Some(config_file) = &plan.config_file else {
        return;
    };
    for sprint in &plan.config.sprints {
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
