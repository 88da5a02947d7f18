//! Monte Carlo forecasts from the plan's own history: when each open goal's remaining stories will
//! be done, when N more stories will be, and how many will be by a date.
//!
//! Throughput is sampled from the days of a window ([`throughput`]); each trial finishes stories
//! in `cairn rank` order at a pace drawn from those days ([`simulate`]). A goal is done in a trial
//! when its last remaining story is (the "cut line"). The method is in docs/forecast.md.

pub mod simulate;
pub mod throughput;

use crate::config::Category;
use crate::history::History;
use crate::model::Moscow;
use crate::plan::Plan;
use crate::priority::rank::{self, RankOptions};
use crate::timefmt::date;
use serde::Serialize;
use simulate::Outcome;
use std::collections::HashMap;

const DAY: i64 = 86_400;

/// The seed used when none is given: fixed, so a report built in CI does not change from one run
/// to the next while the plan and its history stay the same.
pub const DEFAULT_SEED: u64 = 1;
/// Trials run when no number is given.
pub const DEFAULT_TRIALS: usize = 10_000;
/// Days sampled before `--from` when no window is given (twelve weeks).
pub const DEFAULT_WINDOW_DAYS: i64 = 84;

/// What to forecast.
#[derive(Debug, Clone)]
pub struct Options {
    /// Kind of the stories (default: the plan's leaf kind).
    pub kind: Option<String>,
    /// Only this goal (any ancestor item) and its stories are reported; the whole backlog is still
    /// simulated, since the team works through it in rank order.
    pub goal: Option<String>,
    /// Number of trials.
    pub trials: usize,
    /// Generator seed.
    pub seed: u64,
    /// The first simulated day (days since 1970-01-01).
    pub from: i64,
    /// First day of the sampling window (default: 84 days before `from`).
    pub since: Option<i64>,
    /// Last day of the sampling window (default: the day before `from`).
    pub until: Option<i64>,
    /// Sample story points instead of story counts.
    pub points: bool,
    /// When will this many more stories be done?
    pub items: Option<usize>,
    /// How many stories will be done by the end of this day?
    pub by: Option<i64>,
    /// Forecast stories whose MoSCoW class is `wont` too (left out by default).
    pub include_wont: bool,
}

impl Options {
    /// The defaults for a forecast starting on day `from`.
    pub fn new(from: i64) -> Options {
        Options {
            kind: None,
            goal: None,
            trials: DEFAULT_TRIALS,
            seed: DEFAULT_SEED,
            from,
            since: None,
            until: None,
            points: false,
            items: None,
            by: None,
            include_wont: false,
        }
    }
}

/// Why no forecast could be made at all.
#[derive(Debug, thiserror::Error)]
pub enum ForecastError {
    /// `--kind` names no configured kind.
    #[error("no kind `{0}` in the config")]
    UnknownKind(String),
    /// `--goal` names no item.
    #[error(transparent)]
    UnknownGoal(#[from] crate::plan::UnknownItem),
    /// A date or count out of range.
    #[error("{0}")]
    Invalid(String),
}

/// The sampling window as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowReport {
    /// First day, `YYYY-MM-DD` (null when the window is empty).
    pub since: Option<String>,
    /// Last day.
    pub until: Option<String>,
    /// Days in the window.
    pub days: usize,
    /// Stories of the kind done in it.
    pub done: usize,
    /// Points done in it (with `--points`).
    pub points: Option<f64>,
    /// Stories per day, on average.
    pub per_day: f64,
}

/// Dates by which something is done at each confidence level (null: not within 10 years).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Dates {
    /// 50 % of trials are done by this date.
    pub p50: Option<String>,
    /// 70 %.
    pub p70: Option<String>,
    /// 85 %.
    pub p85: Option<String>,
    /// 95 %.
    pub p95: Option<String>,
}

/// One open goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalForecast {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Remaining stories under it in the forecast.
    pub remaining: usize,
    /// Its last remaining story, in rank order.
    pub last: Option<String>,
    /// When its last remaining story is done.
    #[serde(flatten)]
    pub dates: Dates,
}

/// One ranked open story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryForecast {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its position in `cairn rank`.
    pub rank: usize,
    /// Its goal (the nearest ancestor of the root kind), if any.
    pub goal: Option<String>,
    /// Its status.
    pub status: Option<String>,
    /// Its estimate.
    pub estimate: Option<f64>,
    /// When it is done.
    #[serde(flatten)]
    pub dates: Dates,
    /// With `--by`: the share of trials in which it is done by then (0–1).
    pub probability_by: Option<f64>,
}

/// `--items N`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct When {
    /// N.
    pub items: usize,
    /// When N more stories are done.
    #[serde(flatten)]
    pub dates: Dates,
}

