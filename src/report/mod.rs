//! Reports: each builds one serializable context from the plan; templates turn it into Markdown
//! or HTML, and the same context is the JSON output (`--format json`, `--context`).

mod alignment;
mod backlog;
pub(crate) mod common;
pub mod metrics;
mod roadmap;
mod sprint;
pub mod template;

use crate::plan::Plan;
use serde_json::Value;

/// The reports cairn knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// Goals by horizon with progress.
    Roadmap,
    /// The ranked stories.
    Backlog,
    /// One sprint: committed vs capacity, stories, risks.
    Sprint(Option<String>),
    /// The PM–PO check-in.
    Alignment,
    /// Flow metrics from the git history.
    Metrics,
    /// Monte Carlo forecast from the git history.
    Forecast,
}

impl Report {
    /// Every report name.
    pub const NAMES: [&'static str; 6] = [
        "roadmap",
        "backlog",
        "sprint",
        "alignment",
        "metrics",
        "forecast",
    ];

    /// The report's name (`roadmap`).
    pub fn name(&self) -> &'static str {
        match self {
            Report::Roadmap => "roadmap",
            Report::Backlog => "backlog",
            Report::Sprint(_) => "sprint",
            Report::Alignment => "alignment",
            Report::Metrics => "metrics",
            Report::Forecast => "forecast",
        }
    }
}

/// What a report needs besides the plan.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Today's date, `YYYY-MM-DD`: which sprint is current.
    pub today: String,
    /// Where the plan was read from (`work tree`, `index`, a revision).
    pub source: String,
    /// For `metrics`: the walked history.
    pub history: Option<crate::history::History>,
    /// For `metrics`: only this goal's items.
    pub goal: Option<String>,
    /// For `metrics`: the time work-item ages are measured at (seconds since the epoch).
    pub now: i64,
    /// For `forecast`: what to forecast (default: from today, every default).
    pub forecast: Option<crate::history::forecast::Options>,
}

