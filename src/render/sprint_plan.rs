//! `sprint plan`: the plan of one sprint as text or JSON.

use crate::model::fmt_num;
use crate::priority::sprint::SprintPlan;
use serde_json::Value;
use std::fmt::Write;

/// `cairn sprint plan --format json` (docs/prioritization.md), `"version": 1` first.
pub fn json(plan: &SprintPlan) -> Value {
    let mut doc = serde_json::Map::new();
    doc.insert("version".into(), 1.into());
    if let Value::Object(fields) = serde_json::to_value(plan).expect("serializable") {
        doc.extend(fields);
    }
    Value::Object(doc)
}

/// `cairn sprint plan`: capacity, what was planned and skipped, and warnings.
pub fn text(r: &SprintPlan, written: bool) -> String {
    let mut out = String::new();
    let planned: f64 = r.planned.iter().map(|p| p.estimate).sum::<f64>() + 0.0;
    let _ = writeln!(
        out,
        "sprint {}: capacity {}, already committed {}, planned {}, remaining {}",
        r.sprint,
        fmt_num(r.capacity),
        fmt_num(r.already_committed),
        fmt_num(planned),
        fmt_num(r.remaining)
    );
    if r.planned.is_empty() && r.skipped.is_empty() {
        let _ = writeln!(
            out,
            "\nnothing to plan: no `{}` item is in a todo status without a sprint",
            r.kind
        );
    } else if r.planned.is_empty() {
        out.push_str("\nnothing to plan\n");
    } else {
        let _ = writeln!(out, "\nplanned{}:", if written { " (written)" } else { "" });
        for p in &r.planned {
            let _ = writeln!(out, "  {:<8} {:>4} pts", p.id, fmt_num(p.estimate));
        }
    }
    if !r.skipped.is_empty() {
        out.push_str("\nskipped:\n");
        for s in &r.skipped {
            let _ = writeln!(out, "  {:<8} {}", s.id, s.reason);
        }
    }
    for w in &r.warnings {
        let _ = writeln!(out, "\nwarning: {w}");
    }
    if !written && !r.planned.is_empty() {
        out.push_str("\nrun again with --write to set `sprint:` in these files\n");
    }
    out
}