/// `--by DATE`: stories done by the end of that day, reached in at least p % of trials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HowMany {
    /// The date.
    pub by: String,
    /// 50 %.
    pub p50: usize,
    /// 70 %.
    pub p70: usize,
    /// 85 %.
    pub p85: usize,
    /// 95 %.
    pub p95: usize,
}

/// A story left out of the forecast, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excluded {
    /// Its id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// One bar of the completion-date histogram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    /// First day of the bar.
    pub start: String,
    /// Last day of the bar.
    pub end: String,
    /// Trials that finished in it.
    pub trials: usize,
    /// Their share of all trials (0–1).
    pub share: f64,
    /// Share of trials finished by the bar's last day (0–1).
    pub cumulative: f64,
}

/// When the histogram's target was reached across trials.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histogram {
    /// What the histogram is of (`the last of 12 stories of G-1`).
    pub of: String,
    /// Days per bar (1, 7 or 28).
    pub bucket_days: usize,
    /// The bars, oldest first.
    pub buckets: Vec<Bucket>,
    /// Trials not done by the last bar's end.
    pub later: usize,
}

/// A whole forecast: the `--format json` document and the `forecast` report's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Format version.
    pub version: u32,
    /// Kind of the stories.
    pub kind: String,
    /// First simulated day.
    pub from: String,
    /// Trials run.
    pub trials: usize,
    /// Seed used.
    pub seed: u64,
    /// `stories` or `points`.
    pub unit: &'static str,
    /// The sampling window.
    pub window: WindowReport,
    /// Open goals, in PM priority order.
    pub goals: Vec<GoalForecast>,
    /// Open stories in rank order.
    pub stories: Vec<StoryForecast>,
    /// `--items`.
    pub when: Option<When>,
    /// `--by`.
    pub how_many: Option<HowMany>,
    /// Open stories left out.
    pub excluded: Vec<Excluded>,
    /// Plain-language warnings: thin history, assumed estimates.
    pub notes: Vec<String>,
    /// Completion dates of the histogram's target across trials.
    pub histogram: Option<Histogram>,
}

