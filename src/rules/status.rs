//! `status-conflict`, `not-ready` and `empty-goal`: statuses that contradict the plan around them.

use crate::config::Category;
use crate::diagnostic::{Diagnostic, Rule};
use crate::plan::Plan;

pub(super) fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let config = &plan.config;
    for (i, item) in plan.items.iter().enumerate() {
        let Some(cat) = item.category else { continue };
        let status = item.status.as_deref().unwrap_or_default();
        let kind = &config.kinds[item.kind];

        // Done while something it depends on is still open.
        if cat == Category::Done {
            for d in &item.depends_on {
                let Some(dep) = plan.get(&d.id) else { continue };
                if matches!(dep.category, Some(Category::Todo | Category::Doing)) {
                    out.push(
                        Diagnostic::new(
                            Rule::StatusConflict,
                            &item.file,
                            item.status_span,
                            format!(
                                "{} is `{status}` but depends on {}, which is still `{}`",
                                item.id,
                                dep.id,
                                dep.status.as_deref().unwrap_or_default()
                            ),
                        )
                        .with_related(
                            &dep.file,
                            dep.status_span,
                            format!("{} is not done", dep.id),
                        )
                        .with_help(format!(
                            "finish {} first, or remove it from `depends_on`",
                            dep.id
                        )),
                    );
                }
            }
        }

        // Active under a parent that is closed.
        if cat == Category::Doing {
            if let Some(parent) = item.parent.as_ref().and_then(|p| plan.get(&p.id)) {
                if let Some(pc @ (Category::Done | Category::Dropped)) = parent.category {
                    out.push(
                        Diagnostic::new(
                            Rule::StatusConflict,
                            &item.file,
                            item.status_span,
                            format!(
                                "{} is `{status}` but its {} {} is `{}`",
                                item.id,
                                plan.kind_name(parent),
                                parent.id,
                                parent.status.as_deref().unwrap_or_default()
                            ),
                        )
                        .with_related(
                            &parent.file,
                            parent.status_span,
                            format!("{} is {pc}", parent.id),
                        )
                        .with_help(if pc == Category::Dropped {
                            format!(
                                "drop {} too, or move it under another {}",
                                item.id,
                                plan.kind_name(parent)
                            )
                        } else {
                            format!(
                                "reopen {}, or move {} under another {}",
                                parent.id,
                                item.id,
                                plan.kind_name(parent)
                            )
                        }),
                    );
                }
            }
        }

        // Done while children are open.
        if cat == Category::Done {
            let open: Vec<&str> = plan.children[i]
                .iter()
                .map(|&c| &plan.items[c])
                .filter(|c| matches!(c.category, Some(Category::Todo | Category::Doing)))
                .map(|c| c.id.as_str())
                .collect();
            if !open.is_empty() {
                out.push(
                    Diagnostic::new(
                        Rule::StatusConflict,
                        &item.file,
                        item.status_span,
                        format!(
                            "{} is `{status}` but {} still open: {}",
                            item.id,
                            if open.len() == 1 {
                                "one child is"
                            } else {
                                "children are"
                            },
                            open.join(", ")
                        ),
                    )
                    .with_help("finish or drop the open children, or reopen this item"),
                );
            }
        }

        // Committed work needs an estimate and acceptance criteria.
        let leaf = kind.parent.is_some() && !config.has_children(&kind.name);
        if leaf && !cat.is_closed() && is_committed(kind, status, cat) {
            let no_estimate = item.estimate.is_none();
            let no_criteria = item.criteria.is_none_or(|(_, total)| total == 0);
            let missing = match (no_estimate, no_criteria) {
                (true, true) => Some("no estimate and no acceptance criteria"),
                (true, false) => Some("no estimate"),
                (false, true) => Some("no acceptance criteria"),
                (false, false) => None,
            };
            if let Some(missing) = missing {
                let mut help = Vec::new();
                if no_estimate {
                    help.push("add `estimate: N` (story points)".to_string());
                }
                if no_criteria {
                    help.push(
                        "add a `## Acceptance criteria` section with a task list (`- [ ] …`)"
                            .to_string(),
                    );
                }
                out.push(
                    Diagnostic::new(
                        Rule::NotReady,
                        &item.file,
                        item.status_span,
                        format!("{} is `{status}` but has {missing}", item.id),
                    )
                    .with_help(help.join(" and ")),
                );
            }
        }

        // An active goal nobody works towards.
        if config.has_children(&kind.name) && cat == Category::Doing && plan.children[i].is_empty()
        {
            let child_kinds: Vec<&str> = config
                .kinds
                .iter()
                .filter(|k| k.parent.as_deref() == Some(&kind.name))
                .map(|k| k.name.as_str())
                .collect();
            out.push(
                Diagnostic::new(
                    Rule::EmptyGoal,
                    &item.file,
                    item.status_span,
                    format!(
                        "{} is `{status}` but has no {}",
                        item.id,
                        plural(&child_kinds)
                    ),
                )
                .with_help(format!(
                    "break it down: `cairn new {} \"…\" --parent {}`, or set it back to `{}`",
                    child_kinds.first().copied().unwrap_or("story"),
                    item.id,
                    kind.statuses
                        .iter()
                        .find(|(_, c)| *c == Category::Todo)
                        .map_or("proposed", |(s, _)| s.as_str())
                )),
            );
        }
    }
}

/// "Ready or later": in progress, or at or past a status named `ready` in the kind's workflow.
fn is_committed(kind: &crate::config::Kind, status: &str, cat: Category) -> bool {
    if cat == Category::Doing {
        return true;
    }
    match (kind.status_index("ready"), kind.status_index(status)) {
        (Some(ready), Some(s)) => s >= ready,
        _ => false,
    }
}

fn plural(kinds: &[&str]) -> String {
    kinds
        .iter()
        .map(|k| match k.strip_suffix('y') {
            Some(stem) => format!("{stem}ies"),
            None => format!("{k}s"),
        })
        .collect::<Vec<_>>()
        .join(" or ")
}
