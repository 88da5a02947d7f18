//! `duplicate-id`, `broken-reference`, `wrong-kind`, `orphan-story`, `unknown-sprint`.

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::{Item, Ref};
use crate::plan::Plan;
use crate::suggest;

pub(super) fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let config = &plan.config;
    for (i, item) in plan.items.iter().enumerate() {
        let first = plan.by_id[&item.id];
        if first != i {
            let other = &plan.items[first];
            out.push(
                Diagnostic::new(
                    Rule::DuplicateId,
                    &item.file,
                    item.id_span,
                    format!("id `{}` is also used by {}", item.id, other.file),
                )
                .with_related(&other.file, other.id_span, "first used here")
                .with_help(format!(
                    "give one of them a new id: `cairn renumber {} --file {}`",
                    item.id, item.file
                )),
            );
        }
        let kind = &config.kinds[item.kind];
        match (&kind.parent, &item.parent) {
            (Some(parent_kind), Some(r)) => reference(plan, item, r, parent_kind, parent_kind, out),
            (Some(parent_kind), None) if !item.parent_written => out.push(
                Diagnostic::new(
                    Rule::OrphanStory,
                    &item.file,
                    item.id_span,
                    format!("{} {} names no {parent_kind}", kind.name, item.id),
                )
                .with_help(format!(
                    "add `{parent_kind}: {}-N` naming the {parent_kind} this {} serves",
                    config.kind(parent_kind).map_or("", |k| k.prefix.as_str()),
                    kind.name
                )),
            ),
            _ => {}
        }
        for d in &item.depends_on {
            if d.id == item.id {
                continue; // reported as a cycle of one
            }
            reference(plan, item, d, "depends_on", "", out);
        }
        if let Some(s) = &item.sprint {
            if config.sprint(&s.id).is_none() {
                let names: Vec<&str> = config.sprints.iter().map(|s| s.name.as_str()).collect();
                let help = if names.is_empty() {
                    format!(
                        "no sprints are configured; add them under `sprints:` in {}",
                        crate::config::FILE_NAME
                    )
                } else {
                    let listed = format!("configured sprints: {}", names.join(", "));
                    match suggest::did_you_mean(&s.id, names.iter().copied()) {
                        Some(c) => format!("did you mean `{c}`? ({listed})"),
                        None => listed,
                    }
                };
                let help = Some(help);
                out.push(
                    Diagnostic::new(
                        Rule::UnknownSprint,
                        &item.file,
                        s.span,
                        format!("sprint `{}` is not configured", s.id),
                    )
                    .with_help_opt(help),
                );
            }
        }
    }
}

/// Checks that `r`, written in `field` of `item`, names an existing item (of `want_kind`, if set).
fn reference(
    plan: &Plan,
    item: &Item,
    r: &Ref,
    field: &str,
    want_kind: &str,
    out: &mut Vec<Diagnostic>,
) {
    match plan.by_id.get(&r.id) {
        // Defined in a file that could not be parsed: that file's own finding says why.
        None if plan.unread_ids.contains_key(&r.id) => {}
        None => {
            let candidates = plan
                .items
                .iter()
                .filter(|c| want_kind.is_empty() || plan.kind_name(c) == want_kind)
                .map(|c| c.id.as_str());
            let help = suggest::did_you_mean(&r.id, candidates).map(|c| {
                let title = plan.get(c).map_or("", |t| t.title.as_str());
                format!("did you mean `{c}` ({title})?")
            });
            out.push(
                Diagnostic::new(
                    Rule::BrokenReference,
                    &item.file,
                    r.span,
                    format!("`{field}` names `{}`, which does not exist", r.id),
                )
                .with_help_opt(help),
            );
        }
        Some(&t) => {
            let target = &plan.items[t];
            let target_kind = plan.kind_name(target);
            if !want_kind.is_empty() && target_kind != want_kind {
                let mut d = Diagnostic::new(
                    Rule::WrongKind,
                    &item.file,
                    r.span,
                    format!(
                        "`{field}` must name a {want_kind}, but {} is a {target_kind}",
                        r.id
                    ),
                )
                .with_related(
                    &target.file,
                    target.id_span,
                    format!("{} is defined here", r.id),
                );
                if let Some(p) = target.parent.as_ref().filter(|p| {
                    plan.get(&p.id)
                        .is_some_and(|pi| plan.kind_name(pi) == want_kind)
                }) {
                    d = d.with_help(format!(
                        "{} belongs to {want_kind} {}; did you mean `{}`?",
                        r.id, p.id, p.id
                    ));
                }
                out.push(d);
            }
        }
    }
}