/// The median of the estimates of the kind's items that have one (1 when none has).
fn typical_estimate(plan: &Plan, kind: &str) -> f64 {
    let mut e: Vec<f64> = plan
        .items
        .iter()
        .filter(|i| plan.kind_name(i) == kind)
        .filter_map(|i| i.estimate)
        .filter(|e| *e > 0.0)
        .collect();
    if e.is_empty() {
        return 1.0;
    }
    e.sort_by(f64::total_cmp);
    crate::report::metrics::percentile(&e, 0.5).unwrap_or(1.0)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Builds the forecast of `plan` from its `history`.
pub fn forecast(
    plan: &Plan,
    history: &History,
    options: &Options,
) -> Result<Forecast, ForecastError> {
    let kind_name = match &options.kind {
        Some(k) if plan.config.kind(k).is_none() => {
            return Err(ForecastError::UnknownKind(k.clone()))
        }
        Some(k) => k.clone(),
        None => crate::kinds::leaf(plan).name,
    };
    let kind = plan
        .config
        .kinds
        .iter()
        .position(|k| k.name == kind_name)
        .expect("a configured kind");
    let goal = match &options.goal {
        Some(g) => Some(
            plan.by_id
                .get(g)
                .copied()
                .ok_or_else(|| plan.unknown_item(g))?,
        ),
        None => None,
    };
    if options.trials == 0 {
        return Err(ForecastError::Invalid("--trials must be at least 1".into()));
    }
    if options.items == Some(0) {
        return Err(ForecastError::Invalid("--items must be at least 1".into()));
    }
    if let Some(by) = options.by {
        if by < options.from {
            return Err(ForecastError::Invalid(format!(
                "--by {} is before the first simulated day {}",
                date(by * DAY),
                date(options.from * DAY)
            )));
        }
    }
    let mut notes = Vec::new();
    let typical = typical_estimate(plan, &kind_name);

    // The window: the 84 days before `from` by default, never before the plan's first commit.
    let until = options.until.unwrap_or(options.from - 1);
    let mut since = options.since.unwrap_or(options.from - DEFAULT_WINDOW_DAYS);
    match throughput::first_day(history) {
        Some(first) if first > since => {
            if options.since.is_some() {
                notes.push(format!(
                    "the window starts on {}, the plan's first commit, not {}",
                    date(first * DAY),
                    date(since * DAY)
                ));
            }
            since = first;
        }
        None => {
            notes.push("the plan has no git history yet: there is no pace to forecast from".into());
            since = until + 1;
        }
        _ => {}
    }
    let window = throughput::window(history, kind, since, until.max(since - 1), typical);
    let days = window.days();
    if days > 0 && days < 14 {
        notes.push(format!(
            "the window has only {}: the pace it shows may not last",
            plural(days, "day", "days")
        ));
    }
    if days > 0 && window.done == 0 {
        notes.push(format!(
            "no {kind_name} was done from {} to {}: there is no pace to forecast from",
            date(since * DAY),
            date(until * DAY)
        ));
    } else if window.done > 0 && window.done < 5 {
        notes.push(format!(
            "only {} done in the window: the forecast is very uncertain",
            plural(
                window.done,
                kind_name.as_str(),
                &format!("{kind_name} items")
            )
        ));
    }
    if history.shallow {
        notes.push("the repository is shallow: history may start later than the plan did".into());
    }
    if let Some(skipped) = history.skipped_note() {
        notes.push(format!("{skipped}: the pace is measured on the rest"));
    }

    // The stories, in rank order.
    let root = crate::kinds::root(plan).name;
    let ranked = rank::rank(
        plan,
        plan.config.method,
        &RankOptions {
            kind: Some(kind_name.clone()),
            under: None,
            all: false,
        },
    );
    let mut excluded = Vec::new();
    let mut order = Vec::new();
    for r in ranked {
        if r.moscow == Some(Moscow::Wont) && !options.include_wont {
            let reason = match &r.moscow_from {
                Some(from) => format!("won't have this time (inherited from {from})"),
                None => "won't have this time".to_string(),
            };
            excluded.push(Excluded {
                id: plan.items[r.item].id.clone(),
                reason,
            });
        } else {
            order.push(r);
        }
    }
    let weight = |i: usize| -> f64 {
        if options.points {
            plan.items[i].estimate.unwrap_or(typical)
        } else {
            1.0
        }
    };
    if options.points {
        let assumed = order
            .iter()
            .filter(|r| plan.items[r.item].estimate.is_none())
            .count()
            + window.unestimated;
        if assumed > 0 {
            notes.push(format!(
                "{} without an estimate {} as {} points, the median estimate",
                plural(assumed, kind_name.as_str(), &format!("{kind_name} items")),
                if assumed == 1 { "counts" } else { "count" },
                crate::model::fmt_num(typical)
            ));
        }
    }
    let mut cum = Vec::with_capacity(order.len());
    let mut total = 0.0;
    for r in &order {
        total += weight(r.item);
        cum.push(total);
    }
    let goal_of = |i: usize| -> Option<usize> {
        let ancestors = plan.ancestors(i);
        ancestors
            .iter()
            .copied()
            .find(|&a| plan.kind_name(&plan.items[a]) == root)
            .or(ancestors.last().copied())
    };
    let in_scope = |i: usize| goal.is_none_or(|g| plan.ancestors(i).contains(&g));
    let when_needed = options.items.map(|n| {
        if options.points {
            match cum.get(n - 1) {
                Some(&c) => c,
                None => total + (n - cum.len()) as f64 * typical,
            }
        } else {
            n as f64
        }
    });
    let scoped_last = order
        .iter()
        .enumerate()
        .filter(|(_, r)| in_scope(r.item))
        .map(|(k, _)| k)
        .last();
    let target = scoped_last
        .map(|k| cum[k])
        .unwrap_or(0.0)
        .max(when_needed.unwrap_or(0.0));
    let keep_day = options.by.map(|by| (by - options.from + 1) as usize);
    let histogram_target = when_needed.or(scoped_last.map(|k| cum[k]));
    let samples = if options.points {
        &window.points
    } else {
        &window.stories
    };
    let outcome = simulate::run(&simulate::Input {
        samples,
        target,
        keep_day,
        track: histogram_target,
        trials: options.trials,
        seed: options.seed,
    });
    let day_date = |d: usize| date((options.from + d as i64 - 1) * DAY);
    let dates = |needed: f64| -> Dates {
        let at = |l: usize| outcome.day(l, needed).map(day_date);
        Dates {
            p50: at(0),
            p70: at(1),
            p85: at(2),
            p95: at(3),
        }
    };

    let stories: Vec<StoryForecast> = order
        .iter()
        .enumerate()
        .filter(|(_, r)| in_scope(r.item))
        .map(|(k, r)| {
            let item = &plan.items[r.item];
            StoryForecast {
                id: item.id.clone(),
                title: item.title.clone(),
                rank: r.rank,
                goal: goal_of(r.item).map(|g| plan.items[g].id.clone()),
                status: item.status.clone(),
                estimate: item.estimate,
                dates: dates(cum[k]),
                probability_by: options.by.and_then(|_| outcome.share_by(cum[k])),
            }
        })
        .collect();

    let goal_items: Vec<usize> = match goal {
        Some(g) => vec![g],
        None => crate::report::common::goals_in_order(plan)
            .into_iter()
            .map(|(g, _, _)| g)
            .filter(|&g| !plan.items[g].category.is_some_and(Category::is_closed))
            .collect(),
    };
    // The positions in `order` under each item, found in one pass: asking every story's
    // ancestors once per goal made 10,000-item plans quadratic.
    let mut under: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, r) in order.iter().enumerate() {
        for a in plan.ancestors(r.item) {
            under.entry(a).or_default().push(k);
        }
    }
    let goals = goal_items
        .into_iter()
        .map(|g| {
            let mine: Vec<usize> = under.remove(&g).unwrap_or_default();
            let last = mine.last().copied();
            GoalForecast {
                id: plan.items[g].id.clone(),
                title: plan.items[g].title.clone(),
                remaining: mine.len(),
                last: last.map(|k| plan.items[order[k].item].id.clone()),
                dates: last.map(|k| dates(cum[k])).unwrap_or_default(),
            }
        })
        .collect();

    let how_many = options.by.map(|by| {
        let kept = outcome.kept.as_deref().unwrap_or(&[]);
        let n = kept.len();
        let at = |level: u32| -> usize {
            if n == 0 {
                return 0;
            }
            let done = kept[n - (n * level as usize).div_ceil(100)];
            if options.points {
                cum.partition_point(|&c| simulate::reaches(done, c))
            } else {
                done.round() as usize
            }
        };
        HowMany {
            by: date(by * DAY),
            p50: at(50),
            p70: at(70),
            p85: at(85),
            p95: at(95),
        }
    });
    let when = options.items.map(|n| When {
        items: n,
        dates: dates(when_needed.unwrap_or(0.0)),
    });
    let histogram = histogram_target.filter(|_| window.done > 0).map(|_| {
        histogram(
            &outcome,
            options,
            describe_target(plan, options, &order, goal),
        )
    });
    Ok(Forecast {
        version: 1,
        kind: kind_name,
        from: date(options.from * DAY),
        trials: options.trials,
        seed: options.seed,
        unit: if options.points { "points" } else { "stories" },
        window: WindowReport {
            since: (days > 0).then(|| date(since * DAY)),
            until: (days > 0).then(|| date(until * DAY)),
            days,
            done: window.done,
            points: options.points.then_some(window.done_points),
            per_day: if days > 0 {
                (window.done as f64 / days as f64 * 100.0).round() / 100.0
            } else {
                0.0
            },
        },
        goals,
        stories,
        when,
        how_many,
        excluded,
        notes,
        histogram,
    })
}

