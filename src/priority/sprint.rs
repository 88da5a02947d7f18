//! Sprint planning: fill a sprint in rank order, up to capacity, dependencies first.

use crate::config::{Category, Method, Sprint};
use crate::edit::{self, FieldEdit};
use crate::model::{fmt_num, Moscow};
use crate::plan::Plan;
use crate::priority::rank::{self, RankOptions};
use crate::source::Source;
use serde::Serialize;

/// What to plan.
#[derive(Debug, Clone, Default)]
pub struct SprintOptions {
    /// The sprint to fill; `None` picks the next one after `today`.
    pub sprint: Option<String>,
    /// Capacity in points, overriding the config.
    pub capacity: Option<f64>,
    /// Only take stories whose status is `ready`.
    pub require_ready: bool,
    /// Today's date (`YYYY-MM-DD`), to find the next sprint.
    pub today: Option<String>,
    /// Ranking method (default: the configured one).
    pub method: Option<Method>,
    /// Also plan stories whose MoSCoW class (own or inherited) is `wont`; they are skipped
    /// ("won't have this time") by default.
    pub include_wont: bool,
}

/// A story put into the sprint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Planned {
    /// Its id.
    pub id: String,
    /// Its estimate.
    pub estimate: f64,
    /// Its file, relative to the plan root.
    #[serde(skip)]
    pub file: String,
}

/// A story left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// Its id.
    pub id: String,
    /// Why it was not planned.
    pub reason: String,
}

/// The result of `cairn sprint plan`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SprintPlan {
    /// The kind planned (the leaf kind, see [`crate::kinds::leaf`]).
    #[serde(skip)]
    pub kind: String,
    /// The sprint's name.
    pub sprint: String,
    /// Its capacity in points.
    pub capacity: f64,
    /// Points already committed to it before planning.
    pub already_committed: f64,
    /// Stories planned, in rank order.
    pub planned: Vec<Planned>,
    /// Stories considered and left out.
    pub skipped: Vec<Skipped>,
    /// Capacity left after planning.
    pub remaining: f64,
    /// Share of the sprint's points (committed and planned) in Must items.
    pub must_share: Option<f64>,
    /// Warnings, e.g. the DSDM Must limit.
    pub warnings: Vec<String>,
}

/// Why a sprint could not be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SprintError {
    /// The named sprint is not configured.
    #[error("sprint `{name}` is not configured{}", .suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    Unknown {
        /// The name given.
        name: String,
        /// The closest configured name.
        suggestion: Option<String>,
    },
    /// No sprint was named and none lies ahead.
    #[error("no upcoming sprint in cairn.yaml; name one: `cairn sprint plan NAME`")]
    NoneAhead,
    /// Neither the config nor the flag gives a capacity.
    #[error("sprint `{0}` has no capacity in cairn.yaml; pass `--capacity N`")]
    NoCapacity(String),
}

/// The sprint `options` asks for: the named one, or the first that starts after today (or, for
/// sprints without dates, the first with nothing committed).
pub fn target<'a>(plan: &'a Plan, options: &SprintOptions) -> Result<&'a Sprint, SprintError> {
    let sprints = &plan.config.sprints;
    if let Some(name) = &options.sprint {
        return plan
            .config
            .sprint(name)
            .ok_or_else(|| SprintError::Unknown {
                name: name.clone(),
                suggestion: crate::suggest::did_you_mean(
                    name,
                    sprints.iter().map(|s| s.name.as_str()),
                )
                .map(str::to_string),
            });
    }
    let committed = |s: &Sprint| {
        plan.items
            .iter()
            .any(|i| i.sprint.as_ref().is_some_and(|r| r.id == s.name))
    };
    sprints
        .iter()
        .find(|s| match (&s.start, &options.today) {
            (Some(start), Some(today)) => start > today,
            _ => !committed(s),
        })
        .ok_or(SprintError::NoneAhead)
}

