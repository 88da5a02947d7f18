//! `cairn forecast`'s terminal output: a sentence on the pace, then the answers as tables.

use crate::history::forecast::{count_of, Dates, Forecast};
use crate::model::fmt_num;
use crate::render::table;

/// Which parts of a forecast to show.
#[derive(Debug, Clone, Copy)]
pub struct Show {
    /// The goals table.
    pub goals: bool,
    /// The stories table (the cut line).
    pub stories: bool,
}

const LATE: &str = "not within 10 years";

fn d(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| LATE.to_string())
}

fn row(d4: &Dates) -> [String; 4] {
    [d(&d4.p50), d(&d4.p70), d(&d4.p85), d(&d4.p95)]
}

/// `5 more stories`, `1 more story`.
fn more(n: usize, kind: &str) -> String {
    count_of(n, kind).replacen(' ', " more ", 1)
}

/// The plain-text rendering.
pub fn render(f: &Forecast, show: Show) -> String {
    let mut out = String::new();
    let w = &f.window;
    if w.done > 0 {
        out.push_str(&format!(
            "Forecast from {} at the pace of {} → {} ({} days, {} done{}, {} a day); {} trials, seed {}\n",
            f.from,
            w.since.as_deref().unwrap_or("?"),
            w.until.as_deref().unwrap_or("?"),
            w.days,
            count_of(w.done, &f.kind),
            w.points
                .map(|p| format!(", {} points", fmt_num(p)))
                .unwrap_or_default(),
            fmt_num(w.per_day),
            f.trials,
            f.seed,
        ));
    } else {
        out.push_str(&format!(
            "No forecast for {}: there is no pace to forecast from.\n",
            count_of(f.stories.len(), &f.kind).replacen(' ', " open ", 1)
        ));
    }
    for n in &f.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    if w.done == 0 {
        return out;
    }
    if let Some(when) = &f.when {
        out.push('\n');
        out.push_str(&match &when.dates.p85 {
            Some(p85) => format!("{}: 85 % chance by {p85}\n", more(when.items, &f.kind)),
            None => format!("{}: {LATE} at 85 %\n", more(when.items, &f.kind)),
        });
        out.push_str(&table::render(
            &["50 %", "70 %", "85 %", "95 %"],
            &[row(&when.dates).to_vec()],
        ));
    }
    if let Some(h) = &f.how_many {
        out.push('\n');
        out.push_str(&format!(
            "By {}: 85 % chance of {} or more (50 %: {}, 70 %: {}, 95 %: {})\n",
            h.by,
            count_of(h.p85, &f.kind),
            h.p50,
            h.p70,
            h.p95
        ));
    }
    let open: Vec<_> = f.goals.iter().filter(|g| g.remaining > 0).collect();
    if show.goals && open.is_empty() {
        out.push('\n');
        out.push_str(&if f.stories.is_empty() {
            format!("Nothing to forecast: no {} is open.\n", f.kind)
        } else {
            format!(
                "No open goal has {} to forecast. For the {}: `--items N` says when N more will be done, `--by DATE` how many by then.\n",
                crate::history::forecast::plural_of(&f.kind),
                count_of(f.stories.len(), &f.kind).replacen(' ', " open ", 1)
            )
        });
    }
    if show.goals && !open.is_empty() {
        out.push('\n');
        let rows: Vec<Vec<String>> = open
            .iter()
            .map(|g| {
                let mut r = vec![g.id.clone(), g.title.clone(), g.remaining.to_string()];
                r.extend(row(&g.dates));
                r
            })
            .collect();
        out.push_str(&table::render(
            &["goal", "title", "remaining", "50 %", "70 %", "85 %", "95 %"],
            &rows,
        ));
    }
    let finished: Vec<&str> = f
        .goals
        .iter()
        .filter(|g| g.remaining == 0)
        .map(|g| g.id.as_str())
        .collect();
    if show.goals && !finished.is_empty() {
        out.push_str(&format!(
            "{}nothing left to forecast: {}\n",
            if open.is_empty() { "" } else { "\n" },
            finished.join(", ")
        ));
    }
    if show.stories && !f.stories.is_empty() {
        out.push('\n');
        let by = f.how_many.as_ref().map(|h| format!("by {}", h.by));
        let mut header = vec!["rank", "id", "title", "50 %", "85 %"];
        if let Some(by) = &by {
            header.push(by);
        }
        let rows: Vec<Vec<String>> = f
            .stories
            .iter()
            .map(|s| {
                let mut r = vec![
                    s.rank.to_string(),
                    s.id.clone(),
                    s.title.clone(),
                    d(&s.dates.p50),
                    d(&s.dates.p85),
                ];
                if let Some(p) = s.probability_by {
                    r.push(format!("{}%", (p * 100.0).round()));
                }
                r
            })
            .collect();
        out.push_str(&table::render(&header, &rows));
    }
    if !f.excluded.is_empty() {
        out.push('\n');
        let ids: Vec<String> = f
            .excluded
            .iter()
            .map(|e| format!("{} ({})", e.id, e.reason))
            .collect();
        out.push_str(&format!("left out: {}\n", ids.join(", ")));
    }
    out
}
