//! The backlog: the ranked stories (the `rank` order) with score, goal, status, estimate, sprint.

use super::common::story_row;
use crate::plan::Plan;
use crate::priority::rank::{self, RankOptions};
use serde_json::{json, Value};

pub(super) fn context(plan: &Plan) -> Value {
    let ranked = rank::rank(plan, plan.config.method, &RankOptions::default());
    let stories: Vec<Value> = ranked
        .iter()
        .map(|r| {
            let mut row = story_row(plan, r.item);
            let obj = row.as_object_mut().expect("object");
            obj.insert("rank".into(), r.rank.into());
            obj.insert("pulled_up_by".into(), r.pulled_up_by.clone().into());
            obj.insert(
                "arithmetic".into(),
                r.score.as_ref().ok().map(|s| s.arithmetic.clone()).into(),
            );
            row
        })
        .collect();
    let points: f64 = stories
        .iter()
        .filter_map(|s| s["estimate"].as_f64())
        .sum::<f64>()
        + 0.0;
    json!({
        "kind": crate::kinds::leaf(plan).name,
        "total_points": points,
        "unestimated": stories.iter().filter(|s| s["estimate"].is_null()).count(),
        "stories": stories,
    })
}