/// Fills a sprint in rank order with todo stories whose dependencies are done or planned in this
/// or an earlier sprint, up to capacity.
pub fn plan_sprint(plan: &Plan, options: &SprintOptions) -> Result<SprintPlan, SprintError> {
    let sprint = target(plan, options)?;
    let capacity = options
        .capacity
        .or(sprint.capacity)
        .ok_or_else(|| SprintError::NoCapacity(sprint.name.clone()))?;
    let order = |name: &str| plan.config.sprints.iter().position(|s| s.name == name);
    let target_pos = order(&sprint.name).unwrap_or(usize::MAX);
    let kind = crate::kinds::leaf(plan).name;
    let in_sprint = |i: usize| {
        let it = &plan.items[i];
        it.sprint.as_ref().is_some_and(|s| s.id == sprint.name)
            && it.category != Some(Category::Dropped)
    };
    let committed: Vec<usize> = (0..plan.items.len())
        .filter(|&i| plan.kind_name(&plan.items[i]) == kind && in_sprint(i))
        .collect();
    let already: f64 = committed
        .iter()
        .filter_map(|&i| plan.items[i].estimate)
        .sum::<f64>()
        + 0.0;
    let mut remaining = capacity - already;
    let method = options.method.unwrap_or(plan.config.method);
    let ranked = rank::rank(
        plan,
        method,
        &RankOptions {
            kind: Some(kind.clone()),
            under: None,
            all: false,
        },
    );
    let mut planned: Vec<Planned> = Vec::new();
    let mut planned_idx: Vec<usize> = Vec::new();
    let mut skipped = Vec::new();
    let mut wont: Vec<usize> = Vec::new();
    for r in &ranked {
        let it = &plan.items[r.item];
        if it.category != Some(Category::Todo) || it.sprint.is_some() {
            continue;
        }
        let mut skip = |reason: String| {
            skipped.push(Skipped {
                id: it.id.clone(),
                reason,
            })
        };
        // Won't-have means not this time: the class decides before status, estimate or fit.
        if r.moscow == Some(Moscow::Wont) && !options.include_wont {
            skip(match &r.moscow_from {
                Some(from) => format!("{WONT} (inherited from {from})"),
                None => WONT.to_string(),
            });
            wont.push(r.item);
            continue;
        }
        if options.require_ready && it.status.as_deref() != Some("ready") {
            skip(format!(
                "status is `{}`, not `ready`",
                it.status.as_deref().unwrap_or("?")
            ));
            continue;
        }
        let Some(estimate) = it.estimate else {
            skip("no estimate".into());
            continue;
        };
        let blocking: Vec<String> = it
            .depends_on
            .iter()
            .filter_map(|d| plan.by_id.get(&d.id).map(|&i| (d, i)))
            .filter(|&(_, i)| {
                let dep = &plan.items[i];
                let closed = dep.category.is_some_and(Category::is_closed);
                let earlier = dep
                    .sprint
                    .as_ref()
                    .and_then(|s| order(&s.id))
                    .is_some_and(|p| p <= target_pos);
                !(closed || earlier || planned_idx.contains(&i))
            })
            .map(|(d, i)| {
                let status = plan.items[i].status.as_deref().unwrap_or("?");
                if wont.contains(&i) {
                    format!("{} ({status}, won't have)", d.id)
                } else {
                    format!("{} ({status})", d.id)
                }
            })
            .collect();
        if !blocking.is_empty() {
            skip(format!(
                "depends on {}, not done or planned by this sprint",
                blocking.join(", ")
            ));
            continue;
        }
        if estimate > remaining {
            let points =
                |n: f64| format!("{} point{}", fmt_num(n), if n == 1.0 { "" } else { "s" });
            skip(format!(
                "needs {}, {} left",
                points(estimate),
                fmt_num(remaining.max(0.0))
            ));
            continue;
        }
        remaining -= estimate;
        planned_idx.push(r.item);
        planned.push(Planned {
            id: it.id.clone(),
            estimate,
            file: it.file.clone(),
        });
    }
    let all: Vec<usize> = committed.iter().chain(&planned_idx).copied().collect();
    let must_share = must_share(plan, &all);
    let mut warnings = Vec::new();
    if let Some(share) = must_share.filter(|&s| s > plan.config.must_limit) {
        warnings.push(must_warning(&sprint.name, share, plan.config.must_limit));
    }
    Ok(SprintPlan {
        kind,
        sprint: sprint.name.clone(),
        capacity,
        already_committed: already,
        planned,
        skipped,
        remaining: remaining + 0.0,
        must_share,
        warnings,
    })
}

/// Why the planned stories' files could not be edited.
#[derive(Debug, thiserror::Error)]
#[error("cannot set `sprint` in {file}: {message}")]
pub struct SprintEditError {
    /// The file.
    pub file: String,
    /// Why, part of the message.
    pub message: String,
}

/// The new text of each planned story's file, `sprint:` set to the planned sprint (only that
/// line changes), read from `source`; nothing is written. `sprint plan --write` writes them.
pub fn edits(
    source: &dyn Source,
    config: &crate::config::Config,
    plan: &SprintPlan,
) -> Result<Vec<(String, Vec<u8>)>, SprintEditError> {
    let sprint =
        FieldEdit::new("sprint", Some(plan.sprint.clone())).map_err(|e| SprintEditError {
            file: String::new(),
            message: e.to_string(),
        })?;
    let edits = [sprint];
    plan.planned
        .iter()
        .map(|p| {
            let fail = |message: String| SprintEditError {
                file: p.file.clone(),
                message,
            };
            let bytes = source
                .read(&p.file)
                .map_err(|e| fail(format!("cannot read it: {e}")))?;
            let new = edit::edit_file(&p.file, &bytes, &edits, config)
                .map_err(|e| fail(e.to_string()))?;
            Ok((p.file.clone(), new))
        })
        .collect()
}

/// The reason a Won't story is skipped.
const WONT: &str = "won't have this time";

/// The share of the points of `items` that are Must items (own or inherited class).
pub fn must_share(plan: &Plan, items: &[usize]) -> Option<f64> {
    let total: f64 = items.iter().filter_map(|&i| plan.items[i].estimate).sum();
    let must: f64 = items
        .iter()
        .filter(|&&i| rank::effective_moscow(plan, i).0 == Some(Moscow::Must))
        .filter_map(|&i| plan.items[i].estimate)
        .sum();
    (total > 0.0).then_some(must / total + 0.0) // `+ 0.0`: an empty f64 sum is -0.0
}

/// The DSDM warning text.
pub fn must_warning(sprint: &str, share: f64, limit: f64) -> String {
    format!(
        "{:.0}% of sprint {sprint}'s points are Must items, over the {:.0}% limit: DSDM keeps Musts at or under {:.0}% so that Should and Could work is the contingency",
        share * 100.0,
        limit * 100.0,
        limit * 100.0
    )
}
