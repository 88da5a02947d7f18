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
    let mut out = plan.parse_diagnostics.clone();
    references::check(plan, &mut out);
    cycles::check(plan, &mut out);
    links::check(plan, source, &mut out);
    status::check(plan, &mut out);
    capacity::check(plan, &mut out);
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