fn describe_target(
    plan: &Plan,
    options: &Options,
    order: &[rank::Ranked],
    goal: Option<usize>,
) -> String {
    if let Some(n) = options.items {
        return format!("{n} more stories");
    }
    match goal {
        Some(g) => format!("the remaining stories of {}", plan.items[g].id),
        None => format!("all {} open stories", order.len()),
    }
}

/// Bars of the completion dates: daily up to six weeks, weekly up to a year, then four-weekly.
fn histogram(outcome: &Outcome, options: &Options, of: String) -> Histogram {
    let tracked = &outcome.tracked;
    let n = outcome.trials.max(1);
    let first = tracked.iter().position(|&c| c > 0).unwrap_or(tracked.len());
    let last = tracked.len();
    let span = last.saturating_sub(first);
    let bucket_days = if span <= 42 {
        1
    } else if span <= 366 {
        7
    } else {
        28
    };
    let mut buckets = Vec::new();
    let mut start = first;
    while start < last {
        let end = (start + bucket_days).min(last); // days start..end (0-based), exclusive
        let before = if start == 0 { 0 } else { tracked[start - 1] };
        let upto = tracked[end - 1];
        buckets.push(Bucket {
            start: date((options.from + start as i64) * DAY),
            end: date((options.from + end as i64 - 1) * DAY),
            trials: upto - before,
            share: (upto - before) as f64 / n as f64,
            cumulative: upto as f64 / n as f64,
        });
        start = end;
    }
    Histogram {
        of,
        bucket_days,
        buckets,
        later: n - tracked.last().copied().unwrap_or(0),
    }
}

/// The 85 % date of each open goal "at the current pace", for the roadmap and the site: the
/// default forecast from day `from` (default window, trials and seed, so it is the date `cairn
/// forecast` shows), with its sampling window; `None` when history shows no pace.
pub fn goal_dates(
    plan: &Plan,
    history: &History,
    from: i64,
) -> Option<(WindowReport, Vec<GoalForecast>)> {
    match forecast(plan, history, &Options::new(from)) {
        Ok(f) if f.window.done > 0 => Some((f.window, f.goals)),
        _ => None,
    }
}
