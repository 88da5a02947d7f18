//! The checks of `cairn check`, one module per group of rules.

mod capacity;
mod cycles;
mod links;
mod references;
mod status;

use crate::diagnostic::{Diagnostic, Level, Severity};
use crate::plan::Plan;
use crate::source::Source;

/// Runs every rule over a loaded plan and returns the findings, levels applied, sorted by place.
pub fn check(plan: &Plan, source: &dyn Source) -> Vec<Diagnostic> {
    // The groups are independent: run them on both cores.
    let run = |f: &(dyn Fn(&mut Vec<Diagnostic>) + Sync)| {
        let mut v = Vec::new();
        f(&mut v);
        v
    };
    let ((refs, cycles), (links, rest)) = rayon::join(
        || {
            rayon::join(
                || run(&|o| references::check(plan, o)),
                || run(&|o| cycles::check(plan, o)),
            )
        },
        || {
            rayon::join(
                || run(&|o| links::check(plan, source, o)),
                || {
                    run(&|o| {
                        status::check(plan, o);
                        capacity::check(plan, o);
                    })
                },
            )
        },
    );
    let mut out = plan.parse_diagnostics.clone();
    for group in [refs, cycles, links, rest] {
        out.extend(group);
    }
    out.retain_mut(|d| match plan.config.level(d.rule) {
        Level::Off => false,
        Level::Warn => {
            d.severity = Severity::Warning;
            true
        }
        Level::Error => {
            d.severity = Severity::Error;
            true
        }
    });
    out.sort_by(|a, b| {
        (&a.file, a.span.line, a.span.column, a.rule).cmp(&(
            &b.file,
            b.span.line,
            b.span.column,
            b.rule,
        ))
    });
    out
}