/// Why a report could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The sprint report names an unknown sprint.
    #[error(transparent)]
    Sprint(#[from] crate::priority::sprint::SprintError),
    /// A template failed to render.
    #[error("template {name}: {message}")]
    Template {
        /// The template's name or file.
        name: String,
        /// What went wrong, with line when known.
        message: String,
    },
    /// The forecast could not be made.
    #[error(transparent)]
    Forecast(#[from] crate::history::forecast::ForecastError),
    /// The report has no such output format.
    #[error("the {report} report has no {format} output")]
    Format {
        /// Report name.
        report: String,
        /// Format asked for.
        format: String,
    },
}

/// The report's whole context: exactly the data the templates see.
pub fn context(
    plan: &Plan,
    report: &Report,
    options: &ReportOptions,
) -> Result<Value, ReportError> {
    let ctx = match report {
        Report::Roadmap => roadmap::context(plan, options),
        Report::Backlog => backlog::context(plan),
        Report::Sprint(name) => sprint::context(plan, name.as_deref(), options)?,
        Report::Alignment => alignment::context(plan, options),
        Report::Metrics => {
            let empty = crate::history::History::default();
            let history = options.history.as_ref().unwrap_or(&empty);
            metrics::context(plan, history, options.goal.as_deref(), options.now)
        }
        Report::Forecast => {
            use crate::history::forecast;
            let empty = crate::history::History::default();
            let history = options.history.as_ref().unwrap_or(&empty);
            let opts = options
                .forecast
                .clone()
                .unwrap_or_else(|| forecast::Options::new(options.now.div_euclid(86_400)));
            serde_json::to_value(forecast::forecast(plan, history, &opts)?)
                .expect("a forecast serializes")
        }
    };
    Ok(with_header(plan, report, options, ctx))
}

/// A report's context with the fields every report has first (`version`, `report`, `source`,
/// `today`, `method`), for a context built elsewhere (`cairn forecast` builds its own).
pub fn with_header(plan: &Plan, report: &Report, options: &ReportOptions, mut ctx: Value) -> Value {
    let obj = ctx.as_object_mut().expect("contexts are objects");
    let mut out = serde_json::Map::new();
    out.insert("version".into(), 1.into());
    out.insert("report".into(), report.name().into());
    out.insert("source".into(), options.source.clone().into());
    out.insert("today".into(), options.today.clone().into());
    out.insert("method".into(), plan.config.method.as_str().into());
    out.insert("leaf_kind".into(), crate::kinds::leaf(plan).name.into());
    out.insert("root_kind".into(), crate::kinds::root(plan).name.into());
    for (k, v) in std::mem::take(obj) {
        out.insert(k, v);
    }
    Value::Object(out)
}

/// The elements of a JSON array (none for anything else).
fn list(v: &Value) -> Vec<&Value> {
    v.as_array().map(|a| a.iter().collect()).unwrap_or_default()
}

/// One row per item for spreadsheets (RFC 4180 CSV; text cells neutralised unless
/// `options.raw`, see [`crate::render::csv`]).
pub fn csv(report: &Report, ctx: &Value, options: crate::render::csv::Options) -> String {
    use crate::render::csv::{header, record, Cell};
    let cell = |v: &Value| -> Cell<'static> {
        match v {
            Value::Null => Cell::Number(String::new()),
            Value::String(s) => Cell::text(s.clone()),
            // Whole numbers as `list --format csv` writes them (`5`, not `5.0`); others in full.
            Value::Number(n) => Cell::Number(match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
                _ => n.to_string(),
            }),
            Value::Array(a) => Cell::list(
                &a.iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect::<Vec<_>>(),
            ),
            other => Cell::text(other.to_string()),
        }
    };
    let (rows, columns): (Vec<&Value>, &[&str]) = match report {
        Report::Roadmap => (
            list(&ctx["goals"]),
            &[
                "rank",
                "id",
                "title",
                "status",
                "horizon",
                "moscow",
                "score",
                "owner",
                "progress",
                "progress_unit",
                "stories",
            ],
        ),
        Report::Backlog => (
            list(&ctx["stories"]),
            &[
                "rank", "id", "title", "goal", "status", "estimate", "sprint", "moscow", "score",
            ],
        ),
        Report::Sprint(_) => (
            list(&ctx["stories"]),
            &[
                "id", "title", "goal", "status", "category", "estimate", "moscow", "at_risk",
            ],
        ),
        // Every planned point in a row: the open goals, then closed goals and "no goal".
        Report::Alignment => (
            list(&ctx["goals"])
                .into_iter()
                .chain(list(&ctx["unprioritised"]))
                .collect(),
            &[
                "priority",
                "id",
                "title",
                "moscow",
                "score",
                "points",
                "share",
                "stories_planned",
                "percent",
                "status",
            ],
        ),
        Report::Metrics => (
            list(&ctx["items"]),
            &[
                "id",
                "title",
                "category",
                "goal",
                "cycle_time_days",
                "lead_time_days",
                "age_days",
            ],
        ),
        // Goals, then stories in rank order; `type` tells them apart.
        Report::Forecast => (
            list(&ctx["goals"])
                .into_iter()
                .chain(list(&ctx["stories"]))
                .collect(),
            &[
                "type",
                "id",
                "title",
                "rank",
                "goal",
                "remaining",
                "p50",
                "p70",
                "p85",
                "p95",
                "probability_by",
            ],
        ),
    };
    let mut out = header(columns);
    for row in rows {
        let fields: Vec<Cell> = columns
            .iter()
            .map(|c| match (*c, &row[*c]) {
                ("progress", Value::Object(p)) => cell(p.get("ratio").unwrap_or(&Value::Null)),
                ("progress_unit", _) => cell(&row["progress"]["unit"]),
                ("stories", Value::Object(s)) => cell(s.get("total").unwrap_or(&Value::Null)),
                ("at_risk", v) => cell(v),
                ("type", _) => Cell::text(if row.get("remaining").is_some() {
                    "goal".to_string()
                } else {
                    "story".to_string()
                }),
                (_, v) => cell(v),
            })
            .collect();
        out.push_str(&record(&fields, options));
    }
    out
}
