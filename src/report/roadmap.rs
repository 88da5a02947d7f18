//! The roadmap: goals by horizon (Now / Next / Later, then by quarter), each with priority, owner,
//! key results and progress rolled up from its stories; the sprints as a Gantt chart.

use super::common::{goal_row, goals_in_order, sprint_rows};
use super::ReportOptions;
use crate::config::Category;
use crate::plan::Plan;
use crate::timefmt;
use serde_json::{json, Value};

/// Stories shown per sprint in the Gantt chart; Mermaid refuses very large diagrams.
const GANTT_STORIES_PER_SPRINT: usize = 12;

/// The group a horizon falls in: `now`, `next`, `later`, a quarter (`2027-Q2`; months fold into
/// their quarter), or `unscheduled`.
fn group_of(horizon: Option<&str>) -> String {
    match horizon {
        Some(h @ ("now" | "next" | "later")) => h.to_string(),
        Some(h) if h.len() == 7 && h.as_bytes()[4] == b'-' && h.as_bytes()[5] == b'Q' => {
            h.to_string()
        }
        Some(h) if h.len() == 7 => {
            let month: u32 = h[5..].parse().unwrap_or(1);
            format!("{}-Q{}", &h[..4], (month - 1) / 3 + 1)
        }
        _ => "unscheduled".to_string(),
    }
}

fn title_of(key: &str) -> String {
    match key {
        "now" => "Now".into(),
        "next" => "Next".into(),
        "later" => "Later".into(),
        "unscheduled" => "Unscheduled".into(),
        q => q.to_string(),
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
fn day_number(date: &str) -> Option<i64> {
    timefmt::parse_date(date).map(|t| t.div_euclid(86_400))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A shared day axis for drawing the sprints as a timeline: sets `offset_days` and `length_days`
/// on each dated sprint and returns the axis (first day, length, ticks on the first of each month
/// (each year past two years), today); null when no sprint has both dates.
fn timeline(sprints: &mut [Value], today: &str) -> Value {
    let span = |s: &Value| {
        let (a, b) = (s["start"].as_str()?, s["end"].as_str()?);
        Some((day_number(a)?, day_number(b)?, a.to_string(), b.to_string())).filter(|t| t.1 >= t.0)
    };
    let spans: Vec<_> = sprints.iter().map(span).collect();
    let (Some(first), Some(last)) = (
        spans.iter().flatten().min_by_key(|t| t.0).cloned(),
        spans.iter().flatten().max_by_key(|t| t.1).cloned(),
    ) else {
        return Value::Null;
    };
    for (s, sp) in sprints.iter_mut().zip(&spans) {
        s["offset_days"] = sp.as_ref().map(|t| t.0 - first.0).into();
        s["length_days"] = sp.as_ref().map(|t| t.1 - t.0 + 1).into();
    }
    let days = last.1 - first.0 + 1;
    let (mut y, mut m, _) = timefmt::civil(first.0);
    let mut ticks = Vec::new();
    loop {
        if days > 731 || m == 12 {
            (y, m) = (y + 1, 1);
        } else {
            m += 1;
        }
        let day = timefmt::days_from_civil(y, m, 1);
        if day > last.1 {
            break;
        }
        let name = MONTHS[(m - 1) as usize % 12];
        let label = if m == 1 {
            format!("{name} {y}")
        } else {
            name.to_string()
        };
        ticks.push(
            json!({ "label": label, "date": format!("{y:04}-{m:02}-01"), "offset": day - first.0 }),
        );
    }
    let today = day_number(today)
        .map(|d| d - first.0)
        .filter(|d| (0..days).contains(d));
    json!({ "start": first.2, "end": last.3, "days": days, "today_offset": today, "ticks": ticks })
}

pub(super) fn context(plan: &Plan, options: &ReportOptions) -> Value {
    // Each open goal's 85 % date at the current pace, when git history shows one.
    let forecast = options.history.as_ref().and_then(|h| {
        let from = timefmt::parse_date(&options.today)?.div_euclid(86_400);
        crate::history::forecast::goal_dates(plan, h, from)
    });
    let of = |id: &str| {
        forecast
            .as_ref()
            .and_then(|(_, goals)| goals.iter().find(|g| g.id == id))
    };
    let goals: Vec<Value> = goals_in_order(plan)
        .into_iter()
        .filter(|&(i, _, _)| plan.items[i].category != Some(Category::Dropped))
        .map(|(i, rank, score)| {
            let mut row = goal_row(plan, i, rank, score);
            // `forecast_remaining` tells an open goal beyond 10 years (a count, no date) from one
            // with nothing left or no pace to forecast from (both null).
            let goal = of(&plan.items[i].id);
            row["forecast_p85"] = goal.and_then(|g| g.dates.p85.clone()).into();
            row["forecast_remaining"] = goal.map(|g| g.remaining).into();
            row
        })
        .collect();
    let mut keys: Vec<String> = goals
        .iter()
        .map(|g| group_of(g["horizon"].as_str()))
        .collect();
    let order = |k: &String| match k.as_str() {
        "now" => (0, String::new()),
        "next" => (1, String::new()),
        "later" => (2, String::new()),
        "unscheduled" => (4, String::new()),
        q => (3, q.to_string()),
    };
    keys.sort_by_key(order);
    keys.dedup();
    let groups: Vec<Value> = keys
        .iter()
        .map(|k| {
            json!({
                "key": k,
                "title": title_of(k),
                "goals": goals.iter().filter(|g| &group_of(g["horizon"].as_str()) == k).cloned().collect::<Vec<_>>(),
            })
        })
        .collect();
    let units: Vec<&str> = goals
        .iter()
        .filter_map(|g| g["progress"]["unit"].as_str())
        .collect();
    let basis = if units.is_empty() {
        "none"
    } else if units.iter().all(|u| *u == "points") {
        "points"
    } else if units.iter().all(|u| *u == "items") {
        "items"
    } else {
        "mixed"
    };
    let mut sprints: Vec<Value> = sprint_rows(plan);
    let mut truncated = false;
    for s in &mut sprints {
        let stories = s["stories"].as_array().map_or(0, Vec::len);
        let shown: Vec<Value> = s["stories"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .take(GANTT_STORIES_PER_SPRINT)
            .collect();
        truncated |= stories > shown.len();
        s["gantt_stories"] = Value::Array(shown);
        s["gantt_hidden"] = (stories.saturating_sub(GANTT_STORIES_PER_SPRINT)).into();
    }
    let timeline = timeline(&mut sprints, &options.today);
    json!({
        "goal_count": goals.len(),
        "progress_basis": basis,
        "groups": groups,
        "goals": goals,
        "sprints": sprints,
        "gantt": plan.config.sprints.iter().any(|s| s.start.is_some() && s.end.is_some()),
        "gantt_truncated": truncated,
        "timeline": timeline,
        "forecast": forecast.map(|(window, _)| json!({
            "from": options.today,
            "since": window.since,
            "until": window.until,
            "done": window.done,
            "per_day": window.per_day,
        })),
    })
}
