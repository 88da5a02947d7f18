//! `rank`: the ranked list as a table, Markdown or JSON, and why each item sits where it does.

use crate::config::Method;
use crate::model::fmt_num;
use crate::plan::Plan;
use crate::priority::rank::Ranked;
use crate::render::table;
use serde_json::{json, Value};

/// Why an item sits where it does, as short clauses.
pub fn reasons(r: &Ranked, method: Method) -> Vec<String> {
    let mut out = Vec::new();
    match &r.score {
        Ok(s) => out.push(s.arithmetic.clone()),
        // Under MoSCoW nothing has a score; saying so on every line is noise.
        Err(_) if method == Method::Moscow => {}
        Err(why) => out.push(format!("unscored: {why}")),
    }
    if let Some(from) = &r.moscow_from {
        out.push(format!("MoSCoW inherited from {from}"));
    }
    if let Some(by) = &r.pulled_up_by {
        out.push(format!("pulled up by {by}"));
    }
    out
}

/// `cairn rank`: a table; with `explain`, each row is followed by its reasons.
pub fn table(
    plan: &Plan,
    method: Method,
    ranked: &[Ranked],
    explain: bool,
    kind: &str,
    all: bool,
) -> String {
    if ranked.is_empty() {
        let open = if all { "" } else { "open " };
        return format!("no {open}`{kind}` items to rank\n");
    }
    let rows: Vec<Vec<String>> = ranked
        .iter()
        .map(|r| {
            let it = &plan.items[r.item];
            vec![
                r.rank.to_string(),
                it.id.clone(),
                r.moscow
                    .map(|m| m.to_string())
                    .unwrap_or_else(|| "-".into()),
                r.score
                    .as_ref()
                    .map(|s| fmt_num(s.value))
                    .unwrap_or_else(|_| "-".into()),
                it.title.clone(),
            ]
        })
        .collect();
    let text = table::render(&["RANK", "ID", "MOSCOW", "SCORE", "TITLE"], &rows);
    if !explain {
        return text;
    }
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap_or_default());
    for (line, r) in lines.zip(ranked) {
        out.push_str(line);
        out.push('\n');
        for reason in reasons(r, method) {
            out.push_str(&format!("      {reason}\n"));
        }
    }
    out
}

/// `cairn rank --format md`: a Markdown table, with a `why` column when `explain`.
pub fn markdown(plan: &Plan, method: Method, ranked: &[Ranked], explain: bool) -> String {
    let mut out = format!(
        "| rank | id | title | MoSCoW | {} |",
        method.as_str().to_uppercase()
    );
    out.push_str(if explain {
        " why |\n|---:|---|---|---|---:|---|\n"
    } else {
        "\n|---:|---|---|---|---:|\n"
    });
    let cell = |s: &str| s.replace('|', "\\|");
    for r in ranked {
        let it = &plan.items[r.item];
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |",
            r.rank,
            it.id,
            cell(&it.title),
            r.moscow.map(|m| m.to_string()).unwrap_or_default(),
            r.score
                .as_ref()
                .map(|s| fmt_num(s.value))
                .unwrap_or_else(|_| "–".into())
        ));
        if explain {
            out.push_str(&format!(" {} |", cell(&reasons(r, method).join("; "))));
        }
        out.push('\n');
    }
    out
}

/// `cairn rank --format json` (docs/prioritization.md).
pub fn json(plan: &Plan, method: Method, ranked: &[Ranked]) -> Value {
    let items: Vec<_> = ranked
        .iter()
        .map(|r| {
            let it = &plan.items[r.item];
            json!({
                "rank": r.rank,
                "id": it.id,
                "title": it.title,
                "kind": plan.kind_name(it),
                "moscow": r.moscow.map(|m| m.as_str()),
                "moscow_inherited_from": r.moscow_from,
                "score": r.score.as_ref().ok().map(|s| s.value),
                "inputs": r.score.as_ref().map(|s| json!(s.inputs)).unwrap_or_else(|_| json!({})),
                "arithmetic": r.score.as_ref().ok().map(|s| s.arithmetic.clone()),
                "unscored_reason": r.score.as_ref().err(),
                "pulled_up_by": r.pulled_up_by,
            })
        })
        .collect();
    json!({ "version": 1, "method": method.as_str(), "items": items })
}
